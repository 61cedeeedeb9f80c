//! The look-up against the simulated registries, over real HTTP on 127.0.0.1.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hoadon_lookup::nbrs::dossier::Dossier;
use hoadon_lookup::{
    CachedBecause, ClientAuth, Freshness, LegalStatus, LookupChain, LookupError, LookupMode, LookupSettings,
    MemoryCache, NbrsClient, NbrsPaths, NbrsSettings, PartnerCache, PartnerDirectory, PartnerKind, PartnerLookup,
    RepresentativeRole, RetryPolicy, Source, SourceKind, TaxCode, TaxCodeError, VietQrClient, VietQrSettings,
};
use hoadon_sim_registry::{self as sim, Endpoint, RegistrySim, SimConfig, demo};
use time::macros::{date, datetime};

fn quick_retries() -> RetryPolicy {
    RetryPolicy { max_retries: 2, first_delay_ms: 10, max_delay_ms: 40, max_retry_after_secs: 2 }
}

fn nbrs_settings(sim: &RegistrySim) -> NbrsSettings {
    let mut settings = NbrsSettings::new(
        sim.base_url(),
        sim.token_url(),
        sim.client_id(),
        sim.client_secret(),
        NbrsPaths::new(
            sim::BASIC_INFO_PATH,
            sim::DOSSIERS_RECEIVED_PATH,
            sim::DOSSIER_LATEST_PATH,
            sim::DOSSIER_DETAIL_PATH,
        ),
    );
    settings.retry = quick_retries();
    settings.timeout_secs = 5;
    settings
}

fn vietqr_settings(sim: &RegistrySim) -> VietQrSettings {
    let mut settings = VietQrSettings::new(sim.vietqr_base_url());
    settings.retry = quick_retries();
    settings.timeout_secs = 5;
    settings
}

async fn start() -> RegistrySim {
    sim::start(SimConfig::default()).await.expect("simulator starts")
}

fn nbrs(sim: &RegistrySim) -> NbrsClient {
    NbrsClient::new(nbrs_settings(sim)).unwrap()
}

fn code(text: &str) -> TaxCode {
    TaxCode::parse(text).unwrap()
}

// ---------------------------------------------------------------- NBRS: the token

#[tokio::test]
async fn one_token_serves_many_lookups_even_concurrent_ones() {
    let sim = start().await;
    let client = Arc::new(nbrs(&sim));
    for _ in 0..4 {
        client.basic_info(&code(demo::ACTIVE)).await.unwrap();
    }
    let concurrent: Vec<_> = (0..6)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.basic_info(&code(demo::COOPERATIVE)).await })
        })
        .collect();
    for task in concurrent {
        task.await.unwrap().unwrap();
    }
    assert_eq!(sim.request_count(Endpoint::Token), 1);
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 10);
}

#[tokio::test]
async fn a_token_expired_mid_run_is_renewed_once_on_401() {
    let sim = start().await;
    let client = nbrs(&sim);
    client.basic_info(&code(demo::ACTIVE)).await.unwrap();
    sim.knobs().expire_tokens();
    let partner = client.basic_info(&code(demo::SUSPENDED)).await.unwrap();
    assert_eq!(partner.tax_code.as_str(), demo::SUSPENDED);
    assert_eq!(sim.request_count(Endpoint::Token), 2);
    // The refused request, then the one with the new token.
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 3);
    client.basic_info(&code(demo::ACTIVE)).await.unwrap();
    assert_eq!(sim.request_count(Endpoint::Token), 2, "the renewed token is kept");
}

#[tokio::test]
async fn a_token_is_renewed_before_its_announced_expiry() {
    let sim = sim::start(SimConfig { token_ttl_secs: 1, ..SimConfig::default() }).await.unwrap();
    let client = nbrs(&sim);
    client.basic_info(&code(demo::ACTIVE)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.basic_info(&code(demo::ACTIVE)).await.unwrap();
    assert_eq!(sim.request_count(Endpoint::Token), 2);
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 2, "no request went out with a stale token");
}

#[tokio::test]
async fn a_401_after_renewal_means_bad_credentials_not_a_loop() {
    let sim = sim::start(SimConfig { token_ttl_secs: 0, ..SimConfig::default() }).await.unwrap();
    let error = nbrs(&sim).basic_info(&code(demo::ACTIVE)).await.unwrap_err();
    assert_eq!(error, LookupError::BadCredentials { service: Source::Nbrs });
    assert_eq!(sim.request_count(Endpoint::Token), 2);
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 2);
}

