//! Viettel S-Invoice (SInvoice): JSON and form posts over HTTPS, a log-in token in a cookie.
//!
//! Written from `../shared/specs/viettel-sinvoice-facts.md`, which gathers what public
//! integrations (Odoo's `l10n_vn_edi_viettel` first) show of the API; Viettel's own document
//! is not public. The choices where those sources disagree or say nothing:
//!
//! - **Token**: `POST auth/login` answers `access_token` and `expires_in`; the token is kept
//!   until `expires_in` minus a margin and sent as the cookie `access_token=` (Odoo; one
//!   other client sends `Authorization: Bearer`, CONFLICT). An answer that says the token
//!   expired (HTTP 401, or HTTP 500 `GENERAL`, as Viettel reportedly answers) drops it, logs
//!   in again and sends that one call once more, only where sending it again cannot do
//!   anything twice: a read, or an invoice creation (its transaction id makes a second
//!   creation impossible, see below). A cancel or a payment mark answered 500 `GENERAL` is
//!   unclear (a 500 may come after the work was done) and is not repeated here.
//! - **Key ↔ transaction id**: `transactionUuid` is [`requests::transaction_uuid`] of the
//!   stored [`InvoiceKey`], a name-based UUID, so the look-up after a lost answer and any
//!   resend use the same id; Viettel refuses an id used once (`TRANSACTION_UUID_INVALID`),
//!   which is read as "maybe ours already": ask by key.
//! - **One invoice per call**: `createInvoice` takes one invoice. [`Provider::issue`] sends a
//!   batch one by one and stops at the first failure; see there. The queue sends one at a
//!   time anyway.
//! - **Calls naming an invoice** (PDF, cancel, adjust, replace, payment marks) need Viettel's
//!   `invoiceNo` and issue date, which the app does not store: the invoice is first looked
//!   up by its key ([`ViettelClient::lookup`]), so they use exactly what Viettel holds.
//! - **Drafts**: only one third-party client shows a draft call
//!   (`createOrUpdateInvoiceDraft`), none shows how to sign a draft by API, and a draft takes
//!   the transaction id its invoice would need later: [`Provider::draft`] and
//!   [`Provider::publish_drafts`] are refused (nothing is sent).

pub mod answers;
pub mod invoice_file;
pub mod requests;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hoadon_rules::Secret;
use serde_json::Value;

use crate::draft::{self, AdjustKind, DraftError, InvoiceDraft, InvoiceKey};
use crate::error::{Operation, ProviderError, Refusal};
use crate::http::{HttpAnswer, HttpRequest, Timeouts, Transport};
use crate::provider::{InvoiceRef, Provider};
use crate::status::{AccountInfo, CancelOutcome, InvoiceState, InvoiceStatus, Issued, IssuedList, IssuedSince, ListedInvoice, PatternSerial, ProviderKind, SignedDrafts, TaxCheck};

pub use answers::Found;
pub use requests::{Agreement, FileType, Original, Purpose};

/// Viettel's production API host; log-in and API are both under it.
pub const DEFAULT_BASE_URL: &str = "https://api-vinvoice.viettel.vn";

/// How many times the PDF is asked for while Viettel has not rendered it yet (Odoo: 3).
pub const FILE_ATTEMPTS: u32 = 3;

/// What the shop enters to connect to Viettel S-Invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViettelSettings {
    /// [`DEFAULT_BASE_URL`], or the simulator's loopback address in tests.
    pub base_url: String,
    /// The SInvoice account's user name.
    pub username: String,
    /// Its password.
    pub password: Secret,
    /// `supplierTaxCode`: the seller's tax code (mã số thuế), a branch suffix allowed
    /// (`0100109106-506`).
    pub supplier_tax_code: String,
    /// The template code (mẫu số) new invoices are made with, e.g. `1/001`. The app copies it
    /// into each draft and the client sends the draft's own, so an invoice keeps the symbol
    /// it was made with; [`Provider::verify_account`] checks that the account holds it.
    pub template_code: String,
    /// The series (ký hiệu) beside it, e.g. `C26TAA`; empty: not checked.
    pub series: String,
    /// `paymentStatus` of new invoices: a shop is paid at the counter.
    pub mark_paid_on_issue: bool,
    /// Viettel recommends waiting 60–90 s for an answer (Odoo waits 60 s, the default).
    pub timeouts: Timeouts,
}

