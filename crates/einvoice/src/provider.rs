//! The provider-neutral API the issuing queue is built on.
//!
//! [`Provider`] is what the rest of the app calls; each client implements it directly
//! ([`EasyInvoiceClient`], [`VnptClient`], [`ViettelClient`]). [`AnyProvider`] holds whichever the shop's settings
//! name, behind [`DynProvider`], the object-safe form every [`Provider`] has for free: a new
//! provider implements [`Provider`], adds its [`ProviderSettings`] variant and one line in
//! [`AnyProvider::new`], and copies nothing else. Every method is a single request/answer exchange (no
//! retries, no hidden re-sends): retrying is the queue's decision, because only the queue
//! knows whether the key was stored and whether the last outcome was unclear.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::draft::{AdjustKind, DraftError, InvoiceDraft, InvoiceKey};
use crate::easyinvoice::{EasyInvoiceClient, EasyInvoiceSettings};
use crate::error::ProviderError;
use crate::status::{AccountInfo, CancelOutcome, InvoiceState, Issued, IssuedList, IssuedSince, PatternSerial, ProviderKind, SignedDrafts, TaxCheck};
use crate::viettel::{ViettelClient, ViettelSettings};
use crate::vnpt::{VnptClient, VnptSettings};

/// An invoice already at the provider, named by its key and symbol. EasyInvoice needs the
/// template and symbol beside the key; VNPT only the key; Viettel the key and the template
/// (it looks the number up by key). Build it from the stored draft,
/// so an invoice of last year is named with last year's symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRef {
    /// The key the invoice was sent with.
    pub key: InvoiceKey,
    /// The template (mẫu số) it was issued with, as the provider knows it.
    pub template: String,
    /// The symbol (ký hiệu) it was issued with, e.g. `C26TAA`.
    pub serial: String,
}

impl InvoiceRef {
    /// An invoice named by its key, template and symbol.
    pub fn new(key: InvoiceKey, template: impl Into<String>, serial: impl Into<String>) -> InvoiceRef {
        InvoiceRef { key, template: template.into(), serial: serial.into() }
    }

    /// The invoice a stored draft was sent as.
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
    /// Which provider this is.
    fn kind(&self) -> ProviderKind;

    /// What this provider would refuse in the draft, checked before anything is sent. The
    /// default checks only what every provider refuses ([`InvoiceDraft::validate`]).
    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError> {
        draft.validate()
    }

    /// Whether [`Provider::query`] sees unsigned drafts; when not, "not found" there does not
    /// mean that a draft is gone.
    fn lists_drafts(&self) -> bool {
        true
    }

    /// Checks the credentials.
    fn verify_account(&self) -> impl Future<Output = Result<AccountInfo, ProviderError>> + Send;

    /// Templates and symbols the account may issue with.
    fn list_patterns(&self) -> impl Future<Output = Result<Vec<PatternSerial>, ProviderError>> + Send;

    /// Creates and signs the invoices, all or none, each under its own key. Same template
    /// and symbol for the whole batch; EasyInvoice takes 200 per call, VNPT 5000. Viettel
    /// takes one per call, so a batch there is sent one by one and is not all or none: a
    /// failure after some were issued is [`ProviderError::PartlyIssued`] (unclear).
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

