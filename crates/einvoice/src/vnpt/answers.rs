//! Reading VNPT Invoice answers.
//!
//! Every answer is `<OpResponse><OpResult>text</OpResult></OpResponse>` with HTTP 200, and
//! the text is `OK…` or `ERR:n`. The number means different things per operation, so it is
//! decoded per operation ([`meaning`]), following the document operation by operation.

use base64::Engine as _;

use hoadon_rules::Dong;

use crate::draft::InvoiceKey;
use crate::error::{Operation, ProviderError, Refusal};
use crate::status::{InvoiceState, InvoiceStatus, Issued, ListedInvoice, ProviderKind, SignedDrafts, TaxCheck, UnkeyedInvoice};
use crate::xml;

const P: ProviderKind = ProviderKind::Vnpt;

fn malformed(op: Operation, detail: impl Into<String>) -> ProviderError {
    ProviderError::Malformed { provider: P, op, detail: detail.into() }
}

/// The text of `<{operation}Result>` in a SOAP answer.
pub fn soap_result(op: Operation, operation: &str, body: &str) -> Result<String, ProviderError> {
    let root = xml::parse(body).map_err(|e| malformed(op, e))?;
    let result_name = format!("{operation}Result");
    if let Some(result) = root.find(&result_name) {
        return Ok(result.text.clone());
    }
    if let Some(fault) = root.find("Fault") {
        let reason = fault.text_of("faultstring").unwrap_or("SOAP Fault");
        return Err(malformed(op, format!("SOAP Fault: {reason}")));
    }
    Err(malformed(op, format!("thiếu {result_name}")))
}

/// The reason of a `soap:Client` fault (the server could not read the request), if the body
/// is one. A `soap:Server` fault is not one of these: it stays unclear.
pub fn client_fault(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let root = xml::parse(text).ok()?;
    let fault = root.find("Fault")?;
    let code = fault.text_of("faultcode")?;
    if !code.trim().ends_with("Client") {
        return None;
    }
    Some(fault.text_of("faultstring").unwrap_or("").trim().to_string())
}

/// `Some(code)` when the text is an error: `ERR` → `Some(None)`, `ERR:6` → `Some(Some(6))`,
/// `ERR:` (the document's "other error") → `Some(None)`.
pub fn error_code(text: &str) -> Option<Option<u32>> {
    let t = text.trim();
    let rest = t.strip_prefix("ERR")?;
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix(':') {
        Some(r) => r.trim_start(),
        None if rest.is_empty() => return Some(None),
        // "ERROR", "ERRx": not the documented form; read as an unknown error.
        None => return Some(None),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(digits.parse().ok())
}

/// What an `ERR:n` of one operation means. `None` is a duplicate key (unclear).
pub fn meaning(op: Operation, code: Option<u32>) -> Option<Refusal> {
    use Refusal::*;
    let unknown = |c: Option<u32>| Unknown(match c {
        Some(n) => format!("ERR:{n}"),
        None => "ERR".into(),
    });
    Some(match op {
        // ImportAndPublishInv, ImportAndPublishInvMTT.
        Operation::Issue | Operation::IssueCashRegister => match code {
            Some(1) => LoginFailed,
            None | Some(3) => InvalidData,
            Some(5) => PublishFailed,
            Some(6) => NotEnoughNumbers,
            Some(7) => CompanyNotFound,
            Some(10) => BatchTooLarge,
            // A key already issued: later editions of the document; unclear, not a refusal.
            Some(13) => return None,
            Some(20) => PatternSerialMismatch,
            c => unknown(c),
        },
        // ImportInvByPattern. ERR:7 is listed twice in the document (no company for the
        // user; pattern/serial outside the registered ranges), hence one refusal for both.
        Operation::Draft => match code {
            Some(1) => LoginFailed,
            None | Some(3) => InvalidData,
            Some(5) => DraftFailed,
            Some(6) => NotEnoughNumbers,
            Some(7) => CompanyOrPatternNotFound,
            Some(10) => BatchTooLarge,
            // A key already at VNPT, maybe ours from a send whose answer was lost.
            Some(13) => return None,
            Some(22) => DuplicateNumber,
            Some(35) => PatternSerialRequired,
            c => unknown(c),
        },
        // PublishInvFkey.
        Operation::PublishDrafts => match code {
            Some(1) => LoginFailed,
            Some(5) => PublishDraftsFailed,
            Some(6) => DraftNotFound,
            Some(10) => BatchTooLarge,
            // Already signed: perhaps by our own earlier call whose answer was lost. Only a
            // query by key tells, so it is unclear like a duplicate key.
            Some(15) => return None,
            Some(20) => PatternSerialMismatch,
            Some(29) => CertificateExpired,
            Some(30) => DateBeforePublished,
            c => unknown(c),
        },
        Operation::Adjust | Operation::Replace => match code {
            Some(1) => LoginFailed,
            Some(2) => NotFound,
            None | Some(3) => InvalidData,
            Some(5) if op == Operation::Adjust => AdjustFailed,
            Some(5) => ReplaceFailed,
            Some(6) => OldRangeExhausted,
            Some(7) => CompanyNotFound,
            Some(8) => AlreadyReplaced,
            Some(9) => StatusForbids,
            Some(13) => return None,
            c => unknown(c),
        },
        Operation::Cancel => match code {
            Some(1) => LoginFailed,
            Some(2) => NotFound,
            Some(8) => AlreadyReplacedOrCancelled,
            Some(9) => StatusForbids,
            c => unknown(c),
        },
        // On payment calls ERR:7 is "could not (un)mark", not "no company".
        Operation::ConfirmPayment => match code {
            Some(1) => LoginFailed,
            Some(6) => NotFound,
            Some(7) => PaymentMarkFailed,
            Some(13) => AlreadyPaid,
            c => unknown(c),
        },
        Operation::UnconfirmPayment => match code {
            Some(1) => LoginFailed,
            Some(6) => NotFound,
            Some(7) => PaymentUnmarkFailed,
            Some(13) => AlreadyUnpaid,
            c => unknown(c),
        },
        // GetMCCQThueByFkeys: ERR:2 is "not found, or still a draft" (no verdict yet).
        Operation::TaxVerdict => match code {
            Some(1) => LoginFailed,
            Some(2) => NotFound,
            Some(20) => PatternSerialMismatch,
            c => unknown(c),
        },
        // listPatternByCom, getSerialByPattern.
        Operation::ListPatterns => match code {
            Some(1) => LoginFailed,
            Some(4) => NoPatternRegistered,
            Some(7) => CompanyNotFound,
            Some(20) => PatternSerialMismatch,
            c => unknown(c),
        },
        Operation::ListByKey | Operation::Query | Operation::VerifyAccount => match code {
            Some(1) => LoginFailed,
            Some(4) => NoPatternRegistered,
            Some(7) => CompanyNotFound,
            c => unknown(c),
        },
        // listInvFromNoToNo: ERR:1, ERR:7 and the bare "ERR:" (other error).
        Operation::ListIssued => match code {
            Some(1) => LoginFailed,
            Some(7) => CompanyNotFound,
            None => OtherError,
            c => unknown(c),
        },
        Operation::View => match code {
            Some(1) => LoginFailed,
            Some(6) => NotFound,
            Some(7) => CompanyNotFound,
            Some(11) => NotPaidCannotView,
            None => OtherError,
            c => unknown(c),
        },
        Operation::DownloadXml | Operation::Pdf => match code {
            Some(1) => LoginFailed,
            Some(6) => NotFound,
            Some(7) => CompanyNotFound,
            None => OtherError,
            c => unknown(c),
        },
        Operation::ReportUsage | Operation::ReportMonth => match code {
            Some(1) => LoginFailed,
            Some(7) => CompanyNotFound,
            c => unknown(c),
        },
        _ => unknown(code),
    })
}

/// The error for an `ERR…` answer of `op`.
pub fn error_for(op: Operation, code: Option<u32>, keys: &[InvoiceKey]) -> ProviderError {
    let code_text = match code {
        Some(n) => format!("ERR:{n}"),
        None => "ERR".to_string(),
    };
    match meaning(op, code) {
        Some(refusal) => ProviderError::Refused {
            provider: P,
            op,
            code: code_text,
            refusal,
            provider_message: None,
            keys: keys.iter().map(ToString::to_string).collect(),
        },
        None => ProviderError::DuplicateKey {
            provider: P,
            op,
            keys: keys.iter().map(InvoiceKey::as_str).collect::<Vec<_>>().join(", "),
            code: code_text,
        },
    }
}

/// Fails with the decoded error when the text is `ERR…`.
pub fn check(op: Operation, text: &str, keys: &[InvoiceKey]) -> Result<(), ProviderError> {
    match error_code(text) {
        Some(code) => Err(error_for(op, code, keys)),
        None => Ok(()),
    }
}

/// One invoice of an `OK:` issue answer, as the provider wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedItem {
    /// The template (mẫu số), e.g. `1/001`.
    pub pattern: String,
    /// The symbol (ký hiệu), e.g. `C26TAA`.
    pub serial: String,
    /// The `fkey` as written (not yet checked as an [`crate::InvoiceKey`]).
    pub key: String,
    /// The invoice number.
    pub number: u64,
    /// The tax-authority code of a cash-register invoice (the `_<code>` part), if any.
    pub tax_authority_code: Option<String>,
}

