package book

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// orderStore is what Orders reads and writes.
type orderStore interface {
	NextOrderNumber(ctx context.Context, owner int64, orderID string) (int, error)
	CreateOrder(ctx context.Context, o crm.Order) error
	GetOrder(ctx context.Context, owner int64, id string) (crm.Order, error)
	UpdateOrder(ctx context.Context, owner int64, id string, fn func(*crm.Order) error) (crm.Order, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
	GetProduct(ctx context.Context, owner int64, id string) (crm.Product, error)
	GetProductBySKU(ctx context.Context, owner int64, sku string) (crm.Product, error)
	ListProducts(ctx context.Context, owner int64, f store.ProductFilter) ([]crm.Product, int, error)
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	AddEvent(ctx context.Context, e crm.Event) error
}

// Orders holds the use cases of a sale: the draft being put together, its
// save, payments, status moves, the archive and the lists. Each change to
// a saved order is one store write (UpdateOrder runs its rule inside the
// backend's atomic read-modify-write); the order is the source of truth
// and the customer's history entry that follows it is a separate,
// idempotent write (its id derives from the change, so a retry adds
// nothing twice).
type Orders struct {
	env
	store     orderStore
	followUps followUpPlanner
}

// followUpPlanner is told when an order's status changed: the 2+2+2
// follow-ups and refill hints hang on Delivered (Reminders implements it).
type followUpPlanner interface {
	OrderStatusChanged(ctx context.Context, c crm.Consultant, prev crm.OrderStatus, o crm.Order) (FollowUpPlan, error)
}

// Event kinds of orders in a customer's timeline.
const (
	EventOrder   crm.EventKind = "order"
	EventStatus  crm.EventKind = "order_status"
	EventPayment crm.EventKind = "payment"
)

// Words words the timeline entries an order change adds to her customer's
// history, in the consultant's language. Orders decides what is recorded
// and when; the chat, which holds the texts, supplies the words.
type Words interface {
	OrderCreated(o crm.Order) string
	StatusChanged(o crm.Order) string
	Payment(o crm.Order, amount int64, method crm.PaymentMethod) string
}

// Get returns one of her orders; another consultant's, or an unknown id,
// is store.ErrNotFound.
func (o *Orders) Get(ctx context.Context, c crm.Consultant, id string) (crm.Order, error) {
	ord, err := o.store.GetOrder(ctx, c.ID, id)
	if err != nil {
		return ord, fmt.Errorf("get order %s: %w", id, err)
	}
	return ord, nil
}

// List returns one page of her orders matching f and their total count.
func (o *Orders) List(ctx context.Context, c crm.Consultant, f store.OrderFilter) ([]crm.Order, int, error) {
	os, n, err := o.store.ListOrders(ctx, c.ID, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list orders: %w", err)
	}
	return os, n, nil
}

// ByNumber is her order numbered n, archived or not (store.ErrNotFound
// when she has none: another consultant's order of that number is not
// hers).
func (o *Orders) ByNumber(ctx context.Context, c crm.Consultant, n int) (crm.Order, error) {
	for _, archived := range []bool{false, true} {
		os, _, err := o.store.ListOrders(ctx, c.ID, store.OrderFilter{Number: n, Archived: archived, Limit: 1, NoTotal: true})
		if err != nil {
			return crm.Order{}, fmt.Errorf("order number %d: %w", n, err)
		}
		if len(os) > 0 {
			return os[0], nil
		}
	}
	return crm.Order{}, fmt.Errorf("order number %d: %w", n, store.ErrNotFound)
}

// awaiting are the statuses of an order not yet handed over.
var awaiting = []crm.OrderStatus{crm.StatusNew, crm.StatusUnprocessed, crm.StatusProcessed}

// AwaitingDelivery lists her orders not yet handed over (none cancelled
// or archived), newest first, at most limit in all; of her customers ids
// only, when any are given.
func (o *Orders) AwaitingDelivery(ctx context.Context, c crm.Consultant, limit int, ids ...string) ([]crm.Order, error) {
	if len(ids) == 0 {
		ids = []string{""}
	}
	var out []crm.Order
	for _, id := range ids {
		os, _, err := o.store.ListOrders(ctx, c.ID, store.OrderFilter{CustomerID: id, Statuses: awaiting, Limit: limit - len(out), NoTotal: true})
		if err != nil {
			return nil, fmt.Errorf("orders awaiting delivery: %w", err)
		}
		if out = append(out, os...); len(out) >= limit {
			break
		}
	}
	return out, nil
}

// HasOrders reports whether a customer has any order at all: archived and
// cancelled ones count (an Undo of her add never deletes her then).
func (o *Orders) HasOrders(ctx context.Context, c crm.Consultant, customerID string) (bool, error) {
	for _, archived := range []bool{false, true} {
		_, n, err := o.store.ListOrders(ctx, c.ID, store.OrderFilter{CustomerID: customerID, Archived: archived, Limit: 1})
		if err != nil {
			return false, fmt.Errorf("list orders of %s: %w", customerID, err)
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// Save numbers and stores a draft as her new order, in her currency of
// today unless the draft names its own (a customer's request is in its
// products'); her amounts stay in the currency she entered them in,
// whatever she chooses later. Then it adds it to the customer's history.
func (o *Orders) Save(ctx context.Context, c crm.Consultant, d crm.Order, w Words) (crm.Order, error) {
	now := o.now()
	d.ID, d.Owner, d.CreatedAt, d.UpdatedAt = ids.New(ctx), c.ID, now, now
	d.Month = crm.MonthOf(now, c.Location(o.cfg.DefaultTimezone))
	d.History = []crm.StatusChange{{Status: d.Status, At: now}}
	if d.Currency == "" {
		d.Currency = c.MoneyCurrency()
	}
	if err := d.Validate(); err != nil {
		return d, err
	}
	// A redelivered press (a crash before the update was marked done) has
	// the same id: it finds the order it made, under the number it took.
	if made, err := o.store.GetOrder(ctx, c.ID, d.ID); err == nil {
		o.record(ctx, made, made.ID+":created", EventOrder, w.OrderCreated(made), map[string]string{"order": made.ID})
		return made, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return d, fmt.Errorf("look for order %s: %w", d.ID, err)
	}
	n, err := o.store.NextOrderNumber(ctx, c.ID, d.ID)
	if err != nil {
		return d, fmt.Errorf("number order: %w", err)
	}
	d.Number = n
	if err := o.store.CreateOrder(ctx, d); errors.Is(err, store.ErrAlreadyExists) {
		if made, gerr := o.store.GetOrder(ctx, c.ID, d.ID); gerr == nil {
			o.record(ctx, made, made.ID+":created", EventOrder, w.OrderCreated(made), map[string]string{"order": made.ID})
			return made, nil
		}
		return d, fmt.Errorf("save order: %w", err)
	} else if err != nil {
		return d, fmt.Errorf("save order: %w", err)
	}
	o.record(ctx, d, d.ID+":created", EventOrder, w.OrderCreated(d), map[string]string{"order": d.ID})
	return d, nil
}

// StatusMove is what moving an order's status did.
type StatusMove struct {
	Order crm.Order
	Prev  crm.OrderStatus
	// Plan is what the move did to the order's follow-ups, for the chat to
	// tell her (empty when the status stayed).
	Plan FollowUpPlan
}

// Moved reports whether the status changed.
func (m StatusMove) Moved() bool { return m.Prev != m.Order.Status }

// SetStatus moves an order to s as crm's lifecycle allows; payments are
// never touched. A refused move changes nothing and returns the order as
// it is now with the crm error ("status.not_allowed": a card shown before
// the order moved on).
func (o *Orders) SetStatus(ctx context.Context, c crm.Consultant, id string, s crm.OrderStatus, w Words) (StatusMove, error) {
	var prev crm.OrderStatus
	ord, err := o.store.UpdateOrder(ctx, c.ID, id, func(x *crm.Order) error {
		prev = x.Status
		if err := x.SetStatus(s, o.now()); err != nil {
			return err
		}
		x.UpdatedAt = o.now()
		return nil
	})
	if ruleRefused(err) {
		cur, gerr := o.store.GetOrder(ctx, c.ID, id)
		if gerr != nil {
			return StatusMove{}, errors.Join(err, fmt.Errorf("get order %s: %w", id, gerr))
		}
		return StatusMove{Order: cur, Prev: cur.Status}, err
	}
	if err != nil {
		return StatusMove{}, fmt.Errorf("set status of order %s: %w", id, err)
	}
	m := StatusMove{Order: ord, Prev: prev}
	if !m.Moved() {
		return m, nil
	}
	o.record(ctx, ord, fmt.Sprintf("%s:status:%d", ord.ID, len(ord.History)), EventStatus, w.StatusChanged(ord),
		map[string]string{"order": ord.ID, "status": string(ord.Status)})
	plan, err := o.followUps.OrderStatusChanged(ctx, c, prev, ord)
	if err != nil {
		// The move is stored; follow-ups are repaired from the orders.
		o.log.Error("plan follow-ups", "order", ord.ID, "err", err)
	}
	m.Plan = plan
	return m, nil
}

// Archive files an order away (or back): it leaves the lists, not the
// customer's totals — archiving does not undo the sale.
func (o *Orders) Archive(ctx context.Context, c crm.Consultant, id string, archived bool) (crm.Order, error) {
	ord, err := o.store.UpdateOrder(ctx, c.ID, id, func(x *crm.Order) error {
		x.Archived, x.UpdatedAt = archived, o.now()
		return nil
	})
	if err != nil {
		return ord, fmt.Errorf("archive order %s: %w", id, err)
	}
	return ord, nil
}

// record adds an order change to the customer's history. The order, written
// first, is the source of truth: a failure here is logged, not returned,
// and the id derived from the change makes a retried write harmless.
func (o *Orders) record(ctx context.Context, ord crm.Order, id string, kind crm.EventKind, text string, data map[string]string) {
	e := crm.Event{ID: id, Owner: ord.Owner, CustomerID: ord.CustomerID, Kind: kind, Text: text, Data: data, At: o.now()}
	if err := o.store.AddEvent(ctx, e); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		o.log.Error("add order event", "order", ord.ID, "kind", kind, "err", err)
	}
}

// MonthRange is [first day, first day of the next) of this month in her
// timezone, or of a month monthsBack before it.
func (o *Orders) MonthRange(c crm.Consultant, monthsBack int) (from, to time.Time) {
	now := o.now().In(c.Location(o.cfg.DefaultTimezone))
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).AddDate(0, -monthsBack, 0)
	return first, first.AddDate(0, 1, 0)
}

// PeriodRange is the [from, to) of orders placed from the first to the
// last day, both included; a zero last is today. A last day before the
// first is refused ("order.err_period").
func (o *Orders) PeriodRange(c crm.Consultant, first, last time.Time) (from, to time.Time, err error) {
	if last.IsZero() {
		last = o.now().In(c.Location(o.cfg.DefaultTimezone))
	}
	last = time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, last.Location())
	if last.Before(first) {
		return first, last, crm.Invalid("to", "order.err_period", nil)
	}
	return first, last.AddDate(0, 0, 1), nil
}

// Invoice is what an invoice and its receipt show: the order and its
// customer (as named on the order when her card is gone).
func (o *Orders) Invoice(ctx context.Context, c crm.Consultant, id string) (crm.Order, crm.Customer, error) {
	ord, err := o.Get(ctx, c, id)
	if err != nil {
		return ord, crm.Customer{}, err
	}
	cu, err := o.store.GetCustomer(ctx, c.ID, ord.CustomerID)
	if errors.Is(err, store.ErrNotFound) {
		return ord, crm.Customer{FirstName: ord.CustomerName}, nil
	}
	if err != nil {
		return ord, cu, fmt.Errorf("get customer %s: %w", ord.CustomerID, err)
	}
	return ord, cu, nil
}

// ruleRefused reports whether err is a rule's refusal (a *crm.Error): nothing
// was written, and she is told why.
func ruleRefused(err error) bool {
	var ce *crm.Error
	return errors.As(err, &ce)
}
