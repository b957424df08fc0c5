-- Revenue by month and currency, maintained: the year report's chart read 500,000
-- orders to sum twelve months. Triggers keep the counters in the same
-- transaction as every write to orders (create, edit, cancel, archive,
-- a merge moving orders, an erasure deleting them), so no writer can
-- forget them. A month whose orders are all gone keeps a row of zeros,
-- which MonthlySales leaves out as the GROUP BY did.
CREATE TABLE IF NOT EXISTS order_months (
	owner      INTEGER NOT NULL,
	year_month TEXT    NOT NULL,
	currency   TEXT    NOT NULL,
	orders     INTEGER NOT NULL,
	revenue    INTEGER NOT NULL,
	PRIMARY KEY (owner, year_month, currency)
) STRICT, WITHOUT ROWID;

INSERT INTO order_months (owner, year_month, currency, orders, revenue)
	SELECT owner, year_month, currency, count(*), sum(total) FROM orders
	WHERE archived = 0 AND status != 'cancelled' GROUP BY owner, year_month, currency;

CREATE TRIGGER IF NOT EXISTS order_months_insert AFTER INSERT ON orders
	WHEN new.archived = 0 AND new.status != 'cancelled'
BEGIN
	INSERT INTO order_months (owner, year_month, currency, orders, revenue) VALUES (new.owner, new.year_month, new.currency, 1, new.total)
		ON CONFLICT (owner, year_month, currency) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER IF NOT EXISTS order_months_delete AFTER DELETE ON orders
	WHEN old.archived = 0 AND old.status != 'cancelled'
BEGIN
	UPDATE order_months SET orders = orders - 1, revenue = revenue - old.total
		WHERE owner = old.owner AND year_month = old.year_month AND currency = old.currency;
END;

CREATE TRIGGER IF NOT EXISTS order_months_update_old AFTER UPDATE OF owner, year_month, currency, archived, status, total ON orders
	WHEN old.archived = 0 AND old.status != 'cancelled'
BEGIN
	UPDATE order_months SET orders = orders - 1, revenue = revenue - old.total
		WHERE owner = old.owner AND year_month = old.year_month AND currency = old.currency;
END;

CREATE TRIGGER IF NOT EXISTS order_months_update_new AFTER UPDATE OF owner, year_month, currency, archived, status, total ON orders
	WHEN new.archived = 0 AND new.status != 'cancelled'
BEGIN
	INSERT INTO order_months (owner, year_month, currency, orders, revenue) VALUES (new.owner, new.year_month, new.currency, 1, new.total)
		ON CONFLICT (owner, year_month, currency) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
END;
