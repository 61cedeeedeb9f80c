//! Reading EasyInvoice answers.
//!
//! The envelope is `{"Status": 2, "Message": "Ok", "ErrorCode": "0", "Data": {…}}` (the v8
//! integration document, section III). `Status` 2 is success, 4 a client error, 5 a server
//! error; failures also come with HTTP 4xx/5xx and an `ErrorCode` (number or string), and
//! per-invoice problems with `Data.KeyInvoiceMsg` = `{"<ikey>": "<text>"}`.
//!
//! The full list of error codes is a spreadsheet the document links to and we do not hold.
//! The codes decoded below are those real integrations report (`easyinvoice-v8-facts.md`
//! §2): anything else becomes [`Refusal::Unknown`] with the provider's own `Message`, and a
//! `Status` 5 is unclear whatever its code, so the caller asks by Ikey before any resend.
//! Unverified: the code of "this Ikey is already signed". Real answers put it under 129
//! (invoice data invalid) with a per-key text, so a 129 on a call that creates an invoice
//! whose text says the key exists is read as a duplicate (unclear); the older integrations'
//! per-key `163` is read the same way.

use serde_json::Value;
use time::Date;

use hoadon_rules::calendar::parse_date;
use hoadon_rules::Dong;

use crate::draft::InvoiceKey;
use crate::error::{Operation, ProviderError, Refusal};
use crate::status::{InvoiceState, InvoiceStatus, Issued, PatternSerial, ProviderKind, TaxCheck};

/// Envelope `Status` of a success.
pub const STATUS_OK: i64 = 2;
/// Envelope `Status` of a refusal of the request as sent (HTTP 400/404/409).
pub const STATUS_CLIENT_ERROR: i64 = 4;
/// Envelope `Status` of a failure at the provider (HTTP 500), and of a failed log-in (401).
pub const STATUS_SERVER_ERROR: i64 = 5;

/// `ErrorCode`s that real integrations report.
pub mod code {
    /// The `Authentication` header: unreadable, bad signature, stale timestamp, unknown user.
    pub const AUTHENTICATION: i64 = 175;
    /// The seller's tax code (sixth field) missing or not the account's.
    pub const SELLER_TAX_CODE: i64 = 176;
    /// Wrong password, or the account is not active.
    pub const PASSWORD: i64 = 177;
    /// The body is not valid JSON.
    pub const BAD_JSON: i64 = 100;
    /// The body is not valid JSON (the other code integrations report for it).
    pub const BAD_JSON_2: i64 = 107;
    /// A required field is missing.
    pub const REQUIRED_FIELD: i64 = 102;
    /// Pattern/Serial not usable by this account.
    pub const PATTERN_SERIAL: i64 = 117;
    /// `XmlData` is not valid XML or not an invoice document.
    pub const XML_INVALID: i64 = 127;
    /// None of the Ikeys asked is known (HTTP 404).
    pub const IKEYS_NOT_FOUND: i64 = 128;
    /// The invoice data is invalid; reasons per key in `KeyInvoiceMsg` (HTTP 409).
    pub const INVOICE_INVALID: i64 = 129;
    /// The invoice may not be cancelled (a draft, the tax authority still checking, a token
    /// account after Decree 70).
    pub const CANCEL_NOT_ALLOWED: i64 = 164;
    /// No invoice with this `Ikey`.
    pub const INVOICE_NOT_FOUND: i64 = 165;
    /// Remote signing (HSM) is not set up for the account.
    pub const HSM_NOT_CONFIGURED: i64 = 196;
    /// Any other failure at the provider ("Có lỗi xảy ra", HTTP 500).
    pub const GENERIC: i64 = 199;
    /// Per key, in older integrations: an invoice with this Ikey is already signed.
    pub const KEY_ALREADY_SIGNED: i64 = 163;
    /// Per key: no invoice with this Ikey.
    pub const KEY_NOT_FOUND: i64 = -1;
}

const P: ProviderKind = ProviderKind::EasyInvoice;

