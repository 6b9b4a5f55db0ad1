//! `AuthClient::new()`: configured from `Authing::` settings, then the environment; never
//! panics. One test, since it changes process-wide state (the environment and `Authing`).
mod common;

use std::sync::mpsc;

use authing::emulator::{Emulator, NewUser};
use authing::{
    codes, AuthClient, AuthResponse, Authing, Lang, ResetPasswordPayload,
    ResetPasswordVerifyMethod, SmsType,
};
use common::DEADLINE;

const VARS: [&str; 4] = [
    "AUTHING_APP_ID",
    "AUTHING_APP_HOST",
    "AUTHING_LANG",
    "AUTHING_TIMEOUT_MS",
];

/// Sets a variable. This binary has one test, and no thread of this process reads or
/// writes the environment while it runs (the emulator's and the SDK's threads never touch
/// it; `AuthClient::new` reads it on this thread).
fn set_env(name: &str, value: impl AsRef<std::ffi::OsStr>) {
    // SAFETY: as above, nothing else touches the environment concurrently.
    unsafe { std::env::set_var(name, value) };
}

fn clear_env() {
    for var in VARS {
        // SAFETY: see `set_env`.
        unsafe { std::env::remove_var(var) };
    }
}

#[test]
fn new_reads_authing_settings_then_the_environment_and_never_panics() {
    clear_env();
    Authing::reset();

    // Nothing configured: every call answers 10002 through its callback.
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    AuthClient::new()
        .reset_password_request(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            ResetPasswordPayload::new(),
            tx,
        )
        .join()
        .unwrap();
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::CONFIG_NOT_FOUND
    );

    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("+86", "18812345678", "old-passw0rd"))
        .unwrap();

    // The environment alone.
    set_env("AUTHING_APP_ID", emu.app_id());
    set_env("AUTHING_APP_HOST", emu.base_url());
    set_env("AUTHING_LANG", "en-US");
    let r =
        AuthClient::new().send_sms_blocking(None, "13900000000", SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(r.status_code(), 404, "{r:?}");
    assert!(
        r.message().is_ascii(),
        "english from AUTHING_LANG: {}",
        r.message()
    );

    // A malformed variable: still no panic; the answer names it.
    set_env("AUTHING_TIMEOUT_MS", "soon");
    let r =
        AuthClient::new().send_sms_blocking(None, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(r.status_code(), codes::CONFIG_NOT_FOUND);
    assert_eq!(
        r.message(),
        "config not found: invalid setting AUTHING_TIMEOUT_MS: must be a positive whole number of milliseconds"
    );
    clear_env();

    // `Authing::` settings, as Android's `Authing.init`.
    Authing::init(emu.app_id());
    Authing::set_app_host(emu.base_url());
    Authing::set_lang(Lang::ZhCn);
    let r =
        AuthClient::new().send_sms_blocking("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
    assert_eq!(r.status_code(), 200, "{r:?}");

    // Clients with the same settings share one dispatcher: the second sees the first's worker.
    let first = AuthClient::new();
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    first.system(tx).join().unwrap();
    rx.recv_timeout(DEADLINE).unwrap();
    assert!(AuthClient::new().load().workers() >= 1);

    // With an app id and an on-premises host, the API host is discovered.
    Authing::reset();
    Authing::init(emu.app_id());
    Authing::set_host(emu.base_url());
    let r = AuthClient::new().system_blocking();
    assert_eq!(r.status_code(), 200, "{r:?}");
    Authing::reset();
}
