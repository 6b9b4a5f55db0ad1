//! The warm-up (`AuthClient::warm_up`, issue 24 item 1): discovery, the public keys and an
//! open connection before the click, so that the click costs the sign-in request alone.
//! Counted through the recording proxy (`tests/common/proxy.rs`): its requests and the
//! connections it accepted, never timings.

use std::sync::mpsc;

use crate::common::proxy::{Exchange, Proxy};
use crate::common::{refused_base_url, DEADLINE};
use authing::emulator::{Emulator, Fault, NewUser};
use authing::{codes, AuthClient, AuthOptions, AuthResponse, PasswordEncryptType};

const EMAIL: &str = "warm@example.com";
const PASSWORD: &str = "warm-passw0rd";

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("a user");
    emu
}

/// A client of the emulator's app that discovers its API host through `proxy` (the
/// emulator's public config names the proxy, so every request crosses it).
fn discovering(emu: &Emulator, proxy: &Proxy) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .host(proxy.base_url())
        .build()
        .expect("valid settings")
}

fn public_config_path(emu: &Emulator) -> String {
    format!("/api/v2/applications/{}/public-config", emu.app_id())
}

fn rsa() -> AuthOptions {
    let mut options = AuthOptions::new();
    options.set_password_encrypt_type(PasswordEncryptType::rsa);
    options
}

fn lines(log: &[Exchange]) -> Vec<String> {
    log.iter().map(Exchange::line).collect()
}

/// The requests of a sign-in click: the sign-in, and the profile the session starts with
/// today (the claims-first user of issue 24 drops that one; it is no warm-up's business).
fn click_requests(log: &[Exchange]) -> Vec<String> {
    lines(log)
        .into_iter()
        .filter(|line| line != "GET /api/v3/get-profile")
        .collect()
}

#[test]
fn after_a_warm_up_an_rsa_sign_in_is_its_own_request_on_the_warm_connection() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let client = discovering(&emu, &proxy);
    assert!(proxy.exchanges().is_empty(), "build() sends nothing");

    let (tx, rx) = mpsc::channel();
    let _detached = client.warm_up(tx);
    let warmed: AuthResponse = rx.recv_timeout(DEADLINE).expect("the warm-up answers");
    assert_eq!(warmed.status_code(), 200, "{}", warmed.message());
    assert_eq!(
        warmed.data().unwrap()["appHost"],
        proxy.base_url(),
        "the discovered host"
    );
    assert_eq!(
        lines(&proxy.take()),
        [
            format!("GET {}", public_config_path(&emu)),
            "GET /api/v3/system".to_string()
        ]
    );
    assert_eq!(
        proxy.connections(),
        1,
        "discovery and keys on one connection"
    );

    let signed_in = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, rsa());
    assert_eq!(signed_in.status_code(), 200, "{}", signed_in.message());
    assert_eq!(
        click_requests(&proxy.take()),
        ["POST /api/v3/signin"],
        "no discovery, no key fetch at the click"
    );
    assert_eq!(
        proxy.connections(),
        1,
        "the click used the connection the warm-up opened"
    );
}

#[test]
fn with_a_fixed_host_the_warm_up_fetches_the_keys_and_a_plain_sign_in_reuses_its_connection() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(proxy.base_url())
        .build()
        .unwrap();
    let warmed = client.warm_up_blocking();
    assert!(warmed.is_success(), "{}", warmed.message());
    assert_eq!(lines(&proxy.take()), ["GET /api/v3/system"]);
    let signed_in = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert!(signed_in.is_success(), "{}", signed_in.message());
    assert_eq!(click_requests(&proxy.take()), ["POST /api/v3/signin"]);
    assert_eq!(proxy.connections(), 1);
}

