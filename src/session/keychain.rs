//! [`KeyringTokenStore`]: the session in the operating system's keychain (feature
//! `keyring`), through the `keyring` crate.

use std::fmt;

use keyring::{Entry, Error as KeyringError};
use serde_json::Value;

use crate::session::store::{is_session_json, Session, TokenStore, TokenStoreError};

/// A [`TokenStore`] that keeps the session in the operating system's credential store, so
/// that a desktop app stays signed in across restarts without a token file on disk
/// (feature `keyring`).
///
/// - **Where**: macOS's Keychain, Windows' Credential Manager, and on Linux the kernel's
///   key retention service (keyutils: the user's session keyring, linked to the
///   persistent keyring where the system allows it). The kernel keyring works headless (a
///   server, CI, a container that allows the `add_key` and `keyctl` calls) but keeps keys
///   in memory only: they last while the user has a session (and the persistent keyring,
///   a few days after), never across a reboot. The Secret Service (GNOME Keyring,
///   KWallet), which does, is not built in (it needs the D-Bus C library or an async
///   runtime); an app that wants it adds `keyring = { version = "3.6", features =
///   ["sync-secret-service", "crypto-rust"] }` to its own `Cargo.toml`, and this store then
///   uses it on Linux (the `keyring` crate's own rule: the Secret Service is the default
///   when both are built). An app that calls `keyring::set_default_credential_builder`
///   gets its builder here too (the `keyring` crate's mock store, in the app's own tests).
/// - **Which entry**: service `authing:<app id>@<host>` (the host as given to
///   [`new`](Self::new), `https://` and a trailing `/` left out) and user name `session`
///   ([`with_user`](Self::with_user) picks another, for several accounts of one app).
/// - **What it keeps**: the session's JSON form ([`Session::to_json`], format version 2),
///   which records the app id and API base URL of the client that saved it. A client of
///   another app or API finds no session in the entry and never sends its tokens; an entry
///   recording another app id than this store's is no session either, and is left in
///   place by [`clear`](TokenStore::clear). [`clear_if`](TokenStore::clear_if) removes the
///   entry only if it still holds the tokens being ended (another copy of the app may have
///   saved newer ones).
/// - **At most [`MAX_SECRET_BYTES`](Self::MAX_SECRET_BYTES) (2,560) bytes on every
///   platform**, the limit of a Windows credential, so an app tested on Linux or macOS
///   does not break on Windows. When the JSON form is longer, the store leaves out first
///   the user profile ([`get_current_user`](crate::AuthClient::get_current_user) is then
///   `None` after a restart until [`get_profile`](crate::AuthClient::get_profile) fetches
///   it again), then the id token (after a restart, `get_token().id_token()` is `None`
///   until a refresh brings a new one; `logout` still revokes both tokens, but after a
///   browser sign-in it cannot end the provider's own session without it, and
///   `link_ext_idp` needs one passed). The access token, refresh token, expiry and app are
///   always kept; a session too long even then is not saved, and the call answers status
///   code 10016 (`the session is too long for the keychain: …`, with sizes, never a
///   token). The session in memory is never cut: only what the next run reads is.
/// - **Careful with other entries**: an entry under this service and user that is not an
///   authing session is never replaced or removed; reading, saving or clearing it is an
///   error that names the entry (10016). A session written by a newer version of this
///   crate is refused too.
/// - **Errors** (a locked or unreachable keychain, one that refuses the app) are
///   [`TokenStoreError`]s that name the entry and never quote a token; a missing entry is
///   no session, and clearing it is no error. The keychain may prompt the user (macOS does
///   for an app it does not know yet): the client calls the store outside the lock its
///   readers take (see [`TokenStore`]), so a GUI thread reading the session is not blocked
///   meanwhile.
/// - `Debug` shows the service and user name only.
///
/// ```no_run
/// use authing::{AuthClient, KeyringTokenStore};
///
/// let app_id = "60caaf41df670b771fd08937";
/// let app_host = "https://myapp.authing.cn";
/// let store = KeyringTokenStore::new(app_id, app_host); // authing:60caaf41df670b771fd08937@myapp.authing.cn
/// let client = AuthClient::builder()
///     .app_id(app_id)
///     .app_host(app_host)
///     .token_store(store)
///     .build()?;
/// // Signed in from the last run, if it signed in and did not log out.
/// println!("{:?}", client.get_current_user().map(|u| u.user_id().to_string()));
/// # Ok::<(), authing::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct KeyringTokenStore {
    app_id: String,
    service: String,
    user: String,
}

