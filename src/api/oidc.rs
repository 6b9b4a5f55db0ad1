//! OpenID Connect: the authorize URL, the code exchange, the user's claims, and the
//! sign-in through the system browser that a desktop program makes instead of all of
//! them. Each call in its callback form and its blocking twin.

use serde_json::json;

use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::model::{AuthRequest, BrowserSignIn};
use crate::oidc;
use crate::response::{self, AuthResponse};
use crate::transport::Shape;
use crate::validate;

/// `getUserInfoByAccessToken`'s endpoint.
pub(crate) const USERINFO_PATH: &str = "/oidc/me";

/// # OpenID Connect and the browser sign-in (Java: `OIDCClient`)
///
/// The authorization code flow with PKCE ([`AuthRequest`](crate::AuthRequest)), and the whole
/// sign-in through the system browser ([`BrowserSignIn`](crate::BrowserSignIn)).
impl AuthClient {
    /// Builds the URL of the authorization endpoint for `auth_request` (Java:
    /// `buildAuthorizeUrl`; `GET /oidc/auth?client_id=..&response_type=code&redirect_uri=..
    /// &scope=..&state=..&nonce=..&code_challenge=..&code_challenge_method=S256[&prompt=..]`,
    /// every value percent-encoded). The callback form.
    ///
    /// On success `data` is `{"url": ".."}` ([`authorize_url`](AuthResponse::authorize_url)).
    /// It sends nothing, unless the API host must first be discovered (app discovery).
    /// Android never calls back when that fails; here the callback runs exactly once, as
    /// for every call: with status code 10002 when discovery fails, 10010 for a request
    /// without a redirect URL or with a malformed field, 10019 when the request has no
    /// random values (no cargo feature `oidc`).
    ///
    /// Open the URL in a browser, and give the code the redirect brings back to
    /// [`get_access_token_by_code`](Self::get_access_token_by_code) with the same request.
    /// A desktop program can let [`sign_in_by_browser`](Self::sign_in_by_browser) do all of
    /// it.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthRequest, AuthResponse};
    /// let mut auth_request = AuthRequest::new();
    /// auth_request.set_redirect_url("https://example.com/callback");
    /// AuthClient::new()
    ///     .build_authorize_url(&auth_request, |response: AuthResponse| {
    ///         match response.authorize_url() {
    ///             Ok(url) => println!("open {url}"),
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("buildAuthorizeUrl"))]
    pub fn build_authorize_url<C: AuthCallback>(
        &self,
        auth_request: &AuthRequest,
        callback: C,
    ) -> RequestHandle {
        let auth_request = auth_request.clone();
        self.spawn(callback, move |client, _| {
            client.build_authorize_url_blocking(&auth_request)
        })
    }

    /// The blocking twin of [`build_authorize_url`](Self::build_authorize_url).
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("my-app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .build()?;
    /// let mut auth_request = authing::AuthRequest::new();
    /// auth_request.set_redirect_url("https://example.com/callback");
    /// let url = client.build_authorize_url_blocking(&auth_request).authorize_url()?;
    /// assert!(url.starts_with("https://myapp.authing.cn/oidc/auth?client_id=my-app&response_type=code&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build_authorize_url_blocking(&self, auth_request: &AuthRequest) -> AuthResponse {
        match self.authorize_url(auth_request) {
            Ok(url) => response::from_plain_json(json!({ "url": url })),
            Err(error) => AuthResponse::from_error(error),
        }
    }

    /// Builds the URL that signs the user in through an external identity provider
    /// directly, skipping the hosted login page (the spec's `GET
    /// /api/v3/signin-by-extidp?client_id=..&ext_idp_conn_id=..&response_type=code&...`;
    /// Java has no such call). The callback form. It sends nothing (unless the API host
    /// must first be discovered): the user's browser opens the URL.
    ///
    /// The server answers the browser with a redirect to the provider; once the user signed
    /// in there, the browser comes back to `auth_request`'s redirect URL with a code, which
    /// [`get_access_token_by_code`](Self::get_access_token_by_code) exchanges with the same
    /// `auth_request` (its state, nonce and PKCE verifier), as for
    /// [`build_authorize_url`](Self::build_authorize_url). The query is the authorize URL's
    /// (PKCE's `code_challenge` included, which the spec's list for this path leaves out)
    /// with `ext_idp_conn_id`. A desktop app can let
    /// [`sign_in_by_browser`](Self::sign_in_by_browser) do all of it with
    /// [`BrowserSignIn::ext_idp`](crate::BrowserSignIn::ext_idp). On success `data` is
    /// `{"url": ".."}` ([`authorize_url`](AuthResponse::authorize_url)). Checked first
    /// (10010): `ext_idp_conn_id` 1 to 256 visible ASCII characters, and the request as for
    /// `build_authorize_url`.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthRequest, AuthResponse};
    /// let mut auth_request = AuthRequest::new();
    /// auth_request.set_redirect_url("http://127.0.0.1:4321/callback");
    /// AuthClient::new()
    ///     .build_sign_in_by_ext_idp_url("my-github", &auth_request, |response: AuthResponse| {
    ///         if let Ok(url) = response.authorize_url() { println!("open {url}"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByExtIdp"))]
    pub fn build_sign_in_by_ext_idp_url<C: AuthCallback>(
        &self,
        ext_idp_conn_id: &str,
        auth_request: &AuthRequest,
        callback: C,
    ) -> RequestHandle {
        let (id, auth_request) = (ext_idp_conn_id.to_string(), auth_request.clone());
        self.spawn(callback, move |client, _| {
            client.build_sign_in_by_ext_idp_url_blocking(&id, &auth_request)
        })
    }

    /// The blocking twin of [`build_sign_in_by_ext_idp_url`](Self::build_sign_in_by_ext_idp_url).
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("my-app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .build()?;
    /// let mut auth_request = authing::AuthRequest::new();
    /// auth_request.set_redirect_url("http://127.0.0.1:4321/callback");
    /// let url = client.build_sign_in_by_ext_idp_url_blocking("my-github", &auth_request).authorize_url()?;
    /// assert!(url.starts_with("https://myapp.authing.cn/api/v3/signin-by-extidp?client_id=my-app&ext_idp_conn_id=my-github&response_type=code&"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build_sign_in_by_ext_idp_url_blocking(
        &self,
        ext_idp_conn_id: &str,
        auth_request: &AuthRequest,
    ) -> AuthResponse {
        match self.ext_idp_sign_in_url(ext_idp_conn_id, auth_request) {
            Ok(url) => response::from_plain_json(json!({ "url": url })),
            Err(error) => AuthResponse::from_error(error),
        }
    }

    /// Exchanges the authorization code the browser brought back for tokens, and starts
    /// the session (Java: `getAccessTokenByCode`; `POST /oidc/token`,
    /// `application/x-www-form-urlencoded`: `client_id=<app id>&grant_type=authorization_code
    /// &code=..&code_verifier=..&redirect_uri=..`, and `client_secret` when the request
    /// has one). The callback form.
    ///
    /// Before sending, the provider's OpenID configuration and keys are fetched (`GET
    /// /oidc/.well-known/openid-configuration`, then its `jwks_uri`). The answer's
    /// id_token is checked (RS256 signature against those keys, `iss`, `aud`, `exp`,
    /// `nonce` against `auth_request`'s) before anything is saved: a token that fails
    /// answers status code 10019 ([`OidcError::IdToken`](crate::OidcError::IdToken)) and
    /// no session starts. Android saves whatever comes back, unchecked.
    ///
    /// On success `data` holds the tokens ([`login_token_data`](AuthResponse::login_token_data)),
    /// they become the session's, and the user for
    /// [`get_current_user`](Self::get_current_user) comes from the (checked) id_token's
    /// claims, the full profile fetched after the answer, as after any sign-in. The session
    /// remembers that the provider holds a browser session, which
    /// [`logout`](Self::logout) ends. Needs the cargo feature `oidc` (10019 without it,
    /// nothing sent). A code is single use: the server refuses it a second time (HTTP 400,
    /// `invalid_grant`).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthRequest, AuthResponse};
    /// # let auth_request = AuthRequest::new();
    /// # let code = "the code from the redirect";
    /// AuthClient::new()
    ///     .get_access_token_by_code(code, &auth_request, |response: AuthResponse| {
    ///         if response.is_success() { println!("signed in"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getAccessTokenByCode"))]
    pub fn get_access_token_by_code<C: AuthCallback>(
        &self,
        code: &str,
        auth_request: &AuthRequest,
        callback: C,
    ) -> RequestHandle {
        let (code, auth_request) = (code.to_string(), auth_request.clone());
        self.spawn(callback, move |client, _| {
            client.get_access_token_by_code_blocking(&code, &auth_request)
        })
    }

    /// The blocking twin of [`get_access_token_by_code`](Self::get_access_token_by_code).
    ///
    /// ```no_run
    /// # let (client, auth_request) = (authing::AuthClient::new(), authing::AuthRequest::new());
    /// let response = client.get_access_token_by_code_blocking("the code", &auth_request);
    /// println!("{}", response.status_code());
    /// ```
    pub fn get_access_token_by_code_blocking(
        &self,
        code: &str,
        auth_request: &AuthRequest,
    ) -> AuthResponse {
        let checked = (|| -> Result<(), crate::AuthError> {
            self.client_id()?;
            validate::token("code", Some(code))?;
            auth_request.checked()?;
            auth_request.checked_redirect_url()?;
            oidc::require_feature("checking the id_token")?;
            Ok(())
        })();
        if let Err(error) = checked {
            return AuthResponse::from_error(error);
        }
        match self.provider() {
            Ok(provider) => self.exchange_code(code, auth_request, &provider, &|| false),
            Err(answer) => *answer,
        }
    }

    /// Fetches the user's OpenID Connect claims (Java: `getUserInfoByAccessToken`; `GET
    /// /oidc/me` with `Authorization: Bearer <access token>`). The callback form.
    ///
    /// `access_token` is `None` for the session's (refreshed first when it has expired;
    /// 10015 without a session, nothing sent), or a token of your own. On success `data`
    /// is the claims object, plain JSON without the envelope
    /// ([`user_claims`](AuthResponse::user_claims)); a refused token is the server's HTTP
    /// 401 with its raw body as the message. Unlike Android, nothing is saved from it.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_user_info_by_access_token(None, |response: AuthResponse| {
    ///         if let Ok(claims) = response.user_claims() {
    ///             println!("{} {}", claims.sub(), claims.email().unwrap_or("-"));
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getUserInfoByAccessToken"))]
    pub fn get_user_info_by_access_token<'a, C: AuthCallback>(
        &self,
        access_token: impl Into<Option<&'a str>>,
        callback: C,
    ) -> RequestHandle {
        let access_token = access_token.into().map(str::to_string);
        self.spawn(callback, move |client, _| {
            client.get_user_info_by_access_token_blocking(access_token.as_deref())
        })
    }

    /// The blocking twin of
    /// [`get_user_info_by_access_token`](Self::get_user_info_by_access_token).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_user_info_by_access_token_blocking(None);
    /// if let Ok(claims) = response.user_claims() { println!("{}", claims.sub()); }
    /// ```
    pub fn get_user_info_by_access_token_blocking<'a>(
        &self,
        access_token: impl Into<Option<&'a str>>,
    ) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let token = match access_token.into() {
            Some(token) => match validate::token("access_token", Some(token)) {
                Ok(token) => token.to_string(),
                Err(problem) => return AuthResponse::from_error(problem.into()),
            },
            None => match self.user_token() {
                Ok(token) => token,
                Err(refused) => return refused.into_response(),
            },
        };
        self.get_with(USERINFO_PATH, &[], Shape::Plain, Auth::Bearer(&token))
    }

    /// Signs in through the system browser, as a desktop program should (RFC 8252, OAuth
    /// 2.0 for Native Apps): the one call a desktop app makes instead of
    /// [`build_authorize_url`](Self::build_authorize_url) and
    /// [`get_access_token_by_code`](Self::get_access_token_by_code). The callback form;
    /// Android has no such call.
    ///
    /// 1. Fetches the provider's configuration and keys (so a wrong setup fails before
    ///    the user types a password).
    /// 2. Listens on `127.0.0.1` with a port the system picks, and sends
    ///    `http://127.0.0.1:<port>/callback` as the redirect URL.
    /// 3. Opens the authorize URL: in the system browser (cargo feature `browser`), or
    ///    with the function given to [`BrowserSignIn::open_with`].
    /// 4. Waits for the browser to come back, at most the options'
    ///    [`timeout`](BrowserSignIn::timeout) (5 minutes by default), checking `state`.
    ///    Requests that are not the redirect (`/favicon.ico`, a port scan) and redirects
    ///    with another `state` are answered and ignored.
    /// 5. Closes the listener, exchanges the code with the PKCE verifier, checks the
    ///    id_token (RS256 signature against the provider's keys, `iss`, `aud`, `exp`,
    ///    `nonce`), takes the user from its claims and saves the session (the full profile
    ///    follows the answer), as
    ///    [`get_access_token_by_code`](Self::get_access_token_by_code) does.
    /// 6. Answers the browser with a small page ("you may close this tab", or why the
    ///    sign-in failed).
    ///
    /// The callback runs exactly once, whatever the user does: the token answer on
    /// success ([`login_token_data`](AuthResponse::login_token_data), the session saved);
    /// status code 10019 ([`OidcError`](crate::OidcError)) when consent is declined
    /// (`Denied`), nothing comes back in time (`TimedOut`), the browser cannot be opened,
    /// or the id_token fails a check; the token endpoint's own answer when it refuses the
    /// code; 10011 after [`RequestHandle::cancel`], which also closes the listener within
    /// 20 ms. The call keeps one dispatcher worker busy while it waits (see
    /// docs/THREADING.md).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, BrowserSignIn};
    /// let auth_client = AuthClient::new();
    /// let handle = auth_client.sign_in_by_browser(BrowserSignIn::new(), |response: AuthResponse| {
    ///     match response.error() {
    ///         None => println!("signed in"),
    ///         Some(error) => println!("not signed in: {error}"),
    ///     }
    /// });
    /// // a "Cancel" button: handle.cancel();
    /// handle.join().unwrap();
    /// ```
    pub fn sign_in_by_browser<C: AuthCallback>(
        &self,
        options: BrowserSignIn,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, cancel| {
            client.browser_sign_in(options, Some(cancel))
        })
    }

    /// The blocking twin of [`sign_in_by_browser`](Self::sign_in_by_browser): the same
    /// flow on the caller's thread, which it blocks until the browser comes back or the
    /// time-out passes (it cannot be cancelled: use the callback form for a Cancel button).
    ///
    /// ```no_run
    /// use authing::BrowserSignIn;
    /// let options = BrowserSignIn::new().open_with(|url: &str| println!("Sign in at {url}"));
    /// let response = authing::AuthClient::new().sign_in_by_browser_blocking(options);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_browser_blocking(&self, options: BrowserSignIn) -> AuthResponse {
        self.browser_sign_in(options, None)
    }
}
