package mongo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// SalesReport aggregates a period's sales with $group pipelines.
func (db *DB) SalesReport(ctx context.Context, owner int64, from, to time.Time, top int) (store.SalesReport, error) {
	var r store.SalesReport
	q := reportQuery{db: db, owner: owner, from: from, to: to, top: top,
		match: bson.M{"$match": bson.M{"owner": owner, "archived": false, "status": bson.M{"$ne": string(crm.StatusCancelled)},
			"created_at": bson.M{"$gte": from, "$lt": to}}}}
	for _, part := range []func(context.Context, *store.SalesReport) error{q.totals, q.customers, q.methods, q.products, q.followUps, q.complaints} {
		if err := part(ctx, &r); err != nil {
			return r, err
		}
	}
	return r, nil
}

// reportQuery is one sales report being aggregated: match selects the
// orders it counts (not cancelled, not archived, created in the period).
type reportQuery struct {
	db       *DB
	owner    int64
	from, to time.Time
	top      int
	match    bson.M
}

// costedOnly narrows the counted orders to those whose costs are all known.
var costedOnly = bson.M{"costed": true}

func (q reportQuery) run(ctx context.Context, what string, pipeline bson.A, out any) error {
	cur, err := q.db.orders.Aggregate(ctx, pipeline)
	if err != nil {
		return fmt.Errorf("sales report: %s: %w", what, classify(err))
	}
	defer cur.Close(ctx)
	if err := cur.All(ctx, out); err != nil {
		return fmt.Errorf("sales report: %s: %w", what, classify(err))
	}
	return nil
}

// group sums expr over the counted orders (narrowed by extra when not nil)
// by key (nil: one group, under ""). One accumulator per $group: FerretDB
// 1.x fills only the first of several (seen with $sum), and a pipeline each
// is cheap.
func (q reportQuery) group(ctx context.Context, what string, extra bson.M, key, expr any) (map[string]int64, error) {
	pipeline := bson.A{q.match}
	if extra != nil {
		pipeline = append(pipeline, bson.M{"$match": extra})
	}
	pipeline = append(pipeline, bson.M{"$group": bson.M{"_id": key, "v": bson.M{"$sum": expr}}})
	return q.sums(ctx, what, pipeline)
}

// sums runs a pipeline ending in a group of _id and v.
func (q reportQuery) sums(ctx context.Context, what string, pipeline bson.A) (map[string]int64, error) {
	var out []struct {
		ID *string `bson:"_id"`
		V  int64   `bson:"v"`
	}
	if err := q.run(ctx, what, pipeline, &out); err != nil {
		return nil, err
	}
	m := map[string]int64{}
	for _, o := range out {
		id := ""
		if o.ID != nil {
			id = *o.ID
		}
		m[id] = o.V
	}
	return m, nil
}

// sum is group with one group.
func (q reportQuery) sum(ctx context.Context, what string, extra bson.M, expr any) (int64, error) {
	m, err := q.group(ctx, what, extra, nil, expr)
	return m[""], err
}

// totals fills the period's order figures, per currency and together.
func (q reportQuery) totals(ctx context.Context, r *store.SalesReport) error {
	counts, err := q.group(ctx, "orders", nil, "$currency", 1)
	if err != nil {
		return err
	}
	for code, n := range counts {
		c := store.CurrencySales{Currency: code, Orders: int(n)}
		in := bson.M{"currency": code}
		for _, f := range []struct {
			what  string
			extra bson.M
			expr  string
			into  *int64
		}{
			{"revenue", in, "$total", &c.Revenue},
			{"paid", in, "$paid", &c.Paid},
			{"costed revenue", bson.M{"currency": code, "costed": true}, "$total", &c.CostedRevenue},
			{"cost", bson.M{"currency": code, "costed": true}, "$cost", &c.Cost},
		} {
			if *f.into, err = q.sum(ctx, f.what, f.extra, f.expr); err != nil {
				return err
			}
		}
		r.Orders += c.Orders
		r.Revenue += c.Revenue
		r.Paid += c.Paid
		r.CostedRevenue += c.CostedRevenue
		r.Cost += c.Cost
		r.Currencies = append(r.Currencies, c)
	}
	store.SortCurrencies(r.Currencies)
	return nil
}