#[test]
fn warm_ups_and_a_sign_in_at_once_fetch_the_config_and_the_keys_once() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let client = discovering(&emu, &proxy);
    // The discovery is held at the proxy until both warm-ups and the sign-in have asked.
    let mut held = proxy.hold_answer(&public_config_path(&emu));
    let (tx, rx) = mpsc::channel();
    let _first = client.warm_up(tx.clone());
    assert!(held.wait_held(DEADLINE), "the first warm-up discovers");
    let _second = client.warm_up(tx);
    let signing_in = {
        let client = client.clone();
        std::thread::spawn(move || {
            client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, rsa())
        })
    };
    held.release();
    for _ in 0..2 {
        let warmed: AuthResponse = rx.recv_timeout(DEADLINE).expect("each warm-up answers");
        assert!(warmed.is_success(), "{}", warmed.message());
    }
    let signed_in = signing_in.join().unwrap();
    assert!(signed_in.is_success(), "{}", signed_in.message());
    // A third, now: within the pool's idle age, it sends nothing.
    assert!(client.warm_up_blocking().is_success());

    let log = proxy.take();
    let count = |line: &str| lines(&log).iter().filter(|l| *l == line).count();
    assert_eq!(
        count(&format!("GET {}", public_config_path(&emu))),
        1,
        "{log:?}"
    );
    assert_eq!(count("GET /api/v3/system"), 1, "{:?}", lines(&log));
    assert_eq!(count("POST /api/v3/signin"), 1);
}

#[test]
fn a_warm_up_of_an_unreachable_host_answers_the_failure_and_a_later_call_succeeds() {
    let emu = emulator();
    let unreachable = refused_base_url();
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(&unreachable)
        .build()
        .unwrap();
    let failed = client.warm_up_blocking();
    assert!(
        matches!(failed.error(), Some(authing::AuthError::Connection { .. })),
        "the key fetch's own failure: {failed:?}"
    );

    // The host comes up (a proxy to the emulator on that port): the failure was not kept.
    let listen = unreachable.trim_start_matches("http://").parse().unwrap();
    let proxy = Proxy::start_on(listen, emu.addr());
    let signed_in = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, rsa());
    assert!(signed_in.is_success(), "{}", signed_in.message());
    assert_eq!(
        click_requests(&proxy.take()),
        ["GET /api/v3/system", "POST /api/v3/signin"],
        "the sign-in fetched the key the failed warm-up could not"
    );
}

#[test]
fn a_failed_discovery_answers_10002_and_the_next_call_discovers_again() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let client = discovering(&emu, &proxy);
    emu.inject_fault(
        &public_config_path(&emu),
        Fault::Status {
            status: 503,
            body: "down for maintenance".into(),
        },
        1,
    );
    let failed = client.warm_up_blocking();
    assert_eq!(
        failed.status_code(),
        codes::CONFIG_NOT_FOUND,
        "{}",
        failed.message()
    );
    assert_eq!(
        lines(&proxy.take()),
        [format!("GET {}", public_config_path(&emu))],
        "no key fetch without a host"
    );

    let warmed = client.warm_up_blocking();
    assert!(warmed.is_success(), "{}", warmed.message());
    assert_eq!(
        lines(&proxy.take()),
        [
            format!("GET {}", public_config_path(&emu)),
            "GET /api/v3/system".to_string()
        ]
    );
}

#[test]
fn the_builders_warm_up_runs_in_the_background_and_the_click_finds_it_done() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    // The discovery's answer is held: `build()` returns while the warm-up waits for it.
    let mut held = proxy.hold_answer(&public_config_path(&emu));
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .host(proxy.base_url())
        .warm_up(true)
        .build()
        .unwrap();
    assert!(
        !proxy
            .exchanges()
            .iter()
            .any(|x| x.line() == "GET /api/v3/system"),
        "build() did not wait for the warm-up (its discovery is still held)"
    );
    assert!(
        held.wait_held(DEADLINE),
        "the warm-up runs after build() returned"
    );
    held.release();
    let deadline = std::time::Instant::now() + DEADLINE;
    assert!(
        proxy.wait_until(deadline, |log| log
            .iter()
            .any(|x| x.line() == "GET /api/v3/system")),
        "the background warm-up fetched the keys"
    );
    proxy.take();
    let signed_in = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, rsa());
    assert!(signed_in.is_success(), "{}", signed_in.message());
    assert_eq!(click_requests(&proxy.take()), ["POST /api/v3/signin"]);
    assert_eq!(proxy.connections(), 1);
}

#[test]
fn an_unconfigured_client_answers_10002_and_sends_nothing() {
    let client = AuthClient::builder().build().unwrap();
    let response = client.warm_up_blocking();
    assert_eq!(response.status_code(), codes::CONFIG_NOT_FOUND);
}
