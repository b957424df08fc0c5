package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/templates"
)

// The order being built lives in a session form: every typed message adds
// an item (from the catalog, or free text with a price), and buttons change
// quantities, the discount and the note. It survives a restart.
const (
	sessionOrder = "order"
	formOrderFor = "order.customer"
)

func (h *Handlers) registerOrders() {
	rt := h.b.Router
	rt.Command("order", h.orderCommand)
	rt.Command("orders", h.ordersCommand)
	rt.Callback("o:", h.orderSessionCallback)
	rt.Callback("or:", h.orderCallback)
	rt.Callback("ol:", h.orderListCallback)
	h.b.Forms.Register(&bot.Form{Name: sessionOrder, Session: h.orderSession, Resume: h.resumeOrder})
	h.b.Forms.Register(h.orderCustomerForm())
	h.b.Forms.Register(h.paymentForm("order.payment"))
	h.b.Forms.Register(h.paymentForm("order.payment_fix"))
	h.b.Forms.Register(h.orderPeriodForm())
}

// orderCommand is /order [name or phone]: pick the customer, then items.
func (h *Handlers) orderCommand(ctx context.Context, r *bot.Request) error {
	if r.Args != "" {
		return h.pickOrderCustomer(ctx, r, r.Args)
	}
	return h.b.Forms.Start(ctx, r, formOrderFor, nil)
}

func (h *Handlers) orderCustomerForm() *bot.Form {
	return &bot.Form{
		Name: formOrderFor,
		Fields: []bot.Field{{Name: "q", Prompt: "order.ask.customer", Label: "field.customer",
			Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
				if len(store.QueryTerms(text)) == 0 {
					return "", crm.Invalid("q", "err.required", nil)
				}
				return text, nil
			}}},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			return h.pickOrderCustomer(ctx, r, v["q"])
		},
	}
}

