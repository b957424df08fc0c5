-- Report keys kept at write time, so reports aggregate without parsing
-- every order's JSON.
ALTER TABLE orders ADD COLUMN costed INTEGER NOT NULL DEFAULT 0; -- every item's cost is known
CREATE TABLE IF NOT EXISTS order_items (
	owner    INTEGER NOT NULL,
	order_id TEXT    NOT NULL,
	line     INTEGER NOT NULL,
	name_key TEXT    NOT NULL, -- folded, to group spellings together
	name     TEXT    NOT NULL,
	qty      INTEGER NOT NULL,
	amount   INTEGER NOT NULL, -- qty × price
	margin   INTEGER NOT NULL, -- qty × (price − cost) where the cost is known, else 0
	PRIMARY KEY (owner, order_id, line)
) STRICT;
-- Orders written before this migration get their keys here.
UPDATE orders SET costed = NOT EXISTS (SELECT 1 FROM json_each(doc, '$.Items') WHERE coalesce(json_extract(value, '$.cost'), 0) = 0);
INSERT OR IGNORE INTO order_items (owner, order_id, line, name_key, name, qty, amount, margin)
	SELECT o.owner, o.id, i.key, lower(json_extract(i.value, '$.name')), json_extract(i.value, '$.name'), json_extract(i.value, '$.qty'),
		json_extract(i.value, '$.qty') * json_extract(i.value, '$.price'),
		CASE WHEN coalesce(json_extract(i.value, '$.cost'), 0) > 0 THEN json_extract(i.value, '$.qty') * (json_extract(i.value, '$.price') - json_extract(i.value, '$.cost')) ELSE 0 END
	FROM orders o, json_each(o.doc, '$.Items') i;
-- A covering index: reports read it without touching the orders' JSON.
CREATE INDEX IF NOT EXISTS orders_report ON orders (owner, archived, created_at, status, customer_id, total, paid, cost, costed, id);
CREATE INDEX IF NOT EXISTS order_items_name ON order_items (owner, order_id, name_key, name, qty, amount, margin);
CREATE INDEX IF NOT EXISTS orders_month_report ON orders (owner, year_month, archived, status, total);
