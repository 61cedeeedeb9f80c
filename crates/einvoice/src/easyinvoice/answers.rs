//! Reading EasyInvoice answers.
//!
//! The envelope is `{"Status": 2, "Message": "Ok", "Data": {…}}`; `Status` arrives as a
//! number or a string. Success is `Status` 2. A failure carries another `Status` and, for
//! per-invoice problems, `Data.KeyInvoiceMsg` = `{"<ikey>": "<code or message>"}`.
//!
//! The copy of the EasyPOS integration document we hold stops after its header pages, so its
//! table of failure codes did not survive. The codes below are those the specs README and
//! live integrations report (`-1` not found, `163` Ikey already signed, `164` cancel while
//! the tax authority still checks) plus the envelope statuses this client and the simulator
//! agree on. Unknown codes are never guessed: they become [`Refusal::Unknown`] carrying the
//! provider's own `Message`.

use serde_json::Value;
use time::Date;

use hoadon_rules::calendar::parse_date;
use hoadon_rules::Dong;

use crate::draft::InvoiceKey;
use crate::error::{Operation, ProviderError, Refusal};
use crate::status::{InvoiceState, InvoiceStatus, Issued, PatternSerial, ProviderKind};

/// Envelope `Status` of a success.
pub const STATUS_OK: i64 = 2;
/// Envelope `Status` of a refusal whose reasons are per key in `KeyInvoiceMsg`.
pub const STATUS_REFUSED: i64 = 1;
/// Username, password (or tax code on the shared host) wrong.
pub const STATUS_LOGIN_FAILED: i64 = 3;
/// Signature wrong or timestamp more than 5 minutes off.
pub const STATUS_BAD_SIGNATURE: i64 = 4;
/// The request itself is invalid: unreadable XmlData, more than 200 invoices or 400 lines.
pub const STATUS_INVALID_REQUEST: i64 = 5;
/// Pattern/serial not registered for this account.
pub const STATUS_PATTERN_NOT_FOUND: i64 = 6;

/// Per key: no invoice with this Ikey.
pub const KEY_NOT_FOUND: i64 = -1;
/// Per key: this invoice's data is invalid (totals, missing field).
pub const KEY_INVALID: i64 = 160;
/// Per key: the invoice's status does not allow the operation.
pub const KEY_STATUS_FORBIDS: i64 = 162;
/// Per key: an invoice with this Ikey is already signed (a duplicate).
pub const KEY_ALREADY_SIGNED: i64 = 163;
/// Per key: the tax authority is still checking the invoice; cancel later.
pub const KEY_AWAITING_TAX: i64 = 164;

const P: ProviderKind = ProviderKind::EasyInvoice;

/// The decoded envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub status: i64,
    pub message: String,
    pub data: Value,
}

/// Reads the envelope. `Err` is a description of why the answer is unreadable.
pub fn parse_envelope(body: &[u8]) -> Result<Envelope, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("không phải JSON: {e}"))?;
    let obj = value.as_object().ok_or("JSON không phải một đối tượng")?;
    let status = obj.get("Status").and_then(as_int).ok_or("thiếu Status")?;
    let message = obj.get("Message").and_then(Value::as_str).unwrap_or("").to_string();
    let data = obj.get("Data").cloned().unwrap_or(Value::Null);
    Ok(Envelope { status, message, data })
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
    matches!(op, Operation::Issue | Operation::Draft | Operation::Adjust | Operation::Replace | Operation::PublishDrafts)
}

/// The error a non-success envelope means.
pub fn refusal(op: Operation, env: &Envelope) -> ProviderError {
    let per_key = key_map(&env.data, "KeyInvoiceMsg");
    let message = Some(env.message.clone()).filter(|m| !m.trim().is_empty());

    if creates(op) {
        let dups: Vec<&str> = per_key
            .iter()
            .filter(|(_, t)| leading_code(t) == Some(KEY_ALREADY_SIGNED))
            .map(|(k, _)| k.as_str())
            .collect();
        if !dups.is_empty() {
            return ProviderError::DuplicateKey { provider: P, op, keys: dups.join(", "), code: KEY_ALREADY_SIGNED.to_string() };
        }
    }

    let envelope_refusal = match env.status {
        STATUS_LOGIN_FAILED => Some(Refusal::LoginFailed),
        STATUS_BAD_SIGNATURE => Some(Refusal::SignatureRejected),
        STATUS_INVALID_REQUEST => Some(Refusal::InvalidData),
        STATUS_PATTERN_NOT_FOUND => Some(Refusal::PatternSerialMismatch),
        _ => None,
    };
    if let Some(refusal) = envelope_refusal {
        return ProviderError::Refused {
            provider: P,
            op,
            code: format!("Status {}", env.status),
            refusal,
            provider_message: message,
            keys: per_key.into_iter().map(|(k, _)| k).collect(),
        };
    }

    // Per-key reasons: the first one decides the meaning; all keys are reported.
    if let Some((_, text)) = per_key.first() {
        let code = leading_code(text);
        let refusal = match code {
            Some(KEY_NOT_FOUND) => Refusal::NotFound,
            Some(KEY_INVALID) => Refusal::InvalidData,
            Some(KEY_STATUS_FORBIDS) | Some(KEY_ALREADY_SIGNED) => Refusal::StatusForbids,
            Some(KEY_AWAITING_TAX) => Refusal::AwaitingTaxAuthority,
            Some(other) => Refusal::Unknown(other.to_string()),
            None => Refusal::Unknown(text.clone()),
        };
        let provider_message = match (&message, code) {
            (_, None) => Some(text.clone()),
            (m, _) => m.clone(),
        };
        return ProviderError::Refused {
            provider: P,
            op,
            code: code.map(|c| c.to_string()).unwrap_or_else(|| format!("Status {}", env.status)),
            refusal,
            provider_message,
            keys: per_key.into_iter().map(|(k, _)| k).collect(),
        };
    }

    ProviderError::Refused {
        provider: P,
        op,
        code: format!("Status {}", env.status),
        refusal: if env.status == STATUS_REFUSED { Refusal::OtherError } else { Refusal::Unknown(format!("Status {}", env.status)) },
        provider_message: message,
        keys: Vec::new(),
    }
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
            if not_found_msgs.iter().any(|(k, t)| k == key.as_str() && leading_code(t) == Some(KEY_NOT_FOUND)) {
                return Ok(InvoiceState::not_found(key.clone()));
            }
            Err(malformed(op, format!("trả lời không nói gì về mã {key}")))
        })
        .collect()
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
    })
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

