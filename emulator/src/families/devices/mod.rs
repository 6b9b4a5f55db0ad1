//! The devices family: the devices the signed-in user signed in on, and their sessions.
//!
//! - Every successful sign-in (`POST /api/v3/signin`, and the mobile social sign-in) that
//!   sends an `x-authing-device-id` header records the device for the user it signed in
//!   (`record`): its id, its name (`x-authing-device-name`), its OS
//!   (`x-authing-device-os`, else the one its `User-Agent` names), its type (`Mobile` for
//!   Android and iOS, else `Desktop`), the time (emulator clock), the client IP, and the
//!   token session the sign-in started. A sign-in without the header records no device.
//! - `GET /api/v3/mydevices/list?page&limit`: the bearer's devices, latest sign-in first,
//!   as the spec's `TerminalSessionDto` (`device`, `lastLoginTime`, `lastIp`, `online`:
//!   whether a session on it still holds a token that would be accepted).
//! - `POST /api/v3/mydevices/revoke-session {deviceId}`: ends every session on the device
//!   (their access tokens are refused, their refresh tokens forgotten); the device stays
//!   listed, `online: false`.
//! - `POST /api/v3/mydevices/unbind {deviceId}`: removes the device and ends its sessions
//!   too (a removed device keeps no session the list could no longer show).
//!
//! Each needs the bearer of a signed-in user (401, apiCode 2020 without a valid one); a
//! `deviceId` the user has no device for answers statusCode 404 without an apiCode (the
//! emulator's own choice: the spec names none). The caller may revoke or unbind its own
//! device: its own token ends with it.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::req_str;
use crate::core::msg::Msg;
use crate::core::state::iso8601;
use crate::core::urlencoded;
use crate::families::devices::msg::DevicesMsg;
use crate::families::devices::state::{DeviceRecord, SignIn};
use crate::http::server::Shared;
use crate::http::Request;

/// The largest `limit` of the list (the spec's "最大不能超过 50").
const MAX_LIMIT: u32 = 50;
/// `limit` when the list's request sends none (the spec's default).
const DEFAULT_LIMIT: u32 = 10;
/// The longest device id, name or OS kept, in characters.
const MAX_FIELD_CHARS: usize = 128;
/// The client IP of a sign-in whose request tells none.
const LOOPBACK: &str = "127.0.0.1";

/// The routes of the devices family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        "/api/v3/mydevices/list" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(list),
        }),
        "/api/v3/mydevices/revoke-session" => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(revoke_session),
        }),
        "/api/v3/mydevices/unbind" => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(unbind),
        }),
        _ => None,
    }
}

/// A header's value, trimmed and cut to [`MAX_FIELD_CHARS`]; `None` when absent or blank.
fn header_text(request: &Request, name: &str) -> Option<String> {
    let value = request.header(name)?.trim();
    (!value.is_empty()).then(|| value.chars().take(MAX_FIELD_CHARS).collect())
}

/// The OS a `User-Agent` names, roughly (empty when it names none).
fn os_of_agent(agent: &str) -> &'static str {
    let has = |needle: &str| agent.contains(needle);
    if has("Windows") {
        "Windows"
    } else if has("iPhone") || has("iPad") {
        "iOS"
    } else if has("Android") {
        "Android"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("Linux") {
        "Linux"
    } else {
        ""
    }
}

/// `Mobile` for a phone's OS, else `Desktop` (the spec's `DeviceInfo.type`).
fn device_type(os: &str) -> &'static str {
    let os = os.to_ascii_lowercase();
    if os.contains("android") || os.contains("ios") {
        "Mobile"
    } else {
        "Desktop"
    }
}

