//! The account-recovery family over real HTTP, with ureq as the client: the public config
//! and system, the journey (send a code, verify it, reset the password), throttling and
//! expiry, verification errors and reset tokens.

use std::time::Duration;

use authing_emulator::{Emulator, EmulatorConfig, NewUser, ThrottleReply};
use serde_json::json;

use crate::calls::*;
use crate::common::agent;

// ---------------------------------------------------------------- discovery

#[test]
fn the_public_config_describes_the_app() {
    let emu = Emulator::start().unwrap();
    let a = get(
        &emu,
        &format!("/api/v2/applications/{}/public-config", emu.app_id()),
    );
    let v = a.json();
    assert_eq!(v["code"], 200);
    assert_eq!(v["data"]["identifier"], emu.app_id());
    assert_eq!(v["data"]["id"], emu.app_id());
    assert_eq!(v["data"]["userPoolId"], emu.user_pool_id());
    assert_eq!(v["data"]["requestHostname"], emu.addr().to_string());
}

#[test]
fn the_public_config_of_an_unknown_app_answers_code_2011() {
    let emu = Emulator::start().unwrap();
    let a = get(&emu, "/api/v2/applications/nope/public-config");
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["code"], 2011);
}

#[test]
fn the_system_endpoint_answers_without_an_envelope() {
    let emu = Emulator::start().unwrap();
    let v = get(&emu, "/api/v3/system").json();
    assert!(v.get("statusCode").is_none());
    // The fixed test keys: PEM SPKI for rsa, hex `04` + X + Y for sm2 (as the SDK's
    // tests/contract/encryption.rs uses them).
    assert!(v["rsa"]["publicKey"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(v["sm2"]["publicKey"].as_str().unwrap().len(), 130);
    assert!(v["version"]["server"]
        .as_str()
        .unwrap()
        .starts_with("authing-emulator"));
}

#[test]
fn the_system_endpoint_has_every_field_system_info_resp_requires() {
    // SystemInfoResp: rsa.publicKey, sm2.publicKey, version.{server,console,login},
    // publicIps (array of strings), all required.
    let emu = Emulator::start().unwrap();
    let v = get(&emu, "/api/v3/system").json();
    for part in ["server", "console", "login"] {
        assert!(v["version"][part].is_string(), "version.{part}: {v}");
    }
    assert_eq!(v["publicIps"], json!(["127.0.0.1"]), "{v}");
}

// ---------------------------------------------------------------- the journey

#[test]
fn a_phone_reset_journey_changes_the_password() {
    let emu = emulator_with_users();
    let sent = send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    assert_eq!(sent["statusCode"], 200);
    assert!(sent.get("data").is_none());
    assert!(sent["requestId"].is_string());
    let code = emu.latest_code(PHONE).expect("a code");
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let verified = verify_phone(&emu, PHONE, &code);
    assert_eq!(verified["statusCode"], 200, "{verified}");
    let token = verified["data"]["passwordResetToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(token.len() >= 22);
    assert!(token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(verified["data"]["tokenExpiresIn"], 600);

    let done = reset(&emu, &token, "new-password");
    assert_eq!(done["statusCode"], 200, "{done}");
    assert_eq!(done["data"]["success"], true);
    assert!(emu.check_password(PHONE, "new-password"));
    assert!(!emu.check_password(PHONE, "old-password"));
}

#[test]
fn an_email_reset_journey_ignores_the_case_of_the_email() {
    let emu = emulator_with_users();
    let sent = send_email(&emu, "Alice@Example.COM", "CHANNEL_RESET_PASSWORD");
    assert_eq!(sent["statusCode"], 200, "{sent}");
    let code = emu.latest_code("ALICE@example.com").expect("a code");
    let verified = verify_email(&emu, "alice@EXAMPLE.com", &code);
    assert_eq!(verified["statusCode"], 200, "{verified}");
    let token = verified["data"]["passwordResetToken"].as_str().unwrap();
    assert_eq!(reset(&emu, token, "new-password")["statusCode"], 200);
    assert!(emu.check_password(EMAIL, "new-password"));
}

#[test]
fn a_phone_number_without_country_code_means_plus_86() {
    let emu = emulator_with_users();
    let sent = post(
        &emu,
        "/api/v3/send-sms",
        json!({"phoneCountryCode": "+86", "phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}),
    );
    assert_eq!(sent["statusCode"], 200);
    // The same target without a country code is in its cooldown.
    let again = send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    assert_eq!(again["statusCode"], 429);
    let code = emu.latest_code(&format!("+86{PHONE}")).unwrap();
    let verified = post(
        &emu,
        "/api/v3/verify-reset-password-request",
        json!({"verifyMethod": "PHONE_PASSCODE",
               "phonePassCodePayload": {"phoneNumber": PHONE, "passCode": code}}),
    );
    assert_eq!(verified["statusCode"], 200, "{verified}");
}

#[test]
fn a_country_code_without_plus_is_the_same_as_with_plus() {
    // Android passes the country code through as given; "86" and "+86" are one target.
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("86", PHONE, "old-password"))
        .unwrap();
    assert!(emu.check_password(&format!("+86{PHONE}"), "old-password"));
    let sent = post(
        &emu,
        "/api/v3/send-sms",
        json!({"phoneCountryCode": "86", "phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}),
    );
    assert_eq!(sent["statusCode"], 200, "{sent}");
    let codes = emu.issued_codes();
    assert_eq!(codes[0].phone_country_code.as_deref(), Some("+86"));
    let again = post(
        &emu,
        "/api/v3/send-sms",
        json!({"phoneCountryCode": "+86", "phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}),
    );
    assert_eq!(again["statusCode"], 429, "one target: {again}");
    let code = emu.latest_code(PHONE).unwrap();
    let verified = post(
        &emu,
        "/api/v3/verify-reset-password-request",
        json!({"verifyMethod": "PHONE_PASSCODE",
               "phonePassCodePayload": {"phoneNumber": PHONE, "phoneCountryCode": " 86 ", "passCode": code}}),
    );
    assert_eq!(verified["statusCode"], 200, "{verified}");
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/check-password", emu.base_url()))
            .send_json(
                json!({"phoneNumber": PHONE, "phoneCountryCode": "86", "password": "old-password"}),
            )
            .unwrap(),
    );
    assert_eq!(a.json()["match"], true);
}

#[test]
fn sending_a_reset_code_to_an_unknown_user_answers_2004() {
    let emu = Emulator::start().unwrap();
    assert_failure(
        &send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD"),
        404,
        Some(2004),
    );
    assert_failure(
        &send_email(&emu, EMAIL, "CHANNEL_RESET_PASSWORD"),
        404,
        Some(2004),
    );
    assert!(emu.issued_codes().is_empty());
}

#[test]
fn other_channels_issue_codes_without_a_user() {
    let emu = Emulator::start().unwrap();
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
    assert_eq!(
        send_email(&emu, EMAIL, "CHANNEL_REGISTER")["statusCode"],
        200
    );
    let codes = emu.issued_codes();
    assert_eq!(codes.len(), 2);
    assert_eq!(codes[0].channel, "CHANNEL_LOGIN");
    assert_eq!(codes[0].phone_number.as_deref(), Some(PHONE));
    assert_eq!(codes[0].phone_country_code.as_deref(), Some("+86"));
    assert_eq!(codes[1].email.as_deref(), Some(EMAIL));
    assert!(!codes[1].used);
}

#[test]
fn an_unknown_channel_answers_2231() {
    let emu = emulator_with_users();
    assert_failure(&send_sms(&emu, PHONE, "CHANNEL_NOPE"), 400, Some(2231));
    // Email-only channels are not SMS channels.
    assert_failure(
        &send_sms(&emu, PHONE, "CHANNEL_BIND_EMAIL"),
        400,
        Some(2231),
    );
}

// ---------------------------------------------------------------- throttling and expiry

#[test]
fn a_second_send_within_a_minute_answers_http_429_as_the_spec_shows_with_retry_after() {
    let emu = emulator_with_users();
    assert_eq!(
        send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD")["statusCode"],
        200
    );
    emu.advance_clock(Duration::from_secs(20));
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}).to_string();
    let a = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, &body);
    assert_eq!(a.status, 429, "{}", a.text);
    assert_eq!(a.retry_after.as_deref(), Some("40"));
    // Exactly the body of Authing's rate-limit chapter.
    assert_eq!(
        a.json(),
        json!({"statusCode": 429, "message": "您的请求已超过最大数量限制，请稍后重试"})
    );
    let english = [
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", "en-US"),
    ];
    let a = post_raw(&emu, &agent(), "/api/v3/send-sms", &english, &body);
    assert_eq!(
        a.json()["message"],
        "too many requests, please try again later"
    );
    // Another channel is not throttled.
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
    emu.advance_clock(Duration::from_secs(40));
    assert_eq!(
        send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD")["statusCode"],
        200
    );
}

#[test]
fn the_envelope_throttle_reply_answers_http_200_with_data_retry_after() {
    let config = EmulatorConfig::default()
        .throttle_reply(ThrottleReply::Envelope200)
        .user(NewUser::with_phone("+86", PHONE, "old-password"));
    let emu = Emulator::start_with(config).unwrap();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    emu.advance_clock(Duration::from_secs(20));
    let headers = [
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", "en-US"),
    ];
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}).to_string();
    let a = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, &body);
    assert_eq!(a.status, 200);
    let v = a.json();
    assert_failure(&v, 429, None);
    assert_eq!(v["data"]["retryAfter"], 40);
    assert_eq!(a.retry_after.as_deref(), Some("40"));
    assert!(v["message"].as_str().unwrap().contains("40 seconds"), "{v}");
}

#[test]
fn retry_after_is_at_least_one_second() {
    let emu = emulator_with_users();
    assert_eq!(
        send_email(&emu, EMAIL, "CHANNEL_RESET_PASSWORD")["statusCode"],
        200
    );
    emu.advance_clock(Duration::from_millis(59_900));
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"email": EMAIL, "channel": "CHANNEL_RESET_PASSWORD"}).to_string();
    let a = post_raw(&emu, &agent(), "/api/v3/send-email", &headers, &body);
    assert_eq!(a.status, 429, "{}", a.text);
    assert_eq!(a.retry_after.as_deref(), Some("1"));
}

