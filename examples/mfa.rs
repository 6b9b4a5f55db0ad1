//! MFA, offline on the bundled emulator: enrol an OTP factor (printing the `otpauth://`
//! URI an authenticator app would scan), sign out, sign in and meet the second-factor
//! challenge, answer it with a TOTP computed locally (`authing::totp`, cargo feature
//! `totp`), then do it again with the recovery code.
//!
//! ```text
//! cargo run --example mfa
//! ```

use authing::emulator::{Emulator, NewUser};
use authing::{totp, AuthClient, AuthResponse, FactorProfile, FactorType, Lang};

const EMAIL: &str = "demo@example.com";
const PASSWORD: &str = "passw0rd-1";

fn main() {
    if let Err(problem) = run() {
        eprintln!("mfa: {problem}");
        std::process::exit(1);
    }
}

/// The answer if it is a success, else why not.
fn ok(step: &str, response: AuthResponse) -> Result<AuthResponse, String> {
    match response.error() {
        None => Ok(response),
        Some(error) => Err(format!("{step} failed: {error}")),
    }
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    emulator
        .add_user(NewUser::with_email(EMAIL, PASSWORD))
        .map_err(|e| e.to_string())?;
    let auth_client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;

    // 1. Sign in (no MFA yet) and enrol an OTP factor.
    ok(
        "sign-in",
        auth_client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None),
    )?;
    println!("signed in as {EMAIL}");
    let started = ok(
        "send_enroll_factor_request",
        auth_client.send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()),
    )?;
    let enrolment = started
        .enroll_factor_request_data()
        .map_err(|e| e.to_string())?;
    let otp = enrolment
        .otp_data()
        .ok_or("the enrolment has no otp data")?;
    println!("scan this with an authenticator app: {}", otp.qr_code_uri());
    let secret = otp
        .secret()
        .ok_or("the otpauth uri has no secret")?
        .to_string();
    let recovery_code = otp.recovery_code().ok_or("no recovery code")?.to_string();
    println!("keep this recovery code safe: {recovery_code}");
    let code = totp::generate_now(&secret).map_err(|e| e.to_string())?;
    ok(
        "enroll_factor",
        auth_client.enroll_factor_blocking(FactorType::OTP, enrolment.enrollment_token(), &code),
    )?;
    println!("otp factor enrolled with the code {code}");

    // The user turns MFA on in their personal center (here: the emulator's admin API).
    emulator
        .set_user_mfa(EMAIL, true)
        .map_err(|e| e.to_string())?;

    // 2. Sign out, sign in: the server asks for the second factor.
    auth_client.logout_blocking();
    let challenged = auth_client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    let challenge = challenged
        .mfa_challenge()
        .ok_or_else(|| format!("expected a challenge, got {}", challenged.status_code()))?;
    println!(
        "sign-in answered api code {} ({}): second factor required, offered {:?}; signed in: {}",
        challenged.api_code(),
        challenged.message(),
        challenge.factors(),
        auth_client.get_token().is_some()
    );

    // 3. Answer it with a TOTP computed on this machine, in the callback form.
    let code = totp::generate_now(&secret).map_err(|e| e.to_string())?;
    auth_client
        .mfa_verify_by_otp(&code, |response: AuthResponse| {
            println!("mfa_verify_by_otp: status {}", response.status_code());
        })
        .join()
        .map_err(|e| e.to_string())?;
    let user = auth_client
        .get_current_user()
        .ok_or("not signed in after the second factor")?;
    println!(
        "signed in with the otp code: {}",
        user.email().unwrap_or("-")
    );

    // 4. Again, with the recovery code, as when the phone is lost.
    auth_client.logout_blocking();
    let challenged = auth_client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    if !challenged.is_mfa_required() {
        return Err("expected a second challenge".into());
    }
    let done = ok(
        "mfa_verify_by_recovery_code",
        auth_client.mfa_verify_by_recovery_code_blocking(&recovery_code),
    )?;
    println!(
        "signed in with the recovery code; the next one is {}",
        done.recovery_code().unwrap_or("-")
    );
    // A recovery code works once.
    auth_client.logout_blocking();
    auth_client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    let again = auth_client.mfa_verify_by_recovery_code_blocking(&recovery_code);
    println!(
        "the spent recovery code at the next sign-in: api code {} ({})",
        again.api_code(),
        again.message()
    );
    Ok(())
}
