//! The recovery journey ("forgot password"): send a passcode, verify it for a reset token
//! (`reset_password_request`), set the new password, both steps in one call, and the
//! server's public keys. Each call in its callback form and its blocking twin.

use std::borrow::Cow;

use serde::Serialize;

use crate::client::password::{Sealed, SYSTEM_PATH};
use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::dispatcher::CancelCheck;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::model::{EmailType, SmsType};
use crate::model::{
    PasswordEncryptType, ResetPasswordPayload, ResetPasswordVerifyMethod, ResetToken,
};
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::transport::Shape;
use crate::validate;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SendSmsBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_country_code: Option<Cow<'a, str>>,
    phone_number: &'a str,
    channel: SmsType,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SendEmailBody<'a> {
    email: &'a str,
    channel: EmailType,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResetBody<'a> {
    password_reset_token: &'a str,
    password: &'a str,
    password_encrypt_type: &'static str,
}

/// `resetPasswordRequest`'s endpoint.
pub(crate) const VERIFY_PATH: &str = "/api/v3/verify-reset-password-request";
/// `resetPassword`'s endpoint.
pub(crate) const RESET_PATH: &str = "/api/v3/reset-password";

fn to_json(body: &impl Serialize) -> Result<Vec<u8>, AuthError> {
    serde_json::to_vec(body)
        .map_err(|e| AuthError::Internal(format!("could not encode the body: {e}")))
}

