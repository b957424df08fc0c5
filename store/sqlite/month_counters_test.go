package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// TestMonthCountersMatchTheOrders: after a random mix of creations,
// edits (status, archive, items, payments), merges moving orders and
// deletions, the counters of migration 0046 give what a GROUP BY over the
// orders gives, month by month and owner by owner, and the payments table
// of 0047 what the orders' documents hold, method by method.
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
		switch rng.IntN(6) {
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
		}
	}
	_, err := db.MoveOrders(ctx, 1, "c1", "c2")
	check(t, err)
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

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
