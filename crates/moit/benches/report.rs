//! How long the MOIT report takes on a busy year: 1,000,000 orders in 2026 (and 100,000
//! in 2025 that the year's range must skip), timed through `report()` and, on the same
//! file, through the `sqlite3` command line running equivalent SQL written independently
//! (one year-wide aggregate, and months by `strftime` instead of twelve ranges). Both must
//! give the same figures; the bench stops with an error if they do not.
//!
//! `cargo bench -p hoadon-moit` (needs the `sqlite3` program for the comparison; without it,
//! only `report()` is timed).

use std::process::Command;
use std::time::{Duration, Instant};

use hoadon_moit::{ApiFigures, MoitReport, end_of_year, report};
use hoadon_rules::calendar::{self, start_of_year};
use hoadon_store::{ShopProfile, Store};
use rusqlite::params;

const YEAR: i32 = 2026;
const ORDERS: i64 = 1_000_000;
const LAST_YEAR_ORDERS: i64 = 100_000;
const BATCH: i64 = 10_000;
const SELLERS: i64 = 300;
const PRODUCTS: i64 = 20_000;

/// A fixed sequence, so every run measures the same data.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn fill(store: &Store) -> rusqlite::Result<()> {
    let conn = store.connection();
    let year_start = start_of_year(YEAR);
    let last_year = start_of_year(YEAR - 1);
    let mut dice = Dice(0x4d4f_4954_2026);
    conn.execute_batch("BEGIN")?;
    {
        let mut seller = conn.prepare("INSERT INTO sellers (name, created_at) VALUES (?1, ?2)")?;
        for i in 0..SELLERS {
            seller.execute(params![format!("Gian hàng {i}"), last_year + dice.below(700 * 86_400) as i64])?;
        }
        let mut product = conn.prepare(
            "INSERT INTO products (sku, name, unit_price, vat_rate, seller_id, created_at, updated_at)
             VALUES (?1, ?2, 10000, '10', 1, ?3, ?3)",
        )?;
        for i in 0..PRODUCTS {
            let at = last_year + dice.below(700 * 86_400) as i64;
            product.execute(params![format!("SKU{i:06}"), format!("Sản phẩm {i}"), at])?;
        }
        let mut visits = conn.prepare("INSERT INTO visits (day, visits) VALUES (?1, ?2)")?;
        let mut day = calendar::date_of(last_year);
        while day.year() <= YEAR {
            visits.execute(params![format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day()), 500 + dice.below(5000) as i64])?;
            day = day.next_day().expect("a next day");
        }
    }
    conn.execute_batch("COMMIT")?;

    let mut insert_batch = |first: i64, count: i64, span_start: i64, span: i64| -> rusqlite::Result<()> {
        conn.execute_batch("BEGIN")?;
        {
            let mut sale = conn.prepare_cached(
                "INSERT INTO sales (customer_id, seller_id, status, sold_at, subtotal, vat, total, note, created_at)
                 VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, '', ?3)",
            )?;
            for i in first..first + count {
                // Spread evenly over the span, in order, as a shop records them.
                let sold_at = span_start + i * span / ORDERS;
                let status = match dice.below(100) {
                    0..=84 => "completed",
                    85..=94 => "failed",
                    _ => "pending",
                };
                let subtotal = 10_000 + dice.below(5_000_000) as i64;
                let vat = subtotal / 10;
                sale.execute(params![1 + dice.below(SELLERS as u64) as i64, status, sold_at, subtotal, vat, subtotal + vat])?;
            }
        }
        conn.execute_batch("COMMIT")
    };
    let year_span = end_of_year(YEAR) - year_start + 1;
    for first in (0..LAST_YEAR_ORDERS).step_by(BATCH as usize) {
        let span = year_start - last_year;
        conn.execute_batch("BEGIN")?;
        {
            let mut sale = conn.prepare_cached(
                "INSERT INTO sales (customer_id, seller_id, status, sold_at, subtotal, vat, total, note, created_at)
                 VALUES (NULL, 1, 'completed', ?1, 100000, 10000, 110000, '', ?1)",
            )?;
            for i in first..first + BATCH {
                sale.execute([last_year + i * span / LAST_YEAR_ORDERS])?;
            }
        }
        conn.execute_batch("COMMIT")?;
    }
    for first in (0..ORDERS).step_by(BATCH as usize) {
        insert_batch(first, BATCH, year_start, year_span)?;
    }
    // Everything into the main file, so the command line reads the same pages.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    (millis(samples[0]), millis(samples[samples.len() / 2]))
}

