//! The EasyInvoice simulator: `POST /api/...` routes (any other method: 405), JSON
//! envelopes, the invoice XML inside `XmlData`, as the v8 integration document and the
//! facts gathered from real tenants describe them (`easyinvoice-v8-facts.md`).
//!
//! # What it checks
//!
//! - `Authentication`, byte for byte: `signature:nonce:timestamp:username:password[:taxCode]`,
//!   signature = base64(MD5(UPPER(method) + timestamp + nonce)), timestamp in whole seconds
//!   within [`EasyInvoiceConfig::clock_window_secs`], nonce alphanumeric; the sixth field
//!   required when [`EasyInvoiceConfig::require_tax_code`].
//! - The body is a JSON object; the routes' required fields are present.
//! - `XmlData`: `<Invoices><Inv><Invoice><Ikey>…</Ikey>…</Invoice></Inv>…</Invoices>` with
//!   exact tag case (a lowercase `<ikey>` is no `<Ikey>`), read by the simulator's strict
//!   reader; Ikey 1–50 characters; the required tags of facts section 4 (PaymentMethod,
//!   ArisingDate dd/MM/yyyy, CurrencyUnit, Total, VATRate, VATAmount, Amount,
//!   AmountInWords, Buyer or CusName, CusName and CusAddress with CusTaxCode; products
//!   Feature, ProdName ≤ 500, Total, VATAmount, Amount), 1–400 products, the tags' lengths,
//!   `TaxAuthorityCode` (≤ 23) required on a cash-register symbol (type letter `M`), no
//!   invoice of only discount rows and no negative Amount; `AdjustReplaceReasonCode` 1–14
//!   on adjust and replace.
//!
//! # Answers
//!
//! Envelope `{"Status", "Message", "ErrorCode", "Data"}`. Success: Status 2, ErrorCode
//! `"0"` (a string), HTTP 200. Failures (ErrorCode a number):
//!
//! | ErrorCode | HTTP | Status | when |
//! |---|---|---|---|
//! | 175 | 401 | 5 | `Authentication` missing, malformed, bad signature or nonce, stale timestamp, unknown user |
//! | 176 | 401 | 5 | tax code (sixth field) missing when required, or not the seller's |
//! | 177 | 401 | 5 | wrong password |
//! | 100 | 400 | 4 | body not a JSON object |
//! | 102 | 400 | 4 | a required field missing |
//! | 117 | 400 | 4 | Pattern/Serial not registered (or left out on an account with several) |
//! | 127 | 400 | 4 | XmlData not XML or not `Invoices/Inv/Invoice` with an `Ikey` (exact case), too many invoices |
//! | 128 | 404 | 4 | `getInvoicesByIkeys`: none of the Ikeys known |
//! | 102 | 400 | 4 | `getInvoiceByArisingDateRange`: `FromDate`/`ToDate` missing or not dd/MM/yyyy, `PageSize` outside 1–100 |
//! | 129 | 409 | 4 | invoice data refused, `Data.KeyInvoiceMsg {ikey: text}` (also an Ikey already signed sent again, an Ikey unknown or in the wrong state for issue/remove/adjust) |
//! | 164 | 400 | 4 | cancel not allowed: a draft, already replaced/adjusted/cancelled, an adjusting/replacing invoice, TCTCheckStatus −1, a token account after Decree 70 |
//! | 165 | 404 | 4 | invoice not found (cancel, PDF, remove, adjust/replace original) |
//! | 199 | 500 | 5 | anything else that fails on the server side (the PDF cannot be drawn) |
//!
//! `cancelInvoice` after Decree 70/2025: a signed original with TCTCheckStatus 1 on a
//! remote-signing account ([`EasyInvoiceConfig::remote_signing`]) is replaced by a 0-đồng
//! invoice (Ikey [`decree70_ikey`], a number of the same symbol, one note row), the
//! original goes to InvoiceStatus 3, and the answer is Status 2 with
//! `Data {Pattern, Serial, KeyInvoiceNo {<new ikey>: <no>}, Invoices [the replacement]}`.
//! TCTCheckStatus −2, 0 or null: cancelled (InvoiceStatus 5), answer
//! `Data {Pattern, Serial, KeyInvoiceNo {}, Invoices [the cancelled one]}`.
//!
//! # Unverified
//!
//! The ErrorCode list is an external sheet the document links to: the codes above are
//! those a third party saw on the demo host, and which refusal carries which code beyond
//! them (164 for every cancel refusal, 129 for issue/remove refusals, 165 for a missing
//! original) is the simulator's choice. The clock window of the real host is unknown.
//! The Ikey of the Decree-70 replacement, and the numbers as 7-digit strings, are the
//! simulator's own. `Invoices` entries carry the keys listed in the facts file.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use base64::Engine as _;
use md5::{Digest as _, Md5};
use serde_json::{json, Map, Value};

