//! The devices family's admin API and its mirror on the [`Emulator`] handle:
//! `GET /emulator/v1/devices/users/{user}` lists the devices of a user (named by id, username,
//! email or phone), as [`Emulator::devices`] does.

use std::time::SystemTime;

use serde_json::{json, Value};

use crate::core::state::unix_secs;
use crate::families::devices::state::DeviceRecord;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::{Emulator, UserIdentity};

/// One device of a user, as the emulator recorded it from the user's sign-ins.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// let devices: Vec<authing_emulator::UserDevice> = emulator.devices("nobody");
/// assert!(devices.is_empty());
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDevice {
    /// The `x-authing-device-id` its sign-ins sent.
    pub device_id: String,
    /// The `x-authing-device-name` of its latest sign-in (empty when none was sent).
    pub name: String,
    /// Its OS: `x-authing-device-os` of its latest sign-in, else the one its
    /// `User-Agent` names (empty when neither says).
    pub os: String,
    /// `Mobile` or `Desktop`.
    pub device_type: String,
    /// Its latest sign-in, in emulator time.
    pub last_login_at: SystemTime,
    /// The client IP of its latest sign-in.
    pub last_ip: String,
    /// Whether a session on it still holds a token that would be accepted.
    pub online: bool,
    /// How many sessions (sign-ins) it holds that were not revoked.
    pub sessions: usize,
}

fn user_device(device: &DeviceRecord, online: bool) -> UserDevice {
    UserDevice {
        device_id: device.device_id.clone(),
        name: device.name.clone(),
        os: device.os.clone(),
        device_type: device.device_type.clone(),
        last_login_at: device.last_login_at,
        last_ip: device.last_ip.clone(),
        online,
        sessions: device.sessions.len(),
    }
}

/// The devices of the user `query` names, latest sign-in first (empty for no such user).
fn devices_of(shared: &Shared, query: &str) -> Vec<UserDevice> {
    let state = shared.state();
    let Some(user) = state
        .users
        .by_query(query)
        .and_then(|index| state.users.get(index))
    else {
        return Vec::new();
    };
    let now = state.now();
    let mut devices: Vec<UserDevice> = state
        .families
        .devices
        .of(&user.id)
        .iter()
        .map(|d| {
            let online = d
                .sessions
                .iter()
                .any(|&s| state.sessions.session_live(s, now));
            user_device(d, online)
        })
        .collect();
    devices.sort_by_key(|d| std::cmp::Reverse(d.last_login_at));
    devices
}

/// The family's admin route: `GET /emulator/v1/devices/users/{user}`.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let user = path.strip_prefix("/emulator/v1/devices/users/")?;
    if request.method != "GET" {
        return Some(
            Response::json_status(
                405,
                &json!({"error": "method not allowed on this endpoint"}),
            )
            .header("Allow", "GET"),
        );
    }
    let user = crate::core::urlencoded::decode_path(user);
    let devices: Vec<Value> = devices_of(shared, &user)
        .iter()
        .map(|d| {
            json!({
                "deviceId": d.device_id,
                "name": d.name,
                "os": d.os,
                "type": d.device_type,
                "lastLoginAt": unix_secs(d.last_login_at),
                "lastIp": d.last_ip,
                "online": d.online,
                "sessions": d.sessions,
            })
        })
        .collect();
    Some(Response::json(&json!({ "devices": devices })))
}

impl Emulator {
    /// The devices the user named by `identity` (user id, username, email, phone) signed
    /// in on with an `x-authing-device-id`, latest sign-in first; empty for no such user.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// assert!(emulator.devices("alice").is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn devices(&self, identity: &(impl UserIdentity + ?Sized)) -> Vec<UserDevice> {
        devices_of(&self.server.shared, &identity.identity())
    }
}
