package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// The inbox job forgets updates handled more than a day ago and keeps
// those handled since, and every update not handled yet, however old.
func TestPruneInboxKeepsPendingAndRecent(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var es []store.InboxEntry
	for id := int64(1); id <= 3; id++ {
		es = append(es, store.InboxEntry{UpdateID: id, ChatID: 7, Update: []byte(`{}`), Received: now.Add(-72 * time.Hour)})
	}
	if _, err := db.PutUpdates(ctx, es); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id     int64
		doneAt time.Time
	}{
		{1, now.Add(-scheduler.InboxKeep - time.Minute)}, // pruned
		{2, now.Add(-time.Hour)},                         // kept: handled recently
		// 3 is pending since three days: kept
	}
	for _, tt := range tests {
		if err := db.DoneUpdate(ctx, tt.id, tt.doneAt); err != nil {
			t.Fatal(err)
		}
	}
	job := scheduler.PruneInbox(db, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := job(ctx); err != nil {
		t.Fatal(err)
	}
	// 1 is gone (stored anew, it is pending again); 2 is still there, done.
	got, err := db.PutUpdates(ctx, []store.InboxEntry{{UpdateID: 1, ChatID: 7, Update: []byte(`{}`), Received: now}, {UpdateID: 2, ChatID: 7, Update: []byte(`{}`), Received: now}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != 1 {
		t.Errorf("after the prune, pending among 1 and 2 stored again: %v, want [1]", got)
	}
	pending, err := db.PendingUpdates(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || pending[0].UpdateID != 1 || pending[1].UpdateID != 3 {
		t.Errorf("pending after the prune: %+v, want 1 (stored again) and 3", pending)
	}
}
