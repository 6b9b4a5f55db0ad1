//! A gate that holds requests until the test opens it: [`Fault::Hold`](crate::Fault::Hold).

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How often a held request looks whether the emulator is stopping.
const STOP_CHECK: Duration = Duration::from_millis(20);

/// Holds the requests of a [`Fault::Hold`](crate::Fault::Hold) until [`open`](Gate::open),
/// and tells the test when one is held: the way to act at a known moment *during* a
/// request (cancel a call while its request is on the server, say) without guessing with
/// a delay. Clones are the same gate.
///
/// A held request is answered normally once the gate opens; a request that meets an open
/// gate goes straight on. Dropping the emulator ends every hold (the connection is closed
/// without an answer), so a test that fails before opening its gate still ends.
///
/// ```
/// use std::time::Duration;
/// use authing_emulator::{Emulator, Fault, Gate};
/// let emulator = Emulator::start()?;
/// let gate = Gate::new();
/// emulator.inject_fault("/api/v3/get-country-list", Fault::Hold(gate.clone()), 1);
/// let base = emulator.base_url();
/// let call = std::thread::spawn(move || {
///     ureq::get(format!("{base}/api/v3/get-country-list")).call().map(|r| r.status().as_u16())
/// });
/// assert!(gate.wait_held(Duration::from_secs(10)), "the request is on the server");
/// assert!(!call.is_finished());
/// gate.open();
/// assert_eq!(call.join().unwrap().unwrap(), 200);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Gate {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// Requests that reached the gate, held or passed.
    arrived: u64,
    open: bool,
}

impl Gate {
    /// A closed gate.
    ///
    /// ```
    /// let gate = authing_emulator::Gate::new();
    /// assert!(!gate.is_open());
    /// ```
    pub fn new() -> Gate {
        Gate::default()
    }

    /// Waits until a request has reached the gate, at most `timeout`; `true` when one
    /// has (it is being held, unless the gate is open already).
    ///
    /// ```
    /// use std::time::Duration;
    /// let gate = authing_emulator::Gate::new();
    /// assert!(!gate.wait_held(Duration::from_millis(1)), "nothing was sent");
    /// ```
    pub fn wait_held(&self, timeout: Duration) -> bool {
        let deadline = Instant::now().checked_add(timeout);
        let mut state = self.lock();
        while state.arrived == 0 {
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                return false;
            }
            state = self
                .inner
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    /// Opens the gate: the held requests go on and are answered, and later ones pass.
    ///
    /// ```
    /// let gate = authing_emulator::Gate::new();
    /// gate.open();
    /// assert!(gate.is_open());
    /// ```
    pub fn open(&self) {
        self.lock().open = true;
        self.inner.changed.notify_all();
    }

    /// Whether [`open`](Gate::open) was called.
    ///
    /// ```
    /// assert!(!authing_emulator::Gate::new().is_open());
    /// ```
    pub fn is_open(&self) -> bool {
        self.lock().open
    }

    /// The emulator's side: counts the request in, then waits until the gate opens;
    /// `false` when `stopping` said the emulator is stopping first.
    pub(crate) fn pass(&self, stopping: &dyn Fn() -> bool) -> bool {
        let mut state = self.lock();
        state.arrived += 1;
        self.inner.changed.notify_all();
        while !state.open {
            if stopping() {
                return false;
            }
            state = self
                .inner
                .changed
                .wait_timeout(state, STOP_CHECK)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Gate")
            .field("arrived", &state.arrived)
            .field("open", &state.open)
            .finish()
    }
}

/// Two gates are equal when they are the same gate (clones of one another).
impl PartialEq for Gate {
    fn eq(&self, other: &Gate) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Gate {}
