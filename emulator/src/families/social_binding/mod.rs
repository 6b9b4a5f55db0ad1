//! Social account binding: the WeChat mobile sign-in that asks how to bind a new identity
//! (`POST /api/v2/ecConn/wechatMobile/authByCodeIdentity`) and the six ways to bind it
//! (`register`, `byEmailCode`, `byPhoneCode`, `byAccount`, `select`, `byAccountId`), the
//! emulator playing WeChat with the provider codes of the social family (connection
//! `wechat`, registered through `/emulator/v1/social/codes`).
//!
//! `authByCodeIdentity` takes the code (`code`; `connId`, when given and not empty, must
//! be the id of the app's `wechat:mobile` connection in its public config; `appId`, when
//! given and not empty, the app's id; `options` as for `/api/v3/signin`). An identity
//! linked to a user signs that user in (tokens in the envelope's `data`, with `scope`).
//! Any other answers statusCode 301, apiCode 1641 (1640 when the app allows binding to
//! existing accounts only, `/emulator/v1/social-binding/settings`), the spec's
//! `WechatIdentityResolveRespDto`: `data.key` (single-use, 10 minutes on the emulator
//! clock), `data.methods`, `data.accounts` (the ids of the users whose email or phone is
//! the identity's). Nothing is created or linked yet.
//!
//! Each binding route takes `action` (the route's own, as the spec's examples name it) and
//! `key`, finds its user, links the identity to it, spends the key and signs the user in:
//! `register` creates a user from the identity's profile (its email and phone only when no
//! user has them; 403 / 2361 when the app allows no new account); `byEmailCode` and
//! `byPhoneCode` spend a code sent on `CHANNEL_LOGIN` and bind the user of that email or
//! phone; `byAccount` checks the password of the user a username, email or phone names
//! (plain, or RSA-encrypted with the emulator's key as Android sends it); `select` binds
//! one of the key's `accounts`; `byAccountId` any user by id. A user not found is 404 /
//! 2004 ("用户不存在", as the spec says); the key is kept until a binding succeeds.
//!
//! `authByCode` (Guard's WeChat sign-in) takes the same `code`, `connId` and `appId`, finds
//! the identity's user as `signin-by-mobile` does (linked, else the user of its email or
//! phone, else a new one, then linked) and answers Authing's v2 envelope `{code, message,
//! data}` on HTTP 200: `data` the user with its `token` (as the MFA completion answers it),
//! a refusal's `code` its apiCode.
//!
//! Refusals: 400 / 2231 for a missing or malformed field or a wrong `action`; 400 / 2351
//! for a `connId` that names no WeChat mobile connection of the app; 400 / 2352 for an
//! unknown, used or expired WeChat code; 400 / 2360 (**the emulator's own**) for an
//! unknown, spent or expired key; the password and code refusals of `/api/v3/signin`;
//! 403 / 2005 for a locked user.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::codes::{APP_NOT_FOUND, USER_NOT_FOUND};
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{bad_target, opt_text, req_str};
use crate::core::msg::{Lang, Msg};
use crate::core::password_decrypt::{self as password, Encryption};
use crate::core::state::State;
use crate::core::users::AccountKey;
use crate::families::mfa::{v2_reply, v2_user};
use crate::families::session::signin::{self, issue, locked, Options};
use crate::families::session::signup::code_failure;
use crate::families::social::state::{self as social, Provider, SocialConnection};
use crate::families::social_binding::msg::BindingMsg;
use crate::families::social_binding::state::{KeyRefusal, Pending};
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The emulator's own apiCodes of these endpoints (docs/EMULATOR.md).
pub(crate) mod own_codes {
    /// The binding key is unknown, spent or expired.
    pub(crate) const BAD_KEY: u32 = 2360;
    /// The app allows binding to an existing account only.
    pub(crate) const REGISTER_NOT_ALLOWED: u32 = 2361;
}

/// The sign-in of Guard's era: a new identity gets an account (`signin-by-mobile`'s rule).
pub(crate) const AUTH_BY_CODE: &str = "/api/v2/ecConn/wechatMobile/authByCode";

/// The sign-in that asks how to bind.
pub(crate) const AUTH_BY_CODE_IDENTITY: &str = "/api/v2/ecConn/wechatMobile/authByCodeIdentity";

/// The `statusCode` of the "needs binding" answer.
const NEEDS_BINDING: u16 = 301;

