package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func imported(owner int64, id, first, last, phone string) store.Imported {
	c := customer(owner, id, first, last)
	c.Phone = phone
	return store.Imported{Customer: c, Event: crm.Event{ID: "imp-" + id, Owner: owner, CustomerID: id, Kind: crm.EventCreated,
		Data: map[string]string{"source": crm.SourceImport}, At: now}}
}

// testCreateImported: a batch is written whole, found by search, and a
// rerun (all of it, or after a cut between a card and its entry) adds
// nothing twice and changes no card; another consultant's book is
// untouched.
func testCreateImported(t *testing.T, s store.Store) {
	ctx := context.Background()
	var batch []store.Imported
	for i := range 5 {
		batch = append(batch, imported(1, fmt.Sprint("i", i), "Әсел", fmt.Sprint("Қасымова ", i), fmt.Sprintf("+7701000000%d", i)))
	}
	// A card written before a cut, without its entry.
	must(t, "create before the cut", s.CreateCustomer(ctx, batch[3].Customer))
	// Another consultant's card with the same id.
	must(t, "create other owner's", s.CreateCustomer(ctx, customer(2, "i0", "Жанна", "Ким")))

	added, err := s.CreateImported(ctx, 1, batch)
	must(t, "create imported", err)
	if !slices.Equal(added, []bool{true, true, true, true, true}) {
		t.Fatalf("added = %v, want every entry written", added)
	}
	got, total, err := s.ListCustomers(ctx, 1, store.CustomerFilter{Query: "қасымова", Limit: 100})
	must(t, "search", err)
	if total != 5 || len(got) != 5 {
		t.Fatalf("search found %d, want the 5 imported", total)
	}
	if got, _, err := s.ListCustomers(ctx, 1, store.CustomerFilter{Query: "0000002"}); err != nil || len(got) != 1 || got[0].ID != "i2" {
		t.Fatalf("search by phone digits: %v %v", got, err)
	}
	evs, _, err := s.ListEvents(ctx, 1, "i3", 0, 10)
	must(t, "events", err)
	if len(evs) != 1 || evs[0].ID != "imp-i3" {
		t.Fatalf("the cut card's entries: %+v", evs)
	}

	// The same batch again, with a changed name: nothing is written.
	again := slices.Clone(batch)
	again[0].Customer.FirstName = "Changed"
	added, err = s.CreateImported(ctx, 1, again)
	must(t, "rerun", err)
	if slices.Contains(added, true) {
		t.Fatalf("rerun added = %v, want nothing", added)
	}
	c, err := s.GetCustomer(ctx, 1, "i0")
	must(t, "get", err)
	if c.FirstName != "Әсел" {
		t.Fatalf("a rerun changed the card: %q", c.FirstName)
	}
	if _, total := listCustomers(t, s, 1, store.CustomerFilter{Limit: 100}); total != 5 {
		t.Fatalf("%d customers after the rerun, want 5", total)
	}
	if evs, _ := listEvents(t, s, 1, "i0", 0, 10); len(evs) != 1 {
		t.Fatalf("%d entries after the rerun, want 1", len(evs))
	}

	// Tenancy: the other consultant's card is hers as it was, and a batch
	// naming another owner is refused whole.
	other, err := s.GetCustomer(ctx, 2, "i0")
	must(t, "other owner's", err)
	if other.FirstName != "Жанна" {
		t.Fatalf("another consultant's card changed: %+v", other)
	}
	if _, total := listCustomers(t, s, 2, store.CustomerFilter{Limit: 100}); total != 1 {
		t.Fatalf("the other consultant has %d customers, want 1", total)
	}
	forged := []store.Imported{imported(1, "x1", "Ольга", "Ли", ""), imported(2, "x2", "Дана", "Ли", "")}
	if _, err := s.CreateImported(ctx, 1, forged); err == nil {
		t.Fatal("a batch with another owner's record was accepted")
	}
	for _, o := range []int64{1, 2} {
		if got, _ := listCustomers(t, s, o, store.CustomerFilter{Query: "ли"}); len(got) != 0 {
			t.Fatalf("owner %d got %d customers from a refused batch", o, len(got))
		}
	}
}

