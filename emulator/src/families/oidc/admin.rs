//! The OIDC family's admin API, under `/emulator/v1/oidc/`, and its
//! mirror methods on [`Emulator`]: spoil the next id_token (to test a client's checks),
//! list the browser sessions of the hosted login page.

use serde_json::{json, Value};

use crate::families::oidc::state::{IdTokenTamper, OidcSession};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The family's admin routes: everything under `/emulator/v1/oidc/`.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let rest = path.strip_prefix("/emulator/v1/oidc/")?;
    Some(handle(shared, request, rest))
}

/// Answers `/emulator/v1/oidc/<rest>`.
fn handle(shared: &Shared, request: &Request, rest: &str) -> Response {
    let allowed: &[&str] = match rest {
        "tamper" => &["POST"],
        "sessions" => &["GET"],
        "ext-idp-sign-in" => &["GET"],
        _ => return error(404, "no such endpoint"),
    };
    if !allowed.contains(&request.method.as_str()) {
        return error(405, "method not allowed on this endpoint")
            .header("Allow", allowed.join(", "));
    }
    match rest {
        "ext-idp-sign-in" => crate::families::oidc::extidp::provider_sign_in(shared, request),
        "tamper" => {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            let Some(tamper) = body["idToken"].as_str().and_then(IdTokenTamper::from_name) else {
                return error(
                    400,
                    "idToken must be bad-signature, wrong-audience, expired, wrong-nonce or wrong-issuer",
                );
            };
            shared.state().families.oidc.push_tamper(tamper);
            Response::json(&json!({ "ok": true }))
        }
        _ => {
            let sessions: Vec<Value> = shared
                .state()
                .families
                .oidc
                .sessions()
                .into_iter()
                .map(|s| json!({"sid": s.sid, "userId": s.user_id, "active": s.active}))
                .collect();
            Response::json(&json!({ "sessions": sessions }))
        }
    }
}

impl Emulator {
    /// Spoils the id_token of the next authorization code exchange as `tamper` says (a bad
    /// signature, another audience, expired, another nonce, another issuer), to test that
    /// a client refuses it. Each call spoils one exchange; several queue in order. The
    /// admin API's `POST /emulator/v1/oidc/tamper {"idToken": "wrong-nonce"}` does the same.
    ///
    /// ```
    /// use authing_emulator::{Emulator, IdTokenTamper};
    /// let emulator = Emulator::start()?;
    /// emulator.tamper_next_id_token(IdTokenTamper::Expired);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn tamper_next_id_token(&self, tamper: IdTokenTamper) {
        self.server.shared.state().families.oidc.push_tamper(tamper);
    }

    /// The browser sessions of the hosted login page, oldest first: one per sign-in on
    /// `/oidc/auth`'s page (a browser already signed in reuses its own), inactive once
    /// `/oidc/session/end` ended it. The admin API's `GET /emulator/v1/oidc/sessions`
    /// lists the same.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.oidc_sessions().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn oidc_sessions(&self) -> Vec<OidcSession> {
        self.server.shared.state().families.oidc.sessions()
    }

    /// `(sign-in pages, authorization codes)` the code flow keeps now: pages opened by
    /// `/oidc/auth` and not yet answered, codes issued (spent ones are kept to catch a
    /// replay). Each is at most its cap, [`MAX_OIDC_INTERACTIONS`] and
    /// [`MAX_OIDC_CODES`]: past it the oldest is forgotten.
    ///
    /// [`MAX_OIDC_INTERACTIONS`]: crate::MAX_OIDC_INTERACTIONS
    /// [`MAX_OIDC_CODES`]: crate::MAX_OIDC_CODES
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.oidc_stored(), (0, 0));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn oidc_stored(&self) -> (usize, usize) {
        self.server.shared.state().families.oidc.stored()
    }
}
