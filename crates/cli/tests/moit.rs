//! `hoadon moit report|serve` and `hoadon visits import` run as a script would, on a temporary
//! database filled by `hoadon demo-data`; every figure is checked against `hoadon_moit::report`
//! computed here on the same file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use hoadon_core::rules::calendar;
use hoadon_core::store::Store;
use hoadon_moit::{
    API_KEYS, ApiFigures, ApiOption, KeyCase, MoitReport, MoitServerConfig, PageOption, UTF8_BOM, VisitsPeriod,
    hash_password,
};

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

fn this_year() -> i32 {
    calendar::now().year()
}

/// The report the library computes on the same file, up to now.
fn library_report(db: &Path, year: i32) -> MoitReport {
    let store = Store::open(db).unwrap();
    let now = calendar::now().unix_timestamp();
    let as_of = hoadon_moit::as_of_for_year(year, now).unwrap();
    let period = MoitServerConfig::load(&store).unwrap().visits_period;
    hoadon_moit::report(&store, year, as_of).unwrap().with_visits_period(period)
}

fn json_figures(stdout: &[u8]) -> Vec<(String, i64)> {
    // Parse into an order-preserving list: the keys must come in the guide's order.
    let text = text(stdout);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let object = value.as_object().expect("an object");
    assert_eq!(object.len(), 9, "{text}");
    let mut keys: Vec<(usize, String)> = object.keys().map(|k| (text.find(&format!("\"{k}\"")).unwrap(), k.clone())).collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| (k.clone(), object[&k].as_i64().unwrap())).collect()
}

