//! 1,000 QR sign-ins started and cancelled leave no thread and no socket behind (issue 19,
//! section C). Alone in its own test binary because it counts the process's threads
//! (`/proc/self/status`, `/proc/self/task`) and open file descriptors (`/proc/self/fd`),
//! which any test running beside it would change.
mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use authing::emulator::{Emulator, NewUser};
use authing::{
    codes, Action, AuthResponse, QrCodeSignInOptions, QrCodeStatus, QrCodeUpdate, RequestHandle,
};
use common::{builder_at, live_threads, DEADLINE};

const FLOWS: usize = 1_000;
/// The user signed in on the phone that scans the codes.
const PHONE_USER: &str = "phone@example.com";
/// Flows started at once.
const BATCH: usize = 16;
/// The client's workers: scanned flows of several batches poll at once.
const WORKERS: usize = 64;
/// How long an idle worker (or the courier) waits before it exits: short, so the test
/// sees them go.
const IDLE: Duration = Duration::from_millis(200);

/// The SDK's own threads alive in this process: `authing-worker` and `authing-courier`
/// (by the names in `/proc/self/task/*/comm`).
fn sdk_threads() -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .filter(|name| name.starts_with("authing-worker") || name.starts_with("authing-courier"))
        .count()
}

/// Open file descriptors of this process, and how many of them are sockets.
fn open_fds() -> (usize, usize) {
    let fds: Vec<_> = std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd is readable")
        .filter_map(Result::ok)
        .collect();
    let sockets = fds
        .iter()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count();
    (fds.len(), sockets)
}

/// Polls `what` until it gives `want`, or panics at the deadline with what it gave last.
fn settle<T: PartialEq + std::fmt::Debug>(name: &str, want: T, what: impl Fn() -> T) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let got = what();
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name}: {got:?}, not back to {want:?} before the deadline"
        );
        // No event says a worker has exited: the test lets the SDK's idle-exit timers run
        // and reads the counts again, within the deadline.
        thread::sleep(Duration::from_millis(10)); // the sleep is the behaviour under test
    }
}

/// The flows, and where each is on its way to its cancel.
struct Churn<'a> {
    emu: &'a Emulator,
    handles: Vec<RequestHandle>,
    /// Set for a flow once its `cancel()` has returned true.
    cancelled: Arc<Vec<AtomicBool>>,
    /// Flows whose code is not out yet.
    generating: HashSet<usize>,
    /// Flows whose code the phone scanned, until they have seen it.
    scanning: HashSet<usize>,
}

impl Churn<'_> {
    fn cancel(&self, i: usize) {
        assert!(self.handles[i].cancel(), "flow {i} cancelled in time");
        self.cancelled[i].store(true, Ordering::SeqCst);
    }

    /// A flow's status update: a flow whose code is out is cancelled (one in two) or its
    /// code scanned; a flow that has seen its scan is cancelled.
    fn on(&mut self, (i, status, id): (usize, QrCodeStatus, String)) {
        if status == QrCodeStatus::PENDING && self.generating.remove(&i) {
            if i % 4 == 1 {
                self.cancel(i);
            } else {
                self.emu
                    .change_qr_code_status(&id, PHONE_USER, Action::SCAN)
                    .expect("the phone scans the code");
                self.scanning.insert(i);
            }
        } else if status == QrCodeStatus::SCANNED && self.scanning.remove(&i) {
            self.cancel(i);
        }
        // Else a flow cancelled at once that told its code before the cancel came.
    }
}

