//! MFA: the signed-in user's factors (enrol, list, read, remove; `/api/v3/*`, bearer: the
//! session's access token), the OTP check of a signed-in user, and the completion of a
//! sign-in that asked for a second factor (`/api/v2/*`, the older Guard endpoints, bearer:
//! the challenge's `mfaToken`). Each call in its callback form and its blocking twin.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::client::json_body;
use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{AuthError, InputError};
use crate::model::{FactorProfile, FactorType, MfaChallenge};
use crate::optional_text::{self as text, OptionalText};
use crate::response::{self, codes, AuthResponse};
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
    /// ends exactly as a one-step one does: the tokens are saved, the user is fetched for
    /// [`get_current_user`](Self::get_current_user), the challenge is over. `data` is the
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

    /// Starts the session from a successful v2 sign-in whose `data` is the signed-in user
    /// with its tokens ([`token_answer`]: the v3 token fields, else the v2 `token` and
    /// `tokenExpiredAt`); the answer as it is on success. Shared by the MFA completion
    /// and `auth_by_code` (api/social_binding.rs).
    pub(crate) fn start_user_session(&self, answer: AuthResponse) -> AuthResponse {
        let tokens = answer.data().and_then(token_answer);
        let Some(tokens) = tokens else {
            let mut failed = AuthResponse::from_error(AuthError::UnexpectedResponse {
                reason:
                    "the answer has no access_token, or a token without a readable tokenExpiredAt"
                        .into(),
            });
            failed.request_id = answer.request_id.clone();
            return failed;
        };
        let mut signed_in = response::from_plain_json(tokens);
        signed_in.received_at = answer.received_at;
        let started = self.start_session(signed_in);
        if started.is_success() {
            answer
        } else {
            started
        }
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

/// Reads a v2 answer (`{code, message, data}`, and a top-level `recoveryCode`) as the v3
/// envelope: `statusCode` = `code`, and `apiCode` = `code` when it is not 200. Any other
/// answer (a v3 envelope, an HTTP error, a local failure) is kept as it is.
pub(crate) fn from_v2(answer: AuthResponse) -> AuthResponse {
    if !answer.is_success() {
        return answer;
    }
    let Some(Value::Object(body)) = answer.data() else {
        return answer;
    };
    let Some(code) = body.get("code").and_then(response::lenient_i32) else {
        return answer;
    };
    let mut envelope = body.clone();
    envelope.remove("code");
    envelope.insert("statusCode".into(), code.into());
    if code != codes::OK && !envelope.contains_key("apiCode") {
        envelope.insert("apiCode".into(), code.into());
    }
    if let Some(next) = envelope.remove("recoveryCode") {
        match envelope.get_mut("data") {
            Some(Value::Object(data)) => {
                data.insert("recoveryCode".into(), next);
            }
            _ => {
                envelope.insert("data".into(), json!({ "recoveryCode": next }));
            }
        }
    }
    let received_at = answer.received_at;
    match response::from_envelope(Value::Object(envelope), answer.retry_after) {
        Ok(mut read) => {
            read.received_at = received_at;
            read
        }
        Err(error) => AuthResponse::from_error(error),
    }
}

/// The token answer a completion carries, in `LoginTokenResponseDataDto`'s shape: the v3
/// fields when the server sent them (`access_token`, ...), else Authing's v2 `token`
/// (also an id token) with the lifetime `tokenExpiredAt` leaves (an ISO 8601 UTC time).
pub(crate) fn token_answer(data: &Value) -> Option<Value> {
    let text = |key: &str| {
        data.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if text("access_token").is_some() {
        let mut tokens = Map::new();
        for key in [
            "access_token",
            "id_token",
            "refresh_token",
            "token_type",
            "expire_in",
            "expires_in",
        ] {
            if let Some(value) = data.get(key) {
                tokens.insert(key.into(), value.clone());
            }
        }
        return Some(Value::Object(tokens));
    }
    let token = text("token")?;
    // Without a readable expiry the token's lifetime is unknown: no session is started
    // rather than one that looks expired at once (the caller answers 10004).
    let left = text("tokenExpiredAt")
        .and_then(parse_utc)?
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    Some(json!({
        "access_token": token,
        "id_token": token,
        "token_type": "Bearer",
        "expire_in": left.as_secs(),
    }))
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]` with `Z` or a `+HH:MM`/`-HH:MM` offset (what Authing's v2
/// `tokenExpiredAt` holds), `None` for anything else.
///
/// The text is read as ASCII bytes: any other character (a full-width digit or sign, a
/// combining mark) makes it unreadable, never a panic. The year is bounded to
/// `1970..=9999` (four digits, an expiry before the epoch has no meaning), the month to
/// `1..=12`, the day to the month's length, the hour to `0..=23`, the minute to `0..=59`,
/// the second to `0..=60` (a leap second) and an offset to `±23:59`; the fraction, any
/// number of digits, is dropped. With those bounds the arithmetic cannot overflow, and it
/// is checked all the same.
pub(crate) fn parse_utc(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    // Digits at `at..at + len`, as a number; `None` if any byte is not an ASCII digit.
    let number = |at: usize, len: usize| -> Option<i64> {
        let digits = bytes.get(at..at.checked_add(len)?)?;
        digits.iter().try_fold(0i64, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        })
    };
    let at = |i: usize, want: u8| bytes.get(i) == Some(&want);
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    let mut rest = bytes.get(19..)?;
    if let [b'.', fraction @ ..] = rest {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| {
                (a.is_ascii_digit() && b.is_ascii_digit())
                    .then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            };
            let (h, m) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let offset = h * 3600 + m * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if !(1970..=9999).contains(&year)
        || !(1..=month_days).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era
        .checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)?;
    let secs = days
        .checked_mul(86_400)?
        .checked_add(hour * 3600 + minute * 60 + second)?
        .checked_sub(offset)?;
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iso_time_in_utc_is_read() {
        let at = parse_utc("2022-08-17T06:35:28.376Z").unwrap();
        assert_eq!(
            at.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_660_718_128
        );
        assert_eq!(
            parse_utc("2000-03-01T00:00:00Z")
                .unwrap()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            951_868_800
        );
        assert!(parse_utc("2022-08-17 06:35:28").is_none());
    }

    #[test]
    fn a_time_out_of_bounds_or_not_in_ascii_is_unreadable() {
        let secs =
            |t: &str| parse_utc(t).map(|at| at.duration_since(UNIX_EPOCH).unwrap().as_secs());
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            secs("9999-12-31T23:59:59.999999999Z"),
            Some(253_402_300_799)
        );
        assert_eq!(
            secs("2024-02-29T00:00:00-00:30"),
            secs("2024-02-29T00:30:00Z")
        );
        for unreadable in [
            "2099-01-01T00:00:00＋08:00",
            "+99999999-01-01T00:00:00Z",
            "１９７０-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00+00:01",
            "10000-01-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-01T00:00:61Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00+0800",
            "2024-01-01T00:00:00Zjunk",
            "",
        ] {
            assert_eq!(parse_utc(unreadable), None, "{unreadable}");
        }
    }

    #[test]
    fn a_v2_user_with_a_token_reads_as_a_token_answer() {
        let tokens = token_answer(
            &json!({"id": "u1", "token": "t.o.k", "tokenExpiredAt": "2999-01-01T00:00:00.000Z"}),
        )
        .unwrap();
        assert_eq!(tokens["access_token"], "t.o.k");
        assert!(tokens["expire_in"].as_u64().unwrap() > 0);
        // A token whose lifetime cannot be read starts no session.
        assert!(token_answer(&json!({"id": "u1", "token": "t.o.k"})).is_none());
        assert!(
            token_answer(&json!({"id": "u1", "token": "t", "tokenExpiredAt": "soon"})).is_none()
        );
        assert_eq!(
            parse_utc("2024-03-01T08:00:00+08:00"),
            parse_utc("2024-03-01T00:00:00Z")
        );
        let v3 = token_answer(&json!({"access_token": "a", "expire_in": 60, "id": "u"})).unwrap();
        assert_eq!(v3, json!({"access_token": "a", "expire_in": 60}));
        assert!(token_answer(&json!({"id": "u1"})).is_none());
    }

    #[test]
    fn a_v2_failure_reads_with_its_code_as_the_api_code() {
        let plain = response::from_plain_json(json!({"code": 6001, "message": "wrong"}));
        let read = from_v2(plain);
        assert_eq!(read.status_code(), 6001);
        assert_eq!(read.api_code(), 6001);
        assert_eq!(read.message(), "wrong");
        let ok = from_v2(response::from_plain_json(
            json!({"code": 200, "message": "", "data": {"id": "u"}, "recoveryCode": "r-1"}),
        ));
        assert!(ok.is_success());
        assert_eq!(ok.recovery_code(), Some("r-1"));
    }
}
