//! Slint: `slint::invoke_from_event_loop` as the client's callback executor, so every
//! callback runs on Slint's event loop, where it may touch the UI through a `slint::Weak`.

use authing::{AuthClient, AuthClientBuilder, AuthResponse, ConfigError, RequestHandle, SmsType};

slint::slint! {
    export component StatusWindow inherits Window {
        in-out property <string> status;
        Text { text: status; }
    }
}

/// The client of a Slint app: each callback runs on Slint's event-loop thread.
pub fn slint_client(builder: AuthClientBuilder) -> Result<AuthClient, ConfigError> {
    builder
        .callback_executor(|task| {
            // Queued for the event loop, which runs it on its thread (a call made before
            // the loop runs waits for it). Err when Slint has no platform yet (no
            // component created, no `set_platform`) or its loop has ended: the task is
            // then dropped unrun, and the call's handle finishes with "the callback
            // executor dropped the delivery without running it".
            let _ = slint::invoke_from_event_loop(task);
        })
        .build()
}

/// A button handler, on the UI thread: the callback shows the answer in `ui`'s `status`.
pub fn send_code(client: &AuthClient, ui: &StatusWindow) -> RequestHandle {
    let ui_weak = ui.as_weak(); // slint::Weak is Send; it upgrades only on the UI thread
    client.send_sms(
        "+86",
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        move |response: AuthResponse| {
            if let Some(ui) = ui_weak.upgrade() {
                ui.set_status(format!("answered {}", response.status_code()).into());
            }
        },
    )
}
