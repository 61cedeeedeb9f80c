//! One function per VNPT Invoice SOAP call, each returning the exact bytes that go out.
//!
//! SOAP 1.1, document/literal, namespace `http://tempuri.org/`, header
//! `SOAPAction: "http://tempuri.org/<Operation>"`. Parameter names are case-sensitive and
//! follow the published WSDLs (they differ between operations: `password` / `pass` /
//! `userPass`). The invoice XML travels as escaped text inside its string parameter.

use crate::draft::{AdjustKind, InvoiceDraft, InvoiceKey, Line};
use crate::http::HttpRequest;
use crate::xml::XmlOut;
use hoadon_rules::calendar::format_date;
use hoadon_rules::VatRate;
use time::Date;

use super::VnptSettings;

/// The namespace of every VNPT operation and parameter element.
pub const NAMESPACE: &str = "http://tempuri.org/";

/// The three services on a tenant's host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `PublishService.asmx`: importing and issuing, signing drafts, tax verdicts, customers.
    Publish,
    /// `BusinessService.asmx`: cancelling, adjusting, replacing, payment marks, reports.
    Business,
    /// `PortalService.asmx`: lookups by key, views, downloads, the pattern list.
    Portal,
}

impl Service {
    /// The service's path on the tenant's host.
    pub fn path(self) -> &'static str {
        match self {
            Service::Publish => "PublishService.asmx",
            Service::Business => "BusinessService.asmx",
            Service::Portal => "PortalService.asmx",
        }
    }
}

/// A customer for `UpdateCus`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// `CusCode`: the customer's code in the shop.
    pub code: String,
    /// `CusName`.
    pub name: String,
    /// `CusTaxCode`; empty for a person.
    pub tax_code: String,
    /// `CusAddress`.
    pub address: String,
    /// `CusEmail`.
    pub email: String,
    /// `CusPhone`.
    pub phone: String,
    /// `CusType`: 1 company, 0 person.
    pub is_company: bool,
}

/// The SOAP envelope around one call, parameters in the WSDL's order.
pub fn envelope(operation: &str, params: &[(&str, &str)]) -> String {
    let mut x = XmlOut::new();
    x.declaration();
    x.open_with(
        "soap:Envelope",
        &[
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
            ("xmlns:soap", "http://schemas.xmlsoap.org/soap/envelope/"),
        ],
    );
    x.open("soap:Body");
    x.open_with(operation, &[("xmlns", NAMESPACE)]);
    for (name, value) in params {
        x.leaf(name, value);
    }
    x.close(operation);
    x.close("soap:Body");
    x.close("soap:Envelope");
    x.finish()
}

/// The POST of one SOAP call to `service`: `text/xml` body and the `SOAPAction` header.
pub fn soap(service: Service, operation: &str, params: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: "POST",
        path: service.path().to_string(),
        headers: vec![
            ("Content-Type", "text/xml; charset=utf-8".to_string()),
            ("SOAPAction", format!("\"{NAMESPACE}{operation}\"")),
        ],
        body: envelope(operation, params),
    }
}

/// A call under the tenant's own parameter names where its WSDL names them differently
/// ([`VnptSettings::param_names`], matched by position), else the published ones.
fn tenant_soap(s: &VnptSettings, service: Service, operation: &str, params: &[(&str, &str)]) -> HttpRequest {
    // The cash-register variant is not in the WSDL and takes ImportAndPublishInv's parameters.
    let described = if operation == "ImportAndPublishInvMTT" { "ImportAndPublishInv" } else { operation };
    match s.param_names.get(described) {
        Some(names) if names.len() == params.len() => {
            let renamed: Vec<(&str, &str)> = names.iter().zip(params).map(|(name, (_, value))| (name.as_str(), *value)).collect();
            soap(service, operation, &renamed)
        }
        _ => soap(service, operation, params),
    }
}

