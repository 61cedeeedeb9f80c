//! The VNPT Invoice simulator: three `.asmx` SOAP services routed by `SOAPAction`, answers
//! `OK…` / `ERR:n` per operation as the document lists them.
//!
//! Beyond the 2018 document: `ERR:13` answers an issue, adjust or replace whose new key
//! already exists (the duplicate-key answer of later editions), and `ERR:3` stands for the
//! document's bare `ERR` (invalid XML).
//!
//! Drafts follow VNPT's public web-service document, which the 2018 text lacks:
//! `ImportInvByPattern` keeps invoices unsigned (status 0, no number) and answers
//! `OK:<pattern>;<serial>-<key>_0,…`; `PublishInvFkey` signs them by key and answers
//! `OK:#<key>_<number>,…`. Their codes are reachable except `ERR:22` (duplicate invoice
//! number), which needs numbers chosen by the caller, and the client never sends any.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use base64::Engine as _;

use crate::invoice::{self, Problem, Seller, SimInvoice};
use crate::ledger::{Ledger, SharedLedger};
use crate::server::ConnectionKill;
use crate::xml::{self, escape, Element};
use crate::{with_faults, Reply};

/// The tenant the simulator plays.
#[derive(Debug, Clone)]
pub struct VnptConfig {
    /// `Account` / `ACpass`: the staff account allowed to issue.
    pub account: String,
    pub ac_password: String,
    /// `username` / `password`: the service account.
    pub username: String,
    pub password: String,
    pub seller: Seller,
    /// Registered (pattern, serial); empty reaches "no pattern registered" (`ERR:4`).
    pub patterns: Vec<(String, String)>,
    /// Service users that log in (with `password`) but belong to no company: `ERR:7`.
    pub users_without_company: Vec<String>,
    /// The signing certificate has expired: `PublishInvFkey` answers `ERR:29`.
    pub certificate_expired: bool,
}

impl Default for VnptConfig {
    fn default() -> VnptConfig {
        VnptConfig {
            account: "admin".into(),
            ac_password: "admin-pass".into(),
            username: "service".into(),
            password: "service-pass".into(),
            seller: Seller::default(),
            patterns: vec![("1".into(), "C26TAA".into()), ("1".into(), "C26MAA".into()), ("2".into(), "C26TBB".into())],
            users_without_company: vec!["nocompany".into()],
            certificate_expired: false,
        }
    }
}

/// At most 5000 invoices per batch.
pub const MAX_BATCH: usize = 5000;

/// At most 200 keys per `PublishInvFkey`.
pub const MAX_PUBLISH_KEYS: usize = 200;

pub const CREATED: i64 = 0;
pub const SIGNED: i64 = 1;
pub const REPLACED: i64 = 3;
pub const ADJUSTED: i64 = 4;
pub const CANCELLED: i64 = 5;

const NAMESPACE: &str = "http://tempuri.org/";

struct Sim {
    config: VnptConfig,
    ledger: SharedLedger,
}

pub(crate) fn router(config: VnptConfig, ledger: SharedLedger) -> Router {
    Router::new()
        .route("/PublishService.asmx", post(publish_service))
        .route("/BusinessService.asmx", post(business_service))
        .route("/PortalService.asmx", post(portal_service))
        .with_state(Arc::new(Sim { config, ledger }))
}

const PUBLISH_OPS: &[&str] = &["ImportAndPublishInv", "ImportAndPublishInvMTT", "ImportInvByPattern", "PublishInvFkey", "UpdateCus"];
const BUSINESS_OPS: &[&str] = &["cancelInv", "adjustInv", "replaceInv", "confirmPaymentFkey", "UnConfirmPaymentFkey"];
const PORTAL_OPS: &[&str] =
    &["listInvByCusFkey", "getInvViewFkey", "downloadInvFkeyNoPay", "downloadInvPDFFkeyNoPay", "reportInvUsed", "reportMonth"];

type Args = (State<Arc<Sim>>, Extension<ConnectionKill>, HeaderMap, Bytes);

