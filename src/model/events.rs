//! What Authing's event stream delivers (`AuthClient::sub_event`, cargo feature `events`):
//! an event ([`AuthEvent`]), the subscription's news ([`SubEvent`]), why it ended
//! ([`EventEnd`]), and the callback that receives them ([`EventCallback`]).

use std::fmt;
use std::sync::mpsc::{Sender, SyncSender};
use std::time::Duration;

use serde_json::Value;

/// One event of the stream: the text frame the server pushed, and what it says.
///
/// Authing publishes no schema for its events: every official SDK hands the raw text to
/// its callback. This one keeps the text ([`text`](Self::text)) and reads the JSON fields
/// Authing's publishing API uses (`eventType`, `eventData`) and an id (`id` or `eventId`),
/// when the text is a JSON object that has them.
///
/// ```
/// let event = authing::AuthEvent::from_text(
///     r#"{"id":"evt_1","eventType":"authing.user.updated","eventData":{"nickname":"Al"}}"#,
/// );
/// assert_eq!(event.id(), Some("evt_1"));
/// assert_eq!(event.code(), Some("authing.user.updated"));
/// assert_eq!(event.data()["nickname"], "Al");
/// ```
#[derive(Clone, PartialEq)]
pub struct AuthEvent {
    text: String,
    json: Value,
}

impl AuthEvent {
    /// Reads an event from the text of a frame (any text: one that is not JSON is kept
    /// as text, with no id, code or data).
    ///
    /// ```
    /// let event = authing::AuthEvent::from_text("hello");
    /// assert_eq!(event.text(), "hello");
    /// assert_eq!(event.code(), None);
    /// assert!(event.data().is_null());
    /// ```
    pub fn from_text(text: impl Into<String>) -> AuthEvent {
        let text = text.into();
        let json = serde_json::from_str::<Value>(&text)
            .ok()
            .filter(Value::is_object)
            .unwrap_or(Value::Null);
        AuthEvent { text, json }
    }

    /// The frame as the server sent it (what Java's `Receiver.onReceive` gets).
    ///
    /// ```
    /// assert_eq!(authing::AuthEvent::from_text("{}").text(), "{}");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The event's id (`id`, else `eventId`), by which a replayed event is recognised.
    ///
    /// ```
    /// assert_eq!(authing::AuthEvent::from_text(r#"{"eventId":"7"}"#).id(), Some("7"));
    /// ```
    pub fn id(&self) -> Option<&str> {
        ["id", "eventId"]
            .iter()
            .find_map(|key| self.json.get(*key).and_then(Value::as_str))
    }

    /// The event's code (`eventType`, else `code`, else `topic`), such as
    /// `authing.user.updated`.
    ///
    /// ```
    /// let event = authing::AuthEvent::from_text(r#"{"code":"authing.user.login"}"#);
    /// assert_eq!(event.code(), Some("authing.user.login"));
    /// ```
    pub fn code(&self) -> Option<&str> {
        ["eventType", "code", "topic"]
            .iter()
            .find_map(|key| self.json.get(*key).and_then(Value::as_str))
    }

    /// The event's data (`eventData`, else `data`); a string that holds JSON (how
    /// `pub_event` and the official SDKs send it) is parsed. `Null` when there is none.
    ///
    /// ```
    /// let event = authing::AuthEvent::from_text(r#"{"eventData":"{\"n\":1}"}"#);
    /// assert_eq!(event.data()["n"], 1);
    /// ```
    pub fn data(&self) -> Value {
        let raw = self
            .json
            .get("eventData")
            .or_else(|| self.json.get("data"))
            .cloned()
            .unwrap_or(Value::Null);
        match &raw {
            Value::String(text) => serde_json::from_str(text).unwrap_or(raw),
            _ => raw,
        }
    }

    /// The whole frame as JSON (`Null` when it is not a JSON object).
    ///
    /// ```
    /// assert_eq!(authing::AuthEvent::from_text(r#"{"a":1}"#).json()["a"], 1);
    /// ```
    pub fn json(&self) -> &Value {
        &self.json
    }
}

impl fmt::Debug for AuthEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthEvent")
            .field("id", &self.id())
            .field("code", &self.code())
            .field("bytes", &self.text.len())
            .finish()
    }
}

