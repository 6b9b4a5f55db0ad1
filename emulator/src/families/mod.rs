//! The emulator's families of endpoints, one folder each, and the one place they are
//! registered: [`FAMILIES`] (their routes, admin routes and user hooks) and
//! [`FamilyStates`] (their state).
//!
//! A family's folder holds its routes and handlers (`mod.rs`, with more files beside it
//! when the family is large), its state (`state.rs`), its admin API, both the HTTP routes
//! under `/emulator/v1/` and the [`Emulator`](crate::Emulator) methods (`admin.rs`), and
//! its messages (`msg.rs`, plugged into the envelope through
//! [`Localized`](crate::core::msg::Localized)). The families:
//!
//! - `recovery`: public config, system, send-sms, send-email,
//!   verify-reset-password-request, reset-password;
//! - `session`: sign-up (`signup.rs`), sign-in (`signin.rs`) and the session (get-profile,
//!   `/oidc/token` refresh, revocation, discovery), which share their messages, their
//!   settings and the admin view of users and tokens;
//! - `countries`: the country list;
//! - `directory`: what the signed-in user may access (login history, apps, tenants, roles,
//!   groups, departments, resources) and its linked identities;
//! - `mfa`: factors, the sign-in challenge and `mfaToken` introspection, TOTP and
//!   recovery codes;
//! - `qrcode`: QR sign-in;
//! - `push`: push sign-in (the desktop asks the user's phone app to approve);
//! - `oidc`: the authorization code flow with its hosted pages, and the
//!   [`HostedBrowser`](crate::HostedBrowser);
//! - `account`: the signed-in user's account (profile, phone and email, password,
//!   deletion, avatar uploads);
//! - `permissions`: data resources (string, array, tree) and the grants on them, and what
//!   the signed-in user may do with them;
//! - `social`: mobile social sign-in;
//! - `social_binding`: a first WeChat mobile sign-in that asks how to bind the identity,
//!   and the ways to bind it (`/api/v2/ecConn/wechatMobile/*`);
//! - `machine`: machine-to-machine clients and the `client_credentials` grant;
//! - `devices`: the signed-in user's devices and their sessions (`mydevices/*`);
//! - `switch_login`: public accounts a signed-in user may switch to, and the switch;
//! - `captcha`: the graphic captcha of the sign-in policy (its image, the check
//!   `session`'s sign-in asks it for) and the pass-code pre-check;
//! - `webauthn`: passkeys (registration, sign-in, the user's credentials), verified for real;
//! - `wechat`: the WeChat helpers (mini program data and phone, the WeChat access token),
//!   the emulator playing WeChat.
//!
//! Adding a family is a new folder, and here its `mod` line, one entry in [`FAMILIES`] and
//! (when it keeps state) one field in [`FamilyStates`]; its public types, if any, get a
//! `pub use` in `lib.rs`. The core (`core/`, `http/`) names no family
//! (`tests/suite/layout.rs` checks it).

pub(crate) mod account;
pub(crate) mod captcha;
pub(crate) mod countries;
pub(crate) mod devices;
pub(crate) mod directory;
pub(crate) mod events;
pub(crate) mod machine;
pub(crate) mod mfa;
pub(crate) mod oidc;
pub(crate) mod permissions;
pub(crate) mod push;
pub(crate) mod qrcode;
pub(crate) mod recovery;
pub(crate) mod session;
pub(crate) mod social;
pub(crate) mod social_binding;
pub(crate) mod switch_login;
pub(crate) mod webauthn;
pub(crate) mod wechat;

use crate::core::envelope::Route;
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// One family of endpoints, as the core sees it.
pub(crate) struct Family {
    /// The family's folder, for readers.
    #[allow(dead_code)] // read by the tests, and by whoever reads the table
    pub(crate) name: &'static str,
    /// The route of a request path (no query), when the family answers it.
    pub(crate) routes: fn(&str) -> Option<Route>,
    /// The answer to an admin request, given its path without a trailing slash, when the
    /// path is the family's.
    pub(crate) admin: fn(&Shared, &Request, &str) -> Option<Response>,
    /// Forgets what the family keeps for a user that is deleted (by its user id).
    pub(crate) forget_user: fn(&mut FamilyStates, &str),
}