/// The binding methods the answer offers: every one the emulator takes (the spec's
/// example list).
const METHODS: [&str; 5] = [
    "email-password",
    "username-password",
    "phone-password",
    "phone-code",
    "email-code",
];

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let handler: fn(&Shared, &Request, &Map<String, Value>) -> Outcome = match path {
        AUTH_BY_CODE => {
            return Some(Route {
                method: "POST",
                endpoint: Endpoint::Raw(auth_by_code),
            })
        }
        AUTH_BY_CODE_IDENTITY => auth_by_code_identity,
        "/api/v2/ecConn/wechatMobile/register" => register,
        "/api/v2/ecConn/wechatMobile/byEmailCode" => by_email_code,
        "/api/v2/ecConn/wechatMobile/byPhoneCode" => by_phone_code,
        "/api/v2/ecConn/wechatMobile/byAccount" => by_account,
        "/api/v2/ecConn/wechatMobile/select" => select,
        "/api/v2/ecConn/wechatMobile/byAccountId" => by_account_id,
        _ => return None,
    };
    Some(Route {
        method: "POST",
        endpoint: Endpoint::EnvelopeWith(handler),
    })
}

/// The WeChat mobile provider the social family plays.
fn wechat() -> Result<&'static Provider, Failure> {
    social::by_connection("wechat").ok_or_else(bad_target)
}

/// The answer's `data` with the scope the spec's token answers carry.
fn with_scope(outcome: Outcome, scope: &str) -> Outcome {
    outcome.map(|data| {
        data.map(|mut data| {
            if let Value::Object(map) = &mut data {
                map.insert("scope".into(), scope.into());
            }
            data
        })
    })
}

/// Checks the client: `appId`, when given and not empty, is the app's; client
/// credentials, where given, are its.
fn check_client(
    shared: &Shared,
    request: &Request,
    body: &Map<String, Value>,
) -> Result<(), Failure> {
    let app_ok = opt_text(body, "appId")?.is_none_or(|id| id == shared.config.app_id);
    if !app_ok || !caller::client_ok(shared, request, body, false) {
        return Err(caller::invalid_client());
    }
    Ok(())
}

/// The app's WeChat mobile connection (the one `conn_id` names when given) and the
/// identity the WeChat `code` stands for, the code spent.
fn take_wechat_code(
    state: &mut State,
    conn_id: Option<&str>,
    code: &str,
) -> Result<(SocialConnection, social::NewProviderCode), Failure> {
    let provider = wechat()?;
    let connection = state
        .families
        .social
        .connection(provider.ec_type)
        .filter(|c| conn_id.is_none_or(|id| id == c.id()))
        .cloned()
        .ok_or_else(|| {
            Failure::new(
                400,
                Some(crate::families::social::codes::NO_SUCH_CONNECTION),
                Msg::family(BindingMsg::NoSuchConnection),
            )
        })?;
    let now = state.now();
    let identity = state
        .families
        .social
        .take(provider.connection, code, now)
        .map_err(crate::families::social::code_refused)?;
    Ok((connection, identity))
}

fn auth_by_code_identity(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    check_client(shared, request, body)?;
    let code = req_str(body, "code")?;
    let conn_id = opt_text(body, "connId")?;
    let options = Options::parse(body)?;
    let user = {
        let mut guard = shared.state();
        let state = &mut *guard;
        let now = state.now();
        let (connection, identity) = take_wechat_code(state, conn_id, code)?;
        match crate::families::social::linked_user(state, &connection, &identity) {
            Some(index) => {
                let user = state.users.get(index).ok_or_else(bad_target)?;
                if let Some(left) = user.locked_for(now) {
                    return Err(locked(left));
                }
                user.id.clone()
            }
            None => {
                let accounts = candidates(state, &identity);
                let pending = state.families.social_binding.open(
                    identity,
                    connection,
                    options.scope(),
                    accounts,
                    now,
                );
                return Err(needs_binding(&pending));
            }
        }
    };
    let outcome = with_scope(issue(shared, request, &options, &user), options.scope());
    crate::families::devices::record(shared, request, &outcome);
    outcome
}

