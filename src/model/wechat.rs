//! The WeChat helpers' typed answers: the access token Authing keeps for a WeChat mini
//! program or official account ([`WechatAccessToken`]), and a mini program user's phone
//! ([`WechatPhone`]).

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::error::AuthError;
use crate::redact::REDACTED;
use crate::response::AuthResponse;

/// The access token of a WeChat mini program or official account, as Authing's server
/// caches it (the spec's `GetWechatAccessTokenDataDto`). A secret: `Debug` hides it.
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_wechat_mp_access_token_info_blocking("wx-app", "wx-secret");
/// let token = response.wechat_access_token()?;
/// println!("valid until {}", token.expires_at());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WechatAccessToken {
    access_token: String,
    #[serde(default)]
    expires_at: String,
}

impl WechatAccessToken {
    /// The token (`accessToken`), to call WeChat's server APIs with. Never log it.
    ///
    /// ```no_run
    /// # fn f(t: &authing::WechatAccessToken) { let _ = t.access_token(); }
    /// ```
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// When it expires (`expiresAt`), as the server writes it.
    ///
    /// ```no_run
    /// # fn f(t: &authing::WechatAccessToken) { println!("{}", t.expires_at()); }
    /// ```
    pub fn expires_at(&self) -> &str {
        &self.expires_at
    }
}

impl fmt::Debug for WechatAccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatAccessToken")
            .field("access_token", &REDACTED)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A WeChat mini program user's phone (the spec's `GetWechatMiniProgramPhoneDataDto`).
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_wechat_mini_program_phone_blocking("my-wxapp", "code");
/// let phone = response.wechat_phone()?;
/// println!("+{} {}", phone.country_code(), phone.pure_phone_number());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WechatPhone {
    #[serde(default)]
    country_code: String,
    #[serde(default)]
    phone_number: String,
    #[serde(default)]
    pure_phone_number: String,
}

impl WechatPhone {
    /// The country calling code, without `+` (`countryCode`, e.g. `86`).
    ///
    /// ```no_run
    /// # fn f(p: &authing::WechatPhone) { println!("{}", p.country_code()); }
    /// ```
    pub fn country_code(&self) -> &str {
        &self.country_code
    }

    /// The number as the user entered it (`phoneNumber`; with the country code outside
    /// mainland China).
    ///
    /// ```no_run
    /// # fn f(p: &authing::WechatPhone) { println!("{}", p.phone_number()); }
    /// ```
    pub fn phone_number(&self) -> &str {
        &self.phone_number
    }

    /// The number without the country code (`purePhoneNumber`).
    ///
    /// ```no_run
    /// # fn f(p: &authing::WechatPhone) { println!("{}", p.pure_phone_number()); }
    /// ```
    pub fn pure_phone_number(&self) -> &str {
        &self.pure_phone_number
    }
}

fn typed<T: serde::de::DeserializeOwned>(
    response: &AuthResponse,
    what: &str,
) -> Result<T, AuthError> {
    if let Some(error) = response.error() {
        return Err(error.clone());
    }
    let data = response.data().cloned().unwrap_or(Value::Null);
    serde_json::from_value(data).map_err(|e| AuthError::UnexpectedResponse {
        reason: format!("{what}: {e}"),
    })
}

// The typed views of the WeChat helpers' answers.
impl AuthResponse {
    /// The typed answer of
    /// [`get_wechat_mp_access_token_info`](crate::AuthClient::get_wechat_mp_access_token_info)
    /// and [`get_wechat_mp_access_token`](crate::AuthClient::get_wechat_mp_access_token).
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_wechat_mp_access_token_info_blocking("wx-app", "wx-secret");
    /// if let Ok(token) = response.wechat_access_token() {
    ///     println!("until {}", token.expires_at());
    /// }
    /// ```
    pub fn wechat_access_token(&self) -> Result<WechatAccessToken, AuthError> {
        typed(self, "the wechat access token")
    }

    /// The typed answer of
    /// [`get_wechat_mini_program_phone`](crate::AuthClient::get_wechat_mini_program_phone).
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_wechat_mini_program_phone_blocking("my-wxapp", "code");
    /// if let Ok(phone) = response.wechat_phone() {
    ///     println!("{}", phone.pure_phone_number());
    /// }
    /// ```
    pub fn wechat_phone(&self) -> Result<WechatPhone, AuthError> {
        typed(self, "the wechat phone")
    }
}
