package sqlite

import (
	"context"
	"fmt"
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
		FROM (SELECT *, NOT EXISTS (SELECT 1 FROM json_each(doc, '$.Items') WHERE coalesce(json_extract(value, '$.cost'), 0) = 0) AS costed
		      FROM orders WHERE `+counted+`)`, args...).Scan(&r.Orders, &r.Revenue, &r.Paid, &r.CostedRevenue, &r.Cost, &r.Buyers); err != nil {
		return r, q("totals", err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT customer_id FROM orders WHERE `+counted+`
		GROUP BY customer_id HAVING count(*) > 1)`, args...).Scan(&r.RepeatBuyers); err != nil {
		return r, q("repeat buyers", err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE owner = ? AND merged = 0 AND created_at >= ? AND created_at < ?`,
		args...).Scan(&r.NewCustomers); err != nil {
		return r, q("new customers", err)
	}
	customers := func(order string) ([]store.CustomerSales, error) {
		rows, err := db.read.QueryContext(ctx, `SELECT o.customer_id, coalesce(json_extract(c.doc, '$.FirstName') || ' ' || json_extract(c.doc, '$.LastName'), max(json_extract(o.doc, '$.CustomerName'))),
			count(*), sum(o.total), sum(CASE WHEN o.cost > 0 THEN o.total - o.cost ELSE 0 END) AS margin
			FROM (SELECT * FROM orders WHERE `+counted+`) o LEFT JOIN customers c ON c.owner = o.owner AND c.id = o.customer_id
			GROUP BY o.customer_id ORDER BY `+order+` DESC, o.customer_id LIMIT ?`, append(args, top)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []store.CustomerSales
		for rows.Next() {
			var s store.CustomerSales
			if err := rows.Scan(&s.CustomerID, &s.Name, &s.Orders, &s.Revenue, &s.Margin); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, rows.Err()
	}
	var err error
	if r.TopCustomers, err = customers("sum(o.total)"); err != nil {
		return r, q("top customers", err)
	}
	if r.TopByMargin, err = customers("margin"); err != nil {
		return r, q("top by margin", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT json_extract(i.value, '$.name') AS name, sum(json_extract(i.value, '$.qty')),
		sum(json_extract(i.value, '$.qty') * json_extract(i.value, '$.price')),
		sum(CASE WHEN coalesce(json_extract(i.value, '$.cost'), 0) > 0 THEN json_extract(i.value, '$.qty') * (json_extract(i.value, '$.price') - json_extract(i.value, '$.cost')) ELSE 0 END)
		FROM orders o, json_each(o.doc, '$.Items') i WHERE o.`+counted+`
		GROUP BY lower(name) ORDER BY 2 DESC, 3 DESC, name LIMIT ?`, append(args, top)...)
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
