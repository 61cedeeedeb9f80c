//! Reading a createInvoice body: Jackson-like field readers (a number may come as text, an
//! object where a value belongs is refused) and the checks of facts section 3.

use serde_json::Value;

use super::wire::random;
use super::{bad, check_tax_code, refuse, ViettelConfig};
use crate::invoice::{SimInvoice, SimLine};
use crate::Reply;

/// A value in Jackson's manner: a string, number or boolean reads as text; an object or
/// array where a scalar belongs is refused (`BAD_REQUEST`, as an unreadable body); null and
/// absent are the same.
pub(super) fn text(obj: &Value, field: &str) -> Result<Option<String>, Reply> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(bad(format!("Trường {field} phải là một giá trị, không phải đối tượng hay danh sách"))),
    }
}

/// A text field that must be present and not blank (`@NotNull @NotBlank`), refused with `code`.
pub(super) fn required_text(obj: &Value, field: &str, code: &str) -> Result<String, Reply> {
    match text(obj, field)? {
        Some(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        _ => Err(refuse(code, format!("Thiếu trường bắt buộc {field}"))),
    }
}

/// `@Size(max)`: refused with `code` when longer than `max` characters.
pub(super) fn at_most(value: &str, field: &str, max: usize, code: &str) -> Result<(), Reply> {
    if value.chars().count() > max {
        return Err(refuse(code, format!("Trường {field} dài quá {max} ký tự")));
    }
    Ok(())
}

/// An optional text field of at most `max` characters; "" when absent.
fn limited(obj: &Value, field: &str, max: usize, code: &str) -> Result<String, Reply> {
    let t = text(obj, field)?.unwrap_or_default();
    at_most(&t, field, max, code)?;
    Ok(t)
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

/// `@Digits(integer, fraction)` on the number as written (a float's text has no trailing
/// zeros, so `1000.50` counts two decimals only when sent as text).
fn digits(obj: &Value, field: &str, integer: usize, fraction: usize, code: &str) -> Result<(), Reply> {
    let written = match obj.get(field) {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.trim().to_string(),
        _ => return Ok(()),
    };
    let unsigned = written.trim_start_matches('-');
    let (whole, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if unsigned.contains(['e', 'E']) || whole.trim_start_matches('0').len() > integer || frac.len() > fraction {
        return Err(refuse(code, format!("Trường {field} «{written}» quá {integer} chữ số nguyên hoặc {fraction} chữ số thập phân")));
    }
    Ok(())
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

/// An optional JSON object; `{}` stands in when absent.
fn block<'a>(obj: &'a Value, field: &str) -> Result<Option<&'a Value>, Reply> {
    match obj.get(field) {
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(bad(format!("{field} phải là một đối tượng JSON"))),
    }
}

/// `originalInvoiceIssueDate`: epoch milliseconds (number or text, as Odoo and Viettel's
/// sample send it) or `yyyy-MM-dd` (the sample DTO's comment), as milliseconds.
fn original_date(obj: &Value) -> Result<Option<i64>, Reply> {
    let invalid = |t: &str| refuse("BAD_REQUEST_ORIGIN_INVOICE_ISSUE_DATE_INVALID", format!("Ngày lập hóa đơn gốc «{t}» không hợp lệ"));
    let Some(t) = text(obj, "originalInvoiceIssueDate")?.filter(|t| !t.trim().is_empty()) else { return Ok(None) };
    let t = t.trim();
    at_most(t, "originalInvoiceIssueDate", 50, "BAD_REQUEST_ORIGIN_INVOICE_ISSUE_DATE_INVALID")?;
    if let Ok(ms) = t.parse::<i64>() {
        return Ok(Some(ms).filter(|m| *m > 0));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(t, &format).map_err(|_| invalid(t))?;
    let midnight = date.midnight().assume_offset(time::macros::offset!(+7));
    Ok(Some(midnight.unix_timestamp() * 1000))
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


/// Reads and checks a createInvoice body (facts section 3), with the `@NotNull`, `@Size`,
/// `@Pattern` and `@Digits` rules and `BAD_REQUEST_*` codes of the request classes in
/// Viettel's published sample client, then the simulator's own checks of the figures.
pub(super) fn read(config: &ViettelConfig, body: &Value) -> Result<Parsed, Reply> {
    let general = match body.get("generalInvoiceInfo") {
        Some(v @ Value::Object(_)) => v,
        None | Some(Value::Null) => return Err(refuse("BAD_REQUEST_GENERAL_INVOICE_INFO_REQUIRED", "Thiếu thông tin chung của hóa đơn (generalInvoiceInfo)")),
        Some(_) => return Err(bad("generalInvoiceInfo phải là một đối tượng JSON")),
    };
    let key = match text(general, "transactionUuid")?.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        Some(k) if !(10..=36).contains(&k.chars().count()) => {
            return Err(refuse("BAD_REQUEST_TRANSACTION_UUID_LENGTH_INVALID", format!("Mã giao dịch (transactionUuid) «{k}» phải dài 10–36 ký tự")));
        }
        Some(k) => k,
        // Viettel's DTO does not require it; the simulator names such an invoice itself.
        None => format!("sim-{}", random(32, b"0123456789abcdef")),
    };
    let template = required_text(general, "templateCode", "BAD_REQUEST_TEMPLATE_CODE_REQUIRED")?;
    at_most(&template, "templateCode", 20, "BAD_REQUEST_TEMPLATE_CODE_MAX_LENGTH")?;
    let series = required_text(general, "invoiceSeries", "BAD_REQUEST_INVOICE_SERIAL_REQUIRED")?;
    at_most(&series, "invoiceSeries", 9, "BAD_REQUEST_INVOICE_SERIAL_MAX_LENGTH")?;
    let currency = required_text(general, "currencyCode", "BAD_REQUEST_CURRENCY_CODE_REQUIRED")?;
    match currency.chars().count() {
        n if n < 3 => return Err(refuse("BAD_REQUEST_CURRENCY_CODE_MINLENGTH", format!("Mã tiền tệ «{currency}» phải có 3 ký tự"))),
        n if n > 3 => return Err(refuse("BAD_REQUEST_CURRENCY_CODE_MAXLENGTH", format!("Mã tiền tệ «{currency}» phải có 3 ký tự"))),
        _ if !currency.bytes().all(|b| b.is_ascii_uppercase()) => {
            return Err(refuse("BAD_REQUEST_CURRENCY_CODE_INVALID", format!("Mã tiền tệ «{currency}» phải là chữ in hoa")));
        }
        _ => {}
    }
    let adjustment_type = text(general, "adjustmentType")?.unwrap_or_default();
    let kind: u8 = match adjustment_type.trim() {
        "" | "1" => 1,
        "3" => 3,
        "5" => 5,
        t => {
            return Err(refuse(
                "BAD_REQUEST_ADJUSTMENT_TYPE_INVALID",
                format!("Loại hóa đơn (adjustmentType) «{t}» phải là 1 (gốc), 3 (thay thế) hoặc 5 (điều chỉnh)"),
            ));
        }
    };
    let invoice_type = match text(general, "adjustmentInvoiceType")?.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("1") => Some(1),
        Some("2") => Some(2),
        Some(t) => return Err(refuse("BAD_REQUEST_ADJUSTMENT_INVOICE_TYPE_INVALID", format!("adjustmentInvoiceType «{t}» phải là 1 (tiền) hoặc 2 (thông tin)"))),
    };
    let original_no = text(general, "originalInvoiceId")?.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if let Some(no) = &original_no {
        if no.chars().count() > 17 {
            return Err(refuse("BAD_REQUEST_ORIGIN_INVOICE_NO_INVALID_LENGTH", format!("Số hóa đơn gốc «{no}» dài quá 17 ký tự")));
        }
        if !no.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-') {
            return Err(refuse("BAD_REQUEST_ORIGIN_INVOICE_NO_INVALID", format!("Số hóa đơn gốc «{no}» chỉ gồm chữ, số, «/» và «-»")));
        }
    }
    let original_issued = original_date(general)?;
    let reference = limited(general, "additionalReferenceDesc", 400, "BAD_REQUEST_ADDITIONAL_REFER_DESC_LENGTH")?;
    let reference_date = millis(general, "additionalReferenceDate")?.filter(|m| *m > 0);
    let original_template = limited(general, "originalTemplateCode", 20, "BAD_REQUEST_ORIGINAL_TEMPLATE_CODE_MAX_LENGTH")?;
    limited(general, "adjustedNote", 255, "BAD_REQUEST_ADJUSTED_NOTE_MAX_LENGTH")?;
    limited(general, "invoiceNote", 4000, "BAD_REQUEST_INVOICE_NOTE_LENGTH_INVALID")?;
    let Some(paid) = boolean(general, "paymentStatus")? else {
        return Err(refuse("BAD_REQUEST_PAYMENT_STATUS_REQUIRED", "Thiếu trạng thái thanh toán (paymentStatus)"));
    };
    digits(general, "exchangeRate", 11, 2, "BAD_REQUEST_EXCHANGE_RATE_MAX_LENGTH")?;
    boolean(general, "cusGetInvoiceRight")?;
    // "0: bỏ validate, khác 0 sẽ validate" (the sample DTO): the figures are checked unless 0.
    let validate = number(general, "validation")? != Some(0.0);
    let issued_ms = millis(general, "invoiceIssuedDate")?;

    let payments = match body.get("payments") {
        Some(Value::Array(list)) if !list.is_empty() => list,
        Some(Value::Array(_)) | None | Some(Value::Null) => {
            return Err(refuse("BAD_REQUEST_PAYMENT_INFO_REQUIRED", "Thiếu hình thức thanh toán (payments)"));
        }
        Some(_) => return Err(bad("payments phải là một danh sách")),
    };
    let mut payment_method = String::new();
    for p in payments {
        if !p.is_object() {
            return Err(bad("payments phải là danh sách đối tượng"));
        }
        let name = limited(p, "paymentMethodName", 50, "BAD_REQUEST_PAYMENT_METHOD_NAME_MAX_LENGTH")?;
        let method = limited(p, "paymentMethod", 50, "BAD_REQUEST_PAYMENT_METHOD_MAX_LENGTH")?;
        if !(method.trim().is_empty() || (method.len() == 1 && (b'1'..=b'8').contains(&method.as_bytes()[0]))) {
            return Err(refuse("BAD_REQUEST_PAYMENT_METHOD_INVALID", format!("paymentMethod «{method}» phải từ 1 đến 8")));
        }
        if payment_method.is_empty() {
            payment_method = name;
        }
    }

    // The simulator's own: the template and series the account holds, and what 3 and 5 need.
    if !config.templates.iter().any(|(t, s)| *t == template && *s == series) {
        return Err(refuse("INVOICE_SERIAL_NOT_FOUND", format!("Không tìm thấy ký hiệu {series} của mẫu {template} trên tài khoản")));
    }
    if let Some(t) = text(general, "invoiceType")?.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
        && !template.starts_with(&format!("{t}/"))
    {
        return Err(refuse("INVOICE_SERIAL_NOT_FOUND", format!("Loại hóa đơn {t} không khớp mẫu {template}")));
    }
    let adjustment = if kind == 1 {
        Adjustment::Original
    } else {
        let missing = |what: &str| refuse("BAD_REQUEST_ORIGIN_INVOICE_INFO_REQUIRED", format!("Hóa đơn thay thế/điều chỉnh phải có {what}"));
        if kind == 5 && invoice_type.is_none() {
            return Err(refuse("BAD_REQUEST_ADJUSTMENT_INVOICE_TYPE_INVALID", "Hóa đơn điều chỉnh phải có adjustmentInvoiceType 1 (tiền) hoặc 2 (thông tin)"));
        }
        let original_no = original_no.ok_or_else(|| missing("số hóa đơn gốc (originalInvoiceId)"))?;
        if original_template.trim().is_empty() {
            return Err(missing("mẫu số hóa đơn gốc (originalTemplateCode)"));
        }
        let original_date = original_issued.ok_or_else(|| missing("ngày lập hóa đơn gốc (originalInvoiceIssueDate)"))?;
        if reference.trim().is_empty() {
            return Err(missing("tên văn bản thỏa thuận (additionalReferenceDesc)"));
        }
        if reference_date.is_none() {
            return Err(missing("ngày văn bản thỏa thuận (additionalReferenceDate)"));
        }
        Adjustment::Change { kind, invoice_type: if kind == 5 { invoice_type } else { None }, original_no, original_template: original_template.trim().to_string(), original_date }
    };

    let seller = block(body, "sellerInfo")?;
    if let Some(seller) = seller {
        limited(seller, "sellerLegalName", 255, "BAD_REQUEST_SELLER_LEGAL_NAME_MAXLENGTH")?;
        let tax = limited(seller, "sellerTaxCode", 20, "BAD_REQUEST_SELLER_TAX_CODE_MAX_LENGTH")?;
        limited(seller, "sellerAddressLine", 255, "BAD_REQUEST_SELLER_ADDRESS_LINE_MAXLENGTH")?;
        let phone = limited(seller, "sellerPhoneNumber", 50, "BAD_REQUEST_SELLER_PHONE_NUMBER_MAX_LENGTH")?;
        if !phone.trim().bytes().all(|b| b.is_ascii_digit()) {
            return Err(refuse("BAD_REQUEST_SELLER_PHONE_NUMBER_INVALID", format!("Số điện thoại người bán «{phone}» chỉ được gồm chữ số")));
        }
        limited(seller, "sellerEmail", 50, "BAD_REQUEST_SELLER_EMAIL_MAX_LENGTH")?;
        limited(seller, "sellerWebsite", 200, "BAD_REQUEST_WEBSITE_MAX_LENGTH")?;
        if !tax.trim().is_empty() {
            check_tax_code(config, &tax)?;
        }
    }
    let empty = Value::Object(Default::default());
    let buyer = block(body, "buyerInfo")?.unwrap_or(&empty);
    let buyer_name = limited(buyer, "buyerName", 800, "BAD_REQUEST_BUYER_NAME_MAXLENGTH")?;
    let cus_code = limited(buyer, "buyerCode", 400, "BAD_REQUEST_BUYER_CODE_MAX_LENGTH")?;
    let legal_name = limited(buyer, "buyerLegalName", 1200, "BAD_REQUEST_BUYER_UNIT_NAME_MAX_LENGTH")?;
    let buyer_tax = limited(buyer, "buyerTaxCode", 20, "BAD_REQUEST_BUYER_TAX_CODE_MAX_LENGTH")?;
    let address = limited(buyer, "buyerAddressLine", 1200, "BAD_REQUEST_BUYER_ADDRESS_MAX_LENGTH")?;
    let phone = limited(buyer, "buyerPhoneNumber", 35, "BAD_REQUEST_BUYER_PHONE_MAX_LENGTH")?;
    if !phone.chars().all(|c| c.is_ascii_digit() || "+()&; -".contains(c)) {
        return Err(refuse("BAD_REQUEST_BUYER_PHONE_INVALID", format!("Số điện thoại người mua «{phone}» không hợp lệ")));
    }
    let email = limited(buyer, "buyerEmail", 2000, "BAD_REQUEST_BUYER_EMAIL_MAX_LENGTH")?;
    let id_no = limited(buyer, "buyerIdNo", 200, "BAD_REQUEST_BUYER_ID_NO_MAX_LENGTH")?;
    if !id_no.chars().all(|c| c.is_ascii_alphanumeric() || "-_ ".contains(c)) {
        return Err(refuse("BAD_REQUEST_BUYER_ID_NO_INVALID", format!("Số giấy tờ người mua «{id_no}» không hợp lệ")));
    }
    // With validation on, Viettel "checks the tax data": the simulator checks the MST itself.
    if validate && !buyer_tax.trim().is_empty() && hoadon_rules::TaxCode::parse(buyer_tax.trim()).is_err() {
        return Err(refuse("BAD_REQUEST_BUYER_TAX_CODE_INVALID", format!("Mã số thuế người mua «{buyer_tax}» không hợp lệ")));
    }

    let items: &[Value] = match body.get("itemInfo") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => &[],
        Some(_) => return Err(bad("itemInfo phải là một danh sách")),
    };
    let information_only = matches!(adjustment, Adjustment::Change { kind: 5, invoice_type: Some(2), .. });
    if items.is_empty() && !information_only {
        return Err(refuse("BAD_REQUEST_ITEM_INFO_REQUIRED", "Hóa đơn phải có ít nhất một dòng hàng hóa, dịch vụ (itemInfo)"));
    }
    let vnd = currency == "VND";
    let tolerance = if vnd { 1.0 } else { 0.01 + 1e-9 };
    let mut lines = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            return Err(bad(format!("itemInfo[{i}] phải là một đối tượng")));
        }
        lines.push(read_line(item, i, tolerance, validate, kind == 5)?);
    }
    let without: f64 = lines.iter().map(|l| if l.negative { -l.base } else { l.base }).sum();
    let tax: f64 = lines.iter().map(|l| if l.negative { -l.tax } else { l.tax }).sum();
    let with = without + tax;
    if validate && with < -1e-9 && kind != 5 {
        return Err(refuse("BAD_REQUEST_TOTAL_AMOUNT_INVALID", "Tổng tiền thanh toán của hóa đơn không được âm"));
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
        cus_code,
        cus_name: if legal_name.trim().is_empty() { buyer_name.clone() } else { legal_name },
        buyer: buyer_name,
        tax_code: buyer_tax.trim().to_string(),
        address,
        email,
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

/// One `itemInfo` row. `selection` 1–6 (the sample DTO's range: 2 a note, 3 a discount that
/// subtracts, the others goods); with validation on, the figures must add up within the
/// currency's rounding (the simulator's own check).
fn read_line(item: &Value, i: usize, tolerance: f64, validate: bool, adjusting: bool) -> Result<Line, Reply> {
    let selection = match number(item, "selection")? {
        None => 1,
        Some(s) if s.fract() == 0.0 && (1.0..=6.0).contains(&s) => s as u8,
        Some(s) => return Err(refuse("BAD_REQUEST_ITEM_SELECTION_INVALID", format!("itemInfo[{i}].selection «{s}» phải từ 1 đến 6"))),
    };
    let name = required_text(item, "itemName", "BAD_REQUEST_ITEM_NAME_REQUIRED")?;
    at_most(&name, "itemName", 500, "BAD_REQUEST_ITEM_NAME_MAX_LENGTH")?;
    if selection == 2 {
        let line = SimLine { name, quantity: "0".into(), vat_rate: "KCT".into(), feature: 4, ..Default::default() };
        return Ok(Line { line, base: 0.0, tax: 0.0, negative: false });
    }
    digits(item, "itemTotalAmountWithoutTax", 19, 9, "BAD_REQUEST_ITEM_TOTAL_AMOUNT_WITHOUT_TAX_INVALID")?;
    let figures = |text: String| refuse("BAD_REQUEST_ITEM_AMOUNT_INVALID", text);
    let Some(rate) = number(item, "taxPercentage")? else {
        return Err(refuse("BAD_REQUEST_TAX_PERCENTAGE_REQUIRED", format!("itemInfo[{i}] thiếu thuế suất (taxPercentage)")));
    };
    if ![0.0, 5.0, 8.0, 10.0, -1.0, -2.0].contains(&rate) {
        return Err(refuse("BAD_REQUEST_TAX_PERCENTAGE_INVALID", format!("itemInfo[{i}].taxPercentage «{rate}» phải là 0, 5, 8, 10, -1 hoặc -2")));
    }
    let price = number(item, "unitPrice")?;
    let quantity = number(item, "quantity")?;
    let amount = |field: &str| {
        number(item, field)?.ok_or_else(|| refuse("BAD_REQUEST_ITEM_AMOUNT_REQUIRED", format!("itemInfo[{i}] thiếu {field}")))
    };
    let without = amount("itemTotalAmountWithoutTax")?;
    let tax = amount("taxAmount")?;
    let mut base = without;
    if validate {
        if without < 0.0 || tax < 0.0 {
            return Err(figures(format!("itemInfo[{i}]: số tiền không được âm (dùng selection 3 hoặc isIncreaseItem false để giảm)")));
        }
        if price.is_some_and(|p| p < 0.0) && !adjusting {
            return Err(figures(format!("itemInfo[{i}].unitPrice không được âm")));
        }
        if let (Some(p), Some(q)) = (price, quantity)
            && (p.abs() * q - without).abs() > tolerance
        {
            return Err(figures(format!("itemInfo[{i}]: itemTotalAmountWithoutTax {without} khác unitPrice × quantity ({})", p.abs() * q)));
        }
    }
    let discount = number(item, "discount")?.unwrap_or(0.0);
    if discount != 0.0 {
        if validate && !(0.0..=100.0).contains(&discount) {
            return Err(figures(format!("itemInfo[{i}].discount «{discount}» phải từ 0 đến 100 (%)")));
        }
        base = without * (1.0 - discount / 100.0);
    }
    // Viettel's own sample sends itemTotalAmountAfterDiscount 0 on lines without discount:
    // read as "not given" there.
    if let Some(after) = number(item, "itemTotalAmountAfterDiscount")?.filter(|a| discount != 0.0 || *a != 0.0) {
        if validate && (after - base).abs() > tolerance {
            return Err(figures(format!("itemInfo[{i}]: itemTotalAmountAfterDiscount {after} khác số tiền sau chiết khấu ({base})")));
        }
        base = after;
    }
    if validate {
        let expected_tax = if rate > 0.0 { base * rate / 100.0 } else { 0.0 };
        if (tax - expected_tax).abs() > tolerance {
            return Err(figures(format!("itemInfo[{i}]: taxAmount {tax} khác {rate}% của {base}")));
        }
        if let Some(with) = number(item, "itemTotalAmountWithTax")?
            && (with - (base + tax)).abs() > tolerance
        {
            return Err(figures(format!("itemInfo[{i}]: itemTotalAmountWithTax {with} khác tiền trước thuế cộng thuế ({})", base + tax)));
        }
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
