//! The emulator over real HTTP, with ureq as the client.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use authing_emulator::{Emulator, EmulatorConfig, Fault, Gate, NewUser, ThrottleReply};
use serde_json::{json, Value};

const PHONE: &str = "18812345678";
const EMAIL: &str = "alice@example.com";

/// ureq's `json` feature is off in this crate; send JSON text instead.
trait SendJson {
    fn send_json(self, value: Value) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>;
}

impl SendJson for ureq::RequestBuilder<ureq::typestate::WithBody> {
    fn send_json(self, value: Value) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        self.header("content-type", "application/json")
            .send(value.to_string())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// One HTTP answer: status, Retry-After and Allow headers and body text.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    allow: Option<String>,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not json ({e}): {}", self.text))
    }
}

fn answer(mut res: ureq::http::Response<ureq::Body>) -> Answer {
    let status = res.status().as_u16();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let retry_after = header("retry-after");
    let allow = header("allow");
    let text = res.body_mut().read_to_string().expect("read body");
    Answer {
        status,
        retry_after,
        allow,
        text,
    }
}

/// POSTs raw text with the given headers.
fn post_raw(
    emu: &Emulator,
    agent: &ureq::Agent,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut req = agent.post(format!("{}{path}", emu.base_url()));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req.send(body).expect("http"))
}

/// POSTs JSON the way the SDK does, with the right app id.
fn post(emu: &Emulator, path: &str, body: Value) -> Value {
    post_lang(emu, path, body, "zh-CN")
}

fn post_lang(emu: &Emulator, path: &str, body: Value, lang: &str) -> Value {
    let headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", lang),
    ];
    let a = post_raw(emu, &agent(), path, &headers, &body.to_string());
    let v = a.json();
    // Business errors travel in HTTP 200, except a throttled send (HTTP 429 by default).
    let http = if v["statusCode"] == 429 { 429 } else { 200 };
    assert_eq!(a.status, http, "{}", a.text);
    v
}

fn get(emu: &Emulator, path: &str) -> Answer {
    answer(
        agent()
            .get(format!("{}{path}", emu.base_url()))
            .call()
            .expect("http"),
    )
}

fn send_sms(emu: &Emulator, number: &str, channel: &str) -> Value {
    post(
        emu,
        "/api/v3/send-sms",
        json!({"phoneNumber": number, "channel": channel}),
    )
}

fn send_email(emu: &Emulator, email: &str, channel: &str) -> Value {
    post(
        emu,
        "/api/v3/send-email",
        json!({"email": email, "channel": channel}),
    )
}

fn verify_phone(emu: &Emulator, number: &str, code: &str) -> Value {
    post(
        emu,
        "/api/v3/verify-reset-password-request",
        json!({"verifyMethod": "PHONE_PASSCODE",
               "phonePassCodePayload": {"phoneNumber": number, "phoneCountryCode": "+86", "passCode": code}}),
    )
}

fn verify_email(emu: &Emulator, email: &str, code: &str) -> Value {
    post(
        emu,
        "/api/v3/verify-reset-password-request",
        json!({"verifyMethod": "EMAIL_PASSCODE",
               "emailPassCodePayload": {"email": email, "passCode": code}}),
    )
}

fn reset(emu: &Emulator, token: &str, password: &str) -> Value {
    post(
        emu,
        "/api/v3/reset-password",
        json!({"passwordResetToken": token, "password": password, "passwordEncryptType": "none"}),
    )
}

fn emulator_with_users() -> Emulator {
    let emu = Emulator::start().expect("start");
    emu.add_user(NewUser::with_phone("+86", PHONE, "old-password"))
        .unwrap();
    emu.add_user(NewUser::with_email(EMAIL, "old-password"))
        .unwrap();
    emu
}

