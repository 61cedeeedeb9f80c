//! Drawing on a page in the terms a form is designed in: millimetres from the top-left
//! corner. PDF counts points from the bottom-left; turning that around in one place keeps
//! the layout code readable as "go down 5 mm".

use printpdf::{
    Color, CurTransMat, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage, Point, Polygon,
    PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};

use crate::fonts::{composed, Face, Fonts, Outline};

pub const PT_PER_MM: f32 = 72.0 / 25.4;

pub fn pt(mm: f32) -> f32 {
    mm * PT_PER_MM
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Center,
    Right,
}

pub const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);
pub const GREY: (f32, f32, f32) = (0.35, 0.35, 0.35);
pub const RULE: (f32, f32, f32) = (0.55, 0.55, 0.55);
pub const HEADER_FILL: (f32, f32, f32) = (0.92, 0.94, 0.97);
pub const TITLE: (f32, f32, f32) = (0.05, 0.20, 0.45);
pub const STAMP: (f32, f32, f32) = (0.80, 0.08, 0.08);
/// The diagonal mark sits under the content, so it is drawn pale enough that every figure
/// stays legible through it, yet plainly visible on a printout.
pub const WATERMARK: (f32, f32, f32) = (0.99, 0.85, 0.85);

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

/// One page being drawn. Sizes of text are in points, positions in millimetres.
pub struct Canvas {
    pub fonts: &'static Fonts,
    pub width_mm: f32,
    pub height_mm: f32,
    ops: Vec<Op>,
}

impl Canvas {
    pub fn new(fonts: &'static Fonts, width_mm: f32, height_mm: f32) -> Canvas {
        Canvas { fonts, width_mm, height_mm, ops: Vec::with_capacity(1024) }
    }