impl Default for ViettelSettings {
    fn default() -> ViettelSettings {
        ViettelSettings {
            base_url: DEFAULT_BASE_URL.into(),
            username: String::new(),
            password: Secret::default(),
            supplier_tax_code: String::new(),
            template_code: "1/001".into(),
            series: String::new(),
            mark_paid_on_issue: true,
            timeouts: Timeouts::default(),
        }
    }
}

impl ViettelSettings {
    /// The seller's tax code as sent (trimmed).
    pub fn tax_code(&self) -> &str {
        self.supplier_tax_code.trim()
    }
}

/// Refuses, before sending, what Viettel would refuse or what this client cannot send: a
/// template code without its `/` (Viettel names templates `1/001`), the code of a
/// cash-register invoice (no Viettel field carries it), and column sizes.
pub fn check_draft(d: &InvoiceDraft) -> Result<(), DraftError> {
    draft::check_buyer(&d.buyer, &draft::BuyerLimits { name: 400, buyer_name: 100, address: 400, phone: 20, email: 255 })?;
    if !d.template.contains('/') {
        return Err(DraftError::BadSymbol {
            template: d.template.clone(),
            serial: d.serial.clone(),
            reason: "Viettel S-Invoice ghi mẫu số đầy đủ, ví dụ 1/001: hãy nhập mẫu số như trên trang quản trị của Viettel".into(),
        });
    }
    if d.tax_authority_code.is_some() {
        return Err(DraftError::NotOffered {
            field: "tax_authority_code",
            what: "mã của cơ quan thuế do máy tính tiền cấp",
            provider: "Viettel S-Invoice",
        });
    }
    for line in &d.lines {
        draft::check_text(&line.unit, "lines", "Đơn vị tính", 50)?;
    }
    Ok(())
}

/// A token and when to stop using it.
#[derive(Debug, Clone)]
struct Token {
    value: String,
    renew_at: Instant,
}

/// How long before its end a token is renewed: a minute (as one client measured it), or a
/// quarter of a short life.
fn margin(expires_in: u64) -> Duration {
    Duration::from_secs(if expires_in > 240 { 60 } else { expires_in / 4 })
}

/// A client of one Viettel S-Invoice account. Cheap to clone; clones share the connection
/// pool and the token.
#[derive(Clone)]
pub struct ViettelClient {
    settings: Arc<ViettelSettings>,
    transport: Transport,
    token: Arc<Mutex<Option<Token>>>,
}

impl std::fmt::Debug for ViettelClient {
    // The token is a credential: never in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViettelClient").field("settings", &self.settings).field("transport", &self.transport).finish_non_exhaustive()
    }
}

const P: ProviderKind = ProviderKind::Viettel;

/// The most `getListInvoiceDataControl` asks one list of the invoices issued since a day
/// takes (halving a cut-short range); what is left after is told as gaps.
pub const MAX_LIST_REQUESTS: u32 = 100;

/// Whether sending the call again after an expired-token answer cannot do anything twice.
fn safe_to_resend(op: Operation) -> bool {
    !op.writes() || matches!(op, Operation::Issue | Operation::Adjust | Operation::Replace)
}

impl ViettelClient {
    /// A client for the account in `settings`; nothing is sent until the first call.
    pub fn new(settings: ViettelSettings) -> Result<ViettelClient, ProviderError> {
        if settings.username.trim().is_empty() || settings.password.is_empty() {
            return Err(ProviderError::Settings { provider: P, detail: "chưa nhập tên đăng nhập hoặc mật khẩu".into() });
        }
        let tax = settings.tax_code();
        let shaped = match tax.split_once('-') {
            Some((head, branch)) => head.len() == 10 && branch.len() == 3 && (head.to_string() + branch).bytes().all(|b| b.is_ascii_digit()),
            None => matches!(tax.len(), 10 | 12 | 13) && tax.bytes().all(|b| b.is_ascii_digit()),
        };
        if !shaped {
            return Err(ProviderError::Settings {
                provider: P,
                detail: format!("Mã số thuế người bán «{tax}» không đúng dạng (10 chữ số, có thể thêm -001…-999 cho chi nhánh)"),
            });
        }
        let transport = Transport::new(P, &settings.base_url, settings.timeouts)?;
        Ok(ViettelClient { settings: Arc::new(settings), transport, token: Arc::new(Mutex::new(None)) })
    }

