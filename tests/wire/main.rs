//! The SDK against the scripted loopback server (`tests/common/mod.rs`), where the exact
//! bytes matter: what each call sends and how each kind of answer is read. One module per
//! family (`recovery`, `signin`, `session`, `account`, ...), and here the fixtures several
//! of them use.

#[path = "../common/mod.rs"]
mod common;

mod account;
mod captcha;
mod devices;
mod directory;
mod events;
mod mfa;
mod oidc;
mod passkeys;
mod permissions;
mod push;
mod qrcode;
mod recovery;
mod session;
mod signin;
mod social;
mod social_binding;
mod switch_login;
mod tokens;
mod wechat;

use authing::AuthClient;
use common::{client_at, Captured, Server};
use serde_json::Value;

/// The profile answer of the user `mike` (`u-1`), as Authing gives it.
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike","createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-01-01T00:00:00.000Z","status":"Activated","workStatus":"Active","gender":"U","emailVerified":false,"phoneVerified":false,"userSourceType":"register"}}"#;

/// The path of `req` without its query.
fn route(req: &Captured) -> &str {
    req.path.split('?').next().unwrap_or_default()
}

/// The JSON body of `req`.
fn body(req: &Captured) -> Value {
    serde_json::from_slice(&req.body).expect("a json body")
}

/// A client of `server` signed in as `mike` by username and password, the sign-in's two
/// requests (sign-in, profile) taken off the log. The caller scripts `server`'s answers.
fn signed_in(server: &Server) -> AuthClient {
    let client = client_at(server.base_url());
    let response = client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(route(&server.next_request()), "/api/v3/signin");
    assert_eq!(route(&server.next_request()), "/api/v3/get-profile");
    client
}
