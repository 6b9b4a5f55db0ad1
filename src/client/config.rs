//! Configuration: the process-wide [`Authing`] settings (as Android's `Authing` class),
//! the environment, [`Lang`], and the validated settings a client runs with.

use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::dispatch::dispatcher::Executor;
use crate::dispatch::report::Reporter;
use crate::redact::SecretField;
use crate::transport::proxy::ProxySettings;
use crate::transport::tls::Roots;

/// Default time allowed to open a connection (TCP and TLS): 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole call, connection to last byte: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of calls on the wire at once per client (worker threads): 8.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 8;
/// Default number of calls that may wait in the queue: 100,000.
pub const DEFAULT_MAX_QUEUED_REQUESTS: usize = 100_000;
/// Default time an idle worker thread waits for work before it exits: 10 seconds.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest `connect_timeout`, `timeout` and `idle_timeout` (and `AUTHING_TIMEOUT_MS`):
/// a year. A longer one is taken as a year: the HTTP client adds the timeout to the current
/// instant, which panics on overflow (`Duration::MAX`, or `AUTHING_TIMEOUT_MS` of `u64::MAX`).
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 86_400);
/// Default largest response body read: 1 MiB. A larger one is refused unread.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 1024 * 1024;
/// The Authing cloud's domain, the default of [`Authing::set_host`].
pub const DEFAULT_HOST: &str = "authing.cn";

/// The language of a client's messages: the server's (sent as `x-authing-lang`) and the
/// SDK's own (the [`message`](crate::AuthResponse::message) of a local failure), so that
/// both read in one language. The typed error's `Display` stays English.
///
/// Set it with [`Authing::set_lang`] or `AUTHING_LANG` for [`AuthClient::new`](crate::AuthClient::new),
/// or the builder's [`lang`](crate::AuthClientBuilder::lang). The default is [`Lang::ZhCn`],
/// the server's own default. The Android SDK follows the device's locale instead (`zh-CN`
/// for a Chinese one, `en-US` otherwise); this crate does not read the process's locale
/// (`LANG`, `LC_ALL`), which on desktops, servers and CI machines is often not the user's;
/// `docs/CONFIGURATION.md`, "Language", shows how to follow it in one line.
///
/// Parsed from the tags `zh-CN`, `en-US`, `ja-JP`, `zh-TW` (case-insensitive, `_` accepted
/// for `-`).
///
/// ```
/// use authing::Lang;
/// assert_eq!("en-US".parse::<Lang>(), Ok(Lang::EnUs));
/// assert_eq!(Lang::default().as_str(), "zh-CN");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// Simplified Chinese, `zh-CN` (the server's default).
    #[default]
    ZhCn,
    /// English, `en-US`.
    EnUs,
    /// Japanese, `ja-JP`.
    JaJp,
    /// Traditional Chinese, `zh-TW`.
    ZhTw,
}

impl Lang {
    /// The tag sent in `x-authing-lang`.
    ///
    /// ```
    /// assert_eq!(authing::Lang::JaJp.as_str(), "ja-JP");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::EnUs => "en-US",
            Lang::JaJp => "ja-JP",
            Lang::ZhTw => "zh-TW",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Lang, ConfigError> {
        let tag = s.replace('_', "-").to_ascii_lowercase();
        Ok(match tag.as_str() {
            "zh-cn" => Lang::ZhCn,
            "en-us" => Lang::EnUs,
            "ja-jp" => Lang::JaJp,
            "zh-tw" => Lang::ZhTw,
            _ => {
                return Err(ConfigError::new(
                    "lang",
                    "must be one of zh-CN, en-US, ja-JP, zh-TW",
                ))
            }
        })
    }
}

/// A client setting was refused: which one, and why (the value is not repeated: it may be
/// a token).
///
/// ```
/// let error = authing::AuthClient::builder().app_host("ftp://example.com").build().unwrap_err();
/// assert_eq!(error.setting(), "app_host");
/// assert_eq!(error.to_string(), "invalid setting app_host: the scheme must be http or https");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid setting {setting}: {problem}")]
pub struct ConfigError {
    setting: &'static str,
    problem: String,
}

impl ConfigError {
    pub(crate) fn new(setting: &'static str, problem: impl Into<String>) -> ConfigError {
        ConfigError {
            setting,
            problem: problem.into(),
        }
    }

    /// The setting at fault, by its builder method's name (or environment variable).
    ///
    /// ```
    /// let error = authing::AuthClient::builder().app_id("has space").build().unwrap_err();
    /// assert_eq!(error.setting(), "app_id");
    /// ```
    pub fn setting(&self) -> &'static str {
        self.setting
    }
}

