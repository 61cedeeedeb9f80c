use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use hoadon_core::einvoice::AnyProvider;
use hoadon_core::invoicing::{Invoicer, ProviderClient};
use hoadon_core::{AppInfo, Error, SecretStore, Shop};

use crate::demo_invoicing::DemoInvoicing;
use tracing_appender::non_blocking::WorkerGuard;

/// What every command reaches: the open shop, and what the app knows about itself.
pub struct AppState {
    shop: Mutex<Shop>,
    pub info: AppInfo,
    pub secrets: SecretStore,
    pub invoicer: Invoicer,
    /// The provider's client, kept so that its connections are reused; built again when the
    /// invoice settings (or the demo simulators) change.
    provider: ProviderClient,
    pub demo_invoicing: DemoInvoicing,
    /// Partner look-up: the configured sources, or the demo registry (`demo_registry.rs`).
    pub partners: crate::demo_registry::PartnerLookups,
    /// The MOIT report server while it runs (`commands/moit.rs`); off until Cài đặt starts it.
    pub moit_server: tokio::sync::Mutex<Option<crate::commands::moit::RunningMoitServer>>,
    /// The log writer flushes when dropped: the state keeps it for the life of the app.
    _log: Option<WorkerGuard>,
}

impl AppState {
    pub fn open(data_dir: Option<PathBuf>) -> Result<AppState, Box<dyn std::error::Error>> {
        let db_path = hoadon_core::database_path(data_dir);
        let log_dir = db_path.parent().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
        let (log_path, guard) = hoadon_core::init_logging(&log_dir, cfg!(debug_assertions));
        let mut shop = Shop::open(&db_path)?;
        let now = hoadon_core::rules::calendar::now().unix_timestamp();
        if let Some(summary) = shop.fill_demo_data(now)? {
            tracing::info!(?summary, "first start: filled the demo shop");
        }
        let demo = shop.profile()?.is_some_and(|p| p.is_demo);
        let info = AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            db_path: db_path.display().to_string(),
            log_path: log_path.display().to_string(),
            demo,
        };
        tracing::info!(db = %info.db_path, "app started");
        let demo_invoicing = DemoInvoicing::start(shop.profile()?.as_ref());
        let secrets = hoadon_core::secrets_beside(&db_path);
        tracing::info!(backend = ?secrets.backend(), "where passwords are kept");
        let partners = crate::demo_registry::PartnerLookups::open(&shop, secrets.clone())?;
        Ok(AppState {
            shop: Mutex::new(shop),
            info,
            secrets,
            invoicer: Invoicer::new(),
            provider: ProviderClient::new(),
            demo_invoicing,
            partners,
            moit_server: Default::default(),
            _log: guard,
        })
    }

    /// The shop, for one command. A command that panicked leaves SQLite consistent (every
    /// write is a transaction), so a poisoned lock is safe to take over.
    pub fn shop(&self) -> MutexGuard<'_, Shop> {
        self.shop.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The shop's lock itself, for the invoicing calls that lock it around each database step
    /// and never across a network call.
    pub fn shop_lock(&self) -> &Mutex<Shop> {
        &self.shop
    }

    /// The client of the provider the settings name (the demo simulator in demo mode): the
    /// same one, sharing its connections, for as long as the settings stay the same.
    pub fn provider(&self) -> Result<AnyProvider, Error> {
        self.provider.get(&self.shop(), &self.secrets, &self.demo_invoicing.providers)
    }
}
