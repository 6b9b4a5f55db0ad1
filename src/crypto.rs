//! Password encryption for `reset_password`: RSA (feature `rsa`) and SM2 (feature `sm2`).
//!
//! Never falls back to plain text: without the feature, or with a bad key, it is an error.
//! Error texts are lowercase and never contain the password.
//!
//! # Formats, and where they come from
//!
//! Authing publishes no written spec of these formats; they follow what Authing's own
//! Android SDK does (`cn.authing.api.util.EncryptUtils` and `BaseClient.getPublicKey`
//! in Authing's Android SDK sources), which the real server accepts:
//!
//! - **rsa**: the key served by `GET /api/v3/system` (`rsa.publicKey`) is a PEM
//!   `-----BEGIN PUBLIC KEY-----` (X.509 SubjectPublicKeyInfo); Android strips the
//!   armour lines and decodes the base64 as an `X509EncodedKeySpec`. The password's UTF-8
//!   bytes are encrypted with `RSA/ECB/PKCS1Padding` (PKCS#1 v1.5) and sent as standard,
//!   padded base64 on one line. We accept the key as PEM with or without its armour lines
//!   (also all on one line), or bare base64 DER; SPKI, and, our choice for robustness,
//!   PKCS#1 `RSAPublicKey` DER too.
//! - **sm2**: the key served (`sm2.publicKey`) is the hex of the uncompressed curve point.
//!   Android hands it to Hutool's `SmUtil.sm2(null, key)` and the official mini-program
//!   module to sm-crypto's `decodePointHex`, both of which need the `04` prefix, so the
//!   server serves `04` + X + Y. We accept it with or without `04`, and the compressed
//!   form (`02`/`03` + X), as hex in any case. Android first turns the password into
//!   standard padded base64 (of its UTF-8 bytes), encrypts that text with SM2 in mode
//!   **C1C2C3** (BouncyCastle `SM2Engine.Mode.C1C2C3`) and sends lowercase hex. BouncyCastle
//!   writes C1 as an uncompressed point *with* its `04` byte, so ours does too (sm-crypto
//!   in JavaScript leaves it out and defaults to C1C3C2; the emulator accepts C1 with or
//!   without `04`, but only C1C2C3).

use crate::model::PasswordEncryptType;

/// Encrypts `password` with the server's `public_key` as `kind` asks; the text to send.
pub(crate) fn encrypt(
    kind: PasswordEncryptType,
    public_key: &str,
    password: &str,
) -> Result<String, String> {
    match kind {
        PasswordEncryptType::none => Ok(password.to_string()),
        PasswordEncryptType::rsa => rsa(public_key, password),
        PasswordEncryptType::sm2 => sm2(public_key, password),
    }
}

#[cfg(not(feature = "rsa"))]
fn rsa(_public_key: &str, _password: &str) -> Result<String, String> {
    Err("rsa encryption needs the cargo feature `rsa` of the authing crate".into())
}

#[cfg(not(feature = "sm2"))]
fn sm2(_public_key: &str, _password: &str) -> Result<String, String> {
    Err("sm2 encryption needs the cargo feature `sm2` of the authing crate".into())
}

/// RSA PKCS#1 v1.5 over the UTF-8 password, standard padded base64.
#[cfg(feature = "rsa")]
fn rsa(public_key: &str, password: &str) -> Result<String, String> {
    let key = rsa_public_key(public_key)?;
    let sealed = key
        .pkcs1v15_encrypt(password.as_bytes())
        .map_err(|e| match e {
            ::rsa::Error::MessageTooLong => {
                "the password is too long for the server's rsa key".to_string()
            }
            other => format!(
                "rsa encryption failed: {}",
                other.to_string().to_lowercase()
            ),
        })?;
    Ok(base64_encode(&sealed))
}

/// SM2 (C1C2C3, C1 with its `04` byte) over the base64 of the password, lowercase hex.
#[cfg(feature = "sm2")]
fn sm2(public_key: &str, password: &str) -> Result<String, String> {
    use ::sm2::elliptic_curve::common::getrandom::SysRng;
    use ::sm2::pke::{EncryptingKey, Mode};

    let key = sm2_public_key(public_key)?;
    let text = base64_encode(password.as_bytes());
    let sealed = EncryptingKey::new_with_mode(key, Mode::C1C2C3)
        .encrypt(&mut SysRng, text.as_bytes())
        .map_err(|_| "sm2 encryption failed".to_string())?;
    Ok(hex_encode(&sealed))
}

