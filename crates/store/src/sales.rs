use hoadon_rules::vat::TaxedLine;
use hoadon_rules::{Dong, Quantity, VatRate, VatTotals};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::invoices::InvoiceRecord;
use crate::{now, Result, Store, StoreError};

/// Where a sale stands, as the MOIT report counts orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SaleStatus {
    /// Paid and delivered: counted as a successful order, its value in the turnover.
    Completed,
    /// Cancelled by the buyer or failed: counted as an unsuccessful order.
    Failed,
    /// Not settled yet.
    Pending,
}

impl SaleStatus {
    /// Every status, in the order the sale form and the filter offer them.
    pub const ALL: [SaleStatus; 3] = [SaleStatus::Completed, SaleStatus::Failed, SaleStatus::Pending];

    /// The status in the owner's words, the same in the window and the CLI.
    pub fn label(self) -> &'static str {
        match self {
            SaleStatus::Completed => "Hoàn thành",
            SaleStatus::Failed => "Thất bại, khách hủy",
            SaleStatus::Pending => "Chờ xử lý",
        }
    }

    /// The stored code: `completed`, `failed` or `pending`.
    pub fn code(self) -> &'static str {
        match self {
            SaleStatus::Completed => "completed",
            SaleStatus::Failed => "failed",
            SaleStatus::Pending => "pending",
        }
    }

    /// A stored code; `None` for any other text.
    pub fn from_code(code: &str) -> Option<SaleStatus> {
        match code {
            "completed" => Some(SaleStatus::Completed),
            "failed" => Some(SaleStatus::Failed),
            "pending" => Some(SaleStatus::Pending),
            _ => None,
        }
    }
}

/// One line as entered: the amount and VAT are computed, never typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSaleLine {
    /// The catalogue product it was picked from; `None` for a line typed freely.
    pub product_id: Option<i64>,
    /// What was sold, as printed on the invoice line; must not be empty.
    pub name: String,
    /// Đơn vị tính (cái, kg…); may be empty.
    pub unit: String,
    /// How many, up to three decimals; negative for a returned item.
    pub quantity: Quantity,
    /// The price of one unit before VAT, in whole đồng; negative for a discount line.
    pub unit_price: Dong,
    /// The line's VAT rate.
    pub vat_rate: VatRate,
}

/// A sale to record, with its lines as entered. The store prices the lines itself
/// ([`price_lines`]); it does not check what a person typed (that is `hoadon-core`'s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSale {
    /// The customer, or `None` for a walk-in buyer (khách lẻ).
    pub customer_id: Option<i64>,
    /// The shop itself when `None`.
    pub seller_id: Option<i64>,
    /// Where the sale stands.
    pub status: SaleStatus,
    /// Unix seconds.
    pub sold_at: i64,
    /// The owner's note; may be empty.
    pub note: String,
    /// The lines, in order; at least one ([`StoreError::EmptySale`] otherwise).
    pub lines: Vec<NewSaleLine>,
}

/// One line of a recorded sale, priced: the amount and VAT were computed by
/// [`price_lines`] when the sale was saved and are read back as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleLine {
    /// The line's number on the sale and invoice, from 1.
    pub line_no: u32,
    /// The catalogue product it was picked from; `None` for a line typed freely.
    #[ts(type = "number | null")]
    pub product_id: Option<i64>,
    /// What was sold, as printed on the invoice line.
    pub name: String,
    /// Đơn vị tính (cái, kg…); may be empty.
    pub unit: String,
    /// How many, up to three decimals; negative for a returned item.
    pub quantity: Quantity,
    /// The price of one unit before VAT, in whole đồng.
    pub unit_price: Dong,
    /// quantity × unit price, rounded half away from zero.
    pub amount: Dong,
    /// The line's VAT rate.
    pub vat_rate: VatRate,
    /// The line's VAT, rounded half away from zero to the đồng.
    pub vat: Dong,
}

/// The customer of a sale, as much of it as a sale screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleCustomer {
    /// The customer's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The customer's name.
    pub name: String,
    /// The customer's tax code, when it has one.
    pub tax_code: Option<String>,
}

/// A recorded sale with its lines, totals and latest invoice: what the sale screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Sale {
    /// The sale's number (`#42`).
    #[ts(type = "number")]
    pub id: i64,
    /// The customer, or `None` for a walk-in buyer.
    pub customer: Option<SaleCustomer>,
    /// The seller who made the sale; 1 is the shop itself.
    #[ts(type = "number")]
    pub seller_id: i64,
    /// Where the sale stands.
    pub status: SaleStatus,
    /// When it was sold, Unix seconds.
    #[ts(type = "number")]
    pub sold_at: i64,
    /// The owner's note.
    pub note: String,
    /// The lines, in order.
    pub lines: Vec<SaleLine>,
    /// Subtotal, VAT per rate and total, from the stored lines.
    pub totals: VatTotals,
    /// The sale's latest invoice: the live one, or the last cancelled one (so the screen can
    /// say "Đã hủy" and offer to issue again).
    pub invoice: Option<InvoiceRecord>,
    /// When it was recorded, Unix seconds (may differ from `sold_at` for a sale entered late).
    #[ts(type = "number")]
    pub created_at: i64,
}

