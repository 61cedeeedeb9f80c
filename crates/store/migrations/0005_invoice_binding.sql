-- Never the wrong invoice.
-- `account`: a fingerprint (a hash, never a password) of where the row is sent: provider,
-- host, account and user, demo or real. Only the settings with the same fingerprint may send,
-- ask about or sign the row. NULL for rows written before this version: the first pass that
-- meets one binds it to the account then configured for its provider.
ALTER TABLE invoices ADD COLUMN account TEXT;
-- `lease_owner` / `lease_until`: the process sending the row now, and until when (Unix
-- seconds). Claimed inside BEGIN IMMEDIATE before any request; another process skips a
-- leased row; an expired lease (or one whose process is gone) may be taken.
ALTER TABLE invoices ADD COLUMN lease_owner TEXT;
ALTER TABLE invoices ADD COLUMN lease_until INTEGER;
-- `conflict`: for status 'key_conflict' ("Trùng mã"), what the provider holds under the key
-- and how it differs from this sale's invoice.
ALTER TABLE invoices ADD COLUMN conflict TEXT;
CREATE INDEX invoices_by_account ON invoices (account, status);
