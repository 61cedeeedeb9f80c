-- An adjusting invoice that raises or lowers amounts (điều chỉnh tăng / giảm) does not carry
-- the sale's lines but the differences the owner typed, and a reason. They are written with
-- the invoice row, before anything is sent, so that a resend after a crash or a lost answer
-- sends exactly the same invoice. The relation of such an invoice stays 'adjust'.
CREATE TABLE invoice_adjustments (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id),
    direction  TEXT NOT NULL CHECK (direction IN ('increase', 'decrease')),
    reason     TEXT NOT NULL CHECK (reason <> '')
);

CREATE TABLE invoice_adjustment_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoice_adjustments (invoice_id),
    line_no    INTEGER NOT NULL,
    name       TEXT NOT NULL CHECK (name <> ''),
    unit       TEXT NOT NULL DEFAULT '',
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
    vat_rate   TEXT NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
) WITHOUT ROWID;

-- What was sent under a key must stay what a resend sends: no edits, no deletions.
CREATE TRIGGER invoice_adjustments_are_fixed_update BEFORE UPDATE ON invoice_adjustments
BEGIN
    SELECT RAISE(ABORT, 'invoice_adjustments cannot change once written');
END;
CREATE TRIGGER invoice_adjustments_are_fixed_delete BEFORE DELETE ON invoice_adjustments
BEGIN
    SELECT RAISE(ABORT, 'invoice_adjustments cannot change once written');
END;
CREATE TRIGGER invoice_adjustment_lines_are_fixed_update BEFORE UPDATE ON invoice_adjustment_lines
BEGIN
    SELECT RAISE(ABORT, 'invoice_adjustment_lines cannot change once written');
END;
CREATE TRIGGER invoice_adjustment_lines_are_fixed_delete BEFORE DELETE ON invoice_adjustment_lines
BEGIN
    SELECT RAISE(ABORT, 'invoice_adjustment_lines cannot change once written');
END;
