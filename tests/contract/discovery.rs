//! App discovery, as Android's `Authing.init(context, appId)`: once, shared, waited for, and
//! one 10002 per waiting call when it fails.

use crate::tls_server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use crate::common::{Captured, Reply, Server, DEADLINE, QUIET};
use crate::{payload, VERIFY_OK};
use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthClient, AuthError, AuthResponse, ResetPasswordVerifyMethod};

const CONFIG_PATH: &str = "/api/v2/applications/app-1/public-config";

fn public_config(req: &Captured) -> Reply {
    let host = req.header("host").unwrap_or_default();
    Reply::Json(format!(
        r#"{{"code":200,"message":"","data":{{"identifier":"app1","requestHostname":"{host}","userPoolId":"pool-9"}}}}"#
    ))
}

fn discovering_client(server: &Server, workers: usize) -> AuthClient {
    AuthClient::builder()
        .app_id("app-1")
        .host(server.base_url())
        .max_concurrent_requests(workers)
        .build()
        .unwrap()
}

fn requests(server: &Server, n: usize) -> Vec<Captured> {
    (0..n).map(|_| server.next_request()).collect()
}

#[test]
fn the_first_call_discovers_the_host_and_user_pool_once() {
    let server = Server::scripted(|req| {
        if req.path == CONFIG_PATH {
            public_config(req)
        } else {
            Reply::Json(VERIFY_OK.into())
        }
    });
    let client = discovering_client(&server, 2);
    for _ in 0..2 {
        let r = client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
        assert_eq!(r.status_code(), 200, "{r:?}");
    }
    let seen = requests(&server, 3);
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("GET", CONFIG_PATH)
    );
    assert_eq!(seen[0].header("x-authing-app-id"), Some("app-1"));
    for verify in &seen[1..] {
        assert_eq!(verify.path, "/api/v3/verify-reset-password-request");
        assert_eq!(verify.header("x-authing-userpool-id"), Some("pool-9"));
    }
    server.assert_no_request();
}

/// A server whose public config waits for `release` and then answers with `ok` or a 500.
fn gated_server(ok: Arc<AtomicBool>) -> (Server, Sender<()>) {
    let (release, gate) = mpsc::channel::<()>();
    let gate: Mutex<Receiver<()>> = Mutex::new(gate);
    let server = Server::scripted(move |req| {
        if req.path == CONFIG_PATH {
            gate.lock().unwrap().recv_timeout(DEADLINE).ok();
            if ok.load(Ordering::SeqCst) {
                public_config(req)
            } else {
                Reply::Raw(500, "text/plain", "console down".into())
            }
        } else {
            Reply::Json(VERIFY_OK.into())
        }
    });
    (server, release)
}

#[test]
fn calls_that_arrive_while_discovery_loads_wait_for_it() {
    let ok = Arc::new(AtomicBool::new(true));
    let (server, release) = gated_server(ok);
    let client = discovering_client(&server, 5);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let handles: Vec<_> = (0..5)
        .map(|_| {
            client.reset_password_request(
                ResetPasswordVerifyMethod::PHONE_PASSCODE,
                payload(),
                tx.clone(),
            )
        })
        .collect();
    assert_eq!(server.next_request().path, CONFIG_PATH);
    server.assert_no_request(); // the others wait; none asks again
    release.send(()).unwrap();
    for _ in 0..5 {
        assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    }
    for h in handles {
        h.join().unwrap();
    }
    let after: Vec<String> = requests(&server, 5).into_iter().map(|r| r.path).collect();
    assert!(after.iter().all(|p| p != CONFIG_PATH), "{after:?}");
}

