//! The warm-up ([`AuthClient::warm_up`], Java's `Authing.init` fetching the app's config at
//! start): what a sign-in needs before its own request, done before the click, so that the
//! click costs the sign-in request alone.
//!
//! Its rules **(our choices)**:
//!
//! - **Only when asked.** `new()` and `build()` never send anything and never wait: a
//!   client that is never called sends nothing. The warm-up runs when the program calls
//!   it, or in the background from `build()` with
//!   [`AuthClientBuilder::warm_up`](crate::AuthClientBuilder::warm_up)`(true)`.
//! - **What it does**, on the caller's thread (`warm_up_blocking`) or a worker
//!   (`warm_up`): app discovery if the client discovers its host (the disk cache's config
//!   if there is one), then the server's public keys, `GET /api/v3/system` (the disk
//!   cache's keys if there are some). That request goes to the API host, so its connection
//!   (TCP and TLS) stays open and idle in the pool for the sign-in. If the keys are known
//!   (fetched by an earlier call, or read from the disk cache) but the API host has not
//!   answered this client, or another living client sharing its connection pool
//!   (`transport/agents.rs`), within [`WARM_WITHIN`] (25 s), `GET /api/v3/system` is sent
//!   anyway, to open a connection, and refreshes the keys. Preset keys
//!   (`rsa_public_key`, `sm2_public_key`) do not spare that request either: it is the
//!   cheapest request the API has, and the only way to open the connection.
//! - **No duplicate request.** The discovery and the key fetch are single-flight with the
//!   calls' own: a sign-in that starts during a warm-up waits for its discovery (and, with
//!   `rsa`/`sm2`, its keys) instead of fetching them again. A second warm-up within 25 s of
//!   the first's answer sends nothing.
//! - **Its answer**: success (200) with `data` `{"appHost": <the API base URL>,
//!   "userPoolId": <the discovered one, or null>}`, or the failure of the discovery
//!   (10002, as every call would answer) or of the key fetch. A failure changes nothing:
//!   the next call (or warm-up) tries again.
//! - **How long it lasts.** The connection it opened is kept while idle for
//!   `POOL_IDLE_AGE`, 50 s (below the 60 s and more that servers and load balancers
//!   commonly keep an idle connection); after that the next call opens a new one (one more
//!   round trip, or two with TLS). Nothing keeps a connection alive in the background: no
//!   ping, no timer. Call `warm_up` again when the sign-in screen shows to open a new one.

use serde_json::json;

use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::response::{self, AuthResponse};
use crate::transport::POOL_IDLE_AGE;

/// How recent an answer of the API host must be for the warm-up to take its connection as
/// still open: half the pool's idle age, so a click within 25 s of any warm-up finds it.
pub(crate) const WARM_WITHIN: std::time::Duration =
    std::time::Duration::from_secs(POOL_IDLE_AGE.as_secs() / 2);

/// # Warming up (Java: `Authing.init` fetching the app's config at start)
impl AuthClient {
    /// Gets the client ready for a sign-in, so that a click on "Sign in" costs the sign-in
    /// request alone: app discovery (if the client discovers its host), the server's public
    /// password keys (so `PasswordEncryptType::rsa` or `sm2` needs no request at the
    /// click), and a connection to the API host left open in the pool (kept 50 s while
    /// idle). Call it at start, or when the sign-in screen shows; `new()` and `build()`
    /// never do it on their own (see [`AuthClientBuilder::warm_up`](crate::AuthClientBuilder::warm_up)).
    ///
    /// The callback gets 200 with `data` `{"appHost", "userPoolId"}`, or the discovery's
    /// failure (10002) or the key fetch's; a failure changes nothing and later calls try
    /// again. It never sends a request twice: a call that arrives meanwhile waits for its
    /// discovery and keys, and a second warm-up within 25 s of the last answer sends
    /// nothing. The rules are in `src/client/warm_up.rs` and docs/PERFORMANCE.md.
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let (app_id, app_host) = (emulator.app_id().to_string(), emulator.base_url());
    /// let client = authing::AuthClient::builder().app_id(app_id).app_host(app_host).build()?;
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// let _warming = client.warm_up(tx); // at start: returns at once, runs on a worker
    /// let warmed = rx.recv().unwrap();
    /// assert_eq!(warmed.status_code(), 200, "{}", warmed.message());
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    #[doc(alias = "init")]
    pub fn warm_up<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, |client, _| client.warm_up_blocking())
    }

    /// The blocking twin of [`warm_up`](Self::warm_up).
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let (app_id, app_host) = (emulator.app_id().to_string(), emulator.base_url());
    /// let client = authing::AuthClient::builder().app_id(app_id).app_host(app_host).build()?;
    /// let warmed = client.warm_up_blocking();
    /// assert!(warmed.is_success(), "{}", warmed.message());
    /// assert!(client.warm_up_blocking().is_success()); // sends nothing this time
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    #[doc(alias = "init")]
    pub fn warm_up_blocking(&self) -> AuthResponse {
        self.warm().unwrap_or_else(AuthResponse::from_error)
    }

    fn warm(&self) -> Result<AuthResponse, AuthError> {
        let config = self.settings()?;
        // Discovery, single-flight with every call's (the disk cache first).
        let target = self.target(config)?;
        if !self.public_keys().known() {
            // The disk cache's keys, or `GET /api/v3/system`, single-flight.
            self.load_public_keys(false)?;
        }
        // Keys from an earlier call or the disk cache open no connection: ask again.
        if !self
            .inner
            .transport
            .answered_within(&target.base_url, WARM_WITHIN)
        {
            self.load_public_keys(true)?;
        }
        Ok(response::from_plain_json(json!({
            "appHost": target.base_url,
            "userPoolId": config.user_pool_id.as_deref().or(target.user_pool_id.as_deref()),
        })))
    }
}
