//! [`AuthClientBuilder`]: a client with settings of its own, every setting checked.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::client::config::{
    self, ClientConfig, ConfigError, Endpoint, HeaderNames, Lang, PresetKeys,
};
use crate::client::config_cache::{self, CacheSettings};
use crate::client::device;
use crate::client::password;
use crate::client::AuthClient;
use crate::dispatch::dispatcher::Executor;
use crate::dispatch::report::Reporter;
use crate::dispatch::wake::Hook;
use crate::model::PasswordEncryptType;
use crate::redact::SecretField;
use crate::session::{MemoryTokenStore, SessionState, TokenStore};
use crate::transport::headers;
use crate::transport::proxy;
use crate::transport::tls::{self, Roots};

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
    token_store: Option<Arc<dyn TokenStore>>,
    reporter: Option<Reporter>,
    on_delivery: Option<Hook>,
    /// As given; checked by `build`.
    headers: Vec<(String, String)>,
    root_certificates: Vec<RootSource>,
    platform_verifier: bool,
    rsa_public_key: Option<String>,
    sm2_public_key: Option<String>,
    /// As given; checked by `build`.
    proxy: Option<String>,
    /// `None`: not set (the environment's `NO_PROXY` applies to its proxy).
    no_proxy: Option<Vec<String>>,
    /// As given; checked by `build` (`None`: derived, `client/device.rs`).
    device_id: Option<String>,
    /// As given; checked by `build` (`None`: no name is sent).
    device_name: Option<String>,
    /// The event stream's host and endpoint (`events/settings.rs`), checked by `build`.
    pub(crate) events: crate::events::settings::EventSettings,
    /// As given; checked by `build` (`None`: `https://<rp id>`, `api/passkeys.rs`).
    passkey_origin: Option<String>,
    /// Refresh the session ahead of expiry (`session/ahead.rs`); default on.
    refresh_ahead: bool,
    /// The disk cache's file (`None`: no cache), `config_cache.rs`.
    public_config_cache: Option<PathBuf>,
    public_config_cache_max_age: Duration,
    /// Whether `build` starts a warm-up on a worker (`warm_up.rs`).
    warm_up: bool,
}

/// Where root certificates come from; read and checked by `build`.
#[derive(Clone)]
enum RootSource {
    Pem(Vec<u8>),
    File(PathBuf),
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
            token_store: None,
            reporter: None,
            on_delivery: None,
            headers: Vec::new(),
            root_certificates: Vec::new(),
            platform_verifier: false,
            rsa_public_key: None,
            sm2_public_key: None,
            proxy: None,
            no_proxy: None,
            device_id: None,
            device_name: None,
            events: Default::default(),
            passkey_origin: None,
            refresh_ahead: true,
            public_config_cache: None,
            public_config_cache_max_age: config_cache::DEFAULT_PUBLIC_CONFIG_CACHE_MAX_AGE,
            warm_up: false,
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
    /// A public config fetched over `https` always gives an `https` API host, even if this
    /// says `http` or its `requestHostname` names `http://`: nothing downgrades https.
    ///
    /// ```
    /// let b = authing::AuthClient::builder().scheme("https");
    /// # let _ = b;
    /// ```
    pub fn scheme(mut self, scheme: impl Into<String>) -> Self {
        self.scheme = Some(scheme.into());
        self
    }

    /// The language of the server's messages and of the SDK's own (default `zh-CN`); see
    /// [`Lang`].
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
    /// This and the other timeouts are capped at a year: a longer one (`Duration::MAX` for
    /// "none") is taken as a year, since the HTTP client adds it to the current instant,
    /// which would overflow.
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
    /// at once with status code 10012 ([`AuthError::Rejected`](crate::AuthError::Rejected)).
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
    /// refused without being read into memory ([`AuthError::BodyTooLarge`](crate::AuthError::BodyTooLarge), status code
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
    /// (a GUI thread: glib's `idle_add_once`, Slint's `invoke_from_event_loop`, a
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