// customers fills the buyers, repeat buyers and top customers, a line per
// customer and currency. Margin per customer counts orders with known
// costs only: summed by separate groups (no $cond: not every server has
// it) and joined here.
func (q reportQuery) customers(ctx context.Context, r *store.SalesReport) error {
	ordersOf := map[string]int{}
	var sales []store.CustomerSales
	for _, c := range r.Currencies {
		in := bson.M{"currency": c.Currency}
		sums := map[string]map[string]int64{}
		for _, g := range []struct {
			what  string
			extra bson.M
			expr  any
		}{
			{"customer orders", in, 1},
			{"customer revenue", in, "$total"},
			{"customer costed revenue", bson.M{"currency": c.Currency, "costed": true}, "$total"},
			{"customer cost", bson.M{"currency": c.Currency, "costed": true}, "$cost"},
		} {
			m, err := q.group(ctx, g.what, g.extra, "$customer_id", g.expr)
			if err != nil {
				return err
			}
			sums[g.what] = m
		}
		for id, n := range sums["customer orders"] {
			ordersOf[id] += int(n)
			var margin int64
			if rev, ok := sums["customer costed revenue"][id]; ok {
				margin = rev - sums["customer cost"][id]
			}
			sales = append(sales, store.CustomerSales{CustomerID: id, Currency: c.Currency, Orders: int(n), Revenue: sums["customer revenue"][id], Margin: margin})
		}
	}
	for _, n := range ordersOf {
		if n > 1 {
			r.RepeatBuyers++
		}
	}
	r.Buyers = len(ordersOf)
	if err := q.db.customerNames(ctx, q.owner, sales); err != nil {
		return err
	}
	r.TopCustomers = topCustomers(sales, q.top, func(s store.CustomerSales) int64 { return s.Revenue })
	r.TopByMargin = topCustomers(sales, q.top, func(s store.CustomerSales) int64 { return s.Margin })
	return nil
}

// methods fills the payments toward the period's orders by method and
// currency: one pipeline per currency and sum (one accumulator per group).
func (q reportQuery) methods(ctx context.Context, r *store.SalesReport) error {
	for _, c := range r.Currencies {
		var by [2]map[string]int64
		for i, expr := range []any{1, "$payments.amount"} {
			m, err := q.sums(ctx, "payment methods", bson.A{q.match, bson.M{"$match": bson.M{"currency": c.Currency}},
				bson.M{"$unwind": "$payments"}, bson.M{"$group": bson.M{"_id": "$payments.method", "v": bson.M{"$sum": expr}}}})
			if err != nil {
				return err
			}
			by[i] = m
		}
		for method, n := range by[0] {
			r.ByMethod = append(r.ByMethod, store.MethodSales{Method: crm.PaymentMethod(method), Currency: c.Currency, Payments: int(n), Amount: by[1][method]})
		}
	}
	store.SortMethods(r.ByMethod, r.Currencies)
	return nil
}

// products fills the top products from the orders' flat item lines, one
// pipeline per currency and sum.
func (q reportQuery) products(ctx context.Context, r *store.SalesReport) error {
	var lines []store.ProductLine
	for _, c := range r.Currencies {
		var by [3]map[string]int64
		for i, f := range []struct{ what, field string }{
			{"product quantities", "$items.qty"}, {"product revenue", "$items.amount"}, {"product cost", "$items.cost"},
		} {
			m, err := q.sums(ctx, f.what, bson.A{q.match, bson.M{"$match": bson.M{"currency": c.Currency}},
				bson.M{"$unwind": "$items"}, bson.M{"$group": bson.M{"_id": "$items.name", "v": bson.M{"$sum": f.field}}}})
			if err != nil {
				return err
			}
			by[i] = m
		}
		names := make([]string, 0, len(by[0]))
		for name := range by[0] {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			l := store.ProductLine{Key: strings.ToLower(name), Name: name, Currency: c.Currency, Qty: int(by[0][name]), Revenue: by[1][name]}
			if by[2][name] > 0 {
				l.Margin = by[1][name] - by[2][name]
			}
			lines = append(lines, l)
		}
	}
	r.TopProducts = store.TopProducts(lines, q.top, r.Currencies)
	return nil
}

// followUps fills the new customers and the 2+2+2 calls due and done on
// time (within a day of their time).
func (q reportQuery) followUps(ctx context.Context, r *store.SalesReport) error {
	db := q.db
	n, err := db.customers.CountDocuments(ctx, bson.M{"owner": q.owner, "merged": false, "created_at": bson.M{"$gte": q.from, "$lt": q.to}})
	if err != nil {
		return fmt.Errorf("sales report: new customers: %w", classify(err))
	}
	r.NewCustomers = int(n)
	r.FollowUpsDue, r.FollowUpsOnTime, err = db.FollowUpCalls(ctx, q.owner, q.from, q.to, q.to)
	if err != nil {
		return fmt.Errorf("sales report: %w", classify(err))
	}
	return nil
}

