//! [`Inbox`]: callbacks that stay on the UI thread; only the answers cross threads.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::sync::mpsc::{self, Receiver, Sender};

use crate::dispatch::callback::AuthCallback;
use crate::model::events::{EventCallback, EventEnd, SubEvent};
use crate::response::AuthResponse;

/// A handler kept on the UI thread until its answer arrives.
type Local<S> = Box<dyn FnOnce(&mut S, AuthResponse)>;
/// An event subscription's handler, kept on the UI thread until its `Ended`.
type Listener<S> = Box<dyn FnMut(&mut S, SubEvent)>;

/// What crosses to the inbox: a call's answer, or a subscription's update.
enum Arrival {
    Answer(AuthResponse),
    Update(SubEvent),
}

/// Callbacks that live on the thread that owns the inbox (a UI thread) and need not be
/// `Send`: they may hold `Rc`s, widgets, or take the app's state as `&mut S`.
///
/// The shape of glib's `spawn_local` or Slint's `invoke_from_event_loop`, without a
/// toolkit: [`callback`](Inbox::callback) keeps your closure here and gives the call a
/// small `Send` callback ([`InboxCallback`]) that only sends the answer back, tagged with
/// the closure's number. Your loop calls [`run_pending`](Inbox::run_pending) (each frame, or
/// when woken by [`on_delivery`](crate::AuthClientBuilder::on_delivery)) and each answer
/// that arrived runs its own closure, on this thread, with `&mut S`.
///
/// What changes against a plain callback:
/// - **Exactly once, twice over.** The call's callback (the `InboxCallback`) runs once, as
///   always; its closure runs once, at the first `run_pending` after the answer arrived.
///   A closure whose answer never comes (its inbox dropped first) is dropped unrun. An
///   `InboxCallback` dropped without being called (an executor that dropped its delivery
///   task, or one never handed to a call) still settles its closure: it runs once with a
///   10013 answer (`AuthError::Internal`).
/// - **Finished earlier.** The call's [`RequestHandle`](crate::RequestHandle) is finished
///   when the answer is in the inbox, before your closure ran.
/// - **Panics are yours.** A closure runs inside `run_pending`, in your code, not the SDK's:
///   a panic in it unwinds out of `run_pending` like any other panic in your loop. The
///   other answers stay queued for the next `run_pending`.
///
/// `S` is whatever your closures need from the loop: `()` if they capture all they touch
/// (`Rc<RefCell<..>>`, widget handles), or your app's state, handed in by `run_pending`.
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use authing::{AuthClient, AuthResponse, Inbox, SmsType};
///
/// let client = AuthClient::builder().build()?; // unconfigured: answers 10002
/// let inbox: Inbox = Inbox::new();
///
/// // Not Send: an Rc, as a GTK widget or an egui app's shared state would be.
/// let status = Rc::new(RefCell::new(String::new()));
/// let shown = Rc::clone(&status);
/// let handle = client.send_sms("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD,
///     inbox.callback(move |_: &mut (), response: AuthResponse| {
///         *shown.borrow_mut() = response.message().to_string();
///     }));
///
/// handle.join().unwrap(); // a test may wait; a UI loop never does (see THREADING.md)
/// assert_eq!(inbox.run_pending(&mut ()), 1); // the closure runs here, on this thread
/// assert!(!status.borrow().is_empty());
/// # Ok::<(), authing::ConfigError>(())
/// ```
///
/// With the app's state handed in instead of captured:
///
/// ```
/// use authing::{AuthClient, AuthResponse, Inbox, SmsType};
///
/// #[derive(Default)]
/// struct Screen {
///     sending: bool,
///     error: Option<String>,
/// }
///
/// let client = AuthClient::builder().build()?;
/// let inbox: Inbox<Screen> = Inbox::new();
/// let mut screen = Screen { sending: true, ..Screen::default() };
/// client
///     .send_sms("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD,
///         inbox.callback(|screen: &mut Screen, response: AuthResponse| {
///             screen.sending = false;
///             if let Err(e) = response.into_result() {
///                 screen.error = Some(e.to_string());
///             }
///         }))
///     .join()
///     .unwrap();
/// inbox.run_pending(&mut screen);
/// assert!(!screen.sending && screen.error.is_some());
/// # Ok::<(), authing::ConfigError>(())
/// ```
pub struct Inbox<S: 'static = ()> {
    to_inbox: Sender<(u64, Arrival)>,
    arrived: Receiver<(u64, Arrival)>,
    waiting: RefCell<HashMap<u64, Local<S>>>,
    listeners: RefCell<HashMap<u64, Listener<S>>>,
    next: Cell<u64>,
}