/// Every call the client makes, with its service and the parameters it sends in order (the
/// published TT78 WSDLs): what "Kiểm tra kết nối" compares with the tenant's WSDL. A test
/// holds it to the builders below.
pub const CALLS: &[(Service, &str, &[&str])] = &[
    (Service::Publish, "ImportAndPublishInv", &["Account", "ACpass", "xmlInvData", "username", "password", "pattern", "serial", "convert"]),
    (Service::Publish, "ImportInvByPattern", &["Account", "ACpass", "xmlInvData", "username", "password", "pattern", "serial", "convert"]),
    (Service::Publish, "PublishInvFkey", &["Account", "ACpass", "lsFkey", "username", "password", "pattern", "serial"]),
    (Service::Publish, "GetMCCQThueByFkeys", &["Account", "ACpass", "username", "password", "pattern", "fkeys"]),
    (Service::Publish, "UpdateCus", &["XMLCusData", "username", "pass", "convert"]),
    (Service::Business, "cancelInv", &["Account", "ACpass", "fkey", "userName", "userPass"]),
    (Service::Business, "adjustInv", &["Account", "ACpass", "xmlInvData", "username", "pass", "fkey", "convert"]),
    (Service::Business, "replaceInv", &["Account", "ACpass", "xmlInvData", "username", "pass", "fkey", "convert"]),
    (Service::Business, "confirmPaymentFkey", &["lstFkey", "userName", "userPass"]),
    (Service::Business, "UnConfirmPaymentFkey", &["lstFkey", "userName", "userPass"]),
    (Service::Business, "reportInvUsed", &["year", "quarter", "currentQuater", "username", "pass"]),
    (Service::Business, "reportMonth", &["year", "month", "username", "pass"]),
    (Service::Business, "getSerialByPattern", &["userName", "userPass", "pattern"]),
    (Service::Portal, "listInvByCusFkey", &["key", "fromDate", "toDate", "userName", "userPass"]),
    (Service::Portal, "listInvFromNoToNo", &["invFromNo", "invToNo", "invPattern", "invSerial", "userName", "userPass"]),
    (Service::Portal, "getInvViewFkey", &["fkey", "userName", "userPass"]),
    (Service::Portal, "downloadInvFkeyNoPay", &["fkey", "userName", "userPass"]),
    (Service::Portal, "downloadInvPDFFkeyNoPay", &["fkey", "userName", "userPass"]),
    (Service::Portal, "listPatternByCom", &["userName", "pass", "comid"]),
];

fn convert(s: &VnptSettings) -> String {
    s.convert.to_string()
}

/// `PublishService.ImportAndPublishInv(Account, ACpass, xmlInvData, username, password,
/// pattern, serial, convert)`: creates and signs a batch (at most 5000), all or none.
pub fn import_and_publish_inv(s: &VnptSettings, drafts: &[InvoiceDraft]) -> HttpRequest {
    import("ImportAndPublishInv", s, drafts)
}

/// `PublishService.ImportAndPublishInvMTT`: the same for invoices from a cash register; the
/// answer adds the tax-authority code of each invoice.
pub fn import_and_publish_inv_mtt(s: &VnptSettings, drafts: &[InvoiceDraft]) -> HttpRequest {
    import("ImportAndPublishInvMTT", s, drafts)
}

/// `PublishService.ImportInvByPattern(Account, ACpass, xmlInvData, username, password,
/// pattern, serial, convert)`: creates a batch (at most 5000) without signing it; the
/// invoices wait as drafts ("Mới tạo lập") for [`publish_inv_fkey`]. Same parameters and
/// same `xmlInvData` as `ImportAndPublishInv`.
pub fn import_inv_by_pattern(s: &VnptSettings, drafts: &[InvoiceDraft]) -> HttpRequest {
    import("ImportInvByPattern", s, drafts)
}

fn import(operation: &str, s: &VnptSettings, drafts: &[InvoiceDraft]) -> HttpRequest {
    let (pattern, serial) = drafts.first().map(|d| (d.template.as_str(), d.serial.as_str())).unwrap_or(("", ""));
    let xml = invoices_xml(s, drafts);
    tenant_soap(s, 
        Service::Publish,
        operation,
        &[
            ("Account", &s.account),
            ("ACpass", s.ac_password.expose()),
            ("xmlInvData", &xml),
            ("username", &s.username),
            ("password", s.password.expose()),
            ("pattern", pattern),
            ("serial", serial),
            ("convert", &convert(s)),
        ],
    )
}

