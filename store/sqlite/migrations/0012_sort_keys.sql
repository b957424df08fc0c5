-- Lists sort by a Kazakh collation key (store.SortKey, hex) instead of the
-- folded name, which stays in sort_name for duplicate detection.
ALTER TABLE customers ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS customers_sort ON customers (owner, archived, sort_key, id);
CREATE INDEX IF NOT EXISTS products_sort ON products (owner, archived, sort_key, id);
-- Nothing orders by sort_name any more (duplicates use customers_dupname).
DROP INDEX IF EXISTS customers_name;
DROP INDEX IF EXISTS products_name;

-- The version of the derived keys' definition (store.KeysVersion) the rows
-- were written with; Open re-keys every row when it is older. Rows written
-- before this migration have version 1's keys.
CREATE TABLE IF NOT EXISTS keys_version (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
) STRICT;
INSERT OR IGNORE INTO keys_version (id, version) VALUES (1, 1);
