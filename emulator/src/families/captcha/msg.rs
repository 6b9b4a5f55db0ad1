//! The messages of the captcha and code-check endpoints (sent as `Msg::Family`,
//! `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A message of the captcha family.
#[derive(Debug, Clone)]
pub(crate) enum CaptchaMsg {
    /// A sign-in needs a captcha and carries none.
    CaptchaRequired,
    /// A sign-in's captcha is wrong, spent or expired.
    WrongCaptcha,
    /// `codeType` is neither `SMS` nor `EMAIL`.
    UnknownCodeType,
    /// The payload `codeType` names is missing.
    MissingPayload(&'static str),
    /// `pre-check-code`'s `data.message`: the code is wrong (or none was sent).
    CodeWrong,
    /// `pre-check-code`'s `data.message`: the code expired.
    CodeExpired,
    /// `pre-check-code`'s `data.message`: too many wrong tries voided the code.
    CodeVoided,
}

impl Localized for CaptchaMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| if en { english } else { zh }.to_owned();
        match self {
            CaptchaMsg::CaptchaRequired => pick(
                "账号异常，需要输入图形验证码",
                "a captcha is required: fetch one from /api/v3/captcha-code and send its answer as options.captchaCode",
            ),
            CaptchaMsg::WrongCaptcha => pick(
                "图形验证码错误或已失效，请重新获取",
                "the captcha answer is wrong, or the captcha was already tried or has expired: fetch a new one",
            ),
            CaptchaMsg::UnknownCodeType => pick(
                "参数错误：codeType 必须是 SMS 或 EMAIL",
                "invalid parameter: codeType must be SMS or EMAIL",
            ),
            CaptchaMsg::MissingPayload(name) => {
                if en {
                    format!("invalid parameter: {name} is missing")
                } else {
                    format!("参数错误：缺少 {name}")
                }
            }
            CaptchaMsg::CodeWrong => pick("验证码错误", "the code is wrong"),
            CaptchaMsg::CodeExpired => pick("验证码已过期", "the code has expired"),
            CaptchaMsg::CodeVoided => pick(
                "验证码错误次数过多，请重新获取",
                "too many wrong attempts: request a new code",
            ),
        }
    }
}
