//! The captcha family on the wire, against the scripted loopback server: the captcha
//! image's request and how its answer is read (the bytes and content type, the cookie it
//! sets, which goes back with the sign-in; a body that is no image is an error), the
//! captcha answer in the sign-in's options, apiCode 2000, and `pre_check_code`'s exact
//! bodies with and without a session.

use crate::common::{builder_at, Reply, Server};
use crate::{body, route, signed_in};
use authing::{
    codes, AuthError, AuthOptions, AuthResponse, EmailType, PreCheckCodePayload, SmsType,
};
use serde_json::json;
use std::sync::mpsc;

const SVG: &str =
    r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text>a8nz</text></svg>"#;
const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"id.token/1+2","refresh_token":"rt-1","token_type":"Bearer","expire_in":3600}}"#;
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;
const CAPTCHA_REQUIRED: &str =
    r#"{"statusCode":400,"message":"账号异常，需要输入验证码","apiCode":2000,"requestId":"r-2"}"#;
const VALID: &str = r#"{"statusCode":200,"message":"","data":{"isValid":true}}"#;
const EXPIRED: &str =
    r#"{"statusCode":200,"message":"","data":{"isValid":false,"message":"验证码已过期"}}"#;

fn image() -> Reply {
    Reply::Typed(
        200,
        "image/svg+xml",
        vec![
            ("set-cookie", "captcha_sid=s%3Aabc; Path=/; HttpOnly".into()),
            ("set-cookie", "route=r1; Path=/".into()),
        ],
        SVG.into(),
    )
}

/// A server that draws captchas, signs in with `signin` and answers everything else with
/// `other`.
fn server(signin: &'static str, other: &'static str) -> Server {
    Server::scripted(move |req| match route(req) {
        "/api/v3/captcha-code" => image(),
        "/api/v3/signin" => Reply::Json(signin.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(other.into()),
    })
}

#[test]
fn the_image_is_a_get_of_the_specs_path_asking_for_an_image_without_authorization() {
    let s = server(SIGNED_IN, VALID);
    let client = builder_at(s.base_url()).build().unwrap();
    let response = client.get_captcha_code_blocking();
    let sent = s.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, "/api/v3/captcha-code");
    assert_eq!(sent.header("accept"), Some("image/svg+xml, image/*"));
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("cookie"), None);
    assert!(sent.header("x-authing-app-id").is_some());
    assert!(response.is_success(), "{response:?}");
    assert_eq!(response.data(), None);
    let image = response.captcha_image().unwrap();
    assert_eq!(image.content_type(), "image/svg+xml");
    assert_eq!(image.bytes(), SVG.as_bytes());
    assert_eq!(image.as_svg(), Some(SVG));
    // Debug names the size, never the image (whose text is the answer).
    let shown = format!("{response:?}");
    assert!(
        shown.contains("bytes of image/svg+xml") && !shown.contains("a8nz"),
        "{shown}"
    );
}

#[test]
fn the_images_cookies_go_back_with_the_sign_in_and_stop_once_it_succeeds() {
    let s = server(SIGNED_IN, VALID);
    let client = builder_at(s.base_url()).build().unwrap();
    client.get_captcha_code_blocking();
    s.next_request();
    let mut options = AuthOptions::new();
    options.set_captcha_code("A8NZ");
    let response = client.sign_in_by_user_name_password_blocking("mike", "passw0rd", options);
    assert!(response.is_success(), "{response:?}");
    let sent = s.next_request();
    assert_eq!(route(&sent), "/api/v3/signin");
    assert_eq!(sent.header("cookie"), Some("captcha_sid=s%3Aabc; route=r1"));
    assert_eq!(body(&sent)["options"]["captchaCode"], "A8NZ");
    // The profile fetch of the new session still carried it; after that it is gone.
    s.next_request();
    client.pre_check_code_blocking(PreCheckCodePayload::email(
        "a@example.com",
        "123456",
        EmailType::CHANNEL_LOGIN,
    ));
    assert_eq!(s.next_request().header("cookie"), None);
}