/// Parses the server's RSA public key: PEM (armour lines optional, line breaks optional)
/// or bare base64, of SPKI or PKCS#1 DER.
#[cfg(feature = "rsa")]
pub(crate) fn rsa_public_key(text: &str) -> Result<::rsa::PublicKey, String> {
    use ::rsa::pkcs1::DecodeRsaPublicKey;
    use ::rsa::pkcs8::DecodePublicKey;

    let der = pem_body(text).ok_or("the rsa public key is not pem or base64")?;
    ::rsa::PublicKey::from_public_key_der(&der)
        .or_else(|_| ::rsa::PublicKey::from_pkcs1_der(&der))
        .map_err(|_| "the rsa public key is not an spki or pkcs#1 rsa key".to_string())
}

/// Parses the server's SM2 public key: hex of the point, `04` + X + Y, X + Y without the
/// `04`, or compressed `02`/`03` + X.
#[cfg(feature = "sm2")]
pub(crate) fn sm2_public_key(text: &str) -> Result<::sm2::PublicKey, String> {
    let mut bytes = hex_decode(text).ok_or("the sm2 public key is not hex")?;
    if bytes.len() == 64 {
        bytes.insert(0, 0x04);
    }
    ::sm2::PublicKey::from_sec1_bytes(&bytes)
        .map_err(|_| "the sm2 public key is not a point on the sm2 curve".to_string())
}

/// The DER inside a PEM text, or a bare base64 text: every `-----…-----` armour line
/// (even with no line break around it) and all whitespace dropped, then base64.
#[cfg(feature = "rsa")]
pub(crate) fn pem_body(text: &str) -> Option<Vec<u8>> {
    let mut rest = text;
    let mut body = String::with_capacity(text.len());
    while let Some(start) = rest.find("-----") {
        body.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        let end = after.find("-----")?;
        rest = &after[end + 5..];
    }
    body.push_str(rest);
    body.retain(|c| !c.is_whitespace());
    if body.is_empty() {
        return None;
    }
    base64_decode(&body)
}

/// Standard, padded base64.
#[cfg(any(feature = "rsa", feature = "sm2"))]
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard base64, padding optional.
#[cfg(any(feature = "rsa", all(feature = "sm2", test)))]
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{general_purpose, DecodePaddingMode, GeneralPurpose};
    use base64::Engine as _;
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        general_purpose::PAD.with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text.trim()).ok()
}

/// Lowercase hex.
#[cfg(feature = "sm2")]
pub(crate) fn hex_encode(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Hex in any case, surrounding whitespace ignored; `None` when it is not hex.
#[cfg(feature = "sm2")]
pub(crate) fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| char::from(c).to_digit(16);
    text.chunks(2)
        .map(|pair| Some((nibble(pair[0])? * 16 + nibble(pair[1])?) as u8))
        .collect()
}

/// Undoes [`rsa`]: base64, PKCS#1 v1.5, UTF-8. `None` when any step fails; rsa 0.10
/// answers a wrong padding with made-up bytes ("implicit rejection"), which then fail as
/// UTF-8. For this module's round-trip tests; the emulator decrypts with code of its own.
#[cfg(all(feature = "rsa", test))]
pub(crate) fn rsa_decrypt(key: &::rsa::PrivateKey, wire: &str) -> Option<String> {
    let mut compact = wire.to_string();
    compact.retain(|c| !c.is_whitespace());
    let sealed = base64_decode(&compact)?;
    let plain = key.pkcs1v15_decrypt(&sealed).ok()?;
    String::from_utf8(plain).ok()
}

