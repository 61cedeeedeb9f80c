//! The VNPT simulator against requests typed by hand from the WSDLs (`wsdl/OPERATIONS.txt`)
//! and document 004: each correct request gets the documented answer, and each request the
//! real ASP.NET service would refuse gets HTTP 500 and a soap:Fault.

use base64::Engine as _;
use hoadon_sim_einvoice::{start_vnpt, Faults, Knob, SimHandle, SimInvoice, TaxVerdict, VnptConfig};

const ENV_OPEN: &str = r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>"#;
const ENV_CLOSE: &str = "</soap:Body></soap:Envelope>";

async fn sim() -> SimHandle {
    start_vnpt(VnptConfig::default(), 0).await.unwrap()
}

/// Posts a whole envelope; (HTTP status, body).
async fn post(sim: &SimHandle, service: &str, action: &str, envelope: String) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{}/{service}.asmx", sim.url()))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", action)
        .body(envelope)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Posts `<op xmlns="http://tempuri.org/">params</op>` with `SOAPAction: "http://tempuri.org/op"`.
async fn call(sim: &SimHandle, service: &str, op: &str, params: &str) -> (u16, String) {
    post(sim, service, &format!("\"http://tempuri.org/{op}\""), format!(r#"{ENV_OPEN}<{op} xmlns="http://tempuri.org/">{params}</{op}>{ENV_CLOSE}"#)).await
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The text of `<opResult>` in a 200 answer.
async fn result(sim: &SimHandle, service: &str, op: &str, params: &str) -> String {
    let (status, body) = call(sim, service, op, params).await;
    assert_eq!(status, 200, "{body}");
    let open = format!("<{op}Result>");
    let close = format!("</{op}Result>");
    assert!(body.contains(&format!("<{op}Response xmlns=\"http://tempuri.org/\">")), "{body}");
    let start = body.find(&open).map(|i| i + open.len());
    match start {
        Some(s) => unescape(&body[s..body.find(&close).unwrap()]),
        None => {
            assert!(body.contains(&format!("<{op}Result />")) || body.contains(&format!("<{op}Result/>")), "{body}");
            String::new()
        }
    }
}

fn assert_fault(status: u16, body: &str, code: &str, mentions: &str) {
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("<soap:Fault>"), "{body}");
    assert!(body.contains(&format!("<faultcode>{code}</faultcode>")), "{body}");
    assert!(unescape(body).contains(mentions), "fault should mention {mentions}: {body}");
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One invoice as document 004 lays it out (fields marked * filled).
fn inv(key: &str, cus_address: &str) -> String {
    format!(
        "<Inv><key>{key}</key><Invoice><CusCode>KH01</CusCode><CusName>Công ty TNHH An Bình</CusName><CusAddress>{cus_address}</CusAddress><CusPhone></CusPhone><CusTaxCode>0312345673</CusTaxCode><PaymentMethod>TM/CK</PaymentMethod><Products><Product><ProdName>Gạo ST25</ProdName><ProdUnit>kg</ProdUnit><ProdQuantity>2</ProdQuantity><ProdPrice>35000</ProdPrice><Amount>70000</Amount></Product></Products><Total>70000</Total><VATRate>8</VATRate><VATAmount>5600</VATAmount><Amount>75600</Amount><AmountInWords>Bảy mươi lăm nghìn sáu trăm đồng</AmountInWords><ArisingDate>05/03/2026</ArisingDate></Invoice></Inv>"
    )
}

fn batch(invs: &[String]) -> String {
    format!("<Invoices>{}</Invoices>", invs.concat())
}

/// ImportAndPublishInv's parameters in the WSDL's order, the data escaped as text.
fn publish_params(data: &str, pattern: &str, serial: &str) -> String {
    format!(
        "<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{}</xmlInvData><username>service</username><password>service-pass</password><pattern>{pattern}</pattern><serial>{serial}</serial><convert>0</convert>",
        xml_escape(data)
    )
}

#[tokio::test]
async fn import_and_publish_answers_with_the_pattern_and_numbers() {
    let sim = sim().await;
    let data = batch(&[inv("HD1-1-1", "12 Lê Lợi"), inv("HD1-2-1", "14 Lê Lợi")]);
    let r = result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&data, "1/001", "C26TAA")).await;
    assert_eq!(r, "OK:1/001;C26TAA-HD1-1-1_1,HD1-2-1_2");
    assert_eq!(sim.issued_count(), 2);
    // The data in CDATA instead of escaped: the same.
    let cdata = format!(
        "<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData><![CDATA[{}]]></xmlInvData><username>service</username><password>service-pass</password><pattern>1/001</pattern><serial>C26TAA</serial><convert>0</convert>",
        batch(&[inv("HD1-3-1", "1 Hàm Nghi")])
    );
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &cdata).await, "OK:1/001;C26TAA-HD1-3-1_3");
    // The key again: ERR:13; nothing issued twice.
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("HD1-1-1", "x")]), "1/001", "C26TAA")).await, "ERR:13");
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
    // The SOAPAction without quotes is the same action.
    let (status, body) = post(
        &sim,
        "PublishService",
        "http://tempuri.org/ImportAndPublishInv",
        format!(r#"{ENV_OPEN}<ImportAndPublishInv xmlns="http://tempuri.org/">{}</ImportAndPublishInv>{ENV_CLOSE}"#, publish_params(&batch(&[inv("HD1-4-1", "x")]), "2/001", "C26TBB")),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("OK:2/001;C26TBB-HD1-4-1_1"), "{body}");
}

#[tokio::test]
async fn invoice_data_checked_as_document_004_says() {
    let sim = sim().await;
    let publish = |data: String| async move { publish_params(&data, "1/001", "C26TAA") };
    // An empty required element counts as missing.
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish(batch(&[inv("K1", "")])).await).await, "ERR:3");
    let no_address = inv("K2", "x").replace("<CusAddress>x</CusAddress>", "");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish(batch(&[no_address])).await).await, "ERR:3");
    let no_code = inv("K3", "x").replace("<CusCode>KH01</CusCode>", "");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish(batch(&[no_code])).await).await, "ERR:3");
    // Exact case: <inv>, <Key>, <prodName> are not the document's elements.
    for wrong in [inv("K4", "x").replace("<Inv>", "<inv>").replace("</Inv>", "</inv>"), inv("K5", "x").replace("<key>K5</key>", "<Key>K5</Key>"), inv("K6", "x").replace("ProdName>", "prodName>")] {
        assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish(batch(&[wrong])).await).await, "ERR:3");
    }
    for bad_key in ["K_7", "K,8", "K;9"] {
        assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish(batch(&[inv(bad_key, "x")])).await).await, "ERR:3", "{bad_key}");
    }
    let figures = inv("K10", "x").replace("<Amount>75600</Amount>", "<Amount>75601</Amount>");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish(batch(&[figures])).await).await, "ERR:5");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("K11", "x")]), "1/001", "C25TAA")).await, "ERR:20");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("K12", "x")]), "1/001", "")).await, "ERR:20");
    let wrong_login = publish_params(&batch(&[inv("K13", "x")]), "1/001", "C26TAA").replace("<password>service-pass</password>", "<password>nope</password>");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &wrong_login).await, "ERR:1");
    assert_eq!(sim.issued_count(), 0);
}

