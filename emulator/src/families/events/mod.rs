//! The events family: Authing's event stream (a WebSocket) and the publishing of custom
//! events.
//!
//! - `GET /events/v1/authentication/sub?code=<event code>&token=<access token>` with a
//!   WebSocket upgrade (RFC 6455, version 13): the stream of `code`'s events about the
//!   token's user. Refused before the upgrade with an envelope: 400 without `code` or for
//!   a request that is not a WebSocket upgrade, 401 / apiCode 2020 when the token is
//!   missing, unknown, expired or revoked. Each event is one text frame
//!   `{id, eventType, eventData, userId, timestamp}` (`state.rs`; Authing documents no
//!   shape: the field names follow its publishing API's `eventType`/`eventData`). When
//!   the session of the token ends (signed out, revoked, its device unbound), the stream
//!   sends `authing.user.logout` (the emulator's own code) and closes with code 4001.
//! - `POST /api/v3/pub-userEvent {eventType, eventData}` (bearer): publishes a custom
//!   event to the caller's own streams of that code; `authing.*` codes are refused (403,
//!   Authing's rule: an app publishes only its pool's custom events). Answers
//!   `{success: true}`.
//! - What the emulator publishes of its own state changes (`observed`): a sign-in
//!   (`authing.user.login`; a passkey sign-in too), profile, password, phone and email changes
//!   (`authing.user.updated`, with `changed`), the deletion of the account
//!   (`authing.user.delete-account`), and roles and groups given through the admin API
//!   (`authing.user.updated`).
//! - Admin (`admin.rs`): drop every stream, publish as the app's backend, the log.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use std::net::Shutdown;
use std::sync::mpsc::{self, TryRecvError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, Role};
use tungstenite::{Message, WebSocket};

use crate::core::caller;
use crate::core::codes::NOT_SIGNED_IN;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::core::tokens;
use crate::core::urlencoded;
use crate::families::events::msg::EventsMsg;
use crate::families::events::state::Out;
use crate::http::server::Shared;
use crate::http::{Request, Response, Stream};

/// The subscription endpoint (Java's `webSocketEndpoint`).
pub(crate) const SUB_PATH: &str = "/events/v1/authentication/sub";
/// The publishing endpoint.
pub(crate) const PUB_PATH: &str = "/api/v3/pub-userEvent";
/// How often a stream's thread looks at its socket, its channel and its session.
const TICK: Duration = Duration::from_millis(20);
/// The close code of a stream whose session ended (the emulator's own, in the range
/// RFC 6455 leaves to applications).
const SESSION_ENDED: u16 = 4001;

/// The routes of the events family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        PUB_PATH => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(publish),
        }),
        _ => None,
    }
}

/// `POST /api/v3/pub-userEvent`.
fn publish(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let code = match body.get("eventType") {
        Some(Value::String(code)) => code.trim().to_owned(),
        Some(_) => return Err(Failure::params(Msg::WrongType("eventType"))),
        None => return Err(Failure::params(Msg::MissingField("eventType"))),
    };
    if code.is_empty() || code.len() > 256 || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Failure::params(Msg::family(EventsMsg::BadCode)));
    }
    if code.starts_with("authing.") {
        return Err(Failure::new(
            403,
            None,
            Msg::family(EventsMsg::ReservedCode),
        ));
    }
    let data = body.get("eventData").cloned().unwrap_or(Value::Null);
    let now = now_ms(&state);
    state.families.events.publish(&user, &code, data, now);
    Ok(Some(json!({ "success": true })))
}

/// The emulator clock in milliseconds since the epoch.
fn now_ms(state: &State) -> u64 {
    state
        .now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A stream about to start: it runs on the connection's thread with the socket, plain
/// (`ws://`) or under the emulator's TLS (`wss://`).
pub(crate) type Upgraded<'a> = Box<dyn FnOnce(Stream) + 'a>;

/// The upgrade of a request to the subscription endpoint: `None` for any other path; the
/// refusal, or the stream to run.
pub(crate) fn upgrade<'a>(
    shared: &'a Shared,
    request: &Request,
) -> Option<Result<Upgraded<'a>, Response>> {
    if request.path != SUB_PATH {
        return None;
    }
    Some(accept(shared, request))
}

fn refuse(shared: &Shared, status: u16, api_code: Option<u32>, message: &str) -> Response {
    let mut body =
        json!({"statusCode": status, "message": message, "requestId": shared.request_id()});
    if let Some(code) = api_code {
        body["apiCode"] = code.into();
    }
    Response::json_status(status, &body)
}

