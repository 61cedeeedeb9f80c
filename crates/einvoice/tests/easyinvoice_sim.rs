//! The EasyInvoice client against the EasyInvoice simulator over real HTTP on loopback.

mod fixtures;

use std::time::Duration;

use fixtures::{draft, easyinvoice_settings, key, simple_draft};
use hoadon_einvoice::easyinvoice::requests as ei;
use hoadon_einvoice::{
    AdjustKind, AuthStamp, EasyInvoiceClient, EasyInvoiceSettings, InvoiceRef, InvoiceStatus, Provider, ProviderError, Refusal, Timeouts,
};
use hoadon_sim_einvoice::{start_easyinvoice, EasyInvoiceConfig, Faults, Knob, SimHandle};

async fn sim() -> SimHandle {
    start_easyinvoice(EasyInvoiceConfig::default(), 0).await.unwrap()
}

fn client(sim: &SimHandle) -> EasyInvoiceClient {
    EasyInvoiceClient::new(easyinvoice_settings(&sim.url())).unwrap()
}

fn client_with(sim: &SimHandle, f: impl FnOnce(&mut EasyInvoiceSettings)) -> EasyInvoiceClient {
    let mut s = easyinvoice_settings(&sim.url());
    f(&mut s);
    EasyInvoiceClient::new(s).unwrap()
}