    /// Every invoice issued since `since`, as the provider's list call shows them (after a
    /// restore). The one method that may take several requests: the lists come in pages,
    /// each a read, so a lost page is simply asked again. A part the provider does not give
    /// while the rest answers (one series refused, a day cut short) is an
    /// [`IssuedList::gaps`] entry, not an error: what was read still re-attaches invoices.
    fn issued_since(&self, since: &IssuedSince) -> impl Future<Output = Result<IssuedList, ProviderError>> + Send;

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

/// The answer of a [`DynProvider`] call.
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

/// [`Provider`] as a trait object (its futures boxed), implemented for every [`Provider`]
/// below; [`AnyProvider`] is the one place that uses it.
pub trait DynProvider: Send + Sync + fmt::Debug {
    /// [`Provider::kind`].
    fn kind(&self) -> ProviderKind;
    /// [`Provider::check_draft`].
    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError>;
    /// [`Provider::lists_drafts`].
    fn lists_drafts(&self) -> bool;
    /// [`Provider::verify_account`].
    fn verify_account(&self) -> Answer<'_, AccountInfo>;
    /// [`Provider::list_patterns`].
    fn list_patterns(&self) -> Answer<'_, Vec<PatternSerial>>;
    /// [`Provider::issue`].
    fn issue<'a>(&'a self, drafts: &'a [InvoiceDraft]) -> Answer<'a, Vec<Issued>>;
    /// [`Provider::draft`].
    fn draft<'a>(&'a self, drafts: &'a [InvoiceDraft]) -> Answer<'a, ()>;
    /// [`Provider::publish_drafts`].
    fn publish_drafts<'a>(&'a self, keys: &'a [InvoiceKey]) -> Answer<'a, SignedDrafts>;
    /// [`Provider::query`].
    fn query<'a>(&'a self, keys: &'a [InvoiceKey]) -> Answer<'a, Vec<InvoiceState>>;
    /// [`Provider::issued_since`].
    fn issued_since<'a>(&'a self, since: &'a IssuedSince) -> Answer<'a, IssuedList>;
    /// [`Provider::cancel`].
    fn cancel<'a>(&'a self, invoice: &'a InvoiceRef) -> Answer<'a, CancelOutcome>;
    /// [`Provider::adjust`].
    fn adjust<'a>(&'a self, original: &'a InvoiceRef, kind: AdjustKind, draft: &'a InvoiceDraft) -> Answer<'a, Issued>;
    /// [`Provider::replace`].
    fn replace<'a>(&'a self, original: &'a InvoiceRef, draft: &'a InvoiceDraft) -> Answer<'a, Issued>;
    /// [`Provider::tax_verdict`].
    fn tax_verdict<'a>(&'a self, invoice: &'a InvoiceRef) -> Answer<'a, Option<TaxCheck>>;
    /// [`Provider::pdf`].
    fn pdf<'a>(&'a self, invoice: &'a InvoiceRef) -> Answer<'a, Vec<u8>>;
    /// [`Provider::send_notice`].
    fn send_notice<'a>(&'a self, invoice: &'a InvoiceRef, email: &'a str) -> Answer<'a, ()>;
    /// For the calls only one provider has ([`AnyProvider::client`]).
    fn as_any(&self) -> &dyn Any;
}

