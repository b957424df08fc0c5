package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// TestMigrationGivesTotalsPerCurrency: a customer stored before 0051, whose
// totals add tenge and roubles into one number, gets her orders and revenue
// per currency (cancelled orders left out, archived ones in), exactly as
// the totals every order write keeps; a customer without orders gets none.
func TestMigrationGivesTotalsPerCurrency(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "totals.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	for _, id := range []string{"c", "none"} {
		if err := db.CreateCustomer(ctx, crm.Customer{ID: id, Owner: 7, FirstName: "Айгерим", CreatedAt: at, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	for i, o := range []struct {
		currency string
		price    int64
		status   crm.OrderStatus
		archived bool
	}{{"KZT", 4500000, crm.StatusDelivered, false}, {"RUB", 12000, crm.StatusNew, false}, {"KZT", 1000000, crm.StatusNew, true}, {"RUB", 99900, crm.StatusCancelled, false}} {
		ord := crm.Order{ID: fmt.Sprint("o", i), Owner: 7, Number: i + 1, CustomerID: "c", Items: []crm.Item{{Name: "Крем", Qty: 1, Price: o.price}},
			Status: o.status, Archived: o.archived, Currency: o.currency, CreatedAt: at.Add(time.Duration(i) * time.Hour), UpdatedAt: at}
		if err := db.CreateOrder(ctx, ord); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := db.GetCustomer(ctx, 7, "c")
	if err != nil {
		t.Fatal(err)
	}
	want := "[{KZT 2 5500000} {RUB 1 12000}]"
	if got := fmt.Sprint(kept.Totals.Money); got != want {
		t.Fatalf("totals an order write keeps: %s, want %s", got, want)
	}
	for _, q := range []string{
		`UPDATE customers SET doc = json_remove(doc, '$.Totals.money')`,
		`DELETE FROM schema_migrations WHERE version = 'migrations/0051_totals_per_currency.sql'`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := db.GetCustomer(ctx, 7, "c")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.Totals.Money); got != want || !c.Totals.Equal(kept.Totals) {
		t.Errorf("after the migration: %+v, want %+v", c.Totals, kept.Totals)
	}
	if n, err := db.RepairTotals(ctx, 7); err != nil || n != 0 {
		t.Errorf("repair after the migration changed %d (%v): the migration's totals differ from TotalsOf", n, err)
	}
	if none, err := db.GetCustomer(ctx, 7, "none"); err != nil || none.Totals.Money != nil {
		t.Errorf("a customer without orders: %+v, %v", none.Totals, err)
	}
}
