package book_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store/sqlite"
)

// BenchmarkChatImport runs the chat's import of a 2 MB file (a preview,
// then the import she confirms) into a new book, alternating the two ways
// the import may get its rows: the preview's rows kept (PreviewKeeping,
// the bot's way) and the file parsed a second time (as before, and still
// after a restart). It reports each one's seconds and their ratio.
//
//	go test ./book -run '^$' -bench ChatImport -benchtime 3x
func BenchmarkChatImport(b *testing.B) {
	path, rows := benchContacts(b, 2<<20)
	ctx := context.Background()
	run := func(i int, keep bool) time.Duration {
		db, err := sqlite.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "chat.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		tr := book.New(db, crm.SystemClock{}, nil, book.Config{ImportMaxRows: 200_000}).Transfers
		open := func() (*csvio.Reader, func()) {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			rd, err := csvio.Open(f, filepath.Base(path), csvio.Options{Region: "KZ", Now: time.Now(), MaxRows: 200_000})
			if err != nil {
				b.Fatal(err)
			}
			return rd, func() { f.Close() }
		}
		start := time.Now()
		rd, done := open()
		p, kept, err := tr.PreviewKeeping(ctx, int64(100+i), rd)
		done()
		if err != nil || p.New != rows {
			b.Fatalf("preview %+v %v", p, err)
		}
		var src book.Rows = kept
		if !keep {
			rd, done := open()
			defer done()
			src = rd
		}
		rep, err := tr.ImportCustomers(ctx, int64(100+i), src, filepath.Base(path), false)
		if err != nil || rep.Imported != rows {
			b.Fatalf("import %+v %v", rep, err)
		}
		return time.Since(start)
	}
	var kept, again time.Duration
	i := 0
	for b.Loop() {
		kept += run(i, true)
		again += run(i, false)
		i++
	}
	b.ReportMetric(kept.Seconds()/float64(i), "s/kept")
	b.ReportMetric(again.Seconds()/float64(i), "s/parsed-again")
	b.ReportMetric(kept.Seconds()/again.Seconds(), "kept/again")
}
