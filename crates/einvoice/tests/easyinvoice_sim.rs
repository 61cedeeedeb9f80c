//! The EasyInvoice client against the EasyInvoice simulator over real HTTP on loopback.

mod fixtures;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fixtures::{draft, easyinvoice_settings, key, simple_draft};
use hoadon_einvoice::easyinvoice::requests as ei;
use hoadon_einvoice::{
    AdjustKind, AuthStamp, CancelOutcome, EasyInvoiceClient, EasyInvoiceSettings, InvoiceDraft, InvoiceRef, InvoiceStatus, Operation, Provider,
    ProviderError, Refusal, Timeouts,
};
use hoadon_sim_einvoice::{start_easyinvoice, EasyInvoiceConfig, Faults, SimHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

/// What a shop restored from an older backup asks: every invoice of a date range, over
/// several pages of 100; a day without invoices lists none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_the_invoices_of_a_date_range_page_by_page() {
    let sim = sim().await;
    let c = client(&sim);
    let drafts: Vec<_> = (0..150).map(|n| simple_draft(&format!("R-{n:03}"))).collect();
    for batch in drafts.chunks(50) {
        c.issue(batch).await.unwrap();
    }
    let day = drafts[0].issue_date;
    let listed = c.invoices_dated(day, day).await.unwrap();
    assert_eq!(listed.len(), 150, "two pages read");
    assert!(listed.iter().all(|s| s.status == InvoiceStatus::Signed && s.number.is_some() && s.amount.is_some()));
    let before = day.previous_day().unwrap();
    assert!(c.invoices_dated(before, before).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_updated_until_signed() {
    let sim = sim().await;
    let c = client(&sim);
    c.draft(&[simple_draft("D-1")]).await.unwrap();
    c.draft(&[draft("D-1")]).await.unwrap(); // same key, not signed: updated
    assert_eq!(c.query(&[key("D-1")]).await.unwrap()[0].status, InvoiceStatus::Unsigned);
    assert!(Provider::lists_drafts(&c), "EasyInvoice's query sees drafts");
    let signed = c.publish_drafts(&[key("D-1")]).await.unwrap();
    assert_eq!(signed.issued[0].number, 1);
    assert_eq!(sim.invoice("D-1").unwrap().amount, 92_000);
    // Was: an unclear error. Signing twice is answered 129 "already issued" for the key,
    // which the client reports as already signed: ask its number by key.
    let again = c.publish_drafts(&[key("D-1")]).await.unwrap();
    assert_eq!((again.issued.len(), again.already_signed.as_slice()), (0, [key("D-1")].as_slice()));
    // Was: NotFound. An unknown Ikey comes under 129 (invoice data invalid) with the
    // provider's words for the key; nothing is signed.
    let e = c.publish_drafts(&[key("D-404")]).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::InvalidData);
    assert!(e.to_string().contains("Không tìm thấy hóa đơn"), "{e}");
    assert_eq!(sim.issued_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancels_adjusts_and_replaces() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[draft("C-1"), draft("C-2"), draft("C-3")]).await.unwrap();
    let r = |k: &str| InvoiceRef::new(key(k), "1", "C26TAA");

    // Not sent to the tax authority (TCTCheckStatus null): a plain cancel.
    assert_eq!(c.cancel(&r("C-1")).await.unwrap(), CancelOutcome::Cancelled);
    assert_eq!(c.query(&[key("C-1")]).await.unwrap()[0].status, InvoiceStatus::Cancelled);
    // Was: StatusForbids. Every cancel refusal comes as ErrorCode 164.
    assert_eq!(refusal(&c.cancel(&r("C-1")).await.unwrap_err()), Refusal::CancelNotAllowed);
    assert_eq!(refusal(&c.cancel(&r("C-404")).await.unwrap_err()), Refusal::NotFound);

    let adj = c.adjust(&r("C-2"), AdjustKind::Decrease, &simple_draft("C-2-DC")).await.unwrap();
    assert_eq!(adj.number, 4);
    assert_eq!(c.query(&[key("C-2")]).await.unwrap()[0].status, InvoiceStatus::Adjusted);

    let rep = c.replace(&r("C-3"), &simple_draft("C-3-TT")).await.unwrap();
    assert_eq!(rep.key, key("C-3-TT"));
    assert_eq!(c.query(&[key("C-3")]).await.unwrap()[0].status, InvoiceStatus::Replaced);
    // Was: StatusForbids. The original's state is refused under 129 with the reason.
    let e = c.replace(&r("C-3"), &simple_draft("C-3-TT2")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::InvalidData);
    assert!(e.to_string().contains("Trạng thái hóa đơn gốc"), "{e}");
    // A signed original, a new key already signed: a duplicate, unclear. (Was C-1 as the
    // original, which is cancelled and now refused first.)
    assert!(c.replace(&r("C-2-DC"), &simple_draft("C-3-TT")).await.unwrap_err().is_unclear(), "new key already signed");
    // The reason code the documents require on a replacement: 13, a wrongly issued invoice.
    assert_eq!(sim.invoice("C-3-TT").unwrap().reason_code, Some(13));
    assert_eq!(sim.invoice("C-2-DC").unwrap().reason_code, Some(13));

    // The tax authority still checking: cancel later. (Was: AwaitingTaxAuthority; the
    // refusal comes as 164, cancel not allowed, with the provider's reason.)
    c.issue(&[draft("C-4")]).await.unwrap();
    sim.set_status("C-4", 2);
    let e = c.cancel(&r("C-4")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::CancelNotAllowed);
    assert!(e.to_string().contains("cơ quan thuế đang kiểm tra"), "{e}");
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
    // `{"IkeyEmail": {"P-1": "…"}}`: Status 2 whatever happens, the outcome per key.
    c.send_notice(&r, "ketoan@ab.vn").await.unwrap();
    assert_eq!(refusal(&c.send_notice(&InvoiceRef::new(key("P-404"), "1", "C26TAA"), "ketoan@ab.vn").await.unwrap_err()), Refusal::NotFound);
    // Was: accepted. The simulator answers an empty address "Email không hợp lệ" for the key
    // (the document does not say it falls back to the invoice's address).
    let e = c.send_notice(&r, "").await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::OtherError);
    assert!(e.to_string().contains("Email không hợp lệ"), "{e}");

    let account = c.verify_account().await.unwrap();
    assert_eq!(account.tax_code.as_deref(), Some("0312345673"));
    let patterns = c.list_patterns().await.unwrap();
    assert!(patterns.iter().any(|p| p.pattern == "1" && p.serial == "C26TAA"));
    // Through the provider-neutral API too.
    let any = hoadon_einvoice::AnyProvider::of(c.clone());
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
    // Was: LoginFailed. ErrorCode 176 names the seller's tax code.
    assert_eq!(refusal(&wrong_tax_code.verify_account().await.unwrap_err()), Refusal::SellerTaxCodeRejected);
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
            let answer = b.body(req.body).send().await.unwrap();
            let http = answer.status().as_u16();
            let bytes = answer.bytes().await.unwrap();
            (http, hoadon_einvoice::easyinvoice::answers::parse_envelope(&bytes).unwrap())
        }
    };
    let mut bad = simple_draft("S-3");
    bad.totals.total.0 += 1;
    let (http, env) = send(ei::import_and_issue(&settings, &[bad], &client(&sim).stamp())).await;
    let e = hoadon_einvoice::easyinvoice::answers::refusal(Operation::Issue, &env, http);
    assert_eq!((http, env.status, env.error_code), (409, 4, Some(129)), "the figures, refused per key");
    assert_eq!(refusal(&e), Refusal::InvalidData);
    let mut req = ei::import_and_issue(&settings, &[simple_draft("S-4")], &client(&sim).stamp());
    req.body = r#"{"XmlData":"<Invoices><Inv>","Pattern":"1","Serial":"C26TAA"}"#.into();
    // Was: Status 5. A client error is Status 4 with its ErrorCode and HTTP 400.
    let (http, env) = send(req).await;
    assert_eq!((http, env.status, env.error_code), (400, 4, Some(127)), "XmlData not XML");
    let too_many: Vec<_> = (0..201).map(|i| simple_draft(&format!("S-B{i}"))).collect();
    let (http, env) = send(ei::import_and_issue(&settings, &too_many, &client(&sim).stamp())).await;
    assert_eq!((http, env.status, env.error_code), (400, 4, Some(127)), "more than 200 invoices");
    // A lowercase tag is no tag: `<ikey>` is refused as XmlData without `<Ikey>`.
    let mut lower = ei::import_and_issue(&settings, &[simple_draft("S-5")], &client(&sim).stamp());
    lower.body = lower.body.replace("<Ikey>", "<ikey>").replace("</Ikey>", "</ikey>");
    let (http, env) = send(lower).await;
    assert_eq!((http, env.status, env.error_code), (400, 4, Some(127)));
    assert_eq!(sim.issued_count(), 1);
}

