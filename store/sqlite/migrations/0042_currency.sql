-- Issue 14: every amount keeps its currency. Orders and products stored
-- before they kept one get the currency in force when they were made; the
-- best knowledge of it is the consultant's setting now (a consultant who
-- switched before this version could not be told apart; from now on a
-- switch stamps the old currency first, book.Consultants.SetCurrency).
UPDATE orders SET doc = json_set(doc, '$.Currency', coalesce(
		(SELECT nullif(json_extract(c.doc, '$.Currency'), '') FROM consultants c WHERE c.id = orders.owner), 'KZT'))
	WHERE coalesce(json_extract(doc, '$.Currency'), '') = '';
UPDATE products SET doc = json_set(doc, '$.Currency', coalesce(
		(SELECT nullif(json_extract(c.doc, '$.Currency'), '') FROM consultants c WHERE c.id = products.owner), 'KZT'))
	WHERE coalesce(json_extract(doc, '$.Currency'), '') = '';

-- The report groups by currency: it is a column of the order, and part of
-- the covering index the report reads (orders_by_customer, 0030).
ALTER TABLE orders ADD COLUMN currency TEXT NOT NULL DEFAULT '';
UPDATE orders SET currency = json_extract(doc, '$.Currency');
DROP INDEX IF EXISTS orders_by_customer;
CREATE INDEX IF NOT EXISTS orders_by_customer ON orders (owner, archived, customer_id, created_at, status, total, paid, cost, costed, currency);
