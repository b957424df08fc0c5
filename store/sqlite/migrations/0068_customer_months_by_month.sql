-- Issue 16: a report over months outside a whole UTC year (a year from
-- November, a quarter) reads the months it needs, not every month of
-- every buyer: customer_months' key begins with the customer (0055), so
-- a range of months scanned all 284,000 rows of a 50,000-customer book.
-- The report adds the months' rows up per buyer itself (0067), so they
-- need no customer order; the index holds the sums, so the rows are read
-- from it alone.
CREATE INDEX IF NOT EXISTS customer_months_by_month
	ON customer_months (owner, month, customer_id, currency, orders, revenue, paid, costed_revenue, cost);
