//! The push family: `POST /api/v3/signin-by-push` (`SignInByPushDto` ->
//! `GenePushCodeRespDto`), `GET /api/v3/check-pushcode-status?pushCodeId=..`
//! (`CheckPushCodeStatusRespDto`, whose `tokenSet` carries the tokens once the user
//! approved), `POST /api/v3/change-pushcode-status` (the phone, with the signed-in user's
//! bearer; `CommonResponseDto`) and `POST /api/v3/get-pushlogin-relation-apps`
//! (`GetPushCodeRelationAppsDto` -> `GetPushCodeRelationAppsRespDto`). The state machine is
//! `state.rs`.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::codes::{USER_LOCKED, USER_NOT_FOUND};
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{opt_obj, opt_text, req_str};
use crate::core::msg::Msg;
use crate::core::tokens::{has_scope, Grant};
use crate::core::users::AccountKey;
use crate::core::vocab::PushCodeAction;
use crate::core::{caller, urlencoded};
use crate::families::push::msg::PushMsg;
use crate::families::push::state::{NewPush, PushError, PUSH_CODE_TTL};
use crate::families::session::msg::SessionMsg;
use crate::http::server::Shared;
use crate::http::Request;
use codes::{PUSH_CODE_EXPIRED, PUSH_CODE_NOT_FOUND, PUSH_CODE_WRONG_STATE, PUSH_OTHER_APP};

/// The scope of a push sign-in whose `options` name none **(our choice, as QR sign-in's)**:
/// the profile claims and `offline_access`, so a desktop gets a refresh token.
pub(crate) const PUSH_SCOPE: &str = "openid profile email phone username offline_access";

/// The push family's apiCodes, all **the emulator's own** (docs/EMULATOR.md).
pub(crate) mod codes {
    /// The emulator's own: no push has this id.
    pub(crate) const PUSH_CODE_NOT_FOUND: u32 = 2370;

    /// The emulator's own: the push expired (or a newer one replaced it) before the user
    /// answered.
    pub(crate) const PUSH_CODE_EXPIRED: u32 = 2371;

    /// The emulator's own: the push is already answered, or asks another user.
    pub(crate) const PUSH_CODE_WRONG_STATE: u32 = 2372;

    /// The emulator's own: `appId` is not the app that started the push.
    pub(crate) const PUSH_OTHER_APP: u32 = 2373;
}

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let post = |handler| Route {
        method: "POST",
        endpoint: Endpoint::EnvelopeWith(handler),
    };
    match path {
        "/api/v3/signin-by-push" => Some(post(push)),
        "/api/v3/check-pushcode-status" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(check),
        }),
        "/api/v3/change-pushcode-status" => Some(post(change)),
        "/api/v3/get-pushlogin-relation-apps" => Some(post(relation_apps)),
        _ => None,
    }
}

fn msg(msg: PushMsg) -> Msg {
    Msg::family(msg)
}

/// The failure of a refused phone action.
pub(crate) fn refused(error: PushError) -> Failure {
    match error {
        PushError::NotFound => Failure::new(404, Some(PUSH_CODE_NOT_FOUND), msg(PushMsg::NotFound)),
        PushError::Expired => Failure::new(400, Some(PUSH_CODE_EXPIRED), msg(PushMsg::Expired)),
        PushError::Finished(status) => Failure::new(
            400,
            Some(PUSH_CODE_WRONG_STATE),
            msg(PushMsg::Finished(status)),
        ),
        PushError::OtherUser => {
            Failure::new(403, Some(PUSH_CODE_WRONG_STATE), msg(PushMsg::OtherUser))
        }
    }
}

fn user_not_found() -> Failure {
    Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound)
}

/// 403 / 2005 for a locked user, with the seconds left (rounded up).
fn locked(left: std::time::Duration) -> Failure {
    let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    Failure::new(
        403,
        Some(USER_LOCKED),
        Msg::family(SessionMsg::Locked(secs.max(1))),
    )
}

