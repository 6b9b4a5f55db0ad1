//! The admin API under `/emulator/v1/`: plain JSON, real HTTP statuses. Every request
//! passes `admin_guard.rs` first (host, origin, admin token, content type), then the check
//! that a user it names (`{user}`) is one user, then the families' routes and the core's.

use std::time::Duration;

use serde_json::{json, Value};

use crate::core::contact::Target;
use crate::core::state::unix_secs;
use crate::core::{admin_guard, urlencoded};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Fault;
use crate::NewUser;
use crate::PasswordForm;
use crate::MAX_DURATION;

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

fn ok() -> Response {
    Response::json(&json!({ "ok": true }))
}

/// Answers one request under `/emulator/`.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Response {
    if let Some(refusal) = admin_guard::check(shared, request) {
        return refusal;
    }
    if request.too_large {
        return error(413, "request body is too large");
    }
    let path = request.path.trim_end_matches('/');
    if let Some(refusal) = ambiguous_user(shared, request, path) {
        return refusal;
    }
    if let Some(response) = crate::families::admin(shared, request, path) {
        return response;
    }
    let allowed: &[&str] = match path {
        "/emulator/v1/codes" | "/emulator/v1/stats" => &["GET"],
        // GET is the session family's (`families/session/admin.rs`), which answers first.
        "/emulator/v1/users" => &["GET", "POST"],
        "/emulator/v1/check-password"
        | "/emulator/v1/faults"
        | "/emulator/v1/connections/close-idle" => &["POST"],
        "/emulator/v1/clock" => &["GET", "POST"],
        "/emulator/v1/state" => &["DELETE"],
        _ => return error(404, "no such endpoint"),
    };
    if !allowed.contains(&request.method.as_str()) {
        return error(405, "method not allowed on this endpoint")
            .header("Allow", allowed.join(", "));
    }
    let body = if request.method == "POST" {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return error(400, "request body must be a json object"),
        }
    } else {
        Value::Null
    };
    match path {
        "/emulator/v1/codes" => codes(shared),
        "/emulator/v1/stats" => {
            let stats = shared.stats();
            Response::json(&json!({
                "requests": stats.requests,
                "connections": stats.connections,
                "refusedConnections": stats.refused_connections,
                "tlsConnections": stats.tls_connections,
                "fullHandshakes": stats.full_handshakes,
                "resumedHandshakes": stats.resumed_handshakes,
            }))
        }
        "/emulator/v1/users" => match serde_json::from_value::<NewUser>(body) {
            Ok(user) => match shared.state().add_user(&shared.config, &user) {
                Ok(id) => Response::json(&json!({ "ok": true, "userId": id })),
                Err(e @ crate::EmulatorError::DuplicateUser(_)) => error(409, &e.to_string()),
                Err(e) => error(400, &e.to_string()),
            },
            Err(e) => error(400, &format!("invalid user: {e}")),
        },
        "/emulator/v1/check-password" => check_password(shared, &body),
        "/emulator/v1/clock" => clock(shared, request, &body),
        "/emulator/v1/faults" => faults(shared, &body),
        "/emulator/v1/connections/close-idle" => {
            Response::json(&json!({ "closed": shared.close_idle() }))
        }
        _ => {
            shared.reset();
            ok()
        }
    }
}

/// The names of users an admin request gives: every path segment that follows a `users`
/// segment (`/emulator/v1/users/{user}/…`, `/emulator/v1/mfa/users/{user}`),
/// percent-decoded, and the string field `user` of a JSON object body.
fn named_users(request: &Request, path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut names: Vec<String> = segments
        .windows(2)
        .filter(|pair| pair[0] == "users" && !pair[1].is_empty())
        .map(|pair| urlencoded::decode_path(pair[1]))
        .collect();
    if !request.body.is_empty() {
        if let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&request.body) {
            if let Some(Value::String(user)) = body.get("user") {
                names.push(user.clone());
            }
        }
    }
    names
}

/// 409 when a name an admin request gives for a user names several users (a directory
/// account and a username both `test`, an all-digit username that is another user's
/// phone, …), with their ids, oldest first, in `candidates`: the request names one by its
/// user id instead.
fn ambiguous_user(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let names = named_users(request, path);
    if names.is_empty() {
        return None;
    }
    let state = shared.state();
    names.iter().find_map(|name| {
        let ids: Vec<String> = state
            .users
            .all_by_query(name)
            .into_iter()
            .filter_map(|index| state.users.get(index).map(|u| u.id.clone()))
            .collect();
        (ids.len() > 1).then(|| {
            let message = format!(
                "user {name:?} is ambiguous: it names {} users ({}); name one by its user id",
                ids.len(),
                ids.join(", ")
            );
            Response::json_status(409, &json!({ "error": message, "candidates": ids }))
        })
    })
}

