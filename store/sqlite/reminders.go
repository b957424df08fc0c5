package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
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
		return fmt.Errorf("create reminder %s: %w", r.ID, erasedErr(err))
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO reminders (owner, id, customer_id, order_id, status, due, pushed, claim_until, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Owner, r.ID, r.CustomerID, r.OrderID, string(r.Status), ms(r.Due), boolInt(r.PushedAt != nil), claimKey(&r), doc)
	if isUnique(err) {
		return fmt.Errorf("create reminder %s: %w", r.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create reminder %s: %w", r.ID, erasedErr(err))
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

// heldKey is the claim_until of a held reminder: a lease no clock reaches.
const heldKey = math.MaxInt64

// claimKey is the claim_until column of r: 0 when free, the lease's end,
// or heldKey.
func claimKey(r *crm.Reminder) int64 {
	switch {
	case r.Held:
		return heldKey
	case r.ClaimUntil != nil:
		return ms(*r.ClaimUntil)
	}
	return 0
}

// UpdateReminder changes a reminder in one transaction. A change of its due
// time, or a push undone, ends a scheduler's lease on it (see
// crm.Reminder.Reschedule), whoever made the change.
func (db *DB) UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error) {
	var out crm.Reminder
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = updateReminderTx(ctx, tx, owner, id, fn)
		return err
	})
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("update reminder %s: %w", id, erasedErr(err))
	}
	return out, nil
}

func updateReminderTx(ctx context.Context, tx *sql.Tx, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error) {
	var doc string
	err := tx.QueryRowContext(ctx, `SELECT doc FROM reminders WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Reminder{}, store.ErrNotFound
	}
	if err != nil {
		return crm.Reminder{}, err
	}
	r, err := decodeReminder(doc)
	if err != nil {
		return crm.Reminder{}, err
	}
	prev := r
	if err := fn(&r); err != nil {
		return crm.Reminder{}, err
	}
	r.ID, r.Owner = id, owner
	if rescheduled(prev, r) {
		r.ClearLease()
	}
	if doc, err = encodeReminder(&r); err != nil {
		return crm.Reminder{}, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE reminders SET customer_id = ?, order_id = ?, status = ?, due = ?, pushed = ?, claim_until = ?, doc = ?
		WHERE owner = ? AND id = ?`, r.CustomerID, r.OrderID, string(r.Status), ms(r.Due), boolInt(r.PushedAt != nil), claimKey(&r), doc, owner, id)
	return r, err
}

// rescheduled reports whether an update moved a reminder to a new
// occurrence (new due time, or its push undone).
func rescheduled(prev, next crm.Reminder) bool {
	return !store.NormTime(prev.Due).Equal(store.NormTime(next.Due)) || (prev.PushedAt != nil && next.PushedAt == nil)
}

func (db *DB) queryReminders(ctx context.Context, q string, args ...any) ([]crm.Reminder, error) {
	return db.queryRemindersOn(ctx, db.read, q, args...)
}

