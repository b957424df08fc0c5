-- Reminders and 2+2+2 follow-ups.
CREATE TABLE IF NOT EXISTS reminders (
	owner       INTEGER NOT NULL,
	id          TEXT    NOT NULL,
	customer_id TEXT    NOT NULL,
	order_id    TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	due         INTEGER NOT NULL,
	pushed      INTEGER NOT NULL, -- 1 once pushed for its current due time
	doc         TEXT    NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;
CREATE INDEX IF NOT EXISTS reminders_due ON reminders (status, pushed, due);
CREATE INDEX IF NOT EXISTS reminders_owner ON reminders (owner, status, due);
CREATE INDEX IF NOT EXISTS reminders_customer ON reminders (owner, customer_id, due);
CREATE INDEX IF NOT EXISTS reminders_order ON reminders (owner, order_id);
