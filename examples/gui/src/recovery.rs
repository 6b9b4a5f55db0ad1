//! Forgot password: send a code to the email or phone, verify it for a reset token, set
//! the new password.

use authing::{PasswordEncryptType, ResetPasswordPayload, ResetPasswordVerifyMethod};
use eframe::egui;

use crate::calls::Calls;
use crate::form::{self, field, primary};
use crate::signin::{send_code_row, Purpose};
use crate::state::{Channel, State};

pub(crate) fn show(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    if let Some(token) = state.reset_token.clone() {
        form::grid(ui, "new_password_form", |ui| {
            field(ui, t.new_password, &mut state.forms.new_password, true);
        });
        ui.add_space(6.0);
        if primary(ui, state, t.set_password, true) {
            let password = state.forms.new_password.clone();
            calls.start(
                state,
                move |c, cb| c.reset_password(token, &password, PasswordEncryptType::none, cb),
                |state, _| {
                    state.reset_token = None;
                    state.forms.new_password.clear();
                    state.forms.code.clear();
                    let text = state.lang.text().password_changed;
                    state.info(text);
                },
            );
        }
        return;
    }
    form::channel(ui, state);
    ui.add_space(4.0);
    form::grid(ui, "recovery_form", |ui| {
        form::target(ui, state);
        send_code_row(ui, state, calls, Purpose::ResetPassword);
        field(ui, t.code, &mut state.forms.code, false);
    });
    ui.add_space(6.0);
    if primary(ui, state, t.verify, true) {
        let mut payload = ResetPasswordPayload::new();
        let method = match state.forms.channel {
            Channel::Email => {
                payload.set_email(state.forms.email.as_str());
                ResetPasswordVerifyMethod::EMAIL_PASSCODE
            }
            Channel::Phone => {
                payload
                    .set_phone_country_code("+86")
                    .set_phone_number(state.forms.phone.as_str());
                ResetPasswordVerifyMethod::PHONE_PASSCODE
            }
        };
        payload.set_pass_code(state.forms.code.as_str());
        calls.start(
            state,
            move |c, cb| c.reset_password_request(method, payload, cb),
            |state, response| match response.reset_password_data() {
                Ok(data) => {
                    state.reset_token = Some(data.password_reset_token().into());
                    let text = state.lang.text().code_verified;
                    state.info(text);
                }
                Err(e) => state.notice = Some(crate::state::Notice::Error(e.to_string())),
            },
        );
    }
}
