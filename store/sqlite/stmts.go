package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmts keeps the statements of the per-update path prepared, one per
// pool and query: parsing a statement costs about as much as running it
// (11% of /help's CPU went to sqlite3Prepare), and the driver keeps a
// prepared statement's handle for reuse.
type stmts struct {
	m sync.Map // stmtKey → *sql.Stmt
}

type stmtKey struct {
	pool *sql.DB
	q    string
}

// get returns q prepared on pool, preparing it on first use. In a
// transaction on the same pool, tx.StmtContext reuses it. Never call it
// for the writer inside a write transaction: the first use would wait for
// the one connection the transaction holds.
func (s *stmts) get(ctx context.Context, pool *sql.DB, q string) (*sql.Stmt, error) {
	k := stmtKey{pool, q}
	if st, ok := s.m.Load(k); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.m.LoadOrStore(k, st); loaded {
		_ = st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// close closes every statement (before the pools).
func (s *stmts) close() error {
	var errs []error
	s.m.Range(func(k, v any) bool {
		errs = append(errs, v.(*sql.Stmt).Close())
		s.m.Delete(k)
		return true
	})
	return errors.Join(errs...)
}

// queryRow runs a prepared q on the reader pool.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) (*sql.Row, error) {
	st, err := db.stmts.get(ctx, db.read, q)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}
