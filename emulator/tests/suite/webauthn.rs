//! The emulator's webauthn endpoints over raw HTTP (ureq, not the SDK), with an
//! authenticator written here (p256, ciborium, sha2): registration and sign-in verified for
//! real, the options in the spec's shape, what is refused (attestation formats other than
//! `none`, keys other than ES256, another RP, a missing flag, a used ticket, another
//! user's ticket, a replayed counter), the credential list (bare, as the spec draws it),
//! the check and the removals, and the admin API.

use ciborium::Value as Cbor;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use sha2::{Digest, Sha256};

use crate::common::agent;
use authing_emulator::{Emulator, NewUser, PasskeySettings};
use serde_json::{json, Value};

const PASSWORD: &str = "secret-123";

fn emulator() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_username("mike", PASSWORD))
        .unwrap();
    emu.add_user(NewUser::with_username("bob", PASSWORD))
        .unwrap();
    emu
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64url(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn sign_in(emu: &Emulator, user: &str) -> String {
    let body = json!({"connection": "PASSWORD",
        "passwordPayload": {"username": user, "password": PASSWORD}});
    let answer = send(emu, "POST", "/api/v3/signin", None, Some(body));
    assert_eq!(answer["statusCode"], 200, "{answer}");
    answer["data"]["access_token"].as_str().unwrap().to_owned()
}

/// A v3 request in English; the JSON answer.
fn send(
    emu: &Emulator,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Value {
    let url = format!("{}{path}", emu.base_url());
    let text = match body {
        None => {
            let mut req = agent()
                .get(url)
                .header("x-authing-app-id", emu.app_id())
                .header("x-authing-lang", "en-US");
            if let Some(token) = token {
                req = req.header("authorization", format!("Bearer {token}"));
            }
            assert_eq!(method, "GET");
            req.call().unwrap().body_mut().read_to_string().unwrap()
        }
        Some(body) => {
            let mut req = agent()
                .post(url)
                .header("content-type", "application/json")
                .header("x-authing-app-id", emu.app_id())
                .header("x-authing-lang", "en-US");
            if let Some(token) = token {
                req = req.header("authorization", format!("Bearer {token}"));
            }
            req.send(body.to_string())
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap()
        }
    };
    serde_json::from_str(&text).unwrap()
}

/// A credential of the authenticator written here.
struct Key {
    signing: SigningKey,
    id: Vec<u8>,
    counter: u32,
}

impl Key {
    fn new(seed: u8) -> Key {
        let signing = SigningKey::from_slice(&[seed; 32]).unwrap();
        Key {
            signing,
            id: vec![seed; 16],
            counter: 0,
        }
    }

    fn cose(&self, alg: i64) -> Vec<u8> {
        let point = self.signing.verifying_key().to_sec1_bytes();
        let int = |i: i64| Cbor::Integer(i.into());
        let key = Cbor::Map(vec![
            (int(1), int(2)),
            (int(3), int(alg)),
            (int(-1), int(1)),
            (int(-2), Cbor::Bytes(point[1..33].to_vec())),
            (int(-3), Cbor::Bytes(point[33..].to_vec())),
        ]);
        let mut out = Vec::new();
        ciborium::ser::into_writer(&key, &mut out).unwrap();
        out
    }

    fn auth_data(&self, rp_id: &str, flags: u8, attested: Option<i64>) -> Vec<u8> {
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(flags | if attested.is_some() { 0x40 } else { 0 });
        data.extend_from_slice(&self.counter.to_be_bytes());
        if let Some(alg) = attested {
            data.extend_from_slice(&[0; 16]);
            data.extend_from_slice(&(self.id.len() as u16).to_be_bytes());
            data.extend_from_slice(&self.id);
            data.extend_from_slice(&self.cose(alg));
        }
        data
    }

    fn attestation(&self, fmt: &str, auth_data: Vec<u8>) -> String {
        let statement = if fmt == "none" {
            Cbor::Map(vec![])
        } else {
            Cbor::Map(vec![(Cbor::Text("alg".into()), Cbor::Integer((-7).into()))])
        };
        let object = Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text(fmt.into())),
            (Cbor::Text("attStmt".into()), statement),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]);
        let mut out = Vec::new();
        ciborium::ser::into_writer(&object, &mut out).unwrap();
        b64url(&out)
    }

    fn sign(&self, auth_data: &[u8], client_data: &[u8]) -> String {
        let mut signed = auth_data.to_vec();
        signed.extend_from_slice(&Sha256::digest(client_data));
        let signature: Signature = self.signing.sign(&signed);
        b64url(signature.to_der().as_bytes())
    }
}

fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
    json!({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false})
        .to_string()
        .into_bytes()
}

/// Registration options for `token`: (ticket, options).
fn registration_options(emu: &Emulator, token: &str) -> (String, Value) {
    let answer = send(
        emu,
        "GET",
        "/api/v3/webauthn/registration",
        Some(token),
        None,
    );
    assert_eq!(answer["statusCode"], 200, "{answer}");
    let data = &answer["data"];
    (
        data["ticket"].as_str().unwrap().to_owned(),
        data["registrationOptions"].clone(),
    )
}

/// The registration body of `key` for these options, with what `tweak` changes.
fn registration(
    key: &Key,
    ticket: &str,
    options: &Value,
    fmt: &str,
    alg: i64,
    flags: u8,
    rp_id: &str,
) -> Value {
    let challenge = options["challenge"].as_str().unwrap();
    let data = client_data("webauthn.create", challenge, "https://localhost");
    json!({
        "ticket": ticket,
        "authenticatorCode": "face",
        "registrationCredential": {
            "id": b64url(&key.id),
            "rawId": b64url(&key.id),
            "response": {
                "attestationObject": key.attestation(fmt, key.auth_data(rp_id, flags, Some(alg))),
                "clientDataJSON": b64url(&data),
            },
            "transports": ["internal"],
            "type": "public-key",
        },
    })
}

fn register(emu: &Emulator, token: &str, key: &Key) -> Value {
    let (ticket, options) = registration_options(emu, token);
    let body = registration(key, &ticket, &options, "none", -7, 0x05, "localhost");
    send(
        emu,
        "POST",
        "/api/v3/webauthn/registration",
        Some(token),
        Some(body),
    )
}

/// A sign-in by `key`: the verification's answer.
fn authenticate(emu: &Emulator, key: &mut Key, flags: u8, handle: Option<&str>) -> Value {
    authenticate_with(emu, key, flags, handle, |_| {})
}

/// A sign-in by `key` whose body `tweak` changes before it is sent.
fn authenticate_with(
    emu: &Emulator,
    key: &mut Key,
    flags: u8,
    handle: Option<&str>,
    tweak: impl FnOnce(&mut Value),
) -> Value {
    let answer = send(emu, "GET", "/api/v3/webauthn/authentication", None, None);
    let ticket = answer["data"]["ticket"].as_str().unwrap().to_owned();
    let challenge = answer["data"]["authenticationOptions"]["challenge"]
        .as_str()
        .unwrap()
        .to_owned();
    key.counter += 1;
    let data = client_data("webauthn.get", &challenge, "https://localhost");
    let auth_data = key.auth_data("localhost", flags, None);
    let mut response = json!({
        "authenticatorData": b64url(&auth_data),
        "clientDataJSON": b64url(&data),
        "signature": key.sign(&auth_data, &data),
    });
    // No handle: an empty one, as a non-discoverable credential gives none.
    response["userHandle"] = handle.unwrap_or("").into();
    let mut body = json!({
        "ticket": ticket,
        "authenticationCredential": {"id": b64url(&key.id), "rawId": b64url(&key.id), "response": response, "type": "public-key"},
        "options": {"scope": "openid profile offline_access"},
    });
    tweak(&mut body);
    send(
        emu,
        "POST",
        "/api/v3/webauthn/authentication",
        None,
        Some(body),
    )
}

