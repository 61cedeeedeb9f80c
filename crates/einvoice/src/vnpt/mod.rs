//! VNPT Invoice: SOAP 1.1 web services, three `.asmx` services on the tenant's host.
//!
//! Most calls follow `../shared/specs/vnpt-invoice-webservice.txt`. Drafts are not in it:
//! `ImportInvByPattern` ("Thêm mới hóa đơn theo mẫu số, ký hiệu") and `PublishInvFkey`
//! ("Phát hành hóa đơn theo danh sách fkey truyền vào") follow VNPT's public web-service
//! document, which gives their parameters, answers and error codes. Where that document is
//! loose (it copies the publish answer for drafts, which have no number yet, and prints
//! spaces inside `OK:#Fkey1 _1`), [`answers`] reads both forms.

pub mod answers;
pub mod requests;
pub mod wsdl;

use std::sync::Arc;

use hoadon_rules::Secret;
use time::Date;

use crate::draft::{self, check_batch, check_keys, AdjustKind, DraftError, InvoiceDraft, InvoiceKey};
use crate::error::{Operation, ProviderError};
use crate::http::{check_status, HttpRequest, Timeouts, Transport};
use crate::provider::{InvoiceRef, Provider};
use crate::status::{AccountInfo, CancelOutcome, InvoiceState, Issued, IssuedList, IssuedSince, ListedInvoice, PatternSerial, ProviderKind, SeriesMark, SignedDrafts, TaxCheck};

pub use requests::{Customer, Service};

/// At most 5000 invoices per `ImportAndPublishInv` or `ImportInvByPattern` batch.
pub const MAX_BATCH: usize = 5000;

/// At most 200 keys per `PublishInvFkey`.
pub const MAX_PUBLISH_KEYS: usize = 200;

/// Numbers asked per `listInvFromNoToNo`: the document's "tối đa lấy ra 100 hóa đơn".
pub const NUMBERS_PER_LIST: u64 = 100;

/// The highest invoice number (TT78 numbers have at most 8 digits).
pub const MAX_NUMBER: u64 = 99_999_999;

/// The most `listInvFromNoToNo` windows read per series (100 000 invoices): a restore is
/// never an endless walk.
pub const MAX_LISTS: u32 = 1000;

/// What VNPT hands the shop when it sets up the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VnptSettings {
    /// The tenant's host, e.g. `https://0312345678-tt78admindemo.vnpt-invoice.com.vn` (test)
    /// or the production host VNPT gives; the `.asmx` paths are added here.
    pub base_url: String,
    /// `Account` / `ACpass`: the staff account allowed to issue.
    pub account: String,
    /// The staff account's password (`ACpass`).
    pub ac_password: Secret,
    /// `username` / `password`: the account allowed to call the service.
    pub username: String,
    /// The service account's password.
    pub password: Secret,
    /// Default template (mẫu số), e.g. `1/001`.
    pub pattern: String,
    /// Default symbol (ký hiệu), e.g. `C26TAA`.
    pub serial: String,
    /// `convert`: 0 (text already in Unicode). 1 only for TCVN3 data, which the app never has.
    pub convert: u8,
    /// `PaymentStatus` of new invoices: a shop is paid at the counter.
    pub mark_paid_on_issue: bool,
    /// The tenant's own parameter names, per operation, where its WSDL names them otherwise
    /// than the published one (read by [`VnptClient::compare_wsdl`]); empty: the published.
    pub param_names: std::collections::BTreeMap<String, Vec<String>>,
    /// Connect and request time limits.
    pub timeouts: Timeouts,
}

/// Refuses, before sending, what VNPT refuses: document 004 marks `CusCode`, `CusName` and
/// `CusAddress` required, so a named buyer without an address cannot be invoiced (a walk-in
/// buyer states that no address was given: [`requests::WALK_IN_ADDRESS`]). Column sizes
/// follow the document's customer fields.
pub fn check_draft(d: &InvoiceDraft) -> Result<(), DraftError> {
    draft::check_buyer(&d.buyer, &draft::BuyerLimits { name: 400, buyer_name: 100, address: 400, phone: 20, email: 255 })?;
    if !d.buyer.walk_in && d.buyer.address.trim().is_empty() {
        return Err(DraftError::MissingBuyerField { field: "customer.address", what: "Địa chỉ người mua", what_lower: "địa chỉ người mua", provider: "VNPT Invoice" });
    }
    Ok(())
}

