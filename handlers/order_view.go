package handlers

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/pdf"
	"github.com/crmbot/crmbot/store"
)

// Event kinds of orders in a customer's timeline.
const (
	EventOrder   crm.EventKind = "order"
	EventStatus  crm.EventKind = "order_status"
	EventPayment crm.EventKind = "payment"
)

// showOrder sends (or, from a button, replaces) the order's card.
func (h *Handlers) showOrder(ctx context.Context, r *bot.Request, o crm.Order, edit bool) error {
	text := h.render(r, "order.view", h.orderData(r, o, ""))
	id := o.ID
	var statuses []tgbotapi.InlineKeyboardButton
	for _, s := range crm.NextStatuses(o.Status) {
		statuses = append(statuses, button(h.b.T(r.Lang, "status.to."+string(s), nil), "or:s:"+id+":"+string(s)))
	}
	rows := chunkButtons(statuses, 2)
	pay := []tgbotapi.InlineKeyboardButton{}
	if o.Due() > 0 {
		pay = append(pay, button(h.b.T(r.Lang, "btn.add_payment", nil), "or:p:"+id))
	}
	if len(o.Payments) > 0 {
		pay = append(pay, button(h.b.T(r.Lang, "btn.fix_payment", nil), "or:c:"+id))
	}
	if len(pay) > 0 {
		rows = append(rows, pay)
	}
	arch := button(h.b.T(r.Lang, "btn.archive", nil), "or:a:"+id)
	if o.Archived {
		arch = button(h.b.T(r.Lang, "btn.unarchive", nil), "or:u:"+id)
	}
	rows = append(rows,
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.invoice", nil), "or:i:"+id), arch},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.open_card", nil), "cu:o:"+o.CustomerID)})
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}

func (h *Handlers) getOrder(ctx context.Context, r *bot.Request, id string) (crm.Order, bool, error) {
	o, err := h.store.GetOrder(ctx, r.UserID, id)
	if err != nil && strings.Contains(err.Error(), store.ErrNotFound.Error()) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "order.not_found", nil))
		return o, false, nil
	}
	return o, err == nil, err
}

// orderCallback: or:v (view), or:s:<status>, or:p (payment), or:c (correct
// a payment), or:cp:<payment>, or:i (invoice), or:a / or:u (archive).
func (h *Handlers) orderCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) < 3 {
		return nil
	}
	o, ok, err := h.getOrder(ctx, r, parts[2])
	if !ok {
		return err
	}
	arg := ""
	if len(parts) > 3 {
		arg = parts[3]
	}
	switch parts[1] {
	case "v":
		h.b.AnswerCallback(ctx, r, "")
		return h.showOrder(ctx, r, o, false)
	case "s":
		return h.setOrderStatus(ctx, r, o, crm.OrderStatus(arg))
	case "p":
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "order.payment", map[string]string{"order_id": o.ID, "due": fmt.Sprint(o.Due()), "currency": o.MoneyCurrency(currencyOf(r))})
	case "c":
		h.b.AnswerCallback(ctx, r, "")
		var bs []tgbotapi.InlineKeyboardButton
		loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
		for _, p := range o.Payments {
			label := fmt.Sprintf("%s · %s · %s", p.At.In(loc).Format("02.01"), orderMoney(r, &o, p.Amount), h.b.T(r.Lang, "method."+string(p.Method), nil))
			bs = append(bs, button(label, "or:cp:"+o.ID+":"+p.ID))
		}
		_, _ = h.b.Say(ctx, r, "order.pick_payment", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
		return nil
	case "cp":
		h.b.AnswerCallback(ctx, r, "")
		i := slices.IndexFunc(o.Payments, func(p crm.Payment) bool { return p.ID == arg })
		if i < 0 {
			return nil
		}
		due := o.Due() + o.Payments[i].Amount
		return h.b.Forms.Start(ctx, r, "order.payment_fix", map[string]string{"order_id": o.ID, "payment_id": arg, "due": fmt.Sprint(due), "currency": o.MoneyCurrency(currencyOf(r))})
	case "i":
		h.b.AnswerCallback(ctx, r, "")
		return h.sendInvoice(ctx, r, o)
	case "a", "u":
		archived := parts[1] == "a"
		o, err := h.store.UpdateOrder(ctx, r.UserID, o.ID, func(o *crm.Order) error {
			o.Archived, o.UpdatedAt = archived, h.now()
			return nil
		})
		if err != nil {
			return err
		}
		h.afterOrderChange(ctx, r, o, "")
		key := "order.archived"
		if !archived {
			key = "order.unarchived"
		}
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, key, nil))
		return h.showOrder(ctx, r, o, true)
	}
	return nil
}

