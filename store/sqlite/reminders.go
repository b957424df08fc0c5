package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func encodeReminder(r *crm.Reminder) (string, error) {
	r.Due = store.NormTime(r.Due)
	r.CreatedAt = store.NormTime(r.CreatedAt)
	r.UpdatedAt = store.NormTime(r.UpdatedAt)
	for _, p := range []**time.Time{&r.PushedAt, &r.DoneAt, &r.ClaimUntil} {
		if *p != nil {
			t := store.NormTime(**p)
			*p = &t
		}
	}
	b, err := json.Marshal(r)
	return string(b), err
}

func decodeReminder(doc string) (crm.Reminder, error) {
	var r crm.Reminder
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return crm.Reminder{}, fmt.Errorf("decode: %w", err)
	}
	return r, nil
}

// CreateReminder stores a new reminder.
func (db *DB) CreateReminder(ctx context.Context, r crm.Reminder) error {
	if r.Owner == 0 || r.ID == "" {
		return fmt.Errorf("create reminder: owner and id are required")
	}
	doc, err := encodeReminder(&r)
	if err != nil {
		return fmt.Errorf("create reminder %s: %w", r.ID, err)
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO reminders (owner, id, customer_id, order_id, status, due, pushed, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Owner, r.ID, r.CustomerID, r.OrderID, string(r.Status), ms(r.Due), boolInt(r.PushedAt != nil), doc)
	if isUnique(err) {
		return fmt.Errorf("create reminder %s: %w", r.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create reminder %s: %w", r.ID, err)
	}
	return nil
}

// GetReminder returns one of owner's reminders.
func (db *DB) GetReminder(ctx context.Context, owner int64, id string) (crm.Reminder, error) {
	var doc string
	err := db.read.QueryRowContext(ctx, `SELECT doc FROM reminders WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Reminder{}, fmt.Errorf("get reminder %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("get reminder %s: %w", id, err)
	}
	return decodeReminder(doc)
}

// UpdateReminder changes a reminder in one transaction.
func (db *DB) UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error) {
	var out crm.Reminder
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var doc string
		err := tx.QueryRowContext(ctx, `SELECT doc FROM reminders WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		r, err := decodeReminder(doc)
		if err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		r.ID, r.Owner = id, owner
		if doc, err = encodeReminder(&r); err != nil {
			return err
		}
		claim := int64(0)
		if r.ClaimUntil != nil {
			claim = ms(*r.ClaimUntil)
		}
		_, err = tx.ExecContext(ctx, `UPDATE reminders SET customer_id = ?, order_id = ?, status = ?, due = ?, pushed = ?, claim_until = ?, doc = ?
			WHERE owner = ? AND id = ?`, r.CustomerID, r.OrderID, string(r.Status), ms(r.Due), boolInt(r.PushedAt != nil), claim, doc, owner, id)
		out = r
		return err
	})
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("update reminder %s: %w", id, err)
	}
	return out, nil
}

func (db *DB) queryReminders(ctx context.Context, q string, args ...any) ([]crm.Reminder, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Reminder
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		r, err := decodeReminder(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListReminders returns a page of owner's reminders, soonest first.
func (db *DB) ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error) {
	where := []string{"owner = ?"}
	args := []any{owner}
	add := func(c string, a any) { where = append(where, c); args = append(args, a) }
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.CustomerID != "" {
		add("customer_id = ?", f.CustomerID)
	}
	if f.OrderID != "" {
		add("order_id = ?", f.OrderID)
	}
	if !f.DueFrom.IsZero() {
		add("due >= ?", ms(f.DueFrom))
	}
	if !f.DueTo.IsZero() {
		add("due < ?", ms(f.DueTo))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM reminders WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list reminders: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 10
	}
	out, err := db.queryReminders(ctx, `SELECT doc FROM reminders WHERE `+cond+` ORDER BY due, id LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list reminders: %w", err)
	}
	return out, total, nil
}

// DueReminders returns every consultant's pending, unpushed reminders due
// before t.
func (db *DB) DueReminders(ctx context.Context, before time.Time, limit int) ([]crm.Reminder, error) {
	if limit <= 0 {
		limit = 100
	}
	out, err := db.queryReminders(ctx, `SELECT doc FROM reminders WHERE status = 'pending' AND pushed = 0 AND due <= ?
		ORDER BY due, owner, id LIMIT ?`, ms(before), limit)
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	return out, nil
}

// MoveReminders moves a customer's reminders to another customer.
func (db *DB) MoveReminders(ctx context.Context, owner int64, from, to string) (int, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE reminders SET customer_id = ?, doc = json_set(doc, '$.CustomerID', ?)
		WHERE owner = ? AND customer_id = ?`, to, to, owner, from)
	if err != nil {
		return 0, fmt.Errorf("move reminders %s → %s: %w", from, to, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ClaimDue leases due reminders to worker in one write transaction.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error) {
	var out []crm.Reminder
	until := now.Add(lease)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT doc FROM reminders WHERE status = 'pending' AND pushed = 0 AND due <= ? AND claim_until < ?
			ORDER BY due, owner, id LIMIT ?`, ms(now), ms(now), limit)
		if err != nil {
			return err
		}
		var batch []crm.Reminder
		for rows.Next() {
			var doc string
			if err := rows.Scan(&doc); err != nil {
				rows.Close()
				return err
			}
			r, err := decodeReminder(doc)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range batch {
			if r.ClaimedBy != "" {
				r.Reclaims++
			}
			r.ClaimedBy, r.ClaimUntil = worker, &until
			doc, err := encodeReminder(&r)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reminders SET claim_until = ?, doc = ? WHERE owner = ? AND id = ?`,
				ms(until), doc, r.Owner, r.ID); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim due reminders: %w", err)
	}
	return out, nil
}

// MarkPushed records a leased reminder's push.
func (db *DB) MarkPushed(ctx context.Context, owner int64, id, worker string, at time.Time) error {
	_, err := db.UpdateReminder(ctx, owner, id, func(r *crm.Reminder) error {
		if r.ClaimedBy != worker || r.PushedAt != nil {
			return store.ErrNotFound
		}
		r.PushedAt, r.ClaimedBy, r.ClaimUntil = &at, "", nil
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark pushed %s: %w", id, err)
	}
	return nil
}
