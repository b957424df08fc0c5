package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func testReminderClaims(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 60
	for i := range n {
		r := reminder(int64(1+i%3), fmt.Sprintf("r%02d", i), "", now.Add(-time.Duration(n-i)*time.Minute))
		must(t, "create", s.CreateReminder(ctx, r))
	}
	must(t, "future", s.CreateReminder(ctx, reminder(1, "later", "", now.Add(time.Hour))))

	// Three workers claiming at once never share a reminder.
	var mu sync.Mutex
	owner := map[string]string{}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker := fmt.Sprint("w", w)
			for {
				got, err := s.ClaimDue(ctx, now, worker, time.Minute, 7)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, r := range got {
					if prev, dup := owner[r.ID]; dup {
						t.Errorf("%s leased to %s and %s", r.ID, prev, worker)
					}
					owner[r.ID] = worker
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(owner) != n {
		t.Fatalf("%d of %d due reminders leased", len(owner), n)
	}
	if _, ok := owner["later"]; ok {
		t.Fatal("a reminder not due yet was leased")
	}
	// Leased ones are not leased again while the lease holds.
	if got, _ := s.ClaimDue(ctx, now.Add(30*time.Second), "w9", time.Minute, 100); len(got) != 0 {
		t.Fatalf("%d leased twice", len(got))
	}
	// The worker marks what it pushed; another worker cannot.
	r0 := owner["r00"]
	other := "w9"
	wantErr(t, "mark by another worker", s.MarkPushed(ctx, 1, "r00", other, now), store.ErrNotFound)
	must(t, "mark", s.MarkPushed(ctx, 1, "r00", r0, now))
	wantErr(t, "mark twice", s.MarkPushed(ctx, 1, "r00", r0, now), store.ErrNotFound)
	got, err := s.GetReminder(ctx, 1, "r00")
	must(t, "get", err)
	if got.PushedAt == nil || got.ClaimedBy != "" {
		t.Fatalf("after mark: %+v", got)
	}
	// After the lease expires the unmarked ones are leased again, counted.
	again, err := s.ClaimDue(ctx, now.Add(2*time.Minute), "w9", time.Minute, 100)
	must(t, "reclaim", err)
	if len(again) != n-1 {
		t.Fatalf("reclaimed %d, want %d", len(again), n-1)
	}
	for _, r := range again {
		if r.Reclaims != 1 || r.ClaimedBy != "w9" || r.ID == "r00" {
			t.Fatalf("reclaimed %+v", r)
		}
	}
	// The first worker lost its lease: its mark is refused.
	wantErr(t, "mark after the lease moved", s.MarkPushed(ctx, again[0].Owner, again[0].ID, owner[again[0].ID], now), store.ErrNotFound)
	// A snoozed reminder (new due, unpushed) is claimable when due.
	_, err = s.UpdateReminder(ctx, 1, "r00", func(r *crm.Reminder) error {
		d := now.Add(150 * time.Second)
		r.Due, r.PushedAt = d, nil
		return nil
	})
	must(t, "snooze", err)
	// (the others are still leased to w9 until now+3m)
	if got, _ := s.ClaimDue(ctx, now.Add(160*time.Second), "w1", time.Minute, 100); len(got) != 1 || got[0].ID != "r00" {
		t.Fatalf("snoozed reminder: %d leased, want r00 alone", len(got))
	}
}
