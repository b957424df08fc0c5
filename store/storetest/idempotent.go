package storetest

import (
	"context"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testIdempotentCreates: an update redelivered after a crash creates with
// the ids the first delivery used (they derive from the update), so every
// create given an id it already stored must refuse with ErrAlreadyExists
// and leave the first record as it was, and the order counter must give the
// same order id the number it already took.
func testIdempotentCreates(t *testing.T, s store.Store) {
	ctx := context.Background()
	const owner = 41

	first, err := s.NextOrderNumber(ctx, owner, "ord-a")
	must(t, "number a", err)
	again, err := s.NextOrderNumber(ctx, owner, "ord-a")
	must(t, "number a again", err)
	next, err := s.NextOrderNumber(ctx, owner, "ord-b")
	must(t, "number b", err)
	if first != 1 || again != 1 || next != 2 {
		t.Fatalf("numbers for a, a again, b = %d, %d, %d; want 1, 1, 2", first, again, next)
	}
	other, err := s.NextOrderNumber(ctx, owner+1, "ord-b")
	must(t, "another owner's number", err)
	if other != 1 {
		t.Fatalf("another consultant's first number is %d, want 1 (the claim is per owner)", other)
	}

	c := customer(owner, "idem-c", "Айгерим", "Нурланова")
	must(t, "create customer", s.CreateCustomer(ctx, c))
	dup := c
	dup.FirstName = "Дана"
	wantErr(t, "create customer again", s.CreateCustomer(ctx, dup), store.ErrAlreadyExists)
	gotC, err := s.GetCustomer(ctx, owner, c.ID)
	must(t, "get customer", err)
	if gotC.FirstName != "Айгерим" {
		t.Fatalf("customer after a second create is %q, want the first one kept", gotC.FirstName)
	}

	o := order(owner, "ord-a", c.ID, first, now, crm.Item{Name: "Крем", Qty: 1, Price: 100000})
	must(t, "create order", s.CreateOrder(ctx, o))
	dupO := o
	dupO.Number = next
	dupO.Items = append(dupO.Items, crm.Item{Name: "Тушь", Qty: 1, Price: 50000})
	wantErr(t, "create order again", s.CreateOrder(ctx, dupO), store.ErrAlreadyExists)
	gotO, err := s.GetOrder(ctx, owner, o.ID)
	must(t, "get order", err)
	if gotO.Number != first || len(gotO.Items) != 1 {
		t.Fatalf("order after a second create: №%d with %d items, want №%d with 1", gotO.Number, len(gotO.Items), first)
	}
	_, n, err := s.ListOrders(ctx, owner, store.OrderFilter{CustomerID: c.ID})
	must(t, "list orders", err)
	if n != 1 {
		t.Fatalf("%d orders after a create and its repeat, want 1", n)
	}
	if tot := customerTotals(t, s, owner, c.ID); tot.Orders != 1 {
		t.Fatalf("customer's totals count %d orders after a repeated create, want 1", tot.Orders)
	}

	r := reminder(owner, "idem-r", c.ID, now.Add(1))
	must(t, "create reminder", s.CreateReminder(ctx, r))
	dupR := r
	dupR.Text = "другое"
	wantErr(t, "create reminder again", s.CreateReminder(ctx, dupR), store.ErrAlreadyExists)
	gotR, err := s.GetReminder(ctx, owner, r.ID)
	must(t, "get reminder", err)
	if gotR.Text != r.Text {
		t.Fatalf("reminder after a second create says %q, want %q", gotR.Text, r.Text)
	}

	e := crm.Event{ID: "idem-e", Owner: owner, CustomerID: c.ID, Kind: crm.EventNote, Text: "позвонила", At: now}
	must(t, "add event", s.AddEvent(ctx, e))
	dupE := e
	dupE.Text = "другое"
	wantErr(t, "add event again", s.AddEvent(ctx, dupE), store.ErrAlreadyExists)
	evs, total, err := s.ListEvents(ctx, owner, c.ID, 0, 10)
	must(t, "list events", err)
	if total != 1 || len(evs) != 1 || evs[0].Text != "позвонила" {
		t.Fatalf("events after an add and its repeat: %d (%+v), want the first one only", total, evs)
	}
}
