package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/pdf"
	"github.com/crmbot/crmbot/store"
)

// Event kinds of orders in a customer's timeline.
const (
	EventOrder   = book.EventOrder
	EventStatus  = book.EventStatus
	EventPayment = book.EventPayment
)

// showOrder sends (or, from a button, replaces) the order's card.
func (h *Handlers) showOrder(ctx context.Context, r *bot.Request, o crm.Order, edit bool) error {
	text, cut := h.orderViewText(r, o)
	id := o.ID
	var statuses []tgbotapi.InlineKeyboardButton
	for _, s := range crm.NextStatuses(o.Status) {
		statuses = append(statuses, button(h.b.T(r.Lang, "status.to."+string(s), nil), orderSetStatus.data(id, string(s))))
	}
	rows := chunkButtons(statuses, 2)
	if cut {
		rows = append([][]tgbotapi.InlineKeyboardButton{{button(h.b.T(r.Lang, "btn.show_all", nil), orderFull.data(id))}}, rows...)
	}
	pay := []tgbotapi.InlineKeyboardButton{}
	if o.Owed() > 0 {
		pay = append(pay, button(h.b.T(r.Lang, "btn.add_payment", nil), orderPay.data(id)))
	}
	if len(o.Payments) > 0 {
		pay = append(pay, button(h.b.T(r.Lang, "btn.fix_payment", nil), orderFixPick.data(id)))
	}
	if len(pay) > 0 {
		rows = append(rows, pay)
	}
	if o.Status == crm.StatusDelivered && o.Due() > 0 {
		// She owes for what she has: a reminder ready to send.
		if cu, err := h.book.Customers.Get(ctx, tenantOf(r), o.CustomerID); err == nil {
			if ow := h.outreachRow(r.Lang, o.Owner, cu.ID, cu.Phone, cu.Telegram, crm.OccasionBalance, ""); ow != nil {
				rows = append(rows, ow)
			}
		}
	}
	arch := button(h.b.T(r.Lang, "btn.archive", nil), orderArchive.data(id))
	if o.Archived {
		arch = button(h.b.T(r.Lang, "btn.unarchive", nil), orderUnarchive.data(id))
	}
	rows = append(rows,
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.invoice", nil), orderInvoice.data(id)), arch},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.open_card", nil), customerOpen.data(o.CustomerID))})
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}

// orderViewText is the order's card as one message, and whether it was
// cut to fit: when every item does not fit, names and the note are cut
// and only the first items that fit are listed, with a line saying so (the
// sums are the whole order's; "show all" and the invoice have every item).
func (h *Handlers) orderViewText(r *bot.Request, o crm.Order) (string, bool) {
	d := h.orderData(r, o, "")
	text := h.render(r, "order.view", d)
	if bot.VisibleLen(text) <= bot.MaxText {
		return text, false
	}
	all := d["Lines"].([]orderLine)
	for i := range all {
		all[i].Name = bot.Cut(all[i].Name, 60)
	}
	cut := o
	cut.Note = bot.Cut(o.Note, 500)
	d["O"] = cut
	for n := len(all); ; n -= 5 {
		n = max(n, 0)
		d["Lines"] = all[:n]
		text = h.render(r, "order.view", d)
		if n < len(all) {
			text += "\n" + h.render(r, "order.items_shown", map[string]any{"From": 1, "To": n, "Total": len(all)})
		}
		if bot.VisibleLen(text) <= bot.MaxText || n == 0 {
			return text, true
		}
	}
}

// getOrder loads one of her orders; an unknown id (or another
// consultant's) is answered as not found.
func (h *Handlers) getOrder(ctx context.Context, r *bot.Request, id string) (crm.Order, bool, error) {
	o, err := h.book.Orders.Get(ctx, tenantOf(r), id)
	if errors.Is(err, store.ErrNotFound) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "order.not_found", nil))
		return o, false, nil
	}
	return o, err == nil, err
}

// orderCallback handles the buttons of a saved order's card (see the
// order actions in callbacks.go).
func (h *Handlers) orderCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	if len(p.args) == 0 {
		return nil
	}
	o, ok, err := h.getOrder(ctx, r, p.arg(0))
	if !ok {
		return err
	}
	switch {
	case p.is(orderSetStatus):
		return h.setOrderStatus(ctx, r, o, crm.OrderStatus(p.arg(1)))
	case p.is(orderArchive), p.is(orderUnarchive):
		return h.archiveOrder(ctx, r, o, p.is(orderArchive))
	}
	h.b.AnswerCallback(ctx, r, "")
	switch {
	case p.is(orderView):
		return h.showOrder(ctx, r, o, false)
	case p.is(orderFull):
		_, _ = h.b.Reply(ctx, r, h.render(r, "order.view", h.orderData(r, o, "")),
			tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button("🧾 "+h.orderNo(r, o.Number), orderView.data(o.ID)))))
		return nil
	case p.is(orderPay):
		// The amount, the method and the day she typed in words, when the
		// button carries them.
		return h.startPaymentOf(ctx, r, o, typedAmount(p.arg(1)), crm.PaymentMethod(p.arg(2)), h.typedPaymentDay(r, p.arg(3)))
	case p.is(orderFixPick):
		return h.pickPayment(ctx, r, o)
	case p.is(orderFix):
		return h.startPayment(ctx, r, o, p.arg(1))
	case p.is(orderInvoice):
		return h.sendInvoice(ctx, r, o)
	}
	return nil
}

