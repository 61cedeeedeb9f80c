//! An export from start to end: which listing, which file, the temporary name, the rename.

use std::path::Path;

use hoadon_rules::{calendar, Dong, VatTotals};
use hoadon_store::{InvoiceStatus, Store, NO_INVOICE_LABEL};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::{Cell, Layout, Sheet};
use crate::csv_sheet::CsvFile;
use crate::snapshot::ReadSnapshot;
use crate::temporary;
use crate::xlsx_sheet::XlsxBook;
use crate::{each_invoice, each_sale, vat_summary, AccountingError, ExportPhase, Period, Progress, Result, VatSummary};

/// Which listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "AccountingListing")]
pub enum Listing {
    /// Bảng kê bán hàng: one line per sale; the `.xlsx` adds the VAT summary as a second sheet.
    Sales,
    /// Bảng kê hóa đơn: every invoice issued in the period.
    Invoices,
    /// Tổng hợp thuế GTGT: subtotal and VAT per rate.
    VatSummary,
}

impl Listing {
    /// Every listing, in the order the window offers them.
    pub const ALL: [Listing; 3] = [Listing::Sales, Listing::Invoices, Listing::VatSummary];

    /// The listing as the owner reads it.
    pub fn label(self) -> &'static str {
        match self {
            Listing::Sales => "Bảng kê bán hàng",
            Listing::Invoices => "Bảng kê hóa đơn",
            Listing::VatSummary => "Tổng hợp thuế GTGT",
        }
    }

    /// The name the save dialog proposes: `bang-ke-ban-hang_01-03-2026_31-03-2026.xlsx`.
    pub fn file_name(self, format: FileFormat, period: &Period) -> String {
        let stem = match self {
            Listing::Sales => "bang-ke-ban-hang",
            Listing::Invoices => "bang-ke-hoa-don",
            Listing::VatSummary => "tong-hop-thue-gtgt",
        };
        format!("{stem}_{}.{}", period.file_stem(), format.extension())
    }
}

/// Which kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "AccountingFileFormat")]
pub enum FileFormat {
    /// Excel workbook: real dates, đồng as numbers shown `#,##0`, a bold row of totals.
    Xlsx,
    /// CSV, UTF-8 with its mark so that Excel reads the accents: one table, no heading or
    /// totals, amounts as bare digits.
    Csv,
}