fn assert_failure(reply: &Value, status: u64, api_code: Option<u64>) {
    assert_eq!(reply["statusCode"], status, "{reply}");
    match api_code {
        Some(code) => assert_eq!(reply["apiCode"], code, "{reply}"),
        None => assert!(reply.get("apiCode").is_none(), "{reply}"),
    }
    assert!(
        reply["requestId"].as_str().is_some_and(|s| !s.is_empty()),
        "{reply}"
    );
    assert!(
        reply["message"].as_str().is_some_and(|s| !s.is_empty()),
        "{reply}"
    );
}

fn wrong_code(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}

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
    // The fixed test keys: PEM SPKI for rsa, hex `04` + X + Y for sm2 (tests/encryption.rs).
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

// ---------------------------------------------------------------- request handling

#[test]
fn a_missing_or_unknown_app_id_answers_2011() {
    let emu = emulator_with_users();
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}).to_string();
    let a = post_raw(&emu, &agent(), "/api/v3/send-sms", &[], &body);
    assert_failure(&a.json(), 404, Some(2011));
    let a = post_raw(
        &emu,
        &agent(),
        "/api/v3/send-sms",
        &[("x-authing-app-id", "other")],
        &body,
    );
    assert_failure(&a.json(), 404, Some(2011));
}

#[test]
fn headers_are_matched_in_any_case_and_extras_are_ignored() {
    let emu = emulator_with_users();
    let headers = [
        ("X-Authing-App-Id", emu.app_id()),
        ("CONTENT-TYPE", "application/json"),
        ("Authorization", "some-token"),
        ("X-AUTHING-LANG", "en-US"),
        ("x-authing-request-from", "SDK-Rust@0.1.0"),
    ];
    let body = r#"{"channel":"CHANNEL_LOGIN","unknown":{"a":[1]},"phoneNumber":"18812345678"}"#;
    let v = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, body).json();
    assert_eq!(v["statusCode"], 200, "{v}");
    assert_eq!(v["message"], "success");
    let headers = [
        ("x-authing-app-id", emu.app_id()),
        ("authorization", "Bearer abc"),
    ];
    let body = r#"{"email":"bob@example.com","channel":"CHANNEL_LOGIN"}"#;
    let v = post_raw(&emu, &agent(), "/api/v3/send-email", &headers, body).json();
    assert_eq!(v["statusCode"], 200, "{v}");
}

#[test]
fn a_body_that_is_not_json_answers_2231() {
    let emu = emulator_with_users();
    let headers = [
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", "en-US"),
    ];
    let v = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, "{not json").json();
    assert_failure(&v, 400, Some(2231));
    assert!(v["message"].as_str().unwrap().contains("not json"));
}

#[test]
fn an_oversized_body_answers_413_and_the_connection_stays_usable() {
    let emu = emulator_with_users();
    let agent = agent();
    let headers = [("x-authing-app-id", emu.app_id())];
    let big = format!(
        r#"{{"phoneNumber":"{PHONE}","channel":"CHANNEL_LOGIN","pad":"{}"}}"#,
        "x".repeat(70_000)
    );
    let a = post_raw(&emu, &agent, "/api/v3/send-sms", &headers, &big);
    assert_eq!(a.status, 200);
    assert_failure(&a.json(), 413, None);
    let small = json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}).to_string();
    assert_eq!(
        post_raw(&emu, &agent, "/api/v3/send-sms", &headers, &small).json()["statusCode"],
        200
    );
}

#[test]
fn an_unknown_path_answers_http_404_with_an_envelope() {
    let emu = Emulator::start().unwrap();
    let a = get(&emu, "/api/v3/nothing-here");
    assert_eq!(a.status, 404, "{}", a.text);
    assert_failure(&a.json(), 404, None);
    let headers = [
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", "en-US"),
    ];
    let a = post_raw(&emu, &agent(), "/api/v3/nothing-here", &headers, "{}");
    assert_eq!(a.status, 404, "{}", a.text);
    assert_failure(&a.json(), 404, None);
    assert_eq!(a.json()["message"], "no such endpoint");
}