fn refused(answer: &Value, check: &str) {
    assert_eq!(answer["statusCode"], 400, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains(check),
        "{answer}"
    );
    assert!(answer.get("data").is_none(), "{answer}");
}

#[test]
fn the_options_have_the_specs_shape_and_nothing_more() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    let (ticket, options) = registration_options(&emu, &token);
    assert!(!ticket.is_empty());
    let mut keys: Vec<&str> = options
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "challenge",
            "excludeCredentials",
            "pubKeyCredParams",
            "rp",
            "timeout",
            "user"
        ]
    );
    assert_eq!(unb64url(options["challenge"].as_str().unwrap()).len(), 32);
    assert_eq!(
        options["rp"],
        json!({"id": "localhost", "name": "Authing Emulator"})
    );
    assert_eq!(
        options["pubKeyCredParams"],
        json!([{"alg": -7, "type": "public-key"}])
    );
    assert_eq!(options["timeout"], 300000);
    assert_eq!(options["user"]["name"], "mike");
    let user_id = String::from_utf8(unb64url(options["user"]["id"].as_str().unwrap())).unwrap();
    assert_eq!(emu.user_state("mike").unwrap().user_id, user_id);
    // Without a bearer: 401.
    let answer = send(&emu, "GET", "/api/v3/webauthn/registration", None, None);
    assert_eq!(answer["statusCode"], 401, "{answer}");
    // The authentication options need no user.
    let answer = send(&emu, "GET", "/api/v3/webauthn/authentication", None, None);
    let options = &answer["data"]["authenticationOptions"];
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["allowCredentials"], json!([]));
    assert_ne!(options["challenge"], json!(null));
}

#[test]
fn a_registered_key_signs_in_and_the_tokens_work() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    let mut key = Key::new(7);
    let answer = register(&emu, &token, &key);
    assert_eq!(answer["data"], json!({"verified": true}), "{answer}");
    let kept = emu.passkeys("mike");
    assert_eq!(
        (kept.len(), kept[0].authenticator_code.as_str()),
        (1, "face")
    );
    // The excludeCredentials of new options name it.
    let (_, options) = registration_options(&emu, &token);
    assert_eq!(options["excludeCredentials"][0]["id"], b64url(&key.id));

    let handle = b64url(emu.user_state("mike").unwrap().user_id.as_bytes());
    let answer = authenticate(&emu, &mut key, 0x05, Some(&handle));
    assert_eq!(answer["statusCode"], 200, "{answer}");
    assert_eq!(answer["data"]["verified"], true);
    let tokens = &answer["data"]["tokenSet"];
    assert!(
        tokens["refresh_token"].is_string(),
        "the scope asked offline_access"
    );
    let profile = send(
        &emu,
        "GET",
        "/api/v3/get-profile",
        tokens["access_token"].as_str(),
        None,
    );
    assert_eq!(profile["data"]["username"], "mike");
    assert_eq!(emu.passkeys("mike")[0].counter, 1);
    // userHandle may be left empty.
    assert_eq!(authenticate(&emu, &mut key, 0x01, None)["statusCode"], 200);
}

