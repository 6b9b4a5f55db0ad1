//! MFA end to end, SDK <-> emulator: enrolling and managing factors, the sign-in challenge
//! (1635/1636) on every connection and its completion by OTP, recovery code, SMS and
//! email, the expired and voided challenge, and bad input refused before the wire.

use std::sync::mpsc;
use std::time::Duration;

use crate::common::{builder_at, DEADLINE, QUIET};
use authing::emulator::{AppMfaPolicy, Emulator, EmulatorConfig, NewUser};
use authing::Lang;
use authing::{
    codes, totp, ApiCode, AuthClient, AuthResponse, EmailType, FactorProfile, FactorType, SmsType,
};

const PASSWORD: &str = "passw0rd-1";
const EMAIL: &str = "mike@example.com";
const PHONE: &str = "18812345678";

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(
        NewUser::with_email(EMAIL, PASSWORD)
            .username("mike")
            .phone("+86", PHONE),
    )
    .expect("a user");
    emu
}

/// A client of the emulator with a session of its own, in English.
fn client(emu: &Emulator) -> AuthClient {
    builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .build()
        .expect("valid settings")
}

fn sign_in(client: &AuthClient) -> AuthResponse {
    client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None)
}

fn ok(response: AuthResponse) -> AuthResponse {
    assert_eq!(response.status_code(), 200, "{response:?}");
    response
}

/// Signs in (no MFA yet), enrols an OTP factor with a locally computed code, and returns
/// the client and the factor's secret and recovery code.
fn with_otp(emu: &Emulator) -> (AuthClient, String, String) {
    let client = client(emu);
    ok(sign_in(&client));
    let started =
        ok(client.send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()));
    let enrolment = started.enroll_factor_request_data().expect("an enrolment");
    let otp = enrolment.otp_data().expect("otp data").clone();
    let secret = otp.secret().expect("a secret").to_string();
    let code = totp::generate_now(&secret).expect("a code");
    ok(client.enroll_factor_blocking(FactorType::OTP, enrolment.enrollment_token(), &code));
    (
        client,
        secret,
        otp.recovery_code().expect("a recovery code").to_string(),
    )
}

#[test]
fn an_otp_factor_enrols_with_a_code_computed_locally_and_the_emulator_keeps_its_secret() {
    let emu = emulator();
    let (client, secret, recovery) = with_otp(&emu);
    let listed = ok(client.list_enrolled_factors_blocking())
        .factor_list()
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].factor_type(), Some(FactorType::OTP));
    let one = ok(client.get_factor_blocking(listed[0].factor_id()))
        .factor()
        .unwrap();
    assert_eq!(one.factor_id(), listed[0].factor_id());
    let kept = emu.mfa_factors(EMAIL);
    assert_eq!(kept[0].secret.as_deref(), Some(secret.as_str()));
    assert_eq!(kept[0].recovery_code.as_deref(), Some(recovery.as_str()));
}

#[test]
fn the_enrolment_answer_carries_a_typed_otpauth_uri() {
    let emu = emulator();
    let client = client(&emu);
    ok(sign_in(&client));
    let started =
        ok(client.send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()));
    let enrolment = started.enroll_factor_request_data().unwrap();
    let otp = enrolment.otp_data().unwrap();
    assert!(otp
        .qr_code_uri()
        .starts_with("otpauth://totp/authing-emulator:mike%40example.com?secret="));
    assert_eq!(otp.account(), Some("mike@example.com"));
    assert_eq!(otp.issuer(), Some("authing-emulator"));
    assert_eq!(
        (otp.algorithm(), otp.digits(), otp.period()),
        ("SHA1", 6, 30)
    );
    assert!(otp.qr_code_data_url().unwrap().starts_with("data:"));
}

