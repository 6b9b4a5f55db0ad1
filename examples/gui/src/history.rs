//! The signed-in page's sign-in history: the latest sign-ins of the user
//! (`get_login_history`, when the tab is first shown), newest first. Devices are not here:
//! the SDK has no call that lists them yet, and the window shows none rather than made-up
//! ones.

use eframe::egui::{self, RichText};

use crate::calls::Calls;
use crate::form::{action, ERROR_COLOR};
use crate::state::{Load, State};
use crate::text::Text;
use crate::words;

/// How many sign-ins the tab shows.
const LATEST: u32 = 10;

pub(crate) fn show(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    let history = match &state.account.history {
        Load::Loaded(history) => history,
        Load::NotYet => {
            if !state.busy() {
                load(state, calls);
            }
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t.loading);
            });
            return;
        }
        Load::Failed => {
            if action(ui, state, t.retry, true) {
                load(state, calls);
            }
            return;
        }
    };
    if history.list().is_empty() {
        ui.weak(t.history_none);
    } else {
        ui.label(format!("{} {}", t.history_total, history.total_count()));
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                egui::Grid::new("history")
                    .num_columns(4)
                    .striped(true)
                    .spacing([14.0, 6.0])
                    .show(ui, |ui| {
                        for head in [
                            t.history_when,
                            t.history_how,
                            t.history_from,
                            t.history_result,
                        ] {
                            ui.label(RichText::new(head).strong());
                        }
                        ui.end_row();
                        for record in history.list() {
                            ui.label(when(record.login_at()));
                            ui.label(method(t, record.login_method()));
                            ui.label(record.client_ip());
                            if record.success() {
                                ui.label(t.history_ok);
                            } else {
                                let why = record.error_message().unwrap_or_default();
                                ui.label(RichText::new(t.history_failed).color(ERROR_COLOR))
                                    .on_hover_text(why);
                            }
                            ui.end_row();
                        }
                    });
            });
    }
    ui.add_space(8.0);
    ui.weak(t.devices_note);
    ui.add_space(4.0);
    if action(ui, state, t.refresh, true) {
        load(state, calls);
    }
}

/// `2026-12-06T18:42:07.123Z` as `2026-12-06 18:42`.
fn when(at: &str) -> String {
    let at = at.replace('T', " ");
    at.get(..16).map(str::to_owned).unwrap_or(at)
}

/// A sign-in's method (the connection), in words.
fn method<'a>(t: &'a Text, method: &'a str) -> &'a str {
    match method {
        "PASSWORD" => t.method_password,
        "PASSCODE" => t.method_pass_code,
        "MFA" => t.method_mfa,
        other => other,
    }
}

/// Asks for the latest sign-ins.
fn load(state: &mut State, calls: &Calls<'_>) {
    // A load the tab starts by itself keeps the line under the page (what the last action
    // said), which starting a call would clear.
    let notice = state.notice.take();
    calls.start_with(
        state,
        |c, cb| c.get_login_history(None, None, None, None, None, 1, LATEST, cb),
        |state, response| match response.login_history() {
            Ok(page) => state.account.history = Load::Loaded(page),
            Err(_) => {
                state.account.history = Load::Failed;
                if let Some(words) = words::failure(state.lang, &response) {
                    state.error(words);
                }
            }
        },
    );
    state.notice = notice;
}
