//! QR-code sign-in's words and answers: [`Action`] (what the phone does to a code),
//! [`QrCodeStatus`] (where a code is), [`QrCode`] (a generated code) and [`QrCodeState`]
//! (a status check's answer).

use super::wire_enum::wire_enum;
use std::fmt;

use serde_json::Value;

use crate::error::AuthError;
use crate::redact::REDACTED;
use crate::response::AuthResponse;

/// The longest `qrcodeId` accepted from the server, in bytes: it must fit in a QR code
/// (one of version 40 holds 2,953 bytes; ids are tens of bytes).
const MAX_QRCODE_ID_LEN: usize = 1024;

wire_enum! {
    /// What the phone does to a QR code (Java: `Action`), the `action` of
    /// `POST /api/v3/change-qrcode-status`.
    ///
    /// `SCAN` first, right after the phone read the code (the desktop then shows "confirm on
    /// your phone"); then `CONFIRM` (sign the desktop in) or `CANCEL`. The constants keep
    /// Java's spelling, which is also the wire value and what `Debug` and `Display` print.
    ///
    /// ```
    /// use authing::Action;
    /// assert_eq!(Action::SCAN.as_str(), "SCAN");
    /// assert_eq!(format!("{:?}", Action::CONFIRM), "CONFIRM");
    /// assert_eq!(Action::ALL, &[Action::SCAN, Action::CONFIRM, Action::CANCEL]);
    /// ```
    Action {
        /// The phone read the code (`SCAN`).
        SCAN,
        /// The user agreed to sign the desktop in (`CONFIRM`); needs `SCAN` first.
        CONFIRM,
        /// The user refused (`CANCEL`); needs `SCAN` first.
        CANCEL,
    }
}

wire_enum! {
    /// Where a QR code is (the spec's `status` of `check-qrcode-status`), in the order a
    /// code goes through them: `PENDING` (not scanned yet), `SCANNED` (waiting for the
    /// user to confirm on the phone), then one of `AUTHORIZED`, `CANCELLED`, `EXPIRED`, or
    /// `ERROR` (the server's "unknown error").
    ///
    /// ```
    /// use authing::QrCodeStatus;
    /// assert_eq!(QrCodeStatus::SCANNED.as_str(), "SCANNED");
    /// assert!(QrCodeStatus::EXPIRED.is_final());
    /// assert!(!QrCodeStatus::PENDING.is_final());
    /// ```
    QrCodeStatus {
        /// Not scanned yet.
        PENDING,
        /// Scanned; the user has not confirmed or cancelled yet.
        SCANNED,
        /// The user confirmed: a ticket can be exchanged for tokens.
        AUTHORIZED,
        /// The user cancelled on the phone.
        CANCELLED,
        /// The code expired before the user confirmed it.
        EXPIRED,
        /// The server reports an error for the code.
        ERROR,
    }
}

impl QrCodeStatus {
    /// Whether the code stays in this status for good: everything but `PENDING` and
    /// `SCANNED`.
    ///
    /// ```
    /// assert!(authing::QrCodeStatus::AUTHORIZED.is_final());
    /// ```
    pub fn is_final(self) -> bool {
        !matches!(self, QrCodeStatus::PENDING | QrCodeStatus::SCANNED)
    }
}

/// A QR code to sign in with, as `gene_qr_code` answers it (the spec's
/// `GeneQRCodeDataDto`): its id, the server's image URL, and what to draw.
///
/// - [`url`](QrCode::url) is the server's `url`. On Authing it is an image of the code that
///   a GUI can show as it is; the emulator serves a JSON description of the code there
///   instead (it draws no images).
/// - [`content`](QrCode::content) is the text to encode when the app draws the code itself:
///   the `qrcodeId` **(our choice: Authing does not publish what its images encode)**. The
///   phone app reads it and calls `change_qr_code_status(qrcode_id, ..)` with it. With the
///   cargo feature `qrcode`, [`to_svg`](QrCode::to_svg),
///   [`to_terminal_string`](QrCode::to_terminal_string) and
///   [`to_matrix`](QrCode::to_matrix) draw it.
///
/// ```no_run
/// # let response = authing::AuthClient::new().gene_qr_code_blocking(None);
/// let code = response.qr_code()?;
/// println!("show {} (id {})", code.url(), code.qrcode_id());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    qrcode_id: String,
    url: String,
    custom_logo_url: Option<String>,
}

impl QrCode {
    /// The code in the `data` of a `gene-qrcode` answer.
    pub(crate) fn from_response(response: &AuthResponse) -> Result<QrCode, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let data = response
            .data()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        let qrcode_id = match data.get("qrcodeId") {
            Some(Value::String(id)) if !id.is_empty() && id.len() <= MAX_QRCODE_ID_LEN => {
                id.clone()
            }
            Some(Value::String(_)) => {
                return Err(unexpected(
                    "qrcodeId is empty or longer than a qr code holds",
                ))
            }
            _ => return Err(unexpected("the answer has no qrcodeId")),
        };
        let url = match data.get("url") {
            Some(Value::String(url)) => url.clone(),
            _ => return Err(unexpected("the answer has no url")),
        };
        let custom_logo_url = data
            .get("customLogoUrl")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        Ok(QrCode {
            qrcode_id,
            url,
            custom_logo_url,
        })
    }

    /// The code's id (`qrcodeId`), for `check_qr_code_status` and the phone's
    /// `change_qr_code_status`.
    ///
    /// ```no_run
    /// # fn f(code: authing::QrCode) {
    /// println!("{}", code.qrcode_id());
    /// # }
    /// ```
    pub fn qrcode_id(&self) -> &str {
        &self.qrcode_id
    }

    /// The server's `url`: on Authing an image of the code to show as it is.
    ///
    /// ```no_run
    /// # fn f(code: authing::QrCode) {
    /// println!("<img src=\"{}\">", code.url());
    /// # }
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's `customLogoUrl`, a logo to lay over the code, when it sent one.
    ///
    /// ```no_run
    /// # fn f(code: authing::QrCode) {
    /// if let Some(logo) = code.custom_logo_url() { println!("logo: {logo}"); }
    /// # }
    /// ```
    pub fn custom_logo_url(&self) -> Option<&str> {
        self.custom_logo_url.as_deref()
    }

    /// The text to encode when the app draws the code itself: the `qrcodeId` (see the type's
    /// docs).
    ///
    /// ```no_run
    /// # fn f(code: authing::QrCode) {
    /// assert_eq!(code.content(), code.qrcode_id());
    /// # }
    /// ```
    pub fn content(&self) -> &str {
        &self.qrcode_id
    }
}

