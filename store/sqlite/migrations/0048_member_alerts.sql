-- The "new customer" alerts not yet sent (issue 12): a member's alert_at
-- (unix ms of crm.Member.AlertAt) is set from her registration until the
-- consultant was told, so the alerts survive a restart and the sender
-- reads only those due. Members stored before have none: NULL.
ALTER TABLE members ADD COLUMN alert_at INTEGER;
CREATE INDEX IF NOT EXISTS members_alert ON members (alert_at, owner, user_id) WHERE alert_at IS NOT NULL;
