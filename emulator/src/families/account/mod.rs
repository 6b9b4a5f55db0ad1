//! The account family: the signed-in user's own account. This file routes the whole family
//! (`profile.rs`: update-profile, get-security-info, the avatar upload; `binding.rs`: the
//! phone and email), holds what its endpoints share (who is signed in, its own apiCodes,
//! the passcode failures), and answers `update-password`,
//! `verify-delete-account-request` and `delete-account`.
//!
//! Every endpoint but the upload needs the bearer of a signed-in user: without a valid one
//! it answers statusCode 401, apiCode 2020, as `get-profile` does.

pub(crate) mod admin;
pub(crate) mod binding;
pub(crate) mod msg;
pub(crate) mod profile;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::codes::{
    BAD_PARAMS, BAD_PASSWORD, CODE_EXPIRED, NOT_SIGNED_IN, TOO_MANY_ATTEMPTS, USER_NOT_FOUND,
    WRONG_CODE, WRONG_PASSWORD,
};
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{email_target, opt_str, phone_target, req_obj, req_str};
use crate::core::msg::Msg;
use crate::core::password_decrypt::{self as password, Encryption};
use crate::core::password_hash;
use crate::core::state::{State, VerifyError};
use crate::core::users::{self, User};
use crate::families::account::msg::{AccountMsg, Contact};
use crate::families::account::state::{Action, ACCOUNT_TOKEN_TTL};
use crate::families::session::msg::SessionMsg;
use crate::http::server::Shared;
use crate::http::Request;

/// The account family's own apiCodes: Authing publishes none for these cases, so they are
/// **the emulator's own** (docs/EMULATOR.md), and the SDK's `ApiCode` has no names for
/// them.
pub(crate) mod codes {
    /// An `updatePhoneToken`, `updateEmailToken` or `deleteAccountToken` that is unknown,
    /// used, expired or another user's (statusCode 400).
    pub(crate) const BAD_ACCOUNT_TOKEN: u32 = 2340;
    /// The user has a phone (email) already: change it instead of binding one; or the new
    /// one is the current one (statusCode 422).
    pub(crate) const ALREADY_BOUND: u32 = 2341;
    /// The user has no phone (email), or the one given is not the user's (statusCode 422).
    pub(crate) const NOT_BOUND: u32 = 2342;
    /// Unbinding would leave the user no way to sign in (statusCode 422).
    pub(crate) const LAST_SIGN_IN_METHOD: u32 = 2343;
    /// The new password is the old one (statusCode 422).
    pub(crate) const SAME_PASSWORD: u32 = 2344;
}

use codes::{BAD_ACCOUNT_TOKEN, NOT_BOUND, SAME_PASSWORD};

/// The routes of the account family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let post = |handler| {
        Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(handler),
        })
    };
    match path {
        "/api/v3/update-password" => post(update_password),
        "/api/v3/verify-delete-account-request" => post(verify_delete),
        "/api/v3/delete-account" => post(delete_account),
        _ => profile::route(path).or_else(|| binding::route(path)),
    }
}

/// The index of the user whose bearer token `request` carries.
pub(crate) fn signed_in(state: &State, request: &Request) -> Result<usize, Failure> {
    let id = state
        .sessions
        .authenticate(caller::bearer(request), state.now())
        .map_err(|why| Failure::new(401, Some(NOT_SIGNED_IN), Msg::NotSignedIn(why)))?;
    state
        .users
        .by_id(&id)
        .ok_or(Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound))
}

/// Refuses a request without a signed-in user's bearer (401, 2020) before its body is
/// looked at, as a real server's guard does.
pub(crate) fn require_user(shared: &Shared, request: &Request) -> Result<(), Failure> {
    signed_in(&shared.state(), request).map(drop)
}

/// The user at `index`, to change.
pub(crate) fn user_mut(state: &mut State, index: usize) -> Result<&mut User, Failure> {
    state
        .users
        .get_mut(index)
        .ok_or(Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound))
}

/// A failure of the account family: `status`, one of its codes, its message.
pub(crate) fn refused(status: u16, code: u32, msg: AccountMsg) -> Failure {
    Failure::new(status, Some(code), Msg::family(msg))
}

/// The failure of a passcode that did not verify.
pub(crate) fn code_failure(error: VerifyError) -> Failure {
    match error {
        VerifyError::Expired => Failure::new(400, Some(CODE_EXPIRED), Msg::CodeExpired),
        VerifyError::TooManyAttempts => {
            Failure::new(400, Some(TOO_MANY_ATTEMPTS), Msg::TooManyAttempts)
        }
        VerifyError::WrongCode | VerifyError::UserNotFound => {
            Failure::new(400, Some(WRONG_CODE), Msg::WrongCode)
        }
    }
}

/// Spends the passcode `code` sent to `target` on `channel`.
pub(crate) fn spend_code(
    shared: &Shared,
    state: &mut State,
    target: &Target,
    channel: &str,
    code: &str,
) -> Result<(), Failure> {
    state
        .consume_code(&shared.config, target, channel, code)
        .map_err(code_failure)
}

/// The answer of a verify-then-act request: the token under `key`, and its lifetime.
pub(crate) fn token_answer(key: &str, token: String) -> Outcome {
    let mut data = Map::new();
    data.insert(key.to_owned(), token.into());
    data.insert(
        "tokenExpiresIn".to_owned(),
        ACCOUNT_TOKEN_TTL.as_secs().into(),
    );
    Ok(Some(Value::Object(data)))
}

/// A `passwordEncryptType`: `none` when left out.
fn encrypt_type(value: Option<&str>) -> Result<Encryption, Failure> {
    Encryption::parse(value).ok_or_else(|| Failure::params(Msg::UnknownEncryptType))
}

