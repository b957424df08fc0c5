package mongo

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// TestReopenAddsMissingIndex: a database made by an older version lacks an
// index the new one declares; opening it creates that index alone.
func TestReopenAddsMissingIndex(t *testing.T) {
	uri, _ := ServerURIForTests()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_idx_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	const missing = "owner_1_email_1"
	if err := db.customers.Indexes().DropOne(ctx, missing); err != nil {
		t.Fatalf("drop %s: %v", missing, err)
	}
	if has, err := hasIndex(ctx, db, missing); err != nil || has {
		t.Fatalf("before reopen: has %s = %v, %v; want false", missing, has, err)
	}
	again, err := Open(ctx, u.String())
	if err != nil {
		t.Fatalf("reopen with a missing index: %v", err)
	}
	defer again.Close()
	if has, err := hasIndex(ctx, again, missing); err != nil || !has {
		t.Fatalf("after reopen: has %s = %v, %v; want true", missing, has, err)
	}
}

func hasIndex(ctx context.Context, db *DB, name string) (bool, error) {
	cur, err := db.customers.Indexes().List(ctx)
	if err != nil {
		return false, err
	}
	var idx []bson.M
	if err := cur.All(ctx, &idx); err != nil {
		return false, err
	}
	for _, i := range idx {
		if i["name"] == name {
			return true, nil
		}
	}
	return false, nil
}

// TestReopenDropsRetiredIndexes: a database made by an older version has
// indexes no query uses now; opening it drops them and keeps the rest.
func TestReopenDropsRetiredIndexes(t *testing.T) {
	uri, _ := ServerURIForTests()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_retired_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	old := mongo.IndexModel{Keys: bson.D{{Key: "status", Value: 1}, {Key: "pushed", Value: 1}, {Key: "due", Value: 1}}}
	if _, err := db.reminders.Indexes().CreateOne(ctx, old); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, u.String())
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	keys, err := indexKeys(ctx, again, "reminders")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if fmt.Sprint(k) == "[status pushed due]" {
			t.Fatalf("the retired index is still there: %v", keys)
		}
	}
	if fmt.Sprint(keys) == "" || len(keys) < 2 {
		t.Fatalf("indexes after reopen: %v", keys)
	}
}
