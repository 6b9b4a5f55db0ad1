//! Social account binding end to end, the SDK against the emulator playing WeChat: a code
//! whose identity is bound signs in at once; a new identity answers "needs binding" and
//! each binding call then binds it and signs in, after which the same identity signs in
//! at once; refusals (spent key, wrong code, no such user, registration not allowed) and
//! the local checks.

use std::sync::mpsc;

use crate::common::{self, DEADLINE};
use authing::emulator::{AppMfaPolicy, Emulator, NewProviderCode, NewUser};
use authing::{
    codes, ApiCode, AuthClient, AuthError, AuthResponse, EmailType, FactorType, Lang, SmsType,
    SocialBinding,
};

const EMAIL: &str = "mike@example.com";
const PHONE: &str = "18812345678";
const PASSWORD: &str = "passw0rd-1";

/// An emulator with `mike` (username, email, phone, password) and a client that asks for
/// English messages.
fn setup() -> (Emulator, AuthClient, String) {
    let emu = Emulator::start().expect("the emulator starts");
    let mike = emu
        .add_user(
            NewUser::with_username("mike", PASSWORD)
                .email(EMAIL)
                .phone("+86", PHONE),
        )
        .expect("mike");
    let client = common::builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .build()
        .unwrap();
    (emu, client, mike)
}

/// A WeChat code for the identity `wx`, with `email` at WeChat when given.
fn wechat_code(emu: &Emulator, wx: &str, email: Option<&str>) -> String {
    let mut seed = NewProviderCode::new("wechat", wx).nickname("Mike on WeChat");
    if let Some(email) = email {
        seed = seed.email(email);
    }
    emu.add_provider_code(seed).expect("a wechat code")
}

/// The first sign-in of `wx`: it must ask to bind.
fn needs_binding(
    emu: &Emulator,
    client: &AuthClient,
    wx: &str,
    email: Option<&str>,
) -> SocialBinding {
    let code = wechat_code(emu, wx, email);
    let response = client.auth_by_code_identity_blocking(&code, None);
    assert_eq!(response.status_code(), 301, "{response:?}");
    assert!(!response.is_success());
    assert!(client.get_current_user().is_none(), "no session yet");
    response.social_binding().expect("a binding answer")
}

fn api_code(response: &AuthResponse) -> Option<i32> {
    response
        .error()
        .and_then(AuthError::api)
        .and_then(|api| api.api_code)
        .map(|code| code.0)
}

/// Checks that `response` signed `user` in, and that the identity `wx` now signs in at
/// once as the same user.
fn signed_in_then_bound(
    emu: &Emulator,
    client: &AuthClient,
    response: AuthResponse,
    wx: &str,
) -> String {
    assert_eq!(response.status_code(), 200, "{response:?}");
    let user = client
        .get_current_user()
        .expect("a session")
        .user_id()
        .to_string();
    client.logout_blocking();
    let again = client.auth_by_code_identity_blocking(&wechat_code(emu, wx, None), None);
    assert_eq!(again.status_code(), 200, "{again:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), user);
    user
}

#[test]
fn a_new_identity_needs_binding_with_a_key_the_methods_and_the_matching_accounts() {
    let (emu, client, mike) = setup();
    let binding = needs_binding(&emu, &client, "wx-1", Some(EMAIL));
    assert_eq!(binding.api_code(), ApiCode::BIND_OR_CREATE_ACCOUNT);
    assert!(binding.may_register());
    assert_eq!(binding.accounts(), [mike.as_str()]);
    assert!(binding.methods().iter().any(|m| m == "email-code"));
    assert_eq!(binding.key().len(), 36);
    // Nothing was created or linked yet.
    assert_eq!(emu.users().len(), 1);
}

#[test]
fn register_new_user_creates_an_account_for_the_identity_and_signs_it_in() {
    let (emu, client, mike) = setup();
    let binding = needs_binding(&emu, &client, "wx-2", None);
    let response = client.register_new_user_blocking(binding.key());
    assert!(response.login_token_data().is_ok());
    let user = signed_in_then_bound(&emu, &client, response, "wx-2");
    assert_ne!(user, mike);
    assert_eq!(emu.users().len(), 2);
    let identities = client.get_identities_blocking().identities().unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].provider(), "wechat");
    assert_eq!(identities[0].user_id_in_idp(), "wx-2");
}

