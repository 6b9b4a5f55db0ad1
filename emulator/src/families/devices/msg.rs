//! The messages of the devices endpoints (sent as `Msg::Family`, `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A message of the devices endpoints.
#[derive(Debug, Clone)]
pub(crate) enum DevicesMsg {
    /// `page` is not a whole number from 1.
    BadPage,
    /// `limit` is not a whole number from 1 to the maximum.
    BadLimit(u32),
    /// The signed-in user has no device with this id.
    NoSuchDevice,
}

impl Localized for DevicesMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: String, english: String| if en { english } else { zh };
        match self {
            DevicesMsg::BadPage => pick(
                "参数错误：page 必须是从 1 开始的整数".into(),
                "invalid parameter: page must be a whole number from 1".into(),
            ),
            DevicesMsg::BadLimit(max) => pick(
                format!("参数错误：limit 必须是 1 到 {max} 的整数"),
                format!("invalid parameter: limit must be a whole number from 1 to {max}"),
            ),
            DevicesMsg::NoSuchDevice => pick(
                "设备不存在".into(),
                "the signed-in user has no device with this deviceId".into(),
            ),
        }
    }
}
