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

// testKeysetWalks: a walk by NextPage (keyset, no count) visits every
// customer, order and reminder once, in the list's order, ties included
// (namesakes, orders of one instant, reminders of one time), and reports
// no total; a list without it still counts.
func testKeysetWalks(t *testing.T, s store.Store) {
	ctx := context.Background()
	names := []string{"Айгерим", "Әлия", "Жанна", "Айгерим", "Ольга", "Әлия", "Айгерим"}
	for i := range 23 {
		c := customer(1, fmt.Sprintf("c%02d", (i*7)%23), names[i%len(names)], "Ким")
		if i%3 != 0 { // a third never ordered; the others' last orders tie by fours
			at := now.Truncate(time.Hour).Add(-time.Duration(i%4) * time.Hour)
			c.Totals.LastOrderAt = &at
		}
		must(t, "customer", s.CreateCustomer(ctx, c))
	}
	must(t, "other owner's", s.CreateCustomer(ctx, customer(2, "x", "Айгерим", "Ким")))
	all, total := listCustomers(t, s, 1, store.CustomerFilter{Limit: 100})
	if total != 23 || len(all) != 23 {
		t.Fatalf("list: %d of %d, want 23", len(all), total)
	}
	walked := walkCustomers(t, s, store.CustomerFilter{Limit: 4})
	if want := customerIDs(all); !slices.Equal(walked, want) {
		t.Fatalf("customer walk:\n%v\nwant the list's order\n%v", walked, want)
	}
	if got := walkCustomers(t, s, store.CustomerFilter{Limit: 4, After: &store.CustomerCursor{}, NoTotal: true}); !slices.Equal(got, customerIDs(all)) {
		t.Fatalf("walk from the zero cursor:\n%v\nwant the list's order\n%v", got, customerIDs(all))
	}
	// A search from the zero cursor walks its matches by name.
	byName, _ := listCustomers(t, s, 1, store.CustomerFilter{Query: "жанна", Limit: 100, SortBy: "name"})
	if got := walkCustomers(t, s, store.CustomerFilter{Query: "жанна", Limit: 2, After: &store.CustomerCursor{}, NoTotal: true}); len(got) == 0 || !slices.Equal(got, customerIDs(byName)) {
		t.Fatalf("search from the zero cursor: %v, want %v", got, customerIDs(byName))
	}
	byLast, _ := listCustomers(t, s, 1, store.CustomerFilter{Limit: 100, SortBy: "last_order"})
	if got := walkCustomers(t, s, store.CustomerFilter{Limit: 4, SortBy: "last_order"}); !slices.Equal(got, customerIDs(byLast)) {
		t.Fatalf("walk by last order:\n%v\nwant the list's order\n%v", got, customerIDs(byLast))
	}

	at := now.Truncate(time.Hour)
	for i := range 11 {
		o := order(1, fmt.Sprintf("o%02d", i), "c00", i+1, at.Add(time.Duration(i/4)*time.Minute))
		must(t, "order", s.CreateOrder(ctx, o))
	}
	orders, _ := listOrders(t, s, 1, store.OrderFilter{Limit: 100})
	var ow []int
	of := store.OrderFilter{Limit: 3}
	for range 20 {
		page, _ := listOrders(t, s, 1, of)
		for _, o := range page {
			ow = append(ow, o.Number)
		}
		if len(page) < of.Limit {
			break
		}
		of.NextPage(page)
	}
	var want []int
	for _, o := range orders {
		want = append(want, o.Number)
	}
	if len(want) != 11 || !slices.Equal(ow, want) {
		t.Fatalf("order walk %v, want %v", ow, want)
	}

	for i := range 10 {
		must(t, "reminder", s.CreateReminder(ctx, reminder(1, fmt.Sprintf("r%02d", (i*3)%10), "c00", at.Add(time.Duration(i/3)*time.Hour))))
	}
	rems, _ := listReminders(t, s, 1, store.ReminderFilter{Limit: 100})
	var rw []string
	rf := store.ReminderFilter{Limit: 3}
	for range 20 {
		page, _ := listReminders(t, s, 1, rf)
		for _, r := range page {
			rw = append(rw, r.ID)
		}
		if len(page) < rf.Limit {
			break
		}
		rf.NextPage(page)
	}
	if got := reminderIDs(rems); len(rems) != 10 || fmt.Sprint(rw) != fmt.Sprint(splitIDs(got)) {
		t.Fatalf("reminder walk %v, want %s", rw, got)
	}
}

func customerIDs(cs []crm.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func splitIDs(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// walkCustomers walks owner 1's list f by NextPage and returns the ids
// met, checking that no page counts.
func walkCustomers(t *testing.T, s store.Store, f store.CustomerFilter) []string {
	t.Helper()
	var walked []string
	for range 30 {
		page, total := listCustomers(t, s, 1, f)
		if f.NoTotal && total != 0 {
			t.Fatalf("a walk's page counted %d", total)
		}
		for _, c := range page {
			walked = append(walked, c.ID)
		}
		if len(page) < f.Limit {
			break
		}
		f.NextPage(page)
	}
	return walked
}
