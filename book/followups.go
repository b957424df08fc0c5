package book

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// FollowUpPlan is what an order's status change did to its follow-ups,
// for the chat to tell her.
type FollowUpPlan struct {
	Dates     []time.Time  // the 2+2+2 calls planned (none with 2+2+2 off)
	Refills   []RefillHint // refill hints planned
	Cancelled int          // pending follow-ups cancelled: the order left Delivered
	// Pending is her customer's 2+2+2 calls already planned and not made,
	// soonest first, when starting them by hand planned nothing new: she
	// is offered to see them or re-plan them from today.
	Pending []crm.Reminder
}

// RefillHint is one planned "her product runs out" reminder.
type RefillHint struct {
	Product string
	Due     time.Time
}

// OrderStatusChanged plans or cancels an order's 2+2+2 follow-ups and
// refill hints after its status moved from prev. An order becoming
// Delivered gets its three calls (unless she switched 2+2+2 off) and a
// refill hint per product with a use period; one leaving Delivered has its
// pending ones cancelled. The follow-ups of an order have fixed ids, so
// Delivered again moves them, never duplicates. What could not be stored is
// returned as an error alongside the plan of what was.
func (rs *Reminders) OrderStatusChanged(ctx context.Context, c crm.Consultant, prev crm.OrderStatus, o crm.Order) (FollowUpPlan, error) {
	switch {
	case o.Status == crm.StatusDelivered && o.DeliveredAt != nil:
		var plan FollowUpPlan
		var errs []error
		if !c.FollowUpsOff {
			dates, err := rs.planFollowUps(ctx, c, o)
			plan.Dates = dates
			errs = append(errs, err)
		}
		// Refill hints are their own feature: switching 2+2+2 off does
		// not stop them.
		hints, err := rs.refillHints(ctx, c, o)
		plan.Refills = hints
		return plan, errors.Join(append(errs, err)...)
	case prev == crm.StatusDelivered:
		n, err := rs.cancelFollowUps(ctx, c, o)
		return FollowUpPlan{Cancelled: n}, err
	}
	return FollowUpPlan{}, nil
}

// StartFollowUpsByHand starts 2+2+2 for a customer from now, without an
// order (a sale made outside the bot). One set of calls at a time: when she
// has calls pending (of her latest delivery, or started by hand), nothing
// is planned and the plan's Pending holds them (ReplanFollowUps replaces
// them).
func (rs *Reminders) StartFollowUpsByHand(ctx context.Context, c crm.Consultant, cu crm.Customer) (FollowUpPlan, error) {
	pending, err := rs.PendingFollowUps(ctx, c, cu.ID)
	if err != nil {
		return FollowUpPlan{}, err
	}
	if len(pending) > 0 {
		return FollowUpPlan{Pending: pending}, nil
	}
	return rs.planByHand(ctx, c, cu)
}

// planByHand plans 2+2+2 for a customer from now. Planned twice the same
// day, the calls are moved, not doubled.
func (rs *Reminders) planByHand(ctx context.Context, c crm.Consultant, cu crm.Customer) (FollowUpPlan, error) {
	now := rs.now()
	day := now.In(rs.loc(c)).Format("20060102")
	o := crm.Order{ID: cu.ID + "-" + day, CustomerID: cu.ID, CustomerName: cu.FullName(), DeliveredAt: &now}
	dates, err := rs.planFollowUps(ctx, c, o)
	if err != nil {
		return FollowUpPlan{}, err
	}
	return FollowUpPlan{Dates: dates}, nil
}

// planFollowUps stores the three calls of a delivery and returns their dates.
func (rs *Reminders) planFollowUps(ctx context.Context, c crm.Consultant, o crm.Order) ([]time.Time, error) {
	dates := crm.FollowUpDates(*o.DeliveredAt, rs.loc(c), c.DigestHour)
	var errs []error
	for i, due := range dates {
		if err := rs.upsertFollowUp(ctx, c, o, i+1, due); err != nil {
			errs = append(errs, fmt.Errorf("plan follow-up %d of order %s: %w", i+1, o.ID, err))
		}
	}
	return dates[:], errors.Join(errs...)
}

