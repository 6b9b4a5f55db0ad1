//! The Authing endpoints: public config, system, send-sms, send-email,
//! verify-reset-password-request and reset-password.

use serde_json::{json, Map, Value};

use super::http::{Request, Response};
use super::i18n::{Lang, Msg};
use super::keys;
use super::random;
use super::server::Shared;
use super::state::{ResetError, SendError, Target, VerifyError};
use crate::model::PasswordEncryptType;

const APP_NOT_FOUND: u32 = 2011;
const USER_NOT_FOUND: u32 = 2004;
const WRONG_CODE: u32 = 2001;
const CODE_EXPIRED: u32 = 2300;
const TOO_MANY_ATTEMPTS: u32 = 2302;
const BAD_RESET_TOKEN: u32 = 2303;
const BAD_PASSWORD: u32 = 2304;
const BAD_TARGET: u32 = 2028;
const BAD_PARAMS: u32 = 2231;
/// A `password` that does not decrypt with the emulator's key: 400 with the parameter
/// error code, as for any malformed parameter (Authing documents no specific code).
const UNDECRYPTABLE: u32 = BAD_PARAMS;

/// One failure, ready for the envelope.
struct Failure {
    status: u16,
    api_code: Option<u32>,
    msg: Msg,
    data: Option<Value>,
    retry_after: Option<u64>,
}

impl Failure {
    fn new(status: u16, api_code: Option<u32>, msg: Msg) -> Failure {
        Failure {
            status,
            api_code,
            msg,
            data: None,
            retry_after: None,
        }
    }

    fn params(msg: Msg) -> Failure {
        Failure::new(400, Some(BAD_PARAMS), msg)
    }
}

type Outcome = Result<Option<Value>, Failure>;

fn envelope(
    lang: Lang,
    request_id: String,
    status: u16,
    api_code: Option<u32>,
    msg: &Msg,
    data: Option<Value>,
) -> Response {
    let mut body = Map::new();
    body.insert("statusCode".to_owned(), status.into());
    body.insert("message".to_owned(), msg.text(lang).into());
    if let Some(code) = api_code {
        body.insert("apiCode".to_owned(), code.into());
    }
    body.insert("requestId".to_owned(), request_id.into());
    if let Some(data) = data {
        body.insert("data".to_owned(), data);
    }
    Response::json(&Value::Object(body))
}

/// Answers one request to a non-admin path.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Response {
    let lang = Lang::from_header(request.header("x-authing-lang"));
    let reply = |outcome: Outcome| match outcome {
        Ok(data) => envelope(lang, shared.request_id(), 200, None, &Msg::Ok, data),
        Err(f) => {
            let mut r = envelope(
                lang,
                shared.request_id(),
                f.status,
                f.api_code,
                &f.msg,
                f.data,
            );
            r.retry_after = f.retry_after;
            r
        }
    };
    if request.too_large {
        let msg = Msg::TooLarge(shared.config.max_body_bytes);
        return reply(Err(Failure::new(413, None, msg)));
    }
    let path = request.path.as_str();
    let method = request.method.as_str();

    if let Some(app_id) = path
        .strip_prefix("/api/v2/applications/")
        .and_then(|rest| rest.strip_suffix("/public-config"))
        .filter(|id| !id.is_empty() && !id.contains('/'))
    {
        if method != "GET" {
            return reply(Err(Failure::new(405, None, Msg::MethodNotAllowed)));
        }
        return public_config(shared, request, app_id, lang);
    }
    if path == "/api/v3/system" {
        if method != "GET" {
            return reply(Err(Failure::new(405, None, Msg::MethodNotAllowed)));
        }
        return Response::json(&json!({
            "rsa": {"publicKey": keys::RSA_PUBLIC_KEY_PEM},
            "sm2": {"publicKey": keys::SM2_PUBLIC_KEY_HEX},
            "version": {"server": concat!("authing-emulator ", env!("CARGO_PKG_VERSION"))},
        }));
    }
    let handler: fn(&Shared, &Map<String, Value>) -> Outcome = match path {
        "/api/v3/send-sms" => send_sms,
        "/api/v3/send-email" => send_email,
        "/api/v3/verify-reset-password-request" => verify,
        "/api/v3/reset-password" => reset_password,
        _ => return reply(Err(Failure::new(404, None, Msg::UnknownPath))),
    };
    if method != "POST" {
        return reply(Err(Failure::new(405, None, Msg::MethodNotAllowed)));
    }
    let app_ok = request
        .header("x-authing-app-id")
        .is_some_and(|id| id.trim() == shared.config.app_id);
    if !app_ok {
        return reply(Err(Failure::new(
            404,
            Some(APP_NOT_FOUND),
            Msg::AppNotFound,
        )));
    }
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return reply(Err(Failure::params(Msg::NotObject))),
        Err(_) => return reply(Err(Failure::params(Msg::NotJson))),
    };
    reply(handler(shared, &body))
}

fn public_config(shared: &Shared, request: &Request, app_id: &str, lang: Lang) -> Response {
    if app_id != shared.config.app_id {
        return Response::json(&json!({
            "code": APP_NOT_FOUND,
            "message": Msg::AppNotFound.text(lang),
        }));
    }
    let host = request
        .header("host")
        .filter(|h| !h.is_empty())
        .map_or_else(|| shared.addr.to_string(), str::to_owned);
    Response::json(&json!({
        "code": 200,
        "message": "",
        "data": {
            "identifier": app_id,
            "requestHostname": host,
            "userPoolId": shared.config.user_pool_id,
            "id": app_id,
        },
    }))
}

/// A string field that may be left out (or sent as null).
fn opt_str<'a>(obj: &'a Map<String, Value>, key: &'static str) -> Result<Option<&'a str>, Failure> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Failure::params(Msg::WrongType(key))),
    }
}

