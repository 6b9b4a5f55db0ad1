//! The main job: Authing's "forgot password" sample (`resetPasswordRequest`), ported from
//! Java line for line, for the phone and the email method.
//!
//! ```text
//! cargo run --example reset_password
//! ```
//!
//! With no environment set it runs offline: it starts the bundled emulator in process,
//! creates a demo user, sends a passcode through the SDK, reads it back from the emulator
//! the way a person reads their SMS, then runs the ported sample and prints each
//! `AuthResponse`.
//!
//! With `AUTHING_APP_ID` (and, unless the host is discovered, `AUTHING_APP_HOST`) set, it
//! talks to that Authing app instead: set `AUTHING_PHONE_NUMBER` (and optionally
//! `AUTHING_PHONE_COUNTRY_CODE`) and/or `AUTHING_EMAIL`, and type the passcode you
//! receive when asked.

use std::io::{BufRead, Write};

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthClient, AuthResponse, Authing, EmailType, ResetPasswordPayload, ResetPasswordVerifyMethod,
    SmsType,
};

const DEMO_COUNTRY_CODE: &str = "+86";
const DEMO_PHONE: &str = "18812345678";
const DEMO_EMAIL: &str = "demo@example.com";

fn main() {
    let online = std::env::var_os("AUTHING_APP_ID").is_some()
        || std::env::var_os("AUTHING_APP_HOST").is_some();
    let outcome = if online { run_online() } else { run_offline() };
    if let Err(problem) = outcome {
        eprintln!("reset_password: {problem}");
        std::process::exit(1);
    }
}

/// The offline run: the emulator plays Authing and the user's phone and mailbox.
fn run_offline() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    emulator
        .add_user(NewUser::with_phone(
            DEMO_COUNTRY_CODE,
            DEMO_PHONE,
            "old-passw0rd",
        ))
        .map_err(|e| e.to_string())?;
    emulator
        .add_user(NewUser::with_email(DEMO_EMAIL, "old-passw0rd"))
        .map_err(|e| e.to_string())?;
    println!(
        "offline: the authing emulator is listening on {}",
        emulator.base_url()
    );
    println!("         (set AUTHING_APP_ID / AUTHING_APP_HOST to use a real authing app)\n");

    // As Android's `Authing.init(context, appId)`; the host is the emulator's.
    Authing::init(emulator.app_id());
    Authing::set_app_host(emulator.base_url());

    // 1. Phone: send the passcode through the SDK; the emulator "delivers" the SMS.
    let sms = AuthClient::new().send_sms_blocking(
        DEMO_COUNTRY_CODE,
        DEMO_PHONE,
        SmsType::CHANNEL_RESET_PASSWORD,
    );
    show("send_sms", &sms);
    let phone_code = emulator
        .latest_code(DEMO_PHONE)
        .ok_or("the emulator issued no sms code")?;
    println!("📱 sms to {DEMO_COUNTRY_CODE} {DEMO_PHONE}: your code is {phone_code}\n");
    phone_sample(DEMO_COUNTRY_CODE, DEMO_PHONE, &phone_code);

    // 2. Email: the same with the email method.
    let mail = AuthClient::new().send_email_blocking(DEMO_EMAIL, EmailType::CHANNEL_RESET_PASSWORD);
    show("send_email", &mail);
    let email_code = emulator
        .latest_code(DEMO_EMAIL)
        .ok_or("the emulator issued no email code")?;
    println!("✉️  mail to {DEMO_EMAIL}: your code is {email_code}\n");
    email_sample(DEMO_EMAIL, &email_code);
    Ok(())
}

/// The online run: a real Authing app, a real phone or mailbox, a person typing the code.
fn run_online() -> Result<(), String> {
    let phone = std::env::var("AUTHING_PHONE_NUMBER").ok();
    let email = std::env::var("AUTHING_EMAIL").ok();
    if phone.is_none() && email.is_none() {
        return Err(
            "set AUTHING_PHONE_NUMBER (and optionally AUTHING_PHONE_COUNTRY_CODE) or AUTHING_EMAIL to say where the passcode goes".into(),
        );
    }
    let auth_client = AuthClient::new();
    if let Some(phone) = phone {
        let country = std::env::var("AUTHING_PHONE_COUNTRY_CODE").ok();
        let sent = auth_client.send_sms_blocking(
            country.as_deref(),
            &phone,
            SmsType::CHANNEL_RESET_PASSWORD,
        );
        show("send_sms", &sent);
        if sent.is_success() {
            let code = ask("the code you received by sms")?;
            phone_sample(country.as_deref().unwrap_or("+86"), &phone, &code);
        }
    }
    if let Some(email) = email {
        let sent = auth_client.send_email_blocking(&email, EmailType::CHANNEL_RESET_PASSWORD);
        show("send_email", &sent);
        if sent.is_success() {
            let code = ask("the code you received by email")?;
            email_sample(&email, &code);
        }
    }
    Ok(())
}

/// The Java sample, line for line.
fn phone_sample(country_code: &str, phone_number: &str, pass_code: &str) {
    let auth_client = AuthClient::new();
    let mut reset_password_payload = ResetPasswordPayload::new();
    reset_password_payload.set_phone_country_code(country_code);
    reset_password_payload.set_phone_number(phone_number);
    reset_password_payload.set_pass_code(pass_code);
    let handle = auth_client.reset_password_request(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        reset_password_payload,
        |response: AuthResponse| {
            if response.status_code() == 200 { /* success */ }
            show("reset_password_request (PHONE_PASSCODE)", &response);
        },
    );
    // Unlike an Android activity, `main` would return at once: wait for the callback.
    if let Err(panic) = handle.join() {
        eprintln!("{panic}");
    }
}

/// The same sample with the email method.
fn email_sample(email: &str, pass_code: &str) {
    let auth_client = AuthClient::new();
    let mut reset_password_payload = ResetPasswordPayload::new();
    reset_password_payload.set_email(email);
    reset_password_payload.set_pass_code(pass_code);
    let handle = auth_client.reset_password_request(
        ResetPasswordVerifyMethod::EMAIL_PASSCODE,
        reset_password_payload,
        |response: AuthResponse| {
            show("reset_password_request (EMAIL_PASSCODE)", &response);
        },
    );
    if let Err(panic) = handle.join() {
        eprintln!("{panic}");
    }
}

/// Prints an `AuthResponse` readably, the reset token masked (it is a secret).
fn show(call: &str, response: &AuthResponse) {
    println!("{call} -> AuthResponse");
    println!("  statusCode: {}", response.status_code());
    println!("  message:    {}", response.message());
    println!("  apiCode:    {}", response.api_code());
    println!("  requestId:  {}", response.request_id().unwrap_or("-"));
    match response.reset_password_data() {
        Ok(reset) => {
            println!(
                "  data:       passwordResetToken <{} characters, hidden>, tokenExpiresIn {} s",
                reset.password_reset_token().len(),
                reset.token_expires_in()
            );
        }
        Err(_) => match response.data() {
            Some(data) => println!("  data:       {data}"),
            None => println!("  data:       -"),
        },
    }
    if let Some(error) = response.error() {
        println!("  error:      {error}");
    }
    println!();
}

fn ask(what: &str) -> Result<String, String> {
    print!("type {what}: ");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("could not read the code: {e}"))?;
    Ok(line.trim().to_string())
}
