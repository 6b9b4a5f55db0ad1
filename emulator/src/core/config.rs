//! Settings of an emulator, with their documented defaults.

use std::path::PathBuf;
use std::time::Duration;

use crate::core::session_config::SessionConfig;
use crate::NewUser;

/// The path of the avatar upload (the account family's `POST /api/v2/upload`), whose body
/// has a limit of its own, [`EmulatorConfig::max_upload_bytes`].
pub(crate) const UPLOAD_PATH: &str = "/api/v2/upload";

/// The application id an emulator answers to unless told otherwise.
pub const DEFAULT_APP_ID: &str = "demo-app";
/// The user pool id an emulator reports unless told otherwise.
pub const DEFAULT_USER_POOL_ID: &str = "emulator-user-pool";

/// How many connections an emulator serves at once unless told otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// How long a connection may stay silent unless told otherwise.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a client has to send a whole request head unless told otherwise.
pub const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client has to send a whole request body unless told otherwise.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest time-out, lifetime or cooldown a setting takes; longer ones are cut to it
/// (100 years), so that no time the emulator computes can overflow.
pub const MAX_DURATION: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// How a throttled send (a second code to one target and channel within the cooldown)
/// is answered. Both forms carry an HTTP `Retry-After` header with the whole seconds left.
///
/// ```
/// use authing_emulator::{EmulatorConfig, ThrottleReply};
/// let spec = EmulatorConfig::default(); // ThrottleReply::Http429
/// let legacy = EmulatorConfig::default().throttle_reply(ThrottleReply::Envelope200);
/// assert_eq!(ThrottleReply::default(), ThrottleReply::Http429);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThrottleReply {
    /// What Authing's rate-limit chapter documents: HTTP 429 and the body
    /// `{"statusCode":429,"message":"您的请求已超过最大数量限制，请稍后重试"}` (no apiCode, no
    /// requestId, no data). The default.
    #[default]
    Http429,
    /// The emulator's earlier form: HTTP 200 and the envelope with statusCode 429, a
    /// `requestId`, a message that states the seconds left, and `data.retryAfter` (the
    /// emulator's own field: Authing documents no `retryAfter` in the body).
    Envelope200,
}

