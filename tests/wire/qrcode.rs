//! QR-code sign-in's bytes on the wire, against the scripted loopback server: the bodies
//! and queries each call sends, the bearer of the phone's call, what bad input keeps off
//! the wire, and how the desktop flow reads answers the emulator does not give (tokens in
//! the status answer, failing checks, `ERROR`, an unknown status, a server that never
//! says a final status).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{self, Reply, Server};
use crate::route;
use authing::{codes, Action, AuthError, QrCodeSignInOptions, QrCodeStatus, QrCodeUpdate};
use serde_json::{json, Value};

const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;

fn ok(data: Value) -> Reply {
    Reply::Json(json!({"statusCode": 200, "message": "", "data": data}).to_string())
}

fn tokens() -> Value {
    json!({"access_token": "at-9", "id_token": "it-9", "refresh_token": "rt-9", "token_type": "Bearer", "expire_in": 3600})
}

fn gene() -> Reply {
    ok(json!({"qrcodeId": "q/1&x=y", "url": "https://files.example.com/q1.png"}))
}

fn fast() -> QrCodeSignInOptions {
    let mut options = QrCodeSignInOptions::new();
    options.set_interval(Duration::from_millis(50));
    options
}

#[test]
fn gene_qr_code_asks_for_a_mobile_app_code_with_the_custom_data_when_given() {
    let server = Server::start(gene());
    let client = common::client_at(server.base_url());
    let code = client.gene_qr_code_blocking(None).qr_code().unwrap();
    assert_eq!(code.qrcode_id(), "q/1&x=y");
    assert_eq!(code.url(), "https://files.example.com/q1.png");
    let sent = server.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/gene-qrcode")
    );
    assert_eq!(sent.body_text(), r#"{"type":"MOBILE_APP"}"#);
    assert_eq!(sent.header("x-authing-app-id"), Some(common::APP_ID));
    assert_eq!(sent.header("authorization"), None);

    client.gene_qr_code_blocking(json!({"device": "desk-7"}));
    assert_eq!(
        server.next_request().body_text(),
        r#"{"type":"MOBILE_APP","customData":{"device":"desk-7"}}"#
    );
    let refused = client.gene_qr_code_blocking(json!("desk-7"));
    assert_eq!(refused.status_code(), codes::INVALID_INPUT);
    server.assert_no_request();
}

#[test]
fn check_qr_code_status_percent_encodes_the_id_into_the_query_and_sends_no_body() {
    let server = Server::start(ok(
        json!({"status": "SCANNED", "briefUserInfo": {"displayName": "Mike", "photo": ""}}),
    ));
    let client = common::client_at(server.base_url());
    let state = client
        .check_qr_code_status_blocking("q/1&x=y%+#")
        .qr_code_state()
        .unwrap();
    assert_eq!(state.status(), QrCodeStatus::SCANNED);
    assert_eq!(state.display_name(), Some("Mike"));
    assert_eq!(state.photo(), None, "an empty photo is no photo");
    let sent = server.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.path,
        "/api/v3/check-qrcode-status?qrcodeId=q%2F1%26x%3Dy%25%2B%23"
    );
    assert!(sent.body.is_empty());
}

#[test]
fn bad_ids_and_tickets_are_refused_before_anything_is_sent() {
    let server = Server::start(ok(json!({})));
    let client = common::client_at(server.base_url());
    for (response, message) in [
        (
            client.check_qr_code_status_blocking(""),
            "invalid input: qrcode_id is empty",
        ),
        (
            client.check_qr_code_status_blocking("a b"),
            "invalid input: qrcode_id must contain visible ascii characters only",
        ),
        (
            client.change_qr_code_status_blocking(" ", Action::SCAN),
            "invalid input: qrcode_id is only whitespace",
        ),
        (
            client.exchange_token_set_with_qr_code_blocking("", None, None),
            "invalid input: ticket is empty",
        ),
        (
            client.exchange_token_set_with_qr_code_blocking("t-1", "app\n", None),
            "invalid input: client_id must contain visible ascii characters only",
        ),
    ] {
        assert_eq!(response.status_code(), codes::INVALID_INPUT);
        assert_eq!(response.error().unwrap().to_string(), message);
    }
    server.assert_no_request();
}

