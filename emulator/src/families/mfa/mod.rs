//! The MFA family: its routes and handlers (its state is `state.rs`, the TOTP verifier
//! `totp.rs`, the admin API `admin.rs`, the messages `msg.rs`).
//!
//! - Factor management for the bearer (`/api/v3/send-enroll-factor-request`,
//!   `enroll-factor`, `reset-factor`, `list-enrolled-factors`, `get-factor`,
//!   `list-factors-to-enroll`) and the signed-in OTP check (`/api/v3/mfa-totp-verify`),
//!   with the v3 envelope.
//! - The sign-in challenge: [`challenge`] turns a sign-in into apiCode 1635 or 1636 with
//!   an `mfaToken` when the app or the user asks for MFA (called by `families/session/signin.rs`), and the
//!   older Guard endpoints complete it with the `mfaToken` as the bearer, answering
//!   Authing's v2 envelope `{code, message, data}`: `/api/v2/mfa/totp/verify`,
//!   `/api/v2/mfa/totp/recovery`, `/api/v2/applications/mfa/sms/verify`,
//!   `/api/v2/applications/mfa/email/verify`.
//!
//! SMS and email codes go through the recovery family's code machinery: enrolment codes
//! on the channel `CHANNEL_BIND_MFA` (sent by `send-enroll-factor-request` itself), sign-in
//! codes on `CHANNEL_VERIFY_MFA` (sent by the client with `send-sms` / `send-email`).

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;
pub(crate) mod totp;

use std::time::SystemTime;

use serde_json::{json, Map, Value};

use crate::core::codes::{APP_NOT_FOUND, BAD_PARAMS, BAD_TARGET, NOT_SIGNED_IN};
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{opt_str, req_obj, req_str};
use crate::core::msg::{Lang, Msg};
use crate::core::state::{iso8601, SendError, State, VerifyError};
use crate::core::tokens::Grant;
use crate::core::vocab::FactorType;
use crate::core::{caller, urlencoded};
use crate::families::mfa::msg::MfaMsg;
use crate::families::mfa::state::{self as mfa, Challenge, Enrolment};
use crate::families::session::signup::code_failure;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use codes::{
    BAD_ENROLLMENT_TOKEN, FACTOR_EXISTS, TOTP_CODE_MISSING, TOTP_RECOVERY_CODE_MISSING, WRONG_TOTP,
    WRONG_TOTP_RECOVERY_CODE,
};

/// The channel of enrolment codes.
const BIND: &str = "CHANNEL_BIND_MFA";
/// The channel of sign-in codes.
const VERIFY: &str = "CHANNEL_VERIFY_MFA";
/// The issuer an `otpauth://` URI names **(our choice)**.
const OTP_ISSUER: &str = "authing-emulator";

/// The MFA family's apiCodes: 6001 to 6004 are in Authing's v3 table; 2320 and 2321 are
/// **the emulator's own** (docs/EMULATOR.md).
pub(crate) mod codes {
    /// The emulator's own: a factor of this type is already enrolled (MFA).
    pub(crate) const FACTOR_EXISTS: u32 = 2320;

    /// The emulator's own: the enrolment token is unknown, used, expired or of another
    /// factor type (MFA).
    pub(crate) const BAD_ENROLLMENT_TOKEN: u32 = 2321;

    /// The TOTP code is wrong (v3 table).
    pub(crate) const WRONG_TOTP: u32 = 6001;

    /// The TOTP recovery code is wrong (v3 table).
    pub(crate) const WRONG_TOTP_RECOVERY_CODE: u32 = 6002;

    /// No TOTP code was given (v3 table).
    pub(crate) const TOTP_CODE_MISSING: u32 = 6003;

