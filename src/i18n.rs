//! The SDK's own messages in the languages the server speaks (`zh-CN`, `en-US`, `ja-JP`,
//! `zh-TW`): the catalogue behind the `message()` of a response the SDK made itself (a
//! local failure, status codes 10001 to 10020), so that it reads in the client's
//! [`Lang`], as the server's own messages do.
//!
//! Only the message follows the language. The Rust error ([`AuthError`]'s and
//! [`InputError`]'s `Display`, what `response.error()` prints) stays English and stable.
//!
//! The catalogue is keyed by the error's kind ([`Kind`], one head each: "config not
//! found: ..."), and by the English text of the fixed phrases the SDK puts after it: the
//! problems of an [`InputError`] (`"is empty"`, `"is not an email address"`, ...) and the
//! reasons of the other kinds (`"no user is signed in; sign in first"`, ...). A phrase with
//! a number or a name in it (`"is longer than 64 characters"`) is a [`Pattern`]. A phrase
//! the catalogue does not have stays English inside the translated head: nothing is lost.
//! Field names (the Rust setters' names, `pass_code`) are never translated.
//!
//! Which language: a response built while a call of a client runs takes that client's
//! language, which [`enter`] records for the thread when the call starts (the client's
//! configuration check, which every call runs first); a callback's answer is rendered again
//! in its client's language on delivery ([`AuthResponse::in_lang`](crate::AuthResponse)).
//! The record is per thread and stays until the next call: a blocking call whose own
//! listener (`sign_in_by_qr_code_blocking`'s `on_status`) runs a call of a client in another
//! language on the same thread would describe its later local failures in that language.
//! Routing the language through every `AuthResponse::from_error` would close that; it is
//! not worth 70 signatures today.

use std::borrow::Cow;
use std::cell::Cell;

use crate::client::config::Lang;
use crate::error::{AuthError, InputError};

thread_local! {
    /// The language of the call running on this thread (its client's), `None` before any.
    static CALL_LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Records `lang` as the language of the call starting on this thread: the local failures
/// it answers are described in it.
pub(crate) fn enter(lang: Lang) {
    CALL_LANG.with(|cell| cell.set(Some(lang)));
}

/// The language of the call running on this thread, or the default ([`Lang::ZhCn`], the
/// server's) on a thread that has run none.
pub(crate) fn call_lang() -> Lang {
    CALL_LANG.with(Cell::get).unwrap_or_default()
}

/// One text in each language the server speaks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text {
    /// English, `en-US`: the key, and what `Display` prints.
    pub(crate) en: &'static str,
    /// Simplified Chinese, `zh-CN`.
    pub(crate) zh_cn: &'static str,
    /// Traditional Chinese, `zh-TW`.
    pub(crate) zh_tw: &'static str,
    /// Japanese, `ja-JP`.
    pub(crate) ja: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub(crate) fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh_cn,
            Lang::EnUs => self.en,
            Lang::JaJp => self.ja,
            Lang::ZhTw => self.zh_tw,
        }
    }

    /// Every language's text, English first.
    #[cfg(test)]
    pub(crate) fn all(&self) -> [(Lang, &'static str); 4] {
        [
            (Lang::EnUs, self.en),
            (Lang::ZhCn, self.zh_cn),
            (Lang::ZhTw, self.zh_tw),
            (Lang::JaJp, self.ja),
        ]
    }
}

/// Shorthand for a catalogue entry: English, Simplified Chinese, Traditional Chinese,
/// Japanese.
const fn t(en: &'static str, zh_cn: &'static str, zh_tw: &'static str, ja: &'static str) -> Text {
    Text {
        en,
        zh_cn,
        zh_tw,
        ja,
    }
}

/// The kind of a local failure: one head each, whose English is the error's `Display`.
///
/// Placeholders: `{reason}`, `{phase}`, `{limit}`, `{status}`, `{detail}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Timeout,
    Connection,
    UnreadableBody,
    BodyTooLarge,
    HttpStatus,
    UnexpectedResponse,
    InvalidInput,
    Cancelled,
    Config,
    Encryption,
    Rejected,
    NotSignedIn,
    TokenStore,
    NoMfaChallenge,
    Internal,
    QrCodeNotAuthorized,
    PushNotAuthorized,
    Oidc,
    Passkey,
}

impl Kind {
    /// Every kind, for the catalogue's own checks.
    #[cfg(test)]
    pub(crate) const ALL: [Kind; 19] = [
        Kind::Timeout,
        Kind::Connection,
        Kind::UnreadableBody,
        Kind::BodyTooLarge,
        Kind::HttpStatus,
        Kind::UnexpectedResponse,
        Kind::InvalidInput,
        Kind::Cancelled,
        Kind::Config,
        Kind::Encryption,
        Kind::Rejected,
        Kind::NotSignedIn,
        Kind::TokenStore,
        Kind::NoMfaChallenge,
        Kind::Internal,
        Kind::QrCodeNotAuthorized,
        Kind::PushNotAuthorized,
        Kind::Oidc,
        Kind::Passkey,
    ];