#[tokio::test]
async fn a_wrong_secret_is_bad_credentials_and_no_lookup_is_sent() {
    let sim = start().await;
    let mut settings = nbrs_settings(&sim);
    settings.client_secret = "not-the-secret".into();
    let error = NbrsClient::new(settings).unwrap().basic_info(&code(demo::ACTIVE)).await.unwrap_err();
    assert_eq!(error, LookupError::BadCredentials { service: Source::Nbrs });
    assert!(error.to_string().contains("Cài đặt tra cứu"));
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 0);
}

#[tokio::test]
async fn credentials_may_go_in_the_form_body() {
    let sim = start().await;
    let mut settings = nbrs_settings(&sim);
    settings.client_auth = ClientAuth::Body;
    NbrsClient::new(settings).unwrap().basic_info(&code(demo::ACTIVE)).await.unwrap();
}

#[tokio::test]
async fn a_rate_limited_token_endpoint_is_waited_out() {
    let sim = start().await;
    sim.knobs().force_429(Endpoint::Token, 1, Some(0));
    nbrs(&sim).basic_info(&code(demo::ACTIVE)).await.unwrap();
    assert_eq!(sim.request_count(Endpoint::Token), 2);
}

// ---------------------------------------------------------------- NBRS: the three blocks

#[tokio::test]
async fn ent_info_is_read_field_by_field() {
    let sim = start().await;
    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let p = nbrs(&sim).basic_info(&code(demo::ACTIVE)).await.unwrap();
    assert_eq!(p.kind, PartnerKind::Enterprise);
    assert_eq!(p.source, Source::Nbrs);
    assert!(p.fetched_at >= before);
    assert_eq!(p.name, "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG");
    assert_eq!(p.international_name.as_deref(), Some("SEN VANG TRADING AND SERVICES COMPANY LIMITED"));
    assert_eq!(p.short_name.as_deref(), Some("SEN VANG CO., LTD"));
    assert_eq!(p.legal_status, LegalStatus::Active);
    assert_eq!(p.legal_status_code.as_deref(), Some("01"));
    assert_eq!(p.legal_status_text.as_deref(), Some("Đang hoạt động"));
    assert!(!p.needs_warning());
    assert_eq!(p.status_description(), "Đang hoạt động");
    assert_eq!(p.founding_date, Some(date!(2021 - 05 - 12)));
    assert_eq!(p.last_change_date, Some(date!(2026 - 01 - 08)));
    assert_eq!(p.change_count, Some(3));
    assert_eq!(p.registration.internal_id.as_deref(), Some("1023456"));
    assert_eq!(p.registration.type_code.as_deref(), Some("02"));
    assert_eq!(
        p.registration.type_name.as_deref(),
        Some("Công ty trách nhiệm hữu hạn hai thành viên trở lên")
    );

    let rep = p.representative.as_ref().unwrap();
    assert_eq!(rep.role, RepresentativeRole::LegalRepresentative);
    assert_eq!(rep.names(), vec!["Nguyễn Văn An", "Trần Thị Bình"]);
    assert_eq!(rep.id_document_type.as_deref(), Some("Căn cước công dân"));
    assert_eq!(rep.id_document_type_code.as_deref(), Some("1"));
    assert_eq!(rep.id_document_number.as_deref(), Some("001085012345"));
    assert_eq!(rep.id_issued_on, Some(date!(2021 - 10 - 10)));
    assert!(rep.id_issued_by.is_some());
    assert_eq!(rep.nationality.as_deref(), Some("Việt Nam"));
    assert_eq!(rep.nationality_code.as_deref(), Some("704"));

    let address = p.head_office_address.as_ref().unwrap();
    assert_eq!(address.country.as_deref(), Some("Việt Nam"));
    assert_eq!(address.country_code.as_deref(), Some("704"));
    assert_eq!(address.province.as_deref(), Some("Thành phố Hà Nội"));
    assert_eq!(address.province_code.as_deref(), Some("1"));
    assert_eq!(address.district, None, "addresses after the 2025 reform have no district");
    assert_eq!(address.ward.as_deref(), Some("Phường Cửa Nam"));
    assert_eq!(address.ward_code.as_deref(), Some("70"));
    assert_eq!(address.street.as_deref(), Some("Số 12 phố Lý Thường Kiệt"));
    assert_eq!(
        p.address_line().as_deref(),
        Some("Số 12 phố Lý Thường Kiệt, Phường Cửa Nam, Thành phố Hà Nội, Việt Nam")
    );

    assert_eq!(p.business_lines.len(), 3);
    assert_eq!(p.main_business_line().unwrap().code, "4632");
    assert_eq!(p.business_lines.iter().filter(|l| l.main).count(), 1);
}

