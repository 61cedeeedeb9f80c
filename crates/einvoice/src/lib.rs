//! Clients of the e-invoice providers a Vietnamese shop issues legal invoices through:
//! EasyInvoice (SoftDreams), VNPT Invoice and Viettel S-Invoice.
//!
//! - [`InvoiceDraft`]: one provider-neutral invoice, built from a sale with the shop's rules
//!   (`hoadon-rules`) and validated before anything is sent.
//! - [`Provider`]: the operations the issuing queue uses (issue, query by key, cancel,
//!   adjust, replace, PDF, …), implemented by [`EasyInvoiceClient`], [`VnptClient`] and
//!   [`ViettelClient`] themselves, and by [`AnyProvider`], which holds the one the settings
//!   name (and shares its connections with its clones). VNPT-only calls (cash register,
//!   payment marks, customers, reports, the WSDL check) are inherent methods of
//!   [`VnptClient`]; Viettel-only ones (payment marks, cancel with the owner's reason, the
//!   XML file, the look-up by key) of [`ViettelClient`], which logs in for a token itself.
//! - [`ProviderError`]: every documented error code as a Vietnamese message a shop owner can
//!   act on, and [`ProviderError::is_unclear`], which separates "the provider may have issued
//!   it" from a definite refusal. After an unclear outcome, query by key before sending again.
//! - Request builders ([`easyinvoice::requests`], [`vnpt::requests`],
//!   [`viettel::requests`]) are pure functions returning the exact bytes sent; answer parsers
//!   ([`easyinvoice::answers`], [`vnpt::answers`], [`viettel::answers`]) never panic,
//!   whatever they are given.
//! - [`cash_register`]: the tax-authority codes a cash-register sale carries.
//!
//! Nothing here stores anything or retries a write by itself: the store and its queue
//! decide. (The Viettel client sends a call once more after renewing an expired token, only
//! where that cannot act twice, and asks again for a PDF Viettel has not rendered yet.)

pub mod cash_register;
pub mod draft;
pub mod easyinvoice;
pub mod error;
pub mod http;
pub mod provider;
pub mod status;
#[warn(missing_docs)]
pub mod viettel;
pub mod vnpt;
pub mod xml;

pub use draft::{AdjustKind, Buyer, DraftError, InvoiceDraft, InvoiceKey, Line, SellerLocation};
pub use easyinvoice::{AuthStamp, EasyInvoiceClient, EasyInvoiceSettings};
pub use error::{Operation, ProviderError, Refusal};
pub use hoadon_rules::Secret;
pub use http::{HttpRequest, Timeouts};
pub use provider::{AnyProvider, DynProvider, InvoiceRef, Provider, ProviderSettings};
pub use status::{
    AccountInfo, CancelOutcome, InvoiceState, InvoiceStatus, Issued, IssuedList, IssuedSince, ListedInvoice, PatternSerial, ProviderKind, SeriesMark, SignedDrafts, TaxCheck,
    UnkeyedInvoice,
};
pub use viettel::{ViettelClient, ViettelSettings};
pub use vnpt::{Customer, VnptClient, VnptSettings};
