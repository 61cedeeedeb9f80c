use std::path::PathBuf;

use hoadon_rules::money::MoneyError;
use thiserror::Error;

/// What can go wrong in the store. Messages are for the log; `hoadon-core` turns these into
/// what the shop owner reads.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite failed: I/O, a busy lock past the 5-second wait, a constraint the schema enforces.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// No row with that id.
    #[error("{what} {id} does not exist")]
    NotFound {
        /// What was looked for, in the log's words: `sale`, `invoice`, `customer`…
        what: &'static str,
        /// The id asked for.
        id: i64,
    },
    /// A sale without lines was given to [`Store::add_sale`](crate::Store::add_sale).
    #[error("a sale needs at least one line")]
    EmptySale,
    /// A line amount or a total left the range `hoadon-rules` accepts.
    #[error("amount out of range: {0}")]
    Money(#[from] MoneyError),
    /// The folder of the database file could not be created.
    #[error("the database file {0} could not be prepared: {1}")]
    Io(PathBuf, std::io::Error),
    /// The file was written by a newer version of the app; it is left untouched.
    #[error("the database was written by a newer version of the app (schema {found}, this app knows {known})")]
    NewerSchema {
        /// The schema version of the file (`PRAGMA user_version`).
        found: i64,
        /// The newest version this build knows, [`SCHEMA_VERSION`](crate::SCHEMA_VERSION).
        known: i64,
    },
    /// `PRAGMA integrity_check` did not answer "ok"; what it answered.
    #[error("integrity check failed: {0}")]
    Corrupt(String),
    /// Another product already has this SKU.
    #[error("the SKU {0} is already used by another product")]
    DuplicateSku(String),
    /// The sale already has a live invoice (or the invoice named already has a live successor):
    /// the database's unique indexes refuse a second one.
    #[error("this sale already has a live invoice")]
    SaleAlreadyInvoiced,
    /// A column holds a code this version cannot read (a status, a VAT rate, a kind): what and
    /// which value.
    #[error("stored value is not valid: {0}")]
    BadStoredValue(String),
}

impl StoreError {
    pub(crate) fn not_found(what: &'static str, id: i64) -> StoreError {
        StoreError::NotFound { what, id }
    }
}
