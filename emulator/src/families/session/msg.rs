//! The messages of the sign-up, sign-in and session endpoints, in one table (sent as
//! `Msg::Family`; the core's own messages, which recovery uses and which answer a missing
//! bearer or a wrong client, are `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

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
    ScopeWithoutOpenid,
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
            SessionMsg::ScopeWithoutOpenid => pick(
                "参数错误：scope 必须包含 openid",
                "invalid scope: it must include openid",
            ),
        }
    }
}