/// The `Send` side of one [`Inbox::callback`]: sends the answer back to its inbox. Give it
/// to a call like any callback.
///
/// ```
/// use authing::{AuthResponse, Inbox, InboxCallback};
/// let inbox: Inbox = Inbox::new();
/// let callback: InboxCallback = inbox.callback(|_: &mut (), _: AuthResponse| {});
/// fn is_send<T: Send>(_: &T) {}
/// is_send(&callback);
/// ```
#[must_use = "a callback does nothing until it is given to a call"]
pub struct InboxCallback {
    id: u64,
    /// Taken when the answer is sent; still here on drop means no answer came.
    to_inbox: Option<Sender<(u64, Arrival)>>,
}

/// The `Send` side of one [`Inbox::event_callback`]: sends each update of an event
/// subscription back to its inbox. Give it to `AuthClient::sub_event` (cargo feature
/// `events`) like any [`EventCallback`].
///
/// ```
/// use authing::{EventCallback, Inbox, InboxEventCallback, SubEvent};
/// let inbox: Inbox = Inbox::new();
/// let callback: InboxEventCallback = inbox.event_callback(|_: &mut (), _: SubEvent| {});
/// fn is_event_callback<T: EventCallback>(_: &T) {}
/// is_event_callback(&callback);
/// ```
#[must_use = "a callback does nothing until it is given to a subscription"]
pub struct InboxEventCallback {
    id: u64,
    to_inbox: Sender<(u64, Arrival)>,
    /// `Ended` went through: the handler is settled.
    ended: bool,
}

impl<S: 'static> Inbox<S> {
    /// An empty inbox, owned by the thread that will call `run_pending`.
    ///
    /// ```
    /// let inbox: authing::Inbox = authing::Inbox::new();
    /// assert_eq!(inbox.waiting(), 0);
    /// ```
    pub fn new() -> Inbox<S> {
        let (to_inbox, arrived) = mpsc::channel();
        Inbox {
            to_inbox,
            arrived,
            waiting: RefCell::new(HashMap::new()),
            listeners: RefCell::new(HashMap::new()),
            next: Cell::new(0),
        }
    }

    /// Keeps `handler` here and returns the callback to give the call: when its answer
    /// arrives, the next [`run_pending`](Self::run_pending) runs `handler` with it.
    ///
    /// May be called from inside a handler (one that starts the next call).
    ///
    /// ```
    /// use authing::{AuthResponse, Inbox};
    /// let inbox: Inbox<Vec<i32>> = Inbox::new();
    /// let callback = inbox.callback(|codes: &mut Vec<i32>, r: AuthResponse| codes.push(r.status_code()));
    /// assert_eq!(inbox.waiting(), 1);
    /// # drop(callback);
    /// ```
    pub fn callback<F>(&self, handler: F) -> InboxCallback
    where
        F: FnOnce(&mut S, AuthResponse) + 'static,
    {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        self.waiting.borrow_mut().insert(id, Box::new(handler));
        InboxCallback {
            id,
            to_inbox: Some(self.to_inbox.clone()),
        }
    }

    /// Keeps `handler` here and returns the callback to give an event subscription
    /// (`AuthClient::sub_event`, cargo feature `events`): each update (`Connected`, each
    /// event, `Reconnecting`, the last `Ended`) runs `handler` at the next
    /// [`run_pending`](Self::run_pending), on this thread, in order, with `&mut S`. After
    /// `Ended` the handler is dropped. A callback dropped before its `Ended` (an executor
    /// that dropped a delivery task) still ends it: `handler` gets `Ended(Refused(..))`.
    ///
    /// ```
    /// use authing::{EventEnd, Inbox, SubEvent};
    /// let inbox: Inbox<Vec<String>> = Inbox::new();
    /// let callback = inbox.event_callback(|seen: &mut Vec<String>, update: SubEvent| {
    ///     seen.push(format!("{update:?}"));
    /// });
    /// assert_eq!(inbox.waiting(), 1);
    /// drop(callback); // never given to a subscription: it ends at once
    /// let mut seen = Vec::new();
    /// assert_eq!(inbox.run_pending(&mut seen), 1);
    /// assert!(seen[0].contains("Refused"));
    /// assert_eq!(inbox.waiting(), 0);
    /// ```
    pub fn event_callback<F>(&self, handler: F) -> InboxEventCallback
    where
        F: FnMut(&mut S, SubEvent) + 'static,
    {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        self.listeners.borrow_mut().insert(id, Box::new(handler));
        InboxEventCallback {
            id,
            to_inbox: self.to_inbox.clone(),
            ended: false,
        }
    }

    /// Runs the handler of every answer and event update that has arrived, in the order
    /// they arrived, on this thread; how many ran. Never blocks: with nothing arrived it
    /// returns 0.
    ///
    /// No lock or borrow of the inbox is held while a handler runs.
    ///
    /// ```
    /// let inbox: authing::Inbox = authing::Inbox::new();
    /// assert_eq!(inbox.run_pending(&mut ()), 0);
    /// ```
    pub fn run_pending(&self, state: &mut S) -> usize {
        let mut ran = 0;
        while let Ok((id, arrival)) = self.arrived.try_recv() {
            match arrival {
                Arrival::Answer(response) => {
                    let handler = self.waiting.borrow_mut().remove(&id);
                    if let Some(handler) = handler {
                        handler(state, response);
                        ran += 1;
                    }
                }
                Arrival::Update(update) => {
                    // Out of the map while it runs: it may add callbacks to this inbox.
                    let listener = self.listeners.borrow_mut().remove(&id);
                    if let Some(mut listener) = listener {
                        let last = matches!(update, SubEvent::Ended(_));
                        listener(state, update);
                        ran += 1;
                        if !last {
                            self.listeners.borrow_mut().insert(id, listener);
                        }
                    }
                }
            }
        }
        ran
    }

    /// Handlers whose answers have not run yet (still on the wire, or arrived and waiting
    /// for `run_pending`), and event handlers whose subscription has not ended yet.
    ///
    /// ```
    /// let inbox: authing::Inbox = authing::Inbox::new();
    /// assert_eq!(inbox.waiting(), 0);
    /// ```
    pub fn waiting(&self) -> usize {
        self.waiting.borrow().len() + self.listeners.borrow().len()
    }
}

