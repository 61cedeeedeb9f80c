use hoadon_rules::Dong;
use hoadon_store::{InvoiceActions, InvoiceRecord, InvoiceStatus};
use serde::Serialize;
use ts_rs::TS;

use crate::{Result, Shop};

/// A row of the invoice list: the invoice and what identifies its sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct InvoiceRow {
    /// The invoice as stored.
    pub invoice: InvoiceRecord,
    /// The sale's customer, `None` for a walk-in buyer.
    pub customer_name: Option<String>,
    /// The sale's total with VAT, in đồng.
    pub total: Dong,
    /// When the sale was made (unix seconds).
    #[ts(type = "number")]
    pub sold_at: i64,
    /// The row is bound to another invoice account than the one configured ("gửi ở tài
    /// khoản cũ"): it is sent or asked about only with that account.
    pub other_account: bool,
}

impl Shop {
    /// Invoices in any of `statuses` (all when empty), most recently changed first.
    pub fn invoice_rows(&self, statuses: &[InvoiceStatus]) -> Result<Vec<InvoiceRow>> {
        let invoices = self.store.invoices_with_status(statuses, 500)?;
        let current = self.invoice_account()?;
        invoices
            .into_iter()
            .map(|invoice| {
                let sale = self.store.sale(invoice.sale_id)?;
                let other_account = invoice.account.as_deref().is_some_and(|a| a != current);
                let mut invoice = invoice;
                invoice.actions = InvoiceActions::of(invoice.status, other_account);
                Ok(InvoiceRow { customer_name: sale.customer.map(|c| c.name), total: sale.totals.total, sold_at: sale.sold_at, other_account, invoice })
            })
            .collect()
    }
}
