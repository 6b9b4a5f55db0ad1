//! The server's core, under every family: the state behind the mutex (and its state file),
//! the users, tokens,
//! keys, password decryption and hashing, the contact a code goes to, the configuration,
//! the messages and apiCodes every family shares, the v3 envelope and the admin API's own
//! endpoints. No family's name appears here; families plug in through `families/mod.rs`.

pub(crate) mod admin;
pub(crate) mod admin_guard;
pub(crate) mod caller;
pub(crate) mod codec;
pub(crate) mod codes;
pub(crate) mod config;
pub(crate) mod contact;
pub(crate) mod envelope;
pub(crate) mod fields;
pub mod keys;
pub(crate) mod msg;
pub(crate) mod password_decrypt;
pub(crate) mod password_hash;
pub(crate) mod persist;
pub(crate) mod random;
pub(crate) mod session_config;
pub(crate) mod state;
pub(crate) mod state_guard;
pub(crate) mod tokens;
pub(crate) mod urlencoded;
pub(crate) mod users;
pub(crate) mod vocab;