    /// The head of a message of this kind.
    pub(crate) fn text(self) -> Text {
        match self {
            Kind::Timeout => t(
                "request timed out ({phase})",
                "请求超时（{phase}）",
                "請求逾時（{phase}）",
                "リクエストがタイムアウトしました（{phase}）",
            ),
            Kind::Connection => t(
                "connection failed: {reason}",
                "网络连接失败：{reason}",
                "網路連線失敗：{reason}",
                "接続に失敗しました：{reason}",
            ),
            Kind::UnreadableBody => t(
                "unreadable response body: {reason}",
                "无法读取响应内容：{reason}",
                "無法讀取回應內容：{reason}",
                "レスポンス本文を読み取れません：{reason}",
            ),
            Kind::BodyTooLarge => t(
                "response body exceeds the limit of {limit} bytes",
                "响应内容超过了 {limit} 字节的上限",
                "回應內容超過了 {limit} 位元組的上限",
                "レスポンス本文が上限の {limit} バイトを超えています",
            ),
            Kind::HttpStatus => t(
                "http status {status}",
                "HTTP 状态码 {status}",
                "HTTP 狀態碼 {status}",
                "HTTP ステータス {status}",
            ),
            Kind::UnexpectedResponse => t(
                "unexpected response: {reason}",
                "响应不符合预期：{reason}",
                "回應不符合預期：{reason}",
                "予期しないレスポンスです：{reason}",
            ),
            Kind::InvalidInput => t(
                "invalid input: {detail}",
                "参数错误：{detail}",
                "參數錯誤：{detail}",
                "入力値が正しくありません：{detail}",
            ),
            Kind::Cancelled => t(
                "request cancelled",
                "请求已取消",
                "請求已取消",
                "リクエストはキャンセルされました",
            ),
            Kind::Config => t(
                "config not found: {reason}",
                "未找到配置：{reason}",
                "找不到設定：{reason}",
                "設定が見つかりません：{reason}",
            ),
            Kind::Encryption => t(
                "password encryption failed: {reason}",
                "密码加密失败：{reason}",
                "密碼加密失敗：{reason}",
                "パスワードの暗号化に失敗しました：{reason}",
            ),
            Kind::Rejected => t(
                "request rejected: {reason}",
                "请求被拒绝：{reason}",
                "請求被拒絕：{reason}",
                "リクエストは拒否されました：{reason}",
            ),
            Kind::NotSignedIn => t(
                "not signed in: {reason}",
                "尚未登录：{reason}",
                "尚未登入：{reason}",
                "サインインしていません：{reason}",
            ),
            Kind::TokenStore => t(
                "token store failed: {reason}",
                "令牌存储失败：{reason}",
                "權杖儲存失敗：{reason}",
                "トークンストアでエラーが発生しました：{reason}",
            ),
            Kind::NoMfaChallenge => t(
                "no mfa challenge: {reason}",
                "没有待完成的 MFA 验证：{reason}",
                "沒有待完成的 MFA 驗證：{reason}",
                "完了待ちの MFA 認証がありません：{reason}",
            ),
            Kind::Internal => t(
                "internal error: {reason}",
                "SDK 内部错误：{reason}",
                "SDK 內部錯誤：{reason}",
                "SDK の内部エラー：{reason}",
            ),
            Kind::QrCodeNotAuthorized => t(
                "qr code sign-in not authorized ({status}): {reason}",
                "扫码登录未获授权（{status}）：{reason}",
                "掃碼登入未獲授權（{status}）：{reason}",
                "QR コードによるサインインは承認されませんでした（{status}）：{reason}",
            ),
            Kind::PushNotAuthorized => t(
                "push sign-in not authorized ({status}): {reason}",
                "推送登录未获授权（{status}）：{reason}",
                "推播登入未獲授權（{status}）：{reason}",
                "プッシュ通知によるサインインは承認されませんでした（{status}）：{reason}",
            ),
            Kind::Passkey => t(
                "passkey failed: {reason}",
                "通行密钥失败：{reason}",
                "通行金鑰失敗：{reason}",
                "パスキーに失敗しました：{reason}",
            ),
            // An OidcError's Display is the whole English message (the variant is
            // transparent); the other languages name what failed first.
            Kind::Oidc => t(
                "{reason}",
                "OIDC 登录失败：{reason}",
                "OIDC 登入失敗：{reason}",
                "OIDC によるサインインに失敗しました：{reason}",
            ),
        }
    }
}

/// What a [`Pattern`]'s `{}` may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Capture {
    /// A whole number (a limit).
    Number,
    /// Any text that is not empty (a list of names, a method, an OS error).
    Any,
}

/// A phrase with one `{}` in each language, for the number or name the SDK puts in it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pattern {
    pub(crate) text: Text,
    pub(crate) capture: Capture,
}

const fn p(capture: Capture, text: Text) -> Pattern {
    Pattern { text, capture }
}

