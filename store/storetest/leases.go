package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
)

// testChatLeases: a chat's pending updates go, oldest first, only to the
// process holding its lease; other chats are free meanwhile; an expired
// lease passes to another process, which then takes what is still pending;
// a chat with nothing pending lets its lease go; only expired leases are
// pruned. (Two processes racing for one lease is proven on SQLite by the
// root package's replica test; FerretDB cannot prove atomicity.)
func testChatLeases(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.PutUpdates(ctx, []store.InboxEntry{entry(21, 7), entry(20, 7), entry(22, 8)})
	must(t, "put", err)
	next := func(chat int64, holder string, at time.Time, want int64) {
		t.Helper()
		e, ok, err := s.NextUpdate(ctx, chat, holder, at, time.Minute)
		must(t, "next update", err)
		switch {
		case want == 0 && ok:
			t.Fatalf("%s got update %d of chat %d, want none", holder, e.UpdateID, chat)
		case want != 0 && !ok:
			t.Fatalf("%s got nothing of chat %d, want update %d", holder, chat, want)
		case want != 0 && (e.UpdateID != want || e.ChatID != chat || string(e.Update) != string(entry(want, chat).Update)):
			t.Fatalf("%s got %+v of chat %d, want update %d", holder, e, chat, want)
		}
	}
	next(7, "a", now, 20)
	next(7, "b", now, 0)  // a holds chat 7
	next(8, "b", now, 22) // other chats are free
	next(7, "a", now, 20) // not done yet: the same one again
	must(t, "done", s.DoneUpdate(ctx, 20, now))
	next(7, "a", now.Add(time.Second), 21)

	// a stops answering: its lease runs out and b takes what is pending.
	later := now.Add(2 * time.Minute)
	next(7, "b", later, 21)
	next(7, "a", later, 0)
	must(t, "done", s.DoneUpdate(ctx, 21, later))
	next(7, "b", later, 0) // nothing pending: b lets chat 7 go
	_, err = s.PutUpdates(ctx, []store.InboxEntry{entry(23, 7)})
	must(t, "put", err)
	next(7, "a", later, 23)

	// Releasing is the holder's alone.
	must(t, "release", s.ReleaseChat(ctx, 7, "b"))
	next(7, "b", later, 0)
	must(t, "release", s.ReleaseChat(ctx, 7, "a"))
	next(7, "b", later, 23)

	// b's lease of chat 8 ran out at now+1m, of chat 7 runs until later+1m.
	n, err := s.PruneLeases(ctx, later.Add(30*time.Second))
	must(t, "prune leases", err)
	if n != 1 {
		t.Fatalf("pruned %d leases, want 1 (chat 8's)", n)
	}
	next(7, "a", later.Add(30*time.Second), 0) // b's live lease was kept
}
