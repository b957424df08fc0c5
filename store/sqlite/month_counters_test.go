package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestMonthCountersMatchTheOrders: after a random mix of creations,
// edits (status, archive, items, payments, date across months, customer,
// currency), merges moving orders, deletions and customer erasures, the
// counters of migration 0046 give what a GROUP BY over the orders gives,
// month by month and owner by owner, the payments table of 0047 what the
// orders' documents hold, method by method, and the customer counters of
// 0055 what a GROUP BY gives per customer, UTC month and currency; the
// report's buyers over periods starting mid-month (Almaty, Kathmandu, an
// odd minute) and on UTC months are those of a plain GROUP BY, and so
// are the counters back-filled on a database from before 0055; the year
// counters of 0067 are what customer_months sums by year.
func TestMonthCountersMatchTheOrders(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	rng := rand.New(rand.NewPCG(16, 46))
	statuses := []crm.OrderStatus{crm.StatusNew, crm.StatusCancelled, crm.StatusNew, crm.StatusNew}
	var ids []string
	for i := range 300 {
		owner := int64(1 + i%2)
		at := time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 12, 0, 0, 0, time.UTC)
		o := crm.Order{ID: fmt.Sprintf("o%d", i), Owner: owner, Number: i + 1, CustomerID: fmt.Sprintf("c%d", rng.IntN(20)),
			Items:  []crm.Item{{Name: "Крем", Qty: 1 + rng.IntN(3), Price: int64(100 * (1 + rng.IntN(50)))}},
			Status: statuses[rng.IntN(len(statuses))], Archived: rng.IntN(5) == 0, Currency: []string{"KZT", "RUB"}[rng.IntN(2)],
			Month: crm.MonthOf(at, time.UTC), CreatedAt: at, UpdatedAt: at}
		for j := range rng.IntN(3) {
			o.Payments = append(o.Payments, payment(rng, j, at))
		}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	for i, id := range ids {
		owner := int64(1 + i%2)
		switch rng.IntN(9) {
		case 0:
			_, err := db.UpdateOrder(ctx, owner, id, func(o *crm.Order) error { o.Status = statuses[rng.IntN(len(statuses))]; return nil })
			check(t, err)
		case 1:
			_, err := db.UpdateOrder(ctx, owner, id, func(o *crm.Order) error { o.Archived = !o.Archived; return nil })
			check(t, err)
		case 2:
			_, err := db.UpdateOrder(ctx, owner, id, func(o *crm.Order) error { o.Items[0].Qty++; return nil })
			check(t, err)
		case 3:
			_, err := db.write.ExecContext(ctx, `DELETE FROM orders WHERE owner = ? AND id = ?`, owner, id)
			check(t, err)
		case 4:
			_, err := db.UpdateOrder(ctx, owner, id, func(o *crm.Order) error {
				o.Payments = append(o.Payments, payment(rng, len(o.Payments), o.CreatedAt))
				return nil
			})
			check(t, err)
		case 5:
			_, err := db.UpdateOrder(ctx, owner, id, func(o *crm.Order) error {
				o.CreatedAt = o.CreatedAt.AddDate(0, 0, rng.IntN(61)-30).Add(time.Duration(rng.IntN(24)) * time.Hour)
				o.Month = crm.MonthOf(o.CreatedAt, time.UTC)
				return nil
			})
			check(t, err)
		case 6:
			_, err := db.UpdateOrder(ctx, owner, id, func(o *crm.Order) error { o.CustomerID = fmt.Sprintf("c%d", rng.IntN(20)); return nil })
			check(t, err)
		case 7:
			_, err := db.UpdateOrder(ctx, owner, id, func(o *crm.Order) error { o.Currency = "RUB"; o.Items[0].Cost = 50; return nil })
			check(t, err)
		case 8: // a write of the time alone (a repair) moves the order too
			_, err := db.write.ExecContext(ctx, `UPDATE orders SET created_at = created_at + ? WHERE owner = ? AND id = ?`,
				(time.Duration(rng.IntN(40)) * 24 * time.Hour).Milliseconds(), owner, id)
			check(t, err)
		}
	}
	_, err := db.MoveOrders(ctx, 1, "c1", "c2")
	check(t, err)
	check(t, db.DeleteCustomer(ctx, 1, "c3"))
	check(t, db.DeleteCustomer(ctx, 2, "c4"))
	for _, owner := range []int64{1, 2} {
		got, err := db.MonthlySales(ctx, owner, "2026-01", "2026-12")
		check(t, err)
		var want []string
		rows, err := db.read.QueryContext(ctx, `SELECT year_month, currency, count(*), sum(total) FROM orders
			WHERE owner = ? AND archived = 0 AND status != 'cancelled' GROUP BY year_month, currency ORDER BY year_month, currency`, owner)
		check(t, err)
		for rows.Next() {
			var m, cur string
			var n, sum int64
			check(t, rows.Scan(&m, &cur, &n, &sum))
			want = append(want, fmt.Sprintf("{%s %s %d %d}", m, cur, n, sum))
		}
		check(t, rows.Err())
		rows.Close()
		if g, w := fmt.Sprint(got), "["+strings.Join(want, " ")+"]"; g != w {
			t.Errorf("owner %d counters\n got %s\nwant %s", owner, g, w)
		}
		kept := groups(t, db, `SELECT method, currency, count(*), sum(amount) FROM order_payments
			WHERE owner = ? GROUP BY method, currency ORDER BY method, currency`, owner)
		held := groups(t, db, `SELECT json_extract(pay.value, '$.method'), o.currency, count(*), sum(json_extract(pay.value, '$.amount'))
			FROM orders o, json_each(o.doc, '$.Payments') pay
			WHERE o.owner = ? AND o.archived = 0 AND o.status != 'cancelled' AND pay.type = 'object'
			GROUP BY 1, 2 ORDER BY 1, 2`, owner)
		if kept != held || held == "" {
			t.Errorf("owner %d payments by method\n kept %s\n held %s", owner, kept, held)
		}
	}
	checkCustomerMonths(t, db)
	// A database from before 0055: the counters are back-filled when opened.
	for _, q := range []string{`DROP TRIGGER customer_months_insert`, `DROP TRIGGER customer_months_delete`, `DROP TRIGGER customer_months_update_old`,
		`DROP TRIGGER customer_months_update_new`, `DROP TABLE customer_months`, `DELETE FROM schema_migrations WHERE version = 'migrations/0055_customer_months.sql'`,
		`DROP TABLE customer_years`, `DELETE FROM schema_migrations WHERE version IN ('migrations/0067_customer_years.sql', 'migrations/0068_customer_months_by_month.sql')`} {
		_, err := db.write.ExecContext(ctx, q)
		check(t, err)
	}
	reopened, err := Open(ctx, "sqlite:"+db.path)
	check(t, err)
	defer reopened.Close()
	checkCustomerMonths(t, reopened)
}