#[test]
fn a_wrong_method_on_a_known_path_answers_http_405_with_allow() {
    let emu = Emulator::start().unwrap();
    let a = get(&emu, "/api/v3/send-sms");
    assert_eq!(a.status, 405, "{}", a.text);
    assert_eq!(a.allow.as_deref(), Some("POST"));
    assert_failure(&a.json(), 405, None);
    let headers = [("x-authing-app-id", emu.app_id())];
    let a = post_raw(&emu, &agent(), "/api/v3/system", &headers, "{}");
    assert_eq!(a.status, 405, "{}", a.text);
    assert_eq!(a.allow.as_deref(), Some("GET, HEAD"));
    assert_failure(&a.json(), 405, None);
}

#[test]
fn head_on_a_get_endpoint_answers_like_get_without_a_body() {
    let emu = Emulator::start().unwrap();
    let a = answer(
        agent()
            .head(format!("{}/api/v3/system", emu.base_url()))
            .call()
            .expect("http"),
    );
    assert_eq!(a.status, 200);
    assert!(a.text.is_empty());
}

#[test]
fn messages_follow_x_authing_lang_and_fall_back_to_chinese() {
    let emu = Emulator::start().unwrap();
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"});
    let en = post_lang(&emu, "/api/v3/send-sms", body.clone(), "en-US");
    assert_eq!(en["message"], "user not found");
    let zh = post_lang(&emu, "/api/v3/send-sms", body.clone(), "zh-CN");
    assert_eq!(zh["message"], "用户不存在");
    let ja = post_lang(&emu, "/api/v3/send-sms", body.clone(), "ja-JP");
    assert_eq!(ja["message"], "用户不存在");
    let tw = post_lang(&emu, "/api/v3/send-sms", body, "zh-TW");
    assert_eq!(tw["message"], "用户不存在");
}

#[test]
fn every_reply_carries_a_distinct_request_id() {
    let emu = Emulator::start().unwrap();
    let a = send_sms(&emu, PHONE, "CHANNEL_LOGIN");
    let b = send_sms(&emu, PHONE, "CHANNEL_LOGIN");
    assert!(a["requestId"].is_string());
    assert_ne!(a["requestId"], b["requestId"]);
}

// ---------------------------------------------------------------- admin api

#[test]
fn the_admin_api_lists_issued_codes() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    send_email(&emu, EMAIL, "CHANNEL_LOGIN");
    let v = get(&emu, "/emulator/v1/codes").json();
    let codes = v["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 2);
    assert_eq!(codes[0]["phoneNumber"], PHONE);
    assert_eq!(codes[0]["phoneCountryCode"], "+86");
    assert_eq!(codes[0]["channel"], "CHANNEL_RESET_PASSWORD");
    assert_eq!(codes[0]["code"], emu.latest_code(PHONE).unwrap());
    assert_eq!(codes[0]["used"], false);
    assert!(codes[0]["expiresAt"].as_u64().unwrap() > 1_600_000_000);
    assert_eq!(codes[1]["email"], EMAIL);
}

