//! The EasyInvoice simulator against requests typed by hand from the v8 integration
//! document and the facts of real tenants: the `Authentication` header, the envelope with
//! `ErrorCode` and the HTTP status, the XmlData tags, reason codes, the Decree-70 cancel.

use base64::Engine as _;
use hoadon_sim_einvoice::{start_easyinvoice, EasyInvoiceConfig, Faults, Knob, SimHandle, SimInvoice};
use md5::{Digest as _, Md5};
use serde_json::{json, Value};

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// `signature:nonce:timestamp:username:password[:taxCode]` as the document's C# sample makes it.
fn header(method: &str, ts: u64, nonce: &str, user: &str, pass: &str, tax: Option<&str>) -> String {
    let signature = base64::engine::general_purpose::STANDARD.encode(Md5::digest(format!("{}{ts}{nonce}", method.to_uppercase()).as_bytes()));
    match tax {
        Some(t) => format!("{signature}:{nonce}:{ts}:{user}:{pass}:{t}"),
        None => format!("{signature}:{nonce}:{ts}:{user}:{pass}"),
    }
}

fn good() -> String {
    header("POST", now(), "68cfe3f19b4b4668ae7746a514faf2cd", "demo", "demo-pass", Some("0312345673"))
}

async fn sim() -> SimHandle {
    start_easyinvoice(EasyInvoiceConfig::default(), 0).await.unwrap()
}

/// (HTTP status, body as JSON or Null).
async fn post_with(sim: &SimHandle, route: &str, auth: &str, body: String) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/{route}", sim.url()))
        .header("Content-Type", "application/json")
        .header("Authentication", auth)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn post(sim: &SimHandle, route: &str, body: Value) -> (u16, Value) {
    post_with(sim, route, &good(), body.to_string()).await
}

fn assert_error(got: &(u16, Value), http: u16, status: i64, code: i64) {
    assert_eq!(got.0, http, "{}", got.1);
    assert_eq!(got.1["Status"], status, "{}", got.1);
    assert_eq!(got.1["ErrorCode"], code, "{}", got.1);
    assert!(got.1.get("Message").is_some() && got.1.get("Data").is_some(), "{}", got.1);
}

fn assert_ok(got: &(u16, Value)) {
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["Status"], 2, "{}", got.1);
    assert_eq!(got.1["ErrorCode"], "0", "{}", got.1);
    assert_eq!(got.1["Message"], "Ok");
    let keys: Vec<&String> = got.1.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "exactly Status, Message, ErrorCode, Data: {}", got.1);
}

/// One invoice as the document's field table (VI.1, VI.2) lays it out.
fn invoice(ikey: &str) -> String {
    format!(
        "<Invoice><Ikey>{ikey}</Ikey><CusCode>KH01</CusCode><Buyer>Nguyễn Văn An</Buyer><CusName>Công ty TNHH An Bình</CusName><Email>an@example.vn</Email><EmailCC>ketoan@example.vn</EmailCC><CusAddress>12 Lê Lợi, TP. Hồ Chí Minh</CusAddress><CusTaxCode>0312345673</CusTaxCode><PaymentMethod>Tiền mặt/Chuyển khoản</PaymentMethod><ArisingDate>05/03/2026</ArisingDate><CurrencyUnit>VND</CurrencyUnit><Products><Product><No>1</No><Feature>1</Feature><Code>ST25</Code><ProdName>Gạo ST25</ProdName><ProdUnit>kg</ProdUnit><ProdQuantity>2</ProdQuantity><ProdPrice>35000</ProdPrice><Total>70000</Total><VATRate>8</VATRate><VATAmount>5600</VATAmount><Amount>75600</Amount><Extra>{{\"Pos\":\"n\"}}</Extra></Product></Products><Total>70000</Total><VATRate>8</VATRate><VATAmount>5600</VATAmount><Amount>75600</Amount><AmountInWords>Bảy mươi lăm nghìn sáu trăm đồng</AmountInWords></Invoice>"
    )
}

fn xml(invoices: &[String]) -> String {
    format!("<Invoices>{}</Invoices>", invoices.iter().map(|i| format!("<Inv>{i}</Inv>")).collect::<String>())
}

