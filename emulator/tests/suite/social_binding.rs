//! The emulator's social account binding over raw HTTP: the WeChat mobile sign-in that
//! answers 301 for a new identity and signs a bound one in, each binding route, the key's
//! life, the refusals, and the admin settings.

use crate::common::agent;
use authing_emulator::{Emulator, NewProviderCode, NewUser, BINDING_KEY_TTL};
use serde_json::{json, Value};

const BASE: &str = "/api/v2/ecConn/wechatMobile";

/// Sends `body` (JSON) with `method` to `path`; the HTTP status and the JSON answer.
fn send(emu: &Emulator, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}{path}", emu.base_url());
    let agent = agent();
    let mut res = match (method, body) {
        ("GET", _) => agent
            .get(&url)
            .header("x-authing-app-id", emu.app_id())
            .call(),
        (method, body) => {
            let text = body.map(|b| b.to_string()).unwrap_or_default();
            let builder = match method {
                "PUT" => agent.put(&url),
                _ => agent.post(&url),
            };
            builder
                .header("content-type", "application/json")
                .header("x-authing-app-id", emu.app_id())
                .header("x-authing-lang", "en-US")
                .send(text)
        }
    }
    .expect("http");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, value)
}

/// `POST {BASE}/{route}` with `body`: the envelope (HTTP 200 for business answers).
fn post(emu: &Emulator, route: &str, body: Value) -> Value {
    let (status, answer) = send(emu, "POST", &format!("{BASE}/{route}"), Some(body));
    assert_eq!(status, 200, "{answer}");
    answer
}

/// A WeChat code for `wx`, with `email` at WeChat when given.
fn code(emu: &Emulator, wx: &str, email: Option<&str>) -> String {
    let mut seed = NewProviderCode::new("wechat", wx);
    if let Some(email) = email {
        seed = seed.email(email);
    }
    emu.add_provider_code(seed).unwrap()
}

/// The 301 answer of a new identity's first sign-in.
fn first_sign_in(emu: &Emulator, wx: &str, email: Option<&str>) -> Value {
    let answer = post(
        emu,
        "authByCodeIdentity",
        json!({"code": code(emu, wx, email)}),
    );
    assert_eq!(answer["statusCode"], 301, "{answer}");
    answer
}

fn key_of(answer: &Value) -> String {
    answer["data"]["key"].as_str().expect("a key").to_owned()
}

fn assert_signed_in(answer: &Value) {
    assert_eq!(answer["statusCode"], 200, "{answer}");
    let data = &answer["data"];
    assert!(data["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(data["token_type"], "Bearer");
    assert!(data["expire_in"].as_u64().is_some());
    assert_eq!(data["scope"], "openid profile");
}

#[test]
fn a_new_identity_answers_301_1641_with_a_key_the_methods_and_the_users_of_its_email() {
    let emu = Emulator::start().unwrap();
    let mike = emu
        .add_user(NewUser::with_email("mike@example.com", "passw0rd-1"))
        .unwrap();
    let answer = first_sign_in(&emu, "wx-1", Some("mike@example.com"));
    assert_eq!(answer["apiCode"], 1641);
    assert_eq!(
        answer["message"],
        "the identity must be bound to an account"
    );
    assert_eq!(answer["data"]["accounts"], json!([mike]));
    assert_eq!(answer["data"]["methods"].as_array().unwrap().len(), 5);
    assert_eq!(key_of(&answer).len(), 36);
    assert_eq!(emu.users().len(), 1, "nothing created");
}

#[test]
fn register_binds_a_new_user_and_the_identity_then_signs_in_at_once() {
    let emu = Emulator::start().unwrap();
    let answer = first_sign_in(&emu, "wx-2", Some("new@example.com"));
    let key = key_of(&answer);
    let wrong = post(
        &emu,
        "register",
        json!({"action": "bind-identity-by-password", "key": key}),
    );
    assert_eq!(
        (wrong["statusCode"].clone(), wrong["apiCode"].clone()),
        (json!(400), json!(2231))
    );
    let done = post(
        &emu,
        "register",
        json!({"action": "create-federation-account", "key": key}),
    );
    assert_signed_in(&done);
    assert_eq!(emu.users().len(), 1);
    let spent = post(
        &emu,
        "register",
        json!({"action": "create-federation-account", "key": key}),
    );
    assert_eq!(spent["apiCode"], 2360, "{spent}");
    let again = post(
        &emu,
        "authByCodeIdentity",
        json!({"code": code(&emu, "wx-2", None)}),
    );
    assert_signed_in(&again);
}

#[test]
fn the_code_routes_spend_a_login_code_and_bind_the_user_of_its_email_or_phone() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_email("mike@example.com", "passw0rd-1").phone("+86", "18812345678"))
        .unwrap();
    let key = key_of(&first_sign_in(&emu, "wx-3", None));
    let sent = send(
        &emu,
        "POST",
        "/api/v3/send-email",
        Some(json!({"email": "mike@example.com", "channel": "CHANNEL_LOGIN"})),
    );
    assert_eq!(sent.1["statusCode"], 200, "{}", sent.1);
    let code_value = emu.latest_code("mike@example.com").unwrap();
    let body = |code: &str| {
        json!({"action": "bind-identity-by-email-code", "key": key,
               "email": "mike@example.com", "code": code})
    };
    let wrong = post(&emu, "byEmailCode", body("000000x"));
    assert_eq!(wrong["apiCode"], 2001, "{wrong}");
    assert_signed_in(&post(&emu, "byEmailCode", body(&code_value)));

    let key = key_of(&first_sign_in(&emu, "wx-4", None));
    let sent = send(
        &emu,
        "POST",
        "/api/v3/send-sms",
        Some(
            json!({"phoneNumber": "18812345678", "phoneCountryCode": "+86", "channel": "CHANNEL_LOGIN"}),
        ),
    );
    assert_eq!(sent.1["statusCode"], 200, "{}", sent.1);
    let code_value = emu.latest_code("18812345678").unwrap();
    let done = post(
        &emu,
        "byPhoneCode",
        json!({"action": "bind-identity-by-phone-code", "key": key, "phone": "18812345678",
               "phoneCountryCode": "86", "code": code_value}),
    );
    assert_signed_in(&done);
}

