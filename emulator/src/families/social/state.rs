//! The emulator's mobile social sign-in state: the social connections the app's public
//! config lists (`ecConnections`), and the provider codes the emulator, playing the
//! providers, has handed out for identities (single-use, expiring on the emulator clock).
//!
//! By default the app has one connection of each supported type, its identifier the type
//! with `:` made `-` (`wechat:mobile` -> `wechat-mobile`). The admin API
//! (`admin.rs`) replaces the list and registers codes.

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::core::random;

/// How long a provider code lives when its registration names no time to live.
pub const DEFAULT_PROVIDER_CODE_TTL: Duration = Duration::from_secs(300);

/// One supported provider: the `connection` of `signin-by-mobile`, the `type` in the
/// public config, the payload field, the key of the code in it, the provider's name
/// (`IdentityDto.provider`).
pub(crate) struct Provider {
    pub(crate) connection: &'static str,
    pub(crate) ec_type: &'static str,
    pub(crate) payload: &'static str,
    pub(crate) code_key: &'static str,
    pub(crate) provider: &'static str,
}

/// The `registerSource` of a user a social sign-in created.
pub(crate) const REGISTER_SOURCE: &str = "social";

/// Every provider the emulator plays: Android's `signInByMobile` connections, Yidun
/// (`signInByOneAuth`) and the WeChat mini program (`signInByWechatMiniProgram`).
pub(crate) const PROVIDERS: &[Provider] = &[
    provider("wechat", "wechat:mobile", "wechatPayload", "code", "wechat"),
    provider("alipay", "alipay", "alipayPayload", "code", "alipay"),
    provider(
        "wechatwork",
        "wechatwork:mobile",
        "wechatworkPayload",
        "code",
        "wechatwork",
    ),
    provider(
        "wechatwork_agency",
        "wechatwork:agency:mobile",
        "wechatworkAgencyPayload",
        "code",
        "wechatwork",
    ),
    provider(
        "lark_internal",
        "lark-internal",
        "larkInternalPayload",
        "code",
        "lark",
    ),
    provider(
        "lark_public",
        "lark-public",
        "larkPublicPayload",
        "code",
        "lark",
    ),
    provider("google", "google:mobile", "googlePayload", "code", "google"),
    provider(
        "facebook",
        "facebook:mobile",
        "facebookPayload",
        "access_token",
        "facebook",
    ),
    provider("yidun", "yidun", "yidunPayload", "token", "yidun"),
    provider(
        "wechat_mini_program_code_and_phone",
        "wechat:miniprogram:app-launch",
        "wechatMiniProgramCodeAndPhonePayload",
        "code",
        "wechat",
    ),
];

const fn provider(
    connection: &'static str,
    ec_type: &'static str,
    payload: &'static str,
    code_key: &'static str,
    provider: &'static str,
) -> Provider {
    Provider {
        connection,
        ec_type,
        payload,
        code_key,
        provider,
    }
}

/// The provider of a `signin-by-mobile` connection.
pub(crate) fn by_connection(connection: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.connection == connection)
}

/// One social connection of the app, as the public config lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct SocialConnection {
    /// The connection's type, such as `"wechat:mobile"` (Android's `Const.EC_TYPE_*`).
    #[serde(rename = "type")]
    pub ec_type: String,
    /// The connection's identifier, what `extIdpConnidentifier` must name.
    pub identifier: String,
}

impl SocialConnection {
    /// The connection of type `ec_type` named `identifier`.
    ///
    /// ```
    /// let wechat = authing_emulator::SocialConnection::new("wechat:mobile", "my-wechat");
    /// assert_eq!(wechat.identifier, "my-wechat");
    /// ```
    pub fn new(ec_type: impl Into<String>, identifier: impl Into<String>) -> SocialConnection {
        SocialConnection {
            ec_type: ec_type.into(),
            identifier: identifier.into(),
        }
    }

    /// The id the emulator gives the connection (`extIdpId`, `originConnIds`).
    pub(crate) fn id(&self) -> String {
        format!("social-{}", self.identifier)
    }
}

