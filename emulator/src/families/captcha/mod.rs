//! The captcha family: the graphic captcha of the sign-in policy and the pass-code
//! pre-check.
//!
//! - `GET /api/v3/captcha-code` draws a captcha: an `image/svg+xml` answer (as the spec
//!   says), with an HttpOnly cookie `authing_captcha=<id>` naming it. The real server ties
//!   its captcha to a cookie too (Authing's Guard fetches the image with credentials and
//!   keeps image and request pairs in order because "captcha images replace a shared
//!   HttpOnly cookie"); the cookie's name is **the emulator's own**.
//! - `POST /api/v3/signin` passes through [`gate`] first: when the policy asks for a
//!   captcha (always, or after N failed sign-ins from the client's address), the sign-in
//!   must carry `options.captchaCode`, the answer to the captcha its `authing_captcha`
//!   cookie names; each captcha is tried once. A missing or wrong captcha answers
//!   statusCode 400 with apiCode 2000 (Authing's v2 list: "账号异常，需要输入验证码";
//!   Guard's `INPUT_CAPTCHACODE`). [`record`] counts the sign-in's outcome afterwards.
//! - `POST /api/v3/pre-check-code` checks an SMS or email pass code without spending it.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::codes::{
    APP_NOT_FOUND, CODE_EXPIRED, TOO_MANY_ATTEMPTS, USER_LOCKED, USER_NOT_FOUND,
    WRONG_ACCOUNT_OR_PASSWORD, WRONG_CODE, WRONG_PASSWORD,
};
use crate::core::contact::Target;
use crate::core::envelope::{envelope, Endpoint, Failure, Outcome, Route};
use crate::core::fields::{bad_target, opt_obj, opt_str, opt_text, req_obj, req_str};
use crate::core::msg::{Lang, Localized, Msg};
use crate::core::state::VerifyError;
use crate::families::captcha::msg::CaptchaMsg;
use crate::families::captcha::state::{svg, Refusal, CAPTCHA_TTL};
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The apiCode of a sign-in whose captcha is missing or wrong (Authing's v2 list).
pub(crate) const CAPTCHA_REQUIRED: u32 = 2000;

/// The cookie that names a client's captcha **(the emulator's own name)**.
pub(crate) const COOKIE: &str = "authing_captcha";

/// The address a sign-in is counted under when it names none.
const LOOPBACK: &str = "127.0.0.1";

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        "/api/v3/captcha-code" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Raw(captcha_code),
        }),
        "/api/v3/pre-check-code" => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(pre_check_code),
        }),
        _ => None,
    }
}

/// `GET /api/v3/captcha-code`: the image, and the cookie that names its captcha. The
/// query's `r` (against a browser's cache) is ignored.
fn captcha_code(shared: &Shared, request: &Request, lang: Lang) -> Response {
    let app_ok = request
        .header("x-authing-app-id")
        .is_some_and(|id| id.trim() == shared.config.app_id);
    if !app_ok {
        return envelope(
            lang,
            shared.request_id(),
            404,
            Some(APP_NOT_FOUND),
            &Msg::AppNotFound,
            None,
        );
    }
    let captcha = {
        let mut state = shared.state();
        let now = state.now();
        state.families.captcha.issue(now)
    };
    if shared.config.print_codes {
        println!("captcha: {} {}", captcha.id, captcha.answer);
    }
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
        captcha.id,
        CAPTCHA_TTL.as_secs()
    );
    Response {
        status: 200,
        content_type: "image/svg+xml",
        body: svg(&captcha.answer).into_bytes(),
        headers: Vec::new(),
    }
    .header("Set-Cookie", cookie)
    .header("Cache-Control", "no-store")
}

