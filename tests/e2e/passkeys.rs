//! Passkeys end to end against the emulator, with the software authenticator: register,
//! sign out, sign in by passkey (the session starts as after any sign-in); the list, the
//! check and the removals; and every tampered field refused by the emulator's own
//! verification (challenge, origin, RP id, signature, counter replay, a removed
//! credential, the user presence and verification flags, a used or expired ticket).

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser, PasskeySettings};
use authing::passkey::{Assertion, Authenticator, SoftwareAuthenticator};
use authing::{codes, AuthClient, AuthResponse, AuthenticatorCode, Lang};

const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "secret-123";
const WAIT: Duration = Duration::from_secs(30);

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("alice");
    emu
}

fn client(emu: &Emulator) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .lang(Lang::EnUs)
        .build()
        .expect("valid settings")
}

fn signed_in(emu: &Emulator) -> AuthClient {
    let client = client(emu);
    let r = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(r.status_code(), 200, "{r:?}");
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    client
}

/// A client of alice with one passkey on `authenticator`, signed out again.
fn registered(emu: &Emulator, authenticator: &SoftwareAuthenticator) -> AuthClient {
    let client = signed_in(emu);
    let r = client.register_passkey_blocking(authenticator, Some(AuthenticatorCode::Other));
    assert_eq!(r.status_code(), 200, "{r:?}");
    assert!(client.logout_blocking().is_success());
    assert!(client.get_current_user().is_none());
    client
}

fn refused(response: &AuthResponse, check: &str) {
    assert_eq!(response.status_code(), 400, "{response:?}");
    assert!(
        response.message().contains(check),
        "expected a refusal naming {check:?}: {}",
        response.message()
    );
}

#[test]
fn register_sign_out_and_sign_in_by_passkey_starts_the_session() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = signed_in(&emu);
    let r = client.register_passkey_blocking(&authenticator, Some(AuthenticatorCode::Fingerprint));
    assert!(r.passkey_verification().unwrap().verified());
    let kept = emu.passkeys(EMAIL);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].authenticator_code, "fingerprint");
    assert_eq!(kept[0].counter, 0);

    assert!(client.logout_blocking().is_success());
    assert_eq!(
        client.list_credentials_by_page_blocking(None).status_code(),
        codes::NOT_SIGNED_IN
    );

    let r = client.sign_in_by_passkey_blocking(&authenticator, None);
    assert_eq!(r.status_code(), 200, "{r:?}");
    let verification = r.passkey_verification().unwrap();
    assert!(verification.verified());
    assert!(verification.token_set().is_some());
    // The sign-in's scope (the default, `openid profile`) puts no email in the id_token:
    // the email comes with the full profile, which follows the answer (waited for).
    crate::common::full_profile(&client);
    let user = client.get_current_user().expect("signed in");
    assert_eq!(user.email(), Some(EMAIL));
    // The session works for a call that needs a user.
    let profile = client.get_profile_blocking(false, false, false);
    assert_eq!(profile.user_info().unwrap().email(), Some(EMAIL));
    assert_eq!(emu.passkeys(EMAIL)[0].counter, 1);
    // Again: the counter goes forward.
    assert!(client
        .sign_in_by_passkey_blocking(&authenticator, None)
        .is_success());
    assert_eq!(emu.passkeys(EMAIL)[0].counter, 2);
}

#[test]
fn the_callback_forms_run_the_flows_on_the_worker_and_call_back_once() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = signed_in(&emu);
    let (tx, rx) = mpsc::channel();
    let tx2 = tx.clone();
    let _registering =
        client.register_passkey(authenticator.clone(), None, move |r: AuthResponse| {
            tx.send(r.status_code()).unwrap();
        });
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), 200);
    assert_eq!(emu.passkeys(EMAIL)[0].authenticator_code, "other");
    client.logout_blocking();
    let _signing_in = client.sign_in_by_passkey(authenticator, None, move |r: AuthResponse| {
        tx2.send(r.status_code()).unwrap();
    });
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), 200);
    assert!(
        rx.recv_timeout(Duration::from_millis(200)).is_err(),
        "called back once"
    );
    assert!(client.get_current_user().is_some());
}

