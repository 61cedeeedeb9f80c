//! The CLI killed with SIGKILL at random points during 50 issuances; after a restart and
//! `invoice reconcile`, the provider holds no duplicate and every sale ends with one invoice.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hoadon_core::invoicing::{InvoiceSettingsForm, ProviderChoice, Signing};
use hoadon_core::store::InvoiceStatus;
use hoadon_core::{SaleForm, SaleLineForm, SecretStore, Shop};
use hoadon_sim_einvoice::{start_vnpt, Faults, VnptConfig};

const SALES: i64 = 50;

fn hoadon(db: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hoadon"));
    c.arg("--db").arg(db).args(args).stdout(Stdio::null()).stderr(Stdio::null());
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_issuance_never_duplicates() {
    let config = VnptConfig::default();
    let sim = start_vnpt(config.clone(), 0).await.unwrap();
    // A slow provider, so kills land while requests are on the wire.
    sim.set_faults(Faults { delay_ms: 60, ..Default::default() });

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let ids: Vec<i64> = {
        let mut shop = Shop::open(&db).unwrap();
        let secrets = SecretStore::new(dir.path());
        shop.save_invoice_settings(
            &secrets,
            &InvoiceSettingsForm {
                provider: ProviderChoice::Vnpt,
                demo: false,
                base_url: sim.url(),
                username: config.username.clone(),
                password: config.password.clone(),
                account: config.account.clone(),
                ac_password: config.ac_password.clone(),
                seller_tax_code: String::new(),
                location_code: String::new(),
                template: config.patterns[0].0.clone(),
                serial: config.patterns[0].1.clone(),
                signing: Signing::Provider,
            },
        )
        .unwrap();
        (0..SALES)
            .map(|n| {
                shop.save_sale(&SaleForm {
                    customer_id: None,
                    status: hoadon_core::store::SaleStatus::Completed,
                    note: String::new(),
                    lines: vec![SaleLineForm { product_id: None, name: "Bánh chưng".into(), unit: "cái".into(), quantity: "2".into(), unit_price: format!("{}", 80_000 + n), vat_rate: "8".into() }],
                    sold_at: Some(hoadon_core::rules::calendar::start_of_year(2026) + 86_400),
                })
                .unwrap()
                .id
            })
            .collect()
    };

    let mut seed: u64 = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("seed {seed}");
    let mut killed = 0;
    for &id in &ids {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let kill_after = Duration::from_millis(seed % 250);
        let mut child = hoadon(&db, &["invoice", "issue", &id.to_string()]).spawn().unwrap();
        let started = Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if started.elapsed() >= kill_after {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                killed += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    eprintln!("{killed} of {SALES} issuances killed with SIGKILL");
    assert!(killed > 0, "the test killed something");

    // Restart: reconcile what was left in flight, then issue what never started.
    sim.clear_faults();
    let status = hoadon(&db, &["invoice", "reconcile"]).status().unwrap();
    assert!(status.success());
    for &id in &ids {
        let _ = hoadon(&db, &["invoice", "issue", &id.to_string()]).status().unwrap();
    }

    let per_key = sim.issued_per_key();
    assert!(per_key.values().all(|&n| n == 1), "a key numbered twice: {per_key:?}");
    let shop = Shop::open(&db).unwrap();
    for &id in &ids {
        let issued: Vec<_> = shop.store().invoices_of_sale(id).unwrap().into_iter().filter(|i| i.status == InvoiceStatus::Issued).collect();
        assert_eq!(issued.len(), 1, "sale {id} has exactly one issued invoice");
        assert_eq!(per_key.get(&issued[0].key), Some(&1));
    }
    assert_eq!(sim.issued_count(), SALES as usize, "the provider issued one invoice per sale, no more");
    shop.store().integrity_check().unwrap();
}
