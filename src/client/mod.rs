//! [`AuthClient`]: the shared inner state and the dispatch/post/get plumbing every call
//! goes through. No endpoint lives here: each family of calls is a module under `api/`.

pub(crate) mod builder;
pub(crate) mod config;
pub(crate) mod discovery;
pub(crate) mod password;
pub(crate) mod registry;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use crate::client::builder::AuthClientBuilder;
use crate::client::config::{ClientConfig, ConfigError, Endpoint};
use crate::client::discovery::{Discovery, Source, Target};
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
use crate::session::{MemoryTokenStore, Refusal, Renew, SessionState};
use crate::transport::urlencoded;
use crate::transport::{self, Headers, Shape, Transport};

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
    /// The signed-in session (see `session/`).
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
/// one pool and one dispatcher. At most 16 idle ones are kept; one still in use is never
/// evicted (see `registry.rs`).
static SHARED: Registry = Registry::new(SHARED_CAPACITY);
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
                fallback = AuthClientBuilder::default()
                    .into_config()
                    .expect("the default settings are valid");
                &fallback
            }
        };
        let transport = Transport::new(settings);
        let public_keys = PublicKeys::new(settings.public_keys.clone());
        let dispatcher = Dispatcher::new(DispatcherConfig {
            max_workers: settings.max_concurrent_requests,
            max_queue: settings.max_queued_requests,
            idle_timeout: settings.idle_timeout,
            executor: settings.executor.clone(),
            reporter: settings.reporter.clone().unwrap_or_else(report::stderr),
            wake: Wake::new(settings.on_delivery.clone()),
            spawner: spawner::os(),
        });
        AuthClient {
            inner: Arc::new(Inner {
                config,
                transport,
                dispatcher,
                discovery: Discovery::default(),
                public_keys,
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

    /// The delivery hook of this client's dispatcher (`set_on_delivery`, QR-code updates).
    pub(crate) fn wake(&self) -> &Arc<Wake> {
        self.inner.dispatcher.wake()
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
                social: Vec::new(),
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
                        fixed_base: None,
                    },
                )
            }
            Endpoint::Missing => Err(missing_endpoint()),
        }
    }

    /// The app's public config as discovery keeps it (fetched once, shared by every call):
    /// the discovered target, or, with a fixed `app_host`, the public config fetched from
    /// that host (`GET {app_host}/api/v2/applications/{app_id}/public-config`) for what it
    /// says besides the host (the social connections of `api/social.rs`).
    pub(crate) fn public_config(&self, config: &ClientConfig) -> Result<Arc<Target>, AuthError> {
        let Endpoint::Fixed(base_url) = &config.endpoint else {
            return self.target(config);
        };
        let app_id = config.app_id.as_deref().unwrap_or_default();
        self.inner.discovery.resolve(
            &self.inner.transport,
            &Source {
                console: base_url,
                domain: "",
                scheme: "https",
                app_id,
                lang: config.lang,
                fixed_base: Some(base_url),
            },
        )
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
            let form = Some((transport::FORM, body));
            self.wire(config, path, &[], form, Shape::OAuth, Auth::Nothing)
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

    /// `POST path?query` with the body `body` builds (its content type and bytes, after the
    /// configuration check), read as `shape`, with the `Authorization` of `auth`: the calls
    /// that act for the signed-in user (or with an MFA token), and the multipart upload.
    pub(crate) fn post_with(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: impl FnOnce() -> Result<(Cow<'static, str>, Vec<u8>), AuthError>,
        shape: Shape,
        auth: Auth<'_>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let (content_type, bytes) = body()?;
            let sent = Some((content_type.as_ref(), bytes));
            self.wire(config, path, query, sent, shape, auth)
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// `POST path` with the JSON body `body` builds, read as `shape`, with `auth`.
    pub(crate) fn post_json(
        &self,
        path: &str,
        body: impl FnOnce() -> Result<Vec<u8>, AuthError>,
        shape: Shape,
        auth: Auth<'_>,
    ) -> AuthResponse {
        self.post_with(
            path,
            &[],
            || Ok((crate::transport::headers::JSON.into(), body()?)),
            shape,
            auth,
        )
    }

    /// The answer refusing a sign-in whose token store cannot be read (10016), if any: a
    /// sign-in that could not save its session must not start (QR, social sign-in).
    pub(crate) fn store_refusal(&self) -> Option<AuthResponse> {
        if self.settings().is_err() {
            return None;
        }
        self.session().current().err().map(|r| r.into_response())
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

    /// Runs `call` with the access token of a call that needs a user
    /// ([`user_token`](Self::user_token)). When the server rejects that token (statusCode
    /// 401 with apiCode 2020 or none: it expired on the server's clock before it did on
    /// ours, or it was revoked) and the token is the session's, which holds a refresh
    /// token, the session is renewed once and `call` runs once more with the new token.
    /// Calls that meet the same rejected token share one refresh (single flight). The
    /// renewal's failure is the answer, as for a token that expired here: 10015 when the
    /// server refuses the refresh token (the session ends), the refresh's own answer when
    /// it fails otherwise. Without a session or a refresh token, the server's 401 is the
    /// answer.
    pub(crate) fn as_user(&self, call: impl Fn(&str) -> AuthResponse) -> AuthResponse {
        let started = Instant::now();
        let token = match self.user_token() {
            Ok(token) => token,
            Err(refused) => return refused.into_response(),
        };
        let first = call(&token);
        let rejected = first.status_code() == 401 && matches!(first.api_code(), 0 | 2020);
        let renewable = self
            .inner
            .session
            .peek()
            .is_some_and(|s| s.tokens().refresh_token().is_some());
        if !rejected || !renewable {
            return first;
        }
        let renewed = self.inner.session.renew(
            Renew::IfRejected {
                started,
                rejected: &token,
            },
            |refresh_token| self.refresh_tokens(refresh_token),
        );
        match renewed {
            Ok(session) => call(session.tokens().access_token()),
            Err(refused) => refused.into_response(),
        }
    }

    /// The API's base URL (discovered first if need be), for URLs the browser opens and
    /// for checking the OIDC issuer.
    pub(crate) fn base_url(&self) -> Result<String, AuthError> {
        let config = self.settings()?;
        Ok(self.target(config)?.base_url.clone())
    }

    /// The client's session.
    pub(crate) fn session(&self) -> &SessionState {
        &self.inner.session
    }

    /// Sends one request to `path` on the app's API: a POST of `body` (content type and
    /// bytes) or, without one, a GET; the query percent-encoded.
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
        let transport = &self.inner.transport;
        Ok(match body {
            Some((content_type, bytes)) => {
                transport.post_as(&url, &headers, content_type, bytes, shape)
            }
            None => transport.get(&url, &headers, shape),
        })
    }

    /// The client's public keys for password encryption (see `client/password.rs`).
    pub(crate) fn public_keys(&self) -> &PublicKeys {
        &self.inner.public_keys
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
