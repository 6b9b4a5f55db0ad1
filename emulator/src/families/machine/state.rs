//! The machine-to-machine clients of the app (Authing's "programmatic access accounts"):
//! each a client id, a secret, the scopes it may ask for and the lifetime of its access
//! tokens; and the tokens the `client_credentials` grant issued, for introspection and
//! revocation.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::core::random;

/// The lifetime of a machine client's access tokens when its creation names none.
pub const DEFAULT_MACHINE_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// Issued tokens kept before the expired ones are pruned.
const PRUNE_AT: usize = 10_000;

/// What [`Emulator::add_machine_client`](crate::Emulator::add_machine_client) (and the admin
/// API's `POST /emulator/v1/machine/clients`) is given: every field optional. Left out,
/// the client id and the secret are made up, the scopes are none (a token request that
/// names no scope is then granted no scope) and the token lifetime is
/// [`DEFAULT_MACHINE_TOKEN_TTL`].
///
/// ```
/// use std::time::Duration;
/// use authing_emulator::NewMachineClient;
/// let client = NewMachineClient::new()
///     .client_id("reporting-job")
///     .client_secret("s3cret-value")
///     .scopes(&["read:users"])
///     .token_ttl(Duration::from_secs(600));
/// assert_eq!(client.scopes, ["read:users"]);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct NewMachineClient {
    /// The client id (`client_id` at the token endpoint); made up when `None`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The secret; made up when `None`.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// The scopes the client may be granted.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The lifetime of its access tokens, in seconds (admin API: `tokenTtlSeconds`).
    #[serde(default, rename = "tokenTtlSeconds", with = "secs")]
    pub token_ttl: Option<Duration>,
}

impl NewMachineClient {
    /// A client whose id and secret the emulator makes up.
    ///
    /// ```
    /// assert!(authing_emulator::NewMachineClient::new().client_id.is_none());
    /// ```
    pub fn new() -> NewMachineClient {
        NewMachineClient::default()
    }

    /// Sets the client id.
    ///
    /// ```
    /// let c = authing_emulator::NewMachineClient::new().client_id("job");
    /// assert_eq!(c.client_id.as_deref(), Some("job"));
    /// ```
    pub fn client_id(mut self, id: &str) -> Self {
        self.client_id = Some(id.to_owned());
        self
    }

    /// Sets the secret.
    ///
    /// ```
    /// let c = authing_emulator::NewMachineClient::new().client_secret("s3cret-value");
    /// assert!(c.client_secret.is_some());
    /// ```
    pub fn client_secret(mut self, secret: &str) -> Self {
        self.client_secret = Some(secret.to_owned());
        self
    }

    /// Sets the scopes it may be granted.
    ///
    /// ```
    /// let c = authing_emulator::NewMachineClient::new().scopes(&["a", "b"]);
    /// assert_eq!(c.scopes.len(), 2);
    /// ```
    pub fn scopes(mut self, scopes: &[&str]) -> Self {
        self.scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    /// Sets the lifetime of its access tokens.
    ///
    /// ```
    /// use std::time::Duration;
    /// let c = authing_emulator::NewMachineClient::new().token_ttl(Duration::from_secs(60));
    /// assert_eq!(c.token_ttl, Some(Duration::from_secs(60)));
    /// ```
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = Some(ttl);
        self
    }
}

impl std::fmt::Debug for NewMachineClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMachineClient")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("scopes", &self.scopes)
            .field("token_ttl", &self.token_ttl)
            .finish()
    }
}

mod secs {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Duration::from_secs))
    }
}

/// A machine client as the emulator keeps it, and as
/// [`Emulator::machine_clients`](crate::Emulator::machine_clients) lists it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MachineClient {
    /// The client id.
    pub client_id: String,
    /// The secret (the emulator is a test server: its admin reveals it).
    pub client_secret: String,
    /// The scopes it may be granted.
    pub scopes: Vec<String>,
    /// The lifetime of its access tokens.
    pub token_ttl: Duration,
    /// How many access tokens the `client_credentials` grant has issued it.
    pub tokens_issued: u64,
}

