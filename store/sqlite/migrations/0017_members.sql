-- The customer side (issue 12): consultants' invite tokens, the customers
-- who joined through them and the role each Telegram user's chat is in.

-- Invite tokens; a rotated one keeps its row (revoked_at set) so an old
-- link still resolves and the bot can say it expired. At most one token
-- per consultant is in force.
CREATE TABLE IF NOT EXISTS invites (
	token      TEXT    PRIMARY KEY,
	owner      INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS invites_current ON invites (owner) WHERE revoked_at IS NULL;

-- Members: the JSON document (crm.Member) plus the columns queried. A card
-- (customer_id) is behind at most one member of its consultant.
CREATE TABLE IF NOT EXISTS members (
	owner       INTEGER NOT NULL,
	user_id     INTEGER NOT NULL,
	customer_id TEXT    NOT NULL DEFAULT '',
	joined_at   INTEGER NOT NULL,
	doc         TEXT    NOT NULL,
	PRIMARY KEY (owner, user_id)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS members_customer ON members (owner, customer_id) WHERE customer_id <> '';
CREATE INDEX IF NOT EXISTS members_user ON members (user_id, joined_at, owner);

-- Which role each user's chat is in (owner: the consultant she talks to as
-- a customer).
CREATE TABLE IF NOT EXISTS roles (
	user_id INTEGER PRIMARY KEY,
	owner   INTEGER NOT NULL,
	since   INTEGER NOT NULL
) STRICT;

-- An erased card takes no member (the tombstones of 0016_erasure.sql).
CREATE TRIGGER IF NOT EXISTS members_erased_insert BEFORE INSERT ON members
	WHEN NEW.customer_id <> '' AND EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
CREATE TRIGGER IF NOT EXISTS members_erased_update BEFORE UPDATE OF customer_id ON members
	WHEN NEW.customer_id <> '' AND EXISTS (SELECT 1 FROM erased_customers WHERE owner = NEW.owner AND id = NEW.customer_id)
	BEGIN SELECT RAISE(ABORT, 'crmbot: customer erased'); END;
