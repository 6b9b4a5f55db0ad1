//! Java's `""` for "no value": each call whose Android (`cn.authing.api`) or Guard
//! (`cn.authing.guard.network.AuthClient`) source leaves an empty argument out
//! (`TextUtils.isEmpty`, `Util.isNull`) does so here too, end to end; and a blank one is
//! still refused before anything is sent.

use authing::emulator::{AppMfaPolicy, Emulator, NewRole, NewUser};
use authing::{codes, AuthClient, EmailType, FactorType, PasswordEncryptType, SmsType};

use crate::{client_of, email_code, emulator, ok, signed_in, sms_code};

const PHONE: &str = "18812345678";
const NEW_PHONE: &str = "18887654321";

/// A user `test` with a phone and an email, signed in.
fn test_user() -> (Emulator, AuthClient) {
    let emu = emulator();
    let user = NewUser::with_username("test", "passw0rd-1")
        .phone("+86", PHONE)
        .email("test@example.com");
    let client = signed_in(&emu, user, "test", "passw0rd-1");
    (emu, client)
}

#[test]
fn send_sms_with_an_empty_country_code_sends_none() {
    let emu = emulator();
    let client = client_of(&emu);
    ok(client.send_sms_blocking("", PHONE, SmsType::CHANNEL_LOGIN));
    assert!(emu.latest_code(PHONE).is_some());
    let blank = client.send_sms_blocking(" ", PHONE, SmsType::CHANNEL_LOGIN);
    assert_eq!(blank.status_code(), codes::INVALID_INPUT);
}

#[test]
fn sign_up_and_sign_in_by_phone_pass_code_with_an_empty_country_code() {
    let emu = emulator();
    let client = client_of(&emu);
    let code = sms_code(&emu, &client, PHONE, SmsType::CHANNEL_REGISTER);
    ok(client.sign_up_by_phone_pass_code_blocking("", PHONE, &code, None, None));
    let code = sms_code(&emu, &client, PHONE, SmsType::CHANNEL_LOGIN);
    ok(client.sign_in_by_phone_pass_code_blocking("", PHONE, &code, None));
}

#[test]
fn reset_password_by_phone_with_an_empty_country_code() {
    let emu = emulator();
    emu.add_user(NewUser::with_phone("+86", PHONE, "passw0rd-1"))
        .unwrap();
    let client = client_of(&emu);
    let code = sms_code(&emu, &client, PHONE, SmsType::CHANNEL_RESET_PASSWORD);
    ok(client.reset_password_by_phone_blocking(
        "",
        PHONE,
        &code,
        "newPassw0rd",
        PasswordEncryptType::none,
    ));
    assert!(emu.check_password(PHONE, "newPassw0rd"));
}

#[test]
fn bind_phone_with_an_empty_country_code() {
    let emu = emulator();
    let client = signed_in(
        &emu,
        NewUser::with_username("test", "passw0rd-1"),
        "test",
        "passw0rd-1",
    );
    let code = sms_code(&emu, &client, PHONE, SmsType::CHANNEL_BIND_PHONE);
    ok(client.bind_phone_blocking("", PHONE, &code));
    assert_eq!(client.get_current_user().unwrap().phone(), Some(PHONE));
}

#[test]
fn mfa_verify_by_phone_with_an_empty_country_code() {
    let emu = emulator();
    emu.add_user(NewUser::with_username("test", "passw0rd-1").phone("+86", PHONE))
        .unwrap();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::SMS]))
        .unwrap();
    let client = client_of(&emu);
    let challenged = client.sign_in_by_account_password_blocking("test", "passw0rd-1", None);
    assert!(
        challenged.mfa_challenge().is_some(),
        "{}",
        challenged.message()
    );
    let code = sms_code(&emu, &client, PHONE, SmsType::CHANNEL_VERIFY_MFA);
    ok(client.mfa_verify_by_phone_blocking("", PHONE, &code));
    assert!(client.get_current_user().is_some());
}

#[test]
fn update_phone_request_with_empty_optional_arguments_leaves_them_out() {
    let (emu, client) = test_user();
    let code = sms_code(&emu, &client, NEW_PHONE, SmsType::CHANNEL_BIND_PHONE);
    let verified = ok(client.update_phone_request_blocking("", NEW_PHONE, &code, "", "", ""));
    ok(client.update_phone_blocking(verified.update_phone_data().unwrap()));
    assert_eq!(client.get_current_user().unwrap().phone(), Some(NEW_PHONE));
}

#[test]
fn update_email_request_with_an_empty_old_email_leaves_it_out() {
    let (emu, client) = test_user();
    let code = email_code(
        &emu,
        &client,
        "new@example.com",
        EmailType::CHANNEL_UPDATE_EMAIL,
    );
    let verified = ok(client.update_email_request_blocking("new@example.com", &code, "", ""));
    ok(client.update_email_blocking(verified.update_email_data().unwrap()));
    assert_eq!(
        client.get_current_user().unwrap().email(),
        Some("new@example.com")
    );
}

#[test]
fn get_login_history_with_empty_filters_lists_every_sign_in() {
    let (_emu, client) = test_user();
    let history = ok(client.get_login_history_blocking("", "", None, 0, 0, 1, 10));
    assert_eq!(history.login_history().unwrap().total_count(), 1);
    let blank = client.get_login_history_blocking(" ", None, None, None, None, 1, 10);
    assert_eq!(blank.status_code(), codes::INVALID_INPUT);
}

#[test]
fn get_department_list_with_empty_sort_and_order_takes_the_defaults() {
    let (_emu, client) = test_user();
    ok(client.get_department_list_blocking(1, 10, false, "", ""));
}

#[test]
fn get_role_list_with_an_empty_namespace_lists_every_space() {
    let (emu, client) = test_user();
    emu.assign_role("test", NewRole::new("admin")).unwrap();
    let viewer = NewRole {
        namespace: Some("billing".into()),
        ..NewRole::new("viewer")
    };
    emu.assign_role("test", viewer).unwrap();
    let roles = ok(client.get_role_list_blocking("")).role_list().unwrap();
    assert_eq!(roles.len(), 2);
}

#[test]
fn link_ext_idp_with_a_blank_app_id_is_still_refused() {
    let (emu, client) = test_user();
    let before = emu.stats().requests;
    let blank = client.link_ext_idp_blocking("my-wechat", " ", "");
    assert_eq!(blank.status_code(), codes::INVALID_INPUT);
    assert_eq!(emu.stats().requests, before, "nothing was sent");
}
