//! The signed-in user's own account, end to end: the SDK against the emulator. Profile,
//! avatar, security level, password, phone and email, deletion, and what each does to the
//! session.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{self, DEADLINE};
use authing::emulator::{Emulator, NewUser};
use authing::{
    codes, ApiCode, AuthClient, AuthResponse, Avatar, DeleteAccountPayload,
    DeleteAccountVerifyMethod, EmailType, PasswordEncryptType, PasswordStrength, Profile, SmsType,
};

const USERNAME: &str = "mike";
const PASSWORD: &str = "old-passw0rd";
const PHONE: &str = "18812345678";
const NEW_PHONE: &str = "18800000001";
const EMAIL: &str = "mike@example.com";
const NEW_EMAIL: &str = "mike.new@example.com";

/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// An emulator with the user `mike` (username and password only), and a client of it
/// signed in as mike.
fn signed_in(user: NewUser) -> (Emulator, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(user).expect("the user");
    let client = common::client_at(emu.base_url());
    let response = client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{}", response.message());
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    (emu, client)
}

fn mike() -> NewUser {
    NewUser::with_username(USERNAME, PASSWORD)
}

fn ok(response: AuthResponse) -> AuthResponse {
    assert_eq!(response.status_code(), 200, "{}", response.message());
    response
}

fn api_code(response: &AuthResponse) -> i32 {
    response.api_code()
}

fn code(emu: &Emulator, target: &str) -> String {
    emu.latest_code(target).expect("the emulator issued a code")
}

/// Sends an SMS code to `phone` on `channel` and reads it back.
fn sms(emu: &Emulator, client: &AuthClient, phone: &str, channel: SmsType) -> String {
    ok(client.send_sms_blocking("+86", phone, channel));
    code(emu, phone)
}

/// Sends an email code to `email` on `channel` and reads it back.
fn mail(emu: &Emulator, client: &AuthClient, email: &str, channel: EmailType) -> String {
    ok(client.send_email_blocking(email, channel));
    code(emu, email)
}

fn get(url: &str) -> (u16, String, Vec<u8>) {
    let agent = common::agent();
    let mut res = agent.get(url).call().expect("http");
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = res.body_mut().read_to_vec().expect("body");
    (res.status().as_u16(), content_type, bytes)
}

// --- profile ---

#[test]
fn update_profile_changes_the_fields_set_and_becomes_the_current_user() {
    let (_emu, client) = signed_in(mike().nickname("Mickey").name("Mike Li"));
    let mut profile = Profile::new();
    profile
        .set_nickname("Mike")
        .set_city("Beijing")
        .set_gender("M")
        .set_custom_data(serde_json::json!({"team": "blue"}));
    let response = ok(client.update_profile_blocking(profile));
    let user = response.user_info().unwrap();
    assert_eq!(user.nickname(), Some("Mike"));
    assert_eq!(user.name(), Some("Mike Li"), "a field not set stays");
    assert_eq!(user.data()["city"], "Beijing");
    assert_eq!(user.data()["gender"], "M");
    assert_eq!(user.custom_data().unwrap()["team"], "blue");
    assert_eq!(client.get_current_user().unwrap(), user);
    let fetched = ok(client.get_profile_blocking(true, false, false));
    assert_eq!(fetched.user_info().unwrap().data()["city"], "Beijing");
}

#[test]
fn update_profile_to_a_username_another_user_has_fails_with_409() {
    let (emu, client) = signed_in(mike());
    emu.add_user(NewUser::with_username("taken", "pw-123456"))
        .unwrap();
    let mut profile = Profile::new();
    profile.set_username("taken");
    let response = client.update_profile_blocking(profile);
    assert_eq!(response.status_code(), 409);
    assert_eq!(api_code(&response), 2305);
    assert_eq!(
        client.get_current_user().unwrap().username(),
        Some(USERNAME)
    );
}

#[test]
fn upload_avatar_stores_the_picture_sets_the_photo_and_the_emulator_serves_it_back() {
    let (emu, client) = signed_in(mike());
    let response = ok(client.upload_avatar_blocking(PNG));
    let photo = response.user_info().unwrap().photo().unwrap().to_string();
    assert!(photo.starts_with(&emu.base_url()), "{photo}");
    assert_eq!(
        client.get_current_user().unwrap().photo(),
        Some(photo.as_str())
    );
    let (status, content_type, bytes) = get(&photo);
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    assert_eq!(bytes, PNG);
    let upload = emu.upload(&photo).expect("the emulator kept it");
    assert_eq!(upload.bytes, PNG);
    assert!(upload.key.starts_with("photos/") && upload.key.ends_with(".png"));
}

