//! The signed-in user's phone number and email address: bind, unbind, and change (verify
//! the passcodes for a one-time token, then change with it). Each call in its callback form
//! and its blocking twin. What each does to the session's cached user: `account.rs`.

use serde_json::{json, Map, Value};

use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{AuthError, InputError};
use crate::model::{UpdateEmailToken, UpdatePhoneToken};
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::validate;

/// `bindPhone`'s endpoint.
pub(crate) const BIND_PHONE_PATH: &str = "/api/v3/bind-phone";
/// `unBindPhone`'s endpoint.
pub(crate) const UNBIND_PHONE_PATH: &str = "/api/v3/unbind-phone";
/// `bindEmail`'s endpoint.
pub(crate) const BIND_EMAIL_PATH: &str = "/api/v3/bind-email";
/// `unBindEmail`'s endpoint.
pub(crate) const UNBIND_EMAIL_PATH: &str = "/api/v3/unbind-email";
/// `updatePhoneRequest`'s endpoint.
pub(crate) const VERIFY_UPDATE_PHONE_PATH: &str = "/api/v3/verify-update-phone-request";
/// `updatePhone`'s endpoint.
pub(crate) const UPDATE_PHONE_PATH: &str = "/api/v3/update-phone";
/// `updateEmailRequest`'s endpoint.
pub(crate) const VERIFY_UPDATE_EMAIL_PATH: &str = "/api/v3/verify-update-email-request";
/// `updateEmail`'s endpoint.
pub(crate) const UPDATE_EMAIL_PATH: &str = "/api/v3/update-email";

/// # Phone and email (Java: `AuthClient.bindPhone`, `unBindPhone`, `bindEmail`, `unBindEmail`, `updatePhone…`, `updateEmail…`)
///
/// Binding, unbinding and changing the signed-in user's phone and email; a change verifies
/// the passcodes first ([`UpdatePhoneToken`](crate::UpdatePhoneToken),
/// [`UpdateEmailToken`](crate::UpdateEmailToken)).
impl AuthClient {
    /// Binds a phone number to the signed-in user, who has none yet (Java: `bindPhone`;
    /// `POST /api/v3/bind-phone`, `{phoneNumber, passCode, phoneCountryCode?}`, with the
    /// session's bearer). The callback form.
    ///
    /// First send the passcode to the new number with
    /// [`send_sms`](Self::send_sms)`(.., SmsType::CHANNEL_BIND_PHONE, ..)`. A user who has a
    /// phone already changes it with
    /// [`update_phone_request`](Self::update_phone_request) instead. On success the
    /// session's user is fetched again (see `account.rs`'s docs).
    ///
    /// Checked before anything is sent (status code 10010): the phone number, country code
    /// (`None` or `""` for none) and pass code as for [`send_sms`](Self::send_sms) and
    /// [`reset_password_request`](Self::reset_password_request). Without a signed-in user:
    /// 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .bind_phone("+86", "18812345678", "1234", |response: AuthResponse| {
    ///         println!("{} {}", response.status_code(), response.message());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("bindPhone"))]
    pub fn bind_phone<C: AuthCallback>(
        &self,
        phone_country_code: impl OptionalText,
        phone_number: &str,
        pass_code: &str,
        callback: C,
    ) -> RequestHandle {
        let country = text::into_text(phone_country_code);
        let (phone, code) = (phone_number.to_string(), pass_code.to_string());
        self.spawn(callback, move |client, _| {
            client.bind_phone_blocking(country.as_deref(), &phone, &code)
        })
    }

    /// The blocking twin of [`bind_phone`](Self::bind_phone).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().bind_phone_blocking(None, "18812345678", "1234");
    /// println!("{}", response.status_code());
    /// ```
    pub fn bind_phone_blocking(
        &self,
        phone_country_code: impl OptionalText,
        phone_number: &str,
        pass_code: &str,
    ) -> AuthResponse {
        // "" is no country code, as Guard's `bindPhone` (`Util.isNull`) has it.
        let country = text::into_text(phone_country_code).filter(|c| !c.is_empty());
        let input = || -> Result<Value, AuthError> {
            let mut body = Map::new();
            put_phone(&mut body, "phone", country.as_deref(), phone_number)?;
            put(
                &mut body,
                "passCode",
                validate::pass_code("pass_code", Some(pass_code))?,
            );
            Ok(Value::Object(body))
        };
        self.change_as_user(BIND_PHONE_PATH, input)
    }

