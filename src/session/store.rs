//! Where a session lives: the [`TokenStore`] trait, the saved [`Session`], its JSON form,
//! and the default [`MemoryTokenStore`].

use std::fmt;
use std::sync::{Mutex, PoisonError};

use serde_json::{json, Value};

use crate::model::UserInfo;
use crate::session::TokenSet;

/// The `format` marker of a saved session's JSON form.
pub(crate) const FORMAT: &str = "authing-session";
/// The version of the JSON form this crate writes. It reads this one and version 1, which
/// recorded no app (see [`Session::app_id`]).
pub const SESSION_FORMAT_VERSION: u64 = 2;

/// A signed-in session: the [`TokenSet`] and, when it could be fetched, the user.
///
/// A [`TokenStore`] keeps one; [`Session::to_json`] and [`Session::from_json`] give the
/// JSON form the [`FileTokenStore`](crate::FileTokenStore) writes, for stores of your own
/// (a keyring, say). `Debug` hides every token.
///
/// ```no_run
/// # let client = authing::AuthClient::new();
/// if let Some(tokens) = client.get_token() {
///     let session = authing::Session::new(tokens, client.get_current_user());
///     let text = session.to_json(); // holds the tokens: keep it secret
///     assert_eq!(authing::Session::from_json(&text).unwrap().tokens().access_token(),
///                session.tokens().access_token());
/// }
/// ```
#[derive(Clone, PartialEq)]
pub struct Session {
    tokens: TokenSet,
    user: Option<UserInfo>,
    /// Started by the OpenID Connect authorization code flow (a browser sign-in): the
    /// provider keeps a session of its own, which sign-out ends.
    oidc: bool,
    /// The app and API the session was started with (`None` until a client saves it, and
    /// in a version 1 file).
    app: Option<SessionApp>,
}

/// Which app a session belongs to: the app id and the API base URL its tokens go to.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct SessionApp {
    pub(crate) app_id: String,
    pub(crate) api: String,
}

impl Session {
    /// A session of `tokens` and `user`.
    ///
    /// ```no_run
    /// # fn f(tokens: authing::TokenSet) {
    /// let session = authing::Session::new(tokens, None);
    /// # let _ = session; }
    /// ```
    pub fn new(tokens: TokenSet, user: Option<UserInfo>) -> Session {
        Session {
            tokens,
            user,
            oidc: false,
            app: None,
        }
    }

    /// The same session, recorded as belonging to `app`.
    pub(crate) fn for_app(mut self, app: &SessionApp) -> Session {
        self.app = Some(app.clone());
        self
    }

    /// Whether it records `app` (a session without an app belongs to none).
    pub(crate) fn belongs_to(&self, app: &SessionApp) -> bool {
        self.app.as_ref() == Some(app)
    }

    /// The app id of the client that saved it (`"app"."id"` in the JSON form); `None` for
    /// a session no client has saved yet, or one read from a version 1 form, which did not
    /// record it. A client uses a stored session only when it records the client's own app
    /// id and API base URL: another app's session, or one that cannot say whose it is, is
    /// no session for it, so its tokens are never sent to the wrong host.
    ///
    /// ```
    /// let text = r#"{"format":"authing-session","version":2,"tokens":{"access_token":"a","token_type":"Bearer","expire_in":7200,"expires_at_ms":0},"app":{"id":"app-1","api":"https://one.authing.cn"}}"#;
    /// let session = authing::Session::from_json(text).unwrap();
    /// assert_eq!(session.app_id(), Some("app-1"));
    /// assert_eq!(session.api_base(), Some("https://one.authing.cn"));
    /// ```
    pub fn app_id(&self) -> Option<&str> {
        self.app.as_ref().map(|a| a.app_id.as_str())
    }

    /// The API the session's tokens belong to (`"app"."api"` in the JSON form): the client's
    /// `app_host` base URL, or, for a client that discovers its host, where it discovers it
    /// from. `None` as for [`app_id`](Self::app_id).
    ///
    /// ```no_run
    /// # fn f(session: authing::Session) {
    /// println!("{:?}", session.api_base());
    /// # }
    /// ```
    pub fn api_base(&self) -> Option<&str> {
        self.app.as_ref().map(|a| a.api.as_str())
    }

