//! Delivery: how a call's answer reaches its callback. The bounded worker pool and its
//! FIFO queue (`dispatcher.rs`, threads from `spawner.rs`), the exactly-once slot of each
//! call (`slot.rs`) and its [`RequestHandle`](crate::RequestHandle) (`handle.rs`), the
//! courier thread for answers that need no network (`courier.rs`), the callback shapes
//! (`callback.rs`, `inbox.rs`), the delivery hook for GUI loops (`wake.rs`) and the report
//! of a panicking callback (`report.rs`), and the work a call leaves for after its
//! delivery (`after.rs`: a sign-in's full profile). No endpoint and no HTTP here.

pub(crate) mod after;
pub(crate) mod callback;
pub(crate) mod courier;
pub(crate) mod dispatcher;
pub(crate) mod handle;
pub(crate) mod inbox;
pub(crate) mod report;
pub(crate) mod slot;
pub(crate) mod spawner;
pub(crate) mod wake;