#[test]
fn json_report_has_the_guides_keys_and_the_librarys_figures() {
    let (_dir, db) = demo_db();
    let year = this_year();
    let out = hoadon(&db, &["--json", "moit", "report", "--year", &year.to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let figures = json_figures(&out.stdout);
    let keys: Vec<&str> = figures.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, API_KEYS.to_vec());
    assert!(keys.contains(&"tongSoDongHangKhongThanhCong"), "the guide's misspelt key is kept");
    let expected = ApiFigures::of(&library_report(&db, year)).values();
    let got: Vec<i64> = figures.iter().map(|(_, v)| *v).collect();
    assert_eq!(got, expected.to_vec());
    // The demo shop has orders this year: the figures are not all zero.
    assert!(expected[5] > 0 && expected[8] > 0, "{expected:?}");
}

#[test]
fn pascal_keys_and_the_default_year() {
    let (_dir, db) = demo_db();
    let out = hoadon(&db, &["moit", "report", "--pascal"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let figures = json_figures(&out.stdout);
    let keys: Vec<String> = figures.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(keys, KeyCase::Pascal.keys().to_vec());
    assert_eq!(keys[0], "SoLuongTruyCap");
    let expected = ApiFigures::of(&library_report(&db, this_year())).values();
    assert_eq!(figures.iter().map(|(_, v)| *v).collect::<Vec<_>>(), expected.to_vec());
}

#[test]
fn readable_table_and_csv_show_the_page_rows() {
    let (_dir, db) = demo_db();
    let year = this_year();
    let report = library_report(&db, year);
    let table = hoadon_moit::report_table(&report);

    let out = hoadon(&db, &["moit", "report", "--year", &year.to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("BÁO CÁO SỐ LIỆU"), "{shown}");
    assert!(shown.contains(&format!("Từ ngày 01/01/{year} – đến thời điểm truy cập")), "{shown}");
    let mut at = 0;
    for row in &table.rows {
        let found = shown[at..].find(&row.criterion).unwrap_or_else(|| panic!("{} missing or out of order", row.criterion));
        at += found;
        let line = shown[at..].lines().next().unwrap();
        assert!(line.trim_end().ends_with(&row.value_text), "{line} vs {}", row.value_text);
    }

    let out = hoadon(&db, &["moit", "report", "--csv", "--year", &year.to_string()]);
    assert!(out.status.success());
    let csv = text(&out.stdout);
    assert!(csv.starts_with(&format!("{UTF8_BOM}Tiêu chí,Số lượng,Diễn giải")), "{csv}");
    assert_eq!(csv, hoadon_moit::to_csv(&table, hoadon_moit::CsvSeparator::Comma));
}

#[test]
fn a_year_not_begun_is_refused_with_exit_2() {
    let (_dir, db) = demo_db();
    let next = (this_year() + 1).to_string();
    let out = hoadon(&db, &["--json", "moit", "report", "--year", &next]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("chưa bắt đầu"), "{}", text(&out.stderr));
}

#[test]
fn visits_import_reports_taken_and_refused_lines_and_changes_the_report() {
    let (dir, db) = demo_db();
    let year = this_year();
    let before = library_report(&db, year);
    // A day of this year before today that the demo data already fill: replaced, not added.
    let today = calendar::date_of(calendar::now().unix_timestamp());
    let day = today.previous_day().unwrap();
    let store = Store::open(&db).unwrap();
    let old = store.total_visits_between(day, day).unwrap();
    drop(store);
    let file = dir.path().join("visits.csv");
    std::fs::write(&file, format!("Ngày,Lượt truy cập\n{},100000\nngày-sai,5\n", calendar::format_date(day))).unwrap();
    let out = hoadon(&db, &["visits", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("Đã nhận 1 ngày"), "{shown}");
    assert!(shown.contains("Từ chối 1 dòng"), "{shown}");
    assert!(shown.contains("dòng 3:"), "{shown}");
    let after = library_report(&db, year);
    let gained = 100_000 - old;
    if day.year() == year {
        assert_eq!(after.visits_since_start_of_year.value, before.visits_since_start_of_year.value + gained);
    }
    assert_eq!(after.visits_since_start_of_operation.value, before.visits_since_start_of_operation.value + gained);

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "31/02/2026,5\nabc,xyz\n").unwrap();
    let out = hoadon(&db, &["visits", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("Từ chối 2 dòng"), "{}", text(&out.stdout));
    assert_eq!(library_report(&db, year).visits_since_start_of_operation, after.visits_since_start_of_operation);
}

#[test]
fn serve_is_refused_while_off_and_answers_the_api_when_on() {
    let (_dir, db) = demo_db();
    let out = hoadon(&db, &["moit", "serve"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("đang tắt"), "{}", text(&out.stderr));

    let store = Store::open(&db).unwrap();
    MoitServerConfig {
        enabled: true,
        port: 0,
        api: Some(ApiOption {
            user_name: "bocongthuong".into(),
            password_hash: hash_password("matkhau-api-thu").unwrap(),
            ..Default::default()
        }),
        page: Some(PageOption { password_hash: hash_password("matkhau-trang-thu").unwrap() }),
        visits_period: VisitsPeriod::StartOfOperation,
        ..Default::default()
    }
    .save(&store)
    .unwrap();
    drop(store);

    let mut child = Command::new(env!("CARGO_BIN_EXE_hoadon"))
        .arg("--db")
        .arg(&db)
        .args(["moit", "serve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    let addr = url.trim_start_matches("http://").to_string();

    let body = r#"{"UserName":"bocongthuong","PassWord":"matkhau-api-thu"}"#;
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /api/baocao HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let json = answer.split("\r\n\r\n").nth(1).unwrap();
    let figures = json_figures(json.as_bytes());
    let report = library_report(&db, this_year());
    assert_eq!(report.visits_period, VisitsPeriod::StartOfOperation);
    assert_eq!(figures.iter().map(|(_, v)| *v).collect::<Vec<_>>(), ApiFigures::of(&report).values().to_vec());
    assert_eq!(figures[0].1, report.visits_since_start_of_operation.value, "the saved visits period is used");

    // Ctrl-C stops it cleanly.
    Command::new("kill").arg("-INT").arg(child.id().to_string()).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("Đã dừng")), "{rest:?}");
}

#[test]
fn a_year_out_of_range_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    for year in ["10000", "1999", "0", "2147483647"] {
        let out = hoadon(&db, &["moit", "report", "--year", year]);
        assert!(!out.status.success(), "{year}");
        let err = text(&out.stderr);
        assert!(err.contains("2000–2100"), "{year}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// `hoadon moit settings` saves what Cài đặt saves (passwords from the environment, hashed),
/// `--show` never prints a password, and `hoadon moit serve` then answers with that account.
#[test]
fn moit_settings_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = Command::new(env!("CARGO_BIN_EXE_hoadon"))
        .arg("--db").arg(&db)
        .args(["moit", "settings", "--enabled", "true", "--bind", "127.0.0.1", "--port", "0", "--api-enabled", "true"])
        .args(["--api-user", "bct-cli", "--page-enabled", "true", "--visits-period", "start-of-year", "--domain", "cuahang.vn"])
        .env("HOADON_MOIT_API_PASSWORD", "mat-khau-api-cli-123")
        .env("HOADON_MOIT_PAGE_PASSWORD", "mat-khau-trang-cli-123")
        .output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("Đã lưu cài đặt máy chủ báo cáo"), "{shown}");
    assert!(shown.contains("tài khoản bct-cli – mật khẩu *** (đã lưu)"), "{shown}");
    assert!(!shown.contains("mat-khau"), "{shown}");

    let store = Store::open(&db).unwrap();
    let config = MoitServerConfig::load(&store).unwrap();
    assert!(config.enabled);
    assert_eq!(config.visits_period, VisitsPeriod::StartOfYear);
    let api = config.api.unwrap();
    assert_eq!(api.user_name, "bct-cli");
    let page = config.page.unwrap();
    assert!(api.password_hash.starts_with("$argon2"), "{}", api.password_hash);
    assert!(page.password_hash.starts_with("$argon2") && page.password_hash != api.password_hash);
    assert!(!api.password_hash.contains("mat-khau"));

    // Changing one field keeps the saved passwords.
    let out = hoadon(&db, &["moit", "settings", "--pascal", "true"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = hoadon(&db, &["--json", "moit", "settings", "--show"]);
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((info["api_password_set"].clone(), info["page_password_set"].clone()), (true.into(), true.into()));
    assert_eq!(info["form"]["pascal_case"], true);
    assert_eq!(info["form"]["api_password"], "");

    let bad = hoadon(&db, &["moit", "settings", "--port", "tám"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
}
