//! Invoice records and their append-only event log.
//!
//! The row of an invoice, with its provider key, is written *before* any request leaves the
//! app; the status then moves on as answers come back. The event log keeps every step
//! (sent, answered, timed out, reconciled…) and cannot be edited: triggers refuse UPDATE and
//! DELETE on it.

use rusqlite::{params, ErrorCode, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use hoadon_rules::symbol::InvoiceSymbol;

use crate::{now, AdjustmentDirection, EventKind, InvoiceActions, Relation, Result, Store, StoreError};

/// Where an invoice row stands between the app and its provider. The owner's words for each
/// are [`InvoiceStatus::label`]; [`InvoiceStatus::is_live`] says which hold the sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum InvoiceStatus {
    /// Waiting to be sent (the provider was unreachable, or the app is offline).
    Queued,
    /// A request is out; its answer has not been recorded yet.
    Sending,
    /// Imported at the provider but not signed.
    Draft,
    /// Signed and issued: it has its number and is the legal invoice of the sale.
    Issued,
    /// The provider refused it for a reason that needs a person (bad data, no quota…).
    Failed,
    /// The outcome is unclear: the provider must be asked by key before anything is sent again.
    NeedsReconcile,
    /// Cancelled at the provider, or set aside before it ever became an invoice (abandoned
    /// after a refusal or a "Trùng mã"). No longer live: the sale may be issued again.
    Cancelled,
    /// An adjusting invoice of it was issued; the adjustment now carries what changed.
    Adjusted,
    /// A replacement of it was issued (also the 0-đồng replacement some providers issue instead
    /// of cancelling, Decree 70/2025).
    Replaced,
    /// "Trùng mã": the provider holds, under this row's key, an invoice that is not this
    /// sale's (another amount or date: a restored backup or a copied data folder reused the
    /// key). Never issued; the owner may issue the sale again under a new key.
    KeyConflict,
}

impl InvoiceStatus {
    /// The stored (and serialised) code: `queued`, `needs_reconcile`, `key_conflict`…
    pub fn code(self) -> &'static str {
        match self {
            InvoiceStatus::Queued => "queued",
            InvoiceStatus::Sending => "sending",
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::Failed => "failed",
            InvoiceStatus::NeedsReconcile => "needs_reconcile",
            InvoiceStatus::Cancelled => "cancelled",
            InvoiceStatus::Adjusted => "adjusted",
            InvoiceStatus::Replaced => "replaced",
            InvoiceStatus::KeyConflict => "key_conflict",
        }
    }

    /// A stored code; `None` for any other text.
    pub fn from_code(code: &str) -> Option<InvoiceStatus> {
        Some(match code {
            "queued" => InvoiceStatus::Queued,
            "sending" => InvoiceStatus::Sending,
            "draft" => InvoiceStatus::Draft,
            "issued" => InvoiceStatus::Issued,
            "failed" => InvoiceStatus::Failed,
            "needs_reconcile" => InvoiceStatus::NeedsReconcile,
            "cancelled" => InvoiceStatus::Cancelled,
            "adjusted" => InvoiceStatus::Adjusted,
            "replaced" => InvoiceStatus::Replaced,
            "key_conflict" => InvoiceStatus::KeyConflict,
            _ => return None,
        })
    }

    /// A live invoice holds its sale: no second invoice may start for it.
    pub fn is_live(self) -> bool {
        !matches!(self, InvoiceStatus::Cancelled | InvoiceStatus::Replaced | InvoiceStatus::Adjusted)
    }
}