func (db *DB) queryRemindersOn(ctx context.Context, conn *sql.DB, q string, args ...any) ([]crm.Reminder, error) {
	rows, err := conn.QueryContext(ctx, q, args...)
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
	if !f.NoTotal {
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM reminders WHERE `+cond, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("list reminders: %w", err)
		}
	}
	if a := f.After; a != nil {
		cond += ` AND (due > ? OR (due = ? AND id > ?))`
		args = append(args, ms(a.Due), ms(a.Due), a.ID)
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
// before t; held ones are not due (they are outside reminders_due_scan).
func (db *DB) DueReminders(ctx context.Context, before time.Time, limit int) ([]crm.Reminder, error) {
	if limit <= 0 {
		limit = 100
	}
	out, err := db.queryReminders(ctx, `SELECT doc FROM reminders INDEXED BY reminders_due_scan
		WHERE status = 'pending' AND pushed = 0 AND claim_until != 9223372036854775807 AND due <= ?
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
		return 0, fmt.Errorf("move reminders %s → %s: %w", from, to, erasedErr(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ClaimDue leases due reminders to worker in one statement: the lease is
// written into each document by json_set, so no document goes through Go.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error) {
	until := store.NormTime(now.Add(lease))
	untilJSON, err := json.Marshal(until)
	if err != nil {
		return nil, fmt.Errorf("claim due reminders: %w", err)
	}
	// Expressions in SET read the row as it was: Reclaimed and Reclaims
	// look at the previous lease.
	out, err := db.queryRemindersOn(ctx, db.write.DB, `UPDATE reminders SET claim_until = ?1,
		doc = json_set(doc, '$.ClaimedBy', ?2, '$.LeaseID', ?3, '$.ClaimUntil', json(?4),
			'$.Reclaimed', json(CASE WHEN ifnull(doc->>'$.ClaimedBy', '') != '' THEN 'true' ELSE 'false' END),
			'$.Reclaims', ifnull(doc->>'$.Reclaims', 0) + (CASE WHEN ifnull(doc->>'$.ClaimedBy', '') != '' THEN 1 ELSE 0 END))
		WHERE rowid IN (SELECT rowid FROM reminders INDEXED BY reminders_due_scan
			WHERE status = 'pending' AND pushed = 0 AND claim_until != 9223372036854775807 AND due <= ?5 AND claim_until < ?5
			ORDER BY due, owner, id LIMIT ?6)
		RETURNING doc`, ms(until), worker, store.NewLeaseID(), string(untilJSON), ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim due reminders: %w", err)
	}
	slices.SortFunc(out, func(a, b crm.Reminder) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Owner, b.Owner), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// MarkPushed records a leased reminder's push in one statement that
// matches the lease.
func (db *DB) MarkPushed(ctx context.Context, owner int64, id, worker, leaseID string, at time.Time) error {
	atJSON, err := json.Marshal(store.NormTime(at))
	if err != nil {
		return fmt.Errorf("mark pushed %s: %w", id, err)
	}
	res, err := db.write.ExecContext(ctx, `UPDATE reminders SET pushed = 1, claim_until = 0,
		doc = json_set(doc, '$.PushedAt', json(?), '$.ClaimedBy', '', '$.LeaseID', '', '$.ClaimUntil', json('null'), '$.Reclaimed', json('false'))
		WHERE owner = ? AND id = ? AND pushed = 0 AND ? != '' AND ? != '' AND doc->>'$.ClaimedBy' = ? AND doc->>'$.LeaseID' = ?`,
		string(atJSON), owner, id, worker, leaseID, worker, leaseID)
	if err != nil {
		return fmt.Errorf("mark pushed %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	if _, err := db.GetReminder(ctx, owner, id); err != nil {
		return fmt.Errorf("mark pushed %s: %w", id, err)
	}
	return fmt.Errorf("mark pushed %s: %w", id, store.ErrLeaseLost)
}

// ReleaseClaim gives back an unsent reminder's lease.
func (db *DB) ReleaseClaim(ctx context.Context, owner int64, id, worker, leaseID string) error {
	return store.ReleaseLease(ctx, db.UpdateReminder, owner, id, worker, leaseID)
}

// HoldReminders holds or releases owner's pending, unpushed reminders.
func (db *DB) HoldReminders(ctx context.Context, owner int64, held bool) (int, error) {
	q := `SELECT id FROM reminders WHERE owner = ? AND claim_until = ?`
	args := []any{owner, int64(heldKey)}
	if held {
		q = `SELECT id FROM reminders WHERE owner = ? AND status = 'pending' AND pushed = 0 AND claim_until != ?`
	}
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := updateReminderTx(ctx, tx, owner, id, func(r *crm.Reminder) error {
				r.Held = held
				r.ClearLease()
				return nil
			}); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("hold reminders of %d: %w", owner, err)
	}
	return n, nil
}
