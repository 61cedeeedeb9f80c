//! The VNPT Invoice simulator: `PublishService.asmx`, `BusinessService.asmx` and
//! `PortalService.asmx`, SOAP 1.1 as the TT78 tenant's WSDLs describe them.
//!
//! Every request goes through [`crate::soap::read`] first: envelope namespace, one body
//! element in `http://tempuri.org/` named as the `SOAPAction`, the operation belonging to
//! the `.asmx` it was posted to, its parameters exactly as `wsdl/OPERATIONS.txt` lists them
//! (names, case, order, no unknown ones). A request that fails is answered with HTTP 500
//! and a `soap:Fault`, as ASP.NET answers. Operations of the WSDL that the simulator does
//! not implement answer `ERR:` (the document's "other error") once the request is valid.
//!
//! # Answers (the result element's text; `ERR:n` with HTTP 200)
//!
//! | operation (service) | success | errors |
//! |---|---|---|
//! | `ImportAndPublishInv` (Publish) | `OK:<pattern>;<serial>-<key>_<no>,…` | 1 login, 3 bad data (missing/empty required field, bad key, repeated key), 5 figures, 6 numbers out, 7 user without company, 10 batch > 5000, 13 key already held, 20 pattern/serial |
//! | `ImportAndPublishInvMTT` (Publish) | `OK:<pattern>;<serial>-<key>_<no>_<tax-authority code>,…` | as above |
//! | `ImportInvByPattern` (Publish) | `OK:<pattern>;<serial>-<key>_0,…` (drafts, status 0) | 1, 3, 5, 6, 7 (pattern/serial too), 10, 13 (key held as draft or signed, or repeated), 35 |
//! | `PublishInvFkey` (Publish) | always `ERR:6#<not found>\|\|ERR:15#<already signed>\|\|OK:#<key>_<no>,…` (lists joined by `,`, empty when none) | whole-call: 1, 5, 10, 20, 29 certificate expired, 30 date order |
//! | `UpdateCus` (Publish) | the count (int) | −1 login, −2 name too long, −3 bad data, −5 repeated code |
//! | `deleteInvoiceByFkey` (Publish) | `OK:<key>_<key>…` | 1, 6 not found, 9 signed (not a draft) |
//! | `GetMCCQThueByFkeys` (Publish) | base64 of `<DSHDon><HDon>…</HDon>…</DSHDon>` | 1, 2 a key not found or still a draft, 20 pattern |
//! | `cancelInv` (Business) | `OK:` | 1, 2, 8 replaced/cancelled, 9 state |
//! | `adjustInv` / `replaceInv` (Business) | `OK:<pattern>;<serial>;<key>_<no, 7 digits>` | 1, 2, 3, 5, 6, 7, 8, 9, 13 new key held |
//! | `confirmPaymentFkey` / `UnConfirmPaymentFkey` (Business) | `OK` | 1, 6, 7 cancelled, 13 already so |
//! | `reportInvUsed` / `reportMonth` (Business) | `<Report>…</Report>` | 1, 7 |
//! | `getSerialByPattern` (Business) | `<stt>-<serial>-<total>-<from>-<to>-<current>-<left>-<dd/MM/yyyy>-<1 unused, 2 in use>;…` | 1, 20 no serial |
//! | `listInvByCusFkey` (Portal) | `<Data>…</Data>` without `OK:`; `<Data></Data>` when nothing | 1, 4, 7 |
//! | `listInvFromNoToNo` (Portal) | `<Data><Item>…</Item>…</Data>` without `OK:` (numbers `invFromNo`…`invToNo` of one pattern and serial, by number, at most 100); `<Data></Data>` when nothing | 1, 7, `ERR:` bad numbers or pattern/serial |
//! | `getInvViewFkey` / `downloadInvFkeyNoPay` / `downloadInvPDFFkeyNoPay` (Portal) | HTML / XML / base64 PDF | 1, 6, 7, 11 unpaid (view), `ERR:` draft |
//! | `listPatternByCom` (Portal) | `<pattern>;<pattern>…` | 1, 4 none |
//!
//! # Sources and what is unverified
//!
//! - Operation and parameter names, order and case: the WSDLs (`wsdl/OPERATIONS.txt`).
//!   `ImportAndPublishInvMTT` is not in them; it is served with `ImportAndPublishInv`'s
//!   parameters (a public C# client calls it so).
//! - Codes and answer shapes of issue, adjust, replace, cancel, payments, list, view,
//!   download, reports, `UpdateCus`: document 004 (`vnpt-invoice-webservice.txt`), with the
//!   corrections of real tenants (pattern `1/001`, three-part `PublishInvFkey`, drafts not
//!   listed — unverified, from one public server-side copy —, `<Data></Data>`, no `OK:`).
//! - `GetMCCQThueByFkeys`: the XML shape comes from public clients (a C# `DSHDon`/`HDon`
//!   model deserialised from the base64 answer, and a TypeScript client reading the same
//!   tags): `<DSHDon><HDon><KHMSHDon>1</KHMSHDon><KHHDon>C26TAA</KHHDon><SHDon>12</SHDon>
//!   <MCCQThue>…</MCCQThue><TThai>2</TThai><MTLoi></MTLoi><Fkey>key</Fkey></HDon></DSHDon>`,
//!   `TThai` 0 not sent, 1 sent/waiting, 2 accepted, 3 rejected (`MTLoi` the reason);
//!   `ERR:2` when a key is unknown or still a draft. Unverified: `MLoi` (the rejection code,
//!   added here after the tax authority's own message format), the absence of `DLKy`
//!   (present in one client's model, content unknown), the separator of `fkeys` (one
//!   client joins with `;`; the simulator accepts `;`, `,` and `_`), and whether `pattern`
//!   must match.
//! - `getSerialByPattern`: the shape comes from the doc comments of a public C# client
//!   (`1-DT/21E-1000-1-1000-37-963-21/05/2021-2;2-…`, nine fields: index, serial, total,
//!   first number, last number, current number, numbers left, in use from, status 1 unused /
//!   2 in use) and its error table (`ERR:1`, `ERR:20`). Another public client parses the
//!   answer as XML: conflicting, so unverified.
//! - `listPatternByCom`: no public client found; the `;`-joined list is a guess.
//! - `listInvFromNoToNo`: a published VNPT integration document ("Lấy danh sách hóa đơn từ
//!   số, đến số"): the invoices numbered `invFromNo` to `invToNo` of `invPattern` and
//!   `invSerial`, at most 100 ("hoặc theo cấu hình trên từng app": the simulator always
//!   stops at the first 100 by number), `ERR:1` login or right, `ERR:7` no company, `ERR:`
//!   other; each `<Item>` holds `index` (the month), `invToken` (`pattern;serial;number`),
//!   `fkey`, `name`, `publishDate`, `signStatus`, `total` (before tax), `amount` (with tax),
//!   `pattern`, `serial`, `invNum`, `status` (the codes of `listInvByCusFkey`: 1 issued,
//!   3 replaced, 4 adjusted, 5 cancelled), `cusname`, `payment` (0/1). Unverified: the answer
//!   without `OK:` and `invNum` padded to 7 digits (taken from `listInvByCusFkey` on real
//!   tenants), the order of the tags, drafts left out, and the simulator's `ERR:` for numbers
//!   that are not positive integers, `invFromNo` > `invToNo`, and a pattern/serial pair not
//!   registered (both must be given).
//! - `deleteInvoiceByFkey`: one public client's mock answers `OK:<fkey>`; codes guessed.
//! - The tax-authority code of `ImportAndPublishInvMTT`: generated by the simulator
//!   (`M1-<yy>-SIMUL-<11 digits>`), or the `<MCCQT>` the invoice carries (unverified tag).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use base64::Engine as _;