/// `BusinessService.cancelInv(Account, ACpass, fkey, userName, userPass)`.
pub fn cancel_inv(s: &VnptSettings, key: &InvoiceKey) -> HttpRequest {
    tenant_soap(s, 
        Service::Business,
        "cancelInv",
        &[("Account", &s.account), ("ACpass", s.ac_password.expose()), ("fkey", key.as_str()), ("userName", &s.username), ("userPass", s.password.expose())],
    )
}

/// `BusinessService.adjustInv(Account, ACpass, xmlInvData, username, pass, fkey, convert)`:
/// `fkey` names the invoice adjusted, the new one travels as `<AdjustInv>` with its own key.
pub fn adjust_inv(s: &VnptSettings, original: &InvoiceKey, kind: AdjustKind, draft: &InvoiceDraft) -> HttpRequest {
    let xml = change_xml(s, "AdjustInv", Some(kind), draft);
    change("adjustInv", s, original, &xml)
}

/// `BusinessService.replaceInv(Account, ACpass, xmlInvData, username, pass, fkey, convert)`.
pub fn replace_inv(s: &VnptSettings, original: &InvoiceKey, draft: &InvoiceDraft) -> HttpRequest {
    let xml = change_xml(s, "ReplaceInv", None, draft);
    change("replaceInv", s, original, &xml)
}

fn change(operation: &str, s: &VnptSettings, original: &InvoiceKey, xml: &str) -> HttpRequest {
    tenant_soap(s, 
        Service::Business,
        operation,
        &[
            ("Account", &s.account),
            ("ACpass", s.ac_password.expose()),
            ("xmlInvData", xml),
            ("username", &s.username),
            ("pass", s.password.expose()),
            ("fkey", original.as_str()),
            ("convert", &convert(s)),
        ],
    )
}

/// Keys joined by `_`, the separator of `lstFkey` (which is why keys may not contain it).
pub fn fkey_list(keys: &[InvoiceKey]) -> String {
    keys.iter().map(InvoiceKey::as_str).collect::<Vec<_>>().join("_")
}

/// `PublishService.PublishInvFkey(Account, ACpass, lsFkey, username, password, pattern,
/// serial)`: signs the drafts named by their keys (at most 200). Note `lsFkey`, not the
/// payment calls' `lstFkey`.
pub fn publish_inv_fkey(s: &VnptSettings, keys: &[InvoiceKey], pattern: &str, serial: &str) -> HttpRequest {
    let list = fkey_list(keys);
    tenant_soap(s, 
        Service::Publish,
        "PublishInvFkey",
        &[
            ("Account", &s.account),
            ("ACpass", s.ac_password.expose()),
            ("lsFkey", &list),
            ("username", &s.username),
            ("password", s.password.expose()),
            ("pattern", pattern),
            ("serial", serial),
        ],
    )
}

/// `PublishService.GetMCCQThueByFkeys(Account, ACpass, username, password, pattern, fkeys)`:
/// the tax authority's verdict on each key. Keys are joined by `;`, as public clients do.
pub fn get_mccq_thue_by_fkeys(s: &VnptSettings, pattern: &str, keys: &[InvoiceKey]) -> HttpRequest {
    let list = keys.iter().map(InvoiceKey::as_str).collect::<Vec<_>>().join(";");
    tenant_soap(s, 
        Service::Publish,
        "GetMCCQThueByFkeys",
        &[
            ("Account", &s.account),
            ("ACpass", s.ac_password.expose()),
            ("username", &s.username),
            ("password", s.password.expose()),
            ("pattern", pattern),
            ("fkeys", &list),
        ],
    )
}

/// `PortalService.listPatternByCom(userName, pass, comid)`: the tenant's patterns. An empty
/// `comid` asks for the company of the service account.
pub fn list_pattern_by_com(s: &VnptSettings) -> HttpRequest {
    tenant_soap(s, Service::Portal, "listPatternByCom", &[("userName", &s.username), ("pass", s.password.expose()), ("comid", "")])
}

