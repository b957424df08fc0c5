package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crmbot/crmbot/store"
)

// counted is the orders a report counts: not cancelled, not archived.
const counted = `owner = ? AND archived = 0 AND status != 'cancelled' AND created_at >= ? AND created_at < ?`

// SalesReport aggregates a period's sales in SQL.
func (db *DB) SalesReport(ctx context.Context, owner int64, from, to time.Time, top int) (store.SalesReport, error) {
	var r store.SalesReport
	args := []any{owner, ms(from), ms(to)}
	q := func(what string, err error) error { return fmt.Errorf("sales report: %s: %w", what, err) }
	if err := db.read.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(total), 0), coalesce(sum(paid), 0),
		coalesce(sum(CASE WHEN costed THEN total END), 0), coalesce(sum(CASE WHEN costed THEN cost END), 0),
		count(DISTINCT customer_id)
		FROM orders WHERE `+counted, args...).Scan(&r.Orders, &r.Revenue, &r.Paid, &r.CostedRevenue, &r.Cost, &r.Buyers); err != nil {
		return r, q("totals", err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE owner = ? AND merged = 0 AND created_at >= ? AND created_at < ?`,
		args...).Scan(&r.NewCustomers); err != nil {
		return r, q("new customers", err)
	}
	// One GROUP BY gives every buyer's sums; ranking the few thousand
	// groups is cheaper than one query per list.
	rows, err := db.read.QueryContext(ctx, `SELECT customer_id, count(*), sum(total), sum(CASE WHEN costed THEN total - cost ELSE 0 END)
		FROM orders WHERE `+counted+` GROUP BY customer_id`, args...)
	if err != nil {
		return r, q("customers", err)
	}
	var all []store.CustomerSales
	for rows.Next() {
		var s store.CustomerSales
		if err := rows.Scan(&s.CustomerID, &s.Orders, &s.Revenue, &s.Margin); err != nil {
			rows.Close()
			return r, q("customers", err)
		}
		if s.Orders > 1 {
			r.RepeatBuyers++
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, q("customers", err)
	}
	rank := func(by func(store.CustomerSales) int64) []store.CustomerSales {
		out := slices.Clone(all)
		slices.SortStableFunc(out, func(a, b store.CustomerSales) int {
			if x, y := by(a), by(b); x != y {
				return cmp.Compare(y, x)
			}
			return strings.Compare(a.CustomerID, b.CustomerID)
		})
		out = out[:min(len(out), top)]
		for i := range out {
			if c, err := db.GetCustomer(ctx, owner, out[i].CustomerID); err == nil {
				out[i].Name = c.FullName()
			}
		}
		return out
	}
	r.TopCustomers = rank(func(s store.CustomerSales) int64 { return s.Revenue })
	r.TopByMargin = rank(func(s store.CustomerSales) int64 { return s.Margin })
	// The lines carry their order's date and counted flag; read in product
	// order from one index, the grouping streams instead of sorting every
	// line of the period.
	rows, err = db.read.QueryContext(ctx, `SELECT min(name), sum(qty), sum(amount), sum(margin)
		FROM order_items INDEXED BY order_items_sales WHERE owner = ? AND counted = 1 AND created_at >= ? AND created_at < ?
		GROUP BY name_key ORDER BY 2 DESC, 3 DESC, 1 LIMIT ?`, append(args, top)...)
	if err != nil {
		return r, q("top products", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p store.ProductSales
		if err := rows.Scan(&p.Name, &p.Qty, &p.Revenue, &p.Margin); err != nil {
			return r, q("top products", err)
		}
		r.TopProducts = append(r.TopProducts, p)
	}
	if err := rows.Err(); err != nil {
		return r, q("top products", err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN json_extract(doc, '$.Status') = 'done'
			AND unixepoch(json_extract(doc, '$.DoneAt')) * 1000 <= due + 86400000 THEN 1 ELSE 0 END), 0)
		FROM reminders WHERE owner = ? AND json_extract(doc, '$.Kind') = 'followup' AND status != 'cancelled' AND due >= ? AND due < ?`,
		args...).Scan(&r.FollowUpsDue, &r.FollowUpsOnTime); err != nil {
		return r, q("follow-ups", err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(sum(complaints), 0) FROM customers WHERE owner = ? AND archived = 0 AND complaints > 0`,
		owner).Scan(&r.OpenComplaints); err != nil {
		return r, q("open complaints", err)
	}
	return r, nil
}

// MonthlySales groups revenue by the orders' month.
func (db *DB) MonthlySales(ctx context.Context, owner int64, fromMonth, toMonth string) ([]store.MonthSales, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT year_month, count(*), sum(total) FROM orders
		WHERE owner = ? AND archived = 0 AND status != 'cancelled' AND year_month >= ? AND year_month <= ?
		GROUP BY year_month ORDER BY year_month`, owner, fromMonth, toMonth)
	if err != nil {
		return nil, fmt.Errorf("monthly sales: %w", err)
	}
	defer rows.Close()
	var out []store.MonthSales
	for rows.Next() {
		var m store.MonthSales
		if err := rows.Scan(&m.Month, &m.Orders, &m.Revenue); err != nil {
			return nil, fmt.Errorf("monthly sales: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
