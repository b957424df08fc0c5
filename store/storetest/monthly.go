package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testMonthlySalesFollowEdits: revenue by month follows every change to
// the orders after they were written (a backend keeping counters must
// move them on each edit): cancellations (one emptying a month), a new total,
// an unarchived order, a merge moving orders to another card.
func testMonthlySalesFollowEdits(t *testing.T, s store.Store) {
	ctx := context.Background()
	createSalesFixture(t, s)
	edit := func(id string, fn func(*crm.Order)) {
		t.Helper()
		_, err := s.UpdateOrder(ctx, 1, id, func(o *crm.Order) error { fn(o); return nil })
		must(t, "update "+id, err)
	}
	edit("o2", func(o *crm.Order) { o.Status = crm.StatusCancelled }) // Oct −500
	edit("o3", func(o *crm.Order) { o.Items[0].Qty = 3 })             // Oct +2000
	edit("o6", func(o *crm.Order) { o.Status = crm.StatusCancelled }) // Sep emptied
	edit("o5", func(o *crm.Order) { o.Archived = false })             // Oct +5000
	_, err := s.MoveOrders(ctx, 1, "B", "A")
	must(t, "move orders", err)
	for _, c := range []struct {
		owner int64
		want  string
	}{
		{1, "[{2026-10 KZT 3 10000}]"}, // o1 2000, o3 3000, o5 5000; September emptied
		{2, "[{2026-10 KZT 1 9000}]"},  // hers untouched
	} {
		ms, err := s.MonthlySales(ctx, c.owner, "2026-09", "2026-10")
		must(t, "monthly", err)
		if got := fmt.Sprint(ms); got != c.want {
			t.Errorf("owner %d monthly %s, want %s", c.owner, got, c.want)
		}
	}
	r, err := s.SalesReport(ctx, 1, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 5)
	must(t, "report", err)
	if r.Orders != 3 || r.Revenue != 10000 || r.Buyers != 1 {
		t.Errorf("report after edits: orders %d revenue %d buyers %d, want 3 10000 1", r.Orders, r.Revenue, r.Buyers)
	}
}
