//! [`AuthRequest`]: one OpenID Connect authorization request (Java: `AuthRequest`), and
//! the typed answer of `build_authorize_url`.

use std::fmt;

use serde_json::Value;

use crate::error::{AuthError, InputError};
use crate::model::DEFAULT_SCOPE;
use crate::oidc::{pkce, OidcError};
use crate::redact::REDACTED;
use crate::response::AuthResponse;
use crate::validate;

/// The longest scope accepted, in bytes.
const MAX_SCOPE_LEN: usize = 1024;
/// The longest `state` or `nonce` accepted, in bytes.
const MAX_STATE_LEN: usize = 512;
/// The longest redirect URL accepted, in bytes.
const MAX_REDIRECT_LEN: usize = 2048;

/// One authorization request of the OpenID Connect authorization code flow with PKCE
/// (Java: `AuthRequest`): what [`build_authorize_url`](crate::AuthClient::build_authorize_url)
/// puts in the URL and what [`get_access_token_by_code`](crate::AuthClient::get_access_token_by_code)
/// needs to exchange the code and check the id_token.
///
/// [`AuthRequest::new`] draws a fresh `state`, `nonce` and PKCE code verifier from the
/// operating system's CSPRNG and computes the S256 challenge (cargo feature `oidc`; Android
/// uses `java.util.Random`-style strings of 10 characters). Keep the same request from
/// the URL to the exchange: its verifier and nonce are what prove the code and the
/// id_token are this sign-in's.
///
/// **Turn on the cargo feature `oidc`** (`features = ["oidc"]`, or `browser`, which
/// includes it). Without it this type still compiles, so code that names it builds in
/// both configurations, but every call that uses it answers status 10019
/// ([`AuthError::Oidc`](crate::AuthError::Oidc), naming the feature) and sends nothing:
/// an id_token is never accepted unchecked.
///
/// | setting | default |
/// |---|---|
/// | [`set_scope`](Self::set_scope) | [`DEFAULT_SCOPE`] (must contain `openid`) |
/// | [`set_redirect_url`](Self::set_redirect_url) | none: required (Android falls back to the app's first configured callback) |
/// | [`set_prompt`](Self::set_prompt) | none (Android always sends `consent`) |
/// | [`set_client_secret`](Self::set_client_secret) | none: a public client (a desktop or mobile app cannot keep a secret) |
///
/// `Debug` hides the verifier, the state, the nonce and the client secret.
///
/// ```
/// let mut auth_request = authing::AuthRequest::new();
/// auth_request.set_redirect_url("http://127.0.0.1:8765/callback");
/// assert_eq!(auth_request.code_challenge_method(), "S256");
/// assert_eq!(auth_request.code_verifier().len(), 43);
/// assert_eq!(auth_request.scope(), authing::DEFAULT_SCOPE);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AuthRequest {
    state: String,
    nonce: String,
    code_verifier: String,
    code_challenge: String,
    scope: String,
    redirect_url: Option<String>,
    prompt: Option<String>,
    client_secret: Option<String>,
    /// Why the random values or the challenge could not be made; every call that takes
    /// this request answers it.
    problem: Option<OidcError>,
}

impl AuthRequest {
    /// A request with a fresh `state`, `nonce` and PKCE verifier (Java: `new
    /// AuthRequest()`).
    ///
    /// It never fails: without the `oidc` cargo feature, or if the operating system's
    /// random number generator fails, the request holds no random values and every call
    /// given it answers status code 10019 ([`OidcError::FeatureDisabled`] or
    /// [`OidcError::Random`]) without sending anything.
    ///
    /// ```
    /// let a = authing::AuthRequest::new();
    /// let b = authing::AuthRequest::new();
    /// assert_ne!(a.state(), b.state());
    /// ```
    pub fn new() -> AuthRequest {
        let made = (|| -> Result<(String, String, String, String), OidcError> {
            let verifier = pkce::verifier()?;
            let challenge = pkce::challenge(&verifier)?;
            Ok((pkce::state()?, pkce::state()?, verifier, challenge))
        })();
        let (problem, (state, nonce, code_verifier, code_challenge)) = match made {
            Ok(values) => (None, values),
            Err(problem) => (Some(problem), Default::default()),
        };
        AuthRequest {
            state,
            nonce,
            code_verifier,
            code_challenge,
            scope: DEFAULT_SCOPE.to_string(),
            redirect_url: None,
            prompt: None,
            client_secret: None,
            problem,
        }
    }

