-- Issue 16: a chat's pending updates are indexed while pending only.
--
-- inbox_chat_pending held every entry kept, done or not, ordered by chat:
-- each batch of updates from getUpdates went into as many places in it as
-- it had chats, and each bulk of done marks moved entries there again, so a
-- commit wrote a leaf of this index per chat (the index grows with the
-- inbox, one leaf for a few dozen entries). Only pending entries are ever
-- looked up by chat (NextUpdate, under a chat's lease): indexed while
-- pending, the index stays as small as the backlog.
DROP INDEX IF EXISTS inbox_chat_pending;
CREATE INDEX IF NOT EXISTS inbox_chat_pending ON inbox (chat_id, update_id) WHERE done = 0;
