//! One function per Viettel S-Invoice request, each returning the exact bytes that go out.
//!
//! Wire facts: `../shared/specs/viettel-sinvoice-facts.md` (Odoo's `l10n_vn_edi_viettel` and
//! other public clients). Every call is `POST`. The log-in (`auth/login`) takes JSON and
//! answers a token; every other call carries that token as the cookie `access_token=<token>`,
//! as Odoo does (CONFLICT: one other client sends `Authorization: Bearer` instead; whether
//! Viettel takes both is unverified, so the cookie, which Odoo uses in production, is sent).
//! The invoice calls take JSON; look-up, cancel and the payment marks take form fields, sent
//! here as an `application/x-www-form-urlencoded` body (Odoo puts the same fields in the URL
//! query; two other clients send them as the body, which a form endpoint reads either way).
//!
//! The token and the moment are parameters, so golden tests are exact.

use md5::{Digest as _, Md5};
use serde::Serialize;
use serde_json::Number;

use crate::draft::{AdjustKind, InvoiceDraft, InvoiceKey, Line};
use crate::http::HttpRequest;
use hoadon_rules::{Quantity, VatRate};

use super::ViettelSettings;

/// The log-in route, on the host's root.
pub const ROUTE_LOGIN: &str = "auth/login";
/// Where every other route lives, on the same host.
pub const API_PREFIX: &str = "services/einvoiceapplication/api/";
/// `createInvoice/{supplierTaxCode}`: creates and signs one invoice.
pub const ROUTE_CREATE: &str = "InvoiceAPI/InvoiceWS/createInvoice";
/// Looks an invoice up by the `transactionUuid` it was created with.
pub const ROUTE_SEARCH: &str = "InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid";
/// The PDF (or ZIP with the XML) of an invoice, base64 in `fileToBytes`.
pub const ROUTE_FILE: &str = "InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile";
/// Cancels (xóa bỏ) an invoice.
pub const ROUTE_CANCEL: &str = "InvoiceAPI/InvoiceWS/cancelTransactionInvoice";
/// Marks an invoice paid.
pub const ROUTE_PAID: &str = "InvoiceAPI/InvoiceWS/updatePaymentStatus";
/// Marks an invoice unpaid.
pub const ROUTE_UNPAID: &str = "InvoiceAPI/InvoiceWS/cancelPaymentStatus";
/// The templates and series the seller may issue with.
pub const ROUTE_TEMPLATES: &str = "InvoiceAPI/InvoiceUtilsWS/getAllInvoiceTemplates";
/// The invoices issued within a range of days.
pub const ROUTE_LIST: &str = "InvoiceAPI/InvoiceUtilsWS/getListInvoiceDataControl";

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// The moment of one request, in Viettel's unit: milliseconds since the Unix epoch taken from
/// whole seconds (so it always ends in `000`, as Odoo sends it).
pub fn epoch_ms(unix_seconds: i64) -> i64 {
    unix_seconds.saturating_mul(1000)
}

/// The RFC 4122 URL namespace, under which [`transaction_uuid`] names a key.
const NAMESPACE_URL: [u8; 16] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8];

/// The `transactionUuid` of the invoice stored under `key`: the name-based UUID (version 3,
/// RFC 4122 §4.3) of `urn:hoadon:invoice-key:<key>` in the URL namespace, in lower-case
/// 8-4-4-4-12 text.
///
/// Why not the key itself: Viettel calls the field a UUID (Odoo sends `uuid4` text) and the
/// app's keys (`HD<sale>-<16 characters>`) can be longer than the 36 characters of one, so
/// a key sent as is could be refused as `TRANSACTION_UUID_INVALID`, which also means "already
/// used" and would read as an unclear outcome. Why not a random UUID: the id must be
/// recomputable from the one value stored before sending, so that after a lost answer the
/// look-up ([`search`]) asks about the same id, and a resend reuses it (Viettel refuses a
/// reused id instead of issuing twice). Python's `uuid.uuid3(uuid.NAMESPACE_URL,
/// "urn:hoadon:invoice-key:" + key)` gives the same text.
pub fn transaction_uuid(key: &InvoiceKey) -> String {
    let mut hash = Md5::new();
    hash.update(NAMESPACE_URL);
    hash.update(b"urn:hoadon:invoice-key:");
    hash.update(key.as_str().as_bytes());
    let mut b: [u8; 16] = hash.finalize().into();
    b[6] = (b[6] & 0x0f) | 0x30; // version 3
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

fn api(route: &str) -> String {
    format!("{API_PREFIX}{route}")
}

fn with_token(token: &str) -> (&'static str, String) {
    ("Cookie", format!("access_token={token}"))
}

fn json_post(path: String, token: &str, body: &impl Serialize) -> HttpRequest {
    HttpRequest {
        method: "POST",
        path,
        headers: vec![("Content-Type", JSON.to_string()), with_token(token)],
        body: serde_json::to_string(body).expect("request bodies are plain strings, numbers and lists"),
    }
}

fn form_post(route: &str, token: &str, fields: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: "POST",
        path: api(route),
        headers: vec![("Content-Type", FORM.to_string()), with_token(token)],
        body: form(fields),
    }
}