    /// A hook called after each delivery (the "wake hook"): after a callback has run, or,
    /// with a [callback executor](Self::callback_executor), once its task has been handed
    /// to the executor; and after each QR-code status update, the same way. Default: none.
    ///
    /// For a UI that sleeps until something wakes it: an egui app calls
    /// `ctx.request_repaint()` here instead of in every callback, so a frame runs and shows
    /// the answer (or drains the tasks your executor queued). It runs on the delivering
    /// thread (a worker, the courier, or, in the cases where the contract says so, the
    /// thread that made the call or called `cancel()`), never under an SDK lock, once per
    /// delivery, including cancellations, rejections and callbacks that panicked. A hook
    /// that panics is reported (`the delivery hook panicked: …`) and ignored. Keep it
    /// short: it holds the thread that delivers.
    ///
    /// Without an executor it runs after the call's handle has finished, so a UI woken by it
    /// that checks `is_finished()` sees `true`; `join()` may therefore return before the
    /// hook has run.
    ///
    /// The toolkit's handle often exists only once its loop runs: set the hook then with
    /// [`AuthClient::set_on_delivery`](crate::AuthClient::set_on_delivery).
    ///
    /// ```
    /// use std::sync::{mpsc, Mutex};
    /// use std::time::Duration;
    ///
    /// let (tx, wakes) = mpsc::channel();
    /// let tx = Mutex::new(tx);
    /// let client = authing::AuthClient::builder() // unconfigured: every call answers 10002
    ///     .on_delivery(move || {
    ///         let _ = tx.lock().unwrap().send(()); // egui: ctx.request_repaint()
    ///     })
    ///     .build()?;
    /// let _detached =
    ///     client.send_sms("+86", "18812345678", authing::SmsType::CHANNEL_RESET_PASSWORD, |_| {});
    /// wakes.recv_timeout(Duration::from_secs(10)).unwrap(); // after the callback ran
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn on_delivery<H>(mut self, hook: H) -> Self
    where
        H: Fn() + Send + Sync + 'static,
    {
        self.on_delivery = Some(Arc::new(hook));
        self
    }

    /// Where the client reports a problem in your code that it caught and went on from: a
    /// callback that panicked (`a callback panicked: <its message>`), a callback executor
    /// that panicked or dropped a delivery. Each report is one line of text, without the
    /// `authing: ` prefix. By default it is written to stderr as `authing: <line>`; send it
    /// to your logger instead, or to a channel in a test that expects a panic (so a passing
    /// run prints nothing).
    ///
    /// The reporter runs where the problem was caught (a worker, the courier, or the thread
    /// your executor runs tasks on), with no SDK lock held, before the call's handle
    /// finishes. A reporter that panics is ignored. The panic itself still goes through
    /// Rust's panic hook as usual. Under `panic = "abort"` a panicking callback ends the
    /// process before anything is reported.
    ///
    /// ```
    /// let (tx, reports) = std::sync::mpsc::channel::<String>();
    /// let client = authing::AuthClient::builder()
    ///     .reporter(move |line: &str| {
    ///         let _ = tx.send(line.to_string());
    ///     })
    ///     .build()?;
    /// # let _ = (client, reports);
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn reporter<R>(mut self, reporter: R) -> Self
    where
        R: Fn(&str) + Send + Sync + 'static,
    {
        self.reporter = Some(Arc::new(reporter));
        self
    }

    /// The id of the device this client runs on, sent on every call as
    /// `x-authing-device-id` (the header Authing's Guard sends), so that a sign-in is
    /// recorded against this device ([`AuthClient::list`](crate::AuthClient::list)).
    ///
    /// Default: derived, never stored. A hash of the app id, the OS, the machine's install
    /// id where the OS keeps one (`/etc/machine-id`), the host name and the OS user, as 16
    /// hex digits (without a machine id, macOS and Windows, a dictionary of host and user
    /// names could guess the inputs back: pass an id of your own if that matters): the same for every client of this app run by this OS user
    /// on this machine, and computed again at each start, so the SDK writes no file for
    /// it. Set one to tell apart two installs on one machine, or to keep the id your app
    /// already stores. 1 to 128 ASCII letters, digits, `-`, `_`, `.` or `:` (checked by
    /// [`build`](Self::build), setting `"device_id"`).
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .device_id("laptop-7f3a")
    ///     .build()?;
    /// assert_eq!(client.device_id().as_deref(), Some("laptop-7f3a"));
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn device_id(mut self, device_id: impl Into<String>) -> Self {
        self.device_id = Some(device_id.into());
        self
    }

