//! Issuing against the simulators over real HTTP on loopback: the happy path, the lost
//! answer, cancel and issue again, and 1000 issuances under random faults.

mod support;

use std::sync::Mutex;
use std::time::Duration;

use hoadon_core::invoicing::{AdjustmentForm, Change, Invoicer, ProviderChoice};
use hoadon_core::rules::calendar;
use hoadon_core::store::{AdjustmentDirection, InvoiceStatus, SaleStatus};
use hoadon_core::{Error, SaleForm, SaleLineForm, SecretStore, Shop};
use hoadon_einvoice::{AnyProvider, Timeouts};
use hoadon_sim_einvoice::{start_vnpt, Faults, Knob, SimHandle, VnptConfig};

struct Fixture {
    _dir: tempfile::TempDir,
    shop: Mutex<Shop>,
    secrets: SecretStore,
    sim: SimHandle,
    provider: AnyProvider,
}

async fn fixture(choice: ProviderChoice, timeout: Duration) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::open(dir.path().join("shop.db")).unwrap();
    let secrets = SecretStore::new(dir.path());
    let (sim, demo) = support::demo_sim(choice).await;
    shop.store().set_setting("invoice.provider", choice.code()).unwrap();
    let mut settings = shop.provider_settings(&secrets, &[demo]).unwrap();
    let t = Timeouts { connect: Duration::from_secs(2), request: timeout };
    support::set_timeouts(&mut settings, t);
    let provider = AnyProvider::new(settings).unwrap();
    Fixture { _dir: dir, shop: Mutex::new(shop), secrets, sim, provider }
}

fn sale(shop: &Mutex<Shop>, n: i64) -> i64 {
    let line = |name: &str, q: &str, p: &str, r: &str| SaleLineForm { product_id: None, name: name.into(), unit: "cái".into(), quantity: q.into(), unit_price: p.into(), vat_rate: r.into() };
    shop.lock()
        .unwrap()
        .save_sale(&SaleForm {
            customer_id: None,
            status: SaleStatus::Completed,
            note: String::new(),
            lines: vec![line("Áo dài lụa", "1", &format!("{}", 500_000 + n), "10"), line("Khăn", "2", "35.000", "5")],
            sold_at: Some(calendar::now().unix_timestamp()),
        })
        .unwrap()
        .id
}

#[tokio::test]
async fn vnpt_issue_cancel_and_issue_again_with_a_new_key() {
    let f = fixture(ProviderChoice::Vnpt, Duration::from_secs(10)).await;
    let invoicer = Invoicer::new();
    let id = sale(&f.shop, 1);
    let first = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    assert_eq!(first.status, InvoiceStatus::Issued);
    assert!(first.number.unwrap() > 0);

    let again = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap_err();
    assert!(matches!(again, Error::AlreadyIssued { .. }), "{again:?}");
    assert_eq!(f.sim.issued_count(), 1);

    let pdf = invoicer.provider_pdf(&f.shop, &f.provider, first.id).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    assert!(matches!(invoicer.cancel(&f.shop, &f.provider, first.id, " ").await, Err(Error::Invalid { .. })));
    let cancelled = invoicer.cancel(&f.shop, &f.provider, first.id, "Khách trả lại hàng").await.unwrap();
    assert_eq!(cancelled.status, InvoiceStatus::Cancelled);

    let second = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    assert_eq!(second.status, InvoiceStatus::Issued);
    assert_ne!(second.key, first.key, "a cancelled invoice issued again gets a new key");
    assert_ne!(second.number, first.number);
    assert!(f.sim.issued_per_key().values().all(|&n| n == 1));
    let events: Vec<String> = f.shop.lock().unwrap().store().invoice_events(first.id).unwrap().into_iter().map(|e| e.kind.as_str().to_string()).collect();
    assert_eq!(events, ["created", "sending", "issued", "cancelling", "cancelled"]);
}

#[tokio::test]
async fn a_lost_answer_ends_with_exactly_one_invoice() {
    let f = fixture(ProviderChoice::EasyInvoice, Duration::from_secs(10)).await;
    f.sim.set_faults(Faults { drop_after_commit: Knob::times(1), only: vec!["importAndIssueInvoice".into()], ..Default::default() });
    let invoicer = Invoicer::new();
    let id = sale(&f.shop, 2);
    let inv = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    assert_eq!(inv.status, InvoiceStatus::Issued);
    assert_eq!(f.sim.issued_count(), 1);
    assert_eq!(f.sim.issued_per_key().get(&inv.key), Some(&1));
    let events: Vec<String> = f.shop.lock().unwrap().store().invoice_events(inv.id).unwrap().into_iter().map(|e| e.kind.as_str().to_string()).collect();
    assert_eq!(events, ["created", "sending", "unclear", "issued"], "the lost answer was reconciled by key, not re-sent");
}

