//! The device a client speaks for: its id, name and OS, sent on every call as
//! `x-authing-device-id` (the header Authing's Guard sends), `x-authing-device-name` and
//! `x-authing-device-os`, so that a sign-in is recorded against this device
//! (`AuthClient::list`, `revoke`, `unbind`).
//!
//! The id is [`AuthClientBuilder::device_id`](crate::AuthClientBuilder::device_id) when
//! given, else derived: a 64-bit FNV-1a hash of the app id, the OS, the machine's random
//! install id where the OS keeps one (`/etc/machine-id` on Linux), the host name and the
//! OS user (`USER`/`USERNAME`, `HOME`/`USERPROFILE`), as 16 upper-case hex digits. It is
//! computed again by every client and never written anywhere, so it is stable for one app
//! run by one OS user on one machine, and the same for every client of that app there.
//! Without a machine id (macOS, Windows: reading theirs needs the registry or `ioreg`),
//! the inputs are names a dictionary could guess back from the hash: an app that minds
//! gives its own `device_id(..)`, e.g. a random id it keeps.

use std::sync::OnceLock;

/// `x-authing-device-id`.
pub(crate) const DEVICE_ID_HEADER: &str = "x-authing-device-id";
/// `x-authing-device-name`.
pub(crate) const DEVICE_NAME_HEADER: &str = "x-authing-device-name";
/// `x-authing-device-os`.
pub(crate) const DEVICE_OS_HEADER: &str = "x-authing-device-os";
/// The longest device id or name, in bytes.
pub(crate) const MAX_DEVICE_FIELD_BYTES: usize = 128;

/// The OS this program runs on, spelled for people (`Linux`, `macOS`, `Windows`, …).
pub(crate) fn os_name() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "macOS",
        "windows" => "Windows",
        "ios" => "iOS",
        "android" => "Android",
        "freebsd" => "FreeBSD",
        "netbsd" => "NetBSD",
        "openbsd" => "OpenBSD",
        other => other,
    }
}

/// The machine's host name, when it is cheap to learn: `COMPUTERNAME` (Windows),
/// `HOSTNAME`, or `/etc/hostname`; only its visible ASCII, cut to 128 bytes. Learned once
/// a process. Only hashed into the derived id: never sent.
pub(crate) fn host_name() -> Option<String> {
    static HOST_NAME: OnceLock<Option<String>> = OnceLock::new();
    HOST_NAME.get_or_init(learn_host_name).clone()
}

fn learn_host_name() -> Option<String> {
    let env = |name: &str| std::env::var(name).ok();
    let raw = env("COMPUTERNAME")
        .or_else(|| env("HOSTNAME"))
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())?;
    let name: String = raw
        .trim()
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(MAX_DEVICE_FIELD_BYTES)
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The machine's random install id where the OS keeps one (`/etc/machine-id`, else
/// `/var/lib/dbus/machine-id`: 128 random bits written at install). Mixed into the derived
/// id, it makes the id unguessable from the host and user names, which a dictionary of
/// common names would otherwise recover from a 64-bit hash. Learned once a process.
fn machine_id() -> Option<String> {
    static MACHINE_ID: OnceLock<Option<String>> = OnceLock::new();
    MACHINE_ID
        .get_or_init(|| {
            ["/etc/machine-id", "/var/lib/dbus/machine-id"]
                .iter()
                .find_map(|path| std::fs::read_to_string(path).ok())
                .map(|id| id.trim().to_owned())
                .filter(|id| !id.is_empty())
        })
        .clone()
}

/// The id of this device for `app_id` when none is given (see the module docs).
pub(crate) fn derived_device_id(app_id: Option<&str>) -> String {
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    let user = format!("{}{}", env("USER"), env("USERNAME"));
    let home = format!("{}{}", env("HOME"), env("USERPROFILE"));
    let host = host_name().unwrap_or_default();
    let machine = machine_id().unwrap_or_default();
    let parts = [
        "authing-device",
        app_id.unwrap_or_default(),
        std::env::consts::OS,
        &machine,
        &host,
        &user,
        &home,
    ];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016X}")
}

/// Checks a device id given to the builder: 1 to 128 ASCII letters, digits, `-`, `_`,
/// `.` or `:`.
pub(crate) fn check_device_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() || id.len() > MAX_DEVICE_FIELD_BYTES {
        return Err("must be 1 to 128 characters");
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return Err("must be ascii letters, digits, '-', '_', '.' or ':'");
    }
    Ok(())
}

/// Checks a device name given to the builder: 1 to 128 bytes of visible ASCII and spaces,
/// no leading or trailing space.
pub(crate) fn check_device_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > MAX_DEVICE_FIELD_BYTES {
        return Err("must be 1 to 128 characters");
    }
    if name.trim() != name || !name.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err("must be visible ascii and inner spaces (it is sent as an http header)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_derived_id_is_stable_and_differs_per_app() {
        let a = derived_device_id(Some("app-a"));
        assert_eq!(a, derived_device_id(Some("app-a")));
        assert_ne!(a, derived_device_id(Some("app-b")));
        assert_eq!(a.len(), 16);
        assert!(check_device_id(&a).is_ok());
    }

    #[test]
    fn device_ids_and_names_are_checked() {
        assert!(check_device_id("laptop-1").is_ok());
        assert!(check_device_id("").is_err());
        assert!(check_device_id("has space").is_err());
        assert!(check_device_id(&"x".repeat(129)).is_err());
        assert!(check_device_name("Mike's laptop").is_ok());
        assert!(check_device_name(" padded").is_err());
        assert!(check_device_name("line\nbreak").is_err());
    }

    #[test]
    fn the_os_name_is_never_empty() {
        assert!(!os_name().is_empty());
    }
}
