//! The desktop's QR sign-in flow: its settings ([`QrCodeSignInOptions`]) and what it tells
//! the app as the code changes ([`QrCodeUpdate`]).

use std::time::Duration;

use serde_json::Value;

use crate::error::InputError;
use crate::model::{QrCode, QrCodeState, QrCodeStatus};

/// The default time between two status checks: 1 second.
pub const DEFAULT_QR_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// The default longest wait for a final status: 10 minutes.
pub const DEFAULT_QR_TIMEOUT: Duration = Duration::from_secs(600);

/// The shortest poll interval accepted.
const MIN_INTERVAL: Duration = Duration::from_millis(50);
/// The longest poll interval accepted.
const MAX_INTERVAL: Duration = Duration::from_secs(60);
/// The shortest and longest overall wait accepted.
const MIN_TIMEOUT: Duration = Duration::from_millis(100);
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// Settings of [`sign_in_by_qr_code`](crate::AuthClient::sign_in_by_qr_code). Pass `None`
/// for the defaults.
///
/// | setting | default | what it does |
/// |---|---|---|
/// | [`set_interval`](Self::set_interval) | 1 s ([`DEFAULT_QR_POLL_INTERVAL`]) | the pause between the end of one status check and the start of the next (50 ms to 60 s) |
/// | [`set_timeout`](Self::set_timeout) | 10 min ([`DEFAULT_QR_TIMEOUT`]) | how long to poll at most when the server never says a final status (100 ms to 24 h) |
/// | [`set_custom_data`](Self::set_custom_data) | unset | `customData` of `gene-qrcode`, stored on the user who confirms (a JSON object) |
///
/// One check a second is what a person notices as "at once" while costing the server
/// little (Authing's own JavaScript SDK polls every 0.8 s). The server expires a code on its
/// own (the emulator after 2 minutes); the timeout only guards against a server that never
/// says so. Checked when the call starts (status code 10010, nothing sent).
///
/// ```
/// use std::time::Duration;
/// let mut options = authing::QrCodeSignInOptions::new();
/// options.set_interval(Duration::from_millis(500)).set_timeout(Duration::from_secs(180));
/// assert_eq!(options.interval(), Duration::from_millis(500));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct QrCodeSignInOptions {
    interval: Duration,
    timeout: Duration,
    custom_data: Option<Value>,
}

impl Default for QrCodeSignInOptions {
    fn default() -> QrCodeSignInOptions {
        QrCodeSignInOptions {
            interval: DEFAULT_QR_POLL_INTERVAL,
            timeout: DEFAULT_QR_TIMEOUT,
            custom_data: None,
        }
    }
}

impl QrCodeSignInOptions {
    /// The defaults: a check every second, for at most 10 minutes, no custom data.
    ///
    /// ```
    /// let options = authing::QrCodeSignInOptions::new();
    /// assert_eq!(options.timeout(), authing::DEFAULT_QR_TIMEOUT);
    /// ```
    pub fn new() -> QrCodeSignInOptions {
        QrCodeSignInOptions::default()
    }

    /// Sets the pause between two status checks (50 ms to 60 s).
    ///
    /// ```
    /// authing::QrCodeSignInOptions::new().set_interval(std::time::Duration::from_secs(2));
    /// ```
    pub fn set_interval(&mut self, interval: Duration) -> &mut Self {
        self.interval = interval;
        self
    }