    /// The name of the device this client runs on, as its owner sees it in the list of
    /// devices, sent on every call as `x-authing-device-name`. Default: none, and the
    /// header is not sent: the host name would name the person's machine to the server
    /// without the app having chosen to (**our choice**). 1 to 128 bytes of visible ASCII
    /// and inner spaces (setting `"device_name"`). The OS is
    /// always sent as `x-authing-device-os` (`Linux`, `macOS`, `Windows`, …).
    ///
    /// ```
    /// let b = authing::AuthClient::builder().device_name("Mike's laptop");
    /// # let _ = b;
    /// ```
    pub fn device_name(mut self, device_name: impl Into<String>) -> Self {
        self.device_name = Some(device_name.into());
        self
    }

    /// The origin the passkey flows ([`register_passkey`](crate::AuthClient::register_passkey),
    /// [`sign_in_by_passkey`](crate::AuthClient::sign_in_by_passkey)) write into
    /// clientDataJSON, which the server checks against the origins it allows. Default:
    /// `https://<rp id>` with the RP id of the server's options (a desktop app has no web
    /// origin of its own; this is the one a browser on the RP's own site would send, and
    /// what Authing's and the emulator's default settings accept). An `https://` or
    /// `http://` origin (scheme, host, optional port; no path), or an app origin such as
    /// `android:apk-key-hash:...` a server was told to accept; at most 512 bytes of
    /// visible ASCII (setting `"passkey_origin"`).
    ///
    /// **Trust**: by default the origin follows the RP id the server names, and the SDK
    /// does not check that RP id against the app host: the origin binding rests on the
    /// server the app reaches (over TLS) alone. A server that named another site's RP id
    /// could have the user's authenticator sign for that site, with the origin that site
    /// expects. Point the client only at an app host you trust, and set this to pin the
    /// origin: the credentials are then bound to the origin you chose, whatever RP id the
    /// server names (see the [`passkey`](crate::passkey) module, "The origin").
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .passkey_origin("https://myapp.authing.cn")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn passkey_origin(mut self, origin: impl Into<String>) -> Self {
        self.passkey_origin = Some(origin.into());
        self
    }

