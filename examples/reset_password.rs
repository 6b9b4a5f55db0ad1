//! The main job: Authing's "forgot password" sample (`resetPasswordRequest`), ported from
//! Java line for line, for the phone and the email method.
//!
//! ```text
//! cargo run --example reset_password
//! ```
//!
//! The whole job, for each method:
//! 1. `send_sms` / `send_email` asks the server to send a passcode;
//! 2. the ported Java sample (`reset_password_request`) verifies it and answers a
//!    `passwordResetToken`;
//! 3. `reset_password` sets the new password with that token;
//! 4. `sign_in_by_phone_password` / `sign_in_by_email_password` signs in with the new
//!    password, which proves the reset worked.
//!
//! With no environment set it runs offline: it starts the bundled emulator in process,
//! creates two demo users, reads each passcode back from the emulator the way a person reads
//! their SMS or mail, and prints every `AuthResponse`.
//!
//! With `AUTHING_APP_ID` (and, unless the host is discovered, `AUTHING_APP_HOST`) set, it
//! talks to that Authing app instead: set `AUTHING_PHONE_NUMBER` (and optionally
//! `AUTHING_PHONE_COUNTRY_CODE`) and/or `AUTHING_EMAIL`, and type the passcode you
//! receive when asked. It then asks for the new password, and stops after step 2 if you
//! leave it empty: a real account's password changes only when you say so.

use std::io::{BufRead, Write};
use std::sync::mpsc;

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthClient, AuthResponse, Authing, EmailType, Lang, PasswordEncryptType, ResetPasswordPayload,
    ResetPasswordVerifyMethod, SmsType,
};

const DEMO_COUNTRY_CODE: &str = "+86";
const DEMO_PHONE: &str = "18812345678";
const DEMO_EMAIL: &str = "demo@example.com";
const DEMO_OLD_PASSWORD: &str = "old-passw0rd";
const DEMO_NEW_PASSWORD: &str = "new-passw0rd";

/// Where a reset ends: the account a new password is for.
enum Account<'a> {
    /// A phone number (sign-in by phone and password takes no country code).
    Phone(&'a str),
    /// An email address.
    Email(&'a str),
}

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
            DEMO_OLD_PASSWORD,
        ))
        .map_err(|e| e.to_string())?;
    emulator
        .add_user(NewUser::with_email(DEMO_EMAIL, DEMO_OLD_PASSWORD))
        .map_err(|e| e.to_string())?;
    println!(
        "offline: the authing emulator is listening on {}",
        emulator.base_url()
    );
    println!("         (set AUTHING_APP_ID / AUTHING_APP_HOST to use a real authing app)\n");

    // As Android's `Authing.init(context, appId)`; the host is the emulator's.
    Authing::init(emulator.app_id());
    Authing::set_app_host(emulator.base_url());
    // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
    Authing::set_lang(Lang::EnUs);
    // As Java's `Authing.init` fetching the app's config at start: discovery, the public
    // password keys and an open connection, on a worker, so the first call does not wait
    // for them. Optional; nothing here waits for it.
    let _warming = AuthClient::new().warm_up(|_: AuthResponse| {});

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
    let token = phone_sample(DEMO_COUNTRY_CODE, DEMO_PHONE, &phone_code)
        .ok_or("the phone passcode was not accepted")?;
    let phone = Account::Phone(DEMO_PHONE);
    set_and_sign_in(&phone, token, DEMO_NEW_PASSWORD)?;

    // 2. Email: the same with the email method.
    let mail = AuthClient::new().send_email_blocking(DEMO_EMAIL, EmailType::CHANNEL_RESET_PASSWORD);
    show("send_email", &mail);
    let email_code = emulator
        .latest_code(DEMO_EMAIL)
        .ok_or("the emulator issued no email code")?;
    println!("✉️  mail to {DEMO_EMAIL}: your code is {email_code}\n");
    let token =
        email_sample(DEMO_EMAIL, &email_code).ok_or("the email passcode was not accepted")?;
    set_and_sign_in(&Account::Email(DEMO_EMAIL), token, DEMO_NEW_PASSWORD)?;
    println!("done: both demo users reset their password and signed in with the new one");
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
    // At start, as Java's `Authing.init`: the app's config, keys and a connection, ready.
    let _warming = auth_client.warm_up(|_: AuthResponse| {});
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
            let country = country.as_deref().unwrap_or("+86");
            if let Some(token) = phone_sample(country, &phone, &code) {
                let account = Account::Phone(&phone);
                finish_online(&account, token)?;
            }
        }
    }
    if let Some(email) = email {
        let sent = auth_client.send_email_blocking(&email, EmailType::CHANNEL_RESET_PASSWORD);
        show("send_email", &sent);
        if sent.is_success() {
            let code = ask("the code you received by email")?;
            if let Some(token) = email_sample(&email, &code) {
                finish_online(&Account::Email(&email), token)?;
            }
        }
    }
    Ok(())
}

