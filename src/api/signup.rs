//! Sign-up (`POST /api/v3/signup`): by username or email and password, by email or phone
//! pass code. Each call in its callback form and its blocking twin.
//!
//! A sign-up does not sign in: the spec's answer (`UserSingleRespDto`) carries the new
//! user, not tokens, so no session starts. Sign in afterwards.

use serde::Serialize;
use serde_json::Value;

use crate::client::json_body;
use crate::client::password::Sealed;
use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::model::signin::PassCodePayload;
use crate::model::{AuthOptions, AuthProfile};
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::validate;

/// The sign-up endpoint.
pub(crate) const SIGNUP_PATH: &str = "/api/v3/signup";

/// The body of `POST /api/v3/signup` (the spec's `SignUpDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignUpBody<'a> {
    connection: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_payload: Option<PasswordPayload<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pass_code_payload: Option<PassCodePayload<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<Value>,
    options: Value,
}

/// `passwordPayload` (the spec's `SignUpByPasswordDto`).
#[derive(Serialize, Clone)]
struct PasswordPayload<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    password: &'a str,
}

/// How a new user identifies themselves.
enum NewUser<'a> {
    UsernamePassword(&'a str, &'a str),
    EmailPassword(&'a str, &'a str),
    EmailPassCode(&'a str, &'a str),
    PhonePassCode(Option<&'a str>, &'a str, &'a str),
}