    /// No TOTP recovery code was given (v3 table).
    pub(crate) const TOTP_RECOVERY_CODE_MISSING: u32 = 6004;
}

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let post = |handler| Route {
        method: "POST",
        endpoint: Endpoint::EnvelopeWith(handler),
    };
    let get = |handler| Route {
        method: "GET",
        endpoint: Endpoint::Query(handler),
    };
    let v2 = |handler| Route {
        method: "POST",
        endpoint: Endpoint::Raw(handler),
    };
    match path {
        "/api/v3/send-enroll-factor-request" => Some(post(send_enroll)),
        "/api/v3/enroll-factor" => Some(post(enroll)),
        "/api/v3/reset-factor" => Some(post(reset)),
        "/api/v3/mfa-totp-verify" => Some(post(totp_verify)),
        "/api/v3/list-enrolled-factors" => Some(get(list_enrolled)),
        "/api/v3/get-factor" => Some(get(get_factor)),
        "/api/v3/list-factors-to-enroll" => Some(get(list_to_enroll)),
        "/api/v2/mfa/totp/verify" => Some(v2(verify_otp)),
        "/api/v2/mfa/totp/recovery" => Some(v2(verify_recovery)),
        "/api/v2/applications/mfa/sms/verify" => Some(v2(verify_sms)),
        "/api/v2/applications/mfa/email/verify" => Some(v2(verify_email)),
        "/mfa/token/introspection" => Some(v2(introspect)),
        _ => None,
    }
}

/// `POST /mfa/token/introspection` (the spec's `MfaTokenIntrospectEndpointParams`, form
/// body `token`, a JSON body read too): plain JSON, the spec's `MfaTokenIntrospectResponse`.
/// A live `mfaToken` (issued by a sign-in's challenge, not yet answered, voided or
/// expired) is `{"active": true, "userPoolId", "userId", "exp", "iat"}`; any other token
/// `{"active": false}` only, as RFC 7662 answers. No `token`: HTTP 400 `invalid_request`
/// (RFC 7662 section 2.3). The spec names no client authentication, so none is asked.
fn introspect(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let params = urlencoded::params(&request.body);
    let token = params
        .get("token")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Response::json_status(
            400,
            &json!({"error": "invalid_request", "error_description": "token is required"}),
        )
        .header("Cache-Control", "no-store");
    };
    let state = shared.state();
    let now = state.now();
    let secs = crate::core::state::unix_secs;
    let answer = match state.families.mfa.live_challenge(token, now) {
        Some(c) if state.users.by_id(&c.user).is_some() => json!({
            "active": true,
            "userPoolId": shared.config.user_pool_id,
            "userId": c.user,
            "exp": secs(c.expires_at),
            "iat": secs(c.issued_at),
        }),
        _ => json!({"active": false}),
    };
    Response::json(&answer).header("Cache-Control", "no-store")
}

fn mfa_failure(status: u16, api_code: Option<u32>, msg: MfaMsg) -> Failure {
    Failure::new(status, api_code, Msg::family(msg))
}

/// A `factorType` the emulator enrols: known, not `FACE`, offered by the app.
fn factor_type(state: &State, body: &Map<String, Value>) -> Result<FactorType, Failure> {
    let kind = FactorType::from_wire(req_str(body, "factorType")?)
        .ok_or_else(|| Failure::params(Msg::family(MfaMsg::UnknownFactorType)))?;
    if kind == FactorType::FACE {
        return Err(Failure::params(Msg::family(MfaMsg::FaceUnsupported)));
    }
    if !state.families.mfa.policy.factors.contains(&kind) {
        return Err(Failure::params(Msg::family(MfaMsg::NotOffered)));
    }
    Ok(kind)
}

/// `FactorDto`.
fn factor_dto(factor: &mfa::FactorRecord) -> Value {
    let profile = match &factor.target {
        Some(Target::Phone { cc, number }) => {
            json!({"phoneNumber": number, "phoneCountryCode": cc})
        }
        Some(Target::Email(email)) => json!({ "email": email }),
        None => json!({}),
    };
    json!({
        "factorId": factor.id,
        "factorType": factor.kind.as_str(),
        "profile": profile,
    })
}

