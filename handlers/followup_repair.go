package handlers

import (
	"context"
	"errors"
	"fmt"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// RepairFollowUps creates the 2+2+2 follow-ups of a delivered order that
// has none stored under their fixed ids: the order's Delivered status is
// written before the follow-ups, so a crash between the two leaves an order
// without its calls. A follow-up that exists in any status — done, snoozed,
// cancelled — is left as it is. It returns how many it created; it does
// nothing when she switched 2+2+2 off.
func (h *Handlers) RepairFollowUps(ctx context.Context, c crm.Consultant, o crm.Order) (int, error) {
	if c.FollowUpsOff || o.Status != crm.StatusDelivered || o.DeliveredAt == nil || o.Archived {
		return 0, nil
	}
	var missing []int
	for stage := 1; stage <= 3; stage++ {
		_, err := h.store.GetReminder(ctx, c.ID, followUpID(o.ID, stage))
		switch {
		case errors.Is(err, store.ErrNotFound):
			missing = append(missing, stage)
		case err != nil:
			return 0, fmt.Errorf("repair follow-ups of order %s: %w", o.ID, err)
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	// The order read by the caller may have left Delivered since (its
	// follow-ups then cancelled): read it again just before writing.
	cur, err := h.store.GetOrder(ctx, c.ID, o.ID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("repair follow-ups of order %s: %w", o.ID, err)
	}
	if cur.Status != crm.StatusDelivered || cur.DeliveredAt == nil || cur.Archived {
		return 0, nil
	}
	dates := crm.FollowUpDates(*cur.DeliveredAt, c.Location(h.cfg.DefaultTimezone), c.DigestHour)
	created := 0
	for _, stage := range missing {
		err := h.store.CreateReminder(ctx, h.followUpReminder(c, cur, stage, dates[stage-1]))
		switch {
		case err == nil:
			created++
		case errors.Is(err, store.ErrAlreadyExists):
			// Made meanwhile by the status change itself: that one stands.
		default:
			return created, fmt.Errorf("repair follow-up %d of order %s: %w", stage, o.ID, err)
		}
	}
	return created, nil
}
