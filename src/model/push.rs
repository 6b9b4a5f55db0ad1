//! Push sign-in's words and answers: [`PushCodeAction`] (what the phone does to a push),
//! [`PushCodeStatus`] (where a push is), [`PushCode`] (a push the server sent) and
//! [`PushCodeState`] (a status check's answer); and the relation apps' answer.

use super::wire_enum::wire_enum;
use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::error::AuthError;
use crate::redact::REDACTED;
use crate::response::AuthResponse;

/// The longest `pushCodeId` accepted from the server, in bytes (ids are tens of bytes).
const MAX_PUSH_CODE_ID_LEN: usize = 1024;

wire_enum! {
    /// What the signed-in phone does to a push (the `action` of
    /// `POST /api/v3/change-pushcode-status`, the spec's `ChangePushCodeStatusDto`).
    ///
    /// The constants keep the spec's spelling, which is also the wire value and what `Debug`
    /// and `Display` print. Unlike a QR code a push needs no `SCAN`: it reached the phone.
    ///
    /// ```
    /// use authing::PushCodeAction;
    /// assert_eq!(PushCodeAction::CONFIRM.as_str(), "CONFIRM");
    /// assert_eq!(PushCodeAction::ALL, &[PushCodeAction::CONFIRM, PushCodeAction::CANCEL]);
    /// ```
    PushCodeAction {
        /// The user approves: the desktop is signed in as them (`CONFIRM`).
        CONFIRM,
        /// The user refuses (`CANCEL`).
        CANCEL,
    }
}

wire_enum! {
    /// Where a push is (the spec's `status` of `check-pushcode-status`), in the order a
    /// push goes through them: `PUSHED` (sent to the phone, waiting for the user), then one
    /// of `AUTHORIZED`, `CANCELLED`, `EXPIRED` or `ERROR` (the server's "unknown error").
    ///
    /// ```
    /// use authing::PushCodeStatus;
    /// assert_eq!(PushCodeStatus::PUSHED.as_str(), "PUSHED");
    /// assert!(PushCodeStatus::EXPIRED.is_final());
    /// assert!(!PushCodeStatus::PUSHED.is_final());
    /// ```
    PushCodeStatus {
        /// Sent to the phone; the user has not answered yet.
        PUSHED,
        /// The user approved: the status answer carries the tokens.
        AUTHORIZED,
        /// The user refused on the phone.
        CANCELLED,
        /// The push expired before the user answered.
        EXPIRED,
        /// The server reports an error for the push.
        ERROR,
    }
}

impl PushCodeStatus {
    /// Whether the push stays in this status for good: everything but `PUSHED`.
    ///
    /// ```
    /// assert!(authing::PushCodeStatus::AUTHORIZED.is_final());
    /// ```
    pub fn is_final(self) -> bool {
        self != PushCodeStatus::PUSHED
    }
}

/// A push to the user's phone, as `gene_push_code` answers it (the spec's
/// `GenePushCodeDataDto`): its id, to check its status with, and its lifetime.
///
/// ```no_run
/// # let response = authing::AuthClient::new().gene_push_code_blocking("alice@example.com", None);
/// let code = response.push_code()?;
/// println!("approve on your phone within {} s ({})", code.expire_time().as_secs(), code.push_code_id());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushCode {
    push_code_id: String,
    expire_time: Duration,
}

impl PushCode {
    /// The push in the `data` of a `signin-by-push` answer.
    pub(crate) fn from_response(response: &AuthResponse) -> Result<PushCode, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let data = response
            .data()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        let push_code_id = match data.get("pushCodeId") {
            Some(Value::String(id)) if !id.is_empty() && id.len() <= MAX_PUSH_CODE_ID_LEN => {
                id.clone()
            }
            Some(Value::String(_)) => {
                return Err(unexpected("pushCodeId is empty or longer than 1024 bytes"))
            }
            _ => return Err(unexpected("the answer has no pushCodeId")),
        };
        let expire_time = match data.get("expireTime").and_then(Value::as_f64) {
            Some(secs) if secs.is_finite() && secs >= 0.0 && secs <= u32::MAX as f64 => {
                Duration::from_secs_f64(secs)
            }
            Some(_) => return Err(unexpected("expireTime is not a number of seconds")),
            None => return Err(unexpected("the answer has no expireTime")),
        };
        Ok(PushCode {
            push_code_id,
            expire_time,
        })
    }

    /// The push's id (`pushCodeId`), for `check_push_code_status` and the phone's
    /// `change_push_code_status`.
    ///
    /// ```no_run
    /// # fn f(code: authing::PushCode) {
    /// println!("{}", code.push_code_id());
    /// # }
    /// ```
    pub fn push_code_id(&self) -> &str {
        &self.push_code_id
    }

    /// How long the user has to answer on the phone (`expireTime`, seconds, from when the
    /// server answered).
    ///
    /// ```no_run
    /// # fn f(code: authing::PushCode) {
    /// println!("{} s left", code.expire_time().as_secs());
    /// # }
    /// ```
    pub fn expire_time(&self) -> Duration {
        self.expire_time
    }
}

/// The answer of `check_push_code_status` (the spec's `CheckPushCodeStatusDataDto`): the
/// status and, once `AUTHORIZED`, the tokens (`tokenSet`, which
/// [`sign_in_by_push`](crate::AuthClient::sign_in_by_push) turns into the session).
///
/// The tokens are secrets: `Debug` hides them.
///
/// ```no_run
/// # let response = authing::AuthClient::new().check_push_code_status_blocking("push-code-id");
/// let state = response.push_code_state()?;
/// if state.status() == authing::PushCodeStatus::PUSHED {
///     println!("approve the sign-in on your phone");
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct PushCodeState {
    status: PushCodeStatus,
    token_set: Option<Value>,
}