/// The problems of an [`InputError`], keyed by their English text (the `problem` field).
/// Each translation names the field with `{field}`, where its language puts it.
pub(crate) const PROBLEMS: &[Text] = &[
    t("is missing", "缺少 {field}", "缺少 {field}", "{field} が指定されていません"),
    t("is empty", "{field} 不能为空", "{field} 不能為空", "{field} が空です"),
    t(
        "is only whitespace",
        "{field} 不能只包含空白字符",
        "{field} 不能只包含空白字元",
        "{field} が空白文字だけです",
    ),
    t(
        "is not an email address",
        "{field} 不是有效的邮箱地址",
        "{field} 不是有效的電子郵件地址",
        "{field} は有効なメールアドレスではありません",
    ),
    t(
        "contains whitespace or control characters",
        "{field} 不能包含空白字符或控制字符",
        "{field} 不能包含空白字元或控制字元",
        "{field} に空白文字または制御文字が含まれています",
    ),
    t(
        "contains control characters",
        "{field} 不能包含控制字符",
        "{field} 不能包含控制字元",
        "{field} に制御文字が含まれています",
    ),
    t(
        "contains whitespace",
        "{field} 不能包含空白字符",
        "{field} 不能包含空白字元",
        "{field} に空白文字が含まれています",
    ),
    t(
        "must contain digits only",
        "{field} 只能包含数字",
        "{field} 只能包含數字",
        "{field} には数字だけを使用してください",
    ),
    t(
        "must contain letters or digits only",
        "{field} 只能包含字母或数字",
        "{field} 只能包含字母或數字",
        "{field} には英字と数字だけを使用してください",
    ),
    t(
        "must contain letters, digits and dashes only",
        "{field} 只能包含字母、数字和连字符",
        "{field} 只能包含字母、數字和連字號",
        "{field} には英字、数字、ハイフンだけを使用してください",
    ),
    t(
        "must contain visible ascii characters only",
        "{field} 只能包含可见的 ASCII 字符",
        "{field} 只能包含可見的 ASCII 字元",
        "{field} には表示可能な ASCII 文字だけを使用してください",
    ),
    t(
        "must be visible ascii without spaces",
        "{field} 只能包含可见的 ASCII 字符，且不能有空格",
        "{field} 只能包含可見的 ASCII 字元，且不能有空格",
        "{field} には空白を含まない表示可能な ASCII 文字を使用してください",
    ),
    t(
        "must be exactly 6 digits",
        "{field} 必须是 6 位数字",
        "{field} 必須是 6 位數字",
        "{field} は 6 桁の数字で指定してください",
    ),
    t(
        "starts with '+'; put the country code in phone_country_code and the national number here",
        "{field} 不能以“+”开头；请将国家/地区代码填入 phone_country_code，此处只填国内号码",
        "{field} 不能以「+」開頭；請將國碼填入 phone_country_code，此處只填國內號碼",
        "{field} が「+」で始まっています。国番号は phone_country_code に、ここには国内の番号を指定してください",
    ),
    t(
        "must be 1 to 4 digits, with or without a leading '+', such as \"+86\"",
        "{field} 必须是 1 到 4 位数字，可带前导“+”，例如“+86”",
        "{field} 必須是 1 到 4 位數字，可帶前導「+」，例如「+86」",
        "{field} は 1～4 桁の数字で指定してください（先頭の「+」は任意です。例：「+86」）",
    ),
    t(
        "starts with 0, which is a dialling prefix, not part of a country code; write \"+86\" rather than \"0086\"",
        "{field} 以 0 开头，0 是国际拨号前缀，不属于国家/地区代码；请写“+86”而不是“0086”",
        "{field} 以 0 開頭，0 是國際冠碼，不屬於國碼；請寫「+86」而不是「0086」",
        "{field} が 0 で始まっています。0 は国際電話の発信番号で、国番号の一部ではありません。「0086」ではなく「+86」と指定してください",
    ),
    t(
        "is not an ipv4 or ipv6 address",
        "{field} 不是有效的 IPv4 或 IPv6 地址",
        "{field} 不是有效的 IPv4 或 IPv6 位址",
        "{field} は有効な IPv4 アドレスでも IPv6 アドレスでもありません",
    ),
    t(
        "must be a json object",
        "{field} 必须是 JSON 对象",
        "{field} 必須是 JSON 物件",
        "{field} は JSON オブジェクトで指定してください",
    ),
    t(
        "must be M, F or U",
        "{field} 必须是 M、F 或 U",
        "{field} 必須是 M、F 或 U",
        "{field} は M、F、U のいずれかで指定してください",
    ),
    t(
        "is after end",
        "{field} 不能晚于 end",
        "{field} 不能晚於 end",
        "{field} が end より後になっています",
    ),
    t(
        "is 0; pages count from 1",
        "{field} 不能为 0，页码从 1 开始",
        "{field} 不能為 0，頁碼從 1 開始",
        "{field} が 0 です。ページ番号は 1 から始まります",
    ),
    t(
        "sets no field; set at least one (a nickname, a photo, ...) to update",
        "{field} 未设置任何字段；请至少设置一项（如昵称、头像）再更新",
        "{field} 未設定任何欄位；請至少設定一項（如暱稱、頭像）再更新",
        "{field} に項目が設定されていません。ニックネームや写真など、更新する項目を 1 つ以上設定してください",
    ),
    t(
        "is not base32 (letters A to Z and digits 2 to 7)",
        "{field} 不是 Base32 编码（只能包含字母 A 到 Z 和数字 2 到 7）",
        "{field} 不是 Base32 編碼（只能包含字母 A 到 Z 和數字 2 到 7）",
        "{field} が Base32 形式ではありません（使用できるのは英字 A～Z と数字 2～7 です）",
    ),
    t(
        "is not a PNG, JPEG, GIF or WebP image",
        "{field} 不是 PNG、JPEG、GIF 或 WebP 图片",
        "{field} 不是 PNG、JPEG、GIF 或 WebP 圖片",
        "{field} は PNG、JPEG、GIF、WebP のいずれの画像でもありません",
    ),
    t(
        "must start with /",
        "{field} 必须以 / 开头",
        "{field} 必須以 / 開頭",
        "{field} は / で始めてください",
    ),
    t(
        "must be at most 256 visible ascii characters without ? or #",
        "{field} 最多 256 个可见的 ASCII 字符，且不能包含 ? 或 #",
        "{field} 最多 256 個可見的 ASCII 字元，且不能包含 ? 或 #",
        "{field} は ? と # を含まない、256 文字以内の表示可能な ASCII 文字で指定してください",
    ),
    t(
        "must be an absolute url",
        "{field} 必须是绝对 URL",
        "{field} 必須是絕對 URL",
        "{field} は絶対 URL で指定してください",
    ),
    t(
        "must not have a fragment (rfc 6749 section 3.1.2)",
        "{field} 不能包含片段（#，见 RFC 6749 第 3.1.2 节）",
        "{field} 不能包含片段（#，見 RFC 6749 第 3.1.2 節）",
        "{field} にフラグメント（#）を含めることはできません（RFC 6749 3.1.2 節）",
    ),
    t(
        "must be printable ascii (rfc 6749's vschar)",
        "{field} 只能包含可打印的 ASCII 字符（RFC 6749 的 VSCHAR）",
        "{field} 只能包含可列印的 ASCII 字元（RFC 6749 的 VSCHAR）",
        "{field} には印字可能な ASCII 文字（RFC 6749 の VSCHAR）だけを使用してください",
    ),
    t(
        "must be visible ascii words separated by spaces",
        "{field} 必须是以空格分隔的可见 ASCII 单词",
        "{field} 必須是以空格分隔的可見 ASCII 單字",
        "{field} は表示可能な ASCII 文字の単語を空白で区切って指定してください",
    ),
    t(
        "must contain openid",
        "{field} 必须包含 openid",
        "{field} 必須包含 openid",
        "{field} には openid を含めてください",
    ),
    t(
        "must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (rfc 7636)",
        "{field} 必须由 43 到 128 个 A-Z a-z 0-9 - . _ ~ 字符组成（RFC 7636）",
        "{field} 必須由 43 到 128 個 A-Z a-z 0-9 - . _ ~ 字元組成（RFC 7636）",
        "{field} は A-Z a-z 0-9 - . _ ~ からなる 43～128 文字で指定してください（RFC 7636）",
    ),
    t(
        "must be from 50 ms to 60 s",
        "{field} 必须在 50 毫秒到 60 秒之间",
        "{field} 必須在 50 毫秒到 60 秒之間",
        "{field} は 50 ミリ秒から 60 秒の範囲で指定してください",
    ),
    t(
        "must be from 100 ms to 24 h",
        "{field} 必须在 100 毫秒到 24 小时之间",
        "{field} 必須在 100 毫秒到 24 小時之間",
        "{field} は 100 ミリ秒から 24 時間の範囲で指定してください",
    ),
    t(
        "has expired; verify a new passcode to get a new token",
        "{field} 已过期；请重新验证验证码以获取新的凭证",
        "{field} 已過期；請重新驗證驗證碼以取得新的憑證",
        "{field} の有効期限が切れています。新しい認証コードを検証して新しいトークンを取得してください",
    ),
    t(
        "is set, but the verify method is PHONE_PASSCODE; clear it or use EMAIL_PASSCODE",
        "已设置 {field}，但验证方式是 PHONE_PASSCODE；请清除它，或改用 EMAIL_PASSCODE",
        "已設定 {field}，但驗證方式是 PHONE_PASSCODE；請清除它，或改用 EMAIL_PASSCODE",
        "{field} が設定されていますが、検証方法は PHONE_PASSCODE です。{field} を消去するか、EMAIL_PASSCODE を使用してください",
    ),
    t(
        "is set, but the verify method is EMAIL_PASSCODE; clear it or use PHONE_PASSCODE",
        "已设置 {field}，但验证方式是 EMAIL_PASSCODE；请清除它，或改用 PHONE_PASSCODE",
        "已設定 {field}，但驗證方式是 EMAIL_PASSCODE；請清除它，或改用 PHONE_PASSCODE",
        "{field} が設定されていますが、検証方法は EMAIL_PASSCODE です。{field} を消去するか、PHONE_PASSCODE を使用してください",
    ),
    t(
        "is set without old_phone_number",
        "设置了 {field}，但没有设置 old_phone_number",
        "設定了 {field}，但沒有設定 old_phone_number",
        "old_phone_number がないまま {field} が設定されています",
    ),
    t(
        "is missing; the old number needs its passcode",
        "缺少 {field}：旧手机号需要对应的验证码",
        "缺少 {field}：舊手機號碼需要對應的驗證碼",
        "{field} が指定されていません。旧電話番号には認証コードが必要です",
    ),
    t(
        "is missing; the old passcode needs its number",
        "缺少 {field}：旧手机号的验证码需要对应的手机号",
        "缺少 {field}：舊手機號碼的驗證碼需要對應的手機號碼",
        "{field} が指定されていません。旧電話番号の認証コードには電話番号が必要です",
    ),
    t(
        "is missing; the old email needs its passcode",
        "缺少 {field}：旧邮箱需要对应的验证码",
        "缺少 {field}：舊電子郵件地址需要對應的驗證碼",
        "{field} が指定されていません。旧メールアドレスには認証コードが必要です",
    ),
    t(
        "is missing; the old passcode needs its email",
        "缺少 {field}：旧邮箱的验证码需要对应的邮箱",
        "缺少 {field}：舊電子郵件地址的驗證碼需要對應的電子郵件地址",
        "{field} が指定されていません。旧メールアドレスの認証コードにはメールアドレスが必要です",
    ),
    t(
        "is the same as old_password; choose a different one",
        "{field} 与 old_password 相同，请设置一个不同的密码",
        "{field} 與 old_password 相同，請設定一個不同的密碼",
        "{field} が old_password と同じです。別のパスワードを指定してください",
    ),
    t(
        "FACE is not supported by this sdk (it needs a photo upload); use OTP, SMS or EMAIL",
        "{field}：本 SDK 不支持 FACE（需要上传照片），请使用 OTP、SMS 或 EMAIL",
        "{field}：本 SDK 不支援 FACE（需要上傳照片），請使用 OTP、SMS 或 EMAIL",
        "{field}：この SDK は FACE に対応していません（写真のアップロードが必要なため）。OTP、SMS、EMAIL のいずれかを使用してください",
    ),
];

