//! [`AuthResponse`]: what every call answers, with the Android SDK's fields.
//! Its typed views of `data` ([`AuthResponse::reset_password_data`],
//! [`AuthResponse::user_info`], ...) live with their types in each family's
//! `model/<family>.rs`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::config::Lang;
use crate::error::{ApiError, AuthError};
use crate::model::page::Paging;
use crate::redact::RedactedJson;

/// The status codes an [`AuthResponse`] can carry besides the server's own.
///
/// The first three are the Android SDK's local codes, kept so that ported checks such as
/// `if (response.getStatusCode() == 10001)` keep working. The rest are this crate's own
/// (our choice, documented in `docs/ERRORS.md`); the typed [`AuthError`] tells the precise
/// cause in every case.
///
/// ```
/// assert_eq!(authing::codes::NETWORK_ERROR, 10001);
/// ```
pub mod codes {
    /// 200: success.
    pub const OK: i32 = 200;
    /// 10001: network error: connection failed, time-out, unreadable or oversized body
    /// (Android: "Network error").
    pub const NETWORK_ERROR: i32 = 10001;
    /// 10002: the client is not configured (no app id or host), or app discovery failed
    /// (Android: "Config not found").
    pub const CONFIG_NOT_FOUND: i32 = 10002;
    /// 10004: a 200 answer lacks the data the call needs (Android: "JSON parse failed").
    pub const JSON_PARSE_FAILED: i32 = 10004;
    /// 10010: input refused locally before anything was sent.
    pub const INVALID_INPUT: i32 = 10010;
    /// 10011: the call was cancelled through its `RequestHandle`.
    pub const CANCELLED: i32 = 10011;
    /// 10012: the dispatcher's queue was full.
    pub const REJECTED: i32 = 10012;
    /// 10013: a defect inside the SDK.
    pub const INTERNAL: i32 = 10013;
    /// 10014: the new password could not be encrypted as asked; it was not sent.
    pub const ENCRYPTION_FAILED: i32 = 10014;
    /// 10015: the call needs a signed-in user and there is none: nobody signed in, or the
    /// session expired without a refresh token, or the server refused its refresh token.
    /// The call was not sent (or, after a 401 for a token this machine thought valid, not
    /// sent again); sign in again.
    pub const NOT_SIGNED_IN: i32 = 10015;
    /// 10016: the client's token store could not read, write or remove the session (an
    /// unreadable, corrupt or foreign session file, say); the message names the file.
    pub const TOKEN_STORE_FAILED: i32 = 10016;
    /// 10017: an `mfa_verify_by_*` call found no second-factor challenge to complete: no
    /// sign-in asked for one, it was completed, a later sign-in or sign-out ended it, or
    /// the server said its `mfaToken` expired. Nothing was sent; sign in again.
    pub const MFA_CHALLENGE_MISSING: i32 = 10017;
    /// 10018: a QR-code sign-in ended without the user's authorization: the code was
    /// cancelled on the phone, expired, or the server reported an error for it (or never
    /// gave a final status within the flow's timeout).
    pub const QR_CODE_NOT_AUTHORIZED: i32 = 10018;
    /// 10019: an OpenID Connect sign-in failed on this side: an id_token that does not
    /// verify, a refused consent, no answer from the browser in time, or a cargo feature
    /// that is off ([`OidcError`](crate::OidcError)).
    pub const OIDC_FAILED: i32 = 10019;
    /// 10020: a push sign-in ended without the user's approval: the push was refused on
    /// the phone, expired, or the server reported an error for it (or never gave a final
    /// status within the flow's timeout).
    pub const PUSH_NOT_AUTHORIZED: i32 = 10020;
    /// 10021: a passkey flow failed on this side: the [`Authenticator`](crate::passkey::Authenticator)
    /// gave nothing (the user cancelled, no credential fits, a device error), or the server
    /// answered a verification without verifying it. Nothing more was sent.
    pub const PASSKEY_FAILED: i32 = 10021;
}

