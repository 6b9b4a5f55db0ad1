//! The WeChat helpers on the wire, against the scripted loopback server: the exact bodies,
//! the session's bearer, the local checks (10010 or 10015, nothing sent) and how answers
//! are read.

use crate::common::{client_at, Reply, Server};
use crate::{body, route, signed_in};
use authing::codes;
use serde_json::json;

const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"it-1","refresh_token":"rt-1","token_type":"Bearer","expires_in":3600}}"#;
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;
const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

/// A server that signs `mike` in and answers every other path with `answer`.
fn server(answer: serde_json::Value) -> Server {
    let answer = json!({"statusCode": 200, "message": "", "data": answer}).to_string();
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(answer.clone()),
    })
}

#[test]
fn decrypt_posts_the_four_fields_with_the_bearer_and_hands_back_the_object() {
    let s = server(json!({"nickName": "Band", "watermark": {"appid": "wx1"}}));
    let client = signed_in(&s);
    let answer =
        client.decrypt_wechat_mini_program_data_blocking("my-wxapp", "CiyLU1Aw+/==", IV, "c-1");
    assert_eq!(answer.status_code(), 200);
    assert_eq!(answer.data().unwrap()["nickName"], "Band");
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), route(&sent)),
        ("POST", "/api/v3/decrypt-wechat-miniprogram-data")
    );
    assert_eq!(
        body(&sent),
        json!({"extIdpConnidentifier": "my-wxapp", "encryptedData": "CiyLU1Aw+/==", "iv": IV, "code": "c-1"})
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert!(sent
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));

    for (identifier, data, iv, code) in [
        ("", "AAAA", IV, "c"),
        ("my-wxapp", "not base64!", IV, "c"),
        ("my-wxapp", "AAAA", "AAAA", "c"),
        ("my-wxapp", "AAAA", IV, "c 1"),
    ] {
        let refused = client.decrypt_wechat_mini_program_data_blocking(identifier, data, iv, code);
        assert_eq!(refused.status_code(), codes::INVALID_INPUT, "{refused:?}");
    }
    s.assert_no_request();
}

#[test]
fn the_phone_and_the_access_token_post_their_bodies_and_read_typed_answers() {
    let s = Server::scripted(|req| {
        match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        "/api/v3/get-wechat-miniprogram-phone" => Reply::Json(
            json!({"statusCode": 200, "message": "", "data": {"countryCode": "86", "phoneNumber": "13800138000", "purePhoneNumber": "13800138000"}}).to_string(),
        ),
        _ => Reply::Json(
            json!({"statusCode": 200, "message": "", "data": {"accessToken": "wx-at-9", "expiresAt": "2026-01-01T00:00:00.000Z"}}).to_string(),
        ),
    }
    });
    let client = signed_in(&s);
    let phone = client
        .get_wechat_mini_program_phone_blocking("my-wxapp", "p-1")
        .wechat_phone()
        .unwrap();
    assert_eq!(
        (phone.country_code(), phone.pure_phone_number()),
        ("86", "13800138000")
    );
    let sent = s.next_request();
    assert_eq!(route(&sent), "/api/v3/get-wechat-miniprogram-phone");
    assert_eq!(
        body(&sent),
        json!({"extIdpConnidentifier": "my-wxapp", "code": "p-1"})
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));

    for (call, path) in [
        (
            client.get_wechat_mp_access_token_info_blocking("wx-1", "s3cret"),
            "/api/v3/get-wechat-access-token-info",
        ),
        (
            client.get_wechat_mp_access_token_blocking("wx-1", "s3cret"),
            "/api/v3/get-wechat-access-token",
        ),
    ] {
        let token = call.wechat_access_token().unwrap();
        assert_eq!(token.access_token(), "wx-at-9");
        assert_eq!(token.expires_at(), "2026-01-01T00:00:00.000Z");
        assert!(!format!("{token:?}").contains("wx-at-9"), "debug hides it");
        let sent = s.next_request();
        assert_eq!(route(&sent), path);
        assert_eq!(body(&sent), json!({"appId": "wx-1", "appSecret": "s3cret"}));
        assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    }
    let refused = client.get_wechat_mp_access_token_info_blocking("wx-1", "");
    assert_eq!(refused.status_code(), codes::INVALID_INPUT);
    s.assert_no_request();
}

#[test]
fn without_a_session_nothing_is_sent() {
    let s = server(json!({}));
    let client = client_at(s.base_url());
    for refused in [
        client.decrypt_wechat_mini_program_data_blocking("my-wxapp", "AAAA", IV, "c-1"),
        client.get_wechat_mini_program_phone_blocking("my-wxapp", "p-1"),
        client.get_wechat_mp_access_token_info_blocking("wx-1", "s"),
        client.get_wechat_mp_access_token_blocking("wx-1", "s"),
    ] {
        assert_eq!(refused.status_code(), codes::NOT_SIGNED_IN, "{refused:?}");
    }
    s.assert_no_request();
}
