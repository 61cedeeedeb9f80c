//! After a restore: the invoices issued since the copy was taken are at the provider but not
//! in the restored shop. Those whose key this shop made (`HD<sale>-<16 characters>`, see
//! [`crate::invoicing::account::new_key`]) and whose sale is in the restored shop without an
//! invoice, for the same amount, are attached to it again as issued; the others are listed
//! with the reason, for the owner to look at.
//!
//! Two sources name them, and the provider confirms each: the keys the file set aside before
//! the restore made since the copy's moment, asked by key ([`Provider::query`]); and the
//! provider's own list of what was issued since ([`Provider::issued_since`]), which finds them
//! when the set-aside file is lost or unreadable (a dead disk, a restore onto a new computer):
//! EasyInvoice lists by day, VNPT by number after the last one the restored shop holds in each
//! series (`listInvFromNoToNo`), Viettel by day but without the key, so its invoices are
//! listed for the owner and never attached on a guess.

use std::sync::Mutex;

use hoadon_einvoice::{AnyProvider, InvoiceKey, InvoiceState, InvoiceStatus as ProviderStatus, IssuedList, IssuedSince, ListedInvoice, Provider, SeriesMark, UnkeyedInvoice};
use hoadon_store::backup as store_backup;
use hoadon_store::{InvoiceStatus, NewInvoice, Relation};
use serde::Serialize;
use ts_rs::TS;

use super::restore::RestoreOutcome;
use crate::invoicing::InvoiceSettingsView;
use crate::{Error, Result, SecretStore, Shop};

/// Keys asked about per request (EasyInvoice's `getInvoicesByIkeys` takes batches).
const KEYS_PER_QUERY: usize = 100;

/// An invoice attached to its sale again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReattachedInvoice {
    /// The sale.
    #[ts(type = "number")]
    pub sale_id: i64,
    /// The provider's key.
    pub key: String,
    /// Its symbol (template and serial as the provider gave them).
    pub symbol: String,
    /// Its number.
    #[ts(type = "number | null")]
    pub number: Option<u64>,
}

/// An invoice found that could not be attached, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct UnattachedInvoice {
    /// The provider's key.
    pub key: String,
    /// The sale its key names, when it names one.
    #[ts(type = "number | null")]
    pub sale_id: Option<i64>,
    /// Its number at the provider.
    #[ts(type = "number | null")]
    pub number: Option<u64>,
    /// Why it was not attached, in Vietnamese.
    pub reason: String,
}

/// What the re-attachment found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[ts(export)]
pub struct ReattachReport {
    /// Invoices looked at: the keys the set-aside file named, and those the provider's list
    /// showed that neither the restored shop nor that file holds.
    pub asked: u32,
    /// Attached again as issued.
    pub attached: Vec<ReattachedInvoice>,
    /// Found but not attached.
    pub not_attached: Vec<UnattachedInvoice>,
    /// Where the keys came from, said for the owner.
    pub source: String,
    /// Why the provider's list of invoices issued since the copy could not be read, or which
    /// parts of it (a symbol, a day) the provider did not give; what the set-aside file named,
    /// and what the list did give, were still asked and attached.
    pub list_error: Option<String>,
}

/// A restore as the window shows it: what was put back, and what the re-attachment found
/// (or why no provider could be asked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RestoreReport {
    /// What the restore did.
    pub restore: RestoreOutcome,
    /// What the provider was asked and what was attached.
    pub reattach: Option<ReattachReport>,
    /// Why no provider was asked (none configured, or out of reach).
    pub reattach_error: Option<String>,
}

/// The sale a key names: `HD42-…` → 42.
pub fn sale_of_key(key: &str) -> Option<i64> {
    let rest = key.strip_prefix("HD")?;
    let (id, random) = rest.split_once('-')?;
    (random.len() == 16 && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.parse().ok()).flatten()
}