#[tokio::test]
async fn soap_refusals_are_faults() {
    let sim = sim().await;
    let params = publish_params(&batch(&[inv("F1", "x")]), "1/001", "C26TAA");
    // The operation element in the wrong case.
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!(r#"{ENV_OPEN}<importAndPublishInv xmlns="http://tempuri.org/">{params}</importAndPublishInv>{ENV_CLOSE}"#)).await;
    assert_fault(s, &b, "soap:Client", "importAndPublishInv");
    // A parameter in the wrong case.
    let (s, b) = call(&sim, "PublishService", "ImportAndPublishInv", &params.replace("<password>", "<Password>").replace("</password>", "</Password>")).await;
    assert_fault(s, &b, "soap:Client", "Password");
    // No namespace on the operation element.
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!("{ENV_OPEN}<ImportAndPublishInv>{params}</ImportAndPublishInv>{ENV_CLOSE}")).await;
    assert_fault(s, &b, "soap:Client", "was not expected");
    // The wrong namespace on the operation element.
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!(r#"{ENV_OPEN}<ImportAndPublishInv xmlns="http://tempuri.org">{params}</ImportAndPublishInv>{ENV_CLOSE}"#)).await;
    assert_fault(s, &b, "soap:Client", "http://tempuri.org");
    // Parameters without the namespace (a prefixed operation, unqualified children).
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!(r#"{ENV_OPEN}<t:ImportAndPublishInv xmlns:t="http://tempuri.org/">{params}</t:ImportAndPublishInv>{ENV_CLOSE}"#)).await;
    assert_fault(s, &b, "soap:Client", "parameters are in http://tempuri.org/");
    // The same, qualified through the prefix: accepted.
    let prefixed = params.replace('<', "<t:").replace("<t:/", "</t:");
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!(r#"{ENV_OPEN}<t:ImportAndPublishInv xmlns:t="http://tempuri.org/">{prefixed}</t:ImportAndPublishInv>{ENV_CLOSE}"#)).await;
    assert_eq!(s, 200, "{b}");
    assert!(b.contains("OK:1/001;C26TAA-F1_1"), "{b}");
    // A SOAP 1.2 envelope, and none at all.
    let soap12 = format!(r#"<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body><ImportAndPublishInv xmlns="http://tempuri.org/">{params}</ImportAndPublishInv></soap12:Body></soap12:Envelope>"#);
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", soap12).await;
    assert_fault(s, &b, "soap:VersionMismatch", "http://www.w3.org/2003/05/soap-envelope");
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!("<Envelope><Body><ImportAndPublishInv xmlns=\"http://tempuri.org/\">{params}</ImportAndPublishInv></Body></Envelope>")).await;
    assert_fault(s, &b, "soap:VersionMismatch", "Expecting http://schemas.xmlsoap.org/soap/envelope/");
    // The document's parameter name where the WSDL has another (`pass`, not `password`).
    let (s, b) = call(&sim, "PublishService", "ImportAndPublishInv", &params.replace("<password>", "<pass>").replace("</password>", "</pass>")).await;
    assert_fault(s, &b, "soap:Client", "<pass> is not a parameter of ImportAndPublishInv");
    // An unknown parameter.
    let (s, b) = call(&sim, "PublishService", "ImportAndPublishInv", &format!("{params}<extra>1</extra>")).await;
    assert_fault(s, &b, "soap:Client", "<extra>");
    // Parameters out of order.
    let swapped = params.replace("<username>service</username><password>service-pass</password>", "<password>service-pass</password><username>service</username>");
    let (s, b) = call(&sim, "PublishService", "ImportAndPublishInv", &swapped).await;
    assert_fault(s, &b, "soap:Client", "out of order");
    // A required int left out, and one that is no int.
    let (s, b) = call(&sim, "PublishService", "ImportAndPublishInv", &params.replace("<convert>0</convert>", "")).await;
    assert_fault(s, &b, "soap:Client", "<convert> (int) is required");
    let (s, b) = call(&sim, "PublishService", "ImportAndPublishInv", &params.replace("<convert>0</convert>", "<convert>no</convert>")).await;
    assert_fault(s, &b, "soap:Client", "is not an int");
    // An operation of another .asmx.
    let cancel = "<Account>admin</Account><ACpass>admin-pass</ACpass><fkey>F1</fkey><userName>service</userName><userPass>service-pass</userPass>";
    let (s, b) = call(&sim, "PublishService", "cancelInv", cancel).await;
    assert_fault(s, &b, "soap:Client", "Server did not recognize the value of HTTP Header SOAPAction: http://tempuri.org/cancelInv.");
    let report = "<year>2026</year><quarter>1</quarter><currentQuater>1</currentQuater><username>service</username><pass>service-pass</pass>";
    let (s, b) = call(&sim, "PortalService", "reportInvUsed", report).await;
    assert_fault(s, &b, "soap:Client", "SOAPAction: http://tempuri.org/reportInvUsed");
    // A SOAPAction that does not match the body.
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportInvByPattern\"", format!(r#"{ENV_OPEN}<ImportAndPublishInv xmlns="http://tempuri.org/">{params}</ImportAndPublishInv>{ENV_CLOSE}"#)).await;
    assert_fault(s, &b, "soap:Client", "Expected <ImportInvByPattern");
    // No SOAPAction, or one outside tempuri.org.
    let response = reqwest::Client::new().post(format!("{}/PublishService.asmx", sim.url())).body(format!("{ENV_OPEN}{ENV_CLOSE}")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let (s, b) = post(&sim, "PublishService", "\"urn:ImportAndPublishInv\"", String::new()).await;
    assert_fault(s, &b, "soap:Client", "did not recognize");
    // Something beside the Body, and a broken envelope.
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!(r#"{ENV_OPEN}<ImportAndPublishInv xmlns="http://tempuri.org/">{params}</ImportAndPublishInv><x/>{ENV_CLOSE}"#)).await;
    assert_fault(s, &b, "soap:Client", "more than one element");
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", format!("{ENV_OPEN}<ImportAndPublishInv xmlns=\"http://tempuri.org/\">")).await;
    assert_fault(s, &b, "soap:Client", "unable to read request");
    assert_eq!(sim.issued_count(), 1, "only the prefixed, qualified request issued");
}

#[tokio::test]
async fn cash_register_items_carry_the_tax_authority_code() {
    let sim = sim().await;
    let r = result(&sim, "PublishService", "ImportAndPublishInvMTT", &publish_params(&batch(&[inv("M1", "x")]), "1/001", "C26MAA")).await;
    assert_eq!(r, "OK:1/001;C26MAA-M1_1_M1-26-SIMUL-00000000001");
    let with_code = inv("M2", "x").replace("<PaymentMethod>", "<MCCQT>M1-26-AB123-00100000042</MCCQT><PaymentMethod>");
    let r = result(&sim, "PublishService", "ImportAndPublishInvMTT", &publish_params(&batch(&[with_code]), "1/001", "C26MAA")).await;
    assert_eq!(r, "OK:1/001;C26MAA-M2_2_M1-26-AB123-00100000042");
}

fn draft_params(data: &str) -> String {
    publish_params(data, "1/001", "C26TAA")
}

fn publish_fkey(keys: &str) -> String {
    format!("<Account>admin</Account><ACpass>admin-pass</ACpass><lsFkey>{keys}</lsFkey><username>service</username><password>service-pass</password><pattern>1/001</pattern><serial>C26TAA</serial>")
}

fn list_params(key: &str) -> String {
    format!("<key>{key}</key><fromDate></fromDate><toDate></toDate><userName>service</userName><userPass>service-pass</userPass>")
}

#[tokio::test]
async fn drafts_three_part_publish_and_the_list() {
    let sim = sim().await;
    assert_eq!(result(&sim, "PublishService", "ImportInvByPattern", &draft_params(&batch(&[inv("D1", "x"), inv("D2", "y")]))).await, "OK:1/001;C26TAA-D1_0,D2_0");
    // A key held as a draft: ERR:13, also for a key held signed.
    assert_eq!(result(&sim, "PublishService", "ImportInvByPattern", &draft_params(&batch(&[inv("D1", "x")]))).await, "ERR:13");
    // Drafts are not listed.
    assert_eq!(result(&sim, "PortalService", "listInvByCusFkey", &list_params("D1")).await, "<Data></Data>");
    assert_eq!(result(&sim, "PortalService", "listInvByCusFkey", &list_params("NOPE")).await, "<Data></Data>");
    // Full success still answers three parts.
    assert_eq!(result(&sim, "PublishService", "PublishInvFkey", &publish_fkey("D1")).await, "ERR:6#||ERR:15#||OK:#D1_1");
    // Partial: one unknown, one already signed, one signed now.
    assert_eq!(result(&sim, "PublishService", "PublishInvFkey", &publish_fkey("NOPE_D1_D2")).await, "ERR:6#NOPE||ERR:15#D1||OK:#D2_2");
    assert_eq!(result(&sim, "PublishService", "PublishInvFkey", &publish_fkey("NOPE")).await, "ERR:6#NOPE||ERR:15#||OK:#");
    assert_eq!(result(&sim, "PublishService", "ImportInvByPattern", &draft_params(&batch(&[inv("D2", "x")]))).await, "ERR:13");
    let listed = result(&sim, "PortalService", "listInvByCusFkey", &list_params("D1")).await;
    assert!(listed.starts_with("<Data><Item>"), "no OK: prefix: {listed}");
    for part in ["<invNum>0000001</invNum>", "<cusname>Công ty TNHH An Bình</cusname>", "<month>03</month>", "<pattern>1/001</pattern>", "<serial>C26TAA</serial>", "<status>1</status>", "<fkey>D1</fkey>"] {
        assert!(listed.contains(part), "{part} in {listed}");
    }
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
    // The owner signs a draft in VNPT's software; then the tax authority's verdict.
    assert_eq!(result(&sim, "PublishService", "ImportInvByPattern", &draft_params(&batch(&[inv("D3", "x")]))).await, "OK:1/001;C26TAA-D3_0");
    let verdict = |keys: &str| format!("<Account>admin</Account><ACpass>admin-pass</ACpass><username>service</username><password>service-pass</password><pattern>1/001</pattern><fkeys>{keys}</fkeys>");
    assert_eq!(result(&sim, "PublishService", "GetMCCQThueByFkeys", &verdict("D3")).await, "ERR:2", "a draft");
    assert_eq!(result(&sim, "PublishService", "GetMCCQThueByFkeys", &verdict("NOPE")).await, "ERR:2");
    let decoded = |b64: String| String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap();
    let accepted = decoded(result(&sim, "PublishService", "GetMCCQThueByFkeys", &verdict("D1;D2")).await);
    assert!(accepted.starts_with("<DSHDon><HDon><KHMSHDon>1</KHMSHDon><KHHDon>C26TAA</KHHDon><SHDon>1</SHDon><MCCQThue>00"), "{accepted}");
    assert!(accepted.contains("<TThai>2</TThai>") && accepted.contains("<Fkey>D2</Fkey>"), "{accepted}");
    assert!(sim.set_tax_verdict("D2", Some(TaxVerdict::Rejected { code: "2-05".into(), message: "Sai mã số thuế người mua".into() })));
    assert!(sim.set_tax_verdict("D1", Some(TaxVerdict::Waiting)));
    let mixed = decoded(result(&sim, "PublishService", "GetMCCQThueByFkeys", &verdict("D1,D2")).await);
    assert!(mixed.contains("<SHDon>1</SHDon><MCCQThue></MCCQThue><TThai>1</TThai>"), "{mixed}");
    assert!(mixed.contains("<TThai>3</TThai><MLoi>2-05</MLoi><MTLoi>Sai mã số thuế người mua</MTLoi><Fkey>D2</Fkey>"), "{mixed}");
    // Dropping an unsigned draft; a signed one stays.
    let delete = |keys: &str| format!("<lstFkey>{keys}</lstFkey><username>service</username><password>service-pass</password><Account>admin</Account><ACpass>admin-pass</ACpass>");
    assert_eq!(result(&sim, "PublishService", "deleteInvoiceByFkey", &delete("D1")).await, "ERR:9");
    assert_eq!(result(&sim, "PublishService", "deleteInvoiceByFkey", &delete("D3")).await, "OK:D3");
    assert_eq!(result(&sim, "PublishService", "deleteInvoiceByFkey", &delete("D3")).await, "ERR:6");
}

#[tokio::test]
async fn business_and_portal_operations() {
    let sim = sim().await;
    result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("B1", "x"), inv("B2", "y"), inv("B3", "z")]), "1/001", "C26TAA")).await;
    let auth = "<userName>service</userName><userPass>service-pass</userPass>";
    // Payments.
    assert_eq!(result(&sim, "BusinessService", "confirmPaymentFkey", &format!("<lstFkey>B1_B2</lstFkey>{auth}")).await, "OK");
    assert_eq!(result(&sim, "BusinessService", "confirmPaymentFkey", &format!("<lstFkey>B1</lstFkey>{auth}")).await, "ERR:13");
    assert_eq!(result(&sim, "BusinessService", "UnConfirmPaymentFkey", &format!("<lstFkey>B2</lstFkey>{auth}")).await, "OK");
    // View (paid only), XML, PDF.
    assert!(result(&sim, "PortalService", "getInvViewFkey", &format!("<fkey>B1</fkey>{auth}")).await.starts_with("<html>"));
    assert_eq!(result(&sim, "PortalService", "getInvViewFkey", &format!("<fkey>B2</fkey>{auth}")).await, "ERR:11");
    assert!(result(&sim, "PortalService", "downloadInvFkeyNoPay", &format!("<fkey>B2</fkey>{auth}")).await.starts_with("<Invoice><key>B2</key>"));
    let pdf = result(&sim, "PortalService", "downloadInvPDFFkeyNoPay", &format!("<fkey>B2</fkey>{auth}")).await;
    assert!(base64::engine::general_purpose::STANDARD.decode(pdf).unwrap().starts_with(b"%PDF"));
    assert_eq!(result(&sim, "PortalService", "downloadInvPDFFkeyNoPay", &format!("<fkey>NOPE</fkey>{auth}")).await, "ERR:6");
    // Adjust and replace take `pass`; cancel takes userName/userPass.
    let change = |root: &str, key: &str, original: &str| {
        let body = inv(key, "x").replace(&format!("<Inv><key>{key}</key><Invoice>"), &format!("<{root}><key>{key}</key>")).replace("</Invoice></Inv>", &format!("</{root}>"));
        format!("<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{}</xmlInvData><username>service</username><pass>service-pass</pass><fkey>{original}</fkey><convert>0</convert>", xml_escape(&body))
    };
    assert_eq!(result(&sim, "BusinessService", "adjustInv", &change("AdjustInv", "B1a", "B1")).await, "OK:1/001;C26TAA;B1a_0000004");
    assert_eq!(result(&sim, "BusinessService", "replaceInv", &change("ReplaceInv", "B2r", "B2")).await, "OK:1/001;C26TAA;B2r_0000005");
    assert_eq!(result(&sim, "BusinessService", "replaceInv", &change("ReplaceInv", "B2s", "B2")).await, "ERR:8");
    assert_eq!(result(&sim, "BusinessService", "adjustInv", &change("adjustInv", "B3a", "B3")).await, "ERR:3", "root element case");
    let cancel = |key: &str| format!("<Account>admin</Account><ACpass>admin-pass</ACpass><fkey>{key}</fkey><userName>service</userName><userPass>service-pass</userPass>");
    assert_eq!(result(&sim, "BusinessService", "cancelInv", &cancel("B3")).await, "OK:");
    assert_eq!(result(&sim, "BusinessService", "cancelInv", &cancel("B3")).await, "ERR:8");
    assert_eq!(result(&sim, "BusinessService", "cancelInv", &cancel("NOPE")).await, "ERR:2");
    // Reports on BusinessService.
    let used = result(&sim, "BusinessService", "reportInvUsed", "<year>2026</year><quarter>1</quarter><currentQuater>1</currentQuater><username>service</username><pass>service-pass</pass>").await;
    assert!(used.contains("<Pattern>1/001</Pattern><Serial>C26TAA</Serial><Used>5</Used><Cancelled>1</Cancelled>"), "{used}");
    let month = result(&sim, "BusinessService", "reportMonth", "<year>2026</year><month>3</month><username>service</username><pass>service-pass</pass>").await;
    assert!(month.contains("<InvNum>0000001</InvNum>"), "{month}");
    // The tenant's templates and series.
    assert_eq!(result(&sim, "PortalService", "listPatternByCom", "<userName>service</userName><pass>service-pass</pass><comid></comid>").await, "1/001;2/001");
    assert_eq!(result(&sim, "PortalService", "listPatternByCom", "<userName>service</userName><pass>x</pass><comid></comid>").await, "ERR:1");
    let serials = result(&sim, "BusinessService", "getSerialByPattern", &format!("{auth}<pattern>1/001</pattern>")).await;
    assert_eq!(serials, "1-C26TAA-99999999-1-99999999-5-99999994-01/01/2026-2;2-C26MAA-99999999-1-99999999-0-99999999-01/01/2026-1");
    assert_eq!(result(&sim, "BusinessService", "getSerialByPattern", &format!("{auth}<pattern>9/001</pattern>")).await, "ERR:20");
    // Customers: an int.
    let cus = xml_escape("<Customers><Customer><Name>An Bình</Name><Code>KH01</Code><TaxCode>0312345673</TaxCode><Address>12 Lê Lợi</Address><Email>a@b.vn</Email><CusType>1</CusType></Customer></Customers>");
    assert_eq!(result(&sim, "PublishService", "UpdateCus", &format!("<XMLCusData>{cus}</XMLCusData><username>service</username><pass>service-pass</pass><convert>0</convert>")).await, "1");
    assert_eq!(result(&sim, "PublishService", "UpdateCus", &format!("<XMLCusData>{cus}</XMLCusData><username>service</username><pass>x</pass><convert>0</convert>")).await, "-1");
    // A valid call of an operation the simulator does not play.
    assert_eq!(result(&sim, "PublishService", "getCurrentNo", "<account>admin</account><pass>admin-pass</pass><pattern>1/001</pattern><serial>C26TAA</serial>").await, "ERR:");
}