#[test]
fn a_user_with_mfa_on_is_challenged_and_nothing_is_saved_until_the_otp_passes() {
    let emu = emulator();
    let (client, secret, _) = with_otp(&emu);
    emu.set_user_mfa(EMAIL, true).unwrap();
    ok(client.logout_blocking());

    let challenged = sign_in(&client);
    assert_eq!(challenged.api_code(), 1635, "{challenged:?}");
    assert!(!challenged.is_success());
    let challenge = challenged.mfa_challenge().expect("a challenge");
    assert_eq!(challenge.api_code(), ApiCode::USER_MFA_REQUIRED);
    assert_eq!(challenge.factors(), &[FactorType::OTP]);
    assert!(
        client.get_token().is_none(),
        "no token before the second factor"
    );
    assert!(client.get_current_user().is_none());
    assert_eq!(emu.user_state(EMAIL).unwrap().access_tokens, 0);

    let code = totp::generate_now(&secret).unwrap();
    let done = ok(client.mfa_verify_by_otp_blocking(&code));
    assert!(done.data().unwrap()["token"].is_string());
    assert!(client.get_token().is_some());
    assert_eq!(client.get_current_user().unwrap().email(), Some(EMAIL));
    assert_eq!(emu.user_state(EMAIL).unwrap().access_tokens, 1);
    // The session works as a one-step sign-in's: the profile call carries its bearer.
    ok(client.get_profile_blocking(false, false, false));
    // The challenge is over.
    assert_eq!(
        client.mfa_verify_by_otp_blocking(&code).status_code(),
        codes::MFA_CHALLENGE_MISSING
    );
}

#[test]
fn app_mfa_challenges_every_sign_in_connection_with_1636() {
    let emu = emulator();
    emu.add_user(NewUser::ad("adam", PASSWORD)).unwrap();
    emu.add_user(NewUser::ldap("lena", PASSWORD)).unwrap();
    emu.set_app_mfa(AppMfaPolicy::required(&[
        FactorType::SMS,
        FactorType::EMAIL,
    ]))
    .unwrap();
    let client = client(&emu);
    let check = |what: &str, response: AuthResponse| {
        assert_eq!(response.api_code(), 1636, "{what}: {response:?}");
        let challenge = response.mfa_challenge().expect(what);
        assert_eq!(
            challenge.factors(),
            &[FactorType::SMS, FactorType::EMAIL],
            "{what}"
        );
        assert!(client.get_token().is_none(), "{what}: nothing saved");
    };
    check(
        "account",
        client.sign_in_by_account_password_blocking("mike", PASSWORD, None),
    );
    check(
        "username",
        client.sign_in_by_user_name_password_blocking("mike", PASSWORD, None),
    );
    check(
        "email",
        client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None),
    );
    check(
        "phone",
        client.sign_in_by_phone_password_blocking(PHONE, PASSWORD, None),
    );
    ok(client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN));
    let code = emu.latest_code(PHONE).unwrap();
    check(
        "phone pass code",
        client.sign_in_by_phone_pass_code_blocking("+86", PHONE, &code, None),
    );
    ok(client.send_email_blocking(EMAIL, EmailType::CHANNEL_LOGIN));
    let code = emu.latest_code(EMAIL).unwrap();
    check(
        "email pass code",
        client.sign_in_by_email_pass_code_blocking(EMAIL, &code, None),
    );
    check("ad", client.sign_in_by_ad_blocking("adam", PASSWORD, None));
    check(
        "ldap",
        client.sign_in_by_ldap_blocking("lena", PASSWORD, None),
    );
}

#[test]
fn an_app_challenge_completes_with_an_sms_code_to_the_users_phone() {
    let emu = emulator();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::SMS]))
        .unwrap();
    let client = client(&emu);
    let challenge = sign_in(&client).mfa_challenge().expect("a challenge");
    assert_eq!(challenge.mfa_phone(), Some(PHONE));
    assert_eq!(challenge.mfa_phone_country_code(), Some("+86"));
    ok(client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_VERIFY_MFA));
    let code = emu.latest_code(PHONE).unwrap();
    ok(client.mfa_verify_by_phone_blocking("86", PHONE, &code));
    assert_eq!(client.get_current_user().unwrap().phone(), Some(PHONE));
}

#[test]
fn an_app_challenge_completes_with_an_email_code_and_refuses_another_address() {
    let emu = emulator();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let client = client(&emu);
    let challenge = sign_in(&client).mfa_challenge().expect("a challenge");
    assert_eq!(challenge.mfa_email(), Some(EMAIL));
    let elsewhere = client.mfa_verify_by_email_blocking("other@example.com", "123456");
    assert_eq!(elsewhere.api_code(), 2028, "{elsewhere:?}");
    ok(client.send_email_blocking(EMAIL, EmailType::CHANNEL_VERIFY_MFA));
    let code = emu.latest_code(EMAIL).unwrap();
    ok(client.mfa_verify_by_email_blocking(EMAIL, &code));
    assert!(client.get_token().is_some());
}