#[test]
fn an_unknown_email_is_user_not_found_and_the_key_survives() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_username("mike", "passw0rd-1"))
        .unwrap();
    let key = key_of(&first_sign_in(&emu, "wx-5", None));
    send(
        &emu,
        "POST",
        "/api/v3/send-email",
        Some(json!({"email": "nobody@example.com", "channel": "CHANNEL_LOGIN"})),
    );
    let code_value = emu.latest_code("nobody@example.com").unwrap();
    let missing = post(
        &emu,
        "byEmailCode",
        json!({"action": "bind-identity-by-email-code", "key": key,
               "email": "nobody@example.com", "code": code_value}),
    );
    assert_eq!(
        (missing["statusCode"].clone(), missing["apiCode"].clone()),
        (json!(404), json!(2004))
    );
    let wrong = post(
        &emu,
        "byAccount",
        json!({"action": "bind-identity-by-password", "key": key, "account": "mike", "password": "nope-123"}),
    );
    assert_ne!(wrong["statusCode"], 200, "{wrong}");
    let done = post(
        &emu,
        "byAccount",
        json!({"action": "bind-identity-by-password", "key": key, "account": "mike", "password": "passw0rd-1"}),
    );
    assert_signed_in(&done);
}

#[test]
fn select_takes_only_a_candidate_and_by_account_id_any_user() {
    let emu = Emulator::start().unwrap();
    let mike = emu
        .add_user(NewUser::with_email("mike@example.com", "passw0rd-1"))
        .unwrap();
    let carol = emu
        .add_user(NewUser::with_username("carol", "passw0rd-1"))
        .unwrap();
    let key = key_of(&first_sign_in(&emu, "wx-6", Some("mike@example.com")));
    let body = |account: &str| json!({"action": "bind-identity-by-selection", "key": key, "account": account});
    assert_eq!(post(&emu, "select", body(&carol))["apiCode"], 2004);
    assert_signed_in(&post(&emu, "select", body(&mike)));
    let key = key_of(&first_sign_in(&emu, "wx-7", None));
    let body =
        |id: &str| json!({"action": "bind-identity-by-account-id", "key": key, "accountId": id});
    assert_eq!(post(&emu, "byAccountId", body("nobody"))["apiCode"], 2004);
    assert_signed_in(&post(&emu, "byAccountId", body(&carol)));
}

#[test]
fn a_key_expires_on_the_emulator_clock_and_a_code_is_single_use() {
    let emu = Emulator::start().unwrap();
    let wx_code = code(&emu, "wx-8", None);
    let first = post(&emu, "authByCodeIdentity", json!({"code": wx_code}));
    let used = post(&emu, "authByCodeIdentity", json!({"code": wx_code}));
    assert_eq!(used["apiCode"], 2352, "{used}");
    emu.advance_clock(BINDING_KEY_TTL);
    let late = post(
        &emu,
        "register",
        json!({"action": "create-federation-account", "key": key_of(&first)}),
    );
    assert_eq!(late["apiCode"], 2360, "{late}");
    assert_eq!(late["message"], "the binding key has expired");
}

