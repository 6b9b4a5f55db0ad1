//! Authing's events (Java: `AuthenticationClient`'s `subEvent`, `pubtEvent`): subscribe to
//! an event code over a WebSocket (cargo feature `events`), and publish one of the user
//! pool's custom events (`POST /api/v3/pub-userEvent`, no feature).

use serde_json::json;

use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::response::AuthResponse;
use crate::validate;

/// `pub_event`'s endpoint (not in Authing's authentication spec: docs/CONFORMANCE.md).
pub(crate) const PUB_EVENT_PATH: &str = "/api/v3/pub-userEvent";
/// The longest event code sent, in characters.
const MAX_EVENT_CODE_CHARS: usize = 256;
/// The largest event data sent, in bytes.
pub(crate) const MAX_EVENT_DATA_BYTES: usize = 64 * 1024;

/// # Events (Java: `AuthenticationClient`'s `subEvent`, `pubtEvent`)
///
/// Authing pushes events about the signed-in user (signed in, profile updated, signed
/// out, …) and the user pool's own custom events to subscribers over a WebSocket; a
/// desktop app reacts at once (shows "signed out on another device", reloads the
/// profile). See the crate docs' "Events" section and docs/THREADING.md for where the
/// callback runs.
impl AuthClient {
    /// Publishes a custom event of the user pool, as the signed-in user (Java:
    /// `pubtEvent(eventCode, data)`; `POST /api/v3/pub-userEvent`,
    /// `{eventType, eventData}`). The callback form.
    ///
    /// `data` is sent as it is, a string (the official SDKs send a JSON text there:
    /// `value.to_string()`); subscribers read it back parsed with
    /// [`AuthEvent::data`](crate::AuthEvent::data). Authing lets an app publish only the
    /// custom events defined in its user pool (`authing.*` events are Authing's own).
    /// On success the answer's `data` is `{"success": true}`
    /// ([`is_event_published`](AuthResponse::is_event_published)).
    ///
    /// Checked before anything is sent (10010): the code (1 to 256 visible ASCII
    /// characters), the data (at most 64 KiB). Without a signed-in user: 10015.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .pub_event("myapp.order.paid", r#"{"order":"42"}"#, |response: AuthResponse| {
    ///         println!("published: {}", response.is_event_published());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "pubtEvent")]
    #[doc(alias = "pubEvent")]
    pub fn pub_event<C: AuthCallback>(&self, code: &str, data: &str, callback: C) -> RequestHandle {
        let code = code.to_owned();
        let data = data.to_owned();
        self.spawn(callback, move |client, _| {
            client.pub_event_blocking(&code, &data)
        })
    }

