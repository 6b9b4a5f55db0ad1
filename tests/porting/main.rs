//! docs/PORTING.md taken at its word: Authing's published Android samples (the v3
//! reference pages of docs.authing.cn, and the older Guard `AuthClient`), each ported as
//! the porting guide says and run against the embedded emulator over real HTTP. If a
//! sample stops compiling or answering as the guide promises, this binary says which.
//!
//! - `docs_samples`: the v3 samples whose Java differs from the Android SDK the crate
//!   follows (names, argument lists), one test per sample.
//! - `guard`: Guard-era calls (`AuthClient.loginByAccount(..)`, three-argument
//!   callbacks, `code == 2020`).
//! - `empty_text`: Java's `""` for "use the default", per call, where Android's or
//!   Guard's source treats it as absent.
//! - `aliases`: every Java spelling has a `#[doc(alias)]`, so rustdoc search finds it.

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{AuthClient, AuthResponse, EmailType, RequestHandle, SmsType};

mod aliases;
mod docs_samples;
mod empty_text;
mod guard;

/// How long a test waits for a callback before failing.
const DEADLINE: Duration = Duration::from_secs(10);

/// A fresh emulator.
fn emulator() -> Emulator {
    Emulator::start().expect("the emulator starts")
}

/// A client of `emu`. (An app would call `Authing::init(app_id)` and `AuthClient::new()`.)
fn client_of(emu: &Emulator) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .expect("valid settings")
}

/// `user` added to `emu`, and a client of `emu` signed in with `account` and `password`.
fn signed_in(emu: &Emulator, user: NewUser, account: &str, password: &str) -> AuthClient {
    emu.add_user(user).expect("the user");
    let client = client_of(emu);
    let response = client.sign_in_by_account_password_blocking(account, password, None);
    assert_eq!(response.status_code(), 200, "{}", response.message());
    client
}

/// Runs a ported callback call whose callback sends its response into the channel it is
/// given, waits for it as a ported `main` must, and answers the response.
fn answer(call: impl FnOnce(mpsc::Sender<AuthResponse>) -> RequestHandle) -> AuthResponse {
    let (tx, rx) = mpsc::channel();
    call(tx).join().expect("the callback did not panic");
    rx.recv_timeout(DEADLINE).expect("the callback ran")
}

/// Asserts a 200 answer, showing the message otherwise.
fn ok(response: AuthResponse) -> AuthResponse {
    assert_eq!(response.status_code(), 200, "{}", response.message());
    response
}

/// Sends an SMS passcode to `phone` (+86) on `channel` and reads it from the emulator.
fn sms_code(emu: &Emulator, client: &AuthClient, phone: &str, channel: SmsType) -> String {
    ok(client.send_sms_blocking("+86", phone, channel));
    emu.latest_code(phone).expect("a code was sent")
}

/// Sends an email passcode to `email` on `channel` and reads it from the emulator.
fn email_code(emu: &Emulator, client: &AuthClient, email: &str, channel: EmailType) -> String {
    ok(client.send_email_blocking(email, channel));
    emu.latest_code(email).expect("a code was sent")
}
