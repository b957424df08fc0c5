package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/store"
)

var _ store.ChatLeases = (*DB)(nil)

// NextUpdate checks the lease, takes the chat's oldest pending entry and
// writes the lease in one immediate transaction: SQLite runs one writer at
// a time across processes, so two holders cannot both pass the check.
func (db *DB) NextUpdate(ctx context.Context, chatID int64, holder string, now time.Time, ttl time.Duration) (store.InboxEntry, bool, error) {
	var e store.InboxEntry
	ok := false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var other string
		err := tx.QueryRowContext(ctx, `SELECT holder FROM chat_leases WHERE chat_id = ? AND expires > ? AND holder <> ?`, chatID, ms(now), holder).Scan(&other)
		if err == nil {
			return nil // another process has the chat
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var received int64
		err = tx.QueryRowContext(ctx, `SELECT update_id, chat_id, body, received FROM inbox WHERE chat_id = ? AND done = 0 AND `+notRecorded+` ORDER BY update_id LIMIT 1`, chatID).
			Scan(&e.UpdateID, &e.ChatID, &e.Update, &received)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, `DELETE FROM chat_leases WHERE chat_id = ?`, chatID)
			return err
		}
		if err != nil {
			return err
		}
		e.Received = time.UnixMilli(received).UTC()
		if _, err := tx.ExecContext(ctx, `INSERT INTO chat_leases (chat_id, holder, expires) VALUES (?, ?, ?)
			ON CONFLICT (chat_id) DO UPDATE SET holder = excluded.holder, expires = excluded.expires`, chatID, holder, ms(now.Add(ttl))); err != nil {
			return err
		}
		ok = true
		return nil
	})
	if err != nil {
		return store.InboxEntry{}, false, fmt.Errorf("next update of chat %d: %w", chatID, err)
	}
	return e, ok, nil
}

// ReleaseChat deletes holder's lease of the chat.
func (db *DB) ReleaseChat(ctx context.Context, chatID int64, holder string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM chat_leases WHERE chat_id = ? AND holder = ?`, chatID, holder); err != nil {
		return fmt.Errorf("release chat %d: %w", chatID, err)
	}
	return nil
}

// PruneLeases deletes leases expired before t.
func (db *DB) PruneLeases(ctx context.Context, before time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM chat_leases WHERE expires < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune chat leases: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