use crate::invoice::{self, Dialect, Problem, Seller, SimInvoice, TaxVerdict};
use crate::ledger::{Ledger, SharedLedger};
use crate::server::ConnectionKill;
use crate::soap::{self, Call};
use crate::xml::{self, escape, Element};
use crate::{with_faults, Reply};

/// The tenant the simulator plays.
#[derive(Debug, Clone)]
pub struct VnptConfig {
    /// `Account` / `ACpass`: the staff account allowed to issue.
    pub account: String,
    /// The staff account's password (`ACpass`).
    pub ac_password: String,
    /// `username` / `password`: the service account.
    pub username: String,
    /// The service account's password.
    pub password: String,
    /// The seller the invoices are issued for.
    pub seller: Seller,
    /// Registered (pattern, serial), e.g. `("1/001", "C26TAA")`; empty reaches "no pattern
    /// registered" (`ERR:4`).
    pub patterns: Vec<(String, String)>,
    /// Service users that log in (with `password`) but belong to no company: `ERR:7`.
    pub users_without_company: Vec<String>,
    /// The signing certificate has expired: `PublishInvFkey` answers `ERR:29`.
    pub certificate_expired: bool,
    /// `comid` of the tenant, for `listPatternByCom` (any value is accepted when empty).
    pub comid: String,
    /// A tenant on another version of the service: (operation, published name, this
    /// tenant's name). Its `?wsdl` says so, and a call must use the tenant's name.
    pub renamed_params: Vec<(String, String, String)>,
}

impl Default for VnptConfig {
    fn default() -> VnptConfig {
        VnptConfig {
            account: "admin".into(),
            ac_password: "admin-pass".into(),
            username: "service".into(),
            password: "service-pass".into(),
            seller: Seller::default(),
            patterns: vec![("1/001".into(), "C26TAA".into()), ("1/001".into(), "C26MAA".into()), ("2/001".into(), "C26TBB".into())],
            users_without_company: vec!["nocompany".into()],
            certificate_expired: false,
            comid: String::new(),
            renamed_params: Vec::new(),
        }
    }
}

/// At most 5000 invoices per batch.
pub const MAX_BATCH: usize = 5000;

/// At most 200 keys per `PublishInvFkey`.
pub const MAX_PUBLISH_KEYS: usize = 200;

/// At most 100 invoices per `listInvFromNoToNo` (the document: "tối đa lấy ra 100 hóa đơn").
pub const MAX_LIST_BY_NUMBER: usize = 100;

/// Invoice status: imported, not yet published (no number).
pub const CREATED: i64 = 0;
/// Invoice status: published (signed and numbered).
pub const SIGNED: i64 = 1;
/// Invoice status: replaced by another invoice.
pub const REPLACED: i64 = 3;
/// Invoice status: adjusted by another invoice.
pub const ADJUSTED: i64 = 4;
/// Invoice status: cancelled.
pub const CANCELLED: i64 = 5;

