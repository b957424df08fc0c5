-- Issue 14: a customer's totals keep her orders and revenue per currency
-- (crm.CustomerTotals.Money), so her card never adds tenge to roubles.
-- Customers stored before get them from their orders, in the order
-- crm.TotalsOf gives (the most orders first, then by code); the
-- repair-totals job would find the same, this spares the wait.
UPDATE customers SET doc = json_set(doc, '$.Totals.money', json((
	SELECT json_group_array(json_object('currency', currency, 'orders', n, 'revenue', revenue)) FROM (
		SELECT o.currency AS currency, count(*) AS n, sum(o.total) AS revenue FROM orders o
		WHERE o.owner = customers.owner AND o.customer_id = customers.id AND o.status != 'cancelled'
		GROUP BY o.currency ORDER BY n DESC, o.currency))))
	WHERE EXISTS (SELECT 1 FROM orders o WHERE o.owner = customers.owner AND o.customer_id = customers.id AND o.status != 'cancelled');