/// The issue and the look-up after it both lose their answers: the owner is told the outcome
/// is unclear, that the app asks again by itself, and where the invoice waits meanwhile.
#[tokio::test]
async fn an_unclear_issue_says_where_the_invoice_waits() {
    let f = fixture(ProviderChoice::EasyInvoice, Duration::from_secs(10)).await;
    f.sim.set_faults(Faults { drop_after_commit: Knob::times(20), ..Default::default() });
    let id = sale(&f.shop, 3);
    let refused = Invoicer::new().issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap_err();
    let Error::Provider { message, unclear: true } = &refused else { panic!("{refused:?}") };
    assert!(message.ends_with("Ứng dụng sẽ tự kiểm tra lại với nhà cung cấp; hóa đơn đang ở mục «Cần xử lý» của màn hình Hóa đơn."), "{message}");
    let row = f.shop.lock().unwrap().store().live_invoice_of_sale(id).unwrap().unwrap();
    assert_eq!(row.status, InvoiceStatus::NeedsReconcile);
}

#[tokio::test]
async fn an_unreachable_provider_queues_the_invoice_and_the_queue_sends_it_later() {
    let mut f = fixture(ProviderChoice::Vnpt, Duration::from_secs(5)).await;
    let port = f.sim.port();
    f.sim.stop();
    let invoicer = Invoicer::new();
    let id = sale(&f.shop, 3);
    let err = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap_err();
    assert_eq!(err.code(), "provider", "{err:?}");
    let inv = f.shop.lock().unwrap().store().live_invoice_of_sale(id).unwrap().unwrap();
    assert_eq!(inv.status, InvoiceStatus::Queued);

    // The provider comes back on the same address.
    let sim = start_vnpt(VnptConfig::default(), port).await.unwrap();
    let report = invoicer.process_queue(&f.shop, &f.secrets, &f.provider).await.unwrap();
    assert_eq!(report.issued, 1);
    assert_eq!(f.shop.lock().unwrap().store().invoice(inv.id).unwrap().status, InvoiceStatus::Issued);
    assert_eq!(sim.issued_count(), 1);
}

/// 1000 issuances, each against random faults on both the issue and the query calls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_issuances_under_random_faults_never_duplicate_or_lose() {
    for choice in ProviderChoice::ALL {
        let f = fixture(choice, Duration::from_millis(300)).await;
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        eprintln!("{} seed {seed}", choice.code());
        f.sim.set_faults(Faults {
            delay_ms: 0,
            reset_before_commit: Knob::probability(0.08),
            drop_after_commit: Knob::probability(0.08),
            server_error: Knob::probability(0.08),
            malformed: Knob::probability(0.05),
            only: vec![],
            seed,
        });
        let invoicer = Invoicer::new();
        let n = 500;
        let ids: Vec<i64> = (0..n).map(|i| sale(&f.shop, i)).collect();
        for &id in &ids {
            let _ = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await;
        }
        // The shop then lets the queue run until the provider behaves again.
        f.sim.clear_faults();
        // A loaded machine can still time out the short client timeout: the queue simply runs
        // again, as it does every 30 s in the app.
        for pass in 1..=5 {
            let report = invoicer.process_queue(&f.shop, &f.secrets, &f.provider).await.unwrap();
            eprintln!("{}: queue pass {pass} {report:?}", choice.code());
            if report.still_waiting == 0 {
                break;
            }
        }

        let per_key = f.sim.issued_per_key();
        assert!(per_key.values().all(|&c| c == 1), "a key numbered twice: {per_key:?}");
        let shop = f.shop.lock().unwrap();
        let mut issued = 0;
        for &id in &ids {
            let sale = shop.sale(id).expect("no sale is lost");
            let inv = sale.invoice.expect("every sale has its invoice row");
            match inv.status {
                InvoiceStatus::Issued => {
                    issued += 1;
                    assert_eq!(per_key.get(&support::sim_key(choice, &inv.key)), Some(&1), "issued here means issued there");
                }
                InvoiceStatus::NeedsReconcile | InvoiceStatus::Failed => assert!(inv.last_error.is_some(), "a reason is kept"),
                other => panic!("sale {id} left in {other:?}"),
            }
        }
        // Every invoice the provider numbered belongs to one sale, and the shop knows it.
        assert_eq!(per_key.len(), issued, "the provider has no invoice the shop does not know about");
        let sales_per_invoice = shop.store().connection().query_row("SELECT COUNT(DISTINCT sale_id) = COUNT(*) FROM invoices WHERE status = 'issued'", [], |r| r.get::<_, bool>(0)).unwrap();
        assert!(sales_per_invoice);
        eprintln!("{}: {n} sales, {issued} issued, {} duplicates", choice.code(), 0);
    }
}