impl FileFormat {
    /// `xlsx` or `csv`, which the save dialog also filters on.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv => "csv",
        }
    }

    /// The format as the buttons and the dialog name it.
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "Excel",
            FileFormat::Csv => "CSV",
        }
    }
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRequest {
    /// Which listing.
    pub listing: Listing,
    /// Which kind of file.
    pub format: FileFormat,
    /// Which days.
    pub period: Period,
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AccountingExportDone")]
pub struct ExportDone {
    /// Where, as shown to the owner.
    pub path: String,
    /// How many sales or invoices it lists (rates, for the summary).
    #[ts(type = "number")]
    pub rows: u64,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// How an export ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportOutcome {
    /// The file is in place under the chosen name.
    Written(ExportDone),
    /// The owner cancelled: nothing is under the chosen name (a file already there is left
    /// as it was), and the temporary file is gone.
    Cancelled,
}

/// Writes `request`'s listing of `store` to `path`, reporting to `progress` and stopping when
/// it is cancelled. The rows go to a temporary file beside `path` (same folder, so the rename
/// is atomic), renamed to `path` only once complete.
pub fn export(store: &Store, request: &ExportRequest, path: &Path, progress: &Progress) -> Result<ExportOutcome> {
    temporary::sweep(path);
    let temporary = temporary::file_for(path);
    let written = write(store, request, &temporary, progress).and_then(|rows| {
        std::fs::rename(&temporary, path).map_err(|e| AccountingError::Io(path.to_path_buf(), e))?;
        Ok(rows)
    });
    match written {
        Ok(rows) => {
            let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            tracing::info!(listing = ?request.listing, format = ?request.format, rows, bytes, path = %path.display(), "exported for the accountant");
            Ok(ExportOutcome::Written(ExportDone { path: path.display().to_string(), rows, bytes }))
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            match e {
                AccountingError::Cancelled => {
                    tracing::info!(listing = ?request.listing, path = %path.display(), "export cancelled; nothing written");
                    Ok(ExportOutcome::Cancelled)
                }
                e => Err(e),
            }
        }
    }
}

fn write(store: &Store, request: &ExportRequest, temporary: &Path, progress: &Progress) -> Result<u64> {
    let _snapshot = ReadSnapshot::begin(store.connection())?;
    let seller = seller_line(store)?;
    progress.enter(ExportPhase::Summing, 0);
    let rows = match request.format {
        FileFormat::Xlsx => {
            let scratch = temporary::scratch_for(temporary);
            std::fs::create_dir_all(&scratch).map_err(|e| AccountingError::Io(scratch.clone(), e))?;
            let saved = (|| -> Result<u64> {
                let mut book = XlsxBook::new(&scratch)?;
                let rows = write_listing(&mut book, store, request, &seller, progress)?;
                progress.enter(ExportPhase::Saving, rows);
                progress.check()?;
                book.save(temporary)?;
                Ok(rows)
            })();
            let _ = std::fs::remove_dir_all(&scratch);
            let rows = saved?;
            // On disk before the rename publishes it, so a power cut never leaves a cut file
            // under the chosen name.
            let io = |e| AccountingError::Io(temporary.to_path_buf(), e);
            std::fs::File::open(temporary).and_then(|f| f.sync_all()).map_err(io)?;
            rows
        }
        FileFormat::Csv => {
            let mut csv = CsvFile::create(temporary)?;
            let rows = write_listing(&mut csv, store, request, &seller, progress)?;
            progress.enter(ExportPhase::Saving, rows);
            csv.finish()?;
            rows
        }
    };
    Ok(rows)
}

fn write_listing(sheet: &mut dyn Sheet, store: &Store, request: &ExportRequest, seller: &str, progress: &Progress) -> Result<u64> {
    let period = &request.period;
    match request.listing {
        Listing::Sales => {
            let summary = vat_summary(store, period, progress)?;
            let rows = sales_sheet(sheet, store, period, seller, &summary, progress)?;
            if request.format == FileFormat::Xlsx {
                summary_sheet(sheet, period, seller, &summary)?;
            }
            Ok(rows)
        }
        Listing::Invoices => invoices_sheet(sheet, store, period, seller, progress),
        Listing::VatSummary => {
            let summary = vat_summary(store, period, progress)?;
            summary_sheet(sheet, period, seller, &summary)
        }
    }
}

fn seller_line(store: &Store) -> Result<String> {
    Ok(match store.shop()? {
        Some(shop) => match shop.tax_code {
            Some(mst) => format!("Người bán: {} – MST: {mst}", shop.name),
            None => format!("Người bán: {}", shop.name),
        },
        None => String::new(),
    })
}

fn heading(title: &str, seller: &str, period: &Period, note: &str) -> Vec<String> {
    [title, seller, &period.describe(), note].into_iter().filter(|l| !l.is_empty()).map(String::from).collect()
}

const NO_FAILED: &str = "Không gồm đơn hàng thất bại, khách hủy. Số tiền tính bằng đồng.";

fn sales_sheet(sheet: &mut dyn Sheet, store: &Store, period: &Period, seller: &str, summary: &VatSummary, progress: &Progress) -> Result<u64> {
    // One amount column per rate the period uses, in the order invoices print them.
    let rates: Vec<_> = summary.totals.by_rate.iter().map(|t| (t.rate, t.label.clone())).collect();
    let mut columns = vec![("Ngày bán".to_string(), 12.0), ("Số đơn".into(), 9.0), ("Người mua".into(), 32.0), ("MST người mua".into(), 15.0)];
    columns.extend(rates.iter().map(|(_, label)| (format!("Tiền hàng {label}"), 16.0)));
    columns.extend([
        ("Cộng tiền hàng".to_string(), 17.0),
        ("Thuế GTGT".into(), 15.0),
        ("Tổng cộng".into(), 17.0),
        ("Ký hiệu hóa đơn".into(), 11.0),
        ("Số hóa đơn".into(), 10.0),
        ("Trạng thái đơn".into(), 14.0),
        ("Trạng thái hóa đơn".into(), 18.0),
    ]);
    sheet.start(&Layout { sheet: "Bảng kê bán hàng".into(), heading: heading("BẢNG KÊ BÁN HÀNG", seller, period, NO_FAILED), columns })?;
    progress.enter(ExportPhase::Writing, summary.sales);
    // What the rows add up to, column by column: the totals row prints these, and they are
    // the summary's by construction (one snapshot, the same VatTotals per sale).
    let mut sums = vec![Dong::ZERO; rates.len() + 3];
    let mut count = 0u64;
    each_sale(store, period, |sale| {
        let mut cells = vec![
            Cell::Date(calendar::date_of(sale.sold_at)),
            Cell::Number(sale.id),
            Cell::text(sale.buyer.as_deref().unwrap_or("Khách lẻ").to_owned()),
            Cell::text_or_blank(sale.tax_code.as_deref()),
        ];
        cells.extend(rates.iter().map(|(rate, _)| {
            sale.totals.by_rate.iter().find(|t| t.rate == *rate).map_or(Cell::Blank, |t| Cell::Money(t.subtotal))
        }));
        cells.extend([Cell::Money(sale.totals.subtotal), Cell::Money(sale.totals.vat), Cell::Money(sale.totals.total)]);
        match &sale.invoice {
            Some(inv) => cells.extend([
                Cell::text(inv.symbol.as_str()),
                inv.number.map_or(Cell::Blank, Cell::Number),
                Cell::text(sale.status.label()),
                Cell::text(inv.status.label()),
            ]),
            None => cells.extend([Cell::Blank, Cell::Blank, Cell::text(sale.status.label()), Cell::text(NO_INVOICE_LABEL)]),
        }
        sheet.row(&cells)?;
        for (sum, cell) in sums.iter_mut().zip(&cells[4..]) {
            if let Cell::Money(m) = cell {
                *sum = sum.checked_add(*m)?;
            }
        }
        count += 1;
        progress.step()
    })?;
    let mut totals = vec![Cell::text(format!("Cộng ({count} đơn)")), Cell::Blank, Cell::Blank, Cell::Blank];
    totals.extend(sums.into_iter().map(Cell::Money));
    totals.extend([Cell::Blank, Cell::Blank, Cell::Blank, Cell::Blank]);
    sheet.totals(&totals)?;
    Ok(count)
}

fn summary_sheet(sheet: &mut dyn Sheet, period: &Period, seller: &str, summary: &VatSummary) -> Result<u64> {
    let columns = vec![
        ("Thuế suất".to_string(), 16.0),
        ("Tiền hàng chưa thuế".into(), 20.0),
        ("Thuế GTGT".into(), 17.0),
        ("Cộng tiền thanh toán".into(), 20.0),
    ];
    sheet.start(&Layout { sheet: "Tổng hợp thuế GTGT".into(), heading: heading("TỔNG HỢP THUẾ GTGT THEO THUẾ SUẤT", seller, period, NO_FAILED), columns })?;
    let VatTotals { by_rate, subtotal, vat, total } = &summary.totals;
    for r in by_rate {
        let paid = r.subtotal.checked_add(r.vat)?;
        sheet.row(&[Cell::text(r.label.as_str()), Cell::Money(r.subtotal), Cell::Money(r.vat), Cell::Money(paid)])?;
    }
    sheet.totals(&[Cell::text("Tổng cộng"), Cell::Money(*subtotal), Cell::Money(*vat), Cell::Money(*total)])?;
    sheet.note(&format!("{} đơn hàng trong kỳ.", summary.sales))?;
    Ok(by_rate.len() as u64)
}

fn invoices_sheet(sheet: &mut dyn Sheet, store: &Store, period: &Period, seller: &str, progress: &Progress) -> Result<u64> {
    let columns = vec![
        ("Ngày lập".to_string(), 12.0),
        ("Ký hiệu".into(), 10.0),
        ("Số hóa đơn".into(), 10.0),
        ("Loại hóa đơn".into(), 27.0),
        ("Thay thế / điều chỉnh cho hóa đơn".into(), 22.0),
        ("Trạng thái".into(), 18.0),
        ("Mã của CQT".into(), 22.0),
        ("Số đơn".into(), 9.0),
        ("Người mua".into(), 32.0),
        ("MST người mua".into(), 15.0),
        ("Tiền hàng".into(), 17.0),
        ("Thuế GTGT".into(), 15.0),
        ("Tổng cộng".into(), 17.0),
    ];
    let note = "Gồm cả hóa đơn đã hủy, đã bị thay thế, đã bị điều chỉnh; hóa đơn điều chỉnh giảm ghi số âm. Dòng cộng chỉ tính hóa đơn còn hiệu lực (không tính hóa đơn đã hủy, đã bị thay thế). Số tiền tính bằng đồng.";
    sheet.start(&Layout { sheet: "Bảng kê hóa đơn".into(), heading: heading("BẢNG KÊ HÓA ĐƠN ĐÃ PHÁT HÀNH", seller, period, note), columns })?;
    progress.enter(ExportPhase::Writing, crate::invoices::count(store, period)?);
    let mut count = 0u64;
    // The invoices still in force: an adjusted original stays and its adjustment carries the
    // difference, so the sum is what the period's invoices say in the end.
    let (mut in_force, mut sums) = (0u64, [Dong::ZERO; 3]);
    each_invoice(store, period, |inv| {
        if !matches!(inv.status, InvoiceStatus::Cancelled | InvoiceStatus::Replaced) {
            in_force += 1;
            for (sum, amount) in sums.iter_mut().zip([inv.amounts.subtotal, inv.amounts.vat, inv.amounts.total]) {
                *sum += amount;
            }
        }
        sheet.row(&[
            Cell::Date(calendar::date_of(inv.issued_at)),
            Cell::text(inv.symbol.as_str()),
            inv.number.map_or(Cell::Blank, Cell::Number),
            Cell::text(inv.relation.label(inv.adjustment).unwrap_or("Hóa đơn gốc")),
            Cell::text_or_blank(inv.changes.as_deref()),
            Cell::text(inv.status.label()),
            Cell::text_or_blank(inv.tax_authority_code.as_deref()),
            Cell::Number(inv.sale_id),
            Cell::text(inv.buyer.as_deref().unwrap_or("Khách lẻ")),
            Cell::text_or_blank(inv.tax_code.as_deref()),
            Cell::Money(inv.amounts.subtotal),
            Cell::Money(inv.amounts.vat),
            Cell::Money(inv.amounts.total),
        ])?;
        count += 1;
        progress.step()
    })?;
    let mut totals = vec![Cell::text(format!("Cộng hóa đơn còn hiệu lực ({in_force} hóa đơn)"))];
    totals.extend(std::iter::repeat_n(Cell::Blank, 9));
    totals.extend(sums.into_iter().map(Cell::Money));
    sheet.totals(&totals)?;
    sheet.note(&format!("{count} hóa đơn."))?;
    Ok(count)
}