/// The decoded envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// `Status`: 2 success, 4 client error, 5 server or log-in error.
    pub status: i64,
    /// `Message`: the provider's general words ("Ok" on success).
    pub message: String,
    /// `ErrorCode`, `None` when absent or `0`.
    pub error_code: Option<i64>,
    /// `Data`: the operation's result (`Null` when absent); on a refusal may hold `KeyInvoiceMsg`.
    pub data: Value,
}

/// Reads the envelope. `Err` is a description of why the answer is unreadable.
pub fn parse_envelope(body: &[u8]) -> Result<Envelope, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("không phải JSON: {e}"))?;
    let obj = value.as_object().ok_or("JSON không phải một đối tượng")?;
    let status = obj.get("Status").and_then(as_int).ok_or("thiếu Status")?;
    let message = obj.get("Message").and_then(Value::as_str).unwrap_or("").to_string();
    let data = obj.get("Data").cloned().unwrap_or(Value::Null);
    let error_code = obj.get("ErrorCode").and_then(as_int).filter(|&c| c != 0);
    Ok(Envelope { status, message, error_code, data })
}

/// A number, or a string holding one: the provider sends both.
fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `Data.KeyInvoiceNo` / `Data.KeyInvoiceMsg` as (key, text) pairs, in the answer's order.
pub fn key_map(data: &Value, field: &str) -> Vec<(String, String)> {
    match data.get(field) {
        Some(Value::Object(map)) => map.iter().filter_map(|(k, v)| as_text(v).map(|t| (k.clone(), t))).collect(),
        _ => Vec::new(),
    }
}

/// The leading integer of a per-key message: `"163"`, `"163: Hóa đơn đã ký"`, `"-1"`.
pub fn leading_code(text: &str) -> Option<i64> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    t[..end].parse().ok()
}

/// Whether the operation creates or signs an invoice under a key, so that "already signed"
/// means that an earlier send (whose answer may have been lost) already did it, rather than
/// a wrong state.
fn creates(op: Operation) -> bool {
    matches!(op, Operation::Issue | Operation::IssueCashRegister | Operation::Draft | Operation::Adjust | Operation::Replace | Operation::PublishDrafts)
}

/// Whether a per-key text says that the Ikey is already there ("Ikey đã tồn tại", "hóa đơn
/// đã được ký"): see the module doc.
fn says_key_exists(text: &str) -> bool {
    let t = text.to_lowercase();
    leading_code(&t) == Some(code::KEY_ALREADY_SIGNED) || ["tồn tại", "đã được ký", "đã ký", "đã phát hành", "đã được phát hành", "exist", "duplicate"].iter().any(|w| t.contains(w))
}

