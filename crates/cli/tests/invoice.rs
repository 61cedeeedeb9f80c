//! `hoadon invoice …` as a script would use it, against a VNPT simulator on loopback:
//! an adjustment of amounts, and drafts signed with a USB token.

use std::path::Path;
use std::process::{Command, Output};

use hoadon_sim_einvoice::{start_vnpt, SimHandle, VnptConfig};

fn hoadon(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoadon")).arg("--db").arg(db).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// A shop configured for the simulator, with two sales: their numbers.
fn shop(db: &Path, sim: &SimHandle, config: &VnptConfig, signing: &str) -> (String, String) {
    let url = sim.url();
    let settings = [
        "invoice", "settings", "--provider", "vnpt", "--url", &url, "--username", &config.username, "--password", &config.password,
        "--account", &config.account, "--ac-password", &config.ac_password, "--serial", "C26TAA", "--signing", signing,
    ];
    ok(hoadon(db, &settings));
    let sale = |price: &str| {
        let out = ok(hoadon(db, &["--json", "sales", "add", "--line", &format!("Khăn lụa;2;{price};5;cái")]));
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"].to_string()
    };
    (sale("35.000"), sale("36.000"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adjust_lowers_an_issued_invoice_by_the_typed_difference() {
    let config = VnptConfig::default();
    let sim = start_vnpt(config.clone(), 0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let (sale, _) = shop(&db, &sim, &config, "provider");
    assert!(ok(hoadon(&db, &["invoice", "issue", &sale])).contains("Đã phát hành"));

    // A line the core refuses: exit 2, the reason in Vietnamese, nothing sent.
    let bad = hoadon(&db, &["invoice", "adjust", &sale, "--direction", "decrease", "--reason", "Trả lại 1 khăn", "--line", "Khăn lụa;-1;35.000;5;cái"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("Điều chỉnh giảm"), "{}", text(&bad.stderr));
    assert_eq!(sim.issued_count(), 1);

    let out = ok(hoadon(&db, &["--json", "invoice", "adjust", &sale, "--direction", "decrease", "--reason", "Trả lại 1 khăn", "--line", "Khăn lụa;1;35.000;5;cái"]));
    let adjusting: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(adjusting["status"], "issued");
    assert_eq!(adjusting["adjustment"], "decrease");
    let held = sim.invoice(adjusting["key"].as_str().unwrap()).unwrap();
    assert_eq!((held.total, held.vat_amount, held.amount), (35_000, 1_750, 36_750));
    assert_eq!(sim.issued_count(), 2);
    assert!(ok(hoadon(&db, &["invoice", "status", &sale])).contains("Đã điều chỉnh"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_usb_token_issue_leaves_a_draft_and_reconcile_learns_its_number() {
    let config = VnptConfig::default();
    let sim = start_vnpt(config.clone(), 0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let (first, second) = shop(&db, &sim, &config, "token");

    let out = ok(hoadon(&db, &["--json", "invoice", "issue", &first]));
    let draft: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(draft["status"], "draft");
    assert!(draft["number"].is_null());
    assert!(ok(hoadon(&db, &["invoice", "issue", &second])).contains("Bản nháp"));
    assert_eq!(sim.issued_count(), 0, "the CLI signs nothing");

    let number = sim.sign_draft(draft["key"].as_str().unwrap()).unwrap();
    let report = ok(hoadon(&db, &["invoice", "reconcile"]));
    assert!(report.contains("hóa đơn nháp đã được ký 1"), "{report}");
    assert!(ok(hoadon(&db, &["invoice", "status", &first])).contains(&format!("số {number} – Đã phát hành")));
    assert!(ok(hoadon(&db, &["invoice", "status", &second])).contains("Bản nháp"));
}

/// Settings naming another account while a draft waits at this one: refused (exit 2) with the
/// waiting invoices listed, until `--confirm-account-change`; the draft then shows as "gửi ở
/// tài khoản cũ" and `reconcile` leaves it alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_account_is_saved_only_when_confirmed_and_leaves_the_draft_at_the_old_one() {
    let config = VnptConfig::default();
    let sim = start_vnpt(config.clone(), 0).await.unwrap();
    let other = start_vnpt(config.clone(), 0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let (first, _) = shop(&db, &sim, &config, "token");
    assert!(ok(hoadon(&db, &["invoice", "issue", &first])).contains("Bản nháp"));

    let url = other.url();
    let settings = |confirm: bool| {
        let mut args = vec![
            "invoice", "settings", "--provider", "vnpt", "--url", &url, "--username", &config.username, "--password", &config.password,
            "--account", &config.account, "--ac-password", &config.ac_password, "--serial", "C26TAA",
        ];
        if confirm {
            args.push("--confirm-account-change");
        }
        hoadon(&db, &args)
    };
    let refused = settings(false);
    assert_eq!(refused.status.code(), Some(2));
    let why = text(&refused.stderr);
    assert!(why.contains(&format!("đơn hàng {first}")) && why.contains("--confirm-account-change"), "{why}");
    assert!(ok(settings(true)).contains("tài khoản cũ"));
    assert!(ok(hoadon(&db, &["invoice", "status", &first])).contains("gửi ở tài khoản cũ"));
    let report = ok(hoadon(&db, &["invoice", "reconcile"]));
    assert!(report.contains("ở tài khoản cũ 1"), "{report}");
    assert!(other.invoices().is_empty(), "nothing of the old account's reached the new one");
}

/// Passwords kept off the command line: from the environment or stdin, no warning; on the
/// command line they still work, with a warning that `ps` shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_come_from_the_environment_or_stdin_and_the_flag_warns() {
    use std::io::Write;
    use std::process::Stdio;
    let config = VnptConfig::default();
    let sim = start_vnpt(config.clone(), 0).await.unwrap();
    let url = sim.url();
    let base = ["invoice", "settings", "--provider", "vnpt", "--url", url.as_str(), "--username", config.username.as_str(), "--account", config.account.as_str(), "--serial", "C26TAA"];
    let issue = |db: &Path| {
        let out = ok(hoadon(db, &["--json", "sales", "add", "--line", "Khăn lụa;1;35.000;5;cái"]));
        let sale = serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"].to_string();
        assert!(ok(hoadon(db, &["invoice", "issue", &sale])).contains("Đã phát hành"));
    };

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_hoadon"))
        .arg("--db").arg(&db).args(base)
        .env("HOADON_INVOICE_PASSWORD", &config.password)
        .env("HOADON_INVOICE_AC_PASSWORD", &config.ac_password)
        .output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("Cảnh báo"), "{}", text(&out.stderr));
    issue(&db);

    let db = dir.path().join("stdin.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hoadon"))
        .arg("--db").arg(&db).args(base).arg("--password-stdin")
        .env_remove("HOADON_INVOICE_PASSWORD")
        .env("HOADON_INVOICE_AC_PASSWORD", &config.ac_password)
        .stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped())
        .spawn().unwrap();
    writeln!(child.stdin.take().unwrap(), "{}", config.password).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("Cảnh báo"), "{}", text(&out.stderr));
    issue(&db);

    let db = dir.path().join("flag.db");
    let out = hoadon(&db, &[&base[..], &["--password", &config.password, "--ac-password", &config.ac_password]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Cảnh báo: --password trên dòng lệnh"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("HOADON_INVOICE_PASSWORD"), "{}", text(&out.stderr));
}

/// A Viettel shop configured from a script: the seller tax code is required and named when
/// missing, the password comes from the environment, and the invoice is issued and cancelled
/// at the Viettel simulator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viettel_shop_from_the_command_line() {
    let config = hoadon_sim_einvoice::ViettelConfig::default();
    let sim = hoadon_sim_einvoice::start_viettel(config.clone(), 0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let url = sim.url();
    let settings = |tax: &str| {
        Command::new(env!("CARGO_BIN_EXE_hoadon"))
            .arg("--db")
            .arg(&db)
            .args(["invoice", "settings", "--provider", "viettel", "--url", &url, "--username", &config.username, "--serial", &config.templates[0].1])
            .args(if tax.is_empty() { vec![] } else { vec!["--seller-tax-code", tax] })
            .env("HOADON_INVOICE_PASSWORD", &config.password)
            .output()
            .unwrap()
    };
    let missing = settings("");
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
    assert!(text(&missing.stderr).contains("mã số thuế người bán"), "{}", text(&missing.stderr));
    ok(settings(&config.supplier_tax_code));
    let out = ok(hoadon(&db, &["--json", "sales", "add", "--line", "Khăn lụa;2;35.000;5;cái"]));
    let sale = serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"].to_string();
    let issued = ok(hoadon(&db, &["invoice", "issue", &sale]));
    assert!(issued.contains("Đã phát hành") && issued.contains("1/001"), "{issued}");
    assert_eq!(sim.issued_count(), 1);
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
    let cancelled = ok(hoadon(&db, &["invoice", "cancel", &sale, "--reason", "Ghi sai số lượng"]));
    assert!(cancelled.contains("Đã hủy"), "{cancelled}");
}
