-- A replacement or an adjustment is a second invoice of the same sale, issued while the
-- invoice it changes is still live. The rule "one live invoice per sale" now holds for
-- originals, and a second index keeps one live successor per invoice.
DROP INDEX invoices_one_live_per_sale;
CREATE UNIQUE INDEX invoices_one_live_per_sale ON invoices (sale_id)
    WHERE status NOT IN ('cancelled', 'replaced', 'adjusted') AND replaces_id IS NULL;
CREATE UNIQUE INDEX invoices_one_live_successor ON invoices (replaces_id)
    WHERE replaces_id IS NOT NULL AND status NOT IN ('cancelled', 'replaced', 'adjusted');
-- What a successor does to the invoice it names: 'replace' or 'adjust'.
ALTER TABLE invoices ADD COLUMN relation TEXT NOT NULL DEFAULT 'original'
    CHECK (relation IN ('original', 'replace', 'adjust'));
