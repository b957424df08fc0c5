package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// HeldClaims benchmarks the scheduler's claim (ClaimDue of one reminder)
// with held reminders present, all due earlier than the one claimed (she
// blocked the bot long ago): held reminders are outside the due scan, so
// they must not slow it. seed stores reminders in bulk, the backend's own
// way. It fails below minPerSec claims a second. Run it with -benchtime Nx.
func HeldClaims(b *testing.B, s store.Store, seed func([]crm.Reminder) error, held int, minPerSec float64) {
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	rs := make([]crm.Reminder, 0, held+b.N)
	for i := range held {
		r := reminder(int64(1+i%100), fmt.Sprintf("held-%06d", i), "c", base.Add(time.Duration(i)*time.Second))
		r.Held = true
		rs = append(rs, r)
	}
	for i := range b.N {
		rs = append(rs, reminder(int64(1000+i%100), fmt.Sprintf("free-%06d", i), "c", base.Add(time.Hour+time.Duration(i)*time.Millisecond)))
	}
	if err := seed(rs); err != nil {
		b.Fatal(err)
	}
	at := base.Add(48 * time.Hour)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		got, err := s.ClaimDue(ctx, at, "bench", time.Hour, 1)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != 1 || got[0].Held {
			b.Fatalf("claim %d: %d reminders (held %v)", i, len(got), len(got) == 1 && got[0].Held)
		}
	}
	perSec := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(perSec, "claims/s")
	if perSec < minPerSec {
		b.Fatalf("%.0f claims/s with %d held reminders present, want at least %.0f", perSec, held, minPerSec)
	}
}

// DigestTick benchmarks the digest job's minute among n consultants of
// whom due are due: DigestsDue paged as the scheduler pages it. seed
// stores consultants in bulk. It fails above maxMillis a tick.
func DigestTick(b *testing.B, s store.Store, seed func([]crm.Consultant) error, n, due int, maxMillis float64) {
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	cs := make([]crm.Consultant, 0, n)
	for i := range n {
		c := crm.NewConsultant(int64(i+1), int64(i+1), at)
		next := at.Add(time.Duration(1+i%20) * time.Hour) // later today or tomorrow
		if i < due {
			next = at.Add(-time.Minute)
		}
		c.NextDigest = &next
		cs = append(cs, c)
	}
	if err := seed(cs); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var afterKey time.Time
		var afterID int64
		got := 0
		for {
			page, err := s.DigestsDue(ctx, at, afterKey, afterID, 200)
			if err != nil {
				b.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			got += len(page)
			last := page[len(page)-1]
			afterKey, afterID = store.DigestKey(last), last.ID
		}
		if got != due {
			b.Fatalf("tick %d: %d due, want %d", i, got, due)
		}
	}
	ms := float64(time.Since(start).Milliseconds()) / float64(b.N)
	b.ReportMetric(ms, "ms/tick")
	if ms > maxMillis {
		b.Fatalf("%.1f ms a digest tick among %d consultants (%d due), want at most %.0f", ms, n, due, maxMillis)
	}
}
