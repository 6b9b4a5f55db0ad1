//! The emulator's own tests, over raw HTTP (ureq) and its Rust API, never through the SDK:
//! the emulator is the SDK's judge and depends on no part of it. One module per family or
//! topic; one binary, so the emulator and its dependencies are linked once.

#[path = "../common/mod.rs"]
mod common;

mod account;
mod admin;
mod admin_access;
mod calls;
mod captcha;
mod cli;
mod devices;
mod directory;
mod events;
mod faults;
mod http;
mod independence;
mod layout;
mod machine;
mod mfa;
mod oidc;
mod permissions;
mod push;
mod qrcode;
mod recovery;
mod server;
mod session;
mod sm2;
mod social;
mod social_binding;
mod state_file;
mod switch_login;
mod tls_sessions;
mod webauthn;
mod wechat;
