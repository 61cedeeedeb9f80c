//! `hoadon visits import FILE`: the visits of a web-analytics CSV export, day by day.
//!
//! Prints what was taken and every refused line with its reason; exits 2 when nothing in
//! the file was valid.

use std::path::PathBuf;

use clap::Subcommand;
use hoadon_core::rules::money::group_thousands;
use hoadon_core::{Error, Shop};
use hoadon_core::moit::VisitsImport;

#[derive(Subcommand)]
pub enum VisitsCommand {
    /// Import a CSV of (date, visits) lines; a day already stored is replaced.
    Import {
        /// The CSV file (dates dd/MM/yyyy or yyyy-MM-dd).
        file: PathBuf,
    },
}

pub fn run(shop: &Shop, cmd: VisitsCommand, json: bool) -> Result<(), Error> {
    match cmd {
        VisitsCommand::Import { file } => {
            let report = shop.import_visits(&file)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report).expect("serialises"));
            } else {
                print!("{}", describe(&report));
            }
            if report.taken == 0 {
                return Err(Error::field("file", "Tệp không có dòng lượt truy cập hợp lệ nào; không lưu gì."));
            }
            Ok(())
        }
    }
}

fn describe(r: &VisitsImport) -> String {
    let mut out = format!("Đã nhận {} ngày", r.taken);
    if let (Some(first), Some(last)) = (&r.first_day, &r.last_day) {
        out.push_str(&format!(" (từ {first} đến {last})"));
    }
    out.push_str(&format!(", tổng {} lượt truy cập.\n", group_thousands(r.total_visits)));
    if r.refused.is_empty() {
        out.push_str("Không có dòng nào bị từ chối.\n");
    } else {
        out.push_str(&format!("Từ chối {} dòng:\n", r.refused.len()));
        for line in &r.refused {
            out.push_str(&format!("  - dòng {}: {} («{}»)\n", line.line, line.reason, line.text));
        }
    }
    out
}
