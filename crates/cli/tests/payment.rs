//! `hoadon payment`: the VietQR account saved from a script (each wrong box refused with its
//! reason, nothing saved), the banks listed, and a sale's code as the window shows it.

use std::process::{Command, Output};

fn hoadon(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoadon")).arg("--db").arg(db).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_account_is_refused_then_saved_and_a_sale_gets_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");

    let bad = hoadon(&db, &["payment", "settings", "--bank", "970499", "--account", "0071 000", "--name", "HO KINH DOANH MINH KHAI"]);
    assert_eq!(bad.status.code(), Some(2));
    let said = text(&bad.stderr);
    assert!(said.contains("970499") && said.contains("chỉ gồm chữ số"), "{said}");
    assert!(text(&hoadon(&db, &["payment", "settings"]).stdout).starts_with("Chưa cài đặt tài khoản nhận tiền"));

    let banks = text(&hoadon(&db, &["payment", "banks"]).stdout);
    assert!(banks.lines().any(|l| l.starts_with("970436  Vietcombank")), "{banks}");

    let ok = hoadon(&db, &["payment", "settings", "--bank", "970436", "--account", "0071000123456", "--name", "HO KINH DOANH MINH KHAI"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert_eq!(text(&ok.stdout).trim(), "Đã lưu: Vietcombank, tài khoản 0071000123456, chủ tài khoản HO KINH DOANH MINH KHAI");

    let sale = hoadon(&db, &["--json", "sales", "add", "--line", "Gạo ST25;2,5;34.000;5;kg"]);
    assert!(sale.status.success(), "{}", text(&sale.stderr));
    let id = serde_json::from_slice::<serde_json::Value>(&sale.stdout).unwrap()["id"].as_i64().unwrap();
    let code = text(&hoadon(&db, &["payment", "code", &id.to_string()]).stdout);
    let mut lines = code.lines();
    let payload = lines.next().unwrap();
    let note = format!("Don hang {id}");
    assert!(payload.starts_with("00020101021238570010A00000072701270006970436011300710001234560208QRIBFTTA5303704540589250"), "{payload}");
    assert!(payload.contains(&format!("08{:02}{note}", note.len())), "{payload}");
    assert_eq!(lines.next().unwrap(), format!("Số tiền: 89.250 đ — Nội dung: {note}"));

    assert!(hoadon(&db, &["payment", "settings", "--clear"]).status.success());
    let none = hoadon(&db, &["payment", "code", &id.to_string()]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("Chưa cài đặt tài khoản nhận tiền"));
}
