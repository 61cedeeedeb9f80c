//! Why an export failed.

use std::path::PathBuf;

use hoadon_rules::money::MoneyError;
use hoadon_store::StoreError;
use thiserror::Error;

/// Why a listing could not be read or written. [`export`](crate::export) has removed its
/// temporary file by the time one is returned.
#[derive(Debug, Error)]
pub enum AccountingError {
    /// The database could not be read.
    #[error("không đọc được dữ liệu của cửa hàng: {0}")]
    Store(#[from] StoreError),
    /// A sum of the period left the range of amounts the app accepts.
    #[error("{0}")]
    Money(#[from] MoneyError),
    /// The file could not be written (a full disk, a folder without write permission).
    #[error("không ghi được tệp {0}: {1}")]
    Io(PathBuf, #[source] std::io::Error),
    /// The `.xlsx` writer failed (its temporary files, the zip).
    #[error("không ghi được tệp Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The owner cancelled; only [`export`](crate::export)'s callees see this, it answers
    /// [`ExportOutcome::Cancelled`](crate::ExportOutcome::Cancelled).
    #[error("đã hủy xuất tệp")]
    Cancelled,
}

impl From<rusqlite::Error> for AccountingError {
    fn from(e: rusqlite::Error) -> Self {
        AccountingError::Store(StoreError::from(e))
    }
}
