//! Mobile social sign-in end to end, the SDK against the emulator playing the providers:
//! each call signs in and the session holds the user; one identity is one user; used,
//! unknown and expired codes; a connection the app does not have.

use std::sync::mpsc;
use std::time::Duration;

use crate::common::{self, DEADLINE, QUIET};
use authing::emulator::{AppMfaPolicy, Emulator, NewProviderCode, NewUser, SocialConnection};
use authing::{
    codes, AuthClient, AuthError, AuthResponse, Connection, EmailType, FactorType, Lang,
};

/// An emulator and a client that asks for English messages.
fn setup() -> (Emulator, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    let client = common::builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .build()
        .unwrap();
    (emu, client)
}

/// The apiCode of a refused answer.
fn api_code(response: &AuthResponse) -> Option<i32> {
    response
        .error()
        .and_then(AuthError::api)
        .and_then(|api| api.api_code)
        .map(|code| code.0)
}

#[test]
fn sign_in_by_mobile_signs_in_each_connection_and_the_session_holds_the_user() {
    let (emu, client) = setup();
    for (i, connection) in Connection::ALL.iter().enumerate() {
        let seed = NewProviderCode::new(connection.as_str(), format!("user-{i}"))
            .nickname(format!("Nick {i}"));
        let code = emu.add_provider_code(seed).expect("a code");
        let response = client.sign_in_by_mobile_blocking(*connection, &code, None);
        assert_eq!(response.status_code(), 200, "{connection}: {response:?}");
        assert!(response.login_token_data().is_ok(), "{connection}");
        let user = client
            .get_current_user()
            .expect("the session holds the user");
        assert_eq!(user.nickname(), Some(format!("Nick {i}").as_str()));
    }
    // One new user per identity.
    assert_eq!(emu.users().len(), Connection::ALL.len());
}