fn send_enroll(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let config = &shared.config;
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let kind = factor_type(&state, body)?;
    let profile = req_obj(body, "profile")?;
    if state.families.mfa.factor_of_kind(&user, kind).is_some() {
        return Err(mfa_failure(409, Some(FACTOR_EXISTS), MfaMsg::FactorExists));
    }
    let now = state.now();
    let mut enrolment = Enrolment {
        user: user.clone(),
        kind,
        target: None,
        secret: None,
        recovery_code: None,
        expires_at: now + mfa::ENROLLMENT_TTL,
    };
    let mut otp_data = None;
    match kind {
        FactorType::SMS | FactorType::EMAIL => {
            let target = if kind == FactorType::SMS {
                let number = req_str(profile, "phoneNumber")?;
                Target::phone(opt_str(profile, "phoneCountryCode")?, number)
            } else {
                Target::email(req_str(profile, "email")?)
            }
            .ok_or_else(crate::core::fields::bad_target)?;
            let code = crate::core::random::digits(config.code_length);
            match state.send_code(config, BIND, target.clone(), code) {
                Ok(issued) => print_code(shared, &target, &issued.code),
                Err(SendError::Throttled(secs)) => return Err(throttled(secs)),
                Err(SendError::UserNotFound) => return Err(crate::core::fields::bad_target()),
            }
            enrolment.target = Some(target);
        }
        _ => {
            let secret = totp::new_secret();
            let recovery = mfa::new_recovery_code();
            let account = state
                .users
                .by_id(&user)
                .and_then(|i| state.users.get(i))
                .map(|u| {
                    u.email
                        .clone()
                        .or_else(|| u.username.clone())
                        .or_else(|| u.phone.as_ref().map(|(_, n)| n.clone()))
                        .unwrap_or_else(|| u.id.clone())
                })
                .unwrap_or_default();
            let uri = format!(
                "otpauth://totp/{OTP_ISSUER}:{}?secret={}&period={}&digits={}&algorithm=SHA1&issuer={OTP_ISSUER}",
                encode(&account),
                totp::base32(&secret),
                totp::PERIOD,
                totp::DIGITS,
            );
            otp_data = Some(json!({
                // No QR code is drawn: the data URL holds the URI as text (our choice).
                "qrCodeDataUrl": format!(
                    "data:text/plain;charset=utf-8;base64,{}",
                    crate::core::codec::base64(uri.as_bytes())
                ),
                "qrCodeUri": uri,
                "recoveryCode": recovery,
            }));
            enrolment.secret = Some(secret);
            enrolment.recovery_code = Some(recovery);
        }
    }
    let token = state.families.mfa.start_enrolment(enrolment, now);
    let mut data = json!({ "enrollmentToken": token });
    if let Some(otp) = otp_data {
        data["otpData"] = otp;
    }
    Ok(Some(data))
}

/// `text` percent-encoded for an `otpauth://` label (RFC 3986 unreserved kept).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn print_code(shared: &Shared, target: &Target, code: &str) {
    if shared.config.print_codes {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "code: {BIND} {} {code}", target.display());
        let _ = out.flush();
    }
}

fn throttled(secs: u64) -> Failure {
    let mut f = Failure::new(429, None, Msg::Throttled(secs));
    f.data = Some(json!({ "retryAfter": secs }));
    f.headers.push(("Retry-After", secs.to_string()));
    f
}

fn enroll(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let config = &shared.config;
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let kind = factor_type(&state, body)?;
    let token = req_str(body, "enrollmentToken")?;
    let code = req_str(req_obj(body, "enrollmentData")?, "passCode")?;
    let now = state.now();
    let bad_token = || mfa_failure(400, Some(BAD_ENROLLMENT_TOKEN), MfaMsg::BadEnrollmentToken);
    let enrolment = state
        .families
        .mfa
        .enrolment(token, &user, now)
        .filter(|e| e.kind == kind)
        .cloned()
        .ok_or_else(bad_token)?;
    if state.families.mfa.factor_of_kind(&user, kind).is_some() {
        return Err(mfa_failure(409, Some(FACTOR_EXISTS), MfaMsg::FactorExists));
    }
    match (&enrolment.target, &enrolment.secret) {
        (Some(target), _) => state
            .consume_code(config, target, BIND, code)
            .map_err(code_failure)?,
        (None, Some(secret)) => {
            if !totp::verify(secret, code, now) {
                return Err(mfa_failure(400, Some(WRONG_TOTP), MfaMsg::WrongTotp));
            }
        }
        (None, None) => return Err(bad_token()),
    }
    state
        .families
        .mfa
        .finish_enrolment(token)
        .ok_or_else(bad_token)?;
    Ok(None)
}

