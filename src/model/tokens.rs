//! The tokens family's payloads and typed answers: [`BuildLogoutUrlParams`] (the logout
//! URL), [`ClientCredentialInput`] (a program's own credentials, with the cache of its
//! [`MachineToken`](crate::MachineToken)), [`TokenIntrospection`] (RFC 7662, online or
//! checked offline) and [`MfaTokenIntrospection`], and their [`AuthResponse`] views.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::error::{AuthError, InputError};
use crate::redact::REDACTED;
use crate::response::AuthResponse;
use crate::session::{MachineToken, MachineTokenCache};
use crate::validate;

/// The longest text a logout URL's field may be.
const MAX_URL_LEN: usize = 2048;

/// What the logout URL carries (Java: `BuildLogoutUrlParams`): where the provider sends
/// the browser after signing it out, the id_token that asks for it, and a `state` that
/// comes back. Every field is optional, but a redirect needs the id_token (the spec's
/// rule: the token proves the request, so no third party can plant a logout link).
/// `Debug` hides the id_token.
///
/// ```
/// let mut params = authing::BuildLogoutUrlParams::new();
/// params
///     .set_post_logout_redirect_uri("https://example.com/bye")
///     .set_id_token_hint("the id_token of the sign-in")
///     .set_state("s-1");
/// assert_eq!(params.state(), Some("s-1"));
/// assert!(!format!("{params:?}").contains("the id_token"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BuildLogoutUrlParams {
    post_logout_redirect_uri: Option<String>,
    id_token_hint: Option<String>,
    state: Option<String>,
}

impl BuildLogoutUrlParams {
    /// Empty parameters: the URL then only ends the provider's session.
    ///
    /// ```
    /// assert_eq!(authing::BuildLogoutUrlParams::new().state(), None);
    /// ```
    pub fn new() -> BuildLogoutUrlParams {
        BuildLogoutUrlParams::default()
    }

    /// Sets where the browser goes after the logout (`post_logout_redirect_uri`; it must
    /// be among the app's logout callback URLs on the server).
    ///
    /// ```
    /// let mut params = authing::BuildLogoutUrlParams::new();
    /// params.set_post_logout_redirect_uri("https://example.com/bye");
    /// assert_eq!(params.post_logout_redirect_uri(), Some("https://example.com/bye"));
    /// ```
    pub fn set_post_logout_redirect_uri(&mut self, uri: impl Into<String>) -> &mut Self {
        self.post_logout_redirect_uri = Some(uri.into());
        self
    }

    /// Sets the id_token of the sign-in (`id_token_hint`).
    ///
    /// ```
    /// let mut params = authing::BuildLogoutUrlParams::new();
    /// params.set_id_token_hint("eyJ...");
    /// assert!(params.id_token_hint().is_some());
    /// ```
    pub fn set_id_token_hint(&mut self, id_token: impl Into<String>) -> &mut Self {
        self.id_token_hint = Some(id_token.into());
        self
    }

    /// Sets the `state` that comes back on the redirect.
    ///
    /// ```
    /// let mut params = authing::BuildLogoutUrlParams::new();
    /// params.set_state("s-1");
    /// assert_eq!(params.state(), Some("s-1"));
    /// ```
    pub fn set_state(&mut self, state: impl Into<String>) -> &mut Self {
        self.state = Some(state.into());
        self
    }

    /// The redirect after the logout, if set.
    ///
    /// ```
    /// assert_eq!(authing::BuildLogoutUrlParams::new().post_logout_redirect_uri(), None);
    /// ```
    pub fn post_logout_redirect_uri(&self) -> Option<&str> {
        self.post_logout_redirect_uri.as_deref()
    }

    /// The id_token, if set.
    ///
    /// ```
    /// assert_eq!(authing::BuildLogoutUrlParams::new().id_token_hint(), None);
    /// ```
    pub fn id_token_hint(&self) -> Option<&str> {
        self.id_token_hint.as_deref()
    }

