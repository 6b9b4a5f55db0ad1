//! Sign-in by password and by pass code (with its "send code", shared with recovery).

use std::time::Instant;

use authing::{AuthClient, AuthResponse, EmailType, SmsType};
use eframe::egui;

use crate::calls::Calls;
use crate::form::{self, action, field, primary};
use crate::state::{Channel, MfaStep, Notice, State};
use crate::words;

/// The password tab's form (the browser sign-in sits under it: `browser_signin`).
pub(crate) fn password(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    form::grid(ui, "password_form", |ui| {
        field(ui, t.email, &mut state.forms.email, false);
        field(ui, t.password, &mut state.forms.password, true);
    });
    ui.add_space(6.0);
    if primary(ui, state, t.sign_in, true) {
        let (email, password) = (state.forms.email.clone(), state.forms.password.clone());
        let client = calls.client.clone();
        calls.start_with(
            state,
            |c, cb| c.sign_in_by_email_password(&email, &password, None, cb),
            move |state, response| sign_in_answer(state, response, &client),
        );
    }
}

/// The pass-code tab: send a code to the email or phone, then sign in with it.
pub(crate) fn pass_code(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    form::channel(ui, state);
    ui.add_space(4.0);
    form::grid(ui, "pass_code_form", |ui| {
        form::target(ui, state);
        send_code_row(ui, state, calls, Purpose::SignIn);
        field(ui, t.code, &mut state.forms.code, false);
    });
    ui.add_space(6.0);
    if primary(ui, state, t.sign_in, true) {
        let (email, phone, code) = (
            state.forms.email.clone(),
            state.forms.phone.clone(),
            state.forms.code.clone(),
        );
        let client = calls.client.clone();
        let channel = state.forms.channel;
        calls.start_with(
            state,
            move |c, cb| match channel {
                Channel::Email => c.sign_in_by_email_pass_code(&email, &code, None, cb),
                Channel::Phone => c.sign_in_by_phone_pass_code("+86", &phone, &code, None, cb),
            },
            move |state, response| sign_in_answer(state, response, &client),
        );
    }
}

/// What a code is for.
#[derive(Clone, Copy)]
pub(crate) enum Purpose {
    SignIn,
    ResetPassword,
}

/// A [`form::grid`] row with the "send code" button (and its countdown) under the field
/// the code goes to.
pub(crate) fn send_code_row(
    ui: &mut egui::Ui,
    state: &mut State,
    calls: &Calls<'_>,
    purpose: Purpose,
) {
    ui.label("");
    ui.horizontal(|ui| send_code(ui, state, calls, purpose));
    ui.end_row();
}

/// The "send code" button, and the countdown while the server says to wait.
pub(crate) fn send_code(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>, purpose: Purpose) {
    let t = state.lang.text();
    let wait = state
        .resend_at
        .map(|at| at.saturating_duration_since(Instant::now()))
        .filter(|left| !left.is_zero());
    if action(ui, state, t.send_code, wait.is_none()) {
        let (email, phone) = (state.forms.email.clone(), state.forms.phone.clone());
        let channel = state.forms.channel;
        calls.start_with(
            state,
            move |c: &AuthClient, cb| match (channel, purpose) {
                (Channel::Email, Purpose::SignIn) => {
                    c.send_email(&email, EmailType::CHANNEL_LOGIN, cb)
                }
                (Channel::Email, Purpose::ResetPassword) => {
                    c.send_email(&email, EmailType::CHANNEL_RESET_PASSWORD, cb)
                }
                (Channel::Phone, Purpose::SignIn) => {
                    c.send_sms("+86", &phone, SmsType::CHANNEL_LOGIN, cb)
                }
                (Channel::Phone, Purpose::ResetPassword) => {
                    c.send_sms("+86", &phone, SmsType::CHANNEL_RESET_PASSWORD, cb)
                }
            },
            code_sent,
        );
    }
    if let Some(left) = wait {
        // Rounded up: "1 s" until the button comes back, never "0 s".
        let secs = left.as_millis().div_ceil(1000);
        ui.label(format!("{} {secs} {}", t.wait_before_resend, t.seconds));
        ui.ctx()
            .request_repaint_after(left.min(std::time::Duration::from_secs(1)));
    }
}

/// A send's answer: sent, throttled (the countdown starts from `retry_after()`), or failed.
fn code_sent(state: &mut State, response: AuthResponse) {
    let t = state.lang.text();
    if let Some(wait) = response.retry_after() {
        state.resend_at = Some(Instant::now() + wait);
        state.notice = Some(Notice::Error(t.err_too_often.to_owned()));
        return;
    }
    match words::failure(state.lang, &response) {
        None => state.info(t.code_sent),
        Some(words) => state.notice = Some(Notice::Error(words)),
    }
}

/// A sign-in's answer: signed in, a second step to take (the MFA page shows), or a failure
/// in words.
pub(crate) fn sign_in_answer(state: &mut State, response: AuthResponse, client: &AuthClient) {
    if let Some(challenge) = response.mfa_challenge() {
        state.forms.password.clear();
        state.forms.code.clear();
        state.mfa = Some(MfaStep {
            challenge,
            code: String::new(),
            use_recovery: false,
        });
        return;
    }
    match words::failure(state.lang, &response) {
        None => signed_in(state, client),
        Some(words) => state.error(words),
    }
}

/// After a sign-in that succeeded: the session's user becomes the profile shown.
pub(crate) fn signed_in(state: &mut State, client: &AuthClient) {
    state.forms.password.clear();
    state.forms.code.clear();
    state.notice = None;
    state.sign_in_as(client.get_current_user());
}
