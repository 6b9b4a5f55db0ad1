//! Tokens: RS256-signed JWT access and id tokens, opaque refresh tokens, their expiry on
//! the emulator's clock, refresh (with rotation) and revocation.
//!
//! Tokens are signed with the emulator's fixed RSA test key (`keys.rs`; **a public test
//! key, not a secret**), whose public half `/oidc/.well-known/jwks.json` serves as a JWK
//! with `kid` = its RFC 7638 thumbprint. A token is accepted as a bearer only while the
//! emulator still holds its record: a reset forgets every token.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::core::state::{iso8601, unix_secs};
use crate::core::users::User;
use crate::core::{keys, random};

/// Records kept before expired ones are pruned.
const PRUNE_AT: usize = 50_000;

/// The JWK of the signing key, as `/oidc/.well-known/jwks.json` lists it.
pub(crate) fn jwk() -> &'static Value {
    static JWK: OnceLock<Value> = OnceLock::new();
    JWK.get_or_init(|| {
        use rsa::traits::PublicKeyParts;
        let key = keys::keys().rsa.to_public_key();
        // Big-endian, without leading zero bytes (RFC 7518 §6.3.1).
        let n = URL_SAFE_NO_PAD.encode(key.n_bytes());
        let e = URL_SAFE_NO_PAD.encode(key.e_bytes());
        // RFC 7638: the SHA-256 of the required members in lexicographic order, no spaces.
        let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()));
        json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n, "e": e})
    })
}

/// The `kid` of the signing key.
pub(crate) fn kid() -> &'static str {
    jwk()["kid"].as_str().unwrap_or_default()
}

/// A compact JWS (RS256) over `claims`.
pub(crate) fn sign(claims: &Value) -> String {
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": kid()});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let digest = Sha256::digest(input.as_bytes());
    let signature = keys::keys()
        .rsa
        .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest)
        .unwrap_or_default();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The claims of `token` when it is an RS256 JWS with our `kid` whose signature verifies.
