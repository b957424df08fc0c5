-- Reminders keep what they are (kind, stage, params in the document), not
-- a sentence worded the day they were made. kind and stage are read from
-- the document, so every writer (and every row stored before) has them
-- right, and a customer's refill hints or an owner's 2+2+2 calls are found
-- by index rather than by parsing each document.
ALTER TABLE reminders ADD COLUMN kind TEXT GENERATED ALWAYS AS (ifnull(doc->>'$.Kind', '')) VIRTUAL;
ALTER TABLE reminders ADD COLUMN stage INTEGER GENERATED ALWAYS AS (ifnull(doc->>'$.Stage', 0)) VIRTUAL;
CREATE INDEX IF NOT EXISTS reminders_kind ON reminders (owner, kind, status, due);
