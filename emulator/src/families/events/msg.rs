//! The messages of the events endpoints (sent as `Msg::Family`, `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A message of the events endpoints.
#[derive(Debug, Clone)]
pub(crate) enum EventsMsg {
    /// `eventType` names one of Authing's own events (`authing.*`).
    ReservedCode,
    /// `eventType` is too long or not visible ASCII.
    BadCode,
}

impl Localized for EventsMsg {
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| {
            if en {
                english.to_owned()
            } else {
                zh.to_owned()
            }
        };
        match self {
            EventsMsg::ReservedCode => pick(
                "仅可以发布用户池自定义的私有事件",
                "only the user pool's custom events can be published; authing.* events are authing's own",
            ),
            EventsMsg::BadCode => pick(
                "参数错误：eventType 必须是 1 到 256 个可见 ASCII 字符",
                "invalid parameter: eventType must be 1 to 256 visible ascii characters",
            ),
        }
    }
}