    /// The settings the client was made with.
    pub fn settings(&self) -> &ViettelSettings {
        &self.settings
    }

    /// The host the client talks to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The `transactionUuid` an invoice under `key` is created with (what Viettel's portal
    /// shows for it).
    pub fn transaction_uuid(key: &InvoiceKey) -> String {
        requests::transaction_uuid(key)
    }

    fn cached_token(&self) -> Option<String> {
        let guard = self.token.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().filter(|t| Instant::now() < t.renew_at).map(|t| t.value.clone())
    }

    fn forget_token(&self, value: &str) {
        let mut guard = self.token.lock().unwrap_or_else(|e| e.into_inner());
        if guard.as_ref().is_some_and(|t| t.value == value) {
            *guard = None;
        }
    }

    /// A valid token: the cached one, or a new log-in. Nothing about the invoice has been
    /// sent when this fails, so every failure is definite (an unclear log-in is reported
    /// as the provider unreachable).
    async fn token(&self, op: Operation) -> Result<String, ProviderError> {
        if let Some(t) = self.cached_token() {
            return Ok(t);
        }
        let login = self.log_in(op).await.map_err(|e| before_sending(op, e))?;
        let renew_at = Instant::now() + Duration::from_secs(login.expires_in).saturating_sub(margin(login.expires_in));
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = Some(Token { value: login.token.clone(), renew_at });
        Ok(login.token)
    }

    async fn log_in(&self, op: Operation) -> Result<answers::Login, ProviderError> {
        let answer = self.transport.send(op, requests::login(&self.settings)).await?;
        answers::login(op, answer.status, &answer.body)
    }

    /// Sends one call with a token; an expired-token answer renews the token and, where
    /// that is safe ([`safe_to_resend`]), sends the call once more.
    async fn exchange(&self, op: Operation, build: &(dyn Fn(&str) -> HttpRequest + Sync)) -> Result<HttpAnswer, ProviderError> {
        let token = self.token(op).await?;
        let answer = self.transport.send(op, build(&token)).await?;
        if !answers::token_expired(answer.status, &answer.body) {
            return Ok(answer);
        }
        self.forget_token(&token);
        // A 401 is a refusal before any work; a 500 is not, so only a call that cannot do
        // anything twice goes again.
        if answer.status != 401 && !safe_to_resend(op) {
            return Ok(answer);
        }
        tracing::info!(?op, status = answer.status, "Viettel: mã truy cập hết hạn, đăng nhập lại");
        let token = self.token(op).await?;
        let answer = self.transport.send(op, build(&token)).await?;
        if answers::token_expired(answer.status, &answer.body) {
            self.forget_token(&token);
        }
        Ok(answer)
    }

    async fn call(&self, op: Operation, key: Option<&InvoiceKey>, build: &(dyn Fn(&str) -> HttpRequest + Sync)) -> Result<Value, ProviderError> {
        let answer = self.exchange(op, build).await?;
        answers::read(op, answer.status, &answer.body, key)
    }

