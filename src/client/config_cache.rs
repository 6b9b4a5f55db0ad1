//! The disk cache of an app's public config and the server's public keys
//! ([`AuthClientBuilder::public_config_cache`](crate::AuthClientBuilder::public_config_cache)),
//! so that a second program start skips app discovery and `GET /api/v3/system`.
//!
//! # The file (format 1)
//!
//! One JSON object, one app and host per file:
//!
//! ```json
//! {
//!   "format": 1,
//!   "appId": "60caaf41df670b771fd08937",
//!   "host": "https://console.authing.cn",
//!   "publicConfig": { "fetchedAt": 1765065600,
//!                     "data": { "requestHostname": "…", "identifier": "…", "userPoolId": "…",
//!                               "ecConnections": [ { "type": "wechat:mobile", "identifier": "…", "id": "…" } ] } },
//!   "publicKeys": { "fetchedAt": 1765065600, "rsa": "-----BEGIN PUBLIC KEY-----…", "sm2": "04…" }
//! }
//! ```
//!
//! - `format` is 1; a file of another format is ignored (and replaced after the next fetch).
//! - `host` is where the public config is fetched from: the discovery URL (`host`, default
//!   `https://console.authing.cn`) for a discovering client, the `app_host` for a fixed one.
//! - `fetchedAt` is the Unix time, in seconds, of the fetch; each part is used while it is
//!   younger than the max age and ignored after (or when it lies in the future: the clock
//!   was set back).
//! - Each part is optional: a client that fetched only the config writes only that.
//!
//! # What it holds, and what never
//!
//! Only what the SDK uses of two unauthenticated, public answers: of the public config its
//! `requestHostname`, `identifier`, `userPoolId` and, per social connection, `type`,
//! `provider`, `identifier`, `id`, `connectionId`; of `GET /api/v3/system` the `rsa` and
//! `sm2` public keys. Every other field is dropped before writing, so whatever a server adds
//! to those answers never reaches the disk. No token, password, user or session data ever
//! goes there: nothing else is written to this file.
//!
//! # Trust
//!
//! The cached `requestHostname` decides where the SDK sends passwords and tokens, so the
//! file must be the user's own: on Unix a file that group or others may write, or that
//! another user owns, is ignored. The process's user is the owner of `/proc/self` on
//! Linux; elsewhere (macOS, the BSDs; std has no `geteuid`) the owner of an empty file
//! created beside the cache file and removed at once, and a directory the process may not
//! write means the file is not read. Put it in a directory only the user can write (the
//! app's cache directory), not in a shared one such as `/tmp`.
//!
//! # A cached API host that is wrong
//!
//! A cached config is used until its max age, across restarts, so an app whose API host
//! moved would keep calling the old one. The SDK's rule: when a request to an API host
//! that came from this file fails to connect (a connection failure, DNS included, or a
//! connect or DNS time-out) or is answered a bare HTTP 404 (no Authing envelope), the
//! cached public config is dropped, from the file and from the client, and the next call
//! discovers again (`request.rs`, `forget_cached_target`). The failing call keeps its
//! answer: it is not resent (a request may have gone out). A host that answers Authing
//! errors is not detected this way, nor are requests outside the API calls (a browser
//! URL, the event stream); delete the file, or set a shorter max age, to recover from
//! those.
//!
//! # Failures
//!
//! The cache never fails a call. A file that is missing, unreadable, larger than 1 MiB, not
//! JSON, of another format, app or host, or past its age is ignored (logged at debug,
//! target `authing`) and the SDK fetches as without a cache; a write that fails is logged
//! at debug and forgotten. It is written whole, owner-only (`0600` on Unix), to a temporary
//! file renamed over the old one (`owner_file.rs`), so a reader never sees half a file.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use crate::logging;

