//! The answers kept in the shop's `partner_cache` table, for working offline and for the
//! warning before invoicing.

use std::sync::{Mutex, MutexGuard};

use hoadon_lookup::{Partner, PartnerCache, TaxCode};
use hoadon_store::Store;
use hoadon_store::partner_cache::CachedPartner;

use crate::{Error, Result, Shop};

/// [`PartnerCache`] over the shop's `partner_cache` table, on a connection of its own to the
/// shop's database file, so look-ups can store answers from any thread without the shop.
pub struct StorePartnerCache {
    store: Mutex<Store>,
}

impl StorePartnerCache {
    /// The cache over `store`, which should be a connection of its own to the shop's database
    /// file ([`Shop::partner_cache`] opens one).
    pub fn new(store: Store) -> StorePartnerCache {
        StorePartnerCache { store: Mutex::new(store) }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // Every write is one statement: a panic elsewhere leaves the table consistent.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A stored row read back as a partner; an unreadable row is logged and treated as absent.
fn decode(row: CachedPartner) -> Option<(Partner, i64)> {
    match serde_json::from_str::<Partner>(&row.payload) {
        Ok(partner) => Some((partner, row.fetched_at)),
        Err(error) => {
            tracing::warn!(tax_code = %row.tax_code, %error, "unreadable cached partner");
            None
        }
    }
}

impl PartnerCache for StorePartnerCache {
    fn get(&self, tax_code: &TaxCode) -> Option<(Partner, i64)> {
        match self.store().cached_partner(tax_code.as_str()) {
            Ok(row) => row.and_then(decode),
            Err(error) => {
                tracing::warn!(tax_code = tax_code.as_str(), %error, "partner cache not readable");
                None
            }
        }
    }

    fn put(&self, partner: &Partner) {
        let payload = match serde_json::to_string(partner) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::warn!(%error, "partner not cached");
                return;
            }
        };
        let row = CachedPartner {
            tax_code: partner.tax_code.as_str().to_owned(),
            payload,
            source: partner.source.as_str().to_owned(),
            fetched_at: partner.fetched_at,
        };
        if let Err(error) = self.store().cache_partner(&row) {
            tracing::warn!(tax_code = %row.tax_code, %error, "partner not cached");
        }
    }
}

impl Shop {
    /// A cache over this shop's database for [`Partners`](super::Partners), on a connection of its own.
    pub fn partner_cache(&self) -> Result<StorePartnerCache> {
        let path = self.store.path().ok_or_else(|| {
            Error::Store(hoadon_store::StoreError::BadStoredValue(
                "a database in memory cannot be shared with the partner cache".into(),
            ))
        })?;
        Ok(StorePartnerCache::new(Store::open(path)?))
    }

    /// The cached look-up answer for `tax_code` and when it was fetched.
    pub fn cached_partner(&self, tax_code: &TaxCode) -> Result<Option<(Partner, i64)>> {
        Ok(self.store.cached_partner(tax_code.as_str())?.and_then(decode))
    }
}