    /// Unbinds the signed-in user's phone number (Java: `unBindPhone`; `POST
    /// /api/v3/unbind-phone`, `{passCode}`, with the session's bearer). The callback form.
    ///
    /// `pass_code` was sent to the bound number with
    /// [`send_sms`](Self::send_sms)`(.., SmsType::CHANNEL_UNBIND_PHONE, ..)`. The server
    /// refuses to unbind the user's last way to sign in. On success the session's user is
    /// fetched again. Checked before anything is sent (10010): the pass code. Without a
    /// signed-in user: 10015, nothing sent. (Android's `UserClient.unBindPhone` sends an
    /// empty body and drops the pass code its `AuthClient` takes.)
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .un_bind_phone("1234", |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("unBindPhone", "unbindPhone"))]
    pub fn un_bind_phone<C: AuthCallback>(&self, pass_code: &str, callback: C) -> RequestHandle {
        let code = pass_code.to_string();
        self.spawn(callback, move |client, _| {
            client.un_bind_phone_blocking(&code)
        })
    }

    /// The blocking twin of [`un_bind_phone`](Self::un_bind_phone).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().un_bind_phone_blocking("1234");
    /// println!("{}", response.status_code());
    /// ```
    pub fn un_bind_phone_blocking(&self, pass_code: &str) -> AuthResponse {
        self.change_as_user(UNBIND_PHONE_PATH, || {
            Ok(json!({ "passCode": validate::pass_code("pass_code", Some(pass_code))? }))
        })
    }

    /// Binds an email address to the signed-in user, who has none yet (Java: `bindEmail`;
    /// `POST /api/v3/bind-email`, `{email, passCode}`, with the session's bearer). The
    /// callback form.
    ///
    /// First send the passcode to the new address with
    /// [`send_email`](Self::send_email)`(.., EmailType::CHANNEL_BIND_EMAIL, ..)`. A user who
    /// has an email already changes it with
    /// [`update_email_request`](Self::update_email_request). On success the session's user
    /// is fetched again. Checked before anything is sent (10010): the email and pass code.
    /// Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .bind_email("someone@example.com", "123456", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("bindEmail"))]
    pub fn bind_email<C: AuthCallback>(
        &self,
        email: &str,
        pass_code: &str,
        callback: C,
    ) -> RequestHandle {
        let (email, code) = (email.to_string(), pass_code.to_string());
        self.spawn(callback, move |client, _| {
            client.bind_email_blocking(&email, &code)
        })
    }

    /// The blocking twin of [`bind_email`](Self::bind_email).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().bind_email_blocking("someone@example.com", "123456");
    /// println!("{}", response.status_code());
    /// ```
    pub fn bind_email_blocking(&self, email: &str, pass_code: &str) -> AuthResponse {
        self.change_as_user(BIND_EMAIL_PATH, || {
            Ok(json!({
                "email": validate::email("email", Some(email))?,
                "passCode": validate::pass_code("pass_code", Some(pass_code))?,
            }))
        })
    }

    /// Unbinds the signed-in user's email address (Java: `unBindEmail`; `POST
    /// /api/v3/unbind-email`, `{passCode}`, with the session's bearer). The callback form.
    ///
    /// `pass_code` was sent to the bound address with
    /// [`send_email`](Self::send_email)`(.., EmailType::CHANNEL_UNBIND_EMAIL, ..)`. The
    /// server refuses to unbind the user's last way to sign in. On success the session's
    /// user is fetched again. Checked before anything is sent (10010): the pass code.
    /// Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .un_bind_email("123456", |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("unBindEmail", "unbindEmail"))]
    pub fn un_bind_email<C: AuthCallback>(&self, pass_code: &str, callback: C) -> RequestHandle {
        let code = pass_code.to_string();
        self.spawn(callback, move |client, _| {
            client.un_bind_email_blocking(&code)
        })
    }

    /// The blocking twin of [`un_bind_email`](Self::un_bind_email).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().un_bind_email_blocking("123456");
    /// println!("{}", response.status_code());
    /// ```
    pub fn un_bind_email_blocking(&self, pass_code: &str) -> AuthResponse {
        self.change_as_user(UNBIND_EMAIL_PATH, || {
            Ok(json!({ "passCode": validate::pass_code("pass_code", Some(pass_code))? }))
        })
    }

    /// Verifies the passcodes for changing the signed-in user's phone number and answers an
    /// `updatePhoneToken` (Java: `updatePhoneRequest`; `POST
    /// /api/v3/verify-update-phone-request`, `{verifyMethod: "PHONE_PASSCODE",
    /// phonePassCodePayload: {newPhoneNumber, newPhonePassCode, newPhoneCountryCode?,
    /// oldPhoneNumber?, oldPhonePassCode?, oldPhoneCountryCode?}}`, with the session's
    /// bearer). The callback form.
    ///
    /// The new number's passcode comes from [`send_sms`](Self::send_sms) (the emulator
    /// wants `CHANNEL_BIND_PHONE`; Authing does not document the channel). The old number
    /// and its passcode (`CHANNEL_UNBIND_PHONE` on the emulator) are needed when the user
    /// pool asks to verify the old number too; give both or neither. An optional argument
    /// given as `""` counts as `None`, as Android's `TextUtils.isEmpty` has it. On success
    /// [`update_phone_data`](AuthResponse::update_phone_data) gives the token, its lifetime
    /// and the instant it expires; hand it to [`update_phone`](Self::update_phone). Nothing
    /// changes yet.
    ///
    /// Checked before anything is sent (status code 10010): each number, country code and
    /// pass code as for [`bind_phone`](Self::bind_phone); the old number and old pass code
    /// together; an old country code only with an old number. Without a signed-in user:
    /// 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .update_phone_request("+86", "18800000001", "1234", None, None, None, |response: AuthResponse| {
    ///         if let Ok(verified) = response.update_phone_data() {
    ///             println!("change within {} s", verified.token_expires_in());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[allow(clippy::too_many_arguments)] // Java's signature, argument for argument
    #[doc(alias("updatePhoneRequest"))]
    pub fn update_phone_request<C: AuthCallback>(
        &self,
        new_phone_country_code: impl OptionalText,
        new_phone_number: &str,
        new_phone_pass_code: &str,
        old_phone_country_code: impl OptionalText,
        old_phone_number: impl OptionalText,
        old_phone_pass_code: impl OptionalText,
        callback: C,
    ) -> RequestHandle {
        let new_country = text::into_text(new_phone_country_code);
        let (new_phone, new_code) = (
            new_phone_number.to_string(),
            new_phone_pass_code.to_string(),
        );
        let old_country = text::into_text(old_phone_country_code);
        let old_phone = text::into_text(old_phone_number);
        let old_code = text::into_text(old_phone_pass_code);
        self.spawn(callback, move |client, _| {
            client.update_phone_request_blocking(
                new_country.as_deref(),
                &new_phone,
                &new_code,
                old_country.as_deref(),
                old_phone.as_deref(),
                old_code.as_deref(),
            )
        })
    }

    /// The blocking twin of [`update_phone_request`](Self::update_phone_request).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .update_phone_request_blocking("+86", "18800000001", "1234", "+86", "18812345678", "5678");
    /// println!("{}", response.status_code());
    /// ```
    pub fn update_phone_request_blocking(
        &self,
        new_phone_country_code: impl OptionalText,
        new_phone_number: &str,
        new_phone_pass_code: &str,
        old_phone_country_code: impl OptionalText,
        old_phone_number: impl OptionalText,
        old_phone_pass_code: impl OptionalText,
    ) -> AuthResponse {
        // "" is absent, as Android's `UserClient.updatePhoneRequest` (`TextUtils.isEmpty`)
        // has it for every field.
        let given = |value: Option<String>| value.filter(|v| !v.is_empty());
        let new_country = given(text::into_text(new_phone_country_code));
        let old_country = given(text::into_text(old_phone_country_code));
        let old_phone = given(text::into_text(old_phone_number));
        let old_code = given(text::into_text(old_phone_pass_code));
        let input = || -> Result<Value, AuthError> {
            let mut payload = Map::new();
            put_phone(
                &mut payload,
                "newPhone",
                new_country.as_deref(),
                new_phone_number,
            )?;
            let code = validate::pass_code("new_phone_pass_code", Some(new_phone_pass_code))?;
            put(&mut payload, "newPhonePassCode", code);
            match (old_phone.as_deref(), old_code.as_deref()) {
                (Some(phone), Some(code)) => {
                    put_phone(&mut payload, "oldPhone", old_country.as_deref(), phone)?;
                    let code = validate::pass_code("old_phone_pass_code", Some(code))?;
                    put(&mut payload, "oldPhonePassCode", code);
                }
                (None, None) if old_country.is_some() => {
                    return Err(InputError::new(
                        "old_phone_country_code",
                        "is set without old_phone_number",
                    )
                    .into());
                }
                (None, None) => {}
                (Some(_), None) => {
                    return Err(InputError::new(
                        "old_phone_pass_code",
                        "is missing; the old number needs its passcode",
                    )
                    .into());
                }
                (None, Some(_)) => {
                    return Err(InputError::new(
                        "old_phone_number",
                        "is missing; the old passcode needs its number",
                    )
                    .into());
                }
            }
            Ok(json!({"verifyMethod": "PHONE_PASSCODE", "phonePassCodePayload": payload}))
        };
        self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, VERIFY_UPDATE_PHONE_PATH, body)
        })
    }

    /// Changes the signed-in user's phone number (Java: `updatePhone`; `POST
    /// /api/v3/update-phone`, `{updatePhoneToken}`, with the session's bearer). The callback
    /// form.
    ///
    /// `update_phone_token` is the token string (as in Java) or, better, the
    /// [`UpdatePhoneData`](crate::UpdatePhoneData) of
    /// [`update_phone_request`](Self::update_phone_request)'s answer: then an expired token
    /// is refused locally (status code 10010), nothing sent. On success the session's user
    /// is fetched again, with its new number. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # fn f(verified: authing::UpdatePhoneData) {
    /// AuthClient::new()
    ///     .update_phone(&verified, |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// # }
    /// ```
    #[doc(alias("updatePhone"))]
    pub fn update_phone<C: AuthCallback>(
        &self,
        update_phone_token: impl Into<UpdatePhoneToken>,
        callback: C,
    ) -> RequestHandle {
        let token = update_phone_token.into();
        self.spawn(callback, move |client, _| {
            client.update_phone_blocking(token)
        })
    }

    /// The blocking twin of [`update_phone`](Self::update_phone).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().update_phone_blocking("the-update-phone-token");
    /// println!("{}", response.status_code());
    /// ```
    pub fn update_phone_blocking(
        &self,
        update_phone_token: impl Into<UpdatePhoneToken>,
    ) -> AuthResponse {
        let token = update_phone_token.into();
        self.change_as_user(UPDATE_PHONE_PATH, || {
            Ok(json!({ "updatePhoneToken": token.check()? }))
        })
    }

    /// Verifies the passcodes for changing the signed-in user's email address and answers
    /// an `updateEmailToken` (Java: `updateEmailRequest`; `POST
    /// /api/v3/verify-update-email-request`, `{verifyMethod: "EMAIL_PASSCODE",
    /// emailPassCodePayload: {newEmail, newEmailPassCode, oldEmail?, oldEmailPassCode?}}`,
    /// with the session's bearer). The callback form.
    ///
    /// The new address's passcode comes from [`send_email`](Self::send_email)`(..,
    /// EmailType::CHANNEL_UPDATE_EMAIL, ..)`. The old address and its passcode
    /// (`CHANNEL_UNBIND_EMAIL` on the emulator) are needed when the user pool asks to
    /// verify the old address too; give both or neither (`""` counts as `None`, as
    /// Android's `TextUtils.isEmpty` has it). On success
    /// [`update_email_data`](AuthResponse::update_email_data) gives the token; hand it to
    /// [`update_email`](Self::update_email). Android sends the payload as
    /// `emailPasscodePayload`, a name the spec does not have; this crate sends the spec's
    /// `emailPassCodePayload`.
    ///
    /// Checked before anything is sent (status code 10010): each email and pass code; the
    /// old email and old pass code together. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .update_email_request("new@example.com", "123456", None, None, |response: AuthResponse| {
    ///         if let Ok(verified) = response.update_email_data() {
    ///             println!("change within {} s", verified.token_expires_in());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("updateEmailRequest"))]
    pub fn update_email_request<C: AuthCallback>(
        &self,
        new_email: &str,
        new_email_pass_code: &str,
        old_email: impl OptionalText,
        old_email_pass_code: impl OptionalText,
        callback: C,
    ) -> RequestHandle {
        let (new_email, new_code) = (new_email.to_string(), new_email_pass_code.to_string());
        let old_email = text::into_text(old_email);
        let old_code = text::into_text(old_email_pass_code);
        self.spawn(callback, move |client, _| {
            client.update_email_request_blocking(
                &new_email,
                &new_code,
                old_email.as_deref(),
                old_code.as_deref(),
            )
        })
    }

    /// The blocking twin of [`update_email_request`](Self::update_email_request).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .update_email_request_blocking("new@example.com", "123456", "old@example.com", "654321");
    /// println!("{}", response.status_code());
    /// ```
    pub fn update_email_request_blocking(
        &self,
        new_email: &str,
        new_email_pass_code: &str,
        old_email: impl OptionalText,
        old_email_pass_code: impl OptionalText,
    ) -> AuthResponse {
        // "" is absent, as Android's `UserClient.updateEmailRequest` (`TextUtils.isEmpty`)
        // has it for every field.
        let old_email = text::into_text(old_email).filter(|v| !v.is_empty());
        let old_code = text::into_text(old_email_pass_code).filter(|v| !v.is_empty());
        let input = || -> Result<Value, AuthError> {
            let mut payload = Map::new();
            put(
                &mut payload,
                "newEmail",
                validate::email("new_email", Some(new_email))?,
            );
            let code = validate::pass_code("new_email_pass_code", Some(new_email_pass_code))?;
            put(&mut payload, "newEmailPassCode", code);
            match (old_email.as_deref(), old_code.as_deref()) {
                (Some(email), Some(code)) => {
                    put(
                        &mut payload,
                        "oldEmail",
                        validate::email("old_email", Some(email))?,
                    );
                    let code = validate::pass_code("old_email_pass_code", Some(code))?;
                    put(&mut payload, "oldEmailPassCode", code);
                }
                (None, None) => {}
                (Some(_), None) => {
                    return Err(InputError::new(
                        "old_email_pass_code",
                        "is missing; the old email needs its passcode",
                    )
                    .into());
                }
                (None, Some(_)) => {
                    return Err(InputError::new(
                        "old_email",
                        "is missing; the old passcode needs its email",
                    )
                    .into());
                }
            }
            Ok(json!({"verifyMethod": "EMAIL_PASSCODE", "emailPassCodePayload": payload}))
        };
        self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, VERIFY_UPDATE_EMAIL_PATH, body)
        })
    }

    /// Changes the signed-in user's email address (Java: `updateEmail`; `POST
    /// /api/v3/update-email`, `{updateEmailToken}`, with the session's bearer). The callback
    /// form.
    ///
    /// `update_email_token` is the token string (as in Java) or, better, the
    /// [`UpdateEmailData`](crate::UpdateEmailData) of
    /// [`update_email_request`](Self::update_email_request)'s answer: then an expired token
    /// is refused locally (status code 10010), nothing sent. On success the session's user
    /// is fetched again, with its new address. Without a signed-in user: 10015, nothing
    /// sent. (Android's `updateEmail` sends the request even after failing to build its
    /// body, calling back twice; here there is one callback.)
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # fn f(verified: authing::UpdateEmailData) {
    /// AuthClient::new()
    ///     .update_email(&verified, |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// # }
    /// ```
    #[doc(alias("updateEmail"))]
    pub fn update_email<C: AuthCallback>(
        &self,
        update_email_token: impl Into<UpdateEmailToken>,
        callback: C,
    ) -> RequestHandle {
        let token = update_email_token.into();
        self.spawn(callback, move |client, _| {
            client.update_email_blocking(token)
        })
    }

    /// The blocking twin of [`update_email`](Self::update_email).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().update_email_blocking("the-update-email-token");
    /// println!("{}", response.status_code());
    /// ```
    pub fn update_email_blocking(
        &self,
        update_email_token: impl Into<UpdateEmailToken>,
    ) -> AuthResponse {
        let token = update_email_token.into();
        self.change_as_user(UPDATE_EMAIL_PATH, || {
            Ok(json!({ "updateEmailToken": token.check()? }))
        })
    }

    /// A change of the signed-in user: `body`'s checks, the bearer, `POST path`, and on
    /// success the user fetched again.
    fn change_as_user(
        &self,
        path: &str,
        body: impl FnOnce() -> Result<Value, AuthError>,
    ) -> AuthResponse {
        self.checked_as_user(body, |token, body| {
            let answer = self.post_json_as_user(token, path, body);
            self.after_user_change(token, answer)
        })
    }
}

fn put(map: &mut Map<String, Value>, key: &str, value: &str) {
    map.insert(key.to_string(), Value::String(value.to_string()));
}

/// Puts `<prefix>Number` (or `phoneNumber` for the prefix `phone`) and, when given,
/// `<prefix>CountryCode` into `map`, checked; the fields named in Rust style for errors.
fn put_phone(
    map: &mut Map<String, Value>,
    prefix: &str,
    country: Option<&str>,
    number: &str,
) -> Result<(), InputError> {
    let (number_field, country_field) = match prefix {
        "newPhone" => ("new_phone_number", "new_phone_country_code"),
        "oldPhone" => ("old_phone_number", "old_phone_country_code"),
        _ => ("phone_number", "phone_country_code"),
    };
    put(
        map,
        &format!("{prefix}Number"),
        validate::phone_number(number_field, Some(number))?,
    );
    if let Some(country) = country {
        let country = validate::country_code(country_field, country)?;
        put(map, &format!("{prefix}CountryCode"), &country);
    }
    Ok(())
}