/// What a provider says about the user a code stands for: registered through the admin
/// API or [`Emulator::add_provider_code`](crate::Emulator::add_provider_code).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewProviderCode {
    /// The `signin-by-mobile` connection, such as `"wechat"`, `"yidun"` or
    /// `"wechat_mini_program_code_and_phone"`.
    pub connection: String,
    /// The user's id at the provider: one id, one user of the pool.
    pub user_id_in_idp: String,
    /// The code (Yidun: the token; Facebook: the access token); a random one when `None`.
    #[serde(default)]
    pub code: Option<String>,
    /// The user's email at the provider.
    #[serde(default)]
    pub email: Option<String>,
    /// The user's phone number at the provider (for the mini program, the number its
    /// phone code stands for).
    #[serde(default)]
    pub phone: Option<String>,
    /// The phone's country code; `+86` when `None`.
    #[serde(default)]
    pub phone_country_code: Option<String>,
    /// The user's nickname at the provider.
    #[serde(default)]
    pub nickname: Option<String>,
    /// How long the code lives on the emulator clock, in seconds;
    /// [`DEFAULT_PROVIDER_CODE_TTL`] when `None`.
    #[serde(default)]
    pub ttl_seconds: Option<u64>,
}

impl NewProviderCode {
    /// A code of `connection` for the user `user_id_in_idp`, random, living
    /// [`DEFAULT_PROVIDER_CODE_TTL`].
    ///
    /// ```
    /// let code = authing_emulator::NewProviderCode::new("wechat", "wx-user-1")
    ///     .email("mike@example.com")
    ///     .nickname("Mike");
    /// assert_eq!(code.user_id_in_idp, "wx-user-1");
    /// ```
    pub fn new(connection: impl Into<String>, user_id_in_idp: impl Into<String>) -> Self {
        NewProviderCode {
            connection: connection.into(),
            user_id_in_idp: user_id_in_idp.into(),
            code: None,
            email: None,
            phone: None,
            phone_country_code: None,
            nickname: None,
            ttl_seconds: None,
        }
    }

    /// Sets the code instead of a random one.
    ///
    /// ```
    /// let code = authing_emulator::NewProviderCode::new("google", "g-1").code("g-code");
    /// assert_eq!(code.code.as_deref(), Some("g-code"));
    /// ```
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the email.
    ///
    /// ```
    /// let code = authing_emulator::NewProviderCode::new("google", "g-1").email("a@example.com");
    /// assert_eq!(code.email.as_deref(), Some("a@example.com"));
    /// ```
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets the phone number and its country code.
    ///
    /// ```
    /// let code = authing_emulator::NewProviderCode::new("yidun", "yd-1").phone("+86", "18812345678");
    /// assert_eq!(code.phone.as_deref(), Some("18812345678"));
    /// ```
    pub fn phone(mut self, country_code: impl Into<String>, number: impl Into<String>) -> Self {
        self.phone_country_code = Some(country_code.into());
        self.phone = Some(number.into());
        self
    }

    /// Sets the nickname.
    ///
    /// ```
    /// let code = authing_emulator::NewProviderCode::new("alipay", "ali-1").nickname("Mike");
    /// assert_eq!(code.nickname.as_deref(), Some("Mike"));
    /// ```
    pub fn nickname(mut self, nickname: impl Into<String>) -> Self {
        self.nickname = Some(nickname.into());
        self
    }

    /// Sets how long the code lives (whole seconds count).
    ///
    /// ```
    /// use std::time::Duration;
    /// let code = authing_emulator::NewProviderCode::new("wechat", "wx-1").ttl(Duration::from_secs(60));
    /// assert_eq!(code.ttl_seconds, Some(60));
    /// ```
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl_seconds = Some(ttl.as_secs());
        self
    }
}

/// A code handed out, until used or expired.
#[derive(Debug, Clone)]
pub(crate) struct ProviderCode {
    pub(crate) connection: &'static str,
    pub(crate) code: String,
    pub(crate) identity: NewProviderCode,
    pub(crate) expires_at: SystemTime,
    pub(crate) used: bool,
}

/// Why a code was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeRefusal {
    /// No code of this connection has this value.
    Unknown,
    /// The code was used already.
    Used,
    /// The code's time ran out.
    Expired,
}

/// The social state: connections and codes.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Social {
    pub(crate) connections: Vec<SocialConnection>,
    /// Not kept in a state file: the providers' codes are minutes long and registered by
    /// the test that uses them.
    #[serde(skip)]
    codes: Vec<ProviderCode>,
}

impl Default for Social {
    fn default() -> Self {
        Social {
            connections: default_connections(),
            codes: Vec::new(),
        }
    }
}

/// One connection of each supported type, its identifier the type with `:` made `-`.
pub(crate) fn default_connections() -> Vec<SocialConnection> {
    PROVIDERS
        .iter()
        .map(|p| SocialConnection::new(p.ec_type, p.ec_type.replace(':', "-")))
        .collect()
}

