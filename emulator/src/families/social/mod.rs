//! Mobile social sign-in: `POST /api/v3/signin-by-mobile` (`SigninByMobileDto` ->
//! `LoginTokenRespDto`), the emulator playing the providers.
//!
//! The body must name a connection the emulator plays (`state.rs`: Android's
//! `signInByMobile` connections, `yidun`, `wechat_mini_program_code_and_phone`), the
//! identifier of the app's connection of that type (`extIdpConnidentifier`, as the public
//! config lists it) and the connection's payload with its code: a code registered through
//! the admin API, not used yet, not expired (emulator clock). Yidun's payload also needs
//! `accessToken`, the mini program's `wxPhoneInfo.code`; neither is checked further.
//!
//! The first sign-in of an identity (connection identifier and provider user id) creates
//! its user, without a password, with the provider's email, phone and nickname (an email
//! or phone already a user's links the identity to that user instead), and links the
//! identity (`get-identities` lists it); later sign-ins find the same user. Then the user
//! is signed in as by `/api/v3/signin`: the MFA challenge when a second factor is asked,
//! tokens, the login history (login method: the connection).
//!
//! Refusals: 400 / 2231 for a missing or malformed field; 400 / 2350 (**the emulator's
//! own**) for an unknown connection, 400 / 2351 (**the emulator's own**) when the app has
//! no connection of that type or the identifier names another; 400 / 2352 (**the
//! emulator's own**) for an unknown, used or expired provider code; 403 / 2005 for a
//! locked user.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::config::EmulatorConfig;
use crate::core::contact::Target;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::fields::{req_obj, req_str};
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::core::users::{Creation, NewUser, Source};
use crate::core::{caller, random};
use crate::families::directory::user_access::LinkedIdentity;
use crate::families::session::signin::{issue, locked, Options};
use crate::families::social::msg::SocialMsg;
use crate::families::social::state::{
    self as social, CodeRefusal, NewProviderCode, Provider, SocialConnection, REGISTER_SOURCE,
};
use crate::http::server::Shared;
use crate::http::Request;

/// The emulator's own apiCodes of this endpoint (docs/EMULATOR.md).
pub(crate) mod codes {
    /// The `connection` is not one the emulator plays.
    pub(crate) const UNSUPPORTED_CONNECTION: u32 = 2350;
    /// The app has no connection of this type, or `extIdpConnidentifier` names another.
    pub(crate) const NO_SUCH_CONNECTION: u32 = 2351;
    /// The provider's code is unknown, used or expired.
    pub(crate) const BAD_PROVIDER_CODE: u32 = 2352;
}

/// The endpoint.
pub(crate) const PATH: &str = "/api/v3/signin-by-mobile";

/// Alipay's AuthInfo endpoint.
pub(crate) const ALIPAY_AUTH_INFO_PATH: &str = "/api/v3/get-alipay-authinfo";

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        PATH => Some(Route {
            method: "POST",
            endpoint: Endpoint::EnvelopeWith(signin_by_mobile),
        }),
        ALIPAY_AUTH_INFO_PATH => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(alipay_auth_info),
        }),
        _ => None,
    }
}

/// `GET /api/v3/get-alipay-authinfo?extIdpConnidentifier=..`: the string Alipay's mobile
/// SDK takes to start its sign-in, for the app's Alipay connection. **Our choice:** the
/// fields Alipay documents for `com.alipay.account.auth`, the app id the emulator's
/// Alipay test app's, a fresh `target_id`, and `sign` a fixed placeholder (the emulator
/// holds no Alipay key; Alipay's SDK is not part of any test).
fn alipay_auth_info(shared: &Shared, request: &Request) -> Outcome {
    let query = crate::core::urlencoded::parse(&request.query);
    let identifier = req_str(&query, "extIdpConnidentifier")?.trim();
    let state = shared.state();
    let ours = state
        .families
        .social
        .connection("alipay")
        .is_some_and(|c| c.identifier == identifier);
    if !ours {
        return Err(Failure::new(
            400,
            Some(codes::NO_SUCH_CONNECTION),
            Msg::family(SocialMsg::NoSuchConnection),
        ));
    }
    let auth_info = format!(
        "apiname=com.alipay.account.auth&app_id={ALIPAY_TEST_APP_ID}&app_name=mc&auth_type=AUTHACCOUNT\
         &biz_type=openservice&method=alipay.open.auth.sdk.code.get&pid={ALIPAY_TEST_PID}\
         &product_id=APP_FAST_LOGIN&scope=kuaijie&sign_type=RSA2&target_id={}&sign=emulator",
        random::hex(16)
    );
    Ok(Some(json!({ "authInfo": auth_info })))
}

