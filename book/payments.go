package book

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/timeword"
)

// Payment is a payment as she enters it: the amount is minor units of the
// order's currency, parsed once where she typed it.
type Payment struct {
	OrderID string
	// ID is the recorded payment a correction changes; "" adds a new one.
	ID     string
	Amount int64
	Method crm.PaymentMethod
	// Day is the day it was made, midnight in her timezone. Zero: today for
	// a new payment, unchanged for a correction.
	Day time.Time
}

// PaymentDue is what a payment on ord may be at most: what is due, and for
// a correction of payment id what was due without it. ok is false for an
// unknown payment id.
func PaymentDue(ord crm.Order, id string) (due int64, ok bool) {
	if id == "" {
		return ord.Due(), true
	}
	i := slices.IndexFunc(ord.Payments, func(p crm.Payment) bool { return p.ID == id })
	if i < 0 {
		return 0, false
	}
	return ord.Due() + ord.Payments[i].Amount, true
}

// CheckPaymentDay refuses a payment day after today in her timezone.
func (o *Orders) CheckPaymentDay(c crm.Consultant, day time.Time) error {
	if day.After(o.now().In(c.Location(o.cfg.DefaultTimezone))) {
		return crm.Invalid("date", "payment.err_future", nil)
	}
	return nil
}

// PaymentDayIn is the day a payment typed in words says it was made
// ("Жанна оплатила 5000 вчера", "Жанна кеше 5000 төледі", "Saule paid
// 5000 last Monday", "… 2 days ago", "… 5000 24.11", "… 24 ноября"): the
// first run of up to three words of text, the longest at each word, that
// reads as a past day as the payment form's day does (ReadDay), as the
// start of that day on her clock. A day after today is none: the form asks it.
func (o *Orders) PaymentDayIn(c crm.Consultant, text string) (time.Time, bool) {
	now := o.now().In(c.Location(o.cfg.DefaultTimezone))
	fields := strings.Fields(text)
	for i := range fields {
		for n := min(3, len(fields)-i); n >= 1; n-- {
			span := strings.Trim(strings.Join(fields[i:i+n], " "), ",;:!?")
			if back, ok := timeword.PastDay(span, now); ok && back <= 0 {
				return time.Date(now.Year(), now.Month(), now.Day()+back, 0, 0, 0, 0, now.Location()), true
			}
			if !typedDate.MatchString(span) {
				continue // "5000" is the amount, "Жанна" her name: no date
			}
			if d, err := readDayAt(now, span); err == nil && !d.After(now) {
				return d, true // "24.11", "24 ноября", "24 қараша"
			}
		}
	}
	return time.Time{}, false
}

// typedDate is a date typed in digits (24.11, 24.11.2026) or a day and a
// month's name ("24 ноября", "24 қараша", "24-қараша", "Nov 24" is not
// read): only such words are tried as a date, never an amount or a name.
var typedDate = regexp.MustCompile(`^(?:\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?|\d{1,2}(?:-?\p{L}{0,3})?[ -]\p{L}{3,})$`)

// paidAt is when a payment made on day is recorded: now for today,
// otherwise noon of that day in her timezone (the hour is unknown; noon
// keeps it on that day in reports).
func (o *Orders) paidAt(c crm.Consultant, day time.Time) time.Time {
	now := o.now()
	local := now.In(c.Location(o.cfg.DefaultTimezone))
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, local.Location())
	if d.Format(time.DateOnly) == local.Format(time.DateOnly) {
		return now
	}
	return d.Add(12 * time.Hour)
}