#[tokio::test]
async fn seeded_invoice_holds_the_key() {
    let sim = sim().await;
    sim.seed(SimInvoice { key: "OTHER-1".into(), pattern: "1/001".into(), serial: "C26TAA".into(), number: Some(7), status: 1, arising_date: "01/03/2026".into(), ..Default::default() });
    assert_eq!(sim.issued_per_key().get("OTHER-1"), Some(&1));
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("OTHER-1", "x")]), "1/001", "C26TAA")).await, "ERR:13");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("NEW-1", "x")]), "1/001", "C26TAA")).await, "OK:1/001;C26TAA-NEW-1_8");
    // The same over HTTP.
    let http = reqwest::Client::new();
    let r = http.post(format!("{}/_sim/seed", sim.url())).header("Content-Type", "application/json").body(r#"{"key":"OTHER-2","pattern":"1/001","serial":"C26TAA","status":0}"#).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(result(&sim, "PublishService", "ImportInvByPattern", &draft_params(&batch(&[inv("OTHER-2", "x")]))).await, "ERR:13");
    let r = http.post(format!("{}/_sim/verdict", sim.url())).header("Content-Type", "application/json").body(r#"{"key":"NEW-1","verdict":{"state":"rejected","code":"1","message":"Sai"}}"#).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert!(matches!(sim.invoice("NEW-1").unwrap().tax_verdict, Some(TaxVerdict::Rejected { .. })));
}

#[tokio::test]
async fn faults_apply_per_operation() {
    let sim = sim().await;
    sim.set_faults(Faults { drop_after_commit: Knob::times(1), only: vec!["ImportAndPublishInv".into()], ..Default::default() });
    // Another operation is not affected.
    assert_eq!(result(&sim, "PortalService", "listInvByCusFkey", &list_params("X1")).await, "<Data></Data>");
    let lost = reqwest::Client::new()
        .post(format!("{}/PublishService.asmx", sim.url()))
        .header("SOAPAction", "\"http://tempuri.org/ImportAndPublishInv\"")
        .body(format!(r#"{ENV_OPEN}<ImportAndPublishInv xmlns="http://tempuri.org/">{}</ImportAndPublishInv>{ENV_CLOSE}"#, publish_params(&batch(&[inv("X1", "x")]), "1/001", "C26TAA")))
        .send()
        .await;
    assert!(lost.is_err(), "the answer is lost");
    assert_eq!(sim.issued_count(), 1, "but the invoice was issued");
    assert!(result(&sim, "PortalService", "listInvByCusFkey", &list_params("X1")).await.contains("<invNum>0000001</invNum>"));
}

#[tokio::test]
async fn what_the_wsdl_allows_is_accepted() {
    let sim = sim().await;
    // A soap:Header before the Body; strings left out (minOccurs="0"): pattern and serial
    // both absent take the first registered range.
    let params = publish_params(&batch(&[inv("W1", "x")]), "", "").replace("<pattern></pattern><serial></serial>", "");
    let with_header = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/><s:Body><ImportAndPublishInv xmlns="http://tempuri.org/">{params}</ImportAndPublishInv></s:Body></s:Envelope>"#
    );
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", with_header).await;
    assert_eq!(s, 200, "{b}");
    assert!(b.contains("OK:1/001;C26TAA-W1_1"), "{b}");
    // Only one of pattern and serial: ERR:20, as document 004 says.
    let only_pattern = publish_params(&batch(&[inv("W2", "x")]), "1/001", "").replace("<serial></serial>", "");
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &only_pattern).await, "ERR:20");
    // A byte-order mark before the declaration.
    let bom = format!("\u{feff}{ENV_OPEN}<ImportAndPublishInv xmlns=\"http://tempuri.org/\">{}</ImportAndPublishInv>{ENV_CLOSE}", publish_params(&batch(&[inv("W3", "x")]), "2/001", "C26TBB"));
    let (s, b) = post(&sim, "PublishService", "\"http://tempuri.org/ImportAndPublishInv\"", bom).await;
    assert_eq!(s, 200, "{b}");
}

