// Package sqlitetest gives tests a new SQLite database without running
// every migration for each: one database is migrated per test process and
// each test gets a file copy of it. Imported by tests only.
package sqlitetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/crmbot/crmbot/store/sqlite"
)

// migrated is the file of a database that every migration was applied
// to, made once for the test process: sqlite.Open from scratch took 0.7 s
// under -race. Fresh writes a copy for each test; the store's own tests
// still migrate from scratch.
var migrated = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "crmbot-test-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "crmbot.db")
	db, err := sqlite.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	// Every page into the main file, the log emptied: the file alone is
	// then the whole database.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, err
	}
	var busy, logged, moved int
	err = raw.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved)
	if cerr := raw.Close(); err == nil {
		err = cerr
	}
	if err == nil && busy != 0 {
		err = fmt.Errorf("checkpoint of %s: busy", path)
	}
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("%s-wal holds %d bytes after a checkpoint", path, fi.Size())
	}
	return os.ReadFile(path)
})

// Fresh returns the path of a new database in t's temp dir, a copy of the
// migrated one: what sqlite.Open makes of a new file.
func Fresh(t testing.TB) string {
	t.Helper()
	b, err := migrated()
	if err != nil {
		t.Fatalf("migrate the database to copy: %v", err)
	}
	path := filepath.Join(t.TempDir(), "crmbot.db")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
