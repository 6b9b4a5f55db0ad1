//! [`AuthClient`]: the shared inner state, how a client is made (`new`, `builder`) and how
//! a call is dispatched. The plumbing every family uses sits beside it: its settings
//! (`builder.rs`, `config.rs`), app discovery (`discovery.rs`), the disk cache of the
//! public config and keys (`config_cache.rs`), the shared clients (`registry.rs`),
//! requests (`request.rs`), the signed-in user (`user.rs`), password sealing and the public
//! keys (`password.rs`, single-flight through `single_flight.rs`), and the warm-up that
//! prepares discovery, keys and a connection before the first call (`warm_up.rs`). No
//! endpoint lives here: each family of calls is a module under `api/`, and nothing here
//! calls into `api/`.

pub(crate) mod builder;
pub(crate) mod config;
pub(crate) mod config_cache;
pub(crate) mod device;
pub(crate) mod discovery;
pub(crate) mod password;
pub(crate) mod registry;
pub(crate) mod request;
pub(crate) mod session_user;
pub(crate) mod single_flight;
pub(crate) mod user;
pub(crate) mod v2;
pub(crate) mod warm_up;

pub(crate) use request::{json_body, Auth, Query};

use std::fmt;
use std::sync::{Arc, Weak};

use crate::client::builder::AuthClientBuilder;
use crate::client::config::{ClientConfig, ConfigError, Endpoint, Lang};
use crate::client::config_cache::ConfigCache;
use crate::client::discovery::Discovery;
use crate::client::password::PublicKeys;
use crate::client::registry::Registry;
use crate::dispatch::callback::{self, AuthCallback};
use crate::dispatch::dispatcher::{CancelCheck, Dispatcher, DispatcherConfig, DispatcherLoad};
use crate::dispatch::handle::RequestHandle;
use crate::dispatch::report;
use crate::dispatch::spawner;
use crate::dispatch::wake::Wake;
use crate::error::AuthError;
use crate::response::AuthResponse;
use crate::session::{MemoryTokenStore, Renewer, SessionState, Upgrade};
use crate::transport::Transport;

/// The Authing client (Java: `AuthClient`): one method per endpoint, each in two forms.
///
/// - The callback form, `reset_password_request(method, payload, callback)`, runs the call
///   on a worker thread and hands the answer to `callback` exactly once; it returns a
///   [`RequestHandle`] at once.
/// - The blocking twin, `reset_password_request_blocking(method, payload)`, runs the same
///   call on the caller's thread and returns the [`AuthResponse`].
///
/// `AuthClient` is `Clone + Send + Sync`; clones share one connection pool and one
/// dispatcher. [`AuthClient::new`] is cheap: clients created with the same configuration
/// share them too, so `AuthClient::new()` per call, as the Java sample does, costs little.
/// (The process keeps at most 16 such configurations that nothing else uses, and never
/// forgets one still in use, so `new()` never starts a second dispatcher beside a living
/// one.)
///
/// Connections and TLS sessions go further: every living client of the process with the
/// same API host (`app_host`, or the console it discovers the host from) and transport
/// settings (trust anchors, proxy, `connect_timeout`, `timeout`,
/// `max_concurrent_requests`), builder-made ones included and whatever their app id,
/// language or extra headers, shares one connection pool and one TLS session cache. A client made
/// while another is alive takes its idle connection (no handshake), or resumes its TLS
/// session when it must connect again; clients with other settings share nothing. The pool
/// and cache go with the last client that uses them.
///
/// ```no_run
/// use authing::{AuthClient, AuthResponse, Authing, ResetPasswordPayload, ResetPasswordVerifyMethod};
///
/// Authing::init("your-app-id"); // without it (or AUTHING_APP_ID), every call answers 10002
/// let auth_client = AuthClient::new();
/// let mut reset_password_payload = ResetPasswordPayload::new();
/// reset_password_payload.set_phone_country_code("+86");
/// reset_password_payload.set_phone_number("18812345678");
/// reset_password_payload.set_pass_code("1234");
/// let handle = auth_client.reset_password_request(
///     ResetPasswordVerifyMethod::PHONE_PASSCODE,
///     reset_password_payload,
///     |response: AuthResponse| {
///         if response.status_code() == 200 { /* success */ }
///     },
/// );
/// handle.join().unwrap();
/// ```
#[derive(Clone)]
pub struct AuthClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: Result<ClientConfig, ConfigError>,
    transport: Transport,
    dispatcher: Arc<Dispatcher>,
    discovery: Discovery,
    /// The server's public keys: preset, or fetched from `GET /api/v3/system`.
    public_keys: PublicKeys,
    /// The disk cache of the public config and keys, when the builder set one.
    config_cache: Option<ConfigCache>,
    /// The signed-in session (see `session/`).
    session: Arc<SessionState>,
    /// This client, held weakly, for the session's refresh ahead (`session/ahead.rs`).
    ahead_client: Upgrade,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // The refresh-ahead thread, if it refreshes through this client, ends.
        self.session.client_dropped();
    }
}