/// The app id of the Alipay app the emulator plays **(the emulator's own test value)**.
pub(crate) const ALIPAY_TEST_APP_ID: &str = "2021000000000000";
/// The partner id of that app **(the emulator's own test value)**.
pub(crate) const ALIPAY_TEST_PID: &str = "2088000000000000";

fn signin_by_mobile(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let outcome = sign_in(shared, request, body);
    crate::families::directory::login_history::record(shared, request, body, &outcome);
    crate::families::devices::record(shared, request, &outcome);
    outcome
}

fn sign_in(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    if !caller::client_ok(shared, request, body, false) {
        return Err(caller::invalid_client());
    }
    let connection = req_str(body, "connection")?;
    let Some(provider) = social::by_connection(connection.trim()) else {
        return Err(Failure::new(
            400,
            Some(codes::UNSUPPORTED_CONNECTION),
            Msg::family(SocialMsg::UnsupportedConnection),
        ));
    };
    let identifier = req_str(body, "extIdpConnidentifier")?.trim();
    let options = Options::parse(body)?;
    let code = provider_code(provider, body)?;
    let user = {
        let mut guard = shared.state();
        let state = &mut *guard;
        let app_connection = state
            .families
            .social
            .connection(provider.ec_type)
            .filter(|c| c.identifier == identifier)
            .cloned()
            .ok_or_else(|| {
                Failure::new(
                    400,
                    Some(codes::NO_SUCH_CONNECTION),
                    Msg::family(SocialMsg::NoSuchConnection),
                )
            })?;
        let now = state.now();
        let identity = state
            .families
            .social
            .take(provider.connection, code, now)
            .map_err(code_refused)?;
        user_for(state, &shared.config, &app_connection, provider, &identity)?
    };
    issue(shared, request, &options, &user)
}

/// The provider's code in the connection's payload, after the payload's other required
/// fields are checked.
fn provider_code<'a>(
    provider: &Provider,
    body: &'a Map<String, Value>,
) -> Result<&'a str, Failure> {
    let payload = req_obj(body, provider.payload)?;
    match provider.connection {
        "yidun" => {
            req_str(payload, "accessToken")?;
            req_str(payload, "token")
        }
        "wechat_mini_program_code_and_phone" => {
            req_str(req_obj(payload, "wxPhoneInfo")?, "code")?;
            req_str(req_obj(payload, "wxLoginInfo")?, "code")
        }
        _ => req_str(payload, provider.code_key),
    }
}

pub(crate) fn code_refused(refusal: CodeRefusal) -> Failure {
    let msg = match refusal {
        CodeRefusal::Unknown => SocialMsg::UnknownCode,
        CodeRefusal::Used => SocialMsg::UsedCode,
        CodeRefusal::Expired => SocialMsg::ExpiredCode,
    };
    Failure::new(400, Some(codes::BAD_PROVIDER_CODE), Msg::family(msg))
}

/// The id of the user of `identity` at `connection`: the one it is linked to, else the
/// one with its email or phone, else a new one; linked now when it was not.
pub(crate) fn user_for(
    state: &mut State,
    config: &EmulatorConfig,
    connection: &SocialConnection,
    provider: &Provider,
    identity: &NewProviderCode,
) -> Result<String, Failure> {
    let now = state.now();
    if let Some(index) = linked_user(state, connection, identity) {
        let user = state
            .users
            .get(index)
            .ok_or_else(crate::core::fields::bad_target)?;
        if let Some(left) = user.locked_for(now) {
            return Err(locked(left));
        }
        return Ok(user.id.clone());
    }
    let (email, phone) = contacts(identity);
    let known = [&email, &phone]
        .into_iter()
        .flatten()
        .find_map(|target| state.users.by_target(target));
    let index = match known {
        Some(index) => index,
        None => create_user(state, config, provider, identity, true)?,
    };
    let Some(user) = state.users.get(index) else {
        return Err(crate::core::fields::bad_target());
    };
    if let Some(left) = user.locked_for(now) {
        return Err(locked(left));
    }
    let user_id = user.id.clone();
    link(state, &user_id, connection, provider, identity);
    Ok(user_id)
}

