package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/crmbot/crmbot/store"
)

var _ store.Inbox = (*DB)(nil)

// PutUpdates stores the new entries and reports which of them are pending,
// in one transaction: a batch from one getUpdates is stored whole or not
// at all. An entry the update log recorded is not pending (see
// store.Inbox).
//
// The statements are prepared once (a batch's own INSERT and IN (...)
// query were parsed anew on every getUpdates), and the transaction runs
// uncancellable after a check: it is a few rows, and under a cancellable
// context database/sql and the driver watch each statement with a
// goroutine of its own.
func (db *DB) PutUpdates(ctx context.Context, entries []store.InboxEntry) ([]int64, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	pending, err := db.putUpdates(ctx, entries)
	if err != nil {
		return nil, fmt.Errorf("put %d updates: %w", len(entries), err)
	}
	return pending, nil
}

const (
	putInboxSQL = `INSERT INTO inbox (update_id, chat_id, body, received) VALUES (?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING`
	// pendingSQL takes the batch's ids as a JSON array: one statement
	// whatever the batch's size.
	pendingSQL = `SELECT update_id FROM inbox WHERE done = 0 AND update_id IN (SELECT value FROM json_each(?)) AND ` + notRecorded
)

func (db *DB) putUpdates(ctx context.Context, entries []store.InboxEntry) ([]int64, error) {
	put, err := db.stmts.get(ctx, db.write.DB, putInboxSQL)
	if err != nil {
		return nil, classify(err)
	}
	sel, err := db.stmts.get(ctx, db.write.DB, pendingSQL)
	if err != nil {
		return nil, classify(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	ids := make([]byte, 0, 16*len(entries))
	for _, e := range entries {
		ids = strconv.AppendInt(append(ids, ','), e.UpdateID, 10)
	}
	ids[0] = '['
	ids = append(ids, ']')
	var pending []int64
	err = db.tx(ctx, func(tx *sql.Tx) error {
		put := tx.StmtContext(ctx, put)
		for _, e := range entries {
			if _, err := put.ExecContext(ctx, e.UpdateID, e.ChatID, e.Update, ms(e.Received)); err != nil {
				return err
			}
		}
		is, err := pendingIn(ctx, tx.StmtContext(ctx, sel), string(ids))
		if err != nil {
			return err
		}
		for _, e := range entries {
			if is[e.UpdateID] {
				pending = append(pending, e.UpdateID)
				delete(is, e.UpdateID) // an id given twice is pending once
			}
		}
		return nil
	})
	return pending, err
}

// pendingIn runs pendingSQL for ids, a JSON array.
func pendingIn(ctx context.Context, sel *sql.Stmt, ids string) (map[int64]bool, error) {
	rows, err := sel.QueryContext(ctx, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	is := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		is[id] = true
	}
	return is, rows.Err()
}

// notRecorded is the condition on an inbox row that the update log has
// not recorded its id: one that has was handled, its mark lost (see
// store.Inbox).
const notRecorded = `NOT EXISTS (SELECT 1 FROM updates WHERE updates.id = inbox.update_id)`

// PendingUpdates pages through the entries not handled yet.
func (db *DB) PendingUpdates(ctx context.Context, afterID int64, limit int) ([]store.InboxEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, `SELECT update_id, chat_id, body, received FROM inbox INDEXED BY inbox_chat_pending WHERE done = 0 AND update_id > ? AND `+notRecorded+` ORDER BY update_id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("pending updates: %w", err)
	}
	defer rows.Close()
	var out []store.InboxEntry
	for rows.Next() {
		var e store.InboxEntry
		var received int64
		if err := rows.Scan(&e.UpdateID, &e.ChatID, &e.Update, &received); err != nil {
			return nil, fmt.Errorf("pending updates: %w", err)
		}
		e.Received = time.UnixMilli(received).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending updates: %w", err)
	}
	return out, nil
}

// DoneUpdate marks an entry handled.
func (db *DB) DoneUpdate(ctx context.Context, updateID int64, at time.Time) error {
	// done is never 0 once handled, even at the epoch.
	if _, err := db.write.ExecContext(ctx, `UPDATE inbox SET done = max(?, 1) WHERE update_id = ? AND done = 0`, ms(at), updateID); err != nil {
		return fmt.Errorf("done update %d: %w", updateID, err)
	}
	return nil
}

// PruneInbox deletes entries handled before t, and pending ones the update
// log recorded.
func (db *DB) PruneInbox(ctx context.Context, before time.Time) (int, error) {
	// Marked first: an entry finished lately is kept as done, not deleted
	// as pending and recorded.
	if err := db.flushMarks(ctx); err != nil {
		return 0, fmt.Errorf("prune inbox: %w", err)
	}
	res, err := db.write.ExecContext(ctx, `DELETE FROM inbox WHERE (done > 0 AND done < ?) OR (done = 0 AND NOT `+notRecorded+`)`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune inbox: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
