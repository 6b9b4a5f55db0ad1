//! This crate's side of the journeys, each timed from the user's action to the answer the
//! app shows, with a client made at the click or at program start. The server side the
//! user does not do over the network (reading a code from an SMS, confirming on the
//! phone, the server expiring a token) goes through the emulator handle, not the proxy.

use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use authing::emulator::Action;
use authing::{
    AuthClient, AuthOptions, AuthResponse, BrowserSignIn, PasswordEncryptType, QrCodeSignInOptions,
    QrCodeUpdate, ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

use crate::browser::Browser;
use crate::target::{Counts, Target, COUNTRY, EMAIL, PASSWORD, TIMEOUT};

/// The QR flow's status-check interval: the lowest the SDK accepts (50 ms; its default is
/// 1 s), so the wait for the next check is of the order of one RTT, not of a second. The
/// official SDKs' drivers check at the same interval.
pub const QR_INTERVAL: Duration = Duration::from_millis(50);
/// How long before the click a client "made at program start" was made.
pub const BEFORE: Duration = Duration::from_millis(1_100);

/// One run of one journey: its wall time and what the network and server saw.
#[derive(Clone, Copy)]
pub struct Run {
    pub wall: Duration,
    pub counts: Counts,
}

/// When the app made its client.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// At the click, inside the timed part.
    AtClick,
    /// At program start, at least a second before the click.
    AtStart,
}

/// The clients of a batch of runs made "at program start": made, then `BEFORE` waited
/// once for all of them.
pub fn made_at_start(t: &Target, n: usize) -> Vec<AuthClient> {
    let clients = (0..n).map(|_| t.client()).collect::<Vec<_>>();
    // Warmed up at program start, as the docs tell an app to: discovery, the password key
    // and an open connection are ready before the click.
    for c in &clients {
        let _ = c.warm_up(|_: AuthResponse| {});
    }
    thread::sleep(BEFORE);
    clients
}

fn ok(what: &str, r: &AuthResponse) {
    assert_eq!(r.status_code(), 200, "{what}: {}", r.message());
}

fn options(kind: PasswordEncryptType) -> AuthOptions {
    let mut o = AuthOptions::new();
    o.set_password_encrypt_type(kind);
    o
}

/// Times `f` and counts what it cost.
pub fn measure(t: &Target, f: impl FnOnce()) -> Run {
    let before = t.counts();
    let at = Instant::now();
    f();
    let wall = at.elapsed();
    Run {
        wall,
        counts: t.counts() - before,
    }
}

/// Runs `journey` `n` times, each with its client made as `made` says.
fn each(
    t: &Target,
    made: Made,
    n: usize,
    journey: impl Fn(&dyn Fn() -> AuthClient) -> Run,
) -> Vec<Run> {
    match made {
        Made::AtClick => (0..n).map(|_| journey(&|| t.client())).collect(),
        Made::AtStart => made_at_start(t, n)
            .into_iter()
            .map(|c| {
                let cell = std::cell::Cell::new(Some(c));
                journey(&|| cell.take().expect("one client per run"))
            })
            .collect(),
    }
}

/// "Sign in" clicked: email and password, `kind` of password encryption.
pub fn sign_in(t: &Target, made: Made, n: usize, kind: PasswordEncryptType) -> Vec<Run> {
    each(t, made, n, |client| {
        if made == Made::AtStart {
            let c = client();
            return measure(t, || {
                ok(
                    "sign-in",
                    &c.sign_in_by_email_password_blocking(EMAIL, PASSWORD, options(kind)),
                );
            });
        }
        measure(t, || {
            let c = client();
            ok(
                "sign-in",
                &c.sign_in_by_email_password_blocking(EMAIL, PASSWORD, options(kind)),
            );
        })
    })
}

/// A cold program start to signed in: this program started again as a child
/// (`--cold-child`), which makes a client, signs in and exits; timed from the spawn to
/// its exit.
pub fn cold_start(t: &Target, n: usize) -> Vec<Run> {
    let exe = std::env::current_exe().expect("this program");
    (0..n)
        .map(|_| {
            let mut cmd = Command::new(&exe);
            cmd.arg("--cold-child").arg(t.url()).arg(t.emu.app_id());
            if let Some(ca) = &t.ca_file {
                cmd.arg(ca);
            }
            measure(t, || {
                let status = cmd.status().expect("the child runs");
                assert!(status.success(), "the cold-start child failed");
            })
        })
        .collect()
}

/// The child of `cold_start`: `--cold-child URL APP_ID [CA_FILE]`.
pub fn cold_child(args: &[String]) {
    let mut b = AuthClient::builder()
        .app_id(&args[1])
        .app_host(&args[0])
        .timeout(TIMEOUT);
    if let Some(ca) = args.get(2) {
        b = b.root_certificates_pem_file(ca);
    }
    let c = b.build().expect("a valid client");
    let r = c.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    if r.status_code() != 200 {
        eprintln!("cold-start sign-in: {}", r.message());
        std::process::exit(1);
    }
}

