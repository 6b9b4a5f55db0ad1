//! Multi-request flows: one public call that runs several requests and waits between
//! them. The QR sign-in (`qr.rs`: generate, poll, exchange, start the session), the push
//! sign-in (`push.rs`: push, poll, start the session with the tokens) and the browser
//! sign-in (`browser.rs`: loopback listener, browser, code exchange, id_token checks,
//! session). QR and push share one polling engine (`poll.rs`: the interval and the
//! deadline, each status once and in order, cancellation, the listener through the
//! callback executor, the not-authorized answer); each describes only what it polls and
//! how it ends. The family files (`api/qrcode.rs`, `api/push.rs`, `api/oidc.rs`) give them
//! their public callback form and blocking twin; the protocol pieces are in `oidc/`.

pub(crate) mod browser;
pub(crate) mod poll;
pub(crate) mod push;
pub(crate) mod qr;
