package mongo_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/mongo"
	"github.com/crmbot/crmbot/store/storetest"
)

var seq atomic.Int64

// TestConformance runs the store suite against the server in
// CRMBOT_TEST_MONGODB_URI, each test in a database of its own.
func TestConformance(t *testing.T) {
	uri := os.Getenv("CRMBOT_TEST_MONGODB_URI")
	if uri == "" {
		t.Skip("CRMBOT_TEST_MONGODB_URI is not set: skipping the MongoDB conformance suite")
	}
	storetest.RunTests(t, func(t *testing.T) store.Store {
		u, err := url.Parse(uri)
		if err != nil {
			t.Fatalf("CRMBOT_TEST_MONGODB_URI: %v", err)
		}
		u.Path = fmt.Sprintf("/crmbot_test_%d_%d", time.Now().UnixNano()%1e9, seq.Add(1))
		db, err := mongo.Open(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			// The suite closes db before this runs (cleanups run last
			// registered first): the database is dropped over a
			// connection of its own.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			d, err := mongo.Open(ctx, u.String())
			if err != nil {
				t.Logf("drop test database: %v", err)
				return
			}
			defer func() { _ = d.Close() }()
			if err := d.Drop(ctx); err != nil {
				t.Logf("drop test database: %v", err)
			}
		})
		return db
	})
}
