//! A process saving sales is killed with SIGKILL at random moments, 20 times. Every sale
//! whose save had returned must still be there, and SQLite must find the file intact.
//!
//! The writer is this same test binary, started again with `DURABILITY_WRITER` set: it
//! saves sales as fast as it can and prints `saved <id>` after each save returns.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hoadon_rules::{Dong, Quantity, VatRate};
use hoadon_store::{NewSale, NewSaleLine, SaleStatus, ShopProfile, Store};

const KILLS: usize = 20;

fn sale(n: i64) -> NewSale {
    let line = |name: &str, q: i64, p: i64, r: VatRate| NewSaleLine {
        product_id: None,
        name: name.into(),
        unit: "cái".into(),
        quantity: Quantity(q),
        unit_price: Dong(p),
        vat_rate: r,
    };
    NewSale {
        customer_id: None,
        seller_id: None,
        status: SaleStatus::Completed,
        sold_at: 1_770_000_000 + n,
        note: format!("đơn {n}"),
        lines: vec![
            line("Áo sơ mi", 1_000 + n % 7, 250_000, VatRate::Ten),
            line("Quần tây", 2_000, 400_000, VatRate::Eight),
            line("Thắt lưng da", 1_000, 180_000 + n, VatRate::Five),
        ],
    }
}

#[test]
fn durability_writer() {
    let Ok(path) = std::env::var("DURABILITY_WRITER") else { return };
    let store = Store::open(&path).unwrap();
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        let id = store.add_sale(&sale(n)).unwrap().id;
        writeln!(out, "saved {id} {}", n).unwrap();
        out.flush().unwrap();
    }
}

/// xorshift: enough randomness for kill moments without another dependency.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn saved_sales_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    Store::open(&path).unwrap().save_shop(&ShopProfile { name: "Shop".into(), started_at: 0, ..Default::default() }).unwrap();

    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("seed {seed}");
    let mut confirmed: Vec<(i64, i64)> = Vec::new();
    for round in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "durability_writer", "--nocapture", "--test-threads=1"])
            .env("DURABILITY_WRITER", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("saved ") {
                    let mut parts = rest.split(' ');
                    let id: i64 = parts.next().unwrap().parse().unwrap();
                    let n: i64 = parts.next().unwrap().parse().unwrap();
                    if tx.send((id, n)).is_err() {
                        break;
                    }
                }
            }
        });
        // Wait for the writer to be saving, then kill it somewhere in the next 0–300 ms.
        let first = rx.recv_timeout(Duration::from_secs(30)).expect("the writer saves within 30 s");
        confirmed.push(first);
        let wait = Duration::from_millis(next(&mut seed) % 300);
        let until = Instant::now() + wait;
        while Instant::now() < until {
            if let Ok(x) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
                confirmed.push(x);
            }
        }
        // `Child::kill` sends SIGKILL on Unix: no chance to flush or roll back anything.
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        // Lines the writer printed before it died were confirmed saves too.
        confirmed.extend(rx.try_iter());
        eprintln!("round {round}: killed after {wait:?}, {} saves confirmed so far", confirmed.len());
    }

    let store = Store::open(&path).unwrap();
    store.integrity_check().unwrap();
    for &(id, n) in &confirmed {
        let s = store.sale(id).unwrap_or_else(|e| panic!("sale {id} was confirmed but is gone: {e}"));
        assert_eq!(s.note, format!("đơn {n}"));
        assert_eq!(s.lines.len(), 3, "sale {id} lost lines");
    }
    // Nothing half-written: every sale in the file has its three lines.
    let orphans: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM sales s WHERE (SELECT COUNT(*) FROM sale_lines l WHERE l.sale_id = s.id) <> 3", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0);
    assert!(confirmed.len() > KILLS, "the writer made progress");
    eprintln!("{} confirmed sales all present after {KILLS} SIGKILLs; {} sales in the file", confirmed.len(), store.count_sales().unwrap());
}