#[test]
fn a_recovery_code_completes_a_challenge_once_and_the_next_one_is_handed_out() {
    let emu = emulator();
    let (client, _, recovery) = with_otp(&emu);
    emu.set_user_mfa(EMAIL, true).unwrap();
    ok(client.logout_blocking());
    assert!(sign_in(&client).is_mfa_required());
    let done = ok(client.mfa_verify_by_recovery_code_blocking(&recovery));
    let next = done
        .recovery_code()
        .expect("the next recovery code")
        .to_string();
    assert_ne!(next, recovery);
    assert_eq!(
        emu.mfa_factors(EMAIL)[0].recovery_code.as_deref(),
        Some(next.as_str())
    );
    assert!(
        !format!("{done:?}").contains(&next),
        "Debug hides the new code"
    );

    ok(client.logout_blocking());
    assert!(sign_in(&client).is_mfa_required());
    let spent = client.mfa_verify_by_recovery_code_blocking(&recovery);
    assert_eq!(spent.api_code(), 6002, "{spent:?}");
    assert_eq!(
        spent.error().and_then(|e| e.api()).and_then(|a| a.api_code),
        Some(ApiCode::WRONG_TOTP_RECOVERY_CODE)
    );
    ok(client.mfa_verify_by_recovery_code_blocking(&next));
}

#[test]
fn a_wrong_otp_leaves_the_challenge_for_another_try() {
    let emu = emulator();
    let (client, secret, _) = with_otp(&emu);
    emu.set_user_mfa(EMAIL, true).unwrap();
    ok(client.logout_blocking());
    assert!(sign_in(&client).is_mfa_required());
    let right = totp::generate_now(&secret).unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = client.mfa_verify_by_otp_blocking(wrong);
    assert_eq!(refused.api_code(), 6001, "{refused:?}");
    assert!(client.get_token().is_none());
    ok(client.mfa_verify_by_otp_blocking(&totp::generate_now(&secret).unwrap()));
}

#[test]
fn an_expired_challenge_is_refused_by_the_server_then_locally() {
    let emu = emulator();
    emu.set_app_mfa(
        AppMfaPolicy::required(&[FactorType::EMAIL]).mfa_token_ttl(Duration::from_secs(60)),
    )
    .unwrap();
    let client = client(&emu);
    assert!(sign_in(&client).is_mfa_required());
    ok(client.send_email_blocking(EMAIL, EmailType::CHANNEL_VERIFY_MFA));
    let code = emu.latest_code(EMAIL).unwrap();
    emu.advance_clock(Duration::from_secs(61));
    let expired = client.mfa_verify_by_email_blocking(EMAIL, &code);
    assert_eq!(expired.api_code(), 2020, "{expired:?}");
    assert!(
        expired.message().contains("expired"),
        "{}",
        expired.message()
    );
    let before = emu.stats().requests;
    let local = client.mfa_verify_by_email_blocking(EMAIL, &code);
    assert_eq!(local.status_code(), codes::MFA_CHALLENGE_MISSING);
    assert_eq!(emu.stats().requests, before, "nothing was sent");
    assert!(client.get_token().is_none());
}

#[test]
fn wrong_codes_void_the_challenge_at_the_attempt_limit() {
    let emu = Emulator::start_with(EmulatorConfig::default().max_code_attempts(2)).unwrap();
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD)).unwrap();
    let (client, secret, _) = with_otp(&emu);
    emu.set_user_mfa(EMAIL, true).unwrap();
    ok(client.logout_blocking());
    assert!(sign_in(&client).is_mfa_required());
    let right = totp::generate_now(&secret).unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(client.mfa_verify_by_otp_blocking(wrong).api_code(), 6001);
    let voiding = client.mfa_verify_by_otp_blocking(wrong);
    assert_eq!(voiding.api_code(), 6001);
    assert!(
        voiding.message().contains("sign in again"),
        "{}",
        voiding.message()
    );
    let after = client.mfa_verify_by_otp_blocking(&right);
    assert_eq!(after.api_code(), 2020, "{after:?}");
    assert_eq!(
        client.mfa_verify_by_otp_blocking(&right).status_code(),
        codes::MFA_CHALLENGE_MISSING
    );
}

