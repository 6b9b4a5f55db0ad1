//! Guides: the manual pages of the repository's `docs/` directory, readable in rustdoc.
//!
//! Each module holds one page, included as written, so the page on GitHub and the page
//! here are the same text. Their Rust code blocks are doctests: `cargo test --doc` compiles
//! them (and runs those that need no network), so a guide cannot drift from the API.
//!
//! - [`porting`]: porting Java/Android `AuthClient` code, call by call; nested callbacks.
//! - [`threading`]: the callback contract, the dispatcher, GUI recipes.
//! - [`errors`]: every status code, `AuthError` variant and `apiCode`, and what to do.
//! - [`emulator`]: the bundled Authing emulator (cargo feature `emulator`).
//! - [`performance`]: what the benchmark measures and what it found.

#[doc = include_str!("../../docs/PORTING.md")]
pub mod porting {}

#[doc = include_str!("../../docs/THREADING.md")]
pub mod threading {}

#[doc = include_str!("../../docs/ERRORS.md")]
pub mod errors {}

#[doc = include_str!("../../docs/EMULATOR.md")]
pub mod emulator {}

#[doc = include_str!("../../docs/PERFORMANCE.md")]
pub mod performance {}