#[test]
fn bind_by_email_code_binds_the_account_of_that_email() {
    let (emu, client, mike) = setup();
    let binding = needs_binding(&emu, &client, "wx-3", None);
    let sent = client.send_email_blocking(EMAIL, EmailType::CHANNEL_LOGIN);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code(EMAIL).expect("a code");
    let response = client.bind_by_email_code_blocking(binding.key(), EMAIL, &code);
    assert_eq!(signed_in_then_bound(&emu, &client, response, "wx-3"), mike);
}

#[test]
fn bind_by_phone_code_binds_the_account_of_that_phone() {
    let (emu, client, mike) = setup();
    let binding = needs_binding(&emu, &client, "wx-4", None);
    let sent = client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code(PHONE).expect("a code");
    let response = client.bind_by_phone_code_blocking(binding.key(), Some("86"), PHONE, &code);
    assert_eq!(signed_in_then_bound(&emu, &client, response, "wx-4"), mike);
}

#[test]
fn bind_by_account_binds_the_account_its_password_proves() {
    let (emu, client, mike) = setup();
    let binding = needs_binding(&emu, &client, "wx-5", None);
    let wrong = client.bind_by_account_blocking(binding.key(), "mike", "wrong-pass-1");
    assert!(!wrong.is_success(), "{wrong:?}");
    assert!(client.get_current_user().is_none());
    // The key survives a refusal.
    let response = client.bind_by_account_blocking(binding.key(), EMAIL, PASSWORD);
    assert_eq!(signed_in_then_bound(&emu, &client, response, "wx-5"), mike);
}

#[test]
fn select_account_binds_one_of_the_candidates_and_no_other() {
    let (emu, client, mike) = setup();
    let other = emu
        .add_user(NewUser::with_username("carol", PASSWORD))
        .unwrap();
    let binding = needs_binding(&emu, &client, "wx-6", Some(EMAIL));
    let refused = client.select_account_blocking(binding.key(), &other);
    assert_eq!(api_code(&refused), Some(2004), "{refused:?}");
    let response = client.select_account_blocking(binding.key(), &binding.accounts()[0]);
    assert_eq!(signed_in_then_bound(&emu, &client, response, "wx-6"), mike);
}

#[test]
fn bind_by_account_id_binds_that_account_and_the_key_is_spent_after() {
    let (emu, client, mike) = setup();
    let binding = needs_binding(&emu, &client, "wx-7", None);
    let unknown = client.bind_by_account_id_blocking(binding.key(), "no-such-user");
    assert_eq!(api_code(&unknown), Some(2004), "{unknown:?}");
    let response = client.bind_by_account_id_blocking(binding.key(), &mike);
    assert_eq!(signed_in_then_bound(&emu, &client, response, "wx-7"), mike);
    let spent = client.register_new_user_blocking(binding.key());
    assert_eq!(api_code(&spent), Some(2360), "{spent:?}");
}

#[test]
fn an_app_that_allows_no_new_account_answers_1640_and_refuses_register() {
    let (emu, client, _) = setup();
    emu.set_social_binding_allows_register(false);
    let binding = needs_binding(&emu, &client, "wx-8", None);
    assert_eq!(binding.api_code(), ApiCode::BIND_EXISTING_ACCOUNT);
    assert!(!binding.may_register());
    let refused = client.register_new_user_blocking(binding.key());
    assert_eq!(refused.status_code(), 403, "{refused:?}");
    assert!(client.get_current_user().is_none());
}

