package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// writeCustomers adds n customers of owner in batches of 500, each batch
// one transaction.
func writeCustomers(tb testing.TB, db *DB, owner int64, from, n int) {
	tb.Helper()
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := from; i < from+n; i += 500 {
		var batch []store.Imported
		for j := i; j < min(i+500, from+n); j++ {
			id := fmt.Sprintf("c%07d", j)
			c := crm.Customer{ID: id, Owner: owner, FirstName: "Айгерим", LastName: fmt.Sprintf("Касымова %d", j),
				Phone: fmt.Sprintf("+7701%07d", j), Notes: "любит матовую помаду, кожа сухая, звонить после 18:00", CreatedAt: now, UpdatedAt: now}
			batch = append(batch, store.Imported{Customer: c, Event: crm.Event{ID: "ev-" + id, Owner: owner, CustomerID: id, Kind: "created", At: now}})
		}
		if _, err := db.CreateImported(ctx, owner, batch); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestCheckpointTruncatesWALPastLimit: once the WAL passes its limit, the
// background checkpoint restarts the log, and the next write cuts the
// file back to the limit; when nothing was written since, the next
// checkpoint brings it back to nothing. Below the limit it is left to
// passive checkpoints.
func TestCheckpointTruncatesWALPastLimit(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	close(db.stop) // drive checkpoints from the test alone
	<-db.done
	db.stop = nil
	db.walLimit = 1 << 20

	writeCustomers(t, db, 1, 0, 5000)
	_, wal := db.Sizes()
	if wal <= db.walLimit {
		t.Fatalf("WAL after 5,000 customers = %d bytes; the test needs it past the %d-byte limit", wal, db.walLimit)
	}
	if err := db.checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	// One more customer: the write starts the log over and cuts it.
	if err := db.CreateCustomer(ctx, crm.Customer{ID: "one-more", Owner: 1, FirstName: "Дана", CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, after := db.Sizes(); after == 0 || after > db.walLimit {
		t.Fatalf("WAL after a write that followed a checkpoint past the limit = %d bytes, want the log started over, cut to the %d-byte limit (it was %d)", after, db.walLimit, wal)
	}
	// Past the limit again, and then no write: two checkpoints truncate it.
	writeCustomers(t, db, 1, 0, 5000) // the same cards again: a rerun writes little
	writeCustomers(t, db, 1, 5000, 5000)
	for i := range 2 {
		if err := db.checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if _, wal := db.Sizes(); i == 0 && wal <= db.walLimit {
			t.Fatalf("WAL at the first checkpoint = %d bytes; the test needs it past the %d-byte limit", wal, db.walLimit)
		}
	}
	if _, wal := db.Sizes(); wal != 0 {
		t.Fatalf("WAL after two checkpoints past the limit with no write between = %d bytes, want 0 (truncated)", wal)
	}
	got, n, err := db.ListCustomers(ctx, 1, store.CustomerFilter{Limit: 1})
	if err != nil || n != 10_001 || len(got) != 1 {
		t.Fatalf("customers after the checkpoints: %d (%v), want 10,001", n, err)
	}

	db.walLimit = 1 << 40 // far away: the passive checkpoint keeps the file
	writeCustomers(t, db, 1, 10_000, 500)
	if err := db.checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if _, wal := db.Sizes(); wal == 0 {
		t.Fatal("WAL truncated below its limit: only passive checkpoints were expected")
	}
}

// BenchmarkWALHighWater writes customers continuously (batches of 500, one
// transaction each, as an import does) for CRMBOT_BENCH_WAL_SECONDS (60 by
// default) with the background checkpoints of a real store, samples the
// WAL's size every 100 ms and fails when its high-water mark passes
// twice the limit:
//
//	go test ./store/sqlite -run '^$' -bench WALHighWater -benchtime 1x
func BenchmarkWALHighWater(b *testing.B) {
	secs := 60
	if v := benchEnvInt("CRMBOT_BENCH_WAL_SECONDS"); v > 0 {
		secs = v
	}
	for b.Loop() {
		db, err := Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "crmbot.db"))
		if err != nil {
			b.Fatal(err)
		}
		var high int64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if _, wal := db.Sizes(); wal > high {
						high = wal
					}
				}
			}
		}()
		end := time.Now().Add(time.Duration(secs) * time.Second)
		rows := 0
		for time.Now().Before(end) {
			writeCustomers(b, db, 1, rows, 5000)
			rows += 5000
		}
		close(stop)
		<-sampled
		size, _ := db.Sizes()
		b.ReportMetric(float64(high)/(1<<20), "wal-high-MB")
		b.ReportMetric(float64(size)/(1<<20), "db-MB")
		b.ReportMetric(float64(rows)/float64(secs), "rows/s")
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if high > 2*DefaultWALLimit {
			b.Errorf("WAL high-water mark %d MB, want at most %d MB", high>>20, 2*DefaultWALLimit>>20)
		}
	}
}

// benchEnvInt reads a positive integer from the environment (0 when unset
// or malformed).
func benchEnvInt(name string) int {
	n, err := strconv.Atoi(os.Getenv(name))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// TestWALPace: the background checkpoint runs, checkpointGap after the
// last one, on a tick that finds nothing committed for checkpointGap
// (idle) and a WAL to copy, or a WAL below the limit grown by half the
// limit since the last checkpoint; not on one that finds the WAL written
// to lately, or past the limit but short of one and a half times it (an
// import's batches: each checkpoint would copy its indexes' pages again);
// and at once, whenever the last ran, on one that finds a WAL grown past
// one and a half times the limit since the last checkpoint.
func TestWALPace(t *testing.T) {
	const limit = 64
	var p walPace
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		name    string
		after   time.Duration // since the step before
		wal     int64
		version int64 // data_version: a change is a commit since the tick before
		due     bool
		at      int64 // the WAL after the checkpoint, when one ran
	}{
		{"first tick, empty", 0, 0, 1, false, 0},
		{"idle, empty", time.Second, 0, 1, false, 0},
		{"a few writes", time.Second, 5, 2, false, 0},
		{"quiet for a tick", checkpointTick, 5, 2, false, 0},
		{"idle after them", time.Second, 5, 2, true, 5},
		{"growing", time.Second, 30, 3, false, 0},
		{"half the limit since", time.Second, 40, 4, true, 40},
		{"past the limit, idle, too soon", checkpointTick, 70, 4, false, 0},
		{"past the limit, written to", time.Second, 80, 5, false, 0},
		{"past the limit, quiet for a tick", checkpointTick, 80, 5, false, 0},
		{"past the limit, idle", checkpointGap, 80, 5, true, 80}, // restarted
		{"a restarted log over the file's beginning", time.Second, 64, 6, false, 0},
		{"still writing over it", time.Second, 64, 7, false, 0},
		{"past one and a half times the limit, at once", checkpointTick, 97, 8, true, 97},
		{"the restarted file as it was", checkpointTick, 97, 9, false, 0},
		{"the version unknown", time.Second, 64, -1, false, 0},
		{"and again", time.Second, 64, -1, false, 0},
		{"known again, unchanged", checkpointTick, 64, 9, false, 0}, // not known to be idle
		{"idle, copied back", time.Second, 64, 9, true, 64},
	}
	for _, s := range steps {
		now = now.Add(s.after)
		if got := p.due(s.wal, limit, s.version, now); got != s.due {
			t.Fatalf("%s (WAL %d, after the last checkpoint %d): due %v, want %v", s.name, s.wal, p.at, got, s.due)
		}
		if s.due {
			p.at, p.ran = s.at, now
		}
	}
}
