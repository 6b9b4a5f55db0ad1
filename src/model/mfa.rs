//! Payloads and typed answers of the MFA family: [`FactorType`], [`FactorProfile`], the
//! enrolment answer ([`EnrollFactorRequestData`], [`OtpEnrollment`]), an enrolled
//! [`Factor`], and the sign-in's second-factor challenge ([`MfaChallenge`]), with their
//! accessors on [`AuthResponse`].

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::accessors::text_accessors;
use crate::error::{ApiCode, AuthError};
use crate::redact::{RedactedJson, SecretField, REDACTED};
use crate::response::AuthResponse;

/// The kind of an MFA factor (Java: `FactorType`), the `factorType` on the wire.
///
/// Java's constants, spelled as on the wire; `Debug` and `Display` print the same.
/// `FACE` exists for completeness: this SDK refuses it locally (it needs a photo upload
/// this crate does not do).
///
/// ```
/// use authing::FactorType;
/// assert_eq!(FactorType::OTP.as_str(), "OTP");
/// assert_eq!(format!("{:?}", FactorType::SMS), "SMS");
/// assert_eq!(FactorType::ALL.len(), 4);
/// ```
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FactorType {
    /// A pass code sent by SMS.
    SMS,
    /// A pass code sent by email.
    EMAIL,
    /// A time-based one-time password (RFC 6238) from an authenticator app.
    OTP,
    /// Face recognition (not supported by this SDK).
    FACE,
}

impl FactorType {
    /// Every factor type, in Java's order.
    pub const ALL: &'static [FactorType] = &[
        FactorType::SMS,
        FactorType::EMAIL,
        FactorType::OTP,
        FactorType::FACE,
    ];

    /// The name on the wire, such as `"OTP"`.
    ///
    /// ```
    /// assert_eq!(authing::FactorType::EMAIL.as_str(), "EMAIL");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            FactorType::SMS => "SMS",
            FactorType::EMAIL => "EMAIL",
            FactorType::OTP => "OTP",
            FactorType::FACE => "FACE",
        }
    }

    /// The factor type of a wire name (exact spelling), `None` for any other.
    ///
    /// ```
    /// use authing::FactorType;
    /// assert_eq!(FactorType::from_wire("SMS"), Some(FactorType::SMS));
    /// assert_eq!(FactorType::from_wire("sms"), None);
    /// ```
    pub fn from_wire(name: &str) -> Option<FactorType> {
        FactorType::ALL.iter().copied().find(|t| t.as_str() == name)
    }
}

impl fmt::Debug for FactorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for FactorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FactorType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a factor is bound to (Java: `FactorProfile`), the `profile` of
/// `send_enroll_factor_request`: the phone for `SMS`, the email for `EMAIL`, nothing for
/// `OTP`. Fields left unset are left out of the request.
///
/// ```
/// use authing::FactorProfile;
/// let mut profile = FactorProfile::new();
/// profile.set_phone_country_code("+86").set_phone_number("18812345678");
/// assert_eq!(profile.phone_number(), Some("18812345678"));
/// assert_eq!(profile.email(), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

impl FactorProfile {
    /// An empty profile (what `OTP` takes).
    ///
    /// ```
    /// let profile = authing::FactorProfile::new();
    /// # let _ = profile;
    /// ```
    pub fn new() -> FactorProfile {
        FactorProfile::default()
    }

    /// The same profile with the country code in its `+` form (after the local checks).
    pub(crate) fn with_country_code(&self, code: Option<String>) -> FactorProfile {
        FactorProfile {
            phone_country_code: code,
            ..self.clone()
        }
    }
}

text_accessors! {
    FactorProfile;
    ///
    /// The national number, digits only, for `SMS`.
    phone_number, set_phone_number, "PhoneNumber", "18812345678", "phone number";
    ///
    /// `"+86"` (or `"86"`, sent as `"+86"`); left out, the server assumes `+86`.
    phone_country_code, set_phone_country_code, "PhoneCountryCode", "+86", "phone's country code";
    ///
    /// For `EMAIL`.
    email, set_email, "Email", "mike@example.com", "email address";
}

