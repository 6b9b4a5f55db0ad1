//! The whole recovery journey through the SDK, end to end on the emulator: step by step
//! and in one composite call, the emulator's limits and faults, and its messages. What
//! each call puts on the wire is in `tests/wire/recovery.rs`.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::common::{english_client, DEADLINE, QUIET};
use authing::emulator::{Emulator, EmulatorConfig, Fault, NewUser};
use authing::{
    codes, ApiCode, AuthClient, AuthError, AuthResponse, EmailType, PasswordEncryptType,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

const PHONE: &str = "18812345678";
const EMAIL: &str = "Someone@Example.com";

fn emulator() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("+86", PHONE, "old-passw0rd"))
        .unwrap();
    emu.add_user(NewUser::with_email(EMAIL, "old-passw0rd"))
        .unwrap();
    emu
}

fn on(emu: &Emulator) -> AuthClient {
    english_client(emu.base_url(), emu.app_id())
}

/// The emulator's own apiCodes for cases Authing publishes no code for (docs/EMULATOR.md):
/// numbers only, the SDK has no name for them.
const EMULATOR_TOO_MANY_ATTEMPTS: ApiCode = ApiCode(2302);
const EMULATOR_RESET_TOKEN_INVALID: ApiCode = ApiCode(2303);

fn api_code(response: &AuthResponse) -> Option<ApiCode> {
    response
        .error()
        .and_then(AuthError::api)
        .and_then(|a| a.api_code)
}

#[test]
fn the_phone_journey_works_step_by_step_with_callbacks() {
    let emu = emulator();
    let client = on(&emu);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .send_sms("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD, tx.clone())
        .join()
        .unwrap();
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    let code = emu.latest_code(PHONE).expect("a code was issued");

    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_country_code("+86")
        .set_phone_number(PHONE)
        .set_pass_code(code);
    client
        .reset_password_request(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            payload,
            tx.clone(),
        )
        .join()
        .unwrap();
    let verified = rx.recv_timeout(DEADLINE).unwrap();
    let reset = verified.reset_password_data().expect("a reset token");
    assert!(reset.token_expires_in() > 0);

    client
        .reset_password(&reset, "brand-new-pass", PasswordEncryptType::none, tx)
        .join()
        .unwrap();
    let done = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(done.status_code(), 200, "{done:?}");
    assert_eq!(done.data().unwrap()["success"], true);
    assert!(emu.check_password(PHONE, "brand-new-pass"));
    assert!(!emu.check_password(PHONE, "old-passw0rd"));
    // The token is single use.
    let again = client.reset_password_blocking(&reset, "another-pass", PasswordEncryptType::none);
    assert_eq!(
        api_code(&again),
        Some(EMULATOR_RESET_TOKEN_INVALID),
        "{again:?}"
    );
}

#[test]
fn the_email_journey_works_in_one_composite_call() {
    let emu = emulator();
    let client = on(&emu);
    assert!(client
        .send_email_blocking("someone@example.com", EmailType::CHANNEL_RESET_PASSWORD)
        .is_success());
    let code = emu.latest_code(EMAIL).unwrap();
    let (tx, rx) = mpsc::channel();
    let keep_open = tx.clone();
    client
        .reset_password_by_email(
            EMAIL,
            &code,
            "brand-new-pass",
            PasswordEncryptType::none,
            move |r: AuthResponse| tx.send(r).unwrap(),
        )
        .join()
        .unwrap();
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    assert_eq!(
        rx.recv_timeout(QUIET).map(|r| r.status_code()),
        Err(RecvTimeoutError::Timeout)
    );
    assert!(emu.check_password(EMAIL, "brand-new-pass"));
    drop(keep_open);
}

#[test]
fn the_phone_composite_call_works_end_to_end() {
    let emu = emulator();
    let client = on(&emu);
    client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    let code = emu.latest_code(PHONE).unwrap();
    let response = client.reset_password_by_phone_blocking(
        None,
        PHONE,
        &code,
        "brand-new-pass",
        PasswordEncryptType::none,
    );
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(emu.check_password(PHONE, "brand-new-pass"));
}

#[test]
fn an_expired_code_is_reported_as_expired() {
    let emu = emulator();
    let client = on(&emu);
    client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    let code = emu.latest_code(PHONE).unwrap();
    emu.advance_clock(Duration::from_secs(61));
    let response = client.reset_password_by_phone_blocking(
        "+86",
        PHONE,
        &code,
        "brand-new-pass",
        PasswordEncryptType::none,
    );
    assert_eq!(response.status_code(), 400);
    assert_eq!(api_code(&response), Some(ApiCode::VERIFY_CODE_EXPIRED));
    assert!(emu.check_password(PHONE, "old-passw0rd"));
}

#[test]
fn a_second_send_within_a_minute_is_throttled_with_the_wait() {
    let emu = emulator();
    let client = on(&emu);
    assert!(client
        .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        .is_success());
    let throttled = client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(throttled.status_code(), 429);
    let wait = throttled.retry_after().expect("the wait is exposed");
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    assert!(throttled.error().unwrap().api().unwrap().is_throttled());
    emu.advance_clock(Duration::from_secs(60));
    assert!(client
        .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        .is_success());
}

#[test]
fn five_wrong_codes_void_the_code() {
    let emu = emulator();
    let client = on(&emu);
    client.send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD);
    let code = emu.latest_code(EMAIL).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let r = client.reset_password_by_email_blocking(
            EMAIL,
            wrong,
            "brand-new-pass",
            PasswordEncryptType::none,
        );
        assert_eq!(api_code(&r), Some(ApiCode::WRONG_VERIFY_CODE), "{r:?}");
    }
    let r = client.reset_password_by_email_blocking(
        EMAIL,
        &code,
        "brand-new-pass",
        PasswordEncryptType::none,
    );
    assert_eq!(api_code(&r), Some(EMULATOR_TOO_MANY_ATTEMPTS), "{r:?}");
}

