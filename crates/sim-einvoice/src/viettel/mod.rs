//! The Viettel S-Invoice simulator: the JSON and form routes of `api-vinvoice.viettel.vn`, as
//! the public integrations gathered in `viettel-sinvoice-facts.md` show them (Odoo's
//! `l10n_vn_edi_viettel` first), and as the request and answer classes of a sample Java
//! client published for the same API ("the sample" below: Viettel's DTOs, with their
//! `@NotNull`/`@Size`/`@Pattern`/`@Digits` rules and `BAD_REQUEST_*` message codes) type them.
//!
//! # Routes
//!
//! All `POST` except `getCustomFields` (`GET`); any other method: HTTP 405. The API routes
//! live under `/services/einvoiceapplication/api/`; below, `…/` stands for that prefix plus
//! `InvoiceAPI/`. Form routes read their fields from the query string and from an
//! `application/x-www-form-urlencoded` body alike (Odoo puts them in the query, the sample
//! in the body). JSON routes want `Content-Type: application/json` (else HTTP 415).
//!
//! | route | body | success (HTTP 200) |
//! |---|---|---|
//! | `/auth/login` | JSON `{username, password}` | `{access_token, token_type: "bearer", refresh_token, expires_in, scope, iat, invoice_cluster, type, jti}`; the token is a JWT whose claims carry `exp` |
//! | `…/InvoiceWS/createInvoice/{supplierTaxCode}` | JSON invoice | `{errorCode: null, description: null, result: {supplierTaxCode, invoiceNo, transactionID, reservationCode, codeOfTax}}` |
//! | `…/InvoiceWS/createOrUpdateInvoiceDraft/{supplierTaxCode}` | JSON invoice | `{errorCode: null, description: null, result: {}}` |
//! | `…/InvoiceWS/searchInvoiceByTransactionUuid` | form `supplierTaxCode, transactionUuid` | `{transactionUuid, errorCode: null, description: null, result: [{supplierTaxCode, invoiceNo, reservationCode, issueDate, status, exchangeStatus, exchangeDes, codeOfTax}]}` |
//! | `…/InvoiceUtilsWS/getInvoiceRepresentationFile` | JSON `{supplierTaxCode, templateCode, invoiceNo, fileType[, transactionUuid]}` | `{errorCode: null, description: null, fileToBytes, fileName, paymentStatus}` (`fileToBytes` "" while the file lags) |
//! | `…/InvoiceWS/cancelTransactionInvoice` | form `supplierTaxCode, invoiceNo, strIssueDate, additionalReferenceDesc, additionalReferenceDate[, templateCode, reasonDelete]` | `{errorCode: null, description: null, result: null}` |
//! | `…/InvoiceWS/updatePaymentStatus` | form `supplierTaxCode, invoiceNo, templateCode[, strIssueDate]` | `{errorCode: null, description: null, result: true, paymentTime, paymentMethod}` |
//! | `…/InvoiceWS/cancelPaymentStatus` | form `supplierTaxCode, invoiceNo, strIssueDate` | `{errorCode: null, description: null, result: true, paymentTime: null, paymentMethod: null}` |
//! | `…/InvoiceUtilsWS/getAllInvoiceTemplates` | JSON `{taxCode, invoiceType}` ("all", absent, or a template digit) | `{errorCode: null, description: null, template: [{templateCode, invoiceSeri}]}` |
//! | `…/InvoiceWS/getCustomFields?taxCode=&templateCode=` (GET) | — | `{errorCode: null, description: null, customFields: []}` |
//! | `…/InvoiceUtilsWS/getListInvoiceDataControl` | JSON `{supplierTaxCode, fromDate, toDate}` (`dd/MM/yyyy`) | `{errorCode: null, description: null, totalRows, invoices: [{invoiceId, invoiceType, adjustmentType, templateCode, invoiceSeri, invoiceNumber, invoiceNo, currency, total, totalBeforeTax, taxAmount, issueDate, issueDateStr, state, stateCode, paymentStatus, paymentStatusName, exchangeStatus, createTime, supplierTaxCode, buyerTaxCode, buyerName, transactionUuid, originalInvoiceId, description, …}]}` |
//! | `/_sim/expire-tokens` | — | 204; every token issued so far is expired |
//!
//! Every API route wants the token of `/auth/login`, as cookie `access_token=<token>` (Odoo)
//! or as `Authorization: Bearer <token>` (the sample): the facts disagree on which one
//! Viettel reads, so the simulator takes either.
//!
//! # Invoices
//!
//! - Key: `transactionUuid` (10–36 characters; when absent the simulator names the invoice
//!   itself, as the sample DTO does not require it), unique for ever, drafts included: a
//!   reused one is refused (`TRANSACTION_UUID_INVALID`) whatever its state.
//! - `invoiceNo` = `invoiceSeries` + the running number of the (template, series) pair, not
//!   padded: `C26TAA1`, `C26TAA2` … (the sample's `K25TJS1`, `K25TII20`).
//!   `reservationCode` is a random 10-character secret; `codeOfTax` (the tax authority's
//!   code, 34 characters) is given to `C…` series only.
//! - Totals: the simulator computes them per line (`summarizeInfo`, `taxBreakdowns`,
//!   `metadata` are read past). With `validation` other than 0 (absent counts as on, as the
//!   sample's "0: bỏ validate, khác 0 sẽ validate" says): a line's
//!   `itemTotalAmountWithoutTax` must be |unitPrice| × quantity, its `taxAmount` the rate of
//!   its after-discount amount, `itemTotalAmountWithTax` their sum, each within the
//!   currency's rounding (1 for VND, 0.01 otherwise); `itemTotalAmountAfterDiscount` 0
//!   without a discount means "not given" (the sample sends that). `selection` 1–6: 2 is a
//!   note (no money), 3 a discount that subtracts, as do rows with `isIncreaseItem: false`.
//! - `taxPercentage`: 0, 5, 8, 10, −2 (not subject, KCT), −1 (not declared, KKKNT).
//! - `invoiceIssuedDate` (epoch ms; 0 or absent = now), kept in whole seconds, must be no
//!   earlier than the last invoice issued in the same template and series, not more than
//!   5 minutes ahead of the clock, and in the series' year (`C26…` → 2026, Asia/Ho_Chi_Minh).
//! - `adjustmentType` "1" (or "") original, "3" replacement, "5" adjustment. 3 and 5 need
//!   `originalInvoiceId` (the original's invoiceNo), `originalTemplateCode`,
//!   `originalInvoiceIssueDate` (ms, as number or text, or `yyyy-MM-dd`; its day must be the
//!   original's), `additionalReferenceDesc`, `additionalReferenceDate`; 5 also
//!   `adjustmentInvoiceType` "1" (money) or "2" (information; itemInfo may then be empty).
//!   The original must be issued (not a draft, cancelled or replaced; an adjusted one may be
//!   adjusted or replaced again) and, in a `C…` series, approved by the tax authority. It
//!   then shows "Hóa đơn bị thay thế" / "Hóa đơn bị điều chỉnh tiền" / "Hóa đơn bị điều chỉnh
//!   thông tin", and the new invoice records it in [`SimInvoice::replaces`].
//! - Drafts (`createOrUpdateInvoiceDraft`) are for original invoices only; the same uuid
//!   again updates the draft; the owner signs them with `/_sim/sign` (`{"key": "<uuid>"}`),
//!   which numbers them and dates them now. Drafts are not found by `searchInvoiceByTransactionUuid`.
//! - Ledger status codes: 0 draft, 1 issued, 2 cancelled, 3 replaced, 4 adjusted (money),
//!   5 adjusted (information). The `status` text of the search answer: "Hóa đơn xóa bỏ",
//!   "Hóa đơn bị thay thế", "Hóa đơn bị điều chỉnh tiền", "Hóa đơn bị điều chỉnh thông tin";
//!   for a replacement in force "Hóa đơn thay thế"; any other invoice in force (an
//!   adjusting one too) "Chưa thanh toán" / "Đã thanh toán", the text Odoo reads as the
//!   payment status (anything but "Chưa thanh toán" is paid to it).
//! - `exchangeStatus`: `INVOICE_HAS_CODE_` (C series) or `INVOICE_NO_CODE_` (K series) +
//!   `APPROVED` (C default), `SENT` (K default), or what `/_sim/tct` sets: 1 `APPROVED`,
//!   −1 `SENT`, 0 `NOT_SENT`, −2 `DIS_APPROVED` (its `message` goes into `exchangeDes`).
//!   `codeOfTax` shows in the search only when approved.
//! - Cancel, payment and file find the invoice by `invoiceNo` (and `templateCode` when
//!   sent, and the day of `strIssueDate` when sent).
//! - `getListInvoiceDataControl` lists every invoice of the account but drafts whose issue
//!   day (Asia/Ho_Chi_Minh) lies in `[fromDate, toDate]`, both included, ordered by issue
//!   time, all in one answer (no paging is known). Per invoice: `invoiceId` (a running
//!   number, the order in which invoices took their numbers), `invoiceType` (the template's
//!   digit, `1/001` → "1"), `adjustmentType` ("1", "3", "5"), `templateCode`, `invoiceSeri`,
//!   `invoiceNumber` (the running number as text), `invoiceNo`, `currency`, `total` (with
//!   tax), `totalBeforeTax`, `taxAmount`, `issueDate` and `createTime` (epoch ms, both the
//!   issue instant), `issueDateStr` (`dd/MM/yyyy HH:mm:ss`), `state` and `stateCode` (the
//!   ledger status code: 1 issued, 2 cancelled, 3 replaced, 4/5 adjusted), `paymentStatus`
//!   (1 paid, 0 not) and `paymentStatusName`, `exchangeStatus` as a number (1 approved,
//!   −1 sent, 0 not sent, −2 refused: the `/_sim/tct` values), `supplierTaxCode`,
//!   `buyerTaxCode` and `buyerName` (null when empty), `transactionUuid`, `paymentMethod`,
//!   `originalInvoiceId` (the `invoiceId` of the invoice replaced or adjusted, else null);
//!   `description`, `requestDate`, `buyerIdNo`, `taxRate`, `paymentTime`, `contractNo` null.
//!
//! # Refusals
//!
//! Business errors: HTTP 400 `{"code": 400, "message": "<CODE>", "data": "<Vietnamese text>"}`.
//!
//! | HTTP | answer / `message` | when |
//! |---|---|---|
//! | 401 | `{"error": "invalid_grant", "error_description": …}` | login with a wrong username or password |
//! | 400 | `{"error": "invalid_request", "error_description": …}` | login body not JSON or without username/password |
//! | 401 | `{"error": "unauthorized", "error_description": …}` | an API call without a token |
//! | 401 | `{"error": "invalid_token", "error_description": …}` | a token the simulator never issued |
//! | 500 | `{"code": 500, "message": "GENERAL", "data": …}` | an expired token |
//! | 400 | `BAD_REQUEST_*` of the sample | `GENERAL_INVOICE_INFO_REQUIRED`, `PAYMENT_INFO_REQUIRED`, `PAYMENT_STATUS_REQUIRED`, `TEMPLATE_CODE_REQUIRED`/`_MAX_LENGTH` (20), `INVOICE_SERIAL_REQUIRED`/`_MAX_LENGTH` (9), `CURRENCY_CODE_REQUIRED`/`_MINLENGTH`/`_MAXLENGTH`/`_INVALID`, `ADJUSTMENT_TYPE_INVALID`, `ADJUSTMENT_INVOICE_TYPE_INVALID`, `ORIGIN_INVOICE_NO_INVALID`/`_INVALID_LENGTH`, `ORIGIN_INVOICE_ISSUE_DATE_INVALID`, `ADDITIONAL_REFER_DESC_LENGTH`/`_REQUIRED`, `ADDITIONAL_REFER_DATE_REQUIRED`, `EXCHANGE_RATE_MAX_LENGTH` (11.2 digits), `TRANSACTION_UUID_REQUIRED`/`_LENGTH_INVALID`, `TAX_CODE_REQUIRED`/`_MAX_LENGTH`, `INVOICE_NO_REQUIRED`/`_MIN_LENGTH` (7)/`_MAX_LENGTH` (17)/`_INVALID`, `ISSUE_DATE_REQUIRED`, `REASON_DELETE_LENGTH`, `FILE_TYPE_LENGTH_INVALID`, `ITEM_SELECTION_INVALID`, `ITEM_TOTAL_AMOUNT_WITHOUT_TAX_INVALID`, `PAYMENT_METHOD_INVALID`/`PAYMENT_METHOD_NAME_MAX_LENGTH`, `SELLER_PHONE_NUMBER_INVALID`, `BUYER_PHONE_INVALID`, `BUYER_ID_NO_INVALID`, and the `…_MAX_LENGTH` of the buyer's and seller's fields |
//! | 400 | `BAD_REQUEST_*` of the simulator | `ORIGIN_INVOICE_INFO_REQUIRED` (3/5 without the original's fields), `ITEM_INFO_REQUIRED`, `ITEM_NAME_REQUIRED`/`_MAX_LENGTH` (500), `TAX_PERCENTAGE_REQUIRED`/`_INVALID`, `ITEM_AMOUNT_REQUIRED`/`_INVALID` (figures that do not add up), `TOTAL_AMOUNT_INVALID` (a negative original or replacement), `BUYER_TAX_CODE_INVALID` (not a valid MST), `FILE_TYPE_REQUIRED`/`_INVALID` (not PDF or ZIP) |
//! | 400 | `BAD_REQUEST` | body unreadable: not JSON, an object where a value belongs, text that is no number; a draft that adjusts or replaces |
//! | 400 | `TAX_CODE_INVALID` | the supplier tax code (path, form, `sellerTaxCode`, `taxCode`) is not the account's |
//! | 400 | `INVOICE_SERIAL_NOT_FOUND` | (templateCode, invoiceSeries) not held by the account; `invoiceType` not the template's |
//! | 400 | `TRANSACTION_UUID_INVALID` | the transactionUuid was used before (issued, cancelled or draft) |
//! | 400 | `INVOICE_ISSUED_DATE_INVALID` | issue date earlier than the series' last invoice, in the future, or not in the series' year |
//! | 400 | `ORIGINAL_INVOICE_INVALID` | replacement/adjustment: original unknown, a draft, cancelled, replaced, of another day, or a C invoice not approved |
//! | 400 | `NOT_FOUND_DATA` | search: no issued invoice under the uuid; file, cancel, payment: no issued invoice with that number (template, day); payment status already as asked |
//! | 400 | `INVOICE_STATUS_INVALID` | cancel of an invoice already cancelled, replaced or adjusted; a payment change on a cancelled invoice |
//! | 400 | `BAD_REQUEST_FROM_DATE_REQUIRED`/`_INVALID`, `BAD_REQUEST_TO_DATE_REQUIRED`/`_INVALID`, `BAD_REQUEST_DATE_RANGE_INVALID` | list: a date missing or not `dd/MM/yyyy` (epoch ms included), `fromDate` after `toDate` |
//! | 404 | `{"code": 404, "message": "NOT_FOUND", …}` | no such API route |
//! | 405 | `{"code": 405, "message": "METHOD_NOT_ALLOWED", …}` | wrong method |
//! | 415 | `{"code": 415, "message": "UNSUPPORTED_MEDIA_TYPE", …}` | a JSON route without a JSON content type |
//!
//! The `server_error` fault answers HTTP 500 `{"timestamp", "status": 500, "error":
//! "Internal Server Error", "path"}` (Spring's default), distinct from the expired token's
//! `GENERAL`, so a test can tell the two apart.
//!
//! # Unverified
//!
//! Seen in the facts: `NOT_FOUND_DATA` (search, payment status unchanged),
//! `TRANSACTION_UUID_INVALID`, `INVOICE_SERIAL_NOT_FOUND`, `GENERAL` for an expired token
//! (HTTP 500, one source), the `{code, message, data}` shape, the cookie transport (Odoo).
//! Seen in the sample: the Bearer transport, the DTO rules and their `BAD_REQUEST_*` codes
//! (that the server answers them as `message` is inferred from their form), the answer
//! classes (search item, create result, draft `{}`, payment `result`/`paymentTime`), the
//! unpadded `invoiceNo`, the JWT claims (a 20-minute lifetime there; the default here is
//! Odoo's test value, 600 s). The simulator's own: the other codes (table above), the
//! order of the checks, the login and token refusals (OAuth2-style bodies), `expires_in` as
//! a number (an Odoo test feeds the string "600"); `NOT_FOUND_DATA` for the file, cancel
//! and payment routes; the `exchangeStatus` defaults (`INVOICE_NO_CODE_SENT` for K series),
//! `exchangeDes` texts, `codeOfTax` at once; "Đã thanh toán" and which state wins the
//! `status` text; the cancel and templates success bodies; `fileName`; the figure, MST,
//! same-day, series-year and 5-minute checks; adjustmentType "7" (allowed by the sample's
//! pattern, meaning unknown) refused; the refusal of adjusting an unapproved C invoice (Odoo
//! refuses it client-side). The ZIP holds one inner ZIP with `<invoiceNo>.xml` and
//! `<invoiceNo>.xsl` (stored, not deflated); their contents are a stand-in, not Viettel's XML.
//!
//! `getListInvoiceDataControl`: the route and its `{supplierTaxCode, fromDate, toDate}` with
//! `dd/MM/yyyy` dates come from two public clients that agree (a third-party note claims
//! epoch ms instead; the simulator refuses that shape); the answer's field names and types
//! from a TypeScript client's type "verified from live response" (`invoiceSeri` so spelled,
//! `issueDate`/`createTime` in ms, `exchangeStatus` a number). The simulator's own: what the
//! numbers of `state`, `stateCode`, `exchangeStatus` and `paymentStatus` mean (guesses;
//! only "1 issued" and a distinct cancelled state are asked of it), `invoiceId` and
//! `invoiceType` values, `issueDateStr`'s format, the fields left null, no paging and no
//! limit on the range, the refusal codes of the dates, and that the day is the issue day.

