//! Java nests the reset in the verify step's callback. Ported literally, `main` can return
//! before the inner callback runs. This example runs the safe forms of docs/PORTING.md
//! ("Nested callbacks") against the emulator, one user each, and checks that every one of
//! them changed the password before `main` went on:
//!
//! 1. the outer callback hands the inner call's handle back to `main`, which joins it;
//! 2. both steps answer into one channel, and `main` waits for the one final answer;
//! 3. the composite call, `reset_password_by_phone`: one call, one callback;
//! 4. the blocking twins, on `main`'s thread or inside the outer callback.
//!
//! Run it with:
//!
//! ```text
//! cargo run --example nested_callbacks
//! ```

use std::error::Error;
use std::sync::mpsc;

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthClient, AuthResponse, Lang, PasswordEncryptType, RequestHandle, ResetPasswordPayload,
    ResetPasswordVerifyMethod, SmsType,
};

const OLD_PASSWORD: &str = "old-pw-123";
const NEW_PASSWORD: &str = "brand-new-pw-456";

fn payload(phone: &str, code: &str) -> ResetPasswordPayload {
    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_country_code("+86")
        .set_phone_number(phone)
        .set_pass_code(code);
    payload
}

/// 1. The inner handle goes back to `main` through a channel; `main` joins both.
fn handle_back_to_main(client: &AuthClient, phone: &str, code: &str) {
    let (handles, inner_handle) = mpsc::channel::<RequestHandle>();
    let inner_client = client.clone();
    client
        .reset_password_request(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            payload(phone, code),
            move |response: AuthResponse| match response.reset_password_data() {
                Ok(reset) => {
                    let inner = inner_client.reset_password(
                        reset,
                        NEW_PASSWORD,
                        PasswordEncryptType::none,
                        |r: AuthResponse| println!("  1. reset: status {}", r.status_code()),
                    );
                    let _ = handles.send(inner);
                }
                Err(error) => println!("  1. verify failed: {error}"),
            },
        )
        .join()
        .expect("the outer callback did not panic");
    // Sent before the outer callback returned, or never (the sender is gone by now).
    if let Ok(inner) = inner_handle.recv() {
        inner.join().expect("the inner callback did not panic");
    }
}

/// 2. Every path answers into one channel; `main` waits for that one answer.
fn one_final_answer(client: &AuthClient, phone: &str, code: &str) -> AuthResponse {
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let inner_client = client.clone();
    let _outer = client.reset_password_request(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        payload(phone, code),
        move |response: AuthResponse| match response.reset_password_data() {
            // A Sender is a callback: the reset step answers into the same channel.
            Ok(reset) => {
                let _inner =
                    inner_client.reset_password(reset, NEW_PASSWORD, PasswordEncryptType::none, tx);
            }
            Err(_) => {
                let _ = tx.send(response);
            }
        },
    );
    rx.recv().expect("exactly one final answer")
}

/// 3. One call does both steps and answers once.
fn composite(client: &AuthClient, phone: &str, code: &str) {
    client
        .reset_password_by_phone(
            "+86",
            phone,
            code,
            NEW_PASSWORD,
            PasswordEncryptType::none,
            |r: AuthResponse| println!("  3. composite: status {}", r.status_code()),
        )
        .join()
        .expect("the callback did not panic");
}

/// 4. The blocking twins, one after the other on this thread.
fn blocking(client: &AuthClient, phone: &str, code: &str) -> Result<AuthResponse, Box<dyn Error>> {
    let verified = client.reset_password_request_blocking(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        payload(phone, code),
    );
    let reset = verified.reset_password_data()?;
    Ok(client.reset_password_blocking(&reset, NEW_PASSWORD, PasswordEncryptType::none))
}

fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::start()?;
    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
        .lang(Lang::EnUs)
        .build()?;
    // One user per form: the server allows one SMS per number and channel per minute.
    let phones = ["18812340001", "18812340002", "18812340003", "18812340004"];
    let mut codes = Vec::new();
    for phone in phones {
        emulator.add_user(NewUser::with_phone("+86", phone, OLD_PASSWORD))?;
        let sent = client.send_sms_blocking("+86", phone, SmsType::CHANNEL_RESET_PASSWORD);
        if !sent.is_success() {
            return Err(format!("send_sms failed: {}", sent.message()).into());
        }
        codes.push(emulator.latest_code(phone).ok_or("no code issued")?);
    }

    handle_back_to_main(&client, phones[0], &codes[0]);
    let last = one_final_answer(&client, phones[1], &codes[1]);
    println!("  2. one final answer: status {}", last.status_code());
    composite(&client, phones[2], &codes[2]);
    let last = blocking(&client, phones[3], &codes[3])?;
    println!("  4. blocking: status {}", last.status_code());

    // Every form has finished its second step before `main` got here.
    for (form, phone) in phones.iter().enumerate() {
        let changed = emulator.check_password(*phone, NEW_PASSWORD);
        println!("form {}: password changed: {changed}", form + 1);
        if !changed {
            return Err(format!("form {} did not change the password", form + 1).into());
        }
    }
    Ok(())
}