    /// Whether `other` holds the same tokens (the same access token and refresh token):
    /// for [`TokenStore::clear_if`], to tell the session being ended from a newer one.
    ///
    /// ```no_run
    /// # fn f(a: authing::Session, b: authing::Session) {
    /// if a.holds_same_tokens(&b) { println!("the same session"); }
    /// # }
    /// ```
    pub fn holds_same_tokens(&self, other: &Session) -> bool {
        self.tokens.access_token() == other.tokens.access_token()
            && self.tokens.refresh_token() == other.tokens.refresh_token()
    }

    /// The same session, marked as started by the OpenID Connect authorization code flow.
    pub(crate) fn with_oidc_session(mut self) -> Session {
        self.oidc = true;
        self
    }

    /// Whether a browser sign-in started it, so that the provider holds a session of its
    /// own that sign-out ends (`"oidc": true` in the JSON form).
    ///
    /// ```no_run
    /// # fn f(session: authing::Session) {
    /// println!("ends an oidc session at sign-out: {}", session.has_oidc_session());
    /// # }
    /// ```
    pub fn has_oidc_session(&self) -> bool {
        self.oidc
    }

    /// The session after a refresh: the new tokens (keeping what the server did not
    /// reissue), the same user, the same origin.
    pub(crate) fn renewed(&self, tokens: TokenSet) -> Session {
        Session {
            tokens: tokens.renewed_from(&self.tokens),
            user: self.user.clone(),
            oidc: self.oidc,
            app: self.app.clone(),
        }
    }

    /// The tokens.
    ///
    /// ```no_run
    /// # fn f(session: authing::Session) {
    /// println!("expired: {}", session.tokens().is_expired());
    /// # }
    /// ```
    pub fn tokens(&self) -> &TokenSet {
        &self.tokens
    }

    /// The user, when it was fetched.
    ///
    /// ```no_run
    /// # fn f(session: authing::Session) {
    /// if let Some(user) = session.user() { println!("{}", user.user_id()); }
    /// # }
    /// ```
    pub fn user(&self) -> Option<&UserInfo> {
        self.user.as_ref()
    }

    pub(crate) fn with_user(&self, user: Option<UserInfo>) -> Session {
        Session {
            tokens: self.tokens.clone(),
            user,
            oidc: self.oidc,
            app: self.app.clone(),
        }
    }

    /// The JSON form: `{"format":"authing-session","version":2,"tokens":{..},"user":{..},
    /// "app":{"id":..,"api":..}}`, the access token's expiry as `tokens.expires_at_ms`
    /// (milliseconds since the Unix epoch), the app the session belongs to as `app` (once a
    /// client has saved it; see [`app_id`](Self::app_id)), `"oidc":true` after a
    /// browser sign-in, and `"userPartial":true` while the user is the partial one built
    /// from the sign-in's id_token ([`UserInfo::is_partial`]; a crate that does not know
    /// the key reads the user as a full one). It holds the tokens in clear: store it where only the user can read
    /// it.
    ///
    /// ```no_run
    /// # fn f(session: authing::Session) {
    /// assert!(session.to_json().contains(r#""version":2"#));
    /// # }
    /// ```
    pub fn to_json(&self) -> String {
        let mut value = json!({
            "format": FORMAT,
            "version": SESSION_FORMAT_VERSION,
            "tokens": self.tokens.to_saved(),
            "user": self.user.as_ref().map(UserInfo::data),
        });
        if self.oidc {
            value["oidc"] = json!(true);
        }
        if self.user.as_ref().is_some_and(UserInfo::is_partial) {
            value["userPartial"] = json!(true);
        }
        if let Some(app) = &self.app {
            value["app"] = json!({"id": app.app_id, "api": app.api});
        }
        value.to_string()
    }

