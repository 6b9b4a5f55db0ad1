//! The WeChat helpers (Java: `AuthenticationClient`'s `decryptWechatMiniProgramData`,
//! `getWechatMpAccessToken`, `getWechatMpAccessTokenInfo`; and the spec's
//! `get-wechat-miniprogram-phone`): what Authing's server does with WeChat for a signed-in
//! user of a WeChat mini program or official account. Each call in its callback form and
//! its blocking twin; each sends the session's bearer.

use serde_json::json;

use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{AuthError, InputError};
use crate::response::AuthResponse;
use crate::validate;

/// `decryptWechatMiniProgramData`'s endpoint.
pub(crate) const DECRYPT_PATH: &str = "/api/v3/decrypt-wechat-miniprogram-data";
/// `getWechatMpAccessToken`'s endpoint (deprecated by the spec for the next one).
pub(crate) const ACCESS_TOKEN_PATH: &str = "/api/v3/get-wechat-access-token";
/// `getWechatMpAccessTokenInfo`'s endpoint.
pub(crate) const ACCESS_TOKEN_INFO_PATH: &str = "/api/v3/get-wechat-access-token-info";
/// The mini program phone's endpoint.
pub(crate) const PHONE_PATH: &str = "/api/v3/get-wechat-miniprogram-phone";

/// The longest connection identifier sent, in characters.
const MAX_IDENTIFIER_CHARS: usize = 256;
/// The longest `encryptedData` sent, in bytes: WeChat's open data is a few KiB.
const MAX_ENCRYPTED_BYTES: usize = 64 * 1024;

/// Standard base64 text (`+`, `/`, `=` padding), as WeChat sends `encryptedData` and `iv`.
fn base64_text<'a>(field: &'static str, value: &'a str, max: usize) -> Result<&'a str, InputError> {
    if value.is_empty() {
        return Err(InputError::new(field, "is empty"));
    }
    if value.len() > max {
        return Err(InputError::new(
            field,
            format!("is longer than {max} bytes"),
        ));
    }
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let body = value.trim_end_matches('=');
    if !value.len().is_multiple_of(4) || value.len() - body.len() > 2 || !body.bytes().all(alphabet)
    {
        return Err(InputError::new(field, "must be standard base64 text"));
    }
    Ok(value)
}

/// The checked body of the mini program decryption.
fn decrypt_body(
    identifier: &str,
    encrypted_data: &str,
    iv: &str,
    code: &str,
) -> Result<serde_json::Value, AuthError> {
    let identifier = validate::text(
        "ext_idp_conn_identifier",
        Some(identifier),
        MAX_IDENTIFIER_CHARS,
    )?;
    let encrypted_data = base64_text("encrypted_data", encrypted_data, MAX_ENCRYPTED_BYTES)?;
    let iv = base64_text("iv", iv, 24)?;
    if iv.len() != 24 || !iv.ends_with("==") {
        return Err(InputError::new("iv", "must be 16 bytes in base64 (24 characters)").into());
    }
    let code = validate::code("code", code)?;
    Ok(json!({
        "extIdpConnidentifier": identifier,
        "encryptedData": encrypted_data,
        "iv": iv,
        "code": code,
    }))
}

/// The checked body of the access-token calls.
fn app_body(app_id: &str, app_secret: &str) -> Result<serde_json::Value, AuthError> {
    let app_id = validate::code("app_id", app_id)?;
    let app_secret = validate::token("app_secret", Some(app_secret))?;
    Ok(json!({ "appId": app_id, "appSecret": app_secret }))
}

