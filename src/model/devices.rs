//! The devices family's typed answers: a [`DeviceSession`] per device the signed-in user
//! signed in on (the spec's `TerminalSessionDto`), with its [`Device`] (`DeviceInfo`).

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::AuthError;
use crate::model::page;
use crate::response::AuthResponse;

/// A text field that may be absent or `null` (then empty).
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    })
}

/// A device of the signed-in user (the spec's `DeviceInfo`), as
/// [`DeviceSession::device`] gives it.
///
/// ```no_run
/// # let response = authing::AuthClient::new().list_blocking(1, 10);
/// for session in response.device_list()? {
///     let device = session.device();
///     println!("{} {} ({})", device.device_id(), device.name(), device.os());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    device_id: String,
    #[serde(default, deserialize_with = "text")]
    name: String,
    #[serde(default, deserialize_with = "text")]
    version: String,
    #[serde(rename = "type", default, deserialize_with = "text")]
    device_type: String,
    #[serde(rename = "mod", default, deserialize_with = "text")]
    module: String,
    #[serde(default, deserialize_with = "text")]
    os: String,
    #[serde(default, deserialize_with = "text")]
    status: String,
    #[serde(default, deserialize_with = "text")]
    user_agent: String,
}

impl Device {
    /// The device's id (`deviceId`): what [`AuthClient::revoke`](crate::AuthClient::revoke)
    /// and [`unbind`](crate::AuthClient::unbind) take, and what this SDK sends as
    /// `x-authing-device-id` ([`AuthClient::device_id`](crate::AuthClient::device_id)).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { println!("{}", d.device_id()); }
    /// ```
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Its name (`name`), empty when the server has none.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { println!("{}", d.name()); }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its system version (`version`, such as `Android 1.0`), empty when unknown.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { println!("{}", d.version()); }
    /// ```
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Its type (`type`): `Browser`, `Mobile` or `Desktop` in the spec.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { if d.device_type() == "Mobile" { println!("a phone"); } }
    /// ```
    pub fn device_type(&self) -> &str {
        &self.device_type
    }

    /// Its module (`mod`, the hardware model), empty when unknown.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { println!("{}", d.module()); }
    /// ```
    pub fn module(&self) -> &str {
        &self.module
    }

    /// Its OS (`os`, such as `iOS`), empty when unknown.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { println!("{}", d.os()); }
    /// ```
    pub fn os(&self) -> &str {
        &self.os
    }

    /// Its status (`status`): `activated`, `suspended` or `deactivated` in the spec.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { println!("{}", d.status()); }
    /// ```
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The `User-Agent` it signed in with (`userAgent`), empty when unknown.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Device) { println!("{}", d.user_agent()); }
    /// ```
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
}

/// One device the signed-in user signed in on, with its latest sign-in (the spec's
/// `TerminalSessionDto`), an item of [`AuthResponse::device_list`].
///
/// ```no_run
/// # let client = authing::AuthClient::new();
/// let this_device = client.device_id();
/// for session in client.list_blocking(1, 10).device_list()? {
///     let current = Some(session.device().device_id()) == this_device.as_deref();
///     println!("{} last signed in {} online: {} this one: {current}",
///         session.device().device_id(), session.last_login_time(), session.online());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceSession {
    device: Device,
    #[serde(default, deserialize_with = "text")]
    last_login_time: String,
    #[serde(default, deserialize_with = "text")]
    last_ip: String,
    #[serde(default)]
    online: bool,
}

impl DeviceSession {
    /// The device (`device`).
    ///
    /// ```no_run
    /// # fn f(s: &authing::DeviceSession) { println!("{}", s.device().device_id()); }
    /// ```
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// When the user last signed in on it (`lastLoginTime`, ISO 8601 as the server sends
    /// it, such as `2023-05-05T19:06:22.434Z`).
    ///
    /// ```no_run
    /// # fn f(s: &authing::DeviceSession) { println!("{}", s.last_login_time()); }
    /// ```
    pub fn last_login_time(&self) -> &str {
        &self.last_login_time
    }

    /// The IP address of that sign-in (`lastIp`), empty when the server gives none.
    ///
    /// ```no_run
    /// # fn f(s: &authing::DeviceSession) { println!("{}", s.last_ip()); }
    /// ```
    pub fn last_ip(&self) -> &str {
        &self.last_ip
    }

    /// Whether the user is signed in on it now (`online`).
    ///
    /// ```no_run
    /// # fn f(s: &authing::DeviceSession) { if s.online() { println!("signed in"); } }
    /// ```
    pub fn online(&self) -> bool {
        self.online
    }
}

impl AuthResponse {
    /// The typed answer of [`list`](crate::AuthClient::list): the signed-in user's devices,
    /// latest sign-in first.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().list_blocking(1, 10);
    /// for session in response.device_list()? { println!("{}", session.device().device_id()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn device_list(&self) -> Result<Vec<DeviceSession>, AuthError> {
        page::list_from_response(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_device_session_reads_the_spec_shape_and_tolerates_missing_optionals() {
        let full: DeviceSession = serde_json::from_value(json!({
            "device": {"deviceId": "HZ2F6J3AGNAVSOTV", "name": "printer", "version": "Android 1.0",
                "type": "Mobile", "mod": "Vig9a", "os": "iOS", "status": "activated",
                "userAgent": "Mozilla/5.0"},
            "lastLoginTime": "2023-05-05T19:06:22.434Z", "lastIp": "203.0.113.7", "online": true
        }))
        .unwrap();
        assert_eq!(full.device().device_id(), "HZ2F6J3AGNAVSOTV");
        assert_eq!(full.device().module(), "Vig9a");
        assert_eq!(full.device().device_type(), "Mobile");
        assert!(full.online());
        let bare: DeviceSession = serde_json::from_value(json!({
            "device": {"deviceId": "d1", "type": "Desktop", "name": null},
            "lastLoginTime": "2023-05-05T19:06:22.434Z", "online": false
        }))
        .unwrap();
        assert_eq!(bare.device().name(), "");
        assert_eq!(bare.last_ip(), "");
    }
}
