//! The embedded server over real HTTP, pulled as the ministry would.

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::*;
use hoadon_moit::{
    API_KEYS, ApiOption, BackoffPolicy, KeyCase, MoitServer, MoitServerConfig, PageOption, ReportSource,
    StoreSource, VisitsPeriod, hash_password, serve,
};
use hoadon_sim_moit::{Case, GUIDE_KEYS, Puller};
use reqwest::{Method, StatusCode};

const API_USER: &str = "bocongthuong";
const API_PASSWORD: &str = "mật-khẩu-API-2026";
const PAGE_PASSWORD: &str = "Trang-báo-cáo-2026";

/// Argon2 is slow on purpose: hash each password once for the whole file.
fn hashes() -> &'static (String, String) {
    static HASHES: OnceLock<(String, String)> = OnceLock::new();
    HASHES.get_or_init(|| (hash_password(API_PASSWORD).unwrap(), hash_password(PAGE_PASSWORD).unwrap()))
}

fn config(case: KeyCase, backoff: BackoffPolicy) -> MoitServerConfig {
    let (api_hash, page_hash) = hashes().clone();
    MoitServerConfig {
        enabled: true,
        port: 0,
        api: Some(ApiOption { user_name: API_USER.into(), password_hash: api_hash, key_case: case, ..Default::default() }),
        page: Some(PageOption { password_hash: page_hash }),
        backoff,
        ..Default::default()
    }
}

/// Enough free failures that the tests which are not about the slow-down never meet it.
fn lenient() -> BackoffPolicy {
    BackoffPolicy { free_failures: 100, ..Default::default() }
}

async fn start(config: MoitServerConfig) -> MoitServer {
    serve(config, StoreSource::new(shop(), VisitsPeriod::AsEachDocumentSays).at(mid_year())).await.unwrap()
}

fn api_url(server: &MoitServer) -> String {
    format!("{}/api/baocao", server.base_url())
}

fn credentials(user: &str, password: &str) -> String {
    serde_json::json!({ "UserName": user, "PassWord": password }).to_string()
}

