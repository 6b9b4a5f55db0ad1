//! The request and answer models of the recovery journey.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::accessors::text_accessors;
use crate::error::{AuthError, InputError};
use crate::redact::{SecretField, REDACTED};
use crate::response::AuthResponse;
use crate::validate;

/// How `reset_password_request` proves the user's identity: a passcode sent by SMS or by
/// email (Java: `ResetPasswordVerifyMethod`).
///
/// The variants are Java's constants, spelled as on the wire (`"PHONE_PASSCODE"`,
/// `"EMAIL_PASSCODE"`); that is their one name, and what `Debug` and `Display` print.
///
/// ```
/// use authing::ResetPasswordVerifyMethod;
/// assert_eq!(ResetPasswordVerifyMethod::EMAIL_PASSCODE.as_str(), "EMAIL_PASSCODE");
/// assert_eq!(format!("{:?}", ResetPasswordVerifyMethod::PHONE_PASSCODE), "PHONE_PASSCODE");
/// assert_eq!(ResetPasswordVerifyMethod::PHONE_PASSCODE.to_string(), "PHONE_PASSCODE");
/// ```
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum ResetPasswordVerifyMethod {
    /// A passcode sent by SMS to the user's phone.
    PHONE_PASSCODE,
    /// A passcode sent to the user's email address.
    EMAIL_PASSCODE,
}

impl ResetPasswordVerifyMethod {
    /// The name on the wire.
    ///
    /// ```
    /// assert_eq!(authing::ResetPasswordVerifyMethod::PHONE_PASSCODE.as_str(), "PHONE_PASSCODE");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ResetPasswordVerifyMethod::PHONE_PASSCODE => "PHONE_PASSCODE",
            ResetPasswordVerifyMethod::EMAIL_PASSCODE => "EMAIL_PASSCODE",
        }
    }
}

impl fmt::Debug for ResetPasswordVerifyMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ResetPasswordVerifyMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `reset_password_request` verifies, as Java's `ResetPasswordPayload`.
///
/// For [`PHONE_PASSCODE`](ResetPasswordVerifyMethod::PHONE_PASSCODE) set the phone number,
/// optionally its country code (`"+86"`; left out, the server assumes mainland China), and
/// the pass code; for [`EMAIL_PASSCODE`](ResetPasswordVerifyMethod::EMAIL_PASSCODE) set the
/// email and the pass code. Setters take anything that converts into a `String` and
/// return `&mut Self`, so they can be chained.
///
/// Values are sent exactly as given, except that a country code without its `+` gets one.
/// They are checked before anything is sent: see
/// [`AuthClient::reset_password_request`](crate::AuthClient::reset_password_request) for the
/// rules. A field that belongs to the other method (an email on a phone request) is an
/// error, not silently dropped. `Debug` never shows the pass code.
///
/// ```
/// use authing::ResetPasswordPayload;
///
/// let mut reset_password_payload = ResetPasswordPayload::new();
/// reset_password_payload.set_phone_country_code("+86");
/// reset_password_payload.set_phone_number("18812345678");
/// reset_password_payload.set_pass_code("9071");
/// assert_eq!(reset_password_payload.phone_number(), Some("18812345678"));
/// assert!(!format!("{reset_password_payload:?}").contains("9071"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ResetPasswordPayload {
    phone_number: Option<String>,
    phone_country_code: Option<String>,
    pass_code: Option<String>,
    email: Option<String>,
}

impl ResetPasswordPayload {
    /// An empty payload (Java: `new ResetPasswordPayload()`).
    ///
    /// ```
    /// let payload = authing::ResetPasswordPayload::new();
    /// assert_eq!(payload.email(), None);
    /// ```
    pub fn new() -> ResetPasswordPayload {
        ResetPasswordPayload::default()
    }

    /// Checks the payload for `method` and builds the request body.
    pub(crate) fn to_request_body(
        &self,
        method: ResetPasswordVerifyMethod,
    ) -> Result<Vec<u8>, InputError> {
        let pass_code = validate::pass_code("pass_code", self.pass_code.as_deref())?;
        let body = match method {
            ResetPasswordVerifyMethod::PHONE_PASSCODE => {
                if self.email.is_some() {
                    return Err(InputError::new(
                        "email",
                        "is set, but the verify method is PHONE_PASSCODE; clear it or use EMAIL_PASSCODE",
                    ));
                }
                let phone_number =
                    validate::phone_number("phone_number", self.phone_number.as_deref())?;
                let phone_country_code = self
                    .phone_country_code
                    .as_deref()
                    .map(|c| validate::country_code("phone_country_code", c))
                    .transpose()?;
                VerifyBody {
                    verify_method: method,
                    phone_pass_code_payload: Some(PhonePassCode {
                        phone_number,
                        phone_country_code,
                        pass_code,
                    }),
                    email_pass_code_payload: None,
                }
            }
            ResetPasswordVerifyMethod::EMAIL_PASSCODE => {
                let stray = [
                    ("phone_number", &self.phone_number),
                    ("phone_country_code", &self.phone_country_code),
                ];
                if let Some((field, _)) = stray.iter().find(|(_, v)| v.is_some()) {
                    return Err(InputError::new(
                        field,
                        "is set, but the verify method is EMAIL_PASSCODE; clear it or use PHONE_PASSCODE",
                    ));
                }
                let email = validate::email("email", self.email.as_deref())?;
                VerifyBody {
                    verify_method: method,
                    phone_pass_code_payload: None,
                    email_pass_code_payload: Some(EmailPassCode { email, pass_code }),
                }
            }
        };
        Ok(serde_json::to_vec(&body).expect("a struct of strings always serializes"))
    }
}