    /// The pause between two status checks.
    ///
    /// ```
    /// assert_eq!(authing::QrCodeSignInOptions::new().interval(), authing::DEFAULT_QR_POLL_INTERVAL);
    /// ```
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Sets the longest time to poll without a final status (100 ms to 24 h).
    ///
    /// ```
    /// authing::QrCodeSignInOptions::new().set_timeout(std::time::Duration::from_secs(300));
    /// ```
    pub fn set_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// The longest time to poll without a final status.
    ///
    /// ```
    /// assert_eq!(authing::QrCodeSignInOptions::new().timeout(), authing::DEFAULT_QR_TIMEOUT);
    /// ```
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sets custom data to store on the user who confirms, a JSON object (`customData` of
    /// `gene-qrcode`).
    ///
    /// ```
    /// authing::QrCodeSignInOptions::new().set_custom_data(serde_json::json!({"device": "desk-7"}));
    /// ```
    pub fn set_custom_data(&mut self, custom_data: impl Into<Value>) -> &mut Self {
        self.custom_data = Some(custom_data.into());
        self
    }

    /// The custom data.
    ///
    /// ```
    /// assert!(authing::QrCodeSignInOptions::new().custom_data().is_none());
    /// ```
    pub fn custom_data(&self) -> Option<&Value> {
        self.custom_data.as_ref()
    }

    /// The settings, checked.
    pub(crate) fn check(&self) -> Result<(), InputError> {
        check_timing(self.interval, self.timeout)?;
        check_custom_data(self.custom_data.as_ref())
    }
}

/// A polling flow's interval (50 ms to 60 s) and timeout (100 ms to 24 h), checked; the
/// QR and the push sign-in flows share the bounds.
pub(crate) fn check_timing(interval: Duration, timeout: Duration) -> Result<(), InputError> {
    if !(MIN_INTERVAL..=MAX_INTERVAL).contains(&interval) {
        return Err(InputError::new("interval", "must be from 50 ms to 60 s"));
    }
    if !(MIN_TIMEOUT..=MAX_TIMEOUT).contains(&timeout) {
        return Err(InputError::new("timeout", "must be from 100 ms to 24 h"));
    }
    Ok(())
}

/// `customData` must be a JSON object when given.
pub(crate) fn check_custom_data(custom_data: Option<&Value>) -> Result<(), InputError> {
    match custom_data {
        Some(data) if !data.is_object() => {
            Err(InputError::new("custom_data", "must be a json object"))
        }
        _ => Ok(()),
    }
}

/// What [`sign_in_by_qr_code`](crate::AuthClient::sign_in_by_qr_code) tells the app each time
/// the code changes: the code (to draw while `PENDING`), its status, and who scanned.
///
/// The first update comes as soon as the code exists, with status `PENDING`: draw the code
/// then. Each later status the server reports comes once, in the order seen (a status that
/// came and went between two checks is not seen: `PENDING` may be followed by `AUTHORIZED`
/// directly). A final status (`AUTHORIZED`, `CANCELLED`, `EXPIRED`, `ERROR`) is the last
/// update; the call's callback follows.
///
/// ```no_run
/// use authing::{QrCodeStatus, QrCodeUpdate};
/// fn show(update: QrCodeUpdate) {
///     match update.status() {
///         QrCodeStatus::PENDING => println!("scan this: {}", update.qr_code().content()),
///         QrCodeStatus::SCANNED => println!("{}: confirm on your phone", update.display_name().unwrap_or("?")),
///         other => println!("{other}"),
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct QrCodeUpdate {
    qr_code: QrCode,
    status: QrCodeStatus,
    display_name: Option<String>,
    photo: Option<String>,
}

impl QrCodeUpdate {
    /// The first update: the new code, `PENDING`.
    pub(crate) fn generated(qr_code: &QrCode) -> QrCodeUpdate {
        QrCodeUpdate {
            qr_code: qr_code.clone(),
            status: QrCodeStatus::PENDING,
            display_name: None,
            photo: None,
        }
    }

    /// A later update, from a status check.
    pub(crate) fn checked(qr_code: &QrCode, state: &QrCodeState) -> QrCodeUpdate {
        QrCodeUpdate {
            qr_code: qr_code.clone(),
            status: state.status(),
            display_name: state.display_name().map(str::to_string),
            photo: state.photo().map(str::to_string),
        }
    }

    /// The code.
    ///
    /// ```no_run
    /// # fn f(update: authing::QrCodeUpdate) {
    /// println!("{}", update.qr_code().qrcode_id());
    /// # }
    /// ```
    pub fn qr_code(&self) -> &QrCode {
        &self.qr_code
    }

    /// Its status now.
    ///
    /// ```no_run
    /// # fn f(update: authing::QrCodeUpdate) {
    /// println!("{}", update.status());
    /// # }
    /// ```
    pub fn status(&self) -> QrCodeStatus {
        self.status
    }

    /// The display name of the user who scanned, from `SCANNED` on.
    ///
    /// ```no_run
    /// # fn f(update: authing::QrCodeUpdate) {
    /// println!("{}", update.display_name().unwrap_or("someone"));
    /// # }
    /// ```
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// The photo URL of the user who scanned, from `SCANNED` on.
    ///
    /// ```no_run
    /// # fn f(update: authing::QrCodeUpdate) {
    /// if let Some(photo) = update.photo() { println!("{photo}"); }
    /// # }
    /// ```
    pub fn photo(&self) -> Option<&str> {
        self.photo.as_deref()
    }
}
