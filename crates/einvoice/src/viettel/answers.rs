//! Reading Viettel S-Invoice answers. Nothing here panics, whatever it is given.
//!
//! Two shapes of failure are documented by public clients, and both are read
//! (`viettel-sinvoice-facts.md` §4): HTTP 400 `{"code": 400, "message": "<CODE>", "data":
//! "<Vietnamese text>"}`, and HTTP 200 `{"errorCode": "<CODE>", "description": "<text>"}`.
//! OAuth-style `{"error", "error_description"}` (the log-in) is read too. Success is HTTP 200
//! with an empty or null `errorCode` and the call's own fields (`result`, `fileToBytes`,
//! `template`).
//!
//! Codes documented by those clients: `NOT_FOUND_DATA` (nothing under that transaction id, or
//! a payment mark already as asked), `TRANSACTION_UUID_INVALID` (that transaction id was used
//! already, by an invoice or a draft), `INVOICE_SERIAL_NOT_FOUND`, `GENERAL` (also what an
//! expired token reportedly gets, with HTTP 500). Any other code is [`Refusal::Unknown`]
//! with Viettel's own words; any 5xx, and any answer that cannot be read, is unclear.

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::draft::InvoiceKey;
use crate::error::{Operation, ProviderError, Refusal};
use crate::status::{InvoiceState, InvoiceStatus, Issued, PatternSerial, ProviderKind, TaxCheck, UnkeyedInvoice};

const P: ProviderKind = ProviderKind::Viettel;

/// The codes Viettel answers that public clients document.
pub mod code {
    /// No invoice under that transaction id (or the invoice number given); on a payment
    /// mark: the invoice is already as asked.
    pub const NOT_FOUND_DATA: &str = "NOT_FOUND_DATA";
    /// The transaction id was used already (an invoice or a draft has it).
    pub const TRANSACTION_UUID_INVALID: &str = "TRANSACTION_UUID_INVALID";
    /// The series (ký hiệu) is not registered for the template on this account.
    pub const INVOICE_SERIAL_NOT_FOUND: &str = "INVOICE_SERIAL_NOT_FOUND";
    /// A failure Viettel does not name; with HTTP 500, reportedly an expired token.
    pub const GENERAL: &str = "GENERAL";
}

/// A failure as Viettel wrote it: its code and its own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `message` of the HTTP 400 shape, `errorCode` of the HTTP 200 one, `error` of OAuth.
    pub code: String,
    /// `data`, `description` or `error_description`.
    pub message: Option<String>,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Upper-case letters, digits and `_`: a code, not a sentence.
