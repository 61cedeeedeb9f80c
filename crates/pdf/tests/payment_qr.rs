//! The VietQR code as printed: the page rendered to a picture (`pdftoppm`) and decoded by an
//! independent reader (`zbarimg`, Debian's zbar-tools) gives back the payload, whose fields
//! and CRC then check out; the words around the code read back with `pdftotext`.
//!
//! A missing tool fails with the package to install: a skipped test would let a code no
//! phone can read pass.

mod poppler;
mod sample;

use std::path::{Path, PathBuf};
use std::process::Command;

use hoadon_payment_qr::{read_payload, Beneficiary, PaymentCode};
use hoadon_pdf::{render_invoice, render_receipt, PrintedInvoice, PrintedPayment};

use poppler::{artifacts_dir, flat, raw_text, write_pdf};

fn with_payment(mut inv: PrintedInvoice) -> PrintedInvoice {
    let total = inv.totals.total;
    let code = PaymentCode::new("970436", &Beneficiary::Account("0071000123456".into()), Some(total.0 as u64), "Hoa don 123 C26MAA").unwrap();
    inv.payment = Some(PrintedPayment {
        payload: code.payload().to_string(),
        bank: "Vietcombank".into(),
        account_number: "0071000123456".into(),
        account_name: "HO KINH DOANH MINH KHAI".into(),
        amount: total,
        note: "Hoa don 123 C26MAA".into(),
    });
    inv
}

/// The page at `dpi`, as a PNG kept in target/pdf-artifacts for a person to look at.
fn picture(pdf: &Path, name: &str, dpi: u32) -> PathBuf {
    let prefix = artifacts_dir().join(name);
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("cannot run pdftoppm: apt-get install -y poppler-utils");
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    prefix.with_extension("png")
}

/// Every QR code `zbarimg` finds in the picture, as the text it carries.
fn decoded(png: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(png)
        .output()
        .unwrap_or_else(|e| panic!("cannot run zbarimg ({e}): the payment code tests need zbar-tools (apt-get install -y zbar-tools)"));
    assert!(out.status.success(), "zbarimg found no code in {}: {}", png.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("the code is ASCII").lines().map(str::to_string).collect()
}

fn assert_reads_back(inv: &PrintedInvoice, png: &Path) {
    let printed = &inv.payment.as_ref().unwrap().payload;
    assert_eq!(decoded(png), vec![printed.clone()], "what a reader gets from {}", png.display());
    let read = read_payload(printed).expect("the decoded code's lengths and CRC check out");
    assert_eq!(read.bin, "970436");
    assert_eq!(read.beneficiary, Beneficiary::Account("0071000123456".into()));
    assert_eq!(read.amount, Some(inv.totals.total.0 as u64));
    assert_eq!(read.note, "Hoa don 123 C26MAA");
}

#[test]
fn the_receipt_code_scans_back_to_its_payload() {
    let inv = with_payment(sample::till_sale(3));
    let pdf = write_pdf("payment-receipt", &render_receipt(&inv).unwrap());
    // 200 dpi, what a receipt scanned or photographed gives; and 80 dpi, the picture a
    // person looks at, which still reads.
    assert_reads_back(&inv, &picture(&pdf, "payment-receipt-200dpi", 200));
    assert_reads_back(&inv, &picture(&pdf, "payment-receipt-80dpi", 80));

    let text = flat(&raw_text(&pdf));
    for words in ["Quét mã để thanh toán", "Vietcombank - 0071000123456", "Chủ tài khoản: HO KINH DOANH MINH KHAI", "Nội dung: Hoa don 123 C26MAA"] {
        assert!(text.contains(words), "«{words}» not on the receipt: {text}");
    }
    let amount = format!("Số tiền: {} đ", hoadon_rules::money::group_thousands(inv.totals.total.0));
    assert!(text.contains(&amount), "{amount} not on the receipt");
}

#[test]
fn the_invoice_code_scans_back_between_the_signatures() {
    let inv = with_payment(sample::invoice(3));
    let pdf = write_pdf("payment-invoice", &render_invoice(&inv).unwrap());
    assert_reads_back(&inv, &picture(&pdf, "payment-invoice-200dpi", 200));
    let text = flat(&raw_text(&pdf));
    assert!(text.contains("Quét mã để thanh toán") && text.contains("Vietcombank - 0071000123456"), "{text}");
    assert!(text.contains("Người mua hàng") && text.contains("Người bán hàng"));
}

#[test]
fn a_long_invoice_keeps_its_code_on_the_last_page_with_the_totals() {
    let inv = with_payment(sample::invoice(60));
    let pdf = write_pdf("payment-invoice-60", &render_invoice(&inv).unwrap());
    let pages = poppler::pages_text(&pdf);
    assert!(pages.len() > 1);
    assert_eq!(pages.iter().filter(|p| p.contains("Quét mã để thanh toán")).count(), 1);
    assert!(pages.last().unwrap().contains("Quét mã để thanh toán") && pages.last().unwrap().contains("Tổng cộng tiền thanh toán"));
}

#[test]
fn no_account_no_code() {
    let pdf = write_pdf("payment-none", &render_receipt(&sample::till_sale(2)).unwrap());
    assert!(!raw_text(&pdf).contains("Quét mã"));
    let png = picture(&pdf, "payment-none", 120);
    let out = Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&png).output().expect("zbarimg");
    assert!(!out.status.success() && out.stdout.is_empty(), "a code was found on a receipt without one");
}
