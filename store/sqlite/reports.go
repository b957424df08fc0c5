package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crmbot/crmbot/store"
)

// SalesReport aggregates a period's sales in SQL.
func (db *DB) SalesReport(ctx context.Context, owner int64, from, to time.Time, top int) (store.SalesReport, error) {
	var r store.SalesReport
	p := period{owner: owner, args: []any{owner, ms(from), ms(to)}, top: top}
	for _, part := range []func(context.Context, period, *store.SalesReport) error{
		db.reportTotals, db.reportCustomers, db.reportMethods, db.reportProducts, db.reportFollowUps,
	} {
		if err := part(ctx, p, &r); err != nil {
			return r, fmt.Errorf("sales report: %w", err)
		}
	}
	return r, nil
}

// edgeLines is the counted lines of one edge of a period (owner twice,
// the edge days, the edge's bounds), a seek per product.
const edgeLines = `SELECT name_key, currency, name, qty, amount, margin FROM order_items INDEXED BY order_items_sales
	WHERE owner = ? AND counted = 1 AND name_key IN (SELECT name_key FROM item_days WHERE owner = ? AND day IN (?, ?))
		AND created_at >= ? AND created_at < ?`

// dayMS is a day in milliseconds, item_days' unit (UTC days).
const dayMS = int64(24 * time.Hour / time.Millisecond)

// ceilDiv is a / b rounded up, for a ≥ 0 and b > 0.
func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// period is what each part of a sales report is asked: args are the
// owner and the period's bounds (ms), in that order.
type period struct {
	owner int64
	args  []any
	top   int
}

// reportTotals fills the new customers: archived and not, so the range on
// created_at is a seek in customers_created (archived is 0 or 1).
func (db *DB) reportTotals(ctx context.Context, p period, r *store.SalesReport) error {
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM customers INDEXED BY customers_created
		WHERE owner = ? AND archived IN (0, 1) AND merged = 0 AND created_at >= ? AND created_at < ?`,
		p.args...).Scan(&r.NewCustomers); err != nil {
		return fmt.Errorf("new customers: %w", err)
	}
	return nil
}

// buyerSales is one buyer's sums in one currency over a period.
type buyerSales struct {
	store.CustomerSales
	paid, costedRevenue, cost int64
}

func (s *buyerSales) add(o buyerSales) {
	s.Orders += o.Orders
	s.Revenue += o.Revenue
	s.paid += o.paid
	s.costedRevenue += o.costedRevenue
	s.cost += o.cost
}

// sumBuyers fills the report's figures from every buyer's sums.
func (db *DB) sumBuyers(ctx context.Context, p period, all []buyerSales, r *store.SalesReport) {
	byCurrency := map[string]*store.CurrencySales{}
	ordersOf := make(map[string]int, len(all))
	lines := make([]store.CustomerSales, len(all))
	for i := range all {
		s := &all[i]
		s.Margin = s.costedRevenue - s.cost
		r.Orders += s.Orders
		r.Revenue += s.Revenue
		r.Paid += s.paid
		r.CostedRevenue += s.costedRevenue
		r.Cost += s.cost
		c := byCurrency[s.Currency]
		if c == nil {
			c = &store.CurrencySales{Currency: s.Currency}
			byCurrency[s.Currency] = c
		}
		c.Orders += s.Orders
		c.Revenue += s.Revenue
		c.Paid += s.paid
		c.CostedRevenue += s.costedRevenue
		c.Cost += s.cost
		ordersOf[s.CustomerID] += s.Orders
		lines[i] = s.CustomerSales
	}
	for _, c := range byCurrency {
		r.Currencies = append(r.Currencies, *c)
	}
	store.SortCurrencies(r.Currencies)
	for _, n := range ordersOf {
		if n > 1 {
			r.RepeatBuyers++
		}
	}
	r.Buyers = len(ordersOf)
	r.TopCustomers = db.rankCustomers(ctx, p.owner, lines, p.top, func(s store.CustomerSales) int64 { return s.Revenue })
	r.TopByMargin = db.rankCustomers(ctx, p.owner, lines, p.top, func(s store.CustomerSales) int64 { return s.Margin })
}

// reportMethods fills the payments toward the period's orders by method
// and currency, from the payments table the triggers of 0047 keep.
func (db *DB) reportMethods(ctx context.Context, p period, r *store.SalesReport) error {
	// order_payments (0047) holds the payments of counted orders only.
	rows, err := db.read.QueryContext(ctx, `SELECT method, currency, count(*), sum(amount)
		FROM order_payments INDEXED BY order_payments_period
		WHERE owner = ? AND created_at >= ? AND created_at < ?
		GROUP BY method, currency`, p.args...)
	if err != nil {
		return fmt.Errorf("payment methods: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m store.MethodSales
		if err := rows.Scan(&m.Method, &m.Currency, &m.Payments, &m.Amount); err != nil {
			return fmt.Errorf("payment methods: %w", err)
		}
		r.ByMethod = append(r.ByMethod, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("payment methods: %w", err)
	}
	store.SortMethods(r.ByMethod, r.Currencies)
	return nil
}

// rankCustomers returns the top lines of all by by (ties by id, then
// currency) with the customers' current names; a customer gone since
// keeps an empty name. It keeps the best top in one pass: sorting every
// buyer twice cost tens of milliseconds at 50,000 of them.
func (db *DB) rankCustomers(ctx context.Context, owner int64, all []store.CustomerSales, top int, by func(store.CustomerSales) int64) []store.CustomerSales {
	before := func(a, b store.CustomerSales) int {
		if x, y := by(a), by(b); x != y {
			return cmp.Compare(y, x)
		}
		if a.CustomerID != b.CustomerID {
			return strings.Compare(a.CustomerID, b.CustomerID)
		}
		return strings.Compare(a.Currency, b.Currency)
	}
	out := make([]store.CustomerSales, 0, max(top, 0)+1)
	for _, s := range all {
		if top <= 0 || len(out) == top && before(s, out[top-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(out, s, before)
		out = slices.Insert(out, i, s)
		out = out[:min(len(out), top)]
	}
	for i := range out {
		if c, err := db.GetCustomer(ctx, owner, out[i].CustomerID); err == nil {
			out[i].Name = c.FullName()
		}
	}
	return out
}

// reportProducts fills the top products: the counters of the whole days
// inside the period (item_days, 0032) and the lines of the partial days
// at its edges, read from order_items_sales (product, then date, so each
// product's edge is a seek; the products are those of the edge days).
func (db *DB) reportProducts(ctx context.Context, p period, r *store.SalesReport) error {
	from, to := p.args[1].(int64), p.args[2].(int64)
	h0, h1 := ceilDiv(from, dayMS), to/dayMS // whole days [h0, h1)
	edges := []any{from, h0 * dayMS, h1 * dayMS, to}
	if h0 >= h1 { // no whole day inside: the lines alone
		h0, h1, edges = 0, 0, []any{from, to, 0, 0}
	}
	// The edges' lines are in the days of from and to: their products are
	// those days' counters.
	args := []any{p.owner, h0, h1}
	for i := 0; i < len(edges); i += 2 {
		args = append(args, p.owner, p.owner, from/dayMS, to/dayMS, edges[i], edges[i+1])
	}
	rows, err := db.read.QueryContext(ctx, `SELECT name_key, currency, min(name), sum(qty), sum(amount), sum(margin) FROM (
			SELECT name_key, currency, name, qty, amount, margin FROM item_days WHERE owner = ? AND day >= ? AND day < ?
			UNION ALL `+edgeLines+` UNION ALL `+edgeLines+`)
		GROUP BY name_key, currency`, args...)
	if err != nil {
		return fmt.Errorf("top products: %w", err)
	}
	defer rows.Close()
	var lines []store.ProductLine
	for rows.Next() {
		var l store.ProductLine
		if err := rows.Scan(&l.Key, &l.Currency, &l.Name, &l.Qty, &l.Revenue, &l.Margin); err != nil {
			return fmt.Errorf("top products: %w", err)
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("top products: %w", err)
	}
	r.TopProducts = store.TopProducts(lines, p.top, r.Currencies)
	return nil
}

// reportFollowUps fills the 2+2+2 calls due and done on time, and the open
// complaints (now, whatever the period).
func (db *DB) reportFollowUps(ctx context.Context, p period, r *store.SalesReport) error {
	if err := db.followUpCalls(ctx, append(p.args, p.args[2])).Scan(&r.FollowUpsDue, &r.FollowUpsOnTime); err != nil {
		return fmt.Errorf("follow-ups: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(sum(complaints), 0) FROM customers WHERE owner = ? AND archived = 0 AND complaints > 0`,
		p.owner).Scan(&r.OpenComplaints); err != nil {
		return fmt.Errorf("open complaints: %w", err)
	}
	return nil
}