#[test]
fn a_used_wechat_code_is_refused() {
    let (emu, client, _) = setup();
    let code = wechat_code(&emu, "wx-9", None);
    assert_eq!(
        client
            .auth_by_code_identity_blocking(&code, None)
            .status_code(),
        301
    );
    let again = client.auth_by_code_identity_blocking(&code, None);
    assert_eq!(api_code(&again), Some(2352), "{again:?}");
}

#[test]
fn bad_input_is_refused_locally_with_the_field_named_and_the_callback_runs_once() {
    let (_emu, client, _) = setup();
    let cases: Vec<(AuthResponse, &str)> = vec![
        (client.auth_by_code_identity_blocking(" ", None), "code"),
        (client.register_new_user_blocking(""), "key"),
        (
            client.bind_by_email_code_blocking("k", "not-an-email", "1234"),
            "email",
        ),
        (
            client.bind_by_phone_code_blocking("k", Some("0086"), PHONE, "1234"),
            "phone_country_code",
        ),
        (
            client.bind_by_phone_code_blocking("k", None, PHONE, "12 34"),
            "code",
        ),
        (
            client.bind_by_account_blocking("k", "", PASSWORD),
            "account",
        ),
        (client.select_account_blocking("k", "a b"), "account_id"),
        (client.bind_by_account_id_blocking("k\n", "u-1"), "key"),
    ];
    for (response, field) in cases {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
        match response.error() {
            Some(AuthError::InvalidInput(input)) => assert_eq!(input.field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let (tx, rx) = mpsc::channel();
    let _ = client.bind_by_account("k", "mike", "", move |response: AuthResponse| {
        tx.send(response.status_code()).unwrap();
    });
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap(), codes::INVALID_INPUT);
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(100))
            .is_err(),
        "once"
    );
}

#[test]
fn the_callback_forms_sign_in_and_call_back_once() {
    let (emu, client, mike) = setup();
    let code = wechat_code(&emu, "wx-10", None);
    let (tx, rx) = mpsc::channel();
    let _ = client.auth_by_code_identity(&code, None, tx.clone());
    let binding = rx.recv_timeout(DEADLINE).unwrap().social_binding().unwrap();
    let _ = client.bind_by_account_id(binding.key(), &mike, tx);
    let response = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(rx
        .recv_timeout(std::time::Duration::from_millis(100))
        .is_err());
    assert_eq!(client.get_current_user().unwrap().user_id(), mike);
}

#[test]
fn an_app_mfa_challenge_after_a_binding_waits_and_its_completion_starts_the_session() {
    let (emu, client, mike) = setup();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let binding = needs_binding(&emu, &client, "wx-mfa", None);
    let challenged = client.bind_by_account_id_blocking(binding.key(), &mike);
    assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
    assert!(challenged.mfa_challenge().is_some());
    assert!(
        client.get_token().is_none(),
        "nothing saved before the second factor"
    );
    let sent = client.send_email_blocking(EMAIL, EmailType::CHANNEL_VERIFY_MFA);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code(EMAIL).unwrap();
    let done = client.mfa_verify_by_email_blocking(EMAIL, &code);
    assert_eq!(done.status_code(), 200, "{done:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), mike);
}

#[test]
fn an_identity_linked_by_sign_in_by_mobile_is_bound_and_signs_in_at_once() {
    let (emu, client, _) = setup();
    let first = client.sign_in_by_mobile_blocking(
        authing::Connection::wechat,
        &wechat_code(&emu, "wx-mobile", None),
        None,
    );
    assert_eq!(first.status_code(), 200, "{first:?}");
    let user = client.get_current_user().unwrap().user_id().to_string();
    client.logout_blocking();
    let again = client.auth_by_code_identity_blocking(&wechat_code(&emu, "wx-mobile", None), None);
    assert_eq!(again.status_code(), 200, "{again:?}");
    assert!(!again.needs_social_binding());
    assert_eq!(client.get_current_user().unwrap().user_id(), user);
}

// --- auth_by_code (Guard's loginByWechat) ---

#[test]
fn auth_by_code_signs_a_bound_identity_in_and_the_session_works() {
    let (emu, client, mike) = setup();
    let binding = needs_binding(&emu, &client, "wx-guard-1", None);
    let bound = client.bind_by_account_id_blocking(binding.key(), &mike);
    assert_eq!(bound.status_code(), 200, "{bound:?}");
    client.logout_blocking();
    assert!(client.get_current_user().is_none());
    let (tx, rx) = mpsc::channel();
    let _ = client.auth_by_code(&wechat_code(&emu, "wx-guard-1", None), tx);
    let response = rx.recv_timeout(DEADLINE).unwrap();
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(100))
            .is_err(),
        "once"
    );
    assert_eq!(response.status_code(), 200, "{response:?}");
    // `data` is Guard's user, with its token.
    let data = response.data().expect("the user");
    assert_eq!(data["id"], mike.as_str());
    assert_eq!(data["username"], "mike");
    assert!(data["token"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(client.get_current_user().unwrap().user_id(), mike);
    // The session acts for mike.
    let profile = client.get_profile_blocking(false, true, false);
    assert_eq!(profile.status_code(), 200, "{profile:?}");
    assert_eq!(profile.user_info().unwrap().user_id(), mike);
    let identities = client.get_identities_blocking().identities().unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].user_id_in_idp(), "wx-guard-1");
}

