//! Never the wrong invoice (issue 11): keys that do not collide after a restored backup or a
//! copied data folder, a found invoice compared with the sale ("Trùng mã"), rows bound to the
//! account they were sent to. Against the simulators over real HTTP on loopback.

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hoadon_core::invoicing::{draft_for_invoice, DemoProvider, InvoiceSettingsForm, Invoicer, ProviderChoice, Signing};
use hoadon_core::rules::calendar;
use hoadon_core::store::{InvoiceStatus, SaleStatus};
use hoadon_core::{Error, SaleForm, SaleLineForm, SecretStore, Shop};
use hoadon_einvoice::{AnyProvider, Provider, Timeouts};
use hoadon_sim_einvoice::{start_easyinvoice, start_viettel, start_vnpt, EasyInvoiceConfig, Faults, Knob, SimHandle, ViettelConfig, VnptConfig};

async fn sim(choice: ProviderChoice) -> (SimHandle, DemoProvider) {
    support::demo_sim(choice).await
}

/// A client of whatever `shop`'s settings name (`demo` standing in for the demo simulators).
fn client(shop: &Mutex<Shop>, secrets: &SecretStore, demo: &[DemoProvider]) -> AnyProvider {
    let mut settings = shop.lock().unwrap().provider_settings(secrets, demo).unwrap();
    let t = Timeouts { connect: Duration::from_secs(2), request: Duration::from_secs(10) };
    support::set_timeouts(&mut settings, t);
    AnyProvider::new(settings).unwrap()
}

fn open(path: &Path, choice: ProviderChoice) -> Mutex<Shop> {
    let shop = Shop::open(path).unwrap();
    shop.store().set_setting("invoice.provider", choice.code()).unwrap();
    Mutex::new(shop)
}

fn sale(shop: &Mutex<Shop>, price: i64) -> i64 {
    shop.lock()
        .unwrap()
        .save_sale(&SaleForm {
            customer_id: None,
            status: SaleStatus::Completed,
            note: String::new(),
            lines: vec![SaleLineForm { product_id: None, name: "Áo dài lụa".into(), unit: "cái".into(), quantity: "1".into(), unit_price: price.to_string(), vat_rate: "10".into() }],
            sold_at: Some(calendar::now().unix_timestamp()),
        })
        .unwrap()
        .id
}

fn copy_of(shop: &Mutex<Shop>, to: &Path) {
    shop.lock().unwrap().store().connection().execute("VACUUM INTO ?1", [to.to_string_lossy()]).unwrap();
}

/// The old keys were `HD<install prefix>-<sale id>-<attempt>`: a restored backup reuses sale
/// ids, a copied data folder keeps the prefix, and both would have sent a new sale under a key
/// the provider already held for another sale.
#[tokio::test]
async fn a_restored_backup_and_a_copied_data_folder_issue_new_sales_without_key_collision() {
    for choice in ProviderChoice::ALL {
        let (sim, demo) = sim(choice).await;
        let demo = [demo];
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let a = open(&dir.path().join("a.db"), choice);
        let p = client(&a, &secrets, &demo);
        let invoicer = Invoicer::new();
        let first: Vec<i64> = (0..5).map(|n| sale(&a, 100_000 + n)).collect();
        for &id in &first {
            assert_eq!(invoicer.issue(&a, &secrets, &p, id).await.unwrap().status, InvoiceStatus::Issued);
        }
        // The backup, and the data folder copied to a second till, both taken now.
        copy_of(&a, &dir.path().join("backup.db"));
        copy_of(&a, &dir.path().join("second-till.db"));
        let later: Vec<i64> = (0..5).map(|n| sale(&a, 200_000 + n)).collect();
        for &id in &later {
            assert_eq!(invoicer.issue(&a, &secrets, &p, id).await.unwrap().status, InvoiceStatus::Issued);
        }

        let mut reused_ids = 0;
        for other in ["backup.db", "second-till.db"] {
            let shop = open(&dir.path().join(other), choice);
            let invoicer = Invoicer::new();
            for n in 0..5 {
                let id = sale(&shop, 300_000 + n);
                reused_ids += usize::from(later.contains(&id));
                let inv = invoicer.issue(&shop, &secrets, &p, id).await.unwrap();
                assert_eq!(inv.status, InvoiceStatus::Issued, "{}: {other}: sale {id}: {:?}", choice.code(), inv.conflict);
                assert_eq!(sim.invoice(&support::sim_key(choice, &inv.key)).unwrap().amount, shop.lock().unwrap().sale(id).unwrap().totals.total.0, "the provider's invoice is this sale's");
            }
        }
        assert_eq!(reused_ids, 10, "both copies reused sale ids the provider had invoiced");
        let per_key = sim.issued_per_key();
        assert_eq!(per_key.len(), 20, "{}: 20 sales, 20 keys", choice.code());
        assert!(per_key.values().all(|&n| n == 1));
        assert_eq!(sim.issued_count(), 20);
        eprintln!("{}: 20 sales over the original, a restored backup and a copied folder: 20 keys, 0 collisions", choice.code());
    }
}

