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

// NextOrderNumber increments the owner's order counter for orderID; the
// same orderID asking again (a redelivery) gets the number it took.
func (db *DB) NextOrderNumber(ctx context.Context, owner int64, orderID string) (int, error) {
	var n int
	err := db.write.QueryRowContext(ctx, `INSERT INTO counters (owner, name, value, claim) VALUES (?, 'order', 1, ?)
		ON CONFLICT (owner, name) DO UPDATE SET value = CASE WHEN claim = excluded.claim AND claim != '' THEN value ELSE value + 1 END,
		claim = excluded.claim RETURNING value`, owner, orderID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next order number: %w", classify(err))
	}
	return n, nil
}

// writeItems replaces an order's report lines.
func writeItems(ctx context.Context, tx *sql.Tx, o *crm.Order) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM order_items WHERE owner = ? AND order_id = ?`, o.Owner, o.ID); err != nil {
		return err
	}
	// The lines carry what reports filter on: the orders they count are
	// neither archived nor cancelled (as the counters of 0046 and 0055).
	counted := !o.Archived && o.Status != crm.StatusCancelled
	for i, it := range o.Items {
		margin := int64(0)
		if it.Cost > 0 {
			margin = int64(it.Qty) * (it.Price - it.Cost)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_items (owner, order_id, line, name_key, name, qty, amount, margin, created_at, counted, currency)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.Owner, o.ID, i, store.Fold(it.Name), it.Name, it.Qty, it.Amount(), margin,
			ms(o.CreatedAt), boolInt(counted), o.Currency); err != nil {
			return err
		}
	}
	return nil
}

type orderRow struct {
	doc                 string
	status, payStatus   string
	total, paid, cost   int64
	archived, created   int64
	number              int
	customer, yearMonth string
	currency            string
}

func encodeOrder(o *crm.Order) (orderRow, error) {
	o.CreatedAt = store.NormTime(o.CreatedAt)
	o.UpdatedAt = store.NormTime(o.UpdatedAt)
	if o.DeliveredAt != nil {
		t := store.NormTime(*o.DeliveredAt)
		o.DeliveredAt = &t
	}
	for i := range o.History {
		o.History[i].At = store.NormTime(o.History[i].At)
	}
	for i := range o.Payments {
		o.Payments[i].At = store.NormTime(o.Payments[i].At)
	}
	b, err := json.Marshal(o)
	if err != nil {
		return orderRow{}, fmt.Errorf("encode: %w", err)
	}
	return orderRow{
		doc: string(b), status: string(o.Status), payStatus: string(o.PaymentStatus()),
		total: o.Total(), paid: o.Paid(), cost: o.Cost(), archived: int64(boolInt(o.Archived)),
		created: ms(o.CreatedAt), number: o.Number, customer: o.CustomerID, yearMonth: o.Month,
		currency: o.Currency,
	}, nil
}

func decodeOrder(doc string) (crm.Order, error) {
	var o crm.Order
	if err := json.Unmarshal([]byte(doc), &o); err != nil {
		return crm.Order{}, fmt.Errorf("decode: %w", err)
	}
	return o, nil
}

// CreateOrder stores a new order.
func (db *DB) CreateOrder(ctx context.Context, o crm.Order) error {
	if o.Owner == 0 || o.ID == "" {
		return fmt.Errorf("create order: owner and id are required")
	}
	r, err := encodeOrder(&o)
	if err != nil {
		return fmt.Errorf("create order %s: %w", o.ID, err)
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (owner, id, number, customer_id, status, pay_status,
			total, paid, cost, archived, created_at, year_month, doc, costed, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.Owner, o.ID, r.number, r.customer, r.status, r.payStatus, r.total, r.paid, r.cost, r.archived, r.created, r.yearMonth, r.doc,
			boolInt(o.CostKnown()), r.currency); err != nil {
			return err
		}
		if err := writeItems(ctx, tx, &o); err != nil {
			return err
		}
		_, err := refreshTotals(ctx, tx, o.Owner, o.CustomerID)
		return err
	})
	if isUnique(err) {
		return fmt.Errorf("create order %s: %w", o.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create order %s: %w", o.ID, erasedErr(err))
	}
	return nil
}

// GetOrder returns one of owner's orders.
func (db *DB) GetOrder(ctx context.Context, owner int64, id string) (crm.Order, error) {
	var doc string
	err := db.read.QueryRowContext(ctx, `SELECT doc FROM orders WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Order{}, fmt.Errorf("get order %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return crm.Order{}, fmt.Errorf("get order %s: %w", id, err)
	}
	o, err := decodeOrder(doc)
	if err != nil {
		return crm.Order{}, fmt.Errorf("get order %s: %w", id, err)
	}
	return o, nil
}

