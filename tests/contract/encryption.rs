//! `reset_password` with `PasswordEncryptType::rsa` and `sm2`, end to end over real HTTP:
//! the SDK encrypts with the key from `GET /api/v3/system`, the emulator decrypts.

use crate::common::{self, Captured, Reply, Server};
use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthClient, AuthError, AuthResponse, PasswordEncryptType, SmsType};
use serde_json::Value;

const PHONE: &str = "18812345678";
const KINDS: [PasswordEncryptType; 2] = [PasswordEncryptType::rsa, PasswordEncryptType::sm2];
/// The SM2 base point G: a valid public key whose private key (1) the emulator lacks.
const SM2_G: &str = "0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7\
                     bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";

fn emulator() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("+86", PHONE, "old-passw0rd"))
        .unwrap();
    emu
}

fn client_for(base_url: String, app_id: &str) -> AuthClient {
    AuthClient::builder()
        .app_id(app_id)
        .app_host(base_url)
        .build()
        .unwrap()
}

fn on(emu: &Emulator) -> AuthClient {
    client_for(emu.base_url(), emu.app_id())
}

/// Sends a reset code and verifies it: the reset answer the SDK hands back.
fn verified(emu: &Emulator, client: &AuthClient) -> AuthResponse {
    emu.advance_clock(std::time::Duration::from_secs(61)); // past the send cooldown
    let sent = client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code(PHONE).unwrap();
    let mut payload = authing::ResetPasswordPayload::new();
    payload
        .set_phone_country_code("+86")
        .set_phone_number(PHONE)
        .set_pass_code(&code);
    let verified = client.reset_password_request_blocking(
        authing::ResetPasswordVerifyMethod::PHONE_PASSCODE,
        payload,
    );
    assert_eq!(verified.status_code(), 200, "{verified:?}");
    verified
}

/// The emulator's `GET /api/v3/system` answer, as text.
fn system_json(emu: &Emulator) -> String {
    let response = on(emu).system_blocking();
    assert_eq!(response.status_code(), 200, "{response:?}");
    response.data().unwrap().to_string()
}

fn body_json(req: &Captured) -> Value {
    serde_json::from_slice(&req.body).unwrap()
}

/// POSTs `body` to the emulator as the SDK would; `(HTTP status, reply)`.
fn post_raw(emu: &Emulator, path: &str, body: &str) -> (u16, Value) {
    let agent = common::agent();
    let mut response = agent
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap())
}