/// Every family, asked in this order for a route and for an admin route; the first that
/// answers wins. The directory comes before the session because its admin routes
/// (`/emulator/v1/users/{user}/apps`, …) lie under the session's
/// (`/emulator/v1/users/{user}`); the families' API paths do not overlap.
pub(crate) const FAMILIES: &[Family] = &[
    Family {
        name: "recovery",
        routes: recovery::route,
        admin: no_admin,
        forget_user: keeps_nothing,
    },
    Family {
        name: "directory",
        routes: directory::routes,
        admin: directory::admin::route,
        forget_user: |states, user| states.catalog.forget_user(user),
    },
    Family {
        name: "session",
        routes: session::routes,
        admin: session::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "countries",
        routes: countries::route,
        admin: no_admin,
        forget_user: keeps_nothing,
    },
    Family {
        name: "mfa",
        routes: mfa::route,
        admin: mfa::admin::route,
        forget_user: |states, user| states.mfa.forget_user(user),
    },
    Family {
        name: "qrcode",
        routes: qrcode::route,
        admin: qrcode::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "push",
        routes: push::route,
        admin: push::admin::route,
        forget_user: |states, user| states.pushes.forget_user(user),
    },
    Family {
        name: "oidc",
        routes: oidc::route,
        admin: oidc::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "account",
        routes: account::route,
        admin: account::admin::route,
        forget_user: |states, user| states.account.forget_user(user),
    },
    Family {
        name: "permissions",
        routes: permissions::route,
        admin: permissions::admin::route,
        forget_user: |states, user| states.permissions.forget_user(user),
    },
    Family {
        name: "social",
        routes: social::route,
        admin: social::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "social_binding",
        routes: social_binding::route,
        admin: social_binding::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "machine",
        routes: machine::route,
        admin: machine::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "devices",
        routes: devices::route,
        admin: devices::admin::route,
        forget_user: |states, user| states.devices.forget_user(user),
    },
    Family {
        name: "switch_login",
        routes: switch_login::route,
        admin: switch_login::admin::route,
        forget_user: |states, user| states.public_accounts.forget_user(user),
    },
    Family {
        name: "captcha",
        routes: captcha::route,
        admin: captcha::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "webauthn",
        routes: webauthn::route,
        admin: webauthn::admin::route,
        forget_user: |states, user| states.webauthn.forget_user(user),
    },
    Family {
        name: "wechat",
        routes: wechat::route,
        admin: wechat::admin::route,
        forget_user: keeps_nothing,
    },
    Family {
        name: "events",
        routes: events::route,
        admin: events::admin::route,
        forget_user: keeps_nothing,
    },
];

/// The state of every family that keeps some, behind the state's mutex with everything a
/// reset clears (a reset starts from `FamilyStates::default()`).
///
/// A state file (`core/persist.rs`) keeps what serializes; the QR codes, the pushes and the OpenID
/// Connect flow's pages, codes and browser sessions are in flight and minutes long, so a
/// restart starts them afresh (`#[serde(skip)]`), as each family's own fields marked so.
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(crate) struct FamilyStates {
    /// The account family's verify-then-act tokens and avatar uploads.
    pub(crate) account: account::state::Account,
    /// The pool's apps, tenants, roles, groups, departments and identity providers, and
    /// what each user has of them.
    pub(crate) catalog: directory::state::Catalog,
    /// MFA policy, factors, enrolments and sign-in challenges.
    pub(crate) mfa: mfa::state::Mfa,
    /// The token lifetimes set at run time (`session/lifetimes.rs`).
    pub(crate) lifetimes: session::lifetimes::LifetimeSetting,
    /// QR codes of QR sign-in.
    #[serde(skip)]
    pub(crate) qrcodes: qrcode::state::QrCodes,
    /// Pushes of push sign-in, and the apps' relation apps.
    #[serde(skip)]
    pub(crate) pushes: push::state::Pushes,
    /// The OpenID Connect code flow: sign-in pages, codes, browser sessions.
    #[serde(skip)]
    pub(crate) oidc: oidc::state::OidcState,
    /// The pool's data resources and the grants on them.
    pub(crate) permissions: permissions::state::Permissions,
    /// Mobile social sign-in: the app's connections, the providers' codes.
    pub(crate) social: social::state::Social,
    /// Social account binding: the sign-ins waiting to be bound, whether a new account
    /// may be created.
    pub(crate) social_binding: social_binding::state::SocialBindings,
    /// Machine-to-machine clients and the access tokens their grant issued.
    pub(crate) machine: machine::state::Machines,
    /// Every user's devices and the sessions on them.
    pub(crate) devices: devices::state::Devices,
    /// Public accounts and the users linked to each.
    pub(crate) public_accounts: switch_login::state::PublicAccounts,
    /// The captcha policy (kept), the failed sign-ins counted and the captchas drawn (not
    /// kept: minutes long).
    pub(crate) captcha: captcha::state::Captchas,
    /// Passkeys: the relying party settings, the challenges in flight (not kept), every
    /// user's credentials.
    pub(crate) webauthn: webauthn::state::Webauthn,
    /// The emulator's WeChat: mini program codes and session keys, its access token.
    #[serde(skip)]
    pub(crate) wechat: wechat::state::Wechat,
    /// The event streams open now and the recent events (live connections: not kept).
    #[serde(skip)]
    pub(crate) events: events::state::Hub,
}