async fn issue(sim: &SimHandle, ikey: &str) -> (u16, Value) {
    post(sim, "publish/importAndIssueInvoice", json!({ "XmlData": xml(&[invoice(ikey)]), "Pattern": "1", "Serial": "C26TAA" })).await
}

#[tokio::test]
async fn a_correct_request_is_issued() {
    let sim = sim().await;
    let got = issue(&sim, "HD1-1-1").await;
    assert_ok(&got);
    assert_eq!(got.1["Data"]["KeyInvoiceNo"], json!({ "HD1-1-1": "0000001" }));
    assert_eq!(got.1["Data"]["Pattern"], "1");
    assert_eq!(got.1["Data"]["Invoices"][0]["Ikey"], "HD1-1-1");
    let held = sim.invoice("HD1-1-1").unwrap();
    assert_eq!((held.email.as_str(), held.email_cc.as_str()), ("an@example.vn", "ketoan@example.vn"));
    // The TT78 full symbol in Pattern with an empty Serial.
    let got = post(&sim, "publish/importAndIssueInvoice", json!({ "XmlData": xml(&[invoice("HD1-2-1")]), "Pattern": "1C26TAA", "Serial": "" })).await;
    assert_ok(&got);
    assert_eq!(got.1["Data"]["KeyInvoiceNo"]["HD1-2-1"], "0000002");
    // The five-field header still works where the tax code is not required.
    let five = header("POST", now(), "abc123", "demo", "demo-pass", None);
    let got = post_with(&sim, "account/verify", &five, "{}".into()).await;
    assert_ok(&got);
    // Households: Location tags are accepted; e-mails in CusEmails.
    let household = invoice("HD1-3-1").replace("<CusCode>", "<LocationCode>79001</LocationCode><LocationName>Cửa hàng 1</LocationName><LocationAddress>1 Hàm Nghi</LocationAddress><CusEmails>a@x.vn,b@x.vn</CusEmails><CusCode>");
    assert_ok(&post(&sim, "publish/importAndIssueInvoice", json!({ "XmlData": xml(&[household]), "Pattern": "1", "Serial": "C26TAA" })).await);
    assert_eq!(sim.invoice("HD1-3-1").unwrap().cus_emails, "a@x.vn,b@x.vn");
    // The account's templates and series.
    let got = post(&sim, "invoices/patterns", json!({})).await;
    assert_ok(&got);
    assert_eq!(got.1["Data"][0], json!({ "Pattern": "1", "Serial": "C26TAA", "Symbol": "1C26TAA" }));
    // An unknown route.
    let unknown = post(&sim, "publish/importAndPublishInv", json!({})).await;
    assert_eq!(unknown.0, 404);
    // GET is not a method of the API.
    let get = reqwest::Client::new().get(format!("{}/api/publish/getInvoicesByIkeys", sim.url())).header("Authentication", good()).send().await.unwrap();
    assert_eq!(get.status().as_u16(), 405);
}

