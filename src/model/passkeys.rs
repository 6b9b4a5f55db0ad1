//! The passkey (WebAuthn) family's typed answers: the server's options with their ticket
//! ([`RegistrationOptions`], [`AuthenticationOptions`]), a verification
//! ([`PasskeyVerification`]), the user's credentials ([`PasskeyList`]), and the
//! [`AuthenticatorCode`] a credential is filed under.

use std::time::Duration;

use serde_json::Value;

use crate::error::AuthError;
use crate::passkey::{unb64url, AssertionRequest, CreationRequest};
use crate::response::AuthResponse;
use crate::session::TokenSet;

/// The kind of authenticator a credential is filed under (the spec's `authenticatorCode`:
/// `fingerprint`, `face`, `other`), sent on registration and used to filter the list.
///
/// ```
/// assert_eq!(authing::AuthenticatorCode::Fingerprint.as_str(), "fingerprint");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthenticatorCode {
    /// `fingerprint` (指纹).
    Fingerprint,
    /// `face` (人脸).
    Face,
    /// `other` (其他): a security key, a PIN, a platform passkey.
    Other,
}

impl AuthenticatorCode {
    /// The wire word.
    ///
    /// ```
    /// assert_eq!(authing::AuthenticatorCode::Other.as_str(), "other");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            AuthenticatorCode::Fingerprint => "fingerprint",
            AuthenticatorCode::Face => "face",
            AuthenticatorCode::Other => "other",
        }
    }
}

fn unexpected(reason: &str) -> AuthError {
    AuthError::UnexpectedResponse {
        reason: reason.to_string(),
    }
}

/// `data` of a successful answer, or its error.
fn data_of(response: &AuthResponse) -> Result<&Value, AuthError> {
    if let Some(error) = response.error() {
        return Err(error.clone());
    }
    response
        .data()
        .ok_or_else(|| unexpected("the answer has no data"))
}

fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A timeout in milliseconds, a number or (as the spec's examples) a string.
fn timeout(value: &Value) -> Duration {
    let ms = match value.get("timeout") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Duration::from_millis(ms.unwrap_or(300_000))
}

/// The ids of a descriptor list (`[{id, type, transports}]`), decoded from base64url.
fn descriptor_ids(value: Option<&Value>) -> Result<Vec<Vec<u8>>, AuthError> {
    let Some(Value::Array(items)) = value else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .map(|item| {
            item.get("id")
                .and_then(Value::as_str)
                .and_then(unb64url)
                .ok_or_else(|| unexpected("a credential descriptor's id is not base64url"))
        })
        .collect()
}

fn user_verification(value: Option<&Value>) -> String {
    match value.and_then(Value::as_str) {
        Some(word @ ("required" | "preferred" | "discouraged")) => word.to_string(),
        _ => "preferred".to_string(),
    }
}

/// The answer of [`init_register_options`](crate::AuthClient::init_register_options): the
/// creation options (the spec's `PublicKeyCredentialCreationOptionsDto`) and the `ticket`
/// that [`verify_register`](crate::AuthClient::verify_register) sends back.
///
/// ```no_run
/// # let client = authing::AuthClient::new();
/// let options = client.init_register_options_blocking().registration_options()?;
/// println!("register at {} with ticket {}", options.creation().rp_id(), options.ticket());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RegistrationOptions {
    ticket: String,
    raw: Value,
    creation: CreationRequest,
}

impl RegistrationOptions {
    pub(crate) fn from_response(response: &AuthResponse) -> Result<RegistrationOptions, AuthError> {
        let data = data_of(response)?;
        let ticket = data
            .get("ticket")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unexpected("the registration options have no ticket"))?;
        let raw = data
            .get("registrationOptions")
            .filter(|o| o.is_object())
            .ok_or_else(|| unexpected("the answer has no registrationOptions"))?;
        let challenge = text(raw, "challenge");
        if challenge.is_empty() || unb64url(&challenge).is_none() {
            return Err(unexpected("the registration challenge is not base64url"));
        }
        let rp = raw.get("rp").cloned().unwrap_or(Value::Null);
        let user = raw.get("user").cloned().unwrap_or(Value::Null);
        let rp_id = text(&rp, "id");
        if rp_id.is_empty() {
            return Err(unexpected("the registration options have no rp.id"));
        }
        let user_id = unb64url(&text(&user, "id"))
            .filter(|id| !id.is_empty())
            .ok_or_else(|| unexpected("the registration options' user.id is not base64url"))?;
        let algorithms = match raw.get("pubKeyCredParams") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|p| p.get("alg").and_then(Value::as_i64))
                .collect(),
            _ => Vec::new(),
        };
        let creation = CreationRequest {
            rp_name: text(&rp, "name"),
            rp_id,
            user_id,
            user_name: text(&user, "name"),
            user_display_name: text(&user, "displayName"),
            challenge,
            client_data_json: Vec::new(),
            algorithms,
            exclude_credentials: descriptor_ids(raw.get("excludeCredentials"))?,
            user_verification: user_verification(
                raw.get("authenticatorSelection")
                    .and_then(|s| s.get("userVerification")),
            ),
            timeout: timeout(raw),
        };
        Ok(RegistrationOptions {
            ticket: ticket.to_string(),
            raw: raw.clone(),
            creation,
        })
    }

    /// The ticket of this ceremony (single use).
    ///
    /// ```no_run
    /// # fn f(o: &authing::RegistrationOptions) { println!("{}", o.ticket()); }
    /// ```
    pub fn ticket(&self) -> &str {
        &self.ticket
    }

    /// The options, read as an authenticator is asked for them (its clientDataJSON is
    /// empty: the flow writes it).
    ///
    /// ```no_run
    /// # fn f(o: &authing::RegistrationOptions) { println!("{}", o.creation().user_name()); }
    /// ```
    pub fn creation(&self) -> &CreationRequest {
        &self.creation
    }

    /// The options as the server sent them (`registrationOptions`), for fields this type
    /// does not read.
    ///
    /// ```no_run
    /// # fn f(o: &authing::RegistrationOptions) { println!("{}", o.raw()["attestation"]); }
    /// ```
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}