/// `application/x-www-form-urlencoded`: letters, digits and `*-._` as they are, a space as
/// `+`, every other byte of the UTF-8 text as `%XX`.
pub fn form(fields: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, name);
        out.push('=');
        encode_into(&mut out, value);
    }
    out
}

fn encode_into(out: &mut String, text: &str) {
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
}

#[derive(Serialize)]
struct LoginBody<'a> {
    username: &'a str,
    password: &'a str,
}

/// `POST auth/login` `{"username", "password"}`: answers `access_token` and `expires_in`.
pub fn login(settings: &ViettelSettings) -> HttpRequest {
    HttpRequest {
        method: "POST",
        path: ROUTE_LOGIN.to_string(),
        headers: vec![("Content-Type", JSON.to_string())],
        body: serde_json::to_string(&LoginBody { username: settings.username.trim(), password: settings.password.expose() })
            .expect("two strings"),
    }
}

/// `searchInvoiceByTransactionUuid` (form: `supplierTaxCode`, `transactionUuid`): the
/// invoice created under `key`, or HTTP 400 `NOT_FOUND_DATA`.
pub fn search(settings: &ViettelSettings, token: &str, key: &InvoiceKey) -> HttpRequest {
    let uuid = transaction_uuid(key);
    form_post(ROUTE_SEARCH, token, &[("supplierTaxCode", settings.tax_code()), ("transactionUuid", &uuid)])
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileBody<'a> {
    supplier_tax_code: &'a str,
    template_code: &'a str,
    invoice_no: &'a str,
    file_type: &'a str,
}

/// The kinds of file [`representation_file`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// The invoice as printed.
    Pdf,
    /// A ZIP holding (inside another ZIP) the signed XML and its XSL.
    Zip,
}

impl FileType {
    /// The `fileType` text.
    pub fn code(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Zip => "ZIP",
        }
    }
}

/// `getInvoiceRepresentationFile` JSON `{supplierTaxCode, templateCode, invoiceNo, fileType}`.
pub fn representation_file(settings: &ViettelSettings, token: &str, template: &str, invoice_no: &str, file_type: FileType) -> HttpRequest {
    let body = FileBody { supplier_tax_code: settings.tax_code(), template_code: template, invoice_no, file_type: file_type.code() };
    json_post(api(ROUTE_FILE), token, &body)
}

/// What cancelling, adjusting or replacing an invoice refers to: the agreement with the
/// buyer (biên bản thỏa thuận) and, for a cancel, the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// `additionalReferenceDesc`: the agreement's name or number; Odoo's default is `NA`
    /// when there is none.
    pub document: String,
    /// `additionalReferenceDate`, Unix seconds.
    pub date: i64,
    /// `reasonDelete` of a cancel (required there); unused by adjust and replace.
    pub reason: String,
}

impl Agreement {
    /// What the app sends when the owner gave no agreement: `NA`, dated now, and the reason
    /// `reason`.
    pub fn none(date: i64, reason: impl Into<String>) -> Agreement {
        Agreement { document: NO_AGREEMENT.into(), date, reason: reason.into() }
    }
}

/// `additionalReferenceDesc` when the owner names no agreement (Odoo's default).
pub const NO_AGREEMENT: &str = "NA";

