//! Events on the wire: `pub_event`'s exact body and bearer, its local checks (10010,
//! 10015, nothing sent), how its answer is read; `sub_event`'s upgrade request (the
//! endpoint setting, code and token in the query, percent-encoded, the WebSocket
//! headers) and a refused upgrade, against a raw loopback socket.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{builder_at, Reply, Server};
use crate::{body, route, signed_in};
use authing::{codes, AuthResponse, EventEnd, SubEvent};
use serde_json::json;

const PUBLISHED: &str =
    r#"{"statusCode":200,"message":"ok","requestId":"r-1","data":{"success":true}}"#;
const NOT_PUBLISHED: &str = r#"{"statusCode":200,"message":"ok","data":{"success":false}}"#;
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;
const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"id.token/1+2","refresh_token":"rt-1","token_type":"Bearer","expires_in":3600}}"#;

fn server(answer: &'static str) -> Server {
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(answer.into()),
    })
}

#[test]
fn pub_event_posts_the_code_and_the_data_as_a_string_with_the_bearer() {
    let s = server(PUBLISHED);
    let client = signed_in(&s);
    let response = client.pub_event_blocking("myapp.order.paid", r#"{"order":"42"}"#);
    assert!(response.is_event_published(), "{response:?}");
    let sent = s.next_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/api/v3/pub-userEvent");
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert_eq!(
        body(&sent),
        json!({"eventType": "myapp.order.paid", "eventData": "{\"order\":\"42\"}"})
    );
}

#[test]
fn an_answer_with_success_false_is_not_published() {
    let s = server(NOT_PUBLISHED);
    let client = signed_in(&s);
    assert!(!client
        .pub_event_blocking("myapp.x", "")
        .is_event_published());
}

#[test]
fn bad_input_answers_10010_and_no_user_10015_both_sending_nothing() {
    let s = server(PUBLISHED);
    let client = signed_in(&s);
    for response in [
        client.pub_event_blocking("", "{}"),
        client.pub_event_blocking("has space", "{}"),
        client.pub_event_blocking(&"c".repeat(257), "{}"),
        client.pub_event_blocking("myapp.x", &"d".repeat(64 * 1024 + 1)),
    ] {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
    }
    let anonymous = builder_at(s.base_url()).build().unwrap();
    let response = anonymous.pub_event_blocking("myapp.x", "{}");
    assert_eq!(response.status_code(), codes::NOT_SIGNED_IN);
    s.assert_no_request();
}

#[test]
fn the_callback_form_calls_back_once_with_the_blocking_answer() {
    let s = server(PUBLISHED);
    let client = signed_in(&s);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client.pub_event("myapp.x", "1", tx.clone()).join().unwrap();
    client.pub_event("", "1", tx).join().unwrap();
    let answers: Vec<i32> = rx.iter().map(|r| r.status_code()).collect();
    assert_eq!(answers, vec![200, codes::INVALID_INPUT]);
}

#[test]
fn sub_event_upgrades_at_the_endpoint_with_code_and_token_in_the_query() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (head_tx, head_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        let body = r#"{"statusCode":403,"message":"event code not allowed"}"#;
        let answer = format!(
            "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(answer.as_bytes()).unwrap();
        head_tx.send(String::from_utf8(head).unwrap()).unwrap();
    });
    let client = builder_at(format!("http://127.0.0.1:{port}"))
        .access_token("tok+en/1")
        .web_socket_endpoint("/custom/sub")
        .build()
        .unwrap();
    let (tx, updates) = mpsc::channel();
    let _subscription = client.sub_event("my&app.x", tx);
    let head = head_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    let first = head.lines().next().unwrap();
    assert_eq!(
        first,
        "GET /custom/sub?code=my%26app.x&token=tok%2Ben%2F1 HTTP/1.1"
    );
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("\r\nupgrade: websocket\r\n"), "{head}");
    assert!(
        lower.contains("\r\nsec-websocket-version: 13\r\n"),
        "{head}"
    );
    assert!(lower.contains("\r\nsec-websocket-key: "), "{head}");
    assert!(
        !lower.contains("authorization:"),
        "the token goes in the query only, as every SDK sends it"
    );
    match updates.recv_timeout(Duration::from_secs(10)).unwrap() {
        SubEvent::Ended(EventEnd::Refused(why)) => {
            assert!(
                why.contains("403") && why.contains("event code not allowed"),
                "{why}"
            )
        }
        other => panic!("{other:?}"),
    }
}