use crate::invoice::{self, Dialect, Seller, SimInvoice, SimLine};
use crate::ledger::{Ledger, SharedLedger};
use crate::server::ConnectionKill;
use crate::xml::{self, Element};
use crate::{with_faults, Reply};

/// The account the simulator accepts.
#[derive(Debug, Clone)]
pub struct EasyInvoiceConfig {
    /// The user name the `Authentication` header must carry.
    pub username: String,
    /// The password the signature of the `Authentication` header is checked against.
    pub password: String,
    /// The seller the invoices are issued for (its tax code is the header's sixth field).
    pub seller: Seller,
    /// Shared-host mode: the sixth field (seller tax code) is required.
    pub require_tax_code: bool,
    /// Registered (pattern, serial) pairs; `Pattern` may also be sent as the full symbol
    /// (`1C26TAA`) with `Serial` "".
    pub patterns: Vec<(String, String)>,
    /// Accepted clock difference of the signed timestamp, in seconds.
    pub clock_window_secs: u64,
    /// The account signs on the provider's side (HSM / remote signing), so a Decree-70
    /// cancel becomes a replacement; `false`: a USB-token account, whose cancels of
    /// accepted invoices are refused (164).
    pub remote_signing: bool,
}

impl Default for EasyInvoiceConfig {
    fn default() -> EasyInvoiceConfig {
        EasyInvoiceConfig {
            username: "demo".into(),
            password: "demo-pass".into(),
            seller: Seller::default(),
            require_tax_code: false,
            patterns: vec![("1".into(), "C26TAA".into()), ("2".into(), "C26TBB".into()), ("1".into(), "C26MAA".into())],
            clock_window_secs: 300,
            remote_signing: true,
        }
    }
}

/// `Status` of a successful answer (with HTTP 200).
pub const STATUS_OK: i64 = 2;
/// `Status` of a refusal caused by the request (HTTP 400, 404 or 409).
pub const STATUS_CLIENT: i64 = 4;
/// `Status` of a server failure or an authentication failure (HTTP 500 or 401).
pub const STATUS_SERVER: i64 = 5;

/// Bad `Authentication` string or signature, stale timestamp or unknown user (HTTP 401).
pub const ERR_AUTH: i64 = 175;
/// Seller tax code in the `Authentication` header missing (shared host) or wrong (HTTP 401).
pub const ERR_TAX_CODE: i64 = 176;
/// Wrong password (HTTP 401).
pub const ERR_PASSWORD: i64 = 177;
/// The body is not valid JSON.
pub const ERR_JSON: i64 = 100;
/// A required field (`XmlData`, `Ikey`, `Ikeys`, `Pattern`) is missing.
pub const ERR_REQUIRED: i64 = 102;
/// `Pattern` / `Serial` is not a symbol registered to the account.
pub const ERR_PATTERN: i64 = 117;
/// `XmlData` is not valid XML or not an invoice document.
pub const ERR_XML: i64 = 127;
/// None of the asked `Ikeys` is known (HTTP 404).
pub const ERR_IKEYS_NOT_FOUND: i64 = 128;
/// An invoice's data is refused; `Data.KeyInvoiceMsg` says why, per `Ikey` (HTTP 409).
pub const ERR_INVOICE_DATA: i64 = 129;
/// The invoice may not be cancelled in its state (draft, USB-token account, checking…).
pub const ERR_CANCEL_NOT_ALLOWED: i64 = 164;
/// No invoice has this `Ikey` (HTTP 404).
pub const ERR_NOT_FOUND: i64 = 165;
/// Any other server failure, "Có lỗi xảy ra" (Status 5, HTTP 500).
pub const ERR_GENERIC: i64 = 199;

/// Invoice statuses, as `getInvoicesByIkeys` reports them.
pub const NOT_FOUND: i64 = -1;
/// `InvoiceStatus`: imported, not yet signed (no number).
pub const UNSIGNED: i64 = 0;
/// `InvoiceStatus`: signed and numbered.
pub const SIGNED: i64 = 1;
/// `InvoiceStatus`: declared to the tax authority.
pub const SENT_TO_TAX: i64 = 2;
/// `InvoiceStatus`: replaced by another invoice.
pub const REPLACED: i64 = 3;
/// `InvoiceStatus`: adjusted by another invoice.
pub const ADJUSTED: i64 = 4;
/// `InvoiceStatus`: cancelled.
pub const CANCELLED: i64 = 5;
/// `InvoiceStatus`: approved.
pub const APPROVED: i64 = 6;

/// At most 5000 invoices per `importInvoice`, 200 per `importAndIssueInvoice`.
pub const MAX_IMPORT: usize = 5000;
/// At most this many invoices per `importAndIssueInvoice` (and the other issuing routes).
pub const MAX_BATCH: usize = 200;

struct Sim {
    config: EasyInvoiceConfig,
    ledger: SharedLedger,
}

pub(crate) fn router(config: EasyInvoiceConfig, ledger: SharedLedger) -> Router {
    Router::new().route("/api/{*route}", post(api)).with_state(Arc::new(Sim { config, ledger }))
}

