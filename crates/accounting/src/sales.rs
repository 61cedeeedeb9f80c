//! The sales of a period, one at a time, with their totals and invoice.

use hoadon_rules::vat::TaxedLine;
use hoadon_rules::{VatRate, VatTotals};
use hoadon_store::{InvoiceStatus, SaleStatus, Store, StoreError};

use crate::{symbol, Period, Result};

/// The invoice a sale's line names: its original invoice (not a replacement or adjustment),
/// the live one or else the last one cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleInvoice {
    /// The symbol as printed (`1C26TAA`).
    pub symbol: String,
    /// Its number, once issued.
    pub number: Option<i64>,
    /// Where it stands.
    pub status: InvoiceStatus,
}

/// One sale of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleLine {
    /// The sale's number.
    pub id: i64,
    /// When it was sold, Unix seconds.
    pub sold_at: i64,
    /// Completed or pending (failed sales are not listed).
    pub status: SaleStatus,
    /// The buyer's name; `None` for a walk-in buyer.
    pub buyer: Option<String>,
    /// The buyer's MST, when it has one.
    pub tax_code: Option<String>,
    /// Its invoice, if one was ever made.
    pub invoice: Option<SaleInvoice>,
    /// Its totals per rate, from its stored lines (the sale screen's).
    pub totals: VatTotals,
}

pub(crate) fn rate(code: &str) -> Result<VatRate> {
    code.parse().map_err(|_| StoreError::BadStoredValue(format!("VAT rate {code}")).into())
}

/// The number of sales [`each_sale`] lists for `period`.
pub(crate) fn count(store: &Store, period: &Period) -> Result<u64> {
    let n: i64 = store.connection().query_row(
        "SELECT COUNT(*) FROM sales WHERE sold_at >= ?1 AND sold_at < ?2 AND status <> 'failed'",
        [period.start(), period.end()],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Calls `f` with each sale of `period` but the failed ones, in the order they were sold.
/// One query streams the lines; only one sale's are held at a time.
pub fn each_sale(store: &Store, period: &Period, mut f: impl FnMut(SaleLine) -> Result<()>) -> Result<()> {
    // The original invoice of each sale: its highest id, since a sale gets a new original
    // only once the previous one was cancelled. Grouped once for the whole query (SQLite
    // indexes the grouped rows itself) rather than looked up per sale.
    let mut stmt = store.connection().prepare(
        "SELECT s.id, s.sold_at, s.status, c.name, c.tax_code, i.template, i.symbol, i.number, i.status,
                l.amount, l.vat_rate
         FROM sales s
         JOIN sale_lines l ON l.sale_id = s.id
         LEFT JOIN customers c ON c.id = s.customer_id
         LEFT JOIN (SELECT sale_id, MAX(id) AS id FROM invoices WHERE replaces_id IS NULL GROUP BY sale_id) o
                ON o.sale_id = s.id
         LEFT JOIN invoices i ON i.id = o.id
         WHERE s.sold_at >= ?1 AND s.sold_at < ?2 AND s.status <> 'failed'
         ORDER BY s.sold_at, s.id, l.line_no",
    )?;
    let mut rows = stmt.query([period.start(), period.end()])?;
    let mut current: Option<SaleLine> = None;
    let mut lines: Vec<TaxedLine> = Vec::new();
    let finish = |mut sale: SaleLine, lines: &mut Vec<TaxedLine>| -> Result<SaleLine> {
        sale.totals = VatTotals::of(lines.drain(..))?;
        Ok(sale)
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if current.as_ref().is_some_and(|s| s.id != id) {
            f(finish(current.take().expect("checked above"), &mut lines)?)?;
        }
        if current.is_none() {
            let status: String = r.get(2)?;
            let invoice = match r.get::<_, Option<String>>(8)? {
                None => None,
                Some(code) => Some(SaleInvoice {
                    symbol: symbol::printed(&r.get::<_, String>(5)?, &r.get::<_, String>(6)?),
                    number: r.get(7)?,
                    status: InvoiceStatus::from_code(&code)
                        .ok_or_else(|| StoreError::BadStoredValue(format!("invoice status {code}")))?,
                }),
            };
            current = Some(SaleLine {
                id,
                sold_at: r.get(1)?,
                status: SaleStatus::from_code(&status)
                    .ok_or_else(|| StoreError::BadStoredValue(format!("sale status {status}")))?,
                buyer: r.get(3)?,
                tax_code: r.get(4)?,
                invoice,
                totals: VatTotals::default(),
            });
        }
        lines.push(TaxedLine { amount: hoadon_rules::Dong(r.get(9)?), rate: rate(&r.get::<_, String>(10)?)? });
    }
    if let Some(sale) = current {
        f(finish(sale, &mut lines)?)?;
    }
    Ok(())
}
