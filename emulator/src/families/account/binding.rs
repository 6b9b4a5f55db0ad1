//! The phone and email endpoints of the account family: bind, unbind, and change (verify
//! the passcodes for a one-time token, then change with it).
//!
//! The channels the passcodes must have been sent on are **the emulator's choice** where
//! Authing does not document them: binding and a new phone `CHANNEL_BIND_PHONE`, the old
//! phone `CHANNEL_UNBIND_PHONE`; binding an email `CHANNEL_BIND_EMAIL`, a new email
//! `CHANNEL_UPDATE_EMAIL`, the old email `CHANNEL_UNBIND_EMAIL`.

use serde_json::{Map, Value};

use crate::core::codes::USER_EXISTS;
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{bad_target, email_target, opt_obj, opt_str, phone_target, req_str};
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::core::users::User;
use crate::families::account::codes::{
    ALREADY_BOUND, BAD_ACCOUNT_TOKEN, LAST_SIGN_IN_METHOD, NOT_BOUND,
};
use crate::families::account::msg::{AccountMsg, Contact};
use crate::families::account::state::Action;
use crate::families::account::{
    refused, require_user, signed_in, spend_code, token_answer, user_mut,
};
use crate::families::session::msg::SessionMsg;
use crate::http::server::Shared;
use crate::http::Request;

/// The routes of this file.
pub(crate) fn route(path: &str) -> Option<Route> {
    let handler: fn(&Shared, &Request, &Map<String, Value>) -> Outcome = match path {
        "/api/v3/bind-phone" => bind_phone,
        "/api/v3/unbind-phone" => unbind_phone,
        "/api/v3/bind-email" => bind_email,
        "/api/v3/unbind-email" => unbind_email,
        "/api/v3/verify-update-phone-request" => verify_update_phone,
        "/api/v3/update-phone" => update_phone,
        "/api/v3/verify-update-email-request" => verify_update_email,
        "/api/v3/update-email" => update_email,
        _ => return None,
    };
    Some(Route {
        method: "POST",
        endpoint: Endpoint::EnvelopeWith(handler),
    })
}

fn contact(target: &Target) -> Contact {
    match target {
        Target::Phone { .. } => Contact::Phone,
        Target::Email(_) => Contact::Email,
    }
}

/// The user's phone or email, of `kind`.
fn own(user: &User, kind: Contact) -> Option<Target> {
    match kind {
        Contact::Phone => user
            .phone
            .clone()
            .map(|(cc, number)| Target::Phone { cc, number }),
        Contact::Email => user.email.clone().map(Target::Email),
    }
}

/// Whether the user could still sign in without its `kind`: by the other one of phone
/// and email (with a passcode), by a username with a password, or through a directory.
fn other_way_in(user: &User, kind: Contact) -> bool {
    let other = match kind {
        Contact::Phone => user.email.is_some(),
        Contact::Email => user.phone.is_some(),
    };
    other || (user.username.is_some() && user.hash_for(None).is_some()) || user.directory.is_some()
}

/// Makes `target` the user's phone or email, verified.
fn assign(user: &mut User, target: Target, now: std::time::SystemTime) {
    match target {
        Target::Phone { cc, number } => {
            user.phone = Some((cc, number));
            user.phone_verified = true;
        }
        Target::Email(email) => {
            user.email = Some(email);
            user.email_verified = true;
        }
    }
    user.updated_at = now;
}

/// Refuses `target` when another user than the one at `index` has it (409, 2305).
fn not_taken(state: &State, index: usize, target: &Target) -> Result<(), Failure> {
    match state.users.by_target(target) {
        Some(other) if other != index => Err(Failure::new(
            409,
            Some(USER_EXISTS),
            Msg::family(SessionMsg::UserExists),
        )),
        _ => Ok(()),
    }
}

/// Binds `target` to the signed-in user, who has none of its kind, with the passcode sent
/// to it on `channel`.
fn bind(shared: &Shared, request: &Request, target: Target, code: &str, channel: &str) -> Outcome {
    let kind = contact(&target);
    let mut guard = shared.state();
    let state = &mut *guard;
    let index = signed_in(state, request)?;
    if own(user_mut(state, index)?, kind).is_some() {
        return Err(refused(422, ALREADY_BOUND, AccountMsg::AlreadyBound(kind)));
    }
    not_taken(state, index, &target)?;
    spend_code(shared, state, &target, channel, code)?;
    let now = state.now();
    assign(user_mut(state, index)?, target, now);
    Ok(None)
}

