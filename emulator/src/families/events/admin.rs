//! The events family's admin API and its mirror on the [`Emulator`] handle:
//! - `POST /emulator/v1/events/drop`: cuts every open event stream at once (no close
//!   frame), to test reconnection; a stream of the same user and code opened next gets
//!   the events from the last one each cut stream had been sent (that one again, so a
//!   client must recognise the replay, then any it missed). [`Emulator::drop_event_streams`].
//! - `POST /emulator/v1/events/publish {user, code, data}`: publishes as the app's
//!   backend would (Authing's management `pub-userEvent`), any code, `authing.*`
//!   included. [`Emulator::publish_event`].
//! - `GET /emulator/v1/events`: `{subscribers, events}`, the open streams and the events
//!   published (latest 1000). [`Emulator::event_subscribers`], [`Emulator::published_events`].

use serde_json::{json, Value};

use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::{Emulator, EmulatorError, UserIdentity};

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

fn only(request: &Request, method: &'static str) -> Option<Response> {
    (request.method != method)
        .then(|| error(405, "method not allowed on this endpoint").header("Allow", method))
}

fn drop_all(shared: &Shared) -> usize {
    shared.state().families.events.drop_all()
}

/// Publishes `code` with `data` to the streams of the user `query` names.
fn publish(shared: &Shared, query: &str, code: &str, data: Value) -> Result<Value, EmulatorError> {
    let mut state = shared.state();
    let id = state
        .users
        .by_query(query)
        .and_then(|i| state.users.get(i))
        .map(|u| u.id.clone())
        .ok_or_else(|| EmulatorError::InvalidUser(format!("no user {query:?}")))?;
    let now = state
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    Ok(state.families.events.publish(&id, code, data, now))
}

/// The family's admin routes.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    match path {
        "/emulator/v1/events/drop" => Some(only(request, "POST").unwrap_or_else(|| {
            Response::json(&json!({ "ok": true, "dropped": drop_all(shared) }))
        })),
        "/emulator/v1/events/publish" => Some(only(request, "POST").unwrap_or_else(|| {
            let body: Value = match serde_json::from_slice(&request.body) {
                Ok(v @ Value::Object(_)) => v,
                _ => return error(400, "request body must be a json object"),
            };
            let (Some(user), Some(code)) = (body["user"].as_str(), body["code"].as_str()) else {
                return error(400, "user and code are required strings");
            };
            match publish(shared, user, code, body["data"].clone()) {
                Ok(event) => Response::json(&json!({ "ok": true, "event": event })),
                Err(e) => error(404, &e.to_string()),
            }
        })),
        "/emulator/v1/events" => Some(only(request, "GET").unwrap_or_else(|| {
            let state = shared.state();
            Response::json(&json!({
                "subscribers": state.families.events.subscribers(),
                "events": state.families.events.log(),
            }))
        })),
        _ => None,
    }
}

impl Emulator {
    /// Cuts every open event stream at once, as a network failure would (no close
    /// frame); their clients reconnect. Returns how many were cut. The next stream of
    /// the same user and code is sent the events from the last one each cut stream had
    /// been sent: that one again (a replay its client must recognise by id), then those
    /// published meanwhile.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.drop_event_streams(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn drop_event_streams(&self) -> usize {
        drop_all(&self.server.shared)
    }

    /// Publishes the event `code` with `data` to the event streams of the user named by
    /// `identity` (user id, username, email, phone), as the app's own backend would; the
    /// event as sent (`{id, eventType, eventData, userId, timestamp}`).
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// let event = emulator.publish_event("alice", "myapp.notice", serde_json::json!({"n": 1}))?;
    /// assert_eq!(event["eventType"], "myapp.notice");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn publish_event(
        &self,
        identity: &(impl UserIdentity + ?Sized),
        code: &str,
        data: Value,
    ) -> Result<Value, EmulatorError> {
        publish(&self.server.shared, &identity.identity(), code, data)
    }

    /// How many event streams are open now.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.event_subscribers(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn event_subscribers(&self) -> usize {
        self.server.shared.state().families.events.subscribers()
    }

    /// The events published (by state changes, `pub-userEvent` and
    /// [`publish_event`](Self::publish_event)), oldest first, the latest 1000.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.published_events().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn published_events(&self) -> Vec<serde_json::Value> {
        self.server.shared.state().families.events.log()
    }
}
