//! The two ends of the authorization code flow: the authorize URL the browser opens, and
//! the exchange of the code it brings back for tokens, whose id_token is checked before
//! the session starts.

use std::time::SystemTime;

use super::id_token::{self, Expected};
use super::provider::Provider;
use super::{pkce, OidcError};
use crate::client::user::TOKEN_PATH;
use crate::client::AuthClient;
use crate::error::AuthError;
use crate::model::AuthRequest;
use crate::response::AuthResponse;
use crate::transport::urlencoded;
use crate::validate;

/// The authorization endpoint, under the API's base URL.
pub(crate) const AUTHORIZE_PATH: &str = "/oidc/auth";
/// The external identity provider sign-in's endpoint (a browser's, as `/oidc/auth`).
pub(crate) const SIGNIN_BY_EXT_IDP_PATH: &str = "/api/v3/signin-by-extidp";

impl AuthClient {
    /// The app id, which OAuth calls the `client_id`.
    pub(crate) fn client_id(&self) -> Result<String, AuthError> {
        self.settings()?.app_id.clone().ok_or_else(|| {
            AuthError::Config("the openid connect calls need the app id (client_id); give one with Authing::init or the builder's app_id".into())
        })
    }

    /// The authorize URL of `request` (checked first), every query value percent-encoded:
    /// `client_id`, `response_type=code`, `redirect_uri`, `scope`, `state`, `nonce`,
    /// `code_challenge`, `code_challenge_method=S256`, and `prompt` when set.
    pub(crate) fn authorize_url(&self, request: &AuthRequest) -> Result<String, AuthError> {
        self.code_flow_url(AUTHORIZE_PATH, None, request)
    }

    /// The URL that starts the same code flow at the external identity provider
    /// `ext_idp_conn_id` (`GET /api/v3/signin-by-extidp`): the authorize URL's query, on
    /// that path, with `ext_idp_conn_id` after `client_id`.
    pub(crate) fn ext_idp_sign_in_url(
        &self,
        ext_idp_conn_id: &str,
        request: &AuthRequest,
    ) -> Result<String, AuthError> {
        let id = validate::code("ext_idp_conn_id", ext_idp_conn_id)?;
        self.code_flow_url(SIGNIN_BY_EXT_IDP_PATH, Some(id), request)
    }

    /// The query of the code flow on `path` (see [`authorize_url`](Self::authorize_url)).
    fn code_flow_url(
        &self,
        path: &str,
        ext_idp_conn_id: Option<&str>,
        request: &AuthRequest,
    ) -> Result<String, AuthError> {
        let client_id = self.client_id()?;
        request.checked()?;
        let redirect_uri = request.checked_redirect_url()?;
        let base = self.base_url()?;
        let mut query = vec![("client_id", client_id.as_str())];
        if let Some(id) = ext_idp_conn_id {
            query.push(("ext_idp_conn_id", id));
        }
        query.extend([
            ("response_type", "code"),
            ("redirect_uri", redirect_uri),
            ("scope", request.scope()),
            ("state", request.state()),
            ("nonce", request.nonce()),
            ("code_challenge", request.code_challenge()),
            ("code_challenge_method", pkce::S256),
        ]);
        if let Some(prompt) = request.prompt() {
            query.push(("prompt", prompt));
        }
        Ok(format!("{base}{path}?{}", urlencoded::pairs(&query)))
    }

    /// Exchanges `code` (`POST /oidc/token`, `grant_type=authorization_code`, with the PKCE
    /// verifier and the same redirect URL), checks the answer's id_token against
    /// `provider` and the request's nonce, then starts the session unless `cancelled` says
    /// the call was cancelled meanwhile. The token answer on success; nothing is saved
    /// when a check fails or the call was cancelled.
    pub(crate) fn exchange_code(
        &self,
        code: &str,
        request: &AuthRequest,
        provider: &Provider,
        cancelled: &dyn Fn() -> bool,
    ) -> AuthResponse {
        let (client_id, redirect_uri) = match (self.client_id(), request.checked_redirect_url()) {
            (Ok(id), Ok(uri)) => (id, uri.to_string()),
            (Err(e), _) => return AuthResponse::from_error(e),
            (_, Err(e)) => return AuthResponse::from_error(e.into()),
        };
        let response = self.post_form(TOKEN_PATH, || {
            let mut form = vec![
                ("client_id", client_id.clone()),
                ("grant_type", "authorization_code".to_string()),
                ("code", code.to_string()),
                ("code_verifier", request.code_verifier().to_string()),
                ("redirect_uri", redirect_uri),
            ];
            if let Some(secret) = request.client_secret() {
                form.push(("client_secret", secret.to_string()));
            }
            Ok(form)
        });
        if !response.is_success() {
            return response;
        }
        let failed = |error: AuthError| {
            let mut answer = AuthResponse::from_error(error);
            answer.request_id = response.request_id.clone();
            answer
        };
        let tokens = match response.login_token_data() {
            Ok(tokens) => tokens,
            Err(error) => return failed(error),
        };
        let Some(id_token) = tokens.id_token() else {
            return failed(OidcError::IdToken("the token answer has no id_token".into()).into());
        };
        let expected = Expected {
            issuer: &provider.issuer,
            client_id: &client_id,
            nonce: Some(request.nonce()),
            now: SystemTime::now(),
        };
        if let Err(error) = id_token::validate(id_token, &provider.jwks, &expected) {
            return failed(error.into());
        }
        // A cancel that arrived while the code was being exchanged wins: no session is
        // saved for a sign-in whose caller was told it was cancelled.
        if cancelled() {
            return AuthResponse::from_error(AuthError::Cancelled);
        }
        self.start_session_as(response, true)
    }
}