#[test]
fn verifying_without_a_challenge_is_refused_locally_and_calls_back_once() {
    let emu = emulator();
    let client = client(&emu);
    let (tx, rx) = mpsc::channel();
    let _ = client.mfa_verify_by_otp("123456", tx.clone());
    let _ = client.mfa_verify_by_recovery_code("e7ad-aaa4", tx.clone());
    let _ = client.mfa_verify_by_phone(None, PHONE, "1234", tx.clone());
    let _ = client.mfa_verify_by_email(EMAIL, "1234", tx);
    for _ in 0..4 {
        let answer = rx.recv_timeout(DEADLINE).expect("a callback");
        assert_eq!(
            answer.status_code(),
            codes::MFA_CHALLENGE_MISSING,
            "{answer:?}"
        );
        let error = answer.error().expect("a typed error");
        assert!(
            matches!(error, authing::AuthError::NoMfaChallenge { .. }),
            "{error:?}"
        );
        assert_eq!(error.status_code(), codes::MFA_CHALLENGE_MISSING);
    }
    assert!(rx.recv_timeout(QUIET).is_err(), "one callback each");
    assert_eq!(emu.stats().requests, 0, "nothing was sent");
}

#[test]
fn a_new_sign_in_or_a_sign_out_ends_the_pending_challenge() {
    let emu = emulator();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let client = client(&emu);
    assert!(sign_in(&client).is_mfa_required());
    client.logout_blocking();
    assert_eq!(
        client
            .mfa_verify_by_email_blocking(EMAIL, "123456")
            .status_code(),
        codes::MFA_CHALLENGE_MISSING
    );
    assert!(sign_in(&client).is_mfa_required());
    let wrong = client.sign_in_by_email_password_blocking(EMAIL, "not-the-password", None);
    assert!(!wrong.is_mfa_required());
    assert_eq!(
        client
            .mfa_verify_by_email_blocking(EMAIL, "123456")
            .status_code(),
        codes::MFA_CHALLENGE_MISSING
    );
}

#[test]
fn bad_input_is_refused_before_anything_is_sent_with_one_callback_each() {
    let emu = emulator();
    let client = client(&emu);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let mut sms = FactorProfile::new();
    sms.set_phone_country_code("+86");
    let mut bad_email = FactorProfile::new();
    bad_email.set_email("not-an-email");
    let _ = client.send_enroll_factor_request(FactorType::FACE, FactorProfile::new(), tx.clone());
    let _ = client.send_enroll_factor_request(FactorType::SMS, sms, tx.clone());
    let _ = client.send_enroll_factor_request(FactorType::EMAIL, bad_email, tx.clone());
    let _ = client.enroll_factor(FactorType::OTP, "", "123456", tx.clone());
    let _ = client.enroll_factor(FactorType::OTP, "token", "12345", tx.clone());
    let _ = client.enroll_factor(FactorType::OTP, "token", "12a456", tx.clone());
    let _ = client.enroll_factor(FactorType::FACE, "token", "123456", tx.clone());
    let _ = client.reset_factor("", tx.clone());
    let _ = client.get_factor("a\nb", tx.clone());
    let _ = client.mfa_totp_verify("1234567", tx.clone());
    let _ = client.mfa_verify_by_otp("12345", tx.clone());
    let _ = client.mfa_verify_by_recovery_code("has spaces in it", tx.clone());
    let _ = client.mfa_verify_by_phone("0086", PHONE, "1234", tx.clone());
    let _ = client.mfa_verify_by_email(EMAIL, "", tx);
    let mut messages = Vec::new();
    for _ in 0..14 {
        let answer = rx.recv_timeout(DEADLINE).expect("a callback");
        assert_eq!(answer.status_code(), codes::INVALID_INPUT, "{answer:?}");
        messages.push(answer.message().to_string());
    }
    assert!(rx.recv_timeout(QUIET).is_err(), "one callback each");
    assert_eq!(emu.stats().requests, 0, "nothing was sent");
    assert!(
        messages.iter().any(|m| m.contains("FACE is not supported")),
        "{messages:?}"
    );
    assert!(messages
        .iter()
        .any(|m| m == "invalid input: pass_code must be exactly 6 digits"));
    assert!(messages
        .iter()
        .any(|m| m == "invalid input: enrollment_token is empty"));
    assert!(messages
        .iter()
        .any(|m| m == "invalid input: phone_number is missing"));
}

