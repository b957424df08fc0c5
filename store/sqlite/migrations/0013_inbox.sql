-- Updates as they arrived from Telegram, kept until handled (done > 0:
-- the millisecond it was handled).
CREATE TABLE IF NOT EXISTS inbox (
	update_id INTEGER PRIMARY KEY,
	chat_id   INTEGER NOT NULL,
	body      BLOB    NOT NULL,
	received  INTEGER NOT NULL,
	done      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS inbox_done ON inbox (done, update_id);
