-- Scheduler leases on due reminders.
ALTER TABLE reminders ADD COLUMN claim_until INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS reminders_claim ON reminders (status, pushed, due, claim_until);