/// The route of `path`, asking each family in turn.
pub(crate) fn route(path: &str) -> Option<Route> {
    FAMILIES.iter().find_map(|family| (family.routes)(path))
}

/// The answer of the family whose admin route `path` is, if any.
pub(crate) fn admin(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    FAMILIES
        .iter()
        .find_map(|family| (family.admin)(shared, request, path))
}

/// The WebSocket upgrade of a request, when a family serves it (the event stream,
/// `events/`): `None` for a plain request; else the refusal, or the stream to run on the
/// connection's socket.
pub(crate) fn upgrade<'a>(
    shared: &'a Shared,
    request: &Request,
) -> Option<Result<events::Upgraded<'a>, Response>> {
    events::upgrade(shared, request)
}

/// Answers `request` with `answer`, and publishes the events its success stands for
/// (the events family's table).
pub(crate) fn observed(
    shared: &Shared,
    request: &Request,
    answer: impl FnOnce() -> Response,
) -> Response {
    events::observed(shared, request, answer)
}

/// The admin routes of a family that has none.
fn no_admin(_: &Shared, _: &Request, _: &str) -> Option<Response> {
    None
}

/// The user hook of a family that keeps nothing per user beyond the user's record.
fn keeps_nothing(_: &mut FamilyStates, _: &str) {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::EmulatorConfig;
    use crate::core::state::State;
    use crate::NewUser;

    #[test]
    fn every_family_is_registered_once() {
        let mut names: Vec<&str> = FAMILIES.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FAMILIES.len());
    }

    #[test]
    fn a_deleted_user_takes_its_mfa_switch_tokens_and_directory_share_with_it() {
        let mut state = State::empty();
        let config = EmulatorConfig::default();
        let id = state
            .add_user(&config, &NewUser::with_username("mike", "pw-123456"))
            .unwrap();
        state.families.mfa.set_enabled(&id, true);
        let role = crate::NewRole::new("admin");
        state.assign_role("mike", &role).unwrap();
        assert_eq!(state.families.catalog.access_of(&id).roles.len(), 1);
        let token =
            state
                .families
                .account
                .issue(account::state::Action::DeleteAccount, &id, state.now());
        assert!(state.remove_user(0).is_some());
        assert!(!state.families.mfa.is_enabled(&id));
        let kind = account::state::Action::DeleteAccount;
        let spent = state
            .families
            .account
            .spend(&token, &id, &kind, state.now());
        assert_eq!(spent, None);
        assert!(state.users.by_id(&id).is_none());
        assert!(state.families.catalog.access_of(&id).roles.is_empty());
    }

    #[test]
    fn a_deleted_user_leaves_the_public_accounts_it_was_linked_to() {
        let mut state = State::empty();
        let config = EmulatorConfig::default();
        let id = state
            .add_user(&config, &NewUser::with_username("mike", "pw-123456"))
            .unwrap();
        state.families.public_accounts.link("desk", Some(&id));
        assert!(state.families.public_accounts.may_switch(&id, "desk"));
        assert!(state.remove_user(0).is_some());
        assert!(!state.families.public_accounts.may_switch(&id, "desk"));
    }

    #[test]
    fn a_deleted_user_takes_its_devices_with_it() {
        let mut state = State::empty();
        let config = EmulatorConfig::default();
        let id = state
            .add_user(&config, &NewUser::with_username("mike", "pw-123456"))
            .unwrap();
        let sign_in = devices::state::SignIn {
            device_id: "laptop-1".into(),
            name: String::new(),
            os: "Linux".into(),
            device_type: "Desktop".into(),
            user_agent: String::new(),
            at: state.now(),
            ip: "127.0.0.1".into(),
            session: 1,
        };
        state.families.devices.record(&id, sign_in);
        assert_eq!(state.families.devices.of(&id).len(), 1);
        assert!(state.remove_user(0).is_some());
        assert!(state.families.devices.of(&id).is_empty());
    }
}
