//! The nine figures on the fixed shop, to the unit.

mod common;

use common::*;
use hoadon_moit::{
    ApiFigures, KeyCase, MoitError, Since, VisitsPeriod, as_of_for_year, end_of_year, report,
};
use hoadon_rules::calendar::start_of_year;
use hoadon_store::{NewSeller, Store};
use time::macros::date;

fn values(r: &hoadon_moit::MoitReport) -> [i64; 9] {
    ApiFigures::of(r).values()
}

#[test]
fn mid_year_figures_are_exact() {
    let store = shop();
    let r = report(&store, YEAR, mid_year()).unwrap();
    assert_eq!(r.year, 2026);
    assert_eq!(r.as_of, mid_year());
    assert_eq!(r.started_at, started_at());
    assert_eq!(r.shop_name.as_deref(), Some("Cửa hàng Trà Đặng Hưởng"));

    // Sellers: the shop, B, D (31/12/2025 23:59:59) and C (01/01/2026 00:00:00); E joins
    // after the moment. Only C is new this year.
    assert_eq!(r.sellers_total.value, 4);
    assert_eq!(r.sellers_new.value, 1);
    // Products: five up to 15/06 12:00:00 included; new: 01/01 00:00:00, 10/03, 15/06 12:00:00.
    assert_eq!(r.products_total.value, 5);
    assert_eq!(r.products_new.value, 3);
    // Orders from 01/01 00:00:00 to 15/06 12:00:00: 200 000 ✓, 300 000 ✗, 400 000 pending,
    // 50 000 ✓, 70 000 ✓ (at the moment itself).
    assert_eq!(r.orders_total.value, 5);
    assert_eq!(r.orders_successful.value, 3);
    assert_eq!(r.orders_failed.value, 1);
    assert_eq!(r.orders_pending.value, 1);
    // Only successful orders carry value: not the failed 300 000, not the pending 400 000,
    // not the 1 000 000 of 31/12/2025 23:59:59, not the 90 000 one second after the moment.
    assert_eq!(r.transaction_value.value, 320_000);

    // Visits per day, the day of the moment included, the next day not.
    assert_eq!(r.visits_since_start_of_year.value, 20 + 5);
    assert_eq!(r.visits_since_start_of_operation.value, 100 + 10 + 20 + 5);
    assert_eq!(values(&r), [25, 4, 1, 5, 3, 5, 3, 1, 320_000]);
}

#[test]
fn every_figure_says_its_period() {
    let r = report(&shop(), YEAR, mid_year()).unwrap();
    let year = (Since::StartOfYear, start_of_year(YEAR), mid_year());
    let operation = (Since::StartOfOperation, started_at(), mid_year());
    let period = |f: hoadon_moit::Figure| (f.since, f.from, f.to);
    assert_eq!(period(r.sellers_total), operation);
    assert_eq!(period(r.products_total), operation);
    assert_eq!(period(r.visits_since_start_of_operation), operation);
    for f in [
        r.sellers_new,
        r.products_new,
        r.orders_total,
        r.orders_successful,
        r.orders_failed,
        r.orders_pending,
        r.transaction_value,
        r.visits_since_start_of_year,
    ] {
        assert_eq!(period(f), year);
    }
}

#[test]
fn the_visits_setting_picks_the_period_of_each_output() {
    let r = report(&shop(), YEAR, mid_year()).unwrap();
    // By default each output follows its own document.
    assert_eq!(r.visits_period, VisitsPeriod::AsEachDocumentSays);
    assert_eq!((r.api_visits.value, r.api_visits.since), (25, Since::StartOfYear));
    assert_eq!((r.page_visits.value, r.page_visits.since), (135, Since::StartOfOperation));

    let from_year = r.clone().with_visits_period(VisitsPeriod::StartOfYear);
    assert_eq!((from_year.api_visits.value, from_year.page_visits.value), (25, 25));
    assert_eq!(from_year.page_visits.since, Since::StartOfYear);
    let from_start = r.with_visits_period(VisitsPeriod::StartOfOperation);
    assert_eq!((from_start.api_visits.value, from_start.page_visits.value), (135, 135));
    assert_eq!(ApiFigures::of(&from_start).visits, 135);
}

