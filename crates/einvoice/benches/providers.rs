//! How long issuing takes through each client against the loopback simulators, and what
//! part of it is the client's own work (building the request, reading the answer).
//!
//! `cargo bench -p hoadon-einvoice --bench providers`. Prints:
//! - 1000 invoices issued one per call through each client (wall time per invoice, p50/p95;
//!   Viettel takes one invoice per call, after one log-in whose token is reused),
//! - the client's own time per invoice (request built + answer parsed, no network),
//! - one VNPT `ImportAndPublishInv` batch of 5000 invoices,
//! - each provider's list of everything issued today, as a restore asks it
//!   ([`hoadon_einvoice::Provider::issued_since`]).

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use std::time::{Duration, Instant};

use fixtures::{draft, easyinvoice_settings, viettel_settings, vnpt_settings, VIETTEL_TEMPLATE, VNPT_PATTERN};
use hoadon_einvoice::easyinvoice::{answers as ei_answers, requests as ei_requests};
use hoadon_einvoice::viettel::{answers as vt_answers, requests as vt_requests};
use hoadon_einvoice::vnpt::{answers as vn_answers, requests as vn_requests};
use hoadon_einvoice::{EasyInvoiceClient, InvoiceDraft, Operation, Provider, Timeouts, ViettelClient, VnptClient};
use hoadon_sim_einvoice::{start_easyinvoice, start_viettel, start_vnpt, EasyInvoiceConfig, ViettelConfig, VnptConfig};

const N: usize = 1000;
const BATCH: usize = 5000;

fn report(name: &str, mut samples: Vec<Duration>, total: Duration) {
    samples.sort();
    let per = total / samples.len() as u32;
    let p = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    println!(
        "{name:<44} n={:<5} total {:>8.1} ms   per invoice {:>7.3} ms   p50 {:>7.3} ms   p95 {:>7.3} ms",
        samples.len(),
        total.as_secs_f64() * 1e3,
        per.as_secs_f64() * 1e3,
        p(0.5).as_secs_f64() * 1e3,
        p(0.95).as_secs_f64() * 1e3
    );
}

fn drafts(prefix: &str, n: usize) -> Vec<InvoiceDraft> {
    (0..n).map(|i| draft(&format!("{prefix}-{i}"))).collect()
}

async fn one_by_one<P: Provider>(name: &str, client: &P, drafts: &[InvoiceDraft]) {
    let mut samples = Vec::with_capacity(drafts.len());
    let start = Instant::now();
    for d in drafts {
        let t = Instant::now();
        client.issue(std::slice::from_ref(d)).await.expect("issue");
        samples.push(t.elapsed());
    }
    report(name, samples, start.elapsed());
}

/// The client's own work for one invoice: the request as bytes, and the answer read back.
fn client_work() {
    let ei = easyinvoice_settings("http://127.0.0.1:1");
    let vn = vnpt_settings("http://127.0.0.1:1");
    let stamp = hoadon_einvoice::AuthStamp { timestamp: 1_772_700_000, nonce: "abc".into() };
    let ds = drafts("W", N);
    let ei_answer = br#"{"Status":2,"Message":"Ok","Data":{"Pattern":"1","Serial":"C26TAA","KeyInvoiceNo":{"W-0":"0000001"}}}"#;
    let vn_answer = r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ImportAndPublishInvResponse xmlns="http://tempuri.org/"><ImportAndPublishInvResult>OK:1;C26TAA-W-0_1</ImportAndPublishInvResult></ImportAndPublishInvResponse></soap:Body></soap:Envelope>"#;

    let mut samples = Vec::with_capacity(N);
    let start = Instant::now();
    for d in &ds {
        let t = Instant::now();
        let req = ei_requests::import_and_issue(&ei, std::slice::from_ref(d), &stamp);
        std::hint::black_box(&req);
        let env = ei_answers::parse_envelope(ei_answer).unwrap();
        std::hint::black_box(ei_answers::issued(Operation::Issue, &env, &[ds[0].key.clone()], "1", "C26TAA").unwrap());
        samples.push(t.elapsed());
    }
    report("EasyInvoice client work (no network)", samples, start.elapsed());

    let mut samples = Vec::with_capacity(N);
    let start = Instant::now();
    for d in &ds {
        let t = Instant::now();
        let req = vn_requests::import_and_publish_inv(&vn, std::slice::from_ref(d));
        std::hint::black_box(&req);
        let text = vn_answers::soap_result(Operation::Issue, "ImportAndPublishInv", vn_answer).unwrap();
        let items = vn_answers::parse_published(&text, false).unwrap();
        std::hint::black_box(vn_answers::issued_for(Operation::Issue, items, &[ds[0].key.clone()]).unwrap());
        samples.push(t.elapsed());
    }
    report("VNPT client work (no network)", samples, start.elapsed());

    let vt = viettel_settings("http://127.0.0.1:1");
    let vt_drafts: Vec<InvoiceDraft> = ds.iter().map(|d| d.clone().with_pattern(VIETTEL_TEMPLATE)).collect();
    let vt_answer = br#"{"errorCode":null,"description":null,"result":{"supplierTaxCode":"0100109106-506","templateCode":"1/001","invoiceNo":"C26TAA1","transactionID":"x","reservationCode":"ABCDE12345","codeOfTax":"M1-X"}}"#;
    let purpose = vt_requests::Purpose::Original;
    let mut samples = Vec::with_capacity(N);
    let start = Instant::now();
    for d in &vt_drafts {
        let t = Instant::now();
        let req = vt_requests::create_invoice(&vt, "token", d, &purpose, 1_772_700_000);
        std::hint::black_box(&req);
        let value = vt_answers::read(Operation::Issue, 200, vt_answer, Some(&d.key)).unwrap();
        std::hint::black_box(vt_answers::issued(Operation::Issue, &value, &d.key, VIETTEL_TEMPLATE, "C26TAA").unwrap());
        samples.push(t.elapsed());
    }
    report("Viettel client work (no network)", samples, start.elapsed());
}

