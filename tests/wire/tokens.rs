//! The tokens family on the wire, against the scripted loopback server: the exact forms of
//! introspection, revocation, mfaToken introspection and the client-credentials grant;
//! the logout URL built without sending anything; the grant's answer cached; the token
//! endpoint's refusal read as a clear error without the secret; bad input refused before
//! anything is sent, with one callback.

use std::sync::mpsc;

use crate::common::{self, Reply, Server, APP_ID, DEADLINE, QUIET};
use crate::route;
use authing::{codes, AuthResponse, BuildLogoutUrlParams, ClientCredentialInput};

const SECRET: &str = "m2m-secret-value";

fn form(req: &common::Captured) -> Vec<(String, String)> {
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    common::proxy::decode_pairs(&req.body_text())
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn introspect_token_posts_the_app_id_and_the_token_and_reads_rfc_7662() {
    let server = Server::start(Reply::Json(
        r#"{"active":true,"sub":"u-1","scope":"openid profile","client_id":"demo-app","exp":2000,"iat":1000,"token_type":"Bearer"}"#.into(),
    ));
    let client = common::client_at(server.base_url());
    let response = client.introspect_token_blocking("a+b/c=");
    let req = server.next_request();
    assert_eq!(
        (req.method.as_str(), route(&req)),
        ("POST", "/oidc/token/introspection")
    );
    assert_eq!(
        form(&req),
        pairs(&[("client_id", APP_ID), ("token", "a+b/c=")])
    );
    assert_eq!(req.header("authorization"), None);
    let state = response.token_introspection().unwrap();
    assert!(state.active());
    assert_eq!(state.sub(), Some("u-1"));
    assert_eq!(state.scope(), Some("openid profile"));
    assert_eq!((state.exp(), state.iat()), (Some(2000), Some(1000)));
    assert_eq!(state.client_id(), Some("demo-app"));
}

#[test]
fn revoke_token_posts_the_form_and_an_empty_200_is_success() {
    let server = Server::start(Reply::Raw(200, "application/json", String::new()));
    let client = common::client_at(server.base_url());
    let response = client.revoke_token_blocking("refresh-1");
    let req = server.next_request();
    assert_eq!(route(&req), "/oidc/token/revocation");
    assert_eq!(
        form(&req),
        pairs(&[("client_id", APP_ID), ("token", "refresh-1")])
    );
    assert!(response.is_success(), "{response:?}");
    assert_eq!(response.data().unwrap()["success"], true);
}

#[test]
fn verify_mfa_token_posts_only_the_token() {
    let server = Server::start(Reply::Json(
        r#"{"active":true,"userId":"u-1","userPoolId":"pool","exp":2000,"iat":1000}"#.into(),
    ));
    let client = common::client_at(server.base_url());
    let state = client
        .verify_mfa_token_blocking("mfa-1")
        .mfa_token_introspection()
        .unwrap();
    let req = server.next_request();
    assert_eq!(route(&req), "/mfa/token/introspection");
    assert_eq!(form(&req), pairs(&[("token", "mfa-1")]));
    assert!(state.active());
    assert_eq!(
        (state.user_id(), state.user_pool_id()),
        (Some("u-1"), Some("pool"))
    );
}

#[test]
fn the_client_credentials_grant_posts_the_client_secret_and_the_answer_is_cached() {
    let server = Server::start(Reply::Json(
        r#"{"access_token":"at-1","token_type":"Bearer","expire_in":3600}"#.into(),
    ));
    let client = common::client_at(server.base_url());
    let input = ClientCredentialInput::new("m2m-1", SECRET);
    let first = client
        .get_access_token_by_client_credentials_blocking("read:users write:users", &input)
        .machine_token()
        .unwrap();
    let req = server.next_request();
    assert_eq!(route(&req), "/oidc/token");
    assert_eq!(
        form(&req),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("client_id", "m2m-1"),
            ("client_secret", SECRET),
            ("scope", "read:users write:users"),
        ])
    );
    assert_eq!(req.header("authorization"), None);
    assert_eq!(first.access_token(), "at-1");
    // A clone shares the cache: nothing more is sent.
    let again = client
        .get_access_token_by_client_credentials_blocking("read:users write:users", &input.clone())
        .machine_token()
        .unwrap();
    assert_eq!(again.access_token(), "at-1");
    server.assert_no_request();
    // Another scope asks anew, and an empty scope sends none.
    client.get_access_token_by_client_credentials_blocking("", &input);
    let req = server.next_request();
    assert!(!form(&req).iter().any(|(k, _)| k == "scope"));
}

#[test]
fn a_refused_secret_is_a_clear_error_that_never_quotes_the_secret() {
    let server = Server::start(Reply::Raw(
        401,
        "application/json",
        r#"{"error":"invalid_client","error_description":"client authentication failed"}"#.into(),
    ));
    let client = common::client_at(server.base_url());
    let input = ClientCredentialInput::new("m2m-1", SECRET);
    let response = client.get_access_token_by_client_credentials_blocking("", &input);
    assert_eq!(response.status_code(), 401);
    assert_eq!(
        response.message(),
        "invalid_client: client authentication failed"
    );
    let error = response.machine_token().unwrap_err();
    assert!(!format!("{error} {error:?} {response:?}").contains(SECRET));
    // Nothing was cached: the next call asks again.
    server.next_request();
    client.get_access_token_by_client_credentials_blocking("", &input);
    server.next_request();
}

