package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/intent"
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
	rt.Callback(draftNew.route(), h.orderSessionCallback)
	rt.Callback(orderView.route(), h.orderCallback)
	rt.Callback(ordersPage.route(), h.orderListCallback)
	h.b.Forms.Register(&bot.Form{Name: sessionOrder, Session: h.orderSession, Resume: h.resumeOrder})
	h.b.Forms.Register(h.orderCustomerForm())
	h.b.Forms.Register(h.paymentForm(formPayment))
	h.b.Forms.Register(h.paymentForm(formPaymentFix))
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
// order, several are offered as buttons, none offers to add her. What
// follows her name ("Айгерим крем 2 шт 12000") is the order's first line,
// kept until she picks among several.
func (h *Handlers) pickOrderCustomer(ctx context.Context, r *bot.Request, q string) error {
	cs, total, items, err := h.book.Customers.LookupLeading(ctx, tenantOf(r), q, 8)
	if err != nil {
		return err
	}
	switch {
	case total == 1:
		return h.startOrderWith(ctx, r, cs[0], items)
	case total == 0:
		_, _ = h.b.Say(ctx, r, "order.no_customer", map[string]any{"Query": q}, nil)
		return nil
	}
	var kept []string
	if items != "" {
		id, err := h.saveDraft(ctx, r, draftOrderItems, items)
		if err != nil {
			return err
		}
		kept = []string{id}
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, c := range cs {
		bs = append(bs, button(c.FullName(), draftNew.data(append([]string{c.ID}, kept...)...)))
	}
	_, _ = h.b.Say(ctx, r, "order.pick_customer", map[string]any{"Total": total}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return nil
}

// draftOrderItems keeps the first line of an order typed with the
// customer's name while she picks which customer it is.
const draftOrderItems = "order.items"

// startOrderWith opens the order session for a customer and reads items,
// when there are any, as the first line she typed into it.
func (h *Handlers) startOrderWith(ctx context.Context, r *bot.Request, c crm.Customer, items string) error {
	values, err := h.openOrder(ctx, r, c)
	if err != nil || values == nil || items == "" {
		return err
	}
	if _, err := h.orderSession(ctx, r, items, values); err != nil {
		return err
	}
	return h.b.Forms.Save(ctx, r, sessionOrder, values)
}

// startOrder opens the order session for a customer.
func (h *Handlers) startOrder(ctx context.Context, r *bot.Request, c crm.Customer) error {
	_, err := h.openOrder(ctx, r, c)
	return err
}

// openOrder opens the order session for a customer and returns its
// values as saved (nil when too many forms wait: she was told).
func (h *Handlers) openOrder(ctx context.Context, r *bot.Request, c crm.Customer) (map[string]string, error) {
	o := h.book.Orders.NewDraft(tenantOf(r), c)
	values, err := putDraftOrder(map[string]string{}, o)
	if err != nil {
		return nil, err
	}
	if err := h.b.Forms.Open(ctx, r, sessionOrder, values); err != nil {
		if errors.Is(err, bot.ErrFormsFull) {
			return nil, nil
		}
		return nil, err
	}
	h.showDraftOrder(ctx, r, values, o, "order.started", false)
	return values, h.b.Forms.Save(ctx, r, sessionOrder, values)
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
		d, err := book.ParseDiscount(text)
		if err == nil {
			err = book.SetDiscount(&o, d)
		}
		if err != nil {
			values["mode"] = mode // asked again
			return true, moneyArgs(r, o.MoneyCurrency(currencyOf(r)), err, "Max")
		}
	case "note":
		if err := book.SetNote(&o, text); err != nil {
			values["mode"] = mode
			return true, err
		}
	default:
		if intent.Done(text) {
			return h.saveTyped(ctx, r, values, o) // "готово", "болды", "done"
		}
		if what, ok := intent.RemoveItem(text); ok {
			// "удали тушь", "тушь не надо", "тушьті алып таста": out of
			// the order, not looked up as a product called so.
			i, n := book.ItemNamed(&o, what)
			if i < 0 {
				_, _ = h.b.Say(ctx, r, "order.no_item", map[string]any{"Text": what, "Several": n > 1}, nil)
				return true, nil
			}
			book.RemoveItem(&o, i)
			delete(values, keyDraftPage)
			break
		}
		if h.askedBesideOrder(ctx, r, text, o, bot.FormID(values)) {
			return true, nil // answered; the order stays open as it was
		}
		done, err := h.addTypedItem(ctx, r, &o, values, text)
		if err != nil || !done {
			return true, err
		}
		delete(values, keyDraftPage) // the last page, with the item added
	}
	if _, err := putDraftOrder(values, o); err != nil {
		return false, err
	}
	h.showDraftOrder(ctx, r, values, o, "", false)
	return true, nil
}

// askedBesideOrder answers what she types while an order is open that is
// plainly no item of it (intent.BesideOrder) — «кому сегодня позвонить?»,
// «напомни завтра позвонить Жанне», «Айгерим оплатила 5000», «день
// рождения Жанны 12 марта», «Алия Омарова +77011234567» — as it is
// answered outside an order, and reminds her the order is still open; it
// reports whether it did. An answer that opens a form of its own (a
// payment, a reminder without its time, another customer's order: «заказ
// Жанна крем 2») stacks it over the order, which comes back when it
// ends: no note then.
func (h *Handlers) askedBesideOrder(ctx context.Context, r *bot.Request, text string, o crm.Order, formID string) bool {
	var err error
	ctx = bot.Aside(ctx) // a form it opens waits over the order
	switch intent.BesideOrder(text) {
	case intent.Item:
		res, ok := h.typedReminder(r, r.Text)
		if !ok {
			return false
		}
		// "завтра в 10 позвонить Айгерим": a time, then a task, as
		// search reads it; no product's name begins with a time.
		err = h.remindParsed(ctx, r, text, res, nil)
	case intent.AsksReminder:
		line, _ := intent.Remind(text)
		err = h.remindLine(ctx, r, line)
	case intent.Paid:
		who, amount, _ := intent.Payment(text)
		err = h.paidInWords(ctx, r, who, amount, o.CustomerID)
	default:
		// Today's calls, another order, a birthday, a customer's line: read
		// as search reads a plain message outside an order.
		err = h.search(ctx, r)
	}
	if err != nil {
		h.log.Warn("asked beside an order", "err", err)
	}
	if st, ok := h.b.Forms.Active(ctx, r); ok && bot.FormID(st.Values) == formID {
		_, _ = h.b.Say(ctx, r, "order.still_open", map[string]any{"Name": o.CustomerName}, nil)
	}
	return true
}

// addTypedItem adds what she typed to the draft: each of its lines ("крем
// 2 по 12000, тушь 4500" is two) with its price, or a product of her
// catalog. It reports whether an item was added; when the catalog gives
// several, they are offered as buttons. Of several lines, one that cannot
// be added is answered on its own and the others are still added.
func (h *Handlers) addTypedItem(ctx context.Context, r *bot.Request, o *crm.Order, values map[string]string, text string) (bool, error) {
	parts := crm.SplitOrderText(text)
	if len(parts) <= 1 {
		return h.addTypedPart(ctx, r, o, values, text)
	}
	added := false
	for _, part := range parts {
		ok, err := h.addTypedPart(ctx, r, o, values, part)
		if ce, isCRM := asCRM(err); isCRM {
			_ = moneyArgs(r, o.MoneyCurrency(currencyOf(r)), ce, "Max")
			_, _ = h.b.Say(ctx, r, "order.line_problem", map[string]any{"Text": part, "Reason": htmlSafe(h.render(r, ce.Key, ce.Args))}, nil)
			continue
		}
		if err != nil {
			return added, err
		}
		added = added || ok
	}
	return added, nil
}

// addTypedPart adds one line she typed to the draft.
func (h *Handlers) addTypedPart(ctx context.Context, r *bot.Request, o *crm.Order, values map[string]string, text string) (bool, error) {
	found, err := h.book.Orders.AddTyped(ctx, tenantOf(r), o, text)
	if err != nil || found.Added {
		return found.Added, err
	}
	if len(found.Split) > 0 {
		added := false
		for _, part := range found.Split { // "тушь и помаду": each of hers
			ok, err := h.addTypedPart(ctx, r, o, values, part)
			if err != nil {
				return added, err
			}
			added = added || ok
		}
		return added, nil
	}
	if found.Total == 0 {
		// "тушь 2": the example keeps her two, "тушь 2 x 12500", not "тушь 2 1 x 12500".
		_, _ = h.b.Say(ctx, r, "order.item_unknown", map[string]any{"Text": found.Name, "Qty": max(found.Qty, 1)}, nil)
		return false, nil
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, p := range found.Choices {
		args := []string{p.ID, bot.FormID(values)}
		if found.Qty > 1 {
			args = append(args, strconv.Itoa(found.Qty))
		}
		bs = append(bs, button(fmt.Sprintf("%s · %s", p.Name, productMoney(r, &p, p.Price)), draftPick.data(args...)))
	}
	_, _ = h.b.Say(ctx, r, "order.pick_product", map[string]any{"Total": found.Total}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return false, nil
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
	page, pages := draftPageOf(values, len(o.Items))
	from, to := page*draftPageSize, min((page+1)*draftPageSize, len(o.Items))
	text := h.draftText(r, o, intro, from, to)
	var rows [][]tgbotapi.InlineKeyboardButton
	for i := from; i < to; i++ {
		it := o.Items[i]
		label := fmt.Sprintf("%d. %s", i+1, truncate(it.Name, 18))
		n := strconv.Itoa(i)
		rows = append(rows, []tgbotapi.InlineKeyboardButton{
			button(label, draftNoop.data()),
			button("➖", draftLess.data(n, tag)), button("➕", draftMore.data(n, tag)), button("🗑", draftRemove.data(n, tag)),
		})
	}
	if pages > 1 {
		// Telegram takes at most 100 buttons: the items' buttons go a page
		// at a time.
		t := func(k string) string {
			return h.b.T(r.Lang, k, map[string]any{"From": from + 1, "To": to, "Total": len(o.Items)})
		}
		nav := []tgbotapi.InlineKeyboardButton{}
		if page > 0 {
			nav = append(nav, button(t("btn.items_prev"), draftPage.data(strconv.Itoa(page-1), tag)))
		}
		nav = append(nav, button(t("btn.items_page"), draftNoop.data()))
		if page < pages-1 {
			nav = append(nav, button(t("btn.items_next"), draftPage.data(strconv.Itoa(page+1), tag)))
		}
		rows = append(rows, nav)
	}
	rows = append(rows,
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.discount", nil), draftDiscount.data("-", tag)), button(h.b.T(r.Lang, "btn.order_note", nil), draftNote.data("-", tag))},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.save_order", nil), draftSave.data("-", tag)), button(h.b.T(r.Lang, "btn.cancel", nil), draftCancel.data("-", tag))})
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	if mid := r.MessageID(); edit && mid != 0 && strconv.Itoa(mid) == values[keyDraftMsg] {
		_ = h.b.Edit(ctx, r, mid, text, &kb)
		return
	}
	old, _ := strconv.Atoi(values[keyDraftMsg])
	h.clearKeyboardOf(ctx, r.ChatID, old)
	if m, err := h.b.Reply(ctx, r, text, kb); err == nil && m.MessageID != 0 {
		values[keyDraftMsg] = strconv.Itoa(m.MessageID)
	}
}

