package handlers

import (
	"context"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

const draftOrderList = "order.list"

// orderListView is a saved order list: its filter and heading.
type orderListView struct {
	Filter store.OrderFilter
	Title  string
	Args   map[string]any
}

// ordersCommand is /orders: the latest active orders with filter buttons.
func (h *Handlers) ordersCommand(ctx context.Context, r *bot.Request) error {
	return h.newOrderList(ctx, r, orderListView{Title: "orders.title.all"})
}

func (h *Handlers) newOrderList(ctx context.Context, r *bot.Request, v orderListView) error {
	v.Filter.Offset, v.Filter.Limit = 0, listPage
	id, err := h.saveDraft(ctx, r, draftOrderList, v)
	if err != nil {
		return err
	}
	return h.showOrderList(ctx, r, id, v, false)
}

func (h *Handlers) showOrderList(ctx context.Context, r *bot.Request, id string, v orderListView, edit bool) error {
	f := v.Filter
	f.Limit = listPage
	os, total, err := h.book.Orders.List(ctx, tenantOf(r), f)
	if err != nil {
		return err
	}
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	type row struct {
		Number                  int
		Date                    time.Time
		Customer, Total, Status string
		Payment                 string
	}
	var rows []row
	var bs []tgbotapi.InlineKeyboardButton
	for _, o := range os {
		rows = append(rows, row{Number: o.Number, Date: o.CreatedAt.In(loc), Customer: o.CustomerName, Total: orderMoney(r, &o, o.Total()),
			Status: h.b.T(r.Lang, "status."+string(o.Status), nil), Payment: h.b.T(r.Lang, "payment."+string(o.PaymentStatus()), nil)})
		bs = append(bs, button(h.orderNo(r, o.Number)+" "+truncate(o.CustomerName, 20), orderView.data(o.ID)))
	}
	text := h.render(r, "orders.page", map[string]any{
		"Title": htmlSafe(h.render(r, v.Title, v.Args)), "Rows": rows, "Total": total, "From": f.Offset + 1, "To": f.Offset + len(os),
	})
	kb := chunkButtons(bs, 2)
	var nav []tgbotapi.InlineKeyboardButton
	if f.Offset > 0 {
		nav = append(nav, button(h.b.T(r.Lang, "btn.prev", nil), ordersPage.data(id, strconv.Itoa(max(f.Offset-listPage, 0)))))
	}
	if f.Offset+listPage < total {
		nav = append(nav, button(h.b.T(r.Lang, "btn.next", nil), ordersPage.data(id, strconv.Itoa(f.Offset+listPage))))
	}
	if len(nav) > 0 {
		kb = append(kb, nav)
	}
	// An empty list that no status or period narrowed has nothing to
	// narrow ("заказы Жанны" before her first order).
	narrowed := f.Status != "" || f.PaymentStatus != "" || !f.From.IsZero() || !f.To.IsZero()
	if total > 0 || narrowed {
		kb = append(kb,
			[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "find.order_status", nil), ordersByStatus.data(id)), button(h.b.T(r.Lang, "find.payment_status", nil), ordersByPayment.data(id))},
			[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.this_month", nil), ordersMonth.data(id, "0")), button(h.b.T(r.Lang, "btn.last_month", nil), ordersMonth.data(id, "1")),
				button(h.b.T(r.Lang, "order.btn.period", nil), ordersPeriod.data(id))},
		)
	}
	if f.Archived {
		kb = append(kb, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.show_active", nil), ordersArchived.data(id, "0"))})
	} else {
		kb = append(kb, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.show_archived", nil), ordersArchived.data(id, "1"))})
	}
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb})
}

