//! [`UserClaims`]: the OpenID Connect claims of a user, as `/oidc/me` answers them.

use std::fmt;

use serde_json::Value;

use crate::error::AuthError;
use crate::redact::RedactedJson;
use crate::response::AuthResponse;

/// A user's OpenID Connect claims (OpenID Connect Core 1.0 section 5.1), as
/// [`get_user_info_by_access_token`](crate::AuthClient::get_user_info_by_access_token)
/// answers them: `sub` always, the rest as the access token's scopes allow (`profile`,
/// `email`, `phone`, `username`, ...).
///
/// The common claims have getters; [`claim`](Self::claim) and [`data`](Self::data) give the
/// rest. `Debug` hides secrets in it.
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_user_info_by_access_token_blocking(None);
/// if let Ok(claims) = response.user_claims() {
///     println!("{} <{}>", claims.sub(), claims.email().unwrap_or("no email"));
/// }
/// ```
#[derive(Clone, PartialEq)]
pub struct UserClaims {
    data: Value,
}

impl UserClaims {
    /// The claims of an answer; they must be an object with a non-empty `sub`.
    pub(crate) fn from_response(response: &AuthResponse) -> Result<UserClaims, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let unexpected = |reason: &str| AuthError::UnexpectedResponse {
            reason: reason.into(),
        };
        let data = response
            .data()
            .cloned()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        match data.get("sub") {
            Some(Value::String(sub)) if !sub.is_empty() => Ok(UserClaims { data }),
            _ if !data.is_object() => Err(unexpected("the claims are not an object")),
            _ => Err(unexpected("the claims have no sub")),
        }
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.data.get(key).and_then(Value::as_str)
    }

    /// The subject: the user's id (`sub`).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{}", claims.sub());
    /// # }
    /// ```
    pub fn sub(&self) -> &str {
        self.text("sub").unwrap_or_default()
    }

    /// The full name (`name`, scope `profile`).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{}", claims.name().unwrap_or("-"));
    /// # }
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.text("name")
    }

    /// The nickname (`nickname`, scope `profile`).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{}", claims.nickname().unwrap_or("-"));
    /// # }
    /// ```
    pub fn nickname(&self) -> Option<&str> {
        self.text("nickname")
    }

    /// The username (`username`, scope `username`; Authing's own claim).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{}", claims.username().unwrap_or("-"));
    /// # }
    /// ```
    pub fn username(&self) -> Option<&str> {
        self.text("username")
    }

    /// The email (`email`, scope `email`).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{}", claims.email().unwrap_or("-"));
    /// # }
    /// ```
    pub fn email(&self) -> Option<&str> {
        self.text("email")
    }

    /// Whether the email is verified (`email_verified`, scope `email`).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// assert_eq!(claims.email_verified(), Some(true));
    /// # }
    /// ```
    pub fn email_verified(&self) -> Option<bool> {
        self.data.get("email_verified").and_then(Value::as_bool)
    }

    /// The phone number (`phone_number`, scope `phone`).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{}", claims.phone_number().unwrap_or("-"));
    /// # }
    /// ```
    pub fn phone_number(&self) -> Option<&str> {
        self.text("phone_number")
    }

    /// The URL of the user's picture (`picture`, scope `profile`).
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// if let Some(url) = claims.picture() { println!("{url}"); }
    /// # }
    /// ```
    pub fn picture(&self) -> Option<&str> {
        self.text("picture")
    }

    /// Any claim by name.
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{:?}", claims.claim("gender"));
    /// # }
    /// ```
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.data.get(name)
    }

    /// Every claim, as the server sent them.
    ///
    /// ```no_run
    /// # fn f(claims: authing::UserClaims) {
    /// println!("{} claims", claims.data().as_object().map_or(0, |o| o.len()));
    /// # }
    /// ```
    pub fn data(&self) -> &Value {
        &self.data
    }
}

impl fmt::Debug for UserClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UserClaims")
            .field(&RedactedJson(&self.data))
            .finish()
    }
}

impl AuthResponse {
    /// The typed answer of `get_user_info_by_access_token`: the user's claims.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_user_info_by_access_token_blocking(None);
    /// match response.user_claims() {
    ///     Ok(claims) => println!("signed in as {}", claims.sub()),
    ///     Err(error) => println!("{error}"),
    /// }
    /// ```
    pub fn user_claims(&self) -> Result<UserClaims, AuthError> {
        UserClaims::from_response(self)
    }
}
