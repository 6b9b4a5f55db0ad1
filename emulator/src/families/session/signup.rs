//! The sign-up family: `POST /api/v3/signup` (`SignUpDto` -> `UserSingleRespDto`).
//!
//! `PASSWORD` signs up a username or an email (or both) with a password that passes the
//! password policy; `PASSCODE` signs up an email or a phone with a code sent on
//! `CHANNEL_REGISTER`, which it spends. A taken username, email or phone answers 409 with
//! the emulator's own apiCode 2305. Sign-up does not sign in: the answer is the user.

use serde_json::{Map, Value};

use crate::core::caller;
use crate::core::codes::{BAD_PASSWORD, CODE_EXPIRED, TOO_MANY_ATTEMPTS, USER_EXISTS, WRONG_CODE};
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{bad_target, opt_obj, opt_text, req_obj, req_str};
use crate::core::msg::Msg;
use crate::core::state::VerifyError;
use crate::core::users::{self, Creation, NewUser, Source};
use crate::families::session::msg::SessionMsg;
use crate::families::session::user_dto::{user_dto, Extras};
use crate::http::server::Shared;
use crate::EmulatorError;

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        "/api/v3/signup" => Some(Route {
            method: "POST",
            endpoint: Endpoint::Envelope(signup),
        }),
        _ => None,
    }
}

/// `SignUpProfileDto` fields kept, and the `UserDto` field each becomes. `email` and
/// `phone` (information completion with a pass code) are not emulated and are ignored.
const PROFILE_FIELDS: &[(&str, &str)] = &[
    ("nickname", "nickname"),
    ("company", "company"),
    ("photo", "photo"),
    ("device", "device"),
    ("browser", "browser"),
    ("name", "name"),
    ("givenName", "givenName"),
    ("familyName", "familyName"),
    ("middleName", "middleName"),
    ("profile", "profile"),
    ("preferredUsername", "preferredUsername"),
    ("website", "website"),
    ("gender", "gender"),
    ("birthdate", "birthdate"),
    ("zoneinfo", "zoneinfo"),
    ("locale", "locale"),
    ("address", "address"),
    ("formatted", "formatted"),
    ("streetAddress", "streetAddress"),
    ("locality", "city"),
    ("region", "region"),
    ("postalCode", "postalCode"),
    ("country", "country"),
];

/// Profile fields (named as in `UserDto`) and custom data.
type Profile = (Map<String, Value>, Map<String, Value>);

/// The profile fields and custom data of `profile`, checked: strings only, `gender` one
/// of `M`, `F`, `U`, `customData` an object.
fn profile(profile: Option<&Map<String, Value>>) -> Result<Profile, Failure> {
    let mut fields = Map::new();
    let Some(profile) = profile else {
        return Ok((fields, Map::new()));
    };
    for &(from, to) in PROFILE_FIELDS {
        if let Some(value) = crate::core::fields::opt_str(profile, from)? {
            fields.insert(to.to_owned(), Value::String(value.to_owned()));
        }
    }
    if let Some(gender) = fields.get("gender") {
        if !matches!(gender.as_str(), Some("M" | "F" | "U")) {
            return Err(Failure::params(Msg::family(SessionMsg::InvalidGender)));
        }
    }
    let custom = opt_obj(profile, "customData")?.cloned().unwrap_or_default();
    Ok((fields, custom))
}

pub(crate) fn duplicate() -> Failure {
    Failure::new(409, Some(USER_EXISTS), Msg::family(SessionMsg::UserExists))
}

/// The failure for a pass code that was refused.
pub(crate) fn code_failure(e: VerifyError) -> Failure {
    match e {
        VerifyError::Expired => Failure::new(400, Some(CODE_EXPIRED), Msg::CodeExpired),
        VerifyError::TooManyAttempts => {
            Failure::new(400, Some(TOO_MANY_ATTEMPTS), Msg::TooManyAttempts)
        }
        VerifyError::WrongCode | VerifyError::UserNotFound => {
            Failure::new(400, Some(WRONG_CODE), Msg::WrongCode)
        }
    }
}

