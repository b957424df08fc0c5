package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testMonthlySalesFollowEdits: revenue by month follows every change to
// the orders after they were written (a backend keeping counters must
// move them on each edit): cancellations (one emptying a month), a new total,
// an unarchived order, a merge moving orders to another card, and the
// erasure of the customer then holding them; the report's buyers and top
// customers follow too.
func testMonthlySalesFollowEdits(t *testing.T, s store.Store) {
	ctx := context.Background()
	createSalesFixture(t, s)
	edit := func(id string, fn func(*crm.Order)) {
		t.Helper()
		_, err := s.UpdateOrder(ctx, 1, id, func(o *crm.Order) error { fn(o); return nil })
		must(t, "update "+id, err)
	}
	edit("o2", func(o *crm.Order) { o.Status = crm.StatusCancelled }) // Oct −500
	edit("o3", func(o *crm.Order) { o.Items[0].Qty = 3 })             // Oct +2000
	edit("o6", func(o *crm.Order) { o.Status = crm.StatusCancelled }) // Sep emptied
	edit("o5", func(o *crm.Order) { o.Archived = false })             // Oct +5000
	_, err := s.MoveOrders(ctx, 1, "B", "A")
	must(t, "move orders", err)
	for _, c := range []struct {
		owner int64
		want  string
	}{
		{1, "[{2026-10 KZT 3 10000}]"}, // o1 2000, o3 3000, o5 5000; September emptied
		{2, "[{2026-10 KZT 1 9000}]"},  // hers untouched
	} {
		ms, err := s.MonthlySales(ctx, c.owner, "2026-09", "2026-10")
		must(t, "monthly", err)
		if got := fmt.Sprint(ms); got != c.want {
			t.Errorf("owner %d monthly %s, want %s", c.owner, got, c.want)
		}
	}
	r, err := s.SalesReport(ctx, 1, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 5)
	must(t, "report", err)
	if r.Orders != 3 || r.Revenue != 10000 || r.Buyers != 1 || r.RepeatBuyers != 1 || len(r.TopCustomers) != 1 ||
		r.TopCustomers[0].CustomerID != "A" || r.TopCustomers[0].Orders != 3 || r.TopCustomers[0].Revenue != 10000 {
		t.Errorf("report after edits: orders %d revenue %d buyers %d repeat %d top %v, want 3 10000 1 1 [A 3 orders 10000]",
			r.Orders, r.Revenue, r.Buyers, r.RepeatBuyers, r.TopCustomers)
	}
	// Erasing A takes her orders out of both figures.
	must(t, "erase A", s.DeleteCustomer(ctx, 1, "A"))
	ms, err := s.MonthlySales(ctx, 1, "2026-09", "2026-10")
	must(t, "monthly after the erasure", err)
	r, err = s.SalesReport(ctx, 1, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 5)
	must(t, "report after the erasure", err)
	if len(ms) != 0 || r.Orders != 0 || r.Revenue != 0 || r.Buyers != 0 || len(r.TopCustomers) != 0 {
		t.Errorf("after erasing A: monthly %v, report orders %d revenue %d buyers %d top %v, want nothing", ms, r.Orders, r.Revenue, r.Buyers, r.TopCustomers)
	}
}

// testOrderDateEditMovesBothFigures: an edit moving an order to another
// month (its date and its month) moves it in the period's report (orders,
// buyers, payments, top customers) and in the monthly chart alike, so the
// two never disagree.
func testOrderDateEditMovesBothFigures(t *testing.T, s store.Store) {
	ctx := context.Background()
	createSalesFixture(t, s)
	nov2 := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	_, err := s.UpdateOrder(ctx, 1, "o1", func(o *crm.Order) error { // A's 2000, paid 2000 in cash, from 3 October
		o.CreatedAt, o.Month = nov2, crm.MonthOf(nov2, time.UTC)
		return nil
	})
	must(t, "move o1 to November", err)
	ms, err := s.MonthlySales(ctx, 1, "2026-09", "2026-11")
	must(t, "monthly", err)
	if got, want := fmt.Sprint(ms), "[{2026-09 KZT 1 1000} {2026-10 KZT 2 1500} {2026-11 KZT 1 2000}]"; got != want {
		t.Errorf("monthly after the move %s, want %s", got, want)
	}
	for _, c := range []struct {
		month    time.Month
		want     string
		top      string
		payments string
	}{
		{10, "orders 2 revenue 1500 paid 500 buyers 2 repeat 0", "B:1/1000 A:1/500 ", "KZT:cash:1/500 "},
		{11, "orders 1 revenue 2000 paid 2000 buyers 1 repeat 0", "A:1/2000 ", "KZT:cash:1/2000 "},
	} {
		from := time.Date(2026, c.month, 1, 0, 0, 0, 0, time.UTC)
		r, err := s.SalesReport(ctx, 1, from, from.AddDate(0, 1, 0), 5)
		must(t, "report", err)
		got := fmt.Sprintf("orders %d revenue %d paid %d buyers %d repeat %d", r.Orders, r.Revenue, r.Paid, r.Buyers, r.RepeatBuyers)
		top, payments := "", ""
		for _, l := range r.TopCustomers {
			top += fmt.Sprintf("%s:%d/%d ", l.CustomerID, l.Orders, l.Revenue)
		}
		for _, m := range r.ByMethod {
			payments += fmt.Sprintf("%s:%s:%d/%d ", m.Currency, m.Method, m.Payments, m.Amount)
		}
		if got != c.want || top != c.top || payments != c.payments {
			t.Errorf("%s report after the move:\n %s; top %q; payments %q\nwant %s; top %q; payments %q", c.month, got, top, payments, c.want, c.top, c.payments)
		}
	}
}