/// The answer of `check_qr_code_status` (the spec's `CheckQRCodeStatusDataDto`): the
/// status, who scanned (display name and photo, from `SCANNED` on), and, once
/// `AUTHORIZED`, the ticket to exchange for tokens (or, when the app's console says so,
/// the tokens themselves).
///
/// The ticket is a secret (it signs someone in): `Debug` hides it.
///
/// ```no_run
/// # let response = authing::AuthClient::new().check_qr_code_status_blocking("qrcode-id");
/// let state = response.qr_code_state()?;
/// if state.status() == authing::QrCodeStatus::SCANNED {
///     println!("{}, confirm on your phone", state.display_name().unwrap_or("someone"));
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct QrCodeState {
    status: QrCodeStatus,
    ticket: Option<String>,
    display_name: Option<String>,
    photo: Option<String>,
    token_set: Option<Value>,
}

impl QrCodeState {
    /// The state in the `data` of a `check-qrcode-status` answer.
    pub(crate) fn from_response(response: &AuthResponse) -> Result<QrCodeState, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let data = response
            .data()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        let status = match data.get("status") {
            Some(Value::String(text)) => QrCodeStatus::from_wire(text)
                .ok_or_else(|| unexpected("status is not one the spec lists"))?,
            _ => return Err(unexpected("the answer has no status")),
        };
        let text = |v: Option<&Value>| {
            v.and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let brief = data.get("briefUserInfo");
        Ok(QrCodeState {
            status,
            ticket: text(data.get("ticket")),
            display_name: text(brief.and_then(|b| b.get("displayName"))),
            photo: text(brief.and_then(|b| b.get("photo"))),
            token_set: data.get("tokenSet").filter(|t| t.is_object()).cloned(),
        })
    }

    /// The code's status.
    ///
    /// ```no_run
    /// # fn f(state: authing::QrCodeState) {
    /// println!("{}", state.status());
    /// # }
    /// ```
    pub fn status(&self) -> QrCodeStatus {
        self.status
    }

    /// The ticket to exchange for tokens (`exchange_token_set_with_qr_code`), once
    /// `AUTHORIZED`. A secret: never log it.
    ///
    /// ```no_run
    /// # fn f(state: authing::QrCodeState) {
    /// let has_ticket = state.ticket().is_some();
    /// # }
    /// ```
    pub fn ticket(&self) -> Option<&str> {
        self.ticket.as_deref()
    }

    /// The display name of the user who scanned (`briefUserInfo.displayName`).
    ///
    /// ```no_run
    /// # fn f(state: authing::QrCodeState) {
    /// println!("{}", state.display_name().unwrap_or("someone"));
    /// # }
    /// ```
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// The photo URL of the user who scanned (`briefUserInfo.photo`).
    ///
    /// ```no_run
    /// # fn f(state: authing::QrCodeState) {
    /// if let Some(photo) = state.photo() { println!("{photo}"); }
    /// # }
    /// ```
    pub fn photo(&self) -> Option<&str> {
        self.photo.as_deref()
    }

    /// The tokens, when the server sent them in place of a ticket (`tokenSet`: the
    /// console's "Web polling returns the full user information" switch). Secrets.
    pub(crate) fn token_set(&self) -> Option<&Value> {
        self.token_set.as_ref()
    }
}

impl fmt::Debug for QrCodeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrCodeState")
            .field("status", &self.status)
            .field("ticket", &self.ticket.as_ref().map(|_| REDACTED))
            .field("display_name", &self.display_name)
            .field("photo", &self.photo)
            .field("token_set", &self.token_set.as_ref().map(|_| REDACTED))
            .finish()
    }
}

fn unexpected(reason: &str) -> AuthError {
    AuthError::UnexpectedResponse {
        reason: reason.to_string(),
    }
}

// The typed views of the QR family's answers.
impl AuthResponse {
    /// The typed answer of `gene_qr_code`: the new QR code.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().gene_qr_code_blocking(None);
    /// match response.qr_code() {
    ///     Ok(code) => println!("scan {}", code.content()),
    ///     Err(error) => println!("{error}"),
    /// }
    /// ```
    pub fn qr_code(&self) -> Result<QrCode, AuthError> {
        QrCode::from_response(self)
    }

    /// The typed answer of `check_qr_code_status`: the code's status, who scanned, the
    /// ticket once authorized.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().check_qr_code_status_blocking("id");
    /// if let Ok(state) = response.qr_code_state() {
    ///     println!("{}", state.status());
    /// }
    /// ```
    pub fn qr_code_state(&self) -> Result<QrCodeState, AuthError> {
        QrCodeState::from_response(self)
    }
}
