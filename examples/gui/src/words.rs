//! An answer's failure in words a user understands, never raw JSON: the known cases get a
//! sentence of our own in the window's language; anything else gets a lead-in and the
//! server's own message (which the client asked for in the window's language).

use authing::{ApiCode, AuthError, AuthResponse, OidcError};

use crate::text::Language;

/// The sentence to show for a failed `response`; `None` when it succeeded.
pub(crate) fn failure(lang: Language, response: &AuthResponse) -> Option<String> {
    let t = lang.text();
    let error = response.error()?;
    let words = match error {
        AuthError::Api(api) => match api.api_code {
            Some(ApiCode::WRONG_VERIFY_CODE) => t.err_wrong_code.to_owned(),
            Some(ApiCode::VERIFY_CODE_EXPIRED) => t.err_expired_code.to_owned(),
            Some(ApiCode::WRONG_PASSWORD) | Some(ApiCode::WRONG_ACCOUNT_OR_PASSWORD) => {
                t.err_wrong_password.to_owned()
            }
            Some(ApiCode::USER_NOT_FOUND) => t.err_no_user.to_owned(),
            Some(ApiCode::USER_LOCKED) => t.err_locked.to_owned(),
            Some(ApiCode::WRONG_TOTP_CODE) => t.err_wrong_totp.to_owned(),
            Some(ApiCode::WRONG_TOTP_RECOVERY_CODE) => t.err_wrong_recovery.to_owned(),
            _ if api.is_throttled() => t.err_too_often.to_owned(),
            _ if api.status_code >= 500 => t.err_server.to_owned(),
            _ => format!("{} {}", t.err_other, api.message),
        },
        AuthError::HttpStatus { status } if *status >= 500 => t.err_server.to_owned(),
        AuthError::UnreadableBody { .. } | AuthError::UnexpectedResponse { .. } => {
            t.err_server.to_owned()
        }
        AuthError::Connection { .. } => t.err_offline.to_owned(),
        AuthError::Timeout { .. } => t.err_timeout.to_owned(),
        AuthError::InvalidInput(input) => format!("{} {input}", t.err_input),
        AuthError::Config(_) => t.err_not_configured.to_owned(),
        AuthError::Cancelled => t.cancelled.to_owned(),
        AuthError::QrCodeNotAuthorized { .. } => t.err_qr_not_authorized.to_owned(),
        AuthError::NotSignedIn { .. } => t.err_not_signed_in.to_owned(),
        // The browser sign-in: the user pressed "Deny" on the consent page (any other OAuth
        // error the browser brings back shows the SDK's message after the lead-in).
        AuthError::Oidc(OidcError::Denied { error, .. }) if error == "access_denied" => {
            t.err_browser_declined.to_owned()
        }
        AuthError::Oidc(OidcError::TimedOut(_)) => t.err_browser_timeout.to_owned(),
        AuthError::Oidc(OidcError::Browser(_)) => t.err_browser.to_owned(),
        other => format!("{} {other}", t.err_other),
    };
    Some(words)
}