    /// Reads the JSON form (this version, or version 1, which recorded no app). A text that
    /// is not JSON, not this format, of a newer version, or missing a field is a
    /// [`TokenStoreError`] that says which (never quoting a token).
    ///
    /// ```
    /// let error = authing::Session::from_json("{}").unwrap_err();
    /// assert_eq!(error.to_string(), "token store failed: not an authing session (no \"format\": \"authing-session\")");
    /// ```
    pub fn from_json(text: &str) -> Result<Session, TokenStoreError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|_| TokenStoreError::new("not an authing session (not json)"))?;
        Session::from_value(&value)
    }

    pub(crate) fn from_value(value: &Value) -> Result<Session, TokenStoreError> {
        if !is_session_json(value) {
            return Err(TokenStoreError::new(format!(
                "not an authing session (no \"format\": \"{FORMAT}\")"
            )));
        }
        let version = value.get("version").and_then(Value::as_u64);
        match version {
            Some(1 | SESSION_FORMAT_VERSION) => {}
            Some(v) if v > SESSION_FORMAT_VERSION => {
                return Err(TokenStoreError::new(format!(
                    "the session was written by a newer version of the authing crate (format version {v}; this one reads {SESSION_FORMAT_VERSION})"
                )))
            }
            _ => return Err(TokenStoreError::new("the session has no valid version")),
        }
        let corrupt =
            |what: String| TokenStoreError::new(format!("the session is corrupt: {what}"));
        let tokens = value
            .get("tokens")
            .ok_or_else(|| corrupt("tokens is missing".into()))
            .and_then(|t| TokenSet::from_saved(t).map_err(corrupt))?;
        // `userPartial`: the user came from the sign-in's id_token, and the full profile
        // had not replaced it when the session was saved (absent: a full user).
        let partial = value.get("userPartial").and_then(Value::as_bool) == Some(true);
        let user = match value.get("user") {
            None | Some(Value::Null) => None,
            Some(user) => Some(
                UserInfo::from_value(user.clone())
                    .map_err(corrupt)?
                    .with_partial(partial),
            ),
        };
        // Absent in sessions saved before browser sign-in existed: not one.
        let oidc = value.get("oidc").and_then(Value::as_bool).unwrap_or(false);
        // Absent in version 1: a session that cannot say whose it is.
        let app = match value.get("app") {
            None | Some(Value::Null) => None,
            Some(app) => {
                let text = |key: &str| {
                    app.get(key)
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| corrupt(format!("app.{key} is not a string")))
                };
                Some(SessionApp {
                    app_id: text("id")?,
                    api: text("api")?,
                })
            }
        };
        Ok(Session {
            tokens,
            user,
            oidc,
            app,
        })
    }
}

/// Whether `value` carries this crate's session marker (any version).
pub(crate) fn is_session_json(value: &Value) -> bool {
    value.get("format").and_then(Value::as_str) == Some(FORMAT)
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("tokens", &self.tokens)
            .field("user", &self.user)
            .field("oidc", &self.oidc)
            .field("app", &self.app)
            .finish()
    }
}

/// A token store failed: the session could not be read, written or removed
/// (status code 10016 on the call that met it). The reason names the file or field, never
/// a token.
///
/// ```
/// let error = authing::TokenStoreError::new("the keyring is locked");
/// assert_eq!(error.to_string(), "token store failed: the keyring is locked");
/// assert_eq!(error.reason(), "the keyring is locked");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token store failed: {reason}")]
pub struct TokenStoreError {
    reason: String,
}

impl TokenStoreError {
    /// An error with `reason` (lowercase, no secrets), for stores of your own.
    ///
    /// ```
    /// let error = authing::TokenStoreError::new("disk full");
    /// # let _ = error;
    /// ```
    pub fn new(reason: impl Into<String>) -> TokenStoreError {
        TokenStoreError {
            reason: reason.into(),
        }
    }