/// Clients made by `AuthClient::new()`, by configuration, so that equal configurations share
/// one pool and one dispatcher. At most 16 idle ones are kept; one still in use is never
/// evicted (see `registry.rs`).
static SHARED: Registry = Registry::new(SHARED_CAPACITY);
const SHARED_CAPACITY: usize = 16;

/// # Making a client (Java: `Authing.init`, `new AuthClient()`)
///
/// A client from the process-wide settings ([`new`](Self::new)), or with settings of its own
/// ([`builder`](Self::builder)); its dispatcher's load.
impl AuthClient {
    /// A client configured from the process-wide [`Authing`](crate::Authing) settings, then
    /// the environment (`AUTHING_APP_ID`, `AUTHING_APP_HOST`, `AUTHING_LANG`,
    /// `AUTHING_TIMEOUT_MS`), with the documented defaults for the rest.
    ///
    /// Never fails and never panics: without an app id or host, or with a malformed
    /// setting, every call answers its callback with status code 10002 ("config not found")
    /// and [`AuthError::Config`] saying what is missing.
    ///
    /// ```
    /// let auth_client = authing::AuthClient::new();
    /// # let _ = auth_client;
    /// ```
    pub fn new() -> AuthClient {
        let config = config::from_process();
        let key = config.as_ref().map(ClientConfig::key).map_err(Clone::clone);
        // Every `new()` of one app shares one session, even once its client is evicted.
        let session = match &config {
            Ok(c) => SessionState::shared(c.app_id.as_deref(), &c.endpoint),
            Err(_) => SessionState::new(Arc::new(MemoryTokenStore::new())),
        };
        SHARED.client(key, || AuthClient::from_config(config, session))
    }

    /// Whether a clone of this client exists besides this one (or a call of it is running).
    pub(crate) fn is_held_elsewhere(&self) -> bool {
        Arc::strong_count(&self.inner) > 1
    }

