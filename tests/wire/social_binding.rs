//! What goes on the wire for social account binding (`/api/v2/ecConn/wechatMobile/*`),
//! what is refused before it, and how each form of answer is read, against a scripted
//! loopback server.

use std::sync::{Arc, Mutex};

use crate::common::{self, Captured, Reply, Server};
use crate::{body, route, USER};
use authing::{codes, ApiCode, AuthError};
use serde_json::json;

const CONFIG_PATH: &str = "/api/v2/applications/demo-app/public-config";
const IDENTITY_PATH: &str = "/api/v2/ecConn/wechatMobile/authByCodeIdentity";
const TOKENS: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"it-1","token_type":"Bearer","expire_in":7200,"scope":"openid profile"}}"#;
const NEEDS_BINDING: &str = r#"{"statusCode":301,"apiCode":1641,"message":"需要执行账号身份绑定","requestId":"r-1","data":{"methods":["email-code","phone-code"],"accounts":["u-1","u-2"],"key":"03f4f724-7b5f-44af-92fc-068aea204298"}}"#;

fn public_config(req: &Captured, connections: &str) -> Reply {
    let host = req.header("host").unwrap_or_default();
    Reply::Json(format!(
        r#"{{"code":200,"message":"","data":{{"identifier":"demo","requestHostname":"{host}","userPoolId":"pool-9","ecConnections":{connections}}}}}"#
    ))
}

/// A server like Authing whose app has a WeChat mobile connection of id `conn-wx`, and
/// whose WeChat mobile endpoints answer `answer` (changeable while it runs).
fn authing(answer: &'static str) -> (Server, Arc<Mutex<String>>) {
    let current = Arc::new(Mutex::new(answer.to_string()));
    let shared = Arc::clone(&current);
    let server = Server::scripted(move |req| match route(req) {
        CONFIG_PATH => public_config(
            req,
            r#"[{"type":"alipay","identifier":"ali","id":"conn-ali"},{"type":"wechat:mobile","identifier":"wechat-mobile","id":"conn-wx"}]"#,
        ),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        path if path.starts_with("/api/v2/ecConn/wechatMobile/") => {
            Reply::Json(shared.lock().unwrap().clone())
        }
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    });
    (server, current)
}

