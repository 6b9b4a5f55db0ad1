//! What goes on the wire for the recovery calls (`reset_password_request`, `send_sms`,
//! `send_email`, `reset_password`, `system`), and how every kind of answer is read.

use std::sync::mpsc;
use std::time::Duration;

use crate::common::{self, english_client, Reply, Server, DEADLINE, QUIET};
use authing::{
    codes, ApiCode, AuthClient, AuthError, AuthResponse, EmailType, Lang, PasswordEncryptType,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

const PHONE: &str = "18812345678";

const OK_REPLY: &str = r#"{"statusCode":200,"message":"ok","requestId":"req-42","data":{"passwordResetToken":"tok-secret-1","tokenExpiresIn":600}}"#;

fn client_for(server: &Server) -> AuthClient {
    common::client_at(server.base_url())
}

fn phone_payload() -> ResetPasswordPayload {
    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_country_code("+86")
        .set_phone_number("18812345678")
        .set_pass_code("1234");
    payload
}

fn email_payload() -> ResetPasswordPayload {
    let mut payload = ResetPasswordPayload::new();
    payload.set_email("test@example.com").set_pass_code("1234");
    payload
}

#[test]
fn a_phone_request_sends_exactly_the_documented_bytes_and_headers() {
    let server = Server::start(Reply::Json(OK_REPLY.into()));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 200, "{response:?}");
    let req = server.next_request();
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/api/v3/verify-reset-password-request");
    assert_eq!(
        req.body_text(),
        r#"{"verifyMethod":"PHONE_PASSCODE","phonePassCodePayload":{"phoneNumber":"18812345678","phoneCountryCode":"+86","passCode":"1234"}}"#
    );
    assert_eq!(
        req.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(req.header("x-authing-app-id"), Some("demo-app"));
    assert_eq!(
        req.header("x-authing-request-from"),
        Some(concat!("SDK-Rust@", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(
        req.header("x-authing-sdk-version"),
        Some(concat!("rust:", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(req.header("x-authing-lang"), Some("zh-CN"));
    assert_eq!(req.header("authorization"), None);
    assert_eq!(req.header("x-authing-userpool-id"), None);
}

#[test]
fn an_email_request_sends_only_the_email_payload() {
    let server = Server::start(Reply::Json(OK_REPLY.into()));
    client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::EMAIL_PASSCODE,
        email_payload(),
    );
    assert_eq!(
        server.next_request().body_text(),
        r#"{"verifyMethod":"EMAIL_PASSCODE","emailPassCodePayload":{"email":"test@example.com","passCode":"1234"}}"#
    );
}

#[test]
fn a_phone_number_without_country_code_leaves_the_key_out() {
    let server = Server::start(Reply::Json(OK_REPLY.into()));
    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_number("18812345678")
        .set_pass_code("1234");
    client_for(&server)
        .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload);
    assert_eq!(
        server.next_request().body_text(),
        r#"{"verifyMethod":"PHONE_PASSCODE","phonePassCodePayload":{"phoneNumber":"18812345678","passCode":"1234"}}"#
    );
}

#[test]
fn optional_headers_are_sent_when_configured() {
    let server = Server::start(Reply::Json(OK_REPLY.into()));
    let client = common::builder_at(format!("{}/", server.base_url()))
        .lang(Lang::EnUs)
        .user_pool_id("pool-1")
        .access_token("at-123")
        .build()
        .unwrap();
    client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::EMAIL_PASSCODE,
        email_payload(),
    );
    let req = server.next_request();
    assert_eq!(req.path, "/api/v3/verify-reset-password-request");
    assert_eq!(req.header("x-authing-lang"), Some("en-US"));
    assert_eq!(req.header("x-authing-userpool-id"), Some("pool-1"));
    assert_eq!(req.header("authorization"), Some("Bearer at-123"));
}

#[test]
fn a_success_answer_gives_the_token_its_lifetime_and_expiry_instant() {
    let server = Server::start(Reply::Json(OK_REPLY.into()));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert!(response.is_success());
    assert_eq!(response.message(), "ok");
    assert_eq!(response.api_code(), 0);
    assert_eq!(response.request_id(), Some("req-42"));
    assert_eq!(response.data().unwrap()["tokenExpiresIn"], 600);
    let reset = response.reset_password_data().unwrap();
    assert_eq!(reset.password_reset_token(), "tok-secret-1");
    assert_eq!(reset.token_expires_in(), 600);
    assert_eq!(
        reset.expires_at(),
        response.received_at() + Duration::from_secs(600)
    );
    assert!(!reset.is_expired());
}

#[test]
fn an_http_200_error_envelope_becomes_an_api_error() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":400,"message":"验证码错误","apiCode":2001,"requestId":"r-7"}"#.into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 400);
    assert_eq!(response.api_code(), 2001);
    assert_eq!(response.message(), "验证码错误");
    assert_eq!(response.request_id(), Some("r-7"));
    assert!(response.data().is_none());
    let api = response
        .error()
        .and_then(AuthError::api)
        .expect("an api error");
    assert_eq!(api.api_code, Some(ApiCode::WRONG_VERIFY_CODE));
    assert_eq!(api.request_id.as_deref(), Some("r-7"));
    assert!(response.reset_password_data().is_err());
}

#[test]
fn a_throttled_answer_exposes_how_long_to_wait() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":429,"message":"请求过于频繁","requestId":"r-8","data":{"retryAfter":42}}"#
            .into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 429);
    assert_eq!(response.retry_after(), Some(Duration::from_secs(42)));
    assert!(response.error().unwrap().api().unwrap().is_throttled());
    assert!(response.error().unwrap().is_transient());
}

#[test]
fn an_http_429_with_retry_after_in_seconds_says_how_long_to_wait() {
    let server = Server::start(Reply::Headed(
        429,
        vec![("retry-after", "7".into())],
        "too many requests".into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 429);
    assert_eq!(response.retry_after(), Some(Duration::from_secs(7)));
}

#[test]
fn a_huge_or_unreadable_wait_is_capped_at_a_day_or_dropped_never_a_panic() {
    let day = Some(Duration::from_secs(86_400));
    let u64_max_plus_one = "18446744073709551616".to_string();
    for (header, want) in [
        (u64_max_plus_one, day),
        ("9".repeat(2_000), day),
        ("Fri, 31 Dec 9999 23:59:59 GMT".into(), day),
        ("Fri, 31 Dec 99999999999 23:59:59 GMT".into(), None),
        ("+7".into(), None),
        ("-7".into(), None),
    ] {
        let server = Server::start(Reply::Headed(
            429,
            vec![("retry-after", header.clone())],
            "too many requests".into(),
        ));
        let response = client_for(&server).reset_password_request_blocking(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            phone_payload(),
        );
        assert_eq!(response.status_code(), 429);
        assert_eq!(response.retry_after(), want, "{header:.40}");
        if let Some(wait) = response.retry_after() {
            assert!(std::time::Instant::now().checked_add(wait).is_some());
        }
    }
    // The envelope's own `retryAfter` is capped the same way.
    let server = Server::start(Reply::Json(format!(
        r#"{{"statusCode":429,"message":"slow down","data":{{"retryAfter":{}}}}}"#,
        u64::MAX
    )));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.retry_after(), day);
}

#[test]
fn an_http_503_with_retry_after_as_an_http_date_says_how_long_to_wait() {
    // A date two minutes from now, in IMF-fixdate, computed independently of the SDK.
    let in_two_minutes = std::time::SystemTime::now() + Duration::from_secs(120);
    let server = Server::start(Reply::Headed(
        503,
        vec![("retry-after", imf_fixdate(in_two_minutes))],
        "maintenance".into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 503);
    let wait = response.retry_after().expect("a wait from the date");
    assert!(
        (Duration::from_secs(110)..=Duration::from_secs(120)).contains(&wait),
        "{wait:?}"
    );
}

#[test]
fn the_specs_http_429_envelope_gives_its_message_and_the_header_wait() {
    let server = Server::start(Reply::Headed(
        429,
        vec![("retry-after", "60".into())],
        r#"{"statusCode":429,"message":"您的请求已超过最大数量限制，请稍后重试","requestId":"r-429"}"#.into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 429);
    assert_eq!(response.message(), "您的请求已超过最大数量限制，请稍后重试");
    assert_eq!(response.request_id(), Some("r-429"));
    assert_eq!(response.retry_after(), Some(Duration::from_secs(60)));
    let api = response
        .error()
        .and_then(AuthError::api)
        .expect("an api error");
    assert!(api.is_throttled());
    assert_eq!(api.retry_after, Some(Duration::from_secs(60)));
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`-style text for `at`, written out by hand for the test.
fn imf_fixdate(at: std::time::SystemTime) -> String {
    let secs = at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {name} {year} {:02}:{:02}:{:02} GMT",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[test]
fn a_non_2xx_html_reply_keeps_the_status_and_the_raw_body() {
    let html = "<html><body>502 bad gateway</body></html>";
    let server = Server::start(Reply::Raw(502, "text/html", html.into()));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 502);
    assert_eq!(response.message(), html);
    assert_eq!(
        response.error(),
        Some(&AuthError::HttpStatus { status: 502 })
    );
}

#[test]
fn a_200_that_is_not_json_is_a_network_error_with_the_precise_cause() {
    let server = Server::start(Reply::Raw(
        200,
        "text/html",
        "<html>maintenance</html>".into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), codes::NETWORK_ERROR);
    assert!(
        matches!(response.error(), Some(AuthError::UnreadableBody { .. })),
        "{response:?}"
    );
    assert!(
        response
            .error()
            .unwrap()
            .to_string()
            .starts_with("unreadable response body"),
        "{}",
        response.message()
    );
}

#[test]
fn json_without_a_status_code_is_unreadable() {
    let server = Server::start(Reply::Json(r#"{"hello":"world"}"#.into()));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), codes::NETWORK_ERROR);
    assert!(matches!(
        response.error(),
        Some(AuthError::UnreadableBody { .. })
    ));
}

#[test]
fn a_success_without_a_token_is_not_mistaken_for_one() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":200,"message":"ok","data":{}}"#.into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let error = response.reset_password_data().unwrap_err();
    assert_eq!(error.status_code(), codes::JSON_PARSE_FAILED);
    assert!(error.to_string().contains("passwordResetToken"), "{error}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Server::start(Reply::Hang);
    let client = common::builder_at(server.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let response = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), codes::NETWORK_ERROR);
    assert!(
        matches!(response.error(), Some(AuthError::Timeout { .. })),
        "{response:?}"
    );
    assert!(response.error().unwrap().is_transient());
}

#[test]
fn a_refused_connection_is_a_network_error() {
    let client = common::builder_at(common::refused_base_url())
        .build()
        .unwrap();
    let response = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), codes::NETWORK_ERROR);
    assert!(
        matches!(response.error(), Some(AuthError::Connection { .. })),
        "{response:?}"
    );
}

#[test]
fn a_body_over_the_limit_is_refused_unread() {
    let server = Server::start(Reply::Huge(10_000));
    let client = common::builder_at(server.base_url())
        .max_response_bytes(1_000)
        .build()
        .unwrap();
    let response = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), codes::NETWORK_ERROR);
    assert_eq!(
        response.error(),
        Some(&AuthError::BodyTooLarge { limit: 1_000 })
    );
}

#[test]
fn debug_output_never_shows_secrets() {
    let server = Server::start(Reply::Json(OK_REPLY.into()));
    let client = common::builder_at(server.base_url())
        .access_token("at-very-secret")
        .build()
        .unwrap();
    let mut payload = phone_payload();
    payload.set_pass_code("907153");
    let response = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        payload.clone(),
    );
    let shown = format!(
        "{payload:?} {response:?} {client:?} {:?} {:?}",
        response.reset_password_data().unwrap(),
        AuthClient::builder().access_token("at-very-secret")
    );
    for secret in ["907153", "tok-secret-1", "at-very-secret"] {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
    assert!(shown.contains("18812345678"));
}

#[test]
fn a_huge_token_lifetime_is_an_unexpected_response_not_a_panic() {
    let server = Server::start(Reply::Json(format!(
        r#"{{"statusCode":200,"message":"ok","data":{{"passwordResetToken":"t","tokenExpiresIn":{}}}}}"#,
        u64::MAX
    )));
    let client = client_for(&server);
    let response = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let error = response.reset_password_data().unwrap_err();
    assert_eq!(error.status_code(), codes::JSON_PARSE_FAILED);
    let composite = client.reset_password_by_phone_blocking(
        "+86",
        "18812345678",
        "1234",
        "brand-new-pass",
        authing::PasswordEncryptType::none,
    );
    assert_eq!(
        composite.status_code(),
        codes::JSON_PARSE_FAILED,
        "{composite:?}"
    );
}

#[test]
fn a_non_2xx_body_over_the_limit_keeps_its_status_and_is_cut() {
    let server = Server::start(Reply::Raw(502, "text/html", "x".repeat(10_000)));
    let client = common::builder_at(server.base_url())
        .max_response_bytes(1_000)
        .build()
        .unwrap();
    let response = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 502);
    assert_eq!(response.message().len(), 1_000);
}

#[test]
fn debug_of_a_non_2xx_body_hides_what_it_echoes() {
    let echo = r#"{"error":"blocked","request":{"password":"hunter2-secret","passwordResetToken":"tok-echo"}}"#;
    let server = Server::start(Reply::Raw(403, "application/json", echo.into()));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(
        response.message(),
        echo,
        "message() keeps the raw body, as Android"
    );
    let shown = format!("{response:?}");
    assert!(
        !shown.contains("hunter2-secret") && !shown.contains("tok-echo"),
        "{shown}"
    );
    assert!(shown.contains("blocked"), "{shown}");

    let server = Server::start(Reply::Raw(
        403,
        "text/html",
        "<p>password=hunter2-secret</p>".into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let shown = format!("{response:?}");
    assert!(!shown.contains("hunter2-secret"), "{shown}");
    assert!(shown.contains("<30 bytes of body>"), "{shown}");
}

#[test]
fn a_data_shape_error_never_quotes_the_data() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":200,"message":"ok","data":"tok-bare-secret"}"#.into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let error = response.reset_password_data().unwrap_err();
    assert!(!error.to_string().contains("tok-bare-secret"), "{error}");
}

#[test]
fn an_api_code_compares_by_number_and_prints_its_name() {
    let server = Server::scripted(|req| {
        let code = if req.body_text().contains("\"passCode\":\"1111\"") {
            2001
        } else {
            4242
        };
        Reply::Json(format!(
            r#"{{"statusCode":400,"message":"no","apiCode":{code}}}"#
        ))
    });
    let client = client_for(&server);
    let mut payload = phone_payload();
    payload.set_pass_code("1111");
    let named =
        client.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload);
    let code = named
        .error()
        .and_then(AuthError::api)
        .and_then(|a| a.api_code);
    assert_eq!(code, Some(ApiCode(2001)));
    assert_eq!(code, Some(ApiCode::WRONG_VERIFY_CODE));
    assert_eq!(format!("{code:?}"), "Some(ApiCode::WRONG_VERIFY_CODE)");
    assert_eq!(code.unwrap().to_string(), "WRONG_VERIFY_CODE (2001)");

    let unnamed = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let code = unnamed
        .error()
        .and_then(AuthError::api)
        .and_then(|a| a.api_code);
    assert_eq!(code, Some(ApiCode(4242)));
    assert_eq!(format!("{code:?}"), "Some(ApiCode(4242))");
    assert_eq!(unnamed.api_code(), 4242);
}

#[test]
fn a_string_api_code_and_a_string_status_code_are_read_as_numbers() {
    // Authing's v2 answers send `"apiCode": "2011"`; Android's org.json reads such a string
    // as its number.
    let server = Server::start(Reply::Json(
        r#"{"statusCode":"400","message":"验证码错误","apiCode":"2001"}"#.into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    assert_eq!(response.status_code(), 400, "{response:?}");
    assert_eq!(response.api_code(), 2001);
    let api = response
        .error()
        .and_then(AuthError::api)
        .expect("an api error");
    assert_eq!(api.api_code, Some(ApiCode::WRONG_VERIFY_CODE));
}

#[test]
fn a_whole_float_api_code_is_read_and_a_nonsense_one_is_dropped() {
    for (api_code, expected) in [
        ("2001.0", 2001),
        (r#""abc""#, 0),
        ("2001.5", 0),
        ("null", 0),
    ] {
        let server = Server::start(Reply::Json(format!(
            r#"{{"statusCode":400,"message":"no","apiCode":{api_code}}}"#
        )));
        let response = client_for(&server).reset_password_request_blocking(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            phone_payload(),
        );
        assert_eq!(response.status_code(), 400, "{api_code}: {response:?}");
        assert_eq!(response.api_code(), expected, "{api_code}");
    }
}

#[test]
fn a_fractional_token_lifetime_is_rounded_down() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":200,"message":"ok","data":{"passwordResetToken":"t-1","tokenExpiresIn":299.5}}"#.into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let reset = response.reset_password_data().expect("a lenient read");
    assert_eq!(reset.token_expires_in(), 299);
    assert_eq!(
        reset.expires_at(),
        response.received_at() + Duration::from_secs(299)
    );
}

#[test]
fn a_token_lifetime_in_a_string_is_read_and_a_negative_one_is_refused() {
    let answer = |lifetime: &str| {
        let server = Server::start(Reply::Json(format!(
            r#"{{"statusCode":200,"message":"ok","data":{{"passwordResetToken":"t-1","tokenExpiresIn":{lifetime}}}}}"#
        )));
        client_for(&server)
            .reset_password_request_blocking(
                ResetPasswordVerifyMethod::PHONE_PASSCODE,
                phone_payload(),
            )
            .reset_password_data()
    };
    assert_eq!(answer(r#""300""#).unwrap().token_expires_in(), 300);
    let negative = answer("-1").unwrap_err();
    assert_eq!(negative.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(
        negative.to_string(),
        "unexpected response: tokenExpiresIn is negative"
    );
    let not_a_number = answer(r#""soon""#).unwrap_err();
    assert_eq!(
        not_a_number.to_string(),
        "unexpected response: tokenExpiresIn is not a number"
    );
}

#[test]
fn a_country_code_without_its_plus_is_sent_with_it() {
    let server = Server::start(Reply::Json(OK_REPLY.into()));
    let client = client_for(&server);

    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_country_code("86")
        .set_phone_number("18812345678")
        .set_pass_code("1234");
    assert_eq!(
        payload.phone_country_code(),
        Some("86"),
        "the getter keeps what was set"
    );
    client.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload);
    assert_eq!(
        server.next_request().body_text(),
        r#"{"verifyMethod":"PHONE_PASSCODE","phonePassCodePayload":{"phoneNumber":"18812345678","phoneCountryCode":"+86","passCode":"1234"}}"#
    );

    client.send_sms_blocking("1", "2025550123", authing::SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(
        server.next_request().body_text(),
        r#"{"phoneCountryCode":"+1","phoneNumber":"2025550123","channel":"CHANNEL_RESET_PASSWORD"}"#
    );
}

#[test]
fn a_refused_connection_keeps_the_os_error_as_its_source() {
    use std::error::Error;
    let client = common::builder_at(common::refused_base_url())
        .build()
        .unwrap();
    let response = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let error = response.error().expect("a failure");
    let source = error.source().expect("the underlying error");
    let io = source
        .downcast_ref::<std::io::Error>()
        .unwrap_or_else(|| panic!("an io error, not {source:?}"));
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    assert_eq!(error.clone(), *error, "a clone shares its cause");
}

#[test]
fn an_unreadable_json_body_keeps_the_parser_error_as_its_source() {
    use std::error::Error;
    let server = Server::start(Reply::Raw(
        200,
        "application/json",
        r#"{"statusCode":200,"message":"#.into(),
    ));
    let response = client_for(&server).reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        phone_payload(),
    );
    let error = response.error().expect("a failure");
    assert!(
        matches!(error, AuthError::UnreadableBody { .. }),
        "{error:?}"
    );
    let source = error.source().expect("the underlying error");
    let json = source
        .downcast_ref::<serde_json::Error>()
        .unwrap_or_else(|| panic!("a serde_json error, not {source:?}"));
    assert!(json.is_eof(), "{json}");
}

#[test]
fn send_sms_sends_the_documented_body() {
    let server = Server::start(Reply::Json(r#"{"statusCode":200,"message":"ok"}"#.into()));
    let client = english_client(server.base_url(), "app");
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
    let client = english_client(server.base_url(), "app");
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
    let client = english_client(server.base_url(), "app");
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
    let client = english_client(server.base_url(), "app");
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
fn an_expired_reset_token_is_refused_before_sending() {
    let server = Server::scripted(|req| {
        if req.path.ends_with("verify-reset-password-request") {
            Reply::Json(r#"{"statusCode":200,"message":"ok","data":{"passwordResetToken":"tok","tokenExpiresIn":0}}"#.into())
        } else {
            Reply::Json(r#"{"statusCode":200,"message":"ok","data":{"success":true}}"#.into())
        }
    });
    let client = english_client(server.base_url(), "app");
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
    let client = english_client(server.base_url(), "app");
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
fn system_is_a_get_with_the_authing_headers() {
    let server = Server::start(Reply::Json(
        r#"{"rsa":{"publicKey":"k"},"sm2":{"publicKey":"s"},"version":{"server":"x"}}"#.into(),
    ));
    let response = english_client(server.base_url(), "app").system_blocking();
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