#[test]
fn a_failed_discovery_answers_every_waiting_call_once_and_a_later_call_retries() {
    let ok = Arc::new(AtomicBool::new(false));
    let (server, release) = gated_server(Arc::clone(&ok));
    let client = discovering_client(&server, 4);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            client.reset_password_request(
                ResetPasswordVerifyMethod::PHONE_PASSCODE,
                payload(),
                tx.clone(),
            )
        })
        .collect();
    assert_eq!(server.next_request().path, CONFIG_PATH);
    server.assert_no_request(); // the others wait for the one load
    release.send(()).unwrap();
    for _ in 0..4 {
        let r = rx.recv_timeout(DEADLINE).unwrap();
        assert_eq!(r.status_code(), codes::CONFIG_NOT_FOUND, "{r:?}");
        assert!(
            matches!(r.error(), Some(AuthError::Config(m)) if m.contains("app discovery failed")),
            "{r:?}"
        );
    }
    assert!(rx.recv_timeout(QUIET).is_err(), "one answer per call");
    for h in handles {
        h.join().unwrap();
    }
    // Nothing was sent to the API while the host was unknown.
    server.assert_no_request();
    // The console is back: a later call tries again and succeeds.
    ok.store(true, Ordering::SeqCst);
    release.send(()).unwrap();
    let r = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), 200, "{r:?}");
}

#[test]
fn discovery_works_against_the_emulator() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("+86", "18812345678", "old-passw0rd"))
        .unwrap();
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .host(emu.base_url())
        .build()
        .unwrap();
    let r = client.send_sms_blocking(
        None,
        "18812345678",
        authing::SmsType::CHANNEL_RESET_PASSWORD,
    );
    assert_eq!(r.status_code(), 200, "{r:?}");
    assert!(emu.latest_code("18812345678").is_some());
}

#[test]
fn an_unknown_app_fails_discovery_with_config_not_found() {
    let emu = Emulator::start().unwrap();
    let client = AuthClient::builder()
        .app_id("no-such-app")
        .host(emu.base_url())
        .build()
        .unwrap();
    let r = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), codes::CONFIG_NOT_FOUND);
    assert!(r.message().contains("2011"), "{}", r.message());
}

/// A TLS server that serves both the public config (naming itself in `requestHostname`,
/// as `http://` + host) and the API.
fn https_console(
    request_hostname: impl Fn(u16) -> String + Send + Sync + 'static,
) -> tls_server::TlsServer {
    let port = Arc::new(Mutex::new(0u16));
    let seen = Arc::clone(&port);
    let server = tls_server::TlsServer::scripted(move |req| {
        if req.path == CONFIG_PATH {
            let host = request_hostname(*seen.lock().unwrap());
            let config = format!(
                r#"{{"code":200,"message":"","data":{{"identifier":"app1","requestHostname":"{host}"}}}}"#
            );
            (200, config)
        } else {
            (200, VERIFY_OK.to_string())
        }
    });
    *port.lock().unwrap() = server.port();
    server
}

#[test]
fn a_public_config_fetched_over_https_cannot_downgrade_the_api_host_to_http() {
    // requestHostname says http://, but the config came over https: the API stays https.
    // (Over plain http the TLS server would never see the verify request.)
    for named in [
        |port| format!("http://127.0.0.1:{port}"),
        |port| format!("HTTP://127.0.0.1:{port}"),
        |port| format!("127.0.0.1:{port}"),
    ] {
        let server = https_console(named);
        let client = AuthClient::builder()
            .app_id("app-1")
            .host(server.base_url())
            .scheme("http") // says http, but the console is https://
            .root_certificates_pem(&server.ca_pem)
            .build()
            .unwrap();
        let r = client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
        assert_eq!(r.status_code(), 200, "{r:?}");
        assert_eq!(server.next_request().path, CONFIG_PATH);
        assert_eq!(
            server.next_request().path,
            "/api/v3/verify-reset-password-request"
        );
    }
}

#[test]
fn a_public_config_fetched_over_http_may_name_an_https_api_host() {
    let api = tls_server::TlsServer::scripted(|_| (200, VERIFY_OK.to_string()));
    let api_url = api.base_url();
    let console = Server::scripted(move |req| {
        if req.path == CONFIG_PATH {
            Reply::Json(format!(
                r#"{{"code":200,"message":"","data":{{"identifier":"app1","requestHostname":"{api_url}"}}}}"#
            ))
        } else {
            Reply::Raw(500, "text/plain", "not the api".into())
        }
    });
    let client = AuthClient::builder()
        .app_id("app-1")
        .host(console.base_url())
        .root_certificates_pem(&api.ca_pem)
        .build()
        .unwrap();
    let r = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(r.status_code(), 200, "{r:?}");
    assert_eq!(
        api.next_request().path,
        "/api/v3/verify-reset-password-request"
    );
}