async fn publish_service(State(sim): State<Arc<Sim>>, Extension(kill): Extension<ConnectionKill>, headers: HeaderMap, body: Bytes) -> Response {
    serve((State(sim), Extension(kill), headers, body), PUBLISH_OPS).await
}

async fn business_service(State(sim): State<Arc<Sim>>, Extension(kill): Extension<ConnectionKill>, headers: HeaderMap, body: Bytes) -> Response {
    serve((State(sim), Extension(kill), headers, body), BUSINESS_OPS).await
}

async fn portal_service(State(sim): State<Arc<Sim>>, Extension(kill): Extension<ConnectionKill>, headers: HeaderMap, body: Bytes) -> Response {
    serve((State(sim), Extension(kill), headers, body), PORTAL_OPS).await
}

/// ASP.NET's answer to a call it cannot route: a SOAP fault with HTTP 500.
fn fault(text: &str) -> Reply {
    Reply::Soap(format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>{}</faultstring></soap:Fault></soap:Body></soap:Envelope>"#,
        escape(text)
    ))
}

async fn serve((State(sim), Extension(kill), headers, body): Args, ops: &[&str]) -> Response {
    let action = headers.get("SOAPAction").and_then(|v| v.to_str().ok()).unwrap_or("").trim().trim_matches('"').to_string();
    let operation = action.strip_prefix(NAMESPACE).unwrap_or("").to_string();
    if !ops.contains(&operation.as_str()) {
        let mut response = axum::response::IntoResponse::into_response(fault(&format!("Server did not recognize the value of HTTP Header SOAPAction: {action}.")));
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        return response;
    }
    let sim2 = sim.clone();
    let op = operation.clone();
    with_faults(&sim.ledger, &kill, &operation, move || sim2.process(&op, &body)).await
}

fn answer(operation: &str, result: &str) -> Reply {
    Reply::Soap(format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><{operation}Response xmlns="{NAMESPACE}"><{operation}Result>{}</{operation}Result></{operation}Response></soap:Body></soap:Envelope>"#,
        escape(result)
    ))
}

/// Reads the `<Inv>` elements of an import as VNPT checks them: `ERR:3` for XML it cannot
/// read or an unsafe key, `ERR:10` past 5000, `ERR:13` for a key it already holds, `ERR:5`
/// for figures that do not add up. A key repeated within the batch answers
/// `repeated_key_code`: the publishing call calls it bad data, the draft call a duplicate.
fn read_batch(ledger: &Ledger, data: &str, repeated_key_code: u32) -> Result<Vec<SimInvoice>, u32> {
    let root = xml::parse(data).map_err(|_| 3u32)?;
    let invs: Vec<&Element> = root.children_named("Inv").collect();
    if invs.is_empty() {
        return Err(3);
    }
    if invs.len() > MAX_BATCH {
        return Err(10);
    }
    let mut accepted = Vec::with_capacity(invs.len());
    let mut seen = std::collections::HashSet::new();
    for inv in invs {
        let key = inv.text_of("key").ok_or(3u32)?;
        let el = inv.child("Invoice").ok_or(3u32)?;
        if key.contains(['_', ',', ';']) {
            return Err(3);
        }
        if !seen.insert(key.to_string()) {
            return Err(repeated_key_code);
        }
        if ledger.invoices.contains_key(key) {
            return Err(13);
        }
        match invoice::read_invoice(el, key) {
            Ok(i) => accepted.push(i),
            Err(Problem::Missing(_)) => return Err(3),
            Err(Problem::Totals(_)) => return Err(5),
        }
    }
    Ok(accepted)
}

fn err(n: u32) -> String {
    format!("ERR:{n}")
}