/// The problems of an [`InputError`] with a number or a name in them.
pub(crate) const PROBLEM_PATTERNS: &[Pattern] = &[
    p(
        Capture::Number,
        t(
            "is longer than {} characters",
            "{field} 不能超过 {} 个字符",
            "{field} 不能超過 {} 個字元",
            "{field} は {} 文字以内で指定してください",
        ),
    ),
    p(
        Capture::Number,
        t(
            "is longer than {} bytes",
            "{field} 不能超过 {} 字节",
            "{field} 不能超過 {} 位元組",
            "{field} は {} バイト以内で指定してください",
        ),
    ),
    p(
        Capture::Number,
        t(
            "is longer than {} digits",
            "{field} 不能超过 {} 位数字",
            "{field} 不能超過 {} 位數字",
            "{field} は {} 桁以内で指定してください",
        ),
    ),
    p(
        Capture::Number,
        t(
            "must be 1 to {}",
            "{field} 必须在 1 到 {} 之间",
            "{field} 必須在 1 到 {} 之間",
            "{field} は 1～{} の範囲で指定してください",
        ),
    ),
    p(
        Capture::Number,
        t(
            "is larger than {} bytes (5 MiB); make it smaller",
            "{field} 超过了 {} 字节（5 MiB）的上限，请缩小后再试",
            "{field} 超過了 {} 位元組（5 MiB）的上限，請縮小後再試",
            "{field} が上限の {} バイト（5 MiB）を超えています。サイズを小さくしてください",
        ),
    ),
    p(
        Capture::Any,
        t(
            "is not one of {}",
            "{field} 必须是以下值之一：{}",
            "{field} 必須是以下值之一：{}",
            "{field} は次のいずれかで指定してください：{}",
        ),
    ),
    p(
        Capture::Any,
        t(
            "has expired; call {} again for a new token",
            "{field} 已过期；请再次调用 {} 获取新的凭证",
            "{field} 已過期；請再次呼叫 {} 取得新的憑證",
            "{field} の有効期限が切れています。{} をもう一度呼び出して新しいトークンを取得してください",
        ),
    ),
    p(
        Capture::Any,
        t(
            "is set, but the verify method is {}; clear it or use another method",
            "已设置 {field}，但验证方式是 {}；请清除它，或改用其他验证方式",
            "已設定 {field}，但驗證方式是 {}；請清除它，或改用其他驗證方式",
            "{field} が設定されていますが、検証方法は {} です。{field} を消去するか、別の検証方法を使用してください",
        ),
    ),
    p(
        Capture::Any,
        t(
            "cannot be read: {}",
            "无法读取 {field}：{}",
            "無法讀取 {field}：{}",
            "{field} を読み取れません：{}",
        ),
    ),
];

