//! A burst of 1,000 callback calls queues; it does not start 1,000 threads. Alone in its
//! own test binary so that the process's thread count is this test's.
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use authing::emulator::{Emulator, EmulatorConfig};
use authing::{AuthClient, AuthResponse, ResetPasswordPayload, ResetPasswordVerifyMethod};
use common::{live_threads, DEADLINE};

#[test]
fn a_burst_of_1000_calls_is_answered_exactly_once_each_with_bounded_threads() {
    let emu = Emulator::start_with(EmulatorConfig::default()).unwrap();
    const CONCURRENCY: usize = 4;
    const CALLS: usize = 1_000;
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .max_concurrent_requests(CONCURRENCY)
        .build()
        .unwrap();
    let baseline = live_threads();
    assert!(baseline > 0, "the thread count is readable from /proc");

    // A sampler thread records the peak thread count while the burst runs.
    let peak = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let sampler = {
        let peak = Arc::clone(&peak);
        thread::spawn(move || loop {
            peak.fetch_max(live_threads(), Ordering::SeqCst);
            if stop_rx.recv_timeout(Duration::from_millis(1)).is_ok() {
                return;
            }
        })
    };

    let seen: Arc<Vec<AtomicUsize>> = Arc::new((0..CALLS).map(|_| AtomicUsize::new(0)).collect());
    let (done_tx, done_rx) = mpsc::channel::<i32>();
    for i in 0..CALLS {
        let mut payload = ResetPasswordPayload::new();
        payload
            .set_phone_number("18812345678")
            .set_pass_code("1234");
        let seen = Arc::clone(&seen);
        let done_tx = done_tx.clone();
        drop(client.reset_password_request(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            payload,
            move |response: AuthResponse| {
                seen[i].fetch_add(1, Ordering::SeqCst);
                done_tx.send(response.status_code()).unwrap();
            },
        ));
    }
    drop(done_tx);
    let deadline = Instant::now() + DEADLINE * 6;
    for _ in 0..CALLS {
        let left = deadline.saturating_duration_since(Instant::now());
        let status = done_rx.recv_timeout(left).expect("every callback arrives");
        assert_eq!(status, 404, "the emulator knows no user: user not found");
    }
    stop_tx.send(()).unwrap();
    sampler.join().unwrap();

    assert!(
        seen.iter().all(|n| n.load(Ordering::SeqCst) == 1),
        "each callback exactly once"
    );
    // The client's workers, its courier, the sampler, and the emulator's threads.
    let peak = peak.load(Ordering::SeqCst);
    assert!(
        peak <= baseline + CONCURRENCY + 1 + 1 + 8,
        "peak {peak} threads, baseline {baseline}"
    );
    assert!(client.load().workers() <= CONCURRENCY);
}
