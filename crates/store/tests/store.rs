//! The store on a real temporary database file.

use hoadon_rules::{Dong, Quantity, TaxCode, VatRate};
use hoadon_store::*;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("data").join("shop.db")).unwrap();
    store
        .save_shop(&ShopProfile { name: "Cửa hàng Hoa Mai".into(), started_at: 1_700_000_000, ..Default::default() })
        .unwrap();
    (dir, store)
}

fn line(name: &str, qty: i64, price: i64, rate: VatRate) -> NewSaleLine {
    NewSaleLine { product_id: None, name: name.into(), unit: "cái".into(), quantity: Quantity(qty), unit_price: Dong(price), vat_rate: rate }
}

fn business() -> NewCustomer {
    NewCustomer {
        kind: CustomerKind::Business,
        name: "Công ty TNHH Ánh Dương".into(),
        buyer_name: "Trần Văn Bình".into(),
        tax_code: Some(TaxCode::parse("0100109106").unwrap()),
        address: "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh".into(),
        email: "ketoan@anhduong.vn".into(),
        phone: "0909123456".into(),
    }
}

#[test]
fn opens_in_wal_with_foreign_keys() {
    let (_dir, store) = open();
    let mode: String = store.connection().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store.connection().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = store.connection().query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "FULL");
    store.integrity_check().unwrap();
    assert_eq!(store.migration_report().to_version, SCHEMA_VERSION);
}

#[test]
fn keeps_customers_and_finds_them() {
    let (_dir, store) = open();
    let c = store.add_customer(&business()).unwrap();
    assert_eq!(c.tax_code.as_deref(), Some("0100109106"));
    assert_eq!(c.kind, CustomerKind::Business);
    let person = store
        .add_customer(&NewCustomer {
            kind: CustomerKind::Person,
            name: "Nguyễn Thị Ánh Tuyết".into(),
            buyer_name: String::new(),
            tax_code: None,
            address: String::new(),
            email: String::new(),
            phone: "0912000111".into(),
        })
        .unwrap();
    assert_eq!(store.customers("").unwrap().len(), 2);
    assert_eq!(store.customers("Ánh Tuyết").unwrap(), vec![person.clone()]);
    assert_eq!(store.customers("0100109").unwrap()[0].id, c.id);
    assert_eq!(store.customers_with_tax_code("0100109106").unwrap().len(), 1);

    let mut changed = business();
    changed.address = "99 Nguyễn Huệ".into();
    let updated = store.update_customer(c.id, &changed).unwrap();
    assert_eq!(updated.address, "99 Nguyễn Huệ");
    assert!(matches!(store.update_customer(9999, &changed), Err(StoreError::NotFound { .. })));
}

#[test]
fn products_have_unique_skus() {
    let (_dir, store) = open();
    let p = NewProduct {
        sku: "CF-01".into(),
        name: "Cà phê rang xay 500g".into(),
        unit: "gói".into(),
        unit_price: Dong(125_000),
        vat_rate: VatRate::Eight,
        seller_id: None,
        created_at: None,
    };
    let saved = store.add_product(&p).unwrap();
    assert_eq!(saved.vat_rate, VatRate::Eight);
    assert_eq!(saved.seller_id, 1);
    assert!(matches!(store.add_product(&p), Err(StoreError::DuplicateSku(s)) if s == "CF-01"));
    assert_eq!(store.products("rang").unwrap().len(), 1);
}

#[test]
fn a_sale_keeps_its_lines_and_totals() {
    let (_dir, store) = open();
    let c = store.add_customer(&business()).unwrap();
    let sale = store
        .add_sale(&NewSale {
            customer_id: Some(c.id),
            seller_id: None,
            status: SaleStatus::Completed,
            sold_at: 1_770_000_000,
            note: String::new(),
            lines: vec![
                line("Bàn gỗ sồi", 2_000, 1_500_000, VatRate::Ten),
                line("Ghế đệm", 4_000, 350_000, VatRate::Eight),
                line("Chiết khấu", -1_000, 100_000, VatRate::Ten),
            ],
        })
        .unwrap();
    assert_eq!(sale.lines.len(), 3);
    assert_eq!(sale.lines[2].amount, Dong(-100_000));
    assert_eq!(sale.totals.subtotal, Dong(3_000_000 + 1_400_000 - 100_000));
    assert_eq!(sale.totals.vat, Dong(300_000 + 112_000 - 10_000));
    assert_eq!(sale.totals.total, Dong(4_702_000));
    assert_eq!(sale.customer.as_ref().unwrap().name, "Công ty TNHH Ánh Dương");

    let list = store.sales(&SaleFilter::default()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].total, Dong(4_702_000));
    assert_eq!(list[0].customer_name.as_deref(), Some("Công ty TNHH Ánh Dương"));
    assert_eq!(store.sales(&SaleFilter { search: Some("Ánh Dương".into()), ..Default::default() }).unwrap().len(), 1);
    assert_eq!(store.sales(&SaleFilter { search: Some(sale.id.to_string()), ..Default::default() }).unwrap().len(), 1);
    assert_eq!(store.sales(&SaleFilter { search: Some("không có".into()), ..Default::default() }).unwrap().len(), 0);
    assert_eq!(store.sales(&SaleFilter { from: Some(1_770_000_001), ..Default::default() }).unwrap().len(), 0);
    assert_eq!(store.sales(&SaleFilter { to: Some(1_770_000_001), ..Default::default() }).unwrap().len(), 1);
    assert_eq!(store.sales(&SaleFilter { status: Some(SaleStatus::Failed), ..Default::default() }).unwrap().len(), 0);
}