/// A string field that must be present and not empty.
fn req_str<'a>(obj: &'a Map<String, Value>, key: &'static str) -> Result<&'a str, Failure> {
    match opt_str(obj, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(Failure::params(Msg::MissingField(key))),
    }
}

/// An object field that must be present.
fn req_obj<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
) -> Result<&'a Map<String, Value>, Failure> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(Failure::params(Msg::MissingField(key))),
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(Failure::params(Msg::WrongType(key))),
    }
}

fn bad_target() -> Failure {
    Failure::new(400, Some(BAD_TARGET), Msg::InvalidTarget)
}

fn phone_target(obj: &Map<String, Value>) -> Result<Target, Failure> {
    let number = req_str(obj, "phoneNumber")?;
    let cc = opt_str(obj, "phoneCountryCode")?;
    Target::phone(cc, number).ok_or_else(bad_target)
}

fn email_target(obj: &Map<String, Value>) -> Result<Target, Failure> {
    Target::email(req_str(obj, "email")?).ok_or_else(bad_target)
}

fn send_sms(shared: &Shared, body: &Map<String, Value>) -> Outcome {
    let channel = req_str(body, "channel")?;
    let target = phone_target(body)?;
    if !crate::SmsType::ALL.iter().any(|c| c.as_str() == channel) {
        return Err(Failure::params(Msg::UnknownChannel));
    }
    send(shared, channel, target)
}

fn send_email(shared: &Shared, body: &Map<String, Value>) -> Outcome {
    let channel = req_str(body, "channel")?;
    let target = email_target(body)?;
    if !crate::EmailType::ALL.iter().any(|c| c.as_str() == channel) {
        return Err(Failure::params(Msg::UnknownChannel));
    }
    send(shared, channel, target)
}

fn send(shared: &Shared, channel: &str, target: Target) -> Outcome {
    let code = random::digits(shared.config.code_length);
    let printed = shared.config.print_codes.then(|| target.display());
    let result = shared
        .state()
        .send_code(&shared.config, channel, target, code);
    match result {
        Ok(issued) => {
            if let Some(target) = printed {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "code: {channel} {target} {}", issued.code);
                let _ = out.flush();
            }
            Ok(None)
        }
        Err(SendError::UserNotFound) => {
            Err(Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound))
        }
        Err(SendError::Throttled(secs)) => Err(Failure {
            status: 429,
            api_code: None,
            msg: Msg::Throttled(secs),
            data: Some(json!({ "retryAfter": secs })),
            retry_after: Some(secs),
        }),
    }
}

fn verify(shared: &Shared, body: &Map<String, Value>) -> Outcome {
    let method = req_str(body, "verifyMethod")?;
    let (target, code) = match method {
        "PHONE_PASSCODE" => {
            let payload = req_obj(body, "phonePassCodePayload")?;
            let code = req_str(payload, "passCode")?;
            (phone_target(payload)?, code)
        }
        "EMAIL_PASSCODE" => {
            let payload = req_obj(body, "emailPassCodePayload")?;
            let code = req_str(payload, "passCode")?;
            (email_target(payload)?, code)
        }
        _ => return Err(Failure::params(Msg::UnknownVerifyMethod)),
    };
    let token = random::token();
    let result = shared
        .state()
        .verify(&shared.config, &target, code, token.clone());
    match result {
        Ok(expires_in) => Ok(Some(json!({
            "passwordResetToken": token,
            "tokenExpiresIn": expires_in,
        }))),
        Err(VerifyError::UserNotFound) => {
            Err(Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound))
        }
        Err(VerifyError::WrongCode) => Err(Failure::new(400, Some(WRONG_CODE), Msg::WrongCode)),
        Err(VerifyError::Expired) => Err(Failure::new(400, Some(CODE_EXPIRED), Msg::CodeExpired)),
        Err(VerifyError::TooManyAttempts) => Err(Failure::new(
            400,
            Some(TOO_MANY_ATTEMPTS),
            Msg::TooManyAttempts,
        )),
    }
}

fn reset_password(shared: &Shared, body: &Map<String, Value>) -> Outcome {
    let token = req_str(body, "passwordResetToken")?;
    let password =
        opt_str(body, "password")?.ok_or_else(|| Failure::params(Msg::MissingField("password")))?;
    let kind = match opt_str(body, "passwordEncryptType")? {
        None => PasswordEncryptType::none,
        Some(t) if t.eq_ignore_ascii_case("none") => PasswordEncryptType::none,
        Some(t) if t.eq_ignore_ascii_case("rsa") => PasswordEncryptType::rsa,
        Some(t) if t.eq_ignore_ascii_case("sm2") => PasswordEncryptType::sm2,
        Some(_) => return Err(Failure::params(Msg::UnknownEncryptType)),
    };
    // Decrypted before the token is looked at: a password that does not decrypt leaves
    // the token unspent. The policy below applies to the decrypted password.
    let password = keys::decrypt(kind, password)
        .ok_or_else(|| Failure::new(400, Some(UNDECRYPTABLE), Msg::Undecryptable(kind.as_str())))?;
    let result = shared
        .state()
        .reset_password(&shared.config, token, &password);
    match result {
        Ok(()) => Ok(Some(json!({ "success": true }))),
        Err(ResetError::BadToken) => {
            Err(Failure::new(400, Some(BAD_RESET_TOKEN), Msg::BadResetToken))
        }
        Err(ResetError::BadPassword) => Err(Failure::new(
            400,
            Some(BAD_PASSWORD),
            Msg::BadPassword {
                min: shared.config.password_min,
                max: shared.config.password_max,
            },
        )),
    }
}