#[test]
fn the_phones_change_sends_the_id_and_action_with_the_sessions_bearer() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/signin" => ok(tokens()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(r#"{"statusCode":200,"message":"ok"}"#.into()),
    });
    let client = common::client_at(server.base_url());
    let refused = client.change_qr_code_status_blocking("q-1", Action::SCAN);
    assert_eq!(refused.status_code(), codes::NOT_SIGNED_IN);
    server.assert_no_request();

    assert_eq!(
        client
            .sign_in_by_user_name_password_blocking("mike", "passw0rd", None)
            .status_code(),
        200
    );
    server.next_request();
    server.next_request();
    let answer = client.change_qr_code_status_blocking("q-1", Action::CONFIRM);
    assert_eq!(answer.status_code(), 200);
    let sent = server.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/change-qrcode-status")
    );
    assert_eq!(sent.body_text(), r#"{"qrcodeId":"q-1","action":"CONFIRM"}"#);
    assert_eq!(sent.header("authorization"), Some("Bearer at-9"));
    assert!(sent
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
}

#[test]
fn the_exchange_sends_the_ticket_alone_unless_given_client_fields_then_starts_the_session() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => ok(tokens()),
    });
    let client = common::client_at(server.base_url());
    let answer = client.exchange_token_set_with_qr_code_blocking("t-1", None, None);
    assert_eq!(answer.status_code(), 200);
    let sent = server.next_request();
    assert_eq!(sent.path, "/api/v3/exchange-tokenset-with-qrcode-ticket");
    assert_eq!(sent.body_text(), r#"{"ticket":"t-1"}"#);
    assert_eq!(sent.header("authorization"), None);
    let profile = server.next_request();
    assert_eq!(profile.header("authorization"), Some("Bearer at-9"));
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
    assert_eq!(client.get_token().unwrap().refresh_token(), Some("rt-9"));

    client.exchange_token_set_with_qr_code_blocking("t-2", "app-1", "s3cret");
    assert_eq!(
        server.next_request().body_text(),
        r#"{"ticket":"t-2","client_id":"app-1","client_secret":"s3cret"}"#
    );
}

#[test]
fn tokens_in_the_status_answer_sign_in_without_an_exchange() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/gene-qrcode" => gene(),
        "/api/v3/check-qrcode-status" => ok(json!({"status": "AUTHORIZED", "tokenSet": tokens()})),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    });
    let client = common::client_at(server.base_url());
    let mut statuses = Vec::new();
    let answer =
        client.sign_in_by_qr_code_blocking(fast(), |u: QrCodeUpdate| statuses.push(u.status()));
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert_eq!(statuses, [QrCodeStatus::PENDING, QrCodeStatus::AUTHORIZED]);
    let paths: Vec<String> = (0..3)
        .map(|_| route(&server.next_request()).to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v3/gene-qrcode",
            "/api/v3/check-qrcode-status",
            "/api/v3/get-profile"
        ]
    );
    server.assert_no_request();
    assert_eq!(client.get_token().unwrap().access_token(), "at-9");
    assert!(
        !format!("{answer:?}").contains("at-9"),
        "Debug hides the tokens"
    );
}

/// A server whose status checks answer `check(n)` for the n-th check.
fn polled(check: impl Fn(usize) -> Reply + Send + Sync + 'static) -> (Server, Arc<AtomicUsize>) {
    let checks = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&checks);
    let server = Server::scripted(move |req| match route(req) {
        "/api/v3/gene-qrcode" => gene(),
        "/api/v3/check-qrcode-status" => check(counter.fetch_add(1, Ordering::SeqCst) + 1),
        "/api/v3/exchange-tokenset-with-qrcode-ticket" => ok(tokens()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    });
    (server, checks)
}

fn unavailable() -> Reply {
    Reply::Raw(503, "text/plain", "try later".into())
}

#[test]
fn two_failed_checks_in_a_row_are_tried_again_and_a_third_ends_the_flow_with_its_failure() {
    let (server, checks) = polled(|n| match n {
        1 | 2 => unavailable(),
        3 => ok(json!({"status": "AUTHORIZED", "ticket": "t-1"})),
        _ => unavailable(),
    });
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_qr_code_blocking(fast(), |_| {});
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert_eq!(checks.load(Ordering::SeqCst), 3);

    let (server, checks) = polled(|_| unavailable());
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_qr_code_blocking(fast(), |_| {});
    assert_eq!(answer.status_code(), 503);
    assert_eq!(answer.message(), "try later");
    assert_eq!(checks.load(Ordering::SeqCst), 3);
}

