package book

import (
	"context"
	"errors"
	"fmt"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// mergeStore is what merging calls.
type mergeStore interface {
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error)
	AddEvent(ctx context.Context, e crm.Event) error
	MoveEvents(ctx context.Context, owner int64, from, to string) (int, error)
	MoveOrders(ctx context.Context, owner int64, from, to string) (int, error)
	MoveReminders(ctx context.Context, owner int64, from, to string) (int, error)
	MoveMembers(ctx context.Context, owner int64, from, to string) (int, error)
	MemberByCustomer(ctx context.Context, owner int64, customerID string) (crm.Member, error)
}

// ErrMergeSelf: a customer cannot be merged into herself.
var ErrMergeSelf = errors.New("merge a customer into herself")

// mergeNew folds a customer never stored into customer targetID.
func (s *Customers) mergeNew(ctx context.Context, c crm.Consultant, targetID string, cu crm.Customer) (crm.Customer, error) {
	merged, err := s.store.UpdateCustomer(ctx, c.ID, targetID, func(t *crm.Customer) error {
		m := crm.Merge(*t, cu)
		m.MergedFrom = t.MergedFrom // the new customer was never stored
		m.UpdatedAt = s.now()
		*t = m
		return nil
	})
	if err != nil {
		return crm.Customer{}, fmt.Errorf("merge new customer into %s: %w", targetID, err)
	}
	s.addEvent(ctx, c, merged.ID, crm.EventMerged, cu.FullName(), map[string]string{"source": cu.Source})
	return merged, nil
}

// Merge folds customer dropID into keepID: keepID's card wins, dropID's
// details fill its gaps (crm.Merge), her orders, reminders and timeline
// (events and interactions) move over, and she is archived with a pointer
// to keepID. Each step can be repeated safely, so a crash in the middle is
// finished by merging again. It returns the kept customer.
func (s *Customers) Merge(ctx context.Context, c crm.Consultant, keepID, dropID string) (crm.Customer, error) {
	if keepID == dropID {
		return crm.Customer{}, ErrMergeSelf
	}
	drop, err := s.Get(ctx, c, dropID)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("merge: %w", err)
	}
	if _, err := s.Get(ctx, c, keepID); err != nil {
		return crm.Customer{}, fmt.Errorf("merge: %w", err)
	}
	if drop.MergedInto != "" && drop.MergedInto != keepID {
		return crm.Customer{}, crm.Invalid("merge", "err.already_merged", map[string]any{"Name": drop.FullName()})
	}
	if err := s.bothMembers(ctx, c.ID, keepID, dropID); err != nil {
		return crm.Customer{}, err
	}
	drop, err = s.store.UpdateCustomer(ctx, c.ID, dropID, func(d *crm.Customer) error {
		d.MergedInto, d.Archived, d.UpdatedAt = keepID, true, s.now()
		return nil
	})
	if err != nil {
		return crm.Customer{}, fmt.Errorf("merge: mark %s: %w", dropID, err)
	}
	if err := s.moveRecords(ctx, c.ID, dropID, keepID); err != nil {
		return crm.Customer{}, err
	}
	if _, err := s.store.UpdateCustomer(ctx, c.ID, keepID, func(k *crm.Customer) error {
		drop.Archived, drop.MergedInto = false, ""
		m := crm.Merge(*k, drop)
		m.UpdatedAt = s.now()
		*k = m
		return nil
	}); err != nil {
		return crm.Customer{}, fmt.Errorf("merge into %s: %w", keepID, err)
	}
	// Her orders are now the kept customer's: MoveOrders brought both
	// customers' totals up to date (the store keeps them with the orders).
	keep, err := s.store.GetCustomer(ctx, c.ID, keepID)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("merge into %s: %w", keepID, err)
	}
	s.addEvent(ctx, c, keepID, crm.EventMerged, drop.FullName(), map[string]string{"merged": dropID})
	return keep, nil
}

// moveRecords moves a merged customer's timeline, orders and reminders.
func (s *Customers) moveRecords(ctx context.Context, owner int64, from, to string) error {
	moves := []struct {
		what string
		move func(context.Context, int64, string, string) (int, error)
	}{{"events", s.store.MoveEvents}, {"orders", s.store.MoveOrders}, {"reminders", s.store.MoveReminders}, {"members", s.store.MoveMembers}}
	for _, m := range moves {
		if _, err := m.move(ctx, owner, from, to); err != nil {
			return fmt.Errorf("merge: move %s of %s: %w", m.what, from, err)
		}
	}
	return nil
}

// bothMembers refuses a merge of two cards that each have a customer on
// the bot: one card is behind one member at most, and choosing which of
// the two Telegram users it is belongs to the consultant, not to a merge.
func (s *Customers) bothMembers(ctx context.Context, owner int64, keepID, dropID string) error {
	if _, err := s.store.MemberByCustomer(ctx, owner, dropID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("merge: member of %s: %w", dropID, err)
	}
	_, err := s.store.MemberByCustomer(ctx, owner, keepID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("merge: member of %s: %w", keepID, err)
	}
	return crm.Invalid("merge", "err.merge_both_members", nil)
}