mod body;
mod files;
mod wire;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{any, post};
use axum::{Extension, Router};
use base64::Engine as _;
use serde_json::{json, Map, Value};

use self::body::{Adjustment, Parsed};
use self::files::{invoice_xml, zip_stored, XSL};
use self::wire::{parse_form, percent_decode, presented_tokens, random, HEX, HEX_LOWER, UPPER_DIGITS};
use crate::invoice::{self, Seller, SimInvoice};
use crate::ledger::{now_ms, Ledger, SharedLedger};
use crate::server::ConnectionKill;
use crate::{with_faults, Reply};

/// The account the simulator holds.
#[derive(Debug, Clone)]
pub struct ViettelConfig {
    /// Login name; Viettel accounts are usually named by the seller's tax code.
    pub username: String,
    /// Login password.
    pub password: String,
    /// The seller's tax code (branch suffix allowed), expected in the paths and forms.
    pub supplier_tax_code: String,
    /// Printed on the PDFs; its `tax_code` should be `supplier_tax_code`.
    pub seller: Seller,
    /// (templateCode, invoiceSeries) pairs the account holds.
    pub templates: Vec<(String, String)>,
    /// `expires_in` of the login answer.
    pub token_lifetime_secs: u64,
    /// How many `getInvoiceRepresentationFile` calls per invoice answer an empty
    /// `fileToBytes` before the file is ready, as Viettel's files can lag the issue.
    pub file_lag_attempts: u32,
}

