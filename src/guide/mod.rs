//! Guides: the manual pages of the repository's `docs/` directory, readable in rustdoc.
//!
//! Each module holds one page, included as written, so the page on GitHub and the page
//! here are the same text. Their Rust code blocks are doctests: `cargo test --doc` compiles
//! them (and runs those that need no network), so a guide cannot drift from the API. A
//! block that cannot compile here (the GUI page's egui code) is marked `ignore` and says
//! where it is compiled instead.
//!
//! - [`recipes`]: the short answers of a first hour (sessions in a file, MFA, languages).
//! - [`families`]: each family of calls with its example, a real run, and its calls.
//! - [`configuration`]: where a client gets its settings; the builder; the HTTP transport.
//! - [`porting`]: porting Java/Android `AuthClient` code, call by call; nested callbacks.
//! - [`threading`]: the callback contract, the dispatcher, GUI recipes.
//! - [`gui`]: a desktop app on egui/eframe (`examples/gui`), and how it meets the callbacks.
//! - [`errors`]: every status code, `AuthError` variant and `apiCode`, and what to do.
//! - [`emulator`]: the bundled Authing emulator (cargo feature `emulator`).
//! - [`conformance`]: how the tests check every body against Authing's OpenAPI spec.
//! - [`performance`]: what the benchmark measures and what it found.
//! - [`compared`]: coming from ureq, reqwest, openidconnect, keyring or the AWS SDK.
//! - [`layout`]: where each thing lives in the repository, and how to add a family.

#[doc = include_str!("../../docs/RECIPES.md")]
pub mod recipes {}

#[doc = include_str!("../../docs/FAMILIES.md")]
pub mod families {}

#[doc = include_str!("../../docs/CONFIGURATION.md")]
pub mod configuration {}

#[doc = include_str!("../../docs/PORTING.md")]
pub mod porting {}

#[doc = include_str!("../../docs/THREADING.md")]
pub mod threading {}

#[doc = include_str!("../../docs/GUI.md")]
pub mod gui {}

#[doc = include_str!("../../docs/ERRORS.md")]
pub mod errors {}

#[doc = include_str!("../../docs/EMULATOR.md")]
pub mod emulator {}

#[doc = include_str!("../../docs/CONFORMANCE.md")]
pub mod conformance {}

#[doc = include_str!("../../docs/PERFORMANCE.md")]
pub mod performance {}

#[doc = include_str!("../../docs/COMPARED.md")]
pub mod compared {}

#[doc = include_str!("../../docs/LAYOUT.md")]
pub mod layout {}
