//! The invoice as the shop means it, before any provider's wire format.
//!
//! A draft is built once from a sale and then handed unchanged to whichever provider the shop
//! uses: totals, VAT per line and the amount in words are computed here with `hoadon-rules`, so
//! the numbers a provider receives are the numbers the app printed and stored.

use std::fmt;

use hoadon_rules::symbol::InvoiceSymbol;
use hoadon_rules::vat::TaxedLine;
use hoadon_rules::words::{amount_in_words, ZeroTens};
use hoadon_rules::{Dong, Quantity, TaxCode, VatRate, VatTotals};
use thiserror::Error;
use time::Date;

/// EasyInvoice accepts at most 400 lines on one invoice; VNPT documents no limit, so the
/// smaller one holds for both and a draft valid here is valid everywhere.
pub const MAX_LINES: usize = 400;

/// Longest key accepted. Providers store the key in a short column; 50 characters is what
/// both accept in practice, and a key the app generates is far shorter.
pub const MAX_KEY_LEN: usize = 50;

/// The key that binds one sale to one invoice at the provider (EasyInvoice `Ikey`, VNPT
/// `fkey`). The app stores it *before* sending, so that after a lost answer it can ask the
/// provider "what happened to this key?" instead of issuing again.
///
/// Only ASCII letters, digits and `-`: VNPT uses `_`, `,` and `;` as separators in its
/// answers and in `lstFkey`, and the XML and JSON carriers never need escaping this way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceKey(String);

impl InvoiceKey {
    /// Checks the key: 1 to [`MAX_KEY_LEN`] ASCII letters, digits and `-`.
    pub fn new(key: impl Into<String>) -> Result<InvoiceKey, DraftError> {
        let key = key.into();
        if key.is_empty() || key.len() > MAX_KEY_LEN {
            return Err(DraftError::BadKey(key));
        }
        if !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(DraftError::BadKey(key));
        }
        Ok(InvoiceKey(key))
    }

    /// The key as sent to the provider.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InvoiceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for InvoiceKey {
    type Err = DraftError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InvoiceKey::new(s)
    }
}

