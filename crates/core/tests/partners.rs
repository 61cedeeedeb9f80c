//! Partner look-up through the shop: settings and secrets, the cache in the shop's database
//! (hit, miss, offline, sources down), the warning before invoicing a closed buyer, and the
//! dossier look-ups — against the registry simulator over real HTTP on 127.0.0.1.

use std::sync::Arc;
use std::time::Duration;

use hoadon_core::lookup::LookupMode;
use hoadon_core::store::{CustomerKind, SaleStatus};
use hoadon_core::{
    CustomerForm, Error, LookupSettingsForm, LookupSourceId, PartnerStatus, Partners, SaleForm, SaleLineForm,
    SecretStore, Shop, secrets_beside,
};
use hoadon_sim_registry::{self as sim, Endpoint, RegistrySim, SimConfig, demo};

async fn start_sim() -> RegistrySim {
    sim::start(SimConfig::default()).await.expect("the simulator starts")
}

/// The settings form as an owner would fill it for the simulator.
fn form_for(sim: &RegistrySim) -> LookupSettingsForm {
    LookupSettingsForm {
        order: vec![LookupSourceId::Nbrs, LookupSourceId::VietQr],
        nbrs_enabled: true,
        nbrs_base_url: sim.base_url(),
        nbrs_token_url: sim.token_url(),
        nbrs_client_id: sim.client_id().to_owned(),
        nbrs_client_secret: sim.client_secret().to_owned(),
        nbrs_basic_info_path: sim::BASIC_INFO_PATH.to_owned(),
        nbrs_dossiers_received_path: sim::DOSSIERS_RECEIVED_PATH.to_owned(),
        nbrs_dossier_latest_path: sim::DOSSIER_LATEST_PATH.to_owned(),
        nbrs_dossier_detail_path: sim::DOSSIER_DETAIL_PATH.to_owned(),
        vietqr_enabled: true,
        vietqr_base_url: sim.vietqr_base_url(),
        ..LookupSettingsForm::default()
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    shop: Shop,
    secrets: SecretStore,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let shop = Shop::open(&db).unwrap();
    let secrets = secrets_beside(&db);
    Fixture { _dir: dir, db, shop, secrets }
}

fn partners_for(f: &Fixture, sim: &RegistrySim) -> Partners {
    let settings = f.shop.save_lookup_settings(&f.secrets, &form_for(sim)).unwrap();
    Partners::new(Some(&settings), Arc::new(f.shop.partner_cache().unwrap())).unwrap()
}

fn total_requests(sim: &RegistrySim) -> u64 {
    Endpoint::ALL.iter().map(|e| sim.request_count(*e)).sum()
}

#[tokio::test]
async fn a_miss_asks_the_registry_then_the_cache_answers_offline_and_when_the_registry_is_down() {
    let f = fixture();
    let sim = start_sim().await;
    let partners = partners_for(&f, &sim);

    // Offline before any look-up: nothing stored, nothing sent.
    let err = partners.lookup(demo::ACTIVE, LookupMode::Offline).await.unwrap_err();
    assert_eq!(err.code(), "lookup_not_cached");
    assert!(err.user_message().contains("chưa có thông tin lưu sẵn"), "{}", err.user_message());
    assert_eq!(total_requests(&sim), 0);

    // A miss: the registry answers, and the answer is kept in the shop's database.
    let fresh = partners.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap();
    assert!(!fresh.cached);
    assert_eq!(fresh.note, None);
    assert_eq!(fresh.tax_code, demo::ACTIVE);
    assert_eq!(fresh.status, PartnerStatus::Active);
    assert_eq!(fresh.warning, None);
    assert!(fresh.name.starts_with("CÔNG TY"), "{}", fresh.name);
    assert!(fresh.address.as_deref().is_some_and(|a| a.contains("Hà Nội")), "{:?}", fresh.address);
    assert!(fresh.representative.is_some());
    assert_eq!(fresh.representatives.len(), 2, "the active demo enterprise has two representatives");
    assert_eq!(fresh.representative.as_deref(), Some(fresh.representatives[0].as_str()));
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 1);
    let row = f.shop.store().cached_partner(demo::ACTIVE).unwrap().expect("stored in partner_cache");
    assert_eq!(row.source, "nbrs");
    assert_eq!(row.fetched_at, fresh.fetched_at);

    // A hit while offline: served from the cache, marked so, with the time of the answer.
    let offline = partners.lookup(demo::ACTIVE, LookupMode::Offline).await.unwrap();
    assert!(offline.cached);
    assert_eq!((offline.name.as_str(), offline.fetched_at), (fresh.name.as_str(), fresh.fetched_at));
    let note = offline.note.expect("a cached answer carries a note");
    let when = hoadon_core::rules::calendar::format_moment(fresh.fetched_at);
    assert_eq!(note, format!("Thông tin lưu lúc {when} (đang làm việc ngoại tuyến)"));
    // A recent answer, asked cache-first: no request either.
    let recent = partners.lookup(demo::ACTIVE, LookupMode::CacheFirst { max_age: Duration::from_secs(3600) }).await.unwrap();
    assert!(recent.cached);
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 1, "no request for cached answers");

    // The registry and the public service go away: the cache stands in, and says why.
    sim.stop().await;
    let down = partners.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap();
    assert!(down.cached);
    assert!(down.note.as_deref().unwrap().contains("không kết nối được nguồn tra cứu"), "{:?}", down.note);
    // A code never looked up cannot be answered, and the owner is told it is the connection.
    let err = partners.lookup(demo::CLOSED, LookupMode::Online).await.unwrap_err();
    assert_eq!(err.code(), "lookup_unreachable");
    assert!(err.user_message().starts_with("Không kết nối được tới"), "{}", err.user_message());

    // The cache is the database: a new start of the shop still has the answer.
    drop(partners);
    let reopened = Shop::open(&f.db).unwrap();
    let partners = Partners::new(None, Arc::new(reopened.partner_cache().unwrap())).unwrap();
    let kept = partners.lookup(demo::ACTIVE, LookupMode::Offline).await.unwrap();
    assert_eq!(kept.fetched_at, fresh.fetched_at);
}

