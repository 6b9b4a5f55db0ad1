//! The id_token checks of OpenID Connect Core 1.0, section 3.1.3.7, for the authorization
//! code flow: the RS256 signature against the provider's JWKS, then `iss`, `aud` (and
//! `azp` when there are several audiences), `exp`, `iat` and `nonce`.
//!
//! - Only `RS256` is accepted: `none`, `HS256` (whose key would be the client secret, which
//!   a public client does not have) and every other `alg` are refused.
//! - Clock skew: `exp` may be up to [`LEEWAY`] in the past (this machine's clock against
//!   the server's). `iat` must be a number; a future `iat` is not refused (an emulator with
//!   an advanced clock issues such tokens).
//! - The same checks serve an access token checked offline (`validate_access_token`),
//!   without `nonce`.
//! - `at_hash` is not checked: the access token comes from the token endpoint over TLS,
//!   where OpenID Connect makes it optional.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::OidcError;

/// How far in the past `exp` may be, for clock skew between this machine and the server.
pub(crate) const LEEWAY: Duration = Duration::from_secs(60);

/// What the id_token must say.
pub(crate) struct Expected<'a> {
    /// The provider's issuer (its OpenID configuration's `issuer`).
    pub(crate) issuer: &'a str,
    /// The app id, which must be the (or an) audience.
    pub(crate) client_id: &'a str,
    /// The authorization request's nonce, which must come back; `None` for an access
    /// token (`introspect_access_token_offline`), which carries none.
    pub(crate) nonce: Option<&'a str>,
    pub(crate) now: SystemTime,
}