    /// Keeps the app's public config (what app discovery learns) and the server's public
    /// password keys (`GET /api/v3/system`) in the file `path`, so that the next program
    /// start skips both requests while they are younger than
    /// [`public_config_cache_max_age`](Self::public_config_cache_max_age) (default one day,
    /// [`DEFAULT_PUBLIC_CONFIG_CACHE_MAX_AGE`](crate::DEFAULT_PUBLIC_CONFIG_CACHE_MAX_AGE)).
    /// Default: no cache (opt-in: the app chooses where its files go, e.g. its cache
    /// directory).
    ///
    /// The file records the app id, the host the config came from and when each part was
    /// fetched; a file of another app or host, or past its age, is ignored and replaced
    /// after the next fetch. It holds only public data (the few fields of the public config
    /// the SDK uses and the two public keys), never a token or a password. It is written
    /// owner-only and atomically; an unreadable or corrupt file is ignored (logged at debug),
    /// never an error for the call. When the server rejects a cached key, the key fetched
    /// again replaces it in the file. The format is documented in docs/PERFORMANCE.md,
    /// "The public config on disk". The file is read on the first call that needs it,
    /// never by `build()`; a relative path is relative to the working directory then.
    ///
    /// A cached API host is used until the max age, across restarts; when a call cannot
    /// connect to it (DNS included) or it answers a bare HTTP 404, the cached config is
    /// dropped and the next call discovers again (that call's answer stays the failure).
    /// A wrong host not caught that way goes when the file is deleted or past its age.
    ///
    /// The cached API host decides where passwords go: keep the file in a directory only
    /// the user can write (the app's cache directory, not `/tmp`). On Unix a file that
    /// group or others may write, or that another user owns, is ignored (outside Linux the
    /// SDK learns its user from an empty file it creates beside the cache file and removes
    /// at once, so a directory it may not write means the file is not read).
    ///
    /// ```no_run
    /// // A per-user directory (on macOS e.g. ~/Library/Caches/my-app; on Windows %LOCALAPPDATA%).
    /// let home = std::env::var_os("HOME").expect("a home directory");
    /// let cache = std::path::Path::new(&home)
    ///     .join(".cache/my-app")
    ///     .join("authing-public-config.json");
    /// let client = authing::AuthClient::builder()
    ///     .app_id("60caaf41df670b771fd08937")
    ///     .public_config_cache(cache)
    ///     .public_config_cache_max_age(std::time::Duration::from_secs(6 * 3600))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn public_config_cache(mut self, path: impl Into<PathBuf>) -> Self {
        self.public_config_cache = Some(path.into());
        self
    }

    /// How long what [`public_config_cache`](Self::public_config_cache) holds is used
    /// (default one day): each part (config, keys) past this age since it was fetched is
    /// fetched again. At least one second (setting `"public_config_cache_max_age"`).
    ///
    /// ```
    /// let b = authing::AuthClient::builder()
    ///     .public_config_cache_max_age(std::time::Duration::from_secs(3600));
    /// # let _ = b;
    /// ```
    pub fn public_config_cache_max_age(mut self, max_age: Duration) -> Self {
        self.public_config_cache_max_age = max_age;
        self
    }

    /// Whether [`build`](Self::build) starts a [warm-up](crate::AuthClient::warm_up) in the
    /// background (default `false`): discovery, the public keys and an open connection,
    /// ready for a sign-in, done on a worker thread, so `build()` returns at once as
    /// always. Its answer goes nowhere: a failure (an unreachable host) only means the
    /// first call does that work itself. For a program that makes its client at start;
    /// one that makes it at the click gains nothing (the click waits for the same
    /// requests). Call [`AuthClient::warm_up`](crate::AuthClient::warm_up) instead to get
    /// the answer, or to warm up again later (`AuthClient::new()` has no builder).
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let (app_id, app_host) = (emulator.app_id().to_string(), emulator.base_url());
    /// let client = authing::AuthClient::builder()
    ///     .app_id(app_id)
    ///     .app_host(app_host)
    ///     .warm_up(true)
    ///     .build()?; // returns at once; the warm-up runs on a worker
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn warm_up(mut self, warm_up: bool) -> Self {
        self.warm_up = warm_up;
        self
    }

    /// Adds a header sent on every call, after the SDK's own (default: none).
    ///
    /// For what Authing reads from headers the SDK does not send itself, such as
    /// `x-real-ip`: Authing's send-code rate limits key on it, so a server that calls Authing
    /// for its users can pass on each user's address, as Authing's Python SDK does. Or for
    /// a gateway in front of an on-premises deployment.
    ///
    /// - The name is an HTTP token (letters, digits, ``!#$%&'*+-.^_`|~``), compared and sent
    ///   in lower case. Setting the same name again replaces its value: the last one wins.
    /// - The value is visible ASCII, spaces and tabs, 1 to 4096 bytes, without leading or
    ///   trailing whitespace; a CR or LF (which could start a header of its own) is refused.
    /// - The SDK's own headers cannot be replaced: any `x-authing-*` (use
    ///   [`app_id`](Self::app_id), [`user_pool_id`](Self::user_pool_id), [`lang`](Self::lang)),
    ///   `authorization` (use [`access_token`](Self::access_token)), `accept`,
    ///   `accept-encoding`, `content-type`, and the ones that frame the message (`host`,
    ///   `content-length`, `transfer-encoding`, `connection`, `keep-alive`, `te`, `upgrade`,
    ///   `expect`). `user-agent` may be set: yours replaces the SDK's.
    ///
    /// [`build`](Self::build) checks every header and names the one it refuses
    /// ([`ConfigError::setting`] is `"header"`); values never appear in errors or `Debug`.
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .header("x-real-ip", "203.0.113.7")
    ///     .build()?;
    /// # let _ = client;
    /// let error = authing::AuthClient::builder().header("x-real-ip", "1.2.3.4\r\nx-evil: 1").build().unwrap_err();
    /// assert_eq!(error.setting(), "header");
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Trusts the CA certificates in this PEM text for `https`, **instead of** the built-in
    /// roots (default: Mozilla's root certificates, compiled in). For an on-premises
    /// Authing whose certificate comes from a private CA.
    ///
    /// Every `-----BEGIN CERTIFICATE-----` block counts; other blocks and text between
    /// them are skipped. Call it again (or with [`root_certificates_pem_file`](Self::root_certificates_pem_file))
    /// to add more. The client then trusts only these CAs: include the public CA too if
    /// it also talks to Authing's cloud, or use [`platform_verifier`](Self::platform_verifier)
    /// with the CA installed in the system's store. A text with no certificate or a broken
    /// one is refused by [`build`](Self::build) (setting `root_certificates_pem`).
    ///
    /// ```no_run
    /// let ca = std::fs::read("/etc/mycompany/ca.pem")?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://auth.mycompany.com")
    ///     .root_certificates_pem(ca)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates
            .push(RootSource::Pem(pem.as_ref().to_vec()));
        self
    }

    /// Like [`root_certificates_pem`](Self::root_certificates_pem), with the PEM read from
    /// a file when [`build`](Self::build) runs; a file that cannot be read is refused
    /// (setting `root_certificates_pem_file`, with the path and the OS's reason).
    ///
    /// ```
    /// let error = authing::AuthClient::builder()
    ///     .root_certificates_pem_file("/nonexistent/ca.pem")
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(error.setting(), "root_certificates_pem_file");
    /// ```
    pub fn root_certificates_pem_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.root_certificates.push(RootSource::File(path.into()));
        self
    }

    /// Verifies servers' certificates with the operating system's verifier and trust store
    /// instead of the built-in roots (default: off, Mozilla's roots). A private CA installed
    /// in the system's store is then trusted along with the public ones.
    ///
    /// Needs the cargo feature `platform-verifier`; without it, [`build`](Self::build)
    /// refuses `true` (setting `platform_verifier`). It cannot be combined with
    /// [`root_certificates_pem`](Self::root_certificates_pem).
    ///
    /// ```
    /// let built = authing::AuthClient::builder().platform_verifier(true).build();
    /// if cfg!(feature = "platform-verifier") {
    ///     assert!(built.is_ok());
    /// } else {
    ///     assert_eq!(built.unwrap_err().setting(), "platform_verifier");
    /// }
    /// ```
    pub fn platform_verifier(mut self, enabled: bool) -> Self {
        self.platform_verifier = enabled;
        self
    }

    /// Presets the server's RSA public key (PEM, as `GET /api/v3/system` serves it as
    /// `rsa.publicKey`), as the iOS and Flutter SDKs allow: `rsa` password encryption then
    /// needs no key fetch (default: fetched once per client).
    ///
    /// The key is pinned: it is never replaced by a fetched one, even when the server says
    /// a password does not decrypt (a fetched key is then fetched again once; see the crate
    /// docs, "Transport"). Checked by
    /// [`build`](Self::build) (setting `rsa_public_key`), which needs the cargo feature
    /// `rsa` to parse it.
    ///
    /// ```no_run
    /// let pem = "-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4xKeUgQ+Aoz7TLfAfs9+paePb\n5KIofVthEopwrXFkp8OCeocaTHt9ICjTT2QeJh6cZaDaArfZ873GPUn00eOIZ7Ae\n+TiA2BKHbCvloW3w5Lnqm70iSsUi5Fmu9/2+68GZRH9L7Mlh8cFksCicW2Y2W2uM\nGKl64GDcIq3au+aqJQIDAQAB\n-----END PUBLIC KEY-----\n";
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .rsa_public_key(pem)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn rsa_public_key(mut self, pem: impl Into<String>) -> Self {
        self.rsa_public_key = Some(pem.into());
        self
    }

    /// Presets the server's SM2 public key (hex of the point, as `GET /api/v3/system`
    /// serves it as `sm2.publicKey`): `sm2` password encryption then needs no key fetch
    /// (default: fetched once per client). Pinned, and checked by [`build`](Self::build)
    /// (setting `sm2_public_key`, cargo feature `sm2`), as
    /// [`rsa_public_key`](Self::rsa_public_key).
    ///
    /// ```no_run
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .sm2_public_key("042bc07187cc3bdcfe63b37902eead6dc400734d386e8e2be05d26159bce3259ae602c608052204079e5f49c12ef3296df8ceeff6314b45e2cf110dd58e96a47e4")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn sm2_public_key(mut self, hex: impl Into<String>) -> Self {
        self.sm2_public_key = Some(hex.into());
        self
    }

    /// Sends every call through a proxy, given as a URL: `http://host:port` or
    /// `https://host:port` (a tunnel asked for with `CONNECT`), or `socks5://host:port`
    /// (SOCKS5). Credentials go in the URL, percent-encoded:
    /// `http://user:pass@proxy.corp:3128` (sent as `Proxy-Authorization: Basic`, or as
    /// SOCKS5 username/password). A URL without a scheme means `http://`; without a port,
    /// 80, 443 or 1080.
    ///
    /// Default: the environment's proxy, read when the client is built, as ureq reads it:
    /// the first of `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` (each upper case, then lower
    /// case) that is set, with `NO_PROXY` as its bypass list. A proxy given here replaces
    /// the environment's, `NO_PROXY` included. Turn every proxy off, the environment's too,
    /// with [`no_proxy("*")`](Self::no_proxy).
    ///
    /// The proxy resolves the API host's name: with `CONNECT` the name goes in the request
    /// line, with SOCKS5 as a domain name (`socks5://` is taken as `socks5h://`); only the
    /// proxy's own name is looked up locally. An `https` API is still verified end to end
    /// (TLS inside the tunnel). `socks4` is refused.
    ///
    /// The URL is checked by [`build`](Self::build) (setting `proxy`; a bad environment
    /// variable is reported by its name). The credentials are never shown: `Debug` and
    /// error messages name the proxy as `scheme://host:port`.
    ///
    /// A proxy that cannot be reached, or a SOCKS5 proxy that refuses, fails the call with
    /// status code 10001 ([`AuthError::Connection`](crate::AuthError::Connection) or
    /// [`Timeout`](crate::AuthError::Timeout)); an http proxy that refuses the tunnel
    /// answers with its HTTP status ([`AuthError::HttpStatus`](crate::AuthError::HttpStatus):
    /// 407 for missing or wrong credentials). The message names the proxy. See the guide's
    /// "Proxies" section ([`guide::configuration`](crate::guide::configuration)).
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("60caaf41df670b771fd08937")
    ///     .app_host("https://myapp.authing.cn")
    ///     .proxy("http://alice:s3cret@proxy.corp.example:3128")
    ///     .no_proxy("localhost, .corp.example")
    ///     .build()?;
    /// assert!(!format!("{client:?}").contains("s3cret"));
    ///
    /// let error = authing::AuthClient::builder().proxy("ftp://proxy.corp.example").build().unwrap_err();
    /// assert_eq!(error.setting(), "proxy");
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Hosts reached directly, not through the [proxy](Self::proxy): a comma-separated
    /// list, as `NO_PROXY`; each call adds to it. Given here, it replaces the environment's
    /// `NO_PROXY`. `*` matches every host: no proxy at all, not even the environment's.
    ///
    /// Each entry is matched against the URL's host (an IP address is a host), without
    /// its port, ignoring case, as ureq matches them: `auth.corp.example` that host only;
    /// `.corp.example` or `*.corp.example` any host under it, not `corp.example` itself.
    /// Address ranges (`10.0.0.0/8`) are not understood. A bypassed host is looked up
    /// locally and connected to directly.
    ///
    /// ```
    /// // Ignore HTTPS_PROXY and friends: connect directly.
    /// let client = authing::AuthClient::builder()
    ///     .app_id("60caaf41df670b771fd08937")
    ///     .app_host("https://myapp.authing.cn")
    ///     .no_proxy("*")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn no_proxy(mut self, hosts: impl AsRef<str>) -> Self {
        self.no_proxy
            .get_or_insert_with(Vec::new)
            .push(hosts.as_ref().to_string());
        self
    }

    /// Where the client keeps its signed-in session: a [`MemoryTokenStore`] by default (the
    /// session ends with the process), a [`FileTokenStore`](crate::FileTokenStore) for a
    /// desktop app that stays signed in across restarts, or a [`TokenStore`] of your own.
    ///
    /// A client made by the builder has a session of its own, shared by its clones (not
    /// with `AuthClient::new()` or other built clients). The store is read on the first
    /// call that needs the session; one that cannot be read answers that call with status
    /// code 10016.
    ///
    /// ```no_run
    /// let client = authing::AuthClient::builder()
    ///     .app_id("60caaf41df670b771fd08937")
    ///     .app_host("https://myapp.authing.cn")
    ///     .token_store(authing::FileTokenStore::new("session.json"))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn token_store(mut self, store: impl TokenStore) -> Self {
        self.token_store = Some(Arc::new(store));
        self
    }

    /// Whether the session's access token is refreshed in the background shortly before it
    /// expires (default `true`), so that no call waits for a refresh it could have avoided.
    ///
    /// With it, each use of the session (a sign-in, or a call that needs the user's token)
    /// plans one refresh: when a quarter of the token's usable life is left (its lifetime
    /// less [`EXPIRY_MARGIN`](crate::EXPIRY_MARGIN)), at most 5 minutes before it counts as
    /// expired. One timer thread per session does it and ends when the session ends, goes
    /// unused, or the client is dropped. An idle program's session is refreshed ahead at
    /// most once after its last use. A call never waits for a refresh ahead while its token
    /// is still valid; a failed refresh ahead keeps the session and the next call refreshes
    /// in its path. Tokens that live 6 s or less, and sessions without a refresh token,
    /// are never refreshed ahead. See docs/PERFORMANCE.md, "Refresh ahead".
    ///
    /// With `false`, this client's calls refresh the token in their path when they find it
    /// expired, as they always did.
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("60caaf41df670b771fd08937")
    ///     .app_host("https://myapp.authing.cn")
    ///     .refresh_ahead(false)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn refresh_ahead(mut self, enabled: bool) -> Self {
        self.refresh_ahead = enabled;
        self
    }

    /// Checks every setting and makes the client. It has its own dispatcher, shared by its
    /// clones; its connection pool (with the TLS sessions and DNS cache) is shared by every
    /// living client of the process with the same API host and transport settings.
    ///
    /// ```
    /// let error = authing::AuthClient::builder().app_host("https://").build().unwrap_err();
    /// assert_eq!(error.to_string(), "invalid setting app_host: has no host");
    /// ```
    pub fn build(self) -> Result<AuthClient, ConfigError> {
        let store = self
            .token_store
            .clone()
            .unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        let warm_up = self.warm_up;
        let config = self.into_config()?;
        let session = SessionState::for_app(store, config.app_id.as_deref(), &config.endpoint);
        let client = AuthClient::from_config(Ok(config), session);
        if warm_up {
            // On a worker: `build()` never waits for the network. Its answer is dropped.
            drop(client.warm_up(|_: crate::AuthResponse| {}));
        }
        Ok(client)
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
        let mut extra_headers = self.device_headers()?;
        extra_headers.extend(self.checked_headers()?);
        let roots = self.roots()?;
        let public_keys = self.preset_keys()?;
        if let Some(origin) = &self.passkey_origin {
            crate::passkey::check_origin(origin)
                .map_err(|problem| ConfigError::new("passkey_origin", problem))?;
        }
        if self.public_config_cache_max_age < Duration::from_secs(1) {
            return Err(ConfigError::new(
                "public_config_cache_max_age",
                "must be at least one second",
            ));
        }
        let config_cache = self.public_config_cache.map(|path| CacheSettings {
            path,
            max_age: self.public_config_cache_max_age.min(config::MAX_TIMEOUT),
        });
        let proxy = proxy::choose(self.proxy.as_deref(), self.no_proxy.as_deref(), |name| {
            std::env::var(name).ok()
        })?;
        Ok(ClientConfig {
            app_id: self.app_id,
            endpoint,
            lang: self.lang,
            user_pool_id: self.user_pool_id,
            access_token: self.access_token,
            connect_timeout: self.connect_timeout.min(config::MAX_TIMEOUT),
            timeout: self.timeout.min(config::MAX_TIMEOUT),
            max_concurrent_requests: self.max_concurrent_requests,
            max_queued_requests: self.max_queued_requests,
            idle_timeout: self.idle_timeout.min(config::MAX_TIMEOUT),
            max_response_bytes: self.max_response_bytes,
            executor: self.executor,
            reporter: self.reporter,
            on_delivery: self.on_delivery,
            extra_headers,
            roots,
            public_keys,
            proxy,
            events: self.events.checked()?,
            passkey_origin: self.passkey_origin,
            refresh_ahead: self.refresh_ahead,
            config_cache,
        })
    }

    /// The device's headers (`client/device.rs`): its id, its name when known, its OS.
    fn device_headers(&self) -> Result<Vec<(String, String)>, ConfigError> {
        let id = match &self.device_id {
            Some(id) => {
                device::check_device_id(id).map_err(|why| ConfigError::new("device_id", why))?;
                id.clone()
            }
            None => device::derived_device_id(self.app_id.as_deref()),
        };
        let name = match &self.device_name {
            Some(name) => {
                device::check_device_name(name)
                    .map_err(|why| ConfigError::new("device_name", why))?;
                Some(name.clone())
            }
            // Never the host name by default: it names the person's machine, and a third
            // party should learn it only when the app chooses to send it.
            None => None,
        };
        let mut out = vec![(device::DEVICE_ID_HEADER.to_owned(), id)];
        if let Some(name) = name {
            out.push((device::DEVICE_NAME_HEADER.to_owned(), name));
        }
        out.push((
            device::DEVICE_OS_HEADER.to_owned(),
            device::os_name().to_owned(),
        ));
        Ok(out)
    }

    /// The extra headers, checked, names in lower case, the last value of a name winning.
    fn checked_headers(&self) -> Result<Vec<(String, String)>, ConfigError> {
        let mut checked: Vec<(String, String)> = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let (name, value) = headers::extra_header(name, value)?;
            checked.retain(|(kept, _)| *kept != name);
            checked.push((name, value));
        }
        Ok(checked)
    }

    fn roots(&self) -> Result<Roots, ConfigError> {
        if self.platform_verifier {
            if !cfg!(feature = "platform-verifier") {
                return Err(ConfigError::new(
                    "platform_verifier",
                    "needs the cargo feature `platform-verifier` of the authing crate",
                ));
            }
            if !self.root_certificates.is_empty() {
                return Err(ConfigError::new(
                    "platform_verifier",
                    "cannot be combined with root_certificates_pem; install the ca in the system's store instead",
                ));
            }
            return Ok(Roots::Platform);
        }
        if self.root_certificates.is_empty() {
            return Ok(Roots::Mozilla);
        }
        let mut ders = Vec::new();
        for source in &self.root_certificates {
            match source {
                RootSource::Pem(pem) => {
                    ders.extend(tls::certificates("root_certificates_pem", pem)?)
                }
                RootSource::File(path) => {
                    const SETTING: &str = "root_certificates_pem_file";
                    let pem = std::fs::read(path).map_err(|e| {
                        ConfigError::new(
                            SETTING,
                            format!(
                                "cannot read {}: {}",
                                path.display(),
                                e.to_string().to_lowercase()
                            ),
                        )
                    })?;
                    ders.extend(tls::certificates(SETTING, &pem)?);
                }
            }
        }
        Ok(Roots::Only(Arc::new(ders)))
    }

    fn preset_keys(&self) -> Result<PresetKeys, ConfigError> {
        for (setting, kind, key) in [
            (
                "rsa_public_key",
                PasswordEncryptType::rsa,
                &self.rsa_public_key,
            ),
            (
                "sm2_public_key",
                PasswordEncryptType::sm2,
                &self.sm2_public_key,
            ),
        ] {
            if let Some(key) = key {
                password::check_preset(kind, key)
                    .map_err(|problem| ConfigError::new(setting, problem))?;
            }
        }
        Ok(PresetKeys {
            rsa: self.rsa_public_key.clone(),
            sm2: self.sm2_public_key.clone(),
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
            .field("headers", &HeaderNames(&self.headers))
            .field("root_certificates", &self.root_certificates.len())
            .field("platform_verifier", &self.platform_verifier)
            .field("rsa_public_key", &self.rsa_public_key.is_some())
            .field("sm2_public_key", &self.sm2_public_key.is_some())
            .field("proxy", &self.proxy.as_deref().map(proxy::redact_url))
            .field("no_proxy", &self.no_proxy)
            .field("device_id", &self.device_id)
            .field("device_name", &self.device_name)
            .field("passkey_origin", &self.passkey_origin)
            .field("refresh_ahead", &self.refresh_ahead)
            .field("public_config_cache", &self.public_config_cache)
            .field(
                "public_config_cache_max_age",
                &self.public_config_cache_max_age,
            )
            .field("warm_up", &self.warm_up)
            .field(
                "token_store",
                &self.token_store.as_ref().map(|_| "<custom>"),
            )
            .finish_non_exhaustive()
    }
}
