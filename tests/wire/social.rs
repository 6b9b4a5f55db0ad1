//! What goes on the wire for the mobile social sign-ins (`signin-by-mobile`), and what is
//! refused before it, against a scripted loopback server.

use std::sync::mpsc;

use crate::common::{self, Captured, Reply, Server, DEADLINE, QUIET};
use crate::{body, route, USER};
use authing::{codes, AuthClient, AuthError, AuthOptions, AuthResponse, Connection};
use serde_json::{json, Value};

const TOKENS: &str = r#"{"statusCode":200,"message":"","requestId":"req-7","data":{"access_token":"at-1","id_token":"it-1","token_type":"Bearer","expire_in":7200}}"#;
const CONFIG_PATH: &str = "/api/v2/applications/demo-app/public-config";

/// Every connection of Android's list, each with an identifier.
const ALL_CONNECTIONS: &str = r#"[
    {"type":"wechat:mobile","identifier":"wechat-mobile"},
    {"type":"alipay","identifier":"alipay-mobile"},
    {"type":"wechatwork:mobile","identifier":"wecom-mobile"},
    {"type":"wechatwork:agency:mobile","identifier":"wecom-agency"},
    {"type":"lark-internal","identifier":"lark-in"},
    {"type":"lark-public","identifier":"lark-pub"},
    {"type":"google:mobile","identifier":"google-mobile"},
    {"type":"facebook:mobile","identifier":"facebook-mobile"},
    {"provider":"yidun","identifier":"yidun-1"},
    {"type":"wechat:miniprogram:app-launch","identifier":"wx-mini"}
]"#;

fn public_config(req: &Captured, connections: &str) -> Reply {
    let host = req.header("host").unwrap_or_default();
    Reply::Json(format!(
        r#"{{"code":200,"message":"","data":{{"identifier":"demo","requestHostname":"{host}","userPoolId":"pool-9","ecConnections":{connections}}}}}"#
    ))
}

/// A server like Authing whose app has `connections` in its public config.
fn authing_with(connections: &'static str) -> Server {
    Server::scripted(move |req| match route(req) {
        CONFIG_PATH => public_config(req, connections),
        "/api/v3/signin-by-mobile" => Reply::Json(TOKENS.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    })
}

/// The default options, cut to the spec's `SignInByMobileOptionsDto`.
fn default_options() -> Value {
    json!({"scope": authing::DEFAULT_SCOPE})
}

/// Runs `call`, checks it signed in, and returns the `signin-by-mobile` request (the
/// public config is fetched before the first one only).
fn sign_in(server: &Server, first: bool, call: impl FnOnce() -> AuthResponse) -> Captured {
    let response = call();
    assert_eq!(response.status_code(), 200, "{response:?}");
    if first {
        assert_eq!(route(&server.next_request()), CONFIG_PATH);
    }
    let req = server.next_request();
    assert_eq!(route(&server.next_request()), "/api/v3/get-profile");
    req
}

#[test]
fn sign_in_by_mobile_sends_each_connection_with_its_identifier_and_payload() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let expected = [
        (Connection::wechat, "wechat-mobile", "wechatPayload", "code"),
        (Connection::alipay, "alipay-mobile", "alipayPayload", "code"),
        (
            Connection::wechatwork,
            "wecom-mobile",
            "wechatworkPayload",
            "code",
        ),
        (
            Connection::wechatwork_agency,
            "wecom-agency",
            "wechatworkAgencyPayload",
            "code",
        ),
        (
            Connection::lark_internal,
            "lark-in",
            "larkInternalPayload",
            "code",
        ),
        (
            Connection::lark_public,
            "lark-pub",
            "larkPublicPayload",
            "code",
        ),
        (Connection::google, "google-mobile", "googlePayload", "code"),
        (
            Connection::facebook,
            "facebook-mobile",
            "facebookPayload",
            "access_token",
        ),
    ];
    assert_eq!(expected.len(), Connection::ALL.len());
    for (i, (connection, identifier, field, key)) in expected.into_iter().enumerate() {
        let req = sign_in(&server, i == 0, || {
            client.sign_in_by_mobile_blocking(connection, "code-123", None)
        });
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/api/v3/signin-by-mobile");
        assert_eq!(req.header("x-authing-app-id"), Some(common::APP_ID));
        assert_eq!(req.header("authorization"), None);
        let mut expected = serde_json::Map::new();
        expected.insert("connection".into(), connection.as_str().into());
        expected.insert("extIdpConnidentifier".into(), identifier.into());
        expected.insert(field.into(), json!({ key: "code-123" }));
        expected.insert("options".into(), default_options());
        assert_eq!(body(&req), Value::Object(expected), "{connection}");
    }
    // The public config was fetched once, for the first call only.
    server.assert_no_request();
}