/// Process-wide settings, as the Android SDK's `Authing` class: `Authing.init(context,
/// appId)` is `Authing::init(app_id)`, `Authing.setHost(h)` is `Authing::set_host(h)`.
///
/// [`AuthClient::new`](crate::AuthClient::new) reads these first, then the environment for
/// whatever they leave unset:
///
/// | setting | `Authing::` | environment |
/// |---|---|---|
/// | app id | [`init`](Authing::init) | `AUTHING_APP_ID` |
/// | API base URL | [`set_app_host`](Authing::set_app_host) | `AUTHING_APP_HOST` |
/// | language | [`set_lang`](Authing::set_lang) | `AUTHING_LANG` |
/// | whole-call time-out | | `AUTHING_TIMEOUT_MS` |
/// | proxy | | `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (see [`AuthClientBuilder::proxy`](crate::AuthClientBuilder::proxy)) |
///
/// With an app id and no base URL, the API host is discovered from the app's public
/// config (see the crate docs, "App discovery"); [`set_host`](Authing::set_host) and
/// [`set_scheme`](Authing::set_scheme) say where that config is fetched from.
///
/// ```
/// use authing::Authing;
/// Authing::init("60caaf41df670b771fd08937");
/// Authing::set_app_host("https://myapp.authing.cn");
/// assert_eq!(Authing::app_id().as_deref(), Some("60caaf41df670b771fd08937"));
/// # Authing::reset();
/// ```
#[derive(Debug)]
pub struct Authing {
    _private: (),
}

#[derive(Debug, Clone, Default)]
struct GlobalSettings {
    app_id: Option<String>,
    app_host: Option<String>,
    host: Option<String>,
    scheme: Option<String>,
    lang: Option<Lang>,
}

static GLOBAL: Mutex<GlobalSettings> = Mutex::new(GlobalSettings {
    app_id: None,
    app_host: None,
    host: None,
    scheme: None,
    lang: None,
});

fn global() -> std::sync::MutexGuard<'static, GlobalSettings> {
    GLOBAL.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Authing {
    /// Sets the app id every [`AuthClient::new`](crate::AuthClient::new) uses (Java:
    /// `Authing.init(context, appId)`).
    ///
    /// ```
    /// authing::Authing::init("my-app-id");
    /// # authing::Authing::reset();
    /// ```
    pub fn init(app_id: impl Into<String>) {
        global().app_id = Some(app_id.into());
    }

    /// Sets the Authing deployment's domain for app discovery, for on-premises
    /// installations (Java: `Authing.setHost`); default `authing.cn`.
    ///
    /// ```
    /// authing::Authing::set_host("mycompany.com");
    /// # authing::Authing::reset();
    /// ```
    pub fn set_host(host: impl Into<String>) {
        global().host = Some(host.into());
    }

    /// Sets the scheme used with [`set_host`](Authing::set_host) and discovered hosts
    /// (Java: `Authing.setScheme`); default `https`. A public config fetched over https
    /// always gives an https API host.
    ///
    /// ```
    /// authing::Authing::set_scheme("https");
    /// # authing::Authing::reset();
    /// ```
    pub fn set_scheme(scheme: impl Into<String>) {
        global().scheme = Some(scheme.into());
    }

    /// Sets the API base URL directly, such as `https://myapp.authing.cn`, skipping
    /// discovery (Rust only; the same as `AUTHING_APP_HOST`).
    ///
    /// ```
    /// authing::Authing::set_app_host("http://127.0.0.1:8787");
    /// # authing::Authing::reset();
    /// ```
    pub fn set_app_host(base_url: impl Into<String>) {
        global().app_host = Some(base_url.into());
    }

    /// Sets the language of the server's messages and of the SDK's own (Rust only; the same
    /// as `AUTHING_LANG`, which it overrides). See [`Lang`].
    ///
    /// ```
    /// authing::Authing::set_lang(authing::Lang::EnUs);
    /// # authing::Authing::reset();
    /// ```
    pub fn set_lang(lang: Lang) {
        global().lang = Some(lang);
    }

    /// The app id set with [`init`](Authing::init).
    ///
    /// ```
    /// let app_id: Option<String> = authing::Authing::app_id();
    /// # let _ = app_id;
    /// ```
    pub fn app_id() -> Option<String> {
        global().app_id.clone()
    }

    /// Forgets every process-wide setting (for tests and for switching apps).
    ///
    /// ```
    /// authing::Authing::init("a");
    /// authing::Authing::reset();
    /// assert_eq!(authing::Authing::app_id(), None);
    /// ```
    pub fn reset() {
        *global() = GlobalSettings::default();
    }
}

