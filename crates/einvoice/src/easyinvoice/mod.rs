//! EasyInvoice (SoftDreams): JSON over HTTPS, the invoice as XML text inside the JSON.

pub mod answers;
pub mod requests;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::draft::{self, check_batch, AdjustKind, DraftError, InvoiceDraft, InvoiceKey};
use crate::error::{Operation, ProviderError};
use crate::http::{check_status, HttpAnswer, HttpRequest, Timeouts, Transport};
use crate::provider::{InvoiceRef, Provider};
use crate::status::{AccountInfo, CancelOutcome, InvoiceState, Issued, IssuedList, IssuedSince, ListedInvoice, PatternSerial, ProviderKind, SignedDrafts, TaxCheck};

pub use answers::Envelope;
use hoadon_rules::Secret;
pub use requests::AuthStamp;

/// At most 200 invoices per request.
pub const MAX_BATCH: usize = 200;

/// What the shop enters to connect to EasyInvoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EasyInvoiceSettings {
    /// e.g. `https://0312345678.easyinvoice.vn` (own host) or the shared API host.
    pub base_url: String,
    /// The account's user name, the first field of `Authentication`.
    pub username: String,
    /// The account's password; it signs the `Authentication` header and is never sent.
    pub password: Secret,
    /// On the shared host the seller's tax code is a sixth field of `Authentication`; on a
    /// host of the seller's own it is left out.
    pub seller_tax_code: Option<String>,
    /// Default template (mẫu số), e.g. `"1"`.
    pub pattern: String,
    /// Default symbol (ký hiệu), e.g. `"C26TAA"`.
    pub serial: String,
    /// Send `Pattern = "1C26TAA"`, `Serial = ""` (hosts on the 2026 rules) instead of
    /// `Pattern = "1"`, `Serial = "C26TAA"`.
    pub symbol_in_pattern: bool,
    /// Connect and request time limits.
    pub timeouts: Timeouts,
}

/// A client of one EasyInvoice account. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct EasyInvoiceClient {
    settings: Arc<EasyInvoiceSettings>,
    transport: Transport,
    fixed_stamp: Option<AuthStamp>,
}

const P: ProviderKind = ProviderKind::EasyInvoice;

impl EasyInvoiceClient {
    /// Checks the credentials' form and builds the client; nothing is sent.
    pub fn new(settings: EasyInvoiceSettings) -> Result<EasyInvoiceClient, ProviderError> {
        if settings.username.trim().is_empty() || settings.password.is_empty() {
            return Err(ProviderError::Settings { provider: P, detail: "chưa nhập tên đăng nhập hoặc mật khẩu".into() });
        }
        if let Some((_, problem)) = credential_problem(&settings.username, settings.password.expose(), settings.seller_tax_code.as_deref().unwrap_or("")) {
            return Err(ProviderError::Settings { provider: P, detail: problem });
        }
        let transport = Transport::new(P, &settings.base_url, settings.timeouts)?;
        Ok(EasyInvoiceClient { settings: Arc::new(settings), transport, fixed_stamp: None })
    }

    /// Signs every request with this stamp instead of the clock and a fresh nonce. For
    /// golden tests only: the provider refuses a stamp older than five minutes.
    pub fn with_fixed_stamp(mut self, stamp: AuthStamp) -> EasyInvoiceClient {
        self.fixed_stamp = Some(stamp);
        self
    }

    /// The settings the client was built with.
    pub fn settings(&self) -> &EasyInvoiceSettings {
        &self.settings
    }

    /// The base URL requests go to, as normalised by the transport.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The stamp for the next request: the current Unix time and a fresh nonce.
    pub fn stamp(&self) -> AuthStamp {
        if let Some(s) = &self.fixed_stamp {
            return s.clone();
        }
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        AuthStamp { timestamp, nonce: fresh_nonce() }
    }

    async fn call(&self, op: Operation, request: HttpRequest) -> Result<Envelope, ProviderError> {
        let answer = self.transport.send(op, request).await?;
        read_envelope(op, &answer)
    }

