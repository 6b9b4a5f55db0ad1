//! The switch-login family on the wire, against the scripted loopback server: the exact
//! query and body of `list_public_accounts_for_switch_logged_in` and
//! `switch_login_by_user`, the bearer, the session a switch starts (and the one a refusal
//! leaves), the local checks (10010, 10015: nothing sent) and how answers are read.

use crate::common::{builder_at, Reply, Server};
use crate::{body, route, signed_in};
use authing::{codes, AuthOptions, AuthResponse};
use serde_json::json;
use std::sync::mpsc;

const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"id.token/1+2","refresh_token":"rt-1","token_type":"Bearer","expire_in":3600}}"#;
const SWITCHED: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-desk","id_token":"id.token/3","token_type":"Bearer","expire_in":7200}}"#;
const MIKE: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;
const DESK: &str =
    r#"{"statusCode":200,"message":"","data":{"userId":"p-1","username":"front-desk"}}"#;
const REFUSED: &str = r#"{"statusCode":403,"message":"forbidden","requestId":"r-9"}"#;
const LIST: &str = r#"{"statusCode":200,"message":"","data":[
  {"publicAccounts":[{"userId":"p-1","displayName":"front desk","avatar":"https://files.example/desk.png","usertype":"2"}],
   "originUser":{"userId":"u-1","displayName":"mike","usertype":"1"}}
]}"#;

/// A server that signs `mike` in, lists `LIST`, answers switches with `switch` and the
/// profile for the bearer: the public account's after a switch.
fn server(switch: &'static str) -> Server {
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" if req.header("authorization") == Some("Bearer at-desk") => {
            Reply::Json(DESK.into())
        }
        "/api/v3/get-profile" => Reply::Json(MIKE.into()),
        "/api/v3/switch-login-by-user" => Reply::Json(switch.into()),
        _ => Reply::Json(LIST.into()),
    })
}

#[test]
fn the_list_sends_with_origin_user_and_the_bearer_and_reads_the_accounts() {
    let s = server(SWITCHED);
    let client = signed_in(&s);
    for (flag, query) in [
        (true, "withOriginUser=true"),
        (false, "withOriginUser=false"),
    ] {
        let response = client.list_public_accounts_for_switch_logged_in_blocking(flag);
        let sent = s.next_request();
        assert_eq!(sent.method, "GET");
        assert_eq!(
            sent.path,
            format!("/api/v3/get-user-select-login-public-accounts?{query}")
        );
        assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
        assert!(sent.body.is_empty());
        let list = response.public_account_list().unwrap();
        let desk = &list.public_accounts()[0];
        assert_eq!(desk.user_id(), "p-1");
        assert_eq!(desk.display_name(), Some("front desk"));
        assert_eq!(desk.avatar(), Some("https://files.example/desk.png"));
        assert!(desk.is_public_account());
        let me = list.origin_user().unwrap();
        assert_eq!((me.user_id(), me.user_type()), ("u-1", Some("1")));
    }
}

#[test]
fn a_switch_posts_the_target_and_the_switch_options_and_the_session_becomes_the_targets() {
    let s = server(SWITCHED);
    let client = signed_in(&s);
    let mut options = AuthOptions::new();
    options
        .set_scope("openid profile")
        .set_context(json!({"source": "desk"}))
        .set_tenant_id("t-1") // not in SignInBySwitchOptionsDto: not sent
        .set_captcha_code("x7k2"); // nor this
    let response = client.switch_login_by_user_blocking(" p-1 ", options);
    assert!(response.is_success(), "{response:?}");
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/switch-login-by-user")
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert_eq!(
        body(&sent),
        json!({"targetUserId": "p-1", "options": {"scope": "openid profile", "context": {"source": "desk"}}})
    );
    // The new session fetches its user with the new token.
    let profile = s.next_request();
    assert_eq!(route(&profile), "/api/v3/get-profile");
    assert_eq!(profile.header("authorization"), Some("Bearer at-desk"));
    assert_eq!(client.get_current_user().unwrap().user_id(), "p-1");
    assert_eq!(client.get_token().unwrap().access_token(), "at-desk");
    // The next call acts as the public account.
    client.list_public_accounts_for_switch_logged_in_blocking(false);
    assert_eq!(
        s.next_request().header("authorization"),
        Some("Bearer at-desk")
    );
}

#[test]
fn without_options_the_switch_sends_the_default_scope() {
    let s = server(SWITCHED);
    let client = signed_in(&s);
    client.switch_login_by_user_blocking("p-1", None);
    assert_eq!(
        body(&s.next_request()),
        json!({"targetUserId": "p-1", "options": {"scope": authing::DEFAULT_SCOPE}})
    );
}

#[test]
fn a_refused_switch_answers_the_servers_refusal_and_leaves_the_session() {
    let s = server(REFUSED);
    let client = signed_in(&s);
    let response = client.switch_login_by_user_blocking("p-2", None);
    assert_eq!(response.status_code(), 403);
    assert_eq!(response.request_id(), Some("r-9"));
    assert_eq!(route(&s.next_request()), "/api/v3/switch-login-by-user");
    s.assert_no_request(); // no profile fetched: no new session
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
    assert_eq!(client.get_token().unwrap().access_token(), "at-1");
}

#[test]
fn bad_input_answers_10010_and_sends_nothing() {
    let s = server(SWITCHED);
    let client = signed_in(&s);
    let mut no_openid = AuthOptions::new();
    no_openid.set_scope("profile");
    for response in [
        client.switch_login_by_user_blocking("", None),
        client.switch_login_by_user_blocking("   ", None),
        client.switch_login_by_user_blocking("p\u{7}1", None),
        client.switch_login_by_user_blocking(&"p".repeat(129), None),
        client.switch_login_by_user_blocking("p-1", no_openid),
    ] {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
        assert!(
            response.message().contains("target_user_id") || response.message().contains("scope"),
            "{}",
            response.message()
        );
    }
    s.assert_no_request();
}

#[test]
fn without_a_signed_in_user_each_call_answers_10015_and_sends_nothing() {
    let s = server(SWITCHED);
    let client = builder_at(s.base_url()).build().unwrap();
    for response in [
        client.list_public_accounts_for_switch_logged_in_blocking(true),
        client.switch_login_by_user_blocking("p-1", None),
    ] {
        assert_eq!(response.status_code(), codes::NOT_SIGNED_IN, "{response:?}");
    }
    s.assert_no_request();
}

#[test]
fn the_callback_forms_call_back_exactly_once_with_the_blocking_answer() {
    let s = server(SWITCHED);
    let client = signed_in(&s);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .list_public_accounts_for_switch_logged_in(false, tx.clone())
        .join()
        .unwrap();
    client.switch_login_by_user("", None, tx).join().unwrap();
    let answers: Vec<i32> = rx.iter().map(|r| r.status_code()).collect();
    assert_eq!(answers, vec![200, codes::INVALID_INPUT]);
    assert_eq!(
        route(&s.next_request()),
        "/api/v3/get-user-select-login-public-accounts"
    );
    s.assert_no_request();
}
