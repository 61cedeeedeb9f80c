//! `hoadon export sales|invoices|vat --from dd/mm/yyyy --to dd/mm/yyyy --xlsx|--csv --out FILE`:
//! the accountant's listings, the same files as "Xuất Excel" / "Xuất CSV" in the window.
//!
//! On a terminal it shows how far it is on stderr; Ctrl-C cancels, and nothing is left
//! under `--out` (the rows go to a temporary name renamed at the end).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{ArgGroup, Args, ValueEnum};
use hoadon_core::accounting::{AccountingExportForm, ExportOutcome, FileFormat, Listing, Progress};
use hoadon_core::rules::money::group_thousands;
use hoadon_core::{Error, Shop};

#[derive(Clone, Copy, ValueEnum)]
pub enum ListingArg {
    /// Bảng kê bán hàng (the .xlsx adds the VAT summary as a second sheet).
    Sales,
    /// Bảng kê hóa đơn: the invoices issued in the period.
    Invoices,
    /// Tổng hợp thuế GTGT theo thuế suất.
    Vat,
}

#[derive(Args)]
#[command(group(ArgGroup::new("format").required(true).args(["xlsx", "csv"])))]
pub struct ExportArgs {
    /// Which listing.
    #[arg(value_enum)]
    listing: ListingArg,
    /// The first day, dd/mm/yyyy.
    #[arg(long)]
    from: String,
    /// The last day, included, dd/mm/yyyy.
    #[arg(long)]
    to: String,
    /// An Excel workbook.
    #[arg(long)]
    xlsx: bool,
    /// CSV (UTF-8 with BOM, for Excel).
    #[arg(long)]
    csv: bool,
    /// The file to write; its folder must exist.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(shop: &Shop, args: ExportArgs, json: bool) -> Result<(), Error> {
    let form = AccountingExportForm {
        listing: match args.listing {
            ListingArg::Sales => Listing::Sales,
            ListingArg::Invoices => Listing::Invoices,
            ListingArg::Vat => Listing::VatSummary,
        },
        format: if args.xlsx { FileFormat::Xlsx } else { FileFormat::Csv },
        from: args.from,
        to: args.to,
    };
    let progress = Arc::new(Progress::new());
    cancel_on_ctrl_c(progress.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let shown = std::io::stderr().is_terminal().then(|| show_progress(progress.clone(), stop.clone()));
    let outcome = shop.export_for_accountant(&form, &args.out, &progress);
    stop.store(true, Ordering::Relaxed);
    if let Some(thread) = shown {
        let _ = thread.join();
        eprint!("\r\x1b[K");
    }
    match outcome? {
        ExportOutcome::Written(done) if json => println!("{}", serde_json::to_string_pretty(&done).expect("serialises")),
        ExportOutcome::Written(done) => println!(
            "Đã xuất {} ({} dòng, {} byte) vào {}",
            form.listing.label(),
            group_thousands(done.rows as i64),
            group_thousands(done.bytes as i64),
            done.path
        ),
        ExportOutcome::Cancelled => {
            eprintln!("Đã hủy; không có tệp nào được ghi vào {}.", display(&args.out));
            std::process::exit(130);
        }
    }
    Ok(())
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Ctrl-C asks the export to stop instead of killing it mid-file.
fn cancel_on_ctrl_c(progress: Arc<Progress>) {
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
            progress.cancel();
        }
    });
}

fn show_progress(progress: Arc<Progress>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || while !stop.load(Ordering::Relaxed) {
        let p = progress.snapshot();
        let count = if p.total > 0 { format!(" {}/{}", group_thousands(p.done as i64), group_thousands(p.total as i64)) } else { String::new() };
        eprint!("\r\x1b[K{}{count}…", p.label);
        let _ = std::io::stderr().flush();
        std::thread::sleep(Duration::from_millis(250));
    })
}