/// The PDF answer: raw bytes on success, the JSON envelope on failure.
pub fn pdf(op: Operation, content_type: &str, body: &[u8]) -> Result<Vec<u8>, ProviderError> {
    if body.starts_with(b"%PDF-") {
        return Ok(body.to_vec());
    }
    let looks_json = content_type.contains("json") || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if looks_json {
        let env = parse_envelope(body).map_err(|e| malformed(op, e))?;
        if env.status == STATUS_OK {
            return Err(malformed(op, "trả lời thành công nhưng không có tệp PDF"));
        }
        return Err(refusal(op, &env));
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

    #[test]
    fn every_code_has_its_meaning() {
        let cases: &[(&str, Operation, Refusal)] = &[
            (r#"{"Status":3,"Message":"Sai tài khoản"}"#, Operation::Issue, Refusal::LoginFailed),
            (r#"{"Status":4}"#, Operation::Issue, Refusal::SignatureRejected),
            (r#"{"Status":"5"}"#, Operation::Issue, Refusal::InvalidData),
            (r#"{"Status":6}"#, Operation::Issue, Refusal::PatternSerialMismatch),
            (r#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K1":"-1"}}}"#, Operation::Cancel, Refusal::NotFound),
            (r#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K1":"160: Thiếu tên hàng"}}}"#, Operation::Issue, Refusal::InvalidData),
            (r#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K1":"162"}}}"#, Operation::Cancel, Refusal::StatusForbids),
            (r#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K1":"163"}}}"#, Operation::Cancel, Refusal::StatusForbids),
            (r#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K1":164}}}"#, Operation::Cancel, Refusal::AwaitingTaxAuthority),
            (r#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K1":"999"}}}"#, Operation::Cancel, Refusal::Unknown("999".into())),
            (r#"{"Status":1,"Message":"Lỗi"}"#, Operation::Cancel, Refusal::OtherError),
            (r#"{"Status":77}"#, Operation::Cancel, Refusal::Unknown("Status 77".into())),
        ];
        for (json, op, expected) in cases {
            let e = refusal(*op, &env(json));
            assert_eq!(e.refusal(), Some(expected), "{json}");
            assert!(!e.is_unclear(), "{json}");
        }
    }

    #[test]
    fn a_signed_duplicate_is_unclear() {
        let e = refusal(Operation::Issue, &env(r#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K1":"163: Hóa đơn đã được ký"}}}"#));
        assert!(matches!(&e, ProviderError::DuplicateKey { keys, .. } if keys == "K1"));
        assert!(e.is_unclear());
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
    fn pdf_is_raw_bytes_or_an_envelope() {
        assert_eq!(pdf(Operation::Pdf, "application/pdf", b"%PDF-1.7 x").unwrap(), b"%PDF-1.7 x");
        let e = pdf(Operation::Pdf, "application/json", br#"{"Status":1,"Data":{"KeyInvoiceMsg":{"K":"-1"}}}"#).unwrap_err();
        assert_eq!(e.refusal(), Some(&Refusal::NotFound));
        assert!(pdf(Operation::Pdf, "text/html", b"<html>").unwrap_err().is_unclear());
    }

    #[test]
    fn reads_patterns_in_both_shapes() {
        let a = patterns(Operation::ListPatterns, &env(r#"{"Status":2,"Data":[{"Pattern":"1","Serial":"C26TAA"}]}"#)).unwrap();
        let b = patterns(Operation::ListPatterns, &env(r#"{"Status":2,"Data":["1C26TAA"]}"#)).unwrap();
        assert_eq!(a, b);
    }
}