/// # Sign-up (Java: `AuthClient.signUpBy…`)
///
/// A new user by username or email and password, or by email or phone passcode. A sign-up
/// does not sign in. Optional settings: [`AuthProfile`](crate::AuthProfile),
/// [`AuthOptions`](crate::AuthOptions).
impl AuthClient {
    /// Creates a user with a username and password (Java: `signUpByUserNamePassword`;
    /// `POST /api/v3/signup`, connection `PASSWORD`, `passwordPayload.username`). The
    /// callback form.
    ///
    /// On success `data` is the new user ([`user_info`](AuthResponse::user_info)). The
    /// client does not sign in (the answer has no tokens): call a `sign_in_by_*` next.
    ///
    /// `profile` is `None` or an [`AuthProfile`] (sent as `profile`); `options` is `None`
    /// for the defaults or an [`AuthOptions`], of which the sign-up sends `clientIp`,
    /// `context` (`{}` when unset: the spec requires it), `passwordEncryptType` and the
    /// pass codes for information completion. With `rsa`/`sm2` the password is encrypted
    /// with the server's public key, never sent in plain text instead.
    ///
    /// Checked before anything is sent (status code 10010): the username is not empty,
    /// not only whitespace, at most 256 characters, no control characters; the password is
    /// not empty or only whitespace, at most 1024 characters, no control characters (the
    /// server's password policy applies on top); the profile and options as their types
    /// say.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthProfile, AuthResponse};
    ///
    /// let mut profile = AuthProfile::new();
    /// profile.set_nickname("Mike");
    /// AuthClient::new()
    ///     .sign_up_by_user_name_password("mike", "passw0rd", profile, None, |response: AuthResponse| {
    ///         match response.user_info() {
    ///             Ok(user) => println!("welcome, {}", user.user_id()),
    ///             Err(error) => println!("sign-up failed: {error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias(
        "signUpByUserNamePassword",
        "signUpByUsernamePassword",
        "registerByUserName"
    ))]
    pub fn sign_up_by_user_name_password<C: AuthCallback>(
        &self,
        username: &str,
        password: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (username, password) = (username.to_string(), password.to_string());
        let (profile, options) = (profile.into(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_up_by_user_name_password_blocking(&username, &password, profile, options)
        })
    }

    /// The blocking twin of [`sign_up_by_user_name_password`](Self::sign_up_by_user_name_password).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .sign_up_by_user_name_password_blocking("mike", "passw0rd", None, None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_up_by_user_name_password_blocking(
        &self,
        username: &str,
        password: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_up(
            NewUser::UsernamePassword(username, password),
            profile.into(),
            options.into(),
        )
    }

    /// Creates a user with an email address and password (Java: `signUpByEmailPassword`;
    /// `passwordPayload.email`). The callback form; the email must be an email address; the
    /// rest as [`sign_up_by_user_name_password`](Self::sign_up_by_user_name_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_up_by_email_password("mike@example.com", "passw0rd", None, None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signUpByEmailPassword", "registerByEmail"))]
    pub fn sign_up_by_email_password<C: AuthCallback>(
        &self,
        email: &str,
        password: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (email, password) = (email.to_string(), password.to_string());
        let (profile, options) = (profile.into(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_up_by_email_password_blocking(&email, &password, profile, options)
        })
    }

    /// The blocking twin of [`sign_up_by_email_password`](Self::sign_up_by_email_password).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .sign_up_by_email_password_blocking("mike@example.com", "passw0rd", None, None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_up_by_email_password_blocking(
        &self,
        email: &str,
        password: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_up(
            NewUser::EmailPassword(email, password),
            profile.into(),
            options.into(),
        )
    }

    /// Creates a user with an email address and a pass code sent to it (Java:
    /// `signUpByEmailPassCode`; connection `PASSCODE`, `passCodePayload` with `email`,
    /// `passCode`). The callback form. Send the code first with
    /// [`send_email`](Self::send_email)`(.., EmailType::CHANNEL_REGISTER, ..)`; the pass
    /// code is 1 to 32 letters or digits; the rest as
    /// [`sign_up_by_user_name_password`](Self::sign_up_by_user_name_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_up_by_email_pass_code("mike@example.com", "123456", None, None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signUpByEmailPassCode", "registerByEmailCode"))]
    pub fn sign_up_by_email_pass_code<C: AuthCallback>(
        &self,
        email: &str,
        pass_code: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (email, code) = (email.to_string(), pass_code.to_string());
        let (profile, options) = (profile.into(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_up_by_email_pass_code_blocking(&email, &code, profile, options)
        })
    }

    /// The blocking twin of [`sign_up_by_email_pass_code`](Self::sign_up_by_email_pass_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .sign_up_by_email_pass_code_blocking("mike@example.com", "123456", None, None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_up_by_email_pass_code_blocking(
        &self,
        email: &str,
        pass_code: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        self.sign_up(
            NewUser::EmailPassCode(email, pass_code),
            profile.into(),
            options.into(),
        )
    }

    /// Creates a user with a phone number and a pass code sent to it by SMS (Java:
    /// `signUpByPhonePassCode`; `passCodePayload` with `phoneCountryCode`, `phone`,
    /// `passCode`). The callback form. Send the code first with
    /// [`send_sms`](Self::send_sms)`(.., SmsType::CHANNEL_REGISTER, ..)`.
    /// `phone_country_code` is `"+86"` (or `"86"`, sent as `"+86"`) in any form of
    /// [`OptionalText`](crate::OptionalText), or `None` or `""` (left out, as Android
    /// does);
    /// the rest as [`sign_up_by_user_name_password`](Self::sign_up_by_user_name_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_up_by_phone_pass_code("+86", "18812345678", "1234", None, None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signUpByPhonePassCode"))]
    pub fn sign_up_by_phone_pass_code<C: AuthCallback>(
        &self,
        phone_country_code: impl OptionalText,
        phone: &str,
        pass_code: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let country = text::into_text(phone_country_code);
        let (phone, code) = (phone.to_string(), pass_code.to_string());
        let (profile, options) = (profile.into(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_up_by_phone_pass_code_blocking(
                country.as_deref(),
                &phone,
                &code,
                profile,
                options,
            )
        })
    }

    /// The blocking twin of [`sign_up_by_phone_pass_code`](Self::sign_up_by_phone_pass_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .sign_up_by_phone_pass_code_blocking(None, "18812345678", "1234", None, None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_up_by_phone_pass_code_blocking(
        &self,
        phone_country_code: impl OptionalText,
        phone: &str,
        pass_code: &str,
        profile: impl Into<Option<AuthProfile>>,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        // "" is no country code, as Android's `SignUpClient.signUpByPhonePassCode`
        // (`Util.isNull`) has it.
        let country = text::into_text(phone_country_code).filter(|c| !c.is_empty());
        self.sign_up(
            NewUser::PhonePassCode(country.as_deref(), phone, pass_code),
            profile.into(),
            options.into(),
        )
    }

    /// Checks everything, the password last (its encryption may fetch a key), and sends
    /// the sign-up; a key the server rejects is fetched again once (see `client/password.rs`).
    fn sign_up(
        &self,
        user: NewUser<'_>,
        profile: Option<AuthProfile>,
        options: Option<AuthOptions>,
    ) -> AuthResponse {
        let options = options.unwrap_or_default();
        let encrypt = options.password_encrypt_type();
        let precheck = || -> Result<(Option<Value>, Value, Checked<'_>), AuthError> {
            self.settings()?;
            let profile = profile.as_ref().map(AuthProfile::to_json).transpose()?;
            let options_json = options.sign_up_json()?;
            let checked = match user {
                NewUser::UsernamePassword(username, password) => {
                    let username =
                        validate::text("username", Some(username), validate::MAX_ACCOUNT_LEN)?;
                    let payload = PasswordPayload {
                        username: Some(username),
                        email: None,
                        password: "",
                    };
                    Checked::Password(payload, password, self.wire_password(encrypt, password)?)
                }
                NewUser::EmailPassword(email, password) => {
                    let payload = PasswordPayload {
                        username: None,
                        email: Some(validate::email("email", Some(email))?),
                        password: "",
                    };
                    Checked::Password(payload, password, self.wire_password(encrypt, password)?)
                }
                NewUser::EmailPassCode(email, pass_code) => Checked::PassCode(PassCodePayload {
                    email: Some(validate::email("email", Some(email))?),
                    phone_country_code: None,
                    phone: None,
                    pass_code: validate::pass_code("pass_code", Some(pass_code))?,
                }),
                NewUser::PhonePassCode(country, phone, pass_code) => {
                    Checked::PassCode(PassCodePayload {
                        email: None,
                        phone_country_code: country
                            .map(|c| validate::country_code("phone_country_code", c))
                            .transpose()?,
                        phone: Some(validate::phone_number("phone", Some(phone))?),
                        pass_code: validate::pass_code("pass_code", Some(pass_code))?,
                    })
                }
            };
            Ok((profile, options_json, checked))
        };
        let (profile, options_json, checked) = match precheck() {
            Ok(checked) => checked,
            Err(error) => return AuthResponse::from_error(error),
        };
        match checked {
            Checked::Password(payload, password, sealed) => {
                self.post_sealed(SIGNUP_PATH, encrypt, password, sealed, None, |wire| {
                    json_body(&SignUpBody {
                        connection: "PASSWORD",
                        password_payload: Some(PasswordPayload {
                            password: wire,
                            ..payload.clone()
                        }),
                        pass_code_payload: None,
                        profile: profile.clone(),
                        options: options_json.clone(),
                    })
                })
            }
            Checked::PassCode(payload) => self.post(SIGNUP_PATH, || {
                json_body(&SignUpBody {
                    connection: "PASSCODE",
                    password_payload: None,
                    pass_code_payload: Some(payload),
                    profile,
                    options: options_json,
                })
            }),
        }
    }
}

/// A new user that passed the local checks, the password sealed for the wire.
enum Checked<'a> {
    Password(PasswordPayload<'a>, &'a str, Sealed),
    PassCode(PassCodePayload<'a>),
}
