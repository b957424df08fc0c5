-- The digest queue: when each consultant's digest is next looked at (unix
-- ms of store.DigestKey), so the scheduler's tick reads only who is due.
-- Rows stored before get 0: due at once, and the scheduler's first look
-- sets it (a blocked consultant's key becomes "never" on that write).
ALTER TABLE consultants ADD COLUMN next_digest INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS consultants_next_digest ON consultants (next_digest, id);
