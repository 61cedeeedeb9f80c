//! The Viettel S-Invoice client against the Viettel simulator over real HTTP on loopback.
//! The simulator keys invoices by `transactionUuid`, so its counters are read through
//! [`ViettelClient::transaction_uuid`].

mod fixtures;

use std::time::Duration;

use fixtures::{draft_with, key, viettel_draft, viettel_settings, viettel_simple_draft, VIETTEL_TAX_CODE};
use hoadon_einvoice::viettel::requests::Agreement;
use hoadon_einvoice::{
    AdjustKind, AnyProvider, CancelOutcome, InvoiceDraft, InvoiceRef, InvoiceStatus, Operation, Provider, ProviderError, ProviderKind, ProviderSettings, Refusal,
    TaxCheck, Timeouts, ViettelClient, ViettelSettings,
};
use hoadon_sim_einvoice::{start_viettel, Faults, Knob, SimHandle, ViettelConfig};

fn config() -> ViettelConfig {
    ViettelConfig { password: "viettel-pass".into(), ..ViettelConfig::default() }
}

async fn sim_with(config: ViettelConfig) -> SimHandle {
    start_viettel(config, 0).await.unwrap()
}

async fn sim() -> SimHandle {
    sim_with(config()).await
}

fn client(sim: &SimHandle) -> ViettelClient {
    ViettelClient::new(viettel_settings(&sim.url())).unwrap()
}

fn client_with(sim: &SimHandle, f: impl FnOnce(&mut ViettelSettings)) -> ViettelClient {
    let mut s = viettel_settings(&sim.url());
    f(&mut s);
    ViettelClient::new(s).unwrap()
}

fn uuid(k: &str) -> String {
    ViettelClient::transaction_uuid(&key(k))
}

fn r(k: &str) -> InvoiceRef {
    InvoiceRef::new(key(k), "1/001", "C26TAA")
}

fn refusal(e: &ProviderError) -> Refusal {
    e.refusal().cloned().unwrap_or_else(|| panic!("expected a refusal, got {e:?}"))
}

/// How many invoices the simulator numbered under `k`'s transaction id.
/// The rows of a Viettel list, each without its key (the transaction id hashes it).
fn unkeyed(listed: &hoadon_einvoice::IssuedList) -> Vec<&hoadon_einvoice::UnkeyedInvoice> {
    listed
        .invoices
        .iter()
        .map(|l| match l {
            hoadon_einvoice::ListedInvoice::Unkeyed(u) => u,
            hoadon_einvoice::ListedInvoice::Keyed(s) => panic!("Viettel lists no key: {s:?}"),
        })
        .collect()
}

