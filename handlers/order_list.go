package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
	os, total, err := h.store.ListOrders(ctx, r.UserID, f)
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
		bs = append(bs, button(h.orderNo(r, o.Number)+" "+truncate(o.CustomerName, 20), "or:v:"+o.ID))
	}
	text := h.render(r, "orders.page", map[string]any{
		"Title": htmlSafe(h.render(r, v.Title, v.Args)), "Rows": rows, "Total": total, "From": f.Offset + 1, "To": f.Offset + len(os),
	})
	kb := chunkButtons(bs, 2)
	var nav []tgbotapi.InlineKeyboardButton
	if f.Offset > 0 {
		nav = append(nav, button(h.b.T(r.Lang, "btn.prev", nil), fmt.Sprintf("ol:p:%s:%d", id, max(f.Offset-listPage, 0))))
	}
	if f.Offset+listPage < total {
		nav = append(nav, button(h.b.T(r.Lang, "btn.next", nil), fmt.Sprintf("ol:p:%s:%d", id, f.Offset+listPage)))
	}
	if len(nav) > 0 {
		kb = append(kb, nav)
	}
	kb = append(kb,
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "find.order_status", nil), "ol:fs:"+id), button(h.b.T(r.Lang, "find.payment_status", nil), "ol:fp:"+id)},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.this_month", nil), "ol:m:"+id+":0"), button(h.b.T(r.Lang, "btn.last_month", nil), "ol:m:"+id+":1"),
			button(h.b.T(r.Lang, "order.btn.period", nil), "ol:pd:"+id)},
	)
	if f.Archived {
		kb = append(kb, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.show_active", nil), "ol:a:"+id+":0")})
	} else {
		kb = append(kb, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.show_archived", nil), "ol:a:"+id+":1")})
	}
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb})
}

// orderListCallback: ol:c:<customer> (her orders), ol:p:<id>:<offset>,
// ol:a:<id>:<0|1>, ol:m:<id>:<0 this month|1 last month>, ol:pd:<id> (a
// period typed: from, to), ol:fs:<id>[:<status>],
// ol:fp:<id>[:<payment status>].
func (h *Handlers) orderListCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) < 3 {
		return nil
	}
	if parts[1] == "c" {
		h.b.AnswerCallback(ctx, r, "")
		c, ok, err := h.getCustomer(ctx, r, parts[2])
		if !ok {
			return err
		}
		return h.newOrderList(ctx, r, orderListView{Filter: store.OrderFilter{CustomerID: c.ID}, Title: "orders.title.customer", Args: map[string]any{"Name": c.FullName()}})
	}
	var v orderListView
	if ok, err := h.loadDraft(ctx, r, parts[2], draftOrderList, &v); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	arg := ""
	if len(parts) > 3 {
		arg = parts[3]
	}
	id := parts[2]
	switch parts[1] {
	case "p":
		v.Filter.Offset, _ = strconv.Atoi(arg)
		v.Filter.Offset = max(v.Filter.Offset, 0)
		return h.showOrderList(ctx, r, id, v, true)
	case "a":
		v.Filter.Archived, v.Filter.Offset = arg == "1", 0
	case "pd":
		return h.b.Forms.Start(ctx, r, formOrderPeriod, map[string]string{"list": id})
	case "m":
		now := h.localNow(r)
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
		if arg == "1" {
			first = first.AddDate(0, -1, 0)
		}
		v.Filter.From, v.Filter.To = first, first.AddDate(0, 1, 0)
		v.Args = withArg(v.Args, "Month", int(first.Month()))
		v.Title = "orders.title.month"
	case "fs":
		if arg == "" {
			var bs []tgbotapi.InlineKeyboardButton
			for _, s := range crm.OrderStatuses {
				bs = append(bs, button(h.b.T(r.Lang, "status."+string(s), nil), "ol:fs:"+id+":"+string(s)))
			}
			_, _ = h.b.Say(ctx, r, "find.pick_status", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 2)})
			return nil
		}
		v.Filter.Status = crm.OrderStatus(arg)
		v.Title, v.Args = "orders.title.status", withArg(v.Args, "Status", h.b.T(r.Lang, "status."+arg, nil))
	case "fp":
		if arg == "" {
			var bs []tgbotapi.InlineKeyboardButton
			for _, s := range crm.PaymentStatuses {
				bs = append(bs, button(h.b.T(r.Lang, "payment."+string(s), nil), "ol:fp:"+id+":"+string(s)))
			}
			_, _ = h.b.Say(ctx, r, "find.pick_status", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 3)})
			return nil
		}
		v.Filter.PaymentStatus = crm.PaymentStatus(arg)
		v.Title, v.Args = "orders.title.payment", withArg(v.Args, "Status", h.b.T(r.Lang, "payment."+arg, nil))
	default:
		return nil
	}
	return h.newOrderList(ctx, r, v)
}

const formOrderPeriod = "order.period"

// orderPeriodForm asks the first and the last day of a period (the last
// one optional: today) and lists the orders placed in it, both days
// included, keeping the list's other filters.
func (h *Handlers) orderPeriodForm() *bot.Form {
	from := h.dayField("from", "order.ask.period_from", false)
	to := h.dayField("to", "order.ask.period_to", true)
	to.Check = func(_ context.Context, r *bot.Request, value string, values map[string]string) error {
		f, _ := h.parseDay(r, values["from"])
		if t, _ := h.parseDay(r, value); t.Before(f) {
			return crm.Invalid("to", "order.err_period", nil)
		}
		return nil
	}
	return &bot.Form{
		Name:   formOrderPeriod,
		Fields: []bot.Field{from, to},
		Submit: func(ctx context.Context, r *bot.Request, values map[string]string) error {
			var v orderListView
			if ok, err := h.loadDraft(ctx, r, values["list"], draftOrderList, &v); !ok {
				return err
			}
			first, _ := h.parseDay(r, values["from"])
			last := h.localNow(r)
			if values["to"] != "" {
				last, _ = h.parseDay(r, values["to"])
			}
			last = time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, last.Location())
			v.Filter.From, v.Filter.To = first, last.AddDate(0, 0, 1)
			v.Title = "order.title_period"
			v.Args = withArg(withArg(v.Args, "PeriodFrom", first.Format("02.01.2006")), "PeriodTo", last.Format("02.01.2006"))
			return h.newOrderList(ctx, r, v)
		},
	}
}

func withArg(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for a, b := range m {
		out[a] = b
	}
	out[k] = v
	return out
}