/// What the command line computes: the nine figures (visits from 01/01 for the API) and
/// orders and value per month.
struct CliFigures {
    figures: [i64; 9],
    visits_since_start: i64,
    /// (month, orders, value), months with orders only.
    months: Vec<(i64, i64, i64)>,
}

fn cli_sql(report: &MoitReport, with_months: bool) -> String {
    let (y, a, s) = (start_of_year(report.year), report.as_of, report.started_at);
    let iso = |t: i64| {
        let d = calendar::date_of(t);
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    };
    let mut sql = format!(
        "SELECT COALESCE(SUM(visits), 0) FROM visits WHERE day BETWEEN '{yd}' AND '{ad}';
SELECT COUNT(*), SUM(created_at >= {y}) FROM sellers WHERE created_at <= {a};
SELECT COUNT(*), SUM(created_at >= {y}) FROM products WHERE created_at <= {a};
SELECT COUNT(*), SUM(status = 'completed'), SUM(status = 'failed'),
       COALESCE(SUM(CASE WHEN status = 'completed' THEN total END), 0)
  FROM sales WHERE sold_at >= {y} AND sold_at <= {a};
SELECT COALESCE(SUM(visits), 0) FROM visits WHERE day BETWEEN '{sd}' AND '{ad}';
",
        yd = iso(y),
        ad = iso(a),
        sd = iso(s),
    );
    if with_months {
        sql.push_str(&format!(
            "SELECT CAST(strftime('%m', sold_at + 7 * 3600, 'unixepoch') AS INTEGER) AS m, COUNT(*),
       COALESCE(SUM(CASE WHEN status = 'completed' THEN total END), 0)
  FROM sales WHERE sold_at >= {y} AND sold_at <= {a} GROUP BY m ORDER BY m;
"
        ));
    }
    sql
}

fn run_cli(path: &std::path::Path, sql: &str) -> Result<(String, Duration), String> {
    let started = Instant::now();
    let out = Command::new("sqlite3")
        .arg("-readonly")
        .arg(path)
        .arg(sql)
        .output()
        .map_err(|e| format!("sqlite3 could not run: {e}"))?;
    let took = started.elapsed();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok((String::from_utf8(out.stdout).map_err(|e| e.to_string())?, took))
}

fn parse_cli(output: &str) -> CliFigures {
    let lines: Vec<Vec<i64>> = output
        .lines()
        .map(|l| l.split('|').map(|v| v.trim().parse::<i64>().unwrap_or(0)).collect())
        .collect();
    let (visits, sellers, products, orders, since_start) = (&lines[0], &lines[1], &lines[2], &lines[3], &lines[4]);
    CliFigures {
        figures: [visits[0], sellers[0], sellers[1], products[0], products[1], orders[0], orders[1], orders[2], orders[3]],
        visits_since_start: since_start[0],
        months: lines[5..].iter().map(|m| (m[0], m[1], m[2])).collect(),
    }
}

