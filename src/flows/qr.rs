//! The desktop's QR sign-in flow behind `AuthClient::sign_in_by_qr_code`: generate, poll
//! until a final status, exchange, start the session; and how its status updates reach the
//! app (on the worker, or through the client's callback executor).
//!
//! Locking rule: no lock shared with the rest of the SDK is held while the app's listener
//! runs; the listener's own mutex (private to one flow) serializes its calls.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::client::AuthClient;
use crate::dispatch::report::{self, Reporter};
use crate::dispatch::slot::{lock, panic_text, CancelCheck, CancelWatch};
use crate::error::AuthError;
use crate::model::{QrCode, QrCodeSignInOptions, QrCodeState, QrCodeStatus, QrCodeUpdate};
use crate::response::AuthResponse;

/// Failed status checks in a row that end the flow (when each was transient).
const MAX_FAILURES_IN_A_ROW: u32 = 3;

/// Where the flow's status updates go.
pub(crate) enum Listener<'a> {
    /// Called on the flow's own thread (the blocking twin: the caller's).
    Direct(&'a mut dyn FnMut(QrCodeUpdate)),
    /// Built by [`hop`]: through the executor, panics caught and reported; each update's
    /// task skips the listener when the watched call is cancelled by the time it runs.
    Hopped(Hopper, CancelWatch),
}

/// The callback form's listener, as [`hop`] builds it.
pub(crate) type Hopper = Box<dyn FnMut(QrCodeUpdate, CancelWatch) + Send>;

impl Listener<'_> {
    fn tell(&mut self, update: QrCodeUpdate) {
        match self {
            Listener::Direct(listener) => listener(update),
            Listener::Hopped(listener, watch) => listener(update, watch.clone()),
        }
    }
}

/// The listener of the callback form: each update runs `on_status` through the client's
/// callback executor when it has one (so updates and then the callback arrive on the
/// thread it hops to, in order for a FIFO executor), else on the worker. A panic in it is
/// reported (to the client's reporter, stderr by default) and the flow goes on. An update
/// whose task runs once the call is cancelled is dropped unshown: with an executor the
/// task may run long after the flow handed it over, and the app was promised no update
/// after its `cancel()`.
pub(crate) fn hop<L>(client: &AuthClient, on_status: L) -> Hopper
where
    L: FnMut(QrCodeUpdate) + Send + 'static,
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
    Box::new(move |update: QrCodeUpdate, watch: CancelWatch| {
        let listener = Arc::clone(&shared);
        let reporter_in_task = Arc::clone(&reporter);
        let task = move || {
            if watch.is_cancelled() {
                return;
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| (*lock(&listener))(update)));
            if let Err(p) = outcome {
                let text = panic_text(p.as_ref());
                report::report(
                    &reporter_in_task,
                    &format!("a qr code status listener panicked: {text}"),
                );
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

/// The answer of a flow that ends without authorization (10018), carrying the last status
/// check's `data` and request id when there was one.
fn not_authorized(
    status: QrCodeStatus,
    reason: impl Into<String>,
    last: Option<&AuthResponse>,
) -> AuthResponse {
    let mut answer = AuthResponse::from_error(AuthError::QrCodeNotAuthorized {
        status,
        reason: reason.into(),
    });
    if let Some(last) = last {
        answer.data = last.data.clone();
        answer.request_id = last.request_id.clone();
    }
    answer
}

/// A failure of a 200 answer that lacks what the flow needs, with its request id.
fn unexpected(error: AuthError, answer: &AuthResponse) -> AuthResponse {
    if !answer.is_success() {
        return answer.clone();
    }
    let mut out = AuthResponse::from_error(error);
    out.request_id = answer.request_id.clone();
    out
}

/// The flow's view of its cancellation: a handle's, or none (the blocking twin).
struct Cancel<'a>(Option<&'a CancelCheck<'a>>);

impl Cancel<'_> {
    fn is_cancelled(&self) -> bool {
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
fn cancelled() -> AuthResponse {
    AuthResponse::from_error(AuthError::Cancelled)
}

impl AuthClient {
    /// The flow of `sign_in_by_qr_code` and its blocking twin (`cancel` is `None` there).
    pub(crate) fn sign_in_by_qr_code_with(
        &self,
        options: Option<QrCodeSignInOptions>,
        mut listener: Listener<'_>,
        cancel: Option<&CancelCheck<'_>>,
    ) -> AuthResponse {
        let cancel = Cancel(cancel);
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let options = options.unwrap_or_default();
        if let Err(problem) = options.check() {
            return AuthResponse::from_error(problem.into());
        }
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let generated = self.gene_qr_code_blocking(options.custom_data().cloned());
        let code = match generated.qr_code() {
            Ok(code) => code,
            Err(error) => return unexpected(error, &generated),
        };
        if cancel.is_cancelled() {
            return cancelled();
        }
        listener.tell(QrCodeUpdate::generated(&code));
        let deadline = Instant::now() + options.timeout();
        let mut last = QrCodeStatus::PENDING;
        let mut failures = 0;
        loop {
            let next = (Instant::now() + options.interval()).min(deadline);
            if cancel.wait_until(next) {
                return cancelled();
            }
            if Instant::now() >= deadline {
                let reason = format!(
                    "no final status came within the timeout of {}",
                    seconds(options.timeout())
                );
                return not_authorized(last, reason, None);
            }
            let answer = self.check_qr_code_status_blocking(code.qrcode_id());
            if cancel.is_cancelled() {
                return cancelled();
            }
            let state = match answer.qr_code_state() {
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
            if state.status() != last {
                last = state.status();
                listener.tell(QrCodeUpdate::checked(&code, &state));
            }
            let reason = match state.status() {
                QrCodeStatus::PENDING | QrCodeStatus::SCANNED => continue,
                QrCodeStatus::AUTHORIZED => {
                    return self.finish_qr_sign_in(&code, &answer, &state, &cancel)
                }
                QrCodeStatus::CANCELLED => "the user cancelled on the phone",
                QrCodeStatus::EXPIRED => "the qr code expired before the user confirmed it",
                QrCodeStatus::ERROR => "the server reported an error for the qr code",
            };
            return not_authorized(last, reason, Some(&answer));
        }
    }

    /// The code is authorized: its tokens (exchanged for the ticket, or sent in the status
    /// answer), then the session.
    fn finish_qr_sign_in(
        &self,
        code: &QrCode,
        answer: &AuthResponse,
        state: &QrCodeState,
        cancel: &Cancel<'_>,
    ) -> AuthResponse {
        let signed_in = match (state.ticket(), state.token_set()) {
            (Some(ticket), _) => self.exchange_ticket(ticket, None, None),
            (None, Some(token_set)) => {
                let mut tokens = answer.clone();
                tokens.data = Some(token_set.clone());
                tokens
            }
            (None, None) => {
                let error = AuthError::UnexpectedResponse {
                    reason: format!(
                        "qr code {} is authorized but the answer has no ticket or tokenSet",
                        code.qrcode_id()
                    ),
                };
                return unexpected(error, answer);
            }
        };
        if !signed_in.is_success() {
            return signed_in;
        }
        if cancel.is_cancelled() {
            return cancelled();
        }
        self.start_session(signed_in)
    }
}

/// `d` in seconds for a message, e.g. `600 s` or `0.5 s`.
fn seconds(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} s", d.as_secs_f64())
    }
}
