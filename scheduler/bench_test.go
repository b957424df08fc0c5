package scheduler_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/sqlite"
)

// BenchmarkClaim100k leases 100,000 reminders due in the same minute across
// 10,000 consultants, in the scheduler's batches of 100, and reports the
// cost per reminder (lease, then mark as pushed).
// go test ./scheduler -run '^$' -bench Claim100k -benchtime 1x
func BenchmarkClaim100k(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		db, err := sqlite.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "db"))
		if err != nil {
			b.Fatal(err)
		}
		now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
		if err := db.Seed(ctx, func(tx *sql.Tx, add func(crm.Reminder) error) error {
			for i := range 100_000 {
				if err := add(crm.Reminder{ID: fmt.Sprintf("r%06d", i), Owner: int64(1 + i%10_000), Kind: crm.KindManual, Text: "call",
					Due: now.Add(-time.Duration(i%60) * time.Second), Status: crm.Pending, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		n := 0
		for {
			rs, err := db.ClaimDue(ctx, now, "w", 2*time.Minute, 100)
			if err != nil {
				b.Fatal(err)
			}
			if len(rs) == 0 {
				break
			}
			for _, r := range rs {
				if err := db.MarkPushed(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID, now); err != nil {
					b.Fatal(err)
				}
			}
			n += len(rs)
		}
		d := time.Since(start)
		if n != 100_000 {
			b.Fatalf("leased %d", n)
		}
		b.ReportMetric(float64(d.Microseconds())/1000/float64(n), "ms/reminder")
		db.Close()
	}
}