#[tokio::test]
async fn an_invalid_tax_code_is_refused_with_its_reason_before_any_request() {
    let f = fixture();
    let sim = start_sim().await;
    let partners = partners_for(&f, &sim);
    for mode in [LookupMode::Online, LookupMode::Offline] {
        let err = partners.lookup("0109526017", mode).await.unwrap_err();
        let app = err.to_app_error();
        assert_eq!(app.code, "invalid");
        assert_eq!(app.fields.len(), 1);
        assert_eq!(app.fields[0].field, "tax_code");
        assert_eq!(app.message, "Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.");
    }
    let err = partners.lookup("01095", LookupMode::Online).await.unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));
    assert_eq!(total_requests(&sim), 0, "nothing left the computer");
    assert_eq!(f.shop.store().cached_partner_count().unwrap(), 0);
}

/// A sale of one line to `customer_id`.
fn sell(shop: &mut Shop, customer_id: Option<i64>) -> i64 {
    let form = SaleForm {
        customer_id,
        status: SaleStatus::Completed,
        note: String::new(),
        lines: vec![SaleLineForm {
            product_id: None,
            name: "Gạo ST25".into(),
            unit: "kg".into(),
            quantity: "2".into(),
            unit_price: "34.000".into(),
            vat_rate: "5".into(),
        }],
        sold_at: None,
    };
    shop.save_sale(&form).unwrap().id
}

fn business(shop: &Shop, name: &str, tax_code: &str) -> i64 {
    let form = CustomerForm {
        kind: CustomerKind::Business,
        name: name.into(),
        buyer_name: String::new(),
        tax_code: tax_code.into(),
        address: String::new(),
        email: String::new(),
        phone: String::new(),
    };
    shop.save_customer(None, &form).unwrap().id
}