/// A client of one VNPT tenant. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct VnptClient {
    settings: Arc<VnptSettings>,
    transport: Transport,
}

const P: ProviderKind = ProviderKind::Vnpt;

/// A key no invoice will ever have, used to check the credentials with a harmless lookup.
const PROBE_KEY: &str = "hoadon-kiem-tra-tai-khoan";

impl VnptClient {
    /// Checks that the service account is filled in and builds the client; nothing is sent.
    pub fn new(settings: VnptSettings) -> Result<VnptClient, ProviderError> {
        if settings.username.trim().is_empty() || settings.password.is_empty() {
            return Err(ProviderError::Settings { provider: P, detail: "chưa nhập tên đăng nhập hoặc mật khẩu gọi dịch vụ".into() });
        }
        let transport = Transport::new(P, &settings.base_url, settings.timeouts)?;
        Ok(VnptClient { settings: Arc::new(settings), transport })
    }

    /// The settings the client was built with.
    pub fn settings(&self) -> &VnptSettings {
        &self.settings
    }

    /// The tenant's base URL, as normalised by the transport.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Sends one SOAP call and returns the text of its `…Result`.
    async fn call(&self, op: Operation, operation: &str, request: HttpRequest) -> Result<String, ProviderError> {
        let answer = self.transport.send(op, request).await?;
        // ASP.NET refuses a request it cannot read (an unknown parameter, a wrong
        // namespace) with HTTP 500 and a `soap:Client` fault, before running the operation:
        // that is certain, unlike `soap:Server`, which may come after the work was done.
        if answer.status == 500
            && let Some(reason) = answers::client_fault(&answer.body) {
                return Err(ProviderError::Refused {
                    provider: P,
                    op,
                    code: "soap:Client".into(),
                    refusal: crate::Refusal::RequestNotUnderstood,
                    provider_message: Some(reason),
                    keys: Vec::new(),
                });
            }
        check_status(P, op, &answer)?;
        let body = String::from_utf8(answer.body).map_err(|_| ProviderError::Malformed { provider: P, op, detail: "trả lời không phải UTF-8".into() })?;
        answers::soap_result(op, operation, &body)
    }

    fn malformed(op: Operation, detail: String) -> ProviderError {
        ProviderError::Malformed { provider: P, op, detail }
    }

    /// Reads the tenant's three `?wsdl` and compares them with the calls the client makes
    /// ([`requests::CALLS`]): what differs, and the tenant's names to use instead.
    pub async fn compare_wsdl(&self) -> Result<wsdl::Comparison, ProviderError> {
        let op = Operation::VerifyAccount;
        let mut tenant = wsdl::Operations::new();
        for service in [Service::Publish, Service::Business, Service::Portal] {
            let request = HttpRequest { method: "GET", path: format!("{}?wsdl", service.path()), headers: Vec::new(), body: String::new() };
            let answer = self.transport.send(op, request).await?;
            check_status(P, op, &answer)?;
            let text = String::from_utf8(answer.body).map_err(|_| Self::malformed(op, "WSDL không phải UTF-8".into()))?;
            let ops = wsdl::operations(&text).map_err(|e| Self::malformed(op, format!("{}: {e}", service.path())))?;
            tenant.extend(ops);
        }
        let ours: Vec<(&str, &[&str])> = requests::CALLS.iter().map(|(_, name, params)| (*name, *params)).collect();
        Ok(wsdl::compare(&ours, &tenant))
    }

    /// `ImportAndPublishInvMTT`: creates and signs up to 5000 invoices from a cash register,
    /// all or none; the answer carries each one's tax-authority code.
    pub async fn issue_cash_register(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        self.publish(Operation::IssueCashRegister, "ImportAndPublishInvMTT", drafts).await
    }