async fn api(
    State(sim): State<Arc<Sim>>,
    Extension(kill): Extension<ConnectionKill>,
    method: Method,
    Path(route): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let operation = route.rsplit('/').next().unwrap_or("").to_string();
    let sim2 = sim.clone();
    with_faults(&sim.ledger, &kill, &operation, move || sim2.process(method.as_str(), &route, &headers, &body)).await
}

fn ok(data: Value) -> Reply {
    Reply::Json(StatusCode::OK, json!({ "Status": STATUS_OK, "Message": "Ok", "ErrorCode": "0", "Data": data }))
}

fn fail(http: StatusCode, status: i64, code: i64, message: &str, data: Value) -> Reply {
    Reply::Json(http, json!({ "Status": status, "Message": message, "ErrorCode": code, "Data": data }))
}

fn client(code: i64, message: &str) -> Reply {
    let http = match code {
        ERR_IKEYS_NOT_FOUND | ERR_NOT_FOUND => StatusCode::NOT_FOUND,
        ERR_INVOICE_DATA => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    };
    fail(http, STATUS_CLIENT, code, message, Value::Null)
}

fn auth(code: i64, message: &str) -> Reply {
    fail(StatusCode::UNAUTHORIZED, STATUS_SERVER, code, message, Value::Null)
}

/// 129 with the reason per Ikey.
fn refused(per_key: Vec<(String, String)>) -> Reply {
    let msg: Map<String, Value> = per_key.into_iter().map(|(k, t)| (k, Value::String(t))).collect();
    fail(StatusCode::CONFLICT, STATUS_CLIENT, ERR_INVOICE_DATA, "Dữ liệu hóa đơn không hợp lệ", json!({ "KeyInvoiceMsg": msg }))
}

fn str_field<'a>(request: &'a Value, name: &str) -> Option<&'a str> {
    request.get(name).and_then(Value::as_str)
}

fn number_text(n: Option<u64>) -> String {
    n.map(|n| format!("{n:07}")).unwrap_or_else(|| "0".into())
}

