//! `hoadon pdf <sale> -o file.pdf [--receipt]`: the invoice printed by the app itself.

use std::path::PathBuf;

use clap::Args;
use hoadon_core::{Error, Shop};

#[derive(Args)]
pub struct PdfArgs {
    sale: i64,
    #[arg(short = 'o', long)]
    output: PathBuf,
    /// The 80 mm receipt for a thermal printer instead of the A4 invoice.
    #[arg(long)]
    receipt: bool,
}

pub fn run(shop: &Shop, db: &std::path::Path, a: PdfArgs) -> Result<(), Error> {
    let secrets = hoadon_core::secrets_beside(db);
    let view = shop.invoice_settings(&secrets)?;
    let bytes = shop.render_sale_pdf(a.sale, &view.template, &view.serial, a.receipt)?;
    std::fs::write(&a.output, bytes).map_err(|e| Error::field("output", format!("Không ghi được {}: {e}", a.output.display())))?;
    println!("Đã lưu {} vào {}", if a.receipt { "biên lai" } else { "hóa đơn" }, a.output.display());
    Ok(())
}