fn count(sim: &SimHandle, k: &str) -> u32 {
    sim.issued_per_key().get(&uuid(k)).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issues_queries_and_refuses_a_reused_id() {
    let sim = sim().await;
    let c = client(&sim);
    let issued = c.issue(&[viettel_draft("V-1"), viettel_simple_draft("V-2")]).await.unwrap();
    assert_eq!(issued.iter().map(|i| (i.pattern.as_str(), i.serial.as_str(), i.number)).collect::<Vec<_>>(), [("1/001", "C26TAA", 1), ("1/001", "C26TAA", 2)]);
    assert_eq!(issued[1].key, key("V-2"));

    let states = c.query(&[key("V-1"), key("V-2"), key("NOPE")]).await.unwrap();
    assert!(states[0].status.is_issued(), "{:?}", states[0]);
    assert_eq!((states[0].number, states[0].serial.as_deref()), (Some(1), Some("C26TAA")));
    assert!(states[0].lookup_code.as_deref().is_some_and(|c| !c.is_empty()));
    assert_eq!(states[0].paid, Some(true), "paid at the counter");
    assert_eq!(states[0].issue_date, Some(hoadon_rules::calendar::now().date()));
    assert_eq!(states[1].number, Some(2));
    assert_eq!(states[2].status, InvoiceStatus::NotFound);
    assert_eq!(states[2].key, key("NOPE"));
    assert_eq!(sim.invoice(&uuid("V-1")).unwrap().amount, 92_000, "Viettel's own totals match the app's");

    // The same key again: its transaction id is used, which may be our own lost answer.
    let again = c.issue(&[viettel_draft("V-1")]).await.unwrap_err();
    assert!(matches!(&again, ProviderError::DuplicateKey { keys, code, .. } if keys == "V-1" && code == "TRANSACTION_UUID_INVALID"), "{again:?}");
    assert!(again.is_unclear());
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
    assert_eq!(sim.issued_count(), 2);
}

/// The one provider API, through the settings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_any_provider() {
    let sim = sim().await;
    let p = AnyProvider::new(ProviderSettings::Viettel(viettel_settings(&sim.url()))).unwrap();
    assert_eq!(p.kind(), ProviderKind::Viettel);
    assert_eq!(p.kind().to_string(), "Viettel S-Invoice");
    assert!(p.as_viettel().is_some() && p.as_vnpt().is_none());
    assert!(!p.lists_drafts());
    let i = p.issue(&[viettel_simple_draft("AP-1")]).await.unwrap();
    assert_eq!(i[0].number, 1);
    assert!(p.query(&[key("AP-1")]).await.unwrap()[0].status.is_issued());
    let info = p.verify_account().await.unwrap();
    assert_eq!((info.provider, info.tax_code.as_deref()), (ProviderKind::Viettel, Some(VIETTEL_TAX_CODE)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_and_credentials() {
    let sim = sim().await;
    let c = client(&sim);
    let patterns = c.list_patterns().await.unwrap();
    let pairs: Vec<(String, String)> = patterns.iter().map(|p| (p.pattern.clone(), p.serial.clone())).collect();
    for expected in [("1/001", "C26TAA"), ("1/001", "K26TAA"), ("2/001", "C26TBB")] {
        assert!(pairs.contains(&(expected.0.to_string(), expected.1.to_string())), "{pairs:?}");
    }
    c.verify_account().await.unwrap();
    // A series the account does not hold, in the settings: said when checking the account.
    let e = client_with(&sim, |s| s.series = "C26TZZ".into()).verify_account().await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::PatternSerialMismatch);
    assert!(e.to_string().contains("C26TAA") && e.to_string().contains("C26TZZ"), "{e}");
    client_with(&sim, |s| s.series = String::new()).verify_account().await.unwrap();

    let wrong = client_with(&sim, |s| s.password = "nope".into());
    let e = wrong.verify_account().await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::LoginFailed);
    assert!(!e.is_unclear());
    let e = wrong.issue(&[viettel_simple_draft("W-1")]).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::LoginFailed);
    assert!(!e.is_unclear(), "a refused log-in sent no invoice");
    assert!(e.to_string().contains("Tên đăng nhập hoặc mật khẩu"), "{e}");

    // Another seller's tax code: the account refuses it, nothing is issued.
    let other = client_with(&sim, |s| s.supplier_tax_code = "0312345673".into());
    let e = other.issue(&[viettel_simple_draft("W-2")]).await.unwrap_err();
    assert!(!e.is_unclear(), "{e:?}");
    assert!(e.code().is_some(), "{e:?}");
    assert_eq!(sim.issued_count(), 0);
}

