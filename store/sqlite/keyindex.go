package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// A search reads every customer of her book: SQLite's interpreter spends
// 25-30 ms a pass over 50,000 customers of customers_sort_rank (most of it
// evaluating instr per row), and a name typed in a case takes two or three
// passes. So the process keeps the search columns of each big book in
// memory (keyRow), in the index's order, and a search of a book that
// holds no other condition than her words scans them in Go: a pass over
// 50,000 customers costs ~2 ms. The copy is brought up to date from
// customer_keys_log (migration 0082), which triggers fill in the
// transaction of every change to a customer's keys by any process: a
// search reads the log past the copy's last entry, and the rows it names.
// Rows are named by rowid, which only a VACUUM renumbers: the store never
// runs one, and one run by hand on a live database must be followed by a
// restart of the bots on it.

// keyRow is one customer's search columns.
type keyRow struct {
	row             int64
	sortKey, id     string
	search, nameKey string
}

// bookKeys is a copy of one book's keys as of the log's entry seq: her
// active customers and her archived ones, each in (sort_key, id) order.
// It is never changed once made: a newer copy replaces it.
type bookKeys struct {
	seq   int64
	lists [2][]keyRow // [archived]
	bytes int
	used  uint64 // the index's tick when last read
	// small: her book had n customers, too few to copy (lists empty);
	// counted again when the log has moved on.
	small bool
	n     int
}

// of is the list of her active or archived customers.
func (k *bookKeys) of(archived bool) []keyRow { return k.lists[boolInt(archived)] }

// keyIndex is the process's copies of the big books' keys.
type keyIndex struct {
	mu    sync.Mutex
	books map[int64]*bookKeys
	bytes int
	tick  uint64
	// minBook is the least customers a book needs to be copied (smaller
	// ones are searched fast enough in SQL: 5,000 customers, 6 ms), and
	// maxBytes bounds the copies together: the least recently read book
	// goes first.
	minBook  int
	maxBytes int
	// A book is read whole in the background (175 ms at 50,000
	// customers), the search that asked answered in SQL meanwhile; sync
	// reads it in the search instead (tests).
	sync    bool
	loading map[int64]bool
	loads   sync.WaitGroup
	ctx     context.Context // of the loads: cancelled by Close
	cancel  context.CancelFunc
}

const (
	keyIndexMinBook  = 3_000
	keyIndexMaxBytes = 96 << 20
	// keyRefreshMax is the most changed rows a copy is brought up to
	// date with; past it (an import) the book is read anew.
	keyRefreshMax = 2_000
	// keyLogScanMax is the most entries of the log (of every book) a copy
	// is brought up to date through (~5 ms to read); past it, it is read
	// anew.
	keyLogScanMax = 50_000
	// keyLogKeep is how many entries of the log pruning keeps: a copy
	// older than the oldest kept is read anew.
	keyLogKeep = 200_000
	// keyLogPruneEvery is how often the background checkpoint prunes it.
	keyLogPruneEvery = 10 * time.Minute
)

func newKeyIndex() *keyIndex {
	ctx, cancel := context.WithCancel(context.Background())
	return &keyIndex{books: map[int64]*bookKeys{}, minBook: keyIndexMinBook, maxBytes: keyIndexMaxBytes,
		loading: map[int64]bool{}, ctx: ctx, cancel: cancel}
}

// set sets minBook and sync once the loads under way are done (tests).
func (ix *keyIndex) set(minBook int, sync bool) {
	ix.loads.Wait()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.minBook, ix.sync = minBook, sync
}

// close stops the loads and waits for them.
func (ix *keyIndex) close() {
	ix.cancel()
	ix.loads.Wait()
}

