//! Simulators of EasyInvoice, VNPT Invoice and Viettel S-Invoice on loopback, for testing the
//! provider clients and the issuing queue without the real services (which issue legal
//! invoices).
//!
//! They are a second opinion of the providers, written from the providers' documents, the
//! WSDLs a VNPT TT78 tenant publishes and the facts real tenants show — never from the
//! app's clients: the crate does not depend on `hoadon-einvoice` (a test checks it), reads
//! XML with its own strict reader ([`xml`]: exact element case, namespaces resolved and
//! checked, entities resolved, CDATA, no DOCTYPE, bounded depth, no recursion) and JSON
//! with serde.
//!
//! Each simulator is a real HTTP server on `127.0.0.1`. They number invoices per template
//! and symbol, keep them by key, apply the duplicate-key rules, sign drafts, cancel, adjust,
//! replace, mark payments, report, and print PDFs with the app's renderer (`hoadon-pdf`).
//!
//! # VNPT ([`vnpt`], [`soap`], [`wsdl`])
//!
//! Checks every request as an ASP.NET `.asmx` would: the SOAP 1.1 envelope namespace, one
//! body element in `http://tempuri.org/` equal to the `SOAPAction`'s operation (quotes
//! optional), the operation belonging to the `.asmx` it was posted to, its parameters named,
//! cased and ordered exactly as `wsdl/OPERATIONS.txt` lists them (read at start-up), none
//! unknown, `int`s present and numeric. A refused request gets HTTP 500 and a `soap:Fault`
//! (`soap:Client`, or `soap:VersionMismatch` for the envelope namespace) naming what is
//! wrong. `xmlInvData` must be `<Invoices><Inv><key/><Invoice/></Inv>…</Invoices>` with
//! document 004's required fields present and not empty; keys without `_ , ;`. Answers in
//! the real formats (see the table in [`vnpt`]): `OK:1/001;C26TAA-<key>_<no>`, the cash
//! register's `_<code>`, the three-part `PublishInvFkey`, drafts hidden from
//! `listInvByCusFkey` (`<Data></Data>`, no `OK:`, `invNum` in 7 digits), the base64
//! `DSHDon` of `GetMCCQThueByFkeys`, reports on BusinessService.
//!
//! # EasyInvoice ([`easyinvoice`])
//!
//! Checks the `Authentication` header byte for byte (signature, nonce, timestamp window,
//! user, password, the sixth field), the JSON body, the exact tags and limits of `XmlData`,
//! the reason codes of adjust/replace; answers `{Status, Message, ErrorCode, Data}` with
//! Status 2/4/5, the ErrorCodes 100–199 seen on the real host and non-200 HTTP statuses
//! (table in [`easyinvoice`]), and the Decree-70 cancel (a 0-đồng replacement when the tax
//! authority has accepted the invoice on a remote-signing account).
//!
//! # Viettel ([`viettel`])
//!
//! The JSON and form routes of `api-vinvoice.viettel.vn` (`/auth/login`, then
//! `/services/einvoiceapplication/api/InvoiceAPI/…`: createInvoice, searchInvoiceByTransactionUuid,
//! getInvoiceRepresentationFile, cancelTransactionInvoice, update/cancelPaymentStatus,
//! getAllInvoiceTemplates, createOrUpdateInvoiceDraft, getCustomFields), as Odoo's
//! `l10n_vn_edi_viettel` and other public clients show them. The login's token travels as
//! cookie `access_token` or as `Authorization: Bearer`; an expired one is answered HTTP 500
//! `GENERAL`. Checks the invoice JSON (required blocks and fields, Jackson-like types, tax
//! percentages 0/5/8/10/−1/−2, line figures, adjustmentType 1/3/5 with the original's fields,
//! the template and series held, the supplier tax code, chronological issue dates) and
//! computes the totals itself. Keys are `transactionUuid`s, usable once; numbers
//! `<series><n>` (`C26TAA1`). Refusals are HTTP 400 `{code, message: "<CODE>", data}`
//! (table in [`viettel`]).
//!
//! # Unverified
//!
//! Each module says which of its answers no public source confirms: VNPT's
//! `listPatternByCom` and `deleteInvoiceByFkey` answers, `GetMCCQThueByFkeys`' `MLoi`, the
//! draft answer `<key>_0` of `ImportInvByPattern`, drafts being hidden from the list, the
//! refusal of unknown or out-of-order SOAP parameters (ASP.NET ignores them); EasyInvoice's
//! ErrorCodes beyond those seen, its clock window and the Ikey of the Decree-70
//! replacement; Viettel's codes other than `NOT_FOUND_DATA`, `TRANSACTION_UUID_INVALID`,
//! `INVOICE_SERIAL_NOT_FOUND` and `GENERAL`, its login refusals and which token transport it
//! really reads.
//!
//! # Driving them
//!
//! Fault knobs ([`Faults`], per operation name) make them fail the ways real integrations
//! lose answers (reset before storing, connection dropped after storing, 5xx, a garbled
//! body, a late answer), and [`SimHandle::issued_per_key`] counts how many numbers each key
//! received, so a test can assert that nothing was issued twice.
//!
//! In process: [`start_easyinvoice`] / [`start_vnpt`] / [`start_viettel`]. As a program:
//! `sim-einvoice`.
//! Over HTTP, on each server: `POST /_sim/faults` (JSON [`Faults`]), `GET /_sim/faults`,
//! `GET /_sim/invoices`, `POST /_sim/status` (`{"key": "...", "status": n}`),
//! `POST /_sim/seed` (a [`SimInvoice`] as JSON, stored as if issued earlier),
//! `POST /_sim/tct` (`{"key": "...", "status": 1 | -1 | -2 | 0 | null, "message": "..."}`,
//! EasyInvoice's TCTCheckStatus, and Viettel's `exchangeStatus`), `POST /_sim/verdict` (`{"key": "...", "verdict":
//! {"state": "accepted", "code": "..."} | {"state": "rejected", "code": "...", "message":
//! "..."} | {"state": "waiting"} | {"state": "not_sent"} | null}`, VNPT's
//! GetMCCQThueByFkeys), and what the owner does in the provider's own software:
//! `POST /_sim/sign` (`{"key": "..."}`, signs a draft with the "USB token") and
//! `POST /_sim/delete` (deletes a draft); `POST /_sim/list-page-size` (`{"rows": n | null}`,
//! see [`SimHandle::set_list_page_size`]). Viettel only: `POST /_sim/expire-tokens` (every
//! token issued so far expires, so the client must log in again; also
//! [`SimHandle::expire_tokens`]). On Viettel, `key` is the `transactionUuid`.