    /// The `state` sent to the authorization endpoint, which must come back with the code
    /// (Java: `getState()`).
    ///
    /// ```
    /// assert_eq!(authing::AuthRequest::new().state().len(), 22);
    /// ```
    pub fn state(&self) -> &str {
        &self.state
    }

    /// Sets `state` (Java: `setState`); the default is random, which is what protects
    /// against cross-site request forgery: set your own only if it is as unguessable.
    ///
    /// ```
    /// authing::AuthRequest::new().set_state("a-value-nobody-can-guess");
    /// ```
    pub fn set_state(&mut self, state: impl Into<String>) -> &mut Self {
        self.state = state.into();
        self
    }

    /// The `nonce` sent to the authorization endpoint, which the id_token must carry
    /// (Java: `getNonce()`).
    ///
    /// ```
    /// assert_eq!(authing::AuthRequest::new().nonce().len(), 22);
    /// ```
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// Sets `nonce` (Java: `setNonce`); the default is random.
    ///
    /// ```
    /// authing::AuthRequest::new().set_nonce("another-unguessable-value");
    /// ```
    pub fn set_nonce(&mut self, nonce: impl Into<String>) -> &mut Self {
        self.nonce = nonce.into();
        self
    }

    /// The PKCE code verifier, sent with the code to the token endpoint (Java:
    /// `getCodeVerifier()`). A secret until the exchange: never log it.
    ///
    /// ```
    /// let auth_request = authing::AuthRequest::new();
    /// assert!(auth_request.code_verifier().len() >= 43);
    /// ```
    pub fn code_verifier(&self) -> &str {
        &self.code_verifier
    }

    /// Sets the PKCE code verifier and computes its S256 challenge anew (Java:
    /// `setCodeVerifier`, which leaves the old challenge in place). It must be 43 to 128
    /// characters of `A-Z a-z 0-9 - . _ ~` (RFC 7636), or the calls given this request
    /// answer 10010.
    ///
    /// ```
    /// let mut auth_request = authing::AuthRequest::new();
    /// auth_request.set_code_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    /// assert_eq!(auth_request.code_challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    /// ```
    pub fn set_code_verifier(&mut self, code_verifier: impl Into<String>) -> &mut Self {
        self.code_verifier = code_verifier.into();
        match pkce::challenge(&self.code_verifier) {
            Ok(challenge) => self.code_challenge = challenge,
            Err(problem) => {
                self.code_challenge.clear();
                self.problem = Some(problem);
            }
        }
        self
    }

    /// The S256 code challenge of the verifier, sent to the authorization endpoint (Java:
    /// `getCodeChallenge()`).
    ///
    /// ```
    /// assert_eq!(authing::AuthRequest::new().code_challenge().len(), 43);
    /// ```
    pub fn code_challenge(&self) -> &str {
        &self.code_challenge
    }

