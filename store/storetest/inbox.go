package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
)

func entry(id, chat int64) store.InboxEntry {
	return store.InboxEntry{UpdateID: id, ChatID: chat, Update: []byte(fmt.Sprintf(`{"update_id":%d}`, id)), Received: now}
}

func pendingIDs(t *testing.T, s store.Store, after int64, limit int) []int64 {
	t.Helper()
	got, err := s.PendingUpdates(context.Background(), after, limit)
	must(t, "pending updates", err)
	var ids []int64
	for _, e := range got {
		ids = append(ids, e.UpdateID)
	}
	return ids
}

// testInbox: updates come back pending in update-id order (each chat's in
// the order it sent them) with what was stored, across pages; a stored id
// is stored once; done entries are never pending again, not even when
// Telegram delivers them anew, and only they are pruned.
func testInbox(t *testing.T, s store.Store) {
	ctx := context.Background()
	got, err := s.PutUpdates(ctx, []store.InboxEntry{entry(12, 7), entry(10, 7), entry(11, 8)})
	must(t, "put", err)
	if fmt.Sprint(got) != "[12 10 11]" {
		t.Fatalf("put returned pending %v, want [12 10 11]", got)
	}
	// A redelivery (a crash before the offset was confirmed) and a batch
	// that repeats an id store each once.
	got, err = s.PutUpdates(ctx, []store.InboxEntry{entry(11, 8), entry(13, 8), entry(13, 8)})
	must(t, "put again", err)
	if fmt.Sprint(got) != "[11 13]" {
		t.Fatalf("put again returned pending %v, want [11 13]", got)
	}
	if got, err := s.PutUpdates(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("put nothing: %v, %v", got, err)
	}

	all, err := s.PendingUpdates(ctx, 0, 10)
	must(t, "pending", err)
	if len(all) != 4 {
		t.Fatalf("%d pending, want 4: %+v", len(all), all)
	}
	for i, want := range []store.InboxEntry{entry(10, 7), entry(11, 8), entry(12, 7), entry(13, 8)} {
		e := all[i]
		if e.UpdateID != want.UpdateID || e.ChatID != want.ChatID || string(e.Update) != string(want.Update) || !e.Received.Equal(store.NormTime(now)) {
			t.Errorf("pending #%d = %+v (update %s), want %+v (update %s)", i, e, e.Update, want, want.Update)
		}
	}
	if ids := pendingIDs(t, s, 10, 2); fmt.Sprint(ids) != "[11 12]" {
		t.Fatalf("page after 10: %v, want [11 12]", ids)
	}
	if ids := pendingIDs(t, s, 12, 2); fmt.Sprint(ids) != "[13]" {
		t.Fatalf("page after 12: %v, want [13]", ids)
	}

	// Handled (a crash after this must not bring them back).
	must(t, "done 10", s.DoneUpdate(ctx, 10, now))
	must(t, "done 12", s.DoneUpdate(ctx, 12, now.Add(2*time.Hour)))
	must(t, "done 10 again", s.DoneUpdate(ctx, 10, now.Add(time.Hour)))
	must(t, "done unknown", s.DoneUpdate(ctx, 999, now))
	if ids := pendingIDs(t, s, 0, 10); fmt.Sprint(ids) != "[11 13]" {
		t.Fatalf("pending after done: %v, want [11 13]", ids)
	}
	got, err = s.PutUpdates(ctx, []store.InboxEntry{entry(10, 7), entry(14, 7)})
	must(t, "put a done one again", err)
	if fmt.Sprint(got) != "[14]" {
		t.Fatalf("a done update delivered again came back pending: %v, want [14]", got)
	}

	// Prune forgets what was done before the cut (10, marked at now, not
	// moved by the second mark), keeps what was done after and every
	// pending entry, however old.
	n, err := s.PruneInbox(ctx, now.Add(time.Hour))
	must(t, "prune", err)
	if n != 1 {
		t.Fatalf("pruned %d, want 1", n)
	}
	if ids := pendingIDs(t, s, 0, 10); fmt.Sprint(ids) != "[11 13 14]" {
		t.Fatalf("pending after prune: %v, want [11 13 14]", ids)
	}
	got, err = s.PutUpdates(ctx, []store.InboxEntry{entry(12, 7)})
	must(t, "put 12 after prune", err)
	if len(got) != 0 {
		t.Fatalf("update 12, done and not pruned, came back pending: %v", got)
	}
	n, err = s.PruneInbox(ctx, now.Add(3*time.Hour))
	must(t, "prune all done", err)
	if n != 1 {
		t.Fatalf("second prune removed %d, want 1 (update 12)", n)
	}
	if ids := pendingIDs(t, s, 0, 10); fmt.Sprint(ids) != "[11 13 14]" {
		t.Fatalf("a prune removed pending updates: %v", ids)
	}
}

