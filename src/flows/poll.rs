//! The polling engine of the desktop's sign-in flows that wait for a phone: QR sign-in
//! (`qr.rs`) and push sign-in (`push.rs`). A flow starts something on the server (a QR
//! code, a push to the user's phone) and describes it to the engine with [`Polled`]; the
//! engine tells the app about it, checks its status at an interval until a final status or
//! the deadline, reports each status that differs from the last once and in order, and ends
//! with the flow's own finish (authorized), the not-authorized answer (10018 for QR, 10020
//! for push), or the cancellation. It also builds the callback form's listener ([`hop`]),
//! which runs through the client's callback executor with panics reported.
//!
//! Locking rule: no lock shared with the rest of the SDK is held while the app's listener
//! runs; the listener's own mutex (private to one flow) serializes its calls.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::client::AuthClient;
use crate::dispatch::report::{self, Reporter};
use crate::dispatch::slot::{lock, panic_text, CancelCheck, CancelWatch};
use crate::error::{AuthError, InputError};
use crate::response::AuthResponse;

/// Failed status checks in a row that end the flow (when each was transient).
const MAX_FAILURES_IN_A_ROW: u32 = 3;

/// Where a flow's status updates (`U`) go.
pub(crate) enum Listener<'a, U> {
    /// Called on the flow's own thread (the blocking twin: the caller's).
    Direct(&'a mut dyn FnMut(U)),
    /// Built by [`hop`]: through the executor, panics caught and reported; each update's
    /// task skips the listener when the watched call is cancelled by the time it runs.
    Hopped(Hopper<U>, CancelWatch),
}

/// The callback form's listener, as [`hop`] builds it.
pub(crate) type Hopper<U> = Box<dyn FnMut(U, CancelWatch) + Send>;

impl<U> Listener<'_, U> {
    fn tell(&mut self, update: U) {
        match self {
            Listener::Direct(listener) => listener(update),
            Listener::Hopped(listener, watch) => listener(update, watch.clone()),
        }
    }
}

/// The listener of a callback form: each update runs `on_status` through the client's
/// callback executor when it has one (so updates and then the callback arrive on the
/// thread it hops to, in order for a FIFO executor), else on the worker. A panic in it is
/// reported (to the client's reporter, stderr by default) as `{what} panicked: ..` and the
/// flow goes on. An update whose task runs once the call is cancelled is dropped unshown:
/// with an executor the task may run long after the flow handed it over, and the app was
/// promised no update after its `cancel()`.
pub(crate) fn hop<U, L>(client: &AuthClient, what: &'static str, on_status: L) -> Hopper<U>
where
    U: Send + 'static,
    L: FnMut(U) + Send + 'static,
{
    let (executor, reporter): (_, Reporter) = match client.settings() {
        Ok(config) => (
            config.executor.clone(),
            config.reporter.clone().unwrap_or_else(report::stderr),
        ),
        Err(_) => (None, report::stderr()),
    };
    let wake = Arc::clone(client.wake());
    let shared = Arc::new(Mutex::new(on_status));
    Box::new(move |update: U, watch: CancelWatch| {
        let listener = Arc::clone(&shared);
        let reporter_in_task = Arc::clone(&reporter);
        let task = move || {
            if watch.is_cancelled() {
                return;
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| (*lock(&listener))(update)));
            if let Err(p) = outcome {
                let text = panic_text(p.as_ref());
                report::report(&reporter_in_task, &format!("{what} panicked: {text}"));
            }
        };
        match &executor {
            None => task(),
            Some(executor) => {
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| executor(Box::new(task)))) {
                    let text = panic_text(p.as_ref());
                    report::report(
                        &reporter,
                        &format!("the callback executor panicked: {text}"),
                    );
                }
            }
        }
        // As after a callback's delivery: the app has an update to show.
        wake.ring(&reporter);
    })
}

/// The answer of a flow that ends without authorization (`error`, the flow's own
/// not-authorized error), carrying the last status check's `data` and request id when
/// there was one.
pub(crate) fn not_authorized(error: AuthError, last: Option<&AuthResponse>) -> AuthResponse {
    let mut answer = AuthResponse::from_error(error);
    if let Some(last) = last {
        answer.data = last.data.clone();
        answer.request_id = last.request_id.clone();
    }
    answer
}

/// A failure of a 200 answer that lacks what the flow needs, with its request id (a failed
/// answer is passed on as it is).
pub(crate) fn unexpected(error: AuthError, answer: &AuthResponse) -> AuthResponse {
    if !answer.is_success() {
        return answer.clone();
    }
    let mut out = AuthResponse::from_error(error);
    out.request_id = answer.request_id.clone();
    out
}

/// The flow's view of its cancellation: a handle's, or none (the blocking twin).
pub(crate) struct Cancel<'a>(pub(crate) Option<&'a CancelCheck<'a>>);

impl Cancel<'_> {
    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.is_some_and(CancelCheck::is_cancelled)
    }

    /// Waits until `deadline`; true when the call was cancelled (which ends the wait).
    fn wait_until(&self, deadline: Instant) -> bool {
        match self.0 {
            Some(cancel) => cancel.wait_until(deadline),
            None => {
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                false
            }
        }
    }
}

