//! Passwords on the wire, for every family that sends one (recovery, sign-in, sign-up, the
//! account): the password checked and sealed (`wire_password`, `seal_password`), the
//! request sent and resent once on a rejected key (`post_sealed`, `post_sealed_as`), and
//! the server's public keys: preset in the builder, or fetched from `GET /api/v3/system`
//! once per client (read from the disk cache instead when the client has one,
//! `config_cache.rs`; fetched ahead by the warm-up, `warm_up.rs`); fetched again, once, when
//! the server says a password does not decrypt. The load is single-flight
//! (`single_flight.rs`): a call that needs the keys while they load waits for that load;
//! a refetch after a rejected key takes only the outcome of another refetch, never that of
//! a normal load under way (which may be the disk cache's stale key): after one it fetches.
//!
//! # When a key counts as rejected
//!
//! Authing documents no error for a password encrypted with an old key. This crate's rule
//! **(our choice)**: an answer with the envelope's `statusCode` 400 whose message says the
//! password does not decrypt (it contains `decrypt`, any case, or `解密`) is a rejected key.
//! The emulator answers exactly that (400, apiCode 2231, "…does not decrypt…" /
//! "…解密"). Then, once per call:
//!
//! 1. the keys are fetched again from `GET /api/v3/system` (and cached for later calls,
//!    on disk too when the client has a
//!    [`public_config_cache`](crate::AuthClientBuilder::public_config_cache): the fresh
//!    key replaces the rejected one there);
//! 2. if the key of the call's kind changed, the password is encrypted with the new key
//!    and the request is sent once more; its answer is the call's answer;
//! 3. if the key did not change, the fetch fails, or the call was cancelled meanwhile, the
//!    first answer (the rejection) is the call's answer.
//!
//! A preset key ([`AuthClientBuilder::rsa_public_key`](crate::AuthClientBuilder::rsa_public_key),
//! [`sm2_public_key`](crate::AuthClientBuilder::sm2_public_key)) is pinned: it is never
//! replaced by a fetched one, and its rejection is handed back as it is.

use std::sync::Arc;

use serde_json::Value;

use crate::client::config::PresetKeys;
use crate::client::single_flight::SingleFlight;
use crate::client::{Auth, AuthClient};
use crate::crypto;
use crate::dispatch::dispatcher::CancelCheck;
use crate::error::AuthError;
use crate::logging;
use crate::model::PasswordEncryptType;
use crate::response::AuthResponse;
use crate::transport::Shape;
use crate::validate;

/// `GET` path of the server's public keys.
pub(crate) const SYSTEM_PATH: &str = "/api/v3/system";

/// A client's public keys: the preset ones, and the last `GET /api/v3/system` answer (or
/// the disk cache's copy of one), loaded single-flight: a warm-up, a sign-in and a refetch
/// never fetch them side by side.
pub(crate) struct PublicKeys {
    preset: PresetKeys,
    fetched: SingleFlight<Arc<Value>, AuthError>,
}

impl PublicKeys {
    pub(crate) fn new(preset: PresetKeys) -> PublicKeys {
        PublicKeys {
            preset,
            fetched: SingleFlight::new(),
        }
    }

    /// Whether keys were fetched (or read from the disk cache).
    pub(crate) fn known(&self) -> bool {
        self.fetched.get().is_some()
    }

    fn preset(&self, kind: PasswordEncryptType) -> Option<&str> {
        match kind {
            PasswordEncryptType::rsa => self.preset.rsa.as_deref(),
            PasswordEncryptType::sm2 => self.preset.sm2.as_deref(),
            PasswordEncryptType::none => None,
        }
    }
}

/// The key a password was sealed with.
#[derive(Clone, PartialEq, Eq)]
struct UsedKey {
    text: String,
    preset: bool,
}

/// A password as it goes on the wire, and the key that sealed it (`None` for `none`).
pub(crate) struct Sealed {
    pub(crate) wire: String,
    key: Option<UsedKey>,
}