/// The answer of `send_enroll_factor_request` (the spec's
/// `SendEnrollFactorRequestDataDto`): the enrolment token to hand to `enroll_factor`, and
/// for an `OTP` factor the authenticator's setup ([`OtpEnrollment`]).
///
/// The enrolment token lasts one minute (the spec's figure). `Debug` hides it.
///
/// ```no_run
/// # fn f(response: authing::AuthResponse) -> Result<(), authing::AuthError> {
/// let enrolment = response.enroll_factor_request_data()?;
/// if let Some(otp) = enrolment.otp_data() {
///     println!("scan {}", otp.qr_code_uri());
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq)]
pub struct EnrollFactorRequestData {
    enrollment_token: String,
    otp: Option<OtpEnrollment>,
}

impl EnrollFactorRequestData {
    fn from_response(response: &AuthResponse) -> Result<EnrollFactorRequestData, AuthError> {
        let data = data_of(response)?;
        let enrollment_token = data
            .get("enrollmentToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unexpected("the answer has no enrollmentToken"))?
            .to_string();
        let otp = match data.get("otpData") {
            None | Some(Value::Null) => None,
            Some(otp) => Some(OtpEnrollment::from_value(otp)?),
        };
        Ok(EnrollFactorRequestData {
            enrollment_token,
            otp,
        })
    }

    /// The enrolment token (`enrollmentToken`), for
    /// [`enroll_factor`](crate::AuthClient::enroll_factor). A secret: never log it.
    ///
    /// ```no_run
    /// # fn f(enrolment: authing::EnrollFactorRequestData) {
    /// let token = enrolment.enrollment_token().to_string();
    /// # let _ = token; }
    /// ```
    pub fn enrollment_token(&self) -> &str {
        &self.enrollment_token
    }

    /// The authenticator's setup (`otpData`), for an `OTP` factor only.
    ///
    /// ```no_run
    /// # fn f(enrolment: authing::EnrollFactorRequestData) {
    /// if let Some(otp) = enrolment.otp_data() { println!("{}", otp.qr_code_uri()); }
    /// # }
    /// ```
    pub fn otp_data(&self) -> Option<&OtpEnrollment> {
        self.otp.as_ref()
    }
}

impl fmt::Debug for EnrollFactorRequestData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollFactorRequestData")
            .field("enrollment_token", &format_args!("{REDACTED}"))
            .field("otp_data", &self.otp)
            .finish()
    }
}

/// An OTP factor's setup (the spec's `SendEnrollFactorRequestOtpDataDto`): the
/// `otpauth://` URI an authenticator app scans, the same as a PNG data URL, and the
/// recovery code, with the URI's parts read out.
///
/// Everything here is secret (the URI carries the shared secret): `Debug` hides it all
/// but the issuer, account and parameters.
///
/// ```no_run
/// # fn f(otp: &authing::OtpEnrollment) {
/// println!("add {} ({}) to your authenticator", otp.account().unwrap_or("?"), otp.issuer().unwrap_or("?"));
/// println!("keep this recovery code safe: {}", otp.recovery_code().unwrap_or("-"));
/// # }
/// ```
#[derive(Clone, PartialEq)]
pub struct OtpEnrollment {
    qr_code_uri: String,
    qr_code_data_url: Option<String>,
    recovery_code: Option<String>,
    secret: Option<String>,
    issuer: Option<String>,
    account: Option<String>,
    algorithm: String,
    digits: u32,
    period: u64,
}

