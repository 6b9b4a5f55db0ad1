//! The OpenID Connect family: the authorization endpoint `GET /oidc/auth` with its hosted
//! login and consent pages (`POST /oidc/interaction/{uid}/login` and `.../consent`), the
//! `authorization_code` grant of `POST /oidc/token` (the endpoint itself is in
//! the session family, which hands this grant here), `GET`/`POST /oidc/me`, `POST
//! /oidc/token/introspection` (RFC 7662) and `GET /oidc/session/end`.
//!
//! The emulator's rules (docs/EMULATOR.md, "OpenID Connect"):
//! - At most `MAX_OIDC_INTERACTIONS` sign-in pages and `MAX_OIDC_CODES` codes are
//!   kept (the oldest forgotten first), and `state`, `nonce` and `redirect_uri` are
//!   bounded, so abandoned sign-ins cannot grow memory without bound.
//! - `client_id` must be the app id, `redirect_uri` a loopback `http` URL (any port, RFC
//!   8252 section 7.3) or Android's default `https://console.authing.cn/console/get-started/{appId}`;
//!   otherwise an error page, never a redirect.
//! - Other faults of the request go back to the app as `error=..` on the redirect.
//! - A code is bound to the client, the redirect URL, the PKCE challenge, the user and
//!   the browser session; it lives 10 minutes on the emulator's clock and is spent by its
//!   first exchange, good or bad. A replayed code revokes the tokens issued for it.
//! - A code issued without a PKCE challenge needs the client secret at the exchange.
//! - The id_token of the code flow carries `sid`, the browser session, which
//!   `/oidc/session/end` ends.

pub(crate) mod admin;
pub(crate) mod browser;
pub(crate) mod extidp;
pub(crate) mod pages;
pub(crate) mod state;
pub(crate) mod validate;

use serde_json::{json, Map, Value};

use crate::core::codes::USER_LOCKED;
use crate::core::envelope::{oauth_error, Endpoint, Route};
use crate::core::msg::{Lang, Localized, Msg};
use crate::core::tokens::{self, Grant};
use crate::core::users::AccountKey;
use crate::core::{caller, urlencoded};
use crate::families::oidc::pages::SESSION_COOKIE;
use crate::families::oidc::state::{
    self as oidc, Challenge, CodeError, IdTokenTamper, MAX_OIDC_REDIRECT_URI_BYTES,
    MAX_OIDC_STATE_BYTES,
};
use crate::families::session::msg::SessionMsg;
use crate::families::session::signin::check;
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let raw = |method, handler| {
        Some(Route {
            method,
            endpoint: Endpoint::Raw(handler),
        })
    };
    match path {
        "/oidc/auth" => raw("GET", authorize),
        "/oidc/me" | "/oidc/me/" => raw("GET, POST", userinfo),
        "/oidc/token/introspection" => raw("POST", introspect),
        "/oidc/session/end" => raw("GET", end_session),
        "/api/v2/oidc/validate_token" => raw("GET", validate::validate_token),
        "/api/v3/signin-by-extidp" => raw("GET", extidp::sign_in_by_ext_idp),
        _ => match interaction(path) {
            Some((_, "login")) => raw("POST", login),
            Some((_, "consent")) => raw("POST", consent),
            _ => None,
        },
    }
}

/// `(uid, step)` of `/oidc/interaction/{uid}/{step}`.
fn interaction(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/oidc/interaction/")?;
    let (uid, step) = rest.split_once('/')?;
    (!uid.is_empty() && !step.contains('/')).then_some((uid, step))
}

/// A non-empty text parameter.
pub(crate) fn text<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    params
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Whether `uri` is a redirect URL the emulator's app accepts: a loopback `http` URL on
/// any port, or Android's default for the app.
pub(crate) fn allowed_redirect(uri: &str, app_id: &str) -> bool {
    if uri.contains('#') || uri.bytes().any(|b| !b.is_ascii_graphic()) {
        return false;
    }
    if uri == format!("https://console.authing.cn/console/get-started/{app_id}") {
        return true;
    }
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let (host, port) = match authority.strip_prefix("[::1]") {
        Some(port) => ("[::1]", port),
        None => match authority.split_once(':') {
            Some((host, port)) => (host, port),
            None => (authority, ""),
        },
    };
    let port = port.strip_prefix(':').unwrap_or(port);
    ["127.0.0.1", "localhost", "[::1]"].contains(&host) && port.bytes().all(|b| b.is_ascii_digit())
}

