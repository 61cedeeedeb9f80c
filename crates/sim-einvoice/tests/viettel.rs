//! The Viettel S-Invoice simulator against requests typed by hand from the facts file
//! (`viettel-sinvoice-facts.md`): the login and its token in a cookie or a Bearer header,
//! the createInvoice JSON as Odoo builds it, the form routes, the `{code, message, data}`
//! refusals, the expired token's HTTP 500 `GENERAL`, and every fault knob.

use std::time::Duration;

use base64::Engine as _;
use hoadon_sim_einvoice::{start_viettel, Faults, Knob, SimHandle, SimInvoice, ViettelConfig};
use serde_json::{json, Value};

const TAX: &str = "0100109106-506";
const API: &str = "/services/einvoiceapplication/api/InvoiceAPI";

fn yy() -> i32 {
    time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7)).year() % 100
}

fn c_series() -> String {
    format!("C{:02}TAA", yy())
}

fn k_series() -> String {
    format!("K{:02}TAA", yy())
}

/// Now in epoch milliseconds from whole seconds, as Odoo sends dates.
fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 * 1000
}

struct Client {
    sim: SimHandle,
    token: String,
    http: reqwest::Client,
}

async fn started(config: ViettelConfig) -> Client {
    let sim = start_viettel(config, 0).await.unwrap();
    let http = reqwest::Client::new();
    let mut c = Client { sim, token: String::new(), http };
    c.token = c.login().await;
    c
}

async fn sim() -> Client {
    started(ViettelConfig::default()).await
}

/// (HTTP status, body as JSON or Null, raw text).
async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

impl Client {
    async fn login(&self) -> String {
        let (status, v) = self.raw_login(json!({ "username": TAX, "password": "demo-pass" })).await;
        assert_eq!(status, 200, "{v}");
        v["access_token"].as_str().unwrap().to_string()
    }

    async fn raw_login(&self, body: Value) -> (u16, Value) {
        read(self.http.post(format!("{}/auth/login", self.sim.url())).header("Content-Type", "application/json").body(body.to_string()).send().await.unwrap()).await
    }