/// `BusinessService.getSerialByPattern(userName, userPass, pattern)`: the serials of a
/// pattern with their number ranges.
pub fn get_serial_by_pattern(s: &VnptSettings, pattern: &str) -> HttpRequest {
    tenant_soap(s, Service::Business, "getSerialByPattern", &[("userName", &s.username), ("userPass", s.password.expose()), ("pattern", pattern)])
}

/// `BusinessService.confirmPaymentFkey(lstFkey, userName, userPass)`.
pub fn confirm_payment_fkey(s: &VnptSettings, keys: &[InvoiceKey]) -> HttpRequest {
    let list = fkey_list(keys);
    tenant_soap(s, Service::Business, "confirmPaymentFkey", &[("lstFkey", &list), ("userName", &s.username), ("userPass", s.password.expose())])
}

/// `BusinessService.UnConfirmPaymentFkey(lstFkey, userName, userPass)`.
pub fn unconfirm_payment_fkey(s: &VnptSettings, keys: &[InvoiceKey]) -> HttpRequest {
    let list = fkey_list(keys);
    tenant_soap(s, Service::Business, "UnConfirmPaymentFkey", &[("lstFkey", &list), ("userName", &s.username), ("userPass", s.password.expose())])
}

/// `PublishService.UpdateCus(XMLCusData, username, pass, convert)`: answers an integer.
pub fn update_cus(s: &VnptSettings, customers: &[Customer]) -> HttpRequest {
    let xml = customers_xml(customers);
    tenant_soap(s, Service::Publish, "UpdateCus", &[("XMLCusData", &xml), ("username", &s.username), ("pass", s.password.expose()), ("convert", &convert(s))])
}

/// `PortalService.listInvByCusFkey(key, fromDate, toDate, userName, userPass)`; empty dates
/// mean all dates.
pub fn list_inv_by_cus_fkey(s: &VnptSettings, key: &InvoiceKey, from: Option<Date>, to: Option<Date>) -> HttpRequest {
    let from = from.map(format_date).unwrap_or_default();
    let to = to.map(format_date).unwrap_or_default();
    tenant_soap(s, 
        Service::Portal,
        "listInvByCusFkey",
        &[("key", key.as_str()), ("fromDate", &from), ("toDate", &to), ("userName", &s.username), ("userPass", s.password.expose())],
    )
}

/// `PortalService.listInvFromNoToNo(invFromNo, invToNo, invPattern, invSerial, userName,
/// userPass)`: the invoices numbered `from..=to` in one template and symbol (at most 100 an
/// answer, says the document).
pub fn list_inv_from_no_to_no(s: &VnptSettings, from: u64, to: u64, pattern: &str, serial: &str) -> HttpRequest {
    tenant_soap(
        s,
        Service::Portal,
        "listInvFromNoToNo",
        &[
            ("invFromNo", &from.to_string()),
            ("invToNo", &to.to_string()),
            ("invPattern", pattern),
            ("invSerial", serial),
            ("userName", &s.username),
            ("userPass", s.password.expose()),
        ],
    )
}

fn by_fkey(operation: &str, s: &VnptSettings, key: &InvoiceKey) -> HttpRequest {
    tenant_soap(s, Service::Portal, operation, &[("fkey", key.as_str()), ("userName", &s.username), ("userPass", s.password.expose())])
}

/// `PortalService.downloadInvPDFFkeyNoPay(fkey, userName, userPass)`: base64 of the PDF.
pub fn download_inv_pdf_fkey_no_pay(s: &VnptSettings, key: &InvoiceKey) -> HttpRequest {
    by_fkey("downloadInvPDFFkeyNoPay", s, key)
}

/// `PortalService.downloadInvFkeyNoPay(fkey, userName, userPass)`: the invoice XML.
pub fn download_inv_fkey_no_pay(s: &VnptSettings, key: &InvoiceKey) -> HttpRequest {
    by_fkey("downloadInvFkeyNoPay", s, key)
}

