//! After a restore: the invoices issued since the copy was taken are at the provider but not
//! in the restored shop. Those whose key this shop made (`HD<sale>-<16 characters>`, see
//! [`crate::invoicing::account::new_key`]) and whose sale is in the restored shop without an
//! invoice, for the same amount, are attached to it again as issued; the others are listed
//! with the reason, for the owner to look at.
//!
//! The keys to ask about come from the file set aside before the restore (its invoice rows
//! created since the copy's moment); the provider is then asked by key
//! ([`Provider::query`], which every provider answers), so nothing is attached on the word of
//! the set-aside file alone. A provider that lists invoices by date (EasyInvoice,
//! `getInvoiceByArisingDateRange`) is also asked for every invoice dated since the copy, so
//! the invoices are found even when the set-aside file is lost or unreadable (a dead disk,
//! a restore onto a new computer).

use std::sync::Mutex;

use hoadon_einvoice::{AnyProvider, EasyInvoiceClient, InvoiceKey, InvoiceState, InvoiceStatus as ProviderStatus, Provider};
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
    /// Keys asked about.
    pub asked: u32,
    /// Attached again as issued.
    pub attached: Vec<ReattachedInvoice>,
    /// Found but not attached.
    pub not_attached: Vec<UnattachedInvoice>,
    /// Where the keys came from, said for the owner.
    pub source: String,
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
/// attaches those it can. Locks the shop only around each database step.
pub async fn reattach_after_restore(shop: &Mutex<Shop>, secrets: &SecretStore, provider: &AnyProvider, restore: &RestoreOutcome) -> Result<ReattachReport> {
    let (kept, settings) = {
        let shop = lock(shop);
        (shop.backup_job()?.folder.join(&restore.kept_copy), shop.invoice_settings(secrets)?)
    };
    // A minute of margin: a row created in the copy's own second may or may not be in it; one
    // that is found again in the restored shop is simply skipped.
    let since = restore.backup_at - 60;
    let lister = provider.client::<EasyInvoiceClient>();
    let rows = match store_backup::invoice_keys_since(&kept, since) {
        Ok(rows) => rows,
        // The provider's own list still finds them: go on with it alone.
        Err(e) if lister.is_some() => {
            tracing::warn!(error = %e, file = %kept.display(), "the set-aside file is unreadable; re-attaching from the provider's list by date");
            Vec::new()
        }
        Err(e) => {
            tracing::warn!(error = %e, file = %kept.display(), "the set-aside file could not be read for re-attachment");
            return Err(Error::field("backup", "Không đọc được tệp dữ liệu đã cất trước khi khôi phục, nên chưa gắn lại được hóa đơn."));
        }
    };
    let from = hoadon_rules::calendar::format_moment(restore.backup_at);
    let mut report = ReattachReport { source: format!("các hóa đơn lập từ {from} trong tệp đã cất «{}»", restore.kept_copy), ..Default::default() };
    let keys: Vec<InvoiceKey> = rows.iter().filter_map(|(k, _)| InvoiceKey::new(k).ok()).collect();
    report.asked = keys.len() as u32;
    let unclear = |e: hoadon_einvoice::ProviderError| Error::Provider { message: e.to_string(), unclear: e.is_unclear() };
    let mut states = Vec::new();
    for batch in keys.chunks(KEYS_PER_QUERY) {
        states.extend(provider.query(batch).await.map_err(unclear)?);
    }
    if let Some(client) = lister {
        let today = hoadon_rules::calendar::now().date();
        let listed = client.invoices_dated(hoadon_rules::calendar::date_of(since).min(today), today).await.map_err(unclear)?;
        // Only this shop's keys, and each once: the set-aside file's were asked already.
        let fresh: Vec<InvoiceState> = listed.into_iter().filter(|s| sale_of_key(s.key.as_str()).is_some() && !keys.contains(&s.key)).collect();
        report.asked += fresh.len() as u32;
        report.source.push_str(&format!(", và danh sách hóa đơn lập từ ngày {} của nhà cung cấp", hoadon_rules::calendar::format_date(hoadon_rules::calendar::date_of(since))));
        states.extend(fresh);
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
    tracing::info!(asked = report.asked, attached = report.attached.len(), not_attached = report.not_attached.len(), "re-attached invoices after a restore");
    Ok(report)
}

enum Attach {
    Done(ReattachedInvoice),
    Refused(String),
    /// Nothing to attach and nothing to say: never issued, or already the sale's invoice.
    Nothing,
}

fn attach(shop: &Shop, state: &InvoiceState, settings: &InvoiceSettingsView) -> Result<Attach> {
    let key = state.key.as_str();
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
    if shop.store().invoice_by_key(key)?.is_some() {
        return Ok(Attach::Nothing);
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