    /// The blocking twin of [`pub_event`](Self::pub_event).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-2"))?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id(emulator.app_id())
    ///     .app_host(emulator.base_url())
    ///     .build()?;
    /// client.sign_in_by_user_name_password_blocking("alice", "secret-2", None).into_result()?;
    /// let response = client.pub_event_blocking("myapp.order.paid", r#"{"order":"42"}"#);
    /// assert!(response.is_event_published(), "{response:?}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "pubtEvent")]
    pub fn pub_event_blocking(&self, code: &str, data: &str) -> AuthResponse {
        let input = || {
            let code = validate::code("code", code)?;
            if code.chars().count() > MAX_EVENT_CODE_CHARS {
                return Err(crate::error::InputError::new(
                    "code",
                    format!("is longer than {MAX_EVENT_CODE_CHARS} characters"),
                )
                .into());
            }
            if data.len() > MAX_EVENT_DATA_BYTES {
                return Err(crate::error::InputError::new(
                    "data",
                    format!("is larger than {MAX_EVENT_DATA_BYTES} bytes"),
                )
                .into());
            }
            Ok::<_, crate::error::AuthError>(json!({ "eventType": code, "eventData": data }))
        };
        self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, PUB_EVENT_PATH, body)
        })
    }

    /// Subscribes to the event code `code` as the signed-in user (Java:
    /// `subEvent(eventCode, receiver)`; a WebSocket to
    /// `{web_socket_host}{web_socket_endpoint}?code=..&token=<access token>`). Cargo
    /// feature `events`.
    ///
    /// `on_event` ([`EventCallback`](crate::EventCallback): a closure
    /// `|update: SubEvent|`, a `Sender<SubEvent>`, your own type) gets, in order:
    /// [`SubEvent::Connected`](crate::SubEvent::Connected), then one
    /// [`SubEvent::Event`](crate::SubEvent::Event) per event (an event whose id was
    /// already delivered, which a server may send again after a reconnection, is dropped),
    /// and last, once, [`SubEvent::Ended`](crate::SubEvent::Ended) with why:
    /// [`Unsubscribed`](crate::EventEnd::Unsubscribed),
    /// [`SignedOut`](crate::EventEnd::SignedOut) (no session, or the server refused the
    /// token and the session could not be renewed: signed out elsewhere),
    /// [`Refused`](crate::EventEnd::Refused) (a bad code, a 4xx, settings that cannot
    /// work), [`GaveUp`](crate::EventEnd::GaveUp) (8 attempts in a row failed).
    ///
    /// When the connection drops, it says so
    /// ([`SubEvent::Reconnecting`](crate::SubEvent::Reconnecting), a warning in the log)
    /// and connects again after a back-off with jitter (250 ms doubling to 30 s, each
    /// wait between half and all of it) with the session's access token, refreshed first
    /// when it has expired, and renewed once more when the server refuses it. A silent
    /// connection is pinged after 20 s and dropped after 20 s more.
    ///
    /// The subscription has a thread of its own (not a dispatcher worker). `on_event`
    /// runs on it, or through the client's callback executor when it has one (so a GUI
    /// gets the updates on its UI thread, in order for a FIFO executor), and the
    /// delivery hook ([`set_on_delivery`](AuthClient::set_on_delivery)) rings after each.
    /// A panic in it is reported and the subscription goes on.
    ///
    /// Checked first: the code (1 to 256 visible ASCII characters) and the client's
    /// settings; a failure is the callback's only update, `Ended(Refused(..))`, delivered
    /// like any other (from the subscription's own short-lived thread, or through the
    /// executor), never inside this call. Only when the operating system cannot start a
    /// thread is `Ended(Refused(..))` delivered before this returns, on the caller's
    /// thread (or handed to the executor there).
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use authing::emulator::{Emulator, NewUser};
    /// use authing::SubEvent;
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-2"))?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id(emulator.app_id())
    ///     .app_host(emulator.base_url())
    ///     .build()?;
    /// client.sign_in_by_user_name_password_blocking("alice", "secret-2", None).into_result()?;
    /// let (tx, updates) = mpsc::channel();
    /// let subscription = client.sub_event("myapp.hello", tx);
    /// let wait = Duration::from_secs(10);
    /// assert_eq!(updates.recv_timeout(wait)?, SubEvent::Connected { reconnected: false });
    /// client.pub_event_blocking("myapp.hello", "hi").into_result()?;
    /// let SubEvent::Event(event) = updates.recv_timeout(wait)? else { panic!("an event") };
    /// assert_eq!(event.data(), "hi");
    /// subscription.unsubscribe();
    /// assert_eq!(
    ///     updates.recv_timeout(wait)?,
    ///     SubEvent::Ended(authing::EventEnd::Unsubscribed)
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "events")]
    #[doc(alias = "subEvent")]
    pub fn sub_event(
        &self,
        code: &str,
        on_event: impl crate::model::events::EventCallback,
    ) -> crate::events::subscription::EventSubscription {
        let refused = match self.settings() {
            Err(e) => Some(e.to_string()),
            Ok(_) => match validate::code("code", code) {
                Err(e) => Some(e.to_string()),
                Ok(c) if c.chars().count() > MAX_EVENT_CODE_CHARS => Some(format!(
                    "code is longer than {MAX_EVENT_CODE_CHARS} characters"
                )),
                Ok(_) => None,
            },
        };
        crate::events::subscription::start(self, code.to_owned(), Box::new(on_event), refused)
    }
}
