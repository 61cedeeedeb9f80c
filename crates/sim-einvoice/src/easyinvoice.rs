//! The EasyInvoice simulator: `POST /api/...` routes, JSON envelopes, XML inside `XmlData`.
//!
//! Codes answered (the same the client decodes): envelope `Status` 2 success, 1 refused
//! with per-key reasons in `Data.KeyInvoiceMsg`, 3 login failed, 4 signature or timestamp
//! rejected, 5 invalid request, 6 pattern/serial not registered; per key −1 not found,
//! 160 invalid invoice data, 162 status forbids, 163 Ikey already signed, 164 tax authority
//! still checking.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use base64::Engine as _;
use md5::{Digest as _, Md5};
use serde_json::{json, Map, Value};

use crate::invoice::{self, Problem, Seller};
use crate::ledger::{Ledger, SharedLedger};
use crate::server::ConnectionKill;
use crate::xml::{self, Element};
use crate::{with_faults, Reply};

/// The account the simulator accepts.
#[derive(Debug, Clone)]
pub struct EasyInvoiceConfig {
    pub username: String,
    pub password: String,
    pub seller: Seller,
    /// Shared-host mode: the sixth field (seller tax code) is required.
    pub require_tax_code: bool,
    /// Registered (pattern, serial) pairs.
    pub patterns: Vec<(String, String)>,
    /// Accepted clock difference of the signed timestamp, in seconds.
    pub clock_window_secs: u64,
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
        }
    }
}

pub const STATUS_OK: i64 = 2;
pub const STATUS_REFUSED: i64 = 1;
pub const STATUS_LOGIN_FAILED: i64 = 3;
pub const STATUS_BAD_SIGNATURE: i64 = 4;
pub const STATUS_INVALID_REQUEST: i64 = 5;
pub const STATUS_PATTERN_NOT_FOUND: i64 = 6;
pub const KEY_NOT_FOUND: i64 = -1;
pub const KEY_INVALID: i64 = 160;
pub const KEY_STATUS_FORBIDS: i64 = 162;
pub const KEY_ALREADY_SIGNED: i64 = 163;
pub const KEY_AWAITING_TAX: i64 = 164;

/// Invoice statuses, as `getInvoicesByIkeys` reports them.
pub const UNSIGNED: i64 = 0;
pub const SIGNED: i64 = 1;
pub const SENT_TO_TAX: i64 = 2;
pub const REPLACED: i64 = 3;
pub const ADJUSTED: i64 = 4;
pub const CANCELLED: i64 = 5;

/// At most 200 invoices per request.
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
    Path(route): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let operation = route.rsplit('/').next().unwrap_or("").to_string();
    let sim2 = sim.clone();
    with_faults(&sim.ledger, &kill, &operation, move || sim2.process(&route, &headers, &body)).await
}

fn envelope(status: i64, message: &str, data: Value) -> Reply {
    Reply::Json(json!({ "Status": status, "Message": message, "Data": data }))
}

fn refused(per_key: Vec<(String, i64)>) -> Reply {
    let msg: Map<String, Value> = per_key.into_iter().map(|(k, c)| (k, Value::String(c.to_string()))).collect();
    envelope(STATUS_REFUSED, "Có hóa đơn không xử lý được", json!({ "KeyInvoiceMsg": msg }))
}

fn invalid(message: &str) -> Reply {
    envelope(STATUS_INVALID_REQUEST, message, Value::Null)
}