// draftPageSize is how many items' rows of buttons a draft shows at once.
const draftPageSize = 10

// keyDraftPage is the page of items the draft shows; absent, the last
// (where an item just added is).
const keyDraftPage = "page"

// draftPageOf is the page of items to show, and how many there are.
func draftPageOf(values map[string]string, items int) (page, pages int) {
	pages = max(1, (items+draftPageSize-1)/draftPageSize)
	page, err := strconv.Atoi(values[keyDraftPage])
	if err != nil || page < 0 || page >= pages {
		page = pages - 1
	}
	return page, pages
}

// draftText is the draft as one message: every item when they fit, else
// the items of the page shown (items from..to), names and note cut, and a
// line saying which are shown; the sums are always the whole order's.
func (h *Handlers) draftText(r *bot.Request, o crm.Order, intro string, from, to int) string {
	text := h.render(r, "order.draft", h.orderData(r, o, intro))
	if bot.VisibleLen(text) <= bot.MaxText {
		return text
	}
	d := h.orderData(r, o, intro)
	lines := d["Lines"].([]orderLine)[from:to]
	for i := range lines {
		lines[i].Name = bot.Cut(lines[i].Name, 120)
	}
	d["Lines"] = lines
	cut := o
	cut.Note = bot.Cut(o.Note, 1000)
	d["O"] = cut
	return h.render(r, "order.draft", d) + "\n" + h.render(r, "order.items_shown", map[string]any{"From": from + 1, "To": to, "Total": len(o.Items)})
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

// productMoney formats an amount of product p, in the product's currency.
func productMoney(r *bot.Request, p *crm.Product, v int64) string {
	return templates.Money(r.Lang, v, p.MoneyCurrency(currencyOf(r)))
}

// moneyOr formats an amount in currency, or in def when it is empty.
func moneyOr(r *bot.Request, currency, def string, v int64) string {
	if currency == "" {
		currency = def
	}
	return templates.Money(r.Lang, v, currency)
}

// moneyIn formats an amount in currency, or in hers when it is empty.
func moneyIn(r *bot.Request, currency string, v int64) string {
	if currency == "" {
		currency = currencyOf(r)
	}
	return templates.Money(r.Lang, v, currency)
}

// orderLine is one item as the order templates show it.
type orderLine struct {
	N             int
	Name          string
	Qty           int
	Price, Amount int64
}

// orderData is what the order templates show.
func (h *Handlers) orderData(r *bot.Request, o crm.Order, intro string) map[string]any {
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	var lines []orderLine
	for i, it := range o.Items {
		lines = append(lines, orderLine{N: i + 1, Name: it.Name, Qty: it.Qty, Price: it.Price, Amount: it.Amount()})
	}
	d := map[string]any{
		"O": o, "Lines": lines, "Currency": o.MoneyCurrency(currencyOf(r)), "Intro": intro,
		"Subtotal": o.Subtotal(), "Discount": o.DiscountAmount(), "Total": o.Total(), "Paid": o.Paid(), "Due": o.Owed(),
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

// orderSessionCallback handles the buttons of the order being built (see
// the draft actions in callbacks.go). A button of an older draft, or of
// another order, is refused with a word, so it never acts on the wrong
// item or saves an order she is not looking at.
func (h *Handlers) orderSessionCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	switch {
	case p.is(draftNew):
		var items string
		if id := p.arg(1); id != "" {
			// What she typed after the name, kept while she picked.
			if ok, err := h.loadDraft(ctx, r, id, draftOrderItems, &items); !ok {
				return err
			}
		}
		h.b.AnswerCallback(ctx, r, "")
		c, ok, err := h.getCustomer(ctx, r, p.arg(0))
		if !ok {
			return err
		}
		return h.startOrderWith(ctx, r, c, items)
	case p.is(draftNoop) || len(p.args) == 0:
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
	if !draftButtonCurrent(p, values) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "order.stale", nil))
		return nil
	}
	o, err := draftOrder(values)
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	return h.draftButton(ctx, r, p, values, o)
}

