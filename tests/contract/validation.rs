//! Bad input gets a clear, specific error before anything goes on the wire, and bad
//! settings are refused by the builder.

use crate::common::{Reply, Server};
use crate::PHONE;
use authing::{
    codes, AuthClient, AuthError, EmailType, PasswordEncryptType, ResetPasswordPayload,
    ResetPasswordVerifyMethod, SmsType,
};

const EMAIL: ResetPasswordVerifyMethod = ResetPasswordVerifyMethod::EMAIL_PASSCODE;

fn payload(fields: &[(&str, &str)]) -> ResetPasswordPayload {
    let mut p = ResetPasswordPayload::new();
    for (field, value) in fields {
        match *field {
            "phone_number" => p.set_phone_number(*value),
            "phone_country_code" => p.set_phone_country_code(*value),
            "pass_code" => p.set_pass_code(*value),
            "email" => p.set_email(*value),
            other => panic!("unknown field {other}"),
        };
    }
    p
}

#[test]
fn each_bad_payload_is_refused_locally_with_a_specific_message() {
    let server = Server::start(Reply::Json(r#"{"statusCode":200,"message":"ok"}"#.into()));
    let client = AuthClient::builder()
        .app_id("app")
        .app_host(server.base_url())
        .build()
        .unwrap();
    let long_digits = "1".repeat(21);
    let long_email = format!("{}@example.com", "a".repeat(250));
    let long_code = "1".repeat(33);
    type Case<'a> = (ResetPasswordVerifyMethod, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (PHONE, vec![("pass_code", "1234")], "invalid input: phone_number is missing"),
        (PHONE, vec![("phone_number", ""), ("pass_code", "1234")], "invalid input: phone_number is empty"),
        (PHONE, vec![("phone_number", "   "), ("pass_code", "1234")], "invalid input: phone_number is only whitespace"),
        (PHONE, vec![("phone_number", "188-1234"), ("pass_code", "1234")], "invalid input: phone_number must contain digits only"),
        (PHONE, vec![("phone_number", "+8618812345678"), ("pass_code", "1234")], "invalid input: phone_number starts with '+'; put the country code in phone_country_code and the national number here"),
        (PHONE, vec![("phone_number", &long_digits), ("pass_code", "1234")], "invalid input: phone_number is longer than 20 digits"),
        (PHONE, vec![("phone_number", "18812345678"), ("phone_country_code", "0086"), ("pass_code", "1234")], "invalid input: phone_country_code starts with 0, which is a dialling prefix, not part of a country code; write \"+86\" rather than \"0086\""),
        (PHONE, vec![("phone_number", "18812345678"), ("phone_country_code", "+86 "), ("pass_code", "1234")], "invalid input: phone_country_code must be 1 to 4 digits, with or without a leading '+', such as \"+86\""),
        (PHONE, vec![("phone_number", "18812345678")], "invalid input: pass_code is missing"),
        (PHONE, vec![("phone_number", "18812345678"), ("pass_code", " ")], "invalid input: pass_code is only whitespace"),
        (PHONE, vec![("phone_number", "18812345678"), ("pass_code", "12 34")], "invalid input: pass_code must contain letters or digits only"),
        (PHONE, vec![("phone_number", "18812345678"), ("pass_code", &long_code)], "invalid input: pass_code is longer than 32 characters"),
        (PHONE, vec![("phone_number", "18812345678"), ("pass_code", "1234"), ("email", "a@b.co")], "invalid input: email is set, but the verify method is PHONE_PASSCODE; clear it or use EMAIL_PASSCODE"),
        (EMAIL, vec![("pass_code", "1234")], "invalid input: email is missing"),
        (EMAIL, vec![("email", "not-an-email"), ("pass_code", "1234")], "invalid input: email is not an email address"),
        (EMAIL, vec![("email", "a b@example.com"), ("pass_code", "1234")], "invalid input: email contains whitespace or control characters"),
        (EMAIL, vec![("email", &long_email), ("pass_code", "1234")], "invalid input: email is longer than 254 bytes"),
        (EMAIL, vec![("email", "a@b.co"), ("pass_code", "1234"), ("phone_country_code", "+86")], "invalid input: phone_country_code is set, but the verify method is EMAIL_PASSCODE; clear it or use PHONE_PASSCODE"),
    ];
    for (method, fields, message) in cases {
        let response = client.reset_password_request_blocking(method, payload(&fields));
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{fields:?}");
        assert_eq!(response.error().unwrap().to_string(), message, "{fields:?}");
        assert!(matches!(response.error(), Some(AuthError::InvalidInput(_))));
    }
    let bad_calls = [
        client.send_sms_blocking("+86", "", SmsType::CHANNEL_RESET_PASSWORD),
        client.send_sms_blocking("0086", "18812345678", SmsType::CHANNEL_RESET_PASSWORD),
        client.send_email_blocking("nobody", EmailType::CHANNEL_RESET_PASSWORD),
        client.reset_password_blocking("", "new password", PasswordEncryptType::none),
        client.reset_password_blocking("tok en", "new password", PasswordEncryptType::none),
        client.reset_password_blocking("tok", "   ", PasswordEncryptType::none),
        client.reset_password_blocking("tok", "new\u{0}password", PasswordEncryptType::none),
        client.reset_password_blocking("tok", &"p".repeat(1025), PasswordEncryptType::none),
    ];
    for response in bad_calls {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
    }
    server.assert_no_request();
}

#[test]
fn error_messages_never_repeat_a_secret() {
    let client = AuthClient::builder()
        .app_id("app")
        .app_host("http://127.0.0.1:9")
        .build()
        .unwrap();
    let r = client.reset_password_blocking(
        "secret token",
        "hunter2 with space",
        PasswordEncryptType::none,
    );
    assert!(!r.message().contains("secret token"), "{}", r.message());
    let r = client.reset_password_blocking("tok", "hunter2\u{7}", PasswordEncryptType::none);
    assert!(!r.message().contains("hunter2"), "{}", r.message());
}

#[test]
fn the_builder_refuses_malformed_settings_and_names_them() {
    let cases: Vec<(authing::AuthClientBuilder, &str)> = vec![
        (AuthClient::builder().app_host("ftp://x.com"), "invalid setting app_host: the scheme must be http or https"),
        (AuthClient::builder().app_host("https://"), "invalid setting app_host: has no host"),
        (AuthClient::builder().app_host("https://a b.com"), "invalid setting app_host: contains whitespace"),
        (AuthClient::builder().app_host("https://x.com?q=1"), "invalid setting app_host: must not have a query or fragment"),
        (AuthClient::builder().app_host("https://user@x.com"), "invalid setting app_host: must not contain user information"),
        (AuthClient::builder().app_host("http://x.com:99999"), "invalid setting app_host: has a malformed port"),
        (AuthClient::builder().app_id("a/b"), "invalid setting app_id: must be 1 to 128 ascii letters, digits, '-', '_' or '.', with a letter or digit"),
        (AuthClient::builder().app_id(""), "invalid setting app_id: is empty"),
        (AuthClient::builder().app_id(".."), "invalid setting app_id: must be 1 to 128 ascii letters, digits, '-', '_' or '.', with a letter or digit"),
        (AuthClient::builder().app_host("https://myapp.authing.cn"), "invalid setting app_id: is missing; every call sends it as x-authing-app-id"),
        (AuthClient::builder().access_token("tok\nInjected: 1"), "invalid setting access_token: must be visible ascii without spaces (it is sent as an http header)"),
        (AuthClient::builder().user_pool_id("pool 1"), "invalid setting user_pool_id: must be visible ascii without spaces (it is sent as an http header)"),
        (AuthClient::builder().scheme("ftp"), "invalid setting scheme: must be http or https"),
        (AuthClient::builder().timeout(std::time::Duration::ZERO), "invalid setting timeout: must be longer than zero"),
        (AuthClient::builder().max_concurrent_requests(0), "invalid setting max_concurrent_requests: must be from 1 to 1024"),
        (AuthClient::builder().max_queued_requests(0), "invalid setting max_queued_requests: must be at least 1"),
    ];
    for (builder, message) in cases {
        let error = builder.build().unwrap_err();
        assert_eq!(error.to_string(), message);
        assert!(!error.to_string().contains("Injected"));
    }
}

#[test]
fn the_builder_accepts_the_usual_hosts() {
    for host in [
        "https://myapp.authing.cn",
        "http://127.0.0.1:8787/",
        "myapp.authing.cn",
        "https://auth.example.com/prefix",
        "http://[::1]:8080",
    ] {
        assert!(
            AuthClient::builder()
                .app_id("app")
                .app_host(host)
                .build()
                .is_ok(),
            "{host}"
        );
    }
}
