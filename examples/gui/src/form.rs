//! The form widgets every screen uses: a grid of labelled text fields, an action button
//! that is disabled while a call runs, and the email-or-phone switch.

use eframe::egui::{self, Button, Color32, RichText, TextEdit, Vec2};

use crate::state::{Channel, State};

/// The colour of the words that say something went wrong.
pub(crate) const ERROR_COLOR: Color32 = Color32::from_rgb(200, 40, 40);

/// How wide a text field is.
pub(crate) const FIELD_WIDTH: f32 = 300.0;

/// A form's label-and-field grid: labels in one column, right-aligned fields beside them,
/// so the fields line up whatever the language.
pub(crate) fn grid<R>(ui: &mut egui::Ui, id: &str, rows: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([12.0, 10.0])
        .min_col_width(96.0)
        .show(ui, rows)
        .inner
}

/// A row of a [`grid`]: a text field with its label; the label names the field for screen
/// readers (and the headless tests find it by that name).
pub(crate) fn field(ui: &mut egui::Ui, label: &str, value: &mut String, secret: bool) {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(value)
            .password(secret)
            .desired_width(FIELD_WIDTH),
    )
    .labelled_by(label.id);
    ui.end_row();
}

/// A row of a [`grid`] that only shows a value (`-` style words when there is none).
pub(crate) fn value_row(ui: &mut egui::Ui, label: &str, value: Option<&str>, none: &str) {
    ui.label(label);
    match value.filter(|v| !v.is_empty()) {
        Some(value) => ui.add(egui::Label::new(value).selectable(true)),
        None => ui.weak(none),
    };
    ui.end_row();
}

/// A button that starts a call: disabled while any call runs, or when `ready` is false.
pub(crate) fn action(ui: &mut egui::Ui, state: &State, text: &str, ready: bool) -> bool {
    ui.add_enabled(!state.busy() && ready, Button::new(text))
        .clicked()
}

/// The form's main button, wider and stronger than the others; otherwise as [`action`].
pub(crate) fn primary(ui: &mut egui::Ui, state: &State, text: &str, ready: bool) -> bool {
    let button = Button::new(RichText::new(text).strong().color(Color32::WHITE))
        .fill(crate::app::BRAND)
        .min_size(Vec2::new(120.0, 30.0));
    ui.add_enabled(!state.busy() && ready, button).clicked()
}

/// Email or phone.
pub(crate) fn channel(ui: &mut egui::Ui, state: &mut State) {
    let t = state.lang.text();
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.forms.channel, Channel::Email, t.by_email);
        ui.selectable_value(&mut state.forms.channel, Channel::Phone, t.by_phone);
    });
}

/// The [`grid`] row of the email or phone field of the chosen channel.
pub(crate) fn target(ui: &mut egui::Ui, state: &mut State) {
    let t = state.lang.text();
    match state.forms.channel {
        Channel::Email => field(ui, t.email, &mut state.forms.email, false),
        Channel::Phone => field(ui, t.phone, &mut state.forms.phone, false),
    }
}
