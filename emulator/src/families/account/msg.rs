//! The messages of the account family's endpoints (profile, avatar upload, password,
//! phone and email, deletion), in one table, sent as `Msg::Family`
//! (`core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A phone number or an email address, as a message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contact {
    Phone,
    Email,
}

impl Contact {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Contact::Phone => ("手机号", "phone number"),
            Contact::Email => ("邮箱", "email address"),
        }
    }

    fn path(self) -> &'static str {
        match self {
            Contact::Phone => "phone",
            Contact::Email => "email",
        }
    }
}

/// A message of the account family.
#[derive(Debug, Clone)]
pub(crate) enum AccountMsg {
    /// The user has one already: change it instead.
    AlreadyBound(Contact),
    /// The new one is the user's current one.
    Unchanged(Contact),
    /// The user has none.
    NotBound(Contact),
    /// The one given is not the user's.
    NotYours(Contact),
    /// Unbinding it would leave no way to sign in.
    LastSignInMethod(Contact),
    /// A verify-then-act token (named) is unknown, used, expired or another user's.
    BadToken(&'static str),
    /// The new password is the old one.
    SamePassword,
    /// A string field was sent empty or only whitespace.
    BlankField(&'static str),
    /// The upload is not `multipart/form-data` with a `file` part.
    NotMultipart,
    /// The uploaded file is not an image the emulator knows.
    NotAnImage,
    /// The upload's `folder` is not a plain name.
    BadFolder,
}

impl Localized for AccountMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: String, english: String| if en { english } else { zh };
        match self {
            AccountMsg::AlreadyBound(c) => {
                let (zh, english) = c.names();
                let path = c.path();
                pick(
                    format!("用户已绑定{zh}，请使用修改{zh}接口"),
                    format!(
                        "the user already has a {english}; change it with verify-update-{path}-request"
                    ),
                )
            }
            AccountMsg::Unchanged(c) => {
                let (zh, english) = c.names();
                pick(
                    format!("新{zh}与当前{zh}相同"),
                    format!("the new {english} is the user's current one"),
                )
            }
            AccountMsg::NotBound(c) => {
                let (zh, english) = c.names();
                let path = c.path();
                pick(
                    format!("用户尚未绑定{zh}"),
                    format!("the user has no {english}; bind one with bind-{path}"),
                )
            }
            AccountMsg::NotYours(c) => {
                let (zh, english) = c.names();
                pick(
                    format!("该{zh}不是当前用户的{zh}"),
                    format!("this {english} is not the user's"),
                )
            }
            AccountMsg::LastSignInMethod(c) => {
                let (zh, english) = c.names();
                pick(
                    format!("用户没有绑定其他登录方式，无法解绑{zh}"),
                    format!(
                        "the {english} is the user's last way to sign in; bind another before unbinding it"
                    ),
                )
            }
            AccountMsg::BadToken(name) => pick(
                format!("{name} 无效、已使用或已过期"),
                format!("{name} is invalid, used, expired or not this user's"),
            ),
            AccountMsg::SamePassword => pick(
                "新密码不能与旧密码相同".to_owned(),
                "the new password is the same as the old one".to_owned(),
            ),
            AccountMsg::BlankField(name) => pick(
                format!("参数错误：{name} 不能为空"),
                format!("invalid parameter: {name} is empty"),
            ),
            AccountMsg::NotMultipart => pick(
                "参数错误：请求体必须是含 file 字段的 multipart/form-data".to_owned(),
                "invalid upload: the body must be multipart/form-data with a file part".to_owned(),
            ),
            AccountMsg::NotAnImage => pick(
                "参数错误：文件不是 PNG、JPEG、GIF 或 WebP 图片".to_owned(),
                "invalid upload: the file is not a png, jpeg, gif or webp image".to_owned(),
            ),
            AccountMsg::BadFolder => pick(
                "参数错误：folder 只能包含 1 到 64 个字母、数字、- 或 _".to_owned(),
                "invalid parameter: folder must be 1 to 64 letters, digits, - or _".to_owned(),
            ),
        }
    }
}