/// The most codes kept; the oldest are forgotten beyond it.
const MAX_CODES: usize = 10_000;

impl Social {
    /// The public config's `ecConnections`.
    pub(crate) fn public_config_json(&self) -> Value {
        Value::Array(
            self.connections
                .iter()
                .map(|c| json!({"id": c.id(), "type": c.ec_type, "identifier": c.identifier}))
                .collect(),
        )
    }

    /// The app's connection of type `ec_type`.
    pub(crate) fn connection(&self, ec_type: &str) -> Option<&SocialConnection> {
        self.connections
            .iter()
            .find(|c| c.ec_type.eq_ignore_ascii_case(ec_type))
    }

    /// Registers a code; the code. Refuses an unsupported connection, an empty user id or
    /// code, and a code of the same connection still waiting to be used.
    pub(crate) fn add_code(
        &mut self,
        seed: &NewProviderCode,
        now: SystemTime,
    ) -> Result<(String, SystemTime), String> {
        let Some(provider) = by_connection(seed.connection.trim()) else {
            let known: Vec<&str> = PROVIDERS.iter().map(|p| p.connection).collect();
            return Err(format!(
                "connection {:?} is not one of {}",
                seed.connection,
                known.join(", ")
            ));
        };
        if seed.user_id_in_idp.trim().is_empty() {
            return Err("userIdInIdp is empty".into());
        }
        let code = match &seed.code {
            Some(code) if code.trim().is_empty() => return Err("code is empty".into()),
            Some(code) => code.clone(),
            None => random::hex(16),
        };
        let waiting = self.codes.iter().any(|c| {
            c.connection == provider.connection && c.code == code && !c.used && now < c.expires_at
        });
        if waiting {
            return Err(format!(
                "a {} code with this value is waiting already",
                provider.connection
            ));
        }
        let ttl = seed
            .ttl_seconds
            .map_or(DEFAULT_PROVIDER_CODE_TTL, Duration::from_secs)
            .min(crate::MAX_DURATION);
        let expires_at = now + ttl;
        if self.codes.len() >= MAX_CODES {
            self.codes.remove(0);
        }
        self.codes.push(ProviderCode {
            connection: provider.connection,
            code: code.clone(),
            identity: seed.clone(),
            expires_at,
            used: false,
        });
        Ok((code, expires_at))
    }

    /// Takes the code `code` of `connection`: marks it used and answers its identity.
    pub(crate) fn take(
        &mut self,
        connection: &str,
        code: &str,
        now: SystemTime,
    ) -> Result<NewProviderCode, CodeRefusal> {
        // The newest registration of the value counts.
        let Some(found) = self
            .codes
            .iter_mut()
            .rev()
            .find(|c| c.connection == connection && c.code == code)
        else {
            return Err(CodeRefusal::Unknown);
        };
        if found.used {
            return Err(CodeRefusal::Used);
        }
        if now >= found.expires_at {
            return Err(CodeRefusal::Expired);
        }
        found.used = true;
        Ok(found.identity.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_taken_once_and_not_after_it_expires() {
        let mut social = Social::default();
        let now = SystemTime::now();
        let seed = NewProviderCode::new("wechat", "wx-1").code("c1");
        social.add_code(&seed, now).unwrap();
        assert_eq!(
            social.take("alipay", "c1", now).unwrap_err(),
            CodeRefusal::Unknown
        );
        assert_eq!(
            social.take("wechat", "c1", now).unwrap().user_id_in_idp,
            "wx-1"
        );
        assert_eq!(
            social.take("wechat", "c1", now).unwrap_err(),
            CodeRefusal::Used
        );
        let seed = NewProviderCode::new("wechat", "wx-1")
            .code("c2")
            .ttl(Duration::from_secs(10));
        social.add_code(&seed, now).unwrap();
        let later = now + Duration::from_secs(10);
        assert_eq!(
            social.take("wechat", "c2", later).unwrap_err(),
            CodeRefusal::Expired
        );
    }

    #[test]
    fn the_default_connections_are_one_of_each_provider() {
        let social = Social::default();
        assert_eq!(social.connections.len(), PROVIDERS.len());
        assert_eq!(
            social
                .connection("wechat:mobile")
                .map(|c| c.identifier.as_str()),
            Some("wechat-mobile")
        );
        assert!(NewProviderCode::new("qq", "q").connection.len() == 2);
        assert!(social
            .clone()
            .add_code(&NewProviderCode::new("qq", "q"), SystemTime::now())
            .is_err());
    }
}