impl Sim {
    fn process(&self, route: &str, headers: &HeaderMap, body: &[u8]) -> Reply {
        if let Err(reply) = self.authenticate(headers) {
            return reply;
        }
        let request: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => return invalid("Dữ liệu gửi lên không phải JSON"),
        };
        let mut ledger = self.ledger.lock();
        match route {
            "account/verify" => envelope(
                STATUS_OK,
                "Ok",
                json!({ "CompanyName": self.config.seller.name, "TaxCode": self.config.seller.tax_code }),
            ),
            "invoices/patterns" => envelope(
                STATUS_OK,
                "Ok",
                Value::Array(self.config.patterns.iter().map(|(p, s)| json!({ "Pattern": p, "Serial": s })).collect()),
            ),
            "publish/importAndIssueInvoice" => self.import(&mut ledger, &request, true),
            "publish/importInvoice" => self.import(&mut ledger, &request, false),
            "publish/issueInvoices" => self.issue_drafts(&mut ledger, &request),
            "publish/getInvoicesByIkeys" => by_ikeys(&ledger, &request),
            "publish/getInvoicePdf" => self.pdf(&ledger, &request),
            "business/cancelInvoice" => cancel(&mut ledger, &request),
            "business/adjustInvoice" => self.change(&mut ledger, &request, "AdjustInv", ADJUSTED),
            "business/replaceInvoice" => self.change(&mut ledger, &request, "ReplaceInv", REPLACED),
            "business/sendIssuanceNotice" => notice(&ledger, &request),
            _ => Reply::Plain(StatusCode::NOT_FOUND, "Không có API này".into()),
        }
    }

    /// `signature:nonce:timestamp:username:password[:taxcode]`.
    fn authenticate(&self, headers: &HeaderMap) -> Result<(), Reply> {
        let login_failed = || envelope(STATUS_LOGIN_FAILED, "Tài khoản hoặc mật khẩu không đúng", Value::Null);
        let bad_signature = || envelope(STATUS_BAD_SIGNATURE, "Chữ ký xác thực không hợp lệ hoặc đã hết hạn", Value::Null);
        let value = headers.get("Authentication").and_then(|v| v.to_str().ok()).ok_or_else(login_failed)?;
        let parts: Vec<&str> = value.split(':').collect();
        let (signature, nonce, timestamp, username, password, tax_code) = match parts.as_slice() {
            [s, n, t, u, p] => (*s, *n, *t, *u, *p, None),
            [s, n, t, u, p, tax] => (*s, *n, *t, *u, *p, Some(*tax)),
            _ => return Err(login_failed()),
        };
        let ts: u64 = timestamp.parse().map_err(|_| bad_signature())?;
        if nonce.is_empty() || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad_signature());
        }
        let expected = base64::engine::general_purpose::STANDARD.encode(Md5::digest(format!("POST{timestamp}{nonce}").as_bytes()));
        if signature != expected {
            return Err(bad_signature());
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        if now.abs_diff(ts) > self.config.clock_window_secs {
            return Err(bad_signature());
        }
        if username != self.config.username || password != self.config.password {
            return Err(login_failed());
        }
        match tax_code {
            Some(t) if t != self.config.seller.tax_code => Err(login_failed()),
            None if self.config.require_tax_code => Err(login_failed()),
            _ => Ok(()),
        }
    }

    /// Accepts `Pattern = "1", Serial = "C26TAA"` and `Pattern = "1C26TAA", Serial = ""`;
    /// returns the registered pair.
    fn symbol(&self, request: &Value) -> Option<(String, String)> {
        let pattern = request.get("Pattern").and_then(Value::as_str).unwrap_or("");
        let serial = request.get("Serial").and_then(Value::as_str).unwrap_or("");
        self.config
            .patterns
            .iter()
            .find(|(p, s)| (p == pattern && s == serial) || (serial.is_empty() && format!("{p}{s}") == pattern))
            .cloned()
    }

    fn import(&self, ledger: &mut Ledger, request: &Value, sign: bool) -> Reply {
        let Some((pattern, serial)) = self.symbol(request) else {
            return envelope(STATUS_PATTERN_NOT_FOUND, "Mẫu số, ký hiệu không tồn tại", Value::Null);
        };
        let Some(xml_data) = request.get("XmlData").and_then(Value::as_str) else {
            return invalid("Thiếu XmlData");
        };
        let Ok(root) = xml::parse(xml_data) else { return invalid("XmlData không phải XML hợp lệ") };
        let invs: Vec<&Element> = root.children_named("Inv").filter_map(|inv| inv.child("Invoice")).collect();
        if invs.is_empty() {
            return invalid("XmlData không có hóa đơn nào");
        }
        if invs.len() > MAX_BATCH {
            return invalid("Quá 200 hóa đơn trong một lần gửi");
        }
        // Check everything first: all or none.
        let mut problems = Vec::new();
        let mut accepted = Vec::new();
        for el in &invs {
            let Some(key) = el.text_of("Ikey") else { return invalid("Thiếu Ikey") };
            // Same Ikey, not yet signed: updated. Signed: refused as a duplicate.
            if ledger.invoices.get(key).is_some_and(|existing| existing.status != UNSIGNED) {
                problems.push((key.to_string(), KEY_ALREADY_SIGNED));
                continue;
            }
            match invoice::read_invoice(el, key) {
                Ok(inv) => accepted.push(inv),
                Err(Problem::Missing(_) | Problem::Totals(_)) => problems.push((key.to_string(), KEY_INVALID)),
            }
        }
        if !problems.is_empty() {
            return refused(problems);
        }
        let mut numbers = Map::new();
        for mut inv in accepted {
            inv.pattern = pattern.clone();
            inv.serial = serial.clone();
            inv.lookup_code = invoice::lookup_code(&inv.key);
            if sign {
                inv.number = Some(ledger.allocate(&inv.key, &pattern, &serial));
                inv.status = SIGNED;
            } else {
                inv.status = UNSIGNED;
            }
            numbers.insert(inv.key.clone(), Value::String(inv.number.map(|n| format!("{n:07}")).unwrap_or_default()));
            ledger.invoices.insert(inv.key.clone(), inv);
        }
        envelope(STATUS_OK, "Ok", json!({ "Pattern": pattern, "Serial": serial, "KeyInvoiceNo": numbers }))
    }

    fn issue_drafts(&self, ledger: &mut Ledger, request: &Value) -> Reply {
        let Some((pattern, serial)) = self.symbol(request) else {
            return envelope(STATUS_PATTERN_NOT_FOUND, "Mẫu số, ký hiệu không tồn tại", Value::Null);
        };
        let keys = ikeys(request);
        if keys.is_empty() {
            return invalid("Thiếu Ikeys");
        }
        let problems: Vec<(String, i64)> = keys
            .iter()
            .filter_map(|k| match ledger.invoices.get(k) {
                None => Some((k.clone(), KEY_NOT_FOUND)),
                Some(inv) if inv.status != UNSIGNED => Some((k.clone(), KEY_ALREADY_SIGNED)),
                Some(_) => None,
            })
            .collect();
        if !problems.is_empty() {
            return refused(problems);
        }
        let mut numbers = Map::new();
        for k in keys {
            let number = ledger.allocate(&k, &pattern, &serial);
            let inv = ledger.invoices.get_mut(&k).expect("checked above");
            inv.number = Some(number);
            inv.status = SIGNED;
            numbers.insert(k, Value::String(format!("{number:07}")));
        }
        envelope(STATUS_OK, "Ok", json!({ "Pattern": pattern, "Serial": serial, "KeyInvoiceNo": numbers }))
    }

    fn pdf(&self, ledger: &Ledger, request: &Value) -> Reply {
        let key = request.get("Ikey").and_then(Value::as_str).unwrap_or("");
        match ledger.invoices.get(key) {
            None => refused(vec![(key.to_string(), KEY_NOT_FOUND)]),
            Some(inv) if inv.number.is_none() => refused(vec![(key.to_string(), KEY_STATUS_FORBIDS)]),
            Some(inv) => match invoice::pdf(&self.config.seller, inv, inv.status == CANCELLED) {
                Ok(bytes) => Reply::Pdf(bytes),
                Err(e) => Reply::Plain(StatusCode::INTERNAL_SERVER_ERROR, e),
            },
        }
    }

    /// Adjust and replace: `Ikey` names the original, `XmlData` carries the new invoice.
    fn change(&self, ledger: &mut Ledger, request: &Value, root_name: &str, original_becomes: i64) -> Reply {
        let Some((pattern, serial)) = self.symbol(request) else {
            return envelope(STATUS_PATTERN_NOT_FOUND, "Mẫu số, ký hiệu không tồn tại", Value::Null);
        };
        let original = request.get("Ikey").and_then(Value::as_str).unwrap_or("").to_string();
        let Some(xml_data) = request.get("XmlData").and_then(Value::as_str) else { return invalid("Thiếu XmlData") };
        let Ok(root) = xml::parse(xml_data) else { return invalid("XmlData không phải XML hợp lệ") };
        if !root.name.eq_ignore_ascii_case(root_name) {
            return invalid("XmlData sai cấu trúc");
        }
        let Some(new_key) = root.text_of("Ikey").map(str::to_string) else { return invalid("Thiếu Ikey của hóa đơn mới") };
        if ledger.invoices.get(&new_key).is_some_and(|i| i.status != UNSIGNED) {
            return refused(vec![(new_key, KEY_ALREADY_SIGNED)]);
        }
        match ledger.invoices.get(&original) {
            None => return refused(vec![(original, KEY_NOT_FOUND)]),
            Some(o) if !matches!(o.status, SIGNED | SENT_TO_TAX | 6) => return refused(vec![(original, KEY_STATUS_FORBIDS)]),
            Some(_) => {}
        }
        let mut inv = match invoice::read_invoice(&root, &new_key) {
            Ok(inv) => inv,
            Err(_) => return refused(vec![(new_key, KEY_INVALID)]),
        };
        inv.pattern = pattern.clone();
        inv.serial = serial.clone();
        inv.lookup_code = invoice::lookup_code(&new_key);
        inv.number = Some(ledger.allocate(&new_key, &pattern, &serial));
        inv.status = SIGNED;
        let number = inv.number.unwrap_or_default();
        ledger.invoices.insert(new_key.clone(), inv);
        if let Some(o) = ledger.invoices.get_mut(&original) {
            o.status = original_becomes;
        }
        envelope(STATUS_OK, "Ok", json!({ "Pattern": pattern, "Serial": serial, "KeyInvoiceNo": { new_key: format!("{number:07}") } }))
    }
}

