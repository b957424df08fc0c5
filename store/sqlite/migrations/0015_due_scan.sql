-- The due scan reads only reminders it may lease: pending, unpushed, not
-- held (claim_until 9223372036854775807 is a hold). Held reminders (she
-- blocked the bot) pile up outside this index instead of in every scan.
-- ClaimDue and DueReminders repeat the WHERE terms so SQLite uses it.
CREATE INDEX IF NOT EXISTS reminders_due_scan ON reminders (due, owner, id)
	WHERE status = 'pending' AND pushed = 0 AND claim_until != 9223372036854775807;
