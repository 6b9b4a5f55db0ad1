//! The dispatcher: a bounded pool of worker threads fed by a FIFO queue of calls. Answers
//! that need no network go to the [courier](crate::dispatch::courier); each call's delivery goes
//! through its [slot](crate::dispatch::slot).
//!
//! A call's work may leave tasks for after its delivery ([`after`](crate::dispatch::after)):
//! the worker runs them once the answer is delivered. [`Dispatcher::detach`] queues such a
//! task on its own (no callback, no delivery) when it was left outside a call's work.
//!
//! Locking rule: no lock of this module is held while user code (a callback or the
//! callback executor) runs.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::dispatch::after::{self, Task};
use crate::dispatch::callback::{self, BoxedCallback};
use crate::dispatch::courier::{Courier, Pending};
use crate::dispatch::report::Reporter;
use crate::dispatch::slot::{lock, panic_text, Kind, Outlet, Slot};
pub(crate) use crate::dispatch::slot::{CancelCheck, Executor};
use crate::dispatch::spawner::Spawner;
use crate::dispatch::wake::Wake;
use crate::error::AuthError;
use crate::response::AuthResponse;

/// The blocking work of one call. A call of several requests asks the [`CancelCheck`]
/// between them, so a cancelled call starts nothing new on the server.
pub(crate) type Work = Box<dyn FnOnce(&CancelCheck<'_>) -> AuthResponse + Send>;

/// A call waiting for a worker.
struct Queued {
    slot: Arc<Slot>,
    work: Work,
    /// A detached task ([`Dispatcher::detach`]): its slot is never delivered (no callback
    /// runs, the delivery hook is not rung) and nobody can cancel it.
    detached: bool,
}

/// Settings of a dispatcher.
#[derive(Clone)]
pub(crate) struct DispatcherConfig {
    pub(crate) max_workers: usize,
    /// The most calls that wait for a worker; also the most answers that wait for the
    /// courier.
    pub(crate) max_queue: usize,
    pub(crate) idle_timeout: Duration,
    pub(crate) executor: Option<Executor>,
    pub(crate) reporter: Reporter,
    /// The delivery hook, shared with the client (which can replace it).
    pub(crate) wake: Arc<Wake>,
    pub(crate) spawner: Spawner,
}

/// A bounded worker pool with a FIFO queue.
pub(crate) struct Dispatcher {
    state: Mutex<PoolState>,
    work_ready: Condvar,
    courier: Arc<Courier>,
    outlet: Outlet,
    max_workers: usize,
    max_queue: usize,
    idle_timeout: Duration,
    spawner: Spawner,
}

struct PoolState {
    /// Calls in submission order; their slots' `seq` increase from front to back.
    queue: VecDeque<Queued>,
    workers: usize,
    idle: usize,
    next_seq: u64,
}

impl Dispatcher {
    pub(crate) fn new(config: DispatcherConfig) -> Arc<Dispatcher> {
        let outlet = Outlet {
            executor: config.executor,
            reporter: config.reporter,
            wake: config.wake,
        };
        Arc::new(Dispatcher {
            state: Mutex::new(PoolState {
                queue: VecDeque::new(),
                workers: 0,
                idle: 0,
                next_seq: 0,
            }),
            work_ready: Condvar::new(),
            courier: Courier::new(
                config.max_queue,
                config.idle_timeout,
                outlet.clone(),
                config.spawner.clone(),
            ),
            outlet,
            max_workers: config.max_workers,
            max_queue: config.max_queue,
            idle_timeout: config.idle_timeout,
            spawner: config.spawner,
        })
    }

    /// The delivery hook every delivery of this dispatcher rings.
    pub(crate) fn wake(&self) -> &Arc<Wake> {
        &self.outlet.wake
    }

    pub(crate) fn load(&self) -> DispatcherLoad {
        let (workers, queued) = {
            let st = lock(&self.state);
            (st.workers, st.queue.len())
        };
        DispatcherLoad {
            workers,
            queued,
            answers_waiting: self.courier.waiting(),
        }
    }

    /// Queues `work`; its answer goes to `callback`, exactly once.
    pub(crate) fn submit(self: &Arc<Self>, callback: BoxedCallback, work: Work) -> Arc<Slot> {
        let mut st = lock(&self.state);
        let seq = st.next_seq;
        st.next_seq += 1;
        let slot = Slot::new(callback, seq);
        if st.queue.len() >= self.max_queue {
            drop(st);
            // The request is refused, but its callback still runs once, off this thread
            // when the courier can take it.
            drop(work);
            let response = AuthResponse::from_error(AuthError::Rejected(format!(
                "the queue holds {} calls already, its limit",
                self.max_queue
            )));
            self.courier.send(Pending {
                slot: Arc::clone(&slot),
                response,
                kind: Kind::Answer,
            });
        } else {
            st.queue.push_back(Queued {
                slot: Arc::clone(&slot),
                work,
                detached: false,
            });
            self.wake_or_spawn(st);
        }
        slot
    }

    /// Queues `task`, work the client does on its own behind a call that was already
    /// answered (the full profile after a blocking sign-in): a worker runs it in its turn,
    /// with no callback, no delivery and no ring of the delivery hook. False when the
    /// queue is full: `task` is dropped unrun (and so when no worker can start).
    pub(crate) fn detach(self: &Arc<Self>, task: Task) -> bool {
        let mut st = lock(&self.state);
        if st.queue.len() >= self.max_queue {
            return false;
        }
        let seq = st.next_seq;
        st.next_seq += 1;
        let slot = Slot::new(callback::boxed(|_: AuthResponse| {}), seq);
        st.queue.push_back(Queued {
            slot,
            work: Box::new(move |_| {
                task();
                AuthResponse::from_error(AuthError::Internal("a detached task".into()))
            }),
            detached: true,
        });
        self.wake_or_spawn(st);
        true
    }

    /// Cancels the call of `slot`: a call still queued leaves the queue at once (its place
    /// is free for the next call), and the cancellation is delivered by the courier.
    pub(crate) fn cancel(self: &Arc<Self>, slot: &Arc<Slot>) -> bool {
        if !slot.cancel() {
            return false;
        }
        let removed = {
            let mut st = lock(&self.state);
            match st.queue.binary_search_by_key(&slot.seq(), |q| q.slot.seq()) {
                Ok(at) => st.queue.remove(at),
                Err(_) => None, // running, or taken by a worker that will see the flag
            }
        };
        // The unsent work (and what it holds) is dropped outside the pool's lock.
        drop(removed);
        self.courier.send(Pending {
            slot: Arc::clone(slot),
            response: AuthResponse::from_error(AuthError::Cancelled),
            kind: Kind::Cancellation,
        });
        true
    }

    fn wake_or_spawn(self: &Arc<Self>, mut st: MutexGuard<'_, PoolState>) {
        if st.queue.len() > st.idle && st.workers < self.max_workers {
            st.workers += 1;
            drop(st);
            let me = Arc::clone(self);
            if let Err(e) = (self.spawner)("authing-worker", Box::new(move || me.work_loop())) {
                self.spawn_failed(e);
            }
        } else {
            drop(st);
            self.work_ready.notify_one();
        }
    }

    /// No worker could be started: if no worker is left to drain the queue, every queued
    /// call is answered with a rejection (status code 10012), through the courier, or on
    /// this thread when the courier cannot take it either.
    fn spawn_failed(self: &Arc<Self>, error: std::io::Error) {
        let orphans: Vec<Queued> = {
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
        for Queued {
            slot,
            work,
            detached,
        } in orphans
        {
            drop(work);
            if detached {
                // Nobody waits for it: dropped unrun.
                continue;
            }
            let response = AuthResponse::from_error(AuthError::Rejected(format!(
                "could not start a worker thread: {error}"
            )));
            self.courier.send(Pending {
                slot,
                response,
                kind: Kind::Answer,
            });
        }
    }

    fn work_loop(self: Arc<Self>) {
        let _exit = ExitGuard { dispatcher: &self };
        let mut st = lock(&self.state);
        loop {
            if let Some(call) = st.queue.pop_front() {
                drop(st);
                self.run(call);
                st = lock(&self.state);
                continue;
            }
            st.idle += 1;
            let (guard, waited) = self
                .work_ready
                .wait_timeout(st, self.idle_timeout)
                .unwrap_or_else(PoisonError::into_inner);
            st = guard;
            st.idle -= 1;
            if waited.timed_out() && st.queue.is_empty() {
                st.workers -= 1;
                return;
            }
        }
    }

    fn run(&self, queued: Queued) {
        let Queued {
            slot,
            work,
            detached,
        } = queued;
        if slot.is_cancelled() {
            // Never sent; the cancellation is (or was) delivered by the courier.
            return;
        }
        let (response, deferred) = after::collecting(|| {
            match catch_unwind(AssertUnwindSafe(|| work(&CancelCheck(&slot)))) {
                Ok(response) => response,
                Err(p) => AuthResponse::from_error(AuthError::Internal(format!(
                    "the sdk panicked while running the call: {}",
                    panic_text(p.as_ref())
                ))),
            }
        });
        if !detached {
            slot.deliver(response, Kind::Answer, &self.outlet);
        }
        // What the work left for after its delivery: the callback has returned (or its
        // task waits in the executor), so these never delay it.
        for task in deferred {
            if let Err(p) = catch_unwind(AssertUnwindSafe(task)) {
                let text = panic_text(p.as_ref());
                crate::dispatch::report::report(
                    &self.outlet.reporter,
                    &format!("the sdk panicked in work after a delivery: {text}"),
                );
            }
        }
    }
}

/// Keeps the pool's books right if a worker ever unwinds: its place is freed and the
/// others are woken, so the queue keeps draining.
struct ExitGuard<'a> {
    dispatcher: &'a Dispatcher,
}

impl Drop for ExitGuard<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        lock(&self.dispatcher.state).workers -= 1;
        self.dispatcher.work_ready.notify_all();
    }
}