fn codes(shared: &Shared) -> Response {
    let list: Vec<Value> = shared
        .state()
        .codes()
        .into_iter()
        .map(|c| {
            let mut v = json!({
                "channel": c.channel,
                "code": c.code,
                "expiresAt": unix_secs(c.expires_at),
                "used": c.used,
            });
            if let Some(email) = c.email {
                v["email"] = email.into();
            }
            if let Some(number) = c.phone_number {
                v["phoneNumber"] = number.into();
            }
            if let Some(cc) = c.phone_country_code {
                v["phoneCountryCode"] = cc.into();
            }
            v
        })
        .collect();
    Response::json(&json!({ "codes": list }))
}

fn check_password(shared: &Shared, body: &Value) -> Response {
    let Some(password) = body["password"].as_str() else {
        return error(400, "password is required");
    };
    let target = if let Some(email) = body["email"].as_str() {
        Target::email(email)
    } else if let Some(number) = body["phoneNumber"].as_str() {
        Target::phone(body["phoneCountryCode"].as_str(), number)
    } else {
        return error(400, "email or phoneNumber is required");
    };
    let (matched, form) = match target {
        Some(t) => {
            let state = shared.state();
            let name = t.display();
            let form = state.password_form(&name).flatten();
            (state.check_password(&name, password), form)
        }
        None => (false, None),
    };
    Response::json(&json!({
        "match": matched,
        "passwordForm": form.map(PasswordForm::as_str),
    }))
}

fn clock(shared: &Shared, request: &Request, body: &Value) -> Response {
    let mut state = shared.state();
    if request.method == "POST" {
        let max = MAX_DURATION.as_secs();
        let by = body["advanceSeconds"]
            .as_f64()
            .filter(|secs| (0.0..=MAX_DURATION.as_secs_f64()).contains(secs))
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok());
        let Some(by) = by else {
            let message = format!("advanceSeconds must be a number from 0 to {max} (100 years)");
            return error(400, &message);
        };
        if !state.advance(by) {
            let message = format!(
                "advanceSeconds {} would move the clock more than {max} s (100 years) ahead \
                 of real time; it is {} s ahead now",
                by.as_secs(),
                state.offset().as_secs()
            );
            return error(400, &message);
        }
    }
    Response::json(&json!({
        "now": unix_secs(state.now()),
        "offsetSeconds": state.offset().as_secs(),
    }))
}

fn faults(shared: &Shared, body: &Value) -> Response {
    let Some(path) = body["path"].as_str() else {
        return error(400, "path is required");
    };
    let times = match &body["times"] {
        Value::Null => 1,
        v => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => n,
            None => {
                let message = format!("times must be a whole number from 0 to {}", u32::MAX);
                return error(400, &message);
            }
        },
    };
    let spec = &body["fault"];
    let fault = match spec["type"].as_str() {
        Some("delay") => {
            let max = MAX_DURATION.as_millis();
            match spec["ms"].as_u64().filter(|&ms| u128::from(ms) <= max) {
                Some(ms) => Fault::Delay(Duration::from_millis(ms)),
                None => {
                    let message = format!(
                        "a delay fault needs ms, a whole number of milliseconds from 0 to \
                         {max} (100 years)"
                    );
                    return error(400, &message);
                }
            }
        }
        Some("drop") => Fault::DropConnection,
        Some("status") => match spec["status"].as_u64().and_then(|s| u16::try_from(s).ok()) {
            Some(status) if (100..=999).contains(&status) => Fault::Status {
                status,
                body: spec["body"].as_str().unwrap_or("").to_owned(),
            },
            _ => return error(400, "a status fault needs a status from 100 to 999"),
        },
        Some("malformed") => Fault::MalformedBody,
        Some("panic") => Fault::Panic,
        _ => {
            return error(
                400,
                "fault.type must be delay, drop, status, malformed or panic",
            )
        }
    };
    shared.state().inject_fault(path, fault, times);
    ok()
}