impl PushCodeState {
    /// The state in the `data` of a `check-pushcode-status` answer.
    pub(crate) fn from_response(response: &AuthResponse) -> Result<PushCodeState, AuthError> {
        if let Some(error) = response.error() {
            return Err(error.clone());
        }
        let data = response
            .data()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        let status = match data.get("status") {
            Some(Value::String(text)) => PushCodeStatus::from_wire(text)
                .ok_or_else(|| unexpected("status is not one the spec lists"))?,
            _ => return Err(unexpected("the answer has no status")),
        };
        Ok(PushCodeState {
            status,
            token_set: data.get("tokenSet").filter(|t| t.is_object()).cloned(),
        })
    }

    /// The push's status.
    ///
    /// ```no_run
    /// # fn f(state: authing::PushCodeState) {
    /// println!("{}", state.status());
    /// # }
    /// ```
    pub fn status(&self) -> PushCodeStatus {
        self.status
    }

    /// Whether the answer carries the tokens (`tokenSet`, from `AUTHORIZED` on). The tokens
    /// themselves stay inside: the push flow starts the session with them.
    ///
    /// ```no_run
    /// # fn f(state: authing::PushCodeState) {
    /// if state.has_token_set() { println!("approved"); }
    /// # }
    /// ```
    pub fn has_token_set(&self) -> bool {
        self.token_set.is_some()
    }

    /// The tokens, once `AUTHORIZED`. Secrets.
    pub(crate) fn token_set(&self) -> Option<&Value> {
        self.token_set.as_ref()
    }
}

impl fmt::Debug for PushCodeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushCodeState")
            .field("status", &self.status)
            .field("token_set", &self.token_set.as_ref().map(|_| REDACTED))
            .finish()
    }
}

fn unexpected(reason: &str) -> AuthError {
    AuthError::UnexpectedResponse {
        reason: reason.to_string(),
    }
}

// The typed views of the push family's answers.
impl AuthResponse {
    /// The typed answer of `gene_push_code` (Java's `signInByPush`): the push sent to the
    /// user's phone.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().gene_push_code_blocking("alice", None);
    /// match response.push_code() {
    ///     Ok(code) => println!("approve on your phone: {}", code.push_code_id()),
    ///     Err(error) => println!("{error}"),
    /// }
    /// ```
    pub fn push_code(&self) -> Result<PushCode, AuthError> {
        PushCode::from_response(self)
    }

    /// The typed answer of `check_push_code_status`: the push's status.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().check_push_code_status_blocking("id");
    /// if let Ok(state) = response.push_code_state() {
    ///     println!("{}", state.status());
    /// }
    /// ```
    pub fn push_code_state(&self) -> Result<PushCodeState, AuthError> {
        PushCodeState::from_response(self)
    }

    /// The typed answer of `get_push_login_relation_apps`: the ids of the apps related to
    /// the one that started the push (`data.appIds`; an answer without them is an empty
    /// list, as the spec marks the field optional).
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_push_login_relation_apps_blocking("id", "app");
    /// for app_id in response.push_login_relation_apps().unwrap_or_default() {
    ///     println!("{app_id}");
    /// }
    /// ```
    pub fn push_login_relation_apps(&self) -> Result<Vec<String>, AuthError> {
        if let Some(error) = self.error() {
            return Err(error.clone());
        }
        let data = self
            .data()
            .ok_or_else(|| unexpected("the answer has no data"))?;
        match data.get("appIds") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|id| {
                    id.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| unexpected("appIds holds something other than a string"))
                })
                .collect(),
            Some(_) => Err(unexpected("appIds is not a list")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(data: Value) -> AuthResponse {
        crate::response::from_plain_json(data)
    }

    #[test]
    fn a_push_code_needs_an_id_and_a_lifetime() {
        let code = ok(json!({"pushCodeId": "p-1", "expireTime": 120}))
            .push_code()
            .unwrap();
        assert_eq!(code.push_code_id(), "p-1");
        assert_eq!(code.expire_time(), Duration::from_secs(120));
        assert!(ok(json!({"expireTime": 120})).push_code().is_err());
        assert!(ok(json!({"pushCodeId": "p-1"})).push_code().is_err());
        assert!(ok(json!({"pushCodeId": "p-1", "expireTime": -1}))
            .push_code()
            .is_err());
    }

    #[test]
    fn a_state_hides_its_tokens_and_refuses_a_status_the_spec_lacks() {
        let state = ok(json!({"status": "AUTHORIZED", "tokenSet": {"access_token": "secret-at"}}))
            .push_code_state()
            .unwrap();
        assert_eq!(state.status(), PushCodeStatus::AUTHORIZED);
        assert!(state.has_token_set());
        assert!(!format!("{state:?}").contains("secret-at"));
        assert!(ok(json!({"status": "SCANNED"})).push_code_state().is_err());
    }

    #[test]
    fn relation_apps_are_a_list_of_strings() {
        assert_eq!(
            ok(json!({"appIds": ["a", "b"]}))
                .push_login_relation_apps()
                .unwrap(),
            vec!["a".to_string(), "b".to_string()]
        );
        assert!(ok(json!({})).push_login_relation_apps().unwrap().is_empty());
        assert!(ok(json!({"appIds": [1]}))
            .push_login_relation_apps()
            .is_err());
    }
}