#[test]
fn conn_id_and_app_id_must_be_the_apps_own() {
    let emu = Emulator::start().unwrap();
    let other = post(
        &emu,
        "authByCodeIdentity",
        json!({"code": code(&emu, "wx-9", None), "connId": "social-alipay"}),
    );
    assert_eq!(other["apiCode"], 2351, "{other}");
    let own = post(
        &emu,
        "authByCodeIdentity",
        json!({"code": code(&emu, "wx-9", None), "connId": "social-wechat-mobile", "appId": emu.app_id()}),
    );
    assert_eq!(own["statusCode"], 301, "{own}");
    let (_, foreign) = send(
        &emu,
        "POST",
        &format!("{BASE}/authByCodeIdentity"),
        Some(json!({"code": code(&emu, "wx-9", None), "appId": "another-app"})),
    );
    assert_ne!(foreign["statusCode"], 301, "{foreign}");
    assert_ne!(foreign["statusCode"], 200, "{foreign}");
}

#[test]
fn the_admin_settings_switch_to_1640_and_refuse_register() {
    let emu = Emulator::start().unwrap();
    let path = "/emulator/v1/social-binding/settings";
    assert_eq!(
        send(&emu, "GET", path, None),
        (200, json!({"allowRegister": true}))
    );
    assert_eq!(
        send(&emu, "PUT", path, Some(json!({"allow": false}))).0,
        400
    );
    assert_eq!(send(&emu, "POST", path, Some(json!({}))).0, 405);
    let put = send(&emu, "PUT", path, Some(json!({"allowRegister": false})));
    assert_eq!(put, (200, json!({"allowRegister": false})));
    assert!(!emu.social_binding_allows_register());
    let answer = first_sign_in(&emu, "wx-10", None);
    assert_eq!(answer["apiCode"], 1640);
    let refused = post(
        &emu,
        "register",
        json!({"action": "create-federation-account", "key": key_of(&answer)}),
    );
    assert_eq!(
        (refused["statusCode"].clone(), refused["apiCode"].clone()),
        (json!(403), json!(2361))
    );
}

#[test]
fn by_account_takes_the_password_rsa_encrypted_as_android_sends_it() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_username("mike", "passw0rd-1"))
        .unwrap();
    let key = key_of(&first_sign_in(&emu, "wx-11", None));
    let sealed = crate::session::rsa_encrypt("passw0rd-1");
    let done = post(
        &emu,
        "byAccount",
        json!({"action": "bind-identity-by-password", "key": key, "account": "mike", "password": sealed}),
    );
    assert_signed_in(&done);
}

#[test]
fn auth_by_code_answers_guard_s_v2_envelope_with_the_user_and_its_token() {
    let emu = Emulator::start().unwrap();
    let mike = emu
        .add_user(NewUser::with_username("mike", "passw0rd-1").email("mike@example.com"))
        .unwrap();
    // A new identity gets an account: the v2 envelope, `data` the user with its token.
    let wx_code = code(&emu, "wx-guard", None);
    let answer = post(
        &emu,
        "authByCode",
        json!({"code": wx_code, "connId": "social-wechat-mobile", "appId": emu.app_id()}),
    );
    assert_eq!(answer["code"], 200, "{answer}");
    assert!(answer.get("statusCode").is_none(), "{answer}");
    let data = &answer["data"];
    let token = data["token"].as_str().expect("a token");
    assert_eq!(data["access_token"], token);
    assert!(data["tokenExpiredAt"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert!(data["username"]
        .as_str()
        .is_some_and(|u| u.starts_with("wechat_")));
    assert_eq!(emu.users().len(), 2);
    // The token is a session: get-profile answers the new user.
    let mut res = agent()
        .get(&format!("{}/api/v3/get-profile", emu.base_url()))
        .header("x-authing-app-id", emu.app_id())
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .expect("http");
    let profile: Value = serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(profile["data"]["userId"], data["id"], "{profile}");
    // The same identity is linked: authByCodeIdentity signs it in, no binding asked.
    let again = post(
        &emu,
        "authByCodeIdentity",
        json!({"code": code(&emu, "wx-guard", None)}),
    );
    assert_eq!(again["statusCode"], 200, "{again}");
    // A spent code, a foreign connection, a missing code: v2 refusals (code = apiCode).
    let used = post(&emu, "authByCode", json!({"code": wx_code}));
    assert_eq!(
        (used["code"].clone(), used["data"].clone()),
        (json!(2352), Value::Null),
        "{used}"
    );
    let other = post(
        &emu,
        "authByCode",
        json!({"code": code(&emu, "wx-guard", None), "connId": "social-alipay"}),
    );
    assert_eq!(other["code"], 2351, "{other}");
    assert_eq!(post(&emu, "authByCode", json!({}))["code"], 2231);
    // A WeChat email that is a user's links that user.
    let linked = post(
        &emu,
        "authByCode",
        json!({"code": code(&emu, "wx-mike", Some("mike@example.com"))}),
    );
    assert_eq!(linked["data"]["id"], mike.as_str(), "{linked}");
    assert_eq!(emu.users().len(), 2);
}