/// The provider holds, under the row's key, an invoice of another sale (here sent directly
/// through the client, with another amount, or the same amount on another date): the queue's
/// ask by key, and the duplicate answer to a send, both end in "Trùng mã", never "issued";
/// "Xuất lại với mã mới" then issues the sale under a new key.
#[tokio::test]
async fn another_sales_invoice_under_the_key_is_a_key_conflict_never_issued() {
    for (choice, same_amount) in [(ProviderChoice::Vnpt, false), (ProviderChoice::EasyInvoice, false), (ProviderChoice::EasyInvoice, true)] {
        let (sim, demo) = sim(choice).await;
        let demo = [demo];
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = open(&dir.path().join("shop.db"), choice);
        let p = client(&shop, &secrets, &demo);
        let invoicer = Invoicer::new();
        let mine = sale(&shop, 150_000);
        let other = sale(&shop, if same_amount { 150_000 } else { 990_000 });

        // Two sends cut before the provider stored anything: the row waits, unclear, key kept.
        sim.set_faults(Faults { reset_before_commit: Knob::times(2), only: vec!["ImportAndPublishInv".into(), "importAndIssueInvoice".into()], ..Default::default() });
        assert!(invoicer.issue(&shop, &secrets, &p, mine).await.is_err());
        sim.clear_faults();
        let row = shop.lock().unwrap().store().live_invoice_of_sale(mine).unwrap().unwrap();
        assert_eq!(row.status, InvoiceStatus::NeedsReconcile, "{}", choice.code());

        // Meanwhile another sale's invoice reaches the provider under that key.
        let mut foreign = {
            let shop = shop.lock().unwrap();
            let sale = shop.sale(other).unwrap();
            draft_for_invoice(&shop, &sale, &row).unwrap()
        };
        if same_amount {
            foreign.issue_date = calendar::now().date() - time::Duration::days(40);
        }
        p.issue(std::slice::from_ref(&foreign)).await.unwrap();
        assert_eq!(sim.issued_count(), 1);

        let report = invoicer.process_queue(&shop, &secrets, &p).await.unwrap();
        assert_eq!((report.issued, report.key_conflicts), (0, 1), "{}: {report:?}", choice.code());
        let row = shop.lock().unwrap().store().invoice(row.id).unwrap();
        assert_eq!(row.status, InvoiceStatus::KeyConflict);
        assert_eq!(row.number, None, "nothing recorded as issued");
        let what = row.conflict.clone().unwrap();
        eprintln!("{}: {what}", choice.code());
        assert!(what.contains(if same_amount { "ngày lập" } else { "tổng tiền" }), "{what}");
        assert!(row.last_error.unwrap().starts_with("Trùng mã"));
        let events: Vec<String> = shop.lock().unwrap().store().invoice_events(row.id).unwrap().into_iter().map(|e| e.kind.as_str().to_string()).collect();
        assert!(!events.contains(&"issued".to_string()), "{events:?}");
        // Nothing sends it again under that key, neither a click nor the queue.
        assert!(matches!(invoicer.issue(&shop, &secrets, &p, mine).await, Err(Error::Invalid { .. })));
        assert_eq!(invoicer.process_queue(&shop, &secrets, &p).await.unwrap(), Default::default());
        assert_eq!(sim.issued_count(), 1);

        // The owner checked and confirms: a new key, issued once, with this sale's amount.
        let again = invoicer.reissue_with_new_key(&shop, &secrets, &p, row.id).await.unwrap();
        assert_eq!(again.status, InvoiceStatus::Issued);
        assert_ne!(again.key, row.key);
        assert_eq!(sim.invoice(&support::sim_key(choice, &again.key)).unwrap().amount, 165_000);
        assert_eq!(shop.lock().unwrap().store().invoice(row.id).unwrap().status, InvoiceStatus::Cancelled);
        assert_eq!(sim.issued_count(), 2);
        assert!(sim.issued_per_key().values().all(|&n| n == 1));
    }
}

