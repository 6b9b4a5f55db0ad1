//! The webauthn family: passkeys (Authing's `/api/v3/webauthn/*`), verified for real.
//!
//! - `GET /api/v3/webauthn/registration` (bearer): creation options for the signed-in
//!   user and a `ticket`: a fresh 32-byte challenge (base64url), the RP (settings), the
//!   user (`id` = base64url of the user id's UTF-8), `pubKeyCredParams` ES256 only,
//!   `excludeCredentials` = the user's credentials, `timeout` 300000 ms; nothing the spec
//!   does not list (no `authenticatorSelection`, `attestation`, `userVerification`).
//! - `POST /api/v3/webauthn/registration {ticket, registrationCredential,
//!   authenticatorCode?}` (bearer): checks the ticket (the bearer's, a registration's, single
//!   use, unexpired), clientDataJSON (`webauthn.create`, the challenge, an allowed origin),
//!   the attestation object (format `none` only; others refused), authenticatorData (the RP
//!   id's SHA-256, UP, UV when required, AT with an EC2 P-256 ES256 key, the credential id
//!   equal to `rawId` and `id`), then keeps the credential. `{verified: true}`.
//! - `GET /api/v3/webauthn/authentication`: request options (`challenge`, `rpId`,
//!   `timeout`, `allowCredentials: []`: discoverable credentials) and a `ticket`.
//! - `POST /api/v3/webauthn/authentication {ticket, authenticationCredential, options?}`:
//!   checks the ticket, clientDataJSON (`webauthn.get`, challenge, origin), the credential
//!   (registered, not removed), `userHandle` (the credential's user when not empty),
//!   authenticatorData (RP id hash, UP, UV when required), the ES256 signature, the counter
//!   (strictly greater than the one kept, unless both are 0), then signs the user in as
//!   `/api/v3/signin` does (`options.scope`, default `openid profile`; a locked user is
//!   refused; the device recorded). `{verified: true, tokenSet}`.
//! - `POST /api/v3/webauthn/page-authenticator-device {authenticatorCode?}` (bearer): the
//!   user's credentials, `{totalCount, list}` bare, as the spec draws it (no envelope; a
//!   failure is the envelope), each item `{credentialId, authenticatorCode, transports,
//!   counter, createdAt, lastUsedAt}` (the spec leaves items open).
//! - `POST /api/v3/webauthn/check-valid-credentials-by-credIds {credentialIds,
//!   authenticatorCode?}` (bearer): the ids among them that are the user's, as a list of
//!   `{credentialId}` (the spec: a list of objects, open).
//! - `POST /api/v3/webauthn/remove-credential/{credentialID}` (bearer): removes one (404
//!   for an id the user has none of); `{success: true}`.
//! - `POST /api/v3/webauthn/remove-credentials-by-authenticator-code {authenticatorCode?}`
//!   (bearer): removes the user's credentials of that code (all without one).
//!
//! A refused verification answers statusCode 400 without an apiCode or `data` (the
//! spec's `CommonResponseDto`), the message naming the check (the emulator's choice: the
//! spec names no code). Its ticket is used up either way.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;
pub(crate) mod verify;

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::codes::{APP_NOT_FOUND, USER_LOCKED};
use crate::core::envelope::{envelope, Endpoint, Failure, Outcome, Route};
use crate::core::fields::{opt_text, req_obj, req_str};
use crate::core::msg::{Lang, Msg};
use crate::core::random;
use crate::core::state::iso8601;
use crate::core::tokens::Grant;
use crate::families::session::signin::Options;
use crate::families::webauthn::msg::WebauthnMsg;
use crate::families::webauthn::state::{Credential, Purpose, Ticket, CHALLENGE_TTL};
use crate::http::server::Shared;
use crate::http::{Request, Response};

const PREFIX: &str = "/api/v3/webauthn/";
const REMOVE_PREFIX: &str = "/api/v3/webauthn/remove-credential/";
/// The authenticator codes the spec names.
const CODES: [&str; 3] = ["fingerprint", "face", "other"];

/// The routes of the webauthn family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let rest = path.strip_prefix(PREFIX)?;
    let post = |handler| {
        Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(handler),
        })
    };
    match rest {
        "registration" => Some(Route {
            method: "GET, POST",
            endpoint: Endpoint::QueryAndEnvelope(registration_options, verify_registration),
        }),
        "authentication" => Some(Route {
            method: "GET, POST",
            endpoint: Endpoint::QueryAndEnvelope(authentication_options, verify_authentication),
        }),
        "page-authenticator-device" => Some(Route {
            method: "POST",
            endpoint: Endpoint::Raw(list_bare),
        }),
        "check-valid-credentials-by-credIds" => post(check_valid),
        "remove-credentials-by-authenticator-code" => post(remove_all),
        _ if path.starts_with(REMOVE_PREFIX) && path.len() > REMOVE_PREFIX.len() => {
            post(remove_one)
        }
        _ => None,
    }
}

