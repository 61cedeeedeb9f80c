use hoadon_rules::TaxCode;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{now, Result, Store, StoreError};

/// Whether a customer is a private person or a business: it decides which name goes where on
/// the invoice and whether a tax code is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerKind {
    /// A private person: a tax code is optional (a 12-digit ID number when given).
    Person,
    /// A company or household business that needs its tax code on the invoice.
    Business,
}

impl CustomerKind {
    fn code(self) -> &'static str {
        match self {
            CustomerKind::Person => "person",
            CustomerKind::Business => "business",
        }
    }

    fn from_code(code: &str) -> Result<CustomerKind> {
        match code {
            "person" => Ok(CustomerKind::Person),
            "business" => Ok(CustomerKind::Business),
            other => Err(StoreError::BadStoredValue(format!("customer kind {other}"))),
        }
    }
}

/// A customer of the shop as stored: the buyer printed on its invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Customer {
    /// The customer's id.
    #[ts(type = "number")]
    pub id: i64,
    /// Person or business.
    pub kind: CustomerKind,
    /// The person's name, or the business's registered name.
    pub name: String,
    /// For a business: the person who buys on its behalf (printed as "Họ tên người mua hàng").
    pub buyer_name: String,
    /// The canonical tax code (or a person's 12-digit ID number), when given.
    pub tax_code: Option<String>,
    /// The address printed on invoices; may be empty.
    pub address: String,
    /// The customer's e-mail address; may be empty.
    pub email: String,
    /// The customer's phone number; may be empty.
    pub phone: String,
    /// When the customer was added, Unix seconds.
    #[ts(type = "number")]
    pub created_at: i64,
    /// When the customer was last changed, Unix seconds.
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// A validated customer, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    /// Person or business.
    pub kind: CustomerKind,
    /// The person's name, or the business's registered name; must not be empty.
    pub name: String,
    /// For a business: the person who buys on its behalf; may be empty.
    pub buyer_name: String,
    /// The tax code, already validated.
    pub tax_code: Option<TaxCode>,
    /// The address printed on invoices.
    pub address: String,
    /// The customer's e-mail address.
    pub email: String,
    /// The customer's phone number.
    pub phone: String,
}

const COLUMNS: &str = "id, kind, name, buyer_name, tax_code, address, email, phone, created_at, updated_at";

fn read(r: &Row<'_>) -> rusqlite::Result<(Customer, String)> {
    Ok((
        Customer {
            id: r.get(0)?,
            kind: CustomerKind::Person,
            name: r.get(2)?,
            buyer_name: r.get(3)?,
            tax_code: r.get(4)?,
            address: r.get(5)?,
            email: r.get(6)?,
            phone: r.get(7)?,
            created_at: r.get(8)?,
            updated_at: r.get(9)?,
        },
        r.get(1)?,
    ))
}

fn finish((mut c, kind): (Customer, String)) -> Result<Customer> {
    c.kind = CustomerKind::from_code(&kind)?;
    Ok(c)
}

impl Store {
    /// Adds a customer and returns it as stored.
    pub fn add_customer(&self, c: &NewCustomer) -> Result<Customer> {
        let at = now();
        self.conn.execute(
            "INSERT INTO customers (kind, name, buyer_name, tax_code, address, email, phone, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![c.kind.code(), c.name, c.buyer_name, c.tax_code.as_ref().map(|t| t.as_str()), c.address, c.email, c.phone, at],
        )?;
        self.customer(self.conn.last_insert_rowid())
    }

    /// Replaces every field of customer `id`; [`StoreError::NotFound`] when there is none.
    /// Sales keep pointing at the customer, so their lists show the new name.
    pub fn update_customer(&self, id: i64, c: &NewCustomer) -> Result<Customer> {
        let changed = self.conn.execute(
            "UPDATE customers SET kind = ?2, name = ?3, buyer_name = ?4, tax_code = ?5, address = ?6,
                email = ?7, phone = ?8, updated_at = ?9 WHERE id = ?1",
            params![id, c.kind.code(), c.name, c.buyer_name, c.tax_code.as_ref().map(|t| t.as_str()), c.address, c.email, c.phone, now()],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found("customer", id));
        }
        self.customer(id)
    }

    /// Customer `id`; [`StoreError::NotFound`] when there is none.
    pub fn customer(&self, id: i64) -> Result<Customer> {
        let found = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"), [id], read)
            .optional()?;
        finish(found.ok_or(StoreError::not_found("customer", id))?)
    }

    /// Customers whose name, tax code, phone or e-mail contains `search`, by name.
    pub fn customers(&self, search: &str) -> Result<Vec<Customer>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers
             WHERE ?1 = '' OR name LIKE '%' || ?1 || '%' OR tax_code LIKE '%' || ?1 || '%'
                OR phone LIKE '%' || ?1 || '%' OR email LIKE '%' || ?1 || '%'
             ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = stmt.query_map([search.trim()], read)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// The customers stored under exactly this (canonical) tax code: none, one, or several
    /// entered twice.
    pub fn customers_with_tax_code(&self, tax_code: &str) -> Result<Vec<Customer>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE tax_code = ?1"))?;
        let rows = stmt.query_map([tax_code], read)?;
        rows.map(|r| finish(r?)).collect()
    }
}