#[test]
fn upload_avatar_reads_a_file_by_its_path() {
    let (emu, client) = signed_in(mike());
    let path = std::env::temp_dir().join(format!("authing-avatar-{}.gif", std::process::id()));
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    std::fs::write(&path, &gif).unwrap();
    let response = ok(client.upload_avatar_blocking(path.as_path()));
    let _ = std::fs::remove_file(&path);
    let photo = response.user_info().unwrap().photo().unwrap().to_string();
    assert_eq!(emu.upload(&photo).unwrap().content_type, "image/gif");
}

#[test]
fn upload_avatar_refuses_a_missing_file_a_non_image_and_an_oversized_one_locally() {
    let (emu, client) = signed_in(mike());
    let before = emu.stats().requests;
    let missing = PathBuf::from("/nonexistent/authing/avatar.png");
    let response = client.upload_avatar_blocking(missing);
    assert_eq!(response.status_code(), codes::INVALID_INPUT);
    assert!(
        response.error().unwrap().to_string().starts_with(
            "invalid input: avatar cannot be read from /nonexistent/authing/avatar.png"
        ),
        "{}",
        response.message()
    );
    let response = client.upload_avatar_blocking(&b"%PDF-1.7 not a picture"[..]);
    assert_eq!(
        response.error().unwrap().to_string(),
        "invalid input: avatar is not a PNG, JPEG, GIF or WebP image"
    );
    let mut huge = PNG.to_vec();
    huge.resize(authing::MAX_AVATAR_BYTES + 1, 0);
    let response = client.upload_avatar_blocking(Avatar::from_reader(std::io::Cursor::new(huge)));
    assert_eq!(
        response.error().unwrap().to_string(),
        "invalid input: avatar is larger than 5242880 bytes (5 MiB); make it smaller"
    );
    let response = client.upload_avatar_blocking(Vec::new());
    assert_eq!(
        response.error().unwrap().to_string(),
        "invalid input: avatar is empty"
    );
    assert_eq!(emu.stats().requests, before, "nothing reached the server");
    assert!(emu.uploads().is_empty());
}

#[test]
fn upload_avatar_calls_back_exactly_once_with_the_changed_user() {
    let (_emu, client) = signed_in(mike());
    let (tx, rx) = mpsc::channel();
    let _detached = client.upload_avatar(PNG, tx);
    let response = rx.recv_timeout(DEADLINE).expect("the callback ran");
    assert!(response.user_info().unwrap().photo().is_some());
    assert!(rx.recv_timeout(common::QUIET).is_err(), "one callback only");
}

#[test]
fn compute_password_security_level_rates_passwords_locally() {
    let client = AuthClient::builder().build().unwrap();
    assert_eq!(
        client.compute_password_security_level("abc"),
        PasswordStrength::EWeak
    );
    assert_eq!(
        client.compute_password_security_level("abcdef12"),
        PasswordStrength::EMedium
    );
    assert_eq!(
        client.compute_password_security_level("abc12!@#"),
        PasswordStrength::EStrong
    );
}

#[test]
fn get_security_level_reports_what_the_account_has() {
    let (_emu, client) = signed_in(mike().email(EMAIL));
    let info = ok(client.get_security_level_blocking())
        .security_info()
        .unwrap();
    assert!(info.password_set());
    assert!(info.email_binded());
    assert!(!info.phone_binded());
    assert!(!info.mfa_enrolled());
    assert_eq!(
        info.password_security_level(),
        3,
        "letters, digits and a '-'"
    );
    assert_eq!(info.security_score(), 20.0 + 3.0 * 10.0 + 20.0);
}

#[test]
fn get_security_level_counts_an_enrolled_mfa_factor() {
    let (_emu, client) = signed_in(mike());
    let before = ok(client.get_security_level_blocking())
        .security_info()
        .unwrap();
    assert!(!before.mfa_enrolled());
    let started = ok(client.send_enroll_factor_request_blocking(
        authing::FactorType::OTP,
        authing::FactorProfile::new(),
    ));
    let enrolment = started.enroll_factor_request_data().unwrap();
    let secret = enrolment.otp_data().unwrap().secret().unwrap().to_string();
    let code = authing::totp::generate_now(&secret).unwrap();
    ok(client.enroll_factor_blocking(
        authing::FactorType::OTP,
        enrolment.enrollment_token(),
        &code,
    ));
    let after = ok(client.get_security_level_blocking())
        .security_info()
        .unwrap();
    assert!(after.mfa_enrolled());
    assert_eq!(after.security_score(), before.security_score() + 10.0);
}