#[tokio::test]
async fn a_closed_buyer_is_warned_about_from_the_cache() {
    let mut f = fixture();
    let sim = start_sim().await;
    let partners = partners_for(&f, &sim);

    let closed = partners.lookup(demo::CLOSED, LookupMode::Online).await.unwrap();
    assert_eq!(closed.status, PartnerStatus::Closed);
    assert_eq!(closed.status_text, "Đã chấm dứt hoạt động");
    let warning = closed.warning.expect("a closed business is warned about");
    assert!(warning.starts_with("Cảnh báo: doanh nghiệp này đang ở tình trạng «Đã chấm dứt hoạt động»"), "{warning}");
    for (code, status) in [
        (demo::SUSPENDED, PartnerStatus::Suspended),
        (demo::DISSOLVED, PartnerStatus::Dissolved),
        (demo::BANKRUPT, PartnerStatus::Bankrupt),
    ] {
        let found = partners.lookup(code, LookupMode::Online).await.unwrap();
        assert_eq!(found.status, status, "{code}");
        assert!(found.warning.is_some(), "{code}");
    }
    let suspended = partners.lookup(demo::SUSPENDED, LookupMode::Offline).await.unwrap();
    assert!(suspended.status_text.starts_with("Tạm ngừng kinh doanh từ ngày 01/03/2026"), "{}", suspended.status_text);
    partners.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap();

    let closed_id = business(&f.shop, &closed.name, demo::CLOSED);
    let active_id = business(&f.shop, "Công ty Sen Vàng", demo::ACTIVE);
    let unchecked_id = business(&f.shop, "Công ty chưa tra cứu", "0100109106");
    let to_closed = sell(&mut f.shop, Some(closed_id));
    let to_active = sell(&mut f.shop, Some(active_id));
    let to_unchecked = sell(&mut f.shop, Some(unchecked_id));
    let walk_in = sell(&mut f.shop, None);

    let before = total_requests(&sim);
    let warning = f.shop.buyer_warning(to_closed).unwrap().expect("the closed buyer is warned about");
    assert!(warning.contains(&format!("«{}» (MST {})", closed.name, demo::CLOSED)), "{warning}");
    assert!(warning.contains("«Đã chấm dứt hoạt động»"), "{warning}");
    let when = hoadon_core::rules::calendar::format_moment(closed.fetched_at);
    assert!(warning.contains(&format!("theo thông tin tra cứu lúc {when}")), "{warning}");
    assert_eq!(f.shop.buyer_warning(to_active).unwrap(), None);
    assert_eq!(f.shop.buyer_warning(to_unchecked).unwrap(), None, "never looked up: nothing to say");
    assert_eq!(f.shop.buyer_warning(walk_in).unwrap(), None);
    assert_eq!(total_requests(&sim), before, "the warning comes from the cache alone");
    assert_eq!(f.shop.buyer_warning(9_999).unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn settings_keep_their_secrets_out_of_the_database() {
    let f = fixture();
    let sim = start_sim().await;
    let mut form = form_for(&sim);
    form.vietqr_api_key = "khoa-api-vietqr-789".into();
    f.shop.save_lookup_settings(&f.secrets, &form).unwrap();

    let stored = f.shop.store().setting("lookup.settings").unwrap().expect("saved");
    assert!(!stored.contains(sim.client_secret()), "{stored}");
    assert!(!stored.contains("khoa-api-vietqr-789"), "{stored}");
    assert_eq!(f.secrets.get("lookup.nbrs.client_secret").unwrap().unwrap().expose(), sim.client_secret());
    assert_eq!(f.secrets.get("lookup.vietqr.api_key").unwrap().unwrap().expose(), "khoa-api-vietqr-789");
    let raw = std::fs::read(f.db.with_file_name("secrets.enc")).unwrap();
    assert!(!raw.windows(10).any(|w| w == &sim.client_secret().as_bytes()[..10]), "encrypted on disk");

    let info = f.shop.lookup_settings_info(&f.secrets, None).unwrap();
    assert!(info.configured && info.nbrs_secret_saved && info.vietqr_key_saved);
    assert_eq!(info.form.nbrs_client_secret, "", "secrets never come back to the screen");
    assert_eq!(info.form.vietqr_api_key, "");
    assert_eq!(info.form.nbrs_base_url, sim.base_url());
    assert_eq!(info.demo, None);

    // Saving again with empty secret boxes keeps the secrets, and the look-up still works.
    let mut again = info.form.clone();
    again.order = vec![LookupSourceId::VietQr, LookupSourceId::Nbrs];
    let settings = f.shop.save_lookup_settings(&f.secrets, &again).unwrap();
    assert_eq!(settings.nbrs.as_ref().unwrap().client_secret.expose(), sim.client_secret());
    let partners = Partners::new(Some(&settings), Arc::new(f.shop.partner_cache().unwrap())).unwrap();
    let found = partners.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap();
    assert_eq!(found.source_label, "dịch vụ tra cứu mã số thuế VietQR", "VietQR is asked first now");
    assert_eq!(sim.request_count(Endpoint::Token), 0);

    // Wrong boxes are named; nothing is saved.
    let mut bad = LookupSettingsForm { nbrs_enabled: true, nbrs_base_url: "ndxp.gov.vn".into(), ..Default::default() };
    f.shop.clear_lookup_settings(&f.secrets).unwrap();
    let app = f.shop.save_lookup_settings(&f.secrets, &bad).unwrap_err().to_app_error();
    let fields: Vec<&str> = app.fields.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "nbrs_base_url",
            "nbrs_token_url",
            "nbrs_client_id",
            "nbrs_client_secret",
            "nbrs_basic_info_path",
            "nbrs_dossiers_received_path",
            "nbrs_dossier_latest_path",
            "nbrs_dossier_detail_path"
        ]
    );
    assert!(app.fields[0].message.contains("cần bắt đầu bằng https://"), "{}", app.fields[0].message);
    bad.nbrs_enabled = false;
    let app = f.shop.save_lookup_settings(&f.secrets, &bad).unwrap_err().to_app_error();
    assert_eq!(app.fields[0].field, "sources");
    assert!(!f.shop.lookup_settings_info(&f.secrets, None).unwrap().configured);
    assert!(f.shop.lookup_settings(&f.secrets).unwrap().is_none());
}

