//! The simulator seen from the wire, without the look-up crate in between.

use std::time::Duration;

use hoadon_sim_registry::{self as sim, Endpoint, RegistrySim, SimConfig, demo};
use serde_json::Value;

async fn start() -> RegistrySim {
    sim::start(SimConfig::default()).await.unwrap()
}

async fn token(sim: &RegistrySim, http: &reqwest::Client) -> String {
    let answer: Value = http
        .post(sim.token_url())
        .basic_auth(sim.client_id(), Some(sim.client_secret()))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3600);
    answer["access_token"].as_str().unwrap().to_owned()
}

fn info_url(sim: &RegistrySim, mst: &str) -> String {
    format!("{}{}?mst={mst}", sim.base_url(), sim::BASIC_INFO_PATH)
}

#[tokio::test]
async fn the_token_endpoint_speaks_oauth() {
    let sim = start().await;
    let http = reqwest::Client::new();
    assert!(!token(&sim, &http).await.is_empty());

    let wrong = http
        .post(sim.token_url())
        .basic_auth(sim.client_id(), Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(wrong.json::<Value>().await.unwrap()["error"], "invalid_client");

    let grant = http
        .post(sim.token_url())
        .form(&[("grant_type", "password"), ("client_id", sim.client_id()), ("client_secret", sim.client_secret())])
        .send()
        .await
        .unwrap();
    assert_eq!(grant.status(), 400);
    assert_eq!(grant.json::<Value>().await.unwrap()["error"], "unsupported_grant_type");
    assert_eq!(sim.request_count(Endpoint::Token), 3);
}

#[tokio::test]
async fn lookups_need_a_live_token() {
    let sim = start().await;
    let http = reqwest::Client::new();
    let bare = http.get(info_url(&sim, demo::ACTIVE)).send().await.unwrap();
    assert_eq!(bare.status(), 401);
    assert!(bare.headers().contains_key("www-authenticate"));

    let token = token(&sim, &http).await;
    let ok = http.get(info_url(&sim, demo::ACTIVE)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["EntInfo"]["MaSoDoanhNghiep"], demo::ACTIVE);
    assert_eq!(body["EntInfo"]["TinhTrangPhapLy"]["MaTinhTrangPhapLy"], "01");

    sim.knobs().expire_tokens();
    let stale = http.get(info_url(&sim, demo::ACTIVE)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(stale.status(), 401);
    assert_eq!(sim.request_count(Endpoint::BasicInfo), 3);
}

#[tokio::test]
async fn basic_info_answers_each_block_and_errors() {
    let sim = start().await;
    let http = reqwest::Client::new();
    let token = token(&sim, &http).await;
    let get = |mst: &str| http.get(info_url(&sim, mst)).bearer_auth(&token).send();

    let coop: Value = get(demo::COOPERATIVE).await.unwrap().json().await.unwrap();
    assert!(coop["CoopInfo"]["MaSoHTX"].is_string());
    let house: Value = get(demo::HOUSEHOLD).await.unwrap().json().await.unwrap();
    assert!(house["HouseInfo"]["ChuHoKinhDoanh"]["HoVaTen"].is_string());
    assert!(house["HouseInfo"]["DiaChiTruSo"]["DiaChiDayDu"].is_string());

    assert_eq!(get(demo::UNKNOWN).await.unwrap().status(), 404);
    assert_eq!(get("123").await.unwrap().status(), 400, "mst must have 10 to 20 characters");
    assert_eq!(get(demo::SERVER_ERROR).await.unwrap().status(), 500);
    let garbled = get(demo::GARBLED).await.unwrap();
    assert_eq!(garbled.status(), 200);
    assert!(garbled.text().await.unwrap().starts_with("<html>"));
}

#[tokio::test]
async fn vietqr_codes_and_knobs() {
    let sim = start().await;
    let http = reqwest::Client::new();
    let get = |code: &str| http.get(format!("{}/v2/business/{code}", sim.vietqr_base_url())).send();

    let found: Value = get(demo::SUSPENDED).await.unwrap().json().await.unwrap();
    assert_eq!(found["code"], "00");
    assert_eq!(found["data"]["id"], demo::SUSPENDED);
    assert_eq!(found["data"]["shortName"], "BEN THANH XANH JSC");
    let invalid: Value = get("0109526017").await.unwrap().json().await.unwrap();
    assert_eq!(invalid["code"], "51");
    let missing: Value = get(demo::UNKNOWN).await.unwrap().json().await.unwrap();
    assert_eq!(missing["code"], "52");

    sim.knobs().force_429(Endpoint::VietQr, 1, Some(7));
    let limited = get(demo::ACTIVE).await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    assert_eq!(get(demo::ACTIVE).await.unwrap().status(), 200);

    sim.knobs().force_5xx(Endpoint::VietQr, 1);
    assert_eq!(get(demo::ACTIVE).await.unwrap().status(), 503);

    sim.knobs().set_delay(Endpoint::VietQr, Duration::from_millis(300));
    let started = std::time::Instant::now();
    get(demo::ACTIVE).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));

    assert_eq!(sim.request_count(Endpoint::VietQr), 7);
    assert_eq!(sim.knobs().total_requests(), 7);
    sim.knobs().reset_counts();
    assert_eq!(sim.knobs().total_requests(), 0);
}

#[tokio::test]
async fn dossier_lookups_answer_by_period_id_and_journal() {
    let sim = start().await;
    let http = reqwest::Client::new();
    let token = token(&sim, &http).await;
    let get = |path: &str, query: &[(&str, &str)]| {
        http.get(format!("{}{path}", sim.base_url())).query(query).bearer_auth(&token).send()
    };
    let list: Value = get(
        sim::DOSSIERS_RECEIVED_PATH,
        &[("fromDate", "01/03/2026"), ("toDate", "31/03/2026"), ("siteID", "HN")],
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(list, serde_json::json!([{"ProcessID": 2026000101u64}, {"ProcessID": 2026000103u64}]));
    let bad = get(sim::DOSSIERS_RECEIVED_PATH, &[("fromDate", "2026-03-01"), ("toDate", "31/03/2026"), ("siteID", "HN")])
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    let latest: Value = get(sim::DOSSIER_LATEST_PATH, &[("processID", "2026000102")]).await.unwrap().json().await.unwrap();
    assert_eq!(latest["CoopProcess"]["NgayTiepNhan"], "20260310140500");
    let detail: Value =
        get(sim::DOSSIER_DETAIL_PATH, &[("in_journal_no", sim::DEMO_JOURNAL_NO)]).await.unwrap().json().await.unwrap();
    assert_eq!(detail["EntProcessDetail"]["TinhTrangXuLy"], "10");
    assert_eq!(get(sim::DOSSIER_LATEST_PATH, &[("processID", "1")]).await.unwrap().status(), 404);
}

#[tokio::test]
async fn stopping_frees_the_port() {
    let sim = start().await;
    let addr = sim.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    sim.stop().await;
    assert!(reqwest::get(format!("http://{addr}/")).await.is_err());
}