/// A series the account does not hold is a definite refusal, with Viettel's words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_not_held_is_refused() {
    let sim = sim().await;
    let c = client(&sim);
    let d = draft_with("S-1", "C26TZZ").with_pattern("1/001");
    let e = c.issue(&[d]).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::PatternSerialMismatch);
    assert_eq!(e.code(), Some("INVOICE_SERIAL_NOT_FOUND"));
    assert!(!e.is_unclear());
    // A bare template digit is refused here, before anything is sent.
    let e = c.issue(&[fixtures::simple_draft("S-2")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Invalid(_)), "{e:?}");
    assert_eq!(sim.issued_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pdf_even_when_it_lags() {
    let sim = sim_with(ViettelConfig { file_lag_attempts: 2, ..config() }).await;
    let c = client(&sim);
    c.issue(&[viettel_draft("P-1")]).await.unwrap();
    // Two empty answers, then the file: within the client's three asks.
    let pdf = c.pdf(&r("P-1")).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "{:?}", &pdf[..pdf.len().min(16)]);
    let zip = c.file(&r("P-1"), hoadon_einvoice::viettel::FileType::Zip).await.unwrap();
    assert!(zip.starts_with(b"PK"), "a ZIP");
    let e = c.pdf(&r("P-404")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::NotFound);

    // Longer than three asks: a clear "not ready yet", then it comes.
    let slow = sim_with(ViettelConfig { file_lag_attempts: 4, ..config() }).await;
    let c = client(&slow);
    c.issue(&[viettel_simple_draft("P-2")]).await.unwrap();
    let e = c.pdf(&r("P-2")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::FileNotReady);
    assert!(!e.is_unclear());
    assert!(e.to_string().contains("tải lại sau"), "{e}");
    assert!(c.pdf(&r("P-2")).await.unwrap().starts_with(b"%PDF-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_with_the_owner_s_reason() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[viettel_simple_draft("C-1"), viettel_simple_draft("C-2")]).await.unwrap();
    let reason = Agreement { document: "BB-07".into(), date: hoadon_rules::calendar::now().unix_timestamp(), reason: "Khách trả lại hàng".into() };
    assert_eq!(c.cancel_with(&r("C-1"), &reason).await.unwrap(), CancelOutcome::Cancelled);
    assert_eq!(c.query(&[key("C-1")]).await.unwrap()[0].status, InvoiceStatus::Cancelled);
    // Again (as after a lost answer): Viettel shows it cancelled, nothing more is sent.
    assert_eq!(c.cancel(&r("C-1")).await.unwrap(), CancelOutcome::Cancelled);
    // Through the trait, with the default reason.
    assert_eq!(Provider::cancel(&c, &r("C-2")).await.unwrap(), CancelOutcome::Cancelled);
    let e = c.cancel(&r("C-404")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::NotFound);
    let e = c.cancel_with(&r("C-2"), &Agreement { reason: " ".into(), ..reason }).await.unwrap_err();
    assert!(matches!(e, ProviderError::Invalid(_)), "{e:?}");
    assert_eq!(sim.issued_count(), 2, "cancelled invoices keep their numbers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replace_and_adjust() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[viettel_draft("O-1"), viettel_draft("O-2"), viettel_draft("O-3"), viettel_draft("O-4")]).await.unwrap();

    let new = c.replace(&r("O-1"), &viettel_draft("R-1")).await.unwrap();
    assert_eq!((new.key.as_str(), new.number), ("R-1", 5));
    let states = c.query(&[key("O-1"), key("R-1")]).await.unwrap();
    assert_eq!(states[0].status, InvoiceStatus::Replaced);
    assert!(states[1].status.is_issued());
    assert_eq!(sim.invoice(&uuid("R-1")).unwrap().replaces, Some(uuid("O-1")));

    let down = c.adjust(&r("O-2"), AdjustKind::Decrease, &viettel_simple_draft("A-1")).await.unwrap();
    assert_eq!(down.number, 6);
    let up = c.adjust(&r("O-3"), AdjustKind::Increase, &viettel_simple_draft("A-2")).await.unwrap();
    assert_eq!(up.number, 7);
    let info = c.adjust_with(&r("O-4"), AdjustKind::Information, &viettel_simple_draft("A-3"), &Agreement::none(hoadon_rules::calendar::now().unix_timestamp(), "")).await.unwrap();
    assert_eq!(info.number, 8);
    let states = c.query(&[key("O-2"), key("O-3"), key("O-4")]).await.unwrap();
    assert!(states.iter().all(|s| s.status == InvoiceStatus::Adjusted), "{states:?}");

    // The original of an adjustment must exist at Viettel: looked up first, nothing sent.
    let e = c.adjust(&r("O-404"), AdjustKind::Increase, &viettel_simple_draft("A-4")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::NotFound);
    // A replaced invoice cannot be replaced again: Viettel's refusal, definite.
    let e = c.replace(&r("O-1"), &viettel_draft("R-2")).await.unwrap_err();
    assert!(!e.is_unclear() && e.refusal().is_some(), "{e:?}");
    assert_eq!(sim.issued_count(), 8);
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_marks() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[viettel_simple_draft("M-1")]).await.unwrap();
    assert_eq!(c.query(&[key("M-1")]).await.unwrap()[0].paid, Some(true));
    let e = c.mark_paid(&r("M-1")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::AlreadyPaid);
    c.mark_unpaid(&r("M-1")).await.unwrap();
    assert_eq!(c.query(&[key("M-1")]).await.unwrap()[0].paid, Some(false));
    assert_eq!(refusal(&c.mark_unpaid(&r("M-1")).await.unwrap_err()), Refusal::AlreadyUnpaid);
    c.mark_paid(&r("M-1")).await.unwrap();
    assert_eq!(c.query(&[key("M-1")]).await.unwrap()[0].paid, Some(true));
    assert_eq!(refusal(&c.mark_paid(&r("M-404")).await.unwrap_err()), Refusal::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tax_authority_s_verdict() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[viettel_simple_draft("T-1"), viettel_simple_draft("T-2")]).await.unwrap();
    // C series: the code comes at once (the simulator's default).
    let Some(TaxCheck::Accepted { code: Some(code) }) = c.tax_verdict(&r("T-1")).await.unwrap() else { panic!("accepted with a code") };
    assert!(!code.is_empty());
    assert_eq!(c.query(&[key("T-1")]).await.unwrap()[0].status, InvoiceStatus::Approved);
    assert!(sim.set_tct_status(&uuid("T-2"), Some(-1)));
    assert_eq!(c.tax_verdict(&r("T-2")).await.unwrap(), Some(TaxCheck::Waiting));
    assert_eq!(c.query(&[key("T-2")]).await.unwrap()[0].status, InvoiceStatus::SentToTax);
    assert!(sim.set_tct_status(&uuid("T-2"), Some(-2)));
    assert!(matches!(c.tax_verdict(&r("T-2")).await.unwrap(), Some(TaxCheck::Rejected { .. })));
    assert!(sim.set_tct_status(&uuid("T-2"), Some(0)));
    assert_eq!(c.tax_verdict(&r("T-2")).await.unwrap(), Some(TaxCheck::NotSent));
    assert_eq!(c.tax_verdict(&r("T-404")).await.unwrap(), None);
}

/// The simulator expires every token; the next calls log in again by themselves, and a
/// short-lived token is renewed before it ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_renewed() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[viettel_simple_draft("E-1")]).await.unwrap();
    sim.expire_tokens();
    // A creation: the 500 GENERAL is answered before any work, and resending under the same
    // transaction id could not issue twice anyway.
    c.issue(&[viettel_simple_draft("E-2")]).await.unwrap();
    sim.expire_tokens();
    assert!(c.query(&[key("E-1")]).await.unwrap()[0].status.is_issued());
    sim.expire_tokens();
    // A cancel looks the invoice up first, which renews the token before the cancel goes.
    assert_eq!(c.cancel(&r("E-1")).await.unwrap(), CancelOutcome::Cancelled);
    sim.expire_tokens();
    assert!(c.pdf(&r("E-2")).await.unwrap().starts_with(b"%PDF-"));
    sim.expire_tokens();
    assert!(!c.list_patterns().await.unwrap().is_empty());
    assert_eq!(sim.issued_count(), 2);

    assert!(sim.issued_per_key().values().all(|&n| n == 1));

    // The token is reused: with every log-in failing from now on, calls still go through…
    sim.set_faults(Faults { reset_before_commit: Knob::probability(1.0), only: vec!["login".into()], ..Default::default() });
    c.issue(&[viettel_simple_draft("E-5")]).await.unwrap();
    assert!(c.query(&[key("E-5")]).await.unwrap()[0].status.is_issued());
    // …until it expires: the log-in that follows fails, definitely (no invoice was sent).
    sim.expire_tokens();
    let e = c.issue(&[viettel_simple_draft("E-6")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Unreachable { .. }), "{e:?}");
    assert_eq!(count(&sim, "E-6"), 0);
    sim.clear_faults();
    c.issue(&[viettel_simple_draft("E-6")]).await.unwrap();
    assert!(sim.issued_per_key().values().all(|&n| n == 1));

    let short = sim_with(ViettelConfig { token_lifetime_secs: 2, ..config() }).await;
    let c = client(&short);
    c.issue(&[viettel_simple_draft("E-3")]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    c.issue(&[viettel_simple_draft("E-4")]).await.unwrap();
    assert_eq!(short.issued_count(), 2);
}

/// Each fault surfaces as the right unclear error; asking by key then finds the one
/// invoice, and sending again never issues twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_unclear_and_recoverable() {
    let sim = sim().await;
    let c = client(&sim);
    // Log in first, so the faults meet the creation itself.
    c.list_patterns().await.unwrap();
    for (name, faults, stored) in fixtures::lost_answers("createInvoice") {
        let k = format!("F-{name}");
        sim.set_faults(faults);
        let e = c.issue(&[viettel_simple_draft(&k)]).await.unwrap_err();
        fixtures::assert_lost_answer(name, &e);
        // What the queue does after an unclear outcome: ask by key.
        let state = c.query(&[key(&k)]).await.unwrap().remove(0);
        assert_eq!(state.status.is_issued(), stored, "{name}: {state:?}");
        if stored {
            // Sending it again anyway cannot issue twice: the id is taken.
            let again = c.issue(&[viettel_simple_draft(&k)]).await.unwrap_err();
            assert!(matches!(again, ProviderError::DuplicateKey { .. }), "{name}: {again:?}");
        } else {
            c.issue(&[viettel_simple_draft(&k)]).await.unwrap();
        }
        assert_eq!(count(&sim, &k), 1, "{name}");
    }

    // A late answer: the client gives up, the invoice exists.
    sim.set_faults(Faults { delay_ms: 1_500, only: vec!["createInvoice".into()], ..Default::default() });
    let impatient = client_with(&sim, |s| s.timeouts = Timeouts { connect: Duration::from_secs(1), request: Duration::from_millis(300) });
    let e = impatient.issue(&[viettel_simple_draft("F-slow")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Timeout { .. }), "{e:?}");
    assert!(e.is_unclear());
    sim.clear_faults();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(c.query(&[key("F-slow")]).await.unwrap()[0].status.is_issued());

    // Faults on the look-up are unclear too (a read: asking again is harmless).
    sim.set_faults(Faults { server_error: Knob::times(1), only: vec!["searchInvoiceByTransactionUuid".into()], ..Default::default() });
    let e = c.query(&[key("F-drop")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::ServerError { .. }), "{e:?}");
    assert!(c.query(&[key("F-drop")]).await.unwrap()[0].status.is_issued());

    // A failed log-in sent no invoice: definite, whatever the transport did.
    for faults in [
        Faults { reset_before_commit: Knob::times(1), only: vec!["login".into()], ..Default::default() },
        Faults { server_error: Knob::times(1), only: vec!["login".into()], ..Default::default() },
        Faults { malformed: Knob::times(1), only: vec!["login".into()], ..Default::default() },
    ] {
        sim.set_faults(faults);
        let fresh = client(&sim);
        let e = fresh.issue(&[viettel_simple_draft("F-login")]).await.unwrap_err();
        assert!(matches!(e, ProviderError::Unreachable { .. }), "{e:?}");
        assert!(!e.is_unclear());
        assert_eq!(count(&sim, "F-login"), 0);
    }
    sim.clear_faults();
    c.issue(&[viettel_simple_draft("F-login")]).await.unwrap();
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
}

/// Viettel takes one invoice per call: a batch goes one by one and stops at the first
/// failure. After some were issued, the failure is unclear for the batch and names them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_goes_one_by_one() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[viettel_simple_draft("B-used")]).await.unwrap();
    let batch = [viettel_simple_draft("B-1"), viettel_simple_draft("B-used"), viettel_simple_draft("B-3")];
    let e = c.issue(&batch).await.unwrap_err();
    let ProviderError::PartlyIssued { issued, failed, cause, .. } = &e else { panic!("{e:?}") };
    assert_eq!(issued.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("B-1", 2)]);
    assert_eq!(failed, "B-used");
    assert!(matches!(**cause, ProviderError::DuplicateKey { .. }), "{cause:?}");
    assert!(e.is_unclear());
    assert_eq!(e.operation(), Some(Operation::Issue));
    assert!(e.to_string().contains("B-1") && e.to_string().contains("B-used"), "{e}");
    assert_eq!(count(&sim, "B-3"), 0, "the rest is not sent");
    assert_eq!(c.query(&[key("B-3")]).await.unwrap()[0].status, InvoiceStatus::NotFound);

    // The first one failing is that failure itself, as for one invoice.
    let e = c.issue(&[viettel_simple_draft("B-used"), viettel_simple_draft("B-4")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::DuplicateKey { .. }), "{e:?}");
    assert_eq!(count(&sim, "B-4"), 0);

    // Or each on its own, whatever the others did.
    let each = c.issue_each(&[viettel_simple_draft("B-5"), viettel_simple_draft("B-used"), viettel_simple_draft("B-6")]).await;
    assert!(each[0].is_ok() && each[1].as_ref().is_err_and(ProviderError::is_unclear) && each[2].is_ok(), "{each:?}");
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
}

