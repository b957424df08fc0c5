package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/crmbot/crmbot/store"
)

// unavailable marks a driver error that means the database cannot take
// the write now (store.ErrUnavailable) while keeping the driver's error in
// the chain (isUnique and logs still see it).
type unavailable struct{ err error }

func (u unavailable) Error() string        { return u.err.Error() }
func (u unavailable) Unwrap() error        { return u.err }
func (u unavailable) Is(target error) bool { return target == store.ErrUnavailable }

// classify wraps err as store.ErrUnavailable when SQLite's primary result
// code says the failure is the database's state, not the statement: full
// disk, read-only file or query_only, busy or locked past busy_timeout, an
// I/O error, a file that cannot be opened.
func classify(err error) error {
	if err == nil || errors.Is(err, store.ErrUnavailable) {
		return err
	}
	var e *driver.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED,
		sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return unavailable{err}
	}
	return err
}

// writer is the one writer connection; its ExecContext classifies what
// fails, so every single-statement write says ErrUnavailable the same way
// a transaction does (see tx).
type writer struct{ *sql.DB }

func (w writer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	r, err := w.DB.ExecContext(ctx, query, args...)
	return r, classify(err)
}

// CheckWrite proves the database takes a write (for /healthz): it upserts
// the one row of the health table (migration 0026).
func (db *DB) CheckWrite(ctx context.Context, at time.Time) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO health (id, checked_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, ms(at)); err != nil {
		return fmt.Errorf("sqlite: write check: %w", err)
	}
	return nil
}