/// Each fault surfaces as the right unclear error; querying by key then tells what
/// happened, and sending again never issues twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_unclear_and_recoverable() {
    let sim = sim().await;
    let c = client(&sim);
    for (name, faults, stored) in fixtures::lost_answers("importAndIssueInvoice") {
        let k = format!("F-{name}");
        sim.set_faults(faults);
        let e = c.issue(&[simple_draft(&k)]).await.unwrap_err();
        fixtures::assert_lost_answer(name, &e);
        // What the queue does after an unclear outcome: ask by key.
        let state = c.query(&[key(&k)]).await.unwrap().remove(0);
        assert_eq!(state.status.is_issued(), stored, "{name}");
        if !stored {
            c.issue(&[simple_draft(&k)]).await.unwrap();
        }
        assert_eq!(sim.issued_per_key().get(&k), Some(&1), "{name}");
    }

    // A late answer: the client gives up, the invoice exists.
    sim.set_faults(Faults { delay_ms: 1_500, only: vec!["importAndIssueInvoice".into()], ..Default::default() });
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

/// Decree 70/2025: the cancel of an invoice the tax authority accepted, on a remote-signing
/// account, is a 0-đồng replacement; the client records it with its number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decree_70_cancel_is_recorded_as_the_replacement() {
    let sim = sim().await;
    let c = client(&sim);
    c.issue(&[draft("N70-1"), draft("N70-2"), draft("N70-3")]).await.unwrap();
    let r = |k: &str| InvoiceRef::new(key(k), "1", "C26TAA");
    assert!(sim.set_tct_status("N70-1", Some(1)));
    assert_eq!(Provider::tax_verdict(&c, &r("N70-1")).await.unwrap(), Some(hoadon_einvoice::TaxCheck::Accepted { code: None }));
    let CancelOutcome::Replaced(new) = Provider::cancel(&c, &r("N70-1")).await.unwrap() else { panic!("a replacement, not a cancel") };
    assert_eq!(new.key.as_str(), hoadon_sim_einvoice::easyinvoice::decree70_ikey("N70-1"));
    assert_eq!((new.pattern.as_str(), new.serial.as_str(), new.number), ("1", "C26TAA", 4));
    let states = c.query(&[key("N70-1"), new.key.clone()]).await.unwrap();
    assert_eq!(states[0].status, InvoiceStatus::Replaced, "the original is replaced, not cancelled");
    assert_eq!((states[1].status, states[1].number, states[1].amount.map(|a| a.0)), (InvoiceStatus::Signed, Some(4), Some(0)));
    assert_eq!(sim.invoice(new.key.as_str()).unwrap().replaces.as_deref(), Some("N70-1"));
    // Refused by the tax authority (−2): cancelled the old way.
    sim.set_tct_status("N70-2", Some(-2));
    assert_eq!(c.cancel(&r("N70-2")).await.unwrap(), CancelOutcome::Cancelled);
    // Being checked (−1): not yet.
    sim.set_tct_status("N70-3", Some(-1));
    assert_eq!(refusal(&c.cancel(&r("N70-3")).await.unwrap_err()), Refusal::CancelNotAllowed);
    assert_eq!(sim.issued_count(), 4);

    // A USB-token account may not cancel an accepted invoice at all: replace or adjust it.
    let token = start_easyinvoice(EasyInvoiceConfig { remote_signing: false, ..EasyInvoiceConfig::default() }, 0).await.unwrap();
    let ct = client(&token);
    ct.issue(&[draft("T70-1")]).await.unwrap();
    token.set_tct_status("T70-1", Some(1));
    let e = ct.cancel(&r("T70-1")).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::CancelNotAllowed);
    assert!(e.to_string().contains("Thay thế"), "the message offers replace/adjust: {e}");
    assert_eq!(ct.query(&[key("T70-1")]).await.unwrap()[0].status, InvoiceStatus::Signed);
}

