package handlers

import (
	"context"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/intent"
)

// section opens the part of the bot her few words name ("мои клиенты",
// "отчёт за ноябрь", "клиенттерім", "настройки") as its command would.
func (h *Handlers) section(ctx context.Context, r *bot.Request, a intent.Asked) error {
	r.Args = ""
	switch a.Section {
	case intent.SectionCustomers:
		return h.customers(ctx, r)
	case intent.SectionOrders:
		return h.ordersCommand(ctx, r)
	case intent.SectionReminders:
		return h.remindersCommand(ctx, r)
	case intent.SectionCatalog:
		return h.productsCommand(ctx, r)
	case intent.SectionReport:
		return h.reportAsked(ctx, r, a)
	case intent.SectionSettings:
		return h.settings(ctx, r)
	case intent.SectionInvite:
		return h.inviteCommand(ctx, r)
	case intent.SectionExport:
		return h.exportCommand(ctx, r)
	case intent.SectionMailing:
		return h.mailingCommand(ctx, r)
	}
	// "что ты умеешь?": what she can write, in words.
	_, _ = h.b.Say(ctx, r, "help.in_words", nil, nil)
	return nil
}

// reportAsked is the report of the period she named ("за ноябрь", "в
// этом месяце", "биылғы"), or the choice of one when she named none.
func (h *Handlers) reportAsked(ctx context.Context, r *bot.Request, a intent.Asked) error {
	now := h.localNow(r)
	var from, to time.Time
	switch a.Period {
	case intent.ThisMonth:
		from, to = book.Period(now, book.ThisMonth)
	case intent.LastMonth:
		from, to = book.Period(now, book.LastMonth)
	case intent.ThisYear:
		from, to = book.Period(now, book.ThisYear)
	case intent.NamedMonth:
		from, to = book.MonthPeriod(now, a.Month)
	default:
		return h.reportCommand(ctx, r)
	}
	return h.report(ctx, r, from, to)
}
