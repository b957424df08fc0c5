package handlers

import (
	"context"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// find is /find: filters as buttons.
func (h *Handlers) find(ctx context.Context, r *bot.Request) error {
	t := func(k string) string { return h.b.T(r.Lang, k, nil) }
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(button(t("find.bday_week"), "cf:bw"), button(t("find.bday_month"), "cf:bm")),
		tgbotapi.NewInlineKeyboardRow(button(t("find.bday_pick_month"), "cf:bmc"), button(t("find.tag"), "cf:tag")),
		tgbotapi.NewInlineKeyboardRow(button(t("find.registered"), "cf:reg"), button(t("find.no_orders"), "cf:nod")),
		tgbotapi.NewInlineKeyboardRow(button(t("find.order_before"), "cf:lob"), button(t("find.order_after"), "cf:loa")),
		tgbotapi.NewInlineKeyboardRow(button(t("find.order_status"), "cf:os"), button(t("find.payment_status"), "cf:ps")),
		tgbotapi.NewInlineKeyboardRow(button(t("find.archived"), "cf:ar")),
	)
	_, _ = h.b.Say(ctx, r, "find.menu", nil, kb)
	return nil
}

// noOrderDays are the "no order for N days" choices.
var noOrderDays = []int{30, 60, 90, 180, 365}

// findCallback runs a filter: cf:<what>[:<arg>].
func (h *Handlers) findCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	arg := ""
	if len(parts) > 2 {
		arg = parts[2]
	}
	h.b.AnswerCallback(ctx, r, "")
	now := h.localNow(r)
	list := func(f store.CustomerFilter, title string, args map[string]any) error {
		f.SortBy = "name"
		return h.newList(ctx, r, listView{Filter: f, Title: title, Args: args})
	}
	switch parts[1] {
	case "bw":
		rg := crm.WeekRange(now)
		return list(store.CustomerFilter{Birthday: &rg}, "list.title.bday_week", nil)
	case "bm":
		rg := crm.MonthRange(now.Month())
		return list(store.CustomerFilter{Birthday: &rg}, "list.title.bday_month", map[string]any{"Month": int(now.Month())})
	case "bmc":
		var bs []tgbotapi.InlineKeyboardButton
		for m := 1; m <= 12; m++ {
			bs = append(bs, button(h.b.T(r.Lang, "month.short."+strconv.Itoa(m), nil), "cf:bmn:"+strconv.Itoa(m)))
		}
		_, _ = h.b.Say(ctx, r, "find.pick_month", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 4)})
		return nil
	case "bmn":
		m, err := strconv.Atoi(arg)
		if err != nil || m < 1 || m > 12 {
			return nil
		}
		rg := crm.MonthRange(time.Month(m))
		return list(store.CustomerFilter{Birthday: &rg}, "list.title.bday_month", map[string]any{"Month": m})
	case "nod":
		var bs []tgbotapi.InlineKeyboardButton
		for _, d := range noOrderDays {
			bs = append(bs, button(h.b.T(r.Lang, "find.days", map[string]any{"N": d}), "cf:no:"+strconv.Itoa(d)))
		}
		_, _ = h.b.Say(ctx, r, "find.pick_days", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 3)})
		return nil
	case "no":
		d, err := strconv.Atoi(arg)
		if err != nil || d <= 0 {
			return nil
		}
		return list(store.CustomerFilter{LastOrderTo: now.AddDate(0, 0, -d), NoOrders: true}, "list.title.no_orders", map[string]any{"N": d})
	case "os":
		if arg == "" {
			var bs []tgbotapi.InlineKeyboardButton
			for _, s := range crm.OrderStatuses {
				bs = append(bs, button(h.b.T(r.Lang, "status."+string(s), nil), "cf:os:"+string(s)))
			}
			_, _ = h.b.Say(ctx, r, "find.pick_status", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 2)})
			return nil
		}
		return list(store.CustomerFilter{OrderStatus: arg}, "list.title.order_status", map[string]any{"Status": h.b.T(r.Lang, "status."+arg, nil)})
	case "ps":
		if arg == "" {
			var bs []tgbotapi.InlineKeyboardButton
			for _, s := range crm.PaymentStatuses {
				bs = append(bs, button(h.b.T(r.Lang, "payment."+string(s), nil), "cf:ps:"+string(s)))
			}
			_, _ = h.b.Say(ctx, r, "find.pick_status", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 3)})
			return nil
		}
		return list(store.CustomerFilter{PaymentStatus: arg}, "list.title.payment_status", map[string]any{"Status": h.b.T(r.Lang, "payment."+arg, nil)})
	case "ar":
		return list(store.CustomerFilter{Archived: true}, "list.title.archived", nil)
	case "tag":
		return h.b.Forms.Start(ctx, r, "find.tag", nil)
	case "reg":
		return h.b.Forms.Start(ctx, r, "find.registered", nil)
	case "lob":
		return h.b.Forms.Start(ctx, r, "find.order_before", nil)
	case "loa":
		return h.b.Forms.Start(ctx, r, "find.order_after", nil)
	}
	return nil
}

