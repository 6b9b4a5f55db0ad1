//! [`AuthOptions`]: the optional settings of a sign-in or sign-up (Java: `AuthOptions`);
//! and the `passCodePayload` body both send.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use serde::Serialize;
use serde_json::{json, Value};

use super::accessors::text_accessors;
use crate::error::InputError;
use crate::model::PasswordEncryptType;
use crate::redact::{RedactedJson, SecretField};
use crate::validate;

/// `passCodePayload`: an email, or a phone and its optional country code, and the code.
/// Shared with sign-up, whose `SignUpByPassCodeDto` has the same fields.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PassCodePayload<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) phone_country_code: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) phone: Option<&'a str>,
    pub(crate) pass_code: &'a str,
}

/// The scope a sign-in asks for unless told otherwise, as in Android's `AuthOptions`: the
/// user's profile, email, phone, username, address, roles and extended fields, and
/// `offline_access` for a refresh token.
pub const DEFAULT_SCOPE: &str =
    "openid profile email phone username address offline_access roles extended_fields";

/// The longest scope accepted, in bytes.
const MAX_SCOPE_LEN: usize = 1024;

/// Optional settings of a sign-in or a sign-up (Java: `AuthOptions`). Pass `None` for the
/// defaults, as Java passes `null`.
///
/// | setting | default | sign-in (`options`) | sign-up (`options`) |
/// |---|---|---|---|
/// | [`set_scope`](Self::set_scope) | [`DEFAULT_SCOPE`] | `scope` | not sent |
/// | [`set_password_encrypt_type`](Self::set_password_encrypt_type) | `none` | `passwordEncryptType` | `passwordEncryptType` |
/// | [`set_auto_register`](Self::set_auto_register) | `false` | `autoRegister` | not sent |
/// | [`set_client_ip`](Self::set_client_ip) | unset | `clientIp` | `clientIp` |
/// | [`set_context`](Self::set_context) | unset (`{}` on sign-up, where it is required) | `context` | `context` |
/// | [`set_tenant_id`](Self::set_tenant_id) | unset | `tenantId` | not sent |
/// | [`set_custom_data`](Self::set_custom_data) | unset | `customData` | not sent (use [`AuthProfile::set_custom_data`](crate::AuthProfile::set_custom_data)) |
/// | [`set_captcha_code`](Self::set_captcha_code) | unset | `captchaCode` | not sent |
/// | [`set_phone_pass_code_for_information_completion`](Self::set_phone_pass_code_for_information_completion) | unset | not sent | `phonePassCodeForInformationCompletion` |
/// | [`set_email_pass_code_for_information_completion`](Self::set_email_pass_code_for_information_completion) | unset | not sent | `emailPassCodeForInformationCompletion` |
///
/// A setting the spec's DTO of the call lacks is not sent ("not sent" above), so one
/// `AuthOptions` can serve both, as in Java. Unset settings are left out. A push sign-in
/// ([`gene_push_code`](crate::AuthClient::gene_push_code),
/// [`PushSignInOptions::set_auth_options`](crate::PushSignInOptions::set_auth_options))
/// sends the scope, context and custom data only.
/// [`switch_login_by_user`](crate::AuthClient::switch_login_by_user) sends the same three
/// (its `SignInBySwitchOptionsDto` has the same fields).
///
/// Checked before anything is sent (status code 10010): the scope must hold `openid`
/// (space-separated, visible ASCII, at most 1024 bytes); the client IP must be an IPv4 or
/// IPv6 address; the context and custom data must be JSON objects; the tenant id visible
/// ASCII; the captcha code and pass codes 1 to 32 letters or digits. `Debug` hides the
/// captcha code and pass codes.
///
/// ```
/// use authing::{AuthOptions, PasswordEncryptType};
///
/// let mut options = AuthOptions::new();
/// options.set_password_encrypt_type(PasswordEncryptType::rsa).set_auto_register(true);
/// options.set_context(serde_json::json!({"source": "desktop"}));
/// assert_eq!(options.scope(), authing::DEFAULT_SCOPE);
/// assert!(options.is_auto_register());
/// ```
#[derive(Clone, PartialEq)]
pub struct AuthOptions {
    client_ip: Option<String>,
    context: Option<Value>,
    password_encrypt_type: PasswordEncryptType,
    scope: String,
    tenant_id: Option<String>,
    custom_data: Option<Value>,
    auto_register: bool,
    captcha_code: Option<String>,
    phone_pass_code_for_information_completion: Option<String>,
    email_pass_code_for_information_completion: Option<String>,
}

