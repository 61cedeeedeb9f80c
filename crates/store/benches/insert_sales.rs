//! Inserts 1,000,000 sales of about 3 lines each into a fresh database and prints the time
//! and the file size. `SALES=100000 cargo bench -p hoadon-store` for a shorter run.
//!
//! Sales go in batches of 10,000 per transaction, as an import would; a single sale saved
//! from the window is its own transaction (see the durability test for that path).

use std::time::Instant;

use hoadon_rules::{Dong, Quantity, VatRate};
use hoadon_store::{NewSale, NewSaleLine, SaleStatus, ShopProfile, Store};

fn main() {
    let total: usize = std::env::var("SALES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let batch = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let store = Store::open(&path).unwrap();
    store.save_shop(&ShopProfile { name: "Bench".into(), started_at: 0, ..Default::default() }).unwrap();
    let rates = [VatRate::Ten, VatRate::Eight, VatRate::Five, VatRate::Kct];
    let year_start = hoadon_rules::calendar::start_of_year(2026);

    let started = Instant::now();
    let mut lines_written = 0usize;
    let mut n = 0usize;
    while n < total {
        let size = batch.min(total - n);
        let sales: Vec<NewSale> = (n..n + size)
            .map(|i| {
                let line_count = 2 + i % 3; // 2, 3 or 4 lines: 3 on average
                lines_written += line_count;
                NewSale {
                    customer_id: None,
                    seller_id: None,
                    status: if i % 10 == 0 { SaleStatus::Failed } else { SaleStatus::Completed },
                    sold_at: year_start + (i as i64 * 31) % (330 * 86_400),
                    note: String::new(),
                    lines: (0..line_count)
                        .map(|l| NewSaleLine {
                            product_id: None,
                            name: format!("Sản phẩm {}", (i + l) % 500),
                            unit: "cái".into(),
                            quantity: Quantity(1000 * (1 + (i % 5) as i64)),
                            unit_price: Dong(10_000 + ((i * 7 + l) % 90) as i64 * 1000),
                            vat_rate: rates[(i + l) % rates.len()],
                        })
                        .collect(),
                }
            })
            .collect();
        store.add_sales(&sales).unwrap();
        n += size;
    }
    let elapsed = started.elapsed();
    store.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    println!("insert_sales: {total} sales, {lines_written} lines");
    println!("  time        {:.2} s", elapsed.as_secs_f64());
    println!("  rate        {:.0} sales/s", total as f64 / elapsed.as_secs_f64());
    println!("  per sale    {:.1} µs", elapsed.as_micros() as f64 / total as f64);
    println!("  file size   {:.1} MiB ({:.0} bytes/sale)", size as f64 / 1_048_576.0, size as f64 / total as f64);

    // One sale per transaction, synchronous=FULL: what a save from the window costs.
    let single = 500;
    let t = Instant::now();
    for i in 0..single {
        store
            .add_sale(&NewSale {
                customer_id: None,
                seller_id: None,
                status: SaleStatus::Completed,
                sold_at: year_start + i,
                note: String::new(),
                lines: vec![NewSaleLine { product_id: None, name: "Áo".into(), unit: "cái".into(), quantity: Quantity(1000), unit_price: Dong(100_000), vat_rate: VatRate::Ten }],
            })
            .unwrap();
    }
    println!("  single save {:.2} ms per sale (own transaction, fsync), {single} saves", t.elapsed().as_secs_f64() * 1000.0 / single as f64);
}