#[tokio::test]
async fn authentication_is_checked_byte_for_byte() {
    let sim = start_easyinvoice(EasyInvoiceConfig { require_tax_code: true, ..Default::default() }, 0).await.unwrap();
    let body = || "{}".to_string();
    let ts = now();
    let right = header("POST", ts, "abc", "demo", "demo-pass", Some("0312345673"));
    let first = if right.starts_with('A') { "B" } else { "A" };
    let wrong_signature = format!("{first}{}", &right[1..]);
    assert_error(&post_with(&sim, "account/verify", &wrong_signature, body()).await, 401, 5, 175);
    // Signed for GET, sent with POST; the method lowercase is uppercased by the document.
    assert_error(&post_with(&sim, "account/verify", &header("GET", ts, "abc", "demo", "demo-pass", Some("0312345673")), body()).await, 401, 5, 175);
    assert_ok(&post_with(&sim, "account/verify", &header("post", ts, "abc", "demo", "demo-pass", Some("0312345673")), body()).await);
    // Stale timestamp; milliseconds instead of seconds; a nonce with a dash.
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts - 3600, "abc", "demo", "demo-pass", Some("0312345673")), body()).await, 401, 5, 175);
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts * 1000, "abc", "demo", "demo-pass", Some("0312345673")), body()).await, 401, 5, 175);
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "ab-c", "demo", "demo-pass", Some("0312345673")), body()).await, 401, 5, 175);
    // The tax code with a leading space is another tax code (HTTP itself trims the ends).
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "abc", "demo", "demo-pass", Some(" 0312345673")), body()).await, 401, 5, 176);
    // The user name in another case is another user.
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "abc", "Demo", "demo-pass", Some("0312345673")), body()).await, 401, 5, 175);
    // Unknown user; wrong password; tax code missing and wrong.
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "abc", "nobody", "demo-pass", Some("0312345673")), body()).await, 401, 5, 175);
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "abc", "demo", "wrong", Some("0312345673")), body()).await, 401, 5, 177);
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "abc", "demo", "demo-pass", None), body()).await, 401, 5, 176);
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "abc", "demo", "demo-pass", Some("0312345674")), body()).await, 401, 5, 176);
    // A password with ':' breaks the fields.
    assert_error(&post_with(&sim, "account/verify", &header("POST", ts, "abc", "demo", "demo:pass", Some("0312345673")), body()).await, 401, 5, 175);
    // No header at all.
    let none = reqwest::Client::new().post(format!("{}/api/account/verify", sim.url())).body("{}").send().await.unwrap();
    assert_eq!(none.status().as_u16(), 401);
    // Authenticated but not JSON.
    assert_error(&post_with(&sim, "account/verify", &good(), "{not json".into()).await, 400, 4, 100);
}

