//! QR-code sign-in, both sides: a desktop shows a QR code in the terminal, a phone that is
//! signed in scans it and confirms, and the desktop is signed in as the phone's user.
//!
//! ```text
//! cargo run --example qr_sign_in
//! ```
//!
//! With no environment set it runs offline on the bundled emulator, and a second thread
//! plays the phone: an `AuthClient` signed in as the demo user, which, a moment after the
//! code appears, calls `change_qr_code_status(id, Action::SCAN)` and then
//! `Action::CONFIRM`, as your phone app would. The output says so.
//!
//! With `AUTHING_APP_ID` (and `AUTHING_APP_HOST` unless the host is discovered) set, it
//! shows a code of that Authing app and waits for your own phone app to confirm it (its QR
//! code holds the `qrcodeId`; see `QrCode::content`).
//!
//! The terminal drawing needs the cargo feature `qrcode`, which the crate's own examples
//! have.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{Action, AuthClient, AuthResponse, Authing, Lang, QrCodeStatus, QrCodeUpdate};

const DEMO_EMAIL: &str = "alice@example.com";
const DEMO_PASSWORD: &str = "passw0rd-1";

fn main() {
    let online = std::env::var_os("AUTHING_APP_ID").is_some()
        || std::env::var_os("AUTHING_APP_HOST").is_some();
    let outcome = if online { run_online() } else { run_offline() };
    if let Err(problem) = outcome {
        eprintln!("qr_sign_in: {problem}");
        std::process::exit(1);
    }
}

/// Prints what the desktop shows for each update; sends the new code's id to `phone`.
fn show(update: QrCodeUpdate, phone: Option<&mpsc::Sender<String>>) {
    match update.status() {
        QrCodeStatus::PENDING => {
            let code = update.qr_code();
            match code.to_terminal_string() {
                Ok(drawing) => println!("{drawing}"),
                Err(error) => println!("(cannot draw the code: {error})"),
            }
            println!(
                "desktop: scan this code with your phone app (qrcodeId {})",
                code.qrcode_id()
            );
            if let Some(phone) = phone {
                let _ = phone.send(code.qrcode_id().to_string());
            }
        }
        QrCodeStatus::SCANNED => println!(
            "desktop: scanned by {}; confirm on your phone",
            update.display_name().unwrap_or("someone")
        ),
        QrCodeStatus::AUTHORIZED => println!("desktop: confirmed on the phone; signing in"),
        other => println!("desktop: the code is {other}"),
    }
}

fn report(desktop: &AuthClient, response: &AuthResponse) -> Result<(), String> {
    if response.status_code() != 200 {
        return Err(format!("not signed in: {}", response.message()));
    }
    let user = desktop
        .get_current_user()
        .ok_or("signed in, but the session holds no user")?;
    println!(
        "desktop: signed in as {} (user {})",
        user.email().or(user.username()).unwrap_or("?"),
        user.user_id()
    );
    Ok(())
}

/// The offline run: the emulator plays Authing, a second thread plays the phone.
fn run_offline() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    emulator
        .add_user(NewUser::with_email(DEMO_EMAIL, DEMO_PASSWORD).nickname("Alice"))
        .map_err(|e| e.to_string())?;
    println!(
        "offline: the authing emulator is listening on {}",
        emulator.base_url()
    );
    println!("         (set AUTHING_APP_ID / AUTHING_APP_HOST to use a real authing app)\n");
    Authing::init(emulator.app_id());
    Authing::set_host(emulator.base_url());
    // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
    Authing::set_lang(Lang::EnUs);

    // The phone: its own client (its own session), signed in as Alice.
    let phone = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;
    let signed_in = phone.sign_in_by_email_password_blocking(DEMO_EMAIL, DEMO_PASSWORD, None);
    if signed_in.status_code() != 200 {
        return Err(format!(
            "the phone could not sign in: {}",
            signed_in.message()
        ));
    }
    let (to_phone, scanned) = mpsc::channel::<String>();
    let phone_thread = thread::spawn(move || -> Result<(), String> {
        let id = scanned
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| "the desktop showed no code".to_string())?;
        for action in [Action::SCAN, Action::CONFIRM] {
            // A person takes a moment to point the camera, then to tap "confirm".
            thread::sleep(Duration::from_millis(800));
            println!(
                "phone (a second thread of this example, signed in as {DEMO_EMAIL}): {action}"
            );
            let answer = phone.change_qr_code_status_blocking(&id, action);
            if answer.status_code() != 200 {
                return Err(format!("the phone's {action} failed: {}", answer.message()));
            }
        }
        Ok(())
    });

    let desktop = AuthClient::new();
    let (answer_tx, answer) = mpsc::channel::<AuthResponse>();
    let handle = desktop.sign_in_by_qr_code(
        None,
        move |update: QrCodeUpdate| show(update, Some(&to_phone)),
        answer_tx,
    );
    handle.join().map_err(|p| p.to_string())?;
    phone_thread
        .join()
        .map_err(|_| "the phone thread panicked".to_string())??;
    let response = answer.recv().map_err(|_| "no answer".to_string())?;
    report(&desktop, &response)
}

/// The online run: a real app; your own phone app confirms.
fn run_online() -> Result<(), String> {
    let desktop = AuthClient::new();
    let response = desktop.sign_in_by_qr_code_blocking(None, |update| show(update, None));
    report(&desktop, &response)
}