#[test]
fn the_first_sign_in_by_mobile_body_is_in_androids_key_order() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let req = sign_in(&server, true, || {
        client.sign_in_by_mobile_blocking(Connection::wechat, "c0de", None)
    });
    assert_eq!(
        req.body_text(),
        r#"{"connection":"wechat","extIdpConnidentifier":"wechat-mobile","wechatPayload":{"code":"c0de"},"options":{"scope":"openid profile email phone username address offline_access roles extended_fields"}}"#
    );
    assert!(req.body_text().contains(authing::DEFAULT_SCOPE));
}

#[test]
fn sign_in_by_one_auth_sends_the_yidun_payload() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let req = sign_in(&server, true, || {
        client.sign_in_by_one_auth_blocking("yd-token", "carrier-at", None)
    });
    assert_eq!(
        body(&req),
        json!({
            "connection": "yidun",
            "extIdpConnidentifier": "yidun-1",
            "yidunPayload": {"token": "yd-token", "accessToken": "carrier-at"},
            "options": default_options(),
        })
    );
}

#[test]
fn sign_in_by_wechat_mini_program_sends_the_login_and_phone_codes_without_empty_fields() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let req = sign_in(&server, true, || {
        client.sign_in_by_wechat_mini_program_blocking("wx-code", "phone-code", None)
    });
    assert_eq!(
        body(&req),
        json!({
            "connection": "wechat_mini_program_code_and_phone",
            "extIdpConnidentifier": "wx-mini",
            "wechatMiniProgramCodeAndPhonePayload": {
                "wxLoginInfo": {"code": "wx-code"},
                "wxPhoneInfo": {"code": "phone-code"},
            },
            "options": default_options(),
        })
    );
}

#[test]
fn social_sign_ins_send_only_the_options_of_the_mobile_options_dto() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let mut options = AuthOptions::new();
    options
        .set_scope("openid profile email")
        .set_tenant_id("tenant-1")
        .set_auto_register(true)
        .set_client_ip("10.0.0.1");
    let req = sign_in(&server, true, || {
        client.sign_in_by_mobile_blocking(Connection::google, "g-code", options)
    });
    assert_eq!(
        body(&req)["options"],
        json!({"scope": "openid profile email", "tenantId": "tenant-1"})
    );
}

#[test]
fn a_discovering_client_reads_the_identifier_from_the_public_config_it_discovered() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = AuthClient::builder()
        .app_id(common::APP_ID)
        .host(server.base_url())
        .build()
        .unwrap();
    let req = sign_in(&server, true, || {
        client.sign_in_by_mobile_blocking(Connection::alipay, "a-code", None)
    });
    assert_eq!(body(&req)["extIdpConnidentifier"], "alipay-mobile");
}

#[test]
fn bad_codes_are_refused_locally_with_a_specific_message_and_nothing_on_the_wire() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let long = "c".repeat(4097);
    let cases: Vec<(AuthResponse, &str)> = vec![
        (
            client.sign_in_by_mobile_blocking(Connection::wechat, "", None),
            "invalid input: code is empty",
        ),
        (
            client.sign_in_by_mobile_blocking(Connection::lark_public, "   ", None),
            "invalid input: code is only whitespace",
        ),
        (
            client.sign_in_by_mobile_blocking(Connection::facebook, "", None),
            "invalid input: access_token is empty",
        ),
        (
            client.sign_in_by_mobile_blocking(Connection::google, &long, None),
            "invalid input: code is longer than 4096 bytes",
        ),
        (
            client.sign_in_by_one_auth_blocking("", "at", None),
            "invalid input: token is empty",
        ),
        (
            client.sign_in_by_one_auth_blocking("tok", "", None),
            "invalid input: access_token is empty",
        ),
        (
            client.sign_in_by_wechat_mini_program_blocking("", "p", None),
            "invalid input: code is empty",
        ),
        (
            client.sign_in_by_wechat_mini_program_blocking("c", " ", None),
            "invalid input: phone_info_code is only whitespace",
        ),
    ];
    for (response, message) in cases {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{message}");
        assert!(
            matches!(response.error(), Some(AuthError::InvalidInput(_))),
            "{response:?}"
        );
        assert!(
            response.error().unwrap().to_string().starts_with(message),
            "{} != {message}",
            response.message()
        );
    }
    server.assert_no_request();
}

