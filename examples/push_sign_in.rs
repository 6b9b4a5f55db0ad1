//! Push sign-in, both sides: a desktop asks the user's phone app to approve a sign-in and
//! waits, printing each state; the phone app, signed in as that user, refuses the first
//! request and approves the second, and the desktop is signed in as the phone's user.
//!
//! ```text
//! cargo run --example push_sign_in
//! ```
//!
//! With no environment set it runs offline on the bundled emulator, and a second thread
//! plays the phone: an `AuthClient` signed in as the demo user which, when a push arrives
//! (here: its id on a channel, where a real app gets a notification), checks that it may
//! answer it (`get_push_login_relation_apps`) and then calls
//! `change_push_code_status(id, PushCodeAction::CANCEL)` the first time and
//! `PushCodeAction::CONFIRM` the second, as your phone app would. The output says so.
//!
//! With `AUTHING_APP_ID` (and `AUTHING_APP_HOST` unless the host is discovered) set, it
//! asks the phone app of `AUTHING_ACCOUNT` (a username, email or phone of that Authing app)
//! and waits for you to approve on your phone.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthClient, AuthResponse, Authing, Lang, PushCodeAction, PushCodeStatus, PushCodeUpdate,
};

const DEMO_EMAIL: &str = "alice@example.com";
const DEMO_PASSWORD: &str = "passw0rd-1";

fn main() {
    let online = std::env::var_os("AUTHING_APP_ID").is_some()
        || std::env::var_os("AUTHING_APP_HOST").is_some();
    let outcome = if online { run_online() } else { run_offline() };
    if let Err(problem) = outcome {
        eprintln!("push_sign_in: {problem}");
        std::process::exit(1);
    }
}

/// Prints what the desktop shows for each update; sends a new push's id to `phone`.
fn show(update: PushCodeUpdate, phone: Option<&mpsc::Sender<String>>) {
    let code = update.push_code();
    match update.status() {
        PushCodeStatus::PUSHED => {
            println!(
                "desktop: approve the sign-in on your phone within {} s (pushCodeId {})",
                code.expire_time().as_secs(),
                code.push_code_id()
            );
            if let Some(phone) = phone {
                let _ = phone.send(code.push_code_id().to_string());
            }
        }
        PushCodeStatus::AUTHORIZED => println!("desktop: approved on the phone; signing in"),
        PushCodeStatus::CANCELLED => println!("desktop: refused on the phone"),
        other => println!("desktop: the push is {other}"),
    }
}

/// Prints the outcome of one sign-in; `Ok(true)` when signed in.
fn report(desktop: &AuthClient, response: &AuthResponse) -> Result<bool, String> {
    if response.status_code() != 200 {
        println!(
            "desktop: not signed in (status {}): {}\n",
            response.status_code(),
            response.message()
        );
        return Ok(false);
    }
    let user = desktop
        .get_current_user()
        .ok_or("signed in, but the profile could not be fetched")?;
    println!(
        "desktop: signed in as {} (user {})",
        user.email().or(user.username()).unwrap_or("?"),
        user.user_id()
    );
    Ok(true)
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
    let app_id = emulator.app_id().to_string();
    let (to_phone, notifications) = mpsc::channel::<String>();
    let phone_thread = thread::spawn(move || -> Result<(), String> {
        for action in [PushCodeAction::CANCEL, PushCodeAction::CONFIRM] {
            let id = notifications
                .recv_timeout(Duration::from_secs(30))
                .map_err(|_| "no push reached the phone".to_string())?;
            let related = phone
                .get_push_login_relation_apps_blocking(&id, &app_id)
                .push_login_relation_apps()
                .map_err(|e| format!("the phone could not look the push up: {e}"))?;
            // A person takes a moment to read the notification and tap a button.
            thread::sleep(Duration::from_millis(800));
            println!(
                "phone (a second thread of this example, signed in as {DEMO_EMAIL}): \
                 a sign-in request for app {} ({} related app(s)); {action}",
                app_id,
                related.len()
            );
            let answer = phone.change_push_code_status_blocking(&id, action);
            if answer.status_code() != 200 {
                return Err(format!("the phone's {action} failed: {}", answer.message()));
            }
        }
        Ok(())
    });

    let desktop = AuthClient::new();
    let mut signed_in = false;
    for attempt in 1..=2 {
        println!("desktop: sign-in attempt {attempt}, by push to {DEMO_EMAIL}");
        let to_phone = to_phone.clone();
        let (answer_tx, answer) = mpsc::channel::<AuthResponse>();
        let handle = desktop.sign_in_by_push(
            DEMO_EMAIL,
            None,
            move |update: PushCodeUpdate| show(update, Some(&to_phone)),
            answer_tx,
        );
        handle.join().map_err(|p| p.to_string())?;
        let response = answer.recv().map_err(|_| "no answer".to_string())?;
        signed_in = report(&desktop, &response)?;
        if signed_in {
            break;
        }
    }
    phone_thread
        .join()
        .map_err(|_| "the phone thread panicked".to_string())??;
    if signed_in {
        Ok(())
    } else {
        Err("the desktop was never signed in".into())
    }
}

/// The online run: a real app; your own phone app approves.
fn run_online() -> Result<(), String> {
    let account = std::env::var("AUTHING_ACCOUNT")
        .map_err(|_| "set AUTHING_ACCOUNT to the account whose phone app approves".to_string())?;
    let desktop = AuthClient::new();
    let response = desktop.sign_in_by_push_blocking(&account, None, |update| show(update, None));
    if report(&desktop, &response)? {
        Ok(())
    } else {
        Err("not signed in".into())
    }
}
