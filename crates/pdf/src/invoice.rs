//! The A4 invoice form.
//!
//! The layout follows the printed form of Vietnamese e-invoices (Decree 123/2020): the title
//! with template, symbol and number, the seller, the buyer, the table of goods, the totals
//! per VAT rate, the amount in words and the two signatures. Lines that do not fit run on to
//! further pages; each of those repeats the invoice's identity and the table header, so a
//! loose page still says which invoice it belongs to, and the totals come only once, on the
//! last page, after the last line.

use hoadon_rules::calendar::invoice_date_words;

use crate::canvas::{
    Align, Canvas, BLACK, GREY, HEADER_FILL, PT_PER_MM, RULE, STAMP, TITLE, WATERMARK,
};
use crate::fonts::{wrap, Face, Fonts, Outline};
use crate::payment::PaymentBlock;
use crate::{amount, save, PdfError, PrintedInvoice};

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
const TOP: f32 = 12.0;
/// Lowest the table or the totals may reach; below it sit the footer and the page number.
const BOTTOM: f32 = 279.0;

const BODY: f32 = 9.0;
/// Line height of body text, in mm: 1.35 × 9 pt.
const LH: f32 = 4.3;
/// Space between a cell's border and its text.
const PAD: f32 = 1.3;
/// A product name longer than this many lines is cut: one line must never outgrow a page.
const MAX_ROW_LINES: usize = 30;
/// Side of the VietQR symbol between the two signatures: the buyer scans it off the desk.
const QR_SIDE: f32 = 26.0;
/// Centre of the code: the middle of the page, clear of both signatures' words.
const QR_CENTER: f32 = 105.0;

/// Baseline of a line of text whose line box starts `top` mm down the page.
fn baseline(top: f32) -> f32 {
    top + LH * 0.76
}

struct Column {
    title: &'static str,
    /// Column numbers printed under the header, as on the official forms.
    number: &'static str,
    width: f32,
    align: Align,
}

const COLUMNS: [Column; 7] = [
    Column { title: "STT", number: "1", width: 10.0, align: Align::Center },
    Column { title: "Tên hàng hóa, dịch vụ", number: "2", width: 62.0, align: Align::Left },
    Column { title: "Đơn vị tính", number: "3", width: 16.0, align: Align::Center },
    Column { title: "Số lượng", number: "4", width: 18.0, align: Align::Right },
    Column { title: "Đơn giá", number: "5", width: 25.0, align: Align::Right },
    Column { title: "Thành tiền", number: "6 = 4 x 5", width: 30.0, align: Align::Right },
    Column { title: "Thuế suất", number: "7", width: 19.0, align: Align::Center },
];

/// Left edges of the columns and the right edge of the table.
fn column_edges() -> [f32; 8] {
    let mut edges = [LEFT; 8];
    for (i, c) in COLUMNS.iter().enumerate() {
        edges[i + 1] = edges[i] + c.width;
    }
    edges
}

/// One line of goods, broken into the text lines its cells need.
struct Row {
    cells: [Vec<String>; 7],
    height: f32,
}

/// Renders the invoice as an A4 PDF.
pub fn render_invoice(inv: &PrintedInvoice) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::get()?;
    let pages = Form::new(inv, fonts)?.lay_out();
    let title = format!("{} {} số {}", inv.title(), inv.symbol, inv.number_text());
    save(&title, pages.into_iter().map(Canvas::into_page).collect())
}

struct Form<'a> {
    inv: &'a PrintedInvoice,
    fonts: &'static Fonts,
    edges: [f32; 8],
    /// The draft or cancelled mark, as glyph outlines: drawn as text it would be read by
    /// every text extractor and copied into the middle of whatever table line it crosses.
    watermark: Option<Outline>,
    /// The VietQR code, printed between the signatures.
    payment: Option<PaymentBlock<'a>>,
}