/// The Ikey of the 0-đồng invoice a Decree-70 cancel issues for `original`: the original's
/// Ikey with `-HUY`, or, when that would pass 50 characters, `HUY-` and a digest of it.
pub fn decree70_ikey(original: &str) -> String {
    let plain = format!("{original}-HUY");
    if plain.chars().count() <= 50 {
        return plain;
    }
    let digest = Md5::digest(original.as_bytes());
    format!("HUY-{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The invoice as `getInvoicesByIkeys` and the `Invoices` of answers show it.
pub fn invoice_json(inv: &SimInvoice) -> Value {
    json!({
        "InvoiceStatus": inv.status,
        "Type": inv.adjust_type.unwrap_or(0),
        "Pattern": inv.pattern,
        "Serial": inv.serial,
        "No": number_text(inv.number),
        "Ikey": inv.key,
        "LookupCode": inv.lookup_code,
        "ArisingDate": inv.arising_date,
        "IssueDate": if inv.number.is_some() { Value::String(inv.arising_date.clone()) } else { Value::Null },
        "Buyer": inv.buyer,
        "CustomerName": inv.cus_name,
        "CustomerCode": inv.cus_code,
        "CustomerAddress": inv.address,
        "CustomerTaxCode": inv.tax_code,
        "Total": inv.total,
        "TaxAmount": inv.vat_amount,
        "Amount": inv.amount,
        "TCTCheckStatus": inv.tct_status,
        "TCTErrorMessage": inv.tct_error,
        "TaxAuthorityCode": inv.tax_authority_code,
    })
}

/// A cash-register symbol: type letter `M` (the fourth character of the serial `C26MAA`).
fn cash_register(serial: &str) -> bool {
    serial.chars().nth(3) == Some('M')
}

impl Sim {
    fn process(&self, method: &str, route: &str, headers: &HeaderMap, body: &[u8]) -> Reply {
        if let Err(reply) = self.authenticate(method, headers) {
            return reply;
        }
        let request: Value = match serde_json::from_slice(body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return client(ERR_JSON, "Dữ liệu gửi lên không phải JSON hợp lệ"),
        };
        let mut ledger = self.ledger.lock();
        match route {
            "account/verify" => ok(json!({ "CompanyName": self.config.seller.name, "TaxCode": self.config.seller.tax_code })),
            "invoices/patterns" => ok(Value::Array(
                self.config.patterns.iter().map(|(p, s)| json!({ "Pattern": p, "Serial": s, "Symbol": format!("{p}{s}") })).collect(),
            )),
            "publish/importAndIssueInvoice" => self.import(&mut ledger, &request, true),
            "publish/importInvoice" => self.import(&mut ledger, &request, false),
            "publish/issueInvoices" => self.issue_drafts(&mut ledger, &request),
            "publish/getInvoicesByIkeys" => by_ikeys(&ledger, &request),
            "business/getInvoiceByArisingDateRange" => by_arising_date(&ledger, &request),
            "publish/checkInvoiceState" => check_state(&ledger, &request),
            "publish/getInvoicePdf" => self.pdf(&ledger, &request),
            "business/cancelInvoice" => self.cancel(&mut ledger, &request),
            "business/removeUnsignedInvoice" => remove_unsigned(&mut ledger, &request),
            "business/adjustInvoice" => self.change(&mut ledger, &request, "AdjustInv", ADJUSTED),
            "business/replaceInvoice" => self.change(&mut ledger, &request, "ReplaceInv", REPLACED),
            "business/sendIssuanceNotice" => notice(&ledger, &request),
            _ => Reply::Plain(StatusCode::NOT_FOUND, "Không có API này".into()),
        }
    }

    /// `signature:nonce:timestamp:username:password[:taxCode]`, byte for byte.
    fn authenticate(&self, method: &str, headers: &HeaderMap) -> Result<(), Reply> {
        let bad = |why: &str| auth(ERR_AUTH, &format!("Chuỗi xác thực không hợp lệ: {why}"));
        let value = headers.get("Authentication").ok_or_else(|| bad("thiếu header Authentication"))?;
        let value = std::str::from_utf8(value.as_bytes()).ok().filter(|v| v.is_ascii()).ok_or_else(|| bad("không phải ASCII"))?;
        let parts: Vec<&str> = value.split(':').collect();
        let (signature, nonce, timestamp, username, password, tax_code) = match parts.as_slice() {
            [s, n, t, u, p] => (*s, *n, *t, *u, *p, None),
            [s, n, t, u, p, tax] => (*s, *n, *t, *u, *p, Some(*tax)),
            _ => return Err(bad("phải có 5 hoặc 6 trường cách nhau bởi «:»")),
        };
        if nonce.is_empty() || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad("nonce phải gồm chữ và số"));
        }
        if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("timestamp phải là số giây"));
        }
        let ts: u64 = timestamp.parse().map_err(|_| bad("timestamp phải là số giây"))?;
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Md5::digest(format!("{}{timestamp}{nonce}", method.to_ascii_uppercase()).as_bytes()));
        if signature != expected {
            return Err(bad("chữ ký sai"));
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        if now.abs_diff(ts) > self.config.clock_window_secs {
            return Err(bad("timestamp lệch giờ máy chủ"));
        }
        if username != self.config.username {
            return Err(bad("không có tài khoản này"));
        }
        if password != self.config.password {
            return Err(auth(ERR_PASSWORD, "Mật khẩu không đúng"));
        }
        match tax_code {
            Some(t) if t != self.config.seller.tax_code => Err(auth(ERR_TAX_CODE, "Mã số thuế không đúng")),
            None if self.config.require_tax_code => Err(auth(ERR_TAX_CODE, "Thiếu mã số thuế trong chuỗi xác thực")),
            _ => Ok(()),
        }
    }

    /// Accepts `Pattern = "1", Serial = "C26TAA"` and `Pattern = "1C26TAA", Serial = ""`;
    /// without Pattern, the only registered pair. Returns the registered pair.
    fn symbol(&self, request: &Value) -> Result<(String, String), Reply> {
        let unusable = || client(ERR_PATTERN, "Ký hiệu mẫu số không khả dụng");
        let pattern = str_field(request, "Pattern").unwrap_or("");
        let serial = str_field(request, "Serial").unwrap_or("");
        if pattern.is_empty() && serial.is_empty() {
            return match self.config.patterns.as_slice() {
                [only] => Ok(only.clone()),
                _ => Err(unusable()),
            };
        }
        self.config
            .patterns
            .iter()
            .find(|(p, s)| (p == pattern && s == serial) || (serial.is_empty() && format!("{p}{s}") == pattern))
            .cloned()
            .ok_or_else(unusable)
    }

    /// `<Invoices><Inv><Invoice>…</Invoice></Inv>…</Invoices>`: the Invoice elements, or 127.
    fn invoices_of<'a>(&self, root: &'a Element, max: usize) -> Result<Vec<&'a Element>, Reply> {
        let bad = |why: &str| client(ERR_XML, &format!("XmlData không hợp lệ: {why}"));
        if root.name != "Invoices" || root.ns.is_some() {
            return Err(bad(&format!("phần tử gốc phải là <Invoices>, không phải <{}>", root.name)));
        }
        let mut out = Vec::new();
        for inv in &root.children {
            if inv.name != "Inv" {
                return Err(bad(&format!("<Invoices> chỉ chứa <Inv>, không chứa <{}>", inv.name)));
            }
            let el = inv.child("Invoice").ok_or_else(|| bad("<Inv> thiếu <Invoice>"))?;
            if el.child("Ikey").is_none() {
                let hint = el.children.iter().find(|c| c.name.eq_ignore_ascii_case("ikey")).map(|c| format!(" (có <{}>: tên thẻ phân biệt hoa thường)", c.name));
                return Err(bad(&format!("<Invoice> thiếu <Ikey>{}", hint.unwrap_or_default())));
            }
            out.push(el);
        }
        if out.is_empty() {
            return Err(bad("không có hóa đơn nào"));
        }
        if out.len() > max {
            return Err(bad(&format!("quá {max} hóa đơn trong một lần gửi")));
        }
        Ok(out)
    }

    /// Reads one invoice with EasyInvoice's rules for the symbol it goes under.
    fn read_one(&self, el: &Element, key: &str, serial: &str) -> Result<SimInvoice, String> {
        let n = key.chars().count();
        if n == 0 || n > 50 {
            return Err("Ikey phải dài từ 1 đến 50 ký tự".into());
        }
        let inv = invoice::read_invoice(el, key, Dialect::EasyInvoice).map_err(|p| p.text().to_string())?;
        if cash_register(serial) && inv.tax_authority_code.is_none() {
            return Err("thiếu <TaxAuthorityCode> (bắt buộc với hóa đơn khởi tạo từ máy tính tiền)".into());
        }
        Ok(inv)
    }

    fn import(&self, ledger: &mut Ledger, request: &Value, sign: bool) -> Reply {
        let Some(xml_data) = str_field(request, "XmlData") else { return client(ERR_REQUIRED, "Thiếu XmlData") };
        let (pattern, serial) = match self.symbol(request) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let root = match xml::parse(xml_data) {
            Ok(r) => r,
            Err(e) => return client(ERR_XML, &format!("XmlData không phải XML hợp lệ: {e}")),
        };
        let els = match self.invoices_of(&root, if sign { MAX_BATCH } else { MAX_IMPORT }) {
            Ok(e) => e,
            Err(r) => return r,
        };
        // Check everything first: all or none.
        let mut problems = Vec::new();
        let mut accepted = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for el in els {
            let key = el.text_of("Ikey").unwrap_or("").trim().to_string();
            if !seen.insert(key.clone()) {
                problems.push((key, "Ikey lặp lại trong cùng một lần gửi".to_string()));
                continue;
            }
            // Same Ikey, not yet signed: updated. Signed: refused as a duplicate.
            if ledger.invoices.get(&key).is_some_and(|existing| existing.status != UNSIGNED) {
                problems.push((key, "Ikey đã tồn tại: hóa đơn đã được phát hành".to_string()));
                continue;
            }
            match self.read_one(el, &key, &serial) {
                Ok(inv) => accepted.push(inv),
                Err(why) => problems.push((key, why)),
            }
        }
        if !problems.is_empty() {
            return refused(problems);
        }
        let mut numbers = Map::new();
        let mut ikeys = Vec::new();
        let mut invoices = Vec::new();
        for mut inv in accepted {
            inv.pattern = pattern.clone();
            inv.serial = serial.clone();
            inv.lookup_code = invoice::lookup_code(&inv.key);
            if sign {
                inv.number = Some(ledger.allocate(&inv.key, &pattern, &serial));
                inv.status = SIGNED;
                numbers.insert(inv.key.clone(), Value::String(number_text(inv.number)));
            } else {
                inv.status = UNSIGNED;
            }
            ikeys.push(Value::String(inv.key.clone()));
            invoices.push(invoice_json(&inv));
            ledger.invoices.insert(inv.key.clone(), inv);
        }
        if sign {
            ok(json!({ "Pattern": pattern, "Serial": serial, "KeyInvoiceNo": numbers, "Invoices": invoices }))
        } else {
            ok(json!({ "Pattern": pattern, "Serial": serial, "Ikeys": ikeys, "Invoices": invoices }))
        }
    }

    fn issue_drafts(&self, ledger: &mut Ledger, request: &Value) -> Reply {
        if str_field(request, "Pattern").is_none_or(str::is_empty) {
            return client(ERR_REQUIRED, "Thiếu Pattern");
        }
        let (pattern, serial) = match self.symbol(request) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let Some(keys) = ikeys(request) else { return client(ERR_REQUIRED, "Thiếu Ikeys") };
        let problems: Vec<(String, String)> = keys
            .iter()
            .filter_map(|k| match ledger.invoices.get(k) {
                None => Some((k.clone(), "Không tìm thấy hóa đơn".to_string())),
                Some(inv) if inv.status != UNSIGNED => Some((k.clone(), "Hóa đơn đã được phát hành".to_string())),
                Some(inv) if (inv.pattern.as_str(), inv.serial.as_str()) != (pattern.as_str(), serial.as_str()) => {
                    Some((k.clone(), "Hóa đơn không thuộc mẫu số, ký hiệu này".to_string()))
                }
                Some(_) => None,
            })
            .collect();
        if !problems.is_empty() {
            return refused(problems);
        }
        let mut numbers = Map::new();
        let mut invoices = Vec::new();
        for k in keys {
            let number = ledger.allocate(&k, &pattern, &serial);
            let inv = ledger.invoices.get_mut(&k).expect("checked above");
            inv.number = Some(number);
            inv.status = SIGNED;
            numbers.insert(k, Value::String(number_text(Some(number))));
            invoices.push(invoice_json(inv));
        }
        ok(json!({ "Pattern": pattern, "Serial": serial, "KeyInvoiceNo": numbers, "Invoices": invoices }))
    }

    fn pdf(&self, ledger: &Ledger, request: &Value) -> Reply {
        let Some(key) = str_field(request, "Ikey").filter(|k| !k.is_empty()) else { return client(ERR_REQUIRED, "Thiếu Ikey") };
        match ledger.invoices.get(key) {
            None => client(ERR_NOT_FOUND, "Không tìm thấy hóa đơn"),
            Some(inv) if inv.number.is_none() => refused(vec![(key.to_string(), "Hóa đơn chưa phát hành".into())]),
            Some(inv) => match invoice::pdf(&self.config.seller, inv, inv.status == CANCELLED) {
                Ok(bytes) => Reply::Pdf(bytes),
                Err(e) => fail(StatusCode::INTERNAL_SERVER_ERROR, STATUS_SERVER, ERR_GENERIC, &format!("Có lỗi xảy ra: {e}"), Value::Null),
            },
        }
    }

    /// `cancelInvoice`, with Decree 70/2025's rules (see the module doc).
    fn cancel(&self, ledger: &mut Ledger, request: &Value) -> Reply {
        let Some(key) = str_field(request, "Ikey").filter(|k| !k.is_empty()).map(str::to_string) else {
            return client(ERR_REQUIRED, "Thiếu Ikey");
        };
        let not_allowed = |why: &str| client(ERR_CANCEL_NOT_ALLOWED, &format!("Không được hủy hóa đơn: {why}"));
        let Some(inv) = ledger.invoices.get(&key) else { return client(ERR_NOT_FOUND, "Không tìm thấy hóa đơn") };
        match inv.status {
            UNSIGNED => return not_allowed("hóa đơn chưa phát hành (dùng removeUnsignedInvoice)"),
            REPLACED | ADJUSTED | CANCELLED => return not_allowed("hóa đơn đã bị thay thế, điều chỉnh hoặc hủy"),
            _ => {}
        }
        if inv.replaces.is_some() {
            return not_allowed("hóa đơn điều chỉnh/thay thế không được hủy");
        }
        // A declared invoice whose check was never set is being checked.
        let tct = inv.tct_status.or(if inv.status == SENT_TO_TAX { Some(-1) } else { None });
        match tct {
            Some(-1) => not_allowed("cơ quan thuế đang kiểm tra hóa đơn"),
            Some(1) if !self.config.remote_signing => not_allowed("hóa đơn đã được cơ quan thuế chấp nhận; tài khoản ký bằng USB token phải lập hóa đơn thay thế"),
            Some(1) => self.decree70_replacement(ledger, &key),
            _ => {
                let inv = ledger.invoices.get_mut(&key).expect("checked above");
                inv.status = CANCELLED;
                let (pattern, serial) = (inv.pattern.clone(), inv.serial.clone());
                ok(json!({ "Pattern": pattern, "Serial": serial, "KeyInvoiceNo": {}, "Invoices": [invoice_json(inv)] }))
            }
        }
    }

    /// Issues the 0-đồng invoice that replaces `original`, which goes to status 3.
    fn decree70_replacement(&self, ledger: &mut Ledger, original: &str) -> Reply {
        let o = ledger.invoices[original].clone();
        let new_key = decree70_ikey(original);
        if ledger.invoices.contains_key(&new_key) {
            return client(ERR_CANCEL_NOT_ALLOWED, "Không được hủy hóa đơn: đã có hóa đơn thay thế");
        }
        let number = ledger.allocate(&new_key, &o.pattern, &o.serial);
        let note = format!("Thay thế cho hóa đơn ký hiệu {}{} số {} ngày {} (hủy theo Nghị định 70/2025/NĐ-CP)", o.pattern, o.serial, number_text(o.number), o.arising_date);
        let replacement = SimInvoice {
            key: new_key.clone(),
            pattern: o.pattern.clone(),
            serial: o.serial.clone(),
            number: Some(number),
            status: SIGNED,
            cus_code: o.cus_code.clone(),
            cus_name: o.cus_name.clone(),
            buyer: o.buyer.clone(),
            tax_code: o.tax_code.clone(),
            address: o.address.clone(),
            email: o.email.clone(),
            payment_method: o.payment_method.clone(),
            arising_date: invoice::today(),
            currency: o.currency.clone(),
            lines: vec![SimLine { name: note, quantity: "0".into(), vat_rate: "-1".into(), feature: 4, ..Default::default() }],
            amount_in_words: "Không đồng".into(),
            lookup_code: invoice::lookup_code(&new_key),
            tax_authority_code: o.tax_authority_code.as_ref().map(|_| format!("{}-HUY", o.tax_authority_code.clone().unwrap_or_default()).chars().take(23).collect()),
            reason_code: Some(13),
            replaces: Some(original.to_string()),
            ..Default::default()
        };
        let shown = invoice_json(&replacement);
        ledger.invoices.insert(new_key.clone(), replacement);
        if let Some(o) = ledger.invoices.get_mut(original) {
            o.status = REPLACED;
        }
        ok(json!({ "Pattern": o.pattern, "Serial": o.serial, "KeyInvoiceNo": { new_key: number_text(Some(number)) }, "Invoices": [shown] }))
    }

    /// Adjust and replace: `Ikey` names the original (or "" with `RelatedInvoice` for an
    /// original outside EasyInvoice), `XmlData` (`<AdjustInv>` / `<ReplaceInv>`) carries the
    /// new invoice with its own `Ikey` and `AdjustReplaceReasonCode`.
    fn change(&self, ledger: &mut Ledger, request: &Value, root_name: &str, original_becomes: i64) -> Reply {
        let Some(xml_data) = str_field(request, "XmlData") else { return client(ERR_REQUIRED, "Thiếu XmlData") };
        let original = str_field(request, "Ikey").unwrap_or("").to_string();
        let related = request.get("RelatedInvoice").filter(|v| v.is_object());
        if original.is_empty() && related.is_none() {
            return client(ERR_REQUIRED, "Thiếu Ikey của hóa đơn gốc (hoặc RelatedInvoice)");
        }
        let root = match xml::parse(xml_data) {
            Ok(r) => r,
            Err(e) => return client(ERR_XML, &format!("XmlData không phải XML hợp lệ: {e}")),
        };
        if root.name != root_name || root.ns.is_some() {
            return client(ERR_XML, &format!("XmlData phải có phần tử gốc <{root_name}>, không phải <{}>", root.name));
        }
        let Some(new_key) = root.text_of("Ikey").map(|k| k.trim().to_string()) else {
            return client(ERR_XML, &format!("<{root_name}> thiếu <Ikey> của hóa đơn mới"));
        };
        let (pattern, serial) = if original.is_empty() {
            match self.symbol(request) {
                Ok(s) => s,
                Err(r) => return r,
            }
        } else {
            match ledger.invoices.get(&original) {
                None => return client(ERR_NOT_FOUND, "Không tìm thấy hóa đơn gốc"),
                Some(o) if !matches!(o.status, SIGNED | SENT_TO_TAX | APPROVED) => {
                    return refused(vec![(original.clone(), "Trạng thái hóa đơn gốc không cho phép điều chỉnh/thay thế".into())]);
                }
                Some(o) => match self.symbol(request) {
                    Ok(s) => s,
                    Err(_) => (o.pattern.clone(), o.serial.clone()),
                },
            }
        };
        if ledger.invoices.get(&new_key).is_some_and(|i| i.status != UNSIGNED) {
            return refused(vec![(new_key, "Ikey đã tồn tại: hóa đơn đã được phát hành".into())]);
        }
        let reason = match root.filled("AdjustReplaceReasonCode") {
            None => return refused(vec![(new_key, "thiếu <AdjustReplaceReasonCode> (1–14)".into())]),
            Some(t) => match t.parse::<u8>() {
                Ok(n) if (1..=14).contains(&n) => n,
                _ => return refused(vec![(new_key, format!("<AdjustReplaceReasonCode> «{t}» phải từ 1 đến 14"))]),
            },
        };
        let mut inv = match self.read_one(&root, &new_key, &serial) {
            Ok(inv) => inv,
            Err(why) => return refused(vec![(new_key, why)]),
        };
        inv.pattern = pattern.clone();
        inv.serial = serial.clone();
        inv.lookup_code = invoice::lookup_code(&new_key);
        inv.number = Some(ledger.allocate(&new_key, &pattern, &serial));
        inv.status = SIGNED;
        inv.reason_code = Some(reason);
        inv.replaces = Some(original.clone()).filter(|o| !o.is_empty());
        let number = inv.number;
        let shown = invoice_json(&inv);
        ledger.invoices.insert(new_key.clone(), inv);
        if let Some(o) = ledger.invoices.get_mut(&original) {
            o.status = original_becomes;
        }
        ok(json!({ "Pattern": pattern, "Serial": serial, "KeyInvoiceNo": { new_key: number_text(number) }, "Invoices": [shown] }))
    }
}