// cancelFollowUps cancels the pending follow-ups and hints of an order
// that left Delivered and returns how many there were.
func (rs *Reminders) cancelFollowUps(ctx context.Context, c crm.Consultant, o crm.Order) (int, error) {
	rems, _, err := rs.store.ListReminders(ctx, c.ID, store.ReminderFilter{OrderID: o.ID, Status: crm.Pending, Limit: 100})
	if err != nil {
		return 0, fmt.Errorf("list follow-ups of order %s: %w", o.ID, err)
	}
	var errs []error
	for _, rem := range rems {
		if err := rs.cancelPending(ctx, c, rem.ID); err != nil {
			errs = append(errs, err)
		}
	}
	return len(rems), errors.Join(errs...)
}

// cancelPending cancels a reminder if it is still pending.
func (rs *Reminders) cancelPending(ctx context.Context, c crm.Consultant, id string) error {
	_, err := rs.store.UpdateReminder(ctx, c.ID, id, func(x *crm.Reminder) error {
		if x.Status == crm.Pending {
			x.Status, x.UpdatedAt = crm.Cancelled, rs.now()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cancel reminder %s: %w", id, err)
	}
	return nil
}

// upsertFollowUp creates stage n of an order's 2+2+2, or brings a
// cancelled or pending one to the new date.
func (rs *Reminders) upsertFollowUp(ctx context.Context, c crm.Consultant, o crm.Order, stage int, due time.Time) error {
	rem := rs.followUpReminder(c, o, stage, due)
	err := rs.store.CreateReminder(ctx, rem)
	if !errors.Is(err, store.ErrAlreadyExists) {
		return err
	}
	_, err = rs.store.UpdateReminder(ctx, c.ID, rem.ID, func(x *crm.Reminder) error {
		if x.Status == crm.Done {
			return nil // a call made stays made
		}
		x.Status, x.Due, x.PushedAt, x.UpdatedAt = crm.Pending, due, nil, rem.UpdatedAt
		// An older row worded in the language of its day is worded
		// afresh from now on.
		x.Params, x.Text, x.Suggested = rem.Params, "", ""
		return nil
	})
	return err
}

// FollowUpID is the fixed id of stage n of an order's 2+2+2.
func FollowUpID(orderID string, stage int) string { return fmt.Sprintf("%s-f%d", orderID, stage) }

// followUpReminder is stage n of an order's 2+2+2, due at due, as it is
// first stored: what it is about, not how it reads.
func (rs *Reminders) followUpReminder(c crm.Consultant, o crm.Order, stage int, due time.Time) crm.Reminder {
	now := rs.now()
	var items []string
	for _, it := range o.Items {
		items = append(items, it.Name)
	}
	params := map[string]string{crm.ParamCustomer: o.CustomerName}
	if len(items) > 0 {
		params[crm.ParamItems] = strings.Join(items, ", ")
	}
	// Started by hand there is no order: no number and no items to name.
	orderID := o.ID
	if o.Number == 0 {
		orderID = ""
	} else {
		params[crm.ParamNumber] = strconv.Itoa(o.Number)
	}
	if o.DeliveredAt != nil {
		params[crm.ParamDate] = o.DeliveredAt.UTC().Format(time.RFC3339)
	}
	return crm.Reminder{
		ID: FollowUpID(o.ID, stage), Owner: c.ID, CustomerID: o.CustomerID, OrderID: orderID, Kind: crm.KindFollowUp, Stage: stage,
		Params: params, Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now,
	}
}

// refillHints plans, for each delivered item whose product has a use
// period (mascara: 90 days), a reminder to offer a refill when it runs out,
// and returns the hints now pending. Ids come from the order and product,
// so Delivered again moves them. A newer delivery of the same product to
// her replaces an older pending hint: she has a fresh one, the old date no
// longer means anything.
func (rs *Reminders) refillHints(ctx context.Context, c crm.Consultant, o crm.Order) ([]RefillHint, error) {
	if o.DeliveredAt == nil {
		return nil, nil
	}
	var planned []RefillHint
	var errs []error
	seen := map[string]bool{}
	for _, it := range o.Items {
		if it.ProductID == "" || seen[it.ProductID] {
			continue
		}
		seen[it.ProductID] = true
		p, err := rs.store.GetProduct(ctx, c.ID, it.ProductID)
		if err != nil || p.UseDays <= 0 {
			continue // a product gone from her catalog has no use period
		}
		hint, ok, err := rs.refillHint(ctx, c, o, p)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			planned = append(planned, hint)
		}
	}
	return planned, errors.Join(errs...)
}

// refillHint plans the hint of one delivered product; ok when it is
// pending (not superseded by a later delivery, not done already).
func (rs *Reminders) refillHint(ctx context.Context, c crm.Consultant, o crm.Order, p crm.Product) (RefillHint, bool, error) {
	loc := rs.loc(c)
	d := o.DeliveredAt.In(loc).AddDate(0, 0, p.UseDays)
	due := time.Date(d.Year(), d.Month(), d.Day(), c.DigestHour, 0, 0, 0, loc)
	id := o.ID + "-rep-" + p.ID
	newer, err := rs.supersedeHints(ctx, c, o.CustomerID, p.ID, id, due)
	if err != nil {
		rs.log.Error("replace older refill hints", "order", o.ID, "product", p.ID, "err", err)
	}
	if newer {
		return RefillHint{}, false, nil // a later delivery of it already has its hint
	}
	now := rs.now()
	rem := crm.Reminder{ID: id, Owner: c.ID, CustomerID: o.CustomerID, OrderID: o.ID, Kind: crm.KindReplenish,
		Params: map[string]string{crm.ParamCustomer: o.CustomerName, crm.ParamProduct: p.Name},
		Due:    due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
	err = rs.store.CreateReminder(ctx, rem)
	if errors.Is(err, store.ErrAlreadyExists) {
		rem, err = rs.store.UpdateReminder(ctx, c.ID, rem.ID, func(x *crm.Reminder) error {
			if x.Status != crm.Done {
				x.Status, x.Due, x.PushedAt, x.UpdatedAt = crm.Pending, due, nil, now
				x.Params, x.Text, x.Suggested = rem.Params, "", ""
			}
			return nil
		})
	}
	if err != nil {
		return RefillHint{}, false, fmt.Errorf("plan refill hint of order %s, product %s: %w", o.ID, p.ID, err)
	}
	return RefillHint{Product: p.Name, Due: rem.Due.In(loc)}, rem.Status == crm.Pending, nil
}

// supersedeHints cancels her pending refill hints for a product that come
// from other deliveries due before due, and reports whether one due later
// is pending (this delivery is the older one: its hint is not wanted, and
// is cancelled if it was pending).
func (rs *Reminders) supersedeHints(ctx context.Context, c crm.Consultant, customerID, productID, id string, due time.Time) (newer bool, err error) {
	if customerID == "" {
		return false, nil
	}
	suffix := "-rep-" + productID
	var stale []string
	for offset := 0; ; offset += 100 {
		rems, total, err := rs.store.ListReminders(ctx, c.ID, store.ReminderFilter{CustomerID: customerID, Status: crm.Pending, Offset: offset, Limit: 100})
		if err != nil {
			return false, fmt.Errorf("list refill hints: %w", err)
		}
		for _, rem := range rems {
			if rem.Kind != crm.KindReplenish || rem.ID == id || !strings.HasSuffix(rem.ID, suffix) {
				continue
			}
			if rem.Due.After(due) {
				newer = true
			} else {
				stale = append(stale, rem.ID)
			}
		}
		if offset+len(rems) >= total || len(rems) == 0 {
			break
		}
	}
	if newer {
		stale = append(stale, id)
	}
	for _, sid := range stale {
		if err := rs.cancelPending(ctx, c, sid); err != nil && !errors.Is(err, store.ErrNotFound) {
			return newer, fmt.Errorf("cancel refill hint %s: %w", sid, err)
		}
	}
	return newer, nil
}

// Repair windows of RepairRecent.
const (
	// RepairWindow is how far back the repair looks for deliveries: the
	// last 2+2+2 call is two months after one, so an older delivery has no
	// call left to make.
	RepairWindow = 65 * 24 * time.Hour
	// repairCreatedWindow bounds the orders read by when they were made
	// (the store filters on that, not on delivery): an order delivered in
	// the last RepairWindow but made more than this ago is not repaired.
	repairCreatedWindow = 180 * 24 * time.Hour
	// repairGrace leaves a just-delivered order to the status change,
	// which creates its follow-ups itself a moment later.
	repairGrace = 5 * time.Minute
	repairPage  = 200
)

// RepairRecent gives her orders delivered in the last RepairWindow the
// 2+2+2 follow-ups a crash kept them from getting (Delivered is stored
// before them) and returns how many it created. It does nothing with 2+2+2
// off; it creates only follow-ups whose id does not exist, so it is
// idempotent and never brings back a done, snoozed or cancelled call.
func (rs *Reminders) RepairRecent(ctx context.Context, c crm.Consultant) (int, error) {
	if c.FollowUpsOff {
		return 0, nil
	}
	now := rs.now()
	created := 0
	f := store.OrderFilter{Status: crm.StatusDelivered, From: now.Add(-repairCreatedWindow), Limit: repairPage, NoTotal: true}
	for {
		os, _, err := rs.store.ListOrders(ctx, c.ID, f)
		if err != nil {
			return created, fmt.Errorf("list delivered orders of %d: %w", c.ID, err)
		}
		for _, o := range os {
			if o.DeliveredAt == nil || o.DeliveredAt.Before(now.Add(-RepairWindow)) || o.DeliveredAt.After(now.Add(-repairGrace)) {
				continue
			}
			n, err := rs.RepairFollowUps(ctx, c, o)
			created += n
			if err != nil {
				return created, err
			}
		}
		if len(os) < repairPage {
			return created, nil
		}
		f.NextPage(os)
	}
}

// RepairFollowUps creates the 2+2+2 follow-ups of a delivered order that
// has none stored under their fixed ids. A follow-up that exists in any
// status — done, snoozed, cancelled — is left as it is. It returns how many
// it created; it does nothing when she switched 2+2+2 off.
func (rs *Reminders) RepairFollowUps(ctx context.Context, c crm.Consultant, o crm.Order) (int, error) {
	if c.FollowUpsOff || o.Status != crm.StatusDelivered || o.DeliveredAt == nil || o.Archived {
		return 0, nil
	}
	missing, err := rs.missingFollowUps(ctx, c, o.ID)
	if err != nil || len(missing) == 0 {
		return 0, err
	}
	// The order read by the caller may have left Delivered since (its
	// follow-ups then cancelled): read it again just before writing.
	cur, err := rs.store.GetOrder(ctx, c.ID, o.ID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("repair follow-ups of order %s: %w", o.ID, err)
	}
	if cur.Status != crm.StatusDelivered || cur.DeliveredAt == nil || cur.Archived {
		return 0, nil
	}
	dates := crm.FollowUpDates(*cur.DeliveredAt, rs.loc(c), c.DigestHour)
	created := 0
	for _, stage := range missing {
		err := rs.store.CreateReminder(ctx, rs.followUpReminder(c, cur, stage, dates[stage-1]))
		switch {
		case err == nil:
			created++
		case errors.Is(err, store.ErrAlreadyExists):
			// Made meanwhile by the status change itself: that one stands.
		default:
			return created, fmt.Errorf("repair follow-up %d of order %s: %w", stage, o.ID, err)
		}
	}
	return created, nil
}

// missingFollowUps is the stages of an order's 2+2+2 not stored.
func (rs *Reminders) missingFollowUps(ctx context.Context, c crm.Consultant, orderID string) ([]int, error) {
	var missing []int
	for stage := 1; stage <= 3; stage++ {
		_, err := rs.store.GetReminder(ctx, c.ID, FollowUpID(orderID, stage))
		switch {
		case errors.Is(err, store.ErrNotFound):
			missing = append(missing, stage)
		case err != nil:
			return nil, fmt.Errorf("repair follow-ups of order %s: %w", orderID, err)
		}
	}
	return missing, nil
}
