//! The messages of the switch-login endpoints (sent as `Msg::Family`, `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A message of the switch-login family.
#[derive(Debug, Clone)]
pub(crate) enum SwitchMsg {
    /// The target is not an account the signed-in user may switch to (or does not exist).
    NotAllowed,
    /// `targetUserId` is the signed-in user itself.
    SameAccount,
}

impl Localized for SwitchMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        match self {
            SwitchMsg::NotAllowed => if en {
                "the signed-in user may not switch to this account: it is not a public account linked to them (nor their personal account)"
            } else {
                "无权切换到此账号：它不是与当前用户关联的公共账号"
            },
            SwitchMsg::SameAccount => if en {
                "the target is the account already signed in"
            } else {
                "目标账号即当前登录账号"
            },
        }
        .to_owned()
    }
}