// --- password ---

#[test]
fn update_password_checks_the_old_one_and_sets_the_new_one() {
    let (emu, client) = signed_in(mike());
    let wrong = client.update_password_blocking(
        "new-passw0rd!",
        "not-the-password",
        PasswordEncryptType::none,
    );
    assert_eq!((wrong.status_code(), wrong.api_code()), (403, 2006));
    ok(client.update_password_blocking("newpassw0rd", PASSWORD, PasswordEncryptType::rsa));
    assert!(emu.check_password(USERNAME, "newpassw0rd"));
    assert!(!emu.check_password(USERNAME, PASSWORD));
    // The calling session goes on, its user fetched again.
    assert!(client.get_current_user().unwrap().data()["passwordLastSetAt"].is_string());
    ok(client.get_profile_blocking(false, false, false));
    let info = ok(client.get_security_level_blocking())
        .security_info()
        .unwrap();
    assert_eq!(
        info.password_security_level(),
        2,
        "letters and digits, rated when set"
    );
}

#[test]
fn update_password_ends_the_other_sessions_of_the_user() {
    let (emu, client) = signed_in(mike());
    let other = common::client_at(emu.base_url());
    ok(other.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (2, 2));
    ok(client.update_password_blocking("new-passw0rd!", PASSWORD, PasswordEncryptType::sm2));
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (1, 1));
    // The other device's token is refused; its refresh token too: it is signed out.
    let refused = other.get_profile_blocking(false, false, false);
    assert_eq!(refused.status_code(), codes::NOT_SIGNED_IN);
    assert!(other.get_token().is_none());
    ok(client.get_profile_blocking(false, false, false));
}

#[test]
fn update_password_to_the_same_password_is_refused_locally() {
    let (emu, client) = signed_in(mike());
    let before = emu.stats().requests;
    let response = client.update_password_blocking(PASSWORD, PASSWORD, PasswordEncryptType::none);
    assert_eq!(response.status_code(), codes::INVALID_INPUT);
    assert_eq!(
        response.error().unwrap().to_string(),
        "invalid input: new_password is the same as old_password; choose a different one"
    );
    assert_eq!(emu.stats().requests, before);
}

// --- phone and email ---

#[test]
fn bind_phone_with_its_code_binds_it_and_updates_the_current_user() {
    let (emu, client) = signed_in(mike());
    let wrong = client.bind_phone_blocking("+86", PHONE, "000000");
    assert_eq!(wrong.api_code(), ApiCode::WRONG_VERIFY_CODE.as_i32());
    let pass_code = sms(&emu, &client, PHONE, SmsType::CHANNEL_BIND_PHONE);
    ok(client.bind_phone_blocking("+86", PHONE, &pass_code));
    let user = client.get_current_user().unwrap();
    assert_eq!(
        (user.phone(), user.phone_country_code()),
        (Some(PHONE), Some("+86"))
    );
    assert!(user.phone_verified());
    emu.advance_clock(Duration::from_secs(61));
    let again = sms(&emu, &client, NEW_PHONE, SmsType::CHANNEL_BIND_PHONE);
    let twice = client.bind_phone_blocking(None, NEW_PHONE, &again);
    assert_eq!((twice.status_code(), twice.api_code()), (422, 2341));
}

#[test]
fn bind_phone_of_another_user_fails_with_409() {
    let (emu, client) = signed_in(mike());
    emu.add_user(NewUser::with_phone("+86", PHONE, "pw-123456"))
        .unwrap();
    let pass_code = sms(&emu, &client, PHONE, SmsType::CHANNEL_BIND_PHONE);
    let response = client.bind_phone_blocking("+86", PHONE, &pass_code);
    assert_eq!((response.status_code(), response.api_code()), (409, 2305));
}

#[test]
fn un_bind_phone_refuses_the_last_way_to_sign_in_and_unbinds_otherwise() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("+86", PHONE, PASSWORD))
        .unwrap();
    let client = common::client_at(emu.base_url());
    ok(client.sign_in_by_phone_password_blocking(PHONE, PASSWORD, None));
    let pass_code = sms(&emu, &client, PHONE, SmsType::CHANNEL_UNBIND_PHONE);
    let last = client.un_bind_phone_blocking(&pass_code);
    assert_eq!((last.status_code(), last.api_code()), (422, 2343));
    let bound = mail(&emu, &client, EMAIL, EmailType::CHANNEL_BIND_EMAIL);
    ok(client.bind_email_blocking(EMAIL, &bound));
    ok(client.un_bind_phone_blocking(&pass_code));
    let user = client.get_current_user().unwrap();
    assert_eq!((user.phone(), user.email()), (None, Some(EMAIL)));
}

