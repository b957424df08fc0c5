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

// heldUntil is the claim_until of a held reminder: a lease no clock reaches.
var heldUntil = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func reminderKeys(r *crm.Reminder) bson.M {
	var claim time.Time // zero: free
	if r.ClaimUntil != nil {
		claim = *r.ClaimUntil
	}
	if r.Held {
		claim = heldUntil
	}
	var done any
	if r.DoneAt != nil {
		done = *r.DoneAt
	}
	return bson.M{"customer_id": r.CustomerID, "order_id": r.OrderID, "status": string(r.Status), "due": r.Due, "pushed": r.PushedAt != nil,
		"claim_until": claim, "kind": string(r.Kind), "stage": r.Stage, "done_at": done, "due_key": dueKey(r)}
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
		return fmt.Errorf("create reminder %s: %w", r.ID, classify(err))
	}
	if err := db.takeBack(ctx, db.reminders, r.Owner, r.CustomerID, bson.M{"_id": key(r.Owner, r.ID), "owner": r.Owner}); err != nil {
		return fmt.Errorf("create reminder %s: %w", r.ID, classify(err))
	}
	return nil
}

// GetReminder returns one of owner's reminders.
func (db *DB) GetReminder(ctx context.Context, owner int64, id string) (crm.Reminder, error) {
	r, err := get[crm.Reminder](ctx, db.reminders, owner, id)
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("get reminder %s: %w", id, classify(err))
	}
	return r, nil
}

// UpdateReminder changes a reminder atomically. A change of its due time,
// or a push undone, ends a scheduler's lease on it (see
// crm.Reminder.Reschedule), whoever made the change.
func (db *DB) UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error) {
	moved := false
	r, err := update(ctx, db, db.reminders, owner, id, func(r *crm.Reminder) error {
		prev := *r
		if err := fn(r); err != nil {
			return err
		}
		moved = prev.CustomerID != r.CustomerID
		r.ID, r.Owner = id, owner
		normReminder(r)
		if !store.NormTime(prev.Due).Equal(r.Due) || (prev.PushedAt != nil && r.PushedAt == nil) {
			r.ClearLease()
		}
		return nil
	}, reminderKeys)
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("update reminder %s: %w", id, classify(err))
	}
	// A reminder of hers changed in place is deleted by her erasure; one
	// moved to her is checked here (claims and pushes cost no read more).
	if moved {
		if err := db.takeBack(ctx, db.reminders, owner, r.CustomerID, bson.M{"_id": key(owner, id), "owner": owner}); err != nil {
			return crm.Reminder{}, fmt.Errorf("update reminder %s: %w", id, classify(err))
		}
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
	after := bson.M{}
	if a := f.After; a != nil {
		due := store.NormTime(a.Due)
		after = bson.M{"$or": bson.A{bson.M{"due": bson.M{"$gt": due}}, bson.M{"due": due, "id": bson.M{"$gt": a.ID}}}}
	}
	out, total, err := listPage[crm.Reminder](ctx, db.reminders, filter, after, !f.NoTotal, bson.D{{Key: "due", Value: 1}, {Key: "id", Value: 1}}, f.Offset, f.Limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list reminders: %w", classify(err))
	}
	return out, total, nil
}

// DueReminders returns every consultant's pending, unpushed reminders due
// before t (held ones are not due: they have no due_key).
func (db *DB) DueReminders(ctx context.Context, before time.Time, limit int) ([]crm.Reminder, error) {
	if limit <= 0 {
		limit = 100
	}
	out, err := find[crm.Reminder](ctx, db.reminders, bson.M{"due_key": bson.M{"$lte": before}}, dueOrder, limit)
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", classify(err))
	}
	return out, nil
}