/// The password `wire` as sent with `kind`, decrypted.
fn open(kind: Encryption, wire: &str) -> Result<String, Failure> {
    password::open(kind, wire)
        .map(|(plain, _)| plain)
        .ok_or_else(|| Failure::new(400, Some(BAD_PARAMS), Msg::Undecryptable(kind.as_str())))
}

fn wrong_password() -> Failure {
    Failure::new(
        403,
        Some(WRONG_PASSWORD),
        Msg::family(SessionMsg::WrongPassword),
    )
}

/// `POST /api/v3/update-password`: `{newPassword, oldPassword?, passwordEncryptType?}`.
///
/// A user with a password must give it as `oldPassword` (403, 2006 when wrong); the new
/// one passes the password policy (2304) and differs from the old one (422, 2344). The
/// caller's session stays; the user's other sessions end (their access tokens revoked,
/// their refresh tokens forgotten).
fn update_password(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let mut guard = shared.state();
    let state = &mut *guard;
    let index = signed_in(state, request)?;
    let kind = encrypt_type(opt_str(body, "passwordEncryptType")?)?;
    let new_wire = opt_str(body, "newPassword")?
        .ok_or_else(|| Failure::params(Msg::MissingField("newPassword")))?;
    let new = open(kind, new_wire)?;
    let old = opt_str(body, "oldPassword")?
        .map(|wire| open(kind, wire))
        .transpose()?;
    let now = state.now();
    let config = &shared.config;
    let user = user_mut(state, index)?;
    if let Some(hash) = user.hash_for(None) {
        let old = old
            .as_deref()
            .ok_or_else(|| Failure::params(Msg::MissingField("oldPassword")))?;
        if !password_hash::verify_password(hash, old) {
            return Err(wrong_password());
        }
        if old == new {
            return Err(refused(422, SAME_PASSWORD, AccountMsg::SamePassword));
        }
    }
    if !users::password_ok(&new, config.password_min, config.password_max) {
        return Err(Failure::new(
            400,
            Some(BAD_PASSWORD),
            Msg::BadPassword {
                min: config.password_min,
                max: config.password_max,
            },
        ));
    }
    user.set_password(&new, config.session.password_hash_iterations, now);
    // `password_form` tells how a password reached `reset-password`; this one did not.
    user.form = None;
    let id = user.id.clone();
    state
        .sessions
        .end_sessions(&id, Some(caller::bearer(request)));
    Ok(None)
}

/// `POST /api/v3/verify-delete-account-request`: proves it is the user, with a passcode
/// sent on `CHANNEL_DELETE_ACCOUNT` to the user's own phone or email, or with the
/// password; answers `{deleteAccountToken, tokenExpiresIn}`.
fn verify_delete(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let mut guard = shared.state();
    let state = &mut *guard;
    let index = signed_in(state, request)?;
    let user = user_mut(state, index)?;
    let user_id = user.id.clone();
    match req_str(body, "verifyMethod")? {
        "PHONE_PASSCODE" => {
            let payload = req_obj(body, "phonePassCodePayload")?;
            let code = req_str(payload, "passCode")?;
            let target = phone_target(payload)?;
            if !user.has_target(&target) {
                return Err(refused(
                    422,
                    NOT_BOUND,
                    AccountMsg::NotYours(Contact::Phone),
                ));
            }
            spend_code(shared, state, &target, "CHANNEL_DELETE_ACCOUNT", code)?;
        }
        "EMAIL_PASSCODE" => {
            let payload = req_obj(body, "emailPassCodePayload")?;
            let code = req_str(payload, "passCode")?;
            let own = user.email.clone().map(Target::Email);
            let target = match opt_str(payload, "email")? {
                Some(_) => {
                    let given = email_target(payload)?;
                    if !user.has_target(&given) {
                        return Err(refused(
                            422,
                            NOT_BOUND,
                            AccountMsg::NotYours(Contact::Email),
                        ));
                    }
                    given
                }
                None => own
                    .ok_or_else(|| refused(422, NOT_BOUND, AccountMsg::NotBound(Contact::Email)))?,
            };
            spend_code(shared, state, &target, "CHANNEL_DELETE_ACCOUNT", code)?;
        }
        "PASSWORD" => {
            let payload = req_obj(body, "passwordPayload")?;
            let kind = encrypt_type(opt_str(payload, "passwordEncryptType")?)?;
            let wire = opt_str(payload, "password")?
                .ok_or_else(|| Failure::params(Msg::MissingField("password")))?;
            let password = open(kind, wire)?;
            let matches = user
                .hash_for(None)
                .is_some_and(|hash| password_hash::verify_password(hash, &password));
            if !matches {
                return Err(wrong_password());
            }
        }
        _ => return Err(Failure::params(Msg::UnknownVerifyMethod)),
    }
    let now = state.now();
    let token = state
        .families
        .account
        .issue(Action::DeleteAccount, &user_id, now);
    token_answer("deleteAccountToken", token)
}

/// `POST /api/v3/delete-account`: `{deleteAccountToken}`. Deletes the user, and with it
/// its sessions (every token of it stops working), its reset and account tokens; answers
/// `{success: true}`.
fn delete_account(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let token = req_str(body, "deleteAccountToken")?;
    let mut state = shared.state();
    let index = signed_in(&state, request)?;
    let user_id = user_mut(&mut state, index)?.id.clone();
    let now = state.now();
    state
        .families
        .account
        .spend(token, &user_id, &Action::DeleteAccount, now)
        .ok_or_else(|| {
            refused(
                400,
                BAD_ACCOUNT_TOKEN,
                AccountMsg::BadToken("deleteAccountToken"),
            )
        })?;
    state.remove_user(index);
    Ok(Some(json!({ "success": true })))
}
