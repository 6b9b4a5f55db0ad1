//! The messages the emulator puts in an envelope: the core's own (parameters, codes,
//! passwords, throttling, HTTP) in one table here, and each family's in its own `msg.rs`,
//! plugged in through [`Localized`] as [`Msg::Family`].
//!
//! `x-authing-lang: en-US` (or any tag starting with `en`) gives English; everything else,
//! `ja-JP` and `zh-TW` included, falls back to Simplified Chinese, the server's default.

use std::sync::Arc;

use crate::core::tokens::BearerError;

/// A message with a text in each language: what a family's messages (its `msg.rs`)
/// implement to be sent in an envelope as [`Msg::Family`], without a variant of their own
/// here.
pub(crate) trait Localized: std::fmt::Debug + Send + Sync {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String;
}

/// The language of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Zh,
    En,
}

impl Lang {
    /// Picks the language from the `x-authing-lang` header value.
    pub(crate) fn from_header(value: Option<&str>) -> Lang {
        match value {
            Some(v) if v.trim().to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// A message the emulator can send.
#[derive(Debug, Clone)]
pub(crate) enum Msg {
    Ok,
    AppNotFound,
    UserNotFound,
    InvalidTarget,
    MissingField(&'static str),
    WrongType(&'static str),
    UnknownChannel,
    UnknownVerifyMethod,
    UnknownEncryptType,
    Undecryptable(&'static str),
    NotJson,
    NotObject,
    WrongCode,
    CodeExpired,
    TooManyAttempts,
    BadResetToken,
    BadPassword {
        min: usize,
        max: usize,
    },
    Throttled(u64),
    RateLimited,
    TooLarge(usize),
    UnknownPath,
    MethodNotAllowed,
    /// No valid access token: missing, invalid, expired or revoked (`caller.rs`).
    NotSignedIn(BearerError),
    /// Wrong `client_id` or `client_secret` (`caller.rs`).
    InvalidClient,
    /// A family's own message (its `msg.rs`), in the family's own table.
    Family(Arc<dyn Localized>),
}

impl Msg {
    /// A family's own message.
    pub(crate) fn family(msg: impl Localized + 'static) -> Msg {
        Msg::Family(Arc::new(msg))
    }

    /// The text of the message in `lang`.
    pub(crate) fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        match self {
            Msg::Ok => pick(en, "成功", "success"),
            Msg::AppNotFound => pick(en, "应用不存在", "application not found"),
            Msg::UserNotFound => pick(en, "用户不存在", "user not found"),
            Msg::InvalidTarget => pick(
                en,
                "请输入正确的手机号或邮箱",
                "please give a valid phone number or email",
            ),
            Msg::MissingField(f) => {
                if en {
                    format!("incomplete parameters: {f} is required")
                } else {
                    format!("参数不完整：缺少 {f}")
                }
            }
            Msg::WrongType(f) => {
                if en {
                    format!("invalid parameter: {f} has the wrong type")
                } else {
                    format!("参数错误：{f} 类型不正确")
                }
            }
            Msg::UnknownChannel => pick(en, "参数错误：未知的 channel", "invalid channel"),
            Msg::UnknownVerifyMethod => {
                pick(en, "参数错误：未知的 verifyMethod", "invalid verifyMethod")
            }
            Msg::UnknownEncryptType => pick(
                en,
                "参数错误：未知的 passwordEncryptType",
                "invalid passwordEncryptType",
            ),
            Msg::Undecryptable(kind) => {
                if en {
                    format!("invalid password: it does not decrypt as passwordEncryptType {kind}")
                } else {
                    format!("参数错误：password 无法按 passwordEncryptType {kind} 解密")
                }
            }
            Msg::NotJson => pick(
                en,
                "参数不完整：请求体不是 JSON",
                "incomplete parameters: request body is not json",
            ),
            Msg::NotObject => pick(
                en,
                "参数不完整：请求体必须是 JSON 对象",
                "incomplete parameters: request body must be a json object",
            ),
            Msg::WrongCode => pick(en, "验证码不正确", "wrong verification code"),
            Msg::CodeExpired => pick(en, "验证码已过期", "verification code expired"),
            Msg::TooManyAttempts => pick(
                en,
                "验证码错误次数过多，请重新获取验证码",
                "too many wrong attempts, request a new code",
            ),
            Msg::BadResetToken => pick(
                en,
                "重置密码凭证无效或已过期",
                "password reset token is invalid, used or expired",
            ),
            Msg::BadPassword { min, max } => {
                if en {
                    format!("password must have {min} to {max} characters and not only whitespace")
                } else {
                    format!("密码长度必须为 {min} 到 {max} 个字符，且不能全为空白")
                }
            }
            Msg::Throttled(secs) => {
                if en {
                    format!("too many requests, try again in {secs} seconds")
                } else {
                    format!("您的请求已超过最大数量限制，请 {secs} 秒后重试")
                }
            }
            Msg::RateLimited => pick(
                en,
                "您的请求已超过最大数量限制，请稍后重试",
                "too many requests, please try again later",
            ),
            Msg::TooLarge(max) => {
                if en {
                    format!("request body is larger than {max} bytes")
                } else {
                    format!("请求体超过 {max} 字节")
                }
            }
            Msg::UnknownPath => pick(en, "接口不存在", "no such endpoint"),
            Msg::MethodNotAllowed => pick(
                en,
                "请求方法不被允许",
                "method not allowed on this endpoint",
            ),
            Msg::NotSignedIn(why) => {
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
            Msg::InvalidClient => pick(
                en,
                "应用 ID 或应用密钥不正确",
                "invalid client: wrong client_id or client_secret",
            ),
            Msg::Family(msg) => msg.text(lang),
        }
    }
}

fn pick(en: bool, zh: &str, english: &str) -> String {
    if en { english } else { zh }.to_owned()
}
