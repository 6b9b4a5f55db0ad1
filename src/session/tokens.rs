//! [`TokenSet`]: the tokens of a signed-in user and when the access token expires.

use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use crate::error::AuthError;
use crate::redact::REDACTED;
use crate::response::AuthResponse;

/// How long before its stated expiry an access token already counts as expired, so that it
/// does not lapse on its way to the server: 5 seconds.
pub const EXPIRY_MARGIN: Duration = Duration::from_secs(5);

/// The longest lifetime counted for [`TokenSet::expires_at`]: 100 years. A longer
/// `expire_in` (up to `u64::MAX`, or a v2 `tokenExpiredAt` in the year 9999) is kept as
/// the server said in [`TokenSet::expire_in`], but expires in 100 years: an `Instant`
/// cannot hold much more on every platform (some count nanoseconds in a `u64`).
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(100 * 365 * 86_400);

/// The tokens a sign-in (or a refresh) answers (Java: `LoginTokenResponse`): the access
/// token, the id token and refresh token when the server issued them, their type, and
/// when the access token expires.
///
/// The expiry is computed on this machine when the answer arrived (the arrival instant
/// plus `expire_in`), so it does not depend on the server's clock; the token counts as
/// expired [`EXPIRY_MARGIN`] early. `Debug` hides every token.
///
/// ```no_run
/// # let client = authing::AuthClient::new();
/// if let Some(tokens) = client.get_token() {
///     println!("{} token, {} s, expired: {}", tokens.token_type(), tokens.expire_in(), tokens.is_expired());
///     let header = format!("Bearer {}", tokens.access_token()); // a secret: never log it
///     # let _ = header;
/// }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    access_token: String,
    id_token: Option<String>,
    refresh_token: Option<String>,
    token_type: String,
    expire_in: u64,
    expires_at: Instant,
    /// The same moment on the wall clock, for a store that outlives the process.
    expires_at_wall: SystemTime,
}

