-- Issue 16: the inbox is indexed by pending entries only.
--
-- inbox_done (done, update_id) was written on every stored update and
-- moved on every done mark: a leaf of it in each commit of the update
-- path, two WAL frames (a pwrite each for header and page). The pending
-- entries are read through inbox_chat_pending, which holds exactly them
-- (done = 0), sorted by id in a temporary b-tree: the backlog, not the
-- inbox. Only the hourly prune reads done entries, by a scan of the
-- table.
DROP INDEX IF EXISTS inbox_done;