/// The answer of [`init_authentication_options`](crate::AuthClient::init_authentication_options):
/// the request options (the spec's `PublicKeyCredentialRequestOptionsDto`) and the `ticket`
/// [`verify_authentication`](crate::AuthClient::verify_authentication) sends back.
///
/// ```no_run
/// # let client = authing::AuthClient::new();
/// let options = client.init_authentication_options_blocking().authentication_options()?;
/// println!("sign in at {}", options.request().rp_id());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AuthenticationOptions {
    ticket: String,
    raw: Value,
    request: AssertionRequest,
}

impl AuthenticationOptions {
    pub(crate) fn from_response(
        response: &AuthResponse,
    ) -> Result<AuthenticationOptions, AuthError> {
        let data = data_of(response)?;
        let ticket = data
            .get("ticket")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unexpected("the authentication options have no ticket"))?;
        let raw = data
            .get("authenticationOptions")
            .filter(|o| o.is_object())
            .ok_or_else(|| unexpected("the answer has no authenticationOptions"))?;
        let challenge = text(raw, "challenge");
        if challenge.is_empty() || unb64url(&challenge).is_none() {
            return Err(unexpected("the authentication challenge is not base64url"));
        }
        let rp_id = text(raw, "rpId");
        if rp_id.is_empty() {
            return Err(unexpected("the authentication options have no rpId"));
        }
        let request = AssertionRequest {
            rp_id,
            challenge,
            client_data_json: Vec::new(),
            allow_credentials: descriptor_ids(raw.get("allowCredentials"))?,
            user_verification: user_verification(raw.get("userVerification")),
            timeout: timeout(raw),
        };
        Ok(AuthenticationOptions {
            ticket: ticket.to_string(),
            raw: raw.clone(),
            request,
        })
    }

    /// The ticket of this ceremony (single use).
    ///
    /// ```no_run
    /// # fn f(o: &authing::AuthenticationOptions) { println!("{}", o.ticket()); }
    /// ```
    pub fn ticket(&self) -> &str {
        &self.ticket
    }

    /// The options, read as an authenticator is asked for them (its clientDataJSON is
    /// empty: the flow writes it).
    ///
    /// ```no_run
    /// # fn f(o: &authing::AuthenticationOptions) { println!("{}", o.request().challenge()); }
    /// ```
    pub fn request(&self) -> &AssertionRequest {
        &self.request
    }

    /// The options as the server sent them (`authenticationOptions`).
    ///
    /// ```no_run
    /// # fn f(o: &authing::AuthenticationOptions) { println!("{}", o.raw()["rpId"]); }
    /// ```
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}

/// The answer of [`verify_register`](crate::AuthClient::verify_register) and
/// [`verify_authentication`](crate::AuthClient::verify_authentication) (the spec's
/// `VerifyRegistrationResultDto` / `VerifyAuthenticationResultDto`): whether the server
/// verified it and, for a sign-in, the tokens (`tokenSet`, the same fields as a
/// sign-in's `data`).
///
/// ```no_run
/// # let response = authing::AuthClient::new().init_authentication_options_blocking();
/// let verification = response.passkey_verification()?;
/// assert!(verification.verified());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PasskeyVerification {
    verified: bool,
    token_set: Option<TokenSet>,
}

impl PasskeyVerification {
    pub(crate) fn from_response(response: &AuthResponse) -> Result<PasskeyVerification, AuthError> {
        let data = data_of(response)?;
        let verified = data
            .get("verified")
            .and_then(Value::as_bool)
            .ok_or_else(|| unexpected("the answer has no verified"))?;
        let token_set = match data.get("tokenSet") {
            Some(tokens) if tokens.is_object() => Some(tokens_of(response, tokens)?),
            _ => None,
        };
        Ok(PasskeyVerification {
            verified,
            token_set,
        })
    }

