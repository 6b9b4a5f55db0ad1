//! The account-recovery family: public config, system, send-sms, send-email,
//! verify-reset-password-request and reset-password.

use serde_json::{json, Map, Value};

use crate::core::codes::{
    APP_NOT_FOUND, BAD_PARAMS, BAD_PASSWORD, CODE_EXPIRED, TOO_MANY_ATTEMPTS, USER_NOT_FOUND,
    WRONG_CODE,
};
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{email_target, opt_str, phone_target, req_obj, req_str};
use crate::core::keys;
use crate::core::msg::{Lang, Msg};
use crate::core::password_decrypt::{self as password, Encryption};
use crate::core::random;
use crate::core::state::{ResetError, SendError, VerifyError};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::ThrottleReply;
use codes::BAD_RESET_TOKEN;

/// A `password` that does not decrypt with the emulator's key: 400 with the parameter
/// error code, as for any malformed parameter (Authing documents no specific code).
const UNDECRYPTABLE: u32 = BAD_PARAMS;

/// The recovery family's own apiCode: 2303 is **the emulator's own**, Authing publishes
/// no code for a bad reset token (docs/EMULATOR.md).
pub(crate) mod codes {
    /// The emulator's own: the reset token is unknown, used or expired.
    pub(crate) const BAD_RESET_TOKEN: u32 = 2303;
}

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let post = |handler| Route {
        method: "POST",
        endpoint: Endpoint::Envelope(handler),
    };
    let get = |handler| Route {
        method: "GET",
        endpoint: Endpoint::Raw(handler),
    };
    match path {
        "/api/v3/system" => Some(get(system)),
        "/api/v3/send-sms" => Some(post(send_sms)),
        "/api/v3/send-email" => Some(post(send_email)),
        "/api/v3/verify-reset-password-request" => Some(post(verify)),
        "/api/v3/reset-password" => Some(post(reset_password)),
        _ => public_config_app_id(path).map(|_| get(public_config)),
    }
}

/// The app id of a `/api/v2/applications/{appId}/public-config` path.
fn public_config_app_id(path: &str) -> Option<&str> {
    path.strip_prefix("/api/v2/applications/")
        .and_then(|rest| rest.strip_suffix("/public-config"))
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

fn public_config(shared: &Shared, request: &Request, lang: Lang) -> Response {
    let app_id = public_config_app_id(&request.path).unwrap_or_default();
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
    // The social connections of mobile social sign-in (`families/social/state.rs`), as Android's
    // `Config.java` reads them.
    let ec_connections = shared.state().families.social.public_config_json();
    Response::json(&json!({
        "code": 200,
        "message": "",
        "data": {
            "identifier": app_id,
            "requestHostname": host,
            "userPoolId": shared.config.user_pool_id,
            "id": app_id,
            "ecConnections": ec_connections,
        },
    }))
}

/// `SystemInfoResp`, without the envelope: both public keys, the versions of the three
/// services Authing names (all three are the emulator's own version here), and
/// `publicIps`, the addresses Authing's servers call out from (the emulator calls nothing
/// out, so it names the address it listens on: loopback when bound to all addresses).
fn system(shared: &Shared, _request: &Request, _lang: Lang) -> Response {
    const VERSION: &str = concat!("authing-emulator ", env!("CARGO_PKG_VERSION"));
    let ip = match shared.addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    Response::json(&json!({
        "rsa": {"publicKey": keys::RSA_PUBLIC_KEY_PEM},
        "sm2": {"publicKey": keys::SM2_PUBLIC_KEY_HEX},
        "version": {"server": VERSION, "console": VERSION, "login": VERSION},
        "publicIps": [ip.to_string()],
    }))
}

fn send_sms(shared: &Shared, body: &Map<String, Value>) -> Outcome {
    let channel = req_str(body, "channel")?;
    let target = phone_target(body)?;
    if !crate::core::vocab::SMS_CHANNELS.contains(&channel) {
        return Err(Failure::params(Msg::UnknownChannel));
    }
    send(shared, channel, target)
}

fn send_email(shared: &Shared, body: &Map<String, Value>) -> Outcome {
    let channel = req_str(body, "channel")?;
    let target = email_target(body)?;
    if !crate::core::vocab::EMAIL_CHANNELS.contains(&channel) {
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
        Err(SendError::Throttled(secs)) => {
            let mut f = match shared.config.throttle_reply {
                ThrottleReply::Envelope200 => {
                    let mut f = Failure::new(429, None, Msg::Throttled(secs));
                    f.data = Some(json!({ "retryAfter": secs }));
                    f
                }
                ThrottleReply::Http429 => {
                    let mut f = Failure::new(429, None, Msg::RateLimited);
                    f.http_status = 429;
                    f.bare = true;
                    f
                }
            };
            f.headers.push(("Retry-After", secs.to_string()));
            Err(f)
        }
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
    let kind = Encryption::parse(opt_str(body, "passwordEncryptType")?)
        .ok_or_else(|| Failure::params(Msg::UnknownEncryptType))?;
    // Decrypted before the token is looked at: a password that does not decrypt leaves
    // the token unspent. The policy below applies to the decrypted password.
    let (password, form) = password::open(kind, password)
        .ok_or_else(|| Failure::new(400, Some(UNDECRYPTABLE), Msg::Undecryptable(kind.as_str())))?;
    let result = shared
        .state()
        .reset_password(&shared.config, token, &password, form);
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
