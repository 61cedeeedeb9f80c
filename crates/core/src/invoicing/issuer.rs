//! The issuing state machine. See the module docs of `invoicing` for the rules it keeps.

use std::collections::HashSet;
use std::sync::Mutex;

use hoadon_einvoice::cash_register::{format_cash_register_code, CashRegisterKind};
use hoadon_einvoice::{AdjustKind, CancelOutcome, InvoiceDraft, InvoiceKey, InvoiceRef, InvoiceState, InvoiceStatus as ProviderStatus, Provider, ProviderError, SignedDrafts};
use hoadon_store::{AdjustmentDirection, EventKind, InvoiceRecord, InvoiceStatus, NewAdjustment, NewInvoice, Relation, SaleStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::account::{self, Expected};
use super::adjustment::AdjustmentForm;
use super::draft::draft_for_invoice;
use super::settings::Signing;
use crate::{Error, Result, SecretStore, Shop};

/// How many times one click sends, when each send ends unclear and the provider then says it
/// has no invoice under the key. After that the invoice waits in "Cần xử lý" for the queue.
const SENDS_PER_CLICK: usize = 2;

/// What one pass of the queue did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct QueueReport {
    /// Invoices that received their number in this pass.
    pub issued: u32,
    /// Invoices left for a later pass (the provider unreachable, or its answer unclear).
    pub still_waiting: u32,
    /// Invoices the provider refused for certain: they need the owner ("Cần xử lý").
    pub failed: u32,
    /// Drafts the owner signed with the token since the last look.
    pub drafts_signed: u32,
    /// "Trùng mã": the provider holds another sale's invoice under the key.
    pub key_conflicts: u32,
    /// Rows left waiting because they are bound to another account than the one configured.
    pub other_account: u32,
}

/// How a new invoice built from the sale changes an issued one ("Thay thế" or "Điều chỉnh
/// thông tin" on the invoice page). Adjustments of amounts take their own lines: see
/// [`Invoicer::adjust_amounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Change {
    /// A replacing invoice (hóa đơn thay thế) with the sale's current data.
    Replace,
    /// An adjusting invoice that corrects information only (điều chỉnh thông tin), no amounts.
    AdjustInformation,
}

/// What a successor invoice does to the invoice it names, as its row records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Successor {
    Replace,
    AdjustInformation,
    AdjustAmounts(AdjustmentDirection),
}

impl From<Change> for Successor {
    fn from(change: Change) -> Successor {
        match change {
            Change::Replace => Successor::Replace,
            Change::AdjustInformation => Successor::AdjustInformation,
        }
    }
}

impl Successor {
    /// `None` for an original invoice.
    fn of(row: &InvoiceRecord) -> Option<Successor> {
        match (row.relation, row.adjustment) {
            (Relation::Replace, _) => Some(Successor::Replace),
            (Relation::Adjust, None) => Some(Successor::AdjustInformation),
            (Relation::Adjust, Some(direction)) => Some(Successor::AdjustAmounts(direction)),
            (Relation::Original, _) => None,
        }
    }

    fn relation(self) -> Relation {
        match self {
            Successor::Replace => Relation::Replace,
            Successor::AdjustInformation | Successor::AdjustAmounts(_) => Relation::Adjust,
        }
    }

    /// `None` for a replacement.
    fn adjust_kind(self) -> Option<AdjustKind> {
        match self {
            Successor::Replace => None,
            Successor::AdjustInformation => Some(AdjustKind::Information),
            Successor::AdjustAmounts(AdjustmentDirection::Increase) => Some(AdjustKind::Increase),
            Successor::AdjustAmounts(AdjustmentDirection::Decrease) => Some(AdjustKind::Decrease),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Successor::Replace => "thay thế",
            Successor::AdjustInformation => "điều chỉnh thông tin",
            Successor::AdjustAmounts(AdjustmentDirection::Increase) => "điều chỉnh tăng",
            Successor::AdjustAmounts(AdjustmentDirection::Decrease) => "điều chỉnh giảm",
        }
    }
}

/// Issues, reconciles and cancels invoices. One per app: it remembers which sales have a
/// request out, so a second click while the first is on the wire waits instead of sending.
pub struct Invoicer {
    in_flight: Mutex<HashSet<i64>>,
    /// This invoicer's name in the rows it leases (`<host>/<pid>/<random>`): other processes
    /// and other invoicers skip a row it holds.
    owner: String,
}

impl Default for Invoicer {
    fn default() -> Invoicer {
        Invoicer { in_flight: Mutex::default(), owner: account::lease_owner() }
    }
}

/// Gives a row's lease up however the call ends.
struct Held<'a> {
    shop: &'a Mutex<Shop>,
    id: i64,
    owner: &'a str,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if let Err(e) = lock(self.shop).store().release_invoice(self.id, self.owner) {
            tracing::warn!(error = ?e, invoice = self.id, "could not release the lease; it expires by itself");
        }
    }
}

/// Runs `f` inside one IMMEDIATE transaction, committing whatever it wrote even when it
/// returns an error (a row marked refused stays marked): what it reads and claims is seen by
/// no other process half-way.
fn under_write_lock<T>(shop: &Shop, f: impl FnOnce() -> Result<T>) -> Result<T> {
    shop.store().in_transaction(|_| Ok(f()))?
}

/// Claims `row` for `owner` (see [`account`]); [`Error::InvoiceBusy`] when another sender
/// holds it. Call it under [`under_write_lock`], after reading the row's state.
fn claim(shop: &Shop, row: &InvoiceRecord, owner: &str) -> Result<()> {
    let now = hoadon_rules::calendar::now().unix_timestamp();
    if shop.store().claim_invoice(row.id, owner, now, now + account::LEASE_SECONDS, &account::holder_gone)? {
        Ok(())
    } else {
        tracing::info!(invoice = row.id, "leased by another sender; skipped");
        Err(Error::InvoiceBusy)
    }
}