#[test]
fn a_code_expires_after_its_lifetime() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    emu.advance_clock(Duration::from_secs(60));
    assert_failure(&verify_phone(&emu, PHONE, &code), 400, Some(2300));
}

#[test]
fn an_email_code_lives_five_minutes() {
    let emu = emulator_with_users();
    send_email(&emu, EMAIL, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(EMAIL).unwrap();
    emu.advance_clock(Duration::from_secs(299));
    assert_eq!(verify_email(&emu, EMAIL, &code)["statusCode"], 200);

    emu.advance_clock(Duration::from_secs(60));
    send_email(&emu, EMAIL, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(EMAIL).unwrap();
    emu.advance_clock(Duration::from_secs(300));
    assert_failure(&verify_email(&emu, EMAIL, &code), 400, Some(2300));
}

#[test]
fn code_lifetimes_and_length_are_configurable() {
    let config = EmulatorConfig::default()
        .code_length(4)
        .sms_code_ttl(Duration::from_secs(10))
        .user(NewUser::with_phone("+86", PHONE, "old-password"));
    let emu = Emulator::start_with(config).unwrap();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    assert_eq!(code.len(), 4);
    emu.advance_clock(Duration::from_secs(10));
    assert_failure(&verify_phone(&emu, PHONE, &code), 400, Some(2300));
}

// ---------------------------------------------------------------- verification errors

#[test]
fn a_wrong_code_answers_2001() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    assert_failure(
        &verify_phone(&emu, PHONE, &wrong_code(&code)),
        400,
        Some(2001),
    );
    // A wrong try does not spend the code.
    assert_eq!(verify_phone(&emu, PHONE, &code)["statusCode"], 200);
}

#[test]
fn verifying_with_no_code_issued_answers_2001() {
    let emu = emulator_with_users();
    assert_failure(&verify_phone(&emu, PHONE, "123456"), 400, Some(2001));
}

#[test]
fn five_wrong_tries_void_the_code() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    for _ in 0..5 {
        assert_failure(
            &verify_phone(&emu, PHONE, &wrong_code(&code)),
            400,
            Some(2001),
        );
    }
    assert_failure(&verify_phone(&emu, PHONE, &code), 400, Some(2302));
    assert_failure(&verify_phone(&emu, PHONE, &code), 400, Some(2302));
    assert_eq!(emu.latest_code(PHONE), None);
    assert!(emu.issued_codes()[0].used);

    emu.advance_clock(Duration::from_secs(60));
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let fresh = emu.latest_code(PHONE).unwrap();
    assert_eq!(verify_phone(&emu, PHONE, &fresh)["statusCode"], 200);
}