/// Recovery: send the code, verify it (the code read from the emulator, as the user
/// reads the SMS), set the new password.
pub fn recovery(t: &Target, made: Made, n: usize) -> Vec<Run> {
    each(t, made, n, |client| {
        let number = t.fresh_phone();
        let c = (made == Made::AtStart).then(client);
        measure(t, || {
            let c = c.unwrap_or_else(client);
            ok(
                "send_sms",
                &c.send_sms_blocking(COUNTRY, &number, SmsType::CHANNEL_RESET_PASSWORD),
            );
            let code = t.emu.latest_code(number.as_str()).expect("a code");
            let mut p = ResetPasswordPayload::new();
            p.set_phone_country_code(COUNTRY)
                .set_phone_number(&number)
                .set_pass_code(&code);
            let verified =
                c.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, p);
            ok("reset_password_request", &verified);
            let data = verified.reset_password_data().expect("a reset token");
            ok(
                "reset_password",
                &c.reset_password_blocking(&data, "a new passw0rd", PasswordEncryptType::none),
            );
        })
    })
}

/// A call on an access token the server expired: the call meets 401, the SDK refreshes
/// and calls again. One client signed in at program start, as in a running program.
pub fn expired_token(t: &Target, n: usize) -> Vec<Run> {
    let c = made_at_start(t, 1).remove(0);
    ok(
        "sign-in",
        &c.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None),
    );
    (0..n)
        .map(|_| {
            assert!(t.emu.expire_access_tokens(EMAIL) > 0, "a token expired");
            measure(t, || {
                ok(
                    "get_profile after the refresh",
                    &c.get_profile_blocking(false, false, false),
                );
            })
        })
        .collect()
}

/// QR sign-in: from the code shown to signed in, the phone (the emulator handle) scanning
/// and confirming as soon as the code is shown; the SDK checks every `QR_INTERVAL`.
pub fn qr(t: &Target, made: Made, n: usize) -> Vec<Run> {
    each(t, made, n, |client| {
        let c = client();
        let (shown_tx, shown_rx) = mpsc::channel::<(Instant, String)>();
        let (done_tx, done_rx) = mpsc::channel::<(Instant, i32, String)>();
        let mut options = QrCodeSignInOptions::new();
        options.set_interval(QR_INTERVAL);
        let mut first = true;
        let _handle = c.sign_in_by_qr_code(
            options,
            move |u: QrCodeUpdate| {
                if std::mem::take(&mut first) {
                    let id = u.qr_code().qrcode_id().to_string();
                    let _ = shown_tx.send((Instant::now(), id));
                }
            },
            move |r: AuthResponse| {
                let _ = done_tx.send((Instant::now(), r.status_code(), r.message().to_string()));
            },
        );
        let Ok((shown, id)) = shown_rx.recv_timeout(TIMEOUT) else {
            let answer = done_rx.recv_timeout(TIMEOUT);
            panic!("no QR code shown: {answer:?}");
        };
        let before = t.counts();
        confirm_qr(t, &id);
        let (done, status, message) = done_rx.recv_timeout(TIMEOUT).expect("signed in");
        assert_eq!(status, 200, "QR sign-in: {message}");
        Run {
            wall: done.duration_since(shown),
            counts: t.counts() - before,
        }
    })
}

/// The phone scans and confirms (off the network path: the emulator handle).
pub fn confirm_qr(t: &Target, id: &str) {
    t.emu
        .change_qr_code_status(id, EMAIL, Action::SCAN)
        .expect("scanned");
    t.emu
        .change_qr_code_status(id, EMAIL, Action::CONFIRM)
        .expect("confirmed");
}

/// Browser sign-in: the flow opens the hosted page (the benchmark's `Browser` plays the
/// person, through the proxy), the provider redirects to the SDK's loopback listener
/// (plain http on 127.0.0.1, on the user's own machine: not through the proxy); timed
/// from the redirect reaching the listener to the callback with the session.
pub fn browser(t: &Target, made: Made, n: usize) -> Vec<Run> {
    each(t, made, n, |client| {
        let c = client();
        let (url_tx, url_rx) = mpsc::channel::<String>();
        let options = BrowserSignIn::new().open_with(move |url: &str| {
            let _ = url_tx.send(url.to_owned());
        });
        let (tx, rx) = mpsc::channel::<(Instant, AuthResponse)>();
        let _handle = c.sign_in_by_browser(options, move |r: AuthResponse| {
            let _ = tx.send((Instant::now(), r));
        });
        let url = url_rx
            .recv_timeout(TIMEOUT)
            .expect("the flow opens the page");
        let mut browser = Browser::new(t);
        let location = browser.sign_in(&url, EMAIL, PASSWORD);
        let before = t.counts();
        let redirected = Instant::now();
        let _page = browser.get(&location);
        let (at, answer) = rx.recv_timeout(TIMEOUT).expect("the callback runs");
        ok("browser sign-in", &answer);
        Run {
            wall: at.duration_since(redirected),
            counts: t.counts() - before,
        }
    })
}