/// The error a failed answer means: `http_status` is the HTTP status it came with.
pub fn refusal(op: Operation, env: &Envelope, http_status: u16) -> ProviderError {
    let per_key = key_map(&env.data, "KeyInvoiceMsg");
    let message = Some(env.message.clone()).filter(|m| !m.trim().is_empty());
    let keys: Vec<String> = per_key.iter().map(|(k, _)| k.clone()).collect();
    let code_text = match env.error_code {
        Some(c) => c.to_string(),
        None => format!("Status {}", env.status),
    };
    let refused = |refusal: Refusal, provider_message: Option<String>| ProviderError::Refused {
        provider: P,
        op,
        code: code_text.clone(),
        refusal,
        provider_message,
        keys: keys.clone(),
    };

    // A failed log-in travels as Status 5 with HTTP 401: definite, nothing was done.
    let login = match env.error_code {
        Some(code::AUTHENTICATION) => Some(Refusal::SignatureRejected),
        Some(code::SELLER_TAX_CODE) => Some(Refusal::SellerTaxCodeRejected),
        Some(code::PASSWORD) => Some(Refusal::LoginFailed),
        _ if http_status == 401 || http_status == 403 => Some(Refusal::LoginFailed),
        _ => None,
    };
    if let Some(refusal) = login {
        return refused(refusal, message);
    }

    if creates(op) {
        let dups: Vec<&str> = per_key.iter().filter(|(_, t)| says_key_exists(t)).map(|(k, _)| k.as_str()).collect();
        if !dups.is_empty() {
            return ProviderError::DuplicateKey { provider: P, op, keys: dups.join(", "), code: code_text };
        }
    }

    // Status 5 (or any 5xx): the provider failed somewhere, maybe after storing the invoice.
    if env.status == STATUS_SERVER_ERROR || http_status >= 500 {
        return ProviderError::ServerError { provider: P, op, http_status: if http_status >= 500 { http_status } else { 500 } };
    }

    let per_key_text = per_key.first().map(|(_, t)| t.clone());
    let with_reason = |m: &Option<String>| match (m, &per_key_text) {
        (Some(m), Some(t)) => Some(format!("{m}: {t}")),
        (None, Some(t)) => Some(t.clone()),
        (m, None) => m.clone(),
    };
    let refusal = match env.error_code {
        Some(code::BAD_JSON | code::BAD_JSON_2 | code::REQUIRED_FIELD | code::XML_INVALID | code::INVOICE_INVALID) => Refusal::InvalidData,
        Some(code::PATTERN_SERIAL) => Refusal::PatternSerialMismatch,
        Some(code::IKEYS_NOT_FOUND | code::INVOICE_NOT_FOUND) => Refusal::NotFound,
        Some(code::CANCEL_NOT_ALLOWED) => Refusal::CancelNotAllowed,
        Some(code::HSM_NOT_CONFIGURED) => Refusal::RemoteSigningNotSetUp,
        Some(code::GENERIC) => Refusal::OtherError,
        Some(other) => Refusal::Unknown(other.to_string()),
        None => match per_key_text.as_deref().and_then(leading_code) {
            Some(code::KEY_NOT_FOUND) => Refusal::NotFound,
            _ if http_status == 404 => Refusal::NotFound,
            _ => Refusal::Unknown(code_text.clone()),
        },
    };
    refused(refusal, with_reason(&message))
}

fn malformed(op: Operation, detail: impl Into<String>) -> ProviderError {
    ProviderError::Malformed { provider: P, op, detail: detail.into() }
}

/// Reads a successful `KeyInvoiceNo` answer into issued invoices, checking that every key
/// sent came back: an answer that forgets a key tells nothing about it, which is unclear.
pub fn issued(op: Operation, env: &Envelope, keys: &[InvoiceKey], pattern: &str, serial: &str) -> Result<Vec<Issued>, ProviderError> {
    let numbers = key_map(&env.data, "KeyInvoiceNo");
    let pattern = env.data.get("Pattern").and_then(as_text).filter(|p| !p.is_empty()).unwrap_or_else(|| pattern.to_string());
    let serial = env.data.get("Serial").and_then(as_text).unwrap_or_else(|| serial.to_string());
    keys.iter()
        .map(|key| {
            let (_, no) = numbers
                .iter()
                .find(|(k, _)| k == key.as_str())
                .ok_or_else(|| malformed(op, format!("trả lời thiếu số hóa đơn của mã {key}")))?;
            let number = no.trim().parse::<u64>().map_err(|_| malformed(op, format!("số hóa đơn «{no}» của mã {key} không phải là số")))?;
            Ok(Issued { key: key.clone(), pattern: pattern.clone(), serial: serial.clone(), number, tax_authority_code: None })
        })
        .collect()
}

/// Reads `Data.Invoices[]` (and `KeyInvoiceMsg` `-1` for unknown keys) into one state per
/// key asked. A key the answer does not mention at all is unclear, not "not found".
pub fn invoices(op: Operation, env: &Envelope, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
    let list = match env.data.get("Invoices") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(Value::Null) | None => &[],
        Some(_) => return Err(malformed(op, "Invoices không phải danh sách")),
    };
    let not_found_msgs = key_map(&env.data, "KeyInvoiceMsg");
    keys.iter()
        .map(|key| {
            if let Some(item) = list.iter().find(|i| i.get("Ikey").and_then(as_text).as_deref() == Some(key.as_str())) {
                return invoice_state(op, key, item);
            }
            if not_found_msgs.iter().any(|(k, t)| k == key.as_str() && leading_code(t) == Some(code::KEY_NOT_FOUND)) {
                return Ok(InvoiceState::not_found(key.clone()));
            }
            Err(malformed(op, format!("trả lời không nói gì về mã {key}")))
        })
        .collect()
}