fn reset(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let id = req_str(body, "factorId")?;
    if !state.families.mfa.remove(&user, id.trim()) {
        return Err(mfa_failure(404, None, MfaMsg::FactorNotFound));
    }
    Ok(None)
}

fn list_enrolled(shared: &Shared, request: &Request) -> Outcome {
    let state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let list: Vec<Value> = state
        .families
        .mfa
        .factors_of(&user)
        .map(factor_dto)
        .collect();
    Ok(Some(Value::Array(list)))
}

fn get_factor(shared: &Shared, request: &Request) -> Outcome {
    let query = urlencoded::parse(&request.query);
    let state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let id = req_str(&query, "factorId")?;
    let factor = state
        .families
        .mfa
        .factor(&user, id.trim())
        .ok_or_else(|| mfa_failure(404, None, MfaMsg::FactorNotFound))?;
    Ok(Some(factor_dto(factor)))
}

fn list_to_enroll(shared: &Shared, request: &Request) -> Outcome {
    let state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let list: Vec<Value> = state
        .families
        .mfa
        .policy
        .factors
        .iter()
        .filter(|kind| state.families.mfa.factor_of_kind(&user, **kind).is_none())
        .map(|kind| json!({ "factorType": kind.as_str() }))
        .collect();
    Ok(Some(Value::Array(list)))
}

fn totp_verify(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let code = opt_str(body, "totp")?
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| mfa_failure(400, Some(TOTP_CODE_MISSING), MfaMsg::TotpMissing))?;
    let factor = state
        .families
        .mfa
        .factor_of_kind(&user, FactorType::OTP)
        .ok_or_else(|| mfa_failure(404, None, MfaMsg::NoOtpFactor))?;
    let secret = factor.secret.as_deref().unwrap_or_default();
    if !totp::verify(secret, code, state.now()) {
        return Err(mfa_failure(400, Some(WRONG_TOTP), MfaMsg::WrongTotp));
    }
    Ok(Some(json!({ "verified": true })))
}

/// What a sign-in hands over to be issued once the second factor passes.
pub(crate) struct Pending<'a> {
    pub(crate) scope: &'a str,
    pub(crate) nonce: Option<&'a str>,
    pub(crate) client_ip: Option<&'a str>,
    pub(crate) issuer: &'a str,
}

