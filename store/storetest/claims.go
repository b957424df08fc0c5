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

// claimsDue reminders are due in the claims test, a third for each of owners 1-3.
const claimsDue = 60

func testReminderClaims(t *testing.T, s store.Store) {
	createClaimsFixture(t, s)
	holder, lease := claimConcurrently(t, s)
	testMarkLeased(t, s, holder, lease)
	again := testReclaimExpired(t, s, holder, lease)
	snoozed := testSnoozedClaimable(t, s)
	testRescheduleEndsLease(t, s, snoozed, now.Add(160*time.Second))
	testReleaseAndHold(t, s, again)
}

// createClaimsFixture: claimsDue reminders due a minute apart before now,
// a third for each of owners 1-3, and one due in an hour.
func createClaimsFixture(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range claimsDue {
		r := reminder(int64(1+i%3), fmt.Sprintf("r%02d", i), "", now.Add(-time.Duration(claimsDue-i)*time.Minute))
		must(t, "create", s.CreateReminder(ctx, r))
	}
	must(t, "future", s.CreateReminder(ctx, reminder(1, "later", "", now.Add(time.Hour))))
}

// claimConcurrently: three workers claiming at once never share a
// reminder, lease every due one and no other. It returns each reminder's
// worker and lease id.
func claimConcurrently(t *testing.T, s store.Store) (holder, lease map[string]string) {
	ctx := context.Background()
	var mu sync.Mutex
	holder, lease = map[string]string{}, map[string]string{}
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
					if prev, dup := holder[r.ID]; dup {
						t.Errorf("%s leased to %s and %s", r.ID, prev, worker)
					}
					holder[r.ID] = worker
					lease[r.ID] = r.LeaseID
					if r.LeaseID == "" || r.ClaimedBy != worker {
						t.Errorf("%s leased without a lease id: %+v", r.ID, r)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(holder) != claimsDue {
		t.Fatalf("%d of %d due reminders leased", len(holder), claimsDue)
	}
	if _, ok := holder["later"]; ok {
		t.Fatal("a reminder not due yet was leased")
	}
	// Leased ones are not leased again while the lease holds.
	if got := claimDue(t, s, now.Add(30*time.Second), "w9", time.Minute, 100); len(got) != 0 {
		t.Fatalf("%d leased twice", len(got))
	}
	return holder, lease
}

// testMarkLeased: the worker marks what it pushed; another worker cannot,
// nor the same worker under another lease, nor twice.
func testMarkLeased(t *testing.T, s store.Store, holder, lease map[string]string) {
	ctx := context.Background()
	r0 := holder["r00"]
	wantErr(t, "mark by another worker", s.MarkPushed(ctx, 1, "r00", "w9", lease["r00"], now), store.ErrLeaseLost)
	wantErr(t, "mark under another lease", s.MarkPushed(ctx, 1, "r00", r0, "not-the-lease", now), store.ErrLeaseLost)
	must(t, "mark", s.MarkPushed(ctx, 1, "r00", r0, lease["r00"], now))
	wantErr(t, "mark twice", s.MarkPushed(ctx, 1, "r00", r0, lease["r00"], now), store.ErrLeaseLost)
	wantErr(t, "mark a missing reminder", s.MarkPushed(ctx, 1, "nope", r0, lease["r00"], now), store.ErrNotFound)
	got, err := s.GetReminder(ctx, 1, "r00")
	must(t, "get", err)
	if got.PushedAt == nil || got.ClaimedBy != "" || got.LeaseID != "" {
		t.Fatalf("after mark: %+v", got)
	}
}

// testReclaimExpired: after the lease expires the unmarked ones are leased
// again, counted, under new lease ids; the first worker's late mark or
// release is refused, even when the same worker name took it over (a
// restarted process). It returns the reclaimed reminders (leased to w9
// until now+3m).
func testReclaimExpired(t *testing.T, s store.Store, holder, lease map[string]string) []crm.Reminder {
	ctx := context.Background()
	again := claimDue(t, s, now.Add(2*time.Minute), "w9", time.Minute, 100)
	if len(again) != claimsDue-1 {
		t.Fatalf("reclaimed %d, want %d", len(again), claimsDue-1)
	}
	for _, r := range again {
		if r.Reclaims != 1 || r.ClaimedBy != "w9" || r.ID == "r00" || r.LeaseID == "" || r.LeaseID == lease[r.ID] {
			t.Fatalf("reclaimed %+v", r)
		}
	}
	a := again[0]
	wantErr(t, "mark after the lease moved", s.MarkPushed(ctx, a.Owner, a.ID, holder[a.ID], lease[a.ID], now), store.ErrLeaseLost)
	wantErr(t, "mark under the expired lease", s.MarkPushed(ctx, a.Owner, a.ID, "w9", lease[a.ID], now), store.ErrLeaseLost)
	wantErr(t, "release after the lease moved", s.ReleaseClaim(ctx, a.Owner, a.ID, holder[a.ID], lease[a.ID]), store.ErrLeaseLost)
	return again
}

// testSnoozedClaimable: a snoozed reminder (new due, unpushed) is
// claimable when due, while the others are still leased to w9. It returns
// it, leased to w1.
func testSnoozedClaimable(t *testing.T, s store.Store) crm.Reminder {
	ctx := context.Background()
	_, err := s.UpdateReminder(ctx, 1, "r00", func(r *crm.Reminder) error {
		d := now.Add(150 * time.Second)
		r.Due, r.PushedAt = d, nil
		return nil
	})
	must(t, "snooze", err)
	snoozed := claimDue(t, s, now.Add(160*time.Second), "w1", time.Minute, 100)
	if len(snoozed) != 1 || snoozed[0].ID != "r00" {
		t.Fatalf("snoozed reminder: %d leased, want r00 alone", len(snoozed))
	}
	return snoozed[0]
}

// testRescheduleEndsLease: a reminder snoozed (or done and repeating)
// while a worker pushes it loses that lease, so the worker's late mark does
// not swallow the new occurrence.
func testRescheduleEndsLease(t *testing.T, s store.Store, leased crm.Reminder, at time.Time) {
	ctx := context.Background()
	// Close enough that the other reminders are still leased to w9 (until
	// now+3m) when this one is claimed again.
	next := at.Add(5 * time.Second)
	got, err := s.UpdateReminder(ctx, leased.Owner, leased.ID, func(r *crm.Reminder) error {
		r.Reschedule(next)
		return nil
	})
	must(t, "reschedule", err)
	if got.ClaimedBy != "" || got.LeaseID != "" || got.ClaimUntil != nil {
		t.Fatalf("rescheduled reminder keeps its lease: %+v", got)
	}
	// Even a caller that only sets a new due time ends the lease.
	_, err = s.UpdateReminder(ctx, leased.Owner, leased.ID, func(r *crm.Reminder) error {
		r.ClaimedBy, r.LeaseID, r.ClaimUntil = leased.ClaimedBy, leased.LeaseID, leased.ClaimUntil
		return nil
	})
	must(t, "restore lease", err)
	_, err = s.UpdateReminder(ctx, leased.Owner, leased.ID, func(r *crm.Reminder) error {
		r.Due = next.Add(5 * time.Second)
		return nil
	})
	must(t, "move due", err)
	wantErr(t, "late mark of a rescheduled reminder", s.MarkPushed(ctx, leased.Owner, leased.ID, leased.ClaimedBy, leased.LeaseID, at), store.ErrLeaseLost)
	got, err = s.GetReminder(ctx, leased.Owner, leased.ID)
	must(t, "get", err)
	if got.PushedAt != nil || got.Status != crm.Pending {
		t.Fatalf("the new occurrence was marked: %+v", got)
	}
	if due := claimDue(t, s, next.Add(10*time.Second), "w5", time.Minute, 100); len(due) != 1 || due[0].ID != leased.ID {
		t.Fatalf("the new occurrence is not claimable when due: %d leased", len(due))
	}
}

// testReleaseAndHold: a released lease is claimable at once without a
// reclaim; a held consultant's reminders are not leased until released.
func testReleaseAndHold(t *testing.T, s store.Store, leased []crm.Reminder) {
	ctx := context.Background()
	r := leased[0]
	must(t, "release", s.ReleaseClaim(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID))
	wantErr(t, "mark after release", s.MarkPushed(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID, now), store.ErrLeaseLost)
	at := now.Add(170 * time.Second) // w9's leases hold until now+3m
	got, err := s.ClaimDue(ctx, at, "w2", time.Minute, 100)
	must(t, "claim released", err)
	if len(got) != 1 || got[0].ID != r.ID || got[0].Reclaims != r.Reclaims {
		t.Fatalf("after release: %+v, want %s alone with %d reclaims", got, r.ID, r.Reclaims)
	}

	// Owner 2 blocked the bot: every pending reminder of hers is held, a
	// leased one loses its lease, none is leased however late it gets.
	held, err := s.HoldReminders(ctx, 2, true)
	must(t, "hold", err)
	if held != claimsDue/3 {
		t.Fatalf("held %d, want %d", held, claimsDue/3)
	}
	again, err := s.HoldReminders(ctx, 2, true)
	must(t, "hold again", err)
	if again != 0 {
		t.Fatalf("held %d twice", again)
	}
	var hers crm.Reminder // one of owner 2's, leased to w9 when she was held
	for _, r := range leased {
		if r.Owner == 2 {
			hers = r
			break
		}
	}
	if hers.ID == "" {
		t.Fatal("no reminder of owner 2 among the leased")
	}
	wantErr(t, "mark a held reminder", s.MarkPushed(ctx, 2, hers.ID, hers.ClaimedBy, hers.LeaseID, at), store.ErrLeaseLost)
	later := now.Add(24 * time.Hour)
	due, err := s.ClaimDue(ctx, later, "w3", time.Minute, 1000)
	must(t, "claim with a held owner", err)
	for _, r := range due {
		if r.Owner == 2 {
			t.Fatalf("held reminder %s leased", r.ID)
		}
	}
	held2, err := s.GetReminder(ctx, 2, hers.ID)
	must(t, "get a held reminder", err)
	if held2.Status != crm.Pending || held2.PushedAt != nil || !held2.Held || held2.LeaseID != "" {
		t.Fatalf("held reminder changed: %+v", held2)
	}
	// She wrote again: her reminders are due and leased, without a reclaim.
	released, err := s.HoldReminders(ctx, 2, false)
	must(t, "unhold", err)
	if released != claimsDue/3 {
		t.Fatalf("released %d, want %d", released, claimsDue/3)
	}
	due, err = s.ClaimDue(ctx, later, "w3", time.Minute, 1000)
	must(t, "claim after unhold", err)
	if len(due) != claimsDue/3 {
		t.Fatalf("leased %d after unhold, want her %d", len(due), claimsDue/3)
	}
	for _, r := range due {
		if r.Owner != 2 || r.Held || r.Reclaims > 1 {
			t.Fatalf("after unhold: %+v", r)
		}
	}
}
