//! Password hashes: passwords are never kept in plain text; each is hashed with
//! PBKDF2-HMAC-SHA256, a random 16-byte salt and
//! [`EmulatorConfig::password_hash_iterations`] rounds (default 1 000, an **emulator-only
//! choice** that keeps a debug-build test fast; a production server would use hundreds of
//! thousands), and checked in constant time.
//!
//! [`EmulatorConfig::password_hash_iterations`]: crate::EmulatorConfig::password_hash_iterations

use crate::core::codec::{hex, unhex};
use crate::core::random;

/// The PBKDF2-HMAC-SHA256 hash of `password`, as
/// `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`.
pub(crate) fn hash_password(password: &str, iterations: u32) -> String {
    let mut salt = [0u8; 16];
    random::fill(&mut salt);
    let iterations = iterations.max(1);
    let hash = derive(password, &salt, iterations);
    format!("pbkdf2-sha256${iterations}${}${}", hex(&salt), hex(&hash))
}

/// Whether `password` matches `hash` (made by [`hash_password`]), compared in constant
/// time.
pub(crate) fn verify_password(hash: &str, password: &str) -> bool {
    let mut parts = hash.split('$');
    let (Some("pbkdf2-sha256"), Some(iterations), Some(salt), Some(expected), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Ok(iterations), Some(salt), Some(expected)) =
        (iterations.parse::<u32>(), unhex(salt), unhex(expected))
    else {
        return false;
    };
    let actual = derive(password, &salt, iterations);
    actual.len() == expected.len()
        && actual
            .iter()
            .zip(&expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn derive(password: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, iterations, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_password("secret-1", 10);
        assert!(hash.starts_with("pbkdf2-sha256$10$"));
        assert!(!hash.contains("secret-1"));
        assert!(verify_password(&hash, "secret-1"));
        assert!(!verify_password(&hash, "secret-2"));
        assert!(!verify_password("plain", "plain"));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_their_salt() {
        assert_ne!(hash_password("pw", 1), hash_password("pw", 1));
    }

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64.
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(hex(&out[..16]), "55ac046e56e3089fec1691c22544b605");
    }
}
