package book

import (
	"context"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// orderStore is what Orders reads and writes.
type orderStore interface {
	store.Store // TODO(issue 10): narrow to the methods Orders calls
}

// Orders holds the use cases of this area.
type Orders struct {
	env
	store     orderStore
	followUps followUpPlanner
}

// followUpPlanner is told when an order's status changed: the 2+2+2
// follow-ups and refill hints hang on Delivered (Reminders implements it).
type followUpPlanner interface {
	OrderStatusChanged(ctx context.Context, c crm.Consultant, prev crm.OrderStatus, o crm.Order) (FollowUpPlan, error)
}
