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