/// What Viettel has no call for is refused, and nothing is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_and_notices_are_refused() {
    let sim = sim().await;
    let c = client(&sim);
    let d: InvoiceDraft = viettel_simple_draft("N-1");
    for e in [c.draft(std::slice::from_ref(&d)).await.unwrap_err(), c.publish_drafts(&[key("N-1")]).await.map(|_| ()).unwrap_err(), c.send_notice(&r("N-1"), "").await.unwrap_err()] {
        assert!(matches!(e, ProviderError::Unsupported { provider: ProviderKind::Viettel, .. }), "{e:?}");
        assert!(!e.is_unclear());
        assert!(e.to_string().starts_with("Viettel S-Invoice không hỗ trợ chức năng"), "{e}");
    }
    // A cash-register code has no Viettel field: refused before sending.
    let e = c.issue(&[d.with_tax_authority_code("M1-26-AB123-00100000042")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Invalid(_)), "{e:?}");
    assert_eq!(sim.issued_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_definite() {
    let mut sim = sim().await;
    let c = client(&sim);
    sim.stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let e = c.issue(&[viettel_simple_draft("U-1")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Unreachable { .. }), "{e:?}");
    assert!(!e.is_unclear());
}

/// After a restore, Viettel lists what was issued since a day (`getListInvoiceDataControl`):
/// each invoice with its number, total, buyer and transaction id, but never the key, which
/// the transaction id hashes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_the_invoices_issued_since_a_day_without_their_keys() {
    use hoadon_einvoice::IssuedSince;
    let sim = sim().await;
    let c = client(&sim);
    let issued = c.issue(&[viettel_simple_draft("L-1"), viettel_draft("L-2")]).await.unwrap();
    let today = hoadon_rules::calendar::now().date();
    let listed = c.issued_since(&IssuedSince { from: today, series: Vec::new() }).await.unwrap();
    assert_eq!(listed.gaps, Vec::<String>::new());
    let rows = unkeyed(&listed);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (row, (k, done)) in rows.iter().zip([("L-1", &issued[0]), ("L-2", &issued[1])]) {
        assert_eq!(row.reference, uuid(k));
        assert_eq!((row.serial.as_deref(), row.number), (Some(done.serial.as_str()), Some(done.number)));
        assert_eq!(row.issue_date, Some(today));
        assert!(row.amount.is_some_and(|a| a.0 > 0), "{row:?}");
    }
    let wrong = client_with(&sim, |s| s.password = "nope".into());
    assert_eq!(refusal(&wrong.issued_since(&IssuedSince { from: today, series: Vec::new() }).await.unwrap_err()), Refusal::LoginFailed);
}

