package mongo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store/storetest"
)

// BenchmarkClientBook is the client-book benchmark SQLite runs
// (storetest.ClientBook: search, open a card, add a customer, birthdays)
// on MongoDB, among CRMBOT_BENCH_OWNERS consultants with 500 customers
// each (default 1,000 consultants: 500,000 customers). It needs a server:
//
//	CRMBOT_TEST_MONGODB_URI=mongodb://127.0.0.1:27017/ go test ./store/mongo -run '^$' -bench ClientBook -benchtime 200x
func BenchmarkClientBook(b *testing.B) {
	uri, server := ServerURIForTests()
	b.Logf("MongoDB client-book benchmark on %s", server)
	owners := 1000
	if n, err := strconv.Atoi(os.Getenv("CRMBOT_BENCH_OWNERS")); err == nil && n > 0 {
		owners = n
	}
	const perOwner = 500
	storetest.ClientBook(b, seedMongo(b, uri, owners, perOwner), owners, perOwner)
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
			c := storetest.BenchCustomer(o, i, rng)
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