    /// Whether the server verified the credential (`verified`).
    ///
    /// ```no_run
    /// # fn f(v: &authing::PasskeyVerification) { println!("{}", v.verified()); }
    /// ```
    pub fn verified(&self) -> bool {
        self.verified
    }

    /// The tokens of a verified sign-in (`tokenSet`).
    ///
    /// ```no_run
    /// # fn f(v: &authing::PasskeyVerification) { println!("{}", v.token_set().is_some()); }
    /// ```
    pub fn token_set(&self) -> Option<&TokenSet> {
        self.token_set.as_ref()
    }
}

/// The response whose `data` is `tokens`: how the sign-in path reads a token answer.
pub(crate) fn token_answer(response: &AuthResponse, tokens: &Value) -> AuthResponse {
    let mut answer = response.clone();
    answer.data = Some(tokens.clone());
    answer
}

fn tokens_of(response: &AuthResponse, tokens: &Value) -> Result<TokenSet, AuthError> {
    token_answer(response, tokens).login_token_data()
}

/// The signed-in user's credentials, as
/// [`list_credentials_by_page`](crate::AuthClient::list_credentials_by_page) answers them
/// (the spec's `ListWebAuthnAuthenticatorDeviceDataDto`, read in the envelope's `data` or,
/// as the spec draws it, bare). The items' shape is not in the spec: each is raw JSON (the
/// emulator's: `credentialId`, `authenticatorCode`, `transports`, `counter`, `createdAt`,
/// `lastUsedAt`).
///
/// ```no_run
/// # let response = authing::AuthClient::new().list_credentials_by_page_blocking(None);
/// let list = response.passkey_list()?;
/// println!("{} passkeys", list.total_count());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PasskeyList {
    total_count: u64,
    list: Vec<Value>,
}

impl PasskeyList {
    pub(crate) fn from_response(response: &AuthResponse) -> Result<PasskeyList, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let data = response
            .data()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        let Some(Value::Array(list)) = data.get("list") else {
            return Err(unexpected("the answer has no list"));
        };
        let total_count = data
            .get("totalCount")
            .and_then(Value::as_u64)
            .unwrap_or(list.len() as u64);
        Ok(PasskeyList {
            total_count,
            list: list.clone(),
        })
    }

    /// How many credentials the user has (`totalCount`).
    ///
    /// ```no_run
    /// # fn f(l: &authing::PasskeyList) { println!("{}", l.total_count()); }
    /// ```
    pub fn total_count(&self) -> u64 {
        self.total_count
    }

    /// The credentials (`list`), raw JSON.
    ///
    /// ```no_run
    /// # fn f(l: &authing::PasskeyList) { for c in l.list() { println!("{}", c["credentialId"]); } }
    /// ```
    pub fn list(&self) -> &[Value] {
        &self.list
    }

    /// The credential ids the items carry (`credentialId`, else `id`).
    ///
    /// ```no_run
    /// # fn f(l: &authing::PasskeyList) { println!("{:?}", l.credential_ids()); }
    /// ```
    pub fn credential_ids(&self) -> Vec<String> {
        self.list.iter().filter_map(item_id).collect()
    }
}

fn item_id(item: &Value) -> Option<String> {
    match item {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("credentialId")
            .or_else(|| o.get("credentialID"))
            .or_else(|| o.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// # Passkeys (WebAuthn): typed answers
impl AuthResponse {
    /// The typed answer of `init_register_options`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().init_register_options_blocking();
    /// println!("{}", response.registration_options()?.ticket());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn registration_options(&self) -> Result<RegistrationOptions, AuthError> {
        RegistrationOptions::from_response(self)
    }

    /// The typed answer of `init_authentication_options`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().init_authentication_options_blocking();
    /// println!("{}", response.authentication_options()?.ticket());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn authentication_options(&self) -> Result<AuthenticationOptions, AuthError> {
        AuthenticationOptions::from_response(self)
    }

    /// The typed answer of `verify_register`, `verify_authentication` and the passkey flows.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().init_authentication_options_blocking();
    /// println!("{}", response.passkey_verification()?.verified());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn passkey_verification(&self) -> Result<PasskeyVerification, AuthError> {
        PasskeyVerification::from_response(self)
    }

    /// The typed answer of `list_credentials_by_page`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().list_credentials_by_page_blocking(None);
    /// println!("{}", response.passkey_list()?.total_count());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn passkey_list(&self) -> Result<PasskeyList, AuthError> {
        PasskeyList::from_response(self)
    }

    /// The typed answer of `check_valid_credentials_by_cred_ids`: the ids (of those sent)
    /// that are the user's valid credentials. The spec types `data` as a list of objects
    /// without their shape: strings, and objects with `credentialId` or `id`, are read.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().check_valid_credentials_by_cred_ids_blocking(&["abc"], None);
    /// println!("{:?}", response.valid_credential_ids()?);
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn valid_credential_ids(&self) -> Result<Vec<String>, AuthError> {
        let data = data_of(self)?;
        let Value::Array(items) = data else {
            return Err(unexpected("the answer's data is not a list"));
        };
        Ok(items.iter().filter_map(item_id).collect())
    }
}