#[test]
fn the_admin_api_creates_users_and_checks_passwords() {
    let emu = Emulator::start().unwrap();
    let agent = agent();
    let url = |p: &str| format!("{}{p}", emu.base_url());
    let a = answer(
        agent
            .post(url("/emulator/v1/users"))
            .send_json(json!({"phoneNumber": PHONE, "password": "secret-1"}))
            .unwrap(),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let a = answer(
        agent
            .post(url("/emulator/v1/users"))
            .send_json(json!({"phoneNumber": PHONE, "phoneCountryCode": "+86", "password": "x"}))
            .unwrap(),
    );
    assert_eq!(a.status, 409, "{}", a.text);
    let a = answer(
        agent
            .post(url("/emulator/v1/users"))
            .send_json(json!({"password": "x"}))
            .unwrap(),
    );
    assert_eq!(a.status, 400, "{}", a.text);

    let check = |body: Value| {
        answer(
            agent
                .post(url("/emulator/v1/check-password"))
                .send_json(body)
                .unwrap(),
        )
        .json()
    };
    assert_eq!(
        check(json!({"phoneNumber": PHONE, "password": "secret-1"}))["match"],
        true
    );
    assert_eq!(
        check(json!({"phoneNumber": PHONE, "phoneCountryCode": "+86", "password": "nope"}))
            ["match"],
        false
    );
    assert_eq!(
        check(json!({"email": EMAIL, "password": "secret-1"}))["match"],
        false
    );
    assert!(emu.check_password(&NewUser::with_phone("86", PHONE, ""), "secret-1"));
}

#[test]
fn the_admin_clock_moves_expiry() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/clock", emu.base_url()))
            .send_json(json!({"advanceSeconds": 61}))
            .unwrap(),
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["offsetSeconds"], 61);
    assert_failure(&verify_phone(&emu, PHONE, &code), 400, Some(2300));
}

fn admin_fault(emu: &Emulator, body: Value) {
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/faults", emu.base_url()))
            .send_json(body)
            .unwrap(),
    );
    assert_eq!(a.status, 200, "{}", a.text);
}