    /// Whether `other` is this client or a clone of it.
    #[cfg(test)]
    pub(crate) fn is_same(&self, other: &AuthClient) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// A builder for a client with its own settings.
    ///
    /// ```
    /// use std::time::Duration;
    /// let client = authing::AuthClient::builder()
    ///     .app_id("60caaf41df670b771fd08937")
    ///     .app_host("https://myapp.authing.cn")
    ///     .lang(authing::Lang::EnUs)
    ///     .timeout(Duration::from_secs(15))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn builder() -> AuthClientBuilder {
        AuthClientBuilder::default()
    }

    pub(crate) fn from_config(
        config: Result<ClientConfig, ConfigError>,
        session: Arc<SessionState>,
    ) -> AuthClient {
        let fallback;
        let settings = match &config {
            Ok(c) => c,
            Err(_) => {
                // Its calls all answer with the config error and send nothing, so it
                // needs no proxy: `*` keeps a malformed proxy variable (the error being
                // reported, perhaps) from failing this too.
                fallback = AuthClientBuilder::default()
                    .no_proxy("*")
                    .into_config()
                    .expect("the default settings are valid");
                &fallback
            }
        };
        let transport = Transport::new(settings);
        let public_keys = PublicKeys::new(settings.public_keys.clone());
        let config_cache = settings.config_cache.as_ref().and_then(|cache| {
            let host = match &settings.endpoint {
                Endpoint::Fixed(base_url) => base_url,
                Endpoint::Discover { console, .. } => console,
                Endpoint::Missing => return None,
            };
            let app_id = settings.app_id.as_deref().unwrap_or_default();
            Some(ConfigCache::new(cache.clone(), app_id, host))
        });
        let dispatcher = Dispatcher::new(DispatcherConfig {
            max_workers: settings.max_concurrent_requests,
            max_queue: settings.max_queued_requests,
            idle_timeout: settings.idle_timeout,
            executor: settings.executor.clone(),
            reporter: settings.reporter.clone().unwrap_or_else(report::stderr),
            wake: Wake::new(settings.on_delivery.clone()),
            spawner: spawner::os(),
        });
        let inner = Arc::new_cyclic(|weak: &Weak<Inner>| {
            let weak = weak.clone();
            let ahead_client: Upgrade = Arc::new(move || {
                let inner = weak.upgrade()?;
                Some(Box::new(AuthClient { inner }) as Box<dyn Renewer>)
            });
            Inner {
                config,
                transport,
                dispatcher,
                discovery: Discovery::default(),
                public_keys,
                config_cache,
                session,
                ahead_client,
            }
        });
        AuthClient { inner }
    }

    /// The number of worker threads alive and of calls waiting, for monitoring.
    ///
    /// ```
    /// let load = authing::AuthClient::builder().build().unwrap().load();
    /// assert_eq!(load.workers(), 0);
    /// ```
    pub fn load(&self) -> DispatcherLoad {
        self.inner.dispatcher.load()
    }

    /// Runs `work` on the dispatcher and hands its answer to `callback`.
    pub(crate) fn dispatch<C, W>(&self, callback: C, work: W) -> RequestHandle
    where
        C: AuthCallback,
        W: FnOnce(&CancelCheck<'_>) -> AuthResponse + Send + 'static,
    {
        // Every answer the callback gets, the dispatcher's own (cancelled, rejected)
        // included, describes a local failure in this client's language.
        let lang = self.lang();
        let callback = move |response: AuthResponse| callback.call(response.in_lang(lang));
        let slot = self
            .inner
            .dispatcher
            .submit(callback::boxed(callback), Box::new(work));
        RequestHandle::new(slot, Arc::clone(&self.inner.dispatcher))
    }

    /// Runs `work` with a clone of this client on the dispatcher: a callback method is this
    /// one call over its blocking twin, `self.spawn(callback, move |client, _| client.x_blocking(..))`.
    pub(crate) fn spawn<C, W>(&self, callback: C, work: W) -> RequestHandle
    where
        C: AuthCallback,
        W: FnOnce(&AuthClient, &CancelCheck<'_>) -> AuthResponse + Send + 'static,
    {
        let client = self.clone();
        self.dispatch(callback, move |cancel| work(&client, cancel))
    }

    /// The delivery hook of this client's dispatcher (`set_on_delivery`, QR-code updates).
    pub(crate) fn wake(&self) -> &Arc<Wake> {
        self.inner.dispatcher.wake()
    }

    /// The configuration, or the 10002 answer when there is none (checked before the
    /// input, so an unconfigured client always says so).
    pub(crate) fn settings(&self) -> Result<&ClientConfig, AuthError> {
        // Every call starts here: the local failures it answers speak its client's
        // language (`i18n.rs`).
        crate::i18n::enter(self.lang());
        let config = self
            .inner
            .config
            .as_ref()
            .map_err(|e| AuthError::Config(e.to_string()))?;
        if config.endpoint == Endpoint::Missing {
            return Err(missing_endpoint());
        }
        Ok(config)
    }

    /// The language of this client's messages: its configuration's, or, for a client
    /// whose configuration was refused, the process-wide one.
    fn lang(&self) -> Lang {
        match &self.inner.config {
            Ok(config) => config.lang,
            Err(_) => config::process_lang(),
        }
    }

    /// The client's session.
    pub(crate) fn session(&self) -> &SessionState {
        &self.inner.session
    }

    /// The client's public keys for password encryption (see `client/password.rs`).
    pub(crate) fn public_keys(&self) -> &PublicKeys {
        &self.inner.public_keys
    }

    /// The disk cache of the public config and keys, if the builder set one.
    pub(crate) fn config_cache(&self) -> Option<&ConfigCache> {
        self.inner.config_cache.as_ref()
    }
}

fn missing_endpoint() -> AuthError {
    AuthError::Config(
        "no app id or app host; call Authing::init(app_id), set AUTHING_APP_ID or AUTHING_APP_HOST, or use AuthClient::builder()".into(),
    )
}

impl Default for AuthClient {
    /// The same as [`AuthClient::new`].
    fn default() -> AuthClient {
        AuthClient::new()
    }
}

impl fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.config {
            Ok(config) => f
                .debug_struct("AuthClient")
                .field("config", config)
                .finish(),
            Err(error) => f
                .debug_struct("AuthClient")
                .field("config_error", error)
                .finish(),
        }
    }
}