    /// The `state`, if set.
    ///
    /// ```
    /// assert_eq!(authing::BuildLogoutUrlParams::new().state(), None);
    /// ```
    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }

    /// The query pairs, checked: each field visible ASCII and bounded, the redirect an
    /// absolute `http(s)` URL, and a redirect only with an id_token.
    pub(crate) fn checked_pairs(&self) -> Result<Vec<(&'static str, &str)>, InputError> {
        let mut pairs = Vec::new();
        if let Some(token) = &self.id_token_hint {
            pairs.push((
                "id_token_hint",
                validate::token("id_token_hint", Some(token))?,
            ));
        }
        if let Some(uri) = &self.post_logout_redirect_uri {
            const FIELD: &str = "post_logout_redirect_uri";
            let uri = validate::text(FIELD, Some(uri), MAX_URL_LEN)?;
            let lower = uri.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://"))
                || !uri.bytes().all(|b| b.is_ascii_graphic())
            {
                return Err(InputError::new(
                    FIELD,
                    "must be an absolute http or https url",
                ));
            }
            if self.id_token_hint.is_none() {
                return Err(InputError::new(
                    FIELD,
                    "needs id_token_hint too: the server ignores a logout redirect without it",
                ));
            }
            pairs.push((FIELD, uri));
        }
        if let Some(state) = &self.state {
            pairs.push(("state", validate::text("state", Some(state), MAX_URL_LEN)?));
        }
        Ok(pairs)
    }
}

impl fmt::Debug for BuildLogoutUrlParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuildLogoutUrlParams")
            .field("post_logout_redirect_uri", &self.post_logout_redirect_uri)
            .field(
                "id_token_hint",
                &self.id_token_hint.as_ref().map(|_| REDACTED),
            )
            .field("state", &self.state)
            .finish()
    }
}

/// What [`validate_token`](crate::AuthClient::validate_token) checks (Java:
/// `ValidateTokenParams`): an access token or an id_token, exactly one. `Debug` hides them.
///
/// ```
/// let mut params = authing::ValidateTokenParams::new();
/// params.set_access_token("eyJ...");
/// assert_eq!(params.access_token(), Some("eyJ..."));
/// assert!(!format!("{params:?}").contains("eyJ"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ValidateTokenParams {
    access_token: Option<String>,
    id_token: Option<String>,
}

impl ValidateTokenParams {
    /// Nothing set yet: set one of the two tokens.
    ///
    /// ```
    /// assert_eq!(authing::ValidateTokenParams::new().id_token(), None);
    /// ```
    pub fn new() -> ValidateTokenParams {
        ValidateTokenParams::default()
    }

    /// Sets the access token to check (Java: `setAccessToken`).
    ///
    /// ```
    /// authing::ValidateTokenParams::new().set_access_token("eyJ...");
    /// ```
    pub fn set_access_token(&mut self, access_token: impl Into<String>) -> &mut Self {
        self.access_token = Some(access_token.into());
        self
    }

    /// Sets the id_token to check (Java: `setIdToken`).
    ///
    /// ```
    /// authing::ValidateTokenParams::new().set_id_token("eyJ...");
    /// ```
    pub fn set_id_token(&mut self, id_token: impl Into<String>) -> &mut Self {
        self.id_token = Some(id_token.into());
        self
    }

    /// The access token, if set.
    ///
    /// ```
    /// assert_eq!(authing::ValidateTokenParams::new().access_token(), None);
    /// ```
    pub fn access_token(&self) -> Option<&str> {
        self.access_token.as_deref()
    }

    /// The id_token, if set.
    ///
    /// ```
    /// assert_eq!(authing::ValidateTokenParams::new().id_token(), None);
    /// ```
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }

    /// The one query pair, checked: exactly one token, 1 to 4096 visible ASCII characters.
    pub(crate) fn checked_pair(&self) -> Result<(&'static str, &str), InputError> {
        match (&self.access_token, &self.id_token) {
            (Some(token), None) => Ok((
                "access_token",
                validate::token("access_token", Some(token))?,
            )),
            (None, Some(token)) => Ok(("id_token", validate::token("id_token", Some(token))?)),
            (Some(_), Some(_)) => Err(InputError::new(
                "access_token",
                "and id_token are both set: set one of them",
            )),
            (None, None) => Err(InputError::new(
                "access_token",
                "and id_token are both missing: set one of them",
            )),
        }
    }
}

