-- The last tax-authority code sequence used by each cash register (máy tính tiền), so codes
-- M<1|2>-<yy>-<device>-<11 digits> stay unique and strictly increasing per device across
-- restarts. A sequence is taken in the same transaction that stores the invoice using it.
CREATE TABLE cash_register_sequences (
    device        TEXT PRIMARY KEY,
    last_sequence INTEGER NOT NULL CHECK (last_sequence >= 0)
) WITHOUT ROWID;
