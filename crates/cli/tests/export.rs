//! `hoadon export sales|invoices|vat` run as a script would, on a database filled by
//! `hoadon demo-data`: the files land under `--out` with the figures the core computes on the
//! same file, and a wrong date names the box.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hoadon_core::accounting::Period;
use hoadon_core::rules::calendar;
use hoadon_core::Shop;

fn hoadon(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoadon")).arg("--db").arg(db).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn demo_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = hoadon(&db, &["demo-data"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (dir, db)
}

fn today() -> String {
    calendar::format_date(calendar::now().date())
}

#[test]
fn the_vat_summary_as_csv_is_the_cores() {
    let (dir, db) = demo_db();
    let out_path = dir.path().join("thue.csv");
    let to = today();
    let out = hoadon(&db, &["export", "vat", "--from", "01/01/2020", "--to", &to, "--csv", "--out", out_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Đã xuất Tổng hợp thuế GTGT ("), "{}", text(&out.stdout));

    let shop = Shop::open(&db).unwrap();
    let period = Period::new(calendar::parse_date("01/01/2020").unwrap(), calendar::now().date()).unwrap();
    let summary = shop.vat_summary(&period).unwrap();
    assert!(summary.sales > 0);
    let csv = std::fs::read_to_string(&out_path).unwrap();
    let mut expected = String::from("\u{feff}Thuế suất,Tiền hàng chưa thuế,Thuế GTGT,Cộng tiền thanh toán\r\n");
    for r in &summary.totals.by_rate {
        expected.push_str(&format!("{},{},{},{}\r\n", r.label, r.subtotal.0, r.vat.0, r.subtotal.0 + r.vat.0));
    }
    assert_eq!(csv, expected);
}

#[test]
fn the_sales_listing_as_xlsx_lands_under_out_with_json_said() {
    let (dir, db) = demo_db();
    let out_path = dir.path().join("bang-ke.xlsx");
    let to = today();
    let out = hoadon(&db, &["--json", "export", "sales", "--from", "01/01/2020", "--to", &to, "--xlsx", "--out", out_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["path"], out_path.display().to_string());
    assert_eq!(done["bytes"].as_u64().unwrap(), std::fs::metadata(&out_path).unwrap().len());
    let bytes = std::fs::read(&out_path).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip");
    let sales = Shop::open(&db).unwrap().store().count_sales().unwrap();
    let rows = done["rows"].as_u64().unwrap();
    assert!(rows > 0 && rows < sales as u64, "failed sales are left out: {rows} of {sales}");
}

#[test]
fn a_wrong_date_names_the_box_and_writes_nothing() {
    let (dir, db) = demo_db();
    let out_path = dir.path().join("bang-ke.csv");
    let out = hoadon(&db, &["export", "invoices", "--from", "31/03/2026", "--to", "01/03/2026", "--csv", "--out", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).trim(), "Lỗi: «Đến ngày» (01/03/2026) phải cùng hoặc sau «Từ ngày» (31/03/2026).");
    assert!(!out_path.exists());
    let out = hoadon(&db, &["export", "sales", "--from", "1/13/2026", "--to", "01/03/2026", "--xlsx", "--out", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("«Từ ngày»: «1/13/2026» không phải ngày hợp lệ"), "{}", text(&out.stderr));
    // Neither or both formats: clap refuses before anything runs.
    let out = hoadon(&db, &["export", "sales", "--from", "01/03/2026", "--to", "31/03/2026", "--out", out_path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(!out_path.exists());
}