// checkCustomerMonths compares the customer counters of 0055 with the
// orders they count, and the report's buyers over several periods with
// those a plain GROUP BY over the orders gives.
func checkCustomerMonths(t *testing.T, db *DB) {
	t.Helper()
	const cols = `owner, customer_id, currency, month, orders, revenue, paid, costed_revenue, cost`
	kept := rowsText(t, db, `SELECT `+cols+` FROM customer_months ORDER BY 1, 2, 3, 4`)
	counted := rowsText(t, db, `SELECT owner, customer_id, currency, unixepoch(created_at / 1000, 'unixepoch', 'start of month') * 1000,
		count(*), sum(total), sum(paid), sum(CASE WHEN costed THEN total ELSE 0 END), sum(CASE WHEN costed THEN cost ELSE 0 END)
		FROM orders WHERE archived = 0 AND status != 'cancelled' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`)
	if len(counted) < 100 || !slices.Equal(kept, counted) {
		t.Fatalf("customer_months (%d rows) differ from the orders grouped (%d rows):\n%v\n%v", len(kept), len(counted), kept, counted)
	}
	years := rowsText(t, db, `SELECT owner, customer_id, currency, year, orders, revenue, paid, costed_revenue, cost FROM customer_years ORDER BY 1, 2, 3, 4`)
	monthsByYear := rowsText(t, db, `SELECT owner, customer_id, currency, unixepoch(month / 1000, 'unixepoch', 'start of year') * 1000,
		sum(orders), sum(revenue), sum(paid), sum(costed_revenue), sum(cost) FROM customer_months GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`)
	if len(years) < 40 || !slices.Equal(years, monthsByYear) {
		t.Fatalf("customer_years (%d rows) differ from customer_months by year (%d rows):\n%v\n%v", len(years), len(monthsByYear), years, monthsByYear)
	}
	almaty, _ := time.LoadLocation("Asia/Almaty")
	kathmandu, _ := time.LoadLocation("Asia/Kathmandu")
	periods := [][2]time.Time{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, almaty), time.Date(2027, 1, 1, 0, 0, 0, 0, almaty)},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, kathmandu), time.Date(2026, 7, 1, 0, 0, 0, 0, kathmandu)},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 5, 3, 7, 13, 0, 0, time.UTC), time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 2, 10, 0, 0, 0, 0, almaty), time.Date(2026, 11, 10, 0, 0, 0, 0, almaty)},
		// Whole UTC years, and years with months (and edges) around them.
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(2025, 11, 1, 0, 0, 0, 0, almaty), time.Date(2027, 2, 1, 0, 0, 0, 0, almaty)},
		{time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 25, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 1, 3, 0, 0, 0, 0, kathmandu), time.Date(2026, 12, 28, 0, 0, 0, 0, kathmandu)},
		{time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC)},
	}
	for _, pr := range periods {
		for owner := int64(1); owner <= 2; owner++ {
			p := period{owner: owner, args: []any{owner, ms(pr[0]), ms(pr[1])}, top: 50}
			var got store.SalesReport
			check(t, db.reportCustomers(context.Background(), p, &got))
			want := plainBuyers(t, db, p)
			if got.Buyers == 0 || fmt.Sprint(buyersText(got)) != fmt.Sprint(buyersText(want)) {
				t.Errorf("owner %d, %v–%v: buyers\n got %v\nwant %v", owner, pr[0], pr[1], buyersText(got), buyersText(want))
			}
		}
	}
}

