//! A value loaded once and shared, whose load never runs twice at once: a caller that
//! finds a load under way waits for it and takes its outcome; a failure answers every
//! waiting caller and lets a later one try again. A forced caller (`again`, e.g. a key the
//! server rejected) takes the outcome only of a forced load under way, a fetch from the
//! server that sees what the server holds now; after a normal load (which may have
//! answered the value already loaded or the disk cache's, the very value being replaced)
//! it loads again. App discovery (`discovery.rs`) and the
//! server's public keys (`password.rs`) use it: the warm-up, a sign-in and a key refetch
//! never fetch either side by side.

use std::sync::{Condvar, Mutex, PoisonError};

/// The value, once loaded, and the state of its load.
pub(crate) struct SingleFlight<T, E> {
    state: Mutex<State<T, E>>,
    changed: Condvar,
}

struct State<T, E> {
    value: Option<T>,
    loading: bool,
    /// Whether the load under way is a forced one (`again`).
    loading_forced: bool,
    /// Counts finished loads, so a waiter knows the load it waited for has ended.
    generation: u64,
    last_failure: Option<E>,
    /// Callers waiting for the load under way (for the tests).
    waiting: usize,
}

impl<T: Clone, E: Clone> SingleFlight<T, E> {
    pub(crate) fn new() -> Self {
        SingleFlight {
            state: Mutex::new(State {
                value: None,
                loading: false,
                loading_forced: false,
                generation: 0,
                last_failure: None,
                waiting: 0,
            }),
            changed: Condvar::new(),
        }
    }

    /// The value, if one was loaded.
    pub(crate) fn get(&self) -> Option<T> {
        self.lock().value.clone()
    }

    /// Forgets the loaded value if `stale` says so, so the next call loads again (a load
    /// under way is left alone).
    pub(crate) fn forget(&self, stale: impl FnOnce(&T) -> bool) {
        let mut st = self.lock();
        if st.value.as_ref().is_some_and(stale) {
            st.value = None;
        }
    }

    /// The value: the one loaded (unless `again`), the outcome of the load under way, or
    /// `load`'s (run on this thread, the only load at the time). With `again` only a
    /// forced load under way answers; after a normal one this caller loads (or waits for a
    /// forced load started meanwhile). `panicked` is what the waiting callers get if
    /// `load` unwinds.
    pub(crate) fn load(
        &self,
        again: bool,
        load: impl FnOnce() -> Result<T, E>,
        panicked: impl Fn() -> E,
    ) -> Result<T, E> {
        let mut st = self.lock();
        if !again {
            if let Some(value) = &st.value {
                return Ok(value.clone());
            }
        }
        while st.loading {
            let waited_for = st.generation;
            let takes_outcome = !again || st.loading_forced;
            st.waiting += 1;
            while st.generation == waited_for {
                st = self
                    .changed
                    .wait(st)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            st.waiting -= 1;
            if takes_outcome {
                return match (&st.value, &st.last_failure) {
                    (Some(value), None) => Ok(value.clone()),
                    (_, Some(failure)) => Err(failure.clone()),
                    (None, None) => Err(panicked()),
                };
            }
        }
        st.loading = true;
        st.loading_forced = again;
        drop(st);
        let guard = Guard {
            flight: self,
            panicked: &panicked,
        };
        let outcome = load();
        std::mem::forget(guard);
        let mut st = self.lock();
        st.loading = false;
        st.generation += 1;
        match &outcome {
            Ok(value) => {
                st.value = Some(value.clone());
                st.last_failure = None;
            }
            Err(failure) => st.last_failure = Some(failure.clone()),
        }
        drop(st);
        self.changed.notify_all();
        outcome
    }

    /// How many callers wait for the load under way.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.lock().waiting
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<T, E>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Ends a load that unwinds, so its waiters are answered and a later call can try again.
struct Guard<'a, T, E, P: Fn() -> E> {
    flight: &'a SingleFlight<T, E>,
    panicked: &'a P,
}

impl<T, E, P: Fn() -> E> Drop for Guard<'_, T, E, P> {
    fn drop(&mut self) {
        let mut st = self
            .flight
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        st.loading = false;
        st.generation += 1;
        st.last_failure = Some((self.panicked)());
        drop(st);
        self.flight.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Arc};
    use std::thread;
    use std::time::Duration;