/// The fixed reasons the SDK gives after a kind's head (not signed in, no configuration,
/// no MFA challenge, a QR code not authorized), keyed by their English text.
pub(crate) const REASONS: &[Text] = &[
    t(
        "no app id or app host; call Authing::init(app_id), set AUTHING_APP_ID or AUTHING_APP_HOST, or use AuthClient::builder()",
        "没有 app id 或 app host；请调用 Authing::init(app_id)，设置 AUTHING_APP_ID 或 AUTHING_APP_HOST，或使用 AuthClient::builder()",
        "沒有 app id 或 app host；請呼叫 Authing::init(app_id)，設定 AUTHING_APP_ID 或 AUTHING_APP_HOST，或使用 AuthClient::builder()",
        "app id も app host もありません。Authing::init(app_id) を呼び出すか、AUTHING_APP_ID または AUTHING_APP_HOST を設定するか、AuthClient::builder() を使用してください",
    ),
    t(
        "the openid connect calls need the app id (client_id); give one with Authing::init or the builder's app_id",
        "OpenID Connect 调用需要 app id（client_id）；请通过 Authing::init 或 builder 的 app_id 提供",
        "OpenID Connect 呼叫需要 app id（client_id）；請透過 Authing::init 或 builder 的 app_id 提供",
        "OpenID Connect の呼び出しには app id（client_id）が必要です。Authing::init またはビルダーの app_id で指定してください",
    ),
    t(
        "no user is signed in; sign in first",
        "当前没有已登录的用户，请先登录",
        "目前沒有已登入的使用者，請先登入",
        "サインインしているユーザーがいません。先にサインインしてください",
    ),
    t(
        "the session has expired and holds no refresh token; sign in again",
        "会话已过期，且没有 refresh token，请重新登录",
        "工作階段已過期，且沒有 refresh token，請重新登入",
        "セッションの有効期限が切れており、リフレッシュトークンもありません。もう一度サインインしてください",
    ),
    t(
        "the session holds no refresh token (sign in with the offline_access scope to get one)",
        "会话中没有 refresh token（登录时请求 offline_access scope 即可获得）",
        "工作階段中沒有 refresh token（登入時請求 offline_access scope 即可取得）",
        "セッションにリフレッシュトークンがありません（offline_access スコープを指定してサインインすると取得できます）",
    ),
    t(
        "the session holds no id token; pass one as id_token, or sign in again",
        "会话中没有 id token；请通过 id_token 传入，或重新登录",
        "工作階段中沒有 id token；請透過 id_token 傳入，或重新登入",
        "セッションに ID トークンがありません。id_token で渡すか、もう一度サインインしてください",
    ),
    t(
        "no sign-in is waiting for a second factor (none asked, it was completed, or it ended); sign in first",
        "没有等待第二因素验证的登录（未要求验证、已完成或已结束），请先登录",
        "沒有等待第二因素驗證的登入（未要求驗證、已完成或已結束），請先登入",
        "二要素目の認証を待っているサインインはありません（要求されていないか、完了済みか、終了しています）。先にサインインしてください",
    ),
    t(
        "the user cancelled on the phone",
        "用户已在手机上取消",
        "使用者已在手機上取消",
        "ユーザーがスマートフォンでキャンセルしました",
    ),
    t(
        "the qr code expired before the user confirmed it",
        "二维码在用户确认前已过期",
        "QR 碼在使用者確認前已過期",
        "ユーザーが確認する前に QR コードの有効期限が切れました",
    ),
    t(
        "the server reported an error for the qr code",
        "服务器报告该二维码出错",
        "伺服器回報該 QR 碼發生錯誤",
        "サーバーがこの QR コードのエラーを報告しました",
    ),
    t(
        "the user refused on the phone",
        "用户已在手机上拒绝",
        "使用者已在手機上拒絕",
        "ユーザーがスマートフォンで拒否しました",
    ),
    t(
        "the push expired before the user approved it",
        "推送在用户同意前已过期",
        "推播在使用者同意前已過期",
        "ユーザーが承認する前にプッシュ通知の有効期限が切れました",
    ),
    t(
        "the server reported an error for the push",
        "服务器报告该推送出错",
        "伺服器回報該推播發生錯誤",
        "サーバーがこのプッシュ通知のエラーを報告しました",
    ),
];