/// What is left out of the saved form, in this order, until it fits.
const SHEDDABLE: [Shed; 2] = [Shed::User, Shed::IdToken];

#[derive(Clone, Copy)]
enum Shed {
    User,
    IdToken,
}

impl KeyringTokenStore {
    /// The most bytes the store writes to an entry, on every platform: 2,560, the size of
    /// a Windows credential's secret (`CRED_MAX_CREDENTIAL_BLOB_SIZE`). The JSON form is
    /// written as bytes, not as a keyring "password", which Windows would keep as UTF-16
    /// and so fit only half as much.
    ///
    /// ```
    /// assert_eq!(authing::KeyringTokenStore::MAX_SECRET_BYTES, 2560);
    /// ```
    pub const MAX_SECRET_BYTES: usize = 2560;

    /// The entry's user name unless [`with_user`](Self::with_user) sets another.
    ///
    /// ```
    /// assert_eq!(authing::KeyringTokenStore::DEFAULT_USER, "session");
    /// ```
    pub const DEFAULT_USER: &'static str = "session";

    /// A store for the app `app_id` at `app_host` (what the client's builder is given):
    /// the entry with service `authing:<app id>@<host>` and user name `session`. Nothing
    /// is read or written until the client needs it.
    ///
    /// ```
    /// let store = authing::KeyringTokenStore::new("app-1", "https://myapp.authing.cn/");
    /// assert_eq!(store.service(), "authing:app-1@myapp.authing.cn");
    /// assert_eq!(store.user(), "session");
    /// let local = authing::KeyringTokenStore::new("app-1", "http://127.0.0.1:8787");
    /// assert_eq!(local.service(), "authing:app-1@http://127.0.0.1:8787");
    /// ```
    pub fn new(app_id: impl Into<String>, app_host: impl AsRef<str>) -> KeyringTokenStore {
        let app_id = app_id.into();
        let host = app_host.as_ref().trim();
        let host = host.strip_prefix("https://").unwrap_or(host);
        let host = host.trim_end_matches('/');
        KeyringTokenStore {
            service: format!("authing:{app_id}@{host}"),
            app_id,
            user: KeyringTokenStore::DEFAULT_USER.to_string(),
        }
    }

    /// The same store with the entry's user name `user` (the default is `session`): one
    /// entry per name, for an app that keeps several accounts signed in.
    ///
    /// ```
    /// let store = authing::KeyringTokenStore::new("app-1", "https://myapp.authing.cn")
    ///     .with_user("work");
    /// assert_eq!(store.user(), "work");
    /// ```
    pub fn with_user(mut self, user: impl Into<String>) -> KeyringTokenStore {
        self.user = user.into();
        self
    }

