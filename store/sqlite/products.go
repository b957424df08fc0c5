package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

type productRow struct {
	doc, search, sortName, sku, category string
	archived                             int

	sortKey string // what the catalog sorts by: store.ProductSortKey
}

func encodeProduct(p *crm.Product) (productRow, error) {
	p.CreatedAt = store.NormTime(p.CreatedAt)
	p.UpdatedAt = store.NormTime(p.UpdatedAt)
	b, err := json.Marshal(p)
	if err != nil {
		return productRow{}, fmt.Errorf("encode: %w", err)
	}
	return productRow{
		doc: string(b), search: store.ProductSearchKey(*p), sortName: store.Fold(p.Name),
		sku: store.Fold(strings.TrimSpace(p.SKU)), category: store.Fold(p.Category), archived: boolInt(p.Archived),
		sortKey: store.ProductSortKey(*p),
	}, nil
}

func decodeProduct(doc string) (crm.Product, error) {
	var p crm.Product
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return crm.Product{}, fmt.Errorf("decode: %w", err)
	}
	return p, nil
}

// CreateProduct stores a new product.
func (db *DB) CreateProduct(ctx context.Context, p crm.Product) error {
	if p.Owner == 0 || p.ID == "" {
		return fmt.Errorf("create product: owner and id are required")
	}
	r, err := encodeProduct(&p)
	if err != nil {
		return fmt.Errorf("create product %s: %w", p.ID, err)
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO products (owner, id, doc, search, sort_name, sku, category, archived, sort_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Owner, p.ID, r.doc, r.search, r.sortName, r.sku, r.category, r.archived, r.sortKey)
	if isUnique(err) {
		return fmt.Errorf("create product %s: %w", p.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create product %s: %w", p.ID, err)
	}
	return nil
}

func (db *DB) getProduct(ctx context.Context, q string, args ...any) (crm.Product, error) {
	var doc string
	err := db.read.QueryRowContext(ctx, q, args...).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Product{}, store.ErrNotFound
	}
	if err != nil {
		return crm.Product{}, err
	}
	return decodeProduct(doc)
}

// GetProduct returns one of owner's products.
func (db *DB) GetProduct(ctx context.Context, owner int64, id string) (crm.Product, error) {
	p, err := db.getProduct(ctx, `SELECT doc FROM products WHERE owner = ? AND id = ?`, owner, id)
	if err != nil {
		return crm.Product{}, fmt.Errorf("get product %s: %w", id, err)
	}
	return p, nil
}

// GetProductBySKU finds a product by SKU, case-insensitively.
func (db *DB) GetProductBySKU(ctx context.Context, owner int64, sku string) (crm.Product, error) {
	key := store.Fold(strings.TrimSpace(sku))
	if key == "" {
		return crm.Product{}, fmt.Errorf("get product by sku: %w", store.ErrNotFound)
	}
	p, err := db.getProduct(ctx, `SELECT doc FROM products WHERE owner = ? AND sku = ?`, owner, key)
	if err != nil {
		return crm.Product{}, fmt.Errorf("get product by sku %q: %w", sku, err)
	}
	return p, nil
}

// UpdateProduct reads, changes and writes a product in one transaction.
func (db *DB) UpdateProduct(ctx context.Context, owner int64, id string, fn func(*crm.Product) error) (crm.Product, error) {
	var out crm.Product
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var doc string
		err := tx.QueryRowContext(ctx, `SELECT doc FROM products WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		p, err := decodeProduct(doc)
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		p.ID, p.Owner = id, owner
		r, err := encodeProduct(&p)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE products SET doc = ?, search = ?, sort_name = ?, sku = ?, category = ?, archived = ?,
			sort_key = ? WHERE owner = ? AND id = ?`, r.doc, r.search, r.sortName, r.sku, r.category, r.archived, r.sortKey, owner, id)
		if isUnique(err) {
			return store.ErrAlreadyExists
		}
		out = p
		return err
	})
	if err != nil {
		return crm.Product{}, fmt.Errorf("update product %s: %w", id, err)
	}
	return out, nil
}

// ListProducts returns a page of owner's products by name.
func (db *DB) ListProducts(ctx context.Context, owner int64, f store.ProductFilter) ([]crm.Product, int, error) {
	where := []string{"owner = ?", "archived = ?"}
	args := []any{owner, boolInt(f.Archived)}
	for _, term := range store.QueryTerms(f.Query) {
		where = append(where, `instr(search, ?) > 0`)
		args = append(args, term)
	}
	if c := store.Fold(f.Category); c != "" {
		where = append(where, "category = ?")
		args = append(args, c)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM products WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list products: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 10
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc FROM products WHERE `+cond+` ORDER BY sort_key, id LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	var out []crm.Product
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, fmt.Errorf("list products: %w", err)
		}
		p, err := decodeProduct(doc)
		if err != nil {
			return nil, 0, fmt.Errorf("list products: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list products: %w", err)
	}
	return out, total, nil
}

// StampCurrency gives code to owner's products and orders without a
// currency, in one transaction.
func (db *DB) StampCurrency(ctx context.Context, owner int64, code string) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		n = 0
		// Their customers' totals name the orders' currency: they follow.
		customers, err := unstampedCustomers(ctx, tx, owner)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`UPDATE products SET doc = json_set(doc, '$.Currency', ?) WHERE owner = ? AND coalesce(json_extract(doc, '$.Currency'), '') = ''`,
			`UPDATE orders SET doc = json_set(doc, '$.Currency', ?1), currency = ?1 WHERE owner = ?2 AND coalesce(json_extract(doc, '$.Currency'), '') = ''`,
		} {
			res, err := tx.ExecContext(ctx, q, code, owner)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		// The report lines follow their orders (item_days with them).
		if _, err := tx.ExecContext(ctx, `UPDATE order_items SET currency = ? WHERE owner = ? AND currency = ''`, code, owner); err != nil {
			return err
		}
		for _, id := range customers {
			if _, err := refreshTotals(ctx, tx, owner, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("stamp currency %s: %w", code, err)
	}
	return n, nil
}

// unstampedCustomers returns the customers of owner's orders without a
// currency.
func unstampedCustomers(ctx context.Context, tx *sql.Tx, owner int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT customer_id FROM orders WHERE owner = ? AND currency = '' AND customer_id != ''`, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
