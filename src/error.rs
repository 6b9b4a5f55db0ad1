//! The typed view of a failed call: [`AuthError`], [`ApiError`], [`ApiCode`], [`InputError`].

use std::fmt;
use std::time::Duration;

/// Why a call did not succeed: the typed view of an [`AuthResponse`](crate::AuthResponse).
///
/// Every failed response carries one (see [`AuthResponse::error`](crate::AuthResponse::error)),
/// and [`AuthResponse::into_result`](crate::AuthResponse::into_result) hands it out.
/// Messages are lowercase and never contain a pass code, password, reset token or access
/// token. Each variant also has a numeric status code for ported Java code; see
/// [`AuthError::status_code`].
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
    },
    /// No connection could be made or it broke mid-way (status code 10001).
    #[error("connection failed: {reason}")]
    Connection {
        /// What went wrong, as reported by the operating system or the HTTP client.
        reason: String,
    },
    /// The server answered, but the body could not be read as the expected JSON
    /// (status code 10001, as Android reports an unreadable body).
    #[error("unreadable response body: {reason}")]
    UnreadableBody {
        /// What was wrong with the body.
        reason: String,
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
    /// A defect inside the SDK (status code 10013); please report it.
    #[error("internal error: {0}")]
    Internal(String),
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
        }
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
    /// assert!(AuthError::Timeout { phase: "overall".into() }.is_transient());
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

/// A business error answered by the Authing server in its JSON envelope.
///
/// ```
/// use authing::{ApiCode, ApiError};
/// let error = ApiError::new(400, Some(2001), "验证码错误", Some("req-1".into()));
/// assert_eq!(error.api_code, Some(ApiCode::WrongVerifyCode));
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

/// Authing's `apiCode`s, named where their meaning is known; any other keeps its number.
///
/// The codes marked *emulator convention* are not in Authing's public lists; the bundled
/// emulator uses them, and a real server may answer the same situation with another code
/// (which then arrives as [`ApiCode::Other`]). See `docs/ERRORS.md`.
///
/// ```
/// use authing::ApiCode;
/// assert_eq!(ApiCode::from_i32(2300), ApiCode::VerifyCodeExpired);
/// assert_eq!(ApiCode::from_i32(4242), ApiCode::Other(4242));
/// assert_eq!(ApiCode::Other(4242).as_i32(), 4242);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiCode {
    /// 2001: the verification code is wrong.
    WrongVerifyCode,
    /// 2004: no such user.
    UserNotFound,
    /// 2005: the user is locked.
    UserLocked,
    /// 2011: no such application (a wrong app id).
    AppNotFound,
    /// 2028: give a valid phone number or email.
    InvalidPhoneOrEmail,
    /// 2231: parameters are missing or malformed.
    IncompleteParameters,
    /// 2300: the verification code has expired.
    VerifyCodeExpired,
    /// 2302: too many wrong attempts voided the code; send a new one (emulator convention).
    TooManyAttempts,
    /// 2303: the password reset token is unknown, used or expired (emulator convention).
    ResetTokenInvalid,
    /// 2304: the new password does not meet the password policy (emulator convention).
    PasswordPolicy,
    /// 2333: wrong account or password.
    WrongAccountOrPassword,
    /// Any other code, with its number.
    Other(i32),
}

impl ApiCode {
    const TABLE: [(ApiCode, i32); 11] = [
        (ApiCode::WrongVerifyCode, 2001),
        (ApiCode::UserNotFound, 2004),
        (ApiCode::UserLocked, 2005),
        (ApiCode::AppNotFound, 2011),
        (ApiCode::InvalidPhoneOrEmail, 2028),
        (ApiCode::IncompleteParameters, 2231),
        (ApiCode::VerifyCodeExpired, 2300),
        (ApiCode::TooManyAttempts, 2302),
        (ApiCode::ResetTokenInvalid, 2303),
        (ApiCode::PasswordPolicy, 2304),
        (ApiCode::WrongAccountOrPassword, 2333),
    ];

    /// The named code for a number, or [`ApiCode::Other`].
    ///
    /// ```
    /// assert_eq!(authing::ApiCode::from_i32(2001), authing::ApiCode::WrongVerifyCode);
    /// ```
    pub fn from_i32(code: i32) -> ApiCode {
        ApiCode::TABLE
            .iter()
            .find(|(_, n)| *n == code)
            .map(|(c, _)| *c)
            .unwrap_or(ApiCode::Other(code))
    }

    /// The number on the wire.
    ///
    /// ```
    /// assert_eq!(authing::ApiCode::UserNotFound.as_i32(), 2004);
    /// ```
    pub fn as_i32(self) -> i32 {
        match self {
            ApiCode::Other(n) => n,
            named => ApiCode::TABLE
                .iter()
                .find(|(c, _)| *c == named)
                .map(|(_, n)| *n)
                .unwrap_or_default(),
        }
    }
}

/// Input refused locally, before anything went on the wire.
///
/// Names the field (by its Rust setter's name) and the problem; never repeats the value,
/// which may be a secret.
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