/// `OK:<pattern>;<serial>-<key>_<number>[,<key>_<number>…][;<serial>-…]`.
///
/// A key may contain `-` and a serial may not, so each group splits on its first `-`; a
/// key may not contain `_`, so each item splits on its last `_`. With `cash_register`, items
/// are `<key>_<number>_<tax-authority code>` (the code contains `-`, never `_`).
pub fn parse_published(text: &str, cash_register: bool) -> Result<Vec<PublishedItem>, String> {
    let body = text.trim().strip_prefix("OK:").ok_or("không bắt đầu bằng OK:")?;
    let (pattern, groups) = body.split_once(';').ok_or("thiếu dấu ; sau mẫu số")?;
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return Err("thiếu mẫu số".into());
    }
    let mut out = Vec::new();
    for group in groups.split(';') {
        let (serial, items) = group.split_once('-').ok_or("thiếu dấu - sau ký hiệu")?;
        for item in items.split(',') {
            let item = item.trim();
            let (rest, tax_code) = if cash_register {
                let (rest, code) = item.rsplit_once('_').ok_or("thiếu mã của cơ quan thuế")?;
                (rest, Some(code.to_string()))
            } else {
                (item, None)
            };
            let (key, number) = rest.rsplit_once('_').ok_or("thiếu dấu _ trước số hóa đơn")?;
            if key.is_empty() {
                return Err("thiếu mã hóa đơn".into());
            }
            let number = number.trim().parse::<u64>().map_err(|_| format!("số hóa đơn «{number}» không phải là số"))?;
            out.push(PublishedItem {
                pattern: pattern.to_string(),
                serial: serial.trim().to_string(),
                key: key.to_string(),
                number,
                tax_authority_code: tax_code.filter(|c| !c.is_empty()),
            });
        }
    }
    Ok(out)
}

/// `OK:<pattern>;<serial>-<key>[_<number>][,…]` of `ImportInvByPattern`.
///
/// The document copies the answer of `ImportAndPublishInv`, yet a draft has no number, so
/// an item without `_<number>` is read as number 0. Splitting follows [`parse_published`].
pub fn parse_drafted(text: &str) -> Result<Vec<PublishedItem>, String> {
    let body = text.trim().strip_prefix("OK:").ok_or("không bắt đầu bằng OK:")?;
    let (pattern, groups) = body.split_once(';').ok_or("thiếu dấu ; sau mẫu số")?;
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return Err("thiếu mẫu số".into());
    }
    let mut out = Vec::new();
    for group in groups.split(';') {
        let (serial, items) = group.split_once('-').ok_or("thiếu dấu - sau ký hiệu")?;
        for item in items.split(',') {
            let item = item.trim();
            let (key, number) = match item.rsplit_once('_') {
                Some((key, number)) => {
                    let number = number.trim();
                    (key.trim(), number.parse::<u64>().map_err(|_| format!("số hóa đơn «{number}» không phải là số"))?)
                }
                None => (item, 0),
            };
            if key.is_empty() {
                return Err("thiếu mã hóa đơn".into());
            }
            out.push(PublishedItem {
                pattern: pattern.to_string(),
                serial: serial.trim().to_string(),
                key: key.to_string(),
                number,
                tax_authority_code: None,
            });
        }
    }
    Ok(out)
}