fn code_like(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The failure an answer states, if it states one: a non-empty `errorCode`; an OAuth
/// `error` code; a `message` that is a code (`NOT_FOUND_DATA`) beside a non-zero `code` or
/// with HTTP 4xx/5xx; a non-zero `code` alone. An error answer whose words are no code
/// (Spring's `{"status": 404, "error": "Not Found"}`) is named by its HTTP status.
pub fn failure(obj: &Map<String, Value>, http_status: u16) -> Option<Failure> {
    let words = |names: &[&str]| names.iter().find_map(|n| text(obj.get(*n)));
    if let Some(code) = text(obj.get("errorCode")).filter(|c| c != "0" && c != "200") {
        return Some(Failure { code, message: words(&["description", "message", "data"]) });
    }
    // OAuth codes are single words (`invalid_grant`); Spring's `error` is a sentence.
    if let Some(code) = text(obj.get("error")).filter(|e| !e.contains(char::is_whitespace)) {
        return Some(Failure { code, message: words(&["error_description", "message", "data"]) });
    }
    let message = text(obj.get("message"));
    let numeric = text(obj.get("code")).filter(|c| c != "0" && c != "200");
    let named = message.clone().filter(|m| code_like(m));
    let said = words(&["data", "description", "error_description"])
        .or_else(|| message.clone().filter(|m| !code_like(m)))
        .or_else(|| words(&["error"]));
    match (named, numeric) {
        (Some(code), numeric) if numeric.is_some() || http_status >= 400 => Some(Failure { code, message: said }),
        (_, Some(code)) => Some(Failure { code, message: said }),
        _ if http_status >= 400 && said.is_some() => Some(Failure { code: format!("HTTP {http_status}"), message: said }),
        _ => None,
    }
}

/// Whether an answer says that the token is no longer valid: HTTP 401, or HTTP 500 with
/// `GENERAL` (what Viettel reportedly answers to an expired token).
pub fn token_expired(http_status: u16, body: &[u8]) -> bool {
    if http_status == 401 {
        return true;
    }
    http_status == 500
        && serde_json::from_slice::<Value>(body)
            .ok()
            .as_ref()
            .and_then(Value::as_object)
            .and_then(|o| failure(o, http_status))
            .is_some_and(|f| f.code.eq_ignore_ascii_case(code::GENERAL))
}

/// Whether the operation creates an invoice under a transaction id, so that "id already
/// used" may be this call's own earlier send.
fn creates(op: Operation) -> bool {
    matches!(op, Operation::Issue | Operation::Adjust | Operation::Replace | Operation::Draft)
}

fn login_code(code: &str) -> bool {
    ["UNAUTHORIZED", "INVALID_TOKEN", "INVALID_GRANT", "BAD_CREDENTIALS", "ACCESS_DENIED", "INVALID_CLIENT", "401"]
        .iter()
        .any(|c| code.eq_ignore_ascii_case(c))
}

/// The error a stated failure means in `op`. `key` is the invoice the call was about.
pub fn error_for(op: Operation, failure: &Failure, key: Option<&InvoiceKey>) -> ProviderError {
    let keys: Vec<String> = key.map(|k| vec![k.to_string()]).unwrap_or_default();
    let refusal = match failure.code.as_str() {
        code::NOT_FOUND_DATA => Refusal::NotFound,
        code::TRANSACTION_UUID_INVALID if creates(op) => {
            // The id is derived from the key stored before sending: it may be ours, from an
            // earlier send whose answer was lost. Ask by key.
            return ProviderError::DuplicateKey { provider: P, op, keys: keys.join(", "), code: failure.code.clone() };
        }
        code::TRANSACTION_UUID_INVALID => Refusal::InvalidData,
        code::INVOICE_SERIAL_NOT_FOUND => Refusal::PatternSerialMismatch,
        code::GENERAL => Refusal::OtherError,
        c if login_code(c) => Refusal::LoginFailed,
        other => Refusal::Unknown(other.to_string()),
    };
    ProviderError::Refused { provider: P, op, code: failure.code.clone(), refusal, provider_message: failure.message.clone(), keys }
}

fn malformed(op: Operation, detail: impl Into<String>) -> ProviderError {
    ProviderError::Malformed { provider: P, op, detail: detail.into() }
}

/// Reads an answer: the JSON object on success, else the error it means. HTTP 5xx (and 408)
/// is unclear whatever its body says; 401/403 is a refused log-in; a stated failure is read
/// by [`error_for`]; HTTP 200 that is not a JSON object is unclear.
pub fn read(op: Operation, http_status: u16, body: &[u8], key: Option<&InvoiceKey>) -> Result<Value, ProviderError> {
    if http_status == 408 || http_status >= 500 {
        return Err(ProviderError::ServerError { provider: P, op, http_status });
    }
    let value: Option<Value> = serde_json::from_slice(body).ok();
    let stated = value.as_ref().and_then(Value::as_object).and_then(|o| failure(o, http_status));
    if http_status == 401 || http_status == 403 {
        return Err(ProviderError::Refused {
            provider: P,
            op,
            code: stated.as_ref().map(|f| f.code.clone()).unwrap_or_else(|| format!("HTTP {http_status}")),
            refusal: Refusal::LoginFailed,
            provider_message: stated.and_then(|f| f.message),
            keys: Vec::new(),
        });
    }
    if let Some(f) = stated {
        return Err(error_for(op, &f, key));
    }
    match (http_status, value) {
        (200..=299, Some(v @ Value::Object(_))) => Ok(v),
        (200..=299, Some(_)) => Err(malformed(op, "JSON không phải một đối tượng")),
        (200..=299, None) => Err(malformed(op, "không phải JSON")),
        (other, _) => Err(ProviderError::HttpRefused { provider: P, op, http_status: other }),
    }
}

/// What the log-in answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// `access_token`.
    pub token: String,
    /// `expires_in`, seconds (a number or a string holding one).
    pub expires_in: u64,
}

/// How long a token lives when the answer does not say: Odoo's comment says 5 minutes.
pub const DEFAULT_TOKEN_SECONDS: u64 = 300;

