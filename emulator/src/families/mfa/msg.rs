//! The messages of the MFA endpoints, in one table (sent as `Msg::Family`).

use crate::core::msg::{Lang, Localized};
use crate::families::mfa::state::ChallengeError;

/// A message of the MFA endpoints.
#[derive(Debug, Clone)]
pub(crate) enum MfaMsg {
    /// A sign-in needs a second factor.
    Required,
    UnknownFactorType,
    FaceUnsupported,
    /// The app does not offer this factor type.
    NotOffered,
    FactorExists,
    FactorNotFound,
    BadEnrollmentToken,
    WrongTotp,
    WrongRecoveryCode,
    TotpMissing,
    RecoveryCodeMissing,
    NoOtpFactor,
    /// The phone or email is not where this user's codes may go.
    NotYourTarget,
    BadMfaToken(ChallengeError),
    /// The wrong code that voided the challenge.
    Voided,
}

impl Localized for MfaMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            MfaMsg::Required => ("请进行二次认证", "a second factor is required to sign in"),
            MfaMsg::UnknownFactorType => (
                "参数错误：factorType 只能是 OTP、SMS、EMAIL 或 FACE",
                "invalid parameter: factorType must be OTP, SMS, EMAIL or FACE",
            ),
            MfaMsg::FaceUnsupported => (
                "模拟器不支持人脸认证要素",
                "the emulator does not support FACE factors",
            ),
            MfaMsg::NotOffered => (
                "应用未开启此 MFA 认证要素",
                "the app does not offer this factor type",
            ),
            MfaMsg::FactorExists => (
                "已绑定此类型的 MFA 认证要素",
                "a factor of this type is already enrolled",
            ),
            MfaMsg::FactorNotFound => ("MFA 认证要素不存在", "no such factor"),
            MfaMsg::BadEnrollmentToken => (
                "enrollmentToken 无效或已过期",
                "the enrollment token is unknown, used or expired",
            ),
            MfaMsg::WrongTotp => ("Totp 码错误", "wrong totp code"),
            MfaMsg::WrongRecoveryCode => ("Totp 恢复码错误", "wrong recovery code"),
            MfaMsg::TotpMissing => ("未输入 Totp 安全码", "no totp code given"),
            MfaMsg::RecoveryCodeMissing => ("未输入 Totp 恢复码", "no recovery code given"),
            MfaMsg::NoOtpFactor => ("用户未绑定 OTP", "the user has no OTP factor"),
            MfaMsg::NotYourTarget => (
                "此手机号或邮箱不是该用户的 MFA 手机号或邮箱",
                "this phone or email is not where this user's mfa codes go",
            ),
            MfaMsg::BadMfaToken(ChallengeError::Expired) => (
                "mfaToken 已过期，请重新登录",
                "the mfa token has expired; sign in again",
            ),
            MfaMsg::BadMfaToken(ChallengeError::Unknown) => (
                "mfaToken 无效，请重新登录",
                "the mfa token is unknown, used or voided; sign in again",
            ),
            MfaMsg::Voided => (
                "错误次数过多，请重新登录",
                "too many wrong codes: this sign-in is voided; sign in again",
            ),
        };
        if lang == Lang::En { en } else { zh }.to_owned()
    }
}