#[tokio::test]
async fn ent_info_keeps_the_old_certificate_and_district() {
    let sim = start().await;
    let p = nbrs(&sim).basic_info(&code(demo::SUSPENDED)).await.unwrap();
    assert_eq!(p.registration.old_certificate_no.as_deref(), Some("4103012345"));
    let address = p.head_office_address.unwrap();
    assert_eq!(address.district.as_deref(), Some("Quận 1"));
    assert_eq!(address.district_code.as_deref(), Some("760"));
}

#[tokio::test]
async fn a_branch_is_looked_up_by_its_13_digit_code() {
    let sim = start().await;
    let p = nbrs(&sim).basic_info(&code("0109526016001")).await.unwrap();
    assert_eq!(p.tax_code.as_str(), demo::ACTIVE_BRANCH);
    assert_eq!(p.registration.type_name.as_deref(), Some("Chi nhánh"));
}

#[tokio::test]
async fn coop_info_is_read() {
    let sim = start().await;
    let p = nbrs(&sim).basic_info(&code(demo::COOPERATIVE)).await.unwrap();
    assert_eq!(p.kind, PartnerKind::Cooperative);
    assert_eq!(p.name, "HỢP TÁC XÃ NÔNG NGHIỆP DỊCH VỤ PHÚ AN");
    assert_eq!(p.registration.type_code.as_deref(), Some("HTX"));
    assert_eq!(p.registration.internal_id.as_deref(), Some("HTX-55012"));
    assert_eq!(p.legal_status, LegalStatus::Active);
    assert_eq!(p.representative.as_ref().unwrap().name, "Đặng Văn Sáu");
    let address = p.head_office_address.as_ref().unwrap();
    assert_eq!(address.country, None, "CoopInfo addresses carry no country");
    assert_eq!(address.full.as_deref(), Some("Ấp 3, Xã Phú An, Thành phố Hồ Chí Minh"));
    assert_eq!(p.business_lines.len(), 3);
    assert_eq!(p.main_business_line().unwrap().name, "Trồng lúa");
}

#[tokio::test]
async fn house_info_is_read_with_the_owner() {
    let sim = start().await;
    let p = nbrs(&sim).basic_info(&code(demo::HOUSEHOLD)).await.unwrap();
    assert_eq!(p.kind, PartnerKind::Household);
    assert_eq!(p.name, "HỘ KINH DOANH TẠP HÓA CÔ BA");
    assert_eq!(p.registration.household_registration_no.as_deref(), Some("01A8012345"));
    assert_eq!(p.registration.type_name.as_deref(), Some("Hộ kinh doanh"));
    let owner = p.representative.as_ref().unwrap();
    assert_eq!(owner.role, RepresentativeRole::HouseholdOwner);
    assert_eq!(owner.name, "Lê Thị Ba");
    assert_eq!(
        p.head_office_address.as_ref().unwrap().full.as_deref(),
        Some("Số 7 ngõ 4 phố Phạm Ngọc Thạch, Phường Kim Liên, Thành phố Hà Nội"),
        "HouseInfo names its full address DiaChiDayDu"
    );
    assert_eq!(p.founding_date, Some(date!(2022 - 02 - 14)));
}

#[tokio::test]
async fn every_legal_status_is_read_right() {
    let sim = start().await;
    let client = nbrs(&sim);
    let read = |mst: &'static str| {
        let client = &client;
        async move { client.basic_info(&code(mst)).await.unwrap() }
    };

    assert_eq!(read(demo::ACTIVE).await.legal_status, LegalStatus::Active);

    let suspended = read(demo::SUSPENDED).await;
    assert_eq!(
        suspended.legal_status,
        LegalStatus::Suspended {
            from: Some(date!(2026 - 03 - 01)),
            to: Some(date!(2027 - 02 - 28)),
            reason: Some("Tạm ngừng kinh doanh để sắp xếp lại dây chuyền sản xuất".into()),
        }
    );
    assert!(suspended.needs_warning());
    assert_eq!(
        suspended.status_description(),
        "Tạm ngừng kinh doanh từ ngày 01/03/2026 đến ngày 28/02/2027. Lý do: Tạm ngừng kinh doanh để sắp xếp lại dây chuyền sản xuất"
    );

    let closed = read(demo::CLOSED).await;
    assert_eq!(closed.legal_status, LegalStatus::Closed);
    assert_eq!(closed.status_description(), "Đã chấm dứt hoạt động");
    assert!(closed.needs_warning());

    assert_eq!(read(demo::DISSOLVED).await.legal_status, LegalStatus::Dissolved);
    assert_eq!(read(demo::BANKRUPT).await.legal_status, LegalStatus::Bankrupt);

    let dissolving = read(demo::DISSOLVING).await;
    assert_eq!(
        dissolving.legal_status,
        LegalStatus::Other { code: Some("06".into()), text: "Đang làm thủ tục giải thể".into() }
    );
    assert!(dissolving.needs_warning());
    assert_eq!(dissolving.status_description(), "Đang làm thủ tục giải thể");

    let away = read(demo::NOT_AT_ADDRESS).await;
    assert!(matches!(away.legal_status, LegalStatus::Other { .. }));
    assert_eq!(away.status_description(), "Không hoạt động tại địa chỉ đã đăng ký");

    let household = read(demo::HOUSEHOLD_SUSPENDED).await;
    assert_eq!(household.kind, PartnerKind::Household);
    assert_eq!(
        household.legal_status,
        LegalStatus::Suspended {
            from: Some(date!(2026 - 01 - 15)),
            to: Some(date!(2026 - 07 - 15)),
            reason: Some("Chủ hộ kinh doanh đi chữa bệnh dài ngày".into()),
        }
    );
}

