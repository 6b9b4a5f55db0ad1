//! A local Authing-compatible server for tests, examples and offline development.
//!
//! The emulator speaks the Authing v3 wire protocol for the account-recovery journey
//! (public config, `send-sms`, `send-email`, `verify-reset-password-request`,
//! `reset-password`, `system`), sign-up, sign-in (`PASSWORD`, `PASSCODE`, `AD`, `LDAP`)
//! and the session (`get-profile`, RS256 JWTs, `/oidc/token` refresh, revocation,
//! discovery, `get-country-list`) with the real envelope, MFA (factors, the 1635/1636
//! sign-in challenge, TOTP and recovery codes), QR sign-in, mobile social sign-in, the OpenID Connect authorization code flow with PKCE (a hosted login page
//! at `/oidc/auth`, plain HTML forms; the `authorization_code` grant; `/oidc/me`;
//! token introspection; `/oidc/session/end`), and what the signed-in user may access (login history, apps,
//! tenants, roles, groups, departments, resources, linked identities, seeded through
//! `assign_*` and the admin API) and the signed-in user's own account (profile, phone and
//! email, password, deletion, avatar uploads). Users' passwords are kept as
//! PBKDF2 hashes; wrong passwords lock an account. An admin API reveals issued codes and
//! users' state, and there are a controllable clock and fault injection; a state file
//! ([`EmulatorConfig::state_file`], `--state FILE`) keeps users, sessions and tokens,
//! factors, codes and the clock across restarts. It runs in process
//! ([`Emulator::start`]) or as the `authing-emulator` binary. See `docs/EMULATOR.md` for
//! every endpoint, default and choice.
//!
//! The code has three folders: `http/` (the server: connections, the protocol, serving),
//! `core/` (state, users, tokens, keys, passwords, messages, the envelope, the admin API's
//! own endpoints) and `families/`, one folder per family of endpoints (routes and
//! handlers, state, admin API, messages), registered in one table, `families/mod.rs`.
//!
//! ```
//! use authing_emulator::{Emulator, NewUser};
//!
//! let emulator = Emulator::start()?;
//! emulator.add_user(NewUser::with_phone("+86", "18812345678", "old-password"))?;
//!
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let body = r#"{"phoneNumber":"18812345678","channel":"CHANNEL_RESET_PASSWORD"}"#;
//! let text = agent
//!     .post(format!("{}/api/v3/send-sms", emulator.base_url()))
//!     .header("content-type", "application/json")
//!     .header("x-authing-app-id", emulator.app_id())
//!     .send(body)?
//!     .body_mut()
//!     .read_to_string()?;
//! let reply: serde_json::Value = serde_json::from_str(&text)?;
//! assert_eq!(reply["statusCode"], 200);
//! assert!(emulator.latest_code("18812345678").is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod core;
mod families;
mod http;

pub use crate::core::keys;

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::time::{Duration, SystemTime};

pub use crate::core::config::DEFAULT_MAX_UPLOAD_BYTES;
pub use crate::core::config::{
    EmulatorConfig, ThrottleReply, DEFAULT_APP_ID, DEFAULT_BODY_TIMEOUT, DEFAULT_HEAD_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_USER_POOL_ID, MAX_BODY_BYTES,
    MAX_CODE_LENGTH, MAX_DURATION,
};
pub use crate::core::password_decrypt::PasswordForm;
pub use crate::core::session_config::DEFAULT_APP_SECRET;
pub use crate::core::users::{Directory, NewUser, UserState};
pub use crate::core::vocab::{
    Action, FactorType, PushCodeAction, PushCodeStatus, QrCodeStatus, ResourceType,
};
pub use families::account::state::Upload;
pub use families::captcha::state::{CaptchaPolicy, IssuedCaptcha, CAPTCHA_TTL};
pub use families::devices::admin::UserDevice;
pub use families::directory::new_entries::{
    NewApp, NewDepartment, NewExtIdp, NewGroup, NewIdentity, NewResource, NewRole, NewTenant,
    SeedError,
};
pub use families::machine::state::{MachineClient, NewMachineClient, DEFAULT_MACHINE_TOKEN_TTL};
pub use families::mfa::state::{
    AppMfaPolicy, EnrolledFactor, MfaAdminError, DEFAULT_MFA_TOKEN_TTL,
};
pub use families::oidc::browser::{HostedBrowser, HostedPage};
pub use families::oidc::state::{
    IdTokenTamper, OidcSession, MAX_OIDC_CODES, MAX_OIDC_INTERACTIONS, MAX_OIDC_REDIRECT_URI_BYTES,
    MAX_OIDC_STATE_BYTES,
};
pub use families::permissions::state::{NewDataResource, NewGrant, NewTreeNode};
pub use families::push::state::{PushCodeInfo, PUSH_CODE_TTL, PUSH_TOKEN_TTL};
pub use families::qrcode::state::{QrCodeInfo, QR_CODE_TTL, QR_TICKET_TTL};
pub use families::session::lifetimes::TokenLifetimes;
pub use families::social::state::{NewProviderCode, SocialConnection, DEFAULT_PROVIDER_CODE_TTL};
pub use families::social_binding::state::BINDING_KEY_TTL;
pub use families::webauthn::admin::{PasskeySettings, UserPasskey};
pub use families::wechat::state::{
    WechatMiniProgramLogin, WECHAT_ACCESS_TOKEN_TTL, WECHAT_CODE_TTL, WECHAT_TEST_APP_ID,
    WECHAT_TEST_APP_SECRET, WECHAT_TEST_PHONE,
};
pub use http::hold_gate::Gate;

