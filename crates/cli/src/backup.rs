//! `hoadon backup now|list|restore|folder`: the same copies as the app's Cài đặt, into the
//! same folder (the `backup.folder` setting, default `sao-luu` beside the database).
//!
//! `restore` puts a copy back after keeping the current file in the folder, then asks the
//! configured provider about the invoices issued since the copy and attaches those it can
//! (skipped with `--no-reattach`, or when no provider is configured: the CLI has no demo
//! simulators).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::Subcommand;
use hoadon_core::backup::reattach::reattach_after_restore;
use hoadon_core::backup::{BackupControl, BackupEntry, BackupKind};
use hoadon_core::einvoice::AnyProvider;
use hoadon_core::rules::calendar;
use hoadon_core::rules::money::group_thousands;
use hoadon_core::{Error, Shop};

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Make a copy now (checked, then old copies pruned: 14 daily, 12 monthly).
    Now,
    /// The copies in the backup folder, newest first.
    List,
    /// Put a copy back in place of the shop's data (the current file is kept first).
    Restore {
        /// The copy: a name from `hoadon backup list`, or the path of a copy elsewhere.
        file: PathBuf,
        /// Do not ask the provider to re-attach the invoices issued since the copy.
        #[arg(long)]
        no_reattach: bool,
    },
    /// Set the backup folder (it must exist), or go back to the default.
    Folder {
        /// The folder; leave out with --default.
        dir: Option<PathBuf>,
        /// Back to `sao-luu` beside the database.
        #[arg(long, conflicts_with = "dir")]
        default: bool,
    },
}

pub fn run(mut shop: Shop, db: &Path, cmd: BackupCommand, json: bool) -> Result<(), Error> {
    let now = calendar::now();
    match cmd {
        BackupCommand::Now => {
            let made = shop.back_up_now(now, &BackupControl::new())?.expect("the CLI never cancels");
            if json {
                println!("{}", serde_json::to_string_pretty(&made).expect("serialises"));
            } else {
                let folder = shop.backup_job()?.folder;
                println!("Đã sao lưu vào {} ({}, đã kiểm tra).", folder.join(&made.file).display(), size(made.size_bytes));
                println!("  {} đơn hàng, {} hóa đơn.", group_thousands(made.counts.sales), group_thousands(made.counts.invoices));
                if !made.pruned.is_empty() {
                    println!("  Đã xóa {} bản sao lưu cũ: {}", made.pruned.len(), made.pruned.join(", "));
                }
            }
        }
        BackupCommand::List => {
            let entries = shop.list_backups()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&entries).expect("serialises"));
            } else {
                println!("Thư mục sao lưu: {}", shop.backup_job()?.folder.display());
                if entries.is_empty() {
                    println!("Chưa có bản sao lưu nào.");
                }
                for e in &entries {
                    println!("{}", describe(e));
                }
            }
        }
        BackupCommand::Restore { file, no_reattach } => {
            let path = if file.components().count() == 1 { shop.backup_file(&file.to_string_lossy())? } else { file };
            let outcome = shop.restore_backup(&path, now)?;
            if json && no_reattach {
                println!("{}", serde_json::to_string_pretty(&outcome).expect("serialises"));
            } else if !json {
                println!(
                    "Đã khôi phục từ {} (sao lưu lúc {}): {} đơn hàng, {} hóa đơn.",
                    outcome.restored,
                    calendar::format_moment(outcome.backup_at),
                    group_thousands(outcome.counts.sales),
                    group_thousands(outcome.counts.invoices)
                );
                println!("  Dữ liệu trước khi khôi phục được giữ ở {}.", outcome.kept_copy);
            }
            if no_reattach {
                return Ok(());
            }
            let secrets = hoadon_core::secrets_beside(db);
            let provider = shop.provider_settings(&secrets, &[]).and_then(|s| AnyProvider::new(s).map_err(|e| Error::Provider { message: e.to_string(), unclear: false }));
            let Ok(provider) = provider else {
                println!("  Chưa cài đặt nhà cung cấp hóa đơn điện tử, nên chưa gắn lại hóa đơn lập sau lúc sao lưu.");
                return Ok(());
            };
            let shop = Mutex::new(shop);
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime starts");
            let report = rt.block_on(reattach_after_restore(&shop, &secrets, &provider, &outcome))?;
            if json {
                println!("{}", serde_json::json!({ "restore": outcome, "reattach": report }));
            } else {
                println!("Đã hỏi nhà cung cấp về {} hóa đơn ({}).", report.asked, report.source);
                for a in &report.attached {
                    println!("  Gắn lại: đơn hàng {} – hóa đơn {} số {} (mã {})", a.sale_id, a.symbol, a.number.map(|n| n.to_string()).unwrap_or_default(), a.key);
                }
                for n in &report.not_attached {
                    println!("  Không gắn được: mã {} – {}", n.key, n.reason);
                }
                if let Some(e) = &report.list_error {
                    println!("  Chưa lấy được danh sách hóa đơn của nhà cung cấp: {e}");
                }
            }
        }
        BackupCommand::Folder { dir, default } => {
            let folder = if default { None } else { Some(dir.ok_or_else(|| Error::field("backup_folder", "Hãy ghi thư mục sao lưu, hoặc --default."))?) };
            let folder = folder.map(|d| std::path::absolute(&d).unwrap_or(d));
            let status = shop.set_backup_folder(folder.as_deref(), now.unix_timestamp())?;
            println!("Thư mục sao lưu: {}{}", status.folder, if status.default_folder { " (mặc định)" } else { "" });
        }
    }
    Ok(())
}

fn describe(e: &BackupEntry) -> String {
    let kind = match e.kind {
        BackupKind::Scheduled => "",
        BackupKind::BeforeRestore => " (dữ liệu trước khi khôi phục)",
    };
    let what = match (&e.counts, &e.problem) {
        (Some(c), _) => format!(
            "{} đơn hàng, {} hóa đơn, đơn cuối {}",
            group_thousands(c.sales),
            group_thousands(c.invoices),
            c.last_sale_at.map(calendar::format_moment).unwrap_or_else(|| "—".into())
        ),
        (None, Some(p)) => p.clone(),
        (None, None) => String::new(),
    };
    format!("{}  {}  {}  {}{kind}", calendar::format_moment(e.at), e.file, size(e.size_bytes), what)
}

fn size(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