/// Why a draft (or a batch of drafts) cannot be sent: found here, before anything goes out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DraftError {
    /// The key is empty, too long, or has characters other than ASCII letters, digits and `-`.
    #[error("mã hóa đơn «{0}» không hợp lệ: chỉ được dùng chữ cái không dấu, chữ số và dấu gạch ngang, tối đa 50 ký tự")]
    BadKey(String),
    /// The invoice has no line.
    #[error("hóa đơn phải có ít nhất một dòng hàng")]
    NoLines,
    /// More lines than [`MAX_LINES`].
    #[error("hóa đơn có {0} dòng hàng, nhiều hơn giới hạn 400 dòng của nhà cung cấp: hãy tách thành nhiều hóa đơn")]
    TooManyLines(usize),
    /// A line's amount is not quantity × unit price.
    #[error("dòng {line}: thành tiền {stated} khác số lượng × đơn giá = {computed}")]
    LineAmount {
        /// The line, counted from 1.
        line: usize,
        /// The amount the line carries.
        stated: Dong,
        /// Quantity × unit price.
        computed: Dong,
    },
    /// A line's VAT is not its amount at its rate.
    #[error("dòng {line}: tiền thuế {stated} khác thuế tính theo thuế suất = {computed}")]
    LineVat {
        /// The line, counted from 1.
        line: usize,
        /// The VAT the line carries.
        stated: Dong,
        /// The VAT its rate gives.
        computed: Dong,
    },
    /// A line has no product name.
    #[error("dòng {line}: tên hàng hóa, dịch vụ không được để trống")]
    EmptyName {
        /// The line, counted from 1.
        line: usize,
    },
    /// The totals do not add up from the lines.
    #[error("tổng tiền trên hóa đơn không khớp với các dòng hàng: hãy lập lại hóa đơn từ đơn hàng")]
    TotalsMismatch,
    /// The total to pay is negative.
    #[error("tổng tiền thanh toán không được âm ({0})")]
    NegativeTotal(Dong),
    /// An amount overflows what the money type holds.
    #[error("số tiền quá lớn: {0}")]
    Money(String),
    /// The buyer's tax code is not a valid MST.
    #[error("mã số thuế người mua không hợp lệ: {0}")]
    BuyerTaxCode(String),
    /// Neither a company name nor a buyer name is given.
    #[error("tên đơn vị hoặc người mua không được để trống")]
    NoBuyerName,
    /// The template and symbol do not form a valid invoice symbol.
    #[error("mẫu số «{template}» và ký hiệu «{serial}» không hợp lệ: {reason}")]
    BadSymbol {
        /// The template (mẫu số) given.
        template: String,
        /// The symbol (ký hiệu) given.
        serial: String,
        /// Why it is not valid, in Vietnamese.
        reason: String,
    },
    /// No payment method (`TM/CK`, …) given.
    #[error("hình thức thanh toán không được để trống (ví dụ TM/CK)")]
    NoPaymentMethod,
    /// The invoices of one batch do not all have the same template and symbol.
    #[error("các hóa đơn gửi cùng một lần phải cùng mẫu số và ký hiệu")]
    MixedSymbols,
    /// More invoices in one batch than the provider takes per request.
    #[error("lô có {count} hóa đơn, nhiều hơn giới hạn {max} hóa đơn mỗi lần gửi của nhà cung cấp")]
    BatchTooLarge {
        /// Invoices in the batch.
        count: usize,
        /// The provider's limit per request.
        max: usize,
    },
    /// The same key twice in one batch.
    #[error("mã hóa đơn {0} xuất hiện hai lần trong cùng một lô")]
    DuplicateInBatch(String),
    /// A batch with no invoice.
    #[error("lô hóa đơn trống")]
    EmptyBatch,
    /// A text is longer than the provider's column.
    #[error("{what} dài {len} ký tự, nhà cung cấp chỉ nhận tối đa {max} ký tự")]
    TooLong {
        /// The form field to correct (`customer.address`, `lines.2.name`).
        field: &'static str,
        /// The field's name for the owner, in Vietnamese.
        what: &'static str,
        /// Its length, in characters.
        len: usize,
        /// The most characters the provider takes.
        max: usize,
    },
    /// A text holds a control character (line break, tab, …) the provider does not take.
    #[error("{what} có ký tự điều khiển (xuống dòng, tab hay ký tự lạ dán từ nơi khác) mà nhà cung cấp không nhận: hãy gõ lại")]
    ControlCharacter {
        /// The form field to correct.
        field: &'static str,
        /// The field's name for the owner, in Vietnamese.
        what: &'static str,
    },
    /// A buyer detail the provider requires is empty (VNPT: the address of a named buyer).
    #[error("{what} còn trống: {provider} bắt buộc có thông tin này trên hóa đơn. Hãy nhập {what_lower} trong Khách hàng rồi xuất lại")]
    MissingBuyerField {
        /// The form field to fill (`customer.address`).
        field: &'static str,
        /// The field's name for the owner, capitalised.
        what: &'static str,
        /// The same name in lower case, for mid-sentence.
        what_lower: &'static str,
        /// The provider's name, as shown.
        provider: &'static str,
    },
    /// Something the draft carries that the provider's API has no field for: sending without
    /// it would issue a different invoice than the one the shop made.
    #[error("{provider} không có trường nào để nhận {what} qua kết nối phần mềm, nên hóa đơn này không gửi được qua {provider}")]
    NotOffered {
        /// The form field that carries it.
        field: &'static str,
        /// What it is, for the owner, in Vietnamese.
        what: &'static str,
        /// The provider's name, as shown.
        provider: &'static str,
    },
    /// An input of the owner that the provider requires, left empty.
    #[error("{what} còn trống: {provider} bắt buộc phải có")]
    MissingField {
        /// The form field to fill.
        field: &'static str,
        /// What it is, for the owner, in Vietnamese.
        what: &'static str,
        /// The provider's name, as shown.
        provider: &'static str,
    },
}