// setOrderStatus moves an order to a new status and records it; payment is
// never touched.
func (h *Handlers) setOrderStatus(ctx context.Context, r *bot.Request, o crm.Order, s crm.OrderStatus) error {
	prev := o.Status
	o, err := h.store.UpdateOrder(ctx, r.UserID, o.ID, func(o *crm.Order) error {
		o.UpdatedAt = h.now()
		return o.SetStatus(s, h.now())
	})
	if ce, ok := asCRM(err); ok && ce.Key == "status.not_allowed" {
		// A card shown before the order moved on: say why, in her words.
		for _, k := range []string{"Status", "Value"} {
			ce.Args[k] = h.b.T(r.Lang, "status."+fmt.Sprint(ce.Args[k]), nil)
		}
		h.b.AnswerCallback(ctx, r, h.render(r, ce.Key, ce.Args))
		if cur, gerr := h.store.GetOrder(ctx, r.UserID, o.ID); gerr == nil {
			_ = h.showOrder(ctx, r, cur, true)
		}
		return err
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "status."+string(s), nil))
	if prev != o.Status {
		h.afterOrderChange(ctx, r, o, "order_status")
		if h.OnOrderStatus != nil {
			h.OnOrderStatus(ctx, r, prev, o)
		}
	}
	return h.showOrder(ctx, r, o, true)
}

// afterOrderChange brings the customer's totals up to date from her orders
// and adds the change to her history. Totals are recomputed, not adjusted,
// so a crash between the two writes is healed by the next change.
func (h *Handlers) afterOrderChange(ctx context.Context, r *bot.Request, o crm.Order, event string) {
	if err := h.recomputeTotals(ctx, r.UserID, o.CustomerID); err != nil {
		h.log.Error("recompute customer totals", "customer", o.CustomerID, "err", err)
	}
	switch event {
	case "order_created":
		h.addEvent(ctx, r, o.CustomerID, EventOrder, fmt.Sprintf("%s · %s", h.orderNo(r, o.Number), orderMoney(r, &o, o.Total())), map[string]string{"order": o.ID})
	case "order_status":
		h.addEvent(ctx, r, o.CustomerID, EventStatus, fmt.Sprintf("%s · %s", h.orderNo(r, o.Number), h.b.T(r.Lang, "status."+string(o.Status), nil)),
			map[string]string{"order": o.ID, "status": string(o.Status)})
	}
}

// recomputeTotals sets a customer's order count, revenue, last order date,
// products and statuses from her orders, archived ones included: archiving
// files an order away, it does not undo the sale. A cancelled order adds
// only its status (so "order status = Cancelled" finds her); it counts in
// neither revenue, nor the order count, nor the last order date.
func (h *Handlers) recomputeTotals(ctx context.Context, owner int64, customerID string) error {
	var t crm.CustomerTotals
	for _, archived := range []bool{false, true} {
		if err := h.addTotals(ctx, owner, store.OrderFilter{CustomerID: customerID, Archived: archived, Limit: 200}, &t); err != nil {
			return err
		}
	}
	_, err := h.store.UpdateCustomer(ctx, owner, customerID, func(c *crm.Customer) error {
		c.Totals = t
		return nil
	})
	return err
}

// hasOrders reports whether the customer has any order at all: archived
// and cancelled ones count.
func (h *Handlers) hasOrders(ctx context.Context, owner int64, customerID string) (bool, error) {
	for _, archived := range []bool{false, true} {
		_, n, err := h.store.ListOrders(ctx, owner, store.OrderFilter{CustomerID: customerID, Archived: archived, Limit: 1})
		if err != nil || n > 0 {
			return n > 0, err
		}
	}
	return false, nil
}