#[test]
fn the_list_check_and_removals_act_on_the_users_credentials() {
    let emu = emulator();
    let face = SoftwareAuthenticator::new();
    let finger = SoftwareAuthenticator::new();
    let client = signed_in(&emu);
    assert!(client
        .register_passkey_blocking(&face, Some(AuthenticatorCode::Face))
        .is_success());
    assert!(client
        .register_passkey_blocking(&finger, Some(AuthenticatorCode::Fingerprint))
        .is_success());
    let all = client
        .list_credentials_by_page_blocking(None)
        .passkey_list()
        .unwrap();
    assert_eq!(all.total_count(), 2);
    let faces = client
        .list_credentials_by_page_blocking(Some(AuthenticatorCode::Face))
        .passkey_list()
        .unwrap();
    assert_eq!(faces.total_count(), 1);
    let face_id = faces.credential_ids().remove(0);
    let valid = client
        .check_valid_credentials_by_cred_ids_blocking(&[&face_id, "AAAAAAAAAAAAAAAAAAAAAA"], None)
        .valid_credential_ids()
        .unwrap();
    assert_eq!(valid, std::slice::from_ref(&face_id));

    // removeCredential: the real id in the path.
    assert!(client.remove_credential_blocking(&face_id).is_success());
    assert_eq!(
        client.remove_credential_blocking(&face_id).status_code(),
        404
    );
    assert_eq!(emu.passkeys(EMAIL).len(), 1);
    // A removed credential no longer signs in.
    client.logout_blocking();
    refused(
        &client.sign_in_by_passkey_blocking(&face, None),
        "unknown credential",
    );
    assert!(client.get_current_user().is_none());
    // removeAllCredentials.
    let client = signed_in(&emu);
    assert!(client
        .remove_all_credentials_blocking(Some(AuthenticatorCode::Face))
        .is_success());
    assert_eq!(emu.passkeys(EMAIL).len(), 1, "no face credential was left");
    assert!(client.remove_all_credentials_blocking(None).is_success());
    assert!(emu.passkeys(EMAIL).is_empty());
}

#[test]
fn a_clone_of_the_authenticator_replaying_its_counter_is_refused() {
    let emu = emulator();
    let path = std::env::temp_dir().join(format!(
        "authing-passkey-replay-{}.json",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let original = SoftwareAuthenticator::open(&path).unwrap();
    let client = registered(&emu, &original);
    // A copy of the key file taken now: the same key, the same counter.
    let copy = SoftwareAuthenticator::open(&path).unwrap();
    assert!(client
        .sign_in_by_passkey_blocking(&original, None)
        .is_success());
    client.logout_blocking();
    refused(&client.sign_in_by_passkey_blocking(&copy, None), "counter");
    assert!(client.get_current_user().is_none());
    // The file kept the counter: a fresh open signs in.
    let reopened = SoftwareAuthenticator::open(&path).unwrap();
    assert!(client
        .sign_in_by_passkey_blocking(&reopened, None)
        .is_success());
    let _ = std::fs::remove_file(&path);
}

#[test]
fn the_user_presence_and_verification_flags_are_checked() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = registered(&emu, &authenticator);
    authenticator.set_user_present(false);
    refused(
        &client.sign_in_by_passkey_blocking(&authenticator, None),
        "user presence",
    );
    authenticator.set_user_present(true);
    authenticator.set_user_verified(false);
    // Not required by default (the spec's options cannot ask for it).
    assert!(client
        .sign_in_by_passkey_blocking(&authenticator, None)
        .is_success());
    client.logout_blocking();
    emu.set_passkey_settings(PasskeySettings::new("localhost").require_user_verification(true));
    refused(
        &client.sign_in_by_passkey_blocking(&authenticator, None),
        "user verification",
    );
    // And at registration.
    let client = signed_in(&emu);
    refused(
        &client.register_passkey_blocking(
            &SoftwareAuthenticator::new().tap(|a| a.set_user_verified(false)),
            None,
        ),
        "user verification",
    );
}

trait Tap: Sized {
    fn tap(self, f: impl FnOnce(&Self)) -> Self {
        f(&self);
        self
    }
}
impl Tap for SoftwareAuthenticator {}

#[test]
fn an_origin_the_server_does_not_allow_is_refused_and_an_allowed_one_accepted() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    registered(&emu, &authenticator);
    let elsewhere = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .lang(Lang::EnUs)
        .passkey_origin("https://evil.example")
        .build()
        .unwrap();
    refused(
        &elsewhere.sign_in_by_passkey_blocking(&authenticator, None),
        "origin",
    );
    emu.set_passkey_settings(PasskeySettings::new("localhost").origin("https://evil.example"));
    assert!(elsewhere
        .sign_in_by_passkey_blocking(&authenticator, None)
        .is_success());
    // Registration checks it too.
    assert!(elsewhere.logout_blocking().is_success());
    emu.set_passkey_settings(PasskeySettings::new("localhost"));
    elsewhere.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    refused(
        &elsewhere.register_passkey_blocking(&SoftwareAuthenticator::new(), None),
        "origin",
    );
}