impl DraftError {
    /// The field of the form the owner must correct: `customer.address`, `lines.2.name`,
    /// or `lines` when the problem is the invoice as a whole.
    pub fn field(&self) -> String {
        match self {
            DraftError::TooLong { field, .. }
            | DraftError::ControlCharacter { field, .. }
            | DraftError::MissingBuyerField { field, .. }
            | DraftError::NotOffered { field, .. }
            | DraftError::MissingField { field, .. } => {
                field.to_string()
            }
            DraftError::NoBuyerName => "customer.name".into(),
            DraftError::BuyerTaxCode(_) => "customer.tax_code".into(),
            DraftError::EmptyName { line } => format!("lines.{}.name", line - 1),
            DraftError::BadSymbol { .. } => "serial".into(),
            _ => "lines".into(),
        }
    }
}

/// Refuses text that XML 1.0 cannot carry or that a provider stores in a short column.
pub(crate) fn check_text(text: &str, field: &'static str, what: &'static str, max: usize) -> Result<(), DraftError> {
    if text.chars().any(|c| c.is_control()) {
        return Err(DraftError::ControlCharacter { field, what });
    }
    let len = text.chars().count();
    if len > max {
        return Err(DraftError::TooLong { field, what, len, max });
    }
    Ok(())
}

/// The buyer's own fields, checked against one provider's column sizes.
pub(crate) struct BuyerLimits {
    pub name: usize,
    pub buyer_name: usize,
    pub address: usize,
    pub phone: usize,
    pub email: usize,
}

pub(crate) fn check_buyer(buyer: &Buyer, limits: &BuyerLimits) -> Result<(), DraftError> {
    check_text(&buyer.name, "customer.name", "Tên đơn vị / người mua", limits.name)?;
    // A person's own name is the buyer's name: the owner typed it in the customer's name box.
    let person = buyer.name.trim().is_empty();
    let field = if person { "customer.name" } else { "customer.buyer_name" };
    check_text(&buyer.buyer_name, field, "Họ tên người mua hàng", limits.buyer_name)?;
    check_text(&buyer.address, "customer.address", "Địa chỉ người mua", limits.address)?;
    check_text(&buyer.phone, "customer.phone", "Số điện thoại người mua", limits.phone)?;
    check_text(&buyer.email, "customer.email", "E-mail người mua", limits.email)?;
    Ok(())
}

/// Longest product name either provider takes (EasyInvoice `ProdName`, 500).
pub const MAX_PRODUCT_NAME: usize = 500;

/// The buyer as printed on the invoice. Empty strings mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buyer {
    /// Tên đơn vị: the business; empty for a person, who is no unit.
    pub name: String,
    /// Họ tên người mua hàng: the person who bought (a person buyer's own name, or the one
    /// who buys for a business).
    pub buyer_name: String,
    /// Mã số thuế of a company buyer; `None` for a consumer.
    pub tax_code: Option<String>,
    /// The buyer's address as printed.
    pub address: String,
    /// Where the provider e-mails the invoice.
    pub email: String,
    /// The buyer's phone number.
    pub phone: String,
    /// A walk-in buyer (khách lẻ) with no customer record: a consumer who gave no details.
    pub walk_in: bool,
}

impl Buyer {
    /// The buyer of a sale without a customer.
    pub fn walk_in() -> Buyer {
        Buyer { name: WALK_IN_NAME.into(), walk_in: true, ..Default::default() }
    }
}

/// What the invoice names a walk-in buyer.
pub const WALK_IN_NAME: &str = "Khách lẻ";

