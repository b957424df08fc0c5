-- The catalog.
CREATE TABLE IF NOT EXISTS products (
	owner     INTEGER NOT NULL,
	id        TEXT    NOT NULL,
	doc       TEXT    NOT NULL,
	search    TEXT    NOT NULL,
	sort_name TEXT    NOT NULL,
	sku       TEXT    NOT NULL, -- folded; '' when none
	category  TEXT    NOT NULL, -- folded
	archived  INTEGER NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;
CREATE INDEX IF NOT EXISTS products_name ON products (owner, archived, sort_name);
CREATE UNIQUE INDEX IF NOT EXISTS products_sku ON products (owner, sku) WHERE sku != '';

-- Orders: the document (items, payments, history) plus derived columns.
CREATE TABLE IF NOT EXISTS orders (
	owner       INTEGER NOT NULL,
	id          TEXT    NOT NULL,
	number      INTEGER NOT NULL,
	customer_id TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	pay_status  TEXT    NOT NULL,
	total       INTEGER NOT NULL,
	paid        INTEGER NOT NULL,
	cost        INTEGER NOT NULL,
	archived    INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	year_month  TEXT    NOT NULL,
	doc         TEXT    NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS orders_number ON orders (owner, number);
CREATE INDEX IF NOT EXISTS orders_list ON orders (owner, archived, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_customer ON orders (owner, customer_id, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_month ON orders (owner, year_month);

-- Per-owner counters (order numbers).
CREATE TABLE IF NOT EXISTS counters (
	owner INTEGER NOT NULL,
	name  TEXT    NOT NULL,
	value INTEGER NOT NULL,
	PRIMARY KEY (owner, name)
) STRICT;