/// Steps 3 and 4 against a real app, only with a new password the person typed.
fn finish_online(account: &Account<'_>, token: String) -> Result<(), String> {
    let password = ask("the new password (leave empty to stop here and keep the old one)")?;
    if password.is_empty() {
        println!("stopped after verifying the code: the password is unchanged");
        return Ok(());
    }
    set_and_sign_in(account, token, &password)
}

/// Step 3, `reset_password` with the token, then step 4, a sign-in with the new password.
fn set_and_sign_in(account: &Account<'_>, token: String, new_password: &str) -> Result<(), String> {
    let auth_client = AuthClient::new();
    let reset = auth_client.reset_password_blocking(token, new_password, PasswordEncryptType::none);
    show("reset_password", &reset);
    if !reset.is_success() {
        return Err(format!("the new password was not set: {}", reset.message()));
    }
    let signed_in = match account {
        Account::Phone(phone_number) => {
            auth_client.sign_in_by_phone_password_blocking(phone_number, new_password, None)
        }
        Account::Email(email) => {
            auth_client.sign_in_by_email_password_blocking(email, new_password, None)
        }
    };
    show("sign in with the new password", &signed_in);
    if let Some(user) = auth_client.get_current_user() {
        println!(
            "signed in as user {} with the new password\n",
            user.user_id()
        );
    }
    if !signed_in.is_success() {
        return Err(format!(
            "signing in with the new password failed: {}",
            signed_in.message()
        ));
    }
    auth_client.logout_blocking();
    Ok(())
}

/// The Java sample, line for line; answers the reset token when the code was accepted.
fn phone_sample(country_code: &str, phone_number: &str, pass_code: &str) -> Option<String> {
    let (token_tx, token_rx) = mpsc::channel();
    let auth_client = AuthClient::new();
    let mut reset_password_payload = ResetPasswordPayload::new();
    reset_password_payload.set_phone_country_code(country_code);
    reset_password_payload.set_phone_number(phone_number);
    reset_password_payload.set_pass_code(pass_code);
    let handle = auth_client.reset_password_request(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        reset_password_payload,
        move |response: AuthResponse| {
            if response.status_code() == 200 { /* success */ }
            show("reset_password_request (PHONE_PASSCODE)", &response);
            let _ = token_tx.send(reset_token(&response));
        },
    );
    // Unlike an Android activity, `main` would return at once: wait for the callback.
    if let Err(panic) = handle.join() {
        eprintln!("{panic}");
    }
    token_rx.recv().ok().flatten()
}

/// The same sample with the email method.
fn email_sample(email: &str, pass_code: &str) -> Option<String> {
    let (token_tx, token_rx) = mpsc::channel();
    let auth_client = AuthClient::new();
    let mut reset_password_payload = ResetPasswordPayload::new();
    reset_password_payload.set_email(email);
    reset_password_payload.set_pass_code(pass_code);
    let handle = auth_client.reset_password_request(
        ResetPasswordVerifyMethod::EMAIL_PASSCODE,
        reset_password_payload,
        move |response: AuthResponse| {
            show("reset_password_request (EMAIL_PASSCODE)", &response);
            let _ = token_tx.send(reset_token(&response));
        },
    );
    if let Err(panic) = handle.join() {
        eprintln!("{panic}");
    }
    token_rx.recv().ok().flatten()
}

/// The `passwordResetToken` of an accepted code.
fn reset_token(response: &AuthResponse) -> Option<String> {
    let reset = response.reset_password_data().ok()?;
    Some(reset.password_reset_token().to_string())
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
        // A sign-in's data holds tokens: secrets, never printed.
        Err(_)
            if response
                .data()
                .is_some_and(|data| data.get("access_token").is_some()) =>
        {
            println!("  data:       the session's tokens <hidden>");
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