#[test]
fn registrations_the_emulator_cannot_verify_are_refused() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    let key = Key::new(9);
    for (fmt, alg, flags, rp, check) in [
        ("packed", -7, 0x05, "localhost", "attestation format"),
        ("none", -257, 0x05, "localhost", "ES256"),
        ("none", -7, 0x04, "localhost", "user presence"),
        ("none", -7, 0x05, "example.com", "rp id hash"),
    ] {
        let (ticket, options) = registration_options(&emu, &token);
        let body = registration(&key, &ticket, &options, fmt, alg, flags, rp);
        refused(
            &send(
                &emu,
                "POST",
                "/api/v3/webauthn/registration",
                Some(&token),
                Some(body),
            ),
            check,
        );
    }
    // rawId that differs from id.
    let (ticket, options) = registration_options(&emu, &token);
    let mut body = registration(&key, &ticket, &options, "none", -7, 0x05, "localhost");
    body["registrationCredential"]["rawId"] = b64url(&[1, 2, 3]).into();
    refused(
        &send(
            &emu,
            "POST",
            "/api/v3/webauthn/registration",
            Some(&token),
            Some(body),
        ),
        "rawId",
    );
    // Another user's ticket.
    let bob = sign_in(&emu, "bob");
    let (ticket, options) = registration_options(&emu, &bob);
    let body = registration(&key, &ticket, &options, "none", -7, 0x05, "localhost");
    refused(
        &send(
            &emu,
            "POST",
            "/api/v3/webauthn/registration",
            Some(&token),
            Some(body),
        ),
        "ticket",
    );
    assert!(emu.passkeys("mike").is_empty());
    // A used ticket, and the same credential twice.
    assert_eq!(register(&emu, &token, &key)["statusCode"], 200);
    let answer = register(&emu, &bob, &key);
    assert_eq!(answer["statusCode"], 400, "{answer}");
    assert!(answer["message"]
        .as_str()
        .unwrap()
        .contains("registered already"));
}

#[test]
fn sign_ins_the_emulator_cannot_verify_are_refused() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    let mut key = Key::new(11);
    register(&emu, &token, &key);
    refused(&authenticate(&emu, &mut key, 0x04, None), "user presence");
    emu.set_passkey_settings(PasskeySettings::new("localhost").require_user_verification(true));
    refused(
        &authenticate(&emu, &mut key, 0x01, None),
        "user verification",
    );
    assert_eq!(authenticate(&emu, &mut key, 0x05, None)["statusCode"], 200);
    // Replayed counter.
    key.counter -= 1;
    refused(&authenticate(&emu, &mut key, 0x05, None), "counter");
    // Another user's handle.
    refused(
        &authenticate(&emu, &mut key, 0x05, Some(&b64url(b"bob"))),
        "user handle",
    );
    // A key the emulator does not know.
    refused(
        &authenticate(&emu, &mut Key::new(12), 0x05, None),
        "unknown credential",
    );
    // Another RP id configured: the hash no longer matches.
    emu.set_passkey_settings(PasskeySettings::new("example.com").origin("https://localhost"));
    refused(&authenticate(&emu, &mut key, 0x05, None), "rp id hash");
    // An origin not allowed.
    emu.set_passkey_settings(PasskeySettings::new("localhost").origin("https://app.example.com"));
    refused(&authenticate(&emu, &mut key, 0x05, None), "origin");
}