/// `POST /api/v2/ecConn/wechatMobile/authByCode` (Guard's `loginByWechat`): the v2
/// envelope `{code, message, data}` on HTTP 200, `data` the signed-in user with its
/// `token` (`v2_user`); a failure's `code` is its apiCode (the v2 habit).
fn auth_by_code(shared: &Shared, request: &Request, lang: Lang) -> Response {
    let fail = |f: Failure| {
        let code = f.api_code.unwrap_or(u32::from(f.status));
        v2_reply(code, &f.msg, lang, f.data.unwrap_or(Value::Null))
    };
    let app_ok = request
        .header("x-authing-app-id")
        .is_some_and(|id| id.trim() == shared.config.app_id);
    if !app_ok {
        return fail(Failure::new(404, Some(APP_NOT_FOUND), Msg::AppNotFound));
    }
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return fail(Failure::params(Msg::NotObject)),
        Err(_) => return fail(Failure::params(Msg::NotJson)),
    };
    match sign_in_by_code(shared, request, &body) {
        Ok((user_id, tokens)) => {
            crate::families::devices::record(shared, request, &Ok(Some(tokens.clone())));
            let state = shared.state();
            let now = state.now();
            match state.users.by_id(&user_id).and_then(|i| state.users.get(i)) {
                Some(user) => {
                    let data = v2_user(shared, user, &tokens, now);
                    v2_reply(200, &Msg::Ok, lang, Value::Object(data))
                }
                None => fail(not_found()),
            }
        }
        Err(failure) => fail(failure),
    }
}

/// The sign-in of `authByCode`: the user of the WeChat identity (linked, else the user
/// with its email or phone, else a new one, as `signin-by-mobile` finds it), signed in:
/// its id and token set.
fn sign_in_by_code(
    shared: &Shared,
    request: &Request,
    body: &Map<String, Value>,
) -> Result<(String, Value), Failure> {
    check_client(shared, request, body)?;
    let code = req_str(body, "code")?;
    let conn_id = opt_text(body, "connId")?;
    let options = Options::parse(body)?;
    let user = {
        let mut guard = shared.state();
        let state = &mut *guard;
        let (connection, identity) = take_wechat_code(state, conn_id, code)?;
        crate::families::social::user_for(state, &shared.config, &connection, wechat()?, &identity)?
    };
    let tokens = issue(shared, request, &options, &user)?.ok_or_else(bad_target)?;
    Ok((user, tokens))
}

/// The ids of the users whose email or phone is the identity's.
fn candidates(state: &State, identity: &social::NewProviderCode) -> Vec<String> {
    let (email, phone) = crate::families::social::contacts(identity);
    let mut ids: Vec<String> = Vec::new();
    for target in [email, phone].into_iter().flatten() {
        if let Some(user) = state
            .users
            .by_target(&target)
            .and_then(|i| state.users.get(i))
        {
            if !ids.contains(&user.id) {
                ids.push(user.id.clone());
            }
        }
    }
    ids
}

/// The 301 answer: the key, the methods, the candidate accounts.
fn needs_binding(pending: &Pending) -> Failure {
    let api_code = if pending.may_register { 1641 } else { 1640 };
    let mut failure = Failure::new(
        NEEDS_BINDING,
        Some(api_code),
        Msg::family(BindingMsg::NeedsBinding),
    );
    failure.data = Some(json!({
        "methods": METHODS,
        "accounts": pending.accounts,
        "key": pending.key,
    }));
    failure
}

/// How a binding route finds the user to bind: the user id, or `None` for a new user made
/// from the identity's profile (`register`), created only once the key is known to be
/// still pending, under the same lock that spends it.
type Find = fn(&Shared, &Map<String, Value>, &Pending) -> Result<Option<String>, Failure>;

