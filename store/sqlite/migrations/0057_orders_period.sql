-- Issue 16: the orders at a report period's edges (a period in Almaty
-- ends at 19:00 UTC, so its last month is an edge of nearly a month) are
-- read in time order from one index alone: orders_list gains what the
-- report sums, instead of a lookup of every edge order's row.
-- orders_by_customer stays: the report no longer reads it, but it counts
-- a customer's orders for her list (without it the planner scanned every
-- order of hers in orders_list).
DROP INDEX IF EXISTS orders_list;
CREATE INDEX IF NOT EXISTS orders_list ON orders (owner, archived, created_at DESC, status, customer_id, currency, total, paid, cost, costed);
