-- Payments by method for the report, maintained: reading them from every
-- order's document (json_each over 500,000 orders) took seconds in the
-- year report. One row per payment of an order the report counts (not
-- archived, not cancelled), with the order's time and currency, which is
-- what the report groups and bounds by. Triggers keep it in the same
-- transaction as every write to orders, so no writer can forget it.
CREATE TABLE IF NOT EXISTS order_payments (
	owner      INTEGER NOT NULL,
	order_id   TEXT    NOT NULL,
	seq        INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	currency   TEXT    NOT NULL,
	method     TEXT    NOT NULL,
	amount     INTEGER NOT NULL,
	PRIMARY KEY (owner, order_id, seq)
) STRICT, WITHOUT ROWID;
-- The report's read: a range of one owner's period, covering.
CREATE INDEX IF NOT EXISTS order_payments_period ON order_payments (owner, created_at, method, currency, amount);

INSERT INTO order_payments (owner, order_id, seq, created_at, currency, method, amount)
	SELECT o.owner, o.id, pay.key, o.created_at, o.currency,
		coalesce(json_extract(pay.value, '$.method'), ''), coalesce(json_extract(pay.value, '$.amount'), 0)
	FROM orders o, json_each(o.doc, '$.Payments') pay
	WHERE o.archived = 0 AND o.status != 'cancelled' AND pay.type = 'object';

CREATE TRIGGER IF NOT EXISTS order_payments_insert AFTER INSERT ON orders
	WHEN new.archived = 0 AND new.status != 'cancelled'
BEGIN
	INSERT INTO order_payments (owner, order_id, seq, created_at, currency, method, amount)
		SELECT new.owner, new.id, pay.key, new.created_at, new.currency,
			coalesce(json_extract(pay.value, '$.method'), ''), coalesce(json_extract(pay.value, '$.amount'), 0)
		FROM json_each(new.doc, '$.Payments') pay WHERE pay.type = 'object';
END;

CREATE TRIGGER IF NOT EXISTS order_payments_delete AFTER DELETE ON orders
BEGIN
	DELETE FROM order_payments WHERE owner = old.owner AND order_id = old.id;
END;

-- An update may change the payments, the status, the archive flag, the
-- time, the currency or (a merge) nothing of these: the order's rows are
-- written again from what it is now.
CREATE TRIGGER IF NOT EXISTS order_payments_update AFTER UPDATE ON orders
BEGIN
	DELETE FROM order_payments WHERE owner = old.owner AND order_id = old.id;
	INSERT INTO order_payments (owner, order_id, seq, created_at, currency, method, amount)
		SELECT new.owner, new.id, pay.key, new.created_at, new.currency,
			coalesce(json_extract(pay.value, '$.method'), ''), coalesce(json_extract(pay.value, '$.amount'), 0)
		FROM json_each(new.doc, '$.Payments') pay
		WHERE new.archived = 0 AND new.status != 'cancelled' AND pay.type = 'object';
END;
