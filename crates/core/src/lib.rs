//! What the shop can do, in one place: the desktop shell, the `hoadon` CLI and the tests all
//! go through [`Shop`], so a sale saved from the window and one saved from a script obey the
//! same rules and fail with the same Vietnamese messages.
//!
//! Forms ([`CustomerForm`], [`SaleForm`], …) carry text exactly as typed; turning them into
//! records is where validation happens, and every refusal names the field it is about.
//! Errors are one type, [`Error`], which serialises for the UI as an [`AppError`].

pub mod accounting;
mod app_info;
pub mod backup;
mod customers;
mod data_dir;
mod demo;
mod error;
pub mod invoicing;
mod log;
pub mod moit;
mod partners;
mod payment_qr;
pub mod printing;
mod products;
mod sales;
mod secrets;
mod shop_profile;

pub use app_info::AppInfo;
pub use customers::CustomerForm;
pub use data_dir::{database_path, default_data_dir, DATABASE_ENV, IDENTIFIER};
pub use demo::DemoSummary;
pub use error::{AppError, Error, ErrorCode, FieldError};
pub use log::init_logging;
pub use partners::{
    DemoLookup, DemoTaxCode, DossierFee, DossierFile, DossierQuery, DossierSupplement, DossierView, LookupSettingsForm,
    LookupSettingsInfo, LookupSourceId, PartnerLookupResult, PartnerStatus, Partners, StorePartnerCache,
    secrets_beside,
};
pub use payment_qr::{transfer_note, Bank, PaymentSettingsForm, PaymentTarget, SalePaymentCode};
pub use products::ProductForm;
pub use sales::{LinePreview, SaleForm, SaleLineForm, SalePreview, SalesQuery};
pub use secrets::{Secret, SecretBackend, SecretStore};
pub use shop_profile::ShopForm;

pub use hoadon_einvoice as einvoice;
pub use hoadon_pdf as pdf;
pub use hoadon_rules as rules;
pub use hoadon_lookup as lookup;
pub use hoadon_store as store;

use std::path::{Path, PathBuf};

use hoadon_rules::words::ZeroTens;
use hoadon_store::Store;

/// The core's result: its one [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An open shop: its database and the settings that shape what it prints.
pub struct Shop {
    store: Store,
}

impl Shop {
    /// Opens the shop's database at `path`, creating and migrating it as needed.
    pub fn open(path: impl AsRef<Path>) -> Result<Shop> {
        let store = Store::open(path.as_ref())?;
        tracing::info!(path = %path.as_ref().display(), report = ?store.migration_report(), "opened the shop database");
        Ok(Shop { store })
    }

    /// A shop in memory, for tests and tools: nothing is written to disk.
    pub fn open_in_memory() -> Result<Shop> {
        Ok(Shop { store: Store::open_in_memory()? })
    }

    /// The database underneath, for the crates built on the store (MOIT, the CLI's reports).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The database underneath, for a transaction of several writes.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The database file, `None` for a shop in memory.
    pub fn database_path(&self) -> Option<PathBuf> {
        self.store.path().map(Path::to_path_buf)
    }

    /// "linh" or "lẻ" for a zero tens digit in the amount in words (setting `zero_tens`).
    pub fn zero_tens(&self) -> Result<ZeroTens> {
        Ok(match self.store.setting("zero_tens")?.as_deref() {
            Some("le") => ZeroTens::Le,
            _ => ZeroTens::Linh,
        })
    }
}