fn accept<'a>(shared: &'a Shared, request: &Request) -> Result<Upgraded<'a>, Response> {
    let is_upgrade = request.method == "GET"
        && request
            .header("upgrade")
            .is_some_and(|u| u.trim().eq_ignore_ascii_case("websocket"));
    let key = request.header("sec-websocket-key").map(str::trim);
    let (true, Some(key)) = (is_upgrade, key) else {
        return Err(refuse(
            shared,
            400,
            None,
            "this endpoint takes a websocket upgrade only",
        ));
    };
    if request.header("sec-websocket-version").map(str::trim) != Some("13") {
        return Err(
            refuse(shared, 426, None, "websocket version 13 is required")
                .header("Sec-WebSocket-Version", "13"),
        );
    }
    let query = urlencoded::parse(&request.query);
    let text = |name: &str| {
        query
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let code = text("code");
    if code.is_empty() {
        return Err(refuse(
            shared,
            400,
            None,
            "code is required: the event code to subscribe to",
        ));
    }
    let token = text("token");
    let (user, session) = {
        let state = shared.state();
        match state.sessions.authenticate(&token, state.now()) {
            Ok(user) => (user, state.sessions.session_of(&token)),
            Err(why) => {
                let message = Msg::NotSignedIn(why).text(crate::core::msg::Lang::En);
                return Err(refuse(shared, 401, Some(NOT_SIGNED_IN), &message));
            }
        }
    };
    let accept_key = tungstenite::handshake::derive_accept_key(key.as_bytes());
    Ok(Box::new(move |tcp: Stream| {
        stream(shared, tcp, &accept_key, &user, session, &code);
    }))
}

/// Serves one stream until it closes, the emulator drops it or stops, or its session
/// ends.
fn stream(
    shared: &Shared,
    mut tcp: Stream,
    accept_key: &str,
    user: &str,
    session: Option<u64>,
    code: &str,
) {
    use std::io::Write;
    let head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept_key}\r\n\r\n"
    );
    let Ok(cutter) = tcp.try_clone_tcp() else {
        return;
    };
    // Subscribed before the 101 goes out: once the client sees its stream open, an event
    // published is sent to it.
    let (tx, rx) = mpsc::channel();
    let (id, replay) = shared.state().families.events.subscribe(user, code, tx);
    let _registered = Registered { shared, id };
    if tcp
        .write_all(head.as_bytes())
        .and_then(|()| tcp.flush())
        .is_err()
    {
        return;
    }
    let _ = tcp.set_read_timeout(Some(TICK));
    let mut ws = WebSocket::from_raw_socket(tcp, Role::Server, None);
    for text in replay {
        if ws.send(Message::text(text)).is_err() {
            return;
        }
    }
    loop {
        loop {
            match rx.try_recv() {
                Ok(Out::Text(text)) => {
                    if ws.send(Message::text(text)).is_err() {
                        return;
                    }
                }
                Ok(Out::Drop) => {
                    let _ = cutter.shutdown(Shutdown::Both);
                    return;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    close(&mut ws, 1001, "the emulator was reset");
                    return;
                }
            }
        }
        if shared.stopping() {
            let _ = cutter.shutdown(Shutdown::Both);
            return;
        }
        let ended = session.is_some_and(|s| shared.state().sessions.session_ended(s));
        if let (true, Some(session)) = (ended, session) {
            // The first stream of the session to see its end publishes the logout (once
            // per session); every stream sends what its channel holds, then closes.
            let mut state = shared.state();
            if state.families.events.first_end(session) {
                let now = now_ms(&state);
                let data = json!({"userId": user, "reason": "session-ended"});
                state
                    .families
                    .events
                    .publish(user, "authing.user.logout", data, now);
            }
            drop(state);
            while let Ok(Out::Text(text)) = rx.try_recv() {
                let _ = ws.send(Message::text(text));
            }
            close(&mut ws, SESSION_ENDED, "session ended");
            return;
        }
        match ws.read() {
            Ok(Message::Close(_)) => {
                let _ = ws.flush();
                return;
            }
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
    }
}

/// Sends a close frame and waits a moment for the client's (without waiting on a client
/// that sends none).
fn close(ws: &mut WebSocket<Stream>, code: u16, reason: &str) {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_owned().into(),
    };
    if ws.close(Some(frame)).is_err() {
        return;
    }
    let deadline = std::time::Instant::now() + Duration::from_millis(500);
    while std::time::Instant::now() < deadline {
        match ws.read() {
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

/// A stream in the hub: taken out when its thread ends, however it ends.
struct Registered<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.shared.state().families.events.unsubscribe(self.id);
    }
}

