//! The admin API of social account binding (`/emulator/v1/social-binding/`, plain JSON,
//! real HTTP statuses), and the same on the [`Emulator`] handle:
//!
//! - `GET /emulator/v1/social-binding/settings`: `{"allowRegister": true}`;
//! - `PUT /emulator/v1/social-binding/settings` with `{"allowRegister": false}`: a new
//!   WeChat identity then answers apiCode 1640 (bind an existing account only) instead of
//!   1641, and `register` refuses (a reset brings `true` back).
//!
//! The WeChat identities and their codes are the social family's
//! (`POST /emulator/v1/social/codes` with `"connection": "wechat"`); the email and SMS
//! codes the binding routes spend are read at `/emulator/v1/codes` as any other.
//!
//! Refusals: 400 for a body that is not what is described, 405 for another method.

use serde::Deserialize;
use serde_json::json;

use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

/// The admin path.
const SETTINGS: &str = "/emulator/v1/social-binding/settings";

/// The body of `PUT /emulator/v1/social-binding/settings`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Settings {
    allow_register: bool,
}

/// The answer for `path` when it is this family's admin path.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path != SETTINGS {
        return None;
    }
    Some(match request.method.as_str() {
        "GET" => settings(shared),
        "PUT" => match serde_json::from_slice::<Settings>(&request.body) {
            Ok(body) => {
                shared.state().families.social_binding.allow_register = body.allow_register;
                settings(shared)
            }
            Err(e) => Response::json_status(400, &json!({ "error": format!("invalid body: {e}") })),
        },
        _ => Response::json_status(
            405,
            &json!({ "error": "method not allowed on this endpoint" }),
        )
        .header("Allow", "GET, PUT".to_string()),
    })
}

fn settings(shared: &Shared) -> Response {
    let allow = shared.state().families.social_binding.allow_register;
    Response::json(&json!({ "allowRegister": allow }))
}

impl Emulator {
    /// Whether a new WeChat identity may get a new account (`authByCodeIdentity` answers
    /// apiCode 1641 and `register` works) or must be bound to an existing one (1640).
    /// True by default and after a reset.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.social_binding_allows_register());
    /// emulator.set_social_binding_allows_register(false);
    /// assert!(!emulator.social_binding_allows_register());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn social_binding_allows_register(&self) -> bool {
        self.server
            .shared
            .state()
            .families
            .social_binding
            .allow_register
    }

    /// Sets [`social_binding_allows_register`](Self::social_binding_allows_register)
    /// for the bindings opened from now on.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// emulator.set_social_binding_allows_register(false);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_social_binding_allows_register(&self, allow: bool) {
        self.server
            .shared
            .state()
            .families
            .social_binding
            .allow_register = allow;
    }
}