impl<S: 'static> Default for Inbox<S> {
    fn default() -> Inbox<S> {
        Inbox::new()
    }
}

impl<S: 'static> fmt::Debug for Inbox<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inbox")
            .field("waiting", &self.waiting())
            .finish_non_exhaustive()
    }
}

impl AuthCallback for InboxCallback {
    fn call(mut self, response: AuthResponse) {
        // An inbox that is gone no longer wants the answer.
        if let Some(to_inbox) = self.to_inbox.take() {
            let _ = to_inbox.send((self.id, Arrival::Answer(response)));
        }
    }
}

impl EventCallback for InboxEventCallback {
    fn call(&mut self, update: SubEvent) {
        if self.ended {
            return;
        }
        self.ended = matches!(update, SubEvent::Ended(_));
        // An inbox that is gone no longer wants the update.
        let _ = self.to_inbox.send((self.id, Arrival::Update(update)));
    }
}

impl Drop for InboxEventCallback {
    /// Dropped before its `Ended` (an executor that dropped a delivery task, or never
    /// given to a subscription): the handler still gets its end.
    fn drop(&mut self) {
        if !self.ended {
            let end = EventEnd::Refused(
                "the subscription's callback was dropped before it ended (callback executor)"
                    .into(),
            );
            let _ = self
                .to_inbox
                .send((self.id, Arrival::Update(SubEvent::Ended(end))));
        }
    }
}

impl fmt::Debug for InboxEventCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InboxEventCallback")
            .field("id", &self.id)
            .finish()
    }
}

impl Drop for InboxCallback {
    /// A callback dropped unanswered (an executor that dropped its delivery task) still
    /// settles its handler: it runs once with a 10013 answer instead of waiting forever.
    fn drop(&mut self) {
        if let Some(to_inbox) = self.to_inbox.take() {
            let dropped = AuthResponse::from_error(crate::AuthError::Internal(
                "the delivery was dropped before the callback ran (callback executor)".into(),
            ));
            let _ = to_inbox.send((self.id, Arrival::Answer(dropped)));
        }
    }
}

impl fmt::Debug for InboxCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InboxCallback")
            .field("id", &self.id)
            .finish()
    }
}