    /// What went wrong.
    ///
    /// ```
    /// assert_eq!(authing::TokenStoreError::new("x").reason(), "x");
    /// ```
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Where a client keeps its signed-in session, set with
/// [`AuthClientBuilder::token_store`](crate::AuthClientBuilder::token_store).
///
/// The client reads the store once, on the first call that needs the session, and keeps
/// the session in memory after that; it writes the store on every change (sign-in, refresh,
/// a new profile, sign-out). Calls are never made concurrently for one client. An error
/// a store returns is answered with status code 10016. A store should not panic; if it
/// does, the client catches the panic and answers the call once with status code 10016
/// too (`token store failed: the token store panicked while saving the session: …`, or
/// `while reading the session`, `while removing the session`), in the callback form and
/// in the blocking twin alike; the session in memory is left as it was, and the next call
/// works.
///
/// **The one place the SDK runs your code under its own lock.** The client holds the lock
/// that orders its session's changes while it calls the store, so that memory and store
/// change in the same order. So a store must not change that client's session from inside
/// (a sign-in, `logout`, a refresh, or a call that may refresh: that would deadlock).
/// Reading the session does not take that lock: while a slow store (a keyring that
/// prompts) saves, `get_token` and `get_current_user` on a GUI thread answer at once with
/// the session as it was before the save, and the new one shows once the store returns.
/// The first read of the session loads the store, and waits for it.
///
/// Provided: [`MemoryTokenStore`] (the default; the session ends with the process) and
/// [`FileTokenStore`](crate::FileTokenStore) (a JSON file, for a desktop app that stays
/// signed in across restarts), and with the cargo feature `keyring`, `KeyringTokenStore`
/// (the OS's credential store: macOS Keychain, Windows Credential Manager, the Linux
/// kernel keyring).
///
/// ```
/// use std::sync::Mutex;
/// use authing::{Session, TokenStore, TokenStoreError};
///
/// /// Keeps the session's JSON form somewhere of your choosing.
/// #[derive(Default)]
/// struct Keyring(Mutex<Option<String>>);
///
/// impl TokenStore for Keyring {
///     fn load(&self) -> Result<Option<Session>, TokenStoreError> {
///         match self.0.lock().unwrap().as_deref() {
///             Some(text) => Session::from_json(text).map(Some),
///             None => Ok(None),
///         }
///     }
///     fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
///         *self.0.lock().unwrap() = Some(session.to_json());
///         Ok(())
///     }
///     fn clear(&self) -> Result<(), TokenStoreError> {
///         *self.0.lock().unwrap() = None;
///         Ok(())
///     }
/// }
///
/// let client = authing::AuthClient::builder()
///     .app_id("app")
///     .app_host("http://127.0.0.1:8787")
///     .token_store(Keyring::default())
///     .build()?;
/// # let _ = client;
/// # Ok::<(), authing::ConfigError>(())
/// ```
pub trait TokenStore: Send + Sync + 'static {
    /// The saved session, or `None` when there is none.
    fn load(&self) -> Result<Option<Session>, TokenStoreError>;
    /// Saves `session`, replacing any other.
    fn save(&self, session: &Session) -> Result<(), TokenStoreError>;
    /// Forgets the saved session; no error when there is none.
    fn clear(&self) -> Result<(), TokenStoreError>;

    /// Forgets the saved session only if it is still `session` (the same tokens, see
    /// [`Session::holds_same_tokens`]); no error when it is not, or there is none.
    ///
    /// The client calls it when the server has ended `session` (its refresh token was
    /// refused), so that a newer session that another client or another copy of the app
    /// saved in the same place meanwhile (after a refresh of its own, which spent the
    /// refresh token this one held) is kept. `logout` calls [`clear`](Self::clear).
    ///
    /// The default calls [`clear`](Self::clear), unconditionally: a store shared by
    /// several clients or processes should override it, comparing what it holds with
    /// `session` (the provided stores do).
    fn clear_if(&self, session: &Session) -> Result<(), TokenStoreError> {
        let _ = session;
        self.clear()
    }
}

/// The default [`TokenStore`]: the session lives in memory and ends with the process.
///
/// ```
/// use authing::{MemoryTokenStore, TokenStore};
/// let store = MemoryTokenStore::new();
/// assert!(store.load().unwrap().is_none());
/// ```
#[derive(Default)]
pub struct MemoryTokenStore {
    session: Mutex<Option<Session>>,
}

impl MemoryTokenStore {
    /// An empty store.
    ///
    /// ```
    /// let store = authing::MemoryTokenStore::new();
    /// # let _ = store;
    /// ```
    pub fn new() -> MemoryTokenStore {
        MemoryTokenStore::default()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        Ok(self
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone())
    }

    fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
        *self.session.lock().unwrap_or_else(PoisonError::into_inner) = Some(session.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        *self.session.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(())
    }

