//! The session family's admin API, and the same on the [`Emulator`] handle: the users'
//! state and their tokens. `GET /emulator/v1/users` (every user's state; creating one,
//! `POST`, is the core's), `GET /emulator/v1/users/{user}` (one user's state) and
//! `POST /emulator/v1/users/{user}/expire-access-tokens`. `{user}` is a user id, a
//! username, an email, a phone number (with or without its country code) or a directory
//! account name, percent-encoded. Both sides answer from the same functions. The token
//! lifetimes setting, `/emulator/v1/token-lifetimes`, is `lifetimes.rs`'s.

use serde_json::{json, Value};

use crate::core::state::{unix_secs, State};
use crate::core::urlencoded;
use crate::core::users::UserState;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::{Emulator, UserIdentity};

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The JSON of a user's state.
fn state_json(state: &UserState) -> Value {
    json!({
        "userId": state.user_id,
        "username": state.username,
        "email": state.email,
        "phoneNumber": state.phone_number,
        "phoneCountryCode": state.phone_country_code,
        "directory": state.directory,
        "sAMAccountName": state.sam_account_name,
        "failedAttempts": state.failed_attempts,
        "locked": state.locked,
        "lockedUntil": state.locked_until.map(unix_secs),
        "loginsCount": state.logins_count,
        "accessTokens": state.access_tokens,
        "refreshTokens": state.refresh_tokens,
    })
}

/// `GET /emulator/v1/users`.
fn list(shared: &Shared) -> Response {
    let state = shared.state();
    let users: Vec<Value> = (0..)
        .map_while(|index| user_state(&state, index))
        .map(|s| state_json(&s))
        .collect();
    Response::json(&json!({ "users": users }))
}

/// The family's admin routes: `GET /emulator/v1/users` (the core answers its `POST`, which
/// creates a user, and its other methods) and everything under `/emulator/v1/users/`
/// that the directory family did not take first.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if let Some(answer) = super::lifetimes::route(shared, request, path) {
        return Some(answer);
    }
    if path == "/emulator/v1/users" {
        return (request.method == "GET").then(|| list(shared));
    }
    let rest = path.strip_prefix("/emulator/v1/users/")?;
    Some(handle(shared, request, rest))
}

/// A path under `/emulator/v1/users/`: `{user}` or `{user}/expire-access-tokens`.
fn handle(shared: &Shared, request: &Request, rest: &str) -> Response {
    let (user, action) = match rest.split_once('/') {
        Some((user, action)) => (user, Some(action)),
        None => (rest, None),
    };
    let method = match action {
        None => "GET",
        Some("expire-access-tokens") => "POST",
        Some(_) => return error(404, "no such endpoint"),
    };
    if request.method != method {
        return error(405, "method not allowed on this endpoint").header("Allow", method);
    }
    let query = urlencoded::decode_path(user);
    let mut state = shared.state();
    let Some(index) = state.users.by_query(&query) else {
        return error(404, "no such user");
    };
    match action {
        None => match user_state(&state, index) {
            Some(s) => Response::json(&state_json(&s)),
            None => error(404, "no such user"),
        },
        Some(_) => {
            let expired = expire_access_tokens(&mut state, index);
            Response::json(&json!({ "ok": true, "expired": expired }))
        }
    }
}

/// The state of the user at `index`.
pub(crate) fn user_state(state: &State, index: usize) -> Option<UserState> {
    let user = state.users.get(index)?;
    let now = state.now();
    let (access_tokens, refresh_tokens) = state.sessions.live(&user.id, now);
    let locked = user.locked_for(now).is_some();
    Some(UserState {
        user_id: user.id.clone(),
        username: user.username.clone(),
        email: user.email.clone(),
        phone_number: user.phone.as_ref().map(|(_, n)| n.clone()),
        phone_country_code: user.phone.as_ref().map(|(cc, _)| cc.clone()),
        directory: user.directory.as_ref().map(|d| d.kind),
        sam_account_name: user.directory.as_ref().map(|d| d.sam_account_name.clone()),
        failed_attempts: user.failed_attempts,
        locked,
        locked_until: user.locked_until.filter(|_| locked),
        logins_count: user.logins_count,
        access_tokens,
        refresh_tokens,
    })
}

/// Makes every live access token of the user at `index` expire now; how many did.
pub(crate) fn expire_access_tokens(state: &mut State, index: usize) -> usize {
    let Some(id) = state.users.get(index).map(|u| u.id.clone()) else {
        return 0;
    };
    let now = state.now();
    state.sessions.expire_access(&id, now)
}

impl Emulator {
    /// The state of the user named by `identity` (user id, username, email, phone,
    /// directory account name, or a [`NewUser`](crate::NewUser)): wrong-password count,
    /// lock, sign-ins and live tokens. `None` when there is no such user.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// let state = emulator.user_state("alice@example.com").unwrap();
    /// assert_eq!((state.access_tokens, state.refresh_tokens), (0, 0));
    /// assert!(emulator.user_state("bob@example.com").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn user_state(&self, identity: &(impl UserIdentity + ?Sized)) -> Option<UserState> {
        let state = self.server.shared.state();
        let index = state.users.by_query(&identity.identity())?;
        user_state(&state, index)
    }

    /// The state of every user, oldest first.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.users().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn users(&self) -> Vec<UserState> {
        let state = self.server.shared.state();
        (0..).map_while(|index| user_state(&state, index)).collect()
    }

    /// Makes every access token of the user named by `identity` expire now, so that the
    /// next call with one of them answers "not signed in" and a client has to refresh.
    /// Refresh tokens stay valid. Returns how many access tokens expired (0 for an unknown
    /// user).
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// assert_eq!(emulator.expire_access_tokens("alice"), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expire_access_tokens(&self, identity: &(impl UserIdentity + ?Sized)) -> usize {
        let mut state = self.server.shared.state();
        match state.users.by_query(&identity.identity()) {
            Some(index) => expire_access_tokens(&mut state, index),
            None => 0,
        }
    }
}
