//! The QR-code family: `POST /api/v3/gene-qrcode` (`GenerateQrcodeDto` ->
//! `GeneQRCodeRespDto`), `GET /api/v3/check-qrcode-status?qrcodeId=..`
//! (`CheckQRCodeStatusRespDto`), `POST /api/v3/change-qrcode-status` (the phone, with the
//! signed-in user's bearer; `CommonResponseDto`) and `POST
//! /api/v3/exchange-tokenset-with-qrcode-ticket` (`LoginTokenRespDto`); fast
//! authentication (`fastpass.rs`): `gene-fastpass-qrcode-info`, `get-fastpass-client-apps`,
//! `get-app-login-qrcode-status` (the same answer as `check-qrcode-status`) and
//! `qrcode-app-login`. The state machine is `state.rs`.

pub(crate) mod admin;
pub(crate) mod fastpass;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::codes::{NOT_SIGNED_IN, USER_LOCKED, USER_NOT_FOUND};
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{opt_obj, req_str};
use crate::core::msg::Msg;
use crate::core::tokens::Grant;
use crate::core::users::User;
use crate::core::vocab::Action;
use crate::core::{caller, urlencoded};
use crate::families::qrcode::msg::QrMsg;
use crate::families::qrcode::state::{QrError, TicketError};
use crate::families::session::msg::SessionMsg;
use crate::http::server::Shared;
use crate::http::Request;
use codes::{QR_CODE_EXPIRED, QR_CODE_NOT_FOUND, QR_CODE_WRONG_STATE, QR_TICKET_INVALID};

/// The scope of the tokens a QR sign-in hands out **(our choice: the request names none)**:
/// the profile claims and `offline_access`, so a desktop gets a refresh token.
pub(crate) const QR_SCOPE: &str = "openid profile email phone username offline_access";

/// The QR-code family's apiCodes, all **the emulator's own** (docs/EMULATOR.md).
pub(crate) mod codes {
    /// The emulator's own: no QR code has this id.
    pub(crate) const QR_CODE_NOT_FOUND: u32 = 2324;

    /// The emulator's own: the QR code expired before it was authorized.
    pub(crate) const QR_CODE_EXPIRED: u32 = 2325;

    /// The emulator's own: the QR code's status or scanner does not allow the action.
    pub(crate) const QR_CODE_WRONG_STATE: u32 = 2326;

    /// The emulator's own: the QR ticket is unknown, used or expired.
    pub(crate) const QR_TICKET_INVALID: u32 = 2327;
}

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let post = |handler| Route {
        method: "POST",
        endpoint: Endpoint::EnvelopeWith(handler),
    };
    match path {
        "/api/v3/gene-qrcode" => Some(post(gene)),
        "/api/v3/check-qrcode-status" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(check),
        }),
        "/api/v3/change-qrcode-status" => Some(post(change)),
        "/api/v3/exchange-tokenset-with-qrcode-ticket" => Some(post(exchange)),
        "/api/v3/gene-fastpass-qrcode-info" => Some(post(fastpass::gene)),
        "/api/v3/get-fastpass-client-apps" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(fastpass::client_apps),
        }),
        // The same codes as check-qrcode-status: one store, one answer.
        "/api/v3/get-app-login-qrcode-status" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(check),
        }),
        "/api/v3/qrcode-app-login" => Some(post(fastpass::app_login)),
        _ => None,
    }
}

pub(crate) fn qr(msg: QrMsg) -> Msg {
    Msg::family(msg)
}

/// The failure of a refused phone action.
pub(crate) fn refused(error: QrError) -> Failure {
    match error {
        QrError::NotFound => Failure::new(404, Some(QR_CODE_NOT_FOUND), qr(QrMsg::NotFound)),
        QrError::Expired => Failure::new(400, Some(QR_CODE_EXPIRED), qr(QrMsg::Expired)),
        QrError::ScanFirst => Failure::new(400, Some(QR_CODE_WRONG_STATE), qr(QrMsg::ScanFirst)),
        QrError::Finished(status) => {
            Failure::new(400, Some(QR_CODE_WRONG_STATE), qr(QrMsg::Finished(status)))
        }
        QrError::OtherUser => Failure::new(403, Some(QR_CODE_WRONG_STATE), qr(QrMsg::OtherUser)),
        QrError::WrongKind { fastpass } => Failure::new(
            400,
            Some(QR_CODE_WRONG_STATE),
            qr(QrMsg::WrongKind(fastpass)),
        ),
    }
}

