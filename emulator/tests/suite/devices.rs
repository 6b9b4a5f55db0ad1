//! The emulator's devices endpoints over raw HTTP (ureq, not the SDK): a device recorded
//! per sign-in from `x-authing-device-id` (and its name and OS headers), the list in the
//! spec's shape, revoking a device's sessions (refreshed tokens included), unbinding, the
//! admin view, and the failures the SDK never lets a request reach.

use std::time::Duration;

use crate::common::agent;
use authing_emulator::{Emulator, NewUser};
use serde_json::{json, Value};

const PASSWORD: &str = "secret-123";

fn emulator() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_username("mike", PASSWORD))
        .unwrap();
    emu.add_user(NewUser::with_username("bob", PASSWORD))
        .unwrap();
    emu
}

/// Signs `user` in with `headers`; the sign-in's `data` (its tokens).
fn sign_in(emu: &Emulator, user: &str, headers: &[(&str, &str)]) -> Value {
    let mut req = agent()
        .post(format!("{}/api/v3/signin", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id());
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let body = json!({"connection": "PASSWORD",
        "passwordPayload": {"username": user, "password": PASSWORD},
        "options": {"scope": "openid profile offline_access"}});
    let answer: Value = serde_json::from_str(
        &req.send(body.to_string())
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(answer["statusCode"], 200, "{answer}");
    answer["data"].clone()
}

fn on_device(id: &str) -> Vec<(&str, &str)> {
    vec![
        ("x-authing-device-id", id),
        ("x-authing-device-name", "Mike's laptop"),
        ("x-authing-device-os", "Linux"),
    ]
}

fn access(data: &Value) -> &str {
    data["access_token"].as_str().unwrap()
}

/// GETs a v3 path as `token`, in English; the envelope.
fn get(emu: &Emulator, path: &str, token: &str) -> Value {
    let text = agent()
        .get(format!("{}{path}", emu.base_url()))
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US")
        .header("authorization", format!("Bearer {token}"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// POSTs `body` to a v3 path as `token`, in English; the envelope.
fn post(emu: &Emulator, path: &str, token: &str, body: Value) -> Value {
    let text = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US")
        .header("authorization", format!("Bearer {token}"))
        .send(body.to_string())
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A refresh of `refresh_token` at `/oidc/token`: the HTTP status and body.
fn refresh(emu: &Emulator, refresh_token: &str) -> (u16, Value) {
    let mut res = agent()
        .post(format!("{}/oidc/token", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(format!(
            "grant_type=refresh_token&client_id={}&refresh_token={refresh_token}",
            emu.app_id()
        ))
        .unwrap();
    let status = res.status().as_u16();
    (
        status,
        serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap(),
    )
}

#[test]
fn a_sign_in_with_a_device_id_records_the_device_in_the_specs_shape() {
    let emu = emulator();
    let data = sign_in(&emu, "mike", &on_device("laptop-1"));
    let list = get(&emu, "/api/v3/mydevices/list", access(&data));
    assert_eq!(list["statusCode"], 200, "{list}");
    let items = list["data"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["device"]["deviceId"], "laptop-1");
    assert_eq!(item["device"]["name"], "Mike's laptop");
    assert_eq!(item["device"]["os"], "Linux");
    assert_eq!(item["device"]["type"], "Desktop");
    assert_eq!(item["device"]["status"], "activated");
    assert_eq!(item["online"], true);
    assert_eq!(item["lastIp"], "127.0.0.1");
    assert!(item["lastLoginTime"].as_str().unwrap().ends_with('Z'));
    // Another user's devices are not mike's.
    let bob = sign_in(&emu, "bob", &on_device("bobs-phone"));
    let bobs = get(&emu, "/api/v3/mydevices/list", access(&bob));
    assert_eq!(bobs["data"].as_array().unwrap().len(), 1);
    assert_eq!(bobs["data"][0]["device"]["deviceId"], "bobs-phone");
}

#[test]
fn a_sign_in_without_a_device_id_records_no_device_and_a_phone_os_is_mobile() {
    let emu = emulator();
    let data = sign_in(&emu, "mike", &[]);
    let list = get(&emu, "/api/v3/mydevices/list", access(&data));
    assert_eq!(list["data"], json!([]), "{list}");
    sign_in(
        &emu,
        "mike",
        &[
            ("x-authing-device-id", "phone-1"),
            ("user-agent", "Mozilla/5.0 (Linux; Android 14) Mobile"),
        ],
    );
    let devices = emu.devices("mike");
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].os, "Android");
    assert_eq!(devices[0].device_type, "Mobile");
    assert_eq!(devices[0].name, "");
}

#[test]
fn revoking_a_device_refuses_its_tokens_refreshed_ones_included_and_keeps_it_listed() {
    let emu = emulator();
    let laptop = sign_in(&emu, "mike", &on_device("laptop-1"));
    let phone = sign_in(&emu, "mike", &on_device("phone-1"));
    // The phone refreshes once: its new tokens belong to the same session, on the device.
    let (status, refreshed) = refresh(&emu, phone["refresh_token"].as_str().unwrap());
    assert_eq!(status, 200, "{refreshed}");

    let answer = post(
        &emu,
        "/api/v3/mydevices/revoke-session",
        access(&laptop),
        json!({"deviceId": "phone-1"}),
    );
    assert_eq!(answer["statusCode"], 200, "{answer}");
    assert!(answer.get("data").is_none());

    for token in [access(&phone), access(&refreshed)] {
        let refused = get(&emu, "/api/v3/mydevices/list", token);
        assert_eq!(
            (refused["statusCode"].clone(), refused["apiCode"].clone()),
            (json!(401), json!(2020))
        );
    }
    let (status, _) = refresh(&emu, refreshed["refresh_token"].as_str().unwrap());
    assert_ne!(status, 200, "the refresh token ended with the session");

    let list = get(&emu, "/api/v3/mydevices/list", access(&laptop));
    let online: Vec<(Value, Value)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["device"]["deviceId"].clone(), d["online"].clone()))
        .collect();
    assert!(
        online.contains(&(json!("phone-1"), json!(false))),
        "{online:?}"
    );
    assert!(
        online.contains(&(json!("laptop-1"), json!(true))),
        "{online:?}"
    );
}

#[test]
fn unbinding_removes_the_device_and_ends_its_sessions() {
    let emu = emulator();
    let laptop = sign_in(&emu, "mike", &on_device("laptop-1"));
    let phone = sign_in(&emu, "mike", &on_device("phone-1"));
    let answer = post(
        &emu,
        "/api/v3/mydevices/unbind",
        access(&laptop),
        json!({"deviceId": "phone-1"}),
    );
    assert_eq!(answer["statusCode"], 200, "{answer}");
    assert_eq!(
        get(&emu, "/api/v3/mydevices/list", access(&phone))["statusCode"],
        401
    );
    let ids: Vec<String> = emu
        .devices("mike")
        .into_iter()
        .map(|d| d.device_id)
        .collect();
    assert_eq!(ids, ["laptop-1"]);
}

#[test]
fn the_list_is_latest_first_and_paged_by_page_and_limit() {
    let emu = emulator();
    let mut token = String::new();
    for id in ["d-1", "d-2", "d-3"] {
        token = access(&sign_in(&emu, "mike", &on_device(id))).to_owned();
        emu.advance_clock(Duration::from_secs(10));
    }
    let ids = |query: &str| -> Vec<Value> {
        get(&emu, &format!("/api/v3/mydevices/list{query}"), &token)["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["device"]["deviceId"].clone())
            .collect()
    };
    assert_eq!(ids(""), [json!("d-3"), json!("d-2"), json!("d-1")]);
    assert_eq!(ids("?page=2&limit=2"), [json!("d-1")]);
    assert_eq!(ids("?page=3&limit=2"), Vec::<Value>::new());
}

#[test]
fn the_failures_the_sdk_never_sends_answer_in_the_envelope() {
    let emu = emulator();
    let token = access(&sign_in(&emu, "mike", &on_device("laptop-1"))).to_owned();
    for query in ["?page=0", "?limit=0", "?limit=51", "?page=x"] {
        let answer = get(&emu, &format!("/api/v3/mydevices/list{query}"), &token);
        assert_eq!(
            (answer["statusCode"].clone(), answer["apiCode"].clone()),
            (json!(400), json!(2231)),
            "{query}: {answer}"
        );
    }
    for path in [
        "/api/v3/mydevices/revoke-session",
        "/api/v3/mydevices/unbind",
    ] {
        let missing = post(&emu, path, &token, json!({}));
        assert_eq!(missing["statusCode"], 400, "{missing}");
        let unknown = post(&emu, path, &token, json!({"deviceId": "nowhere"}));
        assert_eq!(unknown["statusCode"], 404, "{unknown}");
        assert!(unknown.get("apiCode").is_none(), "{unknown}");
        let anonymous = post(&emu, path, "not-a-token", json!({"deviceId": "laptop-1"}));
        assert_eq!(
            (
                anonymous["statusCode"].clone(),
                anonymous["apiCode"].clone()
            ),
            (json!(401), json!(2020))
        );
    }
    let anonymous = get(&emu, "/api/v3/mydevices/list", "");
    assert_eq!(anonymous["statusCode"], 401);
}

#[test]
fn the_admin_api_and_the_handle_list_a_users_devices() {
    let emu = emulator();
    sign_in(&emu, "mike", &on_device("laptop-1"));
    let text = agent()
        .get(format!("{}/emulator/v1/devices/users/mike", emu.base_url()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let admin: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(admin["devices"][0]["deviceId"], "laptop-1", "{admin}");
    assert_eq!(admin["devices"][0]["online"], true);
    assert_eq!(admin["devices"][0]["sessions"], 1);
    assert!(emu.devices("nobody").is_empty());
}
