//! The courier: one thread that delivers the answers that need no network (a rejection, a
//! cancellation), so they never wait behind calls on the wire. Its queue is bounded; an
//! answer it cannot take is delivered on the thread that produced it.
//!
//! Locking rule: the courier's lock is never held while user code runs.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::dispatch::slot::{lock, Kind, Outlet, Slot};
use crate::dispatch::spawner::Spawner;
use crate::response::AuthResponse;

/// An answer waiting for the courier.
pub(crate) struct Pending {
    pub(crate) slot: Arc<Slot>,
    pub(crate) response: AuthResponse,
    pub(crate) kind: Kind,
}

impl Pending {
    fn deliver(self, outlet: &Outlet) {
        self.slot.deliver(self.response, self.kind, outlet);
    }
}

pub(crate) struct Courier {
    state: Mutex<State>,
    ready: Condvar,
    /// At most this many answers wait (the client's `max_queued_requests`).
    capacity: usize,
    idle_timeout: Duration,
    outlet: Outlet,
    spawner: Spawner,
}

struct State {
    pending: VecDeque<Pending>,
    /// A courier thread is alive (or being started).
    running: bool,
}

impl Courier {
    pub(crate) fn new(
        capacity: usize,
        idle_timeout: Duration,
        outlet: Outlet,
        spawner: Spawner,
    ) -> Arc<Courier> {
        Arc::new(Courier {
            state: Mutex::new(State {
                pending: VecDeque::new(),
                running: false,
            }),
            ready: Condvar::new(),
            capacity,
            idle_timeout,
            outlet,
            spawner,
        })
    }

    /// Answers waiting for the courier thread.
    pub(crate) fn waiting(&self) -> usize {
        lock(&self.state).pending.len()
    }

    /// Delivers `answer` on the courier thread, starting it if needed. When `capacity`
    /// answers wait already, or no courier thread can be started, it is delivered here, on
    /// the calling thread, instead: memory stays bounded and the answer is still delivered
    /// exactly once.
    pub(crate) fn send(self: &Arc<Self>, answer: Pending) {
        let mut st = lock(&self.state);
        if st.pending.len() >= self.capacity {
            drop(st);
            answer.deliver(&self.outlet);
            return;
        }
        st.pending.push_back(answer);
        if st.running {
            drop(st);
            self.ready.notify_one();
            return;
        }
        st.running = true;
        drop(st);
        let me = Arc::clone(self);
        if (self.spawner)("authing-courier", Box::new(move || me.run())).is_err() {
            // Whatever was queued meanwhile expected this thread: deliver it all here.
            let orphans: Vec<Pending> = {
                let mut st = lock(&self.state);
                st.running = false;
                st.pending.drain(..).collect()
            };
            for answer in orphans {
                answer.deliver(&self.outlet);
            }
        }
    }

    fn run(self: Arc<Self>) {
        let _exit = ExitGuard { courier: &self };
        let mut st = lock(&self.state);
        loop {
            if let Some(answer) = st.pending.pop_front() {
                drop(st);
                answer.deliver(&self.outlet);
                st = lock(&self.state);
                continue;
            }
            let (guard, waited) = self
                .ready
                .wait_timeout(st, self.idle_timeout)
                .unwrap_or_else(PoisonError::into_inner);
            st = guard;
            if waited.timed_out() && st.pending.is_empty() {
                st.running = false;
                return;
            }
        }
    }
}

/// If the courier thread ever unwinds (a delivery catches every panic of user code, so it
/// should not), the next answer starts a new one.
struct ExitGuard<'a> {
    courier: &'a Courier,
}

impl Drop for ExitGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(&self.courier.state).running = false;
        }
    }
}
