//! The account window, for real: `cargo run` (in examples/gui). Against the embedded
//! emulator unless `AUTHING_APP_ID` is set; `AUTHING_GUI_LANG=zh` starts it in Chinese.

use authing::Lang;
use authing_gui::{load_cjk_font, AccountApp, Backend, Language};

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
    let mut app = AccountApp::new(backend, lang);
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_inner_size([560.0, 420.0])
            .with_title("authing account"),
        ..Default::default()
    };
    eframe::run_native(
        "authing-gui",
        options,
        Box::new(move |cc| {
            load_cjk_font(&cc.egui_ctx);
            app.attach(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    )
}