    /// Every invoice dated `from..=to` (ArisingDate) at the account, of any template, page by
    /// page (`getInvoiceByArisingDateRange`, at most [`MAX_PAGES`] pages of 100): what a shop
    /// restored from an older backup asks to find the invoices it issued since.
    pub async fn invoices_dated(&self, from: time::Date, to: time::Date) -> Result<Vec<InvoiceState>, ProviderError> {
        let op = Operation::ListIssued;
        let mut all = Vec::new();
        let mut page = 1;
        loop {
            let env = self.call(op, requests::get_invoices_by_arising_date(&self.settings, from, to, page, &self.stamp())).await?;
            let (states, pages) = answers::listed(op, &env)?;
            all.extend(states);
            if page >= pages.min(MAX_PAGES) {
                return Ok(all);
            }
            page += 1;
        }
    }
}

/// The most pages [`EasyInvoiceClient::invoices_dated`] reads (100 000 invoices): the
/// document advises a month per call for a busy shop; a longer range is cut, not endless.
pub const MAX_PAGES: u32 = 1000;

impl Provider for EasyInvoiceClient {
    fn kind(&self) -> ProviderKind {
        P
    }

    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError> {
        draft.validate()?;
        check_draft(draft)
    }

    async fn verify_account(&self) -> Result<AccountInfo, ProviderError> {
        let env = self.call(Operation::VerifyAccount, requests::verify_account(&self.settings, &self.stamp())).await?;
        let text = |name: &str| env.data.get(name).and_then(|v| v.as_str()).map(str::to_string).filter(|s| !s.is_empty());
        Ok(AccountInfo { provider: P, company: text("CompanyName"), tax_code: text("TaxCode") })
    }

    async fn list_patterns(&self) -> Result<Vec<PatternSerial>, ProviderError> {
        let op = Operation::ListPatterns;
        let env = self.call(op, requests::list_patterns(&self.settings, &self.stamp())).await?;
        answers::patterns(op, &env)
    }

    /// Creates and signs the invoices (`importAndIssueInvoice`), all or none.
    async fn issue(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        let op = Operation::Issue;
        check_batch(drafts, MAX_BATCH)?;
        drafts.iter().try_for_each(check_draft)?;
        let env = self.call(op, requests::import_and_issue(&self.settings, drafts, &self.stamp())).await?;
        let keys: Vec<InvoiceKey> = drafts.iter().map(|d| d.key.clone()).collect();
        answers::issued(op, &env, &keys, &drafts[0].template, &drafts[0].serial)
    }

    /// Creates unsigned invoices (`importInvoice`); the same key again updates them.
    async fn draft(&self, drafts: &[InvoiceDraft]) -> Result<(), ProviderError> {
        check_batch(drafts, MAX_BATCH)?;
        drafts.iter().try_for_each(check_draft)?;
        self.call(Operation::Draft, requests::import_invoice(&self.settings, drafts, &self.stamp())).await?;
        Ok(())
    }

    /// Signs invoices created as drafts (`issueInvoices`), under the settings' symbol.
    /// A key the answer reports as already signed is returned as such (ask by key).
    async fn publish_drafts(&self, keys: &[InvoiceKey]) -> Result<SignedDrafts, ProviderError> {
        let op = Operation::PublishDrafts;
        let s = &self.settings;
        match self.call(op, requests::issue_invoices(s, keys, &s.pattern, &s.serial, &self.stamp())).await {
            Ok(env) => Ok(SignedDrafts { issued: answers::issued(op, &env, keys, &s.pattern, &s.serial)?, ..Default::default() }),
            Err(ProviderError::DuplicateKey { keys: dups, .. }) => {
                let already_signed = keys.iter().filter(|k| dups.split(", ").any(|d| d == k.as_str())).cloned().collect();
                Ok(SignedDrafts { already_signed, ..Default::default() })
            }
            Err(e) => Err(e),
        }
    }

    /// `getInvoicesByIkeys`. When none of the keys is known the provider answers 404 with
    /// `ErrorCode` 128: every key is then "not found".
    async fn query(&self, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
        let op = Operation::Query;
        match self.call(op, requests::get_invoices_by_ikeys(&self.settings, keys, &self.stamp())).await {
            Ok(env) => answers::invoices(op, &env, keys),
            Err(ProviderError::Refused { refusal: crate::Refusal::NotFound, .. }) => Ok(keys.iter().cloned().map(InvoiceState::not_found).collect()),
            Err(e) => Err(e),
        }
    }

