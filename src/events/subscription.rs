//! A subscription: its thread (connect, read, reconnect with back-off), its handle
//! ([`EventSubscription`]) and the delivery of its updates through the client's
//! callback executor and delivery hook, as every callback.
//!
//! Locking rule: the subscription's state lock is never held while user code runs; the
//! callback's own mutex (private to one subscription) serializes its calls.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::BuildHasher;
use std::net::TcpStream;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::Message;

use crate::client::AuthClient;
use crate::dispatch::report::{self, Reporter};
use crate::dispatch::slot::{lock, panic_text, Executor};
use crate::dispatch::wake::Wake;
use crate::events::socket::{self, ConnectError};
use crate::logging;
use crate::model::events::{AuthEvent, EventCallback, EventEnd, SubEvent};
use crate::session::{Refusal, Renew};
use crate::transport::tls;

/// Attempts in a row (without a connection that worked in between) before giving up.
pub(crate) const MAX_ATTEMPTS: u32 = 8;
/// The wait before the first retry; it doubles each attempt, up to [`MAX_DELAY`].
pub(crate) const FIRST_DELAY: Duration = Duration::from_millis(250);
/// The longest wait between attempts.
pub(crate) const MAX_DELAY: Duration = Duration::from_secs(30);
/// Silence after which the client pings; a second silence as long drops the connection.
pub(crate) const PING_AFTER: Duration = Duration::from_secs(20);
/// When to retry and when to give up.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Policy {
    pub(crate) first_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_attempts: u32,
}

impl Policy {
    /// `sub_event`'s.
    pub(crate) const DEFAULT: Policy = Policy {
        first_delay: FIRST_DELAY,
        max_delay: MAX_DELAY,
        max_attempts: MAX_ATTEMPTS,
    };
}

/// A connection that lasted this long, or over which the server sent an event or a
/// ping, worked: the attempts start again from the first. One the server closes sooner,
/// without a word, counts as a failed attempt (so a server that accepts and closes at
/// once is not retried forever at the first back-off).
const HEALTHY_AFTER: Duration = Duration::from_secs(10);
/// Event ids remembered to recognise replays.
const REMEMBERED_IDS: usize = 4096;

/// A subscription to one event code (Java: what `subEvent` starts): ends with
/// [`unsubscribe`](Self::unsubscribe), or by itself (signed out, refused, gave up); its
/// callback's last update is [`SubEvent::Ended`] with why.
///
/// Cloning gives another handle on the same subscription (to unsubscribe from inside its
/// callback, keep a clone where the callback can reach it). Dropping every handle does
/// not end it: it runs until it is unsubscribed or ends by itself.
///
/// ```no_run
/// use authing::{AuthClient, SubEvent};
/// let client = AuthClient::new();
/// let subscription = client.sub_event("authing.user.updated", |update: SubEvent| {
///     println!("{update:?}");
/// });
/// subscription.unsubscribe();
/// ```
#[derive(Clone)]
pub struct EventSubscription {
    shared: Arc<Shared>,
}

struct Shared {
    code: String,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    unsubscribed: bool,
    /// Set when the `Ended` update is about to be delivered: `unsubscribe` then has
    /// nothing left to end (the update carries the end; `ended` is set once delivered).
    ending: bool,
    /// Set once the `Ended` update has been delivered (or handed to the executor).
    ended: Option<EventEnd>,
    /// The open connection's socket, to cut it on `unsubscribe`.
    cutter: Option<TcpStream>,
}

impl EventSubscription {
    /// The event code subscribed to.
    ///
    /// ```no_run
    /// let s = authing::AuthClient::new().sub_event("my.event", |_: authing::SubEvent| {});
    /// assert_eq!(s.code(), "my.event");
    /// ```
    pub fn code(&self) -> &str {
        &self.shared.code
    }