/// The reason sent by [`crate::Provider::cancel`], which carries none: the inherent
/// [`super::ViettelClient::cancel_with`] takes the owner's own words.
pub const DEFAULT_CANCEL_REASON: &str = "Hủy hóa đơn lập sai theo yêu cầu của người bán";

/// `cancelTransactionInvoice` (form): `supplierTaxCode, templateCode, invoiceNo, strIssueDate,
/// additionalReferenceDesc, additionalReferenceDate, reasonDelete`; dates in epoch ms.
pub fn cancel(settings: &ViettelSettings, token: &str, template: &str, invoice_no: &str, issued_ms: i64, agreement: &Agreement) -> HttpRequest {
    let issued = issued_ms.to_string();
    let agreed = epoch_ms(agreement.date).to_string();
    form_post(
        ROUTE_CANCEL,
        token,
        &[
            ("supplierTaxCode", settings.tax_code()),
            ("templateCode", template),
            ("invoiceNo", invoice_no),
            ("strIssueDate", &issued),
            ("additionalReferenceDesc", agreement.document.trim()),
            ("additionalReferenceDate", &agreed),
            ("reasonDelete", agreement.reason.trim()),
        ],
    )
}

/// `updatePaymentStatus` (form: `supplierTaxCode, invoiceNo, strIssueDate, templateCode`).
pub fn mark_paid(settings: &ViettelSettings, token: &str, template: &str, invoice_no: &str, issued_ms: i64) -> HttpRequest {
    let issued = issued_ms.to_string();
    form_post(
        ROUTE_PAID,
        token,
        &[("supplierTaxCode", settings.tax_code()), ("invoiceNo", invoice_no), ("strIssueDate", &issued), ("templateCode", template)],
    )
}

/// `cancelPaymentStatus` (form: `supplierTaxCode, invoiceNo, strIssueDate`).
pub fn mark_unpaid(settings: &ViettelSettings, token: &str, invoice_no: &str, issued_ms: i64) -> HttpRequest {
    let issued = issued_ms.to_string();
    form_post(ROUTE_UNPAID, token, &[("supplierTaxCode", settings.tax_code()), ("invoiceNo", invoice_no), ("strIssueDate", &issued)])
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplatesBody<'a> {
    tax_code: &'a str,
    invoice_type: &'a str,
}

/// `getAllInvoiceTemplates` JSON `{taxCode, invoiceType: "all"}`: answers `template`
/// `[{templateCode, invoiceSeri}]`.
pub fn templates(settings: &ViettelSettings, token: &str) -> HttpRequest {
    json_post(api(ROUTE_TEMPLATES), token, &TemplatesBody { tax_code: settings.tax_code(), invoice_type: "all" })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListBody<'a> {
    supplier_tax_code: &'a str,
    from_date: String,
    to_date: String,
}

/// `getListInvoiceDataControl` JSON `{supplierTaxCode, fromDate, toDate}`, the days as
/// `dd/MM/yyyy` (two public clients send them so; a third note says epoch ms: unverified).
pub fn list_invoices(settings: &ViettelSettings, token: &str, from: time::Date, to: time::Date) -> HttpRequest {
    use hoadon_rules::calendar::format_date;
    json_post(api(ROUTE_LIST), token, &ListBody { supplier_tax_code: settings.tax_code(), from_date: format_date(from), to_date: format_date(to) })
}

/// What `createInvoice` is asked to make of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose<'a> {
    /// A new invoice (`adjustmentType` 1).
    Original,
    /// `adjustmentType` 5: adjusts `original`.
    Adjust {
        /// The invoice adjusted.
        original: &'a Original,
        /// Increase or decrease (`adjustmentInvoiceType` 1, money) or information (2).
        kind: AdjustKind,
        /// `additionalReferenceDesc` / `additionalReferenceDate`.
        agreement: &'a Agreement,
    },
    /// `adjustmentType` 3: replaces `original`.
    Replace {
        /// The invoice replaced.
        original: &'a Original,
        /// `additionalReferenceDesc` / `additionalReferenceDate`.
        agreement: &'a Agreement,
    },
}