impl Default for ViettelConfig {
    /// Demo account `0100109106-506` / `demo-pass`, templates `1/001` with series `C<yy>TAA`
    /// (with the tax authority's code) and `K<yy>TAA` (without), and `2/001` (sales invoice)
    /// with `C<yy>TBB`, `yy` the current year in Asia/Ho_Chi_Minh (`C26TAA` in 2026): the
    /// simulator refuses an issue date outside the series' year.
    fn default() -> ViettelConfig {
        let tax = "0100109106-506".to_string();
        let yy = day_of(now_ms()).map(|d| d.year() % 100).unwrap_or(26);
        ViettelConfig {
            username: tax.clone(),
            password: "demo-pass".into(),
            seller: Seller { tax_code: tax.clone(), ..Seller::default() },
            supplier_tax_code: tax,
            templates: vec![("1/001".into(), format!("C{yy:02}TAA")), ("1/001".into(), format!("K{yy:02}TAA")), ("2/001".into(), format!("C{yy:02}TBB"))],
            token_lifetime_secs: 600,
            file_lag_attempts: 0,
        }
    }
}

/// Ledger status of a draft (`createOrUpdateInvoiceDraft`, not yet signed).
pub const DRAFT: i64 = 0;
/// Ledger status of an issued invoice in force.
pub const ISSUED: i64 = 1;
/// Ledger status of a cancelled invoice ("Hóa đơn xóa bỏ").
pub const CANCELLED: i64 = 2;
/// Ledger status of a replaced invoice ("Hóa đơn bị thay thế").
pub const REPLACED: i64 = 3;
/// Ledger status of an invoice adjusted in money ("Hóa đơn bị điều chỉnh tiền").
pub const ADJUSTED_MONEY: i64 = 4;
/// Ledger status of an invoice adjusted in information ("Hóa đơn bị điều chỉnh thông tin").
pub const ADJUSTED_INFO: i64 = 5;

const API_PREFIX: &str = "/services/einvoiceapplication/api/";
/// How far ahead of the clock an issue date may be, for clients whose clock runs fast.
const FUTURE_WINDOW_MS: i64 = 5 * 60 * 1000;

struct Sim {
    config: ViettelConfig,
    ledger: SharedLedger,
    /// File requests so far per transactionUuid, for [`ViettelConfig::file_lag_attempts`].
    file_requests: Mutex<HashMap<String, u32>>,
}

pub(crate) fn router(config: ViettelConfig, ledger: SharedLedger) -> Router {
    let sim = Arc::new(Sim { config, ledger, file_requests: Mutex::new(HashMap::new()) });
    Router::new()
        .route("/auth/login", any(login))
        .route(&format!("{API_PREFIX}{{*route}}"), any(api))
        .route("/_sim/expire-tokens", post(expire_tokens))
        .with_state(sim)
}

/// Makes every token issued so far expired, so a client test reaches its renewal.
pub(crate) fn expire_all(ledger: &mut Ledger) {
    let now = Instant::now();
    for expiry in ledger.tokens.values_mut() {
        *expiry = now;
    }
}

async fn expire_tokens(State(sim): State<Arc<Sim>>) -> StatusCode {
    expire_all(&mut sim.ledger.lock());
    StatusCode::NO_CONTENT
}

async fn login(State(sim): State<Arc<Sim>>, Extension(kill): Extension<ConnectionKill>, method: Method, body: Bytes) -> Response {
    let sim2 = sim.clone();
    with_faults(&sim.ledger, &kill, "login", move || sim2.login(&method, &body)).await
}