    /// Ends the subscription: the connection is closed at once, no event reaches the
    /// callback after this returns (one already running may finish), and the callback's
    /// last update is [`SubEvent::Ended`]`(`[`EventEnd::Unsubscribed`]`)`. May be called
    /// from inside the callback, and from any thread. True when this call ended it (the
    /// last update is then always `Ended(Unsubscribed)`, even if the subscription was
    /// about to end by itself); false when it had already ended or been unsubscribed, or
    /// its end was already on its way (the last update carries that end).
    ///
    /// With an [`Inbox`](crate::Inbox) (`Inbox::event_callback`), the callback is what
    /// sends each update to the inbox: events it sent before this returned are still
    /// handled at the next `run_pending`, before the `Ended`; nothing after it.
    ///
    /// ```no_run
    /// let s = authing::AuthClient::new().sub_event("my.event", |_: authing::SubEvent| {});
    /// s.unsubscribe();
    /// assert!(!s.unsubscribe(), "once");
    /// ```
    #[doc(alias = "close")]
    pub fn unsubscribe(&self) -> bool {
        let mut state = lock(&self.shared.state);
        if state.unsubscribed || state.ending || state.ended.is_some() {
            return false;
        }
        state.unsubscribed = true;
        if let Some(tcp) = state.cutter.take() {
            socket::cut(&tcp);
        }
        drop(state);
        self.shared.changed.notify_all();
        true
    }

    /// Why it ended, once it has (its `Ended` update delivered, or handed to the callback
    /// executor); `None` while it runs, and inside the `Ended` update's own callback when
    /// there is no executor (the update itself carries the end there).
    ///
    /// ```no_run
    /// let s = authing::AuthClient::new().sub_event("my.event", |_: authing::SubEvent| {});
    /// println!("{:?}", s.end());
    /// ```
    pub fn end(&self) -> Option<EventEnd> {
        lock(&self.shared.state).ended.clone()
    }

    /// Waits up to `timeout` for the end; why it ended, or `None` if it still runs. Do not
    /// call it from inside the callback without an executor (the callback runs on the
    /// thread that would end it): it would wait out the whole timeout.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// let s = authing::AuthClient::new().sub_event("my.event", |_: authing::SubEvent| {});
    /// s.unsubscribe();
    /// assert_eq!(s.wait(Duration::from_secs(5)), Some(authing::EventEnd::Unsubscribed));
    /// ```
    pub fn wait(&self, timeout: Duration) -> Option<EventEnd> {
        let deadline = Instant::now() + timeout;
        let mut state = lock(&self.shared.state);
        loop {
            if let Some(end) = &state.ended {
                return Some(end.clone());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }
}

impl fmt::Debug for EventSubscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSubscription")
            .field("code", &self.shared.code)
            .field("end", &self.end())
            .finish()
    }
}

/// How updates reach the callback: through the executor when there is one (else on the
/// subscription's thread), panics reported, the delivery hook rung after each.
struct Outlet {
    executor: Option<Executor>,
    reporter: Reporter,
    wake: Arc<Wake>,
    callback: Arc<Mutex<Slot>>,
    shared: Arc<Shared>,
}

/// The callback, behind the mutex that serializes its calls.
struct Slot {
    callback: Box<dyn EventCallback>,
    /// Set (under this mutex) once the `Ended` update has reached the callback: an event
    /// task still queued (an `Inbox`, an executor that does not run tasks in order) then
    /// finds nothing to deliver to.
    over: bool,
}

impl Outlet {
    fn deliver(&self, update: SubEvent) {
        let update = match update {
            SubEvent::Ended(end) => {
                // The end is chosen under the state lock, against `unsubscribe`: once an
                // unsubscribe has answered true, the end is `Unsubscribed`; once `ending`
                // is set, an unsubscribe answers false.
                let mut state = lock(&self.shared.state);
                state.ending = true;
                SubEvent::Ended(if state.unsubscribed {
                    EventEnd::Unsubscribed
                } else {
                    end
                })
            }
            other => other,
        };
        let end = match &update {
            SubEvent::Ended(end) => Some(end.clone()),
            _ => None,
        };
        let last = end.is_some();
        let callback = Arc::clone(&self.callback);
        let shared = Arc::clone(&self.shared);
        let reporter = Arc::clone(&self.reporter);
        let task = move || {
            let mut slot = lock(&callback);
            // Nothing but the end reaches the callback once it is unsubscribed (checked
            // under the callback's mutex: an unsubscribe that has returned stops every
            // event not yet running), nor anything after the end.
            if slot.over || (!last && lock(&shared.state).unsubscribed) {
                return;
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| slot.callback.call(update)));
            if last {
                slot.over = true;
            }
            drop(slot);
            if let Err(p) = outcome {
                let text = panic_text(p.as_ref());
                report::report(&reporter, &format!("an event callback panicked: {text}"));
            }
        };
        match &self.executor {
            None => task(),
            Some(executor) => {
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| executor(Box::new(task)))) {
                    let text = panic_text(p.as_ref());
                    report::report(
                        &self.reporter,
                        &format!("the callback executor panicked: {text}"),
                    );
                }
            }
        }
        self.wake.ring(&self.reporter);
        if let Some(end) = end {
            let mut state = lock(&self.shared.state);
            state.ended = Some(end);
            state.cutter = None;
            drop(state);
            self.shared.changed.notify_all();
        }
    }
}

