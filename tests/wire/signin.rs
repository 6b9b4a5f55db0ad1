//! What goes on the wire for sign-up, sign-in, the session's calls and the country list,
//! and how their answers are read, against a scripted loopback server.

use std::sync::mpsc;

use crate::common::{self, Reply, Server, DEADLINE, QUIET};
use crate::{body, route};
use authing::emulator::Emulator;
use authing::{
    codes, AuthClient, AuthError, AuthOptions, AuthProfile, AuthResponse, Lang,
    PasswordEncryptType, DEFAULT_SCOPE,
};
use serde_json::{json, Value};

const TOKENS: &str = r#"{"statusCode":200,"message":"","requestId":"req-7","data":{"access_token":"at-1","id_token":"it-1","refresh_token":"rt-1","token_type":"Bearer","expire_in":7200}}"#;
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike","email":"mike@example.com","createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-01-01T00:00:00.000Z","status":"Activated","workStatus":"Active","gender":"U","emailVerified":true,"phoneVerified":false,"userSourceType":"register"}}"#;
const REFRESHED: &str =
    r#"{"access_token":"at-2","id_token":"it-2","token_type":"Bearer","expires_in":3600}"#;
const COUNTRIES: &str = r#"{"statusCode":200,"message":"","data":[{"alpha2":"CN","alpha3":"CHN","phoneCountryCode":"+86","flag":"🇨🇳","name":{"zh-CN":{"enabled":true,"value":"中国"},"en-US":{"enabled":true,"value":"China"},"zh-TW":{"enabled":false,"value":""},"ja-JP":{"enabled":false,"value":""}}}]}"#;