    /// The entry's service name, `authing:<app id>@<host>`.
    ///
    /// ```
    /// let store = authing::KeyringTokenStore::new("app-1", "https://myapp.authing.cn");
    /// println!("look for {} in the keychain", store.service());
    /// ```
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The entry's user name.
    ///
    /// ```
    /// let store = authing::KeyringTokenStore::new("app-1", "https://myapp.authing.cn");
    /// assert_eq!(store.user(), authing::KeyringTokenStore::DEFAULT_USER);
    /// ```
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The app id the store was made for: an entry recording another one is no session.
    ///
    /// ```
    /// let store = authing::KeyringTokenStore::new("app-1", "https://myapp.authing.cn");
    /// assert_eq!(store.app_id(), "app-1");
    /// ```
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The text the store would write for `session`: its JSON form, without the user
    /// profile and then without the id token when it is longer than
    /// [`MAX_SECRET_BYTES`](Self::MAX_SECRET_BYTES); an error when it is longer still. It
    /// holds tokens: keep it secret.
    ///
    /// ```no_run
    /// # fn f(session: authing::Session) {
    /// let store = authing::KeyringTokenStore::new("app-1", "https://myapp.authing.cn");
    /// let saved = store.saved_form(&session).expect("short enough");
    /// assert!(saved.len() <= authing::KeyringTokenStore::MAX_SECRET_BYTES);
    /// # }
    /// ```
    pub fn saved_form(&self, session: &Session) -> Result<String, TokenStoreError> {
        let mut value: Value = serde_json::from_str(&session.to_json())
            .map_err(|_| self.fail("the session has no json form"))?;
        let full = value.to_string();
        if full.len() <= Self::MAX_SECRET_BYTES {
            return Ok(full);
        }
        for shed in SHEDDABLE {
            match shed {
                Shed::User => {
                    if let Some(map) = value.as_object_mut() {
                        map.remove("user");
                    }
                }
                Shed::IdToken => {
                    if let Some(tokens) = value.get_mut("tokens").and_then(Value::as_object_mut) {
                        tokens.remove("id_token");
                    }
                }
            }
            let text = value.to_string();
            if text.len() <= Self::MAX_SECRET_BYTES {
                return Ok(text);
            }
        }
        let tokens = session.tokens();
        Err(self.fail(format_args!(
            "the session is too long for the keychain: {} bytes without the user profile and id token (the access token is {} bytes, the refresh token {}), over the {} bytes a windows credential holds",
            value.to_string().len(),
            tokens.access_token().len(),
            tokens.refresh_token().map_or(0, str::len),
            Self::MAX_SECRET_BYTES
        )))
    }

    fn fail(&self, what: impl fmt::Display) -> TokenStoreError {
        TokenStoreError::new(format!(
            "keychain entry {} (user {}): {what}",
            self.service, self.user
        ))
    }

    /// `what` failed with `error`, in words without secrets.
    fn failed(&self, what: &str, error: KeyringError) -> TokenStoreError {
        let why = match error {
            KeyringError::NoStorageAccess(e) => format!(
                "the keychain could not be reached (locked, or not available here): {}",
                lower(&e.to_string())
            ),
            KeyringError::PlatformFailure(e) => {
                format!("the keychain failed: {}", lower(&e.to_string()))
            }
            KeyringError::NoEntry => "there is no such entry".to_string(),
            // The error holds the entry's bytes: never shown.
            KeyringError::BadEncoding(_) => "the entry is not utf-8 text".to_string(),
            KeyringError::TooLong(name, limit) => {
                format!("the {name} is longer than the keychain allows ({limit})")
            }
            KeyringError::Invalid(name, reason) => format!("the {name} is invalid: {reason}"),
            KeyringError::Ambiguous(found) => {
                format!("{} keychain entries match the name", found.len())
            }
            other => format!("the keychain failed: {}", lower(&other.to_string())),
        };
        self.fail(format_args!("could not be {what}: {why}"))
    }