// bookKeys returns owner's keys as of the last commit, or nil when her book
// is too small to copy or its copy is being read: search it in SQL. A
// small book is remembered as such: while the log stands still her next
// search costs one read of it, then a count of her rows. When her book must be read anew, later starts
// reading it in the background: call it once the search is answered, so
// that the two do not share the cores (a no-op otherwise).
func (db *DB) bookKeys(ctx context.Context, owner int64) (k *bookKeys, later func(), err error) {
	ix := db.keys
	later = func() {}
	ix.mu.Lock()
	cur, loading := ix.books[owner], ix.loading[owner]
	ix.mu.Unlock()
	if loading {
		return nil, later, nil
	}
	next, whole, err := db.readKeys(ctx, owner, cur, !ix.sync)
	switch {
	case err != nil:
		return nil, later, err
	case whole:
		return nil, func() { db.loadKeys(owner, cur) }, nil
	}
	ix.put(owner, cur, next)
	if next.small {
		return nil, later, nil
	}
	return next, later, nil
}

// readKeys is cur brought up to date in one read transaction, or owner's
// book read anew; whole, and no keys, when it must be read anew and the
// read is left to the background.
func (db *DB) readKeys(ctx context.Context, owner int64, cur *bookKeys, background bool) (*bookKeys, bool, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, fmt.Errorf("book keys: %w", err)
	}
	defer tx.Rollback()
	var last, first sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT max(seq) FROM customer_keys_log), (SELECT min(seq) FROM customer_keys_log)`).Scan(&last, &first); err != nil {
		return nil, false, fmt.Errorf("book keys: log: %w", err)
	}
	next, whole, err := db.refreshKeys(ctx, tx, owner, cur, last.Int64, first.Int64)
	if err != nil {
		return nil, false, err
	}
	if whole {
		if background {
			return nil, true, nil
		}
		if next, err = db.readBook(ctx, tx, owner, last.Int64); err != nil {
			return nil, false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("book keys: %w", err)
	}
	return next, false, nil
}

// preloadKeys copies the big books in the background after a start, the
// biggest first, as many as the bound holds: the first search after a
// restart is then answered from a copy too.
func (db *DB) preloadKeys() {
	ix := db.keys
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.sync {
		return
	}
	ix.loads.Add(1)
	go func() {
		defer ix.loads.Done()
		rs, err := db.read.QueryContext(ix.ctx, `SELECT owner FROM customers GROUP BY owner HAVING count(*) >= ? ORDER BY count(*) DESC`, ix.minBook)
		if err != nil {
			return
		}
		var owners []int64
		for rs.Next() {
			var o int64
			if rs.Scan(&o) == nil {
				owners = append(owners, o)
			}
		}
		rs.Close()
		for _, o := range owners {
			next, _, err := db.readKeys(ix.ctx, o, nil, false)
			if err != nil || next == nil {
				return
			}
			ix.mu.Lock()
			full := ix.bytes+next.bytes > ix.maxBytes
			ix.mu.Unlock()
			if full {
				return
			}
			ix.put(o, nil, next)
		}
	}()
}

// loadKeys reads owner's book anew in the background, once at a time.
func (db *DB) loadKeys(owner int64, cur *bookKeys) {
	ix := db.keys
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.loading[owner] || ix.ctx.Err() != nil {
		return
	}
	ix.loading[owner] = true
	ix.loads.Add(1)
	go func() {
		defer ix.loads.Done()
		next, _, err := db.readKeys(ix.ctx, owner, cur, false)
		if err == nil && next != nil {
			ix.put(owner, cur, next)
		}
		ix.mu.Lock()
		delete(ix.loading, owner)
		ix.mu.Unlock()
	}()
}

// refreshKeys is cur brought up to the log's entry last (the oldest kept
// is first), or whole when owner's book must be read anew (readBook).
func (db *DB) refreshKeys(ctx context.Context, tx *sql.Tx, owner int64, cur *bookKeys, last, first int64) (*bookKeys, bool, error) {
	if cur != nil && cur.seq == last {
		return cur, false, nil
	}
	if cur != nil && cur.small {
		// Her own rows counted (an index of hers: well under a
		// millisecond), not the log's entries of every book since.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE owner = ?`, owner).Scan(&n); err != nil {
			return nil, false, fmt.Errorf("book keys: count: %w", err)
		}
		if n < db.keys.minBook {
			return &bookKeys{seq: last, small: true, n: n}, false, nil
		}
		return nil, true, nil
	}
	if cur != nil && (first == 0 || cur.seq >= first-1) && last-cur.seq <= keyLogScanMax {
		rows, err := changedRows(ctx, tx, owner, cur.seq)
		if err != nil {
			return nil, false, err
		}
		if len(rows) <= keyRefreshMax {
			next, err := db.patchKeys(ctx, tx, owner, cur, last, rows)
			return next, false, err
		}
	}
	return nil, true, nil
}