/// `http://<Host header>`, the base of the code's `url`.
pub(crate) fn base_url(shared: &Shared, request: &Request) -> String {
    let host = request
        .header("host")
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map_or_else(|| shared.addr.to_string(), str::to_owned);
    format!("{}://{host}", shared.scheme())
}

fn gene(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    // The WeChat types are scanned by WeChat, which the emulator cannot be.
    if req_str(body, "type")? != "MOBILE_APP" {
        return Err(Failure::params(qr(QrMsg::UnsupportedType)));
    }
    let custom_data = opt_obj(body, "customData")?.cloned();
    let mut state = shared.state();
    let now = state.now();
    let id = state.families.qrcodes.create(now, custom_data);
    let url = format!("{}/emulator/v1/qrcodes/{id}", base_url(shared, request));
    Ok(Some(json!({ "qrcodeId": id, "url": url })))
}

/// `briefUserInfo`: what the desktop may show of who scanned.
pub(crate) fn brief(user: &User) -> Value {
    let text = |key: &str| user.profile.get(key).and_then(Value::as_str);
    let display = text("nickname")
        .or_else(|| text("name"))
        .or(user.username.as_deref())
        .or(user.email.as_deref())
        .or(user.phone.as_ref().map(|(_, n)| n.as_str()))
        .unwrap_or_default();
    json!({ "displayName": display, "photo": text("photo").unwrap_or_default() })
}

fn check(shared: &Shared, request: &Request) -> Outcome {
    let query = urlencoded::parse(&request.query);
    let id = req_str(&query, "qrcodeId")?;
    let state = shared.state();
    let seen = state
        .families
        .qrcodes
        .seen(id, state.now())
        .ok_or_else(|| refused(QrError::NotFound))?;
    let mut data = Map::new();
    data.insert("status".into(), seen.status.as_str().into());
    if let Some(user) = seen
        .user
        .as_deref()
        .and_then(|id| state.users.by_id(id))
        .and_then(|i| state.users.get(i))
    {
        data.insert("briefUserInfo".into(), brief(user));
    }
    if let Some(ticket) = seen.ticket {
        data.insert("ticket".into(), ticket.into());
    }
    Ok(Some(Value::Object(data)))
}

fn change(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let id = req_str(body, "qrcodeId")?;
    let action = Action::from_wire(req_str(body, "action")?)
        .ok_or_else(|| Failure::params(qr(QrMsg::UnknownAction)))?;
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let user = state
        .sessions
        .authenticate(caller::bearer(request), now)
        .map_err(|why| Failure::new(401, Some(NOT_SIGNED_IN), Msg::NotSignedIn(why)))?;
    let custom = state
        .families
        .qrcodes
        .change(id, &user, action, now)
        .map_err(refused)?;
    if let (Some(custom), Some(index)) = (custom, state.users.by_id(&user)) {
        if let Some(user) = state.users.get_mut(index) {
            user.custom_data.extend(custom);
        }
    }
    Ok(None)
}

fn exchange(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    if !caller::client_ok(shared, request, body, false) {
        return Err(caller::invalid_client());
    }
    let ticket = req_str(body, "ticket")?;
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let spent = state
        .families
        .qrcodes
        .spend(ticket, now)
        .map_err(|e| match e {
            TicketError::Invalid => {
                Failure::new(400, Some(QR_TICKET_INVALID), qr(QrMsg::BadTicket))
            }
        })?;
    issue(shared, &issuer, state, &spent.user, QR_SCOPE)
}

/// Signs `user_id` in (a QR ticket spent, a fast authentication code used): refused while
/// the user is locked, else the sign-in is recorded and a token set issued with `scope`.
pub(crate) fn issue(
    shared: &Shared,
    issuer: &str,
    state: &mut crate::core::state::State,
    user_id: &str,
    scope: &str,
) -> Outcome {
    let now = state.now();
    let not_found = || Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound);
    let index = state.users.by_id(user_id).ok_or_else(not_found)?;
    let user = state.users.get_mut(index).ok_or_else(not_found)?;
    if let Some(left) = user.locked_for(now) {
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        return Err(Failure::new(
            403,
            Some(USER_LOCKED),
            Msg::family(SessionMsg::Locked(secs.max(1))),
        ));
    }
    user.record_success(now, None);
    let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer,
        audience: &shared.config.app_id,
        scope,
        nonce: None,
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let set = state.sessions.issue(user, &grant);
    Ok(Some(set.to_json()))
}
