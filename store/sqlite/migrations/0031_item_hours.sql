-- Issue 16: the report's top products from counters kept per hour, not
-- from every line of the period. A year of a big book is a million lines;
-- its hours are a few thousand per product. The report sums the whole
-- hours inside its period here and reads only the lines of the partial
-- hours at its edges (every IANA offset is whole quarter hours, so a
-- period from local midnight starts at most 45 minutes into an hour).
-- Triggers keep the counters with the counted lines, in the same
-- transaction as the lines' writes.
CREATE TABLE IF NOT EXISTS item_hours (
	owner    INTEGER NOT NULL,
	hour     INTEGER NOT NULL, -- created_at / 3,600,000 (UTC hours since 1970)
	name_key TEXT    NOT NULL,
	name     TEXT    NOT NULL, -- the least spelling of the hour's lines
	lines    INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	amount   INTEGER NOT NULL,
	margin   INTEGER NOT NULL,
	PRIMARY KEY (owner, hour, name_key)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO item_hours (owner, hour, name_key, name, lines, qty, amount, margin)
	SELECT owner, created_at / 3600000, name_key, min(name), count(*), sum(qty), sum(amount), sum(margin)
	FROM order_items WHERE counted = 1 GROUP BY owner, created_at / 3600000, name_key;

CREATE TRIGGER IF NOT EXISTS item_hours_insert AFTER INSERT ON order_items WHEN new.counted = 1
BEGIN
	INSERT INTO item_hours (owner, hour, name_key, name, lines, qty, amount, margin)
		VALUES (new.owner, new.created_at / 3600000, new.name_key, new.name, 1, new.qty, new.amount, new.margin)
		ON CONFLICT (owner, hour, name_key) DO UPDATE SET name = min(name, excluded.name), lines = lines + 1,
			qty = qty + excluded.qty, amount = amount + excluded.amount, margin = margin + excluded.margin;
END;

CREATE TRIGGER IF NOT EXISTS item_hours_delete AFTER DELETE ON order_items WHEN old.counted = 1
BEGIN
	UPDATE item_hours SET lines = lines - 1, qty = qty - old.qty, amount = amount - old.amount, margin = margin - old.margin,
		name = coalesce((SELECT min(name) FROM order_items WHERE owner = old.owner AND counted = 1 AND name_key = old.name_key
			AND created_at >= old.created_at / 3600000 * 3600000 AND created_at < (old.created_at / 3600000 + 1) * 3600000), name)
		WHERE owner = old.owner AND hour = old.created_at / 3600000 AND name_key = old.name_key;
	DELETE FROM item_hours WHERE owner = old.owner AND hour = old.created_at / 3600000 AND name_key = old.name_key AND lines <= 0;
END;

-- Lines are rewritten by delete and insert; an update in place (a future
-- repair) moves its counts out of the old hour and into the new one.
CREATE TRIGGER IF NOT EXISTS item_hours_update_old AFTER UPDATE ON order_items WHEN old.counted = 1
BEGIN
	UPDATE item_hours SET lines = lines - 1, qty = qty - old.qty, amount = amount - old.amount, margin = margin - old.margin
		WHERE owner = old.owner AND hour = old.created_at / 3600000 AND name_key = old.name_key;
	DELETE FROM item_hours WHERE owner = old.owner AND hour = old.created_at / 3600000 AND name_key = old.name_key AND lines <= 0;
END;
CREATE TRIGGER IF NOT EXISTS item_hours_update_new AFTER UPDATE ON order_items WHEN new.counted = 1
BEGIN
	INSERT INTO item_hours (owner, hour, name_key, name, lines, qty, amount, margin)
		VALUES (new.owner, new.created_at / 3600000, new.name_key, new.name, 1, new.qty, new.amount, new.margin)
		ON CONFLICT (owner, hour, name_key) DO UPDATE SET name = min(name, excluded.name), lines = lines + 1,
			qty = qty + excluded.qty, amount = amount + excluded.amount, margin = margin + excluded.margin;
END;
