//! JSON Web Tokens as far as id_token checks need them: base64url, a compact JWS split
//! into its parts (RFC 7515), the RSA keys of a JWK Set (RFC 7517), and the RS256
//! signature check (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 section 3.3).
//!
//! Messages never quote a token or a part of one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// Unpadded base64url of `bytes`.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The bytes of unpadded base64url `text` (a trailing `=` is tolerated).
pub(crate) fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// A compact JWS, split and decoded.
pub(crate) struct Jws<'a> {
    pub(crate) header: Map<String, Value>,
    pub(crate) claims: Map<String, Value>,
    /// `BASE64URL(header) "." BASE64URL(payload)`: what the signature covers.
    pub(crate) signing_input: &'a str,
    pub(crate) signature: Vec<u8>,
}

/// Splits a compact JWS into its header, claims and signature.
pub(crate) fn parse(token: &str) -> Result<Jws<'_>, String> {
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("it is not a compact jws of three parts".into());
    };
    let object = |part: &str, what: &str| -> Result<Map<String, Value>, String> {
        let bytes = base64url_decode(part).ok_or_else(|| format!("its {what} is not base64url"))?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(format!("its {what} is not a json object")),
        }
    };
    let header_map = object(header, "header")?;
    let claims_map = object(claims, "payload")?;
    let signature =
        base64url_decode(signature).ok_or_else(|| "its signature is not base64url".to_string())?;
    Ok(Jws {
        header: header_map,
        claims: claims_map,
        signing_input: &token[..header.len() + 1 + claims.len()],
        signature,
    })
}

/// One RSA signing key of a JWK Set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Jwk {
    pub(crate) kid: Option<String>,
    n: Vec<u8>,
    e: Vec<u8>,
}

/// The RSA keys of a JWK Set (`{"keys": [..]}`) that may verify signatures: `kty` `RSA`,
/// `use` absent or `sig`, `alg` absent or `RS256`, with `n` and `e`. Other keys are skipped.
pub(crate) fn rsa_keys(jwks: &Value) -> Result<Vec<Jwk>, String> {
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("the jwks has no keys array")?;
    let text = |key: &Value, name: &str| key.get(name).and_then(Value::as_str).map(str::to_owned);
    let found: Vec<Jwk> = keys
        .iter()
        .filter(|k| text(k, "kty").as_deref() == Some("RSA"))
        .filter(|k| matches!(text(k, "use").as_deref(), None | Some("sig")))
        .filter(|k| matches!(text(k, "alg").as_deref(), None | Some("RS256")))
        .filter_map(|k| {
            Some(Jwk {
                kid: text(k, "kid"),
                n: base64url_decode(&text(k, "n")?)?,
                e: base64url_decode(&text(k, "e")?)?,
            })
        })
        .collect();
    if found.is_empty() {
        return Err("the jwks holds no rsa signing key".into());
    }
    Ok(found)
}

/// The key that should have signed `jws`: the one whose `kid` its header names, or the
/// only key when the header names none.
pub(crate) fn key_for<'k>(jws: &Jws<'_>, keys: &'k [Jwk]) -> Result<&'k Jwk, String> {
    match jws.header.get("kid") {
        Some(Value::String(kid)) => keys
            .iter()
            .find(|k| k.kid.as_deref() == Some(kid.as_str()))
            .ok_or_else(|| "no key of the provider's jwks has its kid".to_string()),
        None if keys.len() == 1 => Ok(&keys[0]),
        None => Err("its header names no kid and the provider has several keys".into()),
        Some(_) => Err("its kid is not a string".into()),
    }
}

/// Whether `jws` carries a valid RS256 signature by `key`.
pub(crate) fn verify_rs256(jws: &Jws<'_>, key: &Jwk) -> bool {
    use rsa::{BoxedUint, Pkcs1v15Sign, PublicKey};
    use sha2::{Digest, Sha256};
    let Ok(public) = PublicKey::new(
        BoxedUint::from_be_slice_vartime(&key.n),
        BoxedUint::from_be_slice_vartime(&key.e),
    ) else {
        return false;
    };
    let digest = Sha256::digest(jws.signing_input.as_bytes());
    public
        .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &jws.signature)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(header: &Value, claims: &Value, signature: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes()),
            base64url(signature)
        )
    }

    #[test]
    fn a_compact_jws_splits_into_header_claims_and_signature() {
        let t = token(&json!({"alg": "RS256"}), &json!({"sub": "u"}), b"sig");
        let jws = parse(&t).unwrap();
        assert_eq!(jws.header["alg"], "RS256");
        assert_eq!(jws.claims["sub"], "u");
        assert_eq!(jws.signature, b"sig");
        assert_eq!(jws.signing_input, t.rsplit_once('.').unwrap().0);
    }

    #[test]
    fn malformed_tokens_are_refused_without_quoting_them() {
        for bad in [
            "a.b",
            "a.b.c.d",
            "!!.e30.",
            "e30.!!.",
            "e30.e30.!!",
            "WzFd.e30.",
        ] {
            let e = parse(bad).err().unwrap_or_default();
            assert!(!e.is_empty(), "{bad}");
            assert!(!e.contains(bad), "{e}");
        }
    }

    #[test]
    fn only_rsa_signing_keys_are_taken_from_a_jwks() {
        let jwks = json!({"keys": [
            {"kty": "EC", "kid": "ec"},
            {"kty": "RSA", "use": "enc", "kid": "enc", "n": "AQAB", "e": "AQAB"},
            {"kty": "RSA", "kid": "good", "n": "AQAB", "e": "AQAB"},
        ]});
        let keys = rsa_keys(&jwks).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid.as_deref(), Some("good"));
        assert!(rsa_keys(&json!({"keys": []})).is_err());
        assert!(rsa_keys(&json!({})).is_err());
    }
}
