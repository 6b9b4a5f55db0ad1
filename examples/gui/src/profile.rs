//! The signed-in page: the avatar, who is signed in and "Sign out" on top, then its tabs:
//! the profile (editable through `update_profile`), security (the authenticator app:
//! `security.rs`) and the sign-in history (`history.rs`).

use std::time::{Duration, Instant};

use authing::{AuthClient, Profile};
use eframe::egui::{self, RichText};

use crate::calls::Calls;
use crate::form::{self, action, field, primary, value_row};
use crate::state::{AccountTab, ProfileForm, State};
use crate::{avatar, history, security};

/// How long the page looks for the full profile after a sign-in before it keeps the
/// partial user (the SDK's fetch failed or was dropped: "Reload" still fetches it).
const FULL_PROFILE_WAIT: Duration = Duration::from_secs(30);

/// A sign-in shows the user of its id_token at once (`UserInfo::is_partial`); the SDK
/// fetches the full profile after the callback, without an answer of its own. While the
/// page shows a partial user it looks at the session's user every 100 ms (no request:
/// `get_current_user` reads memory), and when the full one is there it shows it: the form
/// fields the person has not edited take its values (company, city...), edited ones stay.
pub(crate) fn complete(ctx: &egui::Context, state: &mut State, client: &AuthClient) {
    let Some(shown) = state.user.as_ref().filter(|u| u.is_partial()) else {
        state.account.full_profile_until = None;
        return;
    };
    let until = *state
        .account
        .full_profile_until
        .get_or_insert_with(|| Instant::now() + FULL_PROFILE_WAIT);
    match client.get_current_user() {
        Some(full) if !full.is_partial() && full.user_id() == shown.user_id() => {
            let (before, after) = (ProfileForm::of(shown), ProfileForm::of(&full));
            let form = &mut state.account.profile;
            for (field, was, now) in [
                (&mut form.nickname, before.nickname, after.nickname),
                (&mut form.name, before.name, after.name),
                (&mut form.username, before.username, after.username),
                (&mut form.company, before.company, after.company),
                (&mut form.city, before.city, after.city),
            ] {
                if *field == was {
                    *field = now;
                }
            }
            state.user = Some(full);
            state.account.full_profile_until = None;
        }
        _ if Instant::now() < until => ctx.request_repaint_after(Duration::from_millis(100)),
        _ => {}
    }
}

pub(crate) fn show(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    let Some(user) = state.user.clone() else {
        return;
    };
    let who = user
        .email()
        .or(user.phone())
        .or(user.username())
        .unwrap_or(user.user_id())
        .to_owned();
    ui.horizontal(|ui| {
        avatar::badge(ui, &user, 56.0, t.avatar);
        ui.add_space(8.0);
        ui.vertical(|ui| {
            let display = user
                .nickname()
                .or(user.name())
                .or(user.username())
                .unwrap_or(&who);
            ui.label(RichText::new(display).heading().strong());
            ui.label(format!("{}{who}", t.signed_in_as));
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if action(ui, state, t.sign_out, true) {
                state.signing_out = true;
                // Sign-out clears the session even when the server cannot be reached (the
                // SDK's rule), so the profile goes away whatever the answer.
                calls.start_with(
                    state,
                    |c, cb| c.logout(cb),
                    |state, _| {
                        state.sign_in_as(None);
                        let text = state.lang.text().signed_out;
                        state.info(text);
                    },
                );
            }
        });
    });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        for (tab, name) in [
            (AccountTab::Profile, t.tab_profile),
            (AccountTab::Security, t.tab_security),
            (AccountTab::History, t.tab_history),
        ] {
            let enabled = !state.busy() || state.account.tab == tab;
            ui.add_enabled_ui(enabled, |ui| {
                ui.selectable_value(&mut state.account.tab, tab, name)
            });
        }
    });
    ui.separator();
    match state.account.tab {
        AccountTab::Profile => profile(ui, state, calls),
        AccountTab::Security => security::show(ui, state, calls),
        AccountTab::History => history::show(ui, state, calls),
    }
}

/// The profile's fields: the ones `update_profile` changes are editable; the email and
/// phone (changed with a code sent to them) and the id are shown.
fn profile(ui: &mut egui::Ui, state: &mut State, calls: &Calls<'_>) {
    let t = state.lang.text();
    let Some(user) = state.user.clone() else {
        return;
    };
    let form = &mut state.account.profile;
    form::grid(ui, "profile_form", |ui| {
        field(ui, t.nickname, &mut form.nickname, false);
        field(ui, t.name, &mut form.name, false);
        field(ui, t.username, &mut form.username, false);
        field(ui, t.company, &mut form.company, false);
        field(ui, t.city, &mut form.city, false);
        value_row(ui, t.email, user.email(), t.not_set);
        value_row(ui, t.phone, user.phone(), t.not_set);
        value_row(ui, t.user_id, Some(user.user_id()), t.not_set);
    });
    ui.weak(t.contact_note);
    ui.add_space(6.0);
    let changes = changes(&ProfileForm::of(&user), form);
    if primary(ui, state, t.save_profile, true) {
        let Some(profile) = changes else {
            state.info(t.nothing_to_save);
            return;
        };
        calls.start(
            state,
            move |c, cb| c.update_profile(profile, cb),
            |state, response| {
                // The changed user is the session's user now; the form shows it as saved.
                let user = response.user_info().ok();
                if let Some(user) = &user {
                    state.account.profile = ProfileForm::of(user);
                }
                if user.is_some() {
                    state.user = user;
                }
                let text = state.lang.text().profile_saved;
                state.info(text);
            },
        );
    }
}

/// The fields `now` changed from `was`, as a `Profile` to send; `None` when nothing did. A
/// field emptied is left as it was: the server takes no empty values.
fn changes(was: &ProfileForm, now: &ProfileForm) -> Option<Profile> {
    let mut profile = Profile::new();
    let mut any = false;
    let mut set = |old: &str, new: &str, setter: fn(&mut Profile, String)| {
        let new = new.trim();
        if !new.is_empty() && new != old {
            setter(&mut profile, new.to_owned());
            any = true;
        }
    };
    set(&was.nickname, &now.nickname, |p, v| {
        p.set_nickname(v);
    });
    set(&was.name, &now.name, |p, v| {
        p.set_name(v);
    });
    set(&was.username, &now.username, |p, v| {
        p.set_username(v);
    });
    set(&was.company, &now.company, |p, v| {
        p.set_company(v);
    });
    set(&was.city, &now.city, |p, v| {
        p.set_city(v);
    });
    any.then_some(profile)
}
