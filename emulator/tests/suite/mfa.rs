//! The MFA family's `POST /mfa/token/introspection`, over raw HTTP: the state of the
//! `mfaToken` a sign-in's challenge hands out, in the spec's `MfaTokenIntrospectResponse`.

use std::time::Duration;

use crate::common::agent;
use authing_emulator::{AppMfaPolicy, Emulator, FactorType, NewUser};
use serde_json::{json, Value};

const PASSWORD: &str = "secret-123";

fn post(emu: &Emulator, path: &str, content_type: &str, body: &str) -> (u16, Value) {
    let mut res = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", content_type)
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US")
        .send(body.to_owned())
        .expect("http");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("read body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, json)
}

fn introspect(emu: &Emulator, form: &str) -> (u16, Value) {
    post(
        emu,
        "/mfa/token/introspection",
        "application/x-www-form-urlencoded",
        form,
    )
}

#[test]
fn an_mfa_token_is_active_while_its_challenge_is_open_and_nothing_else_is() {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username("alice", PASSWORD))
        .unwrap();
    let ttl = Duration::from_secs(300);
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::OTP]).mfa_token_ttl(ttl))
        .unwrap();
    let body = json!({
        "connection": "PASSWORD",
        "passwordPayload": {"username": "alice", "password": PASSWORD},
    });
    let (_, signin) = post(
        &emu,
        "/api/v3/signin",
        "application/json",
        &body.to_string(),
    );
    assert_eq!(signin["apiCode"], 1636, "{signin}");
    let token = signin["data"]["mfaToken"].as_str().unwrap().to_owned();
    let user_id = emu.user_state("alice").unwrap().user_id;

    let (status, body) = introspect(&emu, &format!("token={token}"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["active"], true);
    assert_eq!(body["userId"], user_id.as_str());
    assert_eq!(body["userPoolId"], "emulator-user-pool");
    let (exp, iat) = (body["exp"].as_u64().unwrap(), body["iat"].as_u64().unwrap());
    assert_eq!(exp - iat, ttl.as_secs());
    // A JSON body is read too (the SDKs' HTTP clients differ).
    let json_body = json!({ "token": token }).to_string();
    let (_, again) = post(
        &emu,
        "/mfa/token/introspection",
        "application/json",
        &json_body,
    );
    assert_eq!(again, body);

    let inactive = json!({"active": false});
    assert_eq!(
        introspect(&emu, "token=not-an-mfa-token"),
        (200, inactive.clone())
    );
    let (status, refused) = introspect(&emu, "");
    assert_eq!(
        (status, &refused["error"]),
        (400, &json!("invalid_request"))
    );
    emu.advance_clock(ttl);
    assert_eq!(introspect(&emu, &format!("token={token}")), (200, inactive));
}