text_accessors! {
    ResetPasswordPayload;
    phone_number, set_phone_number, "PhoneNumber", "18812345678", "phone number, without its country code";
    ///
    /// 1 to 4 digits, with or without the `+`: `"86"` is sent as `"+86"`, the form Authing
    /// documents (the getter still answers what you set). Left unset, the server assumes
    /// mainland China.
    phone_country_code, set_phone_country_code, "PhoneCountryCode", "+86", "phone's country code";
    pass_code, set_pass_code, "PassCode", "1234", "passcode the user received";
    email, set_email, "Email", "someone@example.com", "email address";
}

impl fmt::Debug for ResetPasswordPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetPasswordPayload")
            .field("phone_number", &self.phone_number)
            .field("phone_country_code", &self.phone_country_code)
            .field("pass_code", &SecretField(&self.pass_code))
            .field("email", &self.email)
            .finish()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifyBody<'a> {
    verify_method: ResetPasswordVerifyMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_pass_code_payload: Option<PhonePassCode<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_pass_code_payload: Option<EmailPassCode<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhonePassCode<'a> {
    phone_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_country_code: Option<Cow<'a, str>>,
    pass_code: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EmailPassCode<'a> {
    email: &'a str,
    pass_code: &'a str,
}

/// The typed answer of `reset_password_request`: the `passwordResetToken`, its lifetime,
/// and the instant it expires.
///
/// The expiry instant is computed on this machine when the answer arrived
/// ([`AuthResponse::received_at`] plus `tokenExpiresIn`), so it does not depend on the
/// server's clock. `Debug` hides the token.
///
/// ```no_run
/// # let response = authing::AuthClient::new().reset_password_request_blocking(
/// #     authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
/// let reset = response.reset_password_data()?;
/// println!("token valid for {} s", reset.token_expires_in());
/// if !reset.is_expired() {
///     let token: &str = reset.password_reset_token();
///     # let _ = token;
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ResetPasswordData {
    password_reset_token: String,
    token_expires_in: u64,
    expires_at: Instant,
}

impl ResetPasswordData {
    pub(crate) fn from_response(response: &AuthResponse) -> Result<ResetPasswordData, AuthError> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire {
            password_reset_token: Option<String>,
            token_expires_in: Option<serde_json::Value>,
        }
        let wire: Wire = response.data_as()?;
        let token = wire
            .password_reset_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "the answer has no passwordResetToken".into(),
            })?;
        let expires_in = wire
            .token_expires_in
            .as_ref()
            .ok_or("the answer has no tokenExpiresIn")
            .and_then(whole_seconds)
            .map_err(|reason| AuthError::UnexpectedResponse {
                reason: reason.into(),
            })?;
        let expires_at = response
            .received_at
            .checked_add(Duration::from_secs(expires_in))
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "tokenExpiresIn is out of range".into(),
            })?;
        Ok(ResetPasswordData {
            password_reset_token: token,
            token_expires_in: expires_in,
            expires_at,
        })
    }

    /// The `passwordResetToken` to pass to `reset_password`. A secret: do not log it.
    ///
    /// ```no_run
    /// # fn f(reset: authing::ResetPasswordData) {
    /// let token = reset.password_reset_token();
    /// # let _ = token; }
    /// ```
    pub fn password_reset_token(&self) -> &str {
        &self.password_reset_token
    }

    /// The token's lifetime in whole seconds, as the server said (`tokenExpiresIn`).
    ///
    /// The spec types `tokenExpiresIn` as a JSON number, so a fractional lifetime (`299.5`)
    /// or a numeric string (`"300"`) is accepted too; a fraction is rounded down, here and
    /// in [`expires_at`](Self::expires_at), so the token is taken to expire up to a second
    /// early, never late.
    ///
    /// ```no_run
    /// # fn f(reset: authing::ResetPasswordData) {
    /// println!("{} s", reset.token_expires_in());
    /// # }
    /// ```
    pub fn token_expires_in(&self) -> u64 {
        self.token_expires_in
    }

    /// The instant the token expires, on this machine's monotonic clock.
    ///
    /// ```no_run
    /// # fn f(reset: authing::ResetPasswordData) {
    /// let left = reset.expires_at().saturating_duration_since(std::time::Instant::now());
    /// # let _ = left; }
    /// ```
    pub fn expires_at(&self) -> Instant {
        self.expires_at
    }

    /// Whether the token has expired by now.
    ///
    /// ```no_run
    /// # fn f(reset: authing::ResetPasswordData) {
    /// if reset.is_expired() { println!("ask for a new passcode"); }
    /// # }
    /// ```
    pub fn is_expired(&self) -> bool {
        Instant::now() >= self.expires_at
    }
}