#[test]
fn refuses_an_empty_sale_and_keeps_nothing_of_a_bad_one() {
    let (_dir, store) = open();
    let empty = NewSale { customer_id: None, seller_id: None, status: SaleStatus::Completed, sold_at: 1, note: String::new(), lines: vec![] };
    assert!(matches!(store.add_sale(&empty), Err(StoreError::EmptySale)));
    let unknown_customer = NewSale { customer_id: Some(424242), lines: vec![line("A", 1000, 1, VatRate::Ten)], ..empty };
    assert!(store.add_sale(&unknown_customer).is_err(), "foreign keys are on");
    assert_eq!(store.count_sales().unwrap(), 0);
    let lines: i64 = store.connection().query_row("SELECT COUNT(*) FROM sale_lines", [], |r| r.get(0)).unwrap();
    assert_eq!(lines, 0);
}

#[test]
fn a_sale_has_at_most_one_live_invoice() {
    let (_dir, store) = open();
    let sale = store
        .add_sale(&NewSale { customer_id: None, seller_id: None, status: SaleStatus::Completed, sold_at: 1, note: String::new(), lines: vec![line("A", 1000, 10_000, VatRate::Ten)] })
        .unwrap();
    let new = |key: &str| NewInvoice {
        sale_id: sale.id,
        provider: "vnpt".into(),
        key: key.into(),
        template: "1".into(),
        symbol: "C26TAA".into(),
        status: InvoiceStatus::Queued,
        tax_authority_code: None,
        replaces_id: None,
        relation: hoadon_store::Relation::Original,
        account: None,
    };
    let first = store.create_invoice(&new("K1")).unwrap();
    assert!(matches!(store.create_invoice(&new("K2")), Err(StoreError::SaleAlreadyInvoiced)));
    store.record_issued(first.id, Some(7), None, Some("ABC"), "OK").unwrap();
    assert_eq!(store.sale(sale.id).unwrap().invoice.unwrap().number, Some(7));
    store.set_invoice_status(first.id, InvoiceStatus::Cancelled, hoadon_store::EventKind::Cancelled, "khách trả hàng").unwrap();
    let second = store.create_invoice(&new("K2")).unwrap();
    assert_eq!(store.live_invoice_of_sale(sale.id).unwrap().unwrap().id, second.id);
    assert_eq!(store.invoices_of_sale(sale.id).unwrap().len(), 2);
    assert_eq!(store.invoices_with_status(&[InvoiceStatus::Cancelled], 10).unwrap().len(), 1);
    assert_eq!(store.invoices_with_status(&[], 10).unwrap().len(), 2);

    let events = store.invoice_events(first.id).unwrap();
    assert_eq!(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["created", "issued", "cancelled"]);
    assert!(store.connection().execute("UPDATE invoice_events SET detail = 'x'", []).is_err());
    assert!(store.connection().execute("DELETE FROM invoice_events", []).is_err());
}

#[test]
fn visits_per_day_are_set_not_added() {
    let (_dir, store) = open();
    use time::macros::date;
    store.set_visits(date!(2026 - 01 - 01), 10).unwrap();
    store.set_visits(date!(2026 - 01 - 01), 12).unwrap();
    store.set_visits(date!(2026 - 02 - 01), 5).unwrap();
    store.set_visits(date!(2025 - 12 - 31), 100).unwrap();
    assert_eq!(store.total_visits_between(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap(), 17);
    assert_eq!(store.visits_between(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap().len(), 2);
}

#[test]
fn settings_round_trip() {
    let (_dir, store) = open();
    assert_eq!(store.setting("zero_tens").unwrap(), None);
    store.set_setting("zero_tens", "le").unwrap();
    store.set_setting("zero_tens", "linh").unwrap();
    assert_eq!(store.setting("zero_tens").unwrap().as_deref(), Some("linh"));
    store.remove_setting("zero_tens").unwrap();
    assert_eq!(store.setting("zero_tens").unwrap(), None);
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let id = {
        let store = Store::open(&path).unwrap();
        store.save_shop(&ShopProfile { name: "Tạp hóa Bảy Hiền".into(), started_at: 1, ..Default::default() }).unwrap();
        store
            .add_sale(&NewSale { customer_id: None, seller_id: None, status: SaleStatus::Pending, sold_at: 5, note: "giao sau".into(), lines: vec![line("Gạo ST25", 5_000, 32_000, VatRate::Five)] })
            .unwrap()
            .id
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.migration_report().from_version, SCHEMA_VERSION);
    assert!(store.migration_report().backup.is_none());
    let sale = store.sale(id).unwrap();
    assert_eq!(sale.note, "giao sau");
    assert_eq!(sale.totals.total, Dong(168_000));
    assert_eq!(store.shop().unwrap().unwrap().name, "Tạp hóa Bảy Hiền");
}

#[test]
fn cash_register_sequences_only_go_up_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.next_cash_register_sequence("MAY01").unwrap(), 1);
        assert_eq!(store.next_cash_register_sequence("MAY01").unwrap(), 2);
        assert_eq!(store.next_cash_register_sequence("MAY02").unwrap(), 1);
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.next_cash_register_sequence("MAY01").unwrap(), 3);
    // A sequence taken in a transaction that fails is given back with it: nothing was used.
    let _ = store.in_transaction(|s| {
        s.next_cash_register_sequence("MAY01")?;
        Err::<(), _>(StoreError::EmptySale)
    });
    assert_eq!(store.next_cash_register_sequence("MAY01").unwrap(), 4);
}