/// Reads the log-in answer. A refusal (4xx, or a stated failure) is [`Refusal::LoginFailed`].
pub fn login(op: Operation, http_status: u16, body: &[u8]) -> Result<Login, ProviderError> {
    let refused = |f: Option<Failure>| ProviderError::Refused {
        provider: P,
        op,
        code: f.as_ref().map(|f| f.code.clone()).unwrap_or_else(|| format!("HTTP {http_status}")),
        refusal: Refusal::LoginFailed,
        provider_message: f.and_then(|f| f.message),
        keys: Vec::new(),
    };
    if http_status == 408 || http_status >= 500 {
        return Err(ProviderError::ServerError { provider: P, op, http_status });
    }
    let value: Option<Value> = serde_json::from_slice(body).ok();
    let obj = value.as_ref().and_then(Value::as_object);
    let stated = obj.and_then(|o| failure(o, http_status));
    if !(200..300).contains(&http_status) || stated.is_some() {
        return Err(refused(stated));
    }
    let obj = obj.ok_or_else(|| malformed(op, "trả lời đăng nhập không phải JSON"))?;
    let token = match obj.get("access_token") {
        Some(Value::String(t)) if !t.trim().is_empty() => t.trim().to_string(),
        _ => return Err(malformed(op, "trả lời đăng nhập không có access_token")),
    };
    if token.bytes().any(|b| b.is_ascii_control() || b == b';' || b == b' ' || !b.is_ascii()) {
        return Err(malformed(op, "access_token có ký tự không gửi được trong cookie"));
    }
    let expires_in = match obj.get("expires_in") {
        Some(Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.is_finite()).map(|f| f as u64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(DEFAULT_TOKEN_SECONDS);
    Ok(Login { token, expires_in })
}

/// The number of an `invoiceNo`: Viettel writes the series then the number (`K24TUT01` →
/// 1). The series is stripped when it leads; otherwise the trailing digits are the number.
pub fn number_of(invoice_no: &str, serial: &str) -> Option<u64> {
    let t = invoice_no.trim();
    let rest = t.strip_prefix(serial).filter(|r| !serial.is_empty() && !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()));
    let digits = match rest {
        Some(r) => r,
        None => {
            let start = t.bytes().rposition(|b| !b.is_ascii_digit()).map(|i| i + 1).unwrap_or(0);
            &t[start..]
        }
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    digits.parse().ok()
}

/// The series of an `invoiceNo` whose series is not known: what precedes the trailing digits.
fn series_of(invoice_no: &str) -> Option<String> {
    let t = invoice_no.trim();
    let end = t.bytes().rposition(|b| !b.is_ascii_digit())? + 1;
    Some(t[..end].to_string()).filter(|s| !s.is_empty())
}

/// `createInvoice`'s `result` `{invoiceNo, reservationCode, …}` as the invoice issued under
/// `key`. An answer without a readable number is unclear: Viettel may have issued it.
pub fn issued(op: Operation, value: &Value, key: &InvoiceKey, template: &str, serial: &str) -> Result<Issued, ProviderError> {
    let result = value.get("result").and_then(Value::as_object).ok_or_else(|| malformed(op, "trả lời không có result"))?;
    let invoice_no = text(result.get("invoiceNo")).ok_or_else(|| malformed(op, "trả lời không có số hóa đơn (invoiceNo)"))?;
    let number = number_of(&invoice_no, serial).ok_or_else(|| malformed(op, format!("số hóa đơn «{invoice_no}» không đọc được")))?;
    Ok(Issued { key: key.clone(), pattern: template.to_string(), serial: serial.to_string(), number, tax_authority_code: None })
}

/// One invoice as `searchInvoiceByTransactionUuid` describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// `invoiceNo`, as the other calls need it (e.g. `C26TAA12`); none for a draft.
    pub invoice_no: Option<String>,
    /// `issueDate`, epoch ms, as cancel and the payment marks need it.
    pub issued_ms: Option<i64>,
    /// `reservationCode`: what the buyer types to look the invoice up.
    pub reservation_code: Option<String>,
    /// `status`, Viettel's Vietnamese text ("Chưa thanh toán", "Hóa đơn xóa bỏ", …).
    pub status: Option<String>,
    /// `exchangeStatus`: `INVOICE_HAS_CODE_APPROVED` and the like.
    pub exchange_status: Option<String>,
    /// `codeOfTax`: the tax authority's code (mã CQT), for C series.
    pub code_of_tax: Option<String>,
}

/// The invoice of a look-up answer: the first of `result`, or none when `result` is absent,
/// null or empty (HTTP 400 `NOT_FOUND_DATA` is read by [`read`] before this).
pub fn found(op: Operation, value: &Value) -> Result<Option<Found>, ProviderError> {
    let item = match value.get("result") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => match items.first() {
            None => return Ok(None),
            Some(item) => item,
        },
        Some(item @ Value::Object(_)) => item,
        Some(_) => return Err(malformed(op, "result không đọc được")),
    };
    let obj = item.as_object().ok_or_else(|| malformed(op, "result không đọc được"))?;
    let issued_ms = match obj.get("issueDate") {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e16).map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(Some(Found {
        invoice_no: text(obj.get("invoiceNo")),
        issued_ms,
        reservation_code: text(obj.get("reservationCode")),
        status: text(obj.get("status")),
        exchange_status: text(obj.get("exchangeStatus")),
        code_of_tax: text(obj.get("codeOfTax")),
    }))
}

