//! Authing's event stream over `wss://`: the https emulator serves its WebSocket under
//! the same TLS as its API, `sub_event` of a client trusting the emulator's CA gets an
//! event over it, and a stream that connects again resumes its TLS session. Every wait is
//! a channel read with a deadline.

use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use authing::emulator::{Emulator, EmulatorConfig, NewUser};
use authing::SubEvent;

const ALICE: &str = "alice";
const PASSWORD: &str = "secret-123";
const WAIT: Duration = Duration::from_secs(15);

fn next(updates: &Receiver<SubEvent>) -> SubEvent {
    updates
        .recv_timeout(WAIT)
        .expect("an update within the deadline")
}

fn tls_emulator() -> Emulator {
    let emu = Emulator::start_with(EmulatorConfig::default().tls(true)).expect("starts");
    emu.add_user(NewUser::with_username(ALICE, PASSWORD))
        .expect("alice");
    emu
}

fn signed_in(emu: &Emulator) -> authing::AuthClient {
    let client = authing::AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .root_certificates_pem(emu.ca_pem().expect("a tls emulator"))
        .web_socket_host(format!("wss://127.0.0.1:{}", emu.addr().port()))
        .build()
        .expect("valid settings");
    let response = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    client
}

#[test]
fn a_wss_stream_that_connects_again_resumes_its_tls_session() {
    let emu = tls_emulator();
    let client = signed_in(&emu);
    let (tx, updates) = mpsc::channel();
    let subscription = client.sub_event("myapp.notice", tx);
    assert_eq!(next(&updates), SubEvent::Connected { reconnected: false });
    // The API's connection and the stream's: two full handshakes (the event stream's TLS
    // is not ureq's, so it has its own session cache).
    let stats = emu.stats();
    assert_eq!(
        (stats.full_handshakes, stats.resumed_handshakes),
        (2, 0),
        "{stats:?}"
    );
    assert_eq!(emu.drop_event_streams(), 1);
    loop {
        match next(&updates) {
            SubEvent::Reconnecting { .. } => {}
            SubEvent::Connected { reconnected: true } => break,
            other => panic!("expected the stream to connect again, got {other:?}"),
        }
    }
    let stats = emu.stats();
    assert_eq!(
        (stats.full_handshakes, stats.resumed_handshakes),
        (2, 1),
        "{stats:?}"
    );
    subscription.unsubscribe();
}

#[test]
fn sub_event_receives_an_event_over_wss_from_the_https_emulator() {
    let emu = tls_emulator();
    let client = signed_in(&emu);
    let (tx, updates) = mpsc::channel();
    let subscription = client.sub_event("myapp.notice", tx);
    assert_eq!(next(&updates), SubEvent::Connected { reconnected: false });
    emu.publish_event(ALICE, "myapp.notice", serde_json::json!({"n": 1}))
        .expect("published");
    match next(&updates) {
        SubEvent::Event(event) => assert_eq!(event.data(), serde_json::json!({"n": 1})),
        other => panic!("expected the event, got {other:?}"),
    }
    subscription.unsubscribe();
    // The upgrade went over TLS: the stream's connection is a counted TLS connection.
    assert!(emu.stats().tls_connections >= 2, "{:?}", emu.stats());
}