#[tokio::test]
async fn cash_register_invoices_carry_increasing_codes_stored_before_sending() {
    let f = fixture(ProviderChoice::EasyInvoice, Duration::from_secs(10)).await;
    let yy = calendar::now().year() % 100;
    let plain = sale(&f.shop, 99);
    let inv = Invoicer::new().issue(&f.shop, &f.secrets, &f.provider, plain).await.unwrap();
    assert!(inv.lookup_code.is_some(), "EasyInvoice's look-up code is asked for after issuing");
    {
        let shop = f.shop.lock().unwrap();
        shop.store().set_setting("invoice.serial", &format!("C{yy:02}MAA")).unwrap();
        shop.store().set_setting("invoice.device", "QUAY1").unwrap();
    }
    let invoicer = Invoicer::new();
    let mut codes = Vec::new();
    for n in 0..3 {
        let id = sale(&f.shop, 100 + n);
        let inv = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
        let code = inv.tax_authority_code.clone().expect("a cash-register invoice has its code");
        let events = f.shop.lock().unwrap().store().invoice_events(inv.id).unwrap();
        assert_eq!(events[0].kind, "created", "the code was stored with the row, before sending");
        codes.push(code);
    }
    assert_eq!(codes, (1..=3).map(|s| format!("M1-{yy:02}-QUAY1-{s:011}")).collect::<Vec<_>>());
    // The provider received each code with its invoice.
    let sent: Vec<Option<String>> = f.sim.invoices().iter().map(|i| i.tax_authority_code.clone()).collect();
    assert_eq!(sent.into_iter().flatten().collect::<Vec<_>>(), codes);
}

/// Token signing: "Xuất hóa đơn" leaves an unsigned invoice at the provider, a lost answer
/// included; the queue learns the number once the owner signed it there.
async fn token_signing_drafts_then_learns_the_number(choice: ProviderChoice) {
    let f = fixture(choice, Duration::from_secs(10)).await;
    f.shop.lock().unwrap().store().set_setting("invoice.signing", "token").unwrap();
    let invoicer = Invoicer::new();
    let id = sale(&f.shop, 21);

    f.sim.set_faults(Faults { drop_after_commit: Knob::times(1), ..Default::default() });
    let drafted = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    f.sim.clear_faults();
    assert_eq!(drafted.status, InvoiceStatus::Draft, "{}", choice.code());
    assert_eq!(drafted.number, None);
    assert_eq!(f.sim.issued_count(), 0, "nothing signed by the app");
    let held = f.sim.invoice(&drafted.key).expect("the provider holds the draft");
    assert_eq!(held.number, None);

    // Clicking again, or the queue, only looks: still a draft, and no event per look.
    let events = |inv: i64| f.shop.lock().unwrap().store().invoice_events(inv).unwrap().len();
    let before = events(drafted.id);
    assert_eq!(invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap().status, InvoiceStatus::Draft);
    let report = invoicer.process_queue(&f.shop, &f.secrets, &f.provider).await.unwrap();
    assert_eq!((report.issued, report.drafts_signed, report.failed), (0, 0, 0));
    assert_eq!(events(drafted.id), before);
    assert!(matches!(invoicer.change(&f.shop, &f.secrets, &f.provider, drafted.id, Change::Replace).await, Err(Error::Invalid { .. })));

    // The owner signs it with the token in the provider's software.
    let number = f.sim.sign_draft(&drafted.key).expect("a draft to sign");
    let report = invoicer.process_queue(&f.shop, &f.secrets, &f.provider).await.unwrap();
    assert_eq!(report.drafts_signed, 1, "{}", choice.code());
    let row = f.shop.lock().unwrap().store().invoice(drafted.id).unwrap();
    assert_eq!(row.status, InvoiceStatus::Issued);
    assert_eq!(row.number, Some(number as i64));
    assert!(f.sim.issued_per_key().values().all(|&n| n == 1));
    assert_eq!(f.sim.issued_count(), 1);
}