/// Vietnamese text without its marks, lower-case: "Hoá đơn xoá bỏ" and "Hóa đơn xóa bỏ"
/// (old and new tone placement, composed or not) both read "hoa don xoa bo".
pub fn fold(text: &str) -> String {
    const GROUPS: [(&str, char); 7] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let base = GROUPS.iter().find(|(set, _)| set.contains(c)).map(|(_, b)| *b).unwrap_or(c);
        out.push(base);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the invoice is marked paid, by its `status` text: "Chưa thanh toán" unpaid,
/// "Đã thanh toán" paid; other texts say nothing of payment.
pub fn paid(found: &Found) -> Option<bool> {
    let s = fold(found.status.as_deref()?);
    if s.contains("chua thanh toan") {
        Some(false)
    } else if s.contains("da thanh toan") {
        Some(true)
    } else {
        None
    }
}

/// The tax authority's verdict, from `exchangeStatus` (`INVOICE_HAS_CODE_*` for C series,
/// `INVOICE_NO_CODE_*` for K series; `NOT_SENT`, `SENT`, `APPROVED`, `DIS_APPROVED`) and
/// `codeOfTax`.
pub fn tax_check(found: &Found) -> Option<TaxCheck> {
    let code = found.code_of_tax.clone();
    let Some(ex) = found.exchange_status.as_deref().map(|s| s.trim().to_ascii_uppercase()) else {
        return code.map(|c| TaxCheck::Accepted { code: Some(c) });
    };
    let has_code = ex.contains("HAS_CODE");
    Some(if ex.ends_with("DIS_APPROVED") {
        TaxCheck::Rejected { reason: String::new() }
    } else if ex.ends_with("APPROVED") {
        TaxCheck::Accepted { code: if has_code { code } else { None } }
    } else if ex.ends_with("NOT_SENT") {
        TaxCheck::NotSent
    } else if ex.ends_with("SENT") {
        TaxCheck::Waiting
    } else {
        return code.map(|c| TaxCheck::Accepted { code: Some(c) });
    })
}

/// One row of a `getListInvoiceDataControl` answer, with what ties it to the other rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRow {
    /// The invoice as the row shows it.
    pub invoice: UnkeyedInvoice,
    /// `invoiceId`, Viettel's own number of the invoice.
    pub id: Option<String>,
    /// `invoiceNo` (series and number), which a replacement may name its original by.
    pub invoice_no: Option<String>,
    /// What the row does to another invoice: `adjustmentType` 3 (replaces) or 5 (adjusts),
    /// and the `originalInvoiceId` it names.
    pub changes: Option<(InvoiceStatus, String)>,
}

/// The `invoices` of a `getListInvoiceDataControl` answer, as one public client types them
/// from a live answer: `invoiceId`, `adjustmentType`, `invoiceNo` (series and number),
/// `invoiceSeri`, `invoiceNumber`, `templateCode`, `total` (with VAT), `issueDate` (epoch
/// ms), `buyerName`, `transactionUuid`, `originalInvoiceId`. Its `state` and `exchangeStatus`
/// are numbers no document explains, so a row's status is read only from a `status` text;
/// [`link`] adds what a replacing or adjusting row says of its original. The transaction id
/// is a hash of the key, so every row is [`UnkeyedInvoice`]: the list cannot say which sale
/// an invoice was for.
pub fn listed(op: Operation, value: &Value) -> Result<Vec<ListedRow>, ProviderError> {
    let rows = match value.get("invoices") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(rows)) => rows,
        Some(_) => return Err(malformed(op, "invoices không phải là danh sách")),
    };
    rows.iter()
        .map(|row| {
            let obj = row.as_object().ok_or_else(|| malformed(op, "một hóa đơn trong danh sách không đọc được"))?;
            let invoice_no = text(obj.get("invoiceNo"));
            let serial = text(obj.get("invoiceSeri")).or_else(|| text(obj.get("invoiceSeries")));
            let number = text(obj.get("invoiceNumber"))
                .and_then(|n| n.parse().ok())
                .or_else(|| invoice_no.as_deref().and_then(|no| number_of(no, serial.as_deref().unwrap_or(""))));
            let ms = obj.get("issueDate").and_then(Value::as_i64);
            let original = text(obj.get("originalInvoiceId"));
            let changes = match text(obj.get("adjustmentType")).as_deref() {
                Some("3") => original.map(|o| (InvoiceStatus::Replaced, o)),
                Some("5") => original.map(|o| (InvoiceStatus::Adjusted, o)),
                _ => None,
            };
            Ok(ListedRow {
                invoice: UnkeyedInvoice {
                    reference: text(obj.get("transactionUuid")).unwrap_or_default(),
                    status: text(obj.get("status")).and_then(|s| stated_status(&s)),
                    pattern: text(obj.get("templateCode")),
                    serial,
                    number,
                    issue_date: ms.and_then(date_of_ms),
                    amount: obj.get("total").and_then(Value::as_f64).filter(|t| t.is_finite()).map(|t| hoadon_rules::Dong(t.round() as i64)),
                    buyer: text(obj.get("buyerName")),
                },
                id: text(obj.get("invoiceId")),
                invoice_no,
                changes,
            })
        })
        .collect()
}