impl OtpEnrollment {
    pub(crate) fn from_value(otp: &Value) -> Result<OtpEnrollment, AuthError> {
        let text = |key: &str| {
            otp.get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let qr_code_uri =
            text("qrCodeUri").ok_or_else(|| unexpected("otpData has no qrCodeUri"))?;
        let uri = OtpAuthUri::parse(&qr_code_uri)
            .ok_or_else(|| unexpected("otpData.qrCodeUri is not an otpauth://totp/ uri"))?;
        Ok(OtpEnrollment {
            qr_code_data_url: text("qrCodeDataUrl"),
            recovery_code: text("recoveryCode"),
            secret: uri.secret,
            issuer: uri.issuer,
            account: uri.account,
            algorithm: uri.algorithm,
            digits: uri.digits,
            period: uri.period,
            qr_code_uri,
        })
    }

    /// The `otpauth://totp/..` URI (`qrCodeUri`), as an authenticator app scans it (show it
    /// as a QR code, or as a link on the same device).
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) {
    /// assert!(otp.qr_code_uri().starts_with("otpauth://totp/"));
    /// # }
    /// ```
    pub fn qr_code_uri(&self) -> &str {
        &self.qr_code_uri
    }

    /// The URI as a `data:image/png;base64,..` QR code (`qrCodeDataUrl`), when the server
    /// sent one.
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) {
    /// let has_picture = otp.qr_code_data_url().is_some();
    /// # let _ = has_picture; }
    /// ```
    pub fn qr_code_data_url(&self) -> Option<&str> {
        self.qr_code_data_url.as_deref()
    }

    /// The recovery code (`recoveryCode`): it completes a sign-in's challenge once when
    /// the authenticator is lost ([`mfa_verify_by_recovery_code`](crate::AuthClient::mfa_verify_by_recovery_code)).
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) {
    /// let keep_safe = otp.recovery_code();
    /// # let _ = keep_safe; }
    /// ```
    pub fn recovery_code(&self) -> Option<&str> {
        self.recovery_code.as_deref()
    }

    /// The shared secret, base32 (the URI's `secret`), for
    /// [`totp::generate`](crate::totp) (feature `totp`) or an authenticator's manual entry.
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) {
    /// let secret = otp.secret().expect("an otpauth uri has a secret");
    /// # let _ = secret; }
    /// ```
    pub fn secret(&self) -> Option<&str> {
        self.secret.as_deref()
    }

    /// The URI's issuer (its `issuer` parameter, else the label's prefix): the user pool's
    /// name on Authing.
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) { println!("{}", otp.issuer().unwrap_or("-")); }
    /// ```
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The URI's account name (the label after the issuer).
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) { println!("{}", otp.account().unwrap_or("-")); }
    /// ```
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The HMAC algorithm (`algorithm`, `SHA1` when left out, as RFC 6238 and the Key URI
    /// format default).
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) { assert_eq!(otp.algorithm(), "SHA1"); }
    /// ```
    pub fn algorithm(&self) -> &str {
        &self.algorithm
    }

    /// The number of digits (`digits`, 6 when left out): 1 to 9, a URI with any other
    /// makes the enrollment unreadable (10004).
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) { assert_eq!(otp.digits(), 6); }
    /// ```
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// The step in seconds (`period`, 30 when left out): never 0, a URI with 0 makes the
    /// enrollment unreadable (10004).
    ///
    /// ```no_run
    /// # fn f(otp: &authing::OtpEnrollment) { assert_eq!(otp.period(), 30); }
    /// ```
    pub fn period(&self) -> u64 {
        self.period
    }
}

impl fmt::Debug for OtpEnrollment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OtpEnrollment")
            .field("qr_code_uri", &format_args!("{REDACTED}"))
            .field("qr_code_data_url", &SecretField(&self.qr_code_data_url))
            .field("recovery_code", &SecretField(&self.recovery_code))
            .field("secret", &SecretField(&self.secret))
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("period", &self.period)
            .finish()
    }
}

/// The parts of an `otpauth://totp/` URI (Google Authenticator's Key URI format).
struct OtpAuthUri {
    secret: Option<String>,
    issuer: Option<String>,
    account: Option<String>,
    algorithm: String,
    digits: u32,
    period: u64,
}

impl OtpAuthUri {
    fn parse(uri: &str) -> Option<OtpAuthUri> {
        let rest = uri.strip_prefix("otpauth://totp/")?;
        let (label, query) = rest.split_once('?').unwrap_or((rest, ""));
        let label = percent_decode(label)?;
        let (label_issuer, account) = match label.split_once(':') {
            Some((issuer, account)) => (Some(issuer.trim()), account.trim()),
            None => (None, label.trim()),
        };
        let mut uri = OtpAuthUri {
            secret: None,
            issuer: label_issuer.filter(|i| !i.is_empty()).map(str::to_string),
            account: Some(account.to_string()).filter(|a| !a.is_empty()),
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value)?;
            match key {
                "secret" => uri.secret = Some(value).filter(|s| !s.is_empty()),
                "issuer" if !value.is_empty() => uri.issuer = Some(value),
                "algorithm" => uri.algorithm = value.to_ascii_uppercase(),
                // Bounded so that what the SDK hands on is usable as is: `totp::code`
                // takes 1 to 9 digits, and a step of 0 would divide by zero.
                "digits" => uri.digits = digits(&value).filter(|d| (1..=9).contains(d))?,
                "period" => uri.period = digits(&value).filter(|p| *p > 0)?,
                _ => {}
            }
        }
        Some(uri)
    }
}

