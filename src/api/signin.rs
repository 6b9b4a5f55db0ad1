//! Sign-in by credentials (`POST /api/v3/signin`): by account, username, email or phone
//! and password, by phone or email pass code, by Windows AD or LDAP directory account. Each
//! call in its callback form and its blocking twin; a successful one starts the session.

use serde::Serialize;
use serde_json::Value;

use crate::client::json_body;
use crate::client::password::Sealed;
use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::model::signin::PassCodePayload;
use crate::model::AuthOptions;
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::validate;

/// The sign-in endpoint.
pub(crate) const SIGNIN_PATH: &str = "/api/v3/signin";

/// The body of `POST /api/v3/signin` (the spec's `SigninByCredentialsDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignInBody<'a> {
    connection: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_payload: Option<PasswordPayload<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pass_code_payload: Option<PassCodePayload<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ad_payload: Option<DirectoryPayload<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ldap_payload: Option<DirectoryPayload<'a>>,
    options: Value,
}

/// `passwordPayload`: one identifier and the password.
#[derive(Serialize, Default, Clone)]
struct PasswordPayload<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
    password: &'a str,
}

/// `adPayload` / `ldapPayload`.
#[derive(Serialize)]
struct DirectoryPayload<'a> {
    #[serde(rename = "sAMAccountName")]
    sam_account_name: &'a str,
    password: &'a str,
}

/// Which identifier a password sign-in names.
#[derive(Clone, Copy)]
enum Identifier {
    Account,
    Username,
    Email,
    Phone,
}

/// Which directory a directory sign-in asks.
#[derive(Clone, Copy)]
enum Directory {
    Ad,
    Ldap,
}

/// What a sign-in proves its user with.
enum Credential<'a> {
    Password(Identifier, &'a str, &'a str),
    PhonePassCode(Option<&'a str>, &'a str, &'a str),
    EmailPassCode(&'a str, &'a str),
    Directory(Directory, &'a str, &'a str),
}