#[tokio::test]
async fn xml_data_is_read_strictly() {
    let sim = sim().await;
    let send = |invoices: Vec<String>| json!({ "XmlData": xml(&invoices), "Pattern": "1", "Serial": "C26TAA" });
    // A lowercase <ikey> is no <Ikey>.
    let lower = invoice("K1").replace("<Ikey>K1</Ikey>", "<ikey>K1</ikey>");
    let got = post(&sim, "publish/importAndIssueInvoice", send(vec![lower])).await;
    assert_error(&got, 400, 4, 127);
    assert!(got.1["Message"].as_str().unwrap().contains("<Ikey>"), "{}", got.1);
    // Wrong structure and not XML.
    assert_error(&post(&sim, "publish/importAndIssueInvoice", json!({ "XmlData": "<invoices/>", "Pattern": "1", "Serial": "C26TAA" })).await, 400, 4, 127);
    assert_error(&post(&sim, "publish/importAndIssueInvoice", json!({ "XmlData": "<Invoices><Inv>", "Pattern": "1", "Serial": "C26TAA" })).await, 400, 4, 127);
    // Required fields and their absence.
    assert_error(&post(&sim, "publish/importAndIssueInvoice", json!({ "Pattern": "1", "Serial": "C26TAA" })).await, 400, 4, 102);
    assert_error(&post(&sim, "publish/importAndIssueInvoice", json!({ "XmlData": xml(&[invoice("K2")]), "Pattern": "3", "Serial": "C26TAA" })).await, 400, 4, 117);
    for (key, broken, mentions) in [
        ("K3", invoice("K3").replace("<PaymentMethod>Tiền mặt/Chuyển khoản</PaymentMethod>", ""), "PaymentMethod"),
        ("K4", invoice("K4").replace("05/03/2026", "2026-03-05"), "ArisingDate"),
        ("K5", invoice("K5").replace("<CurrencyUnit>VND</CurrencyUnit>", "<CurrencyUnit></CurrencyUnit>"), "CurrencyUnit"),
        ("K6", invoice("K6").replace("<CusAddress>12 Lê Lợi, TP. Hồ Chí Minh</CusAddress>", ""), "CusAddress"),
        ("K7", invoice("K7").replace("<Buyer>Nguyễn Văn An</Buyer>", "").replace("<CusName>Công ty TNHH An Bình</CusName>", "").replace("<CusTaxCode>0312345673</CusTaxCode>", ""), "Buyer"),
        ("K8", invoice("K8").replace("Gạo ST25</ProdName>", &format!("{}</ProdName>", "x".repeat(501))), "500"),
        ("K9", invoice("K9").replace("<Feature>1</Feature>", "<Feature>3</Feature>"), "Feature 3"),
        ("K10", invoice("K10").replace("<Amount>75600</Amount><AmountInWords>", "<Amount>75601</Amount><AmountInWords>"), "Amount"),
        ("K11", invoice("K11").replace("<AmountInWords>Bảy mươi lăm nghìn sáu trăm đồng</AmountInWords>", ""), "AmountInWords"),
        ("K12", invoice("K12").replace("<Email>an@example.vn</Email>", &format!("<Email>{}@example.vn</Email>", "a".repeat(45))), "Email"),
    ] {
        let got = post(&sim, "publish/importAndIssueInvoice", send(vec![broken])).await;
        assert_error(&got, 409, 4, 129);
        let msg = got.1["Data"]["KeyInvoiceMsg"][key].as_str().unwrap_or_else(|| panic!("{key}: {}", got.1));
        assert!(msg.contains(mentions), "{key}: {msg}");
    }
    let long = "K".repeat(51);
    assert_error(&post(&sim, "publish/importAndIssueInvoice", send(vec![invoice(&long)])).await, 409, 4, 129);
    // A negative invoice.
    let negative = invoice("K13").replace("70000", "-70000").replace("5600", "-5600").replace("75600", "-75600");
    assert_error(&post(&sim, "publish/importAndIssueInvoice", send(vec![negative])).await, 409, 4, 129);
    // A cash-register symbol needs TaxAuthorityCode (≤ 23).
    let cash = |i: String| json!({ "XmlData": xml(&[i]), "Pattern": "1", "Serial": "C26MAA" });
    assert_error(&post(&sim, "publish/importAndIssueInvoice", cash(invoice("K14"))).await, 409, 4, 129);
    let too_long = invoice("K15").replace("<PaymentMethod>", "<TaxAuthorityCode>M1-26-AB123-001000000420</TaxAuthorityCode><PaymentMethod>");
    assert_error(&post(&sim, "publish/importAndIssueInvoice", cash(too_long)).await, 409, 4, 129);
    let coded = invoice("K16").replace("<PaymentMethod>", "<TaxAuthorityCode>M1-26-AB123-00100000042</TaxAuthorityCode><PaymentMethod>");
    assert_ok(&post(&sim, "publish/importAndIssueInvoice", cash(coded)).await);
    assert_eq!(sim.invoice("K16").unwrap().tax_authority_code.as_deref(), Some("M1-26-AB123-00100000042"));
    assert_eq!(sim.issued_count(), 1);
}