#[test]
fn a_status_fault_answers_the_raw_status_and_body_then_stops() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-sms", "times": 2,
               "fault": {"type": "status", "status": 502, "body": "<html>bad gateway</html>"}}),
    );
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}).to_string();
    for _ in 0..2 {
        let a = post_raw(&emu, &agent(), "/api/v3/send-sms", &headers, &body);
        assert_eq!(a.status, 502);
        assert_eq!(a.text, "<html>bad gateway</html>");
    }
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn a_malformed_fault_answers_200_with_a_body_that_is_not_json() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-email", "fault": {"type": "malformed"}}),
    );
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"email": EMAIL, "channel": "CHANNEL_LOGIN"}).to_string();
    let a = post_raw(&emu, &agent(), "/api/v3/send-email", &headers, &body);
    assert_eq!(a.status, 200);
    assert!(serde_json::from_str::<Value>(&a.text).is_err());
    assert_eq!(send_email(&emu, EMAIL, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn a_drop_fault_closes_the_connection_without_an_answer() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-sms", "times": 1, "fault": {"type": "drop"}}),
    );
    let url = format!("{}/api/v3/send-sms", emu.base_url());
    let app_id = emu.app_id().to_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // The agent waits up to 30 s; the drop must fail it long before that.
        let result = agent()
            .post(url)
            .header("x-authing-app-id", app_id)
            .send_json(json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}));
        let _ = tx.send(result.map(|r| r.status().as_u16()));
    });
    let result = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the client failed at once, not after its time-out");
    // The socket closed before any byte of an answer: an I/O error, not a time-out.
    match result {
        Err(ureq::Error::Io(e)) => assert_ne!(e.kind(), std::io::ErrorKind::TimedOut, "{e}"),
        other => panic!("expected an i/o error, got {other:?}"),
    }
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn a_drop_fault_writes_no_byte_before_closing() {
    let emu = Emulator::start().unwrap();
    emu.inject_fault("/api/v3/system", Fault::DropConnection, 1);
    // No `Connection: close`: the server closes on its own.
    let (out, closed) = raw_exchange(&emu, b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(out, "");
    assert!(closed);
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn a_delay_fault_answers_normally_afterwards() {
    let emu = emulator_with_users();
    admin_fault(
        &emu,
        json!({"path": "/api/v3/send-sms", "fault": {"type": "delay", "ms": 50}}),
    );
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn faults_injected_in_process_apply_to_their_path_only() {
    let emu = emulator_with_users();
    emu.inject_fault(
        "/api/v3/send-email",
        Fault::Status {
            status: 503,
            body: "down".into(),
        },
        1,
    );
    emu.inject_fault(
        "/api/v3/send-email",
        Fault::Delay(Duration::from_millis(10)),
        1,
    );
    assert_eq!(send_sms(&emu, PHONE, "CHANNEL_LOGIN")["statusCode"], 200);
    let headers = [("x-authing-app-id", emu.app_id())];
    let body = json!({"email": EMAIL, "channel": "CHANNEL_LOGIN"}).to_string();
    assert_eq!(
        post_raw(&emu, &agent(), "/api/v3/send-email", &headers, &body).status,
        503
    );
    assert_eq!(send_email(&emu, EMAIL, "CHANNEL_LOGIN")["statusCode"], 200);
}

#[test]
fn the_admin_state_reset_clears_everything() {
    let config = EmulatorConfig::default().user(NewUser::with_email(EMAIL, "seeded-1"));
    let emu = Emulator::start_with(config).unwrap();
    emu.add_user(NewUser::with_phone("+86", PHONE, "old-password"))
        .unwrap();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    emu.advance_clock(Duration::from_secs(5));
    emu.inject_fault("/api/v3/system", Fault::MalformedBody, 5);
    let a = answer(
        agent()
            .delete(format!("{}/emulator/v1/state", emu.base_url()))
            .call()
            .unwrap(),
    );
    assert_eq!(a.status, 200);
    assert!(emu.issued_codes().is_empty());
    assert!(!emu.check_password(PHONE, "old-password"));
    assert!(emu.check_password(EMAIL, "seeded-1"));
    // No cooldown left, no fault left, clock back.
    assert_eq!(
        send_email(&emu, EMAIL, "CHANNEL_RESET_PASSWORD")["statusCode"],
        200
    );
    assert!(get(&emu, "/api/v3/system").json()["rsa"].is_object());
    let clock = answer(
        agent()
            .get(format!("{}/emulator/v1/clock", emu.base_url()))
            .call()
            .unwrap(),
    )
    .json();
    assert_eq!(clock["offsetSeconds"], 0);
}

#[test]
fn the_admin_api_reports_stats_and_rejects_bad_requests() {
    let emu = Emulator::start().unwrap();
    send_sms(&emu, PHONE, "CHANNEL_LOGIN");
    let v = get(&emu, "/emulator/v1/stats").json();
    assert_eq!(v["requests"], 2);
    assert!(v["connections"].as_u64().unwrap() >= 1);
    assert_eq!(get(&emu, "/emulator/v1/nothing").status, 404);
    let wrong = get(&emu, "/emulator/v1/faults");
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.allow.as_deref(), Some("POST"));
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/faults", emu.base_url()))
            .send("{")
            .unwrap(),
    );
    assert_eq!(a.status, 400);
}

// ---------------------------------------------------------------- connections and threads

#[test]
fn sequential_calls_on_one_agent_use_one_connection() {
    let emu = Emulator::start().unwrap();
    let agent = agent();
    for _ in 0..1_000 {
        let a = answer(
            agent
                .get(format!("{}/api/v3/system", emu.base_url()))
                .call()
                .unwrap(),
        );
        assert_eq!(a.status, 200);
    }
    let stats = emu.stats();
    assert_eq!(stats.requests, 1_000);
    assert_eq!(stats.connections, 1);
    emu.reset();
    assert_eq!(emu.stats().requests, 0);
}

#[test]
fn dropping_the_emulator_frees_its_port() {
    let emu = Emulator::start().unwrap();
    let addr = emu.addr();
    let agent = agent();
    // Leave a keep-alive connection open.
    assert_eq!(
        answer(
            agent
                .get(format!("{}/api/v3/system", emu.base_url()))
                .call()
                .unwrap()
        )
        .status,
        200
    );
    drop(emu);
    let again = Emulator::bind(addr, EmulatorConfig::default()).expect("the port is free");
    assert_eq!(again.addr(), addr);
    assert_eq!(get(&again, "/api/v3/system").status, 200);
}

#[test]
fn dropping_the_emulator_cuts_a_pending_delay_short() {
    let emu = Emulator::start().unwrap();
    emu.inject_fault("/api/v3/system", Fault::Delay(Duration::from_secs(3600)), 1);
    let url = format!("{}/api/v3/system", emu.base_url());
    let (tx, rx) = mpsc::channel();
    let client = std::thread::spawn(move || {
        let r = agent().get(&url).call();
        let _ = tx.send(r.is_err());
    });
    // Wait until the request is in the server, then drop.
    let (tx2, rx2) = mpsc::channel();
    let emu = std::thread::spawn(move || {
        while emu.stats().requests == 0 {
            std::thread::yield_now();
        }
        drop(emu);
        let _ = tx2.send(());
    });
    rx2.recv_timeout(Duration::from_secs(20))
        .expect("drop returned");
    assert!(rx
        .recv_timeout(Duration::from_secs(20))
        .expect("client returned"));
    client.join().unwrap();
    emu.join().unwrap();
}

#[test]
fn a_held_request_waits_for_its_gate_and_is_then_answered_normally() {
    let emu = Emulator::start().unwrap();
    let gate = Gate::new();
    emu.inject_fault("/api/v3/system", Fault::Hold(gate.clone()), 1);
    let url = format!("{}/api/v3/system", emu.base_url());
    let (tx, rx) = mpsc::channel();
    let client = std::thread::spawn(move || {
        let r = agent().get(&url).call().map(|r| r.status().as_u16());
        let _ = tx.send(r.ok());
    });
    assert!(
        gate.wait_held(Duration::from_secs(20)),
        "the request reached the gate"
    );
    assert!(
        rx.recv_timeout(Duration::from_millis(200)).is_err(),
        "a held request was answered before its gate opened"
    );
    gate.open();
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(20)).expect("answered"),
        Some(200)
    );
    client.join().unwrap();
    // The fault was for one request: the next one passes a gate it never meets.
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn dropping_the_emulator_ends_a_hold_that_was_never_opened() {
    let emu = Emulator::start().unwrap();
    let gate = Gate::new();
    emu.inject_fault("/api/v3/system", Fault::Hold(gate.clone()), 1);
    let url = format!("{}/api/v3/system", emu.base_url());
    let (tx, rx) = mpsc::channel();
    let client = std::thread::spawn(move || {
        let r = agent().get(&url).call();
        let _ = tx.send(r.is_err());
    });
    assert!(gate.wait_held(Duration::from_secs(20)));
    drop(emu);
    assert!(
        rx.recv_timeout(Duration::from_secs(20))
            .expect("the client returned"),
        "the held request was closed without an answer"
    );
    assert!(!gate.is_open());
    client.join().unwrap();
}

