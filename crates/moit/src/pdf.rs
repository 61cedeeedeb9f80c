//! The report table as an A4 PDF, for the shop's records or an inspector's e-mail.
//!
//! `hoadon-pdf` keeps its canvas and fonts to itself, so the table is drawn here with
//! printpdf and the same Noto Sans files: every Vietnamese letter has its own glyph there,
//! and the embedded subset makes the text print and copy back exactly on any computer.

use std::sync::OnceLock;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix,
};

use crate::table::{ReportRow, ReportTable};
use crate::{MoitError, Result};

static REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
/// Column edges in mm from the left margin: group | criterion | value | explanation. A row
/// without a group spans the first two.
const GROUP_W: f32 = 28.0;
const CRITERION_W: f32 = 52.0;
const VALUE_W: f32 = 30.0;
const EXPLANATION_W: f32 = PAGE_W - 2.0 * MARGIN - GROUP_W - CRITERION_W - VALUE_W;
const PAD: f32 = 1.8;
const SIZE: f32 = 8.5;
const SMALL: f32 = 7.5;
const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Clone, Copy)]
enum Face {
    Regular,
    Bold,
}

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

impl Fonts {
    fn get() -> Result<&'static Fonts> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                let parse = |bytes| ParsedFont::from_bytes(bytes, 0, &mut Vec::new());
                Some(Fonts { regular: parse(REGULAR_TTF)?, bold: parse(BOLD_TTF)? })
            })
            .as_ref()
            .ok_or_else(|| MoitError::Pdf("không đọc được phông chữ Noto Sans nhúng".into()))
    }

    fn face(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Width in mm, from the font's own advances: printpdf sets glyph after glyph with
    /// these same advances, so what is measured is what lands on the page.
    fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        let font = self.face(face);
        let units: u32 = text
            .chars()
            .map(|c| u32::from(font.get_horizontal_advance(font.lookup_glyph_index(c as u32).unwrap_or(0))))
            .sum();
        units as f32 / f32::from(font.font_metrics.units_per_em) * size / PT_PER_MM
    }

    /// Lines no wider than `width` mm, broken at spaces (inside a word only when the word
    /// alone is wider).
    fn wrap(&self, face: Face, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if self.width(face, &candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(face, &line, size) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

fn font_id(face: Face) -> FontId {
    // Fixed names, so the same report gives the same bytes; printpdf takes the first six
    // capitals as the subset tag readers expect.
    match face {
        Face::Regular => FontId("MOITNR".into()),
        Face::Bold => FontId("MOITNB".into()),
    }
}

fn line_height(size: f32) -> f32 {
    size * 1.3 / PT_PER_MM
}

/// Drawing in millimetres from the top-left corner of an A4 page.
struct Page {
    ops: Vec<Op>,
}

impl Page {
    fn new() -> Page {
        Page { ops: Vec::new() }
    }

    fn text(&mut self, face: Face, size: f32, x: f32, baseline: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font_id(face)), size: Pt(size) },
            Op::SetFillColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) },
            Op::SetTextMatrix { matrix: TextMatrix::Translate(Mm(x).into(), Mm(PAGE_H - baseline).into()) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// Lines of text from `top`, one under the other.
    fn lines(&mut self, face: Face, size: f32, x: f32, top: f32, lines: &[String]) {
        for (i, l) in lines.iter().enumerate() {
            self.text(face, size, x, top + PAD + size / PT_PER_MM + i as f32 * line_height(size), l);
        }
    }

    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        let point = |x: f32, y: f32| LinePoint { p: Point { x: Mm(x).into(), y: Mm(PAGE_H - y).into() }, bezier: false };
        self.ops.extend([
            Op::SetOutlineColor { col: Color::Rgb(Rgb { r: 0.3, g: 0.3, b: 0.3, icc_profile: None }) },
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::DrawLine { line: Line { points: vec![point(x1, y1), point(x2, y2)], is_closed: false } },
        ]);
    }

    fn into_page(self) -> PdfPage {
        PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), self.ops)
    }
}

/// The cells of a block of rows (a group, or a row alone), wrapped and measured.
struct Block<'a> {
    rows: &'a [ReportRow],
    group: Vec<String>,
    /// Per row: the criterion's lines (bold) and its period note's lines (small).
    criteria: Vec<(Vec<String>, Vec<String>)>,
    heights: Vec<f32>,
    explanation: Vec<String>,
    height: f32,
}

fn cell_height(lines: usize, size: f32) -> f32 {
    lines as f32 * line_height(size) + 2.0 * PAD + 0.6
}

