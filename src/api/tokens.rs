//! Tokens: their state asked of the server (RFC 7662) or checked offline against the
//! provider's keys, their revocation (RFC 7009), the logout URL, an `mfaToken`'s state, and
//! the `client_credentials` grant by which a program gets a token for itself. Each call in
//! its callback form and its blocking twin.

use std::time::SystemTime;

use serde_json::{json, Value};

use crate::client::user::{REVOCATION_PATH, TOKEN_PATH};
use crate::client::Auth;
use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{ApiError, AuthError, InputError};
use crate::model::tokens::machine_token_at;
use crate::model::{
    BuildLogoutUrlParams, ClientCredentialInput, TokenIntrospection, ValidateTokenParams,
};
use crate::oidc::id_token::{self, Expected};
use crate::response::{self, AuthResponse};
use crate::transport::Shape;
use crate::{oidc, validate};

/// `introspectToken`'s endpoint (RFC 7662).
pub(crate) const INTROSPECTION_PATH: &str = "/oidc/token/introspection";
/// `verifyMfaToken`'s endpoint.
pub(crate) const MFA_INTROSPECTION_PATH: &str = "/mfa/token/introspection";
/// `validateToken`'s endpoint (Authing's v2 online token check).
pub(crate) const VALIDATE_PATH: &str = "/api/v2/oidc/validate_token";
/// `buildLogoutUrl`'s endpoint (OpenID Connect RP-Initiated Logout).
pub(crate) const LOGOUT_PATH: &str = "/oidc/session/end";
/// The longest `scope` the client-credentials grant sends.
const MAX_SCOPE_LEN: usize = 1024;

/// # Tokens (Java: `AuthenticationClient`'s `introspectToken`, `revokeToken`, …)
///
/// A token's state from the server ([`introspect_token`](Self::introspect_token)) or
/// checked here against the provider's keys
/// ([`introspect_access_token_offline`](Self::introspect_access_token_offline)), its
/// revocation, the logout URL, an `mfaToken`'s state, and the access token a program gets
/// for itself ([`get_access_token_by_client_credentials`](Self::get_access_token_by_client_credentials),
/// cached until shortly before it expires).
impl AuthClient {
    /// Asks the server for the state of an access or refresh token (Java:
    /// `introspectToken`; RFC 7662, `POST /oidc/token/introspection`,
    /// `application/x-www-form-urlencoded`: `client_id=<app id>&token=..`, the app
    /// authenticating as the public client it is, method `none`). The callback form.
    ///
    /// On success `data` is the RFC 7662 answer
    /// ([`token_introspection`](AuthResponse::token_introspection)): `active`, and for a
    /// live token `sub`, `scope`, `client_id`, `exp`, `iat`, `iss`, `jti`, `token_type`. A
    /// token the server does not know, revoked or expired is `active: false`, not an
    /// error. An empty or malformed token answers 10010 before anything is sent. The
    /// server's id_tokens have no online check: check them offline.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .introspect_token("an access token", |response: AuthResponse| {
    ///         if let Ok(state) = response.token_introspection() {
    ///             println!("active: {}", state.active());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("introspectToken"))]
    pub fn introspect_token<C: AuthCallback>(&self, token: &str, callback: C) -> RequestHandle {
        let token = token.to_string();
        self.spawn(callback, move |client, _| {
            client.introspect_token_blocking(&token)
        })
    }

    /// The blocking twin of [`introspect_token`](Self::introspect_token).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().introspect_token_blocking("an access token");
    /// println!("{:?}", response.token_introspection().map(|s| s.active()));
    /// ```
    pub fn introspect_token_blocking(&self, token: &str) -> AuthResponse {
        let form = match self.client_and_token_form(token) {
            Ok(form) => form,
            Err(error) => return AuthResponse::from_error(error),
        };
        self.post_form(INTROSPECTION_PATH, || Ok(form))
    }