/// Records the device of a sign-in whose outcome is `outcome` (nothing for a failure, a
/// second factor asked for, or a request without `x-authing-device-id`).
pub(crate) fn record(shared: &Shared, request: &Request, outcome: &Outcome) {
    let Some(device_id) = header_text(request, "x-authing-device-id") else {
        return;
    };
    let Ok(Some(data)) = outcome else {
        return;
    };
    let Some(token) = data.get("access_token").and_then(Value::as_str) else {
        return;
    };
    let agent = request.header("user-agent").unwrap_or_default().trim();
    let os = header_text(request, "x-authing-device-os")
        .unwrap_or_else(|| os_of_agent(agent).to_owned());
    let ip = request
        .header("x-real-ip")
        .or_else(|| {
            request
                .header("x-forwarded-for")
                .and_then(|l| l.split(',').next())
        })
        .map(str::trim)
        .filter(|ip| !ip.is_empty())
        .unwrap_or(LOOPBACK)
        .to_owned();
    let mut state = shared.state();
    let now = state.now();
    let (Ok(user), Some(session)) = (
        state.sessions.authenticate(token, now),
        state.sessions.session_of(token),
    ) else {
        return;
    };
    let sign_in = SignIn {
        device_id,
        name: header_text(request, "x-authing-device-name").unwrap_or_default(),
        device_type: device_type(&os).to_owned(),
        os,
        user_agent: agent.chars().take(512).collect(),
        at: now,
        ip,
        session,
    };
    let dropped = state.families.devices.record(&user, sign_in);
    for session in dropped {
        state.sessions.end_session(session);
    }
}

/// A device as the spec's `TerminalSessionDto`.
fn device_json(device: &DeviceRecord, online: bool) -> Value {
    let mut info = Map::new();
    info.insert("deviceId".into(), device.device_id.clone().into());
    info.insert("type".into(), device.device_type.clone().into());
    info.insert("status".into(), "activated".into());
    if !device.name.is_empty() {
        info.insert("name".into(), device.name.clone().into());
    }
    if !device.os.is_empty() {
        info.insert("os".into(), device.os.clone().into());
    }
    if !device.user_agent.is_empty() {
        info.insert("userAgent".into(), device.user_agent.clone().into());
    }
    json!({
        "device": info,
        "lastLoginTime": iso8601(device.last_login_at),
        "lastIp": device.last_ip,
        "online": online,
    })
}

/// A whole number in the query, or `default` when absent; `bad` otherwise.
fn whole(
    query: &Map<String, Value>,
    name: &str,
    default: u64,
    bad: impl Fn() -> Failure,
) -> Result<u64, Failure> {
    match query
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Ok(default),
        Some(v) => v.parse::<u64>().map_err(|_| bad()),
    }
}

/// `GET /api/v3/mydevices/list`.
fn list(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let query = urlencoded::parse(&request.query);
    let bad_page = || Failure::params(Msg::family(DevicesMsg::BadPage));
    let bad_limit = || Failure::params(Msg::family(DevicesMsg::BadLimit(MAX_LIMIT)));
    let page = whole(&query, "page", 1, bad_page)?;
    let limit = whole(&query, "limit", u64::from(DEFAULT_LIMIT), bad_limit)?;
    if page == 0 {
        return Err(bad_page());
    }
    if limit == 0 || limit > u64::from(MAX_LIMIT) {
        return Err(bad_limit());
    }
    let user = caller::user_at(&state, index)?;
    let now = state.now();
    let mut devices: Vec<&DeviceRecord> = state.families.devices.of(&user.id).iter().collect();
    devices.sort_by_key(|d| std::cmp::Reverse(d.last_login_at));
    let skip = usize::try_from(page - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(limit as usize);
    let items: Vec<Value> = devices
        .into_iter()
        .skip(skip)
        .take(limit as usize)
        .map(|d| {
            let online = d
                .sessions
                .iter()
                .any(|&s| state.sessions.session_live(s, now));
            device_json(d, online)
        })
        .collect();
    Ok(Some(Value::Array(items)))
}

fn no_such_device() -> Failure {
    Failure::new(404, None, Msg::family(DevicesMsg::NoSuchDevice))
}

/// `POST /api/v3/mydevices/revoke-session`: ends the device's sessions, keeps the device.
fn revoke_session(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let device_id = req_str(body, "deviceId")?.trim();
    let sessions = match state.families.devices.get_mut(&user, device_id) {
        Some(device) => std::mem::take(&mut device.sessions),
        None => return Err(no_such_device()),
    };
    for session in sessions {
        state.sessions.end_session(session);
    }
    Ok(None)
}

/// `POST /api/v3/mydevices/unbind`: removes the device and ends its sessions.
fn unbind(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let device_id = req_str(body, "deviceId")?.trim();
    let device = state
        .families
        .devices
        .remove(&user, device_id)
        .ok_or_else(no_such_device)?;
    for session in device.sessions {
        state.sessions.end_session(session);
    }
    Ok(None)
}
