package mongo_test

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/mongo"
	"github.com/crmbot/crmbot/store/storetest"
)

var seq atomic.Int64

// TestConformance runs the store suite against the server in
// CRMBOT_TEST_MONGODB_URI (or the embedded FerretDB without it), each test
// in a database of its own.
func TestConformance(t *testing.T) {
	_, server := mongo.ServerURIForTests()
	t.Logf("MongoDB conformance suite on %s", server)
	storetest.RunTests(t, func(t *testing.T) store.Store {
		uri := freshDatabase(t)
		db, err := mongo.Open(context.Background(), uri)
		if err != nil {
			t.Fatal(err)
		}
		dropAtEnd(t, uri)
		return db
	})
}

// TestReopenExistingDatabase: the bot restarts on the database it left.
// FerretDB 1.24 crashed on one createIndexes call carrying several
// indexes that already exist, so a second start failed with "connection
// closed".
func TestReopenExistingDatabase(t *testing.T) {
	uri := freshDatabase(t)
	ctx := context.Background()
	first, err := mongo.Open(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	c := crm.Customer{ID: "c1", Owner: 7, FirstName: "Айгерим", Phone: "+77015554433"}
	if err := first.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	dropAtEnd(t, uri)
	for i := range 2 {
		again, err := mongo.Open(ctx, uri)
		if err != nil {
			t.Fatalf("open #%d on the existing database: %v", i+2, err)
		}
		got, err := again.GetCustomer(ctx, 7, "c1")
		if err != nil || got.FirstName != "Айгерим" {
			t.Fatalf("customer after reopen #%d: %+v, %v", i+2, got, err)
		}
		if err := again.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// freshDatabase is the server's URI with a new, randomly named database.
func freshDatabase(t *testing.T) string {
	t.Helper()
	uri, _ := mongo.ServerURIForTests()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("CRMBOT_TEST_MONGODB_URI: %v", err)
	}
	u.Path = fmt.Sprintf("/crmbot_test_%d_%d", time.Now().UnixNano()%1e9, seq.Add(1))
	return u.String()
}

// dropAtEnd drops the database at uri when the test ends, over a
// connection of its own: the suite closes its store before cleanups run.
func dropAtEnd(t *testing.T, uri string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		d, err := mongo.Open(ctx, uri)
		if err != nil {
			t.Logf("drop test database: %v", err)
			return
		}
		defer func() { _ = d.Close() }()
		if err := d.Drop(ctx); err != nil {
			t.Logf("drop test database: %v", err)
		}
	})
}
