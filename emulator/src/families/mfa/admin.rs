//! The MFA family's admin API and its mirror methods on [`Emulator`]:
//!
//! - `GET /emulator/v1/mfa/policy`, `POST /emulator/v1/mfa/policy` `{"required"?,
//!   "factors"?, "mfaTokenTtlSeconds"?}`: the app's MFA policy ([`AppMfaPolicy`]).
//! - `GET /emulator/v1/mfa/users/{user}`: `{"enabled", "factors": [..]}`, each factor with
//!   its secret and current recovery code ([`EnrolledFactor`]).
//! - `POST /emulator/v1/mfa/users/{user}` `{"enabled": bool}`: turns the user's own MFA on
//!   or off (apiCode 1635 at sign-in once a factor is enrolled).
//!
//! `{user}` names a user as the other admin user endpoints do. Issued SMS and email codes
//! (`CHANNEL_BIND_MFA`, `CHANNEL_VERIFY_MFA`) are in `GET /emulator/v1/codes`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::core::state::State;
use crate::core::urlencoded;
use crate::core::vocab::FactorType;
use crate::families::mfa::state::{AppMfaPolicy, EnrolledFactor, MfaAdminError};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;
use crate::UserIdentity;
use crate::MAX_DURATION;

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// Checks a policy before it is applied.
fn checked(policy: AppMfaPolicy) -> Result<AppMfaPolicy, MfaAdminError> {
    let invalid = |why: &str| Err(MfaAdminError::InvalidPolicy(why.to_owned()));
    if policy.factors.contains(&FactorType::FACE) {
        return invalid("the emulator does not support FACE factors");
    }
    if policy.required && policy.factors.is_empty() {
        return invalid("mfa is required but no factor type is offered");
    }
    if policy.mfa_token_ttl.is_zero() || policy.mfa_token_ttl > MAX_DURATION {
        return invalid("the mfa token life must be from 1 s to 100 years");
    }
    let mut seen = Vec::new();
    for kind in &policy.factors {
        if seen.contains(kind) {
            return invalid("a factor type is listed twice");
        }
        seen.push(*kind);
    }
    Ok(policy)
}

fn user_id(state: &State, identity: &str) -> Option<String> {
    let index = state.users.by_query(identity)?;
    state.users.get(index).map(|u| u.id.clone())
}

fn factors(state: &State, user: &str) -> Vec<EnrolledFactor> {
    state
        .families
        .mfa
        .factors_of(user)
        .map(|f| f.snapshot())
        .collect()
}

fn factor_json(f: &EnrolledFactor) -> Value {
    json!({
        "factorId": f.factor_id,
        "factorType": f.factor_type.as_str(),
        "phoneNumber": f.phone_number,
        "phoneCountryCode": f.phone_country_code,
        "email": f.email,
        "secret": f.secret,
        "recoveryCode": f.recovery_code,
    })
}

fn policy_json(p: &AppMfaPolicy) -> Value {
    json!({
        "required": p.required,
        "factors": p.factors.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "mfaTokenTtlSeconds": p.mfa_token_ttl.as_secs(),
    })
}

/// The family's admin routes: everything under `/emulator/v1/mfa/`.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let rest = path.strip_prefix("/emulator/v1/mfa/")?;
    Some(handle(shared, request, rest))
}

/// Answers a path under `/emulator/v1/mfa/`.
fn handle(shared: &Shared, request: &Request, rest: &str) -> Response {
    let allowed: &[&str] = &["GET", "POST"];
    if !allowed.contains(&request.method.as_str()) {
        return error(405, "method not allowed on this endpoint").header("Allow", "GET, POST");
    }
    let body = if request.method == "POST" {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return error(400, "request body must be a json object"),
        }
    } else {
        Value::Null
    };
    if rest == "policy" {
        return policy(shared, request, &body);
    }
    let Some(user) = rest.strip_prefix("users/").filter(|u| !u.contains('/')) else {
        return error(404, "no such endpoint");
    };
    let mut state = shared.state();
    let Some(id) = user_id(&state, &urlencoded::decode_path(user)) else {
        return error(404, "no such user");
    };
    if request.method == "POST" {
        let Some(on) = body["enabled"].as_bool() else {
            return error(400, "enabled (true or false) is required");
        };
        state.families.mfa.set_enabled(&id, on);
    }
    let list: Vec<Value> = factors(&state, &id).iter().map(factor_json).collect();
    Response::json(&json!({"enabled": state.families.mfa.is_enabled(&id), "factors": list}))
}