async fn api(
    State(sim): State<Arc<Sim>>,
    Extension(kill): Extension<ConnectionKill>,
    method: Method,
    Path(route): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let parsed = Route::parse(&route);
    let operation = parsed.as_ref().map(Route::operation).unwrap_or("").to_string();
    let sim2 = sim.clone();
    with_faults(&sim.ledger, &kill, &operation, move || sim2.process(parsed, &method, &uri, &headers, &body)).await
}

/// A route of the API, with the tax code some carry in their path.
#[derive(Debug, Clone)]
enum Route {
    Create(String),
    Draft(String),
    Search,
    File,
    Cancel,
    Pay,
    Unpay,
    Templates,
    CustomFields,
    ListControl,
}

impl Route {
    fn parse(route: &str) -> Option<Route> {
        let parts: Vec<&str> = route.split('/').collect();
        Some(match parts.as_slice() {
            ["InvoiceAPI", "InvoiceWS", "createInvoice", tax] if !tax.is_empty() => Route::Create(percent_decode(tax)),
            ["InvoiceAPI", "InvoiceWS", "createOrUpdateInvoiceDraft", tax] if !tax.is_empty() => Route::Draft(percent_decode(tax)),
            ["InvoiceAPI", "InvoiceWS", "searchInvoiceByTransactionUuid"] => Route::Search,
            ["InvoiceAPI", "InvoiceUtilsWS", "getInvoiceRepresentationFile"] => Route::File,
            ["InvoiceAPI", "InvoiceWS", "cancelTransactionInvoice"] => Route::Cancel,
            ["InvoiceAPI", "InvoiceWS", "updatePaymentStatus"] => Route::Pay,
            ["InvoiceAPI", "InvoiceWS", "cancelPaymentStatus"] => Route::Unpay,
            ["InvoiceAPI", "InvoiceUtilsWS", "getAllInvoiceTemplates"] => Route::Templates,
            ["InvoiceAPI", "InvoiceWS", "getCustomFields"] => Route::CustomFields,
            ["InvoiceAPI", "InvoiceUtilsWS", "getListInvoiceDataControl"] => Route::ListControl,
            _ => return None,
        })
    }

    /// The name the fault knobs match (`only`): the route's operation segment.
    fn operation(&self) -> &'static str {
        match self {
            Route::Create(_) => "createInvoice",
            Route::Draft(_) => "createOrUpdateInvoiceDraft",
            Route::Search => "searchInvoiceByTransactionUuid",
            Route::File => "getInvoiceRepresentationFile",
            Route::Cancel => "cancelTransactionInvoice",
            Route::Pay => "updatePaymentStatus",
            Route::Unpay => "cancelPaymentStatus",
            Route::Templates => "getAllInvoiceTemplates",
            Route::CustomFields => "getCustomFields",
            Route::ListControl => "getListInvoiceDataControl",
        }
    }

    fn is_json(&self) -> bool {
        matches!(self, Route::Create(_) | Route::Draft(_) | Route::File | Route::Templates | Route::ListControl)
    }
}

fn answer(status: StatusCode, v: Value) -> Reply {
    Reply::Viettel(status, v)
}

fn ok(mut extra: Map<String, Value>) -> Reply {
    let mut v = Map::new();
    v.insert("errorCode".into(), Value::Null);
    v.insert("description".into(), Value::Null);
    v.append(&mut extra);
    answer(StatusCode::OK, Value::Object(v))
}

fn ok_result(result: Value) -> Reply {
    ok(Map::from_iter([("result".to_string(), result)]))
}

/// A business refusal: HTTP 400 `{code: 400, message: CODE, data: text}`.
fn refuse(code: &str, data: impl Into<String>) -> Reply {
    answer(StatusCode::BAD_REQUEST, json!({ "code": 400, "message": code, "data": data.into() }))
}

fn bad(data: impl Into<String>) -> Reply {
    refuse("BAD_REQUEST", data)
}

fn oauth(status: StatusCode, error: &str, description: &str) -> Reply {
    answer(status, json!({ "error": error, "error_description": description }))
}


/// The invoice number Viettel shows: series and running number, unpadded.
pub fn invoice_no(inv: &SimInvoice) -> Option<String> {
    inv.number.map(|n| format!("{}{n}", inv.serial))
}

/// The calendar day (Asia/Ho_Chi_Minh) of an epoch-millisecond instant.
fn day_of(ms: i64) -> Option<time::Date> {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok().map(|t| t.to_offset(time::macros::offset!(+7)).date())
}

/// A day written `dd/MM/yyyy`, as Viettel's list takes its range.
fn parse_day(text: &str) -> Option<time::Date> {
    let parts: Vec<&str> = text.trim().split('/').collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let digits = |t: &str, len: std::ops::RangeInclusive<usize>| len.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(d, 1..=2) || !digits(m, 1..=2) || !digits(y, 4..=4) {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// `dd/MM/yyyy HH:mm:ss` of an epoch-millisecond instant, in Asia/Ho_Chi_Minh.
fn date_time_text(ms: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) {
        Ok(t) => {
            let t = t.to_offset(time::macros::offset!(+7));
            format!("{:02}/{:02}/{:04} {:02}:{:02}:{:02}", t.day(), u8::from(t.month()), t.year(), t.hour(), t.minute(), t.second())
        }
        Err(_) => String::new(),
    }
}

fn date_text(ms: i64) -> String {
    day_of(ms).map(|d| format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())).unwrap_or_default()
}


