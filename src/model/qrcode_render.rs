//! Drawing a [`QrCode`] locally (cargo feature `qrcode`): SVG for a GUI, half-block text
//! for a terminal, and the bare module matrix for anything else.

use qrcode::render::{svg, unicode};
use qrcode::{Color, EcLevel};

use crate::error::AuthError;
use crate::model::QrCode;

impl QrCode {
    /// The code's [`content`](QrCode::content) encoded as a QR symbol (error correction
    /// level M, the common default).
    fn symbol(&self) -> Result<qrcode::QrCode, AuthError> {
        qrcode::QrCode::with_error_correction_level(self.content(), EcLevel::M).map_err(|e| {
            AuthError::UnexpectedResponse {
                reason: format!("the qr code content cannot be drawn: {e}"),
            }
        })
    }

    /// The code as an SVG document (black on white, with the standard quiet zone, at least
    /// 200 px wide), for a GUI that shows SVG. Cargo feature `qrcode`.
    ///
    /// Fails only when the content is too long for a QR code, which an id the server
    /// generated never is (ids longer than 1 KB are refused when the answer is read).
    ///
    /// ```no_run
    /// # fn f(code: authing::QrCode) -> Result<(), authing::AuthError> {
    /// std::fs::write("sign-in.svg", code.to_svg()?).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn to_svg(&self) -> Result<String, AuthError> {
        Ok(self
            .symbol()?
            .render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build())
    }

    /// The code as lines of Unicode half blocks (two modules per character, so it is about
    /// square), with the quiet zone, for a terminal. Light modules are drawn (`█`, `▀`,
    /// `▄`) and dark ones left blank, so it scans on a terminal with a dark background and
    /// light text, the common setting. Cargo feature `qrcode`.
    ///
    /// ```no_run
    /// # fn f(code: authing::QrCode) -> Result<(), authing::AuthError> {
    /// println!("{}", code.to_terminal_string()?);
    /// # Ok(()) }
    /// ```
    pub fn to_terminal_string(&self) -> Result<String, AuthError> {
        Ok(self
            .symbol()?
            .render::<unicode::Dense1x2>()
            .dark_color(unicode::Dense1x2::Light)
            .light_color(unicode::Dense1x2::Dark)
            .build())
    }

    /// The code's modules, row by row, `true` for dark, without a quiet zone (leave four
    /// modules of light around it when drawing): for a GUI toolkit that paints rectangles.
    /// Cargo feature `qrcode`.
    ///
    /// ```no_run
    /// # fn f(code: authing::QrCode) -> Result<(), authing::AuthError> {
    /// let rows = code.to_matrix()?;
    /// println!("{} x {} modules", rows.len(), rows[0].len());
    /// # Ok(()) }
    /// ```
    pub fn to_matrix(&self) -> Result<Vec<Vec<bool>>, AuthError> {
        let symbol = self.symbol()?;
        let width = symbol.width();
        Ok(symbol
            .to_colors()
            .chunks(width)
            .map(|row| row.iter().map(|c| *c == Color::Dark).collect())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::model::QrCode;
    use crate::response::from_plain_json;

    fn code(id: &str) -> QrCode {
        QrCode::from_response(&from_plain_json(json!({"qrcodeId": id, "url": "u"}))).unwrap()
    }

    #[test]
    fn the_matrix_is_square_with_the_three_finder_patterns() {
        let rows = code("qr-1234").to_matrix().unwrap();
        let n = rows.len();
        assert!(rows.iter().all(|r| r.len() == n));
        // A finder pattern's corner module is dark, in three corners.
        assert!(rows[0][0] && rows[0][n - 1] && rows[n - 1][0]);
    }

    #[test]
    fn the_svg_and_the_terminal_text_are_drawn() {
        let c = code("qr-1234");
        assert!(c.to_svg().unwrap().starts_with("<?xml"));
        let text = c.to_terminal_string().unwrap();
        assert!(text.lines().count() > 10, "{text}");
        assert!(text.contains('█'));
    }
}
