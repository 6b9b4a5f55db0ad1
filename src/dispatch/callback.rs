//! [`AuthCallback`]: what a call hands its answer to.

use std::sync::mpsc::{Sender, SyncSender};

use crate::response::AuthResponse;

/// Receives the answer of one call, exactly once (Java: `AuthCallback`).
///
/// Every callback method of [`AuthClient`](crate::AuthClient) takes one of:
/// - a closure `|response: AuthResponse| { .. }` (any `FnOnce(AuthResponse) + Send`),
/// - your own type implementing this trait (the shape of Java's anonymous class),
/// - a `Box<dyn AuthCallback>`,
/// - a `std::sync::mpsc::Sender<AuthResponse>` or `SyncSender<AuthResponse>` (the answer
///   is sent; a closed receiver drops it, which is not an error; a full `SyncSender` blocks
///   the delivering thread until there is room, so give it capacity),
/// - [`send_with`]`(sender, Msg::Variant)`: a sender of the app's own messages, each answer
///   wrapped so the receiver knows which call it answers,
/// - [`Inbox::callback`](crate::Inbox::callback): a closure that stays on the UI thread
///   (it need not be `Send`); only the answer crosses threads.
///
/// A closure's parameter needs its type, `|response: AuthResponse|`: rustc infers a
/// closure's parameter only for a parameter declared `F: FnOnce(..)`, and this trait also
/// admits structs, boxes and senders. Without it, rustc answers `error[E0282]: type
/// annotations needed`:
///
/// ```compile_fail,E0282
/// use authing::{AuthClient, SmsType};
/// let client = AuthClient::new();
/// client.send_sms("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD, |response| {
///     if response.status_code() == 200 {}
/// });
/// ```
///
/// ```
/// use authing::{AuthClient, AuthResponse, SmsType};
/// let client = AuthClient::builder().build()?; // unconfigured: answers 10002
/// client
///     .send_sms("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD, |response: AuthResponse| {
///         assert_eq!(response.status_code(), 10002);
///     })
///     .join()
///     .unwrap();
/// # Ok::<(), authing::ConfigError>(())
/// ```
///
/// `call` takes `self`: a callback is used once. It runs on a dispatcher worker thread, or
/// on the thread your callback executor chooses; see the crate docs for the contract.
///
/// Implement `call` and nothing else: the trait has a hidden supertrait, implemented for
/// you, that lets the SDK call a `Box<dyn AuthCallback>`. It cannot be named:
///
/// ```compile_fail
/// use authing::CallBoxed; // not public
/// ```
///
/// A boxed callback is a callback too:
///
/// ```
/// use authing::{AuthCallback, AuthResponse};
/// let boxed: Box<dyn AuthCallback> = Box::new(|response: AuthResponse| drop(response));
/// # let _ = boxed;
/// ```
///
/// ```
/// use authing::{AuthCallback, AuthResponse};
///
/// struct ShowResult {
///     screen: &'static str,
/// }
///
/// impl AuthCallback for ShowResult {
///     fn call(self, response: AuthResponse) {
///         if response.status_code() == 200 {
///             println!("{}: code accepted", self.screen);
///         } else {
///             println!("{}: {}", self.screen, response.message());
///         }
///     }
/// }
/// ```
pub trait AuthCallback: sealed::CallBoxed + Send + 'static {
    /// Handles the answer (Java: `void call(AuthResponse response)`).
    fn call(self, response: AuthResponse)
    where
        Self: Sized;
}

/// The SDK's side of [`AuthCallback`], out of users' reach: it lets a
/// `Box<dyn AuthCallback>` be called (`call` takes `self` by value, which a trait object
/// cannot). Implemented for every `AuthCallback`; nothing to implement or call yourself.
pub(crate) mod sealed {
    use crate::response::AuthResponse;

    /// Calls a boxed callback.
    pub trait CallBoxed {
        /// Calls the boxed callback.
        fn call_boxed(self: Box<Self>, response: AuthResponse);
    }