/// Starts a subscription of `client` to `code` (checked by the caller).
pub(crate) fn start(
    client: &AuthClient,
    code: String,
    callback: Box<dyn EventCallback>,
    refused: Option<String>,
) -> EventSubscription {
    start_with(client, code, callback, refused, Policy::DEFAULT)
}

/// [`start`] with its retry policy.
fn start_with(
    client: &AuthClient,
    code: String,
    callback: Box<dyn EventCallback>,
    refused: Option<String>,
    policy: Policy,
) -> EventSubscription {
    let (executor, reporter) = match client.settings() {
        Ok(config) => (
            config.executor.clone(),
            config.reporter.clone().unwrap_or_else(report::stderr),
        ),
        Err(_) => (None, report::stderr()),
    };
    let shared = Arc::new(Shared {
        code,
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
    });
    let outlet = Outlet {
        executor,
        reporter,
        wake: Arc::clone(client.wake()),
        callback: Arc::new(Mutex::new(Slot {
            callback,
            over: false,
        })),
        shared: Arc::clone(&shared),
    };
    let handle = EventSubscription {
        shared: Arc::clone(&shared),
    };
    let outlet = Arc::new(outlet);
    let in_thread = Arc::clone(&outlet);
    let client = client.clone();
    // A subscription refused at once (a bad code, bad settings) ends on its own thread
    // too: the callback never runs inside `sub_event`.
    let started = std::thread::Builder::new()
        .name("authing-events".into())
        .spawn(move || {
            let outlet = in_thread;
            let end = match refused {
                Some(why) => EventEnd::Refused(why),
                None => run(&client, &outlet, policy),
            };
            log::info!(
                target: logging::TARGET,
                "event subscription {} ended: {end}",
                logging::word(&outlet.shared.code)
            );
            outlet.deliver(SubEvent::Ended(end));
        });
    if let Err(e) = started {
        // No thread to deliver from: the end goes out here, on the caller's thread
        // (through the executor when there is one).
        outlet.deliver(SubEvent::Ended(EventEnd::Refused(format!(
            "cannot start the subscription's thread: {e}"
        ))));
    }
    handle
}

/// What ended one connection (or one attempt).
enum Broken {
    /// Try again after a back-off, for this reason.
    Retry(String),
    /// Over.
    End(EventEnd),
}

