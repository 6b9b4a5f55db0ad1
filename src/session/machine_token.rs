//! [`MachineToken`]: the access token a program gets for itself with the
//! `client_credentials` grant (a daemon, a CLI tool: no user), and the cache that keeps
//! it until shortly before it expires, shared by the clones of one
//! [`ClientCredentialInput`](crate::ClientCredentialInput).
//!
//! When it is renewed: a cached token is handed out while more than its margin is left,
//! the margin being [`MACHINE_TOKEN_MARGIN`] (60 s) or a tenth of the token's lifetime,
//! whichever is shorter (a 1-hour token is renewed in its last minute, a 5-minute token
//! in its last 30 s, so a short-lived token is not renewed at every call). The lifetime is
//! the answer's `expire_in`, counted from the moment the answer arrived on the input's
//! clock (this machine's wall clock unless one was given), never the token's own `exp`,
//! so a server whose clock differs from ours does not matter.
//!
//! Single flight: calls that find no fresh token while one request is on the wire wait
//! for it and share its outcome, the token or the failure (50 concurrent calls of a cold
//! cache make one request; 50 with a wrong secret get one refusal each, from one
//! request). No lock is held while the request runs or while user code runs.
//!
//! Unlike the session's token (`ahead.rs`), a machine token is not refreshed ahead in the
//! background: the cache belongs to a `ClientCredentialInput`, which has no client to
//! refresh through, and a call pays at most one extra round trip per token lifetime.

use std::fmt;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::redact::REDACTED;
use crate::response::AuthResponse;

/// The longest margin before expiry at which a cached [`MachineToken`] is renewed; a
/// token whose lifetime is under ten minutes is renewed when a tenth of it is left.
///
/// ```
/// assert_eq!(authing::MACHINE_TOKEN_MARGIN.as_secs(), 60);
/// ```
pub const MACHINE_TOKEN_MARGIN: Duration = Duration::from_secs(60);

/// An access token of the `client_credentials` grant, as
/// [`machine_token`](AuthResponse::machine_token) reads it. `Debug` hides the token.
///
/// ```
/// use authing::emulator::{Emulator, NewMachineClient};
/// use authing::{AuthClient, ClientCredentialInput};
/// let emulator = Emulator::start()?;
/// let machine = emulator.add_machine_client(NewMachineClient::new().scopes(&["read:users"]))?;
/// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
/// let input = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
/// let token = client.get_access_token_by_client_credentials_blocking("read:users", &input).machine_token()?;
/// assert_eq!(token.token_type(), "Bearer");
/// assert!(!format!("{token:?}").contains(token.access_token()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct MachineToken {
    pub(crate) access_token: String,
    pub(crate) token_type: String,
    pub(crate) expires_at: SystemTime,
    pub(crate) lifetime: Duration,
}

impl MachineToken {
    /// The access token, for `Authorization: Bearer`.
    ///
    /// ```
    /// # use authing::emulator::{Emulator, NewMachineClient};
    /// # let emulator = Emulator::start().unwrap();
    /// # let machine = emulator.add_machine_client(NewMachineClient::new()).unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let input = authing::ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    /// # let answer = client.get_access_token_by_client_credentials_blocking("", &input);
    /// # let got = answer.machine_token().unwrap();
    /// # let token = || got.clone();
    /// let header = format!("Bearer {}", token().access_token());
    /// ```
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The token type, `Bearer`.
    ///
    /// ```
    /// # use authing::emulator::{Emulator, NewMachineClient};
    /// # let emulator = Emulator::start().unwrap();
    /// # let machine = emulator.add_machine_client(NewMachineClient::new()).unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let input = authing::ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    /// # let answer = client.get_access_token_by_client_credentials_blocking("", &input);
    /// # let got = answer.machine_token().unwrap();
    /// # let token = || got.clone();
    /// assert_eq!(token().token_type(), "Bearer");
    /// ```
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// When it expires, on the clock of the [`ClientCredentialInput`](crate::ClientCredentialInput)
    /// it came from (the answer's arrival plus its `expire_in`).
    ///
    /// ```
    /// # use authing::emulator::{Emulator, NewMachineClient};
    /// # let emulator = Emulator::start().unwrap();
    /// # let machine = emulator.add_machine_client(NewMachineClient::new()).unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let input = authing::ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    /// # let answer = client.get_access_token_by_client_credentials_blocking("", &input);
    /// # let got = answer.machine_token().unwrap();
    /// # let token = || got.clone();
    /// let left = token().expires_at().duration_since(std::time::SystemTime::now());
    /// ```
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// The margin before [`expires_at`](Self::expires_at) at which the cache renews it:
    /// [`MACHINE_TOKEN_MARGIN`] or a tenth of its lifetime, whichever is shorter.
    pub(crate) fn renewal_margin(&self) -> Duration {
        MACHINE_TOKEN_MARGIN.min(self.lifetime / 10)
    }

    /// Whether the cache hands it out at `now`: more than its margin is left.
    pub(crate) fn is_fresh(&self, now: SystemTime) -> bool {
        now + self.renewal_margin() < self.expires_at
    }
}

