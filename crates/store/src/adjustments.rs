//! What an adjusting invoice changes in amounts (điều chỉnh tăng / giảm).
//!
//! Such an invoice does not repeat the sale: it lists the differences the owner typed, with
//! the reason. They are written in the transaction that creates the invoice row, before
//! anything is sent, and never change afterwards (triggers refuse it): a resend after a lost
//! answer or a crash sends exactly the invoice the provider may already have.

use hoadon_rules::{Dong, Quantity, VatRate, VatTotals};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::sales::{price_lines, NewSaleLine, SaleLine};
use crate::{Result, Store, StoreError};

/// Whether the adjusting invoice raises or lowers the original's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AdjustmentDirection {
    /// Điều chỉnh tăng: the lines are added to the original's amounts.
    Increase,
    /// Điều chỉnh giảm: the lines are taken off the original's amounts.
    Decrease,
}

impl AdjustmentDirection {
    /// Both directions, in the order the adjustment form offers them.
    pub const ALL: [AdjustmentDirection; 2] = [AdjustmentDirection::Increase, AdjustmentDirection::Decrease];

    /// The direction as the adjustment form names it.
    pub fn label(self) -> &'static str {
        match self {
            AdjustmentDirection::Increase => "Điều chỉnh tăng",
            AdjustmentDirection::Decrease => "Điều chỉnh giảm",
        }
    }

    /// The stored code: `increase` or `decrease`.
    pub fn code(self) -> &'static str {
        match self {
            AdjustmentDirection::Increase => "increase",
            AdjustmentDirection::Decrease => "decrease",
        }
    }

    /// A stored code; `None` for any other text.
    pub fn from_code(code: &str) -> Option<AdjustmentDirection> {
        match code {
            "increase" => Some(AdjustmentDirection::Increase),
            "decrease" => Some(AdjustmentDirection::Decrease),
            _ => None,
        }
    }
}

/// What the owner typed for an adjusting invoice of amounts, to be stored with its row by
/// [`Store::add_adjustment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdjustment {
    /// Whether the amounts go up or down.
    pub direction: AdjustmentDirection,
    /// Why the invoice is adjusted, printed on it; must not be empty.
    pub reason: String,
    /// The differences, each with a positive quantity: the direction gives the sign.
    pub lines: Vec<NewSaleLine>,
}

/// The amounts an adjusting invoice changes, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Adjustment {
    /// The adjusting invoice these amounts belong to.
    #[ts(type = "number")]
    pub invoice_id: i64,
    /// Whether the amounts go up or down.
    pub direction: AdjustmentDirection,
    /// Why the invoice is adjusted, printed on it.
    pub reason: String,
    /// The differences, priced: amounts and VAT are never negative, the direction gives the sign.
    pub lines: Vec<SaleLine>,
    /// The totals of the differences, never negative either.
    pub totals: VatTotals,
}

impl Store {
    /// Stores the lines of an adjusting invoice. Call it in the transaction that creates the
    /// invoice row, so that the row never exists without them.
    pub fn add_adjustment(&self, invoice_id: i64, adjustment: &NewAdjustment) -> Result<Adjustment> {
        self.in_transaction(|s| {
            s.conn.execute(
                "INSERT INTO invoice_adjustments (invoice_id, direction, reason) VALUES (?1, ?2, ?3)",
                params![invoice_id, adjustment.direction.code(), adjustment.reason],
            )?;
            let mut insert = s.conn.prepare_cached(
                "INSERT INTO invoice_adjustment_lines (invoice_id, line_no, name, unit, quantity, unit_price, vat_rate)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (i, l) in adjustment.lines.iter().enumerate() {
                insert.execute(params![invoice_id, i as i64 + 1, l.name, l.unit, l.quantity.0, l.unit_price.0, l.vat_rate.code()])?;
            }
            Ok(())
        })?;
        self.adjustment_of(invoice_id)?.ok_or(StoreError::not_found("adjustment", invoice_id))
    }

