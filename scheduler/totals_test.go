package scheduler_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store/sqlite"
)

func TestRepairTotals(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	stale := crm.CustomerTotals{Orders: 42, Revenue: 1}
	for _, owner := range []int64{1, 2} {
		if _, err := db.UpdateConsultant(ctx, owner, crm.Consultant{ID: owner}, func(*crm.Consultant) error { return nil }); err != nil {
			t.Fatalf("consultant %d: %v", owner, err)
		}
		c := crm.Customer{ID: "c1", Owner: owner, FirstName: "Айгерим", LastName: "Нурланова", CreatedAt: at, UpdatedAt: at}
		if err := db.CreateCustomer(ctx, c); err != nil {
			t.Fatalf("customer of %d: %v", owner, err)
		}
		o := crm.Order{ID: "o1", Owner: owner, Number: 1, CustomerID: "c1", Status: crm.StatusNew,
			Items: []crm.Item{{Name: "Крем", Qty: 1, Price: 1000}}, CreatedAt: at, UpdatedAt: at}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatalf("order of %d: %v", owner, err)
		}
		// A blind write, as the handlers made before the store kept totals.
		if _, err := db.UpdateCustomer(ctx, owner, "c1", func(c *crm.Customer) error { c.Totals = stale; return nil }); err != nil {
			t.Fatalf("stale totals of %d: %v", owner, err)
		}
	}
	job := scheduler.RepairTotals(db, quiet)
	for run := range 2 { // the second run finds nothing to do
		if err := job(ctx); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		for _, owner := range []int64{1, 2} {
			c, err := db.GetCustomer(ctx, owner, "c1")
			if err != nil {
				t.Fatalf("run %d: get customer of %d: %v", run, owner, err)
			}
			if c.Totals.Orders != 1 || c.Totals.Revenue != 1000 {
				t.Fatalf("run %d: totals of %d = %+v, want 1 order of 1000", run, owner, c.Totals)
			}
		}
	}
	if n, err := db.RepairTotals(ctx, 1); err != nil || n != 0 {
		t.Fatalf("after the job: repair changed %d (%v), want 0", n, err)
	}
}
