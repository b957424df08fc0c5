package sqlite

import (
	"context"
	"fmt"
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

// PruneUpdates deletes claims that expired before t.
func (db *DB) PruneUpdates(ctx context.Context, before time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM updates WHERE expires < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune updates: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