/// An invoice row as stored, with what the window derives from it (`actions`, `pdf_name`,
/// `kind_label`). The row exists from before the first request to the provider, so a
/// record without a number is normal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceRecord {
    /// The row's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The sale it invoices.
    #[ts(type = "number")]
    pub sale_id: i64,
    /// The provider it is sent to, by code (`vnpt`, `easyinvoice`…).
    pub provider: String,
    /// The app's key of the invoice at the provider (Ikey / fkey), unique, chosen before sending
    /// so an unclear outcome can be asked about by key.
    pub key: String,
    /// The template (mẫu số) as the provider takes it: `1`, or VNPT's `1/001`.
    pub template: String,
    /// The six-character symbol (ký hiệu), `C26TAA`.
    pub symbol: String,
    /// The invoice number the provider gave; `None` until issued.
    #[ts(type = "number | null")]
    pub number: Option<i64>,
    /// Where the row stands.
    pub status: InvoiceStatus,
    /// The tax authority's code (mã của cơ quan thuế), for a `C` symbol once issued, or a cash
    /// register's own code.
    pub tax_authority_code: Option<String>,
    /// The provider's look-up code (mã tra cứu) the buyer uses to find the invoice.
    pub lookup_code: Option<String>,
    /// The invoice this one replaces or adjusts; `None` for an original.
    #[ts(type = "number | null")]
    pub replaces_id: Option<i64>,
    /// `original`, or what this invoice does to the one it names: `replace` / `adjust`.
    pub relation: Relation,
    /// For an adjustment of amounts, whether it raises or lowers them (its lines are in
    /// [`Store::adjustment_of`]); `None` for every other invoice.
    pub adjustment: Option<AdjustmentDirection>,
    /// When the row was written, Unix seconds.
    #[ts(type = "number")]
    pub created_at: i64,
    /// When its status last changed, Unix seconds.
    #[ts(type = "number")]
    pub updated_at: i64,
    /// When it was first recorded as issued, Unix seconds.
    #[ts(type = "number | null")]
    pub issued_at: Option<i64>,
    /// The message of a refusal, an unclear outcome or a "Trùng mã" while the row is in that
    /// status (`failed`, `needs_reconcile`, `key_conflict`); `None` in any other.
    pub last_error: Option<String>,
    /// The fingerprint of the account the row is bound to (see [`NewInvoice::account`]);
    /// `None` for a row written before rows were bound.
    pub account: Option<String>,
    /// For "Trùng mã": what the provider holds under the key and how it differs.
    pub conflict: Option<String>,
    /// What its status lets the owner do (the list also weighs the row's account).
    #[serde(default)]
    pub actions: InvoiceActions,
    /// The name (without `.pdf`) of its PDF: see [`pdf_file_name`].
    #[serde(default)]
    pub pdf_name: String,
    /// What it is to the invoice it changes (`Relation::label`), e.g. "Hóa đơn thay thế";
    /// `None` for an original.
    #[serde(default)]
    pub kind_label: Option<String>,
}

/// The file name of a sale's PDF: `hoa-don-1C26TAA-42` for an issued invoice (the printed
/// symbol, so a VNPT pattern's `/` never reaches a path), `don-hang-7-ban-nhap` before.
pub fn pdf_file_name(sale_id: i64, issued: Option<&InvoiceRecord>) -> String {
    match issued {
        Some(inv) => {
            let symbol = InvoiceSymbol::parse(&inv.template, &inv.symbol).map(|s| s.to_string()).unwrap_or_else(|_| {
                format!("{}{}", inv.template, inv.symbol).chars().filter(char::is_ascii_alphanumeric).collect()
            });
            format!("hoa-don-{symbol}-{}", inv.number.unwrap_or_default())
        }
        None => format!("don-hang-{sale_id}-ban-nhap"),
    }
}

impl InvoiceRecord {
    /// Issued (or cancelled after being issued) with a number: its PDF is the invoice's.
    pub fn has_printed_number(&self) -> bool {
        matches!(self.status, InvoiceStatus::Issued | InvoiceStatus::Cancelled) && self.number.is_some()
    }
}

/// An invoice row to write before anything is sent ([`Store::create_invoice`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoice {
    /// The sale it invoices.
    pub sale_id: i64,
    /// The provider it will be sent to, by code.
    pub provider: String,
    /// The key chosen for it at the provider; must be unique.
    pub key: String,
    /// The template (mẫu số) as the provider takes it.
    pub template: String,
    /// The six-character symbol (ký hiệu).
    pub symbol: String,
    /// Its first status, usually [`InvoiceStatus::Queued`].
    pub status: InvoiceStatus,
    /// A code known before sending (a cash register's); usually `None`.
    pub tax_authority_code: Option<String>,
    /// The invoice it replaces or adjusts; `None` for an original.
    pub replaces_id: Option<i64>,
    /// What it is to `replaces_id`.
    pub relation: Relation,
    /// A fingerprint (a hash) of where the row is sent: provider, host, account, demo or
    /// real. Only settings with the same fingerprint touch the row.
    pub account: Option<String>,
}

/// Who is sending an invoice row now, and until when (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// Who holds it: the sender's own name, unique per sending process (the app names them
    /// `<host>/<pid>/<random>`, so a dead holder can be recognised).
    pub owner: String,
    /// When the lease expires, Unix seconds.
    pub until: i64,
}