fn refused(check: &'static str) -> Failure {
    Failure::new(400, None, Msg::family(WebauthnMsg::Refused(check)))
}

fn bad_ticket() -> Failure {
    Failure::new(400, None, Msg::family(WebauthnMsg::BadTicket))
}

/// A fresh ticket and challenge kept for `purpose`: (ticket, challenge).
fn hand_out(shared: &Shared, purpose: Purpose) -> (String, String) {
    let mut bytes = [0u8; 32];
    random::fill(&mut bytes);
    let challenge = verify::b64url(&bytes);
    let ticket = random::token();
    let mut state = shared.state();
    let now = state.now();
    let entry = Ticket {
        purpose,
        challenge: challenge.clone(),
        expires_at: now + CHALLENGE_TTL,
    };
    state.families.webauthn.hand_out(ticket.clone(), entry, now);
    (ticket, challenge)
}

fn descriptor(credential: &Credential) -> Value {
    json!({
        "id": credential.id,
        "type": "public-key",
        "transports": credential.transports,
    })
}

/// `GET /api/v3/webauthn/registration`.
fn registration_options(shared: &Shared, request: &Request) -> Outcome {
    let (user_id, name, exclude, settings) = {
        let (state, index) = caller::signed_in(shared, request)?;
        let user = caller::user_at(&state, index)?;
        let name = user
            .username
            .clone()
            .or_else(|| user.email.clone())
            .or_else(|| user.phone.as_ref().map(|(_, p)| p.clone()))
            .unwrap_or_else(|| user.id.clone());
        let exclude: Vec<Value> = state
            .families
            .webauthn
            .of(&user.id)
            .map(descriptor)
            .collect();
        (
            user.id.clone(),
            name,
            exclude,
            state.families.webauthn.settings.clone(),
        )
    };
    let (ticket, challenge) = hand_out(shared, Purpose::Register(user_id.clone()));
    Ok(Some(json!({
        "ticket": ticket,
        "registrationOptions": {
            "challenge": challenge,
            "rp": { "id": settings.rp_id, "name": settings.rp_name },
            "user": {
                "id": verify::b64url(user_id.as_bytes()),
                "name": name,
                "displayName": name,
            },
            "pubKeyCredParams": [{ "alg": verify::ES256, "type": "public-key" }],
            "excludeCredentials": exclude,
            "timeout": CHALLENGE_TTL.as_millis() as u64,
        },
    })))
}

/// `GET /api/v3/webauthn/authentication`.
fn authentication_options(shared: &Shared, _: &Request) -> Outcome {
    let settings = shared.state().families.webauthn.settings.clone();
    let (ticket, challenge) = hand_out(shared, Purpose::Authenticate);
    Ok(Some(json!({
        "ticket": ticket,
        "authenticationOptions": {
            "challenge": challenge,
            "rpId": settings.rp_id,
            "allowCredentials": [],
            "timeout": CHALLENGE_TTL.as_millis() as u64,
        },
    })))
}

/// The credential's `id`, checked against `rawId` (both base64url, the same bytes).
fn credential_id(credential: &Map<String, Value>) -> Result<(String, Vec<u8>), Failure> {
    let id = req_str(credential, "id")?;
    let raw_id = req_str(credential, "rawId")?;
    let bytes = verify::unb64url(id).ok_or_else(|| refused("id is not base64url"))?;
    if verify::unb64url(raw_id).as_deref() != Some(bytes.as_slice()) {
        return Err(refused("rawId differs from id"));
    }
    // The spec's credential DTOs require `type`: left out, it is a malformed body (2231).
    if req_str(credential, "type")? != "public-key" {
        return Err(refused("credential type"));
    }
    Ok((verify::b64url(&bytes), bytes))
}

/// The assertion's `userHandle`: the spec's `AuthenticatorAssertionResponseDto` requires
/// the field (left out or null: 2231), but WebAuthn lets a non-discoverable credential
/// give no handle, so an empty string is accepted as "none" (the SDK sends that).
fn user_handle(response: &Map<String, Value>) -> Result<Option<&str>, Failure> {
    match response.get("userHandle") {
        None | Some(Value::Null) => Err(Failure::params(Msg::MissingField("userHandle"))),
        Some(Value::String(handle)) => Ok(Some(handle.as_str()).filter(|h| !h.trim().is_empty())),
        Some(_) => Err(Failure::params(Msg::WrongType("userHandle"))),
    }
}