/// The options, an assertion over `client_data`, and the verification of (`sent`, the
/// possibly tampered assertion).
fn raw_sign_in(
    client: &AuthClient,
    authenticator: &SoftwareAuthenticator,
    client_data: impl FnOnce(&str) -> (Vec<u8>, Vec<u8>),
    tamper: impl FnOnce(Assertion) -> Assertion,
) -> AuthResponse {
    let options = client
        .init_authentication_options_blocking()
        .authentication_options()
        .unwrap();
    let (signed, sent) = client_data(options.request().challenge());
    let request = options.request().clone().with_client_data_json(signed);
    let assertion = tamper(authenticator.get_assertion(&request).unwrap());
    client.verify_authentication_blocking(options.ticket(), &assertion, &sent, None)
}

fn client_data(challenge: &str) -> Vec<u8> {
    format!(r#"{{"type":"webauthn.get","challenge":"{challenge}","origin":"https://localhost","crossOrigin":false}}"#)
        .into_bytes()
}

#[test]
fn the_step_by_step_calls_sign_in_like_the_flow() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = registered(&emu, &authenticator);
    let r = raw_sign_in(
        &client,
        &authenticator,
        |c| (client_data(c), client_data(c)),
        |a| a,
    );
    assert_eq!(r.status_code(), 200, "{r:?}");
    assert!(
        client.get_current_user().is_some(),
        "verify_authentication starts the session"
    );
}

#[test]
fn a_wrong_challenge_type_or_tampered_client_data_is_refused() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = registered(&emu, &authenticator);
    let other = |_: &str| {
        let data = client_data("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        (data.clone(), data)
    };
    refused(
        &raw_sign_in(&client, &authenticator, other, |a| a),
        "challenge",
    );
    let create = |c: &str| {
        let data = String::from_utf8(client_data(c))
            .unwrap()
            .replace("webauthn.get", "webauthn.create");
        (data.clone().into_bytes(), data.into_bytes())
    };
    refused(&raw_sign_in(&client, &authenticator, create, |a| a), "type");
    // Signed over one clientDataJSON, sent with another (same challenge and origin).
    let swapped = |c: &str| {
        let sent = String::from_utf8(client_data(c))
            .unwrap()
            .replace("}", r#","other":1}"#);
        (client_data(c), sent.into_bytes())
    };
    refused(
        &raw_sign_in(&client, &authenticator, swapped, |a| a),
        "signature",
    );
    assert!(client.get_current_user().is_none());
}

#[test]
fn tampered_authenticator_data_or_signature_is_refused() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = registered(&emu, &authenticator);
    let same = |c: &str| (client_data(c), client_data(c));
    // Another RP's id hash.
    let other_rp = |a: Assertion| {
        let mut data = a.authenticator_data().to_vec();
        data[..32].copy_from_slice(&sha256_of_example_com());
        Assertion::new(a.credential_id().to_vec(), data, a.signature().to_vec())
            .user_handle(a.user_handle_bytes().unwrap().to_vec())
    };
    refused(
        &raw_sign_in(&client, &authenticator, same, other_rp),
        "rp id hash",
    );
    // A signature by another key: a second authenticator's over the same data.
    let forged = |a: Assertion| {
        let mut sig = a.signature().to_vec();
        let last = sig.len() - 1;
        sig[last] ^= 0x01;
        Assertion::new(
            a.credential_id().to_vec(),
            a.authenticator_data().to_vec(),
            sig,
        )
    };
    refused(
        &raw_sign_in(&client, &authenticator, same, forged),
        "signature",
    );
    // A raised counter byte without a new signature.
    let bumped = |a: Assertion| {
        let mut data = a.authenticator_data().to_vec();
        data[36] = data[36].wrapping_add(100);
        Assertion::new(a.credential_id().to_vec(), data, a.signature().to_vec())
    };
    refused(
        &raw_sign_in(&client, &authenticator, same, bumped),
        "signature",
    );
    // Another user's handle.
    let handle = |a: Assertion| a.user_handle(b"someone-else".to_vec());
    refused(
        &raw_sign_in(&client, &authenticator, same, handle),
        "user handle",
    );
    assert!(client.get_current_user().is_none());
}

/// SHA-256("example.com"), written out (the test has no hash of its own).
fn sha256_of_example_com() -> [u8; 32] {
    let hex = "a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947";
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

#[test]
fn a_ticket_answers_once_and_expires() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = registered(&emu, &authenticator);
    let options = client
        .init_authentication_options_blocking()
        .authentication_options()
        .unwrap();
    let data = client_data(options.request().challenge());
    let request = options
        .request()
        .clone()
        .with_client_data_json(data.clone());
    let assertion = authenticator.get_assertion(&request).unwrap();
    assert!(client
        .verify_authentication_blocking(options.ticket(), &assertion, &data, None)
        .is_success());
    let again = client.verify_authentication_blocking(options.ticket(), &assertion, &data, None);
    refused(&again, "ticket");
    // Expired: past the options' timeout.
    let options = client
        .init_authentication_options_blocking()
        .authentication_options()
        .unwrap();
    assert_eq!(options.request().timeout(), Duration::from_secs(300));
    emu.advance_clock(Duration::from_secs(301));
    let data = client_data(options.request().challenge());
    let request = options
        .request()
        .clone()
        .with_client_data_json(data.clone());
    let assertion = authenticator.get_assertion(&request).unwrap();
    refused(
        &client.verify_authentication_blocking(options.ticket(), &assertion, &data, None),
        "ticket",
    );
}