/// `uri` with `pairs` appended to its query.
pub(crate) fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{}", crate::core::codec::query(pairs))
}

/// The browser session named by the request's cookie.
fn cookie_sid(request: &Request) -> Option<&str> {
    request
        .header("cookie")?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
}

fn set_cookie(sid: &str) -> String {
    format!("{SESSION_COOKIE}={sid}; Path=/oidc; HttpOnly; SameSite=Lax")
}

/// The authorization request of an `/oidc/auth`-like query (the app's client_id, an
/// allowed redirect_uri, `code`, a scope with `openid`, a state, an optional nonce and PKCE
/// challenge), and its `prompt`; or the answer that refuses it: an error page while the
/// redirect is not known good, else a redirect back with the OAuth error. `/oidc/auth` and
/// `/api/v3/signin-by-extidp` (`extidp.rs`) share it.
pub(crate) fn checked_request<'q>(
    shared: &Shared,
    q: &'q Map<String, Value>,
) -> Result<(oidc::Request, Option<&'q str>), Response> {
    let app_id = &shared.config.app_id;
    if text(q, "client_id") != Some(app_id.as_str()) {
        return Err(pages::error(
            400,
            "The client_id is not an app of this emulator.",
        ));
    }
    let Some(redirect_uri) = text(q, "redirect_uri") else {
        return Err(pages::error(400, "The redirect_uri is missing."));
    };
    if redirect_uri.len() > MAX_OIDC_REDIRECT_URI_BYTES {
        return Err(pages::error(
            400,
            &format!("The redirect_uri is too long: at most {MAX_OIDC_REDIRECT_URI_BYTES} bytes."),
        ));
    }
    if !allowed_redirect(redirect_uri, app_id) {
        return Err(pages::error(
            400,
            "The redirect_uri is not one of the app's callback URLs (the emulator accepts loopback http URLs).",
        ));
    }
    let state = text(q, "state");
    if state.is_some_and(|s| s.len() > MAX_OIDC_STATE_BYTES) {
        // Not echoed: the answer stays as bounded as what is kept.
        let description = format!("state is too long: at most {MAX_OIDC_STATE_BYTES} bytes");
        let pairs = [
            ("error", "invalid_request"),
            ("error_description", description.as_str()),
        ];
        return Err(pages::redirect(&with_query(redirect_uri, &pairs)));
    }
    let back = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(state) = state {
            pairs.push(("state", state));
        }
        pages::redirect(&with_query(redirect_uri, &pairs))
    };
    if text(q, "response_type") != Some("code") {
        return Err(back(
            "unsupported_response_type",
            "the emulator supports response_type code only",
        ));
    }
    let scope = text(q, "scope").unwrap_or_default();
    if !tokens::has_scope(scope, "openid") {
        return Err(back("invalid_scope", "scope must contain openid"));
    }
    if state.is_none() {
        return Err(back("invalid_request", "state is required"));
    }
    let nonce = text(q, "nonce");
    if nonce.is_some_and(|n| n.len() > MAX_OIDC_STATE_BYTES) {
        let description = format!("nonce is too long: at most {MAX_OIDC_STATE_BYTES} bytes");
        return Err(back("invalid_request", &description));
    }
    let challenge = match text(q, "code_challenge") {
        None if text(q, "code_challenge_method").is_some() => {
            return Err(back(
                "invalid_request",
                "code_challenge_method needs a code_challenge",
            ));
        }
        None => None,
        Some(value) => {
            let method = text(q, "code_challenge_method").unwrap_or("plain");
            if method != "S256" && method != "plain" {
                return Err(back(
                    "invalid_request",
                    "code_challenge_method must be S256 or plain",
                ));
            }
            if !crate::families::oidc::state::is_pkce_verifier(value) {
                return Err(back(
                    "invalid_request",
                    "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
                ));
            }
            Some(Challenge {
                value: value.to_string(),
                method: method.to_string(),
            })
        }
    };
    let prompt = text(q, "prompt");
    let auth_request = oidc::Request {
        client_id: app_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        scope: scope.to_string(),
        state: state.map(str::to_string),
        nonce: nonce.map(str::to_string),
        challenge,
    };
    Ok((auth_request, prompt))
}