// readBook reads owner's book keys as of the log's entry last: a small
// book is counted only.
func (db *DB) readBook(ctx context.Context, tx *sql.Tx, owner, last int64) (*bookKeys, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE owner = ?`, owner).Scan(&n); err != nil {
		return nil, fmt.Errorf("book keys: count: %w", err)
	}
	if n < db.keys.minBook {
		return &bookKeys{seq: last, small: true, n: n}, nil
	}
	k := &bookKeys{seq: last}
	for a := range k.lists {
		list, err := readKeyRows(ctx, tx, `owner = ? AND archived = ?`, owner, a)
		if err != nil {
			return nil, err
		}
		k.lists[a] = list
	}
	k.measure()
	return k, nil
}

// changedRows is the rows of owner's customers logged after seq.
func changedRows(ctx context.Context, tx *sql.Tx, owner, seq int64) ([]int64, error) {
	rs, err := tx.QueryContext(ctx, `SELECT DISTINCT row FROM customer_keys_log WHERE seq > ? AND owner = ?`, seq, owner)
	if err != nil {
		return nil, fmt.Errorf("book keys: changes: %w", err)
	}
	defer rs.Close()
	var out []int64
	for rs.Next() {
		var r int64
		if err := rs.Scan(&r); err != nil {
			return nil, fmt.Errorf("book keys: changes: %w", err)
		}
		out = append(out, r)
		if len(out) > keyRefreshMax {
			break
		}
	}
	return out, rs.Err()
}

// patchKeys is cur with the rows changed since it read again, as of the
// log's entry last.
func (db *DB) patchKeys(ctx context.Context, tx *sql.Tx, owner int64, cur *bookKeys, last int64, changed []int64) (*bookKeys, error) {
	if len(changed) == 0 {
		k := *cur
		k.seq = last
		return &k, nil
	}
	gone := make(map[int64]bool, len(changed))
	args := []any{owner}
	for _, r := range changed {
		gone[r] = true
		args = append(args, r)
	}
	var fresh [2][]keyRow
	rs, err := tx.QueryContext(ctx, `SELECT archived, rowid, sort_key, id, search, name_key FROM customers
		WHERE +owner = ? AND rowid IN (?`+strings.Repeat(`, ?`, len(changed)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("book keys: changed rows: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var a int
		var r keyRow
		if err := rs.Scan(&a, &r.row, &r.sortKey, &r.id, &r.search, &r.nameKey); err != nil {
			return nil, fmt.Errorf("book keys: changed rows: %w", err)
		}
		fresh[min(a, 1)] = append(fresh[min(a, 1)], r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("book keys: changed rows: %w", err)
	}
	k := &bookKeys{seq: last}
	for a := range k.lists {
		slices.SortFunc(fresh[a], compareKeys)
		k.lists[a] = mergeKeys(cur.lists[a], gone, fresh[a])
	}
	k.measure()
	return k, nil
}

// mergeKeys is old without the rows in gone, merged with fresh; both
// lists in order.
func mergeKeys(old []keyRow, gone map[int64]bool, fresh []keyRow) []keyRow {
	out := make([]keyRow, 0, len(old)+len(fresh))
	j := 0
	for _, r := range old {
		if gone[r.row] {
			continue
		}
		for j < len(fresh) && compareKeys(fresh[j], r) < 0 {
			out = append(out, fresh[j])
			j++
		}
		out = append(out, r)
	}
	return append(out, fresh[j:]...)
}

// compareKeys orders rows as customers_sort_rank does.
func compareKeys(a, b keyRow) int {
	return cmp.Or(strings.Compare(a.sortKey, b.sortKey), strings.Compare(a.id, b.id))
}

// readKeyRows reads the keys of the customers cond selects, in order, into
// one string that the rows' keys are cut from: one allocation for the
// book, not four a customer (50,000 customers: the garbage collector
// slowed the searches meanwhile).
func readKeyRows(ctx context.Context, tx *sql.Tx, cond string, args ...any) ([]keyRow, error) {
	rs, err := tx.QueryContext(ctx, `SELECT rowid, sort_key, id, search, name_key FROM customers WHERE `+cond+` ORDER BY sort_key, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("book keys: read: %w", err)
	}
	defer rs.Close()
	type cut struct {
		row  int64
		ends [4]int
	}
	var cuts []cut
	var arena []byte
	var cols [4]sql.RawBytes
	for rs.Next() {
		var c cut
		if err := rs.Scan(&c.row, &cols[0], &cols[1], &cols[2], &cols[3]); err != nil {
			return nil, fmt.Errorf("book keys: read: %w", err)
		}
		for i, col := range cols {
			arena = append(arena, col...)
			c.ends[i] = len(arena)
		}
		cuts = append(cuts, c)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("book keys: read: %w", err)
	}
	all := string(arena)
	out := make([]keyRow, len(cuts))
	from := 0
	for i, c := range cuts {
		out[i] = keyRow{row: c.row, sortKey: all[from:c.ends[0]], id: all[c.ends[0]:c.ends[1]],
			search: all[c.ends[1]:c.ends[2]], nameKey: all[c.ends[2]:c.ends[3]]}
		from = c.ends[3]
	}
	return out, nil
}

