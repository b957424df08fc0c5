package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/crmbot/crmbot/store"
)

var _ store.Imports = (*DB)(nil)

// CreateImported writes a batch of imported customers and their entries in
// one transaction: all of it or nothing.
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
		ev, err := tx.PrepareContext(ctx, `INSERT INTO events (owner, id, customer_id, at, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer ev.Close()
		for i, im := range batch {
			c, e := im.Customer, im.Event
			if c.Owner != owner || e.Owner != owner || c.ID == "" || e.ID == "" || e.CustomerID != c.ID {
				return fmt.Errorf("customer %q and entry %q must be owner %d's and belong together", c.ID, e.ID, owner)
			}
			r, err := encodeCustomer(&c)
			if err != nil {
				return fmt.Errorf("customer %s: %w", c.ID, err)
			}
			if _, err := cust.ExecContext(ctx, c.Owner, c.ID, r.doc, r.search, r.sortName, r.tags, r.phone, r.email, r.archived,
				r.lastOrder, r.created, r.bday, r.orderStatuses, r.payStatuses, r.merged, r.complaints, r.sortKey); err != nil {
				return fmt.Errorf("customer %s: %w", c.ID, err)
			}
			e.At = store.NormTime(e.At)
			doc, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("entry %s: encode: %w", e.ID, err)
			}
			res, err := ev.ExecContext(ctx, e.Owner, e.ID, e.CustomerID, ms(e.At), string(doc))
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