#[test]
fn the_logout_url_is_built_without_sending_anything() {
    let server = Server::start(Reply::Json("{}".into()));
    let client = common::client_at(server.base_url());
    let mut params = BuildLogoutUrlParams::new();
    params
        .set_id_token_hint("h.e.y")
        .set_post_logout_redirect_uri("http://127.0.0.1:9/bye?x=1&y=2")
        .set_state("a b");
    let url = client
        .build_logout_url_blocking(&params)
        .logout_url()
        .unwrap();
    assert_eq!(
        url,
        format!(
            "{}/oidc/session/end?id_token_hint=h.e.y\
             &post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fbye%3Fx%3D1%26y%3D2&state=a%20b",
            server.base_url()
        )
    );
    let bare = client
        .build_logout_url_blocking(&BuildLogoutUrlParams::new())
        .logout_url()
        .unwrap();
    assert_eq!(bare, format!("{}/oidc/session/end", server.base_url()));
    server.assert_no_request();
}

#[test]
fn bad_input_is_refused_before_the_wire_with_one_callback_each() {
    let server = Server::start(Reply::Json("{}".into()));
    let client = common::client_at(server.base_url());
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let mut redirect_only = BuildLogoutUrlParams::new();
    redirect_only.set_post_logout_redirect_uri("https://example.com/bye");
    let handles = vec![
        client.introspect_token("", tx.clone()),
        client.introspect_token("has space", tx.clone()),
        client.introspect_access_token_offline("", tx.clone()),
        client.revoke_token("", tx.clone()),
        client.verify_mfa_token("bad\ntoken", tx.clone()),
        client.build_logout_url(&redirect_only, tx.clone()),
        client.get_access_token_by_client_credentials(
            "",
            &ClientCredentialInput::new("", SECRET),
            tx.clone(),
        ),
        client.get_access_token_by_client_credentials(
            "",
            &ClientCredentialInput::new("m2m-1", ""),
            tx.clone(),
        ),
        client.get_access_token_by_client_credentials(
            "a  b",
            &ClientCredentialInput::new("m2m-1", SECRET),
            tx.clone(),
        ),
    ];
    let count = handles.len();
    drop(tx);
    for handle in handles {
        handle.join().unwrap();
    }
    for _ in 0..count {
        let response = rx.recv_timeout(DEADLINE).expect("one callback a call");
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
        assert!(!response.message().contains(SECRET));
    }
    assert!(rx.recv_timeout(QUIET).is_err(), "no second callback");
    server.assert_no_request();
}

#[test]
fn validate_token_sends_one_token_in_the_query_and_reads_the_claims_or_the_v2_failure() {
    let server = Server::scripted(|req| {
        if req.path.contains("access_token=good") {
            Reply::Json(r#"{"sub":"u-1","scope":"openid","exp":1700000000}"#.into())
        } else if req.path.contains("id_token=") {
            Reply::Raw(
                400,
                "application/json",
                r#"{"code":400,"message":"id_token 不合法"}"#.into(),
            )
        } else {
            Reply::Json(r#"{"code":400,"message":"access_token 不合法"}"#.into())
        }
    });
    let client = common::client_at(server.base_url());
    let mut params = authing::ValidateTokenParams::new();
    params.set_access_token("good");
    let answer = client.validate_token_blocking(&params);
    assert_eq!(answer.status_code(), 200);
    assert_eq!(answer.user_claims().unwrap().sub(), "u-1");
    let sent = server.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, "/api/v2/oidc/validate_token?access_token=good");
    assert_eq!(sent.header("authorization"), None);
    assert!(sent.body.is_empty());

    // A failure in a 200's body, and in an error status's body: the same failure.
    params.set_access_token("bad+/=");
    let refused = client.validate_token_blocking(&params);
    assert_eq!(refused.status_code(), 400);
    assert_eq!(refused.message(), "access_token 不合法");
    assert!(refused.data().is_none());
    assert_eq!(
        server.next_request().path,
        "/api/v2/oidc/validate_token?access_token=bad%2B%2F%3D"
    );
    let mut params = authing::ValidateTokenParams::new();
    params.set_id_token("eyJ.x.y");
    let refused = client.validate_token_blocking(&params);
    assert_eq!(refused.status_code(), 400);
    assert_eq!(refused.message(), "id_token 不合法");
    assert_eq!(
        server.next_request().path,
        "/api/v2/oidc/validate_token?id_token=eyJ.x.y"
    );

    // Both, neither, or a malformed one: refused before the wire.
    params.set_access_token("good");
    let mut empty = authing::ValidateTokenParams::new();
    for bad in [
        &params,
        &authing::ValidateTokenParams::new(),
        empty.set_id_token("a b"),
    ] {
        let refused = client.validate_token_blocking(bad);
        assert_eq!(refused.status_code(), codes::INVALID_INPUT, "{refused:?}");
    }
    server.assert_no_request();
    assert!(!format!("{params:?}").contains("good"));
}