    /// Runs `op` on the entry: `Ok(None)` when there is no entry.
    fn with_entry<T>(
        &self,
        what: &str,
        op: impl Fn(&Entry) -> keyring::Result<T>,
    ) -> Result<Option<T>, TokenStoreError> {
        let entry = || Entry::new(&self.service, &self.user).map_err(|e| self.failed(what, e));
        let first = entry()?;
        let result = match op(&first) {
            // Linux's kernel keyring, in a process that had no session keyring (a service,
            // a container, a test harness): making the first entry gave the process a
            // session keyring of its own, so the one that entry holds is no longer the
            // process's and its keys are out of reach. An entry made now uses the new one.
            Err(KeyringError::NoEntry) if is_kernel_keyring(&first) => op(&entry()?),
            result => result,
        };
        match result {
            Ok(value) => Ok(Some(value)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(self.failed(what, e)),
        }
    }

    /// What the entry holds, read as far as the store needs to decide.
    fn held(&self) -> Result<Held, TokenStoreError> {
        let Some(bytes) = self.with_entry("read", Entry::get_secret)? else {
            return Ok(Held::Nothing);
        };
        let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
            return Ok(Held::Foreign);
        };
        if !is_session_json(&value) {
            return Ok(Held::Foreign);
        }
        match Session::from_value(&value) {
            Err(e) => Ok(Held::Corrupt(e)),
            Ok(session) => match session.app_id() {
                Some(id) if id != self.app_id => Ok(Held::OtherApp),
                _ => Ok(Held::Session(Box::new(session))),
            },
        }
    }

    fn not_ours(&self, doing: &str) -> TokenStoreError {
        self.fail(format_args!(
            "is not an authing session; refusing to {doing} it (delete it yourself if it is stale)"
        ))
    }

    fn delete(&self) -> Result<(), TokenStoreError> {
        self.with_entry("removed", Entry::delete_credential)
            .map(|_| ())
    }
}

/// What an entry holds.
enum Held {
    Nothing,
    /// Not an authing session (not JSON, or no `format` marker).
    Foreign,
    /// An authing session that cannot be read (a newer version, a missing field).
    Corrupt(TokenStoreError),
    /// A session that records another app id than the store's.
    OtherApp,
    Session(Box<Session>),
}

impl TokenStore for KeyringTokenStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        match self.held()? {
            Held::Nothing | Held::OtherApp => Ok(None),
            Held::Foreign => Err(self.fail("is not an authing session")),
            Held::Corrupt(e) => Err(self.fail(e.reason())),
            Held::Session(session) => Ok(Some(*session)),
        }
    }

    fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
        if let Some(id) = session.app_id() {
            if id != self.app_id {
                return Err(self.fail(format_args!(
                    "is for app {}; refusing to save a session of app {id} in it",
                    self.app_id
                )));
            }
        }
        if let Held::Foreign = self.held()? {
            return Err(self.not_ours("replace"));
        }
        let text = self.saved_form(session)?;
        match self.with_entry("written", |entry| entry.set_secret(text.as_bytes()))? {
            Some(()) => Ok(()),
            // The kernel keyring answers a refused write as "no such key".
            None => Err(self.fail("could not be written: the keychain refused the entry")),
        }
    }

    /// Removes the entry when it holds a session of this store's app (or one that cannot be
    /// read); an entry of another app is left in place, and one that is not an authing
    /// session is refused.
    fn clear(&self) -> Result<(), TokenStoreError> {
        match self.held()? {
            Held::Nothing | Held::OtherApp => Ok(()),
            Held::Foreign => Err(self.not_ours("remove")),
            Held::Corrupt(_) | Held::Session(_) => self.delete(),
        }
    }

    /// Removes the entry only if it still holds `session`'s tokens (see
    /// [`TokenStore::clear_if`]).
    fn clear_if(&self, session: &Session) -> Result<(), TokenStoreError> {
        match self.held()? {
            Held::Nothing | Held::OtherApp => Ok(()),
            Held::Foreign => Err(self.not_ours("remove")),
            // Unreadable (a newer format version, a missing field): it cannot be shown to
            // hold the ended session, so it stays (a newer copy of the app may have saved it).
            Held::Corrupt(_) => Ok(()),
            Held::Session(held) if !held.holds_same_tokens(session) => Ok(()),
            Held::Session(_) => self.delete(),
        }
    }
}

impl fmt::Debug for KeyringTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyringTokenStore")
            .field("service", &self.service)
            .field("user", &self.user)
            .finish()
    }
}