    /// Width in millimetres of `text` at `size` points.
    pub fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        self.fonts.face(face).width(&composed(text), size) / PT_PER_MM
    }

    /// Draws one line of text whose baseline is `baseline` mm below the top of the page,
    /// anchored at `x` by its left edge, centre or right edge.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        face: Face,
        size: f32,
        color: (f32, f32, f32),
        x: f32,
        baseline: f32,
        align: Align,
        text: &str,
    ) {
        let text = composed(text);
        if text.trim().is_empty() {
            return;
        }
        let width = self.fonts.face(face).width(&text, size) / PT_PER_MM;
        let left = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(face.id()), size: Pt(size) },
            Op::SetFillColor { col: rgb(color) },
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(pt(left)), Pt(pt(self.height_mm - baseline))),
            },
            Op::ShowText { items: vec![TextItem::Text(text.into_owned())] },
            Op::EndTextSection,
        ]);
    }

    /// A glyph outline (see [`Metrics::outline`]) filled at `size` points, turned `degrees`
    /// anticlockwise about its centre at (`cx`, `cy`).
    #[allow(clippy::too_many_arguments)]
    pub fn outline(&mut self, outline: &Outline, size: f32, color: (f32, f32, f32), cx: f32, cy: f32, degrees: f32) {
        let scale = size / outline.units_per_em;
        let (sin, cos) = degrees.to_radians().sin_cos();
        // Middle of the run: half its width along the baseline, a third of the size above it.
        let (mx, my) = (outline.width / 2.0, outline.units_per_em * 0.35);
        let (ox, oy) = (pt(cx), pt(self.height_mm - cy));
        let rings = outline
            .contours
            .iter()
            .map(|contour| PolygonRing {
                points: contour
                    .iter()
                    .map(|&(x, y, control)| {
                        let (u, v) = ((x - mx) * scale, (y - my) * scale);
                        LinePoint {
                            p: Point { x: Pt(ox + u * cos - v * sin), y: Pt(oy + u * sin + v * cos) },
                            bezier: control,
                        }
                    })
                    .collect(),
            })
            .collect();
        self.ops.extend([
            Op::SetFillColor { col: rgb(color) },
            Op::DrawPolygon {
                polygon: Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero },
            },
        ]);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32, color: (f32, f32, f32)) {
        let point = |x: f32, y: f32| LinePoint {
            p: Point { x: Pt(pt(x)), y: Pt(pt(self.height_mm - y)) },
            bezier: false,
        };
        let line = Line { points: vec![point(x1, y1), point(x2, y2)], is_closed: false };
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::DrawLine { line },
        ]);
    }

    /// A dashed rule, as a till slip separates its sections.
    pub fn dashed(&mut self, x1: f32, x2: f32, y: f32, color: (f32, f32, f32)) {
        let mut x = x1;
        while x < x2 {
            self.line(x, y, (x + 1.2).min(x2), y, 0.5, color);
            x += 2.0;
        }
    }

    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, color: (f32, f32, f32)) {
        self.ops.push(Op::SetFillColor { col: rgb(color) });
        self.rect(x, y, w, h, PaintMode::Fill);
    }

    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width_pt: f32, color: (f32, f32, f32)) {
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
        ]);
        self.rect(x, y, w, h, PaintMode::Stroke);
    }

    /// A QR symbol with its top-left corner at (`x`, `y`), each module `module` mm square,
    /// black on the paper (the quiet zone is the paper left blank around it).
    pub fn qr(&mut self, image: &hoadon_payment_qr::QrImage, x: f32, y: f32, module: f32) {
        self.ops.push(Op::SetFillColor { col: rgb(BLACK) });
        for (mx, my, len) in image.dark_runs() {
            // A hair wider than the run so neighbouring rows leave no white seam when a
            // viewer rounds each rectangle to its own pixels.
            self.rect(x + mx as f32 * module, y + my as f32 * module, len as f32 * module, module + 0.01, PaintMode::Fill);
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, mode: PaintMode) {
        let rectangle = Rect {
            x: Pt(pt(x)),
            y: Pt(pt(self.height_mm - y - h)),
            width: Pt(pt(w)),
            height: Pt(pt(h)),
            mode: Some(mode),
            winding_order: Some(WindingOrder::NonZero),
        };
        self.ops.push(Op::DrawRectangle { rectangle });
    }

    /// A rubber stamp: the word in a double frame, so that a draft or a cancelled invoice
    /// cannot be mistaken for a valid one even on a photocopy. It stays upright: text
    /// extractors break turned text into pieces, and "BẢN NHÁP" must read as such.
    pub fn stamp(&mut self, cx: f32, cy: f32, size: f32, text: &str) {
        let w = self.width(Face::Bold, text, size) + 8.0;
        let h = size / PT_PER_MM * 1.6;
        self.frame(cx - w / 2.0, cy - h / 2.0, w, h, 2.0, STAMP);
        self.frame(cx - w / 2.0 + 1.0, cy - h / 2.0 + 1.0, w - 2.0, h - 2.0, 0.7, STAMP);
        self.text(Face::Bold, size, STAMP, cx, cy + size / PT_PER_MM * 0.36, Align::Center, text);
    }

    pub fn into_page(self) -> PdfPage {
        PdfPage::new(Mm(self.width_mm), Mm(self.height_mm), self.ops)
    }

    /// For a page as long as its content (a till slip): it is drawn with `height_mm` 0, so
    /// everything lands below the origin, then lifted by the height found at the end.
    pub fn into_page_of_height(self, height_mm: f32) -> PdfPage {
        debug_assert_eq!(self.height_mm, 0.0);
        let mut ops = Vec::with_capacity(self.ops.len() + 3);
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetTransformationMatrix { matrix: CurTransMat::Translate(Pt(0.0), Pt(pt(height_mm))) });
        ops.extend(self.ops);
        ops.push(Op::RestoreGraphicsState);
        PdfPage::new(Mm(self.width_mm), Mm(height_mm), ops)
    }
}