#[test]
fn the_emulator_serves_keys_in_the_real_servers_formats() {
    let emu = emulator();
    let system: Value = serde_json::from_str(&system_json(&emu)).unwrap();
    let rsa = system["rsa"]["publicKey"].as_str().unwrap();
    assert!(rsa.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{rsa}");
    assert!(rsa.ends_with("\n-----END PUBLIC KEY-----\n"), "{rsa}");
    let sm2 = system["sm2"]["publicKey"].as_str().unwrap();
    assert_eq!(sm2.len(), 130, "{sm2}");
    assert!(sm2.starts_with("04"));
    assert!(sm2.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn reset_password_round_trips_through_rsa_and_sm2() {
    let emu = emulator();
    let client = on(&emu);
    for (i, kind) in KINDS.into_iter().enumerate() {
        let new_password = format!("新 passw0rd {kind} {i}");
        let reset = verified(&emu, &client).reset_password_data().unwrap();
        let response = client.reset_password_blocking(&reset, &new_password, kind);
        assert_eq!(response.status_code(), 200, "{kind}: {response:?}");
        assert!(emu.check_password(PHONE, &new_password), "{kind}");
    }
}

#[test]
fn the_composite_call_round_trips_through_rsa_and_sm2() {
    let emu = emulator();
    let client = on(&emu);
    for kind in KINDS {
        let new_password = format!("n3w {kind} password");
        emu.advance_clock(std::time::Duration::from_secs(61));
        let sent = client.send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
        assert_eq!(sent.status_code(), 200, "{sent:?}");
        let code = emu.latest_code(PHONE).unwrap();
        let response =
            client.reset_password_by_phone_blocking("+86", PHONE, &code, &new_password, kind);
        assert_eq!(response.status_code(), 200, "{kind}: {response:?}");
        assert!(emu.check_password(PHONE, &new_password), "{kind}");
    }
}

#[test]
fn the_wire_carries_the_type_and_a_ciphertext_that_the_emulator_opens() {
    let emu = emulator();
    let system = system_json(&emu);
    let server = Server::scripted(move |req| match req.path.as_str() {
        "/api/v3/system" => Reply::Json(system.clone()),
        _ => Reply::Json(r#"{"statusCode":200,"message":"ok","data":{"success":true}}"#.into()),
    });
    let spy = client_for(server.base_url(), emu.app_id());
    let client = on(&emu);
    for kind in KINDS {
        let new_password = format!("wire {kind} passw0rd");
        let response = spy.reset_password_blocking("tok-1", &new_password, kind);
        assert_eq!(response.status_code(), 200, "{response:?}");
        let mut req = server.next_request();
        if req.path == "/api/v3/system" {
            req = server.next_request();
        }
        assert_eq!(req.path, "/api/v3/reset-password");
        let body = body_json(&req);
        assert_eq!(body["passwordEncryptType"], kind.as_str());
        assert_eq!(body["passwordResetToken"], "tok-1");
        let wire = body["password"].as_str().unwrap().to_owned();
        assert_ne!(wire, new_password);
        assert!(!req.body_text().contains(&new_password));
        match kind {
            // 256 bytes of RSA 2048 ciphertext in padded base64.
            PasswordEncryptType::rsa => assert!(wire.len() == 344 && wire.ends_with('='), "{wire}"),
            // 04 + X + Y, C2 as long as the base64 of the password, 32 bytes of SM3.
            _ => {
                let b64_len = new_password.len().div_ceil(3) * 4;
                assert_eq!(wire.len(), 2 * (65 + b64_len + 32), "{wire}");
                assert!(wire.starts_with("04"), "{wire}");
                assert_eq!(wire, wire.to_lowercase());
            }
        }
        // The same body, with a real token, changes the password on the emulator.
        let reset = verified(&emu, &client).reset_password_data().unwrap();
        let replay = serde_json::json!({
            "passwordResetToken": reset.password_reset_token(),
            "password": wire,
            "passwordEncryptType": kind.as_str(),
        });
        let (status, reply) = post_raw(&emu, "/api/v3/reset-password", &replay.to_string());
        assert_eq!(
            (status, &reply["statusCode"]),
            (200, &Value::from(200)),
            "{reply}"
        );
        assert!(emu.check_password(PHONE, &new_password), "{kind}");
    }
    server.assert_no_request();
}

#[test]
fn the_key_is_fetched_once_per_client() {
    let emu = emulator();
    let system = system_json(&emu);
    let server = Server::scripted(move |req| match req.path.as_str() {
        "/api/v3/system" => Reply::Json(system.clone()),
        _ => Reply::Json(r#"{"statusCode":200,"message":"ok","data":{"success":true}}"#.into()),
    });
    for kind in KINDS {
        let client = client_for(server.base_url(), "app");
        for token in ["tok-1", "tok-2"] {
            let response = client.reset_password_blocking(token, "brand-new-pass", kind);
            assert_eq!(response.status_code(), 200, "{response:?}");
        }
        let paths: Vec<String> = (0..3).map(|_| server.next_request().path).collect();
        assert_eq!(
            paths,
            [
                "/api/v3/system",
                "/api/v3/reset-password",
                "/api/v3/reset-password"
            ],
            "{kind}"
        );
        server.assert_no_request();
    }
}

#[test]
fn a_malformed_public_key_is_10014_and_nothing_is_sent() {
    let bad_keys = [
        r#"{"rsa":{"publicKey":"not a key"},"sm2":{"publicKey":"not hex"}}"#,
        r#"{"rsa":{"publicKey":"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"},"sm2":{"publicKey":"04abcd"}}"#,
    ];
    for keys in bad_keys {
        let server = Server::scripted(move |_| Reply::Json(keys.to_owned()));
        let client = client_for(server.base_url(), "app");
        for kind in KINDS {
            let response = client.reset_password_blocking("tok-1", "secret-passw0rd", kind);
            assert_eq!(
                response.status_code(),
                codes::ENCRYPTION_FAILED,
                "{response:?}"
            );
            assert!(
                matches!(response.error(), Some(AuthError::Encryption { .. })),
                "{response:?}"
            );
            let message = response.message().to_owned();
            assert!(message.contains(&format!("{kind} public key")), "{message}");
            assert!(!message.contains("secret-passw0rd"), "{message}");
        }
        // One key fetch for the client, never a reset-password request.
        assert_eq!(server.next_request().path, "/api/v3/system");
        server.assert_no_request();
    }
}

#[test]
fn a_garbled_ciphertext_gets_the_emulators_400_and_keeps_the_token() {
    let emu = emulator();
    let client = on(&emu);
    let mut current = "old-passw0rd".to_owned();
    for (i, (kind, garbage)) in [
        (PasswordEncryptType::rsa, "bm90IGEgY2lwaGVydGV4dA=="),
        (PasswordEncryptType::rsa, "not base64 at all!"),
        (PasswordEncryptType::sm2, "04deadbeef"),
        (PasswordEncryptType::sm2, "plain text"),
    ]
    .into_iter()
    .enumerate()
    {
        let reset = verified(&emu, &client).reset_password_data().unwrap();
        let body = serde_json::json!({
            "passwordResetToken": reset.password_reset_token(),
            "password": garbage,
            "passwordEncryptType": kind.as_str(),
        });
        let (status, reply) = post_raw(&emu, "/api/v3/reset-password", &body.to_string());
        assert_eq!(status, 200, "the envelope travels as HTTP 200: {reply}");
        assert_eq!(reply["statusCode"], 400, "{reply}");
        assert_eq!(reply["apiCode"], 2231, "{reply}");
        let message = reply["message"].as_str().unwrap();
        assert!(message.contains("does not decrypt"), "{message}");
        assert!(message.contains(kind.as_str()), "{message}");
        assert!(emu.check_password(PHONE, &current));
        // The token was not spent: a real ciphertext still works with it.
        current = format!("after-garbage-{i}");
        let response = client.reset_password_blocking(&reset, &current, kind);
        assert_eq!(response.status_code(), 200, "{response:?}");
        assert!(emu.check_password(PHONE, &current));
    }
}

#[test]
fn a_ciphertext_for_another_key_gets_the_emulators_400_through_the_sdk() {
    let emu = emulator();
    let base = emu.base_url();
    let app_id = emu.app_id().to_owned();
    // Serves a valid SM2 key the emulator does not hold; forwards everything else.
    let server = Server::scripted(move |req| {
        if req.path == "/api/v3/system" {
            return Reply::Json(format!(r#"{{"sm2":{{"publicKey":"{SM2_G}"}}}}"#));
        }
        let agent = common::agent();
        let text = agent
            .post(format!("{base}{}", req.path))
            .header("content-type", "application/json")
            .header("x-authing-app-id", &app_id)
            .header("x-authing-lang", "en-US")
            .send(&req.body[..])
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        Reply::Json(text)
    });
    let reset = verified(&emu, &on(&emu)).reset_password_data().unwrap();
    let client = client_for(server.base_url(), emu.app_id());
    let response =
        client.reset_password_blocking(&reset, "for-another-key", PasswordEncryptType::sm2);
    assert_eq!(response.status_code(), 400, "{response:?}");
    assert_eq!(response.api_code(), 2231, "{response:?}");
    assert!(
        response.message().contains("does not decrypt"),
        "{response:?}"
    );
    assert!(emu.check_password(PHONE, "old-passw0rd"));
}

/// A spy in front of the emulator: `/api/v3/system` is answered by `system` (the Nth
/// fetch, from 0), everything else is forwarded to the emulator in the SDK's language.
fn key_spy(emu: &Emulator, system: impl Fn(usize) -> String + Send + Sync + 'static) -> Server {
    let base = emu.base_url();
    let app_id = emu.app_id().to_owned();
    let fetches = std::sync::atomic::AtomicUsize::new(0);
    Server::scripted(move |req| {
        if req.path == "/api/v3/system" {
            let n = fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            return Reply::Json(system(n));
        }
        let agent = common::agent();
        let mut forwarded = agent
            .post(format!("{base}{}", req.path))
            .header("content-type", "application/json")
            .header("x-authing-app-id", &app_id);
        if let Some(lang) = req.header("x-authing-lang") {
            forwarded = forwarded.header("x-authing-lang", lang);
        }
        let text = forwarded
            .send(&req.body[..])
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        Reply::Json(text)
    })
}

fn paths(server: &Server, n: usize) -> Vec<String> {
    (0..n).map(|_| server.next_request().path).collect()
}

#[test]
fn preset_keys_are_used_without_fetching_the_servers() {
    let emu = emulator();
    let system: Value = serde_json::from_str(&system_json(&emu)).unwrap();
    let spy = key_spy(&emu, |_| panic!("the keys are preset"));
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(spy.base_url())
        .rsa_public_key(system["rsa"]["publicKey"].as_str().unwrap())
        .sm2_public_key(system["sm2"]["publicKey"].as_str().unwrap())
        .build()
        .unwrap();
    let issuer = on(&emu);
    for kind in KINDS {
        let new_password = format!("preset {kind} passw0rd");
        let reset = verified(&emu, &issuer).reset_password_data().unwrap();
        let response = client.reset_password_blocking(&reset, &new_password, kind);
        assert_eq!(response.status_code(), 200, "{kind}: {response:?}");
        assert!(emu.check_password(PHONE, &new_password), "{kind}");
        assert_eq!(paths(&spy, 1), ["/api/v3/reset-password"]);
    }
    spy.assert_no_request();
}

#[test]
fn a_rotated_key_is_fetched_again_once_and_the_reset_sent_again() {
    let emu = emulator();
    let real = system_json(&emu);
    // The first fetch serves a key the emulator no longer holds, the next its real one.
    let spy = key_spy(&emu, move |n| match n {
        0 => format!(r#"{{"sm2":{{"publicKey":"{SM2_G}"}}}}"#),
        _ => real.clone(),
    });
    let client = client_for(spy.base_url(), emu.app_id());
    let reset = verified(&emu, &on(&emu)).reset_password_data().unwrap();
    let response =
        client.reset_password_blocking(&reset, "after-rotation-1", PasswordEncryptType::sm2);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(emu.check_password(PHONE, "after-rotation-1"));
    assert_eq!(
        paths(&spy, 4),
        [
            "/api/v3/system",
            "/api/v3/reset-password",
            "/api/v3/system",
            "/api/v3/reset-password"
        ]
    );
    spy.assert_no_request();
    // The fresh key is kept for later calls.
    let reset = verified(&emu, &on(&emu)).reset_password_data().unwrap();
    let response =
        client.reset_password_blocking(&reset, "after-rotation-2", PasswordEncryptType::sm2);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(paths(&spy, 1), ["/api/v3/reset-password"]);
}

#[test]
fn the_composite_call_also_recovers_from_a_rotated_key() {
    let emu = emulator();
    let real = system_json(&emu);
    let spy = key_spy(&emu, move |n| match n {
        0 => format!(r#"{{"sm2":{{"publicKey":"{SM2_G}"}}}}"#),
        _ => real.clone(),
    });
    let client = client_for(spy.base_url(), emu.app_id());
    emu.advance_clock(std::time::Duration::from_secs(61));
    let sent = on(&emu).send_sms_blocking(None, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code(PHONE).unwrap();
    let response = client.reset_password_by_phone_blocking(
        "+86",
        PHONE,
        &code,
        "composite-rotated",
        PasswordEncryptType::sm2,
    );
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(emu.check_password(PHONE, "composite-rotated"));
    assert_eq!(
        paths(&spy, 5),
        [
            "/api/v3/system",
            "/api/v3/verify-reset-password-request",
            "/api/v3/reset-password",
            "/api/v3/system",
            "/api/v3/reset-password"
        ]
    );
}

#[test]
fn a_key_that_is_still_the_same_after_a_refetch_is_not_tried_again() {
    let emu = emulator();
    let spy = key_spy(&emu, |_| format!(r#"{{"sm2":{{"publicKey":"{SM2_G}"}}}}"#));
    let client = client_for(spy.base_url(), emu.app_id());
    let reset = verified(&emu, &on(&emu)).reset_password_data().unwrap();
    let response = client.reset_password_blocking(&reset, "never-set", PasswordEncryptType::sm2);
    assert_eq!(response.status_code(), 400, "{response:?}");
    assert_eq!(response.api_code(), 2231, "{response:?}");
    assert_eq!(
        paths(&spy, 3),
        ["/api/v3/system", "/api/v3/reset-password", "/api/v3/system"]
    );
    spy.assert_no_request();
    assert!(emu.check_password(PHONE, "old-passw0rd"));
}

#[test]
fn a_preset_key_is_pinned_and_its_rejection_is_handed_back() {
    let emu = emulator();
    let spy = key_spy(&emu, |_| panic!("a preset key is never fetched"));
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(spy.base_url())
        .sm2_public_key(SM2_G)
        .build()
        .unwrap();
    let reset = verified(&emu, &on(&emu)).reset_password_data().unwrap();
    let response = client.reset_password_blocking(&reset, "never-set", PasswordEncryptType::sm2);
    assert_eq!(response.status_code(), 400, "{response:?}");
    assert_eq!(paths(&spy, 1), ["/api/v3/reset-password"]);
    spy.assert_no_request();
}

#[test]
fn a_malformed_preset_key_is_a_config_error_naming_the_setting() {
    for (builder, setting) in [
        (
            AuthClient::builder().rsa_public_key("not a key"),
            "rsa_public_key",
        ),
        (AuthClient::builder().rsa_public_key("  "), "rsa_public_key"),
        (
            AuthClient::builder().sm2_public_key("04abcd"),
            "sm2_public_key",
        ),
        (
            AuthClient::builder().sm2_public_key("xyz"),
            "sm2_public_key",
        ),
    ] {
        let error = builder.build().unwrap_err();
        assert_eq!(error.setting(), setting, "{error}");
    }
}