/// One page of `getInvoiceByArisingDateRange`: the state of each invoice listed (an entry
/// whose `Ikey` is no key this app could have made is left out), and `TotalPages`.
pub fn listed(op: Operation, env: &Envelope) -> Result<(Vec<InvoiceState>, u32), ProviderError> {
    let list = match env.data.get("Invoices") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(Value::Null) | None => &[],
        Some(_) => return Err(malformed(op, "Invoices không phải danh sách")),
    };
    let mut states = Vec::with_capacity(list.len());
    for item in list {
        let Some(key) = item.get("Ikey").and_then(as_text).and_then(|k| InvoiceKey::new(k).ok()) else { continue };
        states.push(invoice_state(op, &key, item)?);
    }
    let pages = env.data.get("TotalPages").and_then(as_int).unwrap_or(1).clamp(0, i64::from(u32::MAX)) as u32;
    Ok((states, pages))
}

fn invoice_state(op: Operation, key: &InvoiceKey, item: &Value) -> Result<InvoiceState, ProviderError> {
    let code = item.get("InvoiceStatus").and_then(as_int).ok_or_else(|| malformed(op, format!("thiếu InvoiceStatus của mã {key}")))?;
    let status = InvoiceStatus::from_easyinvoice(code).ok_or_else(|| malformed(op, format!("InvoiceStatus {code} không có trong tài liệu")))?;
    if status == InvoiceStatus::NotFound {
        return Ok(InvoiceState::not_found(key.clone()));
    }
    let text = |name: &str| item.get(name).and_then(as_text).filter(|t| !t.is_empty());
    let number = match text("No") {
        Some(no) => match no.parse::<u64>() {
            Ok(0) => None,
            Ok(n) => Some(n),
            Err(_) => return Err(malformed(op, format!("số hóa đơn «{no}» không phải là số"))),
        },
        None => None,
    };
    Ok(InvoiceState {
        key: key.clone(),
        status,
        pattern: text("Pattern"),
        serial: text("Serial"),
        number,
        lookup_code: text("LookupCode"),
        arising_date: text("ArisingDate").as_deref().and_then(date_of),
        issue_date: text("IssueDate").as_deref().and_then(date_of),
        amount: item.get("Amount").and_then(as_int).map(Dong),
        paid: None,
        buyer: text("CustomerName").or_else(|| text("Buyer")),
        tax_check: tax_check(item),
    })
}

/// `TCTCheckStatus`: −2 refused (`TCTErrorMessage`), −1 being checked, 0 not processed yet,
/// 1 accepted (its code in `TaxAuthorityCode`, which can take minutes to appear), null not
/// sent. A text value has been seen too; it is read when it holds one of those numbers.
fn tax_check(item: &Value) -> Option<TaxCheck> {
    let text = |name: &str| item.get(name).and_then(as_text).filter(|t| !t.is_empty());
    match item.get("TCTCheckStatus") {
        None => None,
        Some(Value::Null) => Some(TaxCheck::NotSent),
        Some(v) => Some(match as_int(v)? {
            -2 => TaxCheck::Rejected { reason: text("TCTErrorMessage").unwrap_or_default() },
            -1 | 0 => TaxCheck::Waiting,
            1 => TaxCheck::Accepted { code: text("TaxAuthorityCode") },
            _ => return None,
        }),
    }
}

/// Dates come as `dd/MM/yyyy`, `dd/MM/yyyy HH:mm:ss` or ISO `yyyy-MM-ddTHH:mm:ss`.
pub fn date_of(text: &str) -> Option<Date> {
    let t = text.trim();
    let head = t.split([' ', 'T']).next()?;
    parse_date(head).or_else(|| hoadon_rules::calendar::parse_iso_date(head))
}

