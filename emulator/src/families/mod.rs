//! The emulator's families of endpoints, one folder each.

pub(crate) mod account;
pub(crate) mod countries;
pub(crate) mod directory;
pub(crate) mod mfa;
pub(crate) mod oidc;
pub(crate) mod qrcode;
pub(crate) mod recovery;
pub(crate) mod session;
pub(crate) mod social;

use crate::core::envelope::Route;

/// The route of `path`, asking each family in turn.
pub(crate) fn route(path: &str) -> Option<Route> {
    recovery::route(path)
        .or_else(|| session::signup::route(path))
        .or_else(|| session::signin::route(path))
        .or_else(|| session::route(path))
        .or_else(|| countries::route(path))
        .or_else(|| directory::route(path))
        .or_else(|| directory::identities::route(path))
        .or_else(|| mfa::route(path))
        .or_else(|| qrcode::route(path))
        .or_else(|| oidc::route(path))
        .or_else(|| account::route(path))
        .or_else(|| social::route(path))
}