impl fmt::Debug for ValidateTokenParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidateTokenParams")
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| REDACTED),
            )
            .field("id_token", &self.id_token.as_ref().map(|_| REDACTED))
            .finish()
    }
}

/// The clock a [`ClientCredentialInput`]'s cache judges expiry by.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// A program's own credentials for the `client_credentials` grant (Java:
/// `ClientCredentialInput(accessKey, accessSecret)`): the client id and secret of a
/// machine-to-machine client (Authing's programmatic access account), and the cache of
/// the token they get.
///
/// Keep one and clone it freely: clones share one cache, so every
/// [`get_access_token_by_client_credentials`](crate::AuthClient::get_access_token_by_client_credentials)
/// with it is answered from the cache until the token is about to expire (see
/// [`MACHINE_TOKEN_MARGIN`](crate::MACHINE_TOKEN_MARGIN)), and concurrent
/// calls share one request. A new input starts with an empty cache (Java code that makes
/// one per call works, and asks the server each time). `Debug` hides the secret.
///
/// ```
/// let input = authing::ClientCredentialInput::new("m2m-client-id", "its secret");
/// assert_eq!(input.access_key(), "m2m-client-id");
/// assert!(!format!("{input:?}").contains("its secret"));
/// ```
#[derive(Clone)]
pub struct ClientCredentialInput {
    access_key: String,
    access_secret: String,
    clock: Option<Clock>,
    pub(crate) cache: Arc<MachineTokenCache>,
}

impl ClientCredentialInput {
    /// The credentials of a machine client: its id (`client_id`) and secret.
    ///
    /// ```
    /// let input = authing::ClientCredentialInput::new("m2m-client-id", "secret");
    /// # let _ = input;
    /// ```
    pub fn new(access_key: impl Into<String>, access_secret: impl Into<String>) -> Self {
        ClientCredentialInput {
            access_key: access_key.into(),
            access_secret: access_secret.into(),
            clock: None,
            cache: Arc::default(),
        }
    }

    /// The client id.
    ///
    /// ```
    /// assert_eq!(authing::ClientCredentialInput::new("id", "s").access_key(), "id");
    /// ```
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// Replaces the clock the cache judges a token's expiry by (this machine's wall clock
    /// by default). Against the embedded emulator, its clock
    /// (`move || emulator.now()`), so that `advance_clock` ages the cached token as it
    /// ages the server's, and renewal is tested without waiting. Clones made afterwards
    /// share it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let emulator = Arc::new(authing::emulator::Emulator::start()?);
    /// let server = Arc::clone(&emulator);
    /// let mut input = authing::ClientCredentialInput::new("id", "secret");
    /// input.set_clock(move || server.now());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_clock(
        &mut self,
        clock: impl Fn() -> SystemTime + Send + Sync + 'static,
    ) -> &mut Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Now, on this input's clock.
    pub(crate) fn now(&self) -> SystemTime {
        self.clock.as_ref().map_or_else(SystemTime::now, |c| c())
    }

    /// The id and the secret, checked.
    pub(crate) fn checked(&self) -> Result<(&str, &str), InputError> {
        let id = validate::code("access_key", &self.access_key)?;
        let secret = validate::token("access_secret", Some(&self.access_secret))?;
        Ok((id, secret))
    }
}

impl fmt::Debug for ClientCredentialInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentialInput")
            .field("access_key", &self.access_key)
            .field("access_secret", &format_args!("{REDACTED}"))
            .field(
                "clock",
                &if self.clock.is_some() {
                    "custom"
                } else {
                    "system"
                },
            )
            .finish()
    }
}