/// The listed invoices, each one that another listed row replaces or adjusts marked so (its
/// `originalInvoiceId` is the original's `invoiceId`, or its `invoiceNo` as `createInvoice`
/// is sent it): replaced when any row replaces it (an invoice adjusted, then replaced, is
/// replaced), adjusted otherwise. What a row's own status text states is kept.
pub fn link(rows: Vec<ListedRow>) -> Vec<UnkeyedInvoice> {
    let changed: Vec<(InvoiceStatus, String)> = rows.iter().filter_map(|r| r.changes.clone()).collect();
    rows.into_iter()
        .map(|row| {
            let mut invoice = row.invoice;
            let named = |o: &String| row.id.as_ref() == Some(o) || row.invoice_no.as_ref() == Some(o);
            let by: Vec<InvoiceStatus> = changed.iter().filter(|(_, o)| named(o)).map(|(s, _)| *s).collect();
            if invoice.status.is_none() && !by.is_empty() {
                let replaced = by.contains(&InvoiceStatus::Replaced);
                invoice.status = Some(if replaced { InvoiceStatus::Replaced } else { InvoiceStatus::Adjusted });
            }
            invoice
        })
        .collect()
}

/// `totalRows` of a list answer: how many invoices the range holds, which may be more than
/// the answer carries.
pub fn total_rows(value: &Value) -> Option<usize> {
    text(value.get("totalRows")).and_then(|t| t.parse().ok())
}

fn date_of_ms(ms: i64) -> Option<time::Date> {
    let at = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok()?;
    Some(at.to_offset(hoadon_rules::calendar::VIETNAM).date())
}

/// The status of a found invoice: the `status` text first (cancelled, replaced, adjusted),
/// then `exchangeStatus`; found without a number, it is a draft.
pub fn status_of(found: &Found) -> InvoiceStatus {
    if let Some(stated) = found.status.as_deref().and_then(stated_status) {
        return stated;
    }
    if found.invoice_no.is_none() {
        return InvoiceStatus::Unsigned;
    }
    let ex = found.exchange_status.as_deref().map(|s| s.trim().to_ascii_uppercase()).unwrap_or_default();
    if ex.ends_with("DIS_APPROVED") || ex.ends_with("NOT_SENT") {
        InvoiceStatus::Signed
    } else if ex.ends_with("APPROVED") && ex.contains("HAS_CODE") {
        InvoiceStatus::Approved
    } else if ex.ends_with("APPROVED") || ex.ends_with("SENT") {
        InvoiceStatus::SentToTax
    } else {
        InvoiceStatus::Signed
    }
}

/// What Viettel's status text says for sure: cancelled, replaced or adjusted (a text such as
/// "Chưa thanh toán" says nothing of the invoice's life).
fn stated_status(text: &str) -> Option<InvoiceStatus> {
    let s = fold(text);
    if s.contains("xoa bo") || s.contains("huy") {
        Some(InvoiceStatus::Cancelled)
    } else if s.contains("bi thay the") {
        Some(InvoiceStatus::Replaced)
    } else if s.contains("bi dieu chinh") {
        Some(InvoiceStatus::Adjusted)
    } else {
        None
    }
}

/// The state of `key` from what the look-up found (or [`InvoiceState::not_found`]).
pub fn state(key: &InvoiceKey, found: Option<&Found>) -> InvoiceState {
    let Some(f) = found else { return InvoiceState::not_found(key.clone()) };
    // Only a moment in the years the app knows is a date: a wild number is no date at all.
    let date = f.issued_ms.and_then(|ms| hoadon_rules::calendar::check_moment(ms.div_euclid(1000)).ok()).map(hoadon_rules::calendar::date_of);
    InvoiceState {
        key: key.clone(),
        status: status_of(f),
        pattern: None,
        serial: f.invoice_no.as_deref().and_then(series_of),
        number: f.invoice_no.as_deref().and_then(|n| number_of(n, "")),
        lookup_code: f.reservation_code.clone(),
        arising_date: date,
        issue_date: date,
        amount: None,
        paid: paid(f),
        buyer: None,
        tax_check: tax_check(f),
    }
}

/// `getInvoiceRepresentationFile`'s `fileToBytes`, decoded; `None` while it is empty (the
/// file can lag a moment behind the invoice).
pub fn file(op: Operation, value: &Value) -> Result<Option<Vec<u8>>, ProviderError> {
    let encoded = match value.get("fileToBytes") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s,
        Some(_) => return Err(malformed(op, "fileToBytes không phải chuỗi base64")),
    };
    let compact: String = encoded.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Ok(None);
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map(Some)
        .map_err(|e| malformed(op, format!("fileToBytes không phải base64: {e}")))
}