// orderListCallback handles the buttons of /orders (see the order list
// actions in callbacks.go): each one narrows or pages the saved list.
func (h *Handlers) orderListCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	if len(p.args) == 0 {
		return nil
	}
	if p.is(ordersOfCustomer) {
		h.b.AnswerCallback(ctx, r, "")
		c, ok, err := h.getCustomer(ctx, r, p.arg(0))
		if !ok {
			return err
		}
		return h.newOrderList(ctx, r, orderListView{Filter: store.OrderFilter{CustomerID: c.ID}, Title: "orders.title.customer", Args: map[string]any{"Name": c.FullName()}})
	}
	id := p.arg(0)
	var v orderListView
	if ok, err := h.loadDraft(ctx, r, id, draftOrderList, &v); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	arg := p.arg(1)
	switch {
	case p.is(ordersPage):
		off, _ := strconv.Atoi(arg) // a bad offset is the first page
		v.Filter.Offset = max(off, 0)
		return h.showOrderList(ctx, r, id, v, true)
	case p.is(ordersArchived):
		v.Filter.Archived, v.Filter.Offset = arg == "1", 0
	case p.is(ordersPeriod):
		return h.b.Forms.Start(ctx, r, formOrderPeriod, map[string]string{"list": id})
	case p.is(ordersMonth):
		back := 0
		if arg == "1" {
			back = 1
		}
		v.Filter.From, v.Filter.To = h.book.Orders.MonthRange(tenantOf(r), back)
		v.Args = withArg(v.Args, "Month", int(v.Filter.From.Month()))
		v.Title = "orders.title.month"
	case p.is(ordersByStatus) && arg == "":
		return h.pickListStatus(ctx, r, ordersByStatus, id, "status.", statusNames(crm.OrderStatuses), 2)
	case p.is(ordersByStatus):
		v.Filter.Status = crm.OrderStatus(arg)
		v.Title, v.Args = "orders.title.status", withArg(v.Args, "Status", h.b.T(r.Lang, "status."+arg, nil))
	case p.is(ordersByPayment) && arg == "":
		return h.pickListStatus(ctx, r, ordersByPayment, id, "payment.", statusNames(crm.PaymentStatuses), 3)
	case p.is(ordersByPayment):
		v.Filter.PaymentStatus = crm.PaymentStatus(arg)
		v.Title, v.Args = "orders.title.payment", withArg(v.Args, "Status", h.b.T(r.Lang, "payment."+arg, nil))
	default:
		return nil
	}
	return h.newOrderList(ctx, r, v)
}

// pickListStatus offers the statuses (named by key prefix) a list can be
// narrowed to, perRow a row.
func (h *Handlers) pickListStatus(ctx context.Context, r *bot.Request, a action, list, key string, statuses []string, perRow int) error {
	var bs []tgbotapi.InlineKeyboardButton
	for _, s := range statuses {
		bs = append(bs, button(h.b.T(r.Lang, key+s, nil), a.data(list, s)))
	}
	_, _ = h.b.Say(ctx, r, "find.pick_status", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, perRow)})
	return nil
}

func statusNames[S ~string](ss []S) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

const formOrderPeriod = "order.period"

// orderPeriodForm asks the first and the last day of a period (the last
// one optional: today) and lists the orders placed in it, both days
// included, keeping the list's other filters.
func (h *Handlers) orderPeriodForm() *bot.Form {
	from := h.dayField("from", "order.ask.period_from", false)
	to := h.dayField("to", "order.ask.period_to", true)
	to.Check = func(_ context.Context, r *bot.Request, value string, values map[string]string) error {
		first, last, err := h.periodDays(r, values["from"], value)
		if err != nil {
			return err
		}
		_, _, err = h.book.Orders.PeriodRange(tenantOf(r), first, last)
		return err
	}
	return &bot.Form{
		Name:   formOrderPeriod,
		Fields: []bot.Field{from, to},
		Submit: func(ctx context.Context, r *bot.Request, values map[string]string) error {
			var v orderListView
			if ok, err := h.loadDraft(ctx, r, values["list"], draftOrderList, &v); !ok {
				return err
			}
			first, last, err := h.periodDays(r, values["from"], values["to"])
			if err != nil {
				return err
			}
			if v.Filter.From, v.Filter.To, err = h.book.Orders.PeriodRange(tenantOf(r), first, last); err != nil {
				return err
			}
			v.Title = "order.title_period"
			v.Args = withArg(withArg(v.Args, "PeriodFrom", v.Filter.From.Format("02.01.2006")), "PeriodTo", v.Filter.To.AddDate(0, 0, -1).Format("02.01.2006"))
			return h.newOrderList(ctx, r, v)
		},
	}
}

// periodDays reads the days of the period form (as its day fields keep
// them); an empty last day is zero: today.
func (h *Handlers) periodDays(r *bot.Request, from, to string) (first, last time.Time, err error) {
	if first, err = h.parseDay(r, from); err != nil {
		return first, last, fmt.Errorf("period form first day %q: %w", from, err)
	}
	if to == "" {
		return first, last, nil
	}
	if last, err = h.parseDay(r, to); err != nil {
		return first, last, fmt.Errorf("period form last day %q: %w", to, err)
	}
	return first, last, nil
}

func withArg(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for a, b := range m {
		out[a] = b
	}
	out[k] = v
	return out
}