fn main() {
    // Only run when asked to: `cargo test --benches` would otherwise run it as a test.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let long = Timeouts { connect: Duration::from_secs(5), request: Duration::from_secs(300) };

        let ei_sim = start_easyinvoice(EasyInvoiceConfig::default(), 0).await.unwrap();
        let mut s = easyinvoice_settings(&ei_sim.url());
        s.timeouts = long;
        let ei = EasyInvoiceClient::new(s).unwrap();
        one_by_one("EasyInvoice: 1000 invoices, one per call", &ei, &drafts("EI", N)).await;
        assert_eq!(ei_sim.issued_count(), N);

        let vn_sim = start_vnpt(VnptConfig::default(), 0).await.unwrap();
        let mut s = vnpt_settings(&vn_sim.url());
        s.timeouts = long;
        let vn = VnptClient::new(s).unwrap();
        // VNPT tenants name the pattern `1/001` beside the serial.
        let vn_drafts: Vec<InvoiceDraft> = drafts("VN", N).into_iter().map(|d| d.with_pattern(VNPT_PATTERN)).collect();
        one_by_one("VNPT: 1000 invoices, one per call", &vn, &vn_drafts).await;

        let vt_sim = start_viettel(ViettelConfig { password: "viettel-pass".into(), ..ViettelConfig::default() }, 0).await.unwrap();
        let mut s = viettel_settings(&vt_sim.url());
        s.timeouts = long;
        let vt = ViettelClient::new(s).unwrap();
        let vt_drafts: Vec<InvoiceDraft> = drafts("VT", N).into_iter().map(|d| d.with_pattern(VIETTEL_TEMPLATE)).collect();
        one_by_one("Viettel: 1000 invoices, one per call", &vt, &vt_drafts).await;
        assert_eq!(vt_sim.issued_count(), N);
        assert!(vt_sim.issued_per_key().values().all(|&n| n == 1));

        let batch: Vec<InvoiceDraft> = drafts("BATCH", BATCH).into_iter().map(|d| d.with_pattern(VNPT_PATTERN)).collect();
        let bytes = vn_requests::import_and_publish_inv(vn.settings(), &batch).body.len();
        let t = Instant::now();
        let issued = vn.issue(&batch).await.expect("batch");
        let took = t.elapsed();
        assert_eq!(issued.len(), BATCH);
        println!(
            "{:<44} n={BATCH:<5} total {:>8.1} ms   per invoice {:>7.3} ms   request {:.1} MB",
            "VNPT: one ImportAndPublishInv batch",
            took.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e3 / BATCH as f64,
            bytes as f64 / 1e6
        );
        assert!(vn_sim.issued_per_key().values().all(|&n| n == 1));

        // After a restore: the provider's list of everything issued since the copy. EasyInvoice
        // lists by the invoices' own date (the drafts' 5 March), Viettel by the day it issued.
        let series = vec![hoadon_einvoice::SeriesMark { pattern: VNPT_PATTERN.into(), serial: issued[0].serial.clone(), last_number: 0 }];
        let since = hoadon_einvoice::IssuedSince { from: batch[0].issue_date, series };
        for (name, listed) in [
            ("EasyInvoice: list since 5 March (pages of 100)", { let t = Instant::now(); (ei.issued_since(&since).await.expect("list").invoices.len(), t.elapsed()) }),
            ("VNPT: list after number 0 (windows of 100)", { let t = Instant::now(); (vn.issued_since(&since).await.expect("list").invoices.len(), t.elapsed()) }),
            ("Viettel: list since 5 March (one answer)", { let t = Instant::now(); (vt.issued_since(&since).await.expect("list").invoices.len(), t.elapsed()) }),
        ] {
            let (n, took) = listed;
            println!("{name:<44} n={n:<5} total {:>8.1} ms   per invoice {:>7.3} ms", took.as_secs_f64() * 1e3, took.as_secs_f64() * 1e3 / n.max(1) as f64);
        }
    });
    client_work();
}
