package handlers

import (
	"context"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/intent"
	"github.com/crmbot/crmbot/store"
)

// find is /find: filters as buttons.
func (h *Handlers) find(ctx context.Context, r *bot.Request) error {
	b := func(key string, a action) tgbotapi.InlineKeyboardButton {
		return button(h.b.T(r.Lang, key, nil), a.data())
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(b("find.bday_week", findBirthdayWeek), b("find.bday_month", findBirthdayMonth)),
		tgbotapi.NewInlineKeyboardRow(b("find.bday_pick_month", findPickMonth), b("find.tag", findTag)),
		tgbotapi.NewInlineKeyboardRow(b("find.registered", findRegistered), b("find.no_orders", findPickNoOrder)),
		tgbotapi.NewInlineKeyboardRow(b("find.order_before", findOrderedBefore), b("find.order_after", findOrderedAfter)),
		tgbotapi.NewInlineKeyboardRow(b("find.order_status", findOrderStatus), b("find.payment_status", findPaymentStatus)),
		tgbotapi.NewInlineKeyboardRow(b("find.archived", findArchived)),
	)
	_, _ = h.b.Say(ctx, r, "find.menu", nil, kb)
	return nil
}

// findAsks are the filters that ask a value first.
var findAsks = map[action]string{
	findTag: "find.tag", findRegistered: "find.registered",
	findOrderedBefore: "find.order_before", findOrderedAfter: "find.order_after",
}

// findCallback runs a filter: cf:<what>[:<arg>].
func (h *Handlers) findCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	h.b.AnswerCallback(ctx, r, "")
	if form, ok := findAsks[p.action]; ok {
		return h.b.Forms.Start(ctx, r, form, nil)
	}
	if kb, ok := h.findChoices(r, p); ok {
		_, _ = h.b.Say(ctx, r, kb.prompt, nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(kb.buttons, kb.perRow)})
		return nil
	}
	v, err := h.findList(r, p)
	if err != nil {
		return nil // an out-of-range button (hand-made or from an old build): nothing to list
	}
	return h.newList(ctx, r, v)
}

// choices is a /find question asked with buttons.
type choices struct {
	prompt  string
	buttons []tgbotapi.InlineKeyboardButton
	perRow  int
}

// findChoices asks which month, how many days or which status.
func (h *Handlers) findChoices(r *bot.Request, p press) (choices, bool) {
	t := func(key string, data map[string]any) string { return h.b.T(r.Lang, key, data) }
	var c choices
	switch {
	case p.is(findPickMonth):
		c = choices{prompt: "find.pick_month", perRow: 4}
		for m := 1; m <= 12; m++ {
			c.buttons = append(c.buttons, button(t("month.short."+strconv.Itoa(m), nil), findBirthdayIn.data(strconv.Itoa(m))))
		}
	case p.is(findPickNoOrder):
		c = choices{prompt: "find.pick_days", perRow: 3}
		for _, d := range book.NoOrderDays {
			c.buttons = append(c.buttons, button(t("find.days", map[string]any{"N": d}), findNoOrderFor.data(strconv.Itoa(d))))
		}
	case p.is(findOrderStatus) && p.arg(0) == "":
		c = choices{prompt: "find.pick_status", perRow: 2}
		for _, s := range crm.OrderStatuses {
			c.buttons = append(c.buttons, button(t("status."+string(s), nil), findOrderStatus.data(string(s))))
		}
	case p.is(findPaymentStatus) && p.arg(0) == "":
		c = choices{prompt: "find.pick_status", perRow: 3}
		for _, s := range crm.PaymentStatuses {
			c.buttons = append(c.buttons, button(t("payment."+string(s), nil), findPaymentStatus.data(string(s))))
		}
	default:
		return choices{}, false
	}
	return c, true
}