/// The reasons with a number or a name in them.
pub(crate) const REASON_PATTERNS: &[Pattern] = &[
    p(
        Capture::Any,
        t(
            "the server refused the session's refresh token ({}); sign in again",
            "服务器拒绝了会话的 refresh token（{}），请重新登录",
            "伺服器拒絕了工作階段的 refresh token（{}），請重新登入",
            "サーバーがセッションのリフレッシュトークンを拒否しました（{}）。もう一度サインインしてください",
        ),
    ),
    p(
        Capture::Any,
        t(
            "app discovery failed: {}",
            "获取应用配置失败：{}",
            "取得應用程式設定失敗：{}",
            "アプリ設定の取得に失敗しました：{}",
        ),
    ),
    p(
        Capture::Number,
        t(
            "the queue holds {} calls already, its limit",
            "队列中已有 {} 个调用，达到上限",
            "佇列中已有 {} 個呼叫，達到上限",
            "キューには既に上限の {} 件の呼び出しがあります",
        ),
    ),
];

/// `english` in `lang`: the exact phrase, else the pattern it fits (its `{}` filled with
/// what it stood for), else `english` itself.
fn phrase<'a>(
    english: &'a str,
    lang: Lang,
    exact: &[Text],
    patterns: &[Pattern],
) -> Option<Cow<'a, str>> {
    if let Some(text) = exact.iter().find(|text| text.en == english) {
        return Some(Cow::Borrowed(text.get(lang)));
    }
    patterns.iter().find_map(|pattern| {
        let (before, after) = pattern.text.en.split_once("{}")?;
        let middle = english.strip_prefix(before)?.strip_suffix(after)?;
        let fits = match pattern.capture {
            Capture::Number => !middle.is_empty() && middle.bytes().all(|b| b.is_ascii_digit()),
            Capture::Any => !middle.is_empty(),
        };
        fits.then(|| Cow::Owned(pattern.text.get(lang).replacen("{}", middle, 1)))
    })
}