    /// `searchInvoiceByTransactionUuid`: what Viettel holds under `key`, or `None`.
    pub async fn lookup(&self, key: &InvoiceKey) -> Result<Option<Found>, ProviderError> {
        let op = Operation::Query;
        let s = &self.settings;
        match self.call(op, Some(key), &|t| requests::search(s, t, key)).await {
            Ok(v) => answers::found(op, &v),
            Err(ProviderError::Refused { refusal: Refusal::NotFound, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The invoice `invoice` names, with the number and date the other calls need; a key
    /// Viettel does not know is refused as not found for `op`.
    async fn numbered(&self, op: Operation, invoice: &InvoiceRef) -> Result<(Found, String, i64), ProviderError> {
        let not_found = || ProviderError::Refused {
            provider: P,
            op,
            code: answers::code::NOT_FOUND_DATA.into(),
            refusal: Refusal::NotFound,
            provider_message: None,
            keys: vec![invoice.key.to_string()],
        };
        let found = self.lookup(&invoice.key).await?.ok_or_else(not_found)?;
        let no = found.invoice_no.clone().ok_or_else(not_found)?;
        // The look-up answered without the date: that answer (a read) is what is unclear.
        let ms = found.issued_ms.ok_or_else(|| ProviderError::Malformed { provider: P, op: Operation::Query, detail: "tra cứu không cho ngày phát hành (issueDate)".into() })?;
        Ok((found, no, ms))
    }

    /// Creates one invoice from `draft` for `purpose`, dated now.
    async fn create(&self, op: Operation, draft: &InvoiceDraft, purpose: &Purpose<'_>) -> Result<Issued, ProviderError> {
        draft.validate()?;
        check_draft(draft)?;
        let s = &self.settings;
        let now = hoadon_rules::calendar::now().unix_timestamp();
        let v = self.call(op, Some(&draft.key), &|t| requests::create_invoice(s, t, draft, purpose, now)).await?;
        answers::issued(op, &v, &draft.key, &draft.template, &draft.serial)
    }

    /// Each draft sent on its own, every one of them whatever happened to the others, with
    /// the outcome of each in the order given.
    pub async fn issue_each(&self, drafts: &[InvoiceDraft]) -> Vec<Result<Issued, ProviderError>> {
        let mut out = Vec::with_capacity(drafts.len());
        for d in drafts {
            out.push(self.create(Operation::Issue, d, &Purpose::Original).await);
        }
        out
    }

    /// `cancelTransactionInvoice` with the owner's reason and agreement. An invoice Viettel
    /// already shows as cancelled (an earlier cancel whose answer was lost) is not sent again.
    pub async fn cancel_with(&self, invoice: &InvoiceRef, agreement: &Agreement) -> Result<CancelOutcome, ProviderError> {
        let op = Operation::Cancel;
        if agreement.reason.trim().is_empty() {
            return Err(ProviderError::Invalid(DraftError::MissingField { field: "cancel_reason", what: "Lý do hủy hóa đơn", provider: "Viettel S-Invoice" }));
        }
        let (found, no, ms) = self.numbered(op, invoice).await?;
        if answers::status_of(&found) == InvoiceStatus::Cancelled {
            return Ok(CancelOutcome::Cancelled);
        }
        let s = &self.settings;
        self.call(op, Some(&invoice.key), &|t| requests::cancel(s, t, &invoice.template, &no, ms, agreement)).await?;
        Ok(CancelOutcome::Cancelled)
    }

    /// [`Provider::adjust`] with the owner's agreement with the buyer.
    pub async fn adjust_with(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft, agreement: &Agreement) -> Result<Issued, ProviderError> {
        let op = Operation::Adjust;
        draft.validate()?;
        check_draft(draft)?;
        let (_, no, ms) = self.numbered(op, original).await?;
        let original = Original { invoice_no: no, issued_ms: ms, template: original.template.clone() };
        self.create(op, draft, &Purpose::Adjust { original: &original, kind, agreement }).await
    }

    /// [`Provider::replace`] with the owner's agreement with the buyer.
    pub async fn replace_with(&self, original: &InvoiceRef, draft: &InvoiceDraft, agreement: &Agreement) -> Result<Issued, ProviderError> {
        let op = Operation::Replace;
        draft.validate()?;
        check_draft(draft)?;
        let (_, no, ms) = self.numbered(op, original).await?;
        let original = Original { invoice_no: no, issued_ms: ms, template: original.template.clone() };
        self.create(op, draft, &Purpose::Replace { original: &original, agreement }).await
    }

    /// `getInvoiceRepresentationFile`: the invoice's file, asked for up to [`FILE_ATTEMPTS`]
    /// times (0.125 s, then 0.25 s apart, as Odoo does) while Viettel answers it empty; still
    /// empty, it is refused as [`Refusal::FileNotReady`] (ask again later).
    pub async fn file(&self, invoice: &InvoiceRef, file_type: FileType) -> Result<Vec<u8>, ProviderError> {
        let op = if file_type == FileType::Pdf { Operation::Pdf } else { Operation::DownloadXml };
        let (_, no, _) = self.numbered(op, invoice).await?;
        self.file_of(op, &invoice.key, &invoice.template, &no, file_type).await
    }

    /// The file of the invoice numbered `no` under `template`, as [`ViettelClient::file`].
    async fn file_of(&self, op: Operation, key: &InvoiceKey, template: &str, no: &str, file_type: FileType) -> Result<Vec<u8>, ProviderError> {
        let s = &self.settings;
        let invoice = InvoiceRef::new(key.clone(), template, "");
        for attempt in 1..=FILE_ATTEMPTS {
            let v = self.call(op, Some(&invoice.key), &|t| requests::representation_file(s, t, template, no, file_type)).await?;
            if let Some(bytes) = answers::file(op, &v)? {
                return Ok(bytes);
            }
            if attempt < FILE_ATTEMPTS {
                tokio::time::sleep(Duration::from_millis(125 * u64::from(attempt))).await;
            }
        }
        Err(ProviderError::Refused {
            provider: P,
            op,
            code: "fileToBytes".into(),
            refusal: Refusal::FileNotReady,
            provider_message: None,
            keys: vec![invoice.key.to_string()],
        })
    }

    /// What the file of the invoice numbered `no` states; `None` when Viettel has no file for
    /// it yet, or under the settings' template (the look-up does not name the template), or
    /// the file is not the tax authority's format: then the look-up's facts stand alone. An
    /// unclear answer is unclear for the look-up too.
    async fn facts_of(&self, key: &InvoiceKey, no: &str) -> Result<Option<invoice_file::InvoiceFacts>, ProviderError> {
        match self.file_of(Operation::Query, key, &self.settings.template_code, no, FileType::Zip).await {
            Ok(zip) => match invoice_file::read(&zip) {
                Ok(facts) => Ok(Some(facts)),
                Err(e) => {
                    tracing::warn!(%key, error = %e, "Viettel's invoice file is unreadable; comparing by the look-up alone");
                    Ok(None)
                }
            },
            Err(e) if e.is_unclear() => Err(e),
            Err(e) => {
                tracing::warn!(%key, error = %e, "no Viettel invoice file; comparing by the look-up alone");
                Ok(None)
            }
        }
    }

    /// `updatePaymentStatus`: marks the invoice paid. Viettel answers `NOT_FOUND_DATA` when
    /// it is paid already, so the invoice is looked up first (as Odoo does) and an invoice
    /// already paid is refused as [`Refusal::AlreadyPaid`] without a call.
    pub async fn mark_paid(&self, invoice: &InvoiceRef) -> Result<(), ProviderError> {
        self.payment(Operation::ConfirmPayment, invoice).await
    }

    /// `cancelPaymentStatus`: removes the paid mark; [`Refusal::AlreadyUnpaid`] when there is
    /// none.
    pub async fn mark_unpaid(&self, invoice: &InvoiceRef) -> Result<(), ProviderError> {
        self.payment(Operation::UnconfirmPayment, invoice).await
    }

    async fn payment(&self, op: Operation, invoice: &InvoiceRef) -> Result<(), ProviderError> {
        let to_paid = op == Operation::ConfirmPayment;
        let already = |provider_message: Option<String>| ProviderError::Refused {
            provider: P,
            op,
            code: answers::code::NOT_FOUND_DATA.into(),
            refusal: if to_paid { Refusal::AlreadyPaid } else { Refusal::AlreadyUnpaid },
            provider_message,
            keys: vec![invoice.key.to_string()],
        };
        let (found, no, ms) = self.numbered(op, invoice).await?;
        if answers::paid(&found) == Some(to_paid) {
            return Err(already(None));
        }
        let s = &self.settings;
        let result = if to_paid {
            self.call(op, Some(&invoice.key), &|t| requests::mark_paid(s, t, &invoice.template, &no, ms)).await
        } else {
            self.call(op, Some(&invoice.key), &|t| requests::mark_unpaid(s, t, &no, ms)).await
        };
        match result {
            Ok(_) => Ok(()),
            // The invoice was just found under this number: "no data" is the mark already set.
            Err(ProviderError::Refused { refusal: Refusal::NotFound, provider_message, .. }) => Err(already(provider_message)),
            Err(e) => Err(e),
        }
    }
}

/// A failure of the log-in, for a call that has sent nothing about the invoice yet: whatever
/// went wrong, nothing was done, so an unclear transport outcome becomes "unreachable".
fn before_sending(op: Operation, e: ProviderError) -> ProviderError {
    let detail = match &e {
        ProviderError::Timeout { seconds, .. } => format!("máy chủ không trả lời yêu cầu đăng nhập trong {seconds} giây"),
        ProviderError::ConnectionLost { detail, .. } => format!("mất kết nối khi đăng nhập: {detail}"),
        ProviderError::ServerError { http_status, .. } => format!("máy chủ lỗi khi đăng nhập (HTTP {http_status})"),
        ProviderError::Malformed { detail, .. } => format!("trả lời đăng nhập không đọc được: {detail}"),
        ProviderError::Refused { code, refusal, provider_message, keys, .. } => {
            return ProviderError::Refused { provider: P, op, code: code.clone(), refusal: refusal.clone(), provider_message: provider_message.clone(), keys: keys.clone() };
        }
        _ => return e,
    };
    ProviderError::Unreachable { provider: P, op, detail }
}

impl Provider for ViettelClient {
    fn kind(&self) -> ProviderKind {
        P
    }

    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError> {
        draft.validate()?;
        check_draft(draft)
    }

    /// Drafts are not created here (see the module doc), so nothing is ever a draft.
    fn lists_drafts(&self) -> bool {
        false
    }

    /// Logs in, then lists the templates of the seller's tax code, which proves the tax code
    /// belongs to the account, and checks that the template and series of the settings are
    /// among them ([`Refusal::PatternSerialMismatch`] when not).
    async fn verify_account(&self) -> Result<AccountInfo, ProviderError> {
        let op = Operation::VerifyAccount;
        let s = &self.settings;
        self.forget_cached();
        let v = self.call(op, None, &|t| requests::templates(s, t)).await?;
        let held = answers::templates(op, &v)?;
        let (template, series) = (s.template_code.trim(), s.series.trim());
        if !series.is_empty() && !held.iter().any(|p| p.pattern == template && p.serial == series) {
            let listed = held.iter().map(|p| format!("{} {}", p.pattern, p.serial)).collect::<Vec<_>>().join(", ");
            return Err(ProviderError::Refused {
                provider: P,
                op,
                code: answers::code::INVOICE_SERIAL_NOT_FOUND.into(),
                refusal: Refusal::PatternSerialMismatch,
                provider_message: Some(format!("tài khoản có: {}; Cài đặt ghi: {template} {series}", if listed.is_empty() { "(không có mẫu nào)".into() } else { listed })),
                keys: Vec::new(),
            });
        }
        Ok(AccountInfo { provider: P, company: None, tax_code: Some(s.tax_code().to_string()) })
    }

    /// `getAllInvoiceTemplates`: each template code with its series.
    async fn list_patterns(&self) -> Result<Vec<PatternSerial>, ProviderError> {
        let op = Operation::ListPatterns;
        let s = &self.settings;
        let v = self.call(op, None, &|t| requests::templates(s, t)).await?;
        answers::templates(op, &v)
    }

    /// `createInvoice`, one call per invoice (Viettel takes one), in order. Not "all or
    /// none": when one fails after others were issued, the answer is
    /// [`ProviderError::PartlyIssued`] (unclear: query each key) naming those issued, and the
    /// rest are not sent. A failure of the first is its own error, as for one invoice.
    async fn issue(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        draft::check_batch(drafts, usize::MAX)?;
        drafts.iter().try_for_each(check_draft)?;
        let mut issued = Vec::with_capacity(drafts.len());
        for d in drafts {
            match self.create(Operation::Issue, d, &Purpose::Original).await {
                Ok(i) => issued.push(i),
                Err(e) if issued.is_empty() => return Err(e),
                Err(e) => {
                    return Err(ProviderError::PartlyIssued { provider: P, op: Operation::Issue, issued, failed: d.key.to_string(), cause: Box::new(e) });
                }
            }
        }
        Ok(issued)
    }

    /// Refused: see the module doc.
    async fn draft(&self, _drafts: &[InvoiceDraft]) -> Result<(), ProviderError> {
        Err(ProviderError::Unsupported { provider: P, op: Operation::Draft })
    }

    /// Refused: see the module doc.
    async fn publish_drafts(&self, _keys: &[InvoiceKey]) -> Result<SignedDrafts, ProviderError> {
        Err(ProviderError::Unsupported { provider: P, op: Operation::PublishDrafts })
    }

    /// `searchInvoiceByTransactionUuid`, one call per key (it takes one); `NOT_FOUND_DATA`
    /// is [`InvoiceStatus::NotFound`].
    /// The look-up by transaction id, and for an invoice it finds, the amount, buyer and date
    /// its own file states ([`invoice_file`]): the look-up alone does not say them, and they
    /// are what tells this sale's invoice from another's under the same key.
    async fn query(&self, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let found = self.lookup(key).await?;
            let mut state = answers::state(key, found.as_ref());
            if let Some(no) = found.as_ref().and_then(|f| f.invoice_no.as_deref())
                && let Some(facts) = self.facts_of(key, no).await? {
                    state.amount = facts.amount.or(state.amount);
                    state.buyer = facts.buyer;
                    state.arising_date = facts.date.or(state.arising_date);
                }
            out.push(state);
        }
        Ok(out)
    }

    /// `getListInvoiceDataControl` from `since.from` to today. Every row comes back
    /// [`ListedInvoice::Unkeyed`]: Viettel lists the transaction id, a hash of the key. No
    /// client shows a page parameter, so a range whose `totalRows` is more than the answer
    /// carries is asked again in two halves, down to single days; a day still cut short is a
    /// gap. At most [`MAX_LIST_REQUESTS`] asks (a `totalRows` that counts what the list never
    /// shows would otherwise halve a year's range into 700 of them), and a failure after
    /// something was read keeps it: the days not read are gaps.
    async fn issued_since(&self, since: &IssuedSince) -> Result<IssuedList, ProviderError> {
        use hoadon_rules::calendar::format_date;
        let op = Operation::ListIssued;
        let s = &self.settings;
        let today = hoadon_rules::calendar::now().date();
        let mut rows = Vec::new();
        let mut gaps = Vec::new();
        let days = |(from, to): (time::Date, time::Date)| match from == to {
            true => format!("ngày {}", format_date(from)),
            false => format!("từ ngày {} đến ngày {}", format_date(from), format_date(to)),
        };
        // Earliest range last, so that it is asked first and the rows come by date.
        let mut ranges = vec![(since.from.min(today), today)];
        let mut asked = 0;
        while let Some((from, to)) = ranges.pop() {
            if asked == MAX_LIST_REQUESTS {
                ranges.push((from, to));
                gaps.extend(ranges.iter().rev().map(|&r| format!("{}: chưa đọc (đã hỏi {MAX_LIST_REQUESTS} lần)", days(r))));
                break;
            }
            asked += 1;
            let answer = match self.call(op, None, &|t| requests::list_invoices(s, t, from, to)).await {
                Ok(v) => answers::listed(op, &v).map(|listed| (answers::total_rows(&v), listed)),
                Err(e) => Err(e),
            };
            let (total, listed) = match answer {
                Ok(answer) => answer,
                Err(e) if asked == 1 => return Err(e),
                Err(e) => {
                    ranges.push((from, to));
                    gaps.extend(ranges.iter().rev().map(|&r| format!("{}: chưa đọc được ({e})", days(r))));
                    break;
                }
            };
            match total {
                Some(total) if total > listed.len() && from < to => {
                    let middle = from + time::Duration::days((to - from).whole_days() / 2);
                    ranges.push((middle.next_day().unwrap_or(to), to));
                    ranges.push((from, middle));
                    continue;
                }
                Some(total) if total > listed.len() => gaps.push(format!("{}: nhà cung cấp chỉ trả {} trong {total} hóa đơn", days((from, to)), listed.len())),
                _ => {}
            }
            rows.extend(listed);
        }
        Ok(IssuedList { invoices: answers::link(rows).into_iter().map(ListedInvoice::Unkeyed).collect(), gaps })
    }

    /// Cancels with [`requests::DEFAULT_CANCEL_REASON`] and no agreement (`NA`, now); the
    /// owner's own reason goes through [`ViettelClient::cancel_with`].
    async fn cancel(&self, invoice: &InvoiceRef) -> Result<CancelOutcome, ProviderError> {
        let now = hoadon_rules::calendar::now().unix_timestamp();
        self.cancel_with(invoice, &Agreement::none(now, requests::DEFAULT_CANCEL_REASON)).await
    }

    /// `createInvoice` with `adjustmentType` 5 and `adjustmentInvoiceType` 1 (money:
    /// increase or decrease) or 2 (information), the original named by Viettel's own number
    /// and date (looked up by key); no agreement (`NA`, now).
    async fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        let now = hoadon_rules::calendar::now().unix_timestamp();
        self.adjust_with(original, kind, draft, &Agreement::none(now, "")).await
    }

    /// `createInvoice` with `adjustmentType` 3; as [`Provider::adjust`] otherwise.
    async fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        let now = hoadon_rules::calendar::now().unix_timestamp();
        self.replace_with(original, draft, &Agreement::none(now, "")).await
    }

    /// From the look-up's `exchangeStatus` and `codeOfTax`.
    async fn tax_verdict(&self, invoice: &InvoiceRef) -> Result<Option<TaxCheck>, ProviderError> {
        Ok(self.lookup(&invoice.key).await?.as_ref().and_then(answers::tax_check))
    }

    /// `getInvoiceRepresentationFile` with `fileType` PDF ([`ViettelClient::file`]).
    async fn pdf(&self, invoice: &InvoiceRef) -> Result<Vec<u8>, ProviderError> {
        self.file(invoice, FileType::Pdf).await
    }

    /// No public client shows a call for it (Viettel e-mails the buyer named in
    /// `buyerEmail` itself): refused, nothing is sent.
    async fn send_notice(&self, _invoice: &InvoiceRef, _email: &str) -> Result<(), ProviderError> {
        Err(ProviderError::Unsupported { provider: P, op: Operation::SendNotice })
    }
}

impl ViettelClient {
    /// Drops the cached token, so that the next call logs in (checking the credentials).
    fn forget_cached(&self) {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ViettelSettings {
        ViettelSettings {
            base_url: "http://127.0.0.1:1".into(),
            username: "0100109106-506".into(),
            password: "pw".into(),
            supplier_tax_code: "0100109106-506".into(),
            template_code: "1/001".into(),
            series: "K24TUT".into(),
            ..Default::default()
        }
    }

    #[test]
    fn settings_are_checked_before_anything_is_sent() {
        assert!(ViettelClient::new(settings()).is_ok());
        for bad in ["", "12345", "0100109106-5", "01001091x6", "0100109106 506"] {
            let s = ViettelSettings { supplier_tax_code: bad.into(), ..settings() };
            assert!(matches!(ViettelClient::new(s), Err(ProviderError::Settings { .. })), "{bad}");
        }
        assert!(ViettelClient::new(ViettelSettings { password: "".into(), ..settings() }).is_err());
        assert!(ViettelClient::new(ViettelSettings { base_url: "http://api-vinvoice.viettel.vn".into(), ..settings() }).is_err());
        assert_eq!(ViettelSettings::default().base_url, "https://api-vinvoice.viettel.vn");
    }

    #[test]
    fn tokens_are_renewed_before_they_end() {
        assert_eq!(margin(1200), Duration::from_secs(60));
        assert_eq!(margin(600), Duration::from_secs(60));
        assert_eq!(margin(60), Duration::from_secs(15));
        assert_eq!(margin(0), Duration::ZERO);
    }

    #[test]
    fn only_calls_that_cannot_act_twice_are_resent() {
        for op in [Operation::Query, Operation::Pdf, Operation::ListPatterns, Operation::VerifyAccount, Operation::Issue, Operation::Adjust, Operation::Replace] {
            assert!(safe_to_resend(op), "{op:?}");
        }
        for op in [Operation::Cancel, Operation::ConfirmPayment, Operation::UnconfirmPayment] {
            assert!(!safe_to_resend(op), "{op:?}");
        }
    }

    #[test]
    fn a_failed_log_in_is_definite() {
        let op = Operation::Issue;
        for e in [
            ProviderError::Timeout { provider: P, op, seconds: 60 },
            ProviderError::ServerError { provider: P, op, http_status: 502 },
            ProviderError::Malformed { provider: P, op, detail: "x".into() },
        ] {
            let mapped = before_sending(op, e);
            assert!(!mapped.is_unclear(), "{mapped:?}");
            assert!(mapped.to_string().contains("đăng nhập"), "{mapped}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let c = ViettelClient::new(settings()).unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("\"pw\"") && shown.contains("***"), "{shown}");
    }
}