/// `Ikeys` (or `ikeys`, as the document's sample of checkInvoiceState spells it) as a
/// non-empty list of strings.
fn ikeys(request: &Value) -> Option<Vec<String>> {
    let list = request.get("Ikeys").or_else(|| request.get("ikeys"))?.as_array()?;
    let keys: Vec<String> = list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
    Some(keys).filter(|k| !k.is_empty())
}

fn by_ikeys(ledger: &Ledger, request: &Value) -> Reply {
    let Some(keys) = request.get("Ikeys").and_then(Value::as_array).map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>()).filter(|k| !k.is_empty()) else {
        return client(ERR_REQUIRED, "Thiếu Ikeys");
    };
    if !keys.iter().any(|k| ledger.invoices.contains_key(k)) {
        return client(ERR_IKEYS_NOT_FOUND, "Không tìm thấy hóa đơn theo Ikeys");
    }
    let invoices: Vec<Value> = keys
        .iter()
        .map(|k| match ledger.invoices.get(k) {
            None => json!({ "Ikey": k, "InvoiceStatus": NOT_FOUND }),
            Some(inv) => invoice_json(inv),
        })
        .collect();
    ok(json!({ "Invoices": invoices }))
}

/// `dd/MM/yyyy` as (year, month, day), comparable; `None` for anything else.
fn day_of(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().split('/');
    let (d, m, y) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    (parts.next().is_none() && (1..=31).contains(&d) && (1..=12).contains(&m) && y >= 1000).then_some((y, m, d))
}

