//! Passkeys (WebAuthn): the [`Authenticator`] a desktop app plugs into the passkey flows
//! ([`AuthClient::register_passkey`](crate::AuthClient::register_passkey),
//! [`AuthClient::sign_in_by_passkey`](crate::AuthClient::sign_in_by_passkey)), what the
//! flows ask of it ([`CreationRequest`], [`AssertionRequest`]) and what it answers
//! ([`NewCredential`], [`Assertion`], [`AuthenticatorError`]); with the cargo feature
//! `software-authenticator`, a `SoftwareAuthenticator` for tests and development.
//!
//! # What the flows do, and what the authenticator does
//!
//! The flow fetches the server's options, writes the clientDataJSON (`type`
//! `webauthn.create` or `webauthn.get`, the server's `challenge`, the `origin`, `crossOrigin:
//! false`), asks the authenticator, sends the result to the server for verification
//! and, for a sign-in, starts the session as every sign-in does. The authenticator only
//! makes a credential or signs: the user's gesture (touch, PIN, face, fingerprint) is its
//! business.
//!
//! # The origin
//!
//! A desktop app has no web origin. The flows write `https://<rp id>` (the RP id of the
//! server's options), the origin a browser on the relying party's own site would send and
//! the one Authing's default settings accept; set another with
//! [`AuthClientBuilder::passkey_origin`](crate::AuthClientBuilder::passkey_origin) when the
//! server is told to accept it. Platform APIs that write clientDataJSON themselves (macOS
//! `ASAuthorization`, which uses the app's associated domain) return theirs in
//! [`NewCredential::client_data_json`] / [`Assertion::client_data_json`], and the flow sends
//! that one.
//!
//! **The origin rests on the server you trust.** The flows take the RP id from the
//! server's options and do not check it against the app host (a browser checks the RP id
//! against the page's origin; a desktop app has no page). So with the default origin the
//! binding of a passkey to its site is as good as the server the client reaches: a server
//! (or an app host setting) that named another site's RP id could have the authenticator
//! sign for that site with the origin it expects. Configure only an app host you trust
//! (it is reached over TLS), and set
//! [`AuthClientBuilder::passkey_origin`](crate::AuthClientBuilder::passkey_origin) to pin
//! the origin to your own: a signature made for another RP id then carries your origin,
//! which that site refuses. An [`Authenticator`] that serves one site may also refuse any
//! other [`CreationRequest::rp_id`] / [`AssertionRequest::rp_id`].
//!
//! # Implementing `Authenticator` with a platform or a FIDO2 key
//!
//! - **Windows Hello** (`webauthn.dll`, e.g. through the `windows` crate's
//!   `Win32::Networking::WindowsWebServices`): `WebAuthNAuthenticatorMakeCredential` with the
//!   RP ([`CreationRequest::rp_id`], [`rp_name`](CreationRequest::rp_name)), the user
//!   ([`user_id`](CreationRequest::user_id), [`user_name`](CreationRequest::user_name),
//!   [`user_display_name`](CreationRequest::user_display_name)), the COSE algorithms
//!   ([`algorithms`](CreationRequest::algorithms)) and the clientData
//!   ([`client_data_json`](CreationRequest::client_data_json), hash algorithm SHA-256);
//!   answer its `pbCredentialId` and `pbAttestationObject`.
//!   `WebAuthNAuthenticatorGetAssertion` likewise; answer `Credential.pbId`,
//!   `pbAuthenticatorData`, `pbSignature` (Windows gives it DER-encoded already),
//!   `pbUserId`.
//! - **A FIDO2 security key over USB/NFC (CTAP2)**: `authenticatorMakeCredential` /
//!   `authenticatorGetAssertion` take the SHA-256 of
//!   [`client_data_json`](CreationRequest::client_data_json) (`clientDataHash`); the
//!   attestation object is the CBOR map `{fmt, attStmt, authData}` built from the
//!   response's members 1 to 3 (with text keys). No Rust CTAP crate of this crate's
//!   dependency generation was found fit to ship (they bring hidapi, NSS or OpenSSL), so an
//!   app brings its own (`ctap-hid-fido2`, Mozilla's `authenticator`) and adapts it here.
//! - **macOS / iOS** (`ASAuthorizationPlatformPublicKeyCredentialProvider`): pass the
//!   challenge's bytes ([`CreationRequest::challenge`] is base64url), return the
//!   credential's `rawAttestationObject`, `credentialID` and its `rawClientDataJSON` as
//!   [`NewCredential::client_data_json`].
//!
//! The shape of such an adapter, with a stand-in for the platform call (here it always
//! declines, as a person who closes the prompt does):
//!
//! ```
//! use authing::passkey::{Assertion, AssertionRequest, Authenticator, AuthenticatorError,
//!     CreationRequest, NewCredential};
//!
//! /// What the platform hands back (webauthn.dll's `WEBAUTHN_CREDENTIAL_ATTESTATION`).
//! struct Attestation { credential_id: Vec<u8>, attestation_object: Vec<u8> }
//! /// What it answers to a get (`WEBAUTHN_ASSERTION`).
//! struct Signed { credential_id: Vec<u8>, authenticator_data: Vec<u8>, signature: Vec<u8>, user_id: Vec<u8> }
//! enum PlatformError { Cancelled, NotFound, Other(String) }
//!
//! // Stand-ins for the FFI calls (`WebAuthNAuthenticatorMakeCredential`, `…GetAssertion`).
//! fn platform_make_credential(_rp_id: &str, _rp_name: &str, _user_id: &[u8], _user_name: &str,
//!     _algorithms: &[i64], _client_data_json: &[u8]) -> Result<Attestation, PlatformError> {
//!     Err(PlatformError::Cancelled)
//! }
//! fn platform_get_assertion(_rp_id: &str, _allow: &[Vec<u8>], _client_data_json: &[u8])
//!     -> Result<Signed, PlatformError> {
//!     Err(PlatformError::Cancelled)
//! }
//!
//! fn map(error: PlatformError) -> AuthenticatorError {
//!     match error {
//!         PlatformError::Cancelled => AuthenticatorError::Cancelled,
//!         PlatformError::NotFound => AuthenticatorError::NoCredential,
//!         PlatformError::Other(why) => AuthenticatorError::Failed(why),
//!     }
//! }
//!
//! struct WindowsHello;
//!
//! impl Authenticator for WindowsHello {
//!     fn make_credential(&self, r: &CreationRequest) -> Result<NewCredential, AuthenticatorError> {
//!         let made = platform_make_credential(r.rp_id(), r.rp_name(), r.user_id(), r.user_name(),
//!             r.algorithms(), r.client_data_json()).map_err(map)?;
//!         Ok(NewCredential::new(made.credential_id, made.attestation_object).transports(["internal"]))
//!     }
//!
//!     fn get_assertion(&self, r: &AssertionRequest) -> Result<Assertion, AuthenticatorError> {
//!         let signed = platform_get_assertion(r.rp_id(), r.allow_credentials(), r.client_data_json())
//!             .map_err(map)?;
//!         Ok(Assertion::new(signed.credential_id, signed.authenticator_data, signed.signature)
//!             .user_handle(signed.user_id))
//!     }
//! }
//!
//! // The flow answers 10021 when the person declines; nothing reaches the server after the
//! // options.
//! # let emulator = authing::emulator::Emulator::start()?;
//! # let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
//! let response = client.sign_in_by_passkey_blocking(&WindowsHello, None);
//! assert_eq!(response.status_code(), authing::codes::PASSKEY_FAILED);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Return [`AuthenticatorError::Cancelled`] when the user says no, and
//! [`AuthenticatorError::NoCredential`] when no credential fits; the flow answers status
//! code [`codes::PASSKEY_FAILED`](crate::codes::PASSKEY_FAILED) (10021) then, sending
//! nothing more.

