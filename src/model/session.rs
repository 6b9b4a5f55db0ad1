//! The typed answer of the session family: [`UserInfo`], the spec's `UserDto`.

use std::fmt;

use serde_json::Value;

use crate::error::AuthError;
use crate::redact::RedactedJson;
use crate::response::AuthResponse;
use crate::session::TokenSet;

/// A user, as `get_profile` and `sign_up_*` answer it (the spec's `UserDto`), and as the
/// session keeps it for [`AuthClient::get_current_user`](crate::AuthClient::get_current_user).
///
/// The common fields have getters named after the spec's (`userId` is
/// [`user_id`](UserInfo::user_id)); [`data`](UserInfo::data) is the whole object, for the
/// rest. `Debug` hides secrets in it (an identity's `accessToken`, say).
///
/// Right after a sign-in the session's user may be *partial*: built from the claims of the
/// sign-in's id_token, until the full profile, fetched after the sign-in's callback,
/// replaces it ([`is_partial`](UserInfo::is_partial) says which).
///
/// ```no_run
/// # let client = authing::AuthClient::new();
/// if let Some(user) = client.get_current_user() {
///     println!("{} ({})", user.user_id(), user.email().unwrap_or("no email"));
///     println!("status: {:?}", user.data()["status"]);
/// }
/// ```
#[derive(Clone, PartialEq)]
pub struct UserInfo {
    data: Value,
    /// Built from an id_token's claims, not answered by `get-profile`.
    partial: bool,
}

impl UserInfo {
    /// A user from the `data` of an answer; it must be an object with a `userId`.
    pub(crate) fn from_value(data: Value) -> Result<UserInfo, String> {
        match data.get("userId") {
            Some(Value::String(id)) if !id.is_empty() => Ok(UserInfo {
                data,
                partial: false,
            }),
            Some(_) => Err("userId is not a non-empty string".into()),
            None if data.is_object() => Err("the user has no userId".into()),
            None => Err("the user is not an object".into()),
        }
    }

    /// The user in the envelope's `data` of `response`.
    pub(crate) fn from_response(response: &AuthResponse) -> Result<UserInfo, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let data = response
            .data()
            .cloned()
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "the answer has no data".into(),
            })?;
        UserInfo::from_value(data).map_err(|reason| AuthError::UnexpectedResponse { reason })
    }

    /// The same user, marked partial (built from an id_token's claims) when `partial`.
    pub(crate) fn with_partial(mut self, partial: bool) -> UserInfo {
        self.partial = partial;
        self
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.data.get(key).and_then(Value::as_str)
    }

    /// Whether this is the partial user a session starts with: built from the claims of the
    /// sign-in's id_token (`sub` as `userId`, `email`, `nickname`, … under the names
    /// `get-profile` answers), before the full profile replaced it. The full profile (with
    /// `status`, `createdAt`, `phoneCountryCode`, … which no claim carries) is fetched right
    /// after the sign-in's callback has run, and replaces it in the session and the token
    /// store; until then, or if that fetch failed, or the program ended before it arrived
    /// (the token store keeps the mark), `get_current_user()` answers the partial user.
    /// Nothing fetches it again on its own: a user answered by
    /// [`get_profile`](crate::AuthClient::get_profile) (which always asks the server) or a
    /// sign-up is never partial. Which claims there are depends on the sign-in's scope: the
    /// default [`DEFAULT_SCOPE`](crate::DEFAULT_SCOPE) puts `email`, `phone`, `username`
    /// and the profile's names in the token; `openid profile` alone gives no `email`.
    ///
    /// ```no_run
    /// # let client = authing::AuthClient::new();
    /// if let Some(user) = client.get_current_user() {
    ///     if user.is_partial() {
    ///         // Only what the id_token carried; ask the server for the rest now.
    ///         let full = client.get_profile_blocking(false, false, false);
    ///         println!("status: {:?}", full.user_info().map(|u| u.status().map(str::to_owned)));
    ///     }
    /// }
    /// ```
    pub fn is_partial(&self) -> bool {
        self.partial
    }

    /// The user's id (`userId`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("{}", user.user_id());
    /// # }
    /// ```
    pub fn user_id(&self) -> &str {
        self.text("userId").unwrap_or_default()
    }

    /// The username (`username`), unique in the user pool.
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("{}", user.username().unwrap_or("-"));
    /// # }
    /// ```
    pub fn username(&self) -> Option<&str> {
        self.text("username")
    }

    /// The email address (`email`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("{}", user.email().unwrap_or("-"));
    /// # }
    /// ```
    pub fn email(&self) -> Option<&str> {
        self.text("email")
    }

    /// The phone number without its country code (`phone`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("{}", user.phone().unwrap_or("-"));
    /// # }
    /// ```
    pub fn phone(&self) -> Option<&str> {
        self.text("phone")
    }

    /// The phone's country code, such as `+86` (`phoneCountryCode`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("{}", user.phone_country_code().unwrap_or("+86"));
    /// # }
    /// ```
    pub fn phone_country_code(&self) -> Option<&str> {
        self.text("phoneCountryCode")
    }

    /// The user's real name (`name`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("{}", user.name().unwrap_or("-"));
    /// # }
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.text("name")
    }

    /// The nickname (`nickname`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("{}", user.nickname().unwrap_or("-"));
    /// # }
    /// ```
    pub fn nickname(&self) -> Option<&str> {
        self.text("nickname")
    }

    /// The avatar's URL (`photo`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// if let Some(url) = user.photo() { println!("{url}"); }
    /// # }
    /// ```
    pub fn photo(&self) -> Option<&str> {
        self.text("photo")
    }

    /// The account's state (`status`: `Activated`, `Suspended`, `Deactivated`, `Resigned`,
    /// `Archived`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// let active = user.status() == Some("Activated");
    /// # let _ = active; }
    /// ```
    pub fn status(&self) -> Option<&str> {
        self.text("status")
    }

    /// Whether the email address is verified (`emailVerified`; `false` when absent).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// if !user.email_verified() { println!("please verify your email"); }
    /// # }
    /// ```
    pub fn email_verified(&self) -> bool {
        self.data
            .get("emailVerified")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// Whether the phone number is verified (`phoneVerified`; `false` when absent).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// let verified = user.phone_verified();
    /// # let _ = verified; }
    /// ```
    pub fn phone_verified(&self) -> bool {
        self.data
            .get("phoneVerified")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The user's custom data (`customData`), present when asked for
    /// (`get_profile(true, ..)`).
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// if let Some(custom) = user.custom_data() { println!("{custom}"); }
    /// # }
    /// ```
    pub fn custom_data(&self) -> Option<&Value> {
        self.data.get("customData").filter(|v| !v.is_null())
    }

    /// The whole user object, every field as the server sent it.
    ///
    /// ```no_run
    /// # fn f(user: authing::UserInfo) {
    /// println!("created {}", user.data()["createdAt"]);
    /// # }
    /// ```
    pub fn data(&self) -> &Value {
        &self.data
    }
}

impl fmt::Debug for UserInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The partial user (from an id_token's claims) says so; a full one prints as ever.
        let name = if self.partial {
            "UserInfo(partial)"
        } else {
            "UserInfo"
        };
        f.debug_tuple(name)
            .field(&RedactedJson(&self.data))
            .finish()
    }
}

