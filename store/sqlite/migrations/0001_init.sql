-- Consultants: the tenants. The document is JSON; columns hold what is queried.
CREATE TABLE IF NOT EXISTS consultants (
	id         INTEGER PRIMARY KEY,
	doc        TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

-- Handled Telegram update ids, so none is handled twice.
CREATE TABLE IF NOT EXISTS updates (
	id      INTEGER PRIMARY KEY,
	expires INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS updates_expires ON updates (expires);

-- Forms in progress, one per owner and chat.
CREATE TABLE IF NOT EXISTS forms (
	owner      INTEGER NOT NULL,
	chat_id    INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (owner, chat_id)
) STRICT;

-- Customers: the JSON document plus derived keys for search and sorting.
CREATE TABLE IF NOT EXISTS customers (
	owner         INTEGER NOT NULL,
	id            TEXT    NOT NULL,
	doc           TEXT    NOT NULL,
	search        TEXT    NOT NULL,
	sort_name     TEXT    NOT NULL,
	tags          TEXT    NOT NULL, -- "|tag1|tag2|", folded
	phone         TEXT    NOT NULL,
	email         TEXT    NOT NULL,
	archived      INTEGER NOT NULL,
	last_order_at INTEGER,          -- unix ms, NULL without orders
	created_at    INTEGER NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;
CREATE INDEX IF NOT EXISTS customers_name  ON customers (owner, archived, sort_name, id);
CREATE INDEX IF NOT EXISTS customers_order ON customers (owner, archived, last_order_at);
CREATE INDEX IF NOT EXISTS customers_phone ON customers (owner, phone);
CREATE INDEX IF NOT EXISTS customers_email ON customers (owner, email);
