-- The first schema: everything a shop records. Money is whole đồng in INTEGER columns;
-- quantities are thousandths; moments are Unix seconds (UTC), shown in Asia/Ho_Chi_Minh.

CREATE TABLE shop (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    name         TEXT NOT NULL,
    tax_code     TEXT,
    address      TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    bank_account TEXT NOT NULL DEFAULT '',
    is_demo      INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER NOT NULL
);

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('person', 'business')),
    name       TEXT NOT NULL CHECK (name <> ''),
    buyer_name TEXT NOT NULL DEFAULT '',
    tax_code   TEXT,
    address    TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX customers_by_tax_code ON customers (tax_code) WHERE tax_code IS NOT NULL;
CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE);

-- A marketplace may host several sellers; a shop is its own single seller (id 1).
CREATE TABLE sellers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (name <> ''),
    tax_code   TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX sellers_by_created_at ON sellers (created_at);
-- The shop itself, so a sale can be recorded before the shop's details are filled in.
INSERT INTO sellers (id, name, created_at) VALUES (1, 'Cửa hàng', CAST(strftime('%s', 'now') AS INTEGER));

CREATE TABLE products (
    id         INTEGER PRIMARY KEY,
    sku        TEXT NOT NULL UNIQUE CHECK (sku <> ''),
    name       TEXT NOT NULL CHECK (name <> ''),
    unit       TEXT NOT NULL DEFAULT '',
    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
    vat_rate   TEXT NOT NULL,
    seller_id  INTEGER NOT NULL REFERENCES sellers (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX products_by_created_at ON products (created_at);

CREATE TABLE sales (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id),
    seller_id   INTEGER NOT NULL REFERENCES sellers (id),
    status      TEXT NOT NULL CHECK (status IN ('completed', 'failed', 'pending')),
    sold_at     INTEGER NOT NULL,
    subtotal    INTEGER NOT NULL,
    vat         INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
-- Covers the year-to-date aggregates (count per status, value of completed sales) without
-- touching the table.
CREATE INDEX sales_by_time ON sales (sold_at, status, total);
CREATE INDEX sales_by_customer ON sales (customer_id, sold_at);

CREATE TABLE sale_lines (
    sale_id    INTEGER NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL,
    product_id INTEGER REFERENCES products (id),
    name       TEXT NOT NULL CHECK (name <> ''),
    unit       TEXT NOT NULL DEFAULT '',
    quantity   INTEGER NOT NULL,
    unit_price INTEGER NOT NULL,
    amount     INTEGER NOT NULL,
    vat_rate   TEXT NOT NULL,
    vat        INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
) WITHOUT ROWID;

CREATE TABLE invoices (
    id                 INTEGER PRIMARY KEY,
    sale_id            INTEGER NOT NULL REFERENCES sales (id),
    provider           TEXT NOT NULL,
    -- Ikey / fkey: stored before the request goes out, so an unclear outcome can be
    -- reconciled by asking the provider about this key.
    key                TEXT NOT NULL UNIQUE,
    template           TEXT NOT NULL,
    symbol             TEXT NOT NULL,
    number             INTEGER,
    status             TEXT NOT NULL,
    tax_authority_code TEXT,
    lookup_code        TEXT,
    replaces_id        INTEGER REFERENCES invoices (id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    issued_at          INTEGER,
    last_error         TEXT
);
-- At most one live invoice per sale: the database itself refuses a second one.
CREATE UNIQUE INDEX invoices_one_live_per_sale ON invoices (sale_id)
    WHERE status NOT IN ('cancelled', 'replaced', 'adjusted');
CREATE INDEX invoices_by_status ON invoices (status, updated_at);

CREATE TABLE invoice_events (
    id         INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invoice_events_by_invoice ON invoice_events (invoice_id, id);
CREATE TRIGGER invoice_events_are_append_only_update BEFORE UPDATE ON invoice_events
BEGIN
    SELECT RAISE(ABORT, 'invoice_events is append-only');
END;
CREATE TRIGGER invoice_events_are_append_only_delete BEFORE DELETE ON invoice_events
BEGIN
    SELECT RAISE(ABORT, 'invoice_events is append-only');
END;

-- Visits per calendar day in Vietnam ('YYYY-MM-DD'), for the MOIT report.
CREATE TABLE visits (
    day    TEXT PRIMARY KEY,
    visits INTEGER NOT NULL CHECK (visits >= 0)
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Answers of partner look-ups by tax code, kept for offline use.
CREATE TABLE partner_cache (
    tax_code   TEXT PRIMARY KEY,
    payload    TEXT NOT NULL,
    source     TEXT NOT NULL,
    fetched_at INTEGER NOT NULL
) WITHOUT ROWID;
