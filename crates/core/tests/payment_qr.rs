//! The shop's VietQR account through the core, as the window and the CLI use it: refused
//! boxes named, the sale's code carrying its total and number, the same code on the printed
//! receipt (read back from the page by `zbarimg`), and nothing once the account is removed.

use std::process::Command;

use hoadon_core::store::{CustomerKind, SaleStatus};
use hoadon_core::{CustomerForm, PaymentSettingsForm, PaymentTarget, SaleForm, SaleLineForm, Shop};
use hoadon_payment_qr::{read_payload, Beneficiary};

fn sale(shop: &mut Shop, customer_id: Option<i64>) -> i64 {
    sale_of(shop, customer_id, SaleStatus::Completed)
}

fn sale_of(shop: &mut Shop, customer_id: Option<i64>, status: SaleStatus) -> i64 {
    let line = SaleLineForm {
        product_id: None,
        name: "Gạo ST25 Sóc Trăng".into(),
        unit: "kg".into(),
        quantity: "12,5".into(),
        unit_price: "32.000".into(),
        vat_rate: "5".into(),
    };
    shop.save_sale(&SaleForm { customer_id, status, note: String::new(), lines: vec![line], sold_at: None })
        .unwrap()
        .id
}

/// The receipt's text as `pdftotext` reads it.
fn receipt_text(shop: &Shop, sale: i64) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    std::fs::write(&pdf, shop.render_sale_pdf(sale, "1", "C26MAA", true).unwrap()).unwrap();
    let out = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn account() -> PaymentSettingsForm {
    PaymentSettingsForm {
        bank_bin: "970436".into(),
        account_number: " 0071000123456 ".into(),
        account_name: "HO KINH DOANH MINH KHAI".into(),
        target: PaymentTarget::Account,
    }
}

fn refused_fields(e: hoadon_core::Error) -> Vec<(String, String)> {
    e.to_app_error().fields.into_iter().map(|f| (f.field, f.message)).collect()
}

#[test]
fn wrong_boxes_are_named_and_nothing_is_saved() {
    let shop = Shop::open_in_memory().unwrap();
    let wrong = PaymentSettingsForm { bank_bin: "970499".into(), account_number: "0071-000".into(), account_name: " ".into(), target: PaymentTarget::Account };
    let fields = refused_fields(shop.save_payment_settings(&wrong).unwrap_err());
    let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, ["bank_bin", "account_number", "account_name"], "{fields:?}");
    assert!(fields[0].1.contains("970499") && fields[0].1.contains("NAPAS"), "{fields:?}");
    assert!(fields[1].1.contains("chỉ gồm chữ số"), "{fields:?}");
    assert!(fields[2].1.contains("tên chủ tài khoản"), "{fields:?}");
    let unpicked = PaymentSettingsForm { bank_bin: String::new(), ..account() };
    assert_eq!(refused_fields(shop.save_payment_settings(&unpicked).unwrap_err())[0].1, "Chưa chọn ngân hàng.");
    assert_eq!(shop.payment_settings().unwrap(), None);
}

#[test]
fn a_sale_code_carries_its_total_and_number_and_prints_on_the_receipt() {
    let mut shop = Shop::open_in_memory().unwrap();
    let id = sale(&mut shop, None);
    assert_eq!(shop.sale_payment_code(id).unwrap(), None, "no account yet, no code");

    let saved = shop.save_payment_settings(&account()).unwrap();
    assert_eq!(saved.account_number, "0071000123456");
    assert_eq!(shop.payment_settings().unwrap(), Some(saved));

    let code = shop.sale_payment_code(id).unwrap().unwrap();
    let total = shop.sale(id).unwrap().totals.total.0;
    assert_eq!(total, 420_000);
    assert_eq!((code.amount, code.note.as_str(), code.bank.short_name.as_str()), (total, format!("Don hang {id}").as_str(), "Vietcombank"));
    assert!(code.image.starts_with("data:image/svg+xml,"));
    let read = read_payload(&code.payload).unwrap();
    assert_eq!(read.bin, "970436");
    assert_eq!(read.beneficiary, Beneficiary::Account("0071000123456".into()));
    assert_eq!(read.amount, Some(420_000));
    assert_eq!(read.note, format!("Don hang {id}"));

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    std::fs::write(&pdf, shop.render_sale_pdf(id, "1", "C26MAA", true).unwrap()).unwrap();
    let png = dir.path().join("receipt");
    let out = Command::new("pdftoppm").args(["-r", "150", "-png", "-singlefile"]).arg(&pdf).arg(&png).output().expect("pdftoppm (poppler-utils)");
    assert!(out.status.success());
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(png.with_extension("png"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run zbarimg ({e}): apt-get install -y zbar-tools"));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), code.payload, "the printed code is the screen's code");

    shop.clear_payment_settings().unwrap();
    assert_eq!(shop.sale_payment_code(id).unwrap(), None);
    assert!(!receipt_text(&shop, id).contains("Quét mã để thanh toán"));
}

#[test]
fn a_card_number_is_sent_as_a_card() {
    let mut shop = Shop::open_in_memory().unwrap();
    let customer = shop
        .save_customer(None, &CustomerForm {
            kind: CustomerKind::Person,
            name: "Nguyễn Thị Ánh Tuyết".into(),
            buyer_name: String::new(),
            tax_code: String::new(),
            address: String::new(),
            email: String::new(),
            phone: String::new(),
        })
        .unwrap();
    let id = sale(&mut shop, Some(customer.id));
    shop.save_payment_settings(&PaymentSettingsForm { account_number: "9704229200001234".into(), target: PaymentTarget::Card, ..account() }).unwrap();
    let code = shop.sale_payment_code(id).unwrap().unwrap();
    assert!(code.payload.contains("0208QRIBFTTC"), "{}", code.payload);
    assert_eq!(read_payload(&code.payload).unwrap().beneficiary, Beneficiary::Card("9704229200001234".into()));
}

#[test]
fn a_failed_sale_has_nothing_to_pay() {
    let mut shop = Shop::open_in_memory().unwrap();
    shop.save_payment_settings(&account()).unwrap();
    let failed = sale_of(&mut shop, None, SaleStatus::Failed);
    assert_eq!(shop.sale_payment_code(failed).unwrap(), None);
    assert!(!receipt_text(&shop, failed).contains("Quét mã để thanh toán"));
    let pending = sale_of(&mut shop, None, SaleStatus::Pending);
    assert!(shop.sale_payment_code(pending).unwrap().is_some(), "a sale not settled yet is what the code is for");
    assert!(receipt_text(&shop, pending).contains("Quét mã để thanh toán"));
}