    /// Asks the server whether an access token or an id_token it issued is valid, the
    /// older v2 check (Java: `validateToken`; `GET
    /// /api/v2/oidc/validate_token?access_token=..` or `?id_token=..`). The callback form.
    ///
    /// On success `data` is the token's decoded claims, as the server gives them
    /// ([`user_claims`](AuthResponse::user_claims): `sub`, and for an id_token the
    /// profile claims; [`data`](AuthResponse::data) for the rest: `exp`, `scope`, …). A
    /// token the server finds invalid (unknown, expired, revoked, for another app)
    /// answers the server's `{"code":400,"message":..}` as a failure with status code 400
    /// and that message. `params` holds exactly one of the two tokens, 1 to 4096 visible
    /// ASCII characters (10010 otherwise, nothing sent). For the RFC 7662 answer use
    /// [`introspect_token`](Self::introspect_token); to check without asking,
    /// [`introspect_access_token_offline`](Self::introspect_access_token_offline).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, ValidateTokenParams};
    /// let mut params = ValidateTokenParams::new();
    /// params.set_id_token("the id_token");
    /// AuthClient::new()
    ///     .validate_token(&params, |response: AuthResponse| {
    ///         match response.user_claims() {
    ///             Ok(claims) => println!("valid, for {}", claims.sub()),
    ///             Err(error) => println!("not valid: {error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("validateToken"))]
    pub fn validate_token<C: AuthCallback>(
        &self,
        params: &ValidateTokenParams,
        callback: C,
    ) -> RequestHandle {
        let params = params.clone();
        self.spawn(callback, move |client, _| {
            client.validate_token_blocking(&params)
        })
    }