#[tokio::test]
async fn easyinvoice_token_signing_drafts_then_learns_the_number() {
    token_signing_drafts_then_learns_the_number(ProviderChoice::EasyInvoice).await;
}

#[tokio::test]
async fn vnpt_token_signing_drafts_then_learns_the_number() {
    token_signing_drafts_then_learns_the_number(ProviderChoice::Vnpt).await;
}

#[tokio::test]
async fn a_draft_is_signed_by_the_provider_once_the_shop_switches_to_remote_signing() {
    let f = fixture(ProviderChoice::EasyInvoice, Duration::from_secs(10)).await;
    f.shop.lock().unwrap().store().set_setting("invoice.signing", "token").unwrap();
    let invoicer = Invoicer::new();
    let id = sale(&f.shop, 22);
    let drafted = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    assert_eq!(drafted.status, InvoiceStatus::Draft);

    f.shop.lock().unwrap().store().set_setting("invoice.signing", "provider").unwrap();
    // The answer to the signing is lost: asked by key, signed once, never imported again.
    f.sim.set_faults(Faults { drop_after_commit: Knob::times(1), only: vec!["issueInvoices".into()], ..Default::default() });
    let issued = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    f.sim.clear_faults();
    assert_eq!(issued.id, drafted.id);
    assert_eq!(issued.status, InvoiceStatus::Issued);
    assert!(issued.number.unwrap() > 0);
    assert_eq!(f.sim.issued_count(), 1);
    assert!(f.sim.issued_per_key().values().all(|&n| n == 1));
}

#[tokio::test]
async fn with_token_signing_a_cash_register_invoice_is_still_issued_at_once() {
    let f = fixture(ProviderChoice::Vnpt, Duration::from_secs(10)).await;
    let yy = calendar::now().year() % 100;
    {
        let shop = f.shop.lock().unwrap();
        shop.store().set_setting("invoice.signing", "token").unwrap();
        shop.store().set_setting("invoice.serial", &format!("C{yy:02}MAA")).unwrap();
    }
    let id = sale(&f.shop, 24);
    // A fault only on the cash-register operation shows which one was called.
    f.sim.set_faults(Faults { server_error: Knob::times(1), only: vec!["ImportAndPublishInvMTT".into()], ..Default::default() });
    let inv = Invoicer::new().issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    assert_eq!(inv.status, InvoiceStatus::Issued, "no token signs a cash-register invoice");
    assert!(inv.number.is_some() && inv.tax_authority_code.is_some());
    assert_eq!(f.sim.issued_count(), 1);
    let events = f.shop.lock().unwrap().store().invoice_events(inv.id).unwrap();
    assert!(events.iter().any(|e| e.kind == "unclear"), "sent through ImportAndPublishInvMTT: {events:?}");
}

#[tokio::test]
async fn a_failed_look_at_the_drafts_does_not_stop_the_queue() {
    let f = fixture(ProviderChoice::Vnpt, Duration::from_secs(10)).await;
    f.shop.lock().unwrap().store().set_setting("invoice.signing", "token").unwrap();
    let invoicer = Invoicer::new();
    let drafted = invoicer.issue(&f.shop, &f.secrets, &f.provider, sale(&f.shop, 25)).await.unwrap();
    assert_eq!(drafted.status, InvoiceStatus::Draft);
    // A sale whose sends were cut twice waits in the queue ("Cần xử lý").
    let waiting = sale(&f.shop, 26);
    f.sim.set_faults(Faults { reset_before_commit: Knob::times(2), only: vec!["ImportInvByPattern".into()], ..Default::default() });
    assert!(invoicer.issue(&f.shop, &f.secrets, &f.provider, waiting).await.is_err());
    // The look at the drafts gets a garbled answer; the waiting sale is still sent.
    f.sim.set_faults(Faults { malformed: Knob::times(1), only: vec!["listInvByCusFkey".into()], ..Default::default() });
    let report = invoicer.process_queue(&f.shop, &f.secrets, &f.provider).await.unwrap();
    f.sim.clear_faults();
    assert_eq!(report.drafts_signed, 0);
    assert!(report.still_waiting >= 1, "{report:?}");
    let second = f.shop.lock().unwrap().store().live_invoice_of_sale(waiting).unwrap().unwrap();
    assert_eq!(second.status, InvoiceStatus::Draft, "the queued sale went out (as a draft, the shop signs by token)");
}

