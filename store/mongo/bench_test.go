package mongo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// BenchmarkClientBook is the SQLite client-book benchmark on MongoDB: a
// consultant's search, opening a card (the customer and her newest
// event) and adding a customer (duplicate check, insert, event), among
// CRMBOT_BENCH_OWNERS consultants with 500 customers each (default 1,000
// consultants: 500,000 customers). It needs a server:
//
//	CRMBOT_TEST_MONGODB_URI=mongodb://127.0.0.1:27017/ go test ./store/mongo -run '^$' -bench ClientBook -benchtime 200x
func BenchmarkClientBook(b *testing.B) {
	uri := os.Getenv("CRMBOT_TEST_MONGODB_URI")
	if uri == "" {
		b.Skip("CRMBOT_TEST_MONGODB_URI is not set: skipping the MongoDB benchmark")
	}
	owners := 1000
	if n, err := strconv.Atoi(os.Getenv("CRMBOT_BENCH_OWNERS")); err == nil && n > 0 {
		owners = n
	}
	const perOwner = 500
	db := seedMongo(b, uri, owners, perOwner)
	ctx := context.Background()
	queries := []string{"айгерим", "қасым", "7015", "timewise", "ким ольга", "8 701 2"}
	b.Run("Search", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(3, 4))
		var lat latencies
		for i := 0; b.Loop(); i++ {
			owner := int64(1 + rng.IntN(owners))
			t := time.Now()
			if _, _, err := db.ListCustomers(ctx, owner, store.CustomerFilter{Query: queries[i%len(queries)], Limit: 10}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.report(b)
	})
	b.Run("OpenCard", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(5, 6))
		var lat latencies
		for b.Loop() {
			owner := int64(1 + rng.IntN(owners))
			id := fmt.Sprintf("%08x%08x", owner, rng.IntN(perOwner))
			t := time.Now()
			if _, err := db.GetCustomer(ctx, owner, id); err != nil {
				b.Fatal(err)
			}
			if _, _, err := db.ListEvents(ctx, owner, id, 0, 1); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.report(b)
	})
	b.Run("Add", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(7, 8))
		var lat latencies
		for i := 0; b.Loop(); i++ {
			owner := int64(1 + rng.IntN(owners))
			c := benchCustomer(owner, perOwner+i, rng)
			c.ID = crm.NewID()
			t := time.Now()
			if _, err := db.FindDuplicates(ctx, owner, c); err != nil {
				b.Fatal(err)
			}
			if err := db.CreateCustomer(ctx, c); err != nil {
				b.Fatal(err)
			}
			if err := db.AddEvent(ctx, crm.Event{ID: crm.NewID(), Owner: owner, CustomerID: c.ID, Kind: crm.EventCreated, At: c.CreatedAt}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.report(b)
	})
}

var benchFirst = []string{"Айгерим", "Әлия", "Жанна", "Гүлнар", "Ольга", "Мария", "Дана", "Салтанат", "Ұлжан", "Индира", "Светлана", "Камила"}
var benchLast = []string{"Нурланова", "Қасымова", "Ким", "Сейткали", "Петрова", "Иванова", "Ахметова", "Өтемісова", "Жумабаева", "Ли", "Смагулова"}

// benchCustomer is the i-th customer of owner, the same mix as the SQLite
// benchmark's: a third of them with orders.
func benchCustomer(owner int64, i int, rng *rand.Rand) crm.Customer {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	c := crm.Customer{
		ID: fmt.Sprintf("%08x%08x", owner, i), Owner: owner,
		FirstName: benchFirst[rng.IntN(len(benchFirst))], LastName: benchLast[rng.IntN(len(benchLast))],
		Phone:    fmt.Sprintf("+7701%07d", rng.IntN(10_000_000)),
		Birthday: crm.Date{Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
		Notes:    "Сухая кожа, любит TimeWise", Tags: []string{"VIP"}, CreatedAt: now, UpdatedAt: now,
	}
	if i%3 == 0 {
		t := now.AddDate(0, 0, rng.IntN(300))
		c.Totals = crm.CustomerTotals{Orders: 1 + rng.IntN(9), Revenue: int64(rng.IntN(500000)) * 100, LastOrderAt: &t,
			Products: []string{"Крем TimeWise 3D", "Тушь Lash Love"}}
	}
	return c
}

// seedMongo fills a fresh database with owners × perOwner customers in
// bulk inserts and drops it when the benchmark ends.
func seedMongo(b *testing.B, uri string, owners, perOwner int) *DB {
	b.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		b.Fatalf("CRMBOT_TEST_MONGODB_URI: %v", err)
	}
	u.Path = fmt.Sprintf("/crmbot_bench_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = db.Drop(context.Background())
		_ = db.Close()
	})
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	for o := int64(1); o <= int64(owners); o++ {
		docs := make([]any, 0, perOwner)
		for i := range perOwner {
			c := benchCustomer(o, i, rng)
			normCustomer(&c)
			docs = append(docs, document(c.Owner, c.ID, 1, c, customerKeys(&c)))
		}
		if _, err := db.customers.InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d customers in %v", owners*perOwner, time.Since(start).Round(time.Second))
	return db
}

// latencies collects per-operation times and reports p50 and p99.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	p := func(q float64) float64 { return float64(l[int(q*float64(len(l)-1))].Microseconds()) / 1000 }
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}