#[test]
fn bind_email_and_un_bind_email_round_trip() {
    let (emu, client) = signed_in(mike());
    let pass_code = mail(&emu, &client, EMAIL, EmailType::CHANNEL_BIND_EMAIL);
    ok(client.bind_email_blocking(EMAIL, &pass_code));
    assert_eq!(client.get_current_user().unwrap().email(), Some(EMAIL));
    assert!(client.get_current_user().unwrap().email_verified());
    let pass_code = mail(&emu, &client, EMAIL, EmailType::CHANNEL_UNBIND_EMAIL);
    ok(client.un_bind_email_blocking(&pass_code));
    assert_eq!(client.get_current_user().unwrap().email(), None);
}

#[test]
fn update_phone_request_then_update_phone_changes_the_number_once() {
    let (emu, client) = signed_in(mike().phone("+86", PHONE));
    let new_code = sms(&emu, &client, NEW_PHONE, SmsType::CHANNEL_BIND_PHONE);
    let old_code = sms(&emu, &client, PHONE, SmsType::CHANNEL_UNBIND_PHONE);
    let verified =
        ok(client
            .update_phone_request_blocking("+86", NEW_PHONE, &new_code, "+86", PHONE, &old_code))
        .update_phone_data()
        .unwrap();
    assert_eq!(verified.token_expires_in(), 60);
    assert!(!verified.is_expired());
    assert_eq!(
        client.get_current_user().unwrap().phone(),
        Some(PHONE),
        "nothing changed yet"
    );
    ok(client.update_phone_blocking(&verified));
    assert_eq!(client.get_current_user().unwrap().phone(), Some(NEW_PHONE));
    assert_eq!(
        emu.user_state(NEW_PHONE).unwrap().username.as_deref(),
        Some(USERNAME)
    );
    let again = client.update_phone_blocking(verified.update_phone_token());
    assert_eq!(
        (again.status_code(), again.api_code()),
        (400, 2340),
        "single use"
    );
}

#[test]
fn an_update_phone_token_expires_on_the_emulator_clock() {
    let (emu, client) = signed_in(mike().phone("+86", PHONE));
    let new_code = sms(&emu, &client, NEW_PHONE, SmsType::CHANNEL_BIND_PHONE);
    let verified =
        ok(client.update_phone_request_blocking(None, NEW_PHONE, &new_code, None, None, None))
            .update_phone_data()
            .unwrap();
    emu.advance_clock(Duration::from_secs(60));
    let late = client.update_phone_blocking(verified.update_phone_token());
    assert_eq!((late.status_code(), late.api_code()), (400, 2340));
    assert_eq!(
        emu.user_state(USERNAME).unwrap().phone_number.as_deref(),
        Some(PHONE)
    );
}

#[test]
fn update_email_request_then_update_email_changes_the_address() {
    let (emu, client) = signed_in(mike().email(EMAIL));
    let new_code = mail(&emu, &client, NEW_EMAIL, EmailType::CHANNEL_UPDATE_EMAIL);
    let old_code = mail(&emu, &client, EMAIL, EmailType::CHANNEL_UNBIND_EMAIL);
    let wrong_old =
        client.update_email_request_blocking(NEW_EMAIL, &new_code, "someone@else.com", &old_code);
    assert_eq!((wrong_old.status_code(), wrong_old.api_code()), (422, 2342));
    let verified = ok(client.update_email_request_blocking(NEW_EMAIL, &new_code, EMAIL, &old_code))
        .update_email_data()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let _detached = client.update_email(verified, tx);
    ok(rx.recv_timeout(DEADLINE).expect("the callback ran"));
    assert_eq!(client.get_current_user().unwrap().email(), Some(NEW_EMAIL));
    assert!(emu.user_state(NEW_EMAIL).is_some());
    assert!(emu.user_state(EMAIL).is_none());
}

// --- deletion ---