impl<T: Provider + fmt::Debug + 'static> DynProvider for T {
    fn kind(&self) -> ProviderKind {
        Provider::kind(self)
    }
    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError> {
        Provider::check_draft(self, draft)
    }
    fn lists_drafts(&self) -> bool {
        Provider::lists_drafts(self)
    }
    fn verify_account(&self) -> Answer<'_, AccountInfo> {
        Box::pin(Provider::verify_account(self))
    }
    fn list_patterns(&self) -> Answer<'_, Vec<PatternSerial>> {
        Box::pin(Provider::list_patterns(self))
    }
    fn issue<'a>(&'a self, drafts: &'a [InvoiceDraft]) -> Answer<'a, Vec<Issued>> {
        Box::pin(Provider::issue(self, drafts))
    }
    fn draft<'a>(&'a self, drafts: &'a [InvoiceDraft]) -> Answer<'a, ()> {
        Box::pin(Provider::draft(self, drafts))
    }
    fn publish_drafts<'a>(&'a self, keys: &'a [InvoiceKey]) -> Answer<'a, SignedDrafts> {
        Box::pin(Provider::publish_drafts(self, keys))
    }
    fn query<'a>(&'a self, keys: &'a [InvoiceKey]) -> Answer<'a, Vec<InvoiceState>> {
        Box::pin(Provider::query(self, keys))
    }
    fn issued_since<'a>(&'a self, since: &'a IssuedSince) -> Answer<'a, IssuedList> {
        Box::pin(Provider::issued_since(self, since))
    }
    fn cancel<'a>(&'a self, invoice: &'a InvoiceRef) -> Answer<'a, CancelOutcome> {
        Box::pin(Provider::cancel(self, invoice))
    }
    fn adjust<'a>(&'a self, original: &'a InvoiceRef, kind: AdjustKind, draft: &'a InvoiceDraft) -> Answer<'a, Issued> {
        Box::pin(Provider::adjust(self, original, kind, draft))
    }
    fn replace<'a>(&'a self, original: &'a InvoiceRef, draft: &'a InvoiceDraft) -> Answer<'a, Issued> {
        Box::pin(Provider::replace(self, original, draft))
    }
    fn tax_verdict<'a>(&'a self, invoice: &'a InvoiceRef) -> Answer<'a, Option<TaxCheck>> {
        Box::pin(Provider::tax_verdict(self, invoice))
    }
    fn pdf<'a>(&'a self, invoice: &'a InvoiceRef) -> Answer<'a, Vec<u8>> {
        Box::pin(Provider::pdf(self, invoice))
    }
    fn send_notice<'a>(&'a self, invoice: &'a InvoiceRef, email: &'a str) -> Answer<'a, ()> {
        Box::pin(Provider::send_notice(self, invoice, email))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The settings of whichever provider the shop chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderSettings {
    /// An EasyInvoice account.
    EasyInvoice(EasyInvoiceSettings),
    /// A VNPT Invoice tenant.
    Vnpt(VnptSettings),
    /// A Viettel S-Invoice account.
    Viettel(ViettelSettings),
}

/// A client of whichever provider the shop chose, behind the one [`Provider`] API. Cheap to
/// clone: clones share the client, and so its connection pool.
#[derive(Debug, Clone)]
pub struct AnyProvider(Arc<dyn DynProvider>);

impl AnyProvider {
    /// The client of the provider `settings` name.
    pub fn new(settings: ProviderSettings) -> Result<AnyProvider, ProviderError> {
        Ok(match settings {
            ProviderSettings::EasyInvoice(s) => AnyProvider::of(EasyInvoiceClient::new(s)?),
            ProviderSettings::Vnpt(s) => AnyProvider::of(VnptClient::new(s)?),
            ProviderSettings::Viettel(s) => AnyProvider::of(ViettelClient::new(s)?),
        })
    }