// dayField asks for a date; without a year the current one is meant.
func (h *Handlers) dayField(name, prompt string, optional bool) bot.Field {
	return bot.Field{
		Name: name, Prompt: prompt, Label: "field." + name, Optional: optional,
		Parse: func(_ context.Context, r *bot.Request, text string) (string, error) {
			_, err := h.parseDay(r, text)
			if err != nil {
				return "", err
			}
			return strings.TrimSpace(text), nil
		},
	}
}

// parseDay reads dd.mm[.yyyy] as the start of that day in the consultant's
// timezone.
func (h *Handlers) parseDay(r *bot.Request, text string) (time.Time, error) {
	now := h.localNow(r)
	d, err := contact.Date(text, now)
	if err != nil {
		return time.Time{}, err
	}
	if d.Year == 0 {
		d.Year = now.Year()
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, now.Location()), nil
}

func (h *Handlers) findForms() []*bot.Form {
	return []*bot.Form{
		{
			Name: "find.tag",
			Fields: []bot.Field{{Name: "tag", Prompt: "find.ask.tag", Label: "field.tags",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					tags := contact.Tags(text)
					if len(tags) == 0 {
						return "", crm.Invalid("tag", "err.required", nil)
					}
					return tags[0], nil
				}}},
			Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
				return h.newList(ctx, r, listView{Filter: store.CustomerFilter{Tag: v["tag"], SortBy: "name"},
					Title: "list.title.tag", Args: map[string]any{"Tag": v["tag"]}})
			},
		},
		{
			Name:   "find.registered",
			Fields: []bot.Field{h.dayField("from", "find.ask.from", false), h.dayField("to", "find.ask.to", true)},
			Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
				from, _ := h.parseDay(r, v["from"])
				f := store.CustomerFilter{CreatedFrom: from, SortBy: "name"}
				args := map[string]any{"From": from}
				if v["to"] != "" {
					to, _ := h.parseDay(r, v["to"])
					if to.Before(from) {
						return crm.Invalid("to", "err.range", nil)
					}
					f.CreatedTo = to.AddDate(0, 0, 1)
					args["To"] = to
				}
				return h.newList(ctx, r, listView{Filter: f, Title: "list.title.registered", Args: args})
			},
		},
		h.orderDateForm("find.order_before", func(f *store.CustomerFilter, t time.Time) { f.LastOrderTo = t }),
		h.orderDateForm("find.order_after", func(f *store.CustomerFilter, t time.Time) { f.LastOrderFrom = t.AddDate(0, 0, 1) }),
	}
}

func (h *Handlers) orderDateForm(name string, set func(*store.CustomerFilter, time.Time)) *bot.Form {
	return &bot.Form{
		Name:   name,
		Fields: []bot.Field{h.dayField("date", "find.ask.date", false)},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			t, _ := h.parseDay(r, v["date"])
			f := store.CustomerFilter{SortBy: "last_order"}
			set(&f, t)
			return h.newList(ctx, r, listView{Filter: f, Title: "list.title." + strings.TrimPrefix(name, "find."), Args: map[string]any{"Date": t}})
		},
	}
}