impl std::fmt::Debug for MachineClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MachineClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("token_ttl", &self.token_ttl)
            .field("tokens_issued", &self.tokens_issued)
            .finish()
    }
}

/// An access token the grant issued.
#[derive(Clone, Debug)]
pub(crate) struct Issued {
    pub(crate) client_id: String,
    pub(crate) expires_at: SystemTime,
    pub(crate) revoked: bool,
}

/// The family's state.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Machines {
    clients: Vec<MachineClient>,
    /// Issued tokens by `jti`; in flight, not kept across a restart.
    #[serde(skip)]
    issued: HashMap<String, Issued>,
}

impl Machines {
    /// Adds a client; refused when its id is empty, taken, or the app's own, or a scope
    /// or the secret is empty.
    pub(crate) fn add(
        &mut self,
        seed: &NewMachineClient,
        app_id: &str,
    ) -> Result<MachineClient, String> {
        let id = match &seed.client_id {
            Some(id) => id.trim().to_owned(),
            None => format!("m2m-{}", random::hex(12)),
        };
        if id.is_empty() || id.len() > 128 {
            return Err("clientId must be 1 to 128 characters".into());
        }
        if id == app_id {
            return Err("clientId must not be the app id".into());
        }
        if self.clients.iter().any(|c| c.client_id == id) {
            return Err(format!("a machine client {id} already exists"));
        }
        let secret = seed.client_secret.clone().unwrap_or_else(random::token);
        if secret.is_empty() {
            return Err("clientSecret must not be empty".into());
        }
        if seed
            .scopes
            .iter()
            .any(|s| s.trim().is_empty() || s.contains(' '))
        {
            return Err("a scope must be one non-empty word".into());
        }
        let ttl = seed.token_ttl.unwrap_or(DEFAULT_MACHINE_TOKEN_TTL);
        if ttl.is_zero() || ttl > Duration::from_secs(365 * 24 * 3600) {
            return Err("tokenTtlSeconds must be 1 s to a year".into());
        }
        let client = MachineClient {
            client_id: id,
            client_secret: secret,
            scopes: seed.scopes.clone(),
            token_ttl: ttl,
            tokens_issued: 0,
        };
        self.clients.push(client.clone());
        Ok(client)
    }

    /// The clients, oldest first.
    pub(crate) fn clients(&self) -> Vec<MachineClient> {
        self.clients.clone()
    }

    /// The client `id`, when `secret` is its secret.
    pub(crate) fn authenticate(&self, id: &str, secret: &str) -> Option<&MachineClient> {
        self.clients
            .iter()
            .find(|c| c.client_id == id && c.client_secret == secret)
    }

    /// Records a token issued to `client_id` under `jti`.
    pub(crate) fn record(
        &mut self,
        jti: &str,
        client_id: &str,
        expires_at: SystemTime,
        now: SystemTime,
    ) {
        if self.issued.len() >= PRUNE_AT {
            self.issued.retain(|_, t| t.expires_at > now);
        }
        self.issued.insert(
            jti.to_owned(),
            Issued {
                client_id: client_id.to_owned(),
                expires_at,
                revoked: false,
            },
        );
        if let Some(c) = self.clients.iter_mut().find(|c| c.client_id == client_id) {
            c.tokens_issued += 1;
        }
    }

    /// The token `jti` when it is live at `now`.
    pub(crate) fn live(&self, jti: &str, now: SystemTime) -> Option<&Issued> {
        self.issued
            .get(jti)
            .filter(|t| !t.revoked && t.expires_at > now)
    }

    /// Revokes the token `jti`; whether it was known.
    pub(crate) fn revoke(&mut self, jti: &str) -> bool {
        match self.issued.get_mut(jti) {
            Some(t) => {
                t.revoked = true;
                true
            }
            None => false,
        }
    }
}
