//! The WeChat helpers end to end, the SDK against the emulator playing WeChat: a mini
//! program user's open data decrypted with the session key of their `wx.login` code (once
//! per code), their phone, and the WeChat access token the server caches; the callback
//! forms answer on their callback.

use std::sync::mpsc;
use std::time::Duration;

use crate::common::{self, DEADLINE};
use authing::emulator::{
    Emulator, NewUser, WECHAT_ACCESS_TOKEN_TTL, WECHAT_CODE_TTL, WECHAT_TEST_APP_ID,
    WECHAT_TEST_APP_SECRET,
};
use authing::{AuthClient, AuthResponse};

const EMAIL: &str = "mike@example.com";
const PASSWORD: &str = "passw0rd-1";

fn signed_in() -> (Emulator, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("a user");
    let client = common::client_at(emu.base_url());
    let response = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    (emu, client)
}

#[test]
fn the_mini_programs_open_data_decrypts_once_per_login_code_and_only_with_its_key() {
    let (emu, client) = signed_in();
    let wx = emu.wechat_mini_program_login();
    let (tx, rx) = mpsc::channel();
    client
        .decrypt_wechat_mini_program_data(
            &wx.ext_idp_conn_identifier,
            &wx.encrypted_data,
            &wx.iv,
            &wx.code,
            move |r: AuthResponse| {
                let _ = tx.send(r);
            },
        )
        .join()
        .expect("the call ends");
    let answer = rx.recv_timeout(DEADLINE).expect("the callback ran");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    let data = answer.data().unwrap();
    assert_eq!(data["nickName"], "Band");
    assert_eq!(data["unionId"], "ocMvos6NjeKLIBqg5Mr9QjxrP1FA");
    assert_eq!(data["watermark"]["appid"], WECHAT_TEST_APP_ID);

    // The code is spent by its first use.
    let again = client.decrypt_wechat_mini_program_data_blocking(
        &wx.ext_idp_conn_identifier,
        &wx.encrypted_data,
        &wx.iv,
        &wx.code,
    );
    assert_eq!(again.status_code(), 400);
    // Another login's key does not open this data.
    let other = emu.wechat_mini_program_login();
    let wrong = client.decrypt_wechat_mini_program_data_blocking(
        &other.ext_idp_conn_identifier,
        &wx.encrypted_data,
        &wx.iv,
        &other.code,
    );
    assert_eq!(wrong.status_code(), 400);
    assert_ne!(
        wrong.api_code(),
        again.api_code(),
        "not the spent code's refusal"
    );
    // A connection the app does not have.
    let fresh = emu.wechat_mini_program_login();
    let unknown = client.decrypt_wechat_mini_program_data_blocking(
        "no-such-wxapp",
        &fresh.encrypted_data,
        &fresh.iv,
        &fresh.code,
    );
    assert_eq!(unknown.status_code(), 400);
    // A code unused for five minutes of emulator time is gone.
    emu.advance_clock(WECHAT_CODE_TTL);
    let late = client.decrypt_wechat_mini_program_data_blocking(
        &fresh.ext_idp_conn_identifier,
        &fresh.encrypted_data,
        &fresh.iv,
        &fresh.code,
    );
    assert_eq!(late.status_code(), 400);
}

#[test]
fn the_phone_code_answers_the_users_phone_once() {
    let (emu, client) = signed_in();
    let wx = emu.wechat_mini_program_login();
    let phone = client
        .get_wechat_mini_program_phone_blocking(&wx.ext_idp_conn_identifier, &wx.phone_code)
        .wechat_phone()
        .expect("a phone");
    assert_eq!(phone.country_code(), "86");
    assert_eq!(phone.phone_number(), authing::emulator::WECHAT_TEST_PHONE);
    let again =
        client.get_wechat_mini_program_phone_blocking(&wx.ext_idp_conn_identifier, &wx.phone_code);
    assert_eq!(again.status_code(), 400);
    // The login code is not a phone code.
    let wrong =
        client.get_wechat_mini_program_phone_blocking(&wx.ext_idp_conn_identifier, &wx.code);
    assert_eq!(wrong.status_code(), 400);
}

#[test]
fn the_wechat_access_token_is_cached_by_the_server_until_it_expires() {
    let (emu, client) = signed_in();
    let first = client
        .get_wechat_mp_access_token_info_blocking(WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET)
        .wechat_access_token()
        .expect("a token");
    let older = client
        .get_wechat_mp_access_token_blocking(WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET)
        .wechat_access_token()
        .expect("a token");
    assert_eq!(
        first.access_token(),
        older.access_token(),
        "both paths, one cache"
    );
    assert!(first.expires_at().ends_with('Z'), "{}", first.expires_at());
    emu.advance_clock(WECHAT_ACCESS_TOKEN_TTL + Duration::from_secs(1));
    // The session's own access token expired meanwhile: the call refreshes it first.
    let renewed = client
        .get_wechat_mp_access_token_info_blocking(WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET)
        .wechat_access_token()
        .expect("a token");
    assert_ne!(renewed.access_token(), first.access_token());
    let refused = client.get_wechat_mp_access_token_info_blocking(WECHAT_TEST_APP_ID, "wrong");
    assert_eq!(refused.status_code(), 400);
    assert_ne!(refused.api_code(), 0);
}