/// A token shaped as Viettel's are (an RS256 JWT of its OAuth server, claims as a public
/// sample shows them), so a client that reads `exp` from the token works; the signature is
/// random bytes, since only this simulator checks it, by lookup.
fn jwt(claims: &Value) -> String {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let header = b64(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = b64(claims.to_string().as_bytes());
    let signature = b64(random(256, HEX_LOWER).as_bytes());
    format!("{header}.{payload}.{signature}")
}

/// The supplier tax code of a path, form or body must be the account's.
fn check_tax_code(config: &ViettelConfig, got: &str) -> Result<(), Reply> {
    if got.trim() != config.supplier_tax_code {
        return Err(refuse("TAX_CODE_INVALID", format!("Mã số thuế «{got}» không phải của tài khoản đăng nhập")));
    }
    Ok(())
}

impl Sim {
    fn login(&self, method: &Method, body: &[u8]) -> Reply {
        if method != Method::POST {
            return answer(StatusCode::METHOD_NOT_ALLOWED, json!({ "code": 405, "message": "METHOD_NOT_ALLOWED", "data": "Phương thức không được hỗ trợ" }));
        }
        let request: Value = match serde_json::from_slice(body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return oauth(StatusCode::BAD_REQUEST, "invalid_request", "Dữ liệu đăng nhập không phải JSON hợp lệ"),
        };
        let user = request.get("username").and_then(Value::as_str).unwrap_or("");
        let pass = request.get("password").and_then(Value::as_str).unwrap_or("");
        if user.is_empty() || pass.is_empty() {
            return oauth(StatusCode::BAD_REQUEST, "invalid_request", "Thiếu tên đăng nhập hoặc mật khẩu");
        }
        if user != self.config.username || pass != self.config.password {
            return oauth(StatusCode::UNAUTHORIZED, "invalid_grant", "Tên đăng nhập hoặc mật khẩu không đúng");
        }
        let lifetime = self.config.token_lifetime_secs;
        let iat = now_ms() / 1000;
        let jti = format!("{}-{}-4{}-a{}-{}", random(8, HEX_LOWER), random(4, HEX_LOWER), random(3, HEX_LOWER), random(3, HEX_LOWER), random(12, HEX_LOWER));
        let token = jwt(&json!({
            "user_name": self.config.username,
            "scope": ["openid"],
            "exp": iat + lifetime as i64,
            "type": 1,
            "iat": iat,
            "invoice_cluster": "cluster7",
            "authorities": ["ROLE_USER"],
            "jti": jti,
            "client_id": "web_app",
        }));
        let refresh = jwt(&json!({ "user_name": self.config.username, "ati": jti, "exp": iat + 30 * 86_400, "client_id": "web_app" }));
        self.ledger.lock().tokens.insert(token.clone(), Instant::now() + Duration::from_secs(lifetime));
        answer(
            StatusCode::OK,
            json!({
                "access_token": token,
                "token_type": "bearer",
                "refresh_token": refresh,
                "expires_in": lifetime,
                "scope": "openid",
                "iat": iat,
                "invoice_cluster": "cluster7",
                "type": 1,
                "jti": jti,
            }),
        )
    }

    fn authenticate(&self, headers: &HeaderMap) -> Result<(), Reply> {
        let tokens = presented_tokens(headers);
        if tokens.is_empty() {
            return Err(oauth(StatusCode::UNAUTHORIZED, "unauthorized", "Cần đăng nhập để sử dụng dịch vụ này"));
        }
        let ledger = self.ledger.lock();
        let now = Instant::now();
        let known: Vec<Instant> = tokens.iter().filter_map(|t| ledger.tokens.get(t).copied()).collect();
        if known.iter().any(|expiry| *expiry > now) {
            return Ok(());
        }
        if !known.is_empty() {
            return Err(answer(StatusCode::INTERNAL_SERVER_ERROR, json!({ "code": 500, "message": "GENERAL", "data": "Có lỗi xảy ra, vui lòng thử lại sau" })));
        }
        Err(oauth(StatusCode::UNAUTHORIZED, "invalid_token", "Mã truy cập không hợp lệ"))
    }

    fn process(&self, route: Option<Route>, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Reply {
        let Some(route) = route else {
            return answer(StatusCode::NOT_FOUND, json!({ "code": 404, "message": "NOT_FOUND", "data": format!("Không có API {}", uri.path()) }));
        };
        let wanted = if matches!(route, Route::CustomFields) { Method::GET } else { Method::POST };
        if *method != wanted {
            return answer(StatusCode::METHOD_NOT_ALLOWED, json!({ "code": 405, "message": "METHOD_NOT_ALLOWED", "data": format!("API này chỉ nhận {wanted}") }));
        }
        if let Err(r) = self.authenticate(headers) {
            return r;
        }
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let mut form = BTreeMap::new();
        let mut json_body = Value::Null;
        if route.is_json() {
            if !content_type.starts_with("application/json") {
                return answer(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    json!({ "code": 415, "message": "UNSUPPORTED_MEDIA_TYPE", "data": "Dữ liệu phải gửi dạng application/json" }),
                );
            }
            json_body = match serde_json::from_slice(body) {
                Ok(v @ Value::Object(_)) => v,
                _ => return bad("Dữ liệu gửi lên không phải JSON hợp lệ"),
            };
        } else {
            if let Some(q) = uri.query() {
                parse_form(q, &mut form);
            }
            if content_type.starts_with("application/x-www-form-urlencoded") {
                parse_form(&String::from_utf8_lossy(body), &mut form);
            }
        }
        let mut ledger = self.ledger.lock();
        match route {
            Route::Create(tax) => self.create(&mut ledger, &tax, &json_body, false),
            Route::Draft(tax) => self.create(&mut ledger, &tax, &json_body, true),
            Route::Search => self.search(&ledger, &form),
            Route::File => {
                drop(ledger);
                self.file(&json_body)
            }
            Route::Cancel => self.cancel(&mut ledger, &form),
            Route::Pay => self.payment(&mut ledger, &form, true),
            Route::Unpay => self.payment(&mut ledger, &form, false),
            Route::Templates => self.templates(&json_body),
            Route::CustomFields => self.custom_fields(&form),
            Route::ListControl => self.list_control(&ledger, &json_body),
        }
    }

    /// `supplierTaxCode` (or `taxCode`): required, at most 20 characters, the account's.
    fn tax_code(&self, src: &Fields, name: &str) -> Result<(), Reply> {
        let tax = src.required(name, "BAD_REQUEST_TAX_CODE_REQUIRED")?;
        body::at_most(&tax, name, 20, "BAD_REQUEST_TAX_CODE_MAX_LENGTH")?;
        check_tax_code(&self.config, &tax)
    }

    /// createInvoice and createOrUpdateInvoiceDraft.
    fn create(&self, ledger: &mut Ledger, path_tax: &str, body: &Value, draft: bool) -> Reply {
        if let Err(r) = check_tax_code(&self.config, path_tax) {
            return r;
        }
        let parsed = match body::read(&self.config, body) {
            Ok(p) => p,
            Err(r) => return r,
        };
        let Parsed { mut inv, issued_ms, adjustment } = parsed;
        let key = inv.key.clone();
        if let Some(held) = ledger.invoices.get(&key) {
            let updatable = draft && held.status == DRAFT && held.number.is_none();
            if !updatable {
                return refuse("TRANSACTION_UUID_INVALID", format!("Mã giao dịch (transactionUuid) «{key}» đã được sử dụng"));
            }
        }
        inv.lookup_code = random(10, UPPER_DIGITS);
        inv.tax_authority_code = if inv.serial.starts_with('C') { Some(format!("00{}", random(32, HEX))) } else { None };
        if draft {
            if adjustment != Adjustment::Original {
                return bad("Hóa đơn nháp chỉ dùng cho hóa đơn gốc (adjustmentType 1)");
            }
            inv.status = DRAFT;
            ledger.invoices.insert(key, inv);
            // Viettel's sample types the draft answer's result as an empty object.
            return ok_result(json!({}));
        }
        let now = now_ms();
        // Viettel keeps whole seconds ("the millisecond digits are always 000", Odoo notes):
        // an issue date in the same second as the last one is not earlier.
        let issued = issued_ms.filter(|m| *m > 0).unwrap_or(now).div_euclid(1000) * 1000;
        if issued > now + FUTURE_WINDOW_MS {
            return refuse("INVOICE_ISSUED_DATE_INVALID", "Ngày lập hóa đơn không được sau thời điểm hiện tại");
        }
        let year = day_of(issued).map(|d| d.year() % 100);
        let series_year = inv.serial.get(1..3).and_then(|y| y.parse::<i32>().ok());
        if year != series_year {
            return refuse("INVOICE_ISSUED_DATE_INVALID", format!("Ngày lập hóa đơn {} không thuộc năm của ký hiệu {}", date_text(issued), inv.serial));
        }
        let last = ledger
            .invoices
            .values()
            .filter(|i| i.pattern == inv.pattern && i.serial == inv.serial && i.number.is_some())
            .filter_map(|i| i.issued_at_ms)
            .max();
        if let Some(last) = last
            && issued < last
        {
            return refuse(
                "INVOICE_ISSUED_DATE_INVALID",
                format!("Ngày lập hóa đơn {} sớm hơn hóa đơn đã phát hành gần nhất của ký hiệu {} ({})", date_text(issued), inv.serial, date_text(last)),
            );
        }
        let mut original_key = None;
        if let Adjustment::Change { kind, invoice_type, original_no, original_template, original_date } = &adjustment {
            let found = ledger.invoices.values().find(|i| i.pattern == *original_template && invoice_no(i).as_deref() == Some(original_no.as_str()));
            let why = match found {
                None => Some(format!("Không tìm thấy hóa đơn gốc {original_no} mẫu {original_template}")),
                Some(o) if o.status != ISSUED && o.status != ADJUSTED_MONEY && o.status != ADJUSTED_INFO => {
                    Some(format!("Hóa đơn gốc {original_no} đang ở trạng thái «{}», không được thay thế/điều chỉnh", status_text(o)))
                }
                Some(o) if o.issued_at_ms.is_some_and(|m| day_of(m) != day_of(*original_date)) => {
                    Some(format!("Ngày lập hóa đơn gốc không đúng (hóa đơn {original_no} lập ngày {})", date_text(o.issued_at_ms.unwrap_or(0))))
                }
                Some(o) if o.serial.starts_with('C') && !matches!(o.tct_status, None | Some(1)) => {
                    Some(format!("Hóa đơn gốc {original_no} chưa được cơ quan thuế cấp mã"))
                }
                Some(_) => None,
            };
            if let Some(why) = why {
                return refuse("ORIGINAL_INVOICE_INVALID", why);
            }
            original_key = found.map(|o| o.key.clone());
            inv.adjust_type = Some(*kind);
            inv.reason_code = *invoice_type;
        }
        let number = ledger.allocate(&key, &inv.pattern, &inv.serial);
        inv.number = Some(number);
        inv.status = ISSUED;
        inv.issued_at_ms = Some(issued);
        inv.arising_date = date_text(issued);
        inv.replaces = original_key.clone();
        let result = json!({
            "supplierTaxCode": self.config.supplier_tax_code,
            "invoiceNo": invoice_no(&inv),
            "transactionID": key,
            "reservationCode": inv.lookup_code,
            "codeOfTax": inv.tax_authority_code,
        });
        if let (Some(o), Adjustment::Change { kind, invoice_type, .. }) = (original_key, &adjustment)
            && let Some(o) = ledger.invoices.get_mut(&o)
        {
            o.status = match (kind, invoice_type) {
                (3, _) => REPLACED,
                (_, Some(2)) => ADJUSTED_INFO,
                _ => ADJUSTED_MONEY,
            };
        }
        ledger.invoices.insert(key, inv);
        ok_result(result)
    }

    fn search(&self, ledger: &Ledger, form: &BTreeMap<String, String>) -> Reply {
        let src = Fields::Form(form);
        let uuid = (|| {
            self.tax_code(&src, "supplierTaxCode")?;
            let uuid = src.required("transactionUuid", "BAD_REQUEST_TRANSACTION_UUID_REQUIRED")?;
            uuid_length(&uuid)?;
            Ok::<_, Reply>(uuid)
        })();
        let uuid = match uuid {
            Ok(u) => u,
            Err(r) => return r,
        };
        match ledger.invoices.get(&uuid).filter(|i| i.number.is_some()) {
            None => refuse("NOT_FOUND_DATA", "Không tìm thấy dữ liệu hóa đơn theo mã giao dịch"),
            Some(inv) => ok(Map::from_iter([
                ("transactionUuid".to_string(), Value::String(uuid.clone())),
                ("result".to_string(), json!([self.search_item(inv)])),
            ])),
        }
    }

    /// The fields of Viettel's `SearchUUIDInvoiceResultTT78`, no more.
    fn search_item(&self, inv: &SimInvoice) -> Value {
        let exchange = exchange_status(inv);
        let approved = exchange == "INVOICE_HAS_CODE_APPROVED";
        json!({
            "supplierTaxCode": self.config.supplier_tax_code,
            "invoiceNo": invoice_no(inv),
            "reservationCode": inv.lookup_code,
            "issueDate": inv.issued_at_ms.unwrap_or(0),
            "status": status_text(inv),
            "exchangeStatus": exchange,
            "exchangeDes": exchange_text(&exchange, inv),
            "codeOfTax": if approved { inv.tax_authority_code.clone() } else { None },
        })
    }

    /// The issued invoice with this number (and template, when given) issued on the day of
    /// `date` (when given), as Viettel finds an invoice by number, template and issue date.
    fn find<'a>(ledger: &'a mut Ledger, template: Option<&str>, number: &str, date: Option<i64>) -> Option<&'a mut SimInvoice> {
        ledger.invoices.values_mut().find(|i| {
            invoice_no(i).as_deref() == Some(number)
                && template.is_none_or(|t| t == i.pattern)
                && date.is_none_or(|d| i.issued_at_ms.is_none_or(|m| day_of(m) == day_of(d)))
        })
    }

    fn file(&self, request: &Value) -> Reply {
        let src = Fields::Json(request);
        let fields = (|| {
            self.tax_code(&src, "supplierTaxCode")?;
            let number = src.invoice_no()?;
            let template = src.template(true)?.unwrap_or_default();
            if let Some(uuid) = src.get("transactionUuid")?.filter(|u| !u.is_empty()) {
                uuid_length(&uuid)?;
            }
            let file_type = src.required("fileType", "BAD_REQUEST_FILE_TYPE_REQUIRED")?;
            if file_type.chars().count() != 3 {
                return Err(refuse("BAD_REQUEST_FILE_TYPE_LENGTH_INVALID", format!("Loại tệp (fileType) «{file_type}» phải có 3 ký tự")));
            }
            Ok::<_, Reply>((template, number, file_type.to_ascii_uppercase()))
        })();
        let (template, number, file_type) = match fields {
            Ok(f) => f,
            Err(r) => return r,
        };
        if file_type != "PDF" && file_type != "ZIP" {
            return refuse("BAD_REQUEST_FILE_TYPE_INVALID", format!("Loại tệp (fileType) «{file_type}» phải là PDF hoặc ZIP"));
        }
        let inv = {
            let mut ledger = self.ledger.lock();
            match Self::find(&mut ledger, Some(&template), &number, None) {
                Some(inv) => inv.clone(),
                None => return refuse("NOT_FOUND_DATA", format!("Không tìm thấy hóa đơn {number} mẫu {template}")),
            }
        };
        let paid = Value::Bool(inv.paid);
        {
            let mut requests = self.file_requests.lock().unwrap_or_else(|e| e.into_inner());
            let seen = requests.entry(inv.key.clone()).or_insert(0);
            *seen += 1;
            if *seen <= self.config.file_lag_attempts {
                return ok(Map::from_iter([
                    ("fileToBytes".to_string(), Value::String(String::new())),
                    ("fileName".to_string(), Value::Null),
                    ("paymentStatus".to_string(), paid),
                ]));
            }
        }
        let no = invoice_no(&inv).unwrap_or_default();
        let (bytes, name) = if file_type == "PDF" {
            match invoice::pdf(&self.config.seller, &inv, inv.status == CANCELLED) {
                Ok(b) => (b, format!("{no}.pdf")),
                Err(e) => return answer(StatusCode::INTERNAL_SERVER_ERROR, json!({ "code": 500, "message": "GENERAL", "data": format!("Không tạo được tệp: {e}") })),
            }
        } else {
            let xml = invoice_xml(&self.config, &inv);
            let inner = zip_stored(&[(format!("{no}.xml"), xml.into_bytes()), (format!("{no}.xsl"), XSL.as_bytes().to_vec())]);
            (zip_stored(&[(format!("{no}.zip"), inner)]), format!("{no}.zip"))
        };
        ok(Map::from_iter([
            ("fileToBytes".to_string(), Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))),
            ("fileName".to_string(), Value::String(name)),
            ("paymentStatus".to_string(), paid),
        ]))
    }

    /// `CancelTransactionWSDTO`: templateCode optional; issue date, agreement name and date
    /// required.
    fn cancel(&self, ledger: &mut Ledger, form: &BTreeMap<String, String>) -> Reply {
        let src = Fields::Form(form);
        let fields = (|| {
            self.tax_code(&src, "supplierTaxCode")?;
            let number = src.invoice_no()?;
            let template = src.template(false)?;
            let date = src.millis("strIssueDate", Some("BAD_REQUEST_ISSUE_DATE_REQUIRED"))?.unwrap_or(0);
            let reference = src.required("additionalReferenceDesc", "BAD_REQUEST_ADDITIONAL_REFER_DESC_REQUIRED")?;
            body::at_most(&reference, "additionalReferenceDesc", 400, "BAD_REQUEST_ADDITIONAL_REFER_DESC_LENGTH")?;
            src.millis("additionalReferenceDate", Some("BAD_REQUEST_ADDITIONAL_REFER_DATE_REQUIRED"))?;
            body::at_most(&src.get("reasonDelete")?.unwrap_or_default(), "reasonDelete", 255, "BAD_REQUEST_REASON_DELETE_LENGTH")?;
            Ok::<_, Reply>((template, number, date))
        })();
        let (template, number, date) = match fields {
            Ok(f) => f,
            Err(r) => return r,
        };
        let Some(inv) = Self::find(ledger, template.as_deref(), &number, Some(date)) else {
            return refuse("NOT_FOUND_DATA", format!("Không tìm thấy hóa đơn {number} lập ngày {}", date_text(date)));
        };
        match inv.status {
            ISSUED => {
                inv.status = CANCELLED;
                ok_result(Value::Null)
            }
            _ => refuse("INVOICE_STATUS_INVALID", format!("Hóa đơn {number} đang ở trạng thái «{}», không được xóa bỏ", status_text(inv))),
        }
    }

    /// `UpdatePaymentWSDTO` (templateCode required, issue date optional) and
    /// `CancelPaymentWSDTO` (issue date required, no templateCode).
    fn payment(&self, ledger: &mut Ledger, form: &BTreeMap<String, String>, paid: bool) -> Reply {
        let src = Fields::Form(form);
        let fields = (|| {
            self.tax_code(&src, "supplierTaxCode")?;
            let number = src.invoice_no()?;
            let (template, date) = if paid {
                body::at_most(&src.get("buyerEmailAddress")?.unwrap_or_default(), "buyerEmailAddress", 2000, "BAD_REQUEST_BUYER_EMAIL_MAX_LENGTH")?;
                (src.template(true)?, src.millis("strIssueDate", None)?)
            } else {
                (None, src.millis("strIssueDate", Some("BAD_REQUEST_ISSUE_DATE_REQUIRED"))?)
            };
            Ok::<_, Reply>((template, number, date))
        })();
        let (template, number, date) = match fields {
            Ok(f) => f,
            Err(r) => return r,
        };
        let Some(inv) = Self::find(ledger, template.as_deref(), &number, date) else {
            return refuse("NOT_FOUND_DATA", format!("Không tìm thấy hóa đơn {number}"));
        };
        if inv.status == CANCELLED {
            return refuse("INVOICE_STATUS_INVALID", format!("Hóa đơn {number} đã bị xóa bỏ"));
        }
        if inv.paid == paid {
            return refuse("NOT_FOUND_DATA", format!("Hóa đơn {number} {} rồi", if paid { "đã thanh toán" } else { "chưa thanh toán" }));
        }
        inv.paid = paid;
        ok(Map::from_iter([
            ("result".to_string(), Value::Bool(true)),
            ("paymentTime".to_string(), if paid { json!(now_ms()) } else { Value::Null }),
            ("paymentMethod".to_string(), if paid { Value::String(inv.payment_method.clone()) } else { Value::Null }),
        ]))
    }

    fn templates(&self, request: &Value) -> Reply {
        let src = Fields::Json(request);
        let kind = (|| {
            self.tax_code(&src, "taxCode")?;
            Ok::<_, Reply>(src.get("invoiceType")?.filter(|k| !k.is_empty()).unwrap_or_else(|| "all".into()))
        })();
        let kind = match kind {
            Ok(k) => k,
            Err(r) => return r,
        };
        let list: Vec<Value> = self
            .config
            .templates
            .iter()
            .filter(|(t, _)| kind.eq_ignore_ascii_case("all") || t.starts_with(&format!("{kind}/")))
            .map(|(t, s)| json!({ "templateCode": t, "invoiceSeri": s }))
            .collect();
        ok(Map::from_iter([("template".to_string(), Value::Array(list))]))
    }

    /// `getListInvoiceDataControl`: the invoices (not drafts) issued on the days
    /// `fromDate`…`toDate`, by issue time.
    fn list_control(&self, ledger: &Ledger, request: &Value) -> Reply {
        let src = Fields::Json(request);
        let range = (|| {
            self.tax_code(&src, "supplierTaxCode")?;
            let from = src.day("fromDate", "BAD_REQUEST_FROM_DATE_REQUIRED", "BAD_REQUEST_FROM_DATE_INVALID")?;
            let to = src.day("toDate", "BAD_REQUEST_TO_DATE_REQUIRED", "BAD_REQUEST_TO_DATE_INVALID")?;
            if from > to {
                return Err(refuse("BAD_REQUEST_DATE_RANGE_INVALID", "Từ ngày (fromDate) không được sau đến ngày (toDate)"));
            }
            Ok::<_, Reply>((from, to))
        })();
        let (from, to) = match range {
            Ok(r) => r,
            Err(r) => return r,
        };
        // invoiceId: the order in which invoices took their numbers.
        let mut ids: HashMap<&str, u64> = HashMap::new();
        for (i, (key, _)) in ledger.issued_log.iter().enumerate() {
            ids.entry(key.as_str()).or_insert(i as u64 + 1);
        }
        let issue_day = |inv: &SimInvoice| match inv.issued_at_ms {
            Some(ms) => day_of(ms),
            None => parse_day(&inv.arising_date),
        };
        let mut found: Vec<&SimInvoice> = ledger
            .invoices
            .values()
            .filter(|i| i.status != DRAFT && i.number.is_some())
            .filter(|i| issue_day(i).is_some_and(|d| from <= d && d <= to))
            .collect();
        found.sort_by_key(|i| (i.issued_at_ms.unwrap_or(0), ids.get(i.key.as_str()).copied().unwrap_or(0)));
        let total = found.len();
        if let Some(page) = ledger.list_page_size {
            found.truncate(page);
        }
        let rows: Vec<Value> = found
            .iter()
            .map(|inv| {
                let id = ids.get(inv.key.as_str()).copied();
                let original = inv.replaces.as_deref().and_then(|k| ids.get(k).copied());
                let issued = inv.issued_at_ms;
                let exchange = exchange_status(inv);
                let exchange: i64 = match exchange.strip_prefix("INVOICE_HAS_CODE_").or_else(|| exchange.strip_prefix("INVOICE_NO_CODE_")).unwrap_or("") {
                    "APPROVED" => 1,
                    "SENT" => -1,
                    "DIS_APPROVED" => -2,
                    _ => 0,
                };
                let or_null = |t: &str| if t.trim().is_empty() { Value::Null } else { Value::String(t.to_string()) };
                json!({
                    "invoiceId": id,
                    "invoiceType": inv.pattern.chars().take_while(char::is_ascii_digit).collect::<String>(),
                    "adjustmentType": inv.adjust_type.map(|k| k.to_string()).unwrap_or_else(|| "1".into()),
                    "templateCode": inv.pattern,
                    "invoiceSeri": inv.serial,
                    "invoiceNumber": inv.number.map(|n| n.to_string()),
                    "invoiceNo": invoice_no(inv),
                    "currency": inv.currency,
                    "total": inv.amount,
                    "totalBeforeTax": inv.total,
                    "taxAmount": inv.vat_amount,
                    "taxRate": null,
                    "issueDate": issued,
                    "issueDateStr": issued.map(date_time_text),
                    "state": inv.status,
                    "stateCode": inv.status,
                    "requestDate": null,
                    "description": null,
                    "buyerIdNo": null,
                    "paymentStatus": u8::from(inv.paid),
                    "paymentStatusName": if inv.paid { "Đã thanh toán" } else { "Chưa thanh toán" },
                    "exchangeStatus": exchange,
                    "createTime": issued,
                    "contractNo": null,
                    "supplierTaxCode": self.config.supplier_tax_code,
                    "buyerTaxCode": or_null(&inv.tax_code),
                    "buyerName": or_null(&inv.buyer),
                    "paymentMethod": inv.payment_method,
                    "paymentTime": null,
                    "transactionUuid": inv.key,
                    "originalInvoiceId": original,
                })
            })
            .collect();
        ok(Map::from_iter([("totalRows".to_string(), json!(total)), ("invoices".to_string(), Value::Array(rows))]))
    }

    fn custom_fields(&self, form: &BTreeMap<String, String>) -> Reply {
        if let Err(r) = self.tax_code(&Fields::Form(form), "taxCode") {
            return r;
        }
        ok(Map::from_iter([("customFields".to_string(), json!([]))]))
    }
}