/// The answer to every call, with the fields of the Android SDK's `AuthResponse`
/// (`getStatusCode()` is [`status_code`](AuthResponse::status_code) and so on), and a typed
/// view for Rust: [`is_success`](AuthResponse::is_success), [`error`](AuthResponse::error),
/// [`into_result`](AuthResponse::into_result).
///
/// - On a JSON answer, the fields come from the server's envelope; `api_code` is 0 when
///   the server sent none, as in Java.
/// - On an HTTP status other than 2xx, `status_code` is that status and `message` the raw
///   body, as in the Android SDK.
/// - On a local failure, `status_code` is one of [`codes`] and `message` the description
///   of the [`AuthError`] in the client's [`Lang`](crate::Lang), as the server's messages
///   are (see [`message`](AuthResponse::message)).
///
/// `Debug` output hides secrets found in `data` (reset tokens, passwords, access tokens).
///
/// ```
/// use authing::{AuthClient, ResetPasswordPayload, ResetPasswordVerifyMethod, codes};
///
/// let client = AuthClient::builder()
///     .app_id("app")
///     .app_host("http://127.0.0.1:9")
///     .lang(authing::Lang::EnUs)
///     .build()
///     .unwrap();
/// let mut payload = ResetPasswordPayload::new();
/// payload.set_phone_number("18812345678"); // no pass code: refused before sending
/// let response = client.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload);
/// assert_eq!(response.status_code(), codes::INVALID_INPUT);
/// assert_eq!(response.message(), "invalid input: pass_code is missing");
/// assert!(!response.is_success());
/// ```
#[derive(Clone)]
pub struct AuthResponse {
    pub(crate) status_code: i32,
    pub(crate) message: String,
    pub(crate) api_code: i32,
    pub(crate) request_id: Option<String>,
    pub(crate) data: Option<Value>,
    pub(crate) error: Option<AuthError>,
    pub(crate) received_at: Instant,
    /// `Retry-After` (header, or the emulator's `data.retryAfter`), on any status.
    pub(crate) retry_after: Option<Duration>,
    /// The page a paged call asked for (`get_login_history`, `get_department_list`).
    pub(crate) paging: Option<Paging>,
    /// A body that is not JSON, kept whole: the image of `get_captcha_code`.
    pub(crate) raw: Option<Arc<RawBody>>,
}

/// A 2xx body that is not JSON (an image), with what came with it.
pub(crate) struct RawBody {
    pub(crate) bytes: Vec<u8>,
    /// The `content-type` header, as sent.
    pub(crate) content_type: String,
    /// The `name=value` of each `set-cookie` header (attributes left out).
    pub(crate) cookies: Vec<String>,
}

impl AuthResponse {
    /// A response for a local failure (nothing, or nothing usable, came from the server).
    pub(crate) fn from_error(error: AuthError) -> AuthResponse {
        let (status_code, api_code, request_id) = match &error {
            AuthError::Api(api) => (
                api.status_code,
                api.api_code.map_or(0, |c| c.as_i32()),
                api.request_id.clone(),
            ),
            other => (other.status_code(), 0, None),
        };
        // The server's message as it sent it; the SDK's own in the language of the call
        // running on this thread (its client's, see `i18n`).
        let message = crate::i18n::describe(&error, crate::i18n::call_lang());
        AuthResponse {
            status_code,
            message,
            api_code,
            request_id,
            retry_after: error.api().and_then(|api| api.retry_after),
            data: None,
            error: Some(error),
            received_at: Instant::now(),
            paging: None,
            raw: None,
        }
    }