use std::time::Duration;

#[cfg(feature = "software-authenticator")]
mod software;
#[cfg(feature = "software-authenticator")]
pub use software::SoftwareAuthenticator;

/// A WebAuthn authenticator: makes credentials and signs assertions for the passkey flows.
///
/// The blocking flows take it by reference on the caller's thread, so it need not be
/// `Send` (a platform API bound to a window or a thread); the callback forms move it to
/// the worker thread and ask for `Send + 'static`.
///
/// ```
/// use authing::passkey::{Assertion, AssertionRequest, Authenticator, AuthenticatorError,
///     CreationRequest, NewCredential};
///
/// /// An authenticator that always declines, as a user who cancels would.
/// struct Declines;
///
/// impl Authenticator for Declines {
///     fn make_credential(&self, _: &CreationRequest) -> Result<NewCredential, AuthenticatorError> {
///         Err(AuthenticatorError::Cancelled)
///     }
///     fn get_assertion(&self, _: &AssertionRequest) -> Result<Assertion, AuthenticatorError> {
///         Err(AuthenticatorError::Cancelled)
///     }
/// }
/// ```
pub trait Authenticator {
    /// Makes a credential for these creation options (`navigator.credentials.create`,
    /// CTAP2 `authenticatorMakeCredential`): the credential id and the attestation object.
    fn make_credential(
        &self,
        request: &CreationRequest,
    ) -> Result<NewCredential, AuthenticatorError>;