/// The fields of a request, from a form (query and body) or a JSON object, read alike.
enum Fields<'a> {
    Form(&'a BTreeMap<String, String>),
    Json(&'a Value),
}

impl Fields<'_> {
    fn get(&self, name: &str) -> Result<Option<String>, Reply> {
        match self {
            Fields::Form(f) => Ok(f.get(name).map(|v| v.trim().to_string())),
            Fields::Json(v) => Ok(body::text(v, name)?.map(|t| t.trim().to_string())),
        }
    }

    fn required(&self, name: &str, code: &str) -> Result<String, Reply> {
        self.get(name)?.filter(|v| !v.is_empty()).ok_or_else(|| refuse(code, format!("Thiếu trường bắt buộc {name}")))
    }

    /// `invoiceNo`: 7–17 characters of `[a-zA-Z0-9/-]`.
    fn invoice_no(&self) -> Result<String, Reply> {
        let no = self.required("invoiceNo", "BAD_REQUEST_INVOICE_NO_REQUIRED")?;
        match no.chars().count() {
            n if n < 7 => Err(refuse("BAD_REQUEST_INVOICE_NO_MIN_LENGTH", format!("Số hóa đơn «{no}» ngắn hơn 7 ký tự"))),
            n if n > 17 => Err(refuse("BAD_REQUEST_INVOICE_NO_MAX_LENGTH", format!("Số hóa đơn «{no}» dài quá 17 ký tự"))),
            _ if !no.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-') => {
                Err(refuse("BAD_REQUEST_INVOICE_NO_INVALID", format!("Số hóa đơn «{no}» chỉ gồm chữ, số, «/» và «-»")))
            }
            _ => Ok(no),
        }
    }

    fn template(&self, required: bool) -> Result<Option<String>, Reply> {
        let template = if required { Some(self.required("templateCode", "BAD_REQUEST_TEMPLATE_CODE_REQUIRED")?) } else { self.get("templateCode")?.filter(|t| !t.is_empty()) };
        if let Some(t) = &template {
            body::at_most(t, "templateCode", 20, "BAD_REQUEST_TEMPLATE_CODE_MAX_LENGTH")?;
        }
        Ok(template)
    }

    /// A day written `dd/MM/yyyy` (day and month of one or two digits): missing is refused
    /// with `required`, anything else (epoch ms too) with `invalid`.
    fn day(&self, name: &str, required: &str, invalid: &str) -> Result<time::Date, Reply> {
        let text = self.required(name, required)?;
        parse_day(&text).ok_or_else(|| refuse(invalid, format!("Trường {name} «{text}» phải là ngày dạng dd/MM/yyyy")))
    }

    /// Epoch milliseconds; missing is refused with `required` when given. Text that is not a
    /// number fails the binding, as a body Spring cannot read (`BAD_REQUEST`).
    fn millis(&self, name: &str, required: Option<&str>) -> Result<Option<i64>, Reply> {
        match self.get(name)?.filter(|v| !v.is_empty()) {
            None => match required {
                Some(code) => Err(refuse(code, format!("Thiếu trường bắt buộc {name}"))),
                None => Ok(None),
            },
            Some(t) => t.parse::<i64>().ok().filter(|m| *m >= 0).map(Some).ok_or_else(|| bad(format!("Trường {name} «{t}» phải là số mili giây"))),
        }
    }
}

