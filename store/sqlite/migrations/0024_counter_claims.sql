-- The id of the order that took the counter's value: asking again for the
-- same order (a redelivered "Save order" after a crash) returns the same
-- number instead of taking the next.
ALTER TABLE counters ADD COLUMN claim TEXT NOT NULL DEFAULT '';