/// Checks `action` and `key`, finds the user with `find`, links the identity to it,
/// spends the key and signs the user in.
fn bind(
    shared: &Shared,
    request: &Request,
    body: &Map<String, Value>,
    action: &'static str,
    find: Find,
) -> Outcome {
    if !caller::client_ok(shared, request, body, false) {
        return Err(caller::invalid_client());
    }
    if req_str(body, "action")?.trim() != action {
        return Err(Failure::params(Msg::family(BindingMsg::WrongAction(
            action,
        ))));
    }
    let key = req_str(body, "key")?.trim();
    let pending = {
        let state = shared.state();
        let now = state.now();
        state
            .families
            .social_binding
            .get(key, now)
            .cloned()
            .map_err(|refusal| {
                let msg = match refusal {
                    KeyRefusal::Unknown => BindingMsg::UnknownKey,
                    KeyRefusal::Expired => BindingMsg::ExpiredKey,
                };
                Failure::new(400, Some(own_codes::BAD_KEY), Msg::family(msg))
            })?
    };
    let found = find(shared, body, &pending)?;
    let user_id = {
        let mut guard = shared.state();
        let state = &mut *guard;
        let now = state.now();
        // Another binding may have spent the key meanwhile: one key, one binding.
        if state.families.social_binding.get(key, now).is_err() {
            return Err(Failure::new(
                400,
                Some(own_codes::BAD_KEY),
                Msg::family(BindingMsg::UnknownKey),
            ));
        }
        let user_id = match found {
            Some(id) => id,
            None => {
                let index = crate::families::social::create_user(
                    state,
                    &shared.config,
                    wechat()?,
                    &pending.identity,
                    false,
                )?;
                state
                    .users
                    .get(index)
                    .map(|u| u.id.clone())
                    .ok_or_else(bad_target)?
            }
        };
        let user = state
            .users
            .by_id(&user_id)
            .and_then(|i| state.users.get(i))
            .ok_or_else(not_found)?;
        if let Some(left) = user.locked_for(now) {
            return Err(locked(left));
        }
        let linked =
            crate::families::social::linked_user(state, &pending.connection, &pending.identity);
        if linked.is_none() {
            crate::families::social::link(
                state,
                &user_id,
                &pending.connection,
                wechat()?,
                &pending.identity,
            );
        }
        state.families.social_binding.spend(&pending.key);
        user_id
    };
    let options = Options::with_scope(&pending.scope);
    let outcome = with_scope(issue(shared, request, &options, &user_id), &pending.scope);
    crate::families::devices::record(shared, request, &outcome);
    outcome
}

fn not_found() -> Failure {
    Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound)
}

fn register(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    bind(
        shared,
        request,
        body,
        "create-federation-account",
        |_, _, pending| {
            if !pending.may_register {
                return Err(Failure::new(
                    403,
                    Some(own_codes::REGISTER_NOT_ALLOWED),
                    Msg::family(BindingMsg::RegisterNotAllowed),
                ));
            }
            Ok(None)
        },
    )
}

/// The user of `target`, after spending the login code sent to it.
fn by_code(shared: &Shared, target: &Target, code: &str) -> Result<String, Failure> {
    let mut state = shared.state();
    state
        .consume_code(&shared.config, target, "CHANNEL_LOGIN", code)
        .map_err(code_failure)?;
    state
        .users
        .by_target(target)
        .and_then(|i| state.users.get(i))
        .map(|u| u.id.clone())
        .ok_or_else(not_found)
}

fn by_email_code(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    bind(
        shared,
        request,
        body,
        "bind-identity-by-email-code",
        |shared, body, _| {
            let email = req_str(body, "email")?;
            let code = req_str(body, "code")?;
            let target = Target::email(email).ok_or_else(bad_target)?;
            by_code(shared, &target, code).map(Some)
        },
    )
}

fn by_phone_code(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    bind(
        shared,
        request,
        body,
        "bind-identity-by-phone-code",
        |shared, body, _| {
            let phone = req_str(body, "phone")?;
            let code = req_str(body, "code")?;
            let cc = opt_text(body, "phoneCountryCode")?;
            let target = Target::phone(cc, phone).ok_or_else(bad_target)?;
            by_code(shared, &target, code).map(Some)
        },
    )
}

fn by_account(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    bind(
        shared,
        request,
        body,
        "bind-identity-by-password",
        |shared, body, _| {
            let account = req_str(body, "account")?.trim().to_owned();
            let wire = req_str(body, "password")?;
            // Android sends it RSA-encrypted with the server's key; the other SDKs as given.
            let password = password::open(Encryption::Rsa, wire)
                .map_or_else(|| wire.to_owned(), |(plain, _)| plain);
            let find = |state: &State| state.users.by_account(AccountKey::Account, &account);
            signin::check(shared, find, None, &password)?
                .ok_or_else(not_found)
                .map(Some)
        },
    )
}

fn select(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    bind(
        shared,
        request,
        body,
        "bind-identity-by-selection",
        |_, body, pending| {
            let account = req_str(body, "account")?.trim();
            pending
                .accounts
                .iter()
                .find(|id| *id == account)
                .cloned()
                .map(Some)
                .ok_or_else(not_found)
        },
    )
}

fn by_account_id(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    bind(
        shared,
        request,
        body,
        "bind-identity-by-account-id",
        |shared, body, _| {
            let account_id = req_str(body, "accountId")?.trim();
            let state = shared.state();
            state
                .users
                .by_id(account_id)
                .and_then(|i| state.users.get(i))
                .map(|u| Some(u.id.clone()))
                .ok_or_else(not_found)
        },
    )
}
