//! The whole "forgot password" journey, twice: by SMS, then by email.
//!
//! Everything runs offline: an [`Emulator`] (a local Authing-compatible server) starts in
//! this process, and the SDK talks to it over loopback HTTP exactly as it would talk to
//! Authing.
//!
//! By SMS, step by step:
//! 1. `send_sms` asks the server to text a passcode to the user's phone;
//! 2. the user reads the SMS (here: `emulator.latest_code`, the emulator's "phone");
//! 3. `reset_password_request` verifies the passcode and answers a `passwordResetToken`;
//! 4. `reset_password` sets the new password with that token;
//! 5. `emulator.check_password` proves the new password works and the old one does not.
//!
//! By email, the two last SDK steps are one call: `reset_password_by_email`.
//!
//! Every call uses the callback form and `handle.join()`, so `main` waits for each
//! callback before going on (a ported Java `main` would otherwise exit first).
//!
//! Run it with:
//!
//! ```text
//! cargo run --example full_reset_flow
//! ```

use std::error::Error;
use std::sync::mpsc;

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthClient, AuthResponse, EmailType, Lang, PasswordEncryptType, ResetPasswordData,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

const COUNTRY_CODE: &str = "+86";
const PHONE: &str = "18812345678";
const EMAIL: &str = "alice@example.com";
const OLD_PASSWORD: &str = "old-pw-123";
const NEW_PASSWORD: &str = "brand-new-pw-456";

/// One line per answer: status code, api code, message.
fn describe(response: &AuthResponse) -> String {
    format!(
        "status {} (api code {}): {}",
        response.status_code(),
        response.api_code(),
        response.message()
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::start()?;
    emulator.add_user(NewUser::with_phone(COUNTRY_CODE, PHONE, OLD_PASSWORD))?;
    emulator.add_user(NewUser::with_email(EMAIL, OLD_PASSWORD))?;
    println!("emulator listening on {}", emulator.base_url());

    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
        .lang(Lang::EnUs)
        .build()?;

    println!("\n== by SMS ==");

    // 1. Send the passcode.
    client
        .send_sms(
            COUNTRY_CODE,
            PHONE,
            SmsType::CHANNEL_RESET_PASSWORD,
            |response: AuthResponse| println!("send_sms:               {}", describe(&response)),
        )
        .join()?;

    // 2. The user reads the SMS on their phone.
    let code = emulator
        .latest_code(PHONE)
        .ok_or("the emulator issued no SMS code")?;
    println!("the SMS says:           your code is {code}");

    // 3. Verify it for a reset token. The callback hands the typed answer back to `main`
    //    through a channel (it runs on a worker thread, not here).
    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_country_code(COUNTRY_CODE)
        .set_phone_number(PHONE)
        .set_pass_code(code);
    let (token_tx, token_rx) = mpsc::channel();
    client
        .reset_password_request(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            payload,
            move |response: AuthResponse| {
                println!("reset_password_request: {}", describe(&response));
                let _ = token_tx.send(response.reset_password_data());
            },
        )
        .join()?;
    let reset: ResetPasswordData = token_rx.recv()??;
    println!(
        "reset token received:   valid for {} s (the token itself is a secret: not printed)",
        reset.token_expires_in()
    );

    // 4. Set the new password. Passing the `ResetPasswordData` (rather than the token
    //    string) lets the SDK refuse an expired token before sending it.
    client
        .reset_password(
            &reset,
            NEW_PASSWORD,
            PasswordEncryptType::none,
            |response: AuthResponse| println!("reset_password:         {}", describe(&response)),
        )
        .join()?;

    // 5. Prove it.
    let new_works = emulator.check_password(PHONE, NEW_PASSWORD);
    let old_works = emulator.check_password(PHONE, OLD_PASSWORD);
    println!("new password works:     {new_works}");
    println!("old password works:     {old_works}");
    assert!(new_works && !old_works, "the SMS reset did not take effect");

    println!("\n== by email ==");

    client
        .send_email(
            EMAIL,
            EmailType::CHANNEL_RESET_PASSWORD,
            |response: AuthResponse| println!("send_email:              {}", describe(&response)),
        )
        .join()?;

    let code = emulator
        .latest_code(EMAIL)
        .ok_or("the emulator issued no email code")?;
    println!("the email says:          your code is {code}");

    // Verify and reset in one call; its callback runs exactly once, whichever step fails.
    client
        .reset_password_by_email(
            EMAIL,
            &code,
            NEW_PASSWORD,
            PasswordEncryptType::none,
            |response: AuthResponse| println!("reset_password_by_email: {}", describe(&response)),
        )
        .join()?;

    let new_works = emulator.check_password(EMAIL, NEW_PASSWORD);
    let old_works = emulator.check_password(EMAIL, OLD_PASSWORD);
    println!("new password works:      {new_works}");
    println!("old password works:      {old_works}");
    assert!(
        new_works && !old_works,
        "the email reset did not take effect"
    );

    println!("\nboth resets done");
    Ok(())
}
