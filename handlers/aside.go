package handlers

import (
	"context"
	"strings"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/intent"
	"github.com/crmbot/crmbot/smalltalk"
	"github.com/crmbot/crmbot/timeword"
)

// asideOfForm answers what a consultant asks while a form waits for
// another answer — "кто мне должен?", "кому сегодня позвонить?", "мои
// клиенты", "отчёт за ноябрь", "у кого день рождения в декабре?",
// "спасибо" while the payment's method is asked — when the answer only
// shows something, or sets a reminder she gave whole, time and task
// ("ертең сағат 10-да Гүлнарға қоңырау шалу": not lost behind "choose
// with a button"); the form then asks its question again. Anything that
// would start something of its own (a form, an order) is left to the
// form's own answer.
func (h *Handlers) asideOfForm(ctx context.Context, r *bot.Request, text string) bool {
	if r.Callback != nil || tenantOf(r).ID == 0 {
		return false
	}
	var err error
	a, section := intent.SectionOf(text)
	who, debts := intent.DebtsOf(text)
	list, listed := intent.CustomerList(text)
	talk, chatted := smallTalkReply[smalltalk.Of(text)]
	switch {
	case chatted:
		_, err = h.b.Say(ctx, r, talk, map[string]any{"Name": tenantOf(r).Name}, nil)
	case intent.Today(text):
		err = h.todayCommand(ctx, r)
	case debts:
		err = h.debtsList(ctx, r, who)
	case section && shownAside[a.Section]:
		err = h.section(ctx, r, a)
	case listed:
		err = h.listAsked(ctx, r, list)
	default:
		res, ok := h.wholeReminder(r, text)
		if !ok {
			return false
		}
		err = h.remindParsed(bot.Aside(ctx), r, text, res, nil)
	}
	if err != nil {
		h.log.Warn("answered beside a form", "err", err)
	}
	return true
}

// wholeReminder reads a reminder typed with its time and its task, with
// "напомни" ("напомни позвонить Жанне в пятницу в 15:00") or without
// ("завтра в 10 позвонить Айгерим"): one that sets itself, asking nothing.
func (h *Handlers) wholeReminder(r *bot.Request, text string) (timeword.Result, bool) {
	line, asked := intent.Remind(text)
	if !asked {
		return h.typedReminder(r, text)
	}
	res, err := h.findWhen(r, line)
	return res, err == nil && strings.TrimSpace(res.Rest) != ""
}

// shownAside are the sections that only show: a list or a report.
var shownAside = map[intent.Section]bool{
	intent.SectionCustomers: true, intent.SectionOrders: true, intent.SectionReminders: true,
	intent.SectionReport: true, intent.SectionHelp: true,
}