/// The challenge a sign-in of the user at `index` gets, if the app or the user asks for
/// MFA: statusCode 401 **(our choice: the v3 table leaves it open)**, apiCode 1636 (app)
/// or 1635 (user), and `data` with the `mfaToken` and what the client needs to pick a
/// factor. `None` when no second factor is asked.
pub(crate) fn challenge(state: &mut State, index: usize, pending: &Pending<'_>) -> Option<Failure> {
    let user = state.users.get(index)?;
    let api_code = state.families.mfa.challenge_code(&user.id)?;
    let now = state.now();
    let offered: Vec<FactorType> = if api_code == 1636 {
        state.families.mfa.policy.factors.clone()
    } else {
        let mut kinds: Vec<FactorType> = state
            .families
            .mfa
            .factors_of(&user.id)
            .map(|f| f.kind)
            .collect();
        kinds.dedup();
        kinds
    };
    let sms = state
        .families
        .mfa
        .factor_of_kind(&user.id, FactorType::SMS)
        .and_then(|f| f.target.clone())
        .or_else(|| {
            user.phone.as_ref().map(|(cc, number)| Target::Phone {
                cc: cc.clone(),
                number: number.clone(),
            })
        });
    let email = state
        .families
        .mfa
        .factor_of_kind(&user.id, FactorType::EMAIL)
        .and_then(|f| f.target.clone())
        .or_else(|| user.email.clone().map(Target::Email));
    let mut data = json!({
        "applicationMfa": offered
            .iter()
            .enumerate()
            .map(|(i, kind)| json!({"mfaPolicy": kind.as_str(), "status": 1, "sort": i + 1}))
            .collect::<Vec<_>>(),
        "totpMfaEnabled": state.families.mfa.factor_of_kind(&user.id, FactorType::OTP).is_some(),
        "faceMfaEnabled": false,
    });
    if let Some(Target::Phone { cc, number }) = sms.filter(|_| offered.contains(&FactorType::SMS)) {
        data["mfaPhone"] = number.into();
        data["mfaPhoneCountryCode"] = cc.into();
    }
    if let Some(Target::Email(e)) = email.filter(|_| offered.contains(&FactorType::EMAIL)) {
        data["mfaEmail"] = e.into();
    }
    if let Some(name) = &user.username {
        data["username"] = name.clone().into();
    }
    let record = Challenge {
        user: user.id.clone(),
        scope: pending.scope.to_owned(),
        nonce: pending.nonce.map(str::to_owned),
        client_ip: pending.client_ip.map(str::to_owned),
        issuer: pending.issuer.to_owned(),
        offered,
        issued_at: now,
        expires_at: now + state.families.mfa.policy.mfa_token_ttl,
        wrong: 0,
    };
    data["mfaToken"] = state.families.mfa.open_challenge(record, now).into();
    let mut failure = Failure::new(401, Some(api_code), Msg::family(MfaMsg::Required));
    failure.data = Some(data);
    Some(failure)
}

/// A v2 answer: `{code, message, data}` on HTTP 200.
pub(crate) fn v2_reply(code: u32, msg: &Msg, lang: Lang, data: Value) -> Response {
    Response::json(&json!({"code": code, "message": msg.text(lang), "data": data}))
}

/// A v2 failure: its `code` is the apiCode (the v2 habit), and no `data`.
struct V2Failure(u32, Msg);

impl V2Failure {
    fn mfa(code: u32, msg: MfaMsg) -> V2Failure {
        V2Failure(code, Msg::family(msg))
    }
}

/// What proves the second factor, read from a v2 body.
enum Proof {
    Otp(String),
    Recovery(String),
    Code(Target, FactorType, String),
}

fn verify_otp(shared: &Shared, request: &Request, lang: Lang) -> Response {
    complete(shared, request, lang, |body| {
        let code = text(body, "totp")
            .ok_or_else(|| V2Failure::mfa(TOTP_CODE_MISSING, MfaMsg::TotpMissing))?;
        Ok(Proof::Otp(code))
    })
}

fn verify_recovery(shared: &Shared, request: &Request, lang: Lang) -> Response {
    complete(shared, request, lang, |body| {
        let code = text(body, "recoveryCode").ok_or_else(|| {
            V2Failure::mfa(TOTP_RECOVERY_CODE_MISSING, MfaMsg::RecoveryCodeMissing)
        })?;
        Ok(Proof::Recovery(code))
    })
}

fn verify_sms(shared: &Shared, request: &Request, lang: Lang) -> Response {
    complete(shared, request, lang, |body| {
        let phone = text(body, "phone").ok_or(V2Failure(BAD_PARAMS, Msg::MissingField("phone")))?;
        let code = text(body, "code").ok_or(V2Failure(BAD_PARAMS, Msg::MissingField("code")))?;
        let cc = text(body, "phoneCountryCode");
        let target = Target::phone(cc.as_deref(), &phone)
            .ok_or(V2Failure(BAD_TARGET, Msg::InvalidTarget))?;
        Ok(Proof::Code(target, FactorType::SMS, code))
    })
}

fn verify_email(shared: &Shared, request: &Request, lang: Lang) -> Response {
    complete(shared, request, lang, |body| {
        let email = text(body, "email").ok_or(V2Failure(BAD_PARAMS, Msg::MissingField("email")))?;
        let code = text(body, "code").ok_or(V2Failure(BAD_PARAMS, Msg::MissingField("code")))?;
        let target = Target::email(&email).ok_or(V2Failure(BAD_TARGET, Msg::InvalidTarget))?;
        Ok(Proof::Code(target, FactorType::EMAIL, code))
    })
}