    /// The code challenge method: always `S256` (Android falls back to `plain` when the
    /// device lacks SHA-256; this crate never does).
    ///
    /// ```
    /// assert_eq!(authing::AuthRequest::new().code_challenge_method(), "S256");
    /// ```
    pub fn code_challenge_method(&self) -> &'static str {
        pkce::S256
    }

    /// The space-separated scopes asked for (Java: `getScope()`).
    ///
    /// ```
    /// assert!(authing::AuthRequest::new().scope().contains("openid"));
    /// ```
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// Sets the scopes (Java: `setScope`). They must contain `openid` (there is no id_token
    /// otherwise); `offline_access` brings a refresh token.
    ///
    /// ```
    /// authing::AuthRequest::new().set_scope("openid profile email offline_access");
    /// ```
    pub fn set_scope(&mut self, scope: impl Into<String>) -> &mut Self {
        self.scope = scope.into();
        self
    }

    /// Where the authorization server sends the browser back with the code (Java:
    /// `getRedirectURL()`); `None` until set. `sign_in_by_browser` sets its own loopback
    /// URL.
    ///
    /// ```
    /// assert_eq!(authing::AuthRequest::new().redirect_url(), None);
    /// ```
    pub fn redirect_url(&self) -> Option<&str> {
        self.redirect_url.as_deref()
    }

    /// Sets the redirect URL (Java: `setRedirectURL`): one of the app's callback URLs in
    /// the Authing console, an absolute `http` or `https` URL, or a private-use scheme
    /// (`com.example.app:/callback`, RFC 8252 section 7.1). It must be the same for the
    /// URL and the exchange.
    ///
    /// ```
    /// authing::AuthRequest::new().set_redirect_url("https://example.com/callback");
    /// ```
    pub fn set_redirect_url(&mut self, redirect_url: impl Into<String>) -> &mut Self {
        self.redirect_url = Some(redirect_url.into());
        self
    }

    /// The OpenID Connect `prompt` sent, if any.
    ///
    /// ```
    /// assert_eq!(authing::AuthRequest::new().prompt(), None);
    /// ```
    pub fn prompt(&self) -> Option<&str> {
        self.prompt.as_deref()
    }

    /// Sets `prompt`: `login` to ask for the password even when the browser is signed in,
    /// `consent` to ask for consent again, `none` to fail rather than show a page.
    /// Unset by default (Android always sends `consent`).
    ///
    /// ```
    /// authing::AuthRequest::new().set_prompt("login");
    /// ```
    pub fn set_prompt(&mut self, prompt: impl Into<String>) -> &mut Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// Sets the app secret, for a confidential client (Java: `setClientSecret`): the code
    /// exchange then sends it as `client_secret`, besides the PKCE verifier (Android drops
    /// PKCE when a secret is set; this crate keeps it). A program on a user's machine cannot
    /// keep a secret: leave it unset there.
    ///
    /// ```
    /// authing::AuthRequest::new().set_client_secret("the-app-secret");
    /// ```
    pub fn set_client_secret(&mut self, client_secret: impl Into<String>) -> &mut Self {
        self.client_secret = Some(client_secret.into());
        self
    }

    /// Whether a client secret is set (the secret itself is not handed out again).
    ///
    /// ```
    /// assert!(!authing::AuthRequest::new().has_client_secret());
    /// ```
    pub fn has_client_secret(&self) -> bool {
        self.client_secret.is_some()
    }

    pub(crate) fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_deref()
    }

    /// The request's values, checked before anything is sent: the random values were
    /// made (10019 otherwise), and each field has its form (10010 otherwise).
    pub(crate) fn checked(&self) -> Result<(), AuthError> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone().into());
        }
        checked_vschar("state", &self.state)?;
        checked_vschar("nonce", &self.nonce)?;
        if !pkce::is_valid_verifier(&self.code_verifier) {
            return Err(InputError::new(
                "code_verifier",
                "must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (rfc 7636)",
            )
            .into());
        }
        checked_scope(&self.scope)?;
        if let Some(prompt) = &self.prompt {
            validate::token("prompt", Some(prompt))?;
        }
        if let Some(secret) = &self.client_secret {
            validate::text("client_secret", Some(secret), validate::MAX_TOKEN_LEN)?;
        }
        Ok(())
    }

    /// The redirect URL, checked: required, absolute, without a fragment.
    pub(crate) fn checked_redirect_url(&self) -> Result<&str, InputError> {
        const FIELD: &str = "redirect_url";
        let url = validate::text(FIELD, self.redirect_url.as_deref(), MAX_REDIRECT_LEN)?;
        if !url.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InputError::new(
                FIELD,
                "must be visible ascii without spaces",
            ));
        }
        let scheme_ok = url.split_once(':').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if !scheme_ok {
            return Err(InputError::new(FIELD, "must be an absolute url"));
        }
        if url.contains('#') {
            return Err(InputError::new(
                FIELD,
                "must not have a fragment (rfc 6749 section 3.1.2)",
            ));
        }
        Ok(url)
    }
}

