//! `hoadon lookup` as a script would use it, against the registry simulator on 127.0.0.1:
//! one started by the test (its request counters prove what was sent), or the one the CLI
//! starts itself with `--demo`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hoadon_core::{LookupSettingsForm, LookupSourceId, Shop, secrets_beside};
use hoadon_sim_registry::{self as sim, Endpoint, RegistrySim, SimConfig, demo};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs the binary off the async runtime, so the test's simulator keeps answering meanwhile.
async fn hoadon(db: &Path, args: &[&str]) -> Output {
    let db = db.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_hoadon")).arg("--db").arg(&db).args(&args).output().unwrap()
    })
    .await
    .unwrap()
}

/// Saves look-up settings pointing at `registry` into the shop at `db`, as the app's Cài đặt does.
fn configure(db: &Path, registry: &RegistrySim) {
    let shop = Shop::open(db).unwrap();
    let form = LookupSettingsForm {
        order: vec![LookupSourceId::Nbrs, LookupSourceId::VietQr],
        nbrs_enabled: true,
        nbrs_base_url: registry.base_url(),
        nbrs_token_url: registry.token_url(),
        nbrs_client_id: registry.client_id().to_owned(),
        nbrs_client_secret: registry.client_secret().to_owned(),
        nbrs_basic_info_path: sim::BASIC_INFO_PATH.to_owned(),
        nbrs_dossiers_received_path: sim::DOSSIERS_RECEIVED_PATH.to_owned(),
        nbrs_dossier_latest_path: sim::DOSSIER_LATEST_PATH.to_owned(),
        nbrs_dossier_detail_path: sim::DOSSIER_DETAIL_PATH.to_owned(),
        vietqr_enabled: true,
        vietqr_base_url: registry.vietqr_base_url(),
        ..LookupSettingsForm::default()
    };
    shop.save_lookup_settings(&secrets_beside(db), &form).unwrap();
}