/// One line of goods or services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The name of the goods or service as printed.
    pub name: String,
    /// The unit (cái, kg, …); may be empty.
    pub unit: String,
    /// How many, possibly fractional.
    pub quantity: Quantity,
    /// Price of one unit before VAT, in đồng.
    pub unit_price: Dong,
    /// Quantity × unit price, before VAT.
    pub amount: Dong,
    /// The VAT rate of the line.
    pub vat_rate: VatRate,
    /// VAT of this line, rounded to the đồng: providers want it per line.
    pub vat_amount: Dong,
}

impl Line {
    /// A line with its amount and VAT computed by the shop's rules.
    pub fn new(
        name: impl Into<String>,
        unit: impl Into<String>,
        quantity: Quantity,
        unit_price: Dong,
        vat_rate: VatRate,
    ) -> Result<Line, DraftError> {
        let amount = quantity.times(unit_price).map_err(|e| DraftError::Money(e.to_string()))?;
        Ok(Line {
            name: name.into(),
            unit: unit.into(),
            quantity,
            unit_price,
            amount,
            vat_rate,
            vat_amount: vat_rate.vat_on(amount),
        })
    }
}

/// How an adjusting invoice changes the original (VNPT `Type`; EasyInvoice the same codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustKind {
    /// 2: điều chỉnh tăng.
    Increase,
    /// 3: điều chỉnh giảm.
    Decrease,
    /// 4: điều chỉnh thông tin (no money changes).
    Information,
}

impl AdjustKind {
    /// The provider's code: 2 increase, 3 decrease, 4 information.
    pub fn code(self) -> u8 {
        match self {
            AdjustKind::Increase => 2,
            AdjustKind::Decrease => 3,
            AdjustKind::Information => 4,
        }
    }
}

/// A provider-neutral invoice, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    /// The key that binds this sale to this invoice at the provider; stored before sending.
    pub key: InvoiceKey,
    /// Mẫu số as the provider knows it: `"1"` (EasyInvoice) or `"1/001"` (VNPT); its first
    /// digit is the template of the symbol.
    pub template: String,
    /// Ký hiệu without the template digit, e.g. `"C26TAA"`.
    pub serial: String,
    /// The invoice date (ngày lập).
    pub issue_date: Date,
    /// Who the invoice is for.
    pub buyer: Buyer,
    /// The goods and services, in the printed order.
    pub lines: Vec<Line>,
    /// Totals per VAT rate and overall, computed from the lines.
    pub totals: VatTotals,
    /// The total to pay in Vietnamese words, as printed.
    pub amount_in_words: String,
    /// `TM/CK`, `TM`, `CK`, …
    pub payment_method: String,
    /// The code the app assigned for an invoice from a cash register (`M1-26-…`), if any.
    pub tax_authority_code: Option<String>,
    /// Where a household or individual business sells (EasyInvoice `LocationCode`,
    /// `LocationName`, `LocationAddress`, required for them by document v8, VI.1).
    pub seller_location: Option<SellerLocation>,
}

/// A household business's place of business, as its invoices name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerLocation {
    /// At most 5 characters.
    pub code: String,
    /// The place's name.
    pub name: String,
    /// The place's address.
    pub address: String,
}

impl InvoiceDraft {
    /// Builds a draft from a sale: totals per rate and the amount in words are computed here,
    /// and the result is validated.
    pub fn new(
        key: InvoiceKey,
        symbol: &InvoiceSymbol,
        issue_date: Date,
        buyer: Buyer,
        lines: Vec<Line>,
        payment_method: impl Into<String>,
        zero_tens: ZeroTens,
    ) -> Result<InvoiceDraft, DraftError> {
        let totals = totals_of(&lines)?;
        if totals.total.0 < 0 {
            return Err(DraftError::NegativeTotal(totals.total));
        }
        let amount_in_words =
            amount_in_words(totals.total, zero_tens).map_err(|e| DraftError::Money(e.to_string()))?;
        let draft = InvoiceDraft {
            key,
            template: symbol.template.digit().to_string(),
            serial: symbol.serial.clone(),
            issue_date,
            buyer,
            lines,
            totals,
            amount_in_words,
            payment_method: payment_method.into(),
            tax_authority_code: None,
            seller_location: None,
        };
        draft.validate()?;
        Ok(draft)
    }

