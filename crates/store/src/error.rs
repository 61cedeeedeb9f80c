use std::path::PathBuf;

use hoadon_rules::money::MoneyError;
use thiserror::Error;

/// What can go wrong in the store. Messages are for the log; `hoadon-core` turns these into
/// what the shop owner reads.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error("a sale needs at least one line")]
    EmptySale,
    #[error("amount out of range: {0}")]
    Money(#[from] MoneyError),
    #[error("the database file {0} could not be prepared: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("the database was written by a newer version of the app (schema {found}, this app knows {known})")]
    NewerSchema { found: i64, known: i64 },
    #[error("integrity check failed: {0}")]
    Corrupt(String),
    #[error("the SKU {0} is already used by another product")]
    DuplicateSku(String),
    #[error("this sale already has a live invoice")]
    SaleAlreadyInvoiced,
    #[error("stored value is not valid: {0}")]
    BadStoredValue(String),
}

impl StoreError {
    pub(crate) fn not_found(what: &'static str, id: i64) -> StoreError {
        StoreError::NotFound { what, id }
    }
}
