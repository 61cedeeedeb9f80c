//! The provider-neutral API the issuing queue is built on.
//!
//! [`Provider`] is what the rest of the app calls; [`AnyProvider`] picks the adapter from the
//! shop's settings at run time. Every method is a single request/answer exchange (no
//! retries, no hidden re-sends): retrying is the queue's decision, because only the queue
//! knows whether the key was stored and whether the last outcome was unclear.

use std::future::Future;

use crate::draft::{AdjustKind, DraftError, InvoiceDraft, InvoiceKey};
use crate::easyinvoice::{EasyInvoiceClient, EasyInvoiceSettings};
use crate::error::{Operation, ProviderError};
use crate::status::{AccountInfo, CancelOutcome, InvoiceState, Issued, PatternSerial, ProviderKind, SignedDrafts, TaxCheck};
use crate::vnpt::{VnptClient, VnptSettings};

/// An invoice already at the provider, named by its key and symbol. EasyInvoice needs the
/// template and symbol beside the key; VNPT only the key. Build it from the stored draft,
/// so an invoice of last year is named with last year's symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRef {
    pub key: InvoiceKey,
    pub template: String,
    pub serial: String,
}

impl InvoiceRef {
    pub fn new(key: InvoiceKey, template: impl Into<String>, serial: impl Into<String>) -> InvoiceRef {
        InvoiceRef { key, template: template.into(), serial: serial.into() }
    }

    pub fn of(draft: &InvoiceDraft) -> InvoiceRef {
        InvoiceRef { key: draft.key.clone(), template: draft.template.clone(), serial: draft.serial.clone() }
    }
}

/// What every e-invoice provider offers the app.
///
/// Outcomes: `Ok` is certain. `Err(e)` with `e.is_unclear()` means the provider may have done
/// it: call [`Provider::query`] with the same key before anything else, and never send the
/// sale under a new key. Other errors are certain refusals (or nothing was sent).
pub trait Provider: Send + Sync {
    fn kind(&self) -> ProviderKind;

    /// What this provider would refuse in the draft, checked before anything is sent.
    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError> {
        draft.validate()?;
        match self.kind() {
            ProviderKind::EasyInvoice => crate::easyinvoice::check_draft(draft),
            ProviderKind::Vnpt => crate::vnpt::check_draft(draft),
        }
    }

    /// Whether [`Provider::query`] sees unsigned drafts. VNPT's `listInvByCusFkey` leaves
    /// them out (a public server-side copy filters them), so "not found" there does not mean
    /// that a draft is gone.
    fn lists_drafts(&self) -> bool {
        self.kind() != ProviderKind::Vnpt
    }

    /// Checks the credentials.
    fn verify_account(&self) -> impl Future<Output = Result<AccountInfo, ProviderError>> + Send;

    /// Templates and symbols the account may issue with.
    fn list_patterns(&self) -> impl Future<Output = Result<Vec<PatternSerial>, ProviderError>> + Send;

    /// Creates and signs the invoices, all or none, each under its own key. Same template
    /// and symbol for the whole batch; EasyInvoice takes 200 per call, VNPT 5000.
    fn issue(&self, drafts: &[InvoiceDraft]) -> impl Future<Output = Result<Vec<Issued>, ProviderError>> + Send;

    /// Creates unsigned invoices (to be signed later on the provider's side or by
    /// [`Provider::publish_drafts`]). The same key again: EasyInvoice updates an unsigned
    /// invoice; VNPT answers a duplicate key (unclear: query by key). Same batch limits as
    /// [`Provider::issue`].
    fn draft(&self, drafts: &[InvoiceDraft]) -> impl Future<Output = Result<(), ProviderError>> + Send;

    /// Signs invoices created as drafts, under the symbol of the settings; 200 keys per call.
    /// The answer says key by key what happened; a key already signed may be this call's
    /// own earlier send: query by key.
    fn publish_drafts(&self, keys: &[InvoiceKey]) -> impl Future<Output = Result<SignedDrafts, ProviderError>> + Send;

    /// The state of each key, in the order asked; a key the provider does not know comes back
    /// as [`crate::InvoiceStatus::NotFound`].
    fn query(&self, keys: &[InvoiceKey]) -> impl Future<Output = Result<Vec<InvoiceState>, ProviderError>> + Send;

    /// Cancels the invoice, or (Decree 70/2025, EasyInvoice) replaces it by a 0-đồng invoice.
    fn cancel(&self, invoice: &InvoiceRef) -> impl Future<Output = Result<CancelOutcome, ProviderError>> + Send;

