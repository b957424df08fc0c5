package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestItemDaysMatchLines: after orders are created, edited (lines
// changed, moved in time, cancelled, archived) the daily counters equal
// the counted lines summed by day, and the top products of periods that
// start mid-day in UTC (Almaty, Kathmandu's +05:45, part of an hour) or at UTC midnight equal
// those summed from the lines themselves.
func TestItemDaysMatchLines(t *testing.T) {
	ctx := context.Background()
	path := "sqlite:" + filepath.Join(t.TempDir(), "days.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	rng := rand.New(rand.NewPCG(7, 8))
	names := []string{"Крем", "крем", "Тушь", "Помада", "Тоник"}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		at := start.Add(time.Duration(rng.IntN(10*24*60)) * time.Minute)
		o := crm.Order{ID: fmt.Sprint("o", i), Owner: 1 + int64(i%2), Number: i + 1, CustomerID: fmt.Sprint("c", i%7),
			Status: crm.StatusProcessed, Month: crm.MonthOf(at, time.UTC), CreatedAt: at, UpdatedAt: at}
		for range 1 + rng.IntN(3) {
			o.Items = append(o.Items, crm.Item{Name: names[rng.IntN(len(names))], Qty: 1 + rng.IntN(3), Price: 1000, Cost: int64(rng.IntN(2)) * 400})
		}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 200; i += 3 {
		_, err := db.UpdateOrder(ctx, 1+int64(i%2), fmt.Sprint("o", i), func(o *crm.Order) error {
			switch i % 4 {
			case 0:
				o.Items = o.Items[:1]
				o.Items[0].Qty++
			case 1:
				o.CreatedAt = o.CreatedAt.Add(95 * time.Minute)
			case 2:
				o.Status = crm.StatusCancelled
			default:
				o.Archived = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sums := func(q string) [][6]int64 {
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][6]int64
		for rows.Next() {
			var r [6]int64
			var key string
			if err := rows.Scan(&r[0], &r[1], &key, &r[2], &r[3], &r[4]); err != nil {
				t.Fatal(err)
			}
			r[5] = int64(len(key))
			out = append(out, r)
		}
		return out
	}
	kept := sums(`SELECT owner, day, name_key, lines, qty, amount FROM item_days ORDER BY 1, 2, 3`)
	lines := sums(`SELECT owner, created_at / 86400000, name_key, count(*), sum(qty), sum(amount) FROM order_items WHERE counted = 1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
	if len(lines) == 0 || !slices.Equal(kept, lines) {
		t.Fatalf("item_days:\n%v\nthe lines summed by day:\n%v", kept, lines)
	}
	// A database from before 0030–0032 (these orders written without
	// the counters and indexes) gets them back-filled when opened.
	for _, q := range []string{`DROP TRIGGER item_days_insert`, `DROP TRIGGER item_days_delete`, `DROP TRIGGER item_days_update_old`,
		`DROP TRIGGER item_days_update_new`, `DROP TABLE item_days`, `DROP INDEX orders_by_customer`, `DROP INDEX IF EXISTS customers_sort_search`,
		`DROP INDEX customers_last_order`, `DELETE FROM schema_migrations WHERE version IN ('migrations/0030_book_scale.sql', 'migrations/0031_item_hours.sql', 'migrations/0032_item_days.sql')`} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	if again := sums(`SELECT owner, day, name_key, lines, qty, amount FROM item_days ORDER BY 1, 2, 3`); !slices.Equal(again, lines) {
		t.Fatalf("item_days back-filled:\n%v\nthe lines summed by day:\n%v", again, lines)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('orders_by_customer', 'customers_sort_search', 'customers_last_order')`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("indexes of 0030 after re-opening: %d (%v), want 3", n, err)
	}
	almaty, _ := time.LoadLocation("Asia/Almaty")
	kathmandu, _ := time.LoadLocation("Asia/Kathmandu")
	periods := [][2]time.Time{
		{time.Date(2026, 3, 2, 0, 0, 0, 0, almaty), time.Date(2026, 3, 3, 0, 0, 0, 0, almaty)},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, kathmandu), time.Date(2026, 3, 3, 0, 0, 0, 0, kathmandu)},
		{start.Add(10*time.Hour + 5*time.Minute), start.Add(10*time.Hour + 50*time.Minute)},
		{start.Add(-time.Hour), start.AddDate(0, 0, 5)},
		{start.AddDate(0, 0, 2), start.AddDate(0, 0, 7)},
	}
	nonEmpty := 0
	for _, pr := range periods {
		for owner := int64(1); owner <= 2; owner++ {
			p := period{owner: owner, args: []any{owner, ms(pr[0]), ms(pr[1])}, top: 10}
			var got store.SalesReport
			if err := db.reportProducts(ctx, p, &got); err != nil {
				t.Fatal(err)
			}
			want := linesTop(t, db, p)
			nonEmpty += min(len(want), 1)
			if !slices.Equal(got.TopProducts, want) {
				t.Errorf("owner %d, %v–%v: top products\n%v\nfrom the lines\n%v", owner, pr[0], pr[1], got.TopProducts, want)
			}
		}
	}
	if nonEmpty < 8 {
		t.Fatalf("only %d of 10 periods sold anything: the comparison proves little", nonEmpty)
	}
}

// linesTop is the period's top products summed from the lines alone.
func linesTop(t *testing.T, db *DB, p period) []store.ProductSales {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), `SELECT min(name), sum(qty), sum(amount), sum(margin) FROM order_items
		WHERE owner = ? AND counted = 1 AND created_at >= ? AND created_at < ? GROUP BY name_key ORDER BY 2 DESC, 3 DESC, 1 LIMIT ?`,
		append(slices.Clone(p.args), p.top)...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []store.ProductSales
	for rows.Next() {
		var s store.ProductSales
		if err := rows.Scan(&s.Name, &s.Qty, &s.Revenue, &s.Margin); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
