//! The admin API of the directory (`/emulator/v1/`, plain JSON, real HTTP statuses):
//!
//! - `POST /emulator/v1/users/{user}/apps|tenants|roles|groups|departments|resources|identities`
//!   gives the user what the body describes ([`NewApp`], [`NewTenant`], [`NewRole`],
//!   [`NewGroup`], [`NewDepartment`], [`NewResource`], [`NewIdentity`] as camelCase JSON),
//!   making it in the pool first when new; answers `{"ok": true, "id": ..}`.
//! - `POST /emulator/v1/ext-idps` adds a provider the app offers ([`NewExtIdp`]); answers
//!   `{"ok": true, "extIdpId": ..}`.
//! - `GET /emulator/v1/ext-idps/authorize?ticket=..` is where `link-extidp`'s URL points:
//!   it links a new identity to the user who asked; answers `{"ok": true, "identityId": ..}`.
//!
//! Refusals: 404 for an unknown user, parent department, provider or ticket; 409 for a
//! taken connection identifier or identity; 400 for a body that is not the seed.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::core::state::State;
use crate::core::urlencoded;
use crate::families::directory::identities::AUTHORIZE_PATH;
use crate::families::directory::new_entries::{
    NewApp, NewDepartment, NewExtIdp, NewGroup, NewIdentity, NewResource, NewRole, NewTenant,
    SeedError,
};
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// What can be given to a user, by the last segment of its path.
const KINDS: &[&str] = &[
    "apps",
    "tenants",
    "roles",
    "groups",
    "departments",
    "resources",
    "identities",
];

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The answer to a refused seed.
fn refused(e: &SeedError) -> Response {
    let status = match e {
        SeedError::NoSuchUser(_) | SeedError::NotFound(_) => 404,
        SeedError::Duplicate(_) => 409,
        _ => 400,
    };
    error(status, &e.to_string())
}

/// The answer for a directory path, or `None` when `path` is not one.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path == "/emulator/v1/ext-idps" {
        return Some(only(request, "POST").unwrap_or_else(|| {
            seeded(request, "extIdpId", |seed: NewExtIdp| {
                shared.state().families.catalog.add_ext_idp(&seed)
            })
        }));
    }
    if path == AUTHORIZE_PATH {
        return Some(only(request, "GET").unwrap_or_else(|| {
            let query = urlencoded::parse(&request.query);
            let ticket = query.get("ticket").and_then(Value::as_str).unwrap_or("");
            match shared.state().complete_link(ticket) {
                Ok(id) => Response::json(&json!({ "ok": true, "identityId": id })),
                Err(e) => refused(&e),
            }
        }));
    }
    let rest = path.strip_prefix("/emulator/v1/users/")?;
    let (user, kind) = rest.split_once('/')?;
    if !KINDS.contains(&kind) {
        return None;
    }
    let user = urlencoded::decode_path(user);
    Some(only(request, "POST").unwrap_or_else(|| assign(shared, request, &user, kind)))
}

/// 405 unless the request's method is `method`.
fn only(request: &Request, method: &str) -> Option<Response> {
    (request.method != method)
        .then(|| error(405, "method not allowed on this endpoint").header("Allow", method))
}

/// Reads the body as a `T` and answers `{"ok": true, <key>: <what apply returns>}`.
fn seeded<T: DeserializeOwned>(
    request: &Request,
    key: &str,
    apply: impl FnOnce(T) -> Result<String, SeedError>,
) -> Response {
    let seed = match serde_json::from_slice::<T>(&request.body) {
        Ok(seed) => seed,
        Err(e) => return error(400, &format!("invalid body: {e}")),
    };
    match apply(seed) {
        Ok(id) => {
            let mut answer = json!({ "ok": true });
            answer[key] = id.into();
            Response::json(&answer)
        }
        Err(e) => refused(&e),
    }
}

fn assign(shared: &Shared, request: &Request, user: &str, kind: &str) -> Response {
    fn with<T: DeserializeOwned>(
        shared: &Shared,
        request: &Request,
        apply: impl FnOnce(&mut State, T) -> Result<String, SeedError>,
    ) -> Response {
        seeded(request, "id", |seed: T| apply(&mut shared.state(), seed))
    }
    match kind {
        "apps" => with(shared, request, |s, seed: NewApp| s.assign_app(user, &seed)),
        "tenants" => with(shared, request, |s, seed: NewTenant| {
            s.assign_tenant(user, &seed)
        }),
        "roles" => with(shared, request, |s, seed: NewRole| {
            s.assign_role(user, &seed)
        }),
        "groups" => with(shared, request, |s, seed: NewGroup| {
            s.assign_group(user, &seed)
        }),
        "departments" => with(shared, request, |s, seed: NewDepartment| {
            s.assign_department(user, &seed)
        }),
        "resources" => with(shared, request, |s, seed: NewResource| {
            s.assign_resource(user, &seed)
        }),
        _ => with(shared, request, |s, seed: NewIdentity| {
            s.link_identity(user, &seed)
        }),
    }
}
