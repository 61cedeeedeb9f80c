//! The partner cache: the latest answer of a look-up by tax code, kept so the shop can go on
//! working offline and warn about a buyer without asking the registry again.
//!
//! The store keeps the answer as the look-up wrote it (`payload`, JSON) and does not read it:
//! what a partner is belongs to `hoadon-lookup`; `hoadon-core` joins the two.

use rusqlite::{OptionalExtension, params};

use crate::{Result, Store};

/// One row of `partner_cache`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedPartner {
    /// The canonical tax code (`0100109106`, `0100109106-001`).
    pub tax_code: String,
    /// The partner as JSON.
    pub payload: String,
    /// Which source answered (`nbrs`, `vietqr`).
    pub source: String,
    /// When the source answered, Unix seconds.
    pub fetched_at: i64,
}

impl Store {
    /// The stored answer for `tax_code`, if any.
    pub fn cached_partner(&self, tax_code: &str) -> Result<Option<CachedPartner>> {
        Ok(self
            .conn
            .query_row(
                "SELECT tax_code, payload, source, fetched_at FROM partner_cache WHERE tax_code = ?1",
                [tax_code],
                |r| Ok(CachedPartner { tax_code: r.get(0)?, payload: r.get(1)?, source: r.get(2)?, fetched_at: r.get(3)? }),
            )
            .optional()?)
    }

    /// Keeps `entry`, replacing what was stored under its tax code.
    pub fn cache_partner(&self, entry: &CachedPartner) -> Result<()> {
        self.conn.execute(
            "INSERT INTO partner_cache (tax_code, payload, source, fetched_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tax_code) DO UPDATE SET payload = excluded.payload, source = excluded.source,
                                                  fetched_at = excluded.fetched_at",
            params![entry.tax_code, entry.payload, entry.source, entry.fetched_at],
        )?;
        Ok(())
    }

    /// How many answers are stored.
    pub fn cached_partner_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM partner_cache", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(payload: &str, fetched_at: i64) -> CachedPartner {
        CachedPartner { tax_code: "0109526016".into(), payload: payload.into(), source: "nbrs".into(), fetched_at }
    }

    #[test]
    fn an_answer_replaces_the_previous_one_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.cached_partner("0109526016").unwrap(), None);
            store.cache_partner(&entry(r#"{"name":"A"}"#, 100)).unwrap();
            let mut newer = entry(r#"{"name":"B"}"#, 200);
            newer.source = "vietqr".into();
            store.cache_partner(&newer).unwrap();
            assert_eq!(store.cached_partner_count().unwrap(), 1);
        }
        let store = Store::open(&path).unwrap();
        let kept = store.cached_partner("0109526016").unwrap().unwrap();
        assert_eq!((kept.payload.as_str(), kept.source.as_str(), kept.fetched_at), (r#"{"name":"B"}"#, "vietqr", 200));
        assert_eq!(store.cached_partner("0110613182").unwrap(), None);
    }
}
