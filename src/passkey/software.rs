//! [`SoftwareAuthenticator`]: ES256 passkeys held in memory or in a file, for tests,
//! development and the emulator.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use ciborium::Value as Cbor;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use sha2::{Digest, Sha256};

use super::{
    b64url, unb64url, Assertion, AssertionRequest, Authenticator, AuthenticatorError,
    CreationRequest, NewCredential,
};

/// COSE ES256.
const ES256: i64 = -7;
const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED: u8 = 0x40;

/// A WebAuthn authenticator in software: ES256 (P-256) keys in memory or in a file you
/// name, attestation `none`, discoverable credentials, a signature counter per credential.
///
/// **For tests, development and the emulator only. It is no substitute for a platform or
/// hardware authenticator:** its private keys are plain bytes in this process's memory
/// and, with [`open`](Self::open), in a file (readable by its owner only on Unix) that
/// anyone who can read it can copy and sign with (see [`open`](Self::open) for how the
/// file is written and which files it refuses); it verifies no user (it sets the UP and
/// UV flags because it is told to, [`set_user_verified`](Self::set_user_verified)); and it
/// attests nothing. A server that requires attestation refuses its credentials.
///
/// Clones share the same credentials.
///
/// ```
/// use authing::passkey::SoftwareAuthenticator;
/// let authenticator = SoftwareAuthenticator::new();
/// assert_eq!(authenticator.credential_count(), 0);
/// ```
#[derive(Clone)]
pub struct SoftwareAuthenticator {
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    path: Option<PathBuf>,
    keys: Vec<StoredKey>,
    user_present: bool,
    user_verified: bool,
}

/// One credential as kept (in the file: JSON, bytes in base64url).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct StoredKey {
    id: String,
    rp_id: String,
    user_handle: String,
    user_name: String,
    secret: String,
    counter: u32,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct KeyFile {
    version: u32,
    credentials: Vec<StoredKey>,
}

impl std::fmt::Debug for SoftwareAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("SoftwareAuthenticator")
            .field("path", &inner.path)
            .field("credentials", &inner.keys.len())
            .finish_non_exhaustive()
    }
}

impl Default for SoftwareAuthenticator {
    fn default() -> SoftwareAuthenticator {
        SoftwareAuthenticator::new()
    }
}

fn failed(what: impl std::fmt::Display) -> AuthenticatorError {
    AuthenticatorError::Failed(what.to_string())
}

impl SoftwareAuthenticator {
    /// An authenticator whose credentials live in memory only (gone with the process).
    ///
    /// ```
    /// let authenticator = authing::passkey::SoftwareAuthenticator::new();
    /// assert_eq!(authenticator.credential_count(), 0);
    /// ```
    pub fn new() -> SoftwareAuthenticator {
        SoftwareAuthenticator {
            inner: Arc::new(Mutex::new(Inner {
                path: None,
                keys: Vec::new(),
                user_present: true,
                user_verified: true,
            })),
        }
    }

