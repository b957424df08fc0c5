package scheduler

import (
	"context"
	"log/slog"

	"github.com/crmbot/crmbot/crm"
)

// TotalsStore is what the totals repair reads and writes.
type TotalsStore interface {
	ListConsultants(ctx context.Context, afterID int64, limit int) ([]crm.Consultant, error)
	// RepairTotals restores the owner's customer totals that do not follow
	// from her orders and returns how many it changed (store.TotalsRepair).
	RepairTotals(ctx context.Context, owner int64) (int, error)
}

// RepairTotals returns the job that brings every consultant's customer
// totals back in line with the orders. Order writes keep them current; on
// MongoDB an order and its customer are two documents, so a crash between
// the two writes leaves the customer's totals behind until this job runs.
// It is idempotent: a run over exact totals changes nothing.
func RepairTotals(s TotalsStore, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		return eachConsultant(ctx, s, func(c crm.Consultant) error {
			n, err := s.RepairTotals(ctx, c.ID)
			if n > 0 {
				log.Warn("customer totals repaired", "consultant", c.ID, "customers", n)
			}
			return err // wrapped by the store with the consultant's id
		})
	}
}
