//! The captcha policy and the code pre-check, end to end on the emulator: with the policy
//! on, wrong passwords until the limit; then the sign-in answers captcha-required; the app
//! fetches the image, the person reads it (the admin API here), and the sign-in with the
//! answer succeeds. A captcha is tried once and belongs to the client that fetched it (its
//! cookie). `pre_check_code` checks a sent code without spending it.

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{CaptchaPolicy, Emulator, NewUser};
use authing::{
    codes, ApiCode, AuthClient, AuthOptions, AuthResponse, EmailType, PreCheckCodePayload, SmsType,
};

const PASSWORD: &str = "secret-123";

fn emulator_with_alice() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username("alice", PASSWORD))
        .expect("alice");
    emu
}

fn client_of(emu: &Emulator) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .expect("valid settings")
}

fn with_captcha(answer: &str) -> AuthOptions {
    let mut options = AuthOptions::new();
    options.set_captcha_code(answer);
    options
}

#[test]
fn after_n_wrong_passwords_the_sign_in_needs_the_captcha_of_the_image_and_then_succeeds() {
    let emu = emulator_with_alice();
    emu.set_captcha_policy(CaptchaPolicy::AfterFailures(3));
    let client = client_of(&emu);
    for _ in 0..3 {
        let wrong = client.sign_in_by_user_name_password_blocking("alice", "wrong-pass-1", None);
        assert_eq!(wrong.api_code(), 2333, "{wrong:?}");
        assert!(!wrong.is_captcha_required());
    }
    assert_eq!(emu.failed_sign_ins("127.0.0.1"), 3);
    // The right password is not enough now.
    let refused = client.sign_in_by_user_name_password_blocking("alice", PASSWORD, None);
    assert!(refused.is_captcha_required(), "{refused:?}");
    assert_eq!(
        refused
            .error()
            .and_then(|e| e.api())
            .and_then(|a| a.api_code),
        Some(ApiCode::CAPTCHA_REQUIRED)
    );
    assert!(client.get_current_user().is_none());
    // The image, and what the person reads off it.
    let image = client.get_captcha_code_blocking().captcha_image().unwrap();
    assert_eq!(image.content_type(), "image/svg+xml");
    let svg = image.as_svg().unwrap();
    let answer = emu.latest_captcha_answer().expect("a captcha was drawn");
    assert!(svg.starts_with("<svg"), "{svg}");
    let signed_in = client.sign_in_by_user_name_password_blocking(
        "alice",
        PASSWORD,
        with_captcha(&answer.to_uppercase()),
    );
    assert_eq!(signed_in.status_code(), 200, "{signed_in:?}");
    assert_eq!(client.get_current_user().unwrap().username(), Some("alice"));
    // A success starts the count again.
    assert_eq!(emu.failed_sign_ins("127.0.0.1"), 0);
    assert!(emu.captchas().last().unwrap().spent);
}

#[test]
fn a_wrong_answer_spends_the_captcha_and_the_next_image_is_needed() {
    let emu = emulator_with_alice();
    emu.set_captcha_policy(CaptchaPolicy::Always);
    let client = client_of(&emu);
    client.get_captcha_code_blocking().captcha_image().unwrap();
    let answer = emu.latest_captcha_answer().unwrap();
    let wrong =
        client.sign_in_by_user_name_password_blocking("alice", PASSWORD, with_captcha("zzzz9"));
    assert!(wrong.is_captcha_required(), "{wrong:?}");
    // The right answer is too late: each captcha is tried once.
    let late =
        client.sign_in_by_user_name_password_blocking("alice", PASSWORD, with_captcha(&answer));
    assert!(late.is_captcha_required(), "{late:?}");
    client.get_captcha_code_blocking().captcha_image().unwrap();
    let fresh = emu.latest_captcha_answer().unwrap();
    let ok = client.sign_in_by_user_name_password_blocking("alice", PASSWORD, with_captcha(&fresh));
    assert_eq!(ok.status_code(), 200, "{ok:?}");
}