// testCreateImportedWithoutEntries: customers without an entry are written
// whole, added says which cards this call wrote, and no entry appears.
func testCreateImportedWithoutEntries(t *testing.T, s store.Store) {
	ctx := context.Background()
	var batch []store.Imported
	for i := range 4 {
		batch = append(batch, store.Imported{Customer: imported(1, fmt.Sprint("n", i), "Дана", fmt.Sprint("Ли ", i), fmt.Sprintf("+7702000000%d", i)).Customer})
	}
	// A card written before a cut.
	must(t, "create before the cut", s.CreateCustomer(ctx, batch[2].Customer))
	added, err := s.CreateImported(ctx, 1, batch)
	must(t, "create imported", err)
	if !slices.Equal(added, []bool{true, true, false, true}) {
		t.Fatalf("added = %v, want every card but the one there already", added)
	}
	if _, total := listCustomers(t, s, 1, store.CustomerFilter{Query: "дана", Limit: 100}); total != 4 {
		t.Fatalf("%d customers, want 4", total)
	}
	if evs, _ := listEvents(t, s, 1, "n0", 0, 10); len(evs) != 0 {
		t.Fatalf("entries %+v, want none", evs)
	}
	added, err = s.CreateImported(ctx, 1, batch)
	must(t, "rerun", err)
	if slices.Contains(added, true) {
		t.Fatalf("rerun added = %v, want nothing", added)
	}
	forged := []store.Imported{{Customer: customer(2, "n9", "Ольга", "Ли")}}
	if _, err := s.CreateImported(ctx, 1, forged); err == nil {
		t.Fatal("a batch with another owner's card was accepted")
	}
}

// testCreateImportedCardsAsTheySay: an imported card that is archived,
// ordered, has an open complaint and was merged away is listed by each of
// those, as one made by CreateCustomer is, and a fresh card beside it by
// none of them.
func testCreateImportedCardsAsTheySay(t *testing.T, s store.Store) {
	ctx := context.Background()
	fresh := imported(1, "f1", "Дана", "Ли", "+77020000001").Customer
	old := imported(1, "f2", "Ольга", "Ли", "+77020000002").Customer
	ordered := now.Add(-48 * time.Hour)
	old.Archived, old.MergedInto = true, "f1"
	old.Totals = crm.CustomerTotals{Orders: 1, Revenue: 5000, LastOrderAt: &ordered, OrderStatuses: []string{"delivered"}, PaymentStatuses: []string{"paid"}}
	old.Complaints = []crm.OpenComplaint{{EventID: "e1", Text: "крем не подошёл", At: ordered}}
	added, err := s.CreateImported(ctx, 1, []store.Imported{{Customer: fresh}, {Customer: old}})
	must(t, "create imported", err)
	if !slices.Equal(added, []bool{true, true}) {
		t.Fatalf("added = %v, want both", added)
	}
	for _, tc := range []struct {
		name string
		f    store.CustomerFilter
		want []string
	}{
		{"active", store.CustomerFilter{}, []string{"f1"}},
		{"archived", store.CustomerFilter{Archived: true}, []string{"f2"}},
		{"open complaints", store.CustomerFilter{Archived: true, OpenComplaints: true}, []string{"f2"}},
		{"order status", store.CustomerFilter{Archived: true, OrderStatus: "delivered"}, []string{"f2"}},
		{"payment status", store.CustomerFilter{Archived: true, PaymentStatus: "paid"}, []string{"f2"}},
		{"last order", store.CustomerFilter{Archived: true, LastOrderFrom: ordered.Add(-time.Hour), LastOrderTo: now}, []string{"f2"}},
		{"fresh, by no order", store.CustomerFilter{NoOrders: true, LastOrderTo: now}, []string{"f1"}},
		{"fresh, no complaint", store.CustomerFilter{OpenComplaints: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := listCustomers(t, s, 1, tc.f)
			var ids []string
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("listed %v, want %v", ids, tc.want)
			}
		})
	}
	c, err := s.GetCustomer(ctx, 1, "f2")
	must(t, "get", err)
	if !c.Archived || c.MergedInto != "f1" || len(c.Complaints) != 1 || c.Totals.Orders != 1 {
		t.Errorf("the imported card reads back as %+v", c)
	}
}