/// The state of a token (RFC 7662): [`introspect_token`](crate::AuthClient::introspect_token)'s
/// answer from the server, or the claims of an access token that
/// [`introspect_access_token_offline`](crate::AuthClient::introspect_access_token_offline)
/// checked. A token that is not live is `active: false` and nothing else.
///
/// ```
/// use authing::emulator::{Emulator, NewUser};
/// use authing::AuthClient;
///
/// let emulator = Emulator::start()?;
/// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
/// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
/// client.sign_in_by_email_password_blocking("alice@example.com", "secret-1", None);
/// let access_token = client.get_token().unwrap().access_token().to_string();
///
/// let state = client.introspect_token_blocking(&access_token).token_introspection()?;
/// assert!(state.active());
/// println!("{} until {:?}", state.sub().unwrap_or("-"), state.exp());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TokenIntrospection {
    fields: Map<String, Value>,
}

impl TokenIntrospection {
    pub(crate) fn from_fields(fields: Map<String, Value>) -> TokenIntrospection {
        TokenIntrospection { fields }
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// Whether the token is live (issued, not revoked, not expired).
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// if !it().active() { println!("sign in again"); }
    /// ```
    pub fn active(&self) -> bool {
        self.fields.get("active").and_then(Value::as_bool) == Some(true)
    }

    /// Whom the token stands for: a user id, or a machine client's id.
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{}", it().sub().unwrap_or("-"));
    /// ```
    pub fn sub(&self) -> Option<&str> {
        self.text("sub")
    }

    /// Its scopes, space-separated.
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// let can_read = it().scope().is_some_and(|s| s.split(' ').any(|s| s == "read:users"));
    /// ```
    pub fn scope(&self) -> Option<&str> {
        self.text("scope")
    }

    /// The client it was issued to.
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{}", it().client_id().unwrap_or("-"));
    /// ```
    pub fn client_id(&self) -> Option<&str> {
        self.text("client_id")
    }

    /// When it expires, in seconds since the Unix epoch.
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{:?}", it().exp());
    /// ```
    pub fn exp(&self) -> Option<u64> {
        self.fields.get("exp").and_then(Value::as_u64)
    }

    /// When it was issued, in seconds since the Unix epoch.
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{:?}", it().iat());
    /// ```
    pub fn iat(&self) -> Option<u64> {
        self.fields.get("iat").and_then(Value::as_u64)
    }

    /// Its issuer.
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{}", it().iss().unwrap_or("-"));
    /// ```
    pub fn iss(&self) -> Option<&str> {
        self.text("iss")
    }

    /// Its id (`jti`).
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{}", it().jti().unwrap_or("-"));
    /// ```
    pub fn jti(&self) -> Option<&str> {
        self.text("jti")
    }

    /// Its type (`Bearer`, or `refresh_token` for a refresh token).
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{}", it().token_type().unwrap_or("-"));
    /// ```
    pub fn token_type(&self) -> Option<&str> {
        self.text("token_type")
    }

    /// Every field, as the server sent it (online) or the token's claims (offline).
    ///
    /// ```
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.introspect_token_blocking("not-a-token").token_introspection().unwrap();
    /// # let it = || state.clone();
    /// let aud = it().fields().get("aud").cloned();
    /// ```
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }
}

/// The state of an `mfaToken` (the spec's `MfaTokenIntrospectResponse`), as
/// [`verify_mfa_token`](crate::AuthClient::verify_mfa_token) answers it.
///
/// ```
/// # let emulator = authing::emulator::Emulator::start()?;
/// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
/// let state = client.verify_mfa_token_blocking("an-mfa-token").mfa_token_introspection()?;
/// if state.active() { println!("the challenge of {} is open", state.user_id().unwrap_or("-")); }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MfaTokenIntrospection {
    fields: Map<String, Value>,
}