/// The duplicate answer to a send: the row is queued (provider unreachable), another sale's
/// invoice takes the key meanwhile, and the send is answered "duplicate".
#[tokio::test]
async fn a_duplicate_answer_for_another_sales_invoice_is_a_key_conflict() {
    for choice in ProviderChoice::ALL {
        let (mut sim, demo) = sim(choice).await;
        let port = sim.port();
        let demo = [demo];
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretStore::new(dir.path());
        let shop = open(&dir.path().join("shop.db"), choice);
        let p = client(&shop, &secrets, &demo);
        let invoicer = Invoicer::new();
        let mine = sale(&shop, 150_000);
        let other = sale(&shop, 420_000);
        sim.stop();
        assert!(invoicer.issue(&shop, &secrets, &p, mine).await.is_err());
        let row = shop.lock().unwrap().store().live_invoice_of_sale(mine).unwrap().unwrap();
        assert_eq!(row.status, InvoiceStatus::Queued);
        let sim = match choice {
            ProviderChoice::Vnpt => start_vnpt(VnptConfig::default(), port).await.unwrap(),
            ProviderChoice::EasyInvoice => start_easyinvoice(EasyInvoiceConfig::default(), port).await.unwrap(),
            ProviderChoice::Viettel => start_viettel(ViettelConfig::default(), port).await.unwrap(),
        };
        let foreign = {
            let shop = shop.lock().unwrap();
            let sale = shop.sale(other).unwrap();
            draft_for_invoice(&shop, &sale, &row).unwrap()
        };
        p.issue(std::slice::from_ref(&foreign)).await.unwrap();
        let done = invoicer.issue(&shop, &secrets, &p, mine).await.unwrap();
        assert_eq!(done.status, InvoiceStatus::KeyConflict, "{}", choice.code());
        assert_eq!(sim.issued_count(), 1);
        assert_eq!(sim.invoice(&support::sim_key(choice, &row.key)).unwrap().amount, 462_000, "the other sale's invoice is left as it is");
    }
}

/// Counts the connections made to `target` through it: no connection, no request.
async fn counting_proxy(target: u16) -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(("127.0.0.1", target)).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (port, count)
}

fn real_form(choice: ProviderChoice, port: u16, signing: Signing) -> InvoiceSettingsForm {
    let (username, password, account, ac_password, template, seller_tax_code) = match choice {
        ProviderChoice::Vnpt => {
            let c = VnptConfig::default();
            (c.username, c.password, c.account, c.ac_password, c.patterns[0].0.clone(), String::new())
        }
        ProviderChoice::EasyInvoice => {
            let c = EasyInvoiceConfig::default();
            (c.username, c.password, String::new(), String::new(), c.patterns[0].0.clone(), String::new())
        }
        ProviderChoice::Viettel => {
            let c = ViettelConfig::default();
            (c.username, c.password, String::new(), String::new(), c.templates[0].0.clone(), c.supplier_tax_code)
        }
    };
    InvoiceSettingsForm {
        provider: choice,
        demo: false,
        base_url: format!("http://127.0.0.1:{port}"),
        username,
        password,
        account,
        ac_password,
        seller_tax_code,
        location_code: String::new(),
        template,
        serial: "C26TAA".into(),
        signing,
    }
}