pub mod easyinvoice;
pub mod faults;
pub mod invoice;
pub mod ledger;
pub mod server;
pub mod soap;
pub mod viettel;
pub mod vnpt;
pub mod wsdl;
pub mod xml;

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub use easyinvoice::EasyInvoiceConfig;
pub use faults::{Fault, Faults, Knob};
pub use invoice::{Seller, SimInvoice, SimLine, TaxVerdict};
pub use ledger::SharedLedger;
pub use viettel::ViettelConfig;
pub use vnpt::VnptConfig;

use server::{ConnectionKill, Running};

/// A running simulator. Stops when dropped.
pub struct SimHandle {
    running: Running,
    ledger: SharedLedger,
}

impl SimHandle {
    /// The port the simulator listens on, on `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.running.addr.port()
    }

    /// `http://127.0.0.1:<port>`: the base URL to put in the client's settings.
    pub fn url(&self) -> String {
        format!("http://{}", self.running.addr)
    }

    /// Sets the fault knobs (see [`faults`]), replacing the ones set before.
    pub fn set_faults(&self, faults: Faults) {
        self.ledger.lock().faults.set(faults);
    }

    /// Clears every fault knob: all requests answered normally again.
    pub fn clear_faults(&self) {
        self.set_faults(Faults::default());
    }

    /// All invoices held, by key.
    pub fn invoices(&self) -> Vec<SimInvoice> {
        let ledger = self.ledger.lock();
        let mut all: Vec<SimInvoice> = ledger.invoices.values().cloned().collect();
        all.sort_by(|a, b| a.key.cmp(&b.key));
        all
    }

    /// The invoice held under this key, if any.
    pub fn invoice(&self, key: &str) -> Option<SimInvoice> {
        self.ledger.lock().invoices.get(key).cloned()
    }

    /// How many numbers each key received. Any value above 1 is an invoice issued twice.
    pub fn issued_per_key(&self) -> BTreeMap<String, u32> {
        self.ledger.lock().issued_per_key()
    }

    /// Total numbers given (= invoices issued, adjustments and replacements included).
    pub fn issued_count(&self) -> usize {
        self.ledger.lock().issued_log.len()
    }

    /// Sets an invoice's provider status, e.g. EasyInvoice 2 (sent to tax) to reach "the
    /// tax authority is still checking" on cancel.
    pub fn set_status(&self, key: &str, status: i64) -> bool {
        match self.ledger.lock().invoices.get_mut(key) {
            Some(inv) => {
                inv.status = status;
                true
            }
            None => false,
        }
    }

    /// Stores an invoice as if the provider had issued it earlier (e.g. another sale's
    /// invoice already under a key). With a number, the number is logged for its key
    /// (counted by [`SimHandle::issued_per_key`]) and the symbol's next number moves past it.
    pub fn seed(&self, inv: SimInvoice) {
        self.ledger.lock().seed(inv);
    }

    /// EasyInvoice `TCTCheckStatus` of an invoice: −2 rejected, −1 being checked, 0 not
    /// processed, 1 accepted, `None` not sent. `false` when no invoice has the key.
    pub fn set_tct_status(&self, key: &str, status: Option<i64>) -> bool {
        match self.ledger.lock().invoices.get_mut(key) {
            Some(inv) => {
                inv.tct_status = status;
                true
            }
            None => false,
        }
    }

    /// VNPT: what `GetMCCQThueByFkeys` reports for the key (`TThai` 0 not sent, 1 waiting,
    /// 2 accepted with its code, 3 rejected with code and text); `None` returns to the
    /// default (accepted, with a code generated from the key for a `C…` serial).
    pub fn set_tax_verdict(&self, key: &str, verdict: Option<TaxVerdict>) -> bool {
        match self.ledger.lock().invoices.get_mut(key) {
            Some(inv) => {
                inv.tax_verdict = verdict;
                true
            }
            None => false,
        }
    }

    /// Signs the draft under `key` as the owner would with a USB token in the provider's
    /// software; its number, or `None` when there is no draft under the key.
    pub fn sign_draft(&self, key: &str) -> Option<u64> {
        self.ledger.lock().sign_draft(key)
    }

    /// Deletes the draft under `key`, as the owner may in the provider's software.
    pub fn delete_draft(&self, key: &str) -> bool {
        self.ledger.lock().delete_draft(key)
    }

    /// Viettel: expires every access token issued so far, so the next call with one is
    /// answered as an expired token is (HTTP 500 `GENERAL`) and the client must log in again.
    pub fn expire_tokens(&self) {
        viettel::expire_all(&mut self.ledger.lock());
    }

    /// Limits every symbol to this many numbers, to reach "out of numbers".
    pub fn set_range_size(&self, size: Option<u64>) {
        self.ledger.lock().range_size = size;
    }

    /// Makes every list answer carry at most this many rows (VNPT `listInvFromNoToNo`,
    /// Viettel `getListInvoiceDataControl`); `None` returns to the service's own limit.
    pub fn set_list_page_size(&self, rows: Option<usize>) {
        self.ledger.lock().list_page_size = rows;
    }

    /// Stops the server now; it also stops when dropped.
    pub fn stop(&mut self) {
        self.running.stop();
    }
}

