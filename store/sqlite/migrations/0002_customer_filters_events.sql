-- Derived keys for the /find filters and duplicate detection.
ALTER TABLE customers ADD COLUMN bday TEXT NOT NULL DEFAULT '';           -- "MMDD" or ''
ALTER TABLE customers ADD COLUMN order_statuses TEXT NOT NULL DEFAULT '|'; -- "|new|delivered|"
ALTER TABLE customers ADD COLUMN pay_statuses TEXT NOT NULL DEFAULT '|';
ALTER TABLE customers ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS customers_bday ON customers (owner, archived, bday);
CREATE INDEX IF NOT EXISTS customers_dupname ON customers (owner, sort_name);
CREATE INDEX IF NOT EXISTS customers_created ON customers (owner, archived, created_at);

-- Customers' timelines.
CREATE TABLE IF NOT EXISTS events (
	owner       INTEGER NOT NULL,
	id          TEXT    NOT NULL,
	customer_id TEXT    NOT NULL,
	at          INTEGER NOT NULL,
	doc         TEXT    NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;
CREATE INDEX IF NOT EXISTS events_customer ON events (owner, customer_id, at DESC, id DESC);
