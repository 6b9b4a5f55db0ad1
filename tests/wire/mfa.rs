//! The MFA family's exact bytes, against the scripted loopback server: the bodies and
//! query the spec describes, the bearer each call carries (the session's access token for
//! factor management, the challenge's `mfaToken` for the Guard v2 completions), and a
//! completion answered as Authing's v2 server does (a `token` and `tokenExpiredAt`, no v3
//! token set).

use crate::common::{client_at, Reply, Server, DEADLINE};
use crate::{body, route, USER};
use authing::{codes, FactorProfile, FactorType};
use serde_json::{json, Value};

const TOKENS: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","token_type":"Bearer","expire_in":3600}}"#;
const CHALLENGE: &str = r#"{"statusCode":401,"apiCode":1636,"message":"请进行二次认证","data":{"mfaToken":"mfa-tok-1","applicationMfa":[{"mfaPolicy":"OTP","status":1,"sort":1}],"totpMfaEnabled":true}}"#;

/// A server that signs in with `sign_in`, answers the profile, and `ok` everything else.
fn server(sign_in: &'static str) -> Server {
    Server::scripted(move |req| {
        match route(req) {
        "/api/v3/signin" => Reply::Json(sign_in.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        "/api/v3/get-factor" => Reply::Json(
            r#"{"statusCode":200,"message":"","data":{"factorId":"f 1","factorType":"SMS","profile":{}}}"#.into(),
        ),
        "/api/v2/mfa/totp/verify" => Reply::Json(
            json!({"code": 200, "message": "", "data": {
                "id": "u-1", "token": "v2-token", "tokenExpiredAt": "2099-01-01T00:00:00.000Z"
            }})
            .to_string(),
        ),
        "/api/v2/mfa/totp/recovery" => Reply::Json(
            r#"{"code":6002,"message":"Totp 恢复码错误","data":null}"#.into(),
        ),
        "/api/v2/applications/mfa/sms/verify" | "/api/v2/applications/mfa/email/verify" => {
            Reply::Json(r#"{"code":2001,"message":"验证码错误","data":null}"#.into())
        }
        _ => Reply::Json(r#"{"statusCode":200,"message":"","data":{}}"#.into()),
    }
    })
}

#[test]
fn get_factor_percent_encodes_the_factor_id_in_its_query() {
    let server = server(TOKENS);
    let client = client_at(server.base_url());
    assert!(client
        .sign_in_by_account_password_blocking("mike", "pw", None)
        .is_success());
    server.next_request();
    server.next_request();
    let answer = client.get_factor_blocking("f 1&x=2/é");
    assert_eq!(answer.factor().unwrap().factor_id(), "f 1");
    let req = server.next_request();
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.path,
        "/api/v3/get-factor?factorId=f%201%26x%3D2%2F%C3%A9"
    );
    assert_eq!(req.header("authorization"), Some("Bearer at-1"));
}

#[test]
fn the_factor_calls_send_the_specs_bodies_with_the_sessions_bearer() {
    let server = server(TOKENS);
    let client = client_at(server.base_url());
    assert!(client
        .sign_in_by_account_password_blocking("mike", "pw", None)
        .is_success());
    server.next_request();
    server.next_request();

    let mut profile = FactorProfile::new();
    profile
        .set_phone_country_code("86")
        .set_phone_number("18812345678");
    client.send_enroll_factor_request_blocking(FactorType::SMS, profile);
    client.enroll_factor_blocking(FactorType::SMS, "enrol-tok", "1234");
    client.reset_factor_blocking("f-1");
    client.mfa_totp_verify_blocking("123456");
    client.list_enrolled_factors_blocking();
    client.list_factors_to_enroll_blocking();
    let expected = [
        (
            "POST",
            "/api/v3/send-enroll-factor-request",
            json!({"factorType": "SMS", "profile": {"phoneNumber": "18812345678", "phoneCountryCode": "+86"}}),
        ),
        (
            "POST",
            "/api/v3/enroll-factor",
            json!({"factorType": "SMS", "enrollmentToken": "enrol-tok", "enrollmentData": {"passCode": "1234"}}),
        ),
        ("POST", "/api/v3/reset-factor", json!({"factorId": "f-1"})),
        ("POST", "/api/v3/mfa-totp-verify", json!({"totp": "123456"})),
        ("GET", "/api/v3/list-enrolled-factors", Value::Null),
        ("GET", "/api/v3/list-factors-to-enroll", Value::Null),
    ];
    for (method, path, sent) in expected {
        let req = server.next_request();
        assert_eq!((req.method.as_str(), req.path.as_str()), (method, path));
        assert_eq!(req.header("authorization"), Some("Bearer at-1"), "{path}");
        if sent.is_null() {
            assert!(req.body.is_empty(), "{path}");
        } else {
            assert_eq!(body(&req), sent, "{path}");
            assert!(req
                .header("content-type")
                .unwrap()
                .starts_with("application/json"));
        }
    }
}

#[test]
fn a_challenge_is_completed_through_guards_v2_endpoint_with_the_mfa_token_as_bearer() {
    let server = server(CHALLENGE);
    let client = client_at(server.base_url());
    let challenged = client.sign_in_by_account_password_blocking("mike", "pw", None);
    assert_eq!(
        (challenged.status_code(), challenged.api_code()),
        (401, 1636)
    );
    assert_eq!(
        challenged.mfa_challenge().unwrap().factors(),
        &[FactorType::OTP]
    );
    server.next_request();
    server.assert_no_request();
    assert!(client.get_token().is_none());

    let done = client.mfa_verify_by_otp_blocking("123456");
    assert_eq!(done.status_code(), 200, "{done:?}");
    let req = server.next_request();
    assert_eq!(req.path, "/api/v2/mfa/totp/verify");
    assert_eq!(req.header("authorization"), Some("Bearer mfa-tok-1"));
    assert_eq!(
        body(&req),
        json!({"authenticatorType": "totp", "totp": "123456"})
    );
    // The v2 `token` becomes the session's access token, and the user is fetched with it.
    let profile = server.next_request();
    assert_eq!(profile.header("authorization"), Some("Bearer v2-token"));
    let tokens = client.get_token().expect("signed in");
    assert_eq!(tokens.access_token(), "v2-token");
    assert!(tokens.expire_in() > 3600 * 24 * 365, "{tokens:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
}

#[test]
fn the_other_completions_send_guards_bodies_and_a_v2_failure_reads_as_its_api_code() {
    let server = server(CHALLENGE);
    let client = client_at(server.base_url());
    client.sign_in_by_account_password_blocking("mike", "pw", None);
    server.next_request();
    let refused = client.mfa_verify_by_recovery_code_blocking("e7ad-aaa4");
    assert_eq!((refused.status_code(), refused.api_code()), (6002, 6002));
    assert_eq!(refused.message(), "Totp 恢复码错误");
    let req = server.next_request();
    assert_eq!(req.path, "/api/v2/mfa/totp/recovery");
    assert_eq!(
        body(&req),
        json!({"authenticatorType": "totp", "recoveryCode": "e7ad-aaa4"})
    );
    // A wrong code leaves the challenge: the next tries go out with the same bearer.
    client.mfa_verify_by_phone_blocking("86", "18812345678", "1234");
    let req = server.next_request();
    assert_eq!(req.path, "/api/v2/applications/mfa/sms/verify");
    assert_eq!(req.header("authorization"), Some("Bearer mfa-tok-1"));
    assert_eq!(
        body(&req),
        json!({"phoneCountryCode": "+86", "phone": "18812345678", "code": "1234"})
    );
    client.mfa_verify_by_email_blocking("mike@example.com", "5678");
    let req = server.next_request();
    assert_eq!(req.path, "/api/v2/applications/mfa/email/verify");
    assert_eq!(
        body(&req),
        json!({"email": "mike@example.com", "code": "5678"})
    );
}

#[test]
fn a_completion_refused_as_not_signed_in_ends_the_challenge() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/signin" => Reply::Json(CHALLENGE.into()),
        _ => Reply::Json(r#"{"code":2020,"message":"mfaToken expired","data":null}"#.into()),
    });
    let client = client_at(server.base_url());
    client.sign_in_by_account_password_blocking("mike", "pw", None);
    server.next_request();
    assert_eq!(client.mfa_verify_by_otp_blocking("123456").api_code(), 2020);
    server.next_request();
    assert_eq!(
        client.mfa_verify_by_otp_blocking("123456").status_code(),
        codes::MFA_CHALLENGE_MISSING
    );
    server.assert_no_request();
}

/// A completion answered with `token_expired_at` as its v2 `tokenExpiredAt`.
fn completed_with(token_expired_at: &'static str) -> Server {
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(CHALLENGE.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(
            json!({"code": 200, "message": "", "data": {
                "id": "u-1", "token": "v2-token", "tokenExpiredAt": token_expired_at
            }})
            .to_string(),
        ),
    })
}

