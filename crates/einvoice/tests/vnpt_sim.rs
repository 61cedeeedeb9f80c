//! The VNPT client against the VNPT simulator over real HTTP on loopback.

mod fixtures;

use std::time::Duration;

use fixtures::{key, vnpt_draft as draft, vnpt_settings, vnpt_simple_draft as simple_draft, VNPT_PATTERN};
use hoadon_einvoice::vnpt::requests as vn;
use hoadon_einvoice::{
    AdjustKind, Buyer, CancelOutcome, Customer, DraftError, InvoiceDraft, InvoiceRef, InvoiceStatus, Operation, Provider, ProviderError,
    Refusal, Timeouts, VnptClient, VnptSettings,
};
use hoadon_sim_einvoice::{start_vnpt, Faults, Knob, SimHandle, VnptConfig};

async fn sim() -> SimHandle {
    start_vnpt(VnptConfig::default(), 0).await.unwrap()
}

fn client(sim: &SimHandle) -> VnptClient {
    VnptClient::new(vnpt_settings(&sim.url())).unwrap()
}

fn client_with(sim: &SimHandle, f: impl FnOnce(&mut VnptSettings)) -> VnptClient {
    let mut s = vnpt_settings(&sim.url());
    f(&mut s);
    VnptClient::new(s).unwrap()
}

fn refusal(e: &ProviderError) -> Refusal {
    e.refusal().cloned().unwrap_or_else(|| panic!("expected a refusal, got {e:?}"))
}

fn r(k: &str) -> InvoiceRef {
    InvoiceRef::new(key(k), VNPT_PATTERN, "C26TAA")
}