/// `api/invoices/patterns`: `Data` is a list of `{Pattern, Serial}` objects, or of full
/// symbols as strings (`"1C26TAA"`), depending on the host.
pub fn patterns(op: Operation, env: &Envelope) -> Result<Vec<PatternSerial>, ProviderError> {
    let list = match &env.data {
        Value::Array(items) => items.as_slice(),
        Value::Object(map) => match map.get("Patterns").or_else(|| map.get("Invoices")) {
            Some(Value::Array(items)) => items.as_slice(),
            _ => return Err(malformed(op, "thiếu danh sách mẫu số")),
        },
        _ => return Err(malformed(op, "thiếu danh sách mẫu số")),
    };
    list.iter()
        .map(|item| match item {
            Value::String(s) if s.len() > 1 && s.is_char_boundary(1) => {
                Ok(PatternSerial { pattern: s[..1].to_string(), serial: s[1..].to_string() })
            }
            Value::Object(_) => Ok(PatternSerial {
                pattern: item.get("Pattern").and_then(as_text).unwrap_or_default(),
                serial: item.get("Serial").and_then(as_text).unwrap_or_default(),
            }),
            _ => Err(malformed(op, "mẫu số không đọc được")),
        })
        .collect()
}

/// The outcome of `sendIssuanceNotice` for one key: `Status` 2 comes back even when the mail
/// was not sent, with a text per key in `KeyInvoiceMsg` (sent / not found / state forbids).
/// The texts are not published, so a text that does not say it was sent is a refusal
/// carrying the provider's words.
pub fn notice_outcome(op: Operation, env: &Envelope, key: &InvoiceKey) -> Result<(), ProviderError> {
    let per_key = key_map(&env.data, "KeyInvoiceMsg");
    let Some((_, text)) = per_key.iter().find(|(k, _)| k == key.as_str()) else { return Ok(()) };
    let t = text.to_lowercase();
    let sent = ["thành công", "đã gửi", "success", "sent", "ok"].iter().any(|w| t.contains(w)) && !t.contains("không");
    if sent {
        return Ok(());
    }
    let refusal = if t.contains("không tìm thấy") || t.contains("not found") || leading_code(&t) == Some(code::KEY_NOT_FOUND) {
        Refusal::NotFound
    } else if t.contains("trạng thái") || t.contains("status") {
        Refusal::StatusForbids
    } else {
        Refusal::OtherError
    };
    Err(ProviderError::Refused { provider: P, op, code: "KeyInvoiceMsg".into(), refusal, provider_message: Some(text.clone()), keys: vec![key.to_string()] })
}