/// Asks the provider about the invoices the set-aside file made since the restored copy and
/// about those its list shows since then, and attaches those it can. Locks the shop only
/// around each database step.
pub async fn reattach_after_restore(shop: &Mutex<Shop>, secrets: &SecretStore, provider: &AnyProvider, restore: &RestoreOutcome) -> Result<ReattachReport> {
    let (kept, marks, unnumbered, settings) = {
        let shop = lock(shop);
        let settings = shop.invoice_settings(secrets)?;
        let provider = settings.provider.code();
        (shop.backup_job()?.folder.join(&restore.kept_copy), shop.store().last_numbers(provider)?, shop.store().unnumbered_keys(provider)?, settings)
    };
    // A minute of margin: a row created in the copy's own second may or may not be in it; one
    // that is found again in the restored shop is simply skipped.
    let since = restore.backup_at - 60;
    let from = hoadon_rules::calendar::date_of(since);
    let mut report = ReattachReport::default();
    let rows = match store_backup::invoice_keys_since(&kept, since) {
        Ok(rows) => {
            report.source = format!("các hóa đơn lập từ {} trong tệp đã cất «{}»", hoadon_rules::calendar::format_moment(restore.backup_at), restore.kept_copy);
            rows
        }
        // The provider's own list still finds them: go on with it alone.
        Err(e) => {
            tracing::warn!(error = %e, file = %kept.display(), "the set-aside file is unreadable; re-attaching from the provider's list alone");
            Vec::new()
        }
    };
    let keys: Vec<InvoiceKey> = rows.iter().filter_map(|(k, _)| InvoiceKey::new(k).ok()).collect();
    report.asked = keys.len() as u32;
    let unclear = |e: hoadon_einvoice::ProviderError| Error::Provider { message: e.to_string(), unclear: e.is_unclear() };
    let mut states = Vec::new();
    for batch in keys.chunks(KEYS_PER_QUERY) {
        states.extend(provider.query(batch).await.map_err(unclear)?);
    }

    let series = series_marks(&marks, &settings.template, &settings.serial);
    let mut unkeyed = Vec::new();
    match provider.issued_since(&IssuedSince { from, series: series.clone() }).await {
        Ok(IssuedList { invoices: listed, gaps }) => {
            if !gaps.is_empty() {
                tracing::warn!(?gaps, "parts of the provider's list of invoices since the copy were not given");
                report.list_error = Some(gaps.join("; "));
            }
            // What the restored shop and the set-aside file already name, by the provider's
            // own id where its list gives no key (Viettel): a row held in the copy without a
            // number yet is the queue's to reconcile by key, not the owner's to re-enter.
            let named: Vec<String> = unnumbered
                .iter()
                .map(String::as_str)
                .chain(keys.iter().map(InvoiceKey::as_str))
                .filter_map(|k| crate::invoicing::portal::reference_of(settings.provider, k))
                .collect();
            let mut fresh = 0u32;
            for item in listed {
                match item {
                    // A key is the one sure name: what the shop or the set-aside file holds is
                    // skipped, and only this shop's keys are taken (an invoice made on the
                    // provider's portal was never the app's).
                    ListedInvoice::Keyed(state) => {
                        let held = keys.contains(&state.key) || lock(shop).store().invoice_by_key(state.key.as_str())?.is_some();
                        if !held && sale_of_key(state.key.as_str()).is_some() {
                            fresh += 1;
                            states.push(state);
                        }
                    }
                    ListedInvoice::Unkeyed(invoice) => {
                        if !named.contains(&invoice.reference) && !numbered_already(&invoice, &series, &states) {
                            fresh += 1;
                            unkeyed.push(invoice);
                        }
                    }
                }
            }
            report.asked += fresh;
            if !report.source.is_empty() {
                report.source.push_str(", và ");
            }
            report.source.push_str(&format!("danh sách hóa đơn lập từ ngày {} của nhà cung cấp", hoadon_rules::calendar::format_date(from)));
        }
        Err(e) if keys.is_empty() && report.source.is_empty() => {
            tracing::warn!(error = %e, file = %kept.display(), "neither the set-aside file nor the provider's list could be read for re-attachment");
            return Err(match e.is_unclear() {
                true => unclear(e),
                false => Error::field("backup", format!("Không đọc được tệp dữ liệu đã cất trước khi khôi phục, và {e}")),
            });
        }
        Err(e) => {
            tracing::warn!(error = %e, "the provider's list of invoices since the copy could not be read");
            report.list_error = Some(e.to_string());
        }
    }

    for state in states {
        let shop = lock(shop);
        match attach(&shop, &state, &settings)? {
            Attach::Done(done) => report.attached.push(done),
            Attach::Refused(reason) => report.not_attached.push(UnattachedInvoice {
                key: state.key.to_string(),
                sale_id: sale_of_key(state.key.as_str()),
                number: state.number,
                reason,
            }),
            Attach::Nothing => {}
        }
    }
    report.not_attached.extend(unkeyed.into_iter().map(unattachable));
    tracing::info!(asked = report.asked, attached = report.attached.len(), not_attached = report.not_attached.len(), "re-attached invoices after a restore");
    Ok(report)
}

