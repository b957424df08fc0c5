-- Issue 16: the report's product counters per UTC day instead of per hour
-- (0031): a year of a big book is some 330 days × her products instead of
-- 8,000 hours × them, so summing them takes a few milliseconds; the lines
-- of the partial days at a period's edges (a local midnight is mid-day in
-- UTC) are read by a seek per product as before.
DROP TRIGGER IF EXISTS item_hours_insert;
DROP TRIGGER IF EXISTS item_hours_delete;
DROP TRIGGER IF EXISTS item_hours_update_old;
DROP TRIGGER IF EXISTS item_hours_update_new;
DROP TABLE IF EXISTS item_hours;

CREATE TABLE IF NOT EXISTS item_days (
	owner    INTEGER NOT NULL,
	day      INTEGER NOT NULL, -- created_at / 86,400,000 (UTC days since 1970)
	name_key TEXT    NOT NULL,
	name     TEXT    NOT NULL, -- the least spelling of the day's lines
	lines    INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	amount   INTEGER NOT NULL,
	margin   INTEGER NOT NULL,
	PRIMARY KEY (owner, day, name_key)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO item_days (owner, day, name_key, name, lines, qty, amount, margin)
	SELECT owner, created_at / 86400000, name_key, min(name), count(*), sum(qty), sum(amount), sum(margin)
	FROM order_items WHERE counted = 1 GROUP BY owner, created_at / 86400000, name_key;

CREATE TRIGGER IF NOT EXISTS item_days_insert AFTER INSERT ON order_items WHEN new.counted = 1
BEGIN
	INSERT INTO item_days (owner, day, name_key, name, lines, qty, amount, margin)
		VALUES (new.owner, new.created_at / 86400000, new.name_key, new.name, 1, new.qty, new.amount, new.margin)
		ON CONFLICT (owner, day, name_key) DO UPDATE SET name = min(name, excluded.name), lines = lines + 1,
			qty = qty + excluded.qty, amount = amount + excluded.amount, margin = margin + excluded.margin;
END;

CREATE TRIGGER IF NOT EXISTS item_days_delete AFTER DELETE ON order_items WHEN old.counted = 1
BEGIN
	UPDATE item_days SET lines = lines - 1, qty = qty - old.qty, amount = amount - old.amount, margin = margin - old.margin,
		name = coalesce((SELECT min(name) FROM order_items WHERE owner = old.owner AND counted = 1 AND name_key = old.name_key
			AND created_at >= old.created_at / 86400000 * 86400000 AND created_at < (old.created_at / 86400000 + 1) * 86400000), name)
		WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key;
	DELETE FROM item_days WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key AND lines <= 0;
END;

-- Lines are rewritten by delete and insert; an update in place (a future
-- repair) moves its counts out of the old day and into the new one.
CREATE TRIGGER IF NOT EXISTS item_days_update_old AFTER UPDATE ON order_items WHEN old.counted = 1
BEGIN
	UPDATE item_days SET lines = lines - 1, qty = qty - old.qty, amount = amount - old.amount, margin = margin - old.margin
		WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key;
	DELETE FROM item_days WHERE owner = old.owner AND day = old.created_at / 86400000 AND name_key = old.name_key AND lines <= 0;
END;
CREATE TRIGGER IF NOT EXISTS item_days_update_new AFTER UPDATE ON order_items WHEN new.counted = 1
BEGIN
	INSERT INTO item_days (owner, day, name_key, name, lines, qty, amount, margin)
		VALUES (new.owner, new.created_at / 86400000, new.name_key, new.name, 1, new.qty, new.amount, new.margin)
		ON CONFLICT (owner, day, name_key) DO UPDATE SET name = min(name, excluded.name), lines = lines + 1,
			qty = qty + excluded.qty, amount = amount + excluded.amount, margin = margin + excluded.margin;
END;
