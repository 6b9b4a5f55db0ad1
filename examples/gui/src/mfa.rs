//! The second step of a sign-in, when the sign-in answered `is_mfa_required()`: the code of
//! the authenticator app (`mfa_verify_by_otp`), or one of its recovery codes
//! (`mfa_verify_by_recovery_code`). Either ends the sign-in as a one-step one does.

use authing::{ApiCode, AuthClient, AuthError, AuthResponse, FactorType};
use eframe::egui;

use crate::calls::Calls;
use crate::form::{self, action, field, primary};
use crate::signin::signed_in;
use crate::state::State;
use crate::words;

pub(crate) fn show(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    let Some(step) = state.mfa.as_mut() else {
        return;
    };
    ui.heading(t.mfa_title);
    ui.add_space(4.0);
    let offered = step.challenge.factors();
    if !offered.is_empty() && !offered.contains(&FactorType::OTP) {
        // SMS and email second steps need their own "send code": not in this sample.
        let names: Vec<&str> = offered.iter().map(|f| f.as_str()).collect();
        ui.label(format!("{} {}", t.mfa_other_factors, names.join(", ")));
    } else {
        ui.label(t.mfa_explain);
    }
    ui.add_space(8.0);
    form::grid(ui, "mfa_form", |ui| {
        if step.use_recovery {
            field(ui, t.recovery_code, &mut step.code, false);
        } else {
            field(ui, t.mfa_code, &mut step.code, false);
        }
    });
    let switch = if step.use_recovery {
        t.mfa_use_app
    } else {
        t.mfa_use_recovery
    };
    if ui.link(switch).clicked() {
        step.use_recovery = !step.use_recovery;
        step.code.clear();
    }
    ui.add_space(6.0);
    let (code, recovery) = (step.code.trim().to_owned(), step.use_recovery);
    ui.horizontal(|ui| {
        if primary(ui, state, t.verify, !code.is_empty()) {
            let client = calls.client.clone();
            calls.start_with(
                state,
                move |c: &AuthClient, cb| {
                    if recovery {
                        c.mfa_verify_by_recovery_code(&code, cb)
                    } else {
                        c.mfa_verify_by_otp(&code, cb)
                    }
                },
                move |state, response| match words::failure(state.lang, &response) {
                    None => {
                        // A recovery code works once: the server hands out the next one.
                        let next = response.recovery_code().map(str::to_owned);
                        signed_in(state, &client);
                        if let Some(next) = next {
                            let lead = state.lang.text().mfa_new_recovery;
                            state.info(&format!("{lead} {next}"));
                        }
                    }
                    Some(_) if challenge_over(&response) => {
                        // Expired, or voided after too many wrong codes: sign in again.
                        state.mfa = None;
                        let text = state.lang.text().err_mfa_expired;
                        state.error(text.to_owned());
                    }
                    Some(words) => {
                        if let Some(step) = state.mfa.as_mut() {
                            step.code.clear();
                        }
                        state.error(words);
                    }
                },
            );
        }
        if action(ui, state, t.back, true) {
            state.mfa = None;
            state.notice = None;
        }
    });
}

/// Whether the answer says the sign-in's challenge is over: the server no longer knows its
/// `mfaToken` (apiCode 2020), or the SDK has none pending.
fn challenge_over(response: &AuthResponse) -> bool {
    ApiCode(response.api_code()) == ApiCode::NOT_SIGNED_IN
        || matches!(response.error(), Some(AuthError::NoMfaChallenge { .. }))
}