// followUpCalls counts the 2+2+2 calls due in a period, by a time or made,
// and those done on time; args are the owner, the period's bounds and the
// time.
func (db *DB) followUpCalls(ctx context.Context, args []any) *sql.Row {
	return db.read.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN json_extract(doc, '$.Status') = 'done'
			AND unixepoch(json_extract(doc, '$.DoneAt')) * 1000 <= due + 86400000 THEN 1 ELSE 0 END), 0)
		FROM reminders WHERE owner = ? AND json_extract(doc, '$.Kind') = 'followup' AND status != 'cancelled' AND due >= ? AND due < ?
			AND (due <= ? OR status = 'done')`,
		args...)
}

// FollowUpCalls counts her 2+2+2 calls due in [from, to), by asOf or
// made, and those done on time.
func (db *DB) FollowUpCalls(ctx context.Context, owner int64, from, to, asOf time.Time) (due, onTime int, err error) {
	if err := db.followUpCalls(ctx, []any{owner, ms(from), ms(to), ms(asOf)}).Scan(&due, &onTime); err != nil {
		return 0, 0, fmt.Errorf("follow-up calls: %w", err)
	}
	return due, onTime, nil
}

// MonthlySales reads the counted orders' revenue by month and currency
// from the counters the triggers of migration 0046 keep.
func (db *DB) MonthlySales(ctx context.Context, owner int64, fromMonth, toMonth string) ([]store.MonthSales, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT year_month, currency, orders, revenue FROM order_months
		WHERE owner = ? AND year_month >= ? AND year_month <= ? AND orders > 0
		ORDER BY year_month, currency`, owner, fromMonth, toMonth)
	if err != nil {
		return nil, fmt.Errorf("monthly sales: %w", err)
	}
	defer rows.Close()
	var out []store.MonthSales
	for rows.Next() {
		var m store.MonthSales
		if err := rows.Scan(&m.Month, &m.Currency, &m.Orders, &m.Revenue); err != nil {
			return nil, fmt.Errorf("monthly sales: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
