//! The account window, for real: `cargo run` (in examples/gui). Against the embedded
//! emulator unless `AUTHING_APP_ID` is set; `AUTHING_GUI_LANG=zh` starts it in Chinese,
//! `AUTHING_GUI_THEME=light` or `dark` forces a theme (else the system's).
//! `AUTHING_GUI_DEMO_SIGNED_IN=1` opens the emulator's demo user signed in (for
//! screenshot.sh).

use authing::Lang;
use authing_gui::{
    apply_look, load_cjk_font, AccountApp, Backend, Language, DEMO_EMAIL, DEMO_PASSWORD, MIN_SIZE,
    WINDOW_SIZE,
};

fn main() -> eframe::Result {
    let lang = match std::env::var("AUTHING_GUI_LANG").as_deref() {
        Ok("zh") | Ok("zh-CN") => Language::Chinese,
        _ => Language::English,
    };
    let server_lang = match lang {
        Language::English => Lang::EnUs,
        Language::Chinese => Lang::ZhCn,
    };
    // The client (and the emulator) exist before eframe starts; the window attaches to
    // egui's context inside eframe's creation closure.
    let backend = match Backend::from_env(server_lang) {
        Ok(backend) => backend,
        Err(e) => {
            eprintln!("authing-gui: {e}");
            std::process::exit(1);
        }
    };
    if backend.emulator.is_some() && std::env::var_os("AUTHING_GUI_DEMO_SIGNED_IN").is_some() {
        let response =
            backend
                .client
                .sign_in_by_email_password_blocking(DEMO_EMAIL, DEMO_PASSWORD, None);
        if !response.is_success() {
            eprintln!(
                "authing-gui: the demo sign-in failed: {}",
                response.status_code()
            );
        }
    }
    let mut app = AccountApp::new(backend, lang);
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_inner_size(WINDOW_SIZE)
            .with_min_inner_size(MIN_SIZE)
            .with_title("Authing Account Centre"),
        ..Default::default()
    };
    eframe::run_native(
        "authing-gui",
        options,
        Box::new(move |cc| {
            load_cjk_font(&cc.egui_ctx);
            apply_look(&cc.egui_ctx);
            app.attach(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    )
}