#[test]
fn an_app_without_the_connection_is_refused_locally_naming_it_and_nothing_is_signed_in() {
    let server = authing_with(r#"[{"type":"wechat:mobile","identifier":"wechat-mobile"}]"#);
    let client = common::client_at(server.base_url());
    let response = client.sign_in_by_mobile_blocking(Connection::alipay, "secret-code", None);
    assert_eq!(response.status_code(), codes::CONFIG_NOT_FOUND);
    assert!(matches!(response.error(), Some(AuthError::Config(_))));
    let message = response.message();
    assert!(message.contains("no alipay connection"), "{message}");
    assert!(!message.contains("secret-code"), "{message}");
    // The public config was asked; signin-by-mobile never was.
    assert_eq!(route(&server.next_request()), CONFIG_PATH);
    let response = client.sign_in_by_one_auth_blocking("t", "a", None);
    assert!(
        response.message().contains("no yidun connection"),
        "{response:?}"
    );
    let response = client.sign_in_by_wechat_mini_program_blocking("c", "p", None);
    assert!(
        response
            .message()
            .contains("no wechat_mini_program_code_and_phone connection"),
        "{response:?}"
    );
    server.assert_no_request();
    assert!(client.get_current_user().is_none());
}

#[test]
fn a_fixed_host_without_a_public_config_says_so_and_sends_no_sign_in() {
    let server = Server::scripted(|req| match route(req) {
        CONFIG_PATH => Reply::Raw(404, "text/plain", "not here".into()),
        _ => Reply::Json(TOKENS.into()),
    });
    let client = common::client_at(server.base_url());
    let response = client.sign_in_by_mobile_blocking(Connection::wechat, "c", None);
    assert_eq!(response.status_code(), codes::CONFIG_NOT_FOUND);
    let message = response.message();
    assert!(
        message.contains("wechat connection's identifier is unknown"),
        "{message}"
    );
    assert!(message.contains("fixed app_host"), "{message}");
    assert!(
        message.contains("public config could not be fetched"),
        "{message}"
    );
    assert_eq!(route(&server.next_request()), CONFIG_PATH);
    server.assert_no_request();
}

#[test]
fn a_refused_social_sign_in_calls_back_exactly_once() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let (tx, rx) = mpsc::channel();
    let _ = client.sign_in_by_mobile(Connection::wechat, "", None, move |r: AuthResponse| {
        tx.send(r).unwrap()
    });
    let response = rx.recv_timeout(DEADLINE).expect("one callback");
    assert_eq!(response.status_code(), codes::INVALID_INPUT);
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
    let (tx, rx) = mpsc::channel();
    let _ = client.sign_in_by_one_auth("", "", None, move |r: AuthResponse| tx.send(r).unwrap());
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::INVALID_INPUT
    );
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
    let (tx, rx) = mpsc::channel();
    let _ = client
        .sign_in_by_wechat_mini_program("", "", None, move |r: AuthResponse| tx.send(r).unwrap());
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::INVALID_INPUT
    );
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
    server.assert_no_request();
}

#[test]
fn the_callback_forms_sign_in_and_start_the_session() {
    let server = authing_with(ALL_CONNECTIONS);
    let client = common::client_at(server.base_url());
    let (tx, rx) = mpsc::channel();
    let _ = client.sign_in_by_mobile(Connection::wechat, "c", None, move |r: AuthResponse| {
        tx.send(r).unwrap()
    });
    let response = rx.recv_timeout(DEADLINE).expect("one callback");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(
        client.get_current_user().map(|u| u.user_id().to_string()),
        Some("u-1".to_string())
    );
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
}

#[test]
fn get_alipay_auth_info_sends_the_identifier_in_the_query_without_a_bearer() {
    let server = Server::start(Reply::Json(
        json!({"statusCode": 200, "message": "", "data": {"authInfo": "apiname=com.alipay.account.auth&sign=x%2By"}})
            .to_string(),
    ));
    let client = common::client_at(server.base_url());
    let info = client
        .get_alipay_auth_info_blocking("my alipay&x")
        .alipay_auth_info()
        .unwrap();
    assert_eq!(
        info, "apiname=com.alipay.account.auth&sign=x%2By",
        "handed over as it is"
    );
    let sent = server.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.path,
        "/api/v3/get-alipay-authinfo?extIdpConnidentifier=my%20alipay%26x"
    );
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("x-authing-app-id"), Some(common::APP_ID));
    for bad in ["", "  ", "a\nb"] {
        let refused = client.get_alipay_auth_info_blocking(bad);
        assert_eq!(refused.status_code(), codes::INVALID_INPUT, "{bad:?}");
    }
    server.assert_no_request();
}
