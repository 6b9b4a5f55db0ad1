//! The login history: every `POST /api/v3/signin` is recorded for the user it signed in,
//! or, when it failed, for the existing user it named (a failure for an account that does
//! not exist has no user to record it for). `get-my-login-history` reads it.
//!
//! A sign-in answered with an MFA challenge (apiCode 1635 or 1636) is not recorded: it is
//! recorded when the second factor completes it (`record_mfa`, from `families/mfa/`).
//!
//! A record keeps the app (the emulator's own: every sign-in goes to it), the instant
//! (emulator clock), the client IP (`options.clientIp`, else the `x-real-ip` header, else
//! the first address of `x-forwarded-for`, else `127.0.0.1`: the emulator does not look
//! at the peer's address), success, the failure's message in the request's language, the
//! `User-Agent` and the connection (`PASSWORD`, `PASSCODE`, `AD`, `LDAP`) as the login
//! method.

use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::core::envelope::Outcome;
use crate::core::fields::{opt_obj, opt_text};
use crate::core::msg::Lang;
use crate::core::state::State;
use crate::core::tokens;
use crate::core::users::{AccountKey, Directory};
use crate::families::directory::user_access::{Access, LoginRecord};
use crate::families::session::signup::passcode_target;
use crate::http::server::Shared;
use crate::http::Request;

/// The client IP of a sign-in that tells none.
const LOOPBACK: &str = "127.0.0.1";

/// Records the sign-in `body` whose outcome is `outcome`.
pub(crate) fn record(
    shared: &Shared,
    request: &Request,
    body: &Map<String, Value>,
    outcome: &Outcome,
) {
    let connection = body
        .get("connection")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // A second factor asked for (1635, 1636): the sign-in ends at the MFA completion,
    // which records it (`record_mfa`).
    if let Err(failure) = outcome {
        if matches!(failure.api_code, Some(1635 | 1636)) {
            return;
        }
    }
    // The token was just issued: its `sub` is read before the lock, as the signature
    // check is the costly part.
    let signed_in = outcome.as_ref().ok().map(|data| {
        let token = data
            .as_ref()
            .and_then(|d| d.get("access_token"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        tokens::verify(token)
            .and_then(|claims| claims.get("sub")?.as_str().map(str::to_owned))
            .unwrap_or_default()
    });
    let mut state = shared.state();
    let index = match signed_in {
        Some(id) => state.users.by_id(&id),
        None => named_user(&state, connection, body),
    };
    let Some(index) = index else {
        return;
    };
    let lang = Lang::from_header(request.header("x-authing-lang"));
    let record = LoginRecord {
        app_id: shared.config.app_id.clone(),
        at: state.now(),
        client_ip: client_ip(request, body),
        success: outcome.is_ok(),
        error_message: outcome.as_ref().err().map(|f| f.msg.text(lang)),
        user_agent: request.header("user-agent").unwrap_or_default().to_owned(),
        login_method: connection.to_owned(),
    };
    if let Some(id) = state.users.get(index).map(|user| user.id.clone()) {
        state.families.catalog.access_mut(&id).record(record);
    }
}

/// Records, in what a user has (`access`), its sign-in that an MFA completion finished at
/// `at`: its client IP
/// is the first request's `options.clientIp` when it had one, its login method `MFA`; its
/// `User-Agent` is not kept (empty).
pub(crate) fn record_mfa(
    shared: &Shared,
    access: &mut Access,
    at: SystemTime,
    client_ip: Option<&str>,
) {
    access.record(LoginRecord {
        app_id: shared.config.app_id.clone(),
        at,
        client_ip: client_ip.unwrap_or(LOOPBACK).to_owned(),
        success: true,
        error_message: None,
        user_agent: String::new(),
        login_method: "MFA".to_owned(),
    });
}

/// The existing user a sign-in names, whatever became of it.
fn named_user(state: &State, connection: &str, body: &Map<String, Value>) -> Option<usize> {
    let payload = |key| opt_obj(body, key).ok().flatten();
    match connection {
        "PASSWORD" => {
            let payload = payload("passwordPayload")?;
            [
                ("account", AccountKey::Account),
                ("username", AccountKey::Username),
                ("email", AccountKey::Email),
                ("phone", AccountKey::Phone),
            ]
            .into_iter()
            .find_map(|(field, key)| {
                let value = opt_text(payload, field).ok().flatten()?;
                Some(state.users.by_account(key, value))
            })
            .flatten()
        }
        "PASSCODE" => {
            let target = passcode_target(payload("passCodePayload")?).ok()?;
            state.users.by_target(&target)
        }
        "AD" | "LDAP" => {
            let (kind, field) = match connection {
                "AD" => (Directory::AD, "adPayload"),
                _ => (Directory::LDAP, "ldapPayload"),
            };
            let name = opt_text(payload(field)?, "sAMAccountName").ok().flatten()?;
            state.users.by_directory(kind, name)
        }
        _ => None,
    }
}

/// The client's IP address as the sign-in tells it.
fn client_ip(request: &Request, body: &Map<String, Value>) -> String {
    let from_options = opt_obj(body, "options")
        .ok()
        .flatten()
        .and_then(|options| opt_text(options, "clientIp").ok().flatten());
    let from_headers = || {
        let real = request.header("x-real-ip").map(str::trim);
        let forwarded = request
            .header("x-forwarded-for")
            .and_then(|list| list.split(',').next())
            .map(str::trim);
        real.or(forwarded).filter(|ip| !ip.is_empty())
    };
    from_options
        .or_else(from_headers)
        .unwrap_or(LOOPBACK)
        .trim()
        .to_owned()
}
