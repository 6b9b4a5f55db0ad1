//! [`AuthClient`]: the shared inner state and the dispatch/post/get plumbing every call
//! goes through. No endpoint lives here: each family of calls is a module under `api/`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use crate::builder::AuthClientBuilder;
use crate::callback::{self, AuthCallback};
use crate::config::{self, ClientConfig, ConfigError, ConfigKey, Endpoint};
use crate::discovery::{Discovery, Source, Target};
use crate::dispatcher::{CancelCheck, Dispatcher, DispatcherConfig, DispatcherLoad};
use crate::error::AuthError;
use crate::handle::RequestHandle;
use crate::model::PasswordEncryptType;
use crate::response::AuthResponse;
use crate::session::{Refusal, SessionState};
use crate::transport::{self, Headers, Shape, Transport};
use crate::urlencoded;

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
///
/// ```
/// use authing::{AuthClient, AuthResponse, ResetPasswordPayload, ResetPasswordVerifyMethod};
///
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
    /// The server's public keys (`GET /api/v3/system`), once fetched.
    public_keys: Mutex<Option<Arc<Value>>>,
    /// The signed-in session (see `session.rs`).
    session: Arc<SessionState>,
}

/// Which `Authorization` a request carries.
pub(crate) enum Auth<'a> {
    /// The builder's fixed `access_token`, if any (every call of the recovery journey).
    Config,
    /// None at all (the OAuth endpoints, whose `Authorization` would mean client auth).
    Nothing,
    /// `Bearer` with this access token.
    Bearer(&'a str),
}