/// A row of the sales list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleSummary {
    /// The sale's number.
    #[ts(type = "number")]
    pub id: i64,
    /// When it was sold, Unix seconds.
    #[ts(type = "number")]
    pub sold_at: i64,
    /// The customer's name; `None` for a walk-in buyer.
    pub customer_name: Option<String>,
    /// Where the sale stands.
    pub status: SaleStatus,
    /// The amount before VAT, in đồng.
    pub subtotal: Dong,
    /// The VAT, in đồng.
    pub vat: Dong,
    /// What the buyer pays, in đồng.
    pub total: Dong,
    /// The code of the live invoice's [`InvoiceStatus`](crate::InvoiceStatus) (`issued`…);
    /// `None` when the sale has no live invoice.
    pub invoice_status: Option<String>,
    /// The live invoice's number, once the provider gave one.
    #[ts(type = "number | null")]
    pub invoice_number: Option<i64>,
}

/// Which sales [`Store::sales`] lists, and which page of them. Every field left `None`
/// leaves that condition out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleFilter {
    /// Matches the customer's name or tax code, or the sale number.
    pub search: Option<String>,
    /// Unix seconds, inclusive.
    #[ts(type = "number | null")]
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    #[ts(type = "number | null")]
    pub to: Option<i64>,
    /// Only sales with this status.
    pub status: Option<SaleStatus>,
    /// At most this many rows; 200 when `None`.
    pub limit: Option<u32>,
    /// Skip this many rows first (paging); 0 when `None`.
    pub offset: Option<u32>,
}

/// Computes each line's amount and VAT and the sale's totals, by the rules of `hoadon-rules`.
pub fn price_lines(lines: &[NewSaleLine]) -> Result<(Vec<SaleLine>, VatTotals)> {
    let mut priced = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let amount = l.quantity.times(l.unit_price)?;
        priced.push(SaleLine {
            line_no: i as u32 + 1,
            product_id: l.product_id,
            name: l.name.clone(),
            unit: l.unit.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            amount,
            vat_rate: l.vat_rate,
            vat: l.vat_rate.vat_on(amount),
        });
    }
    let totals = VatTotals::of(priced.iter().map(|l| TaxedLine { amount: l.amount, rate: l.vat_rate }))?;
    Ok((priced, totals))
}

impl Store {
    /// Saves a sale and its lines in one transaction; when this returns `Ok`, the sale is on disk.
    pub fn add_sale(&self, sale: &NewSale) -> Result<Sale> {
        let id = self.in_transaction(|s| s.insert_sale(sale))?;
        self.sale(id)
    }

    /// Saves many sales in one transaction (imports, demo data, benchmarks).
    pub fn add_sales(&self, sales: &[NewSale]) -> Result<Vec<i64>> {
        self.in_transaction(|s| sales.iter().map(|sale| s.insert_sale(sale)).collect())
    }

