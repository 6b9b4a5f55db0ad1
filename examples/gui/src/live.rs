//! The event stream of the signed-in user (the SDK's `sub_event`, cargo feature `events`):
//! while someone is signed in, the window subscribes to `authing.user.logout`; when the
//! subscription ends because the session ended on the server (signed out on another
//! device, the device's sessions revoked), the window goes back to the sign-in page at once
//! and says so. The updates come through a channel drained each frame; the client's
//! delivery hook repaints the window when one arrives, as for every answer.
//!
//! The logout events themselves are not acted on: the stream carries every session's of
//! the user, and this window's own session ending is what the subscription's end says
//! (`EventEnd::SignedOut`, after the SDK tried to renew the session and could not).

use std::sync::mpsc::{self, Receiver};

use authing::{AuthClient, EventEnd, EventSubscription, SubEvent};

use crate::state::State;

/// The code the window subscribes to.
const CODE: &str = "authing.user.logout";

#[derive(Default)]
pub(crate) struct Live {
    on: Option<(EventSubscription, Receiver<SubEvent>)>,
}

impl Live {
    pub(crate) fn is_on(&self) -> bool {
        self.on.is_some()
    }

    /// Subscribes when someone is signed in and nobody is signing out; unsubscribes
    /// otherwise.
    pub(crate) fn sync(&mut self, client: &AuthClient, state: &State) {
        let wanted = state.user.is_some() && !state.signing_out;
        match (&self.on, wanted) {
            (None, true) => {
                let (tx, rx) = mpsc::channel();
                self.on = Some((client.sub_event(CODE, tx), rx));
            }
            (Some((subscription, _)), false) => {
                subscription.unsubscribe();
                self.on = None;
            }
            _ => {}
        }
    }

    /// Takes the updates that arrived: a session that ended on the server signs the window
    /// out, in words.
    pub(crate) fn drain(&mut self, state: &mut State) {
        let Some((_, updates)) = &self.on else {
            return;
        };
        let mut ended = None;
        while let Ok(update) = updates.try_recv() {
            if let SubEvent::Ended(why) = update {
                ended = Some(why);
            }
        }
        let Some(why) = ended else {
            return;
        };
        self.on = None;
        match why {
            EventEnd::SignedOut if state.user.is_some() && !state.signing_out => {
                state.sign_in_as(None);
                let text = state.lang.text().signed_out_elsewhere;
                state.error(text.to_owned());
            }
            EventEnd::SignedOut | EventEnd::Unsubscribed => {}
            // Refused or gave up: the window works without it (the next call that needs
            // the session finds out), and says why on stderr.
            other => eprintln!("authing-gui: the event stream ended: {other}"),
        }
    }
}
