//! The avatar: a round badge with the user's initials, painted with egui's painter.
//!
//! The profile's `photo` is a URL; showing it would take egui's image loaders
//! (`egui_extras` with an HTTP fetcher and image decoders), a heavy addition for a sample,
//! so the window draws this badge in its place and leaves the photo out.

use eframe::egui::{self, Align2, Color32, FontId, Role, Sense, Vec2, WidgetInfo};

use authing::UserInfo;

/// Paints the badge of `user`, `size` points across; named `name` for screen readers.
pub(crate) fn badge(ui: &mut egui::Ui, user: &UserInfo, size: f32, name: &str) {
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    let text = initials(user);
    let label = format!("{name} {text}");
    response.widget_info(|| WidgetInfo::labeled(Role::Image, true, &label));
    let painter = ui.painter_at(rect);
    painter.circle_filled(rect.center(), size / 2.0, colour(user.user_id()));
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        text,
        FontId::proportional(size * 0.42),
        Color32::WHITE,
    );
}

/// One or two letters: the first of the first two words of the nickname, name, username or
/// email (whichever the user has), upper-cased.
pub(crate) fn initials(user: &UserInfo) -> String {
    let source = [user.nickname(), user.name(), user.username(), user.email()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("?");
    let source = source.split('@').next().unwrap_or(source);
    let letters: String = source
        .split(|c: char| c.is_whitespace() || c == '.' || c == '_' || c == '-')
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_owned()
    } else {
        letters
    }
}

/// A colour of its own for each user, dark enough for white letters.
fn colour(seed: &str) -> Color32 {
    const PALETTE: [Color32; 6] = [
        Color32::from_rgb(0x3b, 0x6e, 0xd8),
        Color32::from_rgb(0x1f, 0x8a, 0x70),
        Color32::from_rgb(0x8e, 0x44, 0xad),
        Color32::from_rgb(0xc0, 0x5a, 0x1e),
        Color32::from_rgb(0xb0, 0x3a, 0x5b),
        Color32::from_rgb(0x2c, 0x7d, 0xa0),
    ];
    let sum = seed.bytes().fold(0usize, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(b as usize)
    });
    PALETTE[sum % PALETTE.len()]
}