// FollowUpCalls counts her 2+2+2 calls due in [from, to), by asOf or
// made, and those done on time (within a day of their time).
func (db *DB) FollowUpCalls(ctx context.Context, owner int64, from, to, asOf time.Time) (due, onTime int, err error) {
	period := bson.M{"$gte": from, "$lt": to}
	n, err := db.reminders.CountDocuments(ctx, bson.M{"owner": owner, "kind": string(crm.KindFollowUp), "status": bson.M{"$ne": string(crm.Cancelled)}, "due": period,
		"$or": bson.A{bson.M{"due": bson.M{"$lte": asOf}}, bson.M{"status": string(crm.Done)}}})
	if err != nil {
		return 0, 0, fmt.Errorf("follow-up calls: %w", classify(err))
	}
	done, _, err := list[crm.Reminder](ctx, db.reminders, bson.M{"owner": owner, "kind": string(crm.KindFollowUp), "status": string(crm.Done),
		"due": period}, bson.D{{Key: "due", Value: 1}}, 0, 100000)
	if err != nil {
		return 0, 0, fmt.Errorf("follow-up calls: %w", classify(err))
	}
	for _, rem := range done {
		if rem.DoneAt != nil && !rem.DoneAt.After(rem.Due.Add(24*time.Hour)) {
			onTime++
		}
	}
	return int(n), onTime, nil
}

// complaints fills the open complaints on active customers, now.
func (q reportQuery) complaints(ctx context.Context, r *store.SalesReport) error {
	cur, err := q.db.customers.Aggregate(ctx, bson.A{
		bson.M{"$match": bson.M{"owner": q.owner, "archived": false, "complaints": bson.M{"$gt": 0}}},
		bson.M{"$group": bson.M{"_id": nil, "v": bson.M{"$sum": "$complaints"}}},
	})
	if err != nil {
		return fmt.Errorf("sales report: open complaints: %w", classify(err))
	}
	defer cur.Close(ctx)
	var open []struct {
		V int `bson:"v"`
	}
	if err := cur.All(ctx, &open); err != nil {
		return fmt.Errorf("sales report: open complaints: %w", classify(err))
	}
	if len(open) > 0 {
		r.OpenComplaints = open[0].V
	}
	return nil
}

// customerNames puts the customers' current names on report lines.
func (db *DB) customerNames(ctx context.Context, owner int64, sales []store.CustomerSales) error {
	for i := range sales {
		c, err := get[crm.Customer](ctx, db.customers, owner, sales[i].CustomerID)
		if err == nil {
			sales[i].Name = c.FullName()
		}
	}
	return nil
}

func topCustomers(all []store.CustomerSales, top int, by func(store.CustomerSales) int64) []store.CustomerSales {
	out := append([]store.CustomerSales(nil), all...)
	sort.SliceStable(out, func(i, j int) bool {
		if by(out[i]) != by(out[j]) {
			return by(out[i]) > by(out[j])
		}
		if out[i].CustomerID != out[j].CustomerID {
			return out[i].CustomerID < out[j].CustomerID
		}
		return out[i].Currency < out[j].Currency
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

// MonthlySales groups revenue by the orders' month (one accumulator per
// group, as in SalesReport).
func (db *DB) MonthlySales(ctx context.Context, owner int64, fromMonth, toMonth string) ([]store.MonthSales, error) {
	match := bson.M{"$match": bson.M{"owner": owner, "archived": false, "status": bson.M{"$ne": string(crm.StatusCancelled)},
		"month": bson.M{"$gte": fromMonth, "$lte": toMonth}}}
	type monthKey struct {
		Month    string `bson:"m"`
		Currency string `bson:"c"`
	}
	group := func(expr any) (map[monthKey]int64, error) {
		cur, err := db.orders.Aggregate(ctx, bson.A{match, bson.M{"$group": bson.M{"_id": bson.M{"m": "$month", "c": "$currency"}, "v": bson.M{"$sum": expr}}}})
		if err != nil {
			return nil, err
		}
		defer cur.Close(ctx)
		var rows []struct {
			ID monthKey `bson:"_id"`
			V  int64    `bson:"v"`
		}
		if err := cur.All(ctx, &rows); err != nil {
			return nil, err
		}
		m := map[monthKey]int64{}
		for _, r := range rows {
			m[r.ID] = r.V
		}
		return m, nil
	}
	counts, err := group(1)
	if err != nil {
		return nil, fmt.Errorf("monthly sales: %w", classify(err))
	}
	revenue, err := group("$total")
	if err != nil {
		return nil, fmt.Errorf("monthly sales: %w", classify(err))
	}
	out := make([]store.MonthSales, 0, len(counts))
	for m, n := range counts {
		out = append(out, store.MonthSales{Month: m.Month, Currency: m.Currency, Orders: int(n), Revenue: revenue[m]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].Currency < out[j].Currency
	})
	return out, nil
}