/// listInvFromNoToNo's parameters in the WSDL's order.
fn by_numbers(from: &str, to: &str, pattern: &str, serial: &str, pass: &str) -> String {
    format!("<invFromNo>{from}</invFromNo><invToNo>{to}</invToNo><invPattern>{pattern}</invPattern><invSerial>{serial}</invSerial><userName>service</userName><userPass>{pass}</userPass>")
}

/// The `<Item>`s of a `<Data>` answer, in order.
fn items(data: &str) -> Vec<String> {
    assert!(data.starts_with("<Data>") && data.ends_with("</Data>"), "{data}");
    data.split("<Item>").skip(1).map(|i| i.trim_end_matches("</Data>").trim_end_matches("</Item>").to_string()).collect()
}

#[tokio::test]
async fn list_from_number_to_number() {
    let sim = sim().await;
    let data = batch(&[inv("N1", "x"), inv("N2", "y"), inv("N3", "z")]);
    assert_eq!(result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&data, "1/001", "C26TAA")).await, "OK:1/001;C26TAA-N1_1,N2_2,N3_3");
    // Another serial of the pattern is not in the range.
    result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("N-MAA", "x")]), "1/001", "C26MAA")).await;
    let cancel = "<Account>admin</Account><ACpass>admin-pass</ACpass><fkey>N3</fkey><userName>service</userName><userPass>service-pass</userPass>";
    assert_eq!(result(&sim, "BusinessService", "cancelInv", cancel).await, "OK:");
    assert_eq!(result(&sim, "BusinessService", "confirmPaymentFkey", "<lstFkey>N2</lstFkey><userName>service</userName><userPass>service-pass</userPass>").await, "OK");
    let listed = result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("2", "3", "1/001", "C26TAA", "service-pass")).await;
    assert_eq!(
        items(&listed),
        vec![
            "<index>03</index><invToken>1/001;C26TAA;2</invToken><fkey>N2</fkey><name>Hóa đơn</name><publishDate>05/03/2026</publishDate><signStatus>0</signStatus><total>70000</total><amount>75600</amount><pattern>1/001</pattern><serial>C26TAA</serial><invNum>0000002</invNum><status>1</status><cusname>Công ty TNHH An Bình</cusname><payment>1</payment>",
            "<index>03</index><invToken>1/001;C26TAA;3</invToken><fkey>N3</fkey><name>Hóa đơn</name><publishDate>05/03/2026</publishDate><signStatus>0</signStatus><total>70000</total><amount>75600</amount><pattern>1/001</pattern><serial>C26TAA</serial><invNum>0000003</invNum><status>5</status><cusname>Công ty TNHH An Bình</cusname><payment>0</payment>",
        ]
    );
    // Zero-padded numbers are numbers; the whole range; one number.
    let all = result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("0000001", "0000003", "1/001", "C26TAA", "service-pass")).await;
    assert_eq!(items(&all).len(), 3, "{all}");
    let one = result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("1", "1", "1/001", "C26TAA", "service-pass")).await;
    assert_eq!(items(&one).len(), 1);
    assert!(one.contains("<fkey>N1</fkey>"), "{one}");
    // A range past the end, and a serial with nothing in it.
    assert_eq!(result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("4", "50", "1/001", "C26TAA", "service-pass")).await, "<Data></Data>");
    assert_eq!(result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("1", "50", "2/001", "C26TBB", "service-pass")).await, "<Data></Data>");
}