    /// The blocking twin of [`validate_token`](Self::validate_token).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// use authing::{AuthClient, ValidateTokenParams};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// client.sign_in_by_email_password_blocking("alice@example.com", "secret-1", None);
    /// let tokens = client.get_token().unwrap();
    /// let mut params = ValidateTokenParams::new();
    /// params.set_access_token(tokens.access_token());
    /// let claims = client.validate_token_blocking(&params).user_claims()?;
    /// assert_eq!(claims.sub(), client.get_current_user().unwrap().user_id());
    /// let mut forged = ValidateTokenParams::new();
    /// forged.set_id_token("a.b.c");
    /// assert_eq!(client.validate_token_blocking(&forged).status_code(), 400);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_token_blocking(&self, params: &ValidateTokenParams) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let (key, token) = match params.checked_pair() {
            Ok(pair) => pair,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        let response = self.get_with(VALIDATE_PATH, &[(key, token)], Shape::Plain, Auth::Config);
        v2_refusal(response)
    }

    /// Checks an access token here, without asking the server about it (Java:
    /// `introspectAccessTokenOffline`): its RS256 signature against the provider's keys
    /// (`GET /oidc/.well-known/openid-configuration`, then its `jwks_uri`), then the same
    /// rules as the id_token of a sign-in: `alg` RS256 only (`none` and `HS256` are
    /// refused), `iss` the provider's issuer, `aud` the app id (and `azp` with several
    /// audiences), `exp` not past (a minute of leeway for clock skew), a numeric `iat`, a
    /// `sub`. The callback form.
    ///
    /// On success `data` is the token's claims with `"active": true`
    /// ([`token_introspection`](AuthResponse::token_introspection)); a token that fails a
    /// check answers 10019 ([`OidcError::AccessToken`](crate::OidcError::AccessToken),
    /// which says which check, never quoting the token). It cannot know that the server
    /// revoked the token: ask [`introspect_token`](Self::introspect_token) for that. Needs
    /// the cargo feature `oidc` (10019 naming it without, nothing sent).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .introspect_access_token_offline("an access token", |response: AuthResponse| {
    ///         match response.token_introspection() {
    ///             Ok(claims) => println!("{} may {}", claims.sub().unwrap_or("-"), claims.scope().unwrap_or("-")),
    ///             Err(error) => println!("refused: {error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("introspectAccessTokenOffline"))]
    pub fn introspect_access_token_offline<C: AuthCallback>(
        &self,
        token: &str,
        callback: C,
    ) -> RequestHandle {
        let token = token.to_string();
        self.spawn(callback, move |client, _| {
            client.introspect_access_token_offline_blocking(&token)
        })
    }

    /// The blocking twin of
    /// [`introspect_access_token_offline`](Self::introspect_access_token_offline).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().introspect_access_token_offline_blocking("an access token");
    /// println!("{}", response.status_code());
    /// ```
    pub fn introspect_access_token_offline_blocking(&self, token: &str) -> AuthResponse {
        let checked = (|| -> Result<String, AuthError> {
            let client_id = self.client_id()?;
            validate::token("access_token", Some(token))?;
            oidc::require_feature("checking the access token offline")?;
            Ok(client_id)
        })();
        let client_id = match checked {
            Ok(id) => id,
            Err(error) => return AuthResponse::from_error(error),
        };
        let provider = match self.provider() {
            Ok(provider) => provider,
            Err(answer) => return *answer,
        };
        let expected = Expected {
            issuer: &provider.issuer,
            client_id: &client_id,
            nonce: None,
            now: SystemTime::now(),
        };
        match id_token::validate_access_token(token, &provider.jwks, &expected) {
            Ok(mut claims) => {
                claims.insert("active".into(), Value::Bool(true));
                let state = TokenIntrospection::from_fields(claims);
                response::from_plain_json(Value::Object(state.fields().clone()))
            }
            Err(error) => AuthResponse::from_error(error.into()),
        }
    }

    /// Revokes an access or refresh token (Java: `revokeToken`; RFC 7009, `POST
    /// /oidc/token/revocation`, form `client_id=<app id>&token=..`). The callback form.
    ///
    /// On success `data` is `{"success": true}` (the spec's `IsSuccessRespDto`); as RFC
    /// 7009 asks, a token the server does not know is revoked too. It does not end this
    /// client's session: [`logout`](Self::logout) revokes the session's tokens and forgets
    /// them. An empty or malformed token answers 10010 before anything is sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .revoke_token("a refresh token", |response: AuthResponse| {
    ///         println!("revoked: {}", response.is_success());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("revokeToken"))]
    pub fn revoke_token<C: AuthCallback>(&self, token: &str, callback: C) -> RequestHandle {
        let token = token.to_string();
        self.spawn(callback, move |client, _| {
            client.revoke_token_blocking(&token)
        })
    }

    /// The blocking twin of [`revoke_token`](Self::revoke_token).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().revoke_token_blocking("a refresh token");
    /// assert!(response.is_success());
    /// ```
    pub fn revoke_token_blocking(&self, token: &str) -> AuthResponse {
        let form = match self.client_and_token_form(token) {
            Ok(form) => form,
            Err(error) => return AuthResponse::from_error(error),
        };
        let response = self.post_form(REVOCATION_PATH, || Ok(form));
        if response.is_success() && response.data().is_none() {
            // RFC 7009's empty 200.
            return response::from_plain_json(json!({ "success": true }));
        }
        response
    }

    /// Builds the URL that signs the browser out of the provider (Java: `buildLogoutUrl`;
    /// `GET /oidc/session/end?id_token_hint=..&post_logout_redirect_uri=..&state=..`,
    /// each value percent-encoded, those set only). The callback form.
    ///
    /// On success `data` is `{"url": ".."}` ([`logout_url`](AuthResponse::logout_url)).
    /// It sends nothing, unless the API host must first be discovered. A redirect without
    /// an id_token (the server ignores it), a redirect that is not an absolute `http(s)`
    /// URL, or a malformed field answers 10010. Open it in the browser that signed in;
    /// [`logout`](Self::logout) ends a browser sign-in's provider session itself.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, BuildLogoutUrlParams};
    /// let mut params = BuildLogoutUrlParams::new();
    /// params.set_id_token_hint("the id_token").set_post_logout_redirect_uri("https://example.com/bye");
    /// AuthClient::new()
    ///     .build_logout_url(&params, |response: AuthResponse| {
    ///         if let Ok(url) = response.logout_url() { println!("open {url}"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("buildLogoutUrl"))]
    pub fn build_logout_url<C: AuthCallback>(
        &self,
        params: &BuildLogoutUrlParams,
        callback: C,
    ) -> RequestHandle {
        let params = params.clone();
        self.spawn(callback, move |client, _| {
            client.build_logout_url_blocking(&params)
        })
    }

    /// The blocking twin of [`build_logout_url`](Self::build_logout_url).
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("my-app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .build()?;
    /// let mut params = authing::BuildLogoutUrlParams::new();
    /// params.set_id_token_hint("eyJ.x.y").set_post_logout_redirect_uri("https://example.com/bye?a=1");
    /// let url = client.build_logout_url_blocking(&params).logout_url()?;
    /// assert_eq!(url, "https://myapp.authing.cn/oidc/session/end?id_token_hint=eyJ.x.y&post_logout_redirect_uri=https%3A%2F%2Fexample.com%2Fbye%3Fa%3D1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build_logout_url_blocking(&self, params: &BuildLogoutUrlParams) -> AuthResponse {
        let built = (|| -> Result<String, AuthError> {
            self.settings()?;
            let pairs = params.checked_pairs()?;
            let base = self.base_url()?;
            if pairs.is_empty() {
                return Ok(format!("{base}{LOGOUT_PATH}"));
            }
            Ok(format!(
                "{base}{LOGOUT_PATH}?{}",
                crate::transport::urlencoded::pairs(&pairs)
            ))
        })();
        match built {
            Ok(url) => response::from_plain_json(json!({ "url": url })),
            Err(error) => AuthResponse::from_error(error),
        }
    }

    /// Asks the server for the state of an `mfaToken`, the token of a sign-in's MFA
    /// challenge (Java: `verifyMfaToken`; `POST /mfa/token/introspection`, form
    /// `token=..`). The callback form.
    ///
    /// On success `data` is the spec's `MfaTokenIntrospectResponse`
    /// ([`mfa_token_introspection`](AuthResponse::mfa_token_introspection)): `active`, and
    /// for a live token `userId`, `userPoolId`, `exp`, `iat`. An answered, voided or
    /// expired challenge's token is `active: false`. An empty or malformed token answers
    /// 10010 before anything is sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .verify_mfa_token("the mfaToken", |response: AuthResponse| {
    ///         println!("{:?}", response.mfa_token_introspection().map(|s| s.active()));
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("verifyMfaToken"))]
    pub fn verify_mfa_token<C: AuthCallback>(&self, token: &str, callback: C) -> RequestHandle {
        let token = token.to_string();
        self.spawn(callback, move |client, _| {
            client.verify_mfa_token_blocking(&token)
        })
    }

    /// The blocking twin of [`verify_mfa_token`](Self::verify_mfa_token).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().verify_mfa_token_blocking("the mfaToken");
    /// println!("{}", response.status_code());
    /// ```
    pub fn verify_mfa_token_blocking(&self, token: &str) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let token = match validate::token("token", Some(token)) {
            Ok(token) => token.to_string(),
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        self.post_form(MFA_INTROSPECTION_PATH, || Ok(vec![("token", token)]))
    }

    /// Gets an access token for the program itself (Java:
    /// `getAccessTokenByClientCredentials`; `POST /oidc/token`, form
    /// `grant_type=client_credentials&client_id=..&client_secret=..[&scope=..]`, the
    /// machine client authenticating with `client_secret_post`): for daemons and CLI
    /// tools acting as themselves, not for a user. The callback form.
    ///
    /// `scope` is space-separated; empty asks for every scope of the client. On success
    /// `data` is `{"access_token", "token_type", "expire_in"}`
    /// ([`machine_token`](AuthResponse::machine_token)), `expire_in` being what is left.
    ///
    /// The token is cached in `input` (shared by its clones) and handed out again until
    /// less than its renewal margin is left, counted on the input's clock from the
    /// moment the answer arrived: [`MACHINE_TOKEN_MARGIN`](crate::MACHINE_TOKEN_MARGIN)
    /// (60 s) or a tenth of its lifetime, whichever is shorter. Then the next call asks for
    /// a new one. Concurrent calls that find no fresh token share one request and its
    /// outcome (single flight). Another scope or API host asks anew. Nothing is kept
    /// after a failure: a server refusal (a wrong secret: HTTP 401 `invalid_client`; a
    /// scope the client may not have: 400 `invalid_scope`) is the answer, its message
    /// the OAuth error and its description, never the secret. An empty id or secret, or
    /// a malformed scope, answers 10010 before anything is sent. The session (a signed-in
    /// user) is not touched.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, ClientCredentialInput};
    /// let input = ClientCredentialInput::new("the machine client's id", "its secret");
    /// AuthClient::new()
    ///     .get_access_token_by_client_credentials("read:users", &input, |response: AuthResponse| {
    ///         match response.machine_token() {
    ///             Ok(token) => println!("Bearer {}…", &token.access_token()[..8]),
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getAccessTokenByClientCredentials"))]
    pub fn get_access_token_by_client_credentials<C: AuthCallback>(
        &self,
        scope: &str,
        input: &ClientCredentialInput,
        callback: C,
    ) -> RequestHandle {
        let (scope, input) = (scope.to_string(), input.clone());
        self.spawn(callback, move |client, _| {
            client.get_access_token_by_client_credentials_blocking(&scope, &input)
        })
    }

    /// The blocking twin of
    /// [`get_access_token_by_client_credentials`](Self::get_access_token_by_client_credentials).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewMachineClient};
    /// use authing::{AuthClient, ClientCredentialInput};
    /// let emulator = Emulator::start()?;
    /// let machine = emulator.add_machine_client(NewMachineClient::new().scopes(&["read:users"]))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let input = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    /// let first = client.get_access_token_by_client_credentials_blocking("read:users", &input).machine_token()?;
    /// let again = client.get_access_token_by_client_credentials_blocking("read:users", &input).machine_token()?;
    /// assert_eq!(first.access_token(), again.access_token()); // from the cache
    /// assert_eq!(emulator.machine_clients()[0].tokens_issued, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_access_token_by_client_credentials_blocking(
        &self,
        scope: &str,
        input: &ClientCredentialInput,
    ) -> AuthResponse {
        let checked = (|| -> Result<(String, String, String), AuthError> {
            self.settings()?;
            let (id, secret) = input.checked()?;
            let scope = checked_scope(scope)?;
            Ok((id.to_string(), secret.to_string(), scope.to_string()))
        })();
        let (id, secret, scope) = match checked {
            Ok(checked) => checked,
            Err(error) => return AuthResponse::from_error(error),
        };
        let base = match self.base_url() {
            Ok(base) => base,
            Err(error) => return AuthResponse::from_error(error),
        };
        let now = || input.now();
        let outcome = input.cache.get(&base, &scope, &now, || {
            let response = self.post_form(TOKEN_PATH, || {
                let mut form = vec![
                    ("grant_type", "client_credentials".to_string()),
                    ("client_id", id.clone()),
                    ("client_secret", secret.clone()),
                ];
                if !scope.is_empty() {
                    form.push(("scope", scope.clone()));
                }
                Ok(form)
            });
            if !response.is_success() {
                return Err(Box::new(oauth_refusal(response)));
            }
            machine_token_at(&response, input.now()).map_err(|error| {
                let mut answer = AuthResponse::from_error(error);
                answer.request_id = response.request_id.clone();
                Box::new(answer)
            })
        });
        match outcome {
            Ok(token) => {
                let left = token
                    .expires_at()
                    .duration_since(input.now())
                    .unwrap_or_default();
                response::from_plain_json(json!({
                    "access_token": token.access_token(),
                    "token_type": token.token_type(),
                    "expire_in": left.as_secs(),
                }))
            }
            Err(answer) => *answer,
        }
    }
}