#[test]
fn a_registration_for_another_rp_or_a_second_one_on_the_same_authenticator_is_refused() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    let client = signed_in(&emu);
    // Options fetched, then the authenticator told another RP id.
    let options = client
        .init_register_options_blocking()
        .registration_options()
        .unwrap();
    let data = format!(
        r#"{{"type":"webauthn.create","challenge":"{}","origin":"https://localhost","crossOrigin":false}}"#,
        options.creation().challenge()
    )
    .into_bytes();
    emu.set_passkey_settings(PasskeySettings::new("example.com").origin("https://localhost"));
    let request = options
        .creation()
        .clone()
        .with_client_data_json(data.clone());
    let credential = authenticator.make_credential(&request).unwrap();
    refused(
        &client.verify_register_blocking(options.ticket(), &credential, &data, None),
        "rp id hash",
    );
    emu.set_passkey_settings(PasskeySettings::new("localhost"));
    assert!(client
        .register_passkey_blocking(&authenticator, None)
        .is_success());
    // The same authenticator again: the options exclude its credential.
    let r = client.register_passkey_blocking(&authenticator, None);
    assert_eq!(r.status_code(), codes::PASSKEY_FAILED, "{r:?}");
    assert_eq!(emu.passkeys(EMAIL).len(), 1);
}

#[test]
fn an_authenticator_that_declines_answers_10021_and_signs_nobody_in() {
    struct Declines;
    impl Authenticator for Declines {
        fn make_credential(
            &self,
            _: &authing::passkey::CreationRequest,
        ) -> Result<authing::passkey::NewCredential, authing::passkey::AuthenticatorError> {
            Err(authing::passkey::AuthenticatorError::Cancelled)
        }
        fn get_assertion(
            &self,
            _: &authing::passkey::AssertionRequest,
        ) -> Result<Assertion, authing::passkey::AuthenticatorError> {
            Err(authing::passkey::AuthenticatorError::Cancelled)
        }
    }
    let emu = emulator();
    let client = signed_in(&emu);
    let r = client.register_passkey_blocking(&Declines, None);
    assert_eq!(r.status_code(), codes::PASSKEY_FAILED);
    assert!(r.message().contains("cancelled"), "{}", r.message());
    client.logout_blocking();
    let r = client.sign_in_by_passkey_blocking(&Declines, None);
    assert_eq!(r.status_code(), codes::PASSKEY_FAILED);
    assert!(client.get_current_user().is_none());
    // No credential on an empty authenticator.
    let r = client.sign_in_by_passkey_blocking(&SoftwareAuthenticator::new(), None);
    assert_eq!(r.status_code(), codes::PASSKEY_FAILED);
    // Registering needs a user.
    let r = client.register_passkey_blocking(&SoftwareAuthenticator::new(), None);
    assert_eq!(r.status_code(), codes::NOT_SIGNED_IN);
}

#[test]
fn an_unreadable_token_store_refuses_the_passkey_sign_in_before_the_ceremony() {
    let emu = emulator();
    let authenticator = SoftwareAuthenticator::new();
    registered(&emu, &authenticator);
    let dir = std::env::temp_dir().join(format!("authing-passkey-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("session.json");
    std::fs::write(&path, b"not a session").unwrap();
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .token_store(authing::FileTokenStore::new(&path))
        .build()
        .unwrap();
    let r = client.sign_in_by_passkey_blocking(&authenticator, None);
    assert_eq!(r.status_code(), codes::TOKEN_STORE_FAILED, "{r:?}");
    // The authenticator was not asked: its counter (and the emulator's) did not move.
    assert_eq!(emu.passkeys(EMAIL)[0].counter, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn the_software_authenticators_file_is_its_owners_only_and_holds_no_password() {
    use std::os::unix::fs::PermissionsExt;
    let emu = emulator();
    let path =
        std::env::temp_dir().join(format!("authing-passkey-mode-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let authenticator = SoftwareAuthenticator::open(&path).unwrap();
    registered(&emu, &authenticator);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "owner only");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(PASSWORD));
    assert!(text.contains("\"rp_id\": \"localhost\""), "{text}");
    let _ = std::fs::remove_file(&path);
}
