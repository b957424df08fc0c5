-- No query reads these three: FindDuplicates ORs sort_name, phone and email,
-- which SQLite answers by walking the consultant's rows (EXPLAIN QUERY
-- PLAN: customers_created (owner=?)), and no list filters on them. Each
-- cost every new customer a write at a random place of its B-tree: an
-- import of 130,000 rows wrote every page of each again and again.
DROP INDEX IF EXISTS customers_phone;
DROP INDEX IF EXISTS customers_email;
DROP INDEX IF EXISTS customers_dupname;
