//! Every request both clients build, compared with the request written out by hand from the
//! providers' own descriptions, the way Odoo's e-invoice tests write out the whole request:
//! VNPT from the tenant's WSDL parameter table (`../shared/specs/vnpt-wsdl/OPERATIONS.txt`:
//! operation, parameters in order and exact case, `SOAPAction`, the `.asmx` each lives on)
//! and document 004's `xmlInvData`; EasyInvoice from the integration document v8 and the
//! facts gathered from it (`easyinvoice-v8-facts.md`: routes, JSON fields, XmlData tags,
//! the `Authentication` header).
//!
//! Nothing here is produced by running the client: each expected request is typed in this
//! file. The only computation is XML 1.0 text escaping (`&`, `<`, `>`, `"`) of a
//! hand-typed `xmlInvData`, which VNPT carries as the text of a string parameter, so the
//! invoice can be read as XML here rather than as a wall of `&lt;`.
//!
//! Then each hand-typed request is sent to a running strict simulator and must be accepted,
//! and a copy with a wrong-case element, without the `http://tempuri.org/` namespace, or
//! with a wrong parameter name is refused (SOAP fault; EasyInvoice ErrorCode).

mod fixtures;
mod written;

use fixtures::{easyinvoice_settings, key, vnpt_draft, vnpt_settings, vnpt_simple_draft};
use written::{same, written, Written};
use hoadon_einvoice::easyinvoice::requests as ei;
use hoadon_einvoice::vnpt::requests as vn;
use hoadon_einvoice::{AdjustKind, AuthStamp, Customer, EasyInvoiceSettings, HttpRequest, InvoiceDraft};
use hoadon_sim_einvoice::{start_easyinvoice, start_vnpt, EasyInvoiceConfig, VnptConfig};
use time::macros::date;