/// Checks a key given to the builder, as `kind` needs it; the problem, if any.
pub(crate) fn check_preset(kind: PasswordEncryptType, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("is empty".into());
    }
    match kind {
        #[cfg(feature = "rsa")]
        PasswordEncryptType::rsa => crypto::rsa_public_key(text).map(drop),
        #[cfg(not(feature = "rsa"))]
        PasswordEncryptType::rsa => {
            Err("needs the cargo feature `rsa` of the authing crate".into())
        }
        #[cfg(feature = "sm2")]
        PasswordEncryptType::sm2 => crypto::sm2_public_key(text).map(drop),
        #[cfg(not(feature = "sm2"))]
        PasswordEncryptType::sm2 => {
            Err("needs the cargo feature `sm2` of the authing crate".into())
        }
        PasswordEncryptType::none => Ok(()),
    }
}

/// Whether `response` says the password did not decrypt (see the module docs).
pub(crate) fn is_key_rejection(response: &AuthResponse) -> bool {
    let Some(api) = response.error().and_then(AuthError::api) else {
        return false;
    };
    let message = api.message.to_ascii_lowercase();
    api.status_code == 400 && (message.contains("decrypt") || message.contains("解密"))
}

/// The `publicKey` of `kind` in a `GET /api/v3/system` answer.
fn key_in(keys: &Value, kind: PasswordEncryptType) -> Result<String, AuthError> {
    let field = kind.as_str();
    keys.get(field)
        .and_then(|k| k.get("publicKey"))
        .and_then(Value::as_str)
        .filter(|k| !k.trim().is_empty())
        .map(str::to_string)
        .ok_or_else(|| AuthError::Encryption {
            reason: format!("the server published no {field} public key"),
        })
}

impl AuthClient {
    /// The server's public key for `kind`: the preset one, the cached one, or fetched.
    fn public_key(&self, kind: PasswordEncryptType) -> Result<UsedKey, AuthError> {
        let keys = self.public_keys();
        if let Some(text) = keys.preset(kind) {
            return Ok(UsedKey {
                text: text.to_string(),
                preset: true,
            });
        }
        let fetched = self.load_public_keys(false).map_err(|error| match error {
            // No configuration (or a failed discovery) is what ported code checks for as
            // 10002: it stays a configuration error.
            AuthError::Config(_) => error,
            other => AuthError::Encryption {
                reason: format!("could not fetch the public key: {other}"),
            },
        })?;
        Ok(UsedKey {
            text: key_in(&fetched, kind)?,
            preset: false,
        })
    }

    /// The server's public keys: those already loaded, else the disk cache's, else
    /// fetched; with `again`, fetched whatever is known (a rejected key, the warm-up's
    /// request). Single-flight: a caller that finds a load under way takes its outcome,
    /// except that with `again` only a forced load's outcome (a fetch) counts.
    /// A fetched answer replaces the disk cache's copy.
    pub(crate) fn load_public_keys(&self, again: bool) -> Result<Arc<Value>, AuthError> {
        self.public_keys().fetched.load(
            again,
            || {
                let cache = self.config_cache();
                if !again {
                    if let Some(cached) = cache.and_then(|cache| cache.keys()) {
                        return Ok(Arc::new(cached));
                    }
                }
                let keys = self.fetch_public_keys()?;
                if let Some(cache) = cache {
                    cache.store_keys(&keys);
                }
                Ok(keys)
            },
            || AuthError::Internal("the sdk panicked while fetching the public keys".into()),
        )
    }

    /// `GET /api/v3/system`: its answer, or why not (as the request failed).
    fn fetch_public_keys(&self) -> Result<Arc<Value>, AuthError> {
        let response = self.get(SYSTEM_PATH, Shape::Plain);
        match (response.error(), response.data()) {
            (None, Some(data)) => Ok(Arc::new(data.clone())),
            (Some(error), _) => Err(error.clone()),
            (None, None) => Err(AuthError::UnreadableBody {
                reason: "GET /api/v3/system answered no body".into(),
                source: None,
            }),
        }
    }

    /// Checks a password and turns it into what goes on the wire for `encrypt_type`
    /// (shared by recovery, sign-in and sign-up).
    pub(crate) fn wire_password(
        &self,
        encrypt_type: PasswordEncryptType,
        password: &str,
    ) -> Result<Sealed, AuthError> {
        let password = validate::password("password", Some(password))?;
        self.seal_password(encrypt_type, password)
    }

    /// Encrypts a checked `password` as `kind` asks, with the server's key.
    pub(crate) fn seal_password(
        &self,
        kind: PasswordEncryptType,
        password: &str,
    ) -> Result<Sealed, AuthError> {
        if kind == PasswordEncryptType::none {
            return Ok(Sealed {
                wire: password.to_string(),
                key: None,
            });
        }
        let key = self.public_key(kind)?;
        let wire = crypto::encrypt(kind, &key.text, password)
            .map_err(|reason| AuthError::Encryption { reason })?;
        Ok(Sealed {
            wire,
            key: Some(key),
        })
    }