/// An invoice already at Viettel, as an adjustment or replacement names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    /// `originalInvoiceId`: its `invoiceNo` as Viettel wrote it (e.g. `C26TAA12`).
    pub invoice_no: String,
    /// `originalInvoiceIssueDate`, epoch ms, as Viettel gave it.
    pub issued_ms: i64,
    /// `originalTemplateCode`, e.g. `1/001`.
    pub template: String,
}

/// `createInvoice/{supplierTaxCode}`: the draft as one invoice, created and signed, dated
/// `now` (Unix seconds): Viettel numbers invoices in the order of their date, so the date is
/// the moment of sending, as Odoo does, not the draft's day.
pub fn create_invoice(settings: &ViettelSettings, token: &str, draft: &InvoiceDraft, purpose: &Purpose<'_>, now: i64) -> HttpRequest {
    let path = api(&format!("{ROUTE_CREATE}/{}", settings.tax_code()));
    json_post(path, token, &invoice_body(settings, draft, purpose, now))
}

/// Viettel's `taxPercentage`: the rate in percent; `-2` not subject to VAT (KCT), `-1` not
/// declared or paid (KKKNT), the reverse of EasyInvoice's codes. Another rate (KHAC) goes as
/// its percentage (`5.26`), which Viettel accepts or refuses itself.
pub fn tax_percentage(rate: VatRate) -> Number {
    match rate {
        VatRate::Kct => Number::from(-2),
        VatRate::Kkknt => Number::from(-1),
        other => decimal(other.basis_points().unwrap_or(0) as i64, 100),
    }
}

/// Digits only, as Viettel takes phone numbers: `+` becomes `00`, anything else not a digit
/// is dropped (`+84 90-123` → `008490123`).
pub fn phone_digits(phone: &str) -> String {
    phone.replace('+', "00").chars().filter(char::is_ascii_digit).collect()
}

/// The quantity as a JSON number: `2`, `1.5`.
pub fn quantity(q: Quantity) -> Number {
    decimal(q.0, Quantity::SCALE)
}

