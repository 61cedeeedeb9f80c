//! The `hoadon` binary as a script would use it.

use std::process::{Command, Output};

fn hoadon(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoadon")).arg("--db").arg(db).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn an_invalid_tax_code_exits_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = hoadon(&db, &["customers", "add", "--kind", "business", "--name", "Công ty B", "--tax-code", "0100109107"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).trim(), "Lỗi: Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.");
    let list = hoadon(&db, &["--json", "customers", "list"]);
    assert_eq!(text(&list.stdout).trim(), "[]", "nothing was saved");
}

#[test]
fn adds_and_lists_customers_and_sales() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = hoadon(&db, &["customers", "add", "--kind", "business", "--name", "Công ty Ánh Dương", "--tax-code", "0100109106"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "Đã lưu khách hàng số 1: Công ty Ánh Dương");

    let out = hoadon(&db, &["--json", "sales", "add", "--customer", "1", "--date", "05/03/2026", "--line", "Gạo ST25;2,5;34.000;5;kg", "--line", "Nước mắm;1;95.000;10;chai"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sale: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sale["totals"]["total"], 85_000 + 4_250 + 95_000 + 9_500);

    let out = hoadon(&db, &["sales", "list"]);
    let listed = text(&out.stdout);
    assert!(listed.contains("05/03/2026 12:00:00"), "{listed}");
    assert!(listed.contains("193.750 ₫"), "{listed}");
    assert!(listed.contains("Công ty Ánh Dương"), "{listed}");

    let bad = hoadon(&db, &["sales", "add", "--line", "Gạo;abc;34.000;5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("Số lượng không hợp lệ"), "{}", text(&bad.stderr));
}

#[test]
fn demo_data_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = hoadon(&db, &["demo-data"]);
    assert!(text(&out.stdout).starts_with("Đã tạo dữ liệu mẫu: 20 sản phẩm, 10 khách hàng, 3 người bán, 200 đơn hàng"), "{}", text(&out.stdout));
    let again = hoadon(&db, &["demo-data"]);
    assert!(text(&again.stdout).contains("không tạo dữ liệu mẫu"));
    let env = Command::new(env!("CARGO_BIN_EXE_hoadon")).env("HOADON_DB", &db).args(["--json", "sales", "list"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&env.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 200, "HOADON_DB points at the same file");
}