    /// Any client, behind the one API.
    pub fn of<T: Provider + fmt::Debug + 'static>(client: T) -> AnyProvider {
        AnyProvider(Arc::new(client))
    }

    /// The client itself when it is a `T`, for the calls only that provider has.
    pub fn client<T: 'static>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }

    /// The VNPT client, for the VNPT-only calls (payment marks, cash register, reports).
    pub fn as_vnpt(&self) -> Option<&VnptClient> {
        self.client()
    }

    /// The Viettel client, for the Viettel-only calls (payment marks, the owner's cancel
    /// reason, the ZIP with the XML).
    pub fn as_viettel(&self) -> Option<&ViettelClient> {
        self.client()
    }

    /// Whether both are the same client (a clone), sharing its connections.
    pub fn same_client(&self, other: &AnyProvider) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Provider for AnyProvider {
    fn kind(&self) -> ProviderKind {
        self.0.kind()
    }
    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError> {
        self.0.check_draft(draft)
    }
    fn lists_drafts(&self) -> bool {
        self.0.lists_drafts()
    }
    async fn verify_account(&self) -> Result<AccountInfo, ProviderError> {
        self.0.verify_account().await
    }
    async fn list_patterns(&self) -> Result<Vec<PatternSerial>, ProviderError> {
        self.0.list_patterns().await
    }
    async fn issue(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        self.0.issue(drafts).await
    }
    async fn draft(&self, drafts: &[InvoiceDraft]) -> Result<(), ProviderError> {
        self.0.draft(drafts).await
    }
    async fn publish_drafts(&self, keys: &[InvoiceKey]) -> Result<SignedDrafts, ProviderError> {
        self.0.publish_drafts(keys).await
    }
    async fn query(&self, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
        self.0.query(keys).await
    }
    async fn issued_since(&self, since: &IssuedSince) -> Result<IssuedList, ProviderError> {
        self.0.issued_since(since).await
    }
    async fn cancel(&self, invoice: &InvoiceRef) -> Result<CancelOutcome, ProviderError> {
        self.0.cancel(invoice).await
    }
    async fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        self.0.adjust(original, kind, draft).await
    }
    async fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        self.0.replace(original, draft).await
    }
    async fn tax_verdict(&self, invoice: &InvoiceRef) -> Result<Option<TaxCheck>, ProviderError> {
        self.0.tax_verdict(invoice).await
    }
    async fn pdf(&self, invoice: &InvoiceRef) -> Result<Vec<u8>, ProviderError> {
        self.0.pdf(invoice).await
    }
    async fn send_notice(&self, invoice: &InvoiceRef, email: &str) -> Result<(), ProviderError> {
        self.0.send_notice(invoice, email).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timeouts;

    #[test]
    fn debug_never_shows_a_password() {
        let easy = EasyInvoiceSettings {
            base_url: "https://0312345678.easyinvoice.vn".into(),
            username: "admin".into(),
            password: "ei-password-1".into(),
            seller_tax_code: Some("0312345678".into()),
            pattern: "1".into(),
            serial: "C26TAA".into(),
            symbol_in_pattern: true,
            timeouts: Timeouts::default(),
        };
        let vnpt = VnptSettings {
            base_url: "https://0312345678-tt78.vnpt-invoice.com.vn".into(),
            account: "staff".into(),
            ac_password: "vnpt-ac-password-2".into(),
            username: "service".into(),
            password: "vnpt-password-3".into(),
            pattern: "1/001".into(),
            serial: "C26TAA".into(),
            convert: 0,
            mark_paid_on_issue: true,
            param_names: Default::default(),
            timeouts: Timeouts::default(),
        };
        let viettel = ViettelSettings {
            username: "0100109106-506".into(),
            password: "viettel-password-4".into(),
            supplier_tax_code: "0100109106-506".into(),
            series: "C26TAA".into(),
            ..ViettelSettings::default()
        };
        let shown = [
            format!("{viettel:?} {viettel:#?}"),
            format!("{:?}", ProviderSettings::Viettel(viettel.clone())),
            format!("{:?}", AnyProvider::new(ProviderSettings::Viettel(viettel)).unwrap()),
            format!("{easy:?} {easy:#?}"),
            format!("{vnpt:?} {vnpt:#?}"),
            format!("{:?}", ProviderSettings::EasyInvoice(easy.clone())),
            format!("{:?}", ProviderSettings::Vnpt(vnpt.clone())),
            format!("{:?}", EasyInvoiceClient::new(easy.clone()).unwrap()),
            format!("{:?}", VnptClient::new(vnpt.clone()).unwrap()),
            format!("{:?}", AnyProvider::new(ProviderSettings::EasyInvoice(easy)).unwrap()),
            format!("{:?}", AnyProvider::new(ProviderSettings::Vnpt(vnpt)).unwrap()),
        ];
        for text in shown {
            for password in ["ei-password-1", "vnpt-ac-password-2", "vnpt-password-3", "viettel-password-4"] {
                assert!(!text.contains(password), "{text}");
            }
            assert!(text.contains("***") && (text.contains("admin") || text.contains("service") || text.contains("0100109106-506")), "{text}");
        }
    }
}