/// The most digits a verification code may have; longer settings are cut to it.
pub const MAX_CODE_LENGTH: usize = 32;
/// The largest body limit a setting takes (64 MiB); larger ones are cut to it.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// The default body limit of the avatar upload, `POST /api/v2/upload`: 8 MiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// Settings of an [`Emulator`](crate::Emulator).
///
/// Every setting has a default that mirrors Authing's own behaviour where it is public;
/// the setters chain.
///
/// | setting | default |
/// |---|---|
/// | [`app_id`](Self::app_id) | `"demo-app"` |
/// | [`app_name`](Self::app_name) | the app id in words: `"demo-app"` → `"Demo App"` |
/// | [`user_pool_id`](Self::user_pool_id) | `"emulator-user-pool"` |
/// | [`code_length`](Self::code_length) | 6 digits (1 to 32) |
/// | [`sms_code_ttl`](Self::sms_code_ttl) | 60 s |
/// | [`email_code_ttl`](Self::email_code_ttl) | 300 s |
/// | [`send_cooldown`](Self::send_cooldown) | 60 s per target and channel |
/// | [`max_code_attempts`](Self::max_code_attempts) | 5 wrong tries, then the code is void |
/// | [`reset_token_ttl`](Self::reset_token_ttl) | 600 s |
/// | [`password_length`](Self::password_length) | 6..=128 characters |
/// | [`max_body_bytes`](Self::max_body_bytes) | 65 536 bytes (at most 64 MiB) |
/// | [`throttle_reply`](Self::throttle_reply) | [`ThrottleReply::Http429`] |
/// | [`max_connections`](Self::max_connections) | 256 open connections; more are answered 503 and closed |
/// | [`idle_timeout`](Self::idle_timeout) | 60 s without a byte closes a connection |
/// | [`head_timeout`](Self::head_timeout) | 10 s to send a whole request head |
/// | [`body_timeout`](Self::body_timeout) | 30 s to send a whole request body |
/// | [`print_codes`](Self::print_codes) | off |
/// | [`user`](Self::user) | no users |
/// | [`app_secret`](Self::app_secret) | `"demo-app-secret"` |
/// | [`access_token_ttl`](Self::access_token_ttl) | 7 200 s |
/// | [`refresh_token_ttl`](Self::refresh_token_ttl) | 30 days |
/// | [`lock_threshold`](Self::lock_threshold) | 5 wrong passwords |
/// | [`lock_duration`](Self::lock_duration) | 600 s |
/// | [`reveal_unknown_accounts`](Self::reveal_unknown_accounts) | off (2333 for both) |
/// | [`password_hash_iterations`](Self::password_hash_iterations) | 1 000 |
/// | [`max_upload_bytes`](Self::max_upload_bytes) | 8 MiB for `POST /api/v2/upload` (at most 64 MiB) |
/// | [`admin_token`](Self::admin_token) | none: the admin API needs no credential on a loopback address, and the emulator refuses to start on any other address |
/// | [`state_file`](Self::state_file) | none: the state lives in memory only and a restart starts afresh |
///
/// ```
/// use std::time::Duration;
/// use authing_emulator::EmulatorConfig;
///
/// let config = EmulatorConfig::default()
///     .app_id("demo")
///     .sms_code_ttl(Duration::from_secs(120))
///     .max_code_attempts(3);
/// assert_eq!(config.get_app_id(), "demo");
/// ```
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub(crate) app_id: String,
    /// The app's name on the hosted pages; `None` derives it from the id.
    pub(crate) app_name: Option<String>,
    pub(crate) user_pool_id: String,
    pub(crate) code_length: usize,
    pub(crate) sms_code_ttl: Duration,
    pub(crate) email_code_ttl: Duration,
    pub(crate) send_cooldown: Duration,
    pub(crate) max_code_attempts: u32,
    pub(crate) reset_token_ttl: Duration,
    pub(crate) password_min: usize,
    pub(crate) password_max: usize,
    pub(crate) max_body_bytes: usize,
    pub(crate) throttle_reply: ThrottleReply,
    pub(crate) max_connections: usize,
    pub(crate) idle_timeout: Duration,
    pub(crate) head_timeout: Duration,
    pub(crate) body_timeout: Duration,
    pub(crate) print_codes: bool,
    pub(crate) users: Vec<NewUser>,
    /// Sign-up, sign-in and session settings (`core/session_config.rs`).
    pub(crate) session: SessionConfig,
    /// The largest body of `POST /api/v2/upload` (the avatar upload).
    pub(crate) max_upload_bytes: usize,
    /// The bearer token the admin API (`/emulator/`) requires, if any.
    pub(crate) admin_token: Option<String>,
    /// The file the state is kept in across restarts (`core/persist.rs`), if any.
    pub(crate) state_file: Option<PathBuf>,
    /// Whether the emulator serves https (`http/tls.rs`).
    pub(crate) tls: bool,
    /// Names the leaf certificate is valid for beyond 127.0.0.1, ::1 and localhost.
    pub(crate) tls_names: Vec<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            app_id: DEFAULT_APP_ID.to_owned(),
            app_name: None,
            user_pool_id: DEFAULT_USER_POOL_ID.to_owned(),
            code_length: 6,
            sms_code_ttl: Duration::from_secs(60),
            email_code_ttl: Duration::from_secs(300),
            send_cooldown: Duration::from_secs(60),
            max_code_attempts: 5,
            reset_token_ttl: Duration::from_secs(600),
            password_min: 6,
            password_max: 128,
            max_body_bytes: 64 * 1024,
            throttle_reply: ThrottleReply::Http429,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            head_timeout: DEFAULT_HEAD_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            print_codes: false,
            users: Vec::new(),
            session: SessionConfig::default(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            admin_token: None,
            state_file: None,
            tls: false,
            tls_names: Vec::new(),
        }
    }
}

impl EmulatorConfig {
    /// Serves https instead of http: at start the emulator makes a throw-away CA and a
    /// certificate it signs for `127.0.0.1`, `::1`, `localhost` and every
    /// [`tls_name`](EmulatorConfig::tls_name). [`Emulator::ca_pem`](crate::Emulator::ca_pem)
    /// is the CA to trust; [`base_url`](crate::Emulator::base_url), the issuer and the
    /// discovery documents say `https://`. Needs the `tls` feature (a default one):
    /// without it, starting fails with [`std::io::ErrorKind::Unsupported`].
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().tls(true);
    /// assert!(config.get_tls());
    /// ```
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// Whether the emulator serves https.
    pub fn get_tls(&self) -> bool {
        self.tls
    }