/// A running emulator on a local TCP port.
///
/// The HTTP/1.1 server runs one thread per connection on `std::net`, with request heads
/// parsed by [httparse](https://docs.rs/httparse). It serves at most
/// [`max_connections`](EmulatorConfig::max_connections) (256) connections at once and
/// answers more with 503; it closes a connection idle for 60 s, gives a request head 10 s
/// and a body 30 s (then 408), and answers 500 when a handler panics (all configurable).
/// Dropping the emulator stops it: it stops accepting, pending [`Fault::Delay`] waits and
/// [`Fault::Hold`] holds are cut short, every open connection is shut down, every thread
/// is joined, and the port is free again when `drop` returns. See `docs/EMULATOR.md`.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Emulator {
    server: http::server::Server,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr())
            .field("app_id", &self.app_id())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` with a free port and the default settings.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.app_id(), "demo-app");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start() -> std::io::Result<Emulator> {
        Emulator::start_with(EmulatorConfig::default())
    }

    /// Starts an emulator on `127.0.0.1` with a free port and the given settings.
    ///
    /// ```
    /// use authing_emulator::{Emulator, EmulatorConfig};
    /// let emulator = Emulator::start_with(EmulatorConfig::default().app_id("demo"))?;
    /// assert_eq!(emulator.app_id(), "demo");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start_with(config: EmulatorConfig) -> std::io::Result<Emulator> {
        Emulator::bind("127.0.0.1:0", config)
    }

    /// Starts an emulator on the given address.
    ///
    /// Fails with [`std::io::ErrorKind::InvalidInput`] when a configured user is invalid,
    /// when the address is not a loopback address and the config has no
    /// [`admin_token`](EmulatorConfig::admin_token), or when the admin token is malformed.
    ///
    /// ```
    /// use authing_emulator::{Emulator, EmulatorConfig};
    /// let emulator = Emulator::bind("127.0.0.1:0", EmulatorConfig::default())?;
    /// assert!(emulator.addr().port() > 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind(addr: impl ToSocketAddrs, config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(addr)?;
        let local = listener.local_addr()?;
        config
            .check_listen(local)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        Ok(Emulator {
            server: http::server::Server::start(listener, config)?,
        })
    }

    /// The URL to give the SDK as its host, e.g. `http://127.0.0.1:41234` (no trailing slash;
    /// `https://` under [`tls`](EmulatorConfig::tls)).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(!emulator.base_url().ends_with('/'));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.server.shared.scheme(), self.addr())
    }

    /// The throw-away CA that signed the certificate, as PEM, when the emulator serves
    /// https ([`EmulatorConfig::tls`]); `None` over plain http. Trust it (and only it) in
    /// the client under test.
    ///
    /// ```
    /// use authing_emulator::{Emulator, EmulatorConfig};
    /// let emulator = Emulator::start_with(EmulatorConfig::default().tls(true))?;
    /// assert!(emulator.base_url().starts_with("https://127.0.0.1:"));
    /// assert!(emulator.ca_pem().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn ca_pem(&self) -> Option<&str> {
        self.server.shared.ca_pem()
    }

    /// Writes [`ca_pem`](Emulator::ca_pem) to `path`; fails with
    /// [`std::io::ErrorKind::NotFound`] over plain http.
    pub fn write_ca_pem(&self, path: impl AsRef<std::path::Path>) -> std::io::Result<()> {
        let pem = self.ca_pem().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the emulator serves plain http",
            )
        })?;
        std::fs::write(path, pem)
    }

    /// The address the emulator listens on.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.addr().ip().is_loopback());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.server.shared.addr
    }

    /// The only application id accepted (header `x-authing-app-id`).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.app_id(), authing_emulator::DEFAULT_APP_ID);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn app_id(&self) -> &str {
        &self.server.shared.config.app_id
    }

    /// The user pool id reported by the public config.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.user_pool_id(), authing_emulator::DEFAULT_USER_POOL_ID);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn user_pool_id(&self) -> &str {
        &self.server.shared.config.user_pool_id
    }

    /// Every code issued since the start or the last reset, oldest first.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.issued_codes().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn issued_codes(&self) -> Vec<IssuedCode> {
        self.server.shared.state().codes()
    }

    /// The newest code still usable (not used, not voided) sent to `target`: an email in
    /// any case, or a phone number with or without its country code
    /// (`"18812345678"` or `"+8618812345678"`).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.latest_code("alice@example.com"), None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn latest_code(&self, target: &str) -> Option<String> {
        self.server.shared.state().latest_code(target)
    }

    /// Adds a user and returns its user id; fails when its username, email, phone or
    /// directory account is invalid or already taken. Only the password's hash is kept.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// let id = emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// assert_eq!(id.len(), 24);
    /// assert!(emulator.add_user(NewUser::with_email("ALICE@example.com", "x")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_user(&self, user: NewUser) -> Result<String, EmulatorError> {
        let shared = &self.server.shared;
        shared.state().add_user(&shared.config, &user)
    }

    /// Whether the user named by `identity` exists and has `password` (checked against
    /// the stored hash; for a directory account, its directory password).
    ///
    /// `identity` is a user id, a username, an email (any case), a phone number with or
    /// without its country code, a directory account name, or a [`NewUser`].
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// let alice = NewUser::with_phone("+86", "18812345678", "secret-1");
    /// emulator.add_user(alice.clone())?;
    /// assert!(emulator.check_password("18812345678", "secret-1"));
    /// assert!(emulator.check_password("+8618812345678", "secret-1"));
    /// assert!(emulator.check_password(&alice, "secret-1"));
    /// assert!(!emulator.check_password("18812345678", "wrong"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_password(&self, identity: &(impl UserIdentity + ?Sized), password: &str) -> bool {
        self.server
            .shared
            .state()
            .check_password(&identity.identity(), password)
    }

    /// How the current password of the user named by `identity` reached
    /// `reset-password` (which of the two SM2 forms, for instance); `None` when there is
    /// no such user or its password was never reset.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// assert_eq!(emulator.password_form("alice@example.com"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn password_form(&self, identity: &(impl UserIdentity + ?Sized)) -> Option<PasswordForm> {
        self.server
            .shared
            .state()
            .password_form(&identity.identity())
            .flatten()
    }

    /// Moves the emulator's clock forward: code and token expiry and send cooldowns all
    /// follow it.
    ///
    /// ```
    /// use std::time::Duration;
    /// let emulator = authing_emulator::Emulator::start()?;
    /// emulator.advance_clock(Duration::from_secs(61));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Panics
    ///
    /// When the clock would end up more than [`MAX_DURATION`] (100 years) ahead of real
    /// time, in one step or in several. (The admin API answers 400 instead.)
    pub fn advance_clock(&self, by: Duration) {
        if !self.server.shared.state().advance(by) {
            panic!(
                "advance_clock: the emulator clock cannot move more than {} s (100 years) \
                 ahead of real time",
                MAX_DURATION.as_secs()
            );
        }
    }

    /// The emulator's "now": real time plus every [`advance_clock`](Emulator::advance_clock)
    /// step (admin API: `GET /emulator/v1/clock`). Read it, not `SystemTime::now()`, for
    /// anything the emulator judges by its clock once the clock has moved, such as the TOTP
    /// code an authenticator app would show at that moment.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// let emulator = authing_emulator::Emulator::start()?;
    /// emulator.advance_clock(Duration::from_secs(3600));
    /// let ahead = emulator.now().duration_since(SystemTime::now()).unwrap();
    /// assert!(ahead > Duration::from_secs(3590));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn now(&self) -> SystemTime {
        self.server.shared.state().now()
    }

    /// Makes the next `times` requests to `path` (exact path, no query) fail with `fault`.
    /// Faults queued for one path are served in order.
    ///
    /// ```
    /// use authing_emulator::{Emulator, Fault};
    /// let emulator = Emulator::start()?;
    /// emulator.inject_fault("/api/v3/send-sms", Fault::DropConnection, 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn inject_fault(&self, path: &str, fault: Fault, times: u32) {
        self.server.shared.state().inject_fault(path, fault, times);
    }

    /// Brings everything back to a fresh start: users (back to the configured ones), codes,
    /// cooldowns, tokens, clock offset, faults and statistics.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// emulator.reset();
    /// assert!(!emulator.check_password("alice@example.com", "secret-1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reset(&self) {
        self.server.shared.reset();
    }

    /// Closes every connection waiting for its next request, as a server does when its
    /// keep-alive time runs out, and answers how many it closed; a connection in the middle
    /// of a request is left alone. A client's next call then connects again (under
    /// [`tls`](EmulatorConfig::tls), resuming its TLS session if it kept one: see
    /// [`EmulatorStats::resumed_handshakes`]). Admin API: `POST
    /// /emulator/v1/connections/close-idle`.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.close_idle_connections(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn close_idle_connections(&self) -> usize {
        self.server.shared.close_idle()
    }

    /// Request, connection and TLS handshake counts since the start or the last reset.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.stats().requests, 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stats(&self) -> EmulatorStats {
        self.server.shared.stats()
    }
}

