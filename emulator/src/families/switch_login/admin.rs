//! The switch-login family's admin API (`/emulator/v1/`, plain JSON, real HTTP statuses)
//! and the same on the [`Emulator`] handle, through the same function:
//!
//! - `POST /emulator/v1/public-accounts` with `{"publicAccount": "<user>", "users":
//!   ["<user>", …]}` makes the first user a public account (if it was not one) and links
//!   each of `users` to it (`users` may be left out or empty); answers `{"ok": true,
//!   "publicAccountId": "<its user id>"}`. Users are named as everywhere in the admin API
//!   (id, username, email, phone, directory account name).
//! - `GET /emulator/v1/public-accounts` answers `{"publicAccounts": [{"userId", "users":
//!   [user ids]}]}`.
//!
//! Refusals: 404 for an unknown user, 400 for a body that is not the seed or a user linked
//! to itself, 405 for another method.

use serde::Deserialize;
use serde_json::json;

use crate::core::state::State;
use crate::families::directory::new_entries::SeedError;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::{Emulator, UserIdentity};

const PATH: &str = "/emulator/v1/public-accounts";

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Seed {
    public_account: String,
    #[serde(default)]
    users: Vec<String>,
}

/// The answer for the public-accounts path, or `None` when `path` is not it.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path != PATH {
        return None;
    }
    Some(match request.method.as_str() {
        "GET" => {
            let state = shared.state();
            let list: Vec<_> = state
                .families
                .public_accounts
                .all()
                .map(|(account, users)| json!({ "userId": account, "users": users }))
                .collect();
            Response::json(&json!({ "publicAccounts": list }))
        }
        "POST" => {
            let seed = match serde_json::from_slice::<Seed>(&request.body) {
                Ok(seed) => seed,
                Err(e) => return Some(error(400, &format!("invalid body: {e}"))),
            };
            let users: Vec<&str> = seed.users.iter().map(String::as_str).collect();
            match link(&mut shared.state(), &seed.public_account, &users) {
                Ok(id) => Response::json(&json!({ "ok": true, "publicAccountId": id })),
                Err(e @ SeedError::NoSuchUser(_)) => error(404, &e.to_string()),
                Err(e) => error(400, &e.to_string()),
            }
        }
        _ => error(405, "method not allowed on this endpoint").header("Allow", "GET, POST"),
    })
}

/// The id of the user `query` names.
fn user_id(state: &State, query: &str) -> Result<String, SeedError> {
    let query = query.trim();
    state
        .users
        .by_query(query)
        .and_then(|index| state.users.get(index))
        .map(|user| user.id.clone())
        .ok_or_else(|| SeedError::NoSuchUser(query.to_owned()))
}

/// Makes `account` a public account and links `users` to it; its user id. Nothing changes
/// unless every user is found.
fn link(state: &mut State, account: &str, users: &[&str]) -> Result<String, SeedError> {
    let account = user_id(state, account)?;
    let users = users
        .iter()
        .map(|user| user_id(state, user))
        .collect::<Result<Vec<_>, _>>()?;
    if users.contains(&account) {
        return Err(SeedError::Invalid(
            "a public account cannot be linked to itself".into(),
        ));
    }
    let accounts = &mut state.families.public_accounts;
    accounts.link(&account, None);
    for user in &users {
        accounts.link(&account, Some(user));
    }
    Ok(account)
}

impl Emulator {
    /// Makes the user `public_account` names a public account (if it was not one) and
    /// links the user `user` names to it: that user may then switch to it
    /// (`switch-login-by-user`) and back. Returns the public account's user id.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("front-desk", "secret-1"))?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-2"))?;
    /// let id = emulator.link_public_account("front-desk", "alice")?;
    /// assert_eq!(Some(id), emulator.user_state("front-desk").map(|s| s.user_id));
    /// assert!(emulator.link_public_account("front-desk", "nobody").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn link_public_account(
        &self,
        public_account: &(impl UserIdentity + ?Sized),
        user: &(impl UserIdentity + ?Sized),
    ) -> Result<String, SeedError> {
        let user = user.identity();
        link(
            &mut self.server.shared.state(),
            &public_account.identity(),
            &[user.as_str()],
        )
    }
}