#[test]
fn a_captcha_answers_only_for_the_client_that_fetched_its_image() {
    let emu = emulator_with_alice();
    emu.set_captcha_policy(CaptchaPolicy::Always);
    let fetcher = client_of(&emu);
    let stranger = client_of(&emu);
    fetcher.get_captcha_code_blocking().captcha_image().unwrap();
    let answer = emu.latest_captcha_answer().unwrap();
    // Another client (no cookie) cannot use the answer...
    let refused =
        stranger.sign_in_by_user_name_password_blocking("alice", PASSWORD, with_captcha(&answer));
    assert!(refused.is_captcha_required(), "{refused:?}");
    // ...and the fetcher still can: the stranger spent nothing.
    let ok =
        fetcher.sign_in_by_user_name_password_blocking("alice", PASSWORD, with_captcha(&answer));
    assert_eq!(ok.status_code(), 200, "{ok:?}");
}

#[test]
fn a_clone_of_the_client_shares_its_captcha_as_it_shares_the_session() {
    let emu = emulator_with_alice();
    emu.set_captcha_policy(CaptchaPolicy::Always);
    let client = client_of(&emu);
    let clone = client.clone();
    clone.get_captcha_code_blocking().captcha_image().unwrap();
    let answer = emu.latest_captcha_answer().unwrap();
    let ok =
        client.sign_in_by_user_name_password_blocking("alice", PASSWORD, with_captcha(&answer));
    assert_eq!(ok.status_code(), 200, "{ok:?}");
}

#[test]
fn with_the_policy_off_a_captcha_code_is_ignored() {
    let emu = emulator_with_alice();
    let client = client_of(&emu);
    let ok = client.sign_in_by_user_name_password_blocking("alice", PASSWORD, with_captcha("abcd"));
    assert_eq!(ok.status_code(), 200, "{ok:?}");
}

#[test]
fn a_pre_checked_code_is_not_spent_a_later_sign_in_with_it_works() {
    let emu = emulator_with_alice();
    let client = client_of(&emu);
    let sent = client.send_sms_blocking("+86", "18812345678", SmsType::CHANNEL_LOGIN);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code("18812345678").unwrap();
    let check = |pass_code: &str| {
        let mut payload =
            PreCheckCodePayload::sms("18812345678", pass_code, SmsType::CHANNEL_LOGIN);
        payload.set_phone_country_code("+86");
        client
            .pre_check_code_blocking(payload)
            .pre_check_code_result()
            .unwrap()
    };
    assert!(check(&code).is_valid());
    assert!(
        check(&code).is_valid(),
        "still valid: the check spent nothing"
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = check(wrong);
    assert!(!refused.is_valid());
    assert!(refused.message().is_some());
    // The code still signs in (an auto-registering passcode sign-in).
    let mut options = AuthOptions::new();
    options.set_auto_register(true);
    let signed_in =
        client.sign_in_by_phone_pass_code_blocking("+86", "18812345678", &code, options);
    assert_eq!(signed_in.status_code(), 200, "{signed_in:?}");
    // Now it is spent: the pre-check says so.
    assert!(!check(&code).is_valid());
}

#[test]
fn a_pre_check_of_an_email_code_on_another_channel_is_not_valid() {
    let emu = emulator_with_alice();
    let client = client_of(&emu);
    client.send_email_blocking("alice@example.com", EmailType::CHANNEL_REGISTER);
    let code = emu.latest_code("alice@example.com").unwrap();
    let on = |channel| {
        let payload = PreCheckCodePayload::email("Alice@Example.com", code.as_str(), channel);
        client
            .pre_check_code_blocking(payload)
            .pre_check_code_result()
            .unwrap()
            .is_valid()
    };
    assert!(on(EmailType::CHANNEL_REGISTER));
    assert!(!on(EmailType::CHANNEL_LOGIN));
}

#[test]
fn the_callback_forms_run_on_a_worker_and_call_back_once() {
    let emu = emulator_with_alice();
    let client = client_of(&emu);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let _image = client.get_captcha_code(tx.clone());
    let payload = PreCheckCodePayload::email("nobody", "1", EmailType::CHANNEL_LOGIN);
    let _check = client.pre_check_code(payload, tx);
    let mut answers: Vec<i32> = (0..2)
        .map(|_| {
            rx.recv_timeout(Duration::from_secs(10))
                .expect("a callback")
                .status_code()
        })
        .collect();
    answers.sort_unstable();
    assert_eq!(answers, vec![200, codes::INVALID_INPUT]);
    assert!(
        rx.recv_timeout(Duration::from_millis(200)).is_err(),
        "once each"
    );
}