impl fmt::Debug for MachineToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MachineToken")
            .field("access_token", &format_args!("{REDACTED}"))
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The cache of one input's token: at most one token, for the API base URL and scope it
/// was asked for (asking for another drops it), and the request in flight.
#[derive(Default)]
pub(crate) struct MachineTokenCache {
    slot: Mutex<Slot>,
    landed: Condvar,
}

#[derive(Default)]
struct Slot {
    /// `(base URL, scope)` and the token.
    token: Option<(String, String, MachineToken)>,
    /// Whether a request is on the wire.
    in_flight: bool,
    /// Flights finished so far, and the last one's failure (what its waiters answer).
    landed: u64,
    failure: Option<(String, String, Box<AuthResponse>)>,
}

impl MachineTokenCache {
    /// The cached token for `(base, scope)` when it is fresh at `now()`; else the outcome
    /// of one `fetch` shared with every call that comes meanwhile. `fetch` runs without
    /// the lock and answers the token or the failed answer.
    pub(crate) fn get(
        &self,
        base: &str,
        scope: &str,
        now: &dyn Fn() -> SystemTime,
        fetch: impl FnOnce() -> Result<MachineToken, Box<AuthResponse>>,
    ) -> Result<MachineToken, Box<AuthResponse>> {
        let mut waited_for = None;
        loop {
            // The clock is the user's code: read it with no lock held.
            let at = now();
            let slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((b, s, token)) = &slot.token {
                if b == base && s == scope && token.is_fresh(at) {
                    return Ok(token.clone());
                }
            }
            // A flight this call waited for failed: its failure is this call's answer.
            if let Some(seen) = waited_for {
                if slot.landed > seen && !slot.in_flight {
                    if let Some((b, s, failure)) = &slot.failure {
                        if b == base && s == scope {
                            return Err(failure.clone());
                        }
                    }
                }
            }
            if !slot.in_flight {
                let mut slot = slot;
                slot.in_flight = true;
                break;
            }
            waited_for = Some(slot.landed);
            // Woken when the flight lands; the loop then reads the clock again, unlocked.
            drop(
                self.landed
                    .wait(slot)
                    .unwrap_or_else(PoisonError::into_inner),
            );
        }
        // The flag is cleared even if `fetch` panics, so no waiter waits forever.
        struct Landing<'a> {
            cache: &'a MachineTokenCache,
            key: (&'a str, &'a str),
            failure: Option<Box<AuthResponse>>,
        }
        impl Drop for Landing<'_> {
            fn drop(&mut self) {
                let mut slot = self
                    .cache
                    .slot
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                slot.in_flight = false;
                slot.landed += 1;
                slot.failure = self
                    .failure
                    .take()
                    .map(|f| (self.key.0.to_owned(), self.key.1.to_owned(), f));
                self.cache.landed.notify_all();
            }
        }
        let mut landing = Landing {
            cache: self,
            key: (base, scope),
            failure: None,
        };
        let outcome = fetch();
        match &outcome {
            Ok(token) => {
                let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
                slot.token = Some((base.to_owned(), scope.to_owned(), token.clone()));
            }
            Err(failure) => landing.failure = Some(failure.clone()),
        }
        drop(landing);
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    fn token(lifetime: u64, at: SystemTime) -> MachineToken {
        MachineToken {
            access_token: "t".into(),
            token_type: "Bearer".into(),
            expires_at: at + Duration::from_secs(lifetime),
            lifetime: Duration::from_secs(lifetime),
        }
    }

    #[test]
    fn the_margin_is_a_minute_or_a_tenth_of_the_lifetime_whichever_is_shorter() {
        let t0 = SystemTime::UNIX_EPOCH;
        let hour = token(3600, t0);
        assert_eq!(hour.renewal_margin(), Duration::from_secs(60));
        assert!(hour.is_fresh(t0 + Duration::from_secs(3539)));
        assert!(!hour.is_fresh(t0 + Duration::from_secs(3540)));
        let five_minutes = token(300, t0);
        assert_eq!(five_minutes.renewal_margin(), Duration::from_secs(30));
    }

    #[test]
    fn concurrent_calls_of_a_cold_cache_share_one_fetch() {
        let cache = Arc::new(MachineTokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(20));
        let threads: Vec<_> = (0..20)
            .map(|_| {
                let (cache, fetches, barrier) = (cache.clone(), fetches.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    cache.get("b", "s", &SystemTime::now, || {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        std::thread::yield_now();
                        Ok(token(3600, SystemTime::now()))
                    })
                })
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap().is_ok());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn another_scope_or_host_is_fetched_anew() {
        let cache = MachineTokenCache::default();
        let count = AtomicUsize::new(0);
        let fetch = || {
            count.fetch_add(1, Ordering::SeqCst);
            Ok(token(3600, SystemTime::now()))
        };
        cache.get("b", "s", &SystemTime::now, fetch).unwrap();
        cache.get("b", "s", &SystemTime::now, fetch).unwrap();
        cache.get("b", "other", &SystemTime::now, fetch).unwrap();
        cache.get("c", "other", &SystemTime::now, fetch).unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }
}