    async fn publish(&self, op: Operation, operation: &str, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        check_batch(drafts, MAX_BATCH)?;
        for d in drafts {
            check_draft(d)?;
        }
        let request = if op == Operation::IssueCashRegister {
            requests::import_and_publish_inv_mtt(&self.settings, drafts)
        } else {
            requests::import_and_publish_inv(&self.settings, drafts)
        };
        let keys: Vec<InvoiceKey> = drafts.iter().map(|d| d.key.clone()).collect();
        let text = self.call(op, operation, request).await?;
        answers::check(op, &text, &keys)?;
        let items = answers::parse_published(&text, op == Operation::IssueCashRegister).map_err(|e| Self::malformed(op, e))?;
        answers::issued_for(op, items, &keys)
    }

    /// `listInvByCusFkey(key, fromDate, toDate)`.
    pub async fn list_by_key(&self, key: &InvoiceKey, from: Option<Date>, to: Option<Date>) -> Result<Vec<InvoiceState>, ProviderError> {
        self.list_by_key_as(Operation::ListByKey, key, from, to).await
    }

    async fn list_by_key_as(&self, op: Operation, key: &InvoiceKey, from: Option<Date>, to: Option<Date>) -> Result<Vec<InvoiceState>, ProviderError> {
        let text = self.call(op, "listInvByCusFkey", requests::list_inv_by_cus_fkey(&self.settings, key, from, to)).await?;
        answers::check(op, &text, std::slice::from_ref(key))?;
        answers::parse_list(key, &text).map_err(|e| Self::malformed(op, e))
    }

    /// `listInvFromNoToNo`, window after window of [`NUMBERS_PER_LIST`] numbers from the one
    /// after `mark.last_number`, until a window lists nothing (VNPT numbers each series
    /// without gaps, so an empty window is the end) or after [`MAX_LISTS`] windows, when what
    /// lies beyond is a gap of the list. A failure after a window was read keeps what was read
    /// and says from which number on the rest is missing; one on the first window is the
    /// error.
    pub async fn invoices_numbered_after(&self, mark: &SeriesMark) -> Result<IssuedList, ProviderError> {
        let op = Operation::ListIssued;
        let mut list = IssuedList::default();
        let mut from = mark.last_number + 1;
        for window in 0..MAX_LISTS {
            if from > MAX_NUMBER {
                return Ok(list);
            }
            let to = (from + NUMBERS_PER_LIST - 1).min(MAX_NUMBER);
            let request = requests::list_inv_from_no_to_no(&self.settings, from, to, &mark.pattern, &mark.serial);
            let answer = match self.call(op, "listInvFromNoToNo", request).await {
                Ok(text) => match answers::check(op, &text, &[]) {
                    // Whether a tenant answers an empty range `<Data></Data>` or the bare
                    // "other error" is unverified: past a window that listed something, or
                    // after a number the shop already holds in the series (so it exists),
                    // either is the end.
                    Err(_) if (window > 0 || mark.last_number > 0) && answers::error_code(&text) == Some(None) => return Ok(list),
                    checked => checked.map(|()| text),
                },
                Err(e) => Err(e),
            };
            let text = match answer {
                Ok(text) => text,
                Err(e) if window == 0 => return Err(e),
                Err(e) => {
                    list.gaps.push(format!("ký hiệu {}: các hóa đơn từ số {from} trở đi chưa đọc được ({e})", mark.serial));
                    return Ok(list);
                }
            };
            let listed = answers::parse_numbered(&text).map_err(|e| Self::malformed(op, e))?;
            // Only numbers in the window move it on: a tenant that ignored the range would
            // otherwise be asked the same thing a thousand times.
            let in_window = |l: &ListedInvoice| l.symbol_and_number().1.filter(|n| (from..=to).contains(n));
            let Some(last) = listed.iter().filter_map(in_window).max() else { return Ok(list) };
            list.invoices.extend(listed.into_iter().filter(|l| in_window(l).is_some()));
            // A tenant may answer fewer than asked ("hoặc theo cấu hình trên từng app"): go on
            // from the last number it gave.
            from = last + 1;
        }
        list.gaps.push(format!(
            "ký hiệu {}: đã đọc {MAX_LISTS} lần danh sách, các hóa đơn từ số {from} trở đi chưa đọc",
            mark.serial
        ));
        Ok(list)
    }