fn ikeys(request: &Value) -> Vec<String> {
    request
        .get("Ikeys")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn by_ikeys(ledger: &Ledger, request: &Value) -> Reply {
    let keys = ikeys(request);
    if keys.is_empty() {
        return invalid("Thiếu Ikeys");
    }
    let invoices: Vec<Value> = keys
        .iter()
        .map(|k| match ledger.invoices.get(k) {
            None => json!({ "Ikey": k, "InvoiceStatus": -1 }),
            Some(inv) => json!({
                "Ikey": inv.key,
                "InvoiceStatus": inv.status,
                "Pattern": inv.pattern,
                "Serial": inv.serial,
                "No": inv.number.map(|n| format!("{n:07}")).unwrap_or_default(),
                "LookupCode": inv.lookup_code,
                "ArisingDate": inv.arising_date,
                "IssueDate": inv.arising_date,
                "CustomerName": inv.cus_name,
                "Buyer": inv.buyer,
                "Amount": inv.amount,
            }),
        })
        .collect();
    envelope(STATUS_OK, "Ok", json!({ "Invoices": invoices }))
}

fn cancel(ledger: &mut Ledger, request: &Value) -> Reply {
    let key = request.get("Ikey").and_then(Value::as_str).unwrap_or("").to_string();
    let code = match ledger.invoices.get(&key) {
        None => Some(KEY_NOT_FOUND),
        Some(inv) if inv.status == SENT_TO_TAX => Some(KEY_AWAITING_TAX),
        Some(inv) if inv.status == SIGNED || inv.status == 6 => None,
        Some(_) => Some(KEY_STATUS_FORBIDS),
    };
    if let Some(code) = code {
        return refused(vec![(key, code)]);
    }
    if let Some(inv) = ledger.invoices.get_mut(&key) {
        inv.status = CANCELLED;
    }
    envelope(STATUS_OK, "Ok", json!({ "KeyInvoiceMsg": {} }))
}

fn notice(ledger: &Ledger, request: &Value) -> Reply {
    let key = request.get("Ikey").and_then(Value::as_str).unwrap_or("").to_string();
    match ledger.invoices.get(&key) {
        None => refused(vec![(key, KEY_NOT_FOUND)]),
        Some(inv) if inv.number.is_none() => refused(vec![(key, KEY_STATUS_FORBIDS)]),
        Some(_) => envelope(STATUS_OK, "Ok", Value::Null),
    }
}
