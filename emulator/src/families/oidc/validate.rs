//! `GET /api/v2/oidc/validate_token?access_token=..` (or `?id_token=..`): the v2 online
//! check of a token the provider issued (the spec lists the path with no parameters or
//! answer; Authing's token docs give them). A valid token answers its decoded claims, as
//! plain JSON; another answers `{"code":400,"message":"access_token 不合法"}` (or
//! `id_token`), with HTTP 200 **(our choice: Authing's v2 endpoints carry their failure
//! in `code`; the docs show the body only)**.

use serde_json::{json, Map, Value};

use crate::core::msg::Lang;
use crate::core::state::unix_secs;
use crate::core::tokens;
use crate::core::urlencoded;
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The failure body, in `lang`.
fn invalid(what: &str, lang: Lang) -> Response {
    let message = match lang {
        Lang::En => format!("invalid {what}"),
        _ => format!("{what} 不合法"),
    };
    Response::json(&json!({ "code": 400, "message": message }))
}

pub(crate) fn validate_token(shared: &Shared, request: &Request, lang: Lang) -> Response {
    let query = urlencoded::parse(&request.query);
    let given = |key: &str| {
        query
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    let claims = match (given("access_token"), given("id_token")) {
        (Some(token), None) => access_claims(shared, token).ok_or("access_token"),
        (None, Some(token)) => id_claims(shared, token).ok_or("id_token"),
        _ => {
            let message = match lang {
                Lang::En => "pass either access_token or id_token, not both",
                _ => "请传入 access_token 或 id_token 其中之一",
            };
            return Response::json(&json!({ "code": 400, "message": message }));
        }
    };
    match claims {
        Ok(claims) => Response::json(&Value::Object(claims)).header("Cache-Control", "no-store"),
        Err(what) => invalid(what, lang),
    }
}

/// The claims of a live access token: a user's (signed in, not revoked) or a machine
/// client's.
fn access_claims(shared: &Shared, token: &str) -> Option<Map<String, Value>> {
    let state = shared.state();
    let now = state.now();
    let live = match state.sessions.authenticate(token, now) {
        Ok(user) => state.users.by_id(&user).is_some(),
        Err(_) => {
            let issuer = format!("{}://{}", shared.scheme(), shared.addr);
            crate::families::machine::introspect(&state, token, &issuer).is_some()
        }
    };
    live.then(|| tokens::verify(token)).flatten()
}

/// The claims of an id_token the emulator signed for this app, not expired on the
/// emulator clock.
fn id_claims(shared: &Shared, token: &str) -> Option<Map<String, Value>> {
    let claims = tokens::verify(token)?;
    let now = unix_secs(shared.state().now());
    let for_app = claims.get("aud").and_then(Value::as_str) == Some(&shared.config.app_id);
    let live = claims
        .get("exp")
        .and_then(Value::as_u64)
        .is_some_and(|exp| exp > now);
    // An access token has a `jti` (its record) and a `scope`; an id_token neither.
    let id_token = !claims.contains_key("jti") && !claims.contains_key("scope");
    (for_app && live && id_token).then_some(claims)
}