/// `PortalService.getInvViewFkey(fkey, userName, userPass)`: the invoice as HTML.
pub fn get_inv_view_fkey(s: &VnptSettings, key: &InvoiceKey) -> HttpRequest {
    by_fkey("getInvViewFkey", s, key)
}

/// `BusinessService.reportInvUsed(year, quarter, currentQuater, username, pass)`: the
/// quarterly usage report (XML). `currentQuater` (spelt so in the WSDL) is 1 when the quarter
/// asked is the current one, whose figures still move.
pub fn report_inv_used(s: &VnptSettings, year: i32, quarter: u8, current: bool) -> HttpRequest {
    tenant_soap(s, 
        Service::Business,
        "reportInvUsed",
        &[
            ("year", &year.to_string()),
            ("quarter", &quarter.to_string()),
            ("currentQuater", if current { "1" } else { "0" }),
            ("username", &s.username),
            ("pass", s.password.expose()),
        ],
    )
}

/// `BusinessService.reportMonth(year, month, username, pass)`: the monthly list of goods (XML).
pub fn report_month(s: &VnptSettings, year: i32, month: u8) -> HttpRequest {
    tenant_soap(s, 
        Service::Business,
        "reportMonth",
        &[("year", &year.to_string()), ("month", &month.to_string()), ("username", &s.username), ("pass", s.password.expose())],
    )
}

/// `<Invoices><Inv><key>…</key><Invoice>…</Invoice></Inv>…</Invoices>`.
pub fn invoices_xml(s: &VnptSettings, drafts: &[InvoiceDraft]) -> String {
    let mut x = XmlOut::new();
    x.open("Invoices");
    for d in drafts {
        x.open("Inv");
        x.leaf("key", d.key.as_str());
        x.open("Invoice");
        invoice_fields(s, &mut x, d, None);
        x.close("Invoice");
        x.close("Inv");
    }
    x.close("Invoices");
    x.finish()
}

/// `<AdjustInv>` / `<ReplaceInv>` with the new invoice's key.
pub fn change_xml(s: &VnptSettings, root: &str, kind: Option<AdjustKind>, d: &InvoiceDraft) -> String {
    let mut x = XmlOut::new();
    x.open(root);
    x.leaf("key", d.key.as_str());
    invoice_fields(s, &mut x, d, kind);
    x.close(root);
    x.finish()
}

/// What a walk-in buyer's `CusAddress` says. Document 004 marks `CusCode`, `CusName` and
/// `CusAddress` required (*), while Decree 123/2020 art. 10.14(a) (as amended by Decree
/// 70/2025) lets an invoice to a consumer who is not in business leave out the buyer's name,
/// address and tax code: so the element states that the buyer gave none instead of being
/// empty, which VNPT refuses.
pub const WALK_IN_ADDRESS: &str = "Người mua không cung cấp địa chỉ";