/// V.27 `getInvoiceByArisingDateRange`: the invoices whose `ArisingDate` lies in
/// `FromDate..=ToDate` (dd/MM/yyyy, both required), of `Pattern` when given, a page
/// (`Page` from 1) of at most 100 (`PageSize`), ordered by Ikey.
fn by_arising_date(ledger: &Ledger, request: &Value) -> Reply {
    let day = |name: &str| str_field(request, name).and_then(day_of);
    let (Some(from), Some(to)) = (day("FromDate"), day("ToDate")) else {
        return client(ERR_REQUIRED, "Thiếu hoặc sai FromDate/ToDate (dd/MM/yyyy)");
    };
    let page = request.get("Page").and_then(Value::as_u64).unwrap_or(1).max(1) as usize;
    let size = request.get("PageSize").and_then(Value::as_u64).unwrap_or(100) as usize;
    if !(1..=100).contains(&size) {
        return client(ERR_REQUIRED, "PageSize từ 1 đến 100");
    }
    let pattern = str_field(request, "Pattern").filter(|p| !p.is_empty());
    let mut found: Vec<&SimInvoice> = ledger
        .invoices
        .values()
        .filter(|i| day_of(&i.arising_date).is_some_and(|d| from <= d && d <= to))
        .filter(|i| pattern.is_none_or(|p| i.pattern == p || format!("{}{}", i.pattern, i.serial) == p))
        .collect();
    found.sort_by(|a, b| a.key.cmp(&b.key));
    let total = found.len();
    let invoices: Vec<Value> = found.iter().skip((page - 1) * size).take(size).map(|i| invoice_json(i)).collect();
    ok(json!({ "Page": page, "PageSize": size, "TotalRecords": total, "TotalPages": total.div_ceil(size), "Invoices": invoices }))
}

