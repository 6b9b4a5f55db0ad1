//! GTK with an `authing::Inbox` instead of an executor: the handlers stay on the GTK
//! thread and need not be `Send` (they take widgets); a glib timeout source on the default
//! main context drains the inbox.

use std::rc::Rc;
use std::time::Duration;

use authing::{AuthClient, AuthResponse, Inbox, RequestHandle, SmsType};
use gtk::glib;

/// How often the source drains the inbox: an answer waits at most about this long for
/// its handler.
pub const DRAIN_EVERY: Duration = Duration::from_millis(50);

/// Runs the handlers of the answers that have arrived in `inbox`, every [`DRAIN_EVERY`],
/// with `state`, on the thread that iterates the default main context (GTK's). Call it on
/// that thread; remove the returned source to stop.
pub fn drain_inbox<S: 'static>(inbox: Rc<Inbox<S>>, mut state: S) -> glib::SourceId {
    glib::timeout_add_local(DRAIN_EVERY, move || {
        inbox.run_pending(&mut state);
        glib::ControlFlow::Continue
    })
}

/// A button handler, on the GTK thread: the handler gets the label, the inbox's state.
/// The client needs no executor.
pub fn send_code(client: &AuthClient, inbox: &Inbox<gtk::Label>) -> RequestHandle {
    client.send_sms(
        "+86",
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        inbox.callback(|label: &mut gtk::Label, response: AuthResponse| {
            label.set_text(&format!("answered {}", response.status_code()));
        }),
    )
}
