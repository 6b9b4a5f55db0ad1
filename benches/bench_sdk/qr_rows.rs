//! QR sign-in polling: how many status checks a waiting desktop makes per minute, and that
//! polling stops at once when the handle is cancelled or the window (the options'
//! time-out) closes.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use authing::{AuthResponse, QrCodeSignInOptions, QrCodeUpdate};

use crate::child::EmulatorProcess;
use crate::clients::sdk_client;
use crate::target;

const INTERVAL: Duration = Duration::from_millis(200);
const WAIT: Duration = Duration::from_secs(2);
const WINDOW: Duration = Duration::from_secs(1);
/// How long the benchmark watches for requests after the polling should have stopped.
const AFTER: Duration = Duration::from_millis(500);

pub struct Qr {
    per_minute: f64,
    /// From `cancel()` to the callback.
    cancel_to_callback: Duration,
    cancel_status: i32,
    after_cancel: u64,
    /// From the start to the callback, with the window closing at `WINDOW`.
    window_to_callback: Duration,
    window_status: i32,
    after_window: u64,
}

fn options(timeout: Option<Duration>) -> QrCodeSignInOptions {
    let mut o = QrCodeSignInOptions::new();
    o.set_interval(INTERVAL);
    if let Some(t) = timeout {
        o.set_timeout(t);
    }
    o
}

pub fn measure(emu: &mut EmulatorProcess) -> Qr {
    let client = sdk_client(&emu.base_url, &emu.app_id, 8);
    // Cancelled by the user.
    let (tx, rx) = mpsc::channel::<(Instant, i32)>();
    let (shown_tx, shown_rx) = mpsc::channel::<Instant>();
    let handle = client.sign_in_by_qr_code(
        options(None),
        move |_u: QrCodeUpdate| {
            let _ = shown_tx.send(Instant::now());
        },
        move |r: AuthResponse| {
            let _ = tx.send((Instant::now(), r.status_code()));
        },
    );
    shown_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the code is shown");
    let before = emu.stats().0;
    let t = Instant::now();
    std::thread::sleep(WAIT);
    let checks = emu.stats().0 - before;
    let per_minute = checks as f64 * 60.0 / t.elapsed().as_secs_f64();
    let cancelled = Instant::now();
    handle.cancel();
    let (at, cancel_status) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the cancellation is delivered");
    let after_cancel = quiet_requests(emu);

    // The window closes.
    let (tx, rx) = mpsc::channel::<(Instant, i32)>();
    let started = Instant::now();
    let _detached = client.sign_in_by_qr_code(
        options(Some(WINDOW)),
        |_u: QrCodeUpdate| {},
        move |r: AuthResponse| {
            let _ = tx.send((Instant::now(), r.status_code()));
        },
    );
    let (closed, window_status) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the time-out is delivered");
    let after_window = quiet_requests(emu);
    Qr {
        per_minute,
        cancel_to_callback: at.duration_since(cancelled),
        cancel_status,
        after_cancel,
        window_to_callback: closed.duration_since(started),
        window_status,
        after_window,
    }
}

/// Requests the emulator sees in the next `AFTER` (none, once polling has stopped).
fn quiet_requests(emu: &mut EmulatorProcess) -> u64 {
    let before = emu.stats().0;
    std::thread::sleep(AFTER);
    // The `stats` question itself is not an HTTP request.
    emu.stats().0 - before
}

impl Qr {
    pub fn print(&self) {
        println!(
            "12. QR polling, interval {} ms: {:.0} status checks per minute while waiting \
             (60 s / (interval + round trip); the default 1 s interval gives just under 60)",
            INTERVAL.as_millis(),
            self.per_minute
        );
        println!(
            "    cancel() -> callback {:.2} ms (status {}), requests in the {} ms after: {}",
            self.cancel_to_callback.as_secs_f64() * 1000.0,
            self.cancel_status,
            AFTER.as_millis(),
            self.after_cancel
        );
        println!(
            "    window of {} ms closes -> callback at {:.1} ms (status {}), requests in the \
             {} ms after: {}\n",
            WINDOW.as_millis(),
            self.window_to_callback.as_secs_f64() * 1000.0,
            self.window_status,
            AFTER.as_millis(),
            self.after_window
        );
    }

    pub fn targets(&self) {
        let expected = 60_000.0 / INTERVAL.as_millis() as f64;
        target(
            self.per_minute <= expected && self.per_minute >= expected * 0.8,
            &format!(
                "12. QR checks per minute between 0.8x and 1x of 60 s / interval ({expected:.0}): \
                 {:.0}",
                self.per_minute
            ),
        );
        target(
            self.cancel_status == 10011
                && self.after_cancel == 0
                && self.cancel_to_callback <= Duration::from_millis(50),
            &format!(
                "12. cancel stops polling at once: callback (10011) within 50 ms: {:.2} ms, \
                 status {}, {} request(s) after",
                self.cancel_to_callback.as_secs_f64() * 1000.0,
                self.cancel_status,
                self.after_cancel
            ),
        );
        target(
            self.window_status == 10018
                && self.after_window == 0
                && self.window_to_callback <= WINDOW + INTERVAL + Duration::from_millis(50),
            &format!(
                "12. the window closing stops polling: callback (10018) by the window + one \
                 interval: {:.1} ms, status {}, {} request(s) after",
                self.window_to_callback.as_secs_f64() * 1000.0,
                self.window_status,
                self.after_window
            ),
        );
    }
}
