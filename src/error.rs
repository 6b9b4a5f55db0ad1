//! The typed view of a failed call: [`AuthError`], [`ApiError`], [`ApiCode`], [`InputError`],
//! and the [`Cause`] behind a network or body failure.

use std::error::Error;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

/// Why a call did not succeed: the typed view of an [`AuthResponse`](crate::AuthResponse).
///
/// Every failed response carries one (see [`AuthResponse::error`](crate::AuthResponse::error)),
/// and [`AuthResponse::into_result`](crate::AuthResponse::into_result) hands it out.
/// Messages are lowercase and never contain a pass code, password, reset token or access
/// token. Each variant also has a numeric status code for ported Java code; see
/// [`AuthError::status_code`].
///
/// `Display` is English whatever the client's [`Lang`](crate::Lang), and stays stable, as a
/// Rust error's text does (for logs, `?`, and tests). The response's
/// [`message`](crate::AuthResponse::message) is the one for people: it describes the same
/// failure in the client's language; [`AuthError::message_in`] gives it for an error alone.
///
/// A time-out, a connection failure or an unreadable body keeps the lower-level error
/// (from the OS, the HTTP client or the JSON parser) as its `source`: it is
/// [`std::error::Error::source`], and it can be downcast to its own type. The message
/// already carries its text, so that [`AuthResponse::message`](crate::AuthResponse::message)
/// is complete on its own; walking the chain repeats it.
///
/// `AuthError` is `Clone` (the cause is shared, see [`Cause`]) and `PartialEq`: two errors
/// are equal when they are the same variant with equal fields, a cause being equal only to
/// itself (a clone of the error equals the original; two connection failures made apart do
/// not).
///
/// ```
/// use authing::{AuthClient, AuthError, ResetPasswordPayload, ResetPasswordVerifyMethod};
///
/// // A client with no configuration answers every call with a configuration error.
/// let client = AuthClient::builder().build().unwrap();
/// let response = client.reset_password_request_blocking(
///     ResetPasswordVerifyMethod::PHONE_PASSCODE,
///     ResetPasswordPayload::new(),
/// );
/// match response.error() {
///     Some(AuthError::Config(reason)) => println!("fix the setup: {reason}"),
///     Some(AuthError::InvalidInput(problem)) => println!("fix the form: {problem}"),
///     Some(other) => println!("failed: {other}"),
///     None => println!("ok"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The request did not complete within a time-out (status code 10001).
    #[error("request timed out ({phase})")]
    Timeout {
        /// Which time-out fired, as the HTTP client names it: `"connect"` (the connect
        /// time-out), `"global"` (the whole-call time-out), or a finer phase.
        phase: String,
        /// The HTTP client's error (a `ureq::Error`), when the SDK got one.
        source: Option<Cause>,
    },
    /// No connection could be made or it broke mid-way (status code 10001).
    #[error("connection failed: {reason}")]
    Connection {
        /// What went wrong, as reported by the operating system or the HTTP client.
        reason: String,
        /// The underlying error: a `std::io::Error` from the OS, or a `ureq::Error`.
        source: Option<Cause>,
    },
    /// The server answered, but the body could not be read as the expected JSON
    /// (status code 10001, as Android reports an unreadable body).
    #[error("unreadable response body: {reason}")]
    UnreadableBody {
        /// What was wrong with the body.
        reason: String,
        /// The underlying error (a `serde_json::Error` for a body that is not JSON, a
        /// `ureq::Error` for a body that could not be read), when there is one; `None` when
        /// the body is JSON of the wrong shape.
        source: Option<Cause>,
    },
    /// The response body is larger than the client's limit and was not read
    /// (status code 10001). See [`AuthClientBuilder::max_response_bytes`](crate::AuthClientBuilder::max_response_bytes).
    #[error("response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The server answered with an HTTP status other than 2xx and a body that is not
    /// Authing's envelope (the response's status code is that HTTP status and its message
    /// the raw body, as in the Android SDK). A non-2xx answer that carries the envelope,
    /// such as the spec's HTTP 429 `{"statusCode":429,"message":..}`, is an [`AuthError::Api`].
    ///
    /// A 3xx is this error too, whatever its body: Authing's API never redirects, so the SDK
    /// never follows one, and the response's message names the `location` it pointed to.
    #[error("http status {status}")]
    HttpStatus {
        /// The HTTP status.
        status: u16,
    },
    /// The server answered with its JSON envelope and a `statusCode` other than 200.
    #[error(transparent)]
    Api(ApiError),
    /// A 200 answer lacks what the call needs (status code 10004), such as a verify
    /// answer without a `passwordResetToken`.
    #[error("unexpected response: {reason}")]
    UnexpectedResponse {
        /// What was missing or malformed.
        reason: String,
    },
    /// The input was refused locally; nothing was sent (status code 10010).
    #[error(transparent)]
    InvalidInput(#[from] InputError),
    /// The call was cancelled through its [`RequestHandle`](crate::RequestHandle)
    /// (status code 10011). The server may already have acted on it.
    #[error("request cancelled")]
    Cancelled,
    /// The client is not configured to reach an Authing app (status code 10002).
    #[error("config not found: {0}")]
    Config(String),
    /// The new password could not be encrypted as asked (status code 10014): the cargo
    /// feature for the algorithm is off, the public key could not be fetched, or it is
    /// malformed. The password was not sent.
    #[error("password encryption failed: {reason}")]
    Encryption {
        /// What went wrong.
        reason: String,
    },
    /// The dispatcher refused the call because its queue is full (status code 10012).
    #[error("request rejected: {0}")]
    Rejected(String),
    /// The call needs a signed-in user and there is none, or the session has ended (an
    /// expired access token without a refresh token, a refresh token the server refused);
    /// nothing was sent (status code 10015). Sign in again.
    #[error("not signed in: {reason}")]
    NotSignedIn {
        /// Why there is no usable session.
        reason: String,
    },
    /// The client's [`TokenStore`](crate::TokenStore) could not read or save the session
    /// (status code 10016), such as a session file that is corrupt or not the SDK's own.
    #[error(transparent)]
    TokenStore(#[from] crate::session::TokenStoreError),
    /// An `mfa_verify_by_*` call found no second-factor challenge to complete (status code
    /// 10017): no sign-in asked for one, it was completed, or a new sign-in or `logout`
    /// ended it. Nothing was sent.
    #[error("no mfa challenge: {reason}")]
    NoMfaChallenge {
        /// Why there is nothing to complete.
        reason: String,
    },
    /// A defect inside the SDK (status code 10013); please report it.
    #[error("internal error: {0}")]
    Internal(String),
    /// A QR-code sign-in ended without the user's authorization (status code 10018): the
    /// user cancelled on the phone (`CANCELLED`), the code expired (`EXPIRED`), the server
    /// reported an error for it (`ERROR`), or no final status came within the flow's
    /// timeout (`status` is then the last one seen). Nobody was signed in.
    #[error("qr code sign-in not authorized ({status}): {reason}")]
    QrCodeNotAuthorized {
        /// The code's last status.
        status: crate::model::QrCodeStatus,
        /// What happened, as a whole phrase.
        reason: String,
    },
    /// A push sign-in ended without the user's approval (status code 10020): the user
    /// refused on the phone (`CANCELLED`), the push expired (`EXPIRED`), the server
    /// reported an error for it (`ERROR`), or no final status came within the flow's
    /// timeout (`status` is then the last one seen, `PUSHED`). Nobody was signed in.
    #[error("push sign-in not authorized ({status}): {reason}")]
    PushNotAuthorized {
        /// The push's last status.
        status: crate::model::PushCodeStatus,
        /// What happened, as a whole phrase.
        reason: String,
    },
    /// A passkey flow failed on this side (status code 10021): the
    /// [`Authenticator`](crate::passkey::Authenticator) gave nothing (the user cancelled,
    /// no credential fits, a device error: [`AuthenticatorError`](crate::passkey::AuthenticatorError)),
    /// or the server answered without verifying. Nobody was signed in, nothing registered.
    #[error("passkey failed: {reason}")]
    Passkey {
        /// What happened, as a whole phrase.
        reason: String,
    },
    /// An OpenID Connect sign-in failed on this side (status code 10019): an id_token
    /// that does not verify, a refused consent, no answer from the browser in time, a
    /// cargo feature that is off. See [`OidcError`](crate::OidcError).
    #[error(transparent)]
    Oidc(#[from] crate::oidc::OidcError),
}

impl AuthError {
    /// The `statusCode` an [`AuthResponse`](crate::AuthResponse) carries for this error, the
    /// number ported Java code compares against.
    ///
    /// ```
    /// use authing::{AuthError, codes};
    /// assert_eq!(AuthError::Cancelled.status_code(), codes::CANCELLED);
    /// assert_eq!(AuthError::Config("no app id".into()).status_code(), codes::CONFIG_NOT_FOUND);
    /// ```
    pub fn status_code(&self) -> i32 {
        use crate::codes;
        match self {
            AuthError::Timeout { .. }
            | AuthError::Connection { .. }
            | AuthError::UnreadableBody { .. }
            | AuthError::BodyTooLarge { .. } => codes::NETWORK_ERROR,
            AuthError::HttpStatus { status } => i32::from(*status),
            AuthError::Api(api) => api.status_code,
            AuthError::UnexpectedResponse { .. } => codes::JSON_PARSE_FAILED,
            AuthError::InvalidInput(_) => codes::INVALID_INPUT,
            AuthError::Cancelled => codes::CANCELLED,
            AuthError::Config(_) => codes::CONFIG_NOT_FOUND,
            AuthError::Rejected(_) => codes::REJECTED,
            AuthError::Internal(_) => codes::INTERNAL,
            AuthError::Encryption { .. } => codes::ENCRYPTION_FAILED,
            AuthError::NotSignedIn { .. } => codes::NOT_SIGNED_IN,
            AuthError::TokenStore(_) => codes::TOKEN_STORE_FAILED,
            AuthError::NoMfaChallenge { .. } => codes::MFA_CHALLENGE_MISSING,
            AuthError::QrCodeNotAuthorized { .. } => codes::QR_CODE_NOT_AUTHORIZED,
            AuthError::PushNotAuthorized { .. } => codes::PUSH_NOT_AUTHORIZED,
            AuthError::Oidc(_) => codes::OIDC_FAILED,
            AuthError::Passkey { .. } => codes::PASSKEY_FAILED,
        }
    }

    /// This error described in `lang`, as [`AuthResponse::message`](crate::AuthResponse::message)
    /// describes a local failure: the SDK's own words translated (field names, and details
    /// it has no translation for, such as an operating system's error text, stay as they
    /// are); a server's business error is the server's own message. In English
    /// ([`Lang::EnUs`](crate::Lang::EnUs)) a local failure reads as its `Display`.
    ///
    /// For an error taken out of its response (`into_result()?`) that you show to a person.
    ///
    /// ```
    /// use authing::{AuthError, InputError, Lang};
    /// let error = AuthError::from(InputError::new("pass_code", "is empty"));
    /// assert_eq!(error.message_in(Lang::ZhCn), "参数错误：pass_code 不能为空");
    /// assert_eq!(error.message_in(Lang::ZhTw), "參數錯誤：pass_code 不能為空");
    /// assert_eq!(error.message_in(Lang::JaJp), "入力値が正しくありません：pass_code が空です");
    /// assert_eq!(error.message_in(Lang::EnUs), error.to_string());
    /// ```
    pub fn message_in(&self, lang: crate::Lang) -> String {
        crate::i18n::describe(self, lang)
    }

    /// The server's business error, when this is one.
    ///
    /// ```
    /// use authing::AuthError;
    /// assert!(AuthError::Cancelled.api().is_none());
    /// ```
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            AuthError::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: time-outs, connection
    /// failures, HTTP 5xx, throttling, and a full dispatcher queue.
    ///
    /// ```
    /// use authing::AuthError;
    /// assert!(AuthError::Timeout { phase: "global".into(), source: None }.is_transient());
    /// assert!(!AuthError::Cancelled.is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        match self {
            AuthError::Timeout { .. } | AuthError::Connection { .. } | AuthError::Rejected(_) => {
                true
            }
            AuthError::HttpStatus { status } => *status >= 500 || *status == 429,
            AuthError::Api(api) => api.is_throttled() || api.status_code >= 500,
            _ => false,
        }
    }
}

