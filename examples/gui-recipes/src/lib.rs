//! The GTK4 and Slint recipes of the SDK's docs/THREADING.md ("Getting answers onto a GUI
//! thread"), compiled here against the real toolkit crates, and run by this crate's tests
//! where no display is needed. THREADING.md quotes these files; change both together.
//!
//! - [`slint_executor`]: Slint, `slint::invoke_from_event_loop` as the callback executor.
//!   Always built: Slint needs no system library.
//! - `gtk_executor` and `gtk_inbox` (cargo feature `gtk`): GTK4, `glib::idle_add_once` as
//!   the executor, and an `authing::Inbox` drained by a glib timeout source. They need
//!   the system's GTK 4 development files (Debian: `libgtk-4-dev`).
//!
//! The egui, winit and channel-of-tasks recipes are in `examples/gui/tests/recipes.rs`.

#[cfg(feature = "gtk")]
pub mod gtk_executor;
#[cfg(feature = "gtk")]
pub mod gtk_inbox;
pub mod slint_executor;
