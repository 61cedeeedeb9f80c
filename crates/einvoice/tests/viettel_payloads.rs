//! Every Viettel S-Invoice request the client builds, compared whole (request line, headers,
//! body) with the request typed out by hand here from `../shared/specs/viettel-sinvoice-facts.md`
//! and the golden JSON of Odoo's `l10n_vn_edi_viettel/tests/test_edi.py`, the way Odoo's tests
//! write out the whole invoice dict.
//!
//! Nothing expected here comes from running the client. The transaction ids were computed
//! with Python's `uuid.uuid3(uuid.NAMESPACE_URL, "urn:hoadon:invoice-key:" + key)` and the
//! form bodies with Python's `urllib.parse.urlencode`, both independent of this crate.
//!
//! Then the hand-typed requests themselves (with the simulator's token in the cookie) are
//! sent to the strict Viettel simulator and must be accepted, and copies with a rate code
//! Viettel does not define, without the token, or with a used transaction id are refused.

mod fixtures;
mod written;

use fixtures::{key, viettel_draft, viettel_settings, viettel_simple_draft, VIETTEL_TAX_CODE};
use hoadon_einvoice::viettel::requests as vt;
use hoadon_einvoice::viettel::requests::{Agreement, FileType, Original, Purpose};
use hoadon_einvoice::{AdjustKind, Buyer, HttpRequest, InvoiceDraft, Line, ViettelSettings};
use hoadon_rules::symbol::InvoiceSymbol;
use hoadon_rules::words::ZeroTens;
use hoadon_rules::{Dong, Quantity, VatRate};
use hoadon_sim_einvoice::{start_viettel, SimHandle, ViettelConfig};
use serde_json::Value;
use time::macros::date;

/// `client` compared whole with the request typed in `expected`.
#[track_caller]
fn same(name: &str, client: &HttpRequest, expected: &str) {
    written::same(name, client, &written::written(expected));
}

const TOKEN: &str = "tok-123";
/// 2026-03-05 15:40:00 +07, the moment every request below is built at.
const NOW: i64 = 1_772_700_000;

fn settings() -> ViettelSettings {
    viettel_settings("https://api-vinvoice.viettel.vn")
}

/// The invoice adjusted or replaced below, as Viettel holds it.
fn original() -> Original {
    Original { invoice_no: "C26TAA1".into(), issued_ms: 1_772_690_000_000, template: "1/001".into() }
}

fn agreement() -> Agreement {
    Agreement { document: "BB-01/2026".into(), date: 1_772_695_000, reason: "Sai thông tin người mua".into() }
}

/// `POST createInvoice/{supplierTaxCode}` with the token cookie, then the body.
macro_rules! create {
    ($($body:literal),* $(,)?) => {
        concat!(
            "POST /services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/0100109106-506\n",
            "Content-Type: application/json\n",
            "Cookie: access_token=tok-123\n",
            "\n",
            $($body),*
        )
    };
}

macro_rules! form_call {
    ($route:literal, $body:literal) => {
        concat!(
            "POST /services/einvoiceapplication/api/InvoiceAPI/", $route, "\n",
            "Content-Type: application/x-www-form-urlencoded\n",
            "Cookie: access_token=tok-123\n",
            "\n",
            $body
        )
    };
}

/// The walk-in buyer's one-line sale of the fixtures (1 × 30 000 at 8%, paid TM), from
/// `buyerInfo` on; `{ITEM}` is the item's tail, `{POS}` the breakdown's flags.
const SIMPLE_TAIL: &str = concat!(
    r#""buyerInfo":{"buyerName":"Khách lẻ","buyerLegalName":"Khách lẻ","buyerTaxCode":"","buyerAddressLine":"","buyerPhoneNumber":"","buyerEmail":"","buyerNotGetInvoice":0},"#,
    r#""sellerInfo":{"sellerTaxCode":"0100109106-506"},"#,
    r#""payments":[{"paymentMethodName":"TM"}],"#,
    r#""itemInfo":[{"itemCode":"","itemName":"Trà đào","unitName":"ly","unitPrice":{PRICE},"quantity":1,"itemTotalAmountWithoutTax":30000,"taxPercentage":8,"taxAmount":2400,"discount":0,"itemTotalAmountAfterDiscount":30000,"itemTotalAmountWithTax":32400,"selection":1{ITEM}}],"#,
    r#""taxBreakdowns":[{"taxPercentage":8,"taxableAmount":30000,"taxAmount":2400,"taxableAmountPos":{POS},"taxAmountPos":{POS}}]}"#,
);