// measure sets k's size in memory.
func (k *bookKeys) measure() {
	n := 0
	for _, list := range k.lists {
		for _, r := range list {
			n += 64 + len(r.sortKey) + len(r.id) + len(r.search) + len(r.nameKey)
		}
	}
	k.bytes = n
}

// put makes next owner's copy unless another search put a newer one since
// cur was read, and evicts the least recently read books past the bound.
func (ix *keyIndex) put(owner int64, cur, next *bookKeys) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.tick++
	if had := ix.books[owner]; had != cur && had != nil && had.seq >= next.seq {
		had.used = ix.tick
		return
	}
	if had := ix.books[owner]; had != nil {
		ix.bytes -= had.bytes
	}
	next.used = ix.tick
	ix.books[owner] = next
	ix.bytes += next.bytes
	for ix.bytes > ix.maxBytes && len(ix.books) > 1 {
		var oldest int64
		var at uint64
		first := true
		for o, k := range ix.books {
			if o != owner && (first || k.used < at) {
				oldest, at, first = o, k.used, false
			}
		}
		ix.bytes -= ix.books[oldest].bytes
		delete(ix.books, oldest)
	}
}

// SearchCopies is how many books' keys the process holds copied and their
// size in memory (/metrics).
func (db *DB) SearchCopies() (books int, bytes int64) {
	ix := db.keys
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, k := range ix.books {
		if !k.small {
			books++
		}
	}
	return books, int64(ix.bytes)
}

// PruneKeyLog deletes the log's entries but the last keyLogKeep: a copy of
// a book older than those is read anew.
func (db *DB) PruneKeyLog(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM customer_keys_log WHERE seq <= (SELECT max(seq) FROM customer_keys_log) - ?`, keyLogKeep)
	if err != nil {
		return fmt.Errorf("prune key log: %w", err)
	}
	return nil
}
