package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

var _ store.TotalsRepair = (*DB)(nil)

// errSameTotals stops a refresh whose totals did not change: nothing to write.
var errSameTotals = errors.New("totals unchanged")

// refreshTotals derives customerID's totals from her orders (crm.TotalsOf)
// and stores them, inside the transaction of the order write that changed
// them: the order and the totals that follow from it commit together, and
// the single writer connection serialises concurrent order writes, so no
// change is lost. An order of an unknown customer has no totals to keep.
// It reports whether the stored totals changed.
func refreshTotals(ctx context.Context, tx *sql.Tx, owner int64, customerID string) (bool, error) {
	if customerID == "" {
		return false, nil
	}
	orders, err := customerOrders(ctx, tx, owner, customerID)
	if err != nil {
		return false, fmt.Errorf("totals of customer %s: %w", customerID, err)
	}
	t := crm.TotalsOf(orders)
	_, err = updateCustomer(ctx, tx, owner, customerID, func(c *crm.Customer) error {
		if c.Totals.Equal(t) {
			return errSameTotals
		}
		c.Totals = t
		return nil
	})
	switch {
	case errors.Is(err, errSameTotals), errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("totals of customer %s: %w", customerID, err)
	}
	return true, nil
}

// customerOrders reads all of a customer's orders, archived ones too.
func customerOrders(ctx context.Context, tx *sql.Tx, owner int64, customerID string) ([]crm.Order, error) {
	rows, err := tx.QueryContext(ctx, `SELECT doc FROM orders WHERE owner = ? AND customer_id = ?`, owner, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Order
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		o, err := decodeOrder(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// RepairTotals recomputes, from the orders, the totals of every customer of
// owner whose stored totals differ from them, and returns how many it
// changed. Order writes keep totals exact on SQLite; this restores totals
// written by something else (an older version's blind write, a hand edit).
// Each customer is refreshed in a transaction of her own that reads her
// orders again, so the repair never undoes a concurrent order write.
func (db *DB) RepairTotals(ctx context.Context, owner int64) (int, error) {
	stale, err := db.staleTotals(ctx, owner)
	if err != nil {
		return 0, fmt.Errorf("repair totals of %d: %w", owner, err)
	}
	n := 0
	for _, id := range stale {
		var changed bool
		err := db.tx(ctx, func(tx *sql.Tx) error {
			var err error
			changed, err = refreshTotals(ctx, tx, owner, id)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("repair totals of %d: %w", owner, err)
		}
		if changed {
			n++
		}
	}
	return n, nil
}

// staleTotals returns the ids of owner's customers whose stored totals are
// not those their orders give, read outside any write (RepairTotals checks
// each again in its own transaction).
func (db *DB) staleTotals(ctx context.Context, owner int64) ([]string, error) {
	byCustomer := map[string][]crm.Order{}
	rows, err := db.read.QueryContext(ctx, `SELECT customer_id, doc FROM orders WHERE owner = ?`, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid, doc string
		if err := rows.Scan(&cid, &doc); err != nil {
			return nil, err
		}
		o, err := decodeOrder(doc)
		if err != nil {
			return nil, err
		}
		byCustomer[cid] = append(byCustomer[cid], o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	crows, err := db.read.QueryContext(ctx, `SELECT id, json_extract(doc, '$.Totals') FROM customers WHERE owner = ?`, owner)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	var stale []string
	for crows.Next() {
		var id string
		var stored sql.NullString
		if err := crows.Scan(&id, &stored); err != nil {
			return nil, err
		}
		var t crm.CustomerTotals
		if stored.Valid {
			if err := json.Unmarshal([]byte(stored.String), &t); err != nil {
				return nil, fmt.Errorf("decode totals of %s: %w", id, err)
			}
		}
		if !t.Equal(crm.TotalsOf(byCustomer[id])) {
			stale = append(stale, id)
		}
	}
	return stale, crows.Err()
}