/// The subscription's life: connect, read until the connection breaks, reconnect with
/// back-off and jitter, until it ends.
fn run(client: &AuthClient, outlet: &Outlet, policy: Policy) -> EventEnd {
    let shared = &outlet.shared;
    let mut seen = Seen::default();
    let mut attempts: u32 = 0;
    let mut connected_before = false;
    let mut jitter = Jitter::new();
    loop {
        if lock(&shared.state).unsubscribed {
            return EventEnd::Unsubscribed;
        }
        let broken = match open(client, shared) {
            Ok(connection) => {
                outlet.deliver(SubEvent::Connected {
                    reconnected: connected_before,
                });
                connected_before = true;
                let opened = Instant::now();
                let mut heard = false;
                let broken = read(connection, outlet, &mut seen, &mut heard);
                if heard || opened.elapsed() >= HEALTHY_AFTER {
                    attempts = 0;
                }
                broken
            }
            Err(broken) => broken,
        };
        let reason = match broken {
            Broken::End(end) => return end,
            Broken::Retry(reason) => reason,
        };
        if lock(&shared.state).unsubscribed {
            return EventEnd::Unsubscribed;
        }
        attempts += 1;
        if attempts > policy.max_attempts {
            return EventEnd::GaveUp {
                attempts: attempts - 1,
                reason,
            };
        }
        let delay = jitter.delay(attempts, &policy);
        log::warn!(
            target: logging::TARGET,
            "event subscription {}: {reason}; reconnecting in {} ms (attempt {attempts})",
            logging::word(&shared.code),
            delay.as_millis()
        );
        outlet.deliver(SubEvent::Reconnecting {
            attempt: attempts,
            delay,
            reason,
        });
        // Waits out the delay; an unsubscribe ends the wait at once.
        let deadline = Instant::now() + delay;
        let mut state = lock(&shared.state);
        while !state.unsubscribed {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = shared
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }
}

/// One connection attempt with the session's access token (refreshed first when it has
/// expired); when the server refuses the token (401), the session is renewed once and
/// the attempt made again.
fn open(client: &AuthClient, shared: &Shared) -> Result<socket::Connection, Broken> {
    let config = client
        .settings()
        .map_err(|e| Broken::End(EventEnd::Refused(e.to_string())))?;
    let base = client
        .base_url()
        .map_err(|e| Broken::Retry(format!("the app host: {e}")))?;
    let tls_config = if base.starts_with("http://") && config.events.host.is_none() {
        None
    } else {
        Some(tls::rustls_config(&config.roots).map_err(|e| Broken::End(EventEnd::Refused(e)))?)
    };
    let mut renewed = false;
    loop {
        let started = Instant::now();
        let token = client.user_token().map_err(refusal)?;
        let url = config
            .events
            .url(&base, &shared.code, &token)
            .map_err(|e| Broken::End(EventEnd::Refused(e)))?;
        match socket::connect(&url, tls_config.as_ref(), config.connect_timeout) {
            Ok(connection) => {
                let mut state = lock(&shared.state);
                if state.unsubscribed {
                    socket::cut(&connection.cutter);
                    return Err(Broken::End(EventEnd::Unsubscribed));
                }
                state.cutter = connection.cutter.try_clone().ok();
                return Ok(connection);
            }
            Err(ConnectError::Status(401, message)) if !renewed => {
                log::info!(
                    target: logging::TARGET,
                    "the event host refused the access token ({}); renewing the session",
                    logging::word(&message)
                );
                renewed = true;
                client
                    .session()
                    .renew(
                        Renew::IfRejected {
                            started,
                            rejected: &token,
                        },
                        |refresh_token| client.refresh_tokens(refresh_token),
                        |token| client.revoke_one_token(token),
                    )
                    .map_err(refusal)?;
            }
            Err(ConnectError::Status(401, _)) => return Err(Broken::End(EventEnd::SignedOut)),
            Err(ConnectError::Status(status, message))
                if (400..500).contains(&status) && status != 429 =>
            {
                return Err(Broken::End(EventEnd::Refused(format!(
                    "the event host answered {status}: {message}"
                ))));
            }
            Err(ConnectError::Status(status, message)) => {
                return Err(Broken::Retry(format!(
                    "the event host answered {status}: {message}"
                )));
            }
            Err(ConnectError::Failed(why)) => return Err(Broken::Retry(why)),
        }
    }
}

/// What a session refusal means for the subscription.
fn refusal(refused: Refusal) -> Broken {
    match refused {
        Refusal::NotSignedIn(_) => Broken::End(EventEnd::SignedOut),
        Refusal::Store(e) => Broken::End(EventEnd::Refused(format!("the token store: {e}"))),
        Refusal::Failed(answer) => Broken::Retry(format!(
            "refreshing the session failed: statusCode {}, {}",
            answer.status_code(),
            answer.message()
        )),
    }
}

/// Reads the connection until it breaks, delivering each new event; `heard` is set when
/// the server sent an event, a ping or a pong.
fn read(
    mut connection: socket::Connection,
    outlet: &Outlet,
    seen: &mut Seen,
    heard: &mut bool,
) -> Broken {
    let shared = &outlet.shared;
    let _ = connection.cutter.set_read_timeout(Some(PING_AFTER));
    let mut pinged = false;
    loop {
        let message = connection.ws.read();
        if lock(&shared.state).unsubscribed {
            let _ = connection.ws.close(None);
            let _ = connection.ws.flush();
            socket::cut(&connection.cutter);
            return Broken::End(EventEnd::Unsubscribed);
        }
        match message {
            Ok(Message::Text(text)) => {
                pinged = false;
                *heard = true;
                let event = AuthEvent::from_text(text.as_str());
                if seen.first_time(event.id()) {
                    outlet.deliver(SubEvent::Event(event));
                } else {
                    log::debug!(
                        target: logging::TARGET,
                        "event subscription {}: a replayed event was dropped",
                        logging::word(&shared.code)
                    );
                }
            }
            Ok(Message::Close(frame)) => {
                let why = match frame {
                    Some(frame) if frame.code == CloseCode::Library(4001) => {
                        "the server ended the session's stream".to_owned()
                    }
                    Some(frame) => format!(
                        "the server closed the stream ({}{}{})",
                        u16::from(frame.code),
                        if frame.reason.is_empty() { "" } else { ": " },
                        frame
                            .reason
                            .chars()
                            .filter(|c| !c.is_control())
                            .take(120)
                            .collect::<String>()
                    ),
                    None => "the server closed the stream".to_owned(),
                };
                // tungstenite answers the close; let it go out.
                let _ = connection.ws.flush();
                socket::cut(&connection.cutter);
                return Broken::Retry(why);
            }
            Ok(_) => {
                pinged = false;
                *heard = true;
            }
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if pinged {
                    socket::cut(&connection.cutter);
                    return Broken::Retry("the server did not answer a ping".into());
                }
                pinged = true;
                if let Err(e) = connection.ws.send(Message::Ping(Vec::new().into())) {
                    socket::cut(&connection.cutter);
                    return Broken::Retry(format!("the connection dropped: {e}"));
                }
            }
            Err(e) => {
                socket::cut(&connection.cutter);
                return Broken::Retry(format!("the connection dropped: {e}"));
            }
        }
    }
}