/// The format this SDK writes and reads.
pub(crate) const FORMAT: u64 = 1;
/// The default max age of what the cache holds: one day.
pub const DEFAULT_PUBLIC_CONFIG_CACHE_MAX_AGE: Duration = Duration::from_secs(86_400);
/// A larger file is not read.
const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The fields of the public config that are kept.
const CONFIG_FIELDS: [&str; 3] = ["requestHostname", "identifier", "userPoolId"];
/// The fields of a social connection (`ecConnections[]`) that are kept.
const CONNECTION_FIELDS: [&str; 5] = ["type", "provider", "identifier", "id", "connectionId"];

/// The builder's setting: the file and the max age.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CacheSettings {
    pub(crate) path: PathBuf,
    pub(crate) max_age: Duration,
}

/// A client's cache: its file, for its app and host, and what it holds (read once, on
/// the first need, never by `build()`).
pub(crate) struct ConfigCache {
    settings: CacheSettings,
    app_id: String,
    host: String,
    /// `None` until the file was read.
    parts: Mutex<Option<Parts>>,
}

/// The parts of the file that belong to this client's app and host, as read or stored.
#[derive(Debug, Clone, Default, PartialEq)]
struct Parts {
    config: Option<(u64, Value)>,
    keys: Option<(u64, Value)>,
}

impl ConfigCache {
    pub(crate) fn new(settings: CacheSettings, app_id: &str, host: &str) -> ConfigCache {
        ConfigCache {
            settings,
            app_id: app_id.to_string(),
            host: host.to_string(),
            parts: Mutex::new(None),
        }
    }

    /// The parts, the file read first if it has not been.
    fn parts(&self) -> MutexGuard<'_, Option<Parts>> {
        let mut parts = self.parts.lock().unwrap_or_else(PoisonError::into_inner);
        if parts.is_none() {
            *parts = Some(self.read());
        }
        parts
    }

    /// The cached public config's `data`, if the file holds one young enough.
    pub(crate) fn config(&self) -> Option<Value> {
        let parts = self.parts();
        let (at, data) = parts.as_ref()?.config.as_ref()?;
        self.fresh(*at, "public config").then(|| data.clone())
    }

    /// The cached public keys, shaped as `GET /api/v3/system` answers them
    /// (`{"rsa": {"publicKey": …}, "sm2": {"publicKey": …}}`), if young enough.
    pub(crate) fn keys(&self) -> Option<Value> {
        let parts = self.parts();
        let (at, keys) = parts.as_ref()?.keys.as_ref()?;
        self.fresh(*at, "public keys").then(|| keys.clone())
    }

    /// Records a public config just fetched and writes the file.
    pub(crate) fn store_config(&self, data: &Value) {
        let mut parts = self.parts();
        let parts = parts.get_or_insert_with(Parts::default);
        parts.config = Some((now(), kept_config(data)));
        self.write(parts);
    }

    /// Drops the public config (its API host did not serve a call: `request.rs`) and
    /// writes the file without it, so the next load fetches it.
    pub(crate) fn forget_config(&self) {
        let mut parts = self.parts();
        let parts = parts.get_or_insert_with(Parts::default);
        if parts.config.take().is_some() {
            self.write(parts);
        }
    }

    /// Records public keys just fetched (a `GET /api/v3/system` answer) and writes the file.
    pub(crate) fn store_keys(&self, system: &Value) {
        let mut parts = self.parts();
        let parts = parts.get_or_insert_with(Parts::default);
        parts.keys = Some((now(), kept_keys(system)));
        self.write(parts);
    }

    fn fresh(&self, fetched_at: u64, what: &str) -> bool {
        let fresh = is_fresh(fetched_at, now(), self.settings.max_age);
        if !fresh {
            log::debug!(
                target: logging::TARGET,
                "public config cache {}: the {what} is past its age ({} s) or from the future; fetching it again",
                self.settings.path.display(),
                self.settings.max_age.as_secs(),
            );
        }
        fresh
    }

    fn read(&self) -> Parts {
        let path = &self.settings.path;
        match read_file(path).and_then(|text| parse(&text, &self.app_id, &self.host)) {
            Ok(parts) => parts,
            Err(why) => {
                log::debug!(
                    target: logging::TARGET,
                    "public config cache {}: ignored: {why}",
                    path.display()
                );
                Parts::default()
            }
        }
    }

    fn write(&self, parts: &Parts) {
        let text = render(&self.app_id, &self.host, parts);
        let path = &self.settings.path;
        if let Err(e) = crate::owner_file::replace(path, text.as_bytes(), "public-config", "") {
            log::debug!(
                target: logging::TARGET,
                "public config cache {}: not written: {}",
                path.display(),
                e.to_string().to_lowercase()
            );
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Whether a part fetched at `fetched_at` is still used at `now` (Unix seconds).
fn is_fresh(fetched_at: u64, now: u64, max_age: Duration) -> bool {
    fetched_at <= now && now - fetched_at < max_age.as_secs()
}

fn read_file(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string().to_lowercase())?;
    let metadata = file.metadata().map_err(|e| e.to_string().to_lowercase())?;
    trusted(path, &metadata)?;
    let mut text = String::new();
    use std::io::Read;
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string().to_lowercase())?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err("the file is larger than 1 MiB".into());
    }
    Ok(text)
}

