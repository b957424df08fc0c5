package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// oct is a day of the sales report's period, October 2026.
func oct(d int) time.Time { return time.Date(2026, 10, d, 12, 0, 0, 0, time.UTC) }

// testSalesReport checks every figure against a hand-computed fixture.
func testSalesReport(t *testing.T, s store.Store) {
	ctx := context.Background()
	createSalesFixture(t, s)
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	r, err := s.SalesReport(ctx, 1, from, to, 5)
	must(t, "report", err)
	t.Run("figures", func(t *testing.T) {
		got := fmt.Sprintf("orders %d revenue %d paid %d costed %d cost %d buyers %d repeat %d new %d followups %d/%d complaints %d",
			r.Orders, r.Revenue, r.Paid, r.CostedRevenue, r.Cost, r.Buyers, r.RepeatBuyers, r.NewCustomers, r.FollowUpsOnTime, r.FollowUpsDue, r.OpenComplaints)
		want := "orders 3 revenue 3500 paid 2500 costed 3000 cost 1800 buyers 2 repeat 1 new 2 followups 1/3 complaints 3"
		if got != want {
			t.Fatalf("report\n got %s\nwant %s", got, want)
		}
	})
	t.Run("top customers", func(t *testing.T) {
		line := func(cs []store.CustomerSales) string {
			out := ""
			for _, c := range cs {
				out += fmt.Sprintf("%s:%d/%d/%d ", c.CustomerID, c.Orders, c.Revenue, c.Margin)
			}
			return out
		}
		if got := line(r.TopCustomers); got != "A:2/2500/800 B:1/1000/400 " {
			t.Fatalf("top customers %q", got)
		}
		if got := line(r.TopByMargin); got != "A:2/2500/800 B:1/1000/400 " {
			t.Errorf("top by margin %q", got)
		}
		if r.TopCustomers[0].Name != "Анна А" {
			t.Errorf("customer name %q", r.TopCustomers[0].Name)
		}
	})
	t.Run("top products", func(t *testing.T) {
		prods := ""
		for _, p := range r.TopProducts {
			prods += fmt.Sprintf("%s:%d/%d/%d ", p.Name, p.Qty, p.Revenue, p.Margin)
		}
		if prods != "Крем:3/3000/1200 Тушь:1/500/0 " {
			t.Errorf("top products %q", prods)
		}
	})
	t.Run("monthly", func(t *testing.T) {
		ms, err := s.MonthlySales(ctx, 1, "2026-09", "2026-10")
		must(t, "monthly", err)
		if fmt.Sprint(ms) != "[{2026-09 KZT 1 1000} {2026-10 KZT 3 3500}]" {
			t.Errorf("monthly %v", ms)
		}
	})
	t.Run("one currency", func(t *testing.T) {
		if fmt.Sprint(r.Currencies) != "[{KZT 3 3500 2500 3000 1800}]" {
			t.Errorf("currencies %v", r.Currencies)
		}
	})
	t.Run("another consultant's figures are hers alone", func(t *testing.T) {
		r2, err := s.SalesReport(ctx, 2, from, to, 5)
		must(t, "report 2", err)
		if r2.Orders != 1 || r2.Revenue != 9000 || r2.NewCustomers != 0 && r2.NewCustomers != 1 || r2.OpenComplaints != 1 {
			t.Errorf("owner 2: %+v", r2)
		}
	})
}

// createSalesFixture: owner 1's customers A (new in October, two open
// complaints), B (older), C (new, one complaint), archived D (a complaint
// not counted, as in the digest) and owner 2's X (a complaint); orders in
// and out of the period, one cancelled, one archived; 2+2+2 calls done on
// time, late, pending and cancelled, and a manual reminder.
func createSalesFixture(t *testing.T, s store.Store) {
	ctx := context.Background()
	cA, cB, cC := customer(1, "A", "Анна", "А"), customer(1, "B", "Бота", "Б"), customer(1, "C", "Вера", "В")
	cA.CreatedAt, cB.CreatedAt, cC.CreatedAt = oct(2), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), oct(20)
	complaint := crm.OpenComplaint{EventID: "e", Text: "аллергия", At: oct(4)}
	cA.Complaints = []crm.OpenComplaint{complaint, complaint}
	cC.Complaints = []crm.OpenComplaint{complaint}
	cD := customer(1, "D", "Гуля", "Г")
	cD.CreatedAt, cD.Archived, cD.Complaints = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), true, []crm.OpenComplaint{complaint}
	cX := customer(2, "X", "Чужая", "Х")
	cX.Complaints = []crm.OpenComplaint{complaint}
	for _, c := range []crm.Customer{cA, cB, cC, cD, cX} {
		must(t, "customer", s.CreateCustomer(ctx, c))
	}
	cream := func(q int) crm.Item { return crm.Item{Name: "Крем", Qty: q, Price: 1000, Cost: 600} }
	mascara := crm.Item{Name: "Тушь", Qty: 1, Price: 500}
	os := []crm.Order{
		order(1, "o1", "A", 1, oct(3), cream(2)),
		order(1, "o2", "A", 2, oct(5), mascara),
		order(1, "o3", "B", 3, oct(7), cream(1)),
		order(1, "o4", "B", 4, oct(8), cream(5)),
		order(1, "o5", "A", 5, oct(9), cream(5)),
		order(1, "o6", "B", 6, time.Date(2026, 9, 15, 12, 0, 0, 0, time.UTC), cream(1)),
		order(2, "x1", "X", 1, oct(10), cream(9)),
	}
	os[0].Payments = []crm.Payment{{ID: "p", Amount: 2000, Method: crm.Cash, At: oct(3)}}
	os[2].Payments = []crm.Payment{{ID: "p", Amount: 500, Method: crm.Cash, At: oct(7)}}
	os[3].Status = crm.StatusCancelled
	os[4].Archived = true
	for _, o := range os {
		o.Currency = "KZT"
		must(t, "order", s.CreateOrder(ctx, o))
	}
	later := func(d time.Duration) *time.Time { x := oct(10).Add(d); return &x }
	rs := []crm.Reminder{
		reminder(1, "f1", "A", oct(10)), reminder(1, "f2", "A", oct(10)), reminder(1, "f3", "B", oct(10)), reminder(1, "f4", "B", oct(10)),
		reminder(1, "m1", "B", oct(10)),
	}
	for i := range rs[:4] {
		rs[i].Kind = crm.KindFollowUp
	}
	rs[0].Status, rs[0].DoneAt = crm.Done, later(2*time.Hour)
	rs[1].Status, rs[1].DoneAt = crm.Done, later(72*time.Hour)
	rs[3].Status = crm.Cancelled
	rs[4].Status, rs[4].DoneAt = crm.Done, later(0)
	for _, r := range rs {
		must(t, "reminder", s.CreateReminder(ctx, r))
	}
}

