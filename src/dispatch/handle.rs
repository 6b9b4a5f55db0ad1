//! [`RequestHandle`]: wait for, query or cancel one callback call.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::dispatch::dispatcher::Dispatcher;
use crate::dispatch::slot::Slot;

/// The handle every callback method returns.
///
/// - [`join`](RequestHandle::join) waits until the callback has run, so a ported `main`
///   does not exit before its callback.
/// - [`is_finished`](RequestHandle::is_finished) tells whether it has.
/// - [`cancel`](RequestHandle::cancel) replaces the answer with a cancellation.
///
/// Dropping the handle detaches: the call goes on and its callback still runs; nothing
/// blocks in `Drop`.
///
/// ```
/// use authing::{AuthClient, AuthResponse, ResetPasswordPayload, ResetPasswordVerifyMethod};
///
/// let auth_client = AuthClient::builder().build().unwrap(); // unconfigured: answers 10002
/// let handle = auth_client.reset_password_request(
///     ResetPasswordVerifyMethod::EMAIL_PASSCODE,
///     ResetPasswordPayload::new(),
///     |response: AuthResponse| println!("{}", response.status_code()),
/// );
/// handle.join().expect("the callback did not panic");
/// ```
#[must_use = "dropping the handle detaches the call; call join() to wait for the callback"]
pub struct RequestHandle {
    slot: Arc<Slot>,
    dispatcher: Arc<Dispatcher>,
}

impl RequestHandle {
    pub(crate) fn new(slot: Arc<Slot>, dispatcher: Arc<Dispatcher>) -> RequestHandle {
        RequestHandle { slot, dispatcher }
    }

    /// Waits until the callback has run, and reports whether it panicked.
    ///
    /// Do not call this on the thread your callback executor hops to (a GUI thread): the
    /// callback would wait for that thread while it waits for the callback.
    ///
    /// ```
    /// # let client = authing::AuthClient::builder().build().unwrap();
    /// let handle = client.reset_password_request(
    ///     authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE,
    ///     authing::ResetPasswordPayload::new(),
    ///     |_response: authing::AuthResponse| panic!("boom"),
    /// );
    /// let panic = handle.join().unwrap_err();
    /// assert_eq!(panic.message(), "boom");
    /// ```
    pub fn join(self) -> Result<(), CallbackPanic> {
        match self.slot.wait() {
            None => Ok(()),
            Some(message) => Err(CallbackPanic { message }),
        }
    }

    /// Waits at most `timeout` for the callback to have run; true if it has.
    ///
    /// A `timeout` too long to add to the current time (such as `Duration::MAX`) waits
    /// without a deadline, like [`join`](RequestHandle::join), and then returns true.
    ///
    /// ```
    /// # let client = authing::AuthClient::builder().build().unwrap();
    /// let handle = client.reset_password_request(
    ///     authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE,
    ///     authing::ResetPasswordPayload::new(),
    ///     |_response: authing::AuthResponse| {},
    /// );
    /// assert!(handle.wait_timeout(std::time::Duration::from_secs(10)));
    /// ```
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.slot.wait_until(deadline),
            None => {
                let _panic = self.slot.wait();
                true
            }
        }
    }

    /// Whether the callback has run (or the executor dropped its delivery).
    ///
    /// ```
    /// # let client = authing::AuthClient::builder().build().unwrap();
    /// # let handle = client.reset_password_request(
    /// #     authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE,
    /// #     authing::ResetPasswordPayload::new(),
    /// #     |_response: authing::AuthResponse| {},
    /// # );
    /// if handle.is_finished() { println!("done"); }
    /// ```
    pub fn is_finished(&self) -> bool {
        self.slot.is_finished()
    }

    /// Cancels the call: its callback gets a cancellation response (status code 10011,
    /// [`AuthError::Cancelled`](crate::AuthError::Cancelled)) instead of the real answer.
    ///
    /// Returns true if the cancellation will be the callback's one delivery, false if it
    /// was too late (the answer is already being delivered) or the call was already
    /// cancelled. A call still in the queue is never sent. A request already on the wire is
    /// not interrupted: **the server may already have acted on it** (a passcode sent, a
    /// password changed); only its answer is dropped. A call of two requests
    /// (`reset_password_by_phone`/`_by_email`) cancelled during its first request does not
    /// send its second. A call still queued leaves the queue at once, so its place is free
    /// for the next call. The cancellation is delivered at once by the client's courier
    /// thread, without waiting for calls on the wire (when `max_queued_requests` answers
    /// already wait for the courier, or it cannot be started, it is delivered here, on the
    /// thread calling `cancel`).
    ///
    /// ```
    /// # let client = authing::AuthClient::builder().build().unwrap();
    /// let handle = client.reset_password_request(
    ///     authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE,
    ///     authing::ResetPasswordPayload::new(),
    ///     |response: authing::AuthResponse| println!("{}", response.status_code()),
    /// );
    /// let _cancelled: bool = handle.cancel();
    /// handle.join().unwrap();
    /// ```
    pub fn cancel(&self) -> bool {
        self.dispatcher.cancel(&self.slot)
    }
}

impl fmt::Debug for RequestHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestHandle")
            .field("finished", &self.slot.is_finished())
            .field("cancelled", &self.slot.is_cancelled())
            .finish()
    }
}

/// A callback panicked; the SDK caught it and went on. Returned by
/// [`RequestHandle::join`]; the panic was also reported (to stderr, or to the client's
/// [`reporter`](crate::AuthClientBuilder::reporter)).
///
/// Under `panic = "abort"` there is nothing to catch: a panicking callback ends the process.
///
/// ```
/// # let client = authing::AuthClient::builder().build().unwrap();
/// # let handle = client.reset_password_request(
/// #     authing::ResetPasswordVerifyMethod::EMAIL_PASSCODE,
/// #     authing::ResetPasswordPayload::new(),
/// #     |_r: authing::AuthResponse| panic!("bad state"),
/// # );
/// if let Err(panic) = handle.join() {
///     eprintln!("{panic}"); // "the callback panicked: bad state"
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the callback panicked: {message}")]
pub struct CallbackPanic {
    message: String,
}

impl CallbackPanic {
    /// The panic's message.
    ///
    /// ```
    /// # fn f(p: authing::CallbackPanic) {
    /// println!("{}", p.message());
    /// # }
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}