// addTotals adds the orders f lists, page by page, to t.
func (h *Handlers) addTotals(ctx context.Context, owner int64, f store.OrderFilter, t *crm.CustomerTotals) error {
	for {
		os, _, err := h.store.ListOrders(ctx, owner, f)
		if err != nil {
			return err
		}
		for _, o := range os {
			if o.Status == crm.StatusCancelled {
				if s := string(o.Status); !slices.Contains(t.OrderStatuses, s) {
					t.OrderStatuses = append(t.OrderStatuses, s)
				}
				continue
			}
			t.Orders++
			t.Revenue += o.Total()
			if t.LastOrderAt == nil || o.CreatedAt.After(*t.LastOrderAt) {
				at := o.CreatedAt
				t.LastOrderAt = &at
			}
			for _, it := range o.Items {
				if !slices.Contains(t.Products, it.Name) && len(t.Products) < 200 {
					t.Products = append(t.Products, it.Name)
				}
			}
			if s := string(o.Status); !slices.Contains(t.OrderStatuses, s) {
				t.OrderStatuses = append(t.OrderStatuses, s)
			}
			if s := string(o.PaymentStatus()); !slices.Contains(t.PaymentStatuses, s) {
				t.PaymentStatuses = append(t.PaymentStatuses, s)
			}
		}
		if len(os) < f.Limit {
			return nil
		}
		f.Offset += len(os)
	}
}

// paymentForm asks for an amount (with a "the whole due" button) and a
// method; name is order.payment (a new one) or order.payment_fix.
func (h *Handlers) paymentForm(name string) *bot.Form {
	return &bot.Form{
		Name: name,
		Fields: []bot.Field{
			{Name: "amount", Prompt: "order.ask.amount", Label: "field.amount",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					v, err := crm.ParseMoney(text)
					if err != nil {
						return "", err
					}
					if v <= 0 {
						return "", crm.Invalid("amount", "err.payment_amount", nil)
					}
					return fmt.Sprint(v), nil
				},
				Choices: func(_ context.Context, r *bot.Request, values map[string]string) []bot.Choice {
					var due int64
					fmt.Sscan(values["due"], &due)
					if due <= 0 {
						return nil
					}
					// The value goes through Parse like a typed amount.
					typed := fmt.Sprintf("%d.%02d", due/100, due%100)
					return []bot.Choice{{Label: h.b.T(r.Lang, "btn.pay_all", map[string]any{"Amount": moneyIn(r, values["currency"], due)}), Value: typed}}
				},
				Check: func(_ context.Context, r *bot.Request, v string, values map[string]string) error {
					var amount, due int64
					fmt.Sscan(v, &amount)
					fmt.Sscan(values["due"], &due)
					if amount > due {
						return crm.Invalid("amount", "err.over_due", map[string]any{"Due": moneyIn(r, values["currency"], due)})
					}
					return nil
				},
				Display: func(_ context.Context, r *bot.Request, v string) string {
					var a int64
					fmt.Sscan(v, &a)
					return money(r, a)
				}},
			{Name: "method", Prompt: "order.ask.method", Label: "field.method",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					if !slices.Contains(crm.PaymentMethods, crm.PaymentMethod(text)) {
						return "", crm.Invalid("method", "err.payment_method", nil)
					}
					return text, nil
				},
				Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
					var cs []bot.Choice
					for _, m := range crm.PaymentMethods {
						cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "method."+string(m), nil), Value: string(m)})
					}
					return cs
				}},
			h.paymentDateField(),
		},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			var amount int64
			fmt.Sscan(v["amount"], &amount)
			method := crm.PaymentMethod(v["method"])
			at := h.paymentTime(r, v["date"])
			o, err := h.store.UpdateOrder(ctx, r.UserID, v["order_id"], func(o *crm.Order) error {
				o.UpdatedAt = h.now()
				if v["payment_id"] != "" {
					if v["date"] == "" {
						at = time.Time{} // skipped: the payment keeps its date
					}
					return o.CorrectPaymentOn(v["payment_id"], amount, method, at)
				}
				return o.AddPayment(crm.Payment{ID: crm.NewID(), Amount: amount, At: at, Method: method})
			})
			if err != nil {
				if ce, ok := asCRM(err); ok && ce.Key == "err.overpayment" {
					ce.Field = "amount"
					ce.Args["Due"] = moneyIn(r, v["currency"], toInt64(ce.Args["Due"]))
					ce.Args["Total"] = moneyIn(r, v["currency"], toInt64(ce.Args["Total"]))
				}
				return err
			}
			h.afterOrderChange(ctx, r, o, "")
			h.addEvent(ctx, r, o.CustomerID, EventPayment, fmt.Sprintf("%s · %s · %s", h.orderNo(r, o.Number), orderMoney(r, &o, amount), h.b.T(r.Lang, "method."+string(method), nil)),
				map[string]string{"order": o.ID})
			return h.showOrder(ctx, r, o, false)
		},
	}
}

