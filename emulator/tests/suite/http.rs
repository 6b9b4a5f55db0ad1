//! HTTP behaviour over the Authing endpoints: the app id and headers, bodies that are not
//! JSON or too large (413), unknown paths (404) and methods (405), `HEAD`, languages,
//! request ids, keep-alive, and raw HTTP (chunked bodies, `Expect: 100-continue`,
//! HTTP/1.0, bytes that are not HTTP, heads over the limits: 431).

use std::time::Duration;

use authing_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

use crate::calls::*;
use crate::common::agent;

// ---------------------------------------------------------------- request handling

#[test]
fn a_missing_or_unknown_app_id_answers_2011() {
    let emu = emulator_with_users();
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}).to_string();
    let a = post_raw(&emu, &agent(), "/api/v3/send-sms", &[], &body);
    assert_failure(&a.json(), 404, Some(2011));
    let a = post_raw(
        &emu,
        &agent(),
        "/api/v3/send-sms",
        &[("x-authing-app-id", "other")],
        &body,
    );
    assert_failure(&a.json(), 404, Some(2011));
}

#[test]
fn headers_are_matched_in_any_case_and_extras_are_ignored() {
    let emu = emulator_with_users();
    let headers = [
        ("X-Authing-App-Id", emu.app_id()),
        ("CONTENT-TYPE", "application/json"),
        ("Authorization", "some-token"),
        ("X-AUTHING-LANG", "en-US"),
        ("x-authing-request-from", "SDK-Rust@0.1.0"),
    ];
    let body = r#"{"channel":"CHANNEL_LOGIN","unknown":{"a":[1]},"phoneNumber":"18812345678"}"#;
    let v = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, body).json();
    assert_eq!(v["statusCode"], 200, "{v}");
    assert_eq!(v["message"], "success");
    let headers = [
        ("x-authing-app-id", emu.app_id()),
        ("authorization", "Bearer abc"),
    ];
    let body = r#"{"email":"bob@example.com","channel":"CHANNEL_LOGIN"}"#;
    let v = post_raw(&emu, &agent(), "/api/v3/send-email", &headers, body).json();
    assert_eq!(v["statusCode"], 200, "{v}");
}

#[test]
fn a_body_that_is_not_json_answers_2231() {
    let emu = emulator_with_users();
    let headers = [
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", "en-US"),
    ];
    let v = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, "{not json").json();
    assert_failure(&v, 400, Some(2231));
    assert!(v["message"].as_str().unwrap().contains("not json"));
}

#[test]
fn an_oversized_body_answers_413_and_the_connection_stays_usable() {
    let emu = emulator_with_users();
    let agent = agent();
    let headers = [("x-authing-app-id", emu.app_id())];
    let big = format!(
        r#"{{"phoneNumber":"{PHONE}","channel":"CHANNEL_LOGIN","pad":"{}"}}"#,
        "x".repeat(70_000)
    );
    let a = post_raw(&emu, &agent, "/api/v3/send-sms", &headers, &big);
    assert_eq!(a.status, 200);
    assert_failure(&a.json(), 413, None);
    let small = json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}).to_string();
    assert_eq!(
        post_raw(&emu, &agent, "/api/v3/send-sms", &headers, &small).json()["statusCode"],
        200
    );
}

#[test]
fn an_unknown_path_answers_http_404_with_an_envelope() {
    let emu = Emulator::start().unwrap();
    let a = get(&emu, "/api/v3/nothing-here");
    assert_eq!(a.status, 404, "{}", a.text);
    assert_failure(&a.json(), 404, None);
    let headers = [
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", "en-US"),
    ];
    let a = post_raw(&emu, &agent(), "/api/v3/nothing-here", &headers, "{}");
    assert_eq!(a.status, 404, "{}", a.text);
    assert_failure(&a.json(), 404, None);
    assert_eq!(a.json()["message"], "no such endpoint");
}

