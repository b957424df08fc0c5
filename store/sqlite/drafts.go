package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/store"
)

// PutDraft creates or replaces a draft.
func (db *DB) PutDraft(ctx context.Context, d store.Draft) error {
	if d.Owner == 0 || d.ID == "" {
		return fmt.Errorf("put draft: owner and id are required")
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO drafts (owner, id, kind, data, expires) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (owner, id) DO UPDATE SET kind = excluded.kind, data = excluded.data, expires = excluded.expires`,
		d.Owner, d.ID, d.Kind, d.Data, ms(d.Expires))
	if err != nil {
		return fmt.Errorf("put draft %s: %w", d.ID, err)
	}
	return nil
}

// GetDraft returns an unexpired draft of owner.
func (db *DB) GetDraft(ctx context.Context, owner int64, id string, now time.Time) (store.Draft, error) {
	d := store.Draft{Owner: owner, ID: id}
	var exp int64
	err := db.read.QueryRowContext(ctx, `SELECT kind, data, expires FROM drafts WHERE owner = ? AND id = ? AND expires >= ?`,
		owner, id, ms(now)).Scan(&d.Kind, &d.Data, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Draft{}, fmt.Errorf("get draft %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Draft{}, fmt.Errorf("get draft %s: %w", id, err)
	}
	d.Expires = time.UnixMilli(exp).UTC()
	return d, nil
}

// DeleteDraft removes a draft; a missing one is not an error.
func (db *DB) DeleteDraft(ctx context.Context, owner int64, id string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM drafts WHERE owner = ? AND id = ?`, owner, id); err != nil {
		return fmt.Errorf("delete draft %s: %w", id, err)
	}
	return nil
}

// PruneDrafts deletes drafts that expired before t.
func (db *DB) PruneDrafts(ctx context.Context, before time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM drafts WHERE expires < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune drafts: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteCustomer removes a customer and her events.
func (db *DB) DeleteCustomer(ctx context.Context, owner int64, id string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE owner = ? AND id = ?`, owner, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM events WHERE owner = ? AND customer_id = ?`, owner, id); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM order_items WHERE owner = ? AND order_id IN (SELECT id FROM orders WHERE owner = ? AND customer_id = ?)`, owner, owner, id); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM orders WHERE owner = ? AND customer_id = ?`, owner, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM reminders WHERE owner = ? AND customer_id = ?`, owner, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete customer %s: %w", id, err)
	}
	return nil
}
