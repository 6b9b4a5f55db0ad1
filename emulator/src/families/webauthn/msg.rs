//! The messages of the webauthn endpoints (sent as `Msg::Family`, `core/msg.rs`).

use crate::core::msg::{Lang, Localized};

/// A message of the webauthn endpoints.
#[derive(Debug, Clone)]
pub(crate) enum WebauthnMsg {
    /// The ticket is unknown, used already, expired, or of the other ceremony.
    BadTicket,
    /// A verification check failed: the English name of the check.
    Refused(&'static str),
    /// The credential id is registered already.
    Exists,
    /// The user already holds the most credentials the emulator keeps.
    TooMany(usize),
    /// The signed-in user has no credential with this id.
    NoSuchCredential,
    /// `authenticatorCode` is not fingerprint, face or other.
    BadCode,
    /// `credentialIds` is not an array of strings.
    BadIds,
}

impl Localized for WebauthnMsg {
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: String, english: String| if en { english } else { zh };
        match self {
            WebauthnMsg::BadTicket => pick(
                "ticket 无效或已过期".into(),
                "the ticket is unknown, used or expired".into(),
            ),
            WebauthnMsg::Refused(check) => pick(
                format!("WebAuthn 验证失败：{check}"),
                format!("webauthn verification failed: {check}"),
            ),
            WebauthnMsg::Exists => pick(
                "该凭证已注册".into(),
                "this credential is registered already".into(),
            ),
            WebauthnMsg::TooMany(max) => pick(
                format!("凭证数量已达上限 {max}"),
                format!("the user holds the most credentials allowed ({max})"),
            ),
            WebauthnMsg::NoSuchCredential => pick(
                "凭证不存在".into(),
                "the signed-in user has no credential with this id".into(),
            ),
            WebauthnMsg::BadCode => pick(
                "参数错误：authenticatorCode 必须是 fingerprint、face 或 other".into(),
                "invalid parameter: authenticatorCode must be fingerprint, face or other".into(),
            ),
            WebauthnMsg::BadIds => pick(
                "参数错误：credentialIds 必须是字符串数组".into(),
                "invalid parameter: credentialIds must be an array of strings".into(),
            ),
        }
    }
}