#[test]
fn factor_management_without_a_signed_in_user_answers_10015_and_sends_nothing() {
    let emu = emulator();
    let client = client(&emu);
    for answer in [
        client.send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()),
        client.enroll_factor_blocking(FactorType::OTP, "token", "123456"),
        client.reset_factor_blocking("f-1"),
        client.list_enrolled_factors_blocking(),
        client.get_factor_blocking("f-1"),
        client.list_factors_to_enroll_blocking(),
        client.mfa_totp_verify_blocking("123456"),
    ] {
        assert_eq!(answer.status_code(), codes::NOT_SIGNED_IN, "{answer:?}");
    }
    assert_eq!(emu.stats().requests, 0);
}

#[test]
fn sms_and_email_factors_enrol_with_the_code_sent_to_them() {
    let emu = emulator();
    let client = client(&emu);
    ok(sign_in(&client));
    let mut phone = FactorProfile::new();
    phone
        .set_phone_country_code("86")
        .set_phone_number("18800000001");
    let started = ok(client.send_enroll_factor_request_blocking(FactorType::SMS, phone));
    let token = started
        .enroll_factor_request_data()
        .unwrap()
        .enrollment_token()
        .to_string();
    let bound = emu.issued_codes().pop().unwrap();
    assert_eq!(bound.channel, "CHANNEL_BIND_MFA");
    let wrong = if bound.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        client
            .enroll_factor_blocking(FactorType::SMS, &token, wrong)
            .api_code(),
        2001
    );
    ok(client.enroll_factor_blocking(FactorType::SMS, &token, &bound.code));

    let mut email = FactorProfile::new();
    email.set_email("second@example.com");
    let started = ok(client.send_enroll_factor_request_blocking(FactorType::EMAIL, email));
    let token = started
        .enroll_factor_request_data()
        .unwrap()
        .enrollment_token()
        .to_string();
    let code = emu.latest_code("second@example.com").unwrap();
    ok(client.enroll_factor_blocking(FactorType::EMAIL, &token, &code));

    let factors = ok(client.list_enrolled_factors_blocking())
        .factor_list()
        .unwrap();
    assert_eq!(factors.len(), 2);
    assert_eq!(factors[0].phone_number(), Some("18800000001"));
    assert_eq!(factors[0].phone_country_code(), Some("+86"));
    assert_eq!(factors[1].email(), Some("second@example.com"));
    assert_eq!(
        ok(client.list_factors_to_enroll_blocking())
            .factors_to_enroll()
            .unwrap(),
        vec![FactorType::OTP]
    );

    // The user's own MFA now asks for the enrolled SMS factor's phone.
    emu.set_user_mfa(EMAIL, true).unwrap();
    ok(client.logout_blocking());
    let challenge = sign_in(&client).mfa_challenge().unwrap();
    assert_eq!(challenge.factors(), &[FactorType::SMS, FactorType::EMAIL]);
    assert_eq!(challenge.mfa_phone(), Some("18800000001"));
    ok(client.send_sms_blocking("+86", "18800000001", SmsType::CHANNEL_VERIFY_MFA));
    let code = emu.latest_code("18800000001").unwrap();
    ok(client.mfa_verify_by_phone_blocking("+86", "18800000001", &code));
}

#[test]
fn an_enrolment_token_expires_after_a_minute() {
    let emu = emulator();
    let client = client(&emu);
    ok(sign_in(&client));
    let started =
        ok(client.send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()));
    let enrolment = started.enroll_factor_request_data().unwrap();
    let secret = enrolment.otp_data().unwrap().secret().unwrap().to_string();
    emu.advance_clock(Duration::from_secs(61));
    let at = std::time::SystemTime::now() + Duration::from_secs(61);
    let code = totp::generate(&secret, at).unwrap();
    let late = client.enroll_factor_blocking(FactorType::OTP, enrolment.enrollment_token(), &code);
    assert_eq!(late.api_code(), 2321, "{late:?}");
}

