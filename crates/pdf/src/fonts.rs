//! The two embedded faces and the measuring of text in them.
//!
//! Wrapping and right-aligning need the true width of a string, so every width here comes
//! from the font's own advance table: a character count would wrap "Mười" and "WWWW" the
//! same, and a column of Vietnamese names would either overflow or waste half its width.
//! printpdf draws a string glyph after glyph with these same advances (no kerning, no
//! shaping), so what is measured here is exactly what lands on the page.

use std::borrow::Cow;
use std::sync::OnceLock;

use printpdf::{FontId, ParsedFont};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::PdfError;

static REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    /// Fixed resource names rather than printpdf's random ones, so that the same invoice
    /// always gives the same bytes. printpdf takes the first six characters as the subset
    /// tag of the embedded font, and readers recognise a subset only by six capitals.
    pub fn id(self) -> FontId {
        match self {
            Face::Regular => FontId("NOTOSR".into()),
            Face::Bold => FontId("NOTOSB".into()),
        }
    }
}

/// A parsed face with its advances in a flat table, since a 400-line invoice measures
/// tens of thousands of characters and a cmap lookup for each costs more than the layout.
pub struct Metrics {
    pub font: ParsedFont,
    bytes: &'static [u8],
    units_per_em: f32,
    /// Advance in font units of every character below `TABLE_END`; Vietnamese letters
    /// (Latin Extended Additional, U+1E00–U+1EFF) and the đồng sign fall inside.
    advances: Vec<u16>,
    notdef_advance: u16,
}

const TABLE_END: u32 = 0x2100;

impl Metrics {
    fn parse(bytes: &'static [u8]) -> Result<Metrics, PdfError> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| PdfError::Font(format!("{warnings:?}")))?;
        let units_per_em = f32::from(font.font_metrics.units_per_em);
        let notdef_advance = font.get_horizontal_advance(0);
        let advances = (0..TABLE_END)
            .map(|cp| match font.lookup_glyph_index(cp) {
                Some(gid) => font.get_horizontal_advance(gid),
                None => notdef_advance,
            })
            .collect();
        Ok(Metrics { font, bytes, units_per_em, advances, notdef_advance })
    }

    fn advance(&self, c: char) -> u16 {
        let cp = c as u32;
        if cp < TABLE_END {
            return self.advances[cp as usize];
        }
        match self.font.lookup_glyph_index(cp) {
            Some(gid) => self.font.get_horizontal_advance(gid),
            None => self.notdef_advance,
        }
    }

    /// The glyphs of `text` as closed contours, in font units with the baseline at y = 0
    /// and each glyph moved along by the advances before it. Drawn as filled paths, text is
    /// a picture: it shows but is not extracted, which is what a watermark must be.
    pub fn outline(&self, text: &str) -> Result<Outline, PdfError> {
        use allsorts::binary::read::ReadScope;
        use allsorts::outline::OutlineBuilder;
        use allsorts::tables::glyf::{GlyfVisitorContext, LocaGlyf};
        use allsorts::tables::OpenTypeFont;

        let bad = |e: allsorts::error::ParseError| PdfError::Font(e.to_string());
        let file = ReadScope::new(self.bytes).read::<OpenTypeFont<'_>>().map_err(bad)?;
        let provider = file.table_provider(0).map_err(bad)?;
        let mut loca_glyf = LocaGlyf::load(&provider).map_err(bad)?;
        let mut glyf = GlyfVisitorContext::new(&mut loca_glyf, None);
        let mut sink = ContourSink { pen: 0.0, current: (0.0, 0.0), contours: Vec::new() };
        for c in composed(text).chars() {
            let gid = self.font.lookup_glyph_index(c as u32).unwrap_or(0);
            glyf.visit(gid, None, &mut sink).map_err(bad)?;
            sink.pen += f32::from(self.advance(c));
        }
        Ok(Outline { contours: sink.contours, width: sink.pen, units_per_em: self.units_per_em })
    }

    /// Width in points of `text` set at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 / self.units_per_em * size
    }
}

/// Contours of a run of glyphs: points in font units, `true` for a Bézier control point
/// (two of them, then the end point, make one cubic curve).
pub struct Outline {
    pub contours: Vec<Vec<(f32, f32, bool)>>,
    pub width: f32,
    pub units_per_em: f32,
}

struct ContourSink {
    pen: f32,
    current: (f32, f32),
    contours: Vec<Vec<(f32, f32, bool)>>,
}

impl ContourSink {
    fn push(&mut self, x: f32, y: f32, control: bool) {
        if let Some(contour) = self.contours.last_mut() {
            contour.push((x + self.pen, y, control));
        }
        if !control {
            self.current = (x, y);
        }
    }
}

impl allsorts::outline::OutlineSink for ContourSink {
    fn move_to(&mut self, to: pathfinder_geometry::vector::Vector2F) {
        self.contours.push(Vec::new());
        self.push(to.x(), to.y(), false);
    }

