package sqlite

import (
	"context"
	"sync"

	"github.com/crmbot/crmbot/store"
)

// visitors keeps the visitors GetVisitor read, each with the change
// counter of roles and consultants (visitors_version, moved by triggers
// in the transaction of any change, from any process) it was read at. A
// lookup reads the counter, one row of a one-page table, and reuses what
// was read at the same count: the join it saves reloads several pages
// after every commit (see migration 0081).
type visitors struct {
	mu sync.Mutex
	m  map[int64]cachedVisitor
}

type cachedVisitor struct {
	n int64
	v store.Visitor // never handed out: callers get copies
}

// maxVisitors bounds the entries; past it they are dropped all at once.
const maxVisitors = 8192

const visitorsVersionSQL = `SELECT n FROM visitors_version WHERE k = 1`

// get returns the visitor read at count n, if any.
func (vs *visitors) get(userID, n int64) (store.Visitor, bool) {
	vs.mu.Lock()
	e, ok := vs.m[userID]
	vs.mu.Unlock()
	if !ok || e.n != n {
		return store.Visitor{}, false
	}
	return copyVisitor(e.v), true
}

// put keeps v, read at count n, unless a later count is kept already.
func (vs *visitors) put(userID, n int64, v store.Visitor) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if e, ok := vs.m[userID]; ok && e.n > n {
		return
	}
	if vs.m == nil || len(vs.m) >= maxVisitors {
		vs.m = map[int64]cachedVisitor{}
	}
	vs.m[userID] = cachedVisitor{n, copyVisitor(v)}
}

// copyVisitor copies what a caller could change through v.
func copyVisitor(v store.Visitor) store.Visitor {
	if v.Role.ErasedAt != nil {
		t := *v.Role.ErasedAt
		v.Role.ErasedAt = &t
	}
	if v.Consultant != nil {
		c := v.Consultant.Clone()
		v.Consultant = &c
	}
	return v
}

// visitorsVersion reads the change counter (uncancellable: see getVisitor).
func (db *DB) visitorsVersion(ctx context.Context) (int64, error) {
	st, err := db.stmts.get(ctx, db.read, visitorsVersionSQL)
	if err != nil {
		return 0, err
	}
	var n int64
	err = st.QueryRowContext(context.WithoutCancel(ctx)).Scan(&n)
	return n, err
}
