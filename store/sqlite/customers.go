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

// customerRow is the columns derived from a customer document.
type customerRow struct {
	doc, search, sortName, tags, phone, email string
	archived                                  int
	lastOrder                                 sql.NullInt64
	created                                   int64
}

func encodeCustomer(c *crm.Customer) (customerRow, error) {
	c.CreatedAt = store.NormTime(c.CreatedAt)
	c.UpdatedAt = store.NormTime(c.UpdatedAt)
	if c.Totals.LastOrderAt != nil {
		t := store.NormTime(*c.Totals.LastOrderAt)
		c.Totals.LastOrderAt = &t
	}
	b, err := json.Marshal(c)
	if err != nil {
		return customerRow{}, fmt.Errorf("encode: %w", err)
	}
	r := customerRow{
		doc: string(b), search: store.SearchKey(*c), sortName: store.SortName(*c),
		phone: c.Phone, email: strings.ToLower(c.Email), created: ms(c.CreatedAt),
	}
	var tags strings.Builder
	tags.WriteString("|")
	for _, t := range c.Tags {
		tags.WriteString(store.TagKey(t))
		tags.WriteString("|")
	}
	r.tags = tags.String()
	if c.Archived {
		r.archived = 1
	}
	if c.Totals.LastOrderAt != nil {
		r.lastOrder = sql.NullInt64{Int64: ms(*c.Totals.LastOrderAt), Valid: true}
	}
	return r, nil
}

func decodeCustomer(doc string) (crm.Customer, error) {
	var c crm.Customer
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		return crm.Customer{}, fmt.Errorf("decode: %w", err)
	}
	return c, nil
}

// CreateCustomer stores a new customer.
func (db *DB) CreateCustomer(ctx context.Context, c crm.Customer) error {
	if c.Owner == 0 || c.ID == "" {
		return fmt.Errorf("create customer: owner and id are required")
	}
	r, err := encodeCustomer(&c)
	if err != nil {
		return fmt.Errorf("create customer %s: %w", c.ID, err)
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO customers
		(owner, id, doc, search, sort_name, tags, phone, email, archived, last_order_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Owner, c.ID, r.doc, r.search, r.sortName, r.tags, r.phone, r.email, r.archived, r.lastOrder, r.created)
	if isUnique(err) {
		return fmt.Errorf("create customer %s: %w", c.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create customer %s: %w", c.ID, err)
	}
	return nil
}

// GetCustomer returns one of owner's customers.
func (db *DB) GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error) {
	var doc string
	err := db.read.QueryRowContext(ctx, `SELECT doc FROM customers WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Customer{}, fmt.Errorf("get customer %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return crm.Customer{}, fmt.Errorf("get customer %s: %w", id, err)
	}
	c, err := decodeCustomer(doc)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("get customer %s: %w", id, err)
	}
	return c, nil
}

// UpdateCustomer reads, changes and writes one of owner's customers in one
// transaction. The id and owner cannot be changed by fn.
func (db *DB) UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error) {
	var out crm.Customer
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var doc string
		err := tx.QueryRowContext(ctx, `SELECT doc FROM customers WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		c, err := decodeCustomer(doc)
		if err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
		c.ID, c.Owner = id, owner
		r, err := encodeCustomer(&c)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE customers SET doc = ?, search = ?, sort_name = ?, tags = ?,
			phone = ?, email = ?, archived = ?, last_order_at = ? WHERE owner = ? AND id = ?`,
			r.doc, r.search, r.sortName, r.tags, r.phone, r.email, r.archived, r.lastOrder, owner, id)
		out = c
		return err
	})
	if err != nil {
		return crm.Customer{}, fmt.Errorf("update customer %s: %w", id, err)
	}
	return out, nil
}

// ListCustomers returns a page of owner's customers matching f and the
// total number that match.
func (db *DB) ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error) {
	where := []string{"owner = ?", "archived = ?"}
	args := []any{owner, boolInt(f.Archived)}
	for _, term := range store.QueryTerms(f.Query) {
		where = append(where, `search LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(term)+"%")
	}
	if tag := store.TagKey(f.Tag); tag != "" {
		where = append(where, `tags LIKE ? ESCAPE '\'`)
		args = append(args, "%|"+escapeLike(tag)+"|%")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list customers: count: %w", err)
	}
	order := "sort_name, id"
	if f.SortBy == "last_order" {
		order = "last_order_at IS NULL, last_order_at DESC, sort_name, id"
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 10
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc FROM customers WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list customers: %w", err)
	}
	defer rows.Close()
	var out []crm.Customer
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, fmt.Errorf("list customers: %w", err)
		}
		c, err := decodeCustomer(doc)
		if err != nil {
			return nil, 0, fmt.Errorf("list customers: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list customers: %w", err)
	}
	return out, total, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// escapeLike escapes LIKE's wildcards so user text matches literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
