//! Authing's event stream (Java: `subEvent`, `pubtEvent`): the builder's event settings
//! (`settings.rs`, always) and, with the cargo feature `events`, the subscription: its
//! WebSocket connection (`socket.rs`) and its thread, handle and deliveries
//! (`subscription.rs`). The public calls are in `api/events.rs`, the types in
//! `model/events.rs`.

pub(crate) mod settings;
#[cfg(feature = "events")]
pub(crate) mod socket;
#[cfg(feature = "events")]
pub(crate) mod subscription;
