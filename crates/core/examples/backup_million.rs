//! The backup of a 1,000,000-sale database: time, peak memory and file size of the copy (made
//! and checked, as the app makes it), of "Hủy" half-way, of listing the copy and of a restore.
//! Prints numbers; not a test.
//!
//! `cargo run --release -p hoadon-core --example backup_million` (`SALES=100000` for a shorter
//! run). The database is generated first, then each measure runs in a fresh process of this
//! example, so the peak memory (VmHWM) is the backup's own, not the generator's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hoadon_core::backup::BackupControl;
use hoadon_core::rules::{calendar, Dong, Quantity, VatRate};
use hoadon_core::store::{NewSale, NewSaleLine, SaleStatus, ShopProfile, Store};
use hoadon_core::Shop;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some(measure) => run_measure(measure, Path::new(&args[2])),
        None => orchestrate(),
    }
}

fn orchestrate() {
    let total: usize = std::env::var("SALES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hoadon.db");
    let t = Instant::now();
    generate(&db, total);
    let size = std::fs::metadata(&db).unwrap().len();
    println!("backup_million: {total} sales of 2–4 lines, database {} (generated in {:.1} s)", mib(size), t.elapsed().as_secs_f64());
    for measure in ["copy", "cancel", "list", "restore"] {
        let out = Command::new(std::env::current_exe().unwrap()).arg(measure).arg(&db).output().unwrap();
        print!("{}", String::from_utf8_lossy(&out.stdout));
        if !out.status.success() {
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
            std::process::exit(1);
        }
    }
}

fn generate(db: &Path, total: usize) {
    let store = Store::open(db).unwrap();
    store.save_shop(&ShopProfile { name: "Bench".into(), started_at: 0, ..Default::default() }).unwrap();
    let rates = [VatRate::Ten, VatRate::Eight, VatRate::Five, VatRate::Kct];
    let year_start = calendar::start_of_year(2026);
    let mut n = 0;
    while n < total {
        let size = 10_000.min(total - n);
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
                        unit_price: Dong(10_000 + ((i * 7 + l) % 90) as i64 * 1000),
                        vat_rate: rates[(i + l) % rates.len()],
                    })
                    .collect(),
            })
            .collect();
        store.add_sales(&sales).unwrap();
        n += size;
    }
    store.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
}

fn run_measure(measure: &str, db: &Path) {
    let shop = Shop::open(db).unwrap();
    let folder = shop.backup_job().unwrap().folder;
    match measure {
        "copy" => {
            let t = Instant::now();
            let made = shop.back_up_now(calendar::now(), &BackupControl::new()).unwrap().unwrap();
            let elapsed = t.elapsed();
            println!(
                "  copy + check  {:.2} s, peak memory {}, file {} ({} sales, {} invoices in the copy)",
                elapsed.as_secs_f64(),
                peak_memory(),
                mib(made.size_bytes),
                made.counts.sales,
                made.counts.invoices
            );
        }
        "cancel" => {
            let control = Arc::new(BackupControl::new());
            let job = shop.backup_job().unwrap();
            let before: Vec<PathBuf> = files(&folder);
            let watcher = {
                let control = control.clone();
                std::thread::spawn(move || {
                    loop {
                        let p = control.progress();
                        if p.total > 0 && p.done * 2 >= p.total {
                            let at = Instant::now();
                            control.cancel();
                            return (at, p);
                        }
                        std::thread::sleep(Duration::from_millis(1));
                    }
                })
            };
            let outcome = job.run(calendar::now() + time::Duration::hours(1), &control).unwrap();
            let stopped = Instant::now();
            let (asked, at) = watcher.join().unwrap();
            assert!(outcome.is_none(), "the copy finished before Hủy");
            assert_eq!(files(&folder), before, "nothing left behind");
            println!(
                "  Hủy at {}% ({} of {} pages): stopped {:.1} ms later, no file left",
                at.done * 100 / at.total.max(1),
                at.done,
                at.total,
                stopped.duration_since(asked).as_secs_f64() * 1000.0
            );
        }
        "list" => {
            let t = Instant::now();
            let entries = shop.list_backups().unwrap();
            let counts = entries[0].counts.unwrap();
            println!("  list          {:.0} ms for {} copy ({} sales counted), peak memory {}", t.elapsed().as_secs_f64() * 1000.0, entries.len(), counts.sales, peak_memory());
        }
        "restore" => {
            let mut shop = shop;
            let file = shop.backup_file(&shop.list_backups().unwrap()[0].file).unwrap();
            let t = Instant::now();
            let outcome = shop.restore_backup(&file, calendar::now() + time::Duration::hours(2)).unwrap();
            println!(
                "  restore       {:.2} s (the current file copied and checked first), peak memory {}, {} sales",
                t.elapsed().as_secs_f64(),
                peak_memory(),
                outcome.counts.sales
            );
        }
        other => panic!("unknown measure {other}"),
    }
}

fn files(folder: &Path) -> Vec<PathBuf> {
    let mut f: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
    f.sort();
    f
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

/// VmHWM: the most resident memory this process has had.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l["VmHWM:".len()..].trim().to_string()))
        .unwrap_or_else(|| "?".into())
}