/// `transactionUuid`: 10–36 characters.
fn uuid_length(uuid: &str) -> Result<(), Reply> {
    if !(10..=36).contains(&uuid.chars().count()) {
        return Err(refuse("BAD_REQUEST_TRANSACTION_UUID_LENGTH_INVALID", format!("Mã giao dịch (transactionUuid) «{uuid}» phải dài 10–36 ký tự")));
    }
    Ok(())
}

/// The `status` text of the search answer.
pub fn status_text(inv: &SimInvoice) -> &'static str {
    match inv.status {
        DRAFT => "Hóa đơn nháp",
        CANCELLED => "Hóa đơn xóa bỏ",
        REPLACED => "Hóa đơn bị thay thế",
        ADJUSTED_MONEY => "Hóa đơn bị điều chỉnh tiền",
        ADJUSTED_INFO => "Hóa đơn bị điều chỉnh thông tin",
        _ if inv.replaces.is_some() && inv.adjust_type == Some(3) => "Hóa đơn thay thế",
        _ if inv.paid => "Đã thanh toán",
        _ => "Chưa thanh toán",
    }
}

/// `exchangeStatus`: the tax authority's side, from `/_sim/tct` (`tct_status`).
pub fn exchange_status(inv: &SimInvoice) -> String {
    let coded = inv.serial.starts_with('C');
    let state = match inv.tct_status {
        None if coded => "APPROVED",
        None => "SENT",
        Some(1) => "APPROVED",
        Some(-1) => "SENT",
        Some(-2) => "DIS_APPROVED",
        Some(_) => "NOT_SENT",
    };
    format!("{}{state}", if coded { "INVOICE_HAS_CODE_" } else { "INVOICE_NO_CODE_" })
}

