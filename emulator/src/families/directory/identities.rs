//! Linked identities: `GET /api/v3/link-extidp` and `GET /api/v3/generate-link-extidp-url`
//! (the same parameters and answer), `POST /api/v3/unlink-extidp`,
//! `GET /api/v3/get-identities` and `GET /api/v3/get-application-enabled-extidps`, each for
//! the bearer's user (401, apiCode 2020 without a valid access token).
//!
//! There is no real provider to sign in to. Both answer the spec's 200 form
//! (`GenerateBindExtIdpLinkRespDto`),
//! `{"url": ..}`, a single-use link (10 minutes, emulator clock) to the admin endpoint
//! `GET /emulator/v1/ext-idps/authorize?ticket=..`, which stands in for the provider's
//! sign-in page and Authing's callback: opening it links a new identity, with a made-up id
//! at the provider, to the user who asked.

use serde_json::{json, Map, Value};

use crate::core::caller::signed_in;
use crate::core::codes::{APP_NOT_FOUND, NOT_SIGNED_IN};
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::req_str;
use crate::core::msg::Msg;
use crate::core::state::unix_secs;
use crate::core::{tokens, urlencoded};
use crate::families::directory::base_url;
use crate::families::directory::msg::DirectoryMsg;
use crate::families::directory::user_access::identity_dtos;
use crate::http::server::Shared;
use crate::http::Request;

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let get = |handler| Route {
        method: "GET",
        endpoint: Endpoint::Query(handler),
    };
    match path {
        "/api/v3/link-extidp" | "/api/v3/generate-link-extidp-url" => Some(get(link)),
        "/api/v3/get-identities" => Some(get(identities)),
        "/api/v3/get-application-enabled-extidps" => Some(get(ext_idps)),
        "/api/v3/unlink-extidp" => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(unlink),
        }),
        _ => None,
    }
}

/// The admin path that completes a link (`admin.rs`).
pub(crate) const AUTHORIZE_PATH: &str = "/emulator/v1/ext-idps/authorize";

fn link(shared: &Shared, request: &Request) -> Outcome {
    let (mut state, index) = signed_in(shared, request)?;
    let query = urlencoded::parse(&request.query);
    let identifier = req_str(&query, "ext_idp_conn_identifier")?;
    let app_id = req_str(&query, "app_id")?;
    let id_token = req_str(&query, "id_token")?;
    if app_id.trim() != shared.config.app_id {
        return Err(Failure::new(404, Some(APP_NOT_FOUND), Msg::AppNotFound));
    }
    let user_id = state
        .users
        .get(index)
        .map(|u| u.id.clone())
        .unwrap_or_default();
    let now = unix_secs(state.now());
    // The id token must be one the emulator signed, for this app and this user, unexpired.
    let claims = tokens::verify(id_token).unwrap_or_default();
    let valid = claims.get("sub").and_then(Value::as_str) == Some(user_id.as_str())
        && claims.get("aud").and_then(Value::as_str) == Some(shared.config.app_id.as_str())
        && claims
            .get("exp")
            .and_then(Value::as_u64)
            .is_some_and(|exp| now < exp);
    if !valid {
        return Err(Failure::new(
            401,
            Some(NOT_SIGNED_IN),
            Msg::family(DirectoryMsg::BadIdToken),
        ));
    }
    if state.families.catalog.ext_idp(identifier.trim()).is_none() {
        return Err(Failure::new(
            404,
            None,
            Msg::family(DirectoryMsg::UnknownConnection),
        ));
    }
    let at = state.now();
    let ticket = state
        .families
        .catalog
        .issue_ticket(&user_id, identifier.trim(), at);
    let url = format!(
        "{}{AUTHORIZE_PATH}?{}",
        base_url(shared, request),
        crate::core::codec::query(&[("ticket", ticket.as_str())])
    );
    Ok(Some(json!({ "url": url })))
}

fn unlink(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let (mut state, index) = signed_in(shared, request)?;
    let ext_idp_id = req_str(body, "extIdpId")?.trim().to_owned();
    let Some(id) = state.users.get(index).map(|user| user.id.clone()) else {
        return Err(no_such_identity());
    };
    let identities = &mut state.families.catalog.access_mut(&id).identities;
    let before = identities.len();
    identities.retain(|identity| identity.ext_idp_id != ext_idp_id);
    if identities.len() == before {
        return Err(no_such_identity());
    }
    Ok(None)
}

fn no_such_identity() -> Failure {
    Failure::new(404, None, Msg::family(DirectoryMsg::NoSuchIdentity))
}

fn identities(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = signed_in(shared, request)?;
    let list = state
        .users
        .get(index)
        .map(|user| identity_dtos(user, state.families.catalog.access_of(&user.id)))
        .unwrap_or_default();
    Ok(Some(Value::Array(list)))
}

fn ext_idps(shared: &Shared, request: &Request) -> Outcome {
    let (state, _) = signed_in(shared, request)?;
    let base = base_url(shared, request);
    let app_id = &shared.config.app_id;
    let list: Vec<Value> = state
        .families
        .catalog
        .ext_idps
        .iter()
        .map(|idp| {
            let query = crate::core::codec::query(&[
                ("ext_idp_conn_identifier", idp.identifier.as_str()),
                ("app_id", app_id.as_str()),
            ]);
            let mut dto = json!({
                "identifier": idp.identifier,
                "extIdpId": idp.id,
                "type": idp.idp_type,
                "extIdpType": idp.ext_idp_type,
                "bindUrl": format!("{base}/api/v3/link-extidp?{query}"),
                "name": idp.name,
            });
            for (key, value) in [
                ("name_en", &idp.name_en),
                ("desc", &idp.desc),
                ("desc_en", &idp.desc_en),
                ("logo", &idp.logo),
            ] {
                if let Some(value) = value {
                    dto[key] = value.clone().into();
                }
            }
            dto
        })
        .collect();
    Ok(Some(Value::Array(list)))
}
