-- Issue 16: the orders at a report period's edges (a period in Almaty
-- ends at 19:00 UTC, so its last month is an edge of nearly a month) are
-- read in time order from one index alone: orders_list gains what the
-- report sums, instead of a lookup of every edge order's row. The report
-- no longer groups orders_by_customer (customer_months, 0055 does that),
-- so it goes: an order write keeps one B-tree fewer than before.
DROP INDEX IF EXISTS orders_by_customer;
DROP INDEX IF EXISTS orders_list;
CREATE INDEX IF NOT EXISTS orders_list ON orders (owner, archived, created_at DESC, status, customer_id, currency, total, paid, cost, costed);
