//! A local TOTP generator (RFC 6238): the six-digit codes an authenticator app shows for
//! an OTP factor. Cargo feature `totp`.
//!
//! Authing's OTP factors are RFC 6238 with HMAC-SHA1, 6 digits and a 30-second step (the
//! `otpauth://` URI of an enrolment says so: `algorithm=SHA1&digits=6&period=30`). With
//! the secret of an enrolment ([`OtpEnrollment::secret`](crate::OtpEnrollment::secret)) a
//! desktop app or a test can compute the code itself, with no phone in the loop.
//!
//! The clock is this machine's: a server accepts a code of the step before or after its
//! own (Authing and the bundled emulator both do), so a clock off by up to 30 seconds
//! still works.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! // The RFC 4648 base32 of the RFC 6238 test key "12345678901234567890".
//! let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
//! let code = authing::totp::generate(secret, UNIX_EPOCH + Duration::from_secs(59))?;
//! assert_eq!(code, "287082"); // the RFC's 94287082, in six digits
//! # Ok::<(), authing::InputError>(())
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::error::InputError;

/// The step of Authing's OTP factors, in seconds.
pub const PERIOD: u64 = 30;
/// The number of digits of Authing's OTP codes.
pub const DIGITS: u32 = 6;

/// The code for the base32 `secret` at `at`: 6 digits, 30-second steps, HMAC-SHA1.
///
/// The secret is read as RFC 4648 base32 in any case, with or without `=` padding,
/// spaces and dashes ignored (as authenticator apps accept it). An empty secret, or one
/// with a character outside base32, is an [`InputError`] naming `secret` (never its
/// value). A time before 1970 counts as 1970.
///
/// ```
/// let code = authing::totp::generate("JBSWY3DPEHPK3PXP", std::time::SystemTime::now())?;
/// assert_eq!(code.len(), 6);
/// assert!(authing::totp::generate("not base32!", std::time::SystemTime::now()).is_err());
/// # Ok::<(), authing::InputError>(())
/// ```
pub fn generate(secret: &str, at: SystemTime) -> Result<String, InputError> {
    let key = decode_secret(secret)?;
    let unix = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Ok(code(&key, unix / PERIOD, DIGITS))
}

/// The code for the base32 `secret` now, on this machine's clock.
///
/// ```no_run
/// # fn f(enrollment: authing::OtpEnrollment) -> Result<(), authing::InputError> {
/// let code = authing::totp::generate_now(enrollment.secret().unwrap_or_default())?;
/// println!("type {code} into the enrolment form");
/// # Ok(()) }
/// ```
pub fn generate_now(secret: &str) -> Result<String, InputError> {
    generate(secret, SystemTime::now())
}

/// RFC 4226's HOTP: the `digits`-digit code of a raw `key` for the moving factor
/// `counter` (for TOTP, the Unix time divided by the step). For other step lengths or
/// digit counts than Authing's, and for the RFCs' test vectors.
///
/// ```
/// // RFC 6238, appendix B: SHA1, T = 1111111109 s, X = 30 s, 8 digits.
/// assert_eq!(authing::totp::code(b"12345678901234567890", 1111111109 / 30, 8), "07081804");
/// ```
///
/// # Panics
///
/// When `digits` is not 1 to 9 (a 31-bit value has at most 10 digits, and the tenth
/// would not be uniform).
pub fn code(key: &[u8], counter: u64, digits: u32) -> String {
    assert!((1..=9).contains(&digits), "digits must be 1 to 9");
    // Any key length is valid for HMAC: `new_from_slice` cannot fail here.
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("hmac takes a key of any length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    let value = binary % 10u32.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

/// The bytes of a base32 secret (RFC 4648 alphabet, any case, padding, spaces and dashes
/// ignored).
fn decode_secret(secret: &str) -> Result<Vec<u8>, InputError> {
    let mut bits: u64 = 0;
    let mut count = 0u32;
    let mut out = Vec::new();
    for c in secret.chars() {
        let value = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u64 - 'A' as u64,
            c @ '2'..='7' => c as u64 - '2' as u64 + 26,
            ' ' | '-' | '=' => continue,
            _ => {
                return Err(InputError::new(
                    "secret",
                    "is not base32 (letters A to Z and digits 2 to 7)",
                ))
            }
        };
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    if out.is_empty() {
        return Err(InputError::new("secret", "is empty"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_rfc_6238_sha1_vectors_come_out() {
        let key = b"12345678901234567890";
        for (t, expected) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code(key, t / 30, 8), expected, "T = {t}");
        }
    }

    #[test]
    fn the_rfc_4226_hotp_vectors_come_out() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(code(b"12345678901234567890", counter as u64, 6), *want);
        }
    }

    #[test]
    fn a_base32_secret_decodes_in_any_case_with_padding_and_spaces() {
        let key = b"12345678901234567890".to_vec();
        assert_eq!(
            decode_secret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(),
            key
        );
        assert_eq!(
            decode_secret("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap(),
            key
        );
        assert_eq!(decode_secret("MZXW6===").unwrap(), b"foo");
        let at = UNIX_EPOCH + Duration::from_secs(1_111_111_109);
        assert_eq!(
            generate("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", at).unwrap(),
            "081804"
        );
    }

    #[test]
    fn a_bad_secret_is_named_without_its_value() {
        let e = decode_secret("ABC1").unwrap_err();
        assert_eq!(e.field, "secret");
        assert!(!e.to_string().contains("ABC1"));
        assert_eq!(decode_secret("").unwrap_err().problem, "is empty");
    }
}
