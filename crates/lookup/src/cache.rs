//! Where fresh answers are kept so the shop can go on working offline.
//!
//! The app's implementation lives over its SQLite store, in a table
//! `partner_cache(tax_code TEXT PRIMARY KEY, payload TEXT NOT NULL, source TEXT NOT NULL,
//! fetched_at INTEGER NOT NULL)`: `payload` is `serde_json::to_string(&partner)`, `source`
//! is [`Source::as_str`](crate::Source::as_str), `fetched_at` is
//! [`Partner::fetched_at`] (Unix seconds), and the key is the canonical
//! [`TaxCode::as_str`].

use std::collections::HashMap;
use std::sync::Mutex;

use hoadon_rules::TaxCode;

use crate::partner::Partner;

/// A store of the latest answer per tax code. Synchronous: the store is local and quick,
/// and a failing store should never fail a look-up, so neither method returns an error
/// (an implementation logs its own failures and answers `None`).
pub trait PartnerCache: Send + Sync {
    /// The stored partner and when it was fetched (Unix seconds).
    fn get(&self, tax_code: &TaxCode) -> Option<(Partner, i64)>;

    /// Stores `partner`, replacing what was kept under its tax code.
    fn put(&self, partner: &Partner);
}

/// A cache in memory, for tests and for running without a store. It keeps the JSON form,
/// as the store does, so a test through it also proves the partner survives the round trip.
#[derive(Default)]
pub struct MemoryCache {
    entries: Mutex<HashMap<String, (String, i64)>>,
}

impl MemoryCache {
    /// An empty cache.
    pub fn new() -> MemoryCache {
        MemoryCache::default()
    }

    /// How many tax codes have an answer stored.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is stored yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, i64)>> {
        // A panic elsewhere while holding the lock leaves the map itself intact.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl PartnerCache for MemoryCache {
    fn get(&self, tax_code: &TaxCode) -> Option<(Partner, i64)> {
        let (payload, fetched_at) = self.lock().get(tax_code.as_str()).cloned()?;
        match serde_json::from_str(&payload) {
            Ok(partner) => Some((partner, fetched_at)),
            Err(error) => {
                tracing::warn!(tax_code = tax_code.as_str(), %error, "unreadable cached partner");
                None
            }
        }
    }

    fn put(&self, partner: &Partner) {
        match serde_json::to_string(partner) {
            Ok(payload) => {
                self.lock().insert(partner.tax_code.as_str().to_owned(), (payload, partner.fetched_at));
            }
            Err(error) => tracing::warn!(%error, "partner not cached"),
        }
    }
}
