//! How the window looks: the system's light or dark theme, and roomier spacing than egui's
//! defaults.
//!
//! egui follows the system theme when its `theme_preference` is `System` (the default, set
//! here all the same) and the platform reports one: Windows and macOS do, through winit.
//! winit on X11 reports none, and egui then uses its `fallback_theme`; the window sets that
//! from the desktop's setting (`GTK_THEME`, GNOME's `color-scheme` through `gsettings`),
//! else light. `AUTHING_GUI_THEME=light` or `dark` forces one.

use std::process::Command;

use eframe::egui::{self, Theme, ThemePreference, Vec2};

/// The environment variable that forces the light or dark theme.
pub const THEME_ENV: &str = "AUTHING_GUI_THEME";

/// Sets the theme preference and the spacing on `ctx`; the preference it set.
pub fn apply_look(ctx: &egui::Context) -> ThemePreference {
    let preference = match std::env::var(THEME_ENV).as_deref() {
        Ok("light") => ThemePreference::Light,
        Ok("dark") => ThemePreference::Dark,
        _ => ThemePreference::System,
    };
    let fallback = desktop_theme().unwrap_or(Theme::Light);
    ctx.options_mut(|o| {
        o.theme_preference = preference;
        o.fallback_theme = fallback;
    });
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = Vec2::new(8.0, 8.0);
        style.spacing.button_padding = Vec2::new(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
    });
    preference
}

/// The desktop's light or dark setting, where the platform does not tell winit: `None`
/// when it says nothing.
fn desktop_theme() -> Option<Theme> {
    if cfg!(not(target_os = "linux")) {
        return None;
    }
    if let Ok(gtk) = std::env::var("GTK_THEME") {
        let gtk = gtk.to_ascii_lowercase();
        return Some(if gtk.contains("dark") {
            Theme::Dark
        } else {
            Theme::Light
        });
    }
    // GNOME (and desktops that share its settings): 'prefer-dark', 'prefer-light', 'default'.
    let out = Command::new("gsettings")
        .args(["get", "org.gnome.desktop.interface", "color-scheme"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let scheme = String::from_utf8_lossy(&out.stdout);
    Some(if scheme.contains("dark") {
        Theme::Dark
    } else {
        Theme::Light
    })
}