/// # WeChat helpers (Java: `AuthenticationClient.decryptWechatMiniProgramData`, `getWechatMpAccessToken`, `getWechatMpAccessTokenInfo`)
///
/// For a user signed in through a WeChat mini program: the open data WeChat encrypted for
/// the mini program, decrypted by Authing's server (which holds the session key); the
/// user's phone number; and the access token Authing keeps for the mini program or
/// official account.
impl AuthClient {
    /// Decrypts a WeChat mini program's encrypted open data (Java:
    /// `decryptWechatMiniProgramData`; `POST /api/v3/decrypt-wechat-miniprogram-data`,
    /// `{"extIdpConnidentifier","encryptedData","iv","code"}`, with the session's bearer).
    /// The callback form.
    ///
    /// `ext_idp_conn_identifier` names the app's mini program connection; `encrypted_data`
    /// and `iv` are what the mini program got from WeChat (`wx.getUserInfo` and the like),
    /// `code` what `wx.login` gave it: the server trades the code for WeChat's session key
    /// and decrypts (AES-128-CBC). On success `data` is the decrypted object as WeChat
    /// wrote it (`nickName`, `avatarUrl`, `unionId`, `watermark`, …; read it with
    /// [`data`](AuthResponse::data)). Checked first (10010, nothing sent): the identifier
    /// 1 to 256 characters, `encrypted_data` standard base64 up to 64 KiB, `iv` 16 bytes of
    /// base64, `code` 1 to 256 visible ASCII characters. Without a session: 10015.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .decrypt_wechat_mini_program_data("my-wxapp", "CiyLU1Aw…", "r7BXXKkLb8qrSNn05n0qiA==", "wx-login-code", |response: AuthResponse| {
    ///         if let Some(data) = response.data() { println!("{}", data["nickName"]); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("decryptWechatMiniProgramData"))]
    pub fn decrypt_wechat_mini_program_data<C: AuthCallback>(
        &self,
        ext_idp_conn_identifier: &str,
        encrypted_data: &str,
        iv: &str,
        code: &str,
        callback: C,
    ) -> RequestHandle {
        let args = [ext_idp_conn_identifier, encrypted_data, iv, code].map(str::to_string);
        self.spawn(callback, move |client, _| {
            let [identifier, data, iv, code] = &args;
            client.decrypt_wechat_mini_program_data_blocking(identifier, data, iv, code)
        })
    }