/// `state` and `nonce`: RFC 6749's VSCHAR, printable ASCII (a space included), at most
/// 512 of them, not only spaces.
fn checked_vschar<'a>(field: &'static str, value: &'a str) -> Result<&'a str, InputError> {
    let value = validate::text(field, Some(value), MAX_STATE_LEN)?;
    if !value.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err(InputError::new(
            field,
            "must be printable ascii (rfc 6749's vschar)",
        ));
    }
    Ok(value)
}

fn checked_scope(scope: &str) -> Result<&str, InputError> {
    const FIELD: &str = "scope";
    let scope = validate::text(FIELD, Some(scope), MAX_SCOPE_LEN)?;
    if !scope.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(InputError::new(
            FIELD,
            "must be visible ascii words separated by spaces",
        ));
    }
    if !scope.split(' ').any(|word| word == "openid") {
        return Err(InputError::new(FIELD, "must contain openid"));
    }
    Ok(scope)
}

impl Default for AuthRequest {
    /// The same as [`AuthRequest::new`].
    fn default() -> AuthRequest {
        AuthRequest::new()
    }
}

impl fmt::Debug for AuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = format_args!("{REDACTED}");
        f.debug_struct("AuthRequest")
            .field("state", &hidden)
            .field("nonce", &hidden)
            .field("code_verifier", &hidden)
            .field("code_challenge_method", &pkce::S256)
            .field("scope", &self.scope)
            .field("redirect_url", &self.redirect_url)
            .field("prompt", &self.prompt)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| REDACTED),
            )
            .field("problem", &self.problem)
            .finish()
    }
}

impl AuthResponse {
    /// The typed answer of `build_authorize_url`: the URL to open in a browser.
    ///
    /// ```no_run
    /// # let client = authing::AuthClient::new();
    /// let mut auth_request = authing::AuthRequest::new();
    /// auth_request.set_redirect_url("http://127.0.0.1:8765/callback");
    /// let response = client.build_authorize_url_blocking(&auth_request);
    /// match response.authorize_url() {
    ///     Ok(url) => println!("open {url}"),
    ///     Err(error) => println!("no url: {error}"),
    /// }
    /// ```
    pub fn authorize_url(&self) -> Result<String, AuthError> {
        if let Some(error) = self.error() {
            return Err(error.clone());
        }
        self.data()
            .and_then(|d| d.get("url"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "the answer has no url".into(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_random_values_and_the_secret() {
        let mut r = AuthRequest::new();
        r.set_state("sekrit-state")
            .set_nonce("sekrit-nonce")
            .set_client_secret("sekrit-secret");
        let shown = format!("{r:?}");
        assert!(!shown.contains("sekrit"), "{shown}");
        assert!(!shown.contains(r.code_verifier()) || r.code_verifier().is_empty());
    }

    #[test]
    fn redirect_urls_must_be_absolute_and_without_a_fragment() {
        let check = |url: &str| {
            let mut r = AuthRequest::new();
            r.set_redirect_url(url);
            r.checked_redirect_url().map(str::to_string)
        };
        assert!(check("http://127.0.0.1:1/callback").is_ok());
        assert!(check("com.example.app:/callback").is_ok());
        assert!(check("/callback").is_err());
        assert!(check("http://x/cb#frag").is_err());
        assert!(check("http://x/a b").is_err());
        assert!(AuthRequest::new().checked_redirect_url().is_err());
    }

    #[cfg(not(feature = "oidc"))]
    #[test]
    fn without_the_oidc_feature_a_request_is_refused_by_the_feature_name() {
        let e = AuthRequest::new().checked().unwrap_err();
        assert_eq!(e.status_code(), crate::codes::OIDC_FAILED);
        assert!(e.to_string().contains("\"oidc\" cargo feature"), "{e}");
    }

    #[test]
    fn a_scope_without_openid_is_refused() {
        let mut r = AuthRequest::new();
        r.set_scope("profile email");
        let e = r.checked().unwrap_err();
        assert!(e.to_string().contains("must contain openid") || e.status_code() == 10019);
    }
}
