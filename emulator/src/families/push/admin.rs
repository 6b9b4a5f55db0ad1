//! The push family's admin API, and the same on the [`Emulator`] handle: list the pushes,
//! look at one, play the phone (`CONFIRM` or `CANCEL` as the push's user, without a
//! token), and set an app's relation apps, so that a test or an example can drive a
//! desktop's push sign-in.
//!
//! - `GET /emulator/v1/push-codes`: every push, oldest first.
//! - `POST /emulator/v1/push-codes` with `{"user": "<user id, username, email or phone>",
//!   "action": "CONFIRM"|"CANCEL"}`: answers that user's newest push still waiting (404
//!   when there is none).
//! - `GET /emulator/v1/push-codes/{pushCodeId}`: one push (404 when unknown).
//! - `POST /emulator/v1/push-codes/{pushCodeId}` with `{"action": "CONFIRM"|"CANCEL"}`:
//!   answers that push as its user, under the rules of `change-pushcode-status`.
//! - `GET /emulator/v1/push-relation-apps/{appId}`: `{"appIds": [..]}`, the apps
//!   `get-pushlogin-relation-apps` answers for pushes of that app.
//! - `PUT /emulator/v1/push-relation-apps/{appId}` with `{"appIds": ["..", ..]}`: sets them.

use serde_json::{json, Value};

use crate::core::msg::Lang;
use crate::core::state::{unix_secs, State};
use crate::core::urlencoded;
use crate::core::vocab::PushCodeAction;
use crate::families::push::refused;
use crate::families::push::state::{PushCodeInfo, PushError};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;
use crate::EmulatorError;
use crate::UserIdentity;

const CODES: &str = "/emulator/v1/push-codes";
const RELATIONS: &str = "/emulator/v1/push-relation-apps";

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The JSON of a push.
fn info_json(info: &PushCodeInfo) -> Value {
    json!({
        "pushCodeId": info.push_code_id,
        "appId": info.app_id,
        "userId": info.user_id,
        "status": info.status.as_str(),
        "createdAt": unix_secs(info.created_at),
        "expiresAt": unix_secs(info.expires_at),
        "tokensHandedOver": info.tokens_handed_over,
    })
}

/// Why playing the phone failed: an HTTP status and a message.
struct Refusal(u16, String);

/// The refusal of a push's rule, with the endpoint's English message.
fn message(e: PushError) -> Refusal {
    let status = match e {
        PushError::NotFound => 404,
        _ => 409,
    };
    Refusal(status, refused(e).msg.text(Lang::En))
}

/// Answers the push `id` as its own user.
fn play(state: &mut State, id: &str, action: PushCodeAction) -> Result<PushCodeInfo, Refusal> {
    let now = state.now();
    let user = state
        .families
        .pushes
        .info(id, now)
        .ok_or_else(|| message(PushError::NotFound))?
        .user_id;
    let custom = state
        .families
        .pushes
        .change(id, &user, action, now)
        .map_err(message)?;
    if let (Some(custom), Some(index)) = (custom, state.users.by_id(&user)) {
        if let Some(user) = state.users.get_mut(index) {
            user.custom_data.extend(custom);
        }
    }
    state
        .families
        .pushes
        .info(id, now)
        .ok_or_else(|| message(PushError::NotFound))
}

/// The newest push waiting for the user `query` names.
fn pending(state: &State, query: &str) -> Result<PushCodeInfo, Refusal> {
    let index = state
        .users
        .by_query(query)
        .ok_or_else(|| Refusal(404, "no such user".into()))?;
    let user = state
        .users
        .get(index)
        .map(|u| u.id.clone())
        .unwrap_or_default();
    state
        .families
        .pushes
        .pending_for(&user, state.now())
        .ok_or_else(|| Refusal(404, "no push is waiting for this user".into()))
}

/// The family's admin routes: `/emulator/v1/push-codes`, `/emulator/v1/push-relation-apps`
/// and what is under them.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let under = |base: &str| path == base || path.starts_with(&format!("{base}/"));
    if under(CODES) {
        return Some(codes(shared, request, path));
    }
    under(RELATIONS).then(|| relations(shared, request, path))
}

fn not_allowed(allowed: &[&str]) -> Response {
    error(405, "method not allowed on this endpoint").header("Allow", allowed.join(", "))
}

fn body_of(request: &Request) -> Option<Value> {
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(v @ Value::Object(_)) => Some(v),
        _ => None,
    }
}

/// A path under `/emulator/v1/push-codes`.
fn codes(shared: &Shared, request: &Request, path: &str) -> Response {
    let id = path
        .strip_prefix(CODES)
        .unwrap_or_default()
        .trim_start_matches('/');
    let allowed: &[&str] = &["GET", "POST"];
    if !allowed.contains(&request.method.as_str()) {
        return not_allowed(allowed);
    }
    let id = urlencoded::decode_path(id);
    let mut state = shared.state();
    let now = state.now();
    if request.method == "GET" {
        if id.is_empty() {
            let list: Vec<Value> = state
                .families
                .pushes
                .list(now)
                .iter()
                .map(info_json)
                .collect();
            return Response::json(&json!({ "pushCodes": list }));
        }
        return match state.families.pushes.info(&id, now) {
            Some(info) => Response::json(&info_json(&info)),
            None => error(404, "no such push code"),
        };
    }
    let Some(body) = body_of(request) else {
        return error(400, "request body must be a json object");
    };
    let Some(action) = body["action"].as_str().and_then(PushCodeAction::from_wire) else {
        return error(400, "action must be CONFIRM or CANCEL");
    };
    let id = if id.is_empty() {
        let Some(user) = body["user"].as_str() else {
            return error(400, "user must name the user whose push to answer");
        };
        match pending(&state, user) {
            Ok(info) => info.push_code_id,
            Err(Refusal(status, message)) => return error(status, &message),
        }
    } else {
        id
    };
    match play(&mut state, &id, action) {
        Ok(info) => Response::json(&json!({ "ok": true, "pushCode": info_json(&info) })),
        Err(Refusal(status, message)) => error(status, &message),
    }
}