/// Answers `request` with `answer` and publishes what it changed: the events of
/// `kind_of` for a successful answer (statusCode 200) of its paths; the table is in
/// docs/EMULATOR.md, "Events".
pub(crate) fn observed(
    shared: &Shared,
    request: &Request,
    answer: impl FnOnce() -> Response,
) -> Response {
    let path = request.path.trim_end_matches('/');
    let Some(kind) = kind_of(path) else {
        return answer();
    };
    // The bearer's user, before the call (a deletion takes it away).
    let before = {
        let state = shared.state();
        state
            .sessions
            .authenticate(caller::bearer(request), state.now())
            .ok()
    };
    let response = answer();
    let Ok(body) = serde_json::from_slice::<Value>(&response.body) else {
        return response;
    };
    let ok = response.status == 200
        && (body.get("statusCode").is_none_or(|s| s == 200)
            || body.get("ok") == Some(&Value::Bool(true)));
    if !ok {
        return response;
    }
    let mut state = shared.state();
    let (user, code, data) = match kind {
        Kind::Login => {
            // A passkey sign-in answers its tokens in `data.tokenSet`.
            let Some(user) = body
                .pointer("/data/access_token")
                .or_else(|| body.pointer("/data/tokenSet/access_token"))
                .and_then(Value::as_str)
                .and_then(tokens::verify)
                .and_then(|claims| claims.get("sub").and_then(Value::as_str).map(str::to_owned))
            else {
                return response;
            };
            let data = json!({"userId": user, "user": summary(&state, &user)});
            (user, "authing.user.login", data)
        }
        Kind::Updated(changed) => {
            let Some(user) = before else { return response };
            let data =
                json!({"userId": user, "changed": [changed], "user": summary(&state, &user)});
            (user, "authing.user.updated", data)
        }
        Kind::Deleted => {
            let Some(user) = before else { return response };
            (
                user.clone(),
                "authing.user.delete-account",
                json!({"userId": user}),
            )
        }
        Kind::Assigned(changed) => {
            let Some(user) = admin_user(&state, path) else {
                return response;
            };
            let data =
                json!({"userId": user, "changed": [changed], "user": summary(&state, &user)});
            (user, "authing.user.updated", data)
        }
    };
    let now = now_ms(&state);
    state.families.events.publish(&user, code, data, now);
    response
}

/// Publishes `authing.user.updated` with `changed` for the user `query` names (id,
/// username, email, phone): what the admin API's role and group changes publish, from
/// the [`Emulator`](crate::Emulator) handle as from HTTP.
pub(crate) fn user_updated(state: &mut State, query: &str, changed: &str) {
    let Some(user) = state
        .users
        .by_query(query)
        .and_then(|i| state.users.get(i))
        .map(|u| u.id.clone())
    else {
        return;
    };
    let data = json!({"userId": user, "changed": [changed], "user": summary(state, &user)});
    let now = now_ms(state);
    state
        .families
        .events
        .publish(&user, "authing.user.updated", data, now);
}

/// What a path's success publishes.
enum Kind {
    Login,
    Updated(&'static str),
    Deleted,
    Assigned(&'static str),
}

fn kind_of(path: &str) -> Option<Kind> {
    Some(match path {
        _ if path.starts_with("/api/v3/signin")
            || path.starts_with("/api/v3/exchange-tokenset")
            || path == "/api/v3/webauthn/authentication" =>
        {
            Kind::Login
        }
        "/api/v3/update-profile" => Kind::Updated("profile"),
        "/api/v3/update-password" => Kind::Updated("password"),
        "/api/v3/bind-phone" | "/api/v3/unbind-phone" | "/api/v3/update-phone" => {
            Kind::Updated("phone")
        }
        "/api/v3/bind-email" | "/api/v3/unbind-email" | "/api/v3/update-email" => {
            Kind::Updated("email")
        }
        "/api/v3/delete-account" => Kind::Deleted,
        _ if path.starts_with("/emulator/v1/users/") && path.ends_with("/roles") => {
            Kind::Assigned("roles")
        }
        _ if path.starts_with("/emulator/v1/users/") && path.ends_with("/groups") => {
            Kind::Assigned("groups")
        }
        _ => return None,
    })
}

/// The user id an admin path `/emulator/v1/users/{user}/…` names (id, username, email or
/// phone).
fn admin_user(state: &State, path: &str) -> Option<String> {
    let rest = path.strip_prefix("/emulator/v1/users/")?;
    let (user, _) = rest.split_once('/')?;
    let user = urlencoded::decode_path(user);
    let index = state.users.by_query(&user)?;
    state.users.get(index).map(|u| u.id.clone())
}

/// A few fields of the user, for an event's data.
fn summary(state: &State, id: &str) -> Value {
    let Some(user) = state.users.by_id(id).and_then(|i| state.users.get(i)) else {
        return Value::Null;
    };
    json!({
        "userId": user.id,
        "username": user.username,
        "email": user.email,
        "phone": user.phone.as_ref().map(|(_, number)| number.clone()),
        "nickname": user.profile.get("nickname"),
        "updatedAt": user.updated_at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64),
    })
}