impl<'a> Form<'a> {
    fn new(inv: &'a PrintedInvoice, fonts: &'static Fonts) -> Result<Form<'a>, PdfError> {
        let watermark = inv.mark.text().map(|m| fonts.bold.outline(m)).transpose()?;
        let payment = inv.payment.as_ref().map(PaymentBlock::new).transpose()?;
        Ok(Form { inv, fonts, edges: column_edges(), watermark, payment })
    }

    fn lay_out(&self) -> Vec<Canvas> {
        let rows: Vec<Row> = self.inv.lines.iter().enumerate().map(|(i, l)| self.row(i, l)).collect();
        let totals_height = self.totals_height();
        let mut pages = Vec::new();
        let mut page = self.page();
        let mut y = self.first_header(&mut page);
        let mut table_top = y;
        y = self.table_header(&mut page, y);
        let mut rows_on_page = 0;
        for (i, row) in rows.iter().enumerate() {
            let last = i + 1 == rows.len();
            let needed = row.height + if last { totals_height } else { 0.0 };
            // Break before a row that does not fit; the last row also takes the totals
            // along, so the totals never stand on a page without any line above them.
            if rows_on_page > 0 && y + needed > BOTTOM {
                self.close_table(&mut page, table_top, y, y);
                page.text(Face::Regular, 8.0, GREY, RIGHT, y + 4.5, Align::Right, "(xem tiếp trang sau)");
                pages.push(page);
                page = self.page();
                y = self.continuation_header(&mut page);
                table_top = y;
                y = self.table_header(&mut page, y);
                rows_on_page = 0;
            }
            self.draw_row(&mut page, row, y);
            y += row.height;
            rows_on_page += 1;
        }
        // Only a page whose first row alone is too tall for the totals gets here with them
        // not fitting: they go on a page of their own rather than over the footer.
        if rows_on_page > 0 && y + totals_height > BOTTOM {
            self.close_table(&mut page, table_top, y, y);
            page.text(Face::Regular, 8.0, GREY, RIGHT, y + 4.5, Align::Right, "(xem tiếp trang sau)");
            pages.push(page);
            page = self.page();
            y = self.continuation_header(&mut page);
            table_top = y;
            y = self.table_header(&mut page, y);
        }
        let rows_bottom = y;
        y = self.totals_rows(&mut page, y);
        self.close_table(&mut page, table_top, rows_bottom, y);
        self.closing(&mut page, y);
        pages.push(page);

        let count = pages.len();
        for (i, page) in pages.iter_mut().enumerate() {
            self.footer(page, i + 1, count);
        }
        pages
    }

    /// A fresh page, with the mark of a draft or a cancelled invoice underneath everything.
    fn page(&self) -> Canvas {
        let mut page = Canvas::new(self.fonts, PAGE_W, PAGE_H);
        if let Some(mark) = &self.watermark {
            page.outline(mark, 96.0, WATERMARK, PAGE_W / 2.0, PAGE_H / 2.0 + 10.0, 52.0);
        }
        page
    }

    /// Title, template, symbol, number, date and codes; then seller and buyer. Returns where
    /// the table starts.
    fn first_header(&self, page: &mut Canvas) -> f32 {
        let inv = self.inv;
        let center = PAGE_W / 2.0;

        let mut y = TOP;
        let (title, origin) = inv.title_parts();
        for line in wrap(&self.fonts.bold, title, 16.0, 92.0 * PT_PER_MM) {
            page.text(Face::Bold, 16.0, TITLE, center, y + 6.0, Align::Center, &line);
            y += 7.2;
        }
        for line in origin.map(|o| wrap(&self.fonts.bold, o, 12.0, 92.0 * PT_PER_MM)).unwrap_or_default() {
            page.text(Face::Bold, 12.0, TITLE, center, y + 4.5, Align::Center, &line);
            y += 5.6;
        }
        y += 0.5;
        page.text(Face::Regular, 8.5, GREY, center, baseline(y), Align::Center, "(Bản thể hiện của hóa đơn điện tử)");
        y += LH + 0.5;
        page.text(Face::Regular, 10.0, BLACK, center, baseline(y), Align::Center, &invoice_date_words(inv.date));
        y += LH + 1.0;
        for (label, code) in [("Mã của CQT: ", &inv.tax_authority_code), ("Mã tra cứu: ", &inv.lookup_code)] {
            if let Some(code) = code.as_deref().filter(|c| !c.trim().is_empty()) {
                self.centered_pair(page, center, baseline(y), label, code);
                y += LH;
            }
        }
        for line in inv.note.as_deref().map(|n| wrap(&self.fonts.regular, n, 9.5, 110.0 * PT_PER_MM)).unwrap_or_default() {
            page.text(Face::Regular, 9.5, BLACK, center, baseline(y), Align::Center, &line);
            y += LH;
        }

        // Identity of the invoice, top right, where a bookkeeper looks for it.
        let x = 158.0;
        let mut ry = TOP + 1.0;
        for (label, value, size) in [
            ("Mẫu số: ", inv.template_digit(), BODY),
            ("Ký hiệu: ", inv.serial(), BODY),
            ("Số: ", inv.number_text(), if inv.number.is_some() { 11.0 } else { BODY }),
        ] {
            ry += 5.0;
            page.text(Face::Regular, BODY, BLACK, x, ry, Align::Left, label);
            let color = if label == "Số: " && inv.number.is_some() { STAMP } else { BLACK };
            let lw = page.width(Face::Regular, label, BODY);
            page.text(Face::Bold, size, color, x + lw, ry, Align::Left, &value);
        }

        if let Some(mark) = inv.mark.text() {
            page.stamp(37.0, TOP + 13.0, 17.0, mark);
        }

        y = y.max(ry + 3.0) + 1.5;
        page.line(LEFT, y, RIGHT, y, 0.8, TITLE);
        y += 2.0;

        let value_x = LEFT + self.label_width() + 2.0;
        let seller = &inv.seller;
        y = self.field(page, y, value_x, "Đơn vị bán hàng:", &seller.name, Face::Bold, 10.0);
        y = self.field(page, y, value_x, "Mã số thuế:", seller.tax_code.as_deref().unwrap_or(""), Face::Bold, BODY);
        y = self.field(page, y, value_x, "Địa chỉ:", &seller.address, Face::Regular, BODY);
        y = self.field_pair(page, y, value_x, ("Điện thoại:", &seller.phone), ("Email:", &seller.email));
        y = self.field(page, y, value_x, "Số tài khoản:", seller.bank_account.as_deref().unwrap_or(""), Face::Regular, BODY);

        y += 1.0;
        page.line(LEFT, y, RIGHT, y, 0.4, RULE);
        y += 2.0;

        let buyer = &inv.buyer;
        y = self.field(page, y, value_x, "Họ tên người mua hàng:", buyer.buyer_name.as_deref().unwrap_or(""), Face::Regular, BODY);
        y = self.field(page, y, value_x, "Tên đơn vị:", &buyer.name, Face::Bold, BODY);
        y = self.field(page, y, value_x, "Mã số thuế:", buyer.tax_code.as_deref().unwrap_or(""), Face::Bold, BODY);
        y = self.field(page, y, value_x, "Địa chỉ:", &buyer.address, Face::Regular, BODY);
        y = self.field_pair(
            page,
            y,
            value_x,
            ("Hình thức thanh toán:", &inv.payment_method),
            ("Số tài khoản:", buyer.bank_account.as_deref().unwrap_or("")),
        );
        y + 3.0
    }

    /// The top of every page after the first: which invoice this page belongs to.
    fn continuation_header(&self, page: &mut Canvas) -> f32 {
        let inv = self.inv;
        page.text(Face::Bold, 10.0, TITLE, LEFT, TOP + 4.0, Align::Left, &inv.title());
        let identity = format!(
            "Mẫu số: {}   Ký hiệu: {}   Số: {}   {}   (tiếp theo trang trước)",
            inv.template_digit(),
            inv.serial(),
            inv.number_text(),
            invoice_date_words(inv.date)
        );
        page.text(Face::Regular, 8.5, BLACK, LEFT, TOP + 8.8, Align::Left, &identity);
        page.line(LEFT, TOP + 11.0, RIGHT, TOP + 11.0, 0.8, TITLE);
        TOP + 13.5
    }

    fn label_width(&self) -> f32 {
        ["Họ tên người mua hàng:", "Hình thức thanh toán:", "Đơn vị bán hàng:"]
            .iter()
            .map(|l| self.fonts.regular.width(l, BODY) / PT_PER_MM)
            .fold(0.0, f32::max)
    }

    /// "Label: value", the value wrapped in the space right of the labels.
    #[allow(clippy::too_many_arguments)]
    fn field(&self, page: &mut Canvas, y: f32, value_x: f32, label: &str, value: &str, face: Face, size: f32) -> f32 {
        page.text(Face::Regular, BODY, BLACK, LEFT, baseline(y), Align::Left, label);
        let lines = wrap(self.fonts.face(face), value, size, (RIGHT - value_x) * PT_PER_MM);
        for (i, line) in lines.iter().enumerate() {
            page.text(face, size, BLACK, value_x, baseline(y + i as f32 * LH), Align::Left, line);
        }
        y + lines.len() as f32 * LH
    }

    /// Two short fields on one line (telephone and e-mail; payment and account).
    fn field_pair(&self, page: &mut Canvas, y: f32, value_x: f32, left: (&str, &str), right: (&str, &str)) -> f32 {
        let second_x = 118.0;
        let b = baseline(y);
        page.text(Face::Regular, BODY, BLACK, LEFT, b, Align::Left, left.0);
        let first = wrap(&self.fonts.regular, left.1, BODY, (second_x - value_x - 2.0) * PT_PER_MM);
        for (i, line) in first.iter().enumerate() {
            page.text(Face::Regular, BODY, BLACK, value_x, b + i as f32 * LH, Align::Left, line);
        }
        page.text(Face::Regular, BODY, BLACK, second_x, b, Align::Left, right.0);
        let vx = second_x + page.width(Face::Regular, right.0, BODY) + 1.5;
        let second = wrap(&self.fonts.regular, right.1, BODY, (RIGHT - vx) * PT_PER_MM);
        for (i, line) in second.iter().enumerate() {
            page.text(Face::Regular, BODY, BLACK, vx, b + i as f32 * LH, Align::Left, line);
        }
        y + first.len().max(second.len()) as f32 * LH
    }

    fn centered_pair(&self, page: &mut Canvas, center: f32, baseline: f32, label: &str, value: &str) {
        let lw = page.width(Face::Regular, label, BODY);
        let vw = page.width(Face::Bold, value, BODY);
        let x = center - (lw + vw) / 2.0;
        page.text(Face::Regular, BODY, BLACK, x, baseline, Align::Left, label);
        page.text(Face::Bold, BODY, BLACK, x + lw, baseline, Align::Left, value);
    }

    /// The header of the table of goods; returns where the first row goes.
    fn table_header(&self, page: &mut Canvas, top: f32) -> f32 {
        let size = 8.5;
        let titles: Vec<Vec<String>> = COLUMNS
            .iter()
            .map(|c| wrap(&self.fonts.bold, c.title, size, (c.width - 2.0 * PAD) * PT_PER_MM))
            .collect();
        let lines = titles.iter().map(Vec::len).max().unwrap_or(1);
        let title_h = lines as f32 * 3.9 + 2.4;
        let number_h = 4.2;
        page.fill(LEFT, top, RIGHT - LEFT, title_h + number_h, HEADER_FILL);
        for (i, c) in COLUMNS.iter().enumerate() {
            let cx = (self.edges[i] + self.edges[i + 1]) / 2.0;
            // Centre the title block vertically in the header row.
            let first = top + 1.2 + (lines - titles[i].len()) as f32 * 3.9 / 2.0;
            for (j, line) in titles[i].iter().enumerate() {
                page.text(Face::Bold, size, BLACK, cx, first + 3.0 + j as f32 * 3.9, Align::Center, line);
            }
            page.text(Face::Regular, 7.0, GREY, cx, top + title_h + 3.0, Align::Center, c.number);
        }
        page.line(LEFT, top + title_h, RIGHT, top + title_h, 0.3, RULE);
        page.line(LEFT, top + title_h + number_h, RIGHT, top + title_h + number_h, 0.8, BLACK);
        top + title_h + number_h
    }

    fn row(&self, index: usize, line: &crate::PrintedLine) -> Row {
        let width = |i: usize| (COLUMNS[i].width - 2.0 * PAD) * PT_PER_MM;
        let mut name = wrap(&self.fonts.regular, &line.name, BODY, width(1));
        if name.len() > MAX_ROW_LINES {
            name.truncate(MAX_ROW_LINES);
            if let Some(last) = name.last_mut() {
                last.push('…');
            }
        }
        let unit = wrap(&self.fonts.regular, &line.unit, BODY, width(2));
        let cells = [
            vec![(index + 1).to_string()],
            name,
            unit,
            vec![line.quantity.to_string()],
            vec![amount(line.unit_price)],
            vec![amount(line.amount)],
            vec![line.vat_rate.label()],
        ];
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1);
        Row { cells, height: lines as f32 * LH + 2.0 * PAD - 0.6 }
    }

    fn draw_row(&self, page: &mut Canvas, row: &Row, top: f32) {
        for (i, c) in COLUMNS.iter().enumerate() {
            let (l, r) = (self.edges[i], self.edges[i + 1]);
            for (j, text) in row.cells[i].iter().enumerate() {
                let b = baseline(top + PAD - 0.3 + j as f32 * LH);
                self.cell_text(page, text, Face::Regular, l, r, b, c.align);
            }
        }
        page.line(LEFT, top + row.height, RIGHT, top + row.height, 0.25, RULE);
    }

    /// Text in a cell between `l` and `r`. Figures are never wrapped or cut (a cut amount is
    /// a wrong amount): one too wide for its column is set smaller until it fits.
    #[allow(clippy::too_many_arguments)]
    fn cell_text(&self, page: &mut Canvas, text: &str, face: Face, l: f32, r: f32, baseline: f32, align: Align) {
        let room = r - l - 2.0 * PAD;
        let natural = page.width(face, text, BODY);
        let size = if natural > room { BODY * room / natural } else { BODY };
        let x = match align {
            Align::Left => l + PAD,
            Align::Center => (l + r) / 2.0,
            Align::Right => r - PAD,
        };
        page.text(face, size, BLACK, x, baseline, align, text);
    }

    /// The rows under the goods: subtotal, VAT per rate, VAT, total.
    fn totals_lines(&self) -> Vec<(String, String, String, bool)> {
        let t = &self.inv.totals;
        let mut rows = vec![("Cộng tiền hàng".to_string(), amount(t.subtotal), String::new(), false)];
        if self.inv.shows_vat() {
            for r in &t.by_rate {
                rows.push((
                    format!("Thuế suất {}: cộng tiền hàng {}, tiền thuế GTGT", r.label, amount(r.subtotal)),
                    amount(r.vat),
                    r.label.clone(),
                    false,
                ));
            }
            rows.push(("Tiền thuế GTGT".to_string(), amount(t.vat), String::new(), false));
        }
        rows.push(("Tổng cộng tiền thanh toán".to_string(), amount(t.total), String::new(), true));
        rows
    }

    const TOTAL_ROW: f32 = 5.6;

    fn totals_rows(&self, page: &mut Canvas, mut y: f32) -> f32 {
        let label_right = self.edges[5] - PAD;
        for (label, value, rate, strong) in self.totals_lines() {
            let face = if strong { Face::Bold } else { Face::Regular };
            let b = y + Self::TOTAL_ROW * 0.72;
            page.text(face, BODY, BLACK, label_right, b, Align::Right, &label);
            self.cell_text(page, &value, face, self.edges[5], self.edges[6], b, Align::Right);
            self.cell_text(page, &rate, Face::Regular, self.edges[6], self.edges[7], b, Align::Center);
            y += Self::TOTAL_ROW;
            page.line(LEFT, y, RIGHT, y, 0.25, RULE);
        }
        y
    }

    /// The borders of the table on this page: every column down to the last line of goods,
    /// only the amount columns down through the totals.
    fn close_table(&self, page: &mut Canvas, top: f32, rows_bottom: f32, bottom: f32) {
        for (i, &x) in self.edges.iter().enumerate() {
            let to = if (1..5).contains(&i) { rows_bottom } else { bottom };
            page.line(x, top, x, to, if i == 0 || i == 7 { 0.8 } else { 0.4 }, BLACK);
        }
        page.line(LEFT, top, RIGHT, top, 0.8, BLACK);
        page.line(LEFT, bottom, RIGHT, bottom, 0.8, BLACK);
    }

    fn words_lines(&self) -> (f32, Vec<String>) {
        let label = "Số tiền viết bằng chữ: ";
        let lw = self.fonts.regular.width(label, BODY) / PT_PER_MM;
        let lines = wrap(&self.fonts.bold, &self.inv.amount_in_words, BODY, (RIGHT - LEFT - lw) * PT_PER_MM);
        (lw, lines)
    }

    const SIGNATURES: f32 = 34.0;

    /// Height of everything after the last line of goods, to know whether it fits.
    fn totals_height(&self) -> f32 {
        let rows = self.totals_lines().len() as f32 * Self::TOTAL_ROW;
        let (_, words) = self.words_lines();
        rows + 2.0 + words.len() as f32 * LH + 3.0 + self.signatures_height()
    }

    /// The signatures' room, taller when the code and its two lines stand between them.
    fn signatures_height(&self) -> f32 {
        match &self.payment {
            Some(_) => Self::SIGNATURES.max(Self::QR_TOP + QR_SIDE + 1.0 + 2.0 * LH),
            None => Self::SIGNATURES,
        }
    }

    /// Where the symbol starts below the signatures' first line: under the caption, with a
    /// quiet zone's worth of paper between.
    const QR_TOP: f32 = 6.0;

    fn payment(&self, page: &mut Canvas, block: &PaymentBlock<'_>, y: f32) {
        page.text(Face::Bold, 8.5, BLACK, QR_CENTER, baseline(y), Align::Center, PaymentBlock::CAPTION);
        page.qr(&block.image, QR_CENTER - QR_SIDE / 2.0, y + Self::QR_TOP, block.module(QR_SIDE));
        let below = y + Self::QR_TOP + QR_SIDE + 1.0;
        let second = format!("{} · {}", block.holder_line(), block.note_line());
        for (i, line) in [block.bank_line(), second].iter().enumerate() {
            page.text(Face::Regular, 7.5, BLACK, QR_CENTER, baseline(below + i as f32 * LH), Align::Center, line);
        }
    }

    /// Amount in words and the signatures, under the totals.
    fn closing(&self, page: &mut Canvas, mut y: f32) {
        y += 2.0;
        let (lw, words) = self.words_lines();
        page.text(Face::Regular, BODY, BLACK, LEFT, baseline(y), Align::Left, "Số tiền viết bằng chữ:");
        for (i, line) in words.iter().enumerate() {
            page.text(Face::Bold, BODY, BLACK, LEFT + lw, baseline(y + i as f32 * LH), Align::Left, line);
        }
        y += words.len() as f32 * LH + 3.0;

        for (cx, who, how) in [
            (57.0, "Người mua hàng", "(Ký, ghi rõ họ tên)"),
            (153.0, "Người bán hàng", "(Ký, đóng dấu, ghi rõ họ tên)"),
        ] {
            page.text(Face::Bold, 9.5, BLACK, cx, baseline(y), Align::Center, who);
            page.text(Face::Regular, 8.0, GREY, cx, baseline(y + LH), Align::Center, how);
        }
        if let Some(block) = &self.payment {
            self.payment(page, block, y);
        }
    }

    fn footer(&self, page: &mut Canvas, number: usize, count: usize) {
        let y = BOTTOM + 6.0;
        page.line(LEFT, y, RIGHT, y, 0.3, RULE);
        page.text(
            Face::Regular,
            7.5,
            GREY,
            LEFT,
            y + 4.0,
            Align::Left,
            "(Cần kiểm tra, đối chiếu khi lập, giao, nhận hóa đơn)",
        );
        page.text(Face::Regular, 8.0, BLACK, RIGHT, y + 4.0, Align::Right, &format!("Trang {number}/{count}"));
    }
}