// paymentDateField asks when a payment was made: Today / Yesterday, or
// dd.mm[.yyyy] typed; a day after today is refused. Skipping means today
// for a new payment and "unchanged" for a correction. The value is
// dd.mm.yyyy.
func (h *Handlers) paymentDateField() bot.Field {
	return bot.Field{Name: "date", Prompt: "payment.ask.date", Label: "field.date", Optional: true,
		Parse: func(_ context.Context, r *bot.Request, text string) (string, error) {
			d, err := h.parseDay(r, text)
			if err != nil {
				return "", crm.Invalid("date", "payment.err_date", nil)
			}
			if d.After(h.localNow(r)) {
				return "", crm.Invalid("date", "payment.err_future", nil)
			}
			return d.Format("02.01.2006"), nil
		},
		Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			today := h.localNow(r)
			return []bot.Choice{
				{Label: h.b.T(r.Lang, "payment.today", nil), Value: today.Format("02.01.2006")},
				{Label: h.b.T(r.Lang, "payment.yesterday", nil), Value: today.AddDate(0, 0, -1).Format("02.01.2006")},
			}
		}}
}

// paymentTime is when a payment made on day (dd.mm.yyyy) is recorded: now
// for today or no day given, otherwise noon of that day in her timezone
// (the hour is unknown; noon keeps it on that day in reports).
func (h *Handlers) paymentTime(r *bot.Request, day string) time.Time {
	now := h.localNow(r)
	d, err := time.ParseInLocation("02.01.2006", day, now.Location())
	if err != nil || d.Format("02.01.2006") == now.Format("02.01.2006") {
		return h.now()
	}
	return d.Add(12 * time.Hour)
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	}
	return 0
}

// sendInvoice sends the invoice as a PDF and a plain-text receipt ready to
// forward to the customer.
func (h *Handlers) sendInvoice(ctx context.Context, r *bot.Request, o crm.Order) error {
	c, err := h.store.GetCustomer(ctx, r.UserID, o.CustomerID)
	if err != nil {
		c = crm.Customer{FirstName: o.CustomerName}
	}
	inv := h.invoiceOf(r, o, c)
	var buf bytes.Buffer
	if err := pdf.WriteInvoice(&buf, inv); err != nil {
		return err
	}
	doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: fmt.Sprintf("%s-%d.pdf", h.b.T(r.Lang, "invoice.file", nil), o.Number), Bytes: buf.Bytes()})
	doc.Caption = h.render(r, "order.invoice_caption", map[string]any{"Number": o.Number})
	doc.ParseMode = tgbotapi.ModeHTML
	_, _ = h.b.SendFile(ctx, r, doc)
	_, _ = h.b.Say(ctx, r, "order.receipt", h.orderData(r, o, ""), nil)
	return nil
}

func (h *Handlers) invoiceOf(r *bot.Request, o crm.Order, c crm.Customer) pdf.Invoice {
	t := func(k string) string { return h.b.T(r.Lang, "invoice."+k, nil) }
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	inv := pdf.Invoice{
		Title:    t("title") + " " + h.orderNo(r, o.Number),
		Date:     o.CreatedAt.In(loc).Format("02.01.2006"),
		Seller:   tenantOf(r).Name,
		Customer: c.FullName(),
		Address:  c.Address,
		Labels: pdf.InvoiceLabels{
			Date: t("date"), Seller: t("seller"), Customer: t("customer"), Item: t("item"), Qty: t("qty"), Price: t("price"),
			Amount: t("amount"), Subtotal: t("subtotal"), Discount: t("discount"), Total: t("total"), Paid: t("paid"), Due: t("due"),
		},
		Subtotal: orderMoney(r, &o, o.Subtotal()), Discount: orderMoney(r, &o, o.DiscountAmount()), Total: orderMoney(r, &o, o.Total()),
		Paid: orderMoney(r, &o, o.Paid()), Due: orderMoney(r, &o, o.Due()), HasDiscount: o.DiscountAmount() > 0,
		Note: o.Note,
	}
	for _, it := range o.Items {
		inv.Lines = append(inv.Lines, pdf.InvoiceLine{Name: it.Name, Qty: fmt.Sprint(it.Qty), Price: orderMoney(r, &o, it.Price), Amount: orderMoney(r, &o, it.Amount())})
	}
	return inv
}

// orderNo is an order number as the language writes it: №5, #5.
func (h *Handlers) orderNo(r *bot.Request, n int) string {
	return h.b.T(r.Lang, "order.number", map[string]any{"N": n})
}
