//! The session family: sign-up (`signup.rs`), sign-in (`signin.rs`) and, in this file,
//! `GET /api/v3/get-profile` for the bearer, the OIDC token endpoint
//! (`grant_type=refresh_token`; `authorization_code` is handed to the OIDC family), token
//! revocation, and the discovery documents
//! (`openid-configuration`, `jwks.json`).
//!
//! The OIDC endpoints take `application/x-www-form-urlencoded` bodies (a JSON object body
//! is read too). `/oidc/token` answers without the envelope, as the spec's
//! `LoginTokenResponseDataDto`, and fails as OAuth 2.0 does (RFC 6749 section 5.2: a real
//! HTTP 400 or 401 with `error` and `error_description`). `/oidc/token/revocation`
//! answers with the envelope (`IsSuccessRespDto`) and, as RFC 7009 asks, succeeds for a
//! token it does not know.

pub(crate) mod admin;
pub(crate) mod lifetimes;
pub(crate) mod msg;
pub(crate) mod signin;
pub(crate) mod signup;
pub(crate) mod user_dto;

use serde_json::{json, Value};

use crate::core::codes::BAD_PARAMS;
use crate::core::envelope::{envelope, oauth_error, Endpoint, Failure, Outcome, Route};
use crate::core::msg::{Lang, Msg};
use crate::core::tokens::{self, Grant, RefreshRefusal};
use crate::core::{caller, urlencoded};
use crate::families::session::msg::SessionMsg;
use crate::families::session::user_dto::{user_dto, Extras};
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The family's routes: sign-up (`signup.rs`), sign-in (`signin.rs`), then the session's
/// own endpoints (below).
pub(crate) fn routes(path: &str) -> Option<Route> {
    signup::route(path)
        .or_else(|| signin::route(path))
        .or_else(|| route(path))
}

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let raw = |method, handler| Route {
        method,
        endpoint: Endpoint::Raw(handler),
    };
    match path {
        "/api/v3/get-profile" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(get_profile),
        }),
        "/oidc/token" => Some(raw("POST", token)),
        "/oidc/token/revocation" => Some(raw("POST", revoke)),
        "/oidc/.well-known/openid-configuration" => Some(raw("GET", openid_configuration)),
        "/oidc/.well-known/jwks.json" => Some(raw("GET", jwks)),
        _ => None,
    }
}

/// A query flag: absent, `false` or `0` is false, `true` or `1` is true (any case).
pub(crate) fn flag(
    query: &serde_json::Map<String, Value>,
    name: &'static str,
) -> Result<bool, Failure> {
    match query.get(name).and_then(Value::as_str).map(str::trim) {
        None | Some("") => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => Ok(false),
        Some(_) => Err(Failure::params(Msg::family(SessionMsg::BadFlag(name)))),
    }
}

fn get_profile(shared: &Shared, request: &Request) -> Outcome {
    let query = urlencoded::parse(&request.query);
    let extras = Extras {
        custom_data: flag(&query, "withCustomData")?,
        identities: flag(&query, "withIdentities")?,
        department_ids: flag(&query, "withDepartmentIds")?,
    };
    let (state, index) = caller::signed_in(shared, request)?;
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    Ok(Some(user_dto(user, access, &shared.config.app_id, extras)))
}

fn token(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let params = urlencoded::params(&request.body);
    // A machine client authenticates as itself, not as the app: its grant comes first.
    if params
        .get("grant_type")
        .and_then(Value::as_str)
        .map(str::trim)
        == Some("client_credentials")
    {
        return crate::families::machine::client_credentials_grant(shared, request, &params);
    }
    if !caller::client_ok(shared, request, &params, true) {
        return oauth_error(
            401,
            "invalid_client",
            "client authentication failed: wrong or missing client_id or client_secret",
        );
    }
    let text = |key: &str| {
        params
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let Some(grant_type) = text("grant_type") else {
        return oauth_error(400, "invalid_request", "grant_type is required");
    };
    if grant_type == "authorization_code" {
        return crate::families::oidc::code_grant(shared, request, &params);
    }
    if grant_type != "refresh_token" {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "the emulator supports grant_type authorization_code, refresh_token and client_credentials only",
        );
    }
    let Some(refresh_token) = text("refresh_token") else {
        return oauth_error(400, "invalid_request", "refresh_token is required");
    };
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let invalid_grant = |why: &str| oauth_error(400, "invalid_grant", why);
    let refreshed = match state.sessions.refresh(refresh_token, now) {
        Ok(refreshed) => refreshed,
        Err(RefreshRefusal::Unknown) => {
            return invalid_grant(
                "this server does not know the refresh token: it never issued it, or it was \
                 already used or revoked",
            );
        }
        Err(RefreshRefusal::Expired) => return invalid_grant("the refresh token has expired"),
    };
    let Some(user) = state
        .users
        .by_id(&refreshed.user)
        .and_then(|i| state.users.get(i))
    else {
        return invalid_grant("the refresh token's user no longer exists");
    };
    let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer: &issuer,
        audience: &shared.config.app_id,
        scope: &refreshed.scope,
        nonce: None,
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let set = state.sessions.reissue(user, &grant, &refreshed);
    Response::json(&set.to_json())
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
}

fn revoke(shared: &Shared, request: &Request, lang: Lang) -> Response {
    let params = urlencoded::params(&request.body);
    let answer = |status: u16, api_code: Option<u32>, msg: Msg, data: Option<Value>| {
        envelope(lang, shared.request_id(), status, api_code, &msg, data)
    };
    if !caller::client_ok(shared, request, &params, true) {
        return answer(401, None, Msg::InvalidClient, None);
    }
    let token = params
        .get("token")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return answer(400, Some(BAD_PARAMS), Msg::MissingField("token"), None);
    };
    let mut state = shared.state();
    if !crate::families::machine::revoke(&mut state, token) {
        state.sessions.revoke(token);
    }
    drop(state);
    answer(200, None, Msg::Ok, Some(json!({"success": true})))
}

fn openid_configuration(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let issuer = caller::issuer(shared, request);
    Response::json(&json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/me"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "scopes_supported": [
            "openid", "offline_access", "username", "phone", "email", "address", "profile",
            "role", "roles", "unionid", "external_id", "extended_fields", "tenant_id",
            "userpool_id",
        ],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "id_token_encryption_alg_values_supported": [],
        "id_token_encryption_enc_values_supported": [],
        "userinfo_signing_alg_values_supported": ["RS256"],
        "userinfo_encryption_alg_values_supported": [],
        "userinfo_encryption_enc_values_supported": [],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic",
            "none"],
        "claim_types_supported": ["normal"],
        "claims_supported": ["sub", "iss", "aud", "iat", "exp", "nonce", "name", "given_name",
            "middle_name", "family_name", "nickname", "preferred_username", "profile",
            "picture", "website", "birthdate", "gender", "zoneinfo", "locale", "updated_at",
            "username", "email", "email_verified", "phone_number", "phone_number_verified", "sid"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "end_session_endpoint": format!("{issuer}/session/end"),
        "introspection_endpoint": format!("{issuer}/token/introspection"),
        "introspection_endpoint_auth_methods_supported": ["client_secret_post",
            "client_secret_basic", "none"],
        "revocation_endpoint": format!("{issuer}/token/revocation"),
        "revocation_endpoint_auth_methods_supported": ["client_secret_post",
            "client_secret_basic", "none"],
    }))
}

fn jwks(_shared: &Shared, _request: &Request, _lang: Lang) -> Response {
    Response::json(&json!({ "keys": [tokens::jwk()] }))
}