/// The claims of `token` once every check has passed, its signature checked against the
/// RSA keys of the JWK Set `jwks`.
#[cfg(feature = "oidc")]
pub(crate) fn validate(
    token: &str,
    jwks: &Value,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, OidcError> {
    use super::jwt;
    let keys = jwt::rsa_keys(jwks).map_err(OidcError::Provider)?;
    let bad = |reason: &str| OidcError::IdToken(reason.to_string());
    let jws = jwt::parse(token).map_err(|e| bad(&e))?;
    match jws.header.get("alg").and_then(Value::as_str) {
        Some("RS256") => {}
        Some(alg) => {
            let shown: String = alg
                .chars()
                .filter(char::is_ascii_graphic)
                .take(16)
                .collect();
            return Err(bad(&format!(
                "its alg is {shown:?}; only RS256 is accepted"
            )));
        }
        None => return Err(bad("its header names no alg")),
    }
    let key = jwt::key_for(&jws, &keys).map_err(|e| bad(&e))?;
    if !jwt::verify_rs256(&jws, key) {
        return Err(bad(
            "its signature does not verify against the provider's keys",
        ));
    }
    check_claims(jws.claims, expected)
}

/// The claims of the access token `token` once the same checks as an id_token's have
/// passed (RS256 signature against `jwks`, `iss`, `aud`, `exp` with [`LEEWAY`], `iat`,
/// `sub`), `nonce` aside: an access token carries none. A failure is
/// [`OidcError::AccessToken`].
pub(crate) fn validate_access_token(
    token: &str,
    jwks: &Value,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, OidcError> {
    let expected = Expected {
        nonce: None,
        ..*expected
    };
    validate(token, jwks, &expected).map_err(|error| match error {
        OidcError::IdToken(reason) => OidcError::AccessToken(reason),
        other => other,
    })
}

/// Without the `oidc` feature nothing can be checked, so nothing is accepted.
#[cfg(not(feature = "oidc"))]
pub(crate) fn validate(
    _token: &str,
    _jwks: &Value,
    _expected: &Expected<'_>,
) -> Result<Map<String, Value>, OidcError> {
    Err(OidcError::FeatureDisabled {
        feature: "oidc",
        needed_by: "checking the id_token",
    })
}

/// The claim checks, after the signature.
#[cfg_attr(not(feature = "oidc"), allow(dead_code))]
pub(crate) fn check_claims(
    claims: Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, OidcError> {
    let bad = |reason: String| OidcError::IdToken(reason);
    match claims.get("iss").and_then(Value::as_str) {
        Some(iss) if iss == expected.issuer => {}
        Some(_) => {
            return Err(bad(format!(
                "its iss is not the provider's issuer {}",
                expected.issuer
            )))
        }
        None => return Err(bad("it has no iss".into())),
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => return Err(bad("it has no aud".into())),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(bad(format!(
            "its aud does not name this app ({})",
            expected.client_id
        )));
    }
    if audiences.len() > 1 && claims.get("azp").and_then(Value::as_str) != Some(expected.client_id)
    {
        return Err(bad(
            "it has several audiences and its azp is not this app".into()
        ));
    }
    let now = expected
        .now
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let exp = claims
        .get("exp")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("it has no numeric exp".into()))?;
    if exp.saturating_add(LEEWAY.as_secs()) <= now {
        return Err(bad(format!("it expired {} s ago", now - exp)));
    }
    if !claims.get("iat").is_some_and(Value::is_number) {
        return Err(bad("it has no numeric iat".into()));
    }
    if let Some(sent) = expected.nonce {
        match claims.get("nonce").and_then(Value::as_str) {
            Some(nonce) if nonce == sent => {}
            Some(_) => return Err(bad("its nonce does not match this sign-in's".into())),
            None => return Err(bad("it has no nonce, and this sign-in sent one".into())),
        }
    }
    if claims
        .get("sub")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(bad("it has no sub".into()));
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expected(now: u64) -> Expected<'static> {
        Expected {
            issuer: "http://127.0.0.1:1/oidc",
            client_id: "app",
            nonce: Some("n-1"),
            now: UNIX_EPOCH + Duration::from_secs(now),
        }
    }

    fn claims(extra: Value) -> Map<String, Value> {
        let mut base = json!({"iss": "http://127.0.0.1:1/oidc", "aud": "app", "sub": "u-1",
            "iat": 1000, "exp": 2000, "nonce": "n-1"});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                base.as_object_mut().unwrap().remove(k);
            } else {
                base[k] = v.clone();
            }
        }
        base.as_object().unwrap().clone()
    }

    fn refused(extra: Value, now: u64) -> String {
        check_claims(claims(extra), &expected(now))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn good_claims_pass() {
        assert!(check_claims(claims(json!({})), &expected(1500)).is_ok());
        // Within the leeway after exp.
        assert!(check_claims(claims(json!({})), &expected(2059)).is_ok());
        // Several audiences with azp naming this app.
        let several = claims(json!({"aud": ["app", "api"], "azp": "app"}));
        assert!(check_claims(several, &expected(1500)).is_ok());
    }

    #[test]
    fn each_claim_is_checked_by_name() {
        assert!(refused(json!({"iss": "http://evil/oidc"}), 1500).contains("iss"));
        assert!(refused(json!({"iss": null}), 1500).contains("no iss"));
        assert!(refused(json!({"aud": "other"}), 1500).contains("aud does not name this app"));
        assert!(refused(json!({"aud": ["app", "api"]}), 1500).contains("azp"));
        assert!(refused(json!({}), 2060).contains("expired 60 s ago"));
        assert!(refused(json!({"exp": "2000"}), 1500).contains("no numeric exp"));
        assert!(refused(json!({"iat": null}), 1500).contains("no numeric iat"));
        assert!(refused(json!({"nonce": "n-2"}), 1500).contains("nonce does not match"));
        assert!(refused(json!({"nonce": null}), 1500).contains("no nonce"));
        assert!(refused(json!({"sub": ""}), 1500).contains("no sub"));
    }

    #[test]
    fn messages_never_quote_the_nonce() {
        let e = refused(json!({"nonce": "attacker-nonce"}), 1500);
        assert!(!e.contains("attacker-nonce") && !e.contains("n-1"), "{e}");
    }
}