#[test]
fn auth_by_code_identity_sends_the_code_the_app_id_the_connection_id_and_the_options() {
    let (server, _) = authing(NEEDS_BINDING);
    let client = common::client_at(server.base_url());
    let response = client.auth_by_code_identity_blocking("wx-code-1", None);
    assert_eq!(route(&server.next_request()), CONFIG_PATH);
    let sent = server.next_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(route(&sent), IDENTITY_PATH);
    assert_eq!(
        sent.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(
        body(&sent),
        json!({"code": "wx-code-1", "appId": "demo-app", "connId": "conn-wx",
               "options": {"scope": authing::DEFAULT_SCOPE}})
    );
    // The answer asks to bind: read, no session, no profile fetched.
    assert_eq!(response.status_code(), 301);
    assert_eq!(response.api_code(), 1641);
    assert_eq!(response.request_id(), Some("r-1"));
    let binding = response.social_binding().expect("a binding");
    assert_eq!(binding.key(), "03f4f724-7b5f-44af-92fc-068aea204298");
    assert_eq!(binding.accounts(), ["u-1", "u-2"]);
    assert_eq!(binding.methods(), ["email-code", "phone-code"]);
    assert_eq!(binding.api_code(), ApiCode::BIND_OR_CREATE_ACCOUNT);
    assert!(client.get_current_user().is_none());
    server.assert_no_request();
}

#[test]
fn a_needs_binding_answer_under_http_301_without_a_location_is_read_and_its_key_kept_out_of_debug()
{
    // The spec gives `authByCodeIdentity` its binding answer under HTTP 301: a 3xx with no
    // location is no redirect, and its envelope is the answer.
    let server = Server::scripted(move |req| match route(req) {
        CONFIG_PATH => public_config(
            req,
            r#"[{"type":"wechat:mobile","identifier":"wechat-mobile","id":"conn-wx"}]"#,
        ),
        IDENTITY_PATH => Reply::Raw(301, "application/json", NEEDS_BINDING.into()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    });
    let client = common::client_at(server.base_url());
    let response = client.auth_by_code_identity_blocking("wx-code-1", None);
    assert_eq!(response.status_code(), 301, "{response:?}");
    assert_eq!(response.api_code(), 1641);
    let binding = response.social_binding().expect("a binding");
    assert_eq!(binding.key(), "03f4f724-7b5f-44af-92fc-068aea204298");
    let shown = format!("{response:?}");
    assert!(!shown.contains("03f4f724"), "the key is a secret: {shown}");
    assert!(shown.contains("u-1"), "{shown}");
    assert!(client.get_current_user().is_none());
}

/// A binding call, its route under `/api/v2/ecConn/wechatMobile/` and the body it must
/// send.
type Case<'a> = (
    Box<dyn Fn() -> authing::AuthResponse + 'a>,
    &'static str,
    serde_json::Value,
);

#[test]
fn each_binding_call_sends_its_action_key_and_fields_and_a_success_starts_the_session() {
    let (server, _) = authing(TOKENS);
    let client = common::client_at(server.base_url());
    let key = "k-1";
    let cases: Vec<Case> = vec![
        (
            Box::new(|| client.register_new_user_blocking(key)),
            "register",
            json!({"action": "create-federation-account", "key": key}),
        ),
        (
            Box::new(|| client.bind_by_email_code_blocking(key, "mike@example.com", "1234")),
            "byEmailCode",
            json!({"action": "bind-identity-by-email-code", "key": key,
                   "email": "mike@example.com", "code": "1234"}),
        ),
        (
            Box::new(|| {
                client.bind_by_phone_code_blocking(key, Some("86"), "18812345678", "123456")
            }),
            "byPhoneCode",
            json!({"action": "bind-identity-by-phone-code", "key": key,
                   "phone": "18812345678", "code": "123456", "phoneCountryCode": "+86"}),
        ),
        (
            Box::new(|| client.bind_by_phone_code_blocking(key, None, "18812345678", "123456")),
            "byPhoneCode",
            json!({"action": "bind-identity-by-phone-code", "key": key,
                   "phone": "18812345678", "code": "123456"}),
        ),
        (
            Box::new(|| client.bind_by_account_blocking(key, "mike", "passw0rd")),
            "byAccount",
            json!({"action": "bind-identity-by-password", "key": key,
                   "account": "mike", "password": "passw0rd"}),
        ),
        (
            Box::new(|| client.select_account_blocking(key, "u-2")),
            "select",
            json!({"action": "bind-identity-by-selection", "key": key, "account": "u-2"}),
        ),
        (
            Box::new(|| client.bind_by_account_id_blocking(key, "u-1")),
            "byAccountId",
            json!({"action": "bind-identity-by-account-id", "key": key, "accountId": "u-1"}),
        ),
    ];
    for (call, path, expected) in cases {
        let response = call();
        assert_eq!(response.status_code(), 200, "{path}: {response:?}");
        let sent = server.next_request();
        assert_eq!(route(&sent), format!("/api/v2/ecConn/wechatMobile/{path}"));
        assert_eq!(sent.header("authorization"), None, "{path}");
        assert_eq!(body(&sent), expected, "{path}");
        assert_eq!(route(&server.next_request()), "/api/v3/get-profile");
        assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
    }
    // No public config is needed to bind.
    server.assert_no_request();
}

#[test]
fn the_spec_s_bare_token_set_and_guard_s_v2_envelope_are_read_too() {
    let (server, answer) = authing(
        r#"{"access_token":"at-2","id_token":"it-2","token_type":"Bearer","expire_in":7200,"scope":"openid"}"#,
    );
    let client = common::client_at(server.base_url());
    let response = client.bind_by_account_id_blocking("k", "u-1");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(client.get_current_user().is_some());
    *answer.lock().unwrap() =
        r#"{"code":301,"message":"bind","apiCode":1640,"data":{"key":"k-2","accounts":[]}}"#.into();
    let response = client.auth_by_code_identity_blocking("wx-code", None);
    assert_eq!(response.status_code(), 301);
    let binding = response.social_binding().unwrap();
    assert_eq!(binding.key(), "k-2");
    assert!(!binding.may_register());
    *answer.lock().unwrap() = r#"{"statusCode":404,"apiCode":2004,"message":"用户不存在"}"#.into();
    let refused = client.bind_by_account_id_blocking("k", "u-9");
    assert_eq!(refused.status_code(), 404);
    assert_eq!(refused.api_code(), 2004);
    assert!(matches!(refused.error(), Some(AuthError::Api(_))));
}

#[test]
fn bad_input_and_an_app_without_a_wechat_connection_send_nothing_to_the_endpoint() {
    let server = Server::scripted(move |req| match route(req) {
        CONFIG_PATH => public_config(req, r#"[{"type":"wechat:mobile","identifier":"no-id"}]"#),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    });
    let client = common::client_at(server.base_url());
    let local = [
        client.auth_by_code_identity_blocking("", None),
        client.register_new_user_blocking("k\u{7f}"),
        client.bind_by_email_code_blocking("k", "mike@", "1234"),
        client.bind_by_phone_code_blocking("k", None, "+8618812345678", "1234"),
        client.bind_by_account_blocking("k", "mike", ""),
        client.select_account_blocking("k", ""),
        client.bind_by_account_id_blocking("", "u-1"),
    ];
    for response in local {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
        assert!(!response.message().contains("1234"));
    }
    server.assert_no_request();
    // The config lists the WeChat connection without an id: 10002, only the config read.
    let response = client.auth_by_code_identity_blocking("wx-code", None);
    assert_eq!(
        response.status_code(),
        codes::CONFIG_NOT_FOUND,
        "{response:?}"
    );
    assert!(
        response.message().contains("wechat:mobile"),
        "{}",
        response.message()
    );
    assert_eq!(route(&server.next_request()), CONFIG_PATH);
    server.assert_no_request();
}

const AUTH_BY_CODE_PATH: &str = "/api/v2/ecConn/wechatMobile/authByCode";
/// Guard's answer: the v2 envelope, `data` the v2 user with its token only.
const GUARD_USER: &str = r#"{"code":200,"message":"","data":{"id":"u-1","username":"mike","token":"guard-token-1","tokenExpiredAt":"2999-01-01T00:00:00.000Z"}}"#;

#[test]
fn auth_by_code_sends_the_code_the_app_id_and_the_connection_id_and_starts_the_session_from_guard_s_user(
) {
    let (server, answer) = authing(GUARD_USER);
    let client = common::client_at(server.base_url());
    let response = client.auth_by_code_blocking("wx-code-1");
    assert_eq!(route(&server.next_request()), CONFIG_PATH);
    let sent = server.next_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(route(&sent), AUTH_BY_CODE_PATH);
    assert_eq!(
        sent.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(
        String::from_utf8(sent.body.clone()).unwrap(),
        r#"{"appId":"demo-app","code":"wx-code-1","connId":"conn-wx"}"#
    );
    // The v2 envelope reads as the v3 one; `data` is Guard's user.
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(response.data().unwrap()["id"], "u-1");
    // The session starts from Guard's `token`: the profile is fetched with it.
    let profile = server.next_request();
    assert_eq!(route(&profile), "/api/v3/get-profile");
    assert_eq!(
        profile.header("authorization"),
        Some("Bearer guard-token-1")
    );
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
    server.assert_no_request();
    // A refusal in the v2 form: its `code` is the apiCode, and the session stays.
    *answer.lock().unwrap() = r#"{"code":2352,"message":"bad code","data":null}"#.into();
    let refused = client.auth_by_code_blocking("wx-code-2");
    assert_eq!(refused.status_code(), 2352);
    assert_eq!(refused.api_code(), 2352);
    assert!(matches!(refused.error(), Some(AuthError::Api(_))));
    assert_eq!(route(&server.next_request()), AUTH_BY_CODE_PATH);
    server.assert_no_request();
    assert!(client.get_current_user().is_some());
}

#[test]
fn auth_by_code_with_an_mfa_challenge_waits_and_bad_input_sends_nothing() {
    let (server, _) = authing(
        r#"{"code":1636,"message":"mfa","data":{"mfaToken":"mfa-1","applicationMfa":[{"mfaPolicy":"SMS","status":1}]}}"#,
    );
    let client = common::client_at(server.base_url());
    for bad in ["", "  ", "wx code", "wx\u{7f}"] {
        let response = client.auth_by_code_blocking(bad);
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{bad:?}");
    }
    server.assert_no_request();
    let response = client.auth_by_code_blocking("wx-code-1");
    assert_eq!(route(&server.next_request()), CONFIG_PATH);
    assert_eq!(route(&server.next_request()), AUTH_BY_CODE_PATH);
    assert_eq!(response.api_code(), 1636);
    assert!(response.is_mfa_required(), "{response:?}");
    assert!(client.get_current_user().is_none());
    server.assert_no_request();
}