#[test]
fn a_check_refused_for_good_ends_the_flow_at_once_with_that_answer() {
    let (server, checks) = polled(|_| {
        Reply::Json(r#"{"statusCode":404,"message":"qr code not found","apiCode":2324}"#.into())
    });
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_qr_code_blocking(fast(), |_| {});
    assert_eq!((answer.status_code(), answer.api_code()), (404, 2324));
    assert_eq!(checks.load(Ordering::SeqCst), 1);
}

#[test]
fn the_error_status_ends_the_flow_with_10018_and_an_unknown_status_with_10004() {
    let (server, _) = polled(|_| ok(json!({"status": "ERROR"})));
    let client = common::client_at(server.base_url());
    let mut last = None;
    let answer =
        client.sign_in_by_qr_code_blocking(fast(), |u: QrCodeUpdate| last = Some(u.status()));
    assert_eq!(answer.status_code(), codes::QR_CODE_NOT_AUTHORIZED);
    assert_eq!(last, Some(QrCodeStatus::ERROR));
    assert!(answer
        .error()
        .unwrap()
        .to_string()
        .ends_with("the server reported an error for the qr code"));

    let (server, _) = polled(|_| ok(json!({"status": "WAITING_FOR_SOMETHING"})));
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_qr_code_blocking(fast(), |_| {});
    assert_eq!(answer.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(
        answer.error().unwrap().to_string(),
        "unexpected response: status is not one the spec lists"
    );
}

#[test]
fn an_authorized_code_without_a_ticket_or_tokens_is_an_unexpected_answer() {
    let (server, _) = polled(|_| ok(json!({"status": "AUTHORIZED"})));
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_qr_code_blocking(fast(), |_| {});
    assert_eq!(answer.status_code(), codes::JSON_PARSE_FAILED);
    assert!(
        answer.message().contains("no ticket or tokenSet"),
        "{}",
        answer.message()
    );
    assert!(client.get_current_user().is_none());
}

#[test]
fn a_server_that_never_says_a_final_status_is_given_up_on_at_the_timeout() {
    let (server, checks) = polled(|n| {
        let status = if n == 1 { "PENDING" } else { "SCANNED" };
        ok(json!({"status": status}))
    });
    let client = common::client_at(server.base_url());
    let mut options = fast();
    options.set_timeout(Duration::from_millis(400));
    let answer = client.sign_in_by_qr_code_blocking(options, |_| {});
    assert_eq!(answer.status_code(), codes::QR_CODE_NOT_AUTHORIZED);
    assert_eq!(
        answer.error(),
        Some(&AuthError::QrCodeNotAuthorized {
            status: QrCodeStatus::SCANNED,
            reason: "no final status came within the timeout of 0.4 s".into()
        })
    );
    assert!(checks.load(Ordering::SeqCst) >= 2);
}

#[test]
fn a_ticket_in_an_answer_is_hidden_from_debug_output() {
    let (server, _) = polled(|_| ok(json!({"status": "AUTHORIZED", "ticket": "t-secret-1"})));
    let client = common::client_at(server.base_url());
    let response = client.check_qr_code_status_blocking("q-1");
    let shown = format!("{response:?} {:?}", response.qr_code_state().unwrap());
    assert!(!shown.contains("t-secret-1"), "{shown}");
    assert!(shown.contains("AUTHORIZED"));
}

#[test]
fn a_token_store_that_cannot_be_read_refuses_the_qr_sign_in_before_a_code_is_generated() {
    let server = Server::start(gene());
    let path = std::env::temp_dir().join(format!("authing-qr-{}-store.json", std::process::id()));
    std::fs::write(&path, "not a session").unwrap();
    let client = common::builder_at(server.base_url())
        .token_store(authing::FileTokenStore::new(&path))
        .build()
        .unwrap();
    let mut updates = 0;
    let answer = client.sign_in_by_qr_code_blocking(fast(), |_| updates += 1);
    assert_eq!(answer.status_code(), codes::TOKEN_STORE_FAILED);
    let exchange = client.exchange_token_set_with_qr_code_blocking("t-1", None, None);
    assert_eq!(exchange.status_code(), codes::TOKEN_STORE_FAILED);
    assert_eq!(updates, 0);
    server.assert_no_request();
    let _ = std::fs::remove_file(&path);
}

// --- fast authentication -----------------------------------------------------------------

fn fastpass_code() -> Value {
    json!({
        "qrcodeId": "fp-1", "scene": "APP_LOGIN", "appId": "app-1", "apiHost": "https://a.example.com",
        "user": {"id": "u-1", "displayName": "Mike", "photo": ""},
        "userpool": {"id": "pool-1", "displayName": "Pool", "photo": ""}
    })
}

#[test]
fn gene_fastpass_sends_the_options_with_the_sessions_bearer_and_reads_the_code() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/signin" => ok(tokens()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => ok(fastpass_code()),
    });
    let client = common::client_at(server.base_url());
    let refused = client.gene_fastpass_qrcode_info_blocking(None);
    assert_eq!(refused.status_code(), codes::NOT_SIGNED_IN);
    server.assert_no_request();
    let signed_in = client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    assert_eq!(signed_in.status_code(), 200);
    server.next_request();
    server.next_request();

    let code = client
        .gene_fastpass_qrcode_info_blocking(None)
        .fastpass_qr_code()
        .unwrap();
    assert_eq!(
        (code.qrcode_id(), code.app_id(), code.scene()),
        ("fp-1", "app-1", "APP_LOGIN")
    );
    assert_eq!(code.user().display_name(), "Mike");
    assert_eq!(code.userpool().id(), "pool-1");
    assert_eq!(
        serde_json::from_str::<Value>(code.content()).unwrap(),
        fastpass_code()
    );
    let sent = server.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/gene-fastpass-qrcode-info")
    );
    assert_eq!(sent.body_text(), r#"{"options":{}}"#);
    assert_eq!(sent.header("authorization"), Some("Bearer at-9"));

    let mut options = authing::FastpassOptions::new();
    options
        .set_scope("openid profile")
        .set_custom_data(json!({"seat": "12A"}));
    client.gene_fastpass_qrcode_info_blocking(options.clone());
    assert_eq!(
        server.next_request().body_text(),
        r#"{"options":{"scope":"openid profile","customData":{"seat":"12A"}}}"#
    );
    options.set_context(json!("not an object"));
    let refused = client.gene_fastpass_qrcode_info_blocking(options);
    assert_eq!(refused.status_code(), codes::INVALID_INPUT);
    assert!(
        refused.message().contains("context"),
        "{}",
        refused.message()
    );
    server.assert_no_request();
}

