use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Result, Store};

/// The seller printed on every invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShopProfile {
    /// The shop's (the seller's) name as printed on invoices.
    pub name: String,
    /// The shop's mã số thuế in canonical form; `None` when not filled in yet.
    pub tax_code: Option<String>,
    /// The shop's address as printed on invoices.
    pub address: String,
    /// The shop's phone number.
    pub phone: String,
    /// The shop's e-mail address.
    pub email: String,
    /// The shop's bank account, number and bank as typed (`0123456789 – Vietcombank, CN Hà Nội`).
    pub bank_account: String,
    /// Set while the shop holds the demo data filled on first start.
    pub is_demo: bool,
    /// When the shop started operating: the start of "from the start of operation" totals.
    #[ts(type = "number")]
    pub started_at: i64,
}

impl Store {
    /// The shop's details; `None` until they were first saved.
    pub fn shop(&self) -> Result<Option<ShopProfile>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, tax_code, address, phone, email, bank_account, is_demo, started_at FROM shop WHERE id = 1",
                [],
                |r| {
                    Ok(ShopProfile {
                        name: r.get(0)?,
                        tax_code: r.get(1)?,
                        address: r.get(2)?,
                        phone: r.get(3)?,
                        email: r.get(4)?,
                        bank_account: r.get(5)?,
                        is_demo: r.get(6)?,
                        started_at: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }

    /// Saves the shop's details, and keeps seller 1 (the shop itself) in step with its name,
    /// tax code and start date.
    pub fn save_shop(&self, shop: &ShopProfile) -> Result<()> {
        self.conn.execute(
            "INSERT INTO shop (id, name, tax_code, address, phone, email, bank_account, is_demo, started_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, tax_code = excluded.tax_code,
                address = excluded.address, phone = excluded.phone, email = excluded.email,
                bank_account = excluded.bank_account, is_demo = excluded.is_demo, started_at = excluded.started_at",
            params![shop.name, shop.tax_code, shop.address, shop.phone, shop.email, shop.bank_account, shop.is_demo, shop.started_at],
        )?;
        // The shop is its own first seller; keep its name in step.
        self.conn.execute(
            "INSERT INTO sellers (id, name, tax_code, created_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, tax_code = excluded.tax_code, created_at = excluded.created_at",
            params![shop.name, shop.tax_code, shop.started_at],
        )?;
        Ok(())
    }
}
