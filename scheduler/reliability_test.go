package scheduler_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store/sqlite"
)

// slowPusher is a sender as slow as one chat's limit: every push moves the
// shared clock on by step. It records each consultant's order.
type slowPusher struct {
	db    *sqlite.DB
	step  time.Duration
	mu    sync.Mutex
	clock time.Time
	count map[string]int
	order map[int64][]time.Time // owner → due times in push order
}

func (p *slowPusher) now() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.clock
}

func (p *slowPusher) PushReminder(ctx context.Context, r crm.Reminder) error {
	p.mu.Lock()
	p.count[r.ID]++
	p.order[r.Owner] = append(p.order[r.Owner], r.Due)
	p.clock = p.clock.Add(p.step)
	at := p.clock
	p.mu.Unlock()
	return p.db.MarkPushed(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID, at)
}

// A consultant with more due reminders than one lease can carry: the
// scheduler sends only while enough of the lease remains and gives the rest
// back, so everything goes out, once, in due order. Alone, a worker never
// lets a lease run out (no reclaim). With a second worker ticking meanwhile
// on the same chat the two share its one-message-at-a-time sender, so a
// lease can run out while a send waits: that is the at-least-once window,
// and still nothing may go out twice.
func TestLongBatchWithinLease(t *testing.T) {
	for _, tc := range []struct {
		name          string
		workers       int
		reclaimsAllow bool
	}{
		{"one worker, no reclaim", 1, false},
		{"two workers, nothing twice", 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reclaims := longBatch(t, tc.workers)
			if reclaims != 0 && !tc.reclaimsAllow {
				t.Errorf("%d reclaims, want none", reclaims)
			}
		})
	}
}

// longBatch pushes 40 reminders of one chat at 10 s each with workers
// schedulers ticking together until all went out, checks each went once
// and in due order, and returns the reclaims.
func longBatch(t *testing.T, workers int) int {
	t.Helper()
	db := open(t)
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	const n = 40
	for i := range n {
		if err := db.CreateReminder(context.Background(), crm.Reminder{ID: fmt.Sprintf("r%02d", i), Owner: 7, Kind: crm.KindManual,
			Text: "call", Due: start.Add(-time.Duration(n-i) * time.Minute), Status: crm.Pending, CreatedAt: start, UpdatedAt: start}); err != nil {
			t.Fatal(err)
		}
	}
	// 10 s a message: a batch of 40 would take 400 s, over the 120 s lease.
	p := &slowPusher{db: db, step: 10 * time.Second, clock: start, count: map[string]int{}, order: map[int64][]time.Time{}}
	var mu sync.Mutex
	reclaims := 0
	count := func(k int) { mu.Lock(); reclaims += k; mu.Unlock() }
	runs := 0
	for ; runs < 40; runs++ {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := scheduler.PushDue(db, p, fmt.Sprint("w", w), p.now, count, quiet)(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if len(p.count) == n {
			break
		}
		p.mu.Lock()
		p.clock = p.clock.Add(scheduler.Lease) // the next tick, after any lease left to expire
		p.mu.Unlock()
	}
	if len(p.count) != n {
		t.Fatalf("%d of %d pushed after %d runs", len(p.count), n, runs)
	}
	for id, c := range p.count {
		if c != 1 {
			t.Errorf("%s pushed %d times", id, c)
		}
	}
	if got := p.order[7]; !slices.IsSortedFunc(got, func(a, b time.Time) int { return a.Compare(b) }) {
		t.Errorf("pushed out of due order: %v", got)
	}
	t.Logf("%d reminders of one chat at 10 s each, %d workers: %d runs, %d reclaims", n, workers, runs+1, reclaims)
	return reclaims
}

// Pushes run concurrently yet each consultant's reminders go out in due
// order.
func TestConcurrentPushKeepsEachConsultantsOrder(t *testing.T) {
	db := open(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	seed(t, db, 2000, now)
	p := &orderPusher{db: db, now: now, order: map[int64][]time.Time{}}
	if err := scheduler.PushDue(db, p, "w", func() time.Time { return now }, nil, quiet)(context.Background()); err != nil {
		t.Fatal(err)
	}
	total := 0
	for owner, dues := range p.order {
		total += len(dues)
		if !slices.IsSortedFunc(dues, func(a, b time.Time) int { return a.Compare(b) }) {
			t.Fatalf("consultant %d: pushed out of due order", owner)
		}
	}
	if total != 2000 {
		t.Fatalf("pushed %d of 2000", total)
	}
	if p.maxInFlight < 2 {
		t.Fatalf("at most %d push at a time: not concurrent", p.maxInFlight)
	}
	t.Logf("up to %d pushes at once", p.maxInFlight)
}

type orderPusher struct {
	db                    *sqlite.DB
	now                   time.Time
	mu                    sync.Mutex
	order                 map[int64][]time.Time
	inFlight, maxInFlight int
}

func (p *orderPusher) PushReminder(ctx context.Context, r crm.Reminder) error {
	p.mu.Lock()
	p.order[r.Owner] = append(p.order[r.Owner], r.Due)
	p.inFlight++
	p.maxInFlight = max(p.maxInFlight, p.inFlight)
	p.mu.Unlock()
	err := p.db.MarkPushed(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID, p.now)
	p.mu.Lock()
	p.inFlight--
	p.mu.Unlock()
	return err
}
