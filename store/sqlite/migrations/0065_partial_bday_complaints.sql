-- Issue 16: an import writes fewer B-trees per customer (as 0064).
--
-- A customer without a birthday enters no customers_bday, and one without
-- open complaints (nearly all) no customers_complaints: the queries that
-- read them say bday != '' and complaints > 0 (store/sqlite/customers.go,
-- customerWhere; reports.go), so SQLite reads the partial indexes.
DROP INDEX IF EXISTS customers_bday;
CREATE INDEX IF NOT EXISTS customers_bday ON customers (owner, archived, bday) WHERE bday != '';
DROP INDEX IF EXISTS customers_complaints;
CREATE INDEX IF NOT EXISTS customers_complaints ON customers (owner, complaints) WHERE complaints > 0;