#[test]
fn reset_factor_removes_it_and_the_type_is_offered_again() {
    let emu = emulator();
    let (client, _, _) = with_otp(&emu);
    assert_eq!(
        ok(client.list_factors_to_enroll_blocking())
            .factors_to_enroll()
            .unwrap(),
        vec![FactorType::SMS, FactorType::EMAIL]
    );
    let id = ok(client.list_enrolled_factors_blocking())
        .factor_list()
        .unwrap()[0]
        .factor_id()
        .to_string();
    ok(client.reset_factor_blocking(&id));
    assert!(ok(client.list_enrolled_factors_blocking())
        .factor_list()
        .unwrap()
        .is_empty());
    assert_eq!(client.get_factor_blocking(&id).status_code(), 404);
    assert_eq!(
        ok(client.list_factors_to_enroll_blocking())
            .factors_to_enroll()
            .unwrap(),
        vec![FactorType::OTP, FactorType::SMS, FactorType::EMAIL]
    );
}

#[test]
fn mfa_totp_verify_checks_a_code_of_the_signed_in_users_otp_factor() {
    let emu = emulator();
    let (client, secret, _) = with_otp(&emu);
    let right = totp::generate_now(&secret).unwrap();
    assert!(ok(client.mfa_totp_verify_blocking(&right))
        .totp_verified()
        .unwrap());
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = client.mfa_totp_verify_blocking(wrong);
    assert_eq!(refused.api_code(), 6001, "{refused:?}");
}

#[test]
fn the_callback_forms_sign_in_through_a_challenge() {
    let emu = emulator();
    let (client, secret, _) = with_otp(&emu);
    emu.set_user_mfa(EMAIL, true).unwrap();
    ok(client.logout_blocking());
    let (tx, rx) = mpsc::channel();
    let _ = client.sign_in_by_email_password(EMAIL, PASSWORD, None, tx.clone());
    let challenged = rx.recv_timeout(DEADLINE).unwrap();
    assert!(challenged.is_mfa_required());
    let _ = client.mfa_verify_by_otp(&totp::generate_now(&secret).unwrap(), tx);
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    assert!(rx.recv_timeout(QUIET).is_err());
    assert!(client.get_current_user().is_some());
}

#[test]
fn debug_never_shows_the_mfa_token_the_secret_or_the_enrolment_token() {
    let emu = emulator();
    let client = client(&emu);
    ok(sign_in(&client));
    let started =
        ok(client.send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()));
    let enrolment = started.enroll_factor_request_data().unwrap();
    let otp = enrolment.otp_data().unwrap();
    for shown in [format!("{started:?}"), format!("{enrolment:?}")] {
        assert!(!shown.contains(enrolment.enrollment_token()), "{shown}");
        assert!(!shown.contains(otp.secret().unwrap()), "{shown}");
        assert!(!shown.contains(otp.recovery_code().unwrap()), "{shown}");
    }
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let challenged = sign_in(&client);
    let token = challenged.data().unwrap()["mfaToken"]
        .as_str()
        .unwrap()
        .to_string();
    let challenge = challenged.mfa_challenge().unwrap();
    for shown in [format!("{challenged:?}"), format!("{challenge:?}")] {
        assert!(!shown.contains(&token), "{shown}");
    }
}

#[test]
fn the_emulator_accepts_a_local_code_one_step_off_on_its_clock_and_not_two() {
    let emu = emulator();
    let (client, secret, _) = with_otp(&emu);
    let now = std::time::SystemTime::now();
    // Codes computed here for the emulator's time 30 s ahead: one step off, accepted.
    emu.advance_clock(Duration::from_secs(30));
    let one_behind = totp::generate(&secret, now).unwrap();
    let matching = totp::generate(&secret, now + Duration::from_secs(30)).unwrap();
    assert!(ok(client.mfa_totp_verify_blocking(&matching))
        .totp_verified()
        .unwrap());
    // Two and more steps behind the emulator's clock: refused (unless it collides).
    emu.advance_clock(Duration::from_secs(60));
    let at_emulator = totp::generate(&secret, now + Duration::from_secs(90)).unwrap();
    let neighbours = [
        totp::generate(&secret, now + Duration::from_secs(60)).unwrap(),
        at_emulator.clone(),
        totp::generate(&secret, now + Duration::from_secs(120)).unwrap(),
    ];
    if !neighbours.contains(&one_behind) {
        let stale = client.mfa_totp_verify_blocking(&one_behind);
        assert_eq!(stale.api_code(), 6001, "{stale:?}");
    }
    assert!(ok(client.mfa_totp_verify_blocking(&at_emulator))
        .totp_verified()
        .unwrap());
}
