//! MFA: the signed-in user's factors (enrol, list, read, remove; `/api/v3/*`, bearer: the
//! session's access token), the OTP check of a signed-in user, and the completion of a
//! sign-in that asked for a second factor (`/api/v2/*`, the older Guard endpoints, bearer:
//! the challenge's `mfaToken`). Each call in its callback form and its blocking twin.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::client::json_body;
use crate::client::v2::from_v2;
use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{AuthError, InputError};
use crate::model::{FactorProfile, FactorType, MfaChallenge};
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::transport::Shape;
use crate::validate;

/// `sendEnrollFactorRequest`'s endpoint.
pub(crate) const SEND_ENROLL_PATH: &str = "/api/v3/send-enroll-factor-request";
/// `enrollFactor`'s endpoint.
pub(crate) const ENROLL_PATH: &str = "/api/v3/enroll-factor";
/// `resetFactor`'s endpoint.
pub(crate) const RESET_FACTOR_PATH: &str = "/api/v3/reset-factor";
/// `listEnrolledFactors`'s endpoint.
pub(crate) const LIST_ENROLLED_PATH: &str = "/api/v3/list-enrolled-factors";
/// `getFactor`'s endpoint.
pub(crate) const GET_FACTOR_PATH: &str = "/api/v3/get-factor";
/// `listFactorsToEnroll`'s endpoint.
pub(crate) const LIST_TO_ENROLL_PATH: &str = "/api/v3/list-factors-to-enroll";
/// The signed-in user's OTP check.
pub(crate) const TOTP_VERIFY_PATH: &str = "/api/v3/mfa-totp-verify";
/// The challenge's completions (Guard's `mfaVerifyBy*`).
pub(crate) const MFA_OTP_PATH: &str = "/api/v2/mfa/totp/verify";
pub(crate) const MFA_RECOVERY_PATH: &str = "/api/v2/mfa/totp/recovery";
pub(crate) const MFA_SMS_PATH: &str = "/api/v2/applications/mfa/sms/verify";
pub(crate) const MFA_EMAIL_PATH: &str = "/api/v2/applications/mfa/email/verify";

/// The longest factor id accepted, in characters.
const MAX_FACTOR_ID_LEN: usize = 128;
/// The longest recovery code accepted, in characters.
const MAX_RECOVERY_CODE_LEN: usize = 64;
/// Authing's v3 "not signed in" apiCode: on a completion, the `mfaToken` is unknown,
/// expired or voided.
const NOT_SIGNED_IN: i32 = 2020;

/// `SendEnrollFactorRequestDto`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SendEnrollBody<'a> {
    factor_type: FactorType,
    profile: &'a FactorProfile,
}

/// `EnrollFactorDto`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EnrollBody<'a> {
    factor_type: FactorType,
    enrollment_token: &'a str,
    enrollment_data: PassCode<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PassCode<'a> {
    pass_code: &'a str,
}