/// Unbinds the signed-in user's `kind`, with the passcode sent to it on `channel`.
fn unbind(shared: &Shared, request: &Request, kind: Contact, code: &str, channel: &str) -> Outcome {
    let mut guard = shared.state();
    let state = &mut *guard;
    let index = signed_in(state, request)?;
    let user = user_mut(state, index)?;
    let target =
        own(user, kind).ok_or_else(|| refused(422, NOT_BOUND, AccountMsg::NotBound(kind)))?;
    if !other_way_in(user, kind) {
        return Err(refused(
            422,
            LAST_SIGN_IN_METHOD,
            AccountMsg::LastSignInMethod(kind),
        ));
    }
    spend_code(shared, state, &target, channel, code)?;
    let now = state.now();
    let user = user_mut(state, index)?;
    match kind {
        Contact::Phone => {
            user.phone = None;
            user.phone_verified = false;
        }
        Contact::Email => {
            user.email = None;
            user.email_verified = false;
        }
    }
    user.updated_at = now;
    Ok(None)
}

/// `POST /api/v3/bind-phone`: `{phoneNumber, passCode, phoneCountryCode?}`.
fn bind_phone(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let code = req_str(body, "passCode")?;
    let target = phone_target(body)?;
    bind(shared, request, target, code, "CHANNEL_BIND_PHONE")
}

/// `POST /api/v3/unbind-phone`: `{passCode}`.
fn unbind_phone(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let code = req_str(body, "passCode")?;
    unbind(
        shared,
        request,
        Contact::Phone,
        code,
        "CHANNEL_UNBIND_PHONE",
    )
}

/// `POST /api/v3/bind-email`: `{email, passCode}`.
fn bind_email(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let code = req_str(body, "passCode")?;
    let target = email_target(body)?;
    bind(shared, request, target, code, "CHANNEL_BIND_EMAIL")
}

/// `POST /api/v3/unbind-email`: `{passCode}`.
fn unbind_email(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let code = req_str(body, "passCode")?;
    unbind(
        shared,
        request,
        Contact::Email,
        code,
        "CHANNEL_UNBIND_EMAIL",
    )
}

/// The change a verify-update request asks for.
struct Change<'a> {
    new: Target,
    new_code: &'a str,
    new_channel: &'static str,
    /// The old one and its passcode, when sent.
    old: Option<(Target, &'a str)>,
    old_channel: &'static str,
}

/// Verifies a change of the signed-in user's phone or email: the user has one, the new
/// one is not it and not another user's, the old one (when sent) is the user's, and each
/// passcode verifies. Answers the token that makes the change.
fn verify_change(shared: &Shared, request: &Request, change: Change<'_>, key: &str) -> Outcome {
    let kind = contact(&change.new);
    let mut guard = shared.state();
    let state = &mut *guard;
    let index = signed_in(state, request)?;
    let user = user_mut(state, index)?;
    let current =
        own(user, kind).ok_or_else(|| refused(422, NOT_BOUND, AccountMsg::NotBound(kind)))?;
    let user_id = user.id.clone();
    if current == change.new {
        return Err(refused(422, ALREADY_BOUND, AccountMsg::Unchanged(kind)));
    }
    if let Some((old, _)) = &change.old {
        if *old != current {
            return Err(refused(422, NOT_BOUND, AccountMsg::NotYours(kind)));
        }
    }
    not_taken(state, index, &change.new)?;
    spend_code(
        shared,
        state,
        &change.new,
        change.new_channel,
        change.new_code,
    )?;
    if let Some((old, code)) = &change.old {
        spend_code(shared, state, old, change.old_channel, code)?;
    }
    let action = match kind {
        Contact::Phone => Action::UpdatePhone(change.new),
        Contact::Email => Action::UpdateEmail(change.new),
    };
    let now = state.now();
    let token = state.families.account.issue(action, &user_id, now);
    token_answer(key, token)
}

