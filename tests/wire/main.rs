//! The SDK against the scripted loopback server (`tests/common/mod.rs`), where the exact
//! bytes matter: what each call sends and how each kind of answer is read. One module per
//! family (`recovery`, `signin`, `session`, `account`, ...).
#[path = "../common/mod.rs"]
mod common;

mod account;
mod directory;
mod mfa;
mod oidc;
mod qrcode;
mod recovery;
mod session;
mod signin;
mod social;
