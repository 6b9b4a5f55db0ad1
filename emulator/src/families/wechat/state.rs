//! The emulator playing WeChat's servers for a mini program and an official account, with
//! fixed test data: what `wx.login` and the open-data APIs hand a mini program (a login
//! code bound to a session key, the user's open data encrypted with that key, a phone
//! code), and the access token WeChat issues for an app id and secret.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use serde_json::{json, Value};

use crate::core::codec;
use crate::core::random;
use crate::core::state::unix_secs;

/// The app id of the WeChat mini program (or official account) the emulator plays: what
/// `get-wechat-access-token-info` takes with [`WECHAT_TEST_APP_SECRET`], and the
/// `watermark.appid` of its open data.
pub const WECHAT_TEST_APP_ID: &str = "wx4f4bc4dec97d474b";
/// The app secret of [`WECHAT_TEST_APP_ID`] **(the emulator's own test value)**.
pub const WECHAT_TEST_APP_SECRET: &str = "emulator-wechat-app-secret";
/// The phone number WeChat gives for every phone code: `+86 13800138000`.
pub const WECHAT_TEST_PHONE: &str = "13800138000";
/// How long a login code and a phone code of the emulator's WeChat are good: five
/// minutes, as WeChat documents for `wx.login`'s code.
pub const WECHAT_CODE_TTL: Duration = Duration::from_secs(300);
/// How long WeChat's access token lives: 7200 s, as WeChat documents.
pub const WECHAT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(7200);

/// The open data of the mini program's user: WeChat's own documented sample (its
/// `encryptedData` example decrypts to this), the watermark's timestamp made now.
fn open_data(now: SystemTime) -> Value {
    json!({
        "openId": "oGZUI0egBJY1zhBYw2KhdUfwVJJE",
        "nickName": "Band",
        "gender": 1,
        "language": "zh_CN",
        "city": "Guangzhou",
        "province": "Guangdong",
        "country": "CN",
        "avatarUrl": "http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0",
        "unionId": "ocMvos6NjeKLIBqg5Mr9QjxrP1FA",
        "watermark": { "timestamp": unix_secs(now), "appid": WECHAT_TEST_APP_ID },
    })
}

/// What WeChat hands a mini program at a sign-in, as
/// [`Emulator::wechat_mini_program_login`](crate::Emulator::wechat_mini_program_login)
/// gives it: the values `decrypt-wechat-miniprogram-data` and
/// `get-wechat-miniprogram-phone` take.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// let wx = emulator.wechat_mini_program_login();
/// assert_eq!(wx.iv.len(), 24);
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatMiniProgramLogin {
    /// The identifier of the app's mini program connection (`extIdpConnidentifier`).
    pub ext_idp_conn_identifier: String,
    /// `wx.login`'s code: single use, good for [`WECHAT_CODE_TTL`].
    pub code: String,
    /// The user's open data, AES-128-CBC encrypted with the code's session key, base64.
    pub encrypted_data: String,
    /// The initialisation vector of `encrypted_data`, base64 (16 bytes).
    pub iv: String,
    /// The session key, base64 (16 bytes): WeChat gives it to the server only; here for
    /// tests that encrypt data of their own.
    pub session_key: String,
    /// The `getPhoneNumber` button's code: single use, good for [`WECHAT_CODE_TTL`].
    pub phone_code: String,
}

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeRefusal {
    /// Unknown, used or expired (one answer for the three, as WeChat's `invalid code`).
    Invalid,
    /// The data does not decrypt with the code's session key.
    Undecryptable,
}

/// The emulator's WeChat: live login codes with their session keys, phone codes, and the
/// access token it issued.
#[derive(Default)]
pub(crate) struct Wechat {
    sessions: HashMap<String, ([u8; 16], SystemTime)>,
    phone_codes: HashMap<String, SystemTime>,
    token: Option<(String, SystemTime)>,
}