/// # Sign-in (Java: `AuthClient.signInBy…`)
///
/// By account, username, email or phone and password, by passcode, by AD or LDAP account. A
/// success starts the session; an MFA challenge waits for the MFA calls.
impl AuthClient {
    /// Signs in with an account (username, phone or email) and password (Java:
    /// `signInByAccountPassword`; `POST /api/v3/signin`, connection `PASSWORD`,
    /// `passwordPayload.account`). The callback form.
    ///
    /// On success (`status_code() == 200`) the answer's `data` holds the tokens
    /// ([`login_token_data`](AuthResponse::login_token_data)), and the client's session
    /// starts: it keeps the tokens, takes the user for
    /// [`get_current_user`](Self::get_current_user) from the claims of the answer's
    /// id_token, and saves both in its token store, so the answer comes after this one
    /// request. That user is partial ([`UserInfo::is_partial`](crate::UserInfo::is_partial):
    /// `userId` from `sub`, and what the scope put in the token, such as `email`,
    /// `nickname`, `phone`); the full profile (`GET /api/v3/get-profile`) is fetched right
    /// after the callback has returned, on the same worker (for the blocking twin, on a
    /// worker of the client's), and replaces it in the session and the token store, unless
    /// the session changed meanwhile (a sign-out stays a sign-out). If that fetch fails the
    /// partial user stays until [`get_profile`](Self::get_profile) succeeds. An answer
    /// without an id_token, or whose id_token has no `sub`, is handled as before: the
    /// profile is fetched before the answer is delivered, and if it cannot be fetched the
    /// sign-in still stands and `get_current_user()` is `None` until `get_profile`
    /// succeeds. Every sign-in (passcode, directory, social, QR, push, passkey, MFA
    /// verification, switch, browser) starts its session this way. If the token store cannot be read (checked first, before anything is
    /// sent) or cannot save the session, the answer is status code 10016 and the client
    /// stays signed out. A sign-in while someone is signed in replaces that session (its
    /// tokens are not revoked: call [`logout`](Self::logout) first for that).
    ///
    /// `options` is `None` for the defaults (Java's `null`) or an [`AuthOptions`]. With
    /// `PasswordEncryptType::rsa` or `sm2` the password is encrypted with the server's
    /// public key, never sent in plain text instead (10014 when that fails).
    ///
    /// Checked before anything is sent (status code 10010): the account is not empty, not
    /// only whitespace, at most 256 characters and has no control characters; the password
    /// is not empty or only whitespace, at most 1024 characters and has no control
    /// characters; the options as [`AuthOptions`] says.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    ///
    /// let auth_client = AuthClient::new();
    /// auth_client
    ///     .sign_in_by_account_password("mike", "passw0rd", None, |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("signed in"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByAccountPassword", "loginByAccount"))]
    pub fn sign_in_by_account_password<C: AuthCallback>(
        &self,
        account: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (account, password, options) =
            (account.to_string(), password.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_account_password_blocking(&account, &password, options)
        })
    }

    /// The blocking twin of [`sign_in_by_account_password`](Self::sign_in_by_account_password).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_account_password_blocking("mike", "passw0rd", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_account_password_blocking(
        &self,
        account: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_in(
            Credential::Password(Identifier::Account, account, password),
            options.into(),
        )
    }

    /// Signs in with a username and password (Java: `signInByUserNamePassword`;
    /// `passwordPayload.username`). The callback form; everything else as
    /// [`sign_in_by_account_password`](Self::sign_in_by_account_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_user_name_password("mike", "passw0rd", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByUserNamePassword", "signInByUsernamePassword"))]
    pub fn sign_in_by_user_name_password<C: AuthCallback>(
        &self,
        username: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (username, password, options) =
            (username.to_string(), password.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_user_name_password_blocking(&username, &password, options)
        })
    }

    /// The blocking twin of [`sign_in_by_user_name_password`](Self::sign_in_by_user_name_password).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_user_name_password_blocking(
        &self,
        username: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_in(
            Credential::Password(Identifier::Username, username, password),
            options.into(),
        )
    }

    /// Signs in with an email address and password (Java: `signInByEmailPassword`;
    /// `passwordPayload.email`). The callback form; the email must be an email address
    /// (one `@`, a dotted domain, no whitespace, at most 254 bytes); everything else as
    /// [`sign_in_by_account_password`](Self::sign_in_by_account_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_email_password("mike@example.com", "passw0rd", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByEmailPassword"))]
    pub fn sign_in_by_email_password<C: AuthCallback>(
        &self,
        email: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (email, password, options) = (email.to_string(), password.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_email_password_blocking(&email, &password, options)
        })
    }

    /// The blocking twin of [`sign_in_by_email_password`](Self::sign_in_by_email_password).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_email_password_blocking("mike@example.com", "passw0rd", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_email_password_blocking(
        &self,
        email: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_in(
            Credential::Password(Identifier::Email, email, password),
            options.into(),
        )
    }

    /// Signs in with a phone number and password (Java: `signInByPhonePassword`;
    /// `passwordPayload.phone`). The callback form; the phone number is 1 to 20 digits
    /// without `+` (the spec's password payload has no country code); everything else as
    /// [`sign_in_by_account_password`](Self::sign_in_by_account_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_phone_password("18812345678", "passw0rd", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByPhonePassword"))]
    pub fn sign_in_by_phone_password<C: AuthCallback>(
        &self,
        phone: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (phone, password, options) = (phone.to_string(), password.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_phone_password_blocking(&phone, &password, options)
        })
    }

    /// The blocking twin of [`sign_in_by_phone_password`](Self::sign_in_by_phone_password).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_phone_password_blocking("18812345678", "passw0rd", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_phone_password_blocking(
        &self,
        phone: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_in(
            Credential::Password(Identifier::Phone, phone, password),
            options.into(),
        )
    }

    /// Signs in with a pass code sent by SMS (Java: `signInByPhonePassCode`; connection
    /// `PASSCODE`, `passCodePayload` with `phoneCountryCode`, `phone`, `passCode`). The
    /// callback form. Send the code first with
    /// [`send_sms`](Self::send_sms)`(.., SmsType::CHANNEL_LOGIN, ..)`.
    ///
    /// `phone_country_code` is `"+86"` (or `"86"`, sent as `"+86"`) in any form of
    /// [`OptionalText`](crate::OptionalText), or `None` or `""` (left out; the server
    /// assumes mainland China). Checked before anything is sent (10010): the country code
    /// 1 to 4 digits (not starting with 0) with or without its `+`, the phone 1 to 20
    /// digits, the pass code 1 to 32 letters or digits.
    /// The session starts as for
    /// [`sign_in_by_account_password`](Self::sign_in_by_account_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_phone_pass_code("+86", "18812345678", "1234", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByPhonePassCode", "loginByPhoneCode"))]
    pub fn sign_in_by_phone_pass_code<C: AuthCallback>(
        &self,
        phone_country_code: impl OptionalText,
        phone: &str,
        pass_code: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let country = text::into_text(phone_country_code);
        let (phone, code, options) = (phone.to_string(), pass_code.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_phone_pass_code_blocking(country.as_deref(), &phone, &code, options)
        })
    }

    /// The blocking twin of [`sign_in_by_phone_pass_code`](Self::sign_in_by_phone_pass_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_phone_pass_code_blocking(None, "18812345678", "1234", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_phone_pass_code_blocking(
        &self,
        phone_country_code: impl OptionalText,
        phone: &str,
        pass_code: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        // "" is no country code, as Guard's `loginByPhoneCode` (`Util.isNull`) has it.
        let country = text::into_text(phone_country_code).filter(|c| !c.is_empty());
        self.sign_in(
            Credential::PhonePassCode(country.as_deref(), phone, pass_code),
            options.into(),
        )
    }

    /// Signs in with a pass code sent by email (Java: `signInByEmailPassCode`;
    /// `passCodePayload` with `email`, `passCode`). The callback form. Send the code first
    /// with [`send_email`](Self::send_email)`(.., EmailType::CHANNEL_LOGIN, ..)`; the
    /// session starts as for
    /// [`sign_in_by_account_password`](Self::sign_in_by_account_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_email_pass_code("mike@example.com", "123456", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByEmailPassCode", "loginByEmailCode"))]
    pub fn sign_in_by_email_pass_code<C: AuthCallback>(
        &self,
        email: &str,
        pass_code: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (email, code, options) = (email.to_string(), pass_code.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_email_pass_code_blocking(&email, &code, options)
        })
    }

    /// The blocking twin of [`sign_in_by_email_pass_code`](Self::sign_in_by_email_pass_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_email_pass_code_blocking("mike@example.com", "123456", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_email_pass_code_blocking(
        &self,
        email: &str,
        pass_code: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_in(Credential::EmailPassCode(email, pass_code), options.into())
    }

    /// Signs in with a Windows AD account (Java: `signInByAD`; connection `AD`, `adPayload`
    /// with `sAMAccountName` and `password`). The callback form; the account name is
    /// checked as an account, the rest as
    /// [`sign_in_by_account_password`](Self::sign_in_by_account_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_ad("mike", "passw0rd", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByAD"))]
    pub fn sign_in_by_ad<C: AuthCallback>(
        &self,
        s_am_account_name: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (name, password, options) = (
            s_am_account_name.to_string(),
            password.to_string(),
            options.into(),
        );
        self.spawn(callback, move |client, _| {
            client.sign_in_by_ad_blocking(&name, &password, options)
        })
    }

    /// The blocking twin of [`sign_in_by_ad`](Self::sign_in_by_ad).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_ad_blocking("mike", "passw0rd", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_ad_blocking(
        &self,
        s_am_account_name: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_in(
            Credential::Directory(Directory::Ad, s_am_account_name, password),
            options.into(),
        )
    }

    /// Signs in with an LDAP directory account (Java: `signInByLDAP`; connection `LDAP`,
    /// `ldapPayload` with `sAMAccountName` and `password`). The callback form; as
    /// [`sign_in_by_ad`](Self::sign_in_by_ad).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_ldap("mike", "passw0rd", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByLDAP"))]
    pub fn sign_in_by_ldap<C: AuthCallback>(
        &self,
        s_am_account_name: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (name, password, options) = (
            s_am_account_name.to_string(),
            password.to_string(),
            options.into(),
        );
        self.spawn(callback, move |client, _| {
            client.sign_in_by_ldap_blocking(&name, &password, options)
        })
    }

    /// The blocking twin of [`sign_in_by_ldap`](Self::sign_in_by_ldap).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_ldap_blocking("mike", "passw0rd", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_ldap_blocking(
        &self,
        s_am_account_name: &str,
        password: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_in(
            Credential::Directory(Directory::Ldap, s_am_account_name, password),
            options.into(),
        )
    }

    /// Checks the credential and options, sends the sign-in, and starts the session on
    /// success. The password is checked and encrypted last, after every other check, so
    /// that bad input never costs a key fetch; a key the server rejects is fetched again
    /// once (see `client/password.rs`).
    fn sign_in(&self, credential: Credential<'_>, options: Option<AuthOptions>) -> AuthResponse {
        // A token store that cannot be read (a foreign or corrupt file) could not save the
        // session either: refuse before signing in, not after.
        if self.settings().is_ok() {
            if let Err(refused) = self.session().current() {
                return refused.into_response();
            }
        }
        let options = options.unwrap_or_default();
        let encrypt = options.password_encrypt_type();
        let precheck = || -> Result<(Value, Checked<'_>), AuthError> {
            self.settings()?;
            let options_json = options.sign_in_json()?;
            let checked = match credential {
                Credential::Password(identifier, value, password) => {
                    let mut payload = PasswordPayload::default();
                    match identifier {
                        Identifier::Account => payload.account = Some(account("account", value)?),
                        Identifier::Username => {
                            payload.username = Some(account("username", value)?)
                        }
                        Identifier::Email => {
                            payload.email = Some(validate::email("email", Some(value))?)
                        }
                        Identifier::Phone => {
                            payload.phone = Some(validate::phone_number("phone", Some(value))?)
                        }
                    }
                    let sealed = self.wire_password(encrypt, password)?;
                    Checked::Password(payload, password, sealed)
                }
                Credential::PhonePassCode(country, phone, pass_code) => {
                    Checked::PassCode(PassCodePayload {
                        email: None,
                        phone_country_code: country
                            .map(|c| validate::country_code("phone_country_code", c))
                            .transpose()?,
                        phone: Some(validate::phone_number("phone", Some(phone))?),
                        pass_code: validate::pass_code("pass_code", Some(pass_code))?,
                    })
                }
                Credential::EmailPassCode(email, pass_code) => Checked::PassCode(PassCodePayload {
                    email: Some(validate::email("email", Some(email))?),
                    phone_country_code: None,
                    phone: None,
                    pass_code: validate::pass_code("pass_code", Some(pass_code))?,
                }),
                Credential::Directory(directory, name, password) => {
                    let name = account("s_am_account_name", name)?;
                    let sealed = self.wire_password(encrypt, password)?;
                    Checked::Directory(directory, name, password, sealed)
                }
            };
            Ok((options_json, checked))
        };
        let (options_json, checked) = match precheck() {
            Ok(checked) => checked,
            Err(error) => return AuthResponse::from_error(error),
        };
        let body = |connection: &'static str| SignInBody {
            connection,
            password_payload: None,
            pass_code_payload: None,
            ad_payload: None,
            ldap_payload: None,
            options: options_json.clone(),
        };
        let response = match checked {
            Checked::Password(payload, password, sealed) => {
                self.post_sealed(SIGNIN_PATH, encrypt, password, sealed, None, |wire| {
                    json_body(&SignInBody {
                        password_payload: Some(PasswordPayload {
                            password: wire,
                            ..payload.clone()
                        }),
                        ..body("PASSWORD")
                    })
                })
            }
            Checked::PassCode(payload) => self.post(SIGNIN_PATH, || {
                json_body(&SignInBody {
                    pass_code_payload: Some(payload),
                    ..body("PASSCODE")
                })
            }),
            Checked::Directory(directory, name, password, sealed) => {
                self.post_sealed(SIGNIN_PATH, encrypt, password, sealed, None, |wire| {
                    let payload = Some(DirectoryPayload {
                        sam_account_name: name,
                        password: wire,
                    });
                    json_body(&match directory {
                        Directory::Ad => SignInBody {
                            ad_payload: payload,
                            ..body("AD")
                        },
                        Directory::Ldap => SignInBody {
                            ldap_payload: payload,
                            ..body("LDAP")
                        },
                    })
                })
            }
        };
        self.finish_sign_in(response)
    }
}

/// A credential that passed the local checks, its password sealed for the wire.
enum Checked<'a> {
    Password(PasswordPayload<'a>, &'a str, Sealed),
    PassCode(PassCodePayload<'a>),
    Directory(Directory, &'a str, &'a str, Sealed),
}

/// An account, username or directory account name.
fn account<'a>(field: &'static str, value: &'a str) -> Result<&'a str, AuthError> {
    Ok(validate::text(
        field,
        Some(value),
        validate::MAX_ACCOUNT_LEN,
    )?)
}