    /// Issues `draft` (with its own, new key) as an adjustment of `original`.
    fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft)
    -> impl Future<Output = Result<Issued, ProviderError>> + Send;

    /// Issues `draft` (with its own, new key) as the replacement of `original`.
    fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> impl Future<Output = Result<Issued, ProviderError>> + Send;

    /// What the tax authority said of a signed invoice, when the provider can tell yet.
    fn tax_verdict(&self, invoice: &InvoiceRef) -> impl Future<Output = Result<Option<TaxCheck>, ProviderError>> + Send;

    /// The PDF the provider renders for the invoice.
    fn pdf(&self, invoice: &InvoiceRef) -> impl Future<Output = Result<Vec<u8>, ProviderError>> + Send;

    /// E-mails the buyer that the invoice was issued; an empty `email` uses the invoice's.
    fn send_notice(&self, invoice: &InvoiceRef, email: &str) -> impl Future<Output = Result<(), ProviderError>> + Send;
}

impl Provider for EasyInvoiceClient {
    fn kind(&self) -> ProviderKind {
        ProviderKind::EasyInvoice
    }
    async fn verify_account(&self) -> Result<AccountInfo, ProviderError> {
        EasyInvoiceClient::verify_account(self).await
    }
    async fn list_patterns(&self) -> Result<Vec<PatternSerial>, ProviderError> {
        EasyInvoiceClient::list_patterns(self).await
    }
    async fn issue(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        EasyInvoiceClient::issue(self, drafts).await
    }
    async fn draft(&self, drafts: &[InvoiceDraft]) -> Result<(), ProviderError> {
        EasyInvoiceClient::draft(self, drafts).await
    }
    async fn publish_drafts(&self, keys: &[InvoiceKey]) -> Result<SignedDrafts, ProviderError> {
        EasyInvoiceClient::publish_drafts(self, keys).await
    }
    async fn query(&self, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
        EasyInvoiceClient::query(self, keys).await
    }
    async fn cancel(&self, invoice: &InvoiceRef) -> Result<CancelOutcome, ProviderError> {
        EasyInvoiceClient::cancel(self, invoice).await
    }
    async fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        EasyInvoiceClient::adjust(self, original, kind, draft).await
    }
    async fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        EasyInvoiceClient::replace(self, original, draft).await
    }
    /// `getInvoicesByIkeys` carries `TCTCheckStatus` and the tax authority's code.
    async fn tax_verdict(&self, invoice: &InvoiceRef) -> Result<Option<TaxCheck>, ProviderError> {
        let states = EasyInvoiceClient::query(self, std::slice::from_ref(&invoice.key)).await?;
        Ok(states.into_iter().next().and_then(|s| s.tax_check))
    }
    async fn pdf(&self, invoice: &InvoiceRef) -> Result<Vec<u8>, ProviderError> {
        EasyInvoiceClient::pdf(self, invoice).await
    }
    async fn send_notice(&self, invoice: &InvoiceRef, email: &str) -> Result<(), ProviderError> {
        EasyInvoiceClient::send_notice(self, invoice, email).await
    }
}

impl Provider for VnptClient {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Vnpt
    }
    async fn verify_account(&self) -> Result<AccountInfo, ProviderError> {
        VnptClient::verify_account(self).await
    }
    async fn list_patterns(&self) -> Result<Vec<PatternSerial>, ProviderError> {
        VnptClient::list_patterns(self).await
    }
    /// Invoices from a cash register (carrying the code the app gave each order) go through
    /// the MTT variant, which answers each one's tax-authority code back.
    async fn issue(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        if drafts.first().is_some_and(|d| d.tax_authority_code.is_some()) {
            VnptClient::issue_cash_register(self, drafts).await
        } else {
            VnptClient::issue(self, drafts).await
        }
    }
    async fn draft(&self, drafts: &[InvoiceDraft]) -> Result<(), ProviderError> {
        VnptClient::draft(self, drafts).await
    }
    async fn publish_drafts(&self, keys: &[InvoiceKey]) -> Result<SignedDrafts, ProviderError> {
        VnptClient::publish_drafts(self, keys).await
    }
    async fn query(&self, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
        VnptClient::query(self, keys).await
    }
    async fn cancel(&self, invoice: &InvoiceRef) -> Result<CancelOutcome, ProviderError> {
        VnptClient::cancel(self, invoice).await.map(|()| CancelOutcome::Cancelled)
    }
    async fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        VnptClient::adjust(self, original, kind, draft).await
    }
    async fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        VnptClient::replace(self, original, draft).await
    }
    async fn tax_verdict(&self, invoice: &InvoiceRef) -> Result<Option<TaxCheck>, ProviderError> {
        let verdicts = VnptClient::tax_verdicts(self, &invoice.template, std::slice::from_ref(&invoice.key)).await?;
        Ok(verdicts.into_iter().find(|(k, _)| k == &invoice.key).map(|(_, v)| v))
    }
    async fn pdf(&self, invoice: &InvoiceRef) -> Result<Vec<u8>, ProviderError> {
        VnptClient::pdf(self, invoice).await
    }
    /// VNPT e-mails buyers from its portal; the document has no call for it.
    async fn send_notice(&self, _invoice: &InvoiceRef, _email: &str) -> Result<(), ProviderError> {
        Err(ProviderError::Unsupported { provider: ProviderKind::Vnpt, op: Operation::SendNotice })
    }
}