fn authorize(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let q = urlencoded::parse(&request.query);
    let (auth_request, prompt) = match checked_request(shared, &q) {
        Ok(checked) => checked,
        Err(refused) => return refused,
    };
    let scope = auth_request.scope.clone();
    let scope = scope.as_str();
    let (redirect_uri, state) = (
        auth_request.redirect_uri.clone(),
        auth_request.state.clone(),
    );
    let back = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(state) = state.as_deref() {
            pairs.push(("state", state));
        }
        pages::redirect(&with_query(&redirect_uri, &pairs))
    };
    let mut state_guard = shared.state();
    let st = &mut *state_guard;
    let now = st.now();
    let session = cookie_sid(request).and_then(|sid| {
        st.families
            .oidc
            .active_session(sid)
            .map(|user| (sid.to_string(), user.to_string()))
    });
    if prompt == Some("none") {
        return match session {
            None => back("login_required", "nobody is signed in in this browser"),
            Some(_) => back(
                "consent_required",
                "the emulator asks for consent on every sign-in",
            ),
        };
    }
    let uid = st.families.oidc.open(auth_request, now);
    let app_name = shared.config.get_app_name();
    match session.filter(|_| prompt != Some("login")) {
        Some((sid, user)) => {
            st.families.oidc.sign_in(&uid, &user, Some(&sid));
            let shown = display_name(st, &user);
            pages::consent(&uid, &app_name, &shown, scope)
        }
        None => pages::login(200, &uid, &app_name, None, ""),
    }
}

/// How the consent page names `user`: username, email, phone or id.
fn display_name(state: &crate::core::state::State, user: &str) -> String {
    let Some(u) = state.users.by_id(user).and_then(|i| state.users.get(i)) else {
        return user.to_string();
    };
    u.username
        .clone()
        .or_else(|| u.email.clone())
        .or_else(|| u.phone.as_ref().map(|(cc, n)| format!("{cc} {n}")))
        .unwrap_or_else(|| u.id.clone())
}

pub(crate) fn expired_page() -> Response {
    pages::error(
        400,
        "This sign-in page has expired or was already used. Start the sign-in again from the app.",
    )
}

fn login(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let Some((uid, _)) = interaction(&request.path) else {
        return expired_page();
    };
    let params = urlencoded::params(&request.body);
    let app_name = &shared.config.get_app_name();
    {
        let state = shared.state();
        if state.families.oidc.interaction(uid, state.now()).is_none() {
            return expired_page();
        }
    }
    let account = text(&params, "account").unwrap_or_default().to_string();
    let password = params
        .get("password")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if account.is_empty() || password.is_empty() {
        let why = "Enter your account and your password.";
        return pages::login(400, uid, app_name, Some(why), &account);
    }
    let find =
        |state: &crate::core::state::State| state.users.by_account(AccountKey::Account, &account);
    let refused = match check(shared, find, None, password) {
        Ok(Some(id)) => {
            let mut guard = shared.state();
            let st = &mut *guard;
            let now = st.now();
            if let Some(user) = st.users.by_id(&id).and_then(|i| st.users.get_mut(i)) {
                user.record_success(now, None);
            }
            let Some(sid) = st.families.oidc.sign_in(uid, &id, cookie_sid(request)) else {
                return expired_page();
            };
            let scope = st
                .families
                .oidc
                .interaction(uid, now)
                .map(|r| r.scope.clone())
                .unwrap_or_default();
            let shown = display_name(st, &id);
            return pages::consent(uid, app_name, &shown, &scope)
                .header("Set-Cookie", set_cookie(&sid));
        }
        Ok(None) => (401, SessionMsg::WrongAccountOrPassword.text(Lang::En)),
        // A locked account is forbidden; any other refusal asks for the password again.
        Err(failure) if failure.api_code == Some(USER_LOCKED) => (403, failure.msg.text(Lang::En)),
        Err(failure) => (401, failure.msg.text(Lang::En)),
    };
    pages::login(refused.0, uid, app_name, Some(&refused.1), &account)
}

fn consent(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let Some((uid, _)) = interaction(&request.path) else {
        return expired_page();
    };
    let params = urlencoded::params(&request.body);
    let allow = match text(&params, "decision") {
        Some("allow") => true,
        Some("deny") => false,
        _ => return pages::error(400, "The decision must be allow or deny."),
    };
    let mut guard = shared.state();
    let st = &mut *guard;
    let now = st.now();
    let Some((user, sid)) = st.families.oidc.signed_in(uid, now) else {
        return match st.families.oidc.interaction(uid, now) {
            Some(_) => pages::error(400, "Sign in before giving consent."),
            None => expired_page(),
        };
    };
    let Some(auth_request) = st.families.oidc.close(uid) else {
        return expired_page();
    };
    let state = auth_request.state.clone().unwrap_or_default();
    let redirect_uri = auth_request.redirect_uri.clone();
    if !allow {
        let pairs = [
            ("error", "access_denied"),
            ("error_description", "the user denied consent"),
            ("state", state.as_str()),
        ];
        return pages::redirect(&with_query(&redirect_uri, &pairs));
    }
    let code = st.families.oidc.issue_code(auth_request, user, sid, now);
    let pairs = [("code", code.as_str()), ("state", state.as_str())];
    pages::redirect(&with_query(&redirect_uri, &pairs))
}