    /// Signs these request options with one of its credentials (`navigator.credentials.get`,
    /// CTAP2 `authenticatorGetAssertion`).
    fn get_assertion(&self, request: &AssertionRequest) -> Result<Assertion, AuthenticatorError>;
}

impl<T: Authenticator + ?Sized> Authenticator for std::sync::Arc<T> {
    fn make_credential(
        &self,
        request: &CreationRequest,
    ) -> Result<NewCredential, AuthenticatorError> {
        (**self).make_credential(request)
    }
    fn get_assertion(&self, request: &AssertionRequest) -> Result<Assertion, AuthenticatorError> {
        (**self).get_assertion(request)
    }
}

impl<T: Authenticator + ?Sized> Authenticator for &T {
    fn make_credential(
        &self,
        request: &CreationRequest,
    ) -> Result<NewCredential, AuthenticatorError> {
        (**self).make_credential(request)
    }
    fn get_assertion(&self, request: &AssertionRequest) -> Result<Assertion, AuthenticatorError> {
        (**self).get_assertion(request)
    }
}

/// Why an authenticator gave nothing; the flow answers status code 10021
/// ([`codes::PASSKEY_FAILED`](crate::codes::PASSKEY_FAILED)).
///
/// ```
/// let error = authing::passkey::AuthenticatorError::Failed("the key was unplugged".into());
/// assert_eq!(error.to_string(), "the authenticator failed: the key was unplugged");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthenticatorError {
    /// The user declined or cancelled.
    #[error("the user cancelled the authenticator")]
    Cancelled,
    /// No credential fits the request (none for this RP, or every one excluded).
    #[error("the authenticator holds no credential for this request")]
    NoCredential,
    /// The request cannot be met (an algorithm it lacks, user verification it cannot do).
    #[error("the authenticator does not support this request: {0}")]
    Unsupported(String),
    /// Anything else (a device error, a file that could not be written).
    #[error("the authenticator failed: {0}")]
    Failed(String),
}