/// A reason in `lang`, English when the catalogue does not have it.
fn reason(english: &str, lang: Lang) -> Cow<'_, str> {
    phrase(english, lang, REASONS, REASON_PATTERNS).unwrap_or(Cow::Borrowed(english))
}

/// The `{detail}` of an input error in `lang`: the problem with the field named where the
/// language puts it, or the field and the English problem when the catalogue lacks it.
fn input_detail(input: &InputError, lang: Lang) -> String {
    match phrase(&input.problem, lang, PROBLEMS, PROBLEM_PATTERNS) {
        Some(text) if lang != Lang::EnUs => text.replace("{field}", input.field),
        _ => format!("{} {}", input.field, input.problem),
    }
}

/// `template` with each `{name}` replaced by its value in `args` (in one pass, so that a
/// value that holds braces is left as it is).
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let named = after.find('}').and_then(|close| {
            let name = &after[1..close];
            let value = args.iter().find(|(key, _)| *key == name)?.1;
            Some((value, close))
        });
        match named {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The description of `error` in `lang`, as a response's `message()` gives it.
///
/// English is the error's `Display`. A server's business error ([`AuthError::Api`]) is
/// the server's own message, in the language the server chose.
pub(crate) fn describe(error: &AuthError, lang: Lang) -> String {
    if lang == Lang::EnUs {
        return match error {
            AuthError::Api(api) => api.message.clone(),
            other => other.to_string(),
        };
    }
    let head = |kind: Kind, args: &[(&str, &str)]| fill(kind.text().get(lang), args);
    match error {
        AuthError::Api(api) => api.message.clone(),
        AuthError::Timeout { phase, .. } => head(Kind::Timeout, &[("phase", phase)]),
        AuthError::Connection { reason: why, .. } => {
            head(Kind::Connection, &[("reason", &reason(why, lang))])
        }
        AuthError::UnreadableBody { reason: why, .. } => {
            head(Kind::UnreadableBody, &[("reason", &reason(why, lang))])
        }
        AuthError::BodyTooLarge { limit } => {
            head(Kind::BodyTooLarge, &[("limit", &limit.to_string())])
        }
        AuthError::HttpStatus { status } => {
            head(Kind::HttpStatus, &[("status", &status.to_string())])
        }
        AuthError::UnexpectedResponse { reason: why } => {
            head(Kind::UnexpectedResponse, &[("reason", &reason(why, lang))])
        }
        AuthError::InvalidInput(input) => head(
            Kind::InvalidInput,
            &[("detail", &input_detail(input, lang))],
        ),
        AuthError::Cancelled => head(Kind::Cancelled, &[]),
        AuthError::Config(why) => head(Kind::Config, &[("reason", &reason(why, lang))]),
        AuthError::Encryption { reason: why } => {
            head(Kind::Encryption, &[("reason", &reason(why, lang))])
        }
        AuthError::Rejected(why) => head(Kind::Rejected, &[("reason", &reason(why, lang))]),
        AuthError::NotSignedIn { reason: why } => {
            head(Kind::NotSignedIn, &[("reason", &reason(why, lang))])
        }
        AuthError::TokenStore(store) => head(
            Kind::TokenStore,
            &[("reason", &reason(store.reason(), lang))],
        ),
        AuthError::NoMfaChallenge { reason: why } => {
            head(Kind::NoMfaChallenge, &[("reason", &reason(why, lang))])
        }
        AuthError::Internal(why) => head(Kind::Internal, &[("reason", &reason(why, lang))]),
        AuthError::QrCodeNotAuthorized {
            status,
            reason: why,
        } => head(
            Kind::QrCodeNotAuthorized,
            &[
                ("status", &status.to_string()),
                ("reason", &reason(why, lang)),
            ],
        ),
        AuthError::PushNotAuthorized {
            status,
            reason: why,
        } => head(
            Kind::PushNotAuthorized,
            &[
                ("status", &status.to_string()),
                ("reason", &reason(why, lang)),
            ],
        ),
        AuthError::Oidc(oidc) => head(Kind::Oidc, &[("reason", &oidc.to_string())]),
        AuthError::Passkey { reason: why } => {
            head(Kind::Passkey, &[("reason", &reason(why, lang))])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}` placeholders of a text, sorted, with repeats kept once.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(at, _)| {
                let close = text[at..].find('}')?;
                Some(&text[at..at + close + 1])
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    fn has_cjk(text: &str) -> bool {
        text.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_kind_has_all_four_languages_with_the_same_placeholders() {
        for kind in Kind::ALL {
            let text = kind.text();
            for (lang, translated) in text.all() {
                assert!(!translated.trim().is_empty(), "{kind:?} {lang}");
                assert_eq!(
                    placeholders(translated),
                    placeholders(text.en),
                    "{kind:?} {lang}"
                );
                if lang != Lang::EnUs {
                    assert!(has_cjk(translated), "{kind:?} {lang} is not translated");
                }
            }
        }
    }

    #[test]
    fn every_phrase_has_all_four_languages_with_its_placeholders() {
        let exact = PROBLEMS.iter().chain(REASONS).map(|text| (text, 0));
        let patterns = PROBLEM_PATTERNS
            .iter()
            .chain(REASON_PATTERNS)
            .map(|pattern| (&pattern.text, 1));
        for (text, holes) in exact.chain(patterns) {
            let is_problem = PROBLEMS
                .iter()
                .chain(PROBLEM_PATTERNS.iter().map(|p| &p.text))
                .any(|p| p.en == text.en);
            assert_eq!(text.en.matches("{}").count(), holes, "{}", text.en);
            assert!(!text.en.contains("{field}"), "{}", text.en);
            for (lang, translated) in text.all().into_iter().skip(1) {
                assert!(
                    has_cjk(translated),
                    "{lang} of {:?} is not translated",
                    text.en
                );
                assert_eq!(
                    translated.matches("{}").count(),
                    holes,
                    "{lang} of {}",
                    text.en
                );
                assert_eq!(
                    translated.contains("{field}"),
                    is_problem,
                    "{lang} of {:?} must name the field where a problem does",
                    text.en
                );
            }
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = PROBLEMS
            .iter()
            .chain(REASONS)
            .chain(PROBLEM_PATTERNS.iter().map(|p| &p.text))
            .chain(REASON_PATTERNS.iter().map(|p| &p.text))
            .map(|text| text.en)
            .collect();
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count);
    }

    #[test]
    fn fill_replaces_names_once_and_leaves_braces_in_values() {
        assert_eq!(
            fill("a {x} b {y}", &[("x", "{y}"), ("y", "2")]),
            "a {y} b 2"
        );
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }

    #[test]
    fn patterns_fill_their_hole_and_numbers_must_be_numbers() {
        let long = InputError::new("email", "is longer than 320 bytes");
        assert_eq!(input_detail(&long, Lang::ZhCn), "email 不能超过 320 字节");
        let odd = InputError::new("limit", "must be 1 to many");
        assert_eq!(input_detail(&odd, Lang::ZhCn), "limit must be 1 to many");
        let one_of = InputError::new("kind", "is not one of A, B");
        assert_eq!(
            input_detail(&one_of, Lang::JaJp),
            "kind は次のいずれかで指定してください：A, B"
        );
    }

    #[test]
    fn an_unknown_phrase_stays_english_inside_the_translated_head() {
        let error = AuthError::from(InputError::new("nickname", "rhymes with orange"));
        assert_eq!(
            describe(&error, Lang::ZhCn),
            "参数错误：nickname rhymes with orange"
        );
        let error = AuthError::NotSignedIn {
            reason: "the moon is down".into(),
        };
        assert_eq!(describe(&error, Lang::ZhTw), "尚未登入：the moon is down");
    }

    #[test]
    fn the_call_language_is_per_thread_and_defaults_to_the_servers() {
        std::thread::spawn(|| {
            assert_eq!(call_lang(), Lang::ZhCn);
            enter(Lang::JaJp);
            assert_eq!(call_lang(), Lang::JaJp);
        })
        .join()
        .unwrap();
    }
}