/// Drafts made in demo mode with token signing, then a real account with provider signing:
/// the queue never signs them at the real provider (0 connections to it), the window cannot
/// either, and they stay listed as "gửi ở tài khoản cũ". A new sale does go to the real one.
#[tokio::test]
async fn demo_drafts_never_reach_the_real_account() {
    let (_demo_sim, demo) = sim(ProviderChoice::EasyInvoice).await;
    let demo = [demo];
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::new(dir.path());
    let shop = open(&dir.path().join("shop.db"), ProviderChoice::EasyInvoice);
    shop.lock().unwrap().store().set_setting("invoice.signing", "token").unwrap();
    let invoicer = Invoicer::new();
    let p = client(&shop, &secrets, &demo);
    let drafts: Vec<i64> = (0..3).map(|n| sale(&shop, 50_000 + n)).collect();
    for &id in &drafts {
        assert_eq!(invoicer.issue(&shop, &secrets, &p, id).await.unwrap().status, InvoiceStatus::Draft);
    }

    let (real_sim, _) = sim(ProviderChoice::EasyInvoice).await;
    let (port, connections) = counting_proxy(real_sim.port()).await;
    let form = real_form(ProviderChoice::EasyInvoice, port, Signing::Provider);
    let asked = shop.lock().unwrap().save_invoice_settings_checked(&secrets, &form, false).unwrap();
    assert!(!asked.saved, "another account while drafts wait: the owner is asked first");
    assert_eq!(asked.waiting.len(), 3);
    assert!(asked.warning.as_deref().unwrap().contains("tài khoản cũ"));
    assert!(shop.lock().unwrap().invoice_settings(&secrets).unwrap().demo, "nothing saved");
    let saved = shop.lock().unwrap().save_invoice_settings_checked(&secrets, &form, true).unwrap();
    assert!(saved.saved && !saved.settings.demo);

    let real = client(&shop, &secrets, &[]);
    let report = invoicer.process_queue(&shop, &secrets, &real).await.unwrap();
    assert_eq!((report.issued, report.other_account), (0, 3), "{report:?}");
    for &id in &drafts {
        let refused = invoicer.issue(&shop, &secrets, &real, id).await.unwrap_err();
        assert!(refused.user_message().contains("tài khoản cũ"), "{refused:?}");
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0, "no request for the demo drafts reached the real account");
    assert!(real_sim.invoices().is_empty());
    let rows = shop.lock().unwrap().invoice_rows(&[InvoiceStatus::Draft]).unwrap();
    assert_eq!(rows.iter().filter(|r| r.other_account).count(), 3, "still listed, as the old account's");

    // The real account works: a new sale is issued there.
    let new = sale(&shop, 77_000);
    assert_eq!(invoicer.issue(&shop, &secrets, &real, new).await.unwrap().status, InvoiceStatus::Issued);
    assert!(connections.load(Ordering::SeqCst) > 0);
    assert_eq!(real_sim.issued_count(), 1);
    eprintln!("demo → real: 3 demo drafts, 0 connections to the real account for them; a new sale issued there once");
}