    /// An authenticator whose credentials are kept in the file `path`: read now if it
    /// exists, written (replaced whole, owner-only on Unix) after every new credential and
    /// every signature (the counter). The file holds the private keys in the clear.
    ///
    /// - **Written safely**: each save writes a new temporary file beside it, under a
    ///   unique name (`.<name>.tmp-<pid>-<counter>-<random>`), created exclusively (an
    ///   existing file or symlink of that name is refused, never written through) with
    ///   permissions `0600` on Unix, then renamed over the file; a failed save removes it.
    /// - **Owner-only or refused (Unix)**: an existing file that its group or others may
    ///   read or write (e.g. `0644`) is refused, as ssh refuses such a private key: the
    ///   error names the path and the mode (`chmod 600` it, after asking whether its keys
    ///   were copied). Elsewhere, keep it in a directory only the user can read.
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("passkeys-doc-{}.json", std::process::id()));
    /// let authenticator = authing::passkey::SoftwareAuthenticator::open(&path)?;
    /// assert_eq!(authenticator.credential_count(), 0);
    /// # let _ = std::fs::remove_file(&path);
    /// # Ok::<(), authing::passkey::AuthenticatorError>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<SoftwareAuthenticator, AuthenticatorError> {
        let path = path.as_ref().to_path_buf();
        let keys = match std::fs::File::open(&path) {
            Ok(mut opened) => {
                let meta = opened.metadata().map_err(|e| {
                    failed(format!(
                        "could not read {}: {}",
                        path.display(),
                        e.to_string().to_lowercase()
                    ))
                })?;
                check_private(&path, &meta)?;
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut opened, &mut bytes).map_err(|e| {
                    failed(format!(
                        "could not read {}: {}",
                        path.display(),
                        e.to_string().to_lowercase()
                    ))
                })?;
                let file: KeyFile = serde_json::from_slice(&bytes).map_err(|e| {
                    failed(format!("{} is not a passkey file: {e}", path.display()))
                })?;
                file.credentials
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(failed(format!(
                    "could not read {}: {}",
                    path.display(),
                    e.to_string().to_lowercase()
                )))
            }
        };
        let authenticator = SoftwareAuthenticator::new();
        {
            let mut inner = authenticator.lock();
            inner.path = Some(path);
            inner.keys = keys;
        }
        Ok(authenticator)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many credentials it holds (for every RP).
    ///
    /// ```
    /// assert_eq!(authing::passkey::SoftwareAuthenticator::new().credential_count(), 0);
    /// ```
    pub fn credential_count(&self) -> usize {
        self.lock().keys.len()
    }

    /// Whether its answers set the UP (user present) flag; default true. False is for
    /// testing that a server refuses them.
    ///
    /// ```
    /// authing::passkey::SoftwareAuthenticator::new().set_user_present(false);
    /// ```
    pub fn set_user_present(&self, present: bool) {
        self.lock().user_present = present;
    }

    /// Whether its answers set the UV (user verified) flag; default true (it verifies
    /// nobody: see the type's docs).
    ///
    /// ```
    /// authing::passkey::SoftwareAuthenticator::new().set_user_verified(false);
    /// ```
    pub fn set_user_verified(&self, verified: bool) {
        self.lock().user_verified = verified;
    }

    /// Forgets the credentials of this RP id (in the file too); how many.
    ///
    /// ```
    /// assert_eq!(authing::passkey::SoftwareAuthenticator::new().forget("example.com")?, 0);
    /// # Ok::<(), authing::passkey::AuthenticatorError>(())
    /// ```
    pub fn forget(&self, rp_id: &str) -> Result<usize, AuthenticatorError> {
        let mut inner = self.lock();
        let before = inner.keys.len();
        inner.keys.retain(|k| k.rp_id != rp_id);
        let gone = before - inner.keys.len();
        save(&inner)?;
        Ok(gone)
    }
}

fn flags(inner: &Inner) -> u8 {
    let mut flags = 0;
    if inner.user_present {
        flags |= USER_PRESENT;
    }
    if inner.user_verified {
        flags |= USER_VERIFIED;
    }
    flags
}

/// Writes the keys to the file, if any, as the session file is written (`owner_file`: a
/// new owner-only temporary file beside it, created exclusively, renamed over the file),
/// its name with a random part so it cannot be guessed in a shared directory.
fn save(inner: &Inner) -> Result<(), AuthenticatorError> {
    let Some(path) = &inner.path else {
        return Ok(());
    };
    let file = KeyFile {
        version: 1,
        credentials: inner.keys.clone(),
    };
    let bytes = serde_json::to_vec_pretty(&file).map_err(failed)?;
    let mut suffix = [0u8; 8];
    random(&mut suffix)?;
    crate::owner_file::replace(path, &bytes, "passkeys", &b64url(&suffix)).map_err(|e| {
        failed(format!(
            "could not write {}: {}",
            path.display(),
            e.to_string().to_lowercase()
        ))
    })
}

