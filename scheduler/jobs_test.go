package scheduler_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store/sqlite"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// pusher records pushes and marks them in the store, as the bot does.
type pusher struct {
	db    *sqlite.DB
	now   func() time.Time
	mu    sync.Mutex
	count map[string]int
	// crashAfter, when > 0, cancels the worker's context after that many
	// pushes, before marking the last one: a process killed mid-send.
	crashAfter int
	cancel     context.CancelFunc
	pushes     int
	// inFlight is how many pushes are between start and mark; atCrash is
	// its value when the crash came (those may be pushed twice).
	inFlight, atCrash int
}

func (p *pusher) PushReminder(ctx context.Context, r crm.Reminder) error {
	p.mu.Lock()
	if err := ctx.Err(); err != nil {
		// The process is dying: a real send with this context never
		// leaves (checked under the lock the crash is taken under, so a
		// push either was in flight at the kill or never went out).
		p.mu.Unlock()
		return err
	}
	p.count[r.ID]++
	p.pushes++
	p.inFlight++
	crash := p.crashAfter > 0 && p.pushes == p.crashAfter
	if crash {
		p.atCrash = p.inFlight
		p.cancel()
	}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.inFlight--
		p.mu.Unlock()
	}()
	if crash {
		return ctx.Err()
	}
	return p.db.MarkPushed(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID, p.now())
}

// seed stores n reminders of 100 consultants, due over the hour before now.
func seed(t testing.TB, db *sqlite.DB, n int, now time.Time) {
	t.Helper()
	if err := db.Seed(context.Background(), func(_ *sql.Tx, add func(crm.Reminder) error) error {
		for i := range n {
			if err := add(crm.Reminder{ID: fmt.Sprintf("r%05d", i), Owner: int64(1 + i%100), Kind: crm.KindManual, Text: "call",
				Due: now.Add(-time.Duration(i%60) * time.Minute), Status: crm.Pending, CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Three schedulers on one database push each of 10,000 due reminders
// exactly once.
func TestThreeSchedulersPushEachOnce(t *testing.T) {
	db := open(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	const n = 10_000
	seed(t, db, n, now)
	p := &pusher{db: db, now: func() time.Time { return now }, count: map[string]int{}}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job := scheduler.PushDue(db, p, fmt.Sprint("worker-", w), func() time.Time { return now }, nil, quiet)
			if err := job(context.Background()); err != nil {
				t.Errorf("worker %d: %v", w, err)
			}
		}()
	}
	wg.Wait()
	if len(p.count) != n {
		t.Fatalf("%d of %d reminders pushed", len(p.count), n)
	}
	for id, c := range p.count {
		if c != 1 {
			t.Fatalf("%s pushed %d times", id, c)
		}
	}
}

// A scheduler killed in the middle of a batch loses nothing: after its
// lease expires a restarted one pushes the rest; only the reminder in
// flight at the kill (pushed, not yet marked) can be pushed twice.
func TestKilledSchedulerLosesNothing(t *testing.T) {
	db := open(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	const n = 1000
	seed(t, db, n, now)
	clock := now
	p := &pusher{db: db, now: func() time.Time { return clock }, count: map[string]int{}, crashAfter: 437}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	_ = scheduler.PushDue(db, p, "doomed", func() time.Time { return clock }, nil, quiet)(ctx)
	if p.pushes < 437 || p.pushes >= n {
		t.Fatalf("the crash came after %d pushes", p.pushes)
	}

	reclaimed := 0
	clock = now.Add(scheduler.Lease + time.Second)
	p.crashAfter = 0
	if err := scheduler.PushDue(db, p, "restarted", func() time.Time { return clock }, func(k int) { reclaimed += k }, quiet)(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(p.count) != n {
		t.Fatalf("lost %d reminders", n-len(p.count))
	}
	dups := 0
	for _, c := range p.count {
		if c > 1 {
			dups += c - 1
		}
	}
	t.Logf("killed mid-batch: %d in flight at the kill, %d pushed twice, %d leases reclaimed", p.atCrash, dups, reclaimed)
	if dups < 1 || dups > p.atCrash {
		t.Fatalf("%d duplicates, want only those in flight at the kill (%d)", dups, p.atCrash)
	}
	if reclaimed < dups {
		t.Fatalf("reclaims counted %d, duplicates %d", reclaimed, dups)
	}
}

// The digest goes once a local day, at or after her hour, from one of
// several schedulers.
func TestDigestOncePerLocalDay(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	for id, tz := range map[int64]string{1: "Asia/Almaty", 2: "Europe/Moscow"} {
		if _, err := db.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, time.Now()), func(c *crm.Consultant) error {
			c.Timezone = tz
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	sent := map[string]int{}
	clock := time.Date(2026, 11, 25, 3, 30, 0, 0, time.UTC) // 08:30 Almaty, 06:30 Moscow
	d := digestFunc(func(_ context.Context, c crm.Consultant) error {
		mu.Lock()
		defer mu.Unlock()
		sent[fmt.Sprintf("%d@%s", c.ID, clock.In(c.Location("")).Format("2006-01-02"))]++
		return nil
	})
	tick := func() {
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := scheduler.Digests(db, d, fmt.Sprint("w", w), func() time.Time { return clock }, "Asia/Almaty", quiet)(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	tick()
	if len(sent) != 0 {
		t.Fatalf("sent before 09:00: %v", sent)
	}
	for clock.Before(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)) {
		clock = clock.Add(30 * time.Minute)
		tick()
	}
	want := map[string]int{"1@2026-11-25": 1, "2@2026-11-25": 1, "1@2026-11-26": 1, "2@2026-11-26": 1}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Fatalf("digests %v, want %v", sent, want)
	}
}

type digestFunc func(context.Context, crm.Consultant) error

func (f digestFunc) SendDigest(ctx context.Context, c crm.Consultant) error { return f(ctx, c) }
