//! The callback contract and the infrastructure under every family: callbacks and the
//! dispatcher, the transport policy, app discovery, password encryption, input validation
//! and what GUI code gets. One module per topic.
#[path = "../common/mod.rs"]
mod common;
#[path = "../tls_server/mod.rs"]
mod tls_server;

mod callbacks;
mod discovery;
mod dispatcher;
mod encryption;
mod gui_support;
mod transport;
mod validation;
