package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/storetest"
)

// The client-book benchmarks run on 500,000 customers of 1,000 consultants.
// go test ./store/sqlite -run '^$' -bench . -benchtime 2000x
const (
	benchOwners   = 1000
	benchPerOwner = 500
)

// seeded opens a database with the benchmark's customers, seeding it once
// per machine in the temp dir (it takes a while).
func seeded(b *testing.B) *DB {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	for o := int64(1); o <= benchOwners; o++ {
		err := db.tx(ctx, func(tx *sql.Tx) error {
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO customers
				(owner, id, doc, search, sort_name, tags, phone, email, archived, last_order_at, created_at,
				 bday, order_statuses, pay_statuses, merged, sort_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := 0; i < benchPerOwner; i++ {
				c := storetest.BenchCustomer(o, i, rng)
				r, err := encodeCustomer(&c)
				if err != nil {
					return err
				}
				if _, err := stmt.ExecContext(ctx, c.Owner, c.ID, r.doc, r.search, r.sortName, r.tags, r.phone, r.email,
					r.archived, r.lastOrder, r.created, r.bday, r.orderStatuses, r.payStatuses, r.merged, r.sortKey); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil || n != benchOwners*benchPerOwner {
		b.Fatalf("seeded %d customers (%v), want %d", n, err, benchOwners*benchPerOwner)
	}
	b.Logf("seeded %d customers in %v", n, time.Since(start).Round(time.Second))
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkClientBook(b *testing.B) {
	storetest.ClientBook(b, seeded(b), benchOwners, benchPerOwner)
}

// BenchmarkOrderList lists 1,000 orders of one consultant (among 50
// consultants' 50,000) with a filter, a page of 10 with the total.
func BenchmarkOrderList(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "orders.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(11, 12))
	statuses := crm.OrderStatuses
	for owner := int64(1); owner <= 50; owner++ {
		err := db.tx(ctx, func(tx *sql.Tx) error {
			for i := 1; i <= 1000; i++ {
				at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Hour)
				o := crm.Order{ID: fmt.Sprintf("%d-%d", owner, i), Owner: owner, Number: i, CustomerID: fmt.Sprint("c", rng.IntN(300)),
					CustomerName: "Айгерим", Status: statuses[rng.IntN(len(statuses))], Month: crm.MonthOf(at, time.UTC), CreatedAt: at, UpdatedAt: at}
				for k := range 1 + rng.IntN(6) {
					o.Items = append(o.Items, crm.Item{Name: fmt.Sprint("Товар ", k), Qty: 1 + rng.IntN(3), Price: int64(1000+rng.IntN(20000)) * 100})
				}
				if rng.IntN(2) == 0 {
					o.Payments = []crm.Payment{{ID: "p", Amount: o.Total() / int64(1+rng.IntN(2)), Method: crm.Cash, At: at}}
				}
				r, err := encodeOrder(&o)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO orders (owner, id, number, customer_id, status, pay_status,
					total, paid, cost, archived, created_at, year_month, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					o.Owner, o.ID, r.number, r.customer, r.status, r.payStatus, r.total, r.paid, r.cost, r.archived, r.created, r.yearMonth, r.doc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	filters := []store.OrderFilter{
		{Status: crm.StatusDelivered}, {PaymentStatus: crm.Unpaid}, {CustomerID: "c7"},
		{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{Status: crm.StatusProcessed, PaymentStatus: crm.PartiallyPaid, Offset: 20},
	}
	var lat storetest.Latencies
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		if _, _, err := db.ListOrders(ctx, int64(1+i%50), filters[i%len(filters)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	lat.Report(b)
}

// BenchmarkSalesReport: a year's report (the figures and the months of the
// revenue chart) over 5,000 customers and 50,000 orders of one consultant,
// aggregated in SQL. It fails when the median report takes 200 ms or more.
//
//	go test ./store/sqlite -run '^$' -bench SalesReport -benchtime 20x
func BenchmarkSalesReport(b *testing.B) {
	db := seedBook(b)
	ctx := context.Background()
	from, to := bookStart, bookStart.AddDate(1, 0, 0)
	var lat storetest.Latencies
	for b.Loop() {
		t := time.Now()
		rep, err := db.SalesReport(ctx, 1, from, to, 5)
		if err != nil || rep.Orders == 0 {
			b.Fatal(rep.Orders, err)
		}
		if _, err := db.MonthlySales(ctx, 1, "2026-01", "2026-12"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	lat.Report(b)
	budget(b, lat, reportBudget)
}