    /// This response with the SDK's own message in `lang`: a local failure's message is
    /// described again from its error; the server's words (its envelope's message, the raw
    /// body of a non-2xx answer) and a success are left as they are.
    pub(crate) fn in_lang(mut self, lang: Lang) -> AuthResponse {
        match &self.error {
            None | Some(AuthError::Api(_)) | Some(AuthError::HttpStatus { .. }) => {}
            Some(local) => self.message = crate::i18n::describe(local, lang),
        }
        self
    }

    /// `getStatusCode()`: 200 on success; the server's `statusCode`, the HTTP status, or a
    /// local code from [`codes`] otherwise.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// if response.status_code() == 200 { /* success */ }
    /// ```
    pub fn status_code(&self) -> i32 {
        self.status_code
    }

    /// `getMessage()`: the server's message, the raw body of a non-2xx HTTP answer, or the
    /// description of a local failure (status codes 10001 to 10019), for people to read.
    ///
    /// It is in the client's [`Lang`](crate::Lang) (`zh-CN` unless set otherwise with
    /// [`Authing::set_lang`](crate::Authing::set_lang), the builder's
    /// [`lang`](crate::AuthClientBuilder::lang) or `AUTHING_LANG`): the server answers in
    /// the language the client asks for in `x-authing-lang`, and the SDK describes its own
    /// failures in the same one. Field names (`pass_code`) and details the SDK has no
    /// translation for (an operating system's error text) stay as they are.
    ///
    /// For code, match on [`status_code`](Self::status_code), [`api_code`](Self::api_code)
    /// or [`error`](Self::error): the typed error's `Display` is English whatever the
    /// language, and stays stable.
    ///
    /// ```
    /// use authing::{AuthClient, Lang, ResetPasswordPayload, ResetPasswordVerifyMethod};
    ///
    /// for (lang, message) in [
    ///     (Lang::ZhCn, "参数错误：缺少 pass_code"),
    ///     (Lang::EnUs, "invalid input: pass_code is missing"),
    /// ] {
    ///     let client = AuthClient::builder()
    ///         .app_id("app")
    ///         .app_host("http://127.0.0.1:9")
    ///         .lang(lang)
    ///         .build()
    ///         .unwrap();
    ///     let mut payload = ResetPasswordPayload::new();
    ///     payload.set_email("someone@example.com"); // no pass code: refused before sending
    ///     let response =
    ///         client.reset_password_request_blocking(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload);
    ///     assert_eq!(response.message(), message);
    ///     let error = response.error().unwrap();
    ///     assert_eq!(error.to_string(), "invalid input: pass_code is missing");
    /// }
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `getApiCode()`: the server's business `apiCode`, 0 when it sent none (as in Java).
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// if response.api_code() == 2001 { println!("wrong code, try again"); }
    /// ```
    pub fn api_code(&self) -> i32 {
        self.api_code
    }

    /// `getRequestId()`: the server's `requestId`, when it sent one.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// assert!(response.request_id().is_none()); // a local failure has none
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// `getData()`: the envelope's `data`, when present and not `null`.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// if let Some(data) = response.data() { println!("{}", data["tokenExpiresIn"]); }
    /// ```
    pub fn data(&self) -> Option<&Value> {
        self.data.as_ref()
    }

    /// Whether the call succeeded: the server answered `statusCode` 200.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// assert!(!response.is_success());
    /// ```
    pub fn is_success(&self) -> bool {
        self.error.is_none()
    }

    /// The typed cause of a failure; `None` on success.
    ///
    /// ```
    /// use authing::AuthError;
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// assert!(matches!(response.error(), Some(AuthError::Config(_))));
    /// ```
    pub fn error(&self) -> Option<&AuthError> {
        self.error.as_ref()
    }