/// A cash-register invoice sends its code as `TaxAuthorityCode` (≤ 23), not VNPT's `MCCQT`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cash_register_invoice_carries_its_tax_authority_code() {
    let sim = sim().await;
    let c = client(&sim);
    let code = "M1-26-AB123-00100000042";
    let pos = InvoiceDraft { serial: "C26MAA".into(), ..simple_draft("POS-1").with_tax_authority_code(code) };
    let request = ei::import_and_issue(&easyinvoice_settings(&sim.url()), std::slice::from_ref(&pos), &c.stamp());
    assert!(request.body.contains(&format!("<TaxAuthorityCode>{code}</TaxAuthorityCode>")) && !request.body.contains("MCCQT"), "{}", request.body);
    let issued = c.issue(std::slice::from_ref(&pos)).await.unwrap();
    assert_eq!((issued[0].serial.as_str(), issued[0].number), ("C26MAA", 1));
    assert_eq!(sim.invoice("POS-1").unwrap().tax_authority_code.as_deref(), Some(code));
    // Without its code a cash-register invoice is refused by the provider.
    let e = c.issue(&[InvoiceDraft { serial: "C26MAA".into(), ..simple_draft("POS-2") }]).await.unwrap_err();
    assert_eq!(refusal(&e), Refusal::InvalidData);
    assert!(e.to_string().contains("TaxAuthorityCode"), "{e}");
    // A code past 23 characters is refused here, and nothing is sent.
    let before = sim.invoices().len();
    let long = InvoiceDraft { serial: "C26MAA".into(), ..simple_draft("POS-3").with_tax_authority_code("M1-26-AB123-001000000420") };
    let e = c.issue(&[long]).await.unwrap_err();
    assert!(matches!(&e, ProviderError::Invalid(hoadon_einvoice::DraftError::TooLong { field: "tax_authority_code", max: 23, .. })), "{e:?}");
    assert_eq!(sim.invoices().len(), before);
    // Adjusting an invoice from a cash register: AdjustReplaceReasonCode 14.
    let adj = InvoiceDraft { serial: "C26MAA".into(), ..simple_draft("POS-1-DC").with_tax_authority_code("M1-26-AB123-00100000043") };
    c.adjust(&InvoiceRef::new(key("POS-1"), "1", "C26MAA"), AdjustKind::Decrease, &adj).await.unwrap();
    assert_eq!(sim.invoice("POS-1-DC").unwrap().reason_code, Some(14));
}

