//! The messages of the directory and linked-identity endpoints, in one table (sent as
//! `Msg::Family`, `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A message of the directory and linked-identity endpoints.
#[derive(Debug, Clone)]
pub(crate) enum DirectoryMsg {
    /// `page` is not a whole number from 1.
    BadPage,
    /// `limit` is not a whole number from 1 to the maximum.
    BadLimit(u32),
    /// A query number (`start`, `end`) is not a whole number of milliseconds.
    BadMillis(&'static str),
    /// A query value is not one of the spec's (`sortBy`, `orderBy`, `resourceType`).
    NotOneOf(&'static str, &'static [&'static str]),
    /// No provider is offered through this connection identifier.
    UnknownConnection,
    /// The `id_token` of `link-extidp` does not verify, has expired, or is another user's.
    BadIdToken,
    /// The user has no identity from the provider `unlink-extidp` names.
    NoSuchIdentity,
}

impl Localized for DirectoryMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: String, english: String| if en { english } else { zh };
        match self {
            DirectoryMsg::BadPage => pick(
                "参数错误：page 必须是从 1 开始的整数".into(),
                "invalid parameter: page must be a whole number from 1".into(),
            ),
            DirectoryMsg::BadLimit(max) => pick(
                format!("参数错误：limit 必须是 1 到 {max} 的整数"),
                format!("invalid parameter: limit must be a whole number from 1 to {max}"),
            ),
            DirectoryMsg::BadMillis(name) => pick(
                format!("参数错误：{name} 必须是以毫秒为单位的时间戳"),
                format!("invalid parameter: {name} must be a timestamp in milliseconds"),
            ),
            DirectoryMsg::NotOneOf(name, allowed) => pick(
                format!("参数错误：{name} 只能是 {}", allowed.join("、")),
                format!(
                    "invalid parameter: {name} must be one of {}",
                    allowed.join(", ")
                ),
            ),
            DirectoryMsg::UnknownConnection => pick(
                "外部身份源连接不存在".into(),
                "no external identity provider connection has this identifier".into(),
            ),
            DirectoryMsg::BadIdToken => pick(
                "尚未登录，无权限访问此请求：id_token 无效、已过期或不属于当前用户".into(),
                "not signed in: the id_token is invalid, expired or another user's".into(),
            ),
            DirectoryMsg::NoSuchIdentity => pick(
                "用户未绑定此外部身份源".into(),
                "the user has no identity from this external identity provider".into(),
            ),
        }
    }
}