/// What the registration flow asks an [`Authenticator`] to make: the server's creation
/// options, read, and the clientDataJSON the flow wrote.
///
/// ```
/// # use authing::passkey::CreationRequest;
/// fn describe(request: &CreationRequest) -> String {
///     format!("{} for {} at {}", request.user_name(), request.rp_name(), request.rp_id())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct CreationRequest {
    pub(crate) rp_id: String,
    pub(crate) rp_name: String,
    pub(crate) user_id: Vec<u8>,
    pub(crate) user_name: String,
    pub(crate) user_display_name: String,
    pub(crate) challenge: String,
    pub(crate) client_data_json: Vec<u8>,
    pub(crate) algorithms: Vec<i64>,
    pub(crate) exclude_credentials: Vec<Vec<u8>>,
    pub(crate) user_verification: String,
    pub(crate) timeout: Duration,
}

impl CreationRequest {
    /// The relying party id (`rp.id`), a domain such as `example.com`.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{}", r.rp_id()); }
    /// ```
    pub fn rp_id(&self) -> &str {
        &self.rp_id
    }

    /// The relying party's name (`rp.name`), for the authenticator's prompt.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{}", r.rp_name()); }
    /// ```
    pub fn rp_name(&self) -> &str {
        &self.rp_name
    }

    /// The user handle (`user.id`, decoded from base64url): stored with the credential and
    /// returned in every assertion.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { assert!(!r.user_id().is_empty()); }
    /// ```
    pub fn user_id(&self) -> &[u8] {
        &self.user_id
    }

    /// The account name (`user.name`).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{}", r.user_name()); }
    /// ```
    pub fn user_name(&self) -> &str {
        &self.user_name
    }

    /// The name to show (`user.displayName`).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{}", r.user_display_name()); }
    /// ```
    pub fn user_display_name(&self) -> &str {
        &self.user_display_name
    }

    /// The server's challenge, base64url as the server sent it (clientDataJSON holds the
    /// same text).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{}", r.challenge()); }
    /// ```
    pub fn challenge(&self) -> &str {
        &self.challenge
    }

    /// The clientDataJSON the flow wrote: a platform API takes it as it is, a CTAP2 device
    /// its SHA-256 (`clientDataHash`).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) {
    /// let text = String::from_utf8_lossy(r.client_data_json());
    /// assert!(text.contains("webauthn.create"));
    /// # }
    /// ```
    pub fn client_data_json(&self) -> &[u8] {
        &self.client_data_json
    }

    /// This request with `client_data_json` as its clientDataJSON: for an app that runs
    /// the ceremony step by step ([`init_register_options`](crate::AuthClient::init_register_options),
    /// its authenticator, [`verify_register`](crate::AuthClient::verify_register)) and
    /// writes clientDataJSON itself.
    ///
    /// ```
    /// # fn f(options: &authing::RegistrationOptions) {
    /// let request = options.creation().clone().with_client_data_json(b"{}".to_vec());
    /// assert_eq!(request.client_data_json(), b"{}");
    /// # }
    /// ```
    pub fn with_client_data_json(mut self, client_data_json: Vec<u8>) -> CreationRequest {
        self.client_data_json = client_data_json;
        self
    }

    /// The COSE algorithms the server accepts, preferred first (`-7` is ES256).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { assert!(r.algorithms().contains(&-7)); }
    /// ```
    pub fn algorithms(&self) -> &[i64] {
        &self.algorithms
    }

    /// The ids of the credentials the user has already (`excludeCredentials`): the
    /// authenticator must not make a second one for this account.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{} excluded", r.exclude_credentials().len()); }
    /// ```
    pub fn exclude_credentials(&self) -> &[Vec<u8>] {
        &self.exclude_credentials
    }

    /// `required`, `preferred` or `discouraged`: whether the user must be verified (PIN,
    /// biometrics). `preferred` when the server says nothing.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{}", r.user_verification()); }
    /// ```
    pub fn user_verification(&self) -> &str {
        &self.user_verification
    }