/// Starts an EasyInvoice simulator on `127.0.0.1:port` (0: any free port).
pub async fn start_easyinvoice(config: EasyInvoiceConfig, port: u16) -> std::io::Result<SimHandle> {
    let ledger = SharedLedger::default();
    let router = easyinvoice::router(config, ledger.clone()).merge(control_router(ledger.clone())).layer(body_limit());
    Ok(SimHandle { running: server::serve(port, router).await?, ledger })
}

/// Starts a VNPT Invoice simulator on `127.0.0.1:port` (0: any free port).
pub async fn start_vnpt(config: VnptConfig, port: u16) -> std::io::Result<SimHandle> {
    let ledger = SharedLedger::default();
    let router = vnpt::router(config, ledger.clone()).merge(control_router(ledger.clone())).layer(body_limit());
    Ok(SimHandle { running: server::serve(port, router).await?, ledger })
}

/// Starts a Viettel S-Invoice simulator on `127.0.0.1:port` (0: any free port).
pub async fn start_viettel(config: ViettelConfig, port: u16) -> std::io::Result<SimHandle> {
    let ledger = SharedLedger::default();
    let router = viettel::router(config, ledger.clone()).merge(control_router(ledger.clone())).layer(body_limit());
    Ok(SimHandle { running: server::serve(port, router).await?, ledger })
}

