//! The captcha family's types: [`CaptchaImage`] (the image of `get_captcha_code`), the
//! payload and answer of `pre_check_code` ([`PreCheckCodePayload`], [`PreCheckCodeResult`]),
//! and the `AuthResponse` views ([`AuthResponse::captcha_image`],
//! [`AuthResponse::is_captcha_required`], [`AuthResponse::pre_check_code_result`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{ApiCode, AuthError, InputError};
use crate::model::{EmailType, SmsType};
use crate::redact::REDACTED;
use crate::response::AuthResponse;
use crate::validate;

/// The captcha image of [`get_captcha_code`](crate::AuthClient::get_captcha_code): its
/// bytes and their content type (`image/svg+xml` from Authing, as the spec says). Show it
/// to the person signing in; their answer goes in
/// [`AuthOptions::set_captcha_code`](crate::AuthOptions::set_captcha_code).
///
/// ```
/// let emulator = authing::emulator::Emulator::start()?;
/// let client = authing::AuthClient::builder()
///     .app_id(emulator.app_id())
///     .app_host(emulator.base_url())
///     .build()?;
/// let image = client.get_captcha_code_blocking().captcha_image()?;
/// assert_eq!(image.content_type(), "image/svg+xml");
/// assert!(image.as_svg().unwrap().starts_with("<svg"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CaptchaImage {
    bytes: Vec<u8>,
    content_type: String,
}

impl CaptchaImage {
    /// The image's bytes, as the server sent them.
    ///
    /// ```no_run
    /// # let image = authing::AuthClient::new().get_captcha_code_blocking().captcha_image()?;
    /// std::fs::write("captcha.svg", image.bytes())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The image's bytes, taken.
    ///
    /// ```no_run
    /// # let image = authing::AuthClient::new().get_captcha_code_blocking().captcha_image()?;
    /// let bytes: Vec<u8> = image.into_bytes();
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The `content-type` the server sent, e.g. `image/svg+xml` (parameters kept).
    ///
    /// ```no_run
    /// # let image = authing::AuthClient::new().get_captcha_code_blocking().captcha_image()?;
    /// if image.content_type().starts_with("image/png") { /* decode a PNG */ }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The image as SVG text, when it is SVG (`image/svg+xml`) and UTF-8.
    ///
    /// ```no_run
    /// # let image = authing::AuthClient::new().get_captcha_code_blocking().captcha_image()?;
    /// if let Some(svg) = image.as_svg() { println!("{} characters of svg", svg.len()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn as_svg(&self) -> Option<&str> {
        let media = self.content_type.split(';').next().unwrap_or_default();
        if !media.trim().eq_ignore_ascii_case("image/svg+xml") {
            return None;
        }
        std::str::from_utf8(&self.bytes).ok()
    }
}

impl fmt::Debug for CaptchaImage {
    /// The content type and the size; not the image (whose text is the answer).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaptchaImage")
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

/// What [`pre_check_code`](crate::AuthClient::pre_check_code) checks (Java:
/// `PreCheckCodeDto`): an SMS pass code for a phone, or an email pass code, on the channel
/// it was sent for.
///
/// ```
/// use authing::{EmailType, PreCheckCodePayload, SmsType};
///
/// let mut sms = PreCheckCodePayload::sms("18812345678", "1234", SmsType::CHANNEL_LOGIN);
/// sms.set_phone_country_code("+86");
/// let email = PreCheckCodePayload::email("alice@example.com", "123456", EmailType::CHANNEL_REGISTER);
/// assert_eq!(sms.code_type(), "SMS");
/// assert_eq!(email.code_type(), "EMAIL");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PreCheckCodePayload {
    kind: Kind,
    pass_code: String,
}

#[derive(Clone, PartialEq, Eq)]
enum Kind {
    Sms {
        phone: String,
        phone_country_code: Option<String>,
        channel: SmsType,
    },
    Email {
        email: String,
        channel: EmailType,
    },
}

impl PreCheckCodePayload {
    /// An SMS pass code sent to `phone` (without its country code) for `channel`
    /// (`codeType: "SMS"`, `smsCodePayload`).
    ///
    /// ```
    /// authing::PreCheckCodePayload::sms("18812345678", "1234", authing::SmsType::CHANNEL_REGISTER);
    /// ```
    pub fn sms(
        phone: impl Into<String>,
        pass_code: impl Into<String>,
        channel: SmsType,
    ) -> PreCheckCodePayload {
        PreCheckCodePayload {
            kind: Kind::Sms {
                phone: phone.into(),
                phone_country_code: None,
                channel,
            },
            pass_code: pass_code.into(),
        }
    }

