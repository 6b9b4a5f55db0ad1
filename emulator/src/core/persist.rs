//! The state file (`--state FILE`, [`EmulatorConfig::state_file`]): its format, how it is
//! read at start, and how it is written, whole and atomically.
//!
//! The file is one JSON object:
//!
//! ```text
//! {"format": "authing-emulator-state", "version": 1, "appId": "demo-app", "state": {…}}
//! ```
//!
//! `state` is what [`State`] serializes (what it and the families' registered states mark
//! `#[serde(skip)]` is not kept). A file without the marker, of another version, or of
//! another app id is refused at start with a message that says which: the emulator never
//! starts on, nor overwrites, a file that is not its own.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use serde_json::Value;

use crate::core::config::EmulatorConfig;
use crate::core::state::State;
use crate::EmulatorError;

/// The value of the file's `format` member.
pub(crate) const FORMAT: &str = "authing-emulator-state";
/// The value of the file's `version` member this emulator reads and writes.
pub(crate) const VERSION: u64 = 1;

/// The file as written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    format: &'static str,
    version: u64,
    app_id: &'a str,
    state: &'a State,
}

/// A state file in use: its path, and the bytes last written to it (so that a change
/// that changed nothing writes nothing). Lock the state before [`written`](Self::written),
/// never the other way round.
pub(crate) struct StateFile {
    path: PathBuf,
    written: Mutex<Vec<u8>>,
}

impl StateFile {
    /// Opens the state file of `config`, if it has one, and gives the state to start
    /// with: the file's, plus the configured users it does not hold yet; or a fresh state
    /// when the file does not exist (written at once, so that a path that cannot be
    /// written fails now rather than at the first change).
    pub(crate) fn open(config: &EmulatorConfig) -> io::Result<(State, Option<StateFile>)> {
        let Some(path) = config.state_file.clone() else {
            return Ok((State::new(config).map_err(invalid_input)?, None));
        };
        let file = StateFile {
            path,
            written: Mutex::new(Vec::new()),
        };
        let state = match fs::read(&file.path) {
            Ok(bytes) => {
                let mut state = decode(&file.path, &bytes, &config.app_id)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                for user in &config.users {
                    match state.add_user(config, user) {
                        Ok(_) | Err(EmulatorError::DuplicateUser(_)) => {}
                        Err(e) => return Err(invalid_input(e)),
                    }
                }
                *file.written() = bytes;
                state
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                State::new(config).map_err(invalid_input)?
            }
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!(
                        "cannot read the state file {}: {}",
                        file.path.display(),
                        lower(&e)
                    ),
                ));
            }
        };
        file.save(encode(&state, &config.app_id), file.written())
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot write the state file {}: {}",
                        file.path.display(),
                        lower(&e)
                    ),
                )
            })?;
        Ok((state, Some(file)))
    }

    /// The bytes last written; hold this while writing, so that writes keep their order.
    pub(crate) fn written(&self) -> MutexGuard<'_, Vec<u8>> {
        self.written.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `bytes` unless they are what was last written.
    pub(crate) fn save(
        &self,
        bytes: Vec<u8>,
        mut written: MutexGuard<'_, Vec<u8>>,
    ) -> io::Result<()> {
        if *written == bytes {
            return Ok(());
        }
        if bytes.is_empty() {
            // `encode` failed: keep the last good file rather than replace it with nothing.
            return Err(io::Error::other(
                "the state could not be encoded; the file was kept",
            ));
        }
        write_atomically(&self.path, &bytes)?;
        *written = bytes;
        Ok(())
    }

    /// [`save`](Self::save), telling stderr when it fails (a request cannot fail for it:
    /// its answer is already decided).
    pub(crate) fn save_or_warn(&self, bytes: Vec<u8>, written: MutexGuard<'_, Vec<u8>>) {
        if let Err(e) = self.save(bytes, written) {
            eprintln!(
                "authing-emulator: cannot write the state file {}: {}",
                self.path.display(),
                lower(&e)
            );
        }
    }
}

