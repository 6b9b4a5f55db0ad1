//! The captcha family's admin API (`/emulator/v1/`, plain JSON, real HTTP statuses) and
//! the same on the [`Emulator`] handle, through the same state:
//!
//! - `GET /emulator/v1/captcha-policy` answers the policy: `{"mode": "off"}`,
//!   `{"mode": "always"}` or `{"mode": "after-failures", "failures": 3}`;
//!   `POST /emulator/v1/captcha-policy` with one of those sets it (`{"ok": true}`).
//! - `GET /emulator/v1/captchas` answers every captcha drawn since the start or the last
//!   reset, oldest first: `{"captchas": [{"id", "answer", "issuedAt", "expiresAt",
//!   "spent"}]}` (times in Unix seconds, emulator time): what a person reads off the image.
//!
//! Refusals: 400 for a body that is not a policy (or `after-failures` with 0), 405 for
//! another method.

use serde_json::json;

use crate::core::state::unix_secs;
use crate::families::captcha::state::{CaptchaPolicy, IssuedCaptcha};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

const POLICY_PATH: &str = "/emulator/v1/captcha-policy";
const CAPTCHAS_PATH: &str = "/emulator/v1/captchas";

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The answer for a captcha path, or `None` when `path` is not one.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    match (path, request.method.as_str()) {
        (POLICY_PATH, "GET") => {
            let policy = shared.state().families.captcha.policy;
            Some(Response::json(&json!(policy)))
        }
        (POLICY_PATH, "POST") => Some(set_policy(shared, request)),
        (POLICY_PATH, _) => {
            Some(error(405, "method not allowed on this endpoint").header("Allow", "GET, POST"))
        }
        (CAPTCHAS_PATH, "GET") => {
            let issued = shared.state().families.captcha.issued();
            let list: Vec<_> = issued.iter().map(captcha_json).collect();
            Some(Response::json(&json!({ "captchas": list })))
        }
        (CAPTCHAS_PATH, _) => {
            Some(error(405, "method not allowed on this endpoint").header("Allow", "GET"))
        }
        _ => None,
    }
}

fn set_policy(shared: &Shared, request: &Request) -> Response {
    let policy = match serde_json::from_slice::<CaptchaPolicy>(&request.body) {
        Ok(CaptchaPolicy::AfterFailures(0)) => {
            return error(400, "after-failures needs failures of at least 1")
        }
        Ok(policy) => policy,
        Err(e) => {
            return error(
                400,
                &format!(
                    "invalid body: {e} (expected {{\"mode\": \"off\" | \"always\"}} or {{\"mode\": \"after-failures\", \"failures\": n}})"
                ),
            )
        }
    };
    shared.state().families.captcha.policy = policy;
    Response::json(&json!({ "ok": true }))
}

fn captcha_json(captcha: &IssuedCaptcha) -> serde_json::Value {
    json!({
        "id": captcha.id,
        "answer": captcha.answer,
        "issuedAt": unix_secs(captcha.issued_at),
        "expiresAt": unix_secs(captcha.expires_at),
        "spent": captcha.spent,
    })
}

impl Emulator {
    /// Sets when a sign-in must carry a captcha (the user pool's login failure limit with
    /// the security policy "captcha"). `AfterFailures(0)` is taken as `Always`.
    ///
    /// ```
    /// use authing_emulator::{CaptchaPolicy, Emulator};
    /// let emulator = Emulator::start()?;
    /// emulator.set_captcha_policy(CaptchaPolicy::AfterFailures(3));
    /// assert_eq!(emulator.captcha_policy(), CaptchaPolicy::AfterFailures(3));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_captcha_policy(&self, policy: CaptchaPolicy) {
        let policy = match policy {
            CaptchaPolicy::AfterFailures(0) => CaptchaPolicy::Always,
            other => other,
        };
        self.server.shared.state().families.captcha.policy = policy;
    }

    /// The captcha policy ([`CaptchaPolicy::Off`] unless set).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.captcha_policy(), authing_emulator::CaptchaPolicy::Off);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn captcha_policy(&self) -> CaptchaPolicy {
        self.server.shared.state().families.captcha.policy
    }

    /// Every captcha drawn since the start or the last reset, oldest first, with its
    /// answer (what a person reads off the image).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.captchas().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn captchas(&self) -> Vec<IssuedCaptcha> {
        self.server.shared.state().families.captcha.issued()
    }

    /// The failed sign-ins counted for a client address (`127.0.0.1` for a client that
    /// names none) since the last successful sign-in from it: what
    /// [`CaptchaPolicy::AfterFailures`] compares.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.failed_sign_ins("127.0.0.1"), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn failed_sign_ins(&self, address: &str) -> u32 {
        self.server
            .shared
            .state()
            .families
            .captcha
            .failures(address)
    }

    /// The answer of the newest captcha that can still be tried, if any.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert_eq!(emulator.latest_captcha_answer(), None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn latest_captcha_answer(&self) -> Option<String> {
        let state = self.server.shared.state();
        let now = state.now();
        state
            .families
            .captcha
            .issued()
            .into_iter()
            .rev()
            .find(|c| !c.spent && now < c.expires_at)
            .map(|c| c.answer)
    }
}
