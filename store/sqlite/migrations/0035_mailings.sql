-- Mailings (issue 13): a consultant's message to many of her customers on
-- the bot, and one row per recipient with where she stands, so a mailing
-- resumes after a restart and nobody gets it twice.
CREATE TABLE IF NOT EXISTS mailings (
	owner      INTEGER NOT NULL,
	id         TEXT    NOT NULL,
	status     TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (owner, id)
) STRICT;
-- The runner's resume scan: the mailings being sent, of every owner.
CREATE INDEX IF NOT EXISTS mailings_status ON mailings (status, created_at, owner, id);

CREATE TABLE IF NOT EXISTS mailing_recipients (
	owner       INTEGER NOT NULL,
	mailing     TEXT    NOT NULL,
	user_id     INTEGER NOT NULL,
	chat_id     INTEGER NOT NULL,
	customer_id TEXT    NOT NULL DEFAULT '',
	lang        TEXT    NOT NULL DEFAULT '',
	state       TEXT    NOT NULL,
	reason      TEXT    NOT NULL DEFAULT '',
	worker      TEXT    NOT NULL DEFAULT '',
	at          INTEGER NOT NULL,
	PRIMARY KEY (owner, mailing, user_id)
) STRICT;
-- ClaimRecipient (the lowest pending user id), CountRecipients, ListRecipients by state.
CREATE INDEX IF NOT EXISTS mailing_recipients_state ON mailing_recipients (owner, mailing, state, user_id);