    /// The response on success, the typed error otherwise, for `?`.
    ///
    /// ```
    /// # fn demo(client: &authing::AuthClient) -> Result<(), authing::AuthError> {
    /// use authing::{ResetPasswordPayload, ResetPasswordVerifyMethod};
    /// let mut payload = ResetPasswordPayload::new();
    /// payload.set_email("someone@example.com").set_pass_code("123456");
    /// let ok = client
    ///     .reset_password_request_blocking(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload)
    ///     .into_result()?;
    /// println!("token lasts {} s", ok.reset_password_data()?.token_expires_in());
    /// # Ok(()) }
    /// ```
    pub fn into_result(self) -> Result<AuthResponse, AuthError> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }

    /// How long the server asked to wait before trying again, when it said so: the
    /// `Retry-After` header on any HTTP status (delta-seconds or an HTTP-date; a throttled
    /// call answers HTTP 429 with it), or the emulator's `data.retryAfter`.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// if let Some(wait) = response.retry_after() { println!("wait {} s", wait.as_secs()); }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// When the answer arrived (the local clock), the start of the reset token's lifetime.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// assert!(response.received_at() <= std::time::Instant::now());
    /// ```
    pub fn received_at(&self) -> Instant {
        self.received_at
    }

    /// The envelope's `data` decoded into your own type.
    ///
    /// Fails with [`AuthError::UnexpectedResponse`] when there is no `data` or it has
    /// another shape, and with the response's own error when the call failed.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Expiry { token_expires_in: u64 }
    /// # let response = authing::AuthClient::builder().build().unwrap()
    /// #     .reset_password_request_blocking(authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE, authing::ResetPasswordPayload::new());
    /// let expiry: Result<Expiry, _> = response.data_as();
    /// assert!(expiry.is_err());
    /// ```
    pub fn data_as<T: DeserializeOwned>(&self) -> Result<T, AuthError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "the answer has no data".into(),
            })?;
        // serde's message may quote a value (a token): name the expected type instead.
        T::deserialize(data).map_err(|_| AuthError::UnexpectedResponse {
            reason: format!(
                "data does not have the shape of {}",
                std::any::type_name::<T>()
            ),
        })
    }
}

impl fmt::Debug for AuthResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The raw body of a non-2xx answer may echo the request (a proxy's error page):
        // show a JSON one with its secrets hidden, and only the size of anything else.
        let raw_json;
        let message: &dyn fmt::Debug = match &self.error {
            Some(AuthError::HttpStatus { .. }) => {
                match serde_json::from_str::<Value>(&self.message) {
                    Ok(json) => {
                        raw_json = json;
                        &RedactedJson(&raw_json)
                    }
                    Err(_) => &format_args!("<{} bytes of body>", self.message.len()),
                }
            }
            _ => &self.message,
        };
        let mut out = f.debug_struct("AuthResponse");
        out.field("status_code", &self.status_code)
            .field("message", message)
            .field("api_code", &self.api_code)
            .field("request_id", &self.request_id)
            .field("data", &self.data.as_ref().map(RedactedJson));
        // A body that is not JSON (an image): its size and type only.
        if let Some(raw) = &self.raw {
            let shown = format!("<{} bytes of {}>", raw.bytes.len(), raw.content_type);
            out.field("body", &format_args!("{shown}"));
        }
        out.field("error", &self.error).finish()
    }
}

/// Reads an envelope's integer field as leniently as the Android SDK (org.json's `getInt`)
/// does: a JSON integer, a whole-valued float (`2001.0`), or a string holding one
/// (`"2001"`, Authing's v2 answers send `apiCode` so). Unlike `getInt`, a fraction is not
/// truncated (`200.5` is not a 200): anything that is not a whole `i32` is `None`.
pub(crate) fn lenient_i32(value: &Value) -> Option<i32> {
    let number = match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(whole))
        }
        _ => None,
    }?;
    i32::try_from(number).ok()
}

/// `f` as an integer when it is a finite whole number within `i64`.
fn whole(f: f64) -> Option<i64> {
    // 2^63 as f64 is exact; anything at or beyond it does not fit.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < LIMIT).then_some(f as i64)
}

