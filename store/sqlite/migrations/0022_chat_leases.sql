-- Which process handles a chat's updates now (webhook replicas); expires:
-- unix milliseconds after which another may take over.
CREATE TABLE IF NOT EXISTS chat_leases (
	chat_id INTEGER PRIMARY KEY,
	holder  TEXT    NOT NULL,
	expires INTEGER NOT NULL
) STRICT;
-- A chat's pending updates, oldest first, for the lease holder.
CREATE INDEX IF NOT EXISTS inbox_chat_pending ON inbox (chat_id, done, update_id);
