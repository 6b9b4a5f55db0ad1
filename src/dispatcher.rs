//! The dispatcher: a bounded pool of worker threads fed by a FIFO queue, and the
//! per-call slot that makes delivery happen exactly once.
//!
//! Locking rule: no lock of this module is held while user code (a callback or the
//! callback executor) runs.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::callback::BoxedCallback;
use crate::error::AuthError;
use crate::response::AuthResponse;

/// Runs a delivery task on the thread of the user's choice.
pub(crate) type Executor = Arc<dyn Fn(Box<dyn FnOnce() + Send>) + Send + Sync>;

/// The blocking work of one call. A call of several requests asks the [`CancelCheck`]
/// between them, so a cancelled call starts nothing new on the server.
pub(crate) type Work = Box<dyn FnOnce(&CancelCheck<'_>) -> AuthResponse + Send>;

/// Tells running work whether its call has been cancelled.
pub(crate) struct CancelCheck<'a>(&'a Slot);

impl CancelCheck<'_> {
    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Writes a line to stderr; unlike `eprintln!`, never panics (a closed stderr is ignored).
fn report(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "authing: {line}");
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // No user code runs under these locks, so a poisoned one still holds consistent data.
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

/// One call's delivery state, shared by its job and its `RequestHandle`.
pub(crate) struct Slot {
    state: Mutex<SlotState>,
    finished: Condvar,
}

struct SlotState {
    callback: Option<BoxedCallback>,
    cancelled: bool,
    finished: bool,
    panic: Option<String>,
}

/// Whether a delivery is the real answer or the cancellation that replaces it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Answer,
    Cancellation,
}

impl Slot {
    fn new(callback: BoxedCallback) -> Arc<Slot> {
        Arc::new(Slot {
            state: Mutex::new(SlotState {
                callback: Some(callback),
                cancelled: false,
                finished: false,
                panic: None,
            }),
            finished: Condvar::new(),
        })
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        lock(&self.state).cancelled
    }

    pub(crate) fn is_finished(&self) -> bool {
        lock(&self.state).finished
    }

    /// Marks the call cancelled; true when the cancellation will be the one delivery.
    fn cancel(&self) -> bool {
        let mut st = lock(&self.state);
        if st.callback.is_none() || st.cancelled {
            return false;
        }
        st.cancelled = true;
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
    fn deliver(self: &Arc<Self>, response: AuthResponse, kind: Kind, executor: Option<&Executor>) {
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
            done: false,
        };
        let task = move || {
            let mut guard = guard;
            let outcome = catch_unwind(AssertUnwindSafe(move || callback.call_boxed(response)));
            let panic = outcome.err().map(|p| {
                let text = panic_text(p.as_ref());
                report(format_args!("a callback panicked: {text}"));
                text
            });
            guard.done = true;
            guard.slot.finish(panic);
        };
        match executor {
            None => task(),
            Some(executor) => {
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| executor(Box::new(task)))) {
                    report(format_args!(
                        "the callback executor panicked: {}",
                        panic_text(p.as_ref())
                    ));
                }
            }
        }
    }
}

/// Marks the slot finished even when an executor drops a delivery task without running it,
/// so `join` never waits forever.
struct FinishGuard {
    slot: Arc<Slot>,
    done: bool,
}

impl Drop for FinishGuard {
    fn drop(&mut self) {
        if !self.done {
            let text = "the callback executor dropped the delivery without running it".to_string();
            report(format_args!("{text}"));
            self.slot.finish(Some(text));
        }
    }
}

enum Job {
    Call {
        slot: Arc<Slot>,
        work: Work,
    },
    Deliver {
        slot: Arc<Slot>,
        response: AuthResponse,
        kind: Kind,
    },
}

/// Settings of a dispatcher.
#[derive(Clone)]
pub(crate) struct DispatcherConfig {
    pub(crate) max_workers: usize,
    pub(crate) max_queue: usize,
    pub(crate) idle_timeout: Duration,
    pub(crate) executor: Option<Executor>,
}

/// A bounded worker pool with a FIFO queue.
pub(crate) struct Dispatcher {
    state: Mutex<PoolState>,
    work_ready: Condvar,
    delivery_ready: Condvar,
    config: DispatcherConfig,
}