/// Releases a sale from `in_flight` however the call ends.
struct Flight<'a> {
    set: &'a Mutex<HashSet<i64>>,
    sale_id: i64,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        self.set.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.sale_id);
    }
}

fn lock(shop: &Mutex<Shop>) -> std::sync::MutexGuard<'_, Shop> {
    shop.lock().unwrap_or_else(|p| p.into_inner())
}

/// What a send asks of the provider.
enum Request<'a> {
    /// A new invoice for the sale: signed by the provider, or with [`Signing::Token`] left
    /// unsigned (a draft) for the owner to sign in the provider's software.
    Issue { signing: Signing },
    /// A successor that replaces or adjusts `original`.
    Change { original: &'a InvoiceRecord, original_ref: InvoiceRef, successor: Successor },
}

/// What the provider holds under a key, once asked.
// Made once per invoice sent and matched at once: boxing the record would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Found {
    /// Nothing: sending is safe.
    Nothing,
    /// An invoice not signed yet (a draft): it is signed, never imported again.
    Unsigned,
    /// Issued or cancelled there; the row now says so.
    Settled(InvoiceRecord),
}

/// What a send achieved.
enum Sent {
    Issued(Option<hoadon_einvoice::Issued>),
    Drafted,
}

/// What to do first with an invoice row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Nothing was sent under this key (or the provider refused it clearly): send.
    Send,
    /// A request under this key may have reached the provider: ask before sending.
    AskFirst,
}

fn invoice_ref(inv: &InvoiceRecord) -> Result<InvoiceRef> {
    let key = InvoiceKey::new(&inv.key).map_err(|e| Error::field("key", e.to_string()))?;
    Ok(InvoiceRef::new(key, &inv.template, &inv.symbol))
}

/// What the owner is told after an unclear outcome: the row waits in "Cần xử lý" and the app
/// asks again by itself, so "Xuất hóa đơn" must not be pressed for a new invoice.
const WHERE_IT_WAITS: &str = "Ứng dụng sẽ tự kiểm tra lại với nhà cung cấp; hóa đơn đang ở mục «Cần xử lý» của màn hình Hóa đơn.";

fn provider_error(e: ProviderError) -> Error {
    Error::Provider { message: e.to_string(), unclear: e.is_unclear() }
}

/// A key no other invoice anywhere has: 80 bits from the OS random source (see
/// [`account::new_key`]). Rows written before keep the keys they were sent under.
fn new_key(_shop: &Shop, sale_id: i64) -> Result<String> {
    account::new_key(sale_id)
}

/// The device code of this cash register (setting `invoice.device`, 5 capitals or digits).
const DEFAULT_DEVICE: &str = "MAY01";

/// For a cash-register symbol (type letter `M`), the next code of this device:
/// `M<1|2>-<yy>-<device>-<11 digits>`, strictly increasing. `None` for other symbols.
fn cash_register_code(shop: &Shop, template: &str, serial: &str) -> hoadon_store::Result<Option<String>> {
    let Ok(symbol) = hoadon_rules::symbol::InvoiceSymbol::parse(template, serial) else { return Ok(None) };
    if !symbol.is_cash_register() {
        return Ok(None);
    }
    let Some(kind) = CashRegisterKind::for_template(symbol.template.digit()) else { return Ok(None) };
    let device = shop.store().setting("invoice.device")?.unwrap_or_else(|| DEFAULT_DEVICE.to_string());
    let yy: u8 = symbol.year_suffix().parse().unwrap_or(0);
    let sequence = shop.store().next_cash_register_sequence(&device)?;
    format_cash_register_code(kind, yy, &device, sequence)
        .map(Some)
        .map_err(|e| hoadon_store::StoreError::BadStoredValue(format!("cash register code: {e}")))
}

impl Invoicer {
    /// An issuer with no sale being sent yet; the app keeps one for its whole life.
    pub fn new() -> Invoicer {
        Invoicer::default()
    }