fn measure<'a>(fonts: &Fonts, rows: &'a [ReportRow]) -> Block<'a> {
    let grouped = rows[0].group.is_some();
    let criterion_w = if grouped { CRITERION_W } else { GROUP_W + CRITERION_W } - 2.0 * PAD;
    let group = rows[0].group.as_deref().map(|g| fonts.wrap(Face::Bold, g, SIZE, GROUP_W - 2.0 * PAD)).unwrap_or_default();
    let criteria: Vec<(Vec<String>, Vec<String>)> = rows
        .iter()
        .map(|r| {
            (fonts.wrap(Face::Bold, &r.criterion, SIZE, criterion_w), fonts.wrap(Face::Regular, &r.period_note, SMALL, criterion_w))
        })
        .collect();
    let mut heights: Vec<f32> = criteria
        .iter()
        .map(|(name, note)| cell_height(name.len(), SIZE) + note.len() as f32 * line_height(SMALL))
        .collect();
    let explanation = fonts.wrap(Face::Regular, &rows[0].explanation, SMALL, EXPLANATION_W - 2.0 * PAD);
    let needed = cell_height(explanation.len(), SMALL).max(cell_height(group.len(), SIZE));
    let sum: f32 = heights.iter().sum();
    if needed > sum {
        // The merged cells are taller than the rows beside them: the last row takes the rest.
        *heights.last_mut().expect("a block has rows") += needed - sum;
    }
    let height = heights.iter().sum();
    Block { rows, group, criteria, heights, explanation, height }
}

/// The report page as an A4 PDF: heading, period, the table with its merged group and
/// explanation cells, over as many pages as it needs (the column titles repeated on each).
pub fn to_pdf(table: &ReportTable) -> Result<Vec<u8>> {
    let fonts = Fonts::get()?;
    let blocks: Vec<Block> = table.blocks().into_iter().map(|rows| measure(fonts, rows)).collect();
    let left = MARGIN;
    let right = PAGE_W - MARGIN;
    let x_criterion = left + GROUP_W;
    let x_value = x_criterion + CRITERION_W;
    let x_explanation = x_value + VALUE_W;

    let mut pages = Vec::new();
    let mut page = Page::new();
    let mut y = MARGIN;
    if let Some(shop) = &table.shop_name {
        page.text(Face::Regular, 9.0, left, y + 4.0, shop);
        y += 7.0;
    }
    let centre = |fonts: &Fonts, face, size, text: &str| (PAGE_W - fonts.width(face, text, size)) / 2.0;
    page.text(Face::Bold, 15.0, centre(fonts, Face::Bold, 15.0, &table.heading), y + 6.0, &table.heading);
    y += 11.0;
    page.text(Face::Regular, 10.0, centre(fonts, Face::Regular, 10.0, &table.period_line), y + 4.0, &table.period_line);
    y += 6.0;
    page.text(Face::Regular, SMALL, centre(fonts, Face::Regular, SMALL, &table.as_of_line), y + 3.0, &table.as_of_line);
    y += 7.0;

    let header_h = cell_height(1, SIZE);
    let header = |page: &mut Page, y: f32| {
        page.rule(left, y, right, y);
        let titles = [(left, x_value), (x_value, x_explanation), (x_explanation, right)];
        for ((x1, x2), title) in titles.iter().zip(&table.columns) {
            let x = (x1 + x2 - fonts.width(Face::Bold, title, SIZE)) / 2.0;
            page.lines(Face::Bold, SIZE, x, y, std::slice::from_ref(title));
        }
        for x in [left, x_value, x_explanation, right] {
            page.rule(x, y, x, y + header_h);
        }
        y + header_h
    };
    y = header(&mut page, y);

    for block in &blocks {
        if y + block.height > PAGE_H - MARGIN {
            page.rule(left, y, right, y);
            pages.push(std::mem::replace(&mut page, Page::new()).into_page());
            y = header(&mut page, MARGIN);
        }
        let top = y;
        page.rule(left, top, right, top);
        let grouped = block.rows[0].group.is_some();
        if grouped {
            page.lines(Face::Bold, SIZE, left + PAD, top, &block.group);
        }
        for (i, row) in block.rows.iter().enumerate() {
            if i > 0 {
                // Inner rules only across the unmerged cells.
                page.rule(x_criterion, y, x_value, y);
                page.rule(x_value, y, x_explanation, y);
            }
            let x = if grouped { x_criterion } else { left } + PAD;
            let (name, note) = &block.criteria[i];
            page.lines(Face::Bold, SIZE, x, y, name);
            page.lines(Face::Regular, SMALL, x, y + name.len() as f32 * line_height(SIZE), note);
            let value_x = x_value + VALUE_W - PAD - fonts.width(Face::Bold, &row.value_text, SIZE);
            page.lines(Face::Bold, SIZE, value_x, y, std::slice::from_ref(&row.value_text));
            y += block.heights[i];
        }
        page.lines(Face::Regular, SMALL, x_explanation + PAD, top, &block.explanation);
        for x in [left, x_value, x_explanation, right] {
            page.rule(x, top, x, y);
        }
        if grouped {
            page.rule(x_criterion, top, x_criterion, y);
        }
    }
    page.rule(left, y, right, y);
    pages.push(page.into_page());

    let mut doc = PdfDocument::new(&format!("{} {}", table.heading, table.period_line));
    doc.resources.fonts.map.insert(font_id(Face::Regular), PdfFont::new(fonts.regular.clone()));
    doc.resources.fonts.map.insert(font_id(Face::Bold), PdfFont::new(fonts.bold.clone()));
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let bytes = doc.save(&PdfSaveOptions::default(), &mut warnings);
    if bytes.is_empty() {
        return Err(MoitError::Pdf(format!("{warnings:?}")));
    }
    Ok(bytes)
}
