//! Reading a createInvoice body: Jackson-like field readers (a number may come as text, an
//! object where a value belongs is refused) and the checks of facts section 3.

use serde_json::Value;

use super::{bad, check_tax_code, refuse, ViettelConfig};
use crate::invoice::{SimInvoice, SimLine};
use crate::Reply;

/// A value in Jackson's manner: a string, number or boolean reads as text; an object or
/// array where a scalar belongs is refused; null and absent are the same.
pub(super) fn text(obj: &Value, field: &str) -> Result<Option<String>, Reply> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(bad(format!("Trường {field} phải là một giá trị, không phải đối tượng hay danh sách"))),
    }
}

pub(super) fn required_text(obj: &Value, field: &str) -> Result<String, Reply> {
    match text(obj, field)? {
        Some(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        _ => Err(bad(format!("Thiếu trường bắt buộc {field}"))),
    }
}

pub(super) fn number(obj: &Value, field: &str) -> Result<Option<f64>, Reply> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()).map(Some).ok_or_else(|| bad(format!("Trường {field} «{s}» không phải là số"))),
        Some(_) => Err(bad(format!("Trường {field} phải là số"))),
    }
}

pub(super) fn required_number(obj: &Value, field: &str) -> Result<f64, Reply> {
    number(obj, field)?.ok_or_else(|| bad(format!("Thiếu trường bắt buộc {field}")))
}

/// Epoch milliseconds, a whole number (or its text).
pub(super) fn millis(obj: &Value, field: &str) -> Result<Option<i64>, Reply> {
    match number(obj, field)? {
        None => Ok(None),
        Some(f) if f.fract() == 0.0 && f >= 0.0 => Ok(Some(f as i64)),
        Some(f) => Err(bad(format!("Trường {field} «{f}» phải là số mili giây nguyên"))),
    }
}

pub(super) fn boolean(obj: &Value, field: &str) -> Result<Option<bool>, Reply> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" || s == "1" => Ok(Some(true)),
        Some(Value::String(s)) if s == "false" || s == "0" => Ok(Some(false)),
        Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(Some(true)),
        Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(Some(false)),
        Some(_) => Err(bad(format!("Trường {field} phải là true hoặc false"))),
    }
}

pub(super) fn object<'a>(obj: &'a Value, field: &str) -> Result<&'a Value, Reply> {
    match obj.get(field) {
        Some(v @ Value::Object(_)) => Ok(v),
        None | Some(Value::Null) => Err(bad(format!("Thiếu khối bắt buộc {field}"))),
        Some(_) => Err(bad(format!("{field} phải là một đối tượng JSON"))),
    }
}


/// A line as read from `itemInfo`, with its sign in the totals.
pub(super) struct Line {
    line: SimLine,
    base: f64,
    tax: f64,
    negative: bool,
}

/// What an `adjustmentType` asks for.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Adjustment {
    Original,
    /// 3 or 5, with adjustmentInvoiceType (5 only), the original's number, template and day.
    Change { kind: u8, invoice_type: Option<u8>, original_no: String, original_template: String, original_date: i64 },
}

/// A createInvoice body that passed the checks that need no ledger.
pub(super) struct Parsed {
    pub(super) inv: SimInvoice,
    pub(super) issued_ms: Option<i64>,
    pub(super) adjustment: Adjustment,
}