impl Sim {
    fn process(&self, operation: &str, body: &[u8]) -> Reply {
        let Ok(text) = std::str::from_utf8(body) else { return fault("Request is not UTF-8") };
        let Ok(root) = xml::parse(text) else { return fault("Request format is invalid.") };
        let Some(call) = root.find(operation) else { return fault("Request has no operation element.") };
        let args: HashMap<String, String> = call.children.iter().map(|c| (c.name.clone(), c.text.clone())).collect();
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        let mut ledger = self.ledger.lock();
        let result = match operation {
            "ImportAndPublishInv" => self.publish(&mut ledger, &args, false),
            "ImportAndPublishInvMTT" => self.publish(&mut ledger, &args, true),
            "ImportInvByPattern" => self.import_drafts(&mut ledger, &args),
            "PublishInvFkey" => self.publish_drafts(&mut ledger, &args),
            "UpdateCus" => self.update_cus(&mut ledger, arg("XMLCusData"), arg("username"), arg("pass")),
            "cancelInv" => self.cancel(&mut ledger, &args),
            "adjustInv" => self.change(&mut ledger, &args, "AdjustInv", ADJUSTED),
            "replaceInv" => self.change(&mut ledger, &args, "ReplaceInv", REPLACED),
            "confirmPaymentFkey" => self.payment(&mut ledger, &args, true),
            "UnConfirmPaymentFkey" => self.payment(&mut ledger, &args, false),
            "listInvByCusFkey" => self.list(&ledger, &args),
            "getInvViewFkey" => self.by_fkey(&ledger, &args, View::Html),
            "downloadInvFkeyNoPay" => self.by_fkey(&ledger, &args, View::Xml),
            "downloadInvPDFFkeyNoPay" => self.by_fkey(&ledger, &args, View::Pdf),
            "reportInvUsed" => self.report_used(&ledger, &args),
            "reportMonth" => self.report_month(&ledger, &args),
            _ => return fault("Unknown operation"),
        };
        answer(operation, &result)
    }

    /// `Ok` or the ERR number: 1 wrong credentials, 7 a user without company.
    fn login(&self, user: &str, pass: &str) -> Result<(), u32> {
        if pass != self.config.password {
            return Err(1);
        }
        if user == self.config.username {
            return Ok(());
        }
        if self.config.users_without_company.iter().any(|u| u == user) {
            return Err(7);
        }
        Err(1)
    }

    fn staff(&self, args: &HashMap<String, String>) -> bool {
        args.get("Account").map(String::as_str) == Some(self.config.account.as_str())
            && args.get("ACpass").map(String::as_str) == Some(self.config.ac_password.as_str())
    }

    fn symbol(&self, pattern: &str, serial: &str) -> Option<(String, String)> {
        if pattern.is_empty() && serial.is_empty() {
            return self.config.patterns.first().cloned();
        }
        self.config.patterns.iter().find(|(p, s)| p == pattern && s == serial).cloned()
    }