    /// How long the server waits for the answer (its `timeout`).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::CreationRequest) { println!("{:?}", r.timeout()); }
    /// ```
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// What the sign-in flow asks an [`Authenticator`] to sign: the server's request options,
/// read, and the clientDataJSON the flow wrote.
///
/// ```
/// # use authing::passkey::AssertionRequest;
/// fn describe(request: &AssertionRequest) -> String {
///     format!("sign in at {}", request.rp_id())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct AssertionRequest {
    pub(crate) rp_id: String,
    pub(crate) challenge: String,
    pub(crate) client_data_json: Vec<u8>,
    pub(crate) allow_credentials: Vec<Vec<u8>>,
    pub(crate) user_verification: String,
    pub(crate) timeout: Duration,
}

impl AssertionRequest {
    /// The relying party id (`rpId`).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::AssertionRequest) { println!("{}", r.rp_id()); }
    /// ```
    pub fn rp_id(&self) -> &str {
        &self.rp_id
    }

    /// The server's challenge, base64url.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::AssertionRequest) { println!("{}", r.challenge()); }
    /// ```
    pub fn challenge(&self) -> &str {
        &self.challenge
    }

    /// The clientDataJSON the flow wrote (its SHA-256 is what is signed, after the
    /// authenticator data).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::AssertionRequest) {
    /// assert!(String::from_utf8_lossy(r.client_data_json()).contains("webauthn.get"));
    /// # }
    /// ```
    pub fn client_data_json(&self) -> &[u8] {
        &self.client_data_json
    }

    /// This request with `client_data_json` as its clientDataJSON (an app that runs the
    /// ceremony step by step writes it itself).
    ///
    /// ```
    /// # fn f(options: &authing::AuthenticationOptions) {
    /// let request = options.request().clone().with_client_data_json(b"{}".to_vec());
    /// assert_eq!(request.client_data_json(), b"{}");
    /// # }
    /// ```
    pub fn with_client_data_json(mut self, client_data_json: Vec<u8>) -> AssertionRequest {
        self.client_data_json = client_data_json;
        self
    }

    /// The credential ids the server allows (`allowCredentials`); empty: any discoverable
    /// credential of this RP (the user picks).
    ///
    /// ```
    /// # fn f(r: &authing::passkey::AssertionRequest) { println!("{}", r.allow_credentials().len()); }
    /// ```
    pub fn allow_credentials(&self) -> &[Vec<u8>] {
        &self.allow_credentials
    }

    /// `required`, `preferred` or `discouraged`.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::AssertionRequest) { println!("{}", r.user_verification()); }
    /// ```
    pub fn user_verification(&self) -> &str {
        &self.user_verification
    }

    /// How long the server waits for the answer.
    ///
    /// ```
    /// # fn f(r: &authing::passkey::AssertionRequest) { println!("{:?}", r.timeout()); }
    /// ```
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// A credential an [`Authenticator`] made: its id and attestation object (raw bytes; the
/// flow encodes them).
///
/// ```
/// let credential = authing::passkey::NewCredential::new(vec![1, 2, 3], vec![0xa0])
///     .transports(["internal"]);
/// assert_eq!(credential.id(), [1, 2, 3]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredential {
    id: Vec<u8>,
    attestation_object: Vec<u8>,
    transports: Vec<String>,
    client_data_json: Option<Vec<u8>>,
}

impl NewCredential {
    /// A credential with this id and attestation object (CBOR `{fmt, attStmt, authData}`).
    ///
    /// ```
    /// let credential = authing::passkey::NewCredential::new(vec![7; 16], vec![0xa0]);
    /// assert!(credential.transport_list().is_empty());
    /// ```
    pub fn new(id: Vec<u8>, attestation_object: Vec<u8>) -> NewCredential {
        NewCredential {
            id,
            attestation_object,
            transports: Vec::new(),
            client_data_json: None,
        }
    }

