//! An account centre for the `authing` SDK on egui/eframe: forgot password, sign-in by
//! password, by pass code, by QR code and through the browser (OpenID Connect), with the
//! second step (an authenticator code) when the account asks for one; signed in, the
//! profile (editable), the authenticator app's enrolment and the sign-in history, with
//! sign-out, and a sign-out on another device shown at once (Authing's event stream);
//! English and Chinese, in the system's light or dark theme. It runs against the SDK's
//! embedded emulator unless `AUTHING_APP_ID` is set.
//!
//! The window's logic is [`AccountApp::show`], which draws into any `egui::Ui`: eframe calls
//! it for the real window (src/main.rs), `egui_kittest` for the headless tests.

mod app;
mod avatar;
mod backend;
mod browser_signin;
mod calls;
mod fonts;
mod form;
mod history;
mod live;
mod look;
mod mfa;
mod profile;
mod qr_signin;
mod qr_view;
mod recovery;
mod security;
mod signin;
mod state;
mod text;
mod words;

pub use app::{AccountApp, MAX_HEIGHT, MIN_SIZE, WINDOW_SIZE};
pub use backend::{Backend, DEMO_EMAIL, DEMO_PASSWORD, DEMO_PHONE};
pub use fonts::{load_cjk_font, CJK_FONT_ENV, CJK_FONT_PATHS};
pub use look::{apply_look, THEME_ENV};
pub use state::Tab;
pub use text::Language;
