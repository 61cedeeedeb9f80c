//! Versioned migrations, tracked in `PRAGMA user_version`.
//!
//! Each migration is a SQL file applied in its own transaction. Before an existing file's
//! schema changes, a consistent copy of it is written beside it (`VACUUM INTO`), so an
//! upgrade that goes wrong never costs the shop its records.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::{Result, StoreError};

const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_shop", include_str!("../migrations/0001_shop.sql")),
    ("0002_cash_register", include_str!("../migrations/0002_cash_register.sql")),
    ("0003_invoice_successors", include_str!("../migrations/0003_invoice_successors.sql")),
    ("0004_invoice_adjustments", include_str!("../migrations/0004_invoice_adjustments.sql")),
    ("0005_invoice_binding", include_str!("../migrations/0005_invoice_binding.sql")),
];

/// The schema version this build of the app writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What [`Store::open`](crate::Store::open) did to the schema: versions before and after,
/// and the copy taken first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MigrationReport {
    /// The schema version the file had when opened (0 for a new file).
    pub from_version: i64,
    /// The schema version it has now.
    pub to_version: i64,
    /// The copy taken before the schema changed, when there was anything to copy.
    pub backup: Option<PathBuf>,
}

pub(crate) fn migrate(conn: &mut Connection, path: Option<&Path>) -> Result<MigrationReport> {
    migrate_with(conn, path, MIGRATIONS)
}

fn migrate_with(conn: &mut Connection, path: Option<&Path>, migrations: &[(&str, &str)]) -> Result<MigrationReport> {
    let known = migrations.len() as i64;
    let found = user_version(conn)?;
    if found > known {
        return Err(StoreError::NewerSchema { found, known });
    }
    let mut report = MigrationReport { from_version: found, to_version: found, backup: None };
    if found == known {
        return Ok(report);
    }
    if found > 0
        && let Some(path) = path {
            // VACUUM cannot run inside a transaction; a second process opening the same old
            // file at this moment takes its own copy (the name carries the process id).
            let backup = backup_path(path, found);
            conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()])?;
            tracing::info!(backup = %backup.display(), from = found, "copied the database before migrating");
            report.backup = Some(backup);
        }
    for (index, (name, sql)) in migrations.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        // IMMEDIATE: the write lock is taken before `user_version` is read, so when the app
        // and the CLI open an old file at once, the second waits, then sees the migration
        // done and skips it instead of applying it twice.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = user_version(&tx)?;
        if current >= version {
            tx.commit()?;
            report.to_version = current.min(known);
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(migration = name, version, "applied migration");
        report.to_version = version;
    }
    Ok(report)
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

fn backup_path(db: &Path, version: i64) -> PathBuf {
    let stamp = crate::now();
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "hoadon.db".into());
    static TAKEN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = TAKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let suffix = if n == 0 { String::new() } else { format!(".{n}") };
    db.with_file_name(format!("{name}.v{version}-{stamp}-{}{suffix}.bak", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: (&str, &str) = ("v1", "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (42);");
    const V2: (&str, &str) = ("v2", "ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'x';");

    #[test]
    fn copies_the_file_before_changing_its_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let mut conn = Connection::open(&path).unwrap();
        let first = migrate_with(&mut conn, Some(&path), &[V1]).unwrap();
        assert_eq!((first.from_version, first.to_version), (0, 1));
        assert!(first.backup.is_none(), "a new file has nothing to copy");

        let second = migrate_with(&mut conn, Some(&path), &[V1, V2]).unwrap();
        assert_eq!((second.from_version, second.to_version), (1, 2));
        let backup = second.backup.expect("an existing file is copied first");
        let old = Connection::open(&backup).unwrap();
        let version: i64 = old.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, 1);
        assert_eq!(old.query_row("SELECT a FROM t", [], |r| r.get::<_, i64>(0)).unwrap(), 42);
        assert!(old.prepare("SELECT b FROM t").is_err(), "the copy has the old schema");

        let again = migrate_with(&mut conn, Some(&path), &[V1, V2]).unwrap();
        assert!(again.backup.is_none(), "nothing to do, nothing copied");
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_with(&mut conn, None, &[V1, V2]).unwrap();
        assert!(matches!(migrate_with(&mut conn, None, &[V1]), Err(StoreError::NewerSchema { found: 2, known: 1 })));
    }

    #[test]
    fn a_failed_migration_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_with(&mut conn, None, &[V1]).unwrap();
        let broken = ("broken", "ALTER TABLE t ADD COLUMN c TEXT; SELECT * FROM no_such_table;");
        assert!(migrate_with(&mut conn, None, &[V1, broken]).is_err());
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, 1);
        assert!(conn.prepare("SELECT c FROM t").is_err(), "the half-applied migration was rolled back");
    }
}
