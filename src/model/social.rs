//! Mobile social sign-in (`POST /api/v3/signin-by-mobile`, the spec's `SigninByMobileDto`):
//! the [`Connection`]s `sign_in_by_mobile` accepts, the credential each call carries, the
//! body it builds, and the look-up of the app's connection identifier in its public config.

use std::fmt;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::{AuthError, InputError};
use crate::response::AuthResponse;
use crate::validate;

/// A mobile social connection for [`sign_in_by_mobile`](crate::AuthClient::sign_in_by_mobile)
/// (Java: `Connection`): the provider whose one-time code the app got from the provider's
/// own mobile SDK.
///
/// Each variant has one name, Java's constant, which is also the `connection` on the wire
/// and what `Debug` and `Display` print. Exactly the providers Android's `signInByMobile`
/// sends: any other connection of the spec cannot be named. (`yidun` and the WeChat mini
/// program have their own calls, [`sign_in_by_one_auth`](crate::AuthClient::sign_in_by_one_auth)
/// and [`sign_in_by_wechat_mini_program`](crate::AuthClient::sign_in_by_wechat_mini_program).)
///
/// ```
/// use authing::Connection;
/// assert_eq!(Connection::wechat.as_str(), "wechat");
/// assert_eq!(Connection::lark_internal.to_string(), "lark_internal");
/// assert_eq!(format!("{:?}", Connection::facebook), "facebook");
/// assert_eq!(Connection::ALL.len(), 8);
/// ```
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Connection {
    /// WeChat mobile app (`wechatPayload.code`).
    wechat,
    /// Alipay mobile app (`alipayPayload.code`).
    alipay,
    /// WeCom (WeChat Work) mobile app (`wechatworkPayload.code`).
    wechatwork,
    /// WeCom mobile app in agency mode (`wechatworkAgencyPayload.code`).
    wechatwork_agency,
    /// Lark (Feishu) self-built app (`larkInternalPayload.code`).
    lark_internal,
    /// Lark (Feishu) app-store app (`larkPublicPayload.code`).
    lark_public,
    /// Google sign-in on mobile (`googlePayload.code`).
    google,
    /// Facebook login on mobile: the code is Facebook's access token
    /// (`facebookPayload.access_token`).
    facebook,
}

impl Connection {
    /// Every connection, in Android's order.
    pub const ALL: &'static [Connection] = &[
        Connection::wechat,
        Connection::alipay,
        Connection::wechatwork,
        Connection::wechatwork_agency,
        Connection::lark_internal,
        Connection::lark_public,
        Connection::google,
        Connection::facebook,
    ];

    /// The name on the wire (`connection`), such as `"wechatwork_agency"`.
    ///
    /// ```
    /// assert_eq!(authing::Connection::wechatwork_agency.as_str(), "wechatwork_agency");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Connection::wechat => "wechat",
            Connection::alipay => "alipay",
            Connection::wechatwork => "wechatwork",
            Connection::wechatwork_agency => "wechatwork_agency",
            Connection::lark_internal => "lark_internal",
            Connection::lark_public => "lark_public",
            Connection::google => "google",
            Connection::facebook => "facebook",
        }
    }

    /// The connection's `type` in the app's public config (`ecConnections`), as Android's
    /// `Const.EC_TYPE_*` has it.
    pub(crate) fn ec_type(self) -> &'static str {
        match self {
            Connection::wechat => "wechat:mobile",
            Connection::alipay => "alipay",
            Connection::wechatwork => "wechatwork:mobile",
            Connection::wechatwork_agency => "wechatwork:agency:mobile",
            Connection::lark_internal => "lark-internal",
            Connection::lark_public => "lark-public",
            Connection::google => "google:mobile",
            Connection::facebook => "facebook:mobile",
        }
    }

    /// The body's payload field and the key of the code in it.
    fn payload_keys(self) -> (&'static str, &'static str) {
        match self {
            Connection::wechat => ("wechatPayload", "code"),
            Connection::alipay => ("alipayPayload", "code"),
            Connection::wechatwork => ("wechatworkPayload", "code"),
            Connection::wechatwork_agency => ("wechatworkAgencyPayload", "code"),
            Connection::lark_internal => ("larkInternalPayload", "code"),
            Connection::lark_public => ("larkPublicPayload", "code"),
            Connection::google => ("googlePayload", "code"),
            // The spec's SignInByFacebookPayloadDto: `access_token`, snake case.
            Connection::facebook => ("facebookPayload", "access_token"),
        }
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `connection` of `signInByOneAuth` (NetEase Yidun one-tap sign-in).
pub(crate) const YIDUN: &str = "yidun";
/// Yidun's `type` in the public config.
const YIDUN_EC_TYPE: &str = "yidun";
/// The `connection` of `signInByWechatMiniProgram`.
pub(crate) const MINI_PROGRAM: &str = "wechat_mini_program_code_and_phone";
/// The WeChat mini program's `type` in the public config.
const MINI_PROGRAM_EC_TYPE: &str = "wechat:miniprogram:app-launch";

/// What one mobile social sign-in proves its user with. The codes and tokens are secrets:
/// `Debug` names only the connection.
pub(crate) enum SocialCredential {
    /// `signInByMobile`: a provider's one-time code (Facebook: its access token).
    Mobile(Connection, String),
    /// `signInByOneAuth`: Yidun's token and the carrier's access token.
    OneAuth { token: String, access_token: String },
    /// `signInByWechatMiniProgram`: the `wx.login` code and the phone-number code.
    MiniProgram {
        code: String,
        phone_info_code: String,
    },
}

impl fmt::Debug for SocialCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SocialCredential({}, <redacted>)", self.connection())
    }
}