/// A path under `/emulator/v1/push-relation-apps`.
fn relations(shared: &Shared, request: &Request, path: &str) -> Response {
    let app = path
        .strip_prefix(RELATIONS)
        .unwrap_or_default()
        .trim_start_matches('/');
    let app = urlencoded::decode_path(app);
    if app.is_empty() {
        return error(404, "name the app: /emulator/v1/push-relation-apps/{appId}");
    }
    let allowed: &[&str] = &["GET", "PUT"];
    if !allowed.contains(&request.method.as_str()) {
        return not_allowed(allowed);
    }
    let mut state = shared.state();
    if request.method == "PUT" {
        let apps = body_of(request).and_then(|body| {
            body["appIds"].as_array().and_then(|ids| {
                ids.iter()
                    .map(|id| id.as_str().map(str::to_owned))
                    .collect::<Option<Vec<String>>>()
            })
        });
        let Some(apps) = apps else {
            return error(400, "the body must be {\"appIds\": [strings]}");
        };
        state.families.pushes.set_relation_apps(&app, apps);
    }
    let apps = state.families.pushes.relation_apps(&app);
    Response::json(&json!({ "appIds": apps }))
}

impl Emulator {
    /// Every push sent since the start or the last reset, oldest first, with its status
    /// now.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.push_codes().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn push_codes(&self) -> Vec<PushCodeInfo> {
        let state = self.server.shared.state();
        state.families.pushes.list(state.now())
    }

    /// The push `push_code_id`, with its status now; `None` when there is no such push.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.push_code("push-unknown").is_none());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn push_code(&self, push_code_id: &str) -> Option<PushCodeInfo> {
        let state = self.server.shared.state();
        state.families.pushes.info(push_code_id, state.now())
    }

    /// The newest push still waiting for the answer of the user `user` names (what their
    /// phone shows); `None` when there is none.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// assert!(emulator.pending_push_code("alice@example.com").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending_push_code(&self, user: &(impl UserIdentity + ?Sized)) -> Option<PushCodeInfo> {
        let state = self.server.shared.state();
        pending(&state, &user.identity()).ok()
    }

    /// Plays the phone: applies `action` to the push `push_code_id` as its user, as their
    /// signed-in phone's `change_push_code_status` would (no token needed), under the same
    /// rules: the push is still `PUSHED` (not expired, replaced or answered). Answers the
    /// push as it is afterwards.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser, PushCodeAction, PushCodeStatus};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// // The desktop asks Alice's phone...
    /// let answer = ureq::post(format!("{}/api/v3/signin-by-push", emulator.base_url()))
    ///     .header("x-authing-app-id", emulator.app_id())
    ///     .header("content-type", "application/json")
    ///     .send(r#"{"account":"alice@example.com"}"#)?
    ///     .body_mut()
    ///     .read_to_string()?;
    /// let answer: serde_json::Value = serde_json::from_str(&answer)?;
    /// let id = answer["data"]["pushCodeId"].as_str().unwrap();
    /// assert_eq!(emulator.pending_push_code("alice@example.com").unwrap().push_code_id, id);
    /// // ...and she approves.
    /// let info = emulator.change_push_code_status(id, PushCodeAction::CONFIRM)?;
    /// assert_eq!(info.status, PushCodeStatus::AUTHORIZED);
    /// assert!(emulator.change_push_code_status(id, PushCodeAction::CANCEL).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn change_push_code_status(
        &self,
        push_code_id: &str,
        action: impl Into<PushCodeAction>,
    ) -> Result<PushCodeInfo, EmulatorError> {
        let action = action.into();
        let mut state = self.server.shared.state();
        play(&mut state, push_code_id, action)
            .map_err(|Refusal(_, message)| EmulatorError::PushCode(message))
    }

    /// Plays the phone of the user `user` names: applies `action` to their newest push
    /// still waiting. An error when there is no such user or no push waits for them.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser, PushCodeAction};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// assert!(emulator.answer_pending_push("alice@example.com", PushCodeAction::CONFIRM).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn answer_pending_push(
        &self,
        user: &(impl UserIdentity + ?Sized),
        action: impl Into<PushCodeAction>,
    ) -> Result<PushCodeInfo, EmulatorError> {
        let action = action.into();
        let mut state = self.server.shared.state();
        let id = pending(&state, &user.identity())
            .map_err(|Refusal(_, message)| EmulatorError::PushCode(message))?
            .push_code_id;
        play(&mut state, &id, action)
            .map_err(|Refusal(_, message)| EmulatorError::PushCode(message))
    }

    /// Sets the apps `get-pushlogin-relation-apps` answers for pushes of the app `app_id`
    /// (by default the app itself).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// emulator.set_push_relation_apps(emulator.app_id(), &["app-a", "app-b"]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_push_relation_apps(&self, app_id: &str, app_ids: &[&str]) {
        let mut state = self.server.shared.state();
        let apps = app_ids.iter().map(|id| (*id).to_owned()).collect();
        state.families.pushes.set_relation_apps(app_id, apps);
    }
}
