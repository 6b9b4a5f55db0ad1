//! The emulator's machine-to-machine clients over plain HTTP: the admin API that creates
//! and lists them, the `client_credentials` grant with `client_secret_post` and
//! `client_secret_basic`, its refusals, and the issued token introspected, expired on the
//! emulator's clock and revoked.

use std::time::Duration;

use authing_emulator::{Emulator, NewMachineClient, DEFAULT_APP_SECRET};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use crate::common::agent;

/// `(status, WWW-Authenticate, body)` of a form POST.
fn form(
    emu: &Emulator,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Option<String>, Value) {
    let mut req = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut res = req.send(body).expect("http");
    let www = res
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = res.body_mut().read_to_string().expect("a body");
    (
        res.status().as_u16(),
        www,
        serde_json::from_str(&text).expect("json"),
    )
}

fn admin(emu: &Emulator, method: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}/emulator/v1/machine/clients", emu.base_url());
    let mut res = match (method, body) {
        ("POST", Some(b)) => agent()
            .post(&url)
            .header("content-type", "application/json")
            .send(b.to_string()),
        ("DELETE", _) => agent().delete(&url).call(),
        _ => agent().get(&url).call(),
    }
    .expect("http");
    let text = res.body_mut().read_to_string().expect("a body");
    (
        res.status().as_u16(),
        serde_json::from_str(&text).expect("json"),
    )
}

fn grant(
    emu: &Emulator,
    id: &str,
    secret: &str,
    scope: Option<&str>,
) -> (u16, Option<String>, Value) {
    let mut body = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    if let Some(scope) = scope {
        body.push_str(&format!("&scope={}", scope.replace(' ', "+")));
    }
    form(emu, "/oidc/token", &[], &body)
}

fn introspect(emu: &Emulator, token: &str) -> Value {
    let body = format!(
        "client_id={}&client_secret={DEFAULT_APP_SECRET}&token={token}",
        emu.app_id()
    );
    let (status, _, answer) = form(emu, "/oidc/token/introspection", &[], &body);
    assert_eq!(status, 200, "{answer}");
    answer
}

#[test]
fn the_admin_api_creates_and_lists_machine_clients_and_refuses_bad_ones() {
    let emu = Emulator::start().unwrap();
    let (status, created) = admin(
        &emu,
        "POST",
        Some(
            json!({"clientId": "job-1", "clientSecret": "s3cret", "scopes": ["read:users"], "tokenTtlSeconds": 120}),
        ),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["clientId"], "job-1");
    assert_eq!(created["tokenTtlSeconds"], 120);
    let (status, made_up) = admin(&emu, "POST", Some(json!({})));
    assert_eq!(status, 201);
    assert!(made_up["clientId"].as_str().unwrap().starts_with("m2m-"));
    assert!(!made_up["clientSecret"].as_str().unwrap().is_empty());
    let (_, list) = admin(&emu, "GET", None);
    assert_eq!(list["clients"].as_array().unwrap().len(), 2);
    assert_eq!(list["clients"][0]["tokensIssued"], 0);
    for bad in [
        json!({"clientId": "job-1"}),
        json!({"clientId": emu.app_id()}),
        json!({"scopes": [""]}),
        json!({"tokenTtlSeconds": 0}),
        json!({"clientSecret": ""}),
        json!({"unknown": 1}),
    ] {
        let (status, answer) = admin(&emu, "POST", Some(bad.clone()));
        assert_eq!(status, 400, "{bad} -> {answer}");
        assert!(answer["error"].is_string());
    }
    assert_eq!(admin(&emu, "DELETE", None).0, 405);
    assert_eq!(emu.machine_clients().len(), 2);
    emu.reset();
    assert!(emu.machine_clients().is_empty());
}

