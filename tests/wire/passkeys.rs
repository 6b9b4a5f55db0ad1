//! The passkey (webauthn) family on the wire, against the scripted loopback server: the
//! exact method, path, headers and body of each call (removeCredential's real id in the
//! path), the clientDataJSON the flows write (type, challenge, origin), how answers are
//! read (the list bare or in the envelope), and the local checks (10010 / 10015, nothing
//! sent).

use crate::common::{builder_at, Reply, Server, APP_ID};
use crate::{body, route, signed_in};
use authing::passkey::{Assertion, NewCredential, SoftwareAuthenticator};
use authing::{codes, AuthOptions, AuthResponse, AuthenticatorCode};
use serde_json::{json, Value};
use std::sync::mpsc;

const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"id.token/1+2","refresh_token":"rt-1","token_type":"Bearer","expire_in":3600}}"#;
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;
const OK: &str = r#"{"statusCode":200,"message":"ok","requestId":"r-1","data":{"success":true}}"#;
/// The spec's registration options (its examples: `timeout` a string).
const REGISTRATION: &str = r#"{"statusCode":200,"message":"","data":{"ticket":"t-reg","registrationOptions":{
  "challenge":"Y2hhbGxlbmdl","rp":{"id":"example.com","name":"Example"},
  "user":{"id":"dS0x","name":"mike","displayName":"Mike"},
  "pubKeyCredParams":[{"alg":-7,"type":"public-key"},{"alg":-257,"type":"public-key"}],
  "excludeCredentials":[{"id":"AQID","type":"public-key","transports":["internal"]}],
  "timeout":"60000"}}}"#;
const AUTHENTICATION: &str = r#"{"statusCode":200,"message":"","data":{"ticket":"t-auth","authenticationOptions":{
  "challenge":"Y2hhbGxlbmdl","rpId":"example.com","allowCredentials":[],"timeout":60000}}}"#;
const VERIFIED: &str = r#"{"statusCode":200,"message":"","data":{"verified":true}}"#;
const SIGNED_IN_BY_PASSKEY: &str = r#"{"statusCode":200,"message":"","data":{"verified":true,"tokenSet":{"access_token":"at-2","id_token":"id-2","refresh_token":"rt-2","token_type":"Bearer","expire_in":3600}}}"#;

/// A server that signs `mike` in and answers the webauthn paths.
fn server(list: &'static str) -> Server {
    Server::scripted(move |req| match (req.method.as_str(), route(req)) {
        (_, "/api/v3/signin") => Reply::Json(SIGNED_IN.into()),
        (_, "/api/v3/get-profile") => Reply::Json(USER.into()),
        ("GET", "/api/v3/webauthn/registration") => Reply::Json(REGISTRATION.into()),
        ("POST", "/api/v3/webauthn/registration") => Reply::Json(VERIFIED.into()),
        ("GET", "/api/v3/webauthn/authentication") => Reply::Json(AUTHENTICATION.into()),
        ("POST", "/api/v3/webauthn/authentication") => Reply::Json(SIGNED_IN_BY_PASSKEY.into()),
        (_, "/api/v3/webauthn/page-authenticator-device") => Reply::Json(list.into()),
        (_, "/api/v3/webauthn/check-valid-credentials-by-credIds") => Reply::Json(
            r#"{"statusCode":200,"message":"","data":[{"credentialId":"AQID"},"BAUG"]}"#.into(),
        ),
        _ => Reply::Json(OK.into()),
    })
}

fn b64url_decode(text: &str) -> Vec<u8> {
    let standard = text.replace('-', "+").replace('_', "/");
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in standard.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64url: {text}"),
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

#[test]
fn init_register_options_gets_with_the_bearer_and_reads_the_spec_shape() {
    let s = server(OK);
    let client = signed_in(&s);
    let options = client
        .init_register_options_blocking()
        .registration_options()
        .unwrap();
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/api/v3/webauthn/registration")
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert_eq!(sent.header("x-authing-app-id"), Some(APP_ID));
    assert!(sent.body.is_empty());
    assert_eq!(options.ticket(), "t-reg");
    let creation = options.creation();
    assert_eq!(
        (creation.rp_id(), creation.rp_name()),
        ("example.com", "Example")
    );
    assert_eq!(creation.user_id(), b"u-1");
    assert_eq!(
        (creation.user_name(), creation.user_display_name()),
        ("mike", "Mike")
    );
    assert_eq!(creation.challenge(), "Y2hhbGxlbmdl");
    assert_eq!(creation.algorithms(), [-7, -257]);
    assert_eq!(creation.exclude_credentials(), [vec![1u8, 2, 3]]);
    assert_eq!(creation.timeout(), std::time::Duration::from_secs(60));
    assert_eq!(creation.user_verification(), "preferred");
}

#[test]
fn init_authentication_options_sends_the_app_id_and_no_bearer() {
    let s = server(OK);
    let client = signed_in(&s);
    let options = client
        .init_authentication_options_blocking()
        .authentication_options()
        .unwrap();
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/api/v3/webauthn/authentication")
    );
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("x-authing-app-id"), Some(APP_ID));
    assert_eq!(options.ticket(), "t-auth");
    assert_eq!(options.request().rp_id(), "example.com");
    assert!(options.request().allow_credentials().is_empty());
}

