//! The journeys, each one timed from the user's action to the answer the app shows. The
//! server side the user does not do over the network (reading a code from an SMS,
//! confirming on the phone, the server expiring a token) goes through the emulator handle,
//! not through the proxy.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use authing::emulator::{Action, Emulator, NewUser};
use authing::{
    AuthClient, AuthOptions, AuthResponse, PasswordEncryptType, QrCodeSignInOptions, QrCodeUpdate,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

use crate::proxy::{Counts, Proxy};

pub const EMAIL: &str = "bench@example.com";
pub const PASSWORD: &str = "bench-passw0rd";
const COUNTRY: &str = "+86";
/// The QR flow's status-check interval: the lowest the SDK accepts (50 ms; its default is
/// 1 s), so the wait for the next check is of the order of one RTT, not of a second.
pub const QR_INTERVAL: Duration = Duration::from_millis(50);
const TIMEOUT: Duration = Duration::from_secs(30);

/// One run of one journey: its wall time and what the proxy saw during it.
pub struct Run {
    pub wall: Duration,
    pub counts: Counts,
}

pub fn client(proxy: &Proxy, emu: &Emulator) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(proxy.base_url())
        .timeout(TIMEOUT)
        .build()
        .expect("a valid client")
}

fn ok(what: &str, r: &AuthResponse) {
    assert_eq!(r.status_code(), 200, "{what}: {}", r.message());
}

fn options(kind: PasswordEncryptType) -> AuthOptions {
    let mut o = AuthOptions::new();
    o.set_password_encrypt_type(kind);
    o
}

pub fn add_users(emu: &Emulator, runs: usize) {
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("the bench user");
    for i in 0..runs {
        emu.add_user(NewUser::with_phone(COUNTRY, phone(i), PASSWORD))
            .expect("a recovery user");
    }
}

/// A phone number per recovery run, so no run meets another's resend limit.
fn phone(i: usize) -> String {
    format!("188{:08}", 10_000 + i)
}

/// 1 and 2: "Sign in" clicked in a running program: the clients were made at least a
/// second before, their connections not yet open.
pub fn click_sign_in(
    proxy: &Proxy,
    emu: &Emulator,
    runs: usize,
    kind: PasswordEncryptType,
) -> Vec<Run> {
    let clients: Vec<AuthClient> = (0..runs).map(|_| client(proxy, emu)).collect();
    thread::sleep(Duration::from_millis(1_100));
    clients
        .iter()
        .map(|c| {
            let before = proxy.counts();
            let t = Instant::now();
            let r = c.sign_in_by_email_password_blocking(EMAIL, PASSWORD, options(kind));
            let wall = t.elapsed();
            ok("sign-in", &r);
            Run {
                wall,
                counts: proxy.counts() - before,
            }
        })
        .collect()
}

/// 3: cold program start to signed in: the client is made at the click.
pub fn cold_start(proxy: &Proxy, emu: &Emulator, runs: usize) -> Vec<Run> {
    (0..runs)
        .map(|_| {
            let before = proxy.counts();
            let t = Instant::now();
            let c = client(proxy, emu);
            let r = c.sign_in_by_email_password_blocking(
                EMAIL,
                PASSWORD,
                options(PasswordEncryptType::none),
            );
            let wall = t.elapsed();
            ok("sign-in", &r);
            Run {
                wall,
                counts: proxy.counts() - before,
            }
        })
        .collect()
}

/// 4: recovery: send the code, verify it (the code read from the emulator, as the user
/// reads the SMS), set the new password. A new client per run (the app opens the screen).
pub fn recovery(proxy: &Proxy, emu: &Emulator, runs: usize) -> Vec<Run> {
    (0..runs)
        .map(|i| {
            let number = phone(i);
            let before = proxy.counts();
            let t = Instant::now();
            let c = client(proxy, emu);
            let sent = c.send_sms_blocking(COUNTRY, &number, SmsType::CHANNEL_RESET_PASSWORD);
            ok("send_sms", &sent);
            let code = emu.latest_code(number.as_str()).expect("a code");
            let mut p = ResetPasswordPayload::new();
            p.set_phone_country_code(COUNTRY)
                .set_phone_number(&number)
                .set_pass_code(&code);
            let verified =
                c.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, p);
            ok("reset_password_request", &verified);
            let data = verified.reset_password_data().expect("a reset token");
            let reset =
                c.reset_password_blocking(&data, "a new passw0rd", PasswordEncryptType::none);
            let wall = t.elapsed();
            ok("reset_password", &reset);
            Run {
                wall,
                counts: proxy.counts() - before,
            }
        })
        .collect()
}

/// 5: a call on an access token the server expired (through the emulator handle): the
/// call meets 401, the SDK refreshes and calls again. One signed-in client, its
/// connection open, as in a running program.
pub fn expired_token(proxy: &Proxy, emu: &Emulator, runs: usize) -> Vec<Run> {
    let c = client(proxy, emu);
    let r = c.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    ok("sign-in", &r);
    (0..runs)
        .map(|_| {
            assert!(emu.expire_access_tokens(EMAIL) > 0, "a token expired");
            let before = proxy.counts();
            let t = Instant::now();
            let r = c.get_profile_blocking(false, false, false);
            let wall = t.elapsed();
            ok("get_profile after the refresh", &r);
            Run {
                wall,
                counts: proxy.counts() - before,
            }
        })
        .collect()
}

/// 6: QR sign-in: from the code shown to signed in, the phone (through the emulator)
/// scanning and confirming as soon as the code is shown; the SDK checks every
/// `QR_INTERVAL`.
pub fn qr(proxy: &Proxy, emu: &Emulator, runs: usize) -> Vec<Run> {
    let c = client(proxy, emu);
    (0..runs)
        .map(|_| {
            let (shown_tx, shown_rx) = mpsc::channel::<(Instant, String, Counts)>();
            let (done_tx, done_rx) = mpsc::channel::<(Instant, i32, String)>();
            let mut options = QrCodeSignInOptions::new();
            options.set_interval(QR_INTERVAL);
            let counter = proxy.counts_handle();
            let mut first = true;
            let _handle = c.sign_in_by_qr_code(
                options,
                move |u: QrCodeUpdate| {
                    if std::mem::take(&mut first) {
                        let at = Instant::now();
                        let id = u.qr_code().qrcode_id().to_string();
                        let _ = shown_tx.send((at, id, counter()));
                    }
                },
                move |r: AuthResponse| {
                    let _ =
                        done_tx.send((Instant::now(), r.status_code(), r.message().to_string()));
                },
            );
            let Ok((shown, id, before)) = shown_rx.recv_timeout(TIMEOUT) else {
                let answer = done_rx.recv_timeout(TIMEOUT);
                panic!("no QR code shown: {answer:?}");
            };
            emu.change_qr_code_status(&id, EMAIL, Action::SCAN)
                .expect("scanned");
            emu.change_qr_code_status(&id, EMAIL, Action::CONFIRM)
                .expect("confirmed");
            let (done, status, message) = done_rx.recv_timeout(TIMEOUT).expect("signed in");
            assert_eq!(status, 200, "QR sign-in: {message}");
            Run {
                wall: done.duration_since(shown),
                counts: proxy.counts() - before,
            }
        })
        .collect()
}