/// `OK:#<key>_<number>[,<key>_<number>…]` of `PublishInvFkey`, which names no pattern or
/// serial: the invoices were signed under those sent, given here.
///
/// The document prints `OK:#Fkey1 _1, Fkey2_2`, so spaces around items and around the `_`
/// are dropped; a key may not contain `_`, so each item splits on its last `_`.
pub fn parse_published_fkeys(text: &str, pattern: &str, serial: &str) -> Result<Vec<PublishedItem>, String> {
    let body = text.trim().strip_prefix("OK:").ok_or("không bắt đầu bằng OK:")?.trim_start();
    let body = body.strip_prefix('#').unwrap_or(body);
    let mut out = Vec::new();
    for item in body.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (key, number) = item.rsplit_once('_').ok_or_else(|| format!("thiếu dấu _ trước số hóa đơn trong «{item}»"))?;
        let (key, number) = (key.trim(), number.trim());
        if key.is_empty() {
            return Err("thiếu mã hóa đơn".into());
        }
        let number = number.parse::<u64>().map_err(|_| format!("số hóa đơn «{number}» không phải là số"))?;
        out.push(PublishedItem { pattern: pattern.to_string(), serial: serial.to_string(), key: key.to_string(), number, tax_authority_code: None });
    }
    if out.is_empty() {
        return Err("không có hóa đơn nào trong trả lời".into());
    }
    Ok(out)
}

/// The answer of `PublishInvFkey`, which real tenants always give in three parts, even on
/// full success: `ERR:6#<keys not found>||ERR:15#<keys already signed>||OK:#<key>_<no>,…`,
/// the lists empty where nothing applies. A partial success is a success for the keys in
/// `OK:#`. A tenant that answers only `OK:#…` (the document's form) is read the same way.
pub fn parse_signed_drafts(text: &str, pattern: &str, serial: &str) -> Result<SignedDrafts, String> {
    let keys_of = |list: &str| -> Result<Vec<InvoiceKey>, String> {
        list.split([',', '_'])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| InvoiceKey::new(k).map_err(|e| e.to_string()))
            .collect()
    };
    let mut out = SignedDrafts::default();
    let mut saw_ok = false;
    for part in text.trim().split("||") {
        let part = part.trim();
        if let Some(list) = part.strip_prefix("ERR:6#") {
            out.not_found = keys_of(list)?;
        } else if let Some(list) = part.strip_prefix("ERR:15#") {
            out.already_signed = keys_of(list)?;
        } else if part.starts_with("OK:") {
            saw_ok = true;
            let items = part.trim_start_matches("OK:").trim_start().trim_start_matches('#');
            if items.trim().is_empty() {
                continue;
            }
            for item in parse_published_fkeys(&format!("OK:#{items}"), pattern, serial)? {
                let key = InvoiceKey::new(&item.key).map_err(|e| e.to_string())?;
                out.issued.push(Issued { key, pattern: item.pattern, serial: item.serial, number: item.number, tax_authority_code: None });
            }
        } else if !part.is_empty() {
            return Err(format!("phần trả lời «{}» không đọc được", part.chars().take(40).collect::<String>()));
        }
    }
    if !saw_ok && out.not_found.is_empty() && out.already_signed.is_empty() {
        return Err("trả lời không có phần OK:#".into());
    }
    Ok(out)
}

/// Whether the text is the three-part answer of `PublishInvFkey` rather than a bare `ERR:n`.
pub fn is_three_part(text: &str) -> bool {
    let t = text.trim();
    t.contains("||") || t.starts_with("OK:") || t.starts_with("ERR:6#") || t.starts_with("ERR:15#")
}

/// `OK:<pattern>;<serial>;<key>_<number>` of adjust and replace.
pub fn parse_changed(text: &str) -> Result<PublishedItem, String> {
    let body = text.trim().strip_prefix("OK:").ok_or("không bắt đầu bằng OK:")?.trim();
    let mut parts = body.splitn(3, ';');
    let pattern = parts.next().filter(|p| !p.is_empty()).ok_or("thiếu mẫu số")?;
    let serial = parts.next().ok_or("thiếu ký hiệu")?;
    let item = parts.next().ok_or("thiếu mã và số hóa đơn")?;
    let (key, number) = item.rsplit_once('_').ok_or("thiếu dấu _ trước số hóa đơn")?;
    if key.is_empty() {
        return Err("thiếu mã hóa đơn".into());
    }
    let number = number.trim().parse::<u64>().map_err(|_| format!("số hóa đơn «{number}» không phải là số"))?;
    Ok(PublishedItem { pattern: pattern.to_string(), serial: serial.to_string(), key: key.to_string(), number, tax_authority_code: None })
}

/// Matches the answer of an issue with the keys sent: every key must come back once.
pub fn issued_for(op: Operation, items: Vec<PublishedItem>, keys: &[InvoiceKey]) -> Result<Vec<Issued>, ProviderError> {
    keys.iter()
        .map(|key| {
            let item = items
                .iter()
                .find(|i| i.key == key.as_str())
                .ok_or_else(|| malformed(op, format!("trả lời thiếu số hóa đơn của mã {key}")))?;
            Ok(Issued {
                key: key.clone(),
                pattern: item.pattern.clone(),
                serial: item.serial.clone(),
                number: item.number,
                tax_authority_code: item.tax_authority_code.clone(),
            })
        })
        .collect()
}

/// `OK:` / `OK` of cancel and payment calls.
pub fn is_ok(text: &str) -> bool {
    let t = text.trim();
    t == "OK" || t.starts_with("OK:")
}

