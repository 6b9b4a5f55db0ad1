//! An account window for the `authing` SDK on egui/eframe: forgot password, sign-in by
//! password, by pass code, by QR code and through the browser (OpenID Connect), the
//! signed-in profile with sign-out; English and Chinese. It runs against the SDK's
//! embedded emulator unless `AUTHING_APP_ID` is set.
//!
//! The window's logic is [`AccountApp::show`], which draws into any `egui::Ui`: eframe calls
//! it for the real window (src/main.rs), `egui_kittest` for the headless tests.

mod app;
mod backend;
mod browser_signin;
mod calls;
mod fonts;
mod form;
mod profile;
mod qr_signin;
mod qr_view;
mod recovery;
mod signin;
mod state;
mod text;
mod words;

pub use app::AccountApp;
pub use backend::{Backend, DEMO_EMAIL, DEMO_PASSWORD, DEMO_PHONE};
pub use fonts::{load_cjk_font, CJK_FONT_ENV, CJK_FONT_PATHS};
pub use state::Tab;
pub use text::Language;