/// Whether an invoice listed without its key is one the restored shop holds (numbered at or
/// below the shop's last number in that template and symbol) or one already asked by key.
fn numbered_already(invoice: &UnkeyedInvoice, marks: &[SeriesMark], asked: &[InvoiceState]) -> bool {
    let (Some(serial), Some(number)) = (invoice.serial.as_deref(), invoice.number) else { return false };
    let same_template = |pattern: &str| invoice.pattern.as_deref().is_none_or(|p| p == pattern);
    marks.iter().any(|m| m.serial == serial && same_template(&m.pattern) && number <= m.last_number)
        || asked.iter().any(|s| s.serial.as_deref() == Some(serial) && s.number == Some(number))
}

/// Where the provider's list starts in each series: the highest number the restored shop
/// holds there, and the settings' series from its first number when the shop holds none.
fn series_marks(held: &[(String, String, i64)], template: &str, serial: &str) -> Vec<SeriesMark> {
    let mut marks: Vec<SeriesMark> =
        held.iter().map(|(t, s, n)| SeriesMark { pattern: t.clone(), serial: s.clone(), last_number: u64::try_from(*n).unwrap_or(0) }).collect();
    if !serial.is_empty() && !marks.iter().any(|m| m.pattern == template && m.serial == serial) {
        marks.push(SeriesMark { pattern: template.to_string(), serial: serial.to_string(), last_number: 0 });
    }
    marks
}

/// A listed invoice that names no key: said with what the provider shows, for the owner to
/// match by hand; one the provider says is cancelled, replaced or adjusted needs no new sale.
fn unattachable(invoice: UnkeyedInvoice) -> UnattachedInvoice {
    let mut facts = Vec::new();
    if let Some(day) = invoice.issue_date {
        facts.push(format!("ngày {}", hoadon_rules::calendar::format_date(day)));
    }
    if let Some(amount) = invoice.amount {
        facts.push(format!("{} đồng", hoadon_rules::money::group_thousands(amount.0)));
    }
    if let Some(buyer) = &invoice.buyer {
        facts.push(format!("người mua «{buyer}»"));
    }
    let serial = invoice.serial.unwrap_or_default();
    let key = match invoice.reference.is_empty() {
        false => invoice.reference,
        true => format!("{serial}-{}", invoice.number.unwrap_or(0)),
    };
    let what = match invoice.status {
        Some(ProviderStatus::Cancelled) => "Nhà cung cấp ghi hóa đơn này đã bị hủy: không cần nhập lại đơn hàng.",
        Some(ProviderStatus::Replaced) => "Nhà cung cấp ghi hóa đơn này đã bị thay thế bằng một hóa đơn khác trong danh sách: hãy đối chiếu hóa đơn thay thế.",
        Some(ProviderStatus::Adjusted) => "Nhà cung cấp ghi hóa đơn này đã được điều chỉnh: hãy nhập lại đơn hàng rồi đối chiếu cả hóa đơn điều chỉnh.",
        Some(ProviderStatus::Unsigned) => "Hóa đơn nháp chưa ký ở nhà cung cấp: hãy ký hoặc xóa nó ở đó.",
        Some(ProviderStatus::Signed | ProviderStatus::SentToTax | ProviderStatus::Approved) => "Hóa đơn còn hiệu lực: hãy nhập lại đơn hàng rồi đối chiếu.",
        // Viettel's list tells no more: its state numbers have no published meaning.
        Some(ProviderStatus::NotFound) | None => "Danh sách không cho biết hóa đơn còn hiệu lực hay đã hủy: hãy xem trạng thái trên cổng của nhà cung cấp (tìm theo mã giao dịch), rồi nhập lại đơn hàng và đối chiếu nếu nó còn hiệu lực.",
    };
    UnattachedInvoice {
        key,
        sale_id: None,
        number: invoice.number,
        reason: format!(
            "Hóa đơn ký hiệu {serial} lập sau lúc sao lưu{}{}; nhà cung cấp chỉ cho mã giao dịch của họ, không cho biết hóa đơn lập cho đơn hàng nào, nên ứng dụng không tự gắn. {what}",
            if facts.is_empty() { "" } else { " (" },
            if facts.is_empty() { String::new() } else { facts.join(", ") + ")" },
        ),
    }
}

