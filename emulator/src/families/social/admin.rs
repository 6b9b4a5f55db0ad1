//! The admin API of mobile social sign-in (`/emulator/v1/social/`, plain JSON, real HTTP
//! statuses), and the same on the [`Emulator`] handle:
//!
//! - `GET /emulator/v1/social/connections`: the app's social connections, as the public
//!   config lists them (`{"connections": [{"id", "type", "identifier"}]}`).
//! - `PUT /emulator/v1/social/connections` with `{"connections": [{"type": "wechat:mobile",
//!   "identifier": "my-wechat"}, ..]}`: replaces them (an empty list: the app has none).
//!   A type or identifier may appear once; both must be non-empty.
//! - `POST /emulator/v1/social/codes` with a [`NewProviderCode`] as camelCase JSON
//!   (`connection`, `userIdInIdp`, optional `code`, `email`, `phone`, `phoneCountryCode`,
//!   `nickname`, `ttlSeconds`): the emulator, playing the provider, hands out a single-use
//!   code for that identity; answers `{"ok": true, "code": .., "expiresAt": <unix secs>}`.
//!
//! Refusals: 400 for a body that is not what is described, 405 for another method.

use serde::Deserialize;
use serde_json::json;

use crate::core::state::unix_secs;
use crate::families::directory::new_entries::SeedError;
use crate::families::social::state::{NewProviderCode, SocialConnection};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The body of `PUT /emulator/v1/social/connections`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Connections {
    connections: Vec<SocialConnection>,
}

/// The answer for a path under `/emulator/v1/social/`, or `None` when `path` is not one.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let allowed: &[&str] = match path {
        "/emulator/v1/social/connections" => &["GET", "PUT"],
        "/emulator/v1/social/codes" => &["POST"],
        _ => return None,
    };
    if !allowed.contains(&request.method.as_str()) {
        return Some(
            error(405, "method not allowed on this endpoint").header("Allow", allowed.join(", ")),
        );
    }
    Some(match (path, request.method.as_str()) {
        ("/emulator/v1/social/connections", "GET") => {
            let list = shared.state().families.social.public_config_json();
            Response::json(&json!({ "connections": list }))
        }
        ("/emulator/v1/social/connections", _) => {
            match serde_json::from_slice::<Connections>(&request.body) {
                Ok(body) => match set_connections(shared, body.connections) {
                    Ok(()) => Response::json(&json!({ "ok": true })),
                    Err(message) => error(400, &message),
                },
                Err(e) => error(400, &format!("invalid body: {e}")),
            }
        }
        _ => match serde_json::from_slice::<NewProviderCode>(&request.body) {
            Ok(seed) => match add_code(shared, &seed) {
                Ok((code, expires_at)) => Response::json(&json!({
                    "ok": true,
                    "code": code,
                    "expiresAt": expires_at,
                })),
                Err(message) => error(400, &message),
            },
            Err(e) => error(400, &format!("invalid body: {e}")),
        },
    })
}

/// Replaces the app's social connections, after checking them.
fn set_connections(shared: &Shared, list: Vec<SocialConnection>) -> Result<(), String> {
    let mut checked: Vec<SocialConnection> = Vec::with_capacity(list.len());
    for c in list {
        let (ec_type, identifier) = (c.ec_type.trim(), c.identifier.trim());
        if ec_type.is_empty() || identifier.is_empty() {
            return Err("a connection needs a non-empty type and identifier".into());
        }
        if checked
            .iter()
            .any(|k| k.ec_type.eq_ignore_ascii_case(ec_type))
        {
            return Err(format!("type {ec_type} is listed twice"));
        }
        if checked.iter().any(|k| k.identifier == identifier) {
            return Err(format!("identifier {identifier} is listed twice"));
        }
        checked.push(SocialConnection::new(ec_type, identifier));
    }
    shared.state().families.social.connections = checked;
    Ok(())
}

/// Registers a provider code; the code and when it expires (unix seconds).
fn add_code(shared: &Shared, seed: &NewProviderCode) -> Result<(String, u64), String> {
    let mut state = shared.state();
    let now = state.now();
    let (code, expires_at) = state.families.social.add_code(seed, now)?;
    Ok((code, unix_secs(expires_at)))
}

impl Emulator {
    /// The app's social connections, as its public config lists them (`ecConnections`).
    /// By default one of each type the emulator plays, its identifier the type with `:`
    /// made `-` (`wechat:mobile` -> `wechat-mobile`).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// let wechat = emulator.social_connections().into_iter().find(|c| c.ec_type == "wechat:mobile");
    /// assert_eq!(wechat.map(|c| c.identifier).as_deref(), Some("wechat-mobile"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn social_connections(&self) -> Vec<SocialConnection> {
        self.server
            .shared
            .state()
            .families
            .social
            .connections
            .clone()
    }

    /// Replaces the app's social connections (an empty list: the app has none). Refused
    /// ([`SeedError::Invalid`]) when a type or identifier is empty or listed twice. A reset brings the defaults
    /// back.
    ///
    /// ```
    /// use authing_emulator::{Emulator, SocialConnection};
    /// let emulator = Emulator::start()?;
    /// emulator.set_social_connections(vec![SocialConnection::new("google:mobile", "my-google")])?;
    /// assert_eq!(emulator.social_connections().len(), 1);
    /// assert!(emulator.set_social_connections(vec![SocialConnection::new("", "x")]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_social_connections(
        &self,
        connections: Vec<SocialConnection>,
    ) -> Result<(), SeedError> {
        set_connections(&self.server.shared, connections).map_err(SeedError::Invalid)
    }

    /// Plays a provider: hands out a single-use code (Yidun: a token; Facebook: an access
    /// token) that stands for the identity `seed` describes, expiring on the emulator
    /// clock; the code. `sign_in_by_mobile` and its siblings then sign that identity's
    /// user in, creating it on the first sign-in. Refused ([`SeedError::Invalid`]) for a
    /// connection the emulator does not play, an empty `user_id_in_idp` or code, or a code
    /// of the same connection and value still waiting to be used.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewProviderCode};
    ///
    /// let emulator = Emulator::start()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-user-1").nickname("Mike"))?;
    /// assert!(!code.is_empty());
    /// // `sign_in_by_mobile` (POST /api/v3/signin-by-mobile) with this code signs `wx-user-1` in.
    /// assert!(emulator.add_provider_code(NewProviderCode::new("myspace", "x")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_provider_code(&self, seed: NewProviderCode) -> Result<String, SeedError> {
        add_code(&self.server.shared, &seed)
            .map(|(code, _)| code)
            .map_err(SeedError::Invalid)
    }
}