#[tokio::test]
async fn a_draft_deleted_at_the_provider_is_said_so_and_can_be_created_again() {
    let f = fixture(ProviderChoice::EasyInvoice, Duration::from_secs(10)).await;
    f.shop.lock().unwrap().store().set_setting("invoice.signing", "token").unwrap();
    let invoicer = Invoicer::new();
    let id = sale(&f.shop, 23);
    let drafted = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    assert!(f.sim.delete_draft(&drafted.key), "the owner deletes the draft in the provider's software");
    invoicer.process_queue(&f.shop, &f.secrets, &f.provider).await.unwrap();
    let row = f.shop.lock().unwrap().store().invoice(drafted.id).unwrap();
    assert_eq!(row.status, InvoiceStatus::Failed);
    assert!(row.last_error.unwrap().contains("Xuất hóa đơn"));
    let again = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    assert_eq!((again.id, again.status), (drafted.id, InvoiceStatus::Draft));
    assert!(f.sim.invoice(&drafted.key).is_some());
}

#[tokio::test]
async fn adjust_amounts_sends_the_typed_differences_once() {
    for choice in ProviderChoice::ALL {
        let f = fixture(choice, Duration::from_secs(10)).await;
        let invoicer = Invoicer::new();
        let id = sale(&f.shop, 9);
        let first = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
        let line = |q: &str, p: &str| SaleLineForm { product_id: None, name: "Khăn".into(), unit: "cái".into(), quantity: q.into(), unit_price: p.into(), vat_rate: "5".into() };
        let form = |reason: &str, lines| AdjustmentForm { direction: AdjustmentDirection::Decrease, reason: reason.into(), lines };

        // A mistake in the form is refused before anything is stored or sent.
        let refused = invoicer.adjust_amounts(&f.shop, &f.secrets, &f.provider, first.id, &form("", vec![line("-1", "35.000")])).await.unwrap_err();
        assert!(matches!(refused, Error::Invalid { ref fields, .. } if fields.len() == 2), "{refused:?}");
        assert_eq!(f.shop.lock().unwrap().store().invoices_of_sale(id).unwrap().len(), 1);

        // The answer is lost once: the app asks by key and sends the stored lines, once.
        f.sim.set_faults(Faults { drop_after_commit: Knob::times(1), ..Default::default() });
        let adjusting = invoicer
            .adjust_amounts(&f.shop, &f.secrets, &f.provider, first.id, &form("Trả lại 1 khăn lỗi", vec![line("1", "35.000")]))
            .await
            .unwrap();
        f.sim.clear_faults();
        assert_eq!(adjusting.status, InvoiceStatus::Issued, "{}", choice.code());
        assert_eq!(adjusting.adjustment, Some(AdjustmentDirection::Decrease));
        assert_eq!(adjusting.replaces_id, Some(first.id));
        {
            let shop = f.shop.lock().unwrap();
            assert_eq!(shop.store().invoice(first.id).unwrap().status, InvoiceStatus::Adjusted);
            let stored = shop.store().adjustment_of(adjusting.id).unwrap().unwrap();
            assert_eq!((stored.totals.subtotal.0, stored.totals.vat.0, stored.totals.total.0), (35_000, 1_750, 36_750));
            let events = shop.store().invoice_events(adjusting.id).unwrap();
            assert!(events.iter().any(|e| e.kind == "reason" && e.detail == "Trả lại 1 khăn lỗi"), "{events:?}");
            // The app's own print of it shows the difference and names the invoice it adjusts.
            let printed = shop.printed_invoice(id, "1", "C26TAA").unwrap();
            assert_eq!((printed.lines.len(), printed.totals.total.0), (1, 36_750));
            assert_eq!(printed.number, adjusting.number.map(|n| n as u64));
            let note = printed.note.unwrap();
            let expected = format!("Điều chỉnh giảm cho hóa đơn mẫu số {}, ký hiệu {}, số {}", first.template, first.symbol, first.number.unwrap());
            assert!(note.starts_with(&expected) && note.ends_with("Lý do: Trả lại 1 khăn lỗi."), "{note}");
        }

        // The provider holds exactly one adjusting invoice, carrying the difference only.
        assert!(f.sim.issued_per_key().values().all(|&n| n == 1));
        assert_eq!(f.sim.issued_count(), 2, "{}: original and adjustment", choice.code());
        let sent = f.sim.invoice(&support::sim_key(choice, &adjusting.key)).expect("the provider has the adjusting invoice");
        // Viettel subtracts the rows sent with `isIncreaseItem: false`, so it holds a decrease
        // as negative figures; the others hold the difference's size and a direction.
        let expected = if choice == ProviderChoice::Viettel { (1, -35_000, -1_750, -36_750) } else { (1, 35_000, 1_750, 36_750) };
        assert_eq!((sent.lines.len(), sent.total, sent.vat_amount, sent.amount), expected, "{}", choice.code());
        assert!(matches!(invoicer.change(&f.shop, &f.secrets, &f.provider, first.id, Change::Replace).await, Err(Error::Invalid { .. })), "an adjusted invoice is not changed again");
    }
}

