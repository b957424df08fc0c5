package handlers

import (
	"context"
	"errors"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/intent"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/timeword"
)

// Timeline kinds of reminders.
const (
	EventReminderDone = book.EventReminderDone
)

func (h *Handlers) registerReminders() {
	rt := h.b.Router
	rt.Command("remind", h.remindCommand)
	rt.Command("reminders", h.remindersCommand)
	rt.Command("today", h.todayCommand)
	rt.Callback(prefixReminder+":", h.reminderCallback)
	h.b.Forms.Register(h.reminderForm())
	h.b.Forms.Register(h.callBackForm())
}

// remindCommand is /remind <when> <text>; alone it opens the form. The
// reminder is about the customer its text names, when exactly one is.
func (h *Handlers) remindCommand(ctx context.Context, r *bot.Request) error {
	if r.Args == "" {
		return h.b.Forms.Start(ctx, r, "reminder.add", nil)
	}
	return h.remindLine(ctx, r, r.Args)
}

// typedReminder reads a plain message that names no one as a reminder
// typed without /remind: a time and words of a task, in any order
// ("завтра в 10 позвонить Айгерим", "позвонить Жанне завтра в 10",
// "Гүлнарға ертең сағат 10-да қоңырау шалу"); ok is false for a time
// beside a name alone ("5 мая Алия Омарова +7 701 555 44 33"), a
// customer's line, not a task.
func (h *Handlers) typedReminder(r *bot.Request, text string) (res timeword.Result, ok bool) {
	res, err := h.parseWhen(r, text)
	if err != nil {
		// The time after the task or her name: "позвонить Жанне завтра в
		// 10", "Гүлнарға ертең сағат 10-да қоңырау шалу".
		res, err = h.findWhen(r, text)
	}
	return res, err == nil && intent.Task(res.Rest)
}

// parseWhen reads the time at the start of line on her clock, her digest
// hour the hour of a day named without one.
func (h *Handlers) parseWhen(r *bot.Request, line string) (timeword.Result, error) {
	return timeword.Parse(line, h.localNow(r), timeword.Options{DefaultHour: tenantOf(r).DigestHour})
}

// findWhen reads the time in a line she said is a reminder: at its start
// or after the task ("позвонить Жанне в пятницу в 15:00").
func (h *Handlers) findWhen(r *bot.Request, line string) (timeword.Result, error) {
	return timeword.Find(line, h.localNow(r), timeword.Options{DefaultHour: tenantOf(r).DigestHour})
}

// remindLine sets the reminder a line of hers says: when and what, in
// either order (/remind's arguments, or a message typed as one).
func (h *Handlers) remindLine(ctx context.Context, r *bot.Request, line string) error {
	res, err := h.findWhen(r, line)
	return h.remindParsed(ctx, r, line, res, err)
}

// remindParsed is remindLine with line's time read already (res, or err).
func (h *Handlers) remindParsed(ctx context.Context, r *bot.Request, line string, res timeword.Result, err error) error {
	if ce, ok := asCRM(err); ok && ce.Key == "when.unknown" && book.IsQuery(line) {
		// "напомни позвонить Айгерим": what, without when. Nothing typed
		// is lost: the form asks when, its text (and her) kept.
		return h.remindWhat(ctx, r, line)
	}
	if err != nil {
		return h.timeNotUnderstood(ctx, r, err)
	}
	// "remind me tomorrow at 11 to call Aigerim": the task, not "to call".
	if rest, ok := strings.CutPrefix(res.Rest, "to "); ok && r.Lang == "en" {
		res.Rest = rest
	}
	if strings.TrimSpace(res.Rest) == "" {
		_, _ = h.b.Say(ctx, r, "remind.no_text", map[string]any{"When": res.At}, nil)
		return nil
	}
	rem := crm.Reminder{Text: res.Rest, Due: res.At, Repeat: res.Repeat}
	// "позвонить Жанне", "Әсемге қоңырау шалу": the one customer the words
	// name is the reminder's, with her card's buttons on the push; of
	// namesakes, she picks one.
	cs, err := h.book.Customers.Named(ctx, tenantOf(r), res.Rest)
	if err != nil {
		return err
	}
	if len(cs) == 1 {
		rem.CustomerID = cs[0].ID
	}
	if rem, err = h.createReminder(ctx, r, rem); err != nil || len(cs) < 2 {
		return err
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, cu := range cs {
		label := cu.FullName()
		if cu.Phone != "" {
			label += " · " + contact.FormatPhone(cu.Phone)
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(clip(label, 60), reminderAbout.data(rem.ID, cu.ID))))
	}
	_, _ = h.b.Say(ctx, r, "remind.which", nil, tgbotapi.NewInlineKeyboardMarkup(rows...))
	return nil
}

