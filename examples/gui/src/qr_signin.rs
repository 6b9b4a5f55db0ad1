//! QR-code sign-in: show the code the SDK generated, follow its status, sign in when the
//! phone confirms. The status listener must be `Send` (it runs per update, not once), so
//! its updates come through a channel the window drains each frame; the delivery hook
//! repaints the window after each one.

use std::sync::mpsc::Sender;

use authing::{QrCodeSignInOptions, QrCodeStatus, QrCodeUpdate};
use eframe::egui;

use crate::calls::Calls;
use crate::form::primary;
use crate::qr_view;
use crate::signin::signed_in;
use crate::state::State;

pub(crate) fn show(
    ui: &mut egui::Ui,
    state: &mut State,
    calls: &Calls<'_>,
    updates: &Sender<QrCodeUpdate>,
    options: &QrCodeSignInOptions,
) {
    let t = state.lang.text();
    if primary(ui, state, t.show_qr, true) {
        state.qr = None;
        let tx = updates.clone();
        let client = calls.client.clone();
        let options = options.clone();
        calls.start(
            state,
            move |c, cb| {
                c.sign_in_by_qr_code(
                    options,
                    move |update: QrCodeUpdate| {
                        let _ = tx.send(update);
                    },
                    cb,
                )
            },
            move |state, _| {
                state.qr = None;
                signed_in(state, &client);
            },
        );
    }
    let Some(update) = state.qr.as_ref().filter(|_| state.busy()) else {
        return;
    };
    match update.status() {
        QrCodeStatus::PENDING => {
            ui.label(t.qr_scan);
        }
        QrCodeStatus::SCANNED => {
            ui.label(t.qr_scanned);
        }
        other => {
            ui.label(format!("{} {other}", t.qr_other));
        }
    }
    match update.qr_code().to_matrix() {
        Ok(rows) => qr_view::paint(ui, &rows, t.qr_image),
        Err(e) => {
            ui.label(e.to_string());
        }
    }
}
