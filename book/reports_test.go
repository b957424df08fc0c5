package book_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// november is a book with a known November 2026: Anna ordered on the 2nd
// and the 10th, Bella on the 5th, each order one cream at 10,000 costing
// 6,000.
func november(t *testing.T, db *sqlite.DB, owner int64) {
	t.Helper()
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 6, 0, 0, 0, time.UTC) }
	number := 0
	for _, c := range []struct {
		id, first string
		orders    []int
	}{{"a", "Anna", []int{2, 10}}, {"b", "Bella", []int{5}}} {
		last := day(c.orders[len(c.orders)-1])
		cu := crm.Customer{ID: c.id, Owner: owner, FirstName: c.first, LastName: "Test", CreatedAt: day(1), UpdatedAt: day(1),
			Totals: crm.CustomerTotals{Orders: len(c.orders), Revenue: int64(len(c.orders)) * 1000000, LastOrderAt: &last}}
		if err := db.CreateCustomer(ctx, cu); err != nil {
			t.Fatal(err)
		}
		for i, d := range c.orders {
			number++
			o := crm.Order{ID: fmt.Sprintf("%s%d", c.id, i), Owner: owner, Number: number, CustomerID: c.id, CustomerName: c.first + " Test",
				Items: []crm.Item{{Name: "Cream", Qty: 1, Price: 1000000, Cost: 600000}}, Status: crm.StatusDelivered,
				Month: "2026-11", CreatedAt: day(d), UpdatedAt: day(d)}
			if err := db.CreateOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSales checks the report's figures and ratios, for her and for
// another consultant who sees none of them.
func TestSales(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	november(t, db, 140)
	loc, _ := time.LoadLocation("Asia/Almaty")
	from, to := book.Period(time.Date(2026, 11, 25, 10, 0, 0, 0, loc), book.ThisMonth)
	for _, tc := range []struct {
		name  string
		owner int64
		want  string
	}{
		{"her month", 140, "orders 3 revenue 3000000 average 1000000 buyers 2 repeat 50% margin 1200000 unpaid 3000000 top Cream×3"},
		{"another consultant's month", 141, "orders 0 revenue 0 average 0 buyers 0 repeat 0% margin 0 unpaid 0 top "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := bk.Reports.Sales(context.Background(), crm.Consultant{ID: tc.owner}, from, to)
			if err != nil {
				t.Fatal(err)
			}
			top := ""
			for _, p := range s.TopProducts {
				top += fmt.Sprintf("%s×%d", p.Name, p.Qty)
			}
			got := fmt.Sprintf("orders %d revenue %d average %d buyers %d repeat %d%% margin %d unpaid %d top %s",
				s.Orders, s.Revenue, s.Average, s.Buyers, s.RepeatPct, s.Margin, s.Unpaid, top)
			if got != tc.want {
				t.Errorf("sales\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestPeriod is the periods the report offers in one tap.
func TestPeriod(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Almaty")
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, loc)
	for _, tc := range []struct {
		name     string
		kind     book.PeriodKind
		from, to string
	}{
		{"this month", book.ThisMonth, "2026-01-01", "2026-02-01"},
		{"last month crosses the year", book.LastMonth, "2025-12-01", "2026-01-01"},
		{"this year", book.ThisYear, "2026-01-01", "2027-01-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to := book.Period(now, tc.kind)
			if from.Format("2006-01-02") != tc.from || to.Format("2006-01-02") != tc.to || from.Location() != loc {
				t.Errorf("[%v, %v), want [%s, %s) in Almaty", from, to, tc.from, tc.to)
			}
		})
	}
}

// TestRevenueByMonth is twelve months up to the period's end, the empty
// ones at zero; another consultant's are all zero.
func TestRevenueByMonth(t *testing.T) {
	bk, db := newBook(t, book.Config{DefaultTimezone: "Asia/Almaty"})
	november(t, db, 150)
	loc, _ := time.LoadLocation("Asia/Almaty")
	to := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	for _, tc := range []struct {
		name     string
		owner    int64
		november int64
	}{{"her months", 150, 3000000}, {"another consultant's", 151, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			series, err := bk.Reports.RevenueByMonth(context.Background(), crm.NewConsultant(tc.owner, tc.owner, start), to)
			if err != nil || len(series) != 1 || series[0].Currency != "KZT" || len(series[0].Months) != 12 {
				t.Fatalf("%+v (%v), want one tenge series of 12 months", series, err)
			}
			ms := series[0].Months
			if ms[0].Month.Format("2006-01") != "2025-12" || ms[11].Month.Format("2006-01") != "2026-11" {
				t.Errorf("months %s … %s, want 2025-12 … 2026-11", ms[0].Month.Format("2006-01"), ms[11].Month.Format("2006-01"))
			}
			for i, m := range ms {
				want := int64(0)
				if i == 11 {
					want = tc.november
				}
				if m.Revenue != want {
					t.Errorf("%s: %d, want %d", m.Month.Format("2006-01"), m.Revenue, want)
				}
			}
		})
	}
}

// TestSegments: a hundred days on, Anna (two orders) is whom to call;
// another consultant has no customers to sort.
func TestSegments(t *testing.T) {
	db := openDB(t)
	november(t, db, 160)
	later := time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC).Add(100 * 24 * time.Hour)
	bk := book.New(db, crm.ClockFunc(func() time.Time { return later }), nil, book.Config{})
	sg, err := bk.Reports.Segments(context.Background(), 160)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range sg.Segments {
		n += s.Count
	}
	if sg.Total != 2 || n != 2 || len(sg.Calls) == 0 || sg.Calls[0].FirstName != "Anna" {
		t.Errorf("segmentation %+v, want both sorted and Anna to call", sg)
	}
	if sg, err := bk.Reports.Segments(context.Background(), 161); err != nil || sg.Total != 0 || len(sg.Segments) != 0 || len(sg.Calls) != 0 {
		t.Errorf("another consultant: %+v %v", sg, err)
	}
}

// TestSalesPerCurrency: orders in tenge stored before orders kept a
// currency, in tenge and in roubles. The report's figures, its payments by
// method and its best sellers have a line per currency (the old orders in
// hers, merged with her tenge), and its tops a line per customer with her
// money per currency: nothing is added across currencies, nothing is
// shown twice.
func TestSalesPerCurrency(t *testing.T) {
	const owner = 150
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	day := time.Date(2026, 11, 5, 6, 0, 0, 0, time.UTC)
	cu := crm.Customer{ID: "a", Owner: owner, FirstName: "Anna", CreatedAt: day, UpdatedAt: day}
	if err := db.CreateCustomer(ctx, cu); err != nil {
		t.Fatal(err)
	}
	for i, o := range []struct {
		currency          string
		price, paid, cost int64
	}{{"", 1000000, 400000, 600000}, {"KZT", 500000, 500000, 0}, {"RUB", 250000, 100000, 150000}} {
		ord := crm.Order{ID: fmt.Sprint("o", i), Owner: owner, Number: i + 1, CustomerID: "a", CustomerName: "Anna", Currency: o.currency,
			Items: []crm.Item{{Name: "Cream", Qty: 1, Price: o.price, Cost: o.cost}}, Status: crm.StatusDelivered, Month: "2026-11",
			Payments: []crm.Payment{{ID: fmt.Sprint("p", i), Amount: o.paid, At: day, Method: crm.Cash}}, CreatedAt: day, UpdatedAt: day}
		if err := db.CreateOrder(ctx, ord); err != nil {
			t.Fatal(err)
		}
	}
	loc, _ := time.LoadLocation("Asia/Almaty")
	from, to := book.Period(time.Date(2026, 11, 25, 10, 0, 0, 0, loc), book.ThisMonth)
	s, err := bk.Reports.Sales(ctx, crm.Consultant{ID: owner, Currency: "KZT"}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range s.Money {
		got = append(got, fmt.Sprintf("%s orders %d revenue %d paid %d unpaid %d", m.Currency, m.Orders, m.Revenue, m.Paid, m.Unpaid))
	}
	for _, m := range s.ByMethod {
		got = append(got, fmt.Sprintf("%s %s %d (%d)", m.Method, m.Currency, m.Amount, m.Payments))
	}
	for _, p := range s.TopProducts {
		got = append(got, fmt.Sprintf("%s×%d %v", p.Name, p.Qty, p.Currencies))
	}
	for _, c := range s.Customers {
		got = append(got, fmt.Sprintf("top %s %d %v", c.Name, c.Orders, c.Amounts))
	}
	for _, c := range s.ByMargin {
		got = append(got, fmt.Sprintf("profit %s %v", c.Name, c.Amounts))
	}
	want := []string{
		"KZT orders 2 revenue 1500000 paid 900000 unpaid 600000",
		"RUB orders 1 revenue 250000 paid 100000 unpaid 150000",
		"cash KZT 900000 (2)", "cash RUB 100000 (1)",
		"Cream×3 [{KZT 1500000 400000} {RUB 250000 100000}]",
		"top Anna 3 [{KZT 1500000} {RUB 250000}]",
		"profit Anna [{KZT 400000} {RUB 100000}]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSalesTopKeepsEveryCurrencyOfHers: the best customer's roubles are
// fewer minor units than four other customers' tenge; her line still has
// them, and the top stays five customers.
func TestSalesTopKeepsEveryCurrencyOfHers(t *testing.T) {
	const owner = 160
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	day := time.Date(2026, 11, 5, 6, 0, 0, 0, time.UTC)
	for i, c := range []struct {
		id       string
		currency string
		price    int64
	}{{"anna", "KZT", 10000000}, {"anna", "RUB", 250000}, {"bella", "KZT", 5000000}, {"cara", "KZT", 4000000},
		{"dina", "KZT", 3000000}, {"elya", "KZT", 2000000}, {"faya", "KZT", 1000000}} {
		cu := crm.Customer{ID: c.id, Owner: owner, FirstName: c.id, CreatedAt: day, UpdatedAt: day}
		if err := db.CreateCustomer(ctx, cu); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			t.Fatal(err)
		}
		o := crm.Order{ID: fmt.Sprint("o", i), Owner: owner, Number: i + 1, CustomerID: c.id, CustomerName: c.id, Currency: c.currency,
			Items: []crm.Item{{Name: "Cream", Qty: 1, Price: c.price}}, Status: crm.StatusDelivered, Month: "2026-11", CreatedAt: day, UpdatedAt: day}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	loc, _ := time.LoadLocation("Asia/Almaty")
	from, to := book.Period(time.Date(2026, 11, 25, 10, 0, 0, 0, loc), book.ThisMonth)
	s, err := bk.Reports.Sales(ctx, crm.Consultant{ID: owner}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Customers {
		got = append(got, fmt.Sprintf("%s %v", c.Name, c.Amounts))
	}
	want := "[anna [{KZT 10000000} {RUB 250000}] bella [{KZT 5000000}] cara [{KZT 4000000}] dina [{KZT 3000000}] elya [{KZT 2000000}]]"
	if fmt.Sprint(got) != want {
		t.Errorf("top customers %v, want %s", got, want)
	}
}