#[test]
fn concurrent_clients_are_all_answered_correctly() {
    let emu = std::sync::Arc::new(Emulator::start().unwrap());
    let (tx, rx) = mpsc::channel();
    for t in 0..8 {
        let emu = std::sync::Arc::clone(&emu);
        let tx = tx.clone();
        std::thread::spawn(move || {
            let agent = agent();
            let mut ok = 0;
            for i in 0..50 {
                let number = format!("1880{t}{i:06}");
                let headers = [("x-authing-app-id", emu.app_id())];
                let body = json!({"phoneNumber": number, "channel": "CHANNEL_LOGIN"}).to_string();
                let v = post_raw(&emu, &agent, "/api/v3/send-sms", &headers, &body).json();
                if v["statusCode"] == 200 && emu.latest_code(&number).is_some() {
                    ok += 1;
                }
            }
            let _ = tx.send(ok);
        });
    }
    drop(tx);
    let mut total = 0;
    for _ in 0..8 {
        total += rx
            .recv_timeout(Duration::from_secs(60))
            .expect("a worker finished");
    }
    assert_eq!(total, 400);
    assert_eq!(emu.issued_codes().len(), 400);
    assert_eq!(emu.stats().requests, 400);
}

#[test]
fn sixteen_kept_alive_clients_sending_at_once_are_all_answered() {
    // Each client first opens its own keep-alive connection, then all 16 send at the same
    // moment, three times over. A server that queues new work behind kept-alive
    // connections (tiny_http's task pool did) leaves some of them unanswered.
    const CLIENTS: usize = 16;
    const ROUNDS: usize = 3;
    let emu = std::sync::Arc::new(Emulator::start().unwrap());
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(CLIENTS));
    let (tx, rx) = mpsc::channel();
    for c in 0..CLIENTS {
        let emu = std::sync::Arc::clone(&emu);
        let barrier = std::sync::Arc::clone(&barrier);
        let tx = tx.clone();
        std::thread::spawn(move || {
            let agent = agent();
            let url = format!("{}/api/v3/system", emu.base_url());
            let call = || agent.get(&url).call().map(|r| answer(r).status);
            let _ = tx.send((c, 0, call()));
            for round in 1..=ROUNDS {
                barrier.wait();
                let _ = tx.send((c, round, call()));
            }
        });
    }
    drop(tx);
    for _ in 0..CLIENTS * (ROUNDS + 1) {
        let (c, round, status) = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("every client answered");
        assert_eq!(
            status.map_err(|e| e.to_string()),
            Ok(200),
            "client {c}, round {round}"
        );
    }
    let stats = emu.stats();
    assert_eq!(stats.requests, (CLIENTS * (ROUNDS + 1)) as u64);
    // Every client kept its one connection.
    assert_eq!(stats.connections, CLIENTS as u64);
}

