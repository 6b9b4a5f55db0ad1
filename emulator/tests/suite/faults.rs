//! Faults over HTTP and in process: raw statuses, bodies that are not JSON, dropped
//! connections, delays, faults per path, and requests held on a [`Gate`].

use std::sync::mpsc;
use std::time::Duration;

use authing_emulator::{Emulator, Fault, Gate};
use serde_json::{json, Value};

use crate::calls::*;
use crate::common::agent;

fn admin_fault(emu: &Emulator, body: Value) {
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/faults", emu.base_url()))
            .send_json(body)
            .unwrap(),
    );
    assert_eq!(a.status, 200, "{}", a.text);
}

#[test]
fn a_status_fault_answers_the_raw_status_and_body_then_stops() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-sms", "times": 2,
               "fault": {"type": "status", "status": 502, "body": "<html>bad gateway</html>"}}),
    );
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}).to_string();
    for _ in 0..2 {
        let a = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, &body);
        assert_eq!(a.status, 502);
        assert_eq!(a.text, "<html>bad gateway</html>");
    }
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn a_malformed_fault_answers_200_with_a_body_that_is_not_json() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-email", "fault": {"type": "malformed"}}),
    );
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"email": EMAIL, "channel": "CHANNEL_LOGIN"}).to_string();
    let a = post_raw(&emu, &agent(), "/api/v3/send-email", &headers, &body);
    assert_eq!(a.status, 200);
    assert!(serde_json::from_str::<Value>(&a.text).is_err());
    assert_eq!(send_email(&emu, EMAIL, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn a_drop_fault_closes_the_connection_without_an_answer() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-sms", "times": 1, "fault": {"type": "drop"}}),
    );
    let url = format!("{}/api/v3/send-sms", emu.base_url());
    let app_id = emu.app_id().to_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // The agent waits up to 30 s; the drop must fail it long before that.
        let result = agent()
            .post(url)
            .header("x-authing-app-id", app_id)
            .send_json(json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}));
        let _ = tx.send(result.map(|r| r.status().as_u16()));
    });
    let result = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the client failed at once, not after its time-out");
    // The socket closed before any byte of an answer: an I/O error, not a time-out.
    match result {
        Err(ureq::Error::Io(e)) => assert_ne!(e.kind(), std::io::ErrorKind::TimedOut, "{e}"),
        other => panic!("expected an i/o error, got {other:?}"),
    }
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn a_drop_fault_writes_no_byte_before_closing() {
    let emu = Emulator::start().unwrap();
    emu.inject_fault("/api/v3/system", Fault::DropConnection, 1);
    // No `Connection: close`: the server closes on its own.
    let (out, closed) = raw_exchange(&emu, b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(out, "");
    assert!(closed);
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn a_delay_fault_answers_normally_afterwards() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-sms", "fault": {"type": "delay", "ms": 50}}),
    );
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn faults_injected_in_process_apply_to_their_path_only() {
    let emu = emulator_with_users();
    emu.inject_fault(
        "/api/v3/send-email",
        Fault::Status {
            status: 503,
            body: "down".into(),
        },
        1,
    );
    emu.inject_fault(
        "/api/v3/send-email",
        Fault::Delay(Duration::from_millis(10)),
        1,
    );
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"email": EMAIL, "channel": "CHANNEL_LOGIN"}).to_string();
    assert_eq!(
        post_raw(&emu, &agent(), "/api/v3/send-email", &headers, &body).status,
        503
    );
    assert_eq!(send_email(&emu, EMAIL, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn a_held_request_waits_for_its_gate_and_is_then_answered_normally() {
    let emu = Emulator::start().unwrap();
    let gate = Gate::new();
    emu.inject_fault("/api/v3/system", Fault::Hold(gate.clone()), 1);
    let url = format!("{}/api/v3/system", emu.base_url());
    let (tx, rx) = mpsc::channel();
    let client = std::thread::spawn(move || {
        let r = agent().get(&url).call().map(|r| r.status().as_u16());
        let _ = tx.send(r.ok());
    });
    assert!(
        gate.wait_held(Duration::from_secs(20)),
        "the request reached the gate"
    );
    assert!(
        rx.recv_timeout(Duration::from_millis(200)).is_err(),
        "a held request was answered before its gate opened"
    );
    gate.open();
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(20)).expect("answered"),
        Some(200)
    );
    client.join().unwrap();
    // The fault was for one request: the next one passes a gate it never meets.
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn dropping_the_emulator_ends_a_hold_that_was_never_opened() {
    let emu = Emulator::start().unwrap();
    let gate = Gate::new();
    emu.inject_fault("/api/v3/system", Fault::Hold(gate.clone()), 1);
    let url = format!("{}/api/v3/system", emu.base_url());
    let (tx, rx) = mpsc::channel();
    let client = std::thread::spawn(move || {
        let r = agent().get(&url).call();
        let _ = tx.send(r.is_err());
    });
    assert!(gate.wait_held(Duration::from_secs(20)));
    drop(emu);
    assert!(
        rx.recv_timeout(Duration::from_secs(20))
            .expect("the client returned"),
        "the held request was closed without an answer"
    );
    assert!(!gate.is_open());
    client.join().unwrap();
}