/// Reads and checks a createInvoice body (facts section 3).
pub(super) fn read(config: &ViettelConfig, body: &Value) -> Result<Parsed, Reply> {
    let general = object(body, "generalInvoiceInfo")?;
    let buyer = object(body, "buyerInfo")?;
    let key = required_text(general, "transactionUuid")?;
    if key.chars().count() > 100 {
        return Err(bad("transactionUuid dài quá 100 ký tự"));
    }
    let template = required_text(general, "templateCode")?;
    let series = required_text(general, "invoiceSeries")?;
    if !config.templates.iter().any(|(t, s)| *t == template && *s == series) {
        return Err(refuse("INVOICE_SERIAL_NOT_FOUND", format!("Không tìm thấy ký hiệu {series} của mẫu {template} trên tài khoản")));
    }
    if let Some(kind) = text(general, "invoiceType")?.filter(|t| !t.is_empty())
        && !template.starts_with(&format!("{kind}/"))
    {
        return Err(refuse("INVOICE_SERIAL_NOT_FOUND", format!("Loại hóa đơn {kind} không khớp mẫu {template}")));
    }
    let issued_ms = millis(general, "invoiceIssuedDate")?;
    let currency = required_text(general, "currencyCode")?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad(format!("currencyCode «{currency}» phải là mã tiền tệ 3 chữ in hoa")));
    }
    let vnd = currency == "VND";
    if !vnd && number(general, "exchangeRate")?.is_none_or(|r| r <= 0.0) {
        return Err(bad("Hóa đơn ngoại tệ phải có exchangeRate lớn hơn 0"));
    }
    let paid = boolean(general, "paymentStatus")?.unwrap_or(false);
    boolean(general, "cusGetInvoiceRight")?;
    let adjustment = match required_text(general, "adjustmentType")?.as_str() {
        "1" => Adjustment::Original,
        k @ ("3" | "5") => {
            let kind: u8 = k.parse().unwrap_or(3);
            let invoice_type = match text(general, "adjustmentInvoiceType")?.as_deref().map(str::trim) {
                None | Some("") if kind == 3 => None,
                None | Some("") => return Err(bad("Hóa đơn điều chỉnh phải có adjustmentInvoiceType 1 (tiền) hoặc 2 (thông tin)")),
                Some("1") => Some(1),
                Some("2") => Some(2),
                Some(t) => return Err(bad(format!("adjustmentInvoiceType «{t}» phải là 1 hoặc 2"))),
            };
            let original_no = required_text(general, "originalInvoiceId")?;
            let original_template = required_text(general, "originalTemplateCode")?;
            let original_date = millis(general, "originalInvoiceIssueDate")?.filter(|m| *m > 0).ok_or_else(|| bad("Thiếu trường bắt buộc originalInvoiceIssueDate"))?;
            required_text(general, "additionalReferenceDesc")?;
            millis(general, "additionalReferenceDate")?.filter(|m| *m > 0).ok_or_else(|| bad("Thiếu trường bắt buộc additionalReferenceDate"))?;
            Adjustment::Change { kind, invoice_type, original_no, original_template, original_date }
        }
        t => return Err(bad(format!("adjustmentType «{t}» phải là 1, 3 hoặc 5"))),
    };
    let buyer_name = text(buyer, "buyerName")?.unwrap_or_default();
    let legal_name = text(buyer, "buyerLegalName")?.unwrap_or_default();
    if buyer_name.trim().is_empty() && legal_name.trim().is_empty() {
        return Err(bad("Phải có buyerName hoặc buyerLegalName"));
    }
    let buyer_tax = text(buyer, "buyerTaxCode")?.unwrap_or_default();
    if !buyer_tax.trim().is_empty() && hoadon_rules::TaxCode::parse(buyer_tax.trim()).is_err() {
        return Err(bad(format!("Mã số thuế người mua «{buyer_tax}» không hợp lệ")));
    }
    let phone = text(buyer, "buyerPhoneNumber")?.unwrap_or_default();
    if !phone.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("Số điện thoại người mua «{phone}» chỉ được gồm chữ số")));
    }
    if let Some(seller) = body.get("sellerInfo").filter(|v| !v.is_null()) {
        if !seller.is_object() {
            return Err(bad("sellerInfo phải là một đối tượng JSON"));
        }
        if let Some(t) = text(seller, "sellerTaxCode")?.filter(|t| !t.trim().is_empty()) {
            check_tax_code(config, &t)?;
        }
    }
    let payment_method = match body.get("payments") {
        None | Some(Value::Null) => String::new(),
        Some(Value::Array(list)) => match list.first() {
            Some(p @ Value::Object(_)) => text(p, "paymentMethodName")?.unwrap_or_default(),
            Some(_) => return Err(bad("payments phải là danh sách đối tượng")),
            None => String::new(),
        },
        Some(_) => return Err(bad("payments phải là một danh sách")),
    };
    let items = match body.get("itemInfo") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) | None | Some(Value::Null) => return Err(bad("itemInfo phải có ít nhất một dòng hàng")),
        Some(_) => return Err(bad("itemInfo phải là một danh sách")),
    };
    let tolerance = if vnd { 1.0 } else { 0.01 + 1e-9 };
    let mut lines = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            return Err(bad(format!("itemInfo[{i}] phải là một đối tượng")));
        }
        lines.push(read_line(item, i, tolerance, matches!(adjustment, Adjustment::Change { kind: 5, .. }))?);
    }
    let without: f64 = lines.iter().map(|l| if l.negative { -l.base } else { l.base }).sum();
    let tax: f64 = lines.iter().map(|l| if l.negative { -l.tax } else { l.tax }).sum();
    let with = without + tax;
    if with < -1e-9 && !matches!(adjustment, Adjustment::Change { kind: 5, .. }) {
        return Err(bad("Tổng tiền thanh toán của hóa đơn không được âm"));
    }
    let (total, vat_amount, amount) = (without.round() as i64, tax.round() as i64, with.round() as i64);
    let amount_in_words = if vnd {
        hoadon_rules::words::amount_in_words(hoadon_rules::Dong(amount.abs()), Default::default()).unwrap_or_default()
    } else {
        String::new()
    };
    let inv = SimInvoice {
        key,
        pattern: template,
        serial: series,
        paid,
        cus_code: text(buyer, "buyerCode")?.unwrap_or_default(),
        cus_name: if legal_name.trim().is_empty() { buyer_name.clone() } else { legal_name },
        buyer: buyer_name,
        tax_code: buyer_tax.trim().to_string(),
        address: text(buyer, "buyerAddressLine")?.unwrap_or_default(),
        email: text(buyer, "buyerEmail")?.unwrap_or_default(),
        phone,
        payment_method,
        currency,
        lines: lines.into_iter().map(|l| l.line).collect(),
        total,
        vat_amount,
        amount,
        amount_in_words,
        ..Default::default()
    };
    Ok(Parsed { inv, issued_ms, adjustment })
}


