//! Passkeys (WebAuthn; Java: `AuthenticationClient`'s `initRegisterOptions`,
//! `verifyRegister`, `initAuthenticationOptions`, `verifyAuthentication`,
//! `listCredentialsByPage`, `checkValidCredentialsByCredIds`, `removeCredential`,
//! `removeAllCredentials`; `/api/v3/webauthn/*`), each in its callback form and its
//! blocking twin, and the two flows that drive an [`Authenticator`] through a whole
//! ceremony: [`register_passkey`](AuthClient::register_passkey) and
//! [`sign_in_by_passkey`](AuthClient::sign_in_by_passkey).
//!
//! Registration and the credential calls act for the signed-in user (bearer); the sign-in
//! calls send the app id only. A verified sign-in starts the session as every sign-in does
//! (the tokens of `tokenSet`, the user from the id_token's claims and the full profile
//! after the answer, the token store).

use serde_json::{json, Map, Value};

use crate::client::{json_body, Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{AuthError, InputError};
use crate::model::passkeys::{token_answer, AuthenticatorCode};
use crate::model::signin::AuthOptions;
use crate::passkey::{self, Assertion, Authenticator, NewCredential};
use crate::response::AuthResponse;
use crate::transport::Shape;
use crate::validate;

/// `initRegisterOptions` (GET) and `verifyRegister` (POST).
pub(crate) const REGISTRATION_PATH: &str = "/api/v3/webauthn/registration";
/// `initAuthenticationOptions` (GET) and `verifyAuthentication` (POST).
pub(crate) const AUTHENTICATION_PATH: &str = "/api/v3/webauthn/authentication";
/// `listCredentialsByPage`.
pub(crate) const LIST_PATH: &str = "/api/v3/webauthn/page-authenticator-device";
/// `checkValidCredentialsByCredIds`.
pub(crate) const CHECK_PATH: &str = "/api/v3/webauthn/check-valid-credentials-by-credIds";
/// `removeCredential`: the credential id follows.
pub(crate) const REMOVE_PATH: &str = "/api/v3/webauthn/remove-credential/";
/// `removeAllCredentials`.
pub(crate) const REMOVE_ALL_PATH: &str =
    "/api/v3/webauthn/remove-credentials-by-authenticator-code";

/// The longest credential id taken, in characters (WebAuthn: at most 1023 bytes, base64url).
const MAX_CREDENTIAL_ID_CHARS: usize = 1366;
/// The most credential ids one check sends.
const MAX_CHECKED_IDS: usize = 100;

/// A credential id: base64url (padding allowed), not empty, at most 1366 characters.
fn credential_id<'a>(field: &'static str, id: &'a str) -> Result<&'a str, InputError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(InputError::new(field, "is empty"));
    }
    if id.len() > MAX_CREDENTIAL_ID_CHARS {
        return Err(InputError::new(
            field,
            format!("is longer than {MAX_CREDENTIAL_ID_CHARS} characters"),
        ));
    }
    if passkey::unb64url(id).is_none() {
        return Err(InputError::new(field, "is not base64url"));
    }
    Ok(id)
}

fn not_empty(field: &'static str, bytes: &[u8]) -> Result<(), InputError> {
    if bytes.is_empty() {
        return Err(InputError::new(field, "is empty"));
    }
    Ok(())
}

/// `{authenticatorCode}` or `{}`.
fn code_body(code: Option<AuthenticatorCode>) -> Value {
    let mut body = Map::new();
    if let Some(code) = code {
        body.insert("authenticatorCode".into(), code.as_str().into());
    }
    Value::Object(body)
}

fn failed(reason: impl Into<String>, request_id: Option<&str>) -> AuthResponse {
    let mut answer = AuthResponse::from_error(AuthError::Passkey {
        reason: reason.into(),
    });
    answer.request_id = request_id.map(str::to_string);
    answer
}

fn unreadable(error: AuthError, response: &AuthResponse) -> AuthResponse {
    let mut answer = AuthResponse::from_error(error);
    answer.request_id = response.request_id.clone();
    answer
}

