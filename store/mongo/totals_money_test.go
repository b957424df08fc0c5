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

// TestBackfillTotalsPerCurrency: a customer an older version stored, whose
// totals add tenge and roubles into one number, gets her orders and revenue
// per currency at the next open, the same as an order write keeps them.
func TestBackfillTotalsPerCurrency(t *testing.T) {
	uri, _ := ServerURIForTests()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_totals_money_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	if err := db.CreateCustomer(ctx, crm.Customer{ID: "c", Owner: 7, FirstName: "Айгерим", CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	for i, cur := range []string{"KZT", "RUB", "KZT"} {
		o := crm.Order{ID: fmt.Sprint("o", i), Owner: 7, Number: i + 1, CustomerID: "c", Items: []crm.Item{{Name: "Крем", Qty: 1, Price: int64(1000 * (i + 1))}},
			Status: crm.StatusNew, Currency: cur, CreatedAt: at.Add(time.Duration(i) * time.Hour), UpdatedAt: at}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	want := "[{KZT 2 4000} {RUB 1 2000}]"
	if c, err := db.GetCustomer(ctx, 7, "c"); err != nil || fmt.Sprint(c.Totals.Money) != want {
		t.Fatalf("totals an order write keeps: %+v, %v; want %s", c.Totals.Money, err, want)
	}
	// As an older version left her, with no backfill recorded.
	if _, err := db.customers.UpdateMany(ctx, bson.M{}, bson.M{"$unset": bson.M{"doc.totals.money": ""}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Collection("meta").DeleteOne(ctx, bson.M{"_id": "backfill"}); err != nil {
		t.Fatal(err)
	}
	if err := db.backfill(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := db.GetCustomer(ctx, 7, "c")
	if err != nil || fmt.Sprint(c.Totals.Money) != want || c.Totals.Orders != 3 {
		t.Errorf("after the backfill: %+v, %v; want %s", c.Totals, err, want)
	}
}