#[test]
fn client_secret_post_and_client_secret_basic_both_get_a_token_of_the_spec_shape() {
    let emu = Emulator::start().unwrap();
    let m = emu
        .add_machine_client(
            NewMachineClient::new()
                .client_id("job")
                .client_secret("s:1")
                .scopes(&["a", "b"]),
        )
        .unwrap();
    let (status, _, posted) = grant(&emu, &m.client_id, "s%3A1", None);
    assert_eq!(status, 200, "{posted}");
    assert_eq!(posted["token_type"], "Bearer");
    assert_eq!(posted["expire_in"], 3600);
    assert!(posted.get("refresh_token").is_none() && posted.get("id_token").is_none());
    // RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined.
    let basic = format!("Basic {}", STANDARD.encode("job:s%3A1"));
    let (status, _, based) = form(
        &emu,
        "/oidc/token",
        &[("authorization", &basic)],
        "grant_type=client_credentials&scope=a",
    );
    assert_eq!(status, 200, "{based}");
    assert_eq!(emu.machine_clients()[0].tokens_issued, 2);
    let state = introspect(&emu, based["access_token"].as_str().unwrap());
    assert_eq!(state["active"], true);
    assert_eq!(state["client_id"], "job");
    assert_eq!(state["sub"], "job");
    assert_eq!(state["scope"], "a");
    let all = introspect(&emu, posted["access_token"].as_str().unwrap());
    assert_eq!(
        all["scope"], "a b",
        "no scope asked: every scope of the client"
    );
}

#[test]
fn wrong_or_missing_credentials_and_unknown_scopes_are_refused_as_oauth_says() {
    let emu = Emulator::start().unwrap();
    let m = emu
        .add_machine_client(NewMachineClient::new().scopes(&["a"]))
        .unwrap();
    let (status, www, answer) = grant(&emu, &m.client_id, "wrong", None);
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(www.is_some(), "a 401 names its scheme");
    let (status, _, answer) = form(&emu, "/oidc/token", &[], "grant_type=client_credentials");
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("invalid_client"))
    );
    // The app's own credentials are not a machine client's.
    let (status, _, _) = grant(&emu, emu.app_id(), DEFAULT_APP_SECRET, None);
    assert_eq!(status, 401);
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", m.client_id, m.client_secret))
    );
    let (status, _, _) = form(
        &emu,
        "/oidc/token",
        &[("authorization", &basic)],
        "grant_type=client_credentials&client_id=someone-else",
    );
    assert_eq!(status, 401, "header and form disagree");
    let (status, _, answer) = grant(&emu, &m.client_id, &m.client_secret, Some("a admin"));
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    assert_eq!(emu.machine_clients()[0].tokens_issued, 0);
}

#[test]
fn the_token_expires_on_the_emulator_clock_and_is_revocable() {
    let emu = Emulator::start().unwrap();
    let m = emu
        .add_machine_client(NewMachineClient::new().token_ttl(Duration::from_secs(60)))
        .unwrap();
    let token = |emu: &Emulator| {
        let (_, _, answer) = grant(emu, &m.client_id, &m.client_secret, None);
        answer["access_token"].as_str().unwrap().to_owned()
    };
    let first = token(&emu);
    assert_eq!(introspect(&emu, &first)["active"], true);
    emu.advance_clock(Duration::from_secs(61));
    assert_eq!(introspect(&emu, &first), json!({"active": false}));
    let second = token(&emu);
    let body = format!("client_id={}&token={second}", emu.app_id());
    let (status, _, answer) = form(&emu, "/oidc/token/revocation", &[], &body);
    assert_eq!((status, &answer["data"]["success"]), (200, &json!(true)));
    assert_eq!(introspect(&emu, &second)["active"], false);
}

#[test]
fn discovery_names_the_client_credentials_grant() {
    let emu = Emulator::start().unwrap();
    let text = agent()
        .get(format!(
            "{}/oidc/.well-known/openid-configuration",
            emu.base_url()
        ))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let config: Value = serde_json::from_str(&text).unwrap();
    assert!(config["grant_types_supported"]
        .as_array()
        .unwrap()
        .contains(&json!("client_credentials")));
}
