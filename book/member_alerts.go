package book

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// The "new customer" alerts are kept on her member (AlertAt) from her
// registration until the consultant was told, not sent from the
// registration's own update: a consultant's chat takes one message a
// second, so when many register at once the last alerts would wait past
// that update's time limit and be dropped. The alerts' sender claims
// what is due for one consultant, tells her in one message, and marks
// them told; a claim that lapses (a crash, a send that failed) makes them
// due again, so an alert may come twice but is never lost.

// Alert is one registration to tell the consultant of: her member, her
// card, and the cards of the book that look like it ("This is <card>" /
// "A new person").
type Alert struct {
	Member   crm.Member
	Customer crm.Customer
	Matches  []crm.Customer
}

// errNotDue leaves a member's alert as it is: told already, or claimed.
var errNotDue = errors.New("alert not due")

// AlertsDue lists up to limit members, of every consultant, whose alert
// is due.
func (m *Members) AlertsDue(ctx context.Context, limit int) ([]crm.Member, error) {
	mems, err := m.store.AlertsDue(ctx, m.now(), limit)
	if err != nil {
		return nil, fmt.Errorf("alerts due: %w", err)
	}
	return mems, nil
}

// ClaimAlerts claims the alerts of owner's members among mems that are
// still due, for lease, and returns them with their cards and look-alikes.
// A member whose card is gone (erased) has nothing to tell: her alert is
// dropped.
func (m *Members) ClaimAlerts(ctx context.Context, owner int64, mems []crm.Member, lease time.Duration) (crm.Consultant, []Alert, error) {
	c, err := m.store.GetConsultant(ctx, owner)
	if err != nil {
		return c, nil, fmt.Errorf("claim alerts of %d: %w", owner, err)
	}
	now := m.now()
	var out []Alert
	for _, mem := range mems {
		if mem.Owner != owner {
			continue
		}
		claimed, err := m.store.UpdateMember(ctx, owner, mem.UserID, crm.Member{}, func(x *crm.Member) error {
			if x.AlertAt == nil || x.AlertAt.After(now) || x.CustomerID == "" {
				return errNotDue
			}
			until := now.Add(lease)
			x.AlertAt = &until
			return nil
		})
		if errors.Is(err, errNotDue) || errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return c, out, fmt.Errorf("claim alert of %d/%d: %w", owner, mem.UserID, err)
		}
		a, err := m.alert(ctx, c, claimed)
		if errors.Is(err, store.ErrNotFound) {
			m.log.Warn("alert of a card gone", "owner", owner, "user", mem.UserID)
			if err := m.AlertSent(ctx, owner, claimed.UserID); err != nil {
				return c, out, err
			}
			continue
		}
		if err != nil {
			return c, out, err
		}
		out = append(out, a)
	}
	return c, out, nil
}

// alert reads a member's card and the cards that look like it.
func (m *Members) alert(ctx context.Context, c crm.Consultant, mem crm.Member) (Alert, error) {
	cu, err := m.store.GetCustomer(ctx, c.ID, mem.CustomerID)
	if err != nil {
		return Alert{}, fmt.Errorf("alert of %d/%d: %w", c.ID, mem.UserID, err)
	}
	matches, err := m.store.FindDuplicates(ctx, c.ID, cu)
	if err != nil {
		return Alert{}, fmt.Errorf("alert of %d/%d: look-alikes: %w", c.ID, mem.UserID, err)
	}
	matches = slices.DeleteFunc(matches, func(x crm.Customer) bool { return x.ID == cu.ID || x.MergedInto != "" })
	return Alert{Member: mem, Customer: cu, Matches: matches}, nil
}

// AlertSent marks her alert told.
func (m *Members) AlertSent(ctx context.Context, owner, userID int64) error {
	_, err := m.store.UpdateMember(ctx, owner, userID, crm.Member{}, func(x *crm.Member) error {
		if x.AlertAt == nil {
			return errNotDue
		}
		x.AlertAt = nil
		return nil
	})
	if errors.Is(err, errNotDue) || errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("alert of %d/%d sent: %w", owner, userID, err)
	}
	return nil
}

// AlertOf is the alert of one of her cards, again (a button of a grouped
// alert): the card and its look-alikes as they are now. ErrNotFound for a
// card not hers.
func (m *Members) AlertOf(ctx context.Context, c crm.Consultant, customerID string) (Alert, error) {
	mem, err := m.store.MemberByCustomer(ctx, c.ID, customerID)
	if errors.Is(err, store.ErrNotFound) {
		mem = crm.Member{Owner: c.ID, CustomerID: customerID}
	} else if err != nil {
		return Alert{}, fmt.Errorf("alert of card %s: %w", customerID, err)
	}
	return m.alert(ctx, c, mem)
}
