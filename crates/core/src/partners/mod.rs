//! Partner look-up by tax code, inside the shop: the sources the owner configured (or the
//! demo registry the app starts), the answers kept in the shop's database for working offline,
//! the warning before invoicing a buyer that is no longer active, and the registry's dossier
//! look-ups ("Hồ sơ đăng ký").
//!
//! - [`Partners`] asks the sources ([`hoadon_lookup::LookupChain`] over the real HTTP clients,
//!   whether they point at the registry or at the simulator) and keeps fresh answers in a
//!   [`StorePartnerCache`]. It holds no [`Shop`]: a look-up waits on the network without
//!   holding the shop's lock.
//! - The settings: URLs, client id, the order of the sources in the `settings` table (key
//!   `lookup.settings`, JSON of a [`LookupSettingsForm`] whose secret boxes are empty); the NBRS
//!   client secret and the VietQR API key only in the [`SecretStore`] (`lookup.nbrs.client_secret`,
//!   `lookup.vietqr.api_key`).
//! - [`Shop::buyer_warning`] reads the cache only: issuing an invoice never waits on a registry.
//!
//! One concept per file: `error.rs` (look-up failures as [`Error`]), `cache.rs`
//! ([`StorePartnerCache`]), `view.rs` ([`PartnerLookupResult`]), `warning.rs`
//! ([`Shop::buyer_warning`]), `dossiers.rs` ([`DossierView`]), `settings.rs`
//! ([`LookupSettingsForm`]); [`Partners`] here.

mod cache;
mod dossiers;
mod error;
mod settings;
mod view;
mod warning;

use std::path::Path;
use std::sync::Arc;

use hoadon_lookup::{
    LookupChain, LookupError, LookupMode, LookupSettings, NbrsClient, PartnerCache, PartnerDirectory, PartnerLookup,
    SourceKind, TaxCode, VietQrClient,
};

pub use cache::StorePartnerCache;
pub use dossiers::{DossierFee, DossierFile, DossierQuery, DossierSupplement, DossierView};
pub use settings::{DemoLookup, DemoTaxCode, LookupSettingsForm, LookupSettingsInfo, LookupSourceId};
pub use view::{PartnerLookupResult, PartnerStatus};

use crate::secrets::SecretStore;
use crate::{Error, Result};

/// The look-up sources in use and the cache behind them. Build a new one when the settings
/// change; share it behind an `Arc` (the NBRS client keeps its access token).
pub struct Partners {
    directory: PartnerDirectory,
    nbrs: Option<Arc<NbrsClient>>,
    configured: bool,
    demo: Option<DemoLookup>,
}

impl Partners {
    /// Sources from `settings` (`None`: nothing configured, so only `--offline`-style answers
    /// from the cache are possible), answers kept in `cache`.
    pub fn new(settings: Option<&LookupSettings>, cache: Arc<dyn PartnerCache>) -> Result<Partners> {
        let mut sources: Vec<Arc<dyn PartnerLookup>> = Vec::new();
        let mut nbrs_client = None;
        if let Some(settings) = settings {
            for kind in &settings.order {
                match kind {
                    SourceKind::Nbrs => {
                        if let (Some(nbrs), None) = (&settings.nbrs, &nbrs_client) {
                            let client = Arc::new(NbrsClient::new(nbrs.clone())?);
                            nbrs_client = Some(client.clone());
                            sources.push(client);
                        }
                    }
                    SourceKind::VietQr => {
                        if let Some(vietqr) = &settings.vietqr {
                            sources.push(Arc::new(VietQrClient::new(vietqr.clone())?));
                        }
                    }
                }
            }
        }
        let configured = !sources.is_empty();
        let directory = PartnerDirectory::new(Arc::new(LookupChain::new(sources)), cache);
        Ok(Partners { directory, nbrs: nbrs_client, configured, demo: None })
    }

    /// Marks these sources as the demo registry (shown in Cài đặt).
    pub fn with_demo(mut self, demo: DemoLookup) -> Partners {
        self.demo = Some(demo);
        self
    }

    /// The demo registry these sources point at, if they do (see [`Partners::with_demo`]).
    pub fn demo(&self) -> Option<&DemoLookup> {
        self.demo.as_ref()
    }

    /// At least one source can be asked.
    pub fn is_configured(&self) -> bool {
        self.configured
    }

    /// Looks `mst` up as typed. An invalid code is refused (field `tax_code`, the precise
    /// reason) before anything is sent or read. With no source configured, only
    /// [`LookupMode::Offline`] can answer.
    pub async fn lookup(&self, mst: &str, mode: LookupMode) -> Result<PartnerLookupResult> {
        if !self.configured && mode != LookupMode::Offline {
            TaxCode::parse(mst).map_err(LookupError::from)?;
            return Err(LookupError::NoSource.into());
        }
        let answer = self.directory.lookup(mst, mode).await?;
        tracing::info!(
            tax_code = answer.partner.tax_code.as_str(),
            source = answer.partner.source.as_str(),
            cached = answer.is_cached(),
            warning = answer.partner.needs_warning(),
            "partner looked up"
        );
        Ok(PartnerLookupResult::of(&answer))
    }

    fn nbrs(&self) -> Result<&NbrsClient> {
        self.nbrs.as_deref().ok_or_else(error::no_nbrs)
    }

    /// The ProcessIDs of the dossiers received by an office in a period.
    pub async fn dossiers_received(&self, query: &DossierQuery) -> Result<Vec<u64>> {
        let (from, to, site) = query.validate()?;
        Ok(self.nbrs()?.dossiers_received(from, to, &site).await?)
    }

    /// The latest state of a dossier, by its ProcessID as typed.
    pub async fn dossier_latest(&self, process_id: &str) -> Result<DossierView> {
        let typed = process_id.trim();
        let id: u64 = typed.parse().ok().filter(|id| *id > 0).ok_or_else(|| {
            Error::field("process_id", "Mã hồ sơ (ProcessID) phải là một số nguyên dương, ví dụ 2026000101.")
        })?;
        Ok(DossierView::latest(&self.nbrs()?.dossier_latest(id).await?))
    }

    /// The processing detail of a dossier, by its journal number (in_journal_no) as typed.
    pub async fn dossier_detail(&self, journal_no: &str) -> Result<DossierView> {
        let journal = journal_no.trim();
        if journal.is_empty() || journal.chars().count() > 30 {
            return Err(Error::field("journal_no", "Mã hồ sơ (in_journal_no) phải có từ 1 đến 30 ký tự."));
        }
        Ok(DossierView::detail(&self.nbrs()?.dossier_detail(journal).await?))
    }
}

/// The secrets of the shop whose database is `db_path`: the OS keyring when there is one,
/// else the encrypted file beside the database.
pub fn secrets_beside(db_path: &Path) -> SecretStore {
    SecretStore::system(db_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
}
