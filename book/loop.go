package book

import (
	"context"
	"errors"
	"fmt"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// The follow-up loop closing itself: one set of 2+2+2 calls per customer at
// a time, and a logged contact completing the call it answers.

// followUpPage is how many of her customer's pending reminders are read at
// a time looking for her 2+2+2 calls.
const followUpPage = 100

// PendingFollowUps is her customer's 2+2+2 calls planned and not made yet
// (of any delivery, or started by hand), soonest first.
func (rs *Reminders) PendingFollowUps(ctx context.Context, c crm.Consultant, customerID string) ([]crm.Reminder, error) {
	return pendingFollowUps(ctx, rs.store, c.ID, customerID)
}

// reminderLister is the one store method pendingFollowUps reads.
type reminderLister interface {
	ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error)
}

func pendingFollowUps(ctx context.Context, s reminderLister, owner int64, customerID string) ([]crm.Reminder, error) {
	if customerID == "" {
		return nil, nil
	}
	var out []crm.Reminder
	f := store.ReminderFilter{CustomerID: customerID, Status: crm.Pending, Limit: followUpPage}
	for {
		rems, total, err := s.ListReminders(ctx, owner, f)
		if err != nil {
			return nil, fmt.Errorf("list follow-ups of %s: %w", customerID, err)
		}
		for _, rem := range rems {
			if rem.Kind == crm.KindFollowUp {
				out = append(out, rem)
			}
		}
		f.Offset += len(rems)
		if len(rems) == 0 || f.Offset >= total {
			return out, nil
		}
	}
}

// ReplanFollowUps replaces her customer's pending 2+2+2 calls with a set
// from today: the pending ones are cancelled (calls made stay made), three
// new ones planned. Pressed again the same day, the set is moved, not
// doubled.
func (rs *Reminders) ReplanFollowUps(ctx context.Context, c crm.Consultant, cu crm.Customer) (FollowUpPlan, error) {
	pending, err := rs.PendingFollowUps(ctx, c, cu.ID)
	if err != nil {
		return FollowUpPlan{}, err
	}
	var errs []error
	for _, rem := range pending {
		if err := rs.cancelPending(ctx, c, rem.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return FollowUpPlan{}, fmt.Errorf("re-plan follow-ups of %s: %w", cu.ID, err)
	}
	return rs.planByHand(ctx, c, cu)
}

// completeAnswered marks done, with the contact's outcome, the reminder a
// logged contact answers: the one whose push she logged it from, or, for a
// contact with the 2+2+2 reason, her customer's pending 2+2+2 call due
// soonest. It returns the reminder completed, or nil when there was none
// (or it was done already).
func (s *Interactions) completeAnswered(ctx context.Context, c crm.Consultant, in Interaction) (*crm.Reminder, error) {
	id := ""
	if in.Reminder != "" {
		rem, err := s.store.GetReminder(ctx, c.ID, in.Reminder)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("get reminder %s: %w", in.Reminder, err)
		}
		if rem.CustomerID == in.CustomerID && rem.Status == crm.Pending {
			id = rem.ID
		}
	}
	if id == "" && isFollowUpReason(in.Reason) {
		pending, err := pendingFollowUps(ctx, s.store, c.ID, in.CustomerID)
		if err != nil {
			return nil, err
		}
		if len(pending) > 0 {
			id = pending[0].ID
		}
	}
	if id == "" {
		return nil, nil
	}
	now, loc := s.now(), c.Location(s.cfg.DefaultTimezone)
	completed := false
	rem, err := s.store.UpdateReminder(ctx, c.ID, id, func(x *crm.Reminder) error {
		completed = x.Status == crm.Pending
		if completed {
			x.Complete(now, loc)
			x.Outcome = in.Outcome
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("complete reminder %s: %w", id, err)
	}
	if !completed {
		return nil, nil
	}
	return &rem, nil
}

// isFollowUpReason reports whether a reason is the 2+2+2 call (or one of
// hers below it).
func isFollowUpReason(id string) bool {
	return id == crm.FollowUpReason || len(id) > len(crm.FollowUpReason) && id[:len(crm.FollowUpReason)+1] == crm.FollowUpReason+"."
}
