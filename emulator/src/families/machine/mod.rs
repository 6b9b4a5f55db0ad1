//! The machine-to-machine family: the `client_credentials` grant of `POST /oidc/token`
//! (the endpoint itself is in the session family, which hands this grant here before it
//! checks the app's own client authentication), for the app's machine clients
//! (`state.rs`, created through the admin API, `admin.rs`); and the introspection and
//! revocation of the access tokens it issues (asked by the oidc and session families).
//!
//! The emulator's rules (docs/EMULATOR.md, "Machine-to-machine clients"):
//! - The client authenticates with `client_secret_post` (`client_id` and `client_secret`
//!   in the form) or `client_secret_basic` (`Authorization: Basic`); both at once must
//!   agree. Anything else is HTTP 401 `invalid_client`.
//! - `scope` (space-separated) may name only the client's scopes (else HTTP 400
//!   `invalid_scope`); left out, every scope of the client is granted.
//! - The access token is an RS256 JWT signed with the emulator's key (the JWKS's):
//!   `iss` the issuer, `aud` the app id, `sub` and `client_id` the machine client,
//!   `scope`, `iat`, `exp`, `jti`, `gty: "client-credentials"`. No refresh token, no
//!   id_token (RFC 6749 section 4.4.3). It lives the client's token lifetime on the
//!   emulator's clock.
//! - The answer is the spec's `LoginTokenResponseDataDto`: `access_token`, `token_type`,
//!   `expire_in` (Authing's spelling).

pub(crate) mod admin;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::envelope::oauth_error;
use crate::core::state::{unix_secs, State};
use crate::core::{caller, random, tokens};
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The `gty` claim of the grant's tokens.
const GTY: &str = "client-credentials";

/// The family has no endpoint of its own: `/oidc/token` is the session family's.
pub(crate) fn route(_path: &str) -> Option<crate::core::envelope::Route> {
    None
}

/// The `client_credentials` grant of `POST /oidc/token`.
pub(crate) fn client_credentials_grant(
    shared: &Shared,
    request: &Request,
    params: &Map<String, Value>,
) -> Response {
    let text = |key: &str| {
        params
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let invalid_client = |why: &str| oauth_error(401, "invalid_client", why);
    let from_header = match caller::basic_credentials(request) {
        Ok(pair) => pair,
        Err(()) => return invalid_client("the basic authorization header does not decode"),
    };
    let (id, secret) = match (from_header, text("client_id"), text("client_secret")) {
        (Some((id, secret)), body_id, body_secret) => {
            if body_id.is_some_and(|b| b != id) || body_secret.is_some_and(|b| b != secret) {
                return invalid_client(
                    "the basic authorization header and the form name different clients",
                );
            }
            (id, secret)
        }
        (None, Some(id), Some(secret)) => (id.to_owned(), secret.to_owned()),
        (None, _, _) => {
            return invalid_client(
                "client_credentials needs the client's client_id and client_secret \
                 (client_secret_post or client_secret_basic)",
            )
        }
    };
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state: &mut State = &mut guard;
    let now = state.now();
    let Some(client) = state.families.machine.authenticate(&id, &secret).cloned() else {
        return invalid_client("client authentication failed: wrong client_id or client_secret");
    };
    let granted: Vec<String> = match text("scope") {
        None => client.scopes.clone(),
        Some(asked) => {
            let asked: Vec<&str> = asked.split(' ').filter(|s| !s.is_empty()).collect();
            if let Some(unknown) = asked
                .iter()
                .find(|s| !client.scopes.iter().any(|c| c == *s))
            {
                let shown: String = unknown.chars().take(64).collect();
                return oauth_error(
                    400,
                    "invalid_scope",
                    &format!("the client may not be granted the scope {shown}"),
                );
            }
            asked.into_iter().map(str::to_owned).collect()
        }
    };
    let ttl = client.token_ttl;
    let (iat, exp) = (unix_secs(now), unix_secs(now + ttl));
    let jti = random::token();
    let access_token = tokens::sign(&json!({
        "iss": issuer,
        "aud": shared.config.app_id,
        "sub": client.client_id,
        "client_id": client.client_id,
        "scope": granted.join(" "),
        "iat": iat,
        "exp": exp,
        "jti": jti,
        "gty": GTY,
    }));
    state
        .families
        .machine
        .record(&jti, &client.client_id, now + ttl, now);
    Response::json(&json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expire_in": ttl.as_secs(),
    }))
    .header("Cache-Control", "no-store")
    .header("Pragma", "no-cache")
}

/// The `jti` of `token` when it is a grant's access token this emulator signed.
fn jti_of(token: &str) -> Option<(String, Map<String, Value>)> {
    let claims = tokens::verify(token)?;
    if claims.get("gty").and_then(Value::as_str) != Some(GTY) {
        return None;
    }
    let jti = claims.get("jti").and_then(Value::as_str)?.to_owned();
    Some((jti, claims))
}

/// RFC 7662's answer for `token` when it is a live access token of the grant (issued,
/// not revoked, not expired on the emulator's clock); `None` otherwise.
pub(crate) fn introspect(state: &State, token: &str, issuer: &str) -> Option<Value> {
    let (jti, claims) = jti_of(token)?;
    let issued = state.families.machine.live(&jti, state.now())?;
    Some(json!({
        "active": true,
        "scope": claims.get("scope").cloned().unwrap_or_default(),
        "client_id": issued.client_id,
        "sub": issued.client_id,
        "exp": claims.get("exp").cloned().unwrap_or_default(),
        "iat": claims.get("iat").cloned().unwrap_or_default(),
        "iss": issuer,
        "jti": jti,
        "token_type": "Bearer",
    }))
}

/// Revokes `token` when it is one of the grant's access tokens; whether it was.
pub(crate) fn revoke(state: &mut State, token: &str) -> bool {
    match jti_of(token) {
        Some((jti, _)) => state.families.machine.revoke(&jti),
        None => false,
    }
}