/// Clients made by `AuthClient::new()`, by configuration, so that equal configurations share
/// one pool and one dispatcher. Bounded: the oldest entry goes when it is full (clients
/// already made keep theirs).
static SHARED: Mutex<Vec<(Result<ConfigKey, ConfigError>, AuthClient)>> = Mutex::new(Vec::new());
const SHARED_CAPACITY: usize = 16;

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
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, client)) = shared.iter().find(|(k, _)| *k == key) {
            return client.clone();
        }
        // Every `new()` of one app shares one session, even once its client is evicted.
        let session = match &config {
            Ok(c) => SessionState::shared(c.app_id.as_deref(), &c.endpoint),
            Err(_) => SessionState::new(Arc::new(crate::session::MemoryTokenStore::new())),
        };
        let client = AuthClient::from_config(config, session);
        if shared.len() >= SHARED_CAPACITY {
            let _evicted = shared.remove(0);
        }
        shared.push((key, client.clone()));
        client
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
                fallback = AuthClientBuilder::default()
                    .into_config()
                    .expect("the default settings are valid");
                &fallback
            }
        };
        let transport = Transport::new(settings);
        let dispatcher = Dispatcher::new(DispatcherConfig {
            max_workers: settings.max_concurrent_requests,
            max_queue: settings.max_queued_requests,
            idle_timeout: settings.idle_timeout,
            executor: settings.executor.clone(),
        });
        AuthClient {
            inner: Arc::new(Inner {
                config,
                transport,
                dispatcher,
                discovery: Discovery::default(),
                public_keys: Mutex::new(None),
                session,
            }),
        }
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

    /// The configuration, or the 10002 answer when there is none (checked before the
    /// input, so an unconfigured client always says so).
    pub(crate) fn settings(&self) -> Result<&ClientConfig, AuthError> {
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

    /// Where the API is: the fixed base URL, or the discovered one.
    fn target(&self, config: &ClientConfig) -> Result<Arc<Target>, AuthError> {
        match &config.endpoint {
            Endpoint::Fixed(base_url) => Ok(Arc::new(Target {
                base_url: base_url.clone(),
                user_pool_id: None,
            })),
            Endpoint::Discover {
                console,
                domain,
                scheme,
            } => {
                let app_id = config.app_id.as_deref().unwrap_or_default();
                self.inner.discovery.resolve(
                    &self.inner.transport,
                    &Source {
                        console,
                        domain,
                        scheme,
                        app_id,
                        lang: config.lang,
                    },
                )
            }
            Endpoint::Missing => Err(missing_endpoint()),
        }
    }

    /// `POST path` with the body `body` builds, after the configuration and input checks.
    pub(crate) fn post(
        &self,
        path: &str,
        body: impl FnOnce() -> Result<Vec<u8>, AuthError>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let body = body()?;
            self.wire(
                config,
                path,
                &[],
                Some((transport::JSON, body)),
                Shape::Envelope,
                Auth::Config,
            )
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// `POST path` with the form body (`application/x-www-form-urlencoded`) that `pairs`
    /// builds, read as an OAuth answer, without `Authorization`.
    pub(crate) fn post_form(
        &self,
        path: &str,
        pairs: impl FnOnce() -> Result<Vec<(&'static str, String)>, AuthError>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let body = urlencoded::pairs(&pairs()?).into_bytes();
            self.wire(
                config,
                path,
                &[],
                Some((transport::FORM, body)),
                Shape::OAuth,
                Auth::Nothing,
            )
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// `GET path?query` with the `Authorization` of `auth`.
    pub(crate) fn get_with(
        &self,
        path: &str,
        query: &[(&str, &str)],
        shape: Shape,
        auth: Auth<'_>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            self.wire(config, path, query, None, shape, auth)
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// The access token a call that needs a user sends as `Authorization: Bearer`: the
    /// session's, refreshed first when it has expired; without a session the builder's
    /// `access_token` stands in; without either, the 10015 answer (nothing is sent).
    pub(crate) fn user_token(&self) -> Result<String, Refusal> {
        let (session, _) = self.inner.session.current()?;
        if session.is_none() {
            if let Some(token) = self.settings().ok().and_then(|c| c.access_token.clone()) {
                return Ok(token);
            }
        }
        self.inner
            .session
            .access_token(|refresh_token| self.refresh_tokens(refresh_token))
    }

    /// The client's session.
    pub(crate) fn session(&self) -> &SessionState {
        &self.inner.session
    }

    /// Sends one request to `path` on the app's API: a POST of `body` (content type and
    /// bytes) or, without one, a GET.
    fn wire(
        &self,
        config: &ClientConfig,
        path: &str,
        query: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
        shape: Shape,
        auth: Auth<'_>,
    ) -> Result<AuthResponse, AuthError> {
        let target = self.target(config)?;
        let mut url = format!("{}{path}", target.base_url);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&urlencoded::pairs(query));
        }
        let mut headers = headers(config, &target);
        match auth {
            Auth::Config => {}
            Auth::Nothing => headers.access_token = None,
            Auth::Bearer(token) => headers.access_token = Some(token),
        }
        Ok(match body {
            Some((content_type, bytes)) => {
                self.inner
                    .transport
                    .post_as(&url, &headers, content_type, bytes, shape)
            }
            None => self.inner.transport.get(&url, &headers, shape),
        })
    }

    /// The server's public key for `kind`, fetched once per client and cached.
    pub(crate) fn public_key(&self, kind: PasswordEncryptType) -> Result<String, AuthError> {
        let field = kind.as_str();
        let cached = self
            .inner
            .public_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let keys = match cached {
            Some(keys) => keys,
            None => {
                let response = self.get("/api/v3/system", Shape::Plain);
                let keys = match (response.error(), response.data()) {
                    (None, Some(data)) => Arc::new(data.clone()),
                    // No configuration (or a failed discovery) is what ported code
                    // checks for as 10002: it stays a configuration error.
                    (Some(error @ AuthError::Config(_)), _) => return Err(error.clone()),
                    (Some(error), _) => {
                        return Err(AuthError::Encryption {
                            reason: format!("could not fetch the public key: {error}"),
                        })
                    }
                    (None, None) => {
                        return Err(AuthError::Encryption {
                            reason: "could not fetch the public key: the answer is empty".into(),
                        })
                    }
                };
                *self
                    .inner
                    .public_keys
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&keys));
                keys
            }
        };
        keys.get(field)
            .and_then(|k| k.get("publicKey"))
            .and_then(Value::as_str)
            .filter(|k| !k.trim().is_empty())
            .map(str::to_string)
            .ok_or_else(|| AuthError::Encryption {
                reason: format!("the server published no {field} public key"),
            })
    }

    /// `GET path`, its body read as `shape`.
    pub(crate) fn get(&self, path: &str, shape: Shape) -> AuthResponse {
        self.get_with(path, &[], shape, Auth::Config)
    }
}

fn missing_endpoint() -> AuthError {
    AuthError::Config(
        "no app id or app host; call Authing::init(app_id), set AUTHING_APP_ID or AUTHING_APP_HOST, or use AuthClient::builder()".into(),
    )
}

fn headers<'a>(config: &'a ClientConfig, target: &'a Target) -> Headers<'a> {
    Headers {
        app_id: config.app_id.as_deref(),
        user_pool_id: config
            .user_pool_id
            .as_deref()
            .or(target.user_pool_id.as_deref()),
        lang: config.lang,
        access_token: config.access_token.as_deref(),
    }
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