    /// Every invoice dated from `since.from` to today ([`EasyInvoiceClient::invoices_dated`]).
    async fn issued_since(&self, since: &IssuedSince) -> Result<IssuedList, ProviderError> {
        let today = hoadon_rules::calendar::now().date();
        let listed = self.invoices_dated(since.from.min(today), today).await?;
        Ok(IssuedList { invoices: listed.into_iter().map(ListedInvoice::Keyed).collect(), gaps: Vec::new() })
    }

    /// `getInvoicesByIkeys` carries `TCTCheckStatus` and the tax authority's code.
    async fn tax_verdict(&self, invoice: &InvoiceRef) -> Result<Option<TaxCheck>, ProviderError> {
        let states = self.query(std::slice::from_ref(&invoice.key)).await?;
        Ok(states.into_iter().next().and_then(|s| s.tax_check))
    }

    /// `cancelInvoice`. Since Decree 70/2025 EasyInvoice turns the cancel of an invoice the
    /// tax authority accepted (on a remote-signing account) into a replacement by a 0-đồng
    /// invoice, and answers with that invoice in `KeyInvoiceNo`: it is returned so that the
    /// app records it rather than believing the invoice cancelled.
    async fn cancel(&self, invoice: &InvoiceRef) -> Result<CancelOutcome, ProviderError> {
        let op = Operation::Cancel;
        let req = requests::cancel_invoice(&self.settings, &invoice.key, &invoice.template, &invoice.serial, &self.stamp());
        let env = self.call(op, req).await?;
        let numbers = answers::key_map(&env.data, "KeyInvoiceNo");
        let Some((new_key, _)) = numbers.iter().find(|(k, _)| k != invoice.key.as_str()) else {
            return Ok(CancelOutcome::Cancelled);
        };
        let new_key = InvoiceKey::new(new_key).map_err(|e| ProviderError::Malformed { provider: P, op, detail: e.to_string() })?;
        let issued = answers::issued(op, &env, std::slice::from_ref(&new_key), &invoice.template, &invoice.serial)?;
        Ok(CancelOutcome::Replaced(issued.into_iter().next().expect("one key asked, one answered")))
    }

    async fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        let op = Operation::Adjust;
        draft.validate()?;
        check_draft(draft)?;
        let env = self.call(op, requests::adjust_invoice(&self.settings, &original.key, kind, draft, &self.stamp())).await?;
        first(answers::issued(op, &env, std::slice::from_ref(&draft.key), &draft.template, &draft.serial)?)
    }

    async fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        let op = Operation::Replace;
        draft.validate()?;
        check_draft(draft)?;
        let env = self.call(op, requests::replace_invoice(&self.settings, &original.key, draft, &self.stamp())).await?;
        first(answers::issued(op, &env, std::slice::from_ref(&draft.key), &draft.template, &draft.serial)?)
    }

    /// The PDF of the invoice as the provider renders it.
    async fn pdf(&self, invoice: &InvoiceRef) -> Result<Vec<u8>, ProviderError> {
        let op = Operation::Pdf;
        let answer = self.transport.send(op, requests::get_invoice_pdf(&self.settings, &invoice.key, &self.stamp())).await?;
        if answer.status >= 500 || answer.status == 408 {
            check_status(P, op, &answer)?;
        }
        answers::pdf(op, answer.status, &answer.content_type, &answer.body)
    }

    /// `sendIssuanceNotice`. The answer is `Status` 2 even when the mail was not sent: the
    /// outcome of each key is a text in `KeyInvoiceMsg`, read by [`answers::notice_outcome`].
    async fn send_notice(&self, invoice: &InvoiceRef, email: &str) -> Result<(), ProviderError> {
        let op = Operation::SendNotice;
        let env = self.call(op, requests::send_issuance_notice(&self.settings, &invoice.key, email, &self.stamp())).await?;
        answers::notice_outcome(op, &env, &invoice.key)
    }
}