/// A non-empty string field of a v2 body.
fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Checks the app, the body, the `mfaToken` and the proof; on success ends the challenge
/// and signs the user in: the v2 user with its `token`, and the v3 token set beside it.
fn complete(
    shared: &Shared,
    request: &Request,
    lang: Lang,
    read: impl FnOnce(&Map<String, Value>) -> Result<Proof, V2Failure>,
) -> Response {
    let fail = |f: V2Failure| v2_reply(f.0, &f.1, lang, Value::Null);
    let app_ok = request
        .header("x-authing-app-id")
        .is_some_and(|id| id.trim() == shared.config.app_id);
    if !app_ok {
        return fail(V2Failure(APP_NOT_FOUND, Msg::AppNotFound));
    }
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return fail(V2Failure(BAD_PARAMS, Msg::NotObject)),
        Err(_) => return fail(V2Failure(BAD_PARAMS, Msg::NotJson)),
    };
    let proof = match read(&body) {
        Ok(proof) => proof,
        Err(f) => return fail(f),
    };
    let token = caller::bearer(request).to_owned();
    let config = &shared.config;
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let challenge = match state.families.mfa.challenge(&token, now) {
        Ok(c) => c.clone(),
        Err(why) => return fail(V2Failure::mfa(NOT_SIGNED_IN, MfaMsg::BadMfaToken(why))),
    };
    match check(state, config, &challenge, proof, now) {
        Ok(next_recovery) => {
            state.families.mfa.close_challenge(&token);
            sign_in(shared, state, &challenge, next_recovery, lang)
        }
        Err((failure, counted)) => {
            let voided = counted
                && state
                    .families
                    .mfa
                    .wrong_try(&token, config.max_code_attempts);
            let msg = if voided {
                Msg::family(MfaMsg::Voided)
            } else {
                failure.1
            };
            fail(V2Failure(failure.0, msg))
        }
    }
}

/// Checks the proof against the challenge's user; the new recovery code of a recovery.
/// A failure says whether it counts as a wrong try.
fn check(
    state: &mut State,
    config: &crate::EmulatorConfig,
    challenge: &Challenge,
    proof: Proof,
    now: SystemTime,
) -> Result<Option<String>, (V2Failure, bool)> {
    let not_offered = || {
        (
            V2Failure(BAD_PARAMS, Msg::family(MfaMsg::NotOffered)),
            false,
        )
    };
    let user = &challenge.user;
    match proof {
        Proof::Otp(code) | Proof::Recovery(code)
            if !challenge.offered.contains(&FactorType::OTP) =>
        {
            let _ = code;
            Err(not_offered())
        }
        Proof::Otp(code) => {
            let factor = state
                .families
                .mfa
                .factor_of_kind(user, FactorType::OTP)
                .ok_or((V2Failure::mfa(WRONG_TOTP, MfaMsg::NoOtpFactor), false))?;
            let secret = factor.secret.as_deref().unwrap_or_default();
            if totp::verify(secret, &code, now) {
                Ok(None)
            } else {
                Err((V2Failure::mfa(WRONG_TOTP, MfaMsg::WrongTotp), true))
            }
        }
        Proof::Recovery(code) => match state.families.mfa.use_recovery_code(user, &code) {
            Some(next) => Ok(Some(next)),
            None => Err((
                V2Failure::mfa(WRONG_TOTP_RECOVERY_CODE, MfaMsg::WrongRecoveryCode),
                true,
            )),
        },
        Proof::Code(target, kind, code) => {
            if !challenge.offered.contains(&kind) {
                return Err(not_offered());
            }
            // The factor's phone or email, else (for a factor the user has not enrolled
            // and the app requires) the account's own.
            let allowed = match state.families.mfa.factor_of_kind(user, kind) {
                Some(factor) => factor.target.as_ref() == Some(&target),
                None => state
                    .users
                    .by_id(user)
                    .and_then(|i| state.users.get(i))
                    .is_some_and(|u| u.has_target(&target)),
            };
            if !allowed {
                return Err((
                    V2Failure(BAD_TARGET, Msg::family(MfaMsg::NotYourTarget)),
                    false,
                ));
            }
            match state.consume_code(config, &target, VERIFY, &code) {
                Ok(()) => Ok(None),
                Err(e) => {
                    let counted = matches!(e, VerifyError::WrongCode);
                    let f = code_failure(e);
                    Err((V2Failure(f.api_code.unwrap_or(BAD_PARAMS), f.msg), counted))
                }
            }
        }
    }
}

