//! The messages of the WeChat helpers (sent as `Msg::Family`).

use crate::core::msg::{Lang, Localized};

/// A message of the WeChat helpers.
#[derive(Debug, Clone)]
pub(crate) enum WechatMsg {
    /// `extIdpConnidentifier` names no mini program connection of the app.
    NoMiniProgram,
    /// The login or phone code is unknown, used or expired.
    BadCode,
    /// The data does not decrypt with the code's session key.
    Undecryptable,
    /// The WeChat app id and secret are not the test app's.
    BadAppSecret,
}

impl Localized for WechatMsg {
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| if en { english } else { zh }.to_owned();
        match self {
            WechatMsg::NoMiniProgram => pick(
                "应用未配置此微信小程序身份源",
                "the app has no wechat mini program connection with this identifier",
            ),
            WechatMsg::BadCode => pick(
                "code 无效、已使用或已过期",
                "the code is invalid, used or expired",
            ),
            WechatMsg::Undecryptable => pick(
                "解密失败：encryptedData 或 iv 与 session_key 不匹配",
                "decryption failed: encryptedData or iv does not match the session key",
            ),
            WechatMsg::BadAppSecret => pick(
                "微信 appId 或 appSecret 错误",
                "wrong wechat appId or appSecret",
            ),
        }
    }
}