#[test]
fn sign_in_by_one_auth_signs_the_yidun_identity_in_with_its_phone() {
    let (emu, client) = setup();
    let code = emu
        .add_provider_code(NewProviderCode::new("yidun", "yd-1").phone("+86", "18812345678"))
        .unwrap();
    let response = client.sign_in_by_one_auth_blocking(&code, "carrier-token", None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let user = client.get_current_user().expect("signed in");
    assert_eq!(user.phone(), Some("18812345678"));
}

#[test]
fn sign_in_by_wechat_mini_program_signs_the_identity_in() {
    let (emu, client) = setup();
    let code = emu
        .add_provider_code(
            NewProviderCode::new("wechat_mini_program_code_and_phone", "wx-mini-1")
                .email("mini@example.com"),
        )
        .unwrap();
    let response = client.sign_in_by_wechat_mini_program_blocking(&code, "phone-code", None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let user = client.get_current_user().expect("signed in");
    assert_eq!(user.email(), Some("mini@example.com"));
}

#[test]
fn the_same_identity_twice_is_the_same_user_and_its_identity_is_linked() {
    let (emu, client) = setup();
    let first = emu
        .add_provider_code(NewProviderCode::new("google", "g-42"))
        .unwrap();
    assert_eq!(
        client
            .sign_in_by_mobile_blocking(Connection::google, &first, None)
            .status_code(),
        200
    );
    let first_user = client.get_current_user().unwrap().user_id().to_string();
    let second = emu
        .add_provider_code(NewProviderCode::new("google", "g-42"))
        .unwrap();
    assert_eq!(
        client
            .sign_in_by_mobile_blocking(Connection::google, &second, None)
            .status_code(),
        200
    );
    assert_eq!(client.get_current_user().unwrap().user_id(), first_user);
    assert_eq!(emu.users().len(), 1);
    let identities = client.get_identities_blocking().identities().unwrap();
    assert_eq!(identities.len(), 1, "{identities:?}");
    assert_eq!(identities[0].provider(), "google");
    assert_eq!(identities[0].user_id_in_idp(), "g-42");
    // Another id at the same provider is another user.
    let other = emu
        .add_provider_code(NewProviderCode::new("google", "g-43"))
        .unwrap();
    client.sign_in_by_mobile_blocking(Connection::google, &other, None);
    assert_ne!(client.get_current_user().unwrap().user_id(), first_user);
}

#[test]
fn an_identity_with_a_users_email_signs_that_user_in() {
    let (emu, client) = setup();
    let id = emu
        .add_user(NewUser::with_email("mike@example.com", "secret-123"))
        .unwrap();
    let code = emu
        .add_provider_code(NewProviderCode::new("alipay", "ali-1").email("mike@example.com"))
        .unwrap();
    let response = client.sign_in_by_mobile_blocking(Connection::alipay, &code, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), id);
}

#[test]
fn a_used_code_is_refused_with_the_emulators_code() {
    let (emu, client) = setup();
    let code = emu
        .add_provider_code(NewProviderCode::new("wechat", "wx-1"))
        .unwrap();
    assert_eq!(
        client
            .sign_in_by_mobile_blocking(Connection::wechat, &code, None)
            .status_code(),
        200
    );
    let again = client.sign_in_by_mobile_blocking(Connection::wechat, &code, None);
    assert_eq!(again.status_code(), 400, "{again:?}");
    assert_eq!(api_code(&again), Some(2352));
    assert!(again.message().contains("used"), "{}", again.message());
}

#[test]
fn an_unknown_code_is_refused_and_nobody_is_signed_in() {
    let (emu, client) = setup();
    let response = client.sign_in_by_mobile_blocking(Connection::wechat, "never-issued", None);
    assert_eq!(response.status_code(), 400, "{response:?}");
    assert_eq!(api_code(&response), Some(2352));
    assert!(client.get_current_user().is_none());
    assert!(emu.users().is_empty());
}

#[test]
fn a_code_of_another_connection_is_unknown_to_this_one() {
    let (emu, client) = setup();
    let code = emu
        .add_provider_code(NewProviderCode::new("wechat", "wx-1"))
        .unwrap();
    let response = client.sign_in_by_mobile_blocking(Connection::alipay, &code, None);
    assert_eq!(api_code(&response), Some(2352), "{response:?}");
}

#[test]
fn an_expired_code_is_refused_on_the_emulator_clock() {
    let (emu, client) = setup();
    let code = emu
        .add_provider_code(NewProviderCode::new("lark_public", "lk-1").ttl(Duration::from_secs(60)))
        .unwrap();
    emu.advance_clock(Duration::from_secs(61));
    let response = client.sign_in_by_mobile_blocking(Connection::lark_public, &code, None);
    assert_eq!(api_code(&response), Some(2352), "{response:?}");
    assert!(
        response.message().contains("expired"),
        "{}",
        response.message()
    );
}

#[test]
fn a_connection_the_app_does_not_have_is_refused_locally_and_never_reaches_the_endpoint() {
    let (emu, client) = setup();
    emu.set_social_connections(vec![SocialConnection::new("wechat:mobile", "my-wechat")])
        .unwrap();
    let code = emu
        .add_provider_code(NewProviderCode::new("facebook", "fb-1"))
        .unwrap();
    let requests_before = emu.stats().requests;
    let response = client.sign_in_by_mobile_blocking(Connection::facebook, &code, None);
    assert_eq!(
        response.status_code(),
        codes::CONFIG_NOT_FOUND,
        "{response:?}"
    );
    assert!(
        response.message().contains("no facebook connection"),
        "{}",
        response.message()
    );
    // Only the public config was asked for.
    assert_eq!(emu.stats().requests, requests_before + 1);
    // The code was not spent: with the connection back, it signs in.
    emu.set_social_connections(vec![SocialConnection::new("facebook:mobile", "fb")])
        .unwrap();
    let fresh = common::client_at(emu.base_url());
    let response = fresh.sign_in_by_mobile_blocking(Connection::facebook, &code, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
}

#[test]
fn the_identifier_the_client_sends_is_the_apps_own() {
    let (emu, client) = setup();
    emu.set_social_connections(vec![SocialConnection::new("wechat:mobile", "corp-wechat")])
        .unwrap();
    let code = emu
        .add_provider_code(NewProviderCode::new("wechat", "wx-9"))
        .unwrap();
    let response = client.sign_in_by_mobile_blocking(Connection::wechat, &code, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
}

#[test]
fn a_social_sign_in_is_in_the_login_history_with_its_connection() {
    let (emu, client) = setup();
    let code = emu
        .add_provider_code(NewProviderCode::new("wechatwork", "wc-1"))
        .unwrap();
    assert_eq!(
        client
            .sign_in_by_mobile_blocking(Connection::wechatwork, &code, None)
            .status_code(),
        200
    );
    let history = client
        .get_login_history_blocking(None, None, None, None, None, 1, 10)
        .login_history()
        .unwrap();
    assert_eq!(history.list().len(), 1);
    assert_eq!(history.list()[0].login_method(), "wechatwork");
    assert!(history.list()[0].success());
}

#[test]
fn the_callback_form_signs_in_and_calls_back_once() {
    let (emu, client) = setup();
    let code = emu
        .add_provider_code(NewProviderCode::new("wechatwork_agency", "wa-1"))
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let _ = client.sign_in_by_mobile(
        Connection::wechatwork_agency,
        &code,
        None,
        move |r: AuthResponse| tx.send(r).unwrap(),
    );
    let response = rx.recv_timeout(DEADLINE).expect("one callback");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
    assert!(client.get_current_user().is_some());
}

#[test]
fn an_app_mfa_challenge_waits_and_its_completion_starts_the_social_session() {
    let (emu, client) = setup();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let code = emu
        .add_provider_code(NewProviderCode::new("google", "g-mfa").email("mfa@example.com"))
        .unwrap();
    let challenged = client.sign_in_by_mobile_blocking(Connection::google, &code, None);
    assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
    let challenge = challenged.mfa_challenge().expect("a challenge");
    assert_eq!(challenge.mfa_email(), Some("mfa@example.com"));
    assert!(
        client.get_token().is_none(),
        "nothing saved before the second factor"
    );
    let sent = client.send_email_blocking("mfa@example.com", EmailType::CHANNEL_VERIFY_MFA);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let mfa_code = emu.latest_code("mfa@example.com").unwrap();
    let done = client.mfa_verify_by_email_blocking("mfa@example.com", &mfa_code);
    assert_eq!(done.status_code(), 200, "{done:?}");
    assert_eq!(
        client.get_current_user().unwrap().email(),
        Some("mfa@example.com")
    );
}

#[test]
fn alipays_auth_info_is_given_for_the_apps_alipay_connection_only() {
    let (emu, client) = setup();
    let (tx, rx) = mpsc::channel();
    client
        .get_alipay_auth_info("alipay", move |r: AuthResponse| {
            let _ = tx.send(r);
        })
        .join()
        .expect("the call ends");
    let info = rx
        .recv_timeout(DEADLINE)
        .expect("the callback ran")
        .alipay_auth_info()
        .expect("an authInfo");
    assert!(
        info.contains("method=alipay.open.auth.sdk.code.get"),
        "{info}"
    );
    assert!(info.contains("&target_id="), "{info}");
    let refused = client.get_alipay_auth_info_blocking("wechat-mobile");
    assert_eq!(refused.status_code(), 400);
    emu.set_social_connections(vec![SocialConnection::new("alipay", "my-alipay")])
        .expect("the app's connections");
    assert_eq!(
        client.get_alipay_auth_info_blocking("alipay").status_code(),
        400
    );
    assert_eq!(
        client
            .get_alipay_auth_info_blocking("my-alipay")
            .status_code(),
        200
    );
}