struct PoolState {
    queue: VecDeque<Job>,
    workers: usize,
    idle: usize,
    /// Answers that need no network (rejections, cancellations), served by the courier so
    /// they never wait behind calls on the wire.
    deliveries: VecDeque<Delivery>,
    courier: bool,
}

struct Delivery {
    slot: Arc<Slot>,
    response: AuthResponse,
    kind: Kind,
}

impl Dispatcher {
    pub(crate) fn new(config: DispatcherConfig) -> Arc<Dispatcher> {
        Arc::new(Dispatcher {
            state: Mutex::new(PoolState {
                queue: VecDeque::new(),
                workers: 0,
                idle: 0,
                deliveries: VecDeque::new(),
                courier: false,
            }),
            work_ready: Condvar::new(),
            delivery_ready: Condvar::new(),
            config,
        })
    }

    pub(crate) fn load(&self) -> DispatcherLoad {
        let st = lock(&self.state);
        DispatcherLoad {
            workers: st.workers,
            queued: st.queue.len(),
        }
    }

    /// Queues `work`; its answer goes to `callback`, exactly once.
    pub(crate) fn submit(self: &Arc<Self>, callback: BoxedCallback, work: Work) -> Arc<Slot> {
        let slot = Slot::new(callback);
        let job = Job::Call {
            slot: Arc::clone(&slot),
            work,
        };
        let mut st = lock(&self.state);
        if st.queue.len() >= self.config.max_queue {
            // The request is refused, but its callback still runs once, off this thread.
            drop(job);
            let response = AuthResponse::from_error(AuthError::Rejected(format!(
                "the queue holds {} calls already, its limit",
                self.config.max_queue
            )));
            self.courier_deliver(
                st,
                Delivery {
                    slot: Arc::clone(&slot),
                    response,
                    kind: Kind::Answer,
                },
            );
        } else {
            st.queue.push_back(job);
            self.wake_or_spawn(st);
        }
        slot
    }

    /// Cancels the call of `slot`: its cancellation is delivered ahead of queued work.
    pub(crate) fn cancel(self: &Arc<Self>, slot: &Arc<Slot>) -> bool {
        if !slot.cancel() {
            return false;
        }
        let st = lock(&self.state);
        self.courier_deliver(
            st,
            Delivery {
                slot: Arc::clone(slot),
                response: AuthResponse::from_error(AuthError::Cancelled),
                kind: Kind::Cancellation,
            },
        );
        true
    }

    /// Hands an answer that needs no network to the courier thread, starting it if needed.
    /// The courier is one thread at most; it exits when idle, like the workers.
    fn courier_deliver(self: &Arc<Self>, mut st: MutexGuard<'_, PoolState>, delivery: Delivery) {
        st.deliveries.push_back(delivery);
        if st.courier {
            drop(st);
            self.delivery_ready.notify_one();
            return;
        }
        st.courier = true;
        drop(st);
        let me = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("authing-courier".into())
            .spawn(move || me.courier_loop());
        if spawned.is_err() {
            // Fall back to the workers' queue, ahead of the calls.
            let mut st = lock(&self.state);
            st.courier = false;
            let pending: Vec<Delivery> = st.deliveries.drain(..).collect();
            for d in pending.into_iter().rev() {
                st.queue.push_front(Job::Deliver {
                    slot: d.slot,
                    response: d.response,
                    kind: d.kind,
                });
            }
            self.wake_or_spawn(st);
            self.work_ready.notify_all();
        }
    }

    fn courier_loop(self: Arc<Self>) {
        let _exit = ExitGuard {
            dispatcher: &self,
            courier: true,
        };
        let mut st = lock(&self.state);
        loop {
            if let Some(d) = st.deliveries.pop_front() {
                drop(st);
                d.slot.deliver(d.response, d.kind, self.executor());
                st = lock(&self.state);
                continue;
            }
            let (guard, waited) = self
                .delivery_ready
                .wait_timeout(st, self.config.idle_timeout)
                .unwrap_or_else(PoisonError::into_inner);
            st = guard;
            if waited.timed_out() && st.deliveries.is_empty() {
                st.courier = false;
                return;
            }
        }
    }

