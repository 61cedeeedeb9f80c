//! How long printing takes, as a cashier waits for it: milliseconds per invoice, the median
//! of several runs after a warm-up (the first call also parses the two embedded fonts, once
//! per process, and is reported apart).
//!
//! `cargo bench -p hoadon-pdf`

#[path = "../tests/sample/mod.rs"]
mod sample;

use std::hint::black_box;
use std::time::{Duration, Instant};

use hoadon_pdf::{render_invoice, render_receipt, PrintedInvoice};

fn median_ms(runs: usize, inv: &PrintedInvoice, render: fn(&PrintedInvoice) -> Result<Vec<u8>, hoadon_pdf::PdfError>) -> (f64, f64, usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let bytes = black_box(render(black_box(inv)).expect("renders"));
        times.push(start.elapsed());
        size = bytes.len();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[runs / 2]), ms(times[0]), size)
}

fn main() {
    let small = sample::invoice(20);
    let large = sample::invoice(400);
    let till = sample::till_sale(20);

    let start = Instant::now();
    render_invoice(&sample::invoice(1)).expect("renders");
    println!("first call (parses the fonts): {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);

    for (what, runs, inv, render) in [
        ("A4 invoice,  20 lines", 31, &small, render_invoice as fn(&_) -> _),
        ("A4 invoice, 400 lines", 11, &large, render_invoice),
        ("receipt,     20 lines", 31, &till, render_receipt),
    ] {
        let (median, min, size) = median_ms(runs, inv, render);
        println!("{what}: median {median:7.1} ms, min {min:7.1} ms over {runs} runs ({size} bytes)");
    }
}
