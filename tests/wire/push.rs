//! Push sign-in's bytes on the wire, against the scripted loopback server: the bodies and
//! queries each call sends, the bearer of the phone's call, what bad input keeps off the
//! wire, and how the desktop flow reads answers the emulator does not give (failing
//! checks, `ERROR`, an unknown status, `AUTHORIZED` without tokens, a server that never
//! says a final status).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{self, Reply, Server};
use crate::route;
use authing::{
    codes, AuthError, AuthOptions, PushCodeAction, PushCodeStatus, PushCodeUpdate,
    PushSignInOptions,
};
use serde_json::{json, Value};

const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;

fn ok(data: Value) -> Reply {
    Reply::Json(json!({"statusCode": 200, "message": "", "data": data}).to_string())
}

fn tokens() -> Value {
    json!({"access_token": "at-9", "id_token": "it-9", "refresh_token": "rt-9", "token_type": "Bearer", "expire_in": 3600})
}

fn pushed() -> Reply {
    ok(json!({"pushCodeId": "p/1&x=y", "expireTime": 120}))
}

fn fast() -> PushSignInOptions {
    let mut options = PushSignInOptions::new();
    options.set_interval(Duration::from_millis(50));
    options
}

#[test]
fn gene_push_code_sends_the_account_and_only_the_push_options() {
    let server = Server::start(pushed());
    let client = common::client_at(server.base_url());
    let code = client
        .gene_push_code_blocking("mike@example.com", None)
        .push_code()
        .unwrap();
    assert_eq!(code.push_code_id(), "p/1&x=y");
    assert_eq!(code.expire_time(), Duration::from_secs(120));
    let sent = server.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/signin-by-push")
    );
    assert_eq!(sent.body_text(), r#"{"account":"mike@example.com"}"#);
    assert_eq!(sent.header("x-authing-app-id"), Some(common::APP_ID));
    assert_eq!(sent.header("authorization"), None);

    let mut options = AuthOptions::new();
    options
        .set_scope("openid profile")
        .set_context(json!({"source": "desk"}))
        .set_custom_data(json!({"seat": "7"}))
        .set_auto_register(true)
        .set_client_ip("203.0.113.7");
    client.gene_push_code_blocking("mike", options);
    assert_eq!(
        server.next_request().body_text(),
        r#"{"account":"mike","options":{"context":{"source":"desk"},"customData":{"seat":"7"},"scope":"openid profile"}}"#,
        "SignInByPushOptionsDto has scope, context and customData only"
    );
}

#[test]
fn check_push_code_status_percent_encodes_the_id_and_relation_apps_send_both_ids() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/check-pushcode-status" => ok(json!({"status": "PUSHED"})),
        _ => ok(json!({"appIds": ["app-1", "app-2"]})),
    });
    let client = common::client_at(server.base_url());
    let state = client
        .check_push_code_status_blocking("p/1&x=y%+#")
        .push_code_state()
        .unwrap();
    assert_eq!(state.status(), PushCodeStatus::PUSHED);
    assert!(!state.has_token_set());
    let sent = server.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.path,
        "/api/v3/check-pushcode-status?pushCodeId=p%2F1%26x%3Dy%25%2B%23"
    );
    assert!(sent.body.is_empty());

    let apps = client
        .get_push_login_relation_apps_blocking("p-1", "app-1")
        .push_login_relation_apps()
        .unwrap();
    assert_eq!(apps, ["app-1", "app-2"]);
    let sent = server.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/get-pushlogin-relation-apps")
    );
    assert_eq!(sent.body_text(), r#"{"pushCodeId":"p-1","appId":"app-1"}"#);
    assert_eq!(sent.header("authorization"), None);
}