    fn wake_or_spawn(self: &Arc<Self>, mut st: MutexGuard<'_, PoolState>) {
        if st.queue.len() > st.idle && st.workers < self.config.max_workers {
            st.workers += 1;
            drop(st);
            let me = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .name("authing-worker".into())
                .spawn(move || me.work_loop());
            if let Err(e) = spawned {
                self.spawn_failed(e);
            }
        } else {
            drop(st);
            self.work_ready.notify_one();
        }
    }

    /// No thread could be started: if no worker is left to drain the queue, every queued
    /// call is answered here, on the submitting thread (the one exception to "callbacks run
    /// on a worker", documented).
    fn spawn_failed(self: &Arc<Self>, error: std::io::Error) {
        let orphans: Vec<Job> = {
            let mut st = lock(&self.state);
            st.workers -= 1;
            if st.workers > 0 {
                drop(st);
                // The workers that exist take the queue; wake every idle one.
                self.work_ready.notify_all();
                return;
            }
            st.queue.drain(..).collect()
        };
        for job in orphans {
            let response = AuthResponse::from_error(AuthError::Rejected(format!(
                "could not start a worker thread: {error}"
            )));
            match job {
                Job::Call { slot, .. } => slot.deliver(response, Kind::Answer, self.executor()),
                Job::Deliver {
                    slot,
                    response,
                    kind,
                } => slot.deliver(response, kind, self.executor()),
            }
        }
    }

    fn executor(&self) -> Option<&Executor> {
        self.config.executor.as_ref()
    }

    fn work_loop(self: Arc<Self>) {
        let _exit = ExitGuard {
            dispatcher: &self,
            courier: false,
        };
        let mut st = lock(&self.state);
        loop {
            if let Some(job) = st.queue.pop_front() {
                drop(st);
                self.run(job);
                st = lock(&self.state);
                continue;
            }
            st.idle += 1;
            let (guard, waited) = self
                .work_ready
                .wait_timeout(st, self.config.idle_timeout)
                .unwrap_or_else(PoisonError::into_inner);
            st = guard;
            st.idle -= 1;
            if waited.timed_out() && st.queue.is_empty() {
                st.workers -= 1;
                return;
            }
        }
    }

    fn run(&self, job: Job) {
        match job {
            Job::Call { slot, work } => {
                if slot.is_cancelled() {
                    // Never sent; the cancellation is (or was) delivered by its own job.
                    return;
                }
                let response = match catch_unwind(AssertUnwindSafe(|| work(&CancelCheck(&slot)))) {
                    Ok(response) => response,
                    Err(p) => AuthResponse::from_error(AuthError::Internal(format!(
                        "the sdk panicked while running the call: {}",
                        panic_text(p.as_ref())
                    ))),
                };
                slot.deliver(response, Kind::Answer, self.executor());
            }
            Job::Deliver {
                slot,
                response,
                kind,
            } => slot.deliver(response, kind, self.executor()),
        }
    }
}

/// Keeps the pool's books right if a worker or the courier ever unwinds: its place is
/// freed and the others are woken, so the queue keeps draining.
struct ExitGuard<'a> {
    dispatcher: &'a Dispatcher,
    courier: bool,
}

impl Drop for ExitGuard<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let mut st = lock(&self.dispatcher.state);
        if self.courier {
            st.courier = false;
        } else {
            st.workers -= 1;
        }
        drop(st);
        self.dispatcher.work_ready.notify_all();
        self.dispatcher.delivery_ready.notify_all();
    }
}

/// The load of a client's dispatcher: see [`AuthClient::load`](crate::AuthClient::load).
///
/// ```
/// let load = authing::AuthClient::builder().build().unwrap().load();
/// println!("{} workers, {} queued", load.workers(), load.queued());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DispatcherLoad {
    workers: usize,
    queued: usize,
}

impl DispatcherLoad {
    /// Worker threads alive (busy or idle).
    ///
    /// ```
    /// # let load = authing::AuthClient::builder().build().unwrap().load();
    /// assert!(load.workers() <= 8);
    /// ```
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Calls waiting for a worker.
    ///
    /// ```
    /// # let load = authing::AuthClient::builder().build().unwrap().load();
    /// assert_eq!(load.queued(), 0);
    /// ```
    pub fn queued(&self) -> usize {
        self.queued
    }
}
