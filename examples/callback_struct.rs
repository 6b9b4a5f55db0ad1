//! A callback as a struct implementing `AuthCallback`: the shape of Java's anonymous class.
//!
//! In Java the callback is an anonymous class:
//!
//! ```text
//! authClient.sendSms("+86", "18812345678", SmsType.CHANNEL_RESET_PASSWORD, new AuthCallback() {
//!     @Override
//!     public void call(AuthResponse response) { ... }
//! });
//! ```
//!
//! In Rust the same shape is a struct (its fields play the part of the captured variables)
//! with `impl AuthCallback for ...{ fn call(self, response: AuthResponse) { ... } }`.
//! `call` takes `self`: a callback is used exactly once. This example uses two such structs
//! for the first two steps of the recovery journey, send the passcode and verify it, against
//! an in-process emulator, then sets the new password to finish the journey.
//!
//! Run it with:
//!
//! ```text
//! cargo run --example callback_struct
//! ```

use std::error::Error;
use std::sync::mpsc::{self, Sender};
use std::thread;

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthCallback, AuthClient, AuthResponse, Lang, PasswordEncryptType, ResetPasswordData,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

const PHONE: &str = "18812345678";

/// Shows the outcome of a step on a (pretend) screen.
struct ShowResult {
    screen: &'static str,
}

impl AuthCallback for ShowResult {
    fn call(self, response: AuthResponse) {
        let thread = thread::current();
        let on = thread.name().unwrap_or("an unnamed thread");
        if response.status_code() == 200 {
            println!("[{}] ok (callback on {on})", self.screen);
        } else {
            println!(
                "[{}] failed: status {}, api code {}: {}",
                self.screen,
                response.status_code(),
                response.api_code(),
                response.message()
            );
        }
    }
}

/// Keeps the reset token of a successful verification: sends it to whoever waits for it.
struct KeepResetToken {
    screen: &'static str,
    token: Sender<ResetPasswordData>,
}

impl AuthCallback for KeepResetToken {
    fn call(self, response: AuthResponse) {
        match response.reset_password_data() {
            Ok(reset) => {
                println!(
                    "[{}] code accepted; reset token valid for {} s",
                    self.screen,
                    reset.token_expires_in()
                );
                let _ = self.token.send(reset);
            }
            // `error` is the typed cause; its text never contains the code or a token.
            Err(error) => println!("[{}] code refused: {error}", self.screen),
        }
        // `self.token` is dropped here: a receiver waiting on it wakes up either way.
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::start()?;
    emulator.add_user(NewUser::with_phone("+86", PHONE, "old-pw-123"))?;

    let auth_client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
        .lang(Lang::EnUs)
        .build()?;

    // Step 1: send the passcode. The struct is the callback.
    let handle = auth_client.send_sms(
        "+86",
        PHONE,
        SmsType::CHANNEL_RESET_PASSWORD,
        ShowResult {
            screen: "send code",
        },
    );
    handle.join()?; // let `main` wait for the callback

    // The user reads the SMS (the emulator plays the phone).
    let code = emulator.latest_code(PHONE).ok_or("no SMS code issued")?;
    println!("(the user reads the SMS: {code})");

    // Step 2: a wrong code first, to show the failure path of the same struct...
    let mut wrong = ResetPasswordPayload::new();
    wrong
        .set_phone_country_code("+86")
        .set_phone_number(PHONE)
        .set_pass_code(if code == "000000" { "111111" } else { "000000" });
    let (token_tx, token_rx) = mpsc::channel();
    auth_client
        .reset_password_request(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            wrong,
            KeepResetToken {
                screen: "verify (typo)",
                token: token_tx.clone(),
            },
        )
        .join()?;

    // ...then the right one. A `Box<dyn AuthCallback>` is accepted too.
    let mut reset_password_payload = ResetPasswordPayload::new();
    reset_password_payload.set_phone_country_code("+86");
    reset_password_payload.set_phone_number(PHONE);
    reset_password_payload.set_pass_code(code);
    let callback: Box<dyn AuthCallback> = Box::new(KeepResetToken {
        screen: "verify",
        token: token_tx,
    });
    auth_client
        .reset_password_request(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            reset_password_payload,
            callback,
        )
        .join()?;

    // Every sender is gone now, so `recv` cannot wait forever: it yields the one token sent.
    let reset = token_rx.recv().map_err(|_| "the code was not accepted")?;

    // Finish the journey with the token, the same struct as callback.
    auth_client
        .reset_password(
            &reset,
            "brand-new-pw-456",
            PasswordEncryptType::none,
            ShowResult {
                screen: "new password",
            },
        )
        .join()?;

    let changed = emulator.check_password(PHONE, "brand-new-pw-456");
    println!("the new password works: {changed}");
    assert!(changed);
    Ok(())
}
