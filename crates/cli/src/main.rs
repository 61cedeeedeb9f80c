//! `hoadon`: the shop from the command line.
//!
//! Same core, same database (`--db`, or `HOADON_DB`, or the app's data folder) as the
//! desktop app, so scripts and the window see the same shop. Exit status: 0 done, 2 the
//! input was refused (the reason on stderr, in Vietnamese), 1 anything else.

mod backup;
mod customers;
mod export;
mod invoice;
mod lookup;
mod moit;
mod payment;
mod pdf;
mod sales;
mod secret_input;
mod visits;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hoadon_core::{Error, Shop};

#[derive(Parser)]
#[command(name = "hoadon", version, about = "Bán hàng và hóa đơn điện tử cho cửa hàng nhỏ")]
struct Cli {
    /// The database file (default: HOADON_DB, else hoadon.db in the app's data folder).
    #[arg(long, global = true, env = hoadon_core::DATABASE_ENV)]
    db: Option<PathBuf>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sales (đơn hàng).
    #[command(subcommand)]
    Sales(sales::SalesCommand),
    /// Customers (khách hàng).
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// E-invoices (hóa đơn điện tử): settings, issue, status, cancel, reconcile, provider PDF.
    #[command(subcommand)]
    Invoice(invoice::InvoiceCommand),
    /// The invoice (or receipt) of a sale printed by the app, as a PDF.
    Pdf(pdf::PdfArgs),
    /// VietQR payment codes (mã thanh toán): the shop's bank account, the banks, a sale's code.
    #[command(subcommand)]
    Payment(payment::PaymentCommand),
    /// Fill the demo shop into an empty database.
    DemoData,
    /// Look a business partner up by tax code (tra cứu mã số thuế).
    Lookup(lookup::LookupArgs),
    /// MOIT statistics (báo cáo Bộ Công Thương): report, serve.
    #[command(subcommand)]
    Moit(moit::MoitCommand),
    /// Website visits (lượt truy cập) for the MOIT report: import a CSV.
    #[command(subcommand)]
    Visits(visits::VisitsCommand),
    /// Backups (sao lưu): now, list, restore, folder.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// The accountant's listings of a period (bảng kê bán hàng, hóa đơn, tổng hợp thuế GTGT) as .xlsx or CSV.
    Export(export::ExportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(|| hoadon_core::database_path(None));
    let log_dir = db.parent().map(|p| p.to_path_buf()).unwrap_or_else(|| PathBuf::from("."));
    let (_log, _guard) = hoadon_core::init_logging(&log_dir, false);
    match run(cli, &db) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::warn!(error = ?e, "command failed");
            let app = e.to_app_error();
            eprintln!("Lỗi: {}", app.message);
            if app.fields.len() > 1 {
                for f in &app.fields {
                    eprintln!("  - {}: {}", f.field, f.message);
                }
            }
            ExitCode::from(if matches!(e, Error::Invalid { .. }) { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli, db: &std::path::Path) -> Result<(), Error> {
    let mut shop = Shop::open(db)?;
    match cli.command {
        Command::Sales(cmd) => sales::run(&mut shop, cmd, cli.json),
        Command::Invoice(cmd) => invoice::run(shop, db, cmd, cli.json),
        Command::Pdf(args) => pdf::run(&shop, db, args),
        Command::Payment(cmd) => payment::run(&shop, cmd, cli.json),
        Command::Customers(cmd) => customers::run(&shop, cmd, cli.json),
        Command::Lookup(args) => lookup::run(&shop, db, args, cli.json),
        Command::Moit(cmd) => moit::run(&shop, db, cmd, cli.json),
        Command::Visits(cmd) => visits::run(&shop, cmd, cli.json),
        Command::Backup(cmd) => backup::run(shop, db, cmd, cli.json),
        Command::Export(args) => export::run(&shop, args, cli.json),
        Command::DemoData => {
            let now = hoadon_core::rules::calendar::now().unix_timestamp();
            match shop.fill_demo_data(now)? {
                Some(s) if cli.json => println!("{}", serde_json::to_string_pretty(&s).expect("serialises")),
                Some(s) => println!(
                    "Đã tạo dữ liệu mẫu: {} sản phẩm, {} khách hàng, {} người bán, {} đơn hàng, lượt truy cập {} ngày.",
                    s.products, s.customers, s.sellers, s.sales, s.visit_days
                ),
                None => println!("Cơ sở dữ liệu đã có dữ liệu; không tạo dữ liệu mẫu."),
            }
            Ok(())
        }
    }
}