// UpdateOrder reads, changes and writes an order in one transaction.
func (db *DB) UpdateOrder(ctx context.Context, owner int64, id string, fn func(*crm.Order) error) (crm.Order, error) {
	var out crm.Order
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var doc string
		err := tx.QueryRowContext(ctx, `SELECT doc FROM orders WHERE owner = ? AND id = ?`, owner, id).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		o, err := decodeOrder(doc)
		if err != nil {
			return err
		}
		number, was := o.Number, o.CustomerID
		if err := fn(&o); err != nil {
			return err
		}
		o.ID, o.Owner, o.Number = id, owner, number
		r, err := encodeOrder(&o)
		if err != nil {
			return err
		}
		// created_at follows an edit of the date as year_month does: the
		// report bounds by the one, the monthly chart groups by the other.
		if _, err = tx.ExecContext(ctx, `UPDATE orders SET customer_id = ?, status = ?, pay_status = ?, total = ?, paid = ?,
			cost = ?, archived = ?, created_at = ?, year_month = ?, doc = ?, costed = ?, currency = ? WHERE owner = ? AND id = ?`,
			r.customer, r.status, r.payStatus, r.total, r.paid, r.cost, r.archived, r.created, r.yearMonth, r.doc, boolInt(o.CostKnown()),
			r.currency, owner, id); err != nil {
			return err
		}
		out = o
		if err := writeItems(ctx, tx, &o); err != nil {
			return err
		}
		return refreshBoth(ctx, tx, owner, was, o.CustomerID)
	})
	if err != nil {
		return crm.Order{}, fmt.Errorf("update order %s: %w", id, erasedErr(err))
	}
	return out, nil
}

// ListOrders returns a page of owner's orders, newest first.
func (db *DB) ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error) {
	where := []string{"owner = ?", "archived = ?"}
	args := []any{owner, boolInt(f.Archived)}
	add := func(c string, a any) { where = append(where, c); args = append(args, a) }
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if f.PaymentStatus != "" {
		add("pay_status = ?", string(f.PaymentStatus))
	}
	if f.CustomerID != "" {
		add("customer_id = ?", f.CustomerID)
	}
	if f.Number > 0 {
		add("number = ?", f.Number)
	}
	if !f.From.IsZero() {
		add("created_at >= ?", ms(f.From))
	}
	if !f.To.IsZero() {
		add("created_at < ?", ms(f.To))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if !f.NoTotal {
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE `+cond, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("list orders: %w", err)
		}
	}
	if b := f.Before; b != nil {
		cond += ` AND (created_at < ? OR (created_at = ? AND number < ?))`
		args = append(args, ms(b.CreatedAt), ms(b.CreatedAt), b.Number)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 10
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc FROM orders WHERE `+cond+` ORDER BY created_at DESC, number DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	var out []crm.Order
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, fmt.Errorf("list orders: %w", err)
		}
		o, err := decodeOrder(doc)
		if err != nil {
			return nil, 0, fmt.Errorf("list orders: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list orders: %w", err)
	}
	return out, total, nil
}

// MoveOrders reassigns a customer's orders to another customer; both
// customers' totals follow in the same transaction.
func (db *DB) MoveOrders(ctx context.Context, owner int64, from, to string) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE orders SET customer_id = ?, doc = json_set(doc, '$.CustomerID', ?)
			WHERE owner = ? AND customer_id = ?`, to, to, owner, from)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return refreshBoth(ctx, tx, owner, from, to)
	})
	if err != nil {
		return 0, fmt.Errorf("move orders %s → %s: %w", from, to, erasedErr(err))
	}
	return int(n), nil
}

// refreshBoth refreshes the totals of a and, when it is another, b.
func refreshBoth(ctx context.Context, tx *sql.Tx, owner int64, a, b string) error {
	if _, err := refreshTotals(ctx, tx, owner, a); err != nil {
		return err
	}
	if b == a {
		return nil
	}
	_, err := refreshTotals(ctx, tx, owner, b)
	return err
}
