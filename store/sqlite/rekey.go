package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/crmbot/crmbot/store"
)

// rekeyBatch is how many rows one re-keying transaction rewrites: the one
// writer is never held for long, and the WAL checkpoint gets its turn
// between batches.
const rekeyBatch = 1000

// rekey recomputes the stored search and sort keys of every customer and
// product when they were made by an older definition (the version in
// keys_version is below store.KeysVersion), then records the new version.
// Names keep no invisible characters (crm.Invisible) from before input
// was cleaned: the document is rewritten without them.
// It walks each table by rowid, one write transaction per batch; stopped
// midway, the next Open starts again from the beginning, which only
// rewrites the same keys.
func (db *DB) rekey(ctx context.Context) error {
	var v int
	if err := db.write.QueryRowContext(ctx, `SELECT version FROM keys_version WHERE id = 1`).Scan(&v); err != nil {
		return fmt.Errorf("sqlite: re-key: read version: %w", err)
	}
	if v >= store.KeysVersion {
		return nil
	}
	if err := db.rekeyTable(ctx, "customers", `doc = ?, search = ?, sort_name = ?, sort_key = ?, tags = ?, name_key = ?`, func(doc string) ([]any, error) {
		c, err := decodeCustomer(doc)
		if err != nil {
			return nil, err
		}
		c.DropInvisible()
		r, err := encodeCustomer(&c)
		return []any{r.doc, r.search, r.sortName, r.sortKey, r.tags, r.nameKey}, err
	}); err != nil {
		return err
	}
	if err := db.rekeyTable(ctx, "products", `doc = ?, search = ?, sort_name = ?, sort_key = ?`, func(doc string) ([]any, error) {
		p, err := decodeProduct(doc)
		if err != nil {
			return nil, err
		}
		p.DropInvisible()
		r, err := encodeProduct(&p)
		return []any{r.doc, r.search, r.sortName, r.sortKey}, err
	}); err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, `UPDATE keys_version SET version = ? WHERE id = 1`, store.KeysVersion); err != nil {
		return fmt.Errorf("sqlite: re-key: record version: %w", err)
	}
	return nil
}

// rekeyTable sets the columns of set (placeholders first, then the rowid)
// of every row of table to what keys derives from the row's document.
func (db *DB) rekeyTable(ctx context.Context, table, set string, keys func(doc string) ([]any, error)) error {
	type row struct {
		id  int64
		doc string
	}
	for after, n := int64(0), rekeyBatch; n == rekeyBatch; {
		err := db.tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT rowid, doc FROM `+table+` WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, rekeyBatch)
			if err != nil {
				return err
			}
			var batch []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.doc); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			stmt, err := tx.PrepareContext(ctx, `UPDATE `+table+` SET `+set+` WHERE rowid = ?`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for _, r := range batch {
				args, err := keys(r.doc)
				if err != nil {
					return fmt.Errorf("rowid %d: %w", r.id, err)
				}
				if _, err := stmt.ExecContext(ctx, append(args, r.id)...); err != nil {
					return fmt.Errorf("rowid %d: %w", r.id, err)
				}
			}
			if n = len(batch); n > 0 {
				after = batch[n-1].id
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("sqlite: re-key %s: %w", table, err)
		}
	}
	return nil
}