fn total_requests(registry: &RegistrySim) -> u64 {
    Endpoint::ALL.iter().map(|e| registry.request_count(*e)).sum()
}

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    (dir, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_tax_code_exits_2_with_the_reason_and_sends_nothing() {
    let (_dir, db) = temp_db();
    let registry = sim::start(SimConfig::default()).await.unwrap();
    configure(&db, &registry);

    let out = hoadon(&db, &["lookup", "0109526017"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr).trim(), "Lỗi: Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.");
    assert_eq!(text(&out.stdout), "");
    let out = hoadon(&db, &["lookup", "01095260"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("Lỗi: Mã số thuế"), "{}", text(&out.stderr));
    assert_eq!(total_requests(&registry), 0, "no request left the computer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn looks_up_through_the_settings_then_answers_offline_from_the_database() {
    let (_dir, db) = temp_db();
    let registry = sim::start(SimConfig::default()).await.unwrap();
    configure(&db, &registry);

    let out = hoadon(&db, &["lookup", demo::ACTIVE]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.starts_with(&format!("Mã số thuế: {}\nTên: CÔNG TY", demo::ACTIVE)), "{shown}");
    assert!(shown.contains("Tình trạng: Đang hoạt động"), "{shown}");
    assert!(shown.contains("Nguồn: Hệ thống thông tin quốc gia về đăng ký doanh nghiệp, lúc"), "{shown}");
    assert!(!shown.contains("Cảnh báo"), "{shown}");
    assert_eq!(registry.request_count(Endpoint::BasicInfo), 1);

    let out = hoadon(&db, &["lookup", demo::ACTIVE, "--offline", "--json"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["cached"], true);
    assert_eq!(answer["tax_code"], demo::ACTIVE);
    assert!(answer["note"].as_str().unwrap().starts_with("Thông tin lưu lúc"), "{answer}");
    assert!(answer["note"].as_str().unwrap().ends_with("(đang làm việc ngoại tuyến)"), "{answer}");
    assert_eq!(total_requests(&registry), 2, "one token and one look-up, nothing offline");

    let out = hoadon(&db, &["lookup", demo::CLOSED, "--offline"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("chưa có thông tin lưu sẵn cho mã số thuế 0110613182"), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_settings_it_says_so_and_demo_starts_the_simulator() {
    let (_dir, db) = temp_db();
    let out = hoadon(&db, &["lookup", demo::ACTIVE]).await;
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stderr);
    assert!(said.starts_with("Lỗi: Chưa cài đặt nguồn tra cứu mã số thuế."), "{said}");
    assert!(said.contains("--demo"), "{said}");

    let out = hoadon(&db, &["lookup", demo::CLOSED, "--demo"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("Tình trạng: Đã chấm dứt hoạt động"), "{shown}");
    assert!(shown.contains("Cảnh báo: doanh nghiệp này đang ở tình trạng «Đã chấm dứt hoạt động»"), "{shown}");

    let out = hoadon(&db, &["--json", "lookup", demo::ACTIVE, "--demo"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["status"], "active");
    assert_eq!(answer["cached"], false);
    assert!(answer["address"].as_str().unwrap().contains("Hà Nội"), "{answer}");

    // What the demo answered was kept: offline, without settings, it is still there.
    let out = hoadon(&db, &["lookup", demo::CLOSED, "--offline"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Thông tin lưu lúc"), "{}", text(&out.stdout));
}

/// `hoadon lookup settings` configures what Cài đặt does: the secret from the environment,
/// `--show` masks it, the look-up then goes through, `--clear` forgets it all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_settings_from_the_command_line() {
    let (_dir, db) = temp_db();
    let registry = sim::start(SimConfig::default()).await.unwrap();
    let (base, token, id, secret) = (registry.base_url(), registry.token_url(), registry.client_id().to_owned(), registry.client_secret().to_owned());
    let db2 = db.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_hoadon"))
            .arg("--db").arg(&db2)
            .args(["lookup", "settings", "--order", "vietqr,nbrs", "--nbrs-base-url", &base, "--nbrs-token-url", &token, "--nbrs-client-id", &id])
            .args(["--nbrs-info-path", sim::BASIC_INFO_PATH, "--nbrs-dossiers-received-path", sim::DOSSIERS_RECEIVED_PATH])
            .args(["--nbrs-dossier-latest-path", sim::DOSSIER_LATEST_PATH, "--nbrs-dossier-detail-path", sim::DOSSIER_DETAIL_PATH])
            .env("HOADON_NBRS_CLIENT_SECRET", &secret)
            .output().unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("Đã lưu cài đặt tra cứu mã số thuế."), "{shown}");
    assert!(shown.contains("NBRS client secret: *** (đã lưu)"), "{shown}");
    assert!(!shown.contains(registry.client_secret()), "{shown}");

    let out = hoadon(&db, &["lookup", "settings", "--show"]).await;
    let shown = text(&out.stdout);
    assert!(shown.contains(&format!("NBRS client id: {}", registry.client_id())), "{shown}");
    assert!(shown.contains("Thứ tự: vietqr,nbrs\n"), "{shown}");
    assert!(!shown.contains(registry.client_secret()), "{shown}");
    let out = hoadon(&db, &["--json", "lookup", "settings", "--show"]).await;
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["nbrs_secret_saved"], true);
    assert_eq!(info["form"]["nbrs_client_secret"], "");

    let out = hoadon(&db, &["lookup", demo::ACTIVE]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(registry.request_count(Endpoint::BasicInfo), 1);

    let bad = hoadon(&db, &["lookup", "settings", "--vietqr-base-url", "ftp://x"]).await;
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));

    let out = hoadon(&db, &["lookup", "settings", "--clear"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = hoadon(&db, &["--json", "lookup", "settings", "--show"]).await;
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((info["configured"].clone(), info["nbrs_secret_saved"].clone()), (false.into(), false.into()));
}
