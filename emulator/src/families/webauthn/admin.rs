//! The webauthn family's admin API (`/emulator/v1/`, plain JSON, real HTTP statuses) and
//! the same on the [`Emulator`] handle:
//!
//! - `GET /emulator/v1/webauthn/settings` answers the relying party settings: `{"rpId",
//!   "rpName", "origins", "requireUserVerification"}`; `POST` with any of those fields sets
//!   them (`{"ok": true}`). Defaults: `localhost`, `Authing Emulator`, `[]` (meaning only
//!   `https://<rpId>`), `false`.
//! - `GET /emulator/v1/webauthn/users/{user}/credentials` lists a user's passkeys (named by
//!   id, username, email or phone): `{"credentials": [{"credentialId",
//!   "authenticatorCode", "counter"}]}`.
//!
//! Refusals: 400 for a body that is not settings (or a blank `rpId`), 405 for another method.

use serde_json::{json, Value};

use crate::families::webauthn::state::Settings;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::{Emulator, UserIdentity};

const SETTINGS_PATH: &str = "/emulator/v1/webauthn/settings";
const USERS_PREFIX: &str = "/emulator/v1/webauthn/users/";

/// The relying party the emulator's webauthn endpoints play.
///
/// ```
/// use authing_emulator::{Emulator, PasskeySettings};
/// let emulator = Emulator::start()?;
/// assert_eq!(emulator.passkey_settings().rp_id, "localhost");
/// emulator.set_passkey_settings(PasskeySettings::new("example.com").origin("https://app.example.com"));
/// assert_eq!(emulator.passkey_settings().origins, ["https://app.example.com"]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeySettings {
    /// The RP id (default `localhost`): the options' `rp.id` / `rpId`, whose SHA-256 must
    /// open every authenticatorData.
    pub rp_id: String,
    /// The RP name of the creation options (default `Authing Emulator`).
    pub rp_name: String,
    /// The origins clientDataJSON may name; empty (the default) means `https://<rp_id>` only.
    pub origins: Vec<String>,
    /// Whether the UV flag must be set (default false: the spec's options cannot ask for
    /// user verification; UP is always required).
    pub require_user_verification: bool,
}

impl PasskeySettings {
    /// The defaults with this RP id.
    ///
    /// ```
    /// let settings = authing_emulator::PasskeySettings::new("example.com");
    /// assert!(settings.origins.is_empty() && !settings.require_user_verification);
    /// ```
    pub fn new(rp_id: impl Into<String>) -> PasskeySettings {
        let defaults = Settings::default();
        PasskeySettings {
            rp_id: rp_id.into(),
            rp_name: defaults.rp_name,
            origins: Vec::new(),
            require_user_verification: defaults.require_user_verification,
        }
    }

    /// Adds an allowed origin.
    ///
    /// ```
    /// let settings = authing_emulator::PasskeySettings::new("localhost").origin("app://desktop");
    /// assert_eq!(settings.origins, ["app://desktop"]);
    /// ```
    pub fn origin(mut self, origin: impl Into<String>) -> PasskeySettings {
        self.origins.push(origin.into());
        self
    }

    /// Whether the UV flag must be set.
    ///
    /// ```
    /// let settings = authing_emulator::PasskeySettings::new("localhost").require_user_verification(true);
    /// assert!(settings.require_user_verification);
    /// ```
    pub fn require_user_verification(mut self, required: bool) -> PasskeySettings {
        self.require_user_verification = required;
        self
    }
}

impl From<Settings> for PasskeySettings {
    fn from(s: Settings) -> PasskeySettings {
        PasskeySettings {
            rp_id: s.rp_id,
            rp_name: s.rp_name,
            origins: s.origins,
            require_user_verification: s.require_user_verification,
        }
    }
}

/// One passkey a user registered, as the emulator keeps it.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// let passkeys: Vec<authing_emulator::UserPasskey> = emulator.passkeys("nobody");
/// assert!(passkeys.is_empty());
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPasskey {
    /// The credential id, base64url.
    pub credential_id: String,
    /// `fingerprint`, `face` or `other`.
    pub authenticator_code: String,
    /// The signature counter last seen.
    pub counter: u32,
}

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