#[tokio::test]
async fn list_from_number_to_number_stops_at_100() {
    let sim = sim().await;
    let many: Vec<String> = (1..=130).map(|i| inv(&format!("M{i}"), "x")).collect();
    let answer = result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&many), "1/001", "C26TAA")).await;
    assert!(answer.starts_with("OK:1/001;C26TAA-M1_1,") && answer.ends_with(",M130_130"), "{answer}");
    let listed = items(&result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("1", "130", "1/001", "C26TAA", "service-pass")).await);
    assert_eq!(listed.len(), 100);
    assert!(listed[0].contains("<invNum>0000001</invNum>"), "{}", listed[0]);
    assert!(listed[99].contains("<invNum>0000100</invNum>"), "{}", listed[99]);
    let rest = items(&result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("101", "200", "1/001", "C26TAA", "service-pass")).await);
    assert_eq!(rest.len(), 30);
    assert!(rest[0].contains("<fkey>M101</fkey>") && rest[29].contains("<fkey>M130</fkey>"));
}

#[tokio::test]
async fn list_from_number_to_number_refusals() {
    let sim = sim().await;
    result(&sim, "PublishService", "ImportAndPublishInv", &publish_params(&batch(&[inv("R1", "x")]), "1/001", "C26TAA")).await;
    // Drafts have no number and are never listed.
    assert_eq!(result(&sim, "PublishService", "ImportInvByPattern", &draft_params(&batch(&[inv("R2", "x")]))).await, "OK:1/001;C26TAA-R2_0");
    let listed = result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("1", "10", "1/001", "C26TAA", "service-pass")).await;
    assert_eq!(items(&listed).len(), 1, "{listed}");
    assert!(!listed.contains("R2"), "{listed}");
    // Login: wrong password, a user without company.
    assert_eq!(result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("1", "10", "1/001", "C26TAA", "wrong")).await, "ERR:1");
    let no_company = by_numbers("1", "10", "1/001", "C26TAA", "service-pass").replace("<userName>service</userName>", "<userName>nocompany</userName>");
    assert_eq!(result(&sim, "PortalService", "listInvFromNoToNo", &no_company).await, "ERR:7");
    // Numbers that are not numbers, empty, zero, reversed; an unknown pattern or serial.
    for (from, to) in [("a", "10"), ("1", "x"), ("", "10"), ("1", ""), ("-1", "10"), ("0", "10"), ("10", "1"), ("1.5", "10")] {
        assert_eq!(result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers(from, to, "1/001", "C26TAA", "service-pass")).await, "ERR:", "{from}..{to}");
    }
    for (pattern, serial) in [("1/001", "C25TAA"), ("9/001", "C26TAA"), ("", ""), ("1/001", "")] {
        assert_eq!(result(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("1", "10", pattern, serial, "service-pass")).await, "ERR:", "{pattern};{serial}");
    }
    // The parameters as the WSDL names them: `invPattern`, not `pattern`.
    let (s, b) = call(&sim, "PortalService", "listInvFromNoToNo", &by_numbers("1", "10", "1/001", "C26TAA", "service-pass").replace("invPattern>", "pattern>")).await;
    assert_fault(s, &b, "soap:Client", "<pattern> is not a parameter of listInvFromNoToNo");
    // It lives on PortalService only.
    let (s, b) = call(&sim, "BusinessService", "listInvFromNoToNo", &by_numbers("1", "10", "1/001", "C26TAA", "service-pass")).await;
    assert_fault(s, &b, "soap:Client", "did not recognize");
}