/// Undoes [`sm2`]: hex, SM2 C1C2C3 (C1 with or without its `04` byte), base64, UTF-8.
/// `None` when any step fails.
#[cfg(all(feature = "sm2", test))]
pub(crate) fn sm2_decrypt(key: &::sm2::SecretKey, wire: &str) -> Option<String> {
    use ::sm2::pke::{DecryptingKey, Mode};

    let sealed = hex_decode(wire)?;
    let key = DecryptingKey::new_with_mode(key.to_nonzero_scalar(), Mode::C1C2C3);
    let text = key.decrypt(&sealed).ok().or_else(|| {
        let mut prefixed = Vec::with_capacity(sealed.len() + 1);
        prefixed.push(0x04);
        prefixed.extend_from_slice(&sealed);
        key.decrypt(&prefixed).ok()
    })?;
    let plain = base64_decode(std::str::from_utf8(&text).ok()?)?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_is_the_password_itself() {
        assert_eq!(
            encrypt(PasswordEncryptType::none, "", "pw").as_deref(),
            Ok("pw")
        );
    }

    #[cfg(not(feature = "rsa"))]
    #[test]
    fn rsa_without_the_feature_is_a_clear_error() {
        let err = encrypt(PasswordEncryptType::rsa, "key", "secret-pw").unwrap_err();
        assert!(err.contains("cargo feature `rsa`"), "{err}");
    }

    #[cfg(not(feature = "sm2"))]
    #[test]
    fn sm2_without_the_feature_is_a_clear_error() {
        let err = encrypt(PasswordEncryptType::sm2, "key", "secret-pw").unwrap_err();
        assert!(err.contains("cargo feature `sm2`"), "{err}");
    }

    #[cfg(feature = "rsa")]
    #[test]
    fn pem_body_takes_armour_on_its_own_lines_on_one_line_or_none() {
        let with = "-----BEGIN PUBLIC KEY-----\nTUlJ\nQg==\n-----END PUBLIC KEY-----\n";
        let one_line = "-----BEGIN PUBLIC KEY-----TUlJQg==-----END PUBLIC KEY-----";
        assert_eq!(pem_body(with).as_deref(), Some(&b"MIIB"[..]));
        assert_eq!(pem_body(one_line).as_deref(), Some(&b"MIIB"[..]));
        assert_eq!(pem_body("TUlJQg").as_deref(), Some(&b"MIIB"[..]));
        assert_eq!(pem_body("-----BEGIN X-----\n-----END X-----"), None);
        assert_eq!(pem_body("not base64!"), None);
    }

    #[cfg(feature = "sm2")]
    #[test]
    fn hex_round_trips_and_rejects_junk() {
        assert_eq!(hex_encode(&[0, 0xab, 0x0f]), "00ab0f");
        assert_eq!(hex_decode(" 00AB0f "), Some(vec![0, 0xab, 0x0f]));
        assert_eq!(hex_decode("abc"), None);
        assert_eq!(hex_decode("zz"), None);
        assert_eq!(hex_decode(""), None);
    }

    /// The emulator's published demo keys (`authing_emulator::keys`), parsed here: the
    /// emulator crate keeps its parsed keys to itself.
    #[cfg(feature = "emulator")]
    mod keys {
        pub(super) use authing_emulator::keys::{RSA_PUBLIC_KEY_PEM, SM2_PUBLIC_KEY_HEX};

        pub(super) struct Keys {
            #[cfg(feature = "rsa")]
            pub(super) rsa: ::rsa::PrivateKey,
            #[cfg(feature = "sm2")]
            pub(super) sm2: ::sm2::SecretKey,
        }

        pub(super) fn keys() -> Keys {
            Keys {
                #[cfg(feature = "rsa")]
                rsa: {
                    use ::rsa::pkcs8::DecodePrivateKey;
                    let pem = authing_emulator::keys::RSA_PRIVATE_KEY_PEM;
                    let der = super::super::pem_body(pem).expect("the emulator's rsa key");
                    ::rsa::PrivateKey::from_pkcs8_der(&der).expect("a pkcs#8 rsa key")
                },
                #[cfg(feature = "sm2")]
                sm2: {
                    let hex = authing_emulator::keys::SM2_PRIVATE_KEY_HEX;
                    let bytes = super::super::hex_decode(hex).expect("the emulator's sm2 key");
                    ::sm2::SecretKey::from_slice(&bytes).expect("a scalar")
                },
            }
        }
    }

    #[cfg(all(feature = "rsa", feature = "emulator"))]
    mod rsa_round_trip {
        use super::super::*;
        use super::keys;

        #[test]
        fn encrypts_to_base64_that_the_private_key_opens() {
            let wire = encrypt(
                PasswordEncryptType::rsa,
                keys::RSA_PUBLIC_KEY_PEM,
                "新 passw0rd",
            )
            .unwrap();
            assert_ne!(wire, "新 passw0rd");
            assert_eq!(base64_decode(&wire).map(|b| b.len()), Some(256));
            let opened = rsa_decrypt(&keys::keys().rsa, &wire);
            assert_eq!(opened.as_deref(), Some("新 passw0rd"));
        }

        #[test]
        fn takes_the_key_without_armour_or_as_pkcs1() {
            use ::rsa::pkcs1::EncodeRsaPublicKey;
            let bare: String = keys::RSA_PUBLIC_KEY_PEM
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .collect();
            let pkcs1 = keys::keys().rsa.to_public_key().to_pkcs1_der().unwrap();
            for key in [bare, base64_encode(pkcs1.as_bytes())] {
                let wire = encrypt(PasswordEncryptType::rsa, &key, "passw0rd").unwrap();
                let opened = rsa_decrypt(&keys::keys().rsa, &wire);
                assert_eq!(opened.as_deref(), Some("passw0rd"));
            }
        }

        #[test]
        fn a_bad_key_is_an_error_without_the_password() {
            for key in [
                "",
                "not a key",
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            ] {
                let err = encrypt(PasswordEncryptType::rsa, key, "secret-pw").unwrap_err();
                assert!(err.starts_with("the rsa public key"), "{err}");
                assert!(!err.contains("secret-pw"));
            }
        }

        #[test]
        fn garbage_does_not_open() {
            let key = &keys::keys().rsa;
            assert_eq!(rsa_decrypt(key, "not base64!"), None);
            assert_eq!(rsa_decrypt(key, &base64_encode(&[7; 256])), None);
        }
    }

    #[cfg(all(feature = "sm2", feature = "emulator"))]
    mod sm2_round_trip {
        use super::super::*;
        use super::keys;

        #[test]
        fn encrypts_c1c2c3_hex_over_base64_that_the_private_key_opens() {
            let wire = encrypt(
                PasswordEncryptType::sm2,
                keys::SM2_PUBLIC_KEY_HEX,
                "新 passw0rd",
            )
            .unwrap();
            let bytes = hex_decode(&wire).unwrap();
            // C1 (04 + X + Y) + C2 (as long as the base64 text) + C3 (SM3, 32 bytes).
            assert_eq!(bytes[0], 0x04);
            let text = base64_encode("新 passw0rd".as_bytes());
            assert_eq!(bytes.len(), 65 + text.len() + 32);
            assert_eq!(wire, wire.to_lowercase());
            let opened = sm2_decrypt(&keys::keys().sm2, &wire);
            assert_eq!(opened.as_deref(), Some("新 passw0rd"));
        }

        #[test]
        fn takes_the_key_without_04_or_in_upper_case_and_opens_c1_without_04() {
            let bare = &keys::SM2_PUBLIC_KEY_HEX[2..];
            for key in [bare.to_string(), keys::SM2_PUBLIC_KEY_HEX.to_uppercase()] {
                let wire = encrypt(PasswordEncryptType::sm2, &key, "passw0rd").unwrap();
                // Without the 04 of C1, as sm-crypto writes it.
                let opened = sm2_decrypt(&keys::keys().sm2, &wire[2..]);
                assert_eq!(opened.as_deref(), Some("passw0rd"));
            }
        }

        #[test]
        fn a_bad_key_is_an_error_without_the_password() {
            let off_curve = format!("04{}", "11".repeat(64));
            for key in ["", "xyz", "0401", off_curve.as_str()] {
                let err = encrypt(PasswordEncryptType::sm2, key, "secret-pw").unwrap_err();
                assert!(err.starts_with("the sm2 public key"), "{err}");
                assert!(!err.contains("secret-pw"));
            }
        }

        #[test]
        fn garbage_and_tampering_do_not_open() {
            let key = &keys::keys().sm2;
            assert_eq!(sm2_decrypt(key, "zz"), None);
            let wire = encrypt(PasswordEncryptType::sm2, keys::SM2_PUBLIC_KEY_HEX, "pw").unwrap();
            let mut tampered = hex_decode(&wire).unwrap();
            let last = tampered.len() - 1;
            tampered[last] ^= 1;
            assert_eq!(sm2_decrypt(key, &hex_encode(&tampered)), None);
        }
    }
}
