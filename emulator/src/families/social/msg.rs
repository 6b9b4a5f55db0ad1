//! The messages of the mobile social sign-in endpoint, in one table (sent as
//! `Msg::Family`).

use crate::core::msg::{Lang, Localized};

/// A message of `signin-by-mobile`.
#[derive(Debug, Clone)]
pub(crate) enum SocialMsg {
    /// The `connection` is not one the emulator plays.
    UnsupportedConnection,
    /// The app has no connection of this type, or `extIdpConnidentifier` names another.
    NoSuchConnection,
    /// The provider's code (token) is unknown.
    UnknownCode,
    /// The provider's code was used already.
    UsedCode,
    /// The provider's code expired.
    ExpiredCode,
}

impl Localized for SocialMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| if en { english } else { zh }.to_owned();
        match self {
            SocialMsg::UnsupportedConnection => pick(
                "参数错误：模拟器不支持此移动端社会化登录 connection",
                "invalid connection: the emulator does not play this mobile social provider",
            ),
            SocialMsg::NoSuchConnection => pick(
                "应用未配置此社会化登录，或 extIdpConnidentifier 不匹配",
                "the app has no such social connection, or extIdpConnidentifier names another",
            ),
            SocialMsg::UnknownCode => {
                pick("社会化登录授权码无效", "the provider's code is invalid")
            }
            SocialMsg::UsedCode => pick(
                "社会化登录授权码已被使用",
                "the provider's code was used already",
            ),
            SocialMsg::ExpiredCode => {
                pick("社会化登录授权码已过期", "the provider's code has expired")
            }
        }
    }
}