#[test]
fn delete_account_by_email_passcode_deletes_the_user_and_clears_the_session() {
    let (emu, client) = signed_in(mike().email(EMAIL));
    let pass_code = mail(&emu, &client, EMAIL, EmailType::CHANNEL_DELETE_ACCOUNT);
    let mut payload = DeleteAccountPayload::new();
    payload.set_email(EMAIL).set_pass_code(pass_code);
    let verified =
        ok(client
            .delete_account_request_blocking(DeleteAccountVerifyMethod::EMAIL_PASSCODE, payload))
        .delete_account_data()
        .unwrap();
    assert!(emu.user_state(USERNAME).is_some(), "nothing deleted yet");
    let token = client.get_token().unwrap();
    let response = ok(client.delete_account_blocking(&verified));
    assert_eq!(response.data().unwrap()["success"], true);
    assert!(emu.user_state(USERNAME).is_none());
    assert!(client.get_current_user().is_none() && client.get_token().is_none());
    let after = client.get_profile_blocking(false, false, false);
    assert_eq!(after.status_code(), codes::NOT_SIGNED_IN);
    // The old access token no longer works on the server either.
    let stale = common::builder_at(emu.base_url())
        .access_token(token.access_token())
        .build()
        .unwrap()
        .get_profile_blocking(false, false, false);
    assert_eq!(stale.status_code(), 401);
}

#[test]
fn delete_account_request_by_password_encrypted_with_sm2_or_by_phone_answers_a_token() {
    let (emu, client) = signed_in(mike().phone("+86", PHONE));
    let mut payload = DeleteAccountPayload::new();
    payload
        .set_password("wrong-password")
        .set_password_encrypt_type(PasswordEncryptType::sm2);
    let wrong =
        client.delete_account_request_blocking(DeleteAccountVerifyMethod::PASSWORD, payload);
    assert_eq!((wrong.status_code(), wrong.api_code()), (403, 2006));
    let mut payload = DeleteAccountPayload::new();
    payload
        .set_password(PASSWORD)
        .set_password_encrypt_type(PasswordEncryptType::sm2);
    ok(client.delete_account_request_blocking(DeleteAccountVerifyMethod::PASSWORD, payload))
        .delete_account_data()
        .unwrap();
    let pass_code = sms(&emu, &client, PHONE, SmsType::CHANNEL_DELETE_ACCOUNT);
    let mut payload = DeleteAccountPayload::new();
    payload.set_phone_number(PHONE).set_pass_code(pass_code);
    let verified =
        ok(client
            .delete_account_request_blocking(DeleteAccountVerifyMethod::PHONE_PASSCODE, payload))
        .delete_account_data()
        .unwrap();
    let other = common::client_at(emu.base_url());
    emu.add_user(NewUser::with_username("other", PASSWORD))
        .unwrap();
    ok(other.sign_in_by_user_name_password_blocking("other", PASSWORD, None));
    let not_theirs = other.delete_account_blocking(verified.delete_account_token());
    assert_eq!(
        (not_theirs.status_code(), not_theirs.api_code()),
        (400, 2340)
    );
    assert!(emu.user_state("other").is_some());
}

#[test]
fn a_failed_delete_account_keeps_the_session() {
    let (emu, client) = signed_in(mike());
    let response = client.delete_account_blocking("not-a-token-the-emulator-issued");
    assert_eq!(response.api_code(), 2340);
    assert!(client.get_token().is_some());
    assert!(emu.user_state(USERNAME).is_some());
}

// --- without a session ---

#[test]
fn every_call_of_the_family_answers_10015_without_a_signed_in_user_and_sends_nothing() {
    let emu = Emulator::start().unwrap();
    let client = common::client_at(emu.base_url());
    let mut profile = Profile::new();
    profile.set_nickname("x");
    let mut delete = DeleteAccountPayload::new();
    delete.set_password(PASSWORD);
    let answers = [
        client.update_profile_blocking(profile),
        client.upload_avatar_blocking(PNG),
        client.get_security_level_blocking(),
        client.update_password_blocking("new-passw0rd", PASSWORD, PasswordEncryptType::rsa),
        client.bind_phone_blocking(None, PHONE, "1234"),
        client.un_bind_phone_blocking("1234"),
        client.bind_email_blocking(EMAIL, "1234"),
        client.un_bind_email_blocking("1234"),
        client.update_phone_request_blocking(None, PHONE, "1234", None, None, None),
        client.update_phone_blocking("t"),
        client.update_email_request_blocking(EMAIL, "1234", None, None),
        client.update_email_blocking("t"),
        client.delete_account_request_blocking(DeleteAccountVerifyMethod::PASSWORD, delete),
        client.delete_account_blocking("t"),
    ];
    for answer in answers {
        assert_eq!(
            answer.status_code(),
            codes::NOT_SIGNED_IN,
            "{}",
            answer.message()
        );
    }
    assert_eq!(emu.stats().requests, 0, "nothing reached the server");
}