    /// An email pass code sent to `email` for `channel` (`codeType: "EMAIL"`,
    /// `emailCodePayload`).
    ///
    /// ```
    /// authing::PreCheckCodePayload::email("alice@example.com", "123456", authing::EmailType::CHANNEL_LOGIN);
    /// ```
    pub fn email(
        email: impl Into<String>,
        pass_code: impl Into<String>,
        channel: EmailType,
    ) -> PreCheckCodePayload {
        PreCheckCodePayload {
            kind: Kind::Email {
                email: email.into(),
                channel,
            },
            pass_code: pass_code.into(),
        }
    }

    /// Sets the phone's country code, e.g. `+86` (mainland China numbers may leave it
    /// out); ignored for an email code.
    ///
    /// ```
    /// let mut payload = authing::PreCheckCodePayload::sms("2025550123", "1234", authing::SmsType::CHANNEL_LOGIN);
    /// payload.set_phone_country_code("+1");
    /// ```
    pub fn set_phone_country_code(&mut self, code: impl Into<String>) -> &mut Self {
        if let Kind::Sms {
            phone_country_code, ..
        } = &mut self.kind
        {
            *phone_country_code = Some(code.into());
        }
        self
    }

    /// `codeType` on the wire: `SMS` or `EMAIL`.
    ///
    /// ```
    /// let payload = authing::PreCheckCodePayload::email("a@b.co", "1", authing::EmailType::CHANNEL_LOGIN);
    /// assert_eq!(payload.code_type(), "EMAIL");
    /// ```
    pub fn code_type(&self) -> &'static str {
        match self.kind {
            Kind::Sms { .. } => "SMS",
            Kind::Email { .. } => "EMAIL",
        }
    }

    /// The body (`PreCheckCodeDto`), its fields checked: the phone 1 to 20 digits (the
    /// country code `+` and 1 to 4 digits), the email an address, the pass code 1 to 32
    /// letters or digits.
    pub(crate) fn body(&self) -> Result<serde_json::Value, InputError> {
        let pass_code = validate::pass_code("pass_code", Some(&self.pass_code))?;
        Ok(match &self.kind {
            Kind::Sms {
                phone,
                phone_country_code,
                channel,
            } => {
                let sms = SmsBody {
                    phone: validate::phone_number("phone", Some(phone))?,
                    pass_code,
                    phone_country_code: phone_country_code
                        .as_deref()
                        .map(|c| validate::country_code("phone_country_code", c))
                        .transpose()?,
                    channel: channel.as_str(),
                };
                serde_json::json!({ "codeType": "SMS", "smsCodePayload": sms })
            }
            Kind::Email { email, channel } => {
                let body = EmailBody {
                    email: validate::email("email", Some(email))?,
                    pass_code,
                    channel: channel.as_str(),
                };
                serde_json::json!({ "codeType": "EMAIL", "emailCodePayload": body })
            }
        })
    }
}

impl fmt::Debug for PreCheckCodePayload {
    /// Everything but the pass code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("PreCheckCodePayload");
        match &self.kind {
            Kind::Sms {
                phone,
                phone_country_code,
                channel,
            } => out
                .field("phone", phone)
                .field("phone_country_code", phone_country_code)
                .field("channel", channel),
            Kind::Email { email, channel } => out.field("email", email).field("channel", channel),
        };
        out.field("pass_code", &format_args!("{REDACTED}")).finish()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SmsBody<'a> {
    phone: &'a str,
    pass_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_country_code: Option<std::borrow::Cow<'a, str>>,
    channel: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EmailBody<'a> {
    email: &'a str,
    pass_code: &'a str,
    channel: &'static str,
}

/// The answer of [`pre_check_code`](crate::AuthClient::pre_check_code) (the spec's
/// `PreCheckCodeDataDto`): whether the code is right and still usable, and if not, why.
///
/// ```no_run
/// # let response = authing::AuthClient::new().pre_check_code_blocking(
/// #     authing::PreCheckCodePayload::sms("18812345678", "1234", authing::SmsType::CHANNEL_LOGIN));
/// let result = response.pre_check_code_result()?;
/// if !result.is_valid() { println!("{}", result.message().unwrap_or("wrong code")); }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreCheckCodeResult {
    is_valid: bool,
    #[serde(default)]
    message: Option<String>,
}

