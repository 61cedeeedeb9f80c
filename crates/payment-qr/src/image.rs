//! The QR symbol of a payload, as dark and light modules. The window shows it as SVG; the
//! PDF draws the dark modules as filled squares, so the printed code is as sharp as the
//! printer and no picture has to be embedded.

use qrcode::{Color, EcLevel, QrCode};

use crate::PaymentQrError;

/// Light modules around the symbol, as the QR standard asks: without them a reader may not
/// find the finder patterns next to other print.
pub const QUIET_ZONE: usize = 4;

/// The modules of one QR symbol, quiet zone not included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrImage {
    width: usize,
    dark: Vec<bool>,
}

impl QrImage {
    /// Encodes `text` with error correction level M (15 % of the symbol may be smudged or
    /// covered): the level bank apps are tested with, small enough for the till slip.
    pub fn encode(text: &str) -> Result<QrImage, PaymentQrError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| PaymentQrError::Image(e.to_string()))?;
        let width = code.width();
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Ok(QrImage { width, dark })
    }

    /// Modules along one side.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module in column `x`, row `y` (from the top left) is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// The dark modules as runs along each row: `(x, y, length)`, so a drawing needs one
    /// rectangle per run instead of one per module.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }

    /// The symbol as an SVG document, one unit per module, with the quiet zone; it scales
    /// to any size without blurring (`shape-rendering` keeps the edges crisp).
    pub fn to_svg(&self) -> String {
        let side = self.width + 2 * QUIET_ZONE;
        let mut path = String::new();
        for (x, y, len) in self.dark_runs() {
            path.push_str(&format!("M{} {}h{}v1h-{}z", x + QUIET_ZONE, y + QUIET_ZONE, len, len));
        }
        format!(
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {side} {side}' shape-rendering='crispEdges'>\
             <rect width='{side}' height='{side}' fill='white'/><path d='{path}' fill='black'/></svg>"
        )
    }

    /// The SVG as a `data:` URL for an `<img>`: the window shows the code without a file or
    /// any markup of ours injected into the page.
    pub fn to_svg_data_url(&self) -> String {
        let svg = self.to_svg();
        let mut url = String::from("data:image/svg+xml,");
        for c in svg.chars() {
            match c {
                '<' => url.push_str("%3C"),
                '>' => url.push_str("%3E"),
                '#' => url.push_str("%23"),
                ' ' => url.push_str("%20"),
                c => url.push(c),
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_gives_a_square_symbol_with_its_finder_patterns() {
        let img = QrImage::encode("00020101021238570010A000000727").unwrap();
        assert!(img.width() >= 21 && (img.width() - 17).is_multiple_of(4));
        // The top-left finder pattern: a dark 7×7 ring around a light ring around a dark 3×3.
        for i in 0..7 {
            assert!(img.is_dark(i, 0) && img.is_dark(0, i) && img.is_dark(6, i) && img.is_dark(i, 6));
        }
        assert!(!img.is_dark(1, 1) && img.is_dark(3, 3));
        let dark: usize = img.dark_runs().iter().map(|r| r.2).sum();
        assert_eq!(dark, (0..img.width()).flat_map(|y| (0..img.width()).map(move |x| (x, y))).filter(|&(x, y)| img.is_dark(x, y)).count());
        let svg = img.to_svg();
        assert!(svg.starts_with("<svg") && svg.contains(&format!("viewBox='0 0 {0} {0}'", img.width() + 8)));
        assert!(!img.to_svg_data_url().contains(['<', '>', '#', ' ']));
    }
}
