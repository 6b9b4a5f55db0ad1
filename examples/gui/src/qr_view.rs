//! Draws a QR code from the SDK's `QrCode::to_matrix()`: one square per module, with the
//! four-module quiet zone scanners need, dark on white whatever the theme.

use eframe::egui::{self, Color32, Rect, Role, Sense, Vec2, WidgetInfo};

/// Pixels per module.
const MODULE: f32 = 5.0;
/// Modules of white border on each side.
const QUIET: usize = 4;

/// Paints `rows`; the widget is named `name` for screen readers and the tests.
pub(crate) fn paint(ui: &mut egui::Ui, rows: &[Vec<bool>], name: &str) {
    paint_sized(ui, rows, name, MODULE);
}

/// As [`paint`], with `module` pixels per module.
pub(crate) fn paint_sized(ui: &mut egui::Ui, rows: &[Vec<bool>], name: &str, module: f32) {
    let n = rows.len();
    let side = (n + 2 * QUIET) as f32 * module;
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(side), Sense::hover());
    let label = format!("{name} {n}×{n}");
    response.widget_info(|| WidgetInfo::labeled(Role::Image, true, &label));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for (y, row) in rows.iter().enumerate() {
        for (x, dark) in row.iter().enumerate() {
            if *dark {
                let min = rect.min + Vec2::new((x + QUIET) as f32, (y + QUIET) as f32) * module;
                painter.rect_filled(
                    Rect::from_min_size(min, Vec2::splat(module)),
                    0.0,
                    Color32::BLACK,
                );
            }
        }
    }
}
