use hoadon_rules::{Dong, VatRate};
use rusqlite::{params, ErrorCode, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{now, Result, Store, StoreError};

/// A product of the shop's catalogue, as stored: what a sale line starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Product {
    /// The product's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The shop's own code for it, unique across the catalogue.
    pub sku: String,
    /// The name printed on invoice lines.
    pub name: String,
    /// Đơn vị tính: cái, kg, hộp…
    pub unit: String,
    /// The price of one unit before VAT, in whole đồng (never negative).
    pub unit_price: Dong,
    /// The VAT rate a line of it takes by default.
    pub vat_rate: VatRate,
    /// The seller who offers it; 1 is the shop itself.
    #[ts(type = "number")]
    pub seller_id: i64,
    /// When it was added, Unix seconds.
    #[ts(type = "number")]
    pub created_at: i64,
    /// When it was last changed, Unix seconds.
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// A product to add, or the new fields of one to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    /// The shop's own code for it; must not be empty nor another product's.
    pub sku: String,
    /// The name printed on invoice lines; must not be empty.
    pub name: String,
    /// Đơn vị tính: cái, kg, hộp…; may be empty.
    pub unit: String,
    /// The price of one unit before VAT, in whole đồng; the schema refuses a negative one.
    pub unit_price: Dong,
    /// The VAT rate a line of it takes by default.
    pub vat_rate: VatRate,
    /// The shop itself when `None`.
    pub seller_id: Option<i64>,
    /// Now when `None`; demo data and imports set it.
    pub created_at: Option<i64>,
}

const COLUMNS: &str = "id, sku, name, unit, unit_price, vat_rate, seller_id, created_at, updated_at";

fn read(r: &Row<'_>) -> rusqlite::Result<(Product, String)> {
    Ok((
        Product {
            id: r.get(0)?,
            sku: r.get(1)?,
            name: r.get(2)?,
            unit: r.get(3)?,
            unit_price: Dong(r.get(4)?),
            vat_rate: VatRate::Ten,
            seller_id: r.get(6)?,
            created_at: r.get(7)?,
            updated_at: r.get(8)?,
        },
        r.get(5)?,
    ))
}

fn finish((mut p, rate): (Product, String)) -> Result<Product> {
    p.vat_rate = rate.parse().map_err(|_| StoreError::BadStoredValue(format!("VAT rate {rate}")))?;
    Ok(p)
}

fn sku_taken(e: rusqlite::Error, sku: &str) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) if e.to_string().contains("products.sku") => {
            StoreError::DuplicateSku(sku.to_string())
        }
        _ => e.into(),
    }
}

impl Store {
    /// Adds a product and returns it as stored; [`StoreError::DuplicateSku`] when its SKU is taken.
    pub fn add_product(&self, p: &NewProduct) -> Result<Product> {
        let at = p.created_at.unwrap_or_else(now);
        self.conn
            .execute(
                "INSERT INTO products (sku, name, unit, unit_price, vat_rate, seller_id, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![p.sku, p.name, p.unit, p.unit_price.0, p.vat_rate.code(), p.seller_id.unwrap_or(1), at],
            )
            .map_err(|e| sku_taken(e, &p.sku))?;
        self.product(self.conn.last_insert_rowid())
    }

    /// Changes product `id` (SKU, name, unit, price, rate; the seller and creation date stay).
    /// [`StoreError::NotFound`] when there is none, [`StoreError::DuplicateSku`] when the new
    /// SKU is another product's. Sales already recorded keep the lines they had.
    pub fn update_product(&self, id: i64, p: &NewProduct) -> Result<Product> {
        let changed = self
            .conn
            .execute(
                "UPDATE products SET sku = ?2, name = ?3, unit = ?4, unit_price = ?5, vat_rate = ?6, updated_at = ?7
                 WHERE id = ?1",
                params![id, p.sku, p.name, p.unit, p.unit_price.0, p.vat_rate.code(), now()],
            )
            .map_err(|e| sku_taken(e, &p.sku))?;
        if changed == 0 {
            return Err(StoreError::not_found("product", id));
        }
        self.product(id)
    }

    /// Product `id`; [`StoreError::NotFound`] when there is none.
    pub fn product(&self, id: i64) -> Result<Product> {
        let found = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM products WHERE id = ?1"), [id], read)
            .optional()?;
        finish(found.ok_or(StoreError::not_found("product", id))?)
    }

    /// Products whose SKU or name contains `search`, by name.
    pub fn products(&self, search: &str) -> Result<Vec<Product>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM products
             WHERE ?1 = '' OR sku LIKE '%' || ?1 || '%' OR name LIKE '%' || ?1 || '%'
             ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = stmt.query_map([search.trim()], read)?;
        rows.map(|r| finish(r?)).collect()
    }
}