#[allow(dead_code)]
fn _ensure_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<Emulator>();
    check::<EmulatorConfig>();
    check::<Fault>();
    check::<Upload>();
}

/// Something that names one user: a user id, a username, an email, a phone number (with
/// or without country code), a directory account name, or a [`NewUser`] (its email, else
/// its phone, else its username, else its directory account name).
///
/// When the text names several users (an AD account and a username both `test`, an
/// all-digit username that is another user's phone number), the [`Emulator`] methods pick
/// one by kind of name, in this order: user id, username, email, phone number, directory
/// account name; within a kind, the oldest user. (The admin HTTP API answers 409 with the
/// candidates' ids instead.)
///
/// ```
/// use authing_emulator::{NewUser, UserIdentity};
/// assert_eq!("a@b.com".identity(), "a@b.com");
/// assert_eq!(NewUser::with_phone("+86", "18812345678", "pw").identity(), "+8618812345678");
/// ```
pub trait UserIdentity {
    /// The text that names the user, matched like [`Emulator::latest_code`] matches.
    fn identity(&self) -> String;
}

impl UserIdentity for str {
    fn identity(&self) -> String {
        self.to_owned()
    }
}

impl UserIdentity for String {
    fn identity(&self) -> String {
        self.clone()
    }
}

impl UserIdentity for NewUser {
    fn identity(&self) -> String {
        if let Some(email) = &self.email {
            return email.clone();
        }
        if let Some(number) = &self.phone_number {
            let cc = self.phone_country_code.as_deref().unwrap_or("+86");
            let cc = cc.trim().trim_start_matches('+');
            return format!("+{cc}{number}");
        }
        self.username
            .clone()
            .or_else(|| self.sam_account_name.clone())
            .unwrap_or_default()
    }
}

