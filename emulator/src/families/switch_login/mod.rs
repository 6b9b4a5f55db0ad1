//! The switch-login family: public accounts a signed-in user may switch to.
//!
//! - `GET /api/v3/get-user-select-login-public-accounts` (`GetPublicAccountDataRespDto`):
//!   for the bearer's user (401, apiCode 2020 without a valid access token), `data` is an
//!   array of one `{publicAccounts, originUser?}` (the spec's `data` is an array of
//!   `GetUserSelectLoginPublicAccountsDataDto`): the public accounts linked to the user
//!   (`usertype` `"2"`), and with `withOriginUser=true` the user itself (`usertype` `"1"`,
//!   or `"2"` when it is itself a public account).
//! - `POST /api/v3/switch-login-by-user` (`PublicAccountSwitchLoginDto` ->
//!   `LoginTokenRespDto`): for the bearer's user, tokens for `targetUserId` when it is a
//!   public account linked to the user, or the personal account linked to the public
//!   account the bearer is signed in as (switching back: the spec's "切换登录 between a
//!   personal account and its public accounts"). Anything else answers statusCode 403
//!   without an apiCode (Authing publishes none for it: the spec's ForbiddenError class).
//!   The bearer's own tokens stay valid **(our choice)**.
//!
//! The public accounts and their links are this family's (`state.rs`), seeded through
//! `admin.rs`.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{opt_obj, opt_text, req_str};
use crate::core::msg::Msg;
use crate::core::tokens::{has_scope, Grant};
use crate::core::urlencoded;
use crate::core::users::User;
use crate::families::session::flag;
use crate::families::switch_login::msg::SwitchMsg;
use crate::http::server::Shared;
use crate::http::Request;

/// The scope of a switch that names none: the sign-in's default **(our choice)**.
const DEFAULT_SCOPE: &str = "openid profile";

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        "/api/v3/get-user-select-login-public-accounts" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(list),
        }),
        "/api/v3/switch-login-by-user" => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(switch),
        }),
        _ => None,
    }
}

/// A user as the list shows it (`ListPublicAccountDataDto`).
fn account_json(user: &User, public: bool) -> Value {
    let text = |key: &str| {
        user.profile
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let display = text("nickname")
        .or_else(|| text("name"))
        .or(user.username.as_deref())
        .or(user.email.as_deref())
        .or(user.phone.as_ref().map(|(_, number)| number.as_str()))
        .unwrap_or(&user.id);
    let mut out = json!({
        "userId": user.id,
        "displayName": display,
        "usertype": if public { "2" } else { "1" },
    });
    if let Some(photo) = text("photo") {
        out["avatar"] = photo.into();
    }
    out
}

fn list(shared: &Shared, request: &Request) -> Outcome {
    let query = urlencoded::parse(&request.query);
    let with_origin = flag(&query, "withOriginUser")?;
    let (state, index) = caller::signed_in(shared, request)?;
    let user = caller::user_at(&state, index)?;
    let accounts = &state.families.public_accounts;
    let public_accounts: Vec<Value> = accounts
        .of_user(&user.id)
        .into_iter()
        .filter_map(|id| state.users.by_id(id).and_then(|i| state.users.get(i)))
        .map(|account| account_json(account, true))
        .collect();
    let mut entry = json!({ "publicAccounts": public_accounts });
    if with_origin {
        entry["originUser"] = account_json(user, accounts.is_public(&user.id));
    }
    Ok(Some(json!([entry])))
}

fn switch(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let target = req_str(body, "targetUserId")?.trim();
    let options = opt_obj(body, "options")?;
    let scope = match options {
        Some(options) => opt_text(options, "scope")?.unwrap_or(DEFAULT_SCOPE),
        None => DEFAULT_SCOPE,
    };
    if !has_scope(scope, "openid") {
        return Err(Failure::params(Msg::family(
            crate::families::session::msg::SessionMsg::ScopeWithoutOpenid,
        )));
    }
    let custom = options
        .map(|o| opt_obj(o, "customData"))
        .transpose()?
        .flatten();
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state = &mut *guard;
    let from = caller::bearer_user_id(state, request)?;
    if from == target {
        return Err(Failure::params(Msg::family(SwitchMsg::SameAccount)));
    }
    let forbidden = || Failure::new(403, None, Msg::family(SwitchMsg::NotAllowed));
    if !state.families.public_accounts.may_switch(&from, target) {
        return Err(forbidden());
    }
    let now = state.now();
    let index = state.users.by_id(target).ok_or_else(forbidden)?;
    let Some(user) = state.users.get_mut(index) else {
        return Err(forbidden());
    };
    user.record_success(now, None);
    if let Some(custom) = custom {
        user.custom_data.extend(custom.clone());
    }
    let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer: &issuer,
        audience: &shared.config.app_id,
        scope,
        nonce: None,
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let set = state.sessions.issue(user, &grant);
    Ok(Some(set.to_json()))
}
