//! TLS sessions on the https emulator: a client that kept the session of an earlier
//! connection resumes it (TLS 1.3 and TLS 1.2), each handshake is counted by kind, and
//! idle connections can be closed on demand, as a keep-alive time-out would.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{agent, DEADLINE};
use authing_emulator::{Emulator, EmulatorConfig, EmulatorStats};
use serde_json::Value;

/// (TLS connections, full handshakes, resumed handshakes).
fn handshakes(stats: EmulatorStats) -> (u64, u64, u64) {
    (
        stats.tls_connections,
        stats.full_handshakes,
        stats.resumed_handshakes,
    )
}

/// A rustls client trusting only the emulator's CA, with `versions`; its session cache
/// (rustls' default, in memory) lives as long as the config.
#[cfg(feature = "tls")]
fn client(
    emu: &Emulator,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Arc<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut store = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(emu.ca_pem().expect("tls").as_bytes()) {
        store.add(cert.expect("a certificate")).expect("added");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .expect("versions")
        .with_root_certificates(store)
        .with_no_client_auth();
    Arc::new(config)
}

/// `GET /api/v3/system` on a new connection with `config`, closed after the answer;
/// the HTTP status line.
#[cfg(feature = "tls")]
fn system(emu: &Emulator, config: &Arc<rustls::ClientConfig>) -> String {
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let conn = rustls::ClientConnection::new(Arc::clone(config), name).expect("a connection");
    let tcp = TcpStream::connect(emu.addr()).expect("connect");
    tcp.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(b"GET /api/v3/system HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .expect("sent");
    let mut out = Vec::new();
    match tls.read_to_end(&mut out) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {}
        Err(e) => panic!("no answer: {e}"),
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    text.lines().next().unwrap_or_default().to_owned()
}

#[cfg(feature = "tls")]
#[test]
fn a_client_that_kept_the_session_resumes_it_over_tls_1_3_and_tls_1_2() {
    let emu = Emulator::start_with(EmulatorConfig::default().tls(true)).expect("starts");
    for versions in [&[&rustls::version::TLS13], &[&rustls::version::TLS12]] {
        emu.reset();
        let config = client(&emu, versions);
        for _ in 0..3 {
            assert_eq!(system(&emu, &config), "HTTP/1.1 200 OK");
        }
        // A client with a fresh session cache shakes hands in full.
        assert_eq!(system(&emu, &client(&emu, versions)), "HTTP/1.1 200 OK");
        let stats = emu.stats();
        assert_eq!(handshakes(stats), (4, 2, 2), "{versions:?}: {stats:?}");
        assert_eq!(stats.connections, 4);
    }
}

#[test]
fn plain_http_counts_no_handshake() {
    let emu = Emulator::start().expect("starts");
    let answer = agent()
        .get(&format!("{}/api/v3/system", emu.base_url()))
        .call()
        .expect("an answer");
    assert_eq!(answer.status(), 200);
    assert_eq!(handshakes(emu.stats()), (0, 0, 0));
    let stats: Value = agent()
        .get(&format!("{}/emulator/v1/stats", emu.base_url()))
        .call()
        .expect("an answer")
        .body_mut()
        .read_to_string()
        .map(|text| serde_json::from_str(&text).expect("json"))
        .expect("a body");
    assert_eq!(stats["tlsConnections"], 0, "{stats}");
    assert_eq!(stats["fullHandshakes"], 0, "{stats}");
    assert_eq!(stats["resumedHandshakes"], 0, "{stats}");
}

/// Sends `GET /api/v3/system` on a kept-alive connection and reads the whole answer.
fn system_kept_alive(stream: &mut TcpStream) {
    stream
        .write_all(b"GET /api/v3/system HTTP/1.1\r\nhost: x\r\n\r\n")
        .expect("sent");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).expect("an answer"),
            1,
            "closed early"
        );
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("content-length");
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).expect("the body");
}

#[test]
fn idle_connections_are_closed_on_demand_and_a_busy_one_is_not() {
    let emu = Emulator::start().expect("starts");
    let mut idle = TcpStream::connect(emu.addr()).expect("connect");
    idle.set_read_timeout(Some(DEADLINE)).unwrap();
    system_kept_alive(&mut idle);
    // A connection that sent half a request head is in the middle of a request.
    let mut busy = TcpStream::connect(emu.addr()).expect("connect");
    busy.set_read_timeout(Some(DEADLINE)).unwrap();
    system_kept_alive(&mut busy);
    busy.write_all(b"GET /api/v3/system HTTP/1.1\r\n")
        .expect("sent");
    // The admin API, over its own connection; the idle one is marked idle just after
    // its answer was written, so ask until it is closed.
    let url = format!("{}/emulator/v1/connections/close-idle", emu.base_url());
    let deadline = Instant::now() + DEADLINE;
    let mut closed = 0;
    while closed == 0 {
        assert!(
            Instant::now() < deadline,
            "the idle connection was never closed"
        );
        let answer: Value = agent()
            .post(&url)
            .content_type("application/json")
            .send("{}")
            .expect("an answer")
            .body_mut()
            .read_to_string()
            .map(|text| serde_json::from_str(&text).expect("json"))
            .expect("a body");
        closed = answer["closed"].as_u64().expect("a count");
        if closed == 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest);
    assert!(rest.is_empty(), "closed without a word: {rest:?}");
    // The busy one still gets its answer.
    busy.write_all(b"host: x\r\nconnection: close\r\n\r\n")
        .expect("sent");
    let mut answer = String::new();
    busy.read_to_string(&mut answer).expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(emu.close_idle_connections(), 0, "nothing idle is left");
}

/// A connection in the middle of its TLS handshake is not idle: closing the idle
/// connections leaves it, and it goes on to its answer, its handshake counted.
#[cfg(feature = "tls")]
#[test]
fn a_connection_in_the_middle_of_its_handshake_is_not_idle() {
    let emu = Emulator::start_with(EmulatorConfig::default().tls(true)).expect("starts");
    let config = client(&emu, &[&rustls::version::TLS13]);
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let mut conn = rustls::ClientConnection::new(config, name).expect("a connection");
    let mut tcp = TcpStream::connect(emu.addr()).expect("connect");
    tcp.set_read_timeout(Some(DEADLINE)).unwrap();
    // The ClientHello out, the server's first flight in: the server now waits for the
    // client's Finished, in the middle of the handshake.
    while conn.wants_write() {
        conn.write_tls(&mut tcp).expect("the client hello");
    }
    let read = conn.read_tls(&mut tcp).expect("the server's flight");
    assert!(read > 0, "the server answered the client hello");
    conn.process_new_packets().expect("a sound server flight");
    // (The client may count its side done; its Finished is not sent yet.)
    assert!(conn.wants_write(), "the client's finished is still to send");
    assert_eq!(emu.close_idle_connections(), 0, "a handshake is not idle");
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(b"GET /api/v3/system HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .expect("sent");
    let mut out = Vec::new();
    match tls.read_to_end(&mut out) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {}
        Err(e) => panic!("no answer: {e}"),
    }
    assert!(
        out.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    assert_eq!(handshakes(emu.stats()), (1, 1, 0));
}