/// A number of ASCII digits only (`str::parse` would also take a leading `+`).
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `%XX` (and `+` as a space, as query strings write it) decoded; `None` when malformed.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                // Two ASCII hex digits: `from_str_radix` alone would take `%+5` too.
                let hex = text.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// An enrolled MFA factor (the spec's `FactorDto`): its id, type and profile.
///
/// ```no_run
/// # fn f(response: authing::AuthResponse) -> Result<(), authing::AuthError> {
/// for factor in response.factor_list()? {
///     println!("{} {:?} {}", factor.factor_id(), factor.factor_type(), factor.phone_number().unwrap_or(""));
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq)]
pub struct Factor {
    data: Value,
}

impl Factor {
    fn from_value(data: &Value) -> Result<Factor, AuthError> {
        match data.get("factorId") {
            Some(Value::String(id)) if !id.is_empty() => Ok(Factor { data: data.clone() }),
            _ => Err(unexpected("a factor has no factorId")),
        }
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.data.get(key).and_then(Value::as_str)
    }

    fn profile_text(&self, key: &str) -> Option<&str> {
        self.profile().get(key).and_then(Value::as_str)
    }

    /// The factor's id (`factorId`), for [`get_factor`](crate::AuthClient::get_factor) and
    /// [`reset_factor`](crate::AuthClient::reset_factor).
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{}", factor.factor_id()); }
    /// ```
    pub fn factor_id(&self) -> &str {
        self.text("factorId").unwrap_or_default()
    }

    /// The factor's type (`factorType`), `None` for a type this SDK does not know (see
    /// [`factor_type_name`](Self::factor_type_name)).
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{:?}", factor.factor_type()); }
    /// ```
    pub fn factor_type(&self) -> Option<FactorType> {
        self.text("factorType").and_then(FactorType::from_wire)
    }

    /// The factor's type as the server spelled it.
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{}", factor.factor_type_name()); }
    /// ```
    pub fn factor_type_name(&self) -> &str {
        self.text("factorType").unwrap_or_default()
    }

    /// The profile (`profile`), an object (empty for `OTP`).
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{}", factor.profile()); }
    /// ```
    pub fn profile(&self) -> &Value {
        static EMPTY: Value = Value::Null;
        self.data.get("profile").unwrap_or(&EMPTY)
    }

    /// The phone number of an `SMS` factor (`profile.phoneNumber`).
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{}", factor.phone_number().unwrap_or("-")); }
    /// ```
    pub fn phone_number(&self) -> Option<&str> {
        self.profile_text("phoneNumber")
    }

    /// The country code of an `SMS` factor (`profile.phoneCountryCode`).
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{}", factor.phone_country_code().unwrap_or("+86")); }
    /// ```
    pub fn phone_country_code(&self) -> Option<&str> {
        self.profile_text("phoneCountryCode")
    }

    /// The email of an `EMAIL` factor (`profile.email`).
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{}", factor.email().unwrap_or("-")); }
    /// ```
    pub fn email(&self) -> Option<&str> {
        self.profile_text("email")
    }

    /// The whole object, for fields without a getter.
    ///
    /// ```no_run
    /// # fn f(factor: authing::Factor) { println!("{}", factor.data()); }
    /// ```
    pub fn data(&self) -> &Value {
        &self.data
    }
}

impl fmt::Debug for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Factor")
            .field(&RedactedJson(&self.data))
            .finish()
    }
}

/// A sign-in's second-factor challenge: the server answered the sign-in with apiCode
/// 1635 (MFA the user turned on) or 1636 (MFA the app requires) and an `mfaToken`.
///
/// Nothing is signed in yet: no token was saved. The client keeps the `mfaToken` (in
/// memory only, never in `Debug`) until one of the `mfa_verify_by_*` calls completes the
/// sign-in, another sign-in replaces it, or the server says it has expired. This view
/// tells which factors the server offers and where a code would go.
///
/// ```no_run
/// use authing::{AuthClient, FactorType};
/// let client = AuthClient::new();
/// let response = client.sign_in_by_email_password_blocking("mike@example.com", "passw0rd", None);
/// if let Some(challenge) = response.mfa_challenge() {
///     if challenge.factors().contains(&FactorType::OTP) {
///         println!("enter the code of your authenticator app");
///     }
/// }
/// ```
#[derive(Clone, PartialEq)]
pub struct MfaChallenge {
    api_code: ApiCode,
    mfa_token: String,
    factors: Vec<FactorType>,
    data: Value,
}