/// The captcha id of the request's `authing_captcha` cookie, if any.
fn cookie_id(request: &Request) -> Option<&str> {
    request
        .header("cookie")?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The client address a sign-in is counted under: `options.clientIp`, else `x-real-ip`,
/// else the first of `x-forwarded-for`, else `127.0.0.1` (the emulator does not look at
/// the peer's address, as the login history does).
fn address<'a>(request: &'a Request, body: &'a Map<String, Value>) -> &'a str {
    let from_options = opt_obj(body, "options")
        .ok()
        .flatten()
        .and_then(|options| opt_text(options, "clientIp").ok().flatten());
    let from_headers = || {
        let real = request.header("x-real-ip").map(str::trim);
        let forwarded = request
            .header("x-forwarded-for")
            .and_then(|list| list.split(',').next())
            .map(str::trim);
        real.or(forwarded).filter(|ip| !ip.is_empty())
    };
    from_options.or_else(from_headers).unwrap_or(LOOPBACK)
}

/// The captcha check of a sign-in (`POST /api/v3/signin`), before its credentials are
/// looked at: nothing when the policy asks for no captcha from the sign-in's address, else
/// the captcha of its cookie checked (and spent) against `options.captchaCode`.
pub(crate) fn gate(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let mut state = shared.state();
    let now = state.now();
    let captchas = &mut state.families.captcha;
    if !captchas.required(address(request, body)) {
        return Ok(None);
    }
    let answer = opt_obj(body, "options")
        .ok()
        .flatten()
        .and_then(|options| opt_str(options, "captchaCode").ok().flatten());
    match captchas.check(cookie_id(request), answer, now) {
        Ok(()) => Ok(None),
        Err(Refusal::Missing) => Err(Failure::new(
            400,
            Some(CAPTCHA_REQUIRED),
            Msg::family(CaptchaMsg::CaptchaRequired),
        )),
        Err(Refusal::Wrong) => Err(Failure::new(
            400,
            Some(CAPTCHA_REQUIRED),
            Msg::family(CaptchaMsg::WrongCaptcha),
        )),
    }
}

/// Counts a sign-in's outcome for its address: a success starts the count again; a
/// refusal of its credentials (wrong account, password or pass code, no such user, a
/// locked account) counts one more failure. A captcha refusal, a parameter error or an
/// MFA challenge counts nothing.
pub(crate) fn record(
    shared: &Shared,
    request: &Request,
    body: &Map<String, Value>,
    outcome: &Outcome,
) {
    const FAILURES: [u32; 7] = [
        WRONG_ACCOUNT_OR_PASSWORD,
        WRONG_PASSWORD,
        USER_NOT_FOUND,
        USER_LOCKED,
        WRONG_CODE,
        CODE_EXPIRED,
        TOO_MANY_ATTEMPTS,
    ];
    let address = address(request, body);
    let mut state = shared.state();
    let captchas = &mut state.families.captcha;
    match outcome {
        Ok(_) => captchas.succeeded(address),
        Err(f) if f.api_code.is_some_and(|code| FAILURES.contains(&code)) => {
            captchas.failed(address)
        }
        Err(_) => {}
    }
}

/// `POST /api/v3/pre-check-code` (`PreCheckCodeDto` -> `PreCheckCodeRespDto`): whether
/// the pass code is the newest one sent to the phone or email on the channel, still
/// usable; it stays usable either way. A wrong code counts as a wrong try, as in a
/// sign-in (so the pre-check is no way around the attempt limit). No bearer is needed
/// **(our choice: the spec lists `bearer`, but a code is often checked before anyone
/// is signed in, e.g. on a sign-up form)**.
fn pre_check_code(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let code_type = req_str(body, "codeType")?;
    let (payload, target) = match code_type {
        "SMS" => {
            let payload = req_obj(body, "smsCodePayload").map_err(|_| missing("smsCodePayload"))?;
            let phone = req_str(payload, "phone")?;
            let cc = opt_str(payload, "phoneCountryCode")?;
            (payload, Target::phone(cc, phone).ok_or_else(bad_target)?)
        }
        "EMAIL" => {
            let payload =
                req_obj(body, "emailCodePayload").map_err(|_| missing("emailCodePayload"))?;
            let email = req_str(payload, "email")?;
            (payload, Target::email(email).ok_or_else(bad_target)?)
        }
        _ => return Err(Failure::params(Msg::family(CaptchaMsg::UnknownCodeType))),
    };
    let code = req_str(payload, "passCode")?;
    let channel = req_str(payload, "channel")?;
    let config = &shared.config;
    let mut state = shared.state();
    let checked = state.check_code(config, &target, channel, code);
    drop(state);
    let why = match checked {
        Ok(()) => return Ok(Some(json!({ "isValid": true }))),
        Err(VerifyError::Expired) => CaptchaMsg::CodeExpired,
        Err(VerifyError::TooManyAttempts) => CaptchaMsg::CodeVoided,
        Err(VerifyError::WrongCode | VerifyError::UserNotFound) => CaptchaMsg::CodeWrong,
    };
    let lang = Lang::from_header(request.header("x-authing-lang"));
    Ok(Some(json!({ "isValid": false, "message": why.text(lang) })))
}

fn missing(name: &'static str) -> Failure {
    Failure::params(Msg::family(CaptchaMsg::MissingPayload(name)))
}
