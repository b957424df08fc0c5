package mongo

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/crmbot/crmbot/crm"
)

// TestBackfillCurrencies: an order and a product an older version stored
// (no currency, no derived currency or payments keys) get the currency of
// their consultant at the next open, and the order's payments count in
// the report by method; another owner's without a consultant get the
// default.
func TestBackfillCurrencies(t *testing.T) {
	uri, _ := ServerURIForTests()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_currency_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	her := crm.NewConsultant(7, 7, at)
	her.Currency = "RUB"
	if _, err := db.UpdateConsultant(ctx, 7, her, func(*crm.Consultant) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for _, owner := range []int64{7, 8} {
		o := crm.Order{ID: "o1", Owner: owner, Number: 1, CustomerID: "c", Items: []crm.Item{{Name: "Крем", Qty: 1, Price: 1000}},
			Status: crm.StatusNew, Payments: []crm.Payment{{ID: "p", Amount: 400, Method: crm.KaspiQR, At: at}}, CreatedAt: at, UpdatedAt: at}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateProduct(ctx, crm.Product{ID: "p1", Owner: owner, Name: "Крем", Price: 1000, CreatedAt: at, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	// As an older version left them, with no backfill recorded.
	for _, c := range []string{"orders", "products"} {
		if _, err := db.db.Collection(c).UpdateMany(ctx, bson.M{}, bson.M{"$unset": bson.M{"currency": "", "payments": ""}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.db.Collection("meta").DeleteOne(ctx, bson.M{"_id": "backfill"}); err != nil {
		t.Fatal(err)
	}
	if err := db.backfill(ctx); err != nil {
		t.Fatal(err)
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
	if got := fmt.Sprint(r.Currencies, r.ByMethod); got != "[{RUB 1 1000 400 0 0}] [{kaspi_qr RUB 1 400}]" {
		t.Errorf("report after the backfill: %s", got)
	}
}