/// One step of an invoice's event log: when, what, and the detail (the provider's words,
/// the reason). Append-only: the database refuses to change or remove one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceEvent {
    /// The event's id, increasing in the order events were written.
    #[ts(type = "number")]
    pub id: i64,
    /// The invoice it is about.
    #[ts(type = "number")]
    pub invoice_id: i64,
    /// When it happened, Unix seconds.
    #[ts(type = "number")]
    pub at: i64,
    /// What happened.
    pub kind: EventKind,
    /// The detail: the provider's message, the reason typed, the key…; may be empty.
    pub detail: String,
}

const COLUMNS: &str = "id, sale_id, provider, key, template, symbol, number, status, tax_authority_code, lookup_code, replaces_id, created_at, updated_at, issued_at, last_error, relation,
    (SELECT direction FROM invoice_adjustments a WHERE a.invoice_id = invoices.id), account, conflict";

fn read(r: &Row<'_>) -> rusqlite::Result<(InvoiceRecord, String, (String, Option<String>))> {
    Ok((
        InvoiceRecord {
            id: r.get(0)?,
            sale_id: r.get(1)?,
            provider: r.get(2)?,
            key: r.get(3)?,
            template: r.get(4)?,
            symbol: r.get(5)?,
            number: r.get(6)?,
            status: InvoiceStatus::Queued,
            tax_authority_code: r.get(8)?,
            lookup_code: r.get(9)?,
            replaces_id: r.get(10)?,
            created_at: r.get(11)?,
            updated_at: r.get(12)?,
            issued_at: r.get(13)?,
            last_error: r.get(14)?,
            relation: Relation::Original,
            adjustment: None,
            account: r.get(17)?,
            conflict: r.get(18)?,
            actions: InvoiceActions::default(),
            pdf_name: String::new(),
            kind_label: None,
        },
        r.get(7)?,
        (r.get(15)?, r.get(16)?),
    ))
}

fn finish((mut inv, status, (relation, adjustment)): (InvoiceRecord, String, (String, Option<String>))) -> Result<InvoiceRecord> {
    inv.status = InvoiceStatus::from_code(&status).ok_or_else(|| StoreError::BadStoredValue(format!("invoice status {status}")))?;
    inv.relation = Relation::from_code(&relation).ok_or_else(|| StoreError::BadStoredValue(format!("invoice relation {relation}")))?;
    inv.actions = InvoiceActions::of(inv.status, false);
    inv.pdf_name = pdf_file_name(inv.sale_id, Some(&inv).filter(|i| i.has_printed_number()));
    inv.adjustment = adjustment
        .map(|d| AdjustmentDirection::from_code(&d).ok_or_else(|| StoreError::BadStoredValue(format!("adjustment direction {d}"))))
        .transpose()?;
    inv.kind_label = inv.relation.label(inv.adjustment).map(str::to_owned);
    Ok(inv)
}