    /// The blocking twin of
    /// [`decrypt_wechat_mini_program_data`](Self::decrypt_wechat_mini_program_data).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "passw0rd!"))?;
    /// let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// client.sign_in_by_account_password_blocking("alice@example.com", "passw0rd!", None);
    /// // What WeChat hands the mini program (the emulator plays WeChat).
    /// let wx = emulator.wechat_mini_program_login();
    /// let response = client.decrypt_wechat_mini_program_data_blocking(
    ///     &wx.ext_idp_conn_identifier, &wx.encrypted_data, &wx.iv, &wx.code);
    /// assert_eq!(response.data().unwrap()["nickName"], "Band");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decrypt_wechat_mini_program_data_blocking(
        &self,
        ext_idp_conn_identifier: &str,
        encrypted_data: &str,
        iv: &str,
        code: &str,
    ) -> AuthResponse {
        let input = || decrypt_body(ext_idp_conn_identifier, encrypted_data, iv, code);
        self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, DECRYPT_PATH, body)
        })
    }

    /// Gets the phone number of the signed-in mini program user (`POST
    /// /api/v3/get-wechat-miniprogram-phone`, `{"extIdpConnidentifier","code"}`, with the
    /// session's bearer; Java has no such call). The callback form.
    ///
    /// `code` is what the mini program's `open-type="getPhoneNumber"` button gave it. On
    /// success `data` is the phone ([`wechat_phone`](AuthResponse::wechat_phone)). Checked
    /// first (10010, nothing sent): the identifier 1 to 256 characters, the code 1 to 256
    /// visible ASCII characters. Without a session: 10015.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_wechat_mini_program_phone("my-wxapp", "phone-code", |response: AuthResponse| {
    ///         if let Ok(phone) = response.wechat_phone() { println!("{}", phone.phone_number()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getWechatMiniProgramPhone"))]
    pub fn get_wechat_mini_program_phone<C: AuthCallback>(
        &self,
        ext_idp_conn_identifier: &str,
        code: &str,
        callback: C,
    ) -> RequestHandle {
        let (identifier, code) = (ext_idp_conn_identifier.to_string(), code.to_string());
        self.spawn(callback, move |client, _| {
            client.get_wechat_mini_program_phone_blocking(&identifier, &code)
        })
    }

    /// The blocking twin of
    /// [`get_wechat_mini_program_phone`](Self::get_wechat_mini_program_phone).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "passw0rd!"))?;
    /// let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// client.sign_in_by_account_password_blocking("alice@example.com", "passw0rd!", None);
    /// let wx = emulator.wechat_mini_program_login();
    /// let phone = client.get_wechat_mini_program_phone_blocking(&wx.ext_idp_conn_identifier, &wx.phone_code).wechat_phone()?;
    /// assert_eq!(phone.country_code(), "86");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_wechat_mini_program_phone_blocking(
        &self,
        ext_idp_conn_identifier: &str,
        code: &str,
    ) -> AuthResponse {
        let input = || -> Result<serde_json::Value, AuthError> {
            let identifier = validate::text(
                "ext_idp_conn_identifier",
                Some(ext_idp_conn_identifier),
                MAX_IDENTIFIER_CHARS,
            )?;
            let code = validate::code("code", code)?;
            Ok(json!({ "extIdpConnidentifier": identifier, "code": code }))
        };
        self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, PHONE_PATH, body)
        })
    }

    /// Gets the access token Authing's server keeps for a WeChat mini program or official
    /// account (Java: `getWechatMpAccessTokenInfo`; `POST
    /// /api/v3/get-wechat-access-token-info`, `{"appId","appSecret"}`, with the session's
    /// bearer). The callback form.
    ///
    /// `app_id` and `app_secret` are the WeChat app's (as set on the app's WeChat
    /// connection in Authing's console). On success `data` is the token and its expiry
    /// ([`wechat_access_token`](AuthResponse::wechat_access_token)); the server hands the
    /// same token out until it expires. Checked first (10010, nothing sent): the id 1 to
    /// 256, the secret 1 to 4096 visible ASCII characters. Without a session: 10015. The
    /// secret is a secret: this crate never logs it.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_wechat_mp_access_token_info("wx-app-id", "wx-app-secret", |response: AuthResponse| {
    ///         if let Ok(token) = response.wechat_access_token() { println!("until {}", token.expires_at()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getWechatMpAccessTokenInfo"))]
    pub fn get_wechat_mp_access_token_info<C: AuthCallback>(
        &self,
        app_id: &str,
        app_secret: &str,
        callback: C,
    ) -> RequestHandle {
        let (app_id, app_secret) = (app_id.to_string(), app_secret.to_string());
        self.spawn(callback, move |client, _| {
            client.get_wechat_mp_access_token_info_blocking(&app_id, &app_secret)
        })
    }

    /// The blocking twin of
    /// [`get_wechat_mp_access_token_info`](Self::get_wechat_mp_access_token_info).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser, WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "passw0rd!"))?;
    /// let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// client.sign_in_by_account_password_blocking("alice@example.com", "passw0rd!", None);
    /// let first = client.get_wechat_mp_access_token_info_blocking(WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET).wechat_access_token()?;
    /// let again = client.get_wechat_mp_access_token_info_blocking(WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET).wechat_access_token()?;
    /// assert_eq!(first.access_token(), again.access_token()); // the server's cache
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_wechat_mp_access_token_info_blocking(
        &self,
        app_id: &str,
        app_secret: &str,
    ) -> AuthResponse {
        self.checked_as_user(
            || app_body(app_id, app_secret),
            |token, body| self.post_json_as_user(token, ACCESS_TOKEN_INFO_PATH, body),
        )
    }

    /// The same as [`get_wechat_mp_access_token_info`](Self::get_wechat_mp_access_token_info)
    /// through the older path, which the spec marks deprecated (Java:
    /// `getWechatMpAccessToken`; `POST /api/v3/get-wechat-access-token`). The callback
    /// form. Prefer `get_wechat_mp_access_token_info`.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_wechat_mp_access_token("wx-app-id", "wx-app-secret", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getWechatMpAccessToken"))]
    pub fn get_wechat_mp_access_token<C: AuthCallback>(
        &self,
        app_id: &str,
        app_secret: &str,
        callback: C,
    ) -> RequestHandle {
        let (app_id, app_secret) = (app_id.to_string(), app_secret.to_string());
        self.spawn(callback, move |client, _| {
            client.get_wechat_mp_access_token_blocking(&app_id, &app_secret)
        })
    }

    /// The blocking twin of [`get_wechat_mp_access_token`](Self::get_wechat_mp_access_token).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_wechat_mp_access_token_blocking("wx-app-id", "wx-app-secret");
    /// println!("{:?}", response.wechat_access_token().map(|t| t.expires_at().to_string()));
    /// ```
    pub fn get_wechat_mp_access_token_blocking(
        &self,
        app_id: &str,
        app_secret: &str,
    ) -> AuthResponse {
        self.checked_as_user(
            || app_body(app_id, app_secret),
            |token, body| self.post_json_as_user(token, ACCESS_TOKEN_PATH, body),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_data_and_iv_must_be_standard_base64() {
        assert!(base64_text("iv", "r7BXXKkLb8qrSNn05n0qiA==", 24).is_ok());
        for bad in ["", "abc", "ab=c", "a-b_", "abc===="] {
            assert!(base64_text("iv", bad, 64).is_err(), "{bad}");
        }
        assert!(
            decrypt_body("my-wxapp", "AAAA", "AAAA", "code").is_err(),
            "a short iv"
        );
        assert!(decrypt_body("my-wxapp", "AAAA", "r7BXXKkLb8qrSNn05n0qiA==", "code").is_ok());
        assert!(decrypt_body("my-wxapp", "AAAA", "r7BXXKkLb8qrSNn05n0qiA==", "a b").is_err());
    }
}
