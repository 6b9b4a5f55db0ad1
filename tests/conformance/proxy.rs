//! The recording proxy (`tests/common/proxy.rs`) the rows run through.

use crate::common::proxy::Proxy;
use crate::common::{Reply, Server};
use crate::{common, Ctx, APP_ID, SYSTEM};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// Sends raw bytes on `stream` and reads one answer: (status, body).
fn exchange_raw(stream: &mut TcpStream, request: &[u8]) -> (u16, String) {
    stream.write_all(request).expect("send");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let mut len = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().expect("a length");
            }
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).expect("body");
    (status, String::from_utf8(body).expect("utf-8"))
}

#[test]
fn the_proxy_forwards_and_records_each_request_and_its_answer() {
    let upstream = Server::scripted(|req| {
        if req.path.starts_with("/first") {
            Reply::Raw(201, "application/json", r#"{"made":true}"#.into())
        } else {
            Reply::Json(r#"{"statusCode":200,"message":""}"#.into())
        }
    });
    let upstream_addr = upstream
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let proxy = Proxy::start(upstream_addr);
    let mut stream = TcpStream::connect(proxy.addr()).unwrap();
    let host = proxy.addr().to_string();
    let body = r#"{"a":1}"#;
    let first = format!(
        "POST /first/path?x=1&y=two%20words+more HTTP/1.1\r\nHost: {host}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(
        exchange_raw(&mut stream, first.as_bytes()),
        (201, r#"{"made":true}"#.to_string())
    );
    // The same connection again: keep-alive is kept.
    let second = format!("GET /second HTTP/1.1\r\nHost: {host}\r\n\r\n");
    assert_eq!(exchange_raw(&mut stream, second.as_bytes()).0, 200);

    let seen = upstream.next_request();
    assert_eq!(seen.path, "/first/path?x=1&y=two%20words+more");
    assert_eq!(seen.body_text(), body);
    assert_eq!(
        seen.header("host"),
        Some(host.as_str()),
        "Host is forwarded as sent"
    );
    assert_eq!(upstream.next_request().path, "/second");

    let log = proxy.exchanges();
    assert_eq!(log.len(), 2);
    let x = &log[0];
    assert_eq!(
        (x.method.as_str(), x.path.as_str()),
        ("POST", "/first/path")
    );
    assert_eq!(x.query.as_deref(), Some("x=1&y=two%20words+more"));
    assert_eq!(
        x.query_pairs(),
        [
            ("x".into(), "1".into()),
            ("y".into(), "two words more".into())
        ]
    );
    assert_eq!(x.request_header("content-type"), Some("application/json"));
    assert_eq!(x.request_json().unwrap(), json!({"a": 1}));
    assert_eq!(x.status, 201);
    assert_eq!(x.response_json().unwrap(), json!({"made": true}));
    assert_eq!(log[1].line(), "GET /second");
    assert_eq!(log[1].query, None);
    assert!(log[1].request_body.is_empty());
    assert_eq!(proxy.take().len(), 2);
    assert!(proxy.exchanges().is_empty(), "take empties the log");
}

#[test]
fn the_proxy_decodes_a_chunked_request_and_forwards_it_with_a_length() {
    let upstream = Server::start(Reply::Json("{}".into()));
    let proxy = Proxy::start(
        upstream
            .base_url()
            .trim_start_matches("http://")
            .parse()
            .unwrap(),
    );
    let mut stream = TcpStream::connect(proxy.addr()).unwrap();
    let request = "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
                   4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n";
    assert_eq!(exchange_raw(&mut stream, request.as_bytes()).0, 200);
    let seen = upstream.next_request();
    assert_eq!(seen.body_text(), r#"{"a":1}"#);
    assert_eq!(seen.header("content-length"), Some("7"));
    assert_eq!(seen.header("transfer-encoding"), None);
    assert_eq!(proxy.exchanges()[0].request_body, br#"{"a":1}"#);
}

#[test]
fn the_proxy_answers_and_records_502_when_the_upstream_is_unreachable() {
    let nowhere = common::refused_base_url();
    let proxy = Proxy::start(nowhere.trim_start_matches("http://").parse().unwrap());
    let mut stream = TcpStream::connect(proxy.addr()).unwrap();
    let (status, body) = exchange_raw(&mut stream, b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status, 502);
    assert!(body.contains("failed"), "{body}");
    assert_eq!(proxy.exchanges()[0].status, 502);
}

#[test]
fn the_proxy_carries_the_sdk_to_the_emulator_and_back() {
    let ctx = Ctx::new();
    let response = ctx.client.system_blocking();
    assert_eq!(response.status_code(), 200, "{}", response.message());
    let log = ctx.proxy.take();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].line(), SYSTEM);
    assert_eq!(
        log[0].request_header("x-authing-app-id"),
        Some(APP_ID),
        "the SDK's headers reach the emulator"
    );
    assert_eq!(
        log[0].response_json().unwrap()["rsa"]["publicKey"],
        response.data().unwrap()["rsa"]["publicKey"]
    );
}