/// Rows left unclear at VNPT, then the shop switches to EasyInvoice: 0 connections to
/// EasyInvoice for them. Back on VNPT they are reconciled there, issued once each.
#[tokio::test]
async fn unclear_rows_at_vnpt_are_never_sent_to_easyinvoice() {
    let (vnpt_sim, vnpt_demo) = sim(ProviderChoice::Vnpt).await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::new(dir.path());
    let shop = open(&dir.path().join("shop.db"), ProviderChoice::Vnpt);
    let invoicer = Invoicer::new();
    let vnpt = client(&shop, &secrets, std::slice::from_ref(&vnpt_demo));
    let ids: Vec<i64> = (0..3).map(|n| sale(&shop, 60_000 + n)).collect();
    // Every answer is lost after the provider stored the invoice: unclear rows.
    vnpt_sim.set_faults(Faults { drop_after_commit: Knob::times(1000), ..Default::default() });
    for &id in &ids {
        assert!(invoicer.issue(&shop, &secrets, &vnpt, id).await.is_err());
        assert_eq!(shop.lock().unwrap().store().live_invoice_of_sale(id).unwrap().unwrap().status, InvoiceStatus::NeedsReconcile);
    }
    vnpt_sim.clear_faults();
    // A fourth sale clearly refused at VNPT (no numbers left): it never became an invoice.
    let refused = sale(&shop, 70_000);
    vnpt_sim.set_range_size(Some(0));
    assert!(invoicer.issue(&shop, &secrets, &vnpt, refused).await.is_err());
    vnpt_sim.set_range_size(None);
    assert_eq!(shop.lock().unwrap().store().live_invoice_of_sale(refused).unwrap().unwrap().status, InvoiceStatus::Failed);

    let (easy_sim, _) = sim(ProviderChoice::EasyInvoice).await;
    let (port, connections) = counting_proxy(easy_sim.port()).await;
    let form = real_form(ProviderChoice::EasyInvoice, port, Signing::Provider);
    let saved = shop.lock().unwrap().save_invoice_settings_checked(&secrets, &form, true).unwrap();
    assert_eq!(saved.waiting.len(), 3, "the owner was told which invoices stay with VNPT");
    let easy = client(&shop, &secrets, &[]);
    for _ in 0..3 {
        let report = invoicer.process_queue(&shop, &secrets, &easy).await.unwrap();
        assert_eq!(report.other_account, 3);
    }
    for &id in &ids {
        let row = shop.lock().unwrap().store().live_invoice_of_sale(id).unwrap().unwrap();
        assert!(invoicer.reconcile(&shop, &secrets, &easy, row.id).await.is_err());
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0, "0 sends to EasyInvoice for rows unclear at VNPT");
    assert!(easy_sim.invoices().is_empty());
    // The refused one may go to EasyInvoice: a new row there, the VNPT one set aside.
    let moved = invoicer.issue(&shop, &secrets, &easy, refused).await.unwrap();
    assert_eq!(moved.status, InvoiceStatus::Issued);
    assert_eq!(moved.provider, "easyinvoice");
    assert_eq!(easy_sim.issued_count(), 1);
    let rows = shop.lock().unwrap().store().invoices_of_sale(refused).unwrap();
    assert_eq!(rows.iter().map(|r| r.status).collect::<Vec<_>>(), [InvoiceStatus::Cancelled, InvoiceStatus::Issued]);

    // Back to the VNPT account (the demo one here): reconciled there, each once.
    let back = InvoiceSettingsForm { provider: ProviderChoice::Vnpt, demo: true, template: "1/001".into(), ..form };
    assert!(shop.lock().unwrap().save_invoice_settings_checked(&secrets, &back, false).unwrap().saved, "nothing of EasyInvoice waits");
    let report = invoicer.process_queue(&shop, &secrets, &vnpt).await.unwrap();
    assert_eq!((report.issued, report.other_account), (3, 0), "{report:?}");
    assert_eq!(vnpt_sim.issued_count(), 3);
    assert!(vnpt_sim.issued_per_key().values().all(|&n| n == 1));
    eprintln!("VNPT → EasyInvoice: 3 unclear rows, 0 connections to EasyInvoice; back on VNPT 3 issued, 0 duplicates");
}