/// On Unix, refuses a key file that its group or others may read or write (as ssh refuses
/// such a private key): the keys in it may already be copied, or replaced.
#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata) -> Result<(), AuthenticatorError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o066 != 0 {
        return Err(failed(format!(
            "{} has permissions {mode:04o}, readable or writable by others; \
             refusing a passkey file that is not owner-only (chmod 600 it)",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), AuthenticatorError> {
    Ok(())
}

fn random(bytes: &mut [u8]) -> Result<(), AuthenticatorError> {
    getrandom::fill(bytes).map_err(|e| failed(format!("no randomness: {e}")))
}

fn new_key() -> Result<(SigningKey, [u8; 32]), AuthenticatorError> {
    loop {
        let mut secret = [0u8; 32];
        random(&mut secret)?;
        // A value of 0 or past the group order (about 2^-128 likely) is drawn again.
        if let Ok(key) = SigningKey::from_slice(&secret) {
            return Ok((key, secret));
        }
    }
}

fn cbor_bytes(value: &Cbor) -> Result<Vec<u8>, AuthenticatorError> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).map_err(failed)?;
    Ok(out)
}

/// The COSE_Key of a P-256 public key: `{1: 2, 3: -7, -1: 1, -2: x, -3: y}`.
fn cose_key(key: &SigningKey) -> Result<Vec<u8>, AuthenticatorError> {
    let point = key.verifying_key().to_sec1_bytes();
    // Uncompressed SEC1: 0x04 || x || y.
    if point.len() != 65 {
        return Err(failed("unexpected public key encoding"));
    }
    let int = |i: i64| Cbor::Integer(i.into());
    cbor_bytes(&Cbor::Map(vec![
        (int(1), int(2)),
        (int(3), int(ES256)),
        (int(-1), int(1)),
        (int(-2), Cbor::Bytes(point[1..33].to_vec())),
        (int(-3), Cbor::Bytes(point[33..].to_vec())),
    ]))
}

impl Authenticator for SoftwareAuthenticator {
    fn make_credential(
        &self,
        request: &CreationRequest,
    ) -> Result<NewCredential, AuthenticatorError> {
        if !request.algorithms().contains(&ES256) {
            return Err(AuthenticatorError::Unsupported(
                "it makes ES256 (-7) keys only".into(),
            ));
        }
        let mut inner = self.lock();
        let excluded = inner.keys.iter().any(|k| {
            k.rp_id == request.rp_id()
                && request
                    .exclude_credentials()
                    .iter()
                    .any(|id| unb64url(&k.id).as_deref() == Some(id.as_slice()))
        });
        if excluded {
            return Err(failed(
                "it holds a credential this server excludes (one per account)",
            ));
        }
        let (key, secret) = new_key()?;
        let mut id = [0u8; 16];
        random(&mut id)?;
        let mut auth_data = Sha256::digest(request.rp_id().as_bytes()).to_vec();
        auth_data.push(flags(&inner) | ATTESTED);
        auth_data.extend_from_slice(&0u32.to_be_bytes());
        auth_data.extend_from_slice(&[0u8; 16]); // AAGUID: none
        auth_data.extend_from_slice(&(id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&id);
        auth_data.extend_from_slice(&cose_key(&key)?);
        let attestation = cbor_bytes(&Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(Vec::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]))?;
        inner.keys.push(StoredKey {
            id: b64url(&id),
            rp_id: request.rp_id().to_owned(),
            user_handle: b64url(request.user_id()),
            user_name: request.user_name().to_owned(),
            secret: b64url(&secret),
            counter: 0,
        });
        if let Err(e) = save(&inner) {
            inner.keys.pop();
            return Err(e);
        }
        Ok(NewCredential::new(id.to_vec(), attestation).transports(["internal"]))
    }

