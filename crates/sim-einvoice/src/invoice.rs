//! The invoices a simulator keeps, read from the XML the clients send, and printed as PDF
//! with the app's own renderer (`hoadon-pdf`), so a PDF downloaded from a simulator is a
//! real invoice of the data that was sent.

use hoadon_pdf::{Mark, Party, PrintedInvoice, PrintedLine};
use hoadon_rules::symbol::Template;
use hoadon_rules::vat::TaxedLine;
use hoadon_rules::{Dong, Quantity, VatRate, VatTotals};
use serde::Serialize;

use crate::xml::Element;

/// The seller a simulator issues for.
#[derive(Debug, Clone, Serialize)]
pub struct Seller {
    pub name: String,
    pub tax_code: String,
    pub address: String,
}

impl Default for Seller {
    fn default() -> Seller {
        Seller {
            name: "Cửa hàng Tạp hóa Minh Anh".into(),
            tax_code: "0312345673".into(),
            address: "12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimLine {
    pub name: String,
    pub unit: String,
    pub quantity: String,
    pub price: i64,
    /// Before VAT.
    pub amount: i64,
    /// The provider's rate code as sent (`10`, `8`, `-1` …).
    pub vat_rate: String,
    pub vat_amount: i64,
}

/// One invoice held by a simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimInvoice {
    pub key: String,
    pub pattern: String,
    pub serial: String,
    pub number: Option<u64>,
    /// The provider's own status code (EasyInvoice −1…6, VNPT 0…5).
    pub status: i64,
    pub paid: bool,
    pub cus_code: String,
    pub cus_name: String,
    pub buyer: String,
    pub tax_code: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub payment_method: String,
    pub arising_date: String,
    pub lines: Vec<SimLine>,
    pub total: i64,
    pub vat_amount: i64,
    pub amount: i64,
    pub amount_in_words: String,
    pub lookup_code: String,
    pub tax_authority_code: Option<String>,
}

/// Why an invoice in a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required element is missing or unreadable (VNPT: `ERR:3`; EasyInvoice: 160).
    Missing(String),
    /// The figures do not add up (VNPT: `ERR:5`, not published; EasyInvoice: 160).
    Totals(String),
}

fn number(el: &Element, name: &str) -> Result<i64, Problem> {
    let text = el.text_of(name).ok_or_else(|| Problem::Missing(name.into()))?;
    // Amounts are whole đồng; a provider also accepts "75600.0".
    let whole = text.split('.').next().unwrap_or("");
    whole.parse().map_err(|_| Problem::Missing(format!("{name} không phải là số")))
}

/// Reads one invoice element (`<Invoice>`, `<AdjustInv>`, `<ReplaceInv>`) and checks it the
/// way the providers do: required fields present, each line and the totals adding up.
pub fn read_invoice(el: &Element, key: &str) -> Result<SimInvoice, Problem> {
    let cus_name = el.text_of("CusName").or_else(|| el.text_of("Buyer")).ok_or_else(|| Problem::Missing("CusName".into()))?;
    let products = el.child("Products").ok_or_else(|| Problem::Missing("Products".into()))?;
    let mut lines = Vec::new();
    for p in products.children_named("Product") {
        let name = p.text_of("ProdName").ok_or_else(|| Problem::Missing("ProdName".into()))?;
        // EasyInvoice: Total before VAT, Amount after. VNPT: Amount before VAT.
        let amount = if p.child("Total").is_some() { number(p, "Total")? } else { number(p, "Amount")? };
        let vat_amount = if p.child("VATAmount").is_some() { number(p, "VATAmount")? } else { 0 };
        lines.push(SimLine {
            name: name.to_string(),
            unit: p.text_of("ProdUnit").unwrap_or("").to_string(),
            quantity: p.text_of("ProdQuantity").unwrap_or("1").to_string(),
            price: if p.child("ProdPrice").is_some() { number(p, "ProdPrice")? } else { amount },
            amount,
            vat_rate: p.text_of("VATRate").or_else(|| el.text_of("VATRate")).unwrap_or("-1").to_string(),
            vat_amount,
        });
    }
    if lines.is_empty() {
        return Err(Problem::Missing("Product".into()));
    }
    if lines.len() > 400 {
        return Err(Problem::Missing("quá 400 dòng".into()));
    }
    let total = number(el, "Total")?;
    let vat_amount = number(el, "VATAmount")?;
    let amount = number(el, "Amount")?;
    let amount_in_words = el.text_of("AmountInWords").ok_or_else(|| Problem::Missing("AmountInWords".into()))?;
    let arising_date = el.text_of("ArisingDate").ok_or_else(|| Problem::Missing("ArisingDate".into()))?;
    if hoadon_rules::calendar::parse_date(arising_date).is_none() {
        return Err(Problem::Missing("ArisingDate phải là dd/MM/yyyy".into()));
    }
    if lines.iter().map(|l| l.amount).sum::<i64>() != total {
        return Err(Problem::Totals("Total khác tổng các dòng".into()));
    }
    if lines.iter().map(|l| l.vat_amount).sum::<i64>() != vat_amount {
        return Err(Problem::Totals("VATAmount khác tổng thuế các dòng".into()));
    }
    if total + vat_amount != amount {
        return Err(Problem::Totals("Amount khác Total + VATAmount".into()));
    }
    Ok(SimInvoice {
        key: key.to_string(),
        pattern: String::new(),
        serial: String::new(),
        number: None,
        status: 0,
        paid: el.text_of("PaymentStatus") == Some("1"),
        cus_code: el.text_of("CusCode").unwrap_or(key).to_string(),
        cus_name: cus_name.to_string(),
        buyer: el.text_of("Buyer").unwrap_or("").to_string(),
        tax_code: el.text_of("CusTaxCode").unwrap_or("").to_string(),
        address: el.text_of("CusAddress").unwrap_or("").to_string(),
        email: el.text_of("CusEmail").unwrap_or("").to_string(),
        phone: el.text_of("CusPhone").unwrap_or("").to_string(),
        payment_method: el.text_of("PaymentMethod").unwrap_or("TM/CK").to_string(),
        arising_date: arising_date.to_string(),
        lines,
        total,
        vat_amount,
        amount,
        amount_in_words: amount_in_words.to_string(),
        lookup_code: String::new(),
        tax_authority_code: el.text_of("MCCQT").map(str::to_string),
    })
}