/// No client shows a page parameter for `getListInvoiceDataControl`: a range whose
/// `totalRows` is more than the answer carries is asked again in halves, down to one day,
/// and a day still cut short is a gap that names it. A replacing row marks its original
/// replaced; the state numbers say nothing sure, so the other rows' status stays unknown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_range_is_asked_again_in_halves_and_a_cut_day_is_told() {
    use hoadon_einvoice::IssuedSince;
    use hoadon_sim_einvoice::SimInvoice;
    let sim = sim().await;
    let c = client(&sim);
    let now_ms = hoadon_rules::calendar::now().unix_timestamp() * 1000;
    let today = hoadon_rules::calendar::now().date();
    let mut number = 100;
    for (days_ago, count) in [(10, 2), (5, 1), (3, 3)] {
        for i in 0..count {
            number += 1;
            sim.seed(SimInvoice {
                key: format!("uuid-d{days_ago}-{i}-000000"),
                pattern: "1/001".into(),
                serial: "C26TUT".into(),
                number: Some(number),
                status: 1,
                currency: "VND".into(),
                amount: 110_000,
                issued_at_ms: Some(now_ms - days_ago * 86_400_000 + i64::from(i)),
                ..Default::default()
            });
        }
    }
    c.issue(&[viettel_draft("P-1")]).await.unwrap();
    c.replace(&r("P-1"), &viettel_draft("P-2")).await.unwrap();
    sim.set_list_page_size(Some(2));

    let listed = c.issued_since(&IssuedSince { from: today - time::Duration::days(10), series: Vec::new() }).await.unwrap();
    let rows = unkeyed(&listed);
    let seeded = |days_ago: i64, i: u32| format!("uuid-d{days_ago}-{i}-000000");
    let references: Vec<&str> = rows.iter().map(|u| u.reference.as_str()).collect();
    assert_eq!(references, [seeded(10, 0), seeded(10, 1), seeded(5, 0), seeded(3, 0), seeded(3, 1), uuid("P-1"), uuid("P-2")]);
    let cut = hoadon_rules::calendar::format_date(today - time::Duration::days(3));
    assert_eq!(listed.gaps, [format!("ngày {cut}: nhà cung cấp chỉ trả 2 trong 3 hóa đơn")]);
    assert_eq!(rows[5].status, Some(InvoiceStatus::Replaced), "{:?}", rows[5]);
    assert!(rows.iter().enumerate().all(|(i, u)| i == 5 || u.status.is_none()), "{rows:?}");

    // With the whole range in one answer, nothing is cut.
    sim.set_list_page_size(None);
    let whole = c.issued_since(&IssuedSince { from: today - time::Duration::days(10), series: Vec::new() }).await.unwrap();
    assert_eq!((whole.invoices.len(), whole.gaps.len()), (8, 0));
}

