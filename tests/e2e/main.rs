//! The SDK against the embedded emulator, end to end over real HTTP with nothing mocked:
//! one module per family (`recovery`, `signin`, `account`, ...). One binary, so the SDK
//! and the emulator are linked once for all of them.

#[path = "../common/mod.rs"]
mod common;

mod account;
mod captcha;
mod claims_user;
mod config_cache;
mod devices;
mod directory;
mod emulator;
mod events;
mod events_wss;
#[cfg(feature = "keyring")]
mod keyring;
mod lang;
mod mfa;
mod oidc;
mod passkeys;
mod permissions;
mod push;
mod qrcode;
mod recovery;
mod refresh_ahead;
mod refresh_load;
mod session;
mod signin;
mod social;
mod social_binding;
mod state_file;
mod switch_login;
mod tls;
mod tls_reuse;
mod token_store_load;
mod tokens;
mod warm_up;
mod wechat;