/// The longest wait a server's `Retry-After` header or an envelope's `retryAfter` is read
/// as: one day. A server asking for more is taken to ask for a day, so that
/// `Instant::now() + wait` in the caller's code cannot overflow, whatever the server sent.
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(86_400);

/// `wait` capped at [`MAX_WAIT`].
pub(crate) fn clamped_wait(wait: Duration) -> Duration {
    wait.min(MAX_WAIT)
}

/// Builds the response of an HTTP-200 JSON envelope, or of a non-envelope answer.
pub(crate) fn from_envelope(
    body: Value,
    retry_after_header: Option<Duration>,
) -> Result<AuthResponse, AuthError> {
    let Value::Object(mut map) = body else {
        return Err(AuthError::UnreadableBody {
            reason: "the body is json but not an object".into(),
            source: None,
        });
    };
    let status_code =
        map.get("statusCode")
            .and_then(lenient_i32)
            .ok_or_else(|| AuthError::UnreadableBody {
                reason: "the body has no integer statusCode".into(),
                source: None,
            })?;
    let message = match map.remove("message") {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    // An apiCode that is not a whole number is dropped (0, as on Android), not an error:
    // the statusCode alone decides success.
    let api_code = map.get("apiCode").and_then(lenient_i32);
    let request_id = match map.remove("requestId") {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let data = match map.remove("data") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v),
    };
    let retry_after_header = data
        .as_ref()
        .and_then(|d| d.get("retryAfter"))
        .and_then(Value::as_u64)
        .map(|seconds| clamped_wait(Duration::from_secs(seconds)))
        .or(retry_after_header);
    let error = (status_code != 200).then(|| {
        let retry_after = retry_after_header;
        let mut api = ApiError::new(status_code, api_code, message.clone(), request_id.clone());
        api.retry_after = retry_after;
        AuthError::Api(api)
    });
    Ok(AuthResponse {
        status_code,
        message,
        api_code: api_code.unwrap_or(0),
        request_id,
        // Android hands `data` to the callback on success only; we keep it on errors too
        // (a throttled send carries `retryAfter` there): nothing received is dropped.
        data,
        error,
        received_at: Instant::now(),
        retry_after: retry_after_header,
        paging: None,
        raw: None,
    })
}

/// A successful response built from a body without the envelope (`GET /api/v3/system`).
pub(crate) fn from_plain_json(body: Value) -> AuthResponse {
    AuthResponse {
        status_code: codes::OK,
        message: String::new(),
        api_code: 0,
        request_id: None,
        data: Some(body),
        error: None,
        received_at: Instant::now(),
        retry_after: None,
        paging: None,
        raw: None,
    }
}

/// A successful response carrying a body that is not JSON (`GET /api/v3/captcha-code`'s
/// image): no `data`, the body in [`AuthResponse::raw`].
pub(crate) fn from_raw_body(body: RawBody) -> AuthResponse {
    let mut response = from_plain_json(Value::Null);
    response.data = None;
    response.raw = Some(Arc::new(body));
    response
}

/// The response to a non-2xx HTTP answer: status = HTTP status, message = raw body.
pub(crate) fn from_http_status(status: u16, body: String) -> AuthResponse {
    let mut response = AuthResponse::from_error(AuthError::HttpStatus { status });
    response.message = body;
    response
}

/// The response to a non-2xx HTTP answer whose body is Authing's v3 envelope with an error
/// `statusCode` (`{"statusCode":429,"message":"..."}`), or `None` for any other body.
pub(crate) fn from_error_envelope(
    body: &[u8],
    retry_after: Option<Duration>,
) -> Option<AuthResponse> {
    let json: Value = serde_json::from_slice(body).ok()?;
    let code = json.get("statusCode").and_then(lenient_i32)?;
    if code == codes::OK || !(100..1000).contains(&code) {
        // A "success" envelope under an error status is not believed: the status wins.
        return None;
    }
    from_envelope(json, retry_after).ok()
}
