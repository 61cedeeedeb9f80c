//! Whatever a window or the CLI sends — any year, timestamp, amount, quantity, name with
//! control characters or a 10 000-character field — core answers with a result, never a panic.

use hoadon_core::store::{CustomerKind, SaleStatus};
use hoadon_core::{CustomerForm, ProductForm, SaleForm, SaleLineForm, Shop};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,20}",
        "[\\x00-\\x1f\\x7f\u{200b}\u{202e}a-zđ ]{0,20}",
        Just("x".repeat(10_000)),
        Just("1".repeat(10_000)),
        "-?[0-9]{0,25}([.,][0-9]{0,6})?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn core_inputs_never_panic(
        year in any::<i32>(),
        sold_at in prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX), 946_659_600i64..4_133_955_600i64],
        name in text(), quantity in text(), price in text(), rate in text(), note in text(), tax in text(),
    ) {
        let mut shop = Shop::open_in_memory().unwrap();
        let _ = shop.moit_year_report(year);
        let product = ProductForm { sku: tax.clone(), name: name.clone(), unit: note.clone(), unit_price: price.clone(), vat_rate: rate.clone() };
        let _ = shop.save_product(None, &product);
        let line = SaleLineForm { product_id: None, name: name.clone(), unit: note.clone(), quantity, unit_price: price, vat_rate: rate };
        let _ = shop.preview_sale(std::slice::from_ref(&line));
        let form = SaleForm { customer_id: None, status: SaleStatus::Completed, note: note.clone(), lines: vec![line], sold_at: Some(sold_at) };
        let _ = shop.save_sale(&form);
        let customer = CustomerForm { kind: CustomerKind::Business, name, buyer_name: note.clone(), tax_code: tax, address: note.clone(), email: note.clone(), phone: note };
        let _ = shop.save_customer(None, &customer);
    }
}

#[test]
fn out_of_range_years_and_moments_are_refused_in_vietnamese() {
    let mut shop = Shop::open_in_memory().unwrap();
    for year in [10_000, 1999, 2101, -1, i32::MAX] {
        let e = shop.moit_year_report(year).unwrap_err().to_app_error();
        assert_eq!(e.fields[0].field, "year", "{year}");
        assert!(e.fields[0].message.contains("2000–2100"), "{}", e.fields[0].message);
    }
    let line = SaleLineForm { product_id: None, name: "Bàn".into(), unit: "cái".into(), quantity: "1".into(), unit_price: "1.000".into(), vat_rate: "10".into() };
    for at in [i64::MIN, -1, 0, i64::MAX] {
        let form = SaleForm { customer_id: None, status: SaleStatus::Completed, note: String::new(), lines: vec![line.clone()], sold_at: Some(at) };
        let e = shop.save_sale(&form).unwrap_err().to_app_error();
        assert_eq!(e.fields[0].field, "sold_at");
    }
    assert_eq!(shop.store().count_sales().unwrap(), 0);
}
