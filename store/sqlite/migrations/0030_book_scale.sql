-- Issue 16: one consultant's book of 50,000 customers stays interactive.
--
-- A search reads this index alone: the words (search) sit beside the
-- name order, so the count and the page's LIKE scan the index entries,
-- not the customers' documents, and only the page's ten rows are looked
-- up. It replaces customers_sort, whose columns it begins with.
CREATE INDEX IF NOT EXISTS customers_sort_search ON customers (owner, archived, sort_key, id, search);
DROP INDEX IF EXISTS customers_sort;

-- Lists and walks by last order read this index in their order (newest
-- first; customers who never ordered, NULL, sort last in a descending
-- index), so a page by keyset starts where the last one ended instead of
-- sorting the whole book. It replaces customers_order, whose columns it
-- begins with (the last-order range filters).
CREATE INDEX IF NOT EXISTS customers_last_order ON customers (owner, archived, last_order_at DESC, sort_key, id);
DROP INDEX IF EXISTS customers_order;

-- The report groups the period's orders by customer in one pass, read in
-- customer order from this index (no temporary sort of every order).
CREATE INDEX IF NOT EXISTS orders_by_customer ON orders (owner, archived, customer_id, created_at, status, total, paid, cost, costed);
-- It replaces orders_report: the period's totals are the sums of these
-- groups, so nothing else reads that one.
DROP INDEX IF EXISTS orders_report;