/// The app's form of the symbol (`Pattern` "1C26TAA", `Serial` ""): accepted and stored
/// under the registered pair.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_symbol_in_pattern_form_is_accepted() {
    let sim = sim().await;
    let c = client_with(&sim, |s| s.symbol_in_pattern = true);
    let request = ei::import_and_issue(c.settings(), &[simple_draft("SP-1")], &c.stamp());
    assert!(request.body.ends_with(r#","Pattern":"1C26TAA","Serial":""}"#), "{}", request.body);
    c.issue(&[simple_draft("SP-1")]).await.unwrap();
    let held = sim.invoice("SP-1").unwrap();
    assert_eq!((held.pattern.as_str(), held.serial.as_str()), ("1", "C26TAA"));
    c.draft(&[simple_draft("SP-2")]).await.unwrap();
    assert_eq!(c.publish_drafts(&[key("SP-2")]).await.unwrap().issued[0].number, 2);
    let r = InvoiceRef::new(key("SP-1"), "1", "C26TAA");
    assert_eq!(c.cancel(&r).await.unwrap(), CancelOutcome::Cancelled);
}

/// What cannot travel in the `Authentication` header is refused when the client is made.
#[test]
fn a_colon_or_diacritics_in_the_credentials_are_refused_at_client_creation() {
    let base = easyinvoice_settings("http://127.0.0.1:9");
    let cases: [(EasyInvoiceSettings, &str); 4] = [
        (EasyInvoiceSettings { password: "pa:ss".into(), ..base.clone() }, "dấu hai chấm"),
        (EasyInvoiceSettings { username: "demo:1".into(), ..base.clone() }, "dấu hai chấm"),
        (EasyInvoiceSettings { seller_tax_code: Some("0312345673:".into()), ..base.clone() }, "dấu hai chấm"),
        (EasyInvoiceSettings { password: "mậtkhẩu".into(), ..base.clone() }, "chữ có dấu"),
    ];
    for (settings, words) in cases {
        let e = EasyInvoiceClient::new(settings.clone()).unwrap_err();
        assert!(matches!(e, ProviderError::Settings { .. }), "{e:?}");
        assert!(e.to_string().contains(words) && e.to_string().contains("Chưa có gì được gửi đi"), "{e}");
    }
    assert_eq!(hoadon_einvoice::easyinvoice::credential_problem("demo", "pa:ss", "").map(|p| p.0), Some("password"));
    assert!(EasyInvoiceClient::new(base).is_ok());
}

/// A loopback proxy in front of the simulator. For the next `times` requests to a path
/// ending in `route` it answers EasyInvoice's server failure (HTTP 500, Status 5,
/// ErrorCode 199), after letting the simulator store and answer when `forward`, or without
/// forwarding at all otherwise. Everything else passes through.
async fn status5_proxy(upstream: String, route: &'static str, times: Arc<AtomicU32>, forward: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        while let Ok((mut sock, _)) = listener.accept().await {
            let (http, upstream, times) = (http.clone(), upstream.clone(), times.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 16 * 1024];
                let head_end = loop {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                let mut lines = head.split("\r\n");
                let path = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap_or("/").to_string();
                let headers: Vec<(String, String)> =
                    lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
                let length: usize = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-length")).and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
                while buf.len() < head_end + length {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let body = buf[head_end..head_end + length].to_vec();
                let fail = path.ends_with(route) && times.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                let (status, content_type, answer) = if fail && !forward {
                    (500, "application/json; charset=utf-8".to_string(), Vec::new())
                } else {
                    let mut req = http.post(format!("{upstream}{path}"));
                    for (n, v) in &headers {
                        if n.eq_ignore_ascii_case("authentication") || n.eq_ignore_ascii_case("content-type") {
                            req = req.header(n.as_str(), v.as_str());
                        }
                    }
                    let answer = req.body(body).send().await.unwrap();
                    let status = answer.status().as_u16();
                    let content_type = answer.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    (status, content_type, answer.bytes().await.unwrap().to_vec())
                };
                let (status, answer) = if fail {
                    (500, r#"{"Status":5,"Message":"Có lỗi xảy ra","ErrorCode":199,"Data":null}"#.as_bytes().to_vec())
                } else {
                    (status, answer)
                };
                let head = format!("HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", answer.len());
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&answer).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

/// Status 5 is a failure on the provider's side, maybe after it stored the invoice: unclear.
/// Asking by Ikey tells which, and only "not found" allows the resend, under the same key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_5_is_unclear_and_resolved_by_asking_by_ikey() {
    let sim = sim().await;
    for (forward, k) in [(true, "S5-stored"), (false, "S5-lost")] {
        let times = Arc::new(AtomicU32::new(1));
        let url = status5_proxy(sim.url(), "importAndIssueInvoice", times.clone(), forward).await;
        let c = EasyInvoiceClient::new(easyinvoice_settings(&url)).unwrap();
        let e = c.issue(&[simple_draft(k)]).await.unwrap_err();
        assert!(matches!(e, ProviderError::ServerError { http_status: 500, .. }), "{k}: {e:?}");
        assert!(e.is_unclear(), "{k}");
        let state = c.query(&[key(k)]).await.unwrap().remove(0);
        if forward {
            // Stored before the failure: the invoice is there, with its number. No resend.
            assert_eq!((state.status, state.number.is_some()), (InvoiceStatus::Signed, true), "{k}");
        } else {
            // Nothing stored (the query answers 404/128: every key not found): resend.
            assert_eq!(state.status, InvoiceStatus::NotFound, "{k}");
            c.issue(&[simple_draft(k)]).await.unwrap();
        }
        assert_eq!(sim.issued_per_key().get(k), Some(&1), "{k}: issued exactly once");
        assert_eq!(times.load(Ordering::SeqCst), 0);
    }
}

/// A buyer with a tax code must have its name and address (document v8, VI.1: CusTaxCode
/// makes CusName and CusAddress required): refused here, field named, nothing sent. A
/// person without address and tax code may be invoiced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_without_address_is_refused_before_sending() {
    let sim = sim().await;
    let c = client(&sim);
    let company = InvoiceDraft { buyer: hoadon_einvoice::Buyer { address: String::new(), ..fixtures::buyer() }, ..draft("CA-1") };
    for e in [c.issue(std::slice::from_ref(&company)).await.unwrap_err(), c.draft(std::slice::from_ref(&company)).await.unwrap_err()] {
        let ProviderError::Invalid(d) = &e else { panic!("refused before sending, got {e:?}") };
        assert_eq!(d.field(), "customer.address");
        assert!(e.to_string().contains("EasyInvoice (với người mua có mã số thuế)"), "{e}");
    }
    assert!(sim.invoices().is_empty(), "nothing reached the provider");
    let person = InvoiceDraft { buyer: hoadon_einvoice::Buyer { name: "Nguyễn Văn Bình".into(), ..Default::default() }, ..simple_draft("CA-2") };
    c.issue(&[person]).await.unwrap();
    assert_eq!(sim.invoice("CA-2").unwrap().cus_name, "Nguyễn Văn Bình");
}
