package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunTests(t, func(t *testing.T) store.Store {
		db, err := sqlite.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

// TestConformanceCopiedBooks is the suite's search tests with every book's
// search keys copied into the process (keyindex.go), as a book of
// thousands is: its searches run in Go, and must answer as the SQL does.
func TestConformanceCopiedBooks(t *testing.T) {
	storetest.RunSearchTests(t, func(t *testing.T) store.Store {
		db, err := sqlite.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
		if err != nil {
			t.Fatal(err)
		}
		sqlite.CopyEveryBook(db)
		return db
	})
}
