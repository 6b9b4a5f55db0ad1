//! The sign-in family: `POST /api/v3/signin` (`SigninByCredentialsDto` ->
//! `LoginTokenRespDto`) for the connections `PASSWORD`, `PASSCODE`, `AD` and `LDAP`.
//!
//! A wrong password counts against the account; at the lock threshold the account is
//! locked for the lock duration (403, apiCode 2005), even for the right password. An
//! unknown account and a wrong password both answer 403 with apiCode 2333, unless the
//! emulator reveals unknown accounts (then 404 / 2004 and 403 / 2006). Passwords are
//! checked against their hash outside the emulator's lock.

use serde_json::{Map, Value};

use crate::core::caller;
use crate::core::codes::{USER_LOCKED, USER_NOT_FOUND, WRONG_ACCOUNT_OR_PASSWORD, WRONG_PASSWORD};
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{opt_bool, opt_obj, opt_text, req_obj, req_str};
use crate::core::msg::Msg;
use crate::core::password_hash;
use crate::core::state::State;
use crate::core::tokens::{has_scope, Grant};
use crate::core::users::{self, AccountKey, Creation, Directory, NewUser, Source};
use crate::families::session::msg::SessionMsg;
use crate::families::session::signup::{code_failure, passcode_target};
use crate::http::server::Shared;
use crate::http::Request;

/// The scope of a sign-in that names none **(our choice)**: no `offline_access`, so no
/// refresh token.
const DEFAULT_SCOPE: &str = "openid profile";

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        "/api/v3/signin" => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(signin),
        }),
        _ => None,
    }
}

/// What `options` says about the sign-in (also read by the social family).
pub(crate) struct Options<'a> {
    scope: &'a str,
    auto_register: bool,
    client_ip: Option<&'a str>,
    custom_data: Option<&'a Map<String, Value>>,
    nonce: Option<&'a str>,
}

impl<'a> Options<'a> {
    /// The options of a sign-in that carries nothing but `scope` (a social binding, whose
    /// options came with the first sign-in).
    pub(crate) fn with_scope(scope: &'a str) -> Options<'a> {
        Options {
            scope,
            auto_register: false,
            client_ip: None,
            custom_data: None,
            nonce: None,
        }
    }

    /// The space-separated scopes asked for.
    pub(crate) fn scope(&self) -> &'a str {
        self.scope
    }