/// The load of a client's dispatcher: see [`AuthClient::load`](crate::AuthClient::load).
///
/// ```
/// let load = authing::AuthClient::builder().build().unwrap().load();
/// println!(
///     "{} workers, {} queued, {} answers waiting",
///     load.workers(),
///     load.queued(),
///     load.answers_waiting()
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DispatcherLoad {
    workers: usize,
    queued: usize,
    answers_waiting: usize,
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

    /// Answers that need no network (rejections, cancellations) waiting for the courier
    /// thread. Never more than `max_queued_requests`: an answer beyond it is delivered on
    /// the thread that produced it (see docs/THREADING.md).
    ///
    /// ```
    /// # let load = authing::AuthClient::builder().build().unwrap().load();
    /// assert_eq!(load.answers_waiting(), 0);
    /// ```
    pub fn answers_waiting(&self) -> usize {
        self.answers_waiting
    }
}

/// The paths taken when the operating system refuses a thread: every call is still
/// answered exactly once. A spawner that refuses some thread names stands in for the OS.
#[cfg(test)]
mod tests {
    use std::sync::mpsc::{self, Receiver, Sender};
    use std::thread::{self, ThreadId};
    use std::time::Instant;

    use super::*;
    use crate::dispatch::callback;
    use crate::dispatch::{report, spawner};
    use crate::response::{codes, from_plain_json};

