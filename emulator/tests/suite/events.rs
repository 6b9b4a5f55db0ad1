//! The emulator's event stream over a raw WebSocket (tungstenite's client, not the SDK):
//! the refusals before the upgrade, what a stream receives (its own events only, in
//! order, with ids), `pub-userEvent` and its refusal of `authing.*`, the admin drop and
//! the replay that follows it, and the close that ends a revoked session's stream.

use std::net::TcpStream;
use std::time::Duration;

use crate::common::agent;
use authing_emulator::{Emulator, NewUser};
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

const PASSWORD: &str = "secret-123";

fn emulator() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_username("mike", PASSWORD))
        .unwrap();
    emu.add_user(NewUser::with_username("bob", PASSWORD))
        .unwrap();
    emu
}

/// Signs `user` in; its access token.
fn sign_in(emu: &Emulator, user: &str) -> String {
    sign_in_data(emu, user)["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Signs `user` in; the answer's `data` (its tokens).
fn sign_in_data(emu: &Emulator, user: &str) -> Value {
    let body = json!({"connection": "PASSWORD",
        "passwordPayload": {"username": user, "password": PASSWORD},
        "options": {"scope": "openid profile offline_access"}});
    let answer: Value = serde_json::from_str(
        &agent()
            .post(format!("{}/api/v3/signin", emu.base_url()))
            .header("content-type", "application/json")
            .header("x-authing-app-id", emu.app_id())
            .send(body.to_string())
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    answer["data"].clone()
}

fn url(emu: &Emulator, code: &str, token: &str) -> String {
    let base = emu.base_url().replacen("http://", "ws://", 1);
    format!("{base}/events/v1/authentication/sub?code={code}&token={token}")
}

fn open(emu: &Emulator, code: &str, token: &str) -> WebSocket<TcpStream> {
    let addr = emu.base_url().trim_start_matches("http://").to_owned();
    let tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let (ws, response) = tungstenite::client::client(url(emu, code, token), tcp).unwrap();
    assert_eq!(response.status(), 101);
    ws
}

/// The status and body of an upgrade the emulator refuses.
fn refused(emu: &Emulator, code: &str, token: &str) -> (u16, Value) {
    let addr = emu.base_url().trim_start_matches("http://").to_owned();
    let tcp = TcpStream::connect(addr).unwrap();
    match tungstenite::client::client(url(emu, code, token), tcp) {
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
            let body = response.body().clone().unwrap_or_default();
            (
                response.status().as_u16(),
                serde_json::from_slice(&body).unwrap(),
            )
        }
        other => panic!(
            "expected a refusal, got {:?}",
            other.map(|(_, r)| r.status())
        ),
    }
}

/// The next text frame, as JSON.
fn next(ws: &mut WebSocket<TcpStream>) -> Value {
    loop {
        match ws.read().unwrap() {
            Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
}

fn publish(emu: &Emulator, token: &str, code: &str, data: &str) -> Value {
    let mut response = agent()
        .post(format!("{}/api/v3/pub-userEvent", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("authorization", format!("Bearer {token}"))
        .config()
        .http_status_as_error(false)
        .build()
        .send(json!({"eventType": code, "eventData": data}).to_string())
        .unwrap();
    serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn the_upgrade_is_refused_without_code_or_with_a_bad_token() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    let (status, body) = refused(&emu, "", &token);
    assert_eq!((status, body["statusCode"].as_u64()), (400, Some(400)));
    let (status, body) = refused(&emu, "myapp.x", "not-a-token");
    assert_eq!(status, 401);
    assert_eq!(body["apiCode"], 2020);
}

#[test]
fn a_stream_gets_its_own_users_events_in_order_with_distinct_ids() {
    let emu = emulator();
    let mike = sign_in(&emu, "mike");
    let bob = sign_in(&emu, "bob");
    let mut ws = open(&emu, "myapp.x", &mike);
    assert_eq!(publish(&emu, &bob, "myapp.x", "bob's")["statusCode"], 200);
    for n in ["1", "2", "3"] {
        assert_eq!(publish(&emu, &mike, "myapp.x", n)["data"]["success"], true);
    }
    let events: Vec<Value> = (0..3).map(|_| next(&mut ws)).collect();
    let data: Vec<&str> = events
        .iter()
        .map(|e| e["eventData"].as_str().unwrap())
        .collect();
    assert_eq!(data, ["1", "2", "3"], "bob's event is not mike's");
    assert_eq!(events[0]["eventType"], "myapp.x");
    assert_ne!(events[0]["id"], events[1]["id"]);
    assert_eq!(emu.event_subscribers(), 1);
}

#[test]
fn authings_own_codes_cannot_be_published_by_an_app() {
    let emu = emulator();
    let mike = sign_in(&emu, "mike");
    let answer = publish(&emu, &mike, "authing.user.updated", "{}");
    assert_eq!(answer["statusCode"], 403, "{answer}");
}

#[test]
fn after_an_admin_drop_the_next_stream_replays_from_the_last_event_sent() {
    let emu = emulator();
    let mike = sign_in(&emu, "mike");
    let mut ws = open(&emu, "myapp.x", &mike);
    publish(&emu, &mike, "myapp.x", "1");
    let first = next(&mut ws);
    let dropped: Value = serde_json::from_str(
        &agent()
            .post(format!("{}/emulator/v1/events/drop", emu.base_url()))
            .header("content-type", "application/json")
            .send("{}")
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(dropped["dropped"], 1, "{dropped}");
    let cut = ws.read();
    assert!(
        !matches!(cut, Ok(Message::Close(_)) | Ok(Message::Text(_))),
        "the stream is cut without a close frame: {cut:?}"
    );
    publish(&emu, &mike, "myapp.x", "2");
    let mut again = open(&emu, "myapp.x", &mike);
    assert_eq!(
        next(&mut again)["id"],
        first["id"],
        "the last event sent comes again"
    );
    assert_eq!(next(&mut again)["eventData"], "2", "then the one missed");
}

#[test]
fn a_revoked_session_publishes_one_logout_and_its_streams_close_4001() {
    let emu = emulator();
    let tokens = sign_in_data(&emu, "mike");
    let mike = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let mut ws = open(&emu, "authing.user.logout", mike);
    let mut other = open(&emu, "myapp.x", mike);
    // Revoking the refresh token ends the session (its access tokens with it).
    let revoked = agent()
        .post(format!("{}/oidc/token/revocation", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(format!("client_id={}&token={refresh}", emu.app_id()))
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let logout = next(&mut ws);
    assert_eq!(logout["eventType"], "authing.user.logout");
    // Both streams of the session close with 4001; the one of another code gets no event.
    for stream in [&mut ws, &mut other] {
        match stream.read() {
            Ok(Message::Close(Some(frame))) => assert_eq!(u16::from(frame.code), 4001),
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
    let logouts = emu
        .published_events()
        .iter()
        .filter(|e| e["eventType"] == "authing.user.logout")
        .count();
    assert_eq!(logouts, 1, "one logout per session, whatever its streams");
}