/// Why a subscription ended: its callback's last delivery.
///
/// ```
/// let end = authing::EventEnd::Unsubscribed;
/// assert_eq!(end.to_string(), "unsubscribed");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventEnd {
    /// `EventSubscription::unsubscribe` was called.
    Unsubscribed,
    /// The user is signed out: no session, or the server refused its token and the
    /// session could not be renewed (signed out here or on another device, session
    /// revoked). The client's session has ended too.
    SignedOut,
    /// The subscription was refused for good, with why: an invalid code, settings that
    /// cannot work (a `ws://` host for an `https://` app), a server that refused it (4xx),
    /// a token store that cannot be read.
    Refused(String),
    /// The connection could not be made again after this many attempts in a row; the
    /// last failure.
    GaveUp {
        /// Attempts made since the last connection that worked.
        attempts: u32,
        /// The last attempt's failure.
        reason: String,
    },
}

impl fmt::Display for EventEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventEnd::Unsubscribed => f.write_str("unsubscribed"),
            EventEnd::SignedOut => f.write_str("signed out"),
            EventEnd::Refused(why) => write!(f, "refused: {why}"),
            EventEnd::GaveUp { attempts, reason } => {
                write!(f, "gave up after {attempts} attempts: {reason}")
            }
        }
    }
}

/// What a subscription tells its callback, in order: `Connected`, then events, then
/// (when the connection drops) `Reconnecting` and `Connected` again, and last, once,
/// `Ended`.
///
/// ```
/// use authing::SubEvent;
/// fn show(update: SubEvent) {
///     match update {
///         SubEvent::Event(event) => println!("{:?}: {}", event.code(), event.text()),
///         SubEvent::Connected { .. } => println!("live"),
///         SubEvent::Reconnecting { attempt, delay, reason } => {
///             println!("reconnecting (attempt {attempt}, in {delay:?}): {reason}")
///         }
///         SubEvent::Ended(why) => println!("ended: {why}"),
///         _ => {}
///     }
/// }
/// show(SubEvent::Ended(authing::EventEnd::Unsubscribed));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SubEvent {
    /// An event; each event id at most once, even when the server sends it again.
    Event(AuthEvent),
    /// The stream is open (again, when `reconnected`).
    Connected {
        /// Whether this follows a dropped connection.
        reconnected: bool,
    },
    /// The connection dropped (or an attempt failed); the next attempt starts after
    /// `delay`, with a fresh access token.
    Reconnecting {
        /// The attempt about to be made, from 1.
        attempt: u32,
        /// The wait before it (back-off with jitter).
        delay: Duration,
        /// Why the last connection or attempt ended.
        reason: String,
    },
    /// The subscription is over; nothing follows.
    Ended(EventEnd),
}

/// Receives a subscription's [`SubEvent`]s (Java: `Receiver`), many times: once per
/// event, on connection changes, and once at the end.
///
/// Implemented for closures `FnMut(SubEvent) + Send` (the parameter needs its type:
/// `|update: SubEvent|`), for `Sender<SubEvent>` and `SyncSender<SubEvent>` (a closed
/// receiver drops the update), and for your own types.
///
/// ```
/// use authing::{EventCallback, SubEvent};
/// struct Count(u32);
/// impl EventCallback for Count {
///     fn call(&mut self, update: SubEvent) {
///         if let SubEvent::Event(_) = update {
///             self.0 += 1;
///         }
///     }
/// }
/// let mut count = Count(0);
/// count.call(SubEvent::Event(authing::AuthEvent::from_text("{}")));
/// assert_eq!(count.0, 1);
/// ```
pub trait EventCallback: Send + 'static {
    /// Handles one update.
    fn call(&mut self, update: SubEvent);
}

impl<F> EventCallback for F
where
    F: FnMut(SubEvent) + Send + 'static,
{
    fn call(&mut self, update: SubEvent) {
        self(update)
    }
}

impl EventCallback for Sender<SubEvent> {
    fn call(&mut self, update: SubEvent) {
        let _ = self.send(update);
    }
}

impl EventCallback for SyncSender<SubEvent> {
    fn call(&mut self, update: SubEvent) {
        let _ = self.send(update);
    }
}

impl EventCallback for Box<dyn EventCallback> {
    fn call(&mut self, update: SubEvent) {
        (**self).call(update)
    }
}

impl crate::response::AuthResponse {
    /// Whether [`pub_event`](crate::AuthClient::pub_event) was accepted: statusCode 200,
    /// and `data.success` not `false` (Authing answers `{"success": true}`).
    ///
    /// ```
    /// // An unconfigured client answers 10002, nothing published.
    /// let client = authing::AuthClient::builder().build()?;
    /// assert!(!client.pub_event_blocking("myapp.hello", "hi").is_event_published());
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn is_event_published(&self) -> bool {
        self.status_code() == 200
            && self
                .data()
                .and_then(|d| d.get("success"))
                .and_then(Value::as_bool)
                != Some(false)
    }
}