    const DEADLINE: Duration = Duration::from_secs(10);
    const QUIET: Duration = Duration::from_millis(300);

    /// The OS spawner, except for the thread names `refuse` picks.
    fn refusing(refuse: fn(&str) -> bool) -> Spawner {
        let os = spawner::os();
        Arc::new(move |name, body| {
            if refuse(name) {
                Err(std::io::Error::other("refused by the test"))
            } else {
                os(name, body)
            }
        })
    }

    fn dispatcher(spawner: Spawner) -> Arc<Dispatcher> {
        Dispatcher::new(DispatcherConfig {
            max_workers: 1,
            max_queue: 10,
            idle_timeout: Duration::from_secs(1),
            executor: None,
            reporter: report::stderr(),
            wake: Wake::new(None),
            spawner,
        })
    }

    type Answers = (Sender<(i32, ThreadId)>, Receiver<(i32, ThreadId)>);

    /// A callback that reports its status code and the thread it ran on.
    fn recorder(answers: &Answers) -> BoxedCallback {
        let tx = answers.0.clone();
        callback::boxed(move |response: AuthResponse| {
            let _ = tx.send((response.status_code(), thread::current().id()));
        })
    }

    fn ok_work() -> Work {
        Box::new(|_| from_plain_json(serde_json::json!({})))
    }

