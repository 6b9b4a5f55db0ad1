//! The signed-in user's profile, with "Sign out".

use eframe::egui;

use crate::calls::Calls;
use crate::form::action;
use crate::state::State;

pub(crate) fn show(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    let Some(user) = state.user.as_ref() else {
        return;
    };
    let who = user
        .email()
        .or(user.phone())
        .or(user.username())
        .unwrap_or(user.user_id())
        .to_owned();
    ui.heading(format!("{} {who}", t.signed_in_as));
    egui::Grid::new("profile").show(ui, |ui| {
        ui.label(t.user_id);
        ui.label(user.user_id());
        ui.end_row();
        ui.label(t.nickname);
        ui.label(user.nickname().unwrap_or("-"));
        ui.end_row();
    });
    if action(ui, state, t.sign_out, true) {
        // Sign-out clears the session even when the server cannot be reached (the SDK's
        // rule), so the profile goes away whatever the answer.
        calls.start_with(
            state,
            |c, cb| c.logout(cb),
            |state, _| {
                state.user = None;
                let text = state.lang.text().signed_out;
                state.info(text);
            },
        );
    }
}