    /// `GetMCCQThueByFkeys`: what the tax authority said of each signed invoice. A key VNPT
    /// does not know yet (or a draft) has no verdict: it is left out.
    pub async fn tax_verdicts(&self, pattern: &str, keys: &[InvoiceKey]) -> Result<Vec<(InvoiceKey, TaxCheck)>, ProviderError> {
        let op = Operation::TaxVerdict;
        let text = self.call(op, "GetMCCQThueByFkeys", requests::get_mccq_thue_by_fkeys(&self.settings, pattern, keys)).await?;
        match answers::check(op, &text, keys) {
            Err(ProviderError::Refused { refusal: crate::Refusal::NotFound, .. }) => return Ok(Vec::new()),
            other => other?,
        }
        answers::parse_tax_verdicts(&text).map_err(|e| Self::malformed(op, e))
    }

    fn expect_ok(&self, op: Operation, text: &str, keys: &[InvoiceKey]) -> Result<(), ProviderError> {
        answers::check(op, text, keys)?;
        if answers::is_ok(text) {
            Ok(())
        } else {
            Err(Self::malformed(op, format!("trả lời «{}» không phải OK", text.chars().take(60).collect::<String>())))
        }
    }

    async fn change(&self, op: Operation, operation: &str, request: HttpRequest, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        let keys = std::slice::from_ref(&draft.key);
        let text = self.call(op, operation, request).await?;
        answers::check(op, &text, keys)?;
        let item = answers::parse_changed(&text).map_err(|e| Self::malformed(op, e))?;
        answers::issued_for(op, vec![item], keys).map(|mut v| v.remove(0))
    }

    /// `downloadInvFkeyNoPay`: the signed invoice XML.
    pub async fn download_xml(&self, key: &InvoiceKey) -> Result<String, ProviderError> {
        let op = Operation::DownloadXml;
        let text = self.call(op, "downloadInvFkeyNoPay", requests::download_inv_fkey_no_pay(&self.settings, key)).await?;
        answers::check(op, &text, std::slice::from_ref(key))?;
        Ok(text)
    }

    /// `getInvViewFkey`: the invoice as HTML (only once paid, per the document).
    pub async fn view_html(&self, key: &InvoiceKey) -> Result<String, ProviderError> {
        let op = Operation::View;
        let text = self.call(op, "getInvViewFkey", requests::get_inv_view_fkey(&self.settings, key)).await?;
        answers::check(op, &text, std::slice::from_ref(key))?;
        Ok(text)
    }

    /// `confirmPaymentFkey`: marks the invoices paid.
    pub async fn confirm_payment(&self, keys: &[InvoiceKey]) -> Result<(), ProviderError> {
        let op = Operation::ConfirmPayment;
        let text = self.call(op, "confirmPaymentFkey", requests::confirm_payment_fkey(&self.settings, keys)).await?;
        self.expect_ok(op, &text, keys)
    }

    /// `UnConfirmPaymentFkey`: removes the paid mark.
    pub async fn unconfirm_payment(&self, keys: &[InvoiceKey]) -> Result<(), ProviderError> {
        let op = Operation::UnconfirmPayment;
        let text = self.call(op, "UnConfirmPaymentFkey", requests::unconfirm_payment_fkey(&self.settings, keys)).await?;
        self.expect_ok(op, &text, keys)
    }

    /// `UpdateCus`: saves customers; answers how many were imported or updated.
    pub async fn update_customers(&self, customers: &[Customer]) -> Result<u32, ProviderError> {
        let op = Operation::UpdateCustomers;
        let text = self.call(op, "UpdateCus", requests::update_cus(&self.settings, customers)).await?;
        answers::update_cus(op, &text)
    }

    /// `reportInvUsed`: the quarterly report of invoice usage, as VNPT's XML.
    pub async fn report_usage(&self, year: i32, quarter: u8) -> Result<String, ProviderError> {
        let op = Operation::ReportUsage;
        let today = hoadon_rules::calendar::now().date();
        let current = today.year() == year && (u8::from(today.month()) - 1) / 3 + 1 == quarter;
        let text = self.call(op, "reportInvUsed", requests::report_inv_used(&self.settings, year, quarter, current)).await?;
        answers::check(op, &text, &[])?;
        Ok(text)
    }