#[test]
fn bad_accounts_ids_and_options_are_refused_before_anything_is_sent() {
    let server = Server::start(ok(json!({})));
    let client = common::client_at(server.base_url());
    let mut no_openid = AuthOptions::new();
    no_openid.set_scope("profile");
    let mut bad_timing = PushSignInOptions::new();
    bad_timing.set_interval(Duration::from_millis(1));
    for (response, message) in [
        (
            client.gene_push_code_blocking("", None),
            "invalid input: account is empty",
        ),
        (
            client.gene_push_code_blocking("mi\nke", None),
            "invalid input: account contains control characters",
        ),
        (
            client.gene_push_code_blocking("mike", no_openid.clone()),
            "invalid input: options.scope must contain openid",
        ),
        (
            client.check_push_code_status_blocking(""),
            "invalid input: push_code_id is empty",
        ),
        (
            client.change_push_code_status_blocking("a b", PushCodeAction::CONFIRM),
            "invalid input: push_code_id must contain visible ascii characters only",
        ),
        (
            client.get_push_login_relation_apps_blocking("p-1", " "),
            "invalid input: app_id is only whitespace",
        ),
        (
            client.sign_in_by_push_blocking(" ", None, |_| {}),
            "invalid input: account is only whitespace",
        ),
        (
            client.sign_in_by_push_blocking("mike", bad_timing, |_| {}),
            "invalid input: interval must be from 50 ms to 60 s",
        ),
        (
            client.sign_in_by_push_blocking(
                "mike",
                fast().set_auth_options(no_openid).clone(),
                |_| {},
            ),
            "invalid input: options.scope must contain openid",
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
    let refused = client.change_push_code_status_blocking("p-1", PushCodeAction::CONFIRM);
    assert_eq!(refused.status_code(), codes::NOT_SIGNED_IN);
    server.assert_no_request();

    let signed_in = client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    assert_eq!(signed_in.status_code(), 200);
    server.next_request();
    server.next_request();
    let answer = client.change_push_code_status_blocking("p-1", PushCodeAction::CANCEL);
    assert_eq!(answer.status_code(), 200);
    let sent = server.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/change-pushcode-status")
    );
    assert_eq!(
        sent.body_text(),
        r#"{"pushCodeId":"p-1","action":"CANCEL"}"#
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-9"));
}

/// A server whose status checks answer `check(n)` for the n-th check.
fn polled(check: impl Fn(usize) -> Reply + Send + Sync + 'static) -> (Server, Arc<AtomicUsize>) {
    let checks = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&checks);
    let server = Server::scripted(move |req| match route(req) {
        "/api/v3/signin-by-push" => pushed(),
        "/api/v3/check-pushcode-status" => check(counter.fetch_add(1, Ordering::SeqCst) + 1),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    });
    (server, checks)
}

fn unavailable() -> Reply {
    Reply::Raw(503, "text/plain", "try later".into())
}

#[test]
fn the_flow_pushes_polls_and_signs_in_with_the_tokens_of_the_status_answer() {
    let (server, checks) = polled(|n| match n {
        1 | 2 => ok(json!({"status": "PUSHED"})),
        _ => ok(json!({"status": "AUTHORIZED", "tokenSet": tokens()})),
    });
    let client = common::client_at(server.base_url());
    let mut statuses = Vec::new();
    let answer = client.sign_in_by_push_blocking("mike", fast(), |u: PushCodeUpdate| {
        assert_eq!(u.push_code().push_code_id(), "p/1&x=y");
        statuses.push(u.status());
    });
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert_eq!(
        statuses,
        [PushCodeStatus::PUSHED, PushCodeStatus::AUTHORIZED],
        "PUSHED once although two checks said it"
    );
    assert_eq!(checks.load(Ordering::SeqCst), 3);
    let paths: Vec<String> = (0..5)
        .map(|_| route(&server.next_request()).to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v3/signin-by-push",
            "/api/v3/check-pushcode-status",
            "/api/v3/check-pushcode-status",
            "/api/v3/check-pushcode-status",
            "/api/v3/get-profile"
        ]
    );
    server.assert_no_request();
    assert_eq!(client.get_token().unwrap().access_token(), "at-9");
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
    assert!(
        !format!("{answer:?}").contains("at-9"),
        "Debug hides the tokens"
    );
}

#[test]
fn two_failed_checks_in_a_row_are_tried_again_and_a_third_ends_the_flow_with_its_failure() {
    let (server, checks) = polled(|n| match n {
        1 | 2 => unavailable(),
        3 => ok(json!({"status": "AUTHORIZED", "tokenSet": tokens()})),
        _ => unavailable(),
    });
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_push_blocking("mike", fast(), |_| {});
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert_eq!(checks.load(Ordering::SeqCst), 3);

    let (server, checks) = polled(|_| unavailable());
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_push_blocking("mike", fast(), |_| {});
    assert_eq!(answer.status_code(), 503);
    assert_eq!(checks.load(Ordering::SeqCst), 3);
}

#[test]
fn error_ends_the_flow_with_10020_and_an_unknown_status_or_missing_tokens_with_10004() {
    let (server, _) = polled(|_| ok(json!({"status": "ERROR"})));
    let client = common::client_at(server.base_url());
    let mut last = None;
    let answer = client
        .sign_in_by_push_blocking("mike", fast(), |u: PushCodeUpdate| last = Some(u.status()));
    assert_eq!(answer.status_code(), codes::PUSH_NOT_AUTHORIZED);
    assert_eq!(last, Some(PushCodeStatus::ERROR));
    assert_eq!(
        answer.error().unwrap().to_string(),
        "push sign-in not authorized (ERROR): the server reported an error for the push"
    );
    assert_eq!(answer.data().unwrap()["status"], "ERROR");

    let (server, _) = polled(|_| ok(json!({"status": "SCANNED"})));
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_push_blocking("mike", fast(), |_| {});
    assert_eq!(answer.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(
        answer.error().unwrap().to_string(),
        "unexpected response: status is not one the spec lists"
    );

    let (server, _) = polled(|_| ok(json!({"status": "AUTHORIZED"})));
    let client = common::client_at(server.base_url());
    let answer = client.sign_in_by_push_blocking("mike", fast(), |_| {});
    assert_eq!(answer.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(
        answer.error().unwrap().to_string(),
        "unexpected response: push p/1&x=y is authorized but the answer has no tokenSet"
    );
    assert!(client.get_current_user().is_none());
}

#[test]
fn a_server_that_never_says_a_final_status_is_given_up_on_at_the_timeout() {
    let (server, checks) = polled(|_| ok(json!({"status": "PUSHED"})));
    let client = common::client_at(server.base_url());
    let mut options = fast();
    options.set_timeout(Duration::from_millis(400));
    let answer = client.sign_in_by_push_blocking("mike", options, |_| {});
    assert_eq!(answer.status_code(), codes::PUSH_NOT_AUTHORIZED);
    assert_eq!(
        answer.error(),
        Some(&AuthError::PushNotAuthorized {
            status: PushCodeStatus::PUSHED,
            reason: "no final status came within the timeout of 0.4 s".into()
        })
    );
    assert!(checks.load(Ordering::SeqCst) >= 2);
}

#[test]
fn a_refused_push_request_ends_the_flow_with_that_answer_and_no_update() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":404,"message":"user not found","apiCode":2004}"#.into(),
    ));
    let client = common::client_at(server.base_url());
    let mut updates = 0;
    let answer = client.sign_in_by_push_blocking("nobody", fast(), |_| updates += 1);
    assert_eq!((answer.status_code(), answer.api_code()), (404, 2004));
    assert_eq!(updates, 0);
    server.next_request();
    server.assert_no_request();
}
