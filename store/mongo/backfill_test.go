package mongo

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/crmbot/crmbot/crm"
)

// TestBackfillRunsOnce: a reminder an older version stored without its
// due_key gets it at the next open; once the backfill has run to the end, a
// restart does not scan for such documents again.
func TestBackfillRunsOnce(t *testing.T) {
	uri, _ := ServerURIForTests()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_backfill_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	at := time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)
	if err := db.CreateReminder(ctx, crm.Reminder{ID: "r1", Owner: 7, Kind: crm.KindManual, Text: "позвонить", Due: at, Status: crm.Pending, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	hasDueKey := func() bool {
		t.Helper()
		n, err := db.reminders.CountDocuments(ctx, bson.M{"_id": key(7, "r1"), "due_key": bson.M{"$exists": true}})
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	unsetDueKey := func() {
		t.Helper()
		if _, err := db.reminders.UpdateOne(ctx, bson.M{"_id": key(7, "r1")}, bson.M{"$unset": bson.M{"due_key": ""}}); err != nil {
			t.Fatal(err)
		}
	}
	reopen := func() {
		t.Helper()
		again, err := Open(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		if err := again.Close(); err != nil {
			t.Fatal(err)
		}
	}

	unsetDueKey() // as an older version left it, and no backfill recorded
	if _, err := db.db.Collection("meta").DeleteOne(ctx, bson.M{"_id": "backfill"}); err != nil {
		t.Fatal(err)
	}
	reopen()
	if !hasDueKey() {
		t.Fatal("the backfill did not give the older reminder its due_key")
	}
	unsetDueKey() // the backfill is recorded: a restart leaves the collections alone
	reopen()
	if hasDueKey() {
		t.Fatal("a restart after a finished backfill scanned the reminders again")
	}
}