    /// One more DNS name (or IP address) the certificate is valid for, under
    /// [`tls`](EmulatorConfig::tls).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().tls(true).tls_name("emu.test");
    /// assert!(config.get_tls());
    /// ```
    pub fn tls_name(mut self, name: impl Into<String>) -> Self {
        self.tls_names.push(name.into());
        self
    }

    /// Sets the only application id the emulator accepts (header `x-authing-app-id`).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().app_id("my-app");
    /// assert_eq!(config.get_app_id(), "my-app");
    /// ```
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = app_id.into();
        self
    }

    /// Sets the user pool id reported by the public config.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().user_pool_id("pool-1");
    /// assert_eq!(config.get_user_pool_id(), "pool-1");
    /// ```
    pub fn user_pool_id(mut self, user_pool_id: impl Into<String>) -> Self {
        self.user_pool_id = user_pool_id.into();
        self
    }

    /// Sets how many digits a verification code has (default 6; from 1 to
    /// [`MAX_CODE_LENGTH`], 32: values outside are cut to that range).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().code_length(4);
    /// ```
    pub fn code_length(mut self, digits: usize) -> Self {
        self.code_length = digits.clamp(1, MAX_CODE_LENGTH);
        self
    }

    /// Sets how long an SMS code stays valid (default 60 s; at most [`MAX_DURATION`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default().sms_code_ttl(Duration::from_secs(90));
    /// ```
    pub fn sms_code_ttl(mut self, ttl: Duration) -> Self {
        self.sms_code_ttl = ttl.min(MAX_DURATION);
        self
    }

    /// Sets how long an email code stays valid (default 300 s; at most [`MAX_DURATION`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default().email_code_ttl(Duration::from_secs(600));
    /// ```
    pub fn email_code_ttl(mut self, ttl: Duration) -> Self {
        self.email_code_ttl = ttl.min(MAX_DURATION);
        self
    }

    /// Sets the minimum time between two sends to the same target on the same channel
    /// (default 60 s; zero turns the limit off; at most [`MAX_DURATION`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default().send_cooldown(Duration::ZERO);
    /// ```
    pub fn send_cooldown(mut self, cooldown: Duration) -> Self {
        self.send_cooldown = cooldown.min(MAX_DURATION);
        self
    }

    /// Sets how many wrong tries void a code (at least 1; default 5).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().max_code_attempts(3);
    /// ```
    pub fn max_code_attempts(mut self, attempts: u32) -> Self {
        self.max_code_attempts = attempts.max(1);
        self
    }

    /// Sets how long a password reset token stays valid (default 600 s; at most
    /// [`MAX_DURATION`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default().reset_token_ttl(Duration::from_secs(60));
    /// ```
    pub fn reset_token_ttl(mut self, ttl: Duration) -> Self {
        self.reset_token_ttl = ttl.min(MAX_DURATION);
        self
    }

    /// Sets the accepted password length in characters (Unicode scalar values),
    /// both ends included (default 6..=128).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().password_length(8, 64);
    /// ```
    pub fn password_length(mut self, min: usize, max: usize) -> Self {
        self.password_min = min;
        self.password_max = max.max(min);
        self
    }

    /// Sets the largest request body accepted; larger bodies get statusCode 413
    /// (default 64 KiB; at most [`MAX_BODY_BYTES`], 64 MiB, larger values are cut to it).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().max_body_bytes(1024);
    /// ```
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes.min(MAX_BODY_BYTES);
        self
    }

    /// Sets the largest body of `POST /api/v2/upload`, the avatar upload, which gets its
    /// own limit because a picture is larger than any JSON body (default
    /// [`DEFAULT_MAX_UPLOAD_BYTES`], 8 MiB: room for the SDK's 5 MiB avatars and their
    /// multipart framing; at most [`MAX_BODY_BYTES`], 64 MiB). A larger upload gets 413.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().max_upload_bytes(1024 * 1024);
    /// ```
    pub fn max_upload_bytes(mut self, bytes: usize) -> Self {
        self.max_upload_bytes = bytes.min(MAX_BODY_BYTES);
        self
    }

    /// The body limit of a request to `path`: [`UPLOAD_PATH`]'s is
    /// [`max_upload_bytes`](Self::max_upload_bytes).
    pub(crate) fn body_limit(&self, path: &str) -> usize {
        if path == UPLOAD_PATH {
            self.max_upload_bytes
        } else {
            self.max_body_bytes
        }
    }

    /// Sets how a throttled send is answered (default [`ThrottleReply::Http429`], the
    /// form Authing documents).
    ///
    /// ```
    /// use authing_emulator::{EmulatorConfig, ThrottleReply};
    /// let config = EmulatorConfig::default().throttle_reply(ThrottleReply::Envelope200);
    /// ```
    pub fn throttle_reply(mut self, reply: ThrottleReply) -> Self {
        self.throttle_reply = reply;
        self
    }

    /// Sets how many connections are served at once (at least 1; default 256). Each open
    /// connection has its own thread; a connection accepted beyond the limit is answered
    /// HTTP 503 with an envelope (`statusCode` 503, `message`, `requestId`) and closed.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().max_connections(16);
    /// ```
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// Sets how long a connection may send nothing, between requests or inside one,
    /// before it is closed without an answer (default 60 s; at least 1 ms). Writes that
    /// make no progress for this long fail too.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default().idle_timeout(Duration::from_secs(5));
    /// ```
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = clamp_timeout(timeout);
        self
    }

    /// Sets how long a client has, from the first byte of a request, to send the whole
    /// request head; then it is answered HTTP 408 and the connection closed (default 10 s;
    /// at least 1 ms). A client that trickles bytes cannot hold a thread longer.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default().head_timeout(Duration::from_secs(2));
    /// ```
    pub fn head_timeout(mut self, timeout: Duration) -> Self {
        self.head_timeout = clamp_timeout(timeout);
        self
    }

    /// Sets how long a client has, from the end of the request head, to send the whole
    /// body; then it is answered HTTP 408 and the connection closed (default 30 s; at
    /// least 1 ms).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default().body_timeout(Duration::from_secs(5));
    /// ```
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = clamp_timeout(timeout);
        self
    }

    /// Requires `Authorization: Bearer <token>` on every admin request (everything under
    /// `/emulator/`); a request without it, or with another token, is answered 401 with
    /// `WWW-Authenticate: Bearer`. The Authing endpoints and the in-process
    /// [`Emulator`](crate::Emulator) methods are not affected.
    ///
    /// Default: no token. Then the admin API answers without a credential, and
    /// [`Emulator::bind`](crate::Emulator::bind) refuses (with
    /// [`InvalidInput`](std::io::ErrorKind::InvalidInput)) an address that is not a loopback
    /// address (`0.0.0.0`, a LAN address, …): a token is required there. On a loopback
    /// address a token is optional. The token must be 1 to 256 visible ASCII characters
    /// (no space), else `bind` fails with `InvalidInput` too. The `authing-emulator`
    /// program takes it as `--admin-token`.
    ///
    /// ```
    /// use authing_emulator::{Emulator, EmulatorConfig};
    /// let config = EmulatorConfig::default().admin_token("s3cret-token");
    /// assert_eq!(config.get_admin_token(), Some("s3cret-token"));
    /// // Without a token, a non-loopback address is refused.
    /// assert!(Emulator::bind("0.0.0.0:0", EmulatorConfig::default()).is_err());
    /// let emulator = Emulator::bind("0.0.0.0:0", config)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.admin_token = Some(token.into());
        self
    }

    /// The admin token set by [`admin_token`](Self::admin_token), if any.
    ///
    /// ```
    /// assert_eq!(authing_emulator::EmulatorConfig::default().get_admin_token(), None);
    /// ```
    pub fn get_admin_token(&self) -> Option<&str> {
        self.admin_token.as_deref()
    }

    /// Why the settings cannot serve on `addr`, if they cannot: a malformed admin token,
    /// or no admin token on an address that is not a loopback address.
    pub(crate) fn check_listen(&self, addr: std::net::SocketAddr) -> Result<(), String> {
        match &self.admin_token {
            Some(token) => {
                let visible = token.bytes().all(|b| b.is_ascii_graphic());
                if token.is_empty() || token.len() > 256 || !visible {
                    return Err(
                        "the admin token must be 1 to 256 visible ascii characters, \
                                without spaces"
                            .to_owned(),
                    );
                }
                Ok(())
            }
            None if addr.ip().is_loopback() => Ok(()),
            None => Err(format!(
                "{addr} is not a loopback address: anyone who reaches it could use the admin \
                 api, so an admin token is required (--admin-token, or \
                 EmulatorConfig::admin_token), or listen on 127.0.0.1"
            )),
        }
    }

    /// Prints every issued code to stdout as `code: <channel> <target> <code>`
    /// (default off; the `authing-emulator` binary turns it on).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().print_codes(true);
    /// ```
    pub fn print_codes(mut self, on: bool) -> Self {
        self.print_codes = on;
        self
    }

    /// Adds a user present from the start and again after every
    /// [`reset`](crate::Emulator::reset).
    ///
    /// ```
    /// use authing_emulator::{EmulatorConfig, NewUser};
    /// let config = EmulatorConfig::default()
    ///     .user(NewUser::with_email("alice@example.com", "secret-1"));
    /// ```
    pub fn user(mut self, user: NewUser) -> Self {
        self.users.push(user);
        self
    }

    /// The application id the emulator accepts.
    ///
    /// ```
    /// assert_eq!(authing_emulator::EmulatorConfig::default().get_app_id(), "demo-app");
    /// ```
    pub fn get_app_id(&self) -> &str {
        &self.app_id
    }

    /// Sets the app's name, which the hosted sign-in and consent pages show ("Sign in to
    /// …"), as Authing's show the app's name rather than its id.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().app_name("Acme Notes");
    /// assert_eq!(config.get_app_name(), "Acme Notes");
    /// ```
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// The app's name: the one set, else the app id in words (`-` and `_` as spaces, each
    /// word capitalized).
    ///
    /// ```
    /// assert_eq!(authing_emulator::EmulatorConfig::default().get_app_name(), "Demo App");
    /// ```
    pub fn get_app_name(&self) -> String {
        if let Some(name) = &self.app_name {
            return name.clone();
        }
        let words: Vec<String> = self
            .app_id
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            })
            .collect();
        if words.is_empty() {
            self.app_id.clone()
        } else {
            words.join(" ")
        }
    }

    /// Keeps the emulator's state in `path` across restarts, as `--state FILE` does for
    /// the binary: users, sessions (access and refresh tokens), MFA factors, pending codes,
    /// the directory and linked identities, and the clock (see docs/EMULATOR.md for the
    /// whole list, and what is not kept).
    ///
    /// At start the emulator reads the file when it exists (a missing file is a fresh
    /// state, written on the first change) and refuses to start, with
    /// [`std::io::ErrorKind::InvalidData`], when it is not an emulator state file: not
    /// JSON, no `"format": "authing-emulator-state"`, another format version, or the state
    /// of another app id. The users of [`user`](Self::user) that are not in the file yet
    /// are added. After every change the whole state is written again, atomically (a temp
    /// file in the same folder, synced, then renamed over the old one), with mode 0600 on
    /// Unix.
    ///
    /// ```
    /// use authing_emulator::{Emulator, EmulatorConfig, NewUser};
    /// let dir = std::env::temp_dir().join(format!("emulator-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let file = dir.join("state.json");
    /// # let _ = std::fs::remove_file(&file);
    /// let config = EmulatorConfig::default().state_file(&file);
    /// let first = Emulator::start_with(config.clone())?;
    /// first.add_user(NewUser::with_username("alice", "secret-1")).unwrap();
    /// drop(first);
    /// let second = Emulator::start_with(config)?;
    /// assert!(second.check_password("alice", "secret-1"));
    /// # drop(second);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// The state file set by [`state_file`](Self::state_file), if any.
    ///
    /// ```
    /// assert_eq!(authing_emulator::EmulatorConfig::default().get_state_file(), None);
    /// ```
    pub fn get_state_file(&self) -> Option<&std::path::Path> {
        self.state_file.as_deref()
    }

    /// The user pool id the emulator reports.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default();
    /// assert_eq!(config.get_user_pool_id(), "emulator-user-pool");
    /// ```
    pub fn get_user_pool_id(&self) -> &str {
        &self.user_pool_id
    }
}

/// A socket time-out between 1 ms (zero means "none" to the OS) and [`MAX_DURATION`].
fn clamp_timeout(timeout: Duration) -> Duration {
    timeout.clamp(Duration::from_millis(1), MAX_DURATION)
}