#[test]
fn the_composite_call_answers_once_on_every_failure_path() {
    let emu = emulator();
    let client = on(&emu);
    client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    let code = emu.latest_code(PHONE).unwrap();
    let cases: Vec<(&str, &str, &str, i32)> = vec![
        // (pass code, password, what, expected status)
        (
            "",
            "brand-new-pass",
            "local: empty pass code",
            codes::INVALID_INPUT,
        ),
        (&code, "", "local: empty password", codes::INVALID_INPUT),
        ("000001", "brand-new-pass", "server: wrong code", 400),
        (&code, "short", "server: password policy after verify", 400),
    ];
    for (pass_code, password, what, status) in cases {
        let (tx, rx) = mpsc::channel();
        let keep_open = tx.clone();
        client
            .reset_password_by_phone(
                None,
                PHONE,
                pass_code,
                password,
                PasswordEncryptType::none,
                move |r: AuthResponse| tx.send(r.status_code()).unwrap(),
            )
            .join()
            .unwrap();
        assert_eq!(rx.recv_timeout(DEADLINE), Ok(status), "{what}");
        assert_eq!(
            rx.recv_timeout(QUIET),
            Err(RecvTimeoutError::Timeout),
            "{what}"
        );
        drop(keep_open);
    }
}

#[test]
fn an_unknown_app_is_named() {
    let emu = emulator();
    let client = english_client(emu.base_url(), "no-such-app");
    let response = client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(
        api_code(&response),
        Some(ApiCode::APP_NOT_FOUND),
        "{response:?}"
    );
}

#[test]
fn a_send_to_an_unknown_user_is_user_not_found() {
    let emu = emulator();
    let response = on(&emu).send_sms_blocking(None, "13900000000", SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(
        api_code(&response),
        Some(ApiCode::USER_NOT_FOUND),
        "{response:?}"
    );
}

#[test]
fn system_answers_without_the_envelope() {
    let emu = emulator();
    let response = on(&emu).system_blocking();
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(response.data().unwrap().get("rsa").is_some());
}

#[test]
fn a_failed_key_fetch_never_falls_back_to_plain_text() {
    let emu = emulator();
    emu.inject_fault(
        "/api/v3/system",
        Fault::Status {
            status: 502,
            body: "bad gateway".into(),
        },
        10,
    );
    let client = on(&emu);
    for kind in [PasswordEncryptType::rsa, PasswordEncryptType::sm2] {
        let response = client.reset_password_blocking("tok", "brand-new-pass", kind);
        assert_eq!(
            response.status_code(),
            codes::ENCRYPTION_FAILED,
            "{response:?}"
        );
        assert!(
            response
                .message()
                .contains("could not fetch the public key"),
            "{}",
            response.message()
        );
    }
}

#[test]
fn injected_faults_surface_as_typed_errors() {
    let emu = emulator();
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    emu.inject_fault("/api/v3/send-sms", Fault::Delay(Duration::from_secs(2)), 1);
    let r = client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert!(
        matches!(r.error(), Some(AuthError::Timeout { .. })),
        "{r:?}"
    );
    emu.inject_fault("/api/v3/send-sms", Fault::MalformedBody, 1);
    let r = client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert!(
        matches!(r.error(), Some(AuthError::UnreadableBody { .. })),
        "{r:?}"
    );
    emu.inject_fault("/api/v3/send-sms", Fault::DropConnection, 1);
    let r = client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(r.status_code(), codes::NETWORK_ERROR, "{r:?}");
    emu.inject_fault(
        "/api/v3/send-sms",
        Fault::Status {
            status: 503,
            body: "down".into(),
        },
        1,
    );
    let r = client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!((r.status_code(), r.message()), (503, "down"));
}

#[test]
fn messages_follow_the_client_language() {
    let emu = Emulator::start_with(EmulatorConfig::default()).unwrap();
    let en = on(&emu).send_sms_blocking(None, "13900000000", SmsType::CHANNEL_RESET_PASSWORD);
    let zh = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap()
        .send_sms_blocking(None, "13900000000", SmsType::CHANNEL_RESET_PASSWORD);
    assert!(en.message().is_ascii(), "{}", en.message());
    assert!(!zh.message().is_ascii(), "{}", zh.message());
}

#[test]
fn an_unconfigured_client_says_config_not_found_even_when_encrypting() {
    let client = AuthClient::builder().build().unwrap();
    for kind in [PasswordEncryptType::rsa, PasswordEncryptType::sm2] {
        let r = client.reset_password_blocking("tok", "brand-new-pass", kind);
        assert_eq!(r.status_code(), codes::CONFIG_NOT_FOUND, "{r:?}");
        let r = client.reset_password_by_email_blocking(EMAIL, "123456", "brand-new-pass", kind);
        assert_eq!(r.status_code(), codes::CONFIG_NOT_FOUND, "{r:?}");
    }
}