    fn line_to(&mut self, to: pathfinder_geometry::vector::Vector2F) {
        self.push(to.x(), to.y(), false);
    }

    /// TrueType outlines are quadratic and PDF paths cubic; a quadratic curve is exactly the
    /// cubic whose controls lie two thirds of the way from each end towards its control.
    fn quadratic_curve_to(&mut self, ctrl: pathfinder_geometry::vector::Vector2F, to: pathfinder_geometry::vector::Vector2F) {
        let (x0, y0) = self.current;
        let (qx, qy, x1, y1) = (ctrl.x(), ctrl.y(), to.x(), to.y());
        self.push(x0 + (qx - x0) * 2.0 / 3.0, y0 + (qy - y0) * 2.0 / 3.0, true);
        self.push(x1 + (qx - x1) * 2.0 / 3.0, y1 + (qy - y1) * 2.0 / 3.0, true);
        self.push(x1, y1, false);
    }

    fn cubic_curve_to(&mut self, ctrl: pathfinder_geometry::line_segment::LineSegment2F, to: pathfinder_geometry::vector::Vector2F) {
        self.push(ctrl.from_x(), ctrl.from_y(), true);
        self.push(ctrl.to_x(), ctrl.to_y(), true);
        self.push(to.x(), to.y(), false);
    }

    fn close(&mut self) {}
}

/// Both faces, parsed once per process: parsing half a megabyte of TrueType takes longer
/// than laying out a whole invoice.
pub struct Fonts {
    pub regular: Metrics,
    pub bold: Metrics,
}

impl Fonts {
    pub fn get() -> Result<&'static Fonts, PdfError> {
        static FONTS: OnceLock<Result<Fonts, PdfError>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Ok(Fonts { regular: Metrics::parse(REGULAR_TTF)?, bold: Metrics::parse(BOLD_TTF)? })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn face(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }
}

/// Text as the font can draw it. Some keyboards (VNI, "Unicode tổ hợp") type "ế" as "e" plus
/// two combining marks; drawn glyph by glyph without shaping, the marks would pile up beside
/// the letter. Composing first picks Noto's precomposed glyph, which also makes the text
/// copied out of the PDF compare equal to what the shop typed in the usual form.
pub fn composed(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Breaks `text` into lines no wider than `max_width` points: at spaces where it can, inside
/// a word only when the word alone is wider than the column (a long product code).
pub fn wrap(metrics: &Metrics, text: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    // Composed first, so that a word is never cut between a letter and its accent.
    for paragraph in composed(text).split('\n') {
        wrap_paragraph(metrics, paragraph, size, max_width, &mut lines);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn wrap_paragraph(metrics: &Metrics, text: &str, size: f32, max_width: f32, out: &mut Vec<String>) {
    let space = metrics.width(" ", size);
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width = metrics.width(word, size);
        if !line.is_empty() && line_width + space + word_width <= max_width {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        if word_width <= max_width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // A single word wider than the column: cut it where it overflows.
        line_width = 0.0;
        for c in word.chars() {
            let w = metrics.width(c.encode_utf8(&mut [0; 4]), size);
            if !line.is_empty() && line_width + w > max_width {
                out.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_by_glyph_advance() {
        let fonts = Fonts::get().unwrap();
        let narrow = fonts.regular.width("iiii", 10.0);
        let wide = fonts.regular.width("WWWW", 10.0);
        assert!(wide > 2.5 * narrow, "{wide} vs {narrow}");
        assert!(fonts.bold.width("Tuyết", 10.0) > fonts.regular.width("Tuyết", 10.0));
        // Every Vietnamese letter has its own glyph, none falls back to .notdef.
        for c in "ăâđêôơưắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựýỳỷỹỵĐƯƠ₫".chars() {
            assert!(fonts.regular.font.lookup_glyph_index(c as u32).is_some(), "{c}");
            assert!(fonts.bold.font.lookup_glyph_index(c as u32).is_some(), "{c}");
        }
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let fonts = Fonts::get().unwrap();
        let text = "Công ty TNHH Thương mại Dịch vụ Đặng Hưởng Phước Lộc";
        let lines = wrap(&fonts.regular, text, 9.0, 90.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for l in &lines {
            assert!(fonts.regular.width(l, 9.0) <= 90.0, "{l}");
        }
        let code = "SKU-0123456789-ABCDEFGHIJKLMNOP";
        let cut = wrap(&fonts.regular, code, 9.0, 40.0);
        assert!(cut.len() > 1);
        assert_eq!(cut.concat(), code);
        assert_eq!(wrap(&fonts.regular, "", 9.0, 40.0), vec![String::new()]);
    }

    #[test]
    fn composes_decomposed_vietnamese() {
        let typed = "Nguye\u{302}\u{303}n"; // e + circumflex + tilde
        assert_eq!(composed(typed), "Nguyễn");
        assert!(matches!(composed("Nguyễn"), Cow::Borrowed(_)));
    }
}