/// A fault served instead of (or before) the normal answer.
///
/// ```
/// use std::time::Duration;
/// use authing_emulator::Fault;
/// let faults = [
///     Fault::Delay(Duration::from_millis(200)),
///     Fault::DropConnection,
///     Fault::Status { status: 502, body: "<html>bad gateway</html>".into() },
///     Fault::MalformedBody,
///     Fault::Panic,
/// ];
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then answer normally. Dropping the emulator cuts the wait short
    /// and closes the connection without an answer.
    Delay(Duration),
    /// Close the socket without any response: the client fails at once with an I/O error.
    DropConnection,
    /// Answer with this raw HTTP status and raw body (no envelope).
    Status {
        /// The HTTP status code.
        status: u16,
        /// The body, sent as is.
        body: String,
    },
    /// Answer HTTP 200 with a body that is not JSON.
    MalformedBody,
    /// Panic in the request's handler, on purpose: the emulator catches it, answers
    /// HTTP 500 with an envelope (`statusCode` 500, `message`, `requestId`) and closes
    /// the connection. The panic's message goes to stderr like any panic's. For testing
    /// how a client meets a server error, and that the emulator survives one.
    Panic,
    /// Hold the request until the [`Gate`] opens, then answer normally: for acting at a
    /// known moment while a request is on the server (see [`Gate`]). In-process only: the
    /// admin API has no way to name a gate.
    Hold(Gate),
}