/// The `<Data><Item>…</Item></Data>` of `listInvByCusFkey`, after an optional `OK:`.
pub fn parse_list(key: &InvoiceKey, text: &str) -> Result<Vec<InvoiceState>, String> {
    data_items(text)?.iter().map(|item| item_state(key.clone(), item)).collect()
}

/// The `<Data><Item>…</Item></Data>` of `listInvFromNoToNo` (no `OK:` in the document; one
/// is read past). Each item names its key in `<fkey>`; one without a key the app could have
/// made (an invoice made on VNPT's portal) is listed by its `invToken`.
pub fn parse_numbered(text: &str) -> Result<Vec<ListedInvoice>, String> {
    data_items(text)?
        .iter()
        .map(|item| match item.text_of("fkey").and_then(|k| InvoiceKey::new(k).ok()) {
            Some(key) => item_state(key, item).map(ListedInvoice::Keyed),
            None => item_facts(item).map(|(_, facts)| ListedInvoice::Unkeyed(facts)),
        })
        .collect()
}

fn data_items(text: &str) -> Result<Vec<xml::Element>, String> {
    let t = text.trim();
    let t = t.strip_prefix("OK:").unwrap_or(t).trim();
    if t.is_empty() {
        return Ok(Vec::new());
    }
    let root = xml::parse(t)?;
    if root.name.eq_ignore_ascii_case("Item") {
        return Ok(vec![root]);
    }
    Ok(root.children_named("Item").cloned().collect())
}

fn item_state(key: InvoiceKey, item: &xml::Element) -> Result<InvoiceState, String> {
    let (status, facts) = item_facts(item)?;
    Ok(InvoiceState {
        key,
        status,
        pattern: facts.pattern,
        serial: facts.serial,
        number: facts.number,
        lookup_code: None,
        arising_date: facts.issue_date,
        issue_date: facts.issue_date,
        amount: facts.amount,
        paid: item.text_of("payment").map(|p| p == "1"),
        buyer: facts.buyer,
        tax_check: None,
    })
}

/// What an item says of its invoice, whatever its key; VNPT's status codes are documented,
/// so an item always says where the invoice is in its life.
fn item_facts(item: &xml::Element) -> Result<(InvoiceStatus, UnkeyedInvoice), String> {
    let code: i64 = item.text_of("status").ok_or("thiếu status")?.parse().map_err(|_| "status không phải là số")?;
    let status = InvoiceStatus::from_vnpt(code).ok_or_else(|| format!("status {code} không có trong tài liệu"))?;
    // Numbers start at 1; a draft is listed with 0 (or nothing), meaning no number yet.
    let number = match item.text_of("invNum") {
        Some(n) => Some(n.parse::<u64>().map_err(|_| format!("số hóa đơn «{n}» không phải là số"))?).filter(|&n| n > 0),
        None => None,
    };
    Ok((status, UnkeyedInvoice {
        reference: item.text_of("invToken").unwrap_or_default().to_string(),
        status: Some(status),
        pattern: item.text_of("pattern").map(str::to_string),
        serial: item.text_of("serial").map(str::to_string),
        number,
        issue_date: item.text_of("publishDate").and_then(crate::easyinvoice::answers::date_of),
        amount: item.text_of("amount").and_then(whole_dong).map(Dong),
        buyer: item.text_of("cusname").or_else(|| item.text_of("cusName")).map(str::to_string).filter(|b| !b.is_empty()),
    }))
}

/// The answer of `GetMCCQThueByFkeys`: base64 of `<DSHDon><HDon>…</HDon>…</DSHDon>`, one
/// `HDon` per key with `Fkey`, `TThai` (0 not sent, 1 sent and waiting, 2 accepted, 3
/// refused), `MCCQThue` (the tax authority's code) and `MTLoi` (its reason for refusing).
/// The shape comes from public clients, not from a document: unverified.
pub fn parse_tax_verdicts(text: &str) -> Result<Vec<(InvoiceKey, TaxCheck)>, String> {
    let cleaned: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(cleaned).map_err(|e| format!("base64 không hợp lệ: {e}"))?;
    let xml_text = String::from_utf8(bytes).map_err(|_| "nội dung giải mã không phải UTF-8")?;
    let root = xml::parse(&xml_text)?;
    let mut out = Vec::new();
    for item in root.children_named("HDon") {
        let key = item.text_of("Fkey").ok_or("thiếu Fkey")?;
        let key = InvoiceKey::new(key).map_err(|e| e.to_string())?;
        let code = item.text_of("MCCQThue").map(str::to_string).filter(|c| !c.is_empty());
        let check = match item.text_of("TThai").map(str::trim) {
            Some("0") => TaxCheck::NotSent,
            Some("1") => TaxCheck::Waiting,
            Some("2") => TaxCheck::Accepted { code },
            Some("3") => {
                let reason = item.text_of("MTLoi").unwrap_or("").trim().to_string();
                let reason = match item.text_of("MLoi").map(str::trim).filter(|c| !c.is_empty()) {
                    Some(c) if !reason.is_empty() => format!("{reason} (mã {c})"),
                    Some(c) => format!("mã {c}"),
                    None => reason,
                };
                TaxCheck::Rejected { reason }
            }
            other => return Err(format!("TThai «{}» không rõ nghĩa", other.unwrap_or(""))),
        };
        out.push((key, check));
    }
    Ok(out)
}

/// `listPatternByCom`: the tenant's patterns. No document or public client shows the shape;
/// a list joined by `;` (or `,`) is read, and anything else is refused as unreadable.
pub fn parse_patterns(text: &str) -> Result<Vec<String>, String> {
    let t = text.trim();
    if t.starts_with('<') {
        return Err("danh sách mẫu số dạng XML chưa được hỗ trợ".into());
    }
    let patterns: Vec<String> = t.split([';', ',']).map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
    if patterns.is_empty() {
        return Err("danh sách mẫu số trống".into());
    }
    Ok(patterns)
}

