//! The signed-in page's security tab: the second factor. It lists the user's factors
//! (`list_enrolled_factors`, when the tab is first shown) and enrols an authenticator app:
//! `send_enroll_factor_request(OTP)` answers the `otpauth://` URI, its secret and a
//! recovery code, shown as a QR code and as text; the app's current code confirms it
//! (`enroll_factor`). "Remove" takes it away again (`reset_factor`).

use authing::{AuthClient, FactorProfile, FactorType};
use eframe::egui::{self, Label, RichText};

use crate::calls::Calls;
use crate::form::{self, action, field, primary};
use crate::qr_view;
use crate::state::{Load, State};
use crate::words;

pub(crate) fn show(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    let factors = match &state.account.factors {
        Load::Loaded(factors) => factors,
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
    let otp = factors
        .iter()
        .find(|f| f.factor_type() == Some(FactorType::OTP))
        .map(|f| f.factor_id().to_owned());
    ui.label(RichText::new(t.mfa_title).strong());
    let mut remove = false;
    form::grid(ui, "factors", |ui| {
        ui.label(t.mfa_factor_otp);
        if otp.is_some() {
            ui.horizontal(|ui| {
                ui.label(RichText::new(t.mfa_status_on).color(ui.visuals().hyperlink_color));
                remove = action(ui, state, t.mfa_remove, true);
            });
        } else {
            ui.weak(t.mfa_status_off);
        }
        ui.end_row();
    });
    ui.add_space(6.0);
    if let Some(factor_id) = otp {
        if remove {
            calls.start(
                state,
                move |c, cb| c.reset_factor(&factor_id, cb),
                |state, _| {
                    state.account.factors = Load::NotYet;
                    let text = state.lang.text().mfa_removed;
                    state.info(text);
                },
            );
        }
        return;
    }
    match state.account.enrolment.clone() {
        None => {
            if primary(ui, state, t.mfa_setup, true) {
                calls.start(
                    state,
                    |c, cb| c.send_enroll_factor_request(FactorType::OTP, FactorProfile::new(), cb),
                    |state, response| match response.enroll_factor_request_data() {
                        Ok(data) => state.account.enrolment = Some(data),
                        Err(e) => state.error(e.to_string()),
                    },
                );
            }
        }
        Some(enrolment) => {
            let Some(otp) = enrolment.otp_data() else {
                return;
            };
            ui.label(t.mfa_scan);
            ui.horizontal(|ui| {
                match qrcode::QrCode::new(otp.qr_code_uri()) {
                    Ok(code) => {
                        let width = code.width();
                        let rows: Vec<Vec<bool>> = code
                            .to_colors()
                            .chunks(width)
                            .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
                            .collect();
                        qr_view::paint_sized(ui, &rows, t.mfa_qr, 3.0);
                    }
                    Err(e) => {
                        ui.label(e.to_string());
                    }
                }
                ui.vertical(|ui| {
                    if let Some(secret) = otp.secret() {
                        ui.label(t.mfa_key);
                        ui.add(
                            Label::new(RichText::new(secret).monospace().strong()).selectable(true),
                        );
                    }
                    if let Some(recovery) = otp.recovery_code() {
                        ui.add_space(4.0);
                        ui.label(t.mfa_recovery_keep);
                        ui.add(Label::new(RichText::new(recovery).monospace()).selectable(true));
                    }
                });
            });
            ui.add(
                Label::new(RichText::new(otp.qr_code_uri()).monospace().small().weak())
                    .selectable(true)
                    .wrap(),
            );
            ui.add_space(4.0);
            let token = enrolment.enrollment_token().to_owned();
            form::grid(ui, "enrol_form", |ui| {
                field(ui, t.mfa_confirm_code, &mut state.account.enrol_code, false);
            });
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let code = state.account.enrol_code.trim().to_owned();
                if primary(ui, state, t.mfa_confirm, !code.is_empty()) {
                    calls.start_with(
                        state,
                        move |c: &AuthClient, cb| {
                            c.enroll_factor(FactorType::OTP, &token, &code, cb)
                        },
                        |state, response| match words::failure(state.lang, &response) {
                            None => {
                                state.account.enrolment = None;
                                state.account.enrol_code.clear();
                                state.account.factors = Load::NotYet;
                                let text = state.lang.text().mfa_enrolled;
                                state.info(text);
                            }
                            Some(words) => {
                                state.account.enrol_code.clear();
                                state.error(words);
                            }
                        },
                    );
                }
                if action(ui, state, t.cancel, true) {
                    state.account.enrolment = None;
                    state.account.enrol_code.clear();
                }
            });
        }
    }
}

/// Asks for the user's factors.
fn load(state: &mut State, calls: &Calls<'_>) {
    // A load the tab starts by itself keeps the line under the page (what the last action
    // said), which starting a call would clear.
    let notice = state.notice.take();
    calls.start_with(
        state,
        |c, cb| c.list_enrolled_factors(cb),
        |state, response| match response.factor_list() {
            Ok(list) => state.account.factors = Load::Loaded(list),
            Err(_) => {
                state.account.factors = Load::Failed;
                if let Some(words) = words::failure(state.lang, &response) {
                    state.error(words);
                }
            }
        },
    );
    state.notice = notice;
}