    fn take_off(&self, sale_id: i64) -> Result<Flight<'_>> {
        let mut set = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if !set.insert(sale_id) {
            return Err(Error::InvoiceBusy);
        }
        Ok(Flight { set: &self.in_flight, sale_id })
    }

    /// Extends this invoicer's lease on a row before the next requests; [`Error::InvoiceBusy`]
    /// when it was lost (it expired and another sender took it), so this one stops.
    fn renew(&self, shop: &Mutex<Shop>, id: i64) -> Result<()> {
        let until = hoadon_rules::calendar::now().unix_timestamp() + account::LEASE_SECONDS;
        if lock(shop).store().renew_invoice_lease(id, &self.owner, until)? {
            Ok(())
        } else {
            tracing::warn!(invoice = id, "lost the lease on the row; another sender has it");
            Err(Error::InvoiceBusy)
        }
    }

    /// "Xuất hóa đơn": issues the sale's invoice, or finds out that it already was.
    pub async fn issue<P: Provider>(&self, shop: &Mutex<Shop>, secrets: &SecretStore, provider: &P, sale_id: i64) -> Result<InvoiceRecord> {
        let _flight = self.take_off(sale_id)?;
        let (signing, draft_row) = {
            let shop = lock(shop);
            let live = shop.store().live_invoice_of_sale(sale_id)?;
            if let Some(row) = live.as_ref().filter(|r| !matches!(r.status, InvoiceStatus::Issued | InvoiceStatus::Failed)) {
                account::check_bound(&shop, row, &shop.invoice_account()?)?;
            }
            let settings = shop.invoice_settings(secrets)?;
            let (template, serial) = live.as_ref().map_or((&settings.template, &settings.serial), |i| (&i.template, &i.symbol));
            // An invoice from a cash register needs no seller's signature (it carries the
            // code the app gives each order instead), so no token waits for it either.
            let cash_register = hoadon_rules::symbol::InvoiceSymbol::parse(template, serial).is_ok_and(|s| s.is_cash_register());
            let signing = if cash_register { Signing::Provider } else { settings.signing };
            (signing, live.filter(|i| i.status == InvoiceStatus::Draft))
        };
        if let (Signing::Token, Some(row)) = (signing, draft_row) {
            // Only the owner's token can sign it: all the app can do is look.
            return Self::refresh_draft(shop, provider, row).await;
        }
        let (invoice, draft, plan) = {
            let shop = lock(shop);
            let current = shop.invoice_account()?;
            under_write_lock(&shop, || Self::prepare(&shop, secrets, sale_id, &self.owner, &current))?
        };
        let _held = Held { shop, id: invoice.id, owner: &self.owner };
        self.drive(shop, provider, invoice, draft, plan, Request::Issue { signing }).await
    }

    /// Creates or reuses the invoice row (with its key) and marks it `sending`, before anything
    /// is sent.
    ///
    /// Runs under [`under_write_lock`]: the row's state is read and the row claimed for
    /// `owner` in one IMMEDIATE transaction, so no other process sends it meanwhile. A row
    /// bound to another account than `current`, or in "Trùng mã", is not sent.
    fn prepare(shop: &Shop, secrets: &SecretStore, sale_id: i64, owner: &str, current: &str) -> Result<(InvoiceRecord, InvoiceDraft, Plan)> {
        let sale = shop.sale(sale_id)?;
        if sale.status == SaleStatus::Failed {
            return Err(Error::field("sale", "Đơn hàng thất bại hoặc đã bị khách hủy nên không xuất hóa đơn."));
        }
        let live = match shop.store().live_invoice_of_sale(sale_id)? {
            // Clearly refused at another account: it never became an invoice there, so it is
            // set aside and the sale goes to the account configured now, under a new key.
            Some(inv) if inv.status == InvoiceStatus::Failed && inv.replaces_id.is_none() && inv.account.as_deref().is_some_and(|a| a != current) => {
                shop.store().set_invoice_status(inv.id, InvoiceStatus::Cancelled, EventKind::Abandoned, "bị từ chối ở tài khoản hóa đơn cũ; xuất lại ở tài khoản đang cài đặt")?;
                None
            }
            other => other,
        };
        let (invoice, plan) = match live {
            Some(inv) if matches!(inv.status, InvoiceStatus::Issued) => {
                return Err(Error::AlreadyIssued { number: inv.number.unwrap_or_default(), symbol: format!("{}{}", inv.template, inv.symbol) });
            }
            Some(inv) if inv.replaces_id.is_some() => {
                return Err(Error::field("invoice", "Hóa đơn thay thế hoặc điều chỉnh của đơn hàng này đang chờ xử lý; hãy dùng «Kiểm tra lại» trên trang hóa đơn."));
            }
            Some(inv) if inv.status == InvoiceStatus::KeyConflict => return Err(Error::field("invoice", account::CONFLICT_MESSAGE)),
            Some(inv) if matches!(inv.status, InvoiceStatus::Sending | InvoiceStatus::NeedsReconcile | InvoiceStatus::Draft) => {
                (inv, Plan::AskFirst)
            }
            Some(inv) => (inv, Plan::Send),
            None => {
                let settings = shop.invoice_settings(secrets)?;
                let key = new_key(shop, sale_id)?;
                // The cash-register code is taken and stored with the row, in one transaction:
                // once used it is never given again, and a failed save gives it back.
                let inv = shop.store().in_transaction(|store| {
                    let tax_authority_code = cash_register_code(shop, &settings.template, &settings.serial)?;
                    store.create_invoice(&NewInvoice {
                        sale_id,
                        provider: settings.provider.code().to_string(),
                        key,
                        template: settings.template.clone(),
                        symbol: settings.serial.clone(),
                        status: InvoiceStatus::Queued,
                        tax_authority_code,
                        replaces_id: None,
                        relation: Relation::Original,
                        account: Some(current.to_string()),
                    })
                })?;
                (inv, Plan::Send)
            }
        };
        account::check_bound(shop, &invoice, current)?;
        claim(shop, &invoice, owner)?;
        let draft = match draft_for_invoice(shop, &sale, &invoice) {
            Ok(d) => d,
            Err(e) => {
                shop.store().set_invoice_status(invoice.id, InvoiceStatus::Failed, EventKind::Invalid, &e.user_message())?;
                shop.store().release_invoice(invoice.id, owner)?;
                return Err(e);
            }
        };
        shop.store().set_invoice_status(invoice.id, InvoiceStatus::Sending, EventKind::Sending, &format!("key {}", invoice.key))?;
        Ok((invoice, draft, plan))
    }

    /// Sends `draft` until the provider confirms it, asking by key first whenever the last
    /// outcome was unclear. One loop for every kind of request: a new invoice, a replacement,
    /// an adjustment.
    async fn drive<P: Provider>(&self, shop: &Mutex<Shop>, provider: &P, invoice: InvoiceRecord, draft: InvoiceDraft, plan: Plan, request: Request<'_>) -> Result<InvoiceRecord> {
        let id = invoice.id;
        let expected = Expected::of(&draft, &invoice);
        let mut ask_first = plan == Plan::AskFirst;
        let mut unsigned = false;
        let mut sends = 0;
        loop {
            self.renew(shop, id)?;
            if ask_first {
                match provider.query(std::slice::from_ref(&draft.key)).await {
                    Ok(states) => match Self::settle(shop, id, states.first(), &request, Some(&expected))? {
                        Found::Settled(done) => return Ok(done),
                        Found::Unsigned if matches!(request, Request::Issue { signing: Signing::Token }) => {
                            return Self::drafted(shop, id, "nhà cung cấp đã có hóa đơn nháp theo mã này");
                        }
                        Found::Unsigned => unsigned = true,
                        Found::Nothing => unsigned = false,
                    },
                    Err(e) => return Self::unclear(shop, id, e),
                }
            }
            if sends == SENDS_PER_CLICK {
                let message = "Chưa xác nhận được hóa đơn với nhà cung cấp sau nhiều lần gửi; ứng dụng sẽ tra cứu lại theo mã trước khi gửi tiếp.";
                lock(shop).store().set_invoice_status(id, InvoiceStatus::NeedsReconcile, EventKind::Waiting, message)?;
                return Err(Error::Provider { message: format!("{message} {WHERE_IT_WAITS}"), unclear: true });
            }
            sends += 1;
            let one = std::slice::from_ref(&draft);
            let mine = |issued: Vec<hoadon_einvoice::Issued>| Sent::Issued(issued.into_iter().find(|i| i.key == draft.key));
            // Signing a held draft: signed now, signed already (ask by key), or not there.
            let signed = |s: SignedDrafts| match s.issued.into_iter().find(|i| i.key == draft.key) {
                Some(i) => Ok(Sent::Issued(Some(i))),
                None if s.already_signed.contains(&draft.key) => Err(ProviderError::DuplicateKey {
                    provider: provider.kind(),
                    op: hoadon_einvoice::Operation::PublishDrafts,
                    keys: draft.key.to_string(),
                    code: "ERR:15".into(),
                }),
                None => Err(ProviderError::Refused {
                    provider: provider.kind(),
                    op: hoadon_einvoice::Operation::PublishDrafts,
                    code: "ERR:6".into(),
                    refusal: hoadon_einvoice::Refusal::DraftNotFound,
                    provider_message: None,
                    keys: vec![draft.key.to_string()],
                }),
            };
            let sent = match &request {
                Request::Issue { signing: Signing::Token } => provider.draft(one).await.map(|()| Sent::Drafted),
                // The provider holds it unsigned: sign that one, never import it again.
                Request::Issue { .. } if unsigned => provider.publish_drafts(std::slice::from_ref(&draft.key)).await.and_then(signed),
                Request::Issue { .. } => provider.issue(one).await.map(mine),
                Request::Change { original_ref, successor, .. } => match successor.adjust_kind() {
                    None => provider.replace(original_ref, &draft).await.map(|i| Sent::Issued(Some(i))),
                    Some(kind) => provider.adjust(original_ref, kind, &draft).await.map(|i| Sent::Issued(Some(i))),
                },
            };
            match sent {
                Ok(Sent::Drafted) => return Self::drafted(shop, id, "đã tạo hóa đơn nháp, chờ ký bằng USB Token"),
                Ok(Sent::Issued(got)) => {
                    let detail = match &got {
                        Some(i) => format!("{}{} số {}", i.pattern, i.serial, i.number),
                        None => "provider answered OK".into(),
                    };
                    let number = got.as_ref().map(|i| i.number as i64);
                    Self::confirmed(shop, &request, id, number, got.as_ref().and_then(|i| i.tax_authority_code.as_deref()), None, &detail)?;
                    Self::fetch_lookup_code(shop, provider, id, &draft.key).await;
                    return Ok(lock(shop).store().invoice(id)?);
                }
                Err(e) if e.is_unclear() => {
                    tracing::warn!(invoice = id, error = %e, "unclear outcome: asking the provider by key");
                    lock(shop).store().set_invoice_status(id, InvoiceStatus::NeedsReconcile, EventKind::Unclear, &e.to_string())?;
                    ask_first = true;
                }
                Err(e) => {
                    let unreachable = matches!(e, ProviderError::Unreachable { .. });
                    let status = if unreachable { InvoiceStatus::Queued } else { InvoiceStatus::Failed };
                    lock(shop).store().set_invoice_status(id, status, if unreachable { EventKind::Queued } else { EventKind::Refused }, &e.to_string())?;
                    return Err(provider_error(e));
                }
            }
        }
    }

    /// Records what the provider confirmed; a replacement or adjustment also marks the
    /// invoice it changes, in the same transaction.
    fn confirmed(shop: &Mutex<Shop>, request: &Request<'_>, id: i64, number: Option<i64>, tax_authority_code: Option<&str>, lookup_code: Option<&str>, detail: &str) -> Result<()> {
        let shop = lock(shop);
        shop.store().in_transaction(|s| {
            s.record_issued(id, number, tax_authority_code, lookup_code, detail)?;
            if let Request::Change { original, successor, .. } = request {
                let (status, event) = match successor {
                    Successor::Replace => (InvoiceStatus::Replaced, EventKind::Replaced),
                    Successor::AdjustInformation | Successor::AdjustAmounts(_) => (InvoiceStatus::Adjusted, EventKind::Adjusted),
                };
                s.set_invoice_status(original.id, status, event, &format!("bởi hóa đơn số {}", number.unwrap_or_default()))?;
            }
            Ok(())
        })?;
        tracing::info!(invoice = id, %detail, "issued");
        Ok(())
    }

    /// The look-up code ("Mã tra cứu") the buyer needs: not every issue answer carries it
    /// (VNPT's does not), so ask once. Best effort: the invoice is issued either way.
    async fn fetch_lookup_code<P: Provider>(shop: &Mutex<Shop>, provider: &P, id: i64, key: &InvoiceKey) {
        if let Ok(states) = provider.query(std::slice::from_ref(key)).await
            && let Some(code) = states.into_iter().next().and_then(|s| s.lookup_code) {
                let shop = lock(shop);
                if let Err(e) = shop.store().record_lookup_code(id, &code) {
                    tracing::warn!(error = ?e, invoice = id, "could not store the look-up code");
                }
            }
    }

    /// Applies what the provider says about the key.
    ///
    /// Whatever it holds is first compared with `expected` (this sale's amount and dates):
    /// another sale's invoice under the same key is a "Trùng mã", never this sale's invoice.
    fn settle(shop: &Mutex<Shop>, id: i64, state: Option<&InvoiceState>, request: &Request<'_>, expected: Option<&Expected>) -> Result<Found> {
        let Some(state) = state else { return Ok(Found::Nothing) };
        if let Some(diff) = expected.and_then(|e| e.differs(state)) {
            let shop = lock(shop);
            shop.store().record_key_conflict(id, &diff, account::CONFLICT_MESSAGE)?;
            tracing::error!(invoice = id, key = %state.key, %diff, "key conflict: the provider holds another invoice under this key");
            return Ok(Found::Settled(shop.store().invoice(id)?));
        }
        match state.status {
            ProviderStatus::NotFound | ProviderStatus::Unsigned => {
                lock(shop).store().append_invoice_event(id, EventKind::Reconciled, &format!("provider: {}", state.status.label()))?;
                Ok(if state.status == ProviderStatus::Unsigned { Found::Unsigned } else { Found::Nothing })
            }
            ProviderStatus::Cancelled => {
                let shop = lock(shop);
                shop.store().set_invoice_status(id, InvoiceStatus::Cancelled, EventKind::Reconciled, "nhà cung cấp báo hóa đơn đã hủy")?;
                Ok(Found::Settled(shop.store().invoice(id)?))
            }
            _ => {
                let detail = format!("reconciled: {} số {}", state.status.label(), state.number.unwrap_or_default());
                Self::confirmed(shop, request, id, state.number.map(|n| n as i64), None, state.lookup_code.as_deref(), &detail)?;
                Ok(Found::Settled(lock(shop).store().invoice(id)?))
            }
        }
    }

    /// The provider holds the invoice unsigned, waiting for the owner's token.
    fn drafted(shop: &Mutex<Shop>, id: i64, detail: &str) -> Result<InvoiceRecord> {
        let shop = lock(shop);
        shop.store().set_invoice_status(id, InvoiceStatus::Draft, EventKind::Drafted, detail)?;
        tracing::info!(invoice = id, "drafted");
        Ok(shop.store().invoice(id)?)
    }

    /// Asks the provider about drafts waiting for the owner's token, in one call: a signed one
    /// gets its number, a cancelled one is marked, and one the provider no longer has is
    /// refused (it was deleted there) so that "Xuất hóa đơn" can create it again. A draft
    /// still unsigned is left as it is, with no event, however often the queue looks.
    async fn refresh_drafts<P: Provider>(shop: &Mutex<Shop>, provider: &P, drafts: &[InvoiceRecord]) -> Result<u32> {
        let keys = drafts.iter().map(|d| invoice_ref(d).map(|r| r.key)).collect::<Result<Vec<_>>>()?;
        if keys.is_empty() {
            return Ok(0);
        }
        let states = provider.query(&keys).await.map_err(provider_error)?;
        let mut signed = 0;
        for (row, state) in drafts.iter().zip(&states) {
            let request = Request::Issue { signing: Signing::Token };
            match state.status {
                ProviderStatus::Unsigned => {}
                // Not listed is what an unsigned draft looks like there: it still waits.
                ProviderStatus::NotFound if !provider.lists_drafts() => {}
                ProviderStatus::NotFound => {
                    let message = "Nhà cung cấp không còn hóa đơn nháp này (đã bị xóa trên phần mềm hóa đơn). Bấm «Xuất hóa đơn» để tạo lại.";
                    lock(shop).store().set_invoice_status(row.id, InvoiceStatus::Failed, EventKind::DraftGone, message)?;
                }
                _ => {
                    let expected = {
                        let shop = lock(shop);
                        let sale = shop.sale(row.sale_id)?;
                        draft_for_invoice(&shop, &sale, row).ok().map(|d| Expected::of(&d, row))
                    };
                    if let Found::Settled(done) = Self::settle(shop, row.id, Some(state), &request, expected.as_ref())? {
                        signed += u32::from(done.status == InvoiceStatus::Issued);
                    }
                }
            }
        }
        Ok(signed)
    }

    async fn refresh_draft<P: Provider>(shop: &Mutex<Shop>, provider: &P, row: InvoiceRecord) -> Result<InvoiceRecord> {
        Self::refresh_drafts(shop, provider, std::slice::from_ref(&row)).await?;
        Ok(lock(shop).store().invoice(row.id)?)
    }

    fn unclear(shop: &Mutex<Shop>, id: i64, e: ProviderError) -> Result<InvoiceRecord> {
        let status = if matches!(e, ProviderError::Unreachable { .. }) { EventKind::Unreachable } else { EventKind::Unclear };
        lock(shop).store().set_invoice_status(id, InvoiceStatus::NeedsReconcile, status, &e.to_string())?;
        Err(Error::Provider { message: format!("{e} {WHERE_IT_WAITS}"), unclear: true })
    }

    /// Asks the provider about an invoice in `sending` / "Cần xử lý" and sends it if the
    /// provider has nothing under its key.
    pub async fn reconcile<P: Provider>(&self, shop: &Mutex<Shop>, secrets: &SecretStore, provider: &P, invoice_id: i64) -> Result<InvoiceRecord> {
        let row = lock(shop).store().invoice(invoice_id)?;
        if let (Some(original), Some(successor)) = (row.replaces_id, Successor::of(&row)) {
            if row.status.is_live() && !matches!(row.status, InvoiceStatus::Issued | InvoiceStatus::KeyConflict) {
                return self.change_with(shop, secrets, provider, original, successor, None).await;
            }
            return Ok(row);
        }
        if !row.status.is_live() || matches!(row.status, InvoiceStatus::Issued | InvoiceStatus::KeyConflict) {
            return Ok(row);
        }
        // A live original is the sale's one live invoice: reconciling it is issuing the sale,
        // which asks by key first.
        match self.issue(shop, secrets, provider, row.sale_id).await {
            Err(Error::AlreadyIssued { .. }) => Ok(lock(shop).store().invoice(invoice_id)?),
            other => other,
        }
    }

    /// [`Invoicer::reconcile`] for the queue: `None` when there was nothing left to do (another
    /// sender, maybe another process, settled the row since the queue listed it), so that each
    /// issuance is counted by the one pass that made it.
    async fn reconcile_waiting<P: Provider>(&self, shop: &Mutex<Shop>, secrets: &SecretStore, provider: &P, invoice_id: i64) -> Result<Option<InvoiceRecord>> {
        let row = lock(shop).store().invoice(invoice_id)?;
        if !row.status.is_live() || matches!(row.status, InvoiceStatus::Issued | InvoiceStatus::KeyConflict) {
            return Ok(None);
        }
        let done = match (row.replaces_id, Successor::of(&row)) {
            (Some(original), Some(successor)) => self.change_with(shop, secrets, provider, original, successor, None).await,
            _ => self.issue(shop, secrets, provider, row.sale_id).await,
        };
        match done {
            Err(Error::AlreadyIssued { .. }) => Ok(None),
            other => other.map(Some),
        }
    }

    /// Sends what waits: queued invoices, and invoices whose outcome is unclear (or that a
    /// crash left in `sending`), each after asking the provider about its key.
    ///
    /// Drafts waiting for the owner's token are looked at in one call; with the provider
    /// signing, they are signed like the rest.
    pub async fn process_queue<P: Provider>(&self, shop: &Mutex<Shop>, secrets: &SecretStore, provider: &P) -> Result<QueueReport> {
        let (signing, current) = {
            let shop = lock(shop);
            let current = shop.invoice_account()?;
            shop.bind_unbound(&current)?;
            (shop.invoice_settings(secrets)?.signing, current)
        };
        let mut report = QueueReport::default();
        // Only rows bound to the account configured now: a row sent elsewhere (another
        // provider, another account, demo) is never sent, signed or asked about here.
        let mine = |rows: Vec<InvoiceRecord>, report: &mut QueueReport| -> Vec<InvoiceRecord> {
            let (mine, others): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.account.as_deref() == Some(current.as_str()));
            report.other_account += others.len() as u32;
            mine
        };
        let mut statuses = vec![InvoiceStatus::Queued, InvoiceStatus::Sending, InvoiceStatus::NeedsReconcile];
        match signing {
            Signing::Token => {
                let drafts = lock(shop).store().invoices_with_status(&[InvoiceStatus::Draft], 200)?;
                let drafts = mine(drafts, &mut report);
                // A failed look stops nothing else: the drafts are looked at again next pass.
                match Self::refresh_drafts(shop, provider, &drafts).await {
                    Ok(signed) => report.drafts_signed = signed,
                    Err(e) => {
                        tracing::warn!(error = %e, drafts = drafts.len(), "could not look at the drafts; next pass will");
                        report.still_waiting += drafts.len() as u32;
                    }
                }
            }
            Signing::Provider => statuses.push(InvoiceStatus::Draft),
        }
        let waiting = lock(shop).store().invoices_with_status(&statuses, 200)?;
        for inv in mine(waiting, &mut report) {
            match self.reconcile_waiting(shop, secrets, provider, inv.id).await {
                Ok(Some(done)) if done.status == InvoiceStatus::Issued => report.issued += 1,
                Ok(Some(done)) if done.status == InvoiceStatus::KeyConflict => report.key_conflicts += 1,
                Ok(_) => {}
                Err(Error::InvoiceBusy) => report.still_waiting += 1,
                Err(Error::Provider { unclear: true, .. }) => report.still_waiting += 1,
                Err(e) => {
                    let waiting_again = lock(shop).store().invoice(inv.id).map(|i| i.status == InvoiceStatus::Queued).unwrap_or(false);
                    if waiting_again {
                        report.still_waiting += 1;
                        // The provider is unreachable: the rest would fail the same way.
                        tracing::info!(error = %e, "provider unreachable; the queue waits");
                        break;
                    }
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    /// "Thay thế" / "Điều chỉnh": issues a new invoice that replaces or adjusts an issued one,
    /// under the same rules as [`Invoicer::issue`] (key stored first, ask by key after an
    /// unclear outcome, never a second successor). The original is marked replaced or
    /// adjusted only once the provider confirmed the new invoice.
    pub async fn change<P: Provider>(&self, shop: &Mutex<Shop>, secrets: &SecretStore, provider: &P, original_id: i64, change: Change) -> Result<InvoiceRecord> {
        self.change_with(shop, secrets, provider, original_id, change.into(), None).await
    }

    /// "Điều chỉnh tăng / giảm": issues an adjusting invoice that carries the differences
    /// typed in `form`, under the same rules as [`Invoicer::change`]. The lines are stored
    /// with the new invoice's row before anything is sent, so a resend sends the same ones.
    pub async fn adjust_amounts<P: Provider>(&self, shop: &Mutex<Shop>, secrets: &SecretStore, provider: &P, original_id: i64, form: &AdjustmentForm) -> Result<InvoiceRecord> {
        let adjustment = form.read()?;
        let successor = Successor::AdjustAmounts(adjustment.direction);
        self.change_with(shop, secrets, provider, original_id, successor, Some(adjustment)).await
    }

    /// `adjustment` is the new lines of an adjustment of amounts the owner just typed; `None`
    /// when a pending successor is sent again with what its row already holds.
    async fn change_with<P: Provider>(
        &self,
        shop: &Mutex<Shop>,
        secrets: &SecretStore,
        provider: &P,
        original_id: i64,
        successor: Successor,
        adjustment: Option<NewAdjustment>,
    ) -> Result<InvoiceRecord> {
        let sale_id = {
            let shop = lock(shop);
            if shop.invoice_settings(secrets)?.signing == Signing::Token {
                return Err(Error::field(
                    "invoice",
                    "Cửa hàng ký hóa đơn bằng USB Token: hãy lập hóa đơn thay thế hoặc điều chỉnh trên phần mềm hóa đơn của nhà cung cấp, nơi cắm được USB Token.",
                ));
            }
            shop.store().invoice(original_id)?.sale_id
        };
        let _flight = self.take_off(sale_id)?;
        let (original, row, draft, plan) = {
            let shop = lock(shop);
            let current = shop.invoice_account()?;
            under_write_lock(&shop, || Self::prepare_change(&shop, secrets, original_id, successor, adjustment.as_ref(), &self.owner, &current))?
        };
        let _held = Held { shop, id: row.id, owner: &self.owner };
        let request = Request::Change { original_ref: invoice_ref(&original)?, original: &original, successor };
        self.drive(shop, provider, row, draft, plan, request).await
    }

    fn prepare_change(
        shop: &Shop,
        secrets: &SecretStore,
        original_id: i64,
        successor: Successor,
        adjustment: Option<&NewAdjustment>,
        owner: &str,
        current: &str,
    ) -> Result<(InvoiceRecord, InvoiceRecord, InvoiceDraft, Plan)> {
        let original = shop.store().invoice(original_id)?;
        if original.status != InvoiceStatus::Issued {
            return Err(Error::field("invoice", "Chỉ thay thế hoặc điều chỉnh được hóa đơn đã phát hành."));
        }
        // A successor goes to the account that issued the invoice it changes.
        account::check_bound(shop, &original, current)?;
        let mut pending = shop.store().live_successor_of(original.id)?;
        // New lines for a successor the provider clearly refused: that row never became an
        // invoice anywhere, so it is set aside and the new lines go out under a new key.
        if let (Some(s), Some(_)) = (&pending, adjustment)
            && s.status == InvoiceStatus::Failed {
                shop.store().set_invoice_status(s.id, InvoiceStatus::Cancelled, EventKind::Abandoned, "bỏ hóa đơn bị từ chối, lập hóa đơn điều chỉnh mới")?;
                pending = None;
            }
        let (row, plan) = match pending {
            Some(s) if Successor::of(&s) != Some(successor) || (adjustment.is_some() && s.status != InvoiceStatus::Issued) => {
                let words = Successor::of(&s).map_or("khác", Successor::words);
                return Err(Error::field("invoice", format!("Hóa đơn này đang có một hóa đơn {words} chờ xử lý; hãy dùng «Kiểm tra lại» trên trang hóa đơn.")));
            }
            Some(s) if s.status == InvoiceStatus::Issued => {
                return Err(Error::AlreadyIssued { number: s.number.unwrap_or_default(), symbol: format!("{}{}", s.template, s.symbol) });
            }
            Some(s) if s.status == InvoiceStatus::KeyConflict => return Err(Error::field("invoice", account::CONFLICT_MESSAGE)),
            Some(s) if matches!(s.status, InvoiceStatus::Sending | InvoiceStatus::NeedsReconcile) => (s, Plan::AskFirst),
            Some(s) => (s, Plan::Send),
            None => {
                if matches!(successor, Successor::AdjustAmounts(_)) && adjustment.is_none() {
                    return Err(Error::field("lines", "Hóa đơn điều chỉnh tăng hoặc giảm cần các dòng ghi phần chênh lệch."));
                }
                let settings = shop.invoice_settings(secrets)?;
                let key = new_key(shop, original.sale_id)?;
                shop.store().in_transaction(|store| {
                    let row = store.create_invoice(&NewInvoice {
                        sale_id: original.sale_id,
                        provider: settings.provider.code().to_string(),
                        key,
                        template: original.template.clone(),
                        symbol: settings.serial.clone(),
                        status: InvoiceStatus::Queued,
                        tax_authority_code: None,
                        replaces_id: Some(original.id),
                        relation: successor.relation(),
                        account: Some(current.to_string()),
                    })?;
                    match adjustment {
                        Some(a) => {
                            store.add_adjustment(row.id, a)?;
                            store.append_invoice_event(row.id, EventKind::Reason, &a.reason)?;
                            store.invoice(row.id)
                        }
                        None => Ok(row),
                    }
                })
                .map(|row| (row, Plan::Send))?
            }
        };
        account::check_bound(shop, &row, current)?;
        claim(shop, &row, owner)?;
        let sale = shop.sale(original.sale_id)?;
        let draft = match draft_for_invoice(shop, &sale, &row) {
            Ok(d) => d,
            Err(e) => {
                shop.store().set_invoice_status(row.id, InvoiceStatus::Failed, EventKind::Invalid, &e.user_message())?;
                shop.store().release_invoice(row.id, owner)?;
                return Err(e);
            }
        };
        shop.store().set_invoice_status(row.id, InvoiceStatus::Sending, EventKind::Sending, &format!("{} hóa đơn số {}", successor.words(), original.number.unwrap_or_default()))?;
        Ok((original, row, draft, plan))
    }

    /// "Hủy hóa đơn": cancels an issued invoice at the provider, then here.
    pub async fn cancel<P: Provider>(&self, shop: &Mutex<Shop>, provider: &P, invoice_id: i64, reason: &str) -> Result<InvoiceRecord> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::field("reason", "Hãy nhập lý do hủy hóa đơn."));
        }
        let inv = lock(shop).store().invoice(invoice_id)?;
        let _flight = self.take_off(inv.sale_id)?;
        if inv.status != InvoiceStatus::Issued {
            return Err(Error::field("invoice", "Chỉ hủy được hóa đơn đã phát hành."));
        }
        {
            let shop = lock(shop);
            let current = shop.invoice_account()?;
            under_write_lock(&shop, || {
                account::check_bound(&shop, &inv, &current)?;
                claim(&shop, &inv, &self.owner)
            })?;
        }
        let _held = Held { shop, id: inv.id, owner: &self.owner };
        let r = invoice_ref(&inv)?;
        lock(shop).store().append_invoice_event(invoice_id, EventKind::Cancelling, reason)?;
        match provider.cancel(&r).await {
            Ok(CancelOutcome::Cancelled) => {}
            Ok(CancelOutcome::Replaced(replacement)) => return Self::replaced_on_cancel(shop, &inv, &replacement, reason),
            Err(e) if e.is_unclear() => {
                // Ask whether the cancellation went through before saying anything.
                let states = provider.query(std::slice::from_ref(&r.key)).await.map_err(provider_error)?;
                match states.first().map(|s| s.status) {
                    Some(ProviderStatus::Cancelled) => {}
                    Some(ProviderStatus::Replaced) => {
                        // Decree 70: the provider replaced it instead, and the answer naming the
                        // new invoice was lost.
                        let shop = lock(shop);
                        let note = "Nhà cung cấp đã thay thế hóa đơn này bằng hóa đơn 0 đồng thay vì hủy (Nghị định 70/2025); xem hóa đơn thay thế trên trang của nhà cung cấp.";
                        shop.store().set_invoice_status(invoice_id, InvoiceStatus::Replaced, EventKind::ReplacedOnCancel, note)?;
                        return Ok(shop.store().invoice(invoice_id)?);
                    }
                    _ => return Err(provider_error(e)),
                }
            }
            Err(e) => return Err(provider_error(e)),
        }
        let shop = lock(shop);
        shop.store().set_invoice_status(invoice_id, InvoiceStatus::Cancelled, EventKind::Cancelled, reason)?;
        tracing::info!(invoice = invoice_id, "cancelled");
        Ok(shop.store().invoice(invoice_id)?)
    }

    /// Decree 70/2025: asked to cancel an invoice the tax authority accepted, the provider
    /// issued a 0-đồng replacement instead. That invoice is recorded as the original's
    /// replacement (its own key and number, issued) and the original as replaced, in one
    /// transaction, so the sale shows what the provider holds.
    fn replaced_on_cancel(shop: &Mutex<Shop>, original: &InvoiceRecord, replacement: &hoadon_einvoice::Issued, reason: &str) -> Result<InvoiceRecord> {
        let shop = lock(shop);
        let detail = format!("hóa đơn thay thế 0 đồng số {} (nhà cung cấp lập khi hủy, Nghị định 70/2025)", replacement.number);
        shop.store().in_transaction(|store| {
            store.set_invoice_status(original.id, InvoiceStatus::Replaced, EventKind::ReplacedOnCancel, &format!("{reason}; {detail}"))?;
            let row = store.create_invoice(&NewInvoice {
                sale_id: original.sale_id,
                provider: original.provider.clone(),
                key: replacement.key.to_string(),
                template: original.template.clone(),
                symbol: original.symbol.clone(),
                status: InvoiceStatus::Sending,
                tax_authority_code: None,
                replaces_id: Some(original.id),
                relation: Relation::Replace,
                account: original.account.clone(),
            })?;
            store.record_issued(row.id, Some(replacement.number as i64), replacement.tax_authority_code.as_deref(), None, &detail)
        })?;
        tracing::info!(invoice = original.id, number = replacement.number, "cancel turned into a 0-dong replacement");
        Ok(shop.store().invoice(original.id)?)
    }

    /// "Xuất lại với mã mới", for a "Trùng mã" row, once the owner confirmed: the row is set
    /// aside (cancelled here, with the reason in its log; the provider's invoice under that
    /// key is another sale's and is left alone), and the sale's invoice goes out under a new
    /// key, by the same rules as [`Invoicer::issue`] (or, for a replacement or adjustment,
    /// [`Invoicer::change`], with the same stored lines).
    pub async fn reissue_with_new_key<P: Provider>(&self, shop: &Mutex<Shop>, secrets: &SecretStore, provider: &P, invoice_id: i64) -> Result<InvoiceRecord> {
        let (row, adjustment) = {
            let shop = lock(shop);
            let row = shop.store().invoice(invoice_id)?;
            if row.status != InvoiceStatus::KeyConflict {
                return Err(Error::field("invoice", "Chỉ xuất lại với mã mới được hóa đơn đang ở trạng thái «Trùng mã»."));
            }
            account::check_bound(&shop, &row, &shop.invoice_account()?)?;
            let adjustment = shop.store().adjustment_of(row.id)?.map(|a| NewAdjustment {
                direction: a.direction,
                reason: a.reason,
                lines: a
                    .lines
                    .into_iter()
                    .map(|l| hoadon_store::NewSaleLine { product_id: None, name: l.name, unit: l.unit, quantity: l.quantity, unit_price: l.unit_price, vat_rate: l.vat_rate })
                    .collect(),
            });
            let note = format!("bỏ mã {} (trùng với hóa đơn khác ở nhà cung cấp); chủ cửa hàng xác nhận xuất lại với mã mới", row.key);
            shop.store().set_invoice_status(row.id, InvoiceStatus::Cancelled, EventKind::Abandoned, &note)?;
            tracing::warn!(invoice = row.id, key = %row.key, "key conflict set aside; issuing under a new key");
            (row, adjustment)
        };
        match (row.replaces_id, Successor::of(&row)) {
            (Some(original), Some(successor)) => self.change_with(shop, secrets, provider, original, successor, adjustment).await,
            _ => self.issue(shop, secrets, provider, row.sale_id).await,
        }
    }

    /// The provider's PDF of an issued (or cancelled) invoice.
    pub async fn provider_pdf<P: Provider>(&self, shop: &Mutex<Shop>, provider: &P, invoice_id: i64) -> Result<Vec<u8>> {
        let inv = lock(shop).store().invoice(invoice_id)?;
        if !matches!(inv.status, InvoiceStatus::Issued | InvoiceStatus::Cancelled) {
            return Err(Error::field("invoice", "Hóa đơn chưa được phát hành nên nhà cung cấp chưa có bản PDF."));
        }
        {
            let shop = lock(shop);
            account::check_bound(&shop, &inv, &shop.invoice_account()?)?;
        }
        provider.pdf(&invoice_ref(&inv)?).await.map_err(provider_error)
    }
}
