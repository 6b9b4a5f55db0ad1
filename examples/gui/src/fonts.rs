//! A CJK font, loaded at run time: egui's built-in fonts have no Chinese glyphs, and a CJK
//! font is several MB, so the app does not embed one. It takes the first of
//! `AUTHING_GUI_CJK_FONT` and [`CJK_FONT_PATHS`] that can be read (Debian:
//! `apt-get install fonts-wqy-microhei`), and falls back to egui's fonts (Chinese then
//! shows as boxes) when there is none.

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

/// The environment variable naming a font file to use for Chinese text.
pub const CJK_FONT_ENV: &str = "AUTHING_GUI_CJK_FONT";

/// Where the app looks for a CJK font when `AUTHING_GUI_CJK_FONT` is not set: the files
/// of Debian's `fonts-wqy-microhei`, `fonts-wqy-zenhei` and `fonts-noto-cjk`.
pub const CJK_FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

/// Adds the first readable CJK font as a fallback of both font families; the file it
/// loaded, or `None` (a reason printed to stderr) when none could be read.
pub fn load_cjk_font(ctx: &egui::Context) -> Option<PathBuf> {
    let from_env = std::env::var_os(CJK_FONT_ENV).map(PathBuf::from);
    let candidates = from_env
        .into_iter()
        .chain(CJK_FONT_PATHS.iter().map(PathBuf::from));
    for path in candidates {
        if let Ok(bytes) = std::fs::read(&path) {
            install(ctx, bytes);
            return Some(path);
        }
    }
    eprintln!(
        "authing-gui: no CJK font found (set {CJK_FONT_ENV} or install fonts-wqy-microhei); Chinese text will not render"
    );
    None
}

fn install(ctx: &egui::Context, bytes: Vec<u8>) {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("cjk".to_owned(), Arc::new(FontData::from_owned(bytes)));
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        // After egui's own fonts: Latin text keeps its look, Chinese falls through to this.
        fonts
            .families
            .entry(family)
            .or_default()
            .push("cjk".to_owned());
    }
    ctx.set_fonts(fonts);
}