    /// A JSON call with the token as Odoo sends it: the `access_token` cookie.
    async fn json(&self, route: &str, body: Value) -> (u16, Value) {
        read(
            self.http
                .post(format!("{}{API}/{route}", self.sim.url()))
                .header("Content-Type", "application/json")
                .header("Cookie", format!("access_token={}", self.token))
                .body(body.to_string())
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// A form call as Odoo makes it: fields in the query string, a form content type.
    async fn form_query(&self, route: &str, fields: &[(&str, String)]) -> (u16, Value) {
        let query: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        read(
            self.http
                .post(format!("{}{API}/{route}?{}", self.sim.url(), query.join("&")))
                .header("Content-Type", "application/x-www-form-urlencoded;")
                .header("Cookie", format!("access_token={}", self.token))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// A form call as other clients make it: fields in the body, a Bearer token.
    async fn form_body(&self, route: &str, fields: &[(&str, String)]) -> (u16, Value) {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        read(
            self.http
                .post(format!("{}{API}/{route}", self.sim.url()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", format!("Bearer {}", self.token))
                .body(body.join("&"))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn create(&self, body: Value) -> (u16, Value) {
        self.json(&format!("InvoiceWS/createInvoice/{TAX}"), body).await
    }

    async fn search(&self, uuid: &str) -> (u16, Value) {
        self.form_query("InvoiceWS/searchInvoiceByTransactionUuid", &[("supplierTaxCode", TAX.into()), ("transactionUuid", uuid.into())]).await
    }

    async fn control(&self, path: &str, body: Value) -> u16 {
        self.http.post(format!("{}{path}", self.sim.url())).header("Content-Type", "application/json").body(body.to_string()).send().await.unwrap().status().as_u16()
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The invoice of Odoo's golden test: one line of 1000 at 10 %.
fn invoice(uuid: &str, series: &str, date: i64) -> Value {
    json!({
        "generalInvoiceInfo": {
            "transactionUuid": uuid,
            "invoiceType": "1",
            "templateCode": "1/001",
            "invoiceSeries": series,
            "invoiceIssuedDate": date,
            "currencyCode": "VND",
            "adjustmentType": "1",
            "paymentStatus": false,
            "cusGetInvoiceRight": true,
            "validation": 1
        },
        "buyerInfo": {
            "buyerName": "Nguyễn Văn An",
            "buyerLegalName": "Công ty TNHH An Bình",
            "buyerTaxCode": "0312345673",
            "buyerAddressLine": "12 Lê Lợi, TP. Hồ Chí Minh",
            "buyerPhoneNumber": "38257670",
            "buyerEmail": "an@example.vn",
            "buyerCityName": "Hồ Chí Minh",
            "buyerCountryCode": "VN",
            "buyerNotGetInvoice": 0
        },
        "sellerInfo": {
            "sellerLegalName": "Cửa hàng Tạp hóa Minh Anh",
            "sellerTaxCode": TAX,
            "sellerAddressLine": "12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh",
            "sellerPhoneNumber": "0283825767",
            "sellerEmail": "shop@example.vn",
            "sellerCountryCode": "VN",
            "sellerWebsite": "http://test_company.com"
        },
        "payments": [{ "paymentMethodName": "TM/CK" }],
        "itemInfo": [{
            "itemCode": "ST25",
            "itemName": "Gạo ST25",
            "unitName": "kg",
            "unitPrice": 1000.0,
            "quantity": 1.0,
            "itemTotalAmountWithoutTax": 1000.0,
            "taxPercentage": 10.0,
            "taxAmount": 100.0,
            "discount": 0.0,
            "itemTotalAmountAfterDiscount": 1000.0,
            "itemTotalAmountWithTax": 1100.0,
            "selection": 1
        }],
        "taxBreakdowns": [{ "taxPercentage": 10.0, "taxableAmount": 1000.0, "taxAmount": 100.0, "taxableAmountPos": true, "taxAmountPos": true }]
    })
}

fn assert_refused(got: &(u16, Value), http: u16, code: &str) {
    assert_eq!(got.0, http, "{}", got.1);
    assert_eq!(got.1["code"], http, "{}", got.1);
    assert_eq!(got.1["message"], code, "{}", got.1);
    assert!(got.1["data"].as_str().is_some_and(|d| !d.is_empty()), "{}", got.1);
}

fn assert_ok(got: &(u16, Value)) {
    assert_eq!(got.0, 200, "{}", got.1);
    assert!(got.1["errorCode"].is_null(), "{}", got.1);
    assert!(got.1.get("code").is_none(), "{}", got.1);
}

/// Issues an invoice and answers (invoiceNo, issueDate of the search).
async fn issue(c: &Client, uuid: &str, series: &str) -> (String, i64) {
    let got = c.create(invoice(uuid, series, now_ms())).await;
    assert_ok(&got);
    let found = c.search(uuid).await;
    assert_ok(&found);
    (got.1["result"]["invoiceNo"].as_str().unwrap().to_string(), found.1["result"][0]["issueDate"].as_i64().unwrap())
}

#[tokio::test]
async fn login_answers_a_token_and_refuses_wrong_credentials() {
    let c = sim().await;
    let (status, v) = c.raw_login(json!({ "username": TAX, "password": "demo-pass" })).await;
    assert_eq!(status, 200);
    assert!(v["access_token"].as_str().unwrap().len() >= 32);
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["expires_in"], 600);
    // A JWT whose exp a client may read, as Viettel's tokens are.
    let token = v["access_token"].as_str().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 600);
    assert_eq!(claims["user_name"], TAX);
    assert_ne!(v["access_token"], c.token, "each login has its own token");

    let wrong = c.raw_login(json!({ "username": TAX, "password": "sai" })).await;
    assert_eq!(wrong.0, 401, "{}", wrong.1);
    assert_eq!(wrong.1["error"], "invalid_grant");
    let unknown = c.raw_login(json!({ "username": "0312345673", "password": "demo-pass" })).await;
    assert_eq!(unknown.0, 401);
    let empty = c.raw_login(json!({ "username": TAX })).await;
    assert_eq!(empty.0, 400, "{}", empty.1);
    let not_json = read(c.http.post(format!("{}/auth/login", c.sim.url())).body("username=a").send().await.unwrap()).await;
    assert_eq!(not_json.0, 400);
}

#[tokio::test]
async fn create_numbers_per_series_and_search_finds_it() {
    let c = sim().await;
    let got = c.create(invoice("uuid-1-000000", &c_series(), now_ms())).await;
    assert_ok(&got);
    let r = &got.1["result"];
    assert_eq!(r["supplierTaxCode"], TAX);
    assert_eq!(r["invoiceNo"], format!("{}1", c_series()));
    assert_eq!(r["transactionID"], "uuid-1-000000");
    let secret = r["reservationCode"].as_str().unwrap();
    assert_eq!(secret.len(), 10);
    assert_eq!(r["codeOfTax"].as_str().unwrap().len(), 34);

    let second = c.create(invoice("uuid-2-000000", &c_series(), now_ms())).await;
    assert_eq!(second.1["result"]["invoiceNo"], format!("{}2", c_series()));
    assert_ne!(second.1["result"]["reservationCode"], secret);
    let k = c.create(invoice("uuid-3-000000", &k_series(), now_ms())).await;
    assert_ok(&k);
    assert_eq!(k.1["result"]["invoiceNo"], format!("{}1", k_series()));
    assert!(k.1["result"]["codeOfTax"].is_null(), "a K series has no tax authority code");

    let found = c.search("uuid-1-000000").await;
    assert_ok(&found);
    assert_eq!(found.1["transactionUuid"], "uuid-1-000000");
    let item = &found.1["result"][0];
    assert_eq!(item["invoiceNo"], format!("{}1", c_series()));
    assert_eq!(item["reservationCode"], secret);
    assert_eq!(item["status"], "Chưa thanh toán");
    assert_eq!(item["exchangeStatus"], "INVOICE_HAS_CODE_APPROVED");
    assert_eq!(item["codeOfTax"], r["codeOfTax"]);
    let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["codeOfTax", "exchangeDes", "exchangeStatus", "invoiceNo", "issueDate", "reservationCode", "status", "supplierTaxCode"]);
    assert!(item["issueDate"].as_i64().unwrap() > 0);
    let k_found = c.search("uuid-3-000000").await;
    assert_eq!(k_found.1["result"][0]["exchangeStatus"], "INVOICE_NO_CODE_SENT");

    // Other clients send the form in the body, with a Bearer token.
    let by_body = c.form_body("InvoiceWS/searchInvoiceByTransactionUuid", &[("supplierTaxCode", TAX.into()), ("transactionUuid", "uuid-2-000000".into())]).await;
    assert_ok(&by_body);
    assert_eq!(by_body.1["result"][0]["invoiceNo"], format!("{}2", c_series()));

    assert_refused(&c.search("uuid-none-000000").await, 400, "NOT_FOUND_DATA");
    let inv = c.sim.invoice("uuid-1-000000").unwrap();
    assert_eq!((inv.total, inv.vat_amount, inv.amount), (1000, 100, 1100));
    assert_eq!(inv.amount_in_words, "Một nghìn một trăm đồng");
    assert_eq!(c.sim.issued_per_key().values().copied().collect::<Vec<_>>(), vec![1, 1, 1]);
}

#[tokio::test]
async fn tokens_travel_as_cookie_or_bearer_and_expire_as_general() {
    let c = sim().await;
    let url = format!("{}{API}/InvoiceUtilsWS/getAllInvoiceTemplates", c.sim.url());
    let body = json!({ "taxCode": TAX, "invoiceType": "all" }).to_string();
    let send = |auth: Option<(&'static str, String)>| {
        let mut r = c.http.post(&url).header("Content-Type", "application/json").body(body.clone());
        if let Some((name, value)) = auth {
            r = r.header(name, value);
        }
        async move { read(r.send().await.unwrap()).await }
    };
    assert_eq!(send(Some(("Cookie", format!("lang=vi; access_token={}", c.token)))).await.0, 200);
    assert_eq!(send(Some(("Authorization", format!("Bearer {}", c.token)))).await.0, 200);
    let none = send(None).await;
    assert_eq!(none.0, 401, "{}", none.1);
    assert_eq!(none.1["error"], "unauthorized");
    let unknown = send(Some(("Cookie", "access_token=abc".into()))).await;
    assert_eq!(unknown.0, 401);
    assert_eq!(unknown.1["error"], "invalid_token");
    let basic = send(Some(("Authorization", format!("Basic {}", c.token)))).await;
    assert_eq!(basic.0, 401);

    assert_eq!(c.control("/_sim/expire-tokens", json!({})).await, 204);
    let expired = send(Some(("Cookie", format!("access_token={}", c.token)))).await;
    assert_refused(&expired, 500, "GENERAL");
    let fresh = c.login().await;
    assert_eq!(send(Some(("Authorization", format!("Bearer {fresh}")))).await.0, 200);

    // A lifetime of 0 expires tokens at once; the same from the handle.
    let short = started(ViettelConfig { token_lifetime_secs: 0, ..Default::default() }).await;
    assert_refused(&short.create(invoice("u", &c_series(), now_ms())).await, 500, "GENERAL");
    let mut c2 = sim().await;
    c2.sim.expire_tokens();
    assert_refused(&c2.search("uuid-none-000000").await, 500, "GENERAL");
    c2.token = c2.login().await;
    assert_refused(&c2.search("uuid-none-000000").await, 400, "NOT_FOUND_DATA");
}

#[tokio::test]
async fn files_pdf_and_zip() {
    let c = sim().await;
    let (no, _) = issue(&c, "uuid-f-000000", &c_series()).await;
    let ask = |file_type: &str| json!({ "supplierTaxCode": TAX, "templateCode": "1/001", "invoiceNo": no, "fileType": file_type });
    let pdf = c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", ask("PDF")).await;
    assert_ok(&pdf);
    let bytes = base64::engine::general_purpose::STANDARD.decode(pdf.1["fileToBytes"].as_str().unwrap()).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert_eq!(pdf.1["fileName"], format!("{no}.pdf"));
    assert_eq!(pdf.1["paymentStatus"], false);

    let zip = c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", ask("ZIP")).await;
    assert_ok(&zip);
    let outer = base64::engine::general_purpose::STANDARD.decode(zip.1["fileToBytes"].as_str().unwrap()).unwrap();
    assert!(outer.starts_with(b"PK\x03\x04"));
    // Stored entries: the inner archive's own header follows the outer entry's name.
    let inner_at = outer.windows(4).skip(4).position(|w| w == b"PK\x03\x04").unwrap() + 4;
    let inner = &outer[inner_at..];
    let text = String::from_utf8_lossy(inner);
    assert!(text.contains(&format!("{no}.xml")) && text.contains(&format!("{no}.xsl")), "inner zip lists the xml and xsl");
    assert!(text.contains("<SHDon>1</SHDon>"));

    assert_refused(&c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", ask("DOCX")).await, 400, "BAD_REQUEST_FILE_TYPE_LENGTH_INVALID");
    assert_refused(&c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", ask("XML")).await, 400, "BAD_REQUEST_FILE_TYPE_INVALID");
    let mut no_template = ask("PDF");
    no_template["templateCode"] = json!(null);
    assert_refused(&c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", no_template).await, 400, "BAD_REQUEST_TEMPLATE_CODE_REQUIRED");
    let mut other = ask("PDF");
    other["invoiceNo"] = json!(format!("{}99", c_series()));
    assert_refused(&c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", other).await, 400, "NOT_FOUND_DATA");
    let mut wrong_tax = ask("PDF");
    wrong_tax["supplierTaxCode"] = json!("0312345673");
    assert_refused(&c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", wrong_tax).await, 400, "TAX_CODE_INVALID");
}

#[tokio::test]
async fn files_can_lag_behind_the_issue() {
    let c = started(ViettelConfig { file_lag_attempts: 2, ..Default::default() }).await;
    let (no, _) = issue(&c, "uuid-lag-000000", &c_series()).await;
    let ask = json!({ "supplierTaxCode": TAX, "templateCode": "1/001", "invoiceNo": no, "fileType": "PDF" });
    for _ in 0..2 {
        let empty = c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", ask.clone()).await;
        assert_ok(&empty);
        assert_eq!(empty.1["fileToBytes"], "");
    }
    let ready = c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", ask).await;
    assert!(ready.1["fileToBytes"].as_str().unwrap().len() > 100);
}

#[tokio::test]
async fn cancel_marks_the_invoice_deleted_once() {
    let c = sim().await;
    let (no, date) = issue(&c, "uuid-c-000000", &c_series()).await;
    let fields = |d: i64| {
        vec![
            ("supplierTaxCode", TAX.to_string()),
            ("templateCode", "1/001".to_string()),
            ("invoiceNo", no.clone()),
            ("strIssueDate", d.to_string()),
            ("additionalReferenceDesc", "NA".to_string()),
            ("additionalReferenceDate", now_ms().to_string()),
            ("reasonDelete", "Lập sai thông tin người mua".to_string()),
        ]
    };
    assert_refused(&c.form_query("InvoiceWS/cancelTransactionInvoice", &fields(date - 3 * 86_400_000)).await, 400, "NOT_FOUND_DATA");
    let mut missing = fields(date);
    missing.retain(|(k, _)| *k != "additionalReferenceDesc");
    assert_refused(&c.form_query("InvoiceWS/cancelTransactionInvoice", &missing).await, 400, "BAD_REQUEST_ADDITIONAL_REFER_DESC_REQUIRED");
    let mut no_date = fields(date);
    no_date.retain(|(k, _)| *k != "strIssueDate");
    assert_refused(&c.form_query("InvoiceWS/cancelTransactionInvoice", &no_date).await, 400, "BAD_REQUEST_ISSUE_DATE_REQUIRED");
    let mut short_no = fields(date);
    short_no[2].1 = "C26TA1".into();
    assert_refused(&c.form_query("InvoiceWS/cancelTransactionInvoice", &short_no).await, 400, "BAD_REQUEST_INVOICE_NO_MIN_LENGTH");

    let mut long_reason = fields(date);
    long_reason[6].1 = "x".repeat(256);
    assert_refused(&c.form_query("InvoiceWS/cancelTransactionInvoice", &long_reason).await, 400, "BAD_REQUEST_REASON_DELETE_LENGTH");
    // templateCode is optional on cancel.
    let mut without_template = fields(date);
    without_template.retain(|(k, _)| *k != "templateCode");
    assert_ok(&c.form_query("InvoiceWS/cancelTransactionInvoice", &without_template).await);
    assert_eq!(c.search("uuid-c-000000").await.1["result"][0]["status"], "Hóa đơn xóa bỏ");
    assert_refused(&c.form_body("InvoiceWS/cancelTransactionInvoice", &fields(date)).await, 400, "INVOICE_STATUS_INVALID");
    assert_eq!(c.sim.invoice("uuid-c-000000").unwrap().status, 2);
    // The number stays, the PDF says so.
    let pdf = c.json("InvoiceUtilsWS/getInvoiceRepresentationFile", json!({ "supplierTaxCode": TAX, "templateCode": "1/001", "invoiceNo": no, "fileType": "PDF" })).await;
    assert_ok(&pdf);
    let pay = [("supplierTaxCode", TAX.to_string()), ("invoiceNo", no.clone()), ("strIssueDate", date.to_string()), ("templateCode", "1/001".to_string())];
    assert_refused(&c.form_query("InvoiceWS/updatePaymentStatus", &pay).await, 400, "INVOICE_STATUS_INVALID");
}

#[tokio::test]
async fn payment_status_changes_only_when_it_differs() {
    let c = sim().await;
    let (no, date) = issue(&c, "uuid-p-000000", &c_series()).await;
    let pay = [("supplierTaxCode", TAX.to_string()), ("invoiceNo", no.clone()), ("strIssueDate", date.to_string()), ("templateCode", "1/001".to_string())];
    let unpay = [("supplierTaxCode", TAX.to_string()), ("invoiceNo", no.clone()), ("strIssueDate", date.to_string())];
    assert_refused(&c.form_query("InvoiceWS/cancelPaymentStatus", &unpay).await, 400, "NOT_FOUND_DATA");
    let paid = c.form_query("InvoiceWS/updatePaymentStatus", &pay).await;
    assert_ok(&paid);
    assert_eq!(paid.1["result"], true);
    assert!(paid.1["paymentTime"].as_i64().unwrap() > 0);
    assert_eq!(c.search("uuid-p-000000").await.1["result"][0]["status"], "Đã thanh toán");
    assert!(c.sim.invoice("uuid-p-000000").unwrap().paid);
    assert_refused(&c.form_query("InvoiceWS/updatePaymentStatus", &pay).await, 400, "NOT_FOUND_DATA");
    assert_ok(&c.form_body("InvoiceWS/cancelPaymentStatus", &unpay).await);
    assert_eq!(c.search("uuid-p-000000").await.1["result"][0]["status"], "Chưa thanh toán");
    // updatePaymentStatus wants its templateCode.
    assert_refused(&c.form_query("InvoiceWS/updatePaymentStatus", &pay[..3]).await, 400, "BAD_REQUEST_TEMPLATE_CODE_REQUIRED");
    // cancelPaymentStatus wants its issue date.
    assert_refused(&c.form_query("InvoiceWS/cancelPaymentStatus", &unpay[..2]).await, 400, "BAD_REQUEST_ISSUE_DATE_REQUIRED");
}

#[tokio::test]
async fn templates_held_by_the_account() {
    let c = sim().await;
    let all = c.json("InvoiceUtilsWS/getAllInvoiceTemplates", json!({ "taxCode": TAX, "invoiceType": "all" })).await;
    assert_ok(&all);
    let list = all.1["template"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list.iter().any(|t| t["templateCode"] == "1/001" && t["invoiceSeri"] == c_series()));
    let vat = c.json("InvoiceUtilsWS/getAllInvoiceTemplates", json!({ "taxCode": TAX, "invoiceType": "2" })).await;
    assert_eq!(vat.1["template"].as_array().unwrap().len(), 1);
    assert_refused(&c.json("InvoiceUtilsWS/getAllInvoiceTemplates", json!({ "taxCode": "0312345673", "invoiceType": "all" })).await, 400, "TAX_CODE_INVALID");
    let fields = read(
        c.http
            .get(format!("{}{API}/InvoiceWS/getCustomFields?taxCode={TAX}&templateCode=1%2F001", c.sim.url()))
            .header("Cookie", format!("access_token={}", c.token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_ok(&fields);
    assert!(fields.1["customFields"].is_array());
}

fn change(uuid: &str, kind: &str, invoice_type: &str, original_no: &str, original_date: i64) -> Value {
    let mut body = invoice(uuid, &c_series(), now_ms());
    let g = &mut body["generalInvoiceInfo"];
    g["adjustmentType"] = json!(kind);
    g["adjustmentInvoiceType"] = json!(invoice_type);
    g["originalInvoiceId"] = json!(original_no);
    g["originalInvoiceIssueDate"] = json!(original_date);
    g["originalTemplateCode"] = json!("1/001");
    g["additionalReferenceDesc"] = json!("Biên bản thỏa thuận số 01");
    g["additionalReferenceDate"] = json!(now_ms());
    body
}

#[tokio::test]
async fn replacement_replaces_an_issued_original() {
    let c = sim().await;
    let (no, date) = issue(&c, "uuid-o-000000", &c_series()).await;
    let mut no_original = change("uuid-r-000000", "3", "", &no, date);
    no_original["generalInvoiceInfo"].as_object_mut().unwrap().remove("originalInvoiceId");
    assert_refused(&c.create(no_original).await, 400, "BAD_REQUEST_ORIGIN_INVOICE_INFO_REQUIRED");
    let mut no_agreement = change("uuid-r-000000", "3", "", &no, date);
    no_agreement["generalInvoiceInfo"]["additionalReferenceDesc"] = json!("");
    assert_refused(&c.create(no_agreement).await, 400, "BAD_REQUEST_ORIGIN_INVOICE_INFO_REQUIRED");
    assert_refused(&c.create(change("uuid-r-000000", "3", "", "C26TAA1?", date)).await, 400, "BAD_REQUEST_ORIGIN_INVOICE_NO_INVALID");
    assert_refused(&c.create(change("uuid-r-000000", "3", "", &"1".repeat(18), date)).await, 400, "BAD_REQUEST_ORIGIN_INVOICE_NO_INVALID_LENGTH");
    assert_refused(&c.create(change("uuid-r-000000", "3", "", &format!("{}77", c_series()), date)).await, 400, "ORIGINAL_INVOICE_INVALID");
    assert_refused(&c.create(change("uuid-r-000000", "3", "", &no, date - 3 * 86_400_000)).await, 400, "ORIGINAL_INVOICE_INVALID");

    let mut bad_date = change("uuid-r-000000", "3", "", &no, date);
    bad_date["generalInvoiceInfo"]["originalInvoiceIssueDate"] = json!("hôm qua");
    assert_refused(&c.create(bad_date).await, 400, "BAD_REQUEST_ORIGIN_INVOICE_ISSUE_DATE_INVALID");
    // The day of the original may also come as yyyy-MM-dd, as the sample's DTO comment says.
    let day = time::OffsetDateTime::from_unix_timestamp(date / 1000).unwrap().to_offset(time::macros::offset!(+7)).date();
    let mut by_day = change("uuid-r-000000", "3", "", &no, date);
    by_day["generalInvoiceInfo"]["originalInvoiceIssueDate"] = json!(format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day()));
    let got = c.create(by_day).await;
    assert_ok(&got);
    assert_eq!(got.1["result"]["invoiceNo"], format!("{}2", c_series()));
    assert_eq!(c.search("uuid-o-000000").await.1["result"][0]["status"], "Hóa đơn bị thay thế");
    assert_eq!(c.search("uuid-r-000000").await.1["result"][0]["status"], "Hóa đơn thay thế");
    assert_eq!(c.sim.invoice("uuid-r-000000").unwrap().replaces.as_deref(), Some("uuid-o-000000"));
    // A replaced invoice is neither replaced again nor cancelled.
    assert_refused(&c.create(change("uuid-r2-000000", "3", "", &no, date)).await, 400, "ORIGINAL_INVOICE_INVALID");
    let cancel = [
        ("supplierTaxCode", TAX.to_string()),
        ("templateCode", "1/001".to_string()),
        ("invoiceNo", no.clone()),
        ("strIssueDate", date.to_string()),
        ("additionalReferenceDesc", "NA".to_string()),
        ("additionalReferenceDate", now_ms().to_string()),
    ];
    assert_refused(&c.form_query("InvoiceWS/cancelTransactionInvoice", &cancel).await, 400, "INVOICE_STATUS_INVALID");
}

#[tokio::test]
async fn adjustment_of_money_and_of_information() {
    let c = sim().await;
    let (no, date) = issue(&c, "uuid-a-000000", &c_series()).await;
    assert_refused(&c.create(change("uuid-a1-000000", "5", "", &no, date)).await, 400, "BAD_REQUEST_ADJUSTMENT_INVOICE_TYPE_INVALID");
    assert_refused(&c.create(change("uuid-a1-000000", "5", "7", &no, date)).await, 400, "BAD_REQUEST_ADJUSTMENT_INVOICE_TYPE_INVALID");

    // Odoo's credit note: a negative unit price, positive totals, isIncreaseItem false.
    let mut money = change("uuid-a1-000000", "5", "1", &no, date);
    money["itemInfo"][0]["unitPrice"] = json!(-100.0);
    money["itemInfo"][0]["itemTotalAmountWithoutTax"] = json!(100.0);
    money["itemInfo"][0]["itemTotalAmountAfterDiscount"] = json!(100.0);
    money["itemInfo"][0]["taxAmount"] = json!(10.0);
    money["itemInfo"][0]["itemTotalAmountWithTax"] = json!(110.0);
    money["itemInfo"][0]["adjustmentTaxAmount"] = json!(10.0);
    money["itemInfo"][0]["isIncreaseItem"] = json!(false);
    let got = c.create(money).await;
    assert_ok(&got);
    assert_eq!(c.search("uuid-a-000000").await.1["result"][0]["status"], "Hóa đơn bị điều chỉnh tiền");
    assert_eq!(c.search("uuid-a1-000000").await.1["result"][0]["status"], "Chưa thanh toán", "an adjusting invoice shows its payment state");
    let adj = c.sim.invoice("uuid-a1-000000").unwrap();
    assert_eq!((adj.total, adj.vat_amount, adj.amount), (-100, -10, -110));
    assert_eq!(adj.replaces.as_deref(), Some("uuid-a-000000"));

    // An adjusted invoice can be adjusted again, in information.
    assert_ok(&c.create(change("uuid-a2-000000", "5", "2", &no, date)).await);
    assert_eq!(c.search("uuid-a-000000").await.1["result"][0]["status"], "Hóa đơn bị điều chỉnh thông tin");
    assert_eq!(c.sim.issued_count(), 3);
}

#[tokio::test]
async fn a_c_original_must_be_approved_before_it_is_adjusted() {
    let c = sim().await;
    let (no, date) = issue(&c, "uuid-t-000000", &c_series()).await;
    assert_eq!(c.control("/_sim/tct", json!({ "key": "uuid-t-000000", "status": -1 })).await, 204);
    let found = c.search("uuid-t-000000").await;
    assert_eq!(found.1["result"][0]["exchangeStatus"], "INVOICE_HAS_CODE_SENT");
    assert!(found.1["result"][0]["codeOfTax"].is_null());
    assert_refused(&c.create(change("uuid-t1-000000", "5", "1", &no, date)).await, 400, "ORIGINAL_INVOICE_INVALID");
    assert_eq!(c.control("/_sim/tct", json!({ "key": "uuid-t-000000", "status": 1 })).await, 204);
    assert_ok(&c.create(change("uuid-t1-000000", "3", "", &no, date)).await);
}

#[tokio::test]
async fn refusals_of_create() {
    let c = sim().await;
    let series = c_series();
    let refused = |body: Value, code: &'static str| {
        let c = &c;
        async move { assert_refused(&c.create(body).await, 400, code) }
    };
    let with = |path: &str, value: Value| {
        let mut body = invoice("uuid-x-000000", &c_series(), now_ms());
        let mut target = &mut body;
        let parts: Vec<&str> = path.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            target = match p.parse::<usize>() {
                Ok(i) => &mut target[i],
                Err(_) => &mut target[*p],
            };
        }
        target[parts[parts.len() - 1]] = value;
        body
    };
    refused(with("generalInvoiceInfo.invoiceSeries", json!("C26TZZ")), "INVOICE_SERIAL_NOT_FOUND").await;
    refused(with("generalInvoiceInfo.templateCode", json!("2/001")), "INVOICE_SERIAL_NOT_FOUND").await;
    refused(with("generalInvoiceInfo.invoiceType", json!("2")), "INVOICE_SERIAL_NOT_FOUND").await;
    // The codes of the request classes in Viettel's sample client.
    refused(with("generalInvoiceInfo", json!(null)), "BAD_REQUEST_GENERAL_INVOICE_INFO_REQUIRED").await;
    refused(with("generalInvoiceInfo.templateCode", json!(" ")), "BAD_REQUEST_TEMPLATE_CODE_REQUIRED").await;
    refused(with("generalInvoiceInfo.invoiceSeries", json!(null)), "BAD_REQUEST_INVOICE_SERIAL_REQUIRED").await;
    refused(with("generalInvoiceInfo.invoiceSeries", json!("C26TAAAAAA")), "BAD_REQUEST_INVOICE_SERIAL_MAX_LENGTH").await;
    refused(with("generalInvoiceInfo.adjustmentType", json!("2")), "BAD_REQUEST_ADJUSTMENT_TYPE_INVALID").await;
    refused(with("generalInvoiceInfo.adjustmentType", json!("7")), "BAD_REQUEST_ADJUSTMENT_TYPE_INVALID").await;
    refused(with("generalInvoiceInfo.transactionUuid", json!("short")), "BAD_REQUEST_TRANSACTION_UUID_LENGTH_INVALID").await;
    refused(with("generalInvoiceInfo.transactionUuid", json!("x".repeat(37))), "BAD_REQUEST_TRANSACTION_UUID_LENGTH_INVALID").await;
    refused(with("generalInvoiceInfo.currencyCode", json!(null)), "BAD_REQUEST_CURRENCY_CODE_REQUIRED").await;
    refused(with("generalInvoiceInfo.currencyCode", json!("VN")), "BAD_REQUEST_CURRENCY_CODE_MINLENGTH").await;
    refused(with("generalInvoiceInfo.currencyCode", json!("VNDD")), "BAD_REQUEST_CURRENCY_CODE_MAXLENGTH").await;
    refused(with("generalInvoiceInfo.currencyCode", json!("vnd")), "BAD_REQUEST_CURRENCY_CODE_INVALID").await;
    refused(with("generalInvoiceInfo.exchangeRate", json!("24000.505")), "BAD_REQUEST_EXCHANGE_RATE_MAX_LENGTH").await;
    refused(with("generalInvoiceInfo.paymentStatus", json!(null)), "BAD_REQUEST_PAYMENT_STATUS_REQUIRED").await;
    refused(with("payments", json!([])), "BAD_REQUEST_PAYMENT_INFO_REQUIRED").await;
    refused(with("payments", json!(null)), "BAD_REQUEST_PAYMENT_INFO_REQUIRED").await;
    refused(with("payments.0.paymentMethod", json!("9")), "BAD_REQUEST_PAYMENT_METHOD_INVALID").await;
    refused(with("itemInfo.0.selection", json!(7)), "BAD_REQUEST_ITEM_SELECTION_INVALID").await;
    refused(with("buyerInfo.buyerPhoneNumber", json!("038 257 670 máy lẻ 5")), "BAD_REQUEST_BUYER_PHONE_INVALID").await;
    refused(with("buyerInfo.buyerTaxCode", json!("0".repeat(21))), "BAD_REQUEST_BUYER_TAX_CODE_MAX_LENGTH").await;
    refused(with("sellerInfo.sellerPhoneNumber", json!("+84 28 3825 7670")), "BAD_REQUEST_SELLER_PHONE_NUMBER_INVALID").await;
    refused(with("buyerInfo.buyerIdNo", json!("079/2026")), "BAD_REQUEST_BUYER_ID_NO_INVALID").await;
    refused(with("buyerInfo.buyerName", json!("A".repeat(801))), "BAD_REQUEST_BUYER_NAME_MAXLENGTH").await;
    refused(with("itemInfo.0.itemTotalAmountWithoutTax", json!("1000.0000000001")), "BAD_REQUEST_ITEM_TOTAL_AMOUNT_WITHOUT_TAX_INVALID").await;
    // Body Spring cannot read.
    refused(with("generalInvoiceInfo.invoiceIssuedDate", json!("hôm nay")), "BAD_REQUEST").await;
    refused(with("generalInvoiceInfo", json!([])), "BAD_REQUEST").await;
    refused(with("itemInfo.0.unitPrice", json!({ "v": 1 })), "BAD_REQUEST").await;
    // The simulator's own checks.
    refused(with("itemInfo", json!([])), "BAD_REQUEST_ITEM_INFO_REQUIRED").await;
    refused(with("itemInfo.0.itemName", json!("")), "BAD_REQUEST_ITEM_NAME_REQUIRED").await;
    refused(with("itemInfo.0.itemName", json!("x".repeat(501))), "BAD_REQUEST_ITEM_NAME_MAX_LENGTH").await;
    refused(with("itemInfo.0.taxPercentage", json!(7)), "BAD_REQUEST_TAX_PERCENTAGE_INVALID").await;
    refused(with("itemInfo.0.taxPercentage", json!(null)), "BAD_REQUEST_TAX_PERCENTAGE_REQUIRED").await;
    refused(with("itemInfo.0.taxAmount", json!(null)), "BAD_REQUEST_ITEM_AMOUNT_REQUIRED").await;
    refused(with("itemInfo.0.taxAmount", json!(80)), "BAD_REQUEST_ITEM_AMOUNT_INVALID").await;
    refused(with("itemInfo.0.itemTotalAmountWithoutTax", json!(900)), "BAD_REQUEST_ITEM_AMOUNT_INVALID").await;
    refused(with("itemInfo.0.itemTotalAmountWithTax", json!(1000)), "BAD_REQUEST_ITEM_AMOUNT_INVALID").await;
    refused(with("buyerInfo.buyerTaxCode", json!("0312345674")), "BAD_REQUEST_BUYER_TAX_CODE_INVALID").await;
    refused(with("sellerInfo.sellerTaxCode", json!("0312345673")), "TAX_CODE_INVALID").await;
    refused(with("generalInvoiceInfo.invoiceIssuedDate", json!(now_ms() + 3_600_000)), "INVOICE_ISSUED_DATE_INVALID").await;
    refused(with("generalInvoiceInfo.invoiceIssuedDate", json!(now_ms() - 400 * 86_400_000)), "INVOICE_ISSUED_DATE_INVALID").await;
    // An invoice of only a discount row has a negative total.
    refused(with("itemInfo.0.selection", json!(3)), "BAD_REQUEST_TOTAL_AMOUNT_INVALID").await;

    // The supplier tax code in the path must be the account's.
    assert_refused(&c.json("InvoiceWS/createInvoice/0312345673", invoice("uuid-x-000000", &series, now_ms())).await, 400, "TAX_CODE_INVALID");

    // Accepted variants: KCT and KKKNT lines without tax, a note row, numbers as text, a
    // foreign currency with its rate.
    let mut mixed = invoice("uuid-ok-000000", &series, now_ms());
    mixed["itemInfo"] = json!([
        { "itemName": "Sách giáo khoa", "unitPrice": "20000", "quantity": "2", "itemTotalAmountWithoutTax": 40000, "taxPercentage": -2, "taxAmount": 0, "selection": 1 },
        { "itemName": "Phí dịch vụ", "unitPrice": 5000, "quantity": 1, "itemTotalAmountWithoutTax": 5000, "taxPercentage": -1, "taxAmount": 0 },
        { "itemName": "Giao hàng trong ngày", "selection": 2 },
        { "itemName": "Chiết khấu", "itemTotalAmountWithoutTax": 1000, "taxPercentage": -2, "taxAmount": 0, "selection": 3, "isIncreaseItem": false }
    ]);
    assert_ok(&c.create(mixed).await);
    let inv = c.sim.invoice("uuid-ok-000000").unwrap();
    assert_eq!((inv.total, inv.vat_amount), (44_000, 0));
    assert_eq!(inv.lines[0].vat_rate, "KCT");
    assert_eq!(inv.lines[1].vat_rate, "KKKNT");
    // Odoo's discounted line: the amount before discount, the tax on the amount after it.
    let mut discounted = invoice("uuid-disc-000000", &series, now_ms());
    discounted["itemInfo"][0]["discount"] = json!(10.0);
    discounted["itemInfo"][0]["itemTotalAmountAfterDiscount"] = json!(900.0);
    discounted["itemInfo"][0]["taxAmount"] = json!(90.0);
    discounted["itemInfo"][0]["itemTotalAmountWithTax"] = json!(990.0);
    assert_ok(&c.create(discounted.clone()).await);
    assert_eq!(c.sim.invoice("uuid-disc-000000").unwrap().amount, 990);
    discounted["generalInvoiceInfo"]["transactionUuid"] = json!("uuid-disc2-000000");
    discounted["itemInfo"][0]["taxAmount"] = json!(100.0);
    discounted["itemInfo"][0]["itemTotalAmountWithTax"] = json!(1000.0);
    assert_refused(&c.create(discounted).await, 400, "BAD_REQUEST_ITEM_AMOUNT_INVALID");
    // validation 0 turns the figure and tax-data checks off, as Viettel's sample DTO says.
    let mut unchecked = invoice("uuid-novalid-000000", &series, now_ms());
    unchecked["generalInvoiceInfo"]["validation"] = json!(0);
    unchecked["buyerInfo"]["buyerTaxCode"] = json!("0312345674");
    unchecked["itemInfo"][0]["taxAmount"] = json!(80);
    assert_ok(&c.create(unchecked).await);
    // The phone of a buyer may carry + ( ) - and spaces; a foreign currency without a rate
    // is taken at 1.
    let mut phone = invoice("uuid-phone-000000", &series, now_ms());
    phone["buyerInfo"]["buyerPhoneNumber"] = json!("+84 (38) 257-670");
    phone["generalInvoiceInfo"]["currencyCode"] = json!("USD");
    assert_ok(&c.create(phone).await);
    // Viettel's own sample: no issue date, no tax breakdowns, itemTotalAmountAfterDiscount 0
    // without a discount, summarizeInfo and metadata.
    let sample = json!({
        "generalInvoiceInfo": { "invoiceType": "1", "templateCode": "1/001", "invoiceSeries": series, "currencyCode": "VND", "adjustmentType": "1", "paymentStatus": true, "cusGetInvoiceRight": true, "transactionUuid": "4849decf-02a4-435b-8949-3b89b10167df" },
        "buyerInfo": { "buyerName": "Nguyen Van An", "buyerLegalName": "Cong Ty TNHH ABC", "buyerTaxCode": "0100109106-990", "buyerAddressLine": "Duong Le Trong Tan, Ha Dong", "buyerPhoneNumber": "0912345678", "buyerEmail": "abc@gmail.com", "buyerIdNo": "030081002099", "buyerIdType": "1", "buyerCode": "NO_CODE", "buyerNotGetInvoice": 1 },
        "payments": [{ "paymentMethodName": "TM/CK" }],
        "itemInfo": [{ "itemCode": "HH001", "itemName": "May tinh", "unitName": "Chiec", "itemNote": "Chi chu hang hoa", "unitPrice": 15000000, "quantity": 2, "itemTotalAmountWithoutTax": 30000000, "taxPercentage": 10, "taxAmount": 3000000, "itemTotalAmountWithTax": 33000000, "itemTotalAmountAfterDiscount": 0, "discount": 0, "discount2": 0, "itemDiscount": 0, "selection": 1 }],
        "metadata": [{ "stringValue": "Ghi chu", "keyTag": "invoiceNote", "valueType": "text" }],
        "summarizeInfo": { "discountAmount": 0, "totalAmountWithoutTax": 30000000, "totalTaxAmount": 3000000, "totalAmountWithTax": 33000000, "totalAmountAfterDiscount": 30000000 }
    });
    assert_ok(&c.create(sample).await);
    assert_eq!(c.sim.invoice("4849decf-02a4-435b-8949-3b89b10167df").unwrap().amount, 33_000_000);
    let mut eur = invoice("uuid-eur-000000", &series, now_ms());
    eur["generalInvoiceInfo"]["currencyCode"] = json!("EUR");
    eur["generalInvoiceInfo"]["exchangeRate"] = json!("0.50");
    eur["itemInfo"][0] = json!({ "itemName": "Tư vấn", "unitPrice": 1000.25, "quantity": 1, "itemTotalAmountWithoutTax": 1000.25, "taxPercentage": 10, "taxAmount": 100.03, "selection": 1 });
    assert_ok(&c.create(eur).await);
}

#[tokio::test]
async fn a_transaction_uuid_serves_once() {
    let c = sim().await;
    assert_ok(&c.create(invoice("uuid-once-000000", &c_series(), now_ms())).await);
    assert_refused(&c.create(invoice("uuid-once-000000", &c_series(), now_ms())).await, 400, "TRANSACTION_UUID_INVALID");
    // Another sale's invoice already held under the uuid (seeded as if issued earlier).
    let seeded = SimInvoice { key: "uuid-seed-000000".into(), pattern: "1/001".into(), serial: k_series(), number: Some(41), status: 1, ..Default::default() };
    assert_eq!(c.control("/_sim/seed", serde_json::to_value(&seeded).unwrap()).await, 204);
    assert_refused(&c.create(invoice("uuid-seed-000000", &k_series(), now_ms())).await, 400, "TRANSACTION_UUID_INVALID");
    assert_eq!(c.search("uuid-seed-000000").await.1["result"][0]["invoiceNo"], format!("{}41", k_series()));
    let next = c.create(invoice("uuid-k-000000", &k_series(), now_ms())).await;
    assert_eq!(next.1["result"]["invoiceNo"], format!("{}42", k_series()));
    assert!(c.sim.issued_per_key().values().all(|n| *n == 1), "{:?}", c.sim.issued_per_key());
}

#[tokio::test]
async fn numbering_is_chronological_per_series() {
    let c = sim().await;
    let now = now_ms();
    assert_ok(&c.create(invoice("uuid-late-000000", &c_series(), now)).await);
    // A resend of a JSON built a minute ago, after a newer invoice: refused.
    assert_refused(&c.create(invoice("uuid-early-000000", &c_series(), now - 60_000)).await, 400, "INVOICE_ISSUED_DATE_INVALID");
    // Another series keeps its own order; 0 means now.
    assert_ok(&c.create(invoice("uuid-k-early-000000", &k_series(), now - 60_000)).await);
    assert_ok(&c.create(invoice("uuid-zero-000000", &c_series(), 0)).await);
}

#[tokio::test]
async fn drafts_are_keyed_by_uuid_and_signed_by_the_owner() {
    let c = sim().await;
    let route = format!("InvoiceWS/createOrUpdateInvoiceDraft/{TAX}");
    let draft = c.json(&route, invoice("uuid-d-000000", &c_series(), now_ms())).await;
    assert_ok(&draft);
    assert_eq!(draft.1["result"], json!({}));
    assert_refused(&c.search("uuid-d-000000").await, 400, "NOT_FOUND_DATA");
    let mut changed = invoice("uuid-d-000000", &c_series(), now_ms());
    changed["buyerInfo"]["buyerName"] = json!("Trần Thị Bình");
    assert_ok(&c.json(&route, changed).await);
    assert_eq!(c.sim.invoice("uuid-d-000000").unwrap().buyer, "Trần Thị Bình");
    assert_refused(&c.create(invoice("uuid-d-000000", &c_series(), now_ms())).await, 400, "TRANSACTION_UUID_INVALID");
    assert_refused(&c.json(&route, change("uuid-d2-000000", "3", "", "X1", now_ms())).await, 400, "BAD_REQUEST");

    let signed = c.http.post(format!("{}/_sim/sign", c.sim.url())).header("Content-Type", "application/json").body(json!({ "key": "uuid-d-000000" }).to_string()).send().await.unwrap();
    assert_eq!(signed.status().as_u16(), 200);
    let found = c.search("uuid-d-000000").await;
    assert_ok(&found);
    assert_eq!(found.1["result"][0]["invoiceNo"], format!("{}1", c_series()));
    assert!(found.1["result"][0]["issueDate"].as_i64().unwrap() > 0);
    assert_refused(&c.json(&route, invoice("uuid-d-000000", &c_series(), now_ms())).await, 400, "TRANSACTION_UUID_INVALID");
    assert_eq!(c.sim.issued_per_key().get("uuid-d-000000"), Some(&1));
}

#[tokio::test]
async fn transport_refusals() {
    let c = sim().await;
    let wrong_type = read(
        c.http
            .post(format!("{}{API}/InvoiceWS/createInvoice/{TAX}", c.sim.url()))
            .header("Content-Type", "text/plain")
            .header("Cookie", format!("access_token={}", c.token))
            .body(invoice("u", &c_series(), now_ms()).to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_refused(&wrong_type, 415, "UNSUPPORTED_MEDIA_TYPE");
    let get = read(c.http.get(format!("{}{API}/InvoiceWS/createInvoice/{TAX}", c.sim.url())).header("Cookie", format!("access_token={}", c.token)).send().await.unwrap()).await;
    assert_refused(&get, 405, "METHOD_NOT_ALLOWED");
    let unknown = c.json("InvoiceWS/createInvoiceX/1", json!({})).await;
    assert_refused(&unknown, 404, "NOT_FOUND");
    let not_json = read(
        c.http
            .post(format!("{}{API}/InvoiceWS/createInvoice/{TAX}", c.sim.url()))
            .header("Content-Type", "application/json")
            .header("Cookie", format!("access_token={}", c.token))
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_refused(&not_json, 400, "BAD_REQUEST");
    assert_refused(&c.form_query("InvoiceWS/searchInvoiceByTransactionUuid", &[("supplierTaxCode", TAX.into())]).await, 400, "BAD_REQUEST_TRANSACTION_UUID_REQUIRED");
    assert_refused(&c.form_query("InvoiceWS/searchInvoiceByTransactionUuid", &[("transactionUuid", "uuid-none-000000".into())]).await, 400, "BAD_REQUEST_TAX_CODE_REQUIRED");
    assert_refused(&c.form_query("InvoiceWS/searchInvoiceByTransactionUuid", &[("supplierTaxCode", TAX.into()), ("transactionUuid", "short".into())]).await, 400, "BAD_REQUEST_TRANSACTION_UUID_LENGTH_INVALID");
    assert_refused(&c.form_query("InvoiceWS/searchInvoiceByTransactionUuid", &[("supplierTaxCode", "0312345673".into()), ("transactionUuid", "u".into())]).await, 400, "TAX_CODE_INVALID");
}

fn only(op: &str, faults: Faults) -> Faults {
    Faults { only: vec![op.into()], ..faults }
}

#[tokio::test]
async fn reset_before_commit_stores_nothing() {
    let c = sim().await;
    c.sim.set_faults(only("createInvoice", Faults { reset_before_commit: Knob::times(1), ..Default::default() }));
    let sent = c.http.post(format!("{}{API}/InvoiceWS/createInvoice/{TAX}", c.sim.url())).header("Content-Type", "application/json").header("Cookie", format!("access_token={}", c.token)).body(invoice("uuid-rst-000000", &c_series(), now_ms()).to_string()).send().await;
    assert!(sent.is_err(), "no answer");
    assert!(c.sim.invoice("uuid-rst-000000").is_none());
    assert_refused(&c.search("uuid-rst-000000").await, 400, "NOT_FOUND_DATA");
    assert_ok(&c.create(invoice("uuid-rst-000000", &c_series(), now_ms())).await);
    assert_eq!(c.sim.issued_per_key().get("uuid-rst-000000"), Some(&1));
}

#[tokio::test]
async fn drop_after_commit_stores_and_says_nothing() {
    let c = sim().await;
    c.sim.set_faults(only("createInvoice", Faults { drop_after_commit: Knob::times(1), ..Default::default() }));
    let sent = c.http.post(format!("{}{API}/InvoiceWS/createInvoice/{TAX}", c.sim.url())).header("Content-Type", "application/json").header("Cookie", format!("access_token={}", c.token)).body(invoice("uuid-drop-000000", &c_series(), now_ms()).to_string()).send().await;
    assert!(sent.is_err(), "no answer");
    // The careful client asks by uuid and finds it; the careless one resends and is refused.
    assert_ok(&c.search("uuid-drop-000000").await);
    assert_refused(&c.create(invoice("uuid-drop-000000", &c_series(), now_ms())).await, 400, "TRANSACTION_UUID_INVALID");
    assert_eq!(c.sim.issued_per_key().get("uuid-drop-000000"), Some(&1));
}

#[tokio::test]
async fn server_error_after_commit() {
    let c = sim().await;
    c.sim.set_faults(only("createInvoice", Faults { server_error: Knob::times(1), ..Default::default() }));
    let got = c.create(invoice("uuid-500-000000", &c_series(), now_ms())).await;
    assert_eq!(got.0, 500);
    assert_eq!(got.1["error"], "Internal Server Error", "{}", got.1);
    assert_ne!(got.1["message"], "GENERAL", "not to be taken for an expired token");
    assert_ok(&c.search("uuid-500-000000").await);
}

#[tokio::test]
async fn malformed_and_late_answers() {
    let c = sim().await;
    c.sim.set_faults(only("createInvoice", Faults { malformed: Knob::times(1), ..Default::default() }));
    let got = c.create(invoice("uuid-bad-000000", &c_series(), now_ms())).await;
    assert_eq!(got.0, 200);
    assert!(got.1.is_null(), "not JSON: {}", got.1);
    assert_ok(&c.search("uuid-bad-000000").await);

    c.sim.set_faults(only("searchInvoiceByTransactionUuid", Faults { delay_ms: 1500, ..Default::default() }));
    let late = c
        .http
        .post(format!("{}{API}/InvoiceWS/searchInvoiceByTransactionUuid?supplierTaxCode={TAX}&transactionUuid=uuid-bad", c.sim.url()))
        .header("Cookie", format!("access_token={}", c.token))
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(late.is_err(), "timed out");
    // `only` spares the other routes.
    assert_ok(&c.create(invoice("uuid-fast-000000", &c_series(), now_ms())).await);
    c.sim.clear_faults();
    assert_ok(&c.search("uuid-bad-000000").await);
}

#[tokio::test]
async fn login_has_its_own_faults() {
    let c = sim().await;
    c.sim.set_faults(only("login", Faults { server_error: Knob::times(1), ..Default::default() }));
    let (status, _) = c.raw_login(json!({ "username": TAX, "password": "demo-pass" })).await;
    assert_eq!(status, 500);
    assert_eq!(c.raw_login(json!({ "username": TAX, "password": "demo-pass" })).await.0, 200);
}

/// `dd/MM/yyyy` of an epoch-millisecond instant, in Asia/Ho_Chi_Minh, as the list takes it.
fn day_text(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap().to_offset(time::macros::offset!(+7));
    format!("{:02}/{:02}/{:04}", t.day(), u8::from(t.month()), t.year())
}

const LIST: &str = "InvoiceUtilsWS/getListInvoiceDataControl";

#[tokio::test]
async fn list_of_invoices_issued_on_the_days_asked() {
    let c = sim().await;
    let (first_no, first_date) = issue(&c, "uuid-l1-000000", &c_series()).await;
    let mut second = invoice("uuid-l2-000000", &k_series(), now_ms());
    second["buyerInfo"]["buyerName"] = json!("Trần Thị Bình");
    second["buyerInfo"]["buyerTaxCode"] = json!("");
    assert_ok(&c.create(second).await);
    let second_date = c.search("uuid-l2-000000").await.1["result"][0]["issueDate"].as_i64().unwrap();
    // A draft is not listed; neither is an invoice of another day.
    assert_ok(&c.json(&format!("InvoiceWS/createOrUpdateInvoiceDraft/{TAX}"), invoice("uuid-l3-000000", &c_series(), now_ms())).await);
    let week_ago = first_date - 7 * 86_400_000;
    c.sim.seed(SimInvoice { key: "uuid-old-000000".into(), pattern: "1/001".into(), serial: "C25TAA".into(), number: Some(9), status: 1, currency: "VND".into(), issued_at_ms: Some(week_ago), ..Default::default() });

    let today = day_text(first_date);
    let got = c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": today, "toDate": day_text(second_date) })).await;
    assert_ok(&got);
    assert!(got.1["description"].is_null(), "{}", got.1);
    assert_eq!(got.1["totalRows"], 2, "{}", got.1);
    let rows = got.1["invoices"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let (a, b) = (&rows[0], &rows[1]);
    assert_eq!(a["transactionUuid"], "uuid-l1-000000");
    assert_eq!(a["invoiceNo"], first_no);
    assert_eq!(a["invoiceNo"], format!("{}1", c_series()));
    assert_eq!(a["invoiceSeri"], c_series());
    assert_eq!(a["invoiceNumber"], "1");
    assert_eq!(a["templateCode"], "1/001");
    assert_eq!(a["adjustmentType"], "1");
    assert_eq!(a["currency"], "VND");
    assert_eq!((a["total"].as_i64(), a["totalBeforeTax"].as_i64(), a["taxAmount"].as_i64()), (Some(1100), Some(1000), Some(100)));
    assert_eq!(a["issueDate"], first_date);
    assert_eq!(a["createTime"], first_date);
    assert!(a["issueDateStr"].as_str().unwrap().starts_with(&today), "{a}");
    assert_eq!(a["state"], 1);
    assert_eq!(a["paymentStatus"], 0);
    assert_eq!(a["exchangeStatus"], 1);
    assert_eq!(a["supplierTaxCode"], TAX);
    assert_eq!(a["buyerName"], "Nguyễn Văn An");
    assert_eq!(a["buyerTaxCode"], "0312345673");
    assert!(a["originalInvoiceId"].is_null() && a["description"].is_null(), "{a}");
    assert!(a["invoiceId"].as_i64().is_some() && a["invoiceId"] != b["invoiceId"], "{a} {b}");
    assert_eq!(b["transactionUuid"], "uuid-l2-000000");
    assert_eq!(b["invoiceNo"], format!("{}1", k_series()));
    assert_eq!(b["total"], 1100);
    assert_eq!(b["buyerName"], "Trần Thị Bình");
    assert!(b["buyerTaxCode"].is_null(), "{b}");
    assert_eq!(b["issueDate"], second_date);
    assert_eq!(b["exchangeStatus"], -1, "a K series is sent, not approved");
    assert!(a["issueDate"].as_i64() <= b["issueDate"].as_i64());

    // Cancelled invoices stay listed, in a state of their own; an adjustment names its original.
    let cancel = [
        ("supplierTaxCode", TAX.to_string()),
        ("templateCode", "1/001".to_string()),
        ("invoiceNo", first_no.clone()),
        ("strIssueDate", first_date.to_string()),
        ("additionalReferenceDesc", "NA".to_string()),
        ("additionalReferenceDate", now_ms().to_string()),
        ("reasonDelete", "Lập sai".to_string()),
    ];
    assert_ok(&c.form_query("InvoiceWS/cancelTransactionInvoice", &cancel).await);
    let second_no = format!("{}1", k_series());
    let mut adjusting = change("uuid-l4-000000", "5", "1", &second_no, second_date);
    adjusting["generalInvoiceInfo"]["invoiceSeries"] = json!(k_series());
    assert_ok(&c.create(adjusting).await);
    let after = c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": today, "toDate": today })).await;
    assert_ok(&after);
    let rows = after.1["invoices"].as_array().unwrap();
    let uuids: Vec<&str> = rows.iter().map(|r| r["transactionUuid"].as_str().unwrap()).collect();
    if day_text(now_ms()) == today {
        assert_eq!(uuids, ["uuid-l1-000000", "uuid-l2-000000", "uuid-l4-000000"]);
        assert_eq!(rows[0]["state"], 2);
        assert_ne!(rows[0]["state"], 1);
        assert_eq!(rows[2]["adjustmentType"], "5");
        assert_eq!(rows[2]["originalInvoiceId"], rows[1]["invoiceId"]);
    }

    // The day a week ago holds the seeded invoice alone; a range around it too.
    let old = c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": day_text(week_ago), "toDate": day_text(week_ago) })).await;
    assert_eq!(old.1["totalRows"], 1, "{}", old.1);
    assert_eq!(old.1["invoices"][0]["transactionUuid"], "uuid-old-000000");
    let wide = c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": day_text(week_ago - 86_400_000), "toDate": day_text(now_ms()) })).await;
    assert_eq!(wide.1["invoices"][0]["transactionUuid"], "uuid-old-000000", "ordered by issue time");
    assert!(wide.1["invoices"].as_array().unwrap().iter().all(|r| r["transactionUuid"] != "uuid-l3-000000"), "no draft");
}

#[tokio::test]
async fn list_of_invoices_empty_range_and_refusals() {
    let c = sim().await;
    issue(&c, "uuid-e1-000000", &c_series()).await;
    let tomorrow = day_text(now_ms() + 2 * 86_400_000);
    let empty = c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": tomorrow, "toDate": tomorrow })).await;
    assert_ok(&empty);
    assert_eq!(empty.1["totalRows"], 0);
    assert_eq!(empty.1["invoices"], json!([]));
    let today = day_text(now_ms());
    // Dates not dd/MM/yyyy: epoch ms (as one note claims), ISO, an impossible day.
    for bad in [json!(now_ms()), json!(now_ms().to_string()), json!("2026-03-05"), json!("31/02/2026"), json!("05/13/2026"), json!("5/3/26")] {
        assert_refused(&c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": bad, "toDate": today })).await, 400, "BAD_REQUEST_FROM_DATE_INVALID");
        assert_refused(&c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": today, "toDate": bad })).await, 400, "BAD_REQUEST_TO_DATE_INVALID");
    }
    assert_refused(&c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": { "d": 1 }, "toDate": today })).await, 400, "BAD_REQUEST");
    assert_refused(&c.json(LIST, json!({ "supplierTaxCode": TAX, "toDate": today })).await, 400, "BAD_REQUEST_FROM_DATE_REQUIRED");
    assert_refused(&c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": today, "toDate": "" })).await, 400, "BAD_REQUEST_TO_DATE_REQUIRED");
    assert_refused(&c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": tomorrow, "toDate": today })).await, 400, "BAD_REQUEST_DATE_RANGE_INVALID");
    // Another seller's tax code, or none.
    assert_refused(&c.json(LIST, json!({ "supplierTaxCode": "0312345673", "fromDate": today, "toDate": today })).await, 400, "TAX_CODE_INVALID");
    assert_refused(&c.json(LIST, json!({ "fromDate": today, "toDate": today })).await, 400, "BAD_REQUEST_TAX_CODE_REQUIRED");
    // One-digit day and month are dates too.
    let t = time::OffsetDateTime::from_unix_timestamp(now_ms() / 1000).unwrap().to_offset(time::macros::offset!(+7));
    let short = format!("{}/{}/{}", t.day(), u8::from(t.month()), t.year());
    assert_ok(&c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": short, "toDate": short })).await);
    // A JSON route: a form is refused; without a token, unauthorized.
    let form = read(
        c.http
            .post(format!("{}{API}/{LIST}", c.sim.url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", format!("Bearer {}", c.token))
            .body(format!("supplierTaxCode={TAX}&fromDate={today}&toDate={today}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_refused(&form, 415, "UNSUPPORTED_MEDIA_TYPE");
    let body = json!({ "supplierTaxCode": TAX, "fromDate": today, "toDate": today }).to_string();
    let anonymous = read(c.http.post(format!("{}{API}/{LIST}", c.sim.url())).header("Content-Type", "application/json").body(body.clone()).send().await.unwrap()).await;
    assert_eq!(anonymous.0, 401, "{}", anonymous.1);
    assert_eq!(anonymous.1["error"], "unauthorized");
    let forged = read(c.http.post(format!("{}{API}/{LIST}", c.sim.url())).header("Content-Type", "application/json").header("Authorization", "Bearer forged").body(body.clone()).send().await.unwrap()).await;
    assert_eq!(forged.0, 401);
    assert_eq!(forged.1["error"], "invalid_token");
    // The Bearer token works as the cookie does.
    let bearer = read(c.http.post(format!("{}{API}/{LIST}", c.sim.url())).header("Content-Type", "application/json").header("Authorization", format!("Bearer {}", c.token)).body(body).send().await.unwrap()).await;
    assert_ok(&bearer);
    assert_eq!(bearer.1["totalRows"], 1);
    // A GET is not the route's method; the fault knobs know it by name.
    let get = read(c.http.get(format!("{}{API}/{LIST}", c.sim.url())).header("Cookie", format!("access_token={}", c.token)).send().await.unwrap()).await;
    assert_refused(&get, 405, "METHOD_NOT_ALLOWED");
    c.sim.set_faults(only("getListInvoiceDataControl", Faults { server_error: Knob::times(1), ..Default::default() }));
    let failed = c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": today, "toDate": today })).await;
    assert_eq!(failed.0, 500, "{}", failed.1);
    assert_ok(&c.json(LIST, json!({ "supplierTaxCode": TAX, "fromDate": today, "toDate": today })).await);
}
