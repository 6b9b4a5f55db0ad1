//! The emulator's switch-login endpoints and their admin API over real HTTP, with ureq as
//! the client (not through the SDK): seeding public accounts, the list with and without
//! the user itself, the switch (tokens for the public account, and back), the refusals.

use crate::common::agent;
use authing_emulator::{Emulator, NewUser};
use serde_json::{json, Value};

const PASSWORD: &str = "secret-123";

fn read(mut res: ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("read body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, json)
}

fn admin(emu: &Emulator, method: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}/emulator/v1/public-accounts", emu.base_url());
    let res = match body {
        Some(body) => agent()
            .post(url)
            .header("content-type", "application/json")
            .send(body.to_string()),
        None if method == "GET" => agent().get(url).call(),
        None => agent().delete(url).call(),
    }
    .expect("http");
    read(res)
}

fn sign_in(emu: &Emulator, username: &str) -> String {
    let res = agent()
        .post(format!("{}/api/v3/signin", emu.base_url()))
        .header("x-authing-app-id", emu.app_id())
        .header("content-type", "application/json")
        .send(
            json!({"connection": "PASSWORD",
                "passwordPayload": {"username": username, "password": PASSWORD}})
            .to_string(),
        )
        .expect("http");
    let (_, body) = read(res);
    body["data"]["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("signed in: {body}"))
        .to_owned()
}

fn switch(emu: &Emulator, token: &str, body: Value) -> Value {
    let res = agent()
        .post(format!("{}/api/v3/switch-login-by-user", emu.base_url()))
        .header("x-authing-app-id", emu.app_id())
        .header("authorization", format!("Bearer {token}"))
        .header("x-authing-lang", "en-US")
        .header("content-type", "application/json")
        .send(body.to_string())
        .expect("http");
    read(res).1
}

fn list(emu: &Emulator, token: &str, query: &str) -> Value {
    let res = agent()
        .get(format!(
            "{}/api/v3/get-user-select-login-public-accounts{query}",
            emu.base_url()
        ))
        .header("authorization", format!("Bearer {token}"))
        .call()
        .expect("http");
    read(res).1
}

/// alice, bob and the front desk, linked to alice through the admin API.
fn seeded() -> (Emulator, String, String) {
    let emu = Emulator::start().expect("starts");
    let alice = emu
        .add_user(NewUser::with_username("alice", PASSWORD))
        .unwrap();
    emu.add_user(NewUser::with_username("bob", PASSWORD))
        .unwrap();
    let desk = emu
        .add_user(NewUser::with_username("front-desk", PASSWORD))
        .unwrap();
    let (status, body) = admin(
        &emu,
        "POST",
        Some(json!({"publicAccount": "front-desk", "users": ["alice"]})),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"ok": true, "publicAccountId": desk}));
    (emu, alice, desk)
}

#[test]
fn the_admin_api_seeds_and_shows_public_accounts_and_refuses_what_it_cannot_link() {
    let (emu, alice, desk) = seeded();
    let (status, body) = admin(&emu, "GET", None);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"publicAccounts": [{"userId": desk, "users": [alice]}]})
    );
    for (seed, want) in [
        (json!({"publicAccount": "nobody"}), 404),
        (
            json!({"publicAccount": "front-desk", "users": ["nobody"]}),
            404,
        ),
        (
            json!({"publicAccount": "front-desk", "users": ["front-desk"]}),
            400,
        ),
        (json!({"account": "front-desk"}), 400),
    ] {
        let (status, body) = admin(&emu, "POST", Some(seed.clone()));
        assert_eq!(status, want, "{seed} -> {body}");
        assert!(body["error"].is_string());
    }
    assert_eq!(admin(&emu, "DELETE", None).0, 405);
}

#[test]
fn the_list_is_an_array_of_one_entry_with_the_linked_accounts_and_on_request_the_user() {
    let (emu, alice, desk) = seeded();
    let token = sign_in(&emu, "alice");
    let body = list(&emu, &token, "?withOriginUser=true");
    assert_eq!(body["statusCode"], 200, "{body}");
    assert_eq!(
        body["data"],
        json!([{
            "publicAccounts": [{"userId": desk, "displayName": "front-desk", "usertype": "2"}],
            "originUser": {"userId": alice, "displayName": "alice", "usertype": "1"},
        }])
    );
    let plain = list(&emu, &token, "");
    assert_eq!(plain["data"][0].get("originUser"), None);
    let bob = sign_in(&emu, "bob");
    assert_eq!(
        list(&emu, &bob, "")["data"],
        json!([{"publicAccounts": []}])
    );
    let bad = list(&emu, &token, "?withOriginUser=maybe");
    assert_eq!(
        (bad["statusCode"].as_u64(), bad["apiCode"].as_u64()),
        (Some(400), Some(2231))
    );
    let nobody = list(&emu, "not-a-token", "");
    assert_eq!(
        (nobody["statusCode"].as_u64(), nobody["apiCode"].as_u64()),
        (Some(401), Some(2020))
    );
}

#[test]
fn a_switch_issues_the_public_accounts_tokens_and_a_switch_back_the_users() {
    let (emu, alice, desk) = seeded();
    let token = sign_in(&emu, "alice");
    let body = switch(
        &emu,
        &token,
        json!({"targetUserId": desk, "options": {"scope": "openid profile offline_access"}}),
    );
    assert_eq!(body["statusCode"], 200, "{body}");
    let desk_token = body["data"]["access_token"].as_str().unwrap().to_owned();
    assert!(
        body["data"]["refresh_token"].is_string(),
        "offline_access asked"
    );
    assert_eq!(emu.user_state("front-desk").unwrap().access_tokens, 1);
    assert_eq!(
        emu.user_state("alice").unwrap().access_tokens,
        1,
        "alice's stay"
    );
    // The desk's session lists nothing to switch to, and switches back to alice.
    let own = list(&emu, &desk_token, "?withOriginUser=true");
    assert_eq!(own["data"][0]["originUser"]["usertype"], "2");
    let back = switch(
        &emu,
        &desk_token,
        json!({"targetUserId": alice, "options": null}),
    );
    assert_eq!(back["statusCode"], 200, "{back}");
    assert_eq!(back["data"].get("refresh_token"), None, "the default scope");
}

#[test]
fn a_switch_elsewhere_is_forbidden_and_bad_bodies_are_parameter_errors() {
    let (emu, alice, _desk) = seeded();
    let bob = emu.user_state("bob").unwrap().user_id;
    let token = sign_in(&emu, "alice");
    for target in [bob.as_str(), "no-such-id"] {
        let refused = switch(&emu, &token, json!({"targetUserId": target}));
        assert_eq!(refused["statusCode"], 403, "{refused}");
        assert_eq!(refused.get("apiCode"), None);
        assert!(refused["message"]
            .as_str()
            .unwrap()
            .contains("may not switch"));
    }
    let own = switch(&emu, &token, json!({"targetUserId": alice}));
    assert_eq!(
        (own["statusCode"].as_u64(), own["apiCode"].as_u64()),
        (Some(400), Some(2231))
    );
    let missing = switch(&emu, &token, json!({}));
    assert_eq!(missing["statusCode"], 400);
    let no_openid = switch(
        &emu,
        &token,
        json!({"targetUserId": bob, "options": {"scope": "profile"}}),
    );
    assert_eq!(no_openid["statusCode"], 400);
    let unsigned = switch(&emu, "", json!({"targetUserId": bob}));
    assert_eq!(
        (
            unsigned["statusCode"].as_u64(),
            unsigned["apiCode"].as_u64()
        ),
        (Some(401), Some(2020))
    );
}