// MoveReminders moves a customer's reminders to another customer.
func (db *DB) MoveReminders(ctx context.Context, owner int64, from, to string) (int, error) {
	res, err := db.reminders.UpdateMany(ctx, bson.M{"owner": owner, "customer_id": from},
		bson.M{"$set": bson.M{"customer_id": to, "doc.customerid": to}, "$inc": bson.M{"v": 1}})
	if err != nil {
		return 0, fmt.Errorf("move reminders %s → %s: %w", from, to, classify(err))
	}
	if err := db.takeBack(ctx, db.reminders, owner, to, bson.M{"owner": owner, "customer_id": to}); err != nil {
		return 0, fmt.Errorf("move reminders %s → %s: %w", from, to, classify(err))
	}
	return int(res.ModifiedCount), nil
}

var errClaimed = errors.New("claimed by another worker")

// ClaimDue leases due reminders one by one with a versioned replace, so two
// processes never lease the same reminder at once.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error) {
	cands, err := find[crm.Reminder](ctx, db.reminders, bson.M{"due_key": bson.M{"$lte": now}, "claim_until": bson.M{"$lt": now}}, dueOrder, limit)
	if err != nil {
		return nil, fmt.Errorf("claim due reminders: %w", classify(err))
	}
	until := store.NormTime(now.Add(lease))
	leaseID := store.NewLeaseID()
	var out []crm.Reminder
	for _, c := range cands {
		r, err := db.UpdateReminder(ctx, c.Owner, c.ID, func(r *crm.Reminder) error {
			if r.Status != crm.Pending || r.PushedAt != nil || r.Held || r.Due.After(now) || (r.ClaimUntil != nil && !r.ClaimUntil.Before(now)) {
				return errClaimed
			}
			r.Reclaimed = r.ClaimedBy != ""
			if r.Reclaimed {
				r.Reclaims++
			}
			r.ClaimedBy, r.LeaseID, r.ClaimUntil = worker, leaseID, &until
			return nil
		})
		if errors.Is(err, errClaimed) || errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("claim due reminders: %w", classify(err))
		}
		out = append(out, r)
	}
	return out, nil
}

// MarkPushed records a leased reminder's push.
func (db *DB) MarkPushed(ctx context.Context, owner int64, id, worker, leaseID string, at time.Time) error {
	_, err := db.UpdateReminder(ctx, owner, id, func(r *crm.Reminder) error {
		if !store.Leased(*r, worker, leaseID) {
			return store.ErrLeaseLost
		}
		at := store.NormTime(at)
		r.PushedAt = &at
		r.ClearLease()
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark pushed %s: %w", id, classify(err))
	}
	return nil
}

// ReleaseClaim gives back an unsent reminder's lease.
func (db *DB) ReleaseClaim(ctx context.Context, owner int64, id, worker, leaseID string) error {
	return store.ReleaseLease(ctx, db.UpdateReminder, owner, id, worker, leaseID)
}

// HoldReminders holds or releases owner's pending, unpushed reminders, one
// versioned replace each.
func (db *DB) HoldReminders(ctx context.Context, owner int64, held bool) (int, error) {
	filter := bson.M{"owner": owner, "claim_until": heldUntil}
	if held {
		filter = bson.M{"owner": owner, "status": string(crm.Pending), "pushed": false, "claim_until": bson.M{"$ne": heldUntil}}
	}
	n := 0
	// Each page changed leaves the filter; a few pages cover her reminders.
	for range 100 {
		cands, _, err := list[crm.Reminder](ctx, db.reminders, filter, bson.D{{Key: "due", Value: 1}}, 0, 500)
		if err != nil {
			return n, fmt.Errorf("hold reminders of %d: %w", owner, classify(err))
		}
		if len(cands) == 0 {
			break
		}
		k, err := db.hold(ctx, owner, cands, held)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (db *DB) hold(ctx context.Context, owner int64, cands []crm.Reminder, held bool) (int, error) {
	n := 0
	for _, c := range cands {
		_, err := db.UpdateReminder(ctx, owner, c.ID, func(r *crm.Reminder) error {
			if r.Held == held || (held && (r.Status != crm.Pending || r.PushedAt != nil)) {
				return errClaimed
			}
			r.Held = held
			r.ClearLease()
			return nil
		})
		if errors.Is(err, errClaimed) || errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("hold reminders of %d: %w", owner, classify(err))
		}
		n++
	}
	return n, nil
}
