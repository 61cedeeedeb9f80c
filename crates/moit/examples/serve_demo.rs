//! Serves both options over a shop database, for trying the ministry's side by hand:
//!
//! ```text
//! cargo run -p hoadon-moit --example serve_demo -- [DB_FILE or -] [PORT]
//! sim-moit api  http://127.0.0.1:8787/api/baocao bocongthuong matkhau-api-demo
//! sim-moit page http://127.0.0.1:8787 matkhau-trang-demo
//! ```
//!
//! Without a file, an in-memory shop with a few records of this year is used. It stops
//! after ten minutes, or at Ctrl-C.

use std::time::Duration;

use hoadon_moit::{ApiOption, MoitServerConfig, PageOption, StoreSource, VisitsPeriod, hash_password, serve};
use hoadon_rules::{Dong, Quantity, VatRate, calendar};
use hoadon_store::{NewSale, NewSaleLine, SaleStatus, ShopProfile, Store};

fn demo_store() -> Store {
    let store = Store::open_in_memory().expect("in-memory store");
    let now = calendar::now().unix_timestamp();
    let year_start = calendar::start_of_year(calendar::date_of(now).year());
    store
        .save_shop(&ShopProfile { name: "Cửa hàng thử".into(), started_at: year_start - 90 * 86_400, ..Default::default() })
        .expect("shop");
    let sales: Vec<NewSale> = (0..40)
        .map(|i| NewSale {
            customer_id: None,
            seller_id: None,
            status: [SaleStatus::Completed, SaleStatus::Completed, SaleStatus::Failed, SaleStatus::Pending][i % 4],
            sold_at: year_start + (now - year_start) * i as i64 / 40,
            note: String::new(),
            lines: vec![NewSaleLine {
                product_id: None,
                name: "Trà".into(),
                unit: "gói".into(),
                quantity: Quantity::whole(1 + i as i64 % 3),
                unit_price: Dong(85_000),
                vat_rate: VatRate::Kct,
            }],
        })
        .collect();
    store.add_sales(&sales).expect("sales");
    store.set_visits(calendar::date_of(now), 321).expect("visits");
    store
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let store = match args.first() {
        Some(path) if path != "-" => Store::open(path).expect("the database opens"),
        _ => demo_store(),
    };
    let port = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(hoadon_moit::DEFAULT_PORT);
    let config = MoitServerConfig {
        enabled: true,
        port,
        api: Some(ApiOption {
            user_name: "bocongthuong".into(),
            password_hash: hash_password("matkhau-api-demo").expect("hash"),
            ..Default::default()
        }),
        page: Some(PageOption { password_hash: hash_password("matkhau-trang-demo").expect("hash") }),
        ..Default::default()
    };
    let server = serve(config, StoreSource::new(store, VisitsPeriod::default())).await.expect("the server starts");
    println!("MOIT report server on {} (API {}/api/baocao, page {}/)", server.local_addr(), server.base_url(), server.base_url());
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = tokio::time::sleep(Duration::from_secs(600)) => {}
    }
    server.shutdown().await.expect("clean stop");
}
