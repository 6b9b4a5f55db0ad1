//! The admin API's user endpoints beyond creation: `GET /emulator/v1/users` (every user's
//! state), `GET /emulator/v1/users/{user}` (one user's state) and
//! `POST /emulator/v1/users/{user}/expire-access-tokens`. `{user}` is a user id, a
//! username, an email, a phone number (with or without its country code) or a directory
//! account name, percent-encoded.

use serde_json::{json, Value};

use crate::core::state::unix_secs;
use crate::core::urlencoded;
use crate::core::users::UserState;
use crate::families::session::handle::{expire_access_tokens, user_state};
use crate::http::server::Shared;
use crate::http::{Request, Response};

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The JSON of a user's state.
fn state_json(state: &UserState) -> Value {
    json!({
        "userId": state.user_id,
        "username": state.username,
        "email": state.email,
        "phoneNumber": state.phone_number,
        "phoneCountryCode": state.phone_country_code,
        "directory": state.directory,
        "sAMAccountName": state.sam_account_name,
        "failedAttempts": state.failed_attempts,
        "locked": state.locked,
        "lockedUntil": state.locked_until.map(unix_secs),
        "loginsCount": state.logins_count,
        "accessTokens": state.access_tokens,
        "refreshTokens": state.refresh_tokens,
    })
}

/// `GET /emulator/v1/users`.
fn list(shared: &Shared) -> Response {
    let state = shared.state();
    let users: Vec<Value> = (0..)
        .map_while(|index| user_state(&state, index))
        .map(|s| state_json(&s))
        .collect();
    Response::json(&json!({ "users": users }))
}

/// The family's admin routes: `GET /emulator/v1/users` (the core answers its `POST`, which
/// creates a user, and its other methods) and everything under `/emulator/v1/users/`
/// that the directory family did not take first.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path == "/emulator/v1/users" {
        return (request.method == "GET").then(|| list(shared));
    }
    let rest = path.strip_prefix("/emulator/v1/users/")?;
    Some(handle(shared, request, rest))
}

/// A path under `/emulator/v1/users/`: `{user}` or `{user}/expire-access-tokens`.
fn handle(shared: &Shared, request: &Request, rest: &str) -> Response {
    let (user, action) = match rest.split_once('/') {
        Some((user, action)) => (user, Some(action)),
        None => (rest, None),
    };
    let method = match action {
        None => "GET",
        Some("expire-access-tokens") => "POST",
        Some(_) => return error(404, "no such endpoint"),
    };
    if request.method != method {
        return error(405, "method not allowed on this endpoint").header("Allow", method);
    }
    let query = urlencoded::decode_path(user);
    let mut state = shared.state();
    let Some(index) = state.users.by_query(&query) else {
        return error(404, "no such user");
    };
    match action {
        None => match user_state(&state, index) {
            Some(s) => Response::json(&state_json(&s)),
            None => error(404, "no such user"),
        },
        Some(_) => {
            let expired = expire_access_tokens(&mut state, index);
            Response::json(&json!({ "ok": true, "expired": expired }))
        }
    }
}
