//! The invoices a simulator keeps, read from the XML the clients send, and printed as PDF
//! with the app's own renderer (`hoadon-pdf`), so a PDF downloaded from a simulator is a
//! real invoice of the data that was sent.

use hoadon_pdf::{Mark, Party, PrintedInvoice, PrintedLine};
use hoadon_rules::symbol::Template;
use hoadon_rules::vat::TaxedLine;
use hoadon_rules::{Dong, Quantity, VatRate, VatTotals};
use serde::{Deserialize, Serialize};

use crate::xml::Element;

/// The seller a simulator issues for.
#[derive(Debug, Clone, Serialize)]
pub struct Seller {
    /// The seller's registered name, printed on the invoices.
    pub name: String,
    /// The seller's tax code (MST); EasyInvoice checks it against the `Authentication` header.
    pub tax_code: String,
    /// The seller's address, printed on the invoices.
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

/// One product line of an invoice, as the client sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimLine {
    /// `ProdName`.
    pub name: String,
    /// `ProdUnit`; empty when not sent.
    pub unit: String,
    /// `ProdQuantity` as sent (a decimal text); "1" when not sent.
    pub quantity: String,
    /// `ProdPrice`, in đồng; the line amount when not sent.
    pub price: i64,
    /// Before VAT.
    pub amount: i64,
    /// The provider's rate code as sent (`10`, `8`, `-1` …); Viettel's `-2` / `-1` are kept
    /// as `KCT` / `KKKNT`, since its negative codes mean the opposite of EasyInvoice's.
    pub vat_rate: String,
    /// The line's VAT, in đồng (`VATAmount`; 0 when VNPT's line leaves it out).
    pub vat_amount: i64,
    /// EasyInvoice `Feature` (1 goods, 2 promotion, 3 trade discount, 4 note, 5 special).
    pub feature: u8,
}

/// The tax authority's verdict on a VNPT invoice, as `GetMCCQThueByFkeys` reports it
/// (`TThai`): 0 not sent, 1 sent and waiting, 2 accepted (with the code, `MCCQThue`),
/// 3 rejected (with the error, `MTLoi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TaxVerdict {
    /// Not yet sent to the tax authority (`TThai` 0).
    NotSent,
    /// Sent, waiting for the verdict (`TThai` 1).
    Waiting,
    /// The tax authority's code (MCCQT); empty for a serial without code (`K…`).
    Accepted {
        /// `MCCQThue`.
        code: String,
    },
    /// Rejected (`TThai` 3).
    Rejected {
        /// The error code the tax authority gave.
        code: String,
        /// `MTLoi`: the tax authority's reason.
        message: String,
    },
}

impl TaxVerdict {
    /// `TThai` of the answer.
    pub fn tthai(&self) -> u8 {
        match self {
            TaxVerdict::NotSent => 0,
            TaxVerdict::Waiting => 1,
            TaxVerdict::Accepted { .. } => 2,
            TaxVerdict::Rejected { .. } => 3,
        }
    }
}