impl Default for AuthOptions {
    fn default() -> AuthOptions {
        AuthOptions {
            client_ip: None,
            context: None,
            password_encrypt_type: PasswordEncryptType::none,
            scope: DEFAULT_SCOPE.to_string(),
            tenant_id: None,
            custom_data: None,
            auto_register: false,
            captcha_code: None,
            phone_pass_code_for_information_completion: None,
            email_pass_code_for_information_completion: None,
        }
    }
}

impl AuthOptions {
    /// The defaults (Java: `new AuthOptions()`): [`DEFAULT_SCOPE`], no password
    /// encryption, no auto-registration.
    ///
    /// ```
    /// let options = authing::AuthOptions::new();
    /// assert_eq!(options.password_encrypt_type(), authing::PasswordEncryptType::none);
    /// ```
    pub fn new() -> AuthOptions {
        AuthOptions::default()
    }

    /// Sets the extra context handed to the server's pipelines, a JSON object (Java:
    /// `setContext`, a string there; the spec's `context` is an object).
    ///
    /// ```
    /// authing::AuthOptions::new().set_context(serde_json::json!({"source": "desktop"}));
    /// ```
    pub fn set_context(&mut self, context: impl Into<Value>) -> &mut Self {
        self.context = Some(context.into());
        self
    }

    /// The context (Java: `getContext`).
    ///
    /// ```
    /// assert!(authing::AuthOptions::new().context().is_none());
    /// ```
    pub fn context(&self) -> Option<&Value> {
        self.context.as_ref()
    }

    /// Sets how the password travels: `none`, `rsa` or `sm2` (Java:
    /// `setPasswordEncryptType`). With `rsa`/`sm2` it is encrypted with the server's public
    /// key, never sent in plain text instead; see [`PasswordEncryptType`].
    ///
    /// ```
    /// authing::AuthOptions::new().set_password_encrypt_type(authing::PasswordEncryptType::sm2);
    /// ```
    pub fn set_password_encrypt_type(&mut self, kind: PasswordEncryptType) -> &mut Self {
        self.password_encrypt_type = kind;
        self
    }

    /// The password encryption (Java: `getPasswordEncryptType`).
    ///
    /// ```
    /// assert_eq!(authing::AuthOptions::new().password_encrypt_type(), authing::PasswordEncryptType::none);
    /// ```
    pub fn password_encrypt_type(&self) -> PasswordEncryptType {
        self.password_encrypt_type
    }

    /// Sets the scope a sign-in asks for, space-separated; it must hold `openid`, and
    /// `offline_access` for a refresh token (Java: `setScope`).
    ///
    /// ```
    /// authing::AuthOptions::new().set_scope("openid profile offline_access");
    /// ```
    pub fn set_scope(&mut self, scope: impl Into<String>) -> &mut Self {
        self.scope = scope.into();
        self
    }

    /// The scope (Java: `getScope`).
    ///
    /// ```
    /// assert!(authing::AuthOptions::new().scope().contains("offline_access"));
    /// ```
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// Sets custom data to store on the user at sign-in, a JSON object (Java:
    /// `setCustomData`).
    ///
    /// ```
    /// authing::AuthOptions::new().set_custom_data(serde_json::json!({"plan": "pro"}));
    /// ```
    pub fn set_custom_data(&mut self, custom_data: impl Into<Value>) -> &mut Self {
        self.custom_data = Some(custom_data.into());
        self
    }

    /// The custom data (Java: `getCustomData`).
    ///
    /// ```
    /// assert!(authing::AuthOptions::new().custom_data().is_none());
    /// ```
    pub fn custom_data(&self) -> Option<&Value> {
        self.custom_data.as_ref()
    }

    /// Sets whether a sign-in creates the user when there is none (Java:
    /// `setAutoRegister`).
    ///
    /// ```
    /// authing::AuthOptions::new().set_auto_register(true);
    /// ```
    pub fn set_auto_register(&mut self, auto_register: bool) -> &mut Self {
        self.auto_register = auto_register;
        self
    }

    /// Whether a sign-in creates the user when there is none (Java: `isAutoRegister`).
    ///
    /// ```
    /// assert!(!authing::AuthOptions::new().is_auto_register());
    /// ```
    pub fn is_auto_register(&self) -> bool {
        self.auto_register
    }

