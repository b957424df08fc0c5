package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/sqlite"
)

// TestOpenPathWithURICharacters: a data directory whose name holds "#" or
// "%" (SQLite reads the file name as a URI) is the one the database lives
// in, and a second open finds what the first wrote.
func TestOpenPathWithURICharacters(t *testing.T) {
	ctx := context.Background()
	for _, dir := range []string{"crm#2", "100% data", "a%23b"} {
		t.Run(dir, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), dir, "crmbot.db")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			db, err := sqlite.Open(ctx, "sqlite:"+path)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			if err := db.CreateCustomer(ctx, crm.Customer{ID: "c1", Owner: 1, FirstName: "Айгерим", CreatedAt: now, UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("the database is not at %s: %v", path, err)
			}
			db, err = sqlite.Open(ctx, "sqlite:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if c, err := db.GetCustomer(ctx, 1, "c1"); err != nil || c.FirstName != "Айгерим" {
				t.Fatalf("reopened: %+v, %v", c, err)
			}
		})
	}
}
