package book

import (
	"context"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// reminderStore is what Reminders reads and writes.
type reminderStore interface {
	store.Store // TODO(issue 10): narrow to the methods Reminders calls
}

// Reminders holds the use cases of this area.
type Reminders struct {
	env
	store reminderStore
}

// FollowUpPlan is what an order's status change did to its follow-ups,
// for the chat to tell her.
type FollowUpPlan struct {
	Dates     []time.Time  // the 2+2+2 calls planned (none with 2+2+2 off)
	Refills   []RefillHint // refill hints planned
	Cancelled int          // pending follow-ups cancelled: the order left Delivered
}

// RefillHint is one planned "her product runs out" reminder.
type RefillHint struct {
	Product string
	Due     time.Time
}

// OrderStatusChanged plans or cancels an order's 2+2+2 follow-ups and
// refill hints after its status moved from prev.
func (rs *Reminders) OrderStatusChanged(ctx context.Context, c crm.Consultant, prev crm.OrderStatus, o crm.Order) (FollowUpPlan, error) {
	return FollowUpPlan{}, nil // TODO(issue 10): moved here from handlers.followUps
}