/// The lower-level error behind an [`AuthError`]: an I/O error, the HTTP client's error,
/// or the JSON parser's, shared (an `Arc`) so that `AuthError` stays `Clone`.
///
/// It dereferences to `dyn Error + Send + Sync`, so it can be printed, walked and downcast:
///
/// ```
/// use std::error::Error;
/// use authing::{AuthError, Cause};
///
/// let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
/// let error = AuthError::Connection {
///     reason: refused.to_string(),
///     source: Some(Cause::new(refused)),
/// };
/// let io = error.source().and_then(|e| e.downcast_ref::<std::io::Error>());
/// assert_eq!(io.map(|e| e.kind()), Some(std::io::ErrorKind::ConnectionRefused));
/// assert_eq!(error.clone(), error); // a clone shares the cause
/// ```
#[derive(Clone)]
pub struct Cause(Arc<dyn Error + Send + Sync + 'static>);

impl Cause {
    /// Wraps `error`.
    ///
    /// ```
    /// let cause = authing::Cause::new(std::io::Error::other("boom"));
    /// assert_eq!(cause.to_string(), "boom");
    /// ```
    pub fn new(error: impl Error + Send + Sync + 'static) -> Cause {
        Cause(Arc::new(error))
    }
}

impl Deref for Cause {
    type Target = dyn Error + Send + Sync + 'static;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

/// A cause equals only itself (the same shared error): errors of different calls are never
/// taken to be equal because their texts match.
impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Cause {}

/// A business error answered by the Authing server in its JSON envelope.
///
/// ```
/// use authing::{ApiCode, ApiError};
/// let error = ApiError::new(400, Some(2001), "验证码错误", Some("req-1".into()));
/// assert_eq!(error.api_code, Some(ApiCode::WRONG_VERIFY_CODE));
/// assert_eq!(error.to_string(), "api error 400 (api code 2001): 验证码错误");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The envelope's `statusCode` (400, 403, 404, 429, 500, ...).
    pub status_code: i32,
    /// The envelope's `apiCode`, named when known.
    pub api_code: Option<ApiCode>,
    /// The envelope's `message`, in the language asked for with `x-authing-lang`.
    pub message: String,
    /// The envelope's `requestId`, for Authing support.
    pub request_id: Option<String>,
    /// How long to wait before trying again, when the server said so (a throttled send).
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// Builds an API error from the envelope's fields.
    ///
    /// ```
    /// use authing::ApiError;
    /// let error = ApiError::new(429, None, "too many requests", None);
    /// assert!(error.is_throttled());
    /// ```
    pub fn new(
        status_code: i32,
        api_code: Option<i32>,
        message: impl Into<String>,
        request_id: Option<String>,
    ) -> ApiError {
        ApiError {
            status_code,
            api_code: api_code.map(ApiCode::from_i32),
            message: message.into(),
            request_id,
            retry_after: None,
        }
    }

    /// Whether the server throttled the call (`statusCode` 429): a passcode was sent to
    /// the same target less than a minute ago, for instance. See [`ApiError::retry_after`].
    ///
    /// ```
    /// use authing::ApiError;
    /// assert!(!ApiError::new(400, Some(2001), "wrong code", None).is_throttled());
    /// ```
    pub fn is_throttled(&self) -> bool {
        self.status_code == 429
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "api error {}", self.status_code)?;
        if let Some(code) = self.api_code {
            write!(f, " (api code {})", code.as_i32())?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(wait) = self.retry_after {
            write!(f, " (retry after {} s)", wait.as_secs())?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Declares the named `apiCode`s: an associated const each, and the table behind
/// [`ApiCode::name`].
macro_rules! api_codes {
    ( $( $(#[$meta:meta])* $name:ident = $code:literal ),+ $(,)? ) => {
        impl ApiCode {
            $(
                $(#[$meta])*
                pub const $name: ApiCode = ApiCode($code);
            )+

            /// Every named code with its name, in the order of `docs/ERRORS.md`.
            const NAMED: &'static [(ApiCode, &'static str)] = &[$((ApiCode($code), stringify!($name))),+];
        }
    };
}

/// An Authing `apiCode`: the business error code of a failed call, a number with a name
/// where Authing publishes its meaning.
///
/// A newtype over the number on the wire, so a code the SDK has no name for keeps its
/// number and still compares equal to itself: `ApiCode(2001) == ApiCode::WRONG_VERIFY_CODE`.
/// Match on the named constants, keep a fallback arm for the rest.
///
/// The names cover Authing's v3 apiCode table (the error chapter of its v3 API reference)
/// except the AK/SK signature codes 1300 to 1306, which only the management API answers,
/// plus five codes of Authing's older v2 list that the recovery journey and the captcha
/// policy meet ([`CAPTCHA_REQUIRED`](Self::CAPTCHA_REQUIRED),
/// [`WRONG_VERIFY_CODE`](Self::WRONG_VERIFY_CODE),
/// [`INVALID_PHONE_OR_EMAIL`](Self::INVALID_PHONE_OR_EMAIL),
/// [`INCOMPLETE_PARAMETERS`](Self::INCOMPLETE_PARAMETERS),
/// [`VERIFY_CODE_EXPIRED`](Self::VERIFY_CODE_EXPIRED)). Which code the real v3 server
/// answers for a voided passcode or a spent reset token is not public: the bundled emulator
/// uses numbers of its own there, which have no name here. `docs/ERRORS.md` has the table
/// with sources.
///
/// `Debug` and `Display` print the name where known:
///
/// ```
/// use authing::ApiCode;
/// assert_eq!(ApiCode(2001), ApiCode::WRONG_VERIFY_CODE);
/// assert_eq!(ApiCode::from_i32(2004), ApiCode::USER_NOT_FOUND);
/// assert_eq!(ApiCode::USER_NOT_FOUND.as_i32(), 2004);
/// assert_eq!(format!("{:?}", ApiCode(2001)), "ApiCode::WRONG_VERIFY_CODE");
/// assert_eq!(ApiCode(2333).to_string(), "WRONG_ACCOUNT_OR_PASSWORD (2333)");
/// assert_eq!(format!("{:?}", ApiCode(4242)), "ApiCode(4242)");
/// assert_eq!(ApiCode(4242).to_string(), "4242");
/// assert_eq!(ApiCode(4242).name(), None);
///
/// let code = ApiCode(1636);
/// match code {
///     ApiCode::USER_MFA_REQUIRED | ApiCode::APP_MFA_REQUIRED => println!("ask for the second factor"),
///     ApiCode::WRONG_ACCOUNT_OR_PASSWORD => println!("check the account and password"),
///     other => println!("failed with api code {}", other.as_i32()),
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiCode(pub i32);

api_codes! {
    // Sign-in flow (Authing's v3 table).
    /// 1600: the post-authentication flow is complete and the session is set.
    POST_AUTH_FLOW_COMPLETED = 1600,
    /// 1635: sign-in needs the MFA the user bound in their personal center; `data` carries
    /// the `mfaToken`.
    USER_MFA_REQUIRED = 1635,
    /// 1636: sign-in needs the MFA the organisation configured for the app; `data` carries
    /// the `mfaToken`.
    APP_MFA_REQUIRED = 1636,
    /// 1639: first sign-in: the user must set a new password (the old one is not asked).
    FIRST_SIGN_IN_PASSWORD_RESET = 1639,
    /// 1640: a federated sign-in asks to bind the identity to an existing account.
    BIND_EXISTING_ACCOUNT = 1640,
    /// 1641: a federated sign-in asks to bind the identity to an existing account or to
    /// create a new one.
    BIND_OR_CREATE_ACCOUNT = 1641,
    /// 1642: the user must complete their sign-in information.
    COMPLETE_PROFILE = 1642,
    /// 1643: the user may unlock their account themselves.
    SELF_UNLOCK = 1643,
    /// 1699: the post-authentication flow ended early; go back to the sign-in screen.
    POST_AUTH_FLOW_ABORTED = 1699,
    // Face recognition (v3 table).
    /// 1700: no photo was uploaded for face recognition.
    FACE_PHOTO_MISSING = 1700,
    /// 1701: no photo was uploaded to compare the face with.
    FACE_COMPARE_PHOTO_MISSING = 1701,
    /// 1702: the face does not match.
    FACE_MISMATCH = 1702,
    /// 1703: a face cannot be bound without a phone number or email on the account.
    FACE_NEEDS_PHONE_OR_EMAIL = 1703,
    /// 1704: binding a face failed the phone check.
    FACE_BIND_PHONE_CHECK_FAILED = 1704,
    /// 1705: binding a face failed the email check.
    FACE_BIND_EMAIL_CHECK_FAILED = 1705,
    /// 1706: the face is already bound.
    FACE_ALREADY_BOUND = 1706,
    /// 1707: binding the face failed.
    FACE_BIND_FAILED = 1707,
    // Accounts and apps (v3 table, unless marked v2).
    /// 2000: a captcha is required (Authing's v2 list: "the account is abnormal, enter the
    /// captcha"; Authing's Guard shows its captcha on it): the sign-in carried no captcha,
    /// or a wrong one, where the login failure limit asks for one. See
    /// [`AuthResponse::is_captcha_required`](crate::AuthResponse::is_captcha_required).
    CAPTCHA_REQUIRED = 2000,
    /// 2001: the verification code is wrong (Authing's v2 list; the Android v3 SDK checks
    /// it too).
    WRONG_VERIFY_CODE = 2001,
    /// 2004: no such user.
    USER_NOT_FOUND = 2004,
    /// 2005: the user is locked.
    USER_LOCKED = 2005,
    /// 2006: the password is wrong.
    WRONG_PASSWORD = 2006,
    /// 2011: no such application (a wrong app id).
    APP_NOT_FOUND = 2011,
    /// 2020: not signed in; the call needs a user's access token.
    NOT_SIGNED_IN = 2020,
    /// 2028: give a valid phone number or email (Authing's v2 list).
    INVALID_PHONE_OR_EMAIL = 2028,
    /// 2031: the app does not allow sign-up.
    SIGN_UP_DISABLED = 2031,
    /// 2039: the app domain is taken.
    APP_DOMAIN_TAKEN = 2039,
    /// 2040: the user pool domain is taken.
    USER_POOL_DOMAIN_TAKEN = 2040,
    /// 2058: the user must change their password (the old one is asked).
    PASSWORD_RESET_REQUIRED = 2058,
    /// 2224: no such user pool.
    USER_POOL_NOT_FOUND = 2224,
    /// 2231: parameters are missing or malformed (Authing's v2 list).
    INCOMPLETE_PARAMETERS = 2231,
    /// 2300: the verification code has expired (Authing's v2 list).
    VERIFY_CODE_EXPIRED = 2300,
    /// 2333: wrong account or password.
    WRONG_ACCOUNT_OR_PASSWORD = 2333,
    /// 4021: a metering or billing error.
    BILLING_ERROR = 4021,
    // TOTP (v3 table).
    /// 6001: the TOTP code is wrong.
    WRONG_TOTP_CODE = 6001,
    /// 6002: the TOTP recovery code is wrong.
    WRONG_TOTP_RECOVERY_CODE = 6002,
    /// 6003: no TOTP code was given.
    TOTP_CODE_MISSING = 6003,
    /// 6004: no TOTP recovery code was given.
    TOTP_RECOVERY_CODE_MISSING = 6004,
    // Tenants and directories (v3 table).
    /// 2120008: the user is disabled or not a member of this tenant.
    USER_DISABLED_OR_NOT_IN_TENANT = 2_120_008,
    /// 2130010: the user may not sign in to this tenant.
    TENANT_SIGN_IN_FORBIDDEN = 2_130_010,
    /// 2820002: the LDAP connection is not valid.
    INVALID_LDAP_CONNECTION = 2_820_002,
}

impl ApiCode {
    /// The code for a number, named or not (the same as `ApiCode(code)`).
    ///
    /// ```
    /// assert_eq!(authing::ApiCode::from_i32(2001), authing::ApiCode::WRONG_VERIFY_CODE);
    /// ```
    pub const fn from_i32(code: i32) -> ApiCode {
        ApiCode(code)
    }

    /// The number on the wire.
    ///
    /// ```
    /// assert_eq!(authing::ApiCode::USER_NOT_FOUND.as_i32(), 2004);
    /// ```
    pub const fn as_i32(self) -> i32 {
        self.0
    }

    /// The name of the constant for this code, such as `"WRONG_VERIFY_CODE"`, or `None`
    /// for a code without one.
    ///
    /// ```
    /// use authing::ApiCode;
    /// assert_eq!(ApiCode(2006).name(), Some("WRONG_PASSWORD"));
    /// assert_eq!(ApiCode(1).name(), None);
    /// ```
    pub fn name(self) -> Option<&'static str> {
        ApiCode::NAMED
            .iter()
            .find(|(code, _)| *code == self)
            .map(|(_, name)| *name)
    }
}

impl fmt::Debug for ApiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "ApiCode::{name}"),
            None => write!(f, "ApiCode({})", self.0),
        }
    }
}

