//! The token lifetimes as a setting changed at run time: the access token's (with the id
//! token's) and the refresh token's, which [`EmulatorConfig::access_token_ttl`] and
//! [`EmulatorConfig::refresh_token_ttl`] set at start. The admin API and the
//! [`Emulator`] handle change them while the emulator runs, so that a test can make short
//! lived tokens after a sign-in it made with long ones, or the other way round:
//!
//! - `GET /emulator/v1/token-lifetimes`: `{"accessTokenTtlSeconds":7200,
//!   "refreshTokenTtlSeconds":2592000}`; [`Emulator::token_lifetimes`].
//! - `POST /emulator/v1/token-lifetimes` `{"accessTokenTtlSeconds"?,
//!   "refreshTokenTtlSeconds"?}`: the lifetimes after the change (400 for a field that is
//!   not a whole number of seconds, one over 100 years, or another field);
//!   [`Emulator::set_token_lifetimes`].
//!
//! **Our choices:** the next tokens issued (a sign-in of any kind, a refresh, an
//! authorization code exchange) take the new lifetimes; tokens already issued keep theirs.
//! Zero is accepted (a token expired when issued). The setting is kept in the state file, as
//! the MFA policy is, and a reset (`DELETE /emulator/v1/state`) goes back to the configured
//! lifetimes.
//!
//! [`EmulatorConfig::access_token_ttl`]: crate::EmulatorConfig::access_token_ttl
//! [`EmulatorConfig::refresh_token_ttl`]: crate::EmulatorConfig::refresh_token_ttl

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::core::session_config::SessionConfig;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::{Emulator, MAX_DURATION};

/// The admin path of the setting.
const PATH: &str = "/emulator/v1/token-lifetimes";

/// The lifetimes of the tokens the emulator issues next.
///
/// ```
/// use std::time::Duration;
/// use authing_emulator::{Emulator, TokenLifetimes};
/// let emulator = Emulator::start()?;
/// assert_eq!(emulator.token_lifetimes().access_token, Duration::from_secs(7200));
/// emulator.set_token_lifetimes(TokenLifetimes {
///     access_token: Duration::from_secs(10),
///     refresh_token: Duration::from_secs(60),
/// });
/// assert_eq!(emulator.token_lifetimes().refresh_token, Duration::from_secs(60));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetimes {
    /// How long an access token (and an id token) stays valid: its `expire_in`.
    pub access_token: Duration,
    /// How long a refresh token stays valid.
    pub refresh_token: Duration,
}

/// The lifetimes set at run time, in whole seconds; `None` where the configured one holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct LifetimeSetting {
    access_secs: Option<u64>,
    refresh_secs: Option<u64>,
}

impl LifetimeSetting {
    /// The lifetimes a token issued now takes: the setting's, else the configuration's.
    pub(crate) fn lifetimes(&self, config: &SessionConfig) -> TokenLifetimes {
        TokenLifetimes {
            access_token: self
                .access_secs
                .map_or(config.access_token_ttl, Duration::from_secs),
            refresh_token: self
                .refresh_secs
                .map_or(config.refresh_token_ttl, Duration::from_secs),
        }
    }
}

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

fn lifetimes_json(lifetimes: TokenLifetimes) -> Value {
    json!({
        "accessTokenTtlSeconds": lifetimes.access_token.as_secs(),
        "refreshTokenTtlSeconds": lifetimes.refresh_token.as_secs(),
    })
}

/// The setting's admin route, `GET`/`POST /emulator/v1/token-lifetimes`.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    (path == PATH).then(|| handle(shared, request))
}

fn handle(shared: &Shared, request: &Request) -> Response {
    match request.method.as_str() {
        "GET" => {
            let state = shared.state();
            let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
            Response::json(&lifetimes_json(lifetimes))
        }
        "POST" => {
            let body = match serde_json::from_slice::<Value>(&request.body) {
                Ok(Value::Object(map)) => map,
                _ => return error(400, "request body must be a json object"),
            };
            let known = ["accessTokenTtlSeconds", "refreshTokenTtlSeconds"];
            if let Some(other) = body.keys().find(|k| !known.contains(&k.as_str())) {
                return error(400, &format!("unknown field {other:?}"));
            }
            let mut seconds = [None, None];
            for (slot, key) in seconds.iter_mut().zip(known) {
                match body.get(key) {
                    None | Some(Value::Null) => {}
                    Some(value) => match value.as_u64().filter(|s| *s <= MAX_DURATION.as_secs()) {
                        Some(secs) => *slot = Some(secs),
                        None => {
                            return error(
                                400,
                                &format!("{key} must be a whole number of seconds up to 100 years"),
                            )
                        }
                    },
                }
            }
            let mut state = shared.state();
            let setting = &mut state.families.lifetimes;
            let [access, refresh] = seconds;
            if access.is_some() {
                setting.access_secs = access;
            }
            if refresh.is_some() {
                setting.refresh_secs = refresh;
            }
            Response::json(&lifetimes_json(setting.lifetimes(&shared.config.session)))
        }
        _ => error(405, "method not allowed on this endpoint").header("Allow", "GET, POST"),
    }
}

impl Emulator {
    /// The lifetimes of the tokens the emulator issues next (admin API:
    /// `GET /emulator/v1/token-lifetimes`): the configured ones
    /// ([`EmulatorConfig::access_token_ttl`](crate::EmulatorConfig::access_token_ttl),
    /// [`refresh_token_ttl`](crate::EmulatorConfig::refresh_token_ttl)) until
    /// [`set_token_lifetimes`](Self::set_token_lifetimes) changes them.
    ///
    /// ```
    /// use std::time::Duration;
    /// let emulator = authing_emulator::Emulator::start()?;
    /// let lifetimes = emulator.token_lifetimes();
    /// assert_eq!(lifetimes.refresh_token, Duration::from_secs(30 * 24 * 3600));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn token_lifetimes(&self) -> TokenLifetimes {
        let shared = &self.server.shared;
        let state = shared.state();
        state.families.lifetimes.lifetimes(&shared.config.session)
    }

    /// Sets the lifetimes of the tokens the emulator issues from now on (admin API:
    /// `POST /emulator/v1/token-lifetimes`); tokens already issued keep theirs. Counted in
    /// whole seconds (a fraction is dropped) and cut to 100 years; zero issues tokens that
    /// have expired already. A reset goes back to the configured lifetimes.
    ///
    /// ```
    /// use std::time::Duration;
    /// use authing_emulator::{Emulator, TokenLifetimes};
    /// let emulator = Emulator::start()?;
    /// let before = emulator.token_lifetimes();
    /// emulator.set_token_lifetimes(TokenLifetimes { access_token: Duration::from_secs(8), ..before });
    /// assert_eq!(emulator.token_lifetimes().access_token, Duration::from_secs(8));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_token_lifetimes(&self, lifetimes: TokenLifetimes) {
        let secs = |d: Duration| d.min(MAX_DURATION).as_secs();
        let mut state = self.server.shared.state();
        state.families.lifetimes = LifetimeSetting {
            access_secs: Some(secs(lifetimes.access_token)),
            refresh_secs: Some(secs(lifetimes.refresh_token)),
        };
    }
}