/// The PDF answer: raw bytes on success, the JSON envelope on failure.
pub fn pdf(op: Operation, http_status: u16, content_type: &str, body: &[u8]) -> Result<Vec<u8>, ProviderError> {
    if body.starts_with(b"%PDF-") {
        return Ok(body.to_vec());
    }
    let looks_json = content_type.contains("json") || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if looks_json {
        let env = parse_envelope(body).map_err(|e| malformed(op, e))?;
        if env.status == STATUS_OK {
            return Err(malformed(op, "trả lời thành công nhưng không có tệp PDF"));
        }
        return Err(refusal(op, &env, http_status));
    }
    Err(malformed(op, "tệp nhận được không phải PDF"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(json: &str) -> Envelope {
        parse_envelope(json.as_bytes()).unwrap()
    }

    fn key(k: &str) -> InvoiceKey {
        InvoiceKey::new(k).unwrap()
    }

    #[test]
    fn status_comes_as_number_or_string() {
        assert_eq!(env(r#"{"Status":2,"Message":"Ok"}"#).status, 2);
        assert_eq!(env(r#"{"Status":"2","Message":"Ok"}"#).status, 2);
        assert_eq!(env(r#"{"Status":" 3 "}"#).status, 3);
        assert!(parse_envelope(br#"{"Message":"Ok"}"#).is_err());
        assert!(parse_envelope(b"<html>").is_err());
        assert!(parse_envelope(b"[2]").is_err());
    }

    #[test]
    fn reads_numbers_of_issued_invoices() {
        let e = env(r#"{"Status":2,"Message":"Ok","Data":{"Pattern":"1","Serial":"C26TAA","KeyInvoiceNo":{"K1":"0000012","K2":13}}}"#);
        let got = issued(Operation::Issue, &e, &[key("K1"), key("K2")], "1", "C26TAA").unwrap();
        assert_eq!(got[0].number, 12);
        assert_eq!(got[1].number, 13);
        assert_eq!(got[1].serial, "C26TAA");
        let err = issued(Operation::Issue, &e, &[key("K3")], "1", "C26TAA").unwrap_err();
        assert!(err.is_unclear());
    }

    /// The envelope's `ErrorCode` decides the refusal (facts §2); the old readings by
    /// `Status` 1/3/4/5/6 are gone: `Status` is only 2 (ok), 4 (client) or 5 (server).
    #[test]
    fn every_code_has_its_meaning() {
        let cases: &[(&str, u16, Operation, Refusal)] = &[
            // Log-in failures travel as Status 5 with HTTP 401, yet they are certain.
            (r#"{"Status":5,"Message":"Mật khẩu không đúng","ErrorCode":177}"#, 401, Operation::Issue, Refusal::LoginFailed),
            (r#"{"Status":5,"ErrorCode":"175"}"#, 401, Operation::Issue, Refusal::SignatureRejected),
            (r#"{"Status":5,"ErrorCode":176}"#, 401, Operation::VerifyAccount, Refusal::SellerTaxCodeRejected),
            (r#"{"Status":5}"#, 401, Operation::Issue, Refusal::LoginFailed),
            (r#"{"Status":4,"ErrorCode":100}"#, 400, Operation::Issue, Refusal::InvalidData),
            (r#"{"Status":4,"ErrorCode":107}"#, 400, Operation::Issue, Refusal::InvalidData),
            (r#"{"Status":4,"ErrorCode":102}"#, 400, Operation::Issue, Refusal::InvalidData),
            (r#"{"Status":4,"ErrorCode":127}"#, 400, Operation::Draft, Refusal::InvalidData),
            (r#"{"Status":4,"ErrorCode":129,"Data":{"KeyInvoiceMsg":{"K1":"thiếu <ProdName>"}}}"#, 409, Operation::Issue, Refusal::InvalidData),
            (r#"{"Status":4,"ErrorCode":117}"#, 400, Operation::Issue, Refusal::PatternSerialMismatch),
            (r#"{"Status":4,"ErrorCode":128}"#, 404, Operation::Query, Refusal::NotFound),
            (r#"{"Status":4,"ErrorCode":165}"#, 404, Operation::Cancel, Refusal::NotFound),
            (r#"{"Status":4,"ErrorCode":164}"#, 400, Operation::Cancel, Refusal::CancelNotAllowed),
            (r#"{"Status":4,"ErrorCode":196}"#, 400, Operation::Issue, Refusal::RemoteSigningNotSetUp),
            (r#"{"Status":4,"ErrorCode":199}"#, 400, Operation::Cancel, Refusal::OtherError),
            (r#"{"Status":4,"ErrorCode":999}"#, 400, Operation::Cancel, Refusal::Unknown("999".into())),
            // No ErrorCode: the per-key -1, or the HTTP 404, still says "not found".
            (r#"{"Status":4,"Data":{"KeyInvoiceMsg":{"K1":"-1"}}}"#, 400, Operation::Cancel, Refusal::NotFound),
            (r#"{"Status":4}"#, 404, Operation::Pdf, Refusal::NotFound),
            (r#"{"Status":4}"#, 400, Operation::Cancel, Refusal::Unknown("Status 4".into())),
            // A signed-key text on a call that creates nothing is no duplicate.
            (r#"{"Status":4,"ErrorCode":129,"Data":{"KeyInvoiceMsg":{"K1":"163: Hóa đơn đã được ký"}}}"#, 409, Operation::Cancel, Refusal::InvalidData),
        ];
        for (json, http, op, expected) in cases {
            let e = refusal(*op, &env(json), *http);
            assert_eq!(e.refusal(), Some(expected), "{json}");
            assert!(!e.is_unclear(), "{json}");
        }
        let with_words = refusal(Operation::Issue, &env(r#"{"Status":4,"Message":"Dữ liệu hóa đơn không hợp lệ","ErrorCode":129,"Data":{"KeyInvoiceMsg":{"K1":"thiếu <ProdName>"}}}"#), 409);
        assert!(with_words.to_string().ends_with("(Nhà cung cấp ghi: «Dữ liệu hóa đơn không hợp lệ: thiếu <ProdName>»)"), "{with_words}");
        assert_eq!(env(r#"{"Status":2,"ErrorCode":"0"}"#).error_code, None);
    }

    /// Status 5 (or any 5xx) is the provider failing somewhere, maybe after storing: unclear.
    #[test]
    fn a_server_error_is_unclear() {
        for (json, http) in [(r#"{"Status":5,"ErrorCode":199,"Message":"Có lỗi xảy ra"}"#, 500), (r#"{"Status":5}"#, 200), (r#"{"Status":4,"ErrorCode":129}"#, 503)] {
            let e = refusal(Operation::Issue, &env(json), http);
            assert!(matches!(e, ProviderError::ServerError { .. }), "{json}: {e:?}");
            assert!(e.is_unclear(), "{json}");
        }
    }

    #[test]
    fn a_signed_duplicate_is_unclear() {
        for text in ["163: Hóa đơn đã được ký", "Ikey đã tồn tại: hóa đơn đã được phát hành", "Hóa đơn đã được phát hành"] {
            let json = format!(r#"{{"Status":4,"ErrorCode":129,"Data":{{"KeyInvoiceMsg":{{"K1":"{text}"}}}}}}"#);
            for op in [Operation::Issue, Operation::Draft, Operation::PublishDrafts, Operation::Adjust, Operation::Replace] {
                let e = refusal(op, &env(&json), 409);
                assert!(matches!(&e, ProviderError::DuplicateKey { keys, .. } if keys == "K1"), "{op:?} {text}: {e:?}");
                assert!(e.is_unclear());
            }
        }
    }

    #[test]
    fn notice_outcomes_are_read_per_key() {
        let e = env(r#"{"Status":2,"Data":{"KeyInvoiceMsg":{"K1":"Đã gửi email thông báo phát hành","K2":"Không tìm thấy hóa đơn","K3":"Trạng thái hóa đơn không cho phép gửi thông báo","K4":"Email không hợp lệ"}}}"#);
        assert!(notice_outcome(Operation::SendNotice, &e, &key("K1")).is_ok());
        assert_eq!(notice_outcome(Operation::SendNotice, &e, &key("K2")).unwrap_err().refusal(), Some(&Refusal::NotFound));
        assert_eq!(notice_outcome(Operation::SendNotice, &e, &key("K3")).unwrap_err().refusal(), Some(&Refusal::StatusForbids));
        let bad = notice_outcome(Operation::SendNotice, &e, &key("K4")).unwrap_err();
        assert_eq!(bad.refusal(), Some(&Refusal::OtherError));
        assert!(bad.to_string().contains("Email không hợp lệ"), "{bad}");
    }

    #[test]
    fn reads_every_invoice_status() {
        let json = r#"{"Status":2,"Data":{"Invoices":[
            {"Ikey":"A","InvoiceStatus":-1},
            {"Ikey":"B","InvoiceStatus":0,"No":"0"},
            {"Ikey":"C","InvoiceStatus":"1","No":"0000007","LookupCode":"ABC123","ArisingDate":"05/03/2026","IssueDate":"2026-03-05T10:11:12","Pattern":"1","Serial":"C26TAA","Amount":75600},
            {"Ikey":"D","InvoiceStatus":2},{"Ikey":"E","InvoiceStatus":3},{"Ikey":"F","InvoiceStatus":4},
            {"Ikey":"G","InvoiceStatus":5},{"Ikey":"H","InvoiceStatus":6}],
            "KeyInvoiceMsg":{"I":"-1"}}}"#;
        let keys: Vec<InvoiceKey> = ["A", "B", "C", "D", "E", "F", "G", "H", "I"].iter().map(|k| key(k)).collect();
        let got = invoices(Operation::Query, &env(json), &keys).unwrap();
        let statuses: Vec<InvoiceStatus> = got.iter().map(|s| s.status).collect();
        use InvoiceStatus::*;
        assert_eq!(statuses, [NotFound, Unsigned, Signed, SentToTax, Replaced, Adjusted, Cancelled, Approved, NotFound]);
        assert_eq!(got[1].number, None);
        assert_eq!(got[2].number, Some(7));
        assert_eq!(got[2].lookup_code.as_deref(), Some("ABC123"));
        assert_eq!(got[2].arising_date, Some(time::macros::date!(2026 - 03 - 05)));
        assert_eq!(got[2].issue_date, Some(time::macros::date!(2026 - 03 - 05)));
        assert_eq!(got[2].amount, Some(Dong(75_600)));
        let err = invoices(Operation::Query, &env(json), &[key("Z")]).unwrap_err();
        assert!(err.is_unclear());
        let bad = env(r#"{"Status":2,"Data":{"Invoices":[{"Ikey":"A","InvoiceStatus":9}]}}"#);
        assert!(invoices(Operation::Query, &bad, &[key("A")]).unwrap_err().is_unclear());
    }

    #[test]
    fn reads_the_buyer_and_the_tax_authority_verdict() {
        let json = r#"{"Status":2,"Data":{"Invoices":[
            {"Ikey":"A","InvoiceStatus":1,"No":"0000001","CustomerName":"Công ty A","TCTCheckStatus":1,"TaxAuthorityCode":"00ABC"},
            {"Ikey":"B","InvoiceStatus":1,"No":"0000002","Buyer":"Nguyễn Văn B","TCTCheckStatus":-2,"TCTErrorMessage":"Sai MST"},
            {"Ikey":"C","InvoiceStatus":1,"No":"3","TCTCheckStatus":"-1"},
            {"Ikey":"D","InvoiceStatus":1,"No":"4","TCTCheckStatus":null},
            {"Ikey":"E","InvoiceStatus":1,"No":"5"}]}}"#;
        let keys: Vec<InvoiceKey> = ["A", "B", "C", "D", "E"].iter().map(|k| key(k)).collect();
        let got = invoices(Operation::Query, &env(json), &keys).unwrap();
        assert_eq!(got[0].buyer.as_deref(), Some("Công ty A"));
        assert_eq!(got[0].tax_check, Some(TaxCheck::Accepted { code: Some("00ABC".into()) }));
        assert_eq!(got[1].buyer.as_deref(), Some("Nguyễn Văn B"));
        assert_eq!(got[1].tax_check, Some(TaxCheck::Rejected { reason: "Sai MST".into() }));
        assert_eq!(got[2].tax_check, Some(TaxCheck::Waiting));
        assert_eq!(got[3].tax_check, Some(TaxCheck::NotSent));
        assert_eq!(got[4].tax_check, None);
    }

    #[test]
    fn pdf_is_raw_bytes_or_an_envelope() {
        assert_eq!(pdf(Operation::Pdf, 200, "application/pdf", b"%PDF-1.7 x").unwrap(), b"%PDF-1.7 x");
        let e = pdf(Operation::Pdf, 404, "application/json", r#"{"Status":4,"ErrorCode":165,"Message":"Không tìm thấy hóa đơn"}"#.as_bytes()).unwrap_err();
        assert_eq!(e.refusal(), Some(&Refusal::NotFound));
        let e = pdf(Operation::Pdf, 200, "application/json", br#"{"Status":4,"Data":{"KeyInvoiceMsg":{"K":"-1"}}}"#).unwrap_err();
        assert_eq!(e.refusal(), Some(&Refusal::NotFound));
        assert!(pdf(Operation::Pdf, 500, "application/json", br#"{"Status":5,"ErrorCode":199}"#).unwrap_err().is_unclear());
        assert!(pdf(Operation::Pdf, 200, "application/json", br#"{"Status":2,"Data":null}"#).unwrap_err().is_unclear());
        assert!(pdf(Operation::Pdf, 200, "text/html", b"<html>").unwrap_err().is_unclear());
    }

    #[test]
    fn reads_patterns_in_both_shapes() {
        let a = patterns(Operation::ListPatterns, &env(r#"{"Status":2,"Data":[{"Pattern":"1","Serial":"C26TAA"}]}"#)).unwrap();
        let b = patterns(Operation::ListPatterns, &env(r#"{"Status":2,"Data":["1C26TAA"]}"#)).unwrap();
        assert_eq!(a, b);
    }
}