impl SocialCredential {
    /// The body's `connection`.
    pub(crate) fn connection(&self) -> &'static str {
        match self {
            SocialCredential::Mobile(connection, _) => connection.as_str(),
            SocialCredential::OneAuth { .. } => YIDUN,
            SocialCredential::MiniProgram { .. } => MINI_PROGRAM,
        }
    }

    /// The connection's `type` in the app's public config.
    pub(crate) fn ec_type(&self) -> &'static str {
        match self {
            SocialCredential::Mobile(connection, _) => connection.ec_type(),
            SocialCredential::OneAuth { .. } => YIDUN_EC_TYPE,
            SocialCredential::MiniProgram { .. } => MINI_PROGRAM_EC_TYPE,
        }
    }

    /// Checks every code and token (10010): not empty or only whitespace, visible ASCII,
    /// at most 4096 bytes. The messages name the field, never the value.
    pub(crate) fn check(&self) -> Result<(), InputError> {
        match self {
            SocialCredential::Mobile(Connection::facebook, token) => {
                validate::token("access_token", Some(token))?;
            }
            SocialCredential::Mobile(_, code) => {
                validate::token("code", Some(code))?;
            }
            SocialCredential::OneAuth {
                token,
                access_token,
            } => {
                validate::token("token", Some(token))?;
                validate::token("access_token", Some(access_token))?;
            }
            SocialCredential::MiniProgram {
                code,
                phone_info_code,
            } => {
                validate::token("code", Some(code))?;
                validate::token("phone_info_code", Some(phone_info_code))?;
            }
        }
        Ok(())
    }

    /// The payload field and its value.
    fn payload(&self) -> (&'static str, Value) {
        match self {
            SocialCredential::Mobile(connection, code) => {
                let (field, key) = connection.payload_keys();
                (field, json!({ key: code }))
            }
            SocialCredential::OneAuth {
                token,
                access_token,
            } => (
                "yidunPayload",
                json!({"token": token, "accessToken": access_token}),
            ),
            // The spec requires only `code` in `wxLoginInfo`: Android's empty
            // `encryptedData` and `iv` are left out.
            SocialCredential::MiniProgram {
                code,
                phone_info_code,
            } => (
                "wechatMiniProgramCodeAndPhonePayload",
                json!({"wxLoginInfo": {"code": code}, "wxPhoneInfo": {"code": phone_info_code}}),
            ),
        }
    }

    /// The whole body, in Android's key order: `connection`, `extIdpConnidentifier`, the
    /// payload, `options`.
    pub(crate) fn body<'a>(&'a self, identifier: &'a str, options: Value) -> MobileBody<'a> {
        let (field, payload) = self.payload();
        let mut payload_field = Map::new();
        payload_field.insert(field.into(), payload);
        MobileBody {
            connection: self.connection(),
            ext_idp_connidentifier: identifier,
            payload: payload_field,
            options,
        }
    }
}

/// The body of `POST /api/v3/signin-by-mobile` (the spec's `SigninByMobileDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MobileBody<'a> {
    connection: &'static str,
    ext_idp_connidentifier: &'a str,
    /// The one payload field of the connection.
    #[serde(flatten)]
    payload: Map<String, Value>,
    options: Value,
}

/// The keys of the spec's `SignInByMobileOptionsDto`.
const MOBILE_OPTION_KEYS: [&str; 4] = ["scope", "context", "tenantId", "customData"];

/// The sign-in `options` cut to what `SignInByMobileOptionsDto` has: `scope`, `context`,
/// `tenantId`, `customData`. (`passwordEncryptType`, `clientIp`, `captchaCode` and
/// `autoRegister` are not in it, so they are not sent.)
pub(crate) fn mobile_options(sign_in_options: Value) -> Value {
    match sign_in_options {
        Value::Object(mut options) => {
            options.retain(|key, _| MOBILE_OPTION_KEYS.contains(&key.as_str()));
            Value::Object(options)
        }
        other => other,
    }
}