/// A `totalRows` that counts rows the answers never carry (here: answers of no row at all)
/// would halve 200 days down to every single day; the list stops after its 100 asks and
/// names the days it did not read, instead of asking on for minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_that_never_narrows_stops_after_its_asks_and_names_the_days_left() {
    use hoadon_einvoice::viettel::MAX_LIST_REQUESTS;
    use hoadon_einvoice::IssuedSince;
    use hoadon_sim_einvoice::SimInvoice;
    let sim = sim().await;
    let c = client(&sim);
    let now_ms = hoadon_rules::calendar::now().unix_timestamp() * 1000;
    for days_ago in 0..200 {
        sim.seed(SimInvoice {
            key: format!("uuid-n{days_ago}-000000"),
            pattern: "1/001".into(),
            serial: "C26TUT".into(),
            number: Some(1000 + days_ago as u64),
            status: 1,
            currency: "VND".into(),
            issued_at_ms: Some(now_ms - days_ago * 86_400_000),
            ..Default::default()
        });
    }
    sim.set_list_page_size(Some(0));
    let today = hoadon_rules::calendar::now().date();
    let listed = c.issued_since(&IssuedSince { from: today - time::Duration::days(199), series: Vec::new() }).await.unwrap();
    assert!(listed.invoices.is_empty());
    let cut = listed.gaps.iter().filter(|g| g.contains("nhà cung cấp chỉ trả 0 trong 1 hóa đơn")).count();
    let unread: Vec<&String> = listed.gaps.iter().filter(|g| g.contains(&format!("chưa đọc (đã hỏi {MAX_LIST_REQUESTS} lần)"))).collect();
    assert!(cut > 0 && !unread.is_empty(), "{:?}", listed.gaps);
    assert_eq!(cut + unread.len(), listed.gaps.len(), "{:?}", listed.gaps);
    // The days named, cut or unread, cover the range from its first day to today.
    let first = format!("ngày {}", hoadon_rules::calendar::format_date(today - time::Duration::days(199)));
    assert!(listed.gaps[0].starts_with(&first), "{:?}", listed.gaps[0]);
    assert!(listed.gaps.last().unwrap().contains(&hoadon_rules::calendar::format_date(today)), "{:?}", listed.gaps.last());
}