/// `getAllInvoiceTemplates`'s `template` `[{templateCode, invoiceSeri}]`.
pub fn templates(op: Operation, value: &Value) -> Result<Vec<PatternSerial>, ProviderError> {
    let list = match value.get("template").or_else(|| value.get("templates")) {
        Some(Value::Array(items)) => items.as_slice(),
        Some(Value::Null) => &[],
        _ => return Err(malformed(op, "thiếu danh sách mẫu số (template)")),
    };
    list.iter()
        .map(|item| {
            let pattern = text(item.get("templateCode")).ok_or_else(|| malformed(op, "mẫu số không có templateCode"))?;
            let serial = text(item.get("invoiceSeri")).or_else(|| text(item.get("invoiceSeries"))).unwrap_or_default();
            Ok(PatternSerial { pattern, serial })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> InvoiceKey {
        InvoiceKey::new(k).unwrap()
    }

    /// Rows typed the way a public client types a live answer: the numeric `state` and
    /// `exchangeStatus` decide nothing; a replacement naming its original by `invoiceId` or by
    /// `invoiceNo` marks it; a stated cancel stays a cancel.
    #[test]
    fn a_listed_row_s_status_is_only_what_the_list_says_for_sure() {
        let answer: Value = serde_json::from_str(
            r#"{"errorCode":null,"totalRows":5,"invoices":[
            {"invoiceId":901,"adjustmentType":"1","invoiceSeri":"K26TUT","invoiceNumber":"1","invoiceNo":"K26TUT1","total":110000,"issueDate":1780000000000,"state":1,"stateCode":1,"exchangeStatus":2,"transactionUuid":"u1","originalInvoiceId":null},
            {"invoiceId":902,"adjustmentType":"3","invoiceSeri":"K26TUT","invoiceNumber":"2","invoiceNo":"K26TUT2","total":110000,"state":1,"exchangeStatus":1,"transactionUuid":"u2","originalInvoiceId":901},
            {"invoiceId":903,"adjustmentType":"1","invoiceSeri":"K26TUT","invoiceNo":"K26TUT3","total":50000,"state":3,"transactionUuid":"u3"},
            {"invoiceId":904,"adjustmentType":"5","invoiceSeri":"K26TUT","invoiceNo":"K26TUT4","total":-5000,"transactionUuid":"u4","originalInvoiceId":"K26TUT3"},
            {"invoiceId":905,"invoiceSeri":"K26TUT","invoiceNo":"K26TUT5","total":70000,"status":"Hóa đơn xóa bỏ","transactionUuid":"u5"},
            {"invoiceId":906,"invoiceSeri":"K26TUT","invoiceNo":"K26TUT6","total":80000,"transactionUuid":"u6"},
            {"invoiceId":907,"adjustmentType":"5","invoiceSeri":"K26TUT","invoiceNo":"K26TUT7","total":1000,"transactionUuid":"u7","originalInvoiceId":906},
            {"invoiceId":908,"adjustmentType":"3","invoiceSeri":"K26TUT","invoiceNo":"K26TUT8","total":81000,"transactionUuid":"u8","originalInvoiceId":906},
            {"invoiceId":909,"adjustmentType":"3","invoiceSeri":"K26TUT","invoiceNo":"K26TUT9","total":70000,"transactionUuid":"u9","originalInvoiceId":905}
        ]}"#,
        )
        .unwrap();
        assert_eq!(total_rows(&answer), Some(5));
        let rows = listed(Operation::ListIssued, &answer).unwrap();
        assert_eq!(rows[1].changes, Some((InvoiceStatus::Replaced, "901".to_string())));
        let statuses: Vec<Option<InvoiceStatus>> = link(rows).into_iter().map(|u| u.status).collect();
        use InvoiceStatus::{Adjusted, Cancelled, Replaced};
        assert_eq!(statuses, [Some(Replaced), None, Some(Adjusted), None, Some(Cancelled), Some(Replaced), None, None, None]);
    }

    #[test]
    fn both_failure_shapes_are_read() {
        let k = key("K1");
        let e = read(Operation::Issue, 400, r#"{"code":400,"message":"INVOICE_SERIAL_NOT_FOUND","data":"Không tìm thấy ký hiệu"}"#.as_bytes(), Some(&k)).unwrap_err();
        assert_eq!(e.refusal(), Some(&Refusal::PatternSerialMismatch));
        assert!(e.to_string().contains("Không tìm thấy ký hiệu"), "{e}");
        assert!(!e.is_unclear());
        let e = read(Operation::Issue, 200, br#"{"errorCode":"INVOICE_SERIAL_NOT_FOUND","description":"Ky hieu sai"}"#, Some(&k)).unwrap_err();
        assert_eq!(e.refusal(), Some(&Refusal::PatternSerialMismatch));
        let e = read(Operation::Query, 400, br#"{"code":400,"message":"NOT_FOUND_DATA","data":null}"#, Some(&k)).unwrap_err();
        assert_eq!(e.refusal(), Some(&Refusal::NotFound));
        let ok = read(Operation::Issue, 200, br#"{"errorCode":null,"description":null,"result":{"invoiceNo":"C26TAA1"}}"#, Some(&k)).unwrap();
        assert_eq!(issued(Operation::Issue, &ok, &k, "1/001", "C26TAA").unwrap().number, 1);
        assert!(read(Operation::Issue, 200, br#"{"errorCode":"","result":{}}"#, None).is_ok());
    }

    #[test]
    fn a_used_transaction_id_is_unclear_when_creating() {
        let k = key("K1");
        let body = br#"{"code":400,"message":"TRANSACTION_UUID_INVALID","data":"transactionUuid da ton tai"}"#;
        for op in [Operation::Issue, Operation::Adjust, Operation::Replace] {
            let e = read(op, 400, body, Some(&k)).unwrap_err();
            assert!(matches!(&e, ProviderError::DuplicateKey { keys, .. } if keys == "K1"), "{e:?}");
            assert!(e.is_unclear());
        }
        assert!(!read(Operation::Query, 400, body, Some(&k)).unwrap_err().is_unclear());
    }

    #[test]
    fn server_errors_and_garbage_are_unclear() {
        for (status, body) in [(500, &br#"{"message":"GENERAL"}"#[..]), (502, b"<html>"), (200, b"<html>"), (200, b"[1]"), (408, b"")] {
            let e = read(Operation::Issue, status, body, None).unwrap_err();
            assert!(e.is_unclear(), "{status}: {e:?}");
        }
        assert!(token_expired(500, br#"{"message":"GENERAL"}"#));
        assert!(token_expired(500, br#"{"code":500,"message":"GENERAL","data":"Loi"}"#));
        assert!(token_expired(401, b""));
        assert!(!token_expired(500, br#"{"message":"OTHER"}"#));
        assert!(!token_expired(400, br#"{"message":"GENERAL"}"#));
        let e = read(Operation::Issue, 401, b"", None).unwrap_err();
        assert_eq!(e.refusal(), Some(&Refusal::LoginFailed));
        assert!(matches!(read(Operation::Issue, 404, b"", None), Err(ProviderError::HttpRefused { http_status: 404, .. })));
        // Spring's default error body: named by the HTTP status, its words kept.
        let e = read(Operation::Issue, 404, br#"{"timestamp":"2026-03-05T08:40:00.000+00:00","status":404,"error":"Not Found","path":"/x"}"#, None).unwrap_err();
        assert_eq!(e.code(), Some("HTTP 404"));
        assert!(e.to_string().contains("Not Found") && !e.is_unclear(), "{e}");
        let e = read(Operation::Issue, 400, br#"{"status":400,"error":"Bad Request","message":"Required field missing"}"#, None).unwrap_err();
        assert_eq!(e.code(), Some("HTTP 400"));
        assert!(e.to_string().contains("Required field missing"), "{e}");
        // A code-like message on HTTP 200 without a code is no failure; a non-zero code is.
        assert!(read(Operation::Query, 200, br#"{"message":"SUCCESS","result":[]}"#, None).is_ok());
        assert!(read(Operation::Query, 200, br#"{"code":500,"message":"GENERAL"}"#, None).is_err());
        assert!(read(Operation::Query, 200, br#"{"code":0,"result":[]}"#, None).is_ok());
    }

    #[test]
    fn the_login_answer() {
        let l = login(Operation::Issue, 200, br#"{"access_token":"abc.def","expires_in":"600","token_type":"bearer"}"#).unwrap();
        assert_eq!((l.token.as_str(), l.expires_in), ("abc.def", 600));
        assert_eq!(login(Operation::Issue, 200, br#"{"access_token":"t","expires_in":1199}"#).unwrap().expires_in, 1199);
        assert_eq!(login(Operation::Issue, 200, br#"{"access_token":"t"}"#).unwrap().expires_in, DEFAULT_TOKEN_SECONDS);
        for (status, body) in [(401, &br#"{"error":"invalid_grant","error_description":"Bad credentials"}"#[..]), (400, r#"{"code":400,"message":"UNAUTHORIZED","data":"Sai mật khẩu"}"#.as_bytes()), (200, br#"{"code":401,"data":"Sai"}"#)] {
            let e = login(Operation::VerifyAccount, status, body).unwrap_err();
            assert_eq!(e.refusal(), Some(&Refusal::LoginFailed), "{status}");
        }
        assert!(login(Operation::Issue, 200, br#"{"expires_in":1}"#).unwrap_err().is_unclear());
        assert!(login(Operation::Issue, 200, br#"{"access_token":"a;b"}"#).is_err());
    }

    #[test]
    fn numbers_follow_the_series() {
        assert_eq!(number_of("K24TUT01", "K24TUT"), Some(1));
        assert_eq!(number_of("C26TAA123", "C26TAA"), Some(123));
        assert_eq!(number_of("C26TAA123", ""), Some(123));
        assert_eq!(number_of("123", "C26TAA"), Some(123));
        assert_eq!(number_of("C26TAA", "C26TAA"), None);
        assert_eq!(number_of("", ""), None);
        assert_eq!(series_of("C26TAA12").as_deref(), Some("C26TAA"));
    }

    #[test]
    fn statuses_read_with_or_without_marks() {
        let f = |status: &str, ex: &str| Found {
            invoice_no: Some("C26TAA1".into()),
            status: Some(status.into()).filter(|s: &String| !s.is_empty()),
            exchange_status: Some(ex.into()).filter(|s: &String| !s.is_empty()),
            code_of_tax: Some("M1-ABC".into()),
            ..Default::default()
        };
        use InvoiceStatus::*;
        assert_eq!(status_of(&f("Hóa đơn xóa bỏ", "")), Cancelled);
        assert_eq!(status_of(&f("Hoá đơn xoá bỏ", "")), Cancelled);
        assert_eq!(status_of(&f("Hóa đơn bị thay thế", "")), Replaced);
        assert_eq!(status_of(&f("Hóa đơn thay thế", "INVOICE_HAS_CODE_APPROVED")), Approved);
        assert_eq!(status_of(&f("Hóa đơn bị điều chỉnh tiền", "")), Adjusted);
        assert_eq!(status_of(&f("Hóa đơn bị điều chỉnh thông tin", "")), Adjusted);
        assert_eq!(status_of(&f("Chưa thanh toán", "INVOICE_HAS_CODE_SENT")), SentToTax);
        assert_eq!(status_of(&f("Chưa thanh toán", "INVOICE_HAS_CODE_NOT_SENT")), Signed);
        assert_eq!(status_of(&f("Chưa thanh toán", "INVOICE_NO_CODE_APPROVED")), SentToTax);
        assert_eq!(status_of(&Found { invoice_no: None, ..f("", "") }), Unsigned);
        assert_eq!(paid(&f("Chưa thanh toán", "")), Some(false));
        assert_eq!(paid(&f("Đã thanh toán", "")), Some(true));
        assert_eq!(paid(&f("Hóa đơn xóa bỏ", "")), None);
        assert_eq!(tax_check(&f("", "INVOICE_HAS_CODE_APPROVED")), Some(TaxCheck::Accepted { code: Some("M1-ABC".into()) }));
        assert_eq!(tax_check(&f("", "INVOICE_NO_CODE_APPROVED")), Some(TaxCheck::Accepted { code: None }));
        assert_eq!(tax_check(&f("", "INVOICE_HAS_CODE_DIS_APPROVED")), Some(TaxCheck::Rejected { reason: String::new() }));
        assert_eq!(tax_check(&f("", "INVOICE_HAS_CODE_SENT")), Some(TaxCheck::Waiting));
        assert_eq!(tax_check(&f("", "INVOICE_NO_CODE_NOT_SENT")), Some(TaxCheck::NotSent));
        // Decomposed marks (NFD) fold the same way.
        assert_eq!(fold("Hoa\u{301} đơn xo\u{301}a bo\u{309}"), "hoa don xoa bo");
    }

    #[test]
    fn a_lookup_answer() {
        let v: Value = serde_json::from_str(r#"{"transactionUuid":"x","errorCode":null,"result":[{"supplierTaxCode":"0100109106-506","invoiceNo":"K24TUT01","reservationCode":"123456","issueDate":1704067200000,"status":"Chưa thanh toán","exchangeStatus":"INVOICE_NO_CODE_SENT","codeOfTax":null}]}"#).unwrap();
        let f = found(Operation::Query, &v).unwrap().unwrap();
        let s = state(&key("K1"), Some(&f));
        assert_eq!((s.status, s.number, s.serial.as_deref(), s.lookup_code.as_deref()), (InvoiceStatus::SentToTax, Some(1), Some("K24TUT"), Some("123456")));
        assert_eq!(s.issue_date, Some(time::macros::date!(2024 - 01 - 01)));
        assert_eq!(s.paid, Some(false));
        assert_eq!(found(Operation::Query, &serde_json::json!({"result": []})).unwrap(), None);
        assert_eq!(found(Operation::Query, &serde_json::json!({"result": null})).unwrap(), None);
        assert!(found(Operation::Query, &serde_json::json!({"result": 3})).is_err());
        for wild in [i64::MAX, i64::MIN, 253_402_300_799_000] {
            let f = Found { issued_ms: Some(wild), ..Default::default() };
            assert_eq!(state(&key("K1"), Some(&f)).issue_date, None);
        }
    }

    #[test]
    fn files_and_templates() {
        assert_eq!(file(Operation::Pdf, &serde_json::json!({"fileToBytes": "JVBERi0x"})).unwrap().unwrap(), b"%PDF-1");
        assert_eq!(file(Operation::Pdf, &serde_json::json!({"fileToBytes": ""})).unwrap(), None);
        assert_eq!(file(Operation::Pdf, &serde_json::json!({"fileName": "a.pdf"})).unwrap(), None);
        assert!(file(Operation::Pdf, &serde_json::json!({"fileToBytes": "***"})).unwrap_err().is_unclear());
        let t = templates(Operation::ListPatterns, &serde_json::json!({"template": [{"templateCode": "1/001", "invoiceSeri": "C26TAA"}]})).unwrap();
        assert_eq!(t, vec![PatternSerial { pattern: "1/001".into(), serial: "C26TAA".into() }]);
        assert!(templates(Operation::ListPatterns, &serde_json::json!({})).is_err());
    }
}
