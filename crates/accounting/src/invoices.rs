//! The invoices issued in a period, one at a time, each successor naming its original.

use hoadon_rules::vat::TaxedLine;
use hoadon_rules::{Dong, VatTotals};
use hoadon_store::{AdjustmentDirection, EventKind, InvoiceStatus, Relation, Store, StoreError};

use crate::sales::rate;
use crate::{symbol, Period, Result};

/// One invoice of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// The row's id.
    pub id: i64,
    /// When it was issued, Unix seconds.
    pub issued_at: i64,
    /// The symbol as printed (`1C26TAA`).
    pub symbol: String,
    /// Its number.
    pub number: Option<i64>,
    /// Where it stands now (issued, cancelled, replaced, adjusted).
    pub status: InvoiceStatus,
    /// Original, replacement or adjustment.
    pub relation: Relation,
    /// For an adjustment of amounts, up or down.
    pub adjustment: Option<AdjustmentDirection>,
    /// The invoice it replaces or adjusts, as printed: `1C26TAA số 12`.
    pub changes: Option<String>,
    /// The tax authority's code, once given.
    pub tax_authority_code: Option<String>,
    /// The sale it invoices.
    pub sale_id: i64,
    /// The buyer's name; `None` for a walk-in buyer.
    pub buyer: Option<String>,
    /// The buyer's MST, when it has one.
    pub tax_code: Option<String>,
    /// What the invoice carries: the sale's totals for an original or a replacement; the
    /// differences for an adjustment of amounts (negative for a decrease); nothing for an
    /// adjustment of information, nor for the 0-đồng replacement that stands for a cancel.
    pub amounts: VatTotals,
}

/// The number of invoices [`each_invoice`] lists for `period`.
pub(crate) fn count(store: &Store, period: &Period) -> Result<u64> {
    let n: i64 = store.connection().query_row(
        "SELECT COUNT(*) FROM invoices WHERE issued_at >= ?1 AND issued_at < ?2",
        [period.start(), period.end()],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Calls `f` with each invoice issued in `period` (whatever happened to it since), in the
/// order they were issued.
pub fn each_invoice(store: &Store, period: &Period, mut f: impl FnMut(InvoiceLine) -> Result<()>) -> Result<()> {
    let conn = store.connection();
    let mut stmt = conn.prepare(
        "SELECT i.id, i.issued_at, i.template, i.symbol, i.number, i.status, i.relation, i.tax_authority_code,
                o.template, o.symbol, o.number, s.id, c.name, c.tax_code,
                (SELECT direction FROM invoice_adjustments a WHERE a.invoice_id = i.id),
                EXISTS (SELECT 1 FROM invoice_events e WHERE e.invoice_id = i.replaces_id AND e.kind = ?3)
         FROM invoices i
         JOIN sales s ON s.id = i.sale_id
         LEFT JOIN customers c ON c.id = s.customer_id
         LEFT JOIN invoices o ON o.id = i.replaces_id
         WHERE i.issued_at >= ?1 AND i.issued_at < ?2
         ORDER BY i.issued_at, i.id",
    )?;
    let mut sale_lines = conn.prepare("SELECT amount, vat_rate FROM sale_lines WHERE sale_id = ?1")?;
    let on_cancel = EventKind::ReplacedOnCancel.code();
    let mut rows = stmt.query(rusqlite::params![period.start(), period.end(), on_cancel])?;
    while let Some(r) = rows.next()? {
        let bad = |what: &str, code: &str| StoreError::BadStoredValue(format!("{what} {code}"));
        let status: String = r.get(5)?;
        let relation: String = r.get(6)?;
        let direction: Option<String> = r.get(14)?;
        let adjustment = match direction.as_deref() {
            None => None,
            Some(code) => Some(AdjustmentDirection::from_code(code).ok_or_else(|| bad("adjustment direction", code))?),
        };
        let relation = Relation::from_code(&relation).ok_or_else(|| bad("relation", &relation))?;
        let changes = match r.get::<_, Option<String>>(8)? {
            None => None,
            Some(template) => {
                let printed = symbol::printed(&template, &r.get::<_, String>(9)?);
                Some(match r.get::<_, Option<i64>>(10)? {
                    Some(number) => format!("{printed} số {number}"),
                    None => printed,
                })
            }
        };
        let id: i64 = r.get(0)?;
        let sale_id: i64 = r.get(11)?;
        // The 0-đồng replacement the provider issued instead of a cancel (Decree 70/2025)
        // carries nothing: the sale it stands for is cancelled.
        let replaces_a_cancel: bool = r.get(15)?;
        let amounts = match (relation, adjustment) {
            (Relation::Adjust, None) => VatTotals::default(),
            (Relation::Replace, _) if replaces_a_cancel => VatTotals::default(),
            (Relation::Adjust, Some(direction)) => {
                let adjustment = store.adjustment_of(id)?.ok_or_else(|| bad("adjustment of invoice", &id.to_string()))?;
                let sign = if direction == AdjustmentDirection::Decrease { -1 } else { 1 };
                VatTotals::of(adjustment.lines.iter().map(|l| TaxedLine { amount: Dong(sign * l.amount.0), rate: l.vat_rate }))?
            }
            _ => {
                let mut lines = sale_lines.query([sale_id])?;
                let mut taxed = Vec::new();
                while let Some(l) = lines.next()? {
                    taxed.push(TaxedLine { amount: Dong(l.get(0)?), rate: rate(&l.get::<_, String>(1)?)? });
                }
                VatTotals::of(taxed)?
            }
        };
        f(InvoiceLine {
            id,
            issued_at: r.get(1)?,
            symbol: symbol::printed(&r.get::<_, String>(2)?, &r.get::<_, String>(3)?),
            number: r.get(4)?,
            status: InvoiceStatus::from_code(&status).ok_or_else(|| bad("invoice status", &status))?,
            relation,
            adjustment,
            changes,
            tax_authority_code: r.get(7)?,
            sale_id,
            buyer: r.get(12)?,
            tax_code: r.get(13)?,
            amounts,
        })?;
    }
    Ok(())
}