/// The settings of whichever provider the shop chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderSettings {
    EasyInvoice(EasyInvoiceSettings),
    Vnpt(VnptSettings),
}

/// A client of whichever provider the shop chose, behind the one [`Provider`] API.
#[derive(Debug, Clone)]
pub enum AnyProvider {
    EasyInvoice(EasyInvoiceClient),
    Vnpt(VnptClient),
}

impl AnyProvider {
    pub fn new(settings: ProviderSettings) -> Result<AnyProvider, ProviderError> {
        Ok(match settings {
            ProviderSettings::EasyInvoice(s) => AnyProvider::EasyInvoice(EasyInvoiceClient::new(s)?),
            ProviderSettings::Vnpt(s) => AnyProvider::Vnpt(VnptClient::new(s)?),
        })
    }

    /// The VNPT client, for the VNPT-only calls (payment marks, cash register, reports).
    pub fn as_vnpt(&self) -> Option<&VnptClient> {
        match self {
            AnyProvider::Vnpt(c) => Some(c),
            AnyProvider::EasyInvoice(_) => None,
        }
    }
}

macro_rules! dispatch {
    ($self:ident, $c:ident => $call:expr) => {
        match $self {
            AnyProvider::EasyInvoice($c) => $call.await,
            AnyProvider::Vnpt($c) => $call.await,
        }
    };
}

impl Provider for AnyProvider {
    fn kind(&self) -> ProviderKind {
        match self {
            AnyProvider::EasyInvoice(_) => ProviderKind::EasyInvoice,
            AnyProvider::Vnpt(_) => ProviderKind::Vnpt,
        }
    }
    async fn verify_account(&self) -> Result<AccountInfo, ProviderError> {
        dispatch!(self, c => Provider::verify_account(c))
    }
    async fn list_patterns(&self) -> Result<Vec<PatternSerial>, ProviderError> {
        dispatch!(self, c => Provider::list_patterns(c))
    }
    async fn issue(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        dispatch!(self, c => Provider::issue(c, drafts))
    }
    async fn draft(&self, drafts: &[InvoiceDraft]) -> Result<(), ProviderError> {
        dispatch!(self, c => Provider::draft(c, drafts))
    }
    async fn publish_drafts(&self, keys: &[InvoiceKey]) -> Result<SignedDrafts, ProviderError> {
        dispatch!(self, c => Provider::publish_drafts(c, keys))
    }
    async fn query(&self, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
        dispatch!(self, c => Provider::query(c, keys))
    }
    async fn cancel(&self, invoice: &InvoiceRef) -> Result<CancelOutcome, ProviderError> {
        dispatch!(self, c => Provider::cancel(c, invoice))
    }
    async fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        dispatch!(self, c => Provider::adjust(c, original, kind, draft))
    }
    async fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        dispatch!(self, c => Provider::replace(c, original, draft))
    }
    async fn tax_verdict(&self, invoice: &InvoiceRef) -> Result<Option<TaxCheck>, ProviderError> {
        dispatch!(self, c => Provider::tax_verdict(c, invoice))
    }
    async fn pdf(&self, invoice: &InvoiceRef) -> Result<Vec<u8>, ProviderError> {
        dispatch!(self, c => Provider::pdf(c, invoice))
    }
    async fn send_notice(&self, invoice: &InvoiceRef, email: &str) -> Result<(), ProviderError> {
        dispatch!(self, c => Provider::send_notice(c, invoice, email))
    }
}