fn decimal(value: i64, scale: i64) -> Number {
    if value % scale == 0 {
        Number::from(value / scale)
    } else {
        Number::from_f64(value as f64 / scale as f64).unwrap_or_else(|| Number::from(value / scale))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InvoiceBody<'a> {
    general_invoice_info: General<'a>,
    buyer_info: BuyerInfo<'a>,
    seller_info: SellerInfo<'a>,
    payments: [Payment<'a>; 1],
    item_info: Vec<Item<'a>>,
    tax_breakdowns: Vec<Breakdown>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct General<'a> {
    transaction_uuid: String,
    invoice_type: &'a str,
    template_code: &'a str,
    invoice_series: &'a str,
    invoice_issued_date: i64,
    currency_code: &'static str,
    adjustment_type: &'static str,
    payment_status: bool,
    cus_get_invoice_right: bool,
    validation: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    adjustment_invoice_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_invoice_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_invoice_issue_date: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_template_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_reference_desc: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_reference_date: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BuyerInfo<'a> {
    buyer_name: &'a str,
    buyer_legal_name: &'a str,
    buyer_tax_code: &'a str,
    buyer_address_line: &'a str,
    buyer_phone_number: String,
    buyer_email: &'a str,
    buyer_not_get_invoice: u8,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SellerInfo<'a> {
    seller_tax_code: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payment<'a> {
    payment_method_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    item_code: &'a str,
    item_name: &'a str,
    unit_name: &'a str,
    unit_price: i64,
    quantity: Number,
    item_total_amount_without_tax: i64,
    tax_percentage: Number,
    tax_amount: i64,
    discount: u8,
    item_total_amount_after_discount: i64,
    item_total_amount_with_tax: i64,
    selection: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    adjustment_tax_amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_increase_item: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Breakdown {
    tax_percentage: Number,
    taxable_amount: i64,
    tax_amount: i64,
    taxable_amount_pos: bool,
    tax_amount_pos: bool,
}

/// `itemInfo[].selection`: 1 goods or services, 3 a discount (chiết khấu).
const SELECTION_GOODS: u8 = 1;
const SELECTION_DISCOUNT: u8 = 3;

fn invoice_body<'a>(settings: &'a ViettelSettings, d: &'a InvoiceDraft, purpose: &Purpose<'a>, now: i64) -> InvoiceBody<'a> {
    // `invoiceType` is the template's type, its first digit (1 VAT invoice, 2 sales invoice).
    // CONFLICT between Odoo branches (one golden leaves it out); the code of both sends it.
    let invoice_type = d.template.get(..1).unwrap_or("");
    let mut general = General {
        transaction_uuid: transaction_uuid(&d.key),
        invoice_type,
        template_code: &d.template,
        invoice_series: &d.serial,
        invoice_issued_date: epoch_ms(now),
        currency_code: "VND",
        adjustment_type: "1",
        payment_status: settings.mark_paid_on_issue,
        // The buyer may look the invoice up on Viettel's portal.
        cus_get_invoice_right: true,
        // Viettel checks the tax data while creating the invoice.
        validation: 1,
        adjustment_invoice_type: None,
        original_invoice_id: None,
        original_invoice_issue_date: None,
        original_template_code: None,
        additional_reference_desc: None,
        additional_reference_date: None,
    };
    // How the lines go: as sold; or, for a money adjustment, each line increasing or
    // decreasing the original (Odoo's golden: a decrease has a negative unit price, positive
    // totals, `isIncreaseItem` false and `adjustmentTaxAmount`; its breakdown rows are
    // flagged not positive).
    let mut change: Option<bool> = None; // Some(increase) for a money adjustment
    match purpose {
        Purpose::Original => {}
        Purpose::Adjust { original, kind, agreement } => {
            general.adjustment_type = "5";
            general.adjustment_invoice_type = Some(match kind {
                AdjustKind::Information => "2",
                AdjustKind::Increase | AdjustKind::Decrease => "1",
            });
            change = match kind {
                AdjustKind::Increase => Some(true),
                AdjustKind::Decrease => Some(false),
                AdjustKind::Information => None,
            };
            refer(&mut general, original, agreement);
        }
        Purpose::Replace { original, agreement } => {
            general.adjustment_type = "3";
            // Odoo sends the wizard's type, "1" by default, on replacements too.
            general.adjustment_invoice_type = Some("1");
            refer(&mut general, original, agreement);
        }
    }
    let positive = change != Some(false);
    InvoiceBody {
        general_invoice_info: general,
        buyer_info: buyer(d),
        // Only the tax code: Viettel prints the seller as registered with the account.
        seller_info: SellerInfo { seller_tax_code: settings.tax_code() },
        payments: [Payment { payment_method_name: d.payment_method.trim() }],
        item_info: d.lines.iter().map(|l| item(l, change)).collect(),
        tax_breakdowns: d
            .totals
            .by_rate
            .iter()
            .map(|r| Breakdown {
                tax_percentage: tax_percentage(r.rate),
                taxable_amount: r.subtotal.0,
                tax_amount: r.vat.0,
                taxable_amount_pos: positive,
                tax_amount_pos: positive,
            })
            .collect(),
    }
}

fn refer<'a>(general: &mut General<'a>, original: &'a Original, agreement: &'a Agreement) {
    general.original_invoice_id = Some(&original.invoice_no);
    general.original_invoice_issue_date = Some(original.issued_ms);
    general.original_template_code = Some(&original.template);
    general.additional_reference_desc = Some(agreement.document.trim());
    general.additional_reference_date = Some(epoch_ms(agreement.date));
}

/// The buyer: `buyerLegalName` the unit (a business; empty for a person, who is no unit),
/// `buyerName` the person who bought, or the unit when no person is named. A walk-in buyer
/// is "Khách lẻ" with nothing else, as the other clients send it.
fn buyer(d: &InvoiceDraft) -> BuyerInfo<'_> {
    let b = &d.buyer;
    let name = if b.buyer_name.trim().is_empty() { b.name.trim() } else { b.buyer_name.trim() };
    BuyerInfo {
        buyer_name: name,
        buyer_legal_name: b.name.trim(),
        buyer_tax_code: b.tax_code.as_deref().map(str::trim).unwrap_or(""),
        buyer_address_line: b.address.trim(),
        buyer_phone_number: phone_digits(&b.phone),
        buyer_email: b.email.trim(),
        // 0: Viettel sends the invoice to the buyer (1 would mean the buyer takes none).
        buyer_not_get_invoice: 0,
    }
}