/// `getSerialByPattern`: `<index>-<serial>-<total>-<from>-<to>-<current>-<left>-<dd/MM/yyyy>-<status>`
/// items joined by `;` (the shape public clients document). The serial is the second field.
pub fn parse_serials(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in text.trim().split(';').map(str::trim).filter(|i| !i.is_empty()) {
        let serial = item.split('-').nth(1).map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| format!("dòng ký hiệu «{item}» không đọc được"))?;
        out.push(serial.to_string());
    }
    Ok(out)
}

/// An amount in đồng as a list writes it: `75600`, `75600.0`, `1,234,000`, `1.234.000`,
/// `1,234,000.00`. A last group of three digits after a separator is thousands; any other
/// last group is a decimal part, which đồng do not have and which is dropped.
pub fn whole_dong(text: &str) -> Option<i64> {
    let t = text.trim();
    let (sign, t) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, t),
    };
    let groups: Vec<&str> = t.split(['.', ',']).collect();
    if groups.iter().any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let whole: String = match groups.as_slice() {
        [only] => (*only).to_string(),
        [.., last] if last.len() == 3 => groups.concat(),
        [head @ .., _decimals] => head.concat(),
        [] => return None,
    };
    whole.parse::<i64>().ok().map(|n| sign * n)
}

/// The PDF from its base64 text.
pub fn parse_pdf(text: &str) -> Result<Vec<u8>, String> {
    let cleaned: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(cleaned).map_err(|e| format!("base64 không hợp lệ: {e}"))?;
    if !bytes.starts_with(b"%PDF-") {
        return Err("nội dung giải mã không phải tệp PDF".into());
    }
    Ok(bytes)
}