/// The index of the user `identity` is linked to at `connection`, if any.
pub(crate) fn linked_user(
    state: &State,
    connection: &SocialConnection,
    identity: &NewProviderCode,
) -> Option<usize> {
    let conn_id = connection.id();
    let user_id_in_idp = identity.user_id_in_idp.trim();
    let catalog = &state.families.catalog;
    state.users.iter().position(|u| {
        catalog
            .access_of(&u.id)
            .identities
            .iter()
            .any(|i| i.ext_idp_id == conn_id && i.user_id_in_idp == user_id_in_idp)
    })
}

/// The identity's email and phone at the provider, as targets (a phone without a country
/// code is `+86`).
pub(crate) fn contacts(identity: &NewProviderCode) -> (Option<Target>, Option<Target>) {
    let email = identity.email.as_deref().and_then(Target::email);
    let phone = identity.phone.as_deref().and_then(|number| {
        let cc = identity.phone_country_code.as_deref().unwrap_or("+86");
        Target::phone(Some(cc), number)
    });
    (email, phone)
}

/// Creates a user, without a password, from the identity's profile: its email and phone
/// (only those no user has yet, unless `all_contacts`), its nickname; a username
/// `<provider>_<hex>` when it has neither. The new user's index.
pub(crate) fn create_user(
    state: &mut State,
    config: &EmulatorConfig,
    provider: &Provider,
    identity: &NewProviderCode,
    all_contacts: bool,
) -> Result<usize, Failure> {
    let (email, phone) = contacts(identity);
    let free = |target: &Option<Target>| match target {
        Some(t) if all_contacts || state.users.by_target(t).is_none() => Some(t.clone()),
        _ => None,
    };
    let (email, phone) = (free(&email), free(&phone));
    let mut new = match (&email, &phone) {
        (Some(Target::Email(e)), _) => NewUser::with_email(e.clone(), ""),
        (_, Some(Target::Phone { cc, number })) => {
            NewUser::with_phone(cc.clone(), number.clone(), "")
        }
        _ => NewUser::with_username(format!("{}_{}", provider.provider, random::hex(6)), ""),
    };
    if let (Some(Target::Email(_)), Some(Target::Phone { cc, number })) = (&email, &phone) {
        new = new.phone(cc.clone(), number.clone());
    }
    if let Some(nickname) = identity.nickname.as_deref().filter(|n| !n.is_empty()) {
        new = new.nickname(nickname);
    }
    let how = Creation {
        source: Source::Register,
        register_source: REGISTER_SOURCE,
        now: state.now(),
        iterations: config.session.password_hash_iterations,
        verified: true,
    };
    state
        .users
        .add_without_password(&new, &how)
        .map_err(|_| crate::families::session::signup::duplicate())
}

/// Links `identity` at `connection` to the user `user_id` (`get-identities` lists it).
pub(crate) fn link(
    state: &mut State,
    user_id: &str,
    connection: &SocialConnection,
    provider: &Provider,
    identity: &NewProviderCode,
) {
    let mut info = json!({"id": identity.user_id_in_idp.trim()});
    for (key, value) in [
        ("email", &identity.email),
        ("phone", &identity.phone),
        ("nickname", &identity.nickname),
    ] {
        if let Some(value) = value {
            info[key] = value.clone().into();
        }
    }
    let conn_id = connection.id();
    state
        .families
        .catalog
        .access_mut(user_id)
        .identities
        .push(LinkedIdentity {
            identity_id: random::hex(12),
            ext_idp_id: conn_id.clone(),
            provider: provider.provider.to_owned(),
            identity_type: "openid".to_owned(),
            user_id_in_idp: identity.user_id_in_idp.trim().to_owned(),
            user_info: info.as_object().cloned().unwrap_or_default(),
            conn_id,
        });
}
