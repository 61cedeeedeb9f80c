//! Copies of the shop's file taken while the shop is in use, and a copy put back.
//!
//! [`copy_database`] uses SQLite's online backup API on a connection of its own, inside one
//! read transaction held from the first page to the last: in WAL mode writers go on saving
//! sales meanwhile, the copy is the snapshot of the moment it began (every sale committed
//! before it is in it), and the copy never restarts however often the shop writes. It goes in
//! steps, so the caller can show progress and stop it. [`verify_copy`] then opens the copy
//! alone: `integrity_check`, the row counts, and the copy switched out of WAL so that it is
//! one self-contained file that can be read from a read-only stick.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use crate::{Result, Store, StoreError};

/// What a database file holds, in the numbers the owner recognises a copy by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupCounts {
    /// Rows in `sales`.
    #[ts(type = "number")]
    pub sales: i64,
    /// Rows in `invoices`.
    #[ts(type = "number")]
    pub invoices: i64,
    /// The moment of the latest sale (Unix seconds), `None` without sales.
    #[ts(type = "number | null")]
    pub last_sale_at: Option<i64>,
}

/// How far a copy has gone, in database pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CopyProgress {
    /// Pages copied so far.
    pub done: u32,
    /// Pages in the file being copied.
    pub total: u32,
}

/// Pages copied between two progress reports: 4 MiB with SQLite's 4096-byte pages, a few
/// milliseconds of work, so "Hủy" answers at once.
pub const PAGES_PER_STEP: i32 = 1024;

fn counts(conn: &Connection) -> Result<BackupCounts> {
    Ok(conn.query_row(
        "SELECT (SELECT COUNT(*) FROM sales), (SELECT COUNT(*) FROM invoices), (SELECT MAX(sold_at) FROM sales)",
        [],
        |r| Ok(BackupCounts { sales: r.get(0)?, invoices: r.get(1)?, last_sale_at: r.get(2)? }),
    )?)
}

/// Copies the database at `source` into a new file `dest` (which must not exist yet), page
/// by page; `on_step` hears the progress after each step and answers `false` to stop.
/// Returns the counts of the snapshot copied, or `None` when stopped (then `dest` is
/// removed). On an error `dest` is removed too.
pub fn copy_database(source: &Path, dest: &Path, on_step: &mut dyn FnMut(CopyProgress) -> bool) -> Result<Option<BackupCounts>> {
    let outcome = copy_into(source, dest, on_step);
    if !matches!(outcome, Ok(Some(_))) {
        remove_with_journals(dest);
    }
    outcome
}

fn copy_into(source: &Path, dest: &Path, on_step: &mut dyn FnMut(CopyProgress) -> bool) -> Result<Option<BackupCounts>> {
    if dest.exists() {
        return Err(StoreError::Io(dest.to_path_buf(), std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
    }
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    src.busy_timeout(std::time::Duration::from_secs(5))?;
    // The snapshot: a read transaction opened now and held until the last page is copied.
    // The backup steps run inside it, so a sale committed by another connection meanwhile
    // neither restarts the copy nor lands half in it.
    src.execute_batch("BEGIN DEFERRED")?;
    let snapshot = counts(&src)?;
    let mut dst = Connection::open(dest)?;
    let finished = {
        let backup = Backup::new(&src, &mut dst)?;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let p = backup.progress();
            let progress = CopyProgress { done: (p.pagecount - p.remaining).max(0) as u32, total: p.pagecount.max(0) as u32 };
            match step {
                StepResult::Done => {
                    on_step(progress);
                    break true;
                }
                StepResult::More => {
                    if !on_step(progress) {
                        break false;
                    }
                }
                // Busy or locked: the destination is ours alone and the source only read, so
                // this is another process checkpointing; wait a moment and go on.
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    };
    src.execute_batch("COMMIT")?;
    drop(dst);
    Ok(finished.then_some(snapshot))
}

/// Opens a finished copy on its own and checks it: `integrity_check` says "ok", and its
/// counts, which are returned. The copy is switched to a rollback journal, so it is one
/// file without `-wal`/`-shm` beside it. The check of a large copy takes as long as the copy
/// itself, so it stops too when `stop` is raised (SQLite's progress handler interrupts it):
/// `None` then, and the caller removes the copy.
pub fn verify_copy(path: &Path, stop: Arc<AtomicBool>) -> Result<Option<BackupCounts>> {
    let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let watched = Arc::clone(&stop);
    conn.progress_handler(OPS_PER_STOP_CHECK, Some(move || watched.load(Ordering::SeqCst)))?;
    let checked = (|| {
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        let answer: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if answer != "ok" {
            return Err(StoreError::Corrupt(answer));
        }
        counts(&conn)
    })();
    match checked {
        _ if stop.load(Ordering::SeqCst) => Ok(None),
        Ok(counts) => Ok(Some(counts)),
        Err(e) => Err(e),
    }
}

/// Steps between two looks at the stop flag: virtual-machine steps for the counts, and inside
/// `integrity_check`, which SQLite runs as one step, the pages it checks (about 40 MiB).
const OPS_PER_STOP_CHECK: std::ffi::c_int = 10_000;

/// The counts of a copy, read without writing anything (a copy on a read-only stick).
pub fn read_counts(path: &Path) -> Result<BackupCounts> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    counts(&conn)
}

/// Removes a file and the `-wal`, `-shm` and `-journal` SQLite may have left beside it.
pub fn remove_with_journals(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(Path::new(&name));
    }
}

impl Store {
    /// Puts the copy at `file` in place of this database's content, through the same online
    /// backup API the other way round, so the other connections to the file (the look-up
    /// cache, the CLI) see the restored shop and nothing is written under their feet. The
    /// copy is checked first; the schema may be older (reopen the store to migrate it).
    /// It cannot be stopped half-way (that would leave a mix of two shops): `on_step` only
    /// hears the progress.
    pub fn restore_from(&mut self, file: &Path, on_step: &mut dyn FnMut(CopyProgress)) -> Result<()> {
        let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let answer: String = src.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if answer != "ok" {
            return Err(StoreError::Corrupt(answer));
        }
        let backup = Backup::new(&src, &mut self.conn)?;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let p = backup.progress();
            let progress = CopyProgress { done: (p.pagecount - p.remaining).max(0) as u32, total: p.pagecount.max(0) as u32 };
            match step {
                StepResult::Done => {
                    on_step(progress);
                    return Ok(());
                }
                StepResult::More => on_step(progress),
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    }

    /// This database's counts (the same figures a listed copy shows).
    pub fn backup_counts(&self) -> Result<BackupCounts> {
        counts(&self.conn)
    }
}

/// Opens a copy read-only and runs `integrity_check` on it, writing nothing: whether it can
/// be put back.
pub fn verify_readable(path: &Path) -> Result<BackupCounts> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let answer: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if answer != "ok" {
        return Err(StoreError::Corrupt(answer));
    }
    counts(&conn)
}

/// The invoice rows of the database at `path` created at or after `since` (Unix seconds):
/// key and sale, read without writing. After a restore, the file set aside names the
/// invoices issued since the copy that the restored shop no longer knows.
pub fn invoice_keys_since(path: &Path, since: i64) -> Result<Vec<(String, i64)>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let mut stmt = conn.prepare("SELECT key, sale_id FROM invoices WHERE created_at >= ?1 ORDER BY id")?;
    let rows = stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