fn invoice_fields(s: &VnptSettings, x: &mut XmlOut, d: &InvoiceDraft, kind: Option<AdjustKind>) {
    // CusCode is required; a retail buyer has none in VNPT's customer list, so the tax code
    // (a company) or the invoice key (a walk-in buyer) stands in.
    let cus_code = d.buyer.tax_code.clone().unwrap_or_else(|| d.key.to_string());
    x.leaf("CusCode", &cus_code);
    // A person is `Buyer` (Họ tên người mua hàng), a business `CusName` with its buyer in
    // `Buyer`; document 004 marks `CusName` required on every invoice, so a person's name is
    // there as well.
    x.optional("Buyer", &d.buyer.buyer_name);
    x.leaf("CusName", if d.buyer.name.trim().is_empty() { &d.buyer.buyer_name } else { &d.buyer.name });
    let address = if d.buyer.walk_in && d.buyer.address.trim().is_empty() { WALK_IN_ADDRESS } else { d.buyer.address.as_str() };
    x.leaf("CusAddress", address);
    x.optional("CusPhone", &d.buyer.phone);
    x.optional("CusTaxCode", d.buyer.tax_code.as_deref().unwrap_or(""));
    x.optional("CusEmail", &d.buyer.email);
    x.leaf("PaymentMethod", &d.payment_method);
    if let Some(kind) = kind {
        x.leaf("Type", &kind.code().to_string());
    }
    if let Some(code) = &d.tax_authority_code {
        x.leaf("MCCQT", code);
    }
    x.open("Products");
    for line in &d.lines {
        product(x, line);
    }
    x.close("Products");
    x.leaf("Total", &d.totals.subtotal.0.to_string());
    // Document 004 marks the invoice's VATRate required (*). With several rates it names no
    // code, so the first rate printed (the highest) goes here and the per-rate sums below
    // carry the split (unverified which value VNPT expects then).
    if let Some(rate) = d.uniform_rate().or_else(|| d.totals.by_rate.first().map(|r| r.rate)) {
        x.leaf("VATRate", &rate_code(rate));
    }
    x.leaf("VATAmount", &d.totals.vat.0.to_string());
    x.leaf("Amount", &d.totals.total.0.to_string());
    for r in &d.totals.by_rate {
        let suffix = match r.rate {
            VatRate::Ten => "10",
            VatRate::Eight => "8",
            VatRate::Five => "5",
            VatRate::Zero => "0",
            // Not subject / not declared / other rates have no VAT column of their own.
            _ => continue,
        };
        x.leaf(&format!("GrossValue{suffix}"), &r.subtotal.0.to_string());
        x.leaf(&format!("VatAmount{suffix}"), &r.vat.0.to_string());
    }
    x.leaf("AmountInWords", &d.amount_in_words);
    x.leaf("ArisingDate", &format_date(d.issue_date));
    x.leaf("PaymentStatus", if s.mark_paid_on_issue { "1" } else { "0" });
}

fn product(x: &mut XmlOut, line: &Line) {
    x.open("Product");
    x.leaf("ProdName", &line.name);
    x.leaf("ProdUnit", &line.unit);
    x.leaf("ProdQuantity", &crate::easyinvoice::requests::quantity_text(line.quantity));
    x.leaf("ProdPrice", &line.unit_price.0.to_string());
    x.leaf("Amount", &line.amount.0.to_string());
    x.leaf("VATRate", &rate_code(line.vat_rate));
    x.leaf("VATAmount", &line.vat_amount.0.to_string());
    x.close("Product");
}

/// VNPT rate codes: the percentage, −1 not subject (KCT), −2 not declared (KKKNT); another
/// rate is sent as its percentage (`5.26`).
pub fn rate_code(rate: VatRate) -> String {
    match rate {
        VatRate::Kct => "-1".into(),
        VatRate::Kkknt => "-2".into(),
        VatRate::Khac(bp) => {
            let whole = bp / 100;
            let frac = bp % 100;
            if frac == 0 { whole.to_string() } else { format!("{whole}.{}", format!("{frac:02}").trim_end_matches('0')) }
        }
        other => other.code(),
    }
}