/// XML 1.0 escaping of text content, as a string parameter carries an XML document.
fn text(xml: &str) -> String {
    xml.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

// ---------------------------------------------------------------- VNPT, by hand

/// The SOAP 1.1 envelope every VNPT call travels in (document/literal, `http://tempuri.org/`).
macro_rules! soap {
    ($service:literal, $op:literal, $params:literal) => {
        concat!(
            "POST /", $service, "\n",
            "Content-Type: text/xml; charset=utf-8\n",
            "SOAPAction: \"http://tempuri.org/", $op, "\"\n",
            "\n",
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>"#,
            "<", $op, r#" xmlns="http://tempuri.org/">"#, $params, "</", $op, ">",
            "</soap:Body></soap:Envelope>"
        )
    };
}

/// Document 004's `<Invoice>` fields of the three-rate sale (8%, 10%, not subject), buyer a
/// company: `CusCode` its tax code; `&`, `"`, `<` escaped once as XML text.
const VNPT_RICH_FIELDS: &str = concat!(
    "<CusCode>0312345673</CusCode><Buyer>Nguyễn Văn An</Buyer>",
    "<CusName>Công ty TNHH &quot;A &amp; B&quot; &lt;Sài Gòn&gt;</CusName>",
    "<CusAddress>45 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh</CusAddress><CusPhone>0901234567</CusPhone>",
    "<CusTaxCode>0312345673</CusTaxCode><CusEmail>ketoan@ab.vn</CusEmail><PaymentMethod>TM/CK</PaymentMethod>",
    "<Products>",
    "<Product><ProdName>Cà phê sữa đá</ProdName><ProdUnit>ly</ProdUnit><ProdQuantity>2</ProdQuantity><ProdPrice>25000</ProdPrice><Amount>50000</Amount><VATRate>8</VATRate><VATAmount>4000</VATAmount></Product>",
    "<Product><ProdName>Bánh mì &quot;đặc biệt&quot; &amp; pa-tê</ProdName><ProdUnit>ổ</ProdUnit><ProdQuantity>1.5</ProdQuantity><ProdPrice>20000</ProdPrice><Amount>30000</Amount><VATRate>10</VATRate><VATAmount>3000</VATAmount></Product>",
    "<Product><ProdName>Túi vải &lt;tái chế&gt;</ProdName><ProdUnit>cái</ProdUnit><ProdQuantity>1</ProdQuantity><ProdPrice>5000</ProdPrice><Amount>5000</Amount><VATRate>-1</VATRate><VATAmount>0</VATAmount></Product>",
    "</Products>",
    "<Total>85000</Total><VATRate>10</VATRate><VATAmount>7000</VATAmount><Amount>92000</Amount>",
    "<GrossValue10>30000</GrossValue10><VatAmount10>3000</VatAmount10><GrossValue8>50000</GrossValue8><VatAmount8>4000</VatAmount8>",
    "<AmountInWords>Chín mươi hai nghìn đồng</AmountInWords><ArisingDate>05/03/2026</ArisingDate><PaymentStatus>1</PaymentStatus>",
);

/// A walk-in buyer's one-line sale: `CusCode` the key (`{KEY}`), `CusAddress` the sentence
/// for a consumer who gave none; `{TYPE}` and `{MCCQT}` where adjust and the cash register
/// put theirs.
const VNPT_SIMPLE_FIELDS: &str = concat!(
    "<CusCode>{KEY}</CusCode><CusName>Khách lẻ</CusName><CusAddress>Người mua không cung cấp địa chỉ</CusAddress>",
    "<PaymentMethod>TM</PaymentMethod>{TYPE}{MCCQT}",
    "<Products><Product><ProdName>Trà đào</ProdName><ProdUnit>ly</ProdUnit><ProdQuantity>1</ProdQuantity><ProdPrice>30000</ProdPrice><Amount>30000</Amount><VATRate>8</VATRate><VATAmount>2400</VATAmount></Product></Products>",
    "<Total>30000</Total><VATRate>8</VATRate><VATAmount>2400</VATAmount><Amount>32400</Amount><GrossValue8>30000</GrossValue8><VatAmount8>2400</VatAmount8>",
    "<AmountInWords>Ba mươi hai nghìn bốn trăm đồng</AmountInWords><ArisingDate>05/03/2026</ArisingDate><PaymentStatus>1</PaymentStatus>",
);

fn vnpt_simple(k: &str, kind: &str, mccqt: &str) -> String {
    VNPT_SIMPLE_FIELDS.replace("{KEY}", k).replace("{TYPE}", kind).replace("{MCCQT}", mccqt)
}

/// Every VNPT request builder, with its request typed by hand, in an order a tenant accepts
/// them: issue, draft and sign, read, mark payments, change, cancel, report. The invoices are
/// 2026-03-05, in Q1: the report is not of the current quarter (`currentQuater` 0).
fn vnpt_cases() -> Vec<(&'static str, HttpRequest, Written, &'static str)> {
    let s = vnpt_settings("https://0312345678-tt78admindemo.vnpt-invoice.com.vn");
    let mut out = Vec::new();
    let mut case = |name: &'static str, client: HttpRequest, typed: String, accepted: &'static str| out.push((name, client, written(&typed), accepted));

    let invoices = format!(
        "<Invoices><Inv><key>HD-2026-0001</key><Invoice>{VNPT_RICH_FIELDS}</Invoice></Inv><Inv><key>HD-2026-0002</key><Invoice>{}</Invoice></Inv></Invoices>",
        vnpt_simple("HD-2026-0002", "", "")
    );
    case(
        "ImportAndPublishInv",
        vn::import_and_publish_inv(&s, &[vnpt_draft("HD-2026-0001"), vnpt_simple_draft("HD-2026-0002")]),
        soap!("PublishService.asmx", "ImportAndPublishInv", "<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{X}</xmlInvData><username>service</username><password>service-pass</password><pattern>1/001</pattern><serial>C26TAA</serial><convert>0</convert>")
            .replace("{X}", &text(&invoices)),
        "OK:1/001;C26TAA-HD-2026-0001_1,HD-2026-0002_2",
    );

    let pos = InvoiceDraft { serial: "C26MAA".into(), ..vnpt_simple_draft("POS-0001").with_tax_authority_code("M1-26-AB123-00100000042") };
    let mtt = format!("<Invoices><Inv><key>POS-0001</key><Invoice>{}</Invoice></Inv></Invoices>", vnpt_simple("POS-0001", "", "<MCCQT>M1-26-AB123-00100000042</MCCQT>"));
    case(
        "ImportAndPublishInvMTT",
        vn::import_and_publish_inv_mtt(&s, &[pos]),
        soap!("PublishService.asmx", "ImportAndPublishInvMTT", "<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{X}</xmlInvData><username>service</username><password>service-pass</password><pattern>1/001</pattern><serial>C26MAA</serial><convert>0</convert>")
            .replace("{X}", &text(&mtt)),
        "OK:1/001;C26MAA-POS-0001_1_M1-26-AB123-00100000042",
    );

    let drafts = format!("<Invoices><Inv><key>HD-2026-0003</key><Invoice>{}</Invoice></Inv></Invoices>", vnpt_simple("HD-2026-0003", "", ""));
    case(
        "ImportInvByPattern",
        vn::import_inv_by_pattern(&s, &[vnpt_simple_draft("HD-2026-0003")]),
        soap!("PublishService.asmx", "ImportInvByPattern", "<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{X}</xmlInvData><username>service</username><password>service-pass</password><pattern>1/001</pattern><serial>C26TAA</serial><convert>0</convert>")
            .replace("{X}", &text(&drafts)),
        "OK:1/001;C26TAA-HD-2026-0003_0",
    );
    case(
        "PublishInvFkey",
        vn::publish_inv_fkey(&s, &[key("HD-2026-0003"), key("HD-2026-0404")], "1/001", "C26TAA"),
        soap!("PublishService.asmx", "PublishInvFkey", "<Account>admin</Account><ACpass>admin-pass</ACpass><lsFkey>HD-2026-0003_HD-2026-0404</lsFkey><username>service</username><password>service-pass</password><pattern>1/001</pattern><serial>C26TAA</serial>").into(),
        "ERR:6#HD-2026-0404||ERR:15#||OK:#HD-2026-0003_3",
    );
    case(
        "GetMCCQThueByFkeys",
        vn::get_mccq_thue_by_fkeys(&s, "1/001", &[key("HD-2026-0001"), key("HD-2026-0002")]),
        soap!("PublishService.asmx", "GetMCCQThueByFkeys", "<Account>admin</Account><ACpass>admin-pass</ACpass><username>service</username><password>service-pass</password><pattern>1/001</pattern><fkeys>HD-2026-0001;HD-2026-0002</fkeys>").into(),
        // base64 of `<DSHDon><HDon>…`
        "PERTSERvbj48SERvbj4",
    );
    case(
        "listPatternByCom",
        vn::list_pattern_by_com(&s),
        soap!("PortalService.asmx", "listPatternByCom", "<userName>service</userName><pass>service-pass</pass><comid></comid>").into(),
        "1/001;2/001",
    );
    case(
        "getSerialByPattern",
        vn::get_serial_by_pattern(&s, "1/001"),
        soap!("BusinessService.asmx", "getSerialByPattern", "<userName>service</userName><userPass>service-pass</userPass><pattern>1/001</pattern>").into(),
        // index-serial-total-first-last-current-left-from-status, the range in use.
        "1-C26TAA-",
    );
    case(
        "listInvByCusFkey",
        vn::list_inv_by_cus_fkey(&s, &key("HD-2026-0001"), Some(date!(2026 - 03 - 01)), Some(date!(2026 - 03 - 31))),
        soap!("PortalService.asmx", "listInvByCusFkey", "<key>HD-2026-0001</key><fromDate>01/03/2026</fromDate><toDate>31/03/2026</toDate><userName>service</userName><userPass>service-pass</userPass>").into(),
        "<Data><Item>",
    );
    case(
        "listInvFromNoToNo",
        vn::list_inv_from_no_to_no(&s, 1, 100, "1/001", "C26TAA"),
        soap!("PortalService.asmx", "listInvFromNoToNo", "<invFromNo>1</invFromNo><invToNo>100</invToNo><invPattern>1/001</invPattern><invSerial>C26TAA</invSerial><userName>service</userName><userPass>service-pass</userPass>").into(),
        "<Data><Item>",
    );
    case(
        "downloadInvPDFFkeyNoPay",
        vn::download_inv_pdf_fkey_no_pay(&s, &key("HD-2026-0001")),
        soap!("PortalService.asmx", "downloadInvPDFFkeyNoPay", "<fkey>HD-2026-0001</fkey><userName>service</userName><userPass>service-pass</userPass>").into(),
        // base64 of `%PDF-`
        "JVBERi0",
    );
    case(
        "downloadInvFkeyNoPay",
        vn::download_inv_fkey_no_pay(&s, &key("HD-2026-0001")),
        soap!("PortalService.asmx", "downloadInvFkeyNoPay", "<fkey>HD-2026-0001</fkey><userName>service</userName><userPass>service-pass</userPass>").into(),
        "<Invoice><key>HD-2026-0001</key>",
    );
    case(
        "getInvViewFkey",
        vn::get_inv_view_fkey(&s, &key("HD-2026-0001")),
        soap!("PortalService.asmx", "getInvViewFkey", "<fkey>HD-2026-0001</fkey><userName>service</userName><userPass>service-pass</userPass>").into(),
        "<html>",
    );
    case(
        "UnConfirmPaymentFkey",
        vn::unconfirm_payment_fkey(&s, &[key("HD-2026-0001"), key("HD-2026-0002")]),
        soap!("BusinessService.asmx", "UnConfirmPaymentFkey", "<lstFkey>HD-2026-0001_HD-2026-0002</lstFkey><userName>service</userName><userPass>service-pass</userPass>").into(),
        "OK",
    );
    case(
        "confirmPaymentFkey",
        vn::confirm_payment_fkey(&s, &[key("HD-2026-0001"), key("HD-2026-0002")]),
        soap!("BusinessService.asmx", "confirmPaymentFkey", "<lstFkey>HD-2026-0001_HD-2026-0002</lstFkey><userName>service</userName><userPass>service-pass</userPass>").into(),
        "OK",
    );
    let customers = [Customer {
        code: "KH001".into(),
        name: "Công ty TNHH \"A & B\"".into(),
        tax_code: "0312345673".into(),
        address: "45 Nguyễn Huệ".into(),
        email: "ketoan@ab.vn".into(),
        phone: "0901234567".into(),
        is_company: true,
    }];
    let cus = "<Customers><Customer><Name>Công ty TNHH &quot;A &amp; B&quot;</Name><Code>KH001</Code><TaxCode>0312345673</TaxCode><Address>45 Nguyễn Huệ</Address><Email>ketoan@ab.vn</Email><Phone>0901234567</Phone><CusType>1</CusType></Customer></Customers>";
    case(
        "UpdateCus",
        vn::update_cus(&s, &customers),
        soap!("PublishService.asmx", "UpdateCus", "<XMLCusData>{X}</XMLCusData><username>service</username><pass>service-pass</pass><convert>0</convert>").replace("{X}", &text(cus)),
        "1",
    );
    let adjusting = format!("<AdjustInv><key>HD-2026-0001-DC1</key>{}</AdjustInv>", vnpt_simple("HD-2026-0001-DC1", "<Type>2</Type>", ""));
    case(
        "adjustInv",
        vn::adjust_inv(&s, &key("HD-2026-0001"), AdjustKind::Increase, &vnpt_simple_draft("HD-2026-0001-DC1")),
        soap!("BusinessService.asmx", "adjustInv", "<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{X}</xmlInvData><username>service</username><pass>service-pass</pass><fkey>HD-2026-0001</fkey><convert>0</convert>")
            .replace("{X}", &text(&adjusting)),
        "OK:1/001;C26TAA;HD-2026-0001-DC1_0000004",
    );
    let replacing = format!("<ReplaceInv><key>HD-2026-0002-TT1</key>{}</ReplaceInv>", vnpt_simple("HD-2026-0002-TT1", "", ""));
    case(
        "replaceInv",
        vn::replace_inv(&s, &key("HD-2026-0002"), &vnpt_simple_draft("HD-2026-0002-TT1")),
        soap!("BusinessService.asmx", "replaceInv", "<Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{X}</xmlInvData><username>service</username><pass>service-pass</pass><fkey>HD-2026-0002</fkey><convert>0</convert>")
            .replace("{X}", &text(&replacing)),
        "OK:1/001;C26TAA;HD-2026-0002-TT1_0000005",
    );
    case(
        "cancelInv",
        vn::cancel_inv(&s, &key("HD-2026-0003")),
        soap!("BusinessService.asmx", "cancelInv", "<Account>admin</Account><ACpass>admin-pass</ACpass><fkey>HD-2026-0003</fkey><userName>service</userName><userPass>service-pass</userPass>").into(),
        "OK:",
    );
    case(
        "reportInvUsed",
        vn::report_inv_used(&s, 2026, 1, false),
        soap!("BusinessService.asmx", "reportInvUsed", "<year>2026</year><quarter>1</quarter><currentQuater>0</currentQuater><username>service</username><pass>service-pass</pass>").into(),
        "<Report><Year>2026</Year><Quarter>1</Quarter>",
    );
    case(
        "reportMonth",
        vn::report_month(&s, 2026, 3),
        soap!("BusinessService.asmx", "reportMonth", "<year>2026</year><month>3</month><username>service</username><pass>service-pass</pass>").into(),
        "<Report><Year>2026</Year><Month>3</Month>",
    );
    out
}

#[test]
fn every_vnpt_request_is_the_one_typed_from_the_wsdl() {
    let cases = vnpt_cases();
    for (name, client, typed, _) in &cases {
        same(name, client, typed);
    }
    // Every builder of `vnpt::requests` is here, and every WSDL operation the client calls.
    let names: Vec<&str> = cases.iter().map(|(n, ..)| *n).collect();
    for (_, op, _) in vn::CALLS {
        assert!(names.contains(op), "{op} has no hand-typed request");
    }
    assert_eq!(cases.len(), 20);
}

/// POSTs a written request as it stands; (HTTP status, body).
async fn post(base: &str, w: &Written) -> (u16, String) {
    let mut b = reqwest::Client::new().post(format!("{base}/{}", w.path));
    for (n, v) in &w.headers {
        b = b.header(n.as_str(), v.as_str());
    }
    let answer = b.body(w.body.clone()).send().await.unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

/// The text of `<{op}Result>`, read without the client's parser.
fn result_of(op: &str, soap: &str) -> String {
    let open = format!("<{op}Result>");
    let Some(start) = soap.find(&open) else { return String::new() };
    let rest = &soap[start + open.len()..];
    let end = rest.find(&format!("</{op}Result>")).unwrap_or(rest.len());
    rest[..end].replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// The name of the credential parameter as another tenant version spells it.
fn other_spelling(body: &str) -> (String, String) {
    for (ours, theirs) in [("<userPass>", "<pass>"), ("<password>", "<pass>"), ("<pass>", "<password>")] {
        if body.contains(ours) {
            let close = |t: &str| t.replacen('<', "</", 1);
            return (body.replacen(ours, theirs, 1).replacen(&close(ours), &close(theirs), 1), format!("{ours} → {theirs}"));
        }
    }
    unreachable!("every call carries a password")
}

/// The first parameter with the case of its first letter flipped: `<Account>` → `<account>`.
fn wrong_case(body: &str) -> String {
    let start = body.find(r#" xmlns="http://tempuri.org/">"#).unwrap() + r#" xmlns="http://tempuri.org/">"#.len();
    let name: String = body[start + 1..].chars().take_while(|c| *c != '>').collect();
    let mut chars = name.chars();
    let first = chars.next().unwrap();
    let flipped: String = if first.is_uppercase() { first.to_lowercase().chain(chars).collect() } else { first.to_uppercase().chain(chars).collect() };
    body.replacen(&format!("<{name}>"), &format!("<{flipped}>"), 1).replacen(&format!("</{name}>"), &format!("</{flipped}>"), 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_strict_vnpt_simulator_accepts_each_typed_request_and_refuses_broken_copies() {
    let sim = start_vnpt(VnptConfig::default(), 0).await.unwrap();
    let base = sim.url();
    for (name, _, typed, accepted) in vnpt_cases() {
        let (status, body) = post(&base, &typed).await;
        assert_eq!(status, 200, "{name}: {body}");
        let result = result_of(name, &body);
        assert!(result.starts_with(accepted), "{name}: answered «{}», expected «{accepted}…»", result.chars().take(120).collect::<String>());

        let namespace = r#" xmlns="http://tempuri.org/""#;
        let (renamed, how) = other_spelling(&typed.body);
        for (broken, what) in [
            (wrong_case(&typed.body), "a parameter in the wrong case".to_string()),
            (typed.body.replacen(namespace, "", 1), "no http://tempuri.org/ namespace".to_string()),
            (renamed, format!("the parameter {how}")),
        ] {
            assert_ne!(broken, typed.body, "{name}: {what}");
            let (status, body) = post(&base, &Written { body: broken, ..typed.clone() }).await;
            assert_eq!(status, 500, "{name} with {what}: {body}");
            assert!(body.contains("<soap:Fault>"), "{name} with {what}: {body}");
        }
    }
    // The broken copies changed nothing: the invoices are those of the accepted requests.
    assert_eq!(sim.issued_count(), 6);
    assert!(sim.issued_per_key().values().all(|n| *n == 1));
}

// ---------------------------------------------------------------- EasyInvoice, by hand

/// The golden stamp: base64(MD5("POST" + "1772700000" + "68cfe3f19b4b4668ae7746a514faf2cd"))
/// is `t5bJBQR2A8GsxDPWjqN3Qw==`, computed with Python's hashlib.
fn stamp() -> AuthStamp {
    AuthStamp { timestamp: 1_772_700_000, nonce: "68cfe3f19b4b4668ae7746a514faf2cd".into() }
}

/// `signature:nonce:timestamp:username:password` (own host).
const AUTH: &str = "t5bJBQR2A8GsxDPWjqN3Qw==:68cfe3f19b4b4668ae7746a514faf2cd:1772700000:demo:demo-pass";

macro_rules! easy {
    ($route:literal, $body:literal) => {
        concat!("POST /", $route, "\n", "Content-Type: application/json; charset=utf-8\n", "Authentication: {AUTH}\n", "\n", $body)
    };
}

/// The three-rate sale as EasyInvoice's `<Invoice>` (document v8, VI.1 and VI.2): lines
/// numbered, Feature 1, `Total` before VAT and `Amount` after, per-rate sums, KCT as a bare
/// `GrossValue`, one e-mail in `Email`.
const EASY_RICH: &str = concat!(
    "<Invoice><Ikey>HD-2026-0001</Ikey><Buyer>Nguyễn Văn An</Buyer><CusName>Công ty TNHH &quot;A &amp; B&quot; &lt;Sài Gòn&gt;</CusName>",
    "<CusAddress>45 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh</CusAddress><CusPhone>0901234567</CusPhone><CusTaxCode>0312345673</CusTaxCode>",
    "<Email>ketoan@ab.vn</Email><PaymentMethod>TM/CK</PaymentMethod><ArisingDate>05/03/2026</ArisingDate><CurrencyUnit>VND</CurrencyUnit>",
    "<Products>",
    "<Product><No>1</No><Feature>1</Feature><ProdName>Cà phê sữa đá</ProdName><ProdUnit>ly</ProdUnit><ProdQuantity>2</ProdQuantity><ProdPrice>25000</ProdPrice><Total>50000</Total><VATRate>8</VATRate><VATAmount>4000</VATAmount><Amount>54000</Amount></Product>",
    "<Product><No>2</No><Feature>1</Feature><ProdName>Bánh mì &quot;đặc biệt&quot; &amp; pa-tê</ProdName><ProdUnit>ổ</ProdUnit><ProdQuantity>1.5</ProdQuantity><ProdPrice>20000</ProdPrice><Total>30000</Total><VATRate>10</VATRate><VATAmount>3000</VATAmount><Amount>33000</Amount></Product>",
    "<Product><No>3</No><Feature>1</Feature><ProdName>Túi vải &lt;tái chế&gt;</ProdName><ProdUnit>cái</ProdUnit><ProdQuantity>1</ProdQuantity><ProdPrice>5000</ProdPrice><Total>5000</Total><VATRate>-1</VATRate><VATAmount>0</VATAmount><Amount>5000</Amount></Product>",
    "</Products>",
    "<Total>85000</Total><VATRate>10</VATRate><VATAmount>7000</VATAmount><Amount>92000</Amount>",
    "<GrossValue10>30000</GrossValue10><VatAmount10>3000</VatAmount10><Amount10>33000</Amount10>",
    "<GrossValue8>50000</GrossValue8><VatAmount8>4000</VatAmount8><Amount8>54000</Amount8><GrossValue>5000</GrossValue>",
    "<AmountInWords>Chín mươi hai nghìn đồng</AmountInWords></Invoice>",
);

/// The walk-in buyer's one-line sale after its `Ikey` (and an adjustment's `Type`).
const EASY_SIMPLE_FIELDS: &str = concat!(
    "<CusName>Khách lẻ</CusName><CusAddress></CusAddress><PaymentMethod>TM</PaymentMethod><ArisingDate>05/03/2026</ArisingDate><CurrencyUnit>VND</CurrencyUnit>",
    "<Products><Product><No>1</No><Feature>1</Feature><ProdName>Trà đào</ProdName><ProdUnit>ly</ProdUnit><ProdQuantity>1</ProdQuantity><ProdPrice>30000</ProdPrice><Total>30000</Total><VATRate>8</VATRate><VATAmount>2400</VATAmount><Amount>32400</Amount></Product></Products>",
    "<Total>30000</Total><VATRate>8</VATRate><VATAmount>2400</VATAmount><Amount>32400</Amount><GrossValue8>30000</GrossValue8><VatAmount8>2400</VatAmount8><Amount8>32400</Amount8>",
    "<AmountInWords>Ba mươi hai nghìn bốn trăm đồng</AmountInWords>",
);

fn easy_simple(k: &str) -> String {
    format!("<Invoice><Ikey>{k}</Ikey>{EASY_SIMPLE_FIELDS}</Invoice>")
}

fn simple(k: &str) -> InvoiceDraft {
    fixtures::simple_draft(k)
}

/// Every EasyInvoice request builder with its request typed by hand, in an order the
/// provider accepts them; the last, the shared host's, goes to a host that wants the
/// seller's tax code. `accepted`: what the answer must contain.
fn easy_cases() -> Vec<(&'static str, HttpRequest, Written, &'static str)> {
    let s = easyinvoice_settings("https://0312345673.easyinvoice.vn");
    let st = stamp();
    let mut out = Vec::new();
    let mut case = |name: &'static str, client: HttpRequest, typed: String, accepted: &'static str| {
        out.push((name, client, written(&typed.replace("{AUTH}", AUTH)), accepted))
    };
    case("verify", ei::verify_account(&s, &st), easy!("api/account/verify", "{}").into(), r#""TaxCode":"0312345673""#);
    case("patterns", ei::list_patterns(&s, &st), easy!("api/invoices/patterns", "{}").into(), r#""Serial":"C26TAA""#);
    case(
        "importAndIssueInvoice",
        ei::import_and_issue(&s, &[fixtures::draft("HD-2026-0001"), simple("HD-2026-0002")], &st),
        easy!("api/publish/importAndIssueInvoice", r#"{"XmlData":"<Invoices><Inv>{RICH}</Inv><Inv>{SIMPLE}</Inv></Invoices>","Pattern":"1","Serial":"C26TAA"}"#)
            .replace("{RICH}", EASY_RICH)
            .replace("{SIMPLE}", &easy_simple("HD-2026-0002")),
        r#""KeyInvoiceNo":{"HD-2026-0001":"0000001","HD-2026-0002":"0000002"}"#,
    );
    case(
        "importInvoice",
        ei::import_invoice(&s, &[simple("HD-2026-0003")], &st),
        easy!("api/publish/importInvoice", r#"{"XmlData":"<Invoices><Inv>{SIMPLE}</Inv></Invoices>","Pattern":"1","Serial":"C26TAA"}"#)
            .replace("{SIMPLE}", &easy_simple("HD-2026-0003")),
        r#""Ikeys":["HD-2026-0003"]"#,
    );
    case(
        "issueInvoices",
        ei::issue_invoices(&s, &[key("HD-2026-0003")], "1", "C26TAA", &st),
        easy!("api/publish/issueInvoices", r#"{"Ikeys":["HD-2026-0003"],"Pattern":"1","Serial":"C26TAA"}"#).into(),
        r#""KeyInvoiceNo":{"HD-2026-0003":"0000003"}"#,
    );
    case(
        "getInvoicesByIkeys",
        ei::get_invoices_by_ikeys(&s, &[key("HD-2026-0001"), key("HD-2026-0002")], &st),
        easy!("api/publish/getInvoicesByIkeys", r#"{"Ikeys":["HD-2026-0001","HD-2026-0002"]}"#).into(),
        r#""Ikey":"HD-2026-0002""#,
    );
    case(
        "getInvoiceByArisingDateRange",
        ei::get_invoices_by_arising_date(&s, date!(2000 - 01 - 01), date!(2099 - 12 - 31), 1, &st),
        easy!(
            "api/business/getInvoiceByArisingDateRange",
            r#"{"FromDate":"01/01/2000","ToDate":"31/12/2099","Page":1,"PageSize":100,"DownloadInvPDF":false,"Option":1}"#
        )
        .into(),
        r#""Ikey":"HD-2026-0002""#,
    );
    case(
        "adjustInvoice",
        ei::adjust_invoice(&s, &key("HD-2026-0001"), AdjustKind::Decrease, &simple("HD-2026-0001-DC1"), &st),
        easy!(
            "api/business/adjustInvoice",
            r#"{"Ikey":"HD-2026-0001","XmlData":"<AdjustInv><Ikey>HD-2026-0001-DC1</Ikey><Type>3</Type>{FIELDS}<AdjustReplaceReasonCode>13</AdjustReplaceReasonCode></AdjustInv>","Pattern":"1","Serial":"C26TAA"}"#
        )
        .replace("{FIELDS}", EASY_SIMPLE_FIELDS),
        r#""KeyInvoiceNo":{"HD-2026-0001-DC1":"0000004"}"#,
    );
    case(
        "replaceInvoice",
        ei::replace_invoice(&s, &key("HD-2026-0002"), &simple("HD-2026-0002-TT1"), &st),
        easy!(
            "api/business/replaceInvoice",
            r#"{"Ikey":"HD-2026-0002","XmlData":"<ReplaceInv><Ikey>HD-2026-0002-TT1</Ikey>{FIELDS}<AdjustReplaceReasonCode>13</AdjustReplaceReasonCode></ReplaceInv>","Pattern":"1","Serial":"C26TAA"}"#
        )
        .replace("{FIELDS}", EASY_SIMPLE_FIELDS),
        r#""KeyInvoiceNo":{"HD-2026-0002-TT1":"0000005"}"#,
    );
    case(
        "cancelInvoice",
        ei::cancel_invoice(&s, &key("HD-2026-0003"), "1", "C26TAA", &st),
        easy!("api/business/cancelInvoice", r#"{"Ikey":"HD-2026-0003","Pattern":"1","Serial":"C26TAA"}"#).into(),
        r#""KeyInvoiceNo":{}"#,
    );
    case(
        "getInvoicePdf",
        ei::get_invoice_pdf(&s, &key("HD-2026-0001"), &st),
        easy!("api/publish/getInvoicePdf", r#"{"Ikey":"HD-2026-0001","Option":0}"#).into(),
        "%PDF-",
    );
    case(
        "sendIssuanceNotice",
        ei::send_issuance_notice(&s, &key("HD-2026-0001"), "ketoan@ab.vn", &st),
        easy!("api/business/sendIssuanceNotice", r#"{"IkeyEmail":{"HD-2026-0001":"ketoan@ab.vn"}}"#).into(),
        r#""HD-2026-0001":"Đã gửi email thông báo phát hành""#,
    );
    // The shared host: the seller's tax code as a sixth field, the 2026 symbol in Pattern.
    let shared = EasyInvoiceSettings { seller_tax_code: Some("0312345673".into()), symbol_in_pattern: true, ..s.clone() };
    out.push((
        "shared host importAndIssueInvoice",
        ei::import_and_issue(&shared, &[simple("HD-2026-0009")], &st),
        written(
            &concat!(
                "POST /api/publish/importAndIssueInvoice\n",
                "Content-Type: application/json; charset=utf-8\n",
                "Authentication: t5bJBQR2A8GsxDPWjqN3Qw==:68cfe3f19b4b4668ae7746a514faf2cd:1772700000:demo:demo-pass:0312345673\n",
                "\n",
                r#"{"XmlData":"<Invoices><Inv>{SIMPLE}</Inv></Invoices>","Pattern":"1C26TAA","Serial":""}"#
            )
            .replace("{SIMPLE}", &easy_simple("HD-2026-0009")),
        ),
        r#""KeyInvoiceNo":{"HD-2026-0009":"0000001"}"#,
    ));
    out
}

#[test]
fn every_easyinvoice_request_is_the_one_typed_from_the_document() {
    let cases = easy_cases();
    for (name, client, typed, _) in &cases {
        same(name, client, typed);
    }
    let routes: Vec<&str> = cases.iter().map(|(_, _, w, _)| w.path.as_str()).collect();
    for route in [
        ei::ROUTE_VERIFY,
        ei::ROUTE_PATTERNS,
        ei::ROUTE_IMPORT_AND_ISSUE,
        ei::ROUTE_IMPORT,
        ei::ROUTE_ISSUE,
        ei::ROUTE_BY_IKEYS,
        ei::ROUTE_PDF,
        ei::ROUTE_CANCEL,
        ei::ROUTE_ADJUST,
        ei::ROUTE_REPLACE,
        ei::ROUTE_NOTICE,
    ] {
        assert!(routes.contains(&route), "{route} has no hand-typed request");
    }
    assert_eq!(ei::signature("POST", 1_772_700_000, "68cfe3f19b4b4668ae7746a514faf2cd"), "t5bJBQR2A8GsxDPWjqN3Qw==");
}

/// The broken copy of an EasyInvoice request: a wrong-case tag in XmlData, else a wrong-case
/// JSON field, else (an empty body) a wrong-case user name in the header; and the ErrorCode
/// the simulator must answer it with.
fn easy_broken(w: &Written) -> (Written, &'static str, i64) {
    let mut b = w.clone();
    if w.body.contains("<Ikey>") {
        b.body = w.body.replace("<Ikey>", "<ikey>").replace("</Ikey>", "</ikey>");
        return (b, "<ikey> for <Ikey>", 127);
    }
    for (field, wrong) in [(r#""Ikeys""#, r#""IKeys""#), (r#""IkeyEmail""#, r#""IKeyEmail""#), (r#""Ikey""#, r#""IKey""#)] {
        if w.body.contains(field) {
            b.body = w.body.replacen(field, wrong, 1);
            return (b, "a wrong-case field", 102);
        }
    }
    for (_, v) in b.headers.iter_mut().filter(|(n, _)| n == "Authentication") {
        *v = v.replace(":demo:", ":Demo:");
    }
    (b, "user Demo for demo", 175)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_strict_easyinvoice_simulator_accepts_each_typed_request_and_refuses_broken_copies() {
    // The typed stamp is of 05/03/2026: a host whose clock window reaches it.
    let config = EasyInvoiceConfig { clock_window_secs: 100 * 365 * 24 * 3600, ..EasyInvoiceConfig::default() };
    let own = start_easyinvoice(config.clone(), 0).await.unwrap();
    let shared = start_easyinvoice(EasyInvoiceConfig { require_tax_code: true, ..config }, 0).await.unwrap();
    for (name, _, typed, accepted) in easy_cases() {
        let host = if name.starts_with("shared") { &shared } else { &own };
        let (broken, what, code) = easy_broken(&typed);
        let (status, body) = post(&host.url(), &broken).await;
        let envelope: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{name} with {what}: {body}"));
        assert_eq!(envelope["ErrorCode"], code, "{name} with {what}: {body}");
        assert!(status >= 400, "{name} with {what}: HTTP {status}");

        let (status, body) = post(&host.url(), &typed).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert!(body.contains(accepted), "{name}: answered {}", body.chars().take(300).collect::<String>());
        if name != "getInvoicePdf" {
            assert!(body.contains(r#""Status":2"#), "{name}: {body}");
        }
    }
    // Without its sixth field the shared host refuses the same request (176).
    let own_form = &easy_cases()[3].2;
    let (status, body) = post(&shared.url(), own_form).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains(r#""ErrorCode":176"#), "{body}");
    assert_eq!(own.issued_count(), 5);
    assert_eq!(shared.issued_count(), 1);
}
