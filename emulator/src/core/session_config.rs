//! The settings of sign-up, sign-in and the session, with their documented defaults.

use std::time::Duration;

use crate::EmulatorConfig;

/// The application secret an emulator accepts unless told otherwise.
pub const DEFAULT_APP_SECRET: &str = "demo-app-secret";

/// Sign-up, sign-in and session settings, one field of [`EmulatorConfig`].
#[derive(Debug, Clone)]
pub(crate) struct SessionConfig {
    pub(crate) app_secret: String,
    pub(crate) access_token_ttl: Duration,
    pub(crate) refresh_token_ttl: Duration,
    pub(crate) lock_threshold: u32,
    pub(crate) lock_duration: Duration,
    pub(crate) reveal_unknown_accounts: bool,
    pub(crate) password_hash_iterations: u32,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            app_secret: DEFAULT_APP_SECRET.to_owned(),
            access_token_ttl: Duration::from_secs(7200),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            lock_threshold: 5,
            lock_duration: Duration::from_secs(600),
            reveal_unknown_accounts: false,
            password_hash_iterations: 1_000,
        }
    }
}

impl EmulatorConfig {
    /// Sets the application secret checked when a client authenticates itself at
    /// `/api/v3/signin`, `/oidc/token` and `/oidc/token/revocation` (`client_secret` in the
    /// body, or HTTP Basic); a client that sends no secret is accepted too (method `none`).
    /// Default `"demo-app-secret"`.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().app_secret("s3cret");
    /// assert_eq!(config.get_app_secret(), "s3cret");
    /// ```
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.session.app_secret = secret.into();
        self
    }

    /// Sets how long access and id tokens stay valid (`expire_in`; default 7 200 s, the
    /// spec's example).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default()
    ///     .access_token_ttl(Duration::from_secs(60));
    /// ```
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.session.access_token_ttl = ttl;
        self
    }

    /// Sets how long a refresh token stays valid (default 30 days).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default()
    ///     .refresh_token_ttl(Duration::from_secs(3600));
    /// ```
    pub fn refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.session.refresh_token_ttl = ttl;
        self
    }

    /// Sets how many wrong passwords in a row lock an account (default 5; 0 never locks).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().lock_threshold(3);
    /// ```
    pub fn lock_threshold(mut self, attempts: u32) -> Self {
        self.session.lock_threshold = attempts;
        self
    }

    /// Sets how long a locked account stays locked (default 600 s; zero never locks).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = authing_emulator::EmulatorConfig::default()
    ///     .lock_duration(Duration::from_secs(60));
    /// ```
    pub fn lock_duration(mut self, duration: Duration) -> Self {
        self.session.lock_duration = duration;
        self
    }

    /// Whether a password sign-in tells an unknown account (statusCode 404, apiCode 2004)
    /// and a wrong password (403, apiCode 2006) apart. Default off: both answer 403 with
    /// apiCode 2333, "wrong account or password", as the spec's error chapter shows.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().reveal_unknown_accounts(true);
    /// ```
    pub fn reveal_unknown_accounts(mut self, reveal: bool) -> Self {
        self.session.reveal_unknown_accounts = reveal;
        self
    }

    /// Sets the PBKDF2-HMAC-SHA256 rounds of the password hashes (at least 1; default
    /// 1 000, an emulator-only choice that keeps debug-build tests fast).
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default().password_hash_iterations(10);
    /// ```
    pub fn password_hash_iterations(mut self, rounds: u32) -> Self {
        self.session.password_hash_iterations = rounds.max(1);
        self
    }

    /// The application secret the emulator accepts.
    ///
    /// ```
    /// let config = authing_emulator::EmulatorConfig::default();
    /// assert_eq!(config.get_app_secret(), authing_emulator::DEFAULT_APP_SECRET);
    /// ```
    pub fn get_app_secret(&self) -> &str {
        &self.session.app_secret
    }
}
