//! Subtotal and VAT per rate of a period's sales.

use hoadon_rules::vat::TaxedLine;
use hoadon_rules::{Dong, VatTotals};
use hoadon_store::Store;

use crate::sales::rate;
use crate::{AccountingError, Period, Progress, Result};

/// The VAT summary of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatSummary {
    /// Every line of the period's sales (failed ones left out) through
    /// [`VatTotals::of`]: VAT rounded per line, summed per rate, as on each sale.
    pub totals: VatTotals,
    /// How many sales those lines belong to.
    pub sales: u64,
}

/// The summary of `period`, streaming its lines; it checks `progress` for a cancel every
/// 65,536 lines.
pub fn vat_summary(store: &Store, period: &Period, progress: &Progress) -> Result<VatSummary> {
    let sales = crate::sales::count(store, period)?;
    let mut stmt = store.connection().prepare(
        "SELECT l.amount, l.vat_rate FROM sales s JOIN sale_lines l ON l.sale_id = s.id
         WHERE s.sold_at >= ?1 AND s.sold_at < ?2 AND s.status <> 'failed'",
    )?;
    let mut rows = stmt.query([period.start(), period.end()])?;
    let mut failure: Option<AccountingError> = None;
    let mut seen = 0u64;
    let lines = std::iter::from_fn(|| {
        seen += 1;
        let next = (|| -> Result<Option<TaxedLine>> {
            if seen.is_multiple_of(65_536) {
                progress.check()?;
            }
            let Some(r) = rows.next()? else { return Ok(None) };
            Ok(Some(TaxedLine { amount: Dong(r.get(0)?), rate: rate(&r.get::<_, String>(1)?)? }))
        })();
        next.unwrap_or_else(|e| {
            failure = Some(e);
            None
        })
    });
    let totals = VatTotals::of(lines);
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(VatSummary { totals: totals?, sales })
}