// pickOrderCustomer finds the customer of a new order: one hit starts the
// order, several are offered as buttons, none offers to add her.
func (h *Handlers) pickOrderCustomer(ctx context.Context, r *bot.Request, q string) error {
	cs, total, err := h.store.ListCustomers(ctx, r.UserID, store.CustomerFilter{Query: q, Limit: 8})
	if err != nil {
		return err
	}
	switch {
	case total == 1:
		return h.startOrder(ctx, r, cs[0])
	case total == 0:
		_, _ = h.b.Say(ctx, r, "order.no_customer", map[string]any{"Query": q}, nil)
		return nil
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, c := range cs {
		bs = append(bs, button(c.FullName(), "o:new:"+c.ID))
	}
	_, _ = h.b.Say(ctx, r, "order.pick_customer", map[string]any{"Total": total}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return nil
}

// startOrder opens the order session for a customer.
func (h *Handlers) startOrder(ctx context.Context, r *bot.Request, c crm.Customer) error {
	o := crm.Order{Owner: r.UserID, CustomerID: c.ID, CustomerName: c.FullName(), Status: crm.StatusUnprocessed}
	if d := h.categoryDiscount(ctx, r, c); d > 0 {
		o.Discount = crm.Discount{Percent: d}
	}
	values, err := putDraftOrder(map[string]string{}, o)
	if err != nil {
		return err
	}
	if err := h.b.Forms.Open(ctx, r, sessionOrder, values); err != nil {
		if errors.Is(err, bot.ErrFormsFull) {
			return nil
		}
		return err
	}
	h.showDraftOrder(ctx, r, values, o, "order.started", false)
	return h.b.Forms.Save(ctx, r, sessionOrder, values)
}

// resumeOrder shows an order being built again after a form that
// interrupted it (a customer added, a note) has ended.
func (h *Handlers) resumeOrder(ctx context.Context, r *bot.Request, values map[string]string) error {
	o, err := draftOrder(values)
	if err != nil {
		return err
	}
	h.showDraftOrder(ctx, r, values, o, "order.resumed", false)
	return h.b.Forms.Save(ctx, r, sessionOrder, values)
}

func draftOrder(values map[string]string) (crm.Order, error) {
	var o crm.Order
	if err := json.Unmarshal([]byte(values["draft"]), &o); err != nil {
		return o, fmt.Errorf("order draft: %w", err)
	}
	return o, nil
}

func putDraftOrder(values map[string]string, o crm.Order) (map[string]string, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("order draft: %w", err)
	}
	values["draft"] = string(b)
	return values, nil
}

// orderSession takes what is typed while an order is open.
func (h *Handlers) orderSession(ctx context.Context, r *bot.Request, text string, values map[string]string) (bool, error) {
	o, err := draftOrder(values)
	if err != nil {
		return false, err
	}
	mode := values["mode"]
	delete(values, "mode")
	switch mode {
	case "discount":
		d, err := parseDiscount(text)
		if err != nil {
			values["mode"] = mode
			return true, err
		}
		if d.Amount > o.Subtotal() {
			values["mode"] = mode
			return true, crm.Invalid("discount", "err.discount_too_big", map[string]any{"Max": money(r, o.Subtotal())})
		}
		o.Discount = d
	case "note":
		if len([]rune(text)) > crm.MaxTextLen {
			values["mode"] = mode
			return true, crm.Invalid("note", "err.too_long", map[string]any{"Max": crm.MaxTextLen})
		}
		o.Note = strings.TrimSpace(text)
	default:
		done, err := h.addTypedItem(ctx, r, &o, values, text)
		if err != nil || !done {
			return true, err
		}
	}
	if _, err := putDraftOrder(values, o); err != nil {
		return false, err
	}
	h.showDraftOrder(ctx, r, values, o, "", false)
	return true, nil
}

// addTypedItem adds "Крем TimeWise 2 x 12500" as a free-text line, or finds
// the words (or an SKU) in the catalog. It reports whether an item was
// added; when the catalog gives several, they are offered as buttons.
func (h *Handlers) addTypedItem(ctx context.Context, r *bot.Request, o *crm.Order, values map[string]string, text string) (bool, error) {
	if len(o.Items) >= crm.MaxItems {
		return false, crm.Invalid("items", "err.order_too_many_items", map[string]any{"Max": crm.MaxItems})
	}
	it, ok, err := crm.ParseItemLine(text)
	if err != nil {
		return false, err
	}
	if ok {
		o.Items = append(o.Items, it)
		return true, nil
	}
	if p, err := h.store.GetProductBySKU(ctx, r.UserID, text); err == nil && !p.Archived {
		o.Items = append(o.Items, itemOf(p, 1))
		return true, nil
	}
	ps, total, err := h.store.ListProducts(ctx, r.UserID, store.ProductFilter{Query: text, Limit: 8})
	if err != nil {
		return false, err
	}
	switch total {
	case 0:
		_, _ = h.b.Say(ctx, r, "order.item_unknown", map[string]any{"Text": text}, nil)
		return false, nil
	case 1:
		o.Items = append(o.Items, itemOf(ps[0], 1))
		return true, nil
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, p := range ps {
		bs = append(bs, button(fmt.Sprintf("%s · %s", p.Name, money(r, p.Price)), "o:ip:"+p.ID+":"+bot.FormID(values)))
	}
	_, _ = h.b.Say(ctx, r, "order.pick_product", map[string]any{"Total": total}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return false, nil
}

func itemOf(p crm.Product, qty int) crm.Item {
	return crm.Item{ProductID: p.ID, Name: p.Name, SKU: p.SKU, Qty: qty, Price: p.Price, Cost: p.Cost}
}

// parseDiscount reads "10%" or an amount ("5000"); "0" removes it.
func parseDiscount(text string) (crm.Discount, error) {
	t := strings.TrimSpace(text)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 100 {
			return crm.Discount{}, crm.Invalid("discount", "err.discount", nil)
		}
		return crm.Discount{Percent: n}, nil
	}
	a, err := crm.ParseMoney(t)
	if err != nil {
		return crm.Discount{}, crm.Invalid("discount", "err.discount", nil)
	}
	return crm.Discount{Amount: a}, nil
}

// Keys of the order session besides the draft: the revision shown on the
// live draft's buttons, and that message's id.
const (
	keyDraftRev = "rev"
	keyDraftMsg = "msg"
)

// draftTag is what every button of the draft shown now carries: the
// session's id and the draft's revision. A button of an older draft, or of
// another order, no longer matches and is refused.
func draftTag(values map[string]string) string {
	return bot.FormID(values) + "." + values[keyDraftRev]
}

// showDraftOrder shows the running total with the order's buttons under a
// new revision: edit replaces the pressed draft in place; otherwise a new
// draft is sent and the previous one loses its buttons, so one draft in
// the chat can be acted on. It records the revision and message in values
// for the caller to save.
func (h *Handlers) showDraftOrder(ctx context.Context, r *bot.Request, values map[string]string, o crm.Order, intro string, edit bool) {
	rev, _ := strconv.Atoi(values[keyDraftRev])
	values[keyDraftRev] = strconv.Itoa(rev + 1)
	tag := draftTag(values)
	text := h.render(r, "order.draft", h.orderData(r, o, intro))
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, it := range o.Items {
		label := fmt.Sprintf("%d. %s", i+1, truncate(it.Name, 18))
		rows = append(rows, []tgbotapi.InlineKeyboardButton{
			button(label, "o:noop"),
			button("➖", fmt.Sprintf("o:q-:%d:%s", i, tag)), button("➕", fmt.Sprintf("o:q+:%d:%s", i, tag)), button("🗑", fmt.Sprintf("o:rm:%d:%s", i, tag)),
		})
	}
	rows = append(rows,
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.discount", nil), "o:disc:-:"+tag), button(h.b.T(r.Lang, "btn.order_note", nil), "o:note:-:"+tag)},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.save_order", nil), "o:ok:-:"+tag), button(h.b.T(r.Lang, "btn.cancel", nil), "o:x:-:"+tag)})
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	if mid := r.MessageID(); edit && mid != 0 && strconv.Itoa(mid) == values[keyDraftMsg] {
		_ = h.b.Edit(ctx, r, mid, text, &kb)
		return
	}
	if old, _ := strconv.Atoi(values[keyDraftMsg]); old != 0 {
		e := tgbotapi.NewEditMessageReplyMarkup(r.ChatID, old, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
		_, _ = h.b.Sender.Send(ctx, r.ChatID, bot.Interactive, e)
	}
	if m, err := h.b.Reply(ctx, r, text, kb); err == nil && m.MessageID != 0 {
		values[keyDraftMsg] = strconv.Itoa(m.MessageID)
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// money formats minor units in the consultant's currency and language.
func money(r *bot.Request, v int64) string {
	return templates.Money(r.Lang, v, currencyOf(r))
}

func currencyOf(r *bot.Request) string { return tenantOf(r).MoneyCurrency() }

// orderMoney formats an amount of order o, in the order's own currency.
func orderMoney(r *bot.Request, o *crm.Order, v int64) string {
	return templates.Money(r.Lang, v, o.MoneyCurrency(currencyOf(r)))
}

// moneyIn formats an amount in currency, or in hers when it is empty.
func moneyIn(r *bot.Request, currency string, v int64) string {
	if currency == "" {
		currency = currencyOf(r)
	}
	return templates.Money(r.Lang, v, currency)
}

// orderData is what the order templates show.
func (h *Handlers) orderData(r *bot.Request, o crm.Order, intro string) map[string]any {
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	type line struct {
		N             int
		Name          string
		Qty           int
		Price, Amount int64
	}
	var lines []line
	for i, it := range o.Items {
		lines = append(lines, line{N: i + 1, Name: it.Name, Qty: it.Qty, Price: it.Price, Amount: it.Amount()})
	}
	d := map[string]any{
		"O": o, "Lines": lines, "Currency": o.MoneyCurrency(currencyOf(r)), "Intro": intro,
		"Subtotal": o.Subtotal(), "Discount": o.DiscountAmount(), "Total": o.Total(), "Paid": o.Paid(), "Due": o.Due(),
		"Status": h.b.T(r.Lang, "status."+string(o.Status), nil), "Payment": h.b.T(r.Lang, "payment."+string(o.PaymentStatus()), nil),
		"CostKnown": o.CostKnown(), "Profit": o.Profit(), "Created": o.CreatedAt.In(loc), "IntroText": nil, "Delivered": nil,
	}
	if intro != "" {
		d["IntroText"] = htmlSafe(h.render(r, intro, map[string]any{"Name": o.CustomerName}))
	}
	if o.DeliveredAt != nil {
		d["Delivered"] = o.DeliveredAt.In(loc)
	}
	return d
}

// orderSessionCallback handles the buttons of the order being built:
// o:<op>:<arg>:<session id>.<revision>. A button of an older draft, or of
// another order, is refused with a word, so it never acts on the wrong
// item or saves an order she is not looking at.
func (h *Handlers) orderSessionCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) >= 3 && parts[1] == "new" {
		h.b.AnswerCallback(ctx, r, "")
		c, ok, err := h.getCustomer(ctx, r, parts[2])
		if !ok {
			return err
		}
		return h.startOrder(ctx, r, c)
	}
	if len(parts) < 2 || parts[1] == "noop" {
		h.b.AnswerCallback(ctx, r, "")
		return nil
	}
	values, open, err := h.b.Forms.Values(ctx, r, sessionOrder)
	if err != nil {
		return err
	}
	if !open {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	if !draftButtonCurrent(parts, values) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "order.stale", nil))
		return nil
	}
	o, err := draftOrder(values)
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	idx, _ := strconv.Atoi(parts[2])
	valid := idx >= 0 && idx < len(o.Items)
	edit := true
	switch parts[1] {
	case "ip":
		p, err := h.store.GetProduct(ctx, r.UserID, parts[2])
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(o.Items) >= crm.MaxItems {
			return crm.Invalid("items", "err.order_too_many_items", map[string]any{"Max": crm.MaxItems})
		}
		o.Items = append(o.Items, itemOf(p, 1))
		h.clearKeyboard(ctx, r)
		edit = false
	case "q+":
		if valid && o.Items[idx].Qty < crm.MaxQty {
			o.Items[idx].Qty++
		}
	case "q-":
		if valid && o.Items[idx].Qty > 1 {
			o.Items[idx].Qty--
		}
	case "rm":
		if valid {
			o.Items = append(o.Items[:idx], o.Items[idx+1:]...)
		}
	case "disc":
		values["mode"] = "discount"
		_, _ = h.b.Say(ctx, r, "order.ask.discount", map[string]any{"Subtotal": money(r, o.Subtotal())}, nil)
		return h.b.Forms.Save(ctx, r, sessionOrder, values)
	case "note":
		values["mode"] = "note"
		_, _ = h.b.Say(ctx, r, "order.ask.note", nil, nil)
		return h.b.Forms.Save(ctx, r, sessionOrder, values)
	case "x":
		h.clearKeyboard(ctx, r)
		_, _ = h.b.Say(ctx, r, "order.cancelled", nil, nil)
		return h.b.Forms.Close(ctx, r)
	case "ok":
		return h.saveOrder(ctx, r, o)
	default:
		return nil
	}
	if _, err := putDraftOrder(values, o); err != nil {
		return err
	}
	h.showDraftOrder(ctx, r, values, o, "", edit)
	return h.b.Forms.Save(ctx, r, sessionOrder, values)
}