// testSalesReportCurrencies: orders in tenge and in roubles are summed per
// currency, never together; a customer who bought in both has a line in
// each and is one buyer (a repeat one); months are per currency too.
func testSalesReportCurrencies(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, c := range []crm.Customer{customer(7, "A", "Анна", "А"), customer(7, "B", "Бота", "Б")} {
		must(t, "customer", s.CreateCustomer(ctx, c))
	}
	cream := crm.Item{Name: "Крем", Qty: 1, Price: 1000, Cost: 600}
	os := []crm.Order{
		order(7, "k1", "A", 1, oct(3), cream),
		order(7, "k2", "B", 2, oct(4), cream, cream),
		order(7, "r1", "A", 3, oct(20), crm.Item{Name: "Крем", Qty: 1, Price: 300}),
	}
	os[0].Currency, os[1].Currency, os[2].Currency = "KZT", "KZT", "RUB"
	os[0].Payments = []crm.Payment{{ID: "p", Amount: 1000, Method: crm.KaspiGold, At: oct(3)}}
	os[1].Payments = []crm.Payment{{ID: "p", Amount: 2000, Method: crm.KaspiQR, At: oct(4)}}
	os[2].Payments = []crm.Payment{{ID: "p", Amount: 300, Method: crm.Card, At: oct(20)}}
	for _, o := range os {
		must(t, "order", s.CreateOrder(ctx, o))
	}
	r, err := s.SalesReport(ctx, 7, oct(1), oct(31), 5)
	must(t, "report", err)
	if got := fmt.Sprint(r.Currencies); got != "[{KZT 2 3000 3000 3000 1800} {RUB 1 300 300 0 0}]" {
		t.Errorf("currencies %s", got)
	}
	if r.Orders != 3 || r.Buyers != 2 || r.RepeatBuyers != 1 {
		t.Errorf("orders %d buyers %d repeat %d, want 3, 2, 1", r.Orders, r.Buyers, r.RepeatBuyers)
	}
	lines := ""
	for _, c := range r.TopCustomers {
		lines += fmt.Sprintf("%s:%s:%d/%d ", c.CustomerID, c.Currency, c.Orders, c.Revenue)
	}
	if lines != "B:KZT:1/2000 A:KZT:1/1000 A:RUB:1/300 " {
		t.Errorf("top customers %q", lines)
	}
	methods := ""
	for _, m := range r.ByMethod {
		methods += fmt.Sprintf("%s:%s:%d/%d ", m.Currency, m.Method, m.Payments, m.Amount)
	}
	if methods != "KZT:kaspi_qr:1/2000 KZT:kaspi_gold:1/1000 RUB:card:1/300 " {
		t.Errorf("payments by method %q", methods)
	}
	// The best seller keeps its revenue and margin per currency (the
	// rouble cream's cost is unknown).
	products := ""
	for _, p := range r.TopProducts {
		products += fmt.Sprintf("%s:%d%v ", p.Name, p.Qty, p.Currencies)
	}
	if products != "Крем:4[{KZT 3000 1200} {RUB 300 0}] " {
		t.Errorf("top products %q", products)
	}
	// A switch's stamp moves a line stored without a currency to the old
	// one: it is never counted in the new.
	old := order(7, "n1", "B", 4, oct(21), crm.Item{Name: "Тушь", Qty: 5, Price: 100})
	must(t, "order without a currency", s.CreateOrder(ctx, old))
	_, err = s.StampCurrency(ctx, 7, "KZT")
	must(t, "stamp", err)
	r, err = s.SalesReport(ctx, 7, oct(1), oct(31), 5)
	must(t, "report after the stamp", err)
	if len(r.TopProducts) == 0 || fmt.Sprintf("%s:%d%v", r.TopProducts[0].Name, r.TopProducts[0].Qty, r.TopProducts[0].Currencies) != "Тушь:5[{KZT 500 0}]" {
		t.Errorf("top products after the stamp %+v", r.TopProducts)
	}
	ms, err := s.MonthlySales(ctx, 7, "2026-10", "2026-10")
	must(t, "monthly", err)
	if fmt.Sprint(ms) != "[{2026-10 KZT 3 3500} {2026-10 RUB 1 300}]" {
		t.Errorf("monthly %v", ms)
	}
}
