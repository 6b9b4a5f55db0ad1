//! Who may use the admin API (`/emulator/`): not a web page the developer happens to open
//! (a cross-site `text/plain` POST, a foreign `Origin`, DNS rebinding through a foreign
//! `Host`), and, with an admin token, only who shows it. Raw HTTP, so that every header is
//! the test's own.

use std::io::ErrorKind;

use authing_emulator::{Emulator, EmulatorConfig, NewUser};
use serde_json::Value;

use crate::calls::raw_exchange;

/// One request over a fresh connection: the status and the body (JSON when it is).
fn exchange(emu: &Emulator, request: &str) -> (u16, String, Value) {
    let (text, _) = raw_exchange(emu, request.as_bytes());
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
    (status, text, json)
}

/// A request with `Connection: close`, the given extra header lines and body.
fn request(method: &str, target: &str, headers: &[&str], body: &str) -> String {
    let mut out = format!("{method} {target} HTTP/1.1\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    out
}

fn own_host(emu: &Emulator) -> String {
    format!("Host: {}", emu.addr())
}

const NEW_USER: &str = r#"{"username":"mallory","password":"secret-1"}"#;

#[test]
fn a_cross_site_text_plain_post_cannot_create_a_user_or_move_the_clock() {
    let emu = Emulator::start().unwrap();
    let host = own_host(&emu);
    for content_type in [
        Some("Content-Type: text/plain"),
        Some("Content-Type: application/x-www-form-urlencoded"),
        Some("Content-Type: multipart/form-data; boundary=x"),
        None,
    ] {
        let mut headers = vec![host.as_str()];
        headers.extend(content_type);
        let (status, text, v) = exchange(
            &emu,
            &request("POST", "/emulator/v1/users", &headers, NEW_USER),
        );
        assert_eq!(status, 415, "{content_type:?}: {text}");
        let error = v["error"].as_str().unwrap();
        assert!(error.contains("application/json"), "{error}");
        let body = r#"{"advanceSeconds":3600}"#;
        let (status, _, _) = exchange(&emu, &request("POST", "/emulator/v1/clock", &headers, body));
        assert_eq!(status, 415);
        let body = r#"{"path":"/api/v3/signin","fault":{"type":"drop"}}"#;
        let (status, _, _) = exchange(
            &emu,
            &request("POST", "/emulator/v1/faults", &headers, body),
        );
        assert_eq!(status, 415);
    }
    assert!(emu.users().is_empty());
    // JSON, with or without parameters, in any case, still works.
    for content_type in ["application/json", "Application/JSON; charset=utf-8"] {
        let ct = format!("Content-Type: {content_type}");
        let body = format!(
            r#"{{"username":"u{}","password":"secret-1"}}"#,
            content_type.len()
        );
        let (status, text, _) = exchange(
            &emu,
            &request("POST", "/emulator/v1/users", &[&host, &ct], &body),
        );
        assert_eq!(status, 200, "{text}");
    }
    // A DELETE needs no body and no content type (a browser cannot send one cross-site
    // without a preflight).
    let (status, text, _) = exchange(&emu, &request("DELETE", "/emulator/v1/state", &[&host], ""));
    assert_eq!(status, 200, "{text}");
    assert!(emu.users().is_empty());
}

#[test]
fn a_foreign_origin_is_refused() {
    let emu = Emulator::start().unwrap();
    let host = own_host(&emu);
    let json = "Content-Type: application/json";
    for origin in [
        "https://evil.example",
        "http://evil.example",
        "null",
        "http://localhost:3000",
        "https://127.0.0.1:1",
    ] {
        let origin = format!("Origin: {origin}");
        let (status, text, v) = exchange(
            &emu,
            &request(
                "POST",
                "/emulator/v1/users",
                &[&host, json, &origin],
                NEW_USER,
            ),
        );
        assert_eq!(status, 403, "{origin}: {text}");
        assert!(v["error"].as_str().unwrap().contains("origin"), "{v}");
        let (status, _, _) = exchange(
            &emu,
            &request("GET", "/emulator/v1/codes", &[&host, &origin], ""),
        );
        assert_eq!(status, 403, "{origin}");
    }
    assert!(emu.users().is_empty());
    // The emulator's own origin passes.
    let origin = format!("Origin: http://{}", emu.addr());
    let (status, text, _) = exchange(
        &emu,
        &request(
            "POST",
            "/emulator/v1/users",
            &[&host, json, &origin],
            NEW_USER,
        ),
    );
    assert_eq!(status, 200, "{text}");
}

#[test]
fn a_foreign_host_cannot_read_codes_through_dns_rebinding() {
    let emu = Emulator::start().unwrap();
    let port = emu.addr().port();
    for host in [
        format!("Host: rebound.example:{port}"),
        "Host: rebound.example".to_owned(),
        format!("Host: 10.9.8.7:{port}"),
    ] {
        let (status, text, v) = exchange(&emu, &request("GET", "/emulator/v1/codes", &[&host], ""));
        assert_eq!(status, 421, "{host}: {text}");
        assert!(v["error"].as_str().unwrap().contains("host"), "{v}");
        let (status, _, _) = exchange(&emu, &request("DELETE", "/emulator/v1/state", &[&host], ""));
        assert_eq!(status, 421, "{host}");
    }
    // An absolute-form target's authority stands for the Host header.
    let own = own_host(&emu);
    let (status, text, _) = exchange(
        &emu,
        &request(
            "GET",
            "http://rebound.example/emulator/v1/codes",
            &[&own],
            "",
        ),
    );
    assert_eq!(status, 421, "{text}");
    // Loopback names and addresses pass, with any port.
    for host in [
        own.clone(),
        format!("Host: localhost:{port}"),
        "Host: LOCALHOST".to_owned(),
        format!("Host: 127.0.0.1:{port}"),
        format!("Host: [::1]:{port}"),
    ] {
        let (status, text, _) = exchange(&emu, &request("GET", "/emulator/v1/codes", &[&host], ""));
        assert_eq!(status, 200, "{host}: {text}");
    }
    // The Authing endpoints are not the admin API's: a foreign Host is theirs to ignore.
    let app = format!("x-authing-app-id: {}", emu.app_id());
    let host = format!("Host: rebound.example:{port}");
    let (status, text, _) = exchange(
        &emu,
        &request("GET", "/api/v3/get-country-list", &[&host, &app], ""),
    );
    assert_eq!(status, 200, "{text}");
}

#[test]
fn with_an_admin_token_the_admin_api_needs_it_and_nothing_else_does() {
    let config = EmulatorConfig::default()
        .admin_token("s3cret-token")
        .user(NewUser::with_username("alice", "secret-1"));
    let emu = Emulator::start_with(config).unwrap();
    let host = own_host(&emu);
    for auth in [
        None,
        Some("Authorization: Bearer wrong-token"),
        Some("Authorization: Basic s3cret-token"),
        Some("Authorization: Bearer s3cret-token-and-more"),
    ] {
        let mut headers = vec![host.as_str()];
        headers.extend(auth);
        let (status, text, v) = exchange(&emu, &request("GET", "/emulator/v1/codes", &headers, ""));
        assert_eq!(status, 401, "{auth:?}: {text}");
        assert!(text.contains("WWW-Authenticate: Bearer"), "{text}");
        assert!(v["error"].as_str().unwrap().contains("token"), "{v}");
    }
    for auth in [
        "Authorization: Bearer s3cret-token",
        "authorization: bearer s3cret-token",
    ] {
        let (status, text, _) = exchange(
            &emu,
            &request("GET", "/emulator/v1/users", &[&host, auth], ""),
        );
        assert_eq!(status, 200, "{auth}: {text}");
    }
    // The Authing endpoints and the Rust API do not need it.
    let app = format!("x-authing-app-id: {}", emu.app_id());
    let (status, _, _) = exchange(
        &emu,
        &request("GET", "/api/v3/get-country-list", &[&host, &app], ""),
    );
    assert_eq!(status, 200);
    assert_eq!(emu.users().len(), 1);
}

#[test]
fn a_non_loopback_address_needs_an_admin_token() {
    let e = Emulator::bind("0.0.0.0:0", EmulatorConfig::default())
        .expect_err("0.0.0.0 without an admin token is refused");
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let message = e.to_string();
    assert!(message.contains("admin token"), "{message}");
    assert!(message.contains("loopback"), "{message}");
    let emu = Emulator::bind("0.0.0.0:0", EmulatorConfig::default().admin_token("tok"))
        .expect("with a token it starts");
    // Listening on every address, any IP address is a Host of this emulator, a name is not.
    let port = emu.addr().port();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let (text, _) = {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let req = request(
            "GET",
            "/emulator/v1/stats",
            &[
                &format!("Host: 192.168.77.1:{port}"),
                "Authorization: Bearer tok",
            ],
            "",
        );
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        (out, ())
    };
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    // A malformed token is refused on any address.
    for token in ["", "has space", "tab\t"] {
        let config = EmulatorConfig::default().admin_token(token);
        let e = Emulator::bind("127.0.0.1:0", config).expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{token:?}");
        assert!(e.to_string().contains("admin token"), "{e}");
    }
}
