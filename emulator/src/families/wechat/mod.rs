//! The WeChat helpers, the emulator playing WeChat's servers with fixed test data
//! (`state.rs`): `POST /api/v3/decrypt-wechat-miniprogram-data`
//! (`DecryptWechatMiniProgramDataDto` -> `DecryptWechatMiniProgramDataRespDto`), `POST
//! /api/v3/get-wechat-miniprogram-phone` (`GetWechatMiniProgramPhoneDto` ->
//! `GetWechatMiniProgramPhoneRespDto`), `POST /api/v3/get-wechat-access-token` and `POST
//! /api/v3/get-wechat-access-token-info` (`GetWechatAccessTokenDto` ->
//! `GetWechatAccessTokenRespDto`). Each needs a signed-in user's bearer (401 / 2020).

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::req_str;
use crate::core::msg::Msg;
use crate::core::state::{iso8601, State};
use crate::families::wechat::msg::WechatMsg;
use crate::families::wechat::state::{
    CodeRefusal, WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET, WECHAT_TEST_PHONE,
};
use crate::http::server::Shared;
use crate::http::Request;

/// The WeChat helpers' apiCodes, all **the emulator's own** (docs/EMULATOR.md).
pub(crate) mod codes {
    /// `extIdpConnidentifier` names no mini program connection of the app.
    pub(crate) const NO_MINI_PROGRAM: u32 = 2380;
    /// The login or phone code is unknown, used or expired.
    pub(crate) const BAD_CODE: u32 = 2381;
    /// The data does not decrypt with the code's session key.
    pub(crate) const UNDECRYPTABLE: u32 = 2382;
    /// The WeChat app id and secret are not the test app's.
    pub(crate) const BAD_APP_SECRET: u32 = 2383;
}

/// The type prefix of the app's WeChat mini program connections.
const MINI_PROGRAM_TYPE: &str = "wechat:miniprogram";

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let handler: fn(&Shared, &Request, &Map<String, Value>) -> Outcome = match path {
        "/api/v3/decrypt-wechat-miniprogram-data" => decrypt,
        "/api/v3/get-wechat-miniprogram-phone" => phone,
        "/api/v3/get-wechat-access-token" | "/api/v3/get-wechat-access-token-info" => access_token,
        _ => return None,
    };
    Some(Route {
        method: "POST",
        endpoint: Endpoint::EnvelopeWith(handler),
    })
}

fn wechat(msg: WechatMsg) -> Msg {
    Msg::family(msg)
}

/// The identifier of the app's mini program connection `identifier` names, if any.
pub(crate) fn mini_program(state: &State, identifier: &str) -> Option<String> {
    let config = state.families.social.public_config_json();
    config
        .as_array()?
        .iter()
        .filter(|c| {
            c["type"]
                .as_str()
                .is_some_and(|t| t.starts_with(MINI_PROGRAM_TYPE))
        })
        .filter_map(|c| c["identifier"].as_str())
        .find(|id| *id == identifier.trim())
        .map(str::to_owned)
}

/// The signed-in caller's state, and the mini program connection the body names.
fn signed_in_with_mini_program<'a>(
    shared: &'a Shared,
    request: &Request,
    body: &Map<String, Value>,
) -> Result<crate::core::state_guard::StateGuard<'a>, Failure> {
    let identifier = req_str(body, "extIdpConnidentifier")?;
    let (state, _) = caller::signed_in(shared, request)?;
    if mini_program(&state, identifier).is_none() {
        return Err(Failure::new(
            400,
            Some(codes::NO_MINI_PROGRAM),
            wechat(WechatMsg::NoMiniProgram),
        ));
    }
    Ok(state)
}

fn decrypt(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let (encrypted, iv, code) = (
        req_str(body, "encryptedData")?,
        req_str(body, "iv")?,
        req_str(body, "code")?,
    );
    let mut state = signed_in_with_mini_program(shared, request, body)?;
    let now = state.now();
    let data = state
        .families
        .wechat
        .decrypt(code.trim(), encrypted, iv, now)
        .map_err(|refusal| match refusal {
            CodeRefusal::Invalid => {
                Failure::new(400, Some(codes::BAD_CODE), wechat(WechatMsg::BadCode))
            }
            CodeRefusal::Undecryptable => Failure::new(
                400,
                Some(codes::UNDECRYPTABLE),
                wechat(WechatMsg::Undecryptable),
            ),
        })?;
    Ok(Some(data))
}

fn phone(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let code = req_str(body, "code")?;
    let mut state = signed_in_with_mini_program(shared, request, body)?;
    let now = state.now();
    if !state.families.wechat.take_phone_code(code.trim(), now) {
        return Err(Failure::new(
            400,
            Some(codes::BAD_CODE),
            wechat(WechatMsg::BadCode),
        ));
    }
    Ok(Some(json!({
        "countryCode": "86",
        "phoneNumber": WECHAT_TEST_PHONE,
        "purePhoneNumber": WECHAT_TEST_PHONE,
    })))
}

fn access_token(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let (app_id, secret) = (req_str(body, "appId")?, req_str(body, "appSecret")?);
    let (mut state, _) = caller::signed_in(shared, request)?;
    if app_id != WECHAT_TEST_APP_ID || secret != WECHAT_TEST_APP_SECRET {
        return Err(Failure::new(
            400,
            Some(codes::BAD_APP_SECRET),
            wechat(WechatMsg::BadAppSecret),
        ));
    }
    let now = state.now();
    let (token, until) = state.families.wechat.access_token(now);
    Ok(Some(
        json!({ "accessToken": token, "expiresAt": iso8601(until) }),
    ))
}