// buyersText is what reportCustomers fills, as text.
func buyersText(r store.SalesReport) string {
	return fmt.Sprintf("orders %d revenue %d paid %d costed %d cost %d buyers %d repeat %d currencies %v top %v by margin %v",
		r.Orders, r.Revenue, r.Paid, r.CostedRevenue, r.Cost, r.Buyers, r.RepeatBuyers, r.Currencies, r.TopCustomers, r.TopByMargin)
}

// counted is the orders a report counts: not cancelled, not archived, in
// the period (owner and bounds).
const counted = `owner = ? AND archived = 0 AND status != 'cancelled' AND created_at >= ? AND created_at < ?`

// plainBuyers is reportCustomers' part of the report from one GROUP BY
// over the period's orders, as the report read it before 0055.
func plainBuyers(t testing.TB, db *DB, p period) store.SalesReport {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), `SELECT customer_id, currency, count(*), sum(total), sum(paid),
		sum(CASE WHEN costed THEN total ELSE 0 END), sum(CASE WHEN costed THEN cost ELSE 0 END)
		FROM orders INDEXED BY orders_by_customer WHERE `+counted+` GROUP BY customer_id, currency`, p.args...)
	check(t, err)
	defer rows.Close()
	var all []buyerSales
	for rows.Next() {
		var s buyerSales
		check(t, rows.Scan(&s.CustomerID, &s.Currency, &s.Orders, &s.Revenue, &s.paid, &s.costedRevenue, &s.cost))
		all = append(all, s)
	}
	check(t, rows.Err())
	var r store.SalesReport
	db.sumBuyers(context.Background(), p, all, &r)
	return r
}

// rowsText is the rows of a query of nine integer or text columns, as text.
func rowsText(t *testing.T, db *DB, q string) []string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), q)
	check(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v [9]any
		ptrs := make([]any, len(v))
		for i := range v {
			ptrs[i] = &v[i]
		}
		check(t, rows.Scan(ptrs...))
		out = append(out, fmt.Sprint(v))
	}
	check(t, rows.Err())
	return out
}

// payment is a random payment n of an order made at.
func payment(rng *rand.Rand, n int, at time.Time) crm.Payment {
	methods := []crm.PaymentMethod{"cash", "card", "kaspi_gold"}
	return crm.Payment{ID: fmt.Sprintf("p%d", n), Amount: int64(100 * (1 + rng.IntN(20))), At: at, Method: methods[rng.IntN(len(methods))]}
}

// groups is the rows of a (method, currency, count, sum) query, as text.
func groups(t *testing.T, db *DB, q string, owner int64) string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), q, owner)
	check(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m, cur string
		var n, sum int64
		check(t, rows.Scan(&m, &cur, &n, &sum))
		out = append(out, fmt.Sprintf("{%s %s %d %d}", m, cur, n, sum))
	}
	check(t, rows.Err())
	return strings.Join(out, " ")
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
