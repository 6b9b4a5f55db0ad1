//! The emulator with the SDK as its client, where a test is about what the emulator does
//! but takes several SDK calls to get there (moved here from the emulator's own tests,
//! which speak raw HTTP and cannot use the SDK: the emulator crate depends on no part of
//! it).

use crate::common;

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, EmulatorConfig, NewUser};
use authing::{AuthClient, ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType};
use serde_json::{json, Value};

const PASSWORD: &str = "old-passw0rd";

/// An emulator with `mike` (username and password), and mike's access token.
fn mike(config: EmulatorConfig) -> (Emulator, String) {
    let emu = Emulator::start_with(config).unwrap();
    emu.add_user(NewUser::with_username("mike", PASSWORD).email("mike@example.com"))
        .unwrap();
    let client = common::client_at(emu.base_url());
    let signed = client.sign_in_by_user_name_password_blocking("mike", PASSWORD, None);
    assert_eq!(signed.status_code(), 200, "{}", signed.message());
    let token = client.get_token().unwrap().access_token().to_string();
    (emu, token)
}

/// POSTs `body` to a v3 path with the app id and the bearer when given; the envelope.
fn post(emu: &Emulator, path: &str, token: Option<&str>, body: Value) -> Value {
    let mut req = common::agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id());
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let mut res = req.send(body.to_string()).unwrap();
    assert_eq!(res.status().as_u16(), 200);
    serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn an_sdk_client_firing_64_calls_at_a_fresh_emulator_gets_every_answer() {
    // The scenario that stalled on tiny_http: 8 SDK workers, 64 calls at once.
    for round in 0..2 {
        let emu = Emulator::start().unwrap();
        let client = authing::AuthClient::builder()
            .app_id(emu.app_id())
            .app_host(emu.base_url())
            .max_concurrent_requests(8)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let (tx, rx) = mpsc::channel::<authing::AuthResponse>();
        for _ in 0..64 {
            drop(client.system(tx.clone()));
        }
        let mut failures = Vec::new();
        for _ in 0..64 {
            let response = rx
                .recv_timeout(Duration::from_secs(30))
                .expect("every call answered");
            if response.status_code() != 200 {
                failures.push(format!("{response:?}"));
            }
        }
        assert!(failures.is_empty(), "round {round}: {failures:?}");
        assert_eq!(emu.stats().requests, 64);
    }
}

#[test]
fn deleting_a_user_leaves_the_reset_tokens_of_the_others_pointing_at_their_users() {
    let (emu, token) = mike(EmulatorConfig::default());
    emu.add_user(NewUser::with_phone("+86", "18812345678", "other-passw0rd"))
        .unwrap();
    let client = common::client_at(emu.base_url());
    client.send_sms_blocking(None, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_number("18812345678")
        .set_pass_code(emu.latest_code("18812345678").unwrap());
    let reset = client
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload)
        .reset_password_data()
        .unwrap();
    // mike, created first, deletes his account by password.
    let verified = post(
        &emu,
        "/api/v3/verify-delete-account-request",
        Some(&token),
        json!({"verifyMethod": "PASSWORD", "passwordPayload": {"password": PASSWORD}}),
    );
    let delete_token = verified["data"]["deleteAccountToken"].as_str().unwrap();
    let deleted = post(
        &emu,
        "/api/v3/delete-account",
        Some(&token),
        json!({"deleteAccountToken": delete_token}),
    );
    assert_eq!(deleted["data"]["success"], true, "{deleted}");
    assert!(emu.user_state("mike").is_none());
    let response = client.reset_password_blocking(
        &reset,
        "after-deletion",
        authing::PasswordEncryptType::none,
    );
    assert_eq!(response.status_code(), 200, "{}", response.message());
    assert!(emu.check_password("18812345678", "after-deletion"));
}

#[test]
fn security_info_of_a_user_without_a_password_says_so() {
    let emu = Emulator::start().unwrap();
    let client: AuthClient = common::client_at(emu.base_url());
    client.send_sms_blocking("+86", "18812345678", SmsType::CHANNEL_REGISTER);
    let code = emu.latest_code("18812345678").unwrap();
    let signed_up =
        client.sign_up_by_phone_pass_code_blocking("+86", "18812345678", &code, None, None);
    assert_eq!(signed_up.status_code(), 200, "{}", signed_up.message());
    client.send_sms_blocking("+86", "18812345678", SmsType::CHANNEL_LOGIN);
    let code = emu.latest_code("18812345678").unwrap();
    let signed_in = client.sign_in_by_phone_pass_code_blocking("+86", "18812345678", &code, None);
    assert_eq!(signed_in.status_code(), 200, "{}", signed_in.message());
    let info = client
        .get_security_level_blocking()
        .security_info()
        .unwrap();
    assert!(!info.password_set());
    assert_eq!(info.password_security_level(), 0);
    assert_eq!(info.security_score(), 20.0, "a phone only");
    // A user without a password sets one without an old one.
    let set =
        client.update_password_blocking("first-passw0rd", None, authing::PasswordEncryptType::none);
    assert_eq!(set.status_code(), 200, "{}", set.message());
    assert!(emu.check_password("18812345678", "first-passw0rd"));
}