fn item(line: &Line, change: Option<bool>) -> Item<'_> {
    let with_tax = line.amount.0 + line.vat_amount.0;
    let mut it = Item {
        item_code: "",
        item_name: line.name.trim(),
        unit_name: line.unit.trim(),
        unit_price: line.unit_price.0,
        quantity: quantity(line.quantity),
        item_total_amount_without_tax: line.amount.0,
        tax_percentage: tax_percentage(line.vat_rate),
        tax_amount: line.vat_amount.0,
        discount: 0,
        item_total_amount_after_discount: line.amount.0,
        item_total_amount_with_tax: with_tax,
        selection: SELECTION_GOODS,
        adjustment_tax_amount: None,
        is_increase_item: None,
    };
    if line.amount.0 < 0 {
        // A line that takes money off (a discount, a returned item): Viettel wants it as a
        // discount row, every amount non-negative and `isIncreaseItem` false (Odoo's newest
        // branch does the same with discount and down-payment rows).
        it.selection = SELECTION_DISCOUNT;
        it.unit_price = line.unit_price.0.abs();
        it.quantity = quantity(Quantity(line.quantity.0.abs()));
        it.item_total_amount_without_tax = line.amount.0.abs();
        it.tax_amount = line.vat_amount.0.abs();
        it.item_total_amount_after_discount = line.amount.0.abs();
        it.item_total_amount_with_tax = with_tax.abs();
        it.is_increase_item = Some(false);
    }
    if let Some(increase) = change {
        it.adjustment_tax_amount = Some(it.tax_amount);
        if !increase {
            it.unit_price = -it.unit_price.abs();
        }
        it.is_increase_item = Some(increase && line.amount.0 >= 0);
    }
    it
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> InvoiceKey {
        InvoiceKey::new(k).unwrap()
    }

    /// Checked against Python's `uuid.uuid3(uuid.NAMESPACE_URL, "urn:hoadon:invoice-key:" + key)`.
    #[test]
    fn the_transaction_uuid_is_the_name_based_uuid_of_the_key() {
        assert_eq!(transaction_uuid(&key("HD-2026-0001")), "5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1");
        assert_eq!(transaction_uuid(&key("K-1")), "b4ca52e6-5be6-3e6e-918e-374891519bf5");
        let long = key("HD9223372036854775807-ABCDEFGHJKMNPQRS");
        assert_eq!(transaction_uuid(&long), "8de18ebf-a64f-305a-8f9f-e8fb4d65c4b6");
        assert_eq!(transaction_uuid(&long).len(), 36);
        assert_ne!(transaction_uuid(&key("a")), transaction_uuid(&key("A")));
    }

    #[test]
    fn forms_escape_what_is_not_plain() {
        assert_eq!(form(&[("a", "x y"), ("reasonDelete", "Hủy & lập lại"), ("n", "1/001")]), "a=x+y&reasonDelete=H%E1%BB%A7y+%26+l%E1%BA%ADp+l%E1%BA%A1i&n=1%2F001");
    }

    #[test]
    fn phones_keep_digits_only() {
        assert_eq!(phone_digits("3825 7670"), "38257670");
        assert_eq!(phone_digits("+84 (90) 123-45.67"), "0084901234567");
        assert_eq!(phone_digits(""), "");
    }

    #[test]
    fn rates_and_quantities_are_numbers() {
        let text = |n: Number| n.to_string();
        assert_eq!(text(tax_percentage(VatRate::Ten)), "10");
        assert_eq!(text(tax_percentage(VatRate::Zero)), "0");
        assert_eq!(text(tax_percentage(VatRate::Kct)), "-2");
        assert_eq!(text(tax_percentage(VatRate::Kkknt)), "-1");
        assert_eq!(text(tax_percentage(VatRate::Khac(526))), "5.26");
        assert_eq!(text(quantity(Quantity(2000))), "2");
        assert_eq!(text(quantity(Quantity(1500))), "1.5");
        assert_eq!(text(quantity(Quantity(250))), "0.25");
        assert_eq!(epoch_ms(1_704_067_200), 1_704_067_200_000);
    }
}
