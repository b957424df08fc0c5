-- Erasure tombstones: DeleteCustomer records the customer here in the
-- transaction that deletes her, and these triggers refuse every later
-- write of her orders, reminders and events (a racing goroutine or process
-- gets store.ErrErased) instead of leaving personal data behind. A new
-- card under her id (an import run again) lifts the tombstone.
CREATE TABLE IF NOT EXISTS erased_customers (
	owner INTEGER NOT NULL,
	id    TEXT    NOT NULL,
	at    INTEGER NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;

CREATE TRIGGER IF NOT EXISTS events_erased_insert BEFORE INSERT ON events
	WHEN EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
CREATE TRIGGER IF NOT EXISTS events_erased_update BEFORE UPDATE OF customer_id ON events
	WHEN EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
CREATE TRIGGER IF NOT EXISTS orders_erased_insert BEFORE INSERT ON orders
	WHEN EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
CREATE TRIGGER IF NOT EXISTS orders_erased_update BEFORE UPDATE OF customer_id ON orders
	WHEN EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
CREATE TRIGGER IF NOT EXISTS reminders_erased_insert BEFORE INSERT ON reminders
	WHEN EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
CREATE TRIGGER IF NOT EXISTS reminders_erased_update BEFORE UPDATE OF customer_id ON reminders
	WHEN EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
CREATE TRIGGER IF NOT EXISTS customers_erased_lift AFTER INSERT ON customers
	BEGIN DELETE FROM erased_customers WHERE owner = NEW.owner AND id = NEW.id; END;