/// One `itemInfo` row, checked: figures add up within the currency's rounding.
fn read_line(item: &Value, i: usize, tolerance: f64, adjusting: bool) -> Result<Line, Reply> {
    let selection = match number(item, "selection")? {
        None => 1,
        Some(s) if s == 1.0 || s == 2.0 || s == 3.0 => s as u8,
        Some(s) => return Err(bad(format!("itemInfo[{i}].selection «{s}» phải là 1 (hàng hóa), 2 (ghi chú) hoặc 3 (chiết khấu)"))),
    };
    let name = required_text(item, "itemName")?;
    if name.chars().count() > 500 {
        return Err(bad(format!("itemInfo[{i}].itemName dài quá 500 ký tự")));
    }
    if selection == 2 {
        let line = SimLine { name, quantity: "0".into(), vat_rate: "KCT".into(), feature: 4, ..Default::default() };
        return Ok(Line { line, base: 0.0, tax: 0.0, negative: false });
    }
    let close = |a: f64, b: f64| (a - b).abs() <= tolerance;
    let rate = match required_number(item, "taxPercentage")? {
        r if [0.0, 5.0, 8.0, 10.0, -1.0, -2.0].contains(&r) => r,
        r => return Err(bad(format!("itemInfo[{i}].taxPercentage «{r}» phải là 0, 5, 8, 10, -1 hoặc -2"))),
    };
    let price = number(item, "unitPrice")?;
    let quantity = number(item, "quantity")?;
    let without = required_number(item, "itemTotalAmountWithoutTax")?;
    let tax = required_number(item, "taxAmount")?;
    if without < 0.0 || tax < 0.0 {
        return Err(bad(format!("itemInfo[{i}]: số tiền không được âm (dùng selection 3 hoặc isIncreaseItem false để giảm)")));
    }
    if price.is_some_and(|p| p < 0.0) && !adjusting {
        return Err(bad(format!("itemInfo[{i}].unitPrice không được âm")));
    }
    if let (Some(p), Some(q)) = (price, quantity)
        && !close(p.abs() * q, without)
    {
        return Err(bad(format!("itemInfo[{i}]: itemTotalAmountWithoutTax {without} khác unitPrice × quantity ({})", p.abs() * q)));
    }
    let mut base = without;
    if let Some(d) = number(item, "discount")?.filter(|d| *d != 0.0) {
        if !(0.0..=100.0).contains(&d) {
            return Err(bad(format!("itemInfo[{i}].discount «{d}» phải từ 0 đến 100 (%)")));
        }
        base = without * (1.0 - d / 100.0);
    }
    if let Some(after) = number(item, "itemTotalAmountAfterDiscount")? {
        if !close(after, base) {
            return Err(bad(format!("itemInfo[{i}]: itemTotalAmountAfterDiscount {after} khác số tiền sau chiết khấu ({base})")));
        }
        base = after;
    }
    let expected_tax = if rate > 0.0 { base * rate / 100.0 } else { 0.0 };
    if !close(tax, expected_tax) {
        return Err(bad(format!("itemInfo[{i}]: taxAmount {tax} khác {rate}% của {base}")));
    }
    if let Some(with) = number(item, "itemTotalAmountWithTax")?
        && !close(with, base + tax)
    {
        return Err(bad(format!("itemInfo[{i}]: itemTotalAmountWithTax {with} khác tiền trước thuế cộng thuế ({})", base + tax)));
    }
    let negative = selection == 3 || boolean(item, "isIncreaseItem")? == Some(false);
    let vat_rate = match rate as i64 {
        -2 => "KCT".to_string(),
        -1 => "KKKNT".to_string(),
        r => r.to_string(),
    };
    let line = SimLine {
        name,
        unit: text(item, "unitName")?.unwrap_or_default(),
        quantity: quantity.map(|q| q.to_string()).unwrap_or_else(|| "1".into()),
        price: price.map(|p| p.abs().round() as i64).unwrap_or(base.round() as i64),
        amount: if negative { -(base.round() as i64) } else { base.round() as i64 },
        vat_rate,
        vat_amount: if negative { -(tax.round() as i64) } else { tax.round() as i64 },
        feature: if selection == 3 { 3 } else { 1 },
    };
    Ok(Line { line, base, tax, negative })
}