impl TokenSet {
    /// Reads the token answer of `/api/v3/signin` (`LoginTokenResponseDataDto` in the
    /// envelope's `data`) or of `/oidc/token` (the same fields, without the envelope).
    pub(crate) fn from_response(response: &AuthResponse) -> Result<TokenSet, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let data = response
            .data()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        TokenSet::from_answer(data, response.received_at(), SystemTime::now())
    }

    pub(super) fn from_answer(
        data: &Value,
        received_at: Instant,
        received_wall: SystemTime,
    ) -> Result<TokenSet, AuthError> {
        let data = data
            .as_object()
            .ok_or_else(|| unexpected("the token answer is not an object"))?;
        let access_token = token_field(data, "access_token")?
            .ok_or_else(|| unexpected("the answer has no access_token"))?;
        let token_type = match data.get("token_type") {
            None | Some(Value::Null) => "Bearer".to_string(),
            Some(Value::String(t)) if !t.trim().is_empty() => t.clone(),
            Some(_) => return Err(unexpected("token_type is not a non-empty string")),
        };
        // The spec names it `expire_in`; OAuth 2.0 (RFC 6749) `expires_in`. Either is read.
        let expire_in = match data.get("expire_in").or_else(|| data.get("expires_in")) {
            Some(Value::Number(n)) => n
                .as_u64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.is_finite())
                        .map(|f| f.max(0.0) as u64)
                })
                .unwrap_or(0),
            _ => return Err(unexpected("the answer has no expire_in")),
        };
        let lifetime = Duration::from_secs(expire_in).min(MAX_LIFETIME);
        let expires_at = received_at
            .checked_add(lifetime)
            .ok_or_else(|| unexpected("expire_in is out of range"))?;
        let expires_at_wall = received_wall
            .checked_add(lifetime)
            .ok_or_else(|| unexpected("expire_in is out of range"))?;
        Ok(TokenSet {
            access_token,
            id_token: token_field(data, "id_token")?,
            refresh_token: token_field(data, "refresh_token")?,
            token_type,
            expire_in,
            expires_at,
            expires_at_wall,
        })
    }

    /// The tokens after a refresh: the new answer, keeping the old refresh token and id
    /// token when the server did not issue new ones (RFC 6749 section 6 allows that).
    pub(crate) fn renewed_from(mut self, old: &TokenSet) -> TokenSet {
        if self.refresh_token.is_none() {
            self.refresh_token = old.refresh_token.clone();
        }
        if self.id_token.is_none() {
            self.id_token = old.id_token.clone();
        }
        self
    }

    /// The access token (Java: `getAccessToken()`), sent as `Authorization: Bearer` by the
    /// calls that need a user. A secret: never log it.
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// let bearer = format!("Bearer {}", tokens.access_token());
    /// # let _ = bearer; }
    /// ```
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The id token, a JWT with the user's claims, when the server issued one (the `openid`
    /// scope) (Java: `getIdToken()`). Not validated by this crate.
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// let has_id_token = tokens.id_token().is_some();
    /// # let _ = has_id_token; }
    /// ```
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }

    /// The refresh token, when the server issued one (the `offline_access` scope, which
    /// [`AuthOptions`](crate::AuthOptions) asks for by default) (Java: `getRefreshToken()`).
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// if tokens.refresh_token().is_none() { println!("the session ends when the access token expires"); }
    /// # }
    /// ```
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// The token type the server named, `Bearer` when it named none (Java: `getTokenType()`).
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// assert!(tokens.token_type().eq_ignore_ascii_case("bearer"));
    /// # }
    /// ```
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// The access token's lifetime in seconds, as the server said (`expire_in`; Java:
    /// `getExpireIn()`).
    ///
    /// [`expires_at`](Self::expires_at) counts at most 100 years of it, whatever the server
    /// said.
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// println!("valid for {} s", tokens.expire_in());
    /// # }
    /// ```
    pub fn expire_in(&self) -> u64 {
        self.expire_in
    }

    /// The instant the access token expires, on this machine's monotonic clock.
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// let left = tokens.expires_at().saturating_duration_since(std::time::Instant::now());
    /// # let _ = left; }
    /// ```
    pub fn expires_at(&self) -> Instant {
        self.expires_at
    }

    /// Whether the access token has expired, or will within [`EXPIRY_MARGIN`].
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// if tokens.is_expired() { println!("the next call refreshes it first"); }
    /// # }
    /// ```
    pub fn is_expired(&self) -> bool {
        Instant::now() + EXPIRY_MARGIN >= self.expires_at
    }

    /// The form a store keeps: `expires_at` as milliseconds since the Unix epoch.
    pub(crate) fn to_saved(&self) -> Value {
        let expires_at_ms = self
            .expires_at_wall
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let mut saved = json!({
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expire_in": self.expire_in,
            "expires_at_ms": expires_at_ms,
        });
        if let Some(id) = &self.id_token {
            saved["id_token"] = json!(id);
        }
        if let Some(refresh) = &self.refresh_token {
            saved["refresh_token"] = json!(refresh);
        }
        saved
    }

    /// Reads what [`to_saved`](Self::to_saved) wrote; the message names the field at fault.
    pub(crate) fn from_saved(saved: &Value) -> Result<TokenSet, String> {
        let map = saved.as_object().ok_or("tokens is not an object")?;
        let text = |key: &str| -> Result<Option<String>, String> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                Some(_) => Err(format!("tokens.{key} is not a non-empty string")),
            }
        };
        let number = |key: &str| -> Result<u64, String> {
            map.get(key)
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("tokens.{key} is not a whole number"))
        };
        let access_token = text("access_token")?.ok_or("tokens.access_token is missing")?;
        let token_type = text("token_type")?.unwrap_or_else(|| "Bearer".into());
        let expires_at_wall = UNIX_EPOCH
            .checked_add(Duration::from_millis(number("expires_at_ms")?))
            .ok_or("tokens.expires_at_ms is out of range")?;
        // Back onto the monotonic clock: what is left of the lifetime, counted from now.
        let left = expires_at_wall
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO)
            .min(MAX_LIFETIME);
        // `Instant + Duration` panics past the platform's range (nanosecond ticks in a u64
        // on some platforms): a date that far out is refused, not a panic.
        let expires_at = Instant::now()
            .checked_add(left)
            .ok_or("tokens.expires_at_ms is out of range")?;
        Ok(TokenSet {
            access_token,
            id_token: text("id_token")?,
            refresh_token: text("refresh_token")?,
            token_type,
            expire_in: number("expire_in")?,
            expires_at,
            expires_at_wall,
        })
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |t: &Option<String>| t.as_ref().map(|_| REDACTED);
        f.debug_struct("TokenSet")
            .field("access_token", &format_args!("{REDACTED}"))
            .field("id_token", &shown(&self.id_token))
            .field("refresh_token", &shown(&self.refresh_token))
            .field("token_type", &self.token_type)
            .field("expire_in", &self.expire_in)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

