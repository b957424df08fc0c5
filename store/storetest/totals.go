package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// customerTotals reads a customer's stored totals.
func customerTotals(t *testing.T, s store.Store, owner int64, id string) crm.CustomerTotals {
	t.Helper()
	c, err := s.GetCustomer(context.Background(), owner, id)
	must(t, fmt.Sprintf("get customer %d/%s", owner, id), err)
	return c.Totals
}

// wantTotals checks a customer's stored totals against what her orders
// (every page, archived too, as the store holds them) give by crm.TotalsOf,
// and against the expected count and revenue.
func wantTotals(t *testing.T, s store.Store, owner int64, id string, orders int, revenue int64) {
	t.Helper()
	var all []crm.Order
	for _, archived := range []bool{false, true} {
		os, _, err := s.ListOrders(context.Background(), owner, store.OrderFilter{CustomerID: id, Archived: archived, Limit: 1000})
		must(t, "list orders of "+id, err)
		all = append(all, os...)
	}
	got := customerTotals(t, s, owner, id)
	if want := crm.TotalsOf(all); !got.Equal(want) {
		t.Fatalf("totals of %d/%s = %+v, want %+v (from her %d orders)", owner, id, got, want, len(all))
	}
	if got.Orders != orders || got.Revenue != revenue {
		t.Fatalf("totals of %d/%s: %d orders, revenue %d; want %d, %d", owner, id, got.Orders, got.Revenue, orders, revenue)
	}
}

// otherOwnerTotals are the totals of owner 2's customers that share ids
// with owner 1's: no write of owner 1 may touch them.
var otherOwnerTotals = crm.CustomerTotals{Orders: 7, Revenue: 777, OrderStatuses: []string{"new"}}

func totalsFixture(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, id := range []string{"c1", "c2"} {
		must(t, "create "+id, s.CreateCustomer(ctx, customer(1, id, "Айгерим", "Нурланова")))
		other := customer(2, id, "Other", "Owner")
		other.Totals = otherOwnerTotals
		must(t, "create other owner's "+id, s.CreateCustomer(ctx, other))
	}
}

func testTotals(t *testing.T, s store.Store) {
	ctx := context.Background()
	totalsFixture(t, s)
	update := func(id string, fn func(*crm.Order) error) {
		t.Helper()
		_, err := s.UpdateOrder(ctx, 1, id, fn)
		must(t, "update order "+id, err)
	}
	later := now.Add(time.Hour)
	steps := []struct {
		name  string
		do    func()
		check func()
	}{
		{"create counts the order", func() {
			must(t, "create o1", s.CreateOrder(ctx, order(1, "o1", "c1", 1, now)))
		}, func() { wantTotals(t, s, 1, "c1", 1, 1250000) }},
		{"a second order adds up and is the last", func() {
			must(t, "create o2", s.CreateOrder(ctx, order(1, "o2", "c1", 2, later, crm.Item{Name: "Тушь", Qty: 2, Price: 450000})))
		}, func() {
			wantTotals(t, s, 1, "c1", 2, 2150000)
			if l := customerTotals(t, s, 1, "c1").LastOrderAt; l == nil || !l.Equal(later.Truncate(time.Millisecond)) {
				t.Fatalf("last order at %v, want %v", l, later)
			}
		}},
		{"a payment changes the payment statuses", func() {
			update("o2", func(o *crm.Order) error {
				return o.AddPayment(crm.Payment{ID: "p1", Amount: 900000, At: later, Method: crm.Cash})
			})
		}, func() { wantTotals(t, s, 1, "c1", 2, 2150000) }},
		{"a cancelled order keeps only its status", func() {
			update("o1", func(o *crm.Order) error { return o.SetStatus(crm.StatusCancelled, later) })
		}, func() { wantTotals(t, s, 1, "c1", 1, 900000) }},
		{"an archived order still counts", func() {
			update("o2", func(o *crm.Order) error { o.Archived = true; return nil })
		}, func() { wantTotals(t, s, 1, "c1", 1, 900000) }},
		{"an order moved by UpdateOrder leaves one customer for the other", func() {
			update("o2", func(o *crm.Order) error { o.CustomerID = "c2"; return nil })
		}, func() {
			wantTotals(t, s, 1, "c1", 0, 0)
			wantTotals(t, s, 1, "c2", 1, 900000)
		}},
		{"MoveOrders moves the totals too", func() {
			n, err := s.MoveOrders(ctx, 1, "c1", "c2")
			must(t, "move orders", err)
			if n != 1 {
				t.Fatalf("moved %d orders, want 1", n)
			}
		}, func() {
			wantTotals(t, s, 1, "c1", 0, 0)
			wantTotals(t, s, 1, "c2", 1, 900000)
			if got := customerTotals(t, s, 1, "c1"); !got.Equal(crm.CustomerTotals{}) {
				t.Fatalf("c1 without orders has totals %+v", got)
			}
		}},
	}
	for _, st := range steps {
		st.do()
		st.check()
		for _, id := range []string{"c1", "c2"} {
			if got := customerTotals(t, s, 2, id); !got.Equal(otherOwnerTotals) {
				t.Fatalf("%s: owner 1's writes changed owner 2's %s: %+v", st.name, id, got)
			}
		}
	}
	// The other way: owner 2's order leaves owner 1's same-id customer alone.
	before := customerTotals(t, s, 1, "c2")
	must(t, "create other owner's order", s.CreateOrder(ctx, order(2, "o1", "c2", 1, now)))
	wantTotals(t, s, 2, "c2", 1, 1250000)
	if got := customerTotals(t, s, 1, "c2"); !got.Equal(before) {
		t.Fatalf("owner 2's order changed owner 1's c2: %+v, was %+v", got, before)
	}
}