    /// `reportMonth`: the monthly list of goods sold, as VNPT's XML.
    pub async fn report_month(&self, year: i32, month: u8) -> Result<String, ProviderError> {
        let op = Operation::ReportMonth;
        let text = self.call(op, "reportMonth", requests::report_month(&self.settings, year, month)).await?;
        answers::check(op, &text, &[])?;
        Ok(text)
    }
}

impl Provider for VnptClient {
    fn kind(&self) -> ProviderKind {
        P
    }

    fn check_draft(&self, draft: &InvoiceDraft) -> Result<(), DraftError> {
        draft.validate()?;
        check_draft(draft)
    }

    /// `listInvByCusFkey` leaves drafts out (a public server-side copy filters them), so
    /// "not found" there does not mean that a draft is gone.
    fn lists_drafts(&self) -> bool {
        false
    }

    /// VNPT has no "verify" call: a lookup of a key that cannot exist answers `ERR:1` for
    /// wrong credentials and `ERR:7` for a user without a company, and anything else proves
    /// the service account works. (`Account`/`ACpass` are only checked when issuing.)
    async fn verify_account(&self) -> Result<AccountInfo, ProviderError> {
        let probe = InvoiceKey::new(PROBE_KEY).expect("the probe key is valid");
        match self.list_by_key(&probe, None, None).await {
            Ok(_) => {}
            Err(ProviderError::Refused { refusal: crate::Refusal::NoPatternRegistered, .. }) => {}
            Err(ProviderError::Refused { op: _, code, refusal, provider_message, keys, .. }) => {
                return Err(ProviderError::Refused { provider: P, op: Operation::VerifyAccount, code, refusal, provider_message, keys });
            }
            Err(e) => return Err(e),
        }
        Ok(AccountInfo { provider: P, company: None, tax_code: None })
    }

    /// The tenant's patterns (`listPatternByCom`) and each one's serials
    /// (`getSerialByPattern`). The shape of `listPatternByCom`'s answer is unverified: when it
    /// cannot be read, the pattern of the settings is asked about instead.
    async fn list_patterns(&self) -> Result<Vec<PatternSerial>, ProviderError> {
        let op = Operation::ListPatterns;
        let text = self.call(op, "listPatternByCom", requests::list_pattern_by_com(&self.settings)).await?;
        answers::check(op, &text, &[])?;
        let patterns = answers::parse_patterns(&text).unwrap_or_else(|e| {
            tracing::info!(error = %e, "listPatternByCom unreadable; asking about the configured pattern");
            vec![self.settings.pattern.clone()]
        });
        let mut out = Vec::new();
        for pattern in patterns {
            let text = self.call(op, "getSerialByPattern", requests::get_serial_by_pattern(&self.settings, &pattern)).await?;
            if answers::error_code(&text) == Some(Some(20)) {
                continue; // a pattern without a serial in use
            }
            answers::check(op, &text, &[])?;
            for serial in answers::parse_serials(&text).map_err(|e| Self::malformed(op, e))? {
                out.push(PatternSerial { pattern: pattern.clone(), serial });
            }
        }
        Ok(out)
    }

    /// `ImportAndPublishInv`: creates and signs up to 5000 invoices, all or none. Invoices from a
    /// cash register (carrying the code the app gave each order) go through
    /// [`VnptClient::issue_cash_register`], which answers each one's tax-authority code back.
    async fn issue(&self, drafts: &[InvoiceDraft]) -> Result<Vec<Issued>, ProviderError> {
        if drafts.first().is_some_and(|d| d.tax_authority_code.is_some()) {
            self.issue_cash_register(drafts).await
        } else {
            self.publish(Operation::Issue, "ImportAndPublishInv", drafts).await
        }
    }

