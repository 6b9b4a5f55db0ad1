//! Replacing a file that holds secrets (a saved session, passkey private keys): written
//! whole to a new temporary file beside it, then renamed over it, so a reader never sees
//! half a file and a crash leaves the old one.
//!
//! The temporary file has a name unique in the process (`.<name>.tmp-<pid>-<counter>`, plus
//! the caller's `suffix`), is created exclusively (`create_new` refuses an existing path, a
//! symlink included, so nothing planted under that name is written through) with
//! permissions `0600` on Unix, flushed to disk, and removed when anything fails.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Makes temporary file names unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `bytes` as the module says. `fallback` names the temporary file
/// when `path` has no file name; `suffix` (may be empty) is added to its name, e.g. a
/// random part so the name cannot be guessed in a shared directory.
pub(crate) fn replace(path: &Path, bytes: &[u8], fallback: &str, suffix: &str) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| fallback.to_owned());
    let dash = if suffix.is_empty() { "" } else { "-" };
    let temp = path.with_file_name(format!(
        ".{name}.tmp-{}-{}{dash}{suffix}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = write_new(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Creates `temp` (it must not exist), owner-only on Unix, and writes `bytes` to disk.
fn write_new(temp: &Path, bytes: &[u8]) -> io::Result<()> {
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