#[tokio::test]
async fn a_refused_adjustment_gives_way_to_a_corrected_one() {
    let f = fixture(ProviderChoice::Vnpt, Duration::from_secs(10)).await;
    let invoicer = Invoicer::new();
    let id = sale(&f.shop, 11);
    let first = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();
    let form = |price: &str| AdjustmentForm {
        direction: AdjustmentDirection::Increase,
        reason: "Bổ sung phí giao hàng".into(),
        lines: vec![SaleLineForm { product_id: None, name: "Phí giao hàng".into(), unit: "lần".into(), quantity: "1".into(), unit_price: price.into(), vat_rate: "10".into() }],
    };
    // The provider runs out of numbers: a clear refusal, nothing issued under that key.
    f.sim.set_range_size(Some(1));
    let refused = invoicer.adjust_amounts(&f.shop, &f.secrets, &f.provider, first.id, &form("20.000")).await.unwrap_err();
    assert!(matches!(refused, Error::Provider { unclear: false, .. }), "{refused:?}");
    f.sim.set_range_size(None);
    let second = invoicer.adjust_amounts(&f.shop, &f.secrets, &f.provider, first.id, &form("25.000")).await.unwrap();
    assert_eq!(second.status, InvoiceStatus::Issued);
    let all = f.shop.lock().unwrap().store().invoices_of_sale(id).unwrap();
    let statuses: Vec<_> = all.iter().map(|i| i.status).collect();
    assert_eq!(statuses, [InvoiceStatus::Adjusted, InvoiceStatus::Cancelled, InvoiceStatus::Issued]);
    assert_eq!(f.sim.invoice(&second.key).unwrap().total, 25_000);
    assert_eq!(f.sim.issued_count(), 2);
}

#[tokio::test]
async fn replace_and_adjust_an_issued_invoice_once_each() {
    for choice in ProviderChoice::ALL {
        let f = fixture(choice, Duration::from_secs(10)).await;
        let invoicer = Invoicer::new();
        let id = sale(&f.shop, 7);
        let first = invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await.unwrap();

        // The answer to the replacement is lost once: still exactly one replacement.
        f.sim.set_faults(Faults { drop_after_commit: Knob::times(1), ..Default::default() });
        let replacement = invoicer.change(&f.shop, &f.secrets, &f.provider, first.id, Change::Replace).await.unwrap();
        f.sim.clear_faults();
        assert_eq!(replacement.status, InvoiceStatus::Issued, "{}", choice.code());
        assert_eq!(replacement.replaces_id, Some(first.id));
        assert_ne!(replacement.key, first.key);
        let store = |id| f.shop.lock().unwrap().store().invoice(id).unwrap();
        assert_eq!(store(first.id).status, InvoiceStatus::Replaced);
        assert!(matches!(invoicer.change(&f.shop, &f.secrets, &f.provider, first.id, Change::Replace).await, Err(Error::Invalid { .. })), "a replaced invoice is not replaced again");
        assert!(matches!(invoicer.issue(&f.shop, &f.secrets, &f.provider, id).await, Err(Error::AlreadyIssued { .. })));

        let adjustment = invoicer.change(&f.shop, &f.secrets, &f.provider, replacement.id, Change::AdjustInformation).await.unwrap();
        assert_eq!(adjustment.status, InvoiceStatus::Issued);
        assert_eq!(store(replacement.id).status, InvoiceStatus::Adjusted);
        assert_eq!(f.shop.lock().unwrap().sale(id).unwrap().invoice.unwrap().id, adjustment.id, "the sale shows its newest invoice");
        assert!(f.sim.issued_per_key().values().all(|&n| n == 1));
        assert_eq!(f.sim.issued_count(), 3, "{}: original, replacement, adjustment", choice.code());
    }
}