#[test]
fn the_list_is_bare_and_the_check_and_removals_act_on_the_bearers_credentials() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    register(&emu, &token, &Key::new(1));
    register(&emu, &token, &Key::new(2));
    let list = send(
        &emu,
        "POST",
        "/api/v3/webauthn/page-authenticator-device",
        Some(&token),
        Some(json!({})),
    );
    assert_eq!(list["totalCount"], 2, "{list}");
    assert!(
        list.get("statusCode").is_none(),
        "bare, as the spec draws it: {list}"
    );
    assert_eq!(list["list"][0]["credentialId"], b64url(&[1; 16]));
    let none = send(
        &emu,
        "POST",
        "/api/v3/webauthn/page-authenticator-device",
        Some(&token),
        Some(json!({"authenticatorCode": "fingerprint"})),
    );
    assert_eq!(none["totalCount"], 0);
    // A failure is the envelope.
    let answer = send(
        &emu,
        "POST",
        "/api/v3/webauthn/page-authenticator-device",
        None,
        Some(json!({})),
    );
    assert_eq!(answer["statusCode"], 401, "{answer}");
    let answer = send(
        &emu,
        "POST",
        "/api/v3/webauthn/page-authenticator-device",
        Some(&token),
        Some(json!({"authenticatorCode": "palm"})),
    );
    assert_eq!(answer["statusCode"], 400, "{answer}");

    let bob = sign_in(&emu, "bob");
    let ids = json!({"credentialIds": [b64url(&[1; 16]), b64url(&[3; 16])]});
    let check = send(
        &emu,
        "POST",
        "/api/v3/webauthn/check-valid-credentials-by-credIds",
        Some(&token),
        Some(ids.clone()),
    );
    assert_eq!(check["data"], json!([{"credentialId": b64url(&[1; 16])}]));
    let check = send(
        &emu,
        "POST",
        "/api/v3/webauthn/check-valid-credentials-by-credIds",
        Some(&bob),
        Some(ids),
    );
    assert_eq!(check["data"], json!([]));

    let path = format!("/api/v3/webauthn/remove-credential/{}", b64url(&[1; 16]));
    assert_eq!(
        send(&emu, "POST", &path, Some(&bob), Some(json!({})))["statusCode"],
        404
    );
    let answer = send(&emu, "POST", &path, Some(&token), Some(json!({})));
    assert_eq!(answer["data"], json!({"success": true}), "{answer}");
    // The literal template the Java, Node and Python SDKs send removes nothing.
    let literal = send(
        &emu,
        "POST",
        "/api/v3/webauthn/remove-credential/{credentialID}",
        Some(&token),
        Some(json!({})),
    );
    assert_eq!(literal["statusCode"], 404, "{literal}");
    assert_eq!(emu.passkeys("mike").len(), 1);
    let answer = send(
        &emu,
        "POST",
        "/api/v3/webauthn/remove-credentials-by-authenticator-code",
        Some(&token),
        Some(json!({"authenticatorCode": "face"})),
    );
    assert_eq!(answer["data"]["success"], true);
    assert!(emu.passkeys("mike").is_empty());
}

#[test]
fn a_ticket_is_single_use_and_expires() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    let key = Key::new(5);
    let (ticket, options) = registration_options(&emu, &token);
    emu.advance_clock(std::time::Duration::from_secs(301));
    let body = registration(&key, &ticket, &options, "none", -7, 0x05, "localhost");
    let token = sign_in(&emu, "mike");
    refused(
        &send(
            &emu,
            "POST",
            "/api/v3/webauthn/registration",
            Some(&token),
            Some(body.clone()),
        ),
        "ticket",
    );
    // Used up by that attempt even within its time.
    refused(
        &send(
            &emu,
            "POST",
            "/api/v3/webauthn/registration",
            Some(&token),
            Some(body),
        ),
        "ticket",
    );
}