    pub(crate) fn parse(body: &'a Map<String, Value>) -> Result<Options<'a>, Failure> {
        let Some(options) = opt_obj(body, "options")? else {
            return Ok(Options {
                scope: DEFAULT_SCOPE,
                auto_register: false,
                client_ip: None,
                custom_data: None,
                nonce: None,
            });
        };
        let scope = opt_text(options, "scope")?.unwrap_or(DEFAULT_SCOPE);
        if !has_scope(scope, "openid") {
            return Err(Failure::params(Msg::family(SessionMsg::ScopeWithoutOpenid)));
        }
        // `context` is an object in the spec and a string in Android's SDK: both accepted,
        // and ignored, as is `tenantId`; `captchaCode` is the captcha family's (its `gate`).
        Ok(Options {
            scope,
            auto_register: opt_bool(options, "autoRegister")?.unwrap_or(false),
            client_ip: opt_text(options, "clientIp")?,
            custom_data: opt_obj(options, "customData")?,
            // Not in the spec: copied into the id token when a client sends it.
            nonce: opt_text(options, "nonce")?,
        })
    }
}

fn signin(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    // The captcha policy first (families/captcha/): a sign-in it refuses is not tried.
    let outcome = crate::families::captcha::gate(shared, request, body)
        .and_then(|_| sign_in(shared, request, body));
    crate::families::captcha::record(shared, request, body, &outcome);
    crate::families::directory::login_history::record(shared, request, body, &outcome);
    crate::families::devices::record(shared, request, &outcome);
    outcome
}

fn sign_in(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    if !caller::client_ok(shared, request, body, false) {
        return Err(caller::invalid_client());
    }
    let connection = req_str(body, "connection")?;
    let options = Options::parse(body)?;
    let user = match connection {
        "PASSWORD" => by_password(shared, body, &options)?,
        "PASSCODE" => by_passcode(shared, body, &options)?,
        "AD" => by_directory(shared, body, Directory::AD, "adPayload")?,
        "LDAP" => by_directory(shared, body, Directory::LDAP, "ldapPayload")?,
        _ => return Err(Failure::params(Msg::family(SessionMsg::UnknownConnection))),
    };
    issue(shared, request, &options, &user)
}

/// Signs the user `user` (an id) in: the MFA challenge when a second factor is asked,
/// else the sign-in counted and the tokens issued. Shared with the social family.
pub(crate) fn issue(
    shared: &Shared,
    request: &Request,
    options: &Options<'_>,
    user: &str,
) -> Outcome {
    let issuer = caller::issuer(shared, request);
    let mut guard = shared.state();
    let state = &mut *guard;
    let now = state.now();
    let index = state.users.by_id(user).ok_or_else(not_found)?;
    // MFA: a second factor asked for answers the challenge instead of tokens (families/mfa/).
    let pending = crate::families::mfa::Pending {
        scope: options.scope,
        nonce: options.nonce,
        client_ip: options.client_ip,
        issuer: &issuer,
    };
    if let Some(challenge) = crate::families::mfa::challenge(state, index, &pending) {
        return Err(challenge);
    }
    let Some(user) = state.users.get_mut(index) else {
        return Err(not_found());
    };
    user.record_success(now, options.client_ip);
    if let Some(custom) = options.custom_data {
        user.custom_data.extend(custom.clone());
    }
    let lifetimes = state.families.lifetimes.lifetimes(&shared.config.session);
    let grant = Grant {
        issuer: &issuer,
        audience: &shared.config.app_id,
        scope: options.scope,
        nonce: options.nonce,
        now,
        access_ttl: lifetimes.access_token,
        refresh_ttl: lifetimes.refresh_token,
    };
    let set = state.sessions.issue(user, &grant);
    Ok(Some(set.to_json()))
}

fn not_found() -> Failure {
    Failure::new(404, Some(USER_NOT_FOUND), Msg::UserNotFound)
}

/// 403 / 2005, with the seconds left (rounded up).
pub(crate) fn locked(left: std::time::Duration) -> Failure {
    let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    Failure::new(
        403,
        Some(USER_LOCKED),
        Msg::family(SessionMsg::Locked(secs.max(1))),
    )
}

/// The answer for an account that does not exist.
fn unknown_account(shared: &Shared) -> Failure {
    if shared.config.session.reveal_unknown_accounts {
        not_found()
    } else {
        wrong_account_or_password()
    }
}

fn wrong_account_or_password() -> Failure {
    Failure::new(
        403,
        Some(WRONG_ACCOUNT_OR_PASSWORD),
        Msg::family(SessionMsg::WrongAccountOrPassword),
    )
}

/// Checks `password` for the user a look-up finds: the look-up and the lock check under
/// the emulator's lock, the hash outside it, then the outcome recorded under it again.
/// Returns the user id; `None` when the look-up found nobody.
pub(crate) fn check(
    shared: &Shared,
    find: impl Fn(&State) -> Option<usize>,
    directory: Option<Directory>,
    password: &str,
) -> Result<Option<String>, Failure> {
    let (id, hash) = {
        let state = shared.state();
        let Some(user) = find(&state).and_then(|i| state.users.get(i)) else {
            return Ok(None);
        };
        if let Some(left) = user.locked_for(state.now()) {
            return Err(locked(left));
        }
        (user.id.clone(), user.hash_for(directory).map(str::to_owned))
    };
    let ok = hash.is_some_and(|hash| password_hash::verify_password(&hash, password));
    let session = &shared.config.session;
    let mut state = shared.state();
    let now = state.now();
    let index = state.users.by_id(&id).ok_or_else(not_found)?;
    let Some(user) = state.users.get_mut(index) else {
        return Err(not_found());
    };
    if let Some(left) = user.locked_for(now) {
        return Err(locked(left));
    }
    if ok {
        return Ok(Some(id));
    }
    if let Some(left) = user.record_failure(now, session.lock_threshold, session.lock_duration) {
        return Err(locked(left));
    }
    Err(if session.reveal_unknown_accounts {
        Failure::new(
            403,
            Some(WRONG_PASSWORD),
            Msg::family(SessionMsg::WrongPassword),
        )
    } else {
        wrong_account_or_password()
    })
}

fn by_password(
    shared: &Shared,
    body: &Map<String, Value>,
    options: &Options<'_>,
) -> Result<String, Failure> {
    let payload = req_obj(body, "passwordPayload")?;
    let mut named = None;
    for (field, key) in [
        ("account", AccountKey::Account),
        ("username", AccountKey::Username),
        ("email", AccountKey::Email),
        ("phone", AccountKey::Phone),
    ] {
        if let Some(value) = opt_text(payload, field)? {
            named.get_or_insert((key, value));
        }
    }
    let Some((key, value)) = named else {
        return Err(Failure::params(Msg::family(SessionMsg::NeedOneOf(
            "account, username, email or phone",
        ))));
    };
    let password = caller::password(body, payload)?;
    let find = |state: &State| state.users.by_account(key, value);
    if let Some(id) = check(shared, find, None, &password)? {
        return Ok(id);
    }
    if !options.auto_register {
        return Err(unknown_account(shared));
    }
    register_by_password(shared, key, value, password)
}

/// Creates the user an auto-registering password sign-in names: an email when it looks
/// like one, else a phone when it is digits, else a username.
fn register_by_password(
    shared: &Shared,
    key: AccountKey,
    value: &str,
    password: String,
) -> Result<String, Failure> {
    let config = &shared.config;
    if !users::password_ok(&password, config.password_min, config.password_max) {
        return Err(Failure::new(
            400,
            Some(crate::core::codes::BAD_PASSWORD),
            Msg::BadPassword {
                min: config.password_min,
                max: config.password_max,
            },
        ));
    }
    let value = value.trim();
    let as_email =
        matches!(key, AccountKey::Email | AccountKey::Account) && Target::email(value).is_some();
    let as_phone = matches!(key, AccountKey::Phone | AccountKey::Account)
        && Target::phone(None, value).is_some();
    let (new, source) = if as_email {
        (NewUser::with_email(value, password), "basic:email")
    } else if as_phone {
        (
            NewUser::with_phone("+86", value, password),
            "basic:phone-password",
        )
    } else if key != AccountKey::Email && key != AccountKey::Phone && users::valid_username(value) {
        (
            NewUser::with_username(value, password),
            "basic:username-password",
        )
    } else {
        return Err(crate::core::fields::bad_target());
    };
    let mut state = shared.state();
    let how = Creation {
        source: Source::Register,
        register_source: source,
        now: state.now(),
        iterations: config.session.password_hash_iterations,
        verified: false,
    };
    let index = state
        .users
        .add(&new, &how)
        .map_err(|_| crate::families::session::signup::duplicate())?;
    Ok(state
        .users
        .get(index)
        .map(|u| u.id.clone())
        .unwrap_or_default())
}

fn by_passcode(
    shared: &Shared,
    body: &Map<String, Value>,
    options: &Options<'_>,
) -> Result<String, Failure> {
    let payload = req_obj(body, "passCodePayload")?;
    let code = req_str(payload, "passCode")?;
    let target = passcode_target(payload)?;
    let config = &shared.config;
    let mut state = shared.state();
    state
        .consume_code(config, &target, "CHANNEL_LOGIN", code)
        .map_err(code_failure)?;
    let now = state.now();
    if let Some(user) = state
        .users
        .by_target(&target)
        .and_then(|i| state.users.get(i))
    {
        if let Some(left) = user.locked_for(now) {
            return Err(locked(left));
        }
        return Ok(user.id.clone());
    }
    if !options.auto_register {
        return Err(not_found());
    }
    let how = Creation {
        source: Source::Register,
        register_source: match target {
            Target::Email(_) => "basic:email-code",
            Target::Phone { .. } => "basic:phone-code",
        },
        now,
        iterations: config.session.password_hash_iterations,
        verified: true,
    };
    let index = state
        .users
        .add_by_target(&target, &how)
        .map_err(|_| crate::families::session::signup::duplicate())?;
    Ok(state
        .users
        .get(index)
        .map(|u| u.id.clone())
        .unwrap_or_default())
}

fn by_directory(
    shared: &Shared,
    body: &Map<String, Value>,
    kind: Directory,
    field: &'static str,
) -> Result<String, Failure> {
    let payload = req_obj(body, field)?;
    let name = req_str(payload, "sAMAccountName")?;
    let password = caller::password(body, payload)?;
    let find = |state: &State| state.users.by_directory(kind, name);
    check(shared, find, Some(kind), &password)?.ok_or_else(|| unknown_account(shared))
}
