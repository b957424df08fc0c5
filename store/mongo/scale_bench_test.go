package mongo

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/storetest"
)

// BenchmarkHeldClaims: claims with 10,000 held reminders present, on the
// test server (the embedded FerretDB unless CRMBOT_TEST_MONGODB_URI is
// set: FerretDB figures, not MongoDB ones).
//
//	go test ./store/mongo -run '^$' -bench 'HeldClaims|DigestTick' -benchtime 200x
func BenchmarkHeldClaims(b *testing.B) {
	db := openBench(b)
	storetest.HeldClaims(b, db, func(rs []crm.Reminder) error {
		docs := make([]any, 0, len(rs))
		for _, r := range rs {
			normReminder(&r)
			docs = append(docs, document(r.Owner, r.ID, 1, r, reminderKeys(&r)))
		}
		_, err := db.reminders.InsertMany(context.Background(), docs)
		return err
	}, benchHeld(), target(0.02, 200))
}

// target is a figure's bound on the embedded FerretDB or on a real
// MongoDB. FerretDB 1.24 on SQLite uses no secondary index for these
// filters and sorts in Go, so it reads every reminder (or consultant) per
// query: its bound only catches a further order of magnitude lost.
func target(ferret, mongo float64) float64 {
	if _, name := ServerURIForTests(); name == "CRMBOT_TEST_MONGODB_URI" {
		return mongo
	}
	return ferret
}

// benchHeld is how many held reminders HeldClaims seeds
// (CRMBOT_BENCH_HELD, default 10,000).
func benchHeld() int {
	if n, err := strconv.Atoi(os.Getenv("CRMBOT_BENCH_HELD")); err == nil && n >= 0 {
		return n
	}
	return 10_000
}

// BenchmarkDigestTick: the digest job's minute among 10,000 consultants,
// 50 of them due.
func BenchmarkDigestTick(b *testing.B) {
	db := openBench(b)
	storetest.DigestTick(b, db, func(cs []crm.Consultant) error {
		docs := make([]any, 0, len(cs))
		for _, c := range cs {
			normConsultant(&c)
			docs = append(docs, document(c.ID, me, 1, c, consultantKeys(&c)))
		}
		_, err := db.consultants.InsertMany(context.Background(), docs)
		return err
	}, 10_000, 50, target(20_000, 50))
}

func openBench(b *testing.B) *DB {
	b.Helper()
	uri, server := ServerURIForTests()
	b.Logf("on %s", server)
	u, err := url.Parse(uri)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_scale_%d", time.Now().UnixNano()%1e9)
	db, err := Open(context.Background(), u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	return db
}