/// `exchangeDes`: the exchange state in words; a refusal carries the tax authority's text
/// (`/_sim/tct`'s `message`).
fn exchange_text(exchange: &str, inv: &SimInvoice) -> String {
    let state = exchange.strip_prefix("INVOICE_HAS_CODE_").or_else(|| exchange.strip_prefix("INVOICE_NO_CODE_")).unwrap_or("");
    match state {
        "APPROVED" => "Cơ quan thuế đã cấp mã".to_string(),
        "SENT" => "Đã gửi cơ quan thuế".to_string(),
        "NOT_SENT" => "Chưa gửi cơ quan thuế".to_string(),
        _ if !inv.tct_error.is_empty() => format!("Cơ quan thuế từ chối: {}", inv.tct_error),
        _ => "Cơ quan thuế từ chối".to_string(),
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use super::wire::parse_form;

    #[test]
    fn routes_and_operations() {
        assert_eq!(Route::parse("InvoiceAPI/InvoiceWS/createInvoice/0100109106-506").map(|r| r.operation()), Some("createInvoice"));
        assert!(Route::parse("InvoiceAPI/InvoiceWS/createInvoice").is_none());
        assert_eq!(Route::parse("InvoiceAPI/InvoiceUtilsWS/getListInvoiceDataControl").map(|r| r.operation()), Some("getListInvoiceDataControl"));
        assert!(Route::parse("InvoiceAPI/InvoiceWS/getListInvoiceDataControl").is_none());
        assert!(Route::parse("InvoiceAPI/invoicews/searchInvoiceByTransactionUuid").is_none());
    }

    #[test]
    fn forms_decode() {
        let mut f = BTreeMap::new();
        parse_form("a=1+2&b=%C4%90%C3%A3&c", &mut f);
        assert_eq!(f["a"], "1 2");
        assert_eq!(f["b"], "Đã");
        assert_eq!(f["c"], "");
    }
}
