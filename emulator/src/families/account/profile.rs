//! The profile endpoints of the account family: `update-profile`, `get-security-info`, and
//! the avatar upload `POST /api/v2/upload`, whose files the admin API serves back.

use serde_json::{json, Map, Value};

use crate::core::codes::USER_EXISTS;
use crate::core::config::UPLOAD_PATH;
use crate::core::envelope::{envelope, Endpoint, Failure, Outcome, Route};
use crate::core::fields::{opt_obj, opt_str};
use crate::core::msg::{Lang, Msg};
use crate::core::urlencoded;
use crate::core::users::valid_username;
use crate::core::vocab::ImageKind;
use crate::families::account::msg::AccountMsg;
use crate::families::account::state::{upload_key, Upload};
use crate::families::account::{require_user, signed_in, user_mut};
use crate::families::session::msg::SessionMsg;
use crate::families::session::user_dto::{user_dto, Extras};
use crate::http::multipart;
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The string fields of `UpdateUserProfileDto` kept in the user's profile, by their
/// `UserDto` names (`username` and `customData` are handled apart), and `region`: not in
/// the spec's DTO, but Android's `Profile` sends it and `UserDto` answers it.
const PROFILE_FIELDS: &[&str] = &[
    "name",
    "nickname",
    "photo",
    "externalId",
    "birthdate",
    "country",
    "province",
    "city",
    "region",
    "address",
    "streetAddress",
    "postalCode",
    "gender",
    "company",
    "identityNumber",
];

/// The routes of this file.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        "/api/v3/update-profile" => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(update_profile),
        }),
        "/api/v3/get-security-info" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(security_info),
        }),
        UPLOAD_PATH => Some(Route {
            method: "POST",
            endpoint: Endpoint::Raw(upload),
        }),
        _ => None,
    }
}

/// `POST /api/v3/update-profile`: sets the fields sent (strings, not blank), `username`
/// (valid, not another user's: 409, 2305), `gender` (`M`, `F`, `U`), and merges
/// `customData` (an object) into the user's. Other fields are ignored. Answers the user,
/// with its custom data.
fn update_profile(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    require_user(shared, request)?;
    let mut changes = Vec::new();
    for &key in PROFILE_FIELDS {
        if let Some(value) = opt_str(body, key)? {
            if value.trim().is_empty() {
                return Err(Failure::params(Msg::family(AccountMsg::BlankField(key))));
            }
            if key == "gender" && !matches!(value, "M" | "F" | "U") {
                return Err(Failure::params(Msg::family(SessionMsg::InvalidGender)));
            }
            changes.push((key, value.to_owned()));
        }
    }
    let username = opt_str(body, "username")?;
    if username.is_some_and(|name| !valid_username(name)) {
        return Err(Failure::params(Msg::family(SessionMsg::InvalidUsername)));
    }
    let custom = opt_obj(body, "customData")?;
    let mut state = shared.state();
    let index = signed_in(&state, request)?;
    if let Some(name) = username.map(str::trim) {
        let taken = state
            .users
            .iter()
            .enumerate()
            .any(|(i, u)| i != index && u.username.as_deref() == Some(name));
        if taken {
            return Err(Failure::new(
                409,
                Some(USER_EXISTS),
                Msg::family(SessionMsg::UserExists),
            ));
        }
    }
    let now = state.now();
    let user = user_mut(&mut state, index)?;
    for (key, value) in changes {
        user.profile.insert(key.to_owned(), Value::String(value));
    }
    if let Some(name) = username {
        user.username = Some(name.trim().to_owned());
    }
    if let Some(custom) = custom {
        for (key, value) in custom {
            user.custom_data.insert(key.clone(), value.clone());
        }
    }
    user.updated_at = now;
    let extras = Extras {
        custom_data: true,
        ..Extras::default()
    };
    let user = crate::core::caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    Ok(Some(user_dto(user, access, &shared.config.app_id, extras)))
}

/// `GET /api/v3/get-security-info`: the spec's `GetSecurityInfoDto`. `mfaEnrolled` says
/// whether the user has an MFA factor (`families/mfa/`). `passwordSecurityLevel` is 0 without a
/// password, else 1 to 3; `securityScore` (0 to 100) is the emulator's own formula: 20 for
/// a password and 10 per strength level, 20 for an email, 20 for a phone, 10 for MFA.
fn security_info(shared: &Shared, request: &Request) -> Outcome {
    let state = shared.state();
    let index = signed_in(&state, request)?;
    let user = state.users.get(index).ok_or(Failure::new(
        404,
        Some(crate::core::codes::USER_NOT_FOUND),
        Msg::UserNotFound,
    ))?;
    let password_set = user.hash_for(None).is_some();
    let level = if password_set { user.password_level } else { 0 };
    let mfa = state.families.mfa.factors_of(&user.id).next().is_some();
    let (email, phone) = (user.email.is_some(), user.phone.is_some());
    let score = u32::from(password_set) * 20
        + u32::from(level) * 10
        + u32::from(email) * 20
        + u32::from(phone) * 20
        + u32::from(mfa) * 10;
    Ok(Some(json!({
        "passwordSecurityLevel": level,
        "mfaEnrolled": mfa,
        "passwordSet": password_set,
        "emailBinded": email,
        "phoneBinded": phone,
        "securityScore": score,
    })))
}

/// `POST /api/v2/upload?folder=..`: a `multipart/form-data` body whose part `file` is a
/// PNG, JPEG, GIF or WebP image (told by its first bytes, whatever its declared type).
/// Answers `{key, url}`; `GET url` serves the file back. As the spec lists no security
/// for it and Android sends neither an app id nor a token, it checks neither.
fn upload(shared: &Shared, request: &Request, lang: Lang) -> Response {
    let reply = |outcome: Outcome| {
        let (status, api_code, msg, data) = match outcome {
            Ok(data) => (200, None, Msg::Ok, data),
            Err(f) => (f.status, f.api_code, f.msg, f.data),
        };
        envelope(lang, shared.request_id(), status, api_code, &msg, data)
    };
    let query = urlencoded::parse(&request.query);
    let folder = query
        .get("folder")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .unwrap_or("photos");
    let plain_name = (1..=64).contains(&folder.len())
        && folder
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !plain_name {
        return reply(Err(Failure::params(Msg::family(AccountMsg::BadFolder))));
    }
    let content_type = request.header("content-type").unwrap_or_default();
    let file = multipart::parse(content_type, &request.body)
        .and_then(|parts| parts.into_iter().find(|p| p.name == "file"));
    let Some(file) = file else {
        return reply(Err(Failure::params(Msg::family(AccountMsg::NotMultipart))));
    };
    let Some(kind) = ImageKind::sniff(&file.body) else {
        return reply(Err(Failure::params(Msg::family(AccountMsg::NotAnImage))));
    };
    let key = upload_key(folder, kind.extension());
    let host = request
        .header("host")
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map_or_else(|| shared.addr.to_string(), str::to_owned);
    let url = format!("{}://{host}/emulator/v1/uploads/{key}", shared.scheme());
    let mut state = shared.state();
    let uploaded_at = state.now();
    state.families.account.store(Upload {
        key: key.clone(),
        url: url.clone(),
        content_type: kind.mime().to_owned(),
        bytes: file.body,
        uploaded_at,
    });
    reply(Ok(Some(json!({ "key": key, "url": url }))))
}
