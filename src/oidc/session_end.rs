//! The end of the provider's session at sign-out (OpenID Connect RP-Initiated Logout):
//! `GET /oidc/session/end?id_token_hint=<id_token>`, for a session that a browser sign-in
//! started (the provider keeps the browser signed in until then).

use crate::client::{Auth, AuthClient};
use crate::transport::Shape;

/// The end-session endpoint, under the API's base URL.
pub(crate) const END_SESSION_PATH: &str = "/oidc/session/end";

impl AuthClient {
    /// Ends the provider's session of `id_token`; `None` when the server did, else why
    /// not. Any 2xx (Authing answers a "signed out" page) or 3xx (a redirect to one)
    /// means it did.
    pub(crate) fn end_oidc_session(&self, id_token: &str) -> Option<String> {
        let response = self.get_with(
            END_SESSION_PATH,
            &[("id_token_hint", id_token)],
            Shape::Page,
            Auth::Nothing,
        );
        let status = response.status_code();
        if response.is_success() || (300..400).contains(&status) {
            return None;
        }
        Some(match response.error() {
            Some(crate::error::AuthError::HttpStatus { status }) => format!("http status {status}"),
            Some(error) => error.to_string(),
            None => "no answer".into(),
        })
    }
}
