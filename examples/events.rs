//! Authing's event stream, offline on the bundled emulator (Java: `subEvent`, `pubtEvent`):
//! the laptop subscribes to profile updates and to sign-outs; a second thread, the phone,
//! changes the profile, publishes a custom event, then signs the laptop out. The laptop
//! prints each event as it arrives, and why each subscription ended.
//!
//! ```text
//! cargo run --example events
//! ```
//!
//! (The example needs the `events` cargo feature, which the crate's dev-dependencies turn
//! on; in your own app: `authing = { version = "0.1", features = ["events"] }`.)

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{AuthClient, EventEnd, Lang, Profile, SubEvent};

const USERNAME: &str = "mike";
const PASSWORD: &str = "passw0rd-123";
/// The longest wait for any update.
const WAIT: Duration = Duration::from_secs(20);

fn main() {
    if let Err(problem) = run() {
        eprintln!("events: {problem}");
        std::process::exit(1);
    }
}

fn signed_in_on(emulator: &Emulator, id: &str) -> Result<AuthClient, String> {
    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .device_id(id)
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;
    client
        .sign_in_by_account_password_blocking(USERNAME, PASSWORD, None)
        .into_result()
        .map_err(|e| format!("sign-in on {id}: {e}"))?;
    println!("signed in on {id}");
    Ok(client)
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| e.to_string())?;
    emulator
        .add_user(NewUser::with_username(USERNAME, PASSWORD))
        .map_err(|e| e.to_string())?;
    let laptop = signed_in_on(&emulator, "laptop")?;

    // Both subscriptions deliver to one channel, each update tagged with its code.
    let (tx, updates) = mpsc::channel::<(&'static str, SubEvent)>();
    let mut subscriptions = Vec::new();
    for code in [
        "authing.user.updated",
        "authing.user.logout",
        "myapp.notice",
    ] {
        let tx = tx.clone();
        subscriptions.push(laptop.sub_event(code, move |update: SubEvent| {
            let _ = tx.send((code, update));
        }));
    }
    drop(tx);
    let mut live = 0;
    while live < subscriptions.len() {
        let (code, update) = updates.recv_timeout(WAIT).map_err(|e| e.to_string())?;
        if let SubEvent::Connected { .. } = update {
            println!("[{code}] live");
            live += 1;
        }
    }

    // The phone, on a thread of its own: changes the profile, publishes, signs the laptop out.
    let phone = std::thread::spawn({
        let phone = signed_in_on(&emulator, "phone")?;
        move || -> Result<(), String> {
            let mut profile = Profile::new();
            profile.set_nickname("Mickey");
            phone
                .update_profile_blocking(profile)
                .into_result()
                .map_err(|e| e.to_string())?;
            println!("phone: nickname changed");
            phone
                .pub_event_blocking("myapp.notice", r#"{"text":"hello from the phone"}"#)
                .into_result()
                .map_err(|e| e.to_string())?;
            println!("phone: myapp.notice published");
            phone
                .revoke_blocking("laptop")
                .into_result()
                .map_err(|e| e.to_string())?;
            println!("phone: signed the laptop out");
            Ok(())
        }
    });

    let mut ended = 0;
    while ended < subscriptions.len() {
        let (code, update) = updates.recv_timeout(WAIT).map_err(|e| e.to_string())?;
        match update {
            SubEvent::Event(event) => println!(
                "[{code}] event {}: {}",
                event.id().unwrap_or("(no id)"),
                event.data()
            ),
            SubEvent::Reconnecting { reason, .. } => println!("[{code}] reconnecting: {reason}"),
            SubEvent::Connected { .. } => println!("[{code}] live again"),
            SubEvent::Ended(why) => {
                println!("[{code}] ended: {why}");
                if why != EventEnd::SignedOut {
                    return Err(format!("{code} ended unexpectedly: {why}"));
                }
                ended += 1;
            }
            _ => {}
        }
    }
    phone
        .join()
        .map_err(|_| "the phone thread panicked".to_string())??;
    println!(
        "the laptop is signed out: {}",
        laptop.get_current_user().is_none()
    );
    Ok(())
}
