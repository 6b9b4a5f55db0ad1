//! Fast authentication by QR code ("快速认证"): the signed-in user's side makes a code
//! (`POST /api/v3/gene-fastpass-qrcode-info`, `SignInFastpassDto` ->
//! `GeneFastpassQRCodeRespDto`); the app that scans it lists the client apps (`GET
//! /api/v3/get-fastpass-client-apps?qrcodeId=..&appId=..`,
//! `GetFastpassQRCodeRelationAppsRespDto`) and signs in as the code's owner (`POST
//! /api/v3/qrcode-app-login`, `AppQRCodeLoginDto` -> `LoginTokenRespDto`). The showing side
//! polls `get-app-login-qrcode-status`, which answers as `check-qrcode-status`.

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::envelope::{Failure, Outcome};
use crate::core::fields::{opt_obj, opt_str, req_str};
use crate::core::urlencoded;
use crate::families::qrcode::msg::QrMsg;
use crate::families::qrcode::{base_url, brief, issue, qr, refused, QR_SCOPE};
use crate::http::server::Shared;
use crate::http::Request;

/// The `scene` of a fast authentication code **(our choice: the spec lists no values; the
/// name of the one action `qrcode-app-login` takes)**.
pub(crate) const FASTPASS_SCENE: &str = "APP_LOGIN";

pub(crate) fn gene(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let options = opt_obj(body, "options")?;
    let empty = Map::new();
    let options = options.unwrap_or(&empty);
    let scope = opt_str(options, "scope")?
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    opt_obj(options, "context")?;
    let custom_data = opt_obj(options, "customData")?.cloned();
    let base = base_url(shared, request);
    let (mut guard, index) = caller::signed_in(shared, request)?;
    let state = &mut *guard;
    let user = caller::user_at(state, index)?;
    let (owner, shown) = (user.id.clone(), brief(user));
    let now = state.now();
    let id = state
        .families
        .qrcodes
        .create_fastpass(now, &owner, scope, custom_data);
    let party = |id: &str, shown: &Value| {
        json!({
            "id": id,
            "displayName": shown["displayName"],
            "photo": shown["photo"],
        })
    };
    let pool = &shared.config.user_pool_id;
    let pool_shown = json!({ "displayName": pool, "photo": "" });
    Ok(Some(json!({
        "qrcodeId": id,
        "scene": FASTPASS_SCENE,
        "appId": shared.config.app_id,
        "apiHost": base,
        "user": party(&owner, &shown),
        "userpool": party(pool, &pool_shown),
    })))
}

pub(crate) fn client_apps(shared: &Shared, request: &Request) -> Outcome {
    let query = urlencoded::parse(&request.query);
    let id = req_str(&query, "qrcodeId")?;
    let app_id = req_str(&query, "appId")?;
    if app_id != shared.config.app_id {
        return Err(Failure::new(404, None, qr(QrMsg::UnknownApp)));
    }
    let mut state = shared.state();
    let now = state.now();
    state
        .families
        .qrcodes
        .fastpass_scan(id, now)
        .map_err(refused)?;
    let app = json!({
        "id": shared.config.app_id,
        "name": shared.config.get_app_name(),
        "logo": "",
    });
    Ok(Some(json!({ "relationApps": [app] })))
}

pub(crate) fn app_login(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let id = req_str(body, "qrcodeId")?;
    if req_str(body, "action")? != "APP_LOGIN" {
        return Err(Failure::params(qr(QrMsg::NotAppLogin)));
    }
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let login = state.families.qrcodes.app_login(id, now).map_err(refused)?;
    let scope = login.scope.as_deref().unwrap_or(QR_SCOPE);
    let answer = issue(shared, &issuer, state, &login.owner, scope)?;
    if let (Some(custom), Some(index)) = (login.custom_data, state.users.by_id(&login.owner)) {
        if let Some(user) = state.users.get_mut(index) {
            user.custom_data.extend(custom);
        }
    }
    Ok(answer)
}