/// A lookup code derived from the key, stable across runs so tests can expect it.
pub fn lookup_code(key: &str) -> String {
    use md5::{Digest as _, Md5};
    let digest = Md5::digest(key.as_bytes());
    digest.iter().take(5).map(|b| format!("{b:02X}")).collect()
}

fn rate_of(code: &str) -> VatRate {
    match code.trim() {
        "-1" => VatRate::Kct,
        "-2" => VatRate::Kkknt,
        "-3" => VatRate::Khac(0),
        other => other.parse().or_else(|_| format!("KHAC:{other}").parse()).unwrap_or(VatRate::Kct),
    }
}

/// The invoice as the app's renderer prints it.
pub fn printed(seller: &Seller, inv: &SimInvoice, cancelled: bool) -> PrintedInvoice {
    let template = inv.pattern.chars().next().and_then(|c| c.to_digit(10)).and_then(|d| Template::from_digit(d as u8)).unwrap_or(Template::Vat);
    let symbol = if inv.serial.is_empty() { inv.pattern.clone() } else { format!("{}{}", template.digit(), inv.serial) };
    let lines: Vec<PrintedLine> = inv
        .lines
        .iter()
        .map(|l| PrintedLine {
            name: l.name.clone(),
            unit: l.unit.clone(),
            quantity: Quantity::parse(&l.quantity).unwrap_or(Quantity::whole(1)),
            unit_price: Dong(l.price),
            amount: Dong(l.amount),
            vat_rate: rate_of(&l.vat_rate),
        })
        .collect();
    let totals = VatTotals::of(lines.iter().map(|l| TaxedLine { amount: l.amount, rate: l.vat_rate })).unwrap_or_default();
    PrintedInvoice {
        template,
        symbol,
        number: inv.number,
        date: hoadon_rules::calendar::parse_date(&inv.arising_date).unwrap_or(time::macros::date!(2026 - 01 - 01)),
        tax_authority_code: inv.tax_authority_code.clone(),
        lookup_code: Some(inv.lookup_code.clone()).filter(|c| !c.is_empty()),
        seller: Party {
            name: seller.name.clone(),
            tax_code: Some(seller.tax_code.clone()),
            address: seller.address.clone(),
            ..Default::default()
        },
        buyer: Party {
            name: inv.cus_name.clone(),
            buyer_name: Some(inv.buyer.clone()).filter(|b| !b.is_empty()),
            tax_code: Some(inv.tax_code.clone()).filter(|t| !t.is_empty()),
            address: inv.address.clone(),
            phone: inv.phone.clone(),
            email: inv.email.clone(),
            bank_account: None,
        },
        lines,
        totals,
        amount_in_words: inv.amount_in_words.clone(),
        payment_method: inv.payment_method.clone(),
        mark: if cancelled { Mark::Cancelled } else { Mark::None },
        note: None,
    }
}

/// The PDF of an invoice, rendered by `hoadon-pdf`.
pub fn pdf(seller: &Seller, inv: &SimInvoice, cancelled: bool) -> Result<Vec<u8>, String> {
    hoadon_pdf::render_invoice(&printed(seller, inv, cancelled)).map_err(|e| e.to_string())
}