    /// The provider's pattern (mẫu số) as the row stores it, e.g. VNPT's `1/001`, in place of
    /// the bare template digit of the symbol.
    pub fn with_pattern(mut self, pattern: impl Into<String>) -> InvoiceDraft {
        self.template = pattern.into();
        self
    }

    /// Names the household business's place of business on the invoice.
    pub fn with_seller_location(mut self, location: SellerLocation) -> InvoiceDraft {
        self.seller_location = Some(location);
        self
    }

    /// Makes it a cash-register invoice with this tax-authority code (`M1-26-…`).
    pub fn with_tax_authority_code(mut self, code: impl Into<String>) -> InvoiceDraft {
        self.tax_authority_code = Some(code.into());
        self
    }

    /// Checks what a provider would refuse, before anything is sent: a refusal found here
    /// costs nothing, one found by the provider costs a round trip and a confused shop owner.
    pub fn validate(&self) -> Result<(), DraftError> {
        InvoiceKey::new(self.key.as_str())?;
        InvoiceSymbol::parse(&self.template, &self.serial).map_err(|e| DraftError::BadSymbol {
            template: self.template.clone(),
            serial: self.serial.clone(),
            reason: e.to_string(),
        })?;
        if self.lines.is_empty() {
            return Err(DraftError::NoLines);
        }
        if self.lines.len() > MAX_LINES {
            return Err(DraftError::TooManyLines(self.lines.len()));
        }
        if self.buyer.name.trim().is_empty() && self.buyer.buyer_name.trim().is_empty() {
            return Err(DraftError::NoBuyerName);
        }
        if let Some(code) = &self.buyer.tax_code {
            TaxCode::parse(code).map_err(|e| DraftError::BuyerTaxCode(e.to_string()))?;
        }
        if self.payment_method.trim().is_empty() {
            return Err(DraftError::NoPaymentMethod);
        }
        for (i, line) in self.lines.iter().enumerate() {
            let n = i + 1;
            if line.name.trim().is_empty() {
                return Err(DraftError::EmptyName { line: n });
            }
            if line.name.chars().any(char::is_control) {
                return Err(DraftError::ControlCharacter { field: "lines", what: "Tên hàng hóa, dịch vụ" });
            }
            if line.name.chars().count() > MAX_PRODUCT_NAME {
                return Err(DraftError::TooLong { field: "lines", what: "Tên hàng hóa, dịch vụ", len: line.name.chars().count(), max: MAX_PRODUCT_NAME });
            }
            let computed =
                line.quantity.times(line.unit_price).map_err(|e| DraftError::Money(e.to_string()))?;
            if computed != line.amount {
                return Err(DraftError::LineAmount { line: n, stated: line.amount, computed });
            }
            let vat = line.vat_rate.vat_on(line.amount);
            if vat != line.vat_amount {
                return Err(DraftError::LineVat { line: n, stated: line.vat_amount, computed: vat });
            }
        }
        if totals_of(&self.lines)? != self.totals {
            return Err(DraftError::TotalsMismatch);
        }
        if self.totals.total.0 < 0 {
            return Err(DraftError::NegativeTotal(self.totals.total));
        }
        if self.amount_in_words.trim().is_empty() {
            return Err(DraftError::TotalsMismatch);
        }
        Ok(())
    }

    /// The single VAT rate of the invoice, when all lines share one.
    pub fn uniform_rate(&self) -> Option<VatRate> {
        match self.totals.by_rate.as_slice() {
            [only] => Some(only.rate),
            _ => None,
        }
    }
}