    impl<T: super::AuthCallback> CallBoxed for T {
        fn call_boxed(self: Box<Self>, response: AuthResponse) {
            (*self).call(response)
        }
    }
}

impl<F> AuthCallback for F
where
    F: FnOnce(AuthResponse) + Send + 'static,
{
    fn call(self, response: AuthResponse) {
        self(response)
    }
}

impl AuthCallback for Box<dyn AuthCallback> {
    fn call(self, response: AuthResponse) {
        self.call_boxed(response)
    }
}

impl AuthCallback for Sender<AuthResponse> {
    fn call(self, response: AuthResponse) {
        // A receiver that is gone no longer wants the answer.
        let _ = self.send(response);
    }
}

impl AuthCallback for SyncSender<AuthResponse> {
    fn call(self, response: AuthResponse) {
        let _ = self.send(response);
    }
}

/// A callback that wraps the answer in a message of your own and sends it: made by
/// [`send_with`].
///
/// ```
/// use std::sync::mpsc;
/// use authing::{AuthResponse, SendWith};
///
/// enum Msg {
///     CodeSent(AuthResponse),
/// }
/// let (tx, _rx) = mpsc::channel::<Msg>();
/// let callback: SendWith<Msg, fn(AuthResponse) -> Msg> = authing::send_with(tx, Msg::CodeSent);
/// # let _ = callback;
/// ```
#[must_use = "a callback does nothing until it is given to a call"]
pub struct SendWith<T, F> {
    sender: Sender<T>,
    wrap: F,
}

/// A callback that says which call answered: it wraps the answer with `wrap` (typically a
/// variant of the app's message enum) and sends it on `sender`.
///
/// For a UI loop that drains one channel of its own messages, where a bare
/// `Sender<AuthResponse>` would not tell a "code sent" answer from a "signed in" one:
///
/// ```
/// use std::sync::mpsc;
/// use authing::{AuthClient, AuthResponse, SmsType};
///
/// enum Msg {
///     CodeSent(AuthResponse),
///     SignedIn(AuthResponse),
/// }
///
/// let client = AuthClient::builder().build()?; // unconfigured: answers 10002
/// let (tx, rx) = mpsc::channel::<Msg>();
/// client
///     .send_sms("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD,
///         authing::send_with(tx.clone(), Msg::CodeSent))
///     .join()
///     .unwrap();
/// match rx.recv().unwrap() {
///     Msg::CodeSent(response) => assert_eq!(response.status_code(), 10002),
///     Msg::SignedIn(_) => unreachable!("only the code was asked for"),
/// }
/// # Ok::<(), authing::ConfigError>(())
/// ```
///
/// A receiver that is gone drops the message, as for a `Sender<AuthResponse>`. Why not
/// `Sender<T>` for any `T: From<AuthResponse>`: that impl would make a plain
/// `let (tx, rx) = mpsc::channel(); client.send_sms(.., tx)` ambiguous (Rust could no
/// longer infer `AuthResponse` for the channel), breaking code that compiles today; and a
/// `From` impl cannot say which call answered anyway.
pub fn send_with<T, F>(sender: Sender<T>, wrap: F) -> SendWith<T, F>
where
    T: Send + 'static,
    F: FnOnce(AuthResponse) -> T + Send + 'static,
{
    SendWith { sender, wrap }
}

impl<T, F> AuthCallback for SendWith<T, F>
where
    T: Send + 'static,
    F: FnOnce(AuthResponse) -> T + Send + 'static,
{
    fn call(self, response: AuthResponse) {
        let _ = self.sender.send((self.wrap)(response));
    }
}

impl<T, F> std::fmt::Debug for SendWith<T, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendWith").finish_non_exhaustive()
    }
}

/// The type-erased form the dispatcher carries.
pub(crate) type BoxedCallback = Box<dyn AuthCallback>;

pub(crate) fn boxed<C: AuthCallback>(callback: C) -> BoxedCallback {
    Box::new(callback)
}
