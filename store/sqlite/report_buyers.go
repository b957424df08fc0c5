package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/store"
)

// reportCustomers fills the period's order figures per currency, the
// buyers, the repeat buyers and the top customers by revenue and by margin
// from every buyer's sums per currency. The period is rounded to the
// nearest UTC months [a, b): their sums come from the counters (the whole
// UTC years inside from customer_years, 0067, the other months from
// customer_months, 0055), and the orders between each bound and its
// month are added (the month starts after the bound) or taken away (it
// starts before). A year in Almaty is then one UTC year's counters and
// the orders of two five-hour edges.
func (db *DB) reportCustomers(ctx context.Context, p period, r *store.SalesReport) error {
	from, to := p.args[1].(int64), p.args[2].(int64)
	a, b := nearestMonth(from), nearestMonth(to)
	sums := buyerSums{at: map[[2]string]int{}}
	var err error
	if a >= b { // no month between the bounds: the orders alone
		err = db.addRows(ctx, sums.plus, edgeOrders, p.owner, from, to)
	} else {
		var base int64
		base, err = db.addCounters(ctx, &sums, p.owner, a, b)
		if err == nil {
			err = db.addEdge(ctx, &sums, p.owner, from, a)
		}
		if err == nil {
			err = db.addEdge(ctx, &sums, p.owner, b, to)
		}
		if err == nil && base != noYear {
			err = db.addRows(ctx, sums.merge, customerYear, p.owner, base)
		}
	}
	if err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	db.sumBuyers(ctx, p, sums.buyers(), r)
	return nil
}

// buyerSums is every buyer's sums per currency as they are added up.
type buyerSums struct {
	all []buyerSales
	at  map[[2]string]int // index in all by customer and currency
}

// add adds s, times sign (1 or -1), to its buyer's sums.
func (b *buyerSums) add(s buyerSales, sign int64) {
	if sign < 0 {
		s.Orders, s.Revenue, s.paid, s.costedRevenue, s.cost = -s.Orders, -s.Revenue, -s.paid, -s.costedRevenue, -s.cost
	}
	k := [2]string{s.CustomerID, s.Currency}
	if i, ok := b.at[k]; ok {
		b.all[i].add(s)
		return
	}
	b.at[k] = len(b.all)
	b.all = append(b.all, s)
}

// merge adds s, the last source's row, to its buyer's sums without
// indexing it: the last source holds each buyer and currency once, and
// 50,000 insertions into the index took a quarter of the year's report.
func (b *buyerSums) merge(s buyerSales) {
	if i, ok := b.at[[2]string{s.CustomerID, s.Currency}]; ok {
		b.all[i].add(s)
		return
	}
	b.all = append(b.all, s)
}

// plus and minus add s to, or take it away from, its buyer's sums.
func (b *buyerSums) plus(s buyerSales)  { b.add(s, 1) }
func (b *buyerSums) minus(s buyerSales) { b.add(s, -1) }

// buyers is the sums of those with orders left once the edges outside
// the period are taken away.
func (b *buyerSums) buyers() []buyerSales {
	out := b.all[:0]
	for _, s := range b.all {
		if s.Orders > 0 {
			out = append(out, s)
		}
	}
	return out
}

// nearestMonth is the first instant (ms) of the UTC month whose start is
// nearest to at (ms).
func nearestMonth(at int64) int64 {
	t := time.UnixMilli(at).UTC()
	m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	if next := m.AddDate(0, 1, 0); next.Sub(t) < t.Sub(m) {
		m = next
	}
	return ms(m)
}

// noYear is addCounters' answer when it left no year to read last.
const noYear = -1

// addCounters adds the counters of the UTC months [a, b) (ms of their
// first instants), year by year: a whole UTC year from customer_years;
// most of one (nine months or more) as the year less the months it lacks;
// fewer months as themselves, from customer_months. The first year is
// left for the caller to merge last (base; noYear when there is none).
func (db *DB) addCounters(ctx context.Context, sums *buyerSums, owner, a, b int64) (base int64, err error) {
	base = noYear
	for y := time.Date(time.UnixMilli(a).UTC().Year(), 1, 1, 0, 0, 0, 0, time.UTC); ms(y) < b; y = y.AddDate(1, 0, 0) {
		next := y.AddDate(1, 0, 0)
		lo, hi := time.UnixMilli(max(ms(y), a)).UTC(), time.UnixMilli(min(ms(next), b)).UTC()
		months := (hi.Year()-lo.Year())*12 + int(hi.Month()-lo.Month())
		if months < 9 {
			if err := db.addRows(ctx, sums.plus, customerMonths, owner, ms(lo), ms(hi)); err != nil {
				return noYear, err
			}
			continue
		}
		if base == noYear {
			base = ms(y)
		} else if err := db.addRows(ctx, sums.plus, customerYear, owner, ms(y)); err != nil {
			return noYear, err
		}
		for _, lacks := range [][2]time.Time{{y, lo}, {hi, next}} {
			if lacks[0].Before(lacks[1]) {
				if err := db.addRows(ctx, sums.minus, customerMonths, owner, ms(lacks[0]), ms(lacks[1])); err != nil {
					return noYear, err
				}
			}
		}
	}
	return base, nil
}

// customerYear is the sums by buyer and currency of owner ?1 in the year
// ?2, read in the primary key's order (one row each, no sort).
const customerYear = `SELECT customer_id, currency, orders, revenue, paid, costed_revenue, cost
	FROM customer_years WHERE owner = ?1 AND year = ?2`

// customerMonths is the sums by buyer, currency and month of owner ?1 in
// the months [?2, ?3), from customer_months_by_month alone (0068).
const customerMonths = `SELECT customer_id, currency, orders, revenue, paid, costed_revenue, cost
	FROM customer_months INDEXED BY customer_months_by_month WHERE owner = ?1 AND month >= ?2 AND month < ?3`

// edgeOrders sums by buyer and currency the counted orders of owner ?1
// made in [?2, ?3), from orders_list alone (0057).
const edgeOrders = `SELECT customer_id, currency, count(*), sum(total), sum(paid),
		sum(CASE WHEN costed THEN total ELSE 0 END), sum(CASE WHEN costed THEN cost ELSE 0 END)
	FROM orders INDEXED BY orders_list WHERE owner = ?1 AND archived = 0 AND status != 'cancelled' AND created_at >= ?2 AND created_at < ?3
	GROUP BY customer_id, currency`

// addEdge adds the orders of [x, y) when x is before y, or takes away
// those of [y, x) when it is after.
func (db *DB) addEdge(ctx context.Context, sums *buyerSums, owner, x, y int64) error {
	switch {
	case x < y:
		return db.addRows(ctx, sums.plus, edgeOrders, owner, x, y)
	case x > y:
		return db.addRows(ctx, sums.minus, edgeOrders, owner, y, x)
	}
	return nil
}

// addRows gives put the rows of a query of buyers' sums.
func (db *DB) addRows(ctx context.Context, put func(buyerSales), query string, args ...any) error {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s buyerSales
		if err := rows.Scan(&s.CustomerID, &s.Currency, &s.Orders, &s.Revenue, &s.paid, &s.costedRevenue, &s.cost); err != nil {
			return err
		}
		put(s)
	}
	return rows.Err()
}
