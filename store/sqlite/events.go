package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// AddEvent appends an event to a customer's timeline.
func (db *DB) AddEvent(ctx context.Context, e crm.Event) error {
	if e.Owner == 0 || e.ID == "" || e.CustomerID == "" {
		return fmt.Errorf("add event: owner, id and customer are required")
	}
	e.At = store.NormTime(e.At)
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("add event %s: encode: %w", e.ID, err)
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO events (owner, id, customer_id, at, doc) VALUES (?, ?, ?, ?, ?)`,
		e.Owner, e.ID, e.CustomerID, ms(e.At), string(b))
	if isUnique(err) {
		return fmt.Errorf("add event %s: %w", e.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("add event %s: %w", e.ID, erasedErr(err))
	}
	return nil
}

// ListEvents returns a page of a customer's timeline, newest first.
func (db *DB) ListEvents(ctx context.Context, owner int64, customerID string, offset, limit int) ([]crm.Event, int, error) {
	if limit <= 0 {
		limit = 10
	}
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE owner = ? AND customer_id = ?`, owner, customerID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc FROM events WHERE owner = ? AND customer_id = ?
		ORDER BY at DESC, rowid DESC LIMIT ? OFFSET ?`, owner, customerID, limit, max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []crm.Event
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, fmt.Errorf("list events: %w", err)
		}
		var e crm.Event
		if err := json.Unmarshal([]byte(doc), &e); err != nil {
			return nil, 0, fmt.Errorf("list events: decode: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	return out, total, nil
}

// MoveEvents moves a customer's events to another customer of the same
// owner. The document's customer id is rewritten with the column.
func (db *DB) MoveEvents(ctx context.Context, owner int64, from, to string) (int, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE events SET customer_id = ?, doc = json_set(doc, '$.CustomerID', ?)
		WHERE owner = ? AND customer_id = ?`, to, to, owner, from)
	if err != nil {
		return 0, fmt.Errorf("move events %s → %s: %w", from, to, erasedErr(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