#[test]
fn a_hostile_token_expired_at_answers_10004_and_never_panics() {
    // Issue 19 A1: a full-width plus (a multi-byte character where the offset's sign
    // goes), a year past i64's seconds, and a handful of their neighbours.
    for hostile in [
        "2099-01-01T00:00:00＋08:00",
        "+99999999-01-01T00:00:00Z",
        "99999999999999-01-01T00:00:00Z",
        "2099-01-01T00:00:00.000＋0",
        "２０９９-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "2099-13-01T00:00:00Z",
        "2099-01-01T24:00:00Z",
        "2099-01-01T00:00:00+99:99",
        "é",
    ] {
        let server = completed_with(hostile);
        let client = client_at(server.base_url());
        client.sign_in_by_account_password_blocking("mike", "pw", None);
        server.next_request();
        let done = client.mfa_verify_by_otp_blocking("123456");
        assert_eq!(
            done.status_code(),
            codes::JSON_PARSE_FAILED,
            "{hostile}: {done:?}"
        );
        assert!(
            done.message().contains("tokenExpiredAt"),
            "{hostile}: {done:?}"
        );
        assert_eq!(server.next_request().path, "/api/v2/mfa/totp/verify");
        // No session: the profile is not fetched and no token is kept.
        assert!(client.get_token().is_none(), "{hostile}");

        // The callback form answers the same, not 10013 ("the sdk panicked").
        client.sign_in_by_account_password_blocking("mike", "pw", None);
        server.next_request();
        let (tx, rx) = std::sync::mpsc::channel();
        let handle = client.mfa_verify_by_otp("123456", tx);
        let done = rx.recv_timeout(DEADLINE).expect("the callback ran");
        assert!(handle.join().is_ok());
        assert_eq!(
            done.status_code(),
            codes::JSON_PARSE_FAILED,
            "{hostile}: {done:?}"
        );
        server.next_request();
    }
}