/// The answer the flow gives once cancelled; the dispatcher delivers the cancellation
/// instead, so this one is dropped.
pub(crate) fn cancelled() -> AuthResponse {
    AuthResponse::from_error(AuthError::Cancelled)
}

/// What a status tells the engine.
pub(crate) enum Verdict {
    /// Not final: check again at the next tick.
    Wait,
    /// The user approved: the flow finishes (tokens, session).
    Authorized,
    /// Final without authorization, for this reason.
    Refused(&'static str),
}

/// A flow's side of the polling: what it polls, how it reads the answers, and how it ends.
pub(crate) trait Polled {
    /// The status words (`QrCodeStatus`, `PushCodeStatus`).
    type Status: Copy + PartialEq;
    /// A status check's typed answer.
    type State;
    /// What the app's listener gets.
    type Update;

    /// The status of what was just started (the first update's).
    fn first_status(&self) -> Self::Status;
    /// One status check.
    fn check(&self, client: &AuthClient) -> AuthResponse;
    /// The typed state of a check's answer.
    fn read(&self, answer: &AuthResponse) -> Result<Self::State, AuthError>;
    /// A state's status.
    fn status(&self, state: &Self::State) -> Self::Status;
    /// The update that reports `state`.
    fn update(&self, state: &Self::State) -> Self::Update;
    /// What `status` means for the flow.
    fn verdict(&self, status: Self::Status) -> Verdict;
    /// The end after `Authorized`: tokens, then the session.
    fn finish(
        &self,
        client: &AuthClient,
        answer: &AuthResponse,
        state: &Self::State,
        cancel: &Cancel<'_>,
    ) -> AuthResponse;
    /// The flow's not-authorized error.
    fn not_authorized(&self, status: Self::Status, reason: String) -> AuthError;
}

/// How often and how long to poll.
pub(crate) struct Timing {
    /// The pause between the end of one check and the start of the next.
    pub(crate) interval: Duration,
    /// The longest wait for a final status.
    pub(crate) timeout: Duration,
}

/// What every flow checks before it sends anything, in this order: the client's settings
/// (10002), the flow's input (10010), the token store (10016). The refusal, if any.
pub(crate) fn preflight(
    client: &AuthClient,
    input: impl FnOnce() -> Result<(), InputError>,
) -> Option<AuthResponse> {
    if let Err(error) = client.settings() {
        return Some(AuthResponse::from_error(error));
    }
    if let Err(problem) = input() {
        return Some(AuthResponse::from_error(problem.into()));
    }
    client.store_refusal()
}

/// Runs a started flow: `first` to the listener, then a status check every
/// `timing.interval` until a final status, the deadline or the cancellation. Each status
/// that differs from the last one goes to the listener once, in order. A check that fails
/// transiently is tried again at the next tick, up to 3 failures in a row; any other
/// failure ends the flow with that answer.
pub(crate) fn run<P: Polled>(
    client: &AuthClient,
    flow: &P,
    first: P::Update,
    timing: Timing,
    listener: &mut Listener<'_, P::Update>,
    cancel: &Cancel<'_>,
) -> AuthResponse {
    if cancel.is_cancelled() {
        return cancelled();
    }
    listener.tell(first);
    let deadline = Instant::now() + timing.timeout;
    let mut last = flow.first_status();
    let mut failures = 0;
    loop {
        let next = (Instant::now() + timing.interval).min(deadline);
        if cancel.wait_until(next) {
            return cancelled();
        }
        if Instant::now() >= deadline {
            let reason = format!(
                "no final status came within the timeout of {}",
                seconds(timing.timeout)
            );
            return not_authorized(flow.not_authorized(last, reason), None);
        }
        let answer = flow.check(client);
        if cancel.is_cancelled() {
            return cancelled();
        }
        let state = match flow.read(&answer) {
            Ok(state) => state,
            Err(error) => {
                failures += 1;
                if error.is_transient() && failures < MAX_FAILURES_IN_A_ROW {
                    continue;
                }
                return unexpected(error, &answer);
            }
        };
        failures = 0;
        let status = flow.status(&state);
        if status != last {
            last = status;
            listener.tell(flow.update(&state));
        }
        match flow.verdict(status) {
            Verdict::Wait => continue,
            Verdict::Authorized => return flow.finish(client, &answer, &state, cancel),
            Verdict::Refused(reason) => {
                let error = flow.not_authorized(status, reason.to_string());
                return not_authorized(error, Some(&answer));
            }
        }
    }
}

/// Starts the session from a token answer (the status answer with its `data` replaced by
/// the tokens), unless the call was cancelled meanwhile.
pub(crate) fn start_session_unless_cancelled(
    client: &AuthClient,
    signed_in: AuthResponse,
    cancel: &Cancel<'_>,
) -> AuthResponse {
    if !signed_in.is_success() {
        return signed_in;
    }
    if cancel.is_cancelled() {
        return cancelled();
    }
    client.start_session(signed_in)
}

/// `d` in seconds for a message, e.g. `600 s` or `0.5 s`.
fn seconds(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} s", d.as_secs_f64())
    }
}
