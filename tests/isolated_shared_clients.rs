//! `AuthClient::new()` shares one pool, dispatcher and discovery cache per configuration,
//! and never makes a second set for a configuration still in use, however many others come
//! and go. One test, since it changes process-wide state (`Authing::` settings).
mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use authing::{AuthClient, AuthResponse, Authing};
use common::{Captured, Reply, Server, DEADLINE};

/// The settings `AuthClient::new()` would read from the environment, cleared so that only
/// the `Authing::` settings count.
const VARS: [&str; 4] = [
    "AUTHING_APP_ID",
    "AUTHING_APP_HOST",
    "AUTHING_LANG",
    "AUTHING_TIMEOUT_MS",
];

fn public_config(req: &Captured) -> Reply {
    let host = req.header("host").unwrap_or_default();
    Reply::Json(format!(
        r#"{{"code":200,"message":"","data":{{"identifier":"app","requestHostname":"{host}","userPoolId":"pool-1"}}}}"#
    ))
}

#[test]
fn a_configuration_still_in_use_keeps_its_dispatcher_while_17_others_come_and_go() {
    for var in VARS {
        // SAFETY: this binary has one test, and no thread of this process reads or writes
        // the environment while it runs (`AuthClient::new` reads it on this thread).
        unsafe { std::env::remove_var(var) };
    }
    // `/api/v3/system` waits for `release` while `hold` is set.
    let hold = Arc::new(AtomicBool::new(false));
    let (release, gate) = mpsc::channel::<()>();
    let gate: Mutex<Receiver<()>> = Mutex::new(gate);
    let server = {
        let hold = Arc::clone(&hold);
        Server::scripted(move |req| {
            if req.path.ends_with("/public-config") {
                return public_config(req);
            }
            if hold.load(Ordering::SeqCst) {
                let _ = gate.lock().unwrap().recv_timeout(DEADLINE);
            }
            Reply::Json(r#"{"rsa":{"publicKey":"k"}}"#.into())
        })
    };
    Authing::reset();
    Authing::set_host(server.base_url());
    Authing::init("app-0");

    // The first client of app-0 discovers its host once.
    let first = AuthClient::new();
    assert_eq!(first.system_blocking().status_code(), 200);
    assert_eq!(
        server.next_request().path,
        "/api/v2/applications/app-0/public-config"
    );
    assert_eq!(server.next_request().path, "/api/v3/system");

    // More configurations than the registry keeps idle come and go; `first` stays alive.
    for i in 1..=20 {
        Authing::init(format!("app-{i}"));
        drop(AuthClient::new());
    }

    // `new()` with app-0's settings again gives the living client, discovery cache and all:
    // no second discovery.
    Authing::init("app-0");
    let again = AuthClient::new();
    assert_eq!(again.system_blocking().status_code(), 200);
    assert_eq!(server.next_request().path, "/api/v3/system");

    // And the same dispatcher: a call of `first` on the wire is a worker `again` sees.
    hold.store(true, Ordering::SeqCst);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let handle = first.system(tx);
    assert_eq!(server.next_request().path, "/api/v3/system");
    assert_eq!(again.load().workers(), 1);
    release.send(()).unwrap();
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    handle.join().unwrap();
    server.assert_no_request();
    Authing::reset();
}