fn push(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let account = req_str(body, "account")?;
    let options = opt_obj(body, "options")?;
    let scope = match options {
        Some(options) => opt_text(options, "scope")?.unwrap_or(PUSH_SCOPE),
        None => PUSH_SCOPE,
    };
    if !has_scope(scope, "openid") {
        return Err(Failure::params(msg(PushMsg::ScopeWithoutOpenid)));
    }
    // `context` is a string in the spec's field type and an object in its example: either
    // is accepted, and ignored.
    let custom_data = match options {
        Some(options) => opt_obj(options, "customData")?.cloned(),
        None => None,
    };
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let index = state
        .users
        .by_account(AccountKey::Account, account)
        .ok_or_else(user_not_found)?;
    let user = state.users.get(index).ok_or_else(user_not_found)?;
    if let Some(left) = user.locked_for(now) {
        return Err(locked(left));
    }
    // The envelope let the request in only with this app's id.
    let app_id = request
        .header("x-authing-app-id")
        .map(str::trim)
        .unwrap_or(shared.config.app_id.as_str())
        .to_owned();
    let new = NewPush {
        app_id,
        user: user.id.clone(),
        scope: scope.to_owned(),
        custom_data,
    };
    let id = state.families.pushes.create(now, new);
    Ok(Some(
        json!({ "pushCodeId": id, "expireTime": PUSH_CODE_TTL.as_secs() }),
    ))
}

fn check(shared: &Shared, request: &Request) -> Outcome {
    let query = urlencoded::parse(&request.query);
    let id = req_str(&query, "pushCodeId")?;
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let seen = state
        .families
        .pushes
        .check(id, now)
        .ok_or_else(|| refused(PushError::NotFound))?;
    let mut data = Map::new();
    data.insert("status".into(), seen.status.as_str().into());
    if let Some((user_id, scope)) = seen.hand_over {
        let index = state.users.by_id(&user_id).ok_or_else(user_not_found)?;
        let user = state.users.get_mut(index).ok_or_else(user_not_found)?;
        if let Some(left) = user.locked_for(now) {
            // Refused for now, not spent: once the lock ends, a check hands the tokens over.
            state.families.pushes.return_hand_over(id);
            return Err(locked(left));
        }
        user.record_success(now, None);
        let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
        let grant = Grant {
            issuer: &issuer,
            audience: &shared.config.app_id,
            scope: &scope,
            nonce: None,
            now,
            access_ttl: lifetimes.access_token,
            refresh_ttl: lifetimes.refresh_token,
        };
        let set = state.sessions.issue(user, &grant);
        data.insert("tokenSet".into(), set.to_json());
    }
    Ok(Some(Value::Object(data)))
}

fn change(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let id = req_str(body, "pushCodeId")?;
    let action = PushCodeAction::from_wire(req_str(body, "action")?)
        .ok_or_else(|| Failure::params(msg(PushMsg::UnknownAction)))?;
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let user = caller::bearer_user_id(state, request)?;
    let custom = state
        .families
        .pushes
        .change(id, &user, action, now)
        .map_err(refused)?;
    if let (Some(custom), Some(index)) = (custom, state.users.by_id(&user)) {
        if let Some(user) = state.users.get_mut(index) {
            user.custom_data.extend(custom);
        }
    }
    Ok(None)
}

fn relation_apps(shared: &Shared, _: &Request, body: &Map<String, Value>) -> Outcome {
    let id = req_str(body, "pushCodeId")?;
    let app_id = req_str(body, "appId")?.trim();
    let state = shared.state();
    let started_by = state
        .families
        .pushes
        .app_of(id)
        .ok_or_else(|| refused(PushError::NotFound))?;
    if started_by != app_id {
        return Err(Failure::new(
            400,
            Some(PUSH_OTHER_APP),
            msg(PushMsg::OtherApp),
        ));
    }
    let apps = state.families.pushes.relation_apps(app_id);
    Ok(Some(json!({ "appIds": apps })))
}