// testSalesReportEdges: a period that does not start or end on a UTC
// month (a month in Almaty, from 19:00 UTC) counts the orders of its
// first and last minutes and none a minute outside, whatever a backend
// keeps per month.
func testSalesReportEdges(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, c := range []crm.Customer{customer(9, "A", "Анна", "А"), customer(9, "B", "Бота", "Б")} {
		must(t, "customer", s.CreateCustomer(ctx, c))
	}
	utc := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, time.UTC) }
	item := func(price int64) crm.Item { return crm.Item{Name: "Крем", Qty: 1, Price: price} }
	for _, o := range []crm.Order{
		order(9, "a1", "A", 1, utc(9, 30, 18, 59), item(100)),  // 23:59 on 30 September in Almaty
		order(9, "a2", "A", 2, utc(9, 30, 19, 0), item(200)),   // midnight, 1 October in Almaty
		order(9, "a3", "B", 3, utc(10, 15, 12, 0), item(400)),  // mid-October
		order(9, "a4", "B", 4, utc(10, 31, 18, 59), item(800)), // 23:59 on 31 October in Almaty
		order(9, "a5", "A", 5, utc(10, 31, 19, 0), item(1600)), // midnight, 1 November in Almaty
	} {
		o.Currency = "KZT"
		must(t, "order", s.CreateOrder(ctx, o))
	}
	almaty, err := time.LoadLocation("Asia/Almaty")
	must(t, "Almaty", err)
	for _, c := range []struct {
		name     string
		from, to time.Time
		want     string
	}{
		{"October in Almaty", time.Date(2026, 10, 1, 0, 0, 0, 0, almaty), time.Date(2026, 11, 1, 0, 0, 0, 0, almaty),
			"orders 3 revenue 1400 buyers 2 repeat 1 top B:2/1200 A:1/200 "},
		{"October in UTC", utc(10, 1, 0, 0), utc(11, 1, 0, 0), "orders 3 revenue 2800 buyers 2 repeat 1 top A:1/1600 B:2/1200 "},
		{"September and October in Almaty", time.Date(2026, 9, 1, 0, 0, 0, 0, almaty), time.Date(2026, 11, 1, 0, 0, 0, 0, almaty),
			"orders 4 revenue 1500 buyers 2 repeat 2 top B:2/1200 A:2/300 "},
		{"the last minute of October in Almaty", utc(10, 31, 18, 59), utc(10, 31, 19, 0), "orders 1 revenue 800 buyers 1 repeat 0 top B:1/800 "},
		{"from mid-October in Almaty to mid-November", time.Date(2026, 10, 15, 0, 0, 0, 0, almaty), time.Date(2026, 11, 15, 0, 0, 0, 0, almaty),
			"orders 3 revenue 2800 buyers 2 repeat 1 top A:1/1600 B:2/1200 "},
	} {
		r, err := s.SalesReport(ctx, 9, c.from, c.to, 5)
		must(t, c.name, err)
		got := fmt.Sprintf("orders %d revenue %d buyers %d repeat %d top ", r.Orders, r.Revenue, r.Buyers, r.RepeatBuyers)
		for _, l := range r.TopCustomers {
			got += fmt.Sprintf("%s:%d/%d ", l.CustomerID, l.Orders, l.Revenue)
		}
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
