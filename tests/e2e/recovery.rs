//! The whole recovery journey through the SDK, end to end on the emulator, and the wire
//! shape of every call.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::common::{Reply, Server, DEADLINE, QUIET};
use authing::emulator::{Emulator, EmulatorConfig, Fault, NewUser};
use authing::{
    codes, ApiCode, AuthClient, AuthError, AuthResponse, EmailType, Lang, PasswordEncryptType,
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

fn client_for(base_url: String, app_id: &str) -> AuthClient {
    AuthClient::builder()
        .app_id(app_id)
        .app_host(base_url)
        .lang(Lang::EnUs)
        .build()
        .unwrap()
}

fn on(emu: &Emulator) -> AuthClient {
    client_for(emu.base_url(), emu.app_id())
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
fn send_sms_sends_the_documented_body() {
    let server = Server::start(Reply::Json(r#"{"statusCode":200,"message":"ok"}"#.into()));
    let client = client_for(server.base_url(), "app");
    let response = client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(response.status_code(), 200);
    let req = server.next_request();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/api/v3/send-sms")
    );
    assert_eq!(
        req.body_text(),
        r#"{"phoneCountryCode":"+86","phoneNumber":"18812345678","channel":"CHANNEL_RESET_PASSWORD"}"#
    );
    client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_LOGIN);
    assert_eq!(
        server.next_request().body_text(),
        r#"{"phoneNumber":"18812345678","channel":"CHANNEL_LOGIN"}"#
    );
}

#[test]
fn the_country_code_argument_takes_every_form_of_text() {
    let server = Server::start(Reply::Json(r#"{"statusCode":200,"message":"ok"}"#.into()));
    let client = client_for(server.base_url(), "app");
    let owned: String = String::from("+86");
    let some_owned: Option<String> = Some(String::from("+86"));
    let some_borrowed: Option<&str> = Some("+86");
    let channel = SmsType::CHANNEL_RESET_PASSWORD;
    let with = r#"{"phoneCountryCode":"+86","phoneNumber":"18812345678","channel":"CHANNEL_RESET_PASSWORD"}"#;
    let without = r#"{"phoneNumber":"18812345678","channel":"CHANNEL_RESET_PASSWORD"}"#;

    // Each form, blocking and callback: &str, &String, String, Option<&str>,
    // &Option<String>, Option<String> as_deref, and a bare `None` (no text).
    let sent = [
        client.send_sms_blocking("+86", PHONE, channel),
        client.send_sms_blocking(&owned, PHONE, channel),
        client.send_sms_blocking(owned.clone(), PHONE, channel),
        client.send_sms_blocking(some_borrowed, PHONE, channel),
        client.send_sms_blocking(&some_owned, PHONE, channel),
        client.send_sms_blocking(some_owned.as_deref(), PHONE, channel),
    ];
    for response in sent {
        assert!(response.is_success(), "{response:?}");
        assert_eq!(server.next_request().body_text(), with);
    }
    client.send_sms_blocking(None, PHONE, channel);
    assert_eq!(server.next_request().body_text(), without);
    client.send_sms_blocking(&None::<String>, PHONE, channel);
    assert_eq!(server.next_request().body_text(), without);

    let (tx, rx) = mpsc::channel();
    let handles = [
        client.send_sms(&owned, PHONE, channel, tx.clone()),
        client.send_sms(&some_owned, PHONE, channel, tx.clone()),
        client.send_sms(owned.clone(), PHONE, channel, tx),
    ];
    for handle in handles {
        handle.join().unwrap();
        assert!(rx.recv_timeout(DEADLINE).unwrap().is_success());
        assert_eq!(server.next_request().body_text(), with);
    }

    // The composite call takes the same forms; its verify step carries the code.
    client.reset_password_by_phone_blocking(
        &owned,
        PHONE,
        "1234",
        "brand-new-pass",
        PasswordEncryptType::none,
    );
    let verify = server.next_request().body_text();
    assert!(verify.contains(r#""phoneCountryCode":"+86""#), "{verify}");
    let (tx, rx) = mpsc::channel();
    client
        .reset_password_by_phone(
            &some_owned,
            PHONE,
            "1234",
            "brand-new-pass",
            PasswordEncryptType::none,
            tx,
        )
        .join()
        .unwrap();
    rx.recv_timeout(DEADLINE).unwrap();
    let verify = server.next_request().body_text();
    assert!(verify.contains(r#""phoneCountryCode":"+86""#), "{verify}");
}

#[test]
fn send_email_and_reset_password_send_the_documented_bodies() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":200,"message":"ok","data":{"success":true}}"#.into(),
    ));
    let client = client_for(server.base_url(), "app");
    client.send_email_blocking("test@example.com", EmailType::CHANNEL_RESET_PASSWORD);
    let req = server.next_request();
    assert_eq!(req.path, "/api/v3/send-email");
    assert_eq!(
        req.body_text(),
        r#"{"email":"test@example.com","channel":"CHANNEL_RESET_PASSWORD"}"#
    );
    let response =
        client.reset_password_blocking("tok-1", "n3w password", PasswordEncryptType::none);
    assert_eq!(response.status_code(), 200);
    let req = server.next_request();
    assert_eq!(req.path, "/api/v3/reset-password");
    assert_eq!(
        req.body_text(),
        r#"{"passwordResetToken":"tok-1","password":"n3w password","passwordEncryptType":"none"}"#
    );
}

#[test]
fn every_channel_is_spelled_as_on_the_wire() {
    let sms: Vec<&str> = SmsType::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        sms,
        [
            "CHANNEL_LOGIN",
            "CHANNEL_REGISTER",
            "CHANNEL_RESET_PASSWORD",
            "CHANNEL_BIND_PHONE",
            "CHANNEL_UNBIND_PHONE",
            "CHANNEL_BIND_MFA",
            "CHANNEL_VERIFY_MFA",
            "CHANNEL_UNBIND_MFA",
            "CHANNEL_COMPLETE_PHONE",
            "CHANNEL_IDENTITY_VERIFICATION",
            "CHANNEL_DELETE_ACCOUNT",
        ]
    );
    let email: Vec<&str> = EmailType::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        email,
        [
            "CHANNEL_LOGIN",
            "CHANNEL_REGISTER",
            "CHANNEL_RESET_PASSWORD",
            "CHANNEL_VERIFY_EMAIL_LINK",
            "CHANNEL_UPDATE_EMAIL",
            "CHANNEL_BIND_EMAIL",
            "CHANNEL_UNBIND_EMAIL",
            "CHANNEL_VERIFY_MFA",
            "CHANNEL_UNLOCK_ACCOUNT",
            "CHANNEL_COMPLETE_EMAIL",
            "CHANNEL_DELETE_ACCOUNT",
        ]
    );
}

#[test]
fn every_enum_value_is_sent_and_printed_by_its_one_java_name() {
    let server = Server::start(Reply::Json(r#"{"statusCode":200,"message":"ok"}"#.into()));
    let client = client_for(server.base_url(), "app");
    for &channel in SmsType::ALL {
        client.send_sms_blocking("+86", PHONE, channel);
        let body = server.next_request().body_text();
        assert!(
            body.contains(&format!(r#""channel":"{channel:?}""#)),
            "{body}"
        );
        assert_eq!(channel.to_string(), format!("{channel:?}"));
    }
    for &channel in EmailType::ALL {
        client.send_email_blocking("test@example.com", channel);
        let body = server.next_request().body_text();
        assert!(
            body.contains(&format!(r#""channel":"{channel}""#)),
            "{body}"
        );
        assert_eq!(channel.to_string(), format!("{channel:?}"));
    }
    for method in [
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        ResetPasswordVerifyMethod::EMAIL_PASSCODE,
    ] {
        let mut payload = ResetPasswordPayload::new();
        match method {
            ResetPasswordVerifyMethod::PHONE_PASSCODE => payload.set_phone_number(PHONE),
            _ => payload.set_email("test@example.com"),
        };
        payload.set_pass_code("1234");
        client.reset_password_request_blocking(method, payload);
        let body = server.next_request().body_text();
        assert!(
            body.starts_with(&format!(r#"{{"verifyMethod":"{method:?}""#)),
            "{body}"
        );
        assert_eq!(method.to_string(), format!("{method:?}"));
    }
    let sent = client.reset_password_blocking("tok-1", "n3w password", PasswordEncryptType::none);
    assert!(sent.is_success(), "{sent:?}");
    let body = server.next_request().body_text();
    let kind = PasswordEncryptType::none;
    assert!(
        body.ends_with(&format!(r#""passwordEncryptType":"{kind:?}"}}"#)),
        "{body}"
    );
    assert_eq!(kind.to_string(), "none");
    assert_eq!(format!("{:?}", PasswordEncryptType::rsa), "rsa");
    assert_eq!(format!("{:?}", PasswordEncryptType::sm2), "sm2");
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
fn an_expired_reset_token_is_refused_before_sending() {
    let server = Server::scripted(|req| {
        if req.path.ends_with("verify-reset-password-request") {
            Reply::Json(r#"{"statusCode":200,"message":"ok","data":{"passwordResetToken":"tok","tokenExpiresIn":0}}"#.into())
        } else {
            Reply::Json(r#"{"statusCode":200,"message":"ok","data":{"success":true}}"#.into())
        }
    });
    let client = client_for(server.base_url(), "app");
    let response = client.reset_password_by_phone_blocking(
        None,
        PHONE,
        "1234",
        "brand-new-pass",
        PasswordEncryptType::none,
    );
    assert_eq!(response.status_code(), codes::INVALID_INPUT);
    assert!(
        response
            .message()
            .contains("password_reset_token has expired"),
        "{}",
        response.message()
    );
    assert_eq!(
        server.next_request().path,
        "/api/v3/verify-reset-password-request"
    );
    server.assert_no_request();
}

#[test]
fn a_verify_answer_without_a_token_is_never_reported_as_success() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":200,"message":"ok","requestId":"r1","data":null}"#.into(),
    ));
    let client = client_for(server.base_url(), "app");
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .reset_password_by_phone(
            None,
            PHONE,
            "1234",
            "brand-new-pass",
            PasswordEncryptType::none,
            tx,
        )
        .join()
        .unwrap();
    let response = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(response.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(response.request_id(), Some("r1"));
    assert!(matches!(
        response.error(),
        Some(AuthError::UnexpectedResponse { .. })
    ));
    assert!(rx.recv_timeout(QUIET).is_err());
    server.next_request();
    server.assert_no_request();
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
    let client = client_for(emu.base_url(), "no-such-app");
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

#[test]
fn system_is_a_get_with_the_authing_headers() {
    let server = Server::start(Reply::Json(
        r#"{"rsa":{"publicKey":"k"},"sm2":{"publicKey":"s"},"version":{"server":"x"}}"#.into(),
    ));
    let response = client_for(server.base_url(), "app").system_blocking();
    assert_eq!(response.status_code(), 200);
    assert_eq!(response.data().unwrap()["rsa"]["publicKey"], "k");
    let req = server.next_request();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("GET", "/api/v3/system")
    );
    assert_eq!(req.header("x-authing-app-id"), Some("app"));
    assert_eq!(req.header("x-authing-lang"), Some("en-US"));
    assert!(req.body.is_empty());
}