fn refusal(e: &ProviderError) -> Refusal {
    e.refusal().cloned().unwrap_or_else(|| panic!("expected a refusal, got {e:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issues_queries_and_refuses_a_duplicate() {
    let sim = sim().await;
    let c = client(&sim);
    let issued = c.issue(&[draft("A-1"), simple_draft("A-2")]).await.unwrap();
    assert_eq!(issued.iter().map(|i| i.number).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(issued[0].serial, "C26TAA");

    let states = c.query(&[key("A-1"), key("A-2"), key("NOPE")]).await.unwrap();
    assert_eq!(states[0].status, InvoiceStatus::Signed);
    assert_eq!(states[0].number, Some(1));
    assert!(states[0].lookup_code.is_some());
    assert_eq!(states[0].amount.map(|a| a.0), Some(92_000));
    assert_eq!(states[2].status, InvoiceStatus::NotFound);

    // The same key again: a duplicate, reported as unclear so the queue queries instead.
    let again = c.issue(&[draft("A-1")]).await.unwrap_err();
    assert!(matches!(again, ProviderError::DuplicateKey { .. }), "{again:?}");
    assert!(again.is_unclear());
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
    assert_eq!(sim.issued_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_updated_until_signed() {
    let sim = sim().await;
    let c = client(&sim);
    c.draft(&[simple_draft("D-1")]).await.unwrap();
    c.draft(&[draft("D-1")]).await.unwrap(); // same key, not signed: updated
    assert_eq!(c.query(&[key("D-1")]).await.unwrap()[0].status, InvoiceStatus::Unsigned);
    let issued = c.publish_drafts(&[key("D-1")]).await.unwrap();
    assert_eq!(issued[0].number, 1);
    assert_eq!(sim.invoice("D-1").unwrap().amount, 92_000);
    let e = c.publish_drafts(&[key("D-1")]).await.unwrap_err();
    assert!(e.is_unclear(), "signing twice is a duplicate: {e:?}");
    let e = c.publish_drafts(&[key("D-404")]).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancels_adjusts_and_replaces() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[draft("C-1"), draft("C-2"), draft("C-3")]).await.unwrap();
    let r = |k: &str| InvoiceRef::new(key(k), "1", "C26TAA");

    c.cancel(&r("C-1")).await.unwrap();
    assert_eq!(c.query(&[key("C-1")]).await.unwrap()[0].status, InvoiceStatus::Cancelled);
    assert_eq!(refusal(&c.cancel(&r("C-1")).await.unwrap_err()), Refusal::StatusForbids);
    assert_eq!(refusal(&c.cancel(&r("C-404")).await.unwrap_err()), Refusal::NotFound);

    let adj = c.adjust(&r("C-2"), AdjustKind::Decrease, &simple_draft("C-2-DC")).await.unwrap();
    assert_eq!(adj.number, 4);
    assert_eq!(c.query(&[key("C-2")]).await.unwrap()[0].status, InvoiceStatus::Adjusted);

    let rep = c.replace(&r("C-3"), &simple_draft("C-3-TT")).await.unwrap();
    assert_eq!(rep.key, key("C-3-TT"));
    assert_eq!(c.query(&[key("C-3")]).await.unwrap()[0].status, InvoiceStatus::Replaced);
    assert_eq!(refusal(&c.replace(&r("C-3"), &simple_draft("C-3-TT2")).await.unwrap_err()), Refusal::StatusForbids);
    assert!(c.replace(&r("C-1"), &simple_draft("C-3-TT")).await.unwrap_err().is_unclear(), "new key already signed");

    // The tax authority still checking: cancel later.
    c.issue(&[draft("C-4")]).await.unwrap();
    sim.set_status("C-4", 2);
    assert_eq!(refusal(&c.cancel(&r("C-4")).await.unwrap_err()), Refusal::AwaitingTaxAuthority);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_notice_account_and_patterns() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[draft("P-1")]).await.unwrap();
    let r = InvoiceRef::new(key("P-1"), "1", "C26TAA");
    let pdf = c.pdf(&r).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a real PDF from hoadon-pdf");
    assert!(pdf.len() > 5_000);
    assert_eq!(refusal(&c.pdf(&InvoiceRef::new(key("P-404"), "1", "C26TAA")).await.unwrap_err()), Refusal::NotFound);
    c.send_notice(&r, "").await.unwrap();
    assert_eq!(refusal(&c.send_notice(&InvoiceRef::new(key("P-404"), "1", "C26TAA"), "").await.unwrap_err()), Refusal::NotFound);

    let account = c.verify_account().await.unwrap();
    assert_eq!(account.tax_code.as_deref(), Some("0312345673"));
    let patterns = c.list_patterns().await.unwrap();
    assert!(patterns.iter().any(|p| p.pattern == "1" && p.serial == "C26TAA"));
    // Through the provider-neutral API too.
    let any = hoadon_einvoice::AnyProvider::EasyInvoice(c.clone());
    assert_eq!(Provider::query(&any, &[key("P-1")]).await.unwrap()[0].number, Some(1));
    // The futures are Send: the issuing queue can run them on spawned tasks.
    let spawned = tokio::spawn(async move { Provider::query(&any, &[key("P-1")]).await }).await.unwrap();
    assert_eq!(spawned.unwrap()[0].status, InvoiceStatus::Signed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_reachable() {
    let sim = sim().await;
    let wrong_password = client_with(&sim, |s| s.password = "sai".into());
    assert_eq!(refusal(&wrong_password.verify_account().await.unwrap_err()), Refusal::LoginFailed);
    let wrong_tax_code = client_with(&sim, |s| s.seller_tax_code = Some("0100109106".into()));
    assert_eq!(refusal(&wrong_tax_code.verify_account().await.unwrap_err()), Refusal::LoginFailed);
    let right_tax_code = client_with(&sim, |s| {
        s.seller_tax_code = Some("0312345673".into());
        s.symbol_in_pattern = true;
    });
    assert_eq!(right_tax_code.issue(&[simple_draft("S-1")]).await.unwrap()[0].number, 1);

    let stale = client(&sim).with_fixed_stamp(AuthStamp { timestamp: 1_600_000_000, nonce: "abc123".into() });
    assert_eq!(refusal(&stale.verify_account().await.unwrap_err()), Refusal::SignatureRejected);

    let c = client(&sim);
    let other_serial = fixtures::draft_with("S-2", "C26TZZ");
    assert_eq!(refusal(&c.issue(&[other_serial]).await.unwrap_err()), Refusal::PatternSerialMismatch);

    // Bodies the client would never send, to reach the simulator's data checks.
    let http = reqwest::Client::new();
    let settings = easyinvoice_settings(&sim.url());
    let send = |req: hoadon_einvoice::HttpRequest| {
        let http = http.clone();
        let url = format!("{}/{}", sim.url(), req.path);
        async move {
            let mut b = http.post(url);
            for (n, v) in req.headers {
                b = b.header(n, v);
            }
            let bytes = b.body(req.body).send().await.unwrap().bytes().await.unwrap();
            hoadon_einvoice::easyinvoice::answers::parse_envelope(&bytes).unwrap()
        }
    };
    let mut bad = simple_draft("S-3");
    bad.totals.total.0 += 1;
    let env = send(ei::import_and_issue(&settings, &[bad], &client(&sim).stamp())).await;
    let e = hoadon_einvoice::easyinvoice::answers::refusal(hoadon_einvoice::Operation::Issue, &env);
    assert_eq!(refusal(&e), Refusal::InvalidData, "per-key 160");
    let mut req = ei::import_and_issue(&settings, &[simple_draft("S-4")], &client(&sim).stamp());
    req.body = r#"{"XmlData":"<Invoices><Inv>","Pattern":"1","Serial":"C26TAA"}"#.into();
    let env = send(req).await;
    assert_eq!(env.status, 5, "invalid request");
    let too_many: Vec<_> = (0..201).map(|i| simple_draft(&format!("S-B{i}"))).collect();
    let env = send(ei::import_and_issue(&settings, &too_many, &client(&sim).stamp())).await;
    assert_eq!(env.status, 5, "more than 200 invoices");
    assert_eq!(sim.issued_count(), 1);
}

/// Each fault surfaces as the right unclear error; querying by key then tells what
/// happened, and sending again never issues twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_unclear_and_recoverable() {
    let sim = sim().await;
    let c = client(&sim);
    let only = vec!["importAndIssueInvoice".to_string()];
    let cases: [(&str, Faults, bool); 4] = [
        ("reset", Faults { reset_before_commit: Knob::times(1), only: only.clone(), ..Default::default() }, false),
        ("drop", Faults { drop_after_commit: Knob::times(1), only: only.clone(), ..Default::default() }, true),
        ("500", Faults { server_error: Knob::times(1), only: only.clone(), ..Default::default() }, true),
        ("malformed", Faults { malformed: Knob::times(1), only: only.clone(), ..Default::default() }, true),
    ];
    for (name, faults, stored) in cases {
        let k = format!("F-{name}");
        sim.set_faults(faults);
        let e = c.issue(&[simple_draft(&k)]).await.unwrap_err();
        assert!(e.is_unclear(), "{name}: {e:?}");
        match name {
            "reset" | "drop" => assert!(matches!(e, ProviderError::ConnectionLost { .. }), "{name}: {e:?}"),
            "500" => assert!(matches!(e, ProviderError::ServerError { http_status: 500, .. }), "{name}: {e:?}"),
            _ => assert!(matches!(e, ProviderError::Malformed { .. }), "{name}: {e:?}"),
        }
        // What the queue does after an unclear outcome: ask by key.
        let state = c.query(&[key(&k)]).await.unwrap().remove(0);
        assert_eq!(state.status.is_issued(), stored, "{name}");
        if !stored {
            c.issue(&[simple_draft(&k)]).await.unwrap();
        }
        assert_eq!(sim.issued_per_key().get(&k), Some(&1), "{name}");
    }

    // A late answer: the client gives up, the invoice exists.
    sim.set_faults(Faults { delay_ms: 1_500, only, ..Default::default() });
    let impatient = client_with(&sim, |s| s.timeouts = Timeouts { connect: Duration::from_secs(1), request: Duration::from_millis(300) });
    let e = impatient.issue(&[simple_draft("F-slow")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Timeout { .. }), "{e:?}");
    assert!(e.is_unclear());
    sim.clear_faults();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(c.query(&[key("F-slow")]).await.unwrap()[0].status, InvoiceStatus::Signed);
    assert!(sim.issued_per_key().values().all(|&n| n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_definite() {
    let mut sim = sim().await;
    let c = client(&sim);
    sim.stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let e = c.issue(&[simple_draft("U-1")]).await.unwrap_err();
    assert!(matches!(e, ProviderError::Unreachable { .. }), "{e:?}");
    assert!(!e.is_unclear());
}
