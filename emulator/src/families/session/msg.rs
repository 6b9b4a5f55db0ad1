//! The messages of the sign-up, sign-in and session endpoints, in one table (the recovery
//! family's are in `i18n.rs`, which hands these over through `Msg::Session`).

use crate::core::msg::{Lang, Localized};
use crate::core::tokens::BearerError;

/// A message of the sign-up, sign-in and session endpoints.
#[derive(Debug, Clone)]
pub(crate) enum SessionMsg {
    UnknownConnection,
    /// One of these fields is required, e.g. "username or email".
    NeedOneOf(&'static str),
    InvalidUsername,
    InvalidGender,
    /// A flag in the query that is not true or false.
    BadFlag(&'static str),
    /// The username, email, phone or directory account is taken.
    UserExists,
    WrongAccountOrPassword,
    WrongPassword,
    /// Locked for this many more seconds.
    Locked(u64),
    NotSignedIn(BearerError),
    ScopeWithoutOpenid,
    InvalidClient,
}

impl Localized for SessionMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| if en { english } else { zh }.to_owned();
        match self {
            SessionMsg::UnknownConnection => {
                pick("参数错误：未知的 connection", "invalid connection")
            }
            SessionMsg::NeedOneOf(fields) => {
                if en {
                    format!("incomplete parameters: {fields} is required")
                } else {
                    format!("参数不完整：需要 {fields}")
                }
            }
            SessionMsg::InvalidUsername => pick(
                "用户名不合法：需 1 到 128 个字符，不含空白和 @",
                "invalid username: it needs 1 to 128 characters without whitespace or @",
            ),
            SessionMsg::InvalidGender => pick(
                "参数错误：gender 只能是 M、F 或 U",
                "invalid parameter: gender must be M, F or U",
            ),
            SessionMsg::BadFlag(name) => {
                if en {
                    format!("invalid parameter: {name} must be true or false")
                } else {
                    format!("参数错误：{name} 只能是 true 或 false")
                }
            }
            SessionMsg::UserExists => pick("用户已存在", "user already exists"),
            SessionMsg::WrongAccountOrPassword => {
                pick("用户名或密码错误", "wrong account or password")
            }
            SessionMsg::WrongPassword => pick("密码错误", "wrong password"),
            SessionMsg::Locked(secs) => {
                if en {
                    format!(
                        "account locked after too many wrong passwords, try again in {secs} seconds"
                    )
                } else {
                    format!("密码错误次数过多，账号已锁定，请 {secs} 秒后重试")
                }
            }
            SessionMsg::NotSignedIn(why) => {
                let (zh, english) = match why {
                    BearerError::Missing => ("缺少 access token", "no access token"),
                    BearerError::Invalid => ("access token 无效", "the access token is invalid"),
                    BearerError::Expired => ("access token 已过期", "the access token expired"),
                    BearerError::Revoked => ("access token 已撤销", "the access token was revoked"),
                };
                if en {
                    format!("not signed in: {english}")
                } else {
                    format!("尚未登录，无权限访问此请求：{zh}")
                }
            }
            SessionMsg::ScopeWithoutOpenid => pick(
                "参数错误：scope 必须包含 openid",
                "invalid scope: it must include openid",
            ),
            SessionMsg::InvalidClient => pick(
                "应用 ID 或应用密钥不正确",
                "invalid client: wrong client_id or client_secret",
            ),
        }
    }
}