    /// Work that waits until `release` sends (or is dropped), then answers 200.
    fn gated_work(started: Sender<()>, release: Receiver<()>) -> Work {
        Box::new(move |_| {
            let _ = started.send(());
            let _ = release.recv_timeout(DEADLINE);
            from_plain_json(serde_json::json!({}))
        })
    }

    fn expect_quiet(answers: &Answers) {
        assert!(answers.1.recv_timeout(QUIET).is_err(), "a second delivery");
    }

    #[test]
    fn when_no_thread_can_start_every_call_is_answered_once_on_the_submitting_thread() {
        let pool = dispatcher(refusing(|_| true));
        let answers = mpsc::channel();
        let slots: Vec<_> = (0..3)
            .map(|_| pool.submit(recorder(&answers), ok_work()))
            .collect();
        for _ in &slots {
            let (status, thread) = answers.1.recv_timeout(DEADLINE).unwrap();
            assert_eq!(status, codes::REJECTED);
            assert_eq!(thread, thread::current().id());
        }
        expect_quiet(&answers);
        for slot in &slots {
            assert!(slot.is_finished());
            assert!(!pool.cancel(slot), "too late to cancel");
        }
        let load = pool.load();
        assert_eq!((load.workers(), load.queued()), (0, 0));
    }

    #[test]
    fn when_no_worker_can_start_queued_calls_are_rejected_through_the_courier() {
        let pool = dispatcher(refusing(|name| name == "authing-worker"));
        let answers = mpsc::channel();
        let slot = pool.submit(recorder(&answers), ok_work());
        let (status, thread) = answers.1.recv_timeout(DEADLINE).unwrap();
        assert_eq!(status, codes::REJECTED);
        assert_ne!(thread, thread::current().id(), "delivered by the courier");
        expect_quiet(&answers);
        assert!(slot.wait_until(Instant::now() + DEADLINE));
    }

    #[test]
    fn when_the_courier_cannot_start_a_cancellation_is_delivered_once_by_the_canceller() {
        let pool = dispatcher(refusing(|name| name == "authing-courier"));
        let answers = mpsc::channel();
        let (started_tx, started) = mpsc::channel();
        let (release, gate) = mpsc::channel();
        let busy = pool.submit(recorder(&answers), gated_work(started_tx, gate));
        started.recv_timeout(DEADLINE).unwrap(); // the only worker is busy
        let queued = pool.submit(recorder(&answers), ok_work());
        assert!(pool.cancel(&queued));
        let (status, thread) = answers.1.recv_timeout(DEADLINE).unwrap();
        assert_eq!(status, codes::CANCELLED);
        assert_eq!(thread, thread::current().id());
        assert_eq!(pool.load().queued(), 0, "the cancelled call left the queue");
        // And a rejection, with the queue full and no courier, is delivered here too.
        let fill: Vec<_> = (0..10)
            .map(|_| pool.submit(recorder(&answers), ok_work()))
            .collect();
        let rejected = pool.submit(recorder(&answers), ok_work());
        let (status, thread) = answers.1.recv_timeout(DEADLINE).unwrap();
        assert_eq!(status, codes::REJECTED);
        assert_eq!(thread, thread::current().id());
        assert!(rejected.is_finished());
        release.send(()).unwrap();
        for _ in 0..11 {
            let (status, thread) = answers.1.recv_timeout(DEADLINE).unwrap();
            assert_eq!(status, codes::OK);
            assert_ne!(thread, thread::current().id());
        }
        expect_quiet(&answers);
        for slot in fill.iter().chain([&busy, &queued]) {
            assert!(slot.wait_until(Instant::now() + DEADLINE));
        }
    }

