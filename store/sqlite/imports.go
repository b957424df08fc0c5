package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/crmbot/crmbot/store"
)

var _ store.Imports = (*DB)(nil)

// CreateImported writes a batch of imported customers and their entries (if
// they have any) in one transaction: all of it or nothing.
func (db *DB) CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error) {
	added := make([]bool, len(batch))
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cust, err := tx.PrepareContext(ctx, `INSERT INTO customers
			(owner, id, doc, search, sort_name, tags, phone, email, archived, last_order_at, created_at,
			 bday, order_statuses, pay_statuses, merged, complaints, sort_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer cust.Close()
		var ev *sql.Stmt // prepared for the first entry
		defer func() {
			if ev != nil {
				ev.Close()
			}
		}()
		for i, im := range batch {
			c, e := im.Customer, im.Event
			if c.Owner != owner || c.ID == "" || (e.ID != "" && (e.Owner != owner || e.CustomerID != c.ID)) {
				return fmt.Errorf("customer %q and entry %q must be owner %d's and belong together", c.ID, e.ID, owner)
			}
			r, err := encodeCustomer(&c)
			if err != nil {
				return fmt.Errorf("customer %s: %w", c.ID, err)
			}
			res, err := cust.ExecContext(ctx, c.Owner, c.ID, r.doc, r.search, r.sortName, r.tags, r.phone, r.email, r.archived,
				r.lastOrder, r.created, r.bday, r.orderStatuses, r.payStatuses, r.merged, r.complaints, r.sortKey)
			if err != nil {
				return fmt.Errorf("customer %s: %w", c.ID, err)
			}
			if e.ID == "" {
				n, err := res.RowsAffected()
				if err != nil {
					return fmt.Errorf("customer %s: %w", c.ID, err)
				}
				added[i] = n == 1
				continue
			}
			e.At = store.NormTime(e.At)
			doc, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("entry %s: encode: %w", e.ID, err)
			}
			if ev == nil {
				if ev, err = tx.PrepareContext(ctx, `INSERT INTO events (owner, id, customer_id, at, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`); err != nil {
					return err
				}
			}
			res, err = ev.ExecContext(ctx, e.Owner, e.ID, e.CustomerID, ms(e.At), string(doc))
			if err != nil {
				return fmt.Errorf("entry %s: %w", e.ID, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("entry %s: %w", e.ID, err)
			}
			added[i] = n == 1
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create imported customers: %w", err)
	}
	return added, nil
}
