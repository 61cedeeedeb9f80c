//! The 80 mm till slip.
//!
//! Thermal printers take paper from a roll, so the page is exactly as long as the sale: the
//! slip is drawn from the top down and its height is fixed at the end. Everything is black
//! (the printer has no grey) and the same facts as on the A4 form are there, stacked in one
//! narrow column: a cash-register invoice handed over at the counter is the invoice.

use hoadon_rules::calendar::invoice_date_words;

use crate::canvas::{Align, Canvas, BLACK, PT_PER_MM};
use crate::fonts::{wrap, Face, Fonts};
use crate::payment::PaymentBlock;
use crate::{amount, save, PdfError, PrintedInvoice};

const WIDTH: f32 = 80.0;
/// 72 mm is what an 80 mm printer actually prints; the rest is its unprintable margin.
const LEFT: f32 = 4.0;
const RIGHT: f32 = 76.0;
const CENTER: f32 = WIDTH / 2.0;
const SMALL: f32 = 8.0;
/// Side of the VietQR symbol: about 1 mm a module for a sale's code, which a phone reads
/// from an arm's length off a thermal print.
const QR_SIDE: f32 = 44.0;

/// Renders the invoice as an 80 mm wide receipt, one page as long as it needs.
pub fn render_receipt(inv: &PrintedInvoice) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::get()?;
    let payment = inv.payment.as_ref().map(PaymentBlock::new).transpose()?;
    let mut slip = Slip { page: Canvas::new(fonts, WIDTH, 0.0), fonts, y: 4.0 };
    slip.draw(inv, payment.as_ref());
    let height = slip.y + 6.0;
    let title = format!("{} {} số {}", inv.title(), inv.symbol, inv.number_text());
    save(&title, vec![slip.page.into_page_of_height(height)])
}

struct Slip {
    page: Canvas,
    fonts: &'static Fonts,
    /// Top of the next line, in mm from the top of the slip.
    y: f32,
}

impl Slip {
    fn line_height(size: f32) -> f32 {
        size / PT_PER_MM * 1.32
    }

    /// Wrapped text across the slip; returns nothing, moves down.
    fn para(&mut self, face: Face, size: f32, align: Align, text: &str) {
        let lh = Self::line_height(size);
        let x = match align {
            Align::Left => LEFT,
            Align::Center => CENTER,
            Align::Right => RIGHT,
        };
        for line in wrap(self.fonts.face(face), text, size, (RIGHT - LEFT) * PT_PER_MM) {
            self.page.text(face, size, BLACK, x, self.y + lh * 0.76, align, &line);
            self.y += lh;
        }
    }

    /// "Label value" with the value against the right edge, or under the label when both do
    /// not fit on one line (a large total beside a long label).
    fn label_value(&mut self, face: Face, size: f32, label: &str, value: &str) {
        let lh = Self::line_height(size);
        let lw = self.page.width(face, label, size);
        let vw = self.page.width(face, value, size);
        if lw + vw + 2.0 > RIGHT - LEFT {
            self.para(face, size, Align::Left, label);
        } else {
            self.page.text(face, size, BLACK, LEFT, self.y + lh * 0.76, Align::Left, label);
        }
        self.page.text(face, size, BLACK, RIGHT, self.y + lh * 0.76, Align::Right, value);
        self.y += lh;
    }

    /// "4. Name…" with the name's further lines under its first word, so the numbers
    /// stand out down the slip.
    fn numbered(&mut self, number: &str, name: &str) {
        let size = 8.5;
        let lh = Self::line_height(size);
        let indent = self.page.width(Face::Regular, number, size);
        self.page.text(Face::Regular, size, BLACK, LEFT, self.y + lh * 0.76, Align::Left, number);
        for line in wrap(&self.fonts.regular, name, size, (RIGHT - LEFT - indent) * PT_PER_MM) {
            self.page.text(Face::Regular, size, BLACK, LEFT + indent, self.y + lh * 0.76, Align::Left, &line);
            self.y += lh;
        }
    }

    fn rule(&mut self) {
        self.y += 1.2;
        self.page.dashed(LEFT, RIGHT, self.y, BLACK);
        self.y += 1.8;
    }

    /// The code centred across the slip, its quiet zone kept clear of the text around it.
    fn payment(&mut self, block: &PaymentBlock<'_>) {
        self.para(Face::Bold, 9.5, Align::Center, PaymentBlock::CAPTION);
        self.y += block.quiet_zone(QR_SIDE);
        self.page.qr(&block.image, CENTER - QR_SIDE / 2.0, self.y, block.module(QR_SIDE));
        self.y += QR_SIDE + block.quiet_zone(QR_SIDE);
        self.para(Face::Bold, SMALL, Align::Center, &block.bank_line());
        self.para(Face::Regular, SMALL, Align::Center, &block.holder_line());
        self.para(Face::Regular, SMALL, Align::Center, &block.amount_line());
        self.para(Face::Regular, SMALL, Align::Center, &block.note_line());
        self.rule();
    }

