package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// TestMigrationGivesCurrencies: orders and products stored before 0042
// (no currency in their documents, no currency column) get their
// consultant's currency, the best knowledge of the one in force when they
// were made; an owner without a consultant gets the default; the report
// then groups them by it.
func TestMigrationGivesCurrencies(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "cur.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	her := crm.NewConsultant(7, 7, at)
	her.Currency = "RUB"
	if _, err := db.UpdateConsultant(ctx, 7, her, func(*crm.Consultant) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for _, owner := range []int64{7, 8} {
		o := crm.Order{ID: "o1", Owner: owner, Number: 1, CustomerID: "c", Items: []crm.Item{{Name: "Крем", Qty: 1, Price: 1000}},
			Status: crm.StatusNew, CreatedAt: at, UpdatedAt: at}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateProduct(ctx, crm.Product{ID: "p1", Owner: owner, Name: "Крем", Price: 1000, CreatedAt: at, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	// Back to the schema and documents before 0042. Later migrations'
	// triggers and indexes that read the column go while it is away, and
	// come back as they were.
	triggers, err := db.write.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND tbl_name = 'orders'
		AND sql LIKE '%currency%' AND name != 'orders_by_customer'`)
	if err != nil {
		t.Fatal(err)
	}
	var later [][3]string
	for triggers.Next() {
		var kind, name, sql string
		if err := triggers.Scan(&kind, &name, &sql); err != nil {
			t.Fatal(err)
		}
		later = append(later, [3]string{kind, name, sql})
	}
	if err := triggers.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tr := range later {
		if _, err := db.write.ExecContext(ctx, `DROP `+tr[0]+` `+tr[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`DROP INDEX orders_by_customer`,
		`ALTER TABLE orders DROP COLUMN currency`,
		`UPDATE orders SET doc = json_remove(doc, '$.Currency')`,
		`UPDATE products SET doc = json_remove(doc, '$.Currency')`,
		`DELETE FROM schema_migrations WHERE version = 'migrations/0042_currency.sql'`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tr := range later {
		if _, err := db.write.ExecContext(ctx, tr[2]); err != nil {
			t.Fatal(err)
		}
	}
	for owner, want := range map[int64]string{7: "RUB", 8: "KZT"} {
		o, err := db.GetOrder(ctx, owner, "o1")
		if err != nil || o.Currency != want {
			t.Errorf("owner %d's order: %q, %v; want %s", owner, o.Currency, err, want)
		}
		p, err := db.GetProduct(ctx, owner, "p1")
		if err != nil || p.Currency != want {
			t.Errorf("owner %d's product: %q, %v; want %s", owner, p.Currency, err, want)
		}
	}
	r, err := db.SalesReport(ctx, 7, at.AddDate(0, 0, -1), at.AddDate(0, 0, 1), 5)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(r.Currencies); got != "[{RUB 1 1000 0 0 0}]" {
		t.Errorf("report after the migration: %s", got)
	}
}