    /// `POST path` with the body `body` makes of the sealed password; if the server
    /// rejects the key, once more with a fresh key (see the module docs).
    pub(crate) fn post_sealed(
        &self,
        path: &str,
        kind: PasswordEncryptType,
        password: &str,
        sealed: Sealed,
        cancel: Option<&CancelCheck<'_>>,
        body: impl Fn(&str) -> Result<Vec<u8>, AuthError>,
    ) -> AuthResponse {
        self.post_sealed_as(
            path,
            kind,
            vec![(password, sealed)],
            cancel,
            None,
            |wires| body(&wires[0]),
        )
    }

    /// [`post_sealed`](Self::post_sealed) for a body of several passwords sealed with one
    /// key (`update_password`'s new and old one), sent as `Authorization: Bearer bearer`
    /// when given: on a rejected key every password is sealed again with the fresh key.
    /// `sealed` pairs each password with its sealed form; `body` gets the wire forms in
    /// that order.
    pub(crate) fn post_sealed_as(
        &self,
        path: &str,
        kind: PasswordEncryptType,
        sealed: Vec<(&str, Sealed)>,
        cancel: Option<&CancelCheck<'_>>,
        bearer: Option<&str>,
        body: impl Fn(&[String]) -> Result<Vec<u8>, AuthError>,
    ) -> AuthResponse {
        let send = |wires: &[String]| match bearer {
            None => self.post(path, || body(wires)),
            Some(token) => {
                self.post_json(path, || body(wires), Shape::Envelope, Auth::Bearer(token))
            }
        };
        let used = sealed.first().and_then(|(_, s)| s.key.clone());
        let (passwords, wires): (Vec<&str>, Vec<String>) =
            sealed.into_iter().map(|(p, s)| (p, s.wire)).unzip();
        let first = send(&wires);
        let Some(used) = used else {
            return first;
        };
        if used.preset || !is_key_rejection(&first) {
            return first;
        }
        log::warn!(
            target: logging::TARGET,
            "{path}: the server could not decrypt the password (apiCode {}): fetching its {} public key again",
            first.api_code(),
            kind.as_str(),
        );
        let fresh = match self
            .load_public_keys(true)
            .and_then(|keys| key_in(&keys, kind))
        {
            Ok(fresh) if fresh != used.text => fresh,
            Ok(_) => {
                log::warn!(
                    target: logging::TARGET,
                    "{path}: the {} public key did not change; the rejection is the answer",
                    kind.as_str(),
                );
                return first;
            }
            Err(_) => return first,
        };
        let again: Result<Vec<String>, String> = passwords
            .iter()
            .map(|password| crypto::encrypt(kind, &fresh, password))
            .collect();
        let Ok(again) = again else {
            return first;
        };
        if cancel.is_some_and(CancelCheck::is_cancelled) {
            return first;
        }
        log::warn!(
            target: logging::TARGET,
            "{path}: the {} public key changed: sending the password again, encrypted with the new key",
            kind.as_str(),
        );
        let marks = logging::Marks {
            retried: true,
            ..logging::Marks::default()
        };
        logging::marked(marks, || send(&again))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    fn api(status: i32, message: &str) -> AuthResponse {
        AuthResponse::from_error(AuthError::Api(ApiError::new(
            status,
            Some(2231),
            message,
            None,
        )))
    }

    #[test]
    fn a_400_that_says_the_password_does_not_decrypt_is_a_rejected_key() {
        assert!(is_key_rejection(&api(
            400,
            "invalid password: it does not decrypt as passwordEncryptType rsa"
        )));
        assert!(is_key_rejection(&api(
            400,
            "参数错误：password 无法按 passwordEncryptType sm2 解密"
        )));
        assert!(is_key_rejection(&api(400, "RSA DECRYPT failed")));
    }

    #[test]
    fn other_answers_are_not_a_rejected_key() {
        assert!(!is_key_rejection(&api(400, "验证码错误")));
        assert!(!is_key_rejection(&api(500, "could not decrypt")));
        assert!(!is_key_rejection(&AuthResponse::from_error(
            AuthError::Cancelled
        )));
    }
}