#[test]
fn an_apps_own_cookie_header_and_the_captchas_go_out_as_one_header() {
    let s = server(SIGNED_IN, VALID);
    let client = builder_at(s.base_url())
        .header("Cookie", "gateway=g1")
        .build()
        .unwrap();
    client.get_captcha_code_blocking();
    assert_eq!(s.next_request().header("cookie"), Some("gateway=g1"));
    client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    let sent = s.next_request();
    let cookies: Vec<_> = sent.headers.iter().filter(|(k, _)| k == "cookie").collect();
    assert_eq!(
        cookies.len(),
        1,
        "one cookie header (RFC 6265 5.4): {cookies:?}"
    );
    assert_eq!(
        sent.header("cookie"),
        Some("gateway=g1; captcha_sid=s%3Aabc; route=r1")
    );
}

#[test]
fn signing_out_forgets_a_pending_captchas_cookie() {
    let s = server(CAPTCHA_REQUIRED, VALID);
    let client = builder_at(s.base_url()).build().unwrap();
    client.get_captcha_code_blocking();
    s.next_request();
    client.logout_blocking();
    client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    // Whatever the sign-out sent (nothing, with nobody signed in), then the sign-in.
    loop {
        let sent = s.next_request();
        assert_eq!(sent.header("cookie"), None, "{}", sent.path);
        if route(&sent) == "/api/v3/signin" {
            break;
        }
    }
}

#[test]
fn a_refused_sign_in_keeps_the_cookie_and_says_a_captcha_is_required() {
    let s = server(CAPTCHA_REQUIRED, VALID);
    let client = builder_at(s.base_url()).build().unwrap();
    let first = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    assert!(first.is_captcha_required(), "{first:?}");
    assert_eq!(first.api_code(), 2000);
    assert_eq!(
        first.error().and_then(|e| e.api()).and_then(|a| a.api_code),
        Some(authing::ApiCode::CAPTCHA_REQUIRED)
    );
    assert_eq!(s.next_request().header("cookie"), None);
    client.get_captcha_code_blocking();
    s.next_request();
    for _ in 0..2 {
        let again = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
        assert!(again.is_captcha_required());
        assert_eq!(
            s.next_request().header("cookie"),
            Some("captcha_sid=s%3Aabc; route=r1")
        );
    }
    // Other answers are not.
    assert!(!client.get_captcha_code_blocking().is_captcha_required());
}

#[test]
fn an_answer_that_is_not_an_image_is_an_unreadable_body_never_a_success() {
    for (reply, says) in [
        (
            Reply::Raw(200, "text/html", "<html>login</html>".into()),
            "text/html",
        ),
        (
            Reply::Raw(
                200,
                "application/json",
                r#"{"statusCode":200,"message":"","data":{"captchaCodeSvg":"<svg/>"}}"#.into(),
            ),
            "application/json",
        ),
        (
            Reply::Raw(200, "image/svg+xml", String::new()),
            "an empty image/svg+xml",
        ),
        (
            Reply::Typed(200, "", vec![], "GIF89a".into()),
            "no content type",
        ),
    ] {
        let reply = std::sync::Mutex::new(Some(reply));
        let s = Server::scripted(move |_| reply.lock().unwrap().take().unwrap());
        let client = builder_at(s.base_url()).build().unwrap();
        let response = client.get_captcha_code_blocking();
        assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
        assert!(
            matches!(response.error(), Some(AuthError::UnreadableBody { reason, .. }) if reason.contains(says)),
            "{says}: {response:?}"
        );
        assert!(response.captcha_image().is_err());
    }
}

#[test]
fn a_failure_envelope_is_the_servers_answer() {
    let s = Server::scripted(|_| {
        Reply::Json(
            r#"{"statusCode":404,"message":"应用不存在","apiCode":2011,"requestId":"r-3"}"#.into(),
        )
    });
    let client = builder_at(s.base_url()).build().unwrap();
    let response = client.get_captcha_code_blocking();
    assert_eq!((response.status_code(), response.api_code()), (404, 2011));
    assert_eq!(response.request_id(), Some("r-3"));
    assert!(matches!(response.captcha_image(), Err(AuthError::Api(_))));
}

