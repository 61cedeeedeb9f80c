//! Prints an invoice: the A4 form a shop hands or emails to its customer, and the 80 mm slip
//! a thermal till printer gives at the counter.
//!
//! The invoice arrives fully computed ([`PrintedInvoice`]: lines, per-rate totals, the amount
//! in words, all from `hoadon-rules`); this crate only lays it out, so the figures on paper
//! are the ones the app stored and sent to the provider. It has no UI dependency: the Tauri
//! app, a CLI or a test call [`render_invoice`] / [`render_receipt`] and get PDF bytes.
//!
//! Noto Sans (regular and bold) is compiled in and a subset of it embedded in every PDF, so
//! a Vietnamese name prints and copies back letter for letter on a computer that has no
//! Vietnamese font, and the look does not depend on the machine.
//!
//! - [`invoice`]: the A4 form, spread over as many pages as the lines need, with the table
//!   header repeated on each page and the totals on the last.
//! - [`receipt`]: the till slip, one page as long as the sale.
//!
//! Either carries the shop's VietQR code when [`PrintedInvoice::payment`] is set, drawn as
//! squares (no picture embedded) so it scans as sharply as the printer prints.

mod canvas;
mod fonts;
pub mod invoice;
mod payment;
pub mod receipt;

use hoadon_rules::money::group_thousands;
use hoadon_rules::symbol::{InvoiceSymbol, Template};
use hoadon_rules::vat::VatTotals;
use hoadon_rules::{Dong, Quantity, VatRate};
use printpdf::{PdfDocument, PdfFont, PdfPage, PdfSaveOptions};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use invoice::render_invoice;
pub use receipt::render_receipt;

/// Everything printed on one invoice, already computed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrintedInvoice {
    /// The template (mẫu số) the symbol belongs to.
    pub template: Template,
    /// The full symbol, `1C26TAA`, or only the serial `C26TAA` (the template digit is then
    /// taken from `template`).
    pub symbol: String,
    /// `None` while the invoice is a draft: the number is given when it is issued.
    pub number: Option<u64>,
    /// The invoice date (+07).
    pub date: time::Date,
    /// "Mã của CQT", on invoices whose symbol starts with C once the tax authority coded it.
    pub tax_authority_code: Option<String>,
    /// "Mã tra cứu", the code the buyer types on the provider's site to find the invoice.
    pub lookup_code: Option<String>,
    /// "Đơn vị bán hàng".
    pub seller: Party,
    /// "Người mua hàng".
    pub buyer: Party,
    /// The lines, in the order of the sale.
    pub lines: Vec<PrintedLine>,
    /// The totals per VAT rate and in all, as the screen and the providers read them.
    pub totals: VatTotals,
    /// "Một triệu sáu trăm năm mươi nghìn đồng", from `hoadon_rules::words`.
    pub amount_in_words: String,
    /// "TM/CK", "TM", "CK" …
    pub payment_method: String,
    /// "BẢN NHÁP" or "ĐÃ HỦY" across the page, or nothing.
    pub mark: Mark,
    /// What this invoice does to another, printed under the date: "Điều chỉnh giảm cho hóa
    /// đơn mẫu số 1, ký hiệu C26TAA, số 6, ngày 05/03/2026. Lý do: …".
    #[serde(default)]
    pub note: Option<String>,
    /// The VietQR code the buyer scans to pay, printed with the bank, account and amount;
    /// `None` when the shop has set no bank account in Cài đặt or the invoice is cancelled.
    #[serde(default)]
    pub payment: Option<PrintedPayment>,
}

/// "Quét mã để thanh toán": a VietQR code and what it says, for the buyer to check before
/// confirming in the bank app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedPayment {
    /// The EMVCo text the QR symbol carries (`hoadon_payment_qr::PaymentCode::payload`).
    pub payload: String,
    /// The bank as the owner knows it ("Vietcombank").
    pub bank: String,
    /// The account (or card) number.
    pub account_number: String,
    /// The account holder's name as the bank has it.
    pub account_name: String,
    /// The amount the code asks for.
    pub amount: Dong,
    /// The transfer note the code carries ("DH42").
    pub note: String,
}

/// A seller or a buyer. Empty strings are printed as blank fields, as on a paper form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Party {
    /// The company or shop ("Tên đơn vị"); for a buyer who is a person, may be empty.
    pub name: String,
    /// The person who buys ("Họ tên người mua hàng").
    #[serde(default)]
    pub buyer_name: Option<String>,
    /// "Mã số thuế".
    #[serde(default)]
    pub tax_code: Option<String>,
    /// "Địa chỉ".
    #[serde(default)]
    pub address: String,
    /// "Điện thoại".
    #[serde(default)]
    pub phone: String,
    /// "Email".
    #[serde(default)]
    pub email: String,
    /// "Số tài khoản".
    #[serde(default)]
    pub bank_account: Option<String>,
}

/// One line of goods or services.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrintedLine {
    /// "Tên hàng hóa, dịch vụ".
    pub name: String,
    /// "Đơn vị tính".
    pub unit: String,
    /// "Số lượng".
    pub quantity: Quantity,
    /// "Đơn giá".
    pub unit_price: Dong,
    /// Quantity × unit price, as computed and stored (never recomputed here).
    pub amount: Dong,
    /// "Thuế suất GTGT".
    pub vat_rate: VatRate,
}