fn check_state(ledger: &Ledger, request: &Value) -> Reply {
    let Some(keys) = ikeys(request) else { return client(ERR_REQUIRED, "Thiếu Ikeys") };
    let msg: Map<String, Value> = keys.into_iter().map(|k| {
        let status = ledger.invoices.get(&k).map(|i| i.status).unwrap_or(NOT_FOUND);
        (k, json!(status))
    }).collect();
    ok(json!({ "KeyInvoiceMsg": msg }))
}

fn remove_unsigned(ledger: &mut Ledger, request: &Value) -> Reply {
    let Some(key) = str_field(request, "Ikey").filter(|k| !k.is_empty()).map(str::to_string) else {
        return client(ERR_REQUIRED, "Thiếu Ikey");
    };
    match ledger.invoices.get(&key) {
        None => client(ERR_NOT_FOUND, "Không tìm thấy hóa đơn"),
        Some(inv) if inv.status != UNSIGNED || inv.number.is_some() => refused(vec![(key, "Hóa đơn đã phát hành, không xóa được".into())]),
        Some(_) => {
            ledger.invoices.remove(&key);
            ok(Value::Null)
        }
    }
}

/// `{"IkeyEmail": {"<ikey>": "<email>"}}`: Status 2 whatever happens to each key, with one
/// outcome per key in `KeyInvoiceMsg`.
fn notice(ledger: &Ledger, request: &Value) -> Reply {
    let Some(map) = request.get("IkeyEmail").and_then(Value::as_object).filter(|m| !m.is_empty()) else {
        return client(ERR_REQUIRED, "Thiếu IkeyEmail");
    };
    let mut msg = Map::new();
    for (key, email) in map {
        let email = email.as_str().unwrap_or("").trim();
        let valid_email = email.split(',').map(str::trim).all(|e| {
            let mut parts = e.split('@');
            matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(d), None) if !a.is_empty() && d.contains('.'))
        });
        let outcome = match ledger.invoices.get(key) {
            None => "Không tìm thấy hóa đơn",
            Some(inv) if inv.number.is_none() || inv.status == CANCELLED => "Trạng thái hóa đơn không cho phép gửi thông báo",
            Some(_) if !valid_email => "Email không hợp lệ",
            Some(_) => "Đã gửi email thông báo phát hành",
        };
        msg.insert(key.clone(), Value::String(outcome.into()));
    }
    ok(json!({ "KeyInvoiceMsg": msg }))
}