#[test]
fn the_whole_year_includes_its_last_second_and_not_the_next_year() {
    let store = shop();
    let r = report(&store, YEAR, end_of_year(YEAR)).unwrap();
    // + E (01/07/2026); + the product of 12:00:01; + 90 000 ✓ and 600 000 ✗ at 31/12/2026
    // 23:59:59; the 5 000 000 of 01/01/2027 00:00:00 stays out.
    assert_eq!(values(&r), [1025, 5, 2, 6, 4, 7, 4, 2, 410_000]);
    assert_eq!(r.visits_since_start_of_operation.value, 1135);

    // The last year: its last second's sale is in it, the first second of 2026 is not.
    let last = report(&store, YEAR - 1, end_of_year(YEAR - 1)).unwrap();
    assert_eq!(last.orders_total.value, 1);
    assert_eq!(last.transaction_value.value, 1_000_000);
    // Sellers: the shop, B, D; all three joined in 2025.
    assert_eq!((last.sellers_total.value, last.sellers_new.value), (3, 3));
    assert_eq!((last.products_total.value, last.products_new.value), (2, 2));
    assert_eq!(last.visits_since_start_of_year.value, 110);
}

#[test]
fn months_add_up_to_the_year() {
    let r = report(&shop(), YEAR, mid_year()).unwrap();
    assert_eq!(r.months.len(), 12);
    let orders: Vec<i64> = r.months.iter().map(|m| m.orders).collect();
    assert_eq!(orders, [1, 1, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    let value: Vec<i64> = r.months.iter().map(|m| m.value).collect();
    assert_eq!(value, [200_000, 0, 50_000, 0, 0, 70_000, 0, 0, 0, 0, 0, 0]);
    assert_eq!(r.months[1].failed, 1);
    assert_eq!(r.months[2].successful, 1);
    assert_eq!(r.months[0].from, start_of_year(YEAR));
    assert_eq!(r.months[5].to, mid_year(), "the current month ends at the moment");
    assert!(r.months[6].to < r.months[6].from, "a month after the moment is empty");
    assert_eq!(r.months[11].from, at(date!(2026 - 12 - 01), 0, 0, 0));
}

#[test]
fn the_moment_must_fall_in_the_year() {
    let store = shop();
    assert!(matches!(report(&store, YEAR, last_second_of_2025()), Err(MoitError::OutsideYear { .. })));
    assert!(matches!(report(&store, YEAR, start_of_year(YEAR + 1)), Err(MoitError::OutsideYear { .. })));
    assert_eq!(as_of_for_year(YEAR, mid_year()), Some(mid_year()));
    assert_eq!(as_of_for_year(YEAR - 1, mid_year()), Some(last_second_of_2025()));
    assert_eq!(as_of_for_year(YEAR + 1, mid_year()), None);
    let err = report(&store, YEAR, last_second_of_2025()).unwrap_err().to_string();
    assert_eq!(err, "thời điểm thống kê 31/12/2025 23:59:59 không thuộc năm 2026");
}

#[test]
fn a_record_older_than_the_shops_start_moves_the_start_of_operation() {
    let store = shop();
    let older = at(date!(2024 - 11 - 20), 8, 0, 0);
    store.add_seller(&NewSeller { name: "Gian hàng cũ".into(), tax_code: None, created_at: Some(older) }).unwrap();
    let r = report(&store, YEAR, mid_year()).unwrap();
    assert_eq!(r.started_at, older);
    assert_eq!(r.sellers_total.from, older);
    assert_eq!(r.sellers_total.value, 5);
}

#[test]
fn an_empty_shop_reports_zeros() {
    let store = Store::open_in_memory().unwrap();
    let now = mid_year();
    let r = report(&store, YEAR, now).unwrap();
    // The store creates the shop's own seller when the database is made (now, in real
    // time): it is counted only if the database was made before the moment.
    let v = values(&r);
    assert_eq!(&v[3..], &[0, 0, 0, 0, 0, 0]);
    assert_eq!(v[0], 0);
    assert!(r.started_at <= now);
}

#[test]
fn the_json_answer_has_the_guides_keys_in_order() {
    let r = report(&shop(), YEAR, mid_year()).unwrap();
    let figures = ApiFigures::of(&r);
    assert_eq!(
        figures.to_json(KeyCase::Camel),
        r#"{"soLuongTruyCap":25,"soNguoiBan":4,"soNguoiBanMoi":1,"tongSoSanPham":5,"soSanPhamMoi":3,"soLuongGiaoDich":5,"tongSoDonHangThanhCong":3,"tongSoDongHangKhongThanhCong":1,"tongGiaTriGiaoDich":320000}"#
    );
    assert_eq!(
        figures.to_json(KeyCase::Pascal),
        r#"{"SoLuongTruyCap":25,"SoNguoiBan":4,"SoNguoiBanMoi":1,"TongSoSanPham":5,"SoSanPhamMoi":3,"SoLuongGiaoDich":5,"TongSoDonHangThanhCong":3,"TongSoDongHangKhongThanhCong":1,"TongGiaTriGiaoDich":320000}"#
    );
    let answer = hoadon_sim_moit::validate_api_answer(&figures.to_json_pretty(KeyCase::Camel)).unwrap();
    assert!(answer.inconsistencies().is_empty());
}