struct Sim {
    config: VnptConfig,
    ledger: SharedLedger,
}

pub(crate) fn router(config: VnptConfig, ledger: SharedLedger) -> Router {
    Router::new()
        .route("/PublishService.asmx", post(publish_service).get(publish_wsdl))
        .route("/BusinessService.asmx", post(business_service).get(business_wsdl))
        .route("/PortalService.asmx", post(portal_service).get(portal_wsdl))
        .with_state(Arc::new(Sim { config, ledger }))
}

type Args = (State<Arc<Sim>>, Extension<ConnectionKill>, HeaderMap, Bytes);

async fn publish_service(State(sim): State<Arc<Sim>>, Extension(kill): Extension<ConnectionKill>, headers: HeaderMap, body: Bytes) -> Response {
    serve((State(sim), Extension(kill), headers, body), "PublishService").await
}

async fn business_service(State(sim): State<Arc<Sim>>, Extension(kill): Extension<ConnectionKill>, headers: HeaderMap, body: Bytes) -> Response {
    serve((State(sim), Extension(kill), headers, body), "BusinessService").await
}

async fn portal_service(State(sim): State<Arc<Sim>>, Extension(kill): Extension<ConnectionKill>, headers: HeaderMap, body: Bytes) -> Response {
    serve((State(sim), Extension(kill), headers, body), "PortalService").await
}

/// The service descriptions the tenant publishes (`<Service>.asmx?wsdl`), as saved from a TT78
/// tenant, with this tenant's renamed parameters.
const WSDLS: &[(&str, &str)] = &[
    ("PublishService", include_str!("../wsdl/PublishService.wsdl")),
    ("BusinessService", include_str!("../wsdl/BusinessService.wsdl")),
    ("PortalService", include_str!("../wsdl/PortalService.wsdl")),
];

async fn publish_wsdl(State(sim): State<Arc<Sim>>, query: axum::extract::RawQuery) -> Response {
    sim.wsdl("PublishService", query.0.as_deref())
}

async fn business_wsdl(State(sim): State<Arc<Sim>>, query: axum::extract::RawQuery) -> Response {
    sim.wsdl("BusinessService", query.0.as_deref())
}

async fn portal_wsdl(State(sim): State<Arc<Sim>>, query: axum::extract::RawQuery) -> Response {
    sim.wsdl("PortalService", query.0.as_deref())
}

impl Sim {
    /// `GET <Service>.asmx?wsdl`. ASP.NET answers a GET without `?wsdl` with its help page;
    /// the simulator has none and answers 404.
    fn wsdl(&self, service: &str, query: Option<&str>) -> Response {
        if !query.is_some_and(|q| q.eq_ignore_ascii_case("wsdl")) {
            return (StatusCode::NOT_FOUND, "Trang trợ giúp của dịch vụ không có trong trình mô phỏng; dùng ?wsdl.").into_response();
        }
        let text = WSDLS.iter().find(|(s, _)| *s == service).map(|(_, t)| *t).expect("a WSDL per service");
        let mut text = text.to_string();
        for (op, published, tenant) in &self.config.renamed_params {
            // Only inside the request element of `op`: from its start to its response element.
            let start_tag = format!("<s:element name=\"{op}\">");
            let end_tag = format!("<s:element name=\"{op}Response\">");
            if let (Some(a), Some(b)) = (text.find(&start_tag), text.find(&end_tag))
                && a < b
            {
                let part = text[a..b].replace(&format!("name=\"{published}\""), &format!("name=\"{tenant}\""));
                text.replace_range(a..b, &part);
            }
        }
        ([(axum::http::header::CONTENT_TYPE, "text/xml; charset=utf-8")], text).into_response()
    }

    /// A request of a tenant with renamed parameters, as the published table reads it: the
    /// tenant's name stands for the published one, and the published one is unknown there.
    fn as_published<'a>(&self, operation: Option<&str>, body: &'a [u8]) -> Result<std::borrow::Cow<'a, [u8]>, soap::Fault> {
        let renames: Vec<&(String, String, String)> = self.config.renamed_params.iter().filter(|(op, _, _)| Some(op.as_str()) == operation).collect();
        if renames.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(body));
        }
        let mut text = String::from_utf8_lossy(body).into_owned();
        for (op, published, tenant) in renames {
            if text.contains(&format!("<{published}>")) || text.contains(&format!("<{published} ")) || text.contains(&format!("<{published}/>")) {
                return Err(soap::Fault::client(format!(
                    "Server was unable to read request. ---> There is an error in XML document. ---> <{published} xmlns='http://tempuri.org/'> is not a parameter of {op} on this server; it is named {tenant}."
                )));
            }
            text = text.replace(&format!("<{tenant}>"), &format!("<{published}>")).replace(&format!("</{tenant}>"), &format!("</{published}>")).replace(&format!("<{tenant}/>"), &format!("<{published}/>"));
        }
        Ok(std::borrow::Cow::Owned(text.into_bytes()))
    }
}