impl MfaChallenge {
    /// The challenge of a sign-in answer, when it is one: not a success, apiCode 1635 or
    /// 1636, and a non-empty `data.mfaToken` a header can carry.
    pub(crate) fn from_response(response: &AuthResponse) -> Option<MfaChallenge> {
        if response.is_success() {
            return None;
        }
        let api_code = ApiCode(response.api_code());
        if api_code != ApiCode::USER_MFA_REQUIRED && api_code != ApiCode::APP_MFA_REQUIRED {
            return None;
        }
        let data = response.data()?;
        let mfa_token = data
            .get("mfaToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))?
            .to_string();
        Some(MfaChallenge {
            api_code,
            mfa_token,
            factors: offered(data),
            data: data.clone(),
        })
    }

    /// The MFA token, the bearer of the `mfa_verify_by_*` calls.
    pub(crate) fn mfa_token(&self) -> &str {
        &self.mfa_token
    }

    /// Why: [`ApiCode::USER_MFA_REQUIRED`] (1635) or [`ApiCode::APP_MFA_REQUIRED`] (1636).
    ///
    /// ```no_run
    /// # fn f(challenge: authing::MfaChallenge) {
    /// if challenge.api_code() == authing::ApiCode::APP_MFA_REQUIRED { println!("your organisation requires it"); }
    /// # }
    /// ```
    pub fn api_code(&self) -> ApiCode {
        self.api_code
    }

    /// The factors the server offers, in its order: the types of `data.applicationMfa`
    /// whose `status` is 1, sorted by `sort` (`OTP` first when `totpMfaEnabled` and the
    /// list is empty). Types this SDK does not know are left out.
    ///
    /// ```no_run
    /// # fn f(challenge: authing::MfaChallenge) {
    /// for factor in challenge.factors() { println!("{factor}"); }
    /// # }
    /// ```
    pub fn factors(&self) -> &[FactorType] {
        &self.factors
    }

    /// The phone an `SMS` code goes to (`data.mfaPhone`), when the user bound one.
    ///
    /// ```no_run
    /// # fn f(challenge: authing::MfaChallenge) { println!("{}", challenge.mfa_phone().unwrap_or("-")); }
    /// ```
    pub fn mfa_phone(&self) -> Option<&str> {
        self.data.get("mfaPhone").and_then(Value::as_str)
    }

    /// That phone's country code (`data.mfaPhoneCountryCode`).
    ///
    /// ```no_run
    /// # fn f(challenge: authing::MfaChallenge) { println!("{}", challenge.mfa_phone_country_code().unwrap_or("+86")); }
    /// ```
    pub fn mfa_phone_country_code(&self) -> Option<&str> {
        self.data.get("mfaPhoneCountryCode").and_then(Value::as_str)
    }

    /// The email an `EMAIL` code goes to (`data.mfaEmail`), when the user bound one.
    ///
    /// ```no_run
    /// # fn f(challenge: authing::MfaChallenge) { println!("{}", challenge.mfa_email().unwrap_or("-")); }
    /// ```
    pub fn mfa_email(&self) -> Option<&str> {
        self.data.get("mfaEmail").and_then(Value::as_str)
    }

    /// Whether the user has an OTP factor (`data.totpMfaEnabled`).
    ///
    /// ```no_run
    /// # fn f(challenge: authing::MfaChallenge) { println!("{}", challenge.totp_mfa_enabled()); }
    /// ```
    pub fn totp_mfa_enabled(&self) -> bool {
        self.data.get("totpMfaEnabled") == Some(&Value::Bool(true))
    }

    /// The challenge's `data`, with the `mfaToken` in it: a secret, never log it.
    ///
    /// ```no_run
    /// # fn f(challenge: authing::MfaChallenge) { println!("{:?}", challenge); }
    /// ```
    pub fn data(&self) -> &Value {
        &self.data
    }
}

/// The factor types a challenge offers.
fn offered(data: &Value) -> Vec<FactorType> {
    let mut listed: Vec<(i64, FactorType)> = data
        .get("applicationMfa")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|m| m.get("status").and_then(Value::as_i64).unwrap_or(1) == 1)
                .filter_map(|m| {
                    let kind = m.get("mfaPolicy").and_then(Value::as_str)?;
                    let sort = m.get("sort").and_then(Value::as_i64).unwrap_or(i64::MAX);
                    Some((sort, FactorType::from_wire(kind)?))
                })
                .collect()
        })
        .unwrap_or_default();
    listed.sort_by_key(|(sort, _)| *sort);
    let mut factors: Vec<FactorType> = Vec::new();
    for (_, kind) in listed {
        if !factors.contains(&kind) {
            factors.push(kind);
        }
    }
    if factors.is_empty() && data.get("totpMfaEnabled") == Some(&Value::Bool(true)) {
        factors.push(FactorType::OTP);
    }
    factors
}