#[tokio::test]
async fn the_api_answers_the_nine_keys_in_camel_case() {
    let server = start(config(KeyCase::Camel, lenient())).await;
    let puller = Puller::new();
    let answer = puller.pull_api(&api_url(&server), API_USER, API_PASSWORD).await.unwrap();
    assert_eq!(answer.case, Case::Camel);
    assert_eq!(answer.values, [25, 4, 1, 5, 3, 5, 3, 1, 320_000]);
    assert!(answer.inconsistencies().is_empty());

    let raw = puller.post_raw(&api_url(&server), &credentials(API_USER, API_PASSWORD)).await.unwrap();
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(raw.content_type.as_deref(), Some("application/json; charset=utf-8"));
    // Exactly the guide's keys, in its order, misspelling included.
    let keys: Vec<&str> = raw.body.split('"').skip(1).step_by(2).collect();
    assert_eq!(keys, GUIDE_KEYS);
    assert_eq!(keys, API_KEYS);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_api_answers_pascal_case_when_configured() {
    let server = start(config(KeyCase::Pascal, lenient())).await;
    let puller = Puller::new();
    let answer = puller.pull_api(&api_url(&server), API_USER, API_PASSWORD).await.unwrap();
    assert_eq!(answer.case, Case::Pascal);
    assert_eq!(answer.values, [25, 4, 1, 5, 3, 5, 3, 1, 320_000]);
    let raw = puller.post_raw(&api_url(&server), &credentials(API_USER, API_PASSWORD)).await.unwrap();
    assert_eq!(
        raw.body,
        r#"{"SoLuongTruyCap":25,"SoNguoiBan":4,"SoNguoiBanMoi":1,"TongSoSanPham":5,"SoSanPhamMoi":3,"SoLuongGiaoDich":5,"TongSoDonHangThanhCong":3,"TongSoDongHangKhongThanhCong":1,"TongGiaTriGiaoDich":320000}"#
    );
}

#[tokio::test]
async fn the_api_refuses_with_the_right_status() {
    let server = start(config(KeyCase::Camel, lenient())).await;
    let puller = Puller::new();
    let url = api_url(&server);

    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let answer = puller.request_raw(method.clone(), &url).await.unwrap();
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    for bad_json in ["{\"UserName\": ", "UserName=x&PassWord=y", "[\"user\", \"pass\"]", "42"] {
        let answer = puller.post_raw(&url, bad_json).await.unwrap();
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad_json}");
        assert!(answer.body.contains("\"error\""));
    }
    for wrong in [
        credentials(API_USER, "sai-mật-khẩu"),
        credentials("người-khác", API_PASSWORD),
        credentials(API_USER, ""),
        "{}".to_string(),
        String::new(),
        serde_json::json!({ "UserName": API_USER, "PassWord": 123456 }).to_string(),
    ] {
        let answer = puller.post_raw(&url, &wrong).await.unwrap();
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{wrong}");
        assert!(!answer.body.contains("soLuongTruyCap"));
    }
    // The credential names are matched whatever their case.
    let lower = serde_json::json!({ "username": API_USER, "password": API_PASSWORD }).to_string();
    assert_eq!(puller.post_raw(&url, &lower).await.unwrap().status, StatusCode::OK);
    // Not another path.
    assert_eq!(puller.post_raw(&format!("{}/api/other", server.base_url()), "{}").await.unwrap().status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn repeated_failures_are_held_back_then_let_through() {
    let policy = BackoffPolicy { free_failures: 3, first_delay_ms: 1_000, max_delay_ms: 5_000 };
    let server = start(config(KeyCase::Camel, policy)).await;
    let puller = Puller::new();
    let url = api_url(&server);
    let wrong = credentials(API_USER, "đoán-mò");
    for _ in 0..3 {
        assert_eq!(puller.post_raw(&url, &wrong).await.unwrap().status, StatusCode::UNAUTHORIZED);
    }
    // Held back, even with the right password, without the password being checked.
    let right = credentials(API_USER, API_PASSWORD);
    let held = puller.post_raw(&url, &right).await.unwrap();
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(held.retry_after, Some(1));
    // The report page shares the hold: it is the same address guessing.
    let login = puller.post_form(&format!("{}/login", server.base_url()), &[("username", "BaocaoTMDT"), ("password", PAGE_PASSWORD)]).await.unwrap();
    assert_eq!(login.status, StatusCode::TOO_MANY_REQUESTS);

    tokio::time::sleep(Duration::from_millis(1_100)).await;
    // One more failure after the wait doubles the hold.
    assert_eq!(puller.post_raw(&url, &wrong).await.unwrap().status, StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(puller.post_raw(&url, &right).await.unwrap().status, StatusCode::TOO_MANY_REQUESTS, "a 2 s hold");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    // Let through once the hold is over; a success clears the record.
    assert_eq!(puller.post_raw(&url, &right).await.unwrap().status, StatusCode::OK);
    assert_eq!(puller.post_raw(&url, &wrong).await.unwrap().status, StatusCode::UNAUTHORIZED);
    assert_eq!(puller.post_raw(&url, &right).await.unwrap().status, StatusCode::OK);
}

#[tokio::test]
async fn behind_a_proxy_each_forwarded_address_is_held_back_on_its_own() {
    let policy = BackoffPolicy { free_failures: 2, first_delay_ms: 60_000, max_delay_ms: 60_000 };
    let server = start(MoitServerConfig { behind_proxy: true, ..config(KeyCase::Camel, policy) }).await;
    let client = reqwest::Client::new();
    let url = api_url(&server);
    let post = |from: &'static str, body: String| {
        client.post(&url).header("content-type", "application/json").header("x-forwarded-for", format!("198.51.100.9, {from}")).body(body).send()
    };
    for _ in 0..2 {
        assert_eq!(post("203.0.113.5", credentials(API_USER, "sai")).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(post("203.0.113.5", credentials(API_USER, API_PASSWORD)).await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    // The ministry, behind the same proxy, is not held back by someone else's guesses.
    assert_eq!(post("203.0.113.6", credentials(API_USER, API_PASSWORD)).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn the_report_page_needs_a_login_as_baocaotmdt() {
    let server = start(config(KeyCase::Camel, lenient())).await;
    let base = server.base_url();
    let puller = Puller::new();

    // No session: the report redirects to the login form.
    let report = puller.request_raw(Method::GET, &format!("{base}/baocao")).await.unwrap();
    assert_eq!(report.status, StatusCode::SEE_OTHER);
    assert_eq!(report.location.as_deref(), Some("/"));
    let form = puller.request_raw(Method::GET, &format!("{base}/")).await.unwrap();
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(form.body.contains("<form class=\"login\" method=\"post\" action=\"/login\">"));
    assert!(form.body.contains("BÁO CÁO SỐ LIỆU"));

    // Wrong password, wrong user, or the API's account: refused, no cookie.
    for (user, password) in [("BaocaoTMDT", "sai-mật-khẩu"), ("baocaotmdt", PAGE_PASSWORD), (API_USER, API_PASSWORD)] {
        let login = puller.post_form(&format!("{base}/login"), &[("username", user), ("password", password)]).await.unwrap();
        assert_eq!(login.status, StatusCode::UNAUTHORIZED, "{user}");
        assert!(login.set_cookie.is_empty());
        assert!(login.body.contains("Sai tên đăng nhập hoặc mật khẩu."));
    }
    let incomplete = puller.post_form(&format!("{base}/login"), &[("username", "BaocaoTMDT")]).await.unwrap();
    assert_eq!(incomplete.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        puller.request_raw(Method::GET, &format!("{base}/baocao")).await.unwrap().status,
        StatusCode::SEE_OTHER
    );

    // The right login: a random, HttpOnly, SameSite=Strict session cookie.
    let login = puller.post_form(&format!("{base}/login"), &[("username", "BaocaoTMDT"), ("password", PAGE_PASSWORD)]).await.unwrap();
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location.as_deref(), Some("/baocao"));
    assert_eq!(login.set_cookie.len(), 1);
    let cookie = &login.set_cookie[0];
    let token = cookie.strip_prefix("moit_session=").unwrap().split(';').next().unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    for attribute in ["; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=1800"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on 127.0.0.1 without a proxy saying https");

    let page = puller.request_raw(Method::GET, &format!("{base}/baocao")).await.unwrap();
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(page.body.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">"));
    let table = hoadon_sim_moit::parse_report_page(&page.body).unwrap();
    assert_eq!(table.heading, "BÁO CÁO SỐ LIỆU");
    assert_eq!(table.period_line, "Từ ngày 01/01/2026 – đến thời điểm truy cập");
    assert_eq!(table.columns, ["Tiêu chí", "Số lượng", "Diễn giải"]);
    let rows: Vec<(Option<&str>, &str, u64)> =
        table.rows.iter().map(|r| (r.group.as_deref(), r.criterion.as_str(), r.value)).collect();
    let sellers = Some("Số lượng người bán");
    let products = Some("Số lượng sản phầm");
    let orders = Some("Số lượng giao dịch");
    assert_eq!(
        rows,
        [
            (None, "Số lượng truy cập", 135),
            (sellers, "Tổng số người bán", 4),
            (sellers, "Số lượng người bán mới", 1),
            (products, "Tổng số sản phẩm (SKU)", 5),
            (products, "Số sản phẩm đăng bán mới", 3),
            (orders, "Tổng số đơn hàng", 5),
            (orders, "Tổng số đơn hàng thành công", 3),
            (orders, "Tổng số đơn hàng không thành công", 1),
            (None, "Tổng giá trị giao dịch", 320_000),
        ]
    );
    assert_eq!(table.rows[0].note, "(Tính từ thời điểm hoạt động đến thời điểm thống kê)");
    assert!(table.rows[1].explanation.as_deref().unwrap().contains("là tổng số người bán, nhà cung cấp"));

    // Once logged in, the form sends straight to the report; after logout, the report is
    // closed again even to someone replaying the old cookie.
    assert_eq!(puller.request_raw(Method::GET, &format!("{base}/")).await.unwrap().location.as_deref(), Some("/baocao"));
    let logout = puller.request_raw(Method::POST, &format!("{base}/logout")).await.unwrap();
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let replayed = replay.get(format!("{base}/baocao")).header("cookie", format!("moit_session={token}")).send().await.unwrap();
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    let forged = replay.get(format!("{base}/baocao")).header("cookie", format!("moit_session={}", "0".repeat(64))).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_simulated_ministry_reads_the_page_end_to_end() {
    let server = start(config(KeyCase::Camel, lenient())).await;
    let page = Puller::new().pull_page(&server.base_url(), PAGE_PASSWORD).await.unwrap();
    assert_eq!(page.rows.len(), 9);
    assert_eq!(page.rows.iter().map(|r| r.value).collect::<Vec<_>>(), [135, 4, 1, 5, 3, 5, 3, 1, 320_000]);
    let refused = Puller::new().pull_page(&server.base_url(), "sai-mật-khẩu").await.unwrap_err();
    assert!(refused.to_string().starts_with("HTTP 401"), "{refused}");
}

#[tokio::test]
async fn a_cookie_is_secure_when_the_proxy_says_https() {
    let server = start(MoitServerConfig { behind_proxy: true, ..config(KeyCase::Camel, lenient()) }).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = client
        .post(format!("{}/login", server.base_url()))
        .header("x-forwarded-proto", "https")
        .form(&[("username", "BaocaoTMDT"), ("password", PAGE_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

#[tokio::test]
async fn each_option_alone_serves_only_its_routes() {
    let api_only = start(MoitServerConfig { page: None, ..config(KeyCase::Camel, lenient()) }).await;
    let puller = Puller::new();
    assert_eq!(puller.request_raw(Method::GET, &format!("{}/", api_only.base_url())).await.unwrap().status, StatusCode::NOT_FOUND);
    assert!(puller.pull_api(&api_url(&api_only), API_USER, API_PASSWORD).await.is_ok());

    let page_only = start(MoitServerConfig { api: None, ..config(KeyCase::Camel, lenient()) }).await;
    assert_eq!(puller.post_raw(&api_url(&page_only), &credentials(API_USER, API_PASSWORD)).await.unwrap().status, StatusCode::NOT_FOUND);
    assert!(Puller::new().pull_page(&page_only.base_url(), PAGE_PASSWORD).await.is_ok());

    let custom_path = start(MoitServerConfig {
        api: Some(ApiOption { path: "/tmdt/thong-ke".into(), ..config(KeyCase::Camel, lenient()).api.unwrap() }),
        ..config(KeyCase::Camel, lenient())
    })
    .await;
    let url = format!("{}/tmdt/thong-ke", custom_path.base_url());
    assert!(puller.pull_api(&url, API_USER, API_PASSWORD).await.is_ok());
}

#[tokio::test]
async fn the_server_is_off_and_local_unless_configured() {
    let defaults = MoitServerConfig::default();
    assert!(!defaults.enabled);
    assert_eq!(defaults.bind_address, "127.0.0.1");
    assert_eq!(defaults.port, hoadon_moit::DEFAULT_PORT);
    let source = || StoreSource::new(shop(), VisitsPeriod::default());
    let off = serve(MoitServerConfig { enabled: false, ..config(KeyCase::Camel, lenient()) }, source()).await;
    assert!(off.unwrap_err().to_string().contains("đang tắt"));
    let nothing = serve(MoitServerConfig { enabled: true, port: 0, ..Default::default() }, source()).await;
    assert!(nothing.unwrap_err().to_string().contains("chưa chọn phương án"));
    let clash = MoitServerConfig {
        api: Some(ApiOption { path: "/login".into(), ..config(KeyCase::Camel, lenient()).api.unwrap() }),
        ..config(KeyCase::Camel, lenient())
    };
    assert!(serve(clash, source()).await.unwrap_err().to_string().contains("đường dẫn API"));
    let plain_password = MoitServerConfig { page: Some(PageOption { password_hash: PAGE_PASSWORD.into() }), ..config(KeyCase::Camel, lenient()) };
    assert!(serve(plain_password, source()).await.unwrap_err().to_string().contains("mã băm"));

    let server = start(config(KeyCase::Camel, lenient())).await;
    assert!(server.local_addr().ip().is_loopback());
    let url = api_url(&server);
    server.shutdown().await.unwrap();
    assert!(Puller::new().post_raw(&url, "{}").await.is_err(), "nothing listens after shutdown");
}

#[tokio::test]
async fn every_pull_sees_the_store_as_it_is_now() {
    let source = std::sync::Arc::new(StoreSource::new(shop(), VisitsPeriod::StartOfOperation).at(mid_year()));
    let shared = std::sync::Arc::clone(&source);
    let server = serve(config(KeyCase::Camel, lenient()), move || shared.current_report()).await.unwrap();
    let puller = Puller::new();
    let before = puller.pull_api(&api_url(&server), API_USER, API_PASSWORD).await.unwrap();
    assert_eq!(before.get("soLuongTruyCap"), Some(135), "visits from the start of operation, as set");
    source.store().set_visits(time::macros::date!(2026 - 06 - 15), 50).unwrap();
    let after = puller.pull_api(&api_url(&server), API_USER, API_PASSWORD).await.unwrap();
    assert_eq!(after.get("soLuongTruyCap"), Some(180));
}

#[test]
fn settings_are_kept_in_the_shops_database() {
    let store = shop();
    assert_eq!(MoitServerConfig::load(&store).unwrap(), MoitServerConfig::default());
    let config = config(KeyCase::Pascal, lenient());
    config.save(&store).unwrap();
    assert_eq!(MoitServerConfig::load(&store).unwrap(), config);
    let broken = MoitServerConfig { page: Some(PageOption { password_hash: "plain".into() }), ..config };
    assert!(broken.save(&store).is_err(), "an enabled server is checked before it is saved");
}

/// 200 wrong passwords at once from one address: only the free failures are checked, the
/// rest are held back before Argon2, and the ministry at another address still gets in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_guesses_from_one_address_checks_only_the_allowed_number() {
    let policy = BackoffPolicy::default();
    let server = start(config(KeyCase::Camel, policy)).await;
    let url = api_url(&server);
    let attacker = reqwest::Client::new();
    let started = std::time::Instant::now();
    let flood: Vec<_> = (0..200)
        .map(|i| {
            let request = attacker
                .post(&url)
                .header("content-type", "application/json")
                .body(credentials(API_USER, &format!("đoán-mò-{i}")))
                .send();
            tokio::spawn(async move { request.await.map(|r| r.status()) })
        })
        .collect();
    // The ministry, from 127.0.0.2, while the flood is under way (retrying a 503 as told).
    let ministry = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 2])).build().unwrap();
    let right = credentials(API_USER, API_PASSWORD);
    let asked = std::time::Instant::now();
    let answered = loop {
        let answer = ministry.post(&url).header("content-type", "application/json").body(right.clone()).send().await.unwrap();
        if answer.status() != StatusCode::SERVICE_UNAVAILABLE {
            break answer.status();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let ministry_took = asked.elapsed();
    let mut statuses = std::collections::BTreeMap::<u16, u32>::new();
    for request in flood {
        *statuses.entry(request.await.unwrap().unwrap().as_u16()).or_default() += 1;
    }
    let flood_took = started.elapsed();
    let checked = server.passwords_checked();
    println!(
        "flood of 200: {flood_took:?}, statuses {statuses:?}, passwords checked {checked} (1 of them the ministry's); the ministry answered {answered} in {ministry_took:?}"
    );
    assert_eq!(answered, StatusCode::OK);
    assert!(ministry_took < Duration::from_secs(5), "{ministry_took:?}");
    let wrong_checked = checked - 1;
    assert!(wrong_checked <= u64::from(policy.free_failures), "{wrong_checked} wrong passwords checked");
    assert_eq!(u64::from(statuses.get(&401).copied().unwrap_or(0)), wrong_checked, "{statuses:?}");
    assert_eq!(statuses.values().sum::<u32>(), 200);
    assert!(statuses.keys().all(|s| [401, 429, 503].contains(s)), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_checks_beyond_the_limit_are_refused_with_503_not_queued() {
    let server = start(config(KeyCase::Camel, lenient())).await;
    let url = api_url(&server);
    let client = reqwest::Client::new();
    let requests: Vec<_> = (0..40)
        .map(|_| {
            let request = client.post(&url).header("content-type", "application/json").body(credentials(API_USER, "sai")).send();
            tokio::spawn(request)
        })
        .collect();
    let mut busy = 0;
    let mut wrong = 0;
    for request in requests {
        let answer = request.await.unwrap().unwrap();
        match answer.status() {
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert_eq!(answer.headers()["retry-after"], "1");
            }
            StatusCode::UNAUTHORIZED => wrong += 1,
            other => panic!("{other}"),
        }
    }
    assert!(busy > 0, "40 checks at once exceed the {} allowed", hoadon_moit::MAX_VERIFICATIONS);
    assert_eq!(server.passwords_checked(), wrong, "a 503 checks nothing");
    // A refusal for being busy is not a failure: the address is not held back for it.
    let right = credentials(API_USER, API_PASSWORD);
    assert_eq!(Puller::new().post_raw(&url, &right).await.unwrap().status, StatusCode::OK);
}

#[tokio::test]
async fn the_api_wants_json_and_nothing_else() {
    let server = start(config(KeyCase::Camel, lenient())).await;
    let url = api_url(&server);
    let client = reqwest::Client::new();
    let right = credentials(API_USER, API_PASSWORD);
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("multipart/form-data; boundary=x")] {
        let mut request = client.post(&url).body(right.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?}");
    }
    assert_eq!(server.passwords_checked(), 0, "no password checked without JSON");
    for content_type in ["application/json", "application/json; charset=utf-8", "Application/JSON"] {
        let answer = client.post(&url).header("content-type", content_type).body(right.clone()).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{content_type}");
    }
}

#[tokio::test]
async fn parallel_guesses_reserve_their_attempts_before_the_check() {
    // 3 free failures, 12 guesses at once: never more than 3 are checked.
    let policy = BackoffPolicy { free_failures: 3, first_delay_ms: 60_000, max_delay_ms: 60_000 };
    let server = start(config(KeyCase::Camel, policy)).await;
    let url = api_url(&server);
    let client = reqwest::Client::new();
    let guesses: Vec<_> = (0..12)
        .map(|_| tokio::spawn(client.post(&url).header("content-type", "application/json").body(credentials(API_USER, "sai")).send()))
        .collect();
    for guess in guesses {
        let status = guess.await.unwrap().unwrap().status();
        assert!([StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS, StatusCode::SERVICE_UNAVAILABLE].contains(&status), "{status}");
    }
    assert!(server.passwords_checked() <= 3, "{}", server.passwords_checked());
}

#[tokio::test]
async fn the_host_header_must_name_this_server() {
    let server = start(MoitServerConfig { public_host: "baocao.shop.vn".into(), ..config(KeyCase::Camel, lenient()) }).await;
    let url = api_url(&server);
    let port = server.local_addr().port();
    let client = reqwest::Client::new();
    let right = credentials(API_USER, API_PASSWORD);
    let with_host = |host: String| client.post(&url).header("host", host).header("content-type", "application/json").body(right.clone()).send();
    for good in [format!("127.0.0.1:{port}"), "localhost".into(), format!("LOCALHOST:{port}"), "[::1]:8787".into(), "baocao.shop.vn".into(), "BaoCao.Shop.VN:443".into()] {
        assert_eq!(with_host(good.clone()).await.unwrap().status(), StatusCode::OK, "{good}");
    }
    for bad in ["evil.example", "baocao.shop.vn.evil.example", "127.0.0.1.nip.io", "shop.vn", "192.168.1.5"] {
        assert_eq!(with_host(bad.into()).await.unwrap().status(), StatusCode::MISDIRECTED_REQUEST, "{bad}");
    }
    // The page too, and without a Host at all (HTTP/1.0 over a raw socket): 400.
    let page = client.get(format!("{}/", server.base_url())).header("host", "evil.example").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::MISDIRECTED_REQUEST);
    let answer = raw_exchange(&server, b"GET / HTTP/1.0\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.0 400") || answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_eq!(server.passwords_checked(), 6, "only the right hosts reached the check");
}

async fn raw_exchange(server: &MoitServer, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_sending_half_a_header_is_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let timeouts = hoadon_moit::ServerTimeouts {
        header_read: Duration::from_millis(300),
        idle: Duration::from_millis(600),
        lifetime: Duration::from_secs(60),
    };
    let server = start(MoitServerConfig { timeouts, ..config(KeyCase::Camel, lenient()) }).await;
    // Half a header, then a byte now and then (never idle): closed at the header deadline.
    let mut slow = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let started = std::time::Instant::now();
    slow.write_all(b"POST /api/baocao HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
    let mut buf = [0u8; 256];
    let closed = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if slow.write_all(b"X").await.is_err() {
            break started.elapsed();
        }
        match tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break started.elapsed(),
            _ => {}
        }
        assert!(started.elapsed() < Duration::from_secs(5), "still open after 5 s");
    };
    assert!(closed >= Duration::from_millis(250) && closed < Duration::from_secs(2), "{closed:?}");

    // A complete request is answered; the idle connection after it is then closed.
    let mut idle = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    idle.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.unwrap();
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut rest)).await.expect("closed when idle");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    // The server still answers.
    assert!(Puller::new().pull_api(&api_url(&server), API_USER, API_PASSWORD).await.is_ok());
}

#[tokio::test]
async fn listening_beyond_loopback_needs_an_explicit_confirmation() {
    let source = || StoreSource::new(shop(), VisitsPeriod::default());
    for address in ["0.0.0.0", "::", "192.168.1.5"] {
        let exposed = MoitServerConfig { bind_address: address.into(), ..config(KeyCase::Camel, lenient()) };
        let refused = hoadon_moit::validate_config(&exposed).unwrap_err().to_string();
        assert!(refused.contains("HTTPS") && refused.contains("xác nhận"), "{refused}");
        assert!(serve(exposed, source()).await.is_err());
    }
    for loopback in ["127.0.0.1", "127.0.0.2", "::1"] {
        let local = MoitServerConfig { bind_address: loopback.into(), ..config(KeyCase::Camel, lenient()) };
        assert!(hoadon_moit::validate_config(&local).is_ok(), "{loopback}");
    }
    let confirmed = MoitServerConfig { bind_address: "0.0.0.0".into(), expose_confirmed: true, ..config(KeyCase::Camel, lenient()) };
    assert!(hoadon_moit::validate_config(&confirmed).is_ok());
    let server = serve(confirmed, source()).await.unwrap();
    let url = format!("http://127.0.0.1:{}/api/baocao", server.local_addr().port());
    assert_eq!(Puller::new().post_raw(&url, &credentials(API_USER, API_PASSWORD)).await.unwrap().status, StatusCode::OK);
}

#[tokio::test]
async fn a_login_form_on_another_site_is_refused() {
    let server = start(config(KeyCase::Camel, lenient())).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = format!("{}/login", server.base_url());
    let form = [("username", "BaocaoTMDT"), ("password", PAGE_PASSWORD)];
    for origin in ["https://evil.example", "null", "http://127.0.0.1.evil.example"] {
        let answer = client.post(&login).header("origin", origin).form(&form).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{origin}");
    }
    assert_eq!(server.passwords_checked(), 0);
    let own = format!("http://{}", server.local_addr());
    let answer = client.post(&login).header("origin", own).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER, "the page's own form");
}