    fn get_assertion(&self, request: &AssertionRequest) -> Result<Assertion, AuthenticatorError> {
        let mut inner = self.lock();
        let allowed = |k: &StoredKey| {
            k.rp_id == request.rp_id()
                && (request.allow_credentials().is_empty()
                    || request
                        .allow_credentials()
                        .iter()
                        .any(|id| unb64url(&k.id).as_deref() == Some(id.as_slice())))
        };
        // The newest fitting credential (a person would pick one; tests want one answer).
        let index = inner
            .keys
            .iter()
            .rposition(allowed)
            .ok_or(AuthenticatorError::NoCredential)?;
        let flags = flags(&inner);
        let stored = &mut inner.keys[index];
        let secret = unb64url(&stored.secret).ok_or_else(|| failed("a stored key is malformed"))?;
        let key =
            SigningKey::from_slice(&secret).map_err(|_| failed("a stored key is malformed"))?;
        stored.counter = stored.counter.wrapping_add(1);
        let mut auth_data = Sha256::digest(request.rp_id().as_bytes()).to_vec();
        auth_data.push(flags);
        auth_data.extend_from_slice(&stored.counter.to_be_bytes());
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(request.client_data_json()));
        let signature: Signature = key.sign(&signed);
        let id = unb64url(&stored.id).ok_or_else(|| failed("a stored key is malformed"))?;
        let handle = unb64url(&stored.user_handle).unwrap_or_default();
        save(&inner)?;
        Ok(
            Assertion::new(id, auth_data, signature.to_der().as_bytes().to_vec())
                .user_handle(handle),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A fresh directory of this test's own under the system's temporary directory.
    fn scratch(name: &str) -> PathBuf {
        static DIRS: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "authing-passkey-{name}-{}-{}",
            std::process::id(),
            DIRS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn request() -> CreationRequest {
        CreationRequest {
            rp_id: "example.com".into(),
            rp_name: "Example".into(),
            user_id: b"user-1".to_vec(),
            user_name: "alice".into(),
            user_display_name: "Alice".into(),
            challenge: "challenge".into(),
            client_data_json: b"{}".to_vec(),
            algorithms: vec![ES256],
            exclude_credentials: Vec::new(),
            user_verification: "preferred".into(),
            timeout: std::time::Duration::from_secs(60),
        }
    }

    #[test]
    fn a_planted_temporary_file_never_receives_the_passkeys() {
        let dir = scratch("planted");
        let path = dir.join("keys.json");
        // What the old fixed name was, and a decoy beside it, both planted beforehand.
        let planted = dir.join("keys.json.tmp");
        std::fs::write(&planted, b"planted").unwrap();
        #[cfg(unix)]
        {
            let decoy = dir.join("decoy");
            std::fs::write(&decoy, b"decoy").unwrap();
            std::os::unix::fs::symlink(&decoy, dir.join(".keys.json.tmp")).unwrap();
        }
        let authenticator = SoftwareAuthenticator::open(&path).unwrap();
        authenticator.make_credential(&request()).unwrap();
        assert_eq!(std::fs::read(&planted).unwrap(), b"planted");
        #[cfg(unix)]
        assert_eq!(std::fs::read(dir.join("decoy")).unwrap(), b"decoy");
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.contains("\"secret\""), "{saved}");
        // Nothing left behind but the file and the planted ones.
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        #[cfg(unix)]
        assert_eq!(
            names,
            [".keys.json.tmp", "decoy", "keys.json", "keys.json.tmp"]
        );
        #[cfg(not(unix))]
        assert_eq!(names, ["keys.json", "keys.json.tmp"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_save_leaves_no_temporary_file() {
        let dir = scratch("failed");
        // The key file's path is a directory: the rename over it fails.
        let path = dir.join("keys.json");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"x").unwrap();
        let authenticator = SoftwareAuthenticator::new();
        authenticator.lock().path = Some(path.clone());
        let error = authenticator.make_credential(&request()).unwrap_err();
        assert!(error.to_string().contains("could not write"), "{error}");
        assert_eq!(authenticator.credential_count(), 0);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_may_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        let path = dir.join("keys.json");
        let authenticator = SoftwareAuthenticator::open(&path).unwrap();
        authenticator.make_credential(&request()).unwrap();
        let secret = authenticator.lock().keys[0].secret.clone();
        for mode in [0o644, 0o640, 0o604, 0o620, 0o666] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let error = SoftwareAuthenticator::open(&path).unwrap_err().to_string();
            assert!(error.contains(&path.display().to_string()), "{error}");
            assert!(error.contains(&format!("{mode:04o}")), "{error}");
            assert!(error.contains("not owner-only"), "{error}");
            assert!(!error.contains(&secret), "{error}");
        }
        for mode in [0o600, 0o400] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(
                SoftwareAuthenticator::open(&path)
                    .unwrap()
                    .credential_count(),
                1
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
