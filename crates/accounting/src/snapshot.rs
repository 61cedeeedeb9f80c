//! One read transaction around an export, so that the summary, the columns it names and the
//! rows all see the same sales even while the shop keeps selling (WAL: writers go on).

use rusqlite::Connection;

/// A deferred read transaction, ended when dropped. Inside a transaction already open it
/// simply joins it.
pub(crate) struct ReadSnapshot<'c> {
    conn: &'c Connection,
    owned: bool,
}

impl<'c> ReadSnapshot<'c> {
    pub(crate) fn begin(conn: &'c Connection) -> crate::Result<ReadSnapshot<'c>> {
        let owned = conn.is_autocommit();
        if owned {
            conn.execute_batch("BEGIN DEFERRED")?;
        }
        Ok(ReadSnapshot { conn, owned })
    }
}

impl Drop for ReadSnapshot<'_> {
    fn drop(&mut self) {
        // Nothing was written: ending the read cannot lose anything.
        if self.owned && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("COMMIT");
        }
    }
}