    /// `ImportInvByPattern`: creates up to 5000 invoices without signing them, all or none.
    /// They have no number until [`VnptClient::publish_drafts`]. VNPT never updates a draft
    /// under a key it already has: the same key again is a duplicate-key answer (unclear),
    /// so query by key rather than sending it again.
    async fn draft(&self, drafts: &[InvoiceDraft]) -> Result<(), ProviderError> {
        let op = Operation::Draft;
        check_batch(drafts, MAX_BATCH)?;
        for d in drafts {
            check_draft(d)?;
        }
        let keys: Vec<InvoiceKey> = drafts.iter().map(|d| d.key.clone()).collect();
        let text = self.call(op, "ImportInvByPattern", requests::import_inv_by_pattern(&self.settings, drafts)).await?;
        // ERR:13 on a draft import: VNPT already holds this key (as a draft or signed). Unsigned
        // drafts are not listed by listInvByCusFkey, so after a lost answer this is the only
        // sign that the first import arrived: for a single key it means "held", which is what
        // the import wanted. In a batch it does not say which key, so it stays unclear.
        if keys.len() == 1 && answers::error_code(&text) == Some(Some(13)) {
            tracing::info!(key = %keys[0], "VNPT already holds this draft (ERR:13)");
            return Ok(());
        }
        answers::check(op, &text, &keys)?;
        let items = answers::parse_drafted(&text).map_err(|e| Self::malformed(op, e))?;
        // An answer that leaves out a key sent says nothing certain about that key.
        answers::issued_for(op, items, &keys)?;
        Ok(())
    }

    /// `PublishInvFkey`: signs up to 200 drafts by key, under the settings' pattern and serial.
    /// The answer has three parts (keys not found, keys already signed, keys signed now):
    /// see [`answers::parse_signed_drafts`]. A key in none of them is unclear.
    async fn publish_drafts(&self, keys: &[InvoiceKey]) -> Result<SignedDrafts, ProviderError> {
        let op = Operation::PublishDrafts;
        check_keys(keys, MAX_PUBLISH_KEYS)?;
        let s = &self.settings;
        let text = self.call(op, "PublishInvFkey", requests::publish_inv_fkey(s, keys, &s.pattern, &s.serial)).await?;
        if !answers::is_three_part(&text) {
            answers::check(op, &text, keys)?;
        }
        let signed = answers::parse_signed_drafts(&text, &s.pattern, &s.serial).map_err(|e| Self::malformed(op, e))?;
        for key in keys {
            let told = signed.issued.iter().any(|i| &i.key == key) || signed.not_found.contains(key) || signed.already_signed.contains(key);
            if !told {
                return Err(Self::malformed(op, format!("trả lời không nói gì về mã {key}")));
            }
        }
        Ok(signed)
    }

