package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

var _ store.Imports = (*DB)(nil)

// importedRow is one record of an import batch, encoded.
type importedRow struct {
	c   crm.Customer
	r   customerRow
	e   crm.Event
	doc string // the entry's, if she has one
}

// CreateImported writes a batch of imported customers and their entries (if
// they have any) in one transaction: all of it or nothing. The records are
// encoded first, half of them on another goroutine (the keys of a customer
// take as long as writing her) and outside the write lock.
func (db *DB) CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error) {
	rp := importedRows.Get().(*[]importedRow)
	defer func() {
		clear(*rp)
		importedRows.Put(rp)
	}()
	if cap(*rp) < len(batch) {
		*rp = make([]importedRow, len(batch))
	}
	rows := (*rp)[:len(batch)]
	for i, im := range batch {
		c, e := im.Customer, im.Event
		if c.Owner != owner || c.ID == "" || (e.ID != "" && (e.Owner != owner || e.CustomerID != c.ID)) {
			return nil, fmt.Errorf("create imported customers: customer %q and entry %q must be owner %d's and belong together", c.ID, e.ID, owner)
		}
		rows[i] = importedRow{c: c, e: e}
	}
	var other error
	var wg sync.WaitGroup
	half := len(rows) / 2
	wg.Go(func() { other = encodeImported(rows[:half]) })
	err := encodeImported(rows[half:])
	wg.Wait()
	if err = errors.Join(other, err); err != nil {
		return nil, fmt.Errorf("create imported customers: %w", err)
	}
	added := make([]bool, len(batch))
	// Prepared once for every batch of every import (outside the
	// transaction: stmts.get must not wait for the writer it holds).
	var ins inserts
	if ins.any, err = db.stmts.get(ctx, db.write.DB, insertImportedSQL); err != nil {
		return nil, fmt.Errorf("create imported customers: %w", err)
	}
	if ins.fresh, err = db.stmts.get(ctx, db.write.DB, insertFreshSQL); err != nil {
		return nil, fmt.Errorf("create imported customers: %w", err)
	}
	if err := db.tx(ctx, func(tx *sql.Tx) error { return insertImported(ctx, tx, ins, rows, added) }); err != nil {
		return nil, fmt.Errorf("create imported customers: %w", err)
	}
	return added, nil
}

// encodeImported encodes the customers of rows and their entries.
func encodeImported(rows []importedRow) error {
	for i := range rows {
		x := &rows[i]
		r, err := encodeCustomer(&x.c)
		if err != nil {
			return fmt.Errorf("customer %s: %w", x.c.ID, err)
		}
		x.r = r
		if x.e.ID == "" {
			continue
		}
		x.e.At = store.NormTime(x.e.At)
		doc, err := json.Marshal(x.e)
		if err != nil {
			return fmt.Errorf("entry %s: encode: %w", x.e.ID, err)
		}
		x.doc = string(doc)
	}
	return nil
}

// importedRows pools CreateImported's encoded batches (0.5 MB each).
var importedRows = sync.Pool{New: func() any { return new([]importedRow) }}

// insertImportedSQL inserts an imported card. OR IGNORE, not ON CONFLICT
// DO NOTHING: every column is bound from Go values that cannot be NULL,
// so it only skips a card already there, and a statement that cannot
// abort needs no statement journal (the insert's trigger,
// customers_erased_lift, made SQLite keep one: 6% of an import's time).
const insertImportedSQL = `INSERT OR IGNORE INTO customers
		(owner, id, doc, search, sort_name, tags, phone, email, archived, last_order_at, created_at,
		 bday, order_statuses, pay_statuses, merged, complaints, sort_key, name_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertFreshSQL is insertImportedSQL for a fresh card (customerRow.fresh),
// as every card a file makes is: the columns of orders, complaints,
// merges and the archive are literals, six values fewer to bind a row.
const insertFreshSQL = `INSERT OR IGNORE INTO customers
		(owner, id, doc, search, sort_name, tags, phone, email, archived, last_order_at, created_at,
		 bday, order_statuses, pay_statuses, merged, complaints, sort_key, name_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, '|', '|', 0, 0, ?, ?)`

// fresh reports whether r is a card's row that insertFreshSQL writes as
// it is: not archived, no orders, no complaints, merged into no one.
func (r *customerRow) fresh() bool {
	return r.archived == 0 && !r.lastOrder.Valid && r.orderStatuses == "|" && r.payStatuses == "|" && r.merged == 0 && r.complaints == 0
}

// inserts are insertImportedSQL (any) and insertFreshSQL prepared on the
// writer.
type inserts struct{ any, fresh *sql.Stmt }

// insertImported writes rows in tx with ins; added[i] reports whether
// rows[i]'s entry (her card, when she has none) was written.
func insertImported(ctx context.Context, tx *sql.Tx, ins inserts, rows []importedRow, added []bool) error {
	cust, fresh := tx.StmtContext(ctx, ins.any), tx.StmtContext(ctx, ins.fresh)
	defer cust.Close()
	defer fresh.Close()
	var ev *sql.Stmt // prepared for the first entry
	defer func() {
		if ev != nil {
			ev.Close()
		}
	}()
	for i, x := range rows {
		c, r, e := x.c, x.r, x.e
		var res sql.Result
		var err error
		if r.fresh() {
			res, err = fresh.ExecContext(ctx, c.Owner, c.ID, r.doc, r.search, r.sortName, r.tags, r.phone, r.email,
				r.created, r.bday, r.sortKey, r.nameKey)
		} else {
			res, err = cust.ExecContext(ctx, c.Owner, c.ID, r.doc, r.search, r.sortName, r.tags, r.phone, r.email, r.archived,
				r.lastOrder, r.created, r.bday, r.orderStatuses, r.payStatuses, r.merged, r.complaints, r.sortKey, r.nameKey)
		}
		if err != nil {
			return fmt.Errorf("customer %s: %w", c.ID, err)
		}
		if e.ID != "" {
			if ev == nil {
				if ev, err = tx.PrepareContext(ctx, `INSERT INTO events (owner, id, customer_id, at, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`); err != nil {
					return err
				}
			}
			if res, err = ev.ExecContext(ctx, e.Owner, e.ID, e.CustomerID, ms(e.At), x.doc); err != nil {
				return fmt.Errorf("entry %s: %w", e.ID, err)
			}
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("customer %s: %w", c.ID, err)
		}
		added[i] = n == 1
	}
	return nil
}