    fn publish(&self, ledger: &mut Ledger, args: &HashMap<String, String>, cash_register: bool) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if !self.staff(args) {
            return err(1);
        }
        if let Err(n) = self.login(arg("username"), arg("password")) {
            return err(n);
        }
        let Some((pattern, serial)) = self.symbol(arg("pattern"), arg("serial")) else { return err(20) };
        let accepted = match read_batch(ledger, arg("xmlInvData"), 3) {
            Ok(a) => a,
            Err(n) => return err(n),
        };
        if ledger.numbers_left(&pattern, &serial) < accepted.len() as u64 {
            return err(6);
        }
        let yy = serial.get(1..3).unwrap_or("26").to_string();
        let mut items = Vec::with_capacity(accepted.len());
        for mut inv in accepted {
            let number = ledger.allocate(&inv.key, &pattern, &serial);
            inv.number = Some(number);
            inv.status = SIGNED;
            inv.pattern = pattern.clone();
            inv.serial = serial.clone();
            inv.lookup_code = invoice::lookup_code(&inv.key);
            let mut item = format!("{}_{}", inv.key, number);
            if cash_register {
                let code = inv.tax_authority_code.clone().unwrap_or_else(|| format!("M1-{yy}-SIMUL-{number:011}"));
                item.push('_');
                item.push_str(&code);
                inv.tax_authority_code = Some(code);
            }
            items.push(item);
            ledger.invoices.insert(inv.key.clone(), inv);
        }
        format!("OK:{pattern};{serial}-{}", items.join(","))
    }

    /// `ImportInvByPattern`: validated as `ImportAndPublishInv`, stored unsigned. Its own
    /// codes: `ERR:7` also for a pattern/serial outside the registered ranges, `ERR:13` for
    /// a key already held or repeated in the batch, `ERR:35` for a call without pattern and
    /// serial when both kinds of range (with and without tax-authority code) are registered.
    fn import_drafts(&self, ledger: &mut Ledger, args: &HashMap<String, String>) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if !self.staff(args) {
            return err(1);
        }
        if let Err(n) = self.login(arg("username"), arg("password")) {
            return err(n);
        }
        if arg("pattern").is_empty() && arg("serial").is_empty() && self.both_kinds_of_range() {
            return err(35);
        }
        let Some((pattern, serial)) = self.symbol(arg("pattern"), arg("serial")) else { return err(7) };
        let accepted = match read_batch(ledger, arg("xmlInvData"), 13) {
            Ok(a) => a,
            Err(n) => return err(n),
        };
        // Drafts already waiting will take numbers of the same range when signed.
        let waiting = ledger.invoices.values().filter(|i| i.status == CREATED && i.pattern == pattern && i.serial == serial).count();
        if ledger.numbers_left(&pattern, &serial) < (waiting + accepted.len()) as u64 {
            return err(6);
        }
        let mut items = Vec::with_capacity(accepted.len());
        for mut inv in accepted {
            inv.status = CREATED;
            inv.number = None;
            inv.pattern = pattern.clone();
            inv.serial = serial.clone();
            inv.lookup_code = invoice::lookup_code(&inv.key);
            items.push(format!("{}_0", inv.key));
            ledger.invoices.insert(inv.key.clone(), inv);
        }
        format!("OK:{pattern};{serial}-{}", items.join(","))
    }

    /// Serials of both kinds are registered: `C…` (with the tax authority's code) and `K…`.
    fn both_kinds_of_range(&self) -> bool {
        let kinds = |letter: char| self.config.patterns.iter().any(|(_, s)| s.starts_with(letter));
        kinds('C') && kinds('K')
    }

    /// `PublishInvFkey`: signs the drafts named in `lsFkey`, all or none, each under the
    /// pattern and serial it was created with (a pattern/serial sent must match it).
    fn publish_drafts(&self, ledger: &mut Ledger, args: &HashMap<String, String>) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        // The document lists no ERR:7 here: a user without company has no right to publish.
        if !self.staff(args) || self.login(arg("username"), arg("password")).is_err() {
            return err(1);
        }
        let mut keys: Vec<&str> = Vec::new();
        for k in arg("lsFkey").split('_').map(str::trim).filter(|k| !k.is_empty()) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        if keys.is_empty() {
            return err(6);
        }
        if keys.len() > MAX_PUBLISH_KEYS {
            return err(10);
        }
        let asked = (arg("pattern"), arg("serial"));
        if !(asked.0.is_empty() && asked.1.is_empty()) && self.symbol(asked.0, asked.1).is_none() {
            return err(20);
        }
        let mut drafts = Vec::with_capacity(keys.len());
        for key in &keys {
            match ledger.invoices.get(*key) {
                None => return err(6),
                Some(inv) if inv.status != CREATED => return err(15),
                Some(inv) if !asked.0.is_empty() && (inv.pattern.as_str(), inv.serial.as_str()) != asked => return err(20),
                Some(inv) => drafts.push(inv),
            }
        }
        if self.config.certificate_expired {
            return err(29);
        }
        // Invoices of one range are signed in date order.
        for d in &drafts {
            let date = hoadon_rules::calendar::parse_date(&d.arising_date);
            let later_signed = ledger.invoices.values().any(|i| {
                i.number.is_some() && i.pattern == d.pattern && i.serial == d.serial && hoadon_rules::calendar::parse_date(&i.arising_date) > date
            });
            if later_signed {
                return err(30);
            }
        }
        let mut per_range: HashMap<(String, String), u64> = HashMap::new();
        for d in &drafts {
            *per_range.entry((d.pattern.clone(), d.serial.clone())).or_insert(0) += 1;
        }
        // The numbers ran out since the drafts were made (e.g. spent by direct issues).
        if per_range.iter().any(|((p, s), n)| ledger.numbers_left(p, s) < *n) {
            return err(5);
        }
        let mut items = Vec::with_capacity(keys.len());
        for key in keys {
            let inv = ledger.invoices.get(key).expect("checked above");
            let (pattern, serial) = (inv.pattern.clone(), inv.serial.clone());
            let number = ledger.allocate(key, &pattern, &serial);
            let inv = ledger.invoices.get_mut(key).expect("checked above");
            inv.number = Some(number);
            inv.status = SIGNED;
            items.push(format!("{key}_{number}"));
        }
        format!("OK:#{}", items.join(","))
    }

    fn cancel(&self, ledger: &mut Ledger, args: &HashMap<String, String>) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if !self.staff(args) || self.login(arg("userName"), arg("userPass")).is_err() {
            return err(1);
        }
        let key = arg("fkey");
        match ledger.invoices.get_mut(key) {
            None => err(2),
            Some(inv) if matches!(inv.status, REPLACED | CANCELLED) => err(8),
            Some(inv) if inv.status != SIGNED => err(9),
            Some(inv) => {
                inv.status = CANCELLED;
                "OK:".into()
            }
        }
    }

    /// adjustInv / replaceInv: `fkey` names the original, the XML carries the new invoice.
    fn change(&self, ledger: &mut Ledger, args: &HashMap<String, String>, root_name: &str, original_becomes: i64) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if !self.staff(args) {
            return err(1);
        }
        if let Err(n) = self.login(arg("username"), arg("pass")) {
            return err(n);
        }
        let data = arg("xmlInvData");
        let Ok(root) = xml::parse(data) else { return err(3) };
        if !root.name.eq_ignore_ascii_case(root_name) {
            return err(3);
        }
        let Some(new_key) = root.text_of("key").map(str::to_string) else { return err(3) };
        if new_key.contains(['_', ',', ';']) {
            return err(3);
        }
        if ledger.invoices.contains_key(&new_key) {
            return err(13);
        }
        let original = arg("fkey");
        let (pattern, serial) = match ledger.invoices.get(original) {
            None => return err(2),
            Some(o) if o.status == REPLACED => return err(8),
            Some(o) if o.status == CANCELLED || o.status == CREATED || (original_becomes == REPLACED && o.status == ADJUSTED) => return err(9),
            Some(o) => (o.pattern.clone(), o.serial.clone()),
        };
        let mut inv = match invoice::read_invoice(&root, &new_key) {
            Ok(i) => i,
            Err(Problem::Missing(_)) => return err(3),
            Err(Problem::Totals(_)) => return err(5),
        };
        if ledger.numbers_left(&pattern, &serial) == 0 {
            return err(6);
        }
        let number = ledger.allocate(&new_key, &pattern, &serial);
        inv.number = Some(number);
        inv.status = SIGNED;
        inv.pattern = pattern.clone();
        inv.serial = serial.clone();
        inv.lookup_code = invoice::lookup_code(&new_key);
        ledger.invoices.insert(new_key.clone(), inv);
        if let Some(o) = ledger.invoices.get_mut(original) {
            o.status = original_becomes;
        }
        format!("OK:{pattern};{serial};{new_key}_{number:07}")
    }

    fn payment(&self, ledger: &mut Ledger, args: &HashMap<String, String>, paid: bool) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if self.login(arg("userName"), arg("userPass")).is_err() {
            return err(1);
        }
        let keys: Vec<&str> = arg("lstFkey").split('_').filter(|k| !k.is_empty()).collect();
        if keys.is_empty() {
            return err(6);
        }
        for key in &keys {
            match ledger.invoices.get(*key) {
                None => return err(6),
                Some(inv) if inv.paid == paid => return err(13),
                Some(inv) if inv.status == CANCELLED => return err(7),
                Some(_) => {}
            }
        }
        for key in keys {
            if let Some(inv) = ledger.invoices.get_mut(key) {
                inv.paid = paid;
            }
        }
        "OK".into()
    }

    fn update_cus(&self, ledger: &mut Ledger, data: &str, user: &str, pass: &str) -> String {
        if self.login(user, pass).is_err() {
            return "-1".into();
        }
        let Ok(root) = xml::parse(data) else { return "-3".into() };
        let mut batch: Vec<(String, String)> = Vec::new();
        for c in root.children_named("Customer") {
            let (Some(name), Some(code), Some(_), Some(_), Some(kind)) =
                (c.text_of("Name"), c.text_of("Code"), c.text_of("Address"), c.text_of("Email"), c.text_of("CusType"))
            else {
                return "-3".into();
            };
            if !matches!(kind, "0" | "1") {
                return "-3".into();
            }
            if batch.iter().any(|(k, _)| k == code) {
                return "-5".into();
            }
            if name.chars().count() > 400 {
                return "-2".into();
            }
            batch.push((code.to_string(), name.to_string()));
        }
        if batch.is_empty() {
            return "-3".into();
        }
        let n = batch.len();
        ledger.customers.extend(batch);
        n.to_string()
    }

    fn list(&self, ledger: &Ledger, args: &HashMap<String, String>) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if let Err(n) = self.login(arg("userName"), arg("userPass")) {
            return err(n);
        }
        if self.config.patterns.is_empty() {
            return err(4);
        }
        let from = hoadon_rules::calendar::parse_date(arg("fromDate"));
        let to = hoadon_rules::calendar::parse_date(arg("toDate"));
        let mut out = String::from("<Data>");
        if let Some(inv) = ledger.invoices.get(arg("key")) {
            let date = hoadon_rules::calendar::parse_date(&inv.arising_date);
            let in_range = match date {
                Some(d) => from.is_none_or(|f| f <= d) && to.is_none_or(|t| d <= t),
                None => true,
            };
            if in_range {
                out.push_str(&format!(
                    "<Item><index>{}</index><cusCode>{}</cusCode><name>Hóa đơn</name><publishDate>{}</publishDate><signStatus>1</signStatus><pattern>{}</pattern><serial>{}</serial><invNum>{}</invNum><payment>{}</payment><amount>{}</amount><status>{}</status></Item>",
                    inv.arising_date.get(3..5).unwrap_or(""),
                    escape(&inv.cus_code),
                    escape(&inv.arising_date),
                    escape(&inv.pattern),
                    escape(&inv.serial),
                    // A draft (status 0) has no number yet: listed as 0.
                    inv.number.map(|n| format!("{n:07}")).unwrap_or_else(|| "0".into()),
                    u8::from(inv.paid),
                    inv.amount,
                    inv.status
                ));
            }
        }
        out.push_str("</Data>");
        format!("OK:{out}")
    }

    fn by_fkey(&self, ledger: &Ledger, args: &HashMap<String, String>, view: View) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if let Err(n) = self.login(arg("userName"), arg("userPass")) {
            return err(n);
        }
        let Some(inv) = ledger.invoices.get(arg("fkey")) else { return err(6) };
        if inv.status == CREATED || inv.number.is_none() {
            // The document's "ERR:" (other error): an invoice that is not signed.
            return "ERR:".into();
        }
        match view {
            View::Html if !inv.paid => err(11),
            View::Html => format!(
                "<html><body><h1>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</h1><p>Ký hiệu: {}{} Số: {:07}</p><p>Người mua: {}</p><p>Tổng tiền: {}</p></body></html>",
                escape(&inv.pattern),
                escape(&inv.serial),
                inv.number.unwrap_or(0),
                escape(&inv.cus_name),
                inv.amount
            ),
            View::Xml => invoice_xml(inv),
            View::Pdf => match invoice::pdf(&self.config.seller, inv, inv.status == CANCELLED) {
                Ok(bytes) => base64::engine::general_purpose::STANDARD.encode(bytes),
                Err(_) => "ERR:".into(),
            },
        }
    }

    fn report_used(&self, ledger: &Ledger, args: &HashMap<String, String>) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if let Err(n) = self.login(arg("username"), arg("pass")) {
            return err(n);
        }
        let year = arg("year");
        let quarter: u32 = arg("quarter").parse().unwrap_or(0);
        let mut out = format!("<Report><Year>{}</Year><Quarter>{quarter}</Quarter>", escape(year));
        for (pattern, serial) in &self.config.patterns {
            let of_period: Vec<&SimInvoice> = ledger
                .invoices
                .values()
                .filter(|i| &i.pattern == pattern && &i.serial == serial && i.number.is_some())
                .filter(|i| {
                    let month: u32 = i.arising_date.get(3..5).and_then(|m| m.parse().ok()).unwrap_or(0);
                    i.arising_date.ends_with(year) && month.div_ceil(3) == quarter
                })
                .collect();
            let cancelled = of_period.iter().filter(|i| i.status == CANCELLED).count();
            out.push_str(&format!(
                "<Item><Pattern>{}</Pattern><Serial>{}</Serial><Used>{}</Used><Cancelled>{cancelled}</Cancelled></Item>",
                escape(pattern),
                escape(serial),
                of_period.len()
            ));
        }
        out.push_str("</Report>");
        out
    }

    fn report_month(&self, ledger: &Ledger, args: &HashMap<String, String>) -> String {
        let arg = |name: &str| args.get(name).map(String::as_str).unwrap_or("");
        if let Err(n) = self.login(arg("username"), arg("pass")) {
            return err(n);
        }
        let year = arg("year");
        let month: u32 = arg("month").parse().unwrap_or(0);
        let mut invoices: Vec<&SimInvoice> = ledger
            .invoices
            .values()
            .filter(|i| i.number.is_some() && i.arising_date.ends_with(year))
            .filter(|i| i.arising_date.get(3..5).and_then(|m| m.parse::<u32>().ok()) == Some(month))
            .collect();
        invoices.sort_by_key(|i| (i.pattern.clone(), i.serial.clone(), i.number));
        let mut out = format!("<Report><Year>{}</Year><Month>{month}</Month>", escape(year));
        for i in invoices {
            out.push_str(&format!(
                "<Item><Pattern>{}</Pattern><Serial>{}</Serial><InvNum>{:07}</InvNum><Date>{}</Date><CusName>{}</CusName><Total>{}</Total><VATAmount>{}</VATAmount><Amount>{}</Amount><Status>{}</Status></Item>",
                escape(&i.pattern),
                escape(&i.serial),
                i.number.unwrap_or(0),
                escape(&i.arising_date),
                escape(&i.cus_name),
                i.total,
                i.vat_amount,
                i.amount,
                i.status
            ));
        }
        out.push_str("</Report>");
        out
    }
}