/// The `authorization_code` grant of `POST /oidc/token`, once the client is known to be
/// the app.
pub(crate) fn code_grant(
    shared: &Shared,
    request: &Request,
    params: &Map<String, Value>,
) -> Response {
    let Some(code) = text(params, "code") else {
        return oauth_error(400, "invalid_request", "code is required");
    };
    let Some(redirect_uri) = text(params, "redirect_uri") else {
        return oauth_error(400, "invalid_request", "redirect_uri is required");
    };
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let st = &mut *guard;
    let now = st.now();
    let record = match st.families.oidc.spend(code, now) {
        Ok(record) => record,
        Err((CodeError::Replayed, issued)) => {
            for token in issued {
                st.sessions.revoke(&token);
            }
            return oauth_error(
                400,
                "invalid_grant",
                "the code was already used; the tokens issued for it are revoked",
            );
        }
        Err(_) => return oauth_error(400, "invalid_grant", "the code is invalid or has expired"),
    };
    if text(params, "client_id").is_some_and(|id| id != record.request.client_id) {
        return oauth_error(
            400,
            "invalid_grant",
            "the code was issued to another client",
        );
    }
    if record.request.redirect_uri != redirect_uri {
        return oauth_error(
            400,
            "invalid_grant",
            "redirect_uri is not the one the code was issued for",
        );
    }
    match &record.request.challenge {
        Some(challenge) => {
            let Some(verifier) = text(params, "code_verifier") else {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "code_verifier is required: the authorization request sent a code_challenge",
                );
            };
            let computed = match challenge.method.as_str() {
                "S256" => s256(verifier),
                _ => verifier.to_string(),
            };
            if computed != challenge.value {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "code_verifier does not match the code_challenge",
                );
            }
        }
        None => {
            let secret = &shared.config.session.app_secret;
            let has_secret = text(params, "client_secret") == Some(secret.as_str())
                || request
                    .header("authorization")
                    .is_some_and(|h| h.trim().to_ascii_lowercase().starts_with("basic "));
            if !has_secret {
                return oauth_error(
                    401,
                    "invalid_client",
                    "a code issued without pkce needs the client secret",
                );
            }
        }
    }
    let Some(user) = st.users.by_id(&record.user).and_then(|i| st.users.get(i)) else {
        return oauth_error(
            400,
            "invalid_grant",
            "the user of the code no longer exists",
        );
    };
    let lifetimes = st.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer: &issuer,
        audience: &shared.config.app_id,
        scope: &record.request.scope,
        nonce: record.request.nonce.as_deref(),
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let mut set = st.sessions.issue(user, &grant);
    let tamper = st.families.oidc.take_tamper();
    set.id_token = reissue_id_token(&set.id_token, &record.sid, tamper, now);
    let mut issued = vec![set.access_token.clone()];
    issued.extend(set.refresh_token.clone());
    st.families.oidc.record_issued(code, issued);
    Response::json(&set.to_json())
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
}

