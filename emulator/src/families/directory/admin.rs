//! The directory family's admin API (`/emulator/v1/`, plain JSON, real HTTP statuses) and
//! the same on the [`Emulator`] handle (giving a user apps, tenants, roles, groups,
//! departments and resources, adding the providers the app offers, linking identities,
//! completing a `link-extidp` link as a browser would), through the same functions:
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
use crate::{Emulator, UserIdentity};

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

impl Emulator {
    /// Lets the user named by `user` access the app `app` (made in the pool if new);
    /// returns the app's id. `get_accessible_apps` lists it after the emulator's own app.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewApp, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// let id = emulator.assign_app("alice", NewApp::new("Console"))?;
    /// assert_eq!(id.len(), 24);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_app(
        &self,
        user: &(impl UserIdentity + ?Sized),
        app: NewApp,
    ) -> Result<String, SeedError> {
        self.server
            .shared
            .state()
            .assign_app(&user.identity(), &app)
    }

    /// Makes the user named by `user` a member of the tenant `tenant` (made if new), as of
    /// now (emulator clock); returns the tenant's id.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewTenant, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// emulator.assign_tenant("alice", NewTenant::new("Acme"))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_tenant(
        &self,
        user: &(impl UserIdentity + ?Sized),
        tenant: NewTenant,
    ) -> Result<String, SeedError> {
        self.server
            .shared
            .state()
            .assign_tenant(&user.identity(), &tenant)
    }

    /// Gives the user named by `user` the role `role` (made in its namespace if new);
    /// returns the role's id.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewRole, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// let admin = NewRole { name: Some("Administrator".into()), ..NewRole::new("admin") };
    /// emulator.assign_role("alice", admin)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_role(
        &self,
        user: &(impl UserIdentity + ?Sized),
        role: NewRole,
    ) -> Result<String, SeedError> {
        let mut state = self.server.shared.state();
        let id = state.assign_role(&user.identity(), &role)?;
        crate::families::events::user_updated(&mut state, &user.identity(), "roles");
        Ok(id)
    }

    /// Makes the user named by `user` a member of the group `group` (made if new);
    /// returns the group's id.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewGroup, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// emulator.assign_group("alice", NewGroup::new("eng"))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_group(
        &self,
        user: &(impl UserIdentity + ?Sized),
        group: NewGroup,
    ) -> Result<String, SeedError> {
        let mut state = self.server.shared.state();
        let id = state.assign_group(&user.identity(), &group)?;
        crate::families::events::user_updated(&mut state, &user.identity(), "groups");
        Ok(id)
    }

    /// Puts the user named by `user` in the department `department` (made if new; its
    /// parent must exist), as of now (emulator clock); returns the department's id.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewDepartment, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// emulator.assign_department("alice", NewDepartment::new("rnd", "R&D"))?;
    /// let backend = NewDepartment { parent: Some("rnd".into()), ..NewDepartment::new("backend", "Backend") };
    /// emulator.assign_department("alice", backend)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_department(
        &self,
        user: &(impl UserIdentity + ?Sized),
        department: NewDepartment,
    ) -> Result<String, SeedError> {
        self.server
            .shared
            .state()
            .assign_department(&user.identity(), &department)
    }

    /// Grants the user named by `user` the resource `resource` (replacing a grant of the
    /// same namespace and code); returns its code.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewResource, NewUser};
    /// use authing_emulator::ResourceType;
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// emulator.assign_resource("alice", NewResource::new("orders-menu", ResourceType::MENU))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_resource(
        &self,
        user: &(impl UserIdentity + ?Sized),
        resource: NewResource,
    ) -> Result<String, SeedError> {
        self.server
            .shared
            .state()
            .assign_resource(&user.identity(), &resource)
    }

    /// Offers an external identity provider through the app (`get_ext_idps` lists it,
    /// `link_ext_idp` takes its identifier); returns the provider's id. Refused when the
    /// connection identifier is taken.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewExtIdp};
    /// let emulator = Emulator::start()?;
    /// let id = emulator.add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))?;
    /// assert!(emulator.add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_ext_idp(&self, ext_idp: NewExtIdp) -> Result<String, SeedError> {
        self.server
            .shared
            .state()
            .families
            .catalog
            .add_ext_idp(&ext_idp)
    }

    /// Links to the user named by `user` its identity `identity` at a provider the app
    /// offers (added first with [`add_ext_idp`](Self::add_ext_idp)); returns the identity's
    /// id. Refused when another user (or this one) has linked that identity already.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewExtIdp, NewIdentity, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// emulator.add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))?;
    /// emulator.link_identity("alice", NewIdentity::new("my-github", "octocat"))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn link_identity(
        &self,
        user: &(impl UserIdentity + ?Sized),
        identity: NewIdentity,
    ) -> Result<String, SeedError> {
        self.server
            .shared
            .state()
            .link_identity(&user.identity(), &identity)
    }

    /// Does what a browser opening the URL `link_ext_idp` answered does: the user "signs
    /// in to the provider" and a new identity (a made-up id at the provider) is linked to
    /// the user who asked; returns its id. The URL's ticket is single-use and lasts 10
    /// minutes (emulator clock). Opening the URL with any HTTP client does the same.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.complete_ext_idp_link("http://127.0.0.1/emulator/v1/ext-idps/authorize?ticket=unknown").is_err());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn complete_ext_idp_link(&self, url: &str) -> Result<String, SeedError> {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let query = query.split('#').next().unwrap_or_default();
        let params = urlencoded::parse(query);
        let ticket = params
            .get("ticket")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        self.server.shared.state().complete_link(ticket)
    }
}