// testTotalsConcurrency changes one customer's orders from many goroutines
// and wants exact totals at the end. On SQLite this proves the order write
// and its totals are one atomic operation (a read outside the update
// followed by a blind write loses some). On FerretDB it cannot prove
// anything across processes: its conditional replaces are not atomic under
// concurrency, and the suite runs in one process, where the store's local
// locks serialise them.
func testTotalsConcurrency(t *testing.T, s store.Store) {
	ctx := context.Background()
	totalsFixture(t, s)
	const workers, each = 8, 3
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id, n := fmt.Sprintf("w%d-%d", w, i), 1+w*each+i
				if err := s.CreateOrder(ctx, order(1, id, "c1", n, now.Add(time.Duration(n)*time.Minute))); err != nil {
					t.Errorf("create %s: %v", id, err)
					return
				}
				_, err := s.UpdateOrder(ctx, 1, id, func(o *crm.Order) error {
					return o.AddPayment(crm.Payment{ID: "p", Amount: 1250000, At: now, Method: crm.Card})
				})
				if err != nil {
					t.Errorf("pay %s: %v", id, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	wantTotals(t, s, 1, "c1", workers*each, workers*each*1250000)
	if got := customerTotals(t, s, 1, "c1").PaymentStatuses; len(got) != 1 || got[0] != string(crm.Paid) {
		t.Fatalf("payment statuses %v, want only paid: a refresh from before a payment won", got)
	}
	if got := customerTotals(t, s, 2, "c1"); !got.Equal(otherOwnerTotals) {
		t.Fatalf("owner 2's c1 changed: %+v", got)
	}
}

// testTotalsRepair makes totals stale behind the store's back (a blind
// write, as an older version did) and wants RepairTotals to restore them,
// one owner at a time.
func testTotalsRepair(t *testing.T, s store.Store) {
	ctx := context.Background()
	totalsFixture(t, s)
	must(t, "create o1", s.CreateOrder(ctx, order(1, "o1", "c1", 1, now)))
	must(t, "create o2", s.CreateOrder(ctx, order(1, "o2", "c1", 2, now.Add(time.Hour))))
	repair := func(owner int64, want int) {
		t.Helper()
		n, err := s.RepairTotals(ctx, owner)
		must(t, fmt.Sprintf("repair totals of %d", owner), err)
		if n != want {
			t.Fatalf("repair of %d changed %d customers, want %d", owner, n, want)
		}
	}
	repair(1, 0) // order writes left nothing to repair
	for _, id := range []string{"c1", "c2"} {
		_, err := s.UpdateCustomer(ctx, 1, id, func(c *crm.Customer) error {
			c.Totals = crm.CustomerTotals{Orders: 99, Revenue: 1}
			return nil
		})
		must(t, "make totals of "+id+" stale", err)
	}
	repair(1, 2)
	wantTotals(t, s, 1, "c1", 2, 2500000)
	wantTotals(t, s, 1, "c2", 0, 0)
	for _, id := range []string{"c1", "c2"} {
		if got := customerTotals(t, s, 2, id); !got.Equal(otherOwnerTotals) {
			t.Fatalf("owner 1's repair changed owner 2's %s: %+v", id, got)
		}
	}
	repair(1, 0) // a second run changes nothing
	// Owner 2's customers were created with totals no order gives.
	repair(2, 2)
	wantTotals(t, s, 2, "c1", 0, 0)
	wantTotals(t, s, 1, "c1", 2, 2500000)
}

// testTotalsPerCurrency: a customer's totals keep a line per currency that
// follows every order write (a new order, a cancel, a merge moving orders),
// and never add tenge to roubles.
func testTotalsPerCurrency(t *testing.T, s store.Store) {
	ctx := context.Background()
	totalsFixture(t, s)
	money := func(id string) string { t.Helper(); return fmt.Sprint(customerTotals(t, s, 1, id).Money) }
	kzt := order(1, "o1", "c1", 1, now)
	kzt.Currency = "KZT"
	rub := order(1, "o2", "c1", 2, now.Add(time.Hour), crm.Item{Name: "Тушь", Qty: 2, Price: 60000})
	rub.Currency = "RUB"
	must(t, "create o1", s.CreateOrder(ctx, kzt))
	must(t, "create o2", s.CreateOrder(ctx, rub))
	if got := money("c1"); got != "[{KZT 1 1250000} {RUB 1 120000}]" {
		t.Fatalf("two currencies: %s", got)
	}
	_, err := s.UpdateOrder(ctx, 1, "o2", func(o *crm.Order) error { return o.SetStatus(crm.StatusCancelled, now) })
	must(t, "cancel o2", err)
	if got := money("c1"); got != "[{KZT 1 1250000}]" {
		t.Fatalf("after the rouble order was cancelled: %s", got)
	}
	_, err = s.MoveOrders(ctx, 1, "c1", "c2")
	must(t, "move orders", err)
	if got, moved := money("c1"), money("c2"); got != "[]" || moved != "[{KZT 1 1250000}]" {
		t.Fatalf("after a merge: c1 %s, c2 %s", got, moved)
	}
	if got := customerTotals(t, s, 2, "c1"); !got.Equal(otherOwnerTotals) {
		t.Fatalf("owner 2's c1 changed: %+v", got)
	}
}