#[test]
fn a_code_cannot_be_used_twice() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    assert_eq!(verify_phone(&emu, PHONE, &code)["statusCode"], 200);
    assert_failure(&verify_phone(&emu, PHONE, &code), 400, Some(2001));
    assert_eq!(emu.latest_code(PHONE), None);
}

#[test]
fn verifying_for_an_unknown_user_answers_2004() {
    let emu = Emulator::start().unwrap();
    assert_failure(&verify_phone(&emu, PHONE, "123456"), 404, Some(2004));
    assert_failure(&verify_email(&emu, EMAIL, "123456"), 404, Some(2004));
}

#[test]
fn a_malformed_phone_or_email_answers_2028() {
    let emu = emulator_with_users();
    assert_failure(&send_sms(&emu, "188-abc", "CHANNEL_LOGIN"), 400, Some(2028));
    assert_failure(
        &send_email(&emu, "not-an-email", "CHANNEL_LOGIN"),
        400,
        Some(2028),
    );
    assert_failure(&verify_phone(&emu, "12", "123456"), 400, Some(2028));
    assert_failure(&verify_email(&emu, "a@b", "123456"), 400, Some(2028));
}

#[test]
fn missing_fields_wrong_types_and_unknown_methods_answer_2231() {
    let emu = emulator_with_users();
    let path = "/api/v3/verify-reset-password-request";
    let bodies = [
        json!({}),
        json!({"verifyMethod": "MAGIC"}),
        json!({"verifyMethod": "PHONE_PASSCODE"}),
        json!({"verifyMethod": "PHONE_PASSCODE", "phonePassCodePayload": "x"}),
        json!({"verifyMethod": "PHONE_PASSCODE", "phonePassCodePayload": {"phoneNumber": PHONE}}),
        json!({"verifyMethod": "EMAIL_PASSCODE", "emailPassCodePayload": {"email": EMAIL, "passCode": 1234}}),
        json!({"verifyMethod": 1}),
    ];
    for body in bodies {
        assert_failure(&post(&emu, path, body), 400, Some(2231));
    }
    assert_failure(
        &post(
            &emu,
            "/api/v3/send-sms",
            json!({"channel": "CHANNEL_LOGIN"}),
        ),
        400,
        Some(2231),
    );
    assert_failure(
        &post(&emu, "/api/v3/send-email", json!({"email": EMAIL})),
        400,
        Some(2231),
    );
    assert_failure(
        &post(&emu, "/api/v3/reset-password", json!({"password": "x"})),
        400,
        Some(2231),
    );
    assert_failure(
        &post(&emu, "/api/v3/send-sms", json!([1, 2])),
        400,
        Some(2231),
    );
}