// reminderAboutPressed makes the reminder about the namesake she picked.
func (h *Handlers) reminderAboutPressed(ctx context.Context, r *bot.Request, rem crm.Reminder, customerID string) error {
	rem, cu, err := h.book.Reminders.About(ctx, tenantOf(r), rem.ID, customerID)
	if errors.Is(err, store.ErrNotFound) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	text, _ := h.reminderWording(r.Lang, tenantOf(r), rem)
	return h.replyOrEdit(ctx, r, true, h.render(r, "remind.tied", map[string]any{"Text": text, "Name": cu.FullName()}),
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
}

// remindWhat opens the reminder form with what to remind of typed
// already (and the one customer it names): it asks when.
func (h *Handlers) remindWhat(ctx context.Context, r *bot.Request, text string) error {
	// Its customer is the one its words name, or none (not asked: she
	// said what to remind of, and the card's ⏰ ties one).
	values := map[string]string{"text": text, "customer_id": ""}
	cs, err := h.book.Customers.Named(ctx, tenantOf(r), text)
	if err != nil {
		return err
	}
	if len(cs) == 1 {
		values["customer_id"] = cs[0].ID
	}
	_, _ = h.b.Say(ctx, r, "remind.when_missing", map[string]any{"Text": text}, nil)
	return h.b.Forms.Start(ctx, r, "reminder.add", values)
}

// timeNotUnderstood answers a time that could not be read, with examples.
func (h *Handlers) timeNotUnderstood(ctx context.Context, r *bot.Request, err error) error {
	ce, ok := asCRM(err)
	if !ok {
		return err
	}
	_, _ = h.b.Say(ctx, r, "remind.unknown", map[string]any{
		"Reason": htmlSafe(h.render(r, ce.Key, ce.Args)), "Examples": timeword.Examples(r.Lang),
	}, nil)
	return nil
}

// createReminder stores rem and tells her when it comes, with a button to
// cancel it; it returns the reminder stored.
func (h *Handlers) createReminder(ctx context.Context, r *bot.Request, rem crm.Reminder) (crm.Reminder, error) {
	rem, err := h.book.Reminders.Create(ctx, tenantOf(r), rem)
	if err != nil {
		return crm.Reminder{}, err
	}
	data := h.reminderData(ctx, r.Lang, tenantOf(r), rem)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.cancel_reminder", nil), reminderCancel.data(rem.ID))))
	_, _ = h.b.Say(ctx, r, "remind.set", data, kb)
	return rem, nil
}

// reminderData is what reminder templates show, worded in lang: R is the
// reminder with its Text and Suggested as she reads them now.
func (h *Handlers) reminderData(ctx context.Context, lang string, c crm.Consultant, rem crm.Reminder) map[string]any {
	loc := c.Location(h.cfg.DefaultTimezone)
	rem.Text, rem.Suggested = h.reminderWording(lang, c, rem)
	d := map[string]any{"R": rem, "When": rem.Due.In(loc), "Repeat": nil, "Customer": nil, "Phone": nil}
	d["Day"], d["ThisYear"] = nearDay(h.now().In(loc), rem.Due.In(loc))
	if rem.Repeat != "" {
		// Inside a sentence: "(каждый день)", never the raw "(daily)".
		d["Repeat"] = strings.ToLower(h.b.T(lang, "repeat."+rem.Repeat, nil))
	}
	if rem.CustomerID != "" {
		if cu, err := h.book.Customers.Get(ctx, c, rem.CustomerID); err == nil {
			d["Customer"] = cu.FullName()
			d["Phone"] = contact.FormatPhone(cu.Phone)
			d["reach"] = reach{phone: cu.Phone, telegram: cu.Telegram, onBot: h.book.Sends.OnBot(ctx, c.ID, cu.ID)}
		}
	}
	return d
}

// reminderWording is a reminder's line and the message ready for her
// customer, in lang (templates.Set.ReminderWording, in her timezone).
func (h *Handlers) reminderWording(lang string, c crm.Consultant, rem crm.Reminder) (text, suggested string) {
	return h.b.Templates().ReminderWording(lang, c.Location(h.cfg.DefaultTimezone), c.Name, rem)
}

// sayFollowUpPlan tells her what a status change did to an order's
// follow-ups (book.Orders returns the plan; the order's chat calls this).
func (h *Handlers) sayFollowUpPlan(ctx context.Context, r *bot.Request, customer string, plan book.FollowUpPlan) {
	if len(plan.Dates) > 0 {
		_, _ = h.b.Say(ctx, r, "followup.created", map[string]any{"Name": customer, "Days": plan.Dates}, nil)
	}
	if len(plan.Refills) > 0 {
		loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
		var lines []map[string]any
		for _, hint := range plan.Refills {
			lines = append(lines, map[string]any{"Name": hint.Product, "At": hint.Due.In(loc)})
		}
		_, _ = h.b.Say(ctx, r, "replenish.planned", map[string]any{"Name": customer, "Lines": lines}, nil)
	}
	if plan.Cancelled > 0 {
		_, _ = h.b.Say(ctx, r, "followup.cancelled", map[string]any{"Count": plan.Cancelled}, nil)
	}
}

// startFollowUpsByHand starts 2+2+2 for a customer from today, without an
// order (a sale made outside the bot); when she has calls planned, it
// offers them instead of a second set.
func (h *Handlers) startFollowUpsByHand(ctx context.Context, r *bot.Request, c crm.Customer) error {
	h.b.AnswerCallback(ctx, r, "")
	plan, err := h.book.Reminders.StartFollowUpsByHand(ctx, tenantOf(r), c)
	if err != nil {
		return err
	}
	if len(plan.Pending) > 0 {
		return h.offerFollowUps(ctx, r, c, plan.Pending)
	}
	h.sayFollowUpPlan(ctx, r, c.FullName(), plan)
	return nil
}

func firstName(full string) string {
	if f := strings.Fields(full); len(f) > 0 {
		return f[0]
	}
	return full
}

// lang is the language to write to a consultant in when she did not just
// write (pushes): hers at that moment.
func (h *Handlers) lang(c crm.Consultant) string {
	return h.b.Templates().Lang(c.Language, c.TelegramLanguage, h.cfg.DefaultLanguage)
}

// reminderLine is reminderData for a line of a list (/reminders, the
// digest): a long text is cut (opening it shows it whole), and one
// Telegram refused to push says so.
func (h *Handlers) reminderLine(ctx context.Context, lang string, c crm.Consultant, rem crm.Reminder) map[string]any {
	d := h.reminderData(ctx, lang, c, rem)
	shown := d["R"].(crm.Reminder)
	shown.Text = bot.Cut(shown.Text, remindListText)
	if rem.Undelivered != "" && rem.PushedAt != nil {
		shown.Text = h.b.T(lang, "remind.undelivered", nil) + " " + shown.Text
	}
	d["R"] = shown
	if name, ok := d["Customer"].(string); ok && strings.Contains(shown.Text, name) {
		// "Звонок 2+2+2 (2 дня): Айгерим Нурланова, заказ №1" names her
		// already: not again in brackets after it.
		d["Customer"] = nil
	}
	return d
}

// remindListText is how much of a reminder's text a line of /reminders
// shows.
const remindListText = 200

// remindersCommand is /reminders: overdue, today, the next seven days and
// later, with a button per reminder to open it.
func (h *Handlers) remindersCommand(ctx context.Context, r *bot.Request) error {
	c := tenantOf(r)
	a, err := h.book.Reminders.Agenda(ctx, c)
	if err != nil {
		return err
	}
	view := func(rs []crm.Reminder) []map[string]any {
		var out []map[string]any
		for _, rem := range rs {
			out = append(out, h.reminderLine(ctx, r.Lang, c, rem))
		}
		return out
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, rem := range append(append(append(append([]crm.Reminder{}, a.Overdue...), a.Today...), a.Upcoming...), a.Later...) {
		if len(bs) >= 12 {
			break
		}
		text, _ := h.reminderWording(r.Lang, c, rem)
		bs = append(bs, button(truncate(text, 28), reminderShow.data(rem.ID)))
	}
	_, _ = h.b.Say(ctx, r, "remind.list", map[string]any{"Overdue": view(a.Overdue), "Todays": view(a.Today), "Upcoming": view(a.Upcoming), "Later": view(a.Later)},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return nil
}

// nearDay is how a sentence names the day of due seen at now: "today",
// "tomorrow" or "" (its weekday and date), and whether it is this year's
// (its year goes unsaid).
func nearDay(now, due time.Time) (string, bool) {
	y, m, d := now.Date()
	switch dy, dm, dd := due.Date(); {
	case dy == y && dm == m && dd == d:
		return "today", true
	case due.Format(time.DateOnly) == now.AddDate(0, 0, 1).Format(time.DateOnly):
		return "tomorrow", dy == y
	}
	return "", due.Year() == y
}