/// Which second factor completes a challenge.
enum Proof<'a> {
    Otp(&'a str),
    RecoveryCode(&'a str),
    Phone(Option<&'a str>, &'a str, &'a str),
    Email(&'a str, &'a str),
}

/// # MFA (Java: `MFAClient`; Guard's `AuthClient.mfaVerifyBy…`)
///
/// The second factor of a sign-in ([`MfaChallenge`](crate::MfaChallenge)), and the signed-in
/// user's factors ([`FactorType`](crate::FactorType), [`FactorProfile`](crate::FactorProfile)).
impl AuthClient {
    /// Starts enrolling a factor for the signed-in user (Java: `sendEnrollFactorRequest`;
    /// `POST /api/v3/send-enroll-factor-request` `{"factorType", "profile"}`, bearer: the
    /// session's access token). The callback form.
    ///
    /// On success, [`enroll_factor_request_data`](AuthResponse::enroll_factor_request_data)
    /// holds the enrolment token (valid one minute) for [`enroll_factor`](Self::enroll_factor),
    /// and for `OTP` the authenticator's setup: the `otpauth://` URI, its secret and the
    /// recovery code. For `SMS` and `EMAIL` the server sends the code to the profile's
    /// phone or email.
    ///
    /// Checked before anything is sent (10010): `FACE` is not supported by this SDK (it
    /// needs a photo upload); `SMS` needs `phone_number` (1 to 20 digits) and takes an
    /// optional country code (sent in its `+` form); `EMAIL` needs `email`. A profile
    /// field that is set is checked whatever the type. Without a signed-in user: 10015, as
    /// for [`get_profile`](Self::get_profile).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, FactorProfile, FactorType};
    /// AuthClient::new()
    ///     .send_enroll_factor_request(FactorType::OTP, FactorProfile::new(), |response: AuthResponse| {
    ///         if let Ok(enrolment) = response.enroll_factor_request_data() {
    ///             println!("scan {}", enrolment.otp_data().map(|o| o.qr_code_uri()).unwrap_or("-"));
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("sendEnrollFactorRequest"))]
    pub fn send_enroll_factor_request<C: AuthCallback>(
        &self,
        factor_type: FactorType,
        profile: FactorProfile,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.send_enroll_factor_request_blocking(factor_type, profile)
        })
    }

    /// The blocking twin of [`send_enroll_factor_request`](Self::send_enroll_factor_request).
    ///
    /// ```no_run
    /// let mut profile = authing::FactorProfile::new();
    /// profile.set_email("mike@example.com");
    /// let response = authing::AuthClient::new().send_enroll_factor_request_blocking(authing::FactorType::EMAIL, profile);
    /// println!("{}", response.status_code());
    /// ```
    pub fn send_enroll_factor_request_blocking(
        &self,
        factor_type: FactorType,
        profile: FactorProfile,
    ) -> AuthResponse {
        let checked = || -> Result<FactorProfile, AuthError> {
            self.settings()?;
            supported(factor_type)?;
            let country = profile
                .phone_country_code()
                .map(|c| validate::country_code("phone_country_code", c))
                .transpose()?
                .map(|c| c.into_owned());
            match factor_type {
                FactorType::SMS => {
                    validate::phone_number("phone_number", profile.phone_number())?;
                }
                FactorType::EMAIL => {
                    validate::email("email", profile.email())?;
                }
                _ => {}
            }
            if let Some(phone) = profile.phone_number() {
                validate::phone_number("phone_number", Some(phone))?;
            }
            if let Some(email) = profile.email() {
                validate::email("email", Some(email))?;
            }
            Ok(profile.with_country_code(country))
        };
        let profile = match checked() {
            Ok(profile) => profile,
            Err(error) => return AuthResponse::from_error(error),
        };
        self.as_user(|token| {
            let client = self;
            client.post_json(
                SEND_ENROLL_PATH,
                || {
                    json_body(&SendEnrollBody {
                        factor_type,
                        profile: &profile,
                    })
                },
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Finishes enrolling a factor (Java: `enrollFactor`; `POST /api/v3/enroll-factor`
    /// `{"factorType", "enrollmentToken", "enrollmentData": {"passCode"}}`, bearer: the
    /// session's access token). The callback form.
    ///
    /// `pass_code` is the code the server sent (`SMS`, `EMAIL`), or the authenticator's
    /// current code (`OTP`). On success the answer has no `data`; the factor is in
    /// [`list_enrolled_factors`](Self::list_enrolled_factors).
    ///
    /// Checked before anything is sent (10010): `FACE` is not supported; the enrolment
    /// token is not empty and is visible ASCII; an `OTP` code is exactly 6 digits, an
    /// `SMS` or `EMAIL` code 1 to 32 letters or digits. 10015 without a signed-in user.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, FactorType};
    /// # let enrollment_token = String::new();
    /// AuthClient::new()
    ///     .enroll_factor(FactorType::OTP, &enrollment_token, "123456", |response: AuthResponse| {
    ///         println!("enrolled: {}", response.is_success());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("enrollFactor"))]
    pub fn enroll_factor<C: AuthCallback>(
        &self,
        factor_type: FactorType,
        enrollment_token: &str,
        pass_code: &str,
        callback: C,
    ) -> RequestHandle {
        let (token, code) = (enrollment_token.to_string(), pass_code.to_string());
        self.spawn(callback, move |client, _| {
            client.enroll_factor_blocking(factor_type, &token, &code)
        })
    }

    /// The blocking twin of [`enroll_factor`](Self::enroll_factor).
    ///
    /// ```no_run
    /// # let enrollment_token = String::new();
    /// let response = authing::AuthClient::new().enroll_factor_blocking(authing::FactorType::SMS, &enrollment_token, "1234");
    /// println!("{}", response.status_code());
    /// ```
    pub fn enroll_factor_blocking(
        &self,
        factor_type: FactorType,
        enrollment_token: &str,
        pass_code: &str,
    ) -> AuthResponse {
        let checked = || -> Result<(), AuthError> {
            self.settings()?;
            supported(factor_type)?;
            validate::token("enrollment_token", Some(enrollment_token))?;
            match factor_type {
                FactorType::OTP => six_digits("pass_code", pass_code)?,
                _ => {
                    validate::pass_code("pass_code", Some(pass_code))?;
                }
            }
            Ok(())
        };
        if let Err(error) = checked() {
            return AuthResponse::from_error(error);
        }
        self.as_user(|token| {
            let client = self;
            client.post_json(
                ENROLL_PATH,
                || {
                    json_body(&EnrollBody {
                        factor_type,
                        enrollment_token,
                        enrollment_data: PassCode { pass_code },
                    })
                },
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Removes one of the signed-in user's factors (Java: `resetFactor`; `POST
    /// /api/v3/reset-factor` `{"factorId"}`). The callback form.
    ///
    /// Checked before anything is sent (10010): the id is not empty, at most 128
    /// characters, no control characters. 10015 without a signed-in user.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .reset_factor("6229ffaxxxxxxxxcade3e3d9", |response: AuthResponse| {
    ///         println!("removed: {}", response.is_success());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("resetFactor"))]
    pub fn reset_factor<C: AuthCallback>(&self, factor_id: &str, callback: C) -> RequestHandle {
        let factor_id = factor_id.to_string();
        self.spawn(callback, move |client, _| {
            client.reset_factor_blocking(&factor_id)
        })
    }

    /// The blocking twin of [`reset_factor`](Self::reset_factor).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().reset_factor_blocking("6229ffaxxxxxxxxcade3e3d9");
    /// println!("{}", response.status_code());
    /// ```
    pub fn reset_factor_blocking(&self, factor_id: &str) -> AuthResponse {
        if let Err(error) = self.settings().and_then(|_| factor_id_ok(factor_id)) {
            return AuthResponse::from_error(error);
        }
        self.as_user(|token| {
            let client = self;
            client.post_json(
                RESET_FACTOR_PATH,
                || json_body(&json!({ "factorId": factor_id })),
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Lists the signed-in user's factors (Java: `listEnrolledFactors`; `GET
    /// /api/v3/list-enrolled-factors`). The callback form. On success
    /// [`factor_list`](AuthResponse::factor_list) has them. 10015 without a signed-in user.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .list_enrolled_factors(|response: AuthResponse| {
    ///         for factor in response.factor_list().unwrap_or_default() {
    ///             println!("{} {}", factor.factor_id(), factor.factor_type_name());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("listEnrolledFactors"))]
    pub fn list_enrolled_factors<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.list_enrolled_factors_blocking()
        })
    }

    /// The blocking twin of [`list_enrolled_factors`](Self::list_enrolled_factors).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().list_enrolled_factors_blocking();
    /// println!("{} factors", response.factor_list().map(|l| l.len()).unwrap_or(0));
    /// ```
    pub fn list_enrolled_factors_blocking(&self) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        self.as_user(|token| {
            let client = self;
            client.get_with(
                LIST_ENROLLED_PATH,
                &[],
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Reads one of the signed-in user's factors (Java: `getFactor`; `GET
    /// /api/v3/get-factor?factorId=..`, the id percent-encoded: Android concatenates it
    /// into the URL as it is). The callback form. On success [`factor`](AuthResponse::factor)
    /// has it. Checked as [`reset_factor`](Self::reset_factor); 10015 without a user.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_factor("6229ffaxxxxxxxxcade3e3d9", |response: AuthResponse| {
    ///         if let Ok(factor) = response.factor() { println!("{:?}", factor.factor_type()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getFactor"))]
    pub fn get_factor<C: AuthCallback>(&self, factor_id: &str, callback: C) -> RequestHandle {
        let factor_id = factor_id.to_string();
        self.spawn(callback, move |client, _| {
            client.get_factor_blocking(&factor_id)
        })
    }

    /// The blocking twin of [`get_factor`](Self::get_factor).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_factor_blocking("6229ffaxxxxxxxxcade3e3d9");
    /// println!("{}", response.status_code());
    /// ```
    pub fn get_factor_blocking(&self, factor_id: &str) -> AuthResponse {
        if let Err(error) = self.settings().and_then(|_| factor_id_ok(factor_id)) {
            return AuthResponse::from_error(error);
        }
        self.as_user(|token| {
            let client = self;
            client.get_with(
                GET_FACTOR_PATH,
                &[("factorId", factor_id)],
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Lists the factor types the signed-in user may still enrol: those the app has on
    /// and the user has not enrolled (Java: `listFactorsToEnroll`; `GET
    /// /api/v3/list-factors-to-enroll`). The callback form. On success
    /// [`factors_to_enroll`](AuthResponse::factors_to_enroll) has them. 10015 without a user.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .list_factors_to_enroll(|response: AuthResponse| {
    ///         println!("{:?}", response.factors_to_enroll().unwrap_or_default());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("listFactorsToEnroll"))]
    pub fn list_factors_to_enroll<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.list_factors_to_enroll_blocking()
        })
    }

    /// The blocking twin of [`list_factors_to_enroll`](Self::list_factors_to_enroll).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().list_factors_to_enroll_blocking();
    /// println!("{:?}", response.factors_to_enroll());
    /// ```
    pub fn list_factors_to_enroll_blocking(&self) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        self.as_user(|token| {
            let client = self;
            client.get_with(
                LIST_TO_ENROLL_PATH,
                &[],
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Checks a code of the signed-in user's OTP factor, say before a sensitive action
    /// (`POST /api/v3/mfa-totp-verify` `{"totp"}`; Android has no method for it). The
    /// callback form. On success [`totp_verified`](AuthResponse::totp_verified) is `true`;
    /// a wrong code is the server's failure (apiCode 6001). The code must be exactly 6
    /// digits (10010); 10015 without a signed-in user.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .mfa_totp_verify("123456", |response: AuthResponse| {
    ///         println!("verified: {}", response.totp_verified().unwrap_or(false));
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    pub fn mfa_totp_verify<C: AuthCallback>(&self, totp: &str, callback: C) -> RequestHandle {
        let totp = totp.to_string();
        self.spawn(callback, move |client, _| {
            client.mfa_totp_verify_blocking(&totp)
        })
    }

    /// The blocking twin of [`mfa_totp_verify`](Self::mfa_totp_verify).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().mfa_totp_verify_blocking("123456");
    /// println!("{}", response.status_code());
    /// ```
    pub fn mfa_totp_verify_blocking(&self, totp: &str) -> AuthResponse {
        if let Err(error) = self.settings().and_then(|_| Ok(six_digits("totp", totp)?)) {
            return AuthResponse::from_error(error);
        }
        self.as_user(|token| {
            let client = self;
            client.post_json(
                TOTP_VERIFY_PATH,
                || json_body(&json!({ "totp": totp })),
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Completes a sign-in that asked for a second factor with the authenticator's code
    /// (Guard: `mfaVerifyByOTP`; `POST /api/v2/mfa/totp/verify`
    /// `{"authenticatorType":"totp","totp"}`, bearer: the challenge's `mfaToken`). The
    /// callback form.
    ///
    /// A sign-in answered with apiCode 1635 or 1636 leaves a pending challenge (see
    /// [`MfaChallenge`](crate::MfaChallenge)); this call answers it. On success the sign-in
    /// ends exactly as a one-step one does: the tokens are saved, the user for
    /// [`get_current_user`](Self::get_current_user) comes from the id_token's claims (the
    /// full profile is fetched after the answer), the challenge is over. `data` is the
    /// server's user (Authing's v2 user, with its `token`). The v2 answer `{code, message,
    /// data}` is read as the v3 envelope: `status_code()` is its `code`, and so is
    /// `api_code()` on a failure (6001 wrong code, say).
    ///
    /// A wrong code leaves the challenge pending for another try. When the server says the
    /// `mfaToken` is no longer valid (apiCode 2020: expired, or voided after too many
    /// wrong codes) the challenge ends: sign in again.
    ///
    /// Checked before anything is sent: the code is exactly 6 digits (10010); a challenge
    /// is pending (else 10017, nothing sent).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// let client = AuthClient::new();
    /// let response = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    /// if response.is_mfa_required() {
    ///     client
    ///         .mfa_verify_by_otp("123456", |response: AuthResponse| {
    ///             if response.status_code() == 200 { println!("signed in"); }
    ///         })
    ///         .join()
    ///         .unwrap();
    /// }
    /// ```
    #[doc(alias("mfaVerifyByOTP"))]
    pub fn mfa_verify_by_otp<C: AuthCallback>(&self, code: &str, callback: C) -> RequestHandle {
        let code = code.to_string();
        self.spawn(callback, move |client, _| {
            client.mfa_verify_by_otp_blocking(&code)
        })
    }

    /// The blocking twin of [`mfa_verify_by_otp`](Self::mfa_verify_by_otp).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().mfa_verify_by_otp_blocking("123456");
    /// println!("{}", response.status_code());
    /// ```
    pub fn mfa_verify_by_otp_blocking(&self, code: &str) -> AuthResponse {
        self.complete_challenge(Proof::Otp(code))
    }

    /// Completes a sign-in's challenge with an OTP factor's recovery code, when the
    /// authenticator is lost (Guard: `mfaVerifyByRecoveryCode`; `POST
    /// /api/v2/mfa/totp/recovery` `{"authenticatorType":"totp","recoveryCode"}`). The
    /// callback form; otherwise as [`mfa_verify_by_otp`](Self::mfa_verify_by_otp).
    ///
    /// A recovery code works once: on success the server hands out the next one,
    /// [`recovery_code`](AuthResponse::recovery_code) (moved into `data.recoveryCode`, as
    /// Android does). Checked before anything is sent (10010): 1 to 64 letters, digits
    /// and dashes.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .mfa_verify_by_recovery_code("e7ad-aaa4-da75-fa37-57d1-5141", |response: AuthResponse| {
    ///         if let Some(next) = response.recovery_code() { println!("keep {next} safe"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("mfaVerifyByRecoveryCode"))]
    pub fn mfa_verify_by_recovery_code<C: AuthCallback>(
        &self,
        code: &str,
        callback: C,
    ) -> RequestHandle {
        let code = code.to_string();
        self.spawn(callback, move |client, _| {
            client.mfa_verify_by_recovery_code_blocking(&code)
        })
    }

    /// The blocking twin of [`mfa_verify_by_recovery_code`](Self::mfa_verify_by_recovery_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().mfa_verify_by_recovery_code_blocking("e7ad-aaa4-da75-fa37-57d1-5141");
    /// println!("{}", response.status_code());
    /// ```
    pub fn mfa_verify_by_recovery_code_blocking(&self, code: &str) -> AuthResponse {
        self.complete_challenge(Proof::RecoveryCode(code))
    }

    /// Completes a sign-in's challenge with a code sent by SMS (Guard: `mfaVerifyByPhone`;
    /// `POST /api/v2/applications/mfa/sms/verify` `{"phoneCountryCode"?, "phone",
    /// "code"}`). Send the code first with [`send_sms`](Self::send_sms)`(..,
    /// SmsType::CHANNEL_VERIFY_MFA)` to the challenge's
    /// [`mfa_phone`](crate::MfaChallenge::mfa_phone). The callback form; otherwise as
    /// [`mfa_verify_by_otp`](Self::mfa_verify_by_otp).
    ///
    /// Checked before anything is sent (10010): the country code (optional, `None` or `""`
    /// for none, sent in its `+` form), the phone and the code as for
    /// [`sign_in_by_phone_pass_code`](Self::sign_in_by_phone_pass_code).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .mfa_verify_by_phone("+86", "18812345678", "1234", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("mfaVerifyByPhone"))]
    pub fn mfa_verify_by_phone<C: AuthCallback>(
        &self,
        phone_country_code: impl OptionalText,
        phone: &str,
        code: &str,
        callback: C,
    ) -> RequestHandle {
        let country = text::into_text(phone_country_code);
        let (phone, code) = (phone.to_string(), code.to_string());
        self.spawn(callback, move |client, _| {
            client.mfa_verify_by_phone_blocking(country.as_deref(), &phone, &code)
        })
    }

    /// The blocking twin of [`mfa_verify_by_phone`](Self::mfa_verify_by_phone).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().mfa_verify_by_phone_blocking(None, "18812345678", "1234");
    /// println!("{}", response.status_code());
    /// ```
    pub fn mfa_verify_by_phone_blocking(
        &self,
        phone_country_code: impl OptionalText,
        phone: &str,
        code: &str,
    ) -> AuthResponse {
        // "" is no country code, as Guard's `mfaVerifyByPhone` (`Util.isNull`) has it.
        let country = text::into_text(phone_country_code).filter(|c| !c.is_empty());
        self.complete_challenge(Proof::Phone(country.as_deref(), phone, code))
    }

    /// Completes a sign-in's challenge with a code sent by email (Guard:
    /// `mfaVerifyByEmail`; `POST /api/v2/applications/mfa/email/verify` `{"email",
    /// "code"}`). Send the code first with [`send_email`](Self::send_email)`(..,
    /// EmailType::CHANNEL_VERIFY_MFA)`. The callback form; otherwise as
    /// [`mfa_verify_by_otp`](Self::mfa_verify_by_otp). Checked before anything is sent
    /// (10010): an email address, a code of 1 to 32 letters or digits.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .mfa_verify_by_email("mike@example.com", "123456", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("mfaVerifyByEmail"))]
    pub fn mfa_verify_by_email<C: AuthCallback>(
        &self,
        email: &str,
        code: &str,
        callback: C,
    ) -> RequestHandle {
        let (email, code) = (email.to_string(), code.to_string());
        self.spawn(callback, move |client, _| {
            client.mfa_verify_by_email_blocking(&email, &code)
        })
    }

    /// The blocking twin of [`mfa_verify_by_email`](Self::mfa_verify_by_email).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().mfa_verify_by_email_blocking("mike@example.com", "123456");
    /// println!("{}", response.status_code());
    /// ```
    pub fn mfa_verify_by_email_blocking(&self, email: &str, code: &str) -> AuthResponse {
        self.complete_challenge(Proof::Email(email, code))
    }

    /// Checks the proof, sends it with the pending challenge's `mfaToken`, and on success
    /// starts the session as a one-step sign-in does.
    fn complete_challenge(&self, proof: Proof<'_>) -> AuthResponse {
        let checked = || -> Result<(&'static str, Value), AuthError> {
            self.settings()?;
            Ok(match proof {
                Proof::Otp(code) => {
                    six_digits("code", code)?;
                    (
                        MFA_OTP_PATH,
                        json!({"authenticatorType": "totp", "totp": code}),
                    )
                }
                Proof::RecoveryCode(code) => {
                    recovery_code(code)?;
                    (
                        MFA_RECOVERY_PATH,
                        json!({"authenticatorType": "totp", "recoveryCode": code}),
                    )
                }
                Proof::Phone(country, phone, code) => {
                    let mut body = Map::new();
                    if let Some(country) = country {
                        let country = validate::country_code("phone_country_code", country)?;
                        body.insert("phoneCountryCode".into(), country.into_owned().into());
                    }
                    let phone = validate::phone_number("phone", Some(phone))?;
                    body.insert("phone".into(), phone.into());
                    let code = validate::pass_code("code", Some(code))?;
                    body.insert("code".into(), code.into());
                    (MFA_SMS_PATH, Value::Object(body))
                }
                Proof::Email(email, code) => {
                    let email = validate::email("email", Some(email))?;
                    let code = validate::pass_code("code", Some(code))?;
                    (MFA_EMAIL_PATH, json!({"email": email, "code": code}))
                }
            })
        };
        let (path, body) = match checked() {
            Ok(checked) => checked,
            Err(error) => return AuthResponse::from_error(error),
        };
        let Some(challenge) = self.session().challenge.get() else {
            return no_challenge();
        };
        let answer = self.post_json(
            path,
            || json_body(&body),
            Shape::Plain,
            Auth::Bearer(challenge.mfa_token()),
        );
        let answer = from_v2(answer);
        if !answer.is_success() {
            let refused = answer.api_code() == NOT_SIGNED_IN || answer.status_code() == 401;
            if refused {
                self.session().challenge.end(challenge.mfa_token());
            }
            return answer;
        }
        self.finish_challenge(&challenge, answer)
    }

    /// Starts the session from a completion's answer; the challenge is over either way.
    fn finish_challenge(&self, challenge: &MfaChallenge, answer: AuthResponse) -> AuthResponse {
        self.session().challenge.end(challenge.mfa_token());
        self.start_user_session(answer)
    }
}

/// The 10017 answer: no challenge to complete.
fn no_challenge() -> AuthResponse {
    AuthResponse::from_error(AuthError::NoMfaChallenge {
        reason: "no sign-in is waiting for a second factor (none asked, it was completed, or it ended); sign in first".into(),
    })
}

/// A factor type this SDK enrols: not `FACE`.
fn supported(factor_type: FactorType) -> Result<(), InputError> {
    if factor_type == FactorType::FACE {
        return Err(InputError::new(
            "factor_type",
            "FACE is not supported by this sdk (it needs a photo upload); use OTP, SMS or EMAIL",
        ));
    }
    Ok(())
}

/// A TOTP code: exactly 6 ASCII digits.
fn six_digits(field: &'static str, code: &str) -> Result<(), InputError> {
    if code.is_empty() {
        return Err(InputError::new(field, "is empty"));
    }
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::new(field, "must be exactly 6 digits"));
    }
    Ok(())
}

/// A recovery code: 1 to 64 ASCII letters, digits and dashes.
fn recovery_code(code: &str) -> Result<(), InputError> {
    const FIELD: &str = "recovery_code";
    if code.is_empty() {
        return Err(InputError::new(FIELD, "is empty"));
    }
    if code.len() > MAX_RECOVERY_CODE_LEN {
        return Err(InputError::new(
            FIELD,
            format!("is longer than {MAX_RECOVERY_CODE_LEN} characters"),
        ));
    }
    if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(InputError::new(
            FIELD,
            "must contain letters, digits and dashes only",
        ));
    }
    Ok(())
}

fn factor_id_ok(factor_id: &str) -> Result<&str, AuthError> {
    Ok(validate::text(
        "factor_id",
        Some(factor_id),
        MAX_FACTOR_ID_LEN,
    )?)
}