    /// The amounts an invoice adjusts; `None` for every invoice that is not an increase or
    /// decrease adjustment.
    pub fn adjustment_of(&self, invoice_id: i64) -> Result<Option<Adjustment>> {
        let head = self
            .conn
            .query_row(
                "SELECT direction, reason FROM invoice_adjustments WHERE invoice_id = ?1",
                [invoice_id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?;
        let Some((direction, reason)) = head else { return Ok(None) };
        let direction = AdjustmentDirection::from_code(&direction)
            .ok_or_else(|| StoreError::BadStoredValue(format!("adjustment direction {direction}")))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, unit, quantity, unit_price, vat_rate FROM invoice_adjustment_lines
             WHERE invoice_id = ?1 ORDER BY line_no",
        )?;
        let stored = stmt
            .query_map([invoice_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, String>(4)?))
            })?
            .map(|row| {
                let (name, unit, quantity, unit_price, rate) = row?;
                let vat_rate: VatRate = rate.parse().map_err(|_| StoreError::BadStoredValue(format!("VAT rate {rate}")))?;
                Ok(NewSaleLine { product_id: None, name, unit, quantity: Quantity(quantity), unit_price: Dong(unit_price), vat_rate })
            })
            .collect::<Result<Vec<_>>>()?;
        let (lines, totals) = price_lines(&stored)?;
        Ok(Some(Adjustment { invoice_id, direction, reason, lines, totals }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InvoiceStatus, NewInvoice, NewSale, SaleStatus};

    fn store_with_invoice() -> (Store, i64) {
        let store = Store::open_in_memory().unwrap();
        let sale = store
            .add_sale(&NewSale {
                customer_id: None,
                seller_id: None,
                status: SaleStatus::Completed,
                sold_at: 1_780_000_000,
                note: String::new(),
                lines: vec![NewSaleLine {
                    product_id: None,
                    name: "Gạo ST25".into(),
                    unit: "kg".into(),
                    quantity: Quantity::whole(10),
                    unit_price: Dong(30_000),
                    vat_rate: VatRate::Five,
                }],
            })
            .unwrap();
        let inv = store
            .create_invoice(&NewInvoice {
                sale_id: sale.id,
                provider: "vnpt".into(),
                key: "K-1".into(),
                template: "1".into(),
                symbol: "C26TAA".into(),
                status: InvoiceStatus::Queued,
                tax_authority_code: None,
                replaces_id: None,
                relation: crate::Relation::Original,
                account: None,
            })
            .unwrap();
        (store, inv.id)
    }

    fn increase() -> NewAdjustment {
        NewAdjustment {
            direction: AdjustmentDirection::Increase,
            reason: "Giao thêm 2 kg theo biên bản ngày 20/11".into(),
            lines: vec![NewSaleLine {
                product_id: None,
                name: "Gạo ST25".into(),
                unit: "kg".into(),
                quantity: Quantity::whole(2),
                unit_price: Dong(30_000),
                vat_rate: VatRate::Five,
            }],
        }
    }

    #[test]
    fn keeps_the_lines_and_prices_them_by_the_rules() {
        let (store, id) = store_with_invoice();
        assert_eq!(store.adjustment_of(id).unwrap(), None);
        let a = store.add_adjustment(id, &increase()).unwrap();
        assert_eq!(a.direction, AdjustmentDirection::Increase);
        assert_eq!(a.lines.len(), 1);
        assert_eq!(a.lines[0].amount, Dong(60_000));
        assert_eq!(a.totals.vat, Dong(3_000));
        assert_eq!(a.totals.total, Dong(63_000));
        assert_eq!(store.adjustment_of(id).unwrap(), Some(a));
    }

    #[test]
    fn what_was_written_cannot_be_changed_or_removed() {
        let (store, id) = store_with_invoice();
        store.add_adjustment(id, &increase()).unwrap();
        let conn = store.connection();
        assert!(conn.execute("UPDATE invoice_adjustment_lines SET unit_price = 1", []).is_err());
        assert!(conn.execute("DELETE FROM invoice_adjustment_lines", []).is_err());
        assert!(conn.execute("UPDATE invoice_adjustments SET direction = 'decrease'", []).is_err());
        assert!(conn.execute("DELETE FROM invoice_adjustments", []).is_err());
        assert_eq!(store.adjustment_of(id).unwrap().unwrap().totals.total, Dong(63_000));
    }

    #[test]
    fn an_adjustment_without_reason_or_with_a_zero_quantity_is_refused_whole() {
        let (store, id) = store_with_invoice();
        let mut no_reason = increase();
        no_reason.reason.clear();
        assert!(store.add_adjustment(id, &no_reason).is_err());
        let mut zero = increase();
        zero.lines.push(NewSaleLine { quantity: Quantity(0), ..zero.lines[0].clone() });
        assert!(store.add_adjustment(id, &zero).is_err());
        // Nothing half-written stays behind.
        assert_eq!(store.adjustment_of(id).unwrap(), None);
        let lines: i64 = store.connection().query_row("SELECT count(*) FROM invoice_adjustment_lines", [], |r| r.get(0)).unwrap();
        assert_eq!(lines, 0);
    }
}