    fn clear_if(&self, session: &Session) -> Result<(), TokenStoreError> {
        let mut held = self.session.lock().unwrap_or_else(PoisonError::into_inner);
        if held.as_ref().is_some_and(|s| s.holds_same_tokens(session)) {
            *held = None;
        }
        Ok(())
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let holds = self
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        f.debug_struct("MemoryTokenStore")
            .field("holds_a_session", &holds)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens_json() -> Value {
        json!({"access_token": "at-1", "refresh_token": "rt-1", "token_type": "Bearer",
            "expire_in": 3600, "expires_at_ms": 4_102_444_800_000u64})
    }

    fn app() -> SessionApp {
        SessionApp {
            app_id: "app-1".into(),
            api: "https://one.authing.cn".into(),
        }
    }

    #[test]
    fn the_app_a_session_records_survives_its_json_form_and_version_1_records_none() {
        let v1 = json!({"format": FORMAT, "version": 1, "tokens": tokens_json()});
        let old = Session::from_json(&v1.to_string()).unwrap();
        assert_eq!((old.app_id(), old.api_base()), (None, None));
        assert!(!old.belongs_to(&app()));

        let owned = old.clone().for_app(&app());
        let text = owned.to_json();
        assert!(text.contains(r#""version":2"#), "{text}");
        let back = Session::from_json(&text).unwrap();
        assert!(back.holds_same_tokens(&owned));
        assert_eq!(back.app_id(), Some("app-1"));
        assert_eq!(back.api_base(), Some("https://one.authing.cn"));
        assert!(back.belongs_to(&app()));
        let other = SessionApp {
            api: "https://two.authing.cn".into(),
            ..app()
        };
        assert!(!back.belongs_to(&other));
        // A renewal and a new user keep the app.
        assert!(back.with_user(None).belongs_to(&app()));
        assert!(back.holds_same_tokens(&old) && old.holds_same_tokens(&back));
    }

    #[test]
    fn a_partial_user_stays_partial_through_the_json_form_and_a_full_one_full() {
        let base = Session::from_value(&json!({"format": FORMAT, "version": 2,
            "tokens": tokens_json()}))
        .unwrap();
        let user = UserInfo::from_value(json!({"userId": "u-1"})).unwrap();
        let partial = base.with_user(Some(user.clone().with_partial(true)));
        let text = partial.to_json();
        assert!(text.contains(r#""userPartial":true"#), "{text}");
        let back = Session::from_json(&text).unwrap();
        assert!(back.user().unwrap().is_partial());
        assert_eq!(back.user(), partial.user());

        let full = base.with_user(Some(user));
        let text = full.to_json();
        assert!(!text.contains("userPartial"), "{text}");
        assert!(!Session::from_json(&text)
            .unwrap()
            .user()
            .unwrap()
            .is_partial());
    }

    #[test]
    fn a_malformed_app_is_a_corrupt_session_named_by_field() {
        for (app, field) in [
            (json!({"api": "https://x"}), "app.id"),
            (json!({"id": "a", "api": 7}), "app.api"),
        ] {
            let text = json!({"format": FORMAT, "version": 2, "tokens": tokens_json(), "app": app});
            let error = Session::from_json(&text.to_string()).unwrap_err();
            assert_eq!(
                error.reason(),
                format!("the session is corrupt: {field} is not a string")
            );
        }
    }

    #[test]
    fn the_memory_store_clears_only_the_session_asked_for() {
        let store = MemoryTokenStore::new();
        let first =
            Session::from_value(&json!({"format": FORMAT, "version": 2, "tokens": tokens_json()}))
                .unwrap();
        let mut newer_tokens = tokens_json();
        newer_tokens["refresh_token"] = json!("rt-2");
        let newer =
            Session::from_value(&json!({"format": FORMAT, "version": 2, "tokens": newer_tokens}))
                .unwrap();
        store.save(&newer).unwrap();
        store.clear_if(&first).unwrap();
        assert!(store.load().unwrap().is_some(), "a newer session is kept");
        store.clear_if(&newer).unwrap();
        assert!(store.load().unwrap().is_none());
    }
}