/// Sends one request on `stream` and reads its whole answer (by `Content-Length`).
fn raw_round_trip(stream: &mut std::net::TcpStream, request: &[u8]) -> String {
    use std::io::{Read, Write};
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    while !out.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "closed in the head");
        out.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&out).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .expect("a content-length")
        .trim()
        .parse()
        .unwrap();
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    head + &String::from_utf8_lossy(&body)
}

#[test]
fn dropping_the_emulator_closes_kept_alive_connections() {
    use std::io::Read;
    let emu = Emulator::start().unwrap();
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    for _ in 0..2 {
        let out = raw_round_trip(
            &mut stream,
            b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\n\r\n",
        );
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(!out.contains("Connection: close"), "{out}");
    }
    assert_eq!(emu.stats().connections, 1);
    // The connection is idle and kept alive; dropping the emulator must not wait for it.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        drop(emu);
        let _ = tx.send(());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("drop returned");
    let mut rest = Vec::new();
    assert_eq!(
        stream
            .read_to_end(&mut rest)
            .expect("closed, not timed out"),
        0
    );
}

#[test]
fn users_with_bad_identities_are_refused() {
    let emu = Emulator::start().unwrap();
    assert!(emu
        .add_user(NewUser {
            password: "x".into(),
            ..NewUser::default()
        })
        .is_err());
    assert!(emu
        .add_user(NewUser::with_phone("+86", "12ab", "x"))
        .is_err());
    emu.add_user(NewUser::with_email(EMAIL, "x")).unwrap();
    assert!(emu
        .add_user(NewUser::with_email("ALICE@EXAMPLE.COM", "y"))
        .is_err());
    let bad = EmulatorConfig::default().user(NewUser::with_email("nope", "x"));
    assert_eq!(
        Emulator::start_with(bad).unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );
}

// ---------------------------------------------------------------- the binary

