//! `hoadon backup now|list|restore|folder` as a script would use them.

use std::process::{Command, Output};

fn hoadon(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoadon")).arg("--db").arg(db).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn sales(db: &std::path::Path) -> usize {
    let listed: serde_json::Value = serde_json::from_str(&ok(hoadon(db, &["--json", "sales", "list"]))).unwrap();
    listed.as_array().unwrap().len()
}

#[test]
fn a_copy_made_listed_and_restored_brings_the_shop_back_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    ok(hoadon(&db, &["sales", "add", "--date", "05/03/2026", "--line", "Gạo ST25;2;34.000;5;kg"]));
    let made: serde_json::Value = serde_json::from_str(&ok(hoadon(&db, &["--json", "backup", "now"]))).unwrap();
    assert_eq!(made["counts"]["sales"], 1);
    let file = made["file"].as_str().unwrap().to_string();
    assert!(dir.path().join("sao-luu").join(&file).is_file(), "in sao-luu beside the database");

    ok(hoadon(&db, &["sales", "add", "--date", "06/03/2026", "--line", "Nước mắm;1;95.000;10;chai"]));
    assert_eq!(sales(&db), 2);
    let listed = ok(hoadon(&db, &["backup", "list"]));
    assert!(listed.contains(&file) && listed.contains("1 đơn hàng, 0 hóa đơn"), "{listed}");

    let restored = ok(hoadon(&db, &["backup", "restore", &file, "--no-reattach"]));
    assert!(restored.contains("Đã khôi phục từ") && restored.contains("1 đơn hàng"), "{restored}");
    assert_eq!(sales(&db), 1, "the shop is the copy again");
    let listed = ok(hoadon(&db, &["--json", "backup", "list"]));
    let entries: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let kept: Vec<&serde_json::Value> = entries.as_array().unwrap().iter().filter(|e| e["kind"] == "before_restore").collect();
    assert_eq!(kept.len(), 1, "{listed}");
    assert_eq!(kept[0]["counts"]["sales"], 2, "the file as it was before, kept");

    let itself = hoadon(&db, &["backup", "restore", &db.to_string_lossy()]);
    assert_eq!(itself.status.code(), Some(2));
    assert!(text(&itself.stderr).contains("chính tệp dữ liệu đang dùng"), "{}", text(&itself.stderr));
    let not_listed = hoadon(&db, &["backup", "restore", "ghi-chu.db"]);
    assert_eq!(not_listed.status.code(), Some(2));
    assert!(text(&not_listed.stderr).contains("không phải là một bản sao lưu trong danh sách"), "{}", text(&not_listed.stderr));
    let missing = hoadon(&db, &["backup", "folder", &dir.path().join("usb").to_string_lossy()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("Không thấy thư mục"), "{}", text(&missing.stderr));
}