#[test]
fn a_thousand_qr_sign_ins_started_and_cancelled_leave_threads_and_sockets_at_their_baseline() {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(PHONE_USER, "secret-123"))
        .expect("the phone's user");
    let baseline_threads = live_threads();
    assert!(
        baseline_threads > 0,
        "the thread count is readable from /proc"
    );
    let baseline_fds = open_fds();
    assert_eq!(sdk_threads(), 0);

    let client = builder_at(emu.base_url())
        .max_concurrent_requests(WORKERS)
        .idle_timeout(IDLE)
        .build()
        .expect("valid settings");
    let mut options = QrCodeSignInOptions::new();
    options.set_interval(Duration::from_millis(50));

    let (answers_tx, answers) = mpsc::channel::<(usize, AuthResponse)>();
    let (updates_tx, updates) = mpsc::channel::<(usize, QrCodeStatus, String)>();
    let mut churn = Churn {
        emu: &emu,
        handles: Vec::with_capacity(FLOWS),
        cancelled: Arc::new((0..FLOWS).map(|_| AtomicBool::new(false)).collect()),
        generating: HashSet::new(),
        scanning: HashSet::new(),
    };
    let late_updates = Arc::new(AtomicUsize::new(0));
    for start in (0..FLOWS).step_by(BATCH) {
        for i in start..(start + BATCH).min(FLOWS) {
            let (updates_tx, answers_tx) = (updates_tx.clone(), answers_tx.clone());
            let (cancelled, late) = (Arc::clone(&churn.cancelled), Arc::clone(&late_updates));
            let handle = client.sign_in_by_qr_code(
                options.clone(),
                move |update: QrCodeUpdate| {
                    // Set once `cancel()` has returned true: no listener may start after.
                    if cancelled[i].load(Ordering::SeqCst) {
                        late.fetch_add(1, Ordering::SeqCst);
                    }
                    let id = update.qr_code().qrcode_id().to_string();
                    let _ = updates_tx.send((i, update.status(), id));
                },
                move |response: AuthResponse| {
                    let _ = answers_tx.send((i, response));
                },
            );
            churn.handles.push(handle);
            // A quarter are cancelled at once (queued, or generating their code), a quarter
            // as soon as their code is out, half once they have seen it scanned (they have
            // polled; the next check may be on the wire).
            if i % 4 == 0 {
                churn.cancel(i);
            } else {
                churn.generating.insert(i);
            }
        }
        // On to the next batch once this one's codes are out; the scanned ones go on
        // polling meanwhile.
        while !churn.generating.is_empty() {
            churn.on(updates
                .recv_timeout(DEADLINE)
                .expect("an update before the deadline"));
        }
        assert!(client.load().workers() <= WORKERS);
    }
    while !churn.scanning.is_empty() {
        churn.on(updates
            .recv_timeout(DEADLINE)
            .expect("an update before the deadline"));
    }
    let Churn { handles, .. } = churn;
    let mut answered = vec![0usize; FLOWS];
    drop(answers_tx);

    // Every flow answered once, with the cancellation.
    let deadline = Instant::now() + DEADLINE;
    for n in 0..FLOWS {
        let left = deadline.saturating_duration_since(Instant::now());
        let (i, response) = answers
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("only {n} of {FLOWS} answers before the deadline: {e}"));
        answered[i] += 1;
        assert_eq!(
            response.status_code(),
            codes::CANCELLED,
            "flow {i}: {}",
            response.message()
        );
    }
    assert!(
        answered.iter().all(|&n| n == 1),
        "each flow answered exactly once"
    );
    for handle in &handles {
        assert!(handle.wait_timeout(DEADLINE), "every handle finishes");
    }
    drop(handles);
    drop(updates);
    assert_eq!(
        late_updates.load(Ordering::SeqCst),
        0,
        "status updates after cancel() returned"
    );

    // The workers and the courier exit once idle, the client still alive.
    settle("sdk threads", 0, sdk_threads);
    let load = client.load();
    assert_eq!(
        (load.workers(), load.queued(), load.answers_waiting()),
        (0, 0, 0)
    );
    // What is left is the client's pool of kept-alive connections (and the emulator's
    // end of each, with its thread): dropping the client closes them, and then the
    // process is back where it started.
    drop(client);
    settle("threads", baseline_threads, live_threads);
    settle("open fds (all, sockets)", baseline_fds, open_fds);
    assert!(answers.try_recv().is_err(), "no answer beyond one per flow");
    // Each flow not cancelled at once generated its code; each scanned one checked it.
    assert!(emu.stats().requests >= (FLOWS * 3 / 4 + FLOWS / 2) as u64);
}