/// Reads the envelope whatever the HTTP status was: EasyInvoice answers refusals with 4xx
/// (and a failed log-in with 401) and a readable envelope. A 5xx or 408 is unclear whatever
/// its body says, except a log-in refusal, which is certain.
fn read_envelope(op: Operation, answer: &HttpAnswer) -> Result<Envelope, ProviderError> {
    match answers::parse_envelope(&answer.body) {
        Ok(env) if env.status == answers::STATUS_OK && (200..300).contains(&answer.status) => Ok(env),
        Ok(env) if env.status == answers::STATUS_OK => {
            check_status(P, op, answer)?;
            Ok(env)
        }
        Ok(env) => Err(answers::refusal(op, &env, answer.status)),
        Err(detail) => {
            check_status(P, op, answer)?;
            Err(ProviderError::Malformed { provider: P, op, detail })
        }
    }
}

/// What cannot travel in the `Authentication` header: a `:` (it separates the fields) or
/// anything but printable ASCII (header values are ASCII). `Some((field, sentence))` names
/// the setting to correct; nothing is sent with such a value.
pub fn credential_problem(username: &str, password: &str, seller_tax_code: &str) -> Option<(&'static str, String)> {
    let fields = [("username", "Tên đăng nhập", username), ("password", "Mật khẩu", password), ("seller_tax_code", "Mã số thuế người bán", seller_tax_code)];
    for (field, what, value) in fields {
        if value.contains(':') {
            return Some((field, format!("{what} của EasyInvoice có dấu hai chấm «:», mà dấu này ngăn cách các phần của tiêu đề xác thực nên EasyInvoice sẽ đọc sai. Hãy đổi {} ở EasyInvoice rồi nhập lại", what.to_lowercase())));
        }
        if value.chars().any(|c| !c.is_ascii() || c.is_ascii_control()) {
            return Some((field, format!("{what} của EasyInvoice có chữ có dấu hoặc ký tự đặc biệt, không gửi được trong tiêu đề xác thực (chỉ nhận chữ không dấu, chữ số và ký hiệu thường). Hãy đổi {} ở EasyInvoice rồi nhập lại", what.to_lowercase())));
        }
    }
    None
}

/// Refuses, before sending, what EasyInvoice refuses (document v8, VI.1): the column sizes of
/// the buyer's tags, and a buyer with a tax code but no address (`CusTaxCode` makes
/// `CusName` and `CusAddress` required).
pub fn check_draft(d: &InvoiceDraft) -> Result<(), DraftError> {
    draft::check_buyer(&d.buyer, &draft::BuyerLimits { name: 400, buyer_name: 100, address: 400, phone: 20, email: 255 })?;
    if d.buyer.tax_code.is_some() && d.buyer.address.trim().is_empty() {
        return Err(DraftError::MissingBuyerField { field: "customer.address", what: "Địa chỉ người mua", what_lower: "địa chỉ người mua", provider: "EasyInvoice (với người mua có mã số thuế)" });
    }
    if let Some(code) = &d.tax_authority_code {
        draft::check_text(code, "tax_authority_code", "Mã của cơ quan thuế (máy tính tiền)", 23)?;
    }
    for line in &d.lines {
        draft::check_text(&line.unit, "lines", "Đơn vị tính", 50)?;
    }
    if let Some(place) = &d.seller_location {
        draft::check_text(&place.code, "location_code", "Mã địa điểm kinh doanh", 5)?;
        draft::check_text(&place.name, "shop.name", "Tên cửa hàng (địa điểm kinh doanh)", 400)?;
        draft::check_text(&place.address, "shop.address", "Địa chỉ cửa hàng (địa điểm kinh doanh)", 400)?;
    }
    Ok(())
}

fn first(mut issued: Vec<Issued>) -> Result<Issued, ProviderError> {
    Ok(issued.remove(0))
}

/// 32 hexadecimal characters, different on every call. The nonce only has to be unique,
/// not secret (the password travels beside it), so the standard library's randomly keyed
/// hasher is enough and spares a dependency.
fn fresh_nonce() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let mut out = String::with_capacity(32);
    for _ in 0..2 {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(nanos);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_alphanumeric_and_fresh() {
        let a = fresh_nonce();
        let b = fresh_nonce();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
