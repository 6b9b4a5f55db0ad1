//! The admin API of the emulator's WeChat (`/emulator/v1/wechat/`, plain JSON), and the
//! same on the [`Emulator`] handle:
//!
//! - `POST /emulator/v1/wechat/mini-program-logins` (no body): what WeChat hands the mini
//!   program at a sign-in (`wx.login`'s code, the user's encrypted open data and its iv,
//!   a phone code; and the session key, which WeChat gives the server only), as
//!   [`WechatMiniProgramLogin`] in camelCase JSON.
//!
//! Refusals: 405 for another method.

use serde_json::json;

use crate::families::wechat::state::WechatMiniProgramLogin;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

/// The identifier the logins name: the app's first mini program connection, else the
/// default connection's.
const DEFAULT_IDENTIFIER: &str = "wechat-miniprogram-app-launch";

fn login(shared: &Shared) -> WechatMiniProgramLogin {
    let mut state = shared.state();
    let identifier = state
        .families
        .social
        .public_config_json()
        .as_array()
        .and_then(|list| {
            list.iter()
                .filter(|c| {
                    c["type"]
                        .as_str()
                        .is_some_and(|t| t.starts_with("wechat:miniprogram"))
                })
                .find_map(|c| c["identifier"].as_str().map(str::to_owned))
        })
        .unwrap_or_else(|| DEFAULT_IDENTIFIER.to_owned());
    let now = state.now();
    state.families.wechat.login(&identifier, now)
}

/// The answer for a path under `/emulator/v1/wechat/`, or `None` when `path` is not one.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path != "/emulator/v1/wechat/mini-program-logins" {
        return None;
    }
    if request.method != "POST" {
        return Some(
            Response::json_status(
                405,
                &json!({ "error": "method not allowed on this endpoint" }),
            )
            .header("Allow", "POST"),
        );
    }
    let wx = login(shared);
    Some(Response::json(&json!({
        "extIdpConnidentifier": wx.ext_idp_conn_identifier,
        "code": wx.code,
        "encryptedData": wx.encrypted_data,
        "iv": wx.iv,
        "sessionKey": wx.session_key,
        "phoneCode": wx.phone_code,
    })))
}

impl Emulator {
    /// Plays WeChat at a mini program's sign-in: a fresh `wx.login` code with its session
    /// key, the user's open data encrypted with it (WeChat's documented sample user,
    /// nickname `Band`), and a phone code (`+86 13800138000`), for
    /// `decrypt-wechat-miniprogram-data` and `get-wechat-miniprogram-phone`. Each code is
    /// good once, for five minutes of emulator time.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// let wx = emulator.wechat_mini_program_login();
    /// assert_eq!(wx.ext_idp_conn_identifier, "wechat-miniprogram-app-launch");
    /// assert_ne!(wx.code, emulator.wechat_mini_program_login().code);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn wechat_mini_program_login(&self) -> WechatMiniProgramLogin {
        login(&self.server.shared)
    }
}
