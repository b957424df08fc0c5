-- Issue 16: a change counter of what GetVisitor reads (roles, consultants).
--
-- Every update looks its sender up, and a reader connection drops its page
-- cache after any commit, so the lookup reloaded its pages on nearly every
-- update. The process keeps the visitors it read with the counter they
-- were read at, and reuses one while the counter has not moved: reading
-- one row of a one-page table costs a third of the lookup. The triggers
-- move it on any change by any process (the CLI, another instance), in
-- the transaction of the change. A migration that rebuilds roles or
-- consultants must create these triggers again.
CREATE TABLE IF NOT EXISTS visitors_version (
	k INTEGER PRIMARY KEY CHECK (k = 1),
	n INTEGER NOT NULL
) STRICT;
INSERT INTO visitors_version (k, n) VALUES (1, 0) ON CONFLICT (k) DO NOTHING;
CREATE TRIGGER IF NOT EXISTS roles_version_ins AFTER INSERT ON roles BEGIN UPDATE visitors_version SET n = n + 1 WHERE k = 1; END;
CREATE TRIGGER IF NOT EXISTS roles_version_upd AFTER UPDATE ON roles BEGIN UPDATE visitors_version SET n = n + 1 WHERE k = 1; END;
CREATE TRIGGER IF NOT EXISTS roles_version_del AFTER DELETE ON roles BEGIN UPDATE visitors_version SET n = n + 1 WHERE k = 1; END;
CREATE TRIGGER IF NOT EXISTS consultants_version_ins AFTER INSERT ON consultants BEGIN UPDATE visitors_version SET n = n + 1 WHERE k = 1; END;
CREATE TRIGGER IF NOT EXISTS consultants_version_upd AFTER UPDATE ON consultants BEGIN UPDATE visitors_version SET n = n + 1 WHERE k = 1; END;
CREATE TRIGGER IF NOT EXISTS consultants_version_del AFTER DELETE ON consultants BEGIN UPDATE visitors_version SET n = n + 1 WHERE k = 1; END;