    /// The state of each key, by `listInvByCusFkey` (one call per key: the service takes one).
    async fn query(&self, keys: &[InvoiceKey]) -> Result<Vec<InvoiceState>, ProviderError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let found = self.list_by_key_as(Operation::Query, key, None, None).await?;
            // A key that was replaced may list both invoices; the one under this key is the
            // first in VNPT's answer.
            out.push(found.into_iter().next().unwrap_or_else(|| InvoiceState::not_found(key.clone())));
        }
        Ok(out)
    }

    /// Every invoice numbered after each series mark ([`VnptClient::invoices_numbered_after`]);
    /// without marks, the settings' template and symbol from the first number. VNPT has no
    /// list by date for the whole company (`listInvByCus` wants one customer's code). A
    /// symbol of an earlier year is also asked under each later year's digits up to this
    /// one, from the first number (a backup from December restored in January: the shop went
    /// on under `C27TAA`); such a symbol the tenant refuses was never registered, so nothing
    /// was issued under it. One series refused while others answer is a gap.
    async fn issued_since(&self, since: &IssuedSince) -> Result<IssuedList, ProviderError> {
        let default = [SeriesMark { pattern: self.settings.pattern.clone(), serial: self.settings.serial.clone(), last_number: 0 }];
        let marks = if since.series.is_empty() { &default[..] } else { &since.series[..] };
        let mut list = IssuedList::default();
        let mut first_refusal = None;
        let mut answered = 0;
        for (mark, later_year) in with_later_years(marks, hoadon_rules::calendar::now().year()) {
            match self.invoices_numbered_after(&mark).await {
                Ok(found) => {
                    answered += 1;
                    list.invoices.extend(found.invoices);
                    list.gaps.extend(found.gaps);
                }
                // Wrong credentials refuse every series alike: the list as a whole failed.
                Err(e) if e.refusal() == Some(&crate::Refusal::LoginFailed) => return Err(e),
                // The bare "other error", as for a pattern and serial not registered: a
                // symbol worked out for a later year that the shop never took up. Anything
                // else (the service out of reach, a known refusal) is a gap like any other.
                Err(ProviderError::Refused { ref code, .. }) if later_year && code == "ERR" => {}
                Err(e) => {
                    tracing::warn!(error = %e, serial = %mark.serial, "one series of the VNPT list could not be read");
                    list.gaps.push(format!("ký hiệu {}: {e}", mark.serial));
                    first_refusal.get_or_insert(e);
                }
            }
        }
        match first_refusal {
            Some(e) if answered == 0 => Err(e),
            _ => Ok(list),
        }
    }

    /// `GetMCCQThueByFkeys` for one key (see [`VnptClient::tax_verdicts`]).
    async fn tax_verdict(&self, invoice: &InvoiceRef) -> Result<Option<TaxCheck>, ProviderError> {
        let verdicts = self.tax_verdicts(&invoice.template, std::slice::from_ref(&invoice.key)).await?;
        Ok(verdicts.into_iter().find(|(k, _)| k == &invoice.key).map(|(_, v)| v))
    }

    /// `cancelInv`.
    async fn cancel(&self, invoice: &InvoiceRef) -> Result<CancelOutcome, ProviderError> {
        let op = Operation::Cancel;
        let text = self.call(op, "cancelInv", requests::cancel_inv(&self.settings, &invoice.key)).await?;
        self.expect_ok(op, &text, std::slice::from_ref(&invoice.key)).map(|()| CancelOutcome::Cancelled)
    }

    /// `adjustInv`: the adjusting invoice, with its own key, for `original`.
    async fn adjust(&self, original: &InvoiceRef, kind: AdjustKind, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        draft.validate()?;
        check_draft(draft)?;
        self.change(Operation::Adjust, "adjustInv", requests::adjust_inv(&self.settings, &original.key, kind, draft), draft).await
    }

    /// `replaceInv`.
    async fn replace(&self, original: &InvoiceRef, draft: &InvoiceDraft) -> Result<Issued, ProviderError> {
        draft.validate()?;
        check_draft(draft)?;
        self.change(Operation::Replace, "replaceInv", requests::replace_inv(&self.settings, &original.key, draft), draft).await
    }

    /// `downloadInvPDFFkeyNoPay`: the PDF, decoded from base64.
    async fn pdf(&self, invoice: &InvoiceRef) -> Result<Vec<u8>, ProviderError> {
        let op = Operation::Pdf;
        let keys = std::slice::from_ref(&invoice.key);
        let text = self.call(op, "downloadInvPDFFkeyNoPay", requests::download_inv_pdf_fkey_no_pay(&self.settings, &invoice.key)).await?;
        answers::check(op, &text, keys)?;
        answers::parse_pdf(&text).map_err(|e| Self::malformed(op, e))
    }

    /// VNPT e-mails buyers from its portal; the document has no call for it.
    async fn send_notice(&self, _invoice: &InvoiceRef, _email: &str) -> Result<(), ProviderError> {
        Err(ProviderError::Unsupported { provider: P, op: Operation::SendNotice })
    }
}

/// The marks, each followed by its symbol under every later year up to `year` (from the first
/// number, `true`: worked out, not held) unless the marks hold that symbol already.
fn with_later_years(marks: &[SeriesMark], year: i32) -> Vec<(SeriesMark, bool)> {
    let mut out: Vec<(SeriesMark, bool)> = marks.iter().cloned().map(|m| (m, false)).collect();
    // As the symbol reads it: a serial held as `1C26TAA` or `c26taa` is `C26TAA`.
    let plain = |m: &SeriesMark| hoadon_rules::symbol::InvoiceSymbol::parse(&m.pattern, &m.serial).map(|s| s.serial).unwrap_or_else(|_| m.serial.clone());
    for mark in marks {
        let Ok(symbol) = hoadon_rules::symbol::InvoiceSymbol::parse(&mark.pattern, &mark.serial) else { continue };
        for later in symbol.year() + 1..=year {
            let serial = symbol.for_year(later).serial;
            if !out.iter().any(|(m, _)| m.pattern == mark.pattern && plain(m) == serial) {
                out.push((SeriesMark { pattern: mark.pattern.clone(), serial, last_number: 0 }, true));
            }
        }
    }
    out
}
