//! The listings an accountant is handed for a period, written as Excel (`.xlsx`) or CSV:
//!
//! - the **sales listing** ([`Listing::Sales`]): one line per sale, its amounts per VAT rate,
//!   its VAT and total, the invoice that carries it;
//! - the **invoices listing** ([`Listing::Invoices`]): every invoice issued in the period,
//!   cancelled, replaced and adjusted ones included, each successor naming the invoice it
//!   changes;
//! - the **VAT summary** ([`Listing::VatSummary`]): subtotal and VAT per rate.
//!
//! Every amount is a [`VatTotals`](hoadon_rules::VatTotals) computed by `hoadon-rules` from the
//! stored lines, the same the sale screen, the PDF and the provider read, so the files agree
//! with the app to the đồng. Sales marked failed (the buyer cancelled) earned nothing and are
//! left out of the sales listing and the summary alike.
//!
//! Files are written by streaming, one sale at a time, inside one read transaction: the
//! CSV writer holds one line, the `.xlsx` writer runs in `rust_xlsxwriter`'s constant-memory
//! mode, so 1,000,000 sales take a few MiB ([`export`]). They are written under a temporary
//! name beside the target and renamed at the end: a cancelled ([`Progress::cancel`]) or
//! failed export leaves nothing under the name the owner chose.

mod cell;
mod csv_sheet;
mod error;
mod export;
mod invoices;
mod period;
mod progress;
mod sales;
mod snapshot;
mod symbol;
mod temporary;
mod vat_summary;
mod xlsx_sheet;

pub use error::AccountingError;
pub use export::{export, ExportDone, ExportOutcome, ExportRequest, FileFormat, Listing};
pub use invoices::{each_invoice, InvoiceLine};
pub use period::Period;
pub use progress::{ExportPhase, ExportProgress, Progress};
pub use sales::{each_sale, SaleInvoice, SaleLine};
pub use vat_summary::{vat_summary, VatSummary};

/// The result of every call here: an [`AccountingError`] on failure.
pub type Result<T, E = AccountingError> = std::result::Result<T, E>;
