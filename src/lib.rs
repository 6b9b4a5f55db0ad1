//! Authing SDK for Rust (skeleton; the crate docs are written with the core SDK).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "emulator")]
#[cfg_attr(docsrs, doc(cfg(feature = "emulator")))]
pub mod emulator;