#[test]
fn a_wrong_method_on_a_known_path_answers_http_405_with_allow() {
    let emu = Emulator::start().unwrap();
    let a = get(&emu, "/api/v3/send-sms");
    assert_eq!(a.status, 405, "{}", a.text);
    assert_eq!(a.allow.as_deref(), Some("POST"));
    assert_failure(&a.json(), 405, None);
    let headers = [("x-authing-app-id", emu.app_id())];
    let a = post_raw(&emu, &agent(), "/api/v3/system", &headers, "{}");
    assert_eq!(a.status, 405, "{}", a.text);
    assert_eq!(a.allow.as_deref(), Some("GET, HEAD"));
    assert_failure(&a.json(), 405, None);
}

#[test]
fn head_on_a_get_endpoint_answers_like_get_without_a_body() {
    let emu = Emulator::start().unwrap();
    let a = answer(
        agent()
            .head(format!("{}/api/v3/system", emu.base_url()))
            .call()
            .expect("http"),
    );
    assert_eq!(a.status, 200);
    assert!(a.text.is_empty());
}

#[test]
fn messages_follow_x_authing_lang_and_fall_back_to_chinese() {
    let emu = Emulator::start().unwrap();
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"});
    let en = post_lang(&emu, "/api/v3/send-sms", body.clone(), "en-US");
    assert_eq!(en["message"], "user not found");
    let zh = post_lang(&emu, "/api/v3/send-sms", body.clone(), "zh-CN");
    assert_eq!(zh["message"], "用户不存在");
    let ja = post_lang(&emu, "/api/v3/send-sms", body.clone(), "ja-JP");
    assert_eq!(ja["message"], "用户不存在");
    let tw = post_lang(&emu, "/api/v3/send-sms", body, "zh-TW");
    assert_eq!(tw["message"], "用户不存在");
}

#[test]
fn every_reply_carries_a_distinct_request_id() {
    let emu = Emulator::start().unwrap();
    let a = send_sms(&emu, PHONE, "CHANNEL_LOGIN");
    let b = send_sms(&emu, PHONE, "CHANNEL_LOGIN");
    assert!(a["requestId"].is_string());
    assert_ne!(a["requestId"], b["requestId"]);
}

// ---------------------------------------------------------------- keep-alive

#[test]
fn sequential_calls_on_one_agent_use_one_connection() {
    let emu = Emulator::start().unwrap();
    let agent = agent();
    for _ in 0..1_000 {
        let a = answer(
            agent
                .get(format!("{}/api/v3/system", emu.base_url()))
                .call()
                .unwrap(),
        );
        assert_eq!(a.status, 200);
    }
    let stats = emu.stats();
    assert_eq!(stats.requests, 1_000);
    assert_eq!(stats.connections, 1);
    emu.reset();
    assert_eq!(emu.stats().requests, 0);
}

// ---------------------------------------------------------------- raw http

