package bot_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// TestLeaseSweepTakesOverADeadReplicasChat: a replica took a chat's lease
// and died with her /ping pending in the shared inbox. A live replica
// starts, is refused the chat while the dead lease lasts, and answers her
// once it has expired, without her writing again.
func TestLeaseSweepTakesOverADeadReplicasChat(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	u := srv.User(42, "Dana", "en")
	dbPath := filepath.Join(t.TempDir(), "db")
	db, err := sqlite.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	body, err := json.Marshal(ping(900, u.ID))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := db.PutUpdates(ctx, []store.InboxEntry{{UpdateID: 900, ChatID: u.ID, Update: body, Received: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	const lease = 300 * time.Millisecond
	leasedAt := time.Now()
	if _, ok, err := db.NextUpdate(ctx, u.ID, "dead-replica", leasedAt, lease); err != nil || !ok {
		t.Fatalf("the dead replica's lease: ok=%v err=%v", ok, err)
	}

	var p pinger
	newTestBot(t, srv, dbPath, p.register, func(o *bot.Options) {
		o.LeaseHolder = "live-replica"
		o.LeaseSweep = 50 * time.Millisecond
	})
	m := u.WaitText(t, "pong 900")
	if since := time.Since(leasedAt); since < lease {
		t.Errorf("answered %v after the dead replica's lease was taken, before it expired (%v)", since, lease)
	}
	if n := len(u.Messages()); n != 1 {
		t.Errorf("she got %d messages, want the one answer %q", n, m.Text)
	}
	if p.times(900) != 1 {
		t.Errorf("update handled %d times, want once", p.times(900))
	}
}
