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

// DeleteCustomer erases a customer for good: her events, orders (with
// their report lines), reminders, and the archived cards merged into her
// (which hold her name, phone and email), all in one transaction. When the
// customer is gone but something of hers is left, it is removed and the
// erasure succeeds; ErrNotFound means nothing of her was there. Each
// erased id is tombstoned in the same transaction, so a write of hers
// that comes after it is refused (store.ErrErased).
func (db *DB) DeleteCustomer(ctx context.Context, owner int64, id string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		ids, err := mergedClosure(ctx, tx, owner, id)
		if err != nil {
			return err
		}
		var deleted int64
		for _, cid := range ids {
			// The tombstone refuses her writes from now on (0016_erasure.sql).
			if _, err := tx.ExecContext(ctx, `INSERT INTO erased_customers (owner, id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				owner, cid, time.Now().UnixMilli()); err != nil {
				return err
			}
			for _, q := range []string{
				`DELETE FROM events WHERE owner = ? AND customer_id = ?`,
				`DELETE FROM order_items WHERE owner = ?1 AND order_id IN (SELECT id FROM orders WHERE owner = ?1 AND customer_id = ?2)`,
				`DELETE FROM orders WHERE owner = ? AND customer_id = ?`,
				`DELETE FROM reminders WHERE owner = ? AND customer_id = ?`,
				// Her place in mailings: her Telegram ids, which card it was.
				`DELETE FROM mailing_recipients WHERE owner = ? AND customer_id = ?`,
				`DELETE FROM customers WHERE owner = ? AND id = ?`,
			} {
				res, err := tx.ExecContext(ctx, q, owner, cid)
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				deleted += n
			}
			n, err := eraseMembers(ctx, tx, owner, cid)
			if err != nil {
				return err
			}
			deleted += n
		}
		if deleted == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete customer %s: %w", id, err)
	}
	return nil
}

// mergedClosure returns id and every customer merged into it, directly or
// through another merged card.
func mergedClosure(ctx context.Context, tx *sql.Tx, owner int64, id string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `WITH RECURSIVE gone(id) AS (
			SELECT ?2
			UNION SELECT c.id FROM customers c JOIN gone g ON json_extract(c.doc, '$.MergedInto') = g.id
			WHERE c.owner = ?1 AND c.merged = 1
		) SELECT id FROM gone`, owner, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		ids = append(ids, s)
	}
	return ids, rows.Err()
}

// DraftsOfKind returns unexpired drafts of kind across owners, after the
// (afterOwner, afterID) cursor (index drafts_kind, 0053).
func (db *DB) DraftsOfKind(ctx context.Context, kind string, now time.Time, afterOwner int64, afterID string, limit int) ([]store.Draft, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT owner, id, data, expires FROM drafts
		WHERE kind = ?1 AND expires >= ?2 AND (owner > ?3 OR (owner = ?3 AND id > ?4))
		ORDER BY owner, id LIMIT ?5`, kind, ms(now), afterOwner, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("drafts of kind %s: %w", kind, err)
	}
	defer rows.Close()
	var out []store.Draft
	for rows.Next() {
		d := store.Draft{Kind: kind}
		var exp int64
		if err := rows.Scan(&d.Owner, &d.ID, &d.Data, &exp); err != nil {
			return nil, fmt.Errorf("drafts of kind %s: %w", kind, err)
		}
		d.Expires = time.UnixMilli(exp).UTC()
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("drafts of kind %s: %w", kind, err)
	}
	return out, nil
}

// SwapDraft replaces d while the stored draft has kind from, in one
// conditional statement.
func (db *DB) SwapDraft(ctx context.Context, d store.Draft, from string) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE drafts SET kind = ?, data = ?, expires = ? WHERE owner = ? AND id = ? AND kind = ?`,
		d.Kind, d.Data, ms(d.Expires), d.Owner, d.ID, from)
	if err != nil {
		return false, fmt.Errorf("swap draft %s: %w", d.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("swap draft %s: %w", d.ID, err)
	}
	return n == 1, nil
}