#[tokio::test]
async fn without_settings_a_lookup_says_so_but_still_checks_the_code() {
    let f = fixture();
    let partners = Partners::new(None, Arc::new(f.shop.partner_cache().unwrap())).unwrap();
    assert!(!partners.is_configured());
    let err = partners.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap_err();
    assert_eq!(err.code(), "lookup_no_source");
    assert!(err.user_message().starts_with("Chưa cài đặt nguồn tra cứu mã số thuế"), "{}", err.user_message());
    let err = partners.lookup("0109526017", LookupMode::Online).await.unwrap_err();
    assert_eq!(err.to_app_error().fields[0].field, "tax_code");
    let err = partners.dossier_latest("2026000101").await.unwrap_err();
    assert_eq!(err.code(), "lookup_no_nbrs");
}

#[tokio::test]
async fn dossiers_are_listed_and_read() {
    let f = fixture();
    let sim = start_sim().await;
    let partners = partners_for(&f, &sim);

    let query = hoadon_core::DossierQuery { from: "01/03/2026".into(), to: "31/03/2026".into(), site_id: "HN".into() };
    let ids = partners.dossiers_received(&query).await.unwrap();
    assert!(ids.contains(&sim::DEMO_PROCESS_ID), "{ids:?}");

    let latest = partners.dossier_latest(&sim::DEMO_PROCESS_ID.to_string()).await.unwrap();
    assert_eq!(latest.registrant_code.as_deref(), Some(demo::ACTIVE));
    assert_eq!(latest.receipt_no.as_deref(), Some(sim::DEMO_JOURNAL_NO));
    assert_eq!(latest.status.as_deref(), Some("Đã trả kết quả (mã 10)"));
    assert_eq!(latest.documents.len(), 2);
    assert_eq!(latest.fees[0].amount, Some(100_000));
    assert_eq!(latest.results.len(), 1);
    assert_eq!(latest.supplements[0].done, Some(true));
    assert!(latest.received_at.is_some());

    let detail = partners.dossier_detail(sim::DEMO_JOURNAL_NO).await.unwrap();
    assert_eq!(detail.receipt_no.as_deref(), Some(sim::DEMO_JOURNAL_NO));
    assert_eq!(detail.processing_state.as_deref(), Some("Đã trả kết quả (mã 10)"));
    assert_eq!(detail.supplements.len(), 1);

    let before = total_requests(&sim);
    let bad = hoadon_core::DossierQuery { from: "31/03/2026".into(), to: "01/03/2026".into(), site_id: "".into() };
    let fields: Vec<String> = partners.dossiers_received(&bad).await.unwrap_err().to_app_error().fields.into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["to", "site_id"]);
    assert_eq!(partners.dossier_latest("abc").await.unwrap_err().to_app_error().fields[0].field, "process_id");
    assert_eq!(partners.dossier_detail(" ").await.unwrap_err().to_app_error().fields[0].field, "journal_no");
    assert_eq!(total_requests(&sim), before, "refused locally");
    let err = partners.dossier_latest("999").await.unwrap_err();
    assert_eq!(err.code(), "lookup_dossier_not_found");
}
