package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func openFile(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// fill writes forms with big values until the write fails (or n forms).
func fill(ctx context.Context, db *DB, n int) error {
	big := strings.Repeat("x", 4000)
	for i := range n {
		err := db.PutForm(ctx, store.FormState{Owner: 1, ChatID: int64(i + 1), Name: "add", Values: map[string]string{"notes": big}})
		if err != nil {
			return err
		}
	}
	return nil
}

// TestWritesOnABrokenDatabaseSayUnavailable: on a real file made read-only
// (query_only on the writer) or full (max_page_count at its current size),
// single-statement writes, transactions and the health write all fail with
// an error that is store.ErrUnavailable, and once the fault clears the same
// writes succeed.
func TestWritesOnABrokenDatabaseSayUnavailable(t *testing.T) {
	faults := []struct {
		name        string
		break_, fix string
	}{
		{"read-only", `PRAGMA query_only = ON`, `PRAGMA query_only = OFF`},
		{"disk full", `PRAGMA max_page_count = %d`, `PRAGMA max_page_count = 1073741823`},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			ctx := context.Background()
			db := openFile(t)
			var pages int
			if err := db.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
				t.Fatal(err)
			}
			q := f.break_
			if strings.Contains(q, "%d") {
				q = fmt.Sprintf(q, pages)
			}
			if _, err := db.write.DB.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
			writes := map[string]func() error{
				"single statement": func() error { return fill(ctx, db, 50) },
				"transaction": func() error {
					_, err := db.UpdateConsultant(ctx, 7, crm.Consultant{ID: 7, Language: "ru"}, func(c *crm.Consultant) error {
						c.Name = strings.Repeat("Айгерим ", 2000)
						return nil
					})
					return err
				},
				"health check": func() error { return db.CheckWrite(ctx, time.Now()) },
			}
			for name, w := range writes {
				err := w()
				if f.name == "disk full" && name == "health check" && err == nil {
					continue // the one health row fits in a page already there
				}
				if !errors.Is(err, store.ErrUnavailable) {
					t.Errorf("%s: err = %v, want store.ErrUnavailable", name, err)
				}
			}
			if _, err := db.write.DB.ExecContext(ctx, f.fix); err != nil {
				t.Fatal(err)
			}
			if err := fill(ctx, db, 50); err != nil {
				t.Fatalf("after the fault cleared: %v", err)
			}
			if err := db.CheckWrite(ctx, time.Now()); err != nil {
				t.Fatalf("health after the fault cleared: %v", err)
			}
		})
	}
}

// TestClassifyLeavesStatementErrorsAlone: a constraint violation or an
// error that is not SQLite's is not "unavailable" (retrying cannot help).
func TestClassifyLeavesStatementErrorsAlone(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	_, err := db.write.ExecContext(ctx, `INSERT INTO no_such_table VALUES (1)`)
	if err == nil || errors.Is(err, store.ErrUnavailable) {
		t.Errorf("missing table: err = %v, want an error that is not ErrUnavailable", err)
	}
	if err := classify(errors.New("other")); errors.Is(err, store.ErrUnavailable) {
		t.Errorf("plain error classified as unavailable")
	}
	if classify(nil) != nil {
		t.Errorf("classify(nil) != nil")
	}
}
