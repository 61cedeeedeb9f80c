//! "Xuất Excel" / "Xuất CSV" for the accountant: the period as typed, checked, then the
//! listing written by `hoadon-accounting`.
//!
//! A long export reads through a connection of its own ([`export_from_file`]), so the window's
//! shop stays free to record sales while a 1,000,000-sale year is written.

use std::path::Path;

use hoadon_accounting::AccountingError;
pub use hoadon_accounting::{
    ExportDone, ExportOutcome, ExportPhase, ExportProgress, ExportRequest, FileFormat, Listing, Period, Progress, VatSummary,
};
use hoadon_rules::calendar;
use hoadon_store::Store;
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use crate::{Error, FieldError, Result, Shop};

/// The export form as the window sends it: which listing, which file, and the days as typed
/// (`dd/mm/yyyy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AccountingExportForm")]
pub struct AccountingExportForm {
    /// Which listing.
    pub listing: Listing,
    /// Excel or CSV.
    pub format: FileFormat,
    /// "Từ ngày", `dd/mm/yyyy`; required.
    pub from: String,
    /// "Đến ngày", `dd/mm/yyyy`, included; required, not before "Từ ngày".
    pub to: String,
}

fn day(field: &str, label: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, format!("Chưa nhập «{label}».")));
        return None;
    }
    match calendar::parse_date(text) {
        None => {
            errors.push(FieldError::new(
                field,
                format!("«{label}»: «{text}» không phải ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/03/2026."),
            ));
            None
        }
        Some(date) => match calendar::check_year(date.year()) {
            Ok(_) => Some(date),
            Err(why) => {
                errors.push(FieldError::new(field, format!("«{label}»: {why}")));
                None
            }
        },
    }
}

impl AccountingExportForm {
    /// The request, or each wrong box named (`from`, `to`).
    pub fn read(&self) -> Result<ExportRequest> {
        let mut errors = Vec::new();
        let from = day("from", "Từ ngày", &self.from, &mut errors);
        let to = day("to", "Đến ngày", &self.to, &mut errors);
        let (Some(from), Some(to)) = (from, to) else { return Err(Error::invalid(errors)) };
        let period = Period::new(from, to)
            .ok_or_else(|| Error::field("to", format!("«Đến ngày» ({}) phải cùng hoặc sau «Từ ngày» ({}).", self.to.trim(), self.from.trim())))?;
        Ok(ExportRequest { listing: self.listing, format: self.format, period })
    }

    /// The name the save dialog proposes (`bang-ke-ban-hang_01-03-2026_31-03-2026.xlsx`).
    pub fn file_name(&self) -> Result<String> {
        let request = self.read()?;
        Ok(request.listing.file_name(request.format, &request.period))
    }
}

impl From<AccountingError> for Error {
    fn from(e: AccountingError) -> Error {
        match e {
            AccountingError::Store(e) => Error::from(e),
            AccountingError::Money(e) => Error::from(e),
            other => Error::Invalid { message: crate::customers::sentence(&other.to_string()), fields: Vec::new() },
        }
    }
}

/// Writes the listing of `form` from `store` to `path` (see [`hoadon_accounting::export`]).
pub fn export(store: &Store, form: &AccountingExportForm, path: &Path, progress: &Progress) -> Result<ExportOutcome> {
    let request = form.read()?;
    Ok(hoadon_accounting::export(store, &request, path, progress)?)
}

/// [`export`] through a connection of its own to the database at `database`.
pub fn export_from_file(database: &Path, form: &AccountingExportForm, path: &Path, progress: &Progress) -> Result<ExportOutcome> {
    let request = form.read()?;
    let store = Store::open(database)?;
    Ok(hoadon_accounting::export(&store, &request, path, progress)?)
}

impl Shop {
    /// [`export`] on the shop's own connection (the CLI, the tests, a shop in memory).
    pub fn export_for_accountant(&self, form: &AccountingExportForm, path: &Path, progress: &Progress) -> Result<ExportOutcome> {
        export(self.store(), form, path, progress)
    }

    /// The VAT summary of a period, as the export prints it.
    pub fn vat_summary(&self, period: &Period) -> Result<VatSummary> {
        Ok(hoadon_accounting::vat_summary(self.store(), period, &Progress::new())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(from: &str, to: &str) -> AccountingExportForm {
        AccountingExportForm { listing: Listing::Sales, format: FileFormat::Xlsx, from: from.into(), to: to.into() }
    }

    fn fields(e: Error) -> Vec<(String, String)> {
        match e {
            Error::Invalid { fields, .. } => fields.into_iter().map(|f| (f.field, f.message)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_period_as_typed() {
        let r = form(" 1/3/2026", "31/03/2026 ").read().unwrap();
        assert_eq!(r.period.describe(), "Từ ngày 01/03/2026 đến ngày 31/03/2026");
        assert_eq!(form("01/03/2026", "31/03/2026").file_name().unwrap(), "bang-ke-ban-hang_01-03-2026_31-03-2026.xlsx");
    }

    #[test]
    fn each_wrong_box_is_named_in_vietnamese() {
        assert_eq!(
            fields(form("", "32/03/2026").read().unwrap_err()),
            [
                ("from".to_string(), "Chưa nhập «Từ ngày».".to_string()),
                (
                    "to".to_string(),
                    "«Đến ngày»: «32/03/2026» không phải ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/03/2026.".to_string()
                ),
            ]
        );
        assert_eq!(
            fields(form("31/03/2026", "01/03/2026").read().unwrap_err()),
            [("to".to_string(), "«Đến ngày» (01/03/2026) phải cùng hoặc sau «Từ ngày» (31/03/2026).".to_string())]
        );
        let e = fields(form("01/01/1999", "2026-03-01").read().unwrap_err());
        assert_eq!(e[0].0, "from");
        assert!(e[0].1.contains("1999"), "{e:?}");
        assert_eq!(e[1].0, "to");
    }

    #[test]
    fn the_window_names_listings_and_formats_in_snake_case() {
        assert_eq!(serde_json::to_string(&Listing::VatSummary).unwrap(), "\"vat_summary\"");
        assert_eq!(serde_json::to_string(&FileFormat::Xlsx).unwrap(), "\"xlsx\"");
    }
}