/// Where a client's API lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Endpoint {
    /// A known base URL, such as `https://myapp.authing.cn`.
    Fixed(String),
    /// Learn the host from the app's public config, fetched from `console`; without a
    /// `requestHostname` the API host is `{identifier}.{domain}`.
    Discover {
        console: String,
        domain: String,
        scheme: String,
    },
    /// Nothing to reach: every call answers 10002.
    Missing,
}

/// The validated settings a client runs with.
#[derive(Clone)]
pub(crate) struct ClientConfig {
    pub(crate) app_id: Option<String>,
    pub(crate) endpoint: Endpoint,
    pub(crate) lang: Lang,
    pub(crate) user_pool_id: Option<String>,
    pub(crate) access_token: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_concurrent_requests: usize,
    pub(crate) max_queued_requests: usize,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) executor: Option<Executor>,
    pub(crate) reporter: Option<Reporter>,
    /// Called after each delivery (`AuthClientBuilder::on_delivery`).
    pub(crate) on_delivery: Option<crate::dispatch::wake::Hook>,
    /// Sent on every call after the SDK's own headers; names in lower case.
    pub(crate) extra_headers: Vec<(String, String)>,
    pub(crate) roots: Roots,
    /// Preset public keys: used instead of `GET /api/v3/system`.
    pub(crate) public_keys: PresetKeys,
    /// The proxy calls go through (`None`: direct), from the builder or the environment.
    pub(crate) proxy: Option<ProxySettings>,
    /// Where `sub_event` connects (`events/settings.rs`).
    pub(crate) events: crate::events::settings::EventSettings,
    /// The origin of the passkey flows' clientDataJSON (`None`: `https://<rp id>`).
    pub(crate) passkey_origin: Option<String>,
    /// Refresh the session ahead of expiry (`AuthClientBuilder::refresh_ahead`).
    pub(crate) refresh_ahead: bool,
    /// The disk cache of the public config and keys (`config_cache.rs`); `None`: none.
    pub(crate) config_cache: Option<crate::client::config_cache::CacheSettings>,
}

/// Public keys given to the builder (`rsa_public_key`, `sm2_public_key`), checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct PresetKeys {
    pub(crate) rsa: Option<String>,
    pub(crate) sm2: Option<String>,
}

/// The part of a configuration that decides whether two `AuthClient::new()` clients may
/// share a connection pool and a dispatcher.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct ConfigKey {
    app_id: Option<String>,
    endpoint: Endpoint,
    lang: Lang,
    user_pool_id: Option<String>,
    access_token: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    max_concurrent_requests: usize,
    max_response_bytes: u64,
    extra_headers: Vec<(String, String)>,
    roots: Roots,
    public_keys: PresetKeys,
    /// A different proxy (or credentials, or bypass list) is a different agent and pool.
    proxy: Option<ProxySettings>,
    config_cache: Option<crate::client::config_cache::CacheSettings>,
}

impl ClientConfig {
    pub(crate) fn key(&self) -> ConfigKey {
        ConfigKey {
            app_id: self.app_id.clone(),
            endpoint: self.endpoint.clone(),
            lang: self.lang,
            user_pool_id: self.user_pool_id.clone(),
            access_token: self.access_token.clone(),
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            max_concurrent_requests: self.max_concurrent_requests,
            max_response_bytes: self.max_response_bytes,
            extra_headers: self.extra_headers.clone(),
            roots: self.roots.clone(),
            public_keys: self.public_keys.clone(),
            proxy: self.proxy.clone(),
            config_cache: self.config_cache.clone(),
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("app_id", &self.app_id)
            .field("endpoint", &self.endpoint)
            .field("lang", &self.lang)
            .field("user_pool_id", &self.user_pool_id)
            .field("access_token", &SecretField(&self.access_token))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("max_queued_requests", &self.max_queued_requests)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("executor", &self.executor.as_ref().map(|_| "<fn>"))
            .field("on_delivery", &self.on_delivery.as_ref().map(|_| "<fn>"))
            .field("reporter", &self.reporter.as_ref().map(|_| "<fn>"))
            .field("extra_headers", &HeaderNames(&self.extra_headers))
            .field("roots", &self.roots)
            .field("public_keys", &self.public_keys)
            .field("proxy", &self.proxy)
            .field("events", &self.events)
            .field("refresh_ahead", &self.refresh_ahead)
            .field("config_cache", &self.config_cache)
            .finish()
    }
}

/// `Debug` of extra headers: their names, each value redacted (it may be a key).
pub(crate) struct HeaderNames<'a>(pub(crate) &'a [(String, String)]);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        static SET: Option<String> = Some(String::new());
        f.debug_map()
            .entries(self.0.iter().map(|(name, _)| (name, SecretField(&SET))))
            .finish()
    }
}

