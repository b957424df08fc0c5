package scheduler

import (
	"context"
	"log/slog"

	"github.com/crmbot/crmbot/crm"
)

// FollowUpRepairer gives one consultant's recent deliveries the follow-ups
// a crash kept them from getting (book.Reminders).
type FollowUpRepairer interface {
	RepairRecent(ctx context.Context, c crm.Consultant) (int, error)
}

// RepairFollowUps returns the job that gives the orders delivered in the
// last book.RepairWindow the 2+2+2 follow-ups a crash kept them from
// getting (Delivered is stored before them). The repair skips consultants
// with 2+2+2 off and creates only follow-ups whose id does not exist, so
// the job is idempotent and never brings back a done, snoozed or cancelled
// call.
func RepairFollowUps(s ConsultantLister, r FollowUpRepairer, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		return eachConsultant(ctx, s, func(c crm.Consultant) error {
			if c.FollowUpsOff {
				return nil
			}
			n, err := r.RepairRecent(ctx, c)
			if n > 0 {
				log.Warn("follow-ups repaired", "consultant", c.ID, "created", n)
			}
			return err
		})
	}
}