/// A VNPT batch of 5000 invoices is several megabytes, past axum's 2 MB default.
fn body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(256 * 1024 * 1024)
}

fn control_router(ledger: SharedLedger) -> Router {
    Router::new()
        .route("/_sim/faults", post(set_faults).get(get_faults))
        .route("/_sim/invoices", get(list_invoices))
        .route("/_sim/status", post(set_status))
        .route("/_sim/sign", post(sign_draft))
        .route("/_sim/delete", post(delete_draft))
        .route("/_sim/seed", post(seed))
        .route("/_sim/tct", post(set_tct))
        .route("/_sim/verdict", post(set_verdict))
        .route("/_sim/list-page-size", post(set_list_page_size))
        .with_state(ledger)
}

async fn set_faults(State(ledger): State<SharedLedger>, Json(faults): Json<Faults>) -> StatusCode {
    ledger.lock().faults.set(faults);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct PageSize {
    rows: Option<usize>,
}

async fn set_list_page_size(State(ledger): State<SharedLedger>, Json(page): Json<PageSize>) -> StatusCode {
    ledger.lock().list_page_size = page.rows;
    StatusCode::NO_CONTENT
}

async fn get_faults(State(ledger): State<SharedLedger>) -> Json<Faults> {
    Json(ledger.lock().faults.get().clone())
}

async fn list_invoices(State(ledger): State<SharedLedger>) -> Json<serde_json::Value> {
    let ledger = ledger.lock();
    let mut invoices: Vec<&SimInvoice> = ledger.invoices.values().collect();
    invoices.sort_by(|a, b| a.key.cmp(&b.key));
    Json(serde_json::json!({
        "invoices": invoices,
        "issued_per_key": ledger.issued_per_key(),
        "issued_count": ledger.issued_log.len(),
    }))
}

#[derive(Deserialize)]
struct StatusChange {
    key: String,
    status: i64,
}

async fn set_status(State(ledger): State<SharedLedger>, Json(change): Json<StatusChange>) -> StatusCode {
    match ledger.lock().invoices.get_mut(&change.key) {
        Some(inv) => {
            inv.status = change.status;
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

#[derive(Deserialize)]
struct KeyOnly {
    key: String,
}

async fn sign_draft(State(ledger): State<SharedLedger>, Json(k): Json<KeyOnly>) -> Response {
    match ledger.lock().sign_draft(&k.key) {
        Some(number) => Json(serde_json::json!({ "number": number })).into_response(),
        None => (StatusCode::NOT_FOUND, "không có hóa đơn nháp theo mã này").into_response(),
    }
}

async fn delete_draft(State(ledger): State<SharedLedger>, Json(k): Json<KeyOnly>) -> StatusCode {
    if ledger.lock().delete_draft(&k.key) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn seed(State(ledger): State<SharedLedger>, Json(inv): Json<SimInvoice>) -> StatusCode {
    ledger.lock().seed(inv);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct TctChange {
    key: String,
    #[serde(default)]
    status: Option<i64>,
    #[serde(default)]
    message: Option<String>,
}

async fn set_tct(State(ledger): State<SharedLedger>, Json(change): Json<TctChange>) -> StatusCode {
    match ledger.lock().invoices.get_mut(&change.key) {
        Some(inv) => {
            inv.tct_status = change.status;
            if let Some(m) = change.message {
                inv.tct_error = m;
            }
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

#[derive(Deserialize)]
struct VerdictChange {
    key: String,
    #[serde(default)]
    verdict: Option<TaxVerdict>,
}

async fn set_verdict(State(ledger): State<SharedLedger>, Json(change): Json<VerdictChange>) -> StatusCode {
    match ledger.lock().invoices.get_mut(&change.key) {
        Some(inv) => {
            inv.tax_verdict = change.verdict;
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

/// An answer before faults are applied to it.
pub(crate) enum Reply {
    Json(StatusCode, serde_json::Value),
    /// A Viettel JSON answer: the same on the wire, a different 500 under a fault.
    Viettel(StatusCode, serde_json::Value),
    Pdf(Vec<u8>),
    Soap(String),
    Plain(StatusCode, String),
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Json(status, v) | Reply::Viettel(status, v) => (status, Json(v)).into_response(),
            Reply::Pdf(bytes) => ([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response(),
            Reply::Soap(xml) => ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response(),
            Reply::Plain(status, text) => (status, text).into_response(),
        }
    }
}

/// Runs one request under the server's faults: a reset happens before `process` stores
/// anything; every other fault after.
pub(crate) async fn with_faults(ledger: &SharedLedger, kill: &ConnectionKill, operation: &str, process: impl FnOnce() -> Reply) -> Response {
    let (fault, delay) = {
        let mut l = ledger.lock();
        (l.faults.decide(operation), l.faults.delay_ms(operation))
    };
    if fault == Fault::ResetBeforeCommit {
        kill.reset().await;
    }
    let reply = process();
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    match fault {
        Fault::DropAfterCommit => kill.close().await,
        Fault::ServerError => server_error(&reply),
        Fault::Malformed => garbled(reply),
        Fault::None | Fault::ResetBeforeCommit => reply.into_response(),
    }
}

/// HTTP 500 in each provider's own words, after the request was stored: EasyInvoice's
/// envelope with Status 5 and ErrorCode 199, ASP.NET's `soap:Server` fault, Spring's default
/// error body for Viettel; plain text for a download.
fn server_error(reply: &Reply) -> Response {
    match reply {
        Reply::Json(..) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({ "Status": 5, "Message": "Có lỗi xảy ra", "ErrorCode": 199, "Data": null })),
        )
            .into_response(),
        Reply::Viettel(..) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({
                "timestamp": ledger::now_ms(),
                "status": 500,
                "error": "Internal Server Error",
                "path": "/services/einvoiceapplication/api/",
            })),
        )
            .into_response(),
        Reply::Soap(_) => {
            let fault = soap::Fault { code: "soap:Server", text: "Server was unable to process request. ---> Object reference not set to an instance of an object.".into() };
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], fault.envelope()).into_response()
        }
        Reply::Pdf(_) | Reply::Plain(..) => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response(),
    }
}

/// The answer cut in the middle, as a proxy that gave up half way would pass it on.
fn garbled(reply: Reply) -> Response {
    let (content_type, text) = match reply {
        Reply::Json(_, v) | Reply::Viettel(_, v) => ("application/json; charset=utf-8", v.to_string()),
        Reply::Soap(x) => ("text/xml; charset=utf-8", x),
        Reply::Pdf(_) => ("text/html", "<html><body>Service Unavailable".to_string()),
        Reply::Plain(_, t) => ("text/plain", t),
    };
    let cut: String = text.chars().take(text.chars().count() / 2).collect();
    ([(header::CONTENT_TYPE, content_type)], cut).into_response()
}