/// Issues the tokens of a completed challenge and answers the v2 user.
fn sign_in(
    shared: &Shared,
    state: &mut State,
    challenge: &Challenge,
    next_recovery: Option<String>,
    lang: Lang,
) -> Response {
    let not_found = || {
        v2_reply(
            crate::core::codes::USER_NOT_FOUND,
            &Msg::UserNotFound,
            lang,
            Value::Null,
        )
    };
    let now = state.now();
    let Some(index) = state.users.by_id(&challenge.user) else {
        return not_found();
    };
    let Some(user) = state.users.get_mut(index) else {
        return not_found();
    };
    user.record_success(now, challenge.client_ip.as_deref());
    let user_id = user.id.clone();
    crate::families::directory::login_history::record_mfa(
        shared,
        state.families.catalog.access_mut(&user_id),
        now,
        challenge.client_ip.as_deref(),
    );
    let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer: &challenge.issuer,
        audience: &shared.config.app_id,
        scope: &challenge.scope,
        nonce: challenge.nonce.as_deref(),
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let Some(user) = state.users.get(index) else {
        return not_found();
    };
    let set = state.sessions.issue(user, &grant);
    let data = v2_user(shared, user, &set.to_json(), now);
    let mut body = json!({"code": 200, "message": Msg::Ok.text(lang), "data": data});
    if let Some(next) = next_recovery {
        body["recoveryCode"] = next.into();
    }
    Response::json(&body)
}

/// A signed-in user as Authing's v2 endpoints answer it (Guard's `UserInfo`): `id`,
/// `userPoolId`, the user's username, email, phone, nickname, photo and name where set,
/// `loginsCount`, `token` (the access token) and `tokenExpiredAt` (its expiry, ISO 8601
/// UTC), and the v3 token set `tokens` (`LoginTokenResponseDataDto`) beside them. Shared
/// by the MFA completion and `/api/v2/ecConn/wechatMobile/authByCode`.
pub(crate) fn v2_user(
    shared: &Shared,
    user: &crate::core::users::User,
    tokens: &Value,
    now: SystemTime,
) -> Map<String, Value> {
    let mut data = Map::new();
    data.insert("id".into(), user.id.clone().into());
    data.insert(
        "userPoolId".into(),
        shared.config.user_pool_id.clone().into(),
    );
    for (key, value) in [
        ("username", user.username.clone()),
        ("email", user.email.clone()),
        ("phone", user.phone.as_ref().map(|(_, n)| n.clone())),
        (
            "phoneCountryCode",
            user.phone.as_ref().map(|(c, _)| c.clone()),
        ),
    ] {
        if let Some(value) = value {
            data.insert(key.into(), value.into());
        }
    }
    for key in ["nickname", "photo", "name"] {
        if let Some(value) = user.profile.get(key) {
            data.insert(key.into(), value.clone());
        }
    }
    data.insert("loginsCount".into(), user.logins_count.into());
    let token = tokens.get("access_token").cloned().unwrap_or(Value::Null);
    data.insert("token".into(), token);
    let ttl = tokens.get("expire_in").and_then(Value::as_u64).unwrap_or(0);
    data.insert(
        "tokenExpiredAt".into(),
        iso8601(now + std::time::Duration::from_secs(ttl)).into(),
    );
    if let Value::Object(tokens) = tokens {
        data.extend(tokens.clone());
    }
    data
}
