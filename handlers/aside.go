package handlers

import (
	"context"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/intent"
)

// asideOfForm answers what a consultant asks while a form waits for
// another answer — "кто мне должен?", "кому сегодня позвонить?", "мои
// клиенты", "отчёт за ноябрь" while the payment's method is asked — when
// the answer only shows something; the form then asks its question
// again. Anything that would start something of its own is left to the
// form's own answer.
func (h *Handlers) asideOfForm(ctx context.Context, r *bot.Request, text string) bool {
	if r.Callback != nil || tenantOf(r).ID == 0 {
		return false
	}
	var err error
	a, section := intent.SectionOf(text)
	who, debts := intent.DebtsOf(text)
	switch {
	case intent.Today(text):
		err = h.todayCommand(ctx, r)
	case debts:
		err = h.debtsList(ctx, r, who)
	case section && shownAside[a.Section]:
		err = h.section(ctx, r, a)
	default:
		return false
	}
	if err != nil {
		h.log.Warn("answered beside a form", "err", err)
	}
	return true
}

// shownAside are the sections that only show: a list or a report.
var shownAside = map[intent.Section]bool{
	intent.SectionCustomers: true, intent.SectionOrders: true, intent.SectionReminders: true,
	intent.SectionReport: true, intent.SectionHelp: true,
}