/// Spends a change token of `kind` for the signed-in user and makes the change.
fn apply_change(
    shared: &Shared,
    request: &Request,
    token: &str,
    kind: &Action,
    name: &'static str,
) -> Outcome {
    let mut guard = shared.state();
    let state = &mut *guard;
    let index = signed_in(state, request)?;
    let user_id = user_mut(state, index)?.id.clone();
    let now = state.now();
    let action = state
        .families
        .account
        .spend(token, &user_id, kind, now)
        .ok_or_else(|| refused(400, BAD_ACCOUNT_TOKEN, AccountMsg::BadToken(name)))?;
    let (Action::UpdatePhone(target) | Action::UpdateEmail(target)) = action else {
        return Err(refused(400, BAD_ACCOUNT_TOKEN, AccountMsg::BadToken(name)));
    };
    // Someone may have taken it since the request was verified.
    not_taken(state, index, &target)?;
    assign(user_mut(state, index)?, target, now);
    Ok(None)
}

/// `POST /api/v3/verify-update-phone-request`: `{verifyMethod: "PHONE_PASSCODE",
/// phonePassCodePayload: {newPhoneNumber, newPhonePassCode, newPhoneCountryCode?,
/// oldPhoneNumber?, oldPhonePassCode?, oldPhoneCountryCode?}}`.
fn verify_update_phone(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    if req_str(body, "verifyMethod")? != "PHONE_PASSCODE" {
        return Err(Failure::params(Msg::UnknownVerifyMethod));
    }
    let payload = crate::core::fields::req_obj(body, "phonePassCodePayload")?;
    let new_number = req_str(payload, "newPhoneNumber")?;
    let new = Target::phone(opt_str(payload, "newPhoneCountryCode")?, new_number)
        .ok_or_else(bad_target)?;
    let new_code = req_str(payload, "newPhonePassCode")?;
    let old = match opt_str(payload, "oldPhoneNumber")? {
        Some(number) => {
            let old = Target::phone(opt_str(payload, "oldPhoneCountryCode")?, number)
                .ok_or_else(bad_target)?;
            Some((old, req_str(payload, "oldPhonePassCode")?))
        }
        None => None,
    };
    let change = Change {
        new,
        new_code,
        new_channel: "CHANNEL_BIND_PHONE",
        old,
        old_channel: "CHANNEL_UNBIND_PHONE",
    };
    verify_change(shared, request, change, "updatePhoneToken")
}

/// `POST /api/v3/update-phone`: `{updatePhoneToken}`.
fn update_phone(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let token = req_str(body, "updatePhoneToken")?;
    let kind = Action::UpdatePhone(Target::Email(String::new()));
    apply_change(shared, request, token, &kind, "updatePhoneToken")
}

/// `POST /api/v3/verify-update-email-request`: `{verifyMethod: "EMAIL_PASSCODE",
/// emailPassCodePayload: {newEmail, newEmailPassCode, oldEmail?, oldEmailPassCode?}}`.
/// Android's spelling of the payload, `emailPasscodePayload`, is read too, so that its
/// SDK works.
fn verify_update_email(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    if req_str(body, "verifyMethod")? != "EMAIL_PASSCODE" {
        return Err(Failure::params(Msg::UnknownVerifyMethod));
    }
    let payload = match opt_obj(body, "emailPassCodePayload")? {
        Some(payload) => payload,
        None => crate::core::fields::req_obj(body, "emailPasscodePayload")
            .map_err(|_| Failure::params(Msg::MissingField("emailPassCodePayload")))?,
    };
    let new = Target::email(req_str(payload, "newEmail")?).ok_or_else(bad_target)?;
    let new_code = req_str(payload, "newEmailPassCode")?;
    let old = match opt_str(payload, "oldEmail")? {
        Some(email) => {
            let old = Target::email(email).ok_or_else(bad_target)?;
            Some((old, req_str(payload, "oldEmailPassCode")?))
        }
        None => None,
    };
    let change = Change {
        new,
        new_code,
        new_channel: "CHANNEL_UPDATE_EMAIL",
        old,
        old_channel: "CHANNEL_UNBIND_EMAIL",
    };
    verify_change(shared, request, change, "updateEmailToken")
}

/// `POST /api/v3/update-email`: `{updateEmailToken}`.
fn update_email(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let token = req_str(body, "updateEmailToken")?;
    let kind = Action::UpdateEmail(Target::Email(String::new()));
    apply_change(shared, request, token, &kind, "updateEmailToken")
}