/// One social connection of the app's public config (`data.ecConnections[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SocialConnection {
    /// `type` (or, in older configs, `provider`), such as `"wechat:mobile"`.
    pub(crate) ec_type: String,
    /// `identifier`, the connection's identifier (`extIdpConnidentifier`).
    pub(crate) identifier: String,
    /// `id` (or, in other configs, `connectionId`), the connection's id (`connId` of the
    /// v2 WeChat mobile endpoints), when the config gives one.
    pub(crate) id: Option<String>,
}

/// The social connections of a public config's `data`: each `ecConnections` entry with a
/// `type` (or `provider`) and a non-empty `identifier`; entries without them are skipped.
pub(crate) fn social_connections(data: &Value) -> Vec<SocialConnection> {
    let Some(list) = data.get("ecConnections").and_then(Value::as_array) else {
        return Vec::new();
    };
    let text = |entry: &Value, key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    list.iter()
        .filter_map(|entry| {
            Some(SocialConnection {
                ec_type: text(entry, "type").or_else(|| text(entry, "provider"))?,
                identifier: text(entry, "identifier")?,
                id: text(entry, "id").or_else(|| text(entry, "connectionId")),
            })
        })
        .collect()
}

/// The identifier of the app's first connection of `ec_type` (compared without regard to
/// case, as Android does).
pub(crate) fn identifier_for<'a>(
    connections: &'a [SocialConnection],
    ec_type: &str,
) -> Option<&'a str> {
    connections
        .iter()
        .find(|c| c.ec_type.eq_ignore_ascii_case(ec_type))
        .map(|c| c.identifier.as_str())
}

/// The id of the app's first connection of `ec_type` that has one (compared without
/// regard to case).
pub(crate) fn id_for<'a>(connections: &'a [SocialConnection], ec_type: &str) -> Option<&'a str> {
    connections
        .iter()
        .filter(|c| c.ec_type.eq_ignore_ascii_case(ec_type))
        .find_map(|c| c.id.as_deref())
}

// The typed view of Alipay's AuthInfo.
impl AuthResponse {
    /// The typed answer of [`get_alipay_auth_info`](crate::AuthClient::get_alipay_auth_info):
    /// `data.authInfo`, the string to hand Alipay's mobile SDK as it is.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_alipay_auth_info_blocking("alipay");
    /// match response.alipay_auth_info() {
    ///     Ok(info) => println!("{info}"),
    ///     Err(error) => println!("{error}"),
    /// }
    /// ```
    pub fn alipay_auth_info(&self) -> Result<String, AuthError> {
        if let Some(error) = self.error() {
            return Err(error.clone());
        }
        self.data()
            .and_then(|d| d.get("authInfo"))
            .and_then(serde_json::Value::as_str)
            .filter(|info| !info.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| AuthError::UnexpectedResponse {
                reason: "the answer has no authInfo".into(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debug_of_a_credential_names_the_connection_and_hides_the_code() {
        let credential = SocialCredential::Mobile(Connection::wechat, "s3cret-code".into());
        let printed = format!("{credential:?}");
        assert!(printed.contains("wechat"));
        assert!(!printed.contains("s3cret"));
        let one_auth = SocialCredential::OneAuth {
            token: "tok-123".into(),
            access_token: "acc-456".into(),
        };
        let printed = format!("{one_auth:?}");
        assert!(!printed.contains("tok-123") && !printed.contains("acc-456"));
    }

    #[test]
    fn the_public_config_lists_connections_by_type_or_provider_with_an_identifier() {
        let data = json!({"ecConnections": [
            {"type": "wechat:mobile", "identifier": "wechat-mobile", "id": "conn-1"},
            {"provider": "alipay", "identifier": "my-alipay", "connectionId": "conn-2"},
            {"type": "google:mobile"},
            {"identifier": "typeless"},
        ]});
        let list = social_connections(&data);
        assert_eq!(list.len(), 2);
        assert_eq!(
            identifier_for(&list, "WECHAT:mobile"),
            Some("wechat-mobile")
        );
        assert_eq!(identifier_for(&list, "alipay"), Some("my-alipay"));
        assert_eq!(id_for(&list, "wechat:MOBILE"), Some("conn-1"));
        assert_eq!(id_for(&list, "alipay"), Some("conn-2"));
        assert_eq!(identifier_for(&list, "google:mobile"), None);
        assert!(social_connections(&json!({})).is_empty());
    }

    #[test]
    fn mobile_options_keep_only_the_keys_of_the_mobile_options_dto() {
        let options = json!({"scope": "openid", "passwordEncryptType": "none",
            "autoRegister": false, "clientIp": "1.2.3.4", "tenantId": "t", "context": {}});
        assert_eq!(
            mobile_options(options),
            json!({"scope": "openid", "tenantId": "t", "context": {}})
        );
    }
}
