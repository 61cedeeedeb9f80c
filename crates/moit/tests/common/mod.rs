//! The fixed shop every test reads: records placed on both sides of each boundary the
//! report has (the turn of the year, the moment of the statistics), so each figure below
//! is known exactly.
#![allow(dead_code)]

use hoadon_rules::calendar::{start_of_day, start_of_year};
use hoadon_rules::{Dong, Quantity, VatRate};
use hoadon_store::{NewProduct, NewSale, NewSaleLine, NewSeller, SaleStatus, ShopProfile, Store};
use time::macros::date;
use time::{Date, PrimitiveDateTime, Time};

pub const YEAR: i32 = 2026;

/// dd/MM/yyyy HH:mm:ss in Vietnam, as Unix seconds.
pub fn at(day: Date, h: u8, m: u8, s: u8) -> i64 {
    PrimitiveDateTime::new(day, Time::from_hms(h, m, s).unwrap())
        .assume_offset(hoadon_rules::calendar::VIETNAM)
        .unix_timestamp()
}

/// 15/06/2026 12:00:00 +07: the moment of the mid-year report.
pub fn mid_year() -> i64 {
    at(date!(2026 - 06 - 15), 12, 0, 0)
}

pub fn started_at() -> i64 {
    start_of_day(date!(2025 - 03 - 01))
}

/// 31/12/2025 23:59:59 +07 and 01/01/2026 00:00:00 +07.
pub fn last_second_of_2025() -> i64 {
    start_of_year(YEAR) - 1
}

pub fn first_second_of_2026() -> i64 {
    start_of_year(YEAR)
}

fn sale(status: SaleStatus, sold_at: i64, total: i64) -> NewSale {
    NewSale {
        customer_id: None,
        seller_id: None,
        status,
        sold_at,
        note: String::new(),
        // Not subject to VAT, so the sale's total is exactly the price.
        lines: vec![NewSaleLine {
            product_id: None,
            name: "Trà Thái Nguyên".into(),
            unit: "gói".into(),
            quantity: Quantity::whole(1),
            unit_price: Dong(total),
            vat_rate: VatRate::Kct,
        }],
    }
}

/// The shop:
/// - started 01/03/2025; sellers: the shop itself (from its start), B 10/06/2025, D at
///   31/12/2025 23:59:59, C at 01/01/2026 00:00:00, E 01/07/2026;
/// - products: 01/04/2025, 31/12/2025 23:59:59, 01/01/2026 00:00:00, 10/03/2026,
///   15/06/2026 12:00:00 (the mid-year moment itself), 15/06/2026 12:00:01;
/// - sales: see [`SALES`];
/// - visits: 01/05/2025 100, 31/12/2025 10, 01/01/2026 20, 15/06/2026 5, 16/06/2026 1000.
pub fn shop() -> Store {
    let store = Store::open_in_memory().unwrap();
    store
        .save_shop(&ShopProfile {
            name: "Cửa hàng Trà Đặng Hưởng".into(),
            tax_code: None,
            address: String::new(),
            phone: String::new(),
            email: String::new(),
            bank_account: String::new(),
            is_demo: false,
            started_at: started_at(),
        })
        .unwrap();
    for (name, created_at) in [
        ("Gian hàng B", at(date!(2025 - 06 - 10), 9, 0, 0)),
        ("Gian hàng D", last_second_of_2025()),
        ("Gian hàng C", first_second_of_2026()),
        ("Gian hàng E", at(date!(2026 - 07 - 01), 8, 0, 0)),
    ] {
        store.add_seller(&NewSeller { name: name.into(), tax_code: None, created_at: Some(created_at) }).unwrap();
    }
    for (i, created_at) in [
        at(date!(2025 - 04 - 01), 10, 0, 0),
        last_second_of_2025(),
        first_second_of_2026(),
        at(date!(2026 - 03 - 10), 15, 0, 0),
        mid_year(),
        mid_year() + 1,
    ]
    .into_iter()
    .enumerate()
    {
        store
            .add_product(&NewProduct {
                sku: format!("SP{i:03}"),
                name: format!("Sản phẩm {i}"),
                unit: "gói".into(),
                unit_price: Dong(10_000),
                vat_rate: VatRate::Kct,
                seller_id: None,
                created_at: Some(created_at),
            })
            .unwrap();
    }
    let sales: Vec<NewSale> = SALES.iter().map(|&(status, moment, total)| sale(status, moment(), total)).collect();
    store.add_sales(&sales).unwrap();
    for (day, visits) in [
        (date!(2025 - 05 - 01), 100),
        (date!(2025 - 12 - 31), 10),
        (date!(2026 - 01 - 01), 20),
        (date!(2026 - 06 - 15), 5),
        (date!(2026 - 06 - 16), 1000),
    ] {
        store.set_visits(day, visits).unwrap();
    }
    store
}

type Moment = fn() -> i64;

/// (status, moment, total in đồng).
pub const SALES: [(SaleStatus, Moment, i64); 9] = [
    // Last second of 2025: belongs to 2025, never to 2026.
    (SaleStatus::Completed, last_second_of_2025, 1_000_000),
    // First second of 2026: counted.
    (SaleStatus::Completed, first_second_of_2026, 200_000),
    (SaleStatus::Failed, || at(date!(2026 - 02 - 10), 10, 0, 0), 300_000),
    (SaleStatus::Pending, || at(date!(2026 - 03 - 05), 9, 30, 0), 400_000),
    (SaleStatus::Completed, || at(date!(2026 - 03 - 20), 18, 0, 0), 50_000),
    // At the mid-year moment exactly: included in the mid-year report.
    (SaleStatus::Completed, mid_year, 70_000),
    // One second later: left out of it.
    (SaleStatus::Completed, || mid_year() + 1, 90_000),
    (SaleStatus::Failed, || start_of_year(YEAR + 1) - 1, 600_000),
    // 01/01/2027 00:00:00: the next year.
    (SaleStatus::Completed, || start_of_year(YEAR + 1), 5_000_000),
];