/// A server that answers like Authing on every path these calls use.
fn authing_like() -> Server {
    Server::scripted(|req| match route(req) {
        "/api/v3/signin" => Reply::Json(TOKENS.into()),
        "/api/v3/get-profile" | "/api/v3/signup" => Reply::Json(USER.into()),
        "/api/v3/get-country-list" => Reply::Json(COUNTRIES.into()),
        "/oidc/token" => Reply::Json(REFRESHED.into()),
        "/oidc/token/revocation" => Reply::Raw(200, "application/json", String::new()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    })
}

fn client_for(server: &Server) -> AuthClient {
    common::client_at(server.base_url())
}

fn default_options() -> Value {
    json!({"passwordEncryptType": "none", "scope": DEFAULT_SCOPE, "autoRegister": false})
}

/// Signs in by account and password and consumes the sign-in and profile requests.
fn signed_in(server: &Server) -> AuthClient {
    let client = client_for(server);
    let response = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(route(&server.next_request()), "/api/v3/signin");
    assert_eq!(route(&server.next_request()), "/api/v3/get-profile");
    client
}

#[test]
fn a_sign_in_by_account_password_sends_the_spec_body_with_androids_default_options() {
    let server = authing_like();
    let response =
        client_for(&server).sign_in_by_account_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let req = server.next_request();
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/api/v3/signin");
    assert_eq!(
        req.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(req.header("x-authing-app-id"), Some(common::APP_ID));
    assert_eq!(req.header("authorization"), None);
    assert_eq!(
        body(&req),
        json!({
            "connection": "PASSWORD",
            "passwordPayload": {"account": "mike", "password": "passw0rd"},
            "options": default_options(),
        })
    );
    // Key order as in Android's body: connection, payload, options.
    assert!(req.body_text().starts_with(r#"{"connection":"PASSWORD","passwordPayload":{"account":"mike","password":"passw0rd"},"options":{"#));
}

#[test]
fn each_password_sign_in_names_its_identifier_in_the_password_payload() {
    let server = authing_like();
    let client = client_for(&server);
    let calls: Vec<(AuthResponse, Value)> = vec![
        (
            client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None),
            json!({"username": "mike", "password": "passw0rd"}),
        ),
        (
            client.sign_in_by_email_password_blocking("mike@example.com", "passw0rd", None),
            json!({"email": "mike@example.com", "password": "passw0rd"}),
        ),
        (
            client.sign_in_by_phone_password_blocking("18812345678", "passw0rd", None),
            json!({"phone": "18812345678", "password": "passw0rd"}),
        ),
    ];
    for (response, payload) in calls {
        assert_eq!(response.status_code(), 200, "{response:?}");
        let req = server.next_request();
        assert_eq!(body(&req)["connection"], "PASSWORD");
        assert_eq!(body(&req)["passwordPayload"], payload);
        assert_eq!(route(&server.next_request()), "/api/v3/get-profile");
    }
}

#[test]
fn pass_code_sign_ins_send_the_pass_code_payload_and_leave_out_a_missing_country_code() {
    let server = authing_like();
    let client = client_for(&server);
    let calls: Vec<(AuthResponse, Value)> = vec![
        (
            client.sign_in_by_phone_pass_code_blocking("+86", "18812345678", "1234", None),
            json!({"phoneCountryCode": "+86", "phone": "18812345678", "passCode": "1234"}),
        ),
        (
            client.sign_in_by_phone_pass_code_blocking(None, "18812345678", "1234", None),
            json!({"phone": "18812345678", "passCode": "1234"}),
        ),
        (
            client.sign_in_by_email_pass_code_blocking("mike@example.com", "123456", None),
            json!({"email": "mike@example.com", "passCode": "123456"}),
        ),
    ];
    for (response, payload) in calls {
        assert_eq!(response.status_code(), 200, "{response:?}");
        let sent = body(&server.next_request());
        assert_eq!(sent["connection"], "PASSCODE");
        assert_eq!(sent["passCodePayload"], payload);
        assert!(sent.get("passwordPayload").is_none());
        assert_eq!(route(&server.next_request()), "/api/v3/get-profile");
    }
}

#[test]
fn directory_sign_ins_send_ad_and_ldap_payloads_with_the_sam_account_name() {
    let server = authing_like();
    let client = client_for(&server);
    assert_eq!(
        client
            .sign_in_by_ad_blocking("mike", "passw0rd", None)
            .status_code(),
        200
    );
    let ad = body(&server.next_request());
    server.next_request();
    assert_eq!(
        client
            .sign_in_by_ldap_blocking("mike", "passw0rd", None)
            .status_code(),
        200
    );
    let ldap = body(&server.next_request());
    server.next_request();
    assert_eq!(ad["connection"], "AD");
    assert_eq!(
        ad["adPayload"],
        json!({"sAMAccountName": "mike", "password": "passw0rd"})
    );
    assert!(ad.get("ldapPayload").is_none());
    assert_eq!(ldap["connection"], "LDAP");
    assert_eq!(
        ldap["ldapPayload"],
        json!({"sAMAccountName": "mike", "password": "passw0rd"})
    );
    assert!(ldap.get("adPayload").is_none());
}

#[test]
fn the_options_that_are_set_are_sent_and_those_of_sign_up_only_are_not() {
    let server = authing_like();
    let mut options = AuthOptions::new();
    options
        .set_scope("openid profile offline_access")
        .set_auto_register(true)
        .set_client_ip("203.0.113.7")
        .set_context(json!({"source": "desktop"}))
        .set_tenant_id("tenant-1")
        .set_custom_data(json!({"plan": "pro"}))
        .set_captcha_code("x7k2")
        .set_phone_pass_code_for_information_completion("1234");
    let response = client_for(&server).sign_in_by_email_password_blocking(
        "mike@example.com",
        "passw0rd",
        options,
    );
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(
        body(&server.next_request())["options"],
        json!({
            "clientIp": "203.0.113.7",
            "context": {"source": "desktop"},
            "passwordEncryptType": "none",
            "scope": "openid profile offline_access",
            "tenantId": "tenant-1",
            "customData": {"plan": "pro"},
            "captchaCode": "x7k2",
            "autoRegister": true,
        })
    );
}

#[test]
fn a_successful_sign_in_fetches_the_profile_once_with_the_new_bearer_and_keeps_the_session() {
    let server = authing_like();
    let client = client_for(&server);
    assert!(client.get_current_user().is_none());
    let response = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), 200);
    assert_eq!(response.request_id(), Some("req-7"));
    let tokens = response.login_token_data().unwrap();
    assert_eq!(tokens.access_token(), "at-1");
    assert_eq!(tokens.id_token(), Some("it-1"));
    assert_eq!(tokens.refresh_token(), Some("rt-1"));
    assert_eq!(tokens.expire_in(), 7200);
    assert!(!tokens.is_expired());
    server.next_request();
    let profile = server.next_request();
    assert_eq!(profile.method, "GET");
    assert_eq!(
        profile.path,
        "/api/v3/get-profile?withCustomData=false&withIdentities=false&withDepartmentIds=false"
    );
    assert_eq!(profile.header("authorization"), Some("Bearer at-1"));
    server.assert_no_request();
    let user = client.get_current_user().expect("the session's user");
    assert_eq!(user.user_id(), "u-1");
    assert_eq!(user.username(), Some("mike"));
    assert!(user.email_verified());
    assert_eq!(client.get_token().unwrap().access_token(), "at-1");
}

#[test]
fn a_failed_sign_in_keeps_the_servers_answer_and_starts_no_session() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":403,"apiCode":2333,"message":"Account not exists or password is incorrect.","requestId":"req-9"}"#.into(),
    ));
    let client = client_for(&server);
    let response = client.sign_in_by_account_password_blocking("mike", "wrong", None);
    assert_eq!(response.status_code(), 403);
    assert_eq!(response.api_code(), 2333);
    assert_eq!(response.request_id(), Some("req-9"));
    assert!(matches!(response.error(), Some(AuthError::Api(_))));
    server.next_request();
    server.assert_no_request();
    assert!(client.get_current_user().is_none());
    assert!(client.get_token().is_none());
}