fn authenticator_code(body: &Map<String, Value>) -> Result<Option<String>, Failure> {
    match opt_text(body, "authenticatorCode")? {
        None => Ok(None),
        Some(code) => {
            let code = code.trim().to_ascii_lowercase();
            if CODES.contains(&code.as_str()) {
                Ok(Some(code))
            } else {
                Err(Failure::params(Msg::family(WebauthnMsg::BadCode)))
            }
        }
    }
}

/// Checks the flags of authenticatorData.
fn flags_ok(flags: u8, require_uv: bool) -> Result<(), Failure> {
    if flags & verify::USER_PRESENT == 0 {
        return Err(refused("user presence flag"));
    }
    if require_uv && flags & verify::USER_VERIFIED == 0 {
        return Err(refused("user verification flag"));
    }
    Ok(())
}

/// `POST /api/v3/webauthn/registration`.
fn verify_registration(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let ticket = req_str(body, "ticket")?;
    let credential = req_obj(body, "registrationCredential")?;
    let response = req_obj(credential, "response")?;
    let attestation = req_str(response, "attestationObject")?;
    let client_data = req_str(response, "clientDataJSON")?;
    let code = authenticator_code(body)?.unwrap_or_else(|| "other".into());
    let transports: Vec<String> = match credential.get("transports") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .take(8)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let now = state.now();
    let webauthn = &mut state.families.webauthn;
    let taken = webauthn.take(ticket, now).ok_or_else(bad_ticket)?;
    if taken.purpose != Purpose::Register(user.clone()) {
        return Err(bad_ticket());
    }
    let settings = webauthn.settings.clone();
    verify::client_data(client_data, "webauthn.create", &taken.challenge, &settings)
        .map_err(refused)?;
    let (id, id_bytes) = credential_id(credential)?;
    let raw = verify::attestation(attestation).map_err(refused)?;
    let data = verify::auth_data(&raw).map_err(refused)?;
    if data.rp_id_hash != verify::sha256(settings.rp_id.as_bytes()) {
        return Err(refused("rp id hash"));
    }
    flags_ok(data.flags, settings.require_user_verification)?;
    let Some((attested_id, public_key)) = data.attested else {
        return Err(refused("no attested credential data"));
    };
    if attested_id != id_bytes {
        return Err(refused("credential id differs from the attested one"));
    }
    if webauthn.credential(&id).is_some() {
        return Err(Failure::new(400, None, Msg::family(WebauthnMsg::Exists)));
    }
    let max = state::MAX_CREDENTIALS_PER_USER;
    if webauthn.of(&user).count() >= max {
        return Err(Failure::new(
            400,
            None,
            Msg::family(WebauthnMsg::TooMany(max)),
        ));
    }
    webauthn.add(Credential {
        id,
        user,
        public_key,
        counter: data.counter,
        authenticator_code: code,
        transports,
        created_at: now,
        last_used_at: None,
    });
    Ok(Some(json!({ "verified": true })))
}

/// `POST /api/v3/webauthn/authentication`.
fn verify_authentication(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let outcome = authenticate(shared, request, body);
    if let Ok(Some(data)) = &outcome {
        let tokens = Ok(data.get("tokenSet").cloned());
        crate::families::devices::record(shared, request, &tokens);
    }
    outcome
}

fn authenticate(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let ticket = req_str(body, "ticket")?;
    let credential = req_obj(body, "authenticationCredential")?;
    let response = req_obj(credential, "response")?;
    let auth_data = req_str(response, "authenticatorData")?;
    let client_data = req_str(response, "clientDataJSON")?;
    let signature = req_str(response, "signature")?;
    let user_handle = user_handle(response)?;
    let options = Options::parse(body)?;
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let webauthn = &mut state.families.webauthn;
    let taken = webauthn.take(ticket, now).ok_or_else(bad_ticket)?;
    if taken.purpose != Purpose::Authenticate {
        return Err(bad_ticket());
    }
    let settings = webauthn.settings.clone();
    let client_bytes =
        verify::client_data(client_data, "webauthn.get", &taken.challenge, &settings)
            .map_err(refused)?;
    let (id, _) = credential_id(credential)?;
    let stored = webauthn
        .credential(&id)
        .cloned()
        .ok_or_else(|| refused("unknown credential"))?;
    if let Some(handle) = user_handle {
        if verify::unb64url(handle).as_deref() != Some(stored.user.as_bytes()) {
            return Err(refused("user handle"));
        }
    }
    let raw =
        verify::unb64url(auth_data).ok_or_else(|| refused("authenticatorData is not base64url"))?;
    let data = verify::auth_data(&raw).map_err(refused)?;
    if data.rp_id_hash != verify::sha256(settings.rp_id.as_bytes()) {
        return Err(refused("rp id hash"));
    }
    flags_ok(data.flags, settings.require_user_verification)?;
    let signature =
        verify::unb64url(signature).ok_or_else(|| refused("signature is not base64url"))?;
    if !verify::signature_ok(&stored.public_key, &raw, &client_bytes, &signature) {
        return Err(refused("signature"));
    }
    if (data.counter != 0 || stored.counter != 0) && data.counter <= stored.counter {
        return Err(refused("signature counter did not increase"));
    }
    if let Some(kept) = webauthn.credential_mut(&id) {
        kept.counter = data.counter;
        kept.last_used_at = Some(now);
    }
    let index = state
        .users
        .by_id(&stored.user)
        .ok_or_else(|| refused("unknown credential"))?;
    let user = state
        .users
        .get_mut(index)
        .ok_or_else(|| refused("unknown credential"))?;
    if let Some(left) = user.locked_for(now) {
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        return Err(Failure::new(
            403,
            Some(USER_LOCKED),
            Msg::family(crate::families::session::msg::SessionMsg::Locked(
                secs.max(1),
            )),
        ));
    }
    user.record_success(now, None);
    let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer: &issuer,
        audience: &shared.config.app_id,
        scope: options.scope(),
        nonce: None,
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let user = state
        .users
        .get(index)
        .ok_or_else(|| refused("unknown credential"))?;
    let set = state.sessions.issue(user, &grant);
    Ok(Some(json!({ "verified": true, "tokenSet": set.to_json() })))
}

