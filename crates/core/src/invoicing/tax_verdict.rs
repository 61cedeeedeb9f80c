//! What the tax authority said of an issued invoice ("CQT đã cấp mã" / "CQT từ chối: …"),
//! asked of the provider on the invoice page: EasyInvoice reports it beside the invoice
//! (`TCTCheckStatus`), VNPT through `GetMCCQThueByFkeys`.

use std::sync::Mutex;

use hoadon_einvoice::{InvoiceKey, InvoiceRef, Provider, TaxCheck};
use hoadon_store::InvoiceStatus;
use serde::Serialize;
use ts_rs::TS;

use crate::{Error, Result, Shop};

/// The tax authority's verdict, as the invoice page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum TaxVerdict {
    /// The provider has no verdict to give (not sent yet, or it cannot tell).
    Unknown,
    /// The provider has not sent the invoice to the tax authority yet.
    NotSent,
    /// Sent; the tax authority has not answered yet.
    Waiting,
    /// Accepted.
    Accepted {
        /// The tax authority's code (mã của cơ quan thuế) for a `C…` symbol.
        code: Option<String>,
    },
    /// Refused: the invoice must be replaced or adjusted.
    Rejected {
        /// What the tax authority said, with its code.
        reason: String,
    },
}

/// The verdict and its sentence for the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TaxVerdictView {
    /// What the tax authority said.
    pub verdict: TaxVerdict,
    /// The same, as the sentence Hóa đơn shows.
    pub label: String,
}

impl From<Option<TaxCheck>> for TaxVerdictView {
    fn from(check: Option<TaxCheck>) -> TaxVerdictView {
        let label = match &check {
            Some(c) => c.label(),
            None => "Nhà cung cấp chưa có kết quả kiểm tra của cơ quan thuế".to_string(),
        };
        let verdict = match check {
            None => TaxVerdict::Unknown,
            Some(TaxCheck::NotSent) => TaxVerdict::NotSent,
            Some(TaxCheck::Waiting) => TaxVerdict::Waiting,
            Some(TaxCheck::Accepted { code }) => TaxVerdict::Accepted { code },
            Some(TaxCheck::Rejected { reason }) => TaxVerdict::Rejected { reason },
        };
        TaxVerdictView { verdict, label }
    }
}

/// Asks the provider what the tax authority said of an issued invoice. A read: it changes
/// nothing here or there.
pub async fn tax_verdict<P: Provider>(shop: &Mutex<Shop>, provider: &P, invoice_id: i64) -> Result<TaxVerdictView> {
    let inv = shop.lock().unwrap_or_else(|p| p.into_inner()).store().invoice(invoice_id)?;
    if !matches!(inv.status, InvoiceStatus::Issued | InvoiceStatus::Replaced | InvoiceStatus::Adjusted | InvoiceStatus::Cancelled) {
        return Err(Error::field("invoice", "Hóa đơn chưa được phát hành nên cơ quan thuế chưa kiểm tra."));
    }
    let key = InvoiceKey::new(&inv.key).map_err(|e| Error::field("key", e.to_string()))?;
    let check = provider
        .tax_verdict(&InvoiceRef::new(key, &inv.template, &inv.symbol))
        .await
        .map_err(|e| Error::Provider { message: e.to_string(), unclear: false })?;
    Ok(check.into())
}
