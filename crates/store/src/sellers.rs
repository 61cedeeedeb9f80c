use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{now, Result, Store};

/// Someone who sells through the shop's platform. A single shop is its own seller (id 1);
/// a marketplace has several, and the MOIT report counts them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Seller {
    /// The seller's id; 1 is the shop itself.
    #[ts(type = "number")]
    pub id: i64,
    /// The seller's name.
    pub name: String,
    /// The seller's tax code, when known.
    pub tax_code: Option<String>,
    /// When the seller joined the platform, Unix seconds.
    #[ts(type = "number")]
    pub created_at: i64,
}

/// A seller to add to the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSeller {
    /// The seller's name; must not be empty (the schema refuses it).
    pub name: String,
    /// The seller's tax code, when known.
    pub tax_code: Option<String>,
    /// When the seller joined; now when `None`.
    pub created_at: Option<i64>,
}

fn read(r: &Row<'_>) -> rusqlite::Result<Seller> {
    Ok(Seller { id: r.get(0)?, name: r.get(1)?, tax_code: r.get(2)?, created_at: r.get(3)? })
}

impl Store {
    /// Adds a seller to the platform.
    pub fn add_seller(&self, s: &NewSeller) -> Result<Seller> {
        let at = s.created_at.unwrap_or_else(now);
        self.conn.execute(
            "INSERT INTO sellers (name, tax_code, created_at) VALUES (?1, ?2, ?3)",
            params![s.name, s.tax_code, at],
        )?;
        Ok(Seller { id: self.conn.last_insert_rowid(), name: s.name.clone(), tax_code: s.tax_code.clone(), created_at: at })
    }

    /// All sellers, the shop itself (id 1) first.
    pub fn sellers(&self) -> Result<Vec<Seller>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name, tax_code, created_at FROM sellers ORDER BY id")?;
        let rows = stmt.query_map([], read)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