// pickPayment offers the order's payments to correct one.
func (h *Handlers) pickPayment(ctx context.Context, r *bot.Request, o crm.Order) error {
	var bs []tgbotapi.InlineKeyboardButton
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	for _, p := range o.Payments {
		label := fmt.Sprintf("%s · %s · %s", p.At.In(loc).Format("02.01"), orderMoney(r, &o, p.Amount), h.b.T(r.Lang, "method."+string(p.Method), nil))
		bs = append(bs, button(label, orderFix.data(o.ID, p.ID)))
	}
	_, _ = h.b.Say(ctx, r, "order.pick_payment", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return nil
}

func (h *Handlers) archiveOrder(ctx context.Context, r *bot.Request, o crm.Order, archived bool) error {
	o, err := h.book.Orders.Archive(ctx, tenantOf(r), o.ID, archived)
	if err != nil {
		return err
	}
	key := "order.archived"
	if !archived {
		key = "order.unarchived"
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, key, nil))
	return h.showOrder(ctx, r, o, true)
}

// setOrderStatus moves an order to a new status; payment is never touched.
func (h *Handlers) setOrderStatus(ctx context.Context, r *bot.Request, o crm.Order, s crm.OrderStatus) error {
	m, err := h.book.Orders.SetStatus(ctx, tenantOf(r), o.ID, s, h.orderWords(r))
	if ce, ok := asCRM(err); ok && ce.Key == "status.not_allowed" {
		// A card shown before the order moved on: say why, in her words.
		for _, k := range []string{"Status", "Value"} {
			ce.Args[k] = h.b.T(r.Lang, "status."+fmt.Sprint(ce.Args[k]), nil)
		}
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, ce.Key, ce.Args)) // a popup is plain text
		if m.Order.ID != "" {                                      // the order as it is now, when it could be read
			_ = h.showOrder(ctx, r, m.Order, true)
		}
		return err
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "status."+string(s), nil))
	if m.Moved() {
		h.sayFollowUpPlan(ctx, r, m.Order.CustomerName, m.Plan)
		h.noticeOrder(ctx, tenantOf(r), m.Order)
	}
	return h.showOrder(ctx, r, m.Order, true)
}

// orderWords words order events for her history in the request's
// language (book.Words).
type orderWords struct {
	h *Handlers
	r *bot.Request
}

func (h *Handlers) orderWords(r *bot.Request) book.Words { return orderWords{h, r} }

func (w orderWords) OrderCreated(o crm.Order) string {
	return fmt.Sprintf("%s · %s", w.h.orderNo(w.r, o.Number), orderMoney(w.r, &o, o.Total()))
}

func (w orderWords) StatusChanged(o crm.Order) string {
	return fmt.Sprintf("%s · %s", w.h.orderNo(w.r, o.Number), w.h.b.T(w.r.Lang, "status."+string(o.Status), nil))
}

func (w orderWords) Payment(o crm.Order, amount int64, method crm.PaymentMethod) string {
	return fmt.Sprintf("%s · %s · %s", w.h.orderNo(w.r, o.Number), orderMoney(w.r, &o, amount), w.h.b.T(w.r.Lang, "method."+string(method), nil))
}

// hasOrders reports whether the customer has any order at all: archived
// and cancelled ones count.
func (h *Handlers) hasOrders(ctx context.Context, owner int64, customerID string) (bool, error) {
	return h.book.Orders.HasOrders(ctx, crm.Consultant{ID: owner}, customerID)
}

// moneyArgs formats the amounts (minor units) under keys of a crm error's
// arguments in currency, for the chat to show; other errors pass as they
// are.
func moneyArgs(r *bot.Request, currency string, err error, keys ...string) error {
	ce, ok := asCRM(err)
	if !ok {
		return err
	}
	for _, k := range keys {
		if v, ok := ce.Args[k].(int64); ok {
			ce.Args[k] = moneyIn(r, currency, v)
		}
	}
	return err
}

// sendInvoice sends the invoice as a PDF and a plain-text receipt ready to
// forward to the customer.
func (h *Handlers) sendInvoice(ctx context.Context, r *bot.Request, o crm.Order) error {
	o, c, err := h.book.Orders.Invoice(ctx, tenantOf(r), o.ID)
	if err != nil {
		return err
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
