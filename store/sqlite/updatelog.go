package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/crmbot/crmbot/store"
)

var _ store.Updates = (*DB)(nil)

// UpdateHandled reports whether the update id was recorded.
func (db *DB) UpdateHandled(ctx context.Context, updateID int64) (bool, error) {
	row, err := db.queryRow(ctx, `SELECT count(*) FROM updates WHERE id = ?`, updateID)
	var n int
	if err == nil {
		err = row.Scan(&n)
	}
	if err != nil {
		return false, fmt.Errorf("update handled %d: %w", updateID, err)
	}
	return n > 0, nil
}

// ClaimUpdate records a handled update id; an earlier claim not yet pruned
// makes it return store.ErrAlreadyExists.
func (db *DB) ClaimUpdate(ctx context.Context, updateID int64, expires time.Time) error {
	res, err := db.write.ExecContext(ctx, `INSERT INTO updates (id, expires) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
		updateID, ms(expires))
	if err != nil {
		return fmt.Errorf("claim update %d: %w", updateID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("claim update %d: %w", updateID, err)
	}
	if n == 0 {
		return fmt.Errorf("claim update %d: %w", updateID, store.ErrAlreadyExists)
	}
	return nil
}

// finishes is FinishUpdate's group commit: the calls that arrive while a
// transaction is being written wait, and the first of them then writes
// all of theirs in the next one. A commit writes the same few pages (the
// newest leaves of the log and the inbox) whether it finishes one update
// or thirty, and writing them was a quarter of /help's CPU. Each call
// still returns only once its own update is committed.
type finishes struct {
	mu    sync.Mutex
	cond  *sync.Cond // signalled when a batch is written
	queue []*finish
	busy  bool // a batch is being written
}

type finish struct {
	id, expires, at int64
	done            bool
	err             error
}

// FinishUpdate claims the update and marks its inbox entry done in one
// transaction, shared with the FinishUpdate calls made meanwhile (see
// finishes). The batch is written to the end once begun: a caller whose
// ctx ends does not fail the others.
func (db *DB) FinishUpdate(ctx context.Context, updateID int64, expires, at time.Time) error {
	// done is never 0 once handled, even at the epoch.
	f := &finish{id: updateID, expires: ms(expires), at: max(ms(at), 1)}
	g := &db.finishes
	g.mu.Lock()
	if g.cond == nil {
		g.cond = sync.NewCond(&g.mu)
	}
	g.queue = append(g.queue, f)
	for g.busy && !f.done {
		g.cond.Wait()
	}
	if !f.done {
		batch := g.queue
		g.queue, g.busy = nil, true
		g.mu.Unlock()
		err := db.finishAll(context.WithoutCancel(ctx), batch)
		g.mu.Lock()
		for _, b := range batch {
			b.done, b.err = true, err
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

// finishAll writes a batch of FinishUpdate calls in one transaction.
func (db *DB) finishAll(ctx context.Context, batch []*finish) error {
	claim, err := db.stmts.get(ctx, db.write.DB, `INSERT INTO updates (id, expires) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`)
	if err != nil {
		return classify(err)
	}
	done, err := db.stmts.get(ctx, db.write.DB, `UPDATE inbox SET done = ? WHERE update_id = ? AND done = 0`)
	if err != nil {
		return classify(err)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		claim, done := tx.StmtContext(ctx, claim), tx.StmtContext(ctx, done)
		for _, f := range batch {
			if _, err := claim.ExecContext(ctx, f.id, f.expires); err != nil {
				return err
			}
			if _, err := done.ExecContext(ctx, f.at, f.id); err != nil {
				return err
			}
		}
		return nil
	})
}

// PruneUpdates deletes claims that expired before t.
func (db *DB) PruneUpdates(ctx context.Context, before time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM updates WHERE expires < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune updates: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