impl fmt::Debug for MfaChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaChallenge")
            .field("api_code", &self.api_code)
            .field("mfa_token", &format_args!("{REDACTED}"))
            .field("factors", &self.factors)
            .field("data", &RedactedJson(&self.data))
            .finish()
    }
}

/// The accessors of the MFA family's answers.
impl AuthResponse {
    /// The typed answer of `send_enroll_factor_request`: the enrolment token and, for
    /// `OTP`, the authenticator's setup.
    ///
    /// ```no_run
    /// # fn f(response: authing::AuthResponse) {
    /// match response.enroll_factor_request_data() {
    ///     Ok(enrolment) => println!("otp: {}", enrolment.otp_data().is_some()),
    ///     Err(error) => println!("{error}"),
    /// }
    /// # }
    /// ```
    pub fn enroll_factor_request_data(&self) -> Result<EnrollFactorRequestData, AuthError> {
        EnrollFactorRequestData::from_response(self)
    }

    /// The typed answer of `get_factor`.
    ///
    /// ```no_run
    /// # fn f(response: authing::AuthResponse) {
    /// if let Ok(factor) = response.factor() { println!("{}", factor.factor_type_name()); }
    /// # }
    /// ```
    pub fn factor(&self) -> Result<Factor, AuthError> {
        Factor::from_value(data_of(self)?)
    }

    /// The typed answer of `list_enrolled_factors`.
    ///
    /// ```no_run
    /// # fn f(response: authing::AuthResponse) {
    /// println!("{} factors", response.factor_list().map(|l| l.len()).unwrap_or(0));
    /// # }
    /// ```
    pub fn factor_list(&self) -> Result<Vec<Factor>, AuthError> {
        data_of(self)?
            .as_array()
            .ok_or_else(|| unexpected("data is not a list of factors"))?
            .iter()
            .map(Factor::from_value)
            .collect()
    }

    /// The typed answer of `list_factors_to_enroll`: the factor types the user may still
    /// enrol, in the server's order (types this SDK does not know are left out; `data()`
    /// has them all).
    ///
    /// ```no_run
    /// # fn f(response: authing::AuthResponse) {
    /// for kind in response.factors_to_enroll().unwrap_or_default() { println!("{kind}"); }
    /// # }
    /// ```
    pub fn factors_to_enroll(&self) -> Result<Vec<FactorType>, AuthError> {
        let list = data_of(self)?
            .as_array()
            .ok_or_else(|| unexpected("data is not a list of factor types"))?;
        Ok(list
            .iter()
            .filter_map(|f| f.get("factorType").and_then(Value::as_str))
            .filter_map(FactorType::from_wire)
            .collect())
    }

    /// The typed answer of `mfa_totp_verify`: whether the code was right
    /// (`data.verified`).
    ///
    /// ```no_run
    /// # fn f(response: authing::AuthResponse) {
    /// assert!(response.totp_verified().unwrap_or(false));
    /// # }
    /// ```
    pub fn totp_verified(&self) -> Result<bool, AuthError> {
        data_of(self)?
            .get("verified")
            .and_then(Value::as_bool)
            .ok_or_else(|| unexpected("the answer has no verified"))
    }