// draftButtonCurrent reports whether a pressed draft button belongs to the
// draft shown now: a product picked from a list needs the same order; the
// other buttons, the same revision of it.
func draftButtonCurrent(parts []string, values map[string]string) bool {
	if len(parts) < 4 {
		return false
	}
	if parts[1] == "ip" {
		return parts[3] == bot.FormID(values)
	}
	return parts[3] == draftTag(values)
}

// saveOrder numbers and stores the order, closes the session, and updates
// the customer's totals and history.
func (h *Handlers) saveOrder(ctx context.Context, r *bot.Request, o crm.Order) error {
	now := h.now()
	o.ID, o.Owner, o.CreatedAt, o.UpdatedAt = crm.NewID(), r.UserID, now, now
	o.Month = crm.MonthOf(now, tenantOf(r).Location(h.cfg.DefaultTimezone))
	o.History = []crm.StatusChange{{Status: o.Status, At: now}}
	if err := o.Validate(); err != nil {
		return err
	}
	n, err := h.store.NextOrderNumber(ctx, r.UserID)
	if err != nil {
		return err
	}
	o.Number = n
	// Her amounts stay in the currency she entered them in, whatever she
	// chooses later.
	o.Currency = currencyOf(r)
	if err := h.store.CreateOrder(ctx, o); err != nil {
		return fmt.Errorf("save order: %w", err)
	}
	h.clearKeyboard(ctx, r)
	h.afterOrderChange(ctx, r, o, "order_created")
	if err := h.showOrder(ctx, r, o, false); err != nil {
		return err
	}
	// Closing last brings back a form the order interrupted, under the
	// saved order's card.
	return h.b.Forms.Close(ctx, r)
}
