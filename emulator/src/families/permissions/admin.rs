//! The permissions family's admin API (`/emulator/v1/`, plain JSON, real HTTP statuses)
//! and the same on the [`Emulator`] handle, through the same functions:
//!
//! - `POST /emulator/v1/data-resources` adds a data resource ([`NewDataResource`] as
//!   camelCase JSON); answers `{"ok": true, "code": ..}`.
//! - `POST /emulator/v1/permission-grants` grants a user, a role or a group actions on a
//!   resource or a tree node ([`NewGrant`] as camelCase JSON); answers
//!   `{"ok": true, "id": ..}`.
//!
//! Refusals: 404 for an unknown user, resource or tree node; 409 for a resource code taken
//! in its namespace (or a tree node code among its siblings); 400 for a body that is not
//! the seed, or an action the resource does not know; 405 for another method.

use serde::de::DeserializeOwned;
use serde_json::json;

use crate::core::state::State;
use crate::families::directory::new_entries::SeedError;
use crate::families::permissions::state::{NewDataResource, NewGrant};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

const RESOURCES_PATH: &str = "/emulator/v1/data-resources";
const GRANTS_PATH: &str = "/emulator/v1/permission-grants";

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The answer for a permissions path, or `None` when `path` is not one.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path != RESOURCES_PATH && path != GRANTS_PATH {
        return None;
    }
    if request.method != "POST" {
        return Some(error(405, "method not allowed on this endpoint").header("Allow", "POST"));
    }
    let app = shared.config.app_id.clone();
    Some(if path == RESOURCES_PATH {
        seeded(request, "code", |seed: NewDataResource| {
            shared
                .state()
                .families
                .permissions
                .add_resource(&seed, &app)
        })
    } else {
        seeded(request, "id", |seed: NewGrant| {
            grant(&mut shared.state(), &seed, &app)
        })
    })
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
        Err(e) => {
            let status = match e {
                SeedError::NoSuchUser(_) | SeedError::NotFound(_) => 404,
                SeedError::Duplicate(_) => 409,
                _ => 400,
            };
            error(status, &e.to_string())
        }
    }
}

/// Adds the grant `seed` describes, its user (if any) found in `state`.
fn grant(state: &mut State, seed: &NewGrant, app: &str) -> Result<String, SeedError> {
    let user = if seed.subject_type.trim() == "USER" {
        let query = seed.subject.trim();
        let id = state
            .users
            .by_query(query)
            .and_then(|index| state.users.get(index))
            .map(|user| user.id.clone())
            .ok_or_else(|| SeedError::NoSuchUser(query.to_owned()))?;
        Some(id)
    } else {
        None
    };
    state.families.permissions.add_grant(seed, user, app)
}

impl Emulator {
    /// Adds a data resource (a string, array or tree resource) to the pool, in the app's
    /// namespace unless it names another; returns its code. Refused when the code is taken
    /// in that namespace.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewDataResource, NewTreeNode};
    /// let emulator = Emulator::start()?;
    /// emulator.add_data_resource(NewDataResource::string("report", "monthly", ["read"]))?;
    /// let docs = NewDataResource::tree("docs", [NewTreeNode::new("guides")], ["read", "edit"]);
    /// emulator.add_data_resource(docs)?;
    /// assert!(emulator.add_data_resource(NewDataResource::array("report", ["x"], ["read"])).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_data_resource(&self, resource: NewDataResource) -> Result<String, SeedError> {
        let app = self.app_id().to_owned();
        self.server
            .shared
            .state()
            .families
            .permissions
            .add_resource(&resource, &app)
    }

    /// Grants a user, every user with a role, or every member of a group some actions on a
    /// data resource, or on a node of a tree resource and everything below it; returns the
    /// grant's id. The resource (and node) must exist and know each action.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewDataResource, NewGrant, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// emulator.add_data_resource(NewDataResource::string("report", "monthly", ["read", "export"]))?;
    /// emulator.grant_permission(NewGrant::to_user("alice", "report", ["read"]))?;
    /// assert!(emulator.grant_permission(NewGrant::to_user("alice", "report", ["delete"])).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grant_permission(&self, new_grant: NewGrant) -> Result<String, SeedError> {
        let app = self.app_id().to_owned();
        grant(&mut self.server.shared.state(), &new_grant, &app)
    }
}