    /// Sets the SMS pass code that verifies the phone given in the sign-up profile (Java:
    /// `setPhonePassCodeForInformationCompletion`).
    ///
    /// ```
    /// authing::AuthOptions::new().set_phone_pass_code_for_information_completion("1234");
    /// ```
    pub fn set_phone_pass_code_for_information_completion(
        &mut self,
        pass_code: impl Into<String>,
    ) -> &mut Self {
        self.phone_pass_code_for_information_completion = Some(pass_code.into());
        self
    }

    /// That SMS pass code (Java: `getPhonePassCodeForInformationCompletion`).
    ///
    /// ```
    /// assert_eq!(authing::AuthOptions::new().phone_pass_code_for_information_completion(), None);
    /// ```
    pub fn phone_pass_code_for_information_completion(&self) -> Option<&str> {
        self.phone_pass_code_for_information_completion.as_deref()
    }

    /// Sets the email pass code that verifies the email given in the sign-up profile (Java:
    /// `setEmailPassCodeForInformationCompletion`).
    ///
    /// ```
    /// authing::AuthOptions::new().set_email_pass_code_for_information_completion("123456");
    /// ```
    pub fn set_email_pass_code_for_information_completion(
        &mut self,
        pass_code: impl Into<String>,
    ) -> &mut Self {
        self.email_pass_code_for_information_completion = Some(pass_code.into());
        self
    }

    /// That email pass code (Java: `getEmailPassCodeForInformationCompletion`).
    ///
    /// ```
    /// assert_eq!(authing::AuthOptions::new().email_pass_code_for_information_completion(), None);
    /// ```
    pub fn email_pass_code_for_information_completion(&self) -> Option<&str> {
        self.email_pass_code_for_information_completion.as_deref()
    }

    fn checked_client_ip(&self) -> Result<Option<&str>, InputError> {
        self.client_ip
            .as_deref()
            .map(|ip| {
                let ip = validate::text("options.client_ip", Some(ip), 64)?;
                ip.parse::<IpAddr>().map(|_| ip).map_err(|_| {
                    InputError::new("options.client_ip", "is not an ipv4 or ipv6 address")
                })
            })
            .transpose()
    }

    /// The sign-in `options` (the spec's `SignInOptionsDto`).
    pub(crate) fn sign_in_json(&self) -> Result<Value, InputError> {
        let body = SignInOptions {
            client_ip: self.checked_client_ip()?,
            context: object("options.context", self.context.as_ref())?,
            password_encrypt_type: self.password_encrypt_type.as_str(),
            scope: checked_scope(&self.scope)?,
            tenant_id: self
                .tenant_id
                .as_deref()
                .map(|t| validate::token("options.tenant_id", Some(t)))
                .transpose()?,
            custom_data: object("options.custom_data", self.custom_data.as_ref())?,
            captcha_code: self
                .captcha_code
                .as_deref()
                .map(|c| validate::pass_code("options.captcha_code", Some(c)))
                .transpose()?,
            auto_register: self.auto_register,
        };
        Ok(serde_json::to_value(body).expect("options of strings and objects always serialize"))
    }

    /// The push sign-in `options` (the spec's `SignInByPushOptionsDto`: the scope, context
    /// and custom data only).
    pub(crate) fn push_json(&self) -> Result<Value, InputError> {
        let body = PushOptions {
            scope: checked_scope(&self.scope)?,
            context: object("options.context", self.context.as_ref())?,
            custom_data: object("options.custom_data", self.custom_data.as_ref())?,
        };
        Ok(serde_json::to_value(body).expect("options of strings and objects always serialize"))
    }

    /// The switch-login `options` (the spec's `SignInBySwitchOptionsDto`, whose fields are
    /// the push sign-in's: the scope, context and custom data).
    pub(crate) fn switch_json(&self) -> Result<Value, InputError> {
        self.push_json()
    }

