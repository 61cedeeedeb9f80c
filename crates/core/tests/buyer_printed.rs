//! Who the invoice names, by the kind of customer: a person is "Họ tên người mua hàng" and no
//! unit; a business is "Tên đơn vị", with the person who buys for it on the line above when
//! one is named. Checked on the app's own A4 print (read back with `pdftotext`) and on the
//! provider-neutral draft every provider's request is built from.

use std::process::Command;

use hoadon_core::store::{CustomerKind, InvoiceRecord, SaleStatus};
use hoadon_core::{CustomerForm, SaleForm, SaleLineForm, Shop};

const PERSON: &str = "Nguyễn Thị Ánh Tuyết";
const COMPANY: &str = "Công ty TNHH Thương mại Hoa Sen";
const COMPANY_BUYER: &str = "Trần Văn Bình";

fn customer(shop: &Shop, kind: CustomerKind, name: &str, buyer_name: &str, tax_code: &str) -> i64 {
    let form = CustomerForm {
        kind,
        name: name.into(),
        buyer_name: buyer_name.into(),
        tax_code: tax_code.into(),
        address: "215 Lê Thánh Tôn, Phường Bến Thành, TP. Hồ Chí Minh".into(),
        email: String::new(),
        phone: String::new(),
    };
    shop.save_customer(None, &form).unwrap().id
}

fn sale(shop: &mut Shop, customer_id: i64) -> i64 {
    let line = SaleLineForm { product_id: None, name: "Trà Ô Long".into(), unit: "hộp".into(), quantity: "1".into(), unit_price: "250.000".into(), vat_rate: "10".into() };
    shop.save_sale(&SaleForm { customer_id: Some(customer_id), status: SaleStatus::Completed, note: String::new(), lines: vec![line], sold_at: None }).unwrap().id
}

/// The A4 print's text, `pdftotext -layout`: each label beside its value on one line.
fn printed_lines(shop: &Shop, sale: i64) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("invoice.pdf");
    std::fs::write(&pdf, shop.render_sale_pdf(sale, "1", "C26TAA", false).unwrap()).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install -y poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// The value printed after `label` in the buyer's block (the second occurrence of "Mã số
/// thuế:" and "Địa chỉ:" belong to the buyer, so only buyer-only labels are asked).
fn value_of(lines: &[String], label: &str) -> String {
    let line = lines.iter().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("no «{label}» line in {lines:#?}"));
    line[label.len()..].trim().to_string()
}

/// The draft the providers' requests are built from, for an invoice row of `sale`.
fn draft_buyer(shop: &Shop, sale: i64) -> hoadon_core::einvoice::Buyer {
    let record: InvoiceRecord = serde_json::from_value(serde_json::json!({
        "id": 999, "sale_id": sale, "provider": "viettel", "key": format!("HD{sale}-ABCDEFGHJKLMNPQR"), "template": "1/001", "symbol": "C26TAA",
        "number": null, "status": "queued", "tax_authority_code": null, "lookup_code": null, "replaces_id": null, "relation": "original",
        "adjustment": null, "created_at": 0, "updated_at": 0, "issued_at": null, "last_error": null, "account": null, "conflict": null
    }))
    .unwrap();
    let sale = shop.sale(sale).unwrap();
    hoadon_core::invoicing::draft_for_invoice(shop, &sale, &record).unwrap().buyer
}

#[test]
fn a_person_is_the_buyer_and_no_unit() {
    let mut shop = Shop::open_in_memory().unwrap();
    let customer_id = customer(&shop, CustomerKind::Person, PERSON, "", "");
    let id = sale(&mut shop, customer_id);
    let lines = printed_lines(&shop, id);
    assert_eq!(value_of(&lines, "Họ tên người mua hàng:"), PERSON);
    assert_eq!(value_of(&lines, "Tên đơn vị:"), "", "a person printed as a company: {lines:#?}");
    let buyer = draft_buyer(&shop, id);
    assert_eq!((buyer.name.as_str(), buyer.buyer_name.as_str()), ("", PERSON));
}

#[test]
fn a_business_is_the_unit_with_its_buyer_above() {
    let mut shop = Shop::open_in_memory().unwrap();
    let customer_id = customer(&shop, CustomerKind::Business, COMPANY, COMPANY_BUYER, "0100109106");
    let id = sale(&mut shop, customer_id);
    let lines = printed_lines(&shop, id);
    assert_eq!(value_of(&lines, "Họ tên người mua hàng:"), COMPANY_BUYER);
    assert_eq!(value_of(&lines, "Tên đơn vị:"), COMPANY);
    let at = |label: &str| lines.iter().position(|l| l.starts_with(label)).unwrap();
    assert!(at("Họ tên người mua hàng:") < at("Tên đơn vị:"), "the buyer's name comes first");
    let buyer = draft_buyer(&shop, id);
    assert_eq!((buyer.name.as_str(), buyer.buyer_name.as_str()), (COMPANY, COMPANY_BUYER));
}

#[test]
fn a_business_without_a_named_buyer_leaves_that_line_empty() {
    let mut shop = Shop::open_in_memory().unwrap();
    let customer_id = customer(&shop, CustomerKind::Business, COMPANY, "", "0100109106");
    let id = sale(&mut shop, customer_id);
    let lines = printed_lines(&shop, id);
    assert_eq!(value_of(&lines, "Họ tên người mua hàng:"), "");
    assert_eq!(value_of(&lines, "Tên đơn vị:"), COMPANY);
    let buyer = draft_buyer(&shop, id);
    assert_eq!((buyer.name.as_str(), buyer.buyer_name.as_str()), (COMPANY, ""));
}
