//! One sender at a time across processes: four `hoadon invoice reconcile` loops over one
//! database with 200 queued sales against a VNPT simulator. Each sale is issued exactly once,
//! each row is sent by one process only (one "sending" in its log, no duplicate-key answer).

use std::process::{Command, Stdio};
use std::sync::Mutex;

use hoadon_core::invoicing::{InvoiceSettingsForm, Invoicer, ProviderChoice, Signing};
use hoadon_core::store::InvoiceStatus;
use hoadon_core::{SaleForm, SaleLineForm, SecretStore, Shop};
use hoadon_sim_einvoice::{start_vnpt, Faults, VnptConfig};

const SALES: usize = 200;
const PROCESSES: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_send_each_queued_sale_exactly_once() {
    let config = VnptConfig::default();
    let mut sim = start_vnpt(config.clone(), 0).await.unwrap();
    let port = sim.port();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let secrets = SecretStore::new(dir.path());
    let ids: Vec<i64> = {
        let mut shop = Shop::open(&db).unwrap();
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
        let ids = (0..SALES)
            .map(|n| {
                shop.save_sale(&SaleForm {
                    customer_id: None,
                    status: hoadon_core::store::SaleStatus::Completed,
                    note: String::new(),
                    lines: vec![SaleLineForm { product_id: None, name: "Bánh chưng".into(), unit: "cái".into(), quantity: "1".into(), unit_price: format!("{}", 80_000 + n), vat_rate: "8".into() }],
                    sold_at: Some(hoadon_core::rules::calendar::now().unix_timestamp()),
                })
                .unwrap()
                .id
            })
            .collect::<Vec<_>>();
        // The provider is down while the sales are made: all 200 wait in the queue.
        sim.stop();
        let provider = hoadon_core::einvoice::AnyProvider::new(shop.provider_settings(&secrets, &[]).unwrap()).unwrap();
        let shop = Mutex::new(shop);
        let invoicer = Invoicer::new();
        for &id in &ids {
            assert!(invoicer.issue(&shop, &secrets, &provider, id).await.is_err());
        }
        let queued = shop.lock().unwrap().store().invoices_with_status(&[InvoiceStatus::Queued], 1000).unwrap().len();
        assert_eq!(queued, SALES);
        ids
    };

    // The provider is back, a little slow, so that the processes overlap on the wire.
    let sim = start_vnpt(config.clone(), port).await.unwrap();
    sim.set_faults(Faults { delay_ms: 5, ..Default::default() });
    let children: Vec<_> = (0..PROCESSES)
        .map(|n| {
            Command::new(env!("CARGO_BIN_EXE_hoadon"))
                .arg("--db")
                .arg(&db)
                .args(["--json", "invoice", "reconcile", "--passes", "200", "--every-ms", if n == PROCESSES - 1 { "300" } else { "50" }])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = tokio::task::spawn_blocking(move || children.into_iter().map(|c| c.wait_with_output().unwrap()).collect()).await.unwrap();
    let (mut issued_by_processes, mut skipped) = (0u64, 0u64);
    for (n, out) in outputs.iter().enumerate() {
        assert!(out.status.success(), "process {n} failed");
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let report: serde_json::Value = serde_json::from_str(line).unwrap();
            issued_by_processes += report["issued"].as_u64().unwrap();
            skipped += report["still_waiting"].as_u64().unwrap();
        }
    }

    let per_key = sim.issued_per_key();
    assert!(per_key.values().all(|&c| c == 1), "a key numbered twice: {per_key:?}");
    assert_eq!(sim.issued_count(), SALES, "one invoice per sale at the provider");
    let shop = Shop::open(&db).unwrap();
    let mut duplicate_sends = 0;
    for &id in &ids {
        let invoices = shop.store().invoices_of_sale(id).unwrap();
        assert_eq!(invoices.len(), 1, "sale {id}");
        let inv = &invoices[0];
        assert_eq!(inv.status, InvoiceStatus::Issued, "sale {id}");
        assert_eq!(per_key.get(&inv.key), Some(&1));
        let events = shop.store().invoice_events(inv.id).unwrap();
        // Two from the queueing above (created, sending→queued); each later send is one more.
        let sends = events.iter().filter(|e| e.kind == "sending").count();
        let unclear = events.iter().filter(|e| e.kind == "unclear").count();
        duplicate_sends += sends.saturating_sub(2) + unclear;
        assert_eq!(shop.store().invoice_lease(inv.id).unwrap(), None, "every lease was given back");
    }
    eprintln!(
        "{PROCESSES} processes, {SALES} queued sales: {} issued at the provider, {issued_by_processes} counted by the processes, {skipped} skips of rows another process held, {duplicate_sends} duplicate sends",
        sim.issued_count()
    );
    assert_eq!(issued_by_processes, SALES as u64, "each issuance done by exactly one process");
    assert_eq!(duplicate_sends, 0);
    shop.store().integrity_check().unwrap();
}

/// The app and the CLI (here: four `hoadon` processes) opening a file an older app left at
/// schema 4, at the same moment: each reads `user_version` inside its own BEGIN IMMEDIATE, so
/// one applies migration 5 and the others find it done. All succeed; nothing is lost.
#[test]
fn processes_opening_an_old_file_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    {
        let mut shop = Shop::open(&db).unwrap();
        shop.save_sale(&SaleForm {
            customer_id: None,
            status: hoadon_core::store::SaleStatus::Completed,
            note: String::new(),
            lines: vec![SaleLineForm { product_id: None, name: "Gạo".into(), unit: "kg".into(), quantity: "1".into(), unit_price: "30.000".into(), vat_rate: "5".into() }],
            sold_at: None,
        })
        .unwrap();
        // Back to the schema before migration 5, as an older app left it.
        shop.store()
            .connection()
            .execute_batch(
                "DROP INDEX invoices_by_account;
                 ALTER TABLE invoices DROP COLUMN account; ALTER TABLE invoices DROP COLUMN lease_owner;
                 ALTER TABLE invoices DROP COLUMN lease_until; ALTER TABLE invoices DROP COLUMN conflict;
                 PRAGMA user_version = 4;",
            )
            .unwrap();
    }
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| Command::new(env!("CARGO_BIN_EXE_hoadon")).arg("--db").arg(&db).args(["--json", "sales", "list"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap())
        .collect();
    for (n, c) in children.into_iter().enumerate() {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "process {n}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let shop = Shop::open(&db).unwrap();
    assert_eq!(shop.store().migration_report().from_version, hoadon_core::store::SCHEMA_VERSION, "migrated once, by one of them");
    assert_eq!(shop.store().count_sales().unwrap(), 1);
    shop.store().integrity_check().unwrap();
    eprintln!("{PROCESSES} processes opened a schema-4 file at once: all succeeded, schema {}", hoadon_core::store::SCHEMA_VERSION);
}