    /// The sign-up `options` (the spec's `SignUpOptionsDto`, whose `context` is required).
    pub(crate) fn sign_up_json(&self) -> Result<Value, InputError> {
        let empty = json!({});
        let body = SignUpOptions {
            client_ip: self.checked_client_ip()?,
            phone_pass_code_for_information_completion: self
                .phone_pass_code_for_information_completion
                .as_deref()
                .map(|c| {
                    validate::pass_code(
                        "options.phone_pass_code_for_information_completion",
                        Some(c),
                    )
                })
                .transpose()?,
            email_pass_code_for_information_completion: self
                .email_pass_code_for_information_completion
                .as_deref()
                .map(|c| {
                    validate::pass_code(
                        "options.email_pass_code_for_information_completion",
                        Some(c),
                    )
                })
                .transpose()?,
            context: object("options.context", self.context.as_ref())?.unwrap_or(&empty),
            password_encrypt_type: self.password_encrypt_type.as_str(),
        };
        Ok(serde_json::to_value(body).expect("options of strings and objects always serialize"))
    }
}

text_accessors! {
    AuthOptions;
    ///
    /// When you call from a server on their behalf.
    client_ip, set_client_ip, "ClientIp", "203.0.113.7", "end user's IP address";
    ///
    /// The tenant to sign in to.
    tenant_id, set_tenant_id, "TenantId", "tenant-1", "tenant id";
    ///
    /// The captcha the server asks for after too many failed sign-ins.
    captcha_code, set_captcha_code, "CaptchaCode", "x7k2", "captcha code";
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignInOptions<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a Value>,
    password_encrypt_type: &'static str,
    scope: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    captcha_code: Option<&'a str>,
    auto_register: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PushOptions<'a> {
    scope: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<&'a Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignUpOptions<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_pass_code_for_information_completion: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_pass_code_for_information_completion: Option<&'a str>,
    context: &'a Value,
    password_encrypt_type: &'static str,
}

/// A setting that must be a JSON object, when set.
pub(crate) fn object<'a>(
    field: &'static str,
    value: Option<&'a Value>,
) -> Result<Option<&'a Value>, InputError> {
    match value {
        Some(v) if !v.is_object() => Err(InputError::new(field, "must be a json object")),
        other => Ok(other),
    }
}

fn checked_scope(scope: &str) -> Result<&str, InputError> {
    const FIELD: &str = "options.scope";
    let scope = validate::text(FIELD, Some(scope), MAX_SCOPE_LEN)?;
    if !scope.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(InputError::new(
            FIELD,
            "must be visible ascii words separated by spaces",
        ));
    }
    if !scope.split(' ').any(|word| word == "openid") {
        return Err(InputError::new(FIELD, "must contain openid"));
    }
    Ok(scope)
}

impl fmt::Debug for AuthOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthOptions")
            .field("client_ip", &self.client_ip)
            .field("context", &self.context.as_ref().map(RedactedJson))
            .field("password_encrypt_type", &self.password_encrypt_type)
            .field("scope", &self.scope)
            .field("tenant_id", &self.tenant_id)
            .field("custom_data", &self.custom_data.as_ref().map(RedactedJson))
            .field("auto_register", &self.auto_register)
            .field("captcha_code", &SecretField(&self.captcha_code))
            .field(
                "phone_pass_code_for_information_completion",
                &SecretField(&self.phone_pass_code_for_information_completion),
            )
            .field(
                "email_pass_code_for_information_completion",
                &SecretField(&self.email_pass_code_for_information_completion),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sign_in_options_are_androids() {
        assert_eq!(
            AuthOptions::new().sign_in_json().unwrap(),
            json!({"passwordEncryptType": "none", "scope": DEFAULT_SCOPE, "autoRegister": false})
        );
    }

    #[test]
    fn sign_up_options_send_only_what_the_sign_up_dto_has_and_always_a_context() {
        let mut options = AuthOptions::new();
        options
            .set_tenant_id("t")
            .set_captcha_code("abc")
            .set_auto_register(true);
        assert_eq!(
            options.sign_up_json().unwrap(),
            json!({"context": {}, "passwordEncryptType": "none"})
        );
    }

    #[test]
    fn a_scope_without_openid_is_refused() {
        let mut options = AuthOptions::new();
        options.set_scope("profile openidx");
        assert_eq!(
            options.sign_in_json().unwrap_err().to_string(),
            "invalid input: options.scope must contain openid"
        );
    }

    #[test]
    fn debug_hides_the_captcha_and_pass_codes() {
        let mut options = AuthOptions::new();
        options
            .set_captcha_code("cap777")
            .set_phone_pass_code_for_information_completion("ppc888");
        let shown = format!("{options:?}");
        assert!(
            !shown.contains("cap777") && !shown.contains("ppc888"),
            "{shown}"
        );
    }
}