impl AuthClient {
    /// The form of RFC 7662 introspection and RFC 7009 revocation: the app's `client_id`
    /// and the checked `token` (10002 unconfigured, 10010 a bad token; nothing sent).
    fn client_and_token_form(&self, token: &str) -> Result<Vec<(&'static str, String)>, AuthError> {
        let client_id = self.client_id()?;
        let token = validate::token("token", Some(token))?;
        Ok(vec![("client_id", client_id), ("token", token.to_string())])
    }
}

/// The scope of the client-credentials grant: empty, or visible ASCII words separated by
/// single spaces.
fn checked_scope(scope: &str) -> Result<&str, InputError> {
    if scope.is_empty() {
        return Ok(scope);
    }
    if scope.len() > MAX_SCOPE_LEN {
        return Err(InputError::new(
            "scope",
            format!("is longer than {MAX_SCOPE_LEN} bytes"),
        ));
    }
    if !scope.split(' ').all(|word| {
        !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    }) {
        return Err(InputError::new(
            "scope",
            "must be words of visible ascii separated by single spaces (rfc 6749 section 3.3)",
        ));
    }
    Ok(scope)
}

/// The token endpoint's refusal as an API error: its HTTP status, and as the message the
/// OAuth `error` and `error_description` (RFC 6749 section 5.2), e.g. `invalid_client:
/// client authentication failed: …`. Another answer is kept as it is.
fn oauth_refusal(response: AuthResponse) -> AuthResponse {
    let body: Option<Value> = serde_json::from_str(response.message()).ok();
    let field = |key: &str| {
        body.as_ref()
            .and_then(|b| b.get(key))
            .and_then(Value::as_str)
            .map(|s| {
                s.chars()
                    .filter(|c| !c.is_control())
                    .take(300)
                    .collect::<String>()
            })
    };
    let Some(error) = field("error") else {
        return response;
    };
    let message = match field("error_description") {
        Some(description) => format!("{error}: {description}"),
        None => error,
    };
    let api = ApiError::new(
        response.status_code(),
        None,
        message,
        response.request_id().map(str::to_owned),
    );
    AuthResponse::from_error(AuthError::Api(api))
}

/// A v2 answer's failure as an API error: the `{"code":400,"message":..}` Authing's v2
/// endpoints answer, in a 2xx body or in an error status's body, becomes a failure with
/// that code and message. Another answer is kept as it is.
fn v2_refusal(response: AuthResponse) -> AuthResponse {
    let body: Option<Value> = match response.data() {
        Some(data) if response.is_success() => Some(data.clone()),
        _ => serde_json::from_str(response.message()).ok(),
    };
    let Some(body) = body else {
        return response;
    };
    let code = body.get("code").and_then(Value::as_i64);
    let Some(code) = code
        .filter(|c| *c != 200)
        .and_then(|c| i32::try_from(c).ok())
    else {
        return response;
    };
    let message: String = body
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("the token is not valid")
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    let api = ApiError::new(
        code,
        None,
        message,
        response.request_id().map(str::to_owned),
    );
    AuthResponse::from_error(AuthError::Api(api))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_words_separated_by_single_spaces() {
        assert!(checked_scope("").is_ok());
        assert!(checked_scope("read:users write:users").is_ok());
        for bad in ["a  b", " a", "a\tb", "a\"b", "é"] {
            assert!(checked_scope(bad).is_err(), "{bad}");
        }
    }
}
