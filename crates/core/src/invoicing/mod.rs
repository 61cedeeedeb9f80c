//! Issuing e-invoices for sales so that none is issued twice and none is lost.
//!
//! The rules, in the order they protect the shop:
//! 1. The provider key (Ikey / fkey) is written to the database, with the invoice row, before
//!    any request leaves the app. A crash after that point leaves a row in `sending`.
//! 2. After any unclear outcome (timeout, lost connection, 5xx, unreadable answer, a
//!    duplicate-key answer, or a row found in `sending` after a crash) the provider is asked
//!    about that key before anything is sent again. Re-sending uses the same key, so the
//!    provider itself refuses a second invoice for it. Nothing is ever deleted and re-imported.
//! 3. A sale has at most one live invoice (the database enforces it); a cancelled invoice
//!    issued again gets a new key. Keys carry 80 random bits, so no other install, restored
//!    backup or copied folder sends under the same one; and what the provider holds under a
//!    key is compared with the sale before it is taken as its invoice ("Trùng mã"
//!    otherwise). See [`account`].
//! 4. A row is sent only with the account it is bound to, and by one sender at a time across
//!    processes (a lease claimed in `BEGIN IMMEDIATE`).
//! 5. Sales whose invoice could not be sent (provider unreachable) stay `queued`, and
//!    [`Invoicer::process_queue`] sends them once the provider answers again.
//!
//! The shop is behind a `std::sync::Mutex`: every function here locks it only to read or
//! write the database, never across a network call.

pub mod account;
mod adjustment;
mod client;
mod draft;
mod issuer;
mod list;
pub(crate) mod portal;
mod settings;
mod tax_verdict;

pub use account::{account_fingerprint, InvoiceSettingsSaved};
pub use adjustment::AdjustmentForm;
pub use client::ProviderClient;
pub use draft::draft_for_invoice;
pub use issuer::{Change, Invoicer, QueueReport};
pub use list::InvoiceRow;
pub use portal::PortalReference;
pub use tax_verdict::{tax_verdict, TaxVerdict, TaxVerdictView};
pub use settings::{
    provider_patterns, DemoProvider, InvoiceSettingsForm, InvoiceSettingsView, PatternChoice, ProviderChoice, ProviderOption, Signing, SigningOption,
};