#[test]
fn verify_register_posts_the_credential_base64url_with_the_bearer() {
    let s = server(OK);
    let client = signed_in(&s);
    let credential = NewCredential::new(vec![0xfb, 0xff, 0x01], vec![0xa0]).transports(["usb"]);
    let response =
        client.verify_register_blocking("t-reg", &credential, b"{}", Some(AuthenticatorCode::Face));
    assert!(response.passkey_verification().unwrap().verified());
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/webauthn/registration")
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert_eq!(
        sent.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        body(&sent),
        json!({
            "ticket": "t-reg",
            "authenticatorCode": "face",
            "registrationCredential": {
                "id": "-_8B",
                "rawId": "-_8B",
                "response": {"attestationObject": "oA", "clientDataJSON": "e30"},
                "transports": ["usb"],
                "type": "public-key",
            },
        })
    );
}

#[test]
fn verify_authentication_posts_the_assertion_and_starts_the_session_from_the_token_set() {
    let s = server(OK);
    let client = builder_at(s.base_url()).build().unwrap();
    let assertion =
        Assertion::new(vec![1, 2, 3], vec![4; 37], vec![0x30, 0x01]).user_handle(b"u-1".to_vec());
    let mut options = AuthOptions::new();
    options.set_scope("openid profile offline_access");
    let response = client.verify_authentication_blocking("t-auth", &assertion, b"{}", options);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v3/webauthn/authentication")
    );
    assert_eq!(sent.header("authorization"), None);
    let sent = body(&sent);
    assert_eq!(
        sent["authenticationCredential"],
        json!({
            "id": "AQID",
            "rawId": "AQID",
            "response": {
                "authenticatorData": "BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBA",
                "clientDataJSON": "e30",
                "signature": "MAE",
                "userHandle": "dS0x",
            },
            "type": "public-key",
        })
    );
    assert_eq!(sent["ticket"], "t-auth");
    assert_eq!(sent["options"]["scope"], "openid profile offline_access");
    // The session: the user is fetched with the new token, as after every sign-in.
    let profile = s.next_request();
    assert_eq!(route(&profile), "/api/v3/get-profile");
    assert_eq!(profile.header("authorization"), Some("Bearer at-2"));
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
    let tokens = response.passkey_verification().unwrap();
    assert_eq!(tokens.token_set().unwrap().access_token(), "at-2");
}

#[test]
fn remove_credential_puts_the_real_id_in_the_path() {
    let s = server(OK);
    let client = signed_in(&s);
    assert!(client.remove_credential_blocking("AQID-_8").is_success());
    let sent = s.next_request();
    assert_eq!(sent.method, "POST");
    // Not the literal `{credentialID}` the Java, Node and Python SDKs send.
    assert_eq!(sent.path, "/api/v3/webauthn/remove-credential/AQID-_8");
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert_eq!(body(&sent), json!({}));
}