impl Store {
    /// Records a new invoice (and its first event) before anything is sent. Refused with
    /// [`StoreError::SaleAlreadyInvoiced`] when the sale already has a live invoice.
    pub fn create_invoice(&self, inv: &NewInvoice) -> Result<InvoiceRecord> {
        let at = now();
        self.conn
            .execute(
                "INSERT INTO invoices (sale_id, provider, key, template, symbol, status, tax_authority_code, replaces_id, relation, created_at, updated_at, account)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
                params![inv.sale_id, inv.provider, inv.key, inv.template, inv.symbol, inv.status.code(), inv.tax_authority_code, inv.replaces_id, inv.relation.code(), at, inv.account],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::ConstraintViolation)
                    if e.to_string().contains("invoices.sale_id") || e.to_string().contains("invoices.replaces_id") =>
                {
                    StoreError::SaleAlreadyInvoiced
                }
                _ => e.into(),
            })?;
        let id = self.conn.last_insert_rowid();
        self.append_invoice_event(id, EventKind::Created, &format!("key {}", inv.key))?;
        self.invoice(id)
    }

    /// Invoice `id`; [`StoreError::NotFound`] when there is none.
    pub fn invoice(&self, id: i64) -> Result<InvoiceRecord> {
        let found = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM invoices WHERE id = ?1"), [id], read)
            .optional()?;
        finish(found.ok_or(StoreError::not_found("invoice", id))?)
    }

    /// The invoice written under provider key `key`, if any.
    pub fn invoice_by_key(&self, key: &str) -> Result<Option<InvoiceRecord>> {
        let found = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM invoices WHERE key = ?1"), [key], read)
            .optional()?;
        found.map(finish).transpose()
    }

    /// The highest number the shop holds at `provider` in each template and symbol, as
    /// `(template, symbol, number)`: where that provider's list of later invoices starts.
    pub fn last_numbers(&self, provider: &str) -> Result<Vec<(String, String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT template, symbol, MAX(number) FROM invoices WHERE provider = ?1 AND number IS NOT NULL
             GROUP BY template, symbol ORDER BY template, symbol",
        )?;
        let rows = stmt.query_map([provider], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The keys of the shop's invoices at `provider` that have no number yet (waiting,
    /// sending, to be reconciled): the provider may have numbered them since.
    pub fn unnumbered_keys(&self, provider: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT key FROM invoices WHERE provider = ?1 AND number IS NULL ORDER BY id")?;
        let rows = stmt.query_map([provider], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest live invoice of a sale (see [`InvoiceStatus::is_live`]); `None` when the
    /// sale has none and may be invoiced.
    pub fn live_invoice_of_sale(&self, sale_id: i64) -> Result<Option<InvoiceRecord>> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM invoices WHERE sale_id = ?1 AND status NOT IN ('cancelled', 'replaced', 'adjusted')
                     ORDER BY id DESC LIMIT 1"
                ),
                [sale_id],
                read,
            )
            .optional()?;
        found.map(finish).transpose()
    }

    /// The live replacement or adjustment of an invoice, when one was started.
    pub fn live_successor_of(&self, invoice_id: i64) -> Result<Option<InvoiceRecord>> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM invoices WHERE replaces_id = ?1 AND status NOT IN ('cancelled', 'replaced', 'adjusted')"),
                [invoice_id],
                read,
            )
            .optional()?;
        found.map(finish).transpose()
    }

    /// All invoices of a sale, oldest first (cancelled and replaced ones included).
    pub fn invoices_of_sale(&self, sale_id: i64) -> Result<Vec<InvoiceRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM invoices WHERE sale_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([sale_id], read)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Invoices in any of `statuses` (all when empty), most recently changed first.
    pub fn invoices_with_status(&self, statuses: &[InvoiceStatus], limit: u32) -> Result<Vec<InvoiceRecord>> {
        let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
        let list = serde_json::to_string(&codes).expect("strings serialise");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM invoices
             WHERE ?1 = '[]' OR status IN (SELECT value FROM json_each(?1))
             ORDER BY updated_at DESC, id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![list, limit], read)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Moves an invoice to `status`, recording why in the event log.
    pub fn set_invoice_status(&self, id: i64, status: InvoiceStatus, event: EventKind, detail: &str) -> Result<()> {
        let error = matches!(status, InvoiceStatus::Failed | InvoiceStatus::NeedsReconcile | InvoiceStatus::KeyConflict).then_some(detail);
        let changed = self.conn.execute(
            "UPDATE invoices SET status = ?2, updated_at = ?3, last_error = ?4 WHERE id = ?1",
            params![id, status.code(), now(), error],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found("invoice", id));
        }
        self.append_invoice_event(id, event, detail)
    }

    /// Records what the provider gave back for an issued invoice.
    pub fn record_issued(
        &self,
        id: i64,
        number: Option<i64>,
        tax_authority_code: Option<&str>,
        lookup_code: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        let at = now();
        self.conn.execute(
            "UPDATE invoices SET status = 'issued', number = COALESCE(?2, number),
                tax_authority_code = COALESCE(?3, tax_authority_code), lookup_code = COALESCE(?4, lookup_code),
                issued_at = COALESCE(issued_at, ?5), updated_at = ?5, last_error = NULL
             WHERE id = ?1",
            params![id, number, tax_authority_code, lookup_code, at],
        )?;
        self.append_invoice_event(id, EventKind::Issued, detail)
    }

    /// "Trùng mã": the provider holds another invoice under the row's key. `conflict` says
    /// what differs; the row is never issued.
    pub fn record_key_conflict(&self, id: i64, conflict: &str, message: &str) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE invoices SET status = 'key_conflict', conflict = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, conflict, message, now()],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found("invoice", id));
        }
        self.append_invoice_event(id, EventKind::KeyConflict, conflict)
    }

    /// Binds rows written before rows carried their account (`account IS NULL`) of
    /// `provider` and still waiting for the provider to the account `account`. How many.
    pub fn bind_unbound_invoices(&self, provider: &str, account: &str) -> Result<usize> {
        let ids: Vec<i64> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id FROM invoices WHERE account IS NULL AND provider = ?1
                 AND status IN ('queued', 'sending', 'needs_reconcile', 'draft', 'failed')",
            )?;
            let rows = stmt.query_map([provider], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for &id in &ids {
            self.conn.execute("UPDATE invoices SET account = ?2 WHERE id = ?1 AND account IS NULL", params![id, account])?;
            self.append_invoice_event(id, EventKind::Bound, "gắn với tài khoản hóa đơn đang cài đặt")?;
        }
        Ok(ids.len())
    }

    /// Who holds the row's lease, if anyone (expired leases included).
    pub fn invoice_lease(&self, id: i64) -> Result<Option<Lease>> {
        let found: Option<(Option<String>, Option<i64>)> =
            self.conn.query_row("SELECT lease_owner, lease_until FROM invoices WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let (owner, until) = found.ok_or(StoreError::not_found("invoice", id))?;
        Ok(owner.map(|owner| Lease { owner, until: until.unwrap_or(0) }))
    }

    /// Claims the row for `owner` until `until`, unless another owner holds a lease that has
    /// not expired at `now` and whose holder `gone` does not know to be dead. Whether it was
    /// claimed. Call it inside [`Store::in_transaction`] (BEGIN IMMEDIATE), together with
    /// reading the row's state, so that two processes never both see it free.
    pub fn claim_invoice(&self, id: i64, owner: &str, now: i64, until: i64, gone: &dyn Fn(&Lease) -> bool) -> Result<bool> {
        if let Some(held) = self.invoice_lease(id)? {
            if held.owner != owner && held.until >= now && !gone(&held) {
                return Ok(false);
            }
            if held.owner != owner {
                tracing::info!(invoice = id, holder = %held.owner, "took over a lease that expired or whose process is gone");
            }
        }
        self.conn.execute("UPDATE invoices SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1", params![id, owner, until])?;
        Ok(true)
    }

    /// Extends `owner`'s lease; `false` when `owner` no longer holds it.
    pub fn renew_invoice_lease(&self, id: i64, owner: &str, until: i64) -> Result<bool> {
        let changed = self.conn.execute("UPDATE invoices SET lease_until = ?3 WHERE id = ?1 AND lease_owner = ?2", params![id, owner, until])?;
        Ok(changed == 1)
    }

    /// Gives the row up, if `owner` holds it.
    pub fn release_invoice(&self, id: i64, owner: &str) -> Result<()> {
        self.conn.execute("UPDATE invoices SET lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?2", params![id, owner])?;
        Ok(())
    }

    /// Keeps the look-up code ("Mã tra cứu") the provider gave after the invoice was issued.
    pub fn record_lookup_code(&self, id: i64, code: &str) -> Result<()> {
        self.conn.execute("UPDATE invoices SET lookup_code = ?2, updated_at = ?3 WHERE id = ?1", params![id, code, now()])?;
        self.append_invoice_event(id, EventKind::LookupCode, code)
    }

    /// The next tax-authority code sequence of a cash register, counted in the database so it
    /// never repeats or goes back, even across a crash. Call it in the transaction that
    /// stores the invoice carrying the code.
    pub fn next_cash_register_sequence(&self, device: &str) -> Result<u64> {
        let next: i64 = self.conn.query_row(
            "INSERT INTO cash_register_sequences (device, last_sequence) VALUES (?1, 1)
             ON CONFLICT (device) DO UPDATE SET last_sequence = last_sequence + 1
             RETURNING last_sequence",
            [device],
            |r| r.get(0),
        )?;
        Ok(next as u64)
    }

    /// Adds a step to invoice `invoice_id`'s event log, dated now.
    pub fn append_invoice_event(&self, invoice_id: i64, kind: EventKind, detail: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO invoice_events (invoice_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
            params![invoice_id, now(), kind.code(), detail],
        )?;
        Ok(())
    }

    /// The event log of an invoice, oldest first.
    pub fn invoice_events(&self, invoice_id: i64) -> Result<Vec<InvoiceEvent>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, invoice_id, at, kind, detail FROM invoice_events WHERE invoice_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([invoice_id], |r| {
            Ok(InvoiceEvent { id: r.get(0)?, invoice_id: r.get(1)?, at: r.get(2)?, kind: EventKind::from_code(&r.get::<_, String>(3)?), detail: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
