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
	match := bson.M{"$match": bson.M{"owner": owner, "archived": false, "status": bson.M{"$ne": string(crm.StatusCancelled)},
		"created_at": bson.M{"$gte": from, "$lt": to}}}
	run := func(what string, pipeline bson.A, out any) error {
		cur, err := db.orders.Aggregate(ctx, pipeline)
		if err != nil {
			return fmt.Errorf("sales report: %s: %w", what, err)
		}
		defer cur.Close(ctx)
		if err := cur.All(ctx, out); err != nil {
			return fmt.Errorf("sales report: %s: %w", what, err)
		}
		return nil
	}
	// One accumulator per $group: FerretDB 1.x fills only the first of
	// several (seen with $sum), and a pipeline each is cheap.
	sum := func(what string, extra bson.M, expr any) (int64, error) {
		pipeline := bson.A{match}
		if extra != nil {
			pipeline = append(pipeline, bson.M{"$match": extra})
		}
		pipeline = append(pipeline, bson.M{"$group": bson.M{"_id": nil, "v": bson.M{"$sum": expr}}})
		var out []struct {
			V int64 `bson:"v"`
		}
		if err := run(what, pipeline, &out); err != nil || len(out) == 0 {
			return 0, err
		}
		return out[0].V, nil
	}
	costedOnly := bson.M{"costed": true}
	orders, err := sum("orders", nil, 1)
	if err != nil {
		return r, err
	}
	r.Orders = int(orders)
	if r.Revenue, err = sum("revenue", nil, "$total"); err != nil {
		return r, err
	}
	if r.Paid, err = sum("paid", nil, "$paid"); err != nil {
		return r, err
	}
	if r.CostedRevenue, err = sum("costed revenue", costedOnly, "$total"); err != nil {
		return r, err
	}
	if r.Cost, err = sum("cost", costedOnly, "$cost"); err != nil {
		return r, err
	}
	var byCustomer []struct {
		ID      string `bson:"_id"`
		Name    string `bson:"name"`
		Orders  int    `bson:"orders"`
		Revenue int64  `bson:"revenue"`
		Cost    int64  `bson:"cost"`
		Costed  int64  `bson:"costed"`
	}
	// Margin per customer counts orders with known costs only: summed by a
	// second group (no $cond: not every server has it) and joined here.
	group := func(what string, extra bson.M, key string, expr any) (map[string]int64, error) {
		pipeline := bson.A{match}
		if extra != nil {
			pipeline = append(pipeline, bson.M{"$match": extra})
		}
		pipeline = append(pipeline, bson.M{"$group": bson.M{"_id": key, "v": bson.M{"$sum": expr}}})
		var out []struct {
			ID string `bson:"_id"`
			V  int64  `bson:"v"`
		}
		if err := run(what, pipeline, &out); err != nil {
			return nil, err
		}
		m := map[string]int64{}
		for _, o := range out {
			m[o.ID] = o.V
		}
		return m, nil
	}
	counts, err := group("customer orders", nil, "$customer_id", 1)
	if err != nil {
		return r, err
	}
	revenue, err := group("customer revenue", nil, "$customer_id", "$total")
	if err != nil {
		return r, err
	}
	for id, n := range counts {
		byCustomer = append(byCustomer, struct {
			ID      string `bson:"_id"`
			Name    string `bson:"name"`
			Orders  int    `bson:"orders"`
			Revenue int64  `bson:"revenue"`
			Cost    int64  `bson:"cost"`
			Costed  int64  `bson:"costed"`
		}{ID: id, Orders: int(n), Revenue: revenue[id]})
	}
	costedRev, err := group("customer costed revenue", costedOnly, "$customer_id", "$total")
	if err != nil {
		return r, err
	}
	costs, err := group("customer cost", costedOnly, "$customer_id", "$cost")
	if err != nil {
		return r, err
	}
	margin := map[string]int64{}
	for id, rev := range costedRev {
		margin[id] = rev - costs[id]
	}
	r.Buyers = len(byCustomer)
	var sales []store.CustomerSales
	for _, c := range byCustomer {
		if c.Orders > 1 {
			r.RepeatBuyers++
		}
		sales = append(sales, store.CustomerSales{CustomerID: c.ID, Name: c.Name, Orders: c.Orders, Revenue: c.Revenue, Margin: margin[c.ID]})
	}
	if err := db.customerNames(ctx, owner, sales); err != nil {
		return r, err
	}
	r.TopCustomers = topCustomers(sales, top, func(s store.CustomerSales) int64 { return s.Revenue })
	r.TopByMargin = topCustomers(sales, top, func(s store.CustomerSales) int64 { return s.Margin })

	items := func(what, field string) (map[string]int64, error) {
		var out []struct {
			ID string `bson:"_id"`
			V  int64  `bson:"v"`
		}
		if err := run(what, bson.A{match, bson.M{"$unwind": "$items"}, bson.M{"$group": bson.M{"_id": "$items.name", "v": bson.M{"$sum": field}}}}, &out); err != nil {
			return nil, err
		}
		m := map[string]int64{}
		for _, o := range out {
			m[o.ID] = o.V
		}
		return m, nil
	}
	qty, err := items("product quantities", "$items.qty")
	if err != nil {
		return r, err
	}
	amount, err := items("product revenue", "$items.amount")
	if err != nil {
		return r, err
	}
	cost, err := items("product cost", "$items.cost")
	if err != nil {
		return r, err
	}
	type productRow struct {
		Name          string
		Qty           int
		Revenue, Cost int64
	}
	var products []productRow
	for name, q := range qty {
		products = append(products, productRow{Name: name, Qty: int(q), Revenue: amount[name], Cost: cost[name]})
	}
	sort.Slice(products, func(i, j int) bool { return products[i].Name < products[j].Name })
	merged := map[string]*store.ProductSales{}
	var order []string
	for _, p := range products {
		k := strings.ToLower(p.Name)
		if merged[k] == nil {
			merged[k] = &store.ProductSales{Name: p.Name}
			order = append(order, k)
		}
		m := merged[k]
		m.Qty += p.Qty
		m.Revenue += p.Revenue
		if p.Cost > 0 {
			m.Margin += p.Revenue - p.Cost
		}
	}
	for _, k := range order {
		r.TopProducts = append(r.TopProducts, *merged[k])
	}
	sort.SliceStable(r.TopProducts, func(i, j int) bool {
		a, b := r.TopProducts[i], r.TopProducts[j]
		if a.Qty != b.Qty {
			return a.Qty > b.Qty
		}
		if a.Revenue != b.Revenue {
			return a.Revenue > b.Revenue
		}
		return a.Name < b.Name
	})
	if len(r.TopProducts) > top {
		r.TopProducts = r.TopProducts[:top]
	}

	n, err := db.customers.CountDocuments(ctx, bson.M{"owner": owner, "merged": false, "created_at": bson.M{"$gte": from, "$lt": to}})
	if err != nil {
		return r, fmt.Errorf("sales report: new customers: %w", err)
	}
	r.NewCustomers = int(n)
	followups := bson.M{"owner": owner, "kind": string(crm.KindFollowUp), "status": bson.M{"$ne": string(crm.Cancelled)}, "due": bson.M{"$gte": from, "$lt": to}}
	due, err := db.reminders.CountDocuments(ctx, followups)
	if err != nil {
		return r, fmt.Errorf("sales report: follow-ups: %w", err)
	}
	r.FollowUpsDue = int(due)
	done, _, err := list[crm.Reminder](ctx, db.reminders, bson.M{"owner": owner, "kind": string(crm.KindFollowUp), "status": string(crm.Done),
		"due": bson.M{"$gte": from, "$lt": to}}, bson.D{{Key: "due", Value: 1}}, 0, 100000)
	if err != nil {
		return r, fmt.Errorf("sales report: follow-ups: %w", err)
	}
	for _, rem := range done {
		if rem.DoneAt != nil && !rem.DoneAt.After(rem.Due.Add(24*time.Hour)) {
			r.FollowUpsOnTime++
		}
	}
	cur, err := db.customers.Aggregate(ctx, bson.A{
		bson.M{"$match": bson.M{"owner": owner, "archived": false, "complaints": bson.M{"$gt": 0}}},
		bson.M{"$group": bson.M{"_id": nil, "v": bson.M{"$sum": "$complaints"}}},
	})
	if err != nil {
		return r, fmt.Errorf("sales report: open complaints: %w", err)
	}
	defer cur.Close(ctx)
	var open []struct {
		V int `bson:"v"`
	}
	if err := cur.All(ctx, &open); err != nil {
		return r, fmt.Errorf("sales report: open complaints: %w", err)
	}
	if len(open) > 0 {
		r.OpenComplaints = open[0].V
	}
	return r, nil
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
		return out[i].CustomerID < out[j].CustomerID
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
	group := func(expr any) (map[string]int64, error) {
		cur, err := db.orders.Aggregate(ctx, bson.A{match, bson.M{"$group": bson.M{"_id": "$month", "v": bson.M{"$sum": expr}}}})
		if err != nil {
			return nil, err
		}
		defer cur.Close(ctx)
		var rows []struct {
			ID string `bson:"_id"`
			V  int64  `bson:"v"`
		}
		if err := cur.All(ctx, &rows); err != nil {
			return nil, err
		}
		m := map[string]int64{}
		for _, r := range rows {
			m[r.ID] = r.V
		}
		return m, nil
	}
	counts, err := group(1)
	if err != nil {
		return nil, fmt.Errorf("monthly sales: %w", err)
	}
	revenue, err := group("$total")
	if err != nil {
		return nil, fmt.Errorf("monthly sales: %w", err)
	}
	out := make([]store.MonthSales, 0, len(counts))
	for m, n := range counts {
		out = append(out, store.MonthSales{Month: m, Orders: int(n), Revenue: revenue[m]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Month < out[j].Month })
	return out, nil
}