/// What is stamped across an invoice that is not a valid issued one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// A valid invoice: nothing stamped.
    #[default]
    None,
    /// Not yet issued: "BẢN NHÁP".
    Draft,
    /// Cancelled after issue: "ĐÃ HỦY".
    Cancelled,
}

impl Mark {
    /// The words stamped across the page, if any.
    pub fn text(self) -> Option<&'static str> {
        match self {
            Mark::None => None,
            Mark::Draft => Some("BẢN NHÁP"),
            Mark::Cancelled => Some("ĐÃ HỦY"),
        }
    }
}

/// Why a PDF could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PdfError {
    /// The embedded Noto Sans could not be read.
    #[error("không đọc được phông chữ nhúng: {0}")]
    Font(String),
    /// The document could not be written.
    #[error("không tạo được tệp PDF: {0}")]
    Write(String),
}

impl PrintedInvoice {
    /// The symbol read the way the rules read it, when it is well formed. A symbol the
    /// rules reject still prints as typed: the PDF shows what the invoice says.
    fn parsed_symbol(&self) -> Option<InvoiceSymbol> {
        let symbol = self.symbol.trim();
        InvoiceSymbol::parse("", symbol)
            .or_else(|_| InvoiceSymbol::parse(&self.template.digit().to_string(), symbol))
            .ok()
    }

    /// "Mẫu số" as printed: the digit of the template.
    fn template_digit(&self) -> String {
        self.parsed_symbol().map_or(self.template, |s| s.template).digit().to_string()
    }

    /// "Ký hiệu" as printed: the six characters after the template digit.
    fn serial(&self) -> String {
        match self.parsed_symbol() {
            Some(s) => s.serial,
            None => self.symbol.trim().to_string(),
        }
    }

    /// The title: by template, and saying so when the invoice came from a cash register,
    /// as the regulation requires those to be told apart on paper.
    fn title(&self) -> String {
        match self.title_parts() {
            (title, Some(origin)) => format!("{title} {origin}"),
            (title, None) => title.to_string(),
        }
    }

    /// The title in its two natural lines: the kind of invoice, then where it came from.
    /// Breaking there reads better than wherever the width runs out.
    fn title_parts(&self) -> (&'static str, Option<&'static str>) {
        let symbol = self.parsed_symbol();
        let template = symbol.as_ref().map_or(self.template, |s| s.template);
        let cash_register = symbol.is_some_and(|s| s.is_cash_register());
        (template.title(), cash_register.then_some("KHỞI TẠO TỪ MÁY TÍNH TIỀN"))
    }

    fn number_text(&self) -> String {
        match self.number {
            Some(n) => n.to_string(),
            None => "(chưa cấp)".to_string(),
        }
    }

    /// Whether VAT lines belong on the paper: a sales invoice (mẫu 2) carries none.
    fn shows_vat(&self) -> bool {
        self.template == Template::Vat || self.totals.vat != Dong::ZERO
    }
}

/// `1.650.000`: amounts in the table and totals carry no currency sign, as on the forms.
fn amount(d: Dong) -> String {
    group_thousands(d.0)
}

/// Puts the pages in a document with both faces and writes it. The faces are registered
/// under fixed ids ([`fonts::Face::id`]); printpdf embeds only the glyphs the pages use.
fn save(title: &str, pages: Vec<PdfPage>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::Fonts::get()?;
    let mut doc = PdfDocument::new(title);
    for face in [fonts::Face::Regular, fonts::Face::Bold] {
        doc.resources
            .fonts
            .map
            .insert(face.id(), PdfFont::new(fonts.face(face).font.clone()));
    }
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let bytes = doc.save(&PdfSaveOptions::default(), &mut warnings);
    if bytes.is_empty() {
        return Err(PdfError::Write(format!("{warnings:?}")));
    }
    Ok(with_content_id(bytes))
}

/// printpdf writes a random file identifier into the trailer, so the same invoice printed
/// twice would differ. The identifier is replaced by one derived from the content, keeping
/// its length (the cross-reference offsets stay valid): a reprint is then byte for byte the
/// first print, which the app can compare or hash.
fn with_content_id(mut bytes: Vec<u8>) -> Vec<u8> {
    use std::hash::{DefaultHasher, Hash, Hasher};

    const ID_LEN: usize = 32;
    let tail_start = bytes.len().saturating_sub(1024);
    let Some(at) = bytes[tail_start..].windows(5).position(|w| w == b"/ID[(").map(|p| tail_start + p + 5) else {
        return bytes;
    };
    let second = at + ID_LEN + 2; // past ")("
    if bytes.len() < second + ID_LEN || &bytes[at + ID_LEN..second] != b")(" {
        return bytes;
    }
    let mut id = String::with_capacity(ID_LEN);
    for salt in 0..2u8 {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        bytes[..tail_start].hash(&mut h);
        id.push_str(&format!("{:016X}", h.finish()));
    }
    bytes[at..at + ID_LEN].copy_from_slice(id.as_bytes());
    bytes[second..second + ID_LEN].copy_from_slice(id.as_bytes());
    bytes
}
