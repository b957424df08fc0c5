package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// reminderKeyboard is under every pushed reminder: Done, Snooze, Open
// customer, Call, and Contact to log how it went in her history.
func (h *Handlers) reminderKeyboard(lang string, rem crm.Reminder, phone bool) tgbotapi.InlineKeyboardMarkup {
	t := func(k string) string { return h.b.T(lang, k, nil) }
	rows := [][]tgbotapi.InlineKeyboardButton{
		{button(t("btn.done"), "r:d:"+rem.ID)},
		{button(t("btn.snooze_1h"), "r:s:"+rem.ID+":"+crm.SnoozeHour), button(t("btn.snooze_tomorrow"), "r:s:"+rem.ID+":"+crm.SnoozeTomorrow),
			button(t("btn.snooze_week"), "r:s:"+rem.ID+":"+crm.SnoozeWeek)},
	}
	if rem.CustomerID != "" {
		row := []tgbotapi.InlineKeyboardButton{button(t("btn.open_card"), "cu:o:"+rem.CustomerID)}
		if phone {
			row = append(row, button(t("btn.call"), "cu:c:"+rem.CustomerID))
		}
		rows = append(rows, row, []tgbotapi.InlineKeyboardButton{button(t("btn.contact"), "ix:"+rem.ID)})
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// PushReminder sends a due reminder to its consultant and marks it pushed.
// It is marked after the send: a crash in between pushes it twice rather
// than never. The mark outlives a cancelled ctx (a stopping process), so a
// reminder that did go out is not pushed again. A consultant who blocked
// the bot gets nothing: her reminders are held until she writes again.
func (h *Handlers) PushReminder(ctx context.Context, rem crm.Reminder) error {
	c, err := h.store.GetConsultant(ctx, rem.Owner)
	if err != nil {
		return fmt.Errorf("push reminder %s: %w", rem.ID, err)
	}
	if c.Blocked {
		h.holdReminders(ctx, c.ID)
		return nil
	}
	lang := h.lang(c)
	data := h.reminderData(ctx, c, rem)
	text, err := h.b.Templates().Render(lang, "remind.push", data)
	if err != nil {
		return err
	}
	if _, err := h.b.Push(ctx, c.ChatID, text, h.reminderKeyboard(lang, rem, data["Phone"] != nil && data["Phone"] != "")); err != nil {
		if errors.Is(err, bot.ErrBlocked) {
			h.holdReminders(ctx, c.ID)
			return nil
		}
		return fmt.Errorf("push reminder %s: %w", rem.ID, err)
	}
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := h.store.MarkPushed(mctx, rem.Owner, rem.ID, rem.ClaimedBy, rem.LeaseID, h.now()); err != nil {
		// The lease moved on (this worker was too slow, or she snoozed it
		// meanwhile): the at-least-once window, or nothing to mark.
		h.log.Warn("mark reminder pushed", "reminder", rem.ID, "err", err)
	}
	return nil
}

// holdReminders marks her blocked and keeps her reminders from being
// leased until she writes again (the tenant middleware releases them). If
// she wrote while they were being held, they are released at once.
func (h *Handlers) holdReminders(ctx context.Context, owner int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	h.OnBlocked(ctx, owner)
	if _, err := h.store.HoldReminders(ctx, owner, true); err != nil {
		h.log.Warn("hold reminders", "consultant", owner, "err", err)
		return
	}
	if c, err := h.store.GetConsultant(ctx, owner); err == nil && !c.Blocked {
		h.releaseReminders(ctx, owner)
	}
}

// releaseReminders lets a consultant's held reminders go out again: she
// wrote to the bot.
func (h *Handlers) releaseReminders(ctx context.Context, owner int64) {
	if _, err := h.store.HoldReminders(ctx, owner, false); err != nil {
		h.log.Warn("release held reminders", "consultant", owner, "err", err)
	}
}

// reminderCallback: r:d (done), r:s:<option> (snooze), r:o:<outcome> (how
// it went), r:x (cancel a reminder just set).
func (h *Handlers) reminderCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) < 3 {
		return nil
	}
	id := parts[2]
	arg := ""
	if len(parts) > 3 {
		arg = parts[3]
	}
	rem, err := h.store.GetReminder(ctx, r.UserID, id)
	if errors.Is(err, store.ErrNotFound) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.not_found", nil))
		return nil
	}
	if err != nil {
		return err
	}
	now := h.now()
	switch parts[1] {
	case "d":
		loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
		rem, err = h.store.UpdateReminder(ctx, r.UserID, id, func(x *crm.Reminder) error {
			if next, repeats := x.Next(now, loc); repeats {
				// A repeating one comes back, counted from its first
				// occurrence; the push lease on this one ends.
				if x.RepeatFrom.IsZero() {
					x.RepeatFrom = x.Due
				}
				x.Reschedule(next)
			} else {
				x.Status, x.DoneAt = crm.Done, &now
			}
			x.UpdatedAt = now
			return nil
		})
		if err != nil {
			return err
		}
		if rem.CustomerID != "" {
			h.addEvent(ctx, r, rem.CustomerID, EventReminderDone, rem.Text, map[string]string{"reminder": rem.ID})
		}
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.done_toast", nil))
		var outs []tgbotapi.InlineKeyboardButton
		for _, o := range crm.Outcomes {
			outs = append(outs, button(h.b.T(r.Lang, "outcome."+o, nil), "r:o:"+id+":"+o))
		}
		kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(outs, 2)}
		text := h.render(r, "remind.done", h.reminderData(ctx, tenantOf(r), rem))
		return h.replyOrEdit(ctx, r, true, text, kb)
	case "s":
		until := crm.SnoozeUntil(h.localNow(r), arg, tenantOf(r).DigestHour)
		rem, err = h.store.UpdateReminder(ctx, r.UserID, id, func(x *crm.Reminder) error {
			x.Reschedule(until)
			x.Status, x.UpdatedAt = crm.Pending, now
			return nil
		})
		if err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, "")
		text := h.render(r, "remind.snoozed", h.reminderData(ctx, tenantOf(r), rem))
		return h.replyOrEdit(ctx, r, true, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	case "o":
		rem, err = h.store.UpdateReminder(ctx, r.UserID, id, func(x *crm.Reminder) error {
			x.Outcome, x.UpdatedAt = arg, now
			return nil
		})
		if err != nil {
			return err
		}
		if rem.CustomerID != "" {
			h.addEvent(ctx, r, rem.CustomerID, EventReminderDone, h.b.T(r.Lang, "outcome."+arg, nil), map[string]string{"reminder": rem.ID, "outcome": arg})
		}
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.outcome_saved", nil))
		h.clearKeyboard(ctx, r)
		if arg == "ordered" && rem.CustomerID != "" {
			if c, ok, err := h.getCustomer(ctx, r, rem.CustomerID); ok {
				return h.startOrder(ctx, r, c)
			} else if err != nil {
				return err
			}
		}
		return nil
	case "x":
		_, err = h.store.UpdateReminder(ctx, r.UserID, id, func(x *crm.Reminder) error {
			x.Status, x.UpdatedAt = crm.Cancelled, now
			return nil
		})
		if err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, "")
		return h.replyOrEdit(ctx, r, true, h.render(r, "remind.cancelled", nil), tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	case "v":
		h.b.AnswerCallback(ctx, r, "")
		data := h.reminderData(ctx, tenantOf(r), rem)
		text := h.render(r, "remind.push", data)
		_, _ = h.b.Reply(ctx, r, text, h.reminderKeyboard(r.Lang, rem, data["Phone"] != nil && data["Phone"] != ""))
		return nil
	}
	return nil
}