// draftButton does what a current draft button says.
func (h *Handlers) draftButton(ctx context.Context, r *bot.Request, p press, values map[string]string, o crm.Order) error {
	idx, _ := strconv.Atoi(p.arg(0)) // a bad index changes nothing
	edit := true
	switch {
	case p.is(draftPick):
		qty, _ := strconv.Atoi(p.arg(2)) // absent on one of one: 1
		err := h.book.Orders.AddProduct(ctx, tenantOf(r), &o, p.arg(0), qty)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		h.clearKeyboard(ctx, r)
		edit = false
		delete(values, keyDraftPage) // the last page, with the item added
	case p.is(draftMore):
		book.ChangeQty(&o, idx, 1)
	case p.is(draftLess):
		book.ChangeQty(&o, idx, -1)
	case p.is(draftRemove):
		book.RemoveItem(&o, idx)
	case p.is(draftDiscount):
		values["mode"] = "discount"
		_, _ = h.b.Say(ctx, r, "order.ask.discount", map[string]any{"Subtotal": orderMoney(r, &o, o.Subtotal())}, nil)
		return h.b.Forms.Save(ctx, r, sessionOrder, values)
	case p.is(draftNote):
		values["mode"] = "note"
		_, _ = h.b.Say(ctx, r, "order.ask.note", nil, nil)
		return h.b.Forms.Save(ctx, r, sessionOrder, values)
	case p.is(draftCancel):
		h.clearKeyboard(ctx, r)
		_, _ = h.b.Say(ctx, r, "order.cancelled", nil, nil)
		return h.b.Forms.Close(ctx, r)
	case p.is(draftSave):
		return h.saveOrder(ctx, r, o)
	case p.is(draftPage):
		values[keyDraftPage] = strconv.Itoa(idx)
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
func draftButtonCurrent(p press, values map[string]string) bool {
	if len(p.args) < 2 {
		return false
	}
	if p.is(draftPick) {
		return p.arg(1) == bot.FormID(values)
	}
	return p.arg(1) == draftTag(values)
}

// saveTyped is "готово" typed in the order: the draft saved as Save
// would, its buttons taken off; the session ends (keep false) unless the
// order is refused (an empty one), which keeps it open with the reason.
func (h *Handlers) saveTyped(ctx context.Context, r *bot.Request, values map[string]string, o crm.Order) (bool, error) {
	saved, err := h.book.Orders.Save(ctx, tenantOf(r), o, h.orderWords(r))
	if err != nil {
		return true, err
	}
	mid, _ := strconv.Atoi(values[keyDraftMsg])
	h.clearKeyboardOf(ctx, r.ChatID, mid)
	return false, h.showOrder(ctx, r, saved, false)
}

// saveOrder stores the draft as her order, closes the session and shows
// the saved order.
func (h *Handlers) saveOrder(ctx context.Context, r *bot.Request, o crm.Order) error {
	o, err := h.book.Orders.Save(ctx, tenantOf(r), o, h.orderWords(r))
	if err != nil {
		return err
	}
	h.clearKeyboard(ctx, r)
	if err := h.showOrder(ctx, r, o, false); err != nil {
		return err
	}
	// Closing last brings back a form the order interrupted, under the
	// saved order's card.
	return h.b.Forms.Close(ctx, r)
}