async fn serve((State(sim), Extension(kill), headers, body): Args, service: &'static str) -> Response {
    let action = headers.get("SOAPAction").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let operation_named = action.as_deref().map(|a| a.trim().trim_matches('"').trim_start_matches("http://tempuri.org/").to_string());
    let body = match sim.as_published(operation_named.as_deref(), &body) {
        Ok(b) => b.into_owned(),
        Err(fault) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, [(axum::http::header::CONTENT_TYPE, "text/xml; charset=utf-8")], fault.envelope()).into_response();
        }
    };
    let call = match soap::read(service, action.as_deref(), &body) {
        Ok(call) => call,
        Err(fault) => {
            tracing::debug!(service, fault = %fault.text, "VNPT simulator refused a request");
            return (StatusCode::INTERNAL_SERVER_ERROR, [(axum::http::header::CONTENT_TYPE, "text/xml; charset=utf-8")], fault.envelope()).into_response();
        }
    };
    let operation = call.operation.name.clone();
    let sim2 = sim.clone();
    with_faults(&sim.ledger, &kill, &operation, move || {
        let result = sim2.process(&call);
        Reply::Soap(soap::answer(call.operation, &result))
    })
    .await
}

fn err(n: u32) -> String {
    format!("ERR:{n}")
}

/// Keys in a list parameter: VNPT's lists are `_`-joined; `,` and `;` (which keys may not
/// contain either) are accepted too.
fn key_list(text: &str) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for k in text.split(['_', ',', ';']).map(str::trim).filter(|k| !k.is_empty()) {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

fn bad_key(key: &str) -> bool {
    key.trim().is_empty() || key.contains(['_', ',', ';'])
}

/// Reads the `<Invoices><Inv><key/><Invoice/></Inv>…</Invoices>` of an import as VNPT
/// checks them: `ERR:3` for XML it cannot read, a wrong element name (exact case), an unsafe
/// or missing key, a required field missing or empty; `ERR:10` past 5000; `ERR:13` for a
/// key it already holds; `ERR:5` for figures that do not add up. A key repeated within the
/// batch answers `repeated_key_code`: the publishing call calls it bad data, the draft call
/// a duplicate.
fn read_batch(ledger: &Ledger, data: &str, repeated_key_code: u32) -> Result<Vec<SimInvoice>, u32> {
    let root = xml::parse(data).map_err(|_| 3u32)?;
    if root.name != "Invoices" || root.ns.is_some() {
        return Err(3);
    }
    if root.children.iter().any(|c| c.name != "Inv") {
        return Err(3);
    }
    let invs: Vec<&Element> = root.children_named("Inv").collect();
    if invs.is_empty() {
        return Err(3);
    }
    if invs.len() > MAX_BATCH {
        return Err(10);
    }
    let mut accepted = Vec::with_capacity(invs.len());
    let mut seen = HashSet::new();
    for inv in invs {
        let key = inv.text_of("key").ok_or(3u32)?.trim();
        let el = inv.child("Invoice").ok_or(3u32)?;
        if bad_key(key) {
            return Err(3);
        }
        if !seen.insert(key.to_string()) {
            return Err(repeated_key_code);
        }
        if ledger.invoices.contains_key(key) {
            return Err(13);
        }
        match invoice::read_invoice(el, key, Dialect::Vnpt) {
            Ok(mut i) => {
                if i.arising_date.is_empty() {
                    i.arising_date = invoice::today();
                }
                accepted.push(i)
            }
            Err(Problem::Missing(why)) => {
                tracing::debug!(key, why, "VNPT simulator: ERR:3");
                return Err(3);
            }
            Err(Problem::Totals(why)) => {
                tracing::debug!(key, why, "VNPT simulator: ERR:5");
                return Err(5);
            }
        }
    }
    Ok(accepted)
}

/// The template digit of a pattern (`1/001` → `1`), as the tax authority's XML writes it.
fn template_digit(pattern: &str) -> String {
    pattern.chars().take_while(|c| c.is_ascii_digit()).collect::<String>().trim_start_matches('0').to_string()
}

/// The tax authority's code a simulated acceptance carries: 34 characters, stable per key.
pub fn simulated_mccqt(key: &str) -> String {
    use md5::{Digest as _, Md5};
    let digest = Md5::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    format!("00{hex}")
}

impl Sim {
    fn process(&self, call: &Call) -> String {
        let mut ledger = self.ledger.lock();
        match call.operation.name.as_str() {
            "ImportAndPublishInv" => self.publish(&mut ledger, call, false),
            "ImportAndPublishInvMTT" => self.publish(&mut ledger, call, true),
            "ImportInvByPattern" => self.import_drafts(&mut ledger, call),
            "PublishInvFkey" => self.publish_drafts(&mut ledger, call),
            "UpdateCus" => self.update_cus(&mut ledger, call),
            "deleteInvoiceByFkey" => self.delete_drafts(&mut ledger, call),
            "GetMCCQThueByFkeys" => self.tax_verdicts(&ledger, call),
            "cancelInv" => self.cancel(&mut ledger, call),
            "adjustInv" => self.change(&mut ledger, call, "AdjustInv", ADJUSTED),
            "replaceInv" => self.change(&mut ledger, call, "ReplaceInv", REPLACED),
            "confirmPaymentFkey" => self.payment(&mut ledger, call, true),
            "UnConfirmPaymentFkey" => self.payment(&mut ledger, call, false),
            "reportInvUsed" => self.report_used(&ledger, call),
            "reportMonth" => self.report_month(&ledger, call),
            "getSerialByPattern" => self.serials(&ledger, call),
            "listInvByCusFkey" => self.list(&ledger, call),
            "listInvFromNoToNo" => self.list_numbers(&ledger, call),
            "getInvViewFkey" => self.by_fkey(&ledger, call, View::Html),
            "downloadInvFkeyNoPay" => self.by_fkey(&ledger, call, View::Xml),
            "downloadInvPDFFkeyNoPay" => self.by_fkey(&ledger, call, View::Pdf),
            "listPatternByCom" => self.patterns(call),
            // A valid call of an operation the simulator does not play: "other error".
            _ => "ERR:".into(),
        }
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

    fn staff(&self, call: &Call) -> bool {
        call.arg("Account") == self.config.account && call.arg("ACpass") == self.config.ac_password
    }

    /// Both given and registered, or both empty (the first registered): document 004's
    /// rule for `ERR:20`.
    fn symbol(&self, pattern: &str, serial: &str) -> Option<(String, String)> {
        if pattern.is_empty() && serial.is_empty() {
            return self.config.patterns.first().cloned();
        }
        self.config.patterns.iter().find(|(p, s)| p == pattern && s == serial).cloned()
    }

    fn publish(&self, ledger: &mut Ledger, call: &Call, cash_register: bool) -> String {
        if !self.staff(call) {
            return err(1);
        }
        if let Err(n) = self.login(call.arg("username"), call.arg("password")) {
            return err(n);
        }
        let Some((pattern, serial)) = self.symbol(call.arg("pattern"), call.arg("serial")) else { return err(20) };
        let accepted = match read_batch(ledger, call.arg("xmlInvData"), 3) {
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
    /// a key already held (as a draft or signed) or repeated in the batch, `ERR:35` for a
    /// call without pattern and serial when both kinds of range (with and without the tax
    /// authority's code) are registered.
    fn import_drafts(&self, ledger: &mut Ledger, call: &Call) -> String {
        if !self.staff(call) {
            return err(1);
        }
        if let Err(n) = self.login(call.arg("username"), call.arg("password")) {
            return err(n);
        }
        if call.arg("pattern").is_empty() && call.arg("serial").is_empty() && self.both_kinds_of_range() {
            return err(35);
        }
        let Some((pattern, serial)) = self.symbol(call.arg("pattern"), call.arg("serial")) else { return err(7) };
        let accepted = match read_batch(ledger, call.arg("xmlInvData"), 13) {
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

    /// `PublishInvFkey`: signs the drafts named in `lsFkey`, each under the pattern and
    /// serial it was created with, and answers the three parts whatever happened:
    /// `ERR:6#<keys not found>||ERR:15#<keys already signed>||OK:#<key>_<no>,…`. Keys not
    /// found or already signed do not stop the others (partial success).
    fn publish_drafts(&self, ledger: &mut Ledger, call: &Call) -> String {
        // The document lists no ERR:7 here: a user without company has no right to publish.
        if !self.staff(call) || self.login(call.arg("username"), call.arg("password")).is_err() {
            return err(1);
        }
        let keys = key_list(call.arg("lsFkey"));
        if keys.len() > MAX_PUBLISH_KEYS {
            return err(10);
        }
        let asked = (call.arg("pattern"), call.arg("serial"));
        if !(asked.0.is_empty() && asked.1.is_empty()) && self.symbol(asked.0, asked.1).is_none() {
            return err(20);
        }
        let mut not_found = Vec::new();
        let mut already = Vec::new();
        let mut drafts: Vec<&str> = Vec::new();
        for key in &keys {
            match ledger.invoices.get(*key) {
                None => not_found.push(*key),
                Some(inv) if inv.status != CREATED || inv.number.is_some() => already.push(*key),
                Some(inv) if !asked.0.is_empty() && (inv.pattern.as_str(), inv.serial.as_str()) != asked => return err(20),
                Some(_) => drafts.push(key),
            }
        }
        if !drafts.is_empty() && self.config.certificate_expired {
            return err(29);
        }
        // Invoices of one range are signed in date order.
        for key in &drafts {
            let d = &ledger.invoices[*key];
            let date = hoadon_rules::calendar::parse_date(&d.arising_date);
            let later_signed = ledger.invoices.values().any(|i| {
                i.number.is_some() && i.pattern == d.pattern && i.serial == d.serial && hoadon_rules::calendar::parse_date(&i.arising_date) > date
            });
            if later_signed {
                return err(30);
            }
        }
        let mut per_range: HashMap<(String, String), u64> = HashMap::new();
        for key in &drafts {
            let d = &ledger.invoices[*key];
            *per_range.entry((d.pattern.clone(), d.serial.clone())).or_insert(0) += 1;
        }
        // The numbers ran out since the drafts were made (e.g. spent by direct issues).
        if per_range.iter().any(|((p, s), n)| ledger.numbers_left(p, s) < *n) {
            return err(5);
        }
        let mut signed = Vec::with_capacity(drafts.len());
        for key in drafts {
            let inv = &ledger.invoices[key];
            let (pattern, serial) = (inv.pattern.clone(), inv.serial.clone());
            let number = ledger.allocate(key, &pattern, &serial);
            let inv = ledger.invoices.get_mut(key).expect("checked above");
            inv.number = Some(number);
            inv.status = SIGNED;
            signed.push(format!("{key}_{number}"));
        }
        format!("ERR:6#{}||ERR:15#{}||OK:#{}", not_found.join(","), already.join(","), signed.join(","))
    }

    /// `deleteInvoiceByFkey`: drops unsigned drafts, all or none.
    fn delete_drafts(&self, ledger: &mut Ledger, call: &Call) -> String {
        if !self.staff(call) || self.login(call.arg("username"), call.arg("password")).is_err() {
            return err(1);
        }
        let keys = key_list(call.arg("lstFkey"));
        if keys.is_empty() {
            return err(6);
        }
        for key in &keys {
            match ledger.invoices.get(*key) {
                None => return err(6),
                Some(inv) if inv.status != CREATED || inv.number.is_some() => return err(9),
                Some(_) => {}
            }
        }
        for key in &keys {
            ledger.invoices.remove(*key);
        }
        format!("OK:{}", keys.join("_"))
    }

    /// `GetMCCQThueByFkeys`: the tax authority's state of each key, base64 of
    /// `<DSHDon><HDon>…</HDon>…</DSHDon>`.
    fn tax_verdicts(&self, ledger: &Ledger, call: &Call) -> String {
        if !self.staff(call) {
            return err(1);
        }
        if let Err(n) = self.login(call.arg("username"), call.arg("password")) {
            return err(n);
        }
        let pattern = call.arg("pattern");
        if !pattern.is_empty() && !self.config.patterns.iter().any(|(p, _)| p == pattern) {
            return err(20);
        }
        let keys = key_list(call.arg("fkeys"));
        if keys.is_empty() {
            return err(2);
        }
        let mut out = String::from("<DSHDon>");
        for key in keys {
            let Some(inv) = ledger.invoices.get(key) else { return err(2) };
            let Some(number) = inv.number else { return err(2) };
            if inv.status == CREATED || (!pattern.is_empty() && inv.pattern != pattern) {
                return err(2);
            }
            let with_code = inv.serial.starts_with('C');
            let verdict = inv.tax_verdict.clone().unwrap_or_else(|| TaxVerdict::Accepted {
                code: if with_code { inv.tax_authority_code.clone().unwrap_or_else(|| simulated_mccqt(key)) } else { String::new() },
            });
            let (code, mloi, mtloi) = match &verdict {
                TaxVerdict::Accepted { code } => (code.as_str(), "", ""),
                TaxVerdict::Rejected { code, message } => ("", code.as_str(), message.as_str()),
                TaxVerdict::NotSent | TaxVerdict::Waiting => ("", "", ""),
            };
            out.push_str(&format!(
                "<HDon><KHMSHDon>{}</KHMSHDon><KHHDon>{}</KHHDon><SHDon>{number}</SHDon><MCCQThue>{}</MCCQThue><TThai>{}</TThai><MLoi>{}</MLoi><MTLoi>{}</MTLoi><Fkey>{}</Fkey></HDon>",
                escape(&template_digit(&inv.pattern)),
                escape(&inv.serial),
                escape(code),
                verdict.tthai(),
                escape(mloi),
                escape(mtloi),
                escape(key)
            ));
        }
        out.push_str("</DSHDon>");
        base64::engine::general_purpose::STANDARD.encode(out.as_bytes())
    }

    fn cancel(&self, ledger: &mut Ledger, call: &Call) -> String {
        if !self.staff(call) || self.login(call.arg("userName"), call.arg("userPass")).is_err() {
            return err(1);
        }
        match ledger.invoices.get_mut(call.arg("fkey")) {
            None => err(2),
            Some(inv) if matches!(inv.status, REPLACED | CANCELLED) => err(8),
            Some(inv) if inv.status != SIGNED => err(9),
            Some(inv) => {
                inv.status = CANCELLED;
                "OK:".into()
            }
        }
    }

    /// adjustInv / replaceInv: `fkey` names the original, the XML (`<AdjustInv>` /
    /// `<ReplaceInv>`, exact case) carries the new invoice and its `key`.
    fn change(&self, ledger: &mut Ledger, call: &Call, root_name: &str, original_becomes: i64) -> String {
        if !self.staff(call) {
            return err(1);
        }
        if let Err(n) = self.login(call.arg("username"), call.arg("pass")) {
            return err(n);
        }
        let Ok(root) = xml::parse(call.arg("xmlInvData")) else { return err(3) };
        if root.name != root_name || root.ns.is_some() {
            return err(3);
        }
        let Some(new_key) = root.text_of("key").map(|k| k.trim().to_string()) else { return err(3) };
        if bad_key(&new_key) {
            return err(3);
        }
        if ledger.invoices.contains_key(&new_key) {
            return err(13);
        }
        let original = call.arg("fkey");
        let (pattern, serial) = match ledger.invoices.get(original) {
            None => return err(2),
            Some(o) if o.status == REPLACED => return err(8),
            Some(o) if o.status == CANCELLED || o.status == CREATED || (original_becomes == REPLACED && o.status == ADJUSTED) => return err(9),
            Some(o) => (o.pattern.clone(), o.serial.clone()),
        };
        let mut inv = match invoice::read_invoice(&root, &new_key, Dialect::Vnpt) {
            Ok(i) => i,
            Err(Problem::Missing(_)) => return err(3),
            Err(Problem::Totals(_)) => return err(5),
        };
        if inv.arising_date.is_empty() {
            inv.arising_date = invoice::today();
        }
        if ledger.numbers_left(&pattern, &serial) == 0 {
            return err(6);
        }
        let number = ledger.allocate(&new_key, &pattern, &serial);
        inv.number = Some(number);
        inv.status = SIGNED;
        inv.pattern = pattern.clone();
        inv.serial = serial.clone();
        inv.lookup_code = invoice::lookup_code(&new_key);
        inv.replaces = Some(original.to_string());
        ledger.invoices.insert(new_key.clone(), inv);
        if let Some(o) = ledger.invoices.get_mut(original) {
            o.status = original_becomes;
        }
        format!("OK:{pattern};{serial};{new_key}_{number:07}")
    }

    fn payment(&self, ledger: &mut Ledger, call: &Call, paid: bool) -> String {
        if self.login(call.arg("userName"), call.arg("userPass")).is_err() {
            return err(1);
        }
        let keys = key_list(call.arg("lstFkey"));
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

    fn update_cus(&self, ledger: &mut Ledger, call: &Call) -> String {
        if self.login(call.arg("username"), call.arg("pass")).is_err() {
            return "-1".into();
        }
        let Ok(root) = xml::parse(call.arg("XMLCusData")) else { return "-3".into() };
        if root.name != "Customers" {
            return "-3".into();
        }
        let mut batch: Vec<(String, String)> = Vec::new();
        for c in &root.children {
            if c.name != "Customer" {
                return "-3".into();
            }
            let (Some(name), Some(code), Some(_), Some(_), Some(kind)) =
                (c.filled("Name"), c.filled("Code"), c.filled("Address"), c.text_of("Email"), c.filled("CusType"))
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

    /// `listInvByCusFkey`: signed invoices under the key (drafts are not listed), as
    /// `<Data><Item>…</Item></Data>`, without `OK:`; `<Data></Data>` when none.
    fn list(&self, ledger: &Ledger, call: &Call) -> String {
        if let Err(n) = self.login(call.arg("userName"), call.arg("userPass")) {
            return err(n);
        }
        if self.config.patterns.is_empty() {
            return err(4);
        }
        let from = hoadon_rules::calendar::parse_date(call.arg("fromDate"));
        let to = hoadon_rules::calendar::parse_date(call.arg("toDate"));
        let mut out = String::from("<Data>");
        if let Some(inv) = ledger.invoices.get(call.arg("key"))
            && let Some(number) = inv.number
            && inv.status != CREATED
        {
            let date = hoadon_rules::calendar::parse_date(&inv.arising_date);
            let in_range = match date {
                Some(d) => from.is_none_or(|f| f <= d) && to.is_none_or(|t| d <= t),
                None => true,
            };
            if in_range {
                let month = inv.arising_date.get(3..5).unwrap_or("");
                out.push_str(&format!(
                    "<Item><index>{month}</index><cusCode>{}</cusCode><invToken>{};{};{number}</invToken><name>Hóa đơn</name><publishDate>{}</publishDate><signStatus>0</signStatus><pattern>{}</pattern><serial>{}</serial><invNum>{number:07}</invNum><amount>{}</amount><status>{}</status><cusname>{}</cusname><payment>{}</payment><fkey>{}</fkey><type>0</type><kindOfService></kindOfService><month>{month}</month></Item>",
                    escape(&inv.cus_code),
                    escape(&inv.pattern),
                    escape(&inv.serial),
                    escape(&inv.arising_date),
                    escape(&inv.pattern),
                    escape(&inv.serial),
                    inv.amount,
                    inv.status,
                    escape(&inv.cus_name),
                    u8::from(inv.paid),
                    escape(&inv.key),
                ));
            }
        }
        out.push_str("</Data>");
        out
    }

    /// `listInvFromNoToNo`: the signed invoices numbered `invFromNo` to `invToNo` (both
    /// included) of one registered pattern and serial, by number, the first
    /// [`MAX_LIST_BY_NUMBER`] only; drafts (no number) are never listed.
    fn list_numbers(&self, ledger: &Ledger, call: &Call) -> String {
        if let Err(n) = self.login(call.arg("userName"), call.arg("userPass")) {
            return err(n);
        }
        let number = |text: &str| text.trim().parse::<u64>().ok().filter(|n| *n >= 1);
        let (Some(from), Some(to)) = (number(call.arg("invFromNo")), number(call.arg("invToNo"))) else { return "ERR:".into() };
        if from > to {
            return "ERR:".into();
        }
        let (pattern, serial) = (call.arg("invPattern").trim(), call.arg("invSerial").trim());
        if !self.config.patterns.iter().any(|(p, s)| p == pattern && s == serial) {
            return "ERR:".into();
        }
        let mut found: Vec<(u64, &SimInvoice)> = ledger
            .invoices
            .values()
            .filter(|i| i.status != CREATED && i.pattern == pattern && i.serial == serial)
            .filter_map(|i| i.number.map(|n| (n, i)))
            .filter(|(n, _)| (from..=to).contains(n))
            .collect();
        found.sort_by_key(|(n, _)| *n);
        found.truncate(ledger.list_page_size.unwrap_or(MAX_LIST_BY_NUMBER).min(MAX_LIST_BY_NUMBER));
        let mut out = String::from("<Data>");
        for (number, inv) in found {
            let month = inv.arising_date.get(3..5).unwrap_or("");
            out.push_str(&format!(
                "<Item><index>{month}</index><invToken>{};{};{number}</invToken><fkey>{}</fkey><name>Hóa đơn</name><publishDate>{}</publishDate><signStatus>0</signStatus><total>{}</total><amount>{}</amount><pattern>{}</pattern><serial>{}</serial><invNum>{number:07}</invNum><status>{}</status><cusname>{}</cusname><payment>{}</payment></Item>",
                escape(&inv.pattern),
                escape(&inv.serial),
                escape(&inv.key),
                escape(&inv.arising_date),
                inv.total,
                inv.amount,
                escape(&inv.pattern),
                escape(&inv.serial),
                inv.status,
                escape(&inv.cus_name),
                u8::from(inv.paid),
            ));
        }
        out.push_str("</Data>");
        out
    }

    fn by_fkey(&self, ledger: &Ledger, call: &Call, view: View) -> String {
        if let Err(n) = self.login(call.arg("userName"), call.arg("userPass")) {
            return err(n);
        }
        let Some(inv) = ledger.invoices.get(call.arg("fkey")) else { return err(6) };
        if inv.status == CREATED || inv.number.is_none() {
            // The document's "ERR:" (other error): an invoice that is not signed.
            return "ERR:".into();
        }
        match view {
            View::Html if !inv.paid => err(11),
            View::Html => format!(
                "<html><body><h1>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</h1><p>Mẫu số: {} Ký hiệu: {} Số: {:07}</p><p>Người mua: {}</p><p>Tổng tiền: {}</p></body></html>",
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

    /// `getSerialByPattern`: the serials of a pattern with their number ranges.
    fn serials(&self, ledger: &Ledger, call: &Call) -> String {
        if let Err(n) = self.login(call.arg("userName"), call.arg("userPass")) {
            return err(n);
        }
        let pattern = call.arg("pattern");
        let serials: Vec<&String> = self.config.patterns.iter().filter(|(p, _)| p == pattern).map(|(_, s)| s).collect();
        if serials.is_empty() {
            return err(20);
        }
        let total = ledger.range_size.unwrap_or(99_999_999);
        serials
            .iter()
            .enumerate()
            .map(|(i, serial)| {
                let used = ledger.used(pattern, serial);
                let year = serial.get(1..3).unwrap_or("26");
                format!("{}-{serial}-{total}-1-{total}-{used}-{}-01/01/20{year}-{}", i + 1, total.saturating_sub(used), if used > 0 { 2 } else { 1 })
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// `listPatternByCom`: the tenant's patterns, `;`-joined (shape unverified).
    fn patterns(&self, call: &Call) -> String {
        if let Err(n) = self.login(call.arg("userName"), call.arg("pass")) {
            return err(n);
        }
        if !self.config.comid.is_empty() && !call.arg("comid").is_empty() && call.arg("comid") != self.config.comid {
            return err(7);
        }
        let mut patterns: Vec<&str> = Vec::new();
        for (p, _) in &self.config.patterns {
            if !patterns.contains(&p.as_str()) {
                patterns.push(p);
            }
        }
        if patterns.is_empty() {
            return err(4);
        }
        patterns.join(";")
    }

    fn report_used(&self, ledger: &Ledger, call: &Call) -> String {
        if let Err(n) = self.login(call.arg("username"), call.arg("pass")) {
            return err(n);
        }
        let year = call.arg("year").trim().to_string();
        let quarter: u32 = call.arg("quarter").trim().parse().unwrap_or(0);
        let mut out = format!("<Report><Year>{}</Year><Quarter>{quarter}</Quarter>", escape(&year));
        for (pattern, serial) in &self.config.patterns {
            let of_period: Vec<&SimInvoice> = ledger
                .invoices
                .values()
                .filter(|i| &i.pattern == pattern && &i.serial == serial && i.number.is_some())
                .filter(|i| {
                    let month: u32 = i.arising_date.get(3..5).and_then(|m| m.parse().ok()).unwrap_or(0);
                    i.arising_date.ends_with(&year) && month.div_ceil(3) == quarter
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

    fn report_month(&self, ledger: &Ledger, call: &Call) -> String {
        if let Err(n) = self.login(call.arg("username"), call.arg("pass")) {
            return err(n);
        }
        let year = call.arg("year").trim().to_string();
        let month: u32 = call.arg("month").trim().parse().unwrap_or(0);
        let mut invoices: Vec<&SimInvoice> = ledger
            .invoices
            .values()
            .filter(|i| i.number.is_some() && i.arising_date.ends_with(&year))
            .filter(|i| i.arising_date.get(3..5).and_then(|m| m.parse::<u32>().ok()) == Some(month))
            .collect();
        invoices.sort_by_key(|i| (i.pattern.clone(), i.serial.clone(), i.number));
        let mut out = format!("<Report><Year>{}</Year><Month>{month}</Month>", escape(&year));
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
