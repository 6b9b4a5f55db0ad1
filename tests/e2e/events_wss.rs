//! Authing's event stream over `wss://`: the https emulator serves its WebSocket under
//! the same TLS as its API, and `sub_event` of a client trusting the emulator's CA gets an
//! event over it. Every wait is a channel read with a deadline.

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

#[test]
fn sub_event_receives_an_event_over_wss_from_the_https_emulator() {
    let emu = Emulator::start_with(EmulatorConfig::default().tls(true)).expect("starts");
    emu.add_user(NewUser::with_username(ALICE, PASSWORD))
        .expect("alice");
    let client = authing::AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .root_certificates_pem(emu.ca_pem().expect("a tls emulator"))
        .web_socket_host(format!("wss://127.0.0.1:{}", emu.addr().port()))
        .build()
        .expect("valid settings");
    let response = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
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