fn settings_json(s: &Settings) -> Value {
    json!({
        "rpId": s.rp_id,
        "rpName": s.rp_name,
        "origins": s.origins,
        "requireUserVerification": s.require_user_verification,
    })
}

fn passkeys_of(shared: &Shared, query: &str) -> Vec<UserPasskey> {
    let state = shared.state();
    let Some(user) = state
        .users
        .by_query(query)
        .and_then(|index| state.users.get(index))
    else {
        return Vec::new();
    };
    state
        .families
        .webauthn
        .of(&user.id)
        .map(|c| UserPasskey {
            credential_id: c.id.clone(),
            authenticator_code: c.authenticator_code.clone(),
            counter: c.counter,
        })
        .collect()
}

/// The family's admin routes.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path == SETTINGS_PATH {
        return Some(match request.method.as_str() {
            "GET" => Response::json(&settings_json(&shared.state().families.webauthn.settings)),
            "POST" => set_settings(shared, request),
            _ => error(405, "method not allowed on this endpoint").header("Allow", "GET, POST"),
        });
    }
    let user = path
        .strip_prefix(USERS_PREFIX)?
        .strip_suffix("/credentials")?;
    if request.method != "GET" {
        return Some(error(405, "method not allowed on this endpoint").header("Allow", "GET"));
    }
    let user = crate::core::urlencoded::decode_path(user);
    let list: Vec<Value> = passkeys_of(shared, &user)
        .iter()
        .map(|p| {
            json!({
                "credentialId": p.credential_id,
                "authenticatorCode": p.authenticator_code,
                "counter": p.counter,
            })
        })
        .collect();
    Some(Response::json(&json!({ "credentials": list })))
}

fn set_settings(shared: &Shared, request: &Request) -> Response {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&request.body) else {
        return error(400, "invalid body: expected a JSON object");
    };
    let mut settings = shared.state().families.webauthn.settings.clone();
    for (key, value) in &body {
        match (key.as_str(), value) {
            ("rpId", Value::String(s)) if !s.trim().is_empty() => settings.rp_id = s.trim().into(),
            ("rpName", Value::String(s)) => settings.rp_name = s.clone(),
            ("origins", Value::Array(items)) => {
                let Some(list) = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                else {
                    return error(400, "origins must be an array of strings");
                };
                settings.origins = list;
            }
            ("requireUserVerification", Value::Bool(b)) => settings.require_user_verification = *b,
            _ => return error(400, &format!("invalid setting: {key}")),
        }
    }
    shared.state().families.webauthn.settings = settings;
    Response::json(&json!({ "ok": true }))
}

impl Emulator {
    /// The relying party settings of the webauthn endpoints.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.passkey_settings().rp_name, "Authing Emulator");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn passkey_settings(&self) -> PasskeySettings {
        self.server
            .shared
            .state()
            .families
            .webauthn
            .settings
            .clone()
            .into()
    }

    /// Sets the relying party settings (a reset brings back the defaults).
    ///
    /// ```
    /// use authing_emulator::{Emulator, PasskeySettings};
    /// let emulator = Emulator::start()?;
    /// emulator.set_passkey_settings(PasskeySettings::new("example.com"));
    /// assert_eq!(emulator.passkey_settings().rp_id, "example.com");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_passkey_settings(&self, settings: PasskeySettings) {
        self.server.shared.state().families.webauthn.settings = Settings {
            rp_id: settings.rp_id,
            rp_name: settings.rp_name,
            origins: settings.origins,
            require_user_verification: settings.require_user_verification,
        };
    }

    /// The passkeys of the user named by `identity` (user id, username, email, phone),
    /// registration order; empty for no such user.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// assert!(emulator.passkeys("alice").is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn passkeys(&self, identity: &(impl UserIdentity + ?Sized)) -> Vec<UserPasskey> {
        passkeys_of(&self.server.shared, &identity.identity())
    }
}