fn sqlite3_version() -> Option<String> {
    let out = Command::new("sqlite3").arg("--version").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).split_whitespace().next()?.to_string())
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("moit-bench.sqlite");
    let store = Store::open(&path).expect("the database opens");
    store
        .save_shop(&ShopProfile { name: "Cửa hàng đo tốc độ".into(), started_at: start_of_year(YEAR - 1), ..Default::default() })
        .expect("shop saved");
    println!("MOIT report benchmark: {ORDERS} orders in {YEAR}, {LAST_YEAR_ORDERS} in {}, {SELLERS} sellers, {PRODUCTS} products", YEAR - 1);
    let started = Instant::now();
    fill(&store).expect("the data goes in");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("filled in {:.1} s ({:.0} MB file)", started.elapsed().as_secs_f64(), size as f64 / 1e6);

    let bundled: String = store.connection().query_row("SELECT sqlite_version()", [], |r| r.get(0)).unwrap();
    let cli_version = sqlite3_version();
    let mut failed = false;
    for (label, as_of) in [
        ("whole year (as of 31/12/2026 23:59:59)", end_of_year(YEAR)),
        ("mid-year (as of 01/07/2026 00:00:00)", calendar::start_of_day(time::macros::date!(2026 - 07 - 01))),
    ] {
        println!("\n== {label}");
        // One run to warm the page cache, as the app's second pull would find it.
        let r = report(&store, YEAR, as_of).expect("report");
        let runs = 15;
        let samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(report(&store, YEAR, as_of).expect("report"));
                t.elapsed()
            })
            .collect();
        let (min, median) = stats(samples);
        println!("report()          SQLite {bundled} (bundled):  min {min:8.1} ms   median {median:8.1} ms   ({runs} runs, 9 figures + 12 months)");

        let Some(version) = &cli_version else {
            println!("sqlite3 command line not installed (apt-get install sqlite3): comparison skipped");
            continue;
        };
        let mut timings = Vec::new();
        let mut outputs = Vec::new();
        for with_months in [false, true] {
            let sql = cli_sql(&r, with_months);
            let mut samples = Vec::new();
            let mut last = String::new();
            for _ in 0..7 {
                match run_cli(&path, &sql) {
                    Ok((out, took)) => {
                        samples.push(took);
                        last = out;
                    }
                    Err(e) => {
                        println!("sqlite3 failed: {e}");
                        std::process::exit(1);
                    }
                }
            }
            timings.push(stats(samples));
            outputs.push(last);
        }
        let (min9, med9) = timings[0];
        let (min_m, med_m) = timings[1];
        println!("sqlite3 CLI       SQLite {version} (system):   min {min9:8.1} ms   median {med9:8.1} ms   (7 runs, 9 figures, process start included)");
        println!("sqlite3 CLI       SQLite {version} (system):   min {min_m:8.1} ms   median {med_m:8.1} ms   (7 runs, 9 figures + months by strftime)");

        let cli = parse_cli(&outputs[1]);
        let ours = ApiFigures::of(&r).values();
        println!("\n{:<30} {:>16} {:>16}", "figure", "report()", "sqlite3");
        for (i, key) in hoadon_moit::API_KEYS.iter().enumerate() {
            let mark = if ours[i] == cli.figures[i] { "" } else { "  ← DIFFERS" };
            println!("{key:<30} {:>16} {:>16}{mark}", ours[i], cli.figures[i]);
        }
        println!("{:<30} {:>16} {:>16}", "visits since start", r.visits_since_start_of_operation.value, cli.visits_since_start);
        let months: Vec<(i64, i64, i64)> =
            r.months.iter().filter(|m| m.orders > 0).map(|m| (i64::from(m.month), m.orders, m.value)).collect();
        let agree = ours == cli.figures && r.visits_since_start_of_operation.value == cli.visits_since_start && months == cli.months;
        println!("months (orders, value) agree: {} ({} months)", months == cli.months, months.len());
        if agree {
            println!("=> the two agree on every figure ({} orders, {} đồng)", r.orders_total.value, r.transaction_value.value);
        } else {
            println!("=> MISMATCH\nreport() months: {months:?}\nsqlite3 months:  {:?}", cli.months);
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}