/// # Passkeys (Java: `initRegisterOptions`, `verifyRegister`, `initAuthenticationOptions`, `verifyAuthentication`, `listCredentialsByPage`, `checkValidCredentialsByCredIds`, `removeCredential`, `removeAllCredentials`)
///
/// Registering a passkey for the signed-in user and signing in with one, through an
/// [`Authenticator`] ([`register_passkey`](Self::register_passkey),
/// [`sign_in_by_passkey`](Self::sign_in_by_passkey)) or step by step; listing, checking and
/// removing the user's credentials. See [`crate::passkey`] for the authenticator, the
/// origin, and how to plug in a platform or hardware authenticator.
impl AuthClient {
    /// Fetches the options to register a passkey for the signed-in user (Java:
    /// `initRegisterOptions`; `GET /api/v3/webauthn/registration`). The callback form.
    ///
    /// On success [`registration_options`](AuthResponse::registration_options) reads the
    /// creation options and the `ticket` [`verify_register`](Self::verify_register) sends
    /// back. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .init_register_options(|response: AuthResponse| {
    ///         if let Ok(options) = response.registration_options() {
    ///             println!("ticket {}", options.ticket());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "initRegisterOptions")]
    pub fn init_register_options<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, |client, _| {
            client.init_register_options_blocking()
        })
    }

    /// The blocking twin of [`init_register_options`](Self::init_register_options).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().init_register_options_blocking();
    /// println!("{}", response.registration_options()?.creation().rp_id());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn init_register_options_blocking(&self) -> AuthResponse {
        self.get_as_user(REGISTRATION_PATH, || Ok(Vec::new()), None)
    }

    /// Sends a new credential for verification (Java: `verifyRegister`;
    /// `POST /api/v3/webauthn/registration`, `{ticket, registrationCredential,
    /// authenticatorCode}`). The callback form.
    ///
    /// `credential` is what the authenticator made, `client_data_json` the clientDataJSON
    /// it was made for (both sent base64url: `id` and `rawId`, `attestationObject`,
    /// `clientDataJSON`, `type: public-key`, the transports). On success
    /// [`passkey_verification`](AuthResponse::passkey_verification) says `verified`.
    /// [`register_passkey`](Self::register_passkey) does all the steps.
    ///
    /// Checked before anything is sent (10010): `ticket` is visible ASCII, the credential's
    /// id, attestation object and `client_data_json` are not empty. Without a signed-in
    /// user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, AuthenticatorCode};
    /// use authing::passkey::NewCredential;
    /// let credential = NewCredential::new(vec![1; 16], vec![0xa0]);
    /// AuthClient::new()
    ///     .verify_register("ticket", &credential, b"{}", Some(AuthenticatorCode::Other), |r: AuthResponse| {
    ///         println!("{}", r.status_code())
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "verifyRegister")]
    pub fn verify_register<C: AuthCallback>(
        &self,
        ticket: &str,
        credential: &NewCredential,
        client_data_json: &[u8],
        authenticator_code: Option<AuthenticatorCode>,
        callback: C,
    ) -> RequestHandle {
        let (ticket, credential, client_data) = (
            ticket.to_string(),
            credential.clone(),
            client_data_json.to_vec(),
        );
        self.spawn(callback, move |client, _| {
            client.verify_register_blocking(&ticket, &credential, &client_data, authenticator_code)
        })
    }

    /// The blocking twin of [`verify_register`](Self::verify_register).
    ///
    /// ```no_run
    /// # use authing::passkey::NewCredential;
    /// let credential = NewCredential::new(vec![1; 16], vec![0xa0]);
    /// let response = authing::AuthClient::new().verify_register_blocking("ticket", &credential, b"{}", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn verify_register_blocking(
        &self,
        ticket: &str,
        credential: &NewCredential,
        client_data_json: &[u8],
        authenticator_code: Option<AuthenticatorCode>,
    ) -> AuthResponse {
        let input = || -> Result<Value, AuthError> {
            let ticket = validate::token("ticket", Some(ticket))?;
            not_empty("credential.id", credential.id())?;
            not_empty(
                "credential.attestation_object",
                credential.attestation_object(),
            )?;
            not_empty("client_data_json", client_data_json)?;
            let id = passkey::b64url(credential.id());
            let mut body = json!({
                "ticket": ticket,
                "registrationCredential": {
                    "id": id,
                    "rawId": id,
                    "response": {
                        "attestationObject": passkey::b64url(credential.attestation_object()),
                        "clientDataJSON": passkey::b64url(client_data_json),
                    },
                    "transports": credential.transport_list(),
                    "type": "public-key",
                },
            });
            if let Some(code) = authenticator_code {
                body["authenticatorCode"] = code.as_str().into();
            }
            Ok(body)
        };
        self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, REGISTRATION_PATH, body)
        })
    }

    /// Fetches the options to sign in with a passkey (Java: `initAuthenticationOptions`;
    /// `GET /api/v3/webauthn/authentication`, the app id only). The callback form.
    ///
    /// On success [`authentication_options`](AuthResponse::authentication_options) reads
    /// the request options and the `ticket`.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .init_authentication_options(|response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "initAuthenticationOptions")]
    pub fn init_authentication_options<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, |client, _| {
            client.init_authentication_options_blocking()
        })
    }

    /// The blocking twin of [`init_authentication_options`](Self::init_authentication_options).
    ///
    /// ```
    /// use authing::emulator::Emulator;
    /// let emulator = Emulator::start()?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id(emulator.app_id())
    ///     .app_host(emulator.base_url())
    ///     .build()?;
    /// let options = client.init_authentication_options_blocking().authentication_options()?;
    /// assert_eq!(options.request().rp_id(), "localhost");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn init_authentication_options_blocking(&self) -> AuthResponse {
        self.get_with(AUTHENTICATION_PATH, &[], Shape::Envelope, Auth::Nothing)
    }

    /// Sends an assertion for verification, which signs the user in (Java:
    /// `verifyAuthentication`; `POST /api/v3/webauthn/authentication`, `{ticket,
    /// authenticationCredential, options}`, the app id only). The callback form.
    ///
    /// `assertion` is what the authenticator signed, `client_data_json` the clientDataJSON
    /// it signed for. `options` carries the sign-in's `scope`, `context` and `customData`
    /// (the spec's `SignInByWebAuthnOptionsDto`; the other fields of [`AuthOptions`] are
    /// not sent). When the server answers `verified: true` with its `tokenSet`, the
    /// session starts as after every sign-in; the answer is the server's
    /// ([`passkey_verification`](AuthResponse::passkey_verification)).
    ///
    /// Checked before anything is sent (10010): `ticket` is visible ASCII; the assertion's
    /// credential id, authenticator data and signature and `client_data_json` are not
    /// empty; the options' scope and objects. A token store that cannot be read answers
    /// 10016 first: a sign-in whose session could not be saved does not start.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// use authing::passkey::Assertion;
    /// let assertion = Assertion::new(vec![1; 16], vec![0; 37], vec![0x30]);
    /// AuthClient::new()
    ///     .verify_authentication("ticket", &assertion, b"{}", None, |r: AuthResponse| println!("{}", r.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "verifyAuthentication")]
    pub fn verify_authentication<C: AuthCallback>(
        &self,
        ticket: &str,
        assertion: &Assertion,
        client_data_json: &[u8],
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (ticket, assertion, client_data, options) = (
            ticket.to_string(),
            assertion.clone(),
            client_data_json.to_vec(),
            options.into(),
        );
        self.spawn(callback, move |client, _| {
            client.verify_authentication_blocking(&ticket, &assertion, &client_data, options)
        })
    }

    /// The blocking twin of [`verify_authentication`](Self::verify_authentication).
    ///
    /// ```no_run
    /// # use authing::passkey::Assertion;
    /// let assertion = Assertion::new(vec![1; 16], vec![0; 37], vec![0x30]);
    /// let response = authing::AuthClient::new().verify_authentication_blocking("ticket", &assertion, b"{}", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn verify_authentication_blocking(
        &self,
        ticket: &str,
        assertion: &Assertion,
        client_data_json: &[u8],
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        let options = options.into();
        // A sign-in whose session could not be saved must not start (10016).
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let body = || -> Result<Vec<u8>, AuthError> {
            let ticket = validate::token("ticket", Some(ticket))?;
            not_empty("assertion.credential_id", assertion.credential_id())?;
            not_empty(
                "assertion.authenticator_data",
                assertion.authenticator_data(),
            )?;
            not_empty("assertion.signature", assertion.signature())?;
            not_empty("client_data_json", client_data_json)?;
            let id = passkey::b64url(assertion.credential_id());
            let mut body = json!({
                "ticket": ticket,
                "authenticationCredential": {
                    "id": id,
                    "rawId": id,
                    "response": {
                        "authenticatorData": passkey::b64url(assertion.authenticator_data()),
                        "clientDataJSON": passkey::b64url(client_data_json),
                        "signature": passkey::b64url(assertion.signature()),
                        "userHandle": passkey::b64url(assertion.user_handle_bytes().unwrap_or_default()),
                    },
                    "type": "public-key",
                },
            });
            if let Some(options) = &options {
                body["options"] = options.push_json()?;
            }
            json_body(&body)
        };
        let response = self.post_json(AUTHENTICATION_PATH, body, Shape::Envelope, Auth::Nothing);
        self.finish_passkey_sign_in(response)
    }

    /// What a verification answer does to the session: a verified one with its tokens
    /// starts it through the sign-in path; others are answered as they are.
    fn finish_passkey_sign_in(&self, response: AuthResponse) -> AuthResponse {
        if !response.is_success() {
            return self.finish_sign_in(response);
        }
        let verified = response
            .data()
            .and_then(|d| d.get("verified"))
            .and_then(Value::as_bool)
            == Some(true);
        let tokens = response.data().and_then(|d| d.get("tokenSet")).cloned();
        match tokens {
            Some(tokens) if verified && tokens.is_object() => {
                let started = self.finish_sign_in(token_answer(&response, &tokens));
                if started.is_success() {
                    response
                } else {
                    started
                }
            }
            _ => response,
        }
    }

    /// Lists the signed-in user's passkeys (Java: `listCredentialsByPage`;
    /// `POST /api/v3/webauthn/page-authenticator-device`, `{authenticatorCode}` when given,
    /// as Authing's mobile SDKs send it; the spec's body is empty). The callback form.
    ///
    /// On success [`passkey_list`](AuthResponse::passkey_list). Without a signed-in user:
    /// 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .list_credentials_by_page(None, |response: AuthResponse| {
    ///         println!("{:?}", response.passkey_list().map(|l| l.total_count()));
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "listCredentialsByPage")]
    pub fn list_credentials_by_page<C: AuthCallback>(
        &self,
        authenticator_code: Option<AuthenticatorCode>,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.list_credentials_by_page_blocking(authenticator_code)
        })
    }

    /// The blocking twin of [`list_credentials_by_page`](Self::list_credentials_by_page).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().list_credentials_by_page_blocking(None);
    /// println!("{}", response.passkey_list()?.total_count());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn list_credentials_by_page_blocking(
        &self,
        authenticator_code: Option<AuthenticatorCode>,
    ) -> AuthResponse {
        let body = code_body(authenticator_code);
        // The spec draws this answer bare (`{totalCount, list}`); every other v3 answer, and
        // the mobile SDKs' reading of this one, have the envelope: `Shape::OAuth` reads both.
        self.checked_as_user(
            || Ok(()),
            |token, _| {
                self.post_json(
                    LIST_PATH,
                    || json_body(&body),
                    Shape::OAuth,
                    Auth::Bearer(token),
                )
            },
        )
    }

    /// Asks which of these credential ids are the signed-in user's valid passkeys (Java:
    /// `checkValidCredentialsByCredIds`; `POST
    /// /api/v3/webauthn/check-valid-credentials-by-credIds`, `{credentialIds,
    /// authenticatorCode}` as Authing's mobile SDKs send them; the spec's body is empty).
    /// The callback form.
    ///
    /// On success [`valid_credential_ids`](AuthResponse::valid_credential_ids).
    ///
    /// Checked before anything is sent (10010): 1 to 100 ids, each base64url. Without a
    /// signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .check_valid_credentials_by_cred_ids(&["AAECAwQFBgcICQoLDA0ODw"], None, |r: AuthResponse| {
    ///         println!("{:?}", r.valid_credential_ids());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "checkValidCredentialsByCredIds")]
    pub fn check_valid_credentials_by_cred_ids<C: AuthCallback>(
        &self,
        credential_ids: &[&str],
        authenticator_code: Option<AuthenticatorCode>,
        callback: C,
    ) -> RequestHandle {
        let ids: Vec<String> = credential_ids.iter().map(|s| s.to_string()).collect();
        self.spawn(callback, move |client, _| {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            client.check_valid_credentials_by_cred_ids_blocking(&ids, authenticator_code)
        })
    }

    /// The blocking twin of [`check_valid_credentials_by_cred_ids`](Self::check_valid_credentials_by_cred_ids).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .check_valid_credentials_by_cred_ids_blocking(&["AAECAwQFBgcICQoLDA0ODw"], None);
    /// println!("{:?}", response.valid_credential_ids()?);
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn check_valid_credentials_by_cred_ids_blocking(
        &self,
        credential_ids: &[&str],
        authenticator_code: Option<AuthenticatorCode>,
    ) -> AuthResponse {
        let input = || -> Result<Value, AuthError> {
            if credential_ids.is_empty() {
                return Err(InputError::new("credential_ids", "is empty").into());
            }
            if credential_ids.len() > MAX_CHECKED_IDS {
                return Err(InputError::new(
                    "credential_ids",
                    format!("holds more than {MAX_CHECKED_IDS} ids"),
                )
                .into());
            }
            let ids = credential_ids
                .iter()
                .map(|id| credential_id("credential_ids", id).map(str::to_string))
                .collect::<Result<Vec<_>, _>>()?;
            let mut body = code_body(authenticator_code);
            body["credentialIds"] = json!(ids);
            Ok(body)
        };
        self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, CHECK_PATH, body)
        })
    }

    /// Removes one of the signed-in user's passkeys (Java: `removeCredential`;
    /// `POST /api/v3/webauthn/remove-credential/{credentialID}`, body `{}`). The callback
    /// form.
    ///
    /// The id goes in the path, as the spec says. (Authing's Java, Node and Python SDKs
    /// send the literal `{credentialID}` template instead, so theirs removes nothing; see
    /// PORTING.md.) The authenticator keeps its key: tell the user to delete it there too.
    ///
    /// Checked before anything is sent (10010): `credential_id` is base64url, not empty.
    /// Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .remove_credential("AAECAwQFBgcICQoLDA0ODw", |r: AuthResponse| println!("{}", r.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "removeCredential")]
    pub fn remove_credential<C: AuthCallback>(
        &self,
        credential_id: &str,
        callback: C,
    ) -> RequestHandle {
        let id = credential_id.to_string();
        self.spawn(callback, move |client, _| {
            client.remove_credential_blocking(&id)
        })
    }

    /// The blocking twin of [`remove_credential`](Self::remove_credential).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().remove_credential_blocking("AAECAwQFBgcICQoLDA0ODw");
    /// assert!(response.is_success());
    /// ```
    pub fn remove_credential_blocking(&self, credential_id: &str) -> AuthResponse {
        let input = || -> Result<String, AuthError> {
            // base64url needs no percent-encoding in a path segment.
            let id = self::credential_id("credential_id", credential_id)?;
            Ok(format!("{REMOVE_PATH}{id}"))
        };
        self.checked_as_user(input, |token, path| {
            self.post_json_as_user(token, path, &json!({}))
        })
    }

    /// Removes the signed-in user's passkeys of one kind, or all of them (Java:
    /// `removeAllCredentials`; `POST
    /// /api/v3/webauthn/remove-credentials-by-authenticator-code`, `{authenticatorCode}`
    /// when given; the spec's body is empty). The callback form.
    ///
    /// Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, AuthenticatorCode};
    /// AuthClient::new()
    ///     .remove_all_credentials(Some(AuthenticatorCode::Fingerprint), |r: AuthResponse| {
    ///         println!("{}", r.status_code())
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias = "removeAllCredentials")]
    pub fn remove_all_credentials<C: AuthCallback>(
        &self,
        authenticator_code: Option<AuthenticatorCode>,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.remove_all_credentials_blocking(authenticator_code)
        })
    }

    /// The blocking twin of [`remove_all_credentials`](Self::remove_all_credentials).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().remove_all_credentials_blocking(None);
    /// assert!(response.is_success());
    /// ```
    pub fn remove_all_credentials_blocking(
        &self,
        authenticator_code: Option<AuthenticatorCode>,
    ) -> AuthResponse {
        let body = code_body(authenticator_code);
        self.checked_as_user(
            || Ok(()),
            |token, _| self.post_json_as_user(token, REMOVE_ALL_PATH, &body),
        )
    }

    /// The origin the passkey flows write into clientDataJSON.
    fn passkey_origin(&self, rp_id: &str) -> String {
        self.settings()
            .ok()
            .and_then(|c| c.passkey_origin.clone())
            .unwrap_or_else(|| format!("https://{rp_id}"))
    }

    /// Registers a passkey for the signed-in user with `authenticator`: the options
    /// ([`init_register_options`](Self::init_register_options)), the clientDataJSON
    /// (`webauthn.create`, the challenge, the origin: see
    /// [`AuthClientBuilder::passkey_origin`](crate::AuthClientBuilder::passkey_origin)),
    /// the authenticator's new credential, the server's verification
    /// ([`verify_register`](Self::verify_register)). The callback form; the authenticator
    /// is called on the worker thread.
    ///
    /// The answer is the verification's: [`passkey_verification`](AuthResponse::passkey_verification)
    /// with `verified: true`. The authenticator's refusal, or a 200 answer that does not
    /// say `verified: true`, answers 10021 ([`codes::PASSKEY_FAILED`](crate::codes::PASSKEY_FAILED));
    /// a failed step answers that step's answer. Without a signed-in user: 10015.
    ///
    /// ```no_run
    /// # #[cfg(feature = "software-authenticator")] {
    /// use authing::{AuthClient, AuthResponse, AuthenticatorCode};
    /// use authing::passkey::SoftwareAuthenticator;
    /// AuthClient::new()
    ///     .register_passkey(SoftwareAuthenticator::new(), Some(AuthenticatorCode::Other), |r: AuthResponse| {
    ///         println!("{}", r.status_code())
    ///     })
    ///     .join()
    ///     .unwrap();
    /// # }
    /// ```
    #[doc(alias("registerPasskey", "webauthn"))]
    pub fn register_passkey<A, C>(
        &self,
        authenticator: A,
        authenticator_code: Option<AuthenticatorCode>,
        callback: C,
    ) -> RequestHandle
    where
        A: Authenticator + Send + 'static,
        C: AuthCallback,
    {
        self.spawn(callback, move |client, _| {
            client.register_passkey_blocking(&authenticator, authenticator_code)
        })
    }

    /// The blocking twin of [`register_passkey`](Self::register_passkey), here with the
    /// software authenticator against the embedded emulator:
    ///
    /// ```
    /// # #[cfg(feature = "software-authenticator")] {
    /// use authing::emulator::{Emulator, NewUser};
    /// use authing::passkey::SoftwareAuthenticator;
    /// use authing::{AuthClient, AuthenticatorCode};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-123"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// assert!(client.sign_in_by_email_password_blocking("alice@example.com", "secret-123", None).is_success());
    ///
    /// let authenticator = SoftwareAuthenticator::new();
    /// let response = client.register_passkey_blocking(&authenticator, Some(AuthenticatorCode::Other));
    /// assert!(response.passkey_verification()?.verified());
    /// assert_eq!(authenticator.credential_count(), 1);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register_passkey_blocking(
        &self,
        authenticator: &dyn Authenticator,
        authenticator_code: Option<AuthenticatorCode>,
    ) -> AuthResponse {
        let fetched = self.init_register_options_blocking();
        if !fetched.is_success() {
            return fetched;
        }
        let options = match fetched.registration_options() {
            Ok(options) => options,
            Err(error) => return unreadable(error, &fetched),
        };
        let mut request = options.creation().clone();
        let origin = self.passkey_origin(request.rp_id());
        request.client_data_json =
            passkey::client_data_json("webauthn.create", request.challenge(), &origin);
        let credential = match authenticator.make_credential(&request) {
            Ok(credential) => credential,
            Err(error) => return failed(error.to_string(), fetched.request_id()),
        };
        let client_data = credential
            .platform_client_data()
            .map(<[u8]>::to_vec)
            .unwrap_or_else(|| request.client_data_json.clone());
        let verified = self.verify_register_blocking(
            options.ticket(),
            &credential,
            &client_data,
            authenticator_code,
        );
        if verified.is_success() && !verified.passkey_verification().is_ok_and(|v| v.verified()) {
            return failed(
                "the server did not verify the new credential",
                verified.request_id(),
            );
        }
        verified
    }

    /// Signs in with a passkey through `authenticator`: the options
    /// ([`init_authentication_options`](Self::init_authentication_options)), the
    /// clientDataJSON (`webauthn.get`), the authenticator's assertion, the server's
    /// verification ([`verify_authentication`](Self::verify_authentication)), and the
    /// session started as after every sign-in. The callback form; the authenticator is
    /// called on the worker thread.
    ///
    /// The answer is the verification's (`{verified, tokenSet}`). The authenticator's
    /// refusal, or a 200 answer without `verified: true` and its tokens, answers 10021
    /// ([`codes::PASSKEY_FAILED`](crate::codes::PASSKEY_FAILED)) and nobody is signed in.
    ///
    /// ```no_run
    /// # #[cfg(feature = "software-authenticator")] {
    /// use authing::{AuthClient, AuthResponse};
    /// use authing::passkey::SoftwareAuthenticator;
    /// let authenticator = SoftwareAuthenticator::open("passkeys.json").unwrap();
    /// AuthClient::new()
    ///     .sign_in_by_passkey(authenticator, None, |r: AuthResponse| println!("{}", r.status_code()))
    ///     .join()
    ///     .unwrap();
    /// # }
    /// ```
    #[doc(alias("signInByPasskey", "signInByWebAuthn"))]
    pub fn sign_in_by_passkey<A, C>(
        &self,
        authenticator: A,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle
    where
        A: Authenticator + Send + 'static,
        C: AuthCallback,
    {
        let options = options.into();
        self.spawn(callback, move |client, _| {
            client.sign_in_by_passkey_blocking(&authenticator, options)
        })
    }

    /// The blocking twin of [`sign_in_by_passkey`](Self::sign_in_by_passkey), here with the
    /// software authenticator against the embedded emulator:
    ///
    /// ```
    /// # #[cfg(feature = "software-authenticator")] {
    /// use authing::emulator::{Emulator, NewUser};
    /// use authing::passkey::SoftwareAuthenticator;
    /// use authing::AuthClient;
    ///
    /// let emulator = Emulator::start()?;
    /// let alice = emulator.add_user(NewUser::with_email("alice@example.com", "secret-123"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// client.sign_in_by_email_password_blocking("alice@example.com", "secret-123", None);
    /// let authenticator = SoftwareAuthenticator::new();
    /// client.register_passkey_blocking(&authenticator, None);
    /// client.logout_blocking();
    ///
    /// let response = client.sign_in_by_passkey_blocking(&authenticator, None);
    /// assert!(response.is_success());
    /// // The user of the id_token (its scope, `openid profile` by default, holds no email)
    /// // until the full profile, fetched after the answer, replaces it; or ask for it now:
    /// assert_eq!(client.get_current_user().unwrap().user_id(), alice);
    /// let profile = client.get_profile_blocking(false, false, false).user_info()?;
    /// assert_eq!(profile.email(), Some("alice@example.com"));
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_in_by_passkey_blocking(
        &self,
        authenticator: &dyn Authenticator,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        let options = options.into();
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        if let Some(options) = &options {
            if let Err(problem) = options.push_json() {
                return AuthResponse::from_error(problem.into());
            }
        }
        let fetched = self.init_authentication_options_blocking();
        if !fetched.is_success() {
            return fetched;
        }
        let parsed = match fetched.authentication_options() {
            Ok(parsed) => parsed,
            Err(error) => return unreadable(error, &fetched),
        };
        let mut request = parsed.request().clone();
        let origin = self.passkey_origin(request.rp_id());
        request.client_data_json =
            passkey::client_data_json("webauthn.get", request.challenge(), &origin);
        let assertion = match authenticator.get_assertion(&request) {
            Ok(assertion) => assertion,
            Err(error) => return failed(error.to_string(), fetched.request_id()),
        };
        let client_data = assertion
            .platform_client_data()
            .map(<[u8]>::to_vec)
            .unwrap_or_else(|| request.client_data_json.clone());
        let verified =
            self.verify_authentication_blocking(parsed.ticket(), &assertion, &client_data, options);
        let signed_in = verified.data().is_some_and(|d| {
            d.get("verified") == Some(&Value::Bool(true))
                && d.get("tokenSet").is_some_and(Value::is_object)
        });
        if verified.is_success() && !signed_in {
            return failed(
                "the server did not verify the passkey",
                verified.request_id(),
            );
        }
        verified
    }
}
