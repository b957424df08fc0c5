//go:build unix

package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// BenchmarkVisitorAfterCommit is the tenant lookup of an update (role and
// consultant record, GetVisitor) as the update path does it: after a
// commit of the writer (an update finished), which makes a reader drop
// its page cache.
// The log has been checkpointed and started over, as in a bot running for
// a while. The figure is the CPU time of the lookups alone.
//
//	go test ./store/sqlite -run '^$' -bench VisitorAfterCommit -benchtime 20000x
func BenchmarkVisitorAfterCommit(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "crmbot.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const users = 50
	for id := int64(1); id <= users; id++ {
		if _, err := db.UpdateConsultant(ctx, id, crm.Consultant{ID: id, ChatID: id, Name: "C", Language: "ru", Timezone: "Asia/Almaty"}, func(*crm.Consultant) error { return nil }); err != nil {
			b.Fatal(err)
		}
		if err := db.PutRole(ctx, crm.Role{UserID: id, Owner: id, Since: time.Now()}); err != nil {
			b.Fatal(err)
		}
	}
	for range 2 {
		if _, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
	}
	var cpu time.Duration
	b.ResetTimer()
	for i := range b.N {
		// The update's own commit, as the update path makes one.
		if err := db.FinishUpdate(ctx, int64(1+i), time.Now().Add(time.Hour), time.Now()); err != nil {
			b.Fatal(err)
		}
		c0 := cpuNow()
		v, err := db.GetVisitor(ctx, int64(1+i%users))
		cpu += cpuNow() - c0
		if err != nil || v.Consultant == nil {
			b.Fatalf("visitor %d: %+v, %v", 1+i%users, v, err)
		}
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(b.N), "cpu-µs/lookup")
}