// remindersCommand is /reminders: overdue, today and the next seven days.
func (h *Handlers) remindersCommand(ctx context.Context, r *bot.Request) error {
	now := h.localNow(r)
	today := startOfDay(now)
	get := func(from, to time.Time) ([]crm.Reminder, error) {
		rs, _, err := h.store.ListReminders(ctx, r.UserID, store.ReminderFilter{Status: crm.Pending, DueFrom: from, DueTo: to, Limit: 30})
		return rs, err
	}
	overdue, err := get(time.Time{}, now)
	if err != nil {
		return err
	}
	todays, err := get(now, today.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	upcoming, err := get(today.AddDate(0, 0, 1), today.AddDate(0, 0, 8))
	if err != nil {
		return err
	}
	view := func(rs []crm.Reminder) []map[string]any {
		var out []map[string]any
		for _, rem := range rs {
			out = append(out, h.reminderData(ctx, tenantOf(r), rem))
		}
		return out
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, rem := range append(append(append([]crm.Reminder{}, overdue...), todays...), upcoming...) {
		if len(bs) >= 12 {
			break
		}
		bs = append(bs, button(truncate(rem.Text, 28), "r:v:"+rem.ID))
	}
	_, _ = h.b.Say(ctx, r, "remind.list", map[string]any{"Overdue": view(overdue), "Todays": view(todays), "Upcoming": view(upcoming)},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return nil
}
