//! The `AuthClient` calls, one module per family (design.md, "Growing to the whole
//! AuthClient"). Each module adds an `impl AuthClient` block with the family's calls, the
//! callback form and its blocking twin, and nothing else.

pub(crate) mod account;
pub(crate) mod binding;
pub(crate) mod common;
pub(crate) mod directory;
pub(crate) mod identities;
pub(crate) mod mfa;
pub(crate) mod oidc;
pub(crate) mod profile;
pub(crate) mod qrcode;
pub(crate) mod recovery;
pub(crate) mod session;
pub(crate) mod signin;
pub(crate) mod signup;
pub(crate) mod social;