fn policy(shared: &Shared, request: &Request, body: &Value) -> Response {
    let mut state = shared.state();
    if request.method == "POST" {
        let mut next = state.families.mfa.policy.clone();
        match &body["required"] {
            Value::Null => {}
            Value::Bool(b) => next.required = *b,
            _ => return error(400, "required must be true or false"),
        }
        match &body["factors"] {
            Value::Null => {}
            Value::Array(items) => {
                let kinds: Option<Vec<FactorType>> = items
                    .iter()
                    .map(|k| k.as_str().and_then(FactorType::from_wire))
                    .collect();
                let Some(kinds) = kinds else {
                    return error(400, "factors must be a list of OTP, SMS and EMAIL");
                };
                next.factors = kinds;
            }
            _ => return error(400, "factors must be a list of OTP, SMS and EMAIL"),
        }
        match &body["mfaTokenTtlSeconds"] {
            Value::Null => {}
            v => match v.as_u64() {
                Some(secs) => next.mfa_token_ttl = Duration::from_secs(secs),
                None => return error(400, "mfaTokenTtlSeconds must be a whole number"),
            },
        }
        match checked(next) {
            Ok(policy) => state.families.mfa.policy = policy,
            Err(e) => return error(400, &e.to_string()),
        }
    }
    Response::json(&policy_json(&state.families.mfa.policy))
}

impl Emulator {
    /// Sets the app's MFA policy (admin API: `POST /emulator/v1/mfa/policy`). Fails for
    /// `FACE`, a factor listed twice, MFA required with no factor, or an `mfaToken` life
    /// of 0 or over 100 years.
    ///
    /// ```
    /// use authing_emulator::FactorType;
    /// use authing_emulator::{AppMfaPolicy, Emulator};
    /// let emulator = Emulator::start()?;
    /// emulator.set_app_mfa(AppMfaPolicy::required(&[FactorType::OTP, FactorType::SMS]))?;
    /// assert!(emulator.app_mfa().required);
    /// assert!(emulator.set_app_mfa(AppMfaPolicy::required(&[FactorType::FACE])).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_app_mfa(&self, policy: AppMfaPolicy) -> Result<(), MfaAdminError> {
        let policy = checked(policy)?;
        self.server.shared.state().families.mfa.policy = policy;
        Ok(())
    }

    /// The app's MFA policy (admin API: `GET /emulator/v1/mfa/policy`).
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(!emulator.app_mfa().required);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn app_mfa(&self) -> AppMfaPolicy {
        self.server.shared.state().families.mfa.policy.clone()
    }

    /// Turns the user's own MFA on or off, as the user's personal center does (admin API:
    /// `POST /emulator/v1/mfa/users/{user}`). Once on, and once the user has a factor,
    /// every sign-in answers apiCode 1635.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// emulator.set_user_mfa("alice", true)?;
    /// assert!(emulator.set_user_mfa("nobody", true).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_user_mfa(
        &self,
        identity: &(impl UserIdentity + ?Sized),
        enabled: bool,
    ) -> Result<(), MfaAdminError> {
        let identity = identity.identity();
        let mut state = self.server.shared.state();
        let id = user_id(&state, &identity).ok_or(MfaAdminError::UnknownUser(identity))?;
        state.families.mfa.set_enabled(&id, enabled);
        Ok(())
    }

    /// The user's enrolled factors, secrets and recovery codes included (admin API:
    /// `GET /emulator/v1/mfa/users/{user}`); empty for an unknown user.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// for factor in emulator.mfa_factors("alice") {
    ///     println!("{} {:?}", factor.factor_type, factor.secret);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mfa_factors(&self, identity: &(impl UserIdentity + ?Sized)) -> Vec<EnrolledFactor> {
        let state = self.server.shared.state();
        user_id(&state, &identity.identity())
            .map(|id| factors(&state, &id))
            .unwrap_or_default()
    }
}
