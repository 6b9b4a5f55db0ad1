//! The messages of the push endpoints, in one table (sent as `Msg::Family`).

use crate::core::msg::{Lang, Localized};
use crate::core::vocab::PushCodeStatus;

/// A message of the push endpoints.
#[derive(Debug, Clone)]
pub(crate) enum PushMsg {
    /// `action` is not `CONFIRM` or `CANCEL`.
    UnknownAction,
    /// `options.scope` lacks `openid`.
    ScopeWithoutOpenid,
    NotFound,
    Expired,
    Finished(PushCodeStatus),
    OtherUser,
    /// `appId` is not the app that started the push.
    OtherApp,
}

impl Localized for PushMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| if en { english } else { zh }.to_owned();
        match self {
            PushMsg::UnknownAction => pick(
                "参数错误：action 只能是 CONFIRM 或 CANCEL",
                "invalid action: it must be CONFIRM or CANCEL",
            ),
            PushMsg::ScopeWithoutOpenid => pick(
                "参数错误：scope 必须包含 openid",
                "invalid scope: it must contain openid",
            ),
            PushMsg::NotFound => pick("推送码不存在", "push code not found"),
            PushMsg::Expired => pick("推送码已过期", "the push code has expired"),
            PushMsg::Finished(status) => {
                if en {
                    format!("the push code is already {status}")
                } else {
                    format!("推送码状态已是 {status}，不能再修改")
                }
            }
            PushMsg::OtherUser => {
                pick("该推送码不属于当前用户", "this push code asks another user")
            }
            PushMsg::OtherApp => pick(
                "推送码不是该应用发起的",
                "this push code was not started by that app",
            ),
        }
    }
}