/// `<Customers><Customer>…</Customer>…</Customers>` for `UpdateCus`.
pub fn customers_xml(customers: &[Customer]) -> String {
    let mut x = XmlOut::new();
    x.open("Customers");
    for c in customers {
        x.open("Customer");
        x.leaf("Name", &c.name);
        x.leaf("Code", &c.code);
        x.optional("TaxCode", &c.tax_code);
        x.leaf("Address", &c.address);
        x.leaf("Email", &c.email);
        x.optional("Phone", &c.phone);
        x.leaf("CusType", if c.is_company { "1" } else { "0" });
        x.close("Customer");
    }
    x.close("Customers");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::{Buyer, InvoiceDraft, Line};
    use hoadon_rules::symbol::InvoiceSymbol;
    use hoadon_rules::words::ZeroTens;
    use hoadon_rules::{Dong, Quantity};

    fn settings() -> VnptSettings {
        VnptSettings {
            base_url: "http://127.0.0.1:1".into(),
            account: "admin".into(),
            ac_password: "a".into(),
            username: "service".into(),
            password: "p".into(),
            pattern: "1/001".into(),
            serial: "C26TAA".into(),
            convert: 0,
            mark_paid_on_issue: true,
            param_names: Default::default(),
            timeouts: crate::Timeouts::default(),
        }
    }

    fn draft() -> InvoiceDraft {
        let symbol = InvoiceSymbol::parse("1", "C26TAA").unwrap();
        let line = Line::new("Trà", "gói", Quantity::whole(1), Dong(10_000), VatRate::Ten).unwrap();
        InvoiceDraft::new(InvoiceKey::new("K-1").unwrap(), &symbol, time::macros::date!(2026 - 03 - 05), Buyer::walk_in(), vec![line], "TM/CK", ZeroTens::Linh)
            .unwrap()
            .with_pattern("1/001")
    }

    /// The operation element's children, in order: the parameter names that went out.
    fn sent(request: &HttpRequest, operation: &str) -> Vec<String> {
        let root = crate::xml::parse(&request.body).unwrap();
        root.find(operation).unwrap().children.iter().map(|c| c.name.clone()).collect()
    }

    #[test]
    fn the_table_of_calls_is_what_the_builders_send() {
        let s = settings();
        let k = InvoiceKey::new("K-1").unwrap();
        let d = draft();
        let built: Vec<(&str, HttpRequest)> = vec![
            ("ImportAndPublishInv", import_and_publish_inv(&s, std::slice::from_ref(&d))),
            ("ImportInvByPattern", import_inv_by_pattern(&s, std::slice::from_ref(&d))),
            ("PublishInvFkey", publish_inv_fkey(&s, std::slice::from_ref(&k), "1/001", "C26TAA")),
            ("GetMCCQThueByFkeys", get_mccq_thue_by_fkeys(&s, "1/001", std::slice::from_ref(&k))),
            ("UpdateCus", update_cus(&s, &[])),
            ("cancelInv", cancel_inv(&s, &k)),
            ("adjustInv", adjust_inv(&s, &k, AdjustKind::Information, &d)),
            ("replaceInv", replace_inv(&s, &k, &d)),
            ("confirmPaymentFkey", confirm_payment_fkey(&s, std::slice::from_ref(&k))),
            ("UnConfirmPaymentFkey", unconfirm_payment_fkey(&s, std::slice::from_ref(&k))),
            ("reportInvUsed", report_inv_used(&s, 2026, 1, false)),
            ("reportMonth", report_month(&s, 2026, 1)),
            ("getSerialByPattern", get_serial_by_pattern(&s, "1/001")),
            ("listInvByCusFkey", list_inv_by_cus_fkey(&s, &k, None, None)),
            ("listInvFromNoToNo", list_inv_from_no_to_no(&s, 1, 100, "1/001", "C26TAA")),
            ("getInvViewFkey", get_inv_view_fkey(&s, &k)),
            ("downloadInvFkeyNoPay", download_inv_fkey_no_pay(&s, &k)),
            ("downloadInvPDFFkeyNoPay", download_inv_pdf_fkey_no_pay(&s, &k)),
            ("listPatternByCom", list_pattern_by_com(&s)),
        ];
        assert_eq!(built.len(), CALLS.len());
        for ((service, op, params), (name, request)) in CALLS.iter().zip(&built) {
            assert_eq!(op, name);
            assert_eq!(&request.path, service.path(), "{op}");
            assert_eq!(sent(request, op), params.iter().map(|p| p.to_string()).collect::<Vec<_>>(), "{op}");
        }
    }

    #[test]
    fn the_tenants_own_names_go_out_in_the_same_places() {
        let mut s = settings();
        s.param_names.insert("cancelInv".into(), ["Account", "ACpass", "fkey", "userName", "pass"].map(String::from).to_vec());
        // A list of another length is not applied: position would not say which is which.
        s.param_names.insert("getInvViewFkey".into(), vec!["fkey".into()]);
        let k = InvoiceKey::new("K-1").unwrap();
        assert_eq!(sent(&cancel_inv(&s, &k), "cancelInv"), ["Account", "ACpass", "fkey", "userName", "pass"]);
        assert!(cancel_inv(&s, &k).body.contains("<pass>p</pass>"));
        assert_eq!(sent(&get_inv_view_fkey(&s, &k), "getInvViewFkey"), ["fkey", "userName", "userPass"]);
    }
}
