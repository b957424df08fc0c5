package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// RepairWindow is how far back RepairFollowUps looks for deliveries: the
// last 2+2+2 call is two months after one, so an older delivery has no call
// left to make.
const RepairWindow = 65 * 24 * time.Hour

// repairCreatedWindow bounds the orders read by when they were made (the
// store filters on that, not on delivery): an order delivered in the last
// RepairWindow but made more than this ago is not repaired.
const repairCreatedWindow = 180 * 24 * time.Hour

// repairGrace leaves a just-delivered order to the status change, which
// creates its follow-ups itself a moment later.
const repairGrace = 5 * time.Minute

// DeliveredOrders is what the follow-up repair reads.
type DeliveredOrders interface {
	ListConsultants(ctx context.Context, afterID int64, limit int) ([]crm.Consultant, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
}

// FollowUpRepairer creates the missing follow-ups of one delivered order.
type FollowUpRepairer interface {
	RepairFollowUps(ctx context.Context, c crm.Consultant, o crm.Order) (int, error)
}

// RepairFollowUps returns the job that gives the orders delivered in the
// last RepairWindow the 2+2+2 follow-ups a crash kept them from getting
// (Delivered is stored before them). It skips consultants with 2+2+2 off;
// the repairer creates only follow-ups whose id does not exist, so the job
// is idempotent and never brings back a done, snoozed or cancelled call.
func RepairFollowUps(s DeliveredOrders, r FollowUpRepairer, now func() time.Time, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		return eachConsultant(ctx, s, func(c crm.Consultant) error {
			if c.FollowUpsOff {
				return nil
			}
			n, err := repairConsultant(ctx, s, r, c, now())
			if n > 0 {
				log.Warn("follow-ups repaired", "consultant", c.ID, "created", n)
			}
			return err
		})
	}
}

func repairConsultant(ctx context.Context, s DeliveredOrders, r FollowUpRepairer, c crm.Consultant, now time.Time) (int, error) {
	const page = 200
	created := 0
	f := store.OrderFilter{Status: crm.StatusDelivered, From: now.Add(-repairCreatedWindow), Limit: page}
	for {
		os, _, err := s.ListOrders(ctx, c.ID, f)
		if err != nil {
			return created, fmt.Errorf("list delivered orders of %d: %w", c.ID, err)
		}
		for _, o := range os {
			if o.DeliveredAt == nil || o.DeliveredAt.Before(now.Add(-RepairWindow)) || o.DeliveredAt.After(now.Add(-repairGrace)) {
				continue
			}
			n, err := r.RepairFollowUps(ctx, c, o)
			created += n
			if err != nil {
				return created, err
			}
		}
		if len(os) < page {
			return created, nil
		}
		f.Offset += page
	}
}