#[test]
fn pre_check_code_sends_the_specs_body_without_a_bearer_when_nobody_is_signed_in() {
    let s = server(SIGNED_IN, EXPIRED);
    let client = builder_at(s.base_url()).build().unwrap();
    let mut sms = PreCheckCodePayload::sms("18812345678", "1234", SmsType::CHANNEL_REGISTER);
    sms.set_phone_country_code("+86");
    let response = client.pre_check_code_blocking(sms);
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/pre-check-code")
    );
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(
        body(&sent),
        json!({"codeType": "SMS", "smsCodePayload": {"phone": "18812345678", "passCode": "1234",
            "phoneCountryCode": "+86", "channel": "CHANNEL_REGISTER"}})
    );
    let result = response.pre_check_code_result().unwrap();
    assert!(!result.is_valid());
    assert_eq!(result.message(), Some("验证码已过期"));
    client.pre_check_code_blocking(PreCheckCodePayload::email(
        "Alice@Example.com",
        "123456",
        EmailType::CHANNEL_LOGIN,
    ));
    assert_eq!(
        body(&s.next_request()),
        json!({"codeType": "EMAIL", "emailCodePayload": {"email": "Alice@Example.com",
            "passCode": "123456", "channel": "CHANNEL_LOGIN"}})
    );
}

#[test]
fn pre_check_code_sends_the_sessions_bearer_when_someone_is_signed_in() {
    let s = server(SIGNED_IN, VALID);
    let client = signed_in(&s);
    let response = client.pre_check_code_blocking(PreCheckCodePayload::email(
        "mike@example.com",
        "123456",
        EmailType::CHANNEL_UPDATE_EMAIL,
    ));
    assert!(response.pre_check_code_result().unwrap().is_valid());
    assert_eq!(
        s.next_request().header("authorization"),
        Some("Bearer at-1")
    );
}

#[test]
fn bad_input_answers_10010_and_sends_nothing() {
    let s = server(SIGNED_IN, VALID);
    let client = builder_at(s.base_url()).build().unwrap();
    let mut bad_country = PreCheckCodePayload::sms("18812345678", "1234", SmsType::CHANNEL_LOGIN);
    bad_country.set_phone_country_code("86x");
    for (payload, field) in [
        (
            PreCheckCodePayload::sms("188-1234", "1234", SmsType::CHANNEL_LOGIN),
            "phone",
        ),
        (
            PreCheckCodePayload::sms("18812345678", "", SmsType::CHANNEL_LOGIN),
            "pass_code",
        ),
        (bad_country, "phone_country_code"),
        (
            PreCheckCodePayload::email("nobody", "1234", EmailType::CHANNEL_LOGIN),
            "email",
        ),
        (
            PreCheckCodePayload::email("a@b.co", "12 34", EmailType::CHANNEL_LOGIN),
            "pass_code",
        ),
    ] {
        let response = client.pre_check_code_blocking(payload);
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
        assert!(
            response.message().contains(field),
            "{field}: {}",
            response.message()
        );
    }
    let mut bad = AuthOptions::new();
    bad.set_captcha_code("a b");
    let response = client.sign_in_by_user_name_password_blocking("mike", "passw0rd", bad);
    assert_eq!(response.status_code(), codes::INVALID_INPUT);
    assert!(
        response.message().contains("captcha_code"),
        "{}",
        response.message()
    );
    s.assert_no_request();
}

#[test]
fn the_callback_forms_call_back_exactly_once_with_the_blocking_answer() {
    let s = server(SIGNED_IN, VALID);
    let client = builder_at(s.base_url()).build().unwrap();
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client.get_captcha_code(tx.clone()).join().unwrap();
    let bad = PreCheckCodePayload::email("nobody", "1", EmailType::CHANNEL_LOGIN);
    client.pre_check_code(bad, tx).join().unwrap();
    let answers: Vec<(i32, bool)> = rx
        .iter()
        .map(|r| (r.status_code(), r.captcha_image().is_ok()))
        .collect();
    assert_eq!(answers, vec![(200, true), (codes::INVALID_INPUT, false)]);
    assert_eq!(route(&s.next_request()), "/api/v3/captcha-code");
    s.assert_no_request();
}
