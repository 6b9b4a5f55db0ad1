//! The messages of the permissions endpoints (sent as `Msg::Family`, `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A message of the permissions endpoints.
#[derive(Debug, Clone)]
pub(crate) enum PermissionsMsg {
    /// A required body field is missing, empty or not a text (a list for `resources`).
    Missing(&'static str),
    /// `resources` is an empty list.
    EmptyResources,
    /// An item of `resources` is not a text of 1 to 50 characters.
    BadResource,
    /// `get-user-auth-resource-struct` names a resource the app's namespace does not have.
    NoSuchResource,
}

impl Localized for PermissionsMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: String, english: String| if en { english } else { zh };
        match self {
            PermissionsMsg::Missing(name) => pick(
                format!("参数错误：缺少 {name}"),
                format!("invalid parameter: {name} is missing or empty"),
            ),
            PermissionsMsg::EmptyResources => pick(
                "参数错误：resources 不能为空".into(),
                "invalid parameter: resources must not be empty".into(),
            ),
            PermissionsMsg::BadResource => pick(
                "参数错误：resources 的每一项必须是 1 到 50 个字符的字符串".into(),
                "invalid parameter: each of resources must be a text of 1 to 50 characters".into(),
            ),
            PermissionsMsg::NoSuchResource => pick(
                "数据资源不存在".into(),
                "no data resource has this code in the app's namespace".into(),
            ),
        }
    }
}