    /// How the authenticator is reached (`internal`, `usb`, `nfc`, `ble`, `hybrid`).
    ///
    /// ```
    /// let c = authing::passkey::NewCredential::new(vec![1], vec![0xa0]).transports(["usb", "nfc"]);
    /// assert_eq!(c.transport_list(), ["usb", "nfc"]);
    /// ```
    pub fn transports<I, S>(mut self, transports: I) -> NewCredential
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.transports = transports.into_iter().map(Into::into).collect();
        self
    }

    /// The clientDataJSON the platform wrote itself, when it does (it is then sent instead
    /// of the flow's).
    ///
    /// ```
    /// let c = authing::passkey::NewCredential::new(vec![1], vec![0xa0]).client_data_json(b"{}".to_vec());
    /// assert_eq!(c.platform_client_data(), Some(&b"{}"[..]));
    /// ```
    pub fn client_data_json(mut self, client_data_json: Vec<u8>) -> NewCredential {
        self.client_data_json = Some(client_data_json);
        self
    }

    /// The credential id.
    ///
    /// ```
    /// assert_eq!(authing::passkey::NewCredential::new(vec![9], vec![]).id(), [9]);
    /// ```
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// The attestation object.
    ///
    /// ```
    /// assert_eq!(authing::passkey::NewCredential::new(vec![9], vec![0xa0]).attestation_object(), [0xa0]);
    /// ```
    pub fn attestation_object(&self) -> &[u8] {
        &self.attestation_object
    }

    /// The transports given.
    ///
    /// ```
    /// assert!(authing::passkey::NewCredential::new(vec![9], vec![]).transport_list().is_empty());
    /// ```
    pub fn transport_list(&self) -> &[String] {
        &self.transports
    }

    /// The platform's own clientDataJSON, if it gave one.
    ///
    /// ```
    /// assert!(authing::passkey::NewCredential::new(vec![9], vec![]).platform_client_data().is_none());
    /// ```
    pub fn platform_client_data(&self) -> Option<&[u8]> {
        self.client_data_json.as_deref()
    }
}

/// An assertion an [`Authenticator`] signed (raw bytes; the flow encodes them). The
/// signature is DER-encoded ECDSA for ES256, as WebAuthn sends it.
///
/// ```
/// let assertion = authing::passkey::Assertion::new(vec![1], vec![0; 37], vec![0x30])
///     .user_handle(b"user-1".to_vec());
/// assert_eq!(assertion.user_handle_bytes(), Some(&b"user-1"[..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    credential_id: Vec<u8>,
    authenticator_data: Vec<u8>,
    signature: Vec<u8>,
    user_handle: Option<Vec<u8>>,
    client_data_json: Option<Vec<u8>>,
}

impl Assertion {
    /// An assertion by this credential: its authenticator data and signature over
    /// authenticatorData || SHA-256(clientDataJSON).
    ///
    /// ```
    /// let a = authing::passkey::Assertion::new(vec![1], vec![0; 37], vec![0x30]);
    /// assert_eq!(a.credential_id(), [1]);
    /// ```
    pub fn new(
        credential_id: Vec<u8>,
        authenticator_data: Vec<u8>,
        signature: Vec<u8>,
    ) -> Assertion {
        Assertion {
            credential_id,
            authenticator_data,
            signature,
            user_handle: None,
            client_data_json: None,
        }
    }

    /// The user handle stored with the credential (discoverable credentials give it).
    ///
    /// ```
    /// let a = authing::passkey::Assertion::new(vec![1], vec![], vec![]).user_handle(vec![42]);
    /// assert_eq!(a.user_handle_bytes(), Some(&[42u8][..]));
    /// ```
    pub fn user_handle(mut self, user_handle: Vec<u8>) -> Assertion {
        self.user_handle = Some(user_handle);
        self
    }

    /// The clientDataJSON the platform wrote itself, when it does.
    ///
    /// ```
    /// let a = authing::passkey::Assertion::new(vec![1], vec![], vec![]).client_data_json(b"{}".to_vec());
    /// assert!(a.platform_client_data().is_some());
    /// ```
    pub fn client_data_json(mut self, client_data_json: Vec<u8>) -> Assertion {
        self.client_data_json = Some(client_data_json);
        self
    }

