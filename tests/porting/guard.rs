//! Guard-era code (Authing's older `cn.authing.guard.network.AuthClient`, static calls
//! with `(code, message, data)` callbacks), ported as docs/PORTING.md's "Porting
//! Guard-era code" section says.

use authing::emulator::{AppMfaPolicy, FactorType, NewExtIdp, NewUser};
use authing::{codes, AuthResponse, SmsType};

use crate::{answer, client_of, emulator, ok, signed_in, sms_code};

#[test]
fn login_by_account_with_a_three_argument_callback() {
    // AuthClient.loginByAccount("test", "passw0rd-1", (code, message, userInfo) -> { .. })
    let emu = emulator();
    emu.add_user(NewUser::with_username("test", "passw0rd-1").nickname("Tester"))
        .unwrap();
    let auth_client = client_of(&emu);
    let client = auth_client.clone();
    let response = answer(|tx| {
        auth_client.sign_in_by_account_password(
            "test",
            "passw0rd-1",
            None,
            move |response: AuthResponse| {
                let (code, message) = (response.status_code(), response.message().to_string());
                let user_info = client.get_current_user(); // Guard's `userInfo`
                assert_eq!(code, 200, "{message}");
                assert_eq!(user_info.unwrap().nickname(), Some("Tester"));
                tx.send(response).unwrap();
            },
        )
    });
    ok(response);
}

#[test]
fn register_by_email_answers_the_new_user() {
    // AuthClient.registerByEmail("new@example.com", "passw0rd-1", (code, message, userInfo) -> ..)
    let emu = emulator();
    let auth_client = client_of(&emu);
    let response = answer(|tx| {
        auth_client.sign_up_by_email_password("new@example.com", "passw0rd-1", None, None, tx)
    });
    assert_eq!(
        ok(response).user_info().unwrap().email(),
        Some("new@example.com")
    );
}

#[test]
fn get_current_user_with_a_callback_is_get_profile() {
    // AuthClient.getCurrentUser((code, message, userInfo) -> ..)
    let emu = emulator();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    let response = answer(|tx| auth_client.get_profile(false, false, false, tx));
    assert_eq!(ok(response).user_info().unwrap().username(), Some("test"));
}

#[test]
fn code_2020_is_is_not_signed_in_locally_and_from_the_server() {
    // if (code == 2020) { /* show the sign-in screen */ }
    let emu = emulator();
    let auth_client = client_of(&emu);
    let local = answer(|tx| auth_client.get_profile(false, false, false, tx));
    assert_eq!(local.status_code(), codes::NOT_SIGNED_IN);
    assert!(local.is_not_signed_in());
    // The server's own 2020: a signed-in client hands it an id token it never issued.
    emu.add_ext_idp(NewExtIdp::new("my-wechat", "wechat", "WeChat"))
        .unwrap();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    let server = auth_client.link_ext_idp_blocking("my-wechat", None, "not.a.token");
    assert_eq!((server.status_code(), server.api_code()), (401, 2020));
    assert!(server.is_not_signed_in());
    assert!(!ok(auth_client.get_profile_blocking(false, false, false)).is_not_signed_in());
}

#[test]
fn a_second_factor_challenge_is_not_not_signed_in() {
    // Its 401 (apiCode 1636) asks for the second factor; the sign-in screen is wrong there.
    let emu = emulator();
    emu.add_user(NewUser::with_username("test", "passw0rd-1"))
        .unwrap();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::OTP]))
        .unwrap();
    let auth_client = client_of(&emu);
    let challenged = auth_client.sign_in_by_account_password_blocking("test", "passw0rd-1", None);
    assert_eq!(challenged.status_code(), 401, "{}", challenged.message());
    assert!(challenged.is_mfa_required());
    assert!(!challenged.is_not_signed_in());
}

#[test]
fn logout_with_a_callback_signs_this_device_out() {
    // AuthClient.logout((code, message, data) -> ..)
    let emu = emulator();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    ok(answer(|tx| auth_client.logout(tx)));
    assert!(auth_client.get_current_user().is_none());
}

#[test]
fn login_by_phone_code_without_a_country_code() {
    // AuthClient.loginByPhoneCode("18812345678", code, (code, message, userInfo) -> ..)
    let emu = emulator();
    emu.add_user(NewUser::with_phone("+86", "18812345678", "passw0rd-1"))
        .unwrap();
    let auth_client = client_of(&emu);
    let pass_code = sms_code(&emu, &auth_client, "18812345678", SmsType::CHANNEL_LOGIN);
    let response = answer(|tx| {
        auth_client.sign_in_by_phone_pass_code(None, "18812345678", &pass_code, None, tx)
    });
    ok(response);
    assert_eq!(
        auth_client.get_current_user().unwrap().phone(),
        Some("18812345678")
    );
}

#[test]
fn update_password_of_guard_takes_no_encrypt_type() {
    // AuthClient.updatePassword("newPassw0rd", "passw0rd-1", (code, message, data) -> ..)
    let emu = emulator();
    let auth_client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    ok(answer(|tx| {
        auth_client.update_password("newPassw0rd", "passw0rd-1", None, tx)
    }));
    assert!(emu.check_password("test", "newPassw0rd"));
}