fn credential_json(credential: &Credential) -> Value {
    json!({
        "credentialId": credential.id,
        "authenticatorCode": credential.authenticator_code,
        "transports": credential.transports,
        "counter": credential.counter,
        "createdAt": iso8601(credential.created_at),
        "lastUsedAt": credential.last_used_at.map(iso8601),
    })
}

/// `POST /api/v3/webauthn/page-authenticator-device`: the list bare, as the spec draws
/// it; a failure (app id, body, bearer) is the envelope.
fn list_bare(shared: &Shared, request: &Request, lang: Lang) -> Response {
    let app_ok = request
        .header("x-authing-app-id")
        .is_some_and(|id| id.trim() == shared.config.app_id);
    let outcome = if !app_ok {
        Err(Failure::new(404, Some(APP_NOT_FOUND), Msg::AppNotFound))
    } else {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(body)) => list(shared, request, &body),
            Ok(_) => Err(Failure::params(Msg::NotObject)),
            Err(_) => Err(Failure::params(Msg::NotJson)),
        }
    };
    match outcome {
        Ok(data) => Response::json(&data.unwrap_or(Value::Null)),
        Err(f) => envelope(
            lang,
            shared.request_id(),
            f.status,
            f.api_code,
            &f.msg,
            f.data,
        )
        .status(f.http_status),
    }
}

fn list(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let code = authenticator_code(body)?;
    let state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let list: Vec<Value> = state
        .families
        .webauthn
        .of(&user)
        .filter(|c| code.as_deref().is_none_or(|k| c.authenticator_code == k))
        .map(credential_json)
        .collect();
    Ok(Some(json!({ "totalCount": list.len(), "list": list })))
}

/// `POST /api/v3/webauthn/check-valid-credentials-by-credIds`.
fn check_valid(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let code = authenticator_code(body)?;
    let ids: Vec<&str> = match body.get("credentialIds") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(Value::as_str)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Failure::params(Msg::family(WebauthnMsg::BadIds)))?,
        Some(_) => return Err(Failure::params(Msg::family(WebauthnMsg::BadIds))),
    };
    let state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    let valid: Vec<Value> = ids
        .into_iter()
        .filter(|id| {
            state.families.webauthn.credential(id).is_some_and(|c| {
                c.user == user && code.as_deref().is_none_or(|k| c.authenticator_code == k)
            })
        })
        .map(|id| json!({ "credentialId": id }))
        .collect();
    Ok(Some(Value::Array(valid)))
}

/// `POST /api/v3/webauthn/remove-credential/{credentialID}`.
fn remove_one(shared: &Shared, request: &Request, _: &Map<String, Value>) -> Outcome {
    let id = crate::core::urlencoded::decode_path(&request.path[REMOVE_PREFIX.len()..]);
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    if !state.families.webauthn.remove(&user, &id) {
        return Err(Failure::new(
            404,
            None,
            Msg::family(WebauthnMsg::NoSuchCredential),
        ));
    }
    Ok(Some(json!({ "success": true })))
}

/// `POST /api/v3/webauthn/remove-credentials-by-authenticator-code`.
fn remove_all(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let code = authenticator_code(body)?;
    let mut state = shared.state();
    let user = caller::bearer_user_id(&state, request)?;
    state.families.webauthn.remove_all(&user, code.as_deref());
    Ok(Some(json!({ "success": true })))
}
