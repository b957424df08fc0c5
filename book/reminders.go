package book

import (
	"context"

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

// OrderStatusChanged plans or cancels an order's 2+2+2 follow-ups and
// refill hints after its status moved from prev.
func (rs *Reminders) OrderStatusChanged(ctx context.Context, prev crm.OrderStatus, o crm.Order) error {
	return nil // TODO(issue 10): moved here from handlers.followUps
}