#[test]
fn the_admin_api_sets_the_relying_party_and_lists_credentials_and_a_reset_forgets_them() {
    let emu = emulator();
    let base = emu.base_url();
    let settings: Value = serde_json::from_str(
        &agent()
            .get(format!("{base}/emulator/v1/webauthn/settings"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        settings,
        json!({"rpId": "localhost", "rpName": "Authing Emulator", "origins": [], "requireUserVerification": false})
    );
    let mut set = agent()
        .post(format!("{base}/emulator/v1/webauthn/settings"))
        .header("content-type", "application/json")
        .send(json!({"rpId": "example.com", "origins": ["https://app.example.com"]}).to_string())
        .unwrap();
    assert_eq!(
        set.status().as_u16(),
        200,
        "{}",
        set.body_mut().read_to_string().unwrap()
    );
    assert_eq!(emu.passkey_settings().rp_id, "example.com");
    let bad = agent()
        .post(format!("{base}/emulator/v1/webauthn/settings"))
        .header("content-type", "application/json")
        .send(json!({"rpId": 3}).to_string())
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    emu.set_passkey_settings(PasskeySettings::new("localhost"));

    let token = sign_in(&emu, "mike");
    register(&emu, &token, &Key::new(4));
    let listed: Value = serde_json::from_str(
        &agent()
            .get(format!(
                "{base}/emulator/v1/webauthn/users/mike/credentials"
            ))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(listed["credentials"][0]["credentialId"], b64url(&[4; 16]));
    assert_eq!(listed["credentials"][0]["counter"], 0);
    emu.reset();
    assert_eq!(emu.passkey_settings().rp_id, "localhost");
}

#[test]
fn a_state_file_keeps_credentials_and_settings_across_a_restart() {
    let dir =
        std::env::temp_dir().join(format!("authing-emulator-webauthn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = authing_emulator::EmulatorConfig::default().state_file(dir.join("state.json"));
    let mut key = Key::new(21);
    {
        let first = Emulator::start_with(config.clone()).unwrap();
        first
            .add_user(NewUser::with_username("mike", PASSWORD))
            .unwrap();
        let token = sign_in(&first, "mike");
        assert_eq!(register(&first, &token, &key)["statusCode"], 200);
        first.set_passkey_settings(PasskeySettings::new("localhost").origin("https://localhost"));
    }
    let second = Emulator::start_with(config).unwrap();
    assert_eq!(second.passkeys("mike").len(), 1);
    assert_eq!(second.passkey_settings().origins, ["https://localhost"]);
    assert_eq!(
        authenticate(&second, &mut key, 0x05, None)["statusCode"],
        200
    );
    drop(second);
    let _ = std::fs::remove_dir_all(&dir);
}

/// 400 with apiCode 2231, as every malformed body.
fn malformed(answer: &Value, field: &str) {
    assert_eq!(answer["statusCode"], 400, "{answer}");
    assert_eq!(answer["apiCode"], 2231, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains(field),
        "{answer}"
    );
    assert!(answer.get("data").is_none(), "{answer}");
}

#[test]
fn a_credential_without_type_or_an_assertion_without_user_handle_is_malformed() {
    let emu = emulator();
    let token = sign_in(&emu, "mike");
    let mut key = Key::new(21);
    // A registration credential without `type` (the spec requires it).
    let (ticket, options) = registration_options(&emu, &token);
    let mut body = registration(&key, &ticket, &options, "none", -7, 0x05, "localhost");
    body["registrationCredential"]
        .as_object_mut()
        .unwrap()
        .remove("type");
    let answer = send(
        &emu,
        "POST",
        "/api/v3/webauthn/registration",
        Some(&token),
        Some(body),
    );
    malformed(&answer, "type");
    assert!(emu.passkeys("mike").is_empty());
    assert_eq!(register(&emu, &token, &key)["statusCode"], 200);
    // An authentication credential without `type`, then with null `type`.
    for no_type in [None, Some(Value::Null)] {
        let answer = authenticate_with(&emu, &mut key, 0x05, None, |body| {
            let credential = body["authenticationCredential"].as_object_mut().unwrap();
            match &no_type {
                None => credential.remove("type"),
                Some(value) => credential.insert("type".into(), value.clone()),
            };
        });
        malformed(&answer, "type");
    }
    // An assertion without `userHandle`, then with null.
    for no_handle in [None, Some(Value::Null)] {
        let answer = authenticate_with(&emu, &mut key, 0x05, None, |body| {
            let response = body["authenticationCredential"]["response"]
                .as_object_mut()
                .unwrap();
            match &no_handle {
                None => response.remove("userHandle"),
                Some(value) => response.insert("userHandle".into(), value.clone()),
            };
        });
        malformed(&answer, "userHandle");
    }
    // Another type is refused; the well-formed sign-in still works.
    let answer = authenticate_with(&emu, &mut key, 0x05, None, |body| {
        body["authenticationCredential"]["type"] = "password".into();
    });
    refused(&answer, "credential type");
    assert_eq!(authenticate(&emu, &mut key, 0x05, None)["statusCode"], 200);
}