#[test]
fn the_scanning_apps_calls_send_the_ids_in_the_query_without_a_bearer() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/get-fastpass-client-apps" => ok(json!({"relationApps": [
            {"id": "app-1", "name": "Desk", "logo": "https://files.example.com/l.png"},
            {"id": "app-2", "name": "Web"}
        ]})),
        _ => {
            ok(json!({"status": "SCANNED", "briefUserInfo": {"displayName": "Mike", "photo": ""}}))
        }
    });
    let client = common::client_at(server.base_url());
    let apps = client
        .get_fastpass_params_blocking("fp/1&x", "app-1")
        .fastpass_apps()
        .unwrap();
    assert_eq!(apps.len(), 2);
    assert_eq!((apps[0].id(), apps[0].name()), ("app-1", "Desk"));
    assert_eq!(apps[1].logo(), "");
    let sent = server.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.path,
        "/api/v3/get-fastpass-client-apps?qrcodeId=fp%2F1%26x&appId=app-1"
    );
    assert_eq!(sent.header("authorization"), None);
    assert!(sent.body.is_empty());

    let state = client
        .get_qr_code_status_blocking("fp-1")
        .qr_code_state()
        .unwrap();
    assert_eq!(state.status(), QrCodeStatus::SCANNED);
    let sent = server.next_request();
    assert_eq!(
        sent.path,
        "/api/v3/get-app-login-qrcode-status?qrcodeId=fp-1"
    );
    assert_eq!(sent.header("authorization"), None);

    for refused in [
        client.get_fastpass_params_blocking("", "app-1"),
        client.get_fastpass_params_blocking("fp-1", "app 1"),
        client.get_qr_code_status_blocking("fp\n1"),
        client.qr_code_app_login_blocking(""),
    ] {
        assert_eq!(refused.status_code(), codes::INVALID_INPUT, "{refused:?}");
    }
    server.assert_no_request();
}

#[test]
fn the_app_login_sends_the_action_and_id_then_starts_the_session() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => ok(tokens()),
    });
    let client = common::client_at(server.base_url());
    let answer = client.qr_code_app_login_blocking("fp-1");
    assert_eq!(answer.status_code(), 200);
    let sent = server.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/qrcode-app-login")
    );
    assert_eq!(
        sent.body_text(),
        r#"{"action":"APP_LOGIN","qrcodeId":"fp-1"}"#
    );
    assert_eq!(sent.header("authorization"), None);
    let profile = server.next_request();
    assert_eq!(profile.header("authorization"), Some("Bearer at-9"));
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
}
