package sqlite

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
)

// finishAtOnce finishes ids from one goroutine each, all in one group
// commit: the commit in progress is held until every call waits for the
// next one. It returns each id's outcome.
func finishAtOnce(t *testing.T, db *DB, ids []int64, at time.Time) map[int64]error {
	t.Helper()
	g := &db.finishes
	g.mu.Lock()
	g.init()
	g.busy = true // as if a batch were being written
	g.mu.Unlock()
	var mu sync.Mutex
	out := map[int64]error{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.FinishUpdate(context.Background(), id, at.Add(time.Hour), at)
			mu.Lock()
			out[id] = err
			mu.Unlock()
		}()
	}
	for {
		g.mu.Lock()
		n := len(g.queue)
		g.mu.Unlock()
		if n == len(ids) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	g.mu.Lock()
	g.busy = false
	g.cond.Broadcast()
	g.mu.Unlock()
	wg.Wait()
	return out
}

func putEntries(t *testing.T, db *DB, ids []int64) {
	t.Helper()
	var es []store.InboxEntry
	for _, id := range ids {
		es = append(es, store.InboxEntry{UpdateID: id, ChatID: id % 3, Update: []byte(`{}`), Received: time.UnixMilli(1)})
	}
	if _, err := db.PutUpdates(context.Background(), es); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.write.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFinishUpdateGroupCommit: updates finished at once go in one
// transaction; each is recorded once; and a claim that fails fails only
// its own caller, the others being recorded all the same.
func TestFinishUpdateGroupCommit(t *testing.T) {
	db := openFile(t)
	ids := []int64{11, 12, 13, 14, 15, 16}
	putEntries(t, db, ids)
	// The claim of 13 fails, as a full disk would fail it.
	if _, err := db.write.Exec(`CREATE TEMP TRIGGER fail_13 BEFORE INSERT ON updates WHEN NEW.id = 13 BEGIN SELECT RAISE(ABORT, 'no room'); END`); err != nil {
		t.Fatal(err)
	}
	at := time.UnixMilli(5000)
	got := finishAtOnce(t, db, ids, at)
	for _, id := range ids {
		if (got[id] != nil) != (id == 13) {
			t.Errorf("finish %d: %v; only 13's claim failed", id, got[id])
		}
	}
	if n := count(t, db, `SELECT count(*) FROM updates`); n != 5 {
		t.Errorf("%d claims recorded, want 5 (all but 13)", n)
	}
	pending, err := db.PendingUpdates(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].UpdateID != 13 {
		t.Errorf("pending %v, want 13 alone: its handling is to be done again", pending)
	}

	// Once the store has room again 13 is finished; finishing 12 again
	// changes nothing.
	if _, err := db.write.Exec(`DROP TRIGGER fail_13`); err != nil {
		t.Fatal(err)
	}
	got = finishAtOnce(t, db, []int64{13, 12}, at.Add(time.Minute))
	for id, err := range got {
		if err != nil {
			t.Errorf("finish %d again: %v", id, err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM updates`); n != 6 {
		t.Errorf("%d claims recorded, want 6", n)
	}
	// The done marks follow in bulk; a prune writes them first, each with
	// the time its update was first finished.
	if _, err := db.PruneInbox(context.Background(), at.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE done = ?`, at.UnixMilli()); n != 5 {
		t.Errorf("%d entries done at the first finish, want 5", n)
	}
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE update_id = 13 AND done = ?`, at.Add(time.Minute).UnixMilli()); n != 1 {
		t.Errorf("13 not marked done at its finish")
	}
}

// TestFinishUpdateMarksInBulk: the done marks are written with the commit
// that brings markEvery of them together, and by a close.
func TestFinishUpdateMarksInBulk(t *testing.T) {
	db := openFile(t)
	ctx := context.Background()
	var ids []int64
	for i := range markEvery + 10 {
		ids = append(ids, int64(100+i))
	}
	putEntries(t, db, ids)
	at := time.UnixMilli(7000)
	for _, id := range ids[:markEvery-1] {
		if err := db.FinishUpdate(ctx, id, at.Add(time.Hour), at); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE done > 0`); n != 0 {
		t.Errorf("%d entries marked before %d were finished", n, markEvery)
	}
	for _, id := range ids[markEvery-1:] {
		if err := db.FinishUpdate(ctx, id, at.Add(time.Hour), at); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE done > 0`); n != markEvery {
		t.Errorf("%d entries marked, want %d", n, markEvery)
	}
	path := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE done > 0`); n != len(ids) {
		t.Errorf("%d entries marked after a close, want %d", n, len(ids))
	}
}
