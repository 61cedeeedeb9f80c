//! Who each provider is told the buyer is, by the kind of customer: a person is the buyer
//! (EasyInvoice and VNPT `Buyer`, Viettel `buyerName`) and no unit; a business is the unit
//! (`CusName`, `buyerLegalName`) with the person who buys for it in the buyer field. The
//! requests are typed out by hand here, compared whole with what the clients build, then
//! sent to the strict simulators, which must accept them.
//!
//! Where a provider's document requires the unit's field, the person's name goes there too:
//! VNPT marks `CusName` required on every invoice (document 004), EasyInvoice whenever
//! `CusTaxCode` is given (document v8, VI.1).

mod fixtures;
mod written;

use fixtures::{easyinvoice_settings, key, viettel_settings, vnpt_settings, VIETTEL_TEMPLATE, VNPT_PATTERN};
use hoadon_einvoice::easyinvoice::requests as ei;
use hoadon_einvoice::viettel::requests::{self as vt, Purpose};
use hoadon_einvoice::vnpt::requests as vn;
use hoadon_einvoice::{AuthStamp, Buyer, HttpRequest, InvoiceDraft, Line};
use hoadon_rules::symbol::InvoiceSymbol;
use hoadon_rules::words::ZeroTens;
use hoadon_rules::{Dong, Quantity, VatRate};
use hoadon_sim_einvoice::{start_easyinvoice, start_viettel, start_vnpt, EasyInvoiceConfig, ViettelConfig, VnptConfig};
use written::{same, written, Written};
use time::macros::date;

const PERSON: &str = "Nguyễn Thị Ánh Tuyết";
const PERSON_ADDRESS: &str = "12 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh";
const COMPANY: &str = "Công ty TNHH Hoa Sen";
const COMPANY_BUYER: &str = "Trần Văn Bình";
const COMPANY_ADDRESS: &str = "215 Lê Thánh Tôn, Quận 1, TP. Hồ Chí Minh";

/// A person as the core hands one over: no unit, the name as the buyer.
fn person(tax_code: Option<&str>) -> Buyer {
    Buyer {
        name: String::new(),
        buyer_name: PERSON.into(),
        tax_code: tax_code.map(Into::into),
        address: PERSON_ADDRESS.into(),
        email: String::new(),
        phone: String::new(),
        walk_in: false,
    }
}

fn business() -> Buyer {
    Buyer {
        name: COMPANY.into(),
        buyer_name: COMPANY_BUYER.into(),
        tax_code: Some("0100109106".into()),
        address: COMPANY_ADDRESS.into(),
        email: String::new(),
        phone: String::new(),
        walk_in: false,
    }
}

/// One glass of peach tea at 8%, paid in cash, on 05/03/2026.
fn sale(k: &str, buyer: Buyer, pattern: &str) -> InvoiceDraft {
    let lines = vec![Line::new("Trà đào", "ly", Quantity::whole(1), Dong(30_000), VatRate::Eight).unwrap()];
    let symbol = InvoiceSymbol::parse("1", "C26TAA").unwrap();
    InvoiceDraft::new(key(k), &symbol, date!(2026 - 03 - 05), buyer, lines, "TM", ZeroTens::Linh).unwrap().with_pattern(pattern)
}

