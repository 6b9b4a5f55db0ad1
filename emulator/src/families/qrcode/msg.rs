//! The messages of the QR-code endpoints, in one table (sent as `Msg::Family`).

use crate::core::msg::{Lang, Localized};
use crate::core::vocab::QrCodeStatus;

/// A message of the QR-code endpoints.
#[derive(Debug, Clone)]
pub(crate) enum QrMsg {
    /// `type` is not `MOBILE_APP`.
    UnsupportedType,
    /// `action` is not `SCAN`, `CONFIRM` or `CANCEL`.
    UnknownAction,
    NotFound,
    Expired,
    ScanFirst,
    Finished(QrCodeStatus),
    OtherUser,
    BadTicket,
    /// A fast authentication code given to `change-qrcode-status` (`true`), or a sign-in
    /// code given to `qrcode-app-login` (`false`).
    WrongKind(bool),
    /// `action` of `qrcode-app-login` is not `APP_LOGIN`.
    NotAppLogin,
    /// `appId` of `get-fastpass-client-apps` is not the emulator's app.
    UnknownApp,
}

impl Localized for QrMsg {
    /// The text of the message in `lang`.
    fn text(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |zh: &str, english: &str| if en { english } else { zh }.to_owned();
        match self {
            QrMsg::UnsupportedType => pick(
                "参数错误：模拟器只生成 MOBILE_APP 类型的二维码",
                "invalid type: the emulator generates MOBILE_APP qr codes only",
            ),
            QrMsg::UnknownAction => pick(
                "参数错误：action 只能是 SCAN、CONFIRM 或 CANCEL",
                "invalid action: it must be SCAN, CONFIRM or CANCEL",
            ),
            QrMsg::NotFound => pick("二维码不存在", "qr code not found"),
            QrMsg::Expired => pick("二维码已过期", "the qr code has expired"),
            QrMsg::ScanFirst => pick(
                "请先扫码（SCAN），再确认或取消",
                "scan the qr code (SCAN) before confirming or cancelling it",
            ),
            QrMsg::Finished(status) => {
                if en {
                    format!("the qr code is already {status}")
                } else {
                    format!("二维码状态已是 {status}，不能再修改")
                }
            }
            QrMsg::OtherUser => pick(
                "二维码已被其他用户扫描",
                "another user scanned this qr code",
            ),
            QrMsg::WrongKind(true) => pick(
                "这是快速认证二维码，请用 qrcode-app-login 登录",
                "this is a fast authentication qr code: sign in with qrcode-app-login",
            ),
            QrMsg::WrongKind(false) => pick(
                "这不是快速认证二维码",
                "this is not a fast authentication qr code",
            ),
            QrMsg::NotAppLogin => pick(
                "参数错误：action 只能是 APP_LOGIN",
                "invalid action: it must be APP_LOGIN",
            ),
            QrMsg::UnknownApp => pick("应用不存在", "no such app"),
            QrMsg::BadTicket => pick(
                "ticket 无效、已使用或已过期",
                "the ticket is invalid, used or expired",
            ),
        }
    }
}
