//! The devices family's state: per user, the devices it signed in on, each with the
//! sessions (sign-ins) it holds there.

use std::collections::BTreeMap;
use std::time::SystemTime;

/// The most devices kept per user: a sign-in from a new device past it forgets the one
/// signed in on longest ago.
pub(crate) const MAX_DEVICES_PER_USER: usize = 64;
/// The most sessions kept per device: older ones are ended as newer ones start.
pub(crate) const MAX_SESSIONS_PER_DEVICE: usize = 32;

/// One device of one user, as its sign-ins described it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct DeviceRecord {
    /// `x-authing-device-id` of the sign-ins.
    pub(crate) device_id: String,
    /// `x-authing-device-name` of the latest sign-in (empty when it sent none).
    pub(crate) name: String,
    /// `x-authing-device-os` of the latest sign-in, else the OS its `User-Agent` names.
    pub(crate) os: String,
    /// `Mobile` for Android and iOS, else `Desktop`.
    pub(crate) device_type: String,
    /// `User-Agent` of the latest sign-in.
    pub(crate) user_agent: String,
    /// The latest sign-in, emulator time.
    pub(crate) last_login_at: SystemTime,
    /// The client IP of the latest sign-in.
    pub(crate) last_ip: String,
    /// The token sessions started on it (core `Tokens` session numbers), oldest first.
    pub(crate) sessions: Vec<u64>,
}

/// What one sign-in says about its device.
pub(crate) struct SignIn {
    pub(crate) device_id: String,
    pub(crate) name: String,
    pub(crate) os: String,
    pub(crate) device_type: String,
    pub(crate) user_agent: String,
    pub(crate) at: SystemTime,
    pub(crate) ip: String,
    pub(crate) session: u64,
}

/// Every user's devices.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Devices {
    by_user: BTreeMap<String, Vec<DeviceRecord>>,
}

impl Devices {
    /// Records a sign-in of `user`: its device is added, or updated (name, OS, agent, time,
    /// IP) and given the new session. Returns the sessions that fell off the device's
    /// list (to be ended) and those of a device forgotten to make room.
    pub(crate) fn record(&mut self, user: &str, sign_in: SignIn) -> Vec<u64> {
        let devices = self.by_user.entry(user.to_owned()).or_default();
        let mut dropped = Vec::new();
        let index = match devices
            .iter()
            .position(|d| d.device_id == sign_in.device_id)
        {
            Some(index) => index,
            None => {
                if devices.len() >= MAX_DEVICES_PER_USER {
                    if let Some(oldest) =
                        (0..devices.len()).min_by_key(|&i| devices[i].last_login_at)
                    {
                        dropped.extend(devices.remove(oldest).sessions);
                    }
                }
                devices.push(DeviceRecord {
                    device_id: sign_in.device_id.clone(),
                    name: String::new(),
                    os: String::new(),
                    device_type: String::new(),
                    user_agent: String::new(),
                    last_login_at: sign_in.at,
                    last_ip: String::new(),
                    sessions: Vec::new(),
                });
                devices.len() - 1
            }
        };
        let device = &mut devices[index];
        device.name = sign_in.name;
        device.os = sign_in.os;
        device.device_type = sign_in.device_type;
        device.user_agent = sign_in.user_agent;
        device.last_login_at = sign_in.at;
        device.last_ip = sign_in.ip;
        device.sessions.push(sign_in.session);
        if device.sessions.len() > MAX_SESSIONS_PER_DEVICE {
            let excess = device.sessions.len() - MAX_SESSIONS_PER_DEVICE;
            dropped.extend(device.sessions.drain(..excess));
        }
        dropped
    }

    /// The devices of `user`, in the order they first signed in.
    pub(crate) fn of(&self, user: &str) -> &[DeviceRecord] {
        self.by_user.get(user).map_or(&[], Vec::as_slice)
    }

    /// The device `device_id` of `user`.
    pub(crate) fn get_mut(&mut self, user: &str, device_id: &str) -> Option<&mut DeviceRecord> {
        self.by_user
            .get_mut(user)?
            .iter_mut()
            .find(|d| d.device_id == device_id)
    }

    /// Removes the device `device_id` of `user` and gives it back.
    pub(crate) fn remove(&mut self, user: &str, device_id: &str) -> Option<DeviceRecord> {
        let devices = self.by_user.get_mut(user)?;
        let index = devices.iter().position(|d| d.device_id == device_id)?;
        Some(devices.remove(index))
    }

    /// Forgets every device of a deleted user (its sessions end with the user).
    pub(crate) fn forget_user(&mut self, user: &str) {
        self.by_user.remove(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn sign_in(id: &str, at_secs: u64, session: u64) -> SignIn {
        SignIn {
            device_id: id.to_owned(),
            name: format!("{id} name"),
            os: "Linux".to_owned(),
            device_type: "Desktop".to_owned(),
            user_agent: String::new(),
            at: SystemTime::UNIX_EPOCH + Duration::from_secs(at_secs),
            ip: "127.0.0.1".to_owned(),
            session,
        }
    }

    #[test]
    fn a_second_sign_in_on_a_device_updates_it_and_adds_its_session() {
        let mut devices = Devices::default();
        assert!(devices.record("u1", sign_in("d1", 1, 1)).is_empty());
        let mut again = sign_in("d1", 5, 2);
        again.name = "renamed".to_owned();
        assert!(devices.record("u1", again).is_empty());
        let list = devices.of("u1");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name, "renamed");
        assert_eq!(list[0].sessions, [1, 2]);
        assert!(devices.of("u2").is_empty());
    }

    #[test]
    fn past_the_caps_the_oldest_sessions_and_devices_are_given_back_to_be_ended() {
        let mut devices = Devices::default();
        let mut dropped = Vec::new();
        for session in 0..(MAX_SESSIONS_PER_DEVICE as u64 + 2) {
            dropped.extend(devices.record("u1", sign_in("d1", session, session)));
        }
        assert_eq!(dropped, [0, 1]);
        assert_eq!(devices.of("u1")[0].sessions.len(), MAX_SESSIONS_PER_DEVICE);

        let mut devices = Devices::default();
        for n in 0..MAX_DEVICES_PER_USER as u64 {
            devices.record("u1", sign_in(&format!("d{n}"), 100 + n, n));
        }
        // The device signed in on longest ago goes, with its session.
        let dropped = devices.record("u1", sign_in("new", 1000, 999));
        assert_eq!(dropped, [0]);
        assert_eq!(devices.of("u1").len(), MAX_DEVICES_PER_USER);
        assert!(devices.of("u1").iter().all(|d| d.device_id != "d0"));
    }

    #[test]
    fn remove_and_forget_user_take_the_devices_away() {
        let mut devices = Devices::default();
        devices.record("u1", sign_in("d1", 1, 1));
        devices.record("u1", sign_in("d2", 2, 2));
        assert_eq!(
            devices.remove("u1", "d1").map(|d| d.sessions),
            Some(vec![1])
        );
        assert!(devices.remove("u1", "d1").is_none());
        assert!(devices.get_mut("u1", "d2").is_some());
        devices.forget_user("u1");
        assert!(devices.of("u1").is_empty());
    }
}