// testFinishUpdate: finishing an update claims it and takes its entry out
// of the pending ones in one call; finishing it again, or one claimed
// before or never stored, is no error and changes nothing else.
func testFinishUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.PutUpdates(ctx, []store.InboxEntry{entry(40, 9), entry(41, 9), entry(42, 9)})
	must(t, "put", err)
	exp := now.Add(time.Hour)
	must(t, "finish 40", s.FinishUpdate(ctx, 40, exp, now))
	must(t, "claim 41", s.ClaimUpdate(ctx, 41, exp))
	must(t, "finish 41 claimed before", s.FinishUpdate(ctx, 41, exp, now))
	must(t, "finish 40 again", s.FinishUpdate(ctx, 40, exp, now.Add(time.Minute)))
	must(t, "finish 43 never stored", s.FinishUpdate(ctx, 43, exp, now))
	for _, id := range []int64{40, 41, 43} {
		if seen, err := s.UpdateHandled(ctx, id); err != nil || !seen {
			t.Fatalf("update %d handled %v (%v) after finish", id, seen, err)
		}
	}
	if seen, err := s.UpdateHandled(ctx, 42); err != nil || seen {
		t.Fatalf("update 42 handled %v (%v), never finished", seen, err)
	}
	if got := fmt.Sprint(pendingIDs(t, s, 39, 10)); got != "[42]" {
		t.Fatalf("pending after finishing 40 and 41: %s, want [42]", got)
	}
	// Pruned as done at the time it was finished, not at the second finish.
	n, err := s.PruneInbox(ctx, now.Add(time.Second))
	must(t, "prune", err)
	if n != 2 {
		t.Fatalf("pruned %d entries, want 2 (40 and 41)", n)
	}
}

// testInboxSkipsRecorded: an entry whose update the log recorded but that
// is still pending (a crash between FinishUpdate's claim and its mark) is
// handled already: no inbox read hands it out, not even
// when Telegram delivers it again, and the prune deletes it.
func testInboxSkipsRecorded(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.PutUpdates(ctx, []store.InboxEntry{entry(50, 9), entry(51, 9), entry(52, 9), entry(60, 10)})
	must(t, "put", err)
	exp := now.Add(time.Hour)
	must(t, "claim 50", s.ClaimUpdate(ctx, 50, exp))
	must(t, "claim 51", s.ClaimUpdate(ctx, 51, exp))
	if got := fmt.Sprint(pendingIDs(t, s, 0, 10)); got != "[52 60]" {
		t.Fatalf("pending with 50 and 51 recorded: %s, want [52 60]", got)
	}
	got, err := s.PutUpdates(ctx, []store.InboxEntry{entry(51, 9), entry(53, 9)})
	must(t, "put 51 again", err)
	if fmt.Sprint(got) != "[53]" {
		t.Fatalf("redelivered 51 (recorded) and new 53: pending %v, want [53]", got)
	}
	e, ok, err := s.NextUpdate(ctx, 9, "a", now, time.Minute)
	must(t, "next update", err)
	if !ok || e.UpdateID != 52 {
		t.Fatalf("next update of chat 9: %d (%v), want 52: 50 and 51 are recorded", e.UpdateID, ok)
	}
	n, err := s.PruneInbox(ctx, now.Add(-time.Hour))
	must(t, "prune", err)
	if n != 2 {
		t.Fatalf("pruned %d, want 2 (50 and 51, recorded)", n)
	}
	if got := fmt.Sprint(pendingIDs(t, s, 0, 10)); got != "[52 53 60]" {
		t.Fatalf("pending after the prune: %s, want [52 53 60]", got)
	}
}

// testFinishConcurrently: workers finishing updates at once (each of its
// own chat's, and now and then one that another worker finishes too, as a
// redelivery racing its first delivery would) leave every update recorded
// exactly once, none pending, and every entry kept as done when it was
// finished.
func testFinishConcurrently(t *testing.T, s store.Store) {
	ctx := context.Background()
	const workers, each = 8, 25
	var entries []store.InboxEntry
	for w := range workers {
		for i := range each {
			entries = append(entries, entry(int64(1000+w*each+i), int64(w)))
		}
	}
	_, err := s.PutUpdates(ctx, entries)
	must(t, "put", err)
	exp := now.Add(time.Hour)
	errs := make(chan error, workers*each*2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range each {
				id := int64(1000 + w*each + i)
				errs <- s.FinishUpdate(ctx, id, exp, now)
				if i%5 == 0 {
					// The neighbour's update, maybe before its own worker.
					errs <- s.FinishUpdate(ctx, 1000+int64((w+1)%workers*each+i), exp, now)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, "finish", err)
	}
	for _, e := range entries {
		if seen, err := s.UpdateHandled(ctx, e.UpdateID); err != nil || !seen {
			t.Fatalf("update %d handled %v (%v) after its finish", e.UpdateID, seen, err)
		}
	}
	if ids := pendingIDs(t, s, 0, 1000); len(ids) != 0 {
		t.Fatalf("pending after every update was finished: %v", ids)
	}
	// Kept as done until a prune past the time they were finished.
	n, err := s.PruneInbox(ctx, now.Add(-time.Second))
	must(t, "prune before", err)
	if n != 0 {
		t.Fatalf("a prune before the finishes removed %d entries, want none", n)
	}
	n, err = s.PruneInbox(ctx, now.Add(time.Second))
	must(t, "prune after", err)
	if n != len(entries) {
		t.Fatalf("pruned %d entries, want %d", n, len(entries))
	}
	// Recorded once each: the claims that expire are exactly the updates.
	n, err = s.PruneUpdates(ctx, exp.Add(time.Second))
	must(t, "prune claims", err)
	if n != len(entries) {
		t.Fatalf("%d claims for %d updates", n, len(entries))
	}
}