#[test]
fn a_chunked_body_with_expect_continue_is_understood() {
    let emu = Emulator::start().unwrap();
    let body = r#"{"phoneNumber":"18812345678","channel":"CHANNEL_LOGIN"}"#;
    let (a, b) = body.split_at(20);
    let request = format!(
        "POST /api/v3/send-sms HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
         Transfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n\
         {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let (out, closed) = raw_exchange(&emu, request.as_bytes());
    assert!(
        out.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"),
        "{out}"
    );
    assert!(out.contains(r#""statusCode":200"#), "{out}");
    assert!(closed);
    assert!(emu.latest_code(PHONE).is_some());
}

#[test]
fn bytes_that_are_not_http_get_a_400_and_the_server_lives_on() {
    let emu = Emulator::start().unwrap();
    let (out, closed) = raw_exchange(&emu, b"hello there\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    let (out, closed) = raw_exchange(&emu, b"GET / HTTP/1.1\r\nno colon here\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    let (out, closed) = raw_exchange(&emu, b"GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    let (out, closed) = raw_exchange(
        &emu,
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    );
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn a_request_head_over_the_limits_gets_a_431_and_is_closed() {
    let emu = Emulator::start().unwrap();
    let mut many = String::from("GET /api/v3/system HTTP/1.1\r\nHost: x\r\n");
    for i in 0..80 {
        many.push_str(&format!("x-extra-{i}: {i}\r\n"));
    }
    many.push_str("\r\n");
    let (out, closed) = raw_exchange(&emu, many.as_bytes());
    assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
    assert!(out.contains(r#""statusCode":431"#), "{out}");
    assert!(closed);
    let long = format!(
        "GET /api/v3/system HTTP/1.1\r\nHost: x\r\nx-long: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    let (out, closed) = raw_exchange(&emu, long.as_bytes());
    assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
    assert!(closed);
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn a_chunked_body_over_the_limit_answers_413_and_the_connection_stays_usable() {
    use std::io::{Read, Write};
    let emu = Emulator::start_with(EmulatorConfig::default().max_body_bytes(16)).unwrap();
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = r#"{"phoneNumber":"18812345678","channel":"CHANNEL_LOGIN"}"#;
    let request = format!(
        "POST /api/v3/send-sms HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n\
         GET /api/v3/system HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.contains(r#""statusCode":413"#), "{out}");
    assert_eq!(out.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{out}");
    assert!(out.contains("authing-emulator"), "{out}");
    assert_eq!(emu.stats().connections, 1);
}

#[test]
fn http_1_0_requests_are_answered_and_closed() {
    let emu = Emulator::start().unwrap();
    let (out, closed) = raw_exchange(&emu, b"GET /api/v3/system HTTP/1.0\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
    assert!(out.contains("authing-emulator"), "{out}");
    assert!(closed);
}

// ---------------------------------------------------------------- request targets

/// The status of the answer to `request` (sent whole, on a fresh connection).
fn status_of(emu: &Emulator, request: &str) -> (u16, String) {
    let (out, _) = raw_exchange(emu, request.as_bytes());
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {out:?}"));
    (status, out)
}

#[test]
fn a_url_in_the_query_string_is_data_not_an_absolute_target() {
    let emu = Emulator::start().unwrap();
    for target in [
        "/api/v3/get-country-list?x=http://a",
        "/api/v3/get-country-list?redirect=https://example.com/cb?y=1",
        "/api/v3/get-country-list?x=a://b/c#frag",
    ] {
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
             Connection: close\r\n\r\n"
        );
        let (status, out) = status_of(&emu, &request);
        assert_eq!(status, 200, "{target}: {out}");
        assert!(out.contains(r#""statusCode":200"#), "{target}: {out}");
    }
}

#[test]
fn request_targets_are_read_by_their_form() {
    let emu = Emulator::start().unwrap();
    let addr = emu.addr();
    let send = |method: &str, target: &str| {
        status_of(
            &emu,
            &format!(
                "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nx-authing-app-id: demo-app\r\n\
                 Connection: close\r\n\r\n"
            ),
        )
    };
    // absolute-form: the path and query after the authority.
    for target in [
        format!("http://{addr}/api/v3/get-country-list?x=http://a"),
        format!("HTTP://{addr}/api/v3/get-country-list"),
        format!("http://user@{addr}/api/v3/get-country-list"),
    ] {
        let (status, out) = send("GET", &target);
        assert_eq!(status, 200, "{target}: {out}");
        assert!(out.contains(r#""statusCode":200"#), "{target}: {out}");
    }
    // absolute-form without a path: the path is `/`, which is no endpoint.
    let (status, out) = send("GET", &format!("http://{addr}"));
    assert_eq!(status, send("GET", "/").0, "{out}");
    assert_ne!(status, 400, "{out}");
    // asterisk-form for OPTIONS, authority-form for CONNECT: read, then answered as
    // requests (no such endpoint), not as bad requests.
    assert_ne!(send("OPTIONS", "*").0, 400);
    assert_ne!(send("CONNECT", "example.com:443").0, 400);
    // None of the four forms: 400.
    for (method, target) in [
        ("GET", "api/v3/get-country-list"),
        ("GET", "api/v3/get-country-list?x=http://a"),
        ("GET", "*"),
        ("GET", "example.com:443"),
        ("CONNECT", "example.com"),
        ("CONNECT", "example.com:https"),
        ("GET", "1http://a/api/v3/get-country-list"),
        ("GET", "ht tp://a/"),
        ("GET", "http:///api/v3/get-country-list"),
        ("GET", "mailto:someone@example.com"),
    ] {
        let (status, out) = send(method, target);
        assert_eq!(status, 400, "{method} {target}: {out}");
        assert!(out.contains("Connection: close"), "{out}");
    }
}