/// An I/O error's text with a lowercase first letter, as the emulator's messages are
/// ("No such file or directory" reads "no such file or directory").
fn lower(e: &io::Error) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

fn invalid_input(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e.to_string())
}

/// The file's bytes for `state`.
pub(crate) fn encode(state: &State, app_id: &str) -> Vec<u8> {
    let envelope = Envelope {
        format: FORMAT,
        version: VERSION,
        app_id,
        state,
    };
    // Every map of the state has string keys: serializing cannot fail.
    serde_json::to_vec(&envelope).unwrap_or_default()
}

/// The state in `bytes`, or why the file is refused (lowercase, naming the file).
pub(crate) fn decode(path: &Path, bytes: &[u8], app_id: &str) -> Result<State, String> {
    let name = path.display();
    let not_ours = |why: String| format!("{name} is not an authing emulator state file: {why}");
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| not_ours(format!("it is not json ({e})")))?;
    let Value::Object(mut object) = value else {
        return Err(not_ours("it is not a json object".to_owned()));
    };
    if object.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(not_ours(format!("it has no \"format\": \"{FORMAT}\"")));
    }
    match object.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(other) => {
            return Err(format!(
                "{name} is an authing emulator state file of format version {other}; this \
                 emulator reads version {VERSION} only"
            ));
        }
        None => {
            return Err(format!(
                "{name} is an authing emulator state file without a whole-number \"version\""
            ));
        }
    }
    match object.get("appId").and_then(Value::as_str) {
        Some(id) if id == app_id => {}
        Some(id) => {
            return Err(format!(
                "{name} holds the state of app id {id:?}, not of {app_id:?}: start with \
                 --app-id {id}, or use another state file"
            ));
        }
        None => {
            return Err(format!(
                "{name} is an authing emulator state file without an \"appId\""
            ));
        }
    }
    let state = object.remove("state").unwrap_or(Value::Null);
    serde_json::from_value(state).map_err(|e| {
        format!("{name} is an authing emulator state file, but its state cannot be read: {e}")
    })
}

/// Writes `bytes` to `path` so that a reader (or a crash) sees the old file or the new
/// one, never a part: a temp file in the same folder (mode 0600 on Unix), synced, then
/// renamed over `path`, and the folder synced.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let temp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = write_synced(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
        return written;
    }
    // The rename is durable once the folder is (Unix; elsewhere opening a folder fails,
    // and the rename stands as the file system keeps it).
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

fn write_synced(temp: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(temp)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_round_trips_through_its_bytes() {
        let config = EmulatorConfig::default();
        let mut state = State::empty();
        state
            .add_user(
                &config,
                &crate::NewUser::with_username("alice", "pw-123456"),
            )
            .unwrap();
        let bytes = encode(&state, "demo-app");
        let back = decode(Path::new("s.json"), &bytes, "demo-app").unwrap();
        assert_eq!(back.users.iter().count(), 1);
        assert!(back.check_password("alice", "pw-123456"));
        assert_eq!(encode(&back, "demo-app"), bytes);
    }

    #[test]
    fn foreign_files_are_refused_with_the_reason() {
        let path = Path::new("s.json");
        let refuse = |text: &str| decode(path, text.as_bytes(), "demo-app").err().unwrap();
        assert!(refuse("not json").contains("it is not json"));
        assert!(refuse("[1]").contains("not a json object"));
        assert!(refuse(r#"{"users":[]}"#).contains("no \"format\""));
        let v2 = r#"{"format":"authing-emulator-state","version":2,"appId":"demo-app"}"#;
        assert!(refuse(v2).contains("format version 2"));
        let other = r#"{"format":"authing-emulator-state","version":1,"appId":"other"}"#;
        assert!(refuse(other).contains("app id \"other\""));
        let broken = r#"{"format":"authing-emulator-state","version":1,"appId":"demo-app"}"#;
        assert!(refuse(broken).contains("its state cannot be read"));
    }
}