impl PreCheckCodeResult {
    /// Whether the code is right and still usable (`isValid`). The check did not spend
    /// it: the sign-in, sign-up or change that needs it still works.
    ///
    /// ```no_run
    /// # fn f(r: &authing::PreCheckCodeResult) {
    /// if r.is_valid() { println!("go on"); }
    /// # }
    /// ```
    pub fn is_valid(&self) -> bool {
        self.is_valid
    }

    /// Why the code is not valid (`message`: wrong, expired, ...), in the call's language.
    ///
    /// ```no_run
    /// # fn f(r: &authing::PreCheckCodeResult) {
    /// println!("{}", r.message().unwrap_or_default());
    /// # }
    /// ```
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl AuthResponse {
    /// The image of [`get_captcha_code`](crate::AuthClient::get_captcha_code).
    ///
    /// Fails with the response's own error when the call failed, and with
    /// [`AuthError::UnexpectedResponse`] for an answer that carries no image (the answer
    /// of another call).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_captcha_code_blocking();
    /// let image = response.captcha_image()?;
    /// println!("{} bytes of {}", image.bytes().len(), image.content_type());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn captcha_image(&self) -> Result<CaptchaImage, AuthError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let raw = self
            .raw
            .as_ref()
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "the answer carries no image".into(),
            })?;
        Ok(CaptchaImage {
            bytes: raw.bytes.clone(),
            content_type: raw.content_type.clone(),
        })
    }

    /// Whether a sign-in was refused for want of a (right) captcha: apiCode 2000
    /// ([`ApiCode::CAPTCHA_REQUIRED`]), which the server answers when its login failure
    /// limit with the captcha policy applies and the sign-in carried no captcha or a
    /// wrong one. Fetch an image with
    /// [`get_captcha_code`](crate::AuthClient::get_captcha_code), and sign in again with
    /// its answer in [`AuthOptions::set_captcha_code`](crate::AuthOptions::set_captcha_code).
    ///
    /// ```no_run
    /// let client = authing::AuthClient::new();
    /// let response = client.sign_in_by_account_password_blocking("mike", "passw0rd", None);
    /// if response.is_captcha_required() {
    ///     let image = client.get_captcha_code_blocking().captcha_image()?;
    ///     // show `image`, read the answer, sign in again with it
    /// }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn is_captcha_required(&self) -> bool {
        !self.is_success() && self.api_code() == ApiCode::CAPTCHA_REQUIRED.as_i32()
    }

    /// The typed answer of [`pre_check_code`](crate::AuthClient::pre_check_code).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().pre_check_code_blocking(
    /// #     authing::PreCheckCodePayload::email("a@b.co", "123456", authing::EmailType::CHANNEL_LOGIN));
    /// println!("valid: {}", response.pre_check_code_result()?.is_valid());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn pre_check_code_result(&self) -> Result<PreCheckCodeResult, AuthError> {
        self.data_as()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_sms_payload_sends_the_specs_fields_and_leaves_out_an_unset_country_code() {
        let payload = PreCheckCodePayload::sms("18812345678", "1234", SmsType::CHANNEL_LOGIN);
        assert_eq!(
            payload.body().unwrap(),
            json!({"codeType": "SMS", "smsCodePayload": {"phone": "18812345678",
                "passCode": "1234", "channel": "CHANNEL_LOGIN"}})
        );
    }

    #[test]
    fn a_bad_email_or_pass_code_is_refused_locally() {
        let bad = PreCheckCodePayload::email("not-an-email", "1234", EmailType::CHANNEL_LOGIN);
        assert!(bad.body().unwrap_err().to_string().contains("email"));
        let empty = PreCheckCodePayload::email("a@b.co", "", EmailType::CHANNEL_LOGIN);
        assert!(empty.body().unwrap_err().to_string().contains("pass_code"));
    }

    #[test]
    fn debug_hides_the_pass_code() {
        let payload = PreCheckCodePayload::sms("18812345678", "987654", SmsType::CHANNEL_LOGIN);
        let shown = format!("{payload:?}");
        assert!(
            !shown.contains("987654") && shown.contains("18812345678"),
            "{shown}"
        );
    }

    #[test]
    fn only_svg_reads_as_svg() {
        let svg = CaptchaImage {
            bytes: b"<svg/>".to_vec(),
            content_type: "image/svg+xml; charset=utf-8".into(),
        };
        assert_eq!(svg.as_svg(), Some("<svg/>"));
        let png = CaptchaImage {
            bytes: vec![0x89, b'P'],
            content_type: "image/png".into(),
        };
        assert_eq!(png.as_svg(), None);
        assert!(!format!("{svg:?}").contains("<svg/>"));
    }
}
