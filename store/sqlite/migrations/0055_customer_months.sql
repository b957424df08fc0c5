-- Issue 16: the year report's buyers, repeat buyers and top customers from
-- counters per customer, UTC month and currency, not from every order of
-- the period (a GROUP BY over 400,000 orders took ~300 ms of its budget).
-- The report sums the whole UTC months inside its period here and reads
-- the orders of the partial months at its edges (a local midnight is not
-- a UTC one), as the products do with item_days (0032). The key is the
-- customer first, so the sum streams in customer order without a sort.
-- Triggers keep the counters in the same transaction as every write to
-- orders (create, edit of any counted field or of the date, cancel,
-- archive, a merge moving orders, an erasure deleting them); a row whose
-- orders are all gone is deleted, so every row is a buyer's.
CREATE TABLE IF NOT EXISTS customer_months (
	owner          INTEGER NOT NULL,
	customer_id    TEXT    NOT NULL,
	currency       TEXT    NOT NULL,
	month          INTEGER NOT NULL, -- the UTC month's first instant, in ms
	orders         INTEGER NOT NULL,
	revenue        INTEGER NOT NULL,
	paid           INTEGER NOT NULL,
	costed_revenue INTEGER NOT NULL, -- revenue of the orders whose costs are all known
	cost           INTEGER NOT NULL, -- their cost
	PRIMARY KEY (owner, customer_id, currency, month)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO customer_months (owner, customer_id, currency, month, orders, revenue, paid, costed_revenue, cost)
	SELECT owner, customer_id, currency, unixepoch(created_at / 1000, 'unixepoch', 'start of month') * 1000, count(*), sum(total), sum(paid),
		sum(CASE WHEN costed THEN total ELSE 0 END), sum(CASE WHEN costed THEN cost ELSE 0 END)
	FROM orders WHERE archived = 0 AND status != 'cancelled' GROUP BY 1, 2, 3, 4;

CREATE TRIGGER IF NOT EXISTS customer_months_insert AFTER INSERT ON orders
	WHEN new.archived = 0 AND new.status != 'cancelled'
BEGIN
	INSERT INTO customer_months (owner, customer_id, currency, month, orders, revenue, paid, costed_revenue, cost)
		VALUES (new.owner, new.customer_id, new.currency, unixepoch(new.created_at / 1000, 'unixepoch', 'start of month') * 1000, 1,
			new.total, new.paid, CASE WHEN new.costed THEN new.total ELSE 0 END, CASE WHEN new.costed THEN new.cost ELSE 0 END)
		ON CONFLICT (owner, customer_id, currency, month) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue,
			paid = paid + excluded.paid, costed_revenue = costed_revenue + excluded.costed_revenue, cost = cost + excluded.cost;
END;

CREATE TRIGGER IF NOT EXISTS customer_months_delete AFTER DELETE ON orders
	WHEN old.archived = 0 AND old.status != 'cancelled'
BEGIN
	UPDATE customer_months SET orders = orders - 1, revenue = revenue - old.total, paid = paid - old.paid,
			costed_revenue = costed_revenue - CASE WHEN old.costed THEN old.total ELSE 0 END,
			cost = cost - CASE WHEN old.costed THEN old.cost ELSE 0 END
		WHERE owner = old.owner AND customer_id = old.customer_id AND currency = old.currency
			AND month = unixepoch(old.created_at / 1000, 'unixepoch', 'start of month') * 1000;
	DELETE FROM customer_months WHERE owner = old.owner AND customer_id = old.customer_id AND currency = old.currency
		AND month = unixepoch(old.created_at / 1000, 'unixepoch', 'start of month') * 1000 AND orders <= 0;
END;

CREATE TRIGGER IF NOT EXISTS customer_months_update_old
	AFTER UPDATE OF owner, customer_id, currency, created_at, archived, status, total, paid, cost, costed ON orders
	WHEN old.archived = 0 AND old.status != 'cancelled'
BEGIN
	UPDATE customer_months SET orders = orders - 1, revenue = revenue - old.total, paid = paid - old.paid,
			costed_revenue = costed_revenue - CASE WHEN old.costed THEN old.total ELSE 0 END,
			cost = cost - CASE WHEN old.costed THEN old.cost ELSE 0 END
		WHERE owner = old.owner AND customer_id = old.customer_id AND currency = old.currency
			AND month = unixepoch(old.created_at / 1000, 'unixepoch', 'start of month') * 1000;
	DELETE FROM customer_months WHERE owner = old.owner AND customer_id = old.customer_id AND currency = old.currency
		AND month = unixepoch(old.created_at / 1000, 'unixepoch', 'start of month') * 1000 AND orders <= 0;
END;

CREATE TRIGGER IF NOT EXISTS customer_months_update_new
	AFTER UPDATE OF owner, customer_id, currency, created_at, archived, status, total, paid, cost, costed ON orders
	WHEN new.archived = 0 AND new.status != 'cancelled'
BEGIN
	INSERT INTO customer_months (owner, customer_id, currency, month, orders, revenue, paid, costed_revenue, cost)
		VALUES (new.owner, new.customer_id, new.currency, unixepoch(new.created_at / 1000, 'unixepoch', 'start of month') * 1000, 1,
			new.total, new.paid, CASE WHEN new.costed THEN new.total ELSE 0 END, CASE WHEN new.costed THEN new.cost ELSE 0 END)
		ON CONFLICT (owner, customer_id, currency, month) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue,
			paid = paid + excluded.paid, costed_revenue = costed_revenue + excluded.costed_revenue, cost = cost + excluded.cost;
END;