/// Checks a value that goes into an HTTP header: not empty, visible ASCII, at most 4 KiB.
pub(crate) fn header_value(setting: &'static str, value: &str) -> Result<(), ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::new(setting, "is empty"));
    }
    if value.len() > 4096 {
        return Err(ConfigError::new(setting, "is longer than 4096 bytes"));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::new(
            setting,
            "must be visible ascii without spaces (it is sent as an http header)",
        ));
    }
    Ok(())
}

/// Normalizes an API base URL: `http(s)://host[:port][/path]`, no trailing slash. A bare
/// host means https.
pub(crate) fn base_url(setting: &'static str, value: &str) -> Result<String, ConfigError> {
    let err = |problem: &str| ConfigError::new(setting, problem);
    if value.is_empty() {
        return Err(err("is empty"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err("contains whitespace"));
    }
    let (scheme, rest) = if let Some(rest) = value.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = value.strip_prefix("http://") {
        ("http", rest)
    } else if value.contains("://") {
        return Err(err("the scheme must be http or https"));
    } else {
        ("https", value)
    };
    if rest.contains('?') || rest.contains('#') {
        return Err(err("must not have a query or fragment"));
    }
    let rest = rest.trim_end_matches('/');
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err(err("has no host"));
    }
    if authority.contains('@') {
        return Err(err("must not contain user information"));
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6
            .split_once(']')
            .ok_or_else(|| err("has a malformed ipv6 host"))?;
        if !after.is_empty() {
            check_port(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| err("has a malformed port"))?,
            )
            .map_err(err)?;
        }
        inside
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => {
                check_port(port).map_err(err)?;
                host
            }
            None => authority,
        }
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_'));
    if !host_ok {
        return Err(err("has a malformed host name"));
    }
    Ok(format!("{scheme}://{authority}{path}"))
}

fn check_port(port: &str) -> Result<(), &'static str> {
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => Err("has a malformed port"),
    }
}

/// The language `AuthClient::new()` takes: [`Authing::set_lang`]'s, else `AUTHING_LANG`
/// when it is a known tag, else the default. For the messages of a client whose
/// configuration was refused (perhaps for a malformed `AUTHING_LANG`).
pub(crate) fn process_lang() -> Lang {
    global().lang.unwrap_or_else(|| {
        std::env::var("AUTHING_LANG")
            .ok()
            .and_then(|tag| tag.parse().ok())
            .unwrap_or_default()
    })
}

/// The configuration of `AuthClient::new()`: the `Authing::` settings, then the environment.
pub(crate) fn from_process() -> Result<ClientConfig, ConfigError> {
    let settings = global().clone();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let app_id = settings.app_id.or_else(|| env("AUTHING_APP_ID"));
    let app_id_missing = app_id.is_none();
    let app_host = settings.app_host.or_else(|| env("AUTHING_APP_HOST"));
    let lang = match settings.lang {
        Some(lang) => lang,
        None => match env("AUTHING_LANG") {
            Some(tag) => tag.parse().map_err(|_| {
                ConfigError::new("AUTHING_LANG", "must be one of zh-CN, en-US, ja-JP, zh-TW")
            })?,
            None => Lang::default(),
        },
    };
    let timeout = match env("AUTHING_TIMEOUT_MS") {
        Some(ms) => match ms.parse::<u64>() {
            Ok(ms) if ms > 0 => Duration::from_millis(ms),
            _ => {
                return Err(ConfigError::new(
                    "AUTHING_TIMEOUT_MS",
                    "must be a positive whole number of milliseconds",
                ))
            }
        },
        None => DEFAULT_TIMEOUT,
    };
    let mut builder = crate::client::builder::AuthClientBuilder::default()
        .lang(lang)
        .timeout(timeout);
    if let Some(app_id) = app_id {
        builder = builder.app_id(app_id);
    }
    if let Some(app_host) = app_host {
        builder = builder.app_host(app_host);
    }
    if let Some(host) = settings.host {
        builder = builder.host(host);
    }
    if let Some(scheme) = settings.scheme {
        builder = builder.scheme(scheme);
    }
    builder.into_config().map_err(|e| match e.setting {
        "app_id" if app_id_missing => ConfigError::new(
            "AUTHING_APP_ID",
            "is missing; set it (or call Authing::init) along with the app host",
        ),
        _ => e,
    })
}
