//! The event stream of the signed-in user (the SDK's `sub_event`, cargo feature `events`):
//! while someone is signed in, the window subscribes to `authing.user.logout`; when the
//! subscription ends because the session ended on the server (signed out on another
//! device, the device's sessions revoked), the window goes back to the sign-in page at once
//! and says so. The updates come through the window's `Inbox` like every answer
//! (`Inbox::event_callback`: the handler runs on the UI thread with `&mut State`), and the
//! client's delivery hook repaints the window when one arrives.
//!
//! The logout events themselves are not acted on: the stream carries every session's of
//! the user, and this window's own session ending is what the subscription's end says
//! (`EventEnd::SignedOut`, after the SDK tried to renew the session and could not).

use authing::{AuthClient, EventEnd, EventSubscription, Inbox, SubEvent};

use crate::state::State;

/// The code the window subscribes to.
const CODE: &str = "authing.user.logout";

#[derive(Default)]
pub(crate) struct Live {
    on: Option<EventSubscription>,
    /// The user whose subscription ended by itself (refused, gave up, signed out): no
    /// other is started for them until a new sign-in (the user signed out, or another one
    /// signed in). Without it, a refused subscription would be started again every frame.
    ended_for: Option<String>,
}

impl Live {
    pub(crate) fn is_on(&self) -> bool {
        self.on.as_ref().is_some_and(|s| s.end().is_none())
    }

    /// Subscribes when someone is signed in and nobody is signing out; unsubscribes
    /// otherwise. A subscription that ended by itself is let go, and not started again for
    /// the same user: a new sign-in starts another.
    pub(crate) fn sync(&mut self, client: &AuthClient, inbox: &Inbox<State>, state: &State) {
        let user = state.user.as_ref().map(|u| u.user_id());
        self.sync_for(client, inbox, user, state.signing_out);
    }

    /// [`sync`](Self::sync) for the user signed in (by id), if any.
    fn sync_for(
        &mut self,
        client: &AuthClient,
        inbox: &Inbox<State>,
        user: Option<&str>,
        signing_out: bool,
    ) {
        if self.ended_for.as_deref() != user {
            self.ended_for = None;
        }
        if self.on.as_ref().is_some_and(|s| s.end().is_some()) {
            self.on = None;
            self.ended_for = user.map(str::to_owned);
        }
        let wanted = user.is_some() && !signing_out && self.ended_for.is_none();
        match (&self.on, wanted) {
            (None, true) => {
                self.on = Some(client.sub_event(CODE, inbox.event_callback(on_update)));
            }
            (Some(subscription), false) => {
                subscription.unsubscribe();
                self.on = None;
            }
            _ => {}
        }
    }
}

/// One update of the stream, on the UI thread: a session that ended on the server signs
/// the window out, in words.
fn on_update(state: &mut State, update: SubEvent) {
    let SubEvent::Ended(why) = update else {
        return;
    };
    match why {
        EventEnd::SignedOut if state.user.is_some() && !state.signing_out => {
            state.sign_in_as(None);
            let text = state.lang.text().signed_out_elsewhere;
            state.error(text.to_owned());
        }
        EventEnd::SignedOut | EventEnd::Unsubscribed => {}
        // Refused or gave up: the window works without it (the next call that needs the
        // session finds out), and says why on stderr.
        other => eprintln!("authing-gui: the event stream ended: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_refused_subscription_is_not_started_again_until_a_new_sign_in() {
        // No session, and a ws:// event host with an https:// app host: every subscription
        // ends by itself at once, and nothing goes on the network.
        let client = AuthClient::builder()
            .app_id("app")
            .app_host("https://auth.example.com")
            .web_socket_host("ws://127.0.0.1:9")
            .build()
            .unwrap();
        let inbox: Inbox<State> = Inbox::new();
        let mut live = Live::default();
        live.sync_for(&client, &inbox, Some("u1"), false);
        let first = live.on.clone().expect("subscribed");
        // Ended by itself (not signed in to this client: signed out; else refused).
        let end = first.wait(Duration::from_secs(10));
        assert!(
            end.is_some() && end != Some(EventEnd::Unsubscribed),
            "{end:?}"
        );
        for _ in 0..5 {
            live.sync_for(&client, &inbox, Some("u1"), false);
            assert!(live.on.is_none(), "not subscribed again for the same user");
        }
        // Signed out, then signed in again: a new subscription.
        live.sync_for(&client, &inbox, None, false);
        assert!(live.on.is_none());
        live.sync_for(&client, &inbox, Some("u1"), false);
        assert!(live.on.is_some(), "a new sign-in subscribes again");
    }
}
