//! The QR-code family's admin API, and the same on the [`Emulator`] handle: list them, look at
//! one, and play the phone (`SCAN`, `CONFIRM`, `CANCEL` as a user, without a token), so
//! that a test or an example can drive a desktop's QR sign-in.
//!
//! - `GET /emulator/v1/qrcodes`: every code, oldest first.
//! - `GET /emulator/v1/qrcodes/{qrcodeId}`: one code (404 when unknown). This is also the
//!   `url` that `gene-qrcode` answers.
//! - `POST /emulator/v1/qrcodes/{qrcodeId}` with `{"action": "SCAN"|"CONFIRM"|"CANCEL",
//!   "user": "<user id, username, email or phone>"}`: the phone's action, under the rules
//!   of `change-qrcode-status` (`user` may be left out of `CONFIRM` and `CANCEL`: the user
//!   who scanned).

use serde_json::{json, Value};

use crate::core::msg::Lang;
use crate::core::state::{unix_secs, State};
use crate::core::urlencoded;
use crate::core::vocab::Action;
use crate::families::qrcode::refused;
use crate::families::qrcode::state::{QrCodeInfo, QrError};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;
use crate::EmulatorError;
use crate::UserIdentity;

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The JSON of a code.
fn info_json(info: &QrCodeInfo) -> Value {
    json!({
        "qrcodeId": info.qrcode_id,
        "status": info.status.as_str(),
        "userId": info.user_id,
        "createdAt": unix_secs(info.created_at),
        "expiresAt": unix_secs(info.expires_at),
        "ticketUsed": info.ticket_used,
    })
}

/// Why playing the phone failed: an HTTP status and a message.
struct Refusal(u16, String);

/// Applies `action` to the code `id` as the user `user` names (for `CONFIRM` and `CANCEL`,
/// `None` is the user who scanned).
fn play(
    state: &mut State,
    id: &str,
    user: Option<&str>,
    action: Action,
) -> Result<QrCodeInfo, Refusal> {
    let now = state.now();
    let user_id = match user {
        Some(query) => {
            let index = state
                .users
                .by_query(query)
                .ok_or_else(|| Refusal(404, "no such user".into()))?;
            state
                .users
                .get(index)
                .map(|u| u.id.clone())
                .unwrap_or_default()
        }
        None if action == Action::SCAN => {
            return Err(Refusal(400, "a SCAN needs the user who scans".into()))
        }
        None => state
            .families
            .qrcodes
            .info(id, now)
            .ok_or_else(|| message(QrError::NotFound))?
            .user_id
            .ok_or_else(|| message(QrError::ScanFirst))?,
    };
    let custom = state
        .families
        .qrcodes
        .change(id, &user_id, action, now)
        .map_err(message)?;
    if let (Some(custom), Some(index)) = (custom, state.users.by_id(&user_id)) {
        if let Some(user) = state.users.get_mut(index) {
            user.custom_data.extend(custom);
        }
    }
    state
        .families
        .qrcodes
        .info(id, now)
        .ok_or_else(|| message(QrError::NotFound))
}

/// The refusal of a code's rule, with the endpoint's English message.
fn message(e: QrError) -> Refusal {
    let status = match e {
        QrError::NotFound => 404,
        _ => 409,
    };
    Refusal(status, refused(e).msg.text(Lang::En))
}

/// The family's admin routes: `/emulator/v1/qrcodes` and what is under it.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let ours = path == "/emulator/v1/qrcodes" || path.starts_with("/emulator/v1/qrcodes/");
    ours.then(|| handle(shared, request, path))
}

/// A path under `/emulator/v1/qrcodes`.
fn handle(shared: &Shared, request: &Request, path: &str) -> Response {
    let id = path
        .strip_prefix("/emulator/v1/qrcodes")
        .unwrap_or_default()
        .trim_start_matches('/');
    let allowed: &[&str] = if id.is_empty() {
        &["GET"]
    } else {
        &["GET", "POST"]
    };
    if !allowed.contains(&request.method.as_str()) {
        return error(405, "method not allowed on this endpoint")
            .header("Allow", allowed.join(", "));
    }
    let id = urlencoded::decode_path(id);
    let mut state = shared.state();
    let now = state.now();
    if id.is_empty() {
        let list: Vec<Value> = state
            .families
            .qrcodes
            .list(now)
            .iter()
            .map(info_json)
            .collect();
        return Response::json(&json!({ "qrcodes": list }));
    }
    if request.method == "GET" {
        return match state.families.qrcodes.info(&id, now) {
            Some(info) => Response::json(&info_json(&info)),
            None => error(404, "no such qr code"),
        };
    }
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return error(400, "request body must be a json object"),
    };
    let Some(action) = body["action"].as_str().and_then(Action::from_wire) else {
        return error(400, "action must be SCAN, CONFIRM or CANCEL");
    };
    match play(&mut state, &id, body["user"].as_str(), action) {
        Ok(info) => Response::json(&json!({ "ok": true, "qrcode": info_json(&info) })),
        Err(Refusal(status, message)) => error(status, &message),
    }
}

impl Emulator {
    /// Every QR code generated since the start or the last reset, oldest first, with its
    /// status now.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.qr_codes().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn qr_codes(&self) -> Vec<QrCodeInfo> {
        let state = self.server.shared.state();
        state.families.qrcodes.list(state.now())
    }

    /// The QR code `qrcode_id`, with its status now; `None` when there is no such code.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.qr_code("qr-unknown").is_none());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn qr_code(&self, qrcode_id: &str) -> Option<QrCodeInfo> {
        let state = self.server.shared.state();
        state.families.qrcodes.info(qrcode_id, state.now())
    }

    /// Plays the phone: applies `action` to the code `qrcode_id` as the user `user` names,
    /// as a signed-in phone's `change_qr_code_status` would (no token needed), under the
    /// same rules: `SCAN` first, then `CONFIRM` or `CANCEL` by the same user, before the
    /// code expires. Answers the code as it is afterwards.
    ///
    /// ```
    /// use authing_emulator::{Action, Emulator, NewUser, QrCodeStatus};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// // The desktop generates a code...
    /// let answer = ureq::post(format!("{}/api/v3/gene-qrcode", emulator.base_url()))
    ///     .header("x-authing-app-id", emulator.app_id())
    ///     .header("content-type", "application/json")
    ///     .send(r#"{"type":"MOBILE_APP"}"#)?
    ///     .body_mut()
    ///     .read_to_string()?;
    /// let answer: serde_json::Value = serde_json::from_str(&answer)?;
    /// let id = answer["data"]["qrcodeId"].as_str().unwrap();
    /// // ...and Alice's phone scans it and confirms.
    /// emulator.change_qr_code_status(id, "alice@example.com", Action::SCAN)?;
    /// let info = emulator.change_qr_code_status(id, "alice@example.com", Action::CONFIRM)?;
    /// assert_eq!(info.status, QrCodeStatus::AUTHORIZED);
    /// assert!(emulator.change_qr_code_status("qr-unknown", "alice@example.com", Action::SCAN).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn change_qr_code_status(
        &self,
        qrcode_id: &str,
        user: &(impl UserIdentity + ?Sized),
        action: impl Into<Action>,
    ) -> Result<QrCodeInfo, EmulatorError> {
        let action = action.into();
        let mut state = self.server.shared.state();
        play(&mut state, qrcode_id, Some(&user.identity()), action)
            .map_err(|Refusal(_, message)| EmulatorError::QrCode(message))
    }
}