impl Wechat {
    /// A mini program's sign-in: a fresh code and session key, the open data encrypted
    /// with it, a phone code.
    pub(crate) fn login(&mut self, identifier: &str, now: SystemTime) -> WechatMiniProgramLogin {
        self.sessions.retain(|_, (_, until)| now < *until);
        self.phone_codes.retain(|_, until| now < *until);
        let (mut key, mut iv) = ([0u8; 16], [0u8; 16]);
        random::fill(&mut key);
        random::fill(&mut iv);
        let plain = open_data(now).to_string();
        let encrypted = cbc::Encryptor::<aes::Aes128>::new(&key.into(), &iv.into())
            .encrypt_padded_vec::<Pkcs7>(plain.as_bytes());
        let code = format!("wx-{}", random::token());
        let phone_code = format!("wxphone-{}", random::token());
        self.sessions
            .insert(code.clone(), (key, now + WECHAT_CODE_TTL));
        self.phone_codes
            .insert(phone_code.clone(), now + WECHAT_CODE_TTL);
        WechatMiniProgramLogin {
            ext_idp_conn_identifier: identifier.to_owned(),
            code,
            encrypted_data: codec::base64(&encrypted),
            iv: codec::base64(&iv),
            session_key: codec::base64(&key),
            phone_code,
        }
    }

    /// Decrypts `encrypted` (base64) with the session key of the login code `code`, which
    /// is spent (as WeChat's `jscode2session` spends it): the open data, a JSON object.
    pub(crate) fn decrypt(
        &mut self,
        code: &str,
        encrypted: &str,
        iv: &str,
        now: SystemTime,
    ) -> Result<Value, CodeRefusal> {
        let (key, until) = self.sessions.remove(code).ok_or(CodeRefusal::Invalid)?;
        if now >= until {
            return Err(CodeRefusal::Invalid);
        }
        let iv: [u8; 16] = codec::unbase64(iv)
            .and_then(|v| v.try_into().ok())
            .ok_or(CodeRefusal::Undecryptable)?;
        let encrypted = codec::unbase64(encrypted).ok_or(CodeRefusal::Undecryptable)?;
        let plain = cbc::Decryptor::<aes::Aes128>::new(&key.into(), &iv.into())
            .decrypt_padded_vec::<Pkcs7>(&encrypted)
            .map_err(|_| CodeRefusal::Undecryptable)?;
        match serde_json::from_slice(&plain) {
            Ok(Value::Object(data)) => Ok(Value::Object(data)),
            _ => Err(CodeRefusal::Undecryptable),
        }
    }

    /// Spends a phone code: whether it was live.
    pub(crate) fn take_phone_code(&mut self, code: &str, now: SystemTime) -> bool {
        self.phone_codes
            .remove(code)
            .is_some_and(|until| now < until)
    }

    /// WeChat's access token for the test app: the one issued, until it expires; then a
    /// new one. With its expiry.
    pub(crate) fn access_token(&mut self, now: SystemTime) -> (String, SystemTime) {
        match &self.token {
            Some((token, until)) if now < *until => (token.clone(), *until),
            _ => {
                let issued = (
                    format!("wxat-{}", random::token()),
                    now + WECHAT_ACCESS_TOKEN_TTL,
                );
                self.token = Some(issued.clone());
                issued
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_data_decrypts_once_with_its_codes_session_key() {
        let mut wechat = Wechat::default();
        let now = SystemTime::now();
        let wx = wechat.login("wechat-miniprogram-app-launch", now);
        let data = wechat
            .decrypt(&wx.code, &wx.encrypted_data, &wx.iv, now)
            .unwrap();
        assert_eq!(data["nickName"], "Band");
        assert_eq!(data["watermark"]["appid"], WECHAT_TEST_APP_ID);
        assert_eq!(
            wechat.decrypt(&wx.code, &wx.encrypted_data, &wx.iv, now),
            Err(CodeRefusal::Invalid)
        );
        let other = wechat.login("x", now);
        assert_eq!(
            wechat.decrypt(&other.code, &wx.encrypted_data, &wx.iv, now),
            Err(CodeRefusal::Undecryptable),
            "another session key"
        );
        let late = wechat.login("x", now);
        assert_eq!(
            wechat.decrypt(
                &late.code,
                &late.encrypted_data,
                &late.iv,
                now + WECHAT_CODE_TTL
            ),
            Err(CodeRefusal::Invalid)
        );
        assert!(wechat.take_phone_code(&wx.phone_code, now));
        assert!(!wechat.take_phone_code(&wx.phone_code, now));
    }

    #[test]
    fn the_access_token_is_the_same_until_it_expires() {
        let mut wechat = Wechat::default();
        let now = SystemTime::now();
        let (first, until) = wechat.access_token(now);
        assert_eq!(wechat.access_token(now + Duration::from_secs(10)).0, first);
        assert_ne!(wechat.access_token(until).0, first);
    }
}
