//! Who is the business on the other side of an invoice? Look it up by its tax code (MST).
//!
//! A shop owner types the buyer's MST; the app fills in the legal name, the head-office address
//! and, above all, warns when the business is suspended, closed, dissolved or bankrupt, because
//! an invoice issued to such a buyer is a problem with the tax office later.
//!
//! - [`Partner`]: one model for enterprises, cooperatives and household businesses, whatever
//!   source answered, serde-serialisable so the app's store can keep it as JSON.
//! - [`PartnerLookup`]: the interface every source implements, so sources are interchangeable:
//!   - [`NbrsClient`]: the national business registry (NBRS) through NDXP, OAuth 2.0 client
//!     credentials, `EntInfo` / `CoopInfo` / `HouseInfo`, plus the three dossier look-ups;
//!   - [`VietQrClient`]: a public look-up of the VietQR kind (`GET /v2/business/{taxCode}`);
//!   - [`LookupChain`]: tries sources in the configured order, moving on only when a source is
//!     unavailable; a "not found" from any source is an answer, not a failure.
//! - [`PartnerCache`] and [`PartnerDirectory::lookup`]: fresh answers are stored; when every
//!   source is out of reach (or the app runs `--offline`) the stored answer is served, marked
//!   as cached with the time it was fetched.
//! - [`LookupError`]: what went wrong, told in Vietnamese for the shop owner.
//!
//! The tax code is validated with [`hoadon_rules::TaxCode`] before anything else: an invalid
//! code is refused with its precise reason and never leaves the computer.

mod backoff;
mod cache;
mod chain;
mod directory;
mod error;
mod legal_status;
pub mod nbrs;
mod partner;
mod settings;
#[cfg(feature = "simulator")]
pub mod simulator;
mod vietqr;

use std::future::Future;
use std::pin::Pin;

pub use cache::{MemoryCache, PartnerCache};
pub use chain::LookupChain;
pub use directory::{CachedBecause, Freshness, LookupAnswer, LookupMode, PartnerDirectory};
pub use error::LookupError;
pub use hoadon_rules::TaxCode;
pub use hoadon_rules::tax_code::TaxCodeError;
pub use legal_status::LegalStatus;
pub use nbrs::NbrsClient;
pub use partner::{
    Address, BusinessLine, Partner, PartnerKind, Registration, Representative, RepresentativeRole, Source,
};
pub use settings::{
    ClientAuth, LookupSettings, NbrsPaths, NbrsSettings, RetryPolicy, Secret, SourceKind, VietQrSettings,
};
pub use vietqr::VietQrClient;

/// What a [`PartnerLookup`] hands back: boxed so sources can sit side by side in a
/// [`LookupChain`] as trait objects.
pub type LookupFuture<'a> = Pin<Box<dyn Future<Output = Result<Partner, LookupError>> + Send + 'a>>;

/// A source that can tell who owns a tax code.
///
/// Implementations receive an already-validated [`TaxCode`], so they never have to decide
/// what to do with a malformed one.
pub trait PartnerLookup: Send + Sync {
    /// A short name for logs ("nbrs", "vietqr", "chain").
    fn name(&self) -> &str;

    /// The partner registered under `tax_code`, or why it could not be told.
    fn find<'a>(&'a self, tax_code: &'a TaxCode) -> LookupFuture<'a>;
}

/// Now, as Unix seconds: the unit of `fetched_at` everywhere, and of the store's column.
pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