#[test]
fn a_sign_in_answer_without_an_access_token_is_10004_and_starts_no_session() {
    let server = Server::start(Reply::Json(
        r#"{"statusCode":200,"message":"","requestId":"req-3","data":{"token_type":"Bearer","expire_in":7200}}"#.into(),
    ));
    let client = client_for(&server);
    let response = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(
        response.error().unwrap().to_string(),
        "unexpected response: the answer has no access_token"
    );
    assert_eq!(response.request_id(), Some("req-3"));
    assert!(client.get_token().is_none());
}

#[test]
fn a_sign_in_whose_profile_fetch_fails_still_signs_in_without_a_user() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/signin" => Reply::Json(TOKENS.into()),
        _ => Reply::Raw(502, "text/plain", "bad gateway".into()),
    });
    let client = client_for(&server);
    let response = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(client.get_current_user().is_none());
    assert_eq!(client.get_token().unwrap().access_token(), "at-1");
}

#[test]
fn sign_ups_send_the_spec_body_and_do_not_sign_in() {
    let server = authing_like();
    let client = client_for(&server);
    let mut profile = AuthProfile::new();
    profile
        .set_nickname("Mike")
        .set_given_name("Mike")
        .set_gender("M")
        .set_custom_data(json!({"team": "blue"}));
    let mut options = AuthOptions::new();
    options
        .set_client_ip("::1")
        .set_email_pass_code_for_information_completion("654321")
        .set_auto_register(true);
    let calls: Vec<(AuthResponse, Value)> = vec![
        (
            client.sign_up_by_user_name_password_blocking(
                "mike",
                "passw0rd",
                profile.clone(),
                options.clone(),
            ),
            json!({
                "connection": "PASSWORD",
                "passwordPayload": {"username": "mike", "password": "passw0rd"},
                "profile": {"nickname": "Mike", "givenName": "Mike", "gender": "M", "customData": {"team": "blue"}},
                "options": {"clientIp": "::1", "emailPassCodeForInformationCompletion": "654321", "context": {}, "passwordEncryptType": "none"},
            }),
        ),
        (
            client.sign_up_by_email_password_blocking("mike@example.com", "passw0rd", None, None),
            json!({
                "connection": "PASSWORD",
                "passwordPayload": {"email": "mike@example.com", "password": "passw0rd"},
                "options": {"context": {}, "passwordEncryptType": "none"},
            }),
        ),
        (
            client.sign_up_by_email_pass_code_blocking("mike@example.com", "123456", None, None),
            json!({
                "connection": "PASSCODE",
                "passCodePayload": {"email": "mike@example.com", "passCode": "123456"},
                "options": {"context": {}, "passwordEncryptType": "none"},
            }),
        ),
        (
            client.sign_up_by_phone_pass_code_blocking("+86", "18812345678", "1234", None, None),
            json!({
                "connection": "PASSCODE",
                "passCodePayload": {"phoneCountryCode": "+86", "phone": "18812345678", "passCode": "1234"},
                "options": {"context": {}, "passwordEncryptType": "none"},
            }),
        ),
    ];
    for (response, expected) in calls {
        assert_eq!(response.status_code(), 200, "{response:?}");
        assert_eq!(response.user_info().unwrap().user_id(), "u-1");
        let req = server.next_request();
        assert_eq!(req.path, "/api/v3/signup");
        assert_eq!(req.header("authorization"), None);
        assert_eq!(body(&req), expected);
    }
    server.assert_no_request();
    assert!(client.get_token().is_none(), "a sign-up does not sign in");
}

