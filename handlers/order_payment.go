package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

// A payment is asked in one form (amount, method, day) and stored by one
// use case: the amount typed is parsed once into minor units, which the
// form keeps as an integer and hands to book.Orders.AddPayment typed.
const (
	formPayment    = "order.payment"     // a new payment
	formPaymentFix = "order.payment_fix" // a correction of one
)

// startPayment asks a new payment on o, or a correction of its payment
// paymentID; the most it may be is fixed now, for the "the whole due"
// button and the check of a typed amount.
func (h *Handlers) startPayment(ctx context.Context, r *bot.Request, o crm.Order, paymentID string) error {
	return h.startPaymentWith(ctx, r, o, paymentID, 0, "", "")
}

// startPaymentWith is startPayment with the amount (minor units, no more
// than is due) and maybe the method and the day (paymentDay, "" for none)
// typed already: the form asks what is left.
func (h *Handlers) startPaymentWith(ctx context.Context, r *bot.Request, o crm.Order, paymentID string, amount int64, method crm.PaymentMethod, day string) error {
	due, ok := book.PaymentDue(o, paymentID)
	if !ok {
		return nil // a payment since corrected away
	}
	name := formPayment
	if paymentID != "" {
		name = formPaymentFix
	}
	values := map[string]string{
		"order_id": o.ID, "payment_id": paymentID, "due": strconv.FormatInt(due, 10), "currency": o.MoneyCurrency(currencyOf(r)),
	}
	if amount > 0 && amount <= due {
		values["amount"] = strconv.FormatInt(amount, 10)
	}
	if slices.Contains(crm.PaymentMethodsIn(tenantOf(r).Region), method) {
		values["method"] = string(method) // "… наличными": not asked again
	}
	if day != "" {
		values["date"] = day // "… вчера": not asked
	}
	return h.b.Forms.Start(ctx, r, name, values)
}

// formAmount reads an amount the payment form keeps (minor units).
func formAmount(v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("payment form amount %q: %w", v, err)
	}
	return n, nil
}

// paymentForm is formPayment or formPaymentFix: the same three questions.
func (h *Handlers) paymentForm(name string) *bot.Form {
	return &bot.Form{
		Name:   name,
		Fields: []bot.Field{h.paymentAmountField(), h.paymentMethodField(), h.paymentDateField()},
		Submit: h.submitPayment,
	}
}

// paymentAmountField asks how much was paid, with a "the whole due"
// button; more than is due is refused at once.
func (h *Handlers) paymentAmountField() bot.Field {
	return bot.Field{Name: "amount", Prompt: "order.ask.amount", Label: "field.amount",
		Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
			v, err := crm.ParseMoney(text)
			if err != nil {
				return "", err
			}
			if v <= 0 {
				return "", crm.Invalid("amount", "err.payment_amount", nil)
			}
			return strconv.FormatInt(v, 10), nil
		},
		Choices: func(_ context.Context, r *bot.Request, values map[string]string) []bot.Choice {
			due, err := formAmount(values["due"])
			if err != nil || due <= 0 {
				return nil
			}
			// The value goes through Parse like a typed amount.
			typed := fmt.Sprintf("%d.%02d", due/100, due%100)
			return []bot.Choice{{Label: h.b.T(r.Lang, "btn.pay_all", map[string]any{"Amount": moneyIn(r, values["currency"], due)}), Value: typed}}
		},
		Check: func(_ context.Context, r *bot.Request, v string, values map[string]string) error {
			amount, err := formAmount(v)
			if err != nil {
				return err
			}
			due, err := formAmount(values["due"])
			if err != nil {
				return err
			}
			if amount > due {
				return crm.Invalid("amount", "err.over_due", map[string]any{"Due": moneyIn(r, values["currency"], due)})
			}
			return nil
		},
		Display: func(_ context.Context, r *bot.Request, v string) string {
			a, err := formAmount(v)
			if err != nil {
				return v
			}
			return money(r, a)
		}}
}

// paymentMethodField asks how it was paid.
func (h *Handlers) paymentMethodField() bot.Field {
	return bot.Field{Name: "method", Prompt: "order.ask.method", Label: "field.method",
		Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
			if !slices.Contains(crm.PaymentMethods, crm.PaymentMethod(text)) {
				return "", crm.Invalid("method", "err.payment_method", nil)
			}
			return text, nil
		},
		Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			var cs []bot.Choice
			for _, m := range crm.PaymentMethodsIn(tenantOf(r).Region) {
				cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "method."+string(m), nil), Value: string(m)})
			}
			return cs
		}}
}

// paymentDay is how the form keeps the day of a payment.
const paymentDay = "02.01.2006"

// paymentDateField asks when a payment was made: Today / Yesterday, or
// dd.mm[.yyyy] typed; a day after today is refused. Skipping means today
// for a new payment and "unchanged" for a correction.
func (h *Handlers) paymentDateField() bot.Field {
	return bot.Field{Name: "date", Prompt: "payment.ask.date", Label: "field.date", Optional: true,
		Parse: func(_ context.Context, r *bot.Request, text string) (string, error) {
			d, err := h.parseDay(r, text)
			if err != nil {
				return "", crm.Invalid("date", "payment.err_date", nil)
			}
			if err := h.book.Orders.CheckPaymentDay(tenantOf(r), d); err != nil {
				return "", err
			}
			return d.Format(paymentDay), nil
		},
		Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			today := h.localNow(r)
			return []bot.Choice{
				{Label: h.b.T(r.Lang, "payment.today", nil), Value: today.Format(paymentDay)},
				{Label: h.b.T(r.Lang, "payment.yesterday", nil), Value: today.AddDate(0, 0, -1).Format(paymentDay)},
			}
		}}
}

// typedPaymentDay is a payment's day carried by a button (paymentDay), ""
// when there is none or it is no day she could have been paid on (a
// forged or stale button: the form asks it).
func (h *Handlers) typedPaymentDay(r *bot.Request, arg string) string {
	if arg == "" {
		return ""
	}
	d, err := time.ParseInLocation(paymentDay, arg, h.localNow(r).Location())
	if err != nil || h.book.Orders.CheckPaymentDay(tenantOf(r), d) != nil {
		return ""
	}
	return d.Format(paymentDay)
}

// paymentOf reads the answers of a payment form.
func (h *Handlers) paymentOf(r *bot.Request, v map[string]string) (book.Payment, error) {
	amount, err := formAmount(v["amount"])
	if err != nil {
		return book.Payment{}, err
	}
	p := book.Payment{OrderID: v["order_id"], ID: v["payment_id"], Amount: amount, Method: crm.PaymentMethod(v["method"])}
	if v["date"] != "" {
		if p.Day, err = time.ParseInLocation(paymentDay, v["date"], h.localNow(r).Location()); err != nil {
			return p, fmt.Errorf("payment form day %q: %w", v["date"], err)
		}
	}
	return p, nil
}

// submitPayment stores the payment and shows the order.
func (h *Handlers) submitPayment(ctx context.Context, r *bot.Request, v map[string]string) error {
	p, err := h.paymentOf(r, v)
	if err != nil {
		return err
	}
	o, err := h.book.Orders.AddPayment(ctx, tenantOf(r), p, h.orderWords(r))
	if ce, ok := asCRM(err); ok && ce.Key == "err.overpayment" {
		ce.Field = "amount" // asked again
		return moneyArgs(r, v["currency"], err, "Due", "Total")
	}
	if err != nil {
		return err
	}
	h.noticePayment(ctx, tenantOf(r), o)
	return h.showOrder(ctx, r, o, false)
}