#[test]
fn list_check_and_remove_all_send_the_mobile_sdks_bodies() {
    let s = server(r#"{"totalCount":1,"list":[{"credentialId":"AQID"}]}"#);
    let client = signed_in(&s);
    let list = client
        .list_credentials_by_page_blocking(Some(AuthenticatorCode::Fingerprint))
        .passkey_list()
        .unwrap();
    assert_eq!(
        (list.total_count(), list.credential_ids()),
        (1, vec!["AQID".to_string()])
    );
    let sent = s.next_request();
    assert_eq!(sent.path, "/api/v3/webauthn/page-authenticator-device");
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert_eq!(body(&sent), json!({"authenticatorCode": "fingerprint"}));
    client.list_credentials_by_page_blocking(None);
    assert_eq!(body(&s.next_request()), json!({}));

    let valid = client
        .check_valid_credentials_by_cred_ids_blocking(
            &["AQID", "BAUG"],
            Some(AuthenticatorCode::Other),
        )
        .valid_credential_ids()
        .unwrap();
    assert_eq!(valid, ["AQID", "BAUG"]);
    let sent = s.next_request();
    assert_eq!(
        sent.path,
        "/api/v3/webauthn/check-valid-credentials-by-credIds"
    );
    assert_eq!(
        body(&sent),
        json!({"credentialIds": ["AQID", "BAUG"], "authenticatorCode": "other"})
    );

    assert!(client
        .remove_all_credentials_blocking(Some(AuthenticatorCode::Face))
        .is_success());
    let sent = s.next_request();
    assert_eq!(
        sent.path,
        "/api/v3/webauthn/remove-credentials-by-authenticator-code"
    );
    assert_eq!(body(&sent), json!({"authenticatorCode": "face"}));
}

#[test]
fn the_list_is_read_in_the_envelope_too() {
    let s = server(
        r#"{"statusCode":200,"message":"","data":{"totalCount":2,"list":[{"id":"a"},{"id":"b"}]}}"#,
    );
    let client = signed_in(&s);
    let list = client
        .list_credentials_by_page_blocking(None)
        .passkey_list()
        .unwrap();
    assert_eq!(list.credential_ids(), ["a", "b"]);
    assert_eq!(list.total_count(), 2);
}

#[test]
fn the_flows_write_client_data_with_the_challenge_and_the_rp_ids_origin_or_the_builders() {
    for (origin, expected) in [
        (None, "https://example.com"),
        (Some("https://app.example.com"), "https://app.example.com"),
    ] {
        let s = server(OK);
        let mut builder = builder_at(s.base_url());
        if let Some(origin) = origin {
            builder = builder.passkey_origin(origin);
        }
        let client = builder.build().unwrap();
        client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
        s.next_request();
        s.next_request();
        let authenticator = SoftwareAuthenticator::new();
        let r = client.register_passkey_blocking(&authenticator, None);
        assert_eq!(r.status_code(), 200, "{r:?}");
        assert_eq!(route(&s.next_request()), "/api/v3/webauthn/registration");
        let sent = body(&s.next_request());
        assert!(sent.get("authenticatorCode").is_none());
        let data = b64url_decode(
            sent["registrationCredential"]["response"]["clientDataJSON"]
                .as_str()
                .unwrap(),
        );
        assert_eq!(
            String::from_utf8(data).unwrap(),
            format!(
                r#"{{"type":"webauthn.create","challenge":"Y2hhbGxlbmdl","origin":"{expected}","crossOrigin":false}}"#
            )
        );

        let r = client.sign_in_by_passkey_blocking(&authenticator, None);
        assert_eq!(r.status_code(), 200, "{r:?}");
        assert_eq!(route(&s.next_request()), "/api/v3/webauthn/authentication");
        let sent = body(&s.next_request());
        let data: Value = serde_json::from_slice(&b64url_decode(
            sent["authenticationCredential"]["response"]["clientDataJSON"]
                .as_str()
                .unwrap(),
        ))
        .unwrap();
        assert_eq!(
            data,
            json!({"type": "webauthn.get", "challenge": "Y2hhbGxlbmdl", "origin": expected, "crossOrigin": false})
        );
        assert_eq!(
            sent["authenticationCredential"]["response"]["userHandle"],
            "dS0x"
        );
    }
}

#[test]
fn a_bad_passkey_origin_is_refused_by_build() {
    for origin in ["example.com", "https://example.com/path", "https://a b", ""] {
        let error = builder_at("http://127.0.0.1:9")
            .passkey_origin(origin)
            .build()
            .unwrap_err();
        assert_eq!(error.setting(), "passkey_origin", "{origin:?}");
    }
}

#[test]
fn bad_input_answers_10010_and_sends_nothing() {
    let s = server(OK);
    let client = signed_in(&s);
    let credential = NewCredential::new(vec![1], vec![0xa0]);
    let assertion = Assertion::new(vec![1], vec![0; 37], vec![0x30]);
    for response in [
        client.remove_credential_blocking(""),
        client.remove_credential_blocking("has/slash"),
        client.remove_credential_blocking("a+b"),
        client.check_valid_credentials_by_cred_ids_blocking(&[], None),
        client.check_valid_credentials_by_cred_ids_blocking(&["ok", "not base64!"], None),
        client.verify_register_blocking("", &credential, b"{}", None),
        client.verify_register_blocking("t", &NewCredential::new(vec![], vec![0xa0]), b"{}", None),
        client.verify_register_blocking("t", &credential, b"", None),
        client.verify_authentication_blocking(
            "t",
            &Assertion::new(vec![1], vec![], vec![0x30]),
            b"{}",
            None,
        ),
        client.verify_authentication_blocking("bad ticket", &assertion, b"{}", None),
    ] {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
    }
    s.assert_no_request();
}

#[test]
fn without_a_signed_in_user_the_user_calls_answer_10015_and_send_nothing() {
    let s = server(OK);
    let client = builder_at(s.base_url()).build().unwrap();
    let credential = NewCredential::new(vec![1], vec![0xa0]);
    for response in [
        client.init_register_options_blocking(),
        client.verify_register_blocking("t", &credential, b"{}", None),
        client.list_credentials_by_page_blocking(None),
        client.check_valid_credentials_by_cred_ids_blocking(&["AQID"], None),
        client.remove_credential_blocking("AQID"),
        client.remove_all_credentials_blocking(None),
        client.register_passkey_blocking(&SoftwareAuthenticator::new(), None),
    ] {
        assert_eq!(response.status_code(), codes::NOT_SIGNED_IN, "{response:?}");
    }
    s.assert_no_request();
}

#[test]
fn the_callback_forms_call_back_exactly_once_with_the_blocking_answer() {
    let s = server(OK);
    let client = signed_in(&s);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client.remove_credential("AQID", tx.clone()).join().unwrap();
    client.remove_credential("", tx.clone()).join().unwrap();
    client
        .remove_all_credentials(None, tx.clone())
        .join()
        .unwrap();
    client
        .list_credentials_by_page(None, tx.clone())
        .join()
        .unwrap();
    client
        .check_valid_credentials_by_cred_ids(&[], None, tx.clone())
        .join()
        .unwrap();
    client.init_register_options(tx.clone()).join().unwrap();
    client.init_authentication_options(tx).join().unwrap();
    let answers: Vec<i32> = rx.iter().map(|r| r.status_code()).collect();
    assert_eq!(
        answers,
        vec![
            200,
            codes::INVALID_INPUT,
            200,
            200,
            codes::INVALID_INPUT,
            200,
            200
        ]
    );
    for path in [
        "/api/v3/webauthn/remove-credential/AQID",
        "/api/v3/webauthn/remove-credentials-by-authenticator-code",
        "/api/v3/webauthn/page-authenticator-device",
        "/api/v3/webauthn/registration",
        "/api/v3/webauthn/authentication",
    ] {
        assert_eq!(route(&s.next_request()), path);
    }
    s.assert_no_request();
}

#[test]
fn a_200_without_verified_true_signs_nobody_in_and_malformed_options_answer_10004() {
    let s = Server::scripted(|req| match (req.method.as_str(), route(req)) {
        ("GET", "/api/v3/webauthn/authentication") => Reply::Json(AUTHENTICATION.into()),
        ("POST", "/api/v3/webauthn/authentication") => {
            Reply::Json(r#"{"statusCode":200,"message":"","data":{"verified":false}}"#.into())
        }
        _ => Reply::Json(
            r#"{"statusCode":200,"message":"","data":{"ticket":"","registrationOptions":{}}}"#
                .into(),
        ),
    });
    let client = builder_at(s.base_url()).build().unwrap();
    let authenticator = SoftwareAuthenticator::new();
    // A credential for example.com, registered through the other scripted server.
    let registrar = server(OK);
    let registering = signed_in(&registrar);
    assert!(registering
        .register_passkey_blocking(&authenticator, None)
        .is_success());
    let raw = client.sign_in_by_passkey_blocking(&authenticator, None);
    assert_eq!(raw.status_code(), codes::PASSKEY_FAILED, "{raw:?}");
    assert!(
        raw.message().contains("did not verify"),
        "{}",
        raw.message()
    );
    assert!(client.get_current_user().is_none());
    assert_eq!(route(&s.next_request()), "/api/v3/webauthn/authentication");
    assert_eq!(route(&s.next_request()), "/api/v3/webauthn/authentication");
    s.assert_no_request(); // no profile fetched: no session

    // Options without a ticket: 10004, the authenticator never asked.
    let signed = builder_at(s.base_url())
        .access_token("at-x")
        .build()
        .unwrap();
    let r = signed.register_passkey_blocking(&authenticator, None);
    assert_eq!(r.status_code(), codes::JSON_PARSE_FAILED, "{r:?}");
    assert_eq!(route(&s.next_request()), "/api/v3/webauthn/registration");
    s.assert_no_request();
}