fn token_field(data: &Map<String, Value>, key: &str) -> Result<Option<String>, AuthError> {
    match data.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        // Sent later as an http header: visible ascii only.
        Some(Value::String(s)) if s.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(unexpected(&format!(
            "{key} holds characters a token cannot have"
        ))),
        Some(_) => Err(unexpected(&format!("{key} is not a string"))),
    }
}

fn unexpected(reason: &str) -> AuthError {
    AuthError::UnexpectedResponse {
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(data: Value) -> Result<TokenSet, AuthError> {
        TokenSet::from_answer(&data, Instant::now(), SystemTime::now())
    }

    #[test]
    fn the_spec_and_the_oauth_spelling_of_the_lifetime_are_both_read() {
        let spec =
            parse(json!({"access_token": "a", "token_type": "Bearer", "expire_in": 60})).unwrap();
        let oauth =
            parse(json!({"access_token": "a", "token_type": "Bearer", "expires_in": 60})).unwrap();
        assert_eq!(spec.expire_in(), 60);
        assert_eq!(oauth.expire_in(), 60);
        assert!(!spec.is_expired());
    }

    #[test]
    fn a_lifetime_within_the_margin_counts_as_expired() {
        let t = parse(json!({"access_token": "a", "expire_in": 3})).unwrap();
        assert!(t.is_expired());
        assert_eq!(t.token_type(), "Bearer");
    }

    #[test]
    fn an_answer_without_access_token_or_lifetime_is_refused_by_name() {
        let e = parse(json!({"expire_in": 60})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unexpected response: the answer has no access_token"
        );
        let e = parse(json!({"access_token": "a"})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unexpected response: the answer has no expire_in"
        );
        let e = parse(json!({"access_token": "a b", "expire_in": 1})).unwrap_err();
        assert!(!e.to_string().contains("a b"));
    }

    #[test]
    fn the_saved_form_round_trips_with_the_remaining_lifetime() {
        let t = parse(json!({"access_token": "a", "id_token": "i", "refresh_token": "r", "token_type": "Bearer", "expire_in": 3600})).unwrap();
        let back = TokenSet::from_saved(&t.to_saved()).unwrap();
        assert_eq!(back.access_token(), "a");
        assert_eq!(back.id_token(), Some("i"));
        assert_eq!(back.refresh_token(), Some("r"));
        assert_eq!(back.expire_in(), 3600);
        assert!(!back.is_expired());
        let drift = back.expires_at().max(t.expires_at()) - back.expires_at().min(t.expires_at());
        assert!(drift < Duration::from_secs(2), "{drift:?}");
    }

    #[test]
    fn a_lifetime_past_an_instants_range_expires_in_a_hundred_years() {
        let now = Instant::now();
        for huge in [
            json!(u64::MAX),
            json!(1e300),
            json!(MAX_LIFETIME.as_secs() + 1),
        ] {
            let t = TokenSet::from_answer(
                &json!({"access_token": "a", "expire_in": huge}),
                now,
                SystemTime::now(),
            )
            .unwrap();
            assert_eq!(t.expires_at(), now + MAX_LIFETIME, "{huge}");
            assert!(!t.is_expired());
            let back = TokenSet::from_saved(&t.to_saved()).unwrap();
            assert!(back.expires_at() <= Instant::now() + MAX_LIFETIME);
        }
        let t = parse(json!({"access_token": "a", "expire_in": u64::MAX})).unwrap();
        assert_eq!(t.expire_in(), u64::MAX);
        let saved = json!({"access_token": "a", "expire_in": 1, "expires_at_ms": u64::MAX});
        let back = TokenSet::from_saved(&saved).unwrap();
        assert!(back.expires_at() <= Instant::now() + MAX_LIFETIME);
    }

    #[test]
    fn debug_hides_every_token() {
        let t = parse(json!({"access_token": "sekrit-a", "id_token": "sekrit-i", "refresh_token": "sekrit-r", "expire_in": 60})).unwrap();
        let shown = format!("{t:?}");
        assert!(!shown.contains("sekrit"), "{shown}");
    }
}