/// The answer text of a raw SOAP call, for requests the client would never send.
async fn raw(sim: &SimHandle, req: hoadon_einvoice::HttpRequest, operation: &str) -> String {
    let mut b = reqwest::Client::new().post(format!("{}/{}", sim.url(), req.path));
    for (n, v) in req.headers {
        b = b.header(n, v);
    }
    let body = b.body(req.body).send().await.unwrap().text().await.unwrap();
    hoadon_einvoice::vnpt::answers::soap_result(Operation::Issue, operation, &body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issues_a_batch_queries_and_refuses_a_duplicate() {
    let sim = sim().await;
    let c = client(&sim);
    let issued = c.issue(&[draft("V-1"), simple_draft("V-2"), draft("HD-2026-3")]).await.unwrap();
    assert_eq!(issued.iter().map(|i| i.number).collect::<Vec<_>>(), [1, 2, 3]);
    // The answer echoes the tenant's pattern: `OK:1/001;C26TAA-…`.
    assert_eq!((issued[2].pattern.as_str(), issued[2].serial.as_str()), ("1/001", "C26TAA"));
    let states = c.query(&[key("V-1"), key("HD-2026-3"), key("V-404")]).await.unwrap();
    assert_eq!(states[0].status, InvoiceStatus::Signed);
    assert_eq!(states[0].paid, Some(true));
    assert_eq!(states[1].number, Some(3));
    assert_eq!(states[2].status, InvoiceStatus::NotFound);

    let e = c.issue(&[draft("V-1")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::DuplicateKey { .. }), "{e:?}");
    assert!(e.is_unclear());
    assert_eq!(sim.issued_count(), 3);

    // Cash register: the tax-authority code comes back.
    let pos = InvoiceDraft { serial: "C26MAA".into(), ..simple_draft("POS-1").with_tax_authority_code("M1-26-AB123-00000000001") };
    let got = c.issue_cash_register(&[pos, InvoiceDraft { serial: "C26MAA".into(), ..simple_draft("POS-2") }]).await.unwrap();
    assert_eq!(got[0].tax_authority_code.as_deref(), Some("M1-26-AB123-00000000001"));
    assert!(got[1].tax_authority_code.as_deref().unwrap().starts_with("M1-26-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancels_adjusts_and_replaces() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[draft("C-1"), draft("C-2"), draft("C-3")]).await.unwrap();
    c.cancel(&r("C-1")).await.unwrap();
    // VNPT has no Decree-70 conversion: through the neutral API a cancel is a cancel.
    c.issue(&[draft("C-0")]).await.unwrap();
    assert_eq!(Provider::cancel(&c, &r("C-0")).await.unwrap(), CancelOutcome::Cancelled);
    assert_eq!(c.query(&[key("C-1")]).await.unwrap()[0].status, InvoiceStatus::Cancelled);
    assert_eq!(refusal(&c.cancel(&r("C-1")).await.unwrap_err()), Refusal::AlreadyReplacedOrCancelled);
    assert_eq!(refusal(&c.cancel(&r("C-404")).await.unwrap_err()), Refusal::NotFound);

    let adj = c.adjust(&r("C-2"), AdjustKind::Increase, &simple_draft("C-2-DC")).await.unwrap();
    // C-0 took number 4 above; the adjustment's number comes zero-padded (`_0000005`).
    assert_eq!(adj.number, 5);
    assert_eq!(c.query(&[key("C-2")]).await.unwrap()[0].status, InvoiceStatus::Adjusted);
    assert_eq!(refusal(&c.cancel(&r("C-2")).await.unwrap_err()), Refusal::StatusForbids);
    assert_eq!(refusal(&c.replace(&r("C-2"), &simple_draft("C-2-TT")).await.unwrap_err()), Refusal::StatusForbids);
    assert_eq!(refusal(&c.adjust(&r("C-1"), AdjustKind::Information, &simple_draft("C-1-DC")).await.unwrap_err()), Refusal::StatusForbids);
    assert_eq!(refusal(&c.adjust(&r("C-404"), AdjustKind::Decrease, &simple_draft("X-DC")).await.unwrap_err()), Refusal::NotFound);

    c.replace(&r("C-3"), &simple_draft("C-3-TT")).await.unwrap();
    assert_eq!(c.query(&[key("C-3")]).await.unwrap()[0].status, InvoiceStatus::Replaced);
    assert_eq!(refusal(&c.replace(&r("C-3"), &simple_draft("C-3-TT2")).await.unwrap_err()), Refusal::AlreadyReplaced);
    assert_eq!(refusal(&c.adjust(&r("C-3"), AdjustKind::Decrease, &simple_draft("C-3-DC")).await.unwrap_err()), Refusal::AlreadyReplaced);
    assert!(c.adjust(&r("C-3-TT"), AdjustKind::Decrease, &simple_draft("C-2-DC")).await.unwrap_err().is_unclear(), "new key exists");

    // Out of numbers.
    sim.set_range_size(Some(7)); // six numbers used above, one left
    assert_eq!(refusal(&c.issue(&[simple_draft("N-1"), simple_draft("N-2")]).await.unwrap_err()), Refusal::NotEnoughNumbers);
    c.issue(&[simple_draft("N-1")]).await.unwrap();
    assert_eq!(refusal(&c.adjust(&r("N-1"), AdjustKind::Decrease, &simple_draft("N-1-DC")).await.unwrap_err()), Refusal::OldRangeExhausted);
    assert_eq!(refusal(&c.replace(&r("N-1"), &simple_draft("N-1-TT")).await.unwrap_err()), Refusal::OldRangeExhausted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_views_downloads_and_reports() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[draft("P-1"), draft("P-2")]).await.unwrap();
    assert_eq!(refusal(&c.confirm_payment(&[key("P-1")]).await.unwrap_err()), Refusal::AlreadyPaid);
    c.unconfirm_payment(&[key("P-1"), key("P-2")]).await.unwrap();
    assert_eq!(refusal(&c.unconfirm_payment(&[key("P-1")]).await.unwrap_err()), Refusal::AlreadyUnpaid);
    assert_eq!(refusal(&c.view_html(&key("P-1")).await.unwrap_err()), Refusal::NotPaidCannotView);
    c.confirm_payment(&[key("P-1")]).await.unwrap();
    assert!(c.view_html(&key("P-1")).await.unwrap().contains("<html>"));
    assert_eq!(refusal(&c.confirm_payment(&[key("P-404")]).await.unwrap_err()), Refusal::NotFound);
    assert_eq!(refusal(&c.unconfirm_payment(&[key("P-404")]).await.unwrap_err()), Refusal::NotFound);
    c.cancel(&r("P-2")).await.unwrap();
    assert_eq!(refusal(&c.confirm_payment(&[key("P-2")]).await.unwrap_err()), Refusal::PaymentMarkFailed);
    assert_eq!(refusal(&c.confirm_payment(&[key("P-1")]).await.unwrap_err()), Refusal::AlreadyPaid);
    // Unmarking a cancelled, unpaid invoice: already unpaid comes first.
    assert_eq!(refusal(&c.unconfirm_payment(&[key("P-2")]).await.unwrap_err()), Refusal::AlreadyUnpaid);

    let pdf = c.pdf(&r("P-1")).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(refusal(&c.pdf(&r("P-404")).await.unwrap_err()), Refusal::NotFound);
    let xml = c.download_xml(&key("P-1")).await.unwrap();
    assert!(xml.contains("<key>P-1</key>"));
    assert_eq!(refusal(&c.download_xml(&key("P-404")).await.unwrap_err()), Refusal::NotFound);
    assert_eq!(refusal(&c.view_html(&key("P-404")).await.unwrap_err()), Refusal::NotFound);
    sim.set_status("P-1", 0);
    assert_eq!(refusal(&c.view_html(&key("P-1")).await.unwrap_err()), Refusal::OtherError);
    assert_eq!(refusal(&c.download_xml(&key("P-1")).await.unwrap_err()), Refusal::OtherError);
    assert_eq!(refusal(&c.pdf(&r("P-1")).await.unwrap_err()), Refusal::OtherError);

    let usage = c.report_usage(2026, 1).await.unwrap();
    assert!(usage.contains("<Used>2</Used>"), "{usage}");
    let month = c.report_month(2026, 3).await.unwrap();
    assert_eq!(month.matches("<Item>").count(), 2);

    let listed = c.list_by_key(&key("P-2"), Some(time::macros::date!(2026 - 03 - 01)), Some(time::macros::date!(2026 - 03 - 31))).await.unwrap();
    assert_eq!(listed[0].status, InvoiceStatus::Cancelled);
    let outside = c.list_by_key(&key("P-2"), Some(time::macros::date!(2026 - 04 - 01)), None).await.unwrap();
    assert!(outside.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers() {
    let sim = sim().await;
    let c = client(&sim);
    let customer = |code: &str| Customer {
        code: code.into(),
        name: "Công ty TNHH A & B".into(),
        tax_code: "0312345673".into(),
        address: "45 Nguyễn Huệ".into(),
        email: "ketoan@ab.vn".into(),
        phone: String::new(),
        is_company: true,
    };
    assert_eq!(c.update_customers(&[customer("KH1"), customer("KH2")]).await.unwrap(), 2);
    assert_eq!(refusal(&c.update_customers(&[customer("KH1"), customer("KH1")]).await.unwrap_err()), Refusal::CustomerExists);
    // A required field (document 004, `Code*`) left empty. (Was: an empty `Email*`, which the
    // strict simulator now accepts although the document marks it required.)
    assert_eq!(refusal(&c.update_customers(&[Customer { code: String::new(), ..customer("KH3") }]).await.unwrap_err()), Refusal::InvalidData);
    assert_eq!(refusal(&c.update_customers(&[Customer { name: "x".repeat(401), ..customer("KH4") }]).await.unwrap_err()), Refusal::CustomerImportFailed);
    let wrong = client_with(&sim, |s| s.password = "sai".into());
    assert_eq!(refusal(&wrong.update_customers(&[customer("KH5")]).await.unwrap_err()), Refusal::LoginFailed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_reachable() {
    let sim = sim().await;
    let c = client(&sim);
    c.verify_account().await.unwrap();
    assert_eq!(Provider::list_patterns(&c).await.unwrap()[0].serial, "C26TAA");

    let wrong = client_with(&sim, |s| s.password = "sai".into());
    assert_eq!(refusal(&wrong.verify_account().await.unwrap_err()), Refusal::LoginFailed);
    assert_eq!(refusal(&wrong.issue(&[simple_draft("E-1")]).await.unwrap_err()), Refusal::LoginFailed);
    assert_eq!(refusal(&wrong.report_month(2026, 3).await.unwrap_err()), Refusal::LoginFailed);
    let wrong_staff = client_with(&sim, |s| s.ac_password = "sai".into());
    assert_eq!(refusal(&wrong_staff.issue(&[simple_draft("E-1")]).await.unwrap_err()), Refusal::LoginFailed);
    let orphan = client_with(&sim, |s| s.username = "nocompany".into());
    assert_eq!(refusal(&orphan.verify_account().await.unwrap_err()), Refusal::CompanyNotFound);
    assert_eq!(refusal(&orphan.issue(&[simple_draft("E-1")]).await.unwrap_err()), Refusal::CompanyNotFound);
    assert_eq!(refusal(&orphan.report_usage(2026, 1).await.unwrap_err()), Refusal::CompanyNotFound);
    assert_eq!(refusal(&orphan.pdf(&r("E-1")).await.unwrap_err()), Refusal::CompanyNotFound);
    assert_eq!(refusal(&c.issue(&[fixtures::vnpt_draft_with("E-2", "C26TZZ")]).await.unwrap_err()), Refusal::PatternSerialMismatch);
    // The one-digit pattern of older settings is not the tenant's `1/001`.
    assert_eq!(refusal(&c.issue(&[fixtures::simple_draft("E-2")]).await.unwrap_err()), Refusal::PatternSerialMismatch);

    // Bodies the client would never send.
    let s = vnpt_settings(&sim.url());
    let mut bad_totals = simple_draft("E-3");
    bad_totals.totals.total.0 += 1;
    assert_eq!(raw(&sim, vn::import_and_publish_inv(&s, &[bad_totals.clone()]), "ImportAndPublishInv").await, "ERR:5");
    let mut broken = vn::import_and_publish_inv(&s, &[simple_draft("E-4")]);
    broken.body = broken.body.replace("&lt;/Invoices&gt;", "");
    assert_eq!(raw(&sim, broken, "ImportAndPublishInv").await, "ERR:3");
    let batch: Vec<InvoiceDraft> = (0..5001).map(|i| simple_draft(&format!("B-{i}"))).collect();
    assert_eq!(raw(&sim, vn::import_and_publish_inv(&s, &batch), "ImportAndPublishInv").await, "ERR:10");
    c.issue(&[simple_draft("E-5")]).await.unwrap();
    assert_eq!(raw(&sim, vn::adjust_inv(&s, &key("E-5"), AdjustKind::Increase, &bad_totals), "adjustInv").await, "ERR:5");
    assert_eq!(raw(&sim, vn::replace_inv(&s, &key("E-5"), &bad_totals), "replaceInv").await, "ERR:5");
    let mut wrong_action = vn::cancel_inv(&s, &key("E-5"));
    wrong_action.path = "PortalService.asmx".into();
    let e = reqwest::Client::new()
        .post(format!("{}/PortalService.asmx", sim.url()))
        .header("SOAPAction", "\"http://tempuri.org/cancelInv\"")
        .body(wrong_action.body)
        .send()
        .await
        .unwrap();
    assert_eq!(e.status(), 500, "a SOAPAction the service does not have is a SOAP fault");

    // A tenant without any registered pattern.
    let empty = start_vnpt(VnptConfig { patterns: vec![], ..VnptConfig::default() }, 0).await.unwrap();
    let ce = client(&empty);
    ce.verify_account().await.unwrap();
    assert_eq!(refusal(&ce.list_by_key(&key("X"), None, None).await.unwrap_err()), Refusal::NoPatternRegistered);
    assert_eq!(refusal(&ce.query(&[key("X")]).await.unwrap_err()), Refusal::NoPatternRegistered);

    assert!(matches!(Provider::send_notice(&c, &r("E-5"), "").await, Err(ProviderError::Unsupported { .. })));
}

/// Drafts at VNPT: held unsigned by the provider, yet not listed by `listInvByCusFkey`
/// (real tenants filter them out), so a query by key cannot see them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_hidden_from_the_list_until_published_by_key() {
    let sim = sim().await;
    let c = client(&sim);
    assert!(!Provider::lists_drafts(&c), "VNPT's query does not see drafts");
    Provider::draft(&c, &[draft("D-1"), simple_draft("D-2"), draft("HD-2026-D-3")]).await.unwrap();
    assert_eq!(sim.issued_count(), 0, "a draft takes no number");
    // Was: Unsigned. The real list leaves drafts out, so the query says "not found" while
    // the simulator holds each draft unsigned (status 0, no number).
    for state in c.query(&[key("D-1"), key("D-2"), key("HD-2026-D-3")]).await.unwrap() {
        assert_eq!((state.status, state.number), (InvoiceStatus::NotFound, None), "{state:?}");
    }
    for k in ["D-1", "D-2", "HD-2026-D-3"] {
        let held = sim.invoice(k).unwrap();
        assert_eq!((held.status, held.number), (0, None), "{k}");
        assert_eq!(held.pattern, "1/001");
    }
    assert!(c.list_by_key(&key("D-1"), None, None).await.unwrap().is_empty());
    // Nothing a signed invoice allows yet.
    assert_eq!(refusal(&c.cancel(&r("D-1")).await.unwrap_err()), Refusal::StatusForbids);
    assert_eq!(refusal(&c.pdf(&r("D-1")).await.unwrap_err()), Refusal::OtherError);
    assert_eq!(refusal(&c.adjust(&r("D-1"), AdjustKind::Increase, &simple_draft("D-1-DC")).await.unwrap_err()), Refusal::StatusForbids);
    c.issue(&[simple_draft("I-1")]).await.unwrap();

    // Asked in another order than drafted: numbers follow the order asked, after I-1.
    let signed = Provider::publish_drafts(&c, &[key("HD-2026-D-3"), key("D-1")]).await.unwrap();
    assert_eq!(signed.issued.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("HD-2026-D-3", 2), ("D-1", 3)]);
    assert!(signed.not_found.is_empty() && signed.already_signed.is_empty());
    assert_eq!((signed.issued[0].pattern.as_str(), signed.issued[0].serial.as_str()), ("1/001", "C26TAA"));
    let states = c.query(&[key("D-1"), key("D-2"), key("HD-2026-D-3")]).await.unwrap();
    assert_eq!((states[0].status, states[0].number), (InvoiceStatus::Signed, Some(3)));
    assert_eq!((states[1].status, states[1].number), (InvoiceStatus::NotFound, None), "D-2 is still a draft, unlisted");
    assert_eq!((states[2].status, states[2].number), (InvoiceStatus::Signed, Some(2)));
    assert_eq!(states[0].buyer.as_deref(), Some(fixtures::buyer().name.as_str()), "cusname comes back");
    assert!(c.pdf(&r("D-1")).await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(c.publish_drafts(&[key("D-2")]).await.unwrap().issued[0].number, 4);
    assert!(sim.issued_per_key().values().all(|n| *n == 1));
    assert_eq!(sim.issued_count(), 4);
}

/// `PublishInvFkey` signs what it can: one key signed now, one unknown, one signed before,
/// each reported in its own part of the three-part answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_publish_is_a_success_for_the_keys_signed() {
    let sim = sim().await;
    let c = client(&sim);
    c.draft(&[simple_draft("PP-new")]).await.unwrap();
    c.draft(&[simple_draft("PP-old")]).await.unwrap();
    // The owner signed PP-old with the USB token in VNPT's own software.
    assert_eq!(sim.sign_draft("PP-old"), Some(1));
    let signed = c.publish_drafts(&[key("PP-new"), key("PP-404"), key("PP-old")]).await.unwrap();
    assert_eq!(signed.issued.iter().map(|i| (i.key.as_str(), i.number)).collect::<Vec<_>>(), [("PP-new", 2)]);
    assert_eq!(signed.not_found, [key("PP-404")]);
    assert_eq!(signed.already_signed, [key("PP-old")]);
    assert_eq!(c.query(&[key("PP-new")]).await.unwrap()[0].number, Some(2));
    assert_eq!(c.query(&[key("PP-old")]).await.unwrap()[0].number, Some(1), "already signed: its number is asked by key");
    assert!(sim.invoice("PP-404").is_none());
    assert_eq!(sim.issued_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_drafted_or_published_twice_is_never_a_second_invoice() {
    let sim = sim().await;
    let c = client(&sim);
    c.draft(&[simple_draft("T-1")]).await.unwrap();
    // Was: DuplicateKey. ERR:13 on a single draft import means VNPT already holds the key,
    // which is what the import wanted (and the only sign of it, drafts being unlisted).
    c.draft(&[simple_draft("T-1")]).await.unwrap();
    assert_eq!(sim.invoices().iter().filter(|i| i.key == "T-1").count(), 1);
    // In a batch ERR:13 does not say which key: unclear.
    let e = c.draft(&[simple_draft("T-1"), simple_draft("T-1b")]).await.unwrap_err();
    assert!(matches!(&e, ProviderError::DuplicateKey { code, keys, .. } if code == "ERR:13" && keys == "T-1, T-1b"), "{e:?}");
    assert!(e.is_unclear());
    assert!(sim.invoice("T-1b").is_none(), "all or none");
    // A key already issued directly is held too: a draft of it is answered ERR:13, read as
    // held; signing it then reports it already signed.
    c.issue(&[simple_draft("T-2")]).await.unwrap();
    c.draft(&[simple_draft("T-2")]).await.unwrap();
    assert_eq!(sim.invoice("T-2").unwrap().status, 1, "still the signed invoice");
    // A draft's key cannot be issued directly either.
    assert!(matches!(c.issue(&[simple_draft("T-1")]).await, Err(ProviderError::DuplicateKey { .. })));

    c.publish_drafts(&[key("T-1")]).await.unwrap();
    // Was: DuplicateKey ERR:15. The three-part answer names T-1 as already signed: Ok, and
    // the caller asks its number by key.
    let again = c.publish_drafts(&[key("T-1")]).await.unwrap();
    assert_eq!((again.issued.len(), again.already_signed.as_slice()), (0, [key("T-1")].as_slice()));
    let direct = c.publish_drafts(&[key("T-2")]).await.unwrap();
    assert_eq!(direct.already_signed, [key("T-2")]);
    assert_eq!(c.query(&[key("T-1")]).await.unwrap()[0].status, InvoiceStatus::Signed);
    assert_eq!(sim.issued_per_key().get("T-1"), Some(&1));
    assert_eq!(sim.issued_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_draft_and_publish_refusal_is_reachable() {
    let sim = sim().await;
    let c = client(&sim);

    // Was: the refusal DraftNotFound (ERR:6). Real tenants answer in three parts, so an
    // unknown key is listed as not found beside an empty OK part.
    let unknown = c.publish_drafts(&[key("U-404")]).await.unwrap();
    assert_eq!((unknown.not_found.as_slice(), unknown.issued.len()), ([key("U-404")].as_slice(), 0));
    // Was: one unknown key spoiling the batch. Now the draft beside it is signed.
    c.draft(&[simple_draft("U-1")]).await.unwrap();
    let partial = c.publish_drafts(&[key("U-1"), key("U-404")]).await.unwrap();
    assert_eq!(partial.issued.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["U-1"]);
    assert_eq!(partial.not_found, [key("U-404")]);
    assert_eq!(c.query(&[key("U-1")]).await.unwrap()[0].status, InvoiceStatus::Signed);
    c.draft(&[simple_draft("U-1x")]).await.unwrap();

    let wrong = client_with(&sim, |s| s.password = "sai".into());
    assert_eq!(refusal(&wrong.draft(&[simple_draft("U-2")]).await.unwrap_err()), Refusal::LoginFailed);
    assert_eq!(refusal(&wrong.publish_drafts(&[key("U-1x")]).await.unwrap_err()), Refusal::LoginFailed);
    let wrong_staff = client_with(&sim, |s| s.ac_password = "sai".into());
    assert_eq!(refusal(&wrong_staff.draft(&[simple_draft("U-2")]).await.unwrap_err()), Refusal::LoginFailed);
    assert_eq!(refusal(&wrong_staff.publish_drafts(&[key("U-1x")]).await.unwrap_err()), Refusal::LoginFailed);
    let orphan = client_with(&sim, |s| s.username = "nocompany".into());
    assert_eq!(refusal(&orphan.draft(&[simple_draft("U-2")]).await.unwrap_err()), Refusal::CompanyOrPatternNotFound);
    assert_eq!(refusal(&orphan.publish_drafts(&[key("U-1x")]).await.unwrap_err()), Refusal::LoginFailed);
    assert_eq!(refusal(&c.draft(&[fixtures::vnpt_draft_with("U-2", "C26TZZ")]).await.unwrap_err()), Refusal::CompanyOrPatternNotFound);
    let unregistered = client_with(&sim, |s| s.serial = "C26TZZ".into());
    assert_eq!(refusal(&unregistered.publish_drafts(&[key("U-1x")]).await.unwrap_err()), Refusal::PatternSerialMismatch);
    // Registered, but not the range the draft was made in.
    let other_range = client_with(&sim, |s| {
        s.pattern = "2/001".into();
        s.serial = "C26TBB".into();
    });
    assert_eq!(refusal(&other_range.publish_drafts(&[key("U-1x")]).await.unwrap_err()), Refusal::PatternSerialMismatch);

    // Limits checked here before anything is sent.
    assert!(matches!(c.publish_drafts(&[]).await, Err(ProviderError::Invalid(_))));
    let many: Vec<_> = (0..201).map(|i| key(&format!("M-{i}"))).collect();
    assert!(matches!(c.publish_drafts(&many).await, Err(ProviderError::Invalid(_))));
    assert!(matches!(c.publish_drafts(&[key("U-1x"), key("U-1x")]).await, Err(ProviderError::Invalid(_))));

    // Bodies the client would never send.
    let s = vnpt_settings(&sim.url());
    assert_eq!(raw(&sim, vn::publish_inv_fkey(&s, &many, VNPT_PATTERN, "C26TAA"), "PublishInvFkey").await, "ERR:10");
    let batch: Vec<InvoiceDraft> = (0..5001).map(|i| simple_draft(&format!("B-{i}"))).collect();
    assert_eq!(raw(&sim, vn::import_inv_by_pattern(&s, &batch), "ImportInvByPattern").await, "ERR:10");
    let mut bad_totals = simple_draft("U-3");
    bad_totals.totals.total.0 += 1;
    assert_eq!(raw(&sim, vn::import_inv_by_pattern(&s, &[bad_totals]), "ImportInvByPattern").await, "ERR:5");
    let mut broken = vn::import_inv_by_pattern(&s, &[simple_draft("U-4")]);
    broken.body = broken.body.replace("&lt;/Invoices&gt;", "");
    assert_eq!(raw(&sim, broken, "ImportInvByPattern").await, "ERR:3");
    assert_eq!(raw(&sim, vn::import_inv_by_pattern(&s, &[simple_draft("U-5"), simple_draft("U-5")]), "ImportInvByPattern").await, "ERR:13");
    // Without pattern and serial the simulator takes its first range, unless ranges of
    // both kinds (with and without the tax authority's code) are registered.
    let mut bare = vn::import_inv_by_pattern(&s, &[simple_draft("U-6")]);
    bare.body = bare.body.replace("<pattern>1/001</pattern><serial>C26TAA</serial>", "<pattern></pattern><serial></serial>");
    assert_eq!(raw(&sim, bare.clone(), "ImportInvByPattern").await, "OK:1/001;C26TAA-U-6_0");
    let mixed = start_vnpt(VnptConfig { patterns: vec![("1/001".into(), "C26TAA".into()), ("1/001".into(), "K26TAA".into())], ..VnptConfig::default() }, 0).await.unwrap();
    assert_eq!(raw(&mixed, bare, "ImportInvByPattern").await, "ERR:35");

    // Out of numbers: drafts waiting count against the range. U-1 is signed (one number),
    // U-1x and U-6 wait for two more.
    sim.set_range_size(Some(4));
    assert_eq!(refusal(&c.draft(&[simple_draft("N-1"), simple_draft("N-2")]).await.unwrap_err()), Refusal::NotEnoughNumbers);
    c.draft(&[simple_draft("N-1")]).await.unwrap();
    // A direct issue does not wait for drafts: it takes one of their numbers, and the
    // three drafts can no longer all be signed.
    c.issue(&[simple_draft("N-direct")]).await.unwrap();
    let before = sim.issued_count();
    assert_eq!(refusal(&c.publish_drafts(&[key("U-1x"), key("U-6"), key("N-1")]).await.unwrap_err()), Refusal::PublishDraftsFailed);
    assert_eq!(sim.issued_count(), before, "all or none");
    assert_eq!(sim.invoice("N-1").unwrap().status, 0, "still a draft");
    sim.set_range_size(None);

    // Signed in date order: a draft dated before an invoice already signed waits.
    let early = InvoiceDraft { issue_date: time::macros::date!(2026 - 03 - 01), ..simple_draft("U-early") };
    c.draft(&[early]).await.unwrap();
    c.issue(&[simple_draft("U-later")]).await.unwrap();
    assert_eq!(refusal(&c.publish_drafts(&[key("U-early")]).await.unwrap_err()), Refusal::DateBeforePublished);

    let expired = start_vnpt(VnptConfig { certificate_expired: true, ..VnptConfig::default() }, 0).await.unwrap();
    let ce = client(&expired);
    ce.draft(&[simple_draft("X-1")]).await.unwrap();
    assert_eq!(refusal(&ce.publish_drafts(&[key("X-1")]).await.unwrap_err()), Refusal::CertificateExpired);
    assert_eq!(expired.invoice("X-1").unwrap().status, 0, "still a draft");
}

/// A lost draft answer: the query cannot see drafts, so the resend is what tells. A single
/// key answered ERR:13 is held; there is exactly one draft at the provider.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_on_drafts_and_publishing_are_unclear_and_recoverable() {
    let sim = sim().await;
    let c = client(&sim);
    let knobs = |operation: &str| {
        let only = vec![operation.to_string()];
        [
            ("reset", Faults { reset_before_commit: Knob::times(1), only: only.clone(), ..Default::default() }, false),
            ("drop", Faults { drop_after_commit: Knob::times(1), only: only.clone(), ..Default::default() }, true),
            ("500", Faults { server_error: Knob::times(1), only: only.clone(), ..Default::default() }, true),
            ("malformed", Faults { malformed: Knob::times(1), only, ..Default::default() }, true),
        ]
    };
    let drafts_held = |sim: &SimHandle| sim.invoices().iter().filter(|i| i.status == 0).count();
    for (name, faults, stored) in knobs("ImportInvByPattern") {
        let k = format!("FD-{name}");
        let before = drafts_held(&sim);
        sim.set_faults(faults);
        let e = c.draft(&[simple_draft(&k)]).await.unwrap_err();
        assert!(e.is_unclear(), "{name}: {e:?}");
        // Was: Unsigned when stored. Drafts are unlisted: the query says not found either way.
        assert_eq!(c.query(&[key(&k)]).await.unwrap()[0].status, InvoiceStatus::NotFound, "{name}");
        assert_eq!(sim.invoice(&k).is_some(), stored, "{name}");
        // The resend under the same key: stored → ERR:13, read as held; not stored → created.
        c.draft(&[simple_draft(&k)]).await.unwrap();
        assert_eq!(drafts_held(&sim), before + 1, "{name}: exactly one draft more at the provider");
        assert_eq!((sim.invoice(&k).unwrap().status, sim.invoice(&k).unwrap().number), (0, None), "{name}");
    }
    assert_eq!(sim.issued_count(), 0);
    for (name, faults, stored) in knobs("PublishInvFkey") {
        let k = format!("FP-{name}");
        c.draft(&[simple_draft(&k)]).await.unwrap();
        sim.set_faults(faults);
        let e = c.publish_drafts(&[key(&k)]).await.unwrap_err();
        assert!(e.is_unclear(), "{name}: {e:?}");
        let state = c.query(&[key(&k)]).await.unwrap().remove(0);
        assert_eq!(state.status.is_issued(), stored, "{name}");
        if stored {
            assert!(state.number.is_some(), "{name}");
            // Was: DuplicateKey ERR:15. Publishing again anyway names the key as already
            // signed in the three-part answer, never a second number.
            let again = c.publish_drafts(&[key(&k)]).await.unwrap();
            assert_eq!((again.issued.len(), again.already_signed.as_slice()), (0, [key(&k)].as_slice()), "{name}");
        } else {
            // Not signed: still a draft, so unlisted.
            assert_eq!(state.status, InvoiceStatus::NotFound, "{name}");
            assert_eq!(sim.invoice(&k).unwrap().status, 0, "{name}");
            assert_eq!(c.publish_drafts(&[key(&k)]).await.unwrap().issued.len(), 1, "{name}");
        }
        assert_eq!(sim.issued_per_key().get(&k), Some(&1), "{name}: issued exactly once");
    }

    let impatient = client_with(&sim, |s| s.timeouts = Timeouts { connect: Duration::from_secs(1), request: Duration::from_millis(300) });
    sim.set_faults(Faults { delay_ms: 1_500, only: vec!["ImportInvByPattern".into(), "PublishInvFkey".into()], ..Default::default() });
    assert!(matches!(impatient.draft(&[simple_draft("FS-1")]).await, Err(ProviderError::Timeout { .. })));
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(matches!(impatient.publish_drafts(&[key("FS-1")]).await, Err(ProviderError::Timeout { .. })));
    sim.clear_faults();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let state = c.query(&[key("FS-1")]).await.unwrap().remove(0);
    assert_eq!(state.status, InvoiceStatus::Signed);
    assert_eq!(sim.issued_per_key().get("FS-1"), Some(&1));
}

/// VNPT document 004 marks CusAddress required: a named buyer without an address is refused
/// here, field named, nothing sent; a walk-in buyer states that no address was given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_without_address_is_refused_before_sending() {
    let sim = sim().await;
    let c = client(&sim);
    let no_address = InvoiceDraft { buyer: Buyer { name: "Nguyễn Văn Bình".into(), ..Default::default() }, ..simple_draft("NA-1") };
    for e in [
        c.issue(std::slice::from_ref(&no_address)).await.unwrap_err(),
        c.draft(std::slice::from_ref(&no_address)).await.unwrap_err(),
        c.adjust(&r("NA-0"), AdjustKind::Increase, &no_address).await.unwrap_err(),
        c.replace(&r("NA-0"), &no_address).await.unwrap_err(),
    ] {
        let ProviderError::Invalid(d) = &e else { panic!("refused before sending, got {e:?}") };
        assert!(matches!(d, DraftError::MissingBuyerField { field: "customer.address", .. }), "{d:?}");
        assert_eq!(d.field(), "customer.address");
        assert!(e.to_string().contains("Địa chỉ người mua còn trống"), "{e}");
        assert!(!e.is_unclear());
    }
    assert!(Provider::check_draft(&c, &no_address).is_err());
    assert!(sim.invoices().is_empty(), "nothing reached the provider");
    assert_eq!(sim.issued_count(), 0);

    // The walk-in buyer goes out with the sentence of the documents for a consumer.
    c.issue(&[simple_draft("NA-2")]).await.unwrap();
    let held = sim.invoice("NA-2").unwrap();
    assert_eq!(held.address, hoadon_einvoice::vnpt::requests::WALK_IN_ADDRESS);
    assert_eq!(held.cus_name, "Khách lẻ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_unclear_and_recoverable() {
    let sim = sim().await;
    let c = client(&sim);
    for (name, faults, stored) in fixtures::lost_answers("ImportAndPublishInv") {
        let k = format!("F-{name}");
        sim.set_faults(faults);
        let e = c.issue(&[simple_draft(&k)]).await.unwrap_err();
        fixtures::assert_lost_answer(name, &e);
        let state = c.query(&[key(&k)]).await.unwrap().remove(0);
        assert_eq!(state.status.is_issued(), stored, "{name}");
        if !stored {
            c.issue(&[simple_draft(&k)]).await.unwrap();
        } else {
            // Sending again anyway is answered as a duplicate, never a second invoice.
            assert!(matches!(c.issue(&[simple_draft(&k)]).await, Err(ProviderError::DuplicateKey { .. })));
        }
        assert_eq!(sim.issued_per_key().get(&k), Some(&1), "{name}");
    }

    sim.set_faults(Faults { delay_ms: 1_500, only: vec!["ImportAndPublishInv".into()], ..Default::default() });
    let impatient = client_with(&sim, |s| s.timeouts = Timeouts { connect: Duration::from_secs(1), request: Duration::from_millis(300) });
    let e = impatient.issue(&[simple_draft("F-slow")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Timeout { .. }), "{e:?}");
    sim.clear_faults();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(c.query(&[key("F-slow")]).await.unwrap()[0].status, InvoiceStatus::Signed);

    // Faults set over HTTP, with a probability: many sends, each unclear one reconciled.
    let http = reqwest::Client::new();
    let knobs = serde_json::json!({ "server_error": { "probability": 0.3 }, "drop_after_commit": { "probability": 0.2 }, "only": ["ImportAndPublishInv"], "seed": 42 });
    assert!(http.post(format!("{}/_sim/faults", sim.url())).json(&knobs).send().await.unwrap().status().is_success());
    for i in 0..40 {
        let k = format!("R-{i}");
        loop {
            match c.issue(&[simple_draft(&k)]).await {
                Ok(_) => break,
                Err(e) if e.is_unclear() => {
                    if c.query(&[key(&k)]).await.unwrap()[0].status.is_issued() {
                        break;
                    }
                }
                Err(e) => panic!("{e:?}"),
            }
        }
    }
    let listed: serde_json::Value = http.get(format!("{}/_sim/invoices", sim.url())).send().await.unwrap().json().await.unwrap();
    let per_key = listed["issued_per_key"].as_object().unwrap();
    assert!(per_key.values().all(|n| n == 1), "no key issued twice");
    assert_eq!(per_key.keys().filter(|k| k.starts_with("R-")).count(), 40);
}

/// `GetMCCQThueByFkeys`: the tax authority's verdict on a signed invoice; a draft has none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tax_authority_verdict_by_key() {
    use hoadon_einvoice::TaxCheck;
    use hoadon_sim_einvoice::TaxVerdict;
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[draft("TV-1"), simple_draft("TV-2")]).await.unwrap();
    c.draft(&[simple_draft("TV-draft")]).await.unwrap();
    let code = hoadon_sim_einvoice::vnpt::simulated_mccqt("TV-1");
    assert_eq!(Provider::tax_verdict(&c, &r("TV-1")).await.unwrap(), Some(TaxCheck::Accepted { code: Some(code) }));
    sim.set_tax_verdict("TV-2", Some(TaxVerdict::Rejected { code: "20".into(), message: "Sai mã số thuế người mua".into() }));
    assert_eq!(Provider::tax_verdict(&c, &r("TV-2")).await.unwrap(), Some(TaxCheck::Rejected { reason: "Sai mã số thuế người mua (mã 20)".into() }));
    sim.set_tax_verdict("TV-2", Some(TaxVerdict::Waiting));
    assert_eq!(Provider::tax_verdict(&c, &r("TV-2")).await.unwrap(), Some(TaxCheck::Waiting));
    // ERR:2: not found, or still a draft: no verdict yet.
    assert_eq!(Provider::tax_verdict(&c, &r("TV-draft")).await.unwrap(), None);
    assert_eq!(Provider::tax_verdict(&c, &r("TV-404")).await.unwrap(), None);
    let both = c.tax_verdicts(VNPT_PATTERN, &[key("TV-1"), key("TV-2")]).await.unwrap();
    assert_eq!(both.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["TV-1", "TV-2"]);
    let wrong = client_with(&sim, |s| s.password = "sai".into());
    assert_eq!(refusal(&Provider::tax_verdict(&wrong, &r("TV-1")).await.unwrap_err()), Refusal::LoginFailed);
}

/// After a restore, VNPT is asked for the invoices numbered after the last one the shop
/// holds: window after window of 100 numbers (the document's cap), until one lists nothing.
/// 230 invoices, the shop holding up to number 20: 210 come back, keyed, drafts left out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_the_invoices_numbered_after_a_mark_window_by_window() {
    use hoadon_einvoice::{IssuedSince, ListedInvoice, SeriesMark};
    let sim = sim().await;
    let c = client(&sim);
    let batch: Vec<InvoiceDraft> = (1..=230).map(|i| simple_draft(&format!("HD{i}-0123456789ABCDEF"))).collect();
    c.issue(&batch).await.unwrap();
    c.draft(&[simple_draft("HD999-0123456789ABCDEF")]).await.unwrap();
    c.cancel(&r("HD230-0123456789ABCDEF")).await.unwrap();

    let mark = SeriesMark { pattern: VNPT_PATTERN.into(), serial: "C26TAA".into(), last_number: 20 };
    let since = IssuedSince { from: hoadon_rules::calendar::now().date(), series: vec![mark] };
    let listed = c.issued_since(&since).await.unwrap();
    assert_eq!(listed.gaps, Vec::<String>::new());
    let keyed: Vec<_> = listed
        .invoices
        .iter()
        .map(|l| match l {
            ListedInvoice::Keyed(s) => s,
            ListedInvoice::Unkeyed(u) => panic!("VNPT gives the fkey back: {u:?}"),
        })
        .collect();
    assert_eq!(keyed.len(), 210);
    assert_eq!(keyed.iter().map(|s| s.number.unwrap()).collect::<Vec<_>>(), (21..=230).collect::<Vec<u64>>());
    assert_eq!((keyed[0].key.as_str(), keyed[0].serial.as_deref()), ("HD21-0123456789ABCDEF", Some("C26TAA")));
    assert!(keyed[0].amount.is_some_and(|a| a.0 > 0), "{:?}", keyed[0]);
    assert_eq!(keyed[209].status, InvoiceStatus::Cancelled);
    assert!(keyed.iter().all(|s| s.key.as_str() != "HD999-0123456789ABCDEF"), "a draft has no number");

    // Past the end: nothing; a wrong password: the login refusal.
    let end = IssuedSince { series: vec![SeriesMark { last_number: 230, ..since.series[0].clone() }], ..since.clone() };
    assert_eq!(c.issued_since(&end).await.unwrap(), hoadon_einvoice::IssuedList::default());
    // A tenant configured to answer 7 rows a list: the walk goes on from the last number
    // given, and the same 210 come back.
    sim.set_list_page_size(Some(7));
    let paged = c.issued_since(&since).await.unwrap();
    assert_eq!(paged.invoices.iter().map(|l| l.symbol_and_number().1.unwrap()).collect::<Vec<_>>(), (21..=230).collect::<Vec<u64>>());
    sim.set_list_page_size(None);
    let wrong = client_with(&sim, |s| s.password = "sai".into());
    assert_eq!(refusal(&wrong.issued_since(&since).await.unwrap_err()), Refusal::LoginFailed);
}

/// A backup from one year restored in the next: the shop went on under the new year's
/// symbol (C25TAA → C26TAA), which the restored shop never held, so VNPT is asked it from
/// number 1 too. A worked-out symbol the tenant never registered (C26TCC) is no gap; a held
/// one it refuses (C24TZZ) is, while the others' invoices still come back; when every held
/// symbol is refused, the list as a whole fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_goes_on_into_the_next_years_symbol_and_tells_a_refused_one() {
    use hoadon_einvoice::{IssuedSince, SeriesMark};
    use hoadon_sim_einvoice::SimInvoice;
    let config = VnptConfig {
        patterns: vec![("1/001".into(), "C25TAA".into()), ("1/001".into(), "C26TAA".into()), ("1/001".into(), "C25TCC".into())],
        ..VnptConfig::default()
    };
    let sim = start_vnpt(config, 0).await.unwrap();
    let c = client(&sim);
    for n in 1..=2 {
        sim.seed(SimInvoice { key: format!("HD{n}-0123456789ABCDEF"), pattern: "1/001".into(), serial: "C25TAA".into(), number: Some(n), status: 1, arising_date: "30/12/2025".into(), ..Default::default() });
    }
    let january: Vec<InvoiceDraft> = (3..=5).map(|i| simple_draft(&format!("HD{i}-0123456789ABCDEF"))).collect();
    c.issue(&january).await.unwrap();

    let mark = |serial: &str, last_number| SeriesMark { pattern: VNPT_PATTERN.into(), serial: serial.into(), last_number };
    let since = |series| IssuedSince { from: hoadon_rules::calendar::now().date(), series };
    let listed = c.issued_since(&since(vec![mark("C25TAA", 1), mark("C25TCC", 0), mark("C24TZZ", 0)])).await.unwrap();
    let found: Vec<(Option<&str>, Option<u64>)> = listed.invoices.iter().map(|l| l.symbol_and_number()).collect();
    assert_eq!(found, [(Some("C25TAA"), Some(2)), (Some("C26TAA"), Some(1)), (Some("C26TAA"), Some(2)), (Some("C26TAA"), Some(3))]);
    assert_eq!(listed.gaps.len(), 1, "{:?}", listed.gaps);
    assert!(listed.gaps[0].starts_with("ký hiệu C24TZZ: "), "{:?}", listed.gaps);

    let e = c.issued_since(&since(vec![mark("C24TZZ", 0)])).await.unwrap_err();
    assert!(!e.is_unclear(), "{e:?}");
}