enum Attach {
    Done(ReattachedInvoice),
    Refused(String),
    /// Nothing to attach and nothing to say: never issued, or already the sale's invoice.
    Nothing,
}

fn attach(shop: &Shop, state: &InvoiceState, settings: &InvoiceSettingsView) -> Result<Attach> {
    let key = state.key.as_str();
    // Already in the restored shop, whatever became of it since (a cancel the copy holds too).
    if shop.store().invoice_by_key(key)?.is_some() {
        return Ok(Attach::Nothing);
    }
    match state.status {
        ProviderStatus::NotFound => return Ok(Attach::Nothing),
        ProviderStatus::Unsigned => return Ok(Attach::Refused("Hóa đơn nháp chưa ký ở nhà cung cấp: hãy ký hoặc xóa nó ở đó.".into())),
        ProviderStatus::Cancelled | ProviderStatus::Replaced | ProviderStatus::Adjusted => {
            return Ok(Attach::Refused("Hóa đơn đã bị hủy, thay thế hoặc điều chỉnh ở nhà cung cấp; không gắn lại tự động.".into()));
        }
        ProviderStatus::Signed | ProviderStatus::SentToTax | ProviderStatus::Approved => {}
    }
    let Some(sale_id) = sale_of_key(key) else {
        return Ok(Attach::Refused("Mã hóa đơn không do ứng dụng này tạo.".into()));
    };
    let sale = match shop.store().sale(sale_id) {
        Ok(sale) => sale,
        Err(hoadon_store::StoreError::NotFound { .. }) => {
            return Ok(Attach::Refused(format!("Đơn hàng số {sale_id} không có trong bản sao lưu (lập sau lúc sao lưu): hãy nhập lại đơn hàng rồi đối chiếu.")));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(existing) = shop.store().live_invoice_of_sale(sale_id)? {
        if existing.key == key {
            return Ok(Attach::Nothing);
        }
        return Ok(Attach::Refused(format!("Đơn hàng số {sale_id} đã có hóa đơn khác (mã {}).", existing.key)));
    }
    if let Some(amount) = state.amount
        && amount != sale.totals.total
    {
        return Ok(Attach::Refused(format!(
            "Số tiền ở nhà cung cấp ({} đồng) khác tổng của đơn hàng số {sale_id} ({} đồng).",
            amount.0, sale.totals.total.0
        )));
    }
    let template = state.pattern.clone().unwrap_or_else(|| settings.template.clone());
    let serial = state.serial.clone().unwrap_or_else(|| settings.serial.clone());
    let account = shop.invoice_account()?;
    let number = state.number;
    shop.store().in_transaction(|store| {
        let row = store.create_invoice(&NewInvoice {
            sale_id,
            provider: settings.provider.code().to_string(),
            key: key.to_string(),
            template: template.clone(),
            symbol: serial.clone(),
            status: InvoiceStatus::Sending,
            tax_authority_code: None,
            replaces_id: None,
            relation: Relation::Original,
            account: Some(account.clone()),
        })?;
        store.record_issued(
            row.id,
            number.map(|n| n as i64),
            None,
            state.lookup_code.as_deref(),
            "gắn lại sau khi khôi phục bản sao lưu (nhà cung cấp đã xuất hóa đơn này)",
        )
    })?;
    Ok(Attach::Done(ReattachedInvoice { sale_id, key: key.to_string(), symbol: format!("{template}{serial}"), number }))
}

fn lock(shop: &Mutex<Shop>) -> std::sync::MutexGuard<'_, Shop> {
    shop.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sale_is_read_from_the_key() {
        assert_eq!(sale_of_key("HD42-0123456789ABCDEF"), Some(42));
        for other in ["HD42-0123", "HDx-0123456789ABCDEF", "XX42-0123456789ABCDEF", "HD-0123456789ABCDEF", "42"] {
            assert_eq!(sale_of_key(other), None, "{other}");
        }
    }
}
