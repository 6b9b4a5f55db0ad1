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
///   the delivering thread until there is room, so give it capacity).
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

/// The type-erased form the dispatcher carries.
pub(crate) type BoxedCallback = Box<dyn AuthCallback>;

pub(crate) fn boxed<C: AuthCallback>(callback: C) -> BoxedCallback {
    Box::new(callback)
}
