-- Issue 16: a log of the customers whose search keys changed, for the
-- process's copy of each big book's keys (store/sqlite/keyindex.go).
--
-- A search reads every customer of her book: at 50,000 customers that is
-- 25-30 ms a pass in SQLite's interpreter, two or three passes for a name
-- typed in a case. The process keeps the keys of a big book (rowid, sort
-- key, id, search key, name key) and searches them in Go, reading the rows
-- logged since its copy to bring it up to date. The triggers log a change
-- by any process (the CLI, another instance) in the transaction of the
-- change, so the log's order is the order of the commits. seq is never
-- reused: the log is pruned below its last entry only. A migration that
-- rebuilds customers must create these triggers again.
CREATE TABLE IF NOT EXISTS customer_keys_log (
	seq INTEGER PRIMARY KEY,
	owner INTEGER NOT NULL,
	row INTEGER NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS customers_keys_ins AFTER INSERT ON customers
	BEGIN INSERT INTO customer_keys_log (owner, row) VALUES (NEW.owner, NEW.rowid); END;
CREATE TRIGGER IF NOT EXISTS customers_keys_del AFTER DELETE ON customers
	BEGIN INSERT INTO customer_keys_log (owner, row) VALUES (OLD.owner, OLD.rowid); END;
CREATE TRIGGER IF NOT EXISTS customers_keys_upd AFTER UPDATE OF owner, archived, sort_key, id, search, name_key ON customers
	BEGIN
		INSERT INTO customer_keys_log (owner, row) VALUES (NEW.owner, NEW.rowid);
		INSERT INTO customer_keys_log (owner, row) SELECT OLD.owner, OLD.rowid WHERE OLD.owner != NEW.owner OR OLD.rowid != NEW.rowid;
	END;