/// `BASE64URL(SHA256(verifier))`.
fn s256(verifier: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use sha2::{Digest, Sha256};
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The id_token signed again with `sid` added, and spoiled as `tamper` says.
fn reissue_id_token(
    id_token: &str,
    sid: &str,
    tamper: Option<IdTokenTamper>,
    now: std::time::SystemTime,
) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let Some(mut claims) = tokens::verify(id_token) else {
        return id_token.to_string();
    };
    claims.insert("sid".into(), sid.into());
    let now = crate::core::state::unix_secs(now);
    match tamper {
        Some(IdTokenTamper::WrongAudience) => {
            claims.insert("aud".into(), "another-app".into());
        }
        Some(IdTokenTamper::Expired) => {
            claims.insert("iat".into(), now.saturating_sub(7200).into());
            claims.insert("exp".into(), now.saturating_sub(3600).into());
        }
        Some(IdTokenTamper::WrongNonce) => {
            claims.insert("nonce".into(), "not-the-nonce-of-the-request".into());
        }
        Some(IdTokenTamper::WrongIssuer) => {
            claims.insert("iss".into(), "https://issuer.invalid/oidc".into());
        }
        Some(IdTokenTamper::BadSignature) | None => {}
    }
    let signed = tokens::sign(&Value::Object(claims));
    if tamper != Some(IdTokenTamper::BadSignature) {
        return signed;
    }
    let Some((input, signature)) = signed.rsplit_once('.') else {
        return signed;
    };
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
    if let Some(first) = bytes.first_mut() {
        *first ^= 0x01;
    }
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// An OAuth bearer error of `/oidc/me` (RFC 6750 section 3).
fn bearer_error(description: &str) -> Response {
    Response::json_status(
        401,
        &json!({"error": "invalid_token", "error_description": description}),
    )
    .header(
        "WWW-Authenticate",
        "Bearer error=\"invalid_token\"".to_string(),
    )
    .header("Cache-Control", "no-store")
}

/// The access token of a userinfo request, sent one way of RFC 6750 section 2: the
/// `Authorization` header (bearer or bare, as Authing's SDKs send it), a form body
/// `access_token` (a POST with `application/x-www-form-urlencoded`), or the query's
/// `access_token`. Empty when none; a 400 `invalid_request` when more than one.
fn userinfo_token(request: &Request) -> Result<String, Response> {
    let header = caller::bearer(request);
    let query = urlencoded::parse(&request.query);
    let form = request.method == "POST"
        && request.header("content-type").is_some_and(|c| {
            c.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let body = if form {
        urlencoded::parse(&String::from_utf8_lossy(&request.body))
    } else {
        Map::new()
    };
    let found: Vec<String> = [
        Some(header),
        text(&query, "access_token"),
        text(&body, "access_token"),
    ]
    .into_iter()
    .flatten()
    .filter(|t| !t.is_empty())
    .map(str::to_owned)
    .collect();
    if found.len() > 1 {
        let response = Response::json_status(
            400,
            &json!({
                "error": "invalid_request",
                "error_description": "the access token must be sent one way only: the authorization header, the form body or the query",
            }),
        )
        .header("WWW-Authenticate", "Bearer error=\"invalid_request\"".to_string())
        .header("Cache-Control", "no-store");
        return Err(response);
    }
    Ok(found.into_iter().next().unwrap_or_default())
}

fn userinfo(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let bearer = match userinfo_token(request) {
        Ok(token) => token,
        Err(refused) => return refused,
    };
    let bearer = bearer.as_str();
    let issuer = caller::issuer(shared, request);
    let state = shared.state();
    let now = state.now();
    let id = match state.sessions.authenticate(bearer, now) {
        Ok(id) => id,
        Err(why) => return bearer_error(&Msg::NotSignedIn(why).text(Lang::En)),
    };
    let scope = state
        .sessions
        .scope_of(bearer)
        .unwrap_or_default()
        .to_owned();
    let Some(user) = state.users.by_id(&id).and_then(|i| state.users.get(i)) else {
        return bearer_error("the user of the token no longer exists");
    };
    let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer: &issuer,
        audience: &shared.config.app_id,
        scope: &scope,
        nonce: None,
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let mut claims = tokens::id_claims(user, &grant, 0, 0);
    if let Some(map) = claims.as_object_mut() {
        for registered in ["iss", "aud", "iat", "exp"] {
            map.remove(registered);
        }
    }
    Response::json(&claims).header("Cache-Control", "no-store")
}

/// `POST /oidc/token/introspection` (RFC 7662): the state of an access or refresh token,
/// for the app's client (authenticated as at `/oidc/token`: `client_secret_post`,
/// `client_secret_basic` or `none`). A token that is not live (unknown, revoked,
/// expired, spent, or its user gone) is `{"active": false}` and nothing else.
fn introspect(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let params = urlencoded::params(&request.body);
    if !caller::client_ok(shared, request, &params, true) {
        return oauth_error(
            401,
            "invalid_client",
            "client authentication failed: wrong or missing client_id or client_secret",
        );
    }
    let Some(token) = text(&params, "token") else {
        return oauth_error(400, "invalid_request", "token is required");
    };
    let issuer = caller::issuer(shared, request);
    let app_id = &shared.config.app_id;
    let state = shared.state();
    let now = state.now();
    let exists = |user: &str| state.users.by_id(user).is_some();
    let mut answer = json!({"active": false});
    if let Ok(user) = state.sessions.authenticate(token, now) {
        if let Some(claims) = tokens::verify(token).filter(|_| exists(&user)) {
            answer = json!({
                "active": true,
                "scope": claims.get("scope").cloned().unwrap_or_default(),
                "client_id": app_id,
                "sub": user,
                "exp": claims.get("exp").cloned().unwrap_or_default(),
                "iat": claims.get("iat").cloned().unwrap_or_default(),
                "iss": issuer,
                "jti": claims.get("jti").cloned().unwrap_or_default(),
                "token_type": "Bearer",
            });
        }
    } else if let Some(machine) = crate::families::machine::introspect(&state, token, &issuer) {
        answer = machine;
    } else if let Some((user, scope, expires_at)) = state.sessions.refresh_of(token, now) {
        if exists(user) {
            let exp = crate::core::state::unix_secs(expires_at);
            // The refresh token's lifetime is not kept with it: its `iat` counts back by
            // the lifetime set now (`session/lifetimes.rs`).
            let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
            let ttl = lifetimes.refresh_token.as_secs();
            answer = json!({
                "active": true,
                "scope": scope,
                "client_id": app_id,
                "sub": user,
                "exp": exp,
                "iat": exp.saturating_sub(ttl),
                "iss": issuer,
                "token_type": "refresh_token",
            });
        }
    }
    Response::json(&answer).header("Cache-Control", "no-store")
}

fn end_session(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let q = urlencoded::parse(&request.query);
    let app_id = &shared.config.app_id;
    let post_logout = text(&q, "post_logout_redirect_uri");
    let hinted_sid = match text(&q, "id_token_hint") {
        None if post_logout.is_some() => {
            return pages::error(400, "A post_logout_redirect_uri needs an id_token_hint.");
        }
        None => None,
        Some(hint) => match tokens::verify(hint) {
            Some(claims) if claims.get("aud").and_then(Value::as_str) == Some(app_id) => {
                claims.get("sid").and_then(Value::as_str).map(str::to_owned)
            }
            _ => {
                return pages::error(
                    400,
                    "The id_token_hint is not an id_token this emulator issued for the app.",
                )
            }
        },
    };
    if let Some(uri) = post_logout {
        if !allowed_redirect(uri, app_id) {
            return pages::error(
                400,
                "The post_logout_redirect_uri is not one of the app's URLs.",
            );
        }
    }
    {
        let mut state = shared.state();
        for sid in hinted_sid
            .iter()
            .map(String::as_str)
            .chain(cookie_sid(request))
        {
            state.families.oidc.end_session(sid);
        }
    }
    let cleared = format!("{SESSION_COOKIE}=; Path=/oidc; HttpOnly; SameSite=Lax; Max-Age=0");
    let response = match post_logout {
        Some(uri) => {
            let pairs: Vec<(&str, &str)> = text(&q, "state")
                .map(|s| ("state", s))
                .into_iter()
                .collect();
            let location = if pairs.is_empty() {
                uri.to_string()
            } else {
                with_query(uri, &pairs)
            };
            pages::redirect(&location)
        }
        None => pages::signed_out(),
    };
    response.header("Set-Cookie", cleared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_on_any_port_are_allowed_and_others_are_not() {
        for ok in [
            "http://127.0.0.1:8765/callback",
            "http://127.0.0.1/callback",
            "http://localhost:1/cb?x=1",
            "http://[::1]:9/cb",
            "https://console.authing.cn/console/get-started/app",
        ] {
            assert!(allowed_redirect(ok, "app"), "{ok}");
        }
        for bad in [
            "https://127.0.0.1:1/cb",
            "http://127.0.0.1.evil.example/cb",
            "http://evil.example/cb",
            "http://127.0.0.1:1/cb#frag",
            "http://127.0.0.1:x/cb",
            "http://localhost@evil.example/cb",
            "https://console.authing.cn/console/get-started/other",
        ] {
            assert!(!allowed_redirect(bad, "app"), "{bad}");
        }
    }

    #[test]
    fn interaction_paths_name_a_page_and_a_step() {
        assert_eq!(
            interaction("/oidc/interaction/u1/login"),
            Some(("u1", "login"))
        );
        assert_eq!(interaction("/oidc/interaction//login"), None);
        assert_eq!(interaction("/oidc/interaction/u1/login/x"), None);
    }

    #[test]
    fn the_s256_of_rfc_7636_appendix_b_is_reproduced() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