/// The email or phone of a pass-code payload (`email`, or `phone` and
/// `phoneCountryCode`).
pub(crate) fn passcode_target(payload: &Map<String, Value>) -> Result<Target, Failure> {
    if let Some(email) = opt_text(payload, "email")? {
        return Target::email(email).ok_or_else(bad_target);
    }
    if let Some(phone) = opt_text(payload, "phone")? {
        let cc = crate::core::fields::opt_str(payload, "phoneCountryCode")?;
        return Target::phone(cc, phone).ok_or_else(bad_target);
    }
    Err(Failure::params(Msg::family(SessionMsg::NeedOneOf(
        "email or phone",
    ))))
}

fn signup(shared: &Shared, body: &Map<String, Value>) -> Outcome {
    let connection = req_str(body, "connection")?;
    let (fields, custom) = profile(opt_obj(body, "profile")?)?;
    opt_obj(body, "options")?;
    let config = &shared.config;
    let data = match connection {
        "PASSWORD" => {
            let payload = req_obj(body, "passwordPayload")?;
            let username = opt_text(payload, "username")?;
            let email = opt_text(payload, "email")?;
            if username.is_none() && email.is_none() {
                return Err(Failure::params(Msg::family(SessionMsg::NeedOneOf(
                    "username or email",
                ))));
            }
            if email.is_some_and(|e| Target::email(e).is_none()) {
                return Err(bad_target());
            }
            if username.is_some_and(|u| !users::valid_username(u)) {
                return Err(Failure::params(Msg::family(SessionMsg::InvalidUsername)));
            }
            let password = caller::password(body, payload)?;
            if !users::password_ok(&password, config.password_min, config.password_max) {
                return Err(Failure::new(
                    400,
                    Some(BAD_PASSWORD),
                    Msg::BadPassword {
                        min: config.password_min,
                        max: config.password_max,
                    },
                ));
            }
            let new = NewUser {
                username: username.map(str::to_owned),
                email: email.map(str::to_owned),
                password,
                ..NewUser::default()
            };
            let mut state = shared.state();
            let how = Creation {
                source: Source::Register,
                register_source: if email.is_some() {
                    "basic:email"
                } else {
                    "basic:username-password"
                },
                now: state.now(),
                iterations: config.session.password_hash_iterations,
                verified: false,
            };
            let index = state.users.add(&new, &how).map_err(creation_failure)?;
            finish(&mut state, index, fields, custom, &config.app_id)
        }
        "PASSCODE" => {
            let payload = req_obj(body, "passCodePayload")?;
            let code = req_str(payload, "passCode")?;
            let target = passcode_target(payload)?;
            let mut state = shared.state();
            if state.users.by_target(&target).is_some() {
                return Err(duplicate());
            }
            state
                .consume_code(config, &target, "CHANNEL_REGISTER", code)
                .map_err(code_failure)?;
            let how = Creation {
                source: Source::Register,
                register_source: match target {
                    Target::Email(_) => "basic:email-code",
                    Target::Phone { .. } => "basic:phone-code",
                },
                now: state.now(),
                iterations: config.session.password_hash_iterations,
                verified: true,
            };
            let index = state
                .users
                .add_by_target(&target, &how)
                .map_err(creation_failure)?;
            finish(&mut state, index, fields, custom, &config.app_id)
        }
        _ => return Err(Failure::params(Msg::family(SessionMsg::UnknownConnection))),
    };
    Ok(Some(data))
}

fn creation_failure(e: EmulatorError) -> Failure {
    match e {
        EmulatorError::DuplicateUser(_) => duplicate(),
        // A QR or push refusal or a hosted browser's error never comes from creating a
        // user.
        EmulatorError::InvalidUser(_)
        | EmulatorError::QrCode(_)
        | EmulatorError::PushCode(_)
        | EmulatorError::Browser(_) => bad_target(),
    }
}

/// Stores the profile of a new user and answers its `UserDto`.
fn finish(
    state: &mut crate::core::state::State,
    index: usize,
    fields: Map<String, Value>,
    custom: Map<String, Value>,
    app_id: &str,
) -> Value {
    match state.users.get_mut(index) {
        Some(user) => {
            user.profile.extend(fields);
            user.custom_data.extend(custom);
            let access = state.families.catalog.access_of(&user.id);
            user_dto(user, access, app_id, Extras::default())
        }
        None => Value::Null,
    }
}