/// One invoice held by a simulator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimInvoice {
    /// The client's key: EasyInvoice `Ikey`, VNPT `fkey`, Viettel `transactionUuid`.
    pub key: String,
    /// The template as sent (EasyInvoice `Pattern`, VNPT `pattern`, e.g. `1/001`, or the full symbol).
    pub pattern: String,
    /// The serial as sent (`C26TAA`); may be empty when `pattern` carries the full symbol.
    pub serial: String,
    /// The invoice number; `None` until it is signed.
    pub number: Option<u64>,
    /// The provider's own status code (EasyInvoice −1…6, VNPT 0…5).
    pub status: i64,
    /// VNPT: the invoice is marked paid (`PaymentStatus` 1, `confirmPaymentFkey`).
    pub paid: bool,
    /// `CusCode`; the key when the client sent none.
    pub cus_code: String,
    /// `CusName`, or EasyInvoice `Buyer` when `CusName` is empty.
    pub cus_name: String,
    /// EasyInvoice `Buyer` (the person who buys) as sent.
    pub buyer: String,
    /// `CusTaxCode`; empty for a buyer without one.
    pub tax_code: String,
    /// `CusAddress`.
    pub address: String,
    /// `Email` (EasyInvoice), `CusEmail` (VNPT), or the first of `CusEmails`.
    pub email: String,
    /// EasyInvoice `EmailCC` / `CusEmails` as sent.
    pub email_cc: String,
    /// EasyInvoice `CusEmails` (comma list) as sent.
    pub cus_emails: String,
    /// `CusPhone`.
    pub phone: String,
    /// `PaymentMethod` as sent (`TM/CK`, …).
    pub payment_method: String,
    /// `ArisingDate` as sent, `dd/MM/yyyy`.
    pub arising_date: String,
    /// `CurrencyUnit` (`VND`).
    pub currency: String,
    /// The product lines, in order.
    pub lines: Vec<SimLine>,
    /// `Total`: the sum before VAT, in đồng.
    pub total: i64,
    /// `VATAmount`: the VAT, in đồng.
    pub vat_amount: i64,
    /// `Amount`: the total to pay (`Total` + `VATAmount`), in đồng.
    pub amount: i64,
    /// `AmountInWords` as sent.
    pub amount_in_words: String,
    /// The code a buyer looks the invoice up with; given when the invoice is signed.
    pub lookup_code: String,
    /// The cash-register code (EasyInvoice `TaxAuthorityCode`, VNPT's `_<code>` answer part).
    pub tax_authority_code: Option<String>,
    /// EasyInvoice `TCTCheckStatus`: −2 rejected, −1 checking, 0 not processed, 1 accepted,
    /// `None` not sent.
    pub tct_status: Option<i64>,
    /// EasyInvoice `TCTErrorMessage`: why the tax authority rejected it.
    pub tct_error: String,
    /// VNPT: what `GetMCCQThueByFkeys` says; `None` for a signed invoice means accepted.
    pub tax_verdict: Option<TaxVerdict>,
    /// EasyInvoice `AdjustReplaceReasonCode` of an adjusting or replacing invoice.
    pub reason_code: Option<u8>,
    /// The key of the invoice this one replaces or adjusts.
    pub replaces: Option<String>,
    /// EasyInvoice `LocationCode` (of a household or individual business).
    pub location_code: String,
    /// EasyInvoice `Type` of an adjustment (2 up, 3 down, 4 information) / VNPT `Type` /
    /// Viettel `adjustmentType` (3 replacing, 5 adjusting).
    pub adjust_type: Option<u8>,
    /// When the invoice took its number, in epoch milliseconds (Viettel's `issueDate`, and
    /// its chronological-numbering check); `None` for an invoice seeded without it.
    pub issued_at_ms: Option<i64>,
}

/// Why an invoice in a request is refused, with a sentence naming the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required element is missing, empty, unreadable or too long (VNPT `ERR:3`,
    /// EasyInvoice 129).
    Missing(String),
    /// The figures do not add up (VNPT `ERR:5`, EasyInvoice 129).
    Totals(String),
}

impl Problem {
    /// The sentence, naming the tag, that the simulator answers with.
    pub fn text(&self) -> &str {
        match self {
            Problem::Missing(t) | Problem::Totals(t) => t,
        }
    }
}

/// Whose document rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// VNPT document 004: `CusCode`, `CusName`, `CusAddress`, `ProdName`, product `Amount`
    /// (before VAT), `Total`, `VATRate`, `VATAmount`, `Amount`, `AmountInWords` required.
    Vnpt,
    /// EasyInvoice v8 VI.1/VI.2: `Ikey`, `PaymentMethod`, `ArisingDate`, `CurrencyUnit`,
    /// `Total`, `VATRate`, `VATAmount`, `Amount`, `AmountInWords`, `Buyer` or `CusName`;
    /// products `Feature`, `ProdName`, `Total` (before VAT), `VATAmount`, `Amount`.
    EasyInvoice,
}

fn required<'a>(el: &'a Element, name: &str) -> Result<&'a str, Problem> {
    match el.child(name) {
        None => Err(Problem::Missing(format!("thiếu thẻ <{name}>"))),
        Some(c) if c.text.trim().is_empty() => Err(Problem::Missing(format!("thẻ <{name}> bắt buộc nhưng để trống"))),
        Some(c) => Ok(c.text.trim()),
    }
}

fn amount_of(text: &str, name: &str) -> Result<i64, Problem> {
    let t = text.trim();
    // Amounts are whole đồng; a provider also accepts "75600.0" or "75600.00".
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if !frac.chars().all(|c| c == '0') {
        return Err(Problem::Missing(format!("<{name}> «{t}» không phải số đồng nguyên")));
    }
    whole.parse().map_err(|_| Problem::Missing(format!("<{name}> «{t}» không phải là số")))
}

