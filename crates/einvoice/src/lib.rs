//! Clients of the e-invoice providers a Vietnamese shop issues legal invoices through:
//! EasyInvoice (SoftDreams) and VNPT Invoice.
//!
//! - [`InvoiceDraft`]: one provider-neutral invoice, built from a sale with the shop's rules
//!   (`hoadon-rules`) and validated before anything is sent.
//! - [`Provider`]: the operations the issuing queue uses (issue, query by key, cancel,
//!   adjust, replace, PDF, …), implemented by [`EasyInvoiceClient`] and [`VnptClient`]
//!   themselves, and by [`AnyProvider`], which holds the one the settings name (and shares
//!   its connections with its clones). VNPT-only calls (cash register, payment marks,
//!   customers, reports, the WSDL check) are inherent methods of [`VnptClient`].
//! - [`ProviderError`]: every documented error code as a Vietnamese message a shop owner can
//!   act on, and [`ProviderError::is_unclear`], which separates "the provider may have issued
//!   it" from a definite refusal. After an unclear outcome, query by key before sending again.
//! - Request builders ([`easyinvoice::requests`], [`vnpt::requests`]) are pure functions
//!   returning the exact bytes sent; answer parsers ([`easyinvoice::answers`],
//!   [`vnpt::answers`]) never panic, whatever they are given.
//! - [`cash_register`]: the tax-authority codes a cash-register sale carries.
//!
//! Nothing here stores anything or retries by itself: the store and its queue decide.

pub mod cash_register;
pub mod draft;
pub mod easyinvoice;
pub mod error;
pub mod http;
pub mod provider;
pub mod status;
pub mod vnpt;
pub mod xml;

pub use draft::{AdjustKind, Buyer, DraftError, InvoiceDraft, InvoiceKey, Line, SellerLocation};
pub use easyinvoice::{AuthStamp, EasyInvoiceClient, EasyInvoiceSettings};
pub use error::{Operation, ProviderError, Refusal};
pub use hoadon_rules::Secret;
pub use http::{HttpRequest, Timeouts};
pub use provider::{AnyProvider, DynProvider, InvoiceRef, Provider, ProviderSettings};
pub use status::{AccountInfo, CancelOutcome, InvoiceState, InvoiceStatus, Issued, PatternSerial, ProviderKind, SignedDrafts, TaxCheck};
pub use vnpt::{Customer, VnptClient, VnptSettings};
