//! The form widgets every screen uses: a labelled text field, an action button that is
//! disabled while a call runs, and the email-or-phone switch.

use eframe::egui::{self, Button, Color32, TextEdit};

use crate::state::{Channel, State};

/// The colour of the words that say something went wrong.
pub(crate) const ERROR_COLOR: Color32 = Color32::from_rgb(200, 40, 40);

/// A text field with its label; the label names the field for screen readers (and the
/// headless tests find it by that name).
pub(crate) fn field(ui: &mut egui::Ui, label: &str, value: &mut String, secret: bool) {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(
            TextEdit::singleline(value)
                .password(secret)
                .desired_width(220.0),
        )
        .labelled_by(label.id);
    });
}

/// A button that starts a call: disabled while any call runs, or when `ready` is false.
pub(crate) fn action(ui: &mut egui::Ui, state: &State, text: &str, ready: bool) -> bool {
    ui.add_enabled(!state.busy() && ready, Button::new(text))
        .clicked()
}

/// Email or phone.
pub(crate) fn channel(ui: &mut egui::Ui, state: &mut State) {
    let t = state.lang.text();
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.forms.channel, Channel::Email, t.by_email);
        ui.selectable_value(&mut state.forms.channel, Channel::Phone, t.by_phone);
    });
}

/// The email or phone field of the chosen channel.
pub(crate) fn target(ui: &mut egui::Ui, state: &mut State) {
    let t = state.lang.text();
    match state.forms.channel {
        Channel::Email => field(ui, t.email, &mut state.forms.email, false),
        Channel::Phone => field(ui, t.phone, &mut state.forms.phone, false),
    }
}
