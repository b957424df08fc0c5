package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// finishes is FinishUpdate's group commit: the calls that arrive while a
// transaction is being written wait, and the first of them then writes
// all of theirs in the next one. Each call still returns only once its
// own claim is committed, with its own outcome.
//
// The inbox entries' done marks follow in bulk, every markEvery finished
// updates (and before a prune or a close), not in each commit: a claim
// alone is what makes an update handled (an inbox read never hands out an
// entry the update log recorded, see store.Inbox), and marking the entry
// rewrote the inbox row and the leaves of both its indexes on every commit
// (the claim alone writes the newest leaves of the log and its expiry
// index). A crash loses the marks not written yet, which leaves those
// entries pending but recorded, as on MongoDB: the next prune deletes them.
type finishes struct {
	mu    sync.Mutex
	cond  *sync.Cond // signalled when a write is over
	queue []*finish
	busy  bool   // a transaction is being written
	last  int    // the size of the last batch
	marks []mark // claims committed whose entries are not marked done yet
}

type finish struct {
	id, expires, at int64
	done            bool
	err             error
}

// mark is an inbox entry to be marked done at at (unix milliseconds).
type mark struct{ id, at int64 }

// finishLinger is how long the first of a batch waits for the others
// when the last batch had several: the calls come from workers handling
// updates at once, and a commit's cost hardly depends on its size (/help
// from 50 chats: 1.4 updates a commit without it, 2.7 after 0.5 ms, 4.7
// after 1 ms, 5–7 after 2 ms). A millisecond is nothing to her; a lone
// update is written at once.
const finishLinger = time.Millisecond

// markEvery is how many finished updates wait for their done marks.
const markEvery = 256

const (
	claimSQL = `INSERT INTO updates (id, expires) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`
	markSQL  = `UPDATE inbox SET done = ? WHERE update_id = ? AND done = 0`
)

// FinishUpdate claims the update and marks its inbox entry done, in a
// transaction shared with the FinishUpdate calls made meanwhile (see
// finishes). The batch is written to the end once begun: a caller whose
// ctx ends does not fail the others.
func (db *DB) FinishUpdate(ctx context.Context, updateID int64, expires, at time.Time) error {
	// done is never 0 once handled, even at the epoch.
	f := &finish{id: updateID, expires: ms(expires), at: max(ms(at), 1)}
	g := &db.finishes
	g.mu.Lock()
	g.init()
	g.queue = append(g.queue, f)
	for g.busy && !f.done {
		g.cond.Wait()
	}
	if !f.done {
		g.busy = true
		if g.last > 1 {
			// Others finished with the last batch: more are on their way.
			g.mu.Unlock()
			time.Sleep(finishLinger)
			g.mu.Lock()
		}
		batch := g.queue
		g.queue, g.last = nil, len(batch)
		var marks []mark
		if len(g.marks)+len(batch) >= markEvery {
			marks, g.marks = g.marks, nil
		}
		g.mu.Unlock()
		marked := db.finishAll(context.WithoutCancel(ctx), batch, marks)
		g.mu.Lock()
		if !marked {
			g.marks = append(g.marks, marks...)
		}
		for _, b := range batch {
			b.done = true
			if b.err == nil && !marked {
				g.marks = append(g.marks, mark{b.id, b.at})
			}
		}
		g.busy = false
		g.cond.Broadcast()
	}
	g.mu.Unlock()
	if f.err != nil {
		return fmt.Errorf("finish update %d: %w", updateID, f.err)
	}
	return nil
}

func (g *finishes) init() {
	if g.cond == nil {
		g.cond = sync.NewCond(&g.mu)
	}
}

// finishAll writes a batch of FinishUpdate calls, with marks and the
// batch's own marks when marks is not nil, in one transaction, and sets
// each call's err; it reports whether the marks were written. When that
// transaction fails, each call's claim is written again alone, so a
// failure reaches only the calls it is about.
func (db *DB) finishAll(ctx context.Context, batch []*finish, marks []mark) (marked bool) {
	err := db.writeFinishes(ctx, batch, marks)
	if err == nil {
		return marks != nil
	}
	if len(batch) == 1 && marks == nil {
		batch[0].err = err
		return false
	}
	for _, f := range batch {
		f.err = db.writeFinishes(ctx, []*finish{f}, nil)
	}
	return false
}

// writeFinishes claims each of batch and, when marks is not nil, marks
// those and the batch's entries done, in one transaction.
func (db *DB) writeFinishes(ctx context.Context, batch []*finish, marks []mark) error {
	claim, err := db.stmts.get(ctx, db.write.DB, claimSQL)
	if err != nil {
		return classify(err)
	}
	var done *sql.Stmt
	if marks != nil {
		if done, err = db.stmts.get(ctx, db.write.DB, markSQL); err != nil {
			return classify(err)
		}
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		claim := tx.StmtContext(ctx, claim)
		for _, f := range batch {
			if _, err := claim.ExecContext(ctx, f.id, f.expires); err != nil {
				return err
			}
		}
		if marks == nil {
			return nil
		}
		done := tx.StmtContext(ctx, done)
		for _, m := range marks {
			if _, err := done.ExecContext(ctx, m.at, m.id); err != nil {
				return err
			}
		}
		for _, f := range batch {
			if _, err := done.ExecContext(ctx, f.at, f.id); err != nil {
				return err
			}
		}
		return nil
	})
}

// flushMarks writes the done marks that wait (see finishes), between two
// group commits.
func (db *DB) flushMarks(ctx context.Context) error {
	g := &db.finishes
	g.mu.Lock()
	g.init()
	for g.busy {
		g.cond.Wait()
	}
	marks := g.marks
	if len(marks) == 0 {
		g.mu.Unlock()
		return nil
	}
	g.marks, g.busy = nil, true
	g.mu.Unlock()
	err := db.writeFinishes(ctx, nil, marks)
	g.mu.Lock()
	if err != nil {
		g.marks = append(marks, g.marks...)
	}
	g.busy = false
	g.cond.Broadcast()
	g.mu.Unlock()
	if err != nil {
		return fmt.Errorf("mark %d updates done: %w", len(marks), err)
	}
	return nil
}