    fn insert_sale(&self, sale: &NewSale) -> Result<i64> {
        if sale.lines.is_empty() {
            return Err(StoreError::EmptySale);
        }
        let (lines, totals) = price_lines(&sale.lines)?;
        let mut insert_sale = self.conn.prepare_cached(
            "INSERT INTO sales (customer_id, seller_id, status, sold_at, subtotal, vat, total, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        insert_sale.execute(params![
            sale.customer_id,
            sale.seller_id.unwrap_or(1),
            sale.status.code(),
            sale.sold_at,
            totals.subtotal.0,
            totals.vat.0,
            totals.total.0,
            sale.note,
            now()
        ])?;
        let id = self.conn.last_insert_rowid();
        let mut insert_line = self.conn.prepare_cached(
            "INSERT INTO sale_lines (sale_id, line_no, product_id, name, unit, quantity, unit_price, amount, vat_rate, vat)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for l in &lines {
            insert_line.execute(params![
                id,
                l.line_no,
                l.product_id,
                l.name,
                l.unit,
                l.quantity.0,
                l.unit_price.0,
                l.amount.0,
                l.vat_rate.code(),
                l.vat.0
            ])?;
        }
        Ok(id)
    }

    /// Sale `id` with its lines, totals and latest invoice; [`StoreError::NotFound`] when there
    /// is none.
    pub fn sale(&self, id: i64) -> Result<Sale> {
        let head = self
            .conn
            .query_row(
                "SELECT s.id, s.customer_id, c.name, c.tax_code, s.seller_id, s.status, s.sold_at, s.note, s.created_at
                 FROM sales s LEFT JOIN customers c ON c.id = s.customer_id WHERE s.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, i64>(8)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::not_found("sale", id))?;
        let (id, customer_id, customer_name, tax_code, seller_id, status, sold_at, note, created_at) = head;
        let mut stmt = self.conn.prepare_cached(
            "SELECT line_no, product_id, name, unit, quantity, unit_price, amount, vat_rate, vat
             FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no",
        )?;
        let lines = stmt
            .query_map([id], |r| {
                Ok((
                    SaleLine {
                        line_no: r.get(0)?,
                        product_id: r.get(1)?,
                        name: r.get(2)?,
                        unit: r.get(3)?,
                        quantity: Quantity(r.get(4)?),
                        unit_price: Dong(r.get(5)?),
                        amount: Dong(r.get(6)?),
                        vat_rate: VatRate::Zero,
                        vat: Dong(r.get(8)?),
                    },
                    r.get::<_, String>(7)?,
                ))
            })?
            .map(|row| {
                let (mut line, rate) = row?;
                line.vat_rate = rate.parse().map_err(|_| StoreError::BadStoredValue(format!("VAT rate {rate}")))?;
                Ok(line)
            })
            .collect::<Result<Vec<_>>>()?;
        let totals = VatTotals::of(lines.iter().map(|l| TaxedLine { amount: l.amount, rate: l.vat_rate }))?;
        Ok(Sale {
            id,
            customer: customer_id.map(|cid| SaleCustomer { id: cid, name: customer_name.unwrap_or_default(), tax_code }),
            seller_id,
            status: SaleStatus::from_code(&status).ok_or_else(|| StoreError::BadStoredValue(format!("sale status {status}")))?,
            sold_at,
            note,
            lines,
            totals,
            invoice: self.invoices_of_sale(id)?.pop(),
            created_at,
        })
    }

    /// The sales list, newest first.
    pub fn sales(&self, f: &SaleFilter) -> Result<Vec<SaleSummary>> {
        let search = f.search.as_deref().map(str::trim).unwrap_or("");
        let sale_no: i64 = search.trim_start_matches(['#', 'D', 'H', 'd', 'h']).parse().unwrap_or(-1);
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.sold_at, c.name, s.status, s.subtotal, s.vat, s.total, i.status, i.number
             FROM sales s
             LEFT JOIN customers c ON c.id = s.customer_id
             LEFT JOIN invoices i ON i.sale_id = s.id AND i.status NOT IN ('cancelled', 'replaced', 'adjusted')
             WHERE (?1 = '' OR c.name LIKE '%' || ?1 || '%' OR c.tax_code LIKE ?1 || '%' OR s.id = ?2)
               AND (?3 IS NULL OR s.sold_at >= ?3)
               AND (?4 IS NULL OR s.sold_at < ?4)
               AND (?5 IS NULL OR s.status = ?5)
             ORDER BY s.sold_at DESC, s.id DESC
             LIMIT ?6 OFFSET ?7",
        )?;
        let rows = stmt.query_map(
            params![
                search,
                sale_no,
                f.from,
                f.to,
                f.status.map(SaleStatus::code),
                f.limit.unwrap_or(200),
                f.offset.unwrap_or(0)
            ],
            |r| {
                Ok((
                    SaleSummary {
                        id: r.get(0)?,
                        sold_at: r.get(1)?,
                        customer_name: r.get(2)?,
                        status: SaleStatus::Pending,
                        subtotal: Dong(r.get(4)?),
                        vat: Dong(r.get(5)?),
                        total: Dong(r.get(6)?),
                        invoice_status: r.get(7)?,
                        invoice_number: r.get(8)?,
                    },
                    r.get::<_, String>(3)?,
                ))
            },
        )?;
        rows.map(|row| {
            let (mut s, status) = row?;
            s.status = SaleStatus::from_code(&status).ok_or_else(|| StoreError::BadStoredValue(format!("sale status {status}")))?;
            Ok(s)
        })
        .collect()
    }

    /// Changes where sale `id` stands (paid, failed…); [`StoreError::NotFound`] when there is
    /// none. Its lines and invoice are left as they are.
    pub fn set_sale_status(&self, id: i64, status: SaleStatus) -> Result<()> {
        let changed = self.conn.execute("UPDATE sales SET status = ?2 WHERE id = ?1", params![id, status.code()])?;
        if changed == 0 {
            return Err(StoreError::not_found("sale", id));
        }
        Ok(())
    }

    /// How many sales are recorded, whatever their status.
    pub fn count_sales(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM sales", [], |r| r.get(0))?)
    }
}