impl MfaTokenIntrospection {
    /// Whether the `mfaToken` is live (its challenge open and not expired).
    ///
    /// ```no_run
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.verify_mfa_token_blocking("an-open-challenges-token").mfa_token_introspection().unwrap();
    /// # let it = || state.clone();
    /// assert!(it().active());
    /// ```
    pub fn active(&self) -> bool {
        self.fields.get("active").and_then(Value::as_bool) == Some(true)
    }

    /// The user the challenge is for.
    ///
    /// ```no_run
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.verify_mfa_token_blocking("an-open-challenges-token").mfa_token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{}", it().user_id().unwrap_or("-"));
    /// ```
    pub fn user_id(&self) -> Option<&str> {
        self.fields.get("userId").and_then(Value::as_str)
    }

    /// The user pool that issued it.
    ///
    /// ```no_run
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.verify_mfa_token_blocking("an-open-challenges-token").mfa_token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{}", it().user_pool_id().unwrap_or("-"));
    /// ```
    pub fn user_pool_id(&self) -> Option<&str> {
        self.fields.get("userPoolId").and_then(Value::as_str)
    }

    /// When it expires, in seconds since the Unix epoch.
    ///
    /// ```no_run
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.verify_mfa_token_blocking("an-open-challenges-token").mfa_token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{:?}", it().exp());
    /// ```
    pub fn exp(&self) -> Option<u64> {
        self.fields.get("exp").and_then(Value::as_u64)
    }

    /// When it was issued, in seconds since the Unix epoch.
    ///
    /// ```no_run
    /// # let emulator = authing::emulator::Emulator::start().unwrap();
    /// # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build().unwrap();
    /// # let state = client.verify_mfa_token_blocking("an-open-challenges-token").mfa_token_introspection().unwrap();
    /// # let it = || state.clone();
    /// println!("{:?}", it().iat());
    /// ```
    pub fn iat(&self) -> Option<u64> {
        self.fields.get("iat").and_then(Value::as_u64)
    }
}

/// The JSON object of a successful answer, or why there is none.
fn object(response: &AuthResponse) -> Result<&Map<String, Value>, AuthError> {
    if let Some(error) = response.error() {
        return Err(error.clone());
    }
    response
        .data()
        .and_then(Value::as_object)
        .ok_or_else(|| AuthError::UnexpectedResponse {
            reason: "the answer is not a json object".into(),
        })
}

/// The tokens family's views of an answer.
impl AuthResponse {
    /// The state of the token [`introspect_token`](crate::AuthClient::introspect_token) or
    /// [`introspect_access_token_offline`](crate::AuthClient::introspect_access_token_offline)
    /// asked about; the call's error when it failed.
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().introspect_token_blocking("an access token");
    /// match response.token_introspection() {
    ///     Ok(state) => println!("active: {}", state.active()),
    ///     Err(error) => println!("{error}"),
    /// }
    /// ```
    pub fn token_introspection(&self) -> Result<TokenIntrospection, AuthError> {
        let fields = object(self)?;
        if !fields.get("active").is_some_and(Value::is_boolean) {
            return Err(AuthError::UnexpectedResponse {
                reason: "the introspection answer has no boolean active".into(),
            });
        }
        Ok(TokenIntrospection::from_fields(fields.clone()))
    }

    /// The state of the `mfaToken` [`verify_mfa_token`](crate::AuthClient::verify_mfa_token)
    /// asked about; the call's error when it failed.
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().verify_mfa_token_blocking("an mfa token");
    /// println!("{:?}", response.mfa_token_introspection().map(|s| s.active()));
    /// ```
    pub fn mfa_token_introspection(&self) -> Result<MfaTokenIntrospection, AuthError> {
        let fields = object(self)?;
        if !fields.get("active").is_some_and(Value::is_boolean) {
            return Err(AuthError::UnexpectedResponse {
                reason: "the mfa token introspection answer has no boolean active".into(),
            });
        }
        Ok(MfaTokenIntrospection {
            fields: fields.clone(),
        })
    }

