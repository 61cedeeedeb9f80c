//! The demo shop filled on first start: only into an empty shop, once, and the same data for the same moment.

use hoadon_core::rules::calendar;
use hoadon_core::store::SaleStatus;
use hoadon_core::{SalesQuery, Shop};

#[test]
fn demo_data_fills_an_empty_shop_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut shop = Shop::open(dir.path().join("shop.db")).unwrap();
    let now = calendar::start_of_year(2026) + 200 * 86_400;
    let summary = shop.fill_demo_data(now).unwrap().expect("an empty shop is filled");
    assert_eq!((summary.products, summary.customers, summary.sellers, summary.sales), (20, 10, 3, 200));
    assert!(shop.fill_demo_data(now).unwrap().is_none(), "a shop with data is left alone");

    let profile = shop.profile().unwrap().unwrap();
    assert!(profile.is_demo);
    assert!(profile.name.contains("dữ liệu mẫu"));

    let all = shop.sales(&SalesQuery { search: String::new(), from: String::new(), to: String::new(), status: None }).unwrap();
    assert_eq!(all.len(), 200);
    let this_year = all.iter().filter(|s| s.sold_at >= calendar::start_of_year(2026)).count();
    assert!(this_year > 50 && this_year < 150, "spread over two years: {this_year} this year");
    assert!(all.iter().all(|s| s.sold_at <= now));
    assert!(all.iter().any(|s| s.status == SaleStatus::Failed));
    assert!(all.iter().all(|s| s.total.0 > 0));
    let businesses = shop.customers("").unwrap().into_iter().filter(|c| c.tax_code.is_some()).count();
    assert!(businesses >= 6);
    shop.store().integrity_check().unwrap();
}

#[test]
fn demo_data_is_the_same_for_the_same_moment() {
    let now = calendar::start_of_year(2026) + 100 * 86_400;
    let totals = |_: ()| {
        let mut shop = Shop::open_in_memory().unwrap();
        shop.fill_demo_data(now).unwrap();
        shop.sales(&SalesQuery::default()).unwrap().iter().map(|s| (s.sold_at, s.total.0)).collect::<Vec<_>>()
    };
    assert_eq!(totals(()), totals(()));
}