// ---------------------------------------------------------------- reset tokens

fn token_for_phone(emu: &Emulator) -> String {
    send_sms(emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    let v = verify_phone(emu, PHONE, &code);
    v["data"]["passwordResetToken"].as_str().unwrap().to_owned()
}

#[test]
fn a_reset_token_cannot_be_used_twice() {
    let emu = emulator_with_users();
    let token = token_for_phone(&emu);
    assert_eq!(reset(&emu, &token, "new-password")["statusCode"], 200);
    assert_failure(&reset(&emu, &token, "other-password"), 400, Some(2303));
    assert!(emu.check_password(PHONE, "new-password"));
}

#[test]
fn a_reset_token_expires_after_its_lifetime() {
    let emu = emulator_with_users();
    let token = token_for_phone(&emu);
    emu.advance_clock(Duration::from_secs(600));
    assert_failure(&reset(&emu, &token, "new-password"), 400, Some(2303));
    assert!(emu.check_password(PHONE, "old-password"));
}

#[test]
fn an_unknown_reset_token_answers_2303() {
    let emu = emulator_with_users();
    assert_failure(&reset(&emu, "made-up", "new-password"), 400, Some(2303));
}

#[test]
fn a_password_outside_the_policy_answers_2304_and_keeps_the_token() {
    let emu = emulator_with_users();
    let token = token_for_phone(&emu);
    for bad in ["12345", "", "        ", &"x".repeat(129)] {
        assert_failure(&reset(&emu, &token, bad), 400, Some(2304));
    }
    // Six characters, counted as Unicode scalars.
    assert_eq!(reset(&emu, &token, "密码密码密码")["statusCode"], 200);
    assert!(emu.check_password(PHONE, "密码密码密码"));
}

#[test]
fn a_password_that_does_not_decrypt_is_refused_clearly() {
    let emu = emulator_with_users();
    let token = token_for_phone(&emu);
    let body =
        json!({"passwordResetToken": token, "password": "abc", "passwordEncryptType": "rsa"});
    let v = post_lang(&emu, "/api/v3/reset-password", body, "en-US");
    assert_eq!(
        (&v["statusCode"], &v["apiCode"]),
        (&json!(400), &json!(2231))
    );
    assert!(v["message"].as_str().unwrap().contains("does not decrypt"));
    let body =
        json!({"passwordResetToken": token, "password": "abcdef", "passwordEncryptType": "rot13"});
    assert_failure(&post(&emu, "/api/v3/reset-password", body), 400, Some(2231));
    // Without the type the token still works.
    let body = json!({"passwordResetToken": token, "password": "abcdef"});
    assert_eq!(
        post(&emu, "/api/v3/reset-password", body)["statusCode"],
        200
    );
}