// AddPayment records a payment on one of her orders, or corrects a
// recorded one when p.ID is set: one store write; more than is due is
// refused ("err.overpayment", Due and Total in minor units; field amount),
// as is a day after today.
func (o *Orders) AddPayment(ctx context.Context, c crm.Consultant, p Payment, w Words) (crm.Order, error) {
	var at time.Time
	switch {
	case !p.Day.IsZero():
		if err := o.CheckPaymentDay(c, p.Day); err != nil {
			return crm.Order{}, err
		}
		at = o.paidAt(c, p.Day)
	case p.ID == "":
		at = o.now()
	}
	var changed crm.Payment
	// Its id is taken once, outside the updater (which a backend may run
	// again): a redelivered payment finds itself on the order.
	newID := ids.New(ctx)
	ord, err := o.store.UpdateOrder(ctx, c.ID, p.OrderID, func(x *crm.Order) error {
		x.UpdatedAt = o.now()
		if p.ID != "" {
			if err := x.CorrectPaymentOn(p.ID, p.Amount, p.Method, at); err != nil {
				return err
			}
			changed = x.Payments[slices.IndexFunc(x.Payments, func(y crm.Payment) bool { return y.ID == p.ID })]
			return nil
		}
		if i := slices.IndexFunc(x.Payments, func(y crm.Payment) bool { return y.ID == newID }); i >= 0 {
			changed = x.Payments[i]
			return nil
		}
		changed = crm.Payment{ID: newID, Amount: p.Amount, At: at, Method: p.Method}
		return x.AddPayment(changed)
	})
	if ruleRefused(err) {
		return ord, err
	}
	if err != nil {
		return ord, fmt.Errorf("pay order %s: %w", p.OrderID, err)
	}
	// One entry per payment (its id), and one per correction of it (made
	// once per call: two equal corrections are two entries, as before).
	id := ord.ID + ":payment:" + changed.ID
	if p.ID != "" {
		id += ":" + ids.New(ctx)
	}
	o.record(ctx, ord, id, EventPayment, w.Payment(ord, p.Amount, p.Method), map[string]string{"order": ord.ID})
	return ord, nil
}

// owingMax bounds the orders offered for a payment typed in words.
const owingMax = 8

// Owing lists the orders of her customers ids on which something is still
// due (none cancelled), oldest first, at most owingMax: what a payment
// she types in words ("Айгерим оплатила 5000") may be for.
func (o *Orders) Owing(ctx context.Context, c crm.Consultant, ids []string) ([]crm.Order, error) {
	return o.owing(ctx, c, ids, owingMax)
}

// DebtsMax bounds the orders her list of debts shows.
const DebtsMax = 30

// Debts is what her customers owe her: the orders with something still
// due (none cancelled), oldest first, at most DebtsMax, and the total due
// per currency of all those shown; of the customers ids only, when any
// are given ("сколько мне должна Жанна?").
func (o *Orders) Debts(ctx context.Context, c crm.Consultant, ids ...string) ([]crm.Order, crm.Amounts, error) {
	if len(ids) == 0 {
		ids = []string{""}
	}
	os, err := o.owing(ctx, c, ids, DebtsMax)
	if err != nil {
		return nil, nil, err
	}
	var total crm.Amounts
	for _, x := range os {
		total = total.Add(x.MoneyCurrency(c.MoneyCurrency()), x.Due())
	}
	return os, total, nil
}

// owing is the orders of customers ids ("" for all of hers) with
// something due, oldest first, at most limit.
func (o *Orders) owing(ctx context.Context, c crm.Consultant, ids []string, limit int) ([]crm.Order, error) {
	var out []crm.Order
	for _, id := range ids {
		for _, ps := range []crm.PaymentStatus{crm.Unpaid, crm.PartiallyPaid} {
			os, _, err := o.store.ListOrders(ctx, c.ID, store.OrderFilter{CustomerID: id, PaymentStatus: ps, Limit: limit, NoTotal: true})
			if err != nil {
				return nil, fmt.Errorf("orders owing of %s: %w", id, err)
			}
			for _, x := range os {
				if x.Status != crm.StatusCancelled && x.Due() > 0 {
					out = append(out, x)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b crm.Order) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.Number, b.Number)
	})
	return out[:min(len(out), limit)], nil
}