/// `UpdateCus` answers an integer: the number of customers saved, or a negative code.
pub fn update_cus(op: Operation, text: &str) -> Result<u32, ProviderError> {
    let n: i64 = text.trim().parse().map_err(|_| malformed(op, format!("«{}» không phải là số", text.trim())))?;
    let refusal = match n {
        n if n >= 0 => return u32::try_from(n).map_err(|_| malformed(op, "số quá lớn")),
        -1 => Refusal::LoginFailed,
        -2 => Refusal::CustomerImportFailed,
        -3 => Refusal::InvalidData,
        -5 => Refusal::CustomerExists,
        other => Refusal::Unknown(other.to_string()),
    };
    Err(ProviderError::Refused { provider: P, op, code: n.to_string(), refusal, provider_message: None, keys: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> InvoiceKey {
        InvoiceKey::new(k).unwrap()
    }

    #[test]
    fn splits_keys_with_dashes_on_the_last_underscore() {
        let got = parse_published("OK:1;C26TAA-HD-2026-1_15,HD-2026-2_16", false).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].pattern.as_str(), got[0].serial.as_str(), got[0].key.as_str(), got[0].number), ("1", "C26TAA", "HD-2026-1", 15));
        assert_eq!((got[1].key.as_str(), got[1].number), ("HD-2026-2", 16));
        let doc = parse_published("OK:01GTKT3/001;AA/12E-key1_1,key2_2,key3_3,key4_4,key5_5", false).unwrap();
        assert_eq!(doc.len(), 5);
        assert_eq!(doc[4].serial, "AA/12E");
        assert_eq!(doc[4].number, 5);
        let two = parse_published("OK:1;C26TAA-a_1;C26TAB-b_2", false).unwrap();
        assert_eq!(two[1].serial, "C26TAB");
    }

    #[test]
    fn reads_cash_register_answers() {
        let got = parse_published("OK:1;C26MAA-K-1_7_M1-26-AB123-00100000042", true).unwrap();
        assert_eq!(got[0].key, "K-1");
        assert_eq!(got[0].number, 7);
        assert_eq!(got[0].tax_authority_code.as_deref(), Some("M1-26-AB123-00100000042"));
    }

    #[test]
    fn reads_adjust_and_replace_answers() {
        let got = parse_changed("OK:01GTKT3/001;AA/12E;key_0000002").unwrap();
        assert_eq!((got.pattern.as_str(), got.serial.as_str(), got.key.as_str(), got.number), ("01GTKT3/001", "AA/12E", "key", 2));
        assert!(parse_changed("OK:1;C26TAA").is_err());
        assert!(parse_changed("ERR:2").is_err());
    }

    #[test]
    fn refuses_broken_issue_answers() {
        for bad in ["", "OK", "OK:", "OK:1", "OK:1;C26TAA", "OK:1;C26TAA-", "OK:1;C26TAA-k_x", "OK:;C-k_1", "OK:1;C26TAA-_1"] {
            assert!(parse_published(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_error_codes() {
        assert_eq!(error_code("ERR:6"), Some(Some(6)));
        assert_eq!(error_code(" ERR:13 "), Some(Some(13)));
        assert_eq!(error_code("ERR"), Some(None));
        assert_eq!(error_code("ERR:"), Some(None));
        assert_eq!(error_code("ERR:20:Pattern sai"), Some(Some(20)));
        assert_eq!(error_code("OK:"), None);
    }

    /// Every code of every operation in the document, with its meaning.
    #[test]
    fn every_documented_code_has_its_meaning() {
        use Operation as O;
        use Refusal as R;
        let table: &[(O, Option<u32>, R)] = &[
            (O::Issue, Some(1), R::LoginFailed),
            (O::Issue, None, R::InvalidData),
            (O::Issue, Some(3), R::InvalidData),
            (O::Issue, Some(5), R::PublishFailed),
            (O::Issue, Some(6), R::NotEnoughNumbers),
            (O::Issue, Some(7), R::CompanyNotFound),
            (O::Issue, Some(10), R::BatchTooLarge),
            (O::Issue, Some(20), R::PatternSerialMismatch),
            (O::IssueCashRegister, Some(20), R::PatternSerialMismatch),
            (O::Adjust, Some(1), R::LoginFailed),
            (O::Adjust, Some(2), R::NotFound),
            (O::Adjust, None, R::InvalidData),
            (O::Adjust, Some(5), R::AdjustFailed),
            (O::Adjust, Some(6), R::OldRangeExhausted),
            (O::Adjust, Some(7), R::CompanyNotFound),
            (O::Adjust, Some(8), R::AlreadyReplaced),
            (O::Adjust, Some(9), R::StatusForbids),
            (O::Replace, Some(1), R::LoginFailed),
            (O::Replace, Some(2), R::NotFound),
            (O::Replace, None, R::InvalidData),
            (O::Replace, Some(5), R::ReplaceFailed),
            (O::Replace, Some(6), R::OldRangeExhausted),
            (O::Replace, Some(7), R::CompanyNotFound),
            (O::Replace, Some(8), R::AlreadyReplaced),
            (O::Replace, Some(9), R::StatusForbids),
            (O::Cancel, Some(1), R::LoginFailed),
            (O::Cancel, Some(2), R::NotFound),
            (O::Cancel, Some(8), R::AlreadyReplacedOrCancelled),
            (O::Cancel, Some(9), R::StatusForbids),
            (O::ConfirmPayment, Some(1), R::LoginFailed),
            (O::ConfirmPayment, Some(6), R::NotFound),
            (O::ConfirmPayment, Some(7), R::PaymentMarkFailed),
            (O::ConfirmPayment, Some(13), R::AlreadyPaid),
            (O::UnconfirmPayment, Some(1), R::LoginFailed),
            (O::UnconfirmPayment, Some(6), R::NotFound),
            (O::UnconfirmPayment, Some(7), R::PaymentUnmarkFailed),
            (O::UnconfirmPayment, Some(13), R::AlreadyUnpaid),
            (O::ListByKey, Some(1), R::LoginFailed),
            (O::ListByKey, Some(4), R::NoPatternRegistered),
            (O::ListByKey, Some(7), R::CompanyNotFound),
            (O::View, Some(1), R::LoginFailed),
            (O::View, Some(6), R::NotFound),
            (O::View, Some(7), R::CompanyNotFound),
            (O::View, Some(11), R::NotPaidCannotView),
            (O::View, None, R::OtherError),
            (O::DownloadXml, Some(1), R::LoginFailed),
            (O::DownloadXml, Some(6), R::NotFound),
            (O::DownloadXml, Some(7), R::CompanyNotFound),
            (O::DownloadXml, None, R::OtherError),
            (O::Pdf, Some(1), R::LoginFailed),
            (O::Pdf, Some(6), R::NotFound),
            (O::Pdf, Some(7), R::CompanyNotFound),
            (O::Pdf, None, R::OtherError),
            (O::ReportUsage, Some(1), R::LoginFailed),
            (O::ReportUsage, Some(7), R::CompanyNotFound),
            (O::ReportMonth, Some(1), R::LoginFailed),
            (O::ReportMonth, Some(7), R::CompanyNotFound),
            (O::Cancel, Some(99), R::Unknown("ERR:99".into())),
        ];
        for (op, code, expected) in table {
            let e = error_for(*op, *code, &[key("K")]);
            assert_eq!(e.refusal(), Some(expected), "{op:?} {code:?}");
            assert!(!e.is_unclear());
        }
    }

    #[test]
    fn a_duplicate_key_is_unclear() {
        for (op, code) in [
            (Operation::Issue, 13),
            (Operation::IssueCashRegister, 13),
            (Operation::Adjust, 13),
            (Operation::Replace, 13),
            (Operation::Draft, 13),
            (Operation::PublishDrafts, 15),
        ] {
            let e = error_for(op, Some(code), &[key("K")]);
            assert!(matches!(e, ProviderError::DuplicateKey { .. }), "{op:?}");
            assert!(e.is_unclear());
            assert_eq!(e.code(), Some(format!("ERR:{code}").as_str()));
        }
        // Not a duplicate on the other call: ERR:15 is undocumented for drafts, ERR:13 for publishing them.
        assert!(matches!(error_for(Operation::Draft, Some(15), &[key("K")]).refusal(), Some(Refusal::Unknown(_))));
        assert!(matches!(error_for(Operation::PublishDrafts, Some(13), &[key("K")]).refusal(), Some(Refusal::Unknown(_))));
    }

    /// Every code of `ImportInvByPattern` and `PublishInvFkey`: a refusal of its own meaning,
    /// worded for the shop owner, never the refusal of the same code on another call.
    #[test]
    fn every_draft_and_publish_code_has_its_meaning() {
        use Operation as O;
        use Refusal as R;
        let table: &[(O, Option<u32>, R)] = &[
            (O::Draft, Some(1), R::LoginFailed),
            (O::Draft, None, R::InvalidData),
            (O::Draft, Some(3), R::InvalidData),
            (O::Draft, Some(5), R::DraftFailed),
            (O::Draft, Some(6), R::NotEnoughNumbers),
            (O::Draft, Some(7), R::CompanyOrPatternNotFound),
            (O::Draft, Some(10), R::BatchTooLarge),
            (O::Draft, Some(22), R::DuplicateNumber),
            (O::Draft, Some(35), R::PatternSerialRequired),
            (O::Draft, Some(20), R::Unknown("ERR:20".into())),
            (O::PublishDrafts, Some(1), R::LoginFailed),
            (O::PublishDrafts, Some(5), R::PublishDraftsFailed),
            (O::PublishDrafts, Some(6), R::DraftNotFound),
            (O::PublishDrafts, Some(10), R::BatchTooLarge),
            (O::PublishDrafts, Some(20), R::PatternSerialMismatch),
            (O::PublishDrafts, Some(29), R::CertificateExpired),
            (O::PublishDrafts, Some(30), R::DateBeforePublished),
            (O::PublishDrafts, Some(7), R::Unknown("ERR:7".into())),
            (O::PublishDrafts, None, R::Unknown("ERR".into())),
        ];
        for (op, code, expected) in table {
            let e = error_for(*op, *code, &[key("K-1"), key("K-2")]);
            assert_eq!(e.refusal(), Some(expected), "{op:?} {code:?}");
            assert!(!e.is_unclear(), "{op:?} {code:?}");
            if let ProviderError::Refused { keys, .. } = &e {
                assert_eq!(keys, &["K-1", "K-2"]);
            }
            let message = e.to_string();
            let doing = if *op == O::Draft { "tạo hóa đơn nháp" } else { "phát hành hóa đơn nháp" };
            assert!(message.starts_with(&format!("VNPT Invoice từ chối {doing} (mã ")), "{message}");
        }
        // One number, a meaning per call: ERR:6 is "numbers exhausted" on a draft and "no
        // such draft" on publish; ERR:5 rolls back a different thing on each.
        assert_eq!(error_for(O::Draft, Some(6), &[]).refusal(), Some(&R::NotEnoughNumbers));
        assert_eq!(error_for(O::PublishDrafts, Some(6), &[]).refusal(), Some(&R::DraftNotFound));
        assert_eq!(error_for(O::Draft, Some(5), &[]).refusal(), Some(&R::DraftFailed));
        assert_eq!(error_for(O::PublishDrafts, Some(5), &[]).refusal(), Some(&R::PublishDraftsFailed));
        assert_eq!(error_for(O::Issue, Some(5), &[]).refusal(), Some(&R::PublishFailed));
    }

    #[test]
    fn reads_draft_answers_with_and_without_numbers() {
        let with = parse_drafted("OK:1;C26TAA-HD-2026-1_0,HD-2026-2_0").unwrap();
        assert_eq!(with.len(), 2);
        assert_eq!((with[0].pattern.as_str(), with[0].serial.as_str(), with[0].key.as_str(), with[0].number), ("1", "C26TAA", "HD-2026-1", 0));
        assert_eq!((with[1].key.as_str(), with[1].number), ("HD-2026-2", 0));
        let without = parse_drafted("OK:1;C26TAA-HD-2026-1,HD-2026-2").unwrap();
        assert_eq!(without.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("HD-2026-1", 0), ("HD-2026-2", 0)]);
        // The document's own example, numbers and all, and spaces after commas.
        let doc = parse_drafted(" OK:01GTKT3/001;AA/12E-key1_1, key2_2 ").unwrap();
        assert_eq!(doc.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("key1", 1), ("key2", 2)]);
        assert_eq!(doc[0].serial, "AA/12E");
        assert!(issued_for(Operation::Draft, without, &[key("HD-2026-1"), key("HD-2026-2")]).is_ok());
    }

    #[test]
    fn refuses_broken_draft_answers() {
        for bad in ["", "OK", "OK:", "OK:1", "OK:1;C26TAA", "OK:1;C26TAA-", "OK:1;C26TAA-k_x", "OK:1;C26TAA-k_", "OK:;C-k", "OK:1;C26TAA-_0", "OK:1;C26TAA-a,,b", "ERR:7"] {
            assert!(parse_drafted(bad).is_err(), "{bad}");
        }
        // Readable, but a key sent is missing: whatever VNPT did is unknown.
        let items = parse_drafted("OK:1;C26TAA-A").unwrap();
        let e = issued_for(Operation::Draft, items, &[key("A"), key("B")]).unwrap_err();
        assert!(matches!(e, ProviderError::Malformed { .. }) && e.is_unclear(), "{e:?}");
    }

    #[test]
    fn reads_publish_by_fkey_answers() {
        let got = parse_published_fkeys("OK:#HD-2026-1_15,HD-2026-2_16", "1", "C26TAA").unwrap();
        assert_eq!(got.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("HD-2026-1", 15), ("HD-2026-2", 16)]);
        assert_eq!((got[0].pattern.as_str(), got[0].serial.as_str()), ("1", "C26TAA"));
        // The document's spacing.
        let doc = parse_published_fkeys("OK:#Fkey1 _1, Fkey2_2", "1", "C26TAA").unwrap();
        assert_eq!(doc.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("Fkey1", 1), ("Fkey2", 2)]);
        // Without the `#`, padded numbers, a trailing comma.
        let loose = parse_published_fkeys("OK: K-1_0000007,", "2", "C26TBB").unwrap();
        assert_eq!((loose[0].key.as_str(), loose[0].number, loose[0].serial.as_str()), ("K-1", 7, "C26TBB"));
        let issued = issued_for(Operation::PublishDrafts, got, &[key("HD-2026-2"), key("HD-2026-1")]).unwrap();
        assert_eq!(issued.iter().map(|i| i.number).collect::<Vec<_>>(), [16, 15], "in the order asked");
    }

    #[test]
    fn refuses_broken_publish_by_fkey_answers() {
        for bad in ["", "OK", "OK:", "OK:#", "OK:# , ", "OK:#K1", "OK:#K1_", "OK:#K1_x", "OK:#_1", "OK:#K1_1,K2", "#K1_1", "ERR:15"] {
            assert!(parse_published_fkeys(bad, "1", "C26TAA").is_err(), "{bad}");
        }
        let items = parse_published_fkeys("OK:#A_1", "1", "C26TAA").unwrap();
        let e = issued_for(Operation::PublishDrafts, items, &[key("A"), key("B")]).unwrap_err();
        assert!(matches!(e, ProviderError::Malformed { .. }) && e.is_unclear(), "{e:?}");
    }

    /// Real tenants answer `PublishInvFkey` in three parts, always, even on full success.
    #[test]
    fn reads_the_three_part_publish_answer() {
        let all = parse_signed_drafts("ERR:6#||ERR:15#||OK:#K-1_0000015,K-2_16", "1/001", "C26TAA").unwrap();
        assert_eq!(all.issued.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("K-1", 15), ("K-2", 16)]);
        assert_eq!((all.issued[0].pattern.as_str(), all.issued[0].serial.as_str()), ("1/001", "C26TAA"));
        assert!(all.not_found.is_empty() && all.already_signed.is_empty());
        // A partial success: one signed, one unknown, one signed before.
        let partial = parse_signed_drafts("ERR:6#K-404||ERR:15#K-old||OK:#K-new_3", "1/001", "C26TAA").unwrap();
        assert_eq!(partial.not_found, [key("K-404")]);
        assert_eq!(partial.already_signed, [key("K-old")]);
        assert_eq!(partial.issued.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("K-new", 3)]);
        // Nothing signed: the OK part is empty.
        let none = parse_signed_drafts("ERR:6#A,B||ERR:15#C||OK:#", "1/001", "C26TAA").unwrap();
        assert_eq!((none.not_found.len(), none.already_signed.len(), none.issued.len()), (2, 1, 0));
        // The document's bare form still reads.
        assert_eq!(parse_signed_drafts("OK:#Fkey1 _1, Fkey2_2", "1/001", "C26TAA").unwrap().issued.len(), 2);
        for bad in ["", "ERR:6", "garbage", "ERR:6#||ERR:15#||OK:#K_x", "ERR:6#a b||OK:#"] {
            assert!(parse_signed_drafts(bad, "1/001", "C26TAA").is_err(), "{bad}");
        }
        assert!(is_three_part("ERR:6#||ERR:15#||OK:#"));
        assert!(is_three_part("OK:#K_1"));
        assert!(!is_three_part("ERR:6"));
        assert!(!is_three_part("ERR:1"));
    }

    /// `listInvByCusFkey` on real tenants: no `OK:`, zero-padded `invNum`, `cusname`, `month`.
    #[test]
    fn reads_the_real_list_format() {
        let text = "<Data><Item><index>03</index><cusCode>0312345673</cusCode><invToken>1/001;C26TAA;12</invToken><name>Hóa đơn</name><publishDate>05/03/2026</publishDate><signStatus>0</signStatus><pattern>1/001</pattern><serial>C26TAA</serial><invNum>0000012</invNum><amount>92000</amount><status>1</status><cusname>Công ty A &amp; B</cusname><payment>1</payment><fkey>K</fkey><type>0</type><kindOfService></kindOfService><month>03</month></Item></Data>";
        let got = parse_list(&key("K"), text).unwrap();
        assert_eq!(got[0].pattern.as_deref(), Some("1/001"));
        assert_eq!(got[0].number, Some(12));
        assert_eq!(got[0].buyer.as_deref(), Some("Công ty A & B"));
        assert_eq!(got[0].tax_check, None);
        assert!(parse_list(&key("K"), "<Data></Data>").unwrap().is_empty());
    }

    #[test]
    fn update_cus_codes() {
        assert_eq!(update_cus(Operation::UpdateCustomers, "3").unwrap(), 3);
        for (text, r) in [("-1", Refusal::LoginFailed), ("-2", Refusal::CustomerImportFailed), ("-3", Refusal::InvalidData), ("-5", Refusal::CustomerExists)] {
            assert_eq!(update_cus(Operation::UpdateCustomers, text).unwrap_err().refusal(), Some(&r));
        }
        assert!(update_cus(Operation::UpdateCustomers, "x").unwrap_err().is_unclear());
    }

    #[test]
    fn reads_the_list_by_key() {
        let text = "OK:<Data><Item><index>3</index><cusCode>K</cusCode><name>HĐ</name><publishDate>05/03/2026 10:00:00</publishDate><signStatus>1</signStatus><pattern>1</pattern><serial>C26TAA</serial><invNum>0000012</invNum><payment>1</payment><amount>75600</amount><status>1</status></Item></Data>";
        let got = parse_list(&key("K"), text).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].status, InvoiceStatus::Signed);
        assert_eq!(got[0].number, Some(12));
        assert_eq!(got[0].paid, Some(true));
        assert_eq!(got[0].amount, Some(Dong(75_600)));
        assert_eq!(got[0].arising_date, Some(time::macros::date!(2026 - 03 - 05)));
        for (code, status) in [(3, InvoiceStatus::Replaced), (4, InvoiceStatus::Adjusted), (5, InvoiceStatus::Cancelled)] {
            let t = format!("<Data><Item><status>{code}</status></Item></Data>");
            assert_eq!(parse_list(&key("K"), &t).unwrap()[0].status, status);
        }
        assert!(parse_list(&key("K"), "OK:").unwrap().is_empty());
        assert!(parse_list(&key("K"), "<Data></Data>").unwrap().is_empty());
        assert!(parse_list(&key("K"), "<Data><Item><status>9</status></Item></Data>").is_err());
        // A draft: created, not signed, no number yet.
        let draft = parse_list(&key("K"), "OK:<Data><Item><invNum>0</invNum><status>0</status></Item></Data>").unwrap();
        assert_eq!((draft[0].status, draft[0].number), (InvoiceStatus::Unsigned, None));
    }

    #[test]
    fn amounts_read_with_thousands_separators_or_decimals() {
        for (text, dong) in [("75600", 75_600), ("75600.0", 75_600), ("1,234,000", 1_234_000), ("1.234.000", 1_234_000), ("1,234,000.00", 1_234_000), ("1.234.000,5", 1_234_000), ("-20000", -20_000), (" 0 ", 0)] {
            assert_eq!(whole_dong(text), Some(dong), "{text}");
        }
        for bad in ["", "abc", "1,,2", "12a", "."] {
            assert_eq!(whole_dong(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_the_pdf() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7\nhello");
        assert_eq!(parse_pdf(&format!("{}\n{}", &b64[..8], &b64[8..])).unwrap(), b"%PDF-1.7\nhello");
        assert!(parse_pdf("not base64!").is_err());
        assert!(parse_pdf(&base64::engine::general_purpose::STANDARD.encode(b"<html>")).is_err());
    }

    #[test]
    fn extracts_the_soap_result() {
        let body = r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><cancelInvResponse xmlns="http://tempuri.org/"><cancelInvResult>OK:</cancelInvResult></cancelInvResponse></soap:Body></soap:Envelope>"#;
        assert_eq!(soap_result(Operation::Cancel, "cancelInv", body).unwrap(), "OK:");
        let escaped = r#"<s:Envelope xmlns:s="x"><s:Body><R><listInvByCusFkeyResult>OK:&lt;Data&gt;&lt;/Data&gt;</listInvByCusFkeyResult></R></s:Body></s:Envelope>"#;
        assert_eq!(soap_result(Operation::Query, "listInvByCusFkey", escaped).unwrap(), "OK:<Data></Data>");
        assert!(soap_result(Operation::Cancel, "cancelInv", "<a/>").unwrap_err().is_unclear());
    }
}
