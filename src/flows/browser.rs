//! The browser sign-in, start to end, on the calling thread (a dispatcher worker for the
//! callback form): the provider's keys, the loopback listener, the page opened, the wait
//! for the redirect (deadline and cancellation), the code exchange and id_token checks,
//! the session, and the page the browser is answered with. Exactly one answer, whatever
//! happens; the listener is closed as soon as the wait ends.

use std::time::Instant;

use crate::client::AuthClient;
use crate::dispatch::dispatcher::CancelCheck;
use crate::error::AuthError;
use crate::model::{AuthRequest, BrowserSignIn};
use crate::oidc::loopback::{Loopback, Redirect, Waited};
use crate::oidc::page::Page;
use crate::oidc::provider::Provider;
use crate::oidc::OidcError;
use crate::response::AuthResponse;

/// The longest text of a server's `error_description` kept.
const MAX_DESCRIPTION_CHARS: usize = 200;
/// The longest failure message shown on the browser's page.
const MAX_PAGE_MESSAGE_CHARS: usize = 300;

impl AuthClient {
    /// `sign_in_by_browser`: its answer. `cancel` is the callback form's; the blocking
    /// twin has none and ends with the redirect or the deadline.
    pub(crate) fn browser_sign_in(
        &self,
        mut options: BrowserSignIn,
        cancel: Option<&CancelCheck<'_>>,
    ) -> AuthResponse {
        let cancelled = || cancel.is_some_and(CancelCheck::is_cancelled);
        let prepared = (|| -> Result<(String, AuthRequest), AuthError> {
            self.client_id()?;
            let path = options.checked_redirect_path()?.to_string();
            let request = options.take_auth_request();
            request.checked()?;
            crate::oidc::require_feature("checking the id_token")?;
            Ok((path, request))
        })();
        let (path, mut request) = match prepared {
            Ok(prepared) => prepared,
            Err(error) => return AuthResponse::from_error(error),
        };
        let provider = match self.provider() {
            Ok(provider) => provider,
            Err(answer) => return *answer,
        };
        if cancelled() {
            return AuthResponse::from_error(AuthError::Cancelled);
        }
        let loopback = match Loopback::bind(&path) {
            Ok(loopback) => loopback,
            Err(error) => return AuthResponse::from_error(error.into()),
        };
        request.set_redirect_url(loopback.redirect_uri());
        let url = match options.get_ext_idp() {
            Some(id) => self.ext_idp_sign_in_url(id, &request),
            None => self.authorize_url(&request),
        };
        let url = match url {
            Ok(url) => url,
            Err(error) => return AuthResponse::from_error(error),
        };
        let timeout = options.get_timeout();
        if let Err(error) = options.open(&url) {
            return AuthResponse::from_error(error.into());
        }
        let deadline = Instant::now().checked_add(timeout);
        let redirect = match loopback.wait(request.state(), deadline, &cancelled) {
            Waited::Redirect(redirect) => redirect,
            Waited::TimedOut => {
                return AuthResponse::from_error(OidcError::TimedOut(timeout).into())
            }
            Waited::Cancelled => return AuthResponse::from_error(AuthError::Cancelled),
            Waited::Failed(error) => return AuthResponse::from_error(error.into()),
        };
        let answer = self.finish(&redirect, &request, &provider, &cancelled);
        let page = if answer.is_success() {
            Page::signed_in()
        } else {
            let shown: String = answer
                .message()
                .chars()
                .take(MAX_PAGE_MESSAGE_CHARS)
                .collect();
            Page::failed(&shown)
        };
        redirect.answer(&page);
        answer
    }

    /// What the redirect brought: an OAuth error, or a code to exchange.
    fn finish(
        &self,
        redirect: &Redirect,
        request: &AuthRequest,
        provider: &Provider,
        cancelled: &dyn Fn() -> bool,
    ) -> AuthResponse {
        if let Some(error) = redirect.param("error") {
            let description = redirect
                .param("error_description")
                .map(|d| printable(d, MAX_DESCRIPTION_CHARS))
                .filter(|d| !d.is_empty());
            return AuthResponse::from_error(
                OidcError::Denied {
                    error: printable(error, 64),
                    description,
                }
                .into(),
            );
        }
        // RFC 9207: a server that names itself in the redirect must name the issuer.
        if redirect
            .param("iss")
            .is_some_and(|iss| iss != provider.issuer)
        {
            return AuthResponse::from_error(
                OidcError::Provider("the redirect names another issuer".into()).into(),
            );
        }
        let Some(code) = redirect.param("code").filter(|c| !c.is_empty()) else {
            return AuthResponse::from_error(AuthError::UnexpectedResponse {
                reason: "the browser came back with neither a code nor an error".into(),
            });
        };
        if cancelled() {
            return AuthResponse::from_error(AuthError::Cancelled);
        }
        self.exchange_code(code, request, provider, cancelled)
    }
}

/// `text` cut to `max` characters, control characters dropped.
fn printable(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
}