impl fmt::Display for ApiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name} ({})", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl From<i32> for ApiCode {
    fn from(code: i32) -> ApiCode {
        ApiCode(code)
    }
}

impl From<ApiCode> for i32 {
    fn from(code: ApiCode) -> i32 {
        code.0
    }
}

/// Input refused locally, before anything went on the wire.
///
/// Names the field (by its Rust setter's name) and the problem; never repeats the value,
/// which may be a secret. `Display` is English; the response's message gives the problem
/// in the client's language, keyed by the English `problem` (a problem the SDK has no
/// translation for, such as one of your own, stays English there).
///
/// ```
/// use authing::InputError;
/// let problem = InputError::new("pass_code", "is empty");
/// assert_eq!(problem.to_string(), "invalid input: pass_code is empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {field} {problem}")]
pub struct InputError {
    /// The field at fault, e.g. `"phone_number"`.
    pub field: &'static str,
    /// What is wrong with it, e.g. `"is empty"`.
    pub problem: String,
}

impl InputError {
    /// An input error for `field`.
    ///
    /// ```
    /// let e = authing::InputError::new("email", "is not an email address");
    /// assert_eq!(e.field, "email");
    /// ```
    pub fn new(field: &'static str, problem: impl Into<String>) -> InputError {
        InputError {
            field,
            problem: problem.into(),
        }
    }
}
