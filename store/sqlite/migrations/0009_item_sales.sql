-- Best sellers without a join or a sort: each report line carries its
-- order's date and whether reports count the order (not archived, not
-- cancelled), and an index in product order lets GROUP BY stream.
ALTER TABLE order_items ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_items ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;
UPDATE order_items SET
	created_at = (SELECT o.created_at FROM orders o WHERE o.owner = order_items.owner AND o.id = order_items.order_id),
	counted = (SELECT o.archived = 0 AND o.status != 'cancelled' FROM orders o WHERE o.owner = order_items.owner AND o.id = order_items.order_id);
CREATE INDEX IF NOT EXISTS order_items_sales ON order_items (owner, counted, name_key, created_at, name, qty, amount, margin);