fn number(el: &Element, name: &str) -> Result<i64, Problem> {
    amount_of(required(el, name)?, name)
}

fn optional_number(el: &Element, name: &str) -> Result<Option<i64>, Problem> {
    match el.filled(name) {
        Some(t) => amount_of(t, name).map(Some),
        None => Ok(None),
    }
}

fn at_most(el: &Element, name: &str, max: usize) -> Result<(), Problem> {
    if let Some(t) = el.text_of(name)
        && t.chars().count() > max
    {
        return Err(Problem::Missing(format!("<{name}> dài quá {max} ký tự")));
    }
    Ok(())
}

/// Reads one invoice element (`<Invoice>`, `<AdjustInv>`, `<ReplaceInv>`) and checks it the
/// way the provider's document says: required fields present and not empty, lengths, each
/// line and the totals adding up.
pub fn read_invoice(el: &Element, key: &str, dialect: Dialect) -> Result<SimInvoice, Problem> {
    let easy = dialect == Dialect::EasyInvoice;
    let (cus_name, cus_code, address) = if easy {
        for (tag, max) in [
            ("CusCode", 50),
            ("Buyer", 100),
            ("CusName", 400),
            ("CusAddress", 400),
            ("CusTaxCode", 14),
            ("CusPhone", 20),
            ("Email", 50),
            ("EmailCC", 255),
            ("CusEmails", 255),
            ("PaymentMethod", 50),
            ("CurrencyUnit", 3),
            ("Note", 500),
            ("TaxAuthorityCode", 23),
            ("LocationCode", 5),
            ("LocationName", 400),
            ("LocationAddress", 400),
            ("StoreCode", 50),
            ("StoreName", 400),
            ("CusBankName", 400),
            ("CusBankNo", 30),
            ("AmountInWords", 255),
            ("PassportNo", 20),
            ("CusIdentification", 12),
            ("AdjustReplaceReasonCode", 2),
        ] {
            at_most(el, tag, max)?;
        }
        let name = el.filled("CusName").or_else(|| el.filled("Buyer"));
        let Some(name) = name else { return Err(Problem::Missing("thiếu <Buyer> hoặc <CusName> (không được để trống cả hai)".into())) };
        if el.filled("CusTaxCode").is_some() {
            required(el, "CusName")?;
            required(el, "CusAddress")?;
        }
        required(el, "PaymentMethod")?;
        required(el, "CurrencyUnit")?;
        (name.to_string(), el.filled("CusCode").unwrap_or("").to_string(), el.filled("CusAddress").unwrap_or("").to_string())
    } else {
        let code = required(el, "CusCode")?;
        let name = required(el, "CusName")?;
        let address = required(el, "CusAddress")?;
        (name.to_string(), code.to_string(), address.to_string())
    };
    let arising_date = if easy { Some(required(el, "ArisingDate")?) } else { el.filled("ArisingDate") };
    if let Some(d) = arising_date
        && hoadon_rules::calendar::parse_date(d).is_none()
    {
        return Err(Problem::Missing(format!("<ArisingDate> «{d}» phải là dd/MM/yyyy")));
    }
    let products = el.child("Products").ok_or_else(|| Problem::Missing("thiếu thẻ <Products>".into()))?;
    let mut lines = Vec::new();
    let mut lines_carry_vat = false;
    for p in products.children_named("Product") {
        let name = required(p, "ProdName")?;
        if name.chars().count() > 500 {
            return Err(Problem::Missing("<ProdName> dài quá 500 ký tự".into()));
        }
        // EasyInvoice: Total before VAT, Amount after. VNPT: Amount is the line's amount.
        let (amount, vat_amount, feature) = if easy {
            let feature: u8 = required(p, "Feature")?.parse().map_err(|_| Problem::Missing("<Feature> phải là 1…5".into()))?;
            if !(1..=5).contains(&feature) {
                return Err(Problem::Missing("<Feature> phải là 1…5".into()));
            }
            let total = number(p, "Total")?;
            let vat = number(p, "VATAmount")?;
            let after = number(p, "Amount")?;
            if total + vat != after {
                return Err(Problem::Totals(format!("dòng «{name}»: Amount khác Total + VATAmount")));
            }
            lines_carry_vat = true;
            (total, vat, feature)
        } else {
            let amount = number(p, "Amount")?;
            let vat = optional_number(p, "VATAmount")?;
            lines_carry_vat |= vat.is_some();
            (amount, vat.unwrap_or(0), 1)
        };
        lines.push(SimLine {
            name: name.to_string(),
            unit: p.text_of("ProdUnit").unwrap_or("").to_string(),
            quantity: p.filled("ProdQuantity").unwrap_or("1").to_string(),
            price: optional_number(p, "ProdPrice")?.unwrap_or(amount),
            amount,
            vat_rate: p.filled("VATRate").or_else(|| el.filled("VATRate")).unwrap_or("-1").to_string(),
            vat_amount,
            feature,
        });
    }
    if lines.is_empty() {
        return Err(Problem::Missing("<Products> không có <Product> nào".into()));
    }
    if lines.len() > 400 {
        return Err(Problem::Missing("quá 400 <Product> trong một hóa đơn".into()));
    }
    let total = number(el, "Total")?;
    required(el, "VATRate")?;
    let vat_amount = number(el, "VATAmount")?;
    let amount = number(el, "Amount")?;
    let amount_in_words = required(el, "AmountInWords")?;
    if easy && lines.iter().all(|l| l.feature == 3) {
        return Err(Problem::Totals("hóa đơn chỉ có dòng chiết khấu thương mại (Feature 3)".into()));
    }
    if amount < 0 {
        return Err(Problem::Totals("tổng tiền thanh toán (Amount) âm".into()));
    }
    // A trade-discount row (Feature 3) lowers the total; notes (4) carry no money.
    let signed = |l: &SimLine, v: i64| if easy && l.feature == 3 { -v.abs() } else { v };
    if lines.iter().map(|l| signed(l, l.amount)).sum::<i64>() != total {
        return Err(Problem::Totals("Total khác tổng các dòng".into()));
    }
    if lines_carry_vat && lines.iter().map(|l| signed(l, l.vat_amount)).sum::<i64>() != vat_amount {
        return Err(Problem::Totals("VATAmount khác tổng thuế các dòng".into()));
    }
    if total + vat_amount != amount {
        return Err(Problem::Totals("Amount khác Total + VATAmount".into()));
    }
    let (email, email_cc, cus_emails) = if easy {
        let list = el.filled("CusEmails").unwrap_or("");
        let first = list.split(',').map(str::trim).find(|e| !e.is_empty()).unwrap_or("");
        let single = el.filled("Email").unwrap_or("");
        (if single.is_empty() { first } else { single }.to_string(), el.filled("EmailCC").unwrap_or("").to_string(), list.to_string())
    } else {
        (el.filled("CusEmail").unwrap_or("").to_string(), String::new(), String::new())
    };
    Ok(SimInvoice {
        key: key.to_string(),
        paid: el.text_of("PaymentStatus") == Some("1"),
        cus_code: if cus_code.is_empty() { key.to_string() } else { cus_code },
        cus_name,
        buyer: el.filled("Buyer").unwrap_or("").to_string(),
        tax_code: el.filled("CusTaxCode").unwrap_or("").to_string(),
        address,
        email,
        email_cc,
        cus_emails,
        phone: el.filled("CusPhone").unwrap_or("").to_string(),
        payment_method: el.filled("PaymentMethod").unwrap_or("TM/CK").to_string(),
        arising_date: arising_date.unwrap_or("").to_string(),
        currency: el.filled("CurrencyUnit").unwrap_or("VND").to_string(),
        lines,
        total,
        vat_amount,
        amount,
        amount_in_words: amount_in_words.to_string(),
        tax_authority_code: if easy { el.filled("TaxAuthorityCode").map(str::to_string) } else { el.filled("MCCQT").map(str::to_string) },
        location_code: el.filled("LocationCode").unwrap_or("").to_string(),
        adjust_type: el.filled("Type").and_then(|t| t.parse().ok()),
        ..Default::default()
    })
}

/// Today in Asia/Ho_Chi_Minh (UTC+7), `dd/MM/yyyy`.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7));
    format!("{:02}/{:02}/{:04}", now.day(), u8::from(now.month()), now.year())
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
        payment: None,
    }
}

/// The PDF of an invoice, rendered by `hoadon-pdf`.
pub fn pdf(seller: &Seller, inv: &SimInvoice, cancelled: bool) -> Result<Vec<u8>, String> {
    hoadon_pdf::render_invoice(&printed(seller, inv, cancelled)).map_err(|e| e.to_string())
}