/// Whether a cache file may be believed: its `requestHostname` decides where the SDK
/// sends passwords, so on Unix a file that someone else may write (group or others have
/// write permission) or that another user owns is ignored.
fn trusted(path: &Path, metadata: &std::fs::Metadata) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if metadata.permissions().mode() & 0o022 != 0 {
            return Err("group or others may write it".into());
        }
        let me = own_uid(path)?;
        if me != metadata.uid() {
            return Err("another user owns it".into());
        }
    }
    #[cfg(not(unix))]
    let _ = (path, metadata);
    Ok(())
}

/// The process's effective user id, without libc (std has no `geteuid`): the owner of
/// `/proc/self` where it exists (Linux); elsewhere (macOS, the BSDs) the owner of a new,
/// empty file created exclusively beside `path` and removed at once: a file takes the
/// effective uid of the process that creates it, on every Unix. When neither works (no
/// `/proc`, a directory the process may not write), the file is not trusted: the cache
/// is then never read, and the SDK fetches as without one.
#[cfg(unix)]
fn own_uid(path: &Path) -> Result<u32, String> {
    use std::os::unix::fs::MetadataExt;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PROBES: AtomicU64 = AtomicU64::new(0);
    if let Ok(me) = std::fs::metadata("/proc/self") {
        return Ok(me.uid());
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    probe_uid(dir, &PROBES.fetch_add(1, Ordering::Relaxed).to_string())
        .map_err(|e| format!("its owner cannot be checked: {e}"))
}

/// The owner of a new file `.authing-uid-probe-<pid>-<tag>` created in `dir` (and removed).
#[cfg(unix)]
fn probe_uid(dir: &Path, tag: &str) -> Result<u32, String> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let probe = dir.join(format!(".authing-uid-probe-{}-{tag}", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&probe)
        .map_err(|e| e.to_string().to_lowercase())?;
    let uid = file.metadata().map(|m| m.uid());
    let _ = std::fs::remove_file(&probe);
    uid.map_err(|e| e.to_string().to_lowercase())
}

/// The parts of a cache file's text for `app_id` at `host`; why not, if none apply.
fn parse(text: &str, app_id: &str, host: &str) -> Result<Parts, String> {
    let file: Value = serde_json::from_str(text).map_err(|e| format!("not json: {e}"))?;
    let format = file.get("format").and_then(Value::as_u64);
    if format != Some(FORMAT) {
        return Err(format!("format {format:?}, not {FORMAT}"));
    }
    if file.get("appId").and_then(Value::as_str) != Some(app_id) {
        return Err("it is for another app id".into());
    }
    if file.get("host").and_then(Value::as_str) != Some(host) {
        return Err("it is for another host".into());
    }
    let at = |part: &Value| part.get("fetchedAt").and_then(Value::as_u64);
    let config = file.get("publicConfig").and_then(|part| {
        let data = part.get("data").filter(|d| d.is_object())?;
        Some((at(part)?, kept_config(data)))
    });
    let keys = file.get("publicKeys").and_then(|part| {
        let keys = system_shape(part);
        let any = keys.as_object().is_some_and(|k| !k.is_empty());
        any.then_some((at(part)?, keys))
    });
    Ok(Parts { config, keys })
}

/// The file's text for `parts`.
fn render(app_id: &str, host: &str, parts: &Parts) -> String {
    let mut file = json!({ "format": FORMAT, "appId": app_id, "host": host });
    if let Some((at, data)) = &parts.config {
        file["publicConfig"] = json!({ "fetchedAt": at, "data": data });
    }
    if let Some((at, keys)) = &parts.keys {
        let mut part = json!({ "fetchedAt": at });
        for kind in ["rsa", "sm2"] {
            if let Some(key) = keys.pointer(&format!("/{kind}/publicKey")) {
                part[kind] = key.clone();
            }
        }
        file["publicKeys"] = part;
    }
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// What is kept of a public config's `data` (see the module docs).
fn kept_config(data: &Value) -> Value {
    let mut kept = Map::new();
    for field in CONFIG_FIELDS {
        if let Some(text) = data.get(field).filter(|v| v.is_string()) {
            kept.insert(field.to_string(), text.clone());
        }
    }
    if let Some(list) = data.get("ecConnections").and_then(Value::as_array) {
        let connections = list
            .iter()
            .map(|entry| {
                let mut kept = Map::new();
                for field in CONNECTION_FIELDS {
                    if let Some(text) = entry.get(field).filter(|v| v.is_string()) {
                        kept.insert(field.to_string(), text.clone());
                    }
                }
                Value::Object(kept)
            })
            .collect();
        kept.insert("ecConnections".into(), Value::Array(connections));
    }
    Value::Object(kept)
}

/// What is kept of a `GET /api/v3/system` answer: the two public keys, in its shape.
fn kept_keys(system: &Value) -> Value {
    let mut kept = Map::new();
    for kind in ["rsa", "sm2"] {
        if let Some(key) = system
            .pointer(&format!("/{kind}/publicKey"))
            .filter(|k| k.is_string())
        {
            kept.insert(kind.to_string(), json!({ "publicKey": key }));
        }
    }
    Value::Object(kept)
}

/// The file's `publicKeys` part (`{"rsa": "…", "sm2": "…"}`) in the shape of a
/// `GET /api/v3/system` answer.
fn system_shape(part: &Value) -> Value {
    let mut keys = Map::new();
    for kind in ["rsa", "sm2"] {
        if let Some(key) = part.get(kind).filter(|k| k.is_string()) {
            keys.insert(kind.to_string(), json!({ "publicKey": key }));
        }
    }
    Value::Object(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "app-1";
    const HOST: &str = "https://console.example.com";

    fn config_data() -> Value {
        json!({
            "requestHostname": "https://app1.example.com",
            "identifier": "app1",
            "userPoolId": "pool-9",
            "ecConnections": [{"type": "wechat:mobile", "identifier": "wx", "id": "c1", "appSecret": "s3cret-app"}],
            "css": "body {}",
            "oidcConfig": {"client_secret": "s3cret-client"},
        })
    }

    fn system() -> Value {
        json!({
            "rsa": {"publicKey": "RSA-KEY", "privateKey": "s3cret-private"},
            "sm2": {"publicKey": "SM2-KEY"},
            "version": "3.0",
        })
    }

    fn both() -> Parts {
        Parts {
            config: Some((100, kept_config(&config_data()))),
            keys: Some((200, kept_keys(&system()))),
        }
    }

    #[test]
    fn a_file_reads_back_as_written() {
        let text = render(APP, HOST, &both());
        assert_eq!(parse(&text, APP, HOST), Ok(both()));
        let file: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(file["format"], 1);
        assert_eq!(file["appId"], APP);
        assert_eq!(file["host"], HOST);
        assert_eq!(file["publicConfig"]["fetchedAt"], 100);
        assert_eq!(file["publicKeys"]["fetchedAt"], 200);
        assert_eq!(file["publicKeys"]["rsa"], "RSA-KEY");
        assert_eq!(file["publicConfig"]["data"]["userPoolId"], "pool-9");
    }

    #[test]
    fn only_the_fields_the_sdk_uses_are_written() {
        let text = render(APP, HOST, &both());
        for secret in ["s3cret", "css", "version", "privateKey", "oidcConfig"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("wechat:mobile") && text.contains("SM2-KEY"));
    }

    #[test]
    fn another_app_host_or_format_is_ignored() {
        let text = render(APP, HOST, &both());
        assert!(parse(&text, "app-2", HOST).unwrap_err().contains("app id"));
        assert!(parse(&text, APP, "https://other.example.com")
            .unwrap_err()
            .contains("host"));
        let other_format = text.replace("\"format\": 1", "\"format\": 2");
        assert!(parse(&other_format, APP, HOST)
            .unwrap_err()
            .contains("format"));
        assert!(parse("{not json", APP, HOST).unwrap_err().contains("json"));
        assert!(parse("[]", APP, HOST).is_err());
    }

    #[test]
    fn a_part_without_its_time_or_keys_is_left_out() {
        let file = json!({"format": 1, "appId": APP, "host": HOST,
            "publicConfig": {"data": {"identifier": "app1"}},
            "publicKeys": {"fetchedAt": 5}});
        assert_eq!(parse(&file.to_string(), APP, HOST), Ok(Parts::default()));
    }

    #[test]
    fn a_part_is_fresh_below_its_age_and_never_from_the_future() {
        let day = Duration::from_secs(86_400);
        assert!(is_fresh(1_000, 1_000, day));
        assert!(is_fresh(1_000, 1_000 + 86_399, day));
        assert!(!is_fresh(1_000, 1_000 + 86_400, day));
        assert!(!is_fresh(2_000, 1_000, day), "the clock went back");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_others_may_write_is_not_believed() {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!(
            "authing-config-cache-unit-mode-{}-{}.json",
            std::process::id(),
            now()
        ));
        std::fs::write(&path, render(APP, HOST, &both())).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(read_file(&path).is_ok());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(
            read_file(&path).unwrap_err(),
            "group or others may write it"
        );
        let _ = std::fs::remove_file(&path);
    }

    #[cfg(unix)]
    #[test]
    fn the_probe_file_is_owned_by_the_process_user_and_removed() {
        use std::os::unix::fs::MetadataExt;
        let dir = std::env::temp_dir().join(format!(
            "authing-config-cache-unit-probe-{}-{}",
            std::process::id(),
            now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mine = std::fs::metadata(&dir).unwrap().uid();
        assert_eq!(probe_uid(&dir, "t"), Ok(mine));
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            0,
            "the probe is removed"
        );
        let missing = dir.join("missing");
        assert!(probe_uid(&missing, "t").is_err(), "no directory: no uid");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_cache_writes_owner_only_and_reads_back_in_another_client() {
        let dir = std::env::temp_dir().join(format!(
            "authing-config-cache-unit-{}-{}",
            std::process::id(),
            now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let settings = CacheSettings {
            path: dir.join("public-config.json"),
            max_age: DEFAULT_PUBLIC_CONFIG_CACHE_MAX_AGE,
        };
        let first = ConfigCache::new(settings.clone(), APP, HOST);
        assert_eq!(first.config(), None, "no file yet");
        first.store_config(&config_data());
        first.store_keys(&system());
        let second = ConfigCache::new(settings.clone(), APP, HOST);
        assert_eq!(second.config(), Some(kept_config(&config_data())));
        assert_eq!(
            second.keys(),
            Some(json!({"rsa": {"publicKey": "RSA-KEY"}, "sm2": {"publicKey": "SM2-KEY"}}))
        );
        let other = ConfigCache::new(settings.clone(), "app-2", HOST);
        assert_eq!(other.keys(), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&settings.path)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