#[derive(Clone, Copy)]
enum View {
    Html,
    Xml,
    Pdf,
}

/// The invoice as VNPT's download gives it: its data as XML.
fn invoice_xml(inv: &SimInvoice) -> String {
    let mut out = format!(
        "<Invoice><key>{}</key><Pattern>{}</Pattern><Serial>{}</Serial><InvNum>{:07}</InvNum><CusCode>{}</CusCode><CusName>{}</CusName><CusAddress>{}</CusAddress><CusTaxCode>{}</CusTaxCode><ArisingDate>{}</ArisingDate><Products>",
        escape(&inv.key),
        escape(&inv.pattern),
        escape(&inv.serial),
        inv.number.unwrap_or(0),
        escape(&inv.cus_code),
        escape(&inv.cus_name),
        escape(&inv.address),
        escape(&inv.tax_code),
        escape(&inv.arising_date)
    );
    for l in &inv.lines {
        out.push_str(&format!(
            "<Product><ProdName>{}</ProdName><ProdUnit>{}</ProdUnit><ProdQuantity>{}</ProdQuantity><ProdPrice>{}</ProdPrice><Amount>{}</Amount><VATRate>{}</VATRate><VATAmount>{}</VATAmount></Product>",
            escape(&l.name),
            escape(&l.unit),
            escape(&l.quantity),
            l.price,
            l.amount,
            escape(&l.vat_rate),
            l.vat_amount
        ));
    }
    out.push_str(&format!(
        "</Products><Total>{}</Total><VATAmount>{}</VATAmount><Amount>{}</Amount><AmountInWords>{}</AmountInWords></Invoice>",
        inv.total,
        inv.vat_amount,
        inv.amount,
        escape(&inv.amount_in_words)
    ));
    out
}