    /// The second-factor challenge of a sign-in answer (apiCode 1635 or 1636 with an
    /// `mfaToken`), `None` for any other answer. See [`MfaChallenge`].
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().sign_in_by_account_password_blocking("mike", "passw0rd", None);
    /// if let Some(challenge) = response.mfa_challenge() {
    ///     println!("second factor required: {:?}", challenge.factors());
    /// }
    /// ```
    pub fn mfa_challenge(&self) -> Option<MfaChallenge> {
        MfaChallenge::from_response(self)
    }

    /// Whether this is a sign-in answer that asks for a second factor (see
    /// [`mfa_challenge`](Self::mfa_challenge)).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().sign_in_by_account_password_blocking("mike", "passw0rd", None);
    /// if response.is_mfa_required() { /* show the second-factor screen */ }
    /// ```
    pub fn is_mfa_required(&self) -> bool {
        self.mfa_challenge().is_some()
    }

    /// The new recovery code of a successful `mfa_verify_by_recovery_code` (a recovery
    /// code works once; the server hands out the next one). A secret: `Debug` hides it.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().mfa_verify_by_recovery_code_blocking("e7ad-aaa4-da75-fa37-57d1-5141");
    /// if let Some(next) = response.recovery_code() { println!("your new recovery code: {next}"); }
    /// ```
    pub fn recovery_code(&self) -> Option<&str> {
        self.data()?.get("recoveryCode").and_then(Value::as_str)
    }
}

/// The `data` of a successful answer.
fn data_of(response: &AuthResponse) -> Result<&Value, AuthError> {
    if let Some(error) = response.error() {
        return Err(error.clone());
    }
    response
        .data()
        .ok_or_else(|| unexpected("the answer has no data"))
}

fn unexpected(reason: &str) -> AuthError {
    AuthError::UnexpectedResponse {
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_otpauth_uri_is_read_into_its_parts() {
        let uri = OtpAuthUri::parse(
            "otpauth://totp/My%20Pool:alice%40example.com?secret=JBSWY3DPEHPK3PXP&period=30&digits=6&algorithm=SHA1&issuer=My%20Pool",
        )
        .unwrap();
        assert_eq!(uri.secret.as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(uri.issuer.as_deref(), Some("My Pool"));
        assert_eq!(uri.account.as_deref(), Some("alice@example.com"));
        assert_eq!((uri.digits, uri.period), (6, 30));
        assert!(OtpAuthUri::parse("otpauth://hotp/x?secret=A").is_none());
        assert!(OtpAuthUri::parse("otpauth://totp/x?secret=%G1").is_none());
        for bad in [
            "digits=0",
            "digits=10",
            "digits=+6",
            "digits=６",
            "period=0",
            "period=-30",
        ] {
            assert!(
                OtpAuthUri::parse(&format!("otpauth://totp/x?secret=A&{bad}")).is_none(),
                "{bad}"
            );
        }
        assert!(OtpAuthUri::parse("otpauth://totp/x?secret=%+5").is_none());
    }

    #[test]
    fn the_offered_factors_follow_status_and_sort() {
        let data = json!({"applicationMfa": [
            {"mfaPolicy": "EMAIL", "status": 1, "sort": 3},
            {"mfaPolicy": "SMS", "status": 0, "sort": 1},
            {"mfaPolicy": "OTP", "status": 1, "sort": 2},
            {"mfaPolicy": "WEBAUTHN", "status": 1, "sort": 0},
        ]});
        assert_eq!(offered(&data), vec![FactorType::OTP, FactorType::EMAIL]);
        assert_eq!(
            offered(&json!({"totpMfaEnabled": true})),
            vec![FactorType::OTP]
        );
    }

    #[test]
    fn debug_hides_the_secrets_of_an_enrolment() {
        let otp = OtpEnrollment::from_value(&json!({
            "qrCodeUri": "otpauth://totp/p:a?secret=SEKRITSEKRIT&issuer=p",
            "qrCodeDataUrl": "data:image/png;base64,SEKRIT",
            "recoveryCode": "sekrit-code",
        }))
        .unwrap();
        let shown = format!("{otp:?}");
        assert!(!shown.to_lowercase().contains("sekrit"), "{shown}");
        assert_eq!(otp.secret(), Some("SEKRITSEKRIT"));
    }
}