#[test]
fn the_binary_prints_listening_on_and_each_code() {
    let dir = std::env::temp_dir().join(format!("authing-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let users = dir.join("users.json");
    std::fs::write(
        &users,
        r#"[{"phoneNumber":"18812345678","password":"secret-1"}]"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(["--listen", "127.0.0.1:0", "--app-id", "demo", "--users"])
        .arg(&users)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the binary");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(30));
    let outcome = (|| {
        let first = first.map_err(|e| format!("no first line: {e}"))?;
        let base = first
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("unexpected first line {first:?}"))?
            .to_owned();
        let v: Value = answer(
            agent()
                .post(format!("{base}/api/v3/send-sms"))
                .header("x-authing-app-id", "demo")
                .send_json(json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}))
                .map_err(|e| e.to_string())?,
        )
        .json();
        if v["statusCode"] != 200 {
            return Err(format!("send failed: {v}"));
        }
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|e| e.to_string())?;
        if !line.starts_with("code: CHANNEL_RESET_PASSWORD +8618812345678 ") {
            return Err(format!("unexpected code line {line:?}"));
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    outcome.unwrap();
}

#[test]
fn the_binary_prints_usage_on_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("usage: authing-emulator"));
}

// ---------------------------------------------------------------- raw http

/// Sends raw bytes, reads until the server closes; `true` when it did close.
fn raw_exchange(emu: &Emulator, request: &[u8]) -> (String, bool) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let closed = stream.read_to_end(&mut out).is_ok();
    (String::from_utf8_lossy(&out).into_owned(), closed)
}

#[test]
fn a_chunked_body_with_expect_continue_is_understood() {
    let emu = Emulator::start().unwrap();
    let body = r#"{"phoneNumber":"18812345678","channel":"CHANNEL_LOGIN"}"#;
    let (a, b) = body.split_at(20);
    let request = format!(
        "POST /api/v3/send-sms HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
         Transfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n\
         {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let (out, closed) = raw_exchange(&emu, request.as_bytes());
    assert!(
        out.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"),
        "{out}"
    );
    assert!(out.contains(r#""statusCode":200"#), "{out}");
    assert!(closed);
    assert!(emu.latest_code(PHONE).is_some());
}

#[test]
fn bytes_that_are_not_http_get_a_400_and_the_server_lives_on() {
    let emu = Emulator::start().unwrap();
    let (out, closed) = raw_exchange(&emu, b"hello there\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    let (out, closed) = raw_exchange(&emu, b"GET / HTTP/1.1\r\nno colon here\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    let (out, closed) = raw_exchange(&emu, b"GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    let (out, closed) = raw_exchange(
        &emu,
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    );
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(closed);
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn a_request_head_over_the_limits_gets_a_431_and_is_closed() {
    let emu = Emulator::start().unwrap();
    let mut many = String::from("GET /api/v3/system HTTP/1.1\r\nHost: x\r\n");
    for i in 0..80 {
        many.push_str(&format!("x-extra-{i}: {i}\r\n"));
    }
    many.push_str("\r\n");
    let (out, closed) = raw_exchange(&emu, many.as_bytes());
    assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
    assert!(out.contains(r#""statusCode":431"#), "{out}");
    assert!(closed);
    let long = format!(
        "GET /api/v3/system HTTP/1.1\r\nHost: x\r\nx-long: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    let (out, closed) = raw_exchange(&emu, long.as_bytes());
    assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
    assert!(closed);
    assert_eq!(get(&emu, "/api/v3/system").status, 200);
}

#[test]
fn a_chunked_body_over_the_limit_answers_413_and_the_connection_stays_usable() {
    use std::io::{Read, Write};
    let emu = Emulator::start_with(EmulatorConfig::default().max_body_bytes(16)).unwrap();
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = r#"{"phoneNumber":"18812345678","channel":"CHANNEL_LOGIN"}"#;
    let request = format!(
        "POST /api/v3/send-sms HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n\
         GET /api/v3/system HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.contains(r#""statusCode":413"#), "{out}");
    assert_eq!(out.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{out}");
    assert!(out.contains("authing-emulator"), "{out}");
    assert_eq!(emu.stats().connections, 1);
}

#[test]
fn http_1_0_requests_are_answered_and_closed() {
    let emu = Emulator::start().unwrap();
    let (out, closed) = raw_exchange(&emu, b"GET /api/v3/system HTTP/1.0\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
    assert!(out.contains("authing-emulator"), "{out}");
    assert!(closed);
}