// The typed views of a sign-in's and the session's answers.
impl AuthResponse {
    /// The typed answer of a sign-in or of `get_new_access_token_by_refresh_token`: the
    /// tokens and when the access token expires (counted from
    /// [`received_at`](Self::received_at)). Java: `LoginTokenResponse.parseTokens(data)`.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .sign_in_by_email_password_blocking("someone@example.com", "passw0rd", None);
    /// match response.login_token_data() {
    ///     Ok(tokens) => println!("signed in for {} s", tokens.expire_in()),
    ///     Err(error) => println!("not signed in: {error}"),
    /// }
    /// ```
    pub fn login_token_data(&self) -> Result<TokenSet, AuthError> {
        TokenSet::from_response(self)
    }

    /// The typed answer of `get_profile` and of a sign-up: the user.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_profile_blocking(false, false, false);
    /// if let Ok(user) = response.user_info() {
    ///     println!("{}", user.user_id());
    /// }
    /// ```
    pub fn user_info(&self) -> Result<UserInfo, AuthError> {
        UserInfo::from_response(self)
    }

    /// Whether this answer says that nobody is signed in: what a ported Guard check
    /// `code == 2020` (Guard's `AuthClient`, `(code, message, data)` callbacks) or an
    /// Android check for a 401 becomes.
    ///
    /// True for this crate's local [`codes::NOT_SIGNED_IN`](crate::codes::NOT_SIGNED_IN)
    /// (10015: no session, or one that ended and cannot be renewed; nothing was sent),
    /// for the server's apiCode 2020 ([`ApiCode::NOT_SIGNED_IN`](crate::ApiCode::NOT_SIGNED_IN),
    /// "not signed in"), and for statusCode 401 (the spec's `UnauthorizedError`). Guard
    /// answers 2020 itself only where it finds no current user (`listOrgs`), and 10003
    /// "Login failed" in other such places (`setCustomUserData`, `Authing.autoLogin`);
    /// for everything else its 2020 is the server's. Here a call that needs a user and
    /// finds none answers 10015 without asking the server, so both are covered by this
    /// one check.
    ///
    /// A sign-in that asks for a second factor also answers 401 (apiCode 1635 or 1636):
    /// that one is not "not signed in" but halfway there, so it is false here;
    /// [`is_mfa_required`](Self::is_mfa_required) says it.
    ///
    /// ```
    /// use authing::{codes, AuthClient};
    ///
    /// let client = AuthClient::builder().app_id("app").app_host("http://127.0.0.1:9").build().unwrap();
    /// let response = client.get_profile_blocking(false, false, false); // nobody signed in
    /// assert_eq!(response.status_code(), codes::NOT_SIGNED_IN);
    /// assert!(response.is_not_signed_in());
    /// ```
    pub fn is_not_signed_in(&self) -> bool {
        self.status_code() == crate::codes::NOT_SIGNED_IN
            || (self.status_code() == 401 && !self.is_mfa_required())
            || self.api_code() == crate::ApiCode::NOT_SIGNED_IN.as_i32()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_user_needs_a_user_id() {
        assert!(UserInfo::from_value(json!({"userId": "u1"})).is_ok());
        assert_eq!(
            UserInfo::from_value(json!({"email": "a@b.co"})).unwrap_err(),
            "the user has no userId"
        );
        assert_eq!(
            UserInfo::from_value(json!([1])).unwrap_err(),
            "the user is not an object"
        );
    }

    #[test]
    fn debug_says_a_user_is_partial() {
        let user = UserInfo::from_value(json!({"userId": "u1"})).unwrap();
        assert_eq!(format!("{user:?}"), r#"UserInfo({"userId": "u1"})"#);
        let partial = user.with_partial(true);
        assert_eq!(
            format!("{partial:?}"),
            r#"UserInfo(partial)({"userId": "u1"})"#
        );
    }

    #[test]
    fn debug_hides_identity_tokens() {
        let user = UserInfo::from_value(
            json!({"userId": "u1", "identities": [{"accessToken": "idp-secret"}]}),
        )
        .unwrap();
        assert!(!format!("{user:?}").contains("idp-secret"));
    }
}
