//! Exports the sales listing of a 1,000,000-sale year as `.xlsx` and as CSV, and prints for
//! each the time, the peak memory of the process (VmHWM from /proc/self/status) and the file
//! size. `SALES=100000 cargo bench -p hoadon-accounting` for a shorter run.
//!
//! The database is generated once (about 3 lines per sale, one sale in 10 failed, an issued
//! invoice for one in 4) into `target/accounting-bench/` and reused. Each export runs in a
//! child process of its own, so that its peak memory is its own and not the generator's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use hoadon_accounting::{export, ExportOutcome, ExportRequest, FileFormat, Listing, Period, Progress};
use hoadon_rules::{Dong, Quantity, VatRate};
use hoadon_store::{InvoiceStatus, NewInvoice, NewSale, NewSaleLine, Relation, SaleStatus, ShopProfile, Store};
use time::macros::date;

const CHILD: &str = "ACCOUNTING_BENCH_EXPORT";

fn main() {
    let sales: usize = std::env::var("SALES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/accounting-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(format!("shop-{sales}.db"));
    if let Ok(format) = std::env::var(CHILD) {
        return measure(&db, &dir, &format);
    }
    if !db.exists() {
        generate(&db, sales);
    }
    println!("export_million: {sales} sales in {}", db.display());
    for format in ["xlsx", "csv"] {
        let status = Command::new(std::env::current_exe().unwrap()).env(CHILD, format).env("SALES", sales.to_string()).status().unwrap();
        assert!(status.success(), "the {format} export failed");
    }
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/self/status");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn measure(db: &Path, dir: &Path, format: &str) {
    let store = Store::open(db).unwrap();
    let before = vm_hwm_kib();
    let format = if format == "xlsx" { FileFormat::Xlsx } else { FileFormat::Csv };
    let period = Period::new(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap();
    let request = ExportRequest { listing: Listing::Sales, format, period };
    let out: PathBuf = dir.join(Listing::Sales.file_name(format, &period));
    let started = Instant::now();
    let ExportOutcome::Written(done) = export(&store, &request, &out, &Progress::new()).unwrap() else { panic!("not cancelled") };
    let elapsed = started.elapsed();
    println!("  sales listing .{}", format.extension());
    println!("    rows        {}", done.rows);
    println!("    time        {:.2} s ({:.0} sales/s)", elapsed.as_secs_f64(), done.rows as f64 / elapsed.as_secs_f64());
    println!("    peak memory {:.1} MiB (VmHWM; {:.1} MiB before the export)", vm_hwm_kib() as f64 / 1024.0, before as f64 / 1024.0);
    println!("    file size   {:.1} MiB", done.bytes as f64 / 1_048_576.0);
}

fn generate(path: &Path, total: usize) {
    let started = Instant::now();
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let store = Store::open(&partial).unwrap();
    store.save_shop(&ShopProfile { name: "Cửa hàng Bench".into(), tax_code: Some("0100109106".into()), started_at: 0, ..Default::default() }).unwrap();
    let rates = [VatRate::Ten, VatRate::Eight, VatRate::Five, VatRate::Kct];
    let year_start = hoadon_rules::calendar::start_of_year(2026);
    let batch = 10_000;
    let mut n = 0;
    while n < total {
        let size = batch.min(total - n);
        let sales: Vec<NewSale> = (n..n + size)
            .map(|i| NewSale {
                customer_id: None,
                seller_id: None,
                status: if i % 10 == 0 { SaleStatus::Failed } else { SaleStatus::Completed },
                sold_at: year_start + (i as i64 * 31) % (330 * 86_400),
                note: String::new(),
                lines: (0..2 + i % 3)
                    .map(|l| NewSaleLine {
                        product_id: None,
                        name: format!("Sản phẩm {}", (i + l) % 500),
                        unit: "cái".into(),
                        quantity: Quantity(1000 * (1 + (i % 5) as i64)),
                        unit_price: Dong(10_000 + ((i * 7 + l) % 90) as i64 * 1000 + 7),
                        vat_rate: rates[(i + l) % rates.len()],
                    })
                    .collect(),
            })
            .collect();
        store
            .in_transaction(|s| {
                for (k, id) in s.add_sales(&sales)?.into_iter().enumerate() {
                    if (n + k) % 4 == 1 {
                        let inv = s.create_invoice(&NewInvoice {
                            sale_id: id,
                            provider: "easyinvoice".into(),
                            key: format!("HD{id}-bench"),
                            template: "1".into(),
                            symbol: "C26TAA".into(),
                            status: InvoiceStatus::Queued,
                            tax_authority_code: None,
                            replaces_id: None,
                            relation: Relation::Original,
                            account: None,
                        })?;
                        s.record_issued(inv.id, Some(id), None, None, "")?;
                    }
                }
                Ok(())
            })
            .unwrap();
        n += size;
    }
    store.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(store);
    std::fs::rename(&partial, path).unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    println!("generated {total} sales in {:.1} s", started.elapsed().as_secs_f64());
}