fn simple_tail(price: &str, item: &str, pos: &str) -> String {
    SIMPLE_TAIL.replace("{PRICE}", price).replace("{ITEM}", item).replace("{POS}", pos)
}

#[test]
fn login() {
    same(
        "login",
        &vt::login(&settings()),
        concat!("POST /auth/login\n", "Content-Type: application/json\n", "\n", r#"{"username":"0100109106-506","password":"viettel-pass"}"#),
    );
}

/// The three-rate sale to a company (8%, 10% with a decimal quantity, not subject): names
/// with `"`, `&`, `<` travel as JSON text; KCT is `-2`; rates in the breakdown as invoices
/// print them (10, 8, KCT).
const RICH_ISSUE: &str = create!(
            r#"{"generalInvoiceInfo":{"transactionUuid":"5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1","invoiceType":"1","templateCode":"1/001","invoiceSeries":"C26TAA","invoiceIssuedDate":1772700000000,"currencyCode":"VND","adjustmentType":"1","paymentStatus":true,"cusGetInvoiceRight":true,"validation":1},"#,
            r#""buyerInfo":{"buyerName":"Nguyễn Văn An","buyerLegalName":"Công ty TNHH \"A & B\" <Sài Gòn>","buyerTaxCode":"0312345673","buyerAddressLine":"45 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh","buyerPhoneNumber":"0901234567","buyerEmail":"ketoan@ab.vn","buyerNotGetInvoice":0},"#,
            r#""sellerInfo":{"sellerTaxCode":"0100109106-506"},"#,
            r#""payments":[{"paymentMethodName":"TM/CK"}],"#,
            r#""itemInfo":["#,
            r#"{"itemCode":"","itemName":"Cà phê sữa đá","unitName":"ly","unitPrice":25000,"quantity":2,"itemTotalAmountWithoutTax":50000,"taxPercentage":8,"taxAmount":4000,"discount":0,"itemTotalAmountAfterDiscount":50000,"itemTotalAmountWithTax":54000,"selection":1},"#,
            r#"{"itemCode":"","itemName":"Bánh mì \"đặc biệt\" & pa-tê","unitName":"ổ","unitPrice":20000,"quantity":1.5,"itemTotalAmountWithoutTax":30000,"taxPercentage":10,"taxAmount":3000,"discount":0,"itemTotalAmountAfterDiscount":30000,"itemTotalAmountWithTax":33000,"selection":1},"#,
            r#"{"itemCode":"","itemName":"Túi vải <tái chế>","unitName":"cái","unitPrice":5000,"quantity":1,"itemTotalAmountWithoutTax":5000,"taxPercentage":-2,"taxAmount":0,"discount":0,"itemTotalAmountAfterDiscount":5000,"itemTotalAmountWithTax":5000,"selection":1}],"#,
            r#""taxBreakdowns":["#,
            r#"{"taxPercentage":10,"taxableAmount":30000,"taxAmount":3000,"taxableAmountPos":true,"taxAmountPos":true},"#,
            r#"{"taxPercentage":8,"taxableAmount":50000,"taxAmount":4000,"taxableAmountPos":true,"taxAmountPos":true},"#,
            r#"{"taxPercentage":-2,"taxableAmount":5000,"taxAmount":0,"taxableAmountPos":true,"taxAmountPos":true}]}"#,
        );

#[test]
fn issue_the_three_rate_sale() {
    let d = viettel_draft("HD-2026-0001");
    same("createInvoice", &vt::create_invoice(&settings(), TOKEN, &d, &Purpose::Original, NOW), RICH_ISSUE);
}

/// The walk-in sale, key `HD-2026-0002`.
fn walk_in_typed() -> String {
    let head = r#"{"generalInvoiceInfo":{"transactionUuid":"bbf256f8-4f7c-30ef-a151-7294f80755ed","invoiceType":"1","templateCode":"1/001","invoiceSeries":"C26TAA","invoiceIssuedDate":1772700000000,"currencyCode":"VND","adjustmentType":"1","paymentStatus":true,"cusGetInvoiceRight":true,"validation":1},"#;
    format!("{}{head}{}", create!(), simple_tail("30000", "", "true"))
}

#[test]
fn issue_to_a_walk_in_buyer() {
    let d = viettel_simple_draft("HD-2026-0002");
    same("createInvoice walk-in", &vt::create_invoice(&settings(), TOKEN, &d, &Purpose::Original, NOW), &walk_in_typed());

    // Unpaid at issue when the shop says so.
    let unpaid = ViettelSettings { mark_paid_on_issue: false, ..settings() };
    let body = vt::create_invoice(&unpaid, TOKEN, &d, &Purpose::Original, NOW).body;
    assert!(body.contains(r#""paymentStatus":false"#), "{body}");
}

/// Replacement: `adjustmentType` 3 and the original's fields (Odoo's golden also sends
/// `adjustmentInvoiceType` 1 on a replacement); the items are the new invoice's, positive.
/// The walk-in sale under key `HD-2026-0003` replacing `C26TAA1`.
fn replace_typed() -> String {
    let head = concat!(
        r#"{"generalInvoiceInfo":{"transactionUuid":"8ae44b0c-d6b5-3d23-991f-11b491ccdef8","invoiceType":"1","templateCode":"1/001","invoiceSeries":"C26TAA","invoiceIssuedDate":1772700000000,"currencyCode":"VND","adjustmentType":"3","paymentStatus":true,"cusGetInvoiceRight":true,"validation":1,"#,
        r#""adjustmentInvoiceType":"1","originalInvoiceId":"C26TAA1","originalInvoiceIssueDate":1772690000000,"originalTemplateCode":"1/001","additionalReferenceDesc":"BB-01/2026","additionalReferenceDate":1772695000000},"#,
    );
    format!("{}{head}{}", create!(), simple_tail("30000", "", "true"))
}

#[test]
fn replace() {
    let d = viettel_simple_draft("HD-2026-0003");
    let (o, a) = (original(), agreement());
    same("createInvoice replace", &vt::create_invoice(&settings(), TOKEN, &d, &Purpose::Replace { original: &o, agreement: &a }, NOW), &replace_typed());
}

/// Adjustments: `adjustmentType` 5. Money (`adjustmentInvoiceType` 1): each item carries
/// `adjustmentTaxAmount` and `isIncreaseItem`; a decrease has a negative unit price with
/// positive totals and its breakdown flagged not positive (Odoo's credit-note golden).
/// Information (2): the items as they are. Each is the walk-in sale adjusting `C26TAA1`:
/// (name, key, kind, typed request).
fn adjust_typed() -> [(&'static str, &'static str, AdjustKind, String); 3] {
    let general = |uuid: &str, kind: &str| {
        format!(
            concat!(
                r#"{{"generalInvoiceInfo":{{"transactionUuid":"{}","invoiceType":"1","templateCode":"1/001","invoiceSeries":"C26TAA","invoiceIssuedDate":1772700000000,"currencyCode":"VND","adjustmentType":"5","paymentStatus":true,"cusGetInvoiceRight":true,"validation":1,"#,
                r#""adjustmentInvoiceType":"{}","originalInvoiceId":"C26TAA1","originalInvoiceIssueDate":1772690000000,"originalTemplateCode":"1/001","additionalReferenceDesc":"BB-01/2026","additionalReferenceDate":1772695000000}},"#,
            ),
            uuid, kind
        )
    };
    let typed = |uuid: &str, kind: &str, tail: String| format!("{}{}{tail}", create!(), general(uuid, kind));
    [
        ("decrease", "HD-2026-0004", AdjustKind::Decrease, typed("8e08b92b-5ec8-3987-988c-e37b066a42c2", "1", simple_tail("-30000", r#","adjustmentTaxAmount":2400,"isIncreaseItem":false"#, "false"))),
        ("increase", "HD-2026-0005", AdjustKind::Increase, typed("c042b49e-553d-355a-885d-e1e089cb129b", "1", simple_tail("30000", r#","adjustmentTaxAmount":2400,"isIncreaseItem":true"#, "true"))),
        ("information", "HD-2026-0006", AdjustKind::Information, typed("8aad5328-c962-3e84-a255-fd5809409662", "2", simple_tail("30000", "", "true"))),
    ]
}

#[test]
fn adjust() {
    let (o, a) = (original(), agreement());
    for (name, k, kind, typed) in adjust_typed() {
        let d = viettel_simple_draft(k);
        same(name, &vt::create_invoice(&settings(), TOKEN, &d, &Purpose::Adjust { original: &o, kind, agreement: &a }, NOW), &typed);
    }
}

#[test]
fn cancel() {
    same(
        "cancelTransactionInvoice",
        &vt::cancel(&settings(), TOKEN, "1/001", "C26TAA1", 1_772_690_000_000, &agreement()),
        form_call!(
            "InvoiceWS/cancelTransactionInvoice",
            "supplierTaxCode=0100109106-506&templateCode=1%2F001&invoiceNo=C26TAA1&strIssueDate=1772690000000&additionalReferenceDesc=BB-01%2F2026&additionalReferenceDate=1772695000000&reasonDelete=Sai+th%C3%B4ng+tin+ng%C6%B0%E1%BB%9Di+mua"
        ),
    );
    // Without an agreement: Odoo's "NA", dated now.
    let none = Agreement::none(NOW, "Sai thông tin người mua");
    same(
        "cancelTransactionInvoice without agreement",
        &vt::cancel(&settings(), TOKEN, "1/001", "C26TAA1", 1_772_690_000_000, &none),
        form_call!(
            "InvoiceWS/cancelTransactionInvoice",
            "supplierTaxCode=0100109106-506&templateCode=1%2F001&invoiceNo=C26TAA1&strIssueDate=1772690000000&additionalReferenceDesc=NA&additionalReferenceDate=1772700000000&reasonDelete=Sai+th%C3%B4ng+tin+ng%C6%B0%E1%BB%9Di+mua"
        ),
    );
}

#[test]
fn search_files_templates_and_payment_marks() {
    let s = settings();
    same(
        "searchInvoiceByTransactionUuid",
        &vt::search(&s, TOKEN, &key("HD-2026-0001")),
        form_call!("InvoiceWS/searchInvoiceByTransactionUuid", "supplierTaxCode=0100109106-506&transactionUuid=5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1"),
    );
    let json_call = |route: &str, body: &str| {
        format!("POST /services/einvoiceapplication/api/InvoiceAPI/{route}\nContent-Type: application/json\nCookie: access_token=tok-123\n\n{body}")
    };
    same(
        "getInvoiceRepresentationFile PDF",
        &vt::representation_file(&s, TOKEN, "1/001", "C26TAA1", FileType::Pdf),
        &json_call("InvoiceUtilsWS/getInvoiceRepresentationFile", r#"{"supplierTaxCode":"0100109106-506","templateCode":"1/001","invoiceNo":"C26TAA1","fileType":"PDF"}"#),
    );
    same(
        "getInvoiceRepresentationFile ZIP",
        &vt::representation_file(&s, TOKEN, "1/001", "C26TAA1", FileType::Zip),
        &json_call("InvoiceUtilsWS/getInvoiceRepresentationFile", r#"{"supplierTaxCode":"0100109106-506","templateCode":"1/001","invoiceNo":"C26TAA1","fileType":"ZIP"}"#),
    );
    same(
        "getListInvoiceDataControl",
        &vt::list_invoices(&s, TOKEN, time::macros::date!(2026 - 03 - 01), time::macros::date!(2026 - 03 - 31)),
        &json_call("InvoiceUtilsWS/getListInvoiceDataControl", r#"{"supplierTaxCode":"0100109106-506","fromDate":"01/03/2026","toDate":"31/03/2026"}"#),
    );
    same("getAllInvoiceTemplates", &vt::templates(&s, TOKEN), &json_call("InvoiceUtilsWS/getAllInvoiceTemplates", r#"{"taxCode":"0100109106-506","invoiceType":"all"}"#));
    same(
        "updatePaymentStatus",
        &vt::mark_paid(&s, TOKEN, "1/001", "C26TAA1", 1_772_690_000_000),
        form_call!("InvoiceWS/updatePaymentStatus", "supplierTaxCode=0100109106-506&invoiceNo=C26TAA1&strIssueDate=1772690000000&templateCode=1%2F001"),
    );
    same(
        "cancelPaymentStatus",
        &vt::mark_unpaid(&s, TOKEN, "C26TAA1", 1_772_690_000_000),
        form_call!("InvoiceWS/cancelPaymentStatus", "supplierTaxCode=0100109106-506&invoiceNo=C26TAA1&strIssueDate=1772690000000"),
    );
}

/// A one-line draft at `rate`: 1 × 100 000.
fn at_rate(rate: VatRate) -> InvoiceDraft {
    let line = Line::new("Dịch vụ", "lần", Quantity::whole(1), Dong(100_000), rate).unwrap();
    let symbol = InvoiceSymbol::parse("1", "C26TAA").unwrap();
    InvoiceDraft::new(key("RATE-1"), &symbol, date!(2026 - 03 - 05), Buyer::walk_in(), vec![line], "TM/CK", ZeroTens::Linh).unwrap().with_pattern("1/001")
}

fn body_of(d: &InvoiceDraft) -> Value {
    serde_json::from_str(&vt::create_invoice(&settings(), TOKEN, d, &Purpose::Original, NOW).body).unwrap()
}

/// Viettel's `taxPercentage` per rate, as Viettel defines it: the percent, `-2` not subject
/// (KCT), `-1` not declared or paid (KKKNT) — the reverse of EasyInvoice's −1 / −2.
#[test]
fn every_vat_rate_has_its_tax_percentage() {
    let cases: [(VatRate, i64, i64); 6] = [
        (VatRate::Zero, 0, 0),
        (VatRate::Five, 5, 5_000),
        (VatRate::Eight, 8, 8_000),
        (VatRate::Ten, 10, 10_000),
        (VatRate::Kct, -2, 0),
        (VatRate::Kkknt, -1, 0),
    ];
    for (rate, percentage, tax) in cases {
        let v = body_of(&at_rate(rate));
        let item = &v["itemInfo"][0];
        let row = &v["taxBreakdowns"][0];
        assert_eq!(item["taxPercentage"], Value::from(percentage), "{rate:?} item");
        assert_eq!(row["taxPercentage"], Value::from(percentage), "{rate:?} breakdown");
        assert_eq!(item["taxAmount"], Value::from(tax), "{rate:?}");
        assert_eq!(row["taxAmount"], Value::from(tax), "{rate:?}");
        assert_eq!(item["itemTotalAmountWithTax"], Value::from(100_000 + tax), "{rate:?}");
        assert_eq!(v["taxBreakdowns"].as_array().unwrap().len(), 1);
    }
}

/// Odoo's `test_json_data_generation` golden (2024-01-01, template 1/001, series K24TUT, one
/// line 1000 at 10%, buyer phone "3825 7670", seller 0100109106-506): every field this client
/// shares with it has Odoo's value.
#[test]
fn what_odoo_s_golden_says() {
    let line = Line::new("[BN/1035] product_a", "Units", Quantity::whole(1), Dong(1000), VatRate::Ten).unwrap();
    let buyer = Buyer {
        name: "partner_a".into(),
        buyer_name: String::new(),
        tax_code: Some("0100109106-505".into()),
        address: "121 Hang Bac Street, Hà Nội, Hà Nội Vietnam".into(),
        email: "partner_a@gmail.com".into(),
        phone: "3825 7670".into(),
        walk_in: false,
    };
    let symbol = InvoiceSymbol::parse("1", "K24TUT").unwrap();
    let d = InvoiceDraft::new(key("ODOO-1"), &symbol, date!(2024 - 01 - 01), buyer, vec![line], "TM/CK", ZeroTens::Linh).unwrap().with_pattern("1/001");
    let s = ViettelSettings { mark_paid_on_issue: false, ..settings() };
    let v: Value = serde_json::from_str(&vt::create_invoice(&s, TOKEN, &d, &Purpose::Original, 1_704_067_200).body).unwrap();
    let expected: Value = serde_json::from_str(
        r#"{
        "generalInvoiceInfo": {"transactionUuid": "1885a6a8-27c2-3587-ba69-95b6750e3074", "invoiceType": "1", "templateCode": "1/001", "invoiceSeries": "K24TUT",
            "invoiceIssuedDate": 1704067200000, "currencyCode": "VND", "adjustmentType": "1", "paymentStatus": false, "cusGetInvoiceRight": true, "validation": 1},
        "buyerInfo": {"buyerName": "partner_a", "buyerLegalName": "partner_a", "buyerTaxCode": "0100109106-505",
            "buyerAddressLine": "121 Hang Bac Street, Hà Nội, Hà Nội Vietnam", "buyerPhoneNumber": "38257670", "buyerEmail": "partner_a@gmail.com", "buyerNotGetInvoice": 0},
        "sellerInfo": {"sellerTaxCode": "0100109106-506"},
        "payments": [{"paymentMethodName": "TM/CK"}],
        "itemInfo": [{"itemCode": "", "itemName": "[BN/1035] product_a", "unitName": "Units", "unitPrice": 1000, "quantity": 1, "itemTotalAmountWithoutTax": 1000,
            "taxPercentage": 10, "taxAmount": 100, "discount": 0, "itemTotalAmountAfterDiscount": 1000, "itemTotalAmountWithTax": 1100, "selection": 1}],
        "taxBreakdowns": [{"taxPercentage": 10, "taxableAmount": 1000, "taxAmount": 100, "taxableAmountPos": true, "taxAmountPos": true}]
    }"#,
    )
    .unwrap();
    assert_eq!(v, expected);
    assert_eq!(VIETTEL_TAX_CODE, "0100109106-506");
}

// ---------------------------------------------------------------- the typed requests, sent

/// Sends a typed request as it is, with `token` in place of the typed one; answers the HTTP
/// status and the JSON body.
async fn send(sim: &SimHandle, typed: &str, token: Option<&str>) -> (u16, Value) {
    let w = written::written(typed);
    let client = reqwest::Client::new();
    let mut req = client.post(format!("{}/{}", sim.url(), w.path));
    for (name, value) in &w.headers {
        match (name.as_str(), token) {
            ("Cookie", Some(t)) => req = req.header("Cookie", value.replace(TOKEN, t)),
            ("Cookie", None) => {}
            _ => req = req.header(name.as_str(), value.as_str()),
        }
    }
    let answer = req.body(w.body.clone()).send().await.unwrap();
    let status = answer.status().as_u16();
    let body = answer.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

const LOGIN: &str = concat!("POST /auth/login\n", "Content-Type: application/json\n", "\n", r#"{"username":"0100109106-506","password":"viettel-pass"}"#);

/// A simulator holding the fixtures' account, and a token of it from the typed log-in.
async fn sim_and_token() -> (SimHandle, String) {
    let sim = start_viettel(ViettelConfig { password: "viettel-pass".into(), ..ViettelConfig::default() }, 0).await.unwrap();
    let (status, body) = send(&sim, LOGIN, None).await;
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().expect("a token").to_string();
    (sim, token)
}

#[track_caller]
fn accepted(name: &str, (status, body): (u16, Value)) -> Value {
    assert_eq!(status, 200, "{name}: {body}");
    assert!(body["errorCode"].is_null() || body["errorCode"] == "", "{name}: {body}");
    body
}


#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typed_requests_are_accepted_by_the_simulator() {
    let (sim, token) = sim_and_token().await;
    let t = Some(token.as_str());
    let rich = RICH_ISSUE;
    let issued = accepted("issue", send(&sim, rich, t).await);
    assert_eq!(issued["result"]["invoiceNo"], "C26TAA1");
    assert_eq!(accepted("walk-in", send(&sim, &walk_in_typed(), t).await)["result"]["invoiceNo"], "C26TAA2");

    let search = form_call!("InvoiceWS/searchInvoiceByTransactionUuid", "supplierTaxCode=0100109106-506&transactionUuid=5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1");
    assert_eq!(accepted("search", send(&sim, search, t).await)["result"][0]["invoiceNo"], "C26TAA1");
    let templates = concat!(
        "POST /services/einvoiceapplication/api/InvoiceAPI/InvoiceUtilsWS/getAllInvoiceTemplates\n",
        "Content-Type: application/json\nCookie: access_token=tok-123\n\n",
        r#"{"taxCode":"0100109106-506","invoiceType":"all"}"#
    );
    assert!(accepted("templates", send(&sim, templates, t).await)["template"].as_array().is_some_and(|l| !l.is_empty()));
    // Both typed invoices are dated 5 March 2026 (invoiceIssuedDate 1772700000000).
    let list = concat!(
        "POST /services/einvoiceapplication/api/InvoiceAPI/InvoiceUtilsWS/getListInvoiceDataControl\n",
        "Content-Type: application/json\nCookie: access_token=tok-123\n\n",
        r#"{"supplierTaxCode":"0100109106-506","fromDate":"01/03/2026","toDate":"31/03/2026"}"#
    );
    let listed = accepted("list", send(&sim, list, t).await);
    let rows = listed["invoices"].as_array().expect("invoices");
    let seen: Vec<(&str, &str)> = rows.iter().map(|r| (r["invoiceNo"].as_str().unwrap(), r["transactionUuid"].as_str().unwrap())).collect();
    assert_eq!(seen[0], ("C26TAA1", "5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1"), "{listed}");
    assert_eq!(seen.len(), 2, "{listed}");
    let pdf = concat!(
        "POST /services/einvoiceapplication/api/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile\n",
        "Content-Type: application/json\nCookie: access_token=tok-123\n\n",
        r#"{"supplierTaxCode":"0100109106-506","templateCode":"1/001","invoiceNo":"C26TAA1","fileType":"PDF"}"#
    );
    accepted("pdf", send(&sim, pdf, t).await);
    let unpaid = form_call!("InvoiceWS/cancelPaymentStatus", "supplierTaxCode=0100109106-506&invoiceNo=C26TAA1&strIssueDate=1772690000000");
    accepted("cancelPaymentStatus", send(&sim, unpaid, t).await);
    let paid = form_call!("InvoiceWS/updatePaymentStatus", "supplierTaxCode=0100109106-506&invoiceNo=C26TAA1&strIssueDate=1772690000000&templateCode=1%2F001");
    accepted("updatePaymentStatus", send(&sim, paid, t).await);

    // Refused copies: a rate code Viettel does not define, no token, a used transaction id.
    let bad_rate = rich.replacen(r#""taxPercentage":-2"#, r#""taxPercentage":-3"#, 1).replace("5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1", "00000000-0000-3000-8000-000000000001");
    assert_eq!(send(&sim, &bad_rate, t).await.0, 400);
    assert_eq!(send(&sim, &walk_in_typed().replace("bbf256f8", "bbf256f9"), None).await.0, 401);
    let (status, body) = send(&sim, rich, t).await;
    assert_eq!((status, body["message"].as_str()), (400, Some("TRANSACTION_UUID_INVALID")), "{body}");
    assert_eq!(sim.issued_count(), 2);
}

/// Adjust (×3), replace and cancel, each on a simulator holding the invoice `C26TAA1` they
/// name (issued by the typed issue above, the same day).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typed_changes_are_accepted_by_the_simulator() {
    let mut changes: Vec<(&str, String)> = adjust_typed().into_iter().map(|(name, _, _, typed)| (name, typed)).collect();
    changes.push(("replace", replace_typed()));
    for (name, typed) in changes {
        let (sim, token) = sim_and_token().await;
        accepted("issue", send(&sim, RICH_ISSUE, Some(&token)).await);
        let body = accepted(name, send(&sim, &typed, Some(&token)).await);
        assert_eq!(body["result"]["invoiceNo"], "C26TAA2", "{name}");
    }
    let (sim, token) = sim_and_token().await;
    accepted("issue", send(&sim, RICH_ISSUE, Some(&token)).await);
    let cancel = form_call!(
        "InvoiceWS/cancelTransactionInvoice",
        "supplierTaxCode=0100109106-506&templateCode=1%2F001&invoiceNo=C26TAA1&strIssueDate=1772690000000&additionalReferenceDesc=BB-01%2F2026&additionalReferenceDate=1772695000000&reasonDelete=Sai+th%C3%B4ng+tin+ng%C6%B0%E1%BB%9Di+mua"
    );
    accepted("cancel", send(&sim, cancel, Some(&token)).await);
    let search = form_call!("InvoiceWS/searchInvoiceByTransactionUuid", "supplierTaxCode=0100109106-506&transactionUuid=5ee1a31e-a4b4-3222-84a3-9f137bd9a0b1");
    assert_eq!(accepted("search", send(&sim, search, Some(&token)).await)["result"][0]["status"], "Hóa đơn xóa bỏ");
}