#[test]
fn an_rsa_sign_in_fetches_the_key_first_and_never_sends_the_password_in_plain_text() {
    let emulator = Emulator::start().unwrap();
    let system = common::client_at(emulator.base_url())
        .system_blocking()
        .data()
        .unwrap()
        .to_string();
    let server = Server::scripted(move |req| match route(req) {
        "/api/v3/system" => Reply::Json(system.clone()),
        "/api/v3/signin" => Reply::Json(TOKENS.into()),
        _ => Reply::Json(USER.into()),
    });
    let mut options = AuthOptions::new();
    options.set_password_encrypt_type(PasswordEncryptType::rsa);
    let response = client_for(&server).sign_in_by_ad_blocking("mike", "passw0rd", options);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(server.next_request().path, "/api/v3/system");
    let sent = body(&server.next_request());
    assert_eq!(sent["options"]["passwordEncryptType"], "rsa");
    let wire = sent["adPayload"]["password"].as_str().unwrap();
    assert_ne!(wire, "passw0rd");
    assert!(wire.len() > 100, "an rsa-2048 ciphertext in base64: {wire}");
}

#[test]
fn an_rsa_sign_in_without_a_published_key_is_10014_and_sends_no_sign_in() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/system" => Reply::Json(r#"{"sm2":{"publicKey":"04ab"}}"#.into()),
        _ => Reply::Json(TOKENS.into()),
    });
    let mut options = AuthOptions::new();
    options.set_password_encrypt_type(PasswordEncryptType::rsa);
    let response = client_for(&server)
        .sign_up_by_user_name_password_blocking("mike", "passw0rd", None, options);
    assert_eq!(response.status_code(), codes::ENCRYPTION_FAILED);
    assert_eq!(
        response.error().unwrap().to_string(),
        "password encryption failed: the server published no rsa public key"
    );
    assert_eq!(server.next_request().path, "/api/v3/system");
    server.assert_no_request();
}

#[test]
fn a_sign_in_whose_key_the_server_rejects_fetches_the_key_again_and_signs_in_once_more() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // The SM2 base point G: a valid key, then the emulator's own (another valid key).
    const SM2_G: &str = "0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7\
                         bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";
    let emulator = Emulator::start().unwrap();
    let fresh = common::client_at(emulator.base_url())
        .system_blocking()
        .data()
        .unwrap()["sm2"]["publicKey"]
        .as_str()
        .unwrap()
        .to_string();
    let (fetches, sign_ins) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let server = Server::scripted(move |req| match route(req) {
        "/api/v3/system" => {
            let key = match fetches.fetch_add(1, Ordering::SeqCst) {
                0 => SM2_G.to_string(),
                _ => fresh.clone(),
            };
            Reply::Json(json!({"sm2": {"publicKey": key}}).to_string())
        }
        "/api/v3/signin" => match sign_ins.fetch_add(1, Ordering::SeqCst) {
            0 => Reply::Json(
                r#"{"statusCode":400,"apiCode":2231,"message":"password does not decrypt as sm2"}"#
                    .into(),
            ),
            _ => Reply::Json(TOKENS.into()),
        },
        _ => Reply::Json(USER.into()),
    });
    let mut options = AuthOptions::new();
    options.set_password_encrypt_type(PasswordEncryptType::sm2);
    let response =
        client_for(&server).sign_in_by_user_name_password_blocking("mike", "passw0rd", options);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let paths: Vec<String> = (0..5)
        .map(|_| route(&server.next_request()).to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v3/system",
            "/api/v3/signin",
            "/api/v3/system",
            "/api/v3/signin",
            "/api/v3/get-profile"
        ]
    );
    server.assert_no_request();
}

#[test]
fn get_profile_sends_the_three_flags_and_the_bearer_and_updates_the_user() {
    let server = authing_like();
    let client = signed_in(&server);
    let response = client.get_profile_blocking(true, false, true);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let req = server.next_request();
    assert_eq!(
        req.path,
        "/api/v3/get-profile?withCustomData=true&withIdentities=false&withDepartmentIds=true"
    );
    assert_eq!(req.header("authorization"), Some("Bearer at-1"));
    assert_eq!(
        response.user_info().unwrap().email(),
        Some("mike@example.com")
    );
}