/// `tokenExpiresIn` as whole seconds, rounded down: a non-negative JSON number, or a string
/// holding one.
pub(crate) fn whole_seconds(value: &serde_json::Value) -> Result<u64, &'static str> {
    use serde_json::Value;
    if let Some(exact) = value.as_u64() {
        return Ok(exact);
    }
    let seconds = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite())
    .ok_or("tokenExpiresIn is not a number")?;
    if seconds < 0.0 {
        return Err("tokenExpiresIn is negative");
    }
    // 2^64 as f64 is exact; at or beyond it the value does not fit in u64.
    if seconds >= 18_446_744_073_709_551_616.0 {
        return Err("tokenExpiresIn is out of range");
    }
    Ok(seconds.floor() as u64)
}

impl fmt::Debug for ResetPasswordData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetPasswordData")
            .field("password_reset_token", &format_args!("{REDACTED}"))
            .field("token_expires_in", &self.token_expires_in)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The `passwordResetToken` handed to `reset_password`: a plain string (as in Java), or the
/// [`ResetPasswordData`] of a verify answer, which also carries the expiry so that an
/// expired token is refused locally, before anything is sent.
///
/// `Debug` hides the token.
///
/// ```
/// use authing::ResetToken;
/// let from_java_style: ResetToken = "the-token".into();
/// assert_eq!(from_java_style.expires_at(), None);
/// assert!(!format!("{from_java_style:?}").contains("the-token"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ResetToken {
    token: String,
    expires_at: Option<Instant>,
}

impl ResetToken {
    /// The token itself.
    ///
    /// ```
    /// assert_eq!(authing::ResetToken::from("t").token(), "t");
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }

    /// When it expires, if known (a token from [`ResetPasswordData`]).
    ///
    /// ```
    /// assert!(authing::ResetToken::from("t").expires_at().is_none());
    /// ```
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }

    /// Checks the token before it goes on the wire: well-formed and, when its expiry is
    /// known, not expired.
    pub(crate) fn check(&self) -> Result<&str, InputError> {
        let token = validate::token("password_reset_token", Some(&self.token))?;
        if let Some(at) = self.expires_at {
            if Instant::now() >= at {
                return Err(InputError::new(
                    "password_reset_token",
                    "has expired; verify a new passcode to get a new token",
                ));
            }
        }
        Ok(token)
    }
}

impl From<&str> for ResetToken {
    fn from(token: &str) -> ResetToken {
        ResetToken {
            token: token.to_string(),
            expires_at: None,
        }
    }
}

impl From<String> for ResetToken {
    fn from(token: String) -> ResetToken {
        ResetToken {
            token,
            expires_at: None,
        }
    }
}

impl From<&ResetPasswordData> for ResetToken {
    fn from(data: &ResetPasswordData) -> ResetToken {
        ResetToken {
            token: data.password_reset_token.clone(),
            expires_at: Some(data.expires_at),
        }
    }
}

impl From<ResetPasswordData> for ResetToken {
    fn from(data: ResetPasswordData) -> ResetToken {
        ResetToken {
            token: data.password_reset_token,
            expires_at: Some(data.expires_at),
        }
    }
}

impl fmt::Debug for ResetToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetToken")
            .field("token", &format_args!("{REDACTED}"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

// The typed view of the recovery family's answer.
impl AuthResponse {
    /// The typed answer of `reset_password_request`: the reset token, its lifetime in
    /// seconds and the instant it expires (counted from [`received_at`](Self::received_at)).
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// match response.reset_password_data() {
    ///     Ok(reset) => println!("token valid for {} s", reset.token_expires_in()),
    ///     Err(error) => println!("no token: {error}"),
    /// }
    /// ```
    pub fn reset_password_data(&self) -> Result<ResetPasswordData, AuthError> {
        ResetPasswordData::from_response(self)
    }
}
