//! The devices family on the wire, against the scripted loopback server: the device
//! headers every call carries, the exact query and bodies of `list`, `revoke` and
//! `unbind`, the bearer, the local checks (10010, nothing sent) and how answers are read.

use crate::common::{builder_at, Reply, Server};
use crate::{body, route, signed_in};
use authing::{codes, AuthResponse};
use serde_json::json;
use std::sync::mpsc;

const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"id.token/1+2","refresh_token":"rt-1","token_type":"Bearer","expires_in":3600}}"#;
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;
const OK: &str = r#"{"statusCode":200,"message":"ok","requestId":"r-1"}"#;
const DEVICES: &str = r#"{"statusCode":200,"message":"","data":[
  {"device":{"deviceId":"HZ2F6J3AGNAVSOTV","name":"printer","version":"Android 1.0","type":"Mobile","mod":"Vig9a","os":"iOS","status":"activated","userAgent":"Mozilla/5.0"},
   "lastLoginTime":"2023-05-05T19:06:22.434Z","lastIp":"203.0.113.7","online":true},
  {"device":{"deviceId":"d-2","type":"Desktop"},"lastLoginTime":"2023-05-04T08:00:00.000Z","online":false}
]}"#;

/// A server that signs `mike` in and answers every other path with `answer`.
fn server(answer: &'static str) -> Server {
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(answer.into()),
    })
}

#[test]
fn every_call_carries_the_device_id_name_and_os_the_builder_was_given() {
    let s = server(OK);
    let client = builder_at(s.base_url())
        .device_id("laptop-7f3a")
        .device_name("Mike's laptop")
        .build()
        .unwrap();
    assert_eq!(client.device_id().as_deref(), Some("laptop-7f3a"));
    client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    let sent = s.next_request();
    assert_eq!(sent.header("x-authing-device-id"), Some("laptop-7f3a"));
    assert_eq!(sent.header("x-authing-device-name"), Some("Mike's laptop"));
    assert_eq!(
        sent.header("x-authing-device-os"),
        Some(match std::env::consts::OS {
            "linux" => "Linux",
            "macos" => "macOS",
            "windows" => "Windows",
            other => other,
        })
    );
    // The profile fetch after the sign-in carries them as well.
    assert_eq!(
        s.next_request().header("x-authing-device-id"),
        Some("laptop-7f3a")
    );
}

#[test]
fn without_a_device_id_or_name_the_client_sends_a_derived_id_the_same_for_every_client_and_no_name()
{
    let s = server(OK);
    let a = builder_at(s.base_url()).build().unwrap();
    let b = builder_at(s.base_url()).build().unwrap();
    let id = a.device_id().expect("a derived id");
    assert_eq!(Some(id.clone()), b.device_id());
    assert_eq!(id.len(), 16);
    assert!(id.bytes().all(|c| c.is_ascii_hexdigit()));
    a.list_blocking(1, 10); // not signed in: nothing sent
    a.send_sms_blocking("+86", "18812345678", authing::SmsType::CHANNEL_LOGIN);
    let sent = s.next_request();
    assert_eq!(sent.header("x-authing-device-id"), Some(id.as_str()));
    // No name unless the app gives one: the host name would name the person's machine.
    assert_eq!(sent.header("x-authing-device-name"), None);
    assert!(sent.header("x-authing-device-os").is_some());
}

#[test]
fn a_bad_device_id_or_name_is_refused_by_build_naming_the_setting() {
    for (id, name, setting) in [
        ("has space", None, "device_id"),
        ("", None, "device_id"),
        ("ok-id", Some("line\nbreak"), "device_name"),
        ("ok-id", Some(" padded"), "device_name"),
    ] {
        let mut builder = builder_at("http://127.0.0.1:9").device_id(id);
        if let Some(name) = name {
            builder = builder.device_name(name);
        }
        let error = builder.build().unwrap_err();
        assert_eq!(error.setting(), setting, "{id:?} {name:?}");
    }
}

#[test]
fn list_sends_page_and_limit_with_the_bearer_and_reads_the_devices() {
    let s = server(DEVICES);
    let client = signed_in(&s);
    let response = client.list_blocking(2, 50);
    let sent = s.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, "/api/v3/mydevices/list?page=2&limit=50");
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert!(sent.body.is_empty());
    let devices = response.device_list().unwrap();
    assert_eq!(devices.len(), 2);
    let first = &devices[0];
    assert_eq!(first.device().device_id(), "HZ2F6J3AGNAVSOTV");
    assert_eq!(first.device().name(), "printer");
    assert_eq!(first.device().os(), "iOS");
    assert_eq!(first.device().version(), "Android 1.0");
    assert_eq!(first.device().device_type(), "Mobile");
    assert_eq!(first.device().module(), "Vig9a");
    assert_eq!(first.device().status(), "activated");
    assert_eq!(first.device().user_agent(), "Mozilla/5.0");
    assert_eq!(first.last_login_time(), "2023-05-05T19:06:22.434Z");
    assert_eq!(first.last_ip(), "203.0.113.7");
    assert!(first.online());
    assert_eq!(devices[1].device().name(), "");
    assert_eq!(devices[1].last_ip(), "");
    assert!(!devices[1].online());
}

#[test]
fn revoke_and_unbind_post_the_device_id_with_the_bearer() {
    let s = server(OK);
    let client = signed_in(&s);
    for (response, path) in [
        (
            client.revoke_blocking("d-2"),
            "/api/v3/mydevices/revoke-session",
        ),
        (client.unbind_blocking(" d-2 "), "/api/v3/mydevices/unbind"),
    ] {
        assert!(response.is_success(), "{response:?}");
        let sent = s.next_request();
        assert_eq!(sent.method, "POST");
        assert_eq!(sent.path, path);
        assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
        assert_eq!(body(&sent), json!({"deviceId": "d-2"}));
    }
}

#[test]
fn bad_input_answers_10010_and_sends_nothing() {
    let s = server(OK);
    let client = signed_in(&s);
    for response in [
        client.list_blocking(0, 10),
        client.list_blocking(1, 0),
        client.list_blocking(1, 51),
        client.revoke_blocking(""),
        client.revoke_blocking("   "),
        client.unbind_blocking("bad\u{7}id"),
        client.unbind_blocking(&"x".repeat(129)),
    ] {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
        assert!(
            response.message().contains("device_id")
                || response.message().contains("page")
                || response.message().contains("limit"),
            "{}",
            response.message()
        );
    }
    s.assert_no_request();
}

#[test]
fn without_a_signed_in_user_each_call_answers_10015_and_sends_nothing() {
    let s = server(OK);
    let client = builder_at(s.base_url()).build().unwrap();
    for response in [
        client.list_blocking(1, 10),
        client.revoke_blocking("d-1"),
        client.unbind_blocking("d-1"),
    ] {
        assert_eq!(response.status_code(), codes::NOT_SIGNED_IN, "{response:?}");
    }
    s.assert_no_request();
}

#[test]
fn the_callback_forms_call_back_exactly_once_with_the_blocking_answer() {
    let s = server(OK);
    let client = signed_in(&s);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client.revoke("d-1", tx.clone()).join().unwrap();
    client.unbind("", tx.clone()).join().unwrap();
    client.list(0, 10, tx).join().unwrap();
    let answers: Vec<i32> = rx.iter().map(|r| r.status_code()).collect();
    assert_eq!(
        answers,
        vec![200, codes::INVALID_INPUT, codes::INVALID_INPUT]
    );
    assert_eq!(route(&s.next_request()), "/api/v3/mydevices/revoke-session");
    s.assert_no_request();
}
