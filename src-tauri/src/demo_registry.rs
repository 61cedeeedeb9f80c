//! Partner look-up in the app: the sources of the saved look-up settings or, on the embedded
//! default (no look-up settings saved yet), the registry simulator started inside the app on
//! 127.0.0.1, which the real NBRS and VietQR clients talk to — one code path, no fake branch.
//! Its port is free (0) unless `HOADON_DEMO_REGISTRY_PORT` names one.

use std::sync::{Arc, Mutex, RwLock};

use hoadon_core::lookup::LookupSettings;
use hoadon_core::{DemoLookup, DemoTaxCode, Error, Partners, SecretStore, Shop, StorePartnerCache};
use hoadon_sim_registry::{self as sim, RegistrySim, SimConfig};

pub struct PartnerLookups {
    /// The encrypted file of the look-up secrets (beside the database).
    pub secrets: SecretStore,
    cache: Arc<StorePartnerCache>,
    current: RwLock<Arc<Partners>>,
    /// The demo registry while it is in use; dropping it stops it.
    demo: Mutex<Option<RegistrySim>>,
}

/// What the Cài đặt section tells about the demo registry.
fn demo_info(registry: &RegistrySim) -> DemoLookup {
    let sample = |tax_code: &str, label: &str| DemoTaxCode { tax_code: tax_code.to_owned(), label: label.to_owned() };
    DemoLookup {
        endpoint: registry.base_url(),
        samples: vec![
            sample(sim::demo::ACTIVE, "doanh nghiệp đang hoạt động"),
            sample(sim::demo::SUSPENDED, "tạm ngừng kinh doanh"),
            sample(sim::demo::CLOSED, "đã chấm dứt hoạt động"),
            sample(sim::demo::DISSOLVED, "đã giải thể"),
            sample(sim::demo::COOPERATIVE, "hợp tác xã đang hoạt động"),
            sample(sim::demo::HOUSEHOLD, "hộ kinh doanh đang hoạt động"),
            sample(sim::demo::UNKNOWN, "không có trong sổ đăng ký"),
        ],
    }
}

async fn start_demo(cache: Arc<StorePartnerCache>) -> Result<(RegistrySim, Partners), Error> {
    let port = std::env::var("HOADON_DEMO_REGISTRY_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(0);
    let registry = sim::start(SimConfig { port, ..SimConfig::default() }).await.map_err(|e| {
        tracing::error!(error = %e, "the demo registry could not start");
        Error::Lookup {
            code: "lookup_unreachable",
            message: "Không khởi động được nguồn tra cứu thử (trình mô phỏng trên 127.0.0.1).".to_owned(),
        }
    })?;
    let partners = Partners::new(Some(&hoadon_core::lookup::simulator::settings(&registry)), cache)?.with_demo(demo_info(&registry));
    tracing::info!(url = %registry.base_url(), "demo registry started");
    Ok((registry, partners))
}

impl PartnerLookups {
    /// The sources of the saved settings, or the demo registry when none are saved. A demo
    /// registry that cannot start leaves look-ups unconfigured (they say so when used).
    pub fn open(shop: &Shop, secrets: SecretStore) -> Result<PartnerLookups, Error> {
        let cache = Arc::new(shop.partner_cache()?);
        let (partners, demo) = match shop.lookup_settings(&secrets)? {
            Some(settings) => (Partners::new(Some(&settings), cache.clone())?, None),
            None => match tauri::async_runtime::block_on(start_demo(cache.clone())) {
                Ok((registry, partners)) => (partners, Some(registry)),
                Err(_) => (Partners::new(None, cache.clone())?, None),
            },
        };
        Ok(PartnerLookups { secrets, cache, current: RwLock::new(Arc::new(partners)), demo: Mutex::new(demo) })
    }

    /// The sources in use, for one look-up (the lock is let go at once).
    pub fn current(&self) -> Arc<Partners> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn replace(&self, partners: Partners, demo: Option<RegistrySim>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(partners);
        // The previous demo registry, if any, stops when dropped here.
        *self.demo.lock().unwrap_or_else(|p| p.into_inner()) = demo;
    }

    /// Settings were saved: use them; the demo registry stops.
    pub fn use_settings(&self, settings: &LookupSettings) -> Result<(), Error> {
        self.replace(Partners::new(Some(settings), self.cache.clone())?, None);
        Ok(())
    }

    /// A restore put back a shop with these settings (or none): use them, or the demo
    /// registry, started only if it is not running already.
    pub async fn follow(&self, settings: Option<LookupSettings>) -> Result<(), Error> {
        match settings {
            Some(settings) => self.use_settings(&settings),
            None if self.demo.lock().unwrap_or_else(|p| p.into_inner()).is_some() => Ok(()),
            None => self.use_demo().await,
        }
    }

    /// Settings were cleared: back to the demo registry.
    pub async fn use_demo(&self) -> Result<(), Error> {
        let (registry, partners) = start_demo(self.cache.clone()).await?;
        self.replace(partners, Some(registry));
        Ok(())
    }
}