#[test]
fn auth_by_code_gives_a_new_identity_an_account_which_then_signs_in_at_once() {
    let (emu, client, mike) = setup();
    let response = client.auth_by_code_blocking(&wechat_code(&emu, "wx-guard-2", None));
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(!response.needs_social_binding());
    assert_eq!(response.data().unwrap()["nickname"], "Mike on WeChat");
    let user = client.get_current_user().unwrap().user_id().to_string();
    assert_ne!(user, mike);
    assert_eq!(emu.users().len(), 2);
    client.logout_blocking();
    // Linked: the binding sign-in finds it bound.
    let again = client.auth_by_code_identity_blocking(&wechat_code(&emu, "wx-guard-2", None), None);
    assert_eq!(again.status_code(), 200, "{again:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), user);
    client.logout_blocking();
    // A new identity whose WeChat email is mike's is linked to mike's account.
    let linked = client.auth_by_code_blocking(&wechat_code(&emu, "wx-guard-3", Some(EMAIL)));
    assert_eq!(linked.status_code(), 200, "{linked:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), mike);
    assert_eq!(emu.users().len(), 2);
}

#[test]
fn auth_by_code_refuses_a_spent_code_and_keeps_the_session() {
    let (emu, client, _) = setup();
    let code = wechat_code(&emu, "wx-guard-4", None);
    assert_eq!(client.auth_by_code_blocking(&code).status_code(), 200);
    let user = client.get_current_user().unwrap().user_id().to_string();
    let again = client.auth_by_code_blocking(&code);
    assert_eq!(again.api_code(), 2352, "{again:?}");
    assert_eq!(api_code(&again), Some(2352));
    assert!(again.message().contains("used"), "{}", again.message());
    assert_eq!(client.get_current_user().unwrap().user_id(), user);
    let local = client.auth_by_code_blocking(" ");
    match local.error() {
        Some(AuthError::InvalidInput(input)) => assert_eq!(input.field, "code"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn auth_by_code_with_an_app_mfa_challenge_waits_and_its_completion_starts_the_session() {
    let (emu, client, mike) = setup();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let challenged = client.auth_by_code_blocking(&wechat_code(&emu, "wx-guard-5", Some(EMAIL)));
    assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
    assert!(challenged.is_mfa_required());
    assert!(client.get_token().is_none());
    let sent = client.send_email_blocking(EMAIL, EmailType::CHANNEL_VERIFY_MFA);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code(EMAIL).unwrap();
    let done = client.mfa_verify_by_email_blocking(EMAIL, &code);
    assert_eq!(done.status_code(), 200, "{done:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), mike);
}
