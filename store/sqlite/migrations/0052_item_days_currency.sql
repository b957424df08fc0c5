-- Issue 14: best sellers show revenue per currency, so the report lines and
-- their daily counters (0032) keep the order's currency: a product sold in
-- tenge and in roubles has a counter per currency, summed apart.
ALTER TABLE order_items ADD COLUMN currency TEXT NOT NULL DEFAULT '';
UPDATE order_items SET currency = coalesce((SELECT o.currency FROM orders o WHERE o.owner = order_items.owner AND o.id = order_items.order_id), '');
DROP INDEX IF EXISTS order_items_sales;
CREATE INDEX IF NOT EXISTS order_items_sales ON order_items (owner, counted, name_key, created_at, name, qty, amount, margin, currency);

DROP TRIGGER IF EXISTS item_days_insert;
DROP TRIGGER IF EXISTS item_days_delete;
DROP TRIGGER IF EXISTS item_days_update_old;
DROP TRIGGER IF EXISTS item_days_update_new;
DROP TABLE IF EXISTS item_days;

CREATE TABLE IF NOT EXISTS item_days (
	owner    INTEGER NOT NULL,
	day      INTEGER NOT NULL, -- created_at / 86,400,000 (UTC days since 1970)
	name_key TEXT    NOT NULL,
	currency TEXT    NOT NULL,
	name     TEXT    NOT NULL, -- the least spelling of the day's lines
	lines    INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	amount   INTEGER NOT NULL,
	margin   INTEGER NOT NULL,
	PRIMARY KEY (owner, day, name_key, currency)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO item_days (owner, day, name_key, currency, name, lines, qty, amount, margin)
	SELECT owner, created_at / 86400000, name_key, currency, min(name), count(*), sum(qty), sum(amount), sum(margin)
	FROM order_items WHERE counted = 1 GROUP BY owner, created_at / 86400000, name_key, currency;

CREATE TRIGGER IF NOT EXISTS item_days_insert AFTER INSERT ON order_items WHEN new.counted = 1
BEGIN
	INSERT INTO item_days (owner, day, name_key, currency, name, lines, qty, amount, margin)
		VALUES (new.owner, new.created_at / 86400000, new.name_key, new.currency, new.name, 1, new.qty, new.amount, new.margin)
		ON CONFLICT (owner, day, name_key, currency) DO UPDATE SET name = min(name, excluded.name), lines = lines + 1,
			qty = qty + excluded.qty, amount = amount + excluded.amount, margin = margin + excluded.margin;
END;

CREATE TRIGGER IF NOT EXISTS item_days_delete AFTER DELETE ON order_items WHEN old.counted = 1
BEGIN
	UPDATE item_days SET lines = lines - 1, qty = qty - old.qty, amount = amount - old.amount, margin = margin - old.margin,
		name = coalesce((SELECT min(name) FROM order_items WHERE owner = old.owner AND counted = 1 AND name_key = old.name_key AND currency = old.currency
			AND created_at >= old.created_at / 86400000 * 86400000 AND created_at < (old.created_at / 86400000 + 1) * 86400000), name)
		WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key AND currency = old.currency;
	DELETE FROM item_days WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key AND currency = old.currency AND lines <= 0;
END;

CREATE TRIGGER IF NOT EXISTS item_days_update_old AFTER UPDATE ON order_items WHEN old.counted = 1
BEGIN
	UPDATE item_days SET lines = lines - 1, qty = qty - old.qty, amount = amount - old.amount, margin = margin - old.margin
		WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key AND currency = old.currency;
	DELETE FROM item_days WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key AND currency = old.currency AND lines <= 0;
END;
CREATE TRIGGER IF NOT EXISTS item_days_update_new AFTER UPDATE ON order_items WHEN new.counted = 1
BEGIN
	INSERT INTO item_days (owner, day, name_key, currency, name, lines, qty, amount, margin)
		VALUES (new.owner, new.created_at / 86400000, new.name_key, new.currency, new.name, 1, new.qty, new.amount, new.margin)
		ON CONFLICT (owner, day, name_key, currency) DO UPDATE SET name = min(name, excluded.name), lines = lines + 1,
			qty = qty + excluded.qty, amount = amount + excluded.amount, margin = margin + excluded.margin;
END;