#[test]
fn get_country_list_needs_no_session_and_reads_the_countries() {
    let server = authing_like();
    let response = client_for(&server).get_country_list_blocking();
    assert_eq!(response.status_code(), 200, "{response:?}");
    let req = server.next_request();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("GET", "/api/v3/get-country-list")
    );
    assert_eq!(req.header("authorization"), None);
    let countries = response.country_list().unwrap();
    assert_eq!(countries.len(), 1);
    assert_eq!(countries[0].alpha2(), "CN");
    assert_eq!(countries[0].alpha3(), "CHN");
    assert_eq!(countries[0].phone_country_code(), "+86");
    assert_eq!(countries[0].name(Lang::EnUs), Some("China"));
    assert_eq!(countries[0].name(Lang::JaJp), None);
}

#[test]
fn get_country_list_sends_the_bearer_of_a_fresh_session() {
    let server = authing_like();
    let client = signed_in(&server);
    client.get_country_list_blocking();
    assert_eq!(
        server.next_request().header("authorization"),
        Some("Bearer at-1")
    );
}

#[test]
fn the_refresh_is_a_form_post_to_the_token_endpoint_and_its_plain_answer_renews_the_session() {
    let server = authing_like();
    let client = signed_in(&server);
    let response = client.get_new_access_token_by_refresh_token_blocking(None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(response.login_token_data().unwrap().access_token(), "at-2");
    let req = server.next_request();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/oidc/token")
    );
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(req.header("authorization"), None);
    assert_eq!(
        req.body_text(),
        "client_id=demo-app&grant_type=refresh_token&refresh_token=rt-1"
    );
    let tokens = client.get_token().unwrap();
    assert_eq!(tokens.access_token(), "at-2");
    assert_eq!(
        tokens.refresh_token(),
        Some("rt-1"),
        "kept: the answer had none"
    );
    assert_eq!(tokens.expire_in(), 3600);
    assert_eq!(
        client.get_current_user().unwrap().user_id(),
        "u-1",
        "the user stays"
    );
}

#[test]
fn a_refresh_token_of_your_own_is_percent_encoded_and_starts_a_session_without_a_user() {
    let server = authing_like();
    let client = client_for(&server);
    let response = client.get_new_access_token_by_refresh_token_blocking("a+b/c=");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(
        server.next_request().body_text(),
        "client_id=demo-app&grant_type=refresh_token&refresh_token=a%2Bb%2Fc%3D"
    );
    assert_eq!(client.get_token().unwrap().access_token(), "at-2");
    assert!(client.get_current_user().is_none());
}

#[test]
fn a_refused_refresh_answers_the_servers_oauth_error_as_is() {
    let server = Server::scripted(|req| match route(req) {
        "/oidc/token" => Reply::Raw(
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"refresh token expired"}"#.into(),
        ),
        _ => Reply::Json(TOKENS.into()),
    });
    let client = client_for(&server);
    let response = client.get_new_access_token_by_refresh_token_blocking("rt-x");
    assert_eq!(response.status_code(), 400);
    assert!(
        response.message().contains("invalid_grant"),
        "{}",
        response.message()
    );
    assert!(matches!(
        response.error(),
        Some(AuthError::HttpStatus { status: 400 })
    ));
}

#[test]
fn logout_revokes_the_refresh_token_then_the_access_token_then_clears_the_session() {
    let server = authing_like();
    let client = signed_in(&server);
    let response = client.logout_blocking();
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(response.data(), Some(&json!({"revoked": true})));
    for token in ["rt-1", "at-1"] {
        let req = server.next_request();
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("POST", "/oidc/token/revocation")
        );
        assert_eq!(
            req.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.header("authorization"), None);
        assert_eq!(req.body_text(), format!("client_id=demo-app&token={token}"));
    }
    server.assert_no_request();
    assert!(client.get_current_user().is_none());
    assert!(client.get_token().is_none());
}

