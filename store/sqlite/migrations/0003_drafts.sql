-- Short-lived state behind buttons (pending adds, list filters).
CREATE TABLE IF NOT EXISTS drafts (
	owner   INTEGER NOT NULL,
	id      TEXT    NOT NULL,
	kind    TEXT    NOT NULL,
	data    TEXT    NOT NULL,
	expires INTEGER NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;
CREATE INDEX IF NOT EXISTS drafts_expires ON drafts (expires);
