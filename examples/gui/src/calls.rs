//! Starting a call from a button: the one place where the window meets the SDK's
//! callbacks. Each handler is an ordinary closure over `&mut State` that stays on the UI
//! thread (the SDK's `Inbox`); the client's delivery hook repaints the window when an
//! answer arrives, and the next frame runs the handler.

use authing::{codes, AuthClient, AuthResponse, Inbox, InboxCallback, RequestHandle};

use crate::state::{Notice, Running, State};
use crate::words;

/// What a button needs to start a call.
pub(crate) struct Calls<'a> {
    pub client: &'a AuthClient,
    pub inbox: &'a Inbox<State>,
}

impl Calls<'_> {
    /// Starts a call with `start` and runs `on_success` with its answer when it succeeds.
    /// A failure shows its words under the forms; a cancellation says "Cancelled".
    pub(crate) fn start(
        &self,
        state: &mut State,
        start: impl FnOnce(&AuthClient, InboxCallback) -> RequestHandle,
        on_success: impl FnOnce(&mut State, AuthResponse) + 'static,
    ) {
        self.start_with(state, start, move |state, response| {
            let lang = state.lang;
            match words::failure(lang, &response) {
                None => on_success(state, response),
                Some(words) => state.notice = Some(Notice::Error(words)),
            }
        });
    }

    /// As [`start`](Self::start), with a handler that sees every answer but a cancellation.
    pub(crate) fn start_with(
        &self,
        state: &mut State,
        start: impl FnOnce(&AuthClient, InboxCallback) -> RequestHandle,
        handler: impl FnOnce(&mut State, AuthResponse) + 'static,
    ) {
        let callback = self
            .inbox
            .callback(move |state: &mut State, response: AuthResponse| {
                state.running = None;
                if response.status_code() == codes::CANCELLED {
                    let text = state.lang.text().cancelled;
                    state.info(text);
                } else {
                    handler(state, response);
                }
            });
        let handle = start(self.client, callback);
        state.notice = None;
        state.running = Some(Running {
            handle,
            browser: None,
        });
    }
}
