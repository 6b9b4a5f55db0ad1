//! Who is calling: the client (app id and secret, in the body or as HTTP Basic), the
//! signed-in user's bearer token and its user, the password a client sent (decrypted), and
//! the issuer URL of the tokens.

use serde_json::{Map, Value};

use crate::core::codes::{NOT_SIGNED_IN, USER_NOT_FOUND};
use crate::core::envelope::Failure;
use crate::core::fields::{opt_obj, opt_str};
use crate::core::msg::Msg;
use crate::core::password_decrypt::{self as password, Encryption};
use crate::core::state::State;
use crate::core::state_guard::StateGuard;
use crate::core::users::User;
use crate::http::server::Shared;
use crate::http::Request;

/// `id:secret` of an `Authorization: Basic` header (RFC 6749 section 2.3.1: each
/// form-urlencoded before they are joined); `Ok(None)` without one, `Err` for a Basic
/// header that does not decode.
pub(crate) fn basic_credentials(request: &Request) -> Result<Option<(String, String)>, ()> {
    let Some(value) = request.header("authorization").map(str::trim) else {
        return Ok(None);
    };
    let Some((scheme, rest)) = value.split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let text = crate::core::codec::unbase64(rest.trim())
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(())?;
    let (id, secret) = text.split_once(':').ok_or(())?;
    let decode = |s: &str| {
        crate::core::urlencoded::parse(&format!("v={s}"))
            .get("v")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(Some((decode(id), decode(secret))))
}

/// The app's Basic credentials, if any: a header that does not decode counts as none.
fn basic(request: &Request) -> Option<(String, String)> {
    basic_credentials(request).ok().flatten()
}

/// Whether the client credentials in `params` (`client_id`, `client_secret`) and the
/// Basic header, where given, are the app's. With `id_required`, a client that names
/// itself neither way is refused.
pub(crate) fn client_ok(
    shared: &Shared,
    request: &Request,
    params: &Map<String, Value>,
    id_required: bool,
) -> bool {
    let app = &shared.config.app_id;
    let secret = &shared.config.session.app_secret;
    let basic = basic(request);
    if let Some((id, s)) = &basic {
        if id != app || s != secret {
            return false;
        }
    }
    let text = |key: &str| {
        params
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    if let Some(id) = text("client_id") {
        if id != app {
            return false;
        }
    }
    if let Some(s) = text("client_secret") {
        if s != secret {
            return false;
        }
    }
    !id_required || basic.is_some() || text("client_id").is_some()
}

/// The invalid-client failure of the v3 endpoints: statusCode 401, no apiCode.
pub(crate) fn invalid_client() -> Failure {
    Failure::new(401, None, Msg::InvalidClient)
}

/// The bearer token of a request: `Authorization: Bearer <token>`, or the bare token
/// (Authing's Node and Python SDKs send it without `Bearer `). Empty when there is none
/// (or when the header is HTTP Basic).
pub(crate) fn bearer(request: &Request) -> &str {
    let value = request.header("authorization").unwrap_or_default().trim();
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        Some(_) => "",
        None => value,
    }
}

/// The state, locked, and the index of the bearer's user: 401 / 2020 without a valid
/// access token, 404 / 2004 when its user is gone.
pub(crate) fn signed_in<'a>(
    shared: &'a Shared,
    request: &Request,
) -> Result<(StateGuard<'a>, usize), Failure> {
    let state = shared.state();
    let id = bearer_user_id(&state, request)?;
    let index = state.users.by_id(&id).ok_or_else(user_gone)?;
    Ok((state, index))
}

/// The id of the user whose access token `request` carries as its bearer, or 401 / 2020
/// (the one check every signed-in endpoint makes, [`signed_in`] and the MFA family's).
pub(crate) fn bearer_user_id(state: &State, request: &Request) -> Result<String, Failure> {
    state
        .sessions
        .authenticate(bearer(request), state.now())
        .map_err(|why| Failure::new(401, Some(NOT_SIGNED_IN), Msg::NotSignedIn(why)))
}

/// The user at `index` of `state`, as [`signed_in`] found it (under the same lock).
pub(crate) fn user_at(state: &State, index: usize) -> Result<&User, Failure> {
    state.users.get(index).ok_or_else(user_gone)
}

/// The signed-in user no longer exists: 404 / 2004.
fn user_gone() -> Failure {
    Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound)
}

/// The `passwordEncryptType` of an `options` object (`none` when left out).
pub(crate) fn encrypt_type(options: Option<&Map<String, Value>>) -> Result<Encryption, Failure> {
    let Some(options) = options else {
        return Ok(Encryption::Plain);
    };
    Encryption::parse(opt_str(options, "passwordEncryptType")?)
        .ok_or_else(|| Failure::params(Msg::UnknownEncryptType))
}

/// The `password` of `payload`, decrypted as the `options` of `body` say. A password that
/// does not decrypt is a parameter error (400, apiCode 2231), as in `reset-password`.
pub(crate) fn password(
    body: &Map<String, Value>,
    payload: &Map<String, Value>,
) -> Result<String, Failure> {
    let kind = encrypt_type(opt_obj(body, "options")?)?;
    let wire =
        opt_str(payload, "password")?.ok_or(Failure::params(Msg::MissingField("password")))?;
    password::open(kind, wire)
        .map(|(plain, _form)| plain)
        .ok_or_else(|| {
            Failure::new(
                400,
                Some(crate::core::codes::BAD_PARAMS),
                Msg::Undecryptable(kind.as_str()),
            )
        })
}

/// The issuer of the tokens: `http://<Host header>/oidc` (the bound address without one;
/// `https://` when the emulator serves TLS).
pub(crate) fn issuer(shared: &Shared, request: &Request) -> String {
    let host = request
        .header("host")
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map_or_else(|| shared.addr.to_string(), str::to_owned);
    format!("{}://{host}/oidc", shared.scheme())
}
