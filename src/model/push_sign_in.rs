//! The desktop's push sign-in flow: its settings ([`PushSignInOptions`]) and what it tells
//! the app as the push changes ([`PushCodeUpdate`]).

use std::time::Duration;

use crate::error::InputError;
use crate::model::qrcode_sign_in::check_timing;
use crate::model::{AuthOptions, PushCode, PushCodeState, PushCodeStatus};

/// The default time between two status checks: 1 second.
pub const DEFAULT_PUSH_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// The default longest wait for a final status: 10 minutes.
pub const DEFAULT_PUSH_TIMEOUT: Duration = Duration::from_secs(600);

/// Settings of [`sign_in_by_push`](crate::AuthClient::sign_in_by_push). Pass `None` for the
/// defaults.
///
/// | setting | default | what it does |
/// |---|---|---|
/// | [`set_interval`](Self::set_interval) | 1 s ([`DEFAULT_PUSH_POLL_INTERVAL`]) | the pause between the end of one status check and the start of the next (50 ms to 60 s) |
/// | [`set_timeout`](Self::set_timeout) | 10 min ([`DEFAULT_PUSH_TIMEOUT`]) | how long to poll at most when the server never says a final status (100 ms to 24 h) |
/// | [`set_auth_options`](Self::set_auth_options) | unset | the `options` of `signin-by-push`: of an [`AuthOptions`], its scope, context and custom data (the spec's `SignInByPushOptionsDto`) |
///
/// The bounds are the QR flow's ([`QrCodeSignInOptions`](crate::QrCodeSignInOptions)). The
/// server expires a push on its own (`expireTime`, 120 s on the emulator); the timeout only
/// guards against a server that never says so. Checked when the call starts (status code
/// 10010, nothing sent).
///
/// ```
/// use std::time::Duration;
/// let mut options = authing::PushSignInOptions::new();
/// options.set_interval(Duration::from_millis(500)).set_timeout(Duration::from_secs(180));
/// assert_eq!(options.interval(), Duration::from_millis(500));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PushSignInOptions {
    interval: Duration,
    timeout: Duration,
    auth_options: Option<AuthOptions>,
}

impl Default for PushSignInOptions {
    fn default() -> PushSignInOptions {
        PushSignInOptions {
            interval: DEFAULT_PUSH_POLL_INTERVAL,
            timeout: DEFAULT_PUSH_TIMEOUT,
            auth_options: None,
        }
    }
}

impl PushSignInOptions {
    /// The defaults: a check every second, for at most 10 minutes, no `options` sent.
    ///
    /// ```
    /// let options = authing::PushSignInOptions::new();
    /// assert_eq!(options.timeout(), authing::DEFAULT_PUSH_TIMEOUT);
    /// ```
    pub fn new() -> PushSignInOptions {
        PushSignInOptions::default()
    }

    /// Sets the pause between two status checks (50 ms to 60 s).
    ///
    /// ```
    /// authing::PushSignInOptions::new().set_interval(std::time::Duration::from_secs(2));
    /// ```
    pub fn set_interval(&mut self, interval: Duration) -> &mut Self {
        self.interval = interval;
        self
    }

    /// The pause between two status checks.
    ///
    /// ```
    /// assert_eq!(authing::PushSignInOptions::new().interval(), authing::DEFAULT_PUSH_POLL_INTERVAL);
    /// ```
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Sets the longest time to poll without a final status (100 ms to 24 h).
    ///
    /// ```
    /// authing::PushSignInOptions::new().set_timeout(std::time::Duration::from_secs(300));
    /// ```
    pub fn set_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// The longest time to poll without a final status.
    ///
    /// ```
    /// assert_eq!(authing::PushSignInOptions::new().timeout(), authing::DEFAULT_PUSH_TIMEOUT);
    /// ```
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sets the `options` of the push (`signin-by-push`): the scope, context and custom
    /// data of `auth_options` are sent, its other settings are not (the spec's
    /// `SignInByPushOptionsDto` has no others).
    ///
    /// ```
    /// let mut auth = authing::AuthOptions::new();
    /// auth.set_custom_data(serde_json::json!({"device": "desk-7"}));
    /// authing::PushSignInOptions::new().set_auth_options(auth);
    /// ```
    pub fn set_auth_options(&mut self, auth_options: AuthOptions) -> &mut Self {
        self.auth_options = Some(auth_options);
        self
    }

    /// The `options` of the push, when set.
    ///
    /// ```
    /// assert!(authing::PushSignInOptions::new().auth_options().is_none());
    /// ```
    pub fn auth_options(&self) -> Option<&AuthOptions> {
        self.auth_options.as_ref()
    }

    /// The settings, checked (the `options` are checked with the request's body).
    pub(crate) fn check(&self) -> Result<(), InputError> {
        check_timing(self.interval, self.timeout)?;
        if let Some(options) = &self.auth_options {
            options.push_json()?;
        }
        Ok(())
    }
}

/// What [`sign_in_by_push`](crate::AuthClient::sign_in_by_push) tells the app each time the
/// push changes: the push and its status.
///
/// The first update comes as soon as the server sent the push, with status `PUSHED`: tell
/// the user to approve on their phone then. Each later status the server reports comes
/// once, in the order seen. A final status (`AUTHORIZED`, `CANCELLED`, `EXPIRED`, `ERROR`)
/// is the last update; the call's callback follows.
///
/// ```no_run
/// use authing::{PushCodeStatus, PushCodeUpdate};
/// fn show(update: PushCodeUpdate) {
///     match update.status() {
///         PushCodeStatus::PUSHED => println!("approve on your phone ({} s)", update.push_code().expire_time().as_secs()),
///         other => println!("{other}"),
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PushCodeUpdate {
    push_code: PushCode,
    status: PushCodeStatus,
}

impl PushCodeUpdate {
    /// The first update: the push was sent, `PUSHED`.
    pub(crate) fn pushed(push_code: &PushCode) -> PushCodeUpdate {
        PushCodeUpdate {
            push_code: push_code.clone(),
            status: PushCodeStatus::PUSHED,
        }
    }

    /// A later update, from a status check.
    pub(crate) fn checked(push_code: &PushCode, state: &PushCodeState) -> PushCodeUpdate {
        PushCodeUpdate {
            push_code: push_code.clone(),
            status: state.status(),
        }
    }

    /// The push.
    ///
    /// ```no_run
    /// # fn f(update: authing::PushCodeUpdate) {
    /// println!("{}", update.push_code().push_code_id());
    /// # }
    /// ```
    pub fn push_code(&self) -> &PushCode {
        &self.push_code
    }

    /// Its status now.
    ///
    /// ```no_run
    /// # fn f(update: authing::PushCodeUpdate) {
    /// println!("{}", update.status());
    /// # }
    /// ```
    pub fn status(&self) -> PushCodeStatus {
        self.status
    }
}
