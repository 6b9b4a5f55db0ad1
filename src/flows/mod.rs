//! Multi-request flows: one public call that runs several requests and waits between
//! them. The QR sign-in (`qr.rs`: generate, poll, exchange, start the session) and the
//! browser sign-in (`browser.rs`: loopback listener, browser, code exchange, id_token
//! checks, session). The family files (`api/qrcode.rs`, `api/oidc.rs`) give them their
//! public callback form and blocking twin; the protocol pieces are in `oidc/`.

pub(crate) mod browser;
pub(crate) mod qr;
