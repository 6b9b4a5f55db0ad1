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
}

impl Live {
    pub(crate) fn is_on(&self) -> bool {
        self.on.as_ref().is_some_and(|s| s.end().is_none())
    }

    /// Subscribes when someone is signed in and nobody is signing out; unsubscribes
    /// otherwise. A subscription that ended by itself is let go (a new sign-in starts
    /// another).
    pub(crate) fn sync(&mut self, client: &AuthClient, inbox: &Inbox<State>, state: &State) {
        if self.on.as_ref().is_some_and(|s| s.end().is_some()) {
            self.on = None;
        }
        let wanted = state.user.is_some() && !state.signing_out;
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
