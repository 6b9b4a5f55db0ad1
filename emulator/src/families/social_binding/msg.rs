//! The messages of the social account binding endpoints, in one table (sent as
//! `Msg::Family`).

use crate::core::msg::{Lang, Localized};

/// A message of `/api/v2/ecConn/wechatMobile/*`.
#[derive(Debug, Clone)]
pub(crate) enum BindingMsg {
    /// The identity is bound to no account: bind it (the spec's example message).
    NeedsBinding,
    /// The binding key is unknown or was used.
    UnknownKey,
    /// The binding key expired.
    ExpiredKey,
    /// The `action` is not the one of this endpoint.
    WrongAction(&'static str),
    /// The app allows binding to an existing account only.
    RegisterNotAllowed,
    /// `connId` names no WeChat mobile connection of the app.
    NoSuchConnection,
}

impl Localized for BindingMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| if en { english } else { zh }.to_owned();
        match self {
            BindingMsg::NeedsBinding => pick(
                "需要执行账号身份绑定",
                "the identity must be bound to an account",
            ),
            BindingMsg::UnknownKey => pick(
                "绑定中间态 key 无效或已被使用",
                "the binding key is invalid or was used already",
            ),
            BindingMsg::ExpiredKey => pick("绑定中间态 key 已过期", "the binding key has expired"),
            BindingMsg::WrongAction(action) => {
                if en {
                    format!("invalid action: this endpoint takes {action}")
                } else {
                    format!("参数错误：action 应为 {action}")
                }
            }
            BindingMsg::RegisterNotAllowed => pick(
                "应用不允许创建新账号，请绑定已有账号",
                "the app does not allow a new account: bind an existing one",
            ),
            BindingMsg::NoSuchConnection => pick(
                "应用未配置微信移动端身份源，或 connId 不匹配",
                "the app has no wechat mobile connection, or connId names another",
            ),
        }
    }
}
