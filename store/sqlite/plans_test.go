package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestScalePlans: the queries of a big book read the indexes made for
// them (migrations 0030, 0040), so a change cannot silently lose one: a
// search ranks and counts its matches in one pass over customers_sort_rank
// alone (only the page's documents are then read), a walk by last
// order seeks customers_last_order without sorting and reads those who
// never ordered from customers_sort_rank (0064), birthday and complaint
// filters read the partial indexes of 0065, and the report sums
// its buyers from customer_years (0067) and customer_months (0055)
// without a temporary B-tree and
// counts new customers from customers_created alone (0056).
func TestScalePlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	search := store.CustomerFilter{Query: "айгерим"}
	where, args := customerWhere(1, search)
	cond := strings.Join(where, " AND ")
	rank, _ := store.RankQuery(search.Query)
	ranked, rankedArgs := rankedQuery(cond, args, rank)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	lastAfter := store.CustomerFilter{SortBy: "last_order", After: &store.CustomerCursor{SortKey: "k", ID: "i", LastOrderAt: &at}}
	lw, la := customerWhere(1, lastAfter)
	pages := customerPages(strings.Join(lw, " AND "), la, lastAfter)
	byLast := store.CustomerFilter{SortBy: "last_order"}
	fw, fa := customerWhere(1, byLast)
	first := customerPages(strings.Join(fw, " AND "), fa, byLast)
	cond1 := func(f store.CustomerFilter) (string, []any) {
		w, a := customerWhere(1, f)
		return strings.Join(w, " AND "), a
	}
	bdayCond, bdayArgs := cond1(store.CustomerFilter{Birthday: &crm.MonthDayRange{From: "0301", To: "0307"}})
	wrapCond, wrapArgs := cond1(store.CustomerFilter{Birthday: &crm.MonthDayRange{From: "1228", To: "0103"}})
	complCond, complArgs := cond1(store.CustomerFilter{OpenComplaints: true})
	nameAfter := store.CustomerFilter{After: &store.CustomerCursor{SortKey: "k", ID: "i"}}
	nw, na := customerWhere(1, nameAfter)
	byName := customerPages(strings.Join(nw, " AND "), na, nameAfter)[0]
	cases := []struct {
		name, query string
		args        []any
		want        []string
		not         []string
	}{
		{"search count", `SELECT count(*) FROM customers WHERE ` + cond, args,
			[]string{"USING COVERING INDEX customers_sort_rank"}, nil},
		{"search page", ranked, rankedArgs,
			[]string{"USING COVERING INDEX customers_sort_rank"}, nil}, // the B-tree sorts the name matches only
		{"list page", `SELECT doc FROM customers WHERE owner = ? AND archived = ? ORDER BY sort_key, id LIMIT 10`, []any{1, 0},
			[]string{"USING INDEX customers_sort_rank"}, []string{"TEMP B-TREE"}},
		{"birthdays counted", `SELECT count(*) FROM customers WHERE ` + bdayCond, bdayArgs,
			[]string{"USING COVERING INDEX customers_bday"}, nil},
		{"birthdays across new year counted", `SELECT count(*) FROM customers WHERE ` + wrapCond, wrapArgs,
			[]string{"USING COVERING INDEX customers_bday"}, nil},
		{"birthdays page", `SELECT doc FROM customers WHERE ` + bdayCond + ` ORDER BY sort_key, id LIMIT 10`, bdayArgs,
			[]string{"USING INDEX customers_bday"}, nil},
		{"open complaints", `SELECT count(*) FROM customers WHERE ` + complCond, complArgs,
			[]string{"USING INDEX customers_complaints"}, nil},
		{"report's open complaints", `SELECT coalesce(sum(complaints), 0) FROM customers WHERE owner = ? AND archived = 0 AND complaints > 0`, []any{1},
			[]string{"USING INDEX customers_complaints"}, nil},
		{"walk by name", `SELECT doc FROM customers WHERE ` + byName.cond + ` ORDER BY ` + byName.order + ` LIMIT 10`, byName.args,
			[]string{"USING INDEX customers_sort_rank", "sort_key>?"}, []string{"TEMP B-TREE"}},
		{"last-order list", `SELECT doc FROM customers WHERE ` + first[0].cond + ` ORDER BY ` + first[0].order + ` LIMIT 10`, first[0].args,
			[]string{"USING INDEX customers_last_order"}, []string{"TEMP B-TREE"}},
		{"walk by last order", `SELECT doc FROM customers WHERE ` + pages[0].cond + ` ORDER BY ` + pages[0].order + ` LIMIT 10`, pages[0].args,
			[]string{"USING INDEX customers_last_order", "last_order_at<?"}, []string{"TEMP B-TREE"}},
		{"walk by last order, never ordered", `SELECT doc FROM customers WHERE ` + pages[1].cond + ` ORDER BY ` + pages[1].order + ` LIMIT 10`, pages[1].args,
			[]string{"USING INDEX customers_sort_rank"}, []string{"TEMP B-TREE"}},
		{"report by customer and year", customerYear, []any{1, 0},
			[]string{"SEARCH customer_years USING PRIMARY KEY (owner=? AND year=?)"}, []string{"TEMP B-TREE"}},
		{"report by customer and month", customerMonths, []any{1, 0, 1},
			[]string{"SEARCH customer_months USING COVERING INDEX customer_months_by_month (owner=? AND month>? AND month<?)"}, []string{"TEMP B-TREE"}},
		{"report's edge orders", edgeOrders, []any{1, 0, 1},
			[]string{"USING COVERING INDEX orders_list (owner=? AND archived=? AND created_at>? AND created_at<?)"}, nil},
		{"a customer's orders counted", `SELECT count(*) FROM orders WHERE owner = ? AND archived = ? AND customer_id = ?`, []any{1, 0, "c"},
			[]string{"USING COVERING INDEX orders_by_customer (owner=? AND archived=? AND customer_id=?)"}, nil},
		{"new customers", `SELECT count(*) FROM customers INDEXED BY customers_created WHERE owner = ? AND archived IN (0, 1) AND merged = 0 AND created_at >= ? AND created_at < ?`,
			[]any{1, 0, 1}, []string{"USING COVERING INDEX customers_created"}, nil},
		{"products' whole days", `SELECT name_key, sum(qty) FROM item_days WHERE owner = ? AND day >= ? AND day < ? GROUP BY name_key`,
			[]any{1, 0, 1}, []string{"SEARCH item_days USING PRIMARY KEY (owner=? AND day>? AND day<?)"}, nil},
		{"products' edge lines", edgeLines, []any{1, 1, 0, 1, 0, 1},
			[]string{"USING COVERING INDEX order_items_sales (owner=? AND counted=? AND name_key=? AND created_at>? AND created_at<?)"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := db.read.QueryContext(ctx, `EXPLAIN QUERY PLAN `+c.query, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "\n")
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("plan lacks %q:\n%s", w, all)
				}
			}
			for _, n := range c.not {
				if strings.Contains(all, n) {
					t.Errorf("plan has %q:\n%s", n, all)
				}
			}
			t.Logf("%s:\n%s", c.name, all)
		})
	}
}