pub(crate) fn verify(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.trim().split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header["alg"] != "RS256" || header["kid"] != kid() {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let input_len = token.trim().len() - signature_len(token);
    let digest = Sha256::digest(&token.trim().as_bytes()[..input_len]);
    keys::keys()
        .rsa
        .to_public_key()
        .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
        .ok()?;
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The length of `.signature` at the end of a compact JWS.
fn signature_len(token: &str) -> usize {
    let token = token.trim();
    token.rfind('.').map_or(0, |dot| token.len() - dot)
}

/// What a sign-in or a refresh hands out.
#[derive(Debug, Clone)]
pub(crate) struct TokenSet {
    pub(crate) access_token: String,
    pub(crate) id_token: String,
    pub(crate) refresh_token: Option<String>,
    pub(crate) expires_in: u64,
}

impl TokenSet {
    /// The answer's JSON, in the spec's `LoginTokenResponseDataDto` shape: `access_token`,
    /// `id_token`, `refresh_token` (only with scope `offline_access`), `token_type`,
    /// `expire_in` (seconds; spelled as the spec spells it).
    pub(crate) fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("access_token".into(), self.access_token.clone().into());
        out.insert("id_token".into(), self.id_token.clone().into());
        if let Some(refresh) = &self.refresh_token {
            out.insert("refresh_token".into(), refresh.clone().into());
        }
        out.insert("token_type".into(), "Bearer".into());
        out.insert("expire_in".into(), self.expires_in.into());
        Value::Object(out)
    }
}

/// Everything needed to issue a token set besides the user.
pub(crate) struct Grant<'a> {
    /// `iss`: `<base url>/oidc`.
    pub(crate) issuer: &'a str,
    /// `aud`: the app id.
    pub(crate) audience: &'a str,
    /// Space-separated scopes; `offline_access` brings a refresh token.
    pub(crate) scope: &'a str,
    pub(crate) nonce: Option<&'a str>,
    pub(crate) now: SystemTime,
    pub(crate) access_ttl: Duration,
    pub(crate) refresh_ttl: Duration,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct AccessRecord {
    user: String,
    session: u64,
    expires_at: SystemTime,
    revoked: bool,
    /// SHA-256 of the token as issued: a bearer that hashes the same is this token, so it
    /// is known without checking its RS256 signature again (a few hundred µs per request).
    digest: [u8; 32],
    scope: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct RefreshRecord {
    user: String,
    session: u64,
    scope: String,
    expires_at: SystemTime,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BearerError {
    Missing,
    Invalid,
    Expired,
    Revoked,
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefreshRefusal {
    /// The emulator holds no record of it.
    Unknown,
    /// Past its lifetime.
    Expired,
}

/// A refresh token that was accepted (and spent).
pub(crate) struct Refreshed {
    pub(crate) user: String,
    pub(crate) scope: String,
    session: u64,
}

/// Every token the emulator issued and still remembers.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tokens {
    access: HashMap<String, AccessRecord>,
    refresh: HashMap<String, RefreshRecord>,
    next_session: u64,
}

impl Tokens {
    /// Issues a token set for `user` in a new session.
    pub(crate) fn issue(&mut self, user: &User, grant: &Grant<'_>) -> TokenSet {
        self.next_session += 1;
        let session = self.next_session;
        self.issue_in(user, grant, session)
    }

    /// Issues a new token set for the session a refresh token belonged to.
    pub(crate) fn reissue(
        &mut self,
        user: &User,
        grant: &Grant<'_>,
        refreshed: &Refreshed,
    ) -> TokenSet {
        self.issue_in(user, grant, refreshed.session)
    }

    fn issue_in(&mut self, user: &User, grant: &Grant<'_>, session: u64) -> TokenSet {
        self.prune(grant.now);
        let iat = unix_secs(grant.now);
        let exp = unix_secs(grant.now + grant.access_ttl);
        let jti = random::token();
        let access_claims = json!({
            "jti": jti,
            "sub": user.id,
            "iat": iat,
            "exp": exp,
            "scope": grant.scope,
            "iss": grant.issuer,
            "aud": grant.audience,
        });
        let access_token = sign(&access_claims);
        self.access.insert(
            jti,
            AccessRecord {
                user: user.id.clone(),
                session,
                expires_at: grant.now + grant.access_ttl,
                revoked: false,
                digest: Sha256::digest(access_token.as_bytes()).into(),
                scope: grant.scope.to_owned(),
            },
        );
        let id_token = sign(&id_claims(user, grant, iat, exp));
        let refresh_token = has_scope(grant.scope, "offline_access").then(|| {
            let token = random::token();
            self.refresh.insert(
                token.clone(),
                RefreshRecord {
                    user: user.id.clone(),
                    session,
                    scope: grant.scope.to_owned(),
                    expires_at: grant.now + grant.refresh_ttl,
                },
            );
            token
        });
        TokenSet {
            access_token,
            id_token,
            refresh_token,
            expires_in: grant.access_ttl.as_secs(),
        }
    }

    /// The jti and record of an access token this emulator issued and still remembers:
    /// its `jti` claim names the record, and the whole token must hash to what was issued
    /// (so a token with any byte changed is not one of ours, as its signature would say).
    fn issued(&self, token: &str) -> Option<(&str, &AccessRecord)> {
        let token = token.trim();
        let claims = token.split('.').nth(1)?;
        let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()?;
        let (jti, record) = self.access.get_key_value(claims.get("jti")?.as_str()?)?;
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        (record.digest == digest).then_some((jti.as_str(), record))
    }

    /// The user id a bearer access token stands for.
    pub(crate) fn authenticate(&self, token: &str, now: SystemTime) -> Result<String, BearerError> {
        if token.trim().is_empty() {
            return Err(BearerError::Missing);
        }
        let (_, record) = self.issued(token).ok_or(BearerError::Invalid)?;
        if record.revoked {
            return Err(BearerError::Revoked);
        }
        if now >= record.expires_at {
            return Err(BearerError::Expired);
        }
        Ok(record.user.clone())
    }

    /// The scope an access token this emulator issued was granted.
    pub(crate) fn scope_of(&self, token: &str) -> Option<&str> {
        self.issued(token).map(|(_, record)| record.scope.as_str())
    }

    /// `(user, scope, expiry)` of a refresh token that would be accepted at `now`.
    pub(crate) fn refresh_of(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Option<(&str, &str, SystemTime)> {
        let r = self
            .refresh
            .get(token.trim())
            .filter(|r| now < r.expires_at)?;
        Some((&r.user, &r.scope, r.expires_at))
    }

    /// Spends a refresh token: it is removed (a new one comes with the new token set).
    /// Refused as [`Unknown`](RefreshRefusal::Unknown) when the emulator holds no record
    /// of it (never issued here, already used, revoked, or forgotten by a reset or a
    /// restart without a state file), as [`Expired`](RefreshRefusal::Expired) when it is
    /// past its lifetime.
    pub(crate) fn refresh(
        &mut self,
        token: &str,
        now: SystemTime,
    ) -> Result<Refreshed, RefreshRefusal> {
        let record = self
            .refresh
            .remove(token.trim())
            .ok_or(RefreshRefusal::Unknown)?;
        if now >= record.expires_at {
            return Err(RefreshRefusal::Expired);
        }
        Ok(Refreshed {
            user: record.user,
            scope: record.scope,
            session: record.session,
        })
    }

    /// Revokes an access token, or a refresh token together with the access tokens of its
    /// session. Returns whether the token was known.
    pub(crate) fn revoke(&mut self, token: &str) -> bool {
        let token = token.trim();
        if let Some(record) = self.refresh.remove(token) {
            for access in self.access.values_mut() {
                if access.session == record.session {
                    access.revoked = true;
                }
            }
            return true;
        }
        let jti = self.issued(token).map(|(jti, _)| jti.to_owned());
        match jti.and_then(|jti| self.access.get_mut(&jti)) {
            Some(record) => {
                record.revoked = true;
                true
            }
            None => false,
        }
    }

    /// Ends the sessions of `user`, every one but the session `keep` (an access token)
    /// belongs to: their access tokens are revoked and their refresh tokens forgotten.
    /// Returns how many tokens ended.
    pub(crate) fn end_sessions(&mut self, user: &str, keep: Option<&str>) -> usize {
        let kept = keep
            .and_then(|token| self.issued(token))
            .map(|(_, record)| record.session);
        let mut ended = 0;
        for record in self.access.values_mut() {
            if record.user == user && !record.revoked && Some(record.session) != kept {
                record.revoked = true;
                ended += 1;
            }
        }
        let before = self.refresh.len();
        self.refresh
            .retain(|_, r| r.user != user || Some(r.session) == kept);
        ended + (before - self.refresh.len())
    }

    /// The session an access token this emulator issued belongs to (a sign-in starts one;
    /// its refreshes stay in it).
    pub(crate) fn session_of(&self, token: &str) -> Option<u64> {
        self.issued(token).map(|(_, record)| record.session)
    }

    /// Ends the session `session`: its access tokens are revoked and its refresh tokens
    /// forgotten. Returns how many tokens ended.
    pub(crate) fn end_session(&mut self, session: u64) -> usize {
        let mut ended = 0;
        for record in self.access.values_mut() {
            if record.session == session && !record.revoked {
                record.revoked = true;
                ended += 1;
            }
        }
        let before = self.refresh.len();
        self.refresh.retain(|_, r| r.session != session);
        ended + (before - self.refresh.len())
    }

    /// Whether the session `session` has ended: none of its access tokens is unrevoked and
    /// it holds no refresh token (signed out, revoked, forgotten). Expiry alone does not end
    /// it while a refresh token remains.
    pub(crate) fn session_ended(&self, session: u64) -> bool {
        !self
            .access
            .values()
            .any(|r| r.session == session && !r.revoked)
            && !self.refresh.values().any(|r| r.session == session)
    }

    /// Whether the session `session` holds a token that would be accepted at `now` (a live
    /// access token or refresh token).
    pub(crate) fn session_live(&self, session: u64, now: SystemTime) -> bool {
        self.access
            .values()
            .any(|r| r.session == session && !r.revoked && now < r.expires_at)
            || self
                .refresh
                .values()
                .any(|r| r.session == session && now < r.expires_at)
    }

    /// Makes every live access token of `user` expire at `now`; returns how many.
    pub(crate) fn expire_access(&mut self, user: &str, now: SystemTime) -> usize {
        let mut count = 0;
        for record in self.access.values_mut() {
            if record.user == user && !record.revoked && now < record.expires_at {
                record.expires_at = now;
                count += 1;
            }
        }
        count
    }

    /// `(access tokens, refresh tokens)` of `user` that would be accepted at `now`.
    pub(crate) fn live(&self, user: &str, now: SystemTime) -> (usize, usize) {
        let access = self
            .access
            .values()
            .filter(|r| r.user == user && !r.revoked && now < r.expires_at)
            .count();
        let refresh = self
            .refresh
            .values()
            .filter(|r| r.user == user && now < r.expires_at)
            .count();
        (access, refresh)
    }

    fn prune(&mut self, now: SystemTime) {
        if self.access.len() >= PRUNE_AT {
            self.access.retain(|_, r| now < r.expires_at && !r.revoked);
        }
        if self.refresh.len() >= PRUNE_AT {
            self.refresh.retain(|_, r| now < r.expires_at);
        }
    }
}

/// Whether the space-separated `scope` holds `name`.
pub(crate) fn has_scope(scope: &str, name: &str) -> bool {
    scope.split_whitespace().any(|s| s == name)
}

/// The id token's claims: `iss`, `aud`, `sub`, `iat`, `exp`, `nonce` when given, and the
/// user's claims for the scopes `profile`, `username`, `email` and `phone` (absent values
/// are left out rather than sent as null).
pub(crate) fn id_claims(user: &User, grant: &Grant<'_>, iat: u64, exp: u64) -> Value {
    let mut claims = Map::new();
    claims.insert("sub".into(), user.id.clone().into());
    claims.insert("aud".into(), grant.audience.into());
    claims.insert("iat".into(), iat.into());
    claims.insert("exp".into(), exp.into());
    claims.insert("iss".into(), grant.issuer.into());
    if let Some(nonce) = grant.nonce {
        claims.insert("nonce".into(), nonce.into());
    }
    let scope = grant.scope;
    if has_scope(scope, "profile") {
        for (claim, field) in [
            ("name", "name"),
            ("given_name", "givenName"),
            ("middle_name", "middleName"),
            ("family_name", "familyName"),
            ("nickname", "nickname"),
            ("preferred_username", "preferredUsername"),
            ("profile", "profile"),
            ("picture", "photo"),
            ("website", "website"),
            ("birthdate", "birthdate"),
            ("zoneinfo", "zoneinfo"),
            ("locale", "locale"),
        ] {
            if let Some(value) = user.profile.get(field) {
                claims.insert(claim.into(), value.clone());
            }
        }
        let gender = user.profile.get("gender").cloned().unwrap_or("U".into());
        claims.insert("gender".into(), gender);
        claims.insert("updated_at".into(), iso8601(user.updated_at).into());
    }
    let username = user
        .username
        .as_ref()
        .filter(|_| has_scope(scope, "username"));
    if let Some(username) = username {
        claims.insert("username".into(), username.clone().into());
    }
    if let Some(email) = user.email.as_ref().filter(|_| has_scope(scope, "email")) {
        claims.insert("email".into(), email.clone().into());
        claims.insert("email_verified".into(), user.email_verified.into());
    }
    if let Some((_, number)) = user.phone.as_ref().filter(|_| has_scope(scope, "phone")) {
        claims.insert("phone_number".into(), number.clone().into());
        claims.insert("phone_number_verified".into(), user.phone_verified.into());
    }
    Value::Object(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_verifies_and_a_tampered_one_does_not() {
        let token = sign(&json!({"sub": "u1"}));
        assert_eq!(verify(&token).unwrap()["sub"], "u1");
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(r#"{"sub":"u2"}"#);
        parts[1] = &forged;
        assert!(verify(&parts.join(".")).is_none());
        assert!(verify("a.b").is_none());
    }

    #[test]
    fn the_jwk_kid_is_the_rfc_7638_thumbprint_shape() {
        let jwk = jwk();
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["e"], "AQAB");
        assert_eq!(kid().len(), 43);
    }
}
