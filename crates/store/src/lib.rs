//! The shop's database: one SQLite file holding everything the shop recorded.
//!
//! [`Store::open`] creates or upgrades the file (versioned migrations, with a copy of the
//! file taken before any schema change), and turns on WAL, foreign keys and full
//! synchronous commits, so a sale whose save has returned survives a crash or a power cut.
//! The record types here are what the rest of the app reads and writes; the rules they
//! obey (totals, VAT, tax codes) come from `hoadon-rules`, and the validation of what a
//! person typed happens before a record reaches the store (`hoadon-core`).
//!
//! Besides the shop's records it keeps the invoices' append-only event log, the leases that
//! keep two processes from sending the same invoice row, and the last look-up answer per tax
//! code ([`partner_cache`]).

mod adjustments;
pub mod backup;
mod customers;
mod error;
mod invoice_contract;
mod invoices;
mod migrations;
pub mod partner_cache;
mod products;
mod sales;
mod sellers;
mod settings;
mod shop;
mod visits;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use adjustments::{Adjustment, AdjustmentDirection, NewAdjustment};
pub use customers::{Customer, CustomerKind, NewCustomer};
pub use error::StoreError;
pub use invoice_contract::{labels_typescript, EventKind, InvoiceActions, InvoiceFilter, Relation, INVOICE_FILTERS, NO_INVOICE_LABEL};
pub use invoices::{pdf_file_name, InvoiceEvent, InvoiceRecord, InvoiceStatus, Lease, NewInvoice};
pub use migrations::{MigrationReport, SCHEMA_VERSION};
pub use products::{NewProduct, Product};
pub use sales::{price_lines, NewSale, NewSaleLine, Sale, SaleFilter, SaleLine, SaleStatus, SaleSummary, SaleCustomer};
pub use sellers::{NewSeller, Seller};
pub use shop::ShopProfile;
pub use visits::DayVisits;

/// The result of every store call: a [`StoreError`] on failure.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open shop database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    migration: MigrationReport,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(dir.to_path_buf(), e))?;
        }
        let conn = Connection::open(path)?;
        Self::prepare(conn, Some(path.to_path_buf()))
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Self::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        // Another process (the CLI beside the app) may hold the write lock for a moment.
        conn.busy_timeout(Duration::from_secs(5))?;
        wal(&conn)?;
        // FULL: a commit is on disk before `add_sale` returns, even across a power cut.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let migration = migrations::migrate(&mut conn, path.as_deref())?;
        Ok(Store { conn, path, migration })
    }

    /// The database file, or `None` for [`Store::open_in_memory`].
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What [`Store::open`] did to the schema (and where it copied the file first).
    pub fn migration_report(&self) -> &MigrationReport {
        &self.migration
    }

    /// `PRAGMA integrity_check`: `Ok(())` when SQLite answers "ok".
    pub fn integrity_check(&self) -> Result<()> {
        let answer: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if answer == "ok" { Ok(()) } else { Err(StoreError::Corrupt(answer)) }
    }

    /// Runs `f` in one transaction: everything it wrote is kept, or nothing. Inside another
    /// transaction, `f` simply joins it.
    ///
    /// A `COMMIT` that fails (disk full, I/O error, busy, a deferred constraint) is rolled
    /// back before the error is returned, so no transaction is ever left open for later
    /// writes to join and never commit.
    pub fn in_transaction<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        // IMMEDIATE: take the write lock now, so a second writer waits instead of failing
        // half-way with SQLITE_BUSY.
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?;
        let value = f(self)?; // dropping `tx` rolls back
        if let Err(e) = tx.commit() {
            // `commit` consumed the transaction and its drop rolled back what was left open;
            // make sure of it, whatever SQLite did.
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            tracing::error!(error = %e, "COMMIT failed; rolled back");
            return Err(e.into());
        }
        Ok(value)
    }

    /// The raw connection, for read-only reports that need their own SQL (the MOIT figures).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn now() -> i64 {
    hoadon_rules::calendar::now().unix_timestamp()
}

/// Turns on WAL. On a file still in rollback mode, two openers switching at the same moment
/// can meet in a lock that SQLite answers with `SQLITE_BUSY` at once, without waiting on the
/// busy handler (it would deadlock): so the switch is tried again for as long as the busy
/// timeout, and the one that loses finds WAL already on.
fn wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let mut pause = Duration::from_millis(2);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy && std::time::Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            other => return other.map_err(Into::into),
        }
    }
}