    fn draw(&mut self, inv: &PrintedInvoice, payment: Option<&PaymentBlock<'_>>) {
        let seller = &inv.seller;
        self.para(Face::Bold, 10.0, Align::Center, &seller.name);
        if let Some(tax_code) = seller.tax_code.as_deref().filter(|t| !t.is_empty()) {
            self.para(Face::Regular, SMALL, Align::Center, &format!("MST: {tax_code}"));
        }
        if !seller.address.is_empty() {
            self.para(Face::Regular, SMALL, Align::Center, &seller.address);
        }
        if !seller.phone.is_empty() {
            self.para(Face::Regular, SMALL, Align::Center, &format!("ĐT: {}", seller.phone));
        }
        self.rule();

        let (title, origin) = inv.title_parts();
        self.para(Face::Bold, 9.5, Align::Center, title);
        if let Some(origin) = origin {
            self.para(Face::Bold, 9.5, Align::Center, origin);
        }
        self.y += 0.5;
        self.para(
            Face::Regular,
            SMALL,
            Align::Center,
            &format!("Mẫu số: {}   Ký hiệu: {}", inv.template_digit(), inv.serial()),
        );
        self.para(Face::Bold, 9.0, Align::Center, &format!("Số: {}", inv.number_text()));
        self.para(Face::Regular, SMALL, Align::Center, &invoice_date_words(inv.date));
        if let Some(code) = inv.tax_authority_code.as_deref().filter(|c| !c.is_empty()) {
            self.para(Face::Regular, SMALL, Align::Center, &format!("Mã của CQT: {code}"));
        }
        if let Some(mark) = inv.mark.text() {
            self.y += 9.0;
            self.page.stamp(CENTER, self.y, 16.0, mark);
            self.y += 9.0;
        }
        self.rule();

        let buyer = &inv.buyer;
        let person = buyer.buyer_name.as_deref().unwrap_or("");
        let who = match (person.is_empty(), buyer.name.is_empty()) {
            (false, false) => format!("{person} - {}", buyer.name),
            (false, true) => person.to_string(),
            (true, false) => buyer.name.clone(),
            (true, true) => "Khách lẻ".to_string(),
        };
        self.para(Face::Regular, SMALL, Align::Left, &format!("Khách hàng: {who}"));
        if let Some(tax_code) = buyer.tax_code.as_deref().filter(|t| !t.is_empty()) {
            self.para(Face::Regular, SMALL, Align::Left, &format!("Mã số thuế: {tax_code}"));
        }
        if !buyer.address.is_empty() {
            self.para(Face::Regular, SMALL, Align::Left, &format!("Địa chỉ: {}", buyer.address));
        }
        self.rule();

        self.label_value(Face::Bold, SMALL, "Tên hàng hóa, dịch vụ", "Thành tiền");
        self.y += 0.6;
        for (i, line) in inv.lines.iter().enumerate() {
            self.numbered(&format!("{}. ", i + 1), &line.name);
            let detail = format!(
                "   {} {} x {}  ({})",
                line.quantity,
                line.unit,
                amount(line.unit_price),
                line.vat_rate.label()
            );
            self.label_value(Face::Regular, SMALL, &detail, &amount(line.amount));
            self.y += 0.6;
        }
        self.rule();

        let t = &inv.totals;
        self.label_value(Face::Regular, SMALL, "Cộng tiền hàng:", &amount(t.subtotal));
        if inv.shows_vat() {
            for r in &t.by_rate {
                let label = format!("Thuế suất {} (tiền hàng {}):", r.label, amount(r.subtotal));
                self.label_value(Face::Regular, SMALL, &label, &amount(r.vat));
            }
            self.label_value(Face::Regular, SMALL, "Tiền thuế GTGT:", &amount(t.vat));
        }
        self.y += 0.8;
        self.label_value(Face::Bold, 9.5, "Tổng cộng tiền thanh toán:", &amount(t.total));
        self.y += 0.8;
        self.para(Face::Regular, SMALL, Align::Left, "Số tiền viết bằng chữ:");
        self.para(Face::Bold, SMALL, Align::Left, &inv.amount_in_words);
        self.para(Face::Regular, SMALL, Align::Left, &format!("Hình thức thanh toán: {}", inv.payment_method));
        self.rule();

        if let Some(block) = payment {
            self.payment(block);
        }

        if let Some(note) = inv.note.as_deref() {
            self.para(Face::Regular, SMALL, Align::Left, note);
        }
        if let Some(code) = inv.lookup_code.as_deref().filter(|c| !c.is_empty()) {
            self.para(Face::Regular, SMALL, Align::Center, &format!("Mã tra cứu: {code}"));
        }
        self.para(Face::Regular, SMALL, Align::Center, "Cảm ơn quý khách!");
    }
}