    #[test]
    fn what_a_call_defers_runs_on_its_worker_after_the_callback_returned() {
        let pool = dispatcher(spawner::os());
        let (events, seen) = mpsc::channel::<(&str, ThreadId)>();
        let deferring = events.clone();
        let work: Work = Box::new(move |_| {
            let tx = deferring.clone();
            let task: Task = Box::new(move || {
                let _ = tx.send(("deferred", thread::current().id()));
            });
            assert!(
                after::defer(task).is_ok(),
                "work runs inside the collection"
            );
            from_plain_json(serde_json::json!({}))
        });
        let callback = callback::boxed(move |_: AuthResponse| {
            let _ = events.send(("callback", thread::current().id()));
        });
        let slot = pool.submit(callback, work);
        let first = seen.recv_timeout(DEADLINE).unwrap();
        let second = seen.recv_timeout(DEADLINE).unwrap();
        assert_eq!((first.0, second.0), ("callback", "deferred"));
        assert_eq!(first.1, second.1, "on the same worker");
        assert!(slot.wait_until(Instant::now() + DEADLINE));
    }

    #[test]
    fn a_detached_task_runs_on_a_worker_without_a_delivery_or_a_ring() {
        let rings = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = Arc::clone(&rings);
        let pool = Dispatcher::new(DispatcherConfig {
            max_workers: 1,
            max_queue: 2,
            idle_timeout: Duration::from_secs(1),
            executor: None,
            reporter: report::stderr(),
            wake: Wake::new(Some(Arc::new(move || {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }))),
            spawner: spawner::os(),
        });
        let (ran_tx, ran) = mpsc::channel();
        let (release, gate) = mpsc::channel::<()>();
        assert!(pool.detach(Box::new(move || {
            let _ = ran_tx.send(thread::current().id());
            let _ = gate.recv_timeout(DEADLINE);
        })));
        let worker = ran.recv_timeout(DEADLINE).unwrap();
        assert_ne!(worker, thread::current().id());
        // The queue (two places) takes two more; beyond it a task is refused, not run.
        let (queued_tx, queued) = mpsc::channel();
        for _ in 0..2 {
            let tx = queued_tx.clone();
            assert!(pool.detach(Box::new(move || {
                let _ = tx.send(());
            })));
        }
        assert!(!pool.detach(Box::new(|| panic!("a refused task never runs"))));
        release.send(()).unwrap();
        for _ in 0..2 {
            queued.recv_timeout(DEADLINE).unwrap();
        }
        let answers = mpsc::channel();
        let _after = pool.submit(recorder(&answers), ok_work());
        // One worker, in order: once a task queued behind the call runs, the call's
        // delivery and its ring are done, and so would the detached tasks' rings be.
        let (last_tx, last) = mpsc::channel();
        assert!(pool.detach(Box::new(move || {
            let _ = last_tx.send(());
        })));
        assert_eq!(answers.1.recv_timeout(DEADLINE).unwrap().0, codes::OK);
        last.recv_timeout(DEADLINE).unwrap();
        assert_eq!(
            rings.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "only the call's delivery rang the hook"
        );
    }

    #[test]
    fn a_worker_that_cannot_start_beside_a_living_one_leaves_the_queue_to_it() {
        // The first worker starts; every later one is refused.
        let started_once = Arc::new(Mutex::new(false));
        let os = spawner::os();
        let spawner: Spawner = {
            let started_once = Arc::clone(&started_once);
            Arc::new(move |name, body| {
                let mut once = lock(&started_once);
                if name == "authing-worker" && *once {
                    return Err(std::io::Error::other("refused by the test"));
                }
                *once |= name == "authing-worker";
                os(name, body)
            })
        };
        let pool = Dispatcher::new(DispatcherConfig {
            max_workers: 4,
            max_queue: 10,
            idle_timeout: Duration::from_secs(1),
            executor: None,
            reporter: report::stderr(),
            wake: Wake::new(None),
            spawner,
        });
        let answers = mpsc::channel();
        let (started_tx, started) = mpsc::channel();
        let (release, gate) = mpsc::channel();
        let _busy = pool.submit(recorder(&answers), gated_work(started_tx, gate));
        started.recv_timeout(DEADLINE).unwrap();
        // A second worker is wanted and refused: the call waits for the living worker.
        let _waiting = pool.submit(recorder(&answers), ok_work());
        assert_eq!(pool.load().workers(), 1);
        assert_eq!(pool.load().queued(), 1);
        release.send(()).unwrap();
        for _ in 0..2 {
            assert_eq!(answers.1.recv_timeout(DEADLINE).unwrap().0, codes::OK);
        }
        expect_quiet(&answers);
    }
}
