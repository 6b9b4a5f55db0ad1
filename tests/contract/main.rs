//! The callback contract and the infrastructure under every family: callbacks and the
//! dispatcher, the transport policy, app discovery, password encryption, input validation
//! and what GUI code gets, and the manifests' `rust-version` (msrv.rs). One module per
//! topic, and here the fixtures several of them use.

#[path = "../common/mod.rs"]
mod common;
#[path = "../tls_server/mod.rs"]
mod tls_server;

mod callbacks;
mod discovery;
mod dispatcher;
mod encryption;
mod events_tls;
mod gui_support;
mod msrv;
mod proxy;
mod transport;
mod validation;

use authing::{ResetPasswordPayload, ResetPasswordVerifyMethod};

/// A verify answer that hands out a reset token.
const VERIFY_OK: &str =
    r#"{"statusCode":200,"message":"ok","data":{"passwordResetToken":"t","tokenExpiresIn":60}}"#;

/// The verify method of `payload()`.
const PHONE: ResetPasswordVerifyMethod = ResetPasswordVerifyMethod::PHONE_PASSCODE;

/// A valid phone reset request: a number and its pass code, no country code.
fn payload() -> ResetPasswordPayload {
    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_number("18812345678")
        .set_pass_code("1234");
    payload
}