// findList is the list a filter button shows.
func (h *Handlers) findList(r *bot.Request, p press) (listView, error) {
	cu, c := h.book.Customers, tenantOf(r)
	switch {
	case p.is(findBirthdayWeek):
		return listView{Filter: cu.BirthdaysThisWeek(c), Title: "list.title.bday_week"}, nil
	case p.is(findBirthdayMonth):
		m := int(cu.ThisMonth(c))
		f, err := book.BirthdaysIn(m)
		return listView{Filter: f, Title: "list.title.bday_month", Args: map[string]any{"Month": m}}, err
	case p.is(findBirthdayIn):
		m, err := strconv.Atoi(p.arg(0))
		if err != nil {
			return listView{}, err
		}
		f, err := book.BirthdaysIn(m)
		return listView{Filter: f, Title: "list.title.bday_month", Args: map[string]any{"Month": m}}, err
	case p.is(findNoOrderFor):
		d, err := strconv.Atoi(p.arg(0))
		if err != nil {
			return listView{}, err
		}
		f, err := cu.NoOrderFor(c, d)
		return listView{Filter: f, Title: "list.title.no_orders", Args: map[string]any{"N": d}}, err
	case p.is(findOrderStatus):
		f, err := book.WithOrderStatus(p.arg(0))
		return listView{Filter: f, Title: "list.title.order_status", Args: map[string]any{"Status": h.b.T(r.Lang, "status."+p.arg(0), nil)}}, err
	case p.is(findPaymentStatus):
		f, err := book.WithPaymentStatus(p.arg(0))
		return listView{Filter: f, Title: "list.title.payment_status", Args: map[string]any{"Status": h.b.T(r.Lang, "payment."+p.arg(0), nil)}}, err
	case p.is(findArchived):
		return listView{Filter: book.ArchivedCustomers(), Title: "list.title.archived"}, nil
	}
	return listView{}, crm.Invalid("filter", "err.range", nil)
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
	return h.book.Customers.ReadDay(tenantOf(r), text)
}

func (h *Handlers) findForms() []*bot.Form {
	return []*bot.Form{
		{
			Name: "find.tag",
			Fields: []bot.Field{{Name: "tag", Prompt: "find.ask.tag", Label: "field.tags",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) { return book.ReadTag(text) }}},
			Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
				return h.newList(ctx, r, listView{Filter: book.WithTag(v["tag"]), Title: "list.title.tag", Args: map[string]any{"Tag": v["tag"]}})
			},
		},
		{
			Name:   "find.registered",
			Fields: []bot.Field{h.dayField("from", "find.ask.from", false), h.dayField("to", "find.ask.to", true)},
			Submit: h.registered,
		},
		h.orderDateForm("find.order_before", book.OrderedBefore),
		h.orderDateForm("find.order_after", book.OrderedAfter),
	}
}

// registered lists the customers added in the period the form asked.
func (h *Handlers) registered(ctx context.Context, r *bot.Request, v map[string]string) error {
	from, err := h.parseDay(r, v["from"])
	if err != nil {
		return err
	}
	var to time.Time
	args := map[string]any{"From": from}
	if v["to"] != "" {
		if to, err = h.parseDay(r, v["to"]); err != nil {
			return err
		}
		args["To"] = to
	}
	f, err := book.RegisteredBetween(from, to)
	if err != nil {
		return err
	}
	return h.newList(ctx, r, listView{Filter: f, Title: "list.title.registered", Args: args})
}

func (h *Handlers) orderDateForm(name string, filter func(day time.Time) store.CustomerFilter) *bot.Form {
	return &bot.Form{
		Name:   name,
		Fields: []bot.Field{h.dayField("date", "find.ask.date", false)},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			t, err := h.parseDay(r, v["date"])
			if err != nil {
				return err
			}
			return h.newList(ctx, r, listView{Filter: filter(t), Title: "list.title." + strings.TrimPrefix(name, "find."), Args: map[string]any{"Date": t}})
		},
	}
}

// listAsked is the list of her customers a question names in words
// ("у кого день рождения в декабре?", "кто не заказывал больше 3
// месяцев?"), as /find's button would give it; with no period for "no
// orders" she picks one.
func (h *Handlers) listAsked(ctx context.Context, r *bot.Request, a intent.ListAsk) error {
	var p press
	switch a.Kind {
	case intent.Archived:
		return h.newList(ctx, r, listView{Filter: book.ArchivedCustomers(), Title: "list.title.archived"})
	case intent.Best:
		return h.segmentsCommand(ctx, r)
	case intent.BirthdaysWeek:
		p = parsePress(findBirthdayWeek.data())
	case intent.BirthdaysMonth:
		m := a.Month
		if m == 0 {
			m = h.book.Customers.ThisMonth(tenantOf(r))
			if a.Next {
				m = m%12 + 1
			}
		}
		p = parsePress(findBirthdayIn.data(strconv.Itoa(int(m))))
	case intent.NoOrders:
		if a.Days == 0 {
			c, _ := h.findChoices(r, parsePress(findPickNoOrder.data()))
			_, _ = h.b.Say(ctx, r, c.prompt, nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(c.buttons, c.perRow)})
			return nil
		}
		p = parsePress(findNoOrderFor.data(strconv.Itoa(a.Days)))
	}
	v, err := h.findList(r, p)
	if err != nil {
		return err
	}
	return h.newList(ctx, r, v)
}
