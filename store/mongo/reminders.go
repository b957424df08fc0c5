package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func normReminder(r *crm.Reminder) {
	r.Due = store.NormTime(r.Due)
	r.CreatedAt = store.NormTime(r.CreatedAt)
	r.UpdatedAt = store.NormTime(r.UpdatedAt)
	for _, p := range []**time.Time{&r.PushedAt, &r.DoneAt, &r.ClaimUntil} {
		if *p != nil {
			t := store.NormTime(**p)
			*p = &t
		}
	}
}

func reminderKeys(r *crm.Reminder) bson.M {
	var claim time.Time // zero: free
	if r.ClaimUntil != nil {
		claim = *r.ClaimUntil
	}
	var done any
	if r.DoneAt != nil {
		done = *r.DoneAt
	}
	return bson.M{"customer_id": r.CustomerID, "order_id": r.OrderID, "status": string(r.Status), "due": r.Due, "pushed": r.PushedAt != nil,
		"claim_until": claim, "kind": string(r.Kind), "done_at": done}
}

// CreateReminder stores a new reminder.
func (db *DB) CreateReminder(ctx context.Context, r crm.Reminder) error {
	if r.Owner == 0 || r.ID == "" {
		return fmt.Errorf("create reminder: owner and id are required")
	}
	normReminder(&r)
	_, err := db.reminders.InsertOne(ctx, document(r.Owner, r.ID, 1, r, reminderKeys(&r)))
	if isDuplicate(err) {
		return fmt.Errorf("create reminder %s: %w", r.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create reminder %s: %w", r.ID, err)
	}
	return nil
}

// GetReminder returns one of owner's reminders.
func (db *DB) GetReminder(ctx context.Context, owner int64, id string) (crm.Reminder, error) {
	r, err := get[crm.Reminder](ctx, db.reminders, owner, id)
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("get reminder %s: %w", id, err)
	}
	return r, nil
}

// UpdateReminder changes a reminder atomically.
func (db *DB) UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error) {
	r, err := update(ctx, db, db.reminders, owner, id, func(r *crm.Reminder) error {
		if err := fn(r); err != nil {
			return err
		}
		r.ID, r.Owner = id, owner
		normReminder(r)
		return nil
	}, reminderKeys)
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("update reminder %s: %w", id, err)
	}
	return r, nil
}

// ListReminders returns a page of owner's reminders, soonest first.
func (db *DB) ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error) {
	filter := bson.M{"owner": owner}
	if f.Status != "" {
		filter["status"] = string(f.Status)
	}
	if f.CustomerID != "" {
		filter["customer_id"] = f.CustomerID
	}
	if f.OrderID != "" {
		filter["order_id"] = f.OrderID
	}
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		r := bson.M{}
		if !f.DueFrom.IsZero() {
			r["$gte"] = f.DueFrom
		}
		if !f.DueTo.IsZero() {
			r["$lt"] = f.DueTo
		}
		filter["due"] = r
	}
	out, total, err := list[crm.Reminder](ctx, db.reminders, filter, bson.D{{Key: "due", Value: 1}, {Key: "id", Value: 1}}, f.Offset, f.Limit)
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
	out, _, err := list[crm.Reminder](ctx, db.reminders, bson.M{"status": string(crm.Pending), "pushed": false, "due": bson.M{"$lte": before}},
		bson.D{{Key: "due", Value: 1}, {Key: "owner", Value: 1}, {Key: "id", Value: 1}}, 0, limit)
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	return out, nil
}

// MoveReminders moves a customer's reminders to another customer.
func (db *DB) MoveReminders(ctx context.Context, owner int64, from, to string) (int, error) {
	res, err := db.reminders.UpdateMany(ctx, bson.M{"owner": owner, "customer_id": from},
		bson.M{"$set": bson.M{"customer_id": to, "doc.customerid": to}, "$inc": bson.M{"v": 1}})
	if err != nil {
		return 0, fmt.Errorf("move reminders %s → %s: %w", from, to, err)
	}
	return int(res.ModifiedCount), nil
}

var errClaimed = errors.New("claimed by another worker")

// ClaimDue leases due reminders one by one with a versioned replace, so two
// processes never lease the same reminder at once.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error) {
	cands, _, err := list[crm.Reminder](ctx, db.reminders, bson.M{"status": string(crm.Pending), "pushed": false,
		"due": bson.M{"$lte": now}, "claim_until": bson.M{"$lt": now}},
		bson.D{{Key: "due", Value: 1}, {Key: "owner", Value: 1}, {Key: "id", Value: 1}}, 0, limit)
	if err != nil {
		return nil, fmt.Errorf("claim due reminders: %w", err)
	}
	until := store.NormTime(now.Add(lease))
	var out []crm.Reminder
	for _, c := range cands {
		r, err := db.UpdateReminder(ctx, c.Owner, c.ID, func(r *crm.Reminder) error {
			if r.Status != crm.Pending || r.PushedAt != nil || r.Due.After(now) || (r.ClaimUntil != nil && !r.ClaimUntil.Before(now)) {
				return errClaimed
			}
			if r.ClaimedBy != "" {
				r.Reclaims++
			}
			r.ClaimedBy, r.ClaimUntil = worker, &until
			return nil
		})
		if errors.Is(err, errClaimed) || errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("claim due reminders: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// MarkPushed records a leased reminder's push.
func (db *DB) MarkPushed(ctx context.Context, owner int64, id, worker string, at time.Time) error {
	_, err := db.UpdateReminder(ctx, owner, id, func(r *crm.Reminder) error {
		if r.ClaimedBy != worker || r.PushedAt != nil {
			return store.ErrNotFound
		}
		at := store.NormTime(at)
		r.PushedAt, r.ClaimedBy, r.ClaimUntil = &at, "", nil
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark pushed %s: %w", id, err)
	}
	return nil
}