#[tokio::test]
async fn same_ikey_updates_a_draft_and_refuses_a_signed_one() {
    let sim = sim().await;
    let draft = |total: &str| json!({ "XmlData": xml(&[invoice("D1").replace("<Buyer>Nguyễn Văn An</Buyer>", &format!("<Buyer>{total}</Buyer>"))]), "Pattern": "1", "Serial": "C26TAA" });
    let got = post(&sim, "publish/importInvoice", draft("Lần 1")).await;
    assert_ok(&got);
    assert_eq!(got.1["Data"]["Ikeys"], json!(["D1"]));
    assert_eq!(got.1["Data"]["Invoices"][0]["No"], "0");
    assert_ok(&post(&sim, "publish/importInvoice", draft("Lần 2")).await);
    assert_eq!(sim.invoice("D1").unwrap().buyer, "Lần 2");
    assert_error(&post(&sim, "publish/issueInvoices", json!({ "Ikeys": ["D1"] })).await, 400, 4, 102);
    let got = post(&sim, "publish/issueInvoices", json!({ "Ikeys": ["D1"], "Pattern": "1", "Serial": "C26TAA" })).await;
    assert_ok(&got);
    assert_eq!(got.1["Data"]["KeyInvoiceNo"]["D1"], "0000001");
    let again = post(&sim, "publish/importInvoice", draft("Lần 3")).await;
    assert_error(&again, 409, 4, 129);
    assert!(again.1["Data"]["KeyInvoiceMsg"]["D1"].as_str().unwrap().contains("đã tồn tại"));
    let again = issue(&sim, "D1").await;
    assert_error(&again, 409, 4, 129);
    assert_eq!(sim.issued_count(), 1);
    // The state, by Ikeys.
    let got = post(&sim, "publish/getInvoicesByIkeys", json!({ "Ikeys": ["D1", "NOPE"] })).await;
    assert_ok(&got);
    let invoices = got.1["Data"]["Invoices"].as_array().unwrap();
    for field in ["InvoiceStatus", "Pattern", "Serial", "No", "Ikey", "LookupCode", "ArisingDate", "IssueDate", "Buyer", "CustomerName", "Total", "TaxAmount", "Amount", "TCTCheckStatus", "TCTErrorMessage", "TaxAuthorityCode"] {
        assert!(invoices[0].get(field).is_some(), "{field} in {}", invoices[0]);
    }
    assert_eq!(invoices[0]["InvoiceStatus"], 1);
    assert_eq!(invoices[0]["TCTCheckStatus"], Value::Null);
    assert_eq!(invoices[1], json!({ "Ikey": "NOPE", "InvoiceStatus": -1 }));
    assert_error(&post(&sim, "publish/getInvoicesByIkeys", json!({ "Ikeys": ["NOPE"] })).await, 404, 4, 128);
    let got = post(&sim, "publish/checkInvoiceState", json!({ "Ikeys": ["D1", "NOPE"] })).await;
    assert_eq!(got.1["Data"]["KeyInvoiceMsg"], json!({ "D1": 1, "NOPE": -1 }));
    // Drafts are removed, signed invoices not.
    assert_ok(&post(&sim, "publish/importInvoice", json!({ "XmlData": xml(&[invoice("D2")]), "Pattern": "1", "Serial": "C26TAA" })).await);
    assert_error(&post(&sim, "business/cancelInvoice", json!({ "Ikey": "D2", "Pattern": "1", "Serial": "C26TAA" })).await, 400, 4, 164);
    assert_ok(&post(&sim, "business/removeUnsignedInvoice", json!({ "Ikey": "D2", "Pattern": "1", "Serial": "C26TAA" })).await);
    assert_error(&post(&sim, "business/removeUnsignedInvoice", json!({ "Ikey": "D2" })).await, 404, 4, 165);
    assert_error(&post(&sim, "business/removeUnsignedInvoice", json!({ "Ikey": "D1" })).await, 409, 4, 129);
    // The PDF is raw bytes.
    let pdf = reqwest::Client::new()
        .post(format!("{}/api/publish/getInvoicePdf", sim.url()))
        .header("Authentication", good())
        .body(json!({ "Ikey": "D1", "Pattern": "1", "Option": 0 }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_error(&post(&sim, "publish/getInvoicePdf", json!({ "Ikey": "NOPE" })).await, 404, 4, 165);
}

fn change_xml(root: &str, ikey: &str, reason: Option<&str>) -> String {
    let reason = reason.map(|r| format!("<AdjustReplaceReasonCode>{r}</AdjustReplaceReasonCode>")).unwrap_or_default();
    invoice(ikey).replace("<Invoice>", &format!("<{root}>")).replace("</Invoice>", &format!("{reason}</{root}>"))
}

#[tokio::test]
async fn adjust_and_replace_need_a_reason_code() {
    let sim = sim().await;
    assert_ok(&issue(&sim, "O1").await);
    assert_ok(&issue(&sim, "O2").await);
    let req = |root: &str, ikey: &str, reason: Option<&str>, original: &str| json!({ "Ikey": original, "Pattern": "1", "Serial": "C26TAA", "XmlData": change_xml(root, ikey, reason) });
    let got = post(&sim, "business/adjustInvoice", req("AdjustInv", "O1a", None, "O1")).await;
    assert_error(&got, 409, 4, 129);
    assert!(got.1["Data"]["KeyInvoiceMsg"]["O1a"].as_str().unwrap().contains("AdjustReplaceReasonCode"));
    assert_error(&post(&sim, "business/adjustInvoice", req("AdjustInv", "O1a", Some("15"), "O1")).await, 409, 4, 129);
    assert_error(&post(&sim, "business/adjustInvoice", req("AdjustInv", "O1a", Some("0"), "O1")).await, 409, 4, 129);
    assert_error(&post(&sim, "business/adjustInvoice", req("ReplaceInv", "O1a", Some("4"), "O1")).await, 400, 4, 127);
    assert_error(&post(&sim, "business/adjustInvoice", req("AdjustInv", "O1a", Some("4"), "NOPE")).await, 404, 4, 165);
    let got = post(&sim, "business/adjustInvoice", req("AdjustInv", "O1a", Some("4"), "O1")).await;
    assert_ok(&got);
    assert_eq!(got.1["Data"]["KeyInvoiceNo"]["O1a"], "0000003");
    assert_eq!(sim.invoice("O1").unwrap().status, 4);
    assert_eq!(sim.invoice("O1a").unwrap().reason_code, Some(4));
    let got = post(&sim, "business/replaceInvoice", req("ReplaceInv", "O2r", Some("13"), "O2")).await;
    assert_ok(&got);
    assert_eq!(sim.invoice("O2").unwrap().status, 3);
    assert_error(&post(&sim, "business/replaceInvoice", req("ReplaceInv", "O2s", Some("13"), "O2")).await, 409, 4, 129);
}

#[tokio::test]
async fn decree_70_cancel() {
    let sim = sim().await;
    for key in ["C1", "C2", "C3", "C4"] {
        assert_ok(&issue(&sim, key).await);
    }
    // Accepted by the tax authority, remote signing: a 0-đồng replacement.
    assert!(sim.set_tct_status("C1", Some(1)));
    let got = post(&sim, "business/cancelInvoice", json!({ "Ikey": "C1", "Pattern": "1", "Serial": "C26TAA" })).await;
    assert_ok(&got);
    assert_eq!(got.1["Data"]["KeyInvoiceNo"], json!({ "C1-HUY": "0000005" }));
    let replacement = &got.1["Data"]["Invoices"][0];
    assert_eq!((replacement["Ikey"].as_str(), replacement["Amount"].as_i64(), replacement["InvoiceStatus"].as_i64()), (Some("C1-HUY"), Some(0), Some(1)));
    assert_eq!(sim.invoice("C1").unwrap().status, 3);
    assert_eq!(sim.invoice("C1-HUY").unwrap().replaces.as_deref(), Some("C1"));
    assert_eq!(sim.issued_per_key().get("C1-HUY"), Some(&1));
    // Again: the original is replaced now.
    assert_error(&post(&sim, "business/cancelInvoice", json!({ "Ikey": "C1" })).await, 400, 4, 164);
    // The replacement itself cannot be cancelled.
    assert_error(&post(&sim, "business/cancelInvoice", json!({ "Ikey": "C1-HUY" })).await, 400, 4, 164);
    // Still being checked: refused.
    assert!(sim.set_tct_status("C2", Some(-1)));
    assert_error(&post(&sim, "business/cancelInvoice", json!({ "Ikey": "C2" })).await, 400, 4, 164);
    // Rejected by the tax authority, or never sent: cancelled the old way.
    assert!(sim.set_tct_status("C2", Some(-2)));
    let got = post(&sim, "business/cancelInvoice", json!({ "Ikey": "C2" })).await;
    assert_ok(&got);
    assert_eq!(got.1["Data"]["KeyInvoiceNo"], json!({}));
    assert_eq!(sim.invoice("C2").unwrap().status, 5);
    assert_ok(&post(&sim, "business/cancelInvoice", json!({ "Ikey": "C3" })).await);
    assert_eq!(sim.invoice("C3").unwrap().status, 5);
    assert_error(&post(&sim, "business/cancelInvoice", json!({ "Ikey": "NOPE" })).await, 404, 4, 165);
    assert_error(&post(&sim, "business/cancelInvoice", json!({})).await, 400, 4, 102);
    // The same over the control route.
    let r = reqwest::Client::new().post(format!("{}/_sim/tct", sim.url())).header("Content-Type", "application/json").body(r#"{"key":"C4","status":1}"#).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(sim.invoice("C4").unwrap().tct_status, Some(1));

    // A USB-token account: an accepted invoice cannot be cancelled.
    let token = start_easyinvoice(EasyInvoiceConfig { remote_signing: false, ..Default::default() }, 0).await.unwrap();
    assert_ok(&issue(&token, "T1").await);
    token.set_tct_status("T1", Some(1));
    assert_error(&post(&token, "business/cancelInvoice", json!({ "Ikey": "T1" })).await, 400, 4, 164);
    assert_eq!(token.invoice("T1").unwrap().status, 1);
}

#[tokio::test]
async fn issuance_notice_reports_per_key() {
    let sim = sim().await;
    assert_ok(&issue(&sim, "N1").await);
    assert_ok(&post(&sim, "publish/importInvoice", json!({ "XmlData": xml(&[invoice("N2")]), "Pattern": "1", "Serial": "C26TAA" })).await);
    let got = post(&sim, "business/sendIssuanceNotice", json!({ "IkeyEmail": { "N1": "an@example.vn", "N2": "an@example.vn", "NOPE": "an@example.vn" } })).await;
    assert_ok(&got);
    let msg = &got.1["Data"]["KeyInvoiceMsg"];
    assert!(msg["N1"].as_str().unwrap().contains("Đã gửi"), "{msg}");
    assert!(msg["N2"].as_str().unwrap().contains("không cho phép"), "{msg}");
    assert!(msg["NOPE"].as_str().unwrap().contains("Không tìm thấy"), "{msg}");
    let got = post(&sim, "business/sendIssuanceNotice", json!({ "IkeyEmail": { "N1": "not-an-email" } })).await;
    assert!(got.1["Data"]["KeyInvoiceMsg"]["N1"].as_str().unwrap().contains("Email"));
    // The old shape, {"Ikey": …}, is not the document's.
    assert_error(&post(&sim, "business/sendIssuanceNotice", json!({ "Ikey": "N1" })).await, 400, 4, 102);
}

#[tokio::test]
async fn seeded_invoice_is_a_duplicate() {
    let sim = sim().await;
    sim.seed(SimInvoice { key: "S1".into(), pattern: "1".into(), serial: "C26TAA".into(), number: Some(3), status: 1, arising_date: "01/03/2026".into(), ..Default::default() });
    assert_error(&issue(&sim, "S1").await, 409, 4, 129);
    let got = issue(&sim, "S2").await;
    assert_eq!(got.1["Data"]["KeyInvoiceNo"]["S2"], "0000004");
    assert_eq!(sim.issued_count(), 2);
}

#[tokio::test]
async fn a_server_error_after_storing_is_status_5_then_found_by_ikey() {
    let sim = sim().await;
    sim.set_faults(Faults { server_error: Knob::times(1), only: vec!["importAndIssueInvoice".into()], ..Default::default() });
    // Another route is not affected.
    assert_ok(&post(&sim, "account/verify", json!({})).await);
    let got = issue(&sim, "E1").await;
    assert_error(&got, 500, 5, 199);
    // The invoice was issued all the same: asking by Ikey finds it.
    let got = post(&sim, "publish/getInvoicesByIkeys", json!({ "Ikeys": ["E1"] })).await;
    assert_eq!(got.1["Data"]["Invoices"][0]["No"], "0000001");
    sim.set_faults(Faults { drop_after_commit: Knob::times(1), ..Default::default() });
    let lost = reqwest::Client::new()
        .post(format!("{}/api/publish/importAndIssueInvoice", sim.url()))
        .header("Authentication", good())
        .body(json!({ "XmlData": xml(&[invoice("E2")]), "Pattern": "1", "Serial": "C26TAA" }).to_string())
        .send()
        .await;
    assert!(lost.is_err());
    assert_eq!(sim.issued_per_key().get("E2"), Some(&1));
}