/// Whether `entry` is on Linux's kernel keyring.
#[cfg(target_os = "linux")]
fn is_kernel_keyring(entry: &Entry) -> bool {
    entry
        .get_credential()
        .is::<keyring::keyutils::KeyutilsCredential>()
}

#[cfg(not(target_os = "linux"))]
fn is_kernel_keyring(_: &Entry) -> bool {
    false
}

/// An error's text, lowercased (platforms capitalize their messages).
fn lower(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store(test: &str) -> KeyringTokenStore {
        KeyringTokenStore::new("app-1", "https://unit.authing.invalid")
            .with_user(format!("unit-{}-{test}", std::process::id()))
    }

    fn session(app_id: &str, access_token: &str, extra: Value) -> Session {
        let mut value = json!({
            "format": "authing-session", "version": 2,
            "tokens": {"access_token": access_token, "refresh_token": "rt-unit",
                "token_type": "Bearer", "expire_in": 3600, "expires_at_ms": 4_102_444_800_000u64},
            "app": {"id": app_id, "api": "https://unit.authing.invalid"},
        });
        if let (Some(map), Value::Object(extra)) = (value.as_object_mut(), extra) {
            map.extend(extra);
        }
        Session::from_json(&value.to_string()).unwrap()
    }

    /// Writes `bytes` to the store's entry as another program would, or `None` (after a
    /// loud note) when this machine has no keychain the tests can use.
    fn raw_write(store: &KeyringTokenStore, bytes: &[u8]) -> Option<()> {
        match store.with_entry("written", |e| e.set_secret(bytes)) {
            Ok(_) => Some(()),
            Err(e) => {
                assert_ne!(
                    std::env::var("AUTHING_REQUIRE_KEYCHAIN").as_deref(),
                    Ok("1"),
                    "no keychain: {e}"
                );
                eprintln!("SKIPPED (no keychain here): {e}");
                None
            }
        }
    }

    fn raw_read(store: &KeyringTokenStore) -> Option<Vec<u8>> {
        store.with_entry("read", Entry::get_secret).unwrap()
    }

    fn raw_delete(store: &KeyringTokenStore) {
        let _ = store.with_entry("removed", Entry::delete_credential);
    }

    #[test]
    fn a_session_that_fits_is_saved_whole() {
        let s = session(
            "app-1",
            "at-1",
            json!({"user": {"userId": "u-1"}, "oidc": true}),
        );
        assert_eq!(store("fits").saved_form(&s).unwrap(), s.to_json());
    }

    #[test]
    fn the_profile_goes_first_then_the_id_token_then_the_save_is_refused() {
        let store = store("shed");
        let fat_user = json!({"user": {"userId": "u-1", "bio": "b".repeat(2_600)},
            "tokens": {"access_token": "at-1", "refresh_token": "rt-1", "id_token": "id-1",
                "expire_in": 3600, "expires_at_ms": 1u64}});
        let form: Value = serde_json::from_str(
            &store
                .saved_form(&session("app-1", "at-1", fat_user))
                .unwrap(),
        )
        .unwrap();
        assert!(form.get("user").is_none());
        assert_eq!(form["tokens"]["id_token"], "id-1");
        assert_eq!(form["app"]["id"], "app-1");

        let long_id = json!({"user": {"userId": "u-1"},
            "tokens": {"access_token": "at-1", "refresh_token": "rt-1",
                "id_token": "i".repeat(2_600), "expire_in": 3600, "expires_at_ms": 1u64}});
        let text = store
            .saved_form(&session("app-1", "at-1", long_id))
            .unwrap();
        let form: Value = serde_json::from_str(&text).unwrap();
        assert!(form.get("user").is_none() && form["tokens"].get("id_token").is_none());
        assert_eq!(
            (
                &form["tokens"]["access_token"],
                &form["tokens"]["refresh_token"]
            ),
            (&json!("at-1"), &json!("rt-1"))
        );
        assert_eq!(form["tokens"]["expires_at_ms"], 1);
        let back = Session::from_json(&text).unwrap();
        assert_eq!(back.app_id(), Some("app-1"));

        let secret = format!("at-secret-{}", "s".repeat(2_600));
        let error = store
            .saved_form(&session("app-1", &secret, json!({})))
            .unwrap_err();
        assert!(!error.reason().contains("at-secret") && !error.reason().contains("rt-unit"));
        assert!(
            error
                .reason()
                .contains("(the access token is 2610 bytes, the refresh token 7)"),
            "{error}"
        );
    }

    #[test]
    fn an_entry_that_is_not_an_authing_session_is_refused_and_left_in_place() {
        let store = store("foreign");
        for bytes in [
            &b"hunter2-password"[..],
            b"{\"format\":\"other\"}",
            b"\xff\xfe-bytes",
        ] {
            if raw_write(&store, bytes).is_none() {
                return;
            }
            let load = store.load().unwrap_err();
            let save = store
                .save(&session("app-1", "at-1", json!({})))
                .unwrap_err();
            let clear = store.clear().unwrap_err();
            let clear_if = store
                .clear_if(&session("app-1", "at-1", json!({})))
                .unwrap_err();
            let name = format!(
                "keychain entry {} (user {}): ",
                store.service(),
                store.user()
            );
            assert!(load.reason().starts_with(&name), "{load}");
            assert!(
                load.reason().contains("is not an authing session"),
                "{load}"
            );
            assert!(
                save.reason()
                    .ends_with("refusing to replace it (delete it yourself if it is stale)"),
                "{save}"
            );
            assert!(clear.reason().contains("refusing to remove it"), "{clear}");
            assert_eq!(clear_if, clear);
            for e in [&load, &save, &clear] {
                assert!(!e.reason().contains("hunter2"), "{e}");
            }
            assert_eq!(raw_read(&store).as_deref(), Some(bytes), "left in place");
        }
        raw_delete(&store);
    }

    #[test]
    fn an_entry_of_another_app_is_no_session_and_is_not_removed() {
        let store = store("other-app");
        let theirs = session("app-2", "at-2", json!({}));
        if raw_write(&store, theirs.to_json().as_bytes()).is_none() {
            return;
        }
        assert!(store.load().unwrap().is_none());
        store.clear().unwrap();
        store.clear_if(&theirs).unwrap();
        assert!(raw_read(&store).is_some(), "app 2's entry is still there");
        // Saving app 1's session over it is this store's to do (the entry is named for
        // app 1); saving app 2's session in app 1's entry is refused.
        let error = store.save(&theirs).unwrap_err();
        assert!(
            error
                .reason()
                .ends_with("is for app app-1; refusing to save a session of app app-2 in it"),
            "{error}"
        );
        let ours = session("app-1", "at-1", json!({}));
        store.save(&ours).unwrap();
        assert!(store.load().unwrap().unwrap().holds_same_tokens(&ours));
        store.clear().unwrap();
        assert!(raw_read(&store).is_none());
    }

    #[test]
    fn a_corrupt_or_newer_session_is_an_error_kept_by_clear_if_and_removed_by_clear() {
        let store = store("corrupt");
        let newer = json!({"format": "authing-session", "version": 99}).to_string();
        if raw_write(&store, newer.as_bytes()).is_none() {
            return;
        }
        let error = store.load().unwrap_err();
        assert!(error.reason().ends_with("the session was written by a newer version of the authing crate (format version 99; this one reads 2)"), "{error}");
        // Ending another session leaves it: it cannot be shown to hold that one.
        store
            .clear_if(&session("app-1", "at-1", json!({})))
            .unwrap();
        assert_eq!(raw_read(&store).as_deref(), Some(newer.as_bytes()));
        store.clear().unwrap();
        assert!(raw_read(&store).is_none());
        assert!(store.load().unwrap().is_none());
    }
}
