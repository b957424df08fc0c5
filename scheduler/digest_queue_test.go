package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
)

// TestDigestQueue: the digest job gives each consultant her next digest
// time and reads her again only then: before her hour, today at her hour;
// after her digest, tomorrow at her hour; a blocked consultant leaves the
// queue and comes back, due, when she unblocks; a new digest hour counts
// at once.
func TestDigestQueue(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	almaty, _ := time.LoadLocation("Asia/Almaty")
	local := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, almaty) }
	for _, id := range []int64{1, 2} {
		if _, err := db.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, time.Now()), func(c *crm.Consultant) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	clock := local(25, 8, 30)
	var sent []int64
	job := scheduler.Digests(db, digestFunc(func(_ context.Context, c crm.Consultant) error { sent = append(sent, c.ID); return nil }),
		"w", func() time.Time { return clock }, "Asia/Almaty", quiet)
	next := func(id int64) time.Time {
		t.Helper()
		c, err := db.GetConsultant(ctx, id)
		if err != nil || c.NextDigest == nil {
			t.Fatalf("consultant %d: next digest %v, %v", id, c.NextDigest, err)
		}
		return c.NextDigest.In(almaty)
	}
	due := func() int {
		t.Helper()
		cs, err := db.DigestsDue(ctx, clock, time.Time{}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(cs)
	}
	steps := []struct {
		name      string
		at        time.Time
		before    func()
		wantSent  int
		wantNext  time.Time
		wantDueAf int
	}{
		{"before her hour: told when", local(25, 8, 30), nil, 0, local(25, 9, 0), 0},
		{"at her hour: sent, next tomorrow", local(25, 9, 1), nil, 2, local(26, 9, 0), 0},
		{"later that day: nobody read", local(25, 18, 0), nil, 2, local(26, 9, 0), 0},
		{"blocked: out of the queue", local(26, 9, 5), func() { block(t, db, 2, true) }, 3, local(27, 9, 0), 0},
		{"unblocked: due again at once", local(26, 10, 0), func() { block(t, db, 2, false) }, 4, local(27, 9, 0), 0},
	}
	for _, s := range steps {
		clock = s.at
		if s.before != nil {
			s.before()
		}
		if err := job(ctx); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(sent) != s.wantSent {
			t.Fatalf("%s: sent %v, want %d digests so far", s.name, sent, s.wantSent)
		}
		if got := next(1); !got.Equal(s.wantNext) {
			t.Fatalf("%s: next digest %v, want %v", s.name, got, s.wantNext)
		}
		if n := due(); n != s.wantDueAf {
			t.Fatalf("%s: %d due after the run, want %d", s.name, n, s.wantDueAf)
		}
	}
	if _, err := db.UpdateConsultant(ctx, 1, crm.Consultant{}, func(c *crm.Consultant) error { c.DigestHour = 7; return nil }); err != nil {
		t.Fatal(err)
	}
	if n := due(); n != 1 {
		t.Fatalf("after a new digest hour: %d due, want 1 (hers, at once)", n)
	}
}

func block(t *testing.T, db interface {
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
}, id int64, blocked bool) {
	t.Helper()
	if _, err := db.UpdateConsultant(context.Background(), id, crm.Consultant{}, func(c *crm.Consultant) error { c.Blocked = blocked; return nil }); err != nil {
		t.Fatal(err)
	}
}
