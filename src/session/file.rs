//! [`FileTokenStore`]: the session in a JSON file, owner-only, replaced atomically.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::owner_file;
use crate::session::store::{is_session_json, Session, TokenStore, TokenStoreError};

/// A [`TokenStore`] that keeps the session in a JSON file, so that a desktop app stays
/// signed in across restarts.
///
/// - **Format**: [`Session::to_json`], with a `format` marker, a `version` (2), and the
///   app id and API base URL of the client that saved it (`app`). A client of another app
///   or another API finds no session in the file (and never sends its tokens); a file of
///   version 1, which recorded neither, is no session for any client either, and is
///   replaced at the next sign-in (see [`Session::app_id`]).
/// - **Shared by copies of an app**: when the server refuses the refresh token of the
///   session a client holds, the client reads the file again and adopts a newer session
///   another copy saved there, and removes the file only if it still holds the refused
///   session ([`TokenStore::clear_if`]).
/// - **Owner-only**: on Unix the file is created with permissions `0600` (read and write
///   for its owner only). Elsewhere it gets the platform's defaults: put it in a directory
///   only the user can read (such as the per-user application data directory).
/// - **Atomic**: a save writes a temporary file beside it (same directory, same
///   permissions), flushes it to disk, and renames it over the old file, so a crash leaves
///   either the old session or the new one, never half of one.
/// - **Careful with other files**: a file that is not an authing session (not JSON, or
///   without the `format` marker) is never replaced or removed: saving or clearing it is an
///   error that names the path (status code 10016), and so is reading it. Delete such a
///   file yourself. A session written by a newer version of this crate is refused too.
/// - A missing file is no session (not an error); the directory must exist.
/// - **What persistence needs**: the file keeps the tokens, not the server's memory of
///   them. The next run is signed in only while the server that issued the tokens still
///   knows them; when it does not (its state was lost or reset, the tokens were revoked,
///   or another copy of the app already used the refresh token), the first call that
///   needs the user refreshes, the server refuses the refresh token, and the answer is
///   10015 quoting the server's reason (`the server refused the session's refresh token
///   (invalid_grant: …)`). Against Authing this holds until the tokens expire or are
///   revoked. Against the emulator, run it with a state file (`authing-emulator --state
///   FILE`, or `EmulatorConfig::state_file`) and restart it on the same address: a new
///   emulator without one knows no token, and one on another port is another API base URL,
///   for which the file holds no session (see docs/EMULATOR.md, "The state file").
///
/// ```no_run
/// let store = authing::FileTokenStore::new("/home/me/.config/myapp/session.json");
/// let client = authing::AuthClient::builder()
///     .app_id("60caaf41df670b771fd08937")
///     .app_host("https://myapp.authing.cn")
///     .token_store(store)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), authing::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store at `path` (nothing is read or written until the client needs it).
    ///
    /// ```
    /// let store = authing::FileTokenStore::new("session.json");
    /// assert_eq!(store.path(), std::path::Path::new("session.json"));
    /// ```
    pub fn new(path: impl Into<PathBuf>) -> FileTokenStore {
        FileTokenStore { path: path.into() }
    }

    /// The file's path.
    ///
    /// ```
    /// let store = authing::FileTokenStore::new("/tmp/session.json");
    /// println!("{}", store.path().display());
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, what: impl std::fmt::Display) -> TokenStoreError {
        TokenStoreError::new(format!("{}: {what}", self.path.display()))
    }

    /// The file's text, or `None` when there is no file.
    fn read(&self) -> Result<Option<String>, TokenStoreError> {
        match fs::read(&self.path) {
            Ok(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| self.fail("is not an authing session file (not utf-8 text)")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.fail(format_args!("could not be read: {}", lower(&e)))),
        }
    }

    /// Refuses to touch an existing file that is not ours.
    fn check_ours(&self, doing: &str) -> Result<bool, TokenStoreError> {
        let Some(text) = self.read()? else {
            return Ok(false);
        };
        let ours = serde_json::from_str::<Value>(&text)
            .map(|v| is_session_json(&v))
            .unwrap_or(false);
        if ours {
            Ok(true)
        } else {
            Err(self.fail(format_args!(
                "is not an authing session file; refusing to {doing} it (delete it yourself if it is stale)"
            )))
        }
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        let Some(text) = self.read()? else {
            return Ok(None);
        };
        let value: Value = serde_json::from_str(&text)
            .map_err(|_| self.fail("is not an authing session file (not json)"))?;
        Session::from_value(&value)
            .map(Some)
            .map_err(|e| self.fail(e.reason()))
    }

    fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
        self.check_ours("replace")?;
        owner_file::replace(&self.path, session.to_json().as_bytes(), "session", "")
            .map_err(|e| self.fail(format_args!("could not be written: {}", lower(&e))))
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        if !self.check_ours("remove")? {
            return Ok(());
        }
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.fail(format_args!("could not be removed: {}", lower(&e)))),
        }
    }

    /// Removes the file only if it still holds `session`'s tokens: another copy of the app
    /// that shares the file may have saved a newer session since (see
    /// [`TokenStore::clear_if`]). A session file it cannot read (a newer format version, a
    /// missing field) is left in place, since it cannot be shown to hold `session` (a newer
    /// copy of the app may have saved it); a file that is not a session is refused, as
    /// [`clear`](TokenStore::clear) refuses it.
    fn clear_if(&self, session: &Session) -> Result<(), TokenStoreError> {
        match self.load() {
            Ok(Some(held)) if held.holds_same_tokens(session) => self.clear(),
            Ok(_) => Ok(()),
            Err(_) => self.check_ours("remove").map(|_| ()),
        }
    }
}

/// An I/O error's text, lowercased (the OS capitalizes its messages).
fn lower(error: &io::Error) -> String {
    error.to_string().to_lowercase()
}
