-- Issue 16: the year's report at 50,000 customers sums one row per buyer
-- and currency, not one per buyer, currency and month (284,000 rows of
-- customer_months for 500,000 orders over eleven months).
--
-- customer_years holds customer_months summed by UTC year (the year's
-- first instant, in ms). Triggers on customer_months keep it: every write
-- to the orders already lands there (0055) in the same transaction, so
-- the years follow each month's change; a row whose orders are all gone
-- is deleted, so every row is a buyer's. The report rounds its period to
-- the nearest UTC months, reads the whole years inside from here and the
-- other months from customer_months, and adds or takes away the orders
-- between its bounds and those months (a local year starts hours away
-- from a UTC one).
CREATE TABLE IF NOT EXISTS customer_years (
	owner          INTEGER NOT NULL,
	customer_id    TEXT    NOT NULL,
	currency       TEXT    NOT NULL,
	year           INTEGER NOT NULL, -- the UTC year's first instant, in ms
	orders         INTEGER NOT NULL,
	revenue        INTEGER NOT NULL,
	paid           INTEGER NOT NULL,
	costed_revenue INTEGER NOT NULL,
	cost           INTEGER NOT NULL,
	PRIMARY KEY (owner, year, customer_id, currency)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO customer_years (owner, customer_id, currency, year, orders, revenue, paid, costed_revenue, cost)
	SELECT owner, customer_id, currency, unixepoch(month / 1000, 'unixepoch', 'start of year') * 1000,
		sum(orders), sum(revenue), sum(paid), sum(costed_revenue), sum(cost)
	FROM customer_months GROUP BY 1, 2, 3, 4;

CREATE TRIGGER IF NOT EXISTS customer_years_insert AFTER INSERT ON customer_months
BEGIN
	INSERT INTO customer_years (owner, customer_id, currency, year, orders, revenue, paid, costed_revenue, cost)
		VALUES (new.owner, new.customer_id, new.currency, unixepoch(new.month / 1000, 'unixepoch', 'start of year') * 1000,
			new.orders, new.revenue, new.paid, new.costed_revenue, new.cost)
		ON CONFLICT (owner, year, customer_id, currency) DO UPDATE SET orders = orders + excluded.orders,
			revenue = revenue + excluded.revenue, paid = paid + excluded.paid,
			costed_revenue = costed_revenue + excluded.costed_revenue, cost = cost + excluded.cost;
END;

CREATE TRIGGER IF NOT EXISTS customer_years_update AFTER UPDATE ON customer_months
BEGIN
	UPDATE customer_years SET orders = orders - old.orders, revenue = revenue - old.revenue, paid = paid - old.paid,
			costed_revenue = costed_revenue - old.costed_revenue, cost = cost - old.cost
		WHERE owner = old.owner AND year = unixepoch(old.month / 1000, 'unixepoch', 'start of year') * 1000
			AND customer_id = old.customer_id AND currency = old.currency;
	INSERT INTO customer_years (owner, customer_id, currency, year, orders, revenue, paid, costed_revenue, cost)
		VALUES (new.owner, new.customer_id, new.currency, unixepoch(new.month / 1000, 'unixepoch', 'start of year') * 1000,
			new.orders, new.revenue, new.paid, new.costed_revenue, new.cost)
		ON CONFLICT (owner, year, customer_id, currency) DO UPDATE SET orders = orders + excluded.orders,
			revenue = revenue + excluded.revenue, paid = paid + excluded.paid,
			costed_revenue = costed_revenue + excluded.costed_revenue, cost = cost + excluded.cost;
	DELETE FROM customer_years WHERE owner = old.owner AND year = unixepoch(old.month / 1000, 'unixepoch', 'start of year') * 1000
		AND customer_id = old.customer_id AND currency = old.currency AND orders <= 0;
END;

CREATE TRIGGER IF NOT EXISTS customer_years_delete AFTER DELETE ON customer_months
BEGIN
	UPDATE customer_years SET orders = orders - old.orders, revenue = revenue - old.revenue, paid = paid - old.paid,
			costed_revenue = costed_revenue - old.costed_revenue, cost = cost - old.cost
		WHERE owner = old.owner AND year = unixepoch(old.month / 1000, 'unixepoch', 'start of year') * 1000
			AND customer_id = old.customer_id AND currency = old.currency;
	DELETE FROM customer_years WHERE owner = old.owner AND year = unixepoch(old.month / 1000, 'unixepoch', 'start of year') * 1000
		AND customer_id = old.customer_id AND currency = old.currency AND orders <= 0;
END;