fn totals_of(lines: &[Line]) -> Result<VatTotals, DraftError> {
    VatTotals::of(lines.iter().map(|l| TaxedLine { amount: l.amount, rate: l.vat_rate }))
        .map_err(|e| DraftError::Money(e.to_string()))
}

/// Checks a batch before it is sent in one request: same symbol, no key twice, within the
/// provider's size limit.
pub(crate) fn check_batch(drafts: &[InvoiceDraft], max: usize) -> Result<(), DraftError> {
    let first = drafts.first().ok_or(DraftError::EmptyBatch)?;
    if drafts.len() > max {
        return Err(DraftError::BatchTooLarge { count: drafts.len(), max });
    }
    let mut seen = std::collections::HashSet::with_capacity(drafts.len());
    for d in drafts {
        d.validate()?;
        if d.template != first.template || d.serial != first.serial {
            return Err(DraftError::MixedSymbols);
        }
        if !seen.insert(d.key.as_str()) {
            return Err(DraftError::DuplicateInBatch(d.key.to_string()));
        }
    }
    Ok(())
}

/// The same limits for a batch named by keys only (signing drafts): not empty, not too
/// long, no key twice (the provider would answer the second as already signed).
pub(crate) fn check_keys(keys: &[InvoiceKey], max: usize) -> Result<(), DraftError> {
    if keys.is_empty() {
        return Err(DraftError::EmptyBatch);
    }
    if keys.len() > max {
        return Err(DraftError::BatchTooLarge { count: keys.len(), max });
    }
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    for k in keys {
        if !seen.insert(k.as_str()) {
            return Err(DraftError::DuplicateInBatch(k.to_string()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn symbol() -> InvoiceSymbol {
        InvoiceSymbol::parse("1", "C26TAA").unwrap()
    }

    #[test]
    fn keys_allow_letters_digits_and_dashes_only() {
        assert!(InvoiceKey::new("HD-2026-000123").is_ok());
        for bad in ["", "a_b", "a,b", "a;b", "có-dấu", "a b", &"x".repeat(51)] {
            assert!(InvoiceKey::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_draft_computes_totals_and_words() {
        let lines = vec![
            Line::new("Cà phê sữa", "ly", Quantity::whole(2), Dong(25_000), VatRate::Eight).unwrap(),
            Line::new("Bánh mì", "ổ", Quantity::whole(1), Dong(20_000), VatRate::Eight).unwrap(),
        ];
        let buyer = Buyer { name: "Khách lẻ".into(), ..Default::default() };
        let d = InvoiceDraft::new(
            InvoiceKey::new("K1").unwrap(),
            &symbol(),
            date!(2026 - 03 - 05),
            buyer,
            lines,
            "TM/CK",
            ZeroTens::Linh,
        )
        .unwrap();
        assert_eq!(d.totals.subtotal, Dong(70_000));
        assert_eq!(d.totals.vat, Dong(5_600));
        assert_eq!(d.totals.total, Dong(75_600));
        assert_eq!(d.amount_in_words, "Bảy mươi lăm nghìn sáu trăm đồng");
        assert_eq!(d.uniform_rate(), Some(VatRate::Eight));
    }

    #[test]
    fn a_tampered_draft_is_refused_before_sending() {
        let lines = vec![Line::new("A", "cái", Quantity::whole(1), Dong(1000), VatRate::Ten).unwrap()];
        let mut d = InvoiceDraft::new(
            InvoiceKey::new("K1").unwrap(),
            &symbol(),
            date!(2026 - 03 - 05),
            Buyer { name: "X".into(), ..Default::default() },
            lines,
            "TM",
            ZeroTens::Linh,
        )
        .unwrap();
        d.lines[0].vat_amount = Dong(99);
        assert!(matches!(d.validate(), Err(DraftError::LineVat { line: 1, .. })));
    }
}