/// The case the issue starts from: a restored backup holds a row with an old-style key
/// (`HD<prefix>-<sale>-<attempt>`, kept as it was), and the provider already issued another
/// sale's invoice under that key (seeded into the simulator). The queue asks by key, finds
/// another amount and date, and records "Trùng mã": the other sale's number is not taken.
#[tokio::test]
async fn an_old_key_the_provider_holds_for_another_sale_is_a_key_conflict() {
    use hoadon_core::store::NewInvoice;
    use hoadon_sim_einvoice::SimInvoice;
    let (sim, demo) = sim(ProviderChoice::Vnpt).await;
    let demo = [demo];
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::new(dir.path());
    let shop = open(&dir.path().join("shop.db"), ProviderChoice::Vnpt);
    let p = client(&shop, &secrets, &demo);
    let id = sale(&shop, 150_000);
    let row = {
        let shop = shop.lock().unwrap();
        let row = shop
            .store()
            .create_invoice(&NewInvoice {
                sale_id: id,
                provider: "vnpt".into(),
                key: "HD3A9F1C-1-1".into(),
                template: "1/001".into(),
                symbol: "C26TAA".into(),
                status: InvoiceStatus::Queued,
                tax_authority_code: None,
                replaces_id: None,
                relation: hoadon_core::store::Relation::Original,
                account: None,
            })
            .unwrap();
        shop.store().set_invoice_status(row.id, InvoiceStatus::NeedsReconcile, hoadon_core::store::EventKind::Unclear, "mất kết nối").unwrap();
        row
    };
    sim.seed(SimInvoice {
        key: row.key.clone(),
        pattern: "1/001".into(),
        serial: "C26TAA".into(),
        number: Some(7),
        status: 1,
        cus_name: "Công ty khác".into(),
        arising_date: "05/03/2026".into(),
        total: 900_000,
        vat_amount: 90_000,
        amount: 990_000,
        ..Default::default()
    });
    let invoicer = Invoicer::new();
    let report = invoicer.process_queue(&shop, &secrets, &p).await.unwrap();
    assert_eq!((report.issued, report.key_conflicts), (0, 1), "{report:?}");
    let after = shop.lock().unwrap().store().invoice(row.id).unwrap();
    assert_eq!((after.status, after.number, after.key.as_str()), (InvoiceStatus::KeyConflict, None, "HD3A9F1C-1-1"));
    assert!(after.account.is_some(), "the old row was bound to the account configured");
    let what = after.conflict.unwrap();
    assert!(what.contains("tổng tiền") && what.contains("990.000"), "{what}");
    assert_eq!(sim.issued_count(), 1, "nothing sent under the old key");
    let again = invoicer.reissue_with_new_key(&shop, &secrets, &p, row.id).await.unwrap();
    assert_eq!(again.status, InvoiceStatus::Issued);
    assert!(again.key.starts_with(&format!("HD{id}-")) && again.key.len() == format!("HD{id}-").len() + 16);
    assert_eq!(sim.issued_count(), 2);
}

/// The passwords file unreadable (its key damaged, e.g. restored from another machine): the
/// next save moves it aside, keeps the password just typed, and tells the owner in its
/// answer (shown in Cài đặt) that the other passwords must be entered again — once.
#[test]
fn a_damaged_passwords_file_is_moved_aside_and_the_save_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::new(dir.path());
    let shop = open(&dir.path().join("shop.db"), ProviderChoice::EasyInvoice);
    let form = real_form(ProviderChoice::EasyInvoice, 9, Signing::Provider);
    let first = shop.lock().unwrap().save_invoice_settings_checked(&secrets, &form, true).unwrap();
    assert!(first.saved && first.secrets_notice.is_none(), "{first:?}");

    std::fs::write(dir.path().join("secrets.key"), b"short").unwrap();
    let view = shop.lock().unwrap().invoice_settings(&secrets).expect("Cài đặt still opens");
    assert!(!view.has_password, "an unreadable password is shown as not saved");
    let again = shop.lock().unwrap().save_invoice_settings_checked(&secrets, &form, true).unwrap();
    assert!(again.saved && again.settings.has_password, "{again:?}");
    let notice = again.secrets_notice.expect("the owner is told");
    assert!(notice.contains("secrets.enc.hong-") && notice.contains("cần nhập lại"), "{notice}");
    let later = shop.lock().unwrap().save_invoice_settings_checked(&secrets, &form, true).unwrap();
    assert_eq!(later.secrets_notice, None, "said once");
}
