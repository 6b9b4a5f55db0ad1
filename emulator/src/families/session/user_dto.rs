//! A user as the spec's `UserDto`: the `data` of sign-up and get-profile (this family), and
//! also of the account family's update-profile and the directory's member lists.

use serde_json::{json, Map, Value};

use crate::core::state::iso8601;
use crate::core::users::{Source, User};
use crate::families::directory::user_access::{department_ids, identity_dtos, Access};

/// The optional parts of `UserDto` a caller asked for (`get-profile`'s query flags).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extras {
    pub(crate) custom_data: bool,
    pub(crate) identities: bool,
    pub(crate) department_ids: bool,
}

/// The `UserDto` of `user`: every required field, the optional ones that have a value
/// (never `null`), and `customData`, `identities` and `departmentIds` when asked for.
pub(crate) fn user_dto(user: &User, access: &Access, app_id: &str, extras: Extras) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_owned(), value);
    };
    put("userId", user.id.clone().into());
    put("createdAt", iso8601(user.created_at).into());
    put("updatedAt", iso8601(user.updated_at).into());
    put("status", "Activated".into());
    put("workStatus", "Active".into());
    put(
        "gender",
        user.profile.get("gender").cloned().unwrap_or("U".into()),
    );
    put("emailVerified", user.email_verified.into());
    put("phoneVerified", user.phone_verified.into());
    let (source_type, source_id) = match user.source {
        Source::Register => ("register", Some(app_id)),
        Source::AdminCreated => ("adminCreated", None),
    };
    put("userSourceType", source_type.into());
    if let Some(id) = source_id {
        put("userSourceId", id.into());
    }
    if let Some(username) = &user.username {
        put("username", username.clone().into());
    }
    if let Some(email) = &user.email {
        put("email", email.clone().into());
    }
    if let Some((cc, number)) = &user.phone {
        put("phone", number.clone().into());
        put("phoneCountryCode", cc.clone().into());
    }
    for (key, value) in &user.profile {
        if key != "gender" {
            put(key, value.clone());
        }
    }
    put("loginsCount", user.logins_count.into());
    if let Some(at) = user.last_login {
        put("lastLogin", iso8601(at).into());
        put("lastLoginApp", app_id.into());
    }
    if let Some(ip) = &user.last_ip {
        put("lastIp", ip.clone().into());
    }
    if let Some(at) = user.password_last_set_at {
        put("passwordLastSetAt", iso8601(at).into());
    }
    put("registerSource", json!(user.register_source));
    put("resetPasswordOnNextLogin", false.into());
    if extras.custom_data {
        put("customData", Value::Object(user.custom_data.clone()));
    }
    if extras.identities {
        put("identities", Value::Array(identity_dtos(user, access)));
    }
    if extras.department_ids {
        put("departmentIds", json!(department_ids(access)));
    }
    Value::Object(out)
}