/// # Account recovery (Java: `AuthClient.resetPasswordRequest`, `sendSms`, `sendEmail`, `resetPassword…`, `system`)
///
/// Passcodes by SMS and email, the reset token they buy, and the new password. Payloads and
/// answers: [`ResetPasswordPayload`](crate::ResetPasswordPayload),
/// [`ResetPasswordData`](crate::ResetPasswordData), [`SmsType`](crate::SmsType),
/// [`EmailType`](crate::EmailType).
impl AuthClient {
    /// Verifies the passcode a user received by SMS or email and answers a
    /// `passwordResetToken` (Java: `resetPasswordRequest`; `POST
    /// /api/v3/verify-reset-password-request`). The callback form.
    ///
    /// On success `status_code()` is 200 and
    /// [`reset_password_data()`](AuthResponse::reset_password_data) gives the token, its
    /// lifetime and the instant it expires. Only the payload object of the chosen method is
    /// sent, and fields that are not set are left out.
    ///
    /// Checked before anything is sent (status code 10010, [`AuthError::InvalidInput`]):
    /// - both methods: a pass code of 1 to 32 ASCII letters or digits;
    /// - `PHONE_PASSCODE`: a phone number of 1 to 20 ASCII digits, no `+`; a country code,
    ///   if set, of 1 to 4 digits (not starting with 0), with or without its `+`; no email
    ///   set;
    /// - `EMAIL_PASSCODE`: an email address (one `@`, a dotted domain, no whitespace, at most
    ///   254 bytes); no phone number or country code set;
    /// - no value empty or only whitespace. Values are sent as given, never trimmed; only a
    ///   country code without its `+` is sent with it (`"86"` goes out as `"+86"`).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, ResetPasswordPayload, ResetPasswordVerifyMethod};
    ///
    /// let auth_client = AuthClient::new();
    /// let mut payload = ResetPasswordPayload::new();
    /// payload.set_email("someone@example.com").set_pass_code("123456");
    /// auth_client
    ///     .reset_password_request(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload, |response: AuthResponse| {
    ///         match response.reset_password_data() {
    ///             Ok(reset) => println!("token valid for {} s", reset.token_expires_in()),
    ///             Err(error) => println!("failed: {error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("resetPasswordRequest"))]
    pub fn reset_password_request<C: AuthCallback>(
        &self,
        method: ResetPasswordVerifyMethod,
        payload: ResetPasswordPayload,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.reset_password_request_blocking(method, payload)
        })
    }

    /// The blocking twin of [`reset_password_request`](Self::reset_password_request): the
    /// same call on the caller's thread, answered as the return value. Do not call it on a
    /// GUI thread.
    ///
    /// ```no_run
    /// use authing::{AuthClient, ResetPasswordPayload, ResetPasswordVerifyMethod};
    ///
    /// let mut payload = ResetPasswordPayload::new();
    /// payload.set_phone_number("18812345678").set_pass_code("1234");
    /// let response = AuthClient::new()
    ///     .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload);
    /// println!("{} {}", response.status_code(), response.message());
    /// ```
    pub fn reset_password_request_blocking(
        &self,
        method: ResetPasswordVerifyMethod,
        payload: ResetPasswordPayload,
    ) -> AuthResponse {
        self.post(VERIFY_PATH, || {
            payload
                .to_request_body(method)
                .map_err(AuthError::InvalidInput)
        })
    }

    /// Sends a passcode by SMS (Java: `sendSms`; `POST /api/v3/send-sms`). The callback form.
    ///
    /// `phone_country_code` is `"+86"` (or `"86"`, sent as `"+86"`), in any form of
    /// [`OptionalText`] (`&str`, `&String`, `String`, or an `Option` of one), or
    /// `None` (or `""`, as Android's `Util.isNull` has it): the server then assumes
    /// mainland China. The server allows one send per phone number and channel per minute; a
    /// throttled send answers status code 429 and, when the server says it,
    /// [`AuthResponse::retry_after`]. An SMS passcode is valid for 1 minute by default.
    /// Input is checked first, as for [`reset_password_request`](Self::reset_password_request).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, SmsType};
    /// let auth_client = AuthClient::new();
    /// auth_client
    ///     .send_sms("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD, |response: AuthResponse| {
    ///         if let Some(wait) = response.retry_after() {
    ///             println!("sent too often; wait {} s", wait.as_secs());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("sendSms"))]
    pub fn send_sms<C: AuthCallback>(
        &self,
        phone_country_code: impl OptionalText,
        phone_number: &str,
        channel: SmsType,
        callback: C,
    ) -> RequestHandle {
        let country = text::into_text(phone_country_code);
        let phone = phone_number.to_string();
        self.spawn(callback, move |client, _| {
            client.send_sms_blocking(country.as_deref(), &phone, channel)
        })
    }

    /// The blocking twin of [`send_sms`](Self::send_sms).
    ///
    /// ```no_run
    /// use authing::{AuthClient, SmsType};
    /// let response = AuthClient::new().send_sms_blocking(None, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
    /// println!("{}", response.status_code());
    /// ```
    pub fn send_sms_blocking(
        &self,
        phone_country_code: impl OptionalText,
        phone_number: &str,
        channel: SmsType,
    ) -> AuthResponse {
        // "" is no country code, as Android's `CodeClient.sendSms` (`Util.isNull`) has it.
        let country = text::into_text(phone_country_code).filter(|c| !c.is_empty());
        self.post("/api/v3/send-sms", || {
            let phone_country_code = country
                .as_deref()
                .map(|c| validate::country_code("phone_country_code", c))
                .transpose()?;
            let phone_number = validate::phone_number("phone_number", Some(phone_number))?;
            to_json(&SendSmsBody {
                phone_country_code,
                phone_number,
                channel,
            })
        })
    }

    /// Sends a passcode by email (Java: `sendEmail`; `POST /api/v3/send-email`). The callback
    /// form.
    ///
    /// One send per address and channel per minute, as for SMS; an email passcode is valid
    /// for 5 minutes by default. The server treats addresses case-insensitively.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, EmailType};
    /// AuthClient::new()
    ///     .send_email("someone@example.com", EmailType::CHANNEL_RESET_PASSWORD, |response: AuthResponse| {
    ///         println!("{}", response.message());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("sendEmail"))]
    pub fn send_email<C: AuthCallback>(
        &self,
        email: &str,
        channel: EmailType,
        callback: C,
    ) -> RequestHandle {
        let email = email.to_string();
        self.spawn(callback, move |client, _| {
            client.send_email_blocking(&email, channel)
        })
    }

    /// The blocking twin of [`send_email`](Self::send_email).
    ///
    /// ```no_run
    /// use authing::{AuthClient, EmailType};
    /// let response = AuthClient::new().send_email_blocking("someone@example.com", EmailType::CHANNEL_RESET_PASSWORD);
    /// println!("{}", response.status_code());
    /// ```
    pub fn send_email_blocking(&self, email: &str, channel: EmailType) -> AuthResponse {
        self.post("/api/v3/send-email", || {
            let email = validate::email("email", Some(email))?;
            to_json(&SendEmailBody { email, channel })
        })
    }

    /// Sets the new password with a `passwordResetToken` (Java: `resetPassword`;
    /// `POST /api/v3/reset-password`). The callback form.
    ///
    /// `password_reset_token` is the token string (as in Java) or, better, the
    /// [`ResetPasswordData`](crate::ResetPasswordData) of the verify answer: then a token
    /// that has already expired is refused locally (status code 10010) instead of on the
    /// server. The password must not be empty, only whitespace, longer than 1024
    /// characters, or hold control characters; the server applies its password policy on
    /// top. With `rsa` or `sm2`, the password is encrypted with the server's public key
    /// (see [`PasswordEncryptType`]); it is never sent in plain text instead.
    ///
    /// The body always carries `passwordEncryptType`, `"none"` included, as the spec lists
    /// it; Android leaves the field out for `none` (the server's default), which this crate
    /// does not copy: the body says what was meant.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, PasswordEncryptType};
    /// # let token = String::new();
    /// AuthClient::new()
    ///     .reset_password(token.as_str(), "a new passw0rd", PasswordEncryptType::none, |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("password changed"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("resetPassword"))]
    pub fn reset_password<C: AuthCallback>(
        &self,
        password_reset_token: impl Into<ResetToken>,
        password: &str,
        encrypt_type: PasswordEncryptType,
        callback: C,
    ) -> RequestHandle {
        let token = password_reset_token.into();
        let password = password.to_string();
        self.spawn(callback, move |client, _| {
            client.reset_password_blocking(token, &password, encrypt_type)
        })
    }

    /// The blocking twin of [`reset_password`](Self::reset_password).
    ///
    /// ```no_run
    /// # fn f(reset: authing::ResetPasswordData) {
    /// use authing::{AuthClient, PasswordEncryptType};
    /// let response = AuthClient::new().reset_password_blocking(&reset, "a new passw0rd", PasswordEncryptType::none);
    /// println!("{}", response.status_code());
    /// # }
    /// ```
    pub fn reset_password_blocking(
        &self,
        password_reset_token: impl Into<ResetToken>,
        password: &str,
        encrypt_type: PasswordEncryptType,
    ) -> AuthResponse {
        let token = password_reset_token.into();
        let precheck = || {
            self.settings()?;
            // The token first: an expired one must not cost a key fetch.
            token.check()?;
            self.wire_password(encrypt_type, password)
        };
        let sealed = match precheck() {
            Ok(sealed) => sealed,
            Err(error) => return AuthResponse::from_error(error),
        };
        self.post_sealed(RESET_PATH, encrypt_type, password, sealed, None, |wire| {
            reset_body(&token, wire, encrypt_type)
        })
    }

    /// Verifies an SMS passcode and sets the new password, in one call (Java:
    /// `resetPasswordByPhone`). The callback form.
    ///
    /// Unlike the Android SDK, the callback runs exactly once on every path: the verify
    /// step's failure, a verify answer without a token (status code 10004, never reported
    /// as success), or the reset step's answer. Everything that can be checked locally (the
    /// phone number, code, password, and the public key for `rsa`/`sm2`) is checked before
    /// the passcode is spent. `phone_country_code` as for [`send_sms`](Self::send_sms)
    /// (`None` or `""` for none).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, PasswordEncryptType};
    /// AuthClient::new()
    ///     .reset_password_by_phone("+86", "18812345678", "1234", "a new passw0rd", PasswordEncryptType::none,
    ///         |response: AuthResponse| println!("{} {}", response.status_code(), response.message()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("resetPasswordByPhone", "resetPasswordByPhoneCode"))]
    pub fn reset_password_by_phone<C: AuthCallback>(
        &self,
        phone_country_code: impl OptionalText,
        phone_number: &str,
        pass_code: &str,
        password: &str,
        encrypt_type: PasswordEncryptType,
        callback: C,
    ) -> RequestHandle {
        let country = text::into_text(phone_country_code);
        let (phone, code, password) = (
            phone_number.to_string(),
            pass_code.to_string(),
            password.to_string(),
        );
        self.spawn(callback, move |client, cancel| {
            let payload = phone_payload(country.as_deref(), &phone, &code);
            client.verify_then_reset(
                ResetPasswordVerifyMethod::PHONE_PASSCODE,
                payload,
                &password,
                encrypt_type,
                Some(cancel),
            )
        })
    }

    /// The blocking twin of [`reset_password_by_phone`](Self::reset_password_by_phone).
    ///
    /// ```no_run
    /// use authing::{AuthClient, PasswordEncryptType};
    /// let response = AuthClient::new().reset_password_by_phone_blocking(
    ///     None, "18812345678", "1234", "a new passw0rd", PasswordEncryptType::none);
    /// println!("{}", response.status_code());
    /// ```
    pub fn reset_password_by_phone_blocking(
        &self,
        phone_country_code: impl OptionalText,
        phone_number: &str,
        pass_code: &str,
        password: &str,
        encrypt_type: PasswordEncryptType,
    ) -> AuthResponse {
        self.verify_then_reset(
            ResetPasswordVerifyMethod::PHONE_PASSCODE,
            phone_payload(
                // "" is no country code, as Guard's `resetPasswordByPhoneCode`
                // (`Util.isNull`) has it.
                text::into_text(phone_country_code)
                    .filter(|c| !c.is_empty())
                    .as_deref(),
                phone_number,
                pass_code,
            ),
            password,
            encrypt_type,
            None,
        )
    }

    /// Verifies an email passcode and sets the new password, in one call (Java:
    /// `resetPasswordByEmail`). The callback form; exactly one callback on every path, as
    /// [`reset_password_by_phone`](Self::reset_password_by_phone).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, PasswordEncryptType};
    /// AuthClient::new()
    ///     .reset_password_by_email("someone@example.com", "123456", "a new passw0rd", PasswordEncryptType::none,
    ///         |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("resetPasswordByEmail", "resetPasswordByEmailCode"))]
    pub fn reset_password_by_email<C: AuthCallback>(
        &self,
        email: &str,
        pass_code: &str,
        password: &str,
        encrypt_type: PasswordEncryptType,
        callback: C,
    ) -> RequestHandle {
        let (email, code, password) = (
            email.to_string(),
            pass_code.to_string(),
            password.to_string(),
        );
        self.spawn(callback, move |client, cancel| {
            client.verify_then_reset(
                ResetPasswordVerifyMethod::EMAIL_PASSCODE,
                email_payload(&email, &code),
                &password,
                encrypt_type,
                Some(cancel),
            )
        })
    }

    /// The blocking twin of [`reset_password_by_email`](Self::reset_password_by_email).
    ///
    /// ```no_run
    /// use authing::{AuthClient, PasswordEncryptType};
    /// let response = AuthClient::new().reset_password_by_email_blocking(
    ///     "someone@example.com", "123456", "a new passw0rd", PasswordEncryptType::none);
    /// println!("{}", response.status_code());
    /// ```
    pub fn reset_password_by_email_blocking(
        &self,
        email: &str,
        pass_code: &str,
        password: &str,
        encrypt_type: PasswordEncryptType,
    ) -> AuthResponse {
        self.verify_then_reset(
            ResetPasswordVerifyMethod::EMAIL_PASSCODE,
            email_payload(email, pass_code),
            password,
            encrypt_type,
            None,
        )
    }

    /// Both steps; one answer. The configuration and every local check come first, so a
    /// bad password or an unreachable key does not spend the passcode; a call cancelled
    /// while verifying does not send the reset.
    fn verify_then_reset(
        &self,
        method: ResetPasswordVerifyMethod,
        payload: ResetPasswordPayload,
        password: &str,
        encrypt_type: PasswordEncryptType,
        cancel: Option<&CancelCheck<'_>>,
    ) -> AuthResponse {
        let precheck = || -> Result<(Vec<u8>, Sealed), AuthError> {
            self.settings()?;
            let verify_body = payload.to_request_body(method)?;
            Ok((verify_body, self.wire_password(encrypt_type, password)?))
        };
        let (verify_body, sent) = match precheck() {
            Ok(checked) => checked,
            Err(error) => return AuthResponse::from_error(error),
        };
        let verified = self.post(VERIFY_PATH, || Ok(verify_body));
        if !verified.is_success() {
            return verified;
        }
        if cancel.is_some_and(CancelCheck::is_cancelled) {
            // The caller already has its cancellation; this answer is never delivered.
            return AuthResponse::from_error(AuthError::Cancelled);
        }
        let token = verified.reset_password_data().and_then(|reset| {
            // A malformed token is the server's fault, not the caller's input.
            validate::token("passwordResetToken", Some(reset.password_reset_token())).map_err(
                |e| AuthError::UnexpectedResponse {
                    reason: format!("the server's {e}"),
                },
            )?;
            Ok(ResetToken::from(reset))
        });
        match token {
            Ok(token) => {
                self.post_sealed(RESET_PATH, encrypt_type, password, sent, cancel, |wire| {
                    token.check()?;
                    reset_body(&token, wire, encrypt_type)
                })
            }
            Err(error) => {
                let mut answer = AuthResponse::from_error(error);
                answer.request_id = verified.request_id;
                answer
            }
        }
    }

    /// Fetches the server's public keys and version (`GET /api/v3/system`, answered without
    /// the envelope: on success `data()` is the whole body,
    /// `{"rsa":{"publicKey":..},"sm2":{"publicKey":..},"version":{..}}`). The callback form.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .system(|response: AuthResponse| {
    ///         if let Some(data) = response.data() { println!("{}", data["version"]); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    pub fn system<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| client.system_blocking())
    }

    /// The blocking twin of [`system`](Self::system).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().system_blocking();
    /// println!("{:?}", response.data());
    /// ```
    pub fn system_blocking(&self) -> AuthResponse {
        self.get(SYSTEM_PATH, Shape::Plain)
    }
}

/// The reset-password body; the caller has checked the token.
fn reset_body(
    token: &ResetToken,
    wire_password: &str,
    encrypt_type: PasswordEncryptType,
) -> Result<Vec<u8>, AuthError> {
    to_json(&ResetBody {
        password_reset_token: token.token(),
        password: wire_password,
        password_encrypt_type: encrypt_type.as_str(),
    })
}

fn phone_payload(
    country: Option<&str>,
    phone_number: &str,
    pass_code: &str,
) -> ResetPasswordPayload {
    let mut payload = ResetPasswordPayload::new();
    if let Some(country) = country {
        payload.set_phone_country_code(country);
    }
    payload
        .set_phone_number(phone_number)
        .set_pass_code(pass_code);
    payload
}

fn email_payload(email: &str, pass_code: &str) -> ResetPasswordPayload {
    let mut payload = ResetPasswordPayload::new();
    payload.set_email(email).set_pass_code(pass_code);
    payload
}