#[tokio::test]
async fn not_found_is_an_answer_and_failures_are_not() {
    let sim = start().await;
    let client = nbrs(&sim);
    let not_found = client.basic_info(&code(demo::UNKNOWN)).await.unwrap_err();
    assert_eq!(not_found, LookupError::NotFound { service: Source::Nbrs, tax_code: demo::UNKNOWN.into() });
    assert!(!not_found.is_unavailable());

    let garbled = client.basic_info(&code(demo::GARBLED)).await.unwrap_err();
    assert!(matches!(garbled, LookupError::Malformed { service: Source::Nbrs, .. }), "{garbled:?}");
    assert!(garbled.to_string().contains("không đúng định dạng"));

    let failing = client.basic_info(&code(demo::SERVER_ERROR)).await.unwrap_err();
    assert!(matches!(failing, LookupError::Unreachable { .. }), "{failing:?}");

    sim.knobs().force_5xx(Endpoint::BasicInfo, 1);
    let forced = client.basic_info(&code(demo::ACTIVE)).await.unwrap_err();
    assert!(forced.is_unavailable());
    client.basic_info(&code(demo::ACTIVE)).await.unwrap();
}

#[tokio::test]
async fn a_slow_registry_times_out_as_unreachable() {
    let sim = start().await;
    sim.knobs().set_delay(Endpoint::BasicInfo, Duration::from_millis(2500));
    let mut settings = nbrs_settings(&sim);
    settings.timeout_secs = 1;
    let error = NbrsClient::new(settings).unwrap().basic_info(&code(demo::ACTIVE)).await.unwrap_err();
    match error {
        LookupError::Unreachable { detail, .. } => assert_eq!(detail, "hết thời gian chờ trả lời"),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- NBRS: dossiers

#[tokio::test]
async fn dossiers_received_in_a_period_for_a_site() {
    let sim = start().await;
    let client = nbrs(&sim);
    let march = client.dossiers_received(date!(2026 - 03 - 01), date!(2026 - 03 - 31), "HN").await.unwrap();
    assert_eq!(march, vec![2026000101, 2026000103]);
    let mut hcm = client.dossiers_received(date!(2026 - 02 - 01), date!(2026 - 03 - 31), "HCM").await.unwrap();
    hcm.sort();
    assert_eq!(hcm, vec![2026000102, 2026000104]);
    let one_day = client.dossiers_received(date!(2026 - 03 - 02), date!(2026 - 03 - 02), "HN").await.unwrap();
    assert_eq!(one_day, vec![2026000101], "both ends of the period are included");
    let none = client.dossiers_received(date!(2025 - 01 - 01), date!(2025 - 12 - 31), "HN").await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_bad_dossier_query_is_refused_locally() {
    let sim = start().await;
    let client = nbrs(&sim);
    let reversed = client.dossiers_received(date!(2026 - 03 - 31), date!(2026 - 03 - 01), "HN").await;
    assert!(matches!(reversed, Err(LookupError::InvalidQuery(_))));
    let long_site = client.dossiers_received(date!(2026 - 03 - 01), date!(2026 - 03 - 31), "QUA-DAI-11C").await;
    assert!(matches!(long_site, Err(LookupError::InvalidQuery(_))));
    let empty_journal = client.dossier_detail("  ").await;
    assert!(matches!(empty_journal, Err(LookupError::InvalidQuery(_))));
    assert_eq!(sim.knobs().total_requests(), 0);
}

#[tokio::test]
async fn the_latest_state_of_a_dossier_is_read_with_its_lists() {
    let sim = start().await;
    let d: Dossier = nbrs(&sim).dossier_latest(sim::DEMO_PROCESS_ID).await.unwrap();
    let h = &d.header;
    assert_eq!(h.kind, PartnerKind::Enterprise);
    assert_eq!(h.registrant_code.as_deref(), Some(demo::ACTIVE));
    assert_eq!(h.registrant_name.as_deref(), Some("CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG"));
    assert_eq!(h.receipt_no.as_deref(), Some(sim::DEMO_JOURNAL_NO));
    assert_eq!(h.procedure_name.as_deref(), Some("Đăng ký thay đổi nội dung đăng ký doanh nghiệp"));
    assert_eq!(h.channel.as_deref(), Some("2"));
    assert_eq!(h.received_at, Some(datetime!(2026-03-02 09:30:00 +7)));
    assert_eq!(h.due_at, Some(datetime!(2026-03-05 17:00:00 +7)));
    assert_eq!(h.returned_at, Some(datetime!(2026-03-05 10:30:00 +7)));
    assert_eq!(h.submitted_at, h.received_at);
    assert_eq!(h.result_returned, Some(true));
    assert_eq!(h.return_method, Some(3));
    assert_eq!(h.phone.as_deref(), Some("+84 912345678"));
    assert_eq!(h.vneid_verified.as_deref(), Some("0"));
    assert_eq!(d.status.as_deref(), Some("10"));
    assert_eq!(d.documents.len(), 2);
    assert_eq!(d.documents[0].id, Some(88001));
    assert_eq!(d.documents[0].deleted, Some(false));
    assert_eq!(d.fees[0].amount.as_deref(), Some("100000"));
    assert_eq!(d.other_attachments[0].count, Some(1));
    let supplement = &d.supplements[0];
    assert_eq!(supplement.requested_at, Some(datetime!(2026-03-03 10:00:00 +7)));
    assert_eq!(supplement.done, Some(true));
    assert_eq!(supplement.documents.len(), 1);
    assert_eq!(supplement.new_due_at, Some(datetime!(2026-03-06 17:00:00 +7)));
    assert_eq!(d.results[0].code.as_deref(), Some("GXN-2026-000101"));
    // Serialisable for the UI, moments in RFC 3339 with the Vietnam offset.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["received_at"], "2026-03-02T09:30:00+07:00");
}

#[tokio::test]
async fn cooperative_and_household_dossiers_keep_their_kind() {
    let sim = start().await;
    let client = nbrs(&sim);
    let coop = client.dossier_latest(2026000102).await.unwrap();
    assert_eq!(coop.header.kind, PartnerKind::Cooperative);
    assert_eq!(coop.header.registrant_code.as_deref(), Some(demo::COOPERATIVE));
    assert_eq!(coop.header.returned_at, None);
    let house = client.dossier_detail("HN-2026-000103").await.unwrap();
    assert_eq!(house.header.kind, PartnerKind::Household);
    assert_eq!(house.processing_state.as_deref(), Some("5"));
    assert_eq!(house.supplement_requests.len(), 1, "a lone TinhTrangBoSung object is a list of one");
    assert_eq!(house.supplement_requests[0].content.as_deref(), Some("Bổ sung bản sao hợp đồng thuê mặt bằng"));
}

#[tokio::test]
async fn processing_detail_by_journal_number() {
    let sim = start().await;
    let client = nbrs(&sim);
    let detail = client.dossier_detail(sim::DEMO_JOURNAL_NO).await.unwrap();
    assert_eq!(detail.header.kind, PartnerKind::Enterprise);
    assert_eq!(detail.processing_state.as_deref(), Some("10"));
    assert_eq!(detail.supplement_requests[0].requested_at, Some(datetime!(2026-03-03 10:00:00 +7)));
    let missing = client.dossier_detail("HN-2099-999999").await.unwrap_err();
    assert_eq!(
        missing,
        LookupError::DossierNotFound { service: Source::Nbrs, reference: "HN-2099-999999".into() }
    );
    let missing = client.dossier_latest(1).await.unwrap_err();
    assert!(matches!(missing, LookupError::DossierNotFound { .. }));
    assert_eq!(sim.request_count(Endpoint::Token), 1);
}

// ---------------------------------------------------------------- VietQR

#[tokio::test]
async fn vietqr_00_gives_name_and_address_without_status() {
    let sim = start().await;
    let client = VietQrClient::new(vietqr_settings(&sim)).unwrap();
    let p = client.business(&code(demo::CLOSED)).await.unwrap();
    assert_eq!(p.source, Source::VietQr);
    assert_eq!(p.name, "CÔNG TY TNHH IN ẤN PHƯƠNG ĐÔNG");
    assert_eq!(p.legal_status, LegalStatus::Unknown);
    assert!(!p.needs_warning());
    assert!(p.address_line().unwrap().contains("Hà Nội"));
    let coop = client.business(&code(demo::COOPERATIVE)).await.unwrap();
    assert_eq!(coop.kind, PartnerKind::Cooperative);
    assert_eq!(coop.international_name.as_deref(), Some("PHU AN AGRICULTURAL SERVICE COOPERATIVE"));
    assert_eq!(coop.short_name.as_deref(), Some("HTX PHU AN"));
}

#[tokio::test]
async fn vietqr_51_and_52() {
    let sim = start().await;
    let client = VietQrClient::new(vietqr_settings(&sim)).unwrap();
    let invalid = client.business(&code(demo::HOUSEHOLD_SUSPENDED)).await.unwrap_err();
    assert!(matches!(invalid, LookupError::RejectedTaxCode { service: Source::VietQr, .. }), "{invalid:?}");
    assert!(invalid.to_string().contains("không hợp lệ"));
    let unknown = client.business(&code(demo::UNKNOWN)).await.unwrap_err();
    assert_eq!(unknown, LookupError::NotFound { service: Source::VietQr, tax_code: demo::UNKNOWN.into() });
}

#[tokio::test]
async fn vietqr_429_honours_retry_after_then_succeeds() {
    let sim = start().await;
    sim.knobs().force_429(Endpoint::VietQr, 1, Some(1));
    let client = VietQrClient::new(vietqr_settings(&sim)).unwrap();
    let started = Instant::now();
    client.business(&code(demo::ACTIVE)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    assert_eq!(sim.request_count(Endpoint::VietQr), 2);
}

#[tokio::test]
async fn vietqr_429_without_retry_after_backs_off_and_succeeds() {
    let sim = start().await;
    sim.knobs().force_429(Endpoint::VietQr, 2, None);
    let client = VietQrClient::new(vietqr_settings(&sim)).unwrap();
    client.business(&code(demo::ACTIVE)).await.unwrap();
    assert_eq!(sim.request_count(Endpoint::VietQr), 3);
}

#[tokio::test]
async fn vietqr_429_gives_up_after_bounded_retries() {
    let sim = start().await;
    sim.knobs().force_429(Endpoint::VietQr, 100, Some(0));
    let client = VietQrClient::new(vietqr_settings(&sim)).unwrap();
    let error = client.business(&code(demo::ACTIVE)).await.unwrap_err();
    assert_eq!(error, LookupError::RateLimited { service: Source::VietQr, retry_after_secs: Some(0) });
    assert_eq!(sim.request_count(Endpoint::VietQr), 3, "one try and two retries");
}

#[tokio::test]
async fn vietqr_429_with_a_long_retry_after_gives_up_at_once() {
    let sim = start().await;
    sim.knobs().force_429(Endpoint::VietQr, 1, Some(600));
    let client = VietQrClient::new(vietqr_settings(&sim)).unwrap();
    let started = Instant::now();
    let error = client.business(&code(demo::ACTIVE)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(error, LookupError::RateLimited { service: Source::VietQr, retry_after_secs: Some(600) });
    assert!(error.to_string().contains("sau khoảng 10 phút"), "{error}");
    assert_eq!(sim.request_count(Endpoint::VietQr), 1);
}

// ---------------------------------------------------------------- the chain

fn both(sim: &RegistrySim, order: Vec<SourceKind>) -> LookupChain {
    LookupSettings { order, nbrs: Some(nbrs_settings(sim)), vietqr: Some(vietqr_settings(sim)) }
        .build_chain()
        .unwrap()
}

#[tokio::test]
async fn the_chain_falls_through_on_unavailable() {
    let sim = start().await;
    let chain = both(&sim, vec![SourceKind::Nbrs, SourceKind::VietQr]);
    sim.knobs().force_5xx(Endpoint::BasicInfo, 1);
    let p = chain.find(&code(demo::ACTIVE)).await.unwrap();
    assert_eq!(p.source, Source::VietQr);

    // Refused credentials fall through as well: the shop can still work meanwhile.
    let mut refused = nbrs_settings(&sim);
    refused.client_secret = "revoked".into();
    let chain = LookupSettings { order: vec![SourceKind::Nbrs, SourceKind::VietQr], nbrs: Some(refused), vietqr: Some(vietqr_settings(&sim)) }
        .build_chain()
        .unwrap();
    let p = chain.find(&code(demo::COOPERATIVE)).await.unwrap();
    assert_eq!(p.source, Source::VietQr);
}

#[tokio::test]
async fn the_chain_stops_on_not_found() {
    let sim = start().await;
    let chain = both(&sim, vec![SourceKind::Nbrs, SourceKind::VietQr]);
    let error = chain.find(&code(demo::UNKNOWN)).await.unwrap_err();
    assert_eq!(error, LookupError::NotFound { service: Source::Nbrs, tax_code: demo::UNKNOWN.into() });
    assert_eq!(sim.request_count(Endpoint::VietQr), 0);
}

#[tokio::test]
async fn the_chain_follows_the_configured_order() {
    let sim = start().await;
    let chain = both(&sim, vec![SourceKind::VietQr, SourceKind::Nbrs]);
    assert_eq!(chain.find(&code(demo::ACTIVE)).await.unwrap().source, Source::VietQr);
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 0);
    assert_eq!(sim.request_count(Endpoint::Token), 0);
}

#[tokio::test]
async fn when_every_source_fails_the_most_telling_failure_is_returned() {
    let sim = start().await;
    let chain = both(&sim, vec![SourceKind::Nbrs, SourceKind::VietQr]);
    sim.knobs().force_5xx(Endpoint::BasicInfo, 1);
    sim.knobs().force_429(Endpoint::VietQr, 10, Some(600));
    let error = chain.find(&code(demo::ACTIVE)).await.unwrap_err();
    assert!(matches!(error, LookupError::RateLimited { .. }), "{error:?}");
}

// ---------------------------------------------------------------- directory and cache

fn directory(sim: &RegistrySim, cache: Arc<MemoryCache>) -> PartnerDirectory {
    PartnerDirectory::new(Arc::new(both(sim, vec![SourceKind::Nbrs, SourceKind::VietQr])), cache)
}

#[tokio::test]
async fn an_invalid_tax_code_sends_nothing() {
    let sim = start().await;
    let cache = Arc::new(MemoryCache::new());
    let directory = directory(&sim, cache.clone());
    for (typed, reason) in [
        ("0109526017", TaxCodeError::CheckDigit { expected: 6, found: 7 }),
        ("01095260", TaxCodeError::BadLength { found: 8 }),
        ("0109S26016", TaxCodeError::BadCharacter { character: 'S', position: 5 }),
        ("", TaxCodeError::Empty),
    ] {
        for mode in [LookupMode::Online, LookupMode::Offline] {
            let error = directory.lookup(typed, mode).await.unwrap_err();
            assert_eq!(error, LookupError::InvalidTaxCode(reason.clone()), "{typed}");
            assert_eq!(error.to_string(), format!("Mã số thuế không hợp lệ: {reason}."));
        }
    }
    assert_eq!(sim.knobs().total_requests(), 0);
    assert!(cache.is_empty());
}

#[tokio::test]
async fn fresh_answers_are_stored_and_served_on_a_cache_hit() {
    let sim = start().await;
    let cache = Arc::new(MemoryCache::new());
    let directory = directory(&sim, cache.clone());
    let fresh = directory.lookup(demo::SUSPENDED, LookupMode::Online).await.unwrap();
    assert_eq!(fresh.freshness, Freshness::Fresh);
    assert!(fresh.note().is_none());
    assert_eq!(cache.len(), 1);
    let (stored, fetched_at) = cache.get(&code(demo::SUSPENDED)).unwrap();
    assert_eq!(stored, fresh.partner, "the partner survives its JSON round trip");
    assert_eq!(fetched_at, fresh.partner.fetched_at);

    let requests = sim.knobs().total_requests();
    let hit = directory
        .lookup(demo::SUSPENDED, LookupMode::CacheFirst { max_age: Duration::from_secs(3600) })
        .await
        .unwrap();
    assert_eq!(hit.freshness, Freshness::Cached { fetched_at, because: CachedBecause::StillFresh });
    assert_eq!(hit.partner, fresh.partner);
    assert_eq!(sim.knobs().total_requests(), requests, "a cache hit sends nothing");

    let miss = directory
        .lookup(demo::HOUSEHOLD, LookupMode::CacheFirst { max_age: Duration::from_secs(3600) })
        .await
        .unwrap();
    assert_eq!(miss.freshness, Freshness::Fresh);
    assert!(sim.knobs().total_requests() > requests);
    assert_eq!(cache.len(), 2);
}

#[tokio::test]
async fn a_stale_entry_is_asked_again() {
    let sim = start().await;
    let cache = Arc::new(MemoryCache::new());
    let directory = directory(&sim, cache.clone());
    let mut old = directory.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap().partner;
    old.fetched_at -= 7200;
    cache.put(&old);
    let answer =
        directory.lookup(demo::ACTIVE, LookupMode::CacheFirst { max_age: Duration::from_secs(3600) }).await.unwrap();
    assert_eq!(answer.freshness, Freshness::Fresh);
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 2);
}

#[tokio::test]
async fn offline_mode_answers_from_the_cache_only() {
    let sim = start().await;
    let cache = Arc::new(MemoryCache::new());
    let directory = directory(&sim, cache.clone());
    let fresh = directory.lookup(demo::CLOSED, LookupMode::Online).await.unwrap();
    let requests = sim.knobs().total_requests();

    let offline = directory.lookup(demo::CLOSED, LookupMode::Offline).await.unwrap();
    assert!(offline.is_cached());
    assert_eq!(
        offline.freshness,
        Freshness::Cached { fetched_at: fresh.partner.fetched_at, because: CachedBecause::OfflineMode }
    );
    assert!(offline.partner.needs_warning(), "a cached closed business still warns");
    assert!(offline.note().unwrap().contains("ngoại tuyến"));

    let missing = directory.lookup(demo::ACTIVE, LookupMode::Offline).await.unwrap_err();
    assert_eq!(missing, LookupError::NotCached { tax_code: demo::ACTIVE.into() });
    assert_eq!(sim.knobs().total_requests(), requests, "offline mode sends nothing");
}

#[tokio::test]
async fn when_no_source_is_reachable_the_cache_answers_with_its_time() {
    let sim = start().await;
    let cache = Arc::new(MemoryCache::new());
    let directory = directory(&sim, cache.clone());
    let fresh = directory.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap();
    sim.stop().await;

    let answer = directory.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap();
    match &answer.freshness {
        Freshness::Cached { fetched_at, because: CachedBecause::SourcesUnavailable(why) } => {
            assert_eq!(*fetched_at, fresh.partner.fetched_at);
            assert!(why.starts_with("Không kết nối được"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    let note = answer.note().unwrap();
    assert!(note.starts_with("Thông tin lưu lúc "), "{note}");
    assert!(note.contains(&hoadon_rules::calendar::format_moment(fresh.partner.fetched_at)));

    let error = directory.lookup(demo::COOPERATIVE, LookupMode::Online).await.unwrap_err();
    assert!(matches!(error, LookupError::Unreachable { .. }), "unreachable is not 'not found': {error:?}");
}

#[tokio::test]
async fn not_found_is_not_papered_over_with_a_cached_answer() {
    let sim = start().await;
    let cache = Arc::new(MemoryCache::new());
    let directory = directory(&sim, cache.clone());
    // A business the shop once saw, which the registry no longer knows.
    let mut remembered = directory.lookup(demo::ACTIVE, LookupMode::Online).await.unwrap().partner;
    remembered.tax_code = code(demo::UNKNOWN);
    cache.put(&remembered);
    let error = directory.lookup(demo::UNKNOWN, LookupMode::Online).await.unwrap_err();
    assert!(matches!(error, LookupError::NotFound { .. }));
}

#[tokio::test]
async fn a_public_answer_keeps_the_registry_status_it_cannot_tell() {
    let sim = start().await;
    let cache = Arc::new(MemoryCache::new());
    let directory = directory(&sim, cache.clone());
    let registry = directory.lookup(demo::CLOSED, LookupMode::Online).await.unwrap();
    assert_eq!(registry.partner.legal_status, LegalStatus::Closed);
    assert_eq!(registry.status_as_of, None);

    // The registry is down; the public look-up answers, without a status of its own.
    sim.knobs().force_5xx(Endpoint::BasicInfo, 1);
    let answer = directory.lookup(demo::CLOSED, LookupMode::Online).await.unwrap();
    assert_eq!(answer.freshness, Freshness::Fresh);
    assert_eq!(answer.partner.source, Source::VietQr);
    assert_eq!(answer.partner.legal_status, LegalStatus::Closed);
    assert!(answer.partner.needs_warning(), "the warning survives the registry's absence");
    assert_eq!(answer.status_as_of, Some(registry.partner.fetched_at));
    assert!(answer.note().unwrap().starts_with("Tình trạng pháp lý theo thông tin lưu lúc"));
    let (kept, _) = cache.get(&code(demo::CLOSED)).unwrap();
    assert_eq!(kept.source, Source::Nbrs, "the registry's answer stays in the cache");
}
