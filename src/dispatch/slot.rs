//! One call's delivery state: the slot that makes its callback run exactly once, and the
//! outlet (executor, reporter) every delivery goes through.
//!
//! Locking rule: the slot's lock is never held while user code (a callback, the callback
//! executor, the reporter) runs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use crate::dispatch::callback::BoxedCallback;
use crate::dispatch::report::{self, Reporter};
use crate::dispatch::wake::Wake;
use crate::response::AuthResponse;

/// Runs a delivery task on the thread of the user's choice.
pub(crate) type Executor = Arc<dyn Fn(Box<dyn FnOnce() + Send>) + Send + Sync>;

/// Where deliveries go: through the user's executor, if any; problems caught on the way go
/// to the reporter.
#[derive(Clone)]
pub(crate) struct Outlet {
    pub(crate) executor: Option<Executor>,
    pub(crate) reporter: Reporter,
    /// Rung after each delivery: after the callback ran, or once its task is handed to
    /// the executor.
    pub(crate) wake: Arc<Wake>,
}

/// Tells running work whether its call has been cancelled.
pub(crate) struct CancelCheck<'a>(pub(crate) &'a Arc<Slot>);

impl CancelCheck<'_> {
    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }

    /// Waits until `deadline` or the call's cancellation, whichever comes first; true when
    /// the call is cancelled. For work that waits between requests (a QR code's polling):
    /// a cancel wakes it at once.
    pub(crate) fn wait_until(&self, deadline: Instant) -> bool {
        self.0.wait_cancelled_until(deadline)
    }

    /// A check that outlives the work: for tasks the work hands to the callback executor
    /// (QR-code status updates), which run later, on another thread.
    pub(crate) fn watch(&self) -> CancelWatch {
        CancelWatch(Arc::clone(self.0))
    }
}

/// An owned [`CancelCheck`]: whether the call has been cancelled, from any thread, at any
/// time.
#[derive(Clone)]
pub(crate) struct CancelWatch(Arc<Slot>);

impl CancelWatch {
    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // No user code runs under the SDK's locks, so a poisoned one still holds consistent data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The text of a panic payload.
pub(crate) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}

/// Whether a delivery is the real answer or the cancellation that replaces it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Answer,
    Cancellation,
}

/// One call's delivery state, shared by its job and its `RequestHandle`.
pub(crate) struct Slot {
    /// The call's place in its dispatcher's queue order (increasing), so a cancelled call
    /// can be found in the queue and its place freed.
    seq: u64,
    state: Mutex<SlotState>,
    finished: Condvar,
}

struct SlotState {
    callback: Option<BoxedCallback>,
    cancelled: bool,
    finished: bool,
    panic: Option<String>,
}

impl Slot {
    pub(crate) fn new(callback: BoxedCallback, seq: u64) -> Arc<Slot> {
        Arc::new(Slot {
            seq,
            state: Mutex::new(SlotState {
                callback: Some(callback),
                cancelled: false,
                finished: false,
                panic: None,
            }),
            finished: Condvar::new(),
        })
    }

    pub(crate) fn seq(&self) -> u64 {
        self.seq
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        lock(&self.state).cancelled
    }

    pub(crate) fn is_finished(&self) -> bool {
        lock(&self.state).finished
    }

    /// Marks the call cancelled; true when the cancellation will be the one delivery.
    pub(crate) fn cancel(&self) -> bool {
        let mut st = lock(&self.state);
        if st.callback.is_none() || st.cancelled {
            return false;
        }
        st.cancelled = true;
        drop(st);
        // Wakes work waiting in `wait_cancelled_until` (waiters for `finished` recheck it).
        self.finished.notify_all();
        true
    }

    /// Waits until the call is cancelled or `deadline` passes; whether it is cancelled.
    pub(crate) fn wait_cancelled_until(&self, deadline: Instant) -> bool {
        let mut st = lock(&self.state);
        while !st.cancelled {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            st = self
                .finished
                .wait_timeout(st, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    /// Waits until the callback has run; the panic it raised, if any.
    pub(crate) fn wait(&self) -> Option<String> {
        let mut st = lock(&self.state);
        while !st.finished {
            st = self
                .finished
                .wait(st)
                .unwrap_or_else(PoisonError::into_inner);
        }
        st.panic.clone()
    }

    /// Waits until the callback has run or `deadline` passes; whether it has run.
    pub(crate) fn wait_until(&self, deadline: Instant) -> bool {
        let mut st = lock(&self.state);
        while !st.finished {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            st = self
                .finished
                .wait_timeout(st, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    fn finish(&self, panic: Option<String>) {
        let mut st = lock(&self.state);
        st.finished = true;
        st.panic = panic;
        drop(st);
        self.finished.notify_all();
    }

    /// Hands `response` to the callback, unless it already had its one delivery (or, for
    /// a real answer, the call was cancelled: the cancellation is delivered instead).
    pub(crate) fn deliver(self: &Arc<Self>, response: AuthResponse, kind: Kind, outlet: &Outlet) {
        let callback = {
            let mut st = lock(&self.state);
            if kind == Kind::Answer && st.cancelled {
                return;
            }
            match st.callback.take() {
                Some(cb) => cb,
                None => return,
            }
        };
        let guard = FinishGuard {
            slot: Arc::clone(self),
            reporter: Arc::clone(&outlet.reporter),
            pending: Some((callback, response)),
            done: false,
        };
        let task = move || {
            let mut guard = guard;
            let Some((callback, response)) = guard.pending.take() else {
                return;
            };
            let outcome = catch_unwind(AssertUnwindSafe(move || callback.call_boxed(response)));
            let panic = outcome.err().map(|p| {
                let text = panic_text(p.as_ref());
                report::report(&guard.reporter, &format!("a callback panicked: {text}"));
                text
            });
            guard.done = true;
            guard.slot.finish(panic);
        };
        match &outlet.executor {
            None => task(),
            Some(executor) => {
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| executor(Box::new(task)))) {
                    report::report(
                        &outlet.reporter,
                        &format!("the callback executor panicked: {}", panic_text(p.as_ref())),
                    );
                }
            }
        }
        // After the callback ran (so its handle is finished), or once its task waits in the
        // executor's queue: either way the app has something new to show.
        outlet.wake.ring(&outlet.reporter);
    }
}

/// Marks the slot finished even when an executor drops a delivery task without running it,
/// so `join` never waits forever. It holds the callback and its answer until the task runs,
/// so a dropped task drops them *before* the handle finishes: once `join` returns, whatever
/// the callback captured is gone (an `Inbox` callback has already said 10013).
struct FinishGuard {
    slot: Arc<Slot>,
    reporter: Reporter,
    pending: Option<(BoxedCallback, AuthResponse)>,
    done: bool,
}

impl Drop for FinishGuard {
    fn drop(&mut self) {
        drop(self.pending.take());
        if !self.done {
            let text = "the callback executor dropped the delivery without running it".to_string();
            report::report(&self.reporter, &text);
            self.slot.finish(Some(text));
        }
    }
}
