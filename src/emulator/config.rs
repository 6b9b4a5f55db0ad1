//! Settings of an emulator, with their documented defaults.

use std::time::Duration;

use super::session_config::SessionConfig;
use super::NewUser;

/// The application id an emulator answers to unless told otherwise.
pub const DEFAULT_APP_ID: &str = "demo-app";
/// The user pool id an emulator reports unless told otherwise.
pub const DEFAULT_USER_POOL_ID: &str = "emulator-user-pool";

/// Settings of an [`Emulator`](super::Emulator).
///
/// Every setting has a default that mirrors Authing's own behaviour where it is public;
/// the setters chain.
///
/// | setting | default |
/// |---|---|
/// | [`app_id`](Self::app_id) | `"demo-app"` |
/// | [`user_pool_id`](Self::user_pool_id) | `"emulator-user-pool"` |
/// | [`code_length`](Self::code_length) | 6 digits |
/// | [`sms_code_ttl`](Self::sms_code_ttl) | 60 s |
/// | [`email_code_ttl`](Self::email_code_ttl) | 300 s |
/// | [`send_cooldown`](Self::send_cooldown) | 60 s per target and channel |
/// | [`max_code_attempts`](Self::max_code_attempts) | 5 wrong tries, then the code is void |
/// | [`reset_token_ttl`](Self::reset_token_ttl) | 600 s |
/// | [`password_length`](Self::password_length) | 6..=128 characters |
/// | [`max_body_bytes`](Self::max_body_bytes) | 65 536 bytes |
/// | [`print_codes`](Self::print_codes) | off |
/// | [`user`](Self::user) | no users |
/// | [`app_secret`](Self::app_secret) | `"demo-app-secret"` |
/// | [`access_token_ttl`](Self::access_token_ttl) | 7 200 s |
/// | [`refresh_token_ttl`](Self::refresh_token_ttl) | 30 days |
/// | [`lock_threshold`](Self::lock_threshold) | 5 wrong passwords |
/// | [`lock_duration`](Self::lock_duration) | 600 s |
/// | [`reveal_unknown_accounts`](Self::reveal_unknown_accounts) | off (2333 for both) |
/// | [`password_hash_iterations`](Self::password_hash_iterations) | 1 000 |
///
/// ```
/// use std::time::Duration;
/// use authing::emulator::EmulatorConfig;
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
    pub(crate) print_codes: bool,
    pub(crate) users: Vec<NewUser>,
    /// Sign-up, sign-in and session settings (`session_config.rs`).
    pub(crate) session: SessionConfig,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            app_id: DEFAULT_APP_ID.to_owned(),
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
            print_codes: false,
            users: Vec::new(),
            session: SessionConfig::default(),
        }
    }
}

impl EmulatorConfig {
    /// Sets the only application id the emulator accepts (header `x-authing-app-id`).
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default().app_id("my-app");
    /// assert_eq!(config.get_app_id(), "my-app");
    /// ```
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = app_id.into();
        self
    }

    /// Sets the user pool id reported by the public config.
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default().user_pool_id("pool-1");
    /// assert_eq!(config.get_user_pool_id(), "pool-1");
    /// ```
    pub fn user_pool_id(mut self, user_pool_id: impl Into<String>) -> Self {
        self.user_pool_id = user_pool_id.into();
        self
    }

    /// Sets how many digits a verification code has (at least 1; default 6).
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default().code_length(4);
    /// ```
    pub fn code_length(mut self, digits: usize) -> Self {
        self.code_length = digits.max(1);
        self
    }

    /// Sets how long an SMS code stays valid (default 60 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing::emulator::EmulatorConfig::default().sms_code_ttl(Duration::from_secs(90));
    /// ```
    pub fn sms_code_ttl(mut self, ttl: Duration) -> Self {
        self.sms_code_ttl = ttl;
        self
    }

    /// Sets how long an email code stays valid (default 300 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing::emulator::EmulatorConfig::default().email_code_ttl(Duration::from_secs(600));
    /// ```
    pub fn email_code_ttl(mut self, ttl: Duration) -> Self {
        self.email_code_ttl = ttl;
        self
    }

    /// Sets the minimum time between two sends to the same target on the same channel
    /// (default 60 s; zero turns the limit off).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing::emulator::EmulatorConfig::default().send_cooldown(Duration::ZERO);
    /// ```
    pub fn send_cooldown(mut self, cooldown: Duration) -> Self {
        self.send_cooldown = cooldown;
        self
    }

    /// Sets how many wrong tries void a code (at least 1; default 5).
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default().max_code_attempts(3);
    /// ```
    pub fn max_code_attempts(mut self, attempts: u32) -> Self {
        self.max_code_attempts = attempts.max(1);
        self
    }

    /// Sets how long a password reset token stays valid (default 600 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing::emulator::EmulatorConfig::default().reset_token_ttl(Duration::from_secs(60));
    /// ```
    pub fn reset_token_ttl(mut self, ttl: Duration) -> Self {
        self.reset_token_ttl = ttl;
        self
    }

    /// Sets the accepted password length in characters (Unicode scalar values),
    /// both ends included (default 6..=128).
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default().password_length(8, 64);
    /// ```
    pub fn password_length(mut self, min: usize, max: usize) -> Self {
        self.password_min = min;
        self.password_max = max.max(min);
        self
    }

    /// Sets the largest request body accepted; larger bodies get statusCode 413
    /// (default 64 KiB).
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default().max_body_bytes(1024);
    /// ```
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Prints every issued code to stdout as `code: <channel> <target> <code>`
    /// (default off; the `authing-emulator` binary turns it on).
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default().print_codes(true);
    /// ```
    pub fn print_codes(mut self, on: bool) -> Self {
        self.print_codes = on;
        self
    }

    /// Adds a user present from the start and again after every
    /// [`reset`](super::Emulator::reset).
    ///
    /// ```
    /// use authing::emulator::{EmulatorConfig, NewUser};
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
    /// assert_eq!(authing::emulator::EmulatorConfig::default().get_app_id(), "demo-app");
    /// ```
    pub fn get_app_id(&self) -> &str {
        &self.app_id
    }

    /// The user pool id the emulator reports.
    ///
    /// ```
    /// let config = authing::emulator::EmulatorConfig::default();
    /// assert_eq!(config.get_user_pool_id(), "emulator-user-pool");
    /// ```
    pub fn get_user_pool_id(&self) -> &str {
        &self.user_pool_id
    }
}