async fn post(base: &str, w: &Written, cookie: Option<&str>) -> (u16, String) {
    let mut b = reqwest::Client::new().post(format!("{base}/{}", w.path));
    for (n, v) in &w.headers {
        match (n.as_str(), cookie) {
            ("Cookie", Some(token)) => b = b.header("Cookie", format!("access_token={token}")),
            _ => b = b.header(n.as_str(), v.as_str()),
        }
    }
    let answer = b.body(w.body.clone()).send().await.unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

// ---------------------------------------------------------------- EasyInvoice

/// The stamp of `expected_payloads.rs`: base64(MD5("POST" + "1772700000" + nonce)).
fn stamp() -> AuthStamp {
    AuthStamp { timestamp: 1_772_700_000, nonce: "68cfe3f19b4b4668ae7746a514faf2cd".into() }
}

/// The sale after the buyer's tags, as EasyInvoice's `<Invoice>` ends.
const EASY_TAIL: &str = concat!(
    "<PaymentMethod>TM</PaymentMethod><ArisingDate>05/03/2026</ArisingDate><CurrencyUnit>VND</CurrencyUnit>",
    "<Products><Product><No>1</No><Feature>1</Feature><ProdName>Trà đào</ProdName><ProdUnit>ly</ProdUnit><ProdQuantity>1</ProdQuantity><ProdPrice>30000</ProdPrice><Total>30000</Total><VATRate>8</VATRate><VATAmount>2400</VATAmount><Amount>32400</Amount></Product></Products>",
    "<Total>30000</Total><VATRate>8</VATRate><VATAmount>2400</VATAmount><Amount>32400</Amount><GrossValue8>30000</GrossValue8><VatAmount8>2400</VatAmount8><Amount8>32400</Amount8>",
    "<AmountInWords>Ba mươi hai nghìn bốn trăm đồng</AmountInWords>",
);

fn easy_typed(ikey: &str, buyer_tags: &str) -> Written {
    written(&format!(
        concat!(
            "POST /api/publish/importAndIssueInvoice\n",
            "Content-Type: application/json; charset=utf-8\n",
            "Authentication: t5bJBQR2A8GsxDPWjqN3Qw==:68cfe3f19b4b4668ae7746a514faf2cd:1772700000:demo:demo-pass\n",
            "\n",
            r#"{{"XmlData":"<Invoices><Inv><Invoice><Ikey>{}</Ikey>{}{}</Invoice></Inv></Invoices>","Pattern":"1","Serial":"C26TAA"}}"#
        ),
        ikey, buyer_tags, EASY_TAIL
    ))
}

fn easy_cases() -> Vec<(&'static str, HttpRequest, Written)> {
    let s = easyinvoice_settings("https://0312345673.easyinvoice.vn");
    let case = |k: &str, buyer: Buyer| ei::import_and_issue(&s, &[sale(k, buyer, "1")], &stamp());
    vec![
        (
            "a person",
            case("HD-2026-0101", person(None)),
            easy_typed("HD-2026-0101", "<Buyer>Nguyễn Thị Ánh Tuyết</Buyer><CusAddress>12 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh</CusAddress>"),
        ),
        (
            "a person with a tax code",
            case("HD-2026-0103", person(Some("0100109106"))),
            easy_typed(
                "HD-2026-0103",
                "<Buyer>Nguyễn Thị Ánh Tuyết</Buyer><CusName>Nguyễn Thị Ánh Tuyết</CusName><CusAddress>12 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh</CusAddress><CusTaxCode>0100109106</CusTaxCode>",
            ),
        ),
        (
            "a business",
            case("HD-2026-0102", business()),
            easy_typed(
                "HD-2026-0102",
                "<Buyer>Trần Văn Bình</Buyer><CusName>Công ty TNHH Hoa Sen</CusName><CusAddress>215 Lê Thánh Tôn, Quận 1, TP. Hồ Chí Minh</CusAddress><CusTaxCode>0100109106</CusTaxCode>",
            ),
        ),
    ]
}

#[test]
fn easyinvoice_names_a_person_as_the_buyer_and_a_business_as_the_unit() {
    for (name, client, typed) in easy_cases() {
        same(name, &client, &typed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn easyinvoice_accepts_each_typed_buyer() {
    let config = EasyInvoiceConfig { clock_window_secs: 100 * 365 * 24 * 3600, ..EasyInvoiceConfig::default() };
    let sim = start_easyinvoice(config, 0).await.unwrap();
    for (name, _, typed) in easy_cases() {
        let (status, body) = post(&sim.url(), &typed, None).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert!(body.contains(r#""Status":2"#), "{name}: {body}");
    }
    assert_eq!(sim.issued_count(), 3);
}

// ---------------------------------------------------------------- VNPT

/// The sale after the buyer's tags, as document 004's `<Invoice>` ends.
const VNPT_TAIL: &str = concat!(
    "<PaymentMethod>TM</PaymentMethod>",
    "<Products><Product><ProdName>Trà đào</ProdName><ProdUnit>ly</ProdUnit><ProdQuantity>1</ProdQuantity><ProdPrice>30000</ProdPrice><Amount>30000</Amount><VATRate>8</VATRate><VATAmount>2400</VATAmount></Product></Products>",
    "<Total>30000</Total><VATRate>8</VATRate><VATAmount>2400</VATAmount><Amount>32400</Amount><GrossValue8>30000</GrossValue8><VatAmount8>2400</VatAmount8>",
    "<AmountInWords>Ba mươi hai nghìn bốn trăm đồng</AmountInWords><ArisingDate>05/03/2026</ArisingDate><PaymentStatus>1</PaymentStatus>",
);

fn vnpt_typed(fkey: &str, buyer_tags: &str) -> Written {
    let invoices = format!("<Invoices><Inv><key>{fkey}</key><Invoice>{buyer_tags}{VNPT_TAIL}</Invoice></Inv></Invoices>");
    // xmlInvData is a string parameter: the invoice travels as escaped XML text.
    let escaped = invoices.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    written(&format!(
        concat!(
            "POST /PublishService.asmx\n",
            "Content-Type: text/xml; charset=utf-8\n",
            "SOAPAction: \"http://tempuri.org/ImportAndPublishInv\"\n",
            "\n",
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>"#,
            r#"<ImportAndPublishInv xmlns="http://tempuri.org/"><Account>admin</Account><ACpass>admin-pass</ACpass><xmlInvData>{}</xmlInvData><username>service</username><password>service-pass</password><pattern>1/001</pattern><serial>C26TAA</serial><convert>0</convert></ImportAndPublishInv>"#,
            "</soap:Body></soap:Envelope>"
        ),
        escaped
    ))
}

fn vnpt_cases() -> Vec<(&'static str, HttpRequest, Written)> {
    let s = vnpt_settings("https://0312345678-tt78admindemo.vnpt-invoice.com.vn");
    let case = |k: &str, buyer: Buyer| vn::import_and_publish_inv(&s, &[sale(k, buyer, VNPT_PATTERN)]);
    vec![
        (
            "a person",
            case("HD-2026-0101", person(None)),
            // CusCode: a person has none in VNPT's customer list, so the key stands in.
            vnpt_typed(
                "HD-2026-0101",
                "<CusCode>HD-2026-0101</CusCode><Buyer>Nguyễn Thị Ánh Tuyết</Buyer><CusName>Nguyễn Thị Ánh Tuyết</CusName><CusAddress>12 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh</CusAddress>",
            ),
        ),
        (
            "a business",
            case("HD-2026-0102", business()),
            vnpt_typed(
                "HD-2026-0102",
                "<CusCode>0100109106</CusCode><Buyer>Trần Văn Bình</Buyer><CusName>Công ty TNHH Hoa Sen</CusName><CusAddress>215 Lê Thánh Tôn, Quận 1, TP. Hồ Chí Minh</CusAddress><CusTaxCode>0100109106</CusTaxCode>",
            ),
        ),
    ]
}

#[test]
fn vnpt_names_a_person_as_the_buyer_and_a_business_as_the_unit() {
    for (name, client, typed) in vnpt_cases() {
        same(name, &client, &typed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vnpt_accepts_each_typed_buyer() {
    let sim = start_vnpt(VnptConfig::default(), 0).await.unwrap();
    for (name, _, typed) in vnpt_cases() {
        let (status, body) = post(&sim.url(), &typed, None).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert!(body.contains("<ImportAndPublishInvResult>OK:"), "{name}: {body}");
    }
    assert_eq!(sim.issued_count(), 2);
}

// ---------------------------------------------------------------- Viettel

/// 2026-03-05 15:40:00 +07, as in `viettel_payloads.rs`.
const NOW: i64 = 1_772_700_000;

/// `createInvoice` of the sale under a transaction id (Python's
/// `uuid.uuid3(uuid.NAMESPACE_URL, "urn:hoadon:invoice-key:" + key)`) and a `buyerInfo`.
fn viettel_typed(uuid: &str, buyer_info: &str) -> Written {
    written(&format!(
        concat!(
            "POST /services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/0100109106-506\n",
            "Content-Type: application/json\n",
            "Cookie: access_token=tok-123\n",
            "\n",
            r#"{{"generalInvoiceInfo":{{"transactionUuid":"{}","invoiceType":"1","templateCode":"1/001","invoiceSeries":"C26TAA","invoiceIssuedDate":1772700000000,"currencyCode":"VND","adjustmentType":"1","paymentStatus":true,"cusGetInvoiceRight":true,"validation":1}},"#,
            r#""buyerInfo":{},"#,
            r#""sellerInfo":{{"sellerTaxCode":"0100109106-506"}},"#,
            r#""payments":[{{"paymentMethodName":"TM"}}],"#,
            r#""itemInfo":[{{"itemCode":"","itemName":"Trà đào","unitName":"ly","unitPrice":30000,"quantity":1,"itemTotalAmountWithoutTax":30000,"taxPercentage":8,"taxAmount":2400,"discount":0,"itemTotalAmountAfterDiscount":30000,"itemTotalAmountWithTax":32400,"selection":1}}],"#,
            r#""taxBreakdowns":[{{"taxPercentage":8,"taxableAmount":30000,"taxAmount":2400,"taxableAmountPos":true,"taxAmountPos":true}}]}}"#
        ),
        uuid, buyer_info
    ))
}

fn viettel_cases() -> Vec<(&'static str, HttpRequest, Written)> {
    let s = viettel_settings("https://api-vinvoice.viettel.vn");
    let case = |k: &str, buyer: Buyer| vt::create_invoice(&s, "tok-123", &sale(k, buyer, VIETTEL_TEMPLATE), &Purpose::Original, NOW);
    vec![
        (
            "a person",
            case("HD-2026-0101", person(None)),
            viettel_typed(
                "401e86c1-7382-3480-84db-6ecfbcdd1136",
                r#"{"buyerName":"Nguyễn Thị Ánh Tuyết","buyerLegalName":"","buyerTaxCode":"","buyerAddressLine":"12 Lý Tự Trọng, Quận 1, TP. Hồ Chí Minh","buyerPhoneNumber":"","buyerEmail":"","buyerNotGetInvoice":0}"#,
            ),
        ),
        (
            "a business",
            case("HD-2026-0102", business()),
            viettel_typed(
                "10078802-e04d-35ca-80d0-3ab1be5be350",
                r#"{"buyerName":"Trần Văn Bình","buyerLegalName":"Công ty TNHH Hoa Sen","buyerTaxCode":"0100109106","buyerAddressLine":"215 Lê Thánh Tôn, Quận 1, TP. Hồ Chí Minh","buyerPhoneNumber":"","buyerEmail":"","buyerNotGetInvoice":0}"#,
            ),
        ),
    ]
}

#[test]
fn viettel_names_a_person_as_the_buyer_and_a_business_as_the_unit() {
    for (name, client, typed) in viettel_cases() {
        same(name, &client, &typed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viettel_accepts_each_typed_buyer() {
    let sim = start_viettel(ViettelConfig { password: "viettel-pass".into(), ..ViettelConfig::default() }, 0).await.unwrap();
    let login = written(concat!("POST /auth/login\n", "Content-Type: application/json\n", "\n", r#"{"username":"0100109106-506","password":"viettel-pass"}"#));
    let (status, body) = post(&sim.url(), &login, None).await;
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<serde_json::Value>(&body).unwrap()["access_token"].as_str().unwrap().to_string();
    for (name, _, typed) in viettel_cases() {
        let (status, body) = post(&sim.url(), &typed, Some(&token)).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert!(body.contains(r#""invoiceNo":"C26TAA"#), "{name}: {body}");
    }
    assert_eq!(sim.issued_count(), 2);
}

#[test]
fn a_person_name_too_long_is_the_name_box_to_correct() {
    let long = Buyer { buyer_name: "Nguyễn ".repeat(15), ..person(None) };
    for (provider, refused) in [
        ("EasyInvoice", hoadon_einvoice::easyinvoice::check_draft(&sale("HD-2026-0104", long.clone(), "1"))),
        ("VNPT", hoadon_einvoice::vnpt::check_draft(&sale("HD-2026-0104", long.clone(), VNPT_PATTERN))),
        ("Viettel", hoadon_einvoice::viettel::check_draft(&sale("HD-2026-0104", long.clone(), VIETTEL_TEMPLATE))),
    ] {
        let e = refused.expect_err(provider);
        assert_eq!(e.field(), "customer.name", "{provider}: {e}");
        assert!(e.to_string().contains("tối đa 100 ký tự"), "{provider}: {e}");
    }
    // A business's buyer is its own box.
    let long_buyer = Buyer { buyer_name: "Trần ".repeat(25), ..business() };
    let e = hoadon_einvoice::easyinvoice::check_draft(&sale("HD-2026-0105", long_buyer, "1")).unwrap_err();
    assert_eq!(e.field(), "customer.buyer_name");
}