#[test]
fn a_revocation_answered_with_the_specs_envelope_counts_as_revoked() {
    let server = Server::scripted(|req| match route(req) {
        "/oidc/token/revocation" => {
            Reply::Json(r#"{"statusCode":200,"message":"","data":{"success":true}}"#.into())
        }
        "/api/v3/signin" => Reply::Json(TOKENS.into()),
        _ => Reply::Json(USER.into()),
    });
    let client = signed_in(&server);
    assert_eq!(
        client.logout_blocking().data(),
        Some(&json!({"revoked": true}))
    );
}

#[test]
fn bad_input_is_refused_locally_with_a_specific_message_and_nothing_on_the_wire() {
    let server = authing_like();
    let client = client_for(&server);
    let opts = |f: &dyn Fn(&mut AuthOptions)| {
        let mut o = AuthOptions::new();
        f(&mut o);
        o
    };
    let profile = |f: &dyn Fn(&mut AuthProfile)| {
        let mut p = AuthProfile::new();
        f(&mut p);
        p
    };
    let long_password = "p".repeat(1025);
    let long_account = "a".repeat(257);
    let cases: Vec<(AuthResponse, &str)> = vec![
        (client.sign_in_by_account_password_blocking("", "passw0rd", None), "invalid input: account is empty"),
        (client.sign_in_by_account_password_blocking("   ", "passw0rd", None), "invalid input: account is only whitespace"),
        (client.sign_in_by_account_password_blocking(&long_account, "passw0rd", None), "invalid input: account is longer than 256 characters"),
        (client.sign_in_by_account_password_blocking("mi\u{0}ke", "passw0rd", None), "invalid input: account contains control characters"),
        (client.sign_in_by_account_password_blocking("mike", "", None), "invalid input: password is empty"),
        (client.sign_in_by_account_password_blocking("mike", " \t", None), "invalid input: password is only whitespace"),
        (client.sign_in_by_account_password_blocking("mike", &long_password, None), "invalid input: password is longer than 1024 characters"),
        (client.sign_in_by_user_name_password_blocking("", "passw0rd", None), "invalid input: username is empty"),
        (client.sign_in_by_email_password_blocking("mike", "passw0rd", None), "invalid input: email is not an email address"),
        (client.sign_in_by_phone_password_blocking("188-1234", "passw0rd", None), "invalid input: phone must contain digits only"),
        (client.sign_in_by_phone_password_blocking("+8618812345678", "passw0rd", None), "invalid input: phone starts with '+'; put the country code in phone_country_code and the national number here"),
        (client.sign_in_by_phone_pass_code_blocking("0086", "18812345678", "1234", None), "invalid input: phone_country_code starts with 0, which is a dialling prefix, not part of a country code; write \"+86\" rather than \"0086\""),
        (client.sign_in_by_phone_pass_code_blocking(None, "18812345678", "12 34", None), "invalid input: pass_code must contain letters or digits only"),
        (client.sign_in_by_email_pass_code_blocking("mike@example.com", "", None), "invalid input: pass_code is empty"),
        (client.sign_in_by_ad_blocking("", "passw0rd", None), "invalid input: s_am_account_name is empty"),
        (client.sign_in_by_ldap_blocking("mike", "", None), "invalid input: password is empty"),
        (client.sign_in_by_account_password_blocking("mike", "passw0rd", opts(&|o| { o.set_scope("profile email"); })), "invalid input: options.scope must contain openid"),
        (client.sign_in_by_account_password_blocking("mike", "passw0rd", opts(&|o| { o.set_scope(""); })), "invalid input: options.scope is empty"),
        (client.sign_in_by_account_password_blocking("mike", "passw0rd", opts(&|o| { o.set_client_ip("localhost"); })), "invalid input: options.client_ip is not an ipv4 or ipv6 address"),
        (client.sign_in_by_account_password_blocking("mike", "passw0rd", opts(&|o| { o.set_context("source=desktop"); })), "invalid input: options.context must be a json object"),
        (client.sign_in_by_account_password_blocking("mike", "passw0rd", opts(&|o| { o.set_custom_data(json!([1])); })), "invalid input: options.custom_data must be a json object"),
        (client.sign_in_by_account_password_blocking("mike", "passw0rd", opts(&|o| { o.set_tenant_id("tenant 1"); })), "invalid input: options.tenant_id must contain visible ascii characters only"),
        (client.sign_in_by_account_password_blocking("mike", "passw0rd", opts(&|o| { o.set_captcha_code(" "); })), "invalid input: options.captcha_code is only whitespace"),
        (client.sign_up_by_user_name_password_blocking("", "passw0rd", None, None), "invalid input: username is empty"),
        (client.sign_up_by_email_password_blocking("mike@example", "passw0rd", None, None), "invalid input: email is not an email address"),
        (client.sign_up_by_email_password_blocking("mike@example.com", &long_password, None, None), "invalid input: password is longer than 1024 characters"),
        (client.sign_up_by_email_pass_code_blocking("mike@example.com", "1234567890123456789012345678901234", None, None), "invalid input: pass_code is longer than 32 characters"),
        (client.sign_up_by_phone_pass_code_blocking(None, "", "1234", None, None), "invalid input: phone is empty"),
        (client.sign_up_by_user_name_password_blocking("mike", "passw0rd", profile(&|p| { p.set_gender("male"); }), None), "invalid input: profile.gender must be M, F or U"),
        (client.sign_up_by_user_name_password_blocking("mike", "passw0rd", profile(&|p| { p.set_email("nobody"); }), None), "invalid input: profile.email is not an email address"),
        (client.sign_up_by_user_name_password_blocking("mike", "passw0rd", profile(&|p| { p.set_nickname(""); }), None), "invalid input: profile.nickname is empty"),
        (client.sign_up_by_user_name_password_blocking("mike", "passw0rd", None, opts(&|o| { o.set_phone_pass_code_for_information_completion("12-34"); })), "invalid input: options.phone_pass_code_for_information_completion must contain letters or digits only"),
        (client.get_new_access_token_by_refresh_token_blocking("rt 1"), "invalid input: refresh_token must contain visible ascii characters only"),
        (client.get_new_access_token_by_refresh_token_blocking(""), "invalid input: refresh_token is empty"),
    ];
    for (response, message) in cases {
        assert_eq!(
            response.status_code(),
            codes::INVALID_INPUT,
            "{message}: {response:?}"
        );
        assert_eq!(response.error().unwrap().to_string(), message);
        assert!(matches!(response.error(), Some(AuthError::InvalidInput(_))));
    }
    server.assert_no_request();
    assert!(client.get_token().is_none());
}

#[test]
fn a_refused_sign_in_calls_back_exactly_once() {
    let server = authing_like();
    let (tx, rx) = mpsc::channel();
    let handle = client_for(&server).sign_in_by_email_password("nobody", "passw0rd", None, tx);
    let response = rx.recv_timeout(DEADLINE).expect("one callback");
    handle.join().unwrap();
    assert_eq!(response.status_code(), codes::INVALID_INPUT);
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
    server.assert_no_request();
}

#[test]
fn every_sign_in_and_session_call_has_a_callback_form_that_answers_once() {
    let server = authing_like();
    let client = client_for(&server);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .sign_in_by_account_password("mike", "passw0rd", None, tx.clone())
        .join()
        .unwrap();
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    let handles = vec![
        client.sign_in_by_user_name_password("mike", "passw0rd", None, tx.clone()),
        client.sign_in_by_email_password("mike@example.com", "passw0rd", None, tx.clone()),
        client.sign_in_by_phone_password("18812345678", "passw0rd", None, tx.clone()),
        client.sign_in_by_phone_pass_code("+86", "18812345678", "1234", None, tx.clone()),
        client.sign_in_by_email_pass_code("mike@example.com", "123456", None, tx.clone()),
        client.sign_in_by_ad("mike", "passw0rd", None, tx.clone()),
        client.sign_in_by_ldap("mike", "passw0rd", None, tx.clone()),
        client.sign_up_by_user_name_password("mike", "passw0rd", None, None, tx.clone()),
        client.sign_up_by_email_password("mike@example.com", "passw0rd", None, None, tx.clone()),
        client.sign_up_by_email_pass_code("mike@example.com", "123456", None, None, tx.clone()),
        client.sign_up_by_phone_pass_code(None, "18812345678", "1234", None, None, tx.clone()),
        client.get_profile(false, false, false, tx.clone()),
        client.get_country_list(tx.clone()),
        client.get_new_access_token_by_refresh_token(None, tx.clone()),
    ];
    for handle in handles {
        handle.join().unwrap();
    }
    client.logout(tx.clone()).join().unwrap();
    drop(tx);
    let answers: Vec<AuthResponse> = rx.iter().collect();
    assert_eq!(answers.len(), 15);
    for answer in answers {
        assert_eq!(answer.status_code(), 200, "{answer:?}");
    }
}

#[test]
fn secrets_stay_out_of_debug_output_and_messages() {
    let server = authing_like();
    let client = client_for(&server);
    let response = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    let tokens = response.login_token_data().unwrap();
    let mut options = AuthOptions::new();
    options
        .set_captcha_code("cap123")
        .set_email_pass_code_for_information_completion("987654");
    let shown = format!(
        "{response:?} {tokens:?} {:?} {options:?} {client:?} {:?}",
        client.get_current_user(),
        authing::Session::new(tokens.clone(), None),
    );
    for secret in ["at-1", "it-1", "rt-1", "passw0rd", "cap123", "987654"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let refused = client.sign_in_by_account_password_blocking("mike", "pass\u{7}w0rd", None);
    assert_eq!(
        refused.error().unwrap().to_string(),
        "invalid input: password contains control characters"
    );
}

/// A server like `authing_like` whose sign-in answers `tokens` (the data of the envelope).
fn signing_in_with(tokens: Value) -> Server {
    let answer = json!({"statusCode": 200, "message": "", "data": tokens}).to_string();
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(answer.clone()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    })
}

/// An unsigned compact JWS over `claims` (the signature part is a placeholder).
fn jws(claims: Value) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    format!(
        "{}.{}.c2ln",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The user the callback of a sign-in on `server` sees; the sign-in's request is taken
/// off the server's log.
fn user_at_callback(server: &Server) -> authing::UserInfo {
    let client = client_for(server);
    let (tx, rx) = mpsc::channel();
    let reader = client.clone();
    let _handle =
        client.sign_in_by_account_password("mike", "passw0rd", None, move |r: AuthResponse| {
            let _ = tx.send((r, reader.get_current_user()));
        });
    let (response, user) = rx.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(route(&server.next_request()), "/api/v3/signin");
    user.expect("signed in at the callback")
}

#[test]
fn without_an_id_token_or_without_a_sub_in_it_the_profile_is_fetched_before_the_callback() {
    for id_token in [
        None,
        Some("it-1".to_string()),
        Some(jws(json!({"email": "mike@example.com"}))),
    ] {
        let mut tokens = json!({"access_token": "at-1", "token_type": "Bearer", "expire_in": 7200});
        if let Some(id_token) = &id_token {
            tokens["id_token"] = json!(id_token);
        }
        let server = signing_in_with(tokens);
        let user = user_at_callback(&server);
        // The profile's own user, there when the callback ran: fetched in the sign-in's path.
        assert!(!user.is_partial(), "{id_token:?}");
        assert_eq!(user.status(), Some("Activated"), "{id_token:?}");
        let profile = server.next_request();
        assert_eq!(route(&profile), "/api/v3/get-profile");
        assert_eq!(profile.header("authorization"), Some("Bearer at-1"));
        server.assert_no_request();
    }
}

#[test]
fn an_id_token_with_a_sub_is_the_user_at_the_callback_under_the_profiles_field_names() {
    let id_token = jws(json!({
        "sub": "u-1", "aud": "demo-app", "iss": "https://x.authing.cn/oidc", "exp": 4102444800u64,
        "email": "mike@example.com", "email_verified": true, "phone_number": "18812345678",
        "phone_number_verified": false, "nickname": "Mike", "picture": "https://x/p.png",
        "username": "mike", "gender": "M", "updated_at": "2024-01-01T00:00:00.000Z",
    }));
    let server = signing_in_with(
        json!({"access_token": "at-1", "id_token": id_token, "token_type": "Bearer", "expire_in": 7200}),
    );
    let user = user_at_callback(&server);
    assert!(user.is_partial());
    assert_eq!(
        user.data(),
        &json!({
            "userId": "u-1", "email": "mike@example.com", "emailVerified": true,
            "phone": "18812345678", "phoneVerified": false, "nickname": "Mike",
            "photo": "https://x/p.png", "username": "mike", "gender": "M",
            "updatedAt": "2024-01-01T00:00:00.000Z",
        })
    );
    // Then the full profile, after the callback, with the sign-in's token.
    let profile = server.next_request();
    assert_eq!(
        profile.path,
        "/api/v3/get-profile?withCustomData=false&withIdentities=false&withDepartmentIds=false"
    );
    assert_eq!(profile.header("authorization"), Some("Bearer at-1"));
    server.assert_no_request();
}
