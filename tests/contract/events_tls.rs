//! The event stream's TLS uses the client's own trust settings: a `wss://` host signed by
//! a private CA is reached once the CA's PEM is given to the builder
//! (`root_certificates_pem`), and refused without it (Mozilla's roots), as the HTTP calls
//! are. The loopback server answers the upgrade with a plain 403, which proves the TLS
//! handshake went through.

use std::sync::mpsc;
use std::time::Duration;

use authing::{AuthClient, EventEnd, SubEvent};

use crate::tls_server::TlsServer;

const WAIT: Duration = Duration::from_secs(15);

fn client(server: &TlsServer, ca: Option<&str>) -> AuthClient {
    let mut builder = AuthClient::builder()
        .app_id("app")
        .app_host(server.base_url())
        .access_token("token")
        .web_socket_host(format!("wss://127.0.0.1:{}", server.port()));
    if let Some(pem) = ca {
        builder = builder.root_certificates_pem(pem);
    }
    builder.build().unwrap()
}

#[test]
fn a_wss_host_signed_by_a_private_ca_is_reached_with_the_clients_roots() {
    let server = TlsServer::scripted(|_| {
        (
            403,
            r#"{"statusCode":403,"message":"no such event"}"#.into(),
        )
    });
    let (tx, updates) = mpsc::channel();
    let _subscription = client(&server, Some(&server.ca_pem)).sub_event("myapp.x", tx);
    match updates.recv_timeout(WAIT).unwrap() {
        SubEvent::Ended(EventEnd::Refused(why)) => {
            assert!(
                why.contains("403") && why.contains("no such event"),
                "{why}"
            )
        }
        other => panic!("expected the server's refusal over tls, got {other:?}"),
    }
}

#[test]
fn without_the_private_ca_the_tls_handshake_fails_and_is_retried() {
    let server = TlsServer::scripted(|_| (403, "{}".into()));
    let (tx, updates) = mpsc::channel();
    let subscription = client(&server, None).sub_event("myapp.x", tx);
    match updates.recv_timeout(WAIT).unwrap() {
        SubEvent::Reconnecting {
            attempt: 1, reason, ..
        } => {
            assert!(reason.to_lowercase().contains("certificate"), "{reason}")
        }
        other => panic!("expected a failed tls handshake, got {other:?}"),
    }
    assert!(subscription.unsubscribe());
    loop {
        match updates.recv_timeout(WAIT).unwrap() {
            SubEvent::Ended(end) => {
                assert_eq!(end, EventEnd::Unsubscribed);
                break;
            }
            SubEvent::Reconnecting { .. } => {}
            other => panic!("{other:?}"),
        }
    }
}