/// A verification code the emulator sent.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// for code in emulator.issued_codes() {
///     println!("{} {:?} {}", code.channel, code.email, code.code);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The channel, e.g. `CHANNEL_RESET_PASSWORD`.
    pub channel: String,
    /// The email it went to (lowercase), for email codes.
    pub email: Option<String>,
    /// The phone number it went to, for SMS codes.
    pub phone_number: Option<String>,
    /// The country code (always with `+`), for SMS codes.
    pub phone_country_code: Option<String>,
    /// The code itself.
    pub code: String,
    /// When it expires, in emulator time (see [`Emulator::advance_clock`]).
    pub expires_at: SystemTime,
    /// Whether it can no longer be used: spent by a successful verification, or voided
    /// after too many wrong tries.
    pub used: bool,
}

/// Traffic counters.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// let stats = emulator.stats();
/// assert_eq!((stats.requests, stats.connections, stats.refused_connections), (0, 0, 0));
/// assert_eq!((stats.tls_connections, stats.full_handshakes, stats.resumed_handshakes), (0, 0, 0));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmulatorStats {
    /// HTTP requests received (admin requests included).
    pub requests: u64,
    /// Distinct TCP connections that carried at least one request.
    pub connections: u64,
    /// Connections answered 503 and closed because
    /// [`max_connections`](EmulatorConfig::max_connections) were open.
    pub refused_connections: u64,
    /// TLS connections whose handshake completed ([`EmulatorConfig::tls`]; 0 over plain
    /// http): `full_handshakes + resumed_handshakes`. A handshake the client broke off (a
    /// certificate it does not trust) is not counted.
    pub tls_connections: u64,
    /// TLS handshakes done in full: certificate sent and verified, new keys agreed.
    pub full_handshakes: u64,
    /// TLS handshakes that resumed a session of an earlier connection (a TLS 1.3
    /// pre-shared key, a TLS 1.2 ticket or session id): no certificate sent.
    pub resumed_handshakes: u64,
}

/// Why the emulator refused an admin operation.
///
/// ```
/// use authing_emulator::{Emulator, EmulatorError, NewUser};
/// let emulator = Emulator::start()?;
/// let err = emulator.add_user(NewUser::with_email("not-an-email", "pw")).unwrap_err();
/// assert!(matches!(err, EmulatorError::InvalidUser(_)));
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmulatorError {
    /// The user has no identity, or a malformed username, email, phone or directory
    /// account.
    #[error("invalid user: {0}")]
    InvalidUser(String),
    /// Another user already has this username, email, phone or directory account.
    #[error("a user with {0} already exists")]
    DuplicateUser(String),
    /// A phone action on a QR code was refused (see
    /// [`Emulator::change_qr_code_status`]): no such code or user, an expired code, one
    /// already authorized or cancelled, `CONFIRM` or `CANCEL` before `SCAN`, or another
    /// user's code.
    #[error("qr code action refused: {0}")]
    QrCode(String),
    /// A phone action on a push was refused (see [`Emulator::change_push_code_status`]):
    /// no such push or user, an expired push, or one already authorized or cancelled.
    #[error("push action refused: {0}")]
    PushCode(String),
    /// A [`HostedBrowser`] got no answer, or a page that was not what a person would expect
    /// (no login or consent form, a consent that did not redirect).
    #[error("the hosted browser: {0}")]
    Browser(String),
}
