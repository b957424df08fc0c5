-- Issue 14: a search lists the cards named as typed first (store/rank.go).
--
-- name_key is store.NameKey, filled by the re-key at Open (keys version 3).
-- The search index carries it beside the words, so ranking a query's
-- matches still reads the index alone; it replaces customers_sort_search,
-- whose columns it begins with.
ALTER TABLE customers ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS customers_sort_rank ON customers (owner, archived, sort_key, id, search, name_key);
DROP INDEX IF EXISTS customers_sort_search;