    /// A first caller's load (`first_again`) held until a second caller (`second_again`)
    /// waits for it; the first load answers 7, a second one 8. The two outcomes and the
    /// number of loads.
    fn a_second_caller_during_a_load(
        first_again: bool,
        second_again: bool,
    ) -> (Result<u32, String>, Result<u32, String>, usize) {
        let flight: Arc<SingleFlight<u32, String>> = Arc::new(SingleFlight::new());
        let loads = Arc::new(AtomicUsize::new(0));
        let (started_tx, started) = mpsc::channel();
        let (go_tx, go) = mpsc::channel::<()>();
        let first = {
            let (flight, loads) = (Arc::clone(&flight), Arc::clone(&loads));
            thread::spawn(move || {
                flight.load(
                    first_again,
                    || {
                        loads.fetch_add(1, Ordering::SeqCst);
                        started_tx.send(()).unwrap();
                        go.recv_timeout(Duration::from_secs(10)).unwrap();
                        Ok(7)
                    },
                    || "panicked".to_string(),
                )
            })
        };
        started.recv_timeout(Duration::from_secs(10)).unwrap();
        let second = {
            let (flight, loads) = (Arc::clone(&flight), Arc::clone(&loads));
            thread::spawn(move || {
                flight.load(
                    second_again,
                    || {
                        loads.fetch_add(1, Ordering::SeqCst);
                        Ok(8)
                    },
                    || "panicked".to_string(),
                )
            })
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while flight.waiting() == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the second caller waits"
            );
            thread::sleep(Duration::from_millis(2));
        }
        go_tx.send(()).unwrap();
        let (first, second) = (first.join().unwrap(), second.join().unwrap());
        (first, second, loads.load(Ordering::SeqCst))
    }

    #[test]
    fn a_caller_during_a_load_waits_for_it_instead_of_loading_again() {
        assert_eq!(
            a_second_caller_during_a_load(false, false),
            (Ok(7), Ok(7), 1)
        );
        // A forced caller during a forced load: that load is a fetch, its outcome serves.
        assert_eq!(a_second_caller_during_a_load(true, true), (Ok(7), Ok(7), 1));
    }

    #[test]
    fn a_forced_caller_does_not_take_a_normal_loads_outcome_and_loads_again() {
        // The normal load may answer the disk cache's stale key: the forced caller waits
        // for it (never two loads at once), then fetches for itself.
        assert_eq!(
            a_second_caller_during_a_load(false, true),
            (Ok(7), Ok(8), 2)
        );
    }

    #[test]
    fn a_load_that_panics_ends_its_flight_and_a_later_call_loads_again() {
        let flight: Arc<SingleFlight<u32, String>> = Arc::new(SingleFlight::new());
        let panicking = {
            let flight = Arc::clone(&flight);
            thread::spawn(move || {
                flight.load(false, || panic!("a defect in a load"), || "panicked".into())
            })
        };
        assert!(panicking.join().is_err());
        assert_eq!(flight.load(false, || Ok(9), || "panicked".into()), Ok(9));
    }

    #[test]
    fn a_failure_is_not_kept_and_a_later_call_loads_again() {
        let flight: SingleFlight<u32, String> = SingleFlight::new();
        assert_eq!(
            flight.load(false, || Err("down".into()), || "panicked".into()),
            Err("down".to_string())
        );
        assert_eq!(flight.get(), None);
        assert_eq!(flight.load(false, || Ok(3), || "panicked".into()), Ok(3));
        assert_eq!(flight.load(false, || Ok(4), || "panicked".into()), Ok(3));
        assert_eq!(flight.load(true, || Ok(5), || "panicked".into()), Ok(5));
    }
}
