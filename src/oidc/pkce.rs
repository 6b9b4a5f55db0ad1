//! The random values of an authorization request and the PKCE challenge (RFC 7636).
//!
//! `state`, `nonce` and the code verifier come from the operating system's CSPRNG
//! (`getrandom`), base64url-encoded without padding: the verifier from 32 bytes (43
//! characters, RFC 7636 section 4.1's recommendation), `state` and `nonce` from 16 bytes
//! (22 characters). The challenge is `BASE64URL(SHA256(ASCII(verifier)))`, method `S256`;
//! `plain` is never used (Android falls back to it when SHA-256 is missing). Without the
//! `oidc` feature there is no CSPRNG here, and every function says so.

use super::OidcError;

/// The code challenge method this crate sends.
pub(crate) const S256: &str = "S256";

/// Bytes of randomness behind the code verifier.
const VERIFIER_BYTES: usize = 32;
/// Bytes of randomness behind `state` and `nonce`.
const STATE_BYTES: usize = 16;

/// What needs the `oidc` feature, for the message.
#[cfg(not(feature = "oidc"))]
const NEEDED_BY: &str = "the random state, nonce and pkce verifier of an authorization request";

/// A fresh code verifier.
pub(crate) fn verifier() -> Result<String, OidcError> {
    random_text(VERIFIER_BYTES)
}

/// A fresh `state` or `nonce`.
pub(crate) fn state() -> Result<String, OidcError> {
    random_text(STATE_BYTES)
}

/// Whether `verifier` has RFC 7636's form: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`.
pub(crate) fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(feature = "oidc")]
fn random_text(bytes: usize) -> Result<String, OidcError> {
    let mut raw = vec![0u8; bytes];
    getrandom::fill(&mut raw).map_err(|e| OidcError::Random(e.to_string()))?;
    Ok(super::jwt::base64url(&raw))
}

#[cfg(not(feature = "oidc"))]
fn random_text(_bytes: usize) -> Result<String, OidcError> {
    Err(OidcError::FeatureDisabled {
        feature: "oidc",
        needed_by: NEEDED_BY,
    })
}

/// The S256 challenge of `verifier`.
#[cfg(feature = "oidc")]
pub(crate) fn challenge(verifier: &str) -> Result<String, OidcError> {
    use sha2::{Digest, Sha256};
    Ok(super::jwt::base64url(&Sha256::digest(verifier.as_bytes())))
}

/// The S256 challenge of `verifier`: needs SHA-256, so the `oidc` feature.
#[cfg(not(feature = "oidc"))]
pub(crate) fn challenge(_verifier: &str) -> Result<String, OidcError> {
    Err(OidcError::FeatureDisabled {
        feature: "oidc",
        needed_by: NEEDED_BY,
    })
}

#[cfg(all(test, feature = "oidc"))]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_of_rfc_7636_appendix_b_is_reproduced() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(
            challenge(verifier).unwrap(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn fresh_values_have_the_documented_length_and_alphabet_and_differ() {
        let v = verifier().unwrap();
        assert_eq!(v.len(), 43);
        assert!(is_valid_verifier(&v));
        let (a, b) = (state().unwrap(), state().unwrap());
        assert_eq!(a.len(), 22);
        assert_ne!(a, b);
    }

    #[test]
    fn verifiers_outside_rfc_7636_are_recognised() {
        assert!(!is_valid_verifier("short"));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(42))));
        assert!(is_valid_verifier(&"a~".repeat(22)));
    }
}
