//! [`AuthClient`] and its builder: the public API, one method per endpoint, Java names.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;

use crate::callback::{self, AuthCallback};
use crate::config::{self, ClientConfig, ConfigError, ConfigKey, Endpoint, Lang};
use crate::discovery::{Discovery, Source, Target};
use crate::dispatcher::{CancelCheck, Dispatcher, DispatcherConfig, DispatcherLoad, Executor};
use crate::error::AuthError;
use crate::handle::RequestHandle;
use crate::model::{PasswordEncryptType, ResetPasswordPayload, ResetPasswordVerifyMethod};
use crate::redact::SecretField;
use crate::response::AuthResponse;
use crate::transport::{Headers, Shape, Transport};

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
}

/// `resetPasswordRequest`'s endpoint.
pub(crate) const VERIFY_PATH: &str = "/api/v3/verify-reset-password-request";
/// `resetPassword`'s endpoint.
pub(crate) const RESET_PATH: &str = "/api/v3/reset-password";

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
        let client = AuthClient::from_config(config);
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

    fn from_config(config: Result<ClientConfig, ConfigError>) -> AuthClient {
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
            }),
        }
    }

    /// Verifies the passcode a user received by SMS or email and answers a
    /// `passwordResetToken` (Java: `resetPasswordRequest`; `POST
    /// /api/v3/verify-reset-password-request`). The callback form.
    ///
    /// On success `status_code()` is 200 and
    /// [`reset_password_data()`](AuthResponse::reset_password_data) gives the token, its
    /// lifetime and the instant it expires. Only the payload object of the chosen method is
    /// sent, and fields that are not set are left out.
    ///
    /// Checked before anything is sent (status code 10010, [`AuthError::InvalidInput`]):
    /// - both methods: a pass code of 1 to 32 ASCII letters or digits;
    /// - `PHONE_PASSCODE`: a phone number of 1 to 20 ASCII digits, no `+`; a country code,
    ///   if set, of `+` and 1 to 4 digits; no email set;
    /// - `EMAIL_PASSCODE`: an email address (one `@`, a dotted domain, no whitespace, at most
    ///   254 bytes); no phone number or country code set;
    /// - no value empty or only whitespace. Values are sent as given, never trimmed.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, ResetPasswordPayload, ResetPasswordVerifyMethod};
    ///
    /// let auth_client = AuthClient::new();
    /// let mut payload = ResetPasswordPayload::new();
    /// payload.set_email("someone@example.com").set_pass_code("123456");
    /// auth_client
    ///     .reset_password_request(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload, |response: AuthResponse| {
    ///         match response.reset_password_data() {
    ///             Ok(reset) => println!("token valid for {} s", reset.token_expires_in()),
    ///             Err(error) => println!("failed: {error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    pub fn reset_password_request<C: AuthCallback>(
        &self,
        method: ResetPasswordVerifyMethod,
        payload: ResetPasswordPayload,
        callback: C,
    ) -> RequestHandle {
        let client = self.clone();
        self.dispatch(callback, move |_| {
            client.reset_password_request_blocking(method, payload)
        })
    }

    /// The blocking twin of [`reset_password_request`](Self::reset_password_request): the
    /// same call on the caller's thread, answered as the return value. Do not call it on a
    /// GUI thread.
    ///
    /// ```no_run
    /// use authing::{AuthClient, ResetPasswordPayload, ResetPasswordVerifyMethod};
    ///
    /// let mut payload = ResetPasswordPayload::new();
    /// payload.set_phone_number("18812345678").set_pass_code("1234");
    /// let response = AuthClient::new()
    ///     .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload);
    /// println!("{} {}", response.status_code(), response.message());
    /// ```
    pub fn reset_password_request_blocking(
        &self,
        method: ResetPasswordVerifyMethod,
        payload: ResetPasswordPayload,
    ) -> AuthResponse {
        self.post(VERIFY_PATH, || {
            payload
                .to_request_body(method)
                .map_err(AuthError::InvalidInput)
        })
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
            let target = self.target(config)?;
            let url = format!("{}{path}", target.base_url);
            Ok(self
                .inner
                .transport
                .post(&url, &headers(config, &target), body))
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
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
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let target = self.target(config)?;
            let url = format!("{}{path}", target.base_url);
            Ok(self
                .inner
                .transport
                .get(&url, &headers(config, &target), shape))
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
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

/// Settings for a client of its own; made by [`AuthClient::builder`].
///
/// Every setting has a documented default (the `DEFAULT_*` constants of this crate).
/// [`build`](AuthClientBuilder::build) checks them all and says which one is wrong.
///
/// ```
/// use std::time::Duration;
/// let client = authing::AuthClient::builder()
///     .app_id("demo-app")
///     .app_host("http://127.0.0.1:8787")
///     .connect_timeout(Duration::from_secs(3))
///     .max_concurrent_requests(4)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), authing::ConfigError>(())
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until build() is called"]
pub struct AuthClientBuilder {
    app_id: Option<String>,
    app_host: Option<String>,
    host: Option<String>,
    scheme: Option<String>,
    lang: Lang,
    user_pool_id: Option<String>,
    access_token: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    max_concurrent_requests: usize,
    max_queued_requests: usize,
    idle_timeout: Duration,
    max_response_bytes: u64,
    executor: Option<Executor>,
}

impl Default for AuthClientBuilder {
    fn default() -> AuthClientBuilder {
        AuthClientBuilder {
            app_id: None,
            app_host: None,
            host: None,
            scheme: None,
            lang: Lang::default(),
            user_pool_id: None,
            access_token: None,
            connect_timeout: config::DEFAULT_CONNECT_TIMEOUT,
            timeout: config::DEFAULT_TIMEOUT,
            max_concurrent_requests: config::DEFAULT_MAX_CONCURRENT_REQUESTS,
            max_queued_requests: config::DEFAULT_MAX_QUEUED_REQUESTS,
            idle_timeout: config::DEFAULT_IDLE_TIMEOUT,
            max_response_bytes: config::DEFAULT_MAX_RESPONSE_BYTES,
            executor: None,
        }
    }
}

impl AuthClientBuilder {
    /// The app id, sent as `x-authing-app-id` (ASCII letters, digits, `-`, `_`, `.`).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().app_id("60caaf41df670b771fd08937");
    /// # let _ = b;
    /// ```
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The API base URL, such as `https://myapp.authing.cn` or `http://127.0.0.1:8787`;
    /// a bare host name means https. Without it, the host is discovered from the app id.
    ///
    /// ```
    /// let b = authing::AuthClient::builder().app_host("https://myapp.authing.cn");
    /// # let _ = b;
    /// ```
    pub fn app_host(mut self, base_url: impl Into<String>) -> Self {
        self.app_host = Some(base_url.into());
        self
    }

    /// Where app discovery fetches the public config: the on-premises domain (Java:
    /// `Authing.setHost`), or a base URL such as `http://127.0.0.1:8787` (whose scheme then
    /// becomes the default [`scheme`](Self::scheme)). Default: `console.authing.cn`.
    ///
    /// ```
    /// let b = authing::AuthClient::builder().app_id("app").host("mycompany.com");
    /// # let _ = b;
    /// ```
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The scheme for discovery and discovered hosts: `https` (default) or `http`.
    ///
    /// ```
    /// let b = authing::AuthClient::builder().scheme("https");
    /// # let _ = b;
    /// ```
    pub fn scheme(mut self, scheme: impl Into<String>) -> Self {
        self.scheme = Some(scheme.into());
        self
    }

    /// The language of the server's messages (default `zh-CN`).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().lang(authing::Lang::EnUs);
    /// # let _ = b;
    /// ```
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// The user pool id, sent as `x-authing-userpool-id` (discovery also learns it).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().user_pool_id("59f86b4832eb28071bdd9214");
    /// # let _ = b;
    /// ```
    pub fn user_pool_id(mut self, user_pool_id: impl Into<String>) -> Self {
        self.user_pool_id = Some(user_pool_id.into());
        self
    }

    /// An access token, sent as `Authorization: Bearer <token>` (the recovery journey
    /// needs none). Never shown by `Debug`.
    ///
    /// ```
    /// let b = authing::AuthClient::builder().access_token("eyJhbGciOi...");
    /// # let _ = b;
    /// ```
    pub fn access_token(mut self, access_token: impl Into<String>) -> Self {
        self.access_token = Some(access_token.into());
        self
    }

    /// Time allowed to open a connection, TCP and TLS (default 10 s).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().connect_timeout(std::time::Duration::from_secs(3));
    /// # let _ = b;
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole call, from connecting to the last byte of the answer
    /// (default 30 s). Time spent waiting in the dispatcher's queue does not count.
    ///
    /// ```
    /// let b = authing::AuthClient::builder().timeout(std::time::Duration::from_secs(15));
    /// # let _ = b;
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Calls on the wire at once, which is the number of worker threads (default 8,
    /// at most 1024). Further calls wait in a FIFO queue.
    ///
    /// ```
    /// let b = authing::AuthClient::builder().max_concurrent_requests(4);
    /// # let _ = b;
    /// ```
    pub fn max_concurrent_requests(mut self, max: usize) -> Self {
        self.max_concurrent_requests = max;
        self
    }

    /// Calls that may wait in the queue (default 100,000). A call beyond it is answered
    /// at once with status code 10012 ([`AuthError::Rejected`]).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().max_queued_requests(1_000);
    /// # let _ = b;
    /// ```
    pub fn max_queued_requests(mut self, max: usize) -> Self {
        self.max_queued_requests = max;
        self
    }

    /// How long an idle worker thread waits for work before it exits (default 10 s).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().idle_timeout(std::time::Duration::from_secs(1));
    /// # let _ = b;
    /// ```
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = idle;
        self
    }

    /// The largest response body read, in bytes (default 1 MiB). A larger 2xx answer is
    /// refused without being read into memory ([`AuthError::BodyTooLarge`], status code
    /// 10001); the body of a non-2xx answer is cut to this size (its HTTP status is kept).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().max_response_bytes(64 * 1024);
    /// # let _ = b;
    /// ```
    pub fn max_response_bytes(mut self, max: u64) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Where callbacks run. By default they run on a dispatcher worker thread; with an
    /// executor, each delivery is handed to it as a task to run on the thread it chooses
    /// (a GUI thread: glib's `MainContext::invoke`, Slint's `invoke_from_event_loop`, a
    /// winit event-loop proxy, a channel drained by your loop).
    ///
    /// The executor must run each task once. A task it drops unrun still finishes the
    /// call's handle (its `join` reports the lost delivery), but that callback never runs.
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::sync::Mutex;
    ///
    /// // A GUI loop that drains `ui_tasks` each frame runs the callbacks on its thread.
    /// let (to_ui, ui_tasks) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
    /// let to_ui = Mutex::new(to_ui);
    /// let client = authing::AuthClient::builder()
    ///     .callback_executor(move |task| {
    ///         let _ = to_ui.lock().unwrap().send(task);
    ///     })
    ///     .build()?;
    /// # let _ = (client, ui_tasks);
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn callback_executor<E>(mut self, executor: E) -> Self
    where
        E: Fn(Box<dyn FnOnce() + Send>) + Send + Sync + 'static,
    {
        self.executor = Some(Arc::new(executor));
        self
    }

    /// Checks every setting and makes the client. It has its own connection pool and
    /// dispatcher, shared by its clones.
    ///
    /// ```
    /// let error = authing::AuthClient::builder().app_host("https://").build().unwrap_err();
    /// assert_eq!(error.to_string(), "invalid setting app_host: has no host");
    /// ```
    pub fn build(self) -> Result<AuthClient, ConfigError> {
        let config = self.into_config()?;
        Ok(AuthClient::from_config(Ok(config)))
    }

    pub(crate) fn into_config(self) -> Result<ClientConfig, ConfigError> {
        if let Some(app_id) = &self.app_id {
            config::header_value("app_id", app_id)?;
            if app_id.len() > 128
                || !app_id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                || !app_id.bytes().any(|b| b.is_ascii_alphanumeric())
            {
                return Err(ConfigError::new(
                    "app_id",
                    "must be 1 to 128 ascii letters, digits, '-', '_' or '.', with a letter or digit",
                ));
            }
        }
        if let Some(pool) = &self.user_pool_id {
            config::header_value("user_pool_id", pool)?;
        }
        if let Some(token) = &self.access_token {
            config::header_value("access_token", token)?;
        }
        // A discovery host given as a URL sets the default scheme; `scheme` overrides it.
        let url_scheme = self
            .host
            .as_deref()
            .and_then(|h| h.split_once("://"))
            .map(|(scheme, _)| scheme);
        let scheme = match self.scheme.as_deref().or(url_scheme) {
            None | Some("https") => "https",
            Some("http") => "http",
            Some(_) => return Err(ConfigError::new("scheme", "must be http or https")),
        };
        let endpoint = match (&self.app_host, &self.app_id) {
            (Some(app_host), app_id) => {
                let base_url = config::base_url("app_host", app_host)?;
                // Every call sends x-authing-app-id; the server refuses calls without it.
                if app_id.is_none() {
                    return Err(ConfigError::new(
                        "app_id",
                        "is missing; every call sends it as x-authing-app-id",
                    ));
                }
                Endpoint::Fixed(base_url)
            }
            (None, Some(_)) => {
                let (console, domain) = match &self.host {
                    None => (
                        format!("{scheme}://console.{}", config::DEFAULT_HOST),
                        config::DEFAULT_HOST.to_string(),
                    ),
                    Some(host) if host.contains("://") => {
                        let url = config::base_url("host", host)?;
                        let domain = url
                            .split_once("://")
                            .map(|(_, rest)| rest.to_string())
                            .unwrap_or_default();
                        (url, domain)
                    }
                    Some(host) => {
                        let url = config::base_url("host", &format!("{scheme}://{host}"))?;
                        (url, host.trim_end_matches('/').to_string())
                    }
                };
                Endpoint::Discover {
                    console,
                    domain,
                    scheme: scheme.to_string(),
                }
            }
            (None, None) => Endpoint::Missing,
        };
        for (setting, value) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
            ("idle_timeout", self.idle_timeout),
        ] {
            if value.is_zero() {
                return Err(ConfigError::new(setting, "must be longer than zero"));
            }
        }
        if !(1..=1024).contains(&self.max_concurrent_requests) {
            return Err(ConfigError::new(
                "max_concurrent_requests",
                "must be from 1 to 1024",
            ));
        }
        if self.max_queued_requests == 0 {
            return Err(ConfigError::new(
                "max_queued_requests",
                "must be at least 1",
            ));
        }
        if self.max_response_bytes == 0 {
            return Err(ConfigError::new("max_response_bytes", "must be at least 1"));
        }
        Ok(ClientConfig {
            app_id: self.app_id,
            endpoint,
            lang: self.lang,
            user_pool_id: self.user_pool_id,
            access_token: self.access_token,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            max_concurrent_requests: self.max_concurrent_requests,
            max_queued_requests: self.max_queued_requests,
            idle_timeout: self.idle_timeout,
            max_response_bytes: self.max_response_bytes,
            executor: self.executor,
        })
    }
}

impl fmt::Debug for AuthClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthClientBuilder")
            .field("app_id", &self.app_id)
            .field("app_host", &self.app_host)
            .field("host", &self.host)
            .field("lang", &self.lang)
            .field("user_pool_id", &self.user_pool_id)
            .field("access_token", &SecretField(&self.access_token))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .finish_non_exhaustive()
    }
}