/// The ids of the events delivered, the latest [`REMEMBERED_IDS`].
#[derive(Default)]
struct Seen {
    order: VecDeque<String>,
    ids: HashSet<String>,
}

impl Seen {
    /// Whether an event with `id` is new (an event without an id always is).
    fn first_time(&mut self, id: Option<&str>) -> bool {
        let Some(id) = id else {
            return true;
        };
        if self.ids.contains(id) {
            return false;
        }
        if self.order.len() == REMEMBERED_IDS {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
        self.order.push_back(id.to_owned());
        self.ids.insert(id.to_owned());
        true
    }
}

/// Back-off with jitter: attempt `n` waits a random time between half and all of
/// `FIRST_DELAY * 2^(n-1)`, capped at `MAX_DELAY`. The randomness only spreads clients
/// apart (xorshift seeded from the clock and std's random hash keys), nothing secret.
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        // std's per-process random hash keys (each `RandomState` differs) spread clients
        // and subscriptions that start in the same nanosecond.
        let seed = std::collections::hash_map::RandomState::new().hash_one(nanos);
        Jitter(seed | 1)
    }

    fn delay(&mut self, attempt: u32, policy: &Policy) -> Duration {
        let full = policy
            .first_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(policy.max_delay);
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let fraction = 0.5 + (self.0 % 1000) as f64 / 2000.0;
        full.mul_f64(fraction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_that_never_answers_is_retried_then_given_up_with_the_last_reason() {
        // A port nobody listens on (bound, then let go).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let client = AuthClient::builder()
            .app_id("app")
            .app_host(format!("http://127.0.0.1:{port}"))
            .access_token("token")
            .build()
            .unwrap();
        let (tx, updates) = std::sync::mpsc::channel();
        let policy = Policy {
            first_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            max_attempts: 3,
        };
        let subscription = start_with(&client, "myapp.x".into(), Box::new(tx), None, policy);
        let wait = Duration::from_secs(10);
        for attempt in 1..=3 {
            match updates.recv_timeout(wait).unwrap() {
                SubEvent::Reconnecting {
                    attempt: n,
                    delay,
                    reason,
                } => {
                    assert_eq!(n, attempt);
                    assert!(delay <= Duration::from_millis(4));
                    assert!(reason.contains("cannot connect"), "{reason}");
                }
                other => panic!("{other:?}"),
            }
        }
        match updates.recv_timeout(wait).unwrap() {
            SubEvent::Ended(EventEnd::GaveUp { attempts, reason }) => {
                assert_eq!(attempts, 3);
                assert!(reason.contains("cannot connect"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        // The end is recorded just after the callback has it: wait for it rather than race.
        assert!(matches!(
            subscription.wait(wait),
            Some(EventEnd::GaveUp { .. })
        ));
        assert!(!subscription.unsubscribe(), "already over");
    }

    /// An outlet whose executor queues the tasks, for a test to run them in any order.
    #[allow(clippy::type_complexity)]
    fn queued_outlet() -> (
        Arc<Outlet>,
        EventSubscription,
        Arc<Mutex<Vec<Box<dyn FnOnce() + Send>>>>,
        std::sync::mpsc::Receiver<SubEvent>,
    ) {
        let tasks: Arc<Mutex<Vec<Box<dyn FnOnce() + Send>>>> = Arc::default();
        let queue = Arc::clone(&tasks);
        let shared = Arc::new(Shared {
            code: "myapp.x".into(),
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let (tx, updates) = std::sync::mpsc::channel();
        let outlet = Outlet {
            executor: Some(Arc::new(move |task| lock(&queue).push(task))),
            reporter: report::stderr(),
            wake: Wake::new(None),
            callback: Arc::new(Mutex::new(Slot {
                callback: Box::new(tx),
                over: false,
            })),
            shared: Arc::clone(&shared),
        };
        (
            Arc::new(outlet),
            EventSubscription { shared },
            tasks,
            updates,
        )
    }

    #[test]
    fn an_unsubscribe_that_answered_true_makes_the_end_unsubscribed() {
        let (outlet, handle, tasks, updates) = queued_outlet();
        assert!(handle.unsubscribe());
        // The thread was about to end by itself (gave up): the end is still Unsubscribed.
        outlet.deliver(SubEvent::Ended(EventEnd::GaveUp {
            attempts: 8,
            reason: "x".into(),
        }));
        for task in lock(&tasks).drain(..) {
            task();
        }
        assert_eq!(
            updates.try_recv().unwrap(),
            SubEvent::Ended(EventEnd::Unsubscribed)
        );
        assert_eq!(handle.end(), Some(EventEnd::Unsubscribed));
        // And the other way round: an end on its way makes unsubscribe answer false.
        let (outlet, handle, _tasks, _updates) = queued_outlet();
        outlet.deliver(SubEvent::Ended(EventEnd::SignedOut));
        assert!(!handle.unsubscribe());
        assert_eq!(handle.end(), Some(EventEnd::SignedOut));
    }

    #[test]
    fn no_event_reaches_the_callback_after_the_end_or_a_returned_unsubscribe() {
        // An executor that runs the tasks out of order: the end first.
        let (outlet, _handle, tasks, updates) = queued_outlet();
        outlet.deliver(SubEvent::Connected { reconnected: false });
        outlet.deliver(SubEvent::Ended(EventEnd::SignedOut));
        for task in lock(&tasks).drain(..).rev() {
            task();
        }
        assert_eq!(
            updates.try_recv().unwrap(),
            SubEvent::Ended(EventEnd::SignedOut)
        );
        assert!(updates.try_recv().is_err(), "nothing after the end");
        // An event queued before unsubscribe returned is not delivered after it.
        let (outlet, handle, tasks, updates) = queued_outlet();
        outlet.deliver(SubEvent::Connected { reconnected: false });
        assert!(handle.unsubscribe());
        outlet.deliver(SubEvent::Ended(EventEnd::Unsubscribed));
        for task in lock(&tasks).drain(..) {
            task();
        }
        assert_eq!(
            updates.try_recv().unwrap(),
            SubEvent::Ended(EventEnd::Unsubscribed)
        );
        assert!(updates.try_recv().is_err());
    }

    #[test]
    fn a_subscription_refused_at_once_ends_on_its_own_thread() {
        let client = AuthClient::builder()
            .app_id("app")
            .app_host("http://127.0.0.1:9")
            .access_token("token")
            .build()
            .unwrap();
        let caller = std::thread::current().id();
        let (tx, updates) = std::sync::mpsc::channel();
        let _subscription = start(
            &client,
            "myapp.x".into(),
            Box::new(move |update: SubEvent| {
                let _ = tx.send((std::thread::current().id(), update));
            }),
            Some("a bad code".into()),
        );
        let (thread, update) = updates.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(
            update,
            SubEvent::Ended(EventEnd::Refused("a bad code".into()))
        );
        assert_ne!(
            thread, caller,
            "not inside sub_event, on the caller's thread"
        );
    }

    #[test]
    fn replays_are_recognised_by_id_and_events_without_one_always_pass() {
        let mut seen = Seen::default();
        assert!(seen.first_time(Some("a")));
        assert!(!seen.first_time(Some("a")));
        assert!(seen.first_time(None));
        assert!(seen.first_time(None));
    }

    #[test]
    fn back_off_doubles_with_jitter_and_is_capped() {
        let mut jitter = Jitter::new();
        for attempt in 1..=20 {
            let full = FIRST_DELAY
                .saturating_mul(1u32 << (attempt - 1).min(16))
                .min(MAX_DELAY);
            let d = jitter.delay(attempt, &Policy::DEFAULT);
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?} of {full:?}");
        }
    }
}