    /// The URL [`build_logout_url`](crate::AuthClient::build_logout_url) built.
    ///
    /// ```no_run
    /// let params = authing::BuildLogoutUrlParams::new();
    /// let url = authing::AuthClient::new().build_logout_url_blocking(&params).logout_url();
    /// ```
    pub fn logout_url(&self) -> Result<String, AuthError> {
        object(self)?
            .get("url")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "the answer has no url".into(),
            })
    }

    /// The token [`get_access_token_by_client_credentials`](crate::AuthClient::get_access_token_by_client_credentials)
    /// got (from the server or the cache), its expiry counted from now on this machine's
    /// clock; the call's error when it failed.
    ///
    /// ```no_run
    /// let input = authing::ClientCredentialInput::new("id", "secret");
    /// let response = authing::AuthClient::new().get_access_token_by_client_credentials_blocking("", &input);
    /// if let Ok(token) = response.machine_token() { println!("{:?}", token.expires_at()); }
    /// ```
    pub fn machine_token(&self) -> Result<MachineToken, AuthError> {
        machine_token_at(self, SystemTime::now())
    }
}

/// The token of a `client_credentials` answer, received at `now`: `access_token`,
/// `token_type` (`Bearer` when left out) and `expire_in` (Authing's spelling) or
/// `expires_in` (RFC 6749's) in seconds.
pub(crate) fn machine_token_at(
    response: &AuthResponse,
    now: SystemTime,
) -> Result<MachineToken, AuthError> {
    let fields = object(response)?;
    let bad = |reason: &str| AuthError::UnexpectedResponse {
        reason: reason.into(),
    };
    let access_token = fields
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("the token answer has no access_token"))?;
    let lifetime = fields
        .get("expire_in")
        .or_else(|| fields.get("expires_in"))
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("the token answer has no numeric expire_in"))?;
    // Counted as at most 100 years, as a session's lifetime is (`session/tokens.rs`): a
    // server's (or a test clock's) huge number must not overflow the clock and panic.
    let lifetime = Duration::from_secs(lifetime).min(crate::session::tokens::MAX_LIFETIME);
    let expires_at = now
        .checked_add(lifetime)
        .ok_or_else(|| bad("the token answer's expire_in is beyond the clock's range"))?;
    Ok(MachineToken {
        access_token: access_token.to_owned(),
        token_type: fields
            .get("token_type")
            .and_then(Value::as_str)
            .unwrap_or("Bearer")
            .to_owned(),
        expires_at,
        lifetime,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_expire_in_is_counted_as_100_years_and_never_panics() {
        for huge in [u64::MAX, u64::MAX / 2, 3_153_600_001] {
            let response = crate::response::from_plain_json(
                serde_json::json!({"access_token": "at", "expire_in": huge}),
            );
            let now = SystemTime::now();
            let token = machine_token_at(&response, now).unwrap();
            assert_eq!(
                token.lifetime,
                crate::session::tokens::MAX_LIFETIME,
                "{huge}"
            );
        }
    }

    #[test]
    fn a_logout_redirect_needs_the_id_token_and_an_absolute_url() {
        let mut params = BuildLogoutUrlParams::new();
        params.set_post_logout_redirect_uri("https://example.com/bye");
        let e = params.checked_pairs().unwrap_err();
        assert!(e.to_string().contains("id_token_hint"), "{e}");
        params
            .set_id_token_hint("tok")
            .set_post_logout_redirect_uri("example.com");
        assert!(params.checked_pairs().is_err());
        params.set_post_logout_redirect_uri("http://127.0.0.1:8080/bye");
        assert_eq!(params.checked_pairs().unwrap().len(), 2);
    }

    #[test]
    fn debug_hides_the_secret_and_the_id_token() {
        let input = ClientCredentialInput::new("id", "very-secret");
        assert!(!format!("{input:?}").contains("very-secret"));
        let mut params = BuildLogoutUrlParams::new();
        params.set_id_token_hint("hint-value");
        assert!(!format!("{params:?}").contains("hint-value"));
    }
}
