//! Every request both clients send, byte for byte, against `tests/golden/*.txt`.
//!
//! A change to what goes on the wire must show up here as a diff someone reads. To accept an
//! intended change: `UPDATE_GOLDEN=1 cargo test -p hoadon-einvoice --test golden`, then
//! review the changed files before committing them.

mod fixtures;

use std::path::PathBuf;

use fixtures::{draft, easyinvoice_settings, key, simple_draft, vnpt_settings};
use hoadon_einvoice::easyinvoice::requests as ei;
use hoadon_einvoice::vnpt::requests as vn;
use hoadon_einvoice::{AdjustKind, AuthStamp, Customer, HttpRequest};
use time::macros::date;

fn stamp() -> AuthStamp {
    AuthStamp { timestamp: 1_772_700_000, nonce: "68cfe3f19b4b4668ae7746a514faf2cd".into() }
}

fn check(name: &str, request: &HttpRequest) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.txt"));
    let actual = request.to_golden_text();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
    assert_eq!(actual, expected, "request {name} differs from {}", path.display());
}

#[test]
fn easyinvoice_requests() {
    let s = easyinvoice_settings("https://demo.easyinvoice.vn");
    let st = stamp();
    let drafts = [draft("HD-2026-0001"), simple_draft("HD-2026-0002")];
    check("easyinvoice_verify", &ei::verify_account(&s, &st));
    check("easyinvoice_patterns", &ei::list_patterns(&s, &st));
    check("easyinvoice_import_and_issue", &ei::import_and_issue(&s, &drafts, &st));
    check("easyinvoice_import", &ei::import_invoice(&s, &drafts[1..], &st));
    check("easyinvoice_issue_invoices", &ei::issue_invoices(&s, &[key("HD-2026-0002")], "1", "C26TAA", &st));
    check("easyinvoice_get_by_ikeys", &ei::get_invoices_by_ikeys(&s, &[key("HD-2026-0001"), key("HD-2026-0002")], &st));
    check("easyinvoice_cancel", &ei::cancel_invoice(&s, &key("HD-2026-0001"), "1", "C26TAA", &st));
    check("easyinvoice_adjust", &ei::adjust_invoice(&s, &key("HD-2026-0001"), AdjustKind::Decrease, &simple_draft("HD-2026-0001-DC1"), &st));
    check("easyinvoice_replace", &ei::replace_invoice(&s, &key("HD-2026-0001"), &simple_draft("HD-2026-0001-TT1"), &st));
    check("easyinvoice_pdf", &ei::get_invoice_pdf(&s, &key("HD-2026-0001"), &st));
    check("easyinvoice_notice", &ei::send_issuance_notice(&s, &key("HD-2026-0001"), "1", "C26TAA", "ketoan@ab.vn", &st));

    // The shared host: the seller's tax code as a sixth field, and the 2026 symbol form.
    let shared = hoadon_einvoice::EasyInvoiceSettings {
        seller_tax_code: Some("0312345673".into()),
        symbol_in_pattern: true,
        ..s.clone()
    };
    check("easyinvoice_shared_host_issue", &ei::import_and_issue(&shared, &drafts[1..], &st));
}

#[test]
fn the_signature_of_the_golden_stamp() {
    // base64(md5("POST" + "1772700000" + "68cfe3f19b4b4668ae7746a514faf2cd")), from Python's hashlib.
    assert_eq!(ei::signature("POST", 1_772_700_000, "68cfe3f19b4b4668ae7746a514faf2cd"), "t5bJBQR2A8GsxDPWjqN3Qw==");
}

#[test]
fn vnpt_requests() {
    let s = vnpt_settings("https://tenant-tt78.vnpt-invoice.com.vn");
    let drafts = [draft("HD-2026-0001"), simple_draft("HD-2026-0002")];
    check("vnpt_import_and_publish", &vn::import_and_publish_inv(&s, &drafts));
    let mtt = simple_draft("POS-0001").with_tax_authority_code("M1-26-AB123-00100000042");
    let mtt = hoadon_einvoice::InvoiceDraft { serial: "C26MAA".into(), ..mtt };
    check("vnpt_import_and_publish_mtt", &vn::import_and_publish_inv_mtt(&s, &[mtt]));
    check("vnpt_import_by_pattern", &vn::import_inv_by_pattern(&s, &drafts));
    check("vnpt_publish_by_fkey", &vn::publish_inv_fkey(&s, &[key("HD-2026-0001"), key("HD-2026-0002")], "1", "C26TAA"));
    check("vnpt_cancel", &vn::cancel_inv(&s, &key("HD-2026-0001")));
    check("vnpt_adjust", &vn::adjust_inv(&s, &key("HD-2026-0001"), AdjustKind::Increase, &simple_draft("HD-2026-0001-DC1")));
    check("vnpt_replace", &vn::replace_inv(&s, &key("HD-2026-0001"), &simple_draft("HD-2026-0001-TT1")));
    check("vnpt_confirm_payment", &vn::confirm_payment_fkey(&s, &[key("HD-2026-0001"), key("HD-2026-0002")]));
    check("vnpt_unconfirm_payment", &vn::unconfirm_payment_fkey(&s, &[key("HD-2026-0001")]));
    let customers = [Customer {
        code: "KH001".into(),
        name: "Công ty TNHH \"A & B\"".into(),
        tax_code: "0312345673".into(),
        address: "45 Nguyễn Huệ".into(),
        email: "ketoan@ab.vn".into(),
        phone: "0901234567".into(),
        is_company: true,
    }];
    check("vnpt_update_cus", &vn::update_cus(&s, &customers));
    check("vnpt_list_by_fkey", &vn::list_inv_by_cus_fkey(&s, &key("HD-2026-0001"), Some(date!(2026 - 03 - 01)), Some(date!(2026 - 03 - 31))));
    check("vnpt_download_pdf", &vn::download_inv_pdf_fkey_no_pay(&s, &key("HD-2026-0001")));
    check("vnpt_download_xml", &vn::download_inv_fkey_no_pay(&s, &key("HD-2026-0001")));
    check("vnpt_view", &vn::get_inv_view_fkey(&s, &key("HD-2026-0001")));
    check("vnpt_report_used", &vn::report_inv_used(&s, 2026, 1));
    check("vnpt_report_month", &vn::report_month(&s, 2026, 3));
}