    /// The credential id.
    ///
    /// ```
    /// assert_eq!(authing::passkey::Assertion::new(vec![5], vec![], vec![]).credential_id(), [5]);
    /// ```
    pub fn credential_id(&self) -> &[u8] {
        &self.credential_id
    }

    /// The authenticator data.
    ///
    /// ```
    /// assert_eq!(authing::passkey::Assertion::new(vec![5], vec![0; 37], vec![]).authenticator_data().len(), 37);
    /// ```
    pub fn authenticator_data(&self) -> &[u8] {
        &self.authenticator_data
    }

    /// The signature (DER).
    ///
    /// ```
    /// assert_eq!(authing::passkey::Assertion::new(vec![5], vec![], vec![0x30]).signature(), [0x30]);
    /// ```
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The user handle, if given.
    ///
    /// ```
    /// assert!(authing::passkey::Assertion::new(vec![5], vec![], vec![]).user_handle_bytes().is_none());
    /// ```
    pub fn user_handle_bytes(&self) -> Option<&[u8]> {
        self.user_handle.as_deref()
    }

    /// The platform's own clientDataJSON, if it gave one.
    ///
    /// ```
    /// assert!(authing::passkey::Assertion::new(vec![5], vec![], vec![]).platform_client_data().is_none());
    /// ```
    pub fn platform_client_data(&self) -> Option<&[u8]> {
        self.client_data_json.as_deref()
    }
}

/// Checks an origin given to the builder: `scheme://host[:port]` (no path, query or
/// fragment) or a non-web app origin (`scheme:rest`), visible ASCII, at most 512 bytes.
pub(crate) fn check_origin(origin: &str) -> Result<(), &'static str> {
    if origin.is_empty() || origin.len() > 512 {
        return Err("must be 1 to 512 bytes");
    }
    if !origin.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("must be visible ascii without spaces");
    }
    let Some((scheme, rest)) = origin.split_once(':') else {
        return Err("must start with a scheme, such as https://");
    };
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return Err("must start with a scheme, such as https://");
    }
    if let Some(authority) = rest.strip_prefix("//") {
        if authority.is_empty() || authority.contains(['/', '?', '#']) {
            return Err("must be scheme://host[:port], without a path");
        }
    }
    Ok(())
}

/// base64url without padding (WebAuthn's JSON encoding of bytes).
pub(crate) fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// base64url, padding optional; `None` for anything else.
pub(crate) fn unb64url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

/// The clientDataJSON of a ceremony: `{"type","challenge","origin","crossOrigin":false}`
/// in that order (the order WebAuthn's own serialization uses).
pub(crate) fn client_data_json(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
    // serde_json's map sorts its keys (without `preserve_order`): the order is written by
    // hand, each value quoted by serde_json.
    let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    format!(
        "{{\"type\":{},\"challenge\":{},\"origin\":{},\"crossOrigin\":false}}",
        quote(kind),
        quote(challenge),
        quote(origin)
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc_4648_vectors_without_padding() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(b64url(plain.as_bytes()), encoded);
            assert_eq!(unb64url(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(unb64url("-_8").unwrap(), [0xfb, 0xff]);
        assert!(unb64url("+/8").is_none());
        assert!(unb64url("abcde").is_none());
    }

    #[test]
    fn client_data_is_written_in_webauthn_order() {
        let json = client_data_json("webauthn.get", "abc", "https://example.com");
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"type":"webauthn.get","challenge":"abc","origin":"https://example.com","crossOrigin":false}"#
        );
    }

    #[test]
    fn origins_are_checked() {
        assert!(check_origin("https://example.com").is_ok());
        assert!(check_origin("http://localhost:8080").is_ok());
        assert!(check_origin("android:apk-key-hash:abc").is_ok());
        assert!(check_origin("https://example.com/path").is_err());
        assert!(check_origin("example.com").is_err());
        assert!(check_origin("https://exa mple.com").is_err());
        assert!(check_origin("").is_err());
    }
}
