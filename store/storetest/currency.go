package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testStampCurrency: the stamp a switch of currency makes first gives the
// old currency to the owner's products and orders stored without one,
// leaves those that have one (and other owners') alone, brings the totals
// of the stamped orders' customers along, and a stamped order still
// updates (its version moved on).
func testStampCurrency(t *testing.T, s store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	for _, p := range []crm.Product{
		{ID: "old", Owner: 1, Name: "Тушь", Price: 450000, CreatedAt: at, UpdatedAt: at},
		{ID: "rub", Owner: 1, Name: "Крем", Price: 125000, Currency: "RUB", CreatedAt: at, UpdatedAt: at},
		{ID: "other", Owner: 2, Name: "Тушь", Price: 450000, CreatedAt: at, UpdatedAt: at},
	} {
		must(t, "create product "+p.ID, s.CreateProduct(ctx, p))
	}
	must(t, "create customer", s.CreateCustomer(ctx, customer(1, "c1", "Айгерим", "Нурланова")))
	old := order(1, "o-old", "c1", 1, at)
	rub := order(1, "o-rub", "c1", 2, at)
	rub.Currency = "RUB"
	other := order(2, "o-other", "c9", 1, at)
	for _, o := range []crm.Order{old, rub, other} {
		must(t, "create order "+o.ID, s.CreateOrder(ctx, o))
	}

	n, err := s.StampCurrency(ctx, 1, "KZT")
	must(t, "stamp", err)
	if n != 2 {
		t.Errorf("stamped %d, want 2 (one product, one order)", n)
	}
	for id, want := range map[string]string{"old": "KZT", "rub": "RUB"} {
		p, err := s.GetProduct(ctx, 1, id)
		must(t, "get product "+id, err)
		if p.Currency != want {
			t.Errorf("product %s currency %q, want %q", id, p.Currency, want)
		}
	}
	for id, want := range map[string]string{"o-old": "KZT", "o-rub": "RUB"} {
		o, err := s.GetOrder(ctx, 1, id)
		must(t, "get order "+id, err)
		if o.Currency != want || o.Total() != 1250000 {
			t.Errorf("order %s currency %q total %d, want %q and the amount untouched", id, o.Currency, o.Total(), want)
		}
	}
	// Her totals follow: the old order is in tenge on her card, never in
	// the currency she switches to.
	if got := customerTotals(t, s, 1, "c1").Money; fmt.Sprint(got) != "[{KZT 1 1250000} {RUB 1 1250000}]" {
		t.Errorf("her totals after the stamp: %v, want a tenge and a rouble line", got)
	}
	if p, err := s.GetProduct(ctx, 2, "other"); err != nil || p.Currency != "" {
		t.Errorf("another owner's product stamped: %+v, %v", p, err)
	}
	if o, err := s.GetOrder(ctx, 2, "o-other"); err != nil || o.Currency != "" {
		t.Errorf("another owner's order stamped: %+v, %v", o, err)
	}
	if n, err := s.StampCurrency(ctx, 1, "RUB"); err != nil || n != 0 {
		t.Errorf("second stamp changed %d, %v; want 0: nothing is relabelled", n, err)
	}
	o, err := s.UpdateOrder(ctx, 1, "o-old", func(o *crm.Order) error { o.Note = "после штампа"; return nil })
	if err != nil || o.Currency != "KZT" || o.Note != "после штампа" {
		t.Errorf("update after stamp: %+v, %v", o, err)
	}
}
